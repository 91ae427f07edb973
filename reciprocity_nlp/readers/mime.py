"""MIME messages as text: the body a reader reads, from whichever part holds it, and headers and dates.

Parsing is the standard library's, each header cut to a bounded length, and a message attached whole is read decoded
when it was sent in a transfer encoding (`attached_message`). Of the message's own parts (not those of a
message attached to it, see `own_parts`) the text/plain part is preferred, an HTML-only
body is turned into plain text (leaving out text hidden from the reader), a calendar invitation with no text part is read
as what its event says, and a message with none of these as the body of its Outlook winmail.dat. Parts and headers are
decoded in their declared charsets, read as a mail client reads them: a declared Latin-1 or ASCII as Windows-1252, UTF-8
or a legacy CJK or Thai charset when that is what the bytes hold.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import itertools
import re
import warnings
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import datetime
from email.errors import CloseBoundaryNotFoundDefect, HeaderParseError, StartBoundaryNotFoundDefect
from email.header import decode_header
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from dateutil import parser as dateparser

from reciprocity_nlp.readers.encoding import (
    WINDOWS_1252_LABELS,
    as_windows_1252,
    decode_bytes,
    decode_windows_1252,
    legacy_charset,
)
from reciprocity_nlp.readers.tnef import is_tnef, tnef_body

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, NavigableString, Tag

_MAYBE_LEGACY = WINDOWS_1252_LABELS | {"", "iso-8859-15"}  # charsets a CJK or Thai mail is often sent under
# An RFC 2047 encoded word in a charset that is read as Windows-1252: "=?iso-8859-1?q?...".
_WINDOWS_1252_WORD = re.compile(rf"=\?(?:{'|'.join(map(re.escape, WINDOWS_1252_LABELS))})(?:\*[\w-]*)?\?[bq]\?", re.I)
# Encoded words, one or a run of them, in a charset that names none: RFC 1428's 'unknown-8bit', as Python's email
# package writes a header's raw 8-bit bytes again, and old clients' 'x-unknown' and 'unknown'.
_UNKNOWN_WORD = r"=\?(?:unknown-8bit|x-unknown|unknown)(?:\*[\w-]*)?\?[bq]\?[^?\s]*\?="
_UNKNOWN_WORDS = re.compile(rf"{_UNKNOWN_WORD}(?:\s+{_UNKNOWN_WORD})*", re.I)
_BASE64_LINE = re.compile(r"[A-Za-z0-9+/]+={0,2}")
RFC_DATE = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{2,4}\s+\d{1,2}:\d{2}")


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
    (a rule that hides text on small screens only does not hide it from the reader). The `<!--` and `-->` Outlook
    wraps its sheet in go too, as browsers read past them: else they would be part of the first and last selectors."""
    css = _strip_comments(css).replace("<!--", " ").replace("-->", " ")
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


# A selector `_colour_of` reads a colour from: a class alone or a tag's class ('.answer', 'span.answer').
_CLASS_SELECTOR = re.compile(r"([a-z][a-z0-9]*+)?\.(-?[_a-z][-_a-z0-9]*+)", re.I)
_ClassColours = dict[tuple[str, str], tuple[int, str]]  # (tag name, '' for any, class) -> (rule's place, colour)


def _class_colours(soup: Any) -> _ClassColours:
    """The font colours the message's `<style>` rules outside @-blocks give by class ('.answer {color:#C00000}',
    'p.answer, span.answer {...}'), each with its rule's place in the sheets, for answers coloured by a class rather
    than inline. No CSS engine: other selectors ('div .answer', '#answer', 'a:link') are not read."""
    found: _ClassColours = {}
    place = 0
    for style in soup("style"):
        for selectors, declarations in _CSS_RULE.findall(_top_level_css(style.get_text())):
            colour = None
            for declaration in declarations.split(";"):
                prop, colon, value = declaration.partition(":")
                if colon and prop.strip().lower() == "color":
                    colour = value.lower().replace("!important", "").strip()
            if colour is None:
                continue
            place += 1
            for selector in selectors.split(","):
                if simple := _CLASS_SELECTOR.fullmatch(selector.strip()):
                    found[(simple[1] or "").lower(), simple[2]] = (place, colour)
    return found


# A marked section other than CDATA ('<![if !supportLists]>', or a stray '<![ x'), to its first '>' or the end: what a
# browser reads as a bogus comment.
_BOGUS_SECTION = re.compile(r"<!\[(?!CDATA\[)[^>]*>?")


