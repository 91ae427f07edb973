"""Rich Text Format as text: the body Outlook keeps as RTF in a winmail.dat.

Outlook keeps a message written in HTML or plain text inside its RTF (`\\fromhtml1`, `\\fromtext`, as Microsoft's
MS-OXRTFEX describes): the HTML is read back out (the `\\*\\htmltag` groups and the text between them, leaving out what
only the RTF shows, between `\\htmlrtf` and `\\htmlrtf0`), to be read as any HTML mail. A message written in RTF itself is
read as its text: paragraphs, tabs, table cells, and characters in the document's code page or as Unicode; font and
colour tables, pictures, field codes and the other destinations nobody reads are left out.

One pass over the tokens, each matched where the last ended, so the time is linear in the RTF's length whatever it
holds (the regular expressions of striprtf, a library that strips RTF, take minutes on a crafted megabyte).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from reciprocity_nlp.readers.encoding import windows_codec

MAX_RTF_BYTES = 4 * 2**20  # an RTF body inflated; a long thread's is a few hundred KB

# A control word with its number and the space that ends it, a byte in hex, a control symbol, a brace, line breaks
# (which RTF ignores) or a run of text.
_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\(.)|([{}])|[\r\n]+|([^\\{}\r\n]+)", re.S)
# Destinations nobody reads that are not marked ignorable (`\*`), as every newer one is.
_SKIPPED = frozenset({b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"object", b"fldinst", b"header",
                      b"headerl", b"headerr", b"headerf", b"footer", b"footerl", b"footerr", b"footerf"})
_CHARACTERS = {b"par": "\n", b"line": "\n", b"sect": "\n\n", b"page": "\n\n", b"row": "\n", b"cell": "\t",
               b"nestcell": "\t", b"tab": "\t", b"emdash": "\u2014", b"endash": "\u2013", b"bullet": "\u2022",
               b"lquote": "\u2018", b"rquote": "\u2019", b"ldblquote": "\u201c", b"rdblquote": "\u201d",
               b"emspace": " ", b"enspace": " ", b"qmspace": " "}
_SYMBOLS = {b"\\": "\\", b"{": "{", b"}": "}", b"~": "\u00a0", b"_": "-", b"-": "", b"\n": "\n", b"\r": "\n"}


class _Group(NamedTuple):
    """What holds inside a group, as it was when the group opened unless the group changes it."""

    skipped: bool = False  # a destination nobody reads
    tag: bool = False  # an encapsulated HTML tag (`\*\htmltag`)
    rtf_only: bool = False  # what only the RTF shows (`\htmlrtf`), not the encapsulated HTML or text
    uc: int = 1  # how many characters after a `\uN` stand in for it in readers without Unicode


class _Reader:
    """The state of one pass over an RTF document's tokens."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.pending = bytearray()  # text in the code page, decoded once a character of another kind comes
        self.codepage = "cp1252"
        self.html = False  # \fromhtml1: HTML is encapsulated
        self.group = _Group()
        self.outer: list[_Group] = []
        self.opening = False  # at a group's first control word, where a destination is named
        self.ignorable = False  # after `\*`: the group is a destination to leave out unless it is known
        self.stand_ins = 0  # characters still to leave out after a `\uN`

    @property
    def shown(self) -> bool:
        """Whether text here is the message's: not in a destination left out, nor what only the RTF shows."""
        return not self.group.skipped and (self.group.tag or not self.group.rtf_only)

    def emit(self, text: str) -> None:
        if self.shown:
            self.flush()
            self.out.append(text)

    def flush(self) -> None:
        if self.pending:
            self.out.append(self.pending.decode(self.codepage, errors="replace"))
            self.pending.clear()

    def brace(self, brace: bytes) -> bool:
        """Open or close a group; False once the document's outermost group is closed."""
        self.stand_ins = 0
        if brace == b"{":
            self.outer.append(self.group)
            self.opening = True
            return True
        if not self.outer:
            return True
        self.group = self.outer.pop()
        return bool(self.outer)

    def word(self, word: bytes, number: int | None) -> int:
        """Act on a control word; the number of bytes after it to pass over (`\\binN`'s data)."""
        self.stand_ins = 0
        if self.ignorable and self.html and word == b"htmltag":
            self.group = self.group._replace(tag=True, rtf_only=False)
        elif self.ignorable or (self.opening and word in _SKIPPED):
            self.group = self.group._replace(skipped=True)
        self.opening = self.ignorable = False
        if word in _CHARACTERS:
            self.emit(_CHARACTERS[word])
        elif word == b"u" and number is not None:
            self.emit(chr(number % 0x10000))  # -32768..32767, as RTF writes them: a UTF-16 code unit
            self.stand_ins = self.group.uc
        elif word == b"uc" and number is not None:
            self.group = self.group._replace(uc=max(number, 0))
        elif word == b"htmlrtf":
            self.group = self.group._replace(rtf_only=number != 0)
        elif word == b"fromhtml":
            self.html = True
        elif word == b"ansicpg" and number is not None:
            self.flush()
            self.codepage = windows_codec(number, ansi=True) or self.codepage
        elif word == b"bin" and number is not None:
            return max(number, 0)
        return 0

    def symbol(self, symbol: bytes) -> None:
        self.stand_ins = 0
        if symbol == b"*":
            self.ignorable = self.opening
            return
        self.opening = False
        if symbol in _SYMBOLS:
            self.emit(_SYMBOLS[symbol])

    def text(self, data: bytes) -> None:
        """Text, or a byte given in hex, in the document's code page."""
        self.opening = False
        if self.stand_ins:
            data, self.stand_ins = data[self.stand_ins:], max(self.stand_ins - len(data), 0)
        if data and self.shown:
            self.pending += data

    def result(self) -> str:
        self.flush()
        # A character beyond the BMP is written as two `\uN`, a UTF-16 surrogate pair.
        return "".join(self.out).encode("utf-16-le", "surrogatepass").decode("utf-16-le", errors="replace")


