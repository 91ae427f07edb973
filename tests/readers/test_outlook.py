"""Outlook .msg files read as the mail they hold, and the other compound files named in the errors that refuse them.
The files are made by `compound_files`, as [MS-CFB] and [MS-OXMSG] lay them out."""

import io
import struct
from datetime import datetime

import olefile
import pytest
from compressed_rtf import compress

from reciprocity_nlp import ReadError, read, read_file
from reciprocity_nlp.readers import outlook, parse_bytes
from reciprocity_nlp.readers.emails import read_eml
from tests.readers.compound_files import BINARY, LONG, STRING8, TIME, UNICODE, compound_file, outlook_msg
from tests.readers.test_rtf import ENCAPSULATED

RECEIVED_HEADERS = (
    "Received: from mx.mail.example (mx.mail.example [192.0.2.7]) by mx.brightpath.example; Tue, 4 Mar 2025 12:01:05 "
    "+0100\r\nFrom: Marcus Lee <marcus@mail.example>\r\nTo: Dana Whitfield <dana@brightpath.example>\r\n"
    "Subject: =?utf-8?q?RE=3A_Senior_Data_Engineer_=E2=80=93_salary?=\r\nDate: Tue, 4 Mar 2025 12:01:00 +0100\r\n"
    "Message-ID: <a1@mail.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n"
    '\tboundary="_000_a1_"\r\n\r\n')
REPLY_HTML = (
    "<html><head><style>p.MsoNormal{margin:0cm}</style></head><body><div class=WordSection1>"
    "<p class=MsoNormal>Thanks Dana, Thursday works.<o:p></o:p></p><p class=MsoNormal>Marcus<o:p></o:p></p>"
    "<div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>From:</b> Dana Whitfield "
    "&lt;dana@brightpath.example&gt;<br><b>Sent:</b> Monday, March 3, 2025 7:47 PM<br><b>To:</b> Marcus Lee "
    "&lt;marcus@mail.example&gt;<br><b>Subject:</b> Senior Data Engineer &#8211; salary</p></div>"
    "<p class=MsoNormal>Hi Marcus, the band is 80-90k. Does Thursday work?</p></div></body></html>")


def _mail(extra=None):
    """A mail's properties as Outlook keeps a sent one (no transport headers), with `extra` ones added."""
    props = {(0x001A, UNICODE): "IPM.Note", (0x0037, UNICODE): "Senior Data Engineer",
             (0x0C1A, UNICODE): "Dana Whitfield", (0x5D01, UNICODE): "dana@brightpath.example",
             (0x0C1F, UNICODE): "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN=DANA",
             (0x0039, TIME): datetime(2025, 3, 3, 18, 47), (0x0E06, TIME): datetime(2025, 3, 3, 18, 48),
             (0x3FFD, LONG): 1252, (0x3FDE, LONG): 65001,
             (0x1000, UNICODE): "Hi Marcus,\r\n\r\nThe band is 80-90k. Does Thursday work?\r\n\r\nBest,\r\nDana\r\n"}
    props.update(extra or {})
    return props


def _recipient(kind, name, address, smtp=None):
    props = {(0x0C15, LONG): kind, (0x3001, UNICODE): name, (0x3003, UNICODE): address}
    if smtp:
        props[(0x39FE, UNICODE)] = smtp
    return props


RECIPIENTS = [_recipient(1, "Marcus Lee", "marcus@mail.example"),
              _recipient(2, "Priya Raman", "/O=EXCHANGELABS/OU=EXCHANGE/CN=PRIYA", "priya@brightpath.example"),
              _recipient(2, "Old Contact", "/O=EXCHANGELABS/OU=EXCHANGE/CN=OLD"),  # no SMTP address: left out
              _recipient(3, "Hidden Boss", "boss@brightpath.example")]  # Bcc: in no header


