"""Train the act tagger and the agent rater on labelled data in the LABELS.md formats.

Acts: rows of `conversation_id, turn, speaker, text, act` (CSV, JSONL or Parquet; a folder means
every such file in it and its sub-folders, `table_files`). Ratings: rows of `conversation_id, agent,
pushy, salesy, transactional, selfish, desperate` with the conversation in a file named by `path` (relative to the labels
file) or inline as `turns` [{speaker, text}]. An optional `split` column (`train`/`dev`/`test`),
in either file, holds out the `test` conversations (their acts and ratings) for the final report;
the rating thresholds are chosen on out-of-fold predictions for everything else (`train` and `dev`
alike).

The rater learns from act probabilities the tagger could not have memorised: each
conversation is tagged by an act model trained without it (k-fold, grouped by conversation).
The sentence-boundary model for unpunctuated speech learns from the same act rows, read as
turns with case and punctuation removed, and is fitted first, since segmentation comes first
(rows labelled one per turn teach it nothing: the base model's is kept then, or none).
The learned agent guess is fitted on the labelled conversations' speakers (`agent_model`).
Too little data for a part is a TrainingDataError naming the act or label (`MIN_ACT_SENTENCES`,
`MIN_CONVERSATIONS_PER_KIND`), found before the tagger or the rater is fitted.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from numbers import Integral
from pathlib import Path
from typing import Any

import numpy as np
from spacy.language import Language

from reciprocity_nlp.acts import CALIBRATION_FOLDS, ActClassifier
from reciprocity_nlp.agent import AgentError, guess_agent, resolve_agent
from reciprocity_nlp.agent_model import AgentClassifier, agent_examples
from reciprocity_nlp.analysis import Analyzer, build_pipeline, tag_and_featurize
from reciprocity_nlp.boundaries import BoundaryClassifier, boundary_examples
from reciprocity_nlp.conversation import Conversation, Turn, channel_of
from reciprocity_nlp.errors import ReadError, TableError, TrainingDataError
from reciprocity_nlp.evaluation import (
    LEVEL,
    act_counts,
    act_metrics,
    binary_metrics,
    f1_difference,
    format_act_metrics,
    format_binary_metrics,
    format_difference,
    format_rating_metrics,
    rating_counts,
    rating_metrics,
    scored_columns,
)
from reciprocity_nlp.features import row_features, turn_keys
from reciprocity_nlp.labels import ACTS, LABELS
from reciprocity_nlp.persistence import DEFAULT_MODEL, OTHER_TAGGER, load_model, load_training_data, model_path
from reciprocity_nlp.ratings import FEATURES, AgentRater, best_thresholds
from reciprocity_nlp.readers import read_file
from reciprocity_nlp.readers.base import column_key
from reciprocity_nlp.readers.speakers import label_key, unify_labels
from reciprocity_nlp.tables import SUFFIXES as TABLE_SUFFIXES
from reciprocity_nlp.tables import named_columns, read_located, whole_number
from reciprocity_nlp.tables import where as located
from reciprocity_nlp.wording import count, listed

Log = Callable[[str], None]
SPLITS = ("train", "dev", "test")
ACT_COLUMNS = ("conversation_id", "turn", "speaker", "text", "act")
DEFAULT_FOLDS = 5
"""Folds of the out-of-fold predictions the rater's features and thresholds need when `cv` is 0 (skip)."""
MIN_ACT_SENTENCES = CALIBRATION_FOLDS
"""Labelled sentences every act needs in each tagger's training data: the tagger calibrates its context model
by cross-validation stratified by act, with this many folds."""
MIN_CONVERSATIONS_PER_KIND = 2
"""Conversations in which every label must be 1, and as many in which it must be 0: each conversation's
out-of-fold prediction, on which the thresholds are chosen, comes from a rater that must have seen both kinds."""


@dataclass
class Labelled:
    """A conversation with its agent, its five 0/1 ratings, its split and the file and row it came from; `file` is
    the conversation file its row names by `path`, resolved (None when given inline), which the card's hash covers."""

    conversation: Conversation
    agent: str
    labels: np.ndarray
    split: str | None
    source: str = ""
    file: Path | None = None


# --------------------------------------------------------------------------- loading


def table_files(path: str | Path) -> list[Path]:
    """The labelled-data files a path stands for: the file itself, or every `.csv`, `.jsonl` and `.parquet` file
    in a folder and its sub-folders, whatever the case of the suffix (`.CSV`), in the order of their paths
    relative to the folder; hidden files and Excel's lock files (`~$...`) aside. What is read is what is hashed."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    found = [f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in TABLE_SUFFIXES
             and not any(part.startswith((".", "~$")) for part in f.relative_to(path).parts)]
    return sorted(found, key=lambda f: f.relative_to(path).as_posix())


def read_table(path: str | Path, log: Log | None = None, what: str = "rows") -> list[dict[str, Any]]:
    """Rows of a CSV, JSONL or Parquet file, or of every such file in a folder (`table_files`), each with its
    `_file` and its `_line` in that file (`tables.read_located`), for error messages. For a folder, `log`
    is told which files were read. A file that cannot be read (a `TableError`, or two columns of one name) is a
    TrainingDataError; in a folder, every file is tried first and one error lists each such file and its
    problem, a line each, so a team fixing several learns of them all in one run."""
    files = table_files(path)
    if Path(path).is_dir() and log is not None:
        names = [f.relative_to(path).as_posix() for f in files]
        log(f"{what}: read {count(len(files), 'file')} from {path}: {', '.join(names) or 'none'}")
    rows: list[dict[str, Any]] = []
    problems: list[ValueError] = []
    for f in files:
        try:
            rows += [_named_columns(dict(r, _file=str(f), _line=n)) for n, r in read_located(f)]
        except (TableError, TrainingDataError) as exc:
            problems.append(exc)
    if len(problems) == 1:
        raise TrainingDataError(str(problems[0])) from problems[0]
    if problems:
        raise TrainingDataError(f"{path}: {len(problems)} of {count(len(files), 'file')} cannot be read:\n"
                                + "\n".join(f"  {p}" for p in problems))
    return rows


KNOWN_COLUMNS = (*ACT_COLUMNS, *LABELS, "agent", "split", "path", "turns", "channel")
_CANONICAL = {column_key(name): name for name in KNOWN_COLUMNS}


def _named_columns(row: dict[str, Any]) -> dict[str, Any]:
    """A row with its columns named as the formats name them (`tables.named_columns`: `Conversation ID` and
    `Act` are `conversation_id` and `act`); a TrainingDataError when two of its columns are one name."""
    try:
        return named_columns(row, _CANONICAL)
    except ValueError as exc:
        raise TrainingDataError(f"{origin(row)}: {exc}") from exc


def _labelled_rows(path: str | Path, log: Log | None = None, what: str = "rows") -> list[dict[str, Any]]:
    """`read_table` rows of a labelled-data file; a TrainingDataError naming it when it holds none, since an
    empty or header-only file would otherwise train or evaluate on nothing and look like success."""
    rows = read_table(path, log, what)
    if not rows:
        raise TrainingDataError(f"{path}: no rows" + (" in its .csv, .jsonl and .parquet files (sub-folders included)"
                                                      if Path(path).is_dir() else ""))
    return rows


def origin(row: dict[str, Any]) -> str:
    """The file and line a `read_table` row came from, as error messages name it: `file:line` (the header of a
    CSV is line 1; a JSONL file's blank lines count), or `file row N` in a Parquet file."""
    return located(row["_file"], row["_line"])


def _turn(row: dict[str, Any]) -> int:
    """A `read_table` row's turn number; a TrainingDataError naming the file, row and value if it is not whole."""
    turn = whole_number(row["turn"])
    if turn is None:
        raise TrainingDataError(f"{origin(row)}: turn must be a whole number, got {row['turn']!r}")
    if turn < 0:
        raise TrainingDataError(f"{origin(row)}: turns count from 0, got {row['turn']!r}")
    return turn


def _require_columns(rows: Sequence[dict[str, Any]], columns: Sequence[str], one_of: Sequence[str] = ()) -> None:
    """A TrainingDataError naming the file, the columns it lacks and those it has when no row of a file has one
    of `columns` (or any of `one_of`): its header is wrong, where the first row's "missing" cell would blame a row."""
    found: dict[str, dict[str, None]] = {}
    for row in rows:
        found.setdefault(row["_file"], {}).update(dict.fromkeys(k for k in row if not str(k).startswith("_")))
    for file, has in found.items():
        absent = [repr(c) for c in columns if c not in has]
        if one_of and not any(c in has for c in one_of):
            absent.append(" or ".join(repr(c) for c in one_of))
        if absent:
            raise TrainingDataError(f"{file}: no {', '.join(absent)} {'column' if len(absent) == 1 else 'columns'}; "
                                    f"its columns are {', '.join(map(str, has)) or 'none'}")


def _require(row: dict[str, Any], keys: Sequence[str]) -> None:
    """A TrainingDataError naming the row and the `keys` it leaves blank (white space alone is blank too)."""
    missing = [k for k in keys if row.get(k) is None or not str(row[k]).strip()]
    if missing:
        raise TrainingDataError(f"{origin(row)}: missing {', '.join(missing)}")


def _split(row: dict[str, Any]) -> str | None:
    """A row's `split` in lower case (`Test` is `test`), None when blank; a TrainingDataError naming the file,
    row and value for anything else, which would otherwise be trained on."""
    value = row.get("split")
    if value is None or not str(value).strip():
        return None
    split = str(value).strip().lower()
    if split not in SPLITS:
        raise TrainingDataError(f"{origin(row)}: split must be {', '.join(SPLITS)} or blank, got {value!r}")
    return split


BOOLEANS = {"true": 1, "false": 0}  # as JSON writes them, and Excel and pandas write them into CSV (TRUE, False)


def _rating(row: dict[str, Any], label: str) -> int:
    """A row's 0/1 rating for `label` (1.0 and 0.0, and true and false in any case, too); a TrainingDataError naming
    the file, row and value otherwise."""
    value = row[label]
    text = str(value).strip().lower()
    rating = BOOLEANS[text] if text in BOOLEANS else whole_number(value)
    if rating not in (0, 1):
        raise TrainingDataError(f"{origin(row)}: {label} must be 0 or 1 (or true or false), got {value!r}")
    return rating


def _shown(value: Any, width: int = 60) -> str:
    """A value as error messages quote it, cut to `width` characters."""
    text = repr(value)
    return text if len(text) <= width else text[:width - 3] + "..."


def _inline_turns(row: dict[str, Any]) -> list[Turn]:
    """A ratings row's inline `turns`: a non-empty list of {speaker, text} objects (in a CSV cell, that list
    written as JSON); a TrainingDataError naming the file, row and turn for anything else, where a missing
    speaker would raise a KeyError and a null text be read as the word "None"."""
    turns = row["turns"]
    if isinstance(turns, str):
        with contextlib.suppress(json.JSONDecodeError):
            turns = json.loads(turns)
    if not isinstance(turns, list) or not turns:
        raise TrainingDataError(f"{origin(row)}: turns must be a non-empty list of {{speaker, text}} objects "
                                f"(in a CSV cell, written as JSON), got {_shown(row['turns'])}")
    out = []
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict):
            raise TrainingDataError(f"{origin(row)}: turns[{i}] must be a {{speaker, text}} object, got {_shown(turn)}")
        for key in ("speaker", "text"):
            value = turn.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                raise TrainingDataError(f"{origin(row)}: turns[{i}] has no {key}")
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise TrainingDataError(f"{origin(row)}: turns[{i}]: {key} must be text, got {_shown(value)}")
        out.append(Turn(index=i, speaker=str(turn["speaker"]).strip(), text=str(turn["text"])))
    person = unify_labels(t.speaker for t in out)  # one person, one speaker, as the transcript readers make them
    for t in out:
        t.speaker = person[t.speaker]
    return out


