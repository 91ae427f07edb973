"""Chat apps' own exports, read as turns (a call's channel, as a chat table is): WhatsApp's "Export chat" text, Microsoft
Teams chat messages from Graph (`chatMessage`) and a Slack export's channel day file.

Each message is its sender's words. What the app wrote itself (WhatsApp's encryption notice and 'X added Y', its
placeholders for media and deleted messages, a Teams system event, a Slack join or a bot's post) is nobody's words: it
gives no turn and is listed, in order, in the conversation's `metadata["chat_notices"]`, so nothing is dropped unseen.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.readers.base import Segment, build_conversation

NOTICES = "chat_notices"
_LRM = "\u200e"  # iOS starts the lines and texts WhatsApp wrote itself with a left-to-right mark
# A message line: '12/03/2024, 10:15 - Name: text' (Android), '[12/03/2024, 10:15:32] Name: text' (iOS); the date in the
# phone's order ('3/12/24', '12.03.24', '2024-03-12'), the time of 12 hours with AM/PM after a space or a narrow one.
_STAMP = r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4},? \d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:[ \u202f\u00a0]?[AaPp]\.?[Mm]\.?)?"
WHATSAPP_LINE = re.compile(rf"(?:{_STAMP} [-–] |\[{_STAMP}\] )(?P<rest>.*)")
_SENDER = re.compile(r"(?P<name>[^:\"“”]{1,80}?): ?(?P<text>.*)")  # a system line ('X changed the subject to "a: b"')
# WhatsApp's placeholders for what is not text: media left out of the export or attached to it, a deleted message.
_PLACEHOLDER = re.compile(r"<Media omitted>|(?:.* )?(?:image|video|audio|sticker|GIF|document|Contact card) omitted"
                          r"|<attached: [^>]*>|\S.* \(file attached\)|This message was deleted\.?"
                          r"|You deleted this message\.?", re.IGNORECASE)
_EDITED = "<This message was edited>"


def _whatsapp_message(line: str) -> re.Match[str] | None:
    """The match of a WhatsApp message line, its marks aside; None for any other line."""
    return WHATSAPP_LINE.fullmatch(line.lstrip("\ufeff" + _LRM).rstrip())


def sniff_whatsapp(text: str) -> bool:
    """Whether a text is a WhatsApp export: its first line with text is a message line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return _whatsapp_message(first) is not None


def _whatsapp_words(rest: str, notices: list[str]) -> Segment | None:
    """A message line's sender and words, after its time; None for a line WhatsApp wrote, put in `notices` as all
    placeholders and notices are (an attached file's placeholder gives an empty message, its caption below it)."""
    m = _SENDER.fullmatch(rest)
    if m is None:  # Android's notices have no sender: 'Messages and calls are end-to-end encrypted...'
        notices.append(rest.strip())
        return None
    name, text = m.group("name").strip(), m.group("text").strip()
    if text.startswith(_LRM) and not _PLACEHOLDER.fullmatch(text.strip(_LRM)):  # iOS's notices, marked, say
        notices.append(f"{name}: {text.strip(_LRM)}")
        return None
    if _PLACEHOLDER.fullmatch(text.replace(_LRM, "")):
        notices.append(f"{name}: {text.replace(_LRM, '')}")
        text = ""
    elif text.endswith(_EDITED):
        notices.append(f"{name}: {_EDITED}")
        text = text.removesuffix(_EDITED).rstrip(_LRM + " ")
    return Segment(name, text)


def read_whatsapp(text: str, path: str | Path | None = None) -> Conversation:
    """WhatsApp's "Export chat" text: a line per message, `date, time - Name: text` or `[date, time] Name: text`, a
    message's further lines below it; see the module for what is not read as anyone's words."""
    segments: list[Segment] = []
    notices: list[str] = []
    preamble: list[str] = []
    current: Segment | None = None
    for line in text.splitlines():
        m = _whatsapp_message(line)
        if m is not None:
            current = _whatsapp_words(m.group("rest"), notices)
            segments += [current] if current else []
        elif current is not None:
            current.text += f"\n{line}" if current.text else line
        elif line.strip():
            (notices if segments or notices else preamble).append(line.strip())
    meta: dict[str, Any] = {NOTICES: notices} if notices else {}
    if preamble:
        meta["preamble"] = "\n".join(preamble)
    return build_conversation(segments, channel="call", path=path, fmt="whatsapp", metadata=meta)
