"""A message's parts and headers read as text: declared and undeclared charsets, HTML turned into plain text without
what the reader never sees, and headers too long to parse whole."""

import base64
import re

import pytest

from reciprocity_nlp import read
from reciprocity_nlp.readers.emails import read_eml
from reciprocity_nlp.readers.mime import COLOUR_MARK, _colour_key, html_to_text, message_from_bytes, message_html
from tests.conftest import FIXTURES

EMAILS = FIXTURES / "emails"


def pairs(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def _eml(sender: str, subject: str, body: str, date: str = "Thu, 22 Aug 2002 17:40:00 +0100", extra: str = "") -> bytes:
    return (f"From: {sender}\nTo: list@lists.example\nSubject: {subject}\nDate: {date}\n{extra}\n{body}").encode()


def test_declared_latin1_charset():
    conv = read(EMAILS / "latin1.eml")
    assert "£12.40 per box, délai 5 days." in conv.turns[0].text


def test_mail_labelled_latin1_reads_its_windows_1252_quotes_and_dashes():
    # Outlook labels Windows-1252 text ISO-8859-1; browsers and mail clients read =92 as ’, not a control.
    conv = read(EMAILS / "latin1_smart_quotes.eml")
    assert conv.speakers == ["Anaïs Lefèvre"] and conv.metadata["subject"] == "Finance lead role – references"
    assert conv.turns[0].text.startswith("Finance lead role – references\n\nHi Kieran,\n\nI’m sorry to chase, "
                                         "but the client won’t wait past Friday – could you")
    assert "The “final” interview" in conv.turns[0].text


@pytest.mark.parametrize("charset", ["us-ascii", "latin1", "ISO_8859-1"])
def test_8bit_mail_labelled_ascii_or_latin1_is_windows_1252(charset):
    raw = _eml("Ana Silva <ana@mail.example>", "Tuesday", "", extra=f"Content-Type: text/plain; charset={charset}\n")
    conv = read_eml(raw + "Caf\xe9 at 10 \x96 it\x92s on me.\n".encode("latin-1"), "cp1252.eml")
    assert conv.turns[0].text == "Tuesday\n\nCafé at 10 – it’s on me."


def test_html_to_text_keeps_paragraphs_and_quotes():
    text = html_to_text("<div>Hi Sam,</div><div><br></div><div>Line one.<br>Line two.</div>"
                        "<blockquote><div>quoted</div></blockquote>")
    assert text == "Hi Sam,\n\nLine one.\nLine two.\n\n> quoted"


def test_html_to_text_can_mark_each_change_of_font_colour_and_reads_the_same_without_the_marks():
    html = ('<p>Hi <span style="color:#C00000">Sam, <a href="x"><span style="color:blue">a link</span></a> and '
            '<b>more</b></span> back in ink.</p><blockquote><font color="red">yes</font><div style="color:rgb(34,34,34)">'
            "no</div></blockquote>")
    assert html_to_text(html, colours=True) == (
        f"Hi {COLOUR_MARK}c00000{COLOUR_MARK}Sam, a link and more {COLOUR_MARK}{COLOUR_MARK}back in ink.\n\n"
        f"> {COLOUR_MARK}ff0000{COLOUR_MARK}yes\n> {COLOUR_MARK}{COLOUR_MARK}no")  # a link keeps the colour around it
    unmarked = re.compile(f"{COLOUR_MARK}[^{COLOUR_MARK}]*{COLOUR_MARK}")
    for path in sorted(EMAILS.glob("*.eml")):  # every fixture's HTML, tables, hidden text and all
        body = message_html(message_from_bytes(path.read_bytes()))
        if body:
            assert unmarked.sub("", html_to_text(body, colours=True)) == html_to_text(body), path.name


def test_a_colour_given_by_a_style_class_is_marked_as_an_inline_one():
    def mark(colour: str) -> str:
        return f"{COLOUR_MARK}{colour}{COLOUR_MARK}"

    html = ("<style><!-- .ans {color:#C00000} p.q, span.q {font-weight:bold; color:blue !important}\n"
            "p.b {color:red} .a {color:green} .b {color:#7030A0} div .x, #y, .x.z, a:link, .x:hover {color:green}\n"
            "@media (max-width:600px) {.ans {color:green}} --></style>"
            '<p class="ans">a class alone</p><p class=q>on a p</p><div class="q">not on a div</div>'
            '<div><span class="q">on a span</span></div><p class="ans" style="color:#00B050">inline wins</p>'
            '<p><font class="ans" color="blue">the class over font</font></p><div class="a b">the later rule</div>'
            '<p class="b a">the tag\'s class</p><div class="x z" id="y">no simple selector</div>')
    assert html_to_text(html, colours=True) == (
        f"{mark('c00000')}a class alone\n\n{mark('0000ff')}on a p\n\n{mark('')}not on a div\n{mark('0000ff')}on a span"
        f"\n{mark('00b050')}inline wins\n\n{mark('c00000')}the class over font\n\n{mark('7030a0')}the later rule\n"
        f"{mark('ff0000')}the tag's class\n\n{mark('')}no simple selector")
    assert html_to_text(html) == re.sub(f"{COLOUR_MARK}[^{COLOUR_MARK}]*{COLOUR_MARK}", "", html_to_text(html, colours=True))


@pytest.mark.parametrize("value, key", [
    ("#C00000", "c00000"), ("#f00", "ff0000"), ("red", "ff0000"), ("rgb(0, 112, 192)", "0070c0"),
    ("rgb(100%,0%,0%)", "ff0000"), ("rgba(0,0,255,.5)", "0000ff"), ("windowtext", ""), ("black", ""), ("#333333", ""),
    ("rgb(34,34,34)", ""), ("#7F7F7F", "7f7f7f"), ("olive", "olive"), ("inherit", None), ("var(--brand)", None),
])
def test_a_font_colour_is_read_as_its_hex_digits_ink_as_empty_and_no_colour_as_none(value, key):
    assert _colour_key(value) == key


def _html_eml(html: bytes, charset: str = "utf-8", extra: bytes = b"") -> bytes:
    """An HTML-only email from Sam Patel with the subject 'Prices'."""
    return (b'From: "Sam Patel" <sam@acme.com>\nTo: jo@x.com\nSubject: Prices\nMIME-Version: 1.0\n'
            b'Content-Type: text/html; charset="' + charset.encode() + b'"\n' + extra + b"\n" + html + b"\n")


@pytest.mark.parametrize("html, text", [
    ("<p>Hello there.</p><![ x</p><p>Kind regards</p>", "Hello there.\n\nKind regards"),
    ("<p>Hello there.</p><![ x", "Hello there."),
])
def test_a_bogus_marked_section_the_parser_rejects_is_read_as_a_browser_reads_it(html, text):
    """Python's parser refuses `<![` followed by no name; a browser takes it for a comment up to the next `>`."""
    assert html_to_text(html) == text


def test_an_html_email_with_a_bogus_marked_section_is_read_not_refused(tmp_path):
    path = tmp_path / "bogus.eml"
    path.write_bytes(b"From: Ana <ana@example.com>\nTo: b@example.com\nSubject: Hi\nContent-Type: text/html\n\n"
                     b"<html><body><p>We can move the call to Friday.</p><![ x</body></html>\n")
    assert "We can move the call to Friday." in read(path).turns[-1].text


def test_every_way_of_writing_a_line_break_reads_as_one_and_no_other_tag_is_taken_for_one():
    """`<br>` is read as `<br/>` (so a long mail of many lines parses in linear time): the text is the same."""
    assert html_to_text("<p>a<br>b<BR >c<br/>d<br />e <brand>f</brand></p>") == "a\nb\nc\nd\ne f"


def test_html_table_cells_are_separated_and_rows_are_lines():
    raw = _html_eml(b"<p>Our price is =A3500.</p><table><tr><td>Plan</td><td>Price</td></tr>"
                    b"<tr><td>Pro</td><td>=A3500</td></tr></table><p>Reply by Friday.</p>", "windows-1252",
                    b"Content-Transfer-Encoding: quoted-printable\n")
    assert read_eml(raw, "html2.eml").turns[0].text == "Prices\n\nOur price is £500.\n\nPlan | Price\nPro | £500\nReply by Friday."


def test_html_hidden_preheader_is_not_read_as_part_of_the_message():
    raw = _html_eml(b'<div style="display: none !important; mso-hide: all">hidden preheader text</div>'
                    b"<p>Our price is 500.</p><p>Reply by Friday.</p>")
    assert read_eml(raw, "html2.eml").turns[0].text == "Prices\n\nOur price is 500.\n\nReply by Friday."


@pytest.mark.parametrize("hidden", ['<p hidden>one</p>', '<p style="VISIBILITY:hidden">one</p>',
                                    '<span style="font-size:0px;line-height:0">one</span>'])
def test_html_text_hidden_from_the_reader_is_left_out(hidden):
    assert html_to_text(f"{hidden}<p>Hi Jo,</p>") == "Hi Jo,"


def test_html_text_shown_again_inside_a_hiding_element_is_kept():
    # Zero font size around inline-block columns is a layout trick: the columns set their own size.
    text = html_to_text('<div style="font-size:0"><div style="font-size:14px">Col A</div>gap</div>'
                        '<p style="visibility:hidden">x<span style="visibility:visible">shown</span></p>')
    assert text == "Col A\nshown"


def test_layout_table_cells_holding_blocks_or_spacers_get_no_separator():
    text = html_to_text("<table><tr><td>&nbsp;</td><td><p>Hi Jo,</p><table><tr><th>Plan</th><td></td>"
                        "<td>Pro</td></tr></table></td><td>&nbsp;</td></tr></table>")
    assert text == "Hi Jo,\n\nPlan | Pro"


def test_a_base64_body_with_a_list_footer_appended_is_decoded():
    text = "We have three openings for site engineers in Cork.\nThe pay is 55-60k and the start is in May!!!\n"
    assert len(text.encode()) % 3 == 0  # no "=" padding, so a plain decoder reads on into the footer
    encoded = base64.encodebytes(text.encode()).decode()
    footer = ("\n_______________________________________________\nhiring-ie mailing list\nhiring-ie@lists.example\n"
              "https://lists.example/mailman/listinfo/hiring-ie\n")
    raw = _eml("Niamh Walsh <niamh@mail.example>", "Openings", encoded + footer,
               extra="Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n")
    conv = read_eml(raw, "footer.eml")
    assert pairs(conv) == [("Niamh Walsh", "Openings\n\n" + text.strip())]


def test_html_comments_and_doctype_are_not_text():
    text = html_to_text('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">'
                        "<!-- saved from url=(0022)http://internet.e-mail --><html><body>"
                        "<p>Lowest rates in years.</p><?xml version='1.0'?></body></html>")
    assert text == "Lowest rates in years."


def test_cjk_or_thai_mail_with_a_missing_or_wrong_charset_is_not_read_as_latin1():
    chinese = "您好，我们公司专门生产照明器材，欢迎来电咨询价格与样品。"
    raw = _eml("Ou Wei <sales@light.example>", "Lighting", "", extra="") + chinese.encode("gb2312") + b"\n"
    assert read_eml(raw, "gb2312.eml").turns[0].text == "Lighting\n\n" + chinese
    thai = "พบกับรูปแบบใหม่ของธุรกิจบนอินเตอร์เน็ต สมัครวันนี้รับส่วนลดพิเศษ"
    raw = _eml("Deals <deals@mail.example>", "Deals", "", extra="Content-Type: text/plain; charset=us-ascii\n")
    assert read_eml(raw + thai.encode("cp874") + b"\n", "thai.eml").turns[0].text == "Deals\n\n" + thai


def test_western_mail_with_no_charset_keeps_its_accents():
    text = "Bonjour Sam, le délai est de cinq jours, à partir de la réception du bon de commande."
    raw = _eml("Élodie Martin <elodie@mail.example>", "Délai", "") + text.encode("cp1252") + b"\n"
    assert read_eml(raw, "latin1_undeclared.eml").turns[0].text == "Délai\n\n" + text


def test_utf8_text_in_a_part_declared_latin1_reads_as_utf8():
    body = "I’m free on Tuesday – does 10am work? Café by the station?\n".encode()
    raw = (b"From: Ana Silva <ana@mail.example>\nTo: sam@hirewell.example\nSubject: Tuesday\n"
           b"Date: Tue, 4 Mar 2025 09:14:02 +0000\nContent-Type: text/plain; charset=iso-8859-1\n\n" + body)
    assert read_eml(raw, "mislabelled.eml").turns[0].text == "Tuesday\n\nI’m free on Tuesday – does 10am work? Café by the station?"


def test_a_raw_8bit_latin1_subject_is_read_as_windows_1252():
    data = (b"From: Claire <claire@recrute.example>\nTo: Paul <paul@mail.example>\nSubject: Proposition \x96 r\xe9sum\xe9\n"
            b"Date: Thu, 22 Aug 2002 17:40:00 +0100\n\nBonjour Paul, votre CV?\n")
    assert read_eml(data, "m.eml").metadata["subject"] == "Proposition \u2013 r\u00e9sum\u00e9"


@pytest.mark.parametrize("charset", ["unknown-8bit", "x-unknown", "UNKNOWN"])
def test_a_part_declared_in_an_unknown_charset_reads_as_undeclared_bytes_do(charset):
    """RFC 1428's 'unknown-8bit' (and old clients' 'x-unknown', 'unknown') names no charset: UTF-8 when the bytes are,
    else Windows-1252, as with none declared."""
    text = "Bonjour Sam, le délai est de cinq jours – I’m sure, à partir de la réception."
    for data in (text.encode(), text.encode("cp1252")):
        head = _eml("Élodie Martin <elodie@mail.example>", "Délai", "", extra="MIME-Version: 1.0\n")
        undeclared = read_eml(head + data + b"\n", "undeclared.eml").turns[0].text
        declared = _eml("Élodie Martin <elodie@mail.example>", "Délai", "",
                        extra=f"Content-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit\n")
        assert read_eml(declared + data + b"\n", "unknown.eml").turns[0].text == undeclared == "Délai\n\n" + text


@pytest.mark.parametrize("charset", ["unknown-8bit", "x-unknown", "unknown"])
def test_encoded_words_in_an_unknown_charset_read_as_raw_8bit_header_bytes_do(charset):
    """Python's email package writes a header's raw 8-bit bytes again as `=?unknown-8bit?...?=` words (the whole From,
    address and all, with its compat32 policy; the name alone with the default one): read as UTF-8 when they are,
    else as Windows-1252, as the raw bytes are. The standard library reads only UTF-8 in them, the rest as '�'."""
    def header(value: str, encoding: str, q: bool) -> str:
        data = value.encode(encoding)
        text = "".join(f"={b:02X}" if b > 127 or chr(b) in "=?_" else "_" if b == 32 else chr(b) for b in data) if q \
            else base64.b64encode(data).decode()
        return f"=?{charset}?{'q' if q else 'b'}?{text}?="

    for encoding in ("cp1252", "utf-8"):
        for q in (True, False):
            sender = (f"{header('Renée Müller', encoding, q)} <renee@mail.example>" if q
                      else header("Renée Müller <renee@mail.example>", encoding, q))
            raw = _eml(sender, header("Café – I’m in", encoding, q), "Hi Sam,\n\nSee you at ten.\n")
            conv = read_eml(raw, "python.eml")
            assert conv.metadata["subject"] == "Café – I’m in" and conv.speakers == ["Renée Müller"]
            assert conv.metadata["addresses"]["Renée Müller"] == "renee@mail.example"


def test_text_hidden_by_a_style_sheet_rule_is_left_out_but_not_by_a_small_screen_rule():
    html = ("<style>@media (max-width:600px) { .mobile { display:none } } .preheader { display: none !important }"
            " /* a comment */ .note { color: red }</style><span class='preheader'>Big news inside!</span>"
            "<p class='mobile'>Hi Marcus,</p><p class='note'>Thursday works.</p>"
            "<p class='preheader' style='display:block'>Shown: its own style wins.</p>")
    assert html_to_text(html) == "Hi Marcus,\n\nThursday works.\n\nShown: its own style wins."



def test_a_hiding_rule_first_in_a_sheet_outlook_wraps_in_an_html_comment_is_applied():
    """Outlook writes its style sheet inside '<!-- -->', which browsers read past: its first rule hides text too."""
    html = ("<style><!-- .preheader { display:none } p.x { margin:0 } --></style>"
            "<div class=preheader>Your March invoice inside</div><p>Hi Marcus,</p>")
    assert html_to_text(html) == "Hi Marcus,"

# Inputs that made the readers take minutes or crash. Each test reads one (sized so that the code before the fix took
# many seconds on it) and checks what is read; none is timed.


def test_a_style_sheet_of_text_without_braces_or_with_unclosed_comments_is_read():
    assert html_to_text("<style>" + "a" * 40_000 + "</style><p>Hi Jo,</p>") == "Hi Jo,"
    assert html_to_text("<style>.x{display:none}" + "/*" * 20_000 + "</style><p>Hi Jo,</p><p class=x>gone</p>") == "Hi Jo,"


def test_many_style_rules_over_many_elements_are_applied_once():
    html = "<style>" + "p{visibility:hidden}" * 1_000 + "</style><div>Hi Jo,</div>" + "<p>y</p>" * 2_000
    assert html_to_text(html) == "Hi Jo,"


def test_the_first_style_rule_that_sets_a_property_gives_it_and_the_inline_style_wins_over_all():
    html = ("<style>.a{display:none} .b{display:block;visibility:hidden} .a{visibility:visible} .c{font-size:0}"
            ".c{font-size:12px}</style><p class='a b'>one</p><p class='b a'>two</p><p class='b'>three</p>"
            "<p class='b' style='visibility:visible'>four</p><p class=c>five</p><p>six</p>")
    assert html_to_text(html) == "four\n\nsix"


def test_a_long_run_of_spaces_between_elements_is_read():
    # Each space was the start of a search for a cell or line mark, scanning the rest of the run.
    assert html_to_text("<p>Hi" + "<i> </i>" * 30_000 + "Jo,</p><p>Thanks.</p>") == "Hi" + " " * 30_000 + "Jo,\n\nThanks."


def test_a_subject_of_tens_of_thousands_of_encoded_words_is_cut_to_its_first_ones():
    # The standard library's header parser took time and memory growing with the square of its length (1 MB: 7.7 GB).
    subject = " ".join("=?utf-8?q?Re=3A_a?=" for _ in range(20_000))
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", subject, "Hi Sam, thanks for the call.\n"), "subject.eml")
    assert conv.turns[0].text.endswith("Hi Sam, thanks for the call.")
    assert conv.metadata["subject"].startswith("aRe: aRe: a") and len(conv.metadata["subject"]) < 5_000


def test_a_to_line_of_twenty_thousand_addresses_is_read():
    to = ", ".join(f"P{i} <p{i}@x{i}.com>" for i in range(20_000))
    data = f"From: Ana Ruiz <ana@x.com>\nTo: {to}\nSubject: Role\n\nHi all, thanks for the call.\n".encode()
    conv = read_eml(data, "to.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Ana Ruiz", "Role\n\nHi all, thanks for the call.")]


