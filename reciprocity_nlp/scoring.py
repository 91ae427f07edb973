"""Score files: one row per conversation, one error row per unreadable file or conversation, nothing skipped.

The same rows come from the CLI (`reciprocity score`), from `Analyzer.score_paths` and
`Analyzer.score_frame`, and from the Dask engine (`reciprocity_nlp.distributed`).
"""

from __future__ import annotations

import csv
import errno
import importlib.util
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from reciprocity_nlp.agent import AgentError, assign_agent
from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.errors import ReadError, TableError, UsageError
from reciprocity_nlp.labels import ACTS, LABELS
from reciprocity_nlp.readers import iter_files, parse_bytes, read_file, require_speakers
from reciprocity_nlp.readers.base import column_key
from reciprocity_nlp.readers.speakers import label_key, named_labels, parse_speaker_names, rename_speakers, speaker_map
from reciprocity_nlp.tables import SUFFIXES, cell_text, named_columns, read_located, suffix_of, where

if TYPE_CHECKING:
    from reciprocity_nlp.analysis import Analyzer

SCORE_COLUMNS = ["path", "conversation_id", "channel", "agent", "n_turns", "n_sentences", *LABELS, "flags", *ACTS,
                 "reciprocity_index", "error"]
SENTENCE_COLUMNS = ["path", "conversation_id", "turn", "speaker", "role", "text", "act", "confidence",
                    *(f"p_{a}" for a in ACTS)]


ANALYSIS_BATCH = 64  # conversations analysed at once: batching pays up to here, and memory stays flat past it
STDIN = "-"  # the path that means standard input, as in most command-line tools
STDIN_NAME = "stdin"  # how standard input is named in errors and conversation ids


Names = tuple[tuple[str, str], ...]  # a speaker-name map as a job carries it: (label, name) pairs
# A manifest's columns, matched as labelled data's are (`Path`, `Agent`, `Conversation ID` are these).
MANIFEST_COLUMNS = {column_key(name): name for name in ("path", "agent", "conversation_id", "speaker_names")}


@dataclass(frozen=True)
class Job:
    """One file to score, with what a manifest says about it (`data`: the bytes of standard input; `format`:
    read it as this format instead of detecting one; `speaker_names`: `--speaker-name`s, for the files that
    have those labels; `manifest_names`: the manifest row's `speaker_names`, each label one of the file's
    speakers; `error`: why the manifest row cannot be scored, its error row's reason)."""

    path: str
    agent: str | None = None
    conversation_id: str | None = None
    data: bytes | None = None
    format: str | None = None
    speaker_names: Names = ()
    manifest_names: Names = ()
    error: str | None = None


def read_job(job: Job, found: set[str] | None = None) -> list[Conversation | ReadError]:
    """A job's conversations (the one its `conversation_id` picks, see `_selected`), from its file or from the
    standard input it carries, with speakers named as its maps say (the manifest row's overriding the
    `--speaker-name`s for the labels it names); a ReadError (with its `conversation_id`) in the place of each
    one that cannot be read, and raised when the whole file cannot, its manifest row is malformed or names a
    speaker not in it. The labels of `speaker_names` that name a speaker are added to `found`."""
    if job.error:
        raise ReadError(job.path, job.error)
    if job.data is None:
        units = read_file(job.path, job.format, errors="keep")
    else:
        units = parse_bytes(job.data, STDIN_NAME, job.format, errors="keep")
    units = _selected(units, job.conversation_id)
    if not (job.speaker_names or job.manifest_names):
        return units
    own = dict(job.manifest_names)
    require_speakers(units, own, job.path if job.data is None else STDIN_NAME)
    overridden = {label_key(label) for label in own}
    names = {**{label: name for label, name in job.speaker_names if label_key(label) not in overridden}, **own}
    conversations = [u for u in units if isinstance(u, Conversation)]
    if found is not None:
        found.update(*(named_labels(c, [label for label, _ in job.speaker_names]) for c in conversations))
    return [rename_speakers(u, names) if isinstance(u, Conversation) else u for u in units]


