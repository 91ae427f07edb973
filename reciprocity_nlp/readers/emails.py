"""Email threads: `.eml`, `.mbox` and pasted threads (and the mail an Outlook .msg holds, see `outlook`), one turn per
message, each message once.

A message's body and headers are read by `mime`, answers its sender wrote in colour inside the quote set apart by
`inline`, its quoted history split off by `quoting`, and what its sender did not write (signatures, disclaimers, banners)
left out by `boilerplate`. This module recovers every quoted earlier message as its own turn with its own sender, reads
every message attached whole ('Forward as attachment') as one of the thread's, finds
who wrote a pasted top message that has no header of its own, and joins the messages into threads.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from email.message import Message
from email.utils import getaddresses
from pathlib import Path

from reciprocity_nlp.conversation import UNKNOWN_SENDER, Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.base import CUT_SHORT, SUBJECT_STANDS_IN, TEXT_NOT_READ, Segment, build_conversation, conversation_id
from reciprocity_nlp.readers.boilerplate import SIGNOFF, announces_message, is_sentence, strip_sender_block, strip_sender_card
from reciprocity_nlp.readers.encoding import without_bom
from reciprocity_nlp.readers.inline import answered_inline
from reciprocity_nlp.readers.invitations import answer_note, event_title, invitation_text, is_answer
from reciprocity_nlp.readers.mime import (
    TransferEncodingError,
    attached_message,
    attached_parts,
    cut_short,
    decoded_header,
    message_body,
    message_calendar_method,
    message_from_bytes,
    parse_date,
    tidy,
)
from reciprocity_nlp.readers.quoting import (
    GMAIL_PRINT_HEAD,
    english_headers,
    name_and_address,
    parse_header_block,
    recipients,
    split_body,
)
from reciprocity_nlp.readers.speakers import SpeakerRegistry
from reciprocity_nlp.readers.tnef import TnefError

_TITLE = re.compile(r"\A(?P<title>[^\n]{1,150})\n\n(?=(?:On\s[^\n]+wrote:|[* ]*From[* ]*:))")
# An mbox's separator line: 'From ', who sent the message, and when; the message's headers come right under it. It is one
# when it ends in a date, whatever names the sender before it (as UW c-client reads one), with a header, a blank line or
# the file's end under it; or, whatever it says, when a header a message opens with is right under it (`Return-Path:`,
# `Received:`, Thunderbird's `X-Mozilla-Status:`, Gmail's `X-GM-THRID:`, `From:`...), so a writer's odd date
# ('2024-03-12T10:15:00Z', another language's) or none ('From - ', 'From dana@x.com') still separates messages. The
# sender is whatever the writer put there: an address, '-', 'MAILER-DAEMON', 'dana at x.com' (a Mailman archive),
# 'Dana <dana@x.com>' (msgconvert before 0.920), 'dana@x.com (Dana)'. The date is as asctime writes it ('Tue Mar 12
# 10:15:00 2024', up to two zones before or after the year: '+0000 2024' in a Gmail Takeout, '-03', 'GMT+0200', '(+0700)'),
# as a Date header does ('Tue, 12 Mar 2024 10:15:00 +0000', a two-digit year in old mail), or as Thunderbird's
# ImportExportTools does ('Sat Apr 12 2025 15:59:28'); UUCP's ' remote from host' may follow it. A line of a body that
# starts 'From ', where the writer did not escape it '>From ', is none: it does not end in such a date with a header
# under it ('From my side, two options:', 'From the meeting on Tue, 12 Mar 2024 10:15' above more of the text).
_DAY = rb"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
_MONTH = rb"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_CLOCK = rb"\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?"
_ZONE = rb"(?:[+-]\d\d(?::?\d\d)?|(?:gmt|utc)[+-]\d{1,4}|[a-z]{1,5}(?:\d[a-z]{0,4})?|\([^()\r\n]{1,40}\))"
_ZONES = rb"(?:[ \t]+" + _ZONE + rb"){0,2}"
_MBOX_DATE = (rb"(?i:(?:" + _DAY + rb",?[ \t]+)?" + _MONTH + rb"[ \t]+\d{1,2}[ \t]+" + _CLOCK + _ZONES
              + rb"[ \t]+(?:\d{4}|\d\d)" + _ZONES  # asctime
              + rb"|(?:" + _DAY + rb",?[ \t]+)?\d{1,2}[ \t]+" + _MONTH + rb"[ \t]+(?:\d{4}|\d\d)[ \t]+" + _CLOCK
              + _ZONES  # a Date header's
              + rb"|" + _DAY + rb"[ \t]+" + _MONTH + rb"[ \t]+\d{1,2}[ \t]+\d{4}[ \t]+" + _CLOCK + _ZONES + rb")")
_FIRST_HEADERS = (rb"(?i:return-path|received|delivered-to|envelope-to|x-original-to|x-mozilla-status2?|x-gm-thrid"
                  rb"|x-gmail-labels|x-uidl|x-account-key|status|message-id|mime-version|from):")
# A header a mail system or mail client writes, not a person ('X-Mozilla-Status', 'Received', 'Content-Type').
_MAIL_HEADER = re.compile(r"(?i:x-[\w-]+|content-[\w-]+|return-path|received|delivered-to|envelope-to|status|message-id"
                          r"|mime-version|lines)")
_MBOX_FROM = re.compile(rb"^From (?:(?:-[ \t]*|\S[^\r\n]*?[ \t]" + _MBOX_DATE + rb"(?:[ \t]+remote from \S+)?[ \t]*)"
                        rb"\r?(?:\n(?=[!-9;-~]+:|\r?\n|\Z)|\Z)"
                        rb"|[^\r\n]*\n(?=" + _FIRST_HEADERS + rb"))", re.M)
_WORD = re.compile(r"[^\W\d_]{2}")  # a message with none has no text to read


@dataclass
class MailMessage:
    """One message of a thread: who wrote it, when, and only what they wrote."""

    name: str
    address: str
    sent: datetime | None
    body: str
    recovered: bool = False  # rebuilt from quoted history rather than read from its own headers
    subject: str = ""  # its own Subject line; '' when unknown (an "On ... wrote:" quote names none)


# --------------------------------------------------------------------------- messages


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
        name, addr, _, _ = parse_header_block(header)
        sightings += [(name, addr), *recipients(header, ("to", "cc"))]
    for name, addr in sightings:
        registry.add(name, addr)
    people = sorted({who for name, addr in sightings if "@" not in (who := registry.resolve(name, addr)) and who})
    return registry, people


def _top_lines(top: str, people: list[str]) -> tuple[set[str], set[str], list[str]]:
    """Who a top message greets, who its sign-off names (a line holding only a name, below its last
    sentence), and its sign-off lines."""
    lines = [ln.strip() for ln in tidy(top).split("\n") if ln.strip()]
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
    first = registry.resolve(*parse_header_block(headers[0])[:2])
    # A name the thread does not know ('Sam') may be a third person's.
    named = any(_NAME_LINE.fullmatch(ln) and not SIGNOFF.match(ln) for ln in sign_off)
    if signed or named or len(people) != 2 or greeted != {first}:
        return "", ""
    who = next(p for p in people if p != first)
    return who, registry.addresses().get(who, "")


def messages_from_body(body: str, name: str, addr: str, sent: datetime | None, subject: str = "",
                       interleaved: bool = False) -> list[MailMessage]:
    """The message itself plus every earlier message found in its quoted history, oldest first; `body`'s quoted
    headers are in English (`english_headers`), as its callers give it, and an `interleaved` one holds its sender's
    lines between quoted ones (see `split_body`)."""
    out: list[MailMessage] = []
    fragments = split_body(body, interleaved)
    for i, (header, text) in enumerate(fragments):
        if i == 0 and not header:
            if not (name or addr) and len(fragments) > 1:
                # A pasted reply with no header of its own: its sign-off, the To line of the message below it,
                # or the thread may show who wrote it.
                cut = body.find(fragments[1][0].split("\n")[0])
                top, headers = body[:cut] if cut > 0 else text, [h for h, _ in fragments[1:] if h]
                name, addr = _top_author(top, headers, (recipients(fragments[1][0]) or [("", "")])[0])
            out.append(MailMessage(name, addr, sent, text, recovered=False, subject=subject))
            continue
        h_name, h_addr, h_date, h_subject = parse_header_block(header)
        if i == 0 and not (h_name or h_addr):
            h_name, h_addr, h_date, h_subject = name, addr, sent, h_subject or subject
        out.append(MailMessage(h_name, h_addr, h_date, text, recovered=i > 0 or not (name or addr), subject=h_subject))
    return out[::-1]


def has_text(messages: list[MailMessage]) -> bool:
    """Whether any of the messages has a word to read (see `_WORD`)."""
    return any(_WORD.search(m.body) for m in messages)


def _is_answer(msg: Message) -> bool:
    """Whether a message answers a calendar invitation (see `invitations.is_answer`)."""
    return is_answer(decoded_header(msg, "Subject"), message_calendar_method(msg))


def _title(msg: Message) -> str:
    """The subject a message's sender wrote: an event's title for a Google Calendar subject, none for a calendar
    answer, whose subject the attendee's calendar wrote."""
    return "" if _is_answer(msg) else event_title(decoded_header(msg, "Subject"))