def _conversation_in_file(row: dict[str, Any], cid: str) -> tuple[Conversation, Path, bool]:
    """The conversation a ratings row's `path` names (relative to the ratings file's folder): the file's only
    one, or the one with the row's conversation_id when the file holds several; a TrainingDataError naming
    the ids it holds when none matches, rather than rating another conversation. With it, the file resolved,
    and whether it holds that one conversation alone, when no other row may rate it.

    A path written with Windows' backslashes (`calls\\acme\\call1.txt`, where Linux and macOS see one name) that
    names no file is read with `/` for them when that names one, as Windows would read it; when neither does, the
    error names both."""
    _require(row, ("path",))
    given = str(row["path"])
    file = _named_file(row, given)
    slashed: Path | None = _named_file(row, given.replace("\\", "/"))
    if slashed == file:  # no backslash, or on Windows, where it already separates folders
        slashed = None
    if slashed is not None and not file.exists() and slashed.exists():
        file = slashed
    try:
        found = read_file(file)
    except ReadError as exc:
        tried = f", nor {slashed} (its backslashes read as /)" if slashed is not None and not file.exists() else ""
        raise TrainingDataError(f"{origin(row)}: {exc}{tried}") from exc
    if len(found) > 1:
        matching = [c for c in found if c.id == cid]
        if not matching:
            ids = [c.id for c in found]
            raise TrainingDataError(f"{origin(row)}: {file} holds {len(ids)} conversations ({listed(ids, 10)}), "
                                    f"none with conversation_id {cid!r}")
        return matching[0], file.resolve(), False
    conv = found[0]
    conv.id = cid
    return conv, file.resolve(), True


def _named_file(row: dict[str, Any], path: str) -> Path:
    """A path a ratings row gives, relative to its ratings file's folder unless absolute."""
    file = Path(path)
    return file if file.is_absolute() else Path(row["_file"]).parent / file


def load_conversations(path: str | Path, log: Log | None = None) -> list[Labelled]:
    """Labelled conversations from a ratings file or folder (paths resolved against each file's folder)."""
    rows = _labelled_rows(path, log, "ratings")
    _require_columns(rows, ("conversation_id", "agent", *LABELS), one_of=("path", "turns"))
    out = []
    seen: dict[str | Path, dict[str, Any]] = {}  # ids without case and spaces, and the files read, to their rows
    as_calls: list[str] = []  # inline conversations with no channel, read as calls
    for row in rows:
        _stripped(row, ("conversation_id", "path"))
        _require(row, ("conversation_id", "agent", *LABELS))
        cid = str(row["conversation_id"])
        first = seen.setdefault(cid.casefold(), row)
        if first is not row:
            given = "" if first["conversation_id"] == cid else f" (as {first['conversation_id']!r}; ids are compared without case)"
            raise TrainingDataError(f"{origin(row)}: conversation_id {cid!r} is rated twice, here and on {origin(first)}{given}")
        if row.get("turns") not in (None, "") and row.get("path") not in (None, ""):
            raise TrainingDataError(f"{origin(row)}: both a path and turns; give the conversation one way, not both")
        file = None
        if row.get("turns") not in (None, ""):
            try:
                channel = channel_of(row.get("channel") or "call")
            except ValueError as exc:
                raise TrainingDataError(f"{origin(row)}: {exc}") from exc
            if row.get("channel") in (None, ""):
                as_calls.append(cid)
            conv = Conversation(id=cid, channel=channel, turns=_inline_turns(row), metadata={"format": "inline"})
        else:
            conv, file, alone = _conversation_in_file(row, cid)
            first = seen.setdefault(file, row) if alone else row
            if first is not row:
                raise TrainingDataError(
                    f"{origin(row)}: {file} is rated twice, here as {cid!r} and on {origin(first)} as "
                    f"{first['conversation_id']!r}: rate each conversation once, or the same call would be on both sides "
                    "of the cross-validation folds")
            given = str(row.get("channel") or "").strip().lower()
            if given and given != conv.channel and log is not None:
                log(f"ratings: {origin(row)}: channel {row['channel']!r}, but {conv.source} reads as a {conv.channel}; "
                    f"the file's channel ({conv.channel}) is used")
        try:
            agent = resolve_agent(conv, str(row["agent"]))
        except AgentError as exc:
            raise TrainingDataError(f"{origin(row)}: {exc}") from exc
        labels = np.array([_rating(row, k) for k in LABELS])
        out.append(Labelled(conv, agent, labels, _split(row), origin(row), file))
    if as_calls and log is not None:
        log(f"ratings: {count(len(as_calls), 'conversation')} given inline with no channel ({listed(as_calls, 5)}) "
            "read as calls; give a channel column (call or email) for email threads")
    return out