def names_option(given: Iterable[tuple[str, str]]) -> Names:
    """`--speaker-name`s as a job's map; a UsageError when one label is given two names."""
    try:
        return tuple(speaker_map(given).items())
    except ValueError as exc:
        raise UsageError(f"--speaker-name: {exc}") from exc


def unused_names(names: Names, found: set[str]) -> list[str]:
    """A warning line for each `--speaker-name` that named no speaker in any file read: nothing given is
    passed over in silence."""
    return [f"warning: --speaker-name {label!r}: no file read in this run has a speaker of that label, so it "
            "named nobody" for label, _ in names if label not in found]


def with_stdin(jobs: list[Job], stdin: BinaryIO) -> list[Job]:
    """The jobs, with standard input ("-") read once, here: worker processes cannot read it."""
    if not any(j.path == STDIN for j in jobs):
        return jobs
    data = stdin.read()
    return [replace(j, data=data) if j.path == STDIN else j for j in jobs]


def error_row(path: str, message: str, conversation_id: str | None = None, agent: str | None = None) -> dict[str, Any]:
    """The row of a file or conversation that could not be scored: what is unknown is None (an empty CSV cell,
    JSON null, a missing value in pandas and Parquet), so numeric columns stay numeric. The agent a manifest or
    `--agent` named is kept, so a failed conversation still counts against the person it was meant for."""
    row: dict[str, Any] = dict.fromkeys(SCORE_COLUMNS)
    row.update(path=path, conversation_id=conversation_id or Path(path).stem, agent=agent, error=message)
    return row


def score_row(analysis: Any, path: str) -> dict[str, Any]:
    """An analysis's output row, its `warning` (empty when none), which the CLI prints on stderr, and whether
    its agent was guessed (`agent_guessed`), which the CLI counts: the output's columns are fixed, and
    neither is an error."""
    return {**analysis.row(path), "warning": "; ".join(analysis.warnings),
            "agent_guessed": not analysis.agent_source.startswith("given")}


def warning_line(path: str, conversation_id: str, message: str) -> str:
    """A conversation's warning as the CLI prints it on stderr, naming the file and the conversation."""
    return f"warning: {path} ({conversation_id}): {message}"


def warning_lines(rows: Iterable[dict[str, Any]]) -> list[str]:
    """The `warning_line` of each score row that carries a warning (see `score_row`)."""
    return [warning_line(r["path"], r["conversation_id"], r["warning"]) for r in rows if r.get("warning")]


def jobs_from_paths(paths: str | Path | Iterable[str | Path], skip: Iterable[Path] = (),
                    listed: Mapping[Path | str, str] | None = None) -> Iterator[Job]:
    """Every file under the given file or folder, or several, in a fixed order. An empty folder is a job of its own,
    so it becomes an error row instead of vanishing; files in `skip` (a run's own output) are left out of folder walks.
    A file given again (the same file, however written, or in a folder given too; standard input twice; or a file
    in `listed`, a manifest's, see `jobs_from_manifest`) is an error job naming where it came first: scored twice,
    one conversation would be two rows, which `report` refuses.
    """
    skip = {s.resolve() for s in skip}
    first: dict[Path | str, str] = dict(listed or {})  # real path -> how it was first given, as the error says it
    for p in [paths] if isinstance(paths, str | Path) else paths:
        found = False
        for f in iter_files(p):
            found = True
            real = STDIN if str(f) == STDIN else resolved(f)
            if f == Path(p) or real not in skip:
                if real in first:
                    yield Job(str(f), error=f"given twice, also {first[real]}")  # its error row names the file
                else:
                    first[real] = f"as {f}"
                    yield Job(str(f))
        if not found:
            yield Job(str(p))