def _subject_message(msg: Message) -> MailMessage | None:
    """The subject its sender wrote (`_title`) as their message, which stands in for the text of a thread that has
    none (an image-only mail, a forward of nothing but headers); None when there is no such subject."""
    title = _title(msg).strip()
    if not title:
        return None
    name, addr = name_and_address(decoded_header(msg, "From"))
    return MailMessage(name, addr, parse_date(decoded_header(msg, "Date")), title)


MAX_ATTACHED = 100  # messages attached to one message (forwarded as attachments) read, nested ones included
MAX_ATTACHED_DEPTH = 5  # an attached message inside an attached message ... is read this deep


@dataclass
class _Attached:
    """What reading one message's attached messages may still cost, a note on each one not read and why, and everyone
    the ones read name (see `_participants`), who are the thread's participants as the message's own To and Cc are."""

    left: int = MAX_ATTACHED
    past_limit: int = 0  # attached messages not read for `MAX_ATTACHED`
    notes: list[str] = field(default_factory=list)
    people: list[tuple[str, str]] = field(default_factory=list)

    def not_read(self) -> list[str]:
        """The notes, with the messages past `MAX_ATTACHED` counted in one."""
        extra = [f"{self.past_limit:,} attached messages past the first {MAX_ATTACHED}"] if self.past_limit else []
        return [*self.notes, *extra]


