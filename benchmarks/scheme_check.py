"""How far is each public benchmark's scheme from ours? Measured on blind annotated samples.

    python benchmarks/scheme_check.py [--model DIR] [--benchmarks DIR]

Random samples of four benchmarks were labelled under LABELS.md by two annotators who saw
neither the benchmark's labels nor the model's output (`benchmarks/annotations/`, which holds
only item ids and our labels, never the datasets' text). For each dataset this prints:

- agreement between the two annotators (Cohen's kappa, or Spearman for 0-4 degrees);
- the zero-shot measure computed from the annotators' labels instead of the model's: what a
  perfect tagger or rater *of our scheme* would score, i.e. how much of a target our scheme
  allows;
- the model's score on the same sample, for comparison;
- the model against the annotators: how well it applies our scheme to real, unseen text.

Evaluation only: nothing is trained or tuned on these labels.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr
from sklearn.metrics import cohen_kappa_score, f1_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.external_eval import email_index, jsonl, negotiation, one_turn, top_act  # noqa: E402
from reciprocity_nlp import load, read_file  # noqa: E402
from reciprocity_nlp.analysis import Analyzer  # noqa: E402
from reciprocity_nlp.labels import ACTS  # noqa: E402

ANNOTATIONS = ROOT / "benchmarks" / "annotations"
Row = tuple[str, str, str]


def annotations(name: str) -> list[dict]:
    with open(ANNOTATIONS / f"{name}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def weighted_f1(true: np.ndarray, pred: np.ndarray, weight: np.ndarray) -> float:
    """F1 with each sampled item standing for `weight` items of the full dataset."""
    tp = weight[true & pred].sum()
    return float(2 * tp / (2 * tp + weight[~true & pred].sum() + weight[true & ~pred].sum()))


def dailydialog(a: Analyzer, folder: Path) -> list[Row]:
    rows = jsonl(folder / "acts_test.jsonl")
    pred = top_act(a.tag_rows(rows))
    where = {f"{r['conversation_id']}:{r['turn']}": i for i, r in enumerate(rows)}
    ann = annotations("dailydialog")
    idx = [where[x["item"]] for x in ann]
    gold = np.array([rows[i]["act"] for i in idx])
    # the sample is stratified by the dataset's act: weight each item by its stratum's share
    population, sample = Counter(r["act"] for r in rows), Counter(gold)
    weight = np.array([population[g] / sample[g] for g in gold])
    model = np.array([pred[i] for i in idx])
    ann_a, ann_b = np.array([x["a"] for x in ann]), np.array([x["b"] for x in ann])
    agree = ann_a == ann_b
    out = [("DailyDialog", f"annotators' agreement on acts ({len(ann)} utterances)",
            f"kappa {cohen_kappa_score(ann_a, ann_b):.2f} ({agree.mean():.0%} identical)")]
    for benchmark_act, ours, target in (("directive", "push", "0.55"), ("question", "extract_info", "0.90")):
        true = gold == benchmark_act
        ceiling = [weighted_f1(true, labels == ours, weight) for labels in (ann_a, ann_b)]
        out.append((
            "DailyDialog", f"F1 {ours} vs {benchmark_act} (target {target})",
            f"annotators {min(ceiling):.3f}-{max(ceiling):.3f}; model {weighted_f1(true, model == ours, weight):.3f}",
        ))
    kappas = [cohen_kappa_score(model, labels) for labels in (ann_a, ann_b)]
    out.append(("DailyDialog", "model vs annotators, acts",
                 f"kappa {min(kappas):.2f}-{max(kappas):.2f}; macro-F1 on the {agree.sum()} agreed "
                 f"{f1_score(ann_a[agree], model[agree], labels=list(ACTS), average='macro', zero_division=0):.3f}"))
    return out


def rating_rows(dataset: str, label: str, benchmark: str, target: str, truth: np.ndarray,
                model: np.ndarray, ann: list[dict]) -> list[Row]:
    """Agreement, ceiling, model and model-versus-annotators rows for one rated label."""
    deg_a = np.array([float(x["degree_a"]) for x in ann])
    deg_b = np.array([float(x["degree_b"]) for x in ann])
    flag_a = np.array([int(x[f"{label}_a"]) for x in ann])
    flag_b = np.array([int(x[f"{label}_b"]) for x in ann])
    both = flag_a == flag_b
    mean = (deg_a + deg_b) / 2
    ceiling = [roc_auc_score(truth, d) for d in (deg_a, deg_b, mean)]
    return [
        (dataset, f"annotators' agreement on {label} ({len(ann)} items)",
         f"kappa {cohen_kappa_score(flag_a, flag_b):.2f}; degree Spearman {spearmanr(deg_a, deg_b).statistic:.2f}"),
        (dataset, f"ROC-AUC {label}: {benchmark} (target {target})",
         f"annotators {min(ceiling[:2]):.3f}-{max(ceiling[:2]):.3f} (mean degree {ceiling[2]:.3f}); "
         f"model {roc_auc_score(truth, model):.3f}"),
        (dataset, f"model vs annotators, {label}",
         f"ROC-AUC {roc_auc_score(flag_a[both], model[both]):.3f} on the {both.sum()} agreed "
         f"({flag_a[both].sum()} yes); Spearman with mean degree {spearmanr(mean, model).statistic:.2f}"),
    ]


def politeness(a: Analyzer, folder: Path) -> list[Row]:
    rows = {r["id"]: r for r in jsonl(folder / "requests.jsonl")}
    ann = annotations("politeness")
    convs = [one_turn(x["item"], rows[x["item"]]["text"]) for x in ann]
    model = np.array([x.ratings["pushy"] for x in a.analyze_many(convs, ["writer"] * len(convs))])
    truth = np.array([rows[x["item"]]["label"] == "impolite" for x in ann])
    return rating_rows("Stanford Politeness", "pushy", "impolite vs polite", "0.70", truth, model, ann)


def emails(a: Analyzer, folder: Path) -> list[Row]:
    subset = {r["file"]: r["corpus_subset"] for r in email_index(folder)}
    ann = annotations("emails")
    convs = [read_file(folder / x["item"])[0] for x in ann]
    model = np.array([x.ratings["salesy"] for x in a.analyze_many(convs)])
    truth = np.array([subset[x["item"]] == "spam" for x in ann])
    return rating_rows("SpamAssassin", "salesy", "spam vs easy ham", "0.92", truth, model, ann)


def casino(a: Analyzer, folder: Path) -> list[Row]:
    dialogues = {d["id"]: d for d in jsonl(folder / "dialogues.jsonl")}
    ann = annotations("casino")
    convs, agents, liking = [], [], []
    for x in ann:
        d = dialogues[x["item"]]
        partner = next(t["speaker"] for t in d["turns"] if t["text"].strip() and t["speaker"] != x["speaker"])
        convs.append(negotiation(d, f"{d['id']}-{x['speaker']}"))
        agents.append(x["speaker"])
        liking.append(d["outcomes"][partner]["opponent_likeness_score"])
    out = list(a.analyze_many(convs, agents))
    rows = []
    for label in ("selfish", "pushy"):
        deg_a = np.array([float(x[f"{label}_degree_a"]) for x in ann])
        deg_b = np.array([float(x[f"{label}_degree_b"]) for x in ann])
        mean = (deg_a + deg_b) / 2
        model = np.array([x.ratings[label] for x in out])
        ceiling = [spearmanr(d, liking).statistic for d in (deg_a, deg_b, mean)]
        rows += [
            ("CaSiNo", f"annotators' agreement on {label} degree ({len(ann)} speakers)",
             f"Spearman {spearmanr(deg_a, deg_b).statistic:.2f}"),
            ("CaSiNo", f"Spearman {label} vs partner's liking (target <= -0.10)",
             f"annotators {min(ceiling[:2]):+.3f} to {max(ceiling[:2]):+.3f} (mean degree {ceiling[2]:+.3f}); "
             f"model {spearmanr(model, liking).statistic:+.3f}"),
            ("CaSiNo", f"model vs annotators, {label}",
             f"Spearman with mean degree {spearmanr(mean, model).statistic:+.2f}"),
        ]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", help="model folder (default: the shipped model)")
    parser.add_argument("--trust-model", action="store_true", help="the model folder holds joblib files you trust")
    parser.add_argument("--benchmarks", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    args = parser.parse_args()
    analyzer = load(args.model, trust=args.trust_model)
    table: list[Row] = []
    for name, fn in (("dailydialog", dailydialog), ("politeness", politeness), ("emails", emails), ("casino", casino)):
        folder = args.benchmarks / name
        if not folder.is_dir():
            print(f"skipped {name}: {folder} not found", file=sys.stderr)
            continue
        table += fn(analyzer, folder)
    if not table:
        print(f"no benchmarks found under {args.benchmarks}", file=sys.stderr)
        return 0
    width = [max(len(r[i]) for r in table) for i in range(2)]
    for dataset, measure, value in table:
        print(f"{dataset:<{width[0]}}  {measure:<{width[1]}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
