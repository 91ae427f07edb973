import codecs

import pytest

from reciprocity_nlp import ReadError, read
from reciprocity_nlp.readers.encoding import decode_bytes, decode_windows_1252, windows_codec, without_bom
from tests.conftest import FIXTURES

CALLS = FIXTURES / "calls"


@pytest.mark.parametrize("name, first", [
    ("utf16.txt", "Hello from UTF-16."),
    ("utf8_bom.txt", "Hello with a BOM."),
    ("cp1252.txt", "Café meeting at 10? It’s on me."),
])
def test_encodings(name, first):
    conv = read(CALLS / name)
    assert conv.turns[0].speaker == "Sam Patel"
    assert conv.turns[0].text == first


@pytest.mark.parametrize("data, expected", [
    (codecs.BOM_UTF8 + b"Subject: Caf\xe9\n", b"Subject: Caf\xe9\n"),  # the rest as it is, Latin-1 bytes and all
    ("Subject: Café\n".encode("utf-16"), "Subject: Café\n".encode()),
    (codecs.BOM_UTF16_BE + "Subject: Café\n".encode("utf-16-be"), "Subject: Café\n".encode()),
    ("Subject: Café\n".encode("utf-32"), "Subject: Café\n".encode()),
    (b"Subject: Caf\xe9\n", b"Subject: Caf\xe9\n"),
])
def test_bytes_without_their_bom_are_utf_8_when_it_marks_utf_16_or_32(data, expected):
    assert without_bom(data) == expected


def test_undecodable_bytes_are_replaced_not_fatal():
    assert decode_bytes(b"Sam: caf\xe9 \x81 ok\n") == "Sam: café \ufffd ok\n"


def test_binary_is_refused_with_a_reason():
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(bytes(range(256)) * 20, "blob.bin")


def test_utf16_without_bom():
    assert decode_bytes("Sam: hi\n".encode("utf-16-le")) == "Sam: hi\n"


def test_transcript_in_a_legacy_cjk_charset_is_not_read_as_cp1252():
    japanese = "田中: 来週の面接の時間を教えていただけますか？\n佐藤: 火曜日の午前十時はいかがでしょうか。\n"
    assert decode_bytes(japanese.encode("shift_jis")) == japanese
    chinese = "王伟: 您好，请问这个职位的薪资范围是多少？\n"
    assert decode_bytes(chinese.encode("gb2312")) == chinese


def test_western_transcript_without_utf8_stays_cp1252():
    text = "Élodie: le délai est de cinq jours, à partir de la réception du bon de commande.\n"
    assert decode_bytes(text.encode("cp1252")) == text


def test_windows_1252_as_the_whatwg_decoder_reads_it():
    # The five bytes Windows-1252 leaves undefined stay the C1 controls they are in Latin-1, never an error.
    assert decode_windows_1252(b"\x93caf\xe9\x94 \x80 \x81\x9d") == "“café” € \x81\x9d"


@pytest.mark.parametrize("codepage, codec", [
    (1252, "cp1252"), (1251, "cp1251"), (932, "cp932"), (65001, "utf-8"), (20127, "ascii"), (28591, "iso8859-1"),
    (28605, "iso8859-15"), (1200, "utf-16-le"), (50220, "iso2022_jp"), (54936, "gb18030"), (10000, "mac-roman"),
    (None, None), (0, None), (-1, None), (28602, None), (99999, None),
])
def test_a_windows_code_page_as_pythons_codec(codepage, codec):
    assert windows_codec(codepage) == codec


@pytest.mark.parametrize("codepage, codec", [
    (1252, "cp1252"), (1251, "cp1251"), (932, "cp932"), (65001, "utf-8"),
    (20127, None), (28591, None), (1200, None), (50220, None), (54936, None), (None, None), (0, None), (-1, None),
])
def test_an_ansi_code_page_is_only_one_python_names_cp_n(codepage, codec):
    # An RTF's \ansicpg: a page Python knows only by another name (ISO, UTF-16, Mac) leaves its reader's own.
    assert windows_codec(codepage, ansi=True) == codec
