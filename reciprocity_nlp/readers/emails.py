"""Email threads: `.eml`, `.mbox` and pasted threads, one turn per message, each message once.

MIME decoding is the standard library's; splitting a body into the new message and its quoted
history is mail-parser-reply's (Gmail "On ... wrote:", Outlook From/Sent blocks, "Original
Message"). On top of that this module strips quote markers, signatures, disclaimers and banners, reads the quoted
headers of German, French, Spanish, Dutch, Italian and Portuguese clients as English ones, and recovers every quoted
earlier message as its own turn with its own sender.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import email
import email.errors
import email.policy
import itertools
import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dateutil import parser as dateparser
from mailparser_reply import EmailReplyParser

from reciprocity_nlp.conversation import UNKNOWN_SENDER, Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.base import Segment, build_conversation
from reciprocity_nlp.readers.encoding import (
    WINDOWS_1252_LABELS,
    as_windows_1252,
    decode_bytes,
    decode_windows_1252,
    legacy_charset,
)
from reciprocity_nlp.readers.speakers import SpeakerRegistry

if TYPE_CHECKING:
    from bs4 import NavigableString, Tag

_REPLY_PARSER = EmailReplyParser(languages=["en"])

_WROTE = r"(?:wrote|writes|said|mentioned)"  # the verb of an attribution line: "Sam wrote:"
_AT_TIME = r"At\s+\d{1,2}[:.]\d{2}"  # how Eudora opens an attribution: "At 11:49 02/09/2002, Sam wrote:"
_MAYBE_LEGACY = WINDOWS_1252_LABELS | {"", "iso-8859-15"}  # charsets a CJK or Thai mail is often sent under
_QUOTE = re.compile(r"^(?:[ \t]*>)+ ?", re.MULTILINE)
# An RFC 2047 encoded word in a charset that is read as Windows-1252: "=?iso-8859-1?q?...".
_WINDOWS_1252_WORD = re.compile(rf"=\?(?:{'|'.join(map(re.escape, WINDOWS_1252_LABELS))})(?:\*[\w-]*)?\?[bq]\?", re.I)
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/]+={0,2}")
_FIELD = re.compile(r"^[* ]*(?P<key>From|Sent|Date|To|Cc|Subject)[* ]*:[* ]*(?P<value>.*)$", re.I | re.M)
_MAILTO = re.compile(r"\[mailto:(?P<addr>[^\]]+)\]")
_SIGNOFF = re.compile(
    r"^(?:best|best regards|best wishes|all the best|kind regards|kindest regards|warm regards|"
    r"warmest regards|warm wishes|regards|many thanks|thanks|thank you|thanks again|thanks so much|"
    r"thanks and regards|thanks & regards|thx|cheers|cheers mate|ta|sincerely|yours sincerely|"
    r"yours faithfully|yours truly|respectfully|take care|talk soon|speak soon|with thanks|"
    r"with best wishes|with regards|rgds|br|tia|warmly|best,? thanks|thanks,? best)[,.!]*$",
    re.I,
)
_POSTSCRIPT = re.compile(r"^\s*p\.?\s?p?\.?\s?s\.?[\s:,-]", re.I)
_SENT_FROM = re.compile(r"^\s*(?:sent from (?:my|outlook|yahoo|mail)|get outlook for|sent via|"
                        r"sent with (?:proton|blackberry)|sent from samsung)", re.I)
_DISCLAIMER = re.compile(
    r"^\s*(?:\*+\s*)?(?:confidential(?:ity)?(?: notice| note)?\s*[:\-]|disclaimer\s*[:\-]|"
    r"caution\s*:(?=.{0,120}?(?:confidential|privileged|intended|virus))|"  # not 'Caution: the price ...'
    r"important notice\s*:|privileged\s*(?:&|and)\s*confidential|"
    r"this (?:e-?mail|message|communication)(?: and any (?:attachments?|files?)(?: transmitted with it)?)?"
    r" (?:is|are|may be|contains?|and its) .{0,80}?(?:confidential|privileged|intended)|"
    r"the information (?:contained )?in this (?:e-?mail|message)|"
    r"if you (?:are not|have received this) .{0,40}(?:intended recipient|in error)|"
    r"please consider the environment before printing)"
    # Footers that open with the firm's name: "Acme Ltd, registered in Ireland. This message ... confidential".
    r"|^.{0,120}?\bthis (?:e-?mail|message)(?: and any attachments?)? (?:is|are|may be|contains?)\b.{0,80}?"
    r"(?:confidential|privileged|intended)"
    r"|^.{0,80}?\bwill never ask (?:you )?for your (?:password|pin|otp)"
    r"|^\s*(?:this (?:e-?mail|message) was sent to|you are receiving this (?:e-?mail|message))",
    re.I,
)
# A gateway's external-sender banner, prepended to a message (and so found in quoted history too): "CAUTION: This email
# originated from outside of the organization...", "[EXTERNAL EMAIL] Use caution with links and attachments", Microsoft
# 365's "You don't often get email from ... Learn why this is important". It opens a paragraph with a warning word or
# its own subject, the email's origin, and names the cause in its first sentences; ordinary text that merely starts
# "This email confirms..." or "Attention: parking is limited outside the building" is no banner.
_BANNER = re.compile(r"^\W{0,2}(?:(?:caution|warning|attention|external(?: (?:e-?mail|sender|message))?|ext)\b\W|"
                     r"this (?:e-?mail|message) (?:originated|came|was sent|is from)|"
                     r"(?:some people who received this message )?you don'?t often get)", re.I)
_BANNER_CAUSE = re.compile(r"originated (?:from )?outside|came from outside|from outside (?:of )?(?:the|your|our) "
                           r"(?:organi[sz]ation|company|firm|network|domain)|\bexternal (?:e-?mail|sender|source|party)|"
                           r"from an external|don'?t often get (?:e-?)?mail from|"
                           r"(?:not|n't) (?:click|open) (?:on )?(?:any )?links|links (?:and|or) (?:open(?:ing)? )?attachments", re.I)
_BANNER_REACH = 300  # characters of a paragraph in which a banner names its cause
_BANNER_LINES = 6  # lines of a banner at most
_BANNER_END = (".", "!", "important", "safe")  # how a banner's last line ends ('... Learn why this is important')
_REPLY_ABOVE = re.compile(r"^\W*(?:please )?(?:type |write )?(?:your )?reply above this line\b", re.I)  # help desk, ATS
_RFC_DATE = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_TITLE = re.compile(r"\A(?P<title>[^\n]{1,150})\n\n(?=(?:On\s[^\n]+wrote:|[* ]*From[* ]*:))")
_SIG_DELIM = re.compile(r"^(?:--|__)\s*$")
_RULE = re.compile(r"^[_=-]{10,}$")
_LIST_NAME = re.compile(r"^[\w.-]+ (?:mailing )?list$", re.I)
_LIST_FOOTER = re.compile(r"mailing list|listinfo|/mailman/|to unsubscribe|list archives?", re.I)
_MBOX_FROM = re.compile(rb"^From \S+.*$", re.M)
# An address is `x@y` with no spaces or angle brackets; written `[^<>\s]+@[^<>\s]+`, a run of '@' could be split
# at each of its '@' and its rest searched for '>' each time. Here the address runs to its first '@' after its
# first character, which matches the same text in one way.
_ADDRESS = r"[^<>\s][^<>\s@]*@[^<>\s]+"
# Gmail's "Print all": 'Sam Lee <sam@x.com>   Tue, Mar 4, 2025 at 9:14 AM', one line. The spaces are possessive
# (giving some back never helps) and stay on the line: from each line of a long run of lines holding only
# whitespace (vertical tabs, ideographic spaces), `\s*` would scan to the end of the run.
_GMAIL_PRINT_HEAD = re.compile(
    rf"^(?P<name>[^<>\n\t]{{1,80}}?)[^\S\n]*+<(?P<addr>{_ADDRESS})>(?:[ ]*+\t[ \t]*+|[ ]{{2,}}+)"
    r"(?P<date>[^\n]*\d{1,2}:\d{2}.*)$",
    re.M
)


@dataclass
class MailMessage:
    """One message of a thread: who wrote it, when, and only what they wrote."""

    name: str
    address: str
    sent: datetime | None
    body: str
    recovered: bool = False  # rebuilt from quoted history rather than read from its own headers
    subject: str = ""  # its own Subject line; '' when unknown (an "On ... wrote:" quote names none)


# --------------------------------------------------------------------------- MIME


def _payload_bytes(part: Message) -> bytes | None:
    """The part's decoded bytes.

    Mailing lists used to append their footer as plain text after a base64 body; decoded whole,
    the footer turns into garbage bytes or leaves the part undecoded. The base64 block before
    the footer is decoded and the footer kept as text.
    """
    payload = part.get_payload(decode=True)
    raw = part.get_payload()
    if payload is None or not isinstance(raw, str) or part.get("Content-Transfer-Encoding", "").strip().lower() != "base64":
        return payload
    block, sep, rest = raw.strip().partition("\n\n")  # a base64 body has no blank line inside
    if not rest.strip() or _is_base64(rest) or not _is_base64(block):  # cheapest test first
        return payload
    block = "".join(block.split())
    try:
        head = base64.b64decode(block + "=" * (-len(block) % 4))
    except binascii.Error:
        return payload
    return head + sep.encode() + rest.encode("utf-8", errors="surrogateescape")  # the footer's own bytes


def _is_base64(text: str) -> bool:
    return all(_BASE64_LINE.fullmatch(line.strip()) for line in text.strip().splitlines())


def _decode_part(part: Message) -> str:
    payload = _payload_bytes(part)
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset() or ""
    if charset in _MAYBE_LEGACY and not payload.isascii():
        # Mail that says ASCII or Latin-1 but was written in UTF-8 (a common client bug) would
        # read as "Iâ€™m"; valid UTF-8 with non-ASCII bytes is almost never meant as Latin-1.
        # Mostly high bytes that are not UTF-8 are a CJK or Thai charset the mail did not name.
        try:
            return payload.decode("utf-8")
        except UnicodeDecodeError:
            charset = legacy_charset(payload) or charset
    if charset in WINDOWS_1252_LABELS:
        return decode_windows_1252(payload)
    try:
        return payload.decode(charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return decode_bytes(payload)


_ZERO_SIZE = re.compile(r"(?:0+\.?0*|\.0+)(?:[a-z]{1,4}|%)?")  # 0, 0px, 0.0em, 0%...


def _inline_css(tag: Tag) -> dict[str, str]:
    """A tag's `style` attribute as property -> value, lower-case and without `!important`."""
    pairs = (d.split(":", 1) for d in str(tag.get("style") or "").split(";") if ":" in d)
    return {prop.strip().lower(): value.lower().replace("!important", "").strip() for prop, value in pairs}