def _stripped(row: dict[str, Any], keys: Sequence[str]) -> None:
    """A row's text cells of `keys` without surrounding spaces, which are hard to see in a spreadsheet."""
    for key in keys:
        if isinstance(row.get(key), str):
            row[key] = row[key].strip()


def load_acts(path: str | Path, log: Log | None = None) -> list[dict[str, Any]]:
    """Labelled sentence acts from a file or folder, every row checked, its turn an int, its act named as in
    LABELS.md (`_act`) and its conversation_id without surrounding spaces."""
    rows = _labelled_rows(path, log, "acts")
    _require_columns(rows, ACT_COLUMNS)
    for row in rows:
        _stripped(row, ("conversation_id",))
        _require(row, ACT_COLUMNS)
        row["act"] = _act(row)
        row["turn"] = _turn(row)
        row["split"] = _split(row)
    return _merged(rows, log)


def _act(row: dict[str, Any]) -> str:
    """A row's act as LABELS.md names it, whatever its case and surrounding spaces (`Give_Value`, ` PUSH `); a
    TrainingDataError naming the file, row, value and the acts for anything else, with the act it comes close to
    if any (`give value`, `extractinfo`): a hint, not taken for it, since a near miss may be another word."""
    value = row["act"]
    act = str(value).strip().lower()
    if act in ACTS:
        return act
    close = difflib.get_close_matches("_".join(act.replace("-", " ").split()), ACTS, n=1, cutoff=0.75)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise TrainingDataError(f"{origin(row)}: unknown act {_shown(value)}{hint}; acts are {', '.join(ACTS)}")


def _merged(rows: list[dict[str, Any]], log: Log | None) -> list[dict[str, Any]]:
    """Act rows with repeats dropped, checked for contradictions.

    A row that repeats an earlier one (same conversation, turn, text and act; the speaker the same person) is
    dropped, with a count in the log, unless it directly follows a kept row like it in the same file: a sentence
    said twice in a row ("OK. OK."). The same sentence of a turn labelled with two acts, and a turn whose rows name
    two speakers (beyond case and spacing), are TrainingDataErrors naming both rows.
    """
    out: list[dict[str, Any]] = []
    first_of_sentence: dict[tuple[str, int, str], dict[str, Any]] = {}
    first_of_turn: dict[tuple[str, int], dict[str, Any]] = {}
    dropped: list[tuple[dict[str, Any], dict[str, Any]]] = []
    before: tuple[str, tuple[str, int, str]] | None = None
    for row in rows:
        cid, text = str(row["conversation_id"]), str(row["text"]).strip()
        turn = first_of_turn.setdefault((cid, row["turn"]), row)
        if label_key(str(turn["speaker"])) != label_key(str(row["speaker"])):
            raise TrainingDataError(f"{origin(row)}: turn {row['turn']} of conversation {cid!r} is {row['speaker']!r}'s "
                                    f"here but {turn['speaker']!r}'s on {origin(turn)}; a turn is one speaker's")
        key = (cid, row["turn"], text)
        twin = first_of_sentence.setdefault(key, row)
        if twin is not row and twin["act"] != row["act"]:
            raise TrainingDataError(f"{origin(row)}: {_shown(text)} (conversation {cid!r}, turn {row['turn']}) is "
                                    f"{row['act']} here but {twin['act']} on {origin(twin)}")
        if twin is not row and before != (row["_file"], key):  # a repeat, not the next of a run kept ("OK. OK.")
            dropped.append((row, twin))
            before = None
        else:
            out.append(row)
            before = (row["_file"], key)
    if dropped and log is not None:
        row, twin = dropped[0]
        log(f"acts: {count(len(dropped), 'row')} dropped that repeat a row read before (same conversation, turn, "
            f"speaker, text and act), such as {origin(row)}, a repeat of {origin(twin)}")
    return out


def held_out(act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled]) -> set[str]:
    """The conversations of the test split: those marked `test` on their ratings row or on their act rows,
    all of whose acts and ratings are then held out together. A conversation marked `test` in one place and
    `train` or `dev` in another is a TrainingDataError naming both rows."""
    marks: dict[str, tuple[str, str]] = {}
    marked = [(it.conversation.id, it.split, it.source) for it in items]
    marked += [(str(r["conversation_id"]), r.get("split"), origin(r)) for r in act_rows]
    for cid, split, where in marked:
        if split is None:
            continue
        first, first_where = marks.setdefault(cid, (split, where))
        if (split == "test") != (first == "test"):
            raise TrainingDataError(f"{where}: conversation {cid!r} is in the {split} split here "
                                    f"but in the {first} split on {first_where}")
    return {cid for cid, (split, _) in marks.items() if split == "test"}


def _check_ids(act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled], log: Log) -> None:
    """Acts and ratings of one conversation must use one id: an act row whose id matches a rated conversation's
    only up to case ('n-21' for 'N-21') is a TrainingDataError (it would escape that conversation's split and
    its agent). Act conversations with no rating row are logged: their sentences get no speaker role."""
    if not act_rows or not items:
        return
    rated = {it.conversation.id for it in items}
    folded = {cid.casefold(): cid for cid in rated}
    unrated: dict[str, dict[str, Any]] = {}
    for r in act_rows:
        cid = str(r["conversation_id"])
        if cid in rated:
            continue
        if cid.casefold() in folded:
            raise TrainingDataError(f"{origin(r)}: conversation_id {cid!r} is rated as {folded[cid.casefold()]!r}; "
                                    "write one conversation's id the same way in both files")
        unrated.setdefault(cid, r)
    if unrated:
        log(f"acts: {count(len(unrated), 'conversation')} with act labels but no rating row ({listed(list(unrated), 5)}): "
            "their sentences are tagged without knowing which speaker is the agent")


def resolve_speakers(act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled]) -> None:
    """Give each act row of a rated conversation the speaker it names there, matched as the agent is
    (`resolve_agent`: an email address, a label's short form, or `Name <address>` by either), so its sentence
    gets the right role; a TrainingDataError naming the row, the speaker and the conversation's speakers when it
    names no one of them, which would otherwise be learned as the counterpart's. Rows of conversations not rated
    keep their speaker."""
    rated = {it.conversation.id: it.conversation for it in items}
    for r in act_rows:
        conv = rated.get(str(r["conversation_id"]))
        if conv is not None:
            r["speaker"] = _speaker_in(conv, r)


def _speaker_in(conv: Conversation, row: dict[str, Any]) -> str:
    """The speaker of `conv` an act row names (`resolve_speakers`)."""
    given = str(row["speaker"]).strip()
    name, address = parseaddr(given)
    for wanted in (given, *([address, name] if address and name and given.endswith(">") else [])):
        with contextlib.suppress(AgentError):
            return resolve_agent(conv, wanted)
    raise TrainingDataError(f"{origin(row)}: speaker {given!r} names no one speaker of conversation "
                            f"{conv.id!r}; its speakers are: {', '.join(conv.speakers)}")


class TrainingOverlapWarning(UserWarning):
    """Labelled data to evaluate on that a model was trained on (`training_overlap`)."""


def training_overlap(analyzer: Analyzer, act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled],
                     which: str = "this model") -> str | None:
    """A warning when labelled data to evaluate on is data the model (loaded from a folder that keeps its training
    data) was trained on: its figures would overstate how the model does on new conversations."""
    if analyzer.folder is None:
        return None
    kept = load_training_data(analyzer.folder)
    seen = {str(r["conversation_id"]) for r in kept.get("act_rows", [])} | set(kept.get("agents", {}))
    rows = sum(str(r["conversation_id"]) in seen for r in act_rows)
    rated = sum(it.conversation.id in seen for it in items)
    if not rows and not rated:
        return None
    parts = [f"{rated} of the {count(len(items), 'rated conversation')}" if rated else "",
             f"{rows} of the {count(len(act_rows), 'act row')}" if rows else ""]
    return (f"{' and '.join(p for p in parts if p)} belong to conversations {which} was trained on; "
            "their figures overstate how it does on new conversations")


def _warn_overlap(analyzer: Analyzer, act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled], which: str) -> None:
    overlap = training_overlap(analyzer, act_rows, items, which)
    if overlap:
        warnings.warn(overlap, TrainingOverlapWarning, stacklevel=3)


