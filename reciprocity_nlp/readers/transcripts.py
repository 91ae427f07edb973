"""Line-based call transcripts: `Name: text`, timestamped lines, Otter, Zoom and Teams text exports."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from reciprocity_nlp.conversation import UNKNOWN_SPEAKER, Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.base import Segment, build_conversation
from reciprocity_nlp.readers.speakers import is_decoration, label_key, without_decoration

TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# What a label may hold: a name's letters, titles and initials, and the marks meeting tools put in display names (a
# dial-in number's '+', a pronoun tag's '/', 'Name | Firm', emoji); which labels are names is `looks_like_name`'s call.
_SYMBOLS = "\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff\U0001f000-\U0001faff\ufe0e\ufe0f\u200d\u20e3"
LABEL_CHARS = rf"\w.'’&()\-/|+* ·・{_SYMBOLS}"
_LABEL = rf"(?:[^\W_]|[+(])[{LABEL_CHARS}]{{0,48}}?"

PLAIN = re.compile(rf"^\s*(?P<name>{_LABEL})\s*:\s+(?P<text>\S.*)$|^\s*(?P<bare>{_LABEL})\s*:\s*$")
# The separator after the time is optional, and the spaces around it are one run when it is missing: written
# `\s*[-–|]?\s*`, a long run of spaces could be split between the two `\s*` in every way before the match fails.
TIMESTAMPED = re.compile(
    rf"^\s*[\[(]?(?P<time>{TIME})[\])]?\s*(?:[-–|]\s*)?(?P<name>{_LABEL})\s*:\s*(?P<text>.*)$"
)
# The same lines with the name first, as Rev.com writes them: 'Name (00:01:02): text', or 'Name (00:01):' on a line
# of its own with the text below; and '[00:01] Name - text'.
NAME_TIMESTAMP = re.compile(rf"^\s*(?P<name>{_LABEL})\s*[\[(](?P<time>{TIME})[\])]\s*:\s*(?P<text>.*)$")
TIMESTAMP_DASH = re.compile(rf"^\s*\[(?P<time>{TIME})\]\s*(?P<name>{_LABEL})\s+[-–—]\s+(?P<text>.*)$")
_TIMESTAMPED_LAYOUTS = (TIMESTAMPED, NAME_TIMESTAMP, TIMESTAMP_DASH)
# The older Teams .docx transcript as text: a '0:0:1.2 --> 0:0:7.9' line, a line with the name, then the text.
_HMS = r"\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,3})?"
TEAMS_TIMING = re.compile(rf"^\s*(?P<time>{_HMS})\s*-->\s*(?P<end>{_HMS})\s*$")
# A block header's label may also be Teams' 'Lee, Marcus' (see `_header_name`).
OTTER_HEADER = re.compile(rf"^\s*(?P<name>(?:[^\W_]|[+(])[{LABEL_CHARS},]{{0,48}}?)(?P<gap>\s+)(?P<time>{TIME})\s*$")
ZOOM_HEADER = re.compile(rf"^\s*\[(?P<name>[^\]]{{1,60}})\]\s+(?P<time>{TIME})\s*$")
OTTER_FOOTER = re.compile(r"^\s*transcribed by\s+\S*otter\.ai", re.IGNORECASE)
# Google Meet's closing lines, matched on a stripped line.
MEET_FOOTER = re.compile(r"Meeting ended after \d{1,2}:\d{2}:\d{2}\b|This editable transcript was computer generated\b")
_CLOCK = re.compile(r"\d{1,2}:\d{2}:\d{2}")  # a bare 'hh:mm:ss' line: Meet marks every five minutes so
_NOTICES = (" started transcription", " stopped transcription")  # 'Dana Whitfield started transcription' (Teams)

# What a transcriber writes in brackets about the recording, not what anyone said: '[crosstalk 00:01:01]',
# '[inaudible]', '(overlapping speech)', '<overlap>', and an audience's '[Applause]' or '(crowd cheering)', which no
# speaker makes. Sounds people make ('[laughs]') are kept: the project's conversations carry them as text in every
# format. One space before a marker goes with it; no unbounded run, so a long line of spaces or brackets is read in
# linear time.
_MARKS = (r"cross[- ]?talk|inaudible|unintelligible|indiscernible|incomprehensible|"
          r"overlapping(?: (?:speech|voices|talk|conversation))?|speaking simultaneously|simultaneous speech|"
          r"(?:\w{1,20} )?(?:applause|applauding|cheer(?:s|ing)?|clap(?:s|ping)?)")
_MARKS_IN_BRACKETS = (_MARKS + r"|overlap|silence|(?:long )?pause|background (?:noise|voices|chatter)|static|"
                      r"audio (?:cuts? out|drops? out|glitch)|no audio|foreign language|phonetic|music")
ANNOTATION = re.compile(rf" ?(?:\[ ?(?:{_MARKS_IN_BRACKETS})(?:[ ,]{{1,3}}{TIME})? ?\]|\( ?(?:{_MARKS})(?:[ ,]{{1,3}}{TIME})? ?\)"
                        r"|</?(?:overlap|overlapping|crosstalk)>)", re.IGNORECASE)



def strip_annotations(text: str) -> str:
    """Text without the transcriber's notes about the recording (`ANNOTATION`)."""
    return ANNOTATION.sub("", text) if ("[" in text or "(" in text or "<" in text) else text