def _mixed(*parts: str) -> bytes:
    """A multipart/mixed message from Dana of these parts, each its headers, a blank line and its body."""
    body = "".join(f"--XX\n{part}\n" for part in parts)
    return _eml("Dana Whitfield <dana@brightpath.example>", "Proposal", f"{body}--XX--\n",
                extra='MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="XX"\n')


_PDF = 'Content-Type: application/pdf; name="proposal.pdf"\nContent-Disposition: inline; filename="proposal.pdf"\n' \
       'Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n'


def test_text_written_after_an_inline_attachment_in_a_part_of_its_own_is_read():
    # Apple Mail sends a plain message with a file placed inside it as text, the file, then the rest of the text.
    raw = _mixed("Content-Type: text/plain\n\nHi Marcus, here is the proposal we discussed.\n", _PDF,
                 "Content-Type: text/plain\n\nThe second page has the pricing. Can we talk Thursday?\n")
    assert read_eml(raw, "proposal.eml").turns[0].text == ("Proposal\n\nHi Marcus, here is the proposal we discussed.\n\n"
                                                           "The second page has the pricing. Can we talk Thursday?")


def test_html_written_after_an_inline_attachment_in_a_part_of_its_own_is_read():
    raw = _mixed("Content-Type: text/html\n\n<p>Hi Marcus, here is the proposal we discussed.</p>\n", _PDF,
                 "Content-Type: text/html\n\n<p>The second page has the pricing. Can we talk Thursday?</p>\n")
    assert read_eml(raw, "proposal.eml").turns[0].text == ("Proposal\n\nHi Marcus, here is the proposal we discussed.\n\n"
                                                           "The second page has the pricing. Can we talk Thursday?")