def _messages_from_mime(msg: Message, attached: _Attached | None = None, depth: int = 0) -> list[MailMessage]:
    """The message's own messages (itself and its quoted history, see `messages_from_body`) after those of the
    messages attached to it (see `_read_attached`), each list oldest first."""
    attached = attached if attached is not None else _Attached()
    earlier = [m for part in attached_parts(msg) for m in _read_attached(part, attached, depth + 1)]
    name, addr = name_and_address(decoded_header(msg, "From"))
    sent = parse_date(decoded_header(msg, "Date"))
    subject = decoded_header(msg, "Subject")
    body = message_body(msg)
    method = message_calendar_method(msg)
    answered = None
    if is_answer(subject, method):
        body = answer_note(body)  # the calendar's own sentence goes; a note the attendee typed stays
    elif method:
        body = invitation_text(body, event_title(subject))
    elif (answered := answered_inline(msg, body, name, addr)) is not None:
        body = answered  # answers written in colour inside the quote, set apart from it
    return earlier + messages_from_body(english_headers(body), name, addr, sent, subject,
                                        interleaved=answered is not None)


def _read_attached(part: Message, attached: _Attached, depth: int) -> list[MailMessage]:
    """The messages of a message attached whole ('Forward as attachment'), decoded when it was sent encoded
    (`mime.attached_message`) and read as any message is, by its own headers; none, with a note in `attached`, for one
    past the first `MAX_ATTACHED`, in a transfer encoding that cannot be decoded, nested more than `MAX_ATTACHED_DEPTH`
    deep, with no From, Subject or Date header, or whose winmail.dat cannot be read: the message it is attached to is
    read all the same."""
    if attached.left <= 0:  # counted, not noted one by one: a crafted message may attach thousands
        attached.past_limit += 1
        return []
    attached.left -= 1
    try:
        inner = attached_message(part)
    except TransferEncodingError as exc:
        attached.notes.append(f"an attached message that cannot be decoded: {exc}")
        return []
    subject = decoded_header(inner, "Subject").strip()
    if depth > MAX_ATTACHED_DEPTH:
        attached.notes.append(f"an attached message nested more than {MAX_ATTACHED_DEPTH} deep ({subject!r})")
        return []
    if not _is_email(inner):
        attached.notes.append("an attached part that is not an email: no From, Subject or Date header")
        return []
    try:
        messages = _messages_from_mime(inner, attached, depth)
    except TnefError as exc:
        attached.notes.append(f"{subject!r}: its winmail.dat cannot be read: {exc}")
        return []
    attached.people += _participants(inner)
    return messages


def _mbox_messages(msg: Message, attached: _Attached) -> list[MailMessage]:
    """`_messages_from_mime`, or none for a message whose winmail.dat cannot be read: in an mbox it gives no turn, as a
    message with no text gives none, and is noted in `attached`, as an attached message whose winmail.dat cannot be
    read is, for its words are lost to the ratings."""
    try:
        return _messages_from_mime(msg, attached)
    except TnefError as exc:
        attached.notes.append(f"{decoded_header(msg, 'Subject').strip()!r}: its winmail.dat cannot be read: {exc}")
        return []


# --------------------------------------------------------------------------- threads


def _sort_key(sent: datetime, local: tzinfo) -> float:
    """Seconds since the epoch; a date without a zone (quoted headers) is in the thread's zone."""
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=local)
    return sent.timestamp()


