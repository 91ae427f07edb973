"""Word .docx transcripts, as Teams, Otter and Stream download them: the text of the document's paragraphs, read as
the text transcript it holds (`Name  0:03` then the words, or the older Teams `0:0:1.2 --> 0:0:7.9` blocks).

python-docx reads the document; its XML parser resolves no entities. Every part of the package is inflated when it is
opened, so the parts' inflated size is checked first, reading each no further than the limit allows: a small file that
would inflate to gigabytes is refused, never inflated. Their elements are counted as they are read, so a small file
of millions of empty paragraphs is refused too, never built into python-docx's objects.
"""

from __future__ import annotations

import io
import lzma
import re
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

from reciprocity_nlp.errors import ReadError

MAX_INFLATED_BYTES = 128 * 2**20  # all the parts of a .docx inflated; a ten-hour transcript's are a few MB
# python-docx makes a Python object of each paragraph and run it reads (some 20 µs each), and lxml a node of every
# element, so few bytes can ask for much work: 4 million empty paragraphs, a 69 KB file, took 74 s and 1.6 GB. A
# ten-hour call (some 10,000 turns: 20,000 paragraphs of a few runs, a dozen elements a paragraph) has under 100,000
# paragraphs and runs and 300,000 elements; even base.MAX_TURNS (50,000) turns at two paragraphs of two runs each
# are under these limits, and a file at them is read in under 10 s.
MAX_TEXT_ELEMENTS = 400_000  # paragraphs, runs and hyperlinks: python-docx reads each as an object
MAX_ELEMENTS = 2_000_000  # every element
# A paragraph, run or hyperlink start tag, whatever its prefix (the namespace the prefix names makes a w:p); linear:
# each '<' is tried once, over its own tag name.
_TEXT_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:p|r|hyperlink)[\s/>]")
TABLES_NOT_READ = "the text of its tables is not read: export the transcript as .vtt or .txt"
_ZIP = b"PK\x03\x04"  # how a zip file starts: a Word .docx among others


def is_word_docx(data: bytes, path: str | Path | None = None) -> bool:
    """Whether `data` is a Word .docx file: a zip holding `[Content_Types].xml` and `word/` entries, or named .docx."""
    return data.startswith(_ZIP) and (
        (b"[Content_Types].xml" in data and b"word/" in data) or Path(path or "").suffix.lower() == ".docx")


def is_lock_file(data: bytes, path: str | Path | None = None) -> bool:
    """Whether `data` is the lock file Word keeps beside a document open in it (`~$call.docx`, or `~$` and the name
    cut short): a few hundred bytes naming who has it open, left in the folder while it is."""
    return Path(path or "").name.startswith("~$") and len(data) <= 4096 and not data.startswith(_ZIP)


class _Elements:
    """The start tags in a package's parts, counted chunk by chunk as they are inflated (a tag cut at a chunk's end
    is counted with the next); a ReadError once they pass `MAX_TEXT_ELEMENTS` or `MAX_ELEMENTS`. Every part is
    counted: python-docx finds the document by its relationships, whatever its part's name."""

    def __init__(self, path: str | Path | None) -> None:
        self.path, self.text, self.all, self.carry = path, 0, 0, b""

    def add(self, chunk: bytes, last: bool = False) -> None:
        data = self.carry + chunk
        cut = data.rfind(b"<")
        cut = len(data) if last or cut < 0 or len(data) - cut > 64 else cut
        data, self.carry = data[:cut], data[cut:]
        self.text += len(_TEXT_TAG.findall(data))
        self.all += data.count(b"<") - data.count(b"</")
        if self.text > MAX_TEXT_ELEMENTS or self.all > MAX_ELEMENTS:
            raise ReadError(self.path, f"a Word .docx file of more than {MAX_TEXT_ELEMENTS:,} paragraphs and runs or "
                                       f"{MAX_ELEMENTS:,} elements, more than any transcript: export the transcript "
                                       "as .vtt or .txt")


def _check_inflated_size(archive: zipfile.ZipFile, path: str | Path | None) -> None:
    """A ReadError when the parts would inflate past `MAX_INFLATED_BYTES` (by what inflating them gives, not by the
    sizes the archive claims, which a crafted file can understate), or hold more elements than python-docx should
    be asked to build (see `_Elements`)."""
    left = MAX_INFLATED_BYTES
    elements = _Elements(path)
    for info in archive.infolist():
        with archive.open(info) as part:
            while chunk := part.read(min(left + 1, 2**20)):
                left -= len(chunk)
                if left < 0:
                    raise ReadError(path, f"a Word .docx file whose parts inflate past {MAX_INFLATED_BYTES // 2**20} "
                                          "MB, more than any transcript: export the transcript as .vtt or .txt")
                elements.add(chunk)
        elements.add(b"", last=True)


class DocxText(NamedTuple):
    """A .docx file's paragraphs' text, and whether its tables hold text (which is not read)."""

    text: str
    in_tables: bool


def docx_text(data: bytes, path: str | Path | None = None) -> DocxText:
    """The text of a .docx file's paragraphs, one line each (a line break inside one is a line too); a ReadError
    naming the file when it cannot be opened or holds no text in its paragraphs (saying so when its tables do)."""
    import docx  # python-docx, imported when a .docx is read
    from docx.opc.exceptions import OpcError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_inflated_size(archive, path)
        document = docx.Document(io.BytesIO(data))
    except ReadError:
        raise
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, RuntimeError, OSError, EOFError, ValueError, TypeError,
            KeyError, AttributeError, SyntaxError, OpcError) as exc:
        # A part zipfile cannot inflate (corrupt: zlib.error; deflate64 or another method: NotImplementedError, a
        # RuntimeError; encrypted: RuntimeError), and python-docx and lxml's own ways (lxml's are SyntaxErrors).
        name = "zlib.error" if isinstance(exc, zlib.error) else type(exc).__name__  # zlib's is called 'error'
        raise ReadError(path, f"a Word .docx file that cannot be opened ({name}: {exc})") from exc
    text = "\n".join(p.text for p in document.paragraphs)
    in_tables = any((t.text or "").strip() for t in document.element.body.xpath(".//w:tbl//w:t"))
    if not text.strip():
        raise ReadError(path, f"a Word .docx file whose text is all in tables: {TABLES_NOT_READ}" if in_tables else
                              "a Word .docx file with no text in its paragraphs (a transcript in a text box is not "
                              "read): export the transcript as .vtt or .txt")
    return DocxText(text, in_tables)
