"""Chat apps' own exports, read as turns (a call's channel, as a chat table is): WhatsApp's "Export chat" text, Microsoft
Teams chat messages from Graph (`chatMessage`), a Slack export's channel day file and Telegram Desktop's export, JSON
(`result.json`) or HTML (`messages.html`, its default).

Each message is its sender's words (a forwarded Telegram message its first author's), its turn's `sent` the time the
app gives (a WhatsApp date only in an order the file shows). What the app wrote itself (WhatsApp's encryption notice
and 'X added Y', its placeholders for media, deleted messages and missed calls, in the phone's language, a Teams system
event, a Slack join or a bot's post, a Telegram service message) and a message with no text (a photo, a file) are
nobody's words: they give no turn and are listed, in order, in the conversation's `metadata["chat_notices"]`, so
nothing is dropped unseen.

A Teams or Telegram file is that app's when most of its messages (more than half) are in the app's shape (`base.mostly`;
for Teams, when not all are, most must be messages it can read): one broken message does not lose the chat, and a file
with a few messages in a chat's shape is not taken for one. A
message that cannot be read (not an object, or a field of the wrong kind) is listed in the notices as `message N not
read: why`, N its place in the file (in a Telegram chat's `messages`), counted from 1 (in Teams' JSON Lines, `message on
line N not read: why`, N its line), and counted in `metadata["messages_not_read"]`, which `base.unread_warning` turns
into a warning. In a whole account's Telegram export, mostly of chats in Telegram's shape, a chat that is not (not an
object, no `messages` list) is an error row in its place, the others read.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, count, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reciprocity_nlp.conversation import UNKNOWN_SENDER, UNKNOWN_SPEAKER, Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.base import (
    CHAT_NOTICES,
    CUT_SHORT,
    MESSAGES_NOT_READ,
    Segment,
    build_conversation,
    conversation_id,
    mostly,
    not_read,
    unit_place,
    unread_reason,
)
from reciprocity_nlp.readers.mime import html_to_text, parse_html

if TYPE_CHECKING:
    from bs4 import Tag

_LRM = "\u200e"  # iOS starts the lines and texts WhatsApp wrote itself with a left-to-right mark
# A message line: '12/03/2024, 10:15 - Name: text' (Android), '[12/03/2024, 10:15:32] Name: text' (iOS); the date in the
# phone's order ('3/12/24', '12.03.24', '2024-03-12'), the time of 12 hours with AM/PM after a space or a narrow one
# (in Spanish 'p. m.', a space inside); in groups, the date's three numbers, hours, minutes, seconds and AM/PM's 'a' or 'p'.
_STAMP = (r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4}),? (\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?"
          r"(?:[ \u202f\u00a0]?([AaPp])\.?[ \u202f\u00a0]?[Mm]\.?)?")
_START = rf"(?:{_STAMP} [-–] |\[{_STAMP}\] )"
WHATSAPP_LINE = re.compile(rf"{_START}(?P<rest>.*)")
_LATER_MESSAGE = re.compile(rf"^[\ufeff{_LRM}]*{_START}", re.M)  # a message line below the first
# The quotes around a name in WhatsApp's notices: English's ("Roles" or “Roles”), German's („Rollen“), French's (« Rôles »),
# and the chevrons German and Danish also quote with (a contact's »Bob«).
_QUOTES = (('"', '"'), ("“", "”"), ("„", "“"), ("«", "»"), ("»", "«"))
_QUOTED = "|".join(f"{re.escape(start)}[^:{re.escape(end)}]*{re.escape(end)}" for start, end in _QUOTES)
_QUOTE_MARKS = re.escape("".join(sorted({mark for pair in _QUOTES for mark in pair})))
# The sender before ': ' (or a colon that ends the line), a nickname in quotes in it ('Robert "Bob" Lee'); not a notice
# split at the colon in its quotes ('created group "Roles: Q2"') or its time ('at 10:19').
_SENDER = re.compile(rf"(?P<name>(?:[^:{_QUOTE_MARKS}]|{_QUOTED}){{1,80}}?):(?: (?P<text>.*))?")
# What WhatsApp writes in place of a message or after it, as a phone set to English, Spanish, Portuguese, German, French,
# Italian or Dutch writes it: each string as public parsers and test exports of such phones show it, none translated
# here. Android's '<Media omitted>' (Portuguese: Brazil's, now and before):
_MEDIA_OMITTED = ("<Media omitted>", "<Medien ausgeschlossen>", "<Médias omis>", "<Multimedia omitido>",
                  "<Media weggelaten>", "<Media omessi>", "<Mídia oculta>", "<Arquivo de mídia oculto>")
# A message deleted, by another or by the one who exported the chat (with a full stop after it or without):
_DELETED = ("This message was deleted", "You deleted this message",
            "Se eliminó este mensaje", "Eliminaste este mensaje", "Este mensaje fue eliminado",
            "Mensagem apagada", "Esta mensagem foi apagada", "Você apagou esta mensagem",
            "Diese Nachricht wurde gelöscht", "Du hast diese Nachricht gelöscht",
            "Ce message a été supprimé", "Vous avez supprimé ce message",
            "Questo messaggio è stato eliminato", "Hai eliminato questo messaggio",
            "Dit bericht is verwijderd", "U hebt dit bericht verwijderd", "Je hebt dit bericht verwijderd")
# A missed call, which Android writes as the caller's message (iOS marks it as its own):
_MISSED_CALL = ("Missed voice call", "Missed video call", "Llamada perdida", "Llamada de voz perdida",
                "Videollamada perdida", "Ligação de voz perdida", "Chamada de voz perdida", "Verpasster Sprachanruf",
                "Verpasster Videoanruf", "Appel vocal manqué", "Appel vidéo manqué", "Chiamata vocale persa",
                "Videochiamata persa", "Gemiste spraakoproep", "Gemiste video-oproep")
# What follows an attached file's name on Android ('IMG-20240312-WA0001.jpg (file attached)'):
_FILE_ATTACHED = ("file attached", "archivo adjunto", "arquivo anexado", "Datei angehängt", "fichier joint",
                  "file allegato", "bestand bijgevoegd")
# The mark after an edited message's last line:
_EDITED = ("<This message was edited>", "<Se editó este mensaje.>", "<Mensagem editada>",
           "<Diese Nachricht wurde bearbeitet.>", "<Ce message a été modifié>", "<Questo messaggio è stato modificato>",
           "<Dit bericht is bewerkt>")


def _any_of(strings: Iterable[str]) -> str:
    """A pattern of any of these strings, as they are."""
    return "(?:" + "|".join(map(re.escape, strings)) + ")"


# WhatsApp's placeholders for what is not text: media left out of the export or attached to it, a deleted message;
# iOS's, which it marks, and Android's, which it does not (a file attached is named by its file name; a missed call,
# and 'null', which Android writes for a message it leaves out, stand as their sender's message).
_MARKED_PLACEHOLDER = re.compile(r"(?:.* )?(?:image|video|audio|sticker|GIF|document|Contact card) omitted"
                                 rf"|<attached: [^>]*>|{_any_of(_DELETED)}\.?")
_PLACEHOLDER = re.compile(rf"{_any_of(_MEDIA_OMITTED)}|\S.*\.\w{{1,5}} \({_any_of(_FILE_ATTACHED)}\)"
                          rf"|{_any_of(_DELETED)}\.?|{_any_of(_MISSED_CALL)}|null")
_STAMP_PARTS = re.compile(_STAMP)  # a message line's date and time, in parts
_FIRST_LINE = re.compile(r"^[^\n]*\S[^\n]*", re.M)  # the first line with text, tried from line starts only
_TEXT = re.compile(r"\S")
_LINE_BREAK = re.compile(r"[\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what else ends a line for splitlines() and the readers


def _whatsapp_message(line: str) -> re.Match[str] | None:
    """The match of a WhatsApp message line, its marks aside; None for any other line."""
    return WHATSAPP_LINE.fullmatch(line.lstrip("\ufeff" + _LRM).rstrip())


def sniff_whatsapp(text: str) -> bool:
    """Whether a text is a WhatsApp export: its first line with text is a message line, and so is a later one (an
    export opens with the encryption notice, then the messages), so a transcript or a pasted email whose title line
    begins with a date and time ('2024-03-12 10:15 - Intro call') is not one. An export of one message is that line
    alone, a sender and words: a title over a transcript or notes has lines below it, and one of one line
    ('12/03/2024, 10:15 - Discovery call') names no sender."""
    first = _FIRST_LINE.search(text)  # not text.splitlines(): every text file is sniffed, some of them hundreds of MB
    message = _whatsapp_message(first.group()) if first else None
    if first is None or message is None:
        return False
    if _LATER_MESSAGE.search(text, first.end()):
        return True
    rest = message.group("rest")
    sender = _SENDER.fullmatch(rest)
    return (sender is not None and bool((sender.group("text") or "").strip()) and not _LINE_BREAK.search(rest)
            and not _TEXT.search(text, first.end()))


def _whatsapp_words(rest: str, notices: list[str]) -> Segment | None:
    """A message line's sender and words, after its time; None for a line WhatsApp wrote, put in `notices` as all
    placeholders and notices are (an attached file's placeholder gives an empty message, its caption below it)."""
    m = _SENDER.fullmatch(rest)
    if m is None:  # Android's notices have no sender: 'Messages and calls are end-to-end encrypted...'
        notices.append(rest.strip())
        return None
    name, text = m.group("name").strip(), (m.group("text") or "").strip()
    marked, unmarked = text.startswith(_LRM), text.replace(_LRM, "")
    if marked and not _MARKED_PLACEHOLDER.fullmatch(unmarked):  # iOS's notices, marked, say
        notices.append(f"{name}: {unmarked}")
        return None
    if (_MARKED_PLACEHOLDER if marked else _PLACEHOLDER).fullmatch(unmarked):
        notices.append(f"{name}: {unmarked}")
        text = ""
    return Segment(name, text)


def _day_first(stamps: Sequence[tuple[str, ...]]) -> bool | None:
    """Whether a WhatsApp file's dates are day first (some date's first number is over 12) or month first (some
    date's second number is). When no number is over 12: the one order in which the dates, in the file's order, never
    go backwards, as a chat's messages are in time order (either, when every date reads the same both ways). None
    when no order is known (both over 12, or both orders go forward, or neither); ISO dates, year first, tell nothing."""
    short = [parts for parts in stamps if len(parts[0]) < 4]
    day, month = any(int(p[0]) > 12 for p in short), any(int(p[1]) > 12 for p in short)
    if day or month:
        return day if day != month else None
    if all(int(p[0]) == int(p[1]) for p in short):
        return True
    forward = [_in_time_order([(int(p[2]), int(p[b]), int(p[a])) for p in short]) for a, b in ((0, 1), (1, 0))]
    return forward[0] if forward[0] != forward[1] else None


def _in_time_order(dates: Sequence[tuple[int, int, int]]) -> bool:
    """Whether (year, month, day) dates never go backwards."""
    return all(a <= b for a, b in pairwise(dates))


def _whatsapp_time(parts: tuple[str, ...], day_first: bool | None) -> datetime | None:
    """A message line's date and time (no zone: the export gives none), its date in the file's order; None when that
    order is not known or the numbers are no date or time."""
    first, second, third, hour, minute, seconds, half = parts
    if len(first) == 4:
        year, month, day = first, second, third
    elif day_first is None:
        return None
    else:
        (day, month), year = (first, second) if day_first else (second, first), third
    hours = int(hour)
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half in "Pp" else 0)
    try:
        return datetime(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day), hours, int(minute),
                        int(seconds or 0))
    except ValueError:
        return None