def _hidden_by(tag: Tag, inherited: frozenset[str]) -> frozenset[str] | None:
    """The inherited CSS properties that hide text inside `tag` from the reader; None when none of it shows.

    `display:none` and the `hidden` attribute hide an element and all inside it; `visibility:hidden` and
    a zero font size (preheader tricks) hide text until an element inside sets them back. `mso-hide:all`
    hides only from Outlook, so it does not count.
    """
    if tag.has_attr("hidden"):
        return None
    css = _inline_css(tag)
    if css.get("display") == "none":
        return None
    hides = {"visibility": css.get("visibility") in ("hidden", "collapse"),
             "font-size": _ZERO_SIZE.fullmatch(css.get("font-size", "")) is not None}
    return frozenset(prop for prop, hidden in hides.items() if hidden or (prop in inherited and prop not in css))


# A rule can only start where the text starts or after a brace: a start inside a run of other characters reaches
# the same '{' and fails or succeeds with it, and trying each one would scan the run to its end each time.
_CSS_RULE = re.compile(r"(?<![^{}])([^{}]+)\{([^{}]*)\}")
_HIDING = ("display", "visibility", "font-size")  # the properties `_hidden_by` reads


def _top_level_css(css: str) -> str:
    """A style sheet without comments and without its @-blocks (@media, @font-face): what applies everywhere
    (a rule that hides text on small screens only does not hide it from the reader)."""
    css = _strip_comments(css)
    out, depth, skipping = [], 0, False
    for i, ch in enumerate(css):
        if depth == 0 and ch == "@":
            skipping = True
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and skipping:
                skipping = False
                continue
        elif ch == ";" and depth == 0 and skipping:  # '@import url(...);' has no block
            skipping = False
            continue
        if not skipping:
            out.append(css[i])
    return "".join(out)


def _strip_comments(css: str) -> str:
    """CSS without its /* comments */; an unclosed one stays, as `re.sub(r"/\\*.*?\\*/", "", css, flags=re.S)` leaves
    it, but found in one pass (that regex scans to the end from every '/*' when none is closed)."""
    out, at = [], 0
    while (start := css.find("/*", at)) >= 0 and (end := css.find("*/", start + 2)) >= 0:
        out.append(css[at:start])
        at = end + 2
    out.append(css[at:])
    return "".join(out)


_MAX_SELECTORS = 200  # different selectors of hiding rules looked for in one mail, at most
_SELECTOR_WORK = 100_000  # ... and elements visited looking for them, unless that allows fewer than 5 selectors


