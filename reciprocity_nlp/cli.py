"""The `reciprocity` command line."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reciprocity_nlp.agent import AgentError, assign_agent
from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.errors import ModelError, ReadError, TableError, TrainingDataError, UsageError
from reciprocity_nlp.labels import ACTS
from reciprocity_nlp.language import conversation_warnings
from reciprocity_nlp.readers import FORMATS
from reciprocity_nlp.readers.speakers import parse_speaker_names
from reciprocity_nlp.scoring import (
    STDIN,
    Job,
    Names,
    RowWriter,
    check_not_inputs,
    finish,
    jobs_from_paths,
    make_folder,
    names_option,
    output_file,
    partial_path,
    read_job,
    sentence_rows,
    unused_names,
    warning_line,
    warning_lines,
    with_stdin,
)
from reciprocity_nlp.segmentation import Segmenter
from reciprocity_nlp.tables import SUFFIXES, cell_text, parquet_columns, suffix_of
from reciprocity_nlp.wording import count

if TYPE_CHECKING:
    from reciprocity_nlp.analysis import Analysis, Analyzer

DESCRIPTION = """\
Read sales and recruitment conversations (call transcripts and email threads) and see how
the agent comes across.

Supported inputs: plain 'Name: text' transcripts, timestamped lines (Rev.com too), Otter,
Zoom, Teams and Google Meet text exports (Otter's and Teams' .docx too), WebVTT, SRT,
YouTube SBV, diarized JSON (WhisperX, AssemblyAI, Deepgram, AWS Transcribe, Azure Speech,
Google Speech-to-Text, Rev.ai, Fireflies, Gong), CSV/TSV with speaker,text columns (or a
chat's from,message), .eml (plain, HTML or a calendar invitation), Outlook .msg, .mbox
threads, pasted email threads (.txt), email tables from a CRM (CSV/TSV/JSON rows with a
sender and a body; LinkedIn's messages.csv), chats (WhatsApp's exported .txt, Teams chat
messages from Graph, a Slack export's channel day file, Telegram Desktop's result.json or
HTML export), Microsoft Graph and Gmail API message JSON, with quoted headers in English,
German, French, Spanish, Dutch, Italian, Portuguese, Danish, Norwegian, Swedish, Finnish or
Polish.
"""
TAG_COLUMNS = ["act", "confidence", *(f"p_{a}" for a in ACTS)]  # after the input's columns in `tag` output
TAG_FILE_COLUMNS = ["conversation_id", "turn", "speaker", "text", *TAG_COLUMNS]  # `tag FILE...` output


def _print_summary(conv: Conversation, out: TextIO) -> None:
    meta = conv.metadata
    out.write(f"== {conv.id}  [{conv.channel}, {meta.get('format')}]  {conv.source}\n")
    if meta.get("subject"):
        out.write(f"   subject: {meta['subject']}\n")
    counts = {s: sum(1 for t in conv.turns if t.speaker == s) for s in conv.speakers}
    out.write("   speakers: " + ", ".join(f"{s} ({count(n, 'turn')})" for s, n in counts.items()) + "\n")
    out.write(f"   agent: {meta.get('agent')} ({meta.get('agent_source')})\n")
    out.write(f"   turns: {len(conv.turns)}, sentences: {conv.n_sentences}\n")
    for turn in conv.turns:
        when = ""
        if turn.start is not None:
            when = f"[{int(turn.start) // 60:02d}:{int(turn.start) % 60:02d}] "
        elif turn.sent is not None:
            when = f"[{turn.sent:%Y-%m-%d %H:%M}] "
        text = " ".join(turn.text.split())
        out.write(f"   {turn.index:>3} {when}{turn.speaker}: {text[:160]}{'…' if len(text) > 160 else ''}\n")


def cmd_read(args: argparse.Namespace) -> int:
    from reciprocity_nlp.persistence import load_read_parts

    names = names_option(args.speaker_names)
    boundaries, agent_model = load_read_parts(args.model, trust=args.trust_model)
    segmenter = Segmenter(boundaries=boundaries)
    failures: list[Exception] = []
    found: set[str] = set()
    for job, conv in _readable(_jobs(args.paths, args.format, names), failures, found):
        try:
            segmenter(conv)
            assign_agent(conv, args.agent, agent_model)
        except AgentError as exc:
            _fail(exc, failures)
            continue
        for warning in conversation_warnings(conv):
            print(warning_line(job.path, conv.id, warning), file=sys.stderr)
        if args.json:
            sys.stdout.write(json.dumps(conv.to_dict(), ensure_ascii=False) + "\n")
        else:
            _print_summary(conv, sys.stdout)
    _warn_unused(names, found)
    return 1 if failures else 0


def _readable(jobs: Iterable[Job], failures: list[Exception], found: set[str]) -> Iterator[tuple[Job, Conversation]]:
    """Each job's conversations that can be read; each file or conversation that cannot is named on stderr and
    added to `failures`, and `read` and `tag` go on with the rest, as `score` gives each its error row. The
    `--speaker-name` labels that name a speaker are added to `found`."""
    for job in jobs:
        try:
            units = read_job(job, found)
        except ReadError as exc:
            units = [exc]
        for unit in units:
            if isinstance(unit, ReadError):
                _fail(unit, failures)
            else:
                yield job, unit


def _fail(exc: Exception, failures: list[Exception]) -> None:
    print(f"error: {exc}", file=sys.stderr)
    failures.append(exc)


def _jobs(paths: Sequence[str], format: str | None, names: Names, skip: Iterable[Path] = ()) -> list[Job]:
    """Every file under the given paths (folder walks leaving out the files in `skip`, a run's own output), to be
    read as `format` (None: detected) with the speakers `names` names, and "-" read from standard input."""
    return with_stdin([replace(j, format=format, speaker_names=names) for j in jobs_from_paths(paths, skip)],
                      sys.stdin.buffer)


def _warn_unused(names: Names, found: set[str]) -> None:
    """Name on stderr each `--speaker-name` that named no speaker in any input (see `unused_names`)."""
    for line in unused_names(names, found):
        print(line, file=sys.stderr)


def _load(args: argparse.Namespace) -> Analyzer:
    from reciprocity_nlp.persistence import load_model

    return load_model(args.model, trust=args.trust_model)


def cmd_tag(args: argparse.Namespace) -> int:
    if args.sentences and args.paths:
        raise UsageError("give transcript/email files or folders, or --sentences F, not both")
    if not (args.sentences or args.paths):
        raise UsageError("give transcript/email files or folders, or --sentences F")
    if args.sentences and args.speaker_names:
        raise UsageError("--speaker-name names the speakers of transcript files, not of --sentences rows "
                         "(their speaker column is written as it is)")
    from reciprocity_nlp.batch import own_files
    from reciprocity_nlp.training import table_files

    names = names_option(args.speaker_names)
    out = _output(args.out)
    # As `score` does: an earlier run's output in a tagged folder is left out, and any other input is never overwritten.
    files = table_files(args.sentences) if args.sentences else []
    jobs = [] if args.sentences else _jobs(args.paths, args.format, names, own_files([(out, TAG_FILE_COLUMNS)] if out else []))
    check_not_inputs(files or [j.path for j in jobs], [out] if out else [])
    analyzer = _load(args)
    found: set[str] = set()
    if args.sentences:
        rows, unread = _sentences_in(files, Path(args.sentences).is_dir())
        _make_out_folder(out)
        rows, columns, failed = _tag_sentences(analyzer, rows, args.agent)
        failed += unread
    else:
        _make_out_folder(out)
        rows, columns, failed = _tag_files(analyzer, jobs, args.agent, found)
    _write_rows(out, columns, rows)
    _warn_unused(names, found)
    return 1 if failed else 0


def _make_out_folder(out: Path | None) -> None:
    """Make the missing folder for `tag --out`, as `score` does: once the inputs and the model are checked (a run
    refused by them leaves no empty folder behind) and before any tagging (a folder that cannot be made wastes none)."""
    if out:
        make_folder(out)


def _analysed(analyzer: Analyzer, jobs: Iterable[Job], agent: str | None, failures: list[Exception],
              found: set[str]) -> Iterator[tuple[Job, Analysis]]:
    """Each readable conversation's analysis; a file, conversation or agent that fails is named on stderr and added
    to `failures` (see `_readable`, which also fills `found`), and the rest go on."""
    for job, conv in _readable(jobs, failures, found):
        try:
            analysis = analyzer.analyze(conv, agent)
        except AgentError as exc:
            _fail(exc, failures)
            continue
        yield job, analysis


def cmd_explain(args: argparse.Namespace) -> int:
    names = names_option(args.speaker_names)
    analyzer = _load(args)
    failures: list[Exception] = []
    found: set[str] = set()
    for job, analysis in _analysed(analyzer, _jobs(args.paths, args.format, names), args.agent, failures, found):
        if args.json:
            sys.stdout.write(json.dumps(analysis.to_dict(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(f"== {job.path}\n{analysis.explain()}\n\n")
    _warn_unused(names, found)
    return 1 if failures else 0


def _tag_files(analyzer: Analyzer, jobs: Sequence[Job], agent: str | None, found: set[str]
               ) -> tuple[list[dict[str, Any]], list[str], int]:
    """`tag FILE...`: one row per sentence of every conversation; a file or conversation that cannot be read is
    named on stderr, and a progress bar shows on a terminal. Returns the rows, their columns and how many files
    or conversations failed; the `--speaker-name` labels that name a speaker are added to `found`."""
    from tqdm import tqdm

    rows: list[dict[str, Any]] = []
    failures: list[Exception] = []
    progress = tqdm(jobs, unit="file", desc="tagging", file=sys.stderr, disable=None if len(jobs) > 1 else True)
    for job, analysis in _analysed(analyzer, progress, agent, failures, found):
        cid = analysis.conversation.id
        for warning in analysis.warnings:
            progress.write(warning_line(job.path, cid, warning), file=sys.stderr)
        rows += [{"conversation_id": cid, **r} for r in sentence_rows(analysis, job.path)]
    return rows, TAG_FILE_COLUMNS, len(failures)


def _sentences_in(files: Sequence[Path], in_folder: bool) -> tuple[list[dict[str, Any]], int]:
    """`tag --sentences`: the rows of every file to tag, and how many files could not be read. A file that cannot be
    read as sentences (bad cells, no rows, no `text` column) is an error, and in a folder (`in_folder`) it is named
    on stderr instead and the other files' rows are read."""
    rows: list[dict[str, Any]] = []
    failures: list[Exception] = []
    for f in files:
        try:
            rows += _sentences_of(f)
        except (TrainingDataError, UsageError) as exc:
            if not in_folder:
                raise
            _fail(exc, failures)
    return rows, len(failures)


def _tag_sentences(analyzer: Analyzer, rows: list[dict[str, Any]], agent: str | None
                   ) -> tuple[list[dict[str, Any]], list[str], int]:
    """`tag --sentences`: every input row with its columns (the union over all rows, in first-seen order)
    and its act. An input column named like an output one (a labelled file's `act`) is kept as `input_<name>`,
    never overwritten. A row with no text keeps empty act columns and is named on stderr, as `tag` does for a
    file it cannot read. Returns the rows, their columns and how many rows had no text."""
    from reciprocity_nlp.training import origin

    tagged = [r for r in rows if _has_text(r)]
    agents = {str(r["conversation_id"]): agent for r in tagged if agent and r.get("conversation_id")}
    probs = dict(zip(map(id, tagged), analyzer.tag_rows(tagged, agents), strict=True))
    passed = _passed_names(list(dict.fromkeys(k for r in rows for k in r if k not in ("_file", "_line"))))
    out_rows = []
    for row in rows:
        if id(row) not in probs:
            print(f"error: {origin(row)}: no text to tag", file=sys.stderr)
        out_rows.append({**{name: row.get(k) for k, name in passed.items()}, **_act_columns(probs.get(id(row)))})
    return out_rows, [*passed.values(), *TAG_COLUMNS], len(rows) - len(tagged)


def _sentences_of(path: Path) -> list[dict[str, Any]]:
    """One file's rows to tag; a TrainingDataError naming each row with a bad cell, a UsageError when it has no rows
    (empty, or a header alone: nothing to tag, never passed over in silence) or no row has text."""
    from reciprocity_nlp.training import load_sentences

    rows = load_sentences(path)
    if not rows:
        raise UsageError(f"{path}: no rows to tag")
    if not any("text" in r for r in rows):
        raise UsageError(f"{path}: every row needs a 'text' column")
    return rows


def _passed_names(columns: Sequence[str]) -> dict[str, str]:
    """Input column -> its output name: its own, or `input_<name>` where `tag` writes a column of that name."""
    names: dict[str, str] = {}
    for column in columns:
        name = column
        while name in TAG_COLUMNS or name in names.values() or (name != column and name in columns):
            name = f"input_{name}"
        if name != column:
            print(f"note: the input's {column!r} column is kept as {name!r}", file=sys.stderr)
        names[column] = name
    return names


def _has_text(row: dict[str, Any]) -> bool:
    return cell_text(row.get("text")) is not None


def _act_columns(probs: dict[str, float] | None) -> dict[str, Any]:
    """A unit's act, confidence and p_<act> columns; all empty (None) for a row that was not tagged."""
    if probs is None:
        return dict.fromkeys(TAG_COLUMNS)
    act = max(probs, key=probs.__getitem__)
    return {"act": act, "confidence": round(probs[act], 4), **{f"p_{a}": round(probs[a], 4) for a in ACTS}}


def _output(target: str | None) -> Path | None:
    """The --out file (None for standard output, also given as "-"); like `score`, only .csv, .jsonl or .parquet
    (its missing folder is made before the tagging, see `_make_out_folder`)."""
    return None if not target or target == STDIN else output_file(target)


def _write_rows(out: Path | None, columns: Sequence[str], rows: list[dict[str, Any]]) -> None:
    """Rows as CSV on standard output, or into `out` the way `score` writes them: a partial file moved into
    place when complete (and converted, for Parquet); its folder is made before the tagging (`_make_out_folder`)."""
    target = partial_path(out) if out else sys.stdout
    writer = RowWriter(target, columns)
    try:
        writer.write(rows)
    finally:
        writer.close()
    if out:
        finish(target, out, columns)


def cmd_train(args: argparse.Namespace) -> int:
    from reciprocity_nlp.persistence import model_path
    from reciprocity_nlp.training import train

    _check_out_folder(Path(args.out))
    if args.base and model_path(args.base).resolve() == Path(args.out).resolve():
        raise UsageError(f"{args.out}: --out is the --base folder; the new model would overwrite the model it builds on "
                         "(and its card would name itself as its base): give a new folder")
    analyzer = train(acts=args.acts, conversations=args.conversations, base=args.base, cv=args.cv,
                     trust=args.trust_model, log=lambda text: print(text, flush=True))
    folder = analyzer.save(args.out, args.format)
    print(f"model written to {folder} (model card: {folder / 'model.json'})")
    return 0


def _check_out_folder(folder: Path) -> None:
    """A UsageError when `train --out` names a file (or a path through one), found before training rather
    than when the model is saved."""
    from reciprocity_nlp.persistence import check_out_folder

    try:
        check_out_folder(folder, "--out")
    except NotADirectoryError as exc:
        raise UsageError(str(exc)) from exc


def cmd_evaluate(args: argparse.Namespace) -> int:
    from reciprocity_nlp.persistence import load_model
    from reciprocity_nlp.training import TrainingOverlapWarning, compare, evaluate, load_acts, load_conversations

    if not (args.acts or args.conversations):
        raise UsageError("give --acts F, --conversations F or both")
    analyzer = _load(args)
    title = "labelled data"
    # With --json, standard output holds the JSON alone (as with `read --json`); the tables go to stderr.
    tables = sys.stderr if args.json else sys.stdout

    def log(text: str) -> None:
        print(text, file=tables)

    items = load_conversations(args.conversations, log) if args.conversations else []
    act_rows = load_acts(args.acts, log) if args.acts else []

    log("; ".join(f"{what} from {path}" for what, path in (("acts", args.acts), ("ratings", args.conversations)) if path))
    old = load_model(args.against, trust=args.trust_model) if args.against else None
    shown = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], *rest: Any, **kw: Any) -> None:
        if issubclass(category, TrainingOverlapWarning):  # as the CLI's other warnings are, before the tables
            print(f"warning: {message}", file=sys.stderr)
        else:
            shown(message, category, *rest, **kw)

    with warnings.catch_warnings():
        warnings.simplefilter("always", TrainingOverlapWarning)
        warnings.showwarning = show
        if old:
            result = compare(analyzer, old, act_rows, items, log=log, title=title,
                             which=("the --model model", "the --against model"))
        else:
            result = evaluate(analyzer, act_rows, items, log=log, title=title)
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


