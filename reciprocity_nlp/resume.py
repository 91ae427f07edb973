"""What an interrupted `score` run finished, so that `--resume` scores only the rest.

Beside a run's partial output (`scores.csv.partial`) runs a ledger (`scores.csv.partial.jobs`): one JSON line
per finished job, with the job's key (its path, and the manifest's `conversation_id` and agent) and the sizes
of the partial files once its rows were in. A file listed twice in a manifest (once per agent, or once per
call of an export) is two jobs, so finishing one does not skip the other. A job's rows are written before
its ledger line, so resuming cuts the partial files back to the sizes of the last line: a job killed between
the two is scored again, never kept in part or written twice.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from reciprocity_nlp.scoring import Job


def job_key(job: Job) -> str:
    """A job's identity in the ledger: what the run was asked to score, not what it found."""
    return json.dumps([job.path, job.conversation_id, job.agent], ensure_ascii=False)


def ledger_path(partial: Path) -> Path:
    return partial.with_name(partial.name + ".jobs")


@dataclass
class Done:
    """The jobs an earlier run finished: by key, or by path alone for rows written without a ledger (an
    older version's partial file, or a finished output that a resumed run extends); `rows`: score rows kept."""

    keys: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    rows: int = 0

    def __contains__(self, job: Job) -> bool:
        return job_key(job) in self.keys or job.path in self.paths


class Ledger:
    """Appends a line for each job whose rows are written; the partial files' sizes come from their writers."""

    def __init__(self, partial: Path) -> None:
        self.fh: TextIO = open(ledger_path(partial), "a", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def add(self, job: Job, rows: int, sizes: tuple[int, int]) -> None:
        self.fh.write(json.dumps({"job": job_key(job), "rows": rows, "sizes": list(sizes)}) + "\n")
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


def _size(path: Path | None) -> int:
    return path.stat().st_size if path and path.exists() else 0


def _cut(path: Path | None, size: int) -> None:
    if path and path.exists() and path.stat().st_size > size:
        with open(path, "r+b") as fh:
            fh.truncate(size)


def _entries(ledger: Path) -> list[dict]:
    """The ledger's lines; a torn last line (the run was killed while writing it) is left out."""
    entries = []
    for line in ledger.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            break
    return entries


def _paths_of(partial: Path) -> tuple[list[str], int]:
    """Paths of a ledger-less partial file's rows, after cutting off a torn last line; and the row count."""
    data = partial.read_bytes()
    end = data.rfind(b"\n") + 1
    _cut(partial, end)
    text = data[:end].decode("utf-8", errors="replace")
    if partial.name.endswith(".csv.partial"):
        paths = [row["path"] for row in csv.DictReader(text.splitlines())]
    else:
        paths = [json.loads(line)["path"] for line in text.splitlines() if line.strip()]
    return paths, len(paths)


def _keep_only(partial: Path, done: set[str]) -> None:
    """Drop sentence rows of files with no score row (without a ledger, a sentence file can run ahead)."""
    if not partial.exists():
        return
    lines = partial.read_text(encoding="utf-8").splitlines(keepends=True)
    if partial.name.endswith(".csv.partial"):
        header, body = lines[:1], lines[1:]
        kept = [ln for ln, row in zip(body, csv.DictReader(header + body), strict=False) if row["path"] in done]
        partial.write_text("".join(header + kept), encoding="utf-8")
    else:
        partial.write_text("".join(ln for ln in lines if ln.strip() and json.loads(ln)["path"] in done), encoding="utf-8")


def resume(partial: Path, sentences: Path | None = None) -> Done:
    """What the interrupted run behind `partial` (and its sentence file) finished; the files are cut back to it.

    Without a ledger every path with a row counts as done, and a ledger is started that says so, so the
    run can be interrupted and resumed again.
    """
    ledger = ledger_path(partial)
    if not ledger.exists():
        paths, n = _paths_of(partial) if partial.exists() else ([], 0)
        if sentences:
            _keep_only(sentences, set(paths))
        with open(ledger, "w", encoding="utf-8") as fh:
            fh.write(json.dumps({"paths": sorted(set(paths)), "rows": n,
                                 "sizes": [_size(partial), _size(sentences)]}) + "\n")
    done = Done()
    sizes = [0, 0]
    for entry in _entries(ledger):
        if "job" in entry:
            done.keys.add(entry["job"])
        done.paths.update(entry.get("paths", ()))
        done.rows += entry["rows"]
        sizes = entry["sizes"]
    _cut(partial, sizes[0])
    _cut(sentences, sizes[1])
    return done


def discard(partials: Iterable[Path]) -> None:
    """Remove a fresh run's leftovers: earlier partial files and their ledger."""
    for p in partials:
        p.unlink(missing_ok=True)
        ledger_path(p).unlink(missing_ok=True)