def _take_edited_mark(message: Segment | None, notices: list[str]) -> None:
    """Take the mark WhatsApp puts after an edited message's last line (in the phone's language) off its text, into
    `notices`."""
    if message is None:
        return
    text = message.text.rstrip()
    mark = next((mark for mark in _EDITED if text.endswith(mark)), None)
    if mark is not None:
        notices.append(f"{message.speaker}: {mark}")
        message.text = text.removesuffix(mark).rstrip(_LRM + " ")


def read_whatsapp(text: str, path: str | Path | None = None) -> Conversation:
    """WhatsApp's "Export chat" text: a line per message, `date, time - Name: text` or `[date, time] Name: text`, a
    message's further lines below it, its date and time its `sent` when the file shows its date order (`_day_first`);
    see the module for what is not read as anyone's words."""
    segments: list[Segment] = []
    notices: list[str] = []
    preamble: list[str] = []
    stamps: list[tuple[str, ...]] = []  # each message line's date and time, in parts
    timed: list[tuple[Segment, tuple[str, ...]]] = []
    current: Segment | None = None
    for line in text.splitlines():
        m = _whatsapp_message(line)
        if m is not None:
            _take_edited_mark(current, notices)
            current = _whatsapp_words(m.group("rest"), notices)
            stamp = _STAMP_PARTS.search(m.string, 0, m.start("rest"))
            stamps += [stamp.groups()] if stamp else []
            if current:
                segments.append(current)
                timed += [(current, stamp.groups())] if stamp else []
        elif current is not None:
            current.text += f"\n{line}" if current.text else line
        elif line.strip():
            (notices if segments or notices else preamble).append(line.strip())
    _take_edited_mark(current, notices)
    day_first = _day_first(stamps)
    for segment, parts in timed:
        segment.sent = _whatsapp_time(parts, day_first)
    meta: dict[str, Any] = {CHAT_NOTICES: notices} if notices else {}
    if preamble:
        meta["preamble"] = "\n".join(preamble)
    return build_conversation(segments, channel="call", path=path, fmt="whatsapp", metadata=meta)