# A line break written as an open tag. bs4's builder for the standard library's parser keeps every open `<br>` it has
# seen and searches them at each closing tag, so a long mail of many lines took time in their square; `<br/>` is the
# same element, closed where it opens.
_OPEN_BREAK = re.compile(r"<br\s*>", re.IGNORECASE)


def parse_html(html: str) -> BeautifulSoup:
    """`html` parsed by the standard library's parser, its `<br>` written `<br/>` (`_OPEN_BREAK`). That parser refuses a
    marked section with no name ('<![ x'), which a browser reads as a comment; such mail is parsed again without its
    marked sections, as a browser shows it."""
    from bs4 import BeautifulSoup, ParserRejectedMarkup
    html = _OPEN_BREAK.sub("<br/>", html)
    try:
        return BeautifulSoup(html, "html.parser")
    except ParserRejectedMarkup:
        return BeautifulSoup(_BOGUS_SECTION.sub("", html), "html.parser")


def html_to_text(html: str | Tag, colours: bool = False) -> str:
    """HTML email to plain text, keeping paragraphs and turning blockquotes into `> ` quotes. `html` may be a part of a
    page already parsed (a chat message's text), which is then not parsed again (and is changed in place).

    A table row is a line with its cells joined by ` | `, so cells read as words, not glued tokens.
    Text hidden from the reader (see `_hidden_by`) is left out: nobody read it as part of the message.
    With `colours`, each change of font colour in the text (set inline, by `<font color>` or by a class of the message's
    `<style>`: see `_colour_of`) is marked (see `COLOUR_MARK`), for `inline` to find answers written in a colour of
    their own; without the marks the text is what it is without `colours`.
    """
    # Only HTML mail needs bs4: keep it off the start-up path.
    from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction
    soup = parse_html(html) if isinstance(html, str) else html
    _apply_style_rules(soup)
    classes = _class_colours(soup) if colours else {}
    for bad in soup(["script", "style", "meta"]):
        bad.decompose()
    for title in soup("title"):
        # Broken HTML can leave a <title> unclosed around the whole body: drop only real titles.
        if len(title.get_text()) < 300:
            title.decompose()
    out: list[str] = []
    shown = [""]  # the colour of the text written last

    def write(text: str, colour: str | None) -> None:
        """`text`, after a mark of its colour when it changes; the mark goes right before the text's first character
        that is not a space, so no line's edges and no run of spaces and breaks move."""
        words = text.lstrip()
        if colour is not None and words and colour != shown[0]:
            shown[0] = colour
            text = f"{text[:len(text) - len(words)]}{COLOUR_MARK}{colour}{COLOUR_MARK}{words}"
        out.append(text)

    def walk(node: Tag | NavigableString, hiding: frozenset[str] = frozenset(), colour: str | None = None,
             kept: bool = False) -> None:
        if isinstance(node, NavigableString):
            # Comments, <!DOCTYPE ...> and processing instructions are markup, not text.
            if not hiding and not isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
                write(re.sub(r"\s+", " ", str(node)), colour)
            return
        hidden_inside = _hidden_by(node, hiding)
        if hidden_inside is None:
            return
        name = node.name or ""
        kept = kept or name in _COLOUR_KEPT
        if colour is not None and not kept:
            colour = _colour_of(node, colour, classes)
        if name == "br":
            out.append("\n")
            return
        if name in ("td", "th"):
            out.append(_CELL)
        if name == "img":
            alt = (node.get("alt") or "").strip()
            if alt and not hidden_inside:
                write(f" {alt} ", colour)
            return
        block = name in {"p", "div", "table", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                         "ol", "hr", "blockquote", "pre", "section", "article", "header", "footer"}
        if name == "blockquote":
            outer = out[:]
            out.clear()
            for child in node.children:
                walk(child, hidden_inside, colour, kept)
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
            walk(child, hidden_inside, colour, kept)
        if name == "p":
            out.append(_PARAGRAPH)
        elif block:
            out.append(_SOFT_BREAK)

    walk(soup, colour="" if colours else None)
    return _plain("".join(out))