def load_sentences(path: str | Path) -> list[dict[str, Any]]:
    """Rows to tag as units (`tag --sentences`): any columns, a turn where given parsed as for `load_acts`. A
    TrainingDataError names every row whose turn is not one, a line each, so all are fixed in one go."""
    rows = read_table(path)
    problems: list[TrainingDataError] = []
    for row in rows:
        if row.get("turn") not in (None, ""):
            try:
                row["turn"] = _turn(row)
            except TrainingDataError as exc:
                problems.append(exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise TrainingDataError(f"{path}: {count(len(problems), 'row')} cannot be tagged:\n"
                                + "\n".join(f"  {p}" for p in problems))
    return rows


# --------------------------------------------------------------------------- features


def turn_sentences(act_rows: Sequence[dict[str, Any]]) -> list[list[str]]:
    """The labelled sentences of each turn, in order: the punctuated text the boundary model learns from."""
    turns: dict[tuple[str, int], list[str]] = {}
    for key, r in zip(turn_keys(act_rows), act_rows, strict=True):
        turns.setdefault(key, []).append(str(r["text"]))
    return list(turns.values())


def rating_features(act: ActClassifier, items: Sequence[Labelled], boundaries: BoundaryClassifier | None = None) -> np.ndarray:
    """Rater feature vectors of labelled conversations, split with `boundaries` and tagged by `act`."""
    nlp = build_pipeline(act, boundaries)
    results = tag_and_featurize(nlp, [(item.conversation, item.agent) for item in items])
    return np.vstack([x for _, _, _, x in results]) if results else np.zeros((0, 0))


# --------------------------------------------------------------------------- training


def _hash(path: str | Path, referenced: Sequence[Path] = ()) -> str:
    """A labelled-data path's SHA-256 (hex) for the card's `data`: over the bytes of the table files read
    (`table_files`, in their order), then over the SHA-256 of each conversation file its rows name by `path`
    (`referenced`), each once, in the order of their resolved paths. A digest per file, so bytes moved from one file
    to the next do not hash alike; a path naming no conversation file hashes as its tables."""
    h = hashlib.sha256()
    for f in table_files(path):
        h.update(f.read_bytes())
    for f in sorted(set(referenced)):
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _data_hashes(acts: str | Path | None, conversations: str | Path | None, items: Sequence[Labelled]) -> dict[str, str]:
    """The card's `data` (path, written one way however it was typed -> `_hash`): the acts' and the ratings', the
    latter covering the transcripts and emails its rows name (`Labelled.file`), so editing one changes the hash as
    editing the ratings would."""
    hashes = {str(Path(acts)): _hash(acts)} if acts is not None else {}
    if conversations is not None:
        hashes[str(Path(conversations))] = _hash(conversations, [it.file for it in items if it.file is not None])
    return hashes


def check_log(log: object) -> None:
    """A TypeError for a `log` that is not a function: None, read as silence, would fail only once the data is read."""
    if not callable(log):
        raise TypeError(f"log must be a function taking each line of text (print by default; log=lambda text: None "
                        f"for silence), not {log!r}")


def train(
    acts: str | Path | None = None,
    conversations: str | Path | None = None,
    base: str | Path | None = None,
    cv: int = 5,
    seed: int = 0,
    log: Log = print,
    trust: bool = False,
) -> Analyzer:
    """Train a model; the parts not trained here (acts or ratings) come from `base`.

    `base` is a model folder (`default` for the shipped one, which is also used when None is needed). With `base`, its own
    training data (kept in its `training/` folder) is added to the team's. `cv` is the number of
    folds by conversation (0 skips the act tagger's cross-validation; the rater's thresholds always
    need out-of-fold predictions, from `DEFAULT_FOLDS` folds then).
    """
    if acts is None and conversations is None:
        raise TrainingDataError("nothing to train on: give acts, conversations or both")
    if isinstance(cv, bool) or not isinstance(cv, Integral) or (cv != 0 and cv < 2):
        raise ValueError(f"cv must be a whole number, 0 (skip cross-validation) or at least 2, got {cv!r}")
    if isinstance(seed, bool) or not isinstance(seed, Integral):  # a config file's '1' would fail inside NumPy
        raise ValueError(f"seed must be a whole number, got {seed!r}")
    check_log(log)
    base = model_path(base) if base is not None else None
    base_model = load_model(base, trust=trust) if base is not None else None
    base_data = load_training_data(base) if base is not None else {}
    if base is not None and not base_data:
        raise TrainingDataError(f"{base}: this model keeps no training data (no training/ folder), so --base has nothing "
                                "to add your data to: give a folder `reciprocity train` wrote, or train without --base")
    act_rows = load_acts(acts, log) if acts is not None else []
    items = load_conversations(conversations, log) if conversations is not None else []
    _check_ids(act_rows, items, log)
    resolve_speakers(act_rows, items)
    test_ids = held_out(act_rows, items)
    if base_data:
        base_data = _replaced(base_data, act_rows, items, test_ids, log)
    test = [it for it in items if it.conversation.id in test_ids]
    fit_items = [it for it in items if it.conversation.id not in test_ids]
    if fit_items and base_model is not None:
        _check_base_ratings(base, base_model.card, base_data)
    train_rows = [r for r in act_rows if str(r["conversation_id"]) not in test_ids]
    if base_data:
        _log_combined(base_data, train_rows, fit_items, bool(test_ids), log)
    # One row per turn teaches no sentence starts, and would teach that a turn's inner sentence ends are none.
    per_turn = bool(train_rows and base_data.get("act_rows")) and max(Counter(turn_keys(train_rows)).values()) == 1
    if per_turn:
        log("sentence-boundary model: your acts are labelled one row per turn, which teaches no sentence starts, "
            "so it learns from the base model's labelled sentences only\n")
    if train_rows:
        train_rows += base_data.get("act_rows", [])
        tested = Counter(r["act"] for r in act_rows if str(r["conversation_id"]) in test_ids)
        _check_acts([r["act"] for r in train_rows], acts, tested)
    boundary_rows = base_data["act_rows"] if per_turn else train_rows
    if fit_items:
        Y = np.vstack([it.labels for it in fit_items] + ([base_data["Y"]] if "Y" in base_data else []))
        rating_ids = [it.conversation.id for it in fit_items] + _ids(base_data, "rating_ids", len(Y) - len(fit_items))
        _check_ratings(Y, [it.conversation.id for it in fit_items], conversations)
        rating_keys = _rating_keys(fit_items, len(Y))
        _check_rating_folds(Y, min(cv or DEFAULT_FOLDS, len(Y)), rating_keys, seed, conversations)
    donor = base_model if base_model is not None else load_model()  # the parts not trained here
    agents, channels = _context(items)
    agents |= base_data.get("agents", {})
    channels |= base_data.get("channels", {})
    nlp = build_pipeline()
    card: dict[str, Any] = {"labels": list(LABELS), "acts": list(ACTS), "date": datetime.now(UTC).isoformat(timespec="seconds"),
                            "data": _data_hashes(acts, conversations, items), "cv": cv, "seed": seed,
                            "metrics": {}}
    if base is not None:
        card["base"] = _provenance(base, donor.card)
    trained: dict[str, Any] = {}

    X = act_pred = None
    if train_rows:
        base_boundaries = base_model.boundaries if base_model is not None else None
        final_act, boundaries, X, act_pred = _train_acts(nlp, train_rows, boundary_rows, fit_items, agents, channels, cv, seed,
                                                         acts, base_boundaries, card, log)
        fitted_boundaries = boundaries is not None and boundaries is not base_boundaries  # else the base's kept, or none
        trained["act_rows"] = [{k: r[k] for k in ACT_COLUMNS} for r in train_rows]
    else:
        final_act, boundaries = donor.act_model, donor.boundaries
        fitted_boundaries = False

    if fit_items:
        if X is None:
            start = time.monotonic()
            X = rating_features(final_act, fit_items, boundaries)
            _progress(log, f"ratings: {count(len(fit_items), 'conversation')} tagged for the rater's features", start)
        if "X" in base_data:
            X = np.vstack([X, base_data["X"]])
            if train_rows and len(base_data["Y"]):
                log(f"ratings: the base model's {count(len(base_data['Y']), 'rated conversation')} keep the features its own "
                    "taggers computed (out of fold), not recomputed by the new tagger, since training/ keeps no "
                    "conversations: a mild approximation, as the new tagger learned from the base's acts too\n")
        rater = _fit_rater(X, Y, rating_keys, cv, seed, card, log, bool(test))
        card["n_conversations"] = len(Y)
        card["rater_features"] = FEATURES
        card["rater_params"] = {k: v for k, v in rater.get_params().items() if k != "labels"}
        trained |= {"X": X, "Y": Y, "rating_ids": rating_ids}
    else:
        rater = donor.rater

    # The agent guess, from the same labelled conversations (and the base model's).
    agent_X, agent_y, agent_ids = [], [], []
    for it in fit_items:
        x, y = agent_examples([(it.conversation, it.agent)])
        agent_X += x
        agent_y += y
        agent_ids += [it.conversation.id] * len(y)
    agent_X += base_data.get("agent_X", [])
    agent_y += base_data.get("agent_y", [])
    agent_ids += _ids(base_data, "agent_ids", len(agent_y) - len(agent_ids))
    if len(set(agent_y)) == 2:
        agent_model = AgentClassifier().fit(agent_X, agent_y)
        trained |= {"agent_X": agent_X, "agent_y": agent_y, "agent_ids": agent_ids}
    else:
        agent_model = donor.agent_model

    donor_name = f"the base model ({base})" if base is not None else "the shipped default model"
    card["parts"] = {part: "trained here" if key in trained else f"from {donor_name}"
                     for part, key in (("tagger", "act_rows"), ("rater", "X"), ("agent guess", "agent_X"))}
    card["parts"]["sentence boundaries"] = _boundaries_part(boundaries, fitted_boundaries, per_turn, donor_name)
    if "act_rows" in trained and "X" not in trained:
        log(f"ratings: not trained here (no rated conversations): the rater and its thresholds come from {donor_name}, "
            "fitted to that model's tagger, not refitted to this one; to refit them, train the tagger and the rater in "
            "one run (--acts and --conversations together, on this run's base): a later ratings-only run on this model "
            "is refused, since the rating rows it keeps were computed by that model's tagger\n")
    analyzer = Analyzer(final_act, rater, card, boundaries, agent_model)
    untrained = {"act_rows", "X", "agent_X"} - set(trained)
    kept = load_training_data(DEFAULT_MODEL) if base is None and untrained else base_data
    analyzer.training_data = _kept_data(trained, kept, agents, channels, test_ids)
    analyzer.out_of_fold_acts = act_pred  # one per training_data act row, for benchmarks/model_rule.py; not saved
    if test_ids:
        test_rows = [r for r in act_rows if str(r["conversation_id"]) in test_ids]
        card["metrics"]["test"] = _test_metrics(analyzer, nlp, test_rows, test, agents, channels, log)
    return analyzer


def _boundaries_part(boundaries: BoundaryClassifier | None, fitted: bool, per_turn: bool, donor_name: str) -> str:
    """Where the sentence-boundary model came from, for the card's `parts`: trained here (on the base's sentences
    alone when the team's acts are one row per turn), kept from the donor (`_fit_boundaries` keeps the base's when
    the sentences teach none, and a run without acts takes the donor's), or none, when neither had one."""
    if boundaries is None:
        return "none (unpunctuated turns stay whole)"
    if not fitted:
        return f"from {donor_name}"
    return "trained here" + (", on the base model's labelled sentences only (your acts are one row per turn)"
                             if per_turn else "")


KEPT_ROWS = ("X", "Y", "rating_ids", "agent_X", "agent_y", "agent_ids")


def _ids(data: dict[str, Any], key: str, n: int) -> list[str]:
    """The conversation ids of a base model's `n` kept rows ("" each when it was saved without them)."""
    return list(data.get(key, [""] * n))


def _replaced(base_data: dict[str, Any], act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled],
              test_ids: set[str], log: Log) -> dict[str, Any]:
    """The base model's kept data without the conversations the team labels again (same `conversation_id`):
    the team's acts replace the base's act rows of a conversation, its rating the base's rating and agent rows,
    so retraining on a model that already holds a team's data does not count it twice. A conversation the team
    holds out for testing leaves every part of the base's data, so nothing is trained on it."""
    acted = {str(r["conversation_id"]) for r in act_rows} | test_ids
    rated = {it.conversation.id for it in items} | test_ids
    data = dict(base_data)
    n_acts = 0
    if data.get("act_rows"):
        n_acts = len({str(r["conversation_id"]) for r in data["act_rows"]} & acted)
        data["act_rows"] = [r for r in data["act_rows"] if str(r["conversation_id"]) not in acted]
    n_rated = 0
    if "Y" in data:
        ids = _ids(data, "rating_ids", len(data["Y"]))
        unnamed = sum(1 for i in ids if not i)
        if unnamed and items:
            log(f"ratings: {count(unnamed, 'rated conversation')} of the base model's keep no id (saved by an older "
                "version), so any of yours among them count twice\n")
        keep = np.array([i not in rated for i in ids], bool)
        n_rated = int((~keep).sum())
        data |= {"X": data["X"][keep], "Y": data["Y"][keep], "rating_ids": [i for i, k in zip(ids, keep, strict=True) if k]}
    if "agent_y" in data:
        ids = _ids(data, "agent_ids", len(data["agent_y"]))
        keep_a = [i not in rated for i in ids]
        data |= {k: [v for v, kept in zip(values, keep_a, strict=True) if kept]
                 for k, values in (("agent_X", data["agent_X"]), ("agent_y", data["agent_y"]), ("agent_ids", ids))}
    for key in ("agents", "channels"):
        data[key] = {k: v for k, v in data.get(key, {}).items() if k not in rated}
    if n_acts or n_rated:
        log(f"--base: your labels replace the base model's for {count(n_acts, 'conversation')} with acts and "
            f"{count(n_rated, 'rated conversation')} already in it (same conversation_id; your test conversations "
            "are taken out of it whole)\n")
    return data


