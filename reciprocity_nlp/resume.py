"""What an interrupted `score` run finished, so that `--resume` scores only the rest.

Beside a run's partial output (`scores.csv.partial`) runs a ledger (`scores.csv.partial.jobs`): one JSON line
per finished job, with the job's key (its path, and the manifest's `conversation_id`, agent and speaker
names) and the sizes of the partial files once its rows were in. A file listed twice in a manifest (once per agent, or once per
call of an export) is two jobs, so finishing one does not skip the other. A job's rows are written before
its ledger line, so resuming cuts the partial files back to the sizes of the last line: a job killed between
the two is scored again, never kept in part or written twice. Each run starts its part of the ledger with the
options that change rows (--agent, --speaker-name, --model, --format); a resume with others is refused, as its
rows would not match the finished ones, and a job whose key changed would be scored again beside its old rows.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from reciprocity_nlp.errors import UsageError
from reciprocity_nlp.scoring import Job, RowWriter, shown_text
from reciprocity_nlp.tables import parquet_columns, suffix_of


def job_key(job: Job) -> str:
    """A job's identity in the ledger: what the run was asked to score, not what it found (its speaker names only
    when it has some, so ledgers written before they existed still match)."""
    names = [job.speaker_names, job.manifest_names]
    return json.dumps([job.path, job.conversation_id, job.agent, *([names] if any(names) else [])], ensure_ascii=False)


def ledger_path(partial: Path) -> Path:
    """The ledger beside a partial output file."""
    return partial.with_name(partial.name + ".jobs")


@dataclass
class Done:
    """The jobs an earlier run finished: by key, as many times as each was finished, or by path alone for rows
    written without a ledger (an older version's partial file, or a finished output that a resumed run extends);
    `rows`: the score rows kept, `errors` how many of them are error rows (a resumed run counts them, and exits
    as a run scoring everything would)."""

    keys: Counter[str] = field(default_factory=Counter)
    paths: set[str] = field(default_factory=set)
    rows: int = 0
    errors: int = 0

    def remaining(self, jobs: Sequence[Job]) -> list[Job]:
        """The jobs still to score, in order: a job listed twice and finished once is scored once more."""
        left = Counter(self.keys)
        todo = []
        for job in jobs:
            key = job_key(job)
            if shown_text(job.path) in self.paths:  # as its rows show it
                continue
            if left[key]:
                left[key] -= 1
                continue
            todo.append(job)
        return todo

    def check_jobs(self, jobs: Sequence[Job]) -> None:
        """A UsageError when a finished job's file is still to be scored but under another agent, conversation or
        speaker names (its manifest row was edited): its kept rows would stand beside the new ones. A file listed
        once more (another agent beside the finished one) is no change."""
        now = {job_key(job) for job in jobs}
        paths = {job.path for job in jobs}
        gone = [key for key in self.keys if key not in now and json.loads(key)[0] in paths]
        if gone:
            shown = "; ".join(_shown_key(key) for key in gone[:3]) + ("; ..." if len(gone) > 3 else "")
            raise UsageError(f"the run being resumed finished {len(gone)} job(s) that this run lists otherwise "
                             f"(another agent, conversation or speaker names: {shown}): resuming would keep their "
                             "rows beside new ones; resume with the manifest as it was, or give a new --out")


class Ledger:
    """Appends a line for each job whose rows are written, after one of the run's `options` (see
    `check_options`) when it has them."""

    def __init__(self, partial: Path, options: dict[str, str | None] | None = None) -> None:
        self.fh: TextIO = open(ledger_path(partial), "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        if options is not None:
            self.fh.write(_line({"options": options}))
            self.fh.flush()

    def add(self, job: Job, rows: int, sizes: tuple[int, int | None]) -> None:
        """Record `job` as finished: its score rows, and the partial files' sizes now (None for the sentence
        file when this run writes none)."""
        self.fh.write(_line({"job": job_key(job), "rows": rows, "sizes": list(sizes)}))
        self.fh.flush()

    def close(self) -> None:
        """Close the ledger file."""
        self.fh.close()


def _line(entry: dict[str, Any]) -> str:
    """A ledger line, in ASCII: a path that is not UTF-8 (its lone surrogates) is kept exactly, as a JSON escape."""
    return json.dumps(entry) + "\n"


def _size(path: Path | None) -> int | None:
    if path is None or not path.exists():
        return None
    return path.stat().st_size


def _cut(path: Path | None, size: int | None) -> None:
    if path and path.exists() and path.stat().st_size > (size or 0):
        with open(path, "r+b") as fh:
            fh.truncate(size or 0)


def _whole_lines(data: bytes) -> tuple[list[dict[str, Any]], int]:
    """A ledger's whole lines, and where they end (a torn last one, written as the run was killed, does not
    count)."""
    entries, end = [], 0
    for line in data.splitlines(keepends=True):
        try:
            entry = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            break
        if not line.endswith(b"\n"):
            break
        entries.append(entry)
        end += len(line)
    return entries, end


def _entries(ledger: Path) -> list[dict[str, Any]]:
    """The ledger's whole lines; a torn last one is cut off the file, so the next run's lines start on a line
    of their own."""
    data = ledger.read_bytes()
    entries, end = _whole_lines(data)
    if end < len(data):
        with open(ledger, "r+b") as fh:
            fh.truncate(end)
    return entries


def _records(path: Path) -> list[dict[str, Any]]:
    """The rows of a partial file, parsed as rows (a CSV cell may hold a line break); a torn last line is dropped, as
    is a JSON line that is no row (not an object with a path: a damaged file), and a BOM (a finished output re-saved
    by Excel) too."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    if path.name.lower().endswith(".csv.partial"):
        return list(csv.DictReader(io.StringIO(text[:text.rfind("\n") + 1], newline="")))
    rows = []
    for line in text.split("\n"):  # not splitlines(): a row may hold U+2028 or U+0085, which JSON leaves as they are
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue  # a torn last line
        if isinstance(row, dict) and "path" in row:  # else no row a run wrote (a damaged file): dropped as torn
            rows.append(row)
    return rows


