"""Caption files: WebVTT (webvtt-py), SRT (srt) and YouTube SBV, speakers from voice tags or `Name:` prefixes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import srt
import webvtt
from webvtt.errors import MalformedFileError
from webvtt.vtt import parse_item

from reciprocity_nlp.conversation import UNKNOWN_SPEAKER, Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.base import Segment, build_conversation
from reciprocity_nlp.readers.speakers import label_key
from reciprocity_nlp.readers.transcripts import LABEL_CHARS, is_speaker, seconds, strip_annotations

_PREFIX = re.compile(rf"^\s*(?:-\s*|>>\s*)?(?P<name>(?:[^\W_]|[+(])[{LABEL_CHARS}]{{0,40}}?)\s*:\s+(?P<text>.*)$")
_BRACKET = re.compile(r"^\s*[\[(](?P<name>[^\])]{1,40})[\])]\s*:?\s*(?P<text>.*)$")
# A sound in brackets, as captions for the deaf and hard of hearing write it ('[LAUGHS]', '(sighs)'): part of what is
# heard, kept as text as the project keeps '[laughs]', never a speaker's label. An audience's ('[Applause]') is no one's
# words and goes with the transcriber's notes (`strip_annotations`).
_SOUND = re.compile(r"(?:\w+ )?(?:laugh(?:s|ter|ing)?|(?:chuckl|giggl|sneez|whistl)(?:e|es|ing)|(?:sigh|cough|gasp|groan|"
                    r"scoff|snort)(?:s|ing)?|sniff(?:s|ing|les)?|(?:ex|in)hal(?:e|es|ing)|"
                    r"clears? (?:his |her |their )?throat)", re.I)
# A tag holds no '<': with `[^>]+`, each '<' of a long line without '>' scanned to its end (quadratic).
_TAG = re.compile(r"</?[^<>]+>")
_LINE_BREAK = re.compile(r"\r\n?|\n")  # what both formats split lines on (not str.splitlines' \f, \u2028...)
_VTT_NON_CUE = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")  # blocks WebVTT reads without a timing line


_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?\s+([^<>]+)>")


def _unescaped(text: str) -> str:
    """WebVTT text with its character references decoded ('Sof&#237;a', 'we&#39;re', '&amp;'), as Teams writes them."""
    return html.unescape(text) if "&" in text else text


def _voice_spans(raw: str, speaker: str | None, unescape: bool) -> list[tuple[str, str]]:
    """(speaker, text) of each voice span of a cue line ('<v Mike>Sure.</v> <v Laura>Great.</v>'); text before
    the first tag is `speaker`'s, the voice before it."""
    decode = _unescaped if unescape else str
    pieces = _VOICE.split(raw)  # text, name, text, name, text...
    spans = [(speaker or "", pieces[0])] + [(decode(pieces[i].strip()), pieces[i + 1]) for i in range(1, len(pieces), 2)]
    return [(name, text) for name, raw_text in spans
            if (text := decode(_TAG.sub("", strip_annotations(raw_text))).strip())]


def _cue_segments(lines: list[str], voice: str | None, start: float, end: float,
                  previous: str | None, seen: set[str], unescape: bool = False) -> list[Segment]:
    """Split one cue's lines into segments, each with its speaker; `seen` holds the `label_key` of every
    prefix read as a speaker so far, and gains this cue's (see `is_speaker`). `unescape`: decode character
    references (WebVTT), once tags are removed, so an escaped '&lt;' stays text."""
    segments: list[Segment] = []
    speaker = voice or previous
    for raw in lines:
        if _VOICE.search(raw):  # each voice span is its speaker's, however many share the cue or the line
            spans = _voice_spans(raw, speaker, unescape)  # (one speaker's spans in a row become one turn when built)
            segments += [Segment(name, text, start=start, end=end) for name, text in spans]
            speaker = spans[-1][0] if spans else speaker
            continue
        line = _TAG.sub("", strip_annotations(raw))  # '<overlap>' and '[Crosstalk]' are no tag and no speaker
        line = (_unescaped(line) if unescape else line).strip()
        if not line:
            continue
        m = _PREFIX.match(line) or _BRACKET.match(line)
        if m and m.re is _BRACKET and _SOUND.fullmatch(m.group("name").strip()):
            m = None
        if not voice and m and is_speaker(m.group("name"), seen):
            speaker = m.group("name").strip()
            seen.add(label_key(speaker))
            segments.append(Segment(speaker, m.group("text").strip(), start=start, end=end))
        elif segments:
            segments[-1].text += " " + line
        else:
            segments.append(Segment(speaker or "", line, start=start, end=end))
    return segments