def _log_combined(base_data: dict[str, Any], rows: Sequence[dict[str, Any]], items: Sequence[Labelled], tested: bool,
                  log: Log) -> None:
    """Log how much `--base` training learns from, the base model's kept data and the team's (its test split
    aside), for each part trained here: the tables' n alone do not show that the two were combined."""
    base: list[str] = []
    yours: list[str] = []
    if rows:
        base.append(_many(len(base_data.get("act_rows", [])), "act row"))
        yours.append(_many(len(rows), "act row"))
    if items:
        base.append(_many(len(base_data["Y"]) if "Y" in base_data else 0, "rated conversation"))
        yours.append(_many(len(items), "rated conversation"))
    if base:
        log(f"--base: training on the base model's {' and '.join(base)} and yours, {' and '.join(yours)}"
            f"{' (your test split aside)' if tested else ''}\n")


def _provenance(folder: str | Path, card: dict[str, Any]) -> dict[str, Any]:
    """Where a base model came from, for the card of a model built on it: its folder, date, version and data
    hashes, and its own base's in turn, so a team can trace every model back to the data it grew from."""
    found = {"folder": str(Path(folder).resolve()), "date": card.get("date"),
             "reciprocity-nlp": (card.get("versions") or {}).get("reciprocity-nlp"), "data": card.get("data", {})}
    return found | ({"base": card["base"]} if "base" in card else {})


def _kept_data(trained: dict[str, Any], kept: dict[str, Any], agents: dict[str, str], channels: dict[str, str],
               test_ids: set[str]) -> dict[str, Any]:
    """The training data a model keeps (`save_training_data`): what each part trained here learned from, and
    for each part taken from the base model (or the shipped one), that model's kept data, so a later `--base`
    on this model builds on the data behind every part, not only the parts trained last."""
    data = {"act_rows": kept.get("act_rows", []), **{k: kept[k] for k in KEPT_ROWS if k in kept},
            **trained}
    data["agents"] = {k: v for k, v in (kept.get("agents", {}) | agents).items() if k not in test_ids}
    data["channels"] = {k: v for k, v in (kept.get("channels", {}) | channels).items() if k not in test_ids}
    if "X" not in trained and "X" in data and ("act_rows" in trained or kept.get(OTHER_TAGGER)):
        data[OTHER_TAGGER] = True  # rows another tagger computed, which a later rater must not be fitted on
    return data