def _apply_style_rules(soup: Any) -> None:
    """Copy what `<style>` rules say about hiding (display, visibility, font size) onto the elements they select,
    ahead of their own inline style, which wins as in a browser: a preheader hidden by a class
    (`.preheader {display:none}`) is then left out like one hidden inline.

    Of the rules that select an element, the first one that sets a property gives its value (see `_inline_css`), so
    a later rule is copied only for the properties nothing has set yet, a selector is looked for once, and a rule
    repeated adds nothing. Each selector costs a walk over every element, so a mail is looked through for at most
    `_MAX_SELECTORS` of them and about `_SELECTOR_WORK` element visits (a huge template with thousands of rules
    would take minutes); later rules are left out, and their elements follow their inline styles.
    """
    rules: list[tuple[str, dict[str, str]]] = []  # (selector, property -> value), in the order they are applied
    for style in soup("style"):
        for selectors, declarations in _CSS_RULE.findall(_top_level_css(style.get_text())):
            hiding: dict[str, str] = {}
            for declaration in declarations.split(";"):
                prop, colon, value = declaration.partition(":")
                if colon and prop.strip().lower() in _HIDING:
                    hiding[prop.strip().lower()] = value
            if hiding:
                rules += [(selector.strip(), hiding) for selector in selectors.split(",")]
    if not rules:
        return
    elements = sum(1 for _ in soup.find_all(True))
    budget = min(_MAX_SELECTORS, max(5, _SELECTOR_WORK // max(elements, 1)))
    selected: dict[str, list[Any]] = {}
    setting: dict[str, set[str]] = {}  # selector -> the properties its earlier rules set
    for selector, hiding in rules:
        if selector not in selected:
            if len(selected) >= budget:
                continue
            try:
                selected[selector] = soup.select(selector)
            except Exception:  # a selector soupsieve does not support (:hover, ::before) selects nothing here
                selected[selector] = []
        new = {prop: value for prop, value in hiding.items() if prop not in setting.setdefault(selector, set())}
        if not new:
            continue
        setting[selector] |= new.keys()
        for element in selected[selector]:
            own = _inline_css(element)
            add = ";".join(f"{prop}:{value}" for prop, value in new.items() if prop not in own)
            if add:
                element["style"] = f"{add};{element.get('style') or ''}"


def html_to_text(html: str) -> str:
    """HTML email to plain text, keeping paragraphs and turning blockquotes into `> ` quotes.

    A table row is a line with its cells joined by ` | `, so cells read as words, not glued tokens.
    Text hidden from the reader (see `_hidden_by`) is left out: nobody read it as part of the message.
    """
    # Only HTML mail needs bs4: keep it off the start-up path.
    from bs4 import BeautifulSoup, Comment, Declaration, Doctype, NavigableString, ProcessingInstruction
    soup = BeautifulSoup(html, "html.parser")
    _apply_style_rules(soup)
    for bad in soup(["script", "style", "meta"]):
        bad.decompose()
    for title in soup("title"):
        # Broken HTML can leave a <title> unclosed around the whole body: drop only real titles.
        if len(title.get_text()) < 300:
            title.decompose()
    out: list[str] = []

    def walk(node: Tag | NavigableString, hiding: frozenset[str] = frozenset()) -> None:
        if isinstance(node, NavigableString):
            # Comments, <!DOCTYPE ...> and processing instructions are markup, not text.
            if not hiding and not isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
                out.append(re.sub(r"\s+", " ", str(node)))
            return
        hidden_inside = _hidden_by(node, hiding)
        if hidden_inside is None:
            return
        name = node.name or ""
        if name == "br":
            out.append("\n")
            return
        if name in ("td", "th"):
            out.append(_CELL)
        if name == "img":
            alt = (node.get("alt") or "").strip()
            if alt and not hidden_inside:
                out.append(f" {alt} ")
            return
        block = name in {"p", "div", "table", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                         "ol", "hr", "blockquote", "pre", "section", "article", "header", "footer"}
        if name == "blockquote":
            outer = out[:]
            out.clear()
            for child in node.children:
                walk(child, hidden_inside)
            inner = _plain("".join(out))
            quoted = ["> " + ln if ln.strip() else ">" for ln in inner.splitlines()]
            out[:] = [*outer, "\n" + "\n".join(quoted) + "\n"]
            return
        if name == "hr":
            out.append("\n________________________________\n")
            return
        if block:
            out.append(_SOFT_BREAK)
        for child in node.children:
            walk(child, hidden_inside)
        if name == "p":
            out.append(_PARAGRAPH)
        elif block:
            out.append(_SOFT_BREAK)

    walk(soup)
    return _plain("".join(out))


_SOFT_BREAK, _PARAGRAPH, _CELL = "\x01", "\x02", "\x03"
# Both start at the start of a run of spaces (a match found inside one would have been found at its start): tried at
# each space of a long run with no mark after it, they would scan the rest of the run each time.
_BREAKS = re.compile(r"(?<![ \t])[ \t]*[\x01\x02\n][\x01\x02\n \t]*")
_CELLS = re.compile(r"(?<![ \t])[ \t]*\x03[\x03 \t]*")  # a cell's start, with empty cells and spaces around it


def _plain(marked: str) -> str:
    """Text with its cell and block marks turned into separators and line breaks."""
    return _tidy(_BREAKS.sub(_join_breaks, _CELLS.sub(_join_cells, marked)))


def _join_cells(m: re.Match[str]) -> str:
    """Cells side by side in a line are joined by ' | '; at a line's edge (the first cell of a row,
    or a layout table's cell that holds paragraphs) the mark is only a space."""
    before = m.string[m.start() - 1:m.start()]
    after = m.string[m.end():m.end() + 1]
    edge = not before or not after or before in "\x01\x02\n" or after in "\x01\x02\n"
    return " " if edge else " | "


def _join_breaks(m: re.Match[str]) -> str:
    """Block edges make one line break; a paragraph or an empty line between blocks makes two."""
    run = m.group(0)
    if "\x01" not in run and "\x02" not in run:
        return run
    return "\n\n" if "\x02" in run or "\n" in run else "\n"


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    lines = [ln.strip(" \t") for ln in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def message_body(msg: Message) -> str:
    """The readable body: text/plain preferred, HTML converted when it is all there is, else what a calendar
    invitation or answer says (see `_calendar_text`)."""
    plain: str | None = None
    html: str | None = None
    calendar: str | None = None
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and plain is None:
            plain = _decode_part(part)
        elif ctype == "text/html" and html is None:
            html = _decode_part(part)
        elif ctype == "text/calendar" and calendar is None:
            calendar = _decode_part(part)
    if plain is not None and plain.strip():
        return _tidy(plain)
    if html is not None:
        return html_to_text(html)
    if calendar is not None:
        return _tidy(_calendar_text(calendar))
    if not msg.is_multipart() and msg.get_content_maintype() == "text":
        return _tidy(_decode_part(msg))
    return ""


# A DESCRIPTION or COMMENT line: its parameters may quote a colon ('ALTREP="cid:..."'), its value starts after them.
_ICAL_TEXT = re.compile(r'^(?:DESCRIPTION|COMMENT)(?=[;:])(?:[^:"\n]++|"[^"\n]*+")*+:(?P<value>.*)$', re.I)
_ICAL_ESCAPE = re.compile(r"\\(.)")


def _calendar_text(ics: str) -> str:
    """What people wrote in an iCalendar invitation or answer: the DESCRIPTION and COMMENT of its events, not their
    reminders (a VALARM's DESCRIPTION) or the rest of the calendar's fields."""
    unfolded = re.sub(r"\r?\n[ \t]", "", ics)  # a line that starts with a space or tab continues the one before
    texts: list[str] = []
    inside: list[str] = []
    for line in unfolded.splitlines():
        key, _, component = line.partition(":")
        if key.upper() in ("BEGIN", "END"):
            if key.upper() == "BEGIN":
                inside.append(component.strip().upper())
            elif inside:
                inside.pop()
            continue
        field = _ICAL_TEXT.match(line)
        if field and inside and inside[-1] == "VEVENT":
            texts.append(_ICAL_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), field["value"]))
    return "\n\n".join(texts)


def _header(msg: Message, key: str) -> str:
    """A header's decoded text ('' when it is missing or unparseable)."""
    try:
        value = msg.get(key)
    except (ValueError, IndexError, TypeError):
        value = None
    if value is None:
        return ""
    raw = next((v for k, v in msg.raw_items() if k.lower() == key.lower()), "")
    if _RAW_8BIT.search(raw):
        # 8-bit bytes sent as they are, against the standard (old clients): the parser can only show them
        # as '�'. Read them as UTF-8 when they are, else as Windows-1252, as a mail client would.
        data = raw.encode("utf-8", "surrogateescape")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = decode_windows_1252(data)
        return " ".join(text.split())
    return _header_text(raw, str(value))


_RAW_8BIT = re.compile("[\udc80-\udcff]")  # how the email parser keeps header bytes it could not decode


def _header_text(raw: str, decoded: str) -> str:
    """A decoded header, its Latin-1 and ASCII encoded words read as Windows-1252 (as `_decode_part` reads
    such a body): the standard library decodes `=?iso-8859-1?q?=96?=` to a control character, not –."""
    return as_windows_1252(decoded) if _WINDOWS_1252_WORD.search(raw) else decoded


def _date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    if _RFC_DATE.match(value):
        try:
            return parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            pass
    cleaned = re.sub(r"\bat\b", " ", value)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    cleaned = re.sub(r"\(.*?\)", " ", cleaned)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
            return dateparser.parse(cleaned, fuzzy=True, dayfirst=_day_first(cleaned))
    except (ValueError, OverflowError, TypeError):
        return None


def _day_first(value: str) -> bool:
    m = re.search(r"\b(\d{1,2})/(\d{1,2})/\d{2,4}", value)
    return bool(m and int(m.group(1)) > 12)


# --------------------------------------------------------------------------- splitting


def _who(text: str) -> tuple[str, str]:
    """(display name, address) from 'Name <addr>', 'addr', 'Name [mailto:addr]' or 'Name'."""
    text = text.strip()
    if "=?" in text:
        # An encoded word the standard library cannot decode ('=?é?q?Ana?=': no such charset) stays as written.
        with contextlib.suppress(email.errors.MessageError, LookupError, UnicodeError):
            text = _header_text(text, str(make_header(decode_header(text))))
    mailto = _MAILTO.search(text)
    if mailto:
        addr = mailto.group("addr").strip()
        name = _MAILTO.sub("", text).strip().strip('"').strip()
        return name, addr
    if "@" in text:
        # parseaddr needs the quotes: a display name with a period is quoted ("Joseph S. Barrera").
        name, addr = parseaddr(text)
        if "@" in addr:
            return name.strip(), addr.strip()
        # Outlook writes 'Ruiz, Ana <ana@...>' unquoted, which parseaddr splits at the comma.
        pair = _NAME_ADDR.fullmatch(text)
        if pair:
            return pair.group("name").strip().strip('"').strip(), pair.group("addr").strip()
    return text.strip('"').strip(), ""


# 'Name <addr>'. A match can only start where the text starts or after an angle bracket (a start further on
# reaches the same '<' and fails or succeeds with it), so the others are not tried; the name is the text before
# the '<' without its trailing spaces, found in one way. Both keep `findall` linear on a long To line.
_NAME_ADDR = re.compile(rf"(?:\A|(?<=[<>]))(?P<name>(?:[^<>]*[^<>\s])?)\s*<(?P<addr>{_ADDRESS})>")


_TIME_OR_YEAR = r"(?:\b[AaPp]\.?[Mm]\.?|\d{1,2}[:.]\d{2}(?::\d{2})?|\b\d{4}|,)"


_ISO_WHEN = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?), ")


def _split_wrote(line: str) -> tuple[str, str]:
    """'On <date>, <name> <addr> wrote:' (or Eudora's 'At <time> <date>, ...') -> (date text, sender text)."""
    inner = re.sub(r"^\s*(?:On|At)\s+", "", line.strip())
    inner = re.sub(rf"\s*{_WROTE}:\s*$", "", inner)
    inner = re.sub(r"\s\([A-Z]{2,5}\)(?=\s)", "", inner)  # a zone name after the time: "-0500 (EST)"
    written = _ISO_WHEN.match(inner)  # as `_english_headers` writes it: the sender is all after the date
    if written:
        return written["date"], inner[written.end():]
    m = re.search(rf"^(?P<date>.*{_TIME_OR_YEAR})\s*,?\s+(?P<who>[^,<>]*?\s*<[^<>]+>)\s*$", inner)
    if m:
        return m.group("date"), m.group("who")
    m = re.search(rf"^(?P<date>.*{_TIME_OR_YEAR})\s*,?\s+(?P<who>[^,<>]+?)\s*$", inner)
    if m:
        return m.group("date"), m.group("who")
    date, _, who = inner.rpartition(",")
    return date, who


def _parse_header_block(header: str) -> tuple[str, str, datetime | None, str]:
    """Sender name, address, date and subject ('' when not given) from an 'On ... wrote:' line or a
    From/Sent block."""
    header = _QUOTE.sub("", header).strip()
    flat = " ".join(header.split())
    if re.match(rf"^(?:On\s|{_AT_TIME}).+{_WROTE}:$", flat):
        date_text, who = _split_wrote(flat)
        name, addr = _who(who)
        return name, addr, _date(date_text), ""
    attribution = _ATTRIBUTION.match(flat)
    if attribution:
        name, addr = _who(_GROUP_PREFIX.sub("", attribution.group("who")))
        return name, addr, None, ""
    fields: dict[str, str] = {}
    for fm in _FIELD.finditer(header):
        fields.setdefault(fm.group("key").lower(), fm.group("value").strip())
    name, addr = _who(fields.get("from", ""))
    return name, addr, _date(fields.get("sent") or fields.get("date") or ""), fields.get("subject", "")