def test_of_alternatives_one_is_read_and_an_attached_text_file_is_not():
    alternative = ('Content-Type: multipart/alternative; boundary="YY"\n\n--YY\nContent-Type: text/plain\n\n'
                   "Hi Marcus, the notes are attached.\n--YY\nContent-Type: text/html\n\n<p>Hi Marcus, the notes are "
                   "attached.</p>\n--YY--\n")
    notes = 'Content-Type: text/plain; name="notes.txt"\nContent-Disposition: inline; filename="notes.txt"\n\nNotes: TBC\n'
    assert read_eml(_mixed(alternative, notes), "notes.eml").turns[0].text == "Proposal\n\nHi Marcus, the notes are attached."


_ATTACHED_PDF = _PDF.replace("Content-Disposition: inline", "Content-Disposition: attachment")
_LIST_FOOTER = ("Content-Type: text/plain\nContent-Disposition: inline\n\n_______________________________________________\n"
                "sales-ops mailing list -- sales-ops@lists.brightpath.example\n"
                "To unsubscribe send an email to sales-ops-leave@lists.brightpath.example\n")


@pytest.mark.parametrize("parts", [("Content-Type: text/plain\n\nThe pricing is on page two. Can we talk Thursday?\n",
                                    _LIST_FOOTER),
                                   ("Content-Type: text/plain\n\nThe pricing is on page two. Can we talk Thursday?\n",
                                    _ATTACHED_PDF, _LIST_FOOTER),
                                   ("Content-Type: text/plain\n\nThe pricing is on page two. Can we talk Thursday?\n",
                                    _PDF, _LIST_FOOTER)])
def test_a_mailing_lists_footer_in_a_part_of_its_own_is_not_the_senders_text(parts):
    # A list (Mailman) adds its footer to a multipart message as a last part of its own, after the text or after an
    # attachment; read as more of the text, it became the sender's words. After a file shown inline, a part is read as
    # text (Apple Mail's text, file, text), and the footer is then cut from it as from any text.
    assert read_eml(_mixed(*parts), "list.eml").turns[0].text == "Proposal\n\nThe pricing is on page two. Can we talk Thursday?"
