"""Mail whose words are not in a text/plain or text/html part: a calendar invitation or answer (Outlook .msg files:
test_outlook.py; Outlook's winmail.dat: test_tnef.py)."""

import pytest

from reciprocity_nlp import ReadError
from reciprocity_nlp.readers.emails import read_eml

ICS = ("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
       "ATTENDEE;PARTSTAT=ACCEPTED;CN=Sam Patel:mailto:sam@mail.example\r\n"
       "COMMENT;ALTREP=\"cid:note@x\";LANGUAGE=en:Looking forward to it\\, thanks Jana!\\nSee you Thursday.\r\n"
       "SUMMARY:Interview\r\nUID:0400000082\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:REMINDER\r\nEND:VALARM\r\n"
       "DESCRIPTION:Bring a recent pipeline project to\r\n  talk through.\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


def _eml(content_type: str, body: str, subject: str = "Accepted: Interview") -> bytes:
    return ("From: Sam Patel <sam@mail.example>\nTo: Jana Mueller <jana@talentbridge.example>\n"
            f"Subject: {subject}\nDate: Tue, 4 Mar 2025 12:01:00 +0000\nMIME-Version: 1.0\n"
            f"Content-Type: {content_type}\n\n{body}").encode()


def test_a_calendar_only_answer_is_read_as_the_note_its_attendee_typed_not_as_icalendar():
    # Its DESCRIPTION is the organiser's, copied from the invitation, and its subject the calendar's.
    conv = read_eml(_eml('text/calendar; charset="UTF-8"; method=REPLY', ICS), "accepted.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Sam Patel", "Looking forward to it, thanks Jana!\nSee you Thursday.")]


def test_a_calendar_only_invitation_is_read_as_what_its_event_says():
    conv = read_eml(_eml("text/calendar; method=REQUEST", ICS.replace("METHOD:REPLY", "METHOD:REQUEST"), "Interview"),
                    "invite.eml")
    assert conv.turns[0].text == ("Interview\n\nLooking forward to it, thanks Jana!\nSee you Thursday.\n\n"
                                  "Bring a recent pipeline project to talk through.")


def test_a_calendar_part_beside_a_text_part_leaves_the_text_part_to_be_read():
    body = ("--b\nContent-Type: text/plain; charset=utf-8\n\nSee you Thursday.\n"
            f"--b\nContent-Type: text/calendar; method=REPLY\n\n{ICS}\n--b--\n")
    conv = read_eml(_eml('multipart/alternative; boundary="b"', body), "accepted.eml")
    assert conv.turns[0].text == "See you Thursday."


def test_a_calendar_answer_with_nothing_written_is_an_error_not_a_conversation_of_its_subject():
    with pytest.raises(ReadError, match=r"accepted\.eml: a calendar answer \(Accepted: Interview\) with no message of "
                                        r"its own: nothing to rate"):
        read_eml(_eml("text/calendar; method=REPLY", "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Interview\n"
                                                     "END:VEVENT\nEND:VCALENDAR\n"), "accepted.eml")


def test_long_calendar_lines_of_parameters_and_no_value_leave_the_subject_to_stand_in():
    # Lines crafted against the calendar's patterns: how the time to read them grows is measured by
    # benchmarks/pathological_inputs.py.
    conv = read_eml(_eml("text/calendar", "BEGIN:VEVENT\nDESCRIPTION" + ';"' * 50_000 + "\nCOMMENT" + ";a" * 50_000 + "\n",
                         "Interview"), "c.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Sam Patel", "Interview")]
    assert conv.metadata["body"] == "no readable text; the subject stands in for it"


@pytest.mark.parametrize("separator", ["-----Original Message-----", "-----Ursprüngliche Nachricht-----"])
def test_a_forward_with_nothing_but_the_forwarded_headers_is_its_subject_from_its_sender(separator):
    # It raised IndexError: the message list was empty.
    raw = ("From: Sam Lee <sam@acme.example>\nTo: Dana <dana@bp.example>\nSubject: FW: CV\n"
           f"Date: Tue, 4 Mar 2025 10:00:00 +0000\n\n{separator}\nFrom: Jana Mueller <jana@firma.example>\n"
           "Sent: Monday, March 3, 2025 7:47 PM\nTo: Sam Lee <sam@acme.example>\nSubject: CV\n").encode()
    conv = read_eml(raw, "fwd.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Sam Lee", "FW: CV")]