def _finish(segments: list[Segment], path: str | Path | None, fmt: str) -> Conversation:
    if segments and not segments[0].speaker:
        named = [s for s in segments if s.speaker]
        if not named:
            expected = "lines like 'Name: text'" if fmt == "sbv" else "voice tags like '<v Name>' or lines like 'Name: text'"
            raise ReadError(path, f"no speakers found in this {fmt} file: expected {expected}")
        segments[0].speaker = UNKNOWN_SPEAKER
    for seg in segments:
        seg.speaker = seg.speaker or UNKNOWN_SPEAKER
    return build_conversation(segments, channel="call", path=path, fmt=fmt)


def _check_vtt_timings(lines: list[str], path: str | Path | None) -> None:
    """Refuse a line with `-->` that webvtt-py cannot read as cue timings.

    webvtt-py skips such a cue without a word (its strict mode would also refuse harmless cue
    settings and short timestamps), and a skipped cue is lost speech.
    """
    for number, line in enumerate(lines, 1):
        if "-->" in line and parse_item([line]) is None:
            raise ReadError(path, f"WebVTT line {number}: malformed cue timing line {line.strip()!r}, expected "
                                  "'hh:mm:ss.ttt --> hh:mm:ss.ttt' (the cue would be lost)")


def _vtt_blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """The blocks of a WebVTT file, each with the number of its first line, split as the WebVTT spec does.

    A block ends at an empty line, or before a `-->` line that cannot be its timing line: only a
    cue's first line, or its second after an identifier, can be, and never in the header block.
    """
    blocks: list[tuple[int, list[str]]] = []
    block: list[str] = []
    for number, line in enumerate(lines, 1):
        if block and (not line or ("-->" in line and (len(blocks) == 1 or len(block) > 1 or "-->" in block[0]))):
            block = []
        if line:
            if not block:
                blocks.append((number, block))
            block.append(line)
    return blocks


def _check_vtt_blocks(lines: list[str], path: str | Path | None) -> None:
    """Refuse a block after the header that is neither a cue nor a NOTE, STYLE or REGION block.

    WebVTT ignores such a block, so text after a blank line inside a cue would be lost without a
    word: a blank line ends a cue, and the text that follows has no timing line.
    """
    for number, block in _vtt_blocks(lines)[1:]:
        if not _VTT_NON_CUE.match(block[0]) and not any("-->" in line for line in block):
            raise ReadError(path, f"WebVTT line {number}: text outside any cue {block[0].strip()!r}: a blank line ends "
                                  "a cue, so this text has no timing line and would be lost (remove the blank "
                                  "line, or give the text its own 'hh:mm:ss.ttt --> hh:mm:ss.ttt' line)")