def _without_notices(lines: list[str], opens_message: bool = True) -> list[str]:
    """The lines without external-sender banners and "reply above this line" markers, wherever they are, and, when they
    open a message, without the disclaimers above everything the sender wrote.

    A gateway or a help desk puts such a notice on top of a message, so it is no footer (a disclaimer below the
    sender's text, after which nothing of theirs follows): only its paragraph goes, or a marker's line.
    """
    kept: list[str] = []
    top = opens_message  # no line of the sender's yet
    i = 0
    while i < len(lines):
        end = _notice_end(lines, i, top)
        if end == i:
            top = top and not lines[i].strip()
            kept.append(lines[i])
            end += 1
        i = end
    return kept


def _notice_end(lines: list[str], i: int, top: bool) -> int:
    """The end of the notice that starts at line `i` (`i` itself when none does); `top` when no text is above it."""
    stripped = lines[i].strip()
    if _REPLY_ABOVE.match(stripped):
        return i + 1
    if top and _DISCLAIMER.match(stripped):
        return next((j for j in range(i + 1, len(lines)) if not lines[j].strip()), len(lines))
    if not _BANNER.match(stripped):
        return i
    # The banner's lines: up to a blank line, or, when the message follows with none between (as HTML mail puts a
    # banner in a <div> of its own), up to the line that ends its sentences naming the cause.
    text, j, named = "", i, False
    while j < min(len(lines), i + _BANNER_LINES) and lines[j].strip():
        text = f"{text} {lines[j].strip()}"
        j += 1
        named = named or bool(_BANNER_CAUSE.search(text[:_BANNER_REACH]))
        if named and lines[j - 1].rstrip().lower().endswith(_BANNER_END) and not (
                j < len(lines) and _BANNER_CAUSE.search(lines[j])):  # its next sentence may warn too
            break
    return j if named else i


def _strip_signature(body: str, opens_message: bool = True) -> str:
    """Drop signatures, "Sent from my phone" lines, disclaimers and banners; keep the sign-off line. `opens_message`
    when the body is a message's first lines, not what follows a quote in it (where a disclaimer is a footer)."""
    lines = _without_notices(body.split("\n"), opens_message)
    cut = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _SIG_DELIM.match(stripped) or _SENT_FROM.match(stripped) or _DISCLAIMER.match(stripped):
            cut = i
            break
        if (_RULE.match(stripped) or _LIST_NAME.match(stripped)) and _LIST_FOOTER.search("\n".join(lines[i + 1:i + 5])):
            cut = i  # a mailing list's footer (Mailman and the like), added by the list, not the sender
            break
    lines = lines[:cut]
    # A sign-off line ends the message: what follows it is a typed name and a signature block,
    # apart from postscripts ("P.S. ..."), which the sender wrote and which are kept.
    for i in range(len(lines) - 1, -1, -1):
        if _SIGNOFF.match(lines[i].strip()):
            tail = [ln for ln in lines[i + 1:] if ln.strip()]
            if len(tail) <= 10 and not any(len(ln) > 120 and not _POSTSCRIPT.match(ln) for ln in tail):
                lines = lines[: i + 1] + _postscripts(lines[i + 1:])
            break
    return _tidy("\n".join(lines))


def _postscripts(lines: list[str]) -> list[str]:
    """The postscript paragraphs among the lines after a sign-off."""
    kept: list[str] = []
    inside = False
    for line in lines:
        inside = bool(_POSTSCRIPT.match(line)) or (inside and bool(line.strip()))
        if inside:
            kept.append(line)
        elif kept and kept[-1]:
            kept.append("")
    return kept


# The header block of a quoted message in German, French, Spanish, Dutch, Italian and Portuguese mail clients (Outlook's
# 'Von:/Gesendet:/An:/Betreff:', 'De :/Envoyé :/À :/Objet :', 'De:/Enviado el:/Para:/Asunto:', 'Van:/Verzonden:/Aan:',
# 'Da:/Inviato:/A:/Oggetto:', 'De:/Enviada em:/Para:/Assunto:'; Outlook for Mac and the web write a date field): each
# field name under the English one it stands for. A block opens with its sender's field and holds a date field.
_LOCAL_FIELDS = {
    "From": ("Von", "De", "Van", "Da"),
    "Sent": ("Gesendet", "Envoyé", "Enviado el", "Enviado em", "Enviada em", "Enviado", "Enviada", "Verzonden", "Inviato"),
    "Date": ("Datum", "Date", "Fecha", "Data"),
    "To": ("An", "À", "A", "Para", "Aan"),
    "Cc": ("Cc", "Kopie"),
    "Subject": ("Betreff", "Objet", "Asunto", "Onderwerp", "Oggetto", "Assunto"),
}
_IN_ENGLISH = {local.lower(): english for english, names in _LOCAL_FIELDS.items() for local in names}
# The quote markers a line of quoted history opens with. Here and below the runs of spaces are possessive: two runs
# with only an optional mark between them could split a long run of spaces in every way.
_QUOTE_LEAD = r"(?P<lead>(?:[ \t]*+>)*+[ \t]*+)"
_LOCAL_FIELD = re.compile(
    rf"^{_QUOTE_LEAD}(?P<stars>\**+)[ \t]*+(?P<key>{'|'.join(sorted(map(re.escape, _IN_ENGLISH), key=len, reverse=True))})"
    r"[ \u00a0\u202f]*+(?P<after>\**+)[ \u00a0\u202f]*+:", re.I)
# Outlook's line above a quoted message: '-----Ursprüngliche Nachricht-----' and the like.
_LOCAL_ORIGINAL = re.compile(rf"^{_QUOTE_LEAD}-{{2,}} ?(?:Ursprüngliche Nachricht|Message d['’]origine|Mensaje original|"
                             r"Oorspronkelijk bericht|Messaggio originale|Mensagem original) ?-{2,}[ \t]*$", re.I)
# An attribution line (Gmail, Apple Mail, Thunderbird). German and Dutch put the verb before the sender: 'Am <date> schrieb
# <who>:', 'Op <date> schreef <who>:', Apple's 'Op <date> heeft <who> het volgende geschreven:'. French, Spanish, Italian
# and Portuguese after it: 'Le <date>, <who> a écrit :', 'El <date>, <who> (<addr>) escribió:', 'Il giorno <date> <who> ha
# scritto:', 'Em <date>, <who> escreveu:'.
_WROTE_OPENING = re.compile(r"(?:Am|Op|Le|El|Il|In data|Em)\s")
_WROTE_BEFORE = re.compile(r"(?:Am|Op)\s(?P<date>[^\n]{1,120}?)\s(?:schrieb|schreef|heeft)\s(?P<who>[^\n]{1,200}?)"
                           r"(?:\shet volgende geschreven)?\s?:")
_WROTE_AFTER = re.compile(r"(?:Le|El|Il giorno|Il|In data|Em)\s(?P<rest>[^\n]{1,300}?)\s(?:a\s[ée]crit|escribió|ha scritto|"
                          r"escreveu)\s?:")
_LONGEST_WROTE = 330  # characters of an attribution line, wrapped over two lines or not, at most
_PAREN_ADDRESS = re.compile(r"\(\s*<?\s*(?P<addr>[^<>()\s@]+@[^<>()\s]+?)\s*>?\s*\)")  # Spanish Gmail's '(<sam@x>)'
_BLOCK_LINES = 12  # lines of a header block, wrapped recipients and all, at most
_MONTHS = {name: number for number, names in enumerate((
    "jan janv janvier januar janner januari enero ene gennaio gen janeiro january",
    "feb febr fev fevr fevrier februar februari febrero febbraio fevereiro february",
    "mar mars marz mrz maerz maart mrt marzo marco march",
    "apr avr avril april abr abril aprile",
    "mai may mei mayo mag maggio maio",
    "jun juin juni junio giu giugno junho june",
    "jul juil juillet juli julio lug luglio julho july",
    "aug aou aout augustus ago agosto august",
    "sep sept septembre september septiembre set sett settembre setembro",
    "oct octobre okt oktober octubre ott ottobre out outubro october",
    "nov novembre november noviembre novembro",
    "dec decembre dez dezember december dic diciembre dicembre dezembro"), 1) for name in names.split()}
_DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})\.?\s+(?:de\s+)?(?P<month>[^\W\d_]{3,10})\.?,?\s+(?:de\s+)?(?P<year>\d{4})\b")
_DAY_MONTH_YEAR_DIGITS = re.compile(r"\b(?P<day>\d{1,2})[./-](?P<month>\d{1,2})[./-](?P<year>\d{4}|\d{2})\b")
_CLOCK = re.compile(r"\b(?P<hour>\d{1,2})[:h](?P<minute>\d{2})\b(?::\d{2})?(?:\s?(?P<half>[ap])\.?\s?m\b\.?)?")


