"""`reciprocity score`: jobs in, rows out in input order, with workers, progress and resume.

Rows go to a partial file as they are produced (`scores.csv.partial`), which is renamed into
place only when the run completes, so an interrupted run never leaves a file that looks
complete; `--resume` keeps the partial file's rows and scores only what is missing. Workers
are separate processes, each loading the model once; they receive file paths and return
plain rows (sending spaCy Docs between processes costs more than the work itself).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from reciprocity_nlp.errors import UsageError
from reciprocity_nlp.persistence import model_folder
from reciprocity_nlp.resume import Done, Ledger, check_options, check_output, discard, holds_rows, ledger_path
from reciprocity_nlp.resume import resume as resume_run
from reciprocity_nlp.scoring import (
    SCORE_COLUMNS,
    SENTENCE_COLUMNS,
    Job,
    Names,
    RowWriter,
    check_not_inputs,
    finish,
    jobs_from_manifest,
    jobs_from_paths,
    make_folder,
    names_option,
    output_file,
    partial_path,
    resolved,
    score_chunk,
    score_jobs,
    unused_names,
    warning_lines,
    with_stdin,
)
from reciprocity_nlp.tables import suffix_of
from reciprocity_nlp.wording import count

Result = tuple[list[dict[str, Any]], list[dict[str, Any]]]
CHUNK = 16
_WORKER: dict[str, Any] = {}


def _init_worker(model: str | None, trust: bool, with_sentences: bool) -> None:
    """Load the model once per worker. A failure is kept for the first task to raise: an initializer
    that raises makes the pool start a new worker, which fails again, for ever."""
    from reciprocity_nlp.persistence import load_model

    try:
        _WORKER["analyzer"] = load_model(model, trust=trust)
    except Exception as exc:  # any failure: re-raised in _work, and so in the main process
        _WORKER["error"] = exc
    _WORKER["sentences"] = with_sentences


def _work(chunk: list[Job]) -> list[Result]:
    if "error" in _WORKER:
        raise _WORKER["error"]
    return score_chunk(_WORKER["analyzer"], chunk, _WORKER["sentences"])


def local_results(jobs: Sequence[Job], model: str | None, trust: bool, n_jobs: int, with_sentences: bool,
                  chunk: int = CHUNK) -> Iterator[Result]:
    """Results for each job in order: in this process, or in `n_jobs` worker processes."""
    if n_jobs <= 1 or len(jobs) <= chunk:
        from reciprocity_nlp.persistence import load_model

        yield from score_jobs(load_model(model, trust=trust), jobs, with_sentences, chunk)
        return
    chunks = [list(jobs[i:i + chunk]) for i in range(0, len(jobs), chunk)]
    ctx = mp.get_context("spawn")
    with ctx.Pool(n_jobs, initializer=_init_worker, initargs=(model, trust, with_sentences)) as pool:
        for results in pool.imap(_work, chunks):
            yield from results


def _prepare(out: Path, sentences_out: Path | None, resume: bool, options: dict[str, str | None]) -> Done:
    """Clear a fresh run's leftovers, or find what the interrupted run finished (see `reciprocity_nlp.resume`),
    given the same row-changing `options`.

    A finished run's outputs are taken back as partial files to extend, unless one of them is Parquet, which
    cannot be appended to: then everything is scored again. A finished sentence file is taken back only when
    no partial one is left (a run killed between its two final renames left the newer rows there).
    """
    partial = partial_path(out)
    s_partial = partial_path(sentences_out) if sentences_out else None
    if not resume:
        discard([partial] + ([s_partial] if s_partial else []))
        return Done()
    for target, columns in ((out, SCORE_COLUMNS), (sentences_out, SENTENCE_COLUMNS)):
        for f in (target, partial_path(target)) if target else ():
            if f.exists() and suffix_of(f) != ".parquet":
                check_output(f, columns)  # before anything is renamed or cut
    check_options(partial, options)
    appendable = all(suffix_of(t) != ".parquet" for t in (out, sentences_out) if t)
    if not partial.exists() and out.exists() and appendable:
        out.replace(partial)  # a finished run: keep its rows, add whatever is new
        if sentences_out and s_partial and sentences_out.exists() and not s_partial.exists():
            sentences_out.replace(s_partial)  # and its sentence rows, which would otherwise be overwritten
    return resume_run(partial, s_partial)


def _options(args: argparse.Namespace, names: Names, model: Path) -> dict[str, str | None]:
    """The options that change a run's rows, as its ledger keeps them: a resume must be given the same."""
    return {"--agent": args.agent, "--speaker-name": "; ".join(f"{a}={b}" for a, b in sorted(names)) or None,
            "--model": str(model.resolve()), "--format": args.format}


def _own_files(out: str | None, sentences_out: str | None) -> list[Path]:
    """The files a folder walk of `score` leaves out (see `own_files`)."""
    return own_files([(Path(t), c) for t, c in ((out, SCORE_COLUMNS), (sentences_out, SENTENCE_COLUMNS)) if t])


def own_files(targets: Sequence[tuple[Path, Sequence[str]]]) -> list[Path]:
    """The files a folder walk leaves out, given a run's outputs and the columns each is written with: its partial
    files and ledgers, and its outputs unless one is a file of other rows (a transcript, say), which is then
    walked as an input and refused as one. `score` and `tag` walk so."""
    mine = [t for t, columns in targets if not t.is_file() or holds_rows(t, columns)]
    return mine + [f(partial_path(t)) for t, _ in targets for f in (Path, ledger_path)]


