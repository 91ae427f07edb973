"""Read any supported transcript or email file into `Conversation`s.

Formats (`format=`, in any case: `VTT` is `vtt`): calls `text`, `timestamped`, `otter`, `zoom`, `teams`, `vtt`, `srt`, `sbv`, `json`,
`csv`, WhatsApp's chat export `whatsapp` and a page of Telegram Desktop's HTML export `telegram_html` (read as turns,
as chats are: see `chats`); emails `eml`, `mbox`, `pasted`. Without `format=`, the extension and the content decide.
An Outlook .msg (a compound file, see `outlook`) is read as the mail it holds whatever its name or `format=`. A `csv`
or `json` table whose rows are emails (a sender and a body column, no speaker and text ones: a CRM's export), or JSON
of Microsoft Graph messages, is read as email threads (see `mailtables`), as is JSON of Gmail API messages (see `gmail`).

`speaker_names=` ({label: name}, e.g. {"Speaker 0": "Dana Whitfield"}) names a file's speakers as it is read
(see `speakers.rename_speakers`); a label that is no speaker of the file raises ReadError, as a mistake.

A file that cannot be read raises ReadError. A file that holds several conversations (a CSV with
conversation ids) can also have one that cannot be read, say an empty call: `read_file` raises
its ReadError (with `conversation_id` set), and `read_file(path, errors="keep")` puts that
ReadError in the conversation's place and reads the others, as `reciprocity score` does.
"""

from __future__ import annotations

import csv
import email.errors
import os
import stat
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal, overload

from reciprocity_nlp.conversation import SPEAKERS_NOT_READ, Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers import chats, diarized, emails, outlook, subtitles, transcripts, word
from reciprocity_nlp.readers.encoding import decode_bytes
from reciprocity_nlp.readers.speakers import label_key, named_labels, rename_speakers, speaker_map
from reciprocity_nlp.wording import listed

CALL_FORMATS = ("text", "timestamped", "otter", "zoom", "teams", "vtt", "srt", "sbv", "json", "csv", "whatsapp",
                "telegram_html")
EMAIL_FORMATS = ("eml", "mbox", "pasted")
MAX_FILE_BYTES = 512 * 2**20  # read whole: a bigger export (a years-long mailbox) is split first
FORMATS = CALL_FORMATS + EMAIL_FORMATS

_BY_EXTENSION = {
    ".vtt": "vtt", ".webvtt": "vtt", ".srt": "srt", ".sbv": "sbv", ".json": "json", ".jsonl": "json", ".csv": "csv",
    ".tsv": "csv",
    ".eml": "eml", ".msg822": "eml", ".mbox": "mbox", ".mbx": "mbox",
}


def detect_format(data: bytes, path: str | Path | None = None) -> str:
    """Name the format of a file's bytes: its extension when that is decisive, else its content."""
    ext = Path(path).suffix.lower() if path else ""
    if ext in _BY_EXTENSION:
        fmt = _BY_EXTENSION[ext]
        if fmt == "eml" and emails.sniff_bytes(data) == "mbox":
            return "mbox"
        return fmt
    if chats.sniff_telegram_html(data):  # an HTML page, so no email: before headers are looked for, as a message may hold some
        return "telegram_html"
    by_bytes = emails.sniff_bytes(data)
    if by_bytes:
        return by_bytes
    text = decode_bytes(data, path)
    fmt = subtitles.sniff(text) or diarized.sniff(text)
    if fmt:
        return fmt
    if chats.sniff_whatsapp(text):  # its lines begin with a date, which no transcript layout takes
        return "whatsapp"
    if emails.sniff_text(text):  # Outlook's 'From:/Sent:' blocks in English or as German, French... clients write them
        return "pasted"
    fmt = transcripts.sniff(text)
    if fmt:
        return fmt
    raise ReadError(path, "not a transcript or email: no speaker turns or email headers found "
                          "(expected lines like 'Name: text', captions, diarized JSON/CSV or an email)")


Errors = Literal["raise", "keep"]
SpeakerNames = Mapping[str, str]


@overload
def parse_bytes(data: bytes, path: str | Path | None = None, format: str | None = None,
                errors: Literal["raise"] = "raise", speaker_names: SpeakerNames | None = None) -> list[Conversation]: ...
@overload
def parse_bytes(data: bytes, path: str | Path | None = None, format: str | None = None, *,
                errors: Literal["keep"], speaker_names: SpeakerNames | None = None) -> list[Conversation | ReadError]: ...
