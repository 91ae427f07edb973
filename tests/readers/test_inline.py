"""Answers written in a colour of their own inside a quoted HTML message ('See my answers below in red'): the replier's,
set apart from the quoted author's text, when the replier announced them or marked them with their initials; coloured
links, headings, signatures and coloured lines in a message nobody answered inline stay where they were."""

import pytest

from reciprocity_nlp import read
from reciprocity_nlp.readers.emails import read_eml
from reciprocity_nlp.readers.inline import answered_inline
from reciprocity_nlp.readers.mime import message_body, message_from_bytes
from tests.conftest import FIXTURES

EMAILS = FIXTURES / "emails"


def pairs(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def answered(raw: bytes, name: str, address: str) -> str | None:
    msg = message_from_bytes(raw)
    return answered_inline(msg, message_body(msg), name, address)


def test_outlook_answers_in_red_are_the_repliers_and_the_questions_the_askers():
    conv = read(EMAILS / "inline_outlook_red.eml")
    assert pairs(conv) == [
        ("Dana Whitfield", "Senior data engineer role - a few questions\n\nHi Sam,\n\nI'm recruiting a senior data "
                           "engineer for a fintech client in Leeds and your Spark work stood out. The full spec is on "
                           "our site. Would you be open to a first interview?\n\nBest,"),
        ("Sam Patel", "Hi Dana,\n\nThanks for sending the spec over. Before I commit to the first interview I have a few "
                      "questions:\n\n1. What is the salary band for the role?\n\n2. Is it remote, or how many days in "
                      "the office?\n\n3. Who would I report to?\n\nThanks,"),
        # Her signature over the quote is gone; the answers follow her note, in the order she wrote them.
        ("Dana Whitfield", "Hi Sam,\n\nGreat questions - see my answers below in red.\n\nBest,\n\nThe band is 85-95k "
                           "base, plus a 10% bonus.\n\nHybrid: two days a week in the Leeds office.\n\nPriya Raman, the "
                           "Head of Data."),
    ]
    assert [t.metadata for t in conv.turns] == [{"recovered_from_quote": True}] * 2 + [{}]
    assert str(conv.turns[1].sent) == "2025-03-04 18:40:00"  # Sam's From/Sent block still dates his message


def test_answers_marked_with_the_repliers_initials_need_no_cue_and_lose_the_initials():
    conv = read(EMAILS / "inline_gmail_initials.eml")  # 'Happy to help, see below.' announces nothing
    assert pairs(conv) == [
        ("Marcus Lee", "Order form questions\n\nHi Dana,\n\nBefore we sign the order form, three things:\n- Can we pay "
                       "quarterly rather than annually?\n\n- Does the price include onboarding for the second team?\n\n"
                       "- Can we cancel in the first 90 days if it doesn't work for us?\n\nThanks,"),
        ("Dana Whitfield", "Hi Marcus,\n\nHappy to help, see below.\n\nYes, quarterly billing is fine at the same annual "
                           "price.\n\nIt does: two onboarding sessions per team are included.\n\nNot as standard, but I "
                           "can add a 60-day exit clause."),
    ]


def _gmail_reply(top: str, quoted: str, sender: str = "Dana Whitfield <dana.whitfield@brightpath.example>") -> bytes:
    """An HTML-only Gmail reply by `sender` to Marcus Lee: `top` above the quote, `quoted` the quoted message's HTML."""
    return (f"From: {sender}\nTo: Marcus Lee <marcus@ledgerly.example>\nSubject: Re: Renewal\n"
            "Date: Tue, 11 Mar 2025 09:30:00 +0000\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
            f'<div dir="ltr">{top}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Mar 10, '
            "2025 at 4:05 PM Marcus Lee &lt;marcus@ledgerly.example&gt; wrote:<br></div>"
            f'<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">{quoted}</blockquote></div>\n').encode()


@pytest.mark.parametrize("mark", ["[DW]", "DW:", "dw -", "&gt;&gt; Dana:", "(Dana)",
                                  "<b><i>[Dana Whitfield]</i></b>"])  # Outlook's 'Mark my comments with'
def test_the_ways_people_mark_answers_with_their_initials_or_name(mark):
    quoted = ("<div>Hi Dana,</div><div>Is the renewal price fixed for two years?</div>"
              f'<div><span style="color:#7030A0">{mark} Yes, fixed until March 2027.</span></div>'
              "<div>Thanks,</div><div>Marcus</div>")
    conv = read_eml(_gmail_reply("Hi Marcus, see below.", quoted), "marked.eml")
    assert pairs(conv)[-1] == ("Dana Whitfield", "Hi Marcus, see below.\n\nYes, fixed until March 2027.")
    assert "March 2027" not in conv.turns[0].text


def test_someone_elses_initials_mark_no_answer_of_the_repliers():
    quoted = ('<div>Hi Dana,</div><div>Is the renewal price fixed?</div><div><font color="red">[ML] Finance asks too.'
              "</font></div><div>Thanks,</div><div>Marcus</div>")
    assert answered(_gmail_reply("Hi Marcus, see below.", quoted), "Dana Whitfield", "dana.whitfield@brightpath.example") is None


def test_an_address_alone_and_outlooks_last_name_first_give_the_initials():
    quoted = ('<div>Hi Dana,</div><div>Is the renewal price fixed?</div><div><font color="red">DW: Yes, for two years.'
              "</font></div><div>Thanks,</div><div>Marcus</div>")
    for sender in ("dana.whitfield@brightpath.example", '"Whitfield, Dana" <dana@brightpath.example>'):
        conv = read_eml(_gmail_reply("See below.", quoted, sender), "marked.eml")
        assert conv.turns[-1].text == "See below.\n\nYes, for two years."


def test_answers_in_caps_are_the_repliers_and_the_askers_coloured_words_and_signature_stay():
    conv = read(EMAILS / "inline_outlook_caps.eml")
    # 'Okafor, Ahmed' writes his whole reply in his colour; Tom's red deadline and green signature are Tom's.
    assert pairs(conv) == [
        ("Tom Becker", "Quote 2291 - shelf-ready trays\n\nAhmed,\n\nThanks for the quote. Deadline for our decision: "
                       "Friday 28th.\n\nCan you do 450 units for the first run rather than 500?\n\nIs the price held if "
                       "we add the lids later in the quarter?\n\nWhat are the payment terms?\n\nKind regards,"),
        ("Ahmed Okafor", "Hi Tom,\n\nMy comments in CAPS below.\n\nRegards,\n\nWE CAN DO 450 UNITS BY THE 28TH.\n\nYES, "
                         "HELD UNTIL 30 JUNE.\n\n30 DAYS FROM INVOICE, AS ON YOUR LAST ORDER."),
    ]


def test_an_answer_on_the_line_of_its_question_is_set_apart_and_a_coloured_link_stays():
    conv = read(EMAILS / "inline_gmail_blue.eml")  # HTML only, Gmail's rgb(34,34,34) text, a blue link
    assert pairs(conv) == [
        ("Chloe Martin", "Platform engineer interview - next steps\n\nHi Priya,\n\nGreat news: Northbridge would like "
                         "you back for the final round. A few things so I can book it:\n\nWhich days next week work for "
                         "you?\n\nWould you prefer to do it on site or on Teams?\n\nHas your notice period changed since "
                         "we last spoke?\n\nThe details of the panel are on the candidate page.\n\nBest,"),
        ("Priya Raman", "Hi Chloe,\n\nThanks for the update! Answers inline in blue.\n\nTuesday or Thursday afternoon."
                        "\n\nOn site is fine, I can get to Canary Wharf.\n\nNo, still one month."),
    ]



@pytest.mark.parametrize("top", [
    "Marcus, see below in red.", "Please see inline in red.", "See my feedback in red below.", "See red below.",
    "Please see my input below in red.", "Updates in red below.",
    "Hej Marcus, se mina svar nedan i rött.",  # Swedish
    "Hej Marcus, se mine svar nedenfor med rødt.",  # Danish
    "Hei Marcus, se svarene mine under i rødt.",  # Norwegian
    "Hallo Marcus, anbei meine Antworten in Rot.",  # German
    "Bonjour Marcus, voir mes réponses en rouge ci-dessous.",  # French
    "Hola Marcus, mis respuestas en rojo abajo.",  # Spanish
    "Hoi Marcus, mijn antwoorden staan hieronder in het rood.",  # Dutch
    "Ciao Marcus, le mie risposte sono sotto in rosso.",  # Italian
    "Olá Marcus, as minhas respostas estão abaixo em vermelho.",  # Portuguese
    "Hei Marcus, vastaukseni punaisella alla.",  # Finnish
    "Cześć Marcus, moje odpowiedzi poniżej na czerwono.",  # Polish
])
def test_answers_announced_in_other_words_and_languages_are_the_repliers(top):
    quoted = ('<div>Hi Dana,</div><div>Can we pay quarterly?</div><div><font color="#ff0000">Yes, at no extra cost.'
              '</font></div><div>Thanks,</div><div>Marcus</div>')
    conv = read_eml(_gmail_reply(top, quoted), "announced.eml")
    assert conv.turns[-1].text == f"{top}\n\nYes, at no extra cost."
    assert "no extra cost" not in conv.turns[0].text


@pytest.mark.parametrize("top", ["The red tape below is theirs, not ours.", "Svaret kom i går, tack.",
                                 "Die rote Linie unten ist neu."])
def test_colour_words_and_answer_words_that_announce_nothing_move_nothing(top):
    quoted = ('<div>Hi Dana,</div><div>Can we pay quarterly?</div><div><font color="#ff0000">Finance will ask.'
              '</font></div><div>Thanks,</div><div>Marcus</div>')
    assert answered(_gmail_reply(top, quoted), "Dana Whitfield", "dana.whitfield@brightpath.example") is None

def test_a_colour_the_cue_does_not_name_stays_with_the_asker():
    quoted = ('<div>Hi Dana,</div><div>Can we pay quarterly?</div><div><font color="#0000ff">Yes, at no extra cost.'
              '</font></div><div>Any discount for three years?</div><div><font color="#ff0000">Finance will ask.</font>'
              "</div><div>Thanks,</div><div>Marcus</div>")
    conv = read_eml(_gmail_reply("Hi Marcus, my answers are in blue below.", quoted), "blue.eml")
    assert conv.turns[-1].text == "Hi Marcus, my answers are in blue below.\n\nYes, at no extra cost."
    assert "Finance will ask." in conv.turns[0].text


def test_a_message_nobody_announced_answers_in_reads_as_before_whatever_its_colours():
    raw = (EMAILS / "inline_coloured_heading_no_cue.eml").read_bytes()
    assert answered(raw, "Dana Whitfield", "dana.whitfield@brightpath.example") is None
    conv = read_eml(raw, "heading.eml")
    assert [t.speaker for t in conv.turns] == ["Sam Okoye", "Dana Whitfield"]
    assert "Fernhill Logistics - Q2 hiring plan" in conv.turns[0].text  # the coloured heading
    assert "Budget is fixed at 15% of first-year salary." in conv.turns[0].text  # red, and right under a question
    assert conv.turns[1].text.endswith("come back to you with a shortlist plan by Wednesday.")


def test_a_cue_with_no_coloured_answers_moves_no_link_signature_or_emphasis():
    raw = (EMAILS / "inline_cue_without_coloured_answers.eml").read_bytes()  # Chloe answered in Ben's own colour
    assert answered(raw, "Chloe Martin", "chloe@hirewell.example") is None
    conv = read_eml(raw, "cue.eml")
    assert "This is urgent for them." in conv.turns[0].text and "the portal" in conv.turns[0].text
    assert conv.turns[1].text == "Hi Ben,\n\nThanks, see my answers below.\n\nChloe"


def test_a_german_outlook_block_is_read_as_the_english_one():
    raw = (EMAILS / "inline_outlook_red.eml").read_bytes()
    html = raw[raw.index(b"<html"):raw.rindex(b"--b1--")]
    for english, german in ((b"From:", b"Von:"), (b"Sent:", b"Gesendet:"), (b"To:", b"An:"), (b"Subject:", b"Betreff:")):
        html = html.replace(b"<b>" + english + b"</b>", b"<b>" + german + b"</b>")
        html = html.replace(b'<span lang="EN-US">' + english, b'<span lang="EN-US">' + german)
    html = html.replace(b"Tuesday, March 4, 2025 6:40 PM", b"Dienstag, 4. M\xc3\xa4rz 2025 18:40")
    html = html.replace(b"Monday, March 3, 2025 11:02 AM", b"Montag, 3. M\xc3\xa4rz 2025 11:02")
    head = raw[:raw.index(b"Content-Type: multipart")].replace(b"RE:", b"AW:")
    conv = read_eml(head + b'Content-Type: text/html; charset="utf-8"\n\n' + html, "de.eml")
    assert [t.speaker for t in conv.turns] == ["Dana Whitfield", "Sam Patel", "Dana Whitfield"]
    assert "85-95k" not in conv.turns[1].text and "Who would I report to?" in conv.turns[1].text
    assert conv.turns[2].text.endswith("Priya Raman, the Head of Data.")
    assert str(conv.turns[1].sent) == "2025-03-04 18:40:00"


def test_a_plain_text_only_message_is_left_to_the_plain_reader():
    raw = (b"From: Dana Whitfield <dana@brightpath.example>\nTo: sam@mail.example\nSubject: Re: Role\n"
           b"Date: Wed, 5 Mar 2025 10:12:00 +0000\n\nAnswers below in red.\n\n"
           b"On Tue, Mar 4, 2025 at 6:40 PM Sam <sam@mail.example> wrote:\n> What is the salary?\n> 85k.\n")
    assert answered(raw, "Dana Whitfield", "dana@brightpath.example") is None


def test_the_askers_signature_in_the_answers_colour_stays_with_the_asker():
    quoted = ('<div>Hi Dana,</div><div>Can we pay quarterly?</div><div><font color="#c00000">Yes, at no extra cost.'
              '</font></div><div>Thanks,</div><div><font color="#c00000">Marcus Lee | Head of Finance</font></div>')
    raw = _gmail_reply("Hi Marcus, answers below in red.", quoted)
    assert answered(raw, "Dana Whitfield", "dana.whitfield@brightpath.example") == (
        "Hi Marcus, answers below in red.\n\nOn Mon, Mar 10, 2025 at 4:05 PM Marcus Lee <marcus@ledgerly.example> wrote:"
        "\n\n> Hi Dana,\n> Can we pay quarterly?\n\nYes, at no extra cost.\n\n> Thanks,\n> Marcus Lee | Head of Finance")


def test_answers_coloured_through_a_style_class_are_the_repliers():
    # Outlook-like: the answers' red comes from '<style> p.ans, span.ans {color:#C00000}', on a <p> or a <span>.
    conv = read(EMAILS / "inline_outlook_class.eml")
    assert pairs(conv) == [
        ("Elena Rossi", "Team plan - questions before we sign\n\nHi Ben,\n\nAs promised, the Team plan quote for 40 "
                        "seats is attached. Happy to answer any questions.\n\nKind regards,"),
        ("Ben Carter", "Hi Elena,\n\nBefore I take this to our CFO, three questions:\n\nDoes the Team plan include SSO?"
                       "\n\nCan we start with 40 seats and add more mid-year?\n\nWhat is the notice period if we cancel?"
                       "\n\nThanks,"),
        ("Elena Rossi", "Hi Ben,\n\nThanks for the list - see my answers below in red.\n\nKind regards,\n\nYes - SAML "
                        "single sign-on with Okta or Entra ID is included.\n\nYou can add seats at any time; they are "
                        "prorated to your renewal date.\n\nThirty days before the renewal date."),
    ]


def _outlook_block(sender: str, sent: str, subject: str) -> str:
    """Outlook's From/Sent block over a quoted message from `sender` to Dana Whitfield."""
    return ('<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class=MsoNormal><b>'
            f"From:</b> {sender}<br><b>Sent:</b> {sent}<br><b>To:</b> Dana Whitfield &lt;dana.whitfield@brightpath.example"
            f"&gt;<br><b>Subject:</b> {subject}<o:p></o:p></p></div><p class=MsoNormal>&nbsp;</p>")


def test_answers_in_the_message_under_a_follow_up_are_the_repliers():
    # Marcus chased his questions with a short note; Dana answered in red inside his first message, under the note.
    def lines(*texts: str, colour: str = "") -> str:
        style = f' style="color:{colour}"' if colour else ""
        return "".join(f"<p class=MsoNormal><span{style}>{text}</span><o:p></o:p></p>" for text in texts)

    marcus = "Marcus Lee &lt;marcus@ledgerly.example&gt;"
    html = (lines("Hi Marcus,", "&nbsp;", "Sorry for the slow reply - my answers are below in red.", "&nbsp;", "Best,",
                  "Dana", "&nbsp;")
            + _outlook_block(marcus, "Tuesday, March 11, 2025 9:12 AM", "RE: Renewal - three questions")
            + lines("Hi Dana,", "&nbsp;", "Just following up on the questions below - our finance team meets on "
                    "Thursday.", "&nbsp;", "Thanks,", "Marcus", "&nbsp;")
            + _outlook_block(marcus, "Monday, March 10, 2025 4:05 PM", "Renewal - three questions")
            + lines("Hi Dana,", "&nbsp;", "Before we sign the renewal, three questions:", "&nbsp;",
                    "Can we pay quarterly rather than annually?")
            + lines("Yes, quarterly billing is fine at the same annual price.", colour="#C00000")
            + lines("Is the price fixed for two years?") + lines("Yes, fixed until March 2027.", colour="#C00000")
            + lines("Thanks,", "Marcus"))
    raw = ("From: Dana Whitfield <dana.whitfield@brightpath.example>\nTo: Marcus Lee <marcus@ledgerly.example>\n"
           "Subject: RE: Renewal - three questions\nDate: Wed, 12 Mar 2025 10:40:00 +0000\nMIME-Version: 1.0\n"
           f"Content-Type: text/html; charset=utf-8\n\n<html><body>{html}</body></html>\n").encode()
    conv = read_eml(raw, "follow-up.eml")
    assert pairs(conv) == [
        ("Marcus Lee", "Renewal - three questions\n\nHi Dana,\n\nBefore we sign the renewal, three questions:\n\nCan we "
                       "pay quarterly rather than annually?\n\nIs the price fixed for two years?\n\nThanks,"),
        ("Marcus Lee", "Hi Dana,\n\nJust following up on the questions below - our finance team meets on Thursday.\n\n"
                       "Thanks,"),
        ("Dana Whitfield", "Hi Marcus,\n\nSorry for the slow reply - my answers are below in red.\n\nBest,\n\nYes, "
                           "quarterly billing is fine at the same annual price.\n\nYes, fixed until March 2027."),
    ]


def test_answers_under_another_senders_quoted_message_are_not_the_repliers():
    # Dana answered Marcus's questions in red; Marcus thanks her for 'the answers below' over her note and his own
    # questions: her answers there are hers, already read from her message, not the thanks of Marcus.
    def lines(*texts: str, colour: str = "") -> str:
        style = f' style="color:{colour}"' if colour else ""
        return "".join(f"<p class=MsoNormal><span{style}>{text}</span><o:p></o:p></p>" for text in texts)

    html = (lines("Hi Dana,", "&nbsp;", "Thanks for the answers below, that settles it. We'll sign this week.", "&nbsp;",
                  "Thanks,", "Marcus", "&nbsp;")
            + _outlook_block("Dana Whitfield &lt;dana.whitfield@brightpath.example&gt;", "Wednesday, March 12, 2025 10:40 AM",
                             "RE: Renewal - three questions")
            + lines("Hi Marcus,", "&nbsp;", "My answers are below in red.", "&nbsp;", "Best,", "Dana", "&nbsp;")
            + _outlook_block("Marcus Lee &lt;marcus@ledgerly.example&gt;", "Monday, March 10, 2025 4:05 PM",
                             "Renewal - three questions")
            + lines("Hi Dana,", "&nbsp;", "Can we pay quarterly rather than annually?")
            + lines("Yes, quarterly billing is fine at the same annual price.", colour="#C00000")
            + lines("Thanks,", "Marcus"))
    raw = ("From: Marcus Lee <marcus@ledgerly.example>\nTo: Dana Whitfield <dana.whitfield@brightpath.example>\n"
           "Subject: RE: Renewal - three questions\nDate: Wed, 12 Mar 2025 11:02:00 +0000\nMIME-Version: 1.0\n"
           f"Content-Type: text/html; charset=utf-8\n\n<html><body>{html}</body></html>\n").encode()
    conv = read_eml(raw, "thanks.eml")
    assert conv.turns[-1].speaker == "Marcus Lee"
    assert conv.turns[-1].text == "Hi Dana,\n\nThanks for the answers below, that settles it. We'll sign this week.\n\nThanks,"