def turns(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def read_msg(data, name="m.msg"):
    [conv] = parse_bytes(data, name)
    return conv


def test_the_test_writer_makes_files_olefile_reads_back():
    streams = {"small": b"x" * 10, "large": bytes(range(256)) * 40, "box/inner": b"hello", "box/sub/deep": b"y" * 5000,
               "empty": b"", **{f"many/s{i}": bytes([i]) * (i * 37) for i in range(120)}}
    with olefile.OleFileIO(io.BytesIO(compound_file(streams))) as ole:
        assert ole.parsing_issues == []
        assert {"/".join(p): ole.openstream(p).read() for p in ole.listdir()} == streams


def test_a_sent_mail_is_read_from_its_properties_as_the_same_mail_saved_as_eml_is():
    data = outlook_msg(_mail(), RECIPIENTS)
    message = outlook.email_message(data, "sent.msg")
    assert {k: message[k] for k in ("From", "To", "Cc", "Date", "Subject")} == {
        "From": "Dana Whitfield <dana@brightpath.example>", "To": "Marcus Lee <marcus@mail.example>",
        "Cc": "Priya Raman <priya@brightpath.example>", "Date": "Mon, 03 Mar 2025 18:47:00 +0000",
        "Subject": "Senior Data Engineer"}
    conv = parse_bytes(data, "sent.msg")[0]
    eml = read_eml(message.as_bytes(), "sent.eml")
    assert turns(conv) == turns(eml) == [
        ("Dana Whitfield", "Senior Data Engineer\n\nHi Marcus,\n\nThe band is 80-90k. Does Thursday work?\n\nBest,")]
    assert conv.id == "sent" and conv.metadata["format"] == "msg"
    assert conv.metadata["addresses"] == {"Dana Whitfield": "dana@brightpath.example"}
    assert conv.turns[0].sent == datetime.fromisoformat("2025-03-03T18:47:00+00:00")


def test_an_exchange_senders_x500_name_is_no_address_and_the_delivery_time_stands_in_for_the_sent_one():
    props = _mail()
    del props[(0x5D01, UNICODE)], props[(0x0039, TIME)]
    message = outlook.email_message(outlook_msg(props), "draft.msg")
    assert (message["From"], message["Date"]) == ('"Dana Whitfield"', "Mon, 03 Mar 2025 18:48:00 +0000")
    assert read_msg(outlook_msg(props)).speakers == ["Dana Whitfield"]


def test_a_received_mail_is_read_with_the_headers_it_came_with_and_its_html_body():
    # Its properties name the sender as Exchange shows him; the transport headers are what he sent.
    props = _mail({(0x0C1A, UNICODE): "Lee, Marcus (Acme)", (0x5D01, UNICODE): "mlee@relay.example",
                     (0x0037, UNICODE): "RE: Senior Data Engineer", (0x007D, UNICODE): RECEIVED_HEADERS,
                     (0x1013, BINARY): REPLY_HTML.encode("utf-8"),
                     (0x1000, UNICODE): "Plain text Outlook made from the HTML, not read."})
    data = outlook_msg(props, [_recipient(1, "Dana Whitfield", "dana@brightpath.example")])
    message = outlook.email_message(data, "reply.msg")
    assert message["From"] == "Marcus Lee <marcus@mail.example>" and message["Message-ID"] == "<a1@mail.example>"
    assert message.get_content_type() == "text/html"  # the multipart/alternative of the headers is not kept
    conv = read_msg(data, "reply.msg")
    assert turns(conv) == [("Dana Whitfield", "Senior Data Engineer – salary\n\nHi Marcus, the band is 80-90k. "
                                              "Does Thursday work?"),
                           ("Marcus Lee", "Thanks Dana, Thursday works.")]
    assert conv.turns[0].metadata == {"recovered_from_quote": True}
    assert conv.turns[1].sent == datetime.fromisoformat("2025-03-04T12:01:00+01:00")
    assert conv.metadata["addresses"] == {"Dana Whitfield": "dana@brightpath.example", "Marcus Lee": "marcus@mail.example"}


def test_the_html_body_is_preferred_to_the_plain_one_and_read_as_an_emls_html_is():
    html = ("<div style='display:none'>Preview text nobody reads</div><p>Hi Marcus,</p>"
            "<table><tr><td>Base</td><td>85k</td></tr></table><p>Best,<br>Dana</p>")
    conv = read_msg(outlook_msg(_mail({(0x1013, BINARY): html.encode()})), "offer.msg")
    assert turns(conv) == [("Dana Whitfield", "Senior Data Engineer\n\nHi Marcus,\n\nBase | 85k\nBest,")]


def test_an_html_body_in_the_messages_code_page_and_a_string8_html_one():
    html = "<p>Caf\u00e9 \u201cgo\u201d, see you Thursday.</p>"
    cp1252 = _mail({(0x1013, BINARY): html.encode("cp1252"), (0x3FDE, LONG): 1252})
    string8 = _mail({(0x1013, STRING8): html.encode("cp1252"), (0x3FDE, LONG): 1252})
    for data in (outlook_msg(cp1252), outlook_msg(string8)):
        assert read_msg(data, "m.msg").turns[0].text.endswith("Café “go”, see you Thursday.")


def test_an_8_bit_mail_is_decoded_in_its_code_pages():
    # An ANSI .msg: its strings in PidTagMessageCodepage, its body in PidTagInternetCodepage.
    props = {(0x001A, STRING8): "IPM.Note", (0x0037, STRING8): "Вакансия: инженер данных".encode("cp1251"),
             (0x0C1A, STRING8): "Дана Уитфилд".encode("cp1251"), (0x5D01, STRING8): b"dana@brightpath.example",
             (0x1000, STRING8): "Здравствуйте, Маркус!\r\n\r\nВилка 80–90k.\r\n".encode("cp1251"),
             (0x3FFD, LONG): 1251, (0x3FDE, LONG): 1251, (0x0039, TIME): datetime(2025, 3, 3, 18, 47)}
    conv = read_msg(outlook_msg(props), "ru.msg")
    assert turns(conv) == [("Дана Уитфилд", "Вакансия: инженер данных\n\nЗдравствуйте, Маркус!\n\nВилка 80–90k.")]


def test_a_japanese_body_in_shift_jis():
    props = _mail({(0x1000, STRING8): "マーカス様\r\n\r\n木曜日はいかがでしょうか。\r\n".encode("cp932"),
                     (0x3FDE, LONG): 932})
    del props[(0x1000, UNICODE)]
    assert read_msg(outlook_msg(props), "jp.msg").turns[0].text.endswith("木曜日はいかがでしょうか。")


@pytest.mark.parametrize("name", ["reply.msg", "reply.eml", "reply"])
def test_a_msg_file_is_read_by_its_contents_whatever_its_name_or_the_format_asked(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(outlook_msg(_mail()))
    assert read(path).speakers == ["Dana Whitfield"]
    assert read_file(path, format="vtt")[0].metadata["format"] == "msg"


def test_a_meeting_answer_with_no_note_is_refused_as_an_emls_is():
    props = _mail({(0x001A, UNICODE): "IPM.Schedule.Meeting.Resp.Pos", (0x0037, UNICODE): "Accepted: Interview"})
    del props[(0x1000, UNICODE)]
    with pytest.raises(ReadError, match=r"a calendar answer \(Accepted: Interview\) with no message of its own"):
        parse_bytes(outlook_msg(props), "accepted.msg")


def test_a_message_whose_text_is_only_in_compressed_rtf_is_read_as_the_html_outlook_encapsulated_in_it():
    props = _mail({(0x1009, BINARY): compress(ENCAPSULATED)})
    del props[(0x1000, UNICODE)]
    [conv] = parse_bytes(outlook_msg(props), "rtf.msg")
    assert turns(conv) == [("Dana Whitfield", "Senior Data Engineer\n\nHi Chris,\n\nWe are happy to renew at the same "
                                              "price & keep the café plan.\n\nSend the PO")]


def test_a_message_whose_text_is_only_in_a_compressed_rtf_body_that_is_not_rtf_is_an_error_saying_why():
    props = _mail({(0x1009, BINARY): b"\x2d\x00\x00\x00\x2b\x00\x00\x00LZFu" + bytes(40)})
    del props[(0x1000, UNICODE)]
    with pytest.raises(ReadError, match=r"rtf\.msg: an Outlook \.msg file whose text is only in an RTF body that cannot "
                                        r"be read: its RTF body is not RTF"):
        parse_bytes(outlook_msg(props), "rtf.msg")


def test_an_encrypted_message_is_an_error_saying_so():
    props = _mail({(0x001A, UNICODE): "IPM.Note.SMIME"})
    del props[(0x1000, UNICODE)]
    with pytest.raises(ReadError, match=r"an S/MIME encrypted or signed Outlook message, whose text is in its "
                                        r"smime\.p7m attachment"):
        parse_bytes(outlook_msg(props), "secret.msg")


@pytest.mark.parametrize(("kind", "what"), [("IPM.Contact", "contact"), ("IPM.Appointment", "calendar appointment"),
                                            ("IPM.Task", "task"), ("REPORT.IPM.Note.NDR", "delivery report"),
                                            ("IPM.Foo.Bar", "item")])
def test_an_outlook_item_that_is_not_a_mail_is_named(kind, what):
    with pytest.raises(ReadError, match=rf"item\.msg: an Outlook {what} \(message class {kind}\), not a mail message"):
        parse_bytes(outlook_msg(_mail({(0x001A, UNICODE): kind})), "item.msg")


@pytest.mark.parametrize(("stream", "what"), [
    ("WordDocument", r"a Word 97-2003 document \(\.doc\), which is not read: save it as \.docx"),
    ("Workbook", r"an Excel 97-2003 workbook \(\.xls\), which is not read: save it as \.csv"),
    ("EncryptedPackage", "a password-protected Office document, which cannot be read"),
    ("Contents", r"a compound \(OLE\) file, .* but neither an Outlook message nor a Word, Excel or PowerPoint file")])
def test_another_compound_file_is_named_not_called_an_outlook_message(stream, what):
    data = compound_file({stream: b"\x00" * 5000, "\x05SummaryInformation": b"\xfe\xff" + bytes(100)})
    with pytest.raises(ReadError, match=rf"^budget\.msg: {what}"):
        parse_bytes(data, "budget.msg")


def _score_rows(paths):
    from reciprocity_nlp import load
    from reciprocity_nlp.scoring import Job, score_chunk

    return [rows[0] for rows, _ in score_chunk(load(), [Job(str(p)) for p in paths])]


@pytest.mark.parametrize(("damage", "reason"), [
    (lambda d: d[:700], "cannot be opened"),  # cut short: its directory and streams are missing
    (lambda d: d[:8] + bytes(600), r"cannot be opened: sectors of 2\^0"),
    (lambda d: d[:512] + b"\xab" * (len(d) - 512), "but neither an Outlook message"),  # all but its header overwritten
])
def test_a_damaged_msg_file_is_an_error_row_and_the_batch_goes_on(tmp_path, damage, reason):
    bad, good = tmp_path / "bad.msg", tmp_path / "good.msg"
    good.write_bytes(outlook_msg(_mail()))
    bad.write_bytes(damage(good.read_bytes()))
    with pytest.raises(ReadError, match=rf"bad\.msg: a compound \(OLE\) file, .*{reason}"):
        read_file(bad)
    rows = _score_rows([bad, good])
    assert "a compound (OLE) file" in rows[0]["error"] and rows[1]["error"] == ""
    assert rows[1]["agent"] == "Dana Whitfield"


def test_a_stream_past_the_size_limits_is_refused_before_it_is_read(monkeypatch):
    data = outlook_msg(_mail({(0x1000, UNICODE): "The band is 80-90k. " * 500}))  # 20,000 bytes
    monkeypatch.setattr(outlook, "MAX_STREAM_BYTES", 10_000)
    with pytest.raises(ReadError, match=r"big\.msg: an Outlook \.msg file whose __substg1\.0_1000001F stream "
                                        r"\(20,000 bytes\) would take what is read past"):
        parse_bytes(data, "big.msg")
    monkeypatch.setattr(outlook, "MAX_STREAM_BYTES", 100_000)
    monkeypatch.setattr(outlook, "MAX_READ_BYTES", 15_000)  # the body alone fits, not with all the rest
    with pytest.raises(ReadError, match=r"big\.msg: an Outlook \.msg file whose .* stream"):
        parse_bytes(data, "big.msg")


def test_a_declared_stream_size_is_checked_not_followed():
    # A body stream that says it is 2 GB long, its sectors chained in a loop: olefile would read round it 2 GB.
    data = bytearray(outlook_msg(_mail({(0x1000, UNICODE): "x" * 3000})))
    entry = data.index("__substg1.0_1000001F".encode("utf-16-le"))
    first = sect = struct.unpack_from("<I", data, entry + 116)[0]  # its directory entry's first sector, then size
    while (after := struct.unpack_from("<I", data, 512 + 4 * sect)[0]) != 0xFFFFFFFE:  # the FAT is sector 0
        sect = after
    struct.pack_into("<I", data, 512 + 4 * sect, first)
    struct.pack_into("<Q", data, entry + 120, 2**31)
    with pytest.raises(ReadError, match=r"whose __substg1\.0_1000001F stream \(2,147,483,648 bytes\)"):
        parse_bytes(bytes(data), "loop.msg")  # at once, whatever the size: benchmarks/pathological_inputs.py


def test_a_header_counting_more_sectors_than_the_file_has_is_refused_at_once():
    # A DIFAT sector whose next DIFAT sector is itself, and a header counting 2 billion FAT sectors: olefile read
    # round the loop, its FAT growing each time, for minutes.
    data = bytearray(outlook_msg(_mail()))
    n = (len(data) - 512) // 512
    data += struct.pack("<127II", *([0] * 127), n)
    struct.pack_into("<I", data, 0x2C, 109 + 2**24 * 127)
    struct.pack_into("<II", data, 0x44, n, 2**24)
    with pytest.raises(ReadError, match=r"difat\.msg: a compound \(OLE\) file, .* whose header counts more sectors "
                                        r"than the file holds"):
        parse_bytes(bytes(data), "difat.msg")  # at once, whatever the count: benchmarks/pathological_inputs.py


def test_a_directory_of_more_entries_than_any_message_has_is_refused(monkeypatch):
    monkeypatch.setattr(outlook, "MAX_DIRECTORY_ENTRIES", 100)
    data = outlook_msg(_mail(), extra={f"__attach_version1.0_#{i:08X}/__substg1.0_37010102": b"x" for i in range(60)})
    with pytest.raises(ReadError, match=r"many\.msg: a compound \(OLE\) file, .* of more than 100 streams and storages"):
        parse_bytes(data, "many.msg")


_EMBEDDED = "__attach_version1.0_#00000000/__substg1.0_3701000D/"


def _attached(props, recipients=()):
    """The streams of an attachment that holds a message or another Outlook item whole (PidTagAttachMethod 5, as
    Outlook's "Forward as attachment" and a mail dragged onto a mail make it), its properties `props`."""
    from tests.readers.compound_files import property_storage
    streams = property_storage({(0x3705, LONG): 5, (0x3001, UNICODE): "attached"}, bytes(8), "__attach_version1.0_#00000000/")
    header = struct.pack("<8sIIII", bytes(8), len(recipients), 0, len(recipients), 0)  # an embedded message's: 24 bytes
    streams.update(property_storage(props, header, _EMBEDDED))
    for i, recipient in enumerate(recipients):
        streams.update(property_storage(recipient, bytes(8), f"{_EMBEDDED}__recip_version1.0_#{i:08X}/"))
    return streams


def test_a_message_attached_to_a_msg_is_read_as_an_earlier_message_of_the_thread():
    # It was not read, and not noted: the attached mail's words were lost without a word.
    marcus = {(0x001A, UNICODE): "IPM.Note", (0x0037, UNICODE): "Data Engineer role", (0x0C1A, UNICODE): "Marcus Lee",
              (0x5D01, UNICODE): "marcus@mail.example", (0x0039, TIME): datetime(2025, 3, 1, 9, 0),
              (0x1000, UNICODE): "Hi Dana, is the Data Engineer role still open?\r\n"}
    data = outlook_msg(_mail(), RECIPIENTS, extra=_attached(marcus, [_recipient(1, "Dana Whitfield", "dana@brightpath.example")]))
    conv = parse_bytes(data, "fwd.msg")[0]
    assert turns(conv) == [("Marcus Lee", "Senior Data Engineer\n\nHi Dana, is the Data Engineer role still open?"),
                           ("Dana Whitfield", "Hi Marcus,\n\nThe band is 80-90k. Does Thursday work?\n\nBest,")]
    assert "attached_not_read" not in conv.metadata


def test_an_outlook_item_attached_to_a_msg_that_is_no_mail_is_noted_and_the_mail_read():
    meeting = {(0x001A, UNICODE): "IPM.Appointment", (0x0037, UNICODE): "Intro call",
               (0x1000, UNICODE): "Agenda: pricing\r\n"}
    conv = parse_bytes(outlook_msg(_mail(), RECIPIENTS, extra=_attached(meeting)), "invite.msg")[0]
    assert turns(conv) == [("Dana Whitfield", "Senior Data Engineer\n\nHi Marcus,\n\nThe band is 80-90k. Does Thursday "
                                              "work?\n\nBest,")]
    assert conv.metadata["attached_not_read"] == ["an attached Outlook calendar appointment ('Intro call'), not a mail "
                                                  "message"]


def test_a_mail_attached_to_a_msg_whose_text_cannot_be_read_is_noted_and_the_mail_read():
    signed = {(0x001A, UNICODE): "IPM.Note.SMIME", (0x0037, UNICODE): "Offer letter", (0x0C1A, UNICODE): "Marcus Lee"}
    conv = parse_bytes(outlook_msg(_mail(), RECIPIENTS, extra=_attached(signed)), "fwd.msg")[0]
    assert [t.speaker for t in conv.turns] == ["Dana Whitfield"]
    [note] = conv.metadata["attached_not_read"]
    assert note.startswith("an attached Outlook message ('Offer letter') that cannot be read: an S/MIME encrypted")


def test_mails_attached_inside_attached_mails_of_a_msg_are_read_five_deep_and_the_deeper_noted():
    from tests.readers.compound_files import property_storage
    streams: dict[str, bytes] = {}
    prefix = ""
    for depth in range(1, 8):
        prefix += "__attach_version1.0_#00000000/"
        streams.update(property_storage({(0x3705, LONG): 5}, bytes(8), prefix))
        prefix += "__substg1.0_3701000D/"
        streams.update(property_storage({(0x001A, UNICODE): "IPM.Note", (0x0037, UNICODE): f"Level {depth}",
                                         (0x0C1A, UNICODE): f"Sender {depth}", (0x5D01, UNICODE): f"s{depth}@mail.example",
                                         (0x0039, TIME): datetime(2025, 3, 1, 9, depth),
                                         (0x1000, UNICODE): f"Note number {depth} of the chain.\r\n"},
                                        struct.pack("<8sIIII", bytes(8), 0, 0, 0, 0), prefix))
    conv = parse_bytes(outlook_msg(_mail(), RECIPIENTS, extra=streams), "deep.msg")[0]
    assert [t.speaker for t in conv.turns] == [f"Sender {n}" for n in range(1, 6)] + ["Dana Whitfield"]  # by date
    assert conv.metadata["attached_not_read"] == ["an attached message nested more than 5 deep ('Level 6')"]
