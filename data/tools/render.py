"""Lay hand-written `.conv` sources out as the raw exports real tools produce.

    python data/tools/render.py            # sources/b* -> conversations/, acts/, labels.jsonl
                                           # sources/samples -> samples/ (labels: sample_labels/)

The renderer never writes dialogue: it places the written sentences into cues, segments,
MIME parts and quoted history, adds timings, headers, signatures and disclaimers, and records
every sentence's act beside the file. Layout choices (VTT voice tags or prefixes, Gmail or
Outlook quoting, QP or base64) vary by a hash of the conversation id, so the output is the
same on every run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import sys
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from convsource import LABELS, Source, SourceTurn, load_all

DATA = Path(__file__).resolve().parents[1]
EXTENSIONS = {
    "txt_plain": ".txt", "txt_timestamped": ".txt", "txt_otter": ".txt", "txt_zoom": ".txt",
    "vtt": ".vtt", "srt": ".srt", "json_segments": ".json", "json_utterances": ".json", "csv": ".csv",
    "eml": ".eml", "eml_html": ".eml", "mbox": ".mbox", "pasted_outlook": ".txt", "pasted_gmail": ".txt",
}
MOBILE = ("Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for iOS", "Sent from my Android phone")


def pick(src: Source, salt: str, n: int) -> int:
    """A stable choice among n options for this conversation."""
    return int(hashlib.sha256(f"{src.id}:{salt}".encode()).hexdigest(), 16) % n


# --------------------------------------------------------------------------- calls


def merged_turns(src: Source) -> list[SourceTurn]:
    """Consecutive call turns of one speaker are one turn, as readers merge them."""
    out: list[SourceTurn] = []
    for t in src.turns:
        if src.channel == "call" and out and out[-1].speaker == t.speaker:
            out[-1] = SourceTurn(t.speaker, out[-1].sentences + t.sentences, out[-1].when, out[-1].flags)
        else:
            out.append(SourceTurn(t.speaker, list(t.sentences), t.when, t.flags))
    return out


def merged_turn_index(src: Source) -> list[int]:
    """For each source turn, the index of the turn a reader will see it in."""
    out: list[int] = []
    for i, t in enumerate(src.turns):
        same = src.channel == "call" and i and src.turns[i - 1].speaker == t.speaker
        out.append(out[-1] if same else (out[-1] + 1 if out else 0))
    return out


def speaker_labels(src: Source) -> dict[str, str]:
    """How each speaker appears in the export (SRT first names, diarization labels)."""
    names = src.speakers()
    if src.format == "srt":
        return {n: n.split()[0].upper() for n in names}
    if src.format == "json_segments":
        return {n: f"SPEAKER_{i:02d}" for i, n in enumerate(names)}
    if src.format == "json_utterances":
        return {n: chr(ord("A") + i) for i, n in enumerate(names)}
    return {n: n for n in names}


def timed_pieces(src: Source) -> list[tuple[str, str, float, float, int]]:
    """(speaker, text, start, end, turn) per cue-sized piece of speech: one or two sentences."""
    pieces = []
    clock = 0.4 + pick(src, "t0", 20) / 10
    for ti, turn in enumerate(src.turns):
        start = clock
        if "overlap" in turn.flags and pieces:
            start = max(pieces[-1][2] + 0.2, pieces[-1][3] - 0.9)
        sents = [s.text for s in turn.sentences]
        i = 0
        while i < len(sents):
            take = 1 if len(sents[i].split()) > 9 or pick(src, f"c{ti}.{i}", 3) else 2
            chunk = " ".join(sents[i:i + take])
            dur = 0.25 + 0.33 * len(chunk.split())
            pieces.append((turn.speaker, chunk, round(start, 3), round(start + dur, 3), ti))
            start += dur + 0.05
            i += take
        clock = start + 0.3 + pick(src, f"g{ti}", 10) / 10
    return pieces


def hms(t: float, sep: str = ".", hours: bool = True) -> str:
    ms = round(t * 1000)
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    if hours:
        return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"
    return f"{m:02d}:{s:02d}{sep}{ms:03d}"


def clock(t: float, force_hours: bool = False) -> str:
    s = int(t)
    h, m, sec = s // 3600, (s % 3600) // 60, s % 60
    return f"{h:02d}:{m:02d}:{sec:02d}" if h or force_hours else f"{m:02d}:{sec:02d}"


def wrap(text: str, width: int = 42) -> list[str]:
    lines, cur = [], ""
    for w in text.split(" "):
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return [*lines, cur] if cur else lines


def render_call(src: Source) -> str:
    labels = speaker_labels(src)
    turns = merged_turns(src)
    fmt = src.format
    pieces = timed_pieces(src)
    if fmt == "txt_plain":
        out = []
        if pick(src, "title", 3) == 0:
            out += [f"Call notes - {src.start:%d %b %Y}", ""]
        for t in turns:
            body = t.body("call")
            if len(t.sentences) > 4 and pick(src, "cont", 2):
                # Long turns broken over continuation lines, as note-takers paste them.
                half = len(t.sentences) // 2
                first = " ".join(s.text for s in t.sentences[:half])
                rest = " ".join(s.text for s in t.sentences[half:])
                out += [f"{labels[t.speaker]}: {first}", rest]
            else:
                out.append(f"{labels[t.speaker]}: {body}")
        return "\n".join(out) + "\n"
    merged_index = merged_turn_index(src)
    merged_start: list[float] = [0.0] * len(turns)
    for _sp, _text, a, _b, ti in reversed(pieces):
        merged_start[merged_index[ti]] = a
    if fmt == "txt_timestamped":
        style = pick(src, "ts", 2)
        long = pieces[-1][3] >= 3600 or pick(src, "h", 2) == 0
        lines = []
        for t, a in zip(turns, merged_start, strict=True):
            stamp = clock(a, force_hours=long)
            prefix = f"[{stamp}] " if style == 0 else f"{stamp} "
            lines.append(f"{prefix}{labels[t.speaker]}: {t.body('call')}")
        return "\n".join(lines) + "\n"
    if fmt == "txt_otter":
        blocks = []
        for t, a in zip(turns, merged_start, strict=True):
            s = int(a)
            stamp = f"{s // 60}:{s % 60:02d}" if s < 3600 else f"{s // 3600}:{(s % 3600) // 60:02d}:{s % 60:02d}"
            blocks.append(f"{labels[t.speaker]}  {stamp}\n{t.body('call')}")
        return "\n\n".join(blocks) + "\n\n\nTranscribed by https://otter.ai\n"
    if fmt == "txt_zoom":
        base = src.start.hour * 3600 + src.start.minute * 60
        blocks = []
        for t, a in zip(turns, merged_start, strict=True):
            blocks.append(f"[{labels[t.speaker]}] {clock(base + a, force_hours=True)}\n{t.body('call')}")
        return "\n\n".join(blocks) + "\n"
    if fmt == "vtt":
        style = pick(src, "vtt", 3)
        out = ["WEBVTT", ""]
        if style == 2:
            out[0] = "WEBVTT - exported transcript"
            out += ["NOTE", f"Recorded {src.start:%Y-%m-%d %H:%M}", ""]
        prev = None
        for n, (sp, text, a, b, _ti) in enumerate(pieces, 1):
            if style == 0:
                out.append(hashlib.md5(f"{src.id}{n}".encode()).hexdigest()[:8] + f"-{n}")
            elif style == 1:
                out.append(str(n))
            out.append(f"{hms(a)} --> {hms(b)}")
            if style == 0:
                out.append(f"<v {labels[sp]}>{text}</v>")
            else:
                out.append(f"{labels[sp]}: {text}" if sp != prev or style == 1 else text)
            out.append("")
            prev = sp
        return "\n".join(out)
    if fmt == "srt":
        out = []
        prev = None
        for n, (sp, text, a, b, _ti) in enumerate(pieces, 1):
            shown = f"{labels[sp]}: {text}" if sp != prev else text
            out += [str(n), f"{hms(a, ',')} --> {hms(b, ',')}", *wrap(shown), ""]
            prev = sp
        return "\n".join(out)
    if fmt == "json_segments":
        segs = [{"start": a, "end": b, "text": " " + text, "speaker": labels[sp]} for sp, text, a, b, _ in pieces]
        return json.dumps({"segments": segs, "language": "en"}, indent=1, ensure_ascii=False) + "\n"
    if fmt == "json_utterances":
        utts = []
        for t, a in zip(turns, merged_start, strict=True):
            text = t.body("call")
            end = a + 0.25 + 0.33 * len(text.split())
            conf = 0.86 + pick(src, text[:20], 13) / 100
            utts.append({"speaker": labels[t.speaker], "start": int(a * 1000), "end": int(end * 1000),
                         "text": text, "confidence": round(conf, 3)})
        doc = {"id": hashlib.md5(src.id.encode()).hexdigest()[:12], "status": "completed",
               "audio_duration": int(pieces[-1][3]) + 1, "utterances": utts}
        return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["speaker", "text", "start", "end"])
        for sp, text, a, b, _ in pieces:
            w.writerow([labels[sp], text, f"{a:.2f}", f"{b:.2f}"])
        return buf.getvalue()
    raise ValueError(fmt)


# --------------------------------------------------------------------------- emails


def addr(src: Source, name: str) -> str:
    """'Name <address>' as a mail client prints it in a body (no RFC 2047 encoding)."""
    return f"{name} <{src.emails[name]}>"


def header_addr(src: Source, name: str) -> str:
    """The same for a MIME header, encoded where the name needs it."""
    return formataddr((name, src.emails[name]))


def recipients(src: Source, i: int) -> list[str]:
    """Everyone else in the thread; for a one-message email, whoever else has an address line."""
    sender = src.turns[i].speaker
    others = [n for n in src.speakers() if n != sender] or [n for n in src.emails if n != sender]
    return others or [sender]


def hard_wrap(text: str, width: int = 72) -> str:
    """Wrap every line at `width` columns, as many plain-text mail clients do."""
    return "\n".join("\n".join(wrap(line, width)) if len(line) > width else line for line in text.split("\n"))


def full_text(src: Source, i: int) -> str:
    """A message as its sender's client sent it: body, phone line, signature, disclaimer."""
    t = src.turns[i]
    text = t.body("email")
    if src.format in ("eml", "mbox") and pick(src, "wrap", 3) == 0:
        text = hard_wrap(text)
    if "mobile" in t.flags:
        text += "\n\n" + MOBILE[pick(src, f"m{i}", len(MOBILE))]
        return text
    sig = src.signatures.get(t.speaker)
    if sig:
        text += ("\n-- \n" if pick(src, "sigdelim", 3) == 0 else "\n\n") + sig
    disc = src.disclaimers.get(t.speaker)
    if disc:
        text += "\n\n" + disc
    return text