def read_vtt(text: str, path: str | Path | None = None) -> Conversation:
    """WebVTT with `<v Name>` voice tags or `Name:` prefixes; one speaker's cues become one turn."""
    if not text.lstrip("\ufeff").lstrip().startswith("WEBVTT"):
        raise ReadError(path, "not WebVTT: missing WEBVTT header")
    lines = _LINE_BREAK.split(text)
    _check_vtt_timings(lines, path)
    _check_vtt_blocks(lines, path)
    try:
        captions = webvtt.from_string(text.lstrip("\ufeff"))
    except (MalformedFileError, ValueError, IndexError) as exc:
        raise ReadError(path, f"malformed WebVTT: {exc}") from exc
    segments: list[Segment] = []
    seen: set[str] = set()
    for cap in captions:
        previous = segments[-1].speaker if segments else None
        voice = getattr(cap, "voice", None)
        segments += _cue_segments(cap.raw_text.splitlines(), _unescaped(voice.strip()) if voice else None,
                                  seconds(cap.start), seconds(cap.end), previous, seen, unescape=True)
    if not segments:
        raise ReadError(path, "no cues with text found in this WebVTT file")
    return _finish(segments, path, "vtt")


MAX_SRT_LINE = 10_000  # characters of one SRT line: subtitle lines are short
_DIGIT_RUN = re.compile(r"\d{10,}")  # longer than any cue number or time field
_SPACES = re.compile(r"\s+")  # in a line: any run of white space (NBSP, ideographic space...), which srt's \s matches
_RUN_MARK = re.compile("\ue000([a-j]+)\ue001")  # a digit run's stand-in while srt parses: its index in letters


def _srt_text(text: str, path: str | Path | None) -> tuple[str, list[int], list[str]]:
    """The text srt parses, the file's number of each of its lines, and the digit runs taken out of it.

    srt's pattern takes time quadratic in a run of white space (2.6 s for 10,000 spaces) and cubic in a run of
    digits (a line of 20,000 took 8.5 s): lines are stripped, runs of white space in a line cut to one space and runs of
    blank lines to one, and each run of ten digits or more stands in as a mark of letters (`_RUN_MARK`) that `_restored` turns back;
    none of this changes what a cue says. A line longer than `MAX_SRT_LINE` is a ReadError."""
    kept: list[str] = []
    numbers: list[int] = []
    runs: list[str] = []

    def mark(m: re.Match[str]) -> str:
        runs.append(m.group(0))
        return "\ue000" + "".join(chr(ord("a") + int(d)) for d in str(len(runs) - 1)) + "\ue001"

    for number, line in enumerate(_LINE_BREAK.split(text), 1):
        line = line.strip()
        if len(line) > MAX_SRT_LINE:
            raise ReadError(path, f"SRT line {number} holds {len(line):,} characters, where a subtitle line holds at "
                                  f"most {MAX_SRT_LINE:,}: not a subtitle file? (--format names another)")
        if line or not kept or kept[-1]:
            kept.append(_DIGIT_RUN.sub(mark, _SPACES.sub(" ", line)))
            numbers.append(number)
    return "\n".join(kept), numbers, runs


def _restored(text: str, runs: list[str]) -> str:
    """Text of the srt parse with its digit runs back (see `_srt_text`)."""
    if "\ue000" not in text:
        return text
    return _RUN_MARK.sub(lambda m: runs[int("".join(str(ord(c) - ord("a")) for c in m.group(1)))], text)


def _unread_srt_block(text: str, numbers: list[int], runs: list[str], exc: srt.SRTParseError) -> str:
    """The reason for an SRTParseError in `text` (see `_srt_text`), by the file's line number, not a character offset."""
    block = exc.unmatched_content.strip()
    start = text.index(block, exc.expected_start)
    number = numbers[len(_LINE_BREAK.split(text[:start])) - 1]
    head = " / ".join(_restored(line.strip(), runs) for line in _LINE_BREAK.split(block)[:2])
    return (f"SRT line {number}: not a cue: {head!r}; expected a cue number, "
            "then 'hh:mm:ss,mmm --> hh:mm:ss,mmm', then the text")


def _glued_timing_line(content: str) -> str | None:
    """A line in a cue's text that is the timing line of a cue srt could not read, if any.

    srt allows blank lines inside a cue, so a following cue with a malformed timing line is
    read as more text of this one: its timing line holds `-->`, or follows a bare cue number
    that follows a blank line.
    """
    lines = [line.strip() for line in _LINE_BREAK.split(content)]
    for i, line in enumerate(lines):
        if "-->" in line:
            return line
        if 0 < i < len(lines) - 1 and not lines[i - 1] and line.isdecimal():
            return lines[i + 1]
    return None


