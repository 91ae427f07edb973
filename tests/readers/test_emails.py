import base64

import pytest

from reciprocity_nlp import ReadError, read, read_file
from reciprocity_nlp.readers.emails import read_eml, read_mbox, read_pasted
from reciprocity_nlp.readers.mime import html_to_text
from tests.conftest import FIXTURES

EMAILS = FIXTURES / "emails"


def pairs(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def test_iphone_plain_eml_with_mbox_from_line():
    conv = read(EMAILS / "plain_iphone.eml")
    assert conv.channel == "email" and conv.metadata["format"] == "eml"
    assert pairs(conv) == [("Tom Bradshaw", "Contract role - Bristol\n\n"
                                            "Lucy - 6 month contract, £550/day outside IR35, Bristol 2 days a week. "
                                            "Send CV by Thursday if keen.")]
    assert conv.metadata["addresses"] == {"Tom Bradshaw": "tom.bradshaw@brightlane.example"}
    assert conv.turns[0].sent.isoformat() == "2025-03-04T09:14:02+00:00"


def test_gmail_quoted_history_becomes_earlier_turns():
    conv = read(EMAILS / "gmail_quoted_qp.eml")
    assert [t.speaker for t in conv.turns] == ["Candice van Wyk", "Sipho Dlamini", "Candice van Wyk"]
    assert conv.turns[0].text == "Actuarial analyst roles\n\nHi Sipho, hope you're well! How did the exams go?"
    assert conv.turns[1].text == "Hi Candice,\n\nI passed A311 and I'm looking at analyst roles in Cape Town."
    assert conv.turns[2].text.endswith("Which other firms have you spoken to so far?\n\nCheers,")
    assert conv.turns[1].metadata == {"recovered_from_quote": True}
    assert all("Senior Consultant" not in t.text and ">" not in t.text for t in conv.turns)


def test_html_only_base64_with_blockquote_history():
    conv = read(EMAILS / "html_only_base64.eml")
    assert conv.speakers == ["Mélanie Gagnon", "Sandeep Grewal | Grewal Team"]
    assert conv.turns[0].text == "Your home on Maple Crescent\n\nHello,\n\nWhat did the houses near us sell for recently?\n\nThanks,"
    assert "between $842k and $905k." in conv.turns[1].text
    assert conv.turns[1].text.endswith("Warm regards,")
    assert "905-555-0142" not in conv.turns[1].text


def test_alternative_qp_prefers_plain_and_strips_outlook_history_and_disclaimer():
    conv = read(EMAILS / "alternative_qp_outlook.eml")
    assert [t.speaker for t in conv.turns] == ["Tan Boon Huat", "Rachel Lim"]
    last = conv.turns[1].text
    assert "S$1,400 a month" in last and last.endswith("Kind regards,")
    assert "CONFIDENTIALITY" not in last and "Financial Services Manager" not in last
    assert conv.turns[0].text.startswith("CPF LIFE questions\n\nDear Ms Lim,")


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


def test_mbox_thread_each_message_once_and_one_identity_per_person():
    conv = read(EMAILS / "thread.mbox")
    assert [t.speaker for t in conv.turns] == ["Shane Fitzgerald", "Aoife Byrne", "Shane Fitzgerald"]
    assert conv.turns[1].text == "Hi Shane, who is the company? I'd like to know before sending anything."
    assert conv.metadata["addresses"]["Aoife Byrne"] == "aoife.byrne@mail.example"
    assert conv.metadata["subject"] == "QA role in Sandyford"


def test_a_takeout_mbox_is_one_conversation_per_thread():
    # Three Gmail threads (X-GM-THRID) in one label export; the reply carries no In-Reply-To.
    convs = read_file(EMAILS / "takeout_label.mbox")
    assert [(c.id, c.metadata["subject"], c.speakers) for c in convs] == [
        ("takeout_label-1", "Your reference for Owen", ["Nadia Ferreira"]),
        ("takeout_label-2", "Platform engineer role", ["Nadia Ferreira", "Owen Price"]),
        ("takeout_label-3", "Quillsoft ATS - last chance!!!", ["Leo Brandt"]),
    ]
    assert convs[1].turns[1].text == "Thanks Nadia, Thursday at 2pm works for me."
    assert convs[1].metadata["addresses"] == {"Nadia Ferreira": "nadia@brightwellsearch.example",
                                              "Owen Price": "owen.price@mail.example"}
    with pytest.raises(ReadError, match="holds 3 conversations"):
        read(EMAILS / "takeout_label.mbox")


def _mbox_message(sender: str, subject: str, body: str, day: int, headers: str = "") -> str:
    return f"From x@mail.example Mon Mar  {day} 09:00:00 2026\n" + _eml(
        sender, subject, body + "\n", f"Mon, {day} Mar 2026 09:00:00 +0000", headers).decode() + "\n"


def test_mbox_threads_follow_their_headers_and_the_subject_only_without_them():
    mbox = "".join([
        _mbox_message("Ann Lee <ann@hirewell.example>", "Offer", "Hi Raj, the offer is 70k.", 2, "Message-ID: <a1@x>\n"),
        # Names a reply the file does not hold, which names the first message: one chain.
        _mbox_message("Raj Iyer <raj@mail.example>", "Re: Offer", "Can it be 75k?", 4,
                      "Message-ID: <r2@x>\nIn-Reply-To: <a2@x>\nReferences: <a1@x> <a2@x>\n"),
        _mbox_message("Bo Chan <bo@supplies.example>", "Invoice 1142", "Please find it attached.", 3,
                      "Message-ID: <b1@x>\n"),
        # A subject like the offer's, but its header answers the invoice.
        _mbox_message("Ann Lee <ann@hirewell.example>", "RE: Offer", "Paid today, thanks.", 5, "In-Reply-To: <b1@x>\n"),
        # No threading header at all: the subject decides.
        _mbox_message("Ann Lee <ann@hirewell.example>", "AW: [hiring] Offer", "75k is agreed.", 6),
    ])
    convs = read_mbox(mbox.encode(), "inbox.mbox")
    assert [(c.id, [t.text for t in c.turns]) for c in convs] == [
        ("inbox-1", ["Offer\n\nHi Raj, the offer is 70k.", "Can it be 75k?", "75k is agreed."]),
        ("inbox-2", ["Invoice 1142\n\nPlease find it attached.", "Paid today, thanks."]),
    ]


def test_mbox_messages_with_neither_threading_headers_nor_a_subject_stand_alone():
    mbox = "".join([
        _mbox_message("Sam Patel <sam@hirewell.example>", "", "Hi Ana, are you free Thursday?", 2, "Message-ID: <s1@x>\n"),
        _mbox_message("Ana Ruiz <ana@mail.example>", "", "Thursday works.", 3, "In-Reply-To: <s1@x>\n"),
        _mbox_message("Shop <deals@shop.example>", "", "Big sale this week only, buy now.", 4),
        _mbox_message("Bank <no-reply@bank.example>", "", "Your statement is ready.", 5),
    ])
    convs = read_mbox(mbox.encode(), "t.mbox")
    assert [[t.text for t in c.turns] for c in convs] == [
        ["Hi Ana, are you free Thursday?", "Thursday works."], ["Big sale this week only, buy now."],
        ["Your statement is ready."]]


def test_an_unanswered_new_message_reusing_a_subject_is_a_thread_of_its_own():
    mbox = "".join([
        _mbox_message("Ann Lee <ann@hirewell.example>", "Quick question", "Hi Raj, free today?", 2, "Message-ID: <a1@x>\n"),
        _mbox_message("Raj Iyer <raj@mail.example>", "Re: Quick question", "Yes, after 3.", 3, "In-Reply-To: <a1@x>\n"),
        _mbox_message("Ann Lee <ann@hirewell.example>", "Quick question", "Hi Bob, any news?", 4, "Message-ID: <a2@x>\n"),
    ])
    convs = read_mbox(mbox.encode(), "t.mbox")
    assert [[t.text for t in c.turns] for c in convs] == [
        ["Quick question\n\nHi Raj, free today?", "Yes, after 3."], ["Quick question\n\nHi Bob, any news?"]]


def test_pasted_outlook_newest_first_is_put_in_date_order():
    conv = read(EMAILS / "pasted_outlook.txt")
    assert conv.metadata["format"] == "pasted"
    assert [t.speaker for t in conv.turns] == ["Gregory Hale", "Donna Whitaker", "Gregory Hale"]
    assert conv.turns[1].text == "Greg, I'm not ready to decide yet. I retire in June."
    assert "Summit Retirement Partners" not in conv.turns[2].text
    assert conv.turns[2].sent.hour == 14


def test_pasted_gmail_oldest_first():
    conv = read(EMAILS / "pasted_gmail.txt")
    assert conv.speakers == ["Brianna Côté", "Liam Chen"]
    assert conv.turns[0].sent.isoformat() == "2025-03-10T08:05:00"
    assert conv.turns[1].text == "Hi Brianna, just yours and one in Toronto. What does the course cost?"


def test_original_message_reply_sender_comes_from_the_quoted_to():
    conv = read(EMAILS / "original_message.txt")
    assert pairs(conv) == [
        ("Ruan Botha", "Car insurance\n\nHi Nadia, our premiums are the lowest in Gauteng! Reply today to lock in 20% off."),
        ("Nadia Pillay", "Thanks Ruan, but please take me off your list."),
    ]


def test_a_pasted_top_message_without_a_header_goes_to_the_participant_who_signs_it():
    # A follow-up above the sender's own quoted message: the sign-off under "Best," names her.
    conv = read(EMAILS / "pasted_followup_signed.txt")
    assert [t.speaker for t in conv.turns] == ["Marta Nowicka", "Imogen Clarke", "Imogen Clarke"]
    assert conv.turns[2].text.startswith("Hi Marta,\n\nJust checking in again") and conv.turns[2].text.endswith("Best,")


_QUOTED = ("On Mon, 9 Mar 2026 at 18:30, Marta Nowicka <marta@mail.example> wrote:\n> Send me the job description.\n>\n"
           "> On Mon, 9 Mar 2026 at 09:00, Imogen Clarke <imogen@fernhill.example> wrote:\n>> Hi Marta, are you open to a move?\n")


@pytest.mark.parametrize("top, author", [
    # Greets the author of the message it answers, in a two-person thread: the other person wrote it.
    ("Hi Marta,\n\nAttached. Can we talk on Friday?\n", "Imogen Clarke"),
    # Signed by a name no participant has, or greeting and sign-off naming the same person: unclear.
    ("Hi Marta,\n\nAttached. Can we talk on Friday?\n\nSam\n", "Unknown sender"),
    ("Hi Marta,\n\nAttached.\n\nMarta\n", "Unknown sender"),
    # Nothing says who wrote it: a self follow-up looks just like this.
    ("Attached.\n\nCan we talk on Friday?\n", "Unknown sender"),
])
def test_a_pasted_top_message_without_a_header_is_attributed_only_when_the_thread_is_clear(top, author):
    conv = read_pasted(top + "\n" + _QUOTED, "pasted.txt")
    assert [t.speaker for t in conv.turns] == ["Imogen Clarke", "Marta Nowicka", author]


def test_html_to_text_keeps_paragraphs_and_quotes():
    text = html_to_text("<div>Hi Sam,</div><div><br></div><div>Line one.<br>Line two.</div>"
                        "<blockquote><div>quoted</div></blockquote>")
    assert text == "Hi Sam,\n\nLine one.\nLine two.\n\n> quoted"


def _html_eml(html: bytes, charset: str = "utf-8", extra: bytes = b"") -> bytes:
    """An HTML-only email from Sam Patel with the subject 'Prices'."""
    return (b'From: "Sam Patel" <sam@acme.com>\nTo: jo@x.com\nSubject: Prices\nMIME-Version: 1.0\n'
            b'Content-Type: text/html; charset="' + charset.encode() + b'"\n' + extra + b"\n" + html + b"\n")


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


def test_not_an_email():
    with pytest.raises(ReadError, match="not an email"):
        read_eml(b"hello world\nthis is text\n", "x.eml")


def test_pasted_text_without_headers():
    with pytest.raises(ReadError, match="no email headers found"):
        read_pasted("just a note to self", "note.txt")


def test_postscripts_after_the_sign_off_are_kept_and_the_signature_is_not():
    raw = (b"From: Dana Ross <dana@offers.example>\nTo: list@x.example\nSubject: Deal\n"
           b"Date: Tue, 4 Mar 2025 09:14:02 +0000\n\n"
           b"Hi all,\n\nOur toner is half price this week.\n\nRegards,\nDana Ross\nSales Director\n"
           b"0161 496 0000\n\nP.S. Only forty boxes left at this price.\n")
    conv = read_eml(raw, "deal.eml")
    assert conv.turns[0].text == ("Deal\n\nHi all,\n\nOur toner is half price this week.\n\nRegards,\n"
                                  "P.S. Only forty boxes left at this price.")


def test_a_mailing_list_footer_is_not_the_senders_text():
    raw = (b"From: Ravi Iyer <ravi@hostco.example>\nTo: users@lists.example\nSubject: Re: exim retry\n"
           b"Date: Tue, 4 Mar 2003 09:14:02 +0000\n\n"
           b"Set retry_interval_max to 8h and restart exim; the queue drains within the hour.\n\n"
           b"_______________________________________________\nExim-users mailing list\n"
           b"Exim-users@lists.example\nhttps://lists.example/mailman/listinfo/exim-users\n")
    conv = read_eml(raw, "list.eml")
    assert conv.turns[0].text == "Set retry_interval_max to 8h and restart exim; the queue drains within the hour."


def _eml(sender: str, subject: str, body: str, date: str = "Thu, 22 Aug 2002 17:40:00 +0100", extra: str = "") -> bytes:
    return (f"From: {sender}\nTo: list@lists.example\nSubject: {subject}\nDate: {date}\n{extra}\n{body}").encode()


def test_a_reply_written_under_the_quote_is_the_senders_and_the_quote_goes_to_its_author():
    body = ("John P. Looney wrote:\n"
            "> On Thu, Aug 22, 2002 at 05:13:01PM +0100, Fergal Moran mentioned:\n"
            ">\n>>In a nutshell - Solaris is Sun's own flavour of UNIX.\n>\n"
            "> Sun's hardware is more reliable, and a lot more expensive.\n\n"
            "Why do you say Dell is cheaper than DNUK?\n")
    conv = read_eml(_eml("Padraig Brady <padraig@corvil.example>", "Re: [ILUG] Sun Solaris", body), "bottom.eml")
    assert pairs(conv) == [
        ("Fergal Moran", "[ILUG] Sun Solaris\n\nIn a nutshell - Solaris is Sun's own flavour of UNIX."),
        ("John P. Looney", "Sun's hardware is more reliable, and a lot more expensive."),
        ("Padraig Brady", "Why do you say Dell is cheaper than DNUK?"),
    ]
    assert conv.turns[0].metadata == {"recovered_from_quote": True}
    assert conv.turns[2].metadata == {}


def test_inline_answers_are_the_senders_and_the_questions_the_quoted_authors():
    body = ("On Tue, 4 Mar 2025 at 10:02, Mary Smith <mary@hirewell.example> wrote:\n"
            "> Can you send your CV today?\n\nAttached.\n\n> And what is your notice period?\n\n"
            "One month.\n\nBest,\n")
    conv = read_eml(_eml("Tom Reed <tom@mail.example>", "Re: Platform role", body, "Tue, 4 Mar 2025 11:30:00 +0000"),
                    "inline.eml")
    assert pairs(conv) == [
        ("Mary Smith", "Platform role\n\nCan you send your CV today?\n\nAnd what is your notice period?"),
        ("Tom Reed", "Attached.\n\nOne month.\n\nBest,"),
    ]


def test_an_inline_reply_in_an_mbox_does_not_repeat_the_message_it_answers():
    first = ("From mary@hirewell.example Tue Mar  4 10:02:00 2025\n" + _eml(
        "Mary Smith <mary@hirewell.example>", "Platform role",
        "Hi Tom,\n\nCan you send your CV today?\n\nAlso, what is your notice period?\n\nThanks,\n",
        "Tue, 4 Mar 2025 10:02:00 +0000").decode())
    reply = ("From tom@mail.example Tue Mar  4 11:30:00 2025\n" + _eml(
        "Tom Reed <tom@mail.example>", "Re: Platform role",
        "Mary Smith wrote:\n> Can you send your CV today?\n\nAttached.\n\n"
        "> Also, what is your notice period?\n\nOne month.\n", "Tue, 4 Mar 2025 11:30:00 +0000").decode())
    [conv] = read_mbox((first + "\n" + reply).encode(), "thread.mbox")
    assert [t.speaker for t in conv.turns] == ["Mary Smith", "Tom Reed"]
    assert conv.turns[1].text == "Attached.\n\nOne month."


def test_the_subject_is_read_first_by_the_message_that_started_the_thread():
    body = "Hi Sam,\n\nAre you free for a call?\n"
    assert read_eml(_eml("Ann <ann@mail.example>", "Quick question", body), "new.eml").turns[0].text == (
        "Quick question\n\nHi Sam,\n\nAre you free for a call?")
    # A reply whose original is not in the file did not write the subject.
    reply = read_eml(_eml("Sam <sam@mail.example>", "Re: Quick question", "Yes, after four.\n"), "reply.eml")
    assert reply.turns[0].text == "Yes, after four." and reply.metadata["subject"] == "Quick question"
    # A body that already opens with its subject does not repeat it.
    same = read_eml(_eml("Ann <ann@mail.example>", "Quick question", "Quick question\n\nFree at four?\n"), "same.eml")
    assert same.turns[0].text == "Quick question\n\nFree at four?"


def test_a_quoted_reply_whose_original_is_not_in_the_file_is_not_credited_with_the_subject():
    # Grace's quoted message says "Subject: RE: ...": she answered a message the file does not hold.
    conv = read(EMAILS / "outlook_reply_to_a_reply.eml")
    assert [t.speaker for t in conv.turns] == ["Grace Okafor", "Tomasz Nowak"]
    assert conv.turns[0].text.startswith("Hi Tomasz,\n\nThanks for the demo.")
    assert conv.turns[1].text.startswith("Hi Grace,") and conv.metadata["subject"] == "Lumen pilot - next steps"


@pytest.mark.parametrize("subject", ["[hiring-uk] Re: Quick question", "AW: Quick question", "VS: Quick question",
                                     "Doorst: Quick question", "ENC: Quick question"])
def test_a_listed_or_non_english_reply_is_not_credited_with_the_subject(subject):
    reply = read_eml(_eml("Sam <sam@mail.example>", subject, "Yes, after four.\n"), "reply.eml")
    assert reply.turns[0].text == "Yes, after four."


def test_a_quoted_display_name_with_periods_is_the_senders_name():
    body = "The new rota starts on Monday.\n"
    conv = read_eml(_eml('"Joseph S. Barrera III" <joe@mail.example>', "Rota", body), "periods.eml")
    assert conv.speakers == ["Joseph S. Barrera III"]


@pytest.mark.parametrize("attribution, author", [
    ("At 11:49 02/09/2002 +0100, Ray Dermody wrote:", "Ray Dermody"),   # Eudora
    ("Reza Farrell (Bluegate) wrote:", "Reza Farrell (Bluegate)"),        # a firm after the name
    ('--- In hiring-uk@y..., "Webmaster" <webmaster@b...> wrote:', "Webmaster"),  # Yahoo Groups
])
def test_more_attribution_styles_give_the_quote_to_its_author(attribution, author):
    body = f"{attribution}\n> Our DNS serial number went corrupt overnight.\n\nSet it back to today's date.\n"
    conv = read_eml(_eml("Tom Bridge <tom@mail.example>", "Re: DNS", body), "attribution.eml")
    assert pairs(conv) == [
        (author, "DNS\n\nOur DNS serial number went corrupt overnight."),
        ("Tom Bridge", "Set it back to today's date."),
    ]


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


def test_a_sentence_ending_in_said_is_not_taken_for_an_author():
    body = "Here is what the client said:\n> We need someone by March.\n\nCould you start then?\n"
    conv = read_eml(_eml("Priya Shah <priya@northbridge.example>", "March start", body), "said.eml")
    assert conv.turns[-1].speaker == "Priya Shah"
    assert conv.turns[-1].text == "Here is what the client said:\n\nCould you start then?"
    assert all("Here is what" not in s for s in conv.speakers)


def test_html_comments_and_doctype_are_not_text():
    text = html_to_text('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0 Transitional//EN">'
                        "<!-- saved from url=(0022)http://internet.e-mail --><html><body>"
                        "<p>Lowest rates in years.</p><?xml version='1.0'?></body></html>")
    assert text == "Lowest rates in years."


def test_an_outlook_from_line_inside_the_quote_names_its_author_and_snip_marks_are_passed_over():
    body = ("> From: Paul Linehan [mailto:plinehan@mail.example]\n>\n> Firebird is my favourite.\n\n"
            "Never heard of it until last week.\n\n"
            "On Tue, 27 Aug 2002 10:15:36 -0500 (EST)\nJay Lake <jlake@mail.example> wrote:\n\n<snip>\n\n"
            ">Vegetable oil breaks down under stress.\n\nIt has been used in tanks, though.\n")
    conv = read_eml(_eml("Fergal Byrne <fergal@mail.example>", "Re: databases", body), "snip.eml")
    assert sorted(conv.speakers) == ["Fergal Byrne", "Jay Lake", "Paul Linehan"]
    mine = [t.text for t in conv.turns if t.speaker == "Fergal Byrne"]
    # Fergal's "Re: databases" is a reply: the subject is not his, though his message is dated first.
    assert mine == ["Never heard of it until last week.\n\n<snip>\n\nIt has been used in tanks, though."]
    assert [t.text for t in conv.turns if t.speaker == "Paul Linehan"] == ["Firebird is my favourite."]


def test_mbox_escaped_from_lines_are_text_not_quotes():
    body = "Klez: the virus that won't die.\n\n>>From the September issue of PC World.\n\nStill spreading, say the vendors.\n"
    conv = read_eml(_eml("Monty Solomon <monty@mail.example>", "Klez", body), "klez.eml")
    assert conv.speakers == ["Monty Solomon"]


def test_an_image_only_email_is_read_as_its_subject():
    html = ('<html><body><a href="http://deals.example/c"><img src="title.gif" alt=""></a>'
            '<img src="http://deals.example/t.gif" width="1" height="1" alt="T"></body></html>\n')
    raw = _eml("Great Offers <offers@deals.example>", "8 Free Movie Tickets!", html,
               extra="Content-Type: text/html; charset=us-ascii\n")
    conv = read_eml(raw, "image_only.eml")
    assert pairs(conv) == [("Great Offers", "8 Free Movie Tickets!")]
    assert conv.metadata["body"] == "no readable text; the subject stands in for it"
    with pytest.raises(ReadError, match="no readable text body and no subject"):
        read_eml(raw.replace(b"Subject: 8 Free Movie Tickets!\n", b""), "image_only.eml")


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


def test_a_one_line_reply_above_a_pasted_thread_is_a_message_not_its_title(tmp_path):
    pasted = tmp_path / "p.txt"
    pasted.write_text("Thanks Ana, Thursday at 10 works. I'll send an invite.\n\n"
                      "From: Ruiz, Ana <ana@mail.example>\nSent: Monday, March 9, 2026 12:00 PM\n"
                      "To: Patel, Sam <sam@acme.example>\nSubject: RE: Senior designer role\n\nYes, happy to talk on Thursday.\n\n"
                      "From: Patel, Sam <sam@acme.example>\nSent: Monday, March 9, 2026 10:00 AM\n"
                      "To: Ruiz, Ana <ana@mail.example>\nSubject: Senior designer role\n\nHi Ana, are you open to a chat?\n")
    conv = read(pasted)
    assert [t.speaker for t in conv.turns] == ["Sam Patel", "Ana Ruiz", "Sam Patel"]  # 'Last, First' read as a name
    assert conv.turns[-1].text == "Thanks Ana, Thursday at 10 works. I'll send an invite."
    assert conv.metadata["subject"] == "Senior designer role"
    assert conv.metadata["addresses"]["Ana Ruiz"] == "ana@mail.example"


def test_a_pasted_top_message_signed_by_one_participant_is_theirs_whatever_the_to_line_below(tmp_path):
    pasted = tmp_path / "p.txt"
    pasted.write_text("Hi Daniel, jumping in as Priya is out this week. Friday at 11:00 works.\n\nThanks,\nTom Reed\n\n"
                      "From: Daniel Okoro <daniel@mail.example>\nSent: Wednesday, March 5, 2025 8:00 AM\n"
                      "To: Priya Nair <priya@hirewell.example>\nCc: Tom Reed <tom@hirewell.example>\n"
                      "Subject: RE: Analytics Lead role\n\nHi Priya, could we move the call to Friday?\n\nDaniel\n")
    conv = read(pasted)
    assert [t.speaker for t in conv.turns] == ["Daniel Okoro", "Tom Reed"]


def test_a_header_block_running_straight_into_its_message_loses_no_line(tmp_path):
    pasted = tmp_path / "p.txt"
    pasted.write_text("Thanks Priya, Thursday works.\n\nDaniel\n\n"
                      "From: Priya Nair <priya@hirewell.example>\nSent: Tuesday, March 4, 2025 10:12 AM\n"
                      "To: Daniel Okoro <daniel@mail.example>\nSubject: RE: Analytics Lead role\n"
                      "Are you free Thursday at 10:30 for a call with Tom?\n[Quoted text hidden]\nPriya\n")
    conv = read(pasted)
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Priya Nair", "Are you free Thursday at 10:30 for a call with Tom?"),
        ("Daniel Okoro", "Thanks Priya, Thursday works.")]


