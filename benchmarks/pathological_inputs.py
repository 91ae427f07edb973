"""Pathological inputs: does reading the ones that once backtracked or looped grow linearly with their size?

    python benchmarks/pathological_inputs.py [--runs 3] [--scale 1.0]

Each input below is one a reader's test builds against what took, or could take, seconds to minutes: a regular
expression backtracking over a long run of spaces, colons, digits or brackets (quadratic, cubic or worse), a parser
copying the rest of a stream at each attribute, a count in a file's header followed round a loop. The tests check
what is read from such an input; this script measures how the time grows. Each input is the test's, a unit repeated N
times (N is the test's size times --scale; for SRT a quarter of it, see `call_cases`), read at N and at 4N: for
linear code the time ratio is near 4 (a little above or below: fixed costs, caches), near 16 for quadratic code.
Where N is a size or count a file declares rather than what it holds (an Outlook stream's size, a TNEF property
count), the input is refused at once and the ratio is near 1. At 4N most texts pass the 200,000 characters a turn may
hold: they are read whole and then refused (the conversation is checked once its turns are read), so what is timed is
the reading. Each time is the median of --runs reads of an input built beforehand.
Prints a markdown table, grouped by reader, then a summary of each reader's rows; asserts nothing.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import statistics
import struct
import time
from collections.abc import Callable
from typing import Any, NamedTuple

from compressed_rtf.crc32 import crc32

from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers import detect_format, parse_bytes, rtf
from reciprocity_nlp.readers.boilerplate import strip_signature
from reciprocity_nlp.readers.diarized import read_json
from reciprocity_nlp.readers.emails import read_eml, read_pasted
from reciprocity_nlp.readers.invitations import event_title
from reciprocity_nlp.readers.outlook import SIGNATURE
from reciprocity_nlp.readers.rtf import rtf_text
from reciprocity_nlp.readers.subtitles import read_srt, read_vtt


class Case(NamedTuple):
    """One input: the reader it is timed on, what it is, its size N, how to build it at a size, and how to read it."""

    reader: str
    label: str
    n: int
    build: Callable[[int], Any]
    read: Callable[[Any], object]
    declared: bool = False  # N is a size the input declares, not one it holds: not scaled


def repeated(prefix: str, unit: str, suffix: str = "") -> tuple[str, Callable[[int], str]]:
    """A label and a builder for `prefix`, then `unit` N times, then `suffix`."""
    label = " + ".join(part for part in (repr(prefix) if prefix else "", f"{unit!r} × N", repr(suffix) if suffix else "")
                       if part)
    return label, lambda n: prefix + unit * n + suffix


# --------------------------------------------------------------------------------------------- emails


def mail(body: str, subject: str = "RE: Senior Data Engineer", sender: str = "Jana Mueller <jana@talentbridge.example>",
         ctype: str = "text/plain; charset=utf-8") -> bytes:
    """A one-part email of `body`."""
    return (f"From: {sender}\nTo: Sam Patel <sam.patel@mail.example>\nSubject: {subject}\n"
            f"Date: Tue, 4 Mar 2025 12:02:11 +0100\nMIME-Version: 1.0\nContent-Type: {ctype}\n\n{body}").encode()


def multipart(subject: str, parts: list[tuple[str, str]]) -> bytes:
    """A multipart/alternative email from Marcus Lee of `parts` ((content type, text) each)."""
    body = "".join(f"--b\nContent-Type: {ctype}\n\n{text}\n" for ctype, text in parts)
    return ("From: Marcus Lee <marcus.lee@acme.example>\nTo: Dana Whitfield <dana.whitfield@brightpath.example>\n"
            f"Subject: {subject}\nDate: Fri, 7 Mar 2025 16:02:40 +0000\nMIME-Version: 1.0\n"
            f'Content-Type: multipart/alternative; boundary="b"\n\n{body}--b--\n').encode()


def calendar(method: str, fields: str = "") -> str:
    return (f"BEGIN:VCALENDAR\nMETHOD:{method}\nBEGIN:VEVENT\nSUMMARY:Brightpath onboarding review\n{fields}"
            "END:VEVENT\nEND:VCALENDAR")


def email_cases() -> list[Case]:
    cases = []
    for prefix, unit, suffix, n in [
        ("", " ", "", 100_000), ("", ":", "", 100_000), ("CAUTION:", "a", "", 100_000), ("[", " :", "", 50_000),
        ("", "#", " reply above", 100_000), ("ACHTUNG:", "a", "", 100_000), ("Diese E-Mail ", " ", "stammt", 100_000),
        ("Achtung: ", "klicken sie nicht ", "", 6_000), ("Attention : ", "de l'extérieur ", "", 7_000),
        ("Precaución: ", "se originó ", "", 9_000), ("Let op: ", "klik niet op ", "", 8_000),
    ]:
        label, build = repeated(prefix, unit, suffix)
        cases.append(Case("email banners (`read_eml`)", label, n, lambda n, build=build: mail(f"Hi Sam,\n\n{build(n)}\n\nThanks\n"),
                          lambda data: read_eml(data, "long.eml")))
    for prefix, unit, suffix, n in [
        ("", " ", "", 100_000), ("", ":", "", 100_000), ("Von", " ", ":", 100_000), ("Am ", "1 ", "schrieb x", 50_000),
        ("Le 1, x <", " ", "> a écrit :", 100_000), ("Von: x\nGesendet: ", "3 ", "", 50_000),
        ("", "Am 1 " + "schrieb " * 39 + "\n", "", 320), ("", "Op 1 " + "heeft " * 52 + "\n", "", 320),
        ("Fra", " ", ":", 100_000), ("Od: x\nWysłano: ", "3 ", "", 50_000), ("Fra: x\nSendt: 3. marts 2025 ", "1.", "", 50_000),
        ("Den 1 ", "skrev ", "", 20_000), ("", "Den 1 " + "skrev " * 54 + "\n", "", 320),
        ("", "1 " + "kirjoitti " * 32 + "\n", "", 320), ("", "Sam " * 40 + "kirjoitti 1 " * 14 + "\n", "", 320),
        ("", "W dniu 1 " + "napisał " * 40 + "\n", "", 320), ("", "1 x\n" + "pisze " * 50 + "\n", "", 160),
        ("", "-", " Weitergeleitete Nachricht", 100_000), ("-- Weitergeleitete Nachricht ", "-", "x", 100_000),
        ("Anfang der weitergeleiteten Nachricht", " ", "x", 100_000), ("", "> ", "Begin forwarded message x", 50_000),
        ("-----Original Message-----\n", "Betreff: x\n", "", 15_000),
    ]:
        label, build = repeated(prefix, unit, suffix)
        if len(unit) > 20:  # a line of words repeated: shown as its first words
            label = f"lines {unit[:unit.index(' ', 12)]!r}… ({len(unit)} characters) × N"
        cases.append(Case("localised quoted headers (`read_eml`)", label, n,
                          lambda n, build=build: mail(f"Hi Sam,\n\n{build(n)}\n"), lambda data: read_eml(data, "long.eml")))
    cases.append(Case("calendar parts (`read_eml`)", "text/calendar: 'DESCRIPTION' + ';\"' × N, 'COMMENT' + ';a' × N", 50_000,
                      lambda n: mail("BEGIN:VEVENT\nDESCRIPTION" + ';"' * n + "\nCOMMENT" + ";a" * n + "\n", "Interview",
                                     ctype="text/calendar"),
                      lambda data: read_eml(data, "c.eml")))
    cases.append(Case("notifications (`read_eml`, `strip_signature`)",
                      "LinkedIn-like notification: lines of 'Aoife ' × N, 'x ' × N, 'x' × 2N, 'a' × 2N", 10_000,
                      lambda n: mail(f"{'Aoife ' * n}\nAoife Byrne\n\nYou are receiving " + "x " * n + "\n\nView " + "x" * 2 * n
                                     + "\n\nThis email was intended for " + "a" * 2 * n + "\n\nok",
                                     "Aoife Byrne " * (n // 5) + "replied to your messages", "Aoife Byrne <aoife@mail.example>"),
                      lambda data: read_eml(data, "long.eml")))
    cases.append(Case("notifications (`read_eml`, `strip_signature`)", "strip_signature: \"You're receiving emails a\\n\" × N",
                      80_000, lambda n: "Hi Ana,\n" + "You're receiving emails a\n" * n + "Thanks", strip_signature))
    invitations = "invitations (`event_title`, `read_eml`)"
    cases.append(Case(invitations, "event_title: 'Invitation: x @ ' + '1 (' × N + '(a@b'", 5_000,
                      lambda n: "Invitation: x @ " + "1 (" * n + "(a@b", event_title))
    cases.append(Case(invitations, "accepted with a note: 'x has ' × N, then 50 lines of '\" ' × N/10", 10_000,
                      lambda n: multipart("Accepted: Review", [
                          ("text/plain; charset=utf-8", "Marcus Lee has accepted this invitation with a note: \"" + "x has " * n
                           + "\n" + "\n".join(["a has accepted this invitation with a note: " + '" ' * (n // 10)] * 50) + "\n"),
                          ("text/calendar; method=REPLY", calendar("REPLY"))]),
                      lambda data: read_eml(data, "long.eml")))
    cases.append(Case(invitations, "DESCRIPTION: 3 fences '-::~' + ':~' × N, 'Agenda.' + ' ' × N", 20_000,
                      lambda n: multipart("Review", [("text/calendar; method=REQUEST", calendar(
                          "REQUEST", "DESCRIPTION:" + "\\n".join(["-::~" + ":~" * n] * 3 + ["Agenda." + " " * n]) + "\n"))]),
                      lambda data: read_eml(data, "d.eml")))
    cases.append(Case(invitations, "Google invitation text: 10 × ('title' + ' ' × N, 'pin:' + ' ' × N, '(GB)' × 2N/5)", 5_000,
                      lambda n: multipart("Review", [
                          ("text/plain; charset=utf-8", "\n".join(["title" + " " * n + "x", "pin:" + " " * n, "(GB)" * (2 * n // 5)] * 10)
                           + "\n~~//~~\nInvitation from Google Calendar\n"),
                          ("text/calendar; method=REQUEST", calendar("REQUEST"))]),
                      lambda data: read_eml(data, "i.eml")))
    quoted = "Thanks.\n\nFrom: Ana Ruiz <ana@x.com>\nSent: Tuesday, March 4, 2025 9:14 AM\nSubject: Role\n"
    for label, line in [("'A ' × N/10 + 'wrote on ' + '1 ' × N/4 + ':x'",
                         lambda n: "A " * (n // 10) + "wrote on " + "1 " * (n // 4) + ":x"),
                        ("'*' × N + 'Importance:'", lambda n: "*" * n + "Importance:"),
                        ("'Ab Cd wrote on ' + ':' × N", lambda n: "Ab Cd wrote on " + ":" * n)]:
        cases.append(Case("pasted quoted headers (`read_pasted`)", f"3 lines of {label} below a From: block", 20_000,
                          lambda n, line=line: quoted + "\n".join([line(n)] * 3) + "\n\nHi Sam.\n",
                          lambda text: read_pasted(text, "long.txt")))
    return cases


# ----------------------------------------------------------------------------------------- Outlook's files


MESSAGE, ATTACHMENT = 1, 2
PT_LONG, PT_UNICODE, PT_BINARY, MV = 0x0003, 0x001F, 0x0102, 0x1000
PR_BODY, PR_RTF_COMPRESSED = 0x1000, 0x1009
END, FREE, NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFF


def attribute(level: int, attribute_id: int, value: bytes) -> bytes:
    """One TNEF attribute: level, id (its type in the high word), length, the value and the sum of its bytes."""
    return struct.pack("<BII", level, attribute_id, len(value)) + value + struct.pack("<H", sum(value) & 0xFFFF)


def prop(kind: int, prop_id: int, value: bytes) -> bytes:
    """One MAPI property of one counted value, padded to 4 bytes."""
    return struct.pack("<HHII", kind, prop_id, 1, len(value)) + value + bytes(-len(value) % 4)


def props_of(*properties: bytes) -> bytes:
    return struct.pack("<I", len(properties)) + b"".join(properties)


def unicode_body(text: str) -> bytes:
    return prop(PT_UNICODE, PR_BODY, (text + "\0").encode("utf-16-le"))


def winmail(message_props: bytes, extra: bytes = b"") -> bytes:
    """A winmail.dat: the signature and key, `extra` attributes, the version, code page and class, the message's
    MAPI properties (`message_props`, their count first), and an attachment after them."""
    return (struct.pack("<IH", 0x223E9F78, 0x0A1B) + extra
            + attribute(MESSAGE, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
            + attribute(MESSAGE, 0x00069007, struct.pack("<II", 1252, 0))  # attOemCodepage
            + attribute(MESSAGE, 0x00078008, b"IPM.Microsoft Mail.Note\0")  # attMessageClass
            + attribute(MESSAGE, 0x00069003, message_props)
            + attribute(ATTACHMENT, 0x00069002, bytes(14))  # attAttachRendData
            + attribute(ATTACHMENT, 0x00018010, b"quote.pdf\0")  # attAttachTitle
            + attribute(ATTACHMENT, 0x0006800F, b"%PDF-1.4 Renewal quote: 12,400 EUR"))  # attAttachData


def tnef_mail(dat: bytes) -> bytes:
    """An Outlook message to an outside recipient whose only part is a winmail.dat."""
    return ("From: Priya Raman <priya@northwind.example>\nTo: Chris Doyle <chris@ledgerly.example>\n"
            "Subject: RE: Ledgerly renewal\nDate: Mon, 3 Mar 2025 15:22:10 -0500\nMIME-Version: 1.0\n"
            'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: application/ms-tnef; name="winmail.dat"\n'
            'Content-Disposition: attachment; filename="winmail.dat"\nContent-Transfer-Encoding: base64\n\n'
            f"{base64.encodebytes(dat).decode()}--b--\n").encode()


def rtf_bomb(tokens: int) -> bytes:
    """A compressed RTF body of `tokens` back-references of 17 bytes each: 2 bytes (and a flag bit) that inflate eightfold."""
    at, refs = 207, []
    for _ in range(tokens):
        refs.append(struct.pack(">H", ((at + 1) % 4096) << 4 | 15))
        at = (at + 17) % 4096
    stream = b"".join(b"\xff" + b"".join(refs[i:i + 8]) for i in range(0, len(refs), 8))
    return struct.pack("<II4sI", len(stream) + 12, rtf.MAX_RTF_BYTES * 2, b"LZFu", crc32(stream)) + stream


def compound_msg(body: bytes) -> bytearray:
    """A compound file ([MS-CFB] version 3) as an Outlook .msg holding only its body, `body` (at least 4,096 bytes, so
    in sectors of its own, not the mini stream): the header, one FAT sector, one directory sector, the body's."""
    count = -(-len(body) // 512)
    fat = [0xFFFFFFFD, END] + [2 + i + 1 for i in range(count - 1)] + [END]
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", SIGNATURE, bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
                         0, 1, 1, 0, 4096, END, 0, END, 0) + struct.pack("<109I", 0, *[FREE] * 108)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, NONE, NONE, child, bytes(16), 0, 0, 0,
                           start, size)

    directory = (entry("Root Entry", 5, 1, END, 0) + entry("__substg1.0_1000001F", 2, NONE, 2, len(body))
                 + entry("", 0, NONE, 0, 0) * 2)
    return bytearray(header + struct.pack("<128I", *fat, *[FREE] * (128 - len(fat))) + directory
                     + body.ljust(count * 512, b"\0"))