def resolved(path: Path) -> Path:
    """The real path, or the path itself when it cannot be resolved (a symlink loop is read, and fails, as a file)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def check_not_inputs(inputs: Iterable[str | Path], outputs: Iterable[Path]) -> None:
    """A UsageError naming the first input (standard input aside) that is also one of the `outputs`, before
    anything is written: writing would overwrite it. `score`, `tag` and `report` check their inputs so."""
    written = {resolved(Path(t)) for t in outputs}
    for path in inputs:
        if str(path) != STDIN and resolved(Path(path)) in written:
            raise UsageError(f"{path}: is both an input and an output; writing would overwrite it")


def jobs_from_manifest(manifest: str | Path, listed: dict[Path | str, str] | None = None) -> list[Job]:
    """Jobs from a CSV or JSONL manifest with a `path` column (relative to the manifest's folder; columns named as
    `MANIFEST_COLUMNS` says, so `Path` and `Agent` are read as labelled data's are). A row that
    cannot be scored as given (see `_manifest_job`), or lists a file again for the same conversation and agent
    (case and accents aside), is a job with its error, so it costs only its own row; a manifest with no rows, or
    no `path` column, is a TableError. Each file a row lists to score is added to `listed`, by its real path, as
    where it is first listed (`listed on m.csv:2`), so `jobs_from_paths` can name it when a PATH gives it again."""
    manifest = Path(manifest)
    rows = read_located(manifest)
    if not rows:  # scoring nothing, and saying nothing, would pass for a run that worked
        raise TableError(f"{manifest}: no rows: a manifest lists the files to score, one a row")
    if not any(column_key(k) == "path" for _, row in rows for k in row):
        raise TableError(f"{manifest}: a manifest needs a 'path' column")
    jobs = []
    first: dict[tuple[str, str | None, str], int] = {}  # the line each file, conversation and agent is listed on
    for place, row in rows:
        job = _manifest_job(row, manifest.parent, where(manifest, place))
        key = (job.path, job.conversation_id, label_key(job.agent or ""))
        if not job.error and key in first:
            # Its rows would repeat the first's, which `report` refuses; without the agent, it rates nobody twice.
            line = "row" if suffix_of(manifest) == ".parquet" else "line"
            job = Job(job.path, conversation_id=job.conversation_id,
                      error=f"{where(manifest, place)}: {job.path} is listed twice, also on {line} {first[key]}")
        elif not job.error:
            first[key] = place
            if listed is not None:
                listed.setdefault(resolved(Path(job.path)), f"listed on {where(manifest, place)}")
        jobs.append(job)
    return jobs


def _manifest_job(row: Mapping[str, Any], base: Path, place: str) -> Job:
    """A manifest row's job; when its path is missing or blank, or a cell is not text (a JSON number, list or
    object: `"agent": 7` names nobody), or two of its columns are one name (`agent` and `Agent`), the job
    carries the error, naming `place`, the row's line. A row with no path to name is named by its place."""
    job = Job(place)
    try:
        row = named_columns(row, MANIFEST_COLUMNS)
        given = _manifest_cell(row, "path")
        if given is None:
            raise ValueError("no path")
        p = Path(given)
        # normpath: 'exports/../calls/a.txt' and 'calls/a.txt' are one file, and its rows show one path
        job = Job(os.path.normpath(p if p.is_absolute() else base / p))
        job = replace(job, agent=_manifest_cell(row, "agent"),
                      conversation_id=_manifest_cell(row, "conversation_id", numbers=True))
    except ValueError as exc:
        return replace(job, error=f"{place}: {exc}")
    return with_row_names(job, row.get("speaker_names"), place)


def _manifest_cell(row: Mapping[str, Any], column: str, numbers: bool = False) -> str | None:
    """A manifest cell as text, None when blank or missing; a ValueError for any other value, save a number
    where `numbers` allows one (a CRM's numeric conversation id), which is its text."""
    value = row.get(column)
    text = cell_text(value)
    if text is None or isinstance(value, str) or (numbers and isinstance(value, Real) and not isinstance(value, bool)):
        return text
    raise ValueError(f"{column} must be text, got {value!r}")