def _iso_time(value: Any) -> datetime | None:
    """An ISO 8601 date and time (Teams' '2024-03-12T10:15:00.000Z', in UTC; Telegram's local '2024-03-12T10:15:00',
    no zone), or None: a time that does not parse is not kept, and is no error."""
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _seconds(value: Any) -> float | None:
    """A number of seconds since 1970 (Slack's `ts` '1710238500.000200', Telegram's `date_unixtime`), or None when the
    value is none: not a number, or 'nan', 'inf' or an integer past what a float holds, which sort nowhere."""
    try:
        seconds = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return seconds if math.isfinite(seconds) else None


def _epoch_time(seconds: float | None) -> datetime | None:
    """Seconds since 1970 (see `_seconds`) as a UTC time, or None for none or a time past what a datetime holds."""
    try:
        return None if seconds is None else datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):
        return None


@dataclass
class _Chat:
    """One chat as its messages are read: its turns' segments, its notices (what the app wrote, what could not be
    read) and the messages that could not be read, by their place in the file and why."""

    segments: list[Segment] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)

    def not_read(self, place: str, why: str) -> None:
        """List a message that could not be read in the notices, by its place in the file ('message 5', 'message on
        line 7') and why."""
        self.notices.append(not_read(place, why))
        self.unread.append((place, why))


def _chat(chat: _Chat, path: str | Path | None, cid: str, fmt: str = "json") -> Conversation:
    """One chat's messages as a conversation of turns, what the app wrote and what could not be read listed in its
    metadata; its ReadError (no turns, say) also says how many messages could not be read, and why the first."""
    meta: dict[str, Any] = {CHAT_NOTICES: chat.notices} if chat.notices else {}
    if chat.unread:
        meta[MESSAGES_NOT_READ] = len(chat.unread)
    try:
        return build_conversation(chat.segments, channel="call", path=path, fmt=fmt, conv_id=cid, metadata=meta)
    except ReadError as exc:
        if not chat.unread:
            raise
        raise ReadError(path, unread_reason(exc.reason, chat.unread, "message")) from exc


_JSON_KINDS = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
               bool: "true or false", type(None): "null"}


def _json_kind(value: Any) -> str:
    """What a JSON value is, in words ('an object', 'a number'), for saying why a message could not be read."""
    return _JSON_KINDS.get(type(value), type(value).__name__)


def _is_teams_message(value: Any) -> bool:
    """Whether a JSON value is a Microsoft Graph `chatMessage` (a Teams chat's or channel's message): a `messageType`
    and a `chatId` or `channelIdentity`, which no Graph mail has."""
    return isinstance(value, dict) and "messageType" in value and ("chatId" in value or "channelIdentity" in value)


def teams_messages(data: Any) -> list[Any] | None:
    """Graph's chat messages (`GET /chats/{id}/messages`: `{"value": [...]}`, a bare list of them, JSON Lines of them,
    or one), all of them in its shape, or most of them chatMessages it can read (`base.mostly`, `_teams_flaw`: rows that
    carry a `messageType` and `chatId` but no `body` are not counted), or None when `data` is not that."""
    messages = data.get("value") if isinstance(data, dict) and "value" in data else data
    messages = messages if isinstance(messages, list) else [messages]
    if not messages:
        return None
    return messages if all(map(_is_teams_message, messages)) or mostly([_teams_flaw(m) is None for m in messages]) else None


def _teams_flaw(message: Any) -> str | None:
    """Why a value of a Teams chat's messages cannot be read as a Graph `chatMessage`, or None when it can: an object
    with a `messageType`, a `chatId` or `channelIdentity`, a `body` object whose `content` is text or null, and a
    `from` that is an object or null."""
    if not isinstance(message, dict):
        return f"{_json_kind(message)}, not a message object"
    if "messageType" not in message:
        return "no messageType"
    if "chatId" not in message and "channelIdentity" not in message:
        return "no chatId or channelIdentity"
    body = message.get("body")
    if body is None:
        return "no body"
    if not isinstance(body, dict):
        return f"its body is {_json_kind(body)}, not an object"
    if not isinstance(body.get("content"), str | None):
        return f"its body's content is {_json_kind(body['content'])}, not text"
    if not isinstance(message.get("from"), dict | None):
        return f"its from is {_json_kind(message['from'])}, not an object or null"
    return None


def _teams_chat_id(message: Any) -> str | None:
    """The chat a Teams message names, its `chatId` (a channel's `channelId`; '' when neither is filled in), or None
    when it names none (not an object, or neither key)."""
    if not isinstance(message, dict) or ("chatId" not in message and "channelIdentity" not in message):
        return None
    channel = message.get("channelIdentity") if isinstance(message.get("channelIdentity"), dict) else {}
    return str(message.get("chatId") or channel.get("channelId") or "")