# Marks a change of font colour in `html_to_text(..., colours=True)`: the mark, the colour (see `_colour_key`) and the
# mark again, written before the text that takes it.
COLOUR_MARK = "\ue000"
# A link's and a heading's text, and all inside them, keep the colour around them: a link is blue, a newsletter's
# heading in the brand's colour, whoever wrote them.
_COLOUR_KEPT = frozenset({"a", "h1", "h2", "h3", "h4", "h5", "h6"})
_INK = 0x70  # a grey darker than this in every channel is the text's ink, as black is ('#333', Gmail's rgb(34,34,34))
_NAMED = {"black": "000000", "windowtext": "000000", "white": "ffffff", "red": "ff0000", "darkred": "8b0000",
          "maroon": "800000", "crimson": "dc143c", "orange": "ffa500", "green": "008000", "darkgreen": "006400",
          "blue": "0000ff", "navy": "000080", "darkblue": "00008b", "mediumblue": "0000cd", "royalblue": "4169e1",
          "purple": "800080", "magenta": "ff00ff", "fuchsia": "ff00ff", "teal": "008080", "gray": "808080",
          "grey": "808080"}
_HEX = re.compile(r"#?([0-9a-f]{3}|[0-9a-f]{6})(?:[0-9a-f]{2})?")
_NAME = re.compile(r"[a-z]{1,30}")  # a colour's name that is not in _NAMED ('teal' is, 'olive' not)
_CHANNEL = r"(\d{1,3}(?:\.\d{1,6})?%?)"
_RGB = re.compile(rf"rgba?\(\s*+{_CHANNEL}\s*+,?\s*+{_CHANNEL}\s*+,?\s*+{_CHANNEL}[^)]{{0,20}}\)")  # possessive spaces


def _colour_of(tag: Tag, inherited: str, classes: _ClassColours) -> str:
    """The font colour of the text inside `tag`: its style's `color`, else its classes' (see `_class_colours`), else a
    `<font color>`'s, else `inherited`. `!important` is not weighed."""
    value = (_inline_css(tag).get("color") or _class_colour(tag, classes)
             or (str(tag.get("color") or "") if tag.name == "font" else ""))
    key = _colour_key(value)
    return inherited if key is None else key


def _class_colour(tag: Tag, classes: _ClassColours) -> str:
    """The colour `tag`'s classes give it ('' for none), as a browser picks it: a tag's class ('p.answer') over a
    class alone, else the later rule."""
    if not classes:
        return ""
    found = [(tag_named, *classes[key]) for name in tag.get("class") or ()  # bs4 reads the attribute as a list
             for tag_named, key in ((True, (tag.name or "", name)), (False, ("", name))) if key in classes]
    return max(found)[2] if found else ""


def _colour_key(value: str) -> str | None:
    """A CSS colour as 'rrggbb' ('' for ink: black and the dark greys text is set in), or its lower-case name when it
    is none read here; None when it sets none ('', 'inherit') or is no colour read here ('var(--brand)')."""
    value = value.strip().lower()
    if value in ("", "inherit", "initial", "unset", "currentcolor", "auto"):
        return None
    if value in _NAMED:
        value = _NAMED[value]
    if hexa := _HEX.fullmatch(value):
        digits = hexa[1] if len(hexa[1]) == 6 else "".join(c * 2 for c in hexa[1])
        rgb = [int(digits[i:i + 2], 16) for i in (0, 2, 4)]
    elif rgba := _RGB.fullmatch(value):
        rgb = [round(float(v[:-1]) * 2.55) if v.endswith("%") else round(float(v)) for v in rgba.groups()]
        rgb = [min(255, v) for v in rgb]
    else:
        return value if _NAME.fullmatch(value) else None
    if max(rgb) < _INK and max(rgb) - min(rgb) < 0x20:
        return ""
    return "".join(f"{v:02x}" for v in rgb)


_SOFT_BREAK, _PARAGRAPH, _CELL = "\x01", "\x02", "\x03"
# Both start at the start of a run of spaces (a match found inside one would have been found at its start): tried at
# each space of a long run with no mark after it, they would scan the rest of the run each time.
_BREAKS = re.compile(r"(?<![ \t])[ \t]*[\x01\x02\n][\x01\x02\n \t]*")
_CELLS = re.compile(r"(?<![ \t])[ \t]*\x03[\x03 \t]*")  # a cell's start, with empty cells and spaces around it


def _plain(marked: str) -> str:
    """Text with its cell and block marks turned into separators and line breaks."""
    return tidy(_BREAKS.sub(_join_breaks, _CELLS.sub(_join_cells, marked)))


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


