import io
import zipfile

import docx
import pytest

from reciprocity_nlp import ReadError, iter_conversations, read, read_file
from reciprocity_nlp.readers import word


def _docx(tmp_path, paragraphs, name="call.docx"):
    """A Word file as Teams and Otter write one: a paragraph a line (a list in one paragraph: lines parted by breaks)."""
    document = docx.Document()
    for paragraph in paragraphs:
        p = document.add_paragraph()
        for i, line in enumerate([paragraph] if isinstance(paragraph, str) else paragraph):
            run = p.add_run(line)
            if i < len(paragraph) - 1 and not isinstance(paragraph, str):
                run.add_break()
    path = tmp_path / name
    document.save(path)
    return path


def turns(conv):
    return [(t.speaker, t.text, t.start) for t in conv.turns]


def test_a_teams_or_otter_docx_is_read_as_the_text_transcript_it_holds(tmp_path):
    path = _docx(tmp_path, ["Weekly intro call", "1 December 2026, 09:00", "Dana Whitfield started transcription",
                            "Dana Whitfield   0:03", "Hi Marcus, thanks for making time.", "Marcus Lee   0:09",
                            "Good thanks. What's the salary band?", "Dana Whitfield   0:15", "Eighty to ninety."])
    conv = read(path)
    assert conv.channel == "call"
    assert turns(conv) == [("Dana Whitfield", "Hi Marcus, thanks for making time.", 3),
                           ("Marcus Lee", "Good thanks. What's the salary band?", 9),
                           ("Dana Whitfield", "Eighty to ninety.", 15)]


def test_a_header_and_its_words_in_one_paragraph_parted_by_line_breaks(tmp_path):
    path = _docx(tmp_path, [["Dana Whitfield  0:03", "Hi Marcus."], ["Marcus Lee  0:06", "Hi Dana."]])
    assert turns(read(path)) == [("Dana Whitfield", "Hi Marcus.", 3), ("Marcus Lee", "Hi Dana.", 6)]


def test_the_older_teams_docx_layout(tmp_path):
    path = _docx(tmp_path, ["0:0:0.0 --> 0:0:4.2", "Dana Whitfield", "Hi Marcus.", "",
                            "0:0:4.2 --> 0:0:7.9", "Marcus Lee", "Hi Dana."], name="Meeting Transcript.docx")
    assert [(t.speaker, t.text) for t in read(path).turns] == [("Dana Whitfield", "Hi Marcus."), ("Marcus Lee", "Hi Dana.")]


def test_a_docx_is_read_by_its_contents_whatever_its_name(tmp_path):
    path = _docx(tmp_path, ["Dana Whitfield   0:03", "Hi.", "Marcus Lee   0:06", "Hello."], name="download")
    assert read(path).speakers == ["Dana Whitfield", "Marcus Lee"]


def test_a_docx_with_no_paragraph_text_names_the_file_and_what_to_export(tmp_path):
    path = _docx(tmp_path, ["", "  "])
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file with no text in its paragraphs .* \.vtt or \.txt"):
        read_file(path)


def test_words_lock_file_beside_an_open_document_is_an_error_saying_so(tmp_path):
    """Before, it was "binary data (NUL bytes)", which says nothing of what it is."""
    _docx(tmp_path, ["Dana Whitfield   0:03", "Hi."])
    lock = tmp_path / "~$call.docx"
    owner = "Dana Whitfield"
    lock.write_bytes((bytes([len(owner)]) + owner.encode().ljust(53, b" ") + len(owner).to_bytes(2, "little")
                      + owner.encode("utf-16-le")).ljust(162, b"\x00"))
    with pytest.raises(ReadError, match=r"~\$call\.docx: Word's lock file for a document open in Word .*not a transcript"):
        read_file(lock)
    with pytest.warns(UserWarning, match=r"~\$call\.docx: Word's lock file"):  # a folder walk names it, and goes on
        assert [c.speakers for c in iter_conversations(tmp_path, errors="warn")] == [["Dana Whitfield"]]


def _with_table(path, title: str = "") -> None:
    """A transcript in a two-column table (Name | words), under a `title` paragraph when given."""
    document = docx.Document()
    if title:
        document.add_paragraph(title)
    table = document.add_table(rows=2, cols=2)
    for row, (who, said) in zip(table.rows, [("Dana Whitfield", "Hi Marcus."), ("Marcus Lee", "Hi Dana.")], strict=True):
        row.cells[0].text, row.cells[1].text = who, said
    document.save(path)


def test_a_docx_whose_text_is_in_a_table_is_an_error_saying_the_table_is_not_read(tmp_path):
    """Before, one with no other text was said to have "no text in its paragraphs", and one under a title was
    "not a transcript", with no word of the table."""
    path = tmp_path / "call.docx"
    _with_table(path)
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file whose text is all in tables: the text of its "
                                        r"tables is not read: export the transcript as \.vtt or \.txt$"):
        read_file(path)
    _with_table(path, title="Meeting transcript")
    with pytest.raises(ReadError, match=r"call\.docx: not a transcript or email: .*; the text of its tables is not read"):
        read_file(path)


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, "<x/>")
    return buf.getvalue()