def _kind_of_table(path: Path) -> str | None:
    """'scores' or 'sentences' for a file written by `reciprocity score`, else None (a conversation to score). Only
    its columns are read: a Parquet file's, else its first line's (a JSON object's keys in `.jsonl`, a CSV header),
    bytes that are not UTF-8 replaced, so a transcript in another encoding, or not JSON, goes to its reader."""
    suffix = suffix_of(path)
    if suffix not in SUFFIXES or not path.is_file():
        return None
    if suffix == ".parquet":
        columns = set(parquet_columns(path))
    else:
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            first = fh.readline()
        columns = _json_keys(first) if suffix == ".jsonl" else set(next(csv.reader([first]), []))
    if {"reciprocity_index", "flags", "error"} <= columns:
        return "scores"
    if {"act", "p_give_value", "turn"} <= columns:
        return "sentences"
    return None


def _json_keys(line: str) -> set[str]:
    """The keys of the JSON object a line holds; none for any other line."""
    try:
        found = json.loads(line)
    except json.JSONDecodeError:
        return set()
    return set(found) if isinstance(found, dict) else set()


def cmd_report(args: argparse.Namespace) -> int:
    from reciprocity_nlp.report import build_report, load_rows

    names = names_option(args.speaker_names)
    found: set[str] = set()
    scores: list[dict[str, Any]] = []
    sentences: list[dict[str, Any]] = []
    source: dict[tuple[str, str, str], str] = {}  # (path, conversation_id, agent) -> the input its row came from
    to_score: list[str] = []

    def add_scores(rows: list[dict[str, Any]], where: str) -> None:
        for row in rows:
            # One conversation may be rated for two agents (a manifest can ask for that); the same rating twice is an error.
            # An error row rates nobody: it is listed among the errors however often it comes (`score` writes two for a
            # file that fails and is given twice: its own error, and the given-twice one).
            if row.get("error"):
                continue
            key = (str(row.get("path")), str(row.get("conversation_id")), str(row.get("agent")))
            if key in source:
                places = f" in {where}" if source[key] == where else f", in {source[key]} and in {where}"
                raise UsageError(f"conversation {key[1]!r} ({key[0]}) is given twice{places}; give each conversation once")
            source[key] = where
        scores.extend(rows)

    for item in args.inputs:
        kind = _kind_of_table(Path(item))
        if kind == "scores":
            add_scores(load_rows(item), item)
        elif kind == "sentences":
            sentences += load_rows(item)
        else:
            to_score.append(item)
    jobs = _jobs(to_score, args.format, names) if to_score else []
    check_not_inputs([*(i for i in args.inputs if i not in to_score), *(j.path for j in jobs)], [Path(args.out)])
    if jobs:
        from reciprocity_nlp.report import normalize_row
        from reciprocity_nlp.scoring import score_jobs

        analyzer = _load(args)
        for rows, sents in score_jobs(analyzer, jobs, with_sentences=True):
            for line in warning_lines(rows):
                print(line, file=sys.stderr)
            found.update(*(r.get("speaker_names_found", ()) for r in rows))
            add_scores([normalize_row(r) for r in rows], "the files scored now")
            sentences += [normalize_row(s) for s in sents]
    _warn_unused(names, found)
    if not scores:
        raise UsageError("no conversations: give score files written by `reciprocity score`, or transcripts and emails")
    errors = [r for r in scores if r.get("error")]
    for row in errors:  # from a scores file or scored now alike
        print(f"error: {row['path']}: {row['error']}", file=sys.stderr)
    if len(errors) == len(scores):
        print(f"error: no report written: every input failed ({count(len(errors), 'error')})", file=sys.stderr)
        return 1
    out = build_report(scores, sentences, args.out, title=args.title)
    listed = f", {count(len(errors), 'error')} listed in the report" if errors else ""
    print(f"report written to {out} ({count(len(scores) - len(errors), 'conversation')}{listed})", file=sys.stderr)
    return 1 if errors else 0