def _check_base_ratings(base: Path | None, card: dict[str, Any], data: dict[str, Any]) -> None:
    """A TrainingDataError when the base keeps rating rows another model's tagger computed (`OTHER_TAGGER`: its
    tagger was trained without its rater): a rater fitted on them beside rows the base's own tagger computes would
    learn from two taggers' features, and its cross-validated figures would not be this model's."""
    if not data.get(OTHER_TAGGER) or not len(data.get("Y", ())):
        return
    origin_base = (card.get("base") or {}).get("folder")
    if origin_base is not None and Path(origin_base) == DEFAULT_MODEL.resolve():
        origin_base = "default"
    on = (f"--base {origin_base}, the base its tagger was trained from" if origin_base
          else "no --base, as its tagger was trained")
    raise TrainingDataError(
        f"{base}: this model's tagger was trained without its rater, so the {count(len(data['Y']), 'rated conversation')} "
        "it keeps have features another model's tagger computed, which a rater for its tagger must not learn from: "
        f"train the tagger and the rater in one run instead, its acts and your rated conversations together "
        f"(--acts and --conversations), with {on}")


def _test_metrics(analyzer: Analyzer, nlp: Language, act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled],
                  agents: dict[str, str], channels: dict[str, str], log: Log) -> dict[str, Any]:
    """The trained model's metrics on the held-out test split: acts, ratings, sentence starts and agent guess."""
    metrics = evaluate(analyzer, act_rows, items, agents, channels, log=log, title="held-out test split")
    if act_rows and analyzer.boundaries is not None:
        metrics["boundaries"] = boundary_metrics(analyzer.boundaries, nlp, act_rows)
        log(f"sentence starts in the test split's turns with case and punctuation removed: "
            f"{format_binary_metrics(metrics['boundaries'])}\n")
    if items and analyzer.agent_model is not None:
        metrics["agent"] = found = agent_metrics(analyzer.agent_model, items)
        log(f"agent guessed right in the test split (no agent given): learned {found['learned']}, "
            f"rules {found['rules']}, of {found['n']} conversations\n")
    return metrics


def agent_metrics(model: AgentClassifier, items: Sequence[Labelled]) -> dict[str, int]:
    """How many conversations' agents the learned guess and the rules alone get right."""
    learned = sum(guess_agent(it.conversation, model)[0] == it.agent for it in items)
    rules = sum(guess_agent(it.conversation)[0] == it.agent for it in items)
    return {"learned": learned, "rules": rules, "n": len(items)}


def _check_acts(y: Sequence[str], source: str | Path | None, tested: Counter[str] | None = None) -> None:
    """A TrainingDataError naming the acts with fewer than `MIN_ACT_SENTENCES` labelled sentences, which the
    tagger cannot be fitted on (and an act it never saw would be missing from every tag's probabilities); with
    `tested`, the acts of the held-out test conversations, it says how many of each are held out there."""
    counts, tested = Counter(y), tested or Counter()
    short = [a for a in ACTS if counts[a] < MIN_ACT_SENTENCES]
    if short:
        found = ", ".join(f"{a!r} has {count(counts[a], 'sentence')}" + (
            f" to train on, and {tested[a]} in test conversations, which are held out" if tested[a] else "")
            for a in short)
        raise TrainingDataError(f"{source}: {found}; the tagger needs at least {MIN_ACT_SENTENCES} labelled "
                                f"sentences of every act ({', '.join(ACTS)})")


def _check_ratings(Y: np.ndarray, ids: Sequence[str], source: str | Path | None) -> None:
    """A TrainingDataError naming the first label that is 1, or 0, in fewer than `MIN_CONVERSATIONS_PER_KIND`
    conversations (`ids` name the first rows of Y; the rest are the base model's)."""
    for j, label in enumerate(LABELS):
        for value in (1, 0):
            having = np.flatnonzero(Y[:, j] == value)
            if len(having) < MIN_CONVERSATIONS_PER_KIND:
                which = ", ".join(ids[i] if i < len(ids) else "one of the base model's" for i in having)
                found = f"only 1 conversation trained on ({which})" if len(having) else "no conversation trained on"
                raise TrainingDataError(
                    f"{source}: {label!r} is {value} in {found}; the rater needs every label both 1 and 0, each in "
                    f"at least {MIN_CONVERSATIONS_PER_KIND} conversations, since it picks thresholds on predictions "
                    "for each conversation by a rater trained without it")


def _progress(log: Log, what: str, since: float) -> None:
    """Log a step of training done, with the seconds it took since `since` (`time.monotonic`): what a long run
    shows between its tables."""
    log(f"{what} ({time.monotonic() - since:.0f} s)")


