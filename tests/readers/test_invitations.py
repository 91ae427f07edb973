"""Calendar mail: an invitation is read as what its organiser typed, and an answer to one ('Accepted: ...') only as a
note its attendee typed; what the calendars generated (their subjects, Google's sentences, guest lists and footers) is
nobody's speech."""

import pytest

from reciprocity_nlp import ReadError, read
from reciprocity_nlp.readers.emails import read_eml
from reciprocity_nlp.readers.invitations import event_title, invitation_text
from tests.conftest import FIXTURES

EMAILS = FIXTURES / "emails"


def pairs(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def _eml(subject: str, parts: list[tuple[str, str]], sender: str = "Marcus Lee <marcus.lee@acme.example>") -> bytes:
    body = "".join(f"--b\nContent-Type: {ctype}\n\n{text}\n" for ctype, text in parts)
    return (f"From: {sender}\nTo: Dana Whitfield <dana.whitfield@brightpath.example>\nSubject: {subject}\n"
            f"Date: Fri, 7 Mar 2025 16:02:40 +0000\nMIME-Version: 1.0\n"
            f'Content-Type: multipart/alternative; boundary="b"\n\n{body}--b--\n').encode()


def _ics(method: str, fields: str = "") -> str:
    return (f"BEGIN:VCALENDAR\nMETHOD:{method}\nBEGIN:VEVENT\nSUMMARY:Brightpath onboarding review\n{fields}"
            "END:VEVENT\nEND:VCALENDAR")


def test_a_google_invitation_is_read_as_its_title_and_the_description_its_organiser_typed():
    conv = read(EMAILS / "google_calendar_invitation.eml")
    assert pairs(conv) == [("Dana Whitfield", "Brightpath onboarding review\n\nMarcus, I'd like to walk through the "
                                              "first month of the rollout with your\nops leads and agree who signs off "
                                              "the data migration.")]
    assert conv.metadata["subject"] == "Brightpath onboarding review"


NEWER_GOOGLE = """Brightpath onboarding review
Tuesday 11 Mar 2025 ⋅ 10:00 – 10:45
United Kingdom Time

Join with Google Meet
https://meet.google.com/qrs-tuvw-xyz

Join by phone
(GB) +44 20 7946 0000
PIN: 987654321#

More phone numbers
https://tel.meet/qrs-tuvw-xyz?pin=987654321

Marcus, please bring the migration plan. We will agree who signs it off.

Attachments
Rollout plan
https://docs.google.com/document/d/abc/edit

Guests
Dana Whitfield - organiser
marcus.lee@acme.example
View all guest info https://calendar.google.com/calendar/event?action=VIEW&eid=abc

Reply for marcus.lee@acme.example and view more details https://calendar.google.com/calendar/event?action=VIEW&eid=abc
Your attendance is optional.

~~//~~
Invitation from Google Calendar: https://calendar.google.com/calendar/

You are receiving this email because you are an attendee on the event.

Forwarding this invitation could allow any recipient to send a response to the organizer, be added to the guest list,
invite others regardless of their own invitation status, or modify your RSVP.

Learn more https://support.google.com/calendar/answer/37135#forwarding
"""


def test_the_newer_google_layout_is_read_as_the_description_alone():
    raw = _eml("Invitation: Brightpath onboarding review @ Tue 11 Mar 2025 10:00 - 10:45 (GMT) (marcus.lee@acme.example)",
               [("text/plain; charset=utf-8", NEWER_GOOGLE), ("text/calendar; method=REQUEST", _ics("REQUEST"))],
               sender="Dana Whitfield <dana.whitfield@brightpath.example>")
    assert pairs(read_eml(raw, "invite.eml")) == [
        ("Dana Whitfield", "Brightpath onboarding review\n\nMarcus, please bring the migration plan. We will agree who "
                           "signs it off.")]


def test_google_lines_in_a_message_that_is_no_invitation_are_text():
    # Without Google's footer line the lines are someone's: a 'Yes' alone, a 'When: Thursday'.
    body = "When: Thursday at 10\n\nYes\n\nGuests\nBring whoever you like."
    assert invitation_text(body, "Review") == body


def test_an_outlook_teams_invitation_is_read_as_the_organisers_note_without_the_teams_block():
    plain = ("Hi Marcus,\n\nHere is the slot for the onboarding review with Priya. Let me know if it no longer works.\n\n"
             "Good luck!\nDana\n\n" + "_" * 80 + "\nMicrosoft Teams meeting\nJoin on your computer, mobile app or room "
             "device\nClick here to join the meeting<https://teams.microsoft.com/l/meetup-join/19%3ameeting>\n"
             "Meeting ID: 356 812 475 209\nPasscode: h7Zq9X\n" + "_" * 80 + "\n")
    raw = _eml("Onboarding review", [("text/plain; charset=utf-8", plain), ("text/calendar; method=REQUEST",
               _ics("REQUEST", "DESCRIPTION:Hi Marcus\\,\\n\\nHere is the slot.\n"))],
               sender="Dana Whitfield <dana.whitfield@brightpath.example>")
    assert pairs(read_eml(raw, "teams.eml")) == [
        ("Dana Whitfield", "Onboarding review\n\nHi Marcus,\n\nHere is the slot for the onboarding review with Priya. "
                           "Let me know if it no longer works.\n\nGood luck!")]


def test_the_meeting_block_google_adds_to_a_description_is_not_read():
    fence = "-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"
    description = (f"Agenda: the migration plan.\\n\\n{fence}\\nJoin with Google Meet: https://meet.google.com/qrs\\n"
                   f"Or dial: (GB) +44 20 7946 0000 PIN: 987654321#\\n\\nPlease do not edit this section.\\n{fence}")
    raw = _eml("Onboarding review", [("text/calendar; method=REQUEST", _ics("REQUEST", f"DESCRIPTION:{description}\n"))],
               sender="Dana Whitfield <dana.whitfield@brightpath.example>")
    assert pairs(read_eml(raw, "ics.eml")) == [("Dana Whitfield", "Onboarding review\n\nAgenda: the migration plan.")]


GOOGLE_ANSWER = ("Marcus Lee has accepted this invitation{note}.\n\nBrightpath onboarding review\n"
                 "Tuesday 11 Mar 2025 ⋅ 10:00 – 10:45\nUnited Kingdom Time\n\nGuests\nDana Whitfield - organiser\n"
                 "Marcus Lee\nView all guest info https://calendar.google.com/calendar/event?action=VIEW&eid=abc\n\n"
                 "~~//~~\nInvitation from Google Calendar: https://calendar.google.com/calendar/\n")
GOOGLE_ANSWER_SUBJECT = ("Accepted: Brightpath onboarding review @ Tue 11 Mar 2025 10:00 - 10:45 (GMT) "
                         "(dana.whitfield@brightpath.example)")


def test_a_google_answer_with_a_note_is_read_as_the_note_alone():
    body = GOOGLE_ANSWER.format(note=' with a note: "Looking forward to it, I\'ll bring\nthe migration plan."')
    raw = _eml(GOOGLE_ANSWER_SUBJECT, [("text/plain; charset=utf-8", body), ("text/calendar; method=REPLY",
               _ics("REPLY", "COMMENT:Looking forward to it\\, I'll bring the migration plan.\n"))])
    conv = read_eml(raw, "accepted.eml")
    assert pairs(conv) == [("Marcus Lee", "Looking forward to it, I'll bring\nthe migration plan.")]
    assert "subject" not in conv.metadata  # the calendar wrote it


@pytest.mark.parametrize(("subject", "parts"), [
    # Google's: its sentence, the event and its footer.
    (GOOGLE_ANSWER_SUBJECT, [("text/plain; charset=utf-8", GOOGLE_ANSWER.format(note="")),
                             ("text/calendar; method=REPLY", _ics("REPLY"))]),
    # Outlook's: an empty text part (the answer's DESCRIPTION is the organiser's, copied from the invitation).
    ("Accepted: Interview: Sam Patel / Fenwick Analytics", [("text/plain; charset=utf-8", ""), (
        "text/calendar; method=REPLY", _ics("REPLY", "DESCRIPTION:Bring a recent project to talk through.\n"))]),
    # A calendar part that names no method, under an answer's subject.
    ("Declined: Brightpath onboarding review", [("text/calendar", _ics("PUBLISH"))]),
])
def test_an_answer_with_no_note_is_an_error_row_not_a_conversation_of_generated_text(subject, parts):
    with pytest.raises(ReadError, match=r"a\.eml: a calendar answer \((Accepted|Declined): .*\) with no message of its "
                                        r"own: nothing to rate"):
        read_eml(_eml(subject, parts), "a.eml")


def test_in_a_thread_an_answer_is_no_turn_unless_its_attendee_typed_a_note():
    conv = read(EMAILS / "calendar_answers.mbox")  # one thread: the answers join the invitation by its title
    assert pairs(conv) == [
        ("Dana Whitfield", "Onboarding review\n\nHi both, here is the slot for the onboarding review. Bring the "
                           "migration plan if you have it."),
        ("Priya Shah", "I may be ten minutes late, I have a call until 10:10."),
        ("Dana Whitfield", "No problem Priya, we will start with the migration plan."),
    ]


@pytest.mark.parametrize(("subject", "title"), [
    ("Invitation: Demo - Northwind @ Thu 27 Feb 2025 15:00 - 15:30 (EST) (priya@northwind.example)", "Demo - Northwind"),
    ("Updated invitation: Lunch @ Nando's @ Wed 5 Mar 2025 12:30 - 13:30 (GMT) (sam@x.example)", "Lunch @ Nando's"),
    ("Invitation: Weekly sync @ Weekly from 14:00 to 15:00 on Tuesday (GMT) (team@x.example)", "Weekly sync"),
    ("Accepted: Demo @ Thu 27 Feb 2025 15:00 - 15:30 (EST) (chris@ledgerly.example)", "Demo"),
    ("Accepted: Interview: Sam Patel / Fenwick", "Interview: Sam Patel / Fenwick"),
    ("Invitation: our summer party", "Invitation: our summer party"),  # no Google form: someone's subject
    ("Drinks @ The Crown at 6 (bring a friend)", "Drinks @ The Crown at 6 (bring a friend)"),
])
def test_a_calendar_subject_gives_its_events_title(subject, title):
    assert event_title(subject) == title


def test_long_calendar_texts_crafted_against_its_patterns_are_read():
    # How the time to read each grows is measured by benchmarks/pathological_inputs.py.
    subject = "Invitation: x @ " + "1 (" * 5_000 + "(a@b"  # a date, and brackets that never close on a guest
    assert event_title(subject) == subject
    body = ("Marcus Lee has accepted this invitation with a note: \"" + "x has " * 10_000 + "\n"
            + "\n".join(["a has accepted this invitation with a note: " + '" ' * 1_000] * 50) + "\n")
    raw = _eml("Accepted: Review", [("text/plain; charset=utf-8", body), ("text/calendar; method=REPLY", _ics("REPLY"))])
    note = read_eml(raw, "long.eml").turns
    assert [t.speaker for t in note] == ["Marcus Lee"] and note[0].text.startswith(("x has " * 10_000).rstrip() + "\n")
    assert note[0].text.count("\na has accepted this invitation with a note: \" \" ") == 50  # the note's lines, all
    fence = "-::~" + ":~" * 20_000
    description = "\\n".join([fence] * 3 + ["Agenda." + " " * 20_000])  # no line closes as a fence does
    conv = read_eml(_eml("Review", [("text/calendar; method=REQUEST", _ics("REQUEST", f"DESCRIPTION:{description}\n"))]),
                    "d.eml")
    assert pairs(conv) == [("Marcus Lee", "Review\n\n" + "\n".join([fence] * 3 + ["Agenda."]))]
    invite = ("\n".join(["title" + " " * 5_000 + "x", "pin:" + " " * 5_000, "(GB)" * 2_000] * 10)
              + "\n~~//~~\nInvitation from Google Calendar\n")
    conv = read_eml(_eml("Review", [("text/plain; charset=utf-8", invite), ("text/calendar; method=REQUEST", _ics("REQUEST"))]),
                    "i.eml")
    assert pairs(conv) == [("Marcus Lee", "Review\n\n" + invite.split("\n~~//~~")[0].replace("pin:" + " " * 5_000, "pin:"))]