def test_a_thread_pasted_with_german_headers_is_read_as_an_email_not_a_call(tmp_path):
    pasted = tmp_path / "p.txt"
    pasted.write_text("Danke, Donnerstag passt.\n\nVon: Priya Nair <priya@hirewell.example>\n"
                      "Gesendet: Dienstag, 4. März 2025 10:12\nAn: Daniel Okoro <daniel@mail.example>\n"
                      "Betreff: Analytics Lead\n\nHaben Sie Donnerstag Zeit?\n")
    conv = read(pasted)
    assert conv.metadata["format"] == "pasted"
    assert [(t.speaker, t.text) for t in conv.turns] == [("Priya Nair", "Analytics Lead\n\nHaben Sie Donnerstag Zeit?"),
                                                        ("Daniel Okoro", "Danke, Donnerstag passt.")]
    assert conv.turns[0].sent.isoformat() == "2025-03-04T10:12:00"


def test_quoted_lines_with_no_author_under_a_top_posted_reply_are_not_the_senders():
    data = _eml("Sara Holm <sara@talentbridge.example>", "Re: Data Engineer opening",
                "Between 80k and 95k depending on level.\n\n> Thanks Sara, what's the salary range?\n> Also, is it remote?")
    conv = read_eml(data, "reply.eml")
    assert [(t.speaker, t.text) for t in conv.turns][-1] == ("Sara Holm", "Between 80k and 95k depending on level.")
    assert conv.turns[0].speaker == "Unknown sender" and "is it remote?" in conv.turns[0].text