def with_row_names(job: Job, value: Any, place: str) -> Job:
    """A job with its manifest row's `speaker_names` ('Speaker 0=Dana Whitfield; Speaker 1=Marcus Lee', or a JSON
    object); a malformed one makes the job an error row naming `place`, the row's line, and the other rows go on."""
    try:
        names = speaker_map(value) if isinstance(value, Mapping) else parse_speaker_names(cell_text(value) or "")
    except ValueError as exc:
        return replace(job, error=f"{place}: speaker_names: {exc}")
    return replace(job, manifest_names=tuple(names.items()))


def sentence_rows(analysis: Any, path: str) -> list[dict[str, Any]]:
    rows = []
    for s in analysis.sentences:
        row = {"path": path, "conversation_id": analysis.conversation.id, "turn": s.turn, "speaker": s.speaker,
               "role": s.role, "text": s.text, "act": s.act, "confidence": s.confidence}
        row.update({f"p_{a}": s.probs[a] for a in ACTS})
        rows.append(row)
    return rows


def _named(job: Job, cid: str | None, n: int) -> str | None:
    """A conversation's id in its row: a manifest's `conversation_id` names a file's only conversation, and in a
    file of several it takes the file name's place in the ids derived from it (an mbox's threads `inbox-1`,
    `inbox-2` become `CRM-42-1`, `CRM-42-2`); ids the file itself gives (a CSV's column) stay."""
    if not job.conversation_id or cid is None:
        return cid
    if n == 1:
        return job.conversation_id
    stem = Path(job.path).stem
    if cid == stem:
        return job.conversation_id
    if cid.startswith(f"{stem}-") and cid[len(stem) + 1:].isdigit():
        return f"{job.conversation_id}-{cid[len(stem) + 1:]}"
    return cid


def _selected(units: list[Conversation | ReadError], wanted: str | None) -> list[Conversation | ReadError]:
    """A manifest's `conversation_id` that is the id of one conversation in a file of several picks that one, so
    an export of many calls can be listed once per call, each with its own agent; any other id names them all."""
    if wanted and len(units) > 1:
        picked = [u for u in units if (u.conversation_id if isinstance(u, ReadError) else u.id) == wanted]
        if picked:
            return picked
    return units


def score_chunk(analyzer: Analyzer, jobs: Sequence[Job], with_sentences: bool = False
                ) -> list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """(score rows, sentence rows) for each job, in order; bad input becomes error rows, never an exception.
    Beside the output's columns, each conversation's row has a `warning` and `agent_guessed` (see `score_row`),
    and the rows of a job given `--speaker-name`s have `speaker_names_found`: those that named a speaker in its
    file, which the CLI gathers to name the ones that named nobody.

    The conversations of all the jobs are analysed together, so the models work in batches, `ANALYSIS_BATCH`
    at a time, each turned into rows at once: an export of thousands of calls is one job, and holding all
    its analyses would make memory grow with the file.
    """
    per_job: list[list[Any]] = []  # per job: its items, each an error row or a conversation
    found: list[set[str]] = []  # per job: its --speaker-name labels that named a speaker
    batch, agents, paths = [], [], []
    for job in jobs:
        items: list[Any] = []
        found.append(set())
        try:
            conversations = read_job(job, found[-1])
        except Exception as exc:  # a reader's bug must cost one row, not the batch
            reason = exc.reason if isinstance(exc, ReadError) else f"internal error while reading: {type(exc).__name__}: {exc}"
            name = job.conversation_id or (STDIN_NAME if job.data is not None else None)
            per_job.append([error_row(job.path, reason, name, job.agent)])
            continue
        for conv in conversations:
            if isinstance(conv, ReadError):
                items.append(error_row(job.path, conv.reason, _named(job, conv.conversation_id, len(conversations)), job.agent))
                continue
            conv.id = _named(job, conv.id, len(conversations))
            try:  # resolved or guessed here, so a missing agent costs its own row, not its batch
                name = assign_agent(conv, job.agent, analyzer.agent_model)
            except AgentError as exc:
                items.append(error_row(job.path, exc.reason, conv.id, job.agent))
                continue
            items.append(conv)
            batch.append(conv)
            agents.append(name)
            paths.append(job.path)
        per_job.append(items)
    results: dict[int, Any] = {}  # by conversation identity: (score row, sentence rows), or an error message
    for start in range(0, len(batch), ANALYSIS_BATCH):
        part = batch[start:start + ANALYSIS_BATCH]
        analyses = _analyze_all(analyzer, part, agents[start:start + ANALYSIS_BATCH])
        for conv, path in zip(part, paths[start:start + ANALYSIS_BATCH], strict=True):
            a = analyses[id(conv)]
            results[id(conv)] = a if isinstance(a, str) else (
                score_row(a, path), sentence_rows(a, path) if with_sentences else [])
    out = []
    for job, items, named in zip(jobs, per_job, found, strict=True):
        rows, sentences = [], []
        for item in items:
            if isinstance(item, dict):
                rows.append(item)
                continue
            result = results[id(item)]
            if isinstance(result, str):
                rows.append(error_row(job.path, result, item.id, job.agent))
                continue
            rows.append(result[0])
            sentences += result[1]
        if job.speaker_names:
            rows = [{**row, "speaker_names_found": sorted(named)} for row in rows]
        out.append((rows, sentences))
    return out


