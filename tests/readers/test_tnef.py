"""Outlook's winmail.dat (TNEF) in email: the body it carries read as any message's, and a broken or crafted one an
error that names the file and the problem, quickly."""

import base64
import contextlib
import re
import struct
from pathlib import Path

import pytest
from compressed_rtf import compress
from compressed_rtf.crc32 import crc32
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciprocity_nlp import ReadError, read, read_file
from reciprocity_nlp.readers import rtf, tnef
from reciprocity_nlp.readers.emails import read_eml, read_mbox
from reciprocity_nlp.readers.mime import message_from_bytes
from tests.conftest import SHARED
from tests.readers.test_rtf import ENCAPSULATED

OUTLOOK_2002 = SHARED / "benchmarks" / "emails" / "ham" / "0067.eml"

# ----------------------------------------------------------------- a TNEF stream as Outlook writes one

MESSAGE, ATTACHMENT = 1, 2
PT_LONG, PT_STRING8, PT_UNICODE, PT_BINARY, MV = 0x0003, 0x001E, 0x001F, 0x0102, 0x1000
PR_BODY, PR_RTF_COMPRESSED, PR_BODY_HTML, PR_INTERNET_CPID = 0x1000, 0x1009, 0x1013, 0x3FDE


def attribute(level: int, attribute_id: int, value: bytes) -> bytes:
    """One TNEF attribute: level, id (its type in the high word), length, the value and the sum of its bytes."""
    return struct.pack("<BII", level, attribute_id, len(value)) + value + struct.pack("<H", sum(value) & 0xFFFF)


def prop(kind: int, prop_id: int, value: bytes | int) -> bytes:
    """One MAPI property: a long, or one counted value padded to 4 bytes."""
    if isinstance(value, int):
        return struct.pack("<HHi", kind, prop_id, value)
    return struct.pack("<HHII", kind, prop_id, 1, len(value)) + value + bytes(-len(value) % 4)


def props(*properties: bytes) -> bytes:
    return struct.pack("<I", len(properties)) + b"".join(properties)


