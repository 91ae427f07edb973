import io
import zipfile

import docx
import pytest

from reciprocity_nlp import ReadError, read, read_file
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


def _zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in names:
            z.writestr(name, "<x/>")
    return buf.getvalue()


def test_a_broken_docx_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "call.docx"
    path.write_bytes(_zip("[Content_Types].xml", "word/document.xml"))
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file that cannot be opened"):
        read_file(path)
    path.write_bytes(b"PK\x03\x04 not really a zip [Content_Types].xml word/")
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file that cannot be opened"):
        read_file(path)


def test_a_docx_that_would_inflate_past_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = _docx(tmp_path, ["Dana Whitfield   0:03", "Hi." * 5_000])
    monkeypatch.setattr(word, "MAX_INFLATED_BYTES", 20_000)
    opened = []
    monkeypatch.setattr(docx, "Document", lambda *a, **k: opened.append(a))
    with pytest.raises(ReadError, match=r"call\.docx: a Word \.docx file whose parts inflate past"):
        read_file(path)
    assert not opened
