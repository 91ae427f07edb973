"""Compound files ([MS-CFB] version 3) and Outlook .msg files ([MS-OXMSG]) made in memory, for tests.

Of the packages on PyPI, olefile only rewrites a stream in place, cfb only reads, cfbwrite is AGPL and
aspose-email-foss (MIT) is young, so this small writer makes them: a header, the FAT, the directory, and the MiniFAT
and mini stream that hold the streams under 4,096 bytes. Sibling entries hang as a balanced binary tree, all black: olefile, like any
reader, only follows the links. `outlook_msg` lays out a message's property stream and property streams.
"""

from __future__ import annotations

import struct
from datetime import datetime

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREE, END, FAT_SECTOR, NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b"") -> None:
        self.name, self.kind, self.data = name, kind, data  # kind: 1 storage, 2 stream, 5 root
        self.children: dict[str, _Entry] = {}
        self.sid = self.start = 0
        self.left = self.right = self.child = NONE


def _tree(streams: dict[str, bytes]) -> list[_Entry]:
    """Every entry, root first, from paths such as 'storage/stream'; storages are made as their streams need them."""
    root = _Entry("Root Entry", 5)
    for path, data in streams.items():
        *storages, name = path.split("/")
        node = root
        for storage in storages:
            node = node.children.setdefault(storage, _Entry(storage, 1))
        node.children[name] = _Entry(name, 2, data)
    entries: list[_Entry] = []

    def number(node: _Entry) -> None:
        node.sid = len(entries)
        entries.append(node)
        for kid in node.children.values():
            number(kid)

    number(root)
    for node in entries:
        # Siblings in the order [MS-CFB] compares names: shorter first, then by upper case.
        kids = sorted(node.children.values(), key=lambda e: (len(e.name), e.name.upper()))
        node.child = _balanced(kids)
    return entries


def _balanced(kids: list[_Entry]) -> int:
    """The sid of the middle sibling, the others hung left and right of it."""
    if not kids:
        return NONE
    mid = len(kids) // 2
    kids[mid].left, kids[mid].right = _balanced(kids[:mid]), _balanced(kids[mid + 1:])
    return kids[mid].sid


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(first, first + count):
        fat[i] = i + 1 if i < first + count - 1 else END


def _sectors(size: int, unit: int) -> int:
    return -(-size // unit)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file holding `streams` ({'storage/stream': bytes}), as Windows' structured storage writes one."""
    entries = _tree(streams)
    small = [e for e in entries if e.kind == 2 and 0 < len(e.data) < MINI_CUTOFF]
    large = [e for e in entries if e.kind == 2 and len(e.data) >= MINI_CUTOFF]
    mini = b""
    minifat: list[int] = []
    for e in small:
        e.start = len(minifat)
        count = _sectors(len(e.data), MINI_SECTOR)
        minifat += [len(minifat) + i + 1 if i < count - 1 else END for i in range(count)]
        mini += e.data.ljust(count * MINI_SECTOR, b"\0")
    for e in entries:
        if e.kind == 2 and not e.data:
            e.start = END
    root = entries[0]
    dir_count = _sectors(len(entries) * 128, SECTOR)
    minifat_count = _sectors(len(minifat) * 4, SECTOR)
    mini_count = _sectors(len(mini), SECTOR)
    content = dir_count + minifat_count + mini_count + sum(_sectors(len(e.data), SECTOR) for e in large)
    fat_count = 1
    while fat_count * (SECTOR // 4) < content + fat_count:
        fat_count += 1
    assert fat_count <= 109, "a test file this large needs a DIFAT, which this writer does not make"
    fat = [FREE] * (fat_count * SECTOR // 4)
    fat[:fat_count] = [FAT_SECTOR] * fat_count
    at = fat_count
    first_dir = at
    _chain(fat, at, dir_count)
    at += dir_count
    first_minifat = at if minifat_count else END
    _chain(fat, at, minifat_count)
    at += minifat_count
    root.start = at if mini_count else END
    root.data = mini
    _chain(fat, at, mini_count)
    at += mini_count
    body = mini.ljust(mini_count * SECTOR, b"\0")
    for e in large:
        count = _sectors(len(e.data), SECTOR)
        e.start = at
        _chain(fat, at, count)
        at += count
        body += e.data.ljust(count * SECTOR, b"\0")
    unused = dir_count * SECTOR // 128 - len(entries)  # unused entries: no name, no links
    directory = b"".join(_direntry(e) for e in entries) + _unused_entry() * unused
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
        0, fat_count, first_dir, 0, MINI_CUTOFF, first_minifat, minifat_count, END, 0)
    header += struct.pack("<109I", *(list(range(fat_count)) + [FREE] * (109 - fat_count)))
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat).ljust(minifat_count * SECTOR, b"\xff")
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + minifat_bytes + body


def _direntry(e: _Entry) -> bytes:
    name = (e.name + "\0").encode("utf-16-le")
    assert len(name) <= 64, f"a compound file name has at most 31 characters: {e.name!r}"
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), e.kind, 1, e.left, e.right, e.child, bytes(16), 0, 0, 0,
                       e.start, len(e.data))