def _local_date(text: str) -> str | None:
    """A date as German, French, Spanish, Dutch, Italian and Portuguese clients write it, day first ('Montag, 3. März
    2025 19:47', 'mié, 5 mar 2025 a las 9:40', '03.03.25 um 19:47'), as 'YYYY-MM-DD HH:MM'; None when none is found."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))
    found = next((m for m in _DAY_MONTH_YEAR.finditer(folded) if m["month"] in _MONTHS), None)
    if found:
        day, month, year = int(found["day"]), _MONTHS[found["month"]], int(found["year"])
    elif found := _DAY_MONTH_YEAR_DIGITS.search(folded):
        day, month, year = int(found["day"]), int(found["month"]), int(found["year"])
        year += 2000 if year < 100 else 0
    else:
        return None
    clock = _CLOCK.search(folded)
    hour, minute = (int(clock["hour"]), int(clock["minute"])) if clock else (0, 0)
    if clock and clock["half"]:
        hour = hour % 12 + (12 if clock["half"] == "p" else 0)
    try:
        when = datetime(year, month, day, hour, minute)
    except ValueError:
        return None
    return f"{when:%Y-%m-%d %H:%M}" if clock else f"{when:%Y-%m-%d}"


def _english_headers(text: str) -> str:
    """`text` with the headers of its quoted messages in German, French, Spanish, Dutch, Italian or Portuguese written as
    English ones: 'Von:' as 'From:', '-----Ursprüngliche Nachricht-----' as '-----Original Message-----', 'Am <date>
    schrieb <who>:' as 'On <date>, <who> wrote:', each date as 'YYYY-MM-DD HH:MM'. The rest of this module reads English
    ones, so these messages split and go to their authors as English ones do."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        field = _LOCAL_FIELD.match(line)
        if field and _IN_ENGLISH[field["key"].lower()] == "From":
            block = _header_block(lines, i)
            if block:
                out += block
                i += len(block)
                continue
        original = _LOCAL_ORIGINAL.match(line)
        if original:
            out.append(f"{original['lead']}-----Original Message-----")
            i += 1
            continue
        lead = line[:len(line) - len(line.lstrip(" \t>"))]  # what _QUOTE_LEAD matches
        if _WROTE_OPENING.match(line, len(lead)):
            attribution = _english_attribution(lines, i, lead)
            if attribution:
                out.append(attribution[0])
                i += attribution[1]
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _header_block(lines: list[str], start: int) -> list[str]:
    """The localised header block opening at `lines[start]` written in English (as many lines as it has); [] when the
    lines there are no header block (which has a date field and a recipient or subject field before an empty line)."""
    end = start + 1
    while end < min(len(lines), start + _BLOCK_LINES) and _QUOTE.sub("", lines[end]).strip():
        end += 1
    fields = [_LOCAL_FIELD.match(line) for line in lines[start:end]]
    named = {_IN_ENGLISH[f["key"].lower()] for f in fields[1:] if f}
    if not (named & {"Sent", "Date"} and named & {"To", "Subject"}):  # a sender's own 'Von: 10 Uhr / Datum: ...'
        return []
    block = []
    for line, field in zip(lines[start:end], fields, strict=True):
        if field:
            english = _IN_ENGLISH[field["key"].lower()]
            value = line[field.end():]
            if english in ("Sent", "Date") and not _RFC_DATE.match(value.strip()):
                value = f" {_local_date(value) or value.strip()}"
            line = f"{field['lead']}{field['stars']}{english}{field['after']}:{value}"
        block.append(line)
    return block


def _english_attribution(lines: list[str], start: int, lead: str) -> tuple[str, int] | None:
    """The localised attribution line at `lines[start]`, wrapped over two lines or not, as 'On <date>, <who> wrote:'
    and the number of lines it takes; None when there is none."""
    first = lines[start][len(lead):].strip()
    candidates = [(first, 1)]
    if start + 1 < len(lines):
        candidates.append((f"{first} {_QUOTE.sub('', lines[start + 1]).strip()}", 2))
    for text, taken in candidates:
        if len(text) > _LONGEST_WROTE:
            break
        before, after = _WROTE_BEFORE.fullmatch(text), _WROTE_AFTER.fullmatch(text)
        if before:
            date, who = before["date"], before["who"]
        elif after:
            rest = _PAREN_ADDRESS.sub(r"<\g<addr>>", after["rest"])
            date, who = _split_wrote(f"On {rest} wrote:")
        else:
            continue
        who = re.sub(r"\s+>", ">", re.sub(r"<\s+", "<", _PAREN_ADDRESS.sub(r"<\g<addr>>", who))).strip()
        if who and re.search(r"\d", date):
            return f"{lead}On {_local_date(date) or date.strip()}, {who} wrote:", taken
    return None


def split_body(body: str) -> list[tuple[str, str]]:
    """Split a body whose quoted headers are in English (see `_english_headers`) into (header, text) fragments, newest
    first; the first header may be ''."""
    text = _GMAIL_PRINT_HEAD.sub(lambda m: f"From: {m.group('name')} <{m.group('addr')}>\nDate: {m.group('date')}", body)
    text = _end_header_blocks(_QUOTE_HIDDEN.sub("", text))
    if _writes_below_quote(text):
        return _split_interleaved(text)
    fragments = []
    for i, (headers, content) in enumerate(_replies(text)):
        if headers and content.startswith(headers):
            content = content[len(headers):]
        if i == 0 and not headers:
            # The sender's own message: '>' lines in it quote someone no line names, not the sender.
            lines = content.split("\n")
            quoted = "\n".join(ln for ln in lines if _QUOTED_LINE.match(ln))
            own = _strip_signature(_tidy("\n".join(ln for ln in lines if not _QUOTED_LINE.match(ln))))
            if quoted.strip() and own:
                fragments.append(("", own))
                fragments.append(("", _strip_signature(_tidy(_QUOTE.sub("", quoted)))))  # no header: no author
                continue
        content = _strip_signature(_tidy(_QUOTE.sub("", content)))
        if content or not headers:
            fragments.append((headers, content))
    return fragments


_LONG_LINE = 1000  # characters; no header line or attribution line is anywhere near this long
_LONG_ATTRIBUTION = 300  # ... and no 'On ..., Sam <sam@x.com> wrote:' line this long
_LONG_LINE_HEAD = 200  # characters of a longer line that the reply parser sees
_BLANK_RUN = 3  # blank lines in a row that the reply parser sees; none of its patterns spans more
_ON = re.compile(r"(?:> ?)*on(?:\s|$)", re.I)  # how its 'On ... wrote:' pattern starts (case aside, as it reads)