def _teams_sender(message: dict[str, Any]) -> tuple[str, bool]:
    """(name, is a person) of a chatMessage's `from`: a user's displayName (else id, else `Unknown`), an
    application's (a bot), or the unknown sender when `from` is null and names nobody."""
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    for kind in ("user", "application"):
        who = sender.get(kind)
        if isinstance(who, dict):
            name = str(who.get("displayName") or who.get("id") or "").strip()
            return name or UNKNOWN_SPEAKER, kind == "user"
    return UNKNOWN_SENDER, False


def read_teams_chat(messages: list[Any], path: str | Path | None,
                    lines: Sequence[int] | None = None) -> list[Conversation | ReadError]:
    """Teams chat messages (see `teams_messages`) as a conversation per `chatId` (a channel's `channelId`), in
    `createdDateTime` order, each `messageType: message` its sender's `displayName`'s turn (its HTML body converted,
    `_teams_html`); a system event, a deleted message, an application's (a bot's), a pasted picture and a message of an
    attachment alone are listed in the notices. A message that cannot be read (`_teams_flaw`) is listed after them, in
    the chat it names, else in the chat of the message before it in the file (before any that names one, the first
    chat named), as a blank conversation id is read in a table, by its line in the file in JSON Lines (`lines`, each
    message's), as an email table's row is, else by its place among the messages. A chat with no person's text is a
    ReadError in its place when the file holds several, else the file's."""
    chats: dict[str, _Chat] = {}
    readable: list[tuple[str, dict[str, Any]]] = []
    broken: list[tuple[str, str, str]] = []
    named = [_teams_chat_id(m) for m in messages]
    cid = next((own for own in named if own is not None), "")  # for a message before any that names its chat
    for position, (m, own) in enumerate(zip(messages, named, strict=True), 1):
        cid = cid if own is None else own
        if why := _teams_flaw(m):
            broken.append((cid, unit_place("message", position - 1, lines), why))
        else:
            readable.append((cid, m))
    if all(isinstance(m.get("createdDateTime"), str) for _, m in readable):
        readable.sort(key=lambda pair: pair[1]["createdDateTime"])
    for cid, m in readable:
        chat = chats.setdefault(cid, _Chat())
        body = m["body"]
        text, pictures = str(body.get("content") or ""), 0
        if str(body.get("contentType") or "").lower() == "html":
            text, pictures = _teams_html(text)
        name, person = _teams_sender(m)
        if m.get("messageType") != "message":
            chat.notices.append(str(m.get("messageType")))
        elif m.get("deletedDateTime") or not person:
            chat.notices.append(f"{name}: {'deleted message' if m.get('deletedDateTime') else text}")
        else:
            chat.notices += [f"{name}: image"] * pictures
            if text.strip():
                chat.segments.append(Segment(name, text, sent=_iso_time(m.get("createdDateTime"))))
            elif not pictures:  # a file or card alone: its body is only the attachment's tag
                chat.notices.append(f"{name}: {_teams_attachments(m)}")
    for cid, place, why in broken:
        chats.setdefault(cid, _Chat()).not_read(place, why)
    return _chats(chats, path)


# How Teams writes an emoji (`<emoji id="1f44d_thumbsup" alt="👍" title="Thumbs up"></emoji>`) and a picture pasted
# into a message (`<img src=".../hostedContents/.../$value" alt="image" ...>`, hosted by Teams, not in `attachments`).
_TEAMS_EMOJI = re.compile(r"<emoji\b[^>]*?\balt=\"([^\"]*)\"[^>]*>(?:\s*</emoji>)?", re.I)
_TEAMS_PICTURE = re.compile(r"<img\b[^>]*>", re.I)


def _teams_html(content: str) -> tuple[str, int]:
    """A Teams message's HTML body as text, with how many pictures it held: an emoji is the character it shows, a
    picture is no words (its alt is Teams' 'image'), counted so it can be listed in the notices."""
    content, pictures = _TEAMS_PICTURE.subn(" ", _TEAMS_EMOJI.sub(r"\1", content))
    return html_to_text(content), pictures


def _teams_attachments(message: dict[str, Any]) -> str:
    """What a Teams message with no text held: 'attachment' and its attachments' names, or 'no text'."""
    listed = message.get("attachments")
    attachments = [a for a in listed if isinstance(a, dict)] if isinstance(listed, list) else []
    names = ", ".join(str(a["name"]) for a in attachments if a.get("name"))
    return f"attachment {names}".rstrip() if attachments else "no text"


def _chats(chats: dict[str, _Chat], path: str | Path | None) -> list[Conversation | ReadError]:
    """A conversation per chat id (the file's name for ''), from what was read of it; a chat with no words is a
    ReadError in its place when the file holds several, else the file's."""
    if len(chats) == 1:
        return [_chat(next(iter(chats.values())), path, next(iter(chats)) or conversation_id(path))]
    conversations: list[Conversation | ReadError] = []
    for cid, chat in chats.items():
        try:
            conversations.append(_chat(chat, path, cid or conversation_id(path)))
        except ReadError as exc:
            conversations.append(ReadError(path, f"conversation {cid!r}: {exc.reason}", conversation_id=cid))
    return conversations


def _is_telegram_message(value: Any) -> bool:
    """Whether a value of a Telegram chat's `messages` is in its export's shape: an object with an `id`, a `date` and
    a `type` of `message` or `service`."""
    return isinstance(value, dict) and value.get("type") in ("message", "service") and {"id", "date"} <= value.keys()


def _telegram_chat_flaw(value: Any) -> str | None:
    """Why a JSON value is not a chat of Telegram Desktop's export, or None when it is one: an object with an `id`, a
    `type` ('personal_chat', 'private_group'...) and `messages`, most of them in Telegram's shape (`base.mostly`,
    `_is_telegram_message`)."""
    if not isinstance(value, dict):
        return f"{_json_kind(value)}, not a chat object"
    missing = [key for key in ("id", "type", "messages") if key not in value]
    if missing:
        return f"no {' or '.join(missing)}"
    if not isinstance(value["type"], str):
        return f"its type is {_json_kind(value['type'])}, not text"
    messages = value["messages"]
    if not isinstance(messages, list):
        return f"its messages are {_json_kind(messages)}, not a list"
    in_shape = [_is_telegram_message(m) for m in messages]
    return None if mostly(in_shape) else f"{in_shape.count(False)} of its {len(messages)} messages are not Telegram's"


