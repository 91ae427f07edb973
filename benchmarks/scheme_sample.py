"""Draw the blind annotation samples that `scheme_check.py` scores (evaluation only).

    python benchmarks/scheme_sample.py OUT_DIR [--benchmarks DIR]

Writes one JSONL file of items per dataset with only what an annotator should see: the text
(and, for DailyDialog, the turn before it), never the benchmark's own label. Email items get
opaque ids; `emails_key.json` maps them back to files and is not for annotators. The seed is
fixed, so the same samples come back; `benchmarks/annotations/README.md` says how they were
labelled.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.external_eval import email_index, jsonl  # noqa: E402
from reciprocity_nlp import read_file  # noqa: E402

SEED = 20261129
DAILYDIALOG_QUOTA = {"directive": 120, "question": 80, "inform": 70, "commissive": 30}


def write(path: Path, items: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(item) + "\n" for item in items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder for the item files")
    parser.add_argument("--benchmarks", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    args = parser.parse_args()
    bench, rng = args.benchmarks, random.Random(SEED)
    args.out.mkdir(parents=True, exist_ok=True)

    # DailyDialog: stratified by the dataset's act, then shuffled so the strata are hidden
    rows = jsonl(bench / "dailydialog" / "acts_test.jsonl")
    picked = []
    for act, k in DAILYDIALOG_QUOTA.items():
        picked += rng.sample([i for i, r in enumerate(rows) if r["act"] == act], k)
    rng.shuffle(picked)
    write(args.out / "dailydialog.jsonl", [
        {"item": f"{rows[i]['conversation_id']}:{rows[i]['turn']}", "speaker": rows[i]["speaker"], "text": rows[i]["text"],
         "previous_turn": rows[i - 1]["text"] if i and rows[i - 1]["conversation_id"] == rows[i]["conversation_id"] else ""}
        for i in picked
    ])

    # Stanford Politeness: 100 impolite and 100 polite requests
    rows = jsonl(bench / "politeness" / "requests.jsonl")
    picked = [r for label in ("impolite", "polite") for r in rng.sample([r for r in rows if r["label"] == label], 100)]
    rng.shuffle(picked)
    write(args.out / "politeness.jsonl", [{"item": r["id"], "text": r["text"]} for r in picked])

    # SpamAssassin: 50 spam and 50 easy ham, as the reader hands them to the model
    index = email_index(bench / "emails")
    picked = [r for subset in ("spam", "easy_ham") for r in rng.sample([r for r in index if r["corpus_subset"] == subset], 50)]
    rng.shuffle(picked)
    items, key = [], {}
    for n, r in enumerate(picked):
        conversation = read_file(bench / "emails" / r["file"])[0]
        key[f"e{n:03d}"] = r["file"]
        items.append({"item": f"e{n:03d}", "subject": conversation.metadata.get("subject", ""),
                      "turns": [{"speaker": t.speaker, "text": t.text} for t in conversation.turns]})
    write(args.out / "emails.jsonl", items)
    (args.out / "emails_key.json").write_text(json.dumps(key, indent=1), encoding="utf-8")

    # CaSiNo: 50 two-speaker dialogues where both partners gave a liking score
    def rated(d: dict) -> bool:
        speakers = {t["speaker"] for t in d["turns"]}
        return len(speakers) == 2 and all((d["outcomes"].get(s) or {}).get("opponent_likeness_score") is not None for s in speakers)

    picked = rng.sample([d for d in jsonl(bench / "casino" / "dialogues.jsonl") if rated(d)], 50)
    write(args.out / "casino.jsonl", [
        {"item": d["id"], "turns": [{"speaker": t["speaker"], "text": t["text"]} for t in d["turns"] if t["text"].strip()]}
        for d in picked
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