def _replies(text: str) -> list[tuple[str, str]]:
    """mail-parser-reply's (headers, content) for each part of `text`, newest first.

    Its patterns take time that grows with the square of a line's length (its 'On ... wrote:' pattern tries every
    way to split a line that starts 'On ' and never ends 'wrote:': minutes for 100 KB) and of a run of blank lines.
    So it reads the text as it would (each line stripped), but with each line longer than `_LONG_LINE` (or than
    `_LONG_ATTRIBUTION` when that pattern would start on it or on the bare 'On' line above it) cut to its first
    `_LONG_LINE_HEAD` characters and a placeholder, which no pattern of its takes for an attribution or separator
    line, and with runs of blank lines cut to `_BLANK_RUN`, which changes none of its splits (the content is tidied,
    which collapses them anyway); what it returns has the placeholders replaced by the rest of their lines.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    mark = next(chr(c) for c in itertools.count(0xE000) if chr(c) not in text)  # a private-use character not in it
    tails: dict[str, str] = {}  # placeholder -> the rest of its line
    placeholders: dict[str, str] = {}
    kept: list[str] = []
    blank, above = 0, ""
    for line in lines:
        blank = blank + 1 if not line else 0
        if blank > _BLANK_RUN:
            continue
        on = _ON.match(line) or _ON.fullmatch(above)
        above = line
        if len(line) > (_LONG_ATTRIBUTION if on else _LONG_LINE):
            tail = line[_LONG_LINE_HEAD:]
            if tail not in placeholders:  # the same line twice is the same text to the parser
                placeholders[tail] = f"{mark}{len(placeholders)}{mark}"
                tails[placeholders[tail]] = tail
            line = line[:_LONG_LINE_HEAD] + placeholders[tail]
        kept.append(line)
    if len(kept) == len(lines) and not tails:
        return [(r.headers, r.content) for r in _REPLY_PARSER.read(text).replies]
    placeholder = re.compile(rf"{re.escape(mark)}\d+{re.escape(mark)}")

    def restore(part: str) -> str:
        return placeholder.sub(lambda m: tails[m.group()], part).strip()

    return [(restore(r.headers), restore(r.content)) for r in _REPLY_PARSER.read("\n".join(kept)).replies]


_QUOTE_HIDDEN = re.compile(r"^[ \t]*\[Quoted text hidden\][ \t]*$", re.M)  # Gmail's "Print all" marker, not text
def _end_header_blocks(text: str) -> str:
    """A blank line after each From/Sent/To/Subject block that runs straight into its message (Gmail's "Print
    all", some Outlook pastes): the reply parser takes a block to its first blank line, and the message's first
    line would be read as a header and lost. A block starts at a `From:` line."""
    out: list[str] = []
    in_block = False
    for line in text.split("\n"):
        field = _FIELD.match(line)
        if in_block and line.strip() and not field:
            out.append("")
        in_block = field is not None and (in_block or field.group("key").lower() == "from")
        out.append(line)
    return "\n".join(out)


_QUOTED_LINE = re.compile(r"^[ \t]*>(?!>*From )")  # ">From " is mbox escaping, not a quote
_WORD = re.compile(r"[^\W\d_]{2}")
_SNIP = re.compile(r"^\s*[<\[(]?\s*(?:snip|snipped|\.\.\.|…)\s*[>\])]?\s*$", re.I)
_UNQUOTED_HISTORY = re.compile(r"^[* ]*(?:From[* ]*:|-+ ?Original Message ?-+)", re.I | re.M)
# "On <date>, Sam <sam@x> wrote:", "At 11:49 02/09/2002, Sam wrote:", "sam@x writes:", "Sam O'Neil wrote:",
# "Sam Patel (Acme) wrote:"; not "Here's what the client said:".
_ATTRIBUTION = re.compile(
    rf"^(?P<who>On\s.{{1,200}}?|{_AT_TIME}.{{0,200}}?|[^\n]{{0,120}}?@[^\n]{{0,120}}?"
    r"|(?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*(?:\s+\([^()\n]{1,40}\))?)"
    rf"\s+{_WROTE}\s*:\s*$"
)
_GROUP_PREFIX = re.compile(r"^-+\s*In\s+[^,\s]+,\s*")  # Yahoo Groups: '--- In list@y..., "Sam" <s@x> wrote:'


def _writes_below_quote(text: str) -> bool:
    """Whether the sender wrote under quoted lines (bottom-posting or inline answers).

    mail-parser-reply reads top-posted replies; under a quote it would credit the sender's own
    words to the quoted author, or the quoted words to the sender. A list footer or signature
    under the quote does not count.
    """
    lines = text.split("\n")
    last = max((i for i, ln in enumerate(lines) if _QUOTED_LINE.match(ln)), default=None)
    if last is None or _UNQUOTED_HISTORY.search(text):
        return False  # Outlook-style history ("From: ... Sent: ...") is mail-parser-reply's to split
    return bool(_strip_signature(_tidy("\n".join(lines[last + 1:])), opens_message=False))


def _split_interleaved(text: str) -> list[tuple[str, str]]:
    """(header, text) fragments of a reply written under or between quotes, newest first.

    The sender's own lines are the first fragment. Quoted lines lose one level of `>` and go
    to the author named by the attribution line above them ("On ..., Sam <sam@x> wrote:",
    "Sam wrote:"); quote blocks with no attribution of their own continue the one before. Each
    author's quoted text is split again, so quotes inside quotes reach their own authors.
    """
    own: list[str] = []
    quoted: dict[str, list[str]] = {}
    header = ""
    in_quote = False
    for line in text.split("\n"):
        if _QUOTED_LINE.match(line):
            if not in_quote:
                header = _take_attribution(own) or header
                quoted.setdefault(header, []).append("")
            quoted[header].append(re.sub(r"^[ \t]*> ?", "", line))
            in_quote = True
        else:
            own.append(line)
            in_quote = False
    fragments = [("", _strip_signature(_tidy("\n".join(own))))]
    for head, lines in quoted.items():
        body = _tidy("\n".join(lines))
        if not head:
            # Outlook quoted with ">": the quote opens with the author's own "From:" line.
            first = _FIELD.match(body)
            if first and first.group("key").lower() == "from":
                head, body = first.group(0), body[first.end():]
        inner = split_body(body)
        if inner and not inner[0][0]:
            inner[0] = (head, inner[0][1])
        fragments += [(h, t) for h, t in inner if t]
    return fragments


def _take_attribution(own: list[str]) -> str:
    """Pop the attribution line(s) that end `own` ('... wrote:', wrapped over up to two lines),
    looking past blank lines and snip marks."""
    kept: list[str] = []
    while own and (not own[-1].strip() or _SNIP.match(own[-1])):
        kept.append(own.pop())
    for n in (2, 1):
        if len(own) >= n:
            line = " ".join(ln.strip() for ln in own[-n:])
            if _ATTRIBUTION.match(line) and (n == 1 or line.startswith("On ")):
                del own[-n:]
                own += kept[::-1]
                return line
    own += kept[::-1]
    return ""


def _recipients(header: str, fields: tuple[str, ...] = ("to",)) -> list[tuple[str, str]]:
    """The recipients a header block's To line (and the other `fields`, such as cc) names, in order (none for
    an 'On ... wrote:' line)."""
    found: list[tuple[str, str]] = []
    for fm in _FIELD.finditer(_QUOTE.sub("", header)):
        if fm.group("key").lower() in fields:
            value = fm.group("value")
            if "<" in value:  # 'Patel, Sam <sam@...>; Lee, Ann <ann@...>': a comma may sit inside a name
                found += [_who(f"{name.strip(' ,;')} <{addr}>") for name, addr in _NAME_ADDR.findall(value)]
            else:
                found += [_who(part) for part in re.split(r"[;,]" if "@" in value else ";", value) if part.strip()]
    return found


_GREETING = re.compile(r"^(?:(?:hi|hello|hey|hiya|dear|morning|good (?:morning|afternoon|evening))\b[ ,]*)?"
                       r"(?P<who>[^\W\d_][\w.' -]{0,60}?)\s*[,!:]?$", re.I)
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof"})
_NAME_LINE = re.compile(r"[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’.-]*){0,3}")  # 'Sam', 'Sam Patel'


def _names(text: str, people: list[str]) -> set[str]:
    """The people a short text names: by full name, first name, or title and surname ('Ms Reyes')."""
    words = [w for w in re.split(r"[^\w'’-]+", text.lower()) if w]
    found = set()
    for person in people:
        parts = person.lower().split()
        if words == parts or words == parts[:1] or (len(words) == 2 and words[0] in _TITLES and words[1] == parts[-1]):
            found.add(person)
    return found


def _thread_people(headers: list[str]) -> tuple[SpeakerRegistry, list[str]]:
    """The people a pasted thread's quoted headers name (senders and To and Cc recipients), one name each."""
    registry = SpeakerRegistry()
    sightings = []
    for header in headers:
        name, addr, _, _ = _parse_header_block(header)
        sightings += [(name, addr), *_recipients(header, ("to", "cc"))]
    for name, addr in sightings:
        registry.add(name, addr)
    people = sorted({who for name, addr in sightings if "@" not in (who := registry.resolve(name, addr)) and who})
    return registry, people


def _top_lines(top: str, people: list[str]) -> tuple[set[str], set[str], list[str]]:
    """Who a top message greets, who its sign-off names (a line holding only a name, below its last
    sentence), and its sign-off lines."""
    lines = [ln.strip() for ln in _tidy(top).split("\n") if ln.strip()]
    if not lines:
        return set(), set(), []
    greeting = _GREETING.match(lines[0])
    greeted = _names(greeting.group("who"), people) if greeting else set()
    last_sentence = max((i for i, ln in enumerate(lines) if ln.endswith((".", "!", "?"))), default=0)
    sign_off = [ln.lstrip("-–— ") for ln in lines[max(1, last_sentence + 1):][-8:]]
    return greeted, set().union(*(_names(ln, people) for ln in sign_off)), sign_off


def _top_author(top: str, headers: list[str], recipient: tuple[str, str]) -> tuple[str, str]:
    """Who wrote the top message of a pasted thread that has no header of its own, when the thread makes it clear.

    The participants are the senders and To and Cc recipients its quoted headers name. The top
    message is a participant's when its sign-off names exactly one of them, who is not the one it
    greets; else it is `recipient`'s, the first To: of the message below it, to which it replies;
    else, in a two-person thread, when it greets the author of the message right below it ('Hi
    Chloe,' above 'On ..., Chloe wrote:') and is signed with no other name, the other person wrote
    it. Anything less clear is ('', ''), read as `Unknown sender`; a self follow-up ('just bumping
    this') sits above its writer's own message, so who is quoted alone says nothing.
    """
    registry, people = _thread_people(headers)
    greeted, signed, sign_off = _top_lines(top, people)
    if len(signed) == 1 and signed != greeted:
        who = next(iter(signed))
        return who, registry.addresses().get(who, "")
    if recipient[0] or recipient[1]:
        return recipient
    if not people:
        return "", ""
    first = registry.resolve(*_parse_header_block(headers[0])[:2])
    # A name the thread does not know ('Sam') may be a third person's.
    named = any(_NAME_LINE.fullmatch(ln) and not _SIGNOFF.match(ln) for ln in sign_off)
    if signed or named or len(people) != 2 or greeted != {first}:
        return "", ""
    who = next(p for p in people if p != first)
    return who, registry.addresses().get(who, "")


