"""Parse and check the hand-written annotated conversation sources (`data/sources/**/*.conv`).

The format is described in `data/sources/FORMAT.md`. Run as a script to check a folder:

    python data/tools/convsource.py data/sources/b3 [--limit 5]
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ACTS = ("give_value", "extract_info", "push", "pitch", "rapport", "other")
LABELS = ("pushy", "salesy", "transactional", "selfish", "desperate")
HARD_CASES = (
    "warm_but_selfish",
    "many_questions_gives_back",
    "salesy_not_pushy",
    "pushy_but_polite",
    "desperate_chaser",
    "desperate_not_pushy",
    "rude_counterpart",
    "curt_transactional_harmless",
    "starts_badly_recovers",
    "reciprocal_sales",
)
CALL_FORMATS = (
    "txt_plain",
    "txt_timestamped",
    "txt_otter",
    "txt_zoom",
    "vtt",
    "srt",
    "json_segments",
    "json_utterances",
    "csv",
)
EMAIL_FORMATS = ("eml", "eml_html", "mbox", "pasted_outlook", "pasted_gmail")
REGIONS = ("UK", "US", "Australia", "Ireland", "India", "Singapore", "Canada", "New Zealand")
REGISTERS = ("casual", "neutral", "formal")
REQUIRED = ("id", "channel", "format", "industry", "region", "setting", "register", "agent",
            "labels", "rationale", "date")
FLAGS = ("overlap", "mobile")

_TURN = re.compile(r"^>\s*(?P<name>[^@\[]+?)\s*(?:@\s*(?P<when>\d{4}-\d\d-\d\d \d\d:\d\d))?\s*"
                   r"(?P<flags>(?:\[[a-z]+\]\s*)*)$")


class SourceError(ValueError):
    """A `.conv` file that does not follow FORMAT.md."""


@dataclass
class Sentence:
    act: str
    text: str
    sep: str = " "  # what comes before this sentence inside its turn: " ", "\n" or "\n\n"


@dataclass
class SourceTurn:
    speaker: str
    sentences: list[Sentence] = field(default_factory=list)
    when: datetime | None = None
    flags: tuple[str, ...] = ()

    def body(self, channel: str) -> str:
        """The turn's text as its speaker wrote or said it."""
        parts: list[str] = []
        for i, s in enumerate(self.sentences):
            if i:
                parts.append(s.sep if channel == "email" else " ")
            parts.append(s.text)
        return "".join(parts)


@dataclass
class Source:
    path: Path
    meta: dict[str, str]
    emails: dict[str, str]
    signatures: dict[str, str]
    disclaimers: dict[str, str]
    turns: list[SourceTurn]

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def channel(self) -> str:
        return self.meta["channel"]

    @property
    def format(self) -> str:
        return self.meta["format"]

    @property
    def agent(self) -> str:
        return self.meta["agent"]

    @property
    def labels(self) -> dict[str, int]:
        given = {x.strip() for x in self.meta["labels"].split(",") if x.strip()}
        given.discard("none")
        return {name: int(name in given) for name in LABELS}

    @property
    def hard_cases(self) -> list[str]:
        raw = self.meta.get("hard_case", "")
        return [x.strip() for x in raw.split(",") if x.strip()]

    @property
    def start(self) -> datetime:
        return datetime.strptime(self.meta["date"], "%Y-%m-%d %H:%M")

    def speakers(self) -> list[str]:
        """Speakers in order of first appearance."""
        return list(dict.fromkeys(t.speaker for t in self.turns))


def parse(path: Path) -> Source:
    """Read one `.conv` file, raising SourceError with the line number on any mistake."""
    meta: dict[str, str] = {}
    emails: dict[str, str] = {}
    signatures: dict[str, str] = {}
    disclaimers: dict[str, str] = {}
    turns: list[SourceTurn] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    in_body = False
    pending_sep = " "

    def fail(lineno: int, msg: str) -> SourceError:
        return SourceError(f"{path}:{lineno}: {msg}")

    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not in_body:
            if line == "---":
                in_body = True
                continue
            key, sep, value = line.partition(":")
            if not sep:
                raise fail(lineno, f"expected 'key: value' in the header, got {line!r}")
            key, value = key.strip(), value.strip()
            for prefix, store in (("email ", emails), ("signature ", signatures),
                                  ("disclaimer ", disclaimers)):
                if key.startswith(prefix):
                    store[key[len(prefix):].strip()] = value.replace(" \\n ", "\n").replace("\\n", "\n")
                    break
            else:
                if key in meta:
                    raise fail(lineno, f"header key {key!r} given twice")
                meta[key] = value
            continue
        if line.startswith(">"):
            m = _TURN.match(line)
            if not m:
                raise fail(lineno, f"bad turn header {line!r}: expected '> Name' or '> Name @ YYYY-MM-DD HH:MM'")
            flags = tuple(re.findall(r"\[([a-z]+)\]", m.group("flags") or ""))
            for f in flags:
                if f not in FLAGS:
                    raise fail(lineno, f"unknown flag [{f}]; known: {', '.join(FLAGS)}")
            when = datetime.strptime(m.group("when"), "%Y-%m-%d %H:%M") if m.group("when") else None
            turns.append(SourceTurn(speaker=m.group("name").strip(), when=when, flags=flags))
            pending_sep = " "
            continue
        if line in ("+", "="):
            if not turns:
                raise fail(lineno, "paragraph mark before the first turn")
            pending_sep = "\n\n" if line == "+" else "\n"
            continue
        act, sep, text = raw.partition("|")
        act, text = act.strip(), text.strip()
        if not sep or act not in ACTS:
            raise fail(lineno, f"expected 'act | sentence' with act one of {', '.join(ACTS)}; got {line!r}")
        if not text:
            raise fail(lineno, "empty sentence")
        if not turns:
            raise fail(lineno, "sentence before the first '> Name' turn header")
        turns[-1].sentences.append(Sentence(act, text, pending_sep if turns[-1].sentences else ""))
        pending_sep = " "
    if not in_body:
        raise SourceError(f"{path}: no '---' line between header and body")
    src = Source(path, meta, emails, signatures, disclaimers, turns)
    check(src)
    return src