_NOT_TELEGRAM_TEXT = "not text or a list of strings and entities"
# An id as Telegram Desktop writes it: 'user4815162342' ('channel...', 'chat...'), or before 2021, the number alone.
_NOT_TELEGRAM_ID = "not an id (text, or a whole number as exports before 2021 write it)"


def _telegram_flaw(message: Any) -> str | None:
    """Why a value of a Telegram chat's `messages` cannot be read as a message of its export, or None when it can: an
    object with an `id`, a `date` and a `type` of `message` or `service`, a text (`text`, else `text_entities`) that
    is a string, a list of strings and entities whose `text` is one, or null, a `from`, `actor` and
    `forwarded_from` that are names or null, and, where such a name is missing, null or empty, an id in its place
    (`from_id`...) that is text, a whole number or null."""
    if not isinstance(message, dict):
        return f"{_json_kind(message)}, not a message object"
    missing = [key for key in ("id", "date", "type") if key not in message]
    if missing:
        return f"no {' or '.join(missing)}"
    if message["type"] not in ("message", "service"):
        return f"its type is {message['type']!r}, not message or service"
    key = "text" if "text" in message else "text_entities"
    text = message.get(key)
    if not isinstance(text, str | list | None):
        return f"its {key} is {_json_kind(text)}, {_NOT_TELEGRAM_TEXT}"
    for part in text if isinstance(text, list) else []:
        if isinstance(part, dict) and not isinstance(part.get("text"), str | None):
            return f"its {key} holds an entity whose text is {_json_kind(part['text'])}, {_NOT_TELEGRAM_TEXT}"
        if not isinstance(part, str | dict):
            return f"its {key} holds {_json_kind(part)}, {_NOT_TELEGRAM_TEXT}"
    for who in ("from", "actor", "forwarded_from"):
        if not isinstance(message.get(who), str | None):
            return f"its {who} is {_json_kind(message[who])}, not a name"
        stand_in = message.get(f"{who}_id")  # read only where the name is missing (`_telegram_name`)
        if not message.get(who) and (isinstance(stand_in, bool) or not isinstance(stand_in, str | int | None)):
            return f"its {who}_id is {_json_kind(stand_in)}, {_NOT_TELEGRAM_ID}"
    return None


def telegram_chats(data: Any) -> list[tuple[str, Any, str | None]] | None:
    """The chats of Telegram Desktop's JSON export (`result.json`), each with where the file holds it and why it cannot
    be read (`_telegram_chat_flaw`, None when it can): a chat's export is the chat ('the chat'); a whole account's
    lists them under `chats` and, those left, `left_chats` (each `{"list": [...]}`: 'chat 3 of chats.list'), most of
    them (`base.mostly`) Telegram's chats, so one malformed chat does not lose the others. None when `data` is not that."""
    if isinstance(data, dict) and isinstance(data.get("chats"), dict):
        found = [(f"chat {n} of {key}.list", chat, _telegram_chat_flaw(chat)) for key in ("chats", "left_chats")
                 if isinstance(section := data.get(key), dict) and isinstance(section.get("list"), list)
                 for n, chat in enumerate(section["list"], 1)]
        return found if found and mostly([why is None for _, _, why in found]) else None
    return [("the chat", data, None)] if _telegram_chat_flaw(data) is None else None


def _telegram_text(message: dict[str, Any]) -> str:
    """A Telegram message's text: `text` as a string, or its strings and entities' (`{"type": "bold", "text": ...}`)
    text joined; `text_entities` when it has no `text`."""
    text = message.get("text", message.get("text_entities"))
    parts = text if isinstance(text, list) else [text]
    return "".join(str(p.get("text") or "") if isinstance(p, dict) else str(p or "") for p in parts)


def _telegram_name(message: dict[str, Any], key: str) -> str:
    """Who a Telegram message names under `key` ('from', a service message's 'actor'), else under its id (`from_id`:
    an account since deleted has no name); '' when neither."""
    return str(message.get(key) or message.get(f"{key}_id") or "").strip()


def _telegram_author(message: dict[str, Any]) -> str:
    """Whose words a Telegram message is: a forwarded one's (`forwarded_from`) first author's, as a forwarded email is
    credited to its author (the unknown sender's when Telegram names none); else its sender's."""
    if "forwarded_from" in message:
        return _telegram_name(message, "forwarded_from") or UNKNOWN_SENDER
    return _telegram_name(message, "from") or UNKNOWN_SPEAKER


# What a Telegram message with no text may hold besides a `media_type` (a voice message, a sticker, a video).
_TELEGRAM_MEDIA = ("photo", "file", "poll", "location_information", "contact_information")


def _telegram_chat_id(chat: dict[str, Any], taken: Collection[str]) -> str:
    """A chat's conversation id: its `name` (else its `id`); when another chat has it, the name with the id after it,
    then with a number after that, so no two chats of a file are read as one."""
    name = str(chat.get("name") or chat["id"])
    with_id = f"{name} ({chat['id']})"
    return next(cid for cid in chain([name, with_id], (f"{with_id}-{n}" for n in count(2))) if cid not in taken)


def read_telegram(chats: list[tuple[str, Any, str | None]], path: str | Path | None) -> list[Conversation | ReadError]:
    """Telegram Desktop's JSON export (see `telegram_chats`) as a conversation per chat, named by the chat's `name`
    (else its `id`; a name another chat has, with the id after it: `_telegram_chat_id`): each `message` is its
    sender's turn (a forwarded one its author's, `_telegram_author`), its text joined; a `service` message (a call, a
    member added, a pin), a message with no text (a photo, a voice message, a file) and one that cannot be read
    (`_telegram_flaw`) are listed in the notices, in the chat's order. A chat of a whole account's export that is not
    Telegram's (the flaw `telegram_chats` found) is a ReadError in its place, named by where the file holds it."""
    by_id: dict[str, _Chat] = {}
    broken: dict[int, ReadError] = {}  # by the chat's place among the file's
    for place, (where, chat, why) in enumerate(chats):
        if why:
            named = f" ({chat['name']!r})" if isinstance(chat, dict) and isinstance(chat.get("name"), str) else ""
            broken[place] = ReadError(path, f"{where}{named} cannot be read: {why}", conversation_id=where)
            continue
        read = by_id.setdefault(_telegram_chat_id(chat, by_id.keys()), _Chat())
        for position, m in enumerate(chat["messages"], 1):
            if why := _telegram_flaw(m):
                read.not_read(f"message {position}", why)
                continue
            text, name = _telegram_text(m), _telegram_author(m)
            if m["type"] == "service":
                what = [_telegram_name(m, "actor"), str(m.get("action") or "service"), text]
                read.notices.append(": ".join(filter(None, what)))
            elif not text.strip():
                held = m.get("media_type") or next((k for k in _TELEGRAM_MEDIA if m.get(k)), "no text")
                read.notices.append(f"{name}: {held}")
            else:
                sent = _epoch_time(_seconds(m.get("date_unixtime"))) or _iso_time(m.get("date"))
                read.segments.append(Segment(name, text, sent=sent))
    conversations = iter(_chats(by_id, path))  # one for each chat read, in the file's order
    return [broken[place] if place in broken else next(conversations) for place in range(len(chats))]