def _messages_from_body(body: str, name: str, addr: str, sent: datetime | None, subject: str = "") -> list[MailMessage]:
    """The message itself plus every earlier message found in its quoted history, oldest first; `body`'s quoted
    headers are in English (`_english_headers`), as its callers give it."""
    out: list[MailMessage] = []
    fragments = split_body(body)
    for i, (header, text) in enumerate(fragments):
        if i == 0 and not header:
            if not (name or addr) and len(fragments) > 1:
                # A pasted reply with no header of its own: its sign-off, the To line of the message below it,
                # or the thread may show who wrote it.
                cut = body.find(fragments[1][0].split("\n")[0])
                top, headers = body[:cut] if cut > 0 else text, [h for h, _ in fragments[1:] if h]
                name, addr = _top_author(top, headers, (_recipients(fragments[1][0]) or [("", "")])[0])
            out.append(MailMessage(name, addr, sent, text, recovered=False, subject=subject))
            continue
        h_name, h_addr, h_date, h_subject = _parse_header_block(header)
        if i == 0 and not (h_name or h_addr):
            h_name, h_addr, h_date, h_subject = name, addr, sent, h_subject or subject
        out.append(MailMessage(h_name, h_addr, h_date, text, recovered=i > 0 or not (name or addr), subject=h_subject))
    return out[::-1]


_MAX_HEADER = 16_000  # characters of a header's raw value that are read; no real header comes near it
_ADDRESS_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to", "resent-cc",
                              "resent-bcc", "resent-sender"})


class _BoundedPolicy(email.policy.EmailPolicy):
    """`email.policy.default` with each header's raw value cut to `_MAX_HEADER` characters as it is read.

    The standard library's header parser takes time and memory that grow with the square of a header's length
    (a Subject of 50,000 encoded words, 1 MB, took over 7 GB). A longer header keeps its first whole words, or
    for an address header its first whole addresses: what a reader would see of it.
    """

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        if len(value) > _MAX_HEADER:
            head = value[:_MAX_HEADER + 1]
            cut = head.rfind(",") if name.strip().lower() in _ADDRESS_HEADERS else max(map(head.rfind, " \t\n"))
            value = (head[:cut] if cut > 0 else head[:_MAX_HEADER]).rstrip()
        return name, value


_POLICY = _BoundedPolicy()


def _msg_from_bytes(data: bytes) -> Message:
    return email.message_from_bytes(data, policy=_POLICY)


def _messages_from_mime(msg: Message) -> list[MailMessage]:
    name, addr = _who(_header(msg, "From"))
    sent = _date(_header(msg, "Date"))
    return _messages_from_body(_english_headers(message_body(msg)), name, addr, sent, _header(msg, "Subject"))


# --------------------------------------------------------------------------- threads


def _sort_key(sent: datetime, local: tzinfo) -> float:
    """Seconds since the epoch; a date without a zone (quoted headers) is in the thread's zone."""
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=local)
    return sent.timestamp()


# What clients put before a reply's or a forward's subject: Re:, AW:, SV:, VS:, YNT:, Fwd:, WG:, Doorst:, ENC:, RE[2]: ...
_REPLY_WORD = r"(?:re|aw|sv|vs|antw|rif|res|odp|ynt|r)(?:\[\d+\]|\^\d+)?\s*:"
_FORWARD_WORD = r"(?:fw|fwd|wg|tr|rv|doorst|enc)(?:\[\d+\]|\^\d+)?\s*:"
_REPLY_PREFIX = re.compile(rf"^(?:(?:{_REPLY_WORD}|{_FORWARD_WORD})\s*)+", re.I)
_IS_REPLY = re.compile(rf"^(?:\[[^\]]*\]\s*)*{_REPLY_WORD}", re.I)  # also after a list's tag: "[ILUG] Re:"


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _strip_sender_block(body: str, speaker: str, address: str) -> str:
    """Drop the sender's typed name or signature block at the end of a message.

    A line near the end that starts with the sender's full name ('Sam Patel', 'Sam Patel |
    Consultant') or is only their first name or initials ('Sam', '- SP') starts a signature:
    it and everything below it go. The line must start a block (after a blank line, a short
    line such as a sign-off, or the end of a sentence), so a hard-wrapped sentence that happens
    to continue with the sender's name stays.
    """
    lines = body.rstrip().split("\n")
    if len(lines) < 2:
        return body
    parts = {w.lower() for w in re.split(r"[\W_]+", speaker) if w}
    parts |= {w.lower() for w in re.split(r"[\W_]+", address.split("@")[0]) if w}
    initials = "".join(w[0] for w in speaker.split() if w).lower()
    full = speaker.lower()
    for i in range(len(lines) - 1, max(0, len(lines) - 14), -1):
        line = lines[i].strip()
        low = line.lower().lstrip("-–— ").rstrip(".")
        words = [w.rstrip(".,") for w in low.split()]
        is_name = bool(words) and len(words) <= 4 and all(
            w in parts or (len(w) <= 2 and w[:1] in initials) or w == initials for w in words)
        starts_full = len(full.split()) >= 2 and low.startswith(full) and len(line) <= 120
        before = lines[i - 1].strip()
        starts_block = not before or len(before) < 40 or before.endswith((".", "!", "?", ","))
        if (is_name or starts_full) and starts_block:
            return _tidy("\n".join(lines[:i]))
    return body


def _part_of(body: str, whole: str) -> bool:
    """Whether every paragraph of `body` appears in `whole` (already normalised)."""
    parts = [p for p in (_norm(par) for par in re.split(r"\n\s*\n", body)) if p]
    return bool(parts) and all(p in whole for p in parts)


def _participants(msg: Message) -> list[tuple[str, str]]:
    """(name, address) of everyone a message names in From, To and Cc."""
    return [(n, a) for n, a in getaddresses([_header(msg, k) for k in ("From", "To", "Cc")]) if a]


def _thread(messages: list[MailMessage], path: str | Path | None, fmt: str, subject: str,
            known: list[tuple[str, str]] | None = None) -> Conversation:
    """Deduplicate messages, order them by date, give each sender one identity and open the
    thread with its subject."""
    registry = SpeakerRegistry()
    for name, addr in known or []:
        registry.add(name, addr, sender=False)
    for m in messages:
        registry.add(m.name, m.address)
    for m in messages:
        m.body = _strip_sender_block(m.body, registry.resolve(m.name, m.address), m.address)
    unique: list[MailMessage] = []
    seen: dict[tuple[str, str], int] = {}
    for m in messages:
        if not m.body.strip():
            continue
        key = (registry.resolve(m.name, m.address), _norm(m.body)[:300])
        if key in seen:
            j = seen[key]
            if unique[j].recovered and not m.recovered:
                unique[j] = m
            continue
        seen[key] = len(unique)
        unique.append(m)
    # A quote answered piece by piece is part of a message the thread already holds in full
    # (from the same author, or from anyone when the quote names none).
    held = [(registry.resolve(m.name, m.address), _norm(m.body)) for m in unique if not m.recovered]

    def repeats(m: MailMessage) -> bool:
        author = registry.resolve(m.name, m.address) if m.name or m.address else None
        return any(author in (None, who) and _part_of(m.body, whole) for who, whole in held)

    unique = [m for m in unique if not (m.recovered and repeats(m))]
    # Undated messages keep their place after the message before them.
    local = next((m.sent.tzinfo for m in unique if m.sent is not None and m.sent.tzinfo is not None), UTC)
    keys, last = [], float("-inf")
    for m in unique:
        last = _sort_key(m.sent, local) if m.sent is not None else last + 1e-3
        keys.append(last)
    unique = [m for _, _, m in sorted(zip(keys, range(len(unique)), unique, strict=True))]
    # The subject is the first thing a reader reads; it belongs to the thread's first message
    # when that message is its origin: a new subject, or a reply whose original was recovered.
    # A first message whose own Subject line says it is a reply (its original is not in the
    # file: an Outlook quote's "Subject: RE: ...") did not write it.
    subject = subject.strip()
    title = _REPLY_PREFIX.sub("", subject)
    started = bool(unique) and not _IS_REPLY.match(unique[0].subject.strip()) and (title == subject or len(unique) > 1)
    if title and started and not _norm(unique[0].body).startswith(_norm(title)):
        unique[0].body = f"{title}\n\n{unique[0].body}"
    segments = [
        Segment(registry.resolve(m.name, m.address) or UNKNOWN_SENDER, m.body, sent=m.sent,
                metadata={"recovered_from_quote": True} if m.recovered else {})
        for m in unique
    ]
    speakers = {seg.speaker for seg in segments}
    meta: dict[str, object] = {"addresses": {k: v for k, v in registry.addresses().items() if k in speakers}}
    if title:
        meta["subject"] = title
    return build_conversation(segments, channel="email", path=path, fmt=fmt, merge=False, metadata=meta)


def read_eml(data: bytes, path: str | Path | None = None) -> Conversation:
    """One RFC 822 message (a leading mbox `From ` line is fine); quoted history becomes earlier turns."""
    if not data.strip():
        raise ReadError(path, "empty file")
    msg = _msg_from_bytes(data)
    if not (_header(msg, "From") or _header(msg, "Subject") or _header(msg, "Date")):
        raise ReadError(path, "not an email: no From, Subject or Date header")
    messages = _messages_from_mime(msg)
    if not any(_WORD.search(m.body) for m in messages):
        if any(_is_tnef(part) for part in msg.walk()):
            raise ReadError(path, "the message's text is in a winmail.dat (application/ms-tnef) attachment, which is not "
                                  "read: open the message in Outlook, which reads it, and save it as .eml from there")
        subject = _header(msg, "Subject").strip()
        if not subject:
            raise ReadError(path, "email has no readable text body and no subject")
        # An image-only or iframe-only message (at most a tracking pixel's alt letter), or a forward with nothing but
        # the forwarded headers, still says something: its subject, from its sender.
        name, addr = _who(_header(msg, "From"))
        messages = [MailMessage(name, addr, _date(_header(msg, "Date")), subject)]
        msg_meta = {"body": "no readable text; the subject stands in for it"}
    else:
        msg_meta = {}
    conv = _thread(messages, path, "eml", _header(msg, "Subject"), _participants(msg))
    conv.metadata.update(msg_meta)
    return conv