def read_srt(text: str, path: str | Path | None = None) -> Conversation:
    """SubRip with `NAME:` prefixes and multi-line cues; one speaker's cues become one turn."""
    text = text.lstrip("\ufeff")
    parsed, numbers, runs = _srt_text(text, path)
    try:
        subs = list(srt.parse(parsed, ignore_errors=False))
    except srt.SRTParseError as exc:
        raise ReadError(path, _unread_srt_block(parsed, numbers, runs, exc)) from exc
    except ValueError as exc:
        raise ReadError(path, f"malformed SRT: {exc}") from exc
    segments: list[Segment] = []
    seen: set[str] = set()
    for sub in subs:
        content = _restored(sub.content, runs)
        glued = _glued_timing_line(content)
        if glued is not None:
            number = [_SPACES.sub(" ", line.strip()) for line in _LINE_BREAK.split(text)].index(glued) + 1
            raise ReadError(path, f"SRT line {number}: malformed timing line {glued!r}, expected "
                                  "'hh:mm:ss,mmm --> hh:mm:ss,mmm' (its cue would be read as more text of "
                                  f"cue {sub.index})")
        previous = segments[-1].speaker if segments else None
        segments += _cue_segments(content.splitlines(), None, sub.start.total_seconds(),
                                  sub.end.total_seconds(), previous, seen)
    if not segments:
        raise ReadError(path, "not SRT: no numbered cues with 'hh:mm:ss,mmm --> hh:mm:ss,mmm' timings")
    return _finish(segments, path, "srt")


_SBV_TIMING = re.compile(r"[ \t]*(?P<start>\d{1,2}:\d{2}:\d{2}\.\d{1,3}),(?P<end>\d{1,2}:\d{2}:\d{2}\.\d{1,3})[ \t]*")


def read_sbv(text: str, path: str | Path | None = None) -> Conversation:
    """YouTube SBV: a `0:00:00.500,0:00:03.350` line, then the cue's text, a blank line after each cue; speakers
    from `Name:` prefixes, one speaker's cues become one turn."""
    segments: list[Segment] = []
    seen: set[str] = set()
    cue: list[str] | None = None  # the text lines of the cue being read, None between cues
    timing = (0.0, 0.0)
    for number, line in enumerate([*_LINE_BREAK.split(text.lstrip("\ufeff")), ""], 1):
        m = _SBV_TIMING.fullmatch(line)
        if cue is not None and (m or not line.strip()):  # a cue ends at a blank line, or at the next timing line
            previous = segments[-1].speaker if segments else None
            segments += _cue_segments(cue, None, *timing, previous, seen)
            cue = None
        if m:
            cue, timing = [], (seconds(m.group("start")), seconds(m.group("end")))
        elif cue is not None:
            cue.append(line)
        elif line.strip():
            raise ReadError(path, f"SBV line {number}: text outside any cue {line.strip()[:80]!r}: expected a "
                                  "'h:mm:ss.mmm,h:mm:ss.mmm' line, then the text (a blank line ends a cue)")
    if not segments:
        raise ReadError(path, "no cues with text found in this SBV file")
    return _finish(segments, path, "sbv")


def sniff(text: str) -> str | None:
    head = text.lstrip("\ufeff").lstrip()
    if head.startswith("WEBVTT"):
        return "vtt"
    if re.match(r"^\d+\s*\r?\n\d{1,2}:\d{2}:\d{2},\d{3}\s*-->", head):
        return "srt"
    if _SBV_TIMING.fullmatch(_LINE_BREAK.split(head, maxsplit=1)[0]):
        return "sbv"
    return None


READERS = {"vtt": read_vtt, "srt": read_srt, "sbv": read_sbv}
