"""Zero-shot evaluation of a model on public datasets in ../shared/benchmarks (evaluation only).

    python benchmarks/external_eval.py [--model DIR] [--benchmarks DIR] [--devset DIR]

Nothing here trains or tunes anything: the model is applied as shipped and its outputs are
compared with each dataset's own labels. Datasets that are absent are skipped. Prints one table
(and the development set's act and rating metrics, when ../shared/devset is present).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import f1_score, recall_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reciprocity_nlp import Conversation, Turn, load, read_file  # noqa: E402
from reciprocity_nlp.analysis import Analyzer  # noqa: E402
from reciprocity_nlp.readers.base import Segment, build_conversation  # noqa: E402


def jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def top_act(probs: Iterable[dict[str, float]]) -> list[str]:
    return [max(p, key=p.get) for p in probs]


def dailydialog(a: Analyzer, folder: Path) -> list[tuple[str, str, str]]:
    rows = jsonl(folder / "acts_test.jsonl")
    pred = top_act(a.tag_rows(rows))
    gold = [r["act"] for r in rows]
    q_true = [g == "question" for g in gold]
    d_true = [g == "directive" for g in gold]
    baseline = f1_score(q_true, ["?" in r["text"] for r in rows])
    return [
        ("DailyDialog test", f"F1 extract_info vs question ({len(rows)} utterances)",
         f"{f1_score(q_true, [p == 'extract_info' for p in pred]):.3f} (bare '?' rule {baseline:.3f})"),
        ("DailyDialog test", "F1 push vs directive", f"{f1_score(d_true, [p == 'push' for p in pred]):.3f}"),
    ]


def one_turn(cid: str, text: str) -> Conversation:
    return Conversation(id=cid, channel="email", turns=[Turn(index=0, speaker="writer", text=text)])


def email_index(folder: Path) -> list[dict]:
    """The SpamAssassin sample's index: one row per email (`file`, `corpus_subset`, ...)."""
    with open(folder / "index.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def negotiation(dialogue: dict, cid: str) -> Conversation:
    """A CaSiNo dialogue as a call reader builds one: a speaker's consecutive chat turns merged into one turn."""
    segments = [Segment(t["speaker"], t["text"]) for t in dialogue["turns"]]
    return build_conversation(segments, channel="call", path=None, fmt="json", conv_id=cid)


def spam(a: Analyzer, folder: Path) -> list[tuple[str, str, str]]:
    index = email_index(folder)
    convs, subsets = [], []
    for row in index:
        found = read_file(folder / row["file"])
        convs.append(found[0])
        subsets.append(row["corpus_subset"])
    salesy = np.array([x.ratings["salesy"] for x in a.analyze_many(convs)])
    subsets = np.array(subsets)
    is_spam = subsets == "spam"
    easy = is_spam | (subsets == "easy_ham")
    return [
        ("SpamAssassin", f"ROC-AUC salesy: spam vs easy ham ({easy.sum()} emails)",
         f"{roc_auc_score(is_spam[easy], salesy[easy]):.3f}"),
        ("SpamAssassin", f"ROC-AUC salesy: spam vs all ham ({len(subsets)} emails)", f"{roc_auc_score(is_spam, salesy):.3f}"),
    ]


def politeness(a: Analyzer, folder: Path) -> list[tuple[str, str, str]]:
    rows = [r for r in jsonl(folder / "requests.jsonl") if r["label"] in ("polite", "impolite")]
    convs = [one_turn(r["id"], r["text"]) for r in rows]
    pushy = [x.ratings["pushy"] for x in a.analyze_many(convs, ["writer"] * len(convs))]
    y = [r["label"] == "impolite" for r in rows]
    return [("Stanford Politeness", f"ROC-AUC pushy: impolite vs polite ({len(rows)} requests)", f"{roc_auc_score(y, pushy):.3f}")]


def casino(a: Analyzer, folder: Path) -> list[tuple[str, str, str]]:
    convs, agents, liking = [], [], []
    for d in jsonl(folder / "dialogues.jsonl"):
        speakers = sorted({t["speaker"] for t in d["turns"] if t["text"].strip()})
        if len(speakers) != 2:
            continue
        for me in speakers:
            partner = next(s for s in speakers if s != me)
            score = (d["outcomes"].get(partner) or {}).get("opponent_likeness_score")
            if score is None:
                continue
            convs.append(negotiation(d, f"{d['id']}-{me}"))
            agents.append(me)
            liking.append(score)
    out = list(a.analyze_many(convs, agents))
    rows = []
    for label in ("selfish", "pushy"):
        rho = spearmanr([x.ratings[label] for x in out], liking).statistic
        rows.append(("CaSiNo", f"Spearman {label} vs partner's liking ({len(out)} speakers)", f"{rho:+.3f}"))
    return rows


def persuasion(a: Analyzer, folder: Path) -> list[tuple[str, str, str]]:
    rows = jsonl(folder / "annotated.jsonl")
    units = [{"conversation_id": r["conversation_id"], "turn": r["utterance_index"], "speaker": r["speaker"],
              "text": r["text"]} for r in rows]
    pred = top_act(a.tag_rows(units, {r["conversation_id"]: "persuader" for r in rows}))
    inquiry = [r["strategy"].endswith("-inquiry") for r in rows]
    proposition = [r["strategy"] == "proposition-of-donation" for r in rows]
    recall = recall_score([True] * sum(proposition), [p == "push" for p, m in zip(pred, proposition, strict=True) if m])
    return [
        ("Persuasion For Good", f"F1 extract_info vs *-inquiry ({len(rows)} sentences)",
         f"{f1_score(inquiry, [p == 'extract_info' for p in pred]):.3f}"),
        ("Persuasion For Good", f"recall of push on proposition-of-donation ({sum(proposition)})", f"{recall:.3f}"),
    ]


def devset(a: Analyzer, folder: Path) -> None:
    from reciprocity_nlp.training import evaluate, load_acts, load_conversations

    print(f"\nDevelopment set ({folder}): written apart from this project, evaluation only\n")
    evaluate(a, load_acts(folder / "acts.jsonl"), load_conversations(folder / "labels.jsonl"), title="devset")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="model folder (default: the shipped model)")
    parser.add_argument("--trust-model", action="store_true", help="the model folder holds joblib files you trust")
    parser.add_argument("--benchmarks", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--devset", type=Path, default=ROOT.parent / "shared" / "devset")
    args = parser.parse_args()
    analyzer = load(args.model, trust=args.trust_model)
    table: list[tuple[str, str, str]] = []
    for name, fn in (("dailydialog", dailydialog), ("emails", spam), ("politeness", politeness), ("casino", casino),
                     ("persuasion", persuasion)):
        folder = args.benchmarks / name
        if not folder.is_dir():
            table.append((name, "skipped: not present", ""))
            continue
        started = time.perf_counter()
        table += fn(analyzer, folder)
        print(f"{name}: {time.perf_counter() - started:.0f}s", file=sys.stderr)
    width = max(len(m) for _, m, _ in table)
    print(f"| dataset | measure{' ' * (width - 7)} | value |\n|---|---|---|")
    for dataset, measure, value in table:
        print(f"| {dataset} | {measure} | {value} |")
    if args.devset.is_dir():
        devset(analyzer, args.devset)
    return 0


if __name__ == "__main__":
    sys.exit(main())