def cmd_score(args: argparse.Namespace) -> int:
    from reciprocity_nlp.batch import run_score

    return run_score(args)


def _speaker_name(text: str) -> tuple[str, str]:
    """`--speaker-name LABEL=NAME`, read as a manifest's speaker_names (so 'LABEL=' after a comma in the name is
    refused); a usage error naming the option when it is malformed or gives more than one pair."""
    try:
        pairs = list(parse_speaker_names(text).items())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if len(pairs) != 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give one LABEL=NAME to each --speaker-name, and repeat the "
                                         "option for the next")
    return pairs[0]


def _folds(text: str) -> int:
    """`train --cv`: 0 (skip) or at least 2 folds, a usage error for anything else."""
    try:
        k = int(text)
    except ValueError:
        k = -1
    if k != 0 and k < 2:
        raise argparse.ArgumentTypeError(f"must be 0 (skip) or at least 2, got {text!r}")
    return k


def _version() -> str:
    """The running package's `__version__`, which setup.cfg gives an install as its version: not the install's
    metadata, which an editable install keeps from when it was installed, however the checkout has moved on since."""
    import reciprocity_nlp

    return reciprocity_nlp.__version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reciprocity", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def format_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=FORMATS, type=str.lower,  # SRT is srt, as the library takes it
                       help="skip auto-detection and read every file as this format")

    def speaker_name_option(p: argparse.ArgumentParser, agent: bool = True) -> None:
        """--speaker-name; `agent` when the command has --agent too, which may then give a name this gives."""
        p.add_argument("--speaker-name", action="append", type=_speaker_name, default=[], dest="speaker_names",
                       metavar="LABEL=NAME",
                       help="name the speaker labelled LABEL (as Speaker 0, spk_1, Channel 0) NAME in every input "
                            "that has that label; repeatable: --speaker-name 'Speaker 0=Dana Whitfield' "
                            "--speaker-name 'Speaker 1=Marcus Lee'. Labels "
                            "are matched whatever their case and spacing; two labels given one name are one speaker "
                            "(two channels of one rep)" + (", and --agent may give the name" if agent else "")
                            + ". A label that no input has is named in a warning")

    def model_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", metavar="DIR", help="model folder (default: the shipped model, also named `default`)")
        p.add_argument("--trust-model", action="store_true",
                       help="allow types outside the safe allow-list and pickle/joblib files: only for models you trust")

    p = sub.add_parser("read", help="read transcripts or emails and print their speakers and turns",
                       description="Read files (or folders, recursively) and print each conversation's "
                                   "speakers, agent and turns. Exit status 1 when any file or conversation could not be "
                                   "read (named on stderr; the others are shown).")
    p.add_argument("paths", nargs="+", metavar="FILE", help="transcript or email files, or folders; - reads standard input")
    format_option(p)
    p.add_argument("--agent", help="the agent: display name, email address, speaker label or unique prefix, or "
                                   "your team's mail domain ('@brightpath.com': the speaker writing from it) "
                                   "(default: guessed, and the guess is shown)")
    p.add_argument("--json", action="store_true", help="print each conversation as one JSON line (Conversation.to_dict)")
    speaker_name_option(p)
    model_options(p)  # its sentence-boundary model splits turns that come with no punctuation
    p.set_defaults(command_parser=p, func=cmd_read)

    p = sub.add_parser("explain", help="rate conversations and say why, in words",
                       description="For each conversation: the agent, each rating against its threshold and, for "
                                   "the flagged ones, the agent's sentences and the features that drove the flag; then "
                                   "the agent's reciprocity metrics. Made for reading a few calls at a terminal; "
                                   "`score` is for batches. Exit status 1 when any file or conversation could not be "
                                   "read or its agent not found (named on stderr; the others are shown).")
    p.add_argument("paths", nargs="+", metavar="FILE", help="transcript or email files, or folders; - reads standard input")
    format_option(p)
    p.add_argument("--agent", help="the agent (name, address, label, unique prefix, or '@your-domain.com': the "
                                   "speaker writing from it); default: guessed, and the guess is shown")
    p.add_argument("--json", action="store_true", help="print each analysis as one JSON line (Analysis.to_dict: ratings, "
                                                       "flags, thresholds, metrics, evidence, every sentence's act)")
    speaker_name_option(p)
    model_options(p)
    p.set_defaults(command_parser=p, func=cmd_explain)

    p = sub.add_parser("tag", help="tag every sentence with its act",
                       description="One row per sentence: conversation_id, turn, speaker, text, act, confidence and "
                                   "p_<act> for each act. With --sentences, each input row (text; optional "
                                   "conversation_id, turn, speaker) is tagged as one unit, in its conversation's "
                                   "context when ids are given; other input columns (of any row) are passed through "
                                   "(one named like an output column, such as a labelled file's act, as "
                                   "input_<name>), and a row with no text keeps empty act columns; in a --sentences "
                                   "folder, a file that cannot be read (bad cells, each named; no rows; no text column) "
                                   "is left out. Exit status: 0 all fine, 1 some files or rows could not be tagged "
                                   "(named on stderr; the rest written), 2 usage error.")
    p.add_argument("paths", nargs="*", metavar="FILE", help="transcript or email files, or folders; - reads standard input")
    p.add_argument("--sentences", metavar="F", help="a CSV or JSONL file (or folder of them) of sentences to tag as "
                                                    "units, instead of FILEs")
    format_option(p)
    p.add_argument("--agent", help="the agent (name, address, label, unique prefix, or '@your-domain.com': the "
                                   "speaker writing from it); default: guessed")
    speaker_name_option(p)
    p.add_argument("--out", metavar="F", help="output .csv, .jsonl or .parquet (default: CSV on stdout)")
    model_options(p)
    p.set_defaults(command_parser=p, func=cmd_tag)

    p = sub.add_parser("score", help="rate the agent of every conversation (one row each)",
                       description="Score transcripts and emails: one row per conversation with the five ratings "
                                   "(probabilities 0..1), flags over threshold, the agent's act shares and the "
                                   "reciprocity index. A file that cannot be read gives one row with 'error' set, and so does "
                                   "each conversation that cannot be read in a file that holds several. "
                                   "Exit status: 0 all fine, 1 some inputs failed (rows written), 2 usage error.")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders (walked recursively); - reads one conversation from standard input")
    p.add_argument("--manifest", metavar="F", help="CSV or JSONL with a 'path' column (absolute, or relative to the "
                                                   "manifest's folder) and optional agent, conversation_id and "
                                                   "speaker_names ('Speaker 0=Dana Whitfield; Speaker 1=Marcus Lee', "
                                                   "or a JSON object), which names that file's speakers, over "
                                                   "--speaker-name for the labels it gives; each must be a speaker "
                                                   "of the file")
    format_option(p)
    p.add_argument("--agent", help="the agent in every conversation: a name, or your team's mail domain "
                                   "('@brightpath.com': in each email thread, the speaker writing from it; a call, "
                                   "having no addresses, is an error row) (default: from the manifest, else guessed)")
    speaker_name_option(p)
    p.add_argument("--out", metavar="F", help="output .csv, .jsonl or .parquet (default: CSV on stdout)")
    p.add_argument("--sentences-out", metavar="F", help="also write every sentence's act (.csv, .jsonl or .parquet)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes (default: the number of cores)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run into the same --out: its finished files "
                   "(each manifest row apart) are kept, the rest scored; into a finished --out, adds the files not in it")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary line")
    p.add_argument("--engine", choices=("local", "dask"), default="local", help="where to run (default: local)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    model_options(p)
    p.set_defaults(command_parser=p, func=cmd_score)

    p = sub.add_parser("report", help="write a self-contained HTML report",
                       description="One HTML file (inline CSS, JS and SVG; opens offline): rating distributions, a "
                                   "sortable per-agent table, each agent's give-versus-take balance, the most and least "
                                   "reciprocal conversations, and every conversation's transcript coloured by act with "
                                   "its ratings and evidence. INPUT is a scores file from `reciprocity score` (with its "
                                   "--sentences-out file for transcripts), or transcripts and emails to score now. Exit "
                                   "status: 0 all fine, 1 some inputs failed (named on stderr and listed in the report; "
                                   "no report is written when all failed), 2 usage error.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="scores/sentences files, or conversation files and folders")
    p.add_argument("--out", metavar="F", default="report.html", help="the HTML file to write (default: report.html)")
    p.add_argument("--title", default="Reciprocity report", help="the report's title")
    format_option(p)
    speaker_name_option(p, agent=False)
    model_options(p)
    p.set_defaults(command_parser=p, func=cmd_report)

    p = sub.add_parser("train", help="train a model on your own labelled data",
                       description="Train the act tagger (--acts), the rater (--conversations) or both, in the "
                                   "LABELS.md formats. Prints k-fold cross-validated metrics and writes the model "
                                   "and its card (model.json). Parts not trained come from --base (default: the "
                                   "shipped model); with --base, your data is added to the base model's own.")
    p.add_argument("--acts", metavar="F", help="sentence acts: conversation_id, turn, speaker, text, act (CSV/JSONL or folder)")
    p.add_argument("--conversations", metavar="F", help="ratings: conversation_id, path or turns, agent, five 0/1 labels")
    p.add_argument("--out", metavar="DIR", required=True,
                   help="folder to write the model to (a model already there is replaced, its training data "
                        "included; files that are no part of a model are left alone)")
    p.add_argument("--base", metavar="DIR", help="a model folder whose data and parts to build on (`default`: the shipped model)")
    p.add_argument("--cv", type=_folds, default=5, metavar="K",
                   help="folds for cross-validation by conversation (default 5; fewer when there are fewer "
                        "conversations, which the log says). 0 skips the act tagger's; the rater still picks its "
                        "thresholds on 5-fold out-of-fold predictions, and prints their metrics")
    p.add_argument("--format", choices=("skops", "pickle"), default="skops", type=str.lower,
                   help="skops (default): safe to share and load; pickle: loads much faster, but loading it needs "
                        "--trust-model because pickle files can run code")
    p.add_argument("--trust-model", action="store_true", help="trust the --base model's files (see 'score --help')")
    p.set_defaults(command_parser=p, func=cmd_train)

    p = sub.add_parser("evaluate", help="measure a model on labelled data",
                       description="Act precision/recall/F1 and confusion matrix, and rating precision/recall/F1, "
                                   "on labelled files in the LABELS.md formats. Every F1 comes with a 95% bootstrap "
                                   "interval that resamples whole conversations. Calibration too: each rating's Brier "
                                   "score and expected calibration error (ECE, 10 equal-width probability bins), and "
                                   "the acts' multi-class Brier score and top-label ECE; --json adds their reliability "
                                   "tables, for plotting.")
    p.add_argument("--acts", metavar="F", help="labelled sentence acts")
    p.add_argument("--conversations", metavar="F", help="labelled conversations")
    p.add_argument("--against", metavar="DIR",
                   help="also score this model (say, the one you use now; `default`: the shipped model) on the same "
                        "data and print every F1 difference, --model minus this one, with a 95%% paired bootstrap "
                        "interval over conversations")
    p.add_argument("--json", action="store_true",
                   help="print the metrics as JSON, alone on standard output (the tables go to standard error)")
    model_options(p)
    p.set_defaults(command_parser=p, func=cmd_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        # A strict stream (PYTHONIOENCODING=utf-8) cannot print a file name's undecodable byte: show it escaped.
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        return args.func(args)
    except UsageError as exc:
        args.command_parser.error(str(exc))  # the command's own usage line, as argparse gives for its own errors
    except BrokenPipeError:
        # Whoever read our output has gone (`| head`): stop quietly, as Unix tools do, and keep
        # Python from reporting the same broken pipe again when it flushes stdout at exit.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ModelError, TrainingDataError, TableError, AgentError, ReadError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