# What clients put before a reply's or a forward's subject: Re:, AW:, SV:, VS:, YNT:, Fwd:, WG:, Doorst:, ENC:, RE[2]: ...
_REPLY_WORD = r"(?:re|aw|sv|vs|antw|rif|res|odp|ynt|r)(?:\[\d+\]|\^\d+)?\s*:"
_FORWARD_WORD = r"(?:fw|fwd|wg|tr|rv|doorst|enc|vb|vl|pd|videresend|vidarebefordra)(?:\[\d+\]|\^\d+)?\s*:"
_REPLY_PREFIX = re.compile(rf"^(?:(?:{_REPLY_WORD}|{_FORWARD_WORD})\s*)+", re.I)
_IS_REPLY = re.compile(rf"^(?:\[[^\]]*\]\s*)*{_REPLY_WORD}", re.I)  # also after a list's tag: "[ILUG] Re:"


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _part_of(body: str, whole: str) -> bool:
    """Whether every paragraph of `body` appears in `whole` (already normalised)."""
    parts = [p for p in (_norm(par) for par in re.split(r"\n\s*\n", body)) if p]
    return bool(parts) and all(p in whole for p in parts)


def _copies(a: MailMessage, b: MailMessage) -> bool:
    """Whether two messages of one sender that open alike (their first 300 letters) are one message: a quote of it (cut
    short or tidied otherwise), the message twice with one date (a copy whose links a gateway rewrote, or read from its
    HTML), or twice with one copy with more at its end (a footer a list or a tool added); two messages each read from
    its own headers, sent at different times, that go on to say different things are two."""
    if a.recovered or b.recovered or (a.sent is not None and a.sent == b.sent):
        return True
    first, second = _norm(a.body), _norm(b.body)
    return first.startswith(second) or second.startswith(first)


def _participants(msg: Message) -> list[tuple[str, str]]:
    """(name, address) of everyone a message names in From, To and Cc."""
    return [(n, a) for n, a in getaddresses([decoded_header(msg, k) for k in ("From", "To", "Cc")]) if a]


def build_thread(messages: list[MailMessage], path: str | Path | None, fmt: str, subject: str,
                 known: list[tuple[str, str]] | None = None, by_date: bool = True) -> Conversation:
    """Deduplicate messages, order them by date (or, not `by_date`, keep the order given: a message stands where it,
    or the quote it was first recovered from, was given), give each sender one identity and open the thread with its
    subject."""
    registry = SpeakerRegistry()
    for name, addr in known or []:
        registry.add(name, addr, sender=False)
    for m in messages:
        registry.add(m.name, m.address)
    registry.join_spelled_addresses()
    for m in messages:
        speaker = registry.resolve(m.name, m.address)
        m.body = strip_sender_block(strip_sender_card(m.body, speaker), speaker, m.address)
    unique: list[MailMessage] = []
    seen: dict[tuple[str, str], list[int]] = {}
    for m in messages:
        if not m.body.strip():
            continue
        key = (registry.resolve(m.name, m.address), _norm(m.body)[:300])
        j = next((j for j in seen.get(key, ()) if _copies(unique[j], m)), None)
        if j is not None:
            if unique[j].recovered and not m.recovered:
                unique[j] = m
            continue
        seen.setdefault(key, []).append(len(unique))
        unique.append(m)
    # A quote answered piece by piece is part of a message the thread already holds in full
    # (from the same author, or from anyone when the quote names none).
    held = [(registry.resolve(m.name, m.address), _norm(m.body)) for m in unique if not m.recovered]

    def repeats(m: MailMessage) -> bool:
        author = registry.resolve(m.name, m.address) if m.name or m.address else None
        return any(author in (None, who) and _part_of(m.body, whole) for who, whole in held)

    unique = [m for m in unique if not (m.recovered and repeats(m))]
    if by_date:
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
    # A notification's subject only announces its message ('Sam sent you a new message'): the platform wrote it.
    started = started and not announces_message(title, registry.resolve(unique[0].name, unique[0].address))
    if title and started and not _norm(unique[0].body).startswith(_norm(title)):
        unique[0].body = f"{title}\n\n{unique[0].body}"
    segments = [
        Segment(registry.resolve(m.name, m.address) or UNKNOWN_SENDER, m.body, sent=m.sent,
                metadata={"recovered_from_quote": True} if m.recovered else {})
        for m in unique
    ]
    speakers = {seg.speaker for seg in segments}
    meta: dict[str, object] = {"addresses": {k: v for k, v in registry.addresses().items() if k in speakers}}
    others = {k: v for k, v in registry.other_addresses().items() if k in speakers}
    if others:
        meta["other_addresses"] = others
    if title:
        meta["subject"] = title
    return build_conversation(segments, channel="email", path=path, fmt=fmt, merge=False, metadata=meta)


def read_eml(data: bytes, path: str | Path | None = None) -> Conversation:
    """One RFC 822 message (a leading mbox `From ` line is fine, and a BOM, see `encoding.without_bom`); quoted history
    becomes earlier turns."""
    data = without_bom(data)
    if not data.strip():
        raise ReadError(path, "empty file")
    return read_message(message_from_bytes(data), path, data=data)


