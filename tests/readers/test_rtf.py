"""RTF as Outlook keeps a message body in a winmail.dat: the HTML or text encapsulated in it, or its own text."""

import pytest

from reciprocity_nlp.readers.mime import html_to_text
from reciprocity_nlp.readers.rtf import rtf_text

# HTML encapsulated as Outlook writes it: tags in \*\htmltag groups, what only the RTF shows between \htmlrtf and
# \htmlrtf0 (here a bold run, a paragraph mark and a list number, and an entity's RTF twin).
ENCAPSULATED = (
    rb"{\rtf1\ansi\ansicpg1252\fromhtml1 \deff0{\fonttbl{\f0\fswiss Arial;}{\f1\fmodern Courier New;}}" b"\r\n"
    rb"{\colortbl\red0\green0\blue0;}{\*\generator Microsoft Exchange Server;}" b"\r\n"
    rb"{\*\htmltag19 <html>}{\*\htmltag34 <head>}{\*\htmltag241 <style>p.MsoNormal \{margin:0\}</style>}" b"\r\n"
    rb"{\*\htmltag41 </head>}{\*\htmltag50 <body>}\htmlrtf {\htmlrtf0" b"\r\n"
    rb"{\*\htmltag64 <p class=MsoNormal>}\htmlrtf {\htmlrtf0 Hi Chris,{\*\htmltag72 </p>}\htmlrtf \par}\htmlrtf0" b"\r\n"
    rb"{\*\htmltag64 <p class=MsoNormal>}\htmlrtf {\htmlrtf0 We are happy to renew at the same price" b"\r\n"
    rb"{\*\htmltag84 &nbsp;}\htmlrtf \'a0\htmlrtf0 {\*\htmltag84 &amp;}\htmlrtf &\htmlrtf0  keep the "
    rb"{\*\htmltag84 <b>}\htmlrtf {\b \htmlrtf0 caf\'e9 plan\htmlrtf }\htmlrtf0{\*\htmltag92 </b>}."
    rb"{\*\htmltag72 </p>}\htmlrtf \par}\htmlrtf0" b"\r\n"
    rb"{\*\htmltag64 <div style='display:none'>}\htmlrtf {\htmlrtf0 preheader nobody sees{\*\htmltag72 </div>}"
    rb"\htmlrtf }\htmlrtf0" b"\r\n"
    rb"{\*\htmltag64 <ol><li>}\htmlrtf {{\pntext 1.\tab}\htmlrtf0 Send the PO{\*\htmltag72 </li></ol>}\htmlrtf\par}"
    rb"\htmlrtf0" b"\r\n"
    rb"{\*\htmltag58 </body>}{\*\htmltag27 </html>}}"
)


def test_html_encapsulated_in_rtf_is_read_back_out_as_the_html_it_was():
    html, is_html = rtf_text(ENCAPSULATED)
    assert is_html
    assert "<p class=MsoNormal>Hi Chris,</p>" in html
    assert "price&nbsp;&amp; keep the <b>café plan</b>." in html  # the entities, not their RTF twins
    assert "\\" not in html and "Arial" not in html and "Exchange" not in html and "1.\t" not in html
    assert html_to_text(html) == ("Hi Chris,\n\nWe are happy to renew at the same price & keep the café plan.\n\n"
                                  "Send the PO")


def test_plain_text_encapsulated_in_rtf_is_read_without_what_only_the_rtf_shows():
    text, is_html = rtf_text(rb"{\rtf1\ansi\fromtext \deff0{\fonttbl{\f0 Courier;}}\htmlrtf {\b \htmlrtf0 "
                             rb"Thanks Sam,\par See you Thursday.\htmlrtf }\htmlrtf0\par}")
    assert (text, is_html) == ("Thanks Sam,\nSee you Thursday.\n", False)


def test_rtf_written_as_rtf_is_read_as_its_text():
    rtf = (rb"{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0\fcharset204 Arial;}}{\colortbl;\red255\green0\blue0;}"
           rb"{\info{\author Dana}}{\*\listtable{\list stuff}}{\header Confidential}\pard\plain "
           rb"\'cf\'f0\'e8\'e2\'e5\'f2, Dana\rquote s \ldblquote plan\rdblquote\emdash ok\par"
           b"{\\pict\\pngblip\\bin4 \x00\x01{{}Name\\tab Price\\par"  # four bytes of picture, braces among them
           rb"{\field{\*\fldinst HYPERLINK \"https://x.example\"}{\fldrslt the offer}}\~\u8364?12\line"
           rb"\uc2\u55357\'3f\'3f\u56832??!\par}trailing junk after the document")
    text, is_html = rtf_text(rtf)
    assert not is_html
    assert text == "Привет, Dana’s “plan”—ok\nName\tPrice\nthe offer\u00a0€12\n😀!\n"


@pytest.mark.parametrize(("rtf", "text"), [
    (b"{\\rtf1 " + b"{\\field{\\*\\fldinst{" * 20_000, ""),  # quadratic in striprtf's hyperlink expression: 30 s
    (b"{\\rtf1 " + b"{" * 300_000, ""),
    # A hex escape that is not hex keeps its letters, \u of a number past Unicode takes its low 16 bits, \bin skips the rest.
    (b"{\\rtf1 " + b"\\'zz\\u99999999999\\uc-5\\bin99999999 " * 40_000, "zz\ue3ff"),
    (b"{\\rtf1 \\" + b"x" * 1_000_000 + b"\\", "x" * (1_000_000 - 32)),  # a control word is at most 32 letters
])
def test_crafted_rtf_is_read_as_the_text_it_holds(rtf, text):
    # How the time to read each grows is measured by benchmarks/pathological_inputs.py.
    assert rtf_text(rtf) == (text, False)
