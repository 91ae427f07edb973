"""Speaker-diarized exports: JSON segments/utterances (WhisperX, AssemblyAI, Deepgram styles), speech-to-text tools'
JSON exports (`vendors`), and CSV/TSV."""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reciprocity_nlp.conversation import UNKNOWN_SPEAKER, Channel, Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers import chats, gmail, mailtables
from reciprocity_nlp.readers.base import (
    MESSAGES_NOT_READ,
    NOTICES,
    Segment,
    build_conversation,
    column_key,
    conversation_id,
    mostly,
    not_read,
    unit_place,
    unread_reason,
)
from reciprocity_nlp.readers.transcripts import to_seconds
from reciprocity_nlp.readers.vendors import ADAPTERS, vendor_rows
from reciprocity_nlp.wording import count, json_problem

# What each column may be called, in order of preference, compared as column_key gives them.
_SPEAKER_KEYS = tuple(map(column_key, ("speaker", "speaker_label", "speaker_name", "spk", "name", "participant", "role")))
_TEXT_KEYS = tuple(map(column_key, ("text", "transcript", "utterance", "content", "message", "sentence")))
_ID_KEYS = tuple(map(column_key, ("conversation_id", "conversation", "call_id", "meeting_id", "interaction_id",
                               "dialogue_id", "dialog_id")))
_START_KEYS = tuple(map(column_key, ("start", "start_time")))
_END_KEYS = tuple(map(column_key, ("end", "end_time")))


def _blank(value: Any) -> bool:
    """Whether a cell or key holds nothing: None, '', or an empty list or object (no words, as '' is none)."""
    return value is None or (isinstance(value, str | list | dict) and not value)


