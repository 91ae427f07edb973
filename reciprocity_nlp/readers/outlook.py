"""Outlook .msg files, as Outlook desktop saves a mail dragged out of it: read as the email they hold, so quoting,
signatures and speakers work as for an .eml. Other compound files (an old Word or Excel file, an Outlook contact) are
named in the error that refuses them.

A .msg is a compound file (OLE2, [MS-CFB]), which olefile opens, holding the message's MAPI properties ([MS-OXMSG]):
fixed-size ones in the property stream `__properties_version1.0`, each string or binary one in a stream
`__substg1.0_<id><type>` (type 001F UTF-16LE, 001E 8-bit in the message's code page, 0102 bytes); each recipient's in a
storage `__recip_version1.0_#<n>`. A received mail keeps the RFC 822 headers it came with (PidTagTransportMessageHeaders),
which are preferred; a sent or unsent one has none, and its From, To, Cc, Date and Subject are made from its properties.
Its body is the HTML one, else the plain text, else the compressed RTF one (the HTML or text Outlook encapsulated in
it, else its own text; see `rtf`). A mail attached to it whole (an attachment storage `__attach_version1.0_#<n>` holding
the message in `__substg1.0_3701000D`, laid out as the file's own) is attached to the mail made as a message/rfc822 part.

A compound file states its own sizes, so few bytes can ask for much. The header's FAT, MiniFAT and DIFAT sector counts
are checked against the file's size before olefile reads its tables (olefile follows a DIFAT chain that loops back on
itself, adding to its FAT each time round: a 3 KB file ran for over a minute), the directory's size before olefile builds an
object of each entry, and each stream's size before it is read.
"""

from __future__ import annotations

import io
import struct
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

import olefile

from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.emails import MAX_ATTACHED_DEPTH, noted, read_message
from reciprocity_nlp.readers.encoding import windows_codec
from reciprocity_nlp.readers.mime import MAX_HEADER, message_from_bytes
from reciprocity_nlp.readers.rtf import RtfError, compressed_rtf_text

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # how a compound file starts
MAX_STREAM_BYTES = 32 * 2**20  # one property's stream; a long thread's HTML body is a few MB
MAX_READ_BYTES = 64 * 2**20  # all streams read, with the mini stream that holds the small ones
# olefile makes an object of every directory entry (some 30 µs each). [MS-OXMSG] allows 2,048 attachments, some 20
# entries each; a message with all of them and a thousand recipients has under 60,000 entries.
MAX_DIRECTORY_ENTRIES = 100_000
MAX_RECIPIENTS = 500  # read for To and Cc, whose headers keep mime.MAX_HEADER characters anyway
_COMPOUND = "a compound (OLE) file, as Outlook .msg and Office 97-2003 files are,"

# MAPI property ids ([MS-OXPROPS]) and types ([MS-OXCDATA]).
_MESSAGE_CLASS, _SUBJECT, _SUBMIT_TIME, _TRANSPORT_HEADERS = 0x001A, 0x0037, 0x0039, 0x007D
_RECIPIENT_TYPE, _SENDER_NAME, _SENDER_ADDRESS, _DELIVERY_TIME = 0x0C15, 0x0C1A, 0x0C1F, 0x0E06
_BODY, _RTF, _HTML = 0x1000, 0x1009, 0x1013
_DISPLAY_NAME, _ADDRESS, _SMTP_ADDRESS = 0x3001, 0x3003, 0x39FE
_INTERNET_CODEPAGE, _MESSAGE_CODEPAGE, _SENDER_SMTP = 0x3FDE, 0x3FFD, 0x5D01
_UNICODE, _STRING8, _BINARY = 0x001F, 0x001E, 0x0102
_PROPERTIES = "__properties_version1.0"
_RECIPIENT = "__recip_version1.0_#"
_ATTACHMENT = "__attach_version1.0_#"  # an attachment's storage, as olefile names it (lower case)
_ATTACH_METHOD, _ATTACH_EMBEDDED, _EMBEDDED_MESSAGE, _OBJECT = 0x3705, 5, 0x3701, 0x000D
_HEADERS = {1: "To", 2: "Cc"}  # PidTagRecipientType; Bcc (3) is not in a mail's headers
# The bodies, best first: PidTagHtml (bytes, or PidTagBodyHtml's string), then PidTagBody.
_BODIES = ((_HTML, "html", (_UNICODE, _BINARY, _STRING8)), (_BODY, "plain", (_UNICODE, _STRING8)))