def test_a_raw_8bit_latin1_subject_is_read_as_windows_1252():
    data = (b"From: Claire <claire@recrute.example>\nTo: Paul <paul@mail.example>\nSubject: Proposition \x96 r\xe9sum\xe9\n"
            b"Date: Thu, 22 Aug 2002 17:40:00 +0100\n\nBonjour Paul, votre CV?\n")
    assert read_eml(data, "m.eml").metadata["subject"] == "Proposition \u2013 r\u00e9sum\u00e9"


def test_text_hidden_by_a_style_sheet_rule_is_left_out_but_not_by_a_small_screen_rule():
    html = ("<style>@media (max-width:600px) { .mobile { display:none } } .preheader { display: none !important }"
            " /* a comment */ .note { color: red }</style><span class='preheader'>Big news inside!</span>"
            "<p class='mobile'>Hi Marcus,</p><p class='note'>Thursday works.</p>"
            "<p class='preheader' style='display:block'>Shown: its own style wins.</p>")
    assert html_to_text(html) == "Hi Marcus,\n\nThursday works.\n\nShown: its own style wins."


# Inputs that made the readers take minutes or crash. Each test reads one (sized so that the code before the fix took
# many seconds on it) and checks what is read; none is timed.


@pytest.mark.parametrize("lines", [
    "On " + "a " * 10_000,  # one line of 20 KB
    "\n".join(["On " + "a " * 498] * 100),  # 100 lines of 1,000 characters
    "\n".join(["On", "a " * 1_000] * 50),  # 'On' and a line of 2,000 characters, 50 times
])
def test_long_lines_starting_on_are_not_searched_for_an_attribution(lines):
    # mail-parser-reply's "On ... wrote:" pattern tries every way to split such a line (20 KB took 10 s).
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", "Role", f"Hi Sam, thanks for the call.\n\n{lines}\n"), "on.eml")
    assert [t.speaker for t in conv.turns] == ["Ana Ruiz"]
    assert conv.turns[0].text == "Role\n\nHi Sam, thanks for the call.\n\n" + "\n".join(ln.strip() for ln in lines.split("\n"))


