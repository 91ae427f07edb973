"""Line-based call transcripts: `Name: text`, timestamped lines, Otter and Zoom text exports."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.base import Segment, build_conversation
from reciprocity_nlp.readers.speakers import label_key

TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_LABEL = r"[^\W_][\w.'’&()\- ]{0,48}?"

PLAIN = re.compile(rf"^\s*(?P<name>{_LABEL})\s*:\s+(?P<text>\S.*)$|^\s*(?P<bare>{_LABEL})\s*:\s*$")
# The separator after the time is optional, and the spaces around it are one run when it is missing: written
# `\s*[-–|]?\s*`, a long run of spaces could be split between the two `\s*` in every way before the match fails.
TIMESTAMPED = re.compile(
    rf"^\s*[\[(]?(?P<time>{TIME})[\])]?\s*(?:[-–|]\s*)?(?P<name>{_LABEL})\s*:\s*(?P<text>.*)$"
)
OTTER_HEADER = re.compile(rf"^\s*(?P<name>{_LABEL})\s+(?P<time>{TIME})\s*$")
ZOOM_HEADER = re.compile(rf"^\s*\[(?P<name>[^\]]{{1,60}})\]\s+(?P<time>{TIME})\s*$")
OTTER_FOOTER = re.compile(r"^\s*transcribed by\s+\S*otter\.ai", re.IGNORECASE)

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


def looks_like_name(label: str) -> bool:
    """Whether a label before a colon reads as a speaker: names, titles, initials, `SPEAKER_01`."""
    label = label.strip()
    if not label or len(label) > 48 or label.lower().rstrip(".") in _NOT_NAMES:
        return False
    if re.fullmatch(r"(?i)speaker[ _-]?\d{1,3}|[A-Z]|spk_?\d+", label):
        return True
    numbered = re.fullmatch(r"(?P<role>[^\W\d_]+)[ _-]?\d{1,3}", label)
    if numbered:  # 'Agent 1', 'REP 2', 'Caller_3': a role with a number; 'Step 2' and 'Option 3' stay text
        return numbered.group("role").lower() in NUMBERED_ROLES
    words = label.split()
    if len(words) > 5 or (len(words) == 2 and len(words[1]) == 1 and words[0].lower() in _ENUMERATION):
        return False
    for i, w in enumerate(words):
        core = w.strip("().'’-&")
        if not core:
            continue
        if any(ch.isdigit() for ch in core):
            return False
        if core[0].isupper():
            continue
        if i and core.lower() in _PARTICLES:
            continue
        return False
    return True


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


def _close_ends(segments: list[Segment]) -> None:
    for a, b in itertools.pairwise(segments):
        if a.end is None and a.start is not None and b.start is not None:
            a.end = max(a.start, b.start)


def read_plain(text: str, path: str | Path | None = None) -> Conversation:
    """`Name: text` lines; lines without a speaker continue the previous turn."""
    segments: list[Segment] = []
    preamble: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        m = PLAIN.match(line)
        name = (m.group("name") or m.group("bare")) if m else None
        if name and is_speaker(name, seen):
            seen.add(label_key(name))
            segments.append(Segment(name.strip(), m.group("text") or ""))
        elif line.strip():
            if segments:
                segments[-1].text += " " + line.strip()
            else:
                preamble.append(line.strip())
    if not segments:
        raise ReadError(path, "no speaker turns found: expected lines like 'Name: text'")
    meta = {"preamble": "\n".join(preamble)} if preamble else {}
    return build_conversation(segments, channel="call", path=path, fmt="text", metadata=meta)


def read_timestamped(text: str, path: str | Path | None = None) -> Conversation:
    """`[hh:mm:ss] Name: text` or `hh:mm:ss Name: text` lines."""
    segments: list[Segment] = []
    preamble: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        m = TIMESTAMPED.match(line)
        if m and is_speaker(m.group("name"), seen):
            seen.add(label_key(m.group("name")))
            segments.append(Segment(m.group("name").strip(), m.group("text"), start=seconds(m.group("time"))))
        elif line.strip():
            if segments:
                segments[-1].text += " " + line.strip()
            else:
                preamble.append(line.strip())
    if not segments:
        raise ReadError(path, "no speaker turns found: expected lines like '[00:01:02] Name: text'")
    _close_ends(segments)
    meta = {"preamble": "\n".join(preamble)} if preamble else {}
    return build_conversation(segments, channel="call", path=path, fmt="timestamped", metadata=meta)


def _read_blocks(text: str, path: str | Path | None, header: re.Pattern[str], fmt: str,
                 expected: str) -> Conversation:
    segments: list[Segment] = []
    preamble: list[str] = []
    footer: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        m = header.match(line)
        if m and (fmt == "zoom" or is_speaker(m.group("name"), seen)):
            seen.add(label_key(m.group("name")))
            segments.append(Segment(m.group("name").strip(), "", start=seconds(m.group("time"))))
        elif OTTER_FOOTER.match(line):
            footer.append(line.strip())
        elif line.strip():
            if segments:
                segments[-1].text += (" " if segments[-1].text else "") + line.strip()
            else:
                preamble.append(line.strip())
    if not segments:
        raise ReadError(path, f"no speaker turns found: expected {expected}")
    _close_ends(segments)
    meta: dict[str, object] = {}
    if preamble:
        meta["preamble"] = "\n".join(preamble)
    if footer:
        meta["footer"] = "\n".join(footer)
    if fmt == "zoom" and segments[0].start is not None:
        # Zoom prints wall-clock times; keep the clock and make the offsets relative.
        t0 = segments[0].start
        meta["clock_start_seconds"] = t0
        for seg in segments:
            seg.start = None if seg.start is None else seg.start - t0
            seg.end = None if seg.end is None else seg.end - t0
    return build_conversation(segments, channel="call", path=path, fmt=fmt, metadata=meta)


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
        "otter": sum(1 for ln in lines if (m := OTTER_HEADER.match(ln)) and looks_like_name(m.group("name"))),
        "timestamped": sum(1 for ln in lines if (m := TIMESTAMPED.match(ln)) and looks_like_name(m.group("name"))),
        "text": sum(1 for ln in lines if (m := PLAIN.match(ln)) and looks_like_name(m.group("name") or m.group("bare"))),
    }
    # Block formats put text on their own lines, so their headers are about half the lines.
    best = max(counts, key=lambda k: (counts[k] * (2 if k in ("zoom", "otter") else 1), -list(counts).index(k)))
    return best if counts[best] else None


READERS = {"text": read_plain, "timestamped": read_timestamped, "otter": read_otter, "zoom": read_zoom}