# What other compound files are, by a stream at their root, and what to do with them.
_OTHER_FILES = (
    ("worddocument", "a Word 97-2003 document (.doc), which is not read: save it as .docx, or export the transcript "
                     "as .vtt or .txt"),
    ("workbook", "an Excel 97-2003 workbook (.xls), which is not read: save it as .csv"),
    ("book", "an Excel 5.0 workbook (.xls), which is not read: save it as .csv"),
    ("powerpoint document", "a PowerPoint 97-2003 presentation (.ppt), not a transcript or email"),
    ("encryptedpackage", "a password-protected Office document, which cannot be read: save a copy without the "
                         "password"),
)
# Outlook items that are not mail, by the start of their message class (PidTagMessageClass).
_ITEMS = {"ipm.contact": "contact", "ipm.distlist": "contact group", "ipm.appointment": "calendar appointment",
          "ipm.task": "task", "ipm.taskrequest": "task request", "ipm.stickynote": "note", "ipm.activity": "journal entry",
          "ipm.post": "public folder post", "report": "delivery report"}


def is_compound_file(data: bytes) -> bool:
    """Whether `data` is a compound file: an Outlook .msg, or an old Office document, never text."""
    return data.startswith(SIGNATURE)


def read_msg(data: bytes, path: str | Path | None = None) -> Conversation:
    """An Outlook .msg file, read as the .eml it holds (see `email_message`); the items attached to it that are not read
    are listed in `metadata["attached_not_read"]` with the .eml's own (see `emails.noted`)."""
    notes: list[str] = []
    conv = read_message(email_message(data, path, notes), path, "msg")
    return noted(conv, [*conv.metadata.get("attached_not_read", []), *notes])


def email_message(data: bytes, path: str | Path | None = None, notes: list[str] | None = None) -> EmailMessage:
    """The mail an Outlook .msg file holds: its headers and its best body (HTML, else plain text, else RTF), and each
    mail attached to it whole as a message/rfc822 part, as an .eml holds one (`_Message.email`; a note in `notes` for
    an attached item not read). A ReadError when it cannot be opened, passes a limit, is another compound file or
    Outlook item (naming what it is), or has its text only in an RTF body that cannot be read."""
    _check_header(data, path)
    try:
        with _CompoundFile(data, path) as ole:
            return _Message(ole, path).email(notes if notes is not None else [])
    except ReadError:
        raise
    except (OSError, struct.error, ValueError, IndexError, KeyError, TypeError, OverflowError, RecursionError) as exc:
        # olefile's errors (OleFileError is an OSError), and what it raises on the broken structures it does not check.
        raise ReadError(path, f"{_COMPOUND} that cannot be opened ({type(exc).__name__}: {exc})") from exc