def test_a_long_line_keeps_its_place_in_a_split_thread():
    long = "We talked about " + "the role and " * 200 + "the team."
    body = (f"Thanks Sam, Friday works.\n\n{long}\n\nOn Tue, 4 Mar 2025 at 09:14, Sam Lee <sam@y.com> wrote:\n"
            f"> Can you do Friday?\n> {long}\n")
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", "Role", body, "Tue, 4 Mar 2025 10:00:00 +0000"), "long.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Sam Lee", f"Role\n\nCan you do Friday?\n{long}"), ("Ana Ruiz", f"Thanks Sam, Friday works.\n\n{long}")]


def test_many_lines_of_only_unusual_spaces_are_read():
    # Blank lines to the reply parser (it strips each line), which searched each run of them again from every line.
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", "Role", "Hi Sam," + "\n\x0b" * 10_000 + "\nThanks for the call.\n"), "v.eml")
    assert conv.turns[0].text.startswith("Role\n\nHi Sam,") and conv.turns[0].text.endswith("Thanks for the call.")


def test_a_run_of_at_signs_after_an_angle_bracket_is_read_as_text():
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", "Role", "Hi Sam, thanks for the call.\n\na <" + "@" * 20_000 + "\n"), "at.eml")
    assert conv.turns[0].text.endswith("\n\na <" + "@" * 20_000)