def parse_bytes(data: bytes, path: str | Path | None = None, format: str | None = None, errors: Errors = "raise",
                speaker_names: SpeakerNames | None = None) -> list[Conversation] | list[Conversation | ReadError]:
    """Every conversation in one file's bytes (a CSV with `conversation_id`, or an mbox of several threads,
    may hold several), its speakers named as `speaker_names` says.

    ReadError when the file cannot be read, or a label of `speaker_names` names no speaker in it; a conversation
    in it that cannot be read raises its ReadError too, or with `errors="keep"` stands in the list in the
    conversation's place. A ValueError for a malformed `speaker_names` (see `speakers.speaker_map`).
    """
    if errors not in ("raise", "keep"):
        raise ValueError("errors must be 'raise' or 'keep'")
    names = speaker_map(speaker_names or {})
    units = _parse(data, path, format)
    if names:
        require_speakers(units, names, path)
        units = [rename_speakers(u, names) if isinstance(u, Conversation) else u for u in units]
    if errors == "raise":
        for unit in units:
            if isinstance(unit, ReadError):
                raise unit
    return units


def require_speakers(units: list[Conversation | ReadError], labels: Iterable[str], path: str | Path | None) -> None:
    """A ReadError naming `path` when one of `labels` names no speaker of the conversations read from it: a name
    map given for one file that names someone not in it is a mistake, never passed over. A label of a speaker whose
    every segment could not be read (`conversation.SPEAKERS_NOT_READ`) is told so, not that it is no speaker of the file.
    Nothing is checked when none of them could be read (their own errors say why)."""
    conversations = [u for u in units if isinstance(u, Conversation)]
    labels = list(labels)
    found = set().union(*(named_labels(c, labels) for c in conversations))
    missing = [label for label in labels if label not in found]
    if conversations and missing:
        unread = {label_key(s) for c in conversations for s in c.metadata.get(SPEAKERS_NOT_READ, ())}
        silent = [label for label in missing if label_key(label) in unread]
        absent = [label for label in missing if label not in silent]
        problems = [f"{', '.join(map(repr, absent))} {'is not a speaker' if len(absent) == 1 else 'are not speakers'} "
                    "of this file"] if absent else []
        if silent:
            problems.append(f"{', '.join(map(repr, silent))} {'has no turn' if len(silent) == 1 else 'have no turns'} "
                            "in this file: every segment of theirs could not be read (listed in notices)")
        speakers = list(dict.fromkeys(s for c in conversations for s in c.speakers))
        raise ReadError(path, f"speaker_names: {'; '.join(problems)}; its speakers are: {listed(speakers, 12)}")


def _parse(data: bytes, path: str | Path | None, format: str | None) -> list[Conversation | ReadError]:
    """`parse_bytes(..., errors="keep")`."""
    format = format.lower() if isinstance(format, str) else format
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if not data.strip():
        raise ReadError(path, "not a transcript or email: the file is empty")
    if word.is_lock_file(data, path):
        raise ReadError(path, "Word's lock file for a document open in Word (it names who opened it), not a "
                              "transcript: Word removes it when the document is closed")
    in_tables = False
    if word.is_word_docx(data, path):  # Teams' and Otter's download: its paragraphs are the text transcript
        text, in_tables = word.docx_text(data, path)
        data = text.encode("utf-8")
    fmt = format or "any format"
    try:
        if outlook.is_compound_file(data):  # an Outlook .msg, or an old Office file: whatever its name or format asked
            fmt = "msg"
            return [outlook.read_msg(data, path)]
        fmt = format or detect_format(data, path)
        if fmt == "eml":
            return [emails.read_eml(data, path)]
        if fmt == "mbox":
            return emails.read_mbox(data, path)
        if fmt == "telegram_html":  # written in UTF-8, as it says: a page cut inside a character is no Windows-1252
            return [chats.read_telegram_html(data.decode("utf-8-sig", errors="replace"), path)]
        text = decode_bytes(data, path)
        if fmt == "pasted":
            return [emails.read_pasted(text, path)]
        if fmt == "csv":
            return diarized.read_table(text, path)
        if fmt == "json":
            return diarized.read_json(text, path)
        if fmt == "whatsapp":
            return [chats.read_whatsapp(text, path)]
        if fmt in subtitles.READERS:
            return [subtitles.READERS[fmt](text, path)]
        return [transcripts.READERS[fmt](text, path)]
    except ReadError as exc:
        if in_tables:  # a title above a transcript in a table, say: why it was not found
            raise ReadError(path, f"{exc.reason}; {word.TABLES_NOT_READ}", exc.conversation_id) from exc
        raise
    except RecursionError as exc:
        raise ReadError(path, f"could not read as {fmt}: input nested too deeply") from exc
    except MemoryError as exc:
        raise ReadError(path, f"could not read as {fmt}: ran out of memory") from exc
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, LookupError, AssertionError,
            OverflowError, csv.Error, email.errors.MessageError) as exc:
        # Third-party parsers fail in their own ways on broken input; report it as ours.
        raise ReadError(path, f"could not read as {fmt}: {type(exc).__name__}: {exc}") from exc