# Words that end in a colon at the start of a line without being a speaker.
_NOT_NAMES = {
    "note", "notes", "subject", "re", "fw", "fwd", "step", "action", "actions", "update", "tip",
    "ps", "p.s", "example", "question", "answer", "date", "time", "location", "agenda",
    "summary", "warning", "important", "reminder", "edit", "source", "link", "email", "e-mail",
    "phone", "mobile", "tel", "address", "salary", "budget", "role", "title", "company", "from",
    "to", "cc", "bcc", "sent", "attendees", "participants", "meeting", "recording", "transcript",
    "duration", "next steps", "follow up", "follow-up", "todo", "to do", "http", "https", "www",
    "mailto", "ok", "so", "yes", "no", "well", "and", "but", "because", "also", "anyway", "basically",
    # headings of an offer or a proposal read out or pasted into a call's notes
    "pricing", "price", "prices", "cost", "costs", "fee", "fees", "total", "term", "terms", "timeline",
    "scope", "deliverables", "benefits", "requirements", "responsibilities", "package", "bonus",
    "commission", "equity", "rate", "day rate", "start date", "notice period", "onboarding", "discount",
}
# Words that head an enumerated item ('Option A:', 'Plan B:'), not a speaker.
_ENUMERATION = frozenset({"option", "plan", "tier", "package", "step", "phase", "part", "section", "item", "point",
                          "scenario", "choice", "level", "stage", "round", "slide", "page"})
_PARTICLES = {"van", "der", "de", "da", "di", "la", "le", "bin", "binti", "al", "von", "du",
              "dos", "del", "y", "ap", "ten", "ter", "den", "el", "bint", "mac", "st"}


# Roles that exports number to tell people apart ('Agent 1', 'Interviewer 2', 'Channel 1' of a stereo recording).
NUMBERED_ROLES = frozenset({
    "agent", "attendee", "caller", "candidate", "channel", "client", "customer", "guest", "host", "interviewee",
    "interviewer", "member", "moderator", "operator", "panelist", "panellist", "participant", "person", "prospect",
    "recruiter", "rep", "representative", "user", "voice",
})


# Answers and fillers that start a line before a comma or an emoji ('Sure, Monday: works', 'Great 🙂: see you'),
# not the name part of a decorated label.
_INTERJECTIONS = frozenset({
    "yes", "yeah", "yep", "no", "nope", "ok", "okay", "sure", "right", "well", "so", "thanks", "thank you", "hi",
    "hello", "hey", "great", "fine", "good", "cool", "alright", "oh", "um", "uh", "sorry", "please", "and", "but",
    "perfect", "nice", "exactly", "absolutely", "lol", "haha", "wow", "done", "agreed", "noted", "true",
})
_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "they", "them", "their", "theirs", "ze", "zir", "hir",
                       "xe", "xem", "ey", "em", "fae", "faer", "it", "its", "any", "all"})
