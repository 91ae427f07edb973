"""Check the labelled corpus in data/: schema, readability, acts, balance, variety.

    python data/tools/validate.py          # prints every problem, exit 1 if any

The tests run `validate()` and assert it finds nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DATA.parent))

from reciprocity_nlp.readers import read  # noqa: E402

ACTS = ("give_value", "extract_info", "push", "pitch", "rapport", "other")
LABELS = ("pushy", "salesy", "transactional", "selfish", "desperate")
SPLITS = ("train", "dev", "test")
HARD_CASES = (
    "warm_but_selfish", "many_questions_gives_back", "salesy_not_pushy", "pushy_but_polite",
    "desperate_chaser", "desperate_not_pushy", "rude_counterpart", "curt_transactional_harmless",
    "starts_badly_recovers", "reciprocal_sales",
)
MINIMUMS = {"conversations": 400, "per_label": 80, "reciprocal": 100, "sentences": 8000, "per_act": 700}
PHRASE_WORDS, PHRASE_LIMIT = 8, 5


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_labels(rows: list[dict]) -> list[str]:
    problems = []
    seen = set()
    for r in rows:
        cid = r.get("conversation_id")
        for key in ("conversation_id", "path", "agent", "split", *LABELS):
            if key not in r:
                problems.append(f"{cid}: missing {key}")
        if cid in seen:
            problems.append(f"{cid}: duplicate conversation_id")
        seen.add(cid)
        for k in LABELS:
            if r.get(k) not in (0, 1):
                problems.append(f"{cid}: {k} must be 0 or 1")
        if r.get("split") not in SPLITS:
            problems.append(f"{cid}: split must be one of {SPLITS}")
        for h in r.get("hard_case") or []:
            if h not in HARD_CASES:
                problems.append(f"{cid}: unknown hard case {h}")
    return problems


def check_files_and_acts(root: Path, rows: list[dict], acts: list[dict]) -> list[str]:
    """Every file reads, its agent is a speaker, every act sentence sits in the named turn."""
    problems = []
    by_conv: dict[str, list[dict]] = defaultdict(list)
    for a in acts:
        by_conv[a["conversation_id"]].append(a)
        if a.get("act") not in ACTS:
            problems.append(f"{a.get('conversation_id')}: unknown act {a.get('act')!r}")
    digests: dict[str, str] = {}
    for r in rows:
        cid = r["conversation_id"]
        path = root / r["path"]
        try:
            conv = read(path)
        except Exception as exc:
            problems.append(f"{cid}: {path} does not read: {exc}")
            continue
        if r["agent"] not in conv.speakers:
            problems.append(f"{cid}: agent {r['agent']!r} not among speakers {conv.speakers}")
        digest = hashlib.sha256(" ".join(t.text for t in conv.turns).encode()).hexdigest()
        if digest in digests:
            problems.append(f"{cid}: same text as {digests[digest]}")
        digests[digest] = cid
        if cid not in by_conv:
            problems.append(f"{cid}: no act rows")
        for a in by_conv.get(cid, []):
            t = a["turn"]
            if t >= len(conv.turns):
                problems.append(f"{cid}: act row turn {t} but the file has {len(conv.turns)} turns")
                continue
            turn = conv.turns[t]
            if turn.speaker != a["speaker"]:
                problems.append(f"{cid}: turn {t} is {turn.speaker!r}, act row says {a['speaker']!r}")
            if _norm_space(a["text"]) not in _norm_space(turn.text):
                problems.append(f"{cid}: turn {t} lacks sentence {a['text']!r}")
    unknown = set(by_conv) - {r["conversation_id"] for r in rows}
    problems += [f"{cid}: act rows for a conversation not in labels" for cid in sorted(unknown)]
    return problems


def phrase_reuse(acts: list[dict]) -> dict[tuple[str, ...], set[str]]:
    where: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for a in acts:
        words = re.findall(r"[a-z0-9']+", a["text"].lower())
        for i in range(len(words) - PHRASE_WORDS + 1):
            where[tuple(words[i:i + PHRASE_WORDS])].add(a["conversation_id"])
    return {g: ids for g, ids in where.items() if len(ids) > PHRASE_LIMIT}


def stats(rows: list[dict], acts: list[dict]) -> dict[str, object]:
    return {
        "conversations": len(rows),
        "email_share": sum(r["channel"] == "email" for r in rows) / max(1, len(rows)),
        "labels": {k: sum(r[k] for r in rows) for k in LABELS},
        "reciprocal": sum(not any(r[k] for k in LABELS) for r in rows),
        "acts": dict(Counter(a["act"] for a in acts)),
        "sentences": len(acts),
        "hard_cases": dict(Counter(h for r in rows for h in (r.get("hard_case") or []))),
        "splits": dict(Counter(r["split"] for r in rows)),
    }


def check_counts(s: dict) -> list[str]:
    problems = []
    if s["conversations"] < MINIMUMS["conversations"]:
        problems.append(f"only {s['conversations']} conversations (need {MINIMUMS['conversations']})")
    if s["email_share"] < 0.40:
        problems.append(f"emails are {s['email_share']:.0%} of conversations (need 40%)")
    for k, n in s["labels"].items():
        if n < MINIMUMS["per_label"]:
            problems.append(f"{k} positive in {n} conversations (need {MINIMUMS['per_label']})")
    if s["reciprocal"] < MINIMUMS["reciprocal"]:
        problems.append(f"{s['reciprocal']} fully reciprocal (need {MINIMUMS['reciprocal']})")
    if s["sentences"] < MINIMUMS["sentences"]:
        problems.append(f"{s['sentences']} act sentences (need {MINIMUMS['sentences']})")
    for act in ACTS:
        if s["acts"].get(act, 0) < MINIMUMS["per_act"]:
            problems.append(f"{act}: {s['acts'].get(act, 0)} sentences (need {MINIMUMS['per_act']})")
    for h in HARD_CASES:
        if not s["hard_cases"].get(h):
            problems.append(f"no conversation tagged hard case {h}")
    return problems


def validate(data: Path = DATA) -> tuple[list[str], dict[str, object]]:
    """All problems found in the corpus, and its statistics."""
    root = data / "conversations"
    rows = load_jsonl(root / "labels.jsonl")
    acts = [a for p in sorted((data / "acts").glob("*.jsonl")) for a in load_jsonl(p)]
    problems = check_labels(rows)
    problems += check_files_and_acts(root, rows, acts)
    for g, ids in sorted(phrase_reuse(acts).items()):
        problems.append(f"phrase {' '.join(g)!r} used in {len(ids)} conversations: {', '.join(sorted(ids))}")
    s = stats(rows, acts)
    problems += check_counts(s)
    return problems, s


if __name__ == "__main__":
    found, summary = validate()
    for p in found:
        print(p)
    print(json.dumps(summary, indent=1))
    sys.exit(1 if found else 0)
