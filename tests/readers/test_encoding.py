import pytest

from reciprocity_nlp import ReadError, read
from reciprocity_nlp.readers.encoding import decode_bytes
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


def test_undecodable_bytes_are_replaced_not_fatal():
    assert decode_bytes(b"Sam: caf\xe9 \x81 ok\n") == "Sam: café \ufffd ok\n"


def test_binary_is_refused_with_a_reason():
    with pytest.raises(ReadError, match="binary"):
        decode_bytes(bytes(range(256)) * 20, "blob.bin")


def test_utf16_without_bom():
    assert decode_bytes("Sam: hi\n".encode("utf-16-le")) == "Sam: hi\n"