_PRONOUN_TAG = re.compile(r"\s*\(\s*(?P<tag>[^\W\d_]{1,6}(?:\s*/\s*[^\W\d_]{1,6}){1,3})\s*\)$")
_PHONE = re.compile(r"\+?[\d(][\d() .\-*]{4,24}")
_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_NUMBERED_LABEL = re.compile(r"(?:(?P<head>.+)\s)?(?P<role>[^\W\d_]+)[ _-]?\d{1,3}")
_ROLE_TAG = re.compile(r"\s*\([^\W\d_]{2,20}\)")  # what Teams adds to a label it cannot name: 'Speaker 1 (Guest)'
_TOOL_MARKS = re.compile(r"[/|+*]")  # in a label only as a phone number, pronoun tag or 'Name | Firm'


def _is_phone(label: str) -> bool:
    """A dial-in participant's number ('+44 7700 900123', '+1 (650) 555-0100', '650-555-0100', '+1 650***0100'),
    not a date or an amount: with '+', seven digits or more; without, ten."""
    if not _PHONE.fullmatch(label) or _DATE.search(label):
        return False
    digits = sum(ch.isdigit() for ch in label)
    return digits >= 4 and digits + label.count("*") >= (7 if label.startswith("+") else 10)


def _undecorated(label: str) -> str:
    """A label without what meeting tools add to a display name: emoji, a firm after '|' ('Dana Whitfield |
    Brightpath', for a full name only), a pronoun tag ('(he/him)'); '' when nothing is left or a part is not one."""
    decorated = label
    if any(is_decoration(ch) for ch in label):
        label = without_decoration(label)
    if "|" in label:
        name, _, firm = label.partition("|")
        if len(name.split()) < 2 or not firm.strip() or "|" in firm:
            return ""
        label = name.strip()
    tag = _PRONOUN_TAG.search(label)
    if tag and all(p.strip().lower() in _PRONOUNS for p in tag.group("tag").split("/")):
        label = label[:tag.start()].strip()
    if label != decorated and label.lower().rstrip(".") in _NOT_NAMES | _INTERJECTIONS:
        return ""
    return label


def _caseless(word: str) -> bool:
    """A word of a script without capitals, as Chinese, Japanese and Korean names are written ('李明')."""
    letters = word.replace("·", "").replace("・", "")
    return 0 < len(letters) <= 10 and all(ch.isalpha() and ch.lower() == ch.upper() for ch in letters)


def _name_words(words: list[str]) -> bool:
    """Whether words read as a name: each capitalised, a particle after the first ('van der'), a brand written in
    camel case after the first ('Marcus's iPhone') or in a script without capitals; none with a digit."""
    for i, w in enumerate(words):
        core = w.strip("().'’-&")
        if not core:
            continue
        if any(ch.isdigit() for ch in core):
            return False
        if core[0].isupper() or _caseless(core):
            continue
        if i and (core.lower() in _PARTICLES or (len(core) > 1 and core[0].islower() and core[1].isupper())):
            continue
        return False
    return True


def looks_like_name(label: str) -> bool:
    """Whether a label before a colon reads as a speaker: names, titles, initials, `SPEAKER_01`, and display names
    as meeting tools show them: a dial-in number, 'Call-in User_2', 'Marcus's iPhone', 'Marcus Lee (he/him)',
    'Marcus Lee 🙂', 'Dana Whitfield | Brightpath', '李明', Teams' 'Lee, Marcus'."""
    label = label.strip()
    if not label or len(label) > 48 or label.lower().rstrip(".") in _NOT_NAMES:
        return False
    if _is_phone(label):
        return True
    label = _undecorated(label)
    if not label or label[0] == "(" or _TOOL_MARKS.search(label):
        return False
    if "," in label:  # 'Lee, Marcus' or 'Whitfield, Dana (Brightpath)', as Teams shows a directory name
        last, _, first = label.partition(",")
        return all(part.strip() and part.strip().lower() not in _NOT_NAMES | _INTERJECTIONS and "," not in part
                   and looks_like_name(part) for part in (last, first))
    tag = _ROLE_TAG.search(label)
    if tag and tag.end() == len(label):  # a generic label with a tag, 'Speaker 1 (Guest)', is as the label is
        label = label[:tag.start()]
    if re.fullmatch(r"(?i)speaker[ _-]?\d{1,3}|[A-Z]|spk_?\d+", label):
        return True
    numbered = _NUMBERED_LABEL.fullmatch(label)
    if numbered:  # 'Agent 1', 'REP 2', 'Caller_3', Zoom's 'Call-in User_2': a role with a number; 'Step 2' stays text
        head = numbered.group("head")
        return numbered.group("role").lower() in NUMBERED_ROLES and (not head or _name_words(head.split()))
    words = label.split()
    if len(words) > 5 or (len(words) == 2 and len(words[1]) == 1 and words[0].lower() in _ENUMERATION):
        return False
    return _name_words(words)


