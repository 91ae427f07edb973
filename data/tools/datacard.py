"""Write the statistics section of data/README.md from the corpus itself.

    python data/tools/datacard.py

Everything between the `<!-- stats -->` markers in data/README.md is replaced.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
LABELS = ("pushy", "salesy", "transactional", "selfish", "desperate")
ACTS = ("give_value", "extract_info", "push", "pitch", "rapport", "other")


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def sector(industry: str) -> str:
    """A coarse sector from the free-text industry, for counting."""
    text = industry.lower()
    for key, name in (("recruit", "recruitment"), ("staffing", "recruitment"), ("search", "recruitment"),
                      ("saas", "SaaS and software"), ("software", "SaaS and software"), ("insurance", "insurance"),
                      ("property", "property and real estate"), ("real estate", "property and real estate"),
                      ("letting", "property and real estate"), ("logistic", "logistics and freight"),
                      ("freight", "logistics and freight"), ("warehous", "logistics and freight"),
                      ("telecom", "telecoms and hosting"), ("hosting", "telecoms and hosting"), ("cloud", "telecoms and hosting"),
                      ("pharma", "healthcare and medical"), ("medical", "healthcare and medical"), ("health", "healthcare and medical"),
                      ("dental", "healthcare and medical"), ("education", "education"), ("edtech", "education"),
                      ("bootcamp", "education"), ("wealth", "finance and wealth"), ("pension", "finance and wealth"),
                      ("bank", "finance and wealth"), ("fintech", "finance and wealth"), ("finance", "finance and wealth"),
                      ("energy", "energy and solar"), ("solar", "energy and solar"), ("packag", "manufacturing and industrial"),
                      ("manufactur", "manufacturing and industrial"), ("industrial", "manufacturing and industrial"),
                      ("chemical", "manufacturing and industrial"), ("agri", "agriculture"), ("marketing", "marketing and agencies"),
                      ("agency", "marketing and agencies"), ("retail", "retail and consumer"), ("hospitality", "hospitality and travel"),
                      ("hotel", "hospitality and travel"), ("travel", "hospitality and travel"), ("automotive", "automotive"),
                      ("car ", "automotive")):
        if key in text:
            return name
    return "other services"


def stats() -> str:
    rows = load(DATA / "conversations" / "labels.jsonl")
    acts = [a for p in sorted((DATA / "acts").glob("*.jsonl")) for a in load(p)]
    out = []
    n = len(rows)
    calls = [r for r in rows if r["channel"] == "call"]
    emails = [r for r in rows if r["channel"] == "email"]
    out.append(f"{n} conversations ({len(calls)} calls, {len(emails)} email threads, {len(emails) / n:.0%} email), "
               f"{len(acts)} labelled sentences.")
    out.append("\n### Ratings\n")
    reciprocal = [r for r in rows if not any(r[k] for k in LABELS)]
    out.append(table(["label", "conversations", "calls", "emails", "train", "dev", "test"], [
        [k, sum(r[k] for r in rows), sum(r[k] for r in calls), sum(r[k] for r in emails),
         *(sum(r[k] for r in rows if r["split"] == s) for s in ("train", "dev", "test"))] for k in LABELS
    ] + [["none (reciprocal)", len(reciprocal), sum(r["channel"] == "call" for r in reciprocal),
          sum(r["channel"] == "email" for r in reciprocal),
          *(sum(r["split"] == s for r in reciprocal) for s in ("train", "dev", "test"))]]))
    sizes = Counter(sum(r[k] for k in LABELS) for r in rows)
    out.append("\nLabels per conversation: " + ", ".join(f"{k}: {sizes[k]}" for k in sorted(sizes)) + ".")
    out.append("\nCo-occurrence (conversations carrying both labels):\n")
    out.append(table(["", *LABELS], [[a, *(sum(r[a] and r[b] for r in rows) if a != b else "-" for b in LABELS)]
                                     for a in LABELS]))
    pairs = Counter("+".join(k for k in LABELS if r[k]) or "none" for r in rows)
    out.append("\nMost common combinations: " + ", ".join(f"{k} {v}" for k, v in pairs.most_common(12)) + ".")
    out.append("\n### Acts\n")
    by_role = Counter()
    agents = {r["conversation_id"]: r["agent"] for r in rows}
    for a in acts:
        by_role[(a["act"], a["speaker"] == agents.get(a["conversation_id"]))] += 1
    act_counts = Counter(a["act"] for a in acts)
    out.append(table(["act", "sentences", "agent", "counterpart"],
                     [[x, act_counts[x], by_role[(x, True)], by_role[(x, False)]] for x in ACTS]))
    out.append("\n### Formats, channels, regions, sectors, registers\n")
    out.append(table(["format", "conversations"], [[k, v] for k, v in sorted(Counter(r["format"] for r in rows).items())]))
    subtitle = sum(r["format"] in ("vtt", "srt", "json_segments", "json_utterances") for r in calls)
    out.append(f"\nCalls in WebVTT, SRT or diarized JSON: {subtitle} of {len(calls)} ({subtitle / len(calls):.0%}).\n")
    out.append(table(["region", "conversations"], [[k, v] for k, v in Counter(r["region"] for r in rows).most_common()]))
    out.append("")
    out.append(table(["sector (grouped from the free-text industry)", "conversations"],
                     [[k, v] for k, v in Counter(sector(r["industry"]) for r in rows).most_common()]))
    out.append("")
    out.append(table(["register", "conversations"], [[k, v] for k, v in Counter(r["register"] for r in rows).most_common()]))
    hard = Counter(h for r in rows for h in (r.get("hard_case") or []))
    out.append("\n### Hard cases\n")
    out.append(table(["hard case", "conversations"], [[k, v] for k, v in hard.most_common()]))
    turn_sets: dict[str, set[int]] = {}
    for a in acts:
        turn_sets.setdefault(a["conversation_id"], set()).add(a["turn"])
    turns = sorted(len(turn_sets.get(r["conversation_id"], ())) for r in rows)
    single = sum(1 for r in emails if len(turn_sets.get(r["conversation_id"], ())) == 1)
    out.append(f"\nTurns per conversation: min {turns[0]}, median {turns[len(turns) // 2]}, max {turns[-1]}; "
               f"single-message emails: {single}.")
    out.append("\n### Split\n")
    split_of = {r["conversation_id"]: r["split"] for r in rows}
    sentences = Counter(split_of[a["conversation_id"]] for a in acts)
    out.append(table(["split", "conversations", "calls", "emails", "sentences"],
                     [[s, sum(r["split"] == s for r in rows), sum(r["split"] == s for r in calls),
                       sum(r["split"] == s for r in emails), sentences[s]] for s in ("train", "dev", "test")]))
    return "\n".join(out)


def main() -> int:
    readme = DATA / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = re.sub(r"<!-- stats -->.*<!-- /stats -->", lambda _: f"<!-- stats -->\n{stats()}\n<!-- /stats -->", text, flags=re.S)
    readme.write_text(new, encoding="utf-8")
    print(f"updated {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