def _check_header(data: bytes, path: str | Path | None) -> None:
    """A ReadError when the header is not [MS-CFB]'s or counts more FAT, MiniFAT or DIFAT sectors than the file can
    hold: olefile would read that many, going round the same sectors."""
    if len(data) < 512:
        raise ReadError(path, f"{_COMPOUND} that cannot be opened: shorter than its 512-byte header")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if shift not in (9, 12) or mini_shift != 6:
        raise ReadError(path, f"{_COMPOUND} that cannot be opened: sectors of 2^{shift} and 2^{mini_shift} bytes, not "
                              "512 or 4,096 and 64")
    fat, _, _, _, _, minifat, _, difat = struct.unpack_from("<8I", data, 0x2C)
    size = 1 << shift
    sectors = -(-len(data) // size) - 1
    per_sector = size // 4  # sector numbers in a FAT sector; a DIFAT sector holds one fewer and the next's
    if fat > -(-sectors // per_sector) + 1 or minifat > sectors or difat > -(-max(fat - 109, 0) // (per_sector - 1)):
        raise ReadError(path, f"{_COMPOUND} whose header counts more sectors than the file holds: damaged, not read")


class _CompoundFile(olefile.OleFileIO):
    """olefile's reader of a compound file in memory, within this module's limits: a directory of more than
    `MAX_DIRECTORY_ENTRIES` entries is refused before olefile makes an object of each, and a stream is read only
    while it and all read before it stay within `MAX_STREAM_BYTES` and `MAX_READ_BYTES`."""

    def __init__(self, data: bytes, path: str | Path | None) -> None:
        self.where, self.unread = path, MAX_READ_BYTES
        super().__init__(io.BytesIO(data))  # bytes, not a file name, even when shorter than olefile's 1,536

    def loaddirectory(self, sect: int) -> None:
        """olefile's, once the directory's chain of sectors is found short enough (a chain that loops ends where it
        comes round)."""
        chain: set[int] = set()
        most = MAX_DIRECTORY_ENTRIES * 128 // self.sectorsize + 1
        at = sect
        while 0 <= at < len(self.fat) and at not in chain and len(chain) < most:
            chain.add(at)
            at = self.fat[at]
        if len(chain) >= most:
            raise ReadError(self.where, f"{_COMPOUND} of more than {MAX_DIRECTORY_ENTRIES:,} streams and storages, "
                                        "more than any message: not read")
        super().loaddirectory(sect)

    def read_stream(self, entry: olefile.OleDirectoryEntry) -> bytes:
        """A stream's bytes, counted against the limits (a small stream's first read also reads the mini stream)."""
        size = entry.size
        cost = size + (self.root.size if size < self.minisectorcutoff and self.ministream is None else 0)
        if size > MAX_STREAM_BYTES or cost > self.unread:
            raise ReadError(self.where, f"an Outlook .msg file whose {entry.name} stream ({size:,} bytes) would take "
                                        f"what is read past {MAX_READ_BYTES // 2**20} MB (one stream may hold at most "
                                        f"{MAX_STREAM_BYTES // 2**20} MB), more than any message: not read")
        self.unread -= cost
        # olefile's own openstream finds the entry again by comparing the name with each sibling's
        return self._open(entry.isectStart, size).read()


def _filetime(value: int) -> datetime | None:
    """A Windows FILETIME (100-nanosecond steps since 1601) as a UTC datetime; None for 0 or out of range."""
    try:
        return datetime(1601, 1, 1, tzinfo=UTC) + timedelta(microseconds=value // 10) if value else None
    except OverflowError:
        return None


class _Storage:
    """One object's properties (the message's, or a recipient's): its property stream and its property streams."""

    def __init__(self, ole: _CompoundFile, node: olefile.OleDirectoryEntry, header: int) -> None:
        self.ole, self.node = ole, node
        stream = self.entry(_PROPERTIES)
        table = ole.read_stream(stream)[header:] if stream else b""
        # 16 bytes each: the tag (type, then id), flags, and 8 bytes holding a fixed-size value
        self.fixed = {tag >> 16: value for tag, _, value in struct.iter_unpack("<IIQ", table[:len(table) // 16 * 16])}

    def entry(self, name: str) -> olefile.OleDirectoryEntry | None:
        """The stream of that name in this object's storage, if any (names are matched whatever their case)."""
        entry = self.node.kids_dict.get(name.lower())
        return entry if entry is not None and entry.entry_type == olefile.STGTY_STREAM else None

    def raw(self, prop: int, kind: int) -> bytes | None:
        entry = self.entry(f"__substg1.0_{prop:04X}{kind:04X}")
        return self.ole.read_stream(entry) if entry else None

    def text(self, prop: int, codepage: str | None) -> str:
        """A string property, '' when it is missing; 8-bit strings in `codepage` (Windows-1252 when unknown)."""
        unicode = self.raw(prop, _UNICODE)
        if unicode is not None:
            return unicode.decode("utf-16-le", errors="replace").rstrip("\0")
        data = self.raw(prop, _STRING8)
        return data.rstrip(b"\0").decode(codepage or "cp1252", errors="replace") if data else ""

    def number(self, prop: int) -> int:
        """A fixed-size property (a 32-bit one in its low bytes), 0 when it is missing."""
        return self.fixed.get(prop, 0)


class _Message:
    """An Outlook item's properties, as the mail they describe: the file's own (`node` its root), or an item attached
    to it whole (`node` the attachment's embedded message storage, `depth` how many attachments deep)."""

    def __init__(self, ole: _CompoundFile, path: str | Path | None, node: olefile.OleDirectoryEntry | None = None,
                 depth: int = 0) -> None:
        self.ole, self.path, self.depth = ole, path, depth
        self.node = node if node is not None else ole.root
        kids = self.node.kids_dict
        if _PROPERTIES not in kids and not any(name.startswith("__substg1.0_") for name in kids):
            what = next((what for stream, what in _OTHER_FILES if stream in kids), None)
            raise ReadError(path, what or f"{_COMPOUND} but neither an Outlook message nor a Word, Excel or "
                                          "PowerPoint file: not a transcript or email")
        # The top-level property stream's header is 32 bytes, an embedded message's 24.
        self.props = _Storage(ole, self.node, 24 if depth else 32)
        internet = windows_codec(self.props.number(_INTERNET_CODEPAGE))
        self.strings = windows_codec(self.props.number(_MESSAGE_CODEPAGE)) or internet
        self.body_codec = internet or self.strings
        self.kind = self.props.text(_MESSAGE_CLASS, self.strings).strip()

    def email(self, notes: list[str]) -> EmailMessage:
        """The mail, each mail attached to it whole a message/rfc822 part (`_attach`)."""
        what = self._item()
        if what:
            raise ReadError(self.path, f"an Outlook {what} (message class {self.kind}), not a mail message: nothing to read")
        headers = self.props.text(_TRANSPORT_HEADERS, self.strings)
        # A received mail's own headers (its MIME ones go: the body is made anew); a sent one has none.
        msg = message_from_bytes(headers.strip().encode("utf-8", errors="replace") + b"\r\n\r\n")
        msg.clear_content()
        for name, value in self._headers().items():
            if name not in msg and value:
                msg[name] = " ".join(value.split())[:MAX_HEADER]
        self._set_body(msg)
        self._attach(msg, notes)
        return msg

    def _item(self) -> str | None:
        """What Outlook item this is when it is not a mail (a contact, an appointment...); None for a mail, a meeting
        request or an answer to one."""
        kind, lower = self.kind, self.kind.lower()
        if not kind or lower.startswith(("ipm.note", "ipm.schedule.meeting")):
            return None
        return _ITEMS.get("report" if lower.startswith("report.") else ".".join(lower.split(".")[:2]), "item")

    def _attach(self, msg: EmailMessage, notes: list[str]) -> None:
        """Attach to `msg` each mail attached to this item whole (PidTagAttachMethod 5: Outlook's "Forward as attachment",
        a mail dragged onto a mail), as a message/rfc822 part, for `emails` to read as an earlier message of the thread,
        as it reads an .eml's; an attached item that is no mail, or whose text cannot be read, is noted in `notes`.
        Deeper than `emails.MAX_ATTACHED_DEPTH` + 1, where `emails` notes rather than reads them, none are made."""
        if self.depth > MAX_ATTACHED_DEPTH:
            return
        for name in sorted(n for n in self.node.kids_dict if n.startswith(_ATTACHMENT)):
            storage = self.node.kids_dict[name]
            embedded = storage.kids_dict.get(f"__substg1.0_{_EMBEDDED_MESSAGE:04X}{_OBJECT:04X}".lower())
            if _Storage(self.ole, storage, 8).number(_ATTACH_METHOD) != _ATTACH_EMBEDDED or embedded is None:
                continue  # a file, not a message: as an .eml's attachments, not read
            subject = ""
            try:
                inner = _Message(self.ole, self.path, embedded, self.depth + 1)
                subject = inner.props.text(_SUBJECT, inner.strings).strip()
                if what := inner._item():
                    notes.append(f"an attached Outlook {what} ({subject!r}), not a mail message")
                    continue
                msg.add_attachment(inner.email(notes))
            except ReadError as exc:
                notes.append(f"an attached Outlook message ({subject!r}) that cannot be read: {exc.reason}")

    def _headers(self) -> dict[str, str]:
        """From, To, Cc, Date and Subject as the properties give them."""
        name = self.props.text(_SENDER_NAME, self.strings)
        address = self.props.text(_SENDER_SMTP, self.strings) or self.props.text(_SENDER_ADDRESS, self.strings)
        # An Exchange sender's PidTagSenderEmailAddress is an X.500 name (/O=.../CN=...), not an address.
        sender = formataddr((name, address)) if "@" in address else name
        sent = _filetime(self.props.number(_SUBMIT_TIME)) or _filetime(self.props.number(_DELIVERY_TIME))
        headers = {"From": sender, "Date": format_datetime(sent) if sent else "",
                   "Subject": self.props.text(_SUBJECT, self.strings)}
        for field, addresses in self._recipients().items():
            headers[field] = ", ".join(addresses)
        return headers

    def _recipients(self) -> dict[str, list[str]]:
        """The To and Cc recipients that have an address, as 'Name <address>' (a name alone is no address)."""
        out: dict[str, list[str]] = {}
        storages = sorted(name for name in self.node.kids_dict if name.startswith(_RECIPIENT))[:MAX_RECIPIENTS]
        for name in storages:
            recipient = _Storage(self.ole, self.node.kids_dict[name], 8)  # a recipient's header is 8 bytes
            field = _HEADERS.get(recipient.number(_RECIPIENT_TYPE) & 0xFF)
            address = recipient.text(_SMTP_ADDRESS, self.strings) or recipient.text(_ADDRESS, self.strings)
            if field and "@" in address:
                out.setdefault(field, []).append(formataddr((recipient.text(_DISPLAY_NAME, self.strings), address)))
        return out

    def _set_body(self, msg: EmailMessage) -> None:
        """The HTML body, else the plain one, else the RTF one, as the message's one part; bytes keep their code page
        as their charset, so they are decoded as an .eml's are."""
        for prop, subtype, kinds in _BODIES:
            for kind in kinds:
                data = self.props.raw(prop, kind)
                if not data or not data.strip(b"\0"):
                    continue
                if kind == _UNICODE:
                    msg.set_content(data.decode("utf-16-le", errors="replace").rstrip("\0"), subtype=subtype)
                else:
                    params = {"charset": self.body_codec} if self.body_codec else {}
                    msg.set_content(data.rstrip(b"\0"), "text", subtype, params=params)
                return
        if self.kind.lower().startswith("ipm.note.smime"):
            raise ReadError(self.path, "an S/MIME encrypted or signed Outlook message, whose text is in its smime.p7m "
                                       "attachment, which is not read")
        rtf = self.props.raw(_RTF, _BINARY)
        if rtf:
            try:
                text, html = compressed_rtf_text(rtf)
            except RtfError as exc:
                raise ReadError(self.path, f"an Outlook .msg file whose text is only in an RTF body that cannot be "
                                           f"read: {exc}") from exc
            msg.set_content(text, subtype="html" if html else "plain")