def _pick(row: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The value of the first of `keys` the row has and fills in (`_blank`), or None."""
    named = {column_key(k): v for k, v in row.items()}
    for k in keys:
        if k in named and not _blank(named[k]):
            return named[k]
    return None


def _column_in(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> tuple[str, ...]:
    """The one column of `keys` the rows use (the first they have), so a blank cell in it is blank, not a
    reason to read another column ('role') for that row alone; all `keys` when the rows have none."""
    names = {column_key(k) for row in rows for k in row}
    return next(((k,) for k in keys if k in names), keys)


def _speaker_name(value: Any) -> str:
    if isinstance(value, dict):  # {"id": 0, "name": "Olivia Grant"}
        return _speaker_name(next((value[k] for k in ("name", "label", "id") if value.get(k) not in (None, "")), None))
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return f"Speaker {value}"
    return str(value).strip()


def _words_speaker(row: dict[str, Any]) -> str:
    """The speaker most of a segment's `words` name ('' when they name none)."""
    words = row.get("words")
    names = [_speaker_name(w.get("speaker")) for w in words if isinstance(w, dict)] if isinstance(words, list) else []
    counts = Counter(n for n in names if n)
    return counts.most_common(1)[0][0] if counts else ""


def _own_keys(row: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, ...]:
    """The text keys to read a row from: the column the rows use (`_column_in`), or, for a JSON segment that has no such
    key at all (not a blank one), any of `_TEXT_KEYS`: a segment may name its text otherwise than the others."""
    return keys if any(column_key(k) in keys for k in row) else _TEXT_KEYS


def _unread(rows: list[dict[str, Any]], path: str | Path | None,
            lines: list[int] | None = None) -> list[tuple[str, str] | None]:
    """For each JSON segment, its place (`base.unit_place`) and why it is not read, or None when it is read: one whose text (as
    `_segments` reads it) is an object or a list, not text, as its Python form ("['Happy to.', ...]") would pass for
    what was said, and whose `words` give none either (`_text` reads them). The others are read, so one such segment
    does not lose a call; a file with at most half of its segments readable (`base.mostly`) is mostly no transcript, a
    ReadError naming the first not read."""
    keys = _column_in(rows, _TEXT_KEYS)
    unread: list[tuple[str, str] | None] = []
    for i, row in enumerate(rows):
        named = {column_key(k): k for k in row}  # as `_pick` reads them
        name = next((named[k] for k in _own_keys(row, keys) if k in named and not _blank(row[named[k]])), None)
        if name is not None and isinstance(row[name], dict | list) and not _words_text(row):
            kind = "an object" if isinstance(row[name], dict) else "a list"
            unread.append((unit_place("segment", i, lines), f"{name!r} holds {kind}, not text"))
        else:
            unread.append(None)
    if not mostly([u is None for u in unread]):
        raise ReadError(path, unread_reason(f"diarized JSON: at most half of its {count(len(rows), 'segment')} can be "
                                            "read", [u for u in unread if u], "segment"))
    return unread


def _words_text(row: dict[str, Any]) -> str:
    """A segment's `words` joined (WhisperX), '' when it has none."""
    words = row.get("words") if isinstance(row.get("words"), list) else []
    return " ".join(str(w.get("word", w.get("text", ""))) for w in words if isinstance(w, dict)).strip()


def _text(row: dict[str, Any], keys: tuple[str, ...] = _TEXT_KEYS) -> str:
    """A row's text: its text column (the first of `keys` it fills in), or, when it fills in none or holds an object or
    a list there, not text, its `words` joined (WhisperX); '' for such a segment without words (`_unread` notes it)."""
    text = _pick(row, keys)
    if text is None or isinstance(text, dict | list):
        text = _words_text(row)
    return str(text).strip()


def _segments(rows: list[dict[str, Any]], speaker_keys: tuple[str, ...] = _SPEAKER_KEYS,
              unread: list[tuple[str, str] | None] | None = None) -> list[Segment]:
    """One conversation's rows as segments (seconds, not milliseconds), the speaker in the first of `speaker_keys`;
    a row `unread` marks (`_unread`) with no words, its speaker kept for a row that continues it and for
    `base.build_conversation` (`Segment.unread`).

    A row with a blank speaker takes the speaker most of its `words` carry (WhisperX leaves a
    segment's speaker off when diarization is unsure, but often still names its words' speakers);
    failing that, it continues the speaker before it, as diarizers and hand-made tables leave the
    name off a continuation; with nobody before it (the first row of a conversation) it is
    'Unknown'. When every segment has a start time, they are put in time order; a row without one
    between two with words, a blank one too (Excel's ',,,' between two calls), keeps the file's
    order, as nothing says where it goes. Blank rows before the first row with words or after the
    last (a table's padding) part nothing, and a segment not read (`Segment.unread`) may have lost
    its start with its words: neither keeps the file's order, and they go last, where they part no
    turns. JSON and CSV/TSV share this, per conversation.
    """
    segments: list[Segment] = []
    speaker_key, text_key = _column_in(rows, speaker_keys), _column_in(rows, _TEXT_KEYS)
    for row, skipped in zip(rows, unread or [None] * len(rows), strict=True):
        speaker = _speaker_name(_pick(row, speaker_key)) or _words_speaker(row)
        if not speaker and segments:
            speaker = segments[-1].speaker
        segments.append(Segment(speaker or UNKNOWN_SPEAKER, "" if skipped else _text(row, _own_keys(row, text_key)),
                                start=to_seconds(_pick(row, _START_KEYS)), end=to_seconds(_pick(row, _END_KEYS)),
                                unread=skipped is not None))
    durations = [s.end - s.start for s in segments if s.start is not None and s.end is not None]
    if durations and statistics.median(durations) > 100:
        # Milliseconds, as AssemblyAI writes them: no typical utterance lasts 100 seconds.
        for s in segments:
            s.start = None if s.start is None else s.start / 1000
            s.end = None if s.end is None else s.end / 1000
    spoken = [i for i, s in enumerate(segments) if s.text.strip()]
    inner = segments[spoken[0]:spoken[-1] + 1] if spoken else []
    if all(s.start is not None for s in inner if not s.unread):
        # In time order, as spoken: multichannel exports list one channel's segments, then the other's.
        segments.sort(key=lambda s: (s.start is None, s.start or 0.0))
    return segments


def read_json(text: str, path: str | Path | None = None) -> list[Conversation | ReadError]:
    """A list of segments, `{"segments": [...]}` or `{"utterances": [...]}` (also under `results`), JSON Lines with
    one segment a line, or a speech-to-text tool's export (`vendors.ADAPTERS`: AWS Transcribe, Azure, Google,
    Rev.ai, Deepgram paragraphs, Fireflies, Gong); a `conversation_id` on the segments splits conversations, as the
    column does in `read_table`. A segment whose text is an object or a list is not read, the others are, and is
    listed in its conversation's notices (`_unread`, `_conversation`). A transcript in which no segment names a speaker
    is refused: it is not diarized.
    Rows of emails (a sender and a body key, no speaker and text ones; a chat's are turns, see `read_table`) and
    Microsoft Graph messages (`mailtables.graph_rows`) are read by `mailtables.read_rows`, Gmail API messages
    (`gmail.gmail_messages`) by `gmail.read_gmail`; a chat app's messages (Teams from Graph, a Slack day file, a
    Telegram export) by `chats`, as turns; the lists beside a Slack export's channel folders (`chats.slack_listing`)
    are refused, saying what they are."""
    lines = None  # the line of each value of JSON Lines, which errors about a row name
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data":
            raise ReadError(path, f"not valid JSON: {json_problem(exc, exc.lineno)}") from exc
        numbered = _json_lines(text, path)
        lines, data = [n for n, _ in numbered], [value for _, value in numbered]
    if (teams := chats.teams_messages(data)) is not None:
        return chats.read_teams_chat(teams, path, lines)
    if (slack := chats.slack_messages(data)) is not None:
        return [chats.read_slack(slack, path)]
    if (telegram := chats.telegram_chats(data)) is not None:
        return chats.read_telegram(telegram, path)
    graph = mailtables.graph_rows(data, path)
    if graph is not None:
        return mailtables.read_rows(graph, path, "json", lines)
    found = gmail.gmail_messages(data, path)
    if found is not None:
        return gmail.read_gmail(found, path)
    listed = data if isinstance(data, list) else [data]
    keys = [k for row in listed if isinstance(row, dict) for k in row]
    if listed and all(isinstance(row, dict) for row in listed) and not _has_columns(keys) and mailtables.has_columns(keys):
        if (speakers := turn_speakers(keys, listed)) is not None:  # a chat's, as a table in a file is decided
            return _conversations(listed, path, "json", speakers, _unread(listed, path, lines))
        return mailtables.read_rows(listed, path, "json", lines)
    if listing := chats.slack_listing(data, path):  # beside the channels' folders in a Slack export's folder
        raise ReadError(path, f"{listing}, not a conversation: give the channel folders' day files "
                              "(<channel>/2024-03-12.json)")
    rows = _json_rows(data, path, lines)
    if rows:
        _refuse_own_output(list(rows[0]), path)
    unread = _unread(rows, path, lines if rows is data else None)
    if not any(_text(row) for row, skipped in zip(rows, unread, strict=True) if not skipped):
        raise ReadError(path, unread_reason("diarized JSON: no segment has text", [u for u in unread if u], "segment"))
    if not any(_speaker_name(_pick(row, _SPEAKER_KEYS)) or _words_speaker(row) for row in rows):
        raise ReadError(path, "no segment names a speaker: this transcript is not diarized; run speaker diarization "
                              "(e.g. WhisperX) or add a speaker column")
    return _conversations(rows, path, "json", unread=unread)


def _json_rows(data: Any, path: str | Path | None, lines: list[int] | None = None) -> list[dict[str, Any]]:
    """The segment rows of parsed JSON: a list as it is; from an object, its segments (see `read_json`), or when it
    has none with text, the rows of the tool export it is; a ReadError naming the shapes read when it is none, or
    naming a segment that is no object (`base.unit_place`, by its line in JSON Lines, `lines`)."""
    rows: Any = data
    if isinstance(data, dict):
        holder = data.get("results") if isinstance(data.get("results"), dict) else data
        rows = next((holder[k] for k in ("utterances", "segments", "turns", "monologues")
                     if isinstance(holder.get(k), list)), None)
        if rows is None and _has_columns(list(data)):  # JSON Lines with one segment: one line, one object
            rows = [data]
        if rows is None or not any(isinstance(row, dict) and _text(row) for row in rows):
            found = vendor_rows(data)
            rows = found if found is not None else rows
        if rows is None:
            raise ReadError(path, "diarized JSON: not a shape this reads: expected a list of segments with speaker "
                                  "and text, an object with 'segments' or 'utterances' (WhisperX, AssemblyAI, "
                                  f"Deepgram utterances), or an export of {_tools()}")
    elif isinstance(data, list) and data and not any(isinstance(row, dict) and _text(row) for row in data):
        found = vendor_rows({"transcripts": data})  # a tool's transcripts as a bare list (Fireflies' `transcripts`)
        rows = found if found is not None else rows
    if not isinstance(rows, list):
        raise ReadError(path, "diarized JSON: expected a list of segments")
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ReadError(path, f"diarized JSON: {unit_place('segment', i, lines if rows is data else None)} is not an object with "
                                  "speaker and text")
    return rows


def _tools() -> str:
    """The tools whose exports `read_json` reads, as a list in words: 'A, B or C'."""
    names = [name for name, _ in ADAPTERS]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _json_lines(text: str, path: str | Path | None) -> list[tuple[int, Any]]:
    """JSON Lines: one value a line, blank lines aside, each with its line number (blank lines counted); a ReadError
    naming the first line that is not JSON. Lines end at a line feed only (a carriage return before it is JSON's
    space): `str.splitlines` would also split at a U+2028 or U+0085 that JSON allows unescaped inside a string."""
    values = []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            try:
                values.append((number, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise ReadError(path, f"not valid JSON Lines: {json_problem(exc, number)}") from exc
    return values


def conversation_from_rows(rows: list[dict[str, Any]], conv_id: str, channel: Channel = "call",
                           speaker_keys: tuple[str, ...] = _SPEAKER_KEYS) -> Conversation:
    """One conversation from table rows (a speaker column, the first of `speaker_keys` they have, a text column,
    optional `start`, `end`) already in memory, such as a DataFrame's: read as a CSV file's rows are (see
    `turn_speakers`), blank speakers included; a ReadError when no row has text."""
    try:
        return build_conversation(_segments(rows, speaker_keys), channel=channel, path=None, fmt="table",
                                  conv_id=conv_id)
    except ReadError as exc:
        raise ReadError(None, f"conversation {conv_id!r}: no row has both a speaker and text") from exc


def read_table(text: str, path: str | Path | None = None) -> list[Conversation | ReadError]:
    """CSV or TSV with `speaker` and `text` columns; a conversation id column splits conversations.

    Columns are matched whatever their case, spaces, hyphens and underscores (`Call ID`, `callId` and
    `call_id` are one name); the id may be `conversation_id`, `conversation`, `call_id`, `meeting_id`,
    `interaction_id`, `dialogue_id` or `dialog_id`, and the times `start`/`end` or `start_time`/`end_time`.

    A row with a blank conversation_id belongs to the conversation of the row before it, as a blank
    speaker continues the speaker before it (hand-made tables leave a repeated value off, like merged
    cells); blank rows before any id form the conversation named after the file, as in a table
    without the column. A conversation that cannot be read (no text) is a ReadError in its place,
    with its conversation_id, so one empty call does not lose the others; a table without ids is
    one conversation, and a ReadError when it has no text.

    A table of emails (a sender and a body column, no speaker and text ones: a CRM's export) is read by
    `mailtables.read_rows`, its rows' cells checked as a transcript's are, its sender and body for its speaker and text;
    one that is a chat's (`mailtables.is_chat`) is read as turns, its sender the speaker.
    """
    delimiter = delimiter_of(text.lstrip("\ufeff").split("\n", 1)[0])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    _refuse_own_output(header, path)
    emails = not _has_columns(header) and mailtables.has_columns(header)
    if not _has_columns(header) and not emails:
        if "path" in map(column_key, header):
            raise ReadError(path, "a manifest of files to score (it has a 'path' column), not a transcript: "
                                  "give it with `reciprocity score --manifest`")
        if problem := mailtables.missing_body(header):
            raise ReadError(path, f"line 1 (the header) has {problem}")
        raise ReadError(path, "not a transcript table: expected 'speaker' and 'text' columns, "
                              f"found {', '.join(header) or 'no header'}")
    needed = mailtables.NEEDED_KEYS if emails else _SPEAKER_KEYS + _TEXT_KEYS
    rows = []
    for row in reader:
        # Too many cells cut text at an unquoted comma; too few that leave out the speaker or the text lose a
        # turn. (Trailing optional cells left off, as some tools write them, are only blank.)
        extra = row.pop(None, None) or []  # type: ignore[call-overload]
        missing = [k for k, v in row.items() if v is None]
        if extra or any(column_key(k) in needed for k in missing):
            hint = ": a comma inside unquoted text?" if extra else ""
            raise ReadError(path, f"line {reader.line_num} has {len(header) - len(missing) + len(extra)} cells "
                                  f"where the header has {len(header)}{hint}")
        rows.append(row)
    speakers = turn_speakers(header, rows)
    if speakers is None:  # a table of emails, not a chat's
        return mailtables.read_rows(rows, path, "csv")
    conversations = _conversations(rows, path, "csv", speakers)
    if not conversations:
        raise ReadError(path, "transcript table has a header but no rows")
    return conversations


def turn_speakers(header: list[str], rows: Iterable[dict[str, Any]]) -> tuple[str, ...] | None:
    """The columns a table's speakers are read from (the first of them it has) when its rows are turns: a transcript
    table's (it has a speaker and a text column), else a chat's sender (`mailtables.is_chat`); None for a table of
    emails, or of neither. `read_table` asks, and `Analyzer.score_frame`, so a frame's turns are those of the same
    table in a file."""
    if _has_columns(header):
        return _SPEAKER_KEYS
    if mailtables.has_columns(header) and mailtables.is_chat(header, rows):
        return mailtables.CHAT_SENDER_KEYS
    return None


def split_by_id(rows: list[dict[str, Any]], keys: tuple[str, ...] = _ID_KEYS) -> dict[str, list[dict[str, Any]]]:
    """Table rows by conversation id (the first of `keys` a row fills in), in first-seen order. A row with a blank
    id belongs to the conversation of the row before it, as hand-made tables leave a repeated value off; rows
    before any id are under ''. (0 is an id like any other.)"""
    return {key: [rows[i] for i in places] for key, places in _places_by_id(rows, keys).items()}


def _places_by_id(rows: list[dict[str, Any]], keys: tuple[str, ...] = _ID_KEYS) -> dict[str, list[int]]:
    """The places of table rows in `rows` by conversation id, as `split_by_id` groups them."""
    groups: dict[str, list[int]] = {}
    key, columns = "", tuple(map(column_key, keys))
    for i, row in enumerate(rows):
        value = _pick(row, columns)
        key = (str(value).strip() if value is not None else "") or key
        groups.setdefault(key, []).append(i)
    return groups


def _conversations(rows: list[dict[str, Any]], path: str | Path | None, fmt: str,
                   speaker_keys: tuple[str, ...] = _SPEAKER_KEYS,
                   unread: list[tuple[str, str] | None] | None = None) -> list[Conversation | ReadError]:
    """The rows as conversations, split by conversation id (see `read_table`), their speakers in the first of
    `speaker_keys` the rows have (a chat's sender, `mailtables.is_chat`), the JSON segments `unread` marks not read
    but listed in their own conversation (`_conversation`); a ReadError with its conversation_id in place of each one
    that cannot be read. Rows without any id are the file's one conversation, which raises its ReadError."""
    unread = unread or [None] * len(rows)
    groups = _places_by_id(rows)
    if list(groups) == [""]:
        return [_conversation(rows, unread, path, fmt, speaker_keys)]
    conversations: list[Conversation | ReadError] = []
    for key, places in groups.items():
        cid = key or conversation_id(path)
        try:
            conversations.append(_conversation([rows[i] for i in places], [unread[i] for i in places], path, fmt,
                                               speaker_keys, cid))
        except ReadError as exc:
            conversations.append(ReadError(path, f"conversation {cid!r}: {exc.reason}", conversation_id=cid))
    return conversations


def _conversation(rows: list[dict[str, Any]], unread: list[tuple[str, str] | None], path: str | Path | None, fmt: str,
                  speaker_keys: tuple[str, ...], cid: str | None = None) -> Conversation:
    """One conversation's rows as a call, each segment `unread` marks (`_unread`) not read but listed in
    `metadata["notices"]` by its place and why ('segment 3 not read: ...', as the chat readers list a message) and
    counted in `metadata["messages_not_read"]`, which `base.unread_warning` turns into a warning; its ReadError (no
    turns, say) also says how many segments could not be read, and why the first."""
    skipped = [u for u in unread if u]
    meta: dict[str, Any] = {NOTICES: [not_read(*u) for u in skipped], MESSAGES_NOT_READ: len(skipped)} if skipped else {}
    try:
        return build_conversation(_segments(rows, speaker_keys, unread), channel="call", path=path, fmt=fmt,
                                  conv_id=cid, metadata=meta)
    except ReadError as exc:
        if not skipped:
            raise
        raise ReadError(path, unread_reason(exc.reason, skipped, "segment")) from exc


def sniff(text: str) -> str | None:
    head = text.lstrip("\ufeff").lstrip()
    if re.match(r'\{\s*"|\[\s*(?:\{|\]|$)', head):
        return "json"
    first = head.splitlines()[0] if head else ""
    header = [c.strip().strip('"') for c in first.split(delimiter_of(first))]
    if _has_columns(header) or mailtables.has_columns(header):
        return "csv"
    return None


def delimiter_of(header: str) -> str:
    """The separator a table's header line uses most: comma, tab, or semicolon (Excel's CSV where a comma is
    the decimal mark, as in much of Europe); comma when none is there."""
    return max((",", "\t", ";"), key=header.count)


def _refuse_own_output(header: list[str], path: str | Path | None) -> None:
    """A ReadError when a table's header (or a JSON row's keys) is that of `reciprocity score`'s or `tag`'s
    output: an earlier run's file left in a folder being scored, which would otherwise read as a transcript."""
    names = set(map(column_key, header))
    kind = ("scores" if {"reciprocityindex", "flags"} <= names
            else "sentences" if {"act", "confidence", "pgivevalue", "pother"} <= names else None)
    if kind:
        raise ReadError(path, f"a {kind} file written by reciprocity, not a transcript")


def _has_columns(header: list[str]) -> bool:
    """Whether a table's header names a speaker and a text column."""
    names = set(map(column_key, header))
    return not names.isdisjoint(_SPEAKER_KEYS) and not names.isdisjoint(_TEXT_KEYS)