def subject(src: Source, i: int, outlook: bool) -> str:
    base = src.meta["subject"]
    return base if i == 0 else ("RE: " if outlook else "Re: ") + base


def gmail_date(src: Source, when: datetime) -> str:
    if src.meta["region"] in ("US", "Canada", "Singapore") or pick(src, "gd", 2):
        return f"{when:%a, %b} {when.day}, {when:%Y} at {when.hour % 12 or 12}:{when:%M} {'AM' if when.hour < 12 else 'PM'}"
    return f"{when:%a}, {when.day} {when:%b %Y} at {when:%H:%M}"


def outlook_date(src: Source, when: datetime) -> str:
    if src.meta["region"] in ("US", "Canada"):
        return f"{when:%A, %B} {when.day}, {when:%Y} {when.hour % 12 or 12}:{when:%M} {'AM' if when.hour < 12 else 'PM'}"
    return f"{when:%d %B %Y %H:%M}"


def quoted_history(src: Source, i: int, outlook: bool) -> str:
    """Message i with everything before it quoted underneath, as the client writes a reply."""
    text = full_text(src, i)
    if i == 0:
        return text
    prev = src.turns[i - 1]
    history = quoted_history(src, i - 1, outlook)
    if outlook:
        to = "; ".join(addr(src, n) for n in recipients(src, i - 1))
        return (f"{text}\n\n________________________________\nFrom: {addr(src, prev.speaker)}\n"
                f"Sent: {outlook_date(src, prev.when)}\nTo: {to}\nSubject: {subject(src, i - 1, True)}\n\n{history}")
    quoted = "\n".join("> " + ln if ln else ">" for ln in history.split("\n"))
    return f"{text}\n\nOn {gmail_date(src, prev.when)}, {addr(src, prev.speaker)} wrote:\n{quoted}"