def run_score(args: argparse.Namespace) -> int:
    """The `score` command; returns the exit status."""
    if not args.paths and not args.manifest:
        raise UsageError("give files or folders to score, or --manifest F")
    if args.resume and not args.out:
        raise UsageError("--resume needs --out")
    if args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: give 1 or more worker processes")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    outputs = [output_file(t, o) for t, o in ((args.out, "--out"), (args.sentences_out, "--sentences-out")) if t]
    if len(outputs) == 2 and resolved(outputs[0]) == resolved(outputs[1]):
        raise UsageError(f"{args.out}: --out and --sentences-out must be different files")
    names = names_option(args.speaker_names)
    model = model_folder(args.model, args.trust_model)[0]  # a wrong --model fails here, before any output is written
    listed: dict[Path | str, str] = {}  # a file the manifest lists and a PATH gives again is scored once
    jobs: list[Job] = jobs_from_manifest(args.manifest, listed) if args.manifest else []
    jobs += list(jobs_from_paths(args.paths, skip=_own_files(args.out, args.sentences_out), listed=listed))
    check_not_inputs([j.path for j in jobs], outputs)
    jobs = [replace(j, agent=j.agent or args.agent, format=args.format, speaker_names=names) for j in jobs]
    jobs = with_stdin(jobs, sys.stdin.buffer)

    out = Path(args.out) if args.out else None
    sentences_out = Path(args.sentences_out) if args.sentences_out else None
    done = Done()
    ledger = None
    for target, option in ((out, "--out"), (sentences_out, "--sentences-out")):
        if target:
            make_folder(target, option)  # only now: a run refused by a check above leaves no empty folder behind
    if out:
        options = _options(args, names, model)
        done = _prepare(out, sentences_out, args.resume, options)
        done.check_jobs(jobs)
        writer = RowWriter(partial_path(out), SCORE_COLUMNS, append=args.resume)
        ledger = Ledger(partial_path(out), options)
    else:
        writer = RowWriter(sys.stdout, SCORE_COLUMNS)
    sentence_writer = None
    if sentences_out:
        if not out:
            partial_path(sentences_out).unlink(missing_ok=True)
        sentence_writer = RowWriter(partial_path(sentences_out), SENTENCE_COLUMNS, append=args.resume)
    todo = done.remaining(jobs)

    progress = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(total=len(todo), unit="file", desc="scoring", file=sys.stderr)
    started = time.perf_counter()
    n_rows = n_errors = n_warnings = n_guessed = 0
    found: set[str] = set()  # the --speaker-name labels that named a speaker
    complete = False
    try:
        if args.engine == "dask":
            from reciprocity_nlp.distributed import dask_results

            results = dask_results(todo, args.model, args.trust_model, bool(sentence_writer), args.scheduler)
        else:
            results = local_results(todo, args.model, args.trust_model, args.jobs, bool(sentence_writer))
        for job, (rows, sentences) in zip(todo, results, strict=True):
            if sentence_writer:
                sentence_writer.write(sentences)
            writer.write(rows)
            if ledger:
                ledger.add(job, len(rows), (writer.size(), sentence_writer.size() if sentence_writer else None))
            n_rows += len(rows)
            n_errors += sum(1 for r in rows if r["error"])
            n_guessed += sum(1 for r in rows if r.get("agent_guessed"))
            found.update(*(r.get("speaker_names_found", ()) for r in rows))
            for line in warning_lines(rows):
                n_warnings += 1
                (progress.write if progress else print)(line, file=sys.stderr)
            if progress:
                progress.update(1)
        complete = True
    finally:
        if progress:
            progress.close()
        for w in (writer, sentence_writer):
            if w:
                w.close(complete)
        if ledger:
            ledger.close()
    # The ledger goes first: partial files left without one (a kill in between) are read by their rows.
    if out:
        ledger_path(partial_path(out)).unlink(missing_ok=True)
        finish(partial_path(out), out, SCORE_COLUMNS)
    if sentences_out:
        finish(partial_path(sentences_out), sentences_out, SENTENCE_COLUMNS)
    elapsed = time.perf_counter() - started
    for line in unused_names(names, found):
        n_warnings += 1
        print(line, file=sys.stderr)
    if not args.quiet:
        kept = done.rows - done.errors  # the conversations kept; their error rows are counted with this run's
        resumed = f" (+{kept} kept from the earlier run)" if kept else ""
        errors = count(n_errors + done.errors, "error")
        if done.errors:
            errors += f" ({'all' if not n_errors else done.errors} kept from the earlier run)"
        warned = f"{count(n_warnings, 'warning')}, " if n_warnings else ""
        guessed = (f"agent guessed in {n_guessed} (--agent or a manifest's agent column names it; for email, "
                   "--agent @your-domain.com), " if n_guessed else "")
        print(f"scored {count(n_rows - n_errors, 'conversation')} from {count(len(todo), 'file')}{resumed}, "
              f"{errors}, {warned}{guessed}"
              f"{elapsed:.1f}s ({len(todo) / elapsed if elapsed else 0:.1f} files/s)", file=sys.stderr)
    return 1 if n_errors or done.errors else 0  # as a run scoring every file again would