def _is_email(msg: Message) -> bool:
    """Whether a parsed message has a message's From, Subject or Date header (one with no From is read as the unknown
    sender's)."""
    return bool(decoded_header(msg, "From") or decoded_header(msg, "Subject") or decoded_header(msg, "Date"))


def read_message(msg: Message, path: str | Path | None = None, fmt: str = "eml", data: bytes | None = None
                 ) -> Conversation:
    """One parsed message (an .eml's, or the one an Outlook .msg holds, `fmt` "msg"), read as `read_eml` reads it;
    `data`, the bytes it was parsed from, shows whether it was cut short (an Outlook message is built, not parsed)."""
    if not _is_email(msg):
        raise ReadError(path, "not an email: no From, Subject or Date header")
    attached = _Attached()
    try:
        messages = _messages_from_mime(msg, attached)
    except TnefError as exc:
        raise ReadError(path, f"the message's text is in a winmail.dat (application/ms-tnef) attachment that cannot be "
                              f"read: {exc}") from exc
    msg_meta: dict[str, str] = {}
    if not has_text(messages):
        if _is_answer(msg):
            # Its subject and any sentence in it are the calendar's: nobody wrote anything to rate.
            subject = decoded_header(msg, "Subject").strip()
            raise ReadError(path, f"a calendar answer ({subject or 'no subject'}) with no message of its own: "
                                  "nothing to rate")
        # An image-only or iframe-only message (at most a tracking pixel's alt letter), or a forward with nothing but
        # the forwarded headers, still says something: its subject, from its sender.
        stand_in = _subject_message(msg)
        if stand_in is None:
            raise ReadError(path, "email has no readable text body and no subject")
        messages, msg_meta = [stand_in], SUBJECT_STANDS_IN
    conv = build_thread(messages, path, fmt, _title(msg), _participants(msg) + attached.people)
    conv.metadata.update(msg_meta)
    cut = cut_short(msg, data) if data is not None else None
    return noted(conv, attached.not_read(), [cut] if cut else [])


def noted(conv: Conversation, not_read: list[str], cut: list[str] | None = None) -> Conversation:
    """`conv` with the attached messages its messages held and were not read (see `_Attached`) listed in its metadata,
    `attached_not_read`, which `base.unread_warning` names in a warning, and how its messages were cut short (see
    `mime.cut_short`; none for an Outlook message, built, not parsed), `cut_short`, which `base.cut_short_warning` names
    in one."""
    if not_read:
        conv.metadata["attached_not_read"] = not_read
    if cut:
        conv.metadata[CUT_SHORT] = cut
    return conv


def _cut_note(msg: Message, data: bytes | None) -> list[str]:
    """How a message of a thread, parsed from `data`, was cut short (`mime.cut_short`), naming it by its subject and
    sender (the unknown sender, as its turn, when it has no From); none when it was not, or was built rather than parsed
    (`data` None)."""
    cut = cut_short(msg, data) if data is not None else None
    return [f"{_named(msg)}: {cut}"] if cut is not None else []


def _named(msg: Message) -> str:
    """A message of a thread named by its subject and sender (the unknown sender, as its turn, when it has no From)."""
    subject = decoded_header(msg, "Subject").strip()
    return f"{repr(subject) if subject else 'a message'} from {decoded_header(msg, 'From').strip() or UNKNOWN_SENDER}"


def split_mbox(data: bytes) -> list[bytes]:
    """Split an mbox file at its `From ` separator lines (`_MBOX_FROM`: a sender and a date, so not a line of a body that
    starts 'From '). What comes before the first, unless only white space, is the first piece: a message whose separator
    was left out (an .eml pasted on top, an export that omits it), or text."""
    starts = [m.start() for m in _MBOX_FROM.finditer(data) if m.start() == 0 or data[m.start() - 1:m.start()] == b"\n"]
    if not starts:
        return [data]
    before = [data[:starts[0]]] if data[:starts[0]].strip() else []
    return before + [data[a:b] for a, b in itertools.pairwise([*starts, len(data)])]


def _headers_alone(piece: bytes, msg: Message) -> bool:
    """Whether a piece of an mbox that is no message (see `_is_email`), parsed as `msg`, is a separator line and headers
    alone (a bare separator a tool left at the end, Thunderbird's entry of X-Mozilla-Status lines): nobody wrote
    anything there. Text before the first separator is no entry: lines there that read as headers ('Note: call
    Marcus') may be someone's words, and so may such lines under a separator unless each is a header a mail system
    writes (`_MAIL_HEADER`: 'PS: your CFO...' under a body line that reads as a separator is someone's)."""
    body = msg.get_payload()
    return (_MBOX_FROM.match(piece) is not None and isinstance(body, str) and not body.strip()
            and all(_MAIL_HEADER.fullmatch(name) for name in msg))


