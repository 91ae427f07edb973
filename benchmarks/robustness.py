"""How much do acts and ratings degrade on call transcripts without case or punctuation?

    python benchmarks/robustness.py [--model DIR] [--trust-model] [--data DIR]

Many speech-to-text exports come lower-cased, or with no punctuation at all, while every call
in data/ was written with both. This takes the test split's calls (never used for training or
thresholds) and scores them three ways: as written, lower-cased, and lower-cased with
punctuation removed (apostrophes kept, as "don't" survives most ASR output). Acts are scored two
ways: per labelled sentence, each tagged as one unit in its turn's context, so segmentation
cannot blur them; and per word through the whole pipeline (each word carries the act of the
sentence it falls in, gold and predicted), so sentence splitting counts too. Ratings run the
whole pipeline. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score

import reciprocity_nlp
from reciprocity_nlp.analysis import Analyzer
from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.evaluation import rating_metrics
from reciprocity_nlp.features import turn_keys
from reciprocity_nlp.labels import LABELS
from reciprocity_nlp.segmentation import strip_punctuation
from reciprocity_nlp.training import evaluate, load_acts, load_conversations

ROOT = Path(__file__).resolve().parents[1]
VARIANTS: dict[str, Callable[[str], str]] = {"as written": str, "lower-cased": str.lower,
                                             "no case, no punctuation": strip_punctuation}


def perturbed(conversation: Conversation, change: Callable[[str], str]) -> Conversation:
    """A copy whose turns carry changed text and no sentences, so segmentation runs afresh."""
    turns = [replace(t, text=change(t.text), sentences=[]) for t in conversation.turns]
    return replace(conversation, turns=turns)


def act_scores(analyzer: Analyzer, rows: list[dict[str, Any]], agents: dict[str, str],
               channels: dict[str, str], change: Callable[[str], str]) -> dict[str, Any]:
    changed = [{**r, "text": change(r["text"])} for r in rows]
    return evaluate(analyzer, changed, agents=agents, channels=channels, log=lambda _: None)["acts"]


def word_acts(rows: list[dict[str, Any]], analyses: list[Any]) -> tuple[float, int]:
    """Act macro-F1 over words (each word labelled with its sentence's act, gold against predicted),
    and the number of turns left out because their word counts differ."""
    gold: dict[tuple[str, int], list[str]] = {}
    for key, r in zip(turn_keys(rows), rows, strict=True):
        gold.setdefault(key, []).extend([r["act"]] * len(strip_punctuation(r["text"]).split()))
    pred: dict[tuple[str, int], list[str]] = {}
    for a in analyses:
        for s in a.sentences:
            pred.setdefault((a.conversation.id, s.turn), []).extend([s.act] * len(strip_punctuation(s.text).split()))
    g: list[str] = []
    p: list[str] = []
    skipped = 0
    for key, acts in gold.items():
        if len(pred.get(key, [])) != len(acts):
            skipped += 1
            continue
        g += acts
        p += pred[key]
    return float(f1_score(g, p, average="macro")), skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default=None, help="model folder (default: the shipped model)")
    parser.add_argument("--trust-model", action="store_true", help="the model folder holds joblib files you trust")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    analyzer = reciprocity_nlp.load(args.model, trust=args.trust_model)
    items = [it for it in load_conversations(args.data / "conversations" / "labels.jsonl")
             if it.split == "test" and it.conversation.channel == "call"]
    ids = {it.conversation.id for it in items}
    agents = {it.conversation.id: it.agent for it in items}
    channels = {it.conversation.id: "call" for it in items}
    rows = [r for r in load_acts(args.data / "acts") if str(r["conversation_id"]) in ids]
    Y = np.vstack([it.labels for it in items])
    print(f"test-split calls: {len(items)} conversations, {len(rows)} labelled sentences\n")
    print("| text | act macro-F1 | act accuracy | act macro-F1 by word | rating macro-F1 | mean rating ROC-AUC |")
    print("|---|---|---|---|---|---|")
    for name, change in VARIANTS.items():
        acts = act_scores(analyzer, rows, agents, channels, change)
        analyses = list(analyzer.analyze_many([perturbed(it.conversation, change) for it in items],
                                              [it.agent for it in items]))
        flags = np.array([[int(k in a.flags) for k in LABELS] for a in analyses])
        probs = np.array([[a.ratings[k] for k in LABELS] for a in analyses])
        auc = np.mean([roc_auc_score(Y[:, j], probs[:, j]) for j in range(len(LABELS))])
        by_word, skipped = word_acts(rows, analyses)
        print(f"| {name} | {acts['macro_f1']:.3f} | {acts['accuracy']:.3f} | {by_word:.3f} | "
              f"{rating_metrics(Y, flags)['macro_f1']:.3f} | {auc:.3f} |", flush=True)
        if skipped:
            print(f"  ({skipped} turns left out of the by-word score: their words split differently)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
