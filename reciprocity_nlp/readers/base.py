"""What every reader shares: raw segments in, one merged `Conversation` out."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reciprocity_nlp.conversation import NOT_READ_BEFORE, SPEAKERS_NOT_READ, UNKNOWN_SPEAKER, Channel, Conversation, Turn
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.speakers import label_key, unify_labels
from reciprocity_nlp.wording import count

MAX_TURN_CHARS = 200_000  # about 35,000 words; spaCy refuses texts over 1,000,000 characters
MAX_TURNS = 50_000  # a ten-hour meeting has about 10,000; past this it is many conversations, or not one
MAX_CONVERSATION_CHARS = 5_000_000  # about 850,000 words, some 90 hours of talk


@dataclass
class Segment:
    """One piece of speech or one message as a reader finds it, before merging."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    sent: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    # Its words could not be read (listed in the notices): it gives no turn, but its speaker spoke there, so the
    # segments of another around it are not joined into one turn, and a speaker with no other is named as theirs.
    unread: bool = False


@functools.cache
def column_key(name: object) -> str:
    """A column or key name as matched: case, spaces, hyphens and underscores aside (`Call ID`, `callId` -> `callid`)."""
    return re.sub(r"[\s_-]+", "", str(name).lower())


# What a conversation read from its subject alone says in its metadata (an image-only email, a table row with no body).
SUBJECT_STANDS_IN = {"body": "no readable text; the subject stands in for it"}


def subject_only_warning(conversation: Conversation) -> str | None:
    """That an email with no readable text was read, and so is rated, from its subject line alone, or None."""
    if conversation.metadata.get("body") == SUBJECT_STANDS_IN["body"]:
        return "no readable text in the email: rated on its subject line alone"
    return None


# How many of a file's messages (a chat's) or segments (a diarized transcript's) its reader could not read (malformed),
# each listed in the conversation's notices: a chat's in `chat_notices`, with what the app wrote itself; a transcript's
# in `notices`, as it has no such lines and a call's metadata should not name a chat.
MESSAGES_NOT_READ = "messages_not_read"
CHAT_NOTICES = "chat_notices"
NOTICES = "notices"


def mostly(in_shape: list[bool]) -> bool:
    """Whether a file's messages (or segments) are mostly in the shape its reader reads: all of them (so a file of
    none), or more than half; a chat or a transcript with one broken is still one, and a file with a few in a chat's
    shape among other rows is not."""
    return all(in_shape) or 2 * sum(in_shape) > len(in_shape)


def unit_place(unit: str, i: int, lines: list[int] | None) -> str:
    """How a notice or an error names the file's `unit` (message, segment) at `i` of its list: by its line in JSON Lines
    (`lines`, each value's line in the file), else by its place in the list, from 1 ('segment 3', 'message on line 7')."""
    return f"{unit} on line {lines[i]}" if lines else f"{unit} {i + 1}"


def not_read(place: str, why: str) -> str:
    """The notice listing a message or segment its reader could not read, by its place in the file ('message 5',
    'segment on line 7') and why."""
    return f"{place} not read: {why}"


def unread_reason(reason: str, unread: Sequence[tuple[str, str]], unit: str) -> str:
    """A ReadError's reason (no turns, say), with how many of the file's `unit`s (messages, segments) could not be
    read and, by its place, why the first, when any could not: the error follows from them, so it names them."""
    if not unread:
        return reason
    (place, why), n = unread[0], len(unread)
    return f"{reason}; {count(n, unit)} could not be read ({'the first, ' if n > 1 else ''}{place}: {why})"


def unread_warning(conversation: Conversation) -> str | None:
    """What the reader kept out of a conversation, which its ratings cannot see: the attached messages it did not
    read (the `attached_not_read` the email readers note), or how many of a chat's messages or a transcript's segments
    it could not read (the `messages_not_read` the chat and diarized readers note, listed in `chat_notices` or
    `notices`); else None."""
    notes = conversation.metadata.get("attached_not_read")
    if notes:
        return f"attached messages not read: {'; '.join(notes)}"
    skipped = conversation.metadata.get(MESSAGES_NOT_READ)
    if skipped:
        unit, listed = ("chat message", CHAT_NOTICES) if CHAT_NOTICES in conversation.metadata else ("segment", NOTICES)
        return (f"{count(skipped, unit)} could not be read (malformed; listed in {listed}), so the "
                f"ratings do not see {'it' if skipped == 1 else 'them'}")
    return None


# How a conversation's file was cut short (an interrupted copy or download), as its structure shows it: the email
# readers note a message cut inside it (`mime.cut_short`), the Telegram HTML reader a chat page cut inside its history.
CUT_SHORT = "cut_short"


# Text of a file in no message its reader could find (before an mbox's first message, an mbox entry that is none), listed.
TEXT_NOT_READ = "text_not_read"


def text_not_read_warning(conversation: Conversation) -> str | None:
    """That text of the conversation's file was in no message, so no turn and not rated (the `text_not_read` the mbox
    reader notes), or None."""
    notes = conversation.metadata.get(TEXT_NOT_READ)
    if notes:
        return f"text in the file outside any message, not read: {'; '.join(notes)}"
    return None