def _text_note(piece: bytes, where: str) -> str:
    """A note on a piece of an mbox that is no message (no From, Subject or Date header), `where` saying where it is:
    how long it is and how it opens, so what was not read can be found."""
    text = piece.decode("utf-8", "replace").strip()
    opening = " ".join(text[:200].split())
    opening = opening if len(opening) <= 60 else f"{opening[:60].rstrip()}…"
    return f"{where}, with no From, Subject or Date header ({len(text):,} characters): {opening!r}"


_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
# A subject's reply and forward prefixes and list tags ("Re: [ILUG] Fwd: x" -> "x"), for threading.
_SUBJECT_NOISE = re.compile(rf"^(?:\s*(?:\[[^\]]*\]|{_REPLY_WORD}|{_FORWARD_WORD}))+", re.I)


def _thread_subject(subject: str) -> str:
    return " ".join(_SUBJECT_NOISE.sub("", subject).lower().split())


@dataclass
class ThreadLinks:
    """What threads one message: its own id (an mbox's Message-ID), the ids of the messages it answers (In-Reply-To,
    References), the thread id its source gives ('' for none: Gmail's X-GM-THRID, a CRM's thread column), its
    subject as written, and whether it answers a calendar invitation."""

    own: list[str]
    refs: list[str]
    thread: str
    subject: str
    answer: bool = False


def _links(msg: Message) -> ThreadLinks:
    """An mbox message's threading headers."""
    return ThreadLinks(own=_MESSAGE_ID.findall(decoded_header(msg, "Message-ID"))[:1],
                       refs=_MESSAGE_ID.findall(decoded_header(msg, "In-Reply-To") + " " +
                                                decoded_header(msg, "References")),
                       thread=decoded_header(msg, "X-GM-THRID").strip(), subject=decoded_header(msg, "Subject"),
                       answer=_is_answer(msg))


@dataclass
class ThreadMessage:
    """One message of a table's rows or of a mail API's JSON, read: itself and the earlier messages its quote holds
    (`messages_from_body`), what threads it, the subject its sender wrote, everyone it names (sender and recipients,
    and those of the messages attached to it), whether its date parses, and a note on each message attached to it that
    was not read (see `_Attached`).
    `read_mbox` and `mailtables.read_threads` join these into threads."""

    messages: list[MailMessage]
    links: ThreadLinks
    title: str
    people: list[tuple[str, str]]
    dated: bool
    not_read: list[str] = field(default_factory=list)
    stand_in: MailMessage | None = None  # its subject as its sender's message, for a thread with no text
    cut: list[str] = field(default_factory=list)  # how it was cut short, naming it (see `_cut_note`)


def thread_message(msg: Message, data: bytes | None, thread: str = "") -> ThreadMessage:
    """A message parsed from `data` (None for one built, not parsed) read as an mbox's is (a winmail.dat that cannot be
    read gives no turn), `thread` its thread id when its source gives one (a Gmail API message's `threadId`), else its
    X-GM-THRID."""
    links = _links(msg)
    links.thread = thread or links.thread
    attached = _Attached()
    messages = _mbox_messages(msg, attached)
    return ThreadMessage(messages, links, _title(msg), _participants(msg) + attached.people,
                         parse_date(decoded_header(msg, "Date")) is not None, attached.not_read(), _subject_message(msg),
                         _cut_note(msg, data))


def thread_messages(mails: list[ThreadMessage]) -> tuple[list[MailMessage], dict[str, str]]:
    """A thread's messages and what its metadata says of them: when none has text, the first subject its senders wrote
    stands in, from that sender, as in an .eml with no text (see `read_message`), and the metadata says so."""
    messages = [m for mail in mails for m in mail.messages]
    stand_in = next((mail.stand_in for mail in mails if mail.stand_in is not None), None)
    if stand_in is not None and not has_text(messages):
        return [stand_in], dict(SUBJECT_STANDS_IN)
    return messages, {}


