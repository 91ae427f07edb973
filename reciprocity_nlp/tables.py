"""Tables of rows in CSV, JSONL or Parquet: manifests, labelled data, score and sentence files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reciprocity_nlp.errors import ReadError, TableError
from reciprocity_nlp.readers.base import column_key
from reciprocity_nlp.readers.diarized import delimiter_of
from reciprocity_nlp.readers.encoding import decode_bytes
from reciprocity_nlp.wording import json_problem

SUFFIXES = (".csv", ".jsonl", ".parquet")


def suffix_of(path: str | Path) -> str:
    """The format a table file's suffix names, whatever its case: `o.CSV` is read and written as CSV, as `o.csv` is."""
    return Path(path).suffix.lower()


def parquet_columns(path: Path) -> list[str]:
    """A Parquet file's column names (from its footer when pyarrow is there); none for a file that is not Parquet."""
    import pandas as pd

    try:
        import pyarrow.parquet as pq
    except ImportError:
        pq = None
    try:
        return list(pq.read_schema(path).names) if pq else list(pd.read_parquet(path).columns)
    except (OSError, ValueError):  # not Parquet (pyarrow's ArrowInvalid is a ValueError)
        return []


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Every row of a `.csv`, `.jsonl` or `.parquet` file as a dict (see `read_located`)."""
    return [row for _, row in read_located(path)]


def read_located(path: str | Path) -> list[tuple[int, dict[str, Any]]]:
    """Every row of a `.csv`, `.jsonl` or `.parquet` file as a dict, with where it is: the line a CSV record
    starts on (the header is line 1), the line of a JSONL file (blank lines counted), or a Parquet row's
    number (1 = the first row), which `where` writes as errors name it.

    Text files are decoded as the transcript readers decode them (`decode_bytes`): a byte-order mark
    wins (UTF-8, UTF-16, as Excel's "Unicode text" writes), else UTF-8, else Windows-1252 (Excel's
    plain "CSV" on Windows). Raises `TableError` naming the file (and the line, for JSONL) when it is
    missing, has another extension, is binary, is a Parquet file pyarrow cannot read, or holds a line that is
    not a JSON object.
    """
    path = Path(path)
    suffix = suffix_of(path)
    if suffix not in SUFFIXES:
        raise TableError(f"{path}: expected a .csv, .jsonl or .parquet file")
    if not path.is_file():
        raise TableError(f"{path}: no such file")
    if suffix == ".parquet":
        import pandas as pd

        try:
            frame = pd.read_parquet(path)
        except (ValueError, OSError) as exc:  # pyarrow's ArrowInvalid and ArrowIOError: a damaged or other file
            raise TableError(f"{path}: not a readable Parquet file ({exc})") from exc
        return list(enumerate(frame.to_dict("records"), 1))
    text = _text(path)
    if suffix == ".csv":
        return _csv_rows(text, path)
    rows = []
    for n, line in enumerate(text.split("\n"), 1):  # not splitlines: JSON text may hold U+2028
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise TableError(f"{path}:{n}: not valid JSON ({json_problem(exc)})") from exc
        if not isinstance(row, dict):
            raise TableError(f"{path}:{n}: expected a JSON object, got {type(row).__name__}")
        rows.append((n, row))
    return rows


def named_columns(row: dict[str, Any], canonical: Mapping[str, str]) -> dict[str, Any]:
    """A row with its columns named as the formats name them, matched as the transcript readers match columns
    (case, spaces, hyphens and underscores aside: `Conversation ID`, `Act` and `conversation-id` are
    `conversation_id`); `canonical` maps each name's `column_key` to it. Other columns, and those whose names
    start with '_' (a reader's own, as `_file`), stay as they are. A ValueError when two columns are one name."""
    out: dict[str, Any] = {}
    given: dict[str, str] = {}
    for key, value in row.items():
        name = canonical.get(column_key(key), key) if isinstance(key, str) and not key.startswith("_") else key
        if name in given:
            raise ValueError(f"columns {given[name]!r} and {key!r} are both {name!r}")
        given[name] = key
        out[name] = value
    return out


def where(path: str | Path, place: int) -> str:
    """A row's place as errors name it: `file:line` in a CSV or JSONL file, `file row N` in a Parquet one."""
    return f"{path} row {place}" if suffix_of(path) == ".parquet" else f"{path}:{place}"


def _csv_rows(text: str, path: Path) -> list[tuple[int, dict[str, Any]]]:
    """A CSV text's records as `csv.DictReader` gives them (missing cells None), each with the line it starts on;
    blank lines are skipped. The separator is the one the header uses most: comma, tab or semicolon (Excel's
    CSV where the comma is the decimal mark). A record with more cells than the header is a TableError naming
    its line, as in a transcript table (an unquoted comma cuts text short, and shifts the cells after it), even
    when the extra cells are blank: a spreadsheet that saves a wider row saves a wider header too."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text.split("\n", 1)[0]))
    header = next(reader, None)
    if header is None:
        return []
    rows = []
    while True:
        start = reader.line_num + 1
        cells = next(reader, None)
        if cells is None:
            return rows
        if not cells:
            continue
        if len(cells) > len(header):
            raise TableError(f"{path}:{start}: {len(cells)} cells where the header has {len(header)}: a comma inside "
                             "unquoted text? (quote a cell that holds one)")
        row: dict[str, Any] = dict(zip(header, cells, strict=False))
        for name in header[len(cells):]:
            row[name] = None
        rows.append((start, row))


def _text(path: Path) -> str:
    """A CSV or JSONL file's text, decoded by `decode_bytes` (its BOM, if any, removed)."""
    try:
        return decode_bytes(path.read_bytes(), path)
    except ReadError as exc:
        raise TableError(f"{path}: not a text table ({exc.reason})") from exc


def whole_number(value: Any) -> int | None:
    """`value` as an int when it is a whole number, integral floats included ("0.0", 1.0, as pandas
    writes them); None for anything else (text, 1.5, NaN)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def cell_text(value: Any) -> str | None:
    """A table cell as a string, or None when blank, NaN or missing (None, pd.NA, NaT); a whole number that pandas
    made a float, beside missing cells, is written as one ('7', not '7.0')."""
    if value is None:
        return None
    try:
        if value != value:  # NaN, NaT
            return None
    except TypeError:  # pd.NA: its truth value is ambiguous
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None