def _analyze_all(analyzer: Analyzer, batch: list[Any], agents: list[str]) -> dict[int, Any]:
    """Analyses by conversation identity; if the batch fails, each conversation alone, and a
    conversation that still fails gets its error message instead of an analysis."""
    try:
        analyses = analyzer.analyze_many(batch, agents, batch_size=max(1, len(batch)))
        return {id(conv): a for conv, a in zip(batch, analyses, strict=True)}
    except Exception:
        out: dict[int, Any] = {}
        for conv, agent in zip(batch, agents, strict=True):
            try:
                out[id(conv)] = analyzer.analyze(conv, agent)
            except Exception as exc:
                out[id(conv)] = f"internal error while analysing: {type(exc).__name__}: {exc}"
        return out


def score_jobs(analyzer: Analyzer, jobs: Iterable[Job], with_sentences: bool = False, chunk: int = 16
               ) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """`score_chunk` over a stream of jobs, `chunk` files at a time."""
    it = iter(jobs)
    while block := list(islice(it, chunk)):
        yield from score_chunk(analyzer, block, with_sentences)


# --------------------------------------------------------------------------- writers


def shown_text(value: Any) -> Any:
    """A cell as UTF-8 can hold it: text with lone surrogates, which UTF-8 cannot encode, gets them as backslash
    escapes, and any other value stays as it is. A file name that is not UTF-8 (Python reads a Latin-1 byte
    into a surrogate) shows its bytes, `lat\\xe9n.txt`, enough to find the file by; a lone surrogate a JSON
    transcript spelled out (half an emoji) shows its code, `\\ud83d`."""
    if not isinstance(value, str) or value.isascii():
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


