"""Word .docx transcripts, as Teams, Otter and Stream download them: the text of the document's paragraphs, read as
the text transcript it holds (`Name  0:03` then the words, or the older Teams `0:0:1.2 --> 0:0:7.9` blocks).

python-docx reads the document; its XML parser resolves no entities. Every part of the package is inflated when it is
opened, so the parts' inflated size is checked first, reading each no further than the limit allows: a small file that
would inflate to gigabytes is refused, never inflated.
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from pathlib import Path

from reciprocity_nlp.errors import ReadError

MAX_INFLATED_BYTES = 128 * 2**20  # all the parts of a .docx inflated; a ten-hour transcript's are a few MB
_ZIP = b"PK\x03\x04"  # how a zip file starts: a Word .docx among others


def is_word_docx(data: bytes, path: str | Path | None = None) -> bool:
    """Whether `data` is a Word .docx file: a zip holding `[Content_Types].xml` and `word/` entries, or named .docx."""
    return data.startswith(_ZIP) and (
        (b"[Content_Types].xml" in data and b"word/" in data) or Path(path or "").suffix.lower() == ".docx")


def _check_inflated_size(archive: zipfile.ZipFile, path: str | Path | None) -> None:
    """A ReadError when the parts would inflate past `MAX_INFLATED_BYTES` (by what inflating them gives, not by the
    sizes the archive claims, which a crafted file can understate)."""
    left = MAX_INFLATED_BYTES
    for info in archive.infolist():
        with archive.open(info) as part:
            while chunk := part.read(min(left + 1, 2**20)):
                left -= len(chunk)
                if left < 0:
                    raise ReadError(path, f"a Word .docx file whose parts inflate past {MAX_INFLATED_BYTES // 2**20} "
                                          "MB, more than any transcript: export the transcript as .vtt or .txt")


def docx_text(data: bytes, path: str | Path | None = None) -> str:
    """The text of a .docx file's paragraphs, one line each (a line break inside one is a line too); a ReadError
    naming the file when it cannot be opened or holds no text in its paragraphs."""
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
    if not text.strip():
        raise ReadError(path, "a Word .docx file with no text in its paragraphs (a transcript in a table or text box "
                              "is not read): export the transcript as .vtt or .txt")
    return text