def html_body(text: str) -> str:
    """Plain text (with '> ' quotes) to simple HTML, quotes as nested blockquotes."""
    out: list[str] = []
    depth = 0
    for line in text.split("\n"):
        level = len(re.match(r"^(?:> ?)*", line).group(0).replace(" ", ""))
        content = re.sub(r"^(?:> ?)*", "", line)
        while depth < level:
            out.append('<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">')
            depth += 1
        while depth > level:
            out.append("</blockquote>")
            depth -= 1
        if content.startswith("On ") and content.endswith("wrote:"):
            out.append(f'<div class="gmail_attr">{escape(content)}<br></div>')
        elif content == "________________________________":
            out.append('<hr style="display:inline-block;width:98%">')
        elif content:
            out.append(f"<div>{escape(content)}</div>")
        else:
            out.append("<div><br></div>")
    out += ["</blockquote>"] * depth
    return '<html><head><meta charset="utf-8"></head><body><div dir="ltr">' + "\n".join(out) + "</div></body></html>"


def mime(src: Source, i: int, body: str, kind: str, outlook: bool) -> EmailMessage:
    t = src.turns[i]
    msg = EmailMessage(policy=SMTP if outlook else default_policy)
    msg["From"] = header_addr(src, t.speaker)
    msg["To"] = ", ".join(header_addr(src, n) for n in recipients(src, i))
    msg["Subject"] = subject(src, i, outlook)
    tz = {"UK": "+0000", "Ireland": "+0000", "US": "-0500", "Canada": "-0500", "Australia": "+1000",
          "New Zealand": "+1200", "India": "+0530", "Singapore": "+0800"}[src.meta["region"]]
    msg["Date"] = format_datetime(t.when.replace(tzinfo=datetime.strptime(tz, "%z").tzinfo))
    domain = src.emails[t.speaker].split("@")[-1]
    msg["Message-ID"] = f"<{hashlib.md5(f'{src.id}-{i}'.encode()).hexdigest()[:16]}@{domain}>"
    if i:
        first = src.emails[src.turns[0].speaker].split("@")[-1]
        prev = src.emails[src.turns[i - 1].speaker].split("@")[-1]
        ref = f"<{hashlib.md5(f'{src.id}-{i - 1}'.encode()).hexdigest()[:16]}@{prev}>"
        msg["In-Reply-To"] = ref
        msg["References"] = " ".join(
            f"<{hashlib.md5(f'{src.id}-{k}'.encode()).hexdigest()[:16]}@{first if k == 0 else prev}>" for k in range(i)
        )
    if kind == "html":
        msg.set_content(html_body(body), subtype="html", cte="base64" if pick(src, "b64", 2) else "quoted-printable")
    elif kind == "alternative":
        msg.set_content(body, cte="quoted-printable")
        msg.add_alternative(html_body(body), subtype="html", cte="quoted-printable")
    elif kind == "base64":
        msg.set_content(body, cte="base64")
    elif kind == "qp":
        msg.set_content(body, cte="quoted-printable")
    else:
        msg.set_content(body, cte="8bit")
    if msg.is_multipart():
        msg.set_boundary("===============" + hashlib.md5(f"{src.id}-{i}-b".encode()).hexdigest()[:19] + "==")
    return msg


