"""Speaker-diarized exports: JSON segments/utterances (WhisperX, AssemblyAI, Deepgram styles) and CSV/TSV."""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from pathlib import Path
from typing import Any

from reciprocity_nlp.conversation import UNKNOWN_SPEAKER, Channel, Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.base import Segment, build_conversation, conversation_id
from reciprocity_nlp.readers.transcripts import seconds

_SPEAKER_KEYS = ("speaker", "speaker_label", "speaker_name", "spk", "name", "participant", "role")
_TEXT_KEYS = ("text", "transcript", "utterance", "content", "message", "sentence")
_ID_KEYS = ("conversation_id", "call_id", "conversation", "dialogue_id")


def _pick(row: dict[str, Any], keys: tuple[str, ...]) -> Any:
    lowered = {str(k).strip().lower(): v for k, v in row.items()}
    for k in keys:
        if k in lowered and lowered[k] not in (None, ""):
            return lowered[k]
    return None


def _speaker_name(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return f"Speaker {value}"
    return str(value).strip()


def _time(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except ValueError:
        try:
            return seconds(str(value).strip())
        except ValueError:
            return None


def _segments(rows: list[Any], path: str | Path | None) -> list[Segment]:
    """One conversation's rows as segments (seconds, not milliseconds).

    A row with a blank speaker is taken to continue the speaker before it, as diarizers and
    hand-made tables leave the name off a continuation; with nobody before it (the first row of
    a conversation) it is 'Unknown'. JSON and CSV/TSV share this, per conversation.
    """
    segments: list[Segment] = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise ReadError(path, f"diarized JSON: segment {i} is not an object with speaker and text")
        text = _pick(row, _TEXT_KEYS)
        if text is None and isinstance(row.get("words"), list):
            text = " ".join(str(w.get("word", w.get("text", ""))) for w in row["words"] if isinstance(w, dict))
        speaker = _speaker_name(_pick(row, _SPEAKER_KEYS))
        if not speaker and segments:
            speaker = segments[-1].speaker
        segments.append(Segment(speaker or UNKNOWN_SPEAKER, str(text or "").strip(),
                                start=_time(row.get("start")), end=_time(row.get("end"))))
    durations = [s.end - s.start for s in segments if s.start is not None and s.end is not None]
    if durations and statistics.median(durations) > 100:
        # Milliseconds, as AssemblyAI writes them: no typical utterance lasts 100 seconds.
        for s in segments:
            s.start = None if s.start is None else s.start / 1000
            s.end = None if s.end is None else s.end / 1000
    return segments


def read_json(text: str, path: str | Path | None = None) -> Conversation:
    """A list of segments, `{"segments": [...]}` or `{"utterances": [...]}` (also under `results`)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(path, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    rows: Any = data
    if isinstance(data, dict):
        holder = data.get("results") if isinstance(data.get("results"), dict) else data
        rows = next((holder[k] for k in ("utterances", "segments", "turns", "monologues")
                     if isinstance(holder.get(k), list)), None)
        if rows is None:
            raise ReadError(path, "diarized JSON: expected a list of segments, or an object with "
                                  "'segments' or 'utterances'")
    if not isinstance(rows, list):
        raise ReadError(path, "diarized JSON: expected a list of segments")
    segments = _segments(rows, path)
    if not any(s.text for s in segments):
        raise ReadError(path, "diarized JSON: no segment has text")
    return build_conversation(segments, channel="call", path=path, fmt="json")


def conversation_from_rows(rows: list[dict[str, Any]], conv_id: str, channel: Channel = "call") -> Conversation:
    """One conversation from table rows (`speaker`, `text`, optional `start`, `end`) already in memory, such
    as a DataFrame's: read as a CSV file's rows are, blank speakers included; a ReadError when no row has text."""
    try:
        return build_conversation(_segments(rows, None), channel=channel, path=None, fmt="table", conv_id=conv_id)
    except ReadError as exc:
        raise ReadError(None, f"conversation {conv_id!r}: no row has both a speaker and text") from exc


def read_table(text: str, path: str | Path | None = None) -> list[Conversation | ReadError]:
    """CSV or TSV with `speaker` and `text` columns; a `conversation_id` column splits conversations.

    A row with a blank conversation_id belongs to the conversation of the row before it, as a blank
    speaker continues the speaker before it (hand-made tables leave a repeated value off, like merged
    cells); blank rows before any id form the conversation named after the file, as in a table
    without the column. A conversation that cannot be read (no text) is a ReadError in its place,
    with its conversation_id, so one empty call does not lose the others; a table without ids is
    one conversation, and a ReadError when it has no text.
    """
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if not any(k in header for k in _SPEAKER_KEYS) or not any(k in header for k in _TEXT_KEYS):
        raise ReadError(path, "not a transcript table: expected 'speaker' and 'text' columns, "
                              f"found {', '.join(header) or 'no header'}")
    conversations = _conversations(list(reader), path, "csv")
    if not conversations:
        raise ReadError(path, "transcript table has a header but no rows")
    return conversations


def _conversations(rows: list[dict[str, Any]], path: str | Path | None, fmt: str) -> list[Conversation | ReadError]:
    """The rows as conversations, split by conversation id (see `read_table`); a ReadError with its
    conversation_id in place of each one that cannot be read. Rows without any id are the file's one
    conversation, which raises its ReadError."""
    groups: dict[str, list[dict[str, Any]]] = {}
    key = ""
    for row in rows:
        key = str(_pick(row, _ID_KEYS) or "").strip() or key
        groups.setdefault(key, []).append(row)
    if list(groups) == [""]:
        return [build_conversation(_segments(rows, path), channel="call", path=path, fmt=fmt)]
    conversations: list[Conversation | ReadError] = []
    for key, group in groups.items():
        cid = key or conversation_id(path)
        try:
            conversations.append(build_conversation(_segments(group, path), channel="call", path=path, fmt=fmt,
                                                    conv_id=cid))
        except ReadError as exc:
            conversations.append(ReadError(path, f"conversation {cid!r}: {exc.reason}", conversation_id=cid))
    return conversations


def sniff(text: str) -> str | None:
    head = text.lstrip("\ufeff").lstrip()
    if re.match(r'\{\s*"|\[\s*(?:\{|\]|$)', head):
        return "json"
    first = head.splitlines()[0].lower() if head else ""
    cols = [c.strip().strip('"') for c in first.replace("\t", ",").split(",")]
    if any(c in _SPEAKER_KEYS for c in cols) and any(c in _TEXT_KEYS for c in cols):
        return "csv"
    return None