class RowWriter:
    """Write rows to a `.csv` or `.jsonl` file (or as CSV to an open stream such as stdout) as they come,
    flushing after each batch so a killed run keeps what it wrote. A CSV header goes out with the first
    rows, or at a complete close, so a run that fails before any row (say, its model cannot load) prints
    nothing that looks like output."""

    def __init__(self, target: Path | TextIO, columns: Sequence[str], append: bool = False) -> None:
        self.columns = list(columns)
        self.owned = isinstance(target, Path)
        if isinstance(target, Path):
            exists = append and target.exists() and target.stat().st_size > 0
            self.fh: TextIO = open(target, "a" if exists else "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in close()
        else:
            self.fh, exists = target, False
        as_csv = not (isinstance(target, Path) and ".jsonl" in (s.lower() for s in target.suffixes))
        self.csv = csv.DictWriter(self.fh, fieldnames=self.columns, extrasaction="ignore") if as_csv else None
        self.header_due = self.csv is not None and not exists

    def _header(self) -> None:
        if self.header_due and self.csv is not None:
            self.csv.writeheader()
            self.header_due = False

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        rows = list(rows)
        if rows:
            self._header()
        for row in rows:
            cells = {k: shown_text(row.get(k)) for k in self.columns}
            if self.csv is not None:
                self.csv.writerow(cells)
            else:
                self.fh.write(json.dumps(cells, ensure_ascii=False) + "\n")
        self.fh.flush()

    def size(self) -> int:
        """Bytes written so far (all of them flushed): where a resumed run cuts the file back to."""
        return os.fstat(self.fh.fileno()).st_size

    def close(self, complete: bool = True) -> None:
        """Close the file this writer opened (a stream it was given stays open). A complete run with no
        rows still gets its CSV header; an incomplete one (`complete=False`) gets nothing more."""
        if complete:
            self._header()
            self.fh.flush()
        if self.owned:
            self.fh.close()


def output_file(target: str | Path, option: str = "--out") -> Path:
    """An `--out` file of `score` or `tag` (or the `option` named), refused (UsageError) unless it ends in a format
    the writers know (in any case: `o.CSV` is written as CSV, see `suffix_of`), for Parquet a Parquet engine is
    installed, it is not a folder, and a missing folder for it can be made (its nearest existing folder is one, and
    writable). The refusal comes before any work, not after it; the folder itself is made by `make_folder` once
    every check has passed, so a run refused for another reason leaves no empty folder behind."""
    path = Path(target)
    if suffix_of(path) not in SUFFIXES:
        raise UsageError(f"{target}: output must end in .csv, .jsonl or .parquet")
    if suffix_of(path) == ".parquet" and not any(importlib.util.find_spec(m) for m in ("pyarrow", "fastparquet")):
        raise UsageError(f"{target}: writing Parquet needs pyarrow (pip install 'reciprocity-nlp[parquet]')")
    if path.is_dir():
        raise UsageError(f"{target}: is a folder; {option} must be a file")
    if not path.parent.is_dir():
        base = next(p for p in path.parents if p.exists())  # '/' or '.' at the last
        problem = errno.ENOTDIR if not base.is_dir() else None if os.access(base, os.W_OK | os.X_OK) else errno.EACCES
        if problem:
            raise UsageError(f"{path.parent}: cannot make the folder for {option}: {os.strerror(problem)}")
    return path


def make_folder(path: Path, option: str = "--out") -> None:
    """Make the missing folder for an output that `output_file` accepted, as `report --out` does, once the run
    is past its checks and about to write; a UsageError naming it if it cannot be made after all."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{path.parent}: cannot make the folder for {option}: {exc.strerror or exc}") from exc


def partial_path(out: Path) -> Path:
    """Where rows go while a run is under way: `scores.csv.partial`, `scores.parquet.partial.jsonl`."""
    if suffix_of(out) == ".parquet":
        return out.with_name(out.name + ".partial.jsonl")
    return out.with_name(out.name + ".partial")


def finish(partial: Path, out: Path, columns: Sequence[str]) -> None:
    """Move a finished run's rows into place (converting to Parquet when asked)."""
    if suffix_of(out) == ".parquet":
        import pandas as pd

        frame = pd.read_json(partial, lines=True, dtype=False) if partial.stat().st_size else pd.DataFrame(columns=columns)
        frame = frame.reindex(columns=list(columns))
        try:
            frame.to_parquet(out, index=False)
        except ImportError as exc:
            raise SystemExit(f"{out}: writing Parquet needs pyarrow (pip install 'reciprocity-nlp[parquet]')") from exc
        partial.unlink()
    else:
        os.replace(partial, out)