def _read_bytes(path: Path) -> bytes:
    """A file's bytes; ReadError for what is not a regular file (a pipe would block, a device never end) or is
    larger than `MAX_FILE_BYTES`."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(path)
        if not stat.S_ISREG(st.st_mode):
            raise ReadError(path, "not a regular file (a pipe, device or socket), so not read")
        if st.st_size > MAX_FILE_BYTES:
            raise ReadError(path, f"{st.st_size / 2**20:,.0f} MB: too large to read at once (at most "
                                  f"{MAX_FILE_BYTES // 2**20:,} MB); split it into smaller files")
        return path.read_bytes()
    except FileNotFoundError as exc:
        reason = "dangling symlink" if path.is_symlink() else "no such file"
        raise ReadError(path, reason) from exc
    except IsADirectoryError as exc:
        empty = next(iter_files(path), None) is None
        raise ReadError(path, "an empty folder: no files to read" if empty else "is a folder, not a file") from exc
    except PermissionError as exc:
        raise ReadError(path, "permission denied") from exc
    except OSError as exc:
        raise ReadError(path, f"cannot read file: {exc.strerror or exc}") from exc


@overload
def read_file(path: str | Path, format: str | None = None, errors: Literal["raise"] = "raise",
              speaker_names: SpeakerNames | None = None) -> list[Conversation]: ...
@overload
def read_file(path: str | Path, format: str | None = None, *, errors: Literal["keep"],
              speaker_names: SpeakerNames | None = None) -> list[Conversation | ReadError]: ...
def read_file(path: str | Path, format: str | None = None, errors: Errors = "raise",
              speaker_names: SpeakerNames | None = None) -> list[Conversation] | list[Conversation | ReadError]:
    """Every conversation in one file; `errors` and `speaker_names` as in `parse_bytes`."""
    path = Path(path)
    return parse_bytes(_read_bytes(path), path, format, errors=errors, speaker_names=speaker_names)


def read(path: str | Path, format: str | None = None, speaker_names: SpeakerNames | None = None) -> Conversation:
    """Read the one conversation in a file, its speakers named as `speaker_names` says ({"Speaker 0": "Dana
    Whitfield"}, see `parse_bytes`); ReadError when it holds none or several."""
    return _only(read_file(path, format, speaker_names=speaker_names), path, "iter_conversations()")


def _only(conversations: list[Conversation], where: str | Path | None, instead: str) -> Conversation:
    """The one conversation read; ReadError naming `instead` when there are several."""
    if len(conversations) > 1:
        raise ReadError(where, f"holds {len(conversations)} conversations; use {instead} to read them all")
    return conversations[0]


def parse(data: str | bytes, format: str | None = None, name: str | None = None,
          speaker_names: SpeakerNames | None = None) -> Conversation:
    """Read the one conversation in text already in memory (from a CRM, a database, an API).

    `name` stands in for a file name: it becomes the conversation id, it names the text in
    errors, and its extension, if any, helps detect the format ("reply.eml"). `speaker_names` as in
    `parse_bytes`. ReadError when the text holds no conversation or several.
    """
    if not isinstance(data, str | bytes):
        raise TypeError(f"parse() takes the text as str or bytes, not {type(data).__name__}; "
                        "for a file, use read(path)")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _only(parse_bytes(raw, name, format, speaker_names=speaker_names), name,
                 "reciprocity_nlp.readers.parse_bytes()")


def iter_files(path: str | Path) -> Iterator[Path]:
    """Files under a folder, recursively and in sorted order (hidden files and folders excluded). Symlinked
    folders are followed, each real folder once, so a link back up the tree cannot loop."""
    root = Path(path)
    if not root.is_dir():
        yield root
        return
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def iter_conversations(path: str | Path, format: str | None = None, errors: str = "raise") -> Iterator[Conversation]:
    """Every conversation in a file or, recursively, a folder.

    `errors="raise"` stops at the first unreadable file or conversation; `errors="warn"` warns
    (naming the file, the conversation if only one of several is unreadable, and the reason) and goes on.
    """
    if errors not in ("raise", "warn"):
        raise ValueError("errors must be 'raise' or 'warn'")
    for file in iter_files(path):
        try:
            units = read_file(file, format, errors="keep")
        except ReadError as exc:
            units = [exc]
        for unit in units:
            if isinstance(unit, Conversation):
                yield unit
            elif errors == "raise":
                raise unit
            else:
                warnings.warn(str(unit), stacklevel=2)