def thread_groups(messages: list[ThreadLinks]) -> list[list[int]]:
    """The messages of each thread (indices in the order given), threads in the order of their first messages.

    Messages are joined by their links: a message joins the messages its `refs` name (In-Reply-To
    and References), whatever names its own id, and the messages of the same thread id (Gmail's
    X-GM-THRID); chains of these are one thread. A reply with no such link at all (its subject
    starts Re:, AW: and the like; no refs or thread id, and named by no other message) joins the
    thread of the first message with the same subject (reply and forward prefixes and list tags
    aside), preferring a linked one, and so does an answer to a calendar invitation ('Accepted:
    <title>') with the invitation; any other message without links is a thread of its own.
    """
    parent = list(range(len(messages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = sorted((root(i), root(j)))
        parent[b] = a

    owner: dict[str, int] = {}  # a message id or thread id -> the first message naming it
    linked, named = [], set()
    for i, links in enumerate(messages):
        linked.append(bool(links.refs or links.thread))
        named.update(links.refs)
        for key in [*links.own, *links.refs, *([f"thread {links.thread}"] if links.thread else [])]:
            join(owner.setdefault(key, i), i)
    linked = [was or any(k in named for k in links.own) for was, links in zip(linked, messages, strict=True)]
    subjects = [_thread_subject(event_title(links.subject)) for links in messages]
    anchor: dict[str, int] = {}
    for i in sorted(range(len(messages)), key=lambda i: not linked[i]):  # linked messages first, else given order
        anchor.setdefault(subjects[i], i)
    for i, subject in enumerate(subjects):
        # Only a reply (or an answer to an invitation) joins by subject: a new message may reuse a subject ('Quick
        # question'), and no subject says nothing of a thread.
        if not linked[i] and subject and (_IS_REPLY.match(messages[i].subject.strip()) or messages[i].answer):
            join(anchor[subject], i)
    groups: dict[int, list[int]] = {}
    for i in range(len(messages)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def read_mbox(data: bytes, path: str | Path | None = None) -> list[Conversation | ReadError]:
    """An mbox: one conversation per thread (see `thread_groups`), every message a turn, in date order.

    A single thread is named after the file, like any other file; several are `<name>-1`,
    `<name>-2`... in the order of their first messages' dates, as a Gmail Takeout export of a
    label holds many threads. A file that starts with a BOM is read behind it (`encoding.without_bom`). A message with a
    Subject or Date but no From header is the unknown sender's, and so is one before the first `From ` line (see
    `split_mbox`). Text there that is no message is nobody's turn, but the first thread with text lists it in
    `metadata["text_not_read"]` (see `_text_note`), and so does the thread of the message before an entry that is none
    (what follows a line of a body that reads as a separator, not escaped '>From '), unless the entry is headers alone
    (`_headers_alone`). A thread of messages with no text is read from its subject (`thread_messages`); one
    with no subject its sender wrote either (a calendar answer with no note) is left out, as an empty message in a
    thread is, unless a note says its words were lost (a winmail.dat that cannot be read, a cut, text not read): then
    it is an error row in its place, naming why.
    """
    parsed: list[tuple[Message, bytes]] = []
    before: list[str] = []  # notes on text before the first message
    text_notes: dict[int, list[str]] = {}  # the index in `parsed` of the message whose thread lists them -> notes
    for piece in split_mbox(without_bom(data)):
        chunk = re.sub(rb"^>From ", b"From ", piece, flags=re.M)
        msg = message_from_bytes(chunk)
        if _is_email(msg):
            parsed.append((msg, chunk))
        elif _headers_alone(piece, msg):
            continue  # nobody wrote anything there
        elif parsed:  # what follows a line of a body that reads as a separator
            text_notes.setdefault(len(parsed) - 1, []).append(_text_note(piece, f"text after {_named(parsed[-1][0])}"))
        else:
            before.append(_text_note(piece, "text before the first message"))
    if not parsed:
        raise ReadError(path, "not an mbox: no messages with a From, Subject or Date header")
    mails = [msg for msg, _ in parsed]
    read = [thread_message(msg, chunk) for msg, chunk in parsed]
    groups = [(group, *thread_messages([read[i] for i in group])) for group in thread_groups([r.links for r in read])]
    # Text before the first message is not the words of a first message with none (an exporter's banner above a message
    # of From and Date alone): the first thread with text lists it, so the empty one is left out as it would be without.
    home = next((group for group, messages, _ in groups if any(m.body.strip() for m in messages)), groups[0][0])
    text_notes[home[0]] = before + text_notes.get(home[0], [])
    threads = []
    for group, messages, meta in groups:
        sent = [_sort_key(d, UTC) for i in group if (d := parse_date(decoded_header(mails[i], "Date"))) is not None]
        text = [note for i in group for note in text_notes.get(i, [])]
        threads.append((min(sent, default=float("inf")), group[0], [read[i] for i in group], messages, meta, text))
    # A thread with no text is left out, but not one whose words were lost (a note says how): it is an error row.
    threads = [t for t in threads
               if any(m.body.strip() for m in t[3]) or any(r.not_read or r.cut for r in t[2]) or t[5]] or threads
    conversations: list[Conversation | ReadError] = []
    for n, (_, _, group_read, messages, meta, text) in enumerate(sorted(threads, key=lambda t: t[:2]), 1):
        subject = next((r.title for r in group_read if r.title), "")
        known = [who for r in group_read for who in r.people]
        not_read = [note for r in group_read for note in r.not_read]
        cut = [note for r in group_read for note in r.cut]
        cid = f"{conversation_id(path)}-{n}" if len(threads) > 1 else conversation_id(path)
        try:
            conv = build_thread(messages, path, "mbox", subject, known)
        except ReadError as exc:
            if any(m.body.strip() for m in messages) or not (not_read or cut or text):
                raise
            reason = f"{exc.reason}: its words were not read ({'; '.join([*not_read, *cut, *text])})"
            if len(threads) == 1:
                raise ReadError(path, reason) from exc
            conversations.append(ReadError(path, f"conversation {cid!r}: {reason}", conversation_id=cid))
            continue
        conv.metadata.update(meta)
        if text:
            conv.metadata[TEXT_NOT_READ] = text
        conv.id = cid
        conversations.append(noted(conv, not_read, cut))
    return conversations


def read_pasted(text: str, path: str | Path | None = None) -> Conversation:
    """A thread pasted as text: Outlook From/Sent blocks, Gmail 'On ... wrote:', 'Original Message', in English or as
    German, French, Spanish, Dutch, Italian, Portuguese, Danish, Norwegian, Swedish, Finnish and Polish clients write
    them."""
    text = english_headers(tidy(text))
    subject = ""
    printed = GMAIL_PRINT_HEAD.search(text)
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
    messages = _printed_messages(text) if printed else messages_from_body(text, "", "", None)
    m = re.search(r"^[* ]*Subject[* ]*:\s*(.+)$", text, re.M | re.I)
    if m and not subject:
        subject = m.group(1).strip()
    if not any(msg.name or msg.address for msg in messages):
        raise ReadError(path, "no email headers found: expected 'From:'/'Sent:' blocks or 'On ... wrote:' lines")
    return build_thread(messages, path, "pasted", subject)


def _printed_messages(text: str) -> list[MailMessage]:
    """The messages of Gmail's "Print all" page, `text` from its first message's header line on, oldest first.

    Each message is under a header line of its own ('Sam Lee <sam@x.com>  Tue, Mar 4, 2025 at 9:14 AM'), so it is read
    as its sender's own message, as an mbox's are, and only what it quotes is recovered: a quote Gmail cut short ('> Hi
    Omar,' over '[Quoted text hidden]') is then found to be part of the message it quotes, not read as one of its own.
    """
    heads = list(GMAIL_PRINT_HEAD.finditer(text))
    ends = [head.start() for head in heads[1:]] + [len(text)]
    messages = []
    for head, end in zip(heads, ends, strict=True):
        name, addr = name_and_address(f"{head['name']} <{head['addr']}>")
        messages += messages_from_body(text[head.start():end], name, addr, parse_date(head["date"]))
    return messages


def _is_title(line: str, text: str) -> bool:
    """Whether a lone line above a pasted thread's first header is its title rather than a one-line reply
    ('Thanks Ana, Thursday works.'): it is the subject of a message below, or it does not end a sentence and, when
    messages below name their subject, does not read as one either. A line that is none of the subjects the headers
    name but reads as a sentence is a reply, full stop or not ('Sounds good, see you then'); a name, an address or a
    title ('Dana Whitfield', as Outlook prints the mailbox's owner above a message; 'Intro call - Acme - 12 March 2024')
    is not."""
    subjects = {_thread_subject(m.group(1)) for m in re.finditer(r"^[* ]*Subject[* ]*:\s*(.+)$", text, re.M | re.I)}
    return _thread_subject(line) in subjects or not (line.rstrip().endswith((".", "!", "?"))
                                                     or (subjects and is_sentence(line.strip())))


def sniff_text(text: str) -> bool:
    """Whether a .txt file is a pasted email thread rather than a call transcript."""
    head = english_headers(text[:20000])
    outlook = len(re.findall(r"^[* ]*From[* ]*:.+\n(?:.*\n){0,3}?[* ]*(?:Sent|Date)[* ]*:", head, re.M | re.I))
    wrote = len(re.findall(r"^(?:>\s*)*On\s.+wrote:\s*$", head, re.M))
    original = len(re.findall(r"^-{3,}\s*Original Message\s*-{3,}", head, re.M | re.I))
    gmail_print = len(GMAIL_PRINT_HEAD.findall(head))
    return bool(outlook or wrote or original or gmail_print >= 1)


def sniff_bytes(data: bytes) -> str | None:
    """"mbox" or "eml" when a file's bytes, behind any BOM (`encoding.without_bom`), are one, else None."""
    data = without_bom(data)
    head = data[:4096].lstrip()
    if head.startswith(b"From ") and len(split_mbox(data)) > 1:
        return "mbox"
    lines = head.split(b"\n", 40)
    keys = {ln.split(b":", 1)[0].strip().lower() for ln in lines if b":" in ln[:40]}
    headed = {b"from", b"subject"} <= keys or {b"from", b"date"} <= keys
    if b"mime-version" in keys or b"message-id" in keys or (headed and not sniff_text(head.decode("utf-8", "replace"))):
        return "eml"
    return None
