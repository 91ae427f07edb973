"""Outlook's TNEF (a winmail.dat attachment, `application/ms-tnef`): the message body it carries.

Outlook sends mail written in its rich text format to outside recipients as a winmail.dat, and Gmail and Thunderbird
keep it as an attachment: the words are inside it. tnefparse reads the stream; the body is plain text, HTML, or
compressed RTF, which `rtf` reads.

tnefparse trusts the counts it reads (a property count of four billion loops four billion times; a list of four
billion numbers is built), and copies the rest of the stream at every attribute (a megabyte of tiny attributes takes
seconds, ten take minutes). So the stream's attributes are walked first, only the message's code page and body
attributes are handed to it, and only once every count in their property list is seen to fit in its bytes.
"""

from __future__ import annotations

import struct
from email.message import Message
from typing import NamedTuple

from reciprocity_nlp.readers.encoding import WINDOWS_1252_LABELS, decode_windows_1252
from reciprocity_nlp.readers.rtf import RtfError, compressed_rtf_text

_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_SIGNATURE = 0x223E9F78
_MESSAGE = 1  # the level of the message's own attributes (an attachment's are level 2)
_OEM_CODEPAGE, _PROPERTIES, _BODY = 0x9007, 0x9003, 0x800C  # attOemCodepage, attMsgProps, attBody
_KEPT = (_OEM_CODEPAGE, _PROPERTIES, _BODY)  # in the order tnefparse needs them: the code page first
_PR_BODY, _PR_RTF_COMPRESSED = 0x1000, 0x1009
_MULTIPLE = 0x1000  # a property type's flag for a list of values
_NAMED = 0x8000  # property ids from here are named properties, a GUID and a number or name before the value
# MAPI property types of a fixed size, and those whose value is counted and sized (strings, binary, objects).
_FIXED = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x0014: 8,
          0x0040: 8, 0x0048: 16}
_SIZED = frozenset({0x0000, 0x000D, 0x001E, 0x001F, 0x0102})


class TnefError(ValueError):
    """A winmail.dat whose body cannot be read; the message says why."""


class Body(NamedTuple):
    """A winmail.dat's message body: plain text, or HTML; '' when it holds none."""

    text: str
    html: bool


def is_tnef(part: Message) -> bool:
    """Whether a MIME part is a winmail.dat: typed as TNEF, or named winmail.dat (and not text)."""
    return part.get_content_type() in _TNEF_TYPES or (
        (part.get_filename() or "").lower() == "winmail.dat" and part.get_content_maintype() != "text")


def tnef_body(data: bytes) -> Body:
    """The message body a winmail.dat holds: its plain text, else its HTML, else its RTF (the HTML or text Outlook
    encapsulated in it when it did); a TnefError saying what is wrong when it cannot be read."""
    from tnefparse import TNEF  # imported when a winmail.dat is read

    stream, rtf = _message_stream(data)
    try:
        tnef = TNEF(stream, do_checksum=False)
    except (ValueError, LookupError, TypeError, struct.error) as exc:
        raise TnefError(f"{type(exc).__name__}: {exc}") from exc
    # A body property of another type (a number, in a broken stream) is no body.
    plain, html = (value if isinstance(value, str | bytes) else "" for value in (tnef.body, tnef.htmlbody))
    if plain:
        return Body(_decoded(plain, tnef.codepage), html=False)
    if html:
        return Body(_decoded(html, None), html=True)
    if not rtf:
        return Body("", html=False)
    try:
        return Body(*compressed_rtf_text(rtf))
    except RtfError as exc:
        raise TnefError(str(exc)) from exc


def _decoded(value: str | bytes, codepage: str | None) -> str:
    """A body tnefparse left as bytes (the old attBody, an HTML body with no code page given) read as UTF-8 when it is
    that, else in the stream's code page (Windows-1252 as browsers read it)."""
    if isinstance(value, str):
        return value
    value = value.rstrip(b"\0")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if codepage and codepage.lower() not in WINDOWS_1252_LABELS:
        try:
            return value.decode(codepage, errors="replace")
        except LookupError:
            pass
    return decode_windows_1252(value)


