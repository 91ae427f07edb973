import re

import pandas as pd
import pytest

from reciprocity_nlp.errors import TableError
from reciprocity_nlp.tables import read_rows


def test_csv_jsonl_and_parquet_give_the_same_rows(tmp_path):
    rows = [{"path": "a.eml", "agent": "Sam"}, {"path": "b.vtt", "agent": "Ana"}]
    (tmp_path / "t.csv").write_text("\ufeffpath,agent\na.eml,Sam\nb.vtt,Ana\n", encoding="utf-8")
    (tmp_path / "t.jsonl").write_text('{"path": "a.eml", "agent": "Sam"}\n\n{"path": "b.vtt", "agent": "Ana"}\n')
    pd.DataFrame(rows).to_parquet(tmp_path / "t.parquet")
    for ext in ("csv", "jsonl", "parquet"):
        assert read_rows(tmp_path / f"t.{ext}") == rows


@pytest.mark.parametrize(("name", "text", "message"), [
    ("bad.jsonl", '{"path": "a"}\n{"path": \n', "bad.jsonl:2: not valid JSON"),
    ("open.jsonl", '{"path": "a.eml}\n', "open.jsonl:1: not valid JSON (Unterminated string starting at column 10)"),
    ("list.jsonl", '["a.eml"]\n', "list.jsonl:1: expected a JSON object, got list"),
    ("notes.txt", "path\na.eml\n", "notes.txt: expected a .csv, .jsonl or .parquet file"),
    ("broken.parquet", "path\na.eml\n", "broken.parquet: not a readable Parquet file ("),
])
def test_unreadable_tables_name_the_file_and_line(tmp_path, name, text, message):
    (tmp_path / name).write_text(text)
    with pytest.raises(TableError, match=re.escape(message)):
        read_rows(tmp_path / name)


def test_missing_file(tmp_path):
    with pytest.raises(TableError, match=re.escape("gone.csv: no such file")):
        read_rows(tmp_path / "gone.csv")


def test_whole_numbers_as_spreadsheets_write_them():
    from reciprocity_nlp.tables import whole_number

    assert [whole_number(v) for v in (3, "3", "3.0", 3.0, " 2 ")] == [3, 3, 3, 3, 2]
    assert [whole_number(v) for v in ("abc", 1.5, float("nan"), None, "")] == [None] * 5


def test_cell_text_blank_missing_and_whole_floats():
    import math

    import pandas as pd

    from reciprocity_nlp.tables import cell_text

    assert [cell_text(v) for v in (None, math.nan, pd.NA, pd.NaT, "", "  ")] == [None] * 6
    assert [cell_text(v) for v in (7.0, 7.5, 0, "x")] == ["7", "7.5", "0", "x"]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_tables_saved_by_excel_in_windows_1252_or_utf_16_are_decoded(tmp_path, encoding):
    """Excel's "CSV" is Windows-1252 on Windows and its "Unicode text" UTF-16: read as the transcript readers do."""
    (tmp_path / "t.csv").write_bytes("path,agent\nzoë.eml,José – “Sam”\n".encode(encoding))
    assert read_rows(tmp_path / "t.csv") == [{"path": "zoë.eml", "agent": "José – “Sam”"}]


def test_a_jsonl_file_with_a_utf_8_bom_and_crlf_lines_is_read(tmp_path):
    (tmp_path / "t.jsonl").write_bytes('\ufeff{"agent": "Zoë"}\r\n\r\n{"agent": "Sam\u2028Lee"}\r\n'.encode())
    assert read_rows(tmp_path / "t.jsonl") == [{"agent": "Zoë"}, {"agent": "Sam\u2028Lee"}]


def test_a_binary_file_is_a_table_error(tmp_path):
    (tmp_path / "t.csv").write_bytes(b"\x00\x01\x02\x03" * 100)
    with pytest.raises(TableError, match=r"t\.csv: not a text table"):
        read_rows(tmp_path / "t.csv")


def test_a_row_with_more_cells_than_the_header_is_an_error_naming_its_line(tmp_path):
    (tmp_path / "t.csv").write_text("path,agent\n\na.eml,Sam\nb.vtt,Ana, Lee\nc.txt,Jo,,\n")
    with pytest.raises(TableError, match=re.escape("t.csv:4: 3 cells where the header has 2: a comma inside unquoted")):
        read_rows(tmp_path / "t.csv")
    (tmp_path / "t.csv").write_text("path,agent,notes\na.eml,Sam, checked,\n")  # 'Sam, checked' shifted a blank cell out
    with pytest.raises(TableError, match=re.escape("t.csv:2: 4 cells where the header has 3")):
        read_rows(tmp_path / "t.csv")


def test_a_semicolon_separated_csv_is_read(tmp_path):
    (tmp_path / "t.csv").write_text('path;agent;score\na.eml;"Lee, Sam";0,5\n')
    assert read_rows(tmp_path / "t.csv") == [{"path": "a.eml", "agent": "Lee, Sam", "score": "0,5"}]