def _header_name(m: re.Match[str]) -> str | None:
    """The label of an Otter or Teams block header, None when a comma makes it text: 'Lee, Marcus   0:06' is a Teams
    header when a tab or two spaces part the name and the time, as the export writes them, not 'Sure, Dana 1:30'."""
    name = m.group("name")
    return None if "," in name and len(m.group("gap")) < 2 and "\t" not in m.group("gap") else name


def is_speaker(label: str, seen: set[str]) -> bool:
    """Whether a label before a colon is a speaker's: it reads as a name, or it is, in any case, the label of a
    speaker already seen in the transcript ('priya raman' after 'Priya Raman'); `seen` holds their `label_key`s.
    Other lower-case labels ('note: call me back') stay text."""
    return looks_like_name(label) or label_key(label) in seen


def seconds(stamp: str) -> float:
    """`1:02:03.5` -> 3723.5; `0:03` -> 3.0."""
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for p in parts:
        total = total * 60 + float(p)
    return total


def to_seconds(value: Any) -> float | None:
    """A time as exports write it, in seconds: a number, or a string of one ('4.87', as AWS writes it), of a clock
    ('1:02:03.5', '00:00:01,5') or with Google's unit ('0.500s'); None when it is none of these (a bool, an object,
    other text, a number too large for a float). Diarized JSON, tables and the tools' exports (`vendors`) share it."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value) if not isinstance(value, str) else seconds(value.strip().removesuffix("s"))
    except (ValueError, OverflowError):
        return None


def _close_ends(segments: list[Segment]) -> None:
    for a, b in itertools.pairwise(segments):
        if a.end is None and a.start is not None and b.start is not None:
            a.end = max(a.start, b.start)


def _tool_line(line: str) -> str | None:
    """What a line the meeting tool wrote, not a speaker, is: "footer" (Otter's 'Transcribed by otter.ai', Google
    Meet's 'Meeting ended after 00:01:16' and 'This editable transcript was computer generated...'), "notice" (Teams'
    'Dana Whitfield started transcription'), "time" (a bare 'hh:mm:ss', as Meet marks every five minutes); else None."""
    line = line.strip()
    if OTTER_FOOTER.match(line) or MEET_FOOTER.match(line):
        return "footer"
    if _CLOCK.fullmatch(line):
        return "time"
    if any(line.endswith(notice) and looks_like_name(line[:-len(notice)]) for notice in _NOTICES):
        return "notice"
    return None


def _add_text(line: str, segments: list[Segment], preamble: list[str], footer: list[str]) -> None:
    """Add a line that heads no turn: a footer to `footer`, a bare time or a notice between turns nowhere, other
    text to the turn before, or before any turn to `preamble`."""
    kind = _tool_line(line)
    if kind == "footer":
        footer.append(line.strip())
    elif segments and kind:
        return
    elif line.strip():
        if segments:
            segments[-1].text += (" " if segments[-1].text else "") + line.strip()
        else:
            preamble.append(line.strip())


# A date or time that a chat app or a note puts before a speaker line: '[12/03/2024, 10:15:32] ', '12/03/2024, 10:15 - '.
_WHEN = r"\d{1,2}[:.]\d{2}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}"
_STAMP_LEAD = re.compile(rf"\s*(?:\[[^\]\n]{{0,30}}?(?:{_WHEN})[^\]\n]{{0,30}}\]|(?:\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}},?\s+)?"
                         rf"\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?(?:\s?[AaPp]\.?\s?[Mm]\.?)?\s+[-–])\s*")


def _known_speaker_line(line: str, seen: set[str]) -> Segment | None:
    """The turn a line opens when, in any layout these readers know (`Name: text`, after a date or time as a chat app
    writes it, or a timestamped one), it is the line of a speaker of the call (`seen`, their `label_key`s); else None."""
    for layout in _TIMESTAMPED_LAYOUTS:
        m = layout.match(line)
        if m and label_key(m.group("name")) in seen:
            return Segment(m.group("name").strip(), m.group("text"), start=seconds(m.group("time")))
    lead = _STAMP_LEAD.match(line)
    m = PLAIN.match(line[lead.end():] if lead else line)
    name = (m.group("name") or m.group("bare")) if m else None
    return Segment(name.strip(), m.group("text") or "") if name and label_key(name) in seen else None


def _preamble_turns(preamble: list[str], seen: set[str], footer: list[str]) -> tuple[list[str], list[Segment]]:
    """The lines above a call's first turn split into its title and the turns they hold: from the first that is the
    line of a speaker of the call in another form (`_known_speaker_line`: a chat app's '[12/03/2024, 10:15:32] Dana:
    ...', or 'dana:' once Dana has spoken), the lines are turns and their text, as below it, not a title."""
    title: list[str] = []
    segments: list[Segment] = []
    for line in preamble:
        segment = _known_speaker_line(line, seen)
        if segment:
            segments.append(segment)
        else:
            _add_text(line, segments, title, footer)
    return title, segments


def _metadata(preamble: list[str], footer: list[str]) -> dict[str, object]:
    meta: dict[str, object] = {}
    if preamble:
        meta["preamble"] = "\n".join(preamble)
    if footer:
        meta["footer"] = "\n".join(footer)
    return meta


def _build(segments: list[Segment], path: str | Path | None, fmt: str, meta: dict[str, object]) -> Conversation:
    """The call, its turns' text without the transcriber's notes about the recording."""
    for seg in segments:
        seg.text = strip_annotations(seg.text)
    return build_conversation(segments, channel="call", path=path, fmt=fmt, metadata=meta)


def read_plain(text: str, path: str | Path | None = None) -> Conversation:
    """`Name: text` lines; lines without a speaker continue the previous turn, and those above the first turn are its
    title (`metadata["preamble"]`) unless they hold a speaker's line in another form (`_preamble_turns`)."""
    segments: list[Segment] = []
    preamble: list[str] = []
    footer: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        m = PLAIN.match(line)
        name = (m.group("name") or m.group("bare")) if m else None
        if name and is_speaker(name, seen):
            seen.add(label_key(name))
            segments.append(Segment(name.strip(), m.group("text") or ""))
        else:
            _add_text(line, segments, preamble, footer)
    if not segments:
        raise ReadError(path, "no speaker turns found: expected lines like 'Name: text'")
    preamble, first = _preamble_turns(preamble, seen, footer)
    return _build(first + segments, path, "text", _metadata(preamble, footer))


def _timestamped_layout(lines: list[str]) -> tuple[re.Pattern[str], int]:
    """The timestamped layout most lines of a text are speaker lines of (the time first, ahead of 'Name:' or 'Name -',
    or after the name), with how many they are; one layout a file, so a line of another is text."""
    counts = [sum(1 for ln in lines if (m := layout.match(ln)) and looks_like_name(m.group("name")))
              for layout in _TIMESTAMPED_LAYOUTS]
    best = max(range(len(counts)), key=lambda i: (counts[i], -i))
    return _TIMESTAMPED_LAYOUTS[best], counts[best]


def read_timestamped(text: str, path: str | Path | None = None) -> Conversation:
    """`[hh:mm:ss] Name: text` or `hh:mm:ss Name: text` lines; `Name (hh:mm:ss): text`, or `Name (mm:ss):` with the
    text on the lines below (Rev.com); `[mm:ss] Name - text`."""
    segments: list[Segment] = []
    preamble: list[str] = []
    footer: list[str] = []
    seen: set[str] = set()
    lines = text.splitlines()
    layout, _ = _timestamped_layout(lines)
    for line in lines:
        m = layout.match(line)
        if m and is_speaker(m.group("name"), seen):
            seen.add(label_key(m.group("name")))
            segments.append(Segment(m.group("name").strip(), m.group("text"), start=seconds(m.group("time"))))
        else:
            _add_text(line, segments, preamble, footer)
    if not segments:
        raise ReadError(path, "no speaker turns found: expected lines like '[00:01:02] Name: text'")
    preamble, first = _preamble_turns(preamble, seen, footer)
    segments = first + segments
    _close_ends(segments)
    return _build(segments, path, "timestamped", _metadata(preamble, footer))


def read_teams(text: str, path: str | Path | None = None) -> Conversation:
    """The older Teams .docx transcript saved as text: a `0:0:1.2 --> 0:0:7.9` line, a line with the speaker's
    name, then what they said. A block whose line after the times is no name is `Unknown`'s."""
    segments: list[Segment] = []
    preamble: list[str] = []
    footer: list[str] = []
    seen: set[str] = set()
    naming = False  # the next line with text is the name of the block just begun
    for line in text.splitlines():
        m = TEAMS_TIMING.match(line)
        if m:
            segments.append(Segment("", "", start=seconds(m.group("time")), end=seconds(m.group("end"))))
            naming = True
        elif naming and line.strip():
            naming = False
            if is_speaker(line.strip(), seen):
                seen.add(label_key(line.strip()))
                segments[-1].speaker = line.strip()
            else:
                segments[-1].speaker, segments[-1].text = UNKNOWN_SPEAKER, line.strip()
        else:
            _add_text(line, segments, preamble, footer)
    if not segments:
        raise ReadError(path, "no speaker turns found: expected a '0:0:1.2 --> 0:0:7.9' line, the speaker's name "
                              "on the next line, then the text")
    return _build(segments, path, "teams", _metadata(preamble, footer))


def _read_blocks(text: str, path: str | Path | None, header: re.Pattern[str], fmt: str,
                 expected: str) -> Conversation:
    segments: list[Segment] = []
    preamble: list[str] = []
    footer: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        m = header.match(line)
        if m and (fmt == "zoom" or ((name := _header_name(m)) is not None and is_speaker(name, seen))):
            seen.add(label_key(m.group("name")))
            segments.append(Segment(m.group("name").strip(), "", start=seconds(m.group("time"))))
        elif fmt == "otter" and re.fullmatch(TIME, line.strip()):  # Otter heads a block it has no name for with its time
            segments.append(Segment(UNKNOWN_SPEAKER, "", start=seconds(line.strip())))
        else:
            _add_text(line, segments, preamble, footer)
    if not segments:
        raise ReadError(path, f"no speaker turns found: expected {expected}")
    _close_ends(segments)
    meta = _metadata(preamble, footer)
    if fmt == "zoom" and segments[0].start is not None:
        # Zoom prints wall-clock times; keep the clock and make the offsets relative.
        t0 = segments[0].start
        meta["clock_start_seconds"] = t0
        for seg in segments:
            seg.start = None if seg.start is None else seg.start - t0
            seg.end = None if seg.end is None else seg.end - t0
    return _build(segments, path, fmt, meta)


def read_otter(text: str, path: str | Path | None = None) -> Conversation:
    """Otter.ai text export: a `Name  0:03` line, then what they said."""
    return _read_blocks(text, path, OTTER_HEADER, "otter", "lines like 'Name  0:03' followed by text")


def read_zoom(text: str, path: str | Path | None = None) -> Conversation:
    """Zoom transcript text export: a `[Name] 10:02:03` line, then what they said."""
    return _read_blocks(text, path, ZOOM_HEADER, "zoom", "lines like '[Name] 10:02:03' followed by text")


def sniff(text: str) -> str | None:
    """Which line-based transcript layout a text uses, or None when it has no speaker lines."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:400]
    if not lines:
        return None
    counts = {
        "zoom": sum(1 for ln in lines if ZOOM_HEADER.match(ln)),
        "otter": sum(1 for ln in lines if (m := OTTER_HEADER.match(ln)) and looks_like_name(_header_name(m) or "")),
        "timestamped": _timestamped_layout(lines)[1],
        "text": sum(1 for ln in lines if (m := PLAIN.match(ln)) and looks_like_name(m.group("name") or m.group("bare"))),
        "teams": sum(1 for ln, after in itertools.pairwise(lines) if TEAMS_TIMING.match(ln) and looks_like_name(after)),
    }
    # Block formats put text on their own lines, so their headers are about half the lines.
    best = max(counts, key=lambda k: (counts[k] * (2 if k in ("zoom", "otter", "teams") else 1), -list(counts).index(k)))
    return best if counts[best] else None


READERS = {"text": read_plain, "timestamped": read_timestamped, "otter": read_otter, "zoom": read_zoom,
           "teams": read_teams}