def _is_tnef(part: Message) -> bool:
    """Whether a MIME part is Outlook's TNEF encapsulation of a message (winmail.dat), which holds its body."""
    return part.get_content_type() == "application/ms-tnef" or (part.get_filename() or "").lower() == "winmail.dat"


_OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")  # how a Compound File starts: an Outlook .msg item, or an old Word or Excel file
_MSG_STREAM = "__substg1.0_".encode("utf-16-le")  # the name of an Outlook item's property streams


def is_outlook_msg(data: bytes, path: str | Path | None = None) -> bool:
    """Whether `data` is an Outlook .msg file: a Compound File holding an Outlook item's streams, or named .msg."""
    return data.startswith(_OLE2) and (_MSG_STREAM in data or Path(path or "").suffix.lower() == ".msg")


def split_mbox(data: bytes) -> list[bytes]:
    """Split an mbox file at its `From ` separator lines."""
    starts = [m.start() for m in _MBOX_FROM.finditer(data) if m.start() == 0 or data[m.start() - 1:m.start()] == b"\n"]
    if not starts:
        return [data]
    return [data[a:b] for a, b in itertools.pairwise([*starts, len(data)])]


_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# A subject's reply and forward prefixes and list tags ("Re: [ILUG] Fwd: x" -> "x"), for threading.
_SUBJECT_NOISE = re.compile(rf"^(?:\s*(?:\[[^\]]*\]|{_REPLY_WORD}|{_FORWARD_WORD}))+", re.I)


def _thread_subject(subject: str) -> str:
    return " ".join(_SUBJECT_NOISE.sub("", subject).lower().split())


def _thread_groups(mails: list[Message]) -> list[list[int]]:
    """The messages of each thread in an mbox (indices in file order), threads in file order.

    Messages are joined by the threading headers: a message joins the messages its In-Reply-To
    and References name, whatever names its own Message-ID, and Gmail's messages of the same
    X-GM-THRID; chains of these are one thread. A reply with no such link at all (its subject
    starts Re:, AW: and the like; no In-Reply-To, References or X-GM-THRID, and named by no other
    message) joins the thread of the first message with the same subject (reply and forward
    prefixes and list tags aside), preferring a linked one; any other message without links is a
    thread of its own.
    """
    parent = list(range(len(mails)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = sorted((root(i), root(j)))
        parent[b] = a

    owner: dict[str, int] = {}  # a Message-ID or Gmail thread id -> the first message naming it
    own_ids, linked, named = [], [], set()
    for i, msg in enumerate(mails):
        own = _MESSAGE_ID.findall(_header(msg, "Message-ID"))[:1]
        refs = _MESSAGE_ID.findall(_header(msg, "In-Reply-To") + " " + _header(msg, "References"))
        gmail = _header(msg, "X-GM-THRID").strip()
        own_ids.append(own)
        linked.append(bool(refs or gmail))
        named.update(refs)
        for key in [*own, *refs, *([f"X-GM-THRID {gmail}"] if gmail else [])]:
            join(owner.setdefault(key, i), i)
    linked = [was or any(k in named for k in own) for was, own in zip(linked, own_ids, strict=True)]
    raw = [_header(msg, "Subject") for msg in mails]
    subjects = [_thread_subject(r) for r in raw]
    anchor: dict[str, int] = {}
    for i in sorted(range(len(mails)), key=lambda i: not linked[i]):  # linked messages first, else file order
        anchor.setdefault(subjects[i], i)
    for i, subject in enumerate(subjects):
        # Only a reply joins by subject: a new message may reuse a subject ('Quick question'), and no subject
        # says nothing of a thread.
        if not linked[i] and subject and _IS_REPLY.match(raw[i].strip()):
            join(anchor[subject], i)
    groups: dict[int, list[int]] = {}
    for i in range(len(mails)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def read_mbox(data: bytes, path: str | Path | None = None) -> list[Conversation]:
    """An mbox: one conversation per thread (see `_thread_groups`), every message a turn, in date order.

    A single thread is named after the file, like any other file; several are `<name>-1`,
    `<name>-2`... in the order of their first messages' dates, as a Gmail Takeout export of a
    label holds many threads. A thread of messages with no text is left out, as an empty message
    in a thread is.
    """
    mails = [msg for msg in (_msg_from_bytes(re.sub(rb"^>From ", b"From ", chunk, flags=re.M))
                             for chunk in split_mbox(data)) if _header(msg, "From")]
    if not mails:
        raise ReadError(path, "not an mbox: no messages with a From header")
    threads = []
    for group in _thread_groups(mails):
        messages = [m for i in group for m in _messages_from_mime(mails[i])]
        sent = [_sort_key(d, UTC) for i in group if (d := _date(_header(mails[i], "Date"))) is not None]
        threads.append((min(sent, default=float("inf")), group[0], [mails[i] for i in group], messages))
    threads = [t for t in threads if any(m.body.strip() for m in t[3])] or threads
    conversations = []
    for _, _, group_mails, messages in sorted(threads, key=lambda t: t[:2]):
        subject = next((s for msg in group_mails if (s := _header(msg, "Subject"))), "")
        known = [who for msg in group_mails for who in _participants(msg)]
        conversations.append(_thread(messages, path, "mbox", subject, known))
    if len(conversations) > 1:
        for n, conv in enumerate(conversations, 1):
            conv.id = f"{conv.id}-{n}"
    return conversations


def read_pasted(text: str, path: str | Path | None = None) -> Conversation:
    """A thread pasted as text: Outlook From/Sent blocks, Gmail 'On ... wrote:', 'Original Message', in English or as
    German, French, Spanish, Dutch, Italian and Portuguese clients write them."""
    text = _english_headers(_tidy(text))
    subject = ""
    printed = _GMAIL_PRINT_HEAD.search(text)
    if printed and printed.start() > 0:
        # Gmail's "Print all" page: account line, subject, "N messages", then the messages.
        lines = [ln.strip() for ln in text[:printed.start()].splitlines() if ln.strip()]
        titles = [ln for ln in lines if not ln.startswith("Gmail") and not re.fullmatch(r"\d+ messages?", ln)]
        subject = titles[0] if titles else ""
        text = text[printed.start():]
    title = _TITLE.match(text)
    if title and not subject and _is_title(title.group("title"), text):
        # A lone line above the first header is the thread's title.
        subject = title.group("title").strip()
        text = text[title.end():]
    messages = _messages_from_body(text, "", "", None)
    m = re.search(r"^[* ]*Subject[* ]*:\s*(.+)$", text, re.M | re.I)
    if m and not subject:
        subject = m.group(1).strip()
    if not any(msg.name or msg.address for msg in messages):
        raise ReadError(path, "no email headers found: expected 'From:'/'Sent:' blocks or 'On ... wrote:' lines")
    return _thread(messages, path, "pasted", subject)


def _is_title(line: str, text: str) -> bool:
    """Whether a lone line above a pasted thread's first header is its title rather than a one-line reply
    ('Thanks Ana, Thursday works.'): it is the subject of a message below, or it does not end a sentence."""
    subjects = {_thread_subject(m.group(1)) for m in re.finditer(r"^[* ]*Subject[* ]*:\s*(.+)$", text, re.M | re.I)}
    return _thread_subject(line) in subjects or not line.rstrip().endswith((".", "!", "?"))


def sniff_text(text: str) -> bool:
    """Whether a .txt file is a pasted email thread rather than a call transcript."""
    head = _english_headers(text[:20000])
    outlook = len(re.findall(r"^[* ]*From[* ]*:.+\n(?:.*\n){0,3}?[* ]*(?:Sent|Date)[* ]*:", head, re.M | re.I))
    wrote = len(re.findall(r"^(?:>\s*)*On\s.+wrote:\s*$", head, re.M))
    original = len(re.findall(r"^-{3,}\s*Original Message\s*-{3,}", head, re.M | re.I))
    gmail_print = len(_GMAIL_PRINT_HEAD.findall(head))
    return bool(outlook or wrote or original or gmail_print >= 1)


def sniff_bytes(data: bytes) -> str | None:
    head = data[:4096].lstrip()
    if head.startswith(b"From ") and len(split_mbox(data)) > 1:
        return "mbox"
    lines = head.split(b"\n", 40)
    keys = {ln.split(b":", 1)[0].strip().lower() for ln in lines if b":" in ln[:40]}
    headed = {b"from", b"subject"} <= keys or {b"from", b"date"} <= keys
    if b"mime-version" in keys or b"message-id" in keys or (headed and not sniff_text(head.decode("utf-8", "replace"))):
        return "eml"
    return None