def test_a_long_name_before_a_bracket_of_at_signs_in_a_pasted_to_line_is_read():
    # The To line of the message below a headerless reply is searched for 'Name <addr>' from every character.
    text = ("Thanks, Friday works.\n\nFrom: Ana Ruiz <ana@x.com>\nSent: Tuesday, March 4, 2025 9:14 AM\nTo: " + "x" * 1_000
            + " <" + "@" * 1_000 + "\nSubject: Role\n\nHi Sam, can you do Friday?\n")
    conv = read_pasted(text, "to.txt")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Ana Ruiz", "Role\n\nHi Sam, can you do Friday?"),
                                                         ("Unknown sender", "Thanks, Friday works.")]


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


@pytest.mark.parametrize("name", ["crash.eml", "crash.txt"])
def test_an_encoded_word_in_an_unknown_charset_is_kept_as_written(tmp_path, name):
    # '=?é?q?...?=' names a charset that is not ASCII: the standard library raised CharsetError.
    sent = b"" if name.endswith(".eml") else b"Sent: Tuesday, March 4, 2025 9:14 AM\n"
    path = tmp_path / name
    path.write_bytes(b"From: =?\xc3\xa9?q?Ana?= <ana@x.com>\n" + sent + b"To: Sam <sam@y.com>\nSubject: Role\n\n"
                     b"Hi Sam, thanks for the call.\n")
    conv = read(path)
    assert [(t.speaker, t.text) for t in conv.turns] == [("=?\u00e9?q?Ana?=", "Role\n\nHi Sam, thanks for the call.")]
    assert conv.metadata["addresses"] == {"=?\u00e9?q?Ana?=": "ana@x.com"}