def check(src: Source) -> None:
    """Raise SourceError when the header or turns break FORMAT.md's rules."""
    p, m = src.path, src.meta
    missing = [k for k in REQUIRED if k not in m]
    if missing:
        raise SourceError(f"{p}: missing header keys: {', '.join(missing)}")
    if m["channel"] not in ("call", "email"):
        raise SourceError(f"{p}: channel must be call or email")
    formats = CALL_FORMATS if m["channel"] == "call" else EMAIL_FORMATS
    if m["format"] not in formats:
        raise SourceError(f"{p}: format {m['format']!r} is not one of {', '.join(formats)}")
    if m["region"] not in REGIONS:
        raise SourceError(f"{p}: region {m['region']!r} is not one of {', '.join(REGIONS)}")
    if m["register"] not in REGISTERS:
        raise SourceError(f"{p}: register must be one of {', '.join(REGISTERS)}")
    given = {x.strip() for x in m["labels"].split(",") if x.strip()}
    bad = given - set(LABELS) - {"none"}
    if bad or not given or ("none" in given and len(given) > 1):
        raise SourceError(f"{p}: labels must be 'none' or names from {', '.join(LABELS)}; got {m['labels']!r}")
    for h in src.hard_cases:
        if h not in HARD_CASES:
            raise SourceError(f"{p}: unknown hard_case {h!r}")
    try:
        _ = src.start
    except ValueError as exc:
        raise SourceError(f"{p}: date must be 'YYYY-MM-DD HH:MM'") from exc
    if not src.turns:
        raise SourceError(f"{p}: no turns")
    for i, t in enumerate(src.turns):
        if not t.sentences:
            raise SourceError(f"{p}: turn {i} ({t.speaker}) has no sentences")
    speakers = src.speakers()
    if src.agent not in speakers:
        raise SourceError(f"{p}: agent {src.agent!r} is not one of the speakers {speakers}")
    if len(speakers) < 2 and src.channel == "call":
        raise SourceError(f"{p}: a call needs at least two speakers")
    if src.channel == "email":
        if "subject" not in m:
            raise SourceError(f"{p}: emails need a subject")
        for name in speakers:
            if name not in src.emails:
                raise SourceError(f"{p}: no 'email {name}: address' line")
        last = None
        for i, t in enumerate(src.turns):
            if t.when is None:
                raise SourceError(f"{p}: email turn {i} ({t.speaker}) needs '@ YYYY-MM-DD HH:MM'")
            if last and t.when < last:
                raise SourceError(f"{p}: email turn {i} is dated before the one above it")
            last = t.when
    else:
        firsts = [s.split()[0].upper() for s in speakers]
        if len(set(firsts)) != len(firsts):
            raise SourceError(f"{p}: speakers must have different first names (SRT uses them)")


def ngrams(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def phrase_reuse(sources: list[Source], n: int = 8, limit: int = 5) -> dict[tuple[str, ...], list[str]]:
    """Phrases of `n` words that occur in more than `limit` conversations."""
    where: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for src in sources:
        seen: set[tuple[str, ...]] = set()
        for t in src.turns:
            for s in t.sentences:
                seen |= ngrams(s.text, n)
        for g in seen:
            where[g].add(src.id)
    return {g: sorted(ids) for g, ids in where.items() if len(ids) > limit}


def load_all(root: Path) -> list[Source]:
    return [parse(p) for p in sorted(root.rglob("*.conv"))]


def summary(sources: list[Source]) -> str:
    acts: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    hard: Counter[str] = Counter()
    reciprocal = 0
    for s in sources:
        formats[s.format] += 1
        for t in s.turns:
            acts.update(x.act for x in t.sentences)
        lab = s.labels
        labels.update(k for k, v in lab.items() if v)
        reciprocal += not any(lab.values())
        hard.update(s.hard_cases)
    emails = sum(s.channel == "email" for s in sources)
    lines = [
        f"conversations: {len(sources)} (email {emails}, call {len(sources) - emails})",
        f"sentences: {sum(acts.values())}  " + ", ".join(f"{a} {acts[a]}" for a in ACTS),
        f"labels: reciprocal {reciprocal}, " + ", ".join(f"{k} {labels[k]}" for k in LABELS),
        "formats: " + ", ".join(f"{k} {v}" for k, v in sorted(formats.items())),
        "hard cases: " + ", ".join(f"{k} {v}" for k, v in sorted(hard.items())),
        "turns per conversation: " + ", ".join(str(len(s.turns)) for s in sources),
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    limit = 5
    if "--limit" in argv:
        i = argv.index("--limit")
        limit = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "sources"
    errors = 0
    sources = []
    for p in sorted(root.rglob("*.conv")):
        try:
            sources.append(parse(p))
        except SourceError as exc:
            errors += 1
            print("ERROR", exc)
    ids = Counter(s.id for s in sources)
    for i, c in ids.items():
        if c > 1:
            errors += 1
            print("ERROR duplicate id", i)
    print(summary(sources))
    reused = phrase_reuse(sources, limit=limit)
    for g, ids in sorted(reused.items(), key=lambda kv: -len(kv[1]))[:40]:
        print(f"REUSED in {len(ids)} conversations: {' '.join(g)!r}: {', '.join(ids)}")
    if reused:
        errors += 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