def _many(n: int, noun: str) -> str:
    """`count` with thousands separated, for the data sizes of training: "24,258 sentences"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _fold_count(k: int, n: int, what: str, log: Log) -> int:
    """`k` folds, or `n` when there are only `n` conversations to fold, which the log says."""
    if n < k:
        log(f"{what}: only {count(n, 'conversation')}, so {n}-fold cross-validation instead of {k}-fold\n")
    return min(k, n)


def _train_acts(nlp: Language, rows: list[dict[str, Any]], boundary_rows: list[dict[str, Any]],
                items: Sequence[Labelled], agents: dict[str, str],
                channels: dict[str, str], cv: int, seed: int, source: str | Path | None,
                base_boundaries: BoundaryClassifier | None, card: dict[str, Any], log: Log
                ) -> tuple[ActClassifier, BoundaryClassifier | None, np.ndarray | None, list[str] | None]:
    """The act tagger fitted on `rows`, the sentence-boundary model on `boundary_rows`, the rater's features
    of `items` from taggers that never saw them (None without items), and the out-of-fold act of each row (None
    when no folds were made).

    One set of folds by conversation gives both the tagger's cross-validated metrics and those features;
    with `cv` 0 the folds are made only when the rater needs them, and no act metrics are reported.
    """
    boundaries = _fit_boundaries(nlp, boundary_rows, base_boundaries, log)
    start = time.monotonic()
    X_act = row_features(nlp, rows, agents, channels, seed=seed)
    _progress(log, f"acts: features of {_many(len(rows), 'sentence')} computed", start)
    y_act = [r["act"] for r in rows]
    X = pred = None
    ids = sorted({str(r["conversation_id"]) for r in rows} | {it.conversation.id for it in items})
    if not cv:
        log("acts: cross-validated metrics skipped (--cv 0)\n")
    if len(ids) < 2 and items:
        raise TrainingDataError(f"{source}: the rater learns from act tags of each rated conversation by a tagger "
                                "trained without it, and the acts cover no other conversation; label acts in more")
    if len(ids) < 2 and cv:
        log("acts: cross-validation skipped: the acts come from one conversation\n")
    elif cv or items:
        k = _fold_count(cv or DEFAULT_FOLDS, len(ids), "acts", log)
        card.setdefault("folds", {})["acts"] = k
        pred, probs, X = _cross_fit(X_act, y_act, rows, items, ids, k, seed, boundaries, source, log)
        if cv:
            card["metrics"]["acts_cv"] = act_metrics(y_act, pred, [r["conversation_id"] for r in rows], probs=probs)
            log(f"acts, {k}-fold cross-validation by conversation:\n{format_act_metrics(card['metrics']['acts_cv'])}\n")
    card["n_act_sentences"] = len(y_act)
    start = time.monotonic()
    final = ActClassifier().fit(X_act, y_act, turn_keys(rows))
    _progress(log, f"acts: final tagger fitted on {_many(len(y_act), 'sentence')}", start)
    return final, boundaries, X, pred


def _fit_boundaries(nlp: Language, rows: Sequence[dict[str, Any]], fallback: BoundaryClassifier | None,
                    log: Log) -> BoundaryClassifier | None:
    """The sentence-boundary model learned from the labelled turns' sentences; `fallback` (the base model's, or
    None) when they hold no sentence start to learn, as when acts are labelled one row per turn."""
    start = time.monotonic()
    X, y = boundary_examples(nlp, turn_sentences(rows))
    if len(set(y)) == 2:
        fitted = BoundaryClassifier().fit(X, y)
        _progress(log, f"sentence-boundary model fitted on {_many(len(rows), 'labelled sentence')}", start)
        return fitted
    reason = "no labelled turn has two or more sentences" if 1 not in y else "no labelled sentence has two or more words"
    kept = "the base model's is kept" if fallback is not None else "the model has none, so unpunctuated turns stay whole"
    log(f"sentence-boundary model not trained: {reason}; {kept}\n")
    return fallback


def _cross_fit(X_act: list[dict[str, float]], y_act: list[str], act_rows: Sequence[dict[str, Any]],
               items: Sequence[Labelled], ids: Sequence[str], k: int, seed: int, boundaries: BoundaryClassifier | None,
               source: str | Path | None, log: Log) -> tuple[list[str], np.ndarray, np.ndarray | None]:
    """Out-of-fold act predictions for the labelled sentences and their probabilities (sentences x ACTS), and
    rater features for the labelled conversations (None without any), from k act models each trained without one
    fold of the conversations `ids` (`stratified_folds` on which acts each conversation has, so an act in a few
    conversations is spread out); each fold done is logged."""
    has = {cid: set() for cid in ids}
    for r, act in zip(act_rows, y_act, strict=True):
        has[str(r["conversation_id"])].add(act)
    folds = stratified_folds(ids, np.array([[a in has[cid] for a in ACTS] for cid in ids]), k, seed)
    fold_of = dict(zip(ids, folds.tolist(), strict=True))
    row_fold = np.array([fold_of[str(r["conversation_id"])] for r in act_rows])
    _check_folds(y_act, row_fold, fold_of, [str(r["conversation_id"]) for r in act_rows], source)
    turns = turn_keys(act_rows)
    pred = np.empty(len(y_act), dtype=object)
    probs = np.zeros((len(y_act), len(ACTS)))
    parts: dict[int, np.ndarray] = {}
    for f in range(k):
        start = time.monotonic()
        keep = np.flatnonzero(row_fold != f)
        held = np.flatnonzero(row_fold == f)
        model = ActClassifier().fit([X_act[i] for i in keep], [y_act[i] for i in keep], [turns[i] for i in keep])
        if len(held):
            pred[held], probs[held] = _act_predictions(model, [X_act[i] for i in held], [turns[i] for i in held])
        mine = [i for i, it in enumerate(items) if fold_of[it.conversation.id] == f]
        if mine:
            for i, row in zip(mine, rating_features(model, [items[i] for i in mine], boundaries), strict=True):
                parts[i] = row
        tagged = f", its {count(len(mine), 'rated conversation')} tagged for the rater" if mine else ""
        _progress(log, f"acts: fold {f + 1} of {k} fitted{tagged}", start)
    X = np.vstack([parts[i] for i in range(len(items))]) if items else None
    return list(pred), probs, X


def _check_folds(y_act: Sequence[str], row_fold: np.ndarray, fold_of: dict[str, int], convs: Sequence[str],
                 source: str | Path | None) -> None:
    """A TrainingDataError when leaving out some fold of conversations leaves an act with fewer than
    `MIN_ACT_SENTENCES` sentences to train that fold's tagger on (`convs`: each sentence's conversation), found
    before any tagger is fitted."""
    y = np.asarray(y_act)
    for f in sorted(set(fold_of.values())):
        counts = Counter(y[row_fold != f])
        short = next((a for a in ACTS if counts[a] < MIN_ACT_SENTENCES), None)
        if short is not None:
            held = sorted(cid for cid, g in fold_of.items() if g == f)
            raise TrainingDataError(
                f"{source}: cross-validation by conversation leaves only {count(counts[short], repr(short) + ' sentence')}"
                f" to train on without {'conversation' if len(held) == 1 else 'conversations'} {listed(held, 5)}; every fold's "
                f"tagger needs at least {MIN_ACT_SENTENCES} of every act: {_fold_advice(short, y, convs)}")


def _fold_advice(act: str, y: np.ndarray, convs: Sequence[str]) -> str:
    """What helps when a fold's tagger is short of `act`: more folds only while some fold count would leave
    enough of it, that is when the conversation holding most of its sentences leaves `MIN_ACT_SENTENCES` out."""
    per_conv = Counter(c for c, a in zip(convs, y, strict=True) if a == act)
    top, most = per_conv.most_common(1)[0]
    total = sum(per_conv.values())
    if total - most < MIN_ACT_SENTENCES:
        return (f"conversation {top} holds {most} of the {total} {act!r} sentences trained on, so no number of folds "
                "can help: label more of them in other conversations")
    return "label more of them in other conversations, or use more folds (--cv; each fold then holds out fewer conversations)"


def _fit_rater(X: np.ndarray, Y: np.ndarray, keys: Sequence[str], cv: int, seed: int, card: dict[str, Any], log: Log,
               tested: bool) -> AgentRater:
    """Fit the rater, with per-label thresholds chosen on out-of-fold predictions for all of
    train + dev: every conversation votes, where a dev split of a few hundred moves the
    thresholds by a step between one model and the next. Those predictions are needed even when
    `cv` is 0, from `DEFAULT_FOLDS` folds then, and the log says so; it points to the fair figure, the
    held-out test split's when `tested` (rated conversations are held out), else how to get one."""
    k = _fold_count(cv or DEFAULT_FOLDS, len(Y), "ratings", log)
    card.setdefault("folds", {})["ratings"] = k
    P = _out_of_fold_probs(X, Y, _rating_folds(Y, k, keys, seed), log)
    thresholds = best_thresholds(P, Y)
    metrics = rating_metrics(Y, (thresholds <= P).astype(int), probs=P)
    card["metrics"]["ratings_cv"] = metrics
    card["threshold_source"] = "out-of-fold predictions"
    chosen = "thresholds chosen" if cv else "not skipped by --cv 0: the thresholds are chosen"
    fair = ("the held-out test split is the fair figure" if tested else
            "for a fair figure, hold conversations out with a split column set to test")
    log(f"ratings, {k}-fold cross-validation ({chosen} on these same predictions, so a little optimistic;"
        f" {fair}):\n{format_rating_metrics(metrics)}\n")
    start = time.monotonic()
    rater = AgentRater().fit(X, Y)
    _progress(log, f"ratings: final rater fitted on {_many(len(Y), 'conversation')}", start)
    rater.thresholds_ = np.asarray(thresholds, dtype=float)
    return rater


def stratified_folds(keys: Sequence[str], signature: np.ndarray, k: int, seed: int) -> np.ndarray:
    """The fold (0 to k-1) of each item, stratified on the 0/1 columns of `signature` (items x columns).

    Iterative stratification (Sechidis, Tsoumakas and Vlahavas, 2011), simply done: the items are put in the
    order of their `keys` (so the input's row order does not matter) and shuffled with `seed`; then, rarest
    column first, each item having it goes to the fold that still most wants that column (then the one that most
    wants items). A column held by two or more items is so spread over two or more folds, where unshuffled folds
    by row order can put every conversation of a rare label in one fold.
    """
    n = len(keys)
    order = np.array(sorted(range(n), key=lambda i: str(keys[i])), dtype=int)
    order = order[np.random.default_rng(seed).permutation(n)]
    S = np.asarray(signature, dtype=bool).reshape(n, -1)[order]
    want = np.tile(S.sum(axis=0) / k, (k, 1))
    room = np.full(k, n / k)
    fold = np.full(n, -1)
    while (fold < 0).any():
        left = fold < 0
        counts = S[left].sum(axis=0)
        present = np.flatnonzero(counts)
        col = present[np.argmin(counts[present])] if len(present) else None
        for i in np.flatnonzero(left & S[:, col]) if col is not None else np.flatnonzero(left):
            f = max(range(k), key=lambda g: ((want[g, col] if col is not None else 0), room[g], -g))
            fold[i] = f
            want[f] -= S[i]
            room[f] -= 1
    out = np.empty(n, dtype=int)
    out[order] = fold
    return out


def _rating_keys(items: Sequence[Labelled], n: int) -> list[str]:
    """What orders the rater's conversations for its folds: the team's conversation ids, then the base model's
    rows in their order."""
    return [it.conversation.id for it in items] + [f"\uffffbase {i:08d}" for i in range(n - len(items))]