def tidy(text: str) -> str:
    """Text with Unix line breaks, plain spaces for no-break ones, no BOM, its lines stripped of spaces and tabs and
    no more than one empty line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    lines = [ln.strip(" \t") for ln in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


ATTACHED_TYPES = frozenset({"message/rfc822", "message/global"})  # an email attached whole ('Forward as attachment')


def own_parts(msg: Message) -> Iterator[Message]:
    """The message and its parts, depth first, but not what an attached message (`ATTACHED_TYPES`) or any other
    message/* part holds: another message's text, or a bounce's machine-readable status (message/delivery-status).
    Of a report (multipart/report: a bounce, a read receipt) only the first part is the message's own, the notice
    written for a person; the rest is the status and the returned message or its headers (text/rfc822-headers)."""
    yield msg
    if not msg.is_multipart() or msg.get_content_maintype() == "message":
        return
    parts = msg.get_payload()
    if msg.get_content_type() == "multipart/report":
        parts = parts[:1]
    for part in parts:
        yield from own_parts(part)


def attached_parts(msg: Message) -> list[Message]:
    """The parts that attach a message whole to this one (message/rfc822 parts anywhere among its own parts, see
    `own_parts`), in the order they come; `attached_message` gives the message each holds."""
    return [part for part in own_parts(msg) if part.get_content_type() in ATTACHED_TYPES]


UNENCODED = frozenset({"", "7bit", "8bit", "binary"})  # Content-Transfer-Encodings that leave the text as it is


class TransferEncodingError(ValueError):
    """An attached message whose Content-Transfer-Encoding cannot be decoded; the message says why."""


def transfer_encoding(part: Message) -> str:
    """A part's Content-Transfer-Encoding, lower case; '' when it names none."""
    return str(part.get("Content-Transfer-Encoding", "")).strip().lower()


def attached_message(part: Message) -> Message:
    """The message an attached part holds: the one the parser read, or, for one sent in a transfer encoding, which the
    parser keeps as its encoded text (see `_ParsedMessage`), the one that text decodes to. RFC 2046 allows message/rfc822
    only 7bit, 8bit or binary, but some clients send it quoted-printable or base64, and RFC 6532's message/global may
    be either. Under any other label the text as it came is the message when it opens with a message's From, Subject or
    Date (senders write '7-bit', '8bits' or 'none' for no encoding, or a comment after one); else a
    TransferEncodingError, as for base64 that does not decode. A part that holds no message is given as it is."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return payload[0] if payload else part
    encoding = transfer_encoding(part)
    if not isinstance(payload, str) or encoding in UNENCODED:
        return part
    if encoding == "quoted-printable":  # decoded from the bytes it came as: get_payload() gives 8-bit ones as '\ufffd'
        return message_from_bytes(part.get_payload(decode=True))
    if encoding == "base64":
        data = b"".join(payload.encode("utf-8", errors="surrogateescape").split())
        try:
            return message_from_bytes(base64.b64decode(data + b"=" * (-len(data) % 4), validate=True))
        except binascii.Error as exc:
            raise TransferEncodingError(f"its base64 does not decode: {exc}") from exc
    inner = message_from_bytes(part.get_payload(decode=True))  # the bytes it came as, for a label no encoding has
    if decoded_header(inner, "From") or decoded_header(inner, "Subject") or decoded_header(inner, "Date"):
        return inner
    raise TransferEncodingError(f"its transfer encoding {encoding!r} is none the reader decodes "
                                "(quoted-printable, base64; 7bit, 8bit and binary need none)")


def cut_short(msg: Message, data: bytes) -> str | None:
    """How the message's structure shows it was cut short (its file, or its entry in an mbox, ends inside it), or None;
    `data` is what it was parsed from, whose last byte tells whether it ends mid-line (the parser drops the line break
    that ends an unclosed multipart, so its last part cannot tell).

    The end of a message is the end of its last part, and of that part's last part, and so on. A cut leaves two signs
    there, and only two count, as each alone is common in complete mail: a multipart whose closing boundary never
    comes (the parser's CloseBoundaryNotFoundDefect; bulk mailers leave it out of complete mail, 25 of
    SpamAssassin's 800 emails) and, in its last part, text or headers that stop mid-line or base64 that stops mid-way
    (short of a whole group of four characters, the parser's InvalidBase64PaddingDefect or InvalidBase64LengthDefect
    when it decodes; some senders leave an image's padding out of complete mail); or, in a message of one part, base64
    that stops mid-way and mid-line; or a multipart body that stops, mid-line or empty, before its first part
    (StartBoundaryNotFoundDefect). A cut that leaves none of these (at a line's end in text or headers) is not seen.
    """
    part, unclosed = msg, False
    while part.is_multipart():
        if part.get_content_maintype() == "multipart":
            if not any(isinstance(d, CloseBoundaryNotFoundDefect) for d in part.defects):
                return None  # the message went on past this part's end: all inside it came whole
            unclosed = True
        parts = part.get_payload()
        if not parts:
            return None
        part = parts[-1]  # a multipart's last part, or the message an attached one holds
    raw = part.get_payload()
    if not isinstance(raw, str):
        return None
    mid_line = not data.endswith((b"\n", b"\r"))
    if any(isinstance(d, StartBoundaryNotFoundDefect) for d in part.defects):
        return "its multipart body stops before its first part" if mid_line or not raw.strip() else None
    base64_cut = transfer_encoding(part) == "base64" and _is_base64(raw) and len("".join(raw.split())) % 4 != 0
    if unclosed and mid_line:
        if not raw.strip():  # the file ends in the part's headers, where complete mail never ends
            return "its last part stops mid-line in its headers, with no closing boundary after it"
        return f"its {part.get_content_type()} part stops mid-line, with no closing boundary after it"
    if unclosed and base64_cut:
        return f"its {part.get_content_type()} part's base64 stops mid-way, with no closing boundary after it"
    if base64_cut and mid_line:
        return "its base64 body stops mid-way, mid-line"
    return None


def message_html(msg: Message) -> str | None:
    """The message's HTML body (its first text/html part that is no attachment), decoded; None when it has none."""
    for part in own_parts(msg):
        if part.get_content_type() == "text/html" and part.get_content_disposition() != "attachment":
            return _decode_part(part)
    return None


def _text_pieces(msg: Message, ctype: str) -> list[Message]:
    """The parts of type `ctype` that together are a message's text, in order. A client puts the text a file
    interrupts in a part of its own on each side of it (Apple Mail: text/plain, the file, text/plain), all of it the
    sender's message; a file shown inline (a part with a file name: notes.txt) is no part of it, but when every such
    part has a file name the first is the text. A later part is the text only right after a file shown inline: one
    right after the text or after an attachment is what a mailing list or a gateway added (its footer, a disclaimer)."""
    pieces = _parts_of_type(msg, ctype)
    pieces = [part for part in pieces if not part.get_filename()] or pieces[:1]
    leaves = [part for part in own_parts(msg) if not part.is_multipart() or part.get_content_maintype() == "message"]
    after = {id(b): a for a, b in itertools.pairwise(leaves)}
    return pieces[:1] + [part for part in pieces[1:] if id(part) in after and _inline_file(after[id(part)])]


def _inline_file(part: Message) -> bool:
    """Whether a part is a file shown inside the message: no text part of it (a picture, a PDF, notes.txt, an attached
    message), and no attachment."""
    return ((part.get_content_maintype() != "text" or bool(part.get_filename()))
            and part.get_content_disposition() != "attachment")


def _parts_of_type(part: Message, ctype: str) -> list[Message]:
    """The parts of type `ctype` among a message's own (see `own_parts`), in order, of a multipart/alternative's choices
    only the first that holds one, and no attachment."""
    if part.is_multipart() and part.get_content_maintype() != "message":
        parts = part.get_payload()
        if part.get_content_type() == "multipart/report":
            parts = parts[:1]
        if part.get_content_subtype() == "alternative":
            return next((found for child in parts if (found := _parts_of_type(child, ctype))), [])
        return [piece for child in parts for piece in _parts_of_type(child, ctype)]
    return [part] if part.get_content_type() == ctype and part.get_content_disposition() != "attachment" else []


def message_body(msg: Message) -> str:
    """The readable body: text/plain preferred, HTML converted when it is all there is (each the parts that together are
    the text, see `_text_pieces`), else what a calendar invitation or answer says (see `_calendar_text`), else the body
    of Outlook's winmail.dat (see `tnef`), which raises TnefError when it cannot be read."""
    calendar: str | None = None
    winmail: Message | None = None
    for part in own_parts(msg):
        if part.is_multipart() or part.get_content_maintype() == "message":  # another message's text, kept encoded
            continue
        if winmail is None and is_tnef(part):
            winmail = part
        if part.get_content_disposition() == "attachment":
            continue
        if part.get_content_type() == "text/calendar" and calendar is None:
            calendar = _decode_part(part)
    plain = [_decode_part(part) for part in _text_pieces(msg, "text/plain")]
    if any(piece.strip() for piece in plain):
        return tidy("\n\n".join(plain))
    html = [_decode_part(part) for part in _text_pieces(msg, "text/html")]
    if html:
        return tidy("\n\n".join(html_to_text(piece) for piece in html))
    if calendar is not None:
        return tidy(_calendar_text(calendar))
    if winmail is not None:  # the message's own text, beside it, wins
        body = tnef_body(winmail.get_payload(decode=True) or b"")
        return html_to_text(body.text) if body.html else tidy(body.text)
    if not msg.is_multipart() and msg.get_content_maintype() == "text":
        return tidy(_decode_part(msg))
    return ""


# A DESCRIPTION or COMMENT line: its parameters may quote a colon ('ALTREP="cid:..."'), its value starts after them.
_ICAL_TEXT = re.compile(r'^(?P<key>DESCRIPTION|COMMENT)(?=[;:])(?:[^:"\n]++|"[^"\n]*+")*+:(?P<value>.*)$', re.I)
_ICAL_ESCAPE = re.compile(r"\\(.)")
# The block Google Calendar and Zoom add to a description between two '-::~:~::~:...::-' lines (the Meet or Zoom link,
# the dial-in, 'Please do not edit this section.'); an unclosed one runs to the end.
_MEETING_BLOCK = re.compile(r"^-::~[:~]*::-[ \t]*+$.*?(?:^-::~[:~]*::-[ \t]*+$|\Z)", re.M | re.S)


def _calendar_text(ics: str) -> str:
    """What people wrote in an iCalendar invitation or answer: the DESCRIPTION and COMMENT of its events, not their
    reminders (a VALARM's DESCRIPTION) or the rest of the calendar's fields. An answer (METHOD:REPLY) is the
    attendee's only in its COMMENT: a DESCRIPTION there is the organiser's, copied from the invitation."""
    unfolded = re.sub(r"\r?\n[ \t]", "", ics)  # a line that starts with a space or tab continues the one before
    texts: list[str] = []
    inside: list[str] = []
    answer = calendar_method(unfolded) == "REPLY"
    for line in unfolded.splitlines():
        key, _, component = line.partition(":")
        if key.upper() in ("BEGIN", "END"):
            if key.upper() == "BEGIN":
                inside.append(component.strip().upper())
            elif inside:
                inside.pop()
            continue
        field = _ICAL_TEXT.match(line)
        if field and inside and inside[-1] == "VEVENT" and not (answer and field["key"].upper() == "DESCRIPTION"):
            text = _ICAL_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), field["value"])
            texts.append(_MEETING_BLOCK.sub("", text).strip())
    return "\n\n".join(texts)


_ICAL_METHOD = re.compile(r"^METHOD:[ \t]*+(?P<method>[A-Za-z-]++)", re.M)


def calendar_method(ics: str) -> str:
    """An iCalendar text's METHOD (REQUEST for an invitation, REPLY for an answer, CANCEL...), upper case; '' when it
    names none."""
    found = _ICAL_METHOD.search(ics)
    return found["method"].upper() if found else ""


def message_calendar_method(msg: Message) -> str:
    """The METHOD of a message's calendar part (the part's `method` parameter, else its own METHOD line, else PUBLISH,
    a calendar sent for information); '' when the message has no calendar part."""
    for part in own_parts(msg):
        if part.get_content_type() == "text/calendar":
            return str(part.get_param("method") or "").upper() or calendar_method(_decode_part(part)) or "PUBLISH"
    return ""


def decoded_header(msg: Message, key: str) -> str:
    """A header's decoded text ('' when it is missing or unparseable)."""
    try:
        value = msg.get(key)
    except (ValueError, IndexError, TypeError):
        value = None
    if value is None:
        return ""
    raw = next((v for k, v in msg.raw_items() if k.lower() == key.lower()), "")
    if _RAW_8BIT.search(raw):
        # 8-bit bytes sent as they are, against the standard (old clients): the parser can only show them as '�'.
        return " ".join(_undeclared_text(raw.encode("utf-8", "surrogateescape")).split())
    if _UNKNOWN_WORDS.search(raw):  # the parser reads only UTF-8 in them, the rest as '�'
        raw = _UNKNOWN_WORDS.sub(_undeclared_words, raw)
        try:
            value = msg.policy.header_fetch_parse(key, raw)
        except (ValueError, IndexError, TypeError):
            return " ".join(raw.split())
    return header_text(raw, str(value))


def _undeclared_text(data: bytes) -> str:
    """Header bytes in no charset, read as a mail client reads them: as UTF-8 when they are, else as Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return decode_windows_1252(data)


def _undeclared_words(words: re.Match[str]) -> str:
    """Encoded words in no charset (`_UNKNOWN_WORDS`) as the header text they hold, their bytes joined (a character may
    be split between two) and read as `_undeclared_text` reads them: Python writes a whole 'Name <address>' so, which
    then reads as the address it is. As they are when they cannot be decoded."""
    try:
        data = b"".join(part for part, _ in decode_header(words[0]))
    except HeaderParseError:
        return words[0]
    return _undeclared_text(data)


_RAW_8BIT = re.compile("[\udc80-\udcff]")  # how the email parser keeps header bytes it could not decode


def header_text(raw: str, decoded: str) -> str:
    """A decoded header, its Latin-1 and ASCII encoded words read as Windows-1252 (as `_decode_part` reads
    such a body): the standard library decodes `=?iso-8859-1?q?=96?=` to a control character, not –."""
    return as_windows_1252(decoded) if _WINDOWS_1252_WORD.search(raw) else decoded


def parse_date(value: str) -> datetime | None:
    """The date a header or a quoted header gives (RFC 2822, else any form dateutil reads, '13/03/2025' day first);
    None when it gives none."""
    value = value.strip()
    if not value:
        return None
    if RFC_DATE.match(value):
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


MAX_HEADER = 16_000  # characters of a header's raw value that are read; no real header comes near it
_ADDRESS_HEADERS = frozenset({"from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to", "resent-cc",
                              "resent-bcc", "resent-sender"})


class _BoundedPolicy(email.policy.EmailPolicy):
    """`email.policy.default` with each header's raw value cut to `MAX_HEADER` characters as it is read.

    The standard library's header parser takes time and memory that grow with the square of a header's length
    (a Subject of 50,000 encoded words, 1 MB, took over 7 GB). A longer header keeps its first whole words, or
    for an address header its first whole addresses: what a reader would see of it.
    """

    def header_source_parse(self, sourcelines: list[str]) -> tuple[str, str]:
        name, value = super().header_source_parse(sourcelines)
        if len(value) > MAX_HEADER:
            head = value[:MAX_HEADER + 1]
            cut = head.rfind(",") if name.strip().lower() in _ADDRESS_HEADERS else max(map(head.rfind, " \t\n"))
            value = (head[:cut] if cut > 0 else head[:MAX_HEADER]).rstrip()
        return name, value


_POLICY = _BoundedPolicy()
_PARSING = ContextVar("_PARSING", default=False)  # whether `message_from_bytes` is parsing


class _ParsedMessage(EmailMessage):
    """A parsed message or part, which keeps an attached message sent in a transfer encoding (a message/* part not 7bit,
    8bit or binary) as the encoded text it came as, for `attached_message` to decode.

    The parser reads a message/* part's text as a message, encoded or not: base64 becomes a message with no headers,
    and quoted-printable's header lines are cut at its soft line breaks (a cut line read as the body, or dropped when
    it starts with a colon), so the text cannot be rebuilt from what it read. It reads a part as a message when the
    part's main type is 'message', which, while it parses, an encoded one's is not."""

    def get_content_maintype(self) -> str:
        maintype = super().get_content_maintype()
        if maintype == "message" and _PARSING.get() and transfer_encoding(self) not in UNENCODED:
            return "application"  # any type the parser keeps as text
        return maintype


def message_from_bytes(data: bytes) -> Message:
    """The parsed message, its headers cut as `_BoundedPolicy` cuts them, an attached message sent encoded kept as
    its encoded text (`_ParsedMessage`)."""
    parsing = _PARSING.set(True)
    try:
        return email.message_from_bytes(data, _ParsedMessage, policy=_POLICY)
    finally:
        _PARSING.reset(parsing)