def _unused_entry() -> bytes:
    return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NONE, NONE, NONE, bytes(16), 0, 0, 0, 0, 0)


# --------------------------------------------------------------------------- Outlook .msg

UNICODE, STRING8, BINARY, LONG, TIME = 0x001F, 0x001E, 0x0102, 0x0003, 0x0040
_FILETIME_EPOCH = datetime(1601, 1, 1).toordinal()


def filetime(when: datetime) -> int:
    """A Windows FILETIME: 100-nanosecond steps since 1601-01-01 UTC (`when` is in UTC)."""
    days = when.toordinal() - _FILETIME_EPOCH
    seconds = days * 86400 + when.hour * 3600 + when.minute * 60 + when.second
    return seconds * 10_000_000 + when.microsecond * 10


def _value_stream(prop: int, kind: int, value: object, codepage: str) -> bytes:
    """A string or binary property's stream: a string without its terminating NUL, which only its size counts."""
    if kind == UNICODE:
        return str(value).encode("utf-16-le")
    if kind == STRING8:
        return value if isinstance(value, bytes) else str(value).encode(codepage)
    assert kind == BINARY and isinstance(value, bytes), f"property {prop:04X}: give bytes for a binary property"
    return value


def property_storage(props: dict[tuple[int, int], object], header: bytes, prefix: str = "",
                     codepage: str = "cp1252") -> dict[str, bytes]:
    """The streams of one object: its `__properties_version1.0` (after `header`) and a stream for each string or
    binary property. `props` maps (property id, type) to a value: an int for LONG, a datetime or an int FILETIME
    for TIME, str or bytes for the others (STRING8 str in `codepage`)."""
    entries, streams = b"", {}
    for (prop, kind), value in props.items():
        tag = prop << 16 | kind
        if kind in (LONG, TIME):
            number = filetime(value) if isinstance(value, datetime) else int(value)
            entries += struct.pack("<IIQ", tag, 6, number)
            continue
        data = _value_stream(prop, kind, value, codepage)
        streams[f"{prefix}__substg1.0_{tag:08X}"] = data
        terminator = {UNICODE: 2, STRING8: 1}.get(kind, 0)
        entries += struct.pack("<IIII", tag, 6, len(data) + terminator, 0)
    streams[f"{prefix}__properties_version1.0"] = header + entries
    return streams


def outlook_msg(props: dict[tuple[int, int], object], recipients: list[dict[tuple[int, int], object]] = (),
                codepage: str = "cp1252", extra: dict[str, bytes] | None = None) -> bytes:
    """An Outlook .msg file: the message's properties, a `__recip_version1.0_#XXXXXXXX` storage for each recipient,
    and any `extra` streams ({'path': bytes}); the top-level property stream's 32-byte header counts the
    recipients."""
    header = struct.pack("<8sIIII8s", bytes(8), len(recipients), 0, len(recipients), 0, bytes(8))
    # The named property mapping storage every .msg has (its GUID, entry and string streams), empty here.
    streams = {f"__nameid_version1.0/__substg1.0_{n:04X}0102": b"" for n in (2, 3, 4)}
    streams.update(property_storage(props, header, codepage=codepage))
    for i, recipient in enumerate(recipients):
        streams.update(property_storage(recipient, bytes(8), f"__recip_version1.0_#{i:08X}/", codepage))
    streams.update(extra or {})
    return compound_file(streams)