def _rating_folds(Y: np.ndarray, k: int, keys: Sequence[str], seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (train, held-out) conversation indexes of the rater's k folds: shuffled with `seed` and stratified on
    every label's 1s and 0s."""
    fold = stratified_folds(keys, np.hstack([Y == 1, Y == 0]), k, seed)
    return [(np.flatnonzero(fold != f), np.flatnonzero(fold == f)) for f in range(k)]


def _check_rating_folds(Y: np.ndarray, k: int, keys: Sequence[str], seed: int, source: str | Path | None) -> None:
    """A TrainingDataError when some fold holds every conversation where a label is 1 (or 0), so the rater
    trained without that fold never sees it; found before any rater is fitted."""
    for train_part, _ in _rating_folds(Y, k, keys, seed):
        for j, label in enumerate(LABELS):
            for value in (1, 0):
                if not np.any(Y[train_part, j] == value):
                    raise TrainingDataError(
                        f"{source}: with {k}-fold cross-validation, one fold holds every conversation where {label!r} "
                        f"is {value}, so the rater trained without that fold never sees it: label more such "
                        "conversations, or use more folds (--cv; each fold then holds out fewer conversations)")


def _out_of_fold_probs(X: np.ndarray, Y: np.ndarray, folds: Sequence[tuple[np.ndarray, np.ndarray]],
                       log: Log, rater: dict[str, Any] | None = None) -> np.ndarray:
    """Rater probabilities of each conversation from a rater fitted without it (an `AgentRater` with the parameters
    `rater`, else its defaults); each fold done is logged."""
    P = np.zeros(Y.shape)
    for f, (tr, te) in enumerate(folds):
        start = time.monotonic()
        P[te] = AgentRater(**(rater or {})).fit(X[tr], Y[tr]).predict_proba(X[te])
        _progress(log, f"ratings: fold {f + 1} of {len(folds)} fitted", start)
    return P


# --------------------------------------------------------------------------- evaluation


def boundary_metrics(boundaries: BoundaryClassifier, nlp: Language, act_rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Precision, recall and F1 of predicted sentence starts in labelled turns stripped of case and punctuation."""
    X, y = boundary_examples(nlp, turn_sentences(act_rows))
    if not X:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    return binary_metrics(y, boundaries.predict(X))


@dataclass
class Predicted:
    """A model's acts for labelled sentences and flags (conversations x labels) for labelled conversations, with
    the probabilities they come from: of each act (sentences x ACTS) and of each rating (conversations x labels)."""

    acts: list[str]
    act_probs: np.ndarray
    flags: np.ndarray
    ratings: np.ndarray


def _act_predictions(model: ActClassifier, X: Sequence[dict[str, float]], groups: Sequence[Any]) -> tuple[list[str], np.ndarray]:
    """The tagger's act for each sentence (as `predict` gives it) and its probabilities in the order of ACTS."""
    P = model.predict_proba(X, groups)
    return list(model.classes_[P.argmax(axis=1)]), P[:, [list(model.classes_).index(a) for a in ACTS]]


def _predict(analyzer: Analyzer, act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled],
             agents: dict[str, str], channels: dict[str, str]) -> Predicted:
    """The model's acts for every labelled sentence and its ratings and flags for every conversation."""
    acts: list[str] = []
    act_probs = np.zeros((0, len(ACTS)))
    if act_rows:
        feats = row_features(build_pipeline(), act_rows, agents, channels, dropout=0.0)
        acts, act_probs = _act_predictions(analyzer.act_model, feats, turn_keys(act_rows))
    flags = np.zeros((0, len(LABELS)), dtype=int)
    ratings = np.zeros((0, len(LABELS)))
    if items:
        analyses = list(analyzer.analyze_many([it.conversation for it in items], [it.agent for it in items]))
        flags = np.array([[int(k in a.flags) for k in LABELS] for a in analyses])
        ratings = np.array([[a.ratings[k] for k in LABELS] for a in analyses])
    return Predicted(acts, act_probs, flags, ratings)


def _metrics(act_rows: Sequence[dict[str, Any]], items: Sequence[Labelled], predicted: Predicted,
             log: Log, title: str, defined: dict[str, np.ndarray] | None = None) -> dict[str, Any]:
    """Act and rating metrics with their calibration, logged; `defined` fixes which acts and labels are scored
    (for two models compared)."""
    out: dict[str, Any] = {}
    defined = defined or {}
    if act_rows:
        out["acts"] = act_metrics([r["act"] for r in act_rows], predicted.acts, [r["conversation_id"] for r in act_rows],
                                  defined.get("acts"), predicted.act_probs)
        log(f"acts on the {title}:\n{format_act_metrics(out['acts'])}\n")
    if items:
        out["ratings"] = rating_metrics(np.vstack([it.labels for it in items]), predicted.flags, defined.get("ratings"),
                                        predicted.ratings)
        log(f"ratings on the {title}:\n{format_rating_metrics(out['ratings'])}\n")
    return out


def _context(items: Sequence[Labelled]) -> tuple[dict[str, str], dict[str, str]]:
    """Each labelled conversation's agent and channel, which the act features of its sentences need."""
    return ({it.conversation.id: it.agent for it in items}, {it.conversation.id: it.conversation.channel for it in items})


def evaluate(
    analyzer: Analyzer,
    act_rows: Sequence[dict[str, Any]] = (),
    items: Sequence[Labelled] = (),
    agents: dict[str, str] | None = None,
    channels: dict[str, str] | None = None,
    log: Log = print,
    title: str = "evaluation",
    which: str = "this model",
) -> dict[str, Any]:
    """Act and rating metrics of a model on labelled data (`act_rows` from `load_acts`, `items` from
    `load_conversations`), each F1 with its bootstrap interval, and the calibration of its probabilities; a
    `TrainingOverlapWarning`, naming the model as `which`, when it was trained on some of that data. Act and rating
    ids are matched as `train` matches them (`_check_ids`, then `resolve_speakers`), so each sentence is scored with
    the speaker role it would have had in training."""
    _warn_overlap(analyzer, act_rows, items, which)
    _check_ids(act_rows, items, log)
    resolve_speakers(act_rows, items)
    known_agents, known_channels = _context(items)
    agents, channels = agents or known_agents, channels or known_channels
    return _metrics(act_rows, items, _predict(analyzer, act_rows, items, agents, channels), log, title)


def compare(
    new: Analyzer,
    old: Analyzer,
    act_rows: Sequence[dict[str, Any]] = (),
    items: Sequence[Labelled] = (),
    log: Log = print,
    title: str = "evaluation",
    which: tuple[str, str] = ("the new model", "the old model"),
) -> dict[str, Any]:
    """Two models on the same labelled data (`act_rows` from `load_acts`, `items` from `load_conversations`):
    each one's metrics, and every F1 difference (new - old) with a paired bootstrap interval over
    conversations, so a team can tell a better model from noise; a `TrainingOverlapWarning` for each model
    trained on some of that data, naming the two models as `which` does."""
    for name, model in zip(which, (new, old), strict=True):
        _warn_overlap(model, act_rows, items, name)
    _check_ids(act_rows, items, log)
    resolve_speakers(act_rows, items)
    agents, channels = _context(items)
    new_pred, old_pred = (_predict(m, act_rows, items, agents, channels) for m in (new, old))
    counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    if act_rows:
        truth, groups = [r["act"] for r in act_rows], [r["conversation_id"] for r in act_rows]
        counts["acts"] = (act_counts(truth, new_pred.acts, groups), act_counts(truth, old_pred.acts, groups))
    if items:
        Y = np.vstack([it.labels for it in items])
        counts["ratings"] = (rating_counts(Y, new_pred.flags), rating_counts(Y, old_pred.flags))
    # Both models are scored on the same acts and labels, so the printed macro-F1s differ by the difference shown.
    defined = {kind: scored_columns(*pair) for kind, pair in counts.items()}
    named = {which: f"{which} model" + (f" ({m.folder})" if m.folder else "") for which, m in (("new", new), ("old", old))}
    out: dict[str, Any] = {"new": _metrics(act_rows, items, new_pred, log, f"{title}, {named['new']}", defined),
                           "old": _metrics(act_rows, items, old_pred, log, f"{title}, {named['old']}", defined),
                           "difference": {kind: _named(f1_difference(*pair), ACTS if kind == "acts" else LABELS)
                                          for kind, pair in counts.items()}}
    log(f"F1 differences, new - old ({named['new']} - {named['old']}), with {LEVEL:.0%} paired bootstrap intervals "
        "over conversations:\n"
        f"{format_difference(out['difference'])}")
    return out


def _named(diff: dict[str, list[float]], names: Sequence[str]) -> dict[str, list[float]]:
    """Column numbers of `f1_difference` replaced by act or label names."""
    return {k if k == "macro_f1" else names[int(k)]: v for k, v in diff.items()}