def winmail(*properties: bytes, body: bytes | None = None, message_props: bytes | None = None) -> bytes:
    """A winmail.dat: the signature and key, the version, code page and class, the old attBody when given, the
    message's MAPI properties, and an attachment after them."""
    return (struct.pack("<IH", 0x223E9F78, 0x0A1B)
            + attribute(MESSAGE, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
            + attribute(MESSAGE, 0x00069007, struct.pack("<II", 1252, 0))  # attOemCodepage
            + attribute(MESSAGE, 0x00078008, b"IPM.Microsoft Mail.Note\0")  # attMessageClass
            + (attribute(MESSAGE, 0x0002800C, body) if body is not None else b"")  # attBody
            + attribute(MESSAGE, 0x00069003, message_props if message_props is not None else props(*properties))
            + attribute(ATTACHMENT, 0x00069002, bytes(14))  # attAttachRendData
            + attribute(ATTACHMENT, 0x00018010, b"quote.pdf\0")  # attAttachTitle
            + attribute(ATTACHMENT, 0x0006800F, b"%PDF-1.4 Renewal quote: 12,400 EUR"))  # attAttachData


def unicode_body(text: str) -> bytes:
    return prop(PT_UNICODE, PR_BODY, (text + "\0").encode("utf-16-le"))


def eml(dat: bytes, own: str = "", name: str = "winmail.dat", ctype: str = "application/ms-tnef") -> bytes:
    """An Outlook message to an outside recipient: its own text part when given, and the winmail.dat."""
    text = f"--b\nContent-Type: text/plain; charset=utf-8\n\n{own}\n" if own else ""
    return ("From: Priya Raman <priya@northwind.example>\nTo: Chris Doyle <chris@ledgerly.example>\n"
            "Subject: RE: Ledgerly renewal\nDate: Mon, 3 Mar 2025 15:22:10 -0500\nMIME-Version: 1.0\n"
            f'Content-Type: multipart/mixed; boundary="b"\n\n{text}--b\nContent-Type: {ctype}; name="{name}"\n'
            f'Content-Disposition: attachment; filename="{name}"\nContent-Transfer-Encoding: base64\n\n'
            f"{base64.encodebytes(dat).decode()}--b--\n").encode()


def write(tmp_path: Path, dat: bytes, **kw) -> Path:
    path = tmp_path / "renewal.eml"
    path.write_bytes(eml(dat, **kw))
    return path


def turns(conv):
    return [(t.speaker, t.text) for t in conv.turns]


RENEWAL = "Hi Chris,\r\nWe are happy to renew for another year at the same price. Grüße aus Köln!\r\n"

# ----------------------------------------------------------------- bodies


def test_a_plain_body_in_winmail_dat_is_the_message_text(tmp_path):
    conv = read(write(tmp_path, winmail(unicode_body(RENEWAL))))
    assert turns(conv) == [("Priya Raman", "Hi Chris,\nWe are happy to renew for another year at the same price. "
                                           "Grüße aus Köln!")]


def test_nul_bytes_after_the_last_attribute_are_padding(tmp_path):
    assert "renew for another year" in read(write(tmp_path, winmail(unicode_body(RENEWAL)) + bytes(7))).turns[0].text


@pytest.mark.parametrize(("ctype", "name"), [("application/octet-stream", "WINMAIL.DAT"),
                                             ("application/vnd.ms-tnef", "att00001.dat")])
def test_a_winmail_dat_is_known_by_its_name_or_its_type(tmp_path, ctype, name):
    conv = read(write(tmp_path, winmail(unicode_body(RENEWAL)), ctype=ctype, name=name))
    assert "renew for another year" in conv.turns[0].text


@pytest.mark.parametrize("make", [lambda text: winmail(prop(PT_STRING8, PR_BODY, text)), lambda text: winmail(body=text)])
def test_an_8_bit_body_is_read_in_the_stream_code_page_whether_a_mapi_property_or_the_old_attbody(tmp_path, make):
    conv = read(write(tmp_path, make("Danke, Chris – bis Freitag.\r\n".encode("cp1252") + b"\0")))
    assert turns(conv) == [("Priya Raman", "Danke, Chris – bis Freitag.")]


def test_an_html_body_goes_through_the_mail_pipeline_as_any_html_mail(tmp_path):
    # Hidden preheader text left out, paragraphs kept, and Outlook's quoted message below becomes the earlier turn.
    html = ("<html><body><div style='display:none'>Preview text nobody sees</div><p>Hi Chris,</p>"
            "<p>Yes &ndash; Thursday works.</p><p>Priya</p><hr><p><b>From:</b> Chris Doyle &lt;chris@ledgerly.example&gt;"
            "<br><b>Sent:</b> Monday, March 3, 2025 9:02 AM<br><b>To:</b> Priya Raman<br><b>Subject:</b> Ledgerly "
            "renewal</p><p>Could we meet Thursday to go through the renewal?</p></body></html>")
    dat = winmail(prop(PT_LONG, PR_INTERNET_CPID, 65001), prop(PT_BINARY, PR_BODY_HTML, html.encode()))
    assert turns(read(write(tmp_path, dat))) == [
        ("Chris Doyle", "Ledgerly renewal\n\nCould we meet Thursday to go through the renewal?"),
        ("Priya Raman", "Hi Chris,\n\nYes – Thursday works.")]


def test_compressed_rtf_with_encapsulated_html_is_read_as_that_html(tmp_path):
    conv = read(write(tmp_path, winmail(prop(PT_BINARY, PR_RTF_COMPRESSED, compress(ENCAPSULATED)))))
    assert turns(conv) == [("Priya Raman", "Hi Chris,\n\nWe are happy to renew at the same price & keep the café plan."
                                           "\n\nSend the PO")]


def test_uncompressed_rtf_written_as_rtf_is_read_as_its_text(tmp_path):
    rtf = rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}\pard Hi Chris,\par We\rquote ll sign on Friday.\par}"
    conv = read(write(tmp_path, winmail(prop(PT_BINARY, PR_RTF_COMPRESSED, compress(rtf, compressed=False)))))
    assert turns(conv) == [("Priya Raman", "Hi Chris,\nWe’ll sign on Friday.")]


def test_the_plain_body_is_preferred_to_the_rtf_beside_it(tmp_path):
    dat = winmail(unicode_body("Plain words."), prop(PT_BINARY, PR_RTF_COMPRESSED, compress(ENCAPSULATED)))
    assert read(write(tmp_path, dat)).turns[0].text == "Plain words."