# Telegram Desktop's HTML export, its default: a chat in pages of up to 1,000 messages (`messages.html`,
# `messages2.html`...) beside `css/`, `js/` and `images/`, as its exporter (export_output_html.cpp) writes them. A chat's
# page holds its messages in `<div class="page_body chat_page"><div class="history">`; the export's summary and lists
# (`export_results.html`, `lists/chats.html`) open with the same body and header, and another page body. The header
# (`page_header`) names the page: a chat's page its chat, linking back to the list of chats in a whole account's export
# and nowhere in a chat's own; the summary 'Exported Data', linking nowhere; a list its kind, linking back to the summary.
_TELEGRAM_HEAD = 16384  # the opening of a page read to sniff it; a chat's name, in its header, is at most 128 characters
_HTML_START = re.compile(r"[\ufeff\s]*<(?:!doctype\s+html|html)\b", re.I)
_TELEGRAM_CHAT_PAGE = re.compile(r'<div class="page_body chat_page">\s*<div class="history">')
_TELEGRAM_OTHER_PAGE = re.compile(r'<body onload="CheckLocation\(\);">\s*<div class="page_wrap">\s*<div class="page_header">')
_TELEGRAM_SUMMARY = "Exported Data"  # the summary page's header
# The exporter closes every tag it opened when it ends a page: after a chat's messages the history's `</div>`, the page
# body's and the page wrap's, then `</body>` and `</html>`. It escapes the text and attributes it writes (`&lt;`), so
# each `<div`, `</div` and `</html>` in a page is its own.
_DIV_TAG = re.compile(r"<(/?)div\b", re.I)
_PAGE_END = re.compile(r"</html\s*>", re.I)
# A cut may fall after the last message, or in the link to the next page, so it may have left every message.
_TELEGRAM_CUT = ("the page ends inside its message history, with no end of the history or the page after it: messages "
                 "after the cut may be missing")
# The message a cut falls in with none of its words before the cut: its sender's name, and what it held, may be cut too.
_TELEGRAM_CUT_MESSAGE = not_read("the last message", "cut short before any words")
# Where a whole account's chat page links back to: the list of chats (the first exporter listed those left apart).
_TELEGRAM_CHAT_LISTS = ("lists/chats.html", "lists/left_chats.html")
# The heading the exporter writes above each day's messages ('12 March 2024'), in English whatever the app's language.
_TELEGRAM_DAY = re.compile(r"\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November"
                           r"|December) \d{4}")
# A message's date details' title: '12.03.2024 10:15:00', the wall clock of the exporting computer on the message's day,
# then, since Telegram Desktop 3.7.6 (2022), that computer's zone as Qt names its standard time, the same on every
# message whatever its day's summer time: ' UTC+01:00' on a message sent in Berlin in July at UTC+02:00, so not read;
# where Qt is built without ICU on Linux, the zone's abbreviation (' CET', ' MSK', ' +03').
_TELEGRAM_TIME = re.compile(r"(?P<d>\d{2})\.(?P<mo>\d{2})\.(?P<y>\d{4}) (?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
                            r"(?: \S+)?")
_VIA_BOT = re.compile(r"\s+via @\w+$")  # after a sender's name when a bot posted for them
# The boxes a photo, a sticker, a GIF and a video with a preview are shown in; other media's box names them by a class
# of their own, `media_` and the kind ('media_voice_message', 'media_call', 'media_file').
_TELEGRAM_PREVIEWS = {"photo_wrap": "photo", "sticker_wrap": "sticker", "animated_wrap": "animation",
                      "video_file_wrap": "video_file"}


def sniff_telegram_html(data: bytes) -> bool:
    """Whether a file is a page of Telegram Desktop's HTML export: it opens as an HTML page (so an email whose HTML is
    such a page is not one) and its opening holds a chat page's history, or the body and header the export's other
    pages open with. A page whose divs are only named alike (`history`, `message`, `from_name`) is not one."""
    head = data[:_TELEGRAM_HEAD].decode("utf-8", "replace")
    return _HTML_START.match(head) is not None and bool(_TELEGRAM_CHAT_PAGE.search(head) or _TELEGRAM_OTHER_PAGE.search(head))


def _child(tag: Tag, *classes: str) -> Tag | None:
    """The first `div` right inside `tag` that has all of `classes`, or None."""
    return next((div for div in tag.find_all("div", recursive=False) if set(classes) <= set(div.get("class") or ())), None)


def _telegram_html_time(title: str) -> datetime | None:
    """A message's time from its date details' title: its wall clock, with no zone, as the offset after it is the
    exporting computer's standard one, not the message's (see `_TELEGRAM_TIME`); None when it is no date and time."""
    m = _TELEGRAM_TIME.fullmatch(title.strip())
    if m is None:
        return None
    try:
        return datetime(int(m["y"]), int(m["mo"]), int(m["d"]), int(m["h"]), int(m["mi"]), int(m["s"]))
    except ValueError:
        return None


def _telegram_html_name(shown: Tag) -> str:
    """The name a `from_name` shows: its own text, without what is inside it (a forwarded message's date) and without
    ' via @bot'."""
    own = "".join(shown.find_all(string=True, recursive=False))
    return _VIA_BOT.sub("", " ".join(own.split()))