def test_another_zip_file_is_still_binary_data(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(_zip("[Content_Types].xml", "xl/workbook.xml"))
    with pytest.raises(ReadError, match="binary data"):
        read_file(path)


def test_a_broken_docx_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "call.docx"
    path.write_bytes(_zip("[Content_Types].xml", "word/document.xml"))
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file that cannot be opened"):
        read_file(path)
    path.write_bytes(b"PK\x03\x04 not really a zip [Content_Types].xml word/")
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file that cannot be opened"):
        read_file(path)


def _central_patched(data: bytes, name: bytes, method: int | None = None, flags: int = 0) -> bytes:
    """`data` with the central directory entry of part `name` given another compression method or more flags."""
    data, i = bytearray(data), 0
    while (i := data.find(b"PK\x01\x02", i)) >= 0:
        n = int.from_bytes(data[i + 28:i + 30], "little")
        if data[i + 46:i + 46 + n] == name:
            data[i + 10:i + 12] = data[i + 10:i + 12] if method is None else method.to_bytes(2, "little")
            data[i + 8] |= flags
        i += 4
    return bytes(data)


def _garbled(data: bytes, name: str) -> bytes:
    """`data` with the start of part `name`'s deflate stream overwritten (a block type that does not exist)."""
    offset = zipfile.ZipFile(io.BytesIO(data)).getinfo(name).header_offset
    start = offset + 30 + int.from_bytes(data[offset + 26:offset + 28], "little") + int.from_bytes(
        data[offset + 28:offset + 30], "little")
    return data[:start] + b"\xff" * 40 + data[start + 40:]


@pytest.mark.parametrize("damage, why", [
    (lambda d: _garbled(d, "word/document.xml"), "zlib.error: Error -3"),
    (lambda d: _central_patched(d, b"word/document.xml", method=9), "NotImplementedError"),  # deflate64
    (lambda d: _central_patched(d, b"word/document.xml", method=12), "OSError"),  # bzip2, not valid
    (lambda d: _central_patched(d, b"word/document.xml", flags=1), "RuntimeError: .*encrypted"),
], ids=["corrupt", "deflate64", "bzip2", "encrypted"])
def test_a_corrupt_encrypted_or_deflate64_part_is_an_error_naming_the_file(tmp_path, damage, why):
    """Before, zlib.error, NotImplementedError and RuntimeError went past as tracebacks and ended `read`'s run."""
    path = _docx(tmp_path, ["Dana Whitfield   0:03", "Hi."])
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ReadError, match=rf"call\.docx: a Word \.docx file that cannot be opened \({why}"):
        read_file(path)


def _with_body(path, xml: bytes) -> None:
    """Put `xml` at the start of the document's body, the package deflated as Word does."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:body>" + xml, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


W = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.mark.parametrize("xml", [
    b"<w:p/>" * 4_000_000,  # 69 KB deflated: it took 74 s and 1.6 GB
    b"<w:p>" + b"<w:r/>" * 500_000 + b"</w:p>",
    (b"<x:p xmlns:x='" + W + b"'/>") * 500_000,  # paragraphs all the same, under another prefix
    b"<w:p><w:pPr>" + b"<w:spacing/>" * 2_100_000 + b"</w:pPr></w:p>",
], ids=["paragraphs", "runs", "prefixed", "elements"])
def test_a_docx_of_more_elements_than_any_transcript_is_refused_before_python_docx_builds_them(tmp_path, monkeypatch,
                                                                                              xml):
    path = _docx(tmp_path, ["Dana Whitfield   0:03", "Hi."])
    _with_body(path, xml)
    opened = []
    monkeypatch.setattr(docx, "Document", lambda *a, **k: opened.append(a))
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file of more than 400,000 paragraphs and runs or "
                                        r"2,000,000 elements, more than any transcript"):
        read_file(path)
    assert not opened


def test_a_long_docx_under_the_element_limits_is_read(tmp_path):
    lines = [line for n in range(2_000) for line in (f"{('Dana Whitfield', 'Marcus Lee')[n % 2]}   {n // 60}:{n % 60:02}",
                                                     f"Line {n}.")]
    assert len(read(_docx(tmp_path, lines)).turns) == 2_000


def test_a_docx_that_would_inflate_past_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = _docx(tmp_path, ["Dana Whitfield   0:03", "Hi." * 5_000])
    monkeypatch.setattr(word, "MAX_INFLATED_BYTES", 20_000)
    opened = []
    monkeypatch.setattr(docx, "Document", lambda *a, **k: opened.append(a))
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file whose parts inflate past"):
        read_file(path)
    assert not opened