def test_the_message_own_text_wins_over_its_winmail_dat_even_a_broken_one(tmp_path):
    own = "Hi Chris, see the attached quote."
    assert turns(read(write(tmp_path, winmail(unicode_body(RENEWAL)), own=own))) == [("Priya Raman", own)]
    assert turns(read(write(tmp_path, b"not TNEF at all", own=own))) == [("Priya Raman", own)]


def test_a_winmail_dat_with_no_text_body_leaves_the_subject_to_stand_in_as_for_any_message_without_text(tmp_path):
    conv = read(write(tmp_path, winmail(prop(PT_LONG, PR_INTERNET_CPID, 1252))))
    assert turns(conv) == [("Priya Raman", "RE: Ledgerly renewal")]
    assert conv.metadata["body"] == "no readable text; the subject stands in for it"


@pytest.mark.skipif(not OUTLOOK_2002.is_file(), reason="../shared/benchmarks/emails is not present")
def test_a_real_outlook_winmail_dat_reads_as_the_plain_text_sent_beside_it():
    # A SpamAssassin ham mail sent by Outlook in 2002: its native RTF in compressed form, and a text/plain copy.
    msg = message_from_bytes(OUTLOOK_2002.read_bytes())
    own, dat, _ = msg.get_payload()  # and a list footer
    msg.set_payload([dat])
    subject, text = read_eml(msg.as_bytes(), "ryanair.eml").turns[0].text.split("\n\n", 1)
    assert subject == "Save up to 70% on international calls!"
    assert "You’ll save up to 70% on international phone calls when you use our\nonline phone card." in text
    words, sent = re.findall(r"\w+", text), re.findall(r"\w+", own.get_content().replace("'", "’"))
    assert len(words) > 100 and words == sent[:len(words)]  # up to the signature and disclaimer left out


def test_the_shipped_winmail_dat_fixture_is_read(fixtures):
    conv = read(fixtures / "emails" / "tnef_winmail_dat_only.eml")
    assert conv.turns[0].speaker == "Priya Raman"
    assert "our new PO number 4500123456" in conv.turns[0].text


# ----------------------------------------------------------------- broken and crafted streams


def cut_short(dat: bytes) -> bytes:
    return dat[:-20]  # inside the last attribute


def huge_property_count(dat: bytes) -> bytes:
    # tnefparse loops over the four billion properties it is told of.
    return winmail(message_props=struct.pack("<I", 0xFFFFFFFF) + unicode_body("x"))


def huge_value_list(dat: bytes) -> bytes:
    # tnefparse builds a list of the 268 million longs it is told of.
    return winmail(message_props=struct.pack("<IHHI", 1, PT_LONG | MV, 0x3A00, 0x0FFFFFFF))


@pytest.mark.parametrize(("damage", "problem"), [
    (lambda dat: b"\x00" * 6 + dat[6:], r"it is not a TNEF stream \(no TNEF signature\)"),
    (cut_short, r"it is cut short: the attribute at byte [\d,]+ runs past its end"),
    (lambda dat: dat[:-60], r"it is cut short: the attribute at byte [\d,]+ runs past its end"),  # 7 bytes of one
    (huge_property_count, r"its message properties are corrupt: a count or size in them runs past their end"),
    (huge_value_list, r"its message properties are corrupt: a value in them runs past their end"),
    (lambda dat: winmail(prop(PT_BINARY, PR_RTF_COMPRESSED, compress(b"{\\rtf1 x}")[:-1] + b"!")),
     r"its RTF body cannot be inflated \(Exception: CRC is invalid! The file is corrupt!\)"),
    (lambda dat: winmail(prop(PT_BINARY, PR_RTF_COMPRESSED, compress(b"<html>no rtf</html>", compressed=False))),
     r"its RTF body is not RTF"),
])
def test_a_broken_winmail_dat_is_an_error_naming_the_file_and_the_problem(tmp_path, damage, problem):
    # A crafted count is refused at once, whatever it says: benchmarks/pathological_inputs.py times it at two counts.
    path = write(tmp_path, damage(winmail(unicode_body(RENEWAL))))
    with pytest.raises(ReadError, match=r"renewal\.eml: the message's text is in a winmail\.dat \(application/ms-tnef\)"
                                        rf" attachment that cannot be read: {problem}") as caught:
        read_file(path)
    assert caught.value.path == str(path)  # `reciprocity score` writes the file's error row with its reason


