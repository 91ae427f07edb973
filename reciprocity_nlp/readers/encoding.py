"""Turn raw bytes into text: BOMs, UTF-16, legacy Windows encodings, a guess at legacy CJK and Thai charsets, never fatal."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from reciprocity_nlp.errors import ReadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ASCII_BYTES = bytes(range(0x80))
# Labels the WHATWG Encoding Standard decodes as windows-1252 (plus Python's "latin-1"), as browsers and
# mail clients do: text that says Latin-1 or ASCII is usually Windows-1252, curly quotes and dashes included.
WINDOWS_1252_LABELS = frozenset({
    "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
    "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin-1", "latin1", "us-ascii",
    "windows-1252", "x-cp1252",
})
# Latin-1's C1 controls (U+0080-U+009F) -> the Windows-1252 characters of those bytes; the five bytes
# Windows-1252 leaves undefined stay the controls, as in the WHATWG decoder.
_C1_AS_WINDOWS_1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0)
                       if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
_LEGACY_SHARE = 0.15  # share of high bytes above which text is checked for a CJK or Thai charset
# Windows code pages Python does not know as "cp<n>": the ISO, Unicode, Mac and other pages a message's MAPI properties
# may name (PidTagMessageCodepage, PidTagInternetCodepage).
_CODEPAGES = {20127: "ascii", 28591: "latin-1", 65001: "utf-8", 1200: "utf-16-le", 50220: "iso2022_jp",
              50221: "iso2022_jp", 50222: "iso2022_jp", 51932: "euc_jp", 20932: "euc_jp", 51949: "euc_kr",
              54936: "gb18030", 52936: "hz", 20866: "koi8_r", 21866: "koi8_u", 10000: "mac_roman",
              **{28590 + n: f"iso8859_{n}" for n in range(2, 16)}}


def decode_bytes(data: bytes, path: object = None) -> str:
    """Decode a text file's bytes.

    A byte-order mark wins; otherwise UTF-8, then a legacy CJK or Thai charset when the bytes
    are mostly high bytes, then Windows-1252; undecodable bytes are replaced rather than raised.
    Bytes that look like a binary file raise ReadError.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    if not data:
        return ""
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a BOM puts a NUL beside every ASCII character.
        evens, odds = sample[0::2].count(0), sample[1::2].count(0)
        if odds > 0.4 * len(sample) / 2 and evens == 0:
            return data.decode("utf-16-le", errors="replace")
        if evens > 0.4 * len(sample) / 2 and odds == 0:
            return data.decode("utf-16-be", errors="replace")
        raise ReadError(path, "not a transcript or email: binary data (NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode(legacy_charset(data) or "cp1252", errors="replace")
    if _looks_binary(text):
        raise ReadError(path, "not a transcript or email: binary data")
    return text.replace("\x00", "")


def without_bom(data: bytes) -> bytes:
    """Bytes a reader parses as bytes (an email: ASCII headers, then parts each in its own charset) without the byte-order
    mark a text editor or an exporter put first: after a UTF-8 one the rest as it is, and UTF-16 or UTF-32 text, which
    only its BOM shows, in UTF-8, so its headers are ASCII again."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            rest = data[len(bom):]
            return rest if encoding == "utf-8" else rest.decode(encoding, errors="replace").encode("utf-8")
    return data


def decode_windows_1252(data: bytes) -> str:
    """Bytes labelled Latin-1, ASCII or Windows-1252, read as the WHATWG windows-1252 decoder reads
    them (never fails): `=92` is ’ and `=96` is –, not invisible control characters."""
    return as_windows_1252(data.decode("latin-1"))


def as_windows_1252(text: str) -> str:
    """Text decoded as Latin-1, with its C1 controls read as the Windows-1252 characters they stand for."""
    return text.translate(_C1_AS_WINDOWS_1252)


def windows_codec(codepage: int | None, *, ansi: bool = False) -> str | None:
    """Python's name for the codec of a Windows code page number; None when it has none (None, 0, a page Python does
    not know). With `ansi`, only a page Python knows as "cp<n>", as an RTF's `\\ansicpg` names one: the RTF reader
    keeps the page it reads in (Windows-1252 at first) for the others: 28591 as Python's Latin-1 would make the bytes
    0x80-0x9F C1 controls, and a multi-byte page such as 1200 (UTF-16) would not read its single bytes."""
    if not codepage:
        return None
    try:
        return codecs.lookup(f"cp{codepage}" if ansi else _CODEPAGES.get(codepage, f"cp{codepage}")).name
    except LookupError:
        return None


def legacy_charset(data: bytes) -> str | None:
    """The legacy charset of bytes that are mostly high bytes, or None.

    Chinese, Japanese, Korean or Thai text in a legacy charset reads as Latin-1 mojibake; Western
    text has a few accented letters, these have a high byte in every other position.
    charset-normalizer guesses which encoding it is.
    """
    if len(data.translate(None, _ASCII_BYTES)) < _LEGACY_SHARE * len(data):
        return None
    best = from_bytes(data).best()
    return best.encoding if best is not None else None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b")
    bad = sample.count("\ufffd")
    return (control + bad) / len(sample) > 0.1