def _rewrite(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write rows back as the run's writer wrote them (nothing at all when there are none)."""
    writer = RowWriter(path, list(rows[0]) if rows else [])
    writer.write(rows)
    writer.close(complete=False)


def _without_ledger(partial: Path, sentences: Path | None) -> dict[str, Any]:
    """The ledger line that stands for a partial file's rows written without a ledger: every path with a score
    row is done, and the sentence file keeps only those paths' rows (it can run ahead of the score file)."""
    rows = _records(partial) if partial.exists() else []
    paths = {r["path"] for r in rows}
    _rewrite(partial, rows)
    if sentences and sentences.exists():
        _rewrite(sentences, [r for r in _records(sentences) if r.get("path") in paths])
    n_sentences = _size(sentences) if sentences and sentences.exists() else (None if rows else 0)
    return {"paths": sorted(paths), "rows": len(rows), "sizes": [_size(partial) or 0, n_sentences]}


def holds_rows(path: Path, columns: Sequence[str]) -> bool:
    """Whether `path` holds rows a `reciprocity score` run wrote (or nothing at all: no bytes, or only
    whitespace): a CSV whose header is `columns`, JSON lines with those keys, or a Parquet file with those
    columns. A file with content after a blank first line is not ours: a run never writes one. A BOM and CRLF
    line ends (the file re-saved by Excel) still are."""
    if suffix_of(path) == ".parquet":
        return parquet_columns(path) == list(columns)
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        first = fh.readline()
        if not first.strip():
            return all(not chunk.strip() for chunk in iter(lambda: fh.read(1 << 16), ""))
    if ".jsonl" in path.name.lower():
        try:
            found = list(json.loads(first))
        except (json.JSONDecodeError, TypeError):
            found = []
    else:
        found = next(csv.reader([first]), [])
    return found == list(columns)


def check_output(path: Path, columns: Sequence[str]) -> None:
    """A UsageError unless `path` (an --out to resume into) holds rows a run wrote (see `holds_rows`). Checked
    before any file is renamed or cut."""
    if not holds_rows(path, columns):
        raise UsageError(f"{path}: not rows that `reciprocity score` wrote (its columns are not "
                         f"{', '.join(columns[:3])}, ...), so --resume cannot continue it: give a new --out")


def check_options(partial: Path, options: dict[str, str | None]) -> None:
    """A UsageError when the run behind `partial` was given other row-changing `options` (by option name,
    `--agent` to its value) than this resume of it for jobs it finished, naming each that changed; nothing is
    touched. A ledger from before options were kept, or none, passes."""
    ledger = ledger_path(partial)
    given: dict[str, str | None] = {}
    changed = {}
    for entry in _whole_lines(ledger.read_bytes())[0] if ledger.exists() else []:
        if "options" in entry:
            given = entry["options"]
        else:  # a job finished with the options given last
            changed |= {o: (was, options[o]) for o, was in given.items() if o in options and was != options[o]}
    if changed:
        told = "; ".join(f"{o} was {_shown(was)}, now {_shown(now)}" for o, (was, now) in changed.items())
        raise UsageError(f"{partial}: the run being resumed was given other options ({told}): resuming would mix "
                         "its rows with rows made otherwise, or score a finished file again beside its old rows; "
                         "resume with the same options, or give a new --out to score everything with these")


def _shown_key(key: str) -> str:
    """A ledger key as a person reads it: 'calls/a.vtt (agent 'Dana')'."""
    path, conversation_id, agent, *names = json.loads(key)
    told = [f"conversation {conversation_id!r}" if conversation_id else "", f"agent {agent!r}" if agent else "",
            f"speaker names {names[0]!r}" if names else ""]
    return f"{path} ({', '.join(t for t in told if t) or 'as found'})"


def _shown(value: str | None) -> str:
    return repr(value) if value else "not given"


def resume(partial: Path, sentences: Path | None = None) -> Done:
    """What the interrupted run behind `partial` (and its sentence file) finished; the files are cut back to it.

    Without a ledger every path with a row counts as done, and a ledger is started that says so, so the run can
    be interrupted and resumed again. A UsageError when sentence rows are asked for but finished jobs have none
    (the earlier run wrote no --sentences-out): keeping their score rows would leave the sentence file short.
    """
    ledger = ledger_path(partial)
    if not ledger.exists():
        first = _line(_without_ledger(partial, sentences))
        tmp = ledger.with_name(ledger.name + ".tmp")
        tmp.write_text(first, encoding="utf-8")
        os.replace(tmp, ledger)  # whole or not at all: an empty ledger would mean nothing was done
    done = Done()
    sizes: list[int | None] = [0, 0]
    missing = 0
    for entry in _entries(ledger):
        if "options" in entry:
            continue
        if "job" in entry:
            done.keys[entry["job"]] += 1
        done.paths.update(entry.get("paths", ()))
        done.rows += entry["rows"]
        sizes = entry["sizes"]
        missing += entry["rows"] if sizes[1] is None else 0
    if sentences and missing:
        raise UsageError(f"{sentences}: the run being resumed wrote no sentence rows for {missing} of its finished "
                         "conversations; resume without --sentences-out, or start again without --resume")
    _cut(partial, sizes[0])
    if sentences:
        _cut(sentences, sizes[1])
    done.errors = sum(1 for row in _records(partial) if row.get("error")) if partial.exists() else 0
    return done


def discard(partials: Iterable[Path]) -> None:
    """Remove a run's partial files and their ledgers (before a fresh run, or once a run is complete)."""
    for p in partials:
        p.unlink(missing_ok=True)
        ledger_path(p).unlink(missing_ok=True)