def looped_stream(declared: int) -> bytes:
    """A .msg whose body stream declares `declared` bytes and whose sectors are chained in a loop."""
    data = compound_msg(("x" * 3000).encode("utf-16-le"))
    struct.pack_into("<I", data, 512 + 4 * 13, 2)  # the body's last sector (13) leads back to its first (2)
    struct.pack_into("<Q", data, 1024 + 128 + 120, declared)
    return bytes(data)


def looped_difat(declared: int) -> bytes:
    """A .msg whose header counts `declared` DIFAT sectors, the first of which names itself as the next."""
    data = compound_msg(("x" * 3000).encode("utf-16-le"))
    at = (len(data) - 512) // 512
    data += struct.pack("<127II", *([0] * 127), at)
    struct.pack_into("<I", data, 0x2C, 109 + declared * 127)
    struct.pack_into("<II", data, 0x44, at, declared)
    return bytes(data)


def read_as(name: str) -> Callable[[bytes], object]:
    """Reading bytes as a file called `name`."""
    return lambda data: parse_bytes(data, name)


def outlook_cases() -> list[Case]:
    tnef, msg = "winmail.dat in an .eml (`parse_bytes`)", "Outlook .msg (`parse_bytes`)"
    renewal = unicode_body("Hi Chris,\r\nWe are happy to renew for another year at the same price.\r\n")
    return [
        Case(tnef, "tiny attachment attributes × N before the message's", 200_000,
             lambda n: tnef_mail(winmail(props_of(renewal), attribute(ATTACHMENT, 0x00018010, b"x") * n)),
             read_as("renewal.eml")),
        Case(tnef, "a compressed RTF body of N back-references (refused: could inflate past the cap)",
             8 * (rtf.MAX_RTF_BYTES // 8 // 17 + 1),
             lambda n: tnef_mail(winmail(props_of(prop(PT_BINARY, PR_RTF_COMPRESSED, rtf_bomb(n))))), read_as("renewal.eml")),
        Case(tnef, "a property count of N declared (refused at once)", 0x3FFFFFFF,
             lambda n: tnef_mail(winmail(struct.pack("<I", n) + renewal)), read_as("renewal.eml"), declared=True),
        Case(tnef, "a list of N longs declared (refused at once)", 0x03FFFFFF,
             lambda n: tnef_mail(winmail(struct.pack("<IHHI", 1, PT_LONG | MV, 0x3A00, n))), read_as("renewal.eml"),
             declared=True),
        Case(msg, "a body stream of N bytes declared, its sectors in a loop (refused at once)", 2**29,
             looped_stream, read_as("loop.msg"), declared=True),
        Case(msg, "N DIFAT sectors counted, the first naming itself next (refused at once)", 2**22,
             looped_difat, read_as("difat.msg"), declared=True),
    ]


# ------------------------------------------------------------------------------------ calls and chats


TRANSCRIPT_HEADS = ["Ann: hi\n", "[0:01] Ann: hi\n", "Ann  0:01\nhi\n", "Ann (00:01):\nhi\n",
                    "0:0:1.2 --> 0:0:7.9\nAnn\nhi\n", "[00:01] Ann - hi\n"]
TRANSCRIPT_UNITS = [" ", ":", "[", "(", "<", " :", "[0:0", "A (", "[00:01] A ", "+1 ", "A, ", "🙂 ", "[crosstalk ",
                    " [inaudible", "0:0:1 ", "--> ", "\t", "a's iP"]


def google_results(n: int, timed: bool) -> str:
    """Google speech-to-text JSON of `n` results of one word each, the speaker changing every third word."""
    def result(i: int) -> dict:
        word = {"word": f"w{i}", "speakerLabel": str(i // 3 % 2 + 1)}
        return {"alternatives": [{"words": [dict(word, startOffset=f"{i}s", endOffset=f"{i}.5s") if timed else word]}]}

    return json.dumps({"results": [result(i) for i in range(n)]})


def call_cases() -> list[Case]:
    cases = [Case("format sniffing (`detect_format`)", "' ' × N, then two lines of a call", 50_000,
                  lambda n: (" " * n + "\nDana Whitfield: Hi Marcus.\nMarcus Lee: Hi Dana.\n").encode(),
                  lambda data: detect_format(data, "call.txt"))]
    srt = "1\n00:00:01,000 --> 00:00:02,000\nAnn: Call me on 07700900123 or quote 123456789012345.\n\n"
    for unit in ["<", "<v ", "</"]:
        cases.append(Case("WebVTT (`read_vtt`)", f"a cue line of {unit!r} × N", 100_000 // len(unit),
                          lambda n, unit=unit: "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: Hi.\n\n"
                                               f"00:00:03.000 --> 00:00:04.000\n{unit * n}\n",
                          lambda text: read_vtt(text, "x.vtt")))
    # A quarter of the tests' runs (9,999 and 9,000), so that at 4N a line is still within the 10,000 characters an SRT
    # line may hold: a longer one is refused before it is parsed.
    for prefix, unit, suffix, n in [("", "1", "", 2_499), ("", " ", "x", 2_250), ("", "\n", "", 100_000),
                                    ("00:00:01,000", " ", "x", 2_250), ("x", "\u00a0", "x", 2_250), ("x", "\u3000", "x", 2_250)]:
        label, build = repeated(prefix, unit, suffix)
        cases.append(Case("SRT (`read_srt`)", f"20 lines of {label} after a cue", n,
                          lambda n, build=build: srt + f"{build(n)}\n" * 20, lambda text: read_srt(text, "x.srt")))
    for head in TRANSCRIPT_HEADS:
        for unit in TRANSCRIPT_UNITS:
            cases.append(Case("transcripts (`parse_bytes`, .txt)", f"{head!r} + {unit!r} × N", 100_000 // len(unit),
                              lambda n, head=head, unit=unit: (head + unit * n + "\n").encode(),
                              read_as("call.txt")))
    for timed in (True, False):
        cases.append(Case("speech-to-text JSON (`read_json`)", f"Google results of one word each, {'with' if timed else 'no'} times",
                          30_000, lambda n, timed=timed: google_results(n, timed), lambda text: read_json(text, "call.json")))
    for prefix, unit, n in [("{\\rtf1 ", "{\\field{\\*\\fldinst{", 20_000), ("{\\rtf1 ", "{", 300_000),
                            ("{\\rtf1 ", "\\'zz\\u99999999999\\uc-5\\bin99999999 ", 40_000), ("{\\rtf1 \\", "x", 1_000_000)]:
        label, build = repeated(prefix, unit, "\\" if unit == "x" else "")
        cases.append(Case("RTF (`rtf_text`)", label, n, lambda n, build=build: build(n).encode(), rtf_text))
    return cases


# ----------------------------------------------------------------------------------------------- timing


def seconds(case: Case, n: int, runs: int) -> float:
    """Median seconds to read `case`'s input built at size `n` (a ReadError, where the input is refused, counts as read)."""
    data = case.build(n)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.suppress(ReadError):
            case.read(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timings per size; the median is used")
    parser.add_argument("--scale", type=float, default=1.0, help="N is each test's size times this (default 1)")
    args = parser.parse_args()
    cases = call_cases() + email_cases() + outlook_cases()  # each reader's together
    print("| reader | input | N | seconds | 4N | seconds | time ratio (linear ~4) |")
    print("|---|---|---|---|---|---|---|")
    ratios: dict[str, list[tuple[float, float]]] = {}
    for case in cases:
        n = case.n if case.declared else max(1, round(case.n * args.scale))
        small, large = seconds(case, n, args.runs), seconds(case, 4 * n, args.runs)
        ratio = large / small if small else float("inf")
        ratios.setdefault(case.reader, []).append((ratio, large))
        reader = case.reader if len(ratios[case.reader]) == 1 else ""
        print(f"| {reader} | `{case.label}` | {n:,} | {small:.3f} | {4 * n:,} | {large:.3f} | {ratio:.2f} |", flush=True)
    print("\n| reader | inputs | time ratios (lowest, median, highest) | slowest read at 4N (seconds) |")
    print("|---|---|---|---|")
    for reader, found in ratios.items():
        values = sorted(r for r, _ in found)
        print(f"| {reader} | {len(found)} | {values[0]:.2f}, {statistics.median(values):.2f}, {values[-1]:.2f} "
              f"| {max(t for _, t in found):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
