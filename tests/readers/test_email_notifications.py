"""A platform's notification of a message (LinkedIn, an applicant-tracking system) is read as the message: the
platform's subject, the sender's profile card, its links and footer are not the sender's words, and the earlier message
it quotes is its author's earlier turn. What a person could write in a normal email stays."""

import pytest

from reciprocity_nlp import read
from reciprocity_nlp.readers.boilerplate import strip_signature
from reciprocity_nlp.readers.emails import read_eml
from tests.conftest import FIXTURES

EMAILS = FIXTURES / "emails"


def pairs(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def _eml(body: str, subject: str = "QA role", sender: str = "Aoife Byrne <aoife@mail.example>") -> bytes:
    return (f"From: {sender}\nTo: Shane Fitzgerald <shane@dublintech.example>\nSubject: {subject}\n"
            f"Date: Tue, 4 Mar 2025 18:40:02 +0000\n\n{body}").encode()


def test_a_linkedin_message_notification_is_read_as_the_message_alone():
    conv = read(EMAILS / "linkedin_message_notification.eml")
    assert pairs(conv) == [("Aoife Byrne", "Hi Shane, yes I'm looking. Is the Sandyford role hybrid? I can talk on "
                                           "Thursday morning.")]
    assert conv.metadata["subject"] == "Aoife sent you a new message"  # the mail's subject, not her words


def test_a_linkedin_inmail_keeps_its_subject_once_and_loses_the_senders_card():
    body = ("Shane Fitzgerald\nSenior Recruiter at Dublin Tech Talent\nDublin, County Dublin, Ireland\n\n"
            "QA Automation Engineer - Sandyford\n\nHi Aoife,\n\nWould you be open to a call this week?\n\n"
            "Reply https://www.linkedin.com/e/v2?e=-abc&a=customerServiceUrl\n\n"
            "Not interested https://www.linkedin.com/e/v2?e=-abc&a=notinterested\n\n" + "-" * 40 + "\n\n"
            "This email was intended for Aoife Byrne (QA Automation Engineer at Fintra)\n"
            "You are receiving InMail notification emails.\n")
    conv = read_eml(_eml(body, "QA Automation Engineer - Sandyford",
                         "Shane Fitzgerald via LinkedIn <inmail-hit-reply@linkedin.com>"), "inmail.eml")
    assert pairs(conv) == [("Shane Fitzgerald", "QA Automation Engineer - Sandyford\n\nHi Aoife,\n\n"
                                                "Would you be open to a call this week?")]


def test_an_ats_notification_is_the_reply_and_the_message_it_quotes_is_its_authors_earlier_turn():
    conv = read(EMAILS / "ats_reply_notification.eml")
    assert pairs(conv) == [
        ("Shane Fitzgerald", "QA Automation Engineer - next steps\n\nHi Aoife,\n\nThanks for applying. The first step "
                             "is a 45 minute technical screen. When suits you next week?\n\nRegards,"),
        ("Aoife Byrne", "Hi Shane,\n\nMonday at 11 works for me. Will the test be in Python or Java?\n\nThanks,"),
    ]
    assert conv.turns[0].metadata == {"recovered_from_quote": True}


def test_a_platform_footer_goes_with_the_links_above_it_even_without_a_sign_off():
    body = ("Monday at 11 works for me.\n\nView candidate: https://hiringdesk.example/candidates/1207\n"
            "You're receiving this email because you're on the hiring team for QA Automation Engineer.\n"
            "Manage your notification settings: https://hiringdesk.example/settings\n")
    assert pairs(read_eml(_eml(body, "Re: QA role"), "n.eml")) == [("Aoife Byrne", "Monday at 11 works for me.")]


@pytest.mark.parametrize("body", [
    # A name and a sentence: her own opening.
    "Aoife Byrne here, from the meetup.\nWe spoke about the QA role.\n\nIs it still open?",
    # A sentence that only looks like a footer, and a link that is no notification's.
    "This email was intended for the whole team, so please forward it.\n\nThe brief: https://docs.example/brief\n\n"
    "Thanks",
    "View the brief: https://docs.example/brief\n\nIt covers the Sandyford role.",
    # A rep's opening that says why the reader gets it: the message, not a platform's footer.
    "You're receiving this email because you downloaded our salary guide.\nWe have three QA roles open.\n\n"
    "Free for a call on Friday?",
    "You are receiving this email because you signed up for our trial.\nHow is the onboarding going?",
    # Lines that open a footer, above the sender's own words (a blind review's cases): only a message's end is a footer.
    "This email was intended for Jana Mueller, but she is out until April.\nOur pricing starts at 40 dollars a seat, "
    "with 15 percent off for annual billing.\n\nWould you like a call on Thursday?",
    "Manage your settings: you can now switch the report frequency in the admin panel yourself.\nReply with any "
    "questions.",
    "This message was sent to the whole buying committee so everyone sees the same numbers.\nThe quote is attached.",
    "We moved to 3 Dock Road, Ringsend, Dublin 4.\n\nUnsubscribe me from the old list, please, and keep me on this one.",
])
def test_what_a_person_writes_in_a_normal_email_stays(body):
    assert read_eml(_eml(body), "h.eml").turns[0].text == f"QA role\n\n{body}"


@pytest.mark.parametrize(("subject", "credited"), [
    ("Aoife sent you a new message", False),
    ("Aoife Byrne replied to your message", False),
    ("Shane sent you a new message", True),  # names someone else: not an announcement of her own message
    ("Aoife sent you the CV", True),
])
def test_a_subject_that_only_announces_the_senders_message_is_not_their_words(subject, credited):
    conv = read_eml(_eml("Is the Sandyford role hybrid?", subject), "s.eml")
    assert conv.turns[0].text.startswith(subject) == credited


def test_a_bulk_mailers_footer_at_the_end_goes_with_its_links_and_address():
    body = ("Our spring sale ends Friday.\n\nShop now: https://shop.example/sale\n\n"
            "You are receiving this email because you opted in at shop.example.\nThis email was sent to ana@mail.example\n"
            "Unsubscribe: https://shop.example/u?id=1\nShop Example Ltd, 12 Main Street, Cork\n"
            "© 2025 Shop Example. All rights reserved.")
    assert read_eml(_eml(body), "b.eml").turns[0].text == "QA role\n\nOur spring sale ends Friday."


def test_a_hard_wrapped_bulk_footer_above_a_lists_footer_goes():
    body = ("Increase your sales by 30% in 60 days.\n\nOrder here: http://offer.example/buy\n\n"
            "You are receiving this email as a double opt-in\nsubscriber to the Standard Affiliates Mailing\nList.\n"
            "To remove yourself from all related email lists,\njust click here:\nhttp://offer.example/remove?u=1\n\n"
            "--\nIrish Linux Users' Group: ilug@linux.example\n"
            "http://www.linux.example/mailman/listinfo/ilug for (un)subscription information.\n")
    # The link just above goes with the footer, as a notification's 'View message: https://...' does.
    assert read_eml(_eml(body), "w.eml").turns[0].text == "QA role\n\nIncrease your sales by 30% in 60 days."


def test_many_footer_like_lines_above_the_senders_words_are_kept():
    # A footer ends a message only with nothing but more footer below it. The footer was once looked for from each
    # line: how the time grows with the lines is measured by benchmarks/pathological_inputs.py.
    body = "Hi Ana,\n" + "You're receiving emails a\n" * 80_000 + "Thanks"
    assert strip_signature(body) == body


def test_long_lines_that_open_like_a_notifications_are_the_senders():
    # Lines crafted against the notifications' patterns: how the time to read them grows is measured by
    # benchmarks/pathological_inputs.py.
    name = "Aoife " * 10_000
    body = (f"{name}\nAoife Byrne\n\nYou are receiving " + "x " * 10_000 + "\n\nView " + "x" * 20_000 + "\n\n"
            "This email was intended for " + "a" * 20_000 + "\n\nok")
    conv = read_eml(_eml(body, "Aoife Byrne " * 2_000 + "replied to your messages"), "long.eml")
    assert [t.speaker for t in conv.turns] == ["Aoife Byrne"]
    assert conv.turns[0].text.endswith("\n\n" + body.replace(" \n", "\n"))  # whole, after the subject