def _telegram_html_media(content: Tag) -> str:
    """What a message with no text holds, as its media box's classes name it ('photo', 'voice_message', 'call',
    'file'); 'no text' when it has no media box."""
    box = _child(content, "media_wrap")
    if box is None:
        return "no text"
    for tag in box.find_all(True):
        for name in tag.get("class") or ():
            if name in _TELEGRAM_PREVIEWS or name.startswith("media_"):
                return _TELEGRAM_PREVIEWS.get(name) or name.removeprefix("media_")
    return "media"


def _is_cut_chat_page(soup: Tag) -> bool:
    """Whether a page of Telegram's export with no message history is a chat's page cut short: its body is a chat
    page's, or, cut before its body (the exporter writes the two together), its header is a chat's, linking back to the
    list of chats or linking nowhere and not the summary's (one cut before its name is taken for a chat's, as most of an
    export's pages are); not the summary's or a list's, which have no history."""
    body = soup.select_one("div.page_wrap > div.page_body")
    if body is not None:
        return "chat_page" in (body.get("class") or ())
    header = soup.select_one("div.page_wrap > div.page_header")
    back = header.find("a", class_="content", recursive=False) if header is not None else None
    if back is not None:
        return str(back.get("href") or "").endswith(_TELEGRAM_CHAT_LISTS)
    return header is not None and " ".join(header.get_text().split()) != _TELEGRAM_SUMMARY


def _without_cut_tag(text: str) -> str:
    """A page's text without the tag a cut split in two at its end (`<a href="https://exa`), which a parser reads as
    text: the exporter escapes each `<` of what it writes (`&lt;`), so the last `<` with no `>` after it is a tag's. A
    whole page ends with its `</html>`, so this leaves it as it is."""
    last = text.rfind("<")
    return text[:last] if last >= 0 and ">" not in text[last:] else text


def _telegram_history_cut(text: str) -> int | None:
    """Whether a chat page (its text as written, `_without_cut_tag`) was cut short inside its message history, as an
    interrupted copy or download leaves it: how many of the history's `<div>` the cut left open (0 when it fell between
    two messages; more when inside the last, so that one is cut), or None when it was not cut there. Two signs must
    agree, as a whole page never shows either: no `</html>` comes after the history's opening, and the history's
    `<div>` is never closed (after its opening tag, the `</div>` never outnumber the `<div>`). A page cut after its
    history closed, its messages all there, is not cut inside it; a page whose history is not opened as the exporter
    writes it (`_TELEGRAM_CHAT_PAGE`) is not judged."""
    opening = _TELEGRAM_CHAT_PAGE.search(text)
    if opening is None or _PAGE_END.search(text, opening.end()):
        return None
    depth = 0
    for tag in _DIV_TAG.finditer(text, opening.end()):
        depth += -1 if tag[1] else 1
        if depth < 0:
            return None  # the history's own `</div>`
    return depth


def _telegram_page_id(soup: Tag, history: Tag, path: str | Path | None) -> str:
    """A chat page's conversation id: the chat's name, from the page header; a later page of the chat (its history
    opens with the link to the page before) with its file's name after it, 'Marcus Lee (messages2)', so the pages of one
    chat stay apart."""
    header = soup.select_one("div.page_header div.text")
    name = " ".join(header.get_text().split()) if header is not None else ""
    cid = name or conversation_id(path)
    first = history.find(True, recursive=False)
    later = first is not None and first.name == "a" and "pagination" in (first.get("class") or ())
    return f"{cid} ({conversation_id(path)})" if later else cid


def read_telegram_html(text: str, path: str | Path | None) -> Conversation:
    """A page of Telegram Desktop's HTML export (see `sniff_telegram_html`) as a conversation named after its chat
    (`_telegram_page_id`). Each message is its sender's turn (`from_name`; a 'joined' one, which shows no name, that of
    the sender above it), a forwarded one its first author's (its forwarded box's `from_name`, else, for one joined to
    the forwarded message above it, that one's), its `text` converted as HTML mail is, its date details' title its
    `sent`. A service line (a pin, a member added) and a message with no text (a call, a photo, a voice message) are
    listed in the notices; the headings the exporter puts above each day ('12 March 2024') restate the messages' dates
    and are not. The export's summary and list pages are refused, saying what they are, and so is a chat's page cut
    short before its message history (`_is_cut_chat_page`); one cut inside it (`_telegram_history_cut`) is read as far
    as it goes and noted as cut short (`cut_short`, which `base.cut_short_warning` names in a warning), and when no
    message with words is left its error says it was cut. The message such a cut falls in gives its words as far as
    they go (a tag cut in two dropped), and, with none, is listed as cut, not by a sender or a content the cut may have
    split (`Mar: no text`)."""
    text = _without_cut_tag(text)
    open_divs = _telegram_history_cut(text)
    soup = parse_html(text)  # as HTML mail is: its '<br>' read in linear time, a broken '<![' as a browser reads it
    history = soup.select_one("div.page_body.chat_page > div.history")
    if history is None:
        if _is_cut_chat_page(soup):
            raise ReadError(path, "a Telegram Desktop chat page with no message history: cut short? The file ends "
                                  "before the <div class=\"history\"> of its messages: copy or export the chat again")
        if soup.select_one("div.page_wrap > div.page_header") is not None:
            raise ReadError(path, "a page of Telegram Desktop's HTML export that is no chat (its summary, or its list of "
                                  "chats, contacts or sessions), not a conversation: read the chats' pages, messages.html "
                                  "(chats/chat_01/messages.html... in a whole account's export)")
        raise ReadError(path, "not a page of Telegram Desktop's HTML export: no chat page's <div class=\"history\"> "
                              "of messages found")
    chat = _Chat()
    sender = forwarded = ""  # the name shown last above a message, and above a forwarded one
    cut_in = history.find_all("div", recursive=False)[-1] if open_divs else None  # the message the cut falls in
    for message in history.find_all("div", class_="message", recursive=False):
        body = _child(message, "body") or message
        if "service" in (message.get("class") or ()):
            line = " ".join(body.get_text().split())
            if message is cut_in:
                chat.notices.append(_TELEGRAM_CUT_MESSAGE)
            elif line and not _TELEGRAM_DAY.fullmatch(line):
                chat.notices.append(line)
            continue
        if (shown := _child(body, "from_name")) is not None:
            sender = _telegram_html_name(shown)
        content, author = body, sender or UNKNOWN_SPEAKER
        if (box := _child(body, "forwarded", "body")) is not None:
            if (first_author := _child(box, "from_name")) is not None:
                forwarded = _telegram_html_name(first_author)
            content, author = box, forwarded or UNKNOWN_SENDER
        else:
            forwarded = ""
        words = _child(content, "text")
        said = html_to_text(words) if words is not None else ""
        stamp = _child(body, "date", "details")
        if said.strip():
            chat.segments.append(Segment(author, said, sent=_telegram_html_time(str(stamp.get("title") or "")) if stamp else None))
        else:
            chat.notices.append(_TELEGRAM_CUT_MESSAGE if message is cut_in else f"{author}: {_telegram_html_media(content)}")
    try:
        conv = _chat(chat, path, _telegram_page_id(soup, history, path), fmt="telegram_html")
    except ReadError as exc:
        if open_divs is None:
            raise
        raise ReadError(path, f"{exc.reason}; cut short: {_TELEGRAM_CUT}") from exc
    if open_divs is not None:
        conv.metadata[CUT_SHORT] = [_TELEGRAM_CUT]
    return conv