def render_email(src: Source) -> bytes:
    fmt = src.format
    outlook = pick(src, "style", 2) == 0
    last = len(src.turns) - 1
    if fmt in ("eml", "eml_html"):
        kind = "html" if fmt == "eml_html" else ("plain", "qp", "alternative", "base64")[pick(src, "kind", 4)]
        msg = mime(src, last, quoted_history(src, last, outlook), kind, outlook)
        data = msg.as_bytes()
        if pick(src, "unixfrom", 4) == 0:
            data = f"From {src.emails[src.turns[last].speaker]}  {src.turns[last].when:%a %b %d %H:%M:%S %Y}\n".encode() + data
        return data
    if fmt == "mbox":
        parts = []
        for i, t in enumerate(src.turns):
            kind = ("plain", "qp", "alternative")[pick(src, f"k{i}", 3)]
            body = quoted_history(src, i, outlook) if pick(src, f"q{i}", 4) else full_text(src, i)
            msg = mime(src, i, body, kind, outlook=False)
            raw = msg.as_bytes(policy=default_policy.clone(linesep="\n"))
            raw = re.sub(rb"^From ", b">From ", raw, flags=re.M)
            sep = f"From {src.emails[t.speaker]} {t.when:%a %b %d %H:%M:%S %Y}\n".encode()
            parts.append(sep + raw.rstrip(b"\n") + b"\n\n")
        return b"".join(parts)
    if fmt == "pasted_outlook":
        blocks = []
        for i in range(last, -1, -1):
            t = src.turns[i]
            to = "; ".join(addr(src, n) for n in recipients(src, i))
            blocks.append(f"From: {addr(src, t.speaker)}\nSent: {outlook_date(src, t.when)}\nTo: {to}\n"
                          f"Subject: {subject(src, i, True)}\n\n{full_text(src, i)}")
        return ("\n\n________________________________\n".join(blocks) + "\n").encode("utf-8")
    if fmt == "pasted_gmail":
        order = range(len(src.turns)) if pick(src, "order", 2) else range(last, -1, -1)
        blocks = [f"On {gmail_date(src, src.turns[i].when)}, {addr(src, src.turns[i].speaker)} wrote:\n\n"
                  f"{full_text(src, i)}" for i in order]
        return ("\n\n".join(blocks) + "\n").encode("utf-8")
    raise ValueError(fmt)


