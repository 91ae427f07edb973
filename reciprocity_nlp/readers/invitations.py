"""Calendar mail: invitations and the answers to them, and what of them a person wrote.

An answer ('Accepted: <title>', 'Declined: ...', an iCalendar METHOD:REPLY) is made by the attendee's calendar: its
subject and Google's 'Sam Patel has accepted this invitation.' are generated, and only a note the attendee typed (the
body they edited in Outlook, Google's 'with a note: "..."', the iCalendar COMMENT) is theirs. An invitation's subject
is its event's title, which Google Calendar wraps as 'Invitation: <title> @ <when> (<guest>)', and Google's text part is
its own (the guest list, the dial-in, the RSVP links, its footer) around the description the organiser typed.
Outlook's invitations are the organiser's text and a Teams or Zoom block, which the sign-off and signature rules end.
"""

from __future__ import annotations

import re

# How an answer's subject opens: Outlook's 'Accepted: Interview', Google's 'Accepted: Interview @ Thu 6 Mar ...'.
_ANSWER_SUBJECT = re.compile(r"^\s*(?:accepted|declined|tentative|tentatively accepted)\s*:", re.I)
# Google Calendar's subjects around an event's title: 'Invitation: <title> @ <when> (<guest>)', and the updates,
# cancellations and answers that use the same form.
_GOOGLE_PREFIX = re.compile(r"^\s*(?:(?:updated )?invitation(?: with note)?|cancell?ed event(?: with note)?|"
                            r"accepted|declined|tentatively accepted)\s*:\s*", re.I)
_GOOGLE_GUEST = re.compile(r"\([^()\s@]+@[^()\s@]+\)\s*\Z")  # what ends its '<when> (<guest>)': '(p@x.com)'
# Google's answer: 'Sam Patel has accepted this invitation.', or '... with a note: "Looking forward"', the note in
# quotes and perhaps over several lines: the rest of its paragraph.
_GOOGLE_ANSWER = re.compile(r"^[^\n]{1,200}? has (?:accepted|declined|tentatively accepted) this invitation"
                            r"(?: with a note: *+(?P<note>[^\n]*+(?:\n(?![ \t]*+\n)[^\n]*+)*+))?", re.I | re.M)
_QUOTED = re.compile(r"[\"“](?P<inner>.*)[\"”]", re.S)  # the note inside its quotes, from the first to the last


def is_answer(subject: str, method: str) -> bool:
    """Whether a message answers an invitation: its calendar part's METHOD is REPLY, or its subject says Accepted,
    Declined or Tentative."""
    return method.upper() == "REPLY" or bool(_ANSWER_SUBJECT.match(subject))


def answer_note(body: str) -> str:
    """What the attendee wrote in an answer: the note Google quotes in its generated sentence ('' when it quotes none),
    else the body, which Outlook leaves empty unless the attendee typed in it."""
    google = _GOOGLE_ANSWER.search(body)
    if not google:
        return body
    note = (google["note"] or "").strip()
    quoted = _QUOTED.match(note)
    return (quoted["inner"] if quoted else note).strip()


def event_title(subject: str) -> str:
    """The event's title in a calendar subject: Google Calendar's ('Invitation: Demo @ Thu 27 Feb 2025 15:00
    (p@x.com)' -> 'Demo') and an answer's ('Accepted: Demo' -> 'Demo'); any other subject as it is."""
    prefix = _GOOGLE_PREFIX.match(subject)
    title, at, when = subject.rpartition(" @ ")
    guest = _GOOGLE_GUEST.search(when)
    if prefix and at and guest and re.search(r"\d", when) and "@" not in when[:guest.start()]:
        return title[prefix.end():].strip()
    answer = _ANSWER_SUBJECT.match(subject)
    return subject[answer.end():].strip() if answer else subject


# The footer that ends Google Calendar's text part ('~~//~~' above it since about 2021), with nothing of the organiser's
# after it.
_GOOGLE_FOOTER = re.compile(r"^(?:~~//~~|invitation from google calendar\b)", re.I)
# Google's own lines above it: the heading, the field labels of the older layout (the description sits between
# 'Title:' and 'When:'), the Meet and dial-in lines, the RSVP lines and links.
_GOOGLE_LINE = re.compile(
    r"^(?:you have been invited to the following event|this event has been (?:changed|updated|cancell?ed)\b|"
    r"(?:title|when|where|calendar|changed|joining info|joining instructions|joining notes|event details|meeting link|"
    r"or dial|more phone numbers)\s*:|join with google meet\b|join by phone$|meeting link$|more phone numbers$|"
    r"view all guest info\b|reply for \S|going \(|rsvp\b|more options\b|your attendance is optional\b|"
    r"(?:yes|no|maybe)$|https?://(?:meet\.google\.com|tel\.meet|calendar\.google\.com|www\.google\.com/calendar)/|"
    r"\(\w{2}\) *\+\d|pin:[\d ]++#$)", re.I)
# Its sections, a heading alone on a line and its lines up to the next blank line: the guests, the location, the
# attachments (the older layout's 'Who:' list too).
_GOOGLE_SECTION = re.compile(r"^(?:who:|guests|location|attachments|when|organi[sz]er)$", re.I)


def invitation_text(body: str, title: str) -> str:
    """What the organiser typed in a Google Calendar invitation's text part (the event's description): without Google's
    heading, the event's title and times, the Meet and dial-in lines, the guest list, the RSVP lines and the footer.
    Any other body as it is."""
    lines = body.split("\n")
    end = next((i for i, line in enumerate(lines) if _GOOGLE_FOOTER.match(line.strip())), None)
    if end is None:
        return body
    kept: list[str] = []
    section = False
    for line in lines[:end]:
        stripped = line.strip()
        section = (section and bool(stripped)) or bool(_GOOGLE_SECTION.match(stripped))
        if not section and not _GOOGLE_LINE.match(stripped):
            kept.append(line)
    paragraphs = "\n".join(kept).strip().split("\n\n")
    # The newer layout opens with the title, its date and time and its zone, a paragraph of their own.
    if title and paragraphs and paragraphs[0].split("\n")[0].strip().lower() == title.strip().lower():
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs).strip()