# What a Slack message of a person may be besides a plain one; other subtypes (joins, leaves, topics, bots' posts)
# are Slack's or an app's.
_SLACK_WORDS = frozenset({"thread_broadcast", "me_message", "file_share"})
_SLACK_MARKUP = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")


def slack_messages(data: Any) -> list[dict[str, Any]] | None:
    """A Slack export's channel day file (a list of messages, each `type: message` with a `ts`, some from a `user` or
    a bot's `bot_id`), or None: segments that name their speaker otherwise are a diarized transcript's."""
    if not isinstance(data, list) or not data:
        return None
    ok = all(isinstance(m, dict) and m.get("type") == "message" and "ts" in m for m in data)
    return data if ok and any("user" in m or "bot_id" in m for m in data) else None


# The lists of a Slack export's folder beside its channels' folders, by file name: what each lists.
_SLACK_LISTS = {"users.json": "users", "channels.json": "public channels", "groups.json": "private channels",
                "mpims.json": "group direct messages", "dms.json": "direct messages"}


def slack_listing(data: Any, path: str | Path | None = None) -> str | None:
    """What a file of a Slack export's folder beside its channels' folders is, in Slack's shape (its users, each with
    a `profile`; its channels, private channels or direct messages, each with `created` and `members`; its apps' log,
    `logs` of `change_type`s), or None: those files describe the workspace and hold no conversation. An empty list
    (`dms.json` of a workspace with no direct messages) is one only by its file's name (`_SLACK_LISTS`), exactly as
    Slack writes it: another file's empty list is not Slack's."""
    name = Path(path).name if path is not None else ""
    if data == [] and name in _SLACK_LISTS:
        return f"a Slack export's empty list of {_SLACK_LISTS[name]} ({name})"
    if isinstance(data, dict) and isinstance(data.get("logs"), list):
        logs = data["logs"]
        return ("a Slack export's log of the apps added and removed (integration_logs.json)"
                if all(isinstance(e, dict) and "change_type" in e for e in logs) else None)
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        return None
    if all({"id", "name"} <= item.keys() and isinstance(item.get("profile"), dict) for item in data):
        return "a Slack export's list of users (users.json)"
    if all({"id", "created"} <= item.keys() and isinstance(item.get("members"), list) for item in data):
        return "a Slack export's list of channels or direct messages (channels.json, groups.json, mpims.json, dms.json)"
    return None


def _slack_text(text: str, names: dict[str, str]) -> str:
    """A message's text as Slack shows it: `<@U1>` as '@' and the name, `<url|label>` as its label (a date's or user
    group's `<!...|label>` too), `<!here>` as '@here', `&amp;` as '&'."""
    def shown(m: re.Match[str]) -> str:
        sigil, target, label = m.groups()
        if sigil == "@":
            return f"@{label or names.get(target, target)}"
        if sigil == "!":
            return label or f"@{target}"
        return f"{sigil}{label or target}"
    return html.unescape(_SLACK_MARKUP.sub(shown, text))


def read_slack(messages: list[dict[str, Any]], path: str | Path | None) -> Conversation:
    """A Slack channel's day file (see `slack_messages`) as one conversation, in `ts` order (file order when some `ts`
    is not a number): a person's message is their turn (`user_profile.real_name`, else the `user` id); a join, a
    leave, a bot's post or another subtype of Slack's own, and a person's message with no text (a file shared alone), are
    listed in the notices. Each `ts` is read once
    (`_seconds`), for the order and the turn's time."""
    names = {str(m["user"]): str(m["user_profile"]["real_name"]) for m in messages if isinstance(m.get("user_profile"), dict)
             and m["user_profile"].get("real_name") and m.get("user")}
    chat = _Chat()
    timed = [(m, _seconds(m["ts"])) for m in messages]
    if all(seconds is not None for _, seconds in timed):
        timed.sort(key=lambda pair: pair[1])  # type: ignore[arg-type, return-value]
    for m, seconds in timed:
        text = _slack_text(str(m.get("text") or ""), names)
        subtype = m.get("subtype")
        name = names.get(str(m.get("user")), str(m.get("user")))
        if (subtype and str(subtype) not in _SLACK_WORDS) or m.get("bot_id") or not m.get("user"):
            chat.notices.append(f"{subtype or 'bot_message'}: {m.get('text') or ''}")
        elif not text.strip():  # a file shared with no comment
            chat.notices.append(f"{name}: {_slack_files(m)}")
        else:
            chat.segments.append(Segment(name, text, sent=_epoch_time(seconds)))
    return _chat(chat, path, conversation_id(path))


def _slack_files(message: dict[str, Any]) -> str:
    """What a Slack message with no text held: 'file' and its files' names, or 'no text'."""
    listed = message.get("files")
    files = [f for f in listed if isinstance(f, dict)] if isinstance(listed, list) else []
    names = ", ".join(str(f["name"]) for f in files if f.get("name"))
    return f"file {names}".rstrip() if files else "no text"