class RtfError(ValueError):
    """A compressed RTF body that is not read; the message says why."""


def compressed_rtf_text(data: bytes) -> tuple[str, bool]:
    """The text or HTML (see `rtf_text`) of a body in Outlook's compressed RTF ([MS-OXRTFCP]), as a winmail.dat or an
    Outlook .msg holds one. An RtfError when it cannot be inflated or is not RTF, or could inflate past
    `MAX_RTF_BYTES`: it inflates at most eightfold, so a bigger one is never inflated."""
    if len(data) > MAX_RTF_BYTES // 8:
        raise RtfError(f"its RTF body is {len(data) / 2**20:,.1f} MB compressed and could inflate to more than "
                       f"{MAX_RTF_BYTES // 2**20} MB, more than any message's text")
    from compressed_rtf import decompress  # imported when such a body is read

    try:
        rtf = decompress(data)
    except Exception as exc:  # compressed_rtf raises Exception itself for a bad CRC, size or compression type
        raise RtfError(f"its RTF body cannot be inflated ({type(exc).__name__}: {exc})") from exc
    if not rtf.lstrip().startswith(b"{\\rtf"):
        raise RtfError("its RTF body is not RTF")
    return rtf_text(rtf)


def rtf_text(data: bytes) -> tuple[str, bool]:
    """An RTF document's text, or the HTML encapsulated in it: (text or HTML, whether it is HTML)."""
    reader = _Reader()
    pos, end = 0, len(data)
    while pos < end:
        token = _TOKEN.match(data, pos)
        if token is None:  # a backslash at the very end
            break
        pos = token.end()
        word, number, hex_byte, symbol, brace, text = token.groups()
        if word is not None:
            pos += reader.word(word, int(number) if number is not None else None)
        elif hex_byte is not None:
            reader.text(bytes.fromhex(hex_byte.decode()))
        elif symbol is not None:
            reader.symbol(symbol)
        elif brace is not None:
            if not reader.brace(brace):
                break
        elif text is not None:
            reader.text(text)
    return reader.result(), reader.html