# --------------------------------------------------------------------------- corpus


def acts_rows(src: Source) -> list[dict[str, object]]:
    labels = speaker_labels(src)
    rows = []
    for ti, t in enumerate(merged_turns(src)):
        for s in t.sentences:
            rows.append({"conversation_id": src.id, "turn": ti, "speaker": labels[t.speaker],
                         "text": s.text, "act": s.act})
    return rows


SPLITS_FILE = DATA / "sources" / "splits.tsv"


def assign_splits(sources: list[Source]) -> dict[str, str]:
    """About 70/15/15, stratified by channel and label set, and fixed once given.

    Conversations already in `sources/splits.tsv` keep their split, so a test split stays held
    out as the corpus grows; new ones are dealt out by a 20-slot cycle over them sorted by
    stratum, then by a hash of the id.
    """
    known: dict[str, str] = {}
    if SPLITS_FILE.exists():
        known = dict(line.split("\t") for line in SPLITS_FILE.read_text().splitlines() if line.strip())

    def stratum(s: Source) -> tuple[str, str, str]:
        sig = "".join(str(v) for v in s.labels.values())
        return (s.channel, sig, hashlib.sha256(s.id.encode()).hexdigest())

    cycle = ["train"] * 20
    for k in (3, 10, 17):
        cycle[k] = "test"
    for k in (6, 13, 19):
        cycle[k] = "dev"
    new = sorted((s for s in sources if s.id not in known), key=stratum)
    splits = {s.id: known[s.id] for s in sources if s.id in known}
    splits.update({s.id: cycle[i % 20] for i, s in enumerate(new)})
    SPLITS_FILE.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(splits.items())))
    return splits


def render(src: Source) -> bytes:
    if src.channel == "call":
        return render_call(src).encode("utf-8")
    return render_email(src)


def write_set(sources: list[Source], out_dir: Path, acts_dir: Path | None, splits: dict[str, str] | None,
              labels_dir: Path | None = None) -> None:
    """Render sources into out_dir; labels.jsonl goes to labels_dir (default out_dir), acts to acts_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    labels_dir = labels_dir or out_dir
    labels_dir.mkdir(parents=True, exist_ok=True)
    label_rows = []
    acts_by_batch: dict[str, list[dict[str, object]]] = {}
    for src in sources:
        batch = src.path.parent.name
        rel = Path(batch) / f"{src.id}{EXTENSIONS[src.format]}" if splits else Path(f"{src.id}{EXTENSIONS[src.format]}")
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(render(src))
        row: dict[str, object] = {
            "conversation_id": src.id, "path": Path(os.path.relpath(target, labels_dir)).as_posix(),
            "channel": src.channel, "format": src.format,
            "agent": speaker_labels(src)[src.agent], **src.labels,
        }
        if splits:
            row["split"] = splits[src.id]
        row.update({
            "hard_case": src.hard_cases or None, "rationale": src.meta["rationale"],
            "industry": src.meta["industry"], "region": src.meta["region"], "register": src.meta["register"],
            "setting": src.meta["setting"],
        })
        label_rows.append(row)
        acts_by_batch.setdefault(batch, []).extend(acts_rows(src))
    with open(labels_dir / "labels.jsonl", "w", encoding="utf-8") as fh:
        for row in label_rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    target_acts = acts_dir or labels_dir
    target_acts.mkdir(parents=True, exist_ok=True)
    for batch, rows in acts_by_batch.items():
        name = f"{batch}.jsonl" if acts_dir else "acts.jsonl"
        with open(target_acts / name, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> int:
    corpus = [s for s in load_all(DATA / "sources") if s.path.parent.name != "samples"]
    write_set(corpus, DATA / "conversations", DATA / "acts", assign_splits(corpus))
    samples = load_all(DATA / "sources" / "samples") if (DATA / "sources" / "samples").exists() else []
    if samples:
        write_set(samples, DATA / "samples", None, None, labels_dir=DATA / "sample_labels")
    print(f"rendered {len(corpus)} conversations and {len(samples)} samples; labels: "
          + ", ".join(f"{k} {sum(s.labels[k] for s in corpus)}" for k in LABELS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
