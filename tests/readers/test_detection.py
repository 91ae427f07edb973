import pytest

from reciprocity_nlp import FORMATS, ReadError, iter_conversations, parse, read
from reciprocity_nlp.readers import detect_format, iter_files
from tests.conftest import FIXTURES

EXPECTED = {
    "calls/plain.txt": "text", "calls/timestamped_brackets.txt": "timestamped", "calls/timestamped_bare.txt": "timestamped",
    "calls/otter.txt": "otter", "calls/zoom.txt": "zoom", "calls/voice_tags.vtt": "vtt", "calls/prefixes.srt": "srt",
    "calls/whisperx.json": "json", "calls/table.csv": "csv", "emails/plain_iphone.eml": "eml",
    "emails/thread.mbox": "mbox", "emails/pasted_outlook.txt": "pasted", "emails/pasted_gmail.txt": "pasted",
    "emails/original_message.txt": "pasted",
}


@pytest.mark.parametrize("rel, fmt", sorted(EXPECTED.items()))
def test_detect(rel, fmt):
    path = FIXTURES / rel
    assert detect_format(path.read_bytes(), path) == fmt


@pytest.mark.parametrize("rel", ["calls/voice_tags.vtt", "calls/prefixes.srt", "calls/whisperx.json",
                                 "emails/plain_iphone.eml", "emails/thread.mbox"])
def test_content_sniffing_without_extension(tmp_path, rel):
    src = FIXTURES / rel
    target = tmp_path / "export"
    target.write_bytes(src.read_bytes())
    assert detect_format(target.read_bytes(), target) == EXPECTED[rel]


def test_format_override(tmp_path):
    f = tmp_path / "call.log"
    f.write_text("[00:00:01] Ann: hello\n[00:00:03] Ben: hi\n")
    with pytest.raises(ReadError, match="no speaker turns found"):
        read(f, format="text")
    assert read(f, format="timestamped").speakers == ["Ann", "Ben"]
    assert read(f, format="timestamped").turns[1].start == 3
    with pytest.raises(ValueError, match="unknown format"):
        read(f, format="docx")
    assert "vtt" in FORMATS


def test_folder_is_read_recursively_in_order():
    names = [p.name for p in iter_files(FIXTURES / "emails")]
    assert names == sorted(names)
    convs = list(iter_conversations(FIXTURES / "calls"))
    assert len(convs) == len(list(iter_files(FIXTURES / "calls"))) + 1  # many.tsv holds two


def test_errors_warn_and_go_on(tmp_path):
    (tmp_path / "a.txt").write_text("Ann: hi\nBen: hello\n")
    (tmp_path / "b.txt").write_text("")
    with pytest.raises(ReadError, match="empty"):
        list(iter_conversations(tmp_path))
    with pytest.warns(UserWarning, match="b.txt: not a transcript or email: the file is empty"):
        convs = list(iter_conversations(tmp_path, errors="warn"))
    assert [c.id for c in convs] == ["a"]


def test_missing_file_and_dangling_symlink(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        read(tmp_path / "nope.txt")
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    with pytest.raises(ReadError, match="dangling symlink"):
        read(link)


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_parse_reads_text_in_memory_as_read_reads_the_file(rel):
    path = FIXTURES / rel
    from_file = read(path)
    for data in (path.read_bytes(), path.read_bytes().decode("utf-8")):
        parsed = parse(data, name=path.name)
        assert parsed.id == from_file.id and parsed.channel == from_file.channel
        assert [(t.speaker, t.text) for t in parsed.turns] == [(t.speaker, t.text) for t in from_file.turns]


def test_parse_without_a_name_detects_the_format_from_the_content():
    text = (FIXTURES / "calls/voice_tags.vtt").read_text(encoding="utf-8")
    conv = parse(text)
    assert conv.id == "conversation" and conv.metadata["format"] == "vtt"
    assert parse("Dana: Hi, is now a good time?\nLee: Sure, go ahead.").speakers == ["Dana", "Lee"]


def test_parse_errors_name_the_text_and_the_problem():
    with pytest.raises(ReadError, match=r"^crm-note-17: not a transcript or email"):
        parse("just a sentence with no speakers", name="crm-note-17")
    with pytest.raises(ReadError, match=r"many\.tsv: holds \d+ conversations"):
        parse((FIXTURES / "calls/many.tsv").read_bytes(), name="many.tsv")
    with pytest.raises(TypeError, match=r"not \w*Path; for a file, use read\(path\)"):
        parse(FIXTURES / "calls/plain.txt")