def test_a_compressed_rtf_body_that_could_inflate_past_the_cap_is_refused_without_inflating(tmp_path):
    # Each token a back-reference of 17 bytes: 2 bytes (and a flag bit) that inflate eightfold. How the time to refuse
    # it grows with the tokens is measured by benchmarks/pathological_inputs.py.
    at, tokens = 207, []
    for _ in range(8 * (rtf.MAX_RTF_BYTES // 8 // 17 + 1)):
        tokens.append(struct.pack(">H", ((at + 1) % 4096) << 4 | 15))
        at = (at + 17) % 4096
    stream = b"".join(b"\xff" + b"".join(tokens[i:i + 8]) for i in range(0, len(tokens), 8))
    bomb = struct.pack("<II4sI", len(stream) + 12, rtf.MAX_RTF_BYTES * 2, b"LZFu", crc32(stream)) + stream
    with pytest.raises(ReadError, match=r"its RTF body is 0\.5 MB compressed and could inflate to more than 4 MB, "
                                        r"more than any message's text"):
        read_file(write(tmp_path, winmail(prop(PT_BINARY, PR_RTF_COMPRESSED, bomb))))


def test_a_compressed_rtf_body_is_refused_when_it_could_inflate_past_the_cap_whatever_it_holds(tmp_path, monkeypatch):
    body = compress(ENCAPSULATED)
    monkeypatch.setattr(rtf, "MAX_RTF_BYTES", 8 * len(body))
    assert "café plan" in read(write(tmp_path, winmail(prop(PT_BINARY, PR_RTF_COMPRESSED, body)))).turns[0].text
    monkeypatch.setattr(rtf, "MAX_RTF_BYTES", 8 * len(body) - 8)
    with pytest.raises(ReadError, match="could inflate to more than"):
        read_file(write(tmp_path, winmail(prop(PT_BINARY, PR_RTF_COMPRESSED, body))))


def test_a_megabyte_of_tiny_attributes_is_passed_over_to_the_body(tmp_path):
    # tnefparse copies the rest of the stream at each attribute: seconds for a megabyte, minutes for ten. How the time
    # grows is measured by benchmarks/pathological_inputs.py.
    dat = winmail(unicode_body(RENEWAL))
    dat = dat[:6] + attribute(ATTACHMENT, 0x00018010, b"x") * 200_000 + dat[6:]
    assert turns(read(write(tmp_path, dat))) == [("Priya Raman", "Hi Chris,\nWe are happy to renew for another year at "
                                                                "the same price. Grüße aus Köln!")]


def test_in_an_mbox_a_message_whose_winmail_dat_cannot_be_read_gives_no_turn():
    good = eml(winmail(unicode_body(RENEWAL)))
    broken = eml(cut_short(winmail(unicode_body("Lost words.")))).replace(b"Mon, 3 Mar", b"Tue, 4 Mar")
    [conv] = read_mbox(b"From priya Mon Mar  3 15:22:10 2025\n" + good + b"\nFrom priya Tue Mar  4 15:22:10 2025\n"
                       + broken, "inbox.mbox")
    assert [t.text for t in conv.turns] == ["Hi Chris,\nWe are happy to renew for another year at the same price. "
                                            "Grüße aus Köln!"]
    # Its words are lost to the ratings: listed, and so named in a warning, as an attached message not read is.
    [note] = conv.metadata["attached_not_read"]
    assert note.startswith("'RE: Ledgerly renewal': its winmail.dat cannot be read: it is cut short")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([winmail(unicode_body(RENEWAL)), winmail(prop(PT_BINARY, PR_RTF_COMPRESSED, compress(ENCAPSULATED))),
                        winmail(body=b"Old body\0")]),
       st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=8)), min_size=1, max_size=6))
def test_a_damaged_winmail_dat_gives_a_body_or_a_tnef_error_and_nothing_else(dat, damage):
    for at, data in damage:  # overwrite bytes anywhere, a count or a length among them
        at %= len(dat)
        dat = dat[:at] + data + dat[at + len(data):]
    with contextlib.suppress(tnef.TnefError):
        assert isinstance(tnef.tnef_body(dat).text, str)