# The formats only chats are read from; a chat is read as a call is (channel `call`), and Teams', Slack's and
# Telegram's JSON chats share the format `json` with diarized calls.
_CHAT_FORMATS = frozenset({"whatsapp", "telegram_html"})


def cut_short_warning(conversation: Conversation) -> str | None:
    """That an email (or a message of a thread), a chat or a transcript was cut short, so its ratings see only what came
    before the cut (the `cut_short` its reader notes), or None. What was cut is named by the channel (an email) and the
    format (a chat's, `_CHAT_FORMATS`), as a chat's channel is a call's."""
    notes = conversation.metadata.get(CUT_SHORT)
    if notes:
        if conversation.channel == "email":
            what = "email"
        else:
            what = "chat" if conversation.metadata.get("format") in _CHAT_FORMATS else "transcript"
        return f"{what} cut short ({'; '.join(notes)}): rated on what came before the cut"
    return None


def conversation_id(path: str | Path | None) -> str:
    """An id derived from a file name: `calls/Intro Call.vtt` -> `Intro Call`."""
    return Path(path).stem if path else "conversation"


def build_conversation(
    segments: list[Segment],
    *,
    channel: Channel,
    path: str | Path | None,
    fmt: str,
    merge: bool = True,
    conv_id: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Conversation:
    """Merge consecutive segments of one speaker (calls) into turns and wrap them up.

    A call's speaker labels are first made one per person (`unify_labels`: 'TOM OKAFOR' and 'Tom' are
    'Tom Okafor'), the labels of segments not read among them, and the labels so renamed are kept in
    `metadata["speaker_labels"]`. A segment not read (`Segment.unread`) gives no turn, but its speaker spoke
    there: the next turn lists them in its metadata (`NOT_READ_BEFORE`) when they are neither its speaker nor the
    one's before it, and those two are then not joined; a speaker with no turn is listed in
    `metadata["speakers_not_read"]`. Raises ReadError when nothing with text is left, so an empty file never passes
    as an empty conversation.
    """
    kept = [seg for seg in segments if (seg.text.strip() or seg.unread) and seg.speaker.strip()]
    names = unify_labels(seg.speaker.strip() for seg in kept) if channel == "call" else {}
    turns: list[Turn] = []
    between: list[str] = []  # the speakers of segments not read since the last turn
    for seg in segments:
        text, speaker = seg.text.strip(), names.get(seg.speaker.strip(), seg.speaker.strip())
        if seg.unread:
            between += [speaker] if turns and speaker else []
            continue
        if not (text and speaker):
            continue
        around = {label_key(speaker), label_key(turns[-1].speaker)} if turns else set()
        others = [s for s in dict.fromkeys(between) if label_key(s) not in around]
        between = []
        if merge and turns and turns[-1].speaker == speaker and not others:
            turns[-1].join(text, seg.end)
            continue
        turns.append(
            Turn(index=len(turns), speaker=speaker, text=text, start=seg.start, end=seg.end,
                 sent=seg.sent, metadata=dict(seg.metadata))
        )
        if others:
            turns[-1].metadata[NOT_READ_BEFORE] = others
    if not turns:
        raise ReadError(path, f"no speaker turns with text found in this {fmt} file")
    if channel == "call" and all(t.speaker == UNKNOWN_SPEAKER for t in turns):
        raise ReadError(path, f"no turn of this {fmt} file names a speaker: the call is not diarized, so nobody in "
                              "it can be rated; run speaker diarization or give each turn its speaker's name")
    if len(turns) > MAX_TURNS:
        raise ReadError(path, f"{len(turns):,} speaker turns: too many for one conversation (at most {MAX_TURNS:,}); "
                              "split it into its conversations")
    total = sum(len(t.text) for t in turns)
    if total > MAX_CONVERSATION_CHARS:
        raise ReadError(path, f"{total:,} characters of speech: too long for one conversation (at most "
                              f"{MAX_CONVERSATION_CHARS:,}); split it into its conversations")
    longest = max(turns, key=lambda t: len(t.text))
    if len(longest.text) > MAX_TURN_CHARS:
        raise ReadError(path, f"turn {longest.index} is {len(longest.text):,} characters long: not a conversation "
                              f"(a turn may hold at most {MAX_TURN_CHARS:,})")
    meta: dict[str, Any] = {"format": fmt}
    meta.update(metadata or {})
    renamed = {label: name for label, name in names.items() if label != name}
    if renamed:
        meta["speaker_labels"] = renamed
    heard = {label_key(t.speaker) for t in turns}
    silent = [s for s in dict.fromkeys(seg.speaker.strip() for seg in segments if seg.unread)
              if s and s != UNKNOWN_SPEAKER and label_key(names.get(s, s)) not in heard]
    if silent:
        meta[SPEAKERS_NOT_READ] = silent
    return Conversation(
        id=conv_id or conversation_id(path),
        channel=channel,
        turns=turns,
        source=str(path) if path is not None else None,
        metadata=meta,
    )
