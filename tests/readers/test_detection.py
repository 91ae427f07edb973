import pytest

from reciprocity_nlp import FORMATS, ReadError, iter_conversations, parse, read
from reciprocity_nlp.readers import detect_format, iter_files
from tests.conftest import FIXTURES

EXPECTED = {
    "calls/plain.txt": "text", "calls/timestamped_brackets.txt": "timestamped", "calls/timestamped_bare.txt": "timestamped",
    "calls/otter.txt": "otter", "calls/zoom.txt": "zoom", "calls/voice_tags.vtt": "vtt", "calls/prefixes.srt": "srt",
    "calls/youtube.sbv": "sbv",
    "calls/whisperx.json": "json", "calls/table.csv": "csv", "emails/plain_iphone.eml": "eml",
    "emails/thread.mbox": "mbox", "emails/pasted_outlook.txt": "pasted", "emails/pasted_gmail.txt": "pasted",
    "emails/original_message.txt": "pasted",
}


@pytest.mark.parametrize("rel, fmt", sorted(EXPECTED.items()))
def test_detect(rel, fmt):
    path = FIXTURES / rel
    assert detect_format(path.read_bytes(), path) == fmt


@pytest.mark.parametrize("rel", ["calls/voice_tags.vtt", "calls/prefixes.srt", "calls/youtube.sbv", "calls/whisperx.json",
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
    assert read(f, format="Timestamped").speakers == ["Ann", "Ben"]  # a format's name in any case
    with pytest.raises(ValueError, match="unknown format"):
        read(f, format="docx")
    assert "vtt" in FORMATS


def test_folder_is_read_recursively_in_order():
    names = [p.name for p in iter_files(FIXTURES / "emails")]
    assert names == sorted(names)
    convs = list(iter_conversations(FIXTURES / "calls"))
    assert len(convs) == len(list(iter_files(FIXTURES / "calls"))) + 2  # many.tsv and gong_transcript.json hold two


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


def test_special_files_and_symlink_loops_are_read_errors_not_hangs(tmp_path):
    """A pipe would block the reader for ever and a device never ends (a security review hung a run on each)."""
    import os

    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    for name in ("pipe.txt", "zero.txt"):
        with pytest.raises(ReadError, match="not a regular file"):
            read(tmp_path / name)
    with pytest.raises(ReadError, match="cannot read file: Too many levels of symbolic links"):
        read(tmp_path / "loop.txt")


def test_too_large_files_and_conversations_are_read_errors(tmp_path, monkeypatch):
    import reciprocity_nlp.readers as readers
    from reciprocity_nlp.readers import base

    call = tmp_path / "call.txt"
    call.write_text("".join(f"{'Dana' if i % 2 else 'Sam'}: ok sure.\n" for i in range(40)))
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    with pytest.raises(ReadError, match=r"call.txt: 0 MB: too large to read at once \(at most 0 MB\)"):
        read(call)
    monkeypatch.undo()
    monkeypatch.setattr(base, "MAX_TURNS", 39)
    with pytest.raises(ReadError, match="40 speaker turns: too many for one conversation"):
        read(call)
    monkeypatch.setattr(base, "MAX_TURNS", 40)
    monkeypatch.setattr(base, "MAX_CONVERSATION_CHARS", 100)
    with pytest.raises(ReadError, match="320 characters of speech: too long for one conversation"):
        read(call)


def test_symlinked_folders_are_followed_once(tmp_path):
    (tmp_path / "calls").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "a.txt").write_text("Ann: hi\nBen: hello\n")
    (tmp_path / "calls" / "linked").symlink_to(tmp_path / "other")
    (tmp_path / "calls" / "up").symlink_to(tmp_path / "calls")  # a loop back to the top
    assert [p.relative_to(tmp_path).as_posix() for p in iter_files(tmp_path / "calls")] == ["calls/linked/a.txt"]


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