def _message_stream(data: bytes) -> tuple[bytes, bytes]:
    """A TNEF stream of `data`'s message code page and body attributes alone (the first of each), and the compressed
    RTF body in them (b'' when none); a TnefError when `data` is no TNEF stream, an attribute runs past its end or a
    count or size in the message's properties does not fit in them."""
    if len(data) < 6 or struct.unpack_from("<I", data)[0] != _SIGNATURE:
        raise TnefError("it is not a TNEF stream (no TNEF signature)")
    kept: dict[int, bytes] = {}
    at = 6
    while at < len(data):
        # A level, an id and a length, the value, a checksum; NUL bytes after the last attribute are padding.
        level, attribute, length = struct.unpack_from("<BII", data, at) if at + 9 <= len(data) else (0, 0, 0)
        end = at + 11 + length
        if end > len(data):
            if data[at:].strip(b"\0"):
                raise TnefError(f"it is cut short: the attribute at byte {at:,} runs past its end")
            break
        if level == _MESSAGE and attribute & 0xFFFF in _KEPT:
            kept.setdefault(attribute & 0xFFFF, data[at:end])
        at = end
    # A stream that names no code page is read in Windows-1252 (tnefparse fails on its 8-bit strings without one).
    kept.setdefault(_OEM_CODEPAGE, _attribute(0x00069007, struct.pack("<II", 1252, 0)))
    values = _property_values(kept[_PROPERTIES][9:-2]) if _PROPERTIES in kept else {}
    if _PR_BODY in values:
        kept.pop(_BODY, None)  # the old attBody, in the OEM code page, would take the place of the Unicode body
    return data[:6] + b"".join(kept[k] for k in _KEPT if k in kept), values.get(_PR_RTF_COMPRESSED, b"")


def _attribute(attribute: int, value: bytes) -> bytes:
    """A message attribute as TNEF writes it: level, id, length, the value and its checksum."""
    return struct.pack("<BII", _MESSAGE, attribute, len(value)) + value + struct.pack("<H", sum(value) & 0xFFFF)


def _property_values(block: bytes) -> dict[int, bytes]:
    """The first value of each counted property (a string, bytes) in a MAPI property list, read the way tnefparse reads
    the list; a TnefError when a count or size in it runs past its end (tnefparse would go on counting)."""
    end = len(block)
    found: dict[int, bytes] = {}

    def number(at: int) -> int:
        if at + 4 > end:
            raise TnefError("its message properties are corrupt: a count or size in them runs past their end")
        return struct.unpack_from("<I", block, at)[0]

    at = 4
    for _ in range(number(0)):  # each property takes 4 bytes at least, so a count past them fails here
        tag = number(at)
        kind, name, at = tag & 0xFFFF, tag >> 16, at + 4
        if name >= _NAMED:  # a GUID, then 0 and a number, or 1 and a sized name
            at += 20 + (4 if number(at + 16) == 0 else 4 + _padded(number(at + 20)))
        multiple, values = bool(kind & _MULTIPLE), 1
        if multiple:  # tnefparse reads one value of an empty list
            kind, values, at = kind ^ _MULTIPLE, number(at) or 1, at + 4
        if kind in _FIXED:
            size = _FIXED[kind]
            at += values * size + (2 if size == 2 and values % 2 else 0)
        elif kind in _SIZED:
            if not multiple:
                values, at = number(at), at + 4
            for _ in range(values):  # each value takes 4 bytes at least
                length = number(at)
                found.setdefault(name, block[at + 4:at + 4 + length])
                at += 4 + _padded(length)
        else:
            break  # tnefparse stops reading the list at a type it does not know
        if at > end:
            raise TnefError("its message properties are corrupt: a value in them runs past their end")
    return found


def _padded(length: int) -> int:
    """A value's length with the padding that brings it to a multiple of 4 bytes."""
    return length + -length % 4
