"""The model rule: is a candidate model (a new data batch, a new feature) no worse than the model before it, on the
train + dev conversations that model had? docs/model-history.md ("In-corpus decisions") records every decision.

    python benchmarks/model_rule.py figures --acts data/acts --conversations data/conversations/labels.jsonl \\
        [--only IDS] --out figures.json
    python benchmarks/model_rule.py compare base.json candidate.json
    python benchmarks/model_rule.py rater [--model DIR] [--drop FEATURE...] [--bound B] [--C C]

`figures` trains as `reciprocity train --cv 5` does (`training.train`: the same folds, seed 0; the test split held
out) and keeps what its cross-validation computed: each train + dev sentence's out-of-fold act and each rated
conversation's rater features from taggers that never saw it. It writes to JSON:

- out-of-fold act macro-F1: all train + dev sentences (the card's `acts_cv`) and those of the `--only` conversations;
- out-of-fold rating macro-F1, with thresholds chosen as the build chooses them (`best_thresholds` on all the
  out-of-fold probabilities; the card's `ratings_cv` over all conversations), and the mean ROC-AUC of the five labels;
- nested cross-validated rating macro-F1, for fold shuffles 0, 1 and 2 and their mean: outer 5 folds; inside each
  outer training part, thresholds chosen by `best_thresholds` on its own 5-fold out-of-fold probabilities, then
  applied to a rater fitted on the whole training part and run on the outer held-out fold;
- the conversation ids the figures cover, the card's data hashes and the git commit.

Every figure but the first `all` is over the `--only` conversations when given: a file of ids, one a line, or a
figures JSON (its `ids`), so a candidate's corpus is judged on the base's conversations. `compare` applies the rule to
the two files' figures, which must cover the same ids, prints a line per criterion and exits 0 only if all pass.
`rater` judges a rater-only candidate that leaves features out or sets the rater's clipping bound or regularisation, on
the out-of-fold rater features a model saved, against the same features with the rater's defaults.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from reciprocity_nlp.evaluation import act_metrics, rating_metrics
from reciprocity_nlp.labels import LABELS
from reciprocity_nlp.ratings import AgentRater, best_thresholds
from reciprocity_nlp.training import Log, _out_of_fold_probs, _rating_folds, train

ROOT = Path(__file__).resolve().parents[1]
FOLDS = 5
"""Folds of every cross-validation here, as the default model is built (`reciprocity train --cv 5`)."""
SEED = 0
"""The build's seed: its act and rating folds."""
NESTED_SEEDS = (0, 1, 2)
"""The fold shuffles the nested rating macro-F1 is averaged over."""

ACT_F1_DROP = 0.003
"""How far out-of-fold act macro-F1 on the base's conversations may fall (docs/model-history.md, the rule written
before the b35-b36 result and used for every candidate since)."""
NESTED_F1_DROP = 0.003
"""How far nested cross-validated rating macro-F1 (mean of the three shuffles) may fall (docs/model-history.md)."""
ROC_AUC_DROP = 0.002
"""How far out-of-fold rating ROC-AUC (mean of the five labels) may fall (docs/model-history.md)."""
CRITERIA = (
    ("out-of-fold act macro-F1", ("acts", "oof_macro_f1"), ACT_F1_DROP),
    ("nested rating macro-F1", ("ratings", "nested_macro_f1_mean"), NESTED_F1_DROP),
    ("out-of-fold rating ROC-AUC", ("ratings", "oof_roc_auc"), ROC_AUC_DROP),
)
"""Each criterion: its name, where its figure is in a figures JSON, and how far it may fall."""
PLACES = 4
"""Decimals figures are kept to, as the card and docs/model-history.md give them; differences are judged at these."""


def log_to_stderr(text: str) -> None:
    """The training log, on stderr: stdout says where the figures went."""
    print(text, file=sys.stderr, flush=True)


def quiet(text: str) -> None:
    """A log for the many inner rater fits of the nested cross-validation."""


# --------------------------------------------------------------------------- figures


def nested_flags(X: np.ndarray, Y: np.ndarray, folds: Sequence[tuple[np.ndarray, np.ndarray]], keys: Sequence[str],
                 seed: int, log: Log = quiet, rater: dict[str, Any] | None = None) -> np.ndarray:
    """0/1 flags (conversations x labels) of each conversation from the outer fold holding it out: a rater fitted on
    the outer training part, with thresholds `best_thresholds` chose on that part's own out-of-fold probabilities
    (`FOLDS` folds shuffled with `seed`, as the build chooses them). The held-out fold's labels are never seen.
    `rater`: the `AgentRater` parameters, else its defaults."""
    flags = np.zeros(Y.shape, dtype=int)
    for f, (tr, te) in enumerate(folds):
        inner = _rating_folds(Y[tr], FOLDS, [keys[i] for i in tr], seed)
        thresholds = best_thresholds(_out_of_fold_probs(X[tr], Y[tr], inner, quiet, rater), Y[tr])
        flags[te] = (thresholds <= AgentRater(**(rater or {})).fit(X[tr], Y[tr]).predict_proba(X[te])).astype(int)
        log(f"nested ratings, shuffle {seed}: outer fold {f + 1} of {len(folds)} done")
    return flags


def mean_roc_auc(Y: np.ndarray, P: np.ndarray) -> tuple[float, dict[str, float]]:
    """The mean over the labels of ROC-AUC, and each label's; a ValueError naming a label that is all 1 or all 0."""
    per = {}
    for j, label in enumerate(LABELS):
        if len(set(Y[:, j])) < 2:
            raise ValueError(f"{label!r} is {Y[0, j]} in every conversation covered: it has no ROC-AUC")
        per[label] = float(roc_auc_score(Y[:, j], P[:, j]))
    return round(float(np.mean(list(per.values()))), PLACES), {k: round(v, PLACES) for k, v in per.items()}


def rating_figures(X: np.ndarray, Y: np.ndarray, keys: Sequence[str], covered: np.ndarray, log: Log,
                   rater: dict[str, Any] | None = None) -> dict[str, Any]:
    """Out-of-fold rating macro-F1 (all and `covered`, a mask of conversations) with the build's thresholds, mean
    ROC-AUC and nested macro-F1 per shuffle and their mean, both over `covered`; `rater`: the `AgentRater` parameters,
    else its defaults."""
    P = _out_of_fold_probs(X, Y, _rating_folds(Y, FOLDS, keys, SEED), log, rater)
    thresholds = best_thresholds(P, Y)
    flags = (thresholds <= P).astype(int)
    auc, auc_per_label = mean_roc_auc(Y[covered], P[covered])
    nested = {str(seed): rating_metrics(Y[covered], nested_flags(X, Y, _rating_folds(Y, FOLDS, keys, seed), keys,
                                                                  seed, log, rater)[covered])["macro_f1"]
              for seed in NESTED_SEEDS}
    return {"conversations": int(covered.sum()), "conversations_all": len(Y),
            "oof_macro_f1_all": rating_metrics(Y, flags)["macro_f1"],
            "oof_macro_f1": rating_metrics(Y[covered], flags[covered])["macro_f1"],
            "oof_thresholds": dict(zip(LABELS, thresholds.tolist(), strict=True)),
            "oof_roc_auc": auc, "oof_roc_auc_per_label": auc_per_label,
            "nested_macro_f1": nested, "nested_macro_f1_mean": round(float(np.mean(list(nested.values()))), PLACES)}


def act_figures(rows: Sequence[dict[str, Any]], predicted: Sequence[str], ids: set[str]) -> dict[str, Any]:
    """Out-of-fold act macro-F1 of all the labelled sentences and of those of the conversations `ids`."""
    groups = [str(r["conversation_id"]) for r in rows]
    truth = [r["act"] for r in rows]
    mine = [i for i, g in enumerate(groups) if g in ids]
    return {"sentences": len(mine), "sentences_all": len(rows),
            "oof_macro_f1_all": act_metrics(truth, predicted, groups)["macro_f1"],
            "oof_macro_f1": act_metrics([truth[i] for i in mine], [predicted[i] for i in mine],
                                        [groups[i] for i in mine])["macro_f1"]}


def read_ids(path: Path) -> set[str]:
    """Conversation ids from a file of one id a line, or a figures JSON's `ids`; a SystemExit naming an empty file."""
    text = path.read_text(encoding="utf-8")
    ids = set(json.loads(text)["ids"]) if path.suffix.lower() == ".json" else {s.strip() for s in text.splitlines()}
    ids.discard("")
    if not ids:
        raise SystemExit(f"{path}: no conversation ids")
    return ids


def git_commit() -> dict[str, Any]:
    """The commit of the code measured, and whether the work tree differed from it (a candidate often does)."""
    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    head, status = git("rev-parse", "HEAD"), git("status", "--porcelain")  # a new batch may be an untracked file
    return {"commit": head.stdout.strip() if head.returncode == 0 else None,
            "uncommitted_changes": bool(status.stdout.strip()) if status.returncode == 0 else None}


def figures(acts: Path, conversations: Path, only: Path | None, log: Log = log_to_stderr) -> dict[str, Any]:
    """Train as the build does and measure the rule's figures (the module docstring), over `only`'s ids if given."""
    measured = git_commit()  # the code as it is when read, before the half hour of training
    analyzer = train(acts=acts, conversations=conversations, cv=FOLDS, seed=SEED, log=log)
    data = analyzer.training_data
    rows, X, Y, rating_ids = data["act_rows"], data["X"], data["Y"], list(data["rating_ids"])
    every = {str(r["conversation_id"]) for r in rows} | set(rating_ids)
    wanted = read_ids(only) if only is not None else every
    missing = sorted(wanted - every)
    if missing:
        log(f"--only: {len(missing)} of its {len(wanted)} conversations are not among this run's train + dev "
            f"conversations, so are not covered: {', '.join(missing[:10])}{' ...' if len(missing) > 10 else ''}")
    ids = wanted & every
    out = {**measured, "data": analyzer.card["data"], "folds": FOLDS, "seed": SEED,
           "nested_seeds": list(NESTED_SEEDS), "only": str(only) if only is not None else None,
           "only_missing": missing, "ids": sorted(ids),
           "acts": act_figures(rows, analyzer.out_of_fold_acts, ids),
           "ratings": rating_figures(X, Y, rating_ids, np.array([i in ids for i in rating_ids]), log)}
    built = {"acts": analyzer.card["metrics"]["acts_cv"]["macro_f1"],
             "ratings": analyzer.card["metrics"]["ratings_cv"]["macro_f1"]}
    for kind, value in built.items():
        if out[kind]["oof_macro_f1_all"] != value:
            raise RuntimeError(f"{kind}: out-of-fold macro-F1 {out[kind]['oof_macro_f1_all']} here, but the build "
                               f"that ran reports {value}: this script no longer measures what `train` does")
    return out


# --------------------------------------------------------------------------- compare


def comparable(base: dict[str, Any], candidate: dict[str, Any]) -> str | None:
    """Why two figures files cannot be compared (other ids covered, other folds or seeds), or None."""
    for key in ("folds", "seed", "nested_seeds"):
        if base.get(key) != candidate.get(key):
            return f"{key} differ: {base.get(key)} in the base, {candidate.get(key)} in the candidate"
    b, c = set(base["ids"]), set(candidate["ids"])
    if b == c:
        return None
    lacking, extra = sorted(b - c), sorted(c - b)
    return (f"the candidate's figures cover {len(c)} conversations, the base's {len(b)}: "
            f"{len(lacking)} of the base's are not covered ({', '.join(lacking[:5])}), {len(extra)} others are "
            f"({', '.join(extra[:5])}); measure the candidate with --only BASE.json to judge it on the base's")


def judged(base: dict[str, Any], candidate: dict[str, Any]) -> list[tuple[str, float, float, float, float, bool]]:
    """Each criterion's name, base and candidate figures, difference (candidate - base, at `PLACES`), allowed fall,
    and whether it holds."""
    out = []
    for name, (part, key), drop in CRITERIA:
        old, new = base[part][key], candidate[part][key]
        difference = round(new - old, PLACES)
        out.append((name, old, new, difference, drop, difference >= -drop))
    return out


def compare(base_path: Path, candidate_path: Path) -> int:
    """Print the rule's verdict on two figures files, a line per criterion: 0 if every criterion holds, 1 if not,
    2 (said on stderr) if the two cannot be compared."""
    base, candidate = (json.loads(p.read_text(encoding="utf-8")) for p in (base_path, candidate_path))
    problem = comparable(base, candidate)
    if problem:
        print(f"{candidate_path}: cannot be compared with {base_path}: {problem}", file=sys.stderr)
        return 2
    print(f"on the base's {len(base['ids'])} conversations (base {base_path}, candidate {candidate_path}):")
    return verdict(judged(base, candidate))


def verdict(results: Sequence[tuple[str, float, float, float, float, bool]]) -> int:
    """Print a line per criterion of `judged`'s results: 0 if every criterion holds, 1 if not."""
    for name, old, new, difference, drop, holds in results:
        print(f"{name:<28} base {old:.4f}  candidate {new:.4f}  difference {difference:+.4f}  "
              f"(may fall by {drop:.3f})  {'PASS' if holds else 'FAIL'}")
    return 0 if all(r[-1] for r in results) else 1


# --------------------------------------------------------------------------- rater


def rater_rule(model: Path, drop: Sequence[str], log: Log = quiet, rater: dict[str, Any] | None = None) -> int:
    """The rule for a rater-only candidate that leaves out the features `drop` and fits an `AgentRater` with the
    parameters `rater` (else its defaults): judged in about a minute on the rater features a model saved (its
    training/ratings.npz, computed out of fold by the build's taggers), against the same features whole and the
    rater's defaults. The tagger is untouched, so the act criterion holds by construction (difference 0)."""
    card = json.loads((model / "model.json").read_text(encoding="utf-8"))
    names = card.get("rater_features")
    unknown = sorted(set(drop) - set(names or ()))
    if unknown:
        raise SystemExit(f"{model}: no rater feature {', '.join(map(repr, unknown))}; its features are {names}")
    with np.load(model / "training" / "ratings.npz", allow_pickle=False) as npz:
        X, Y, keys = npz["X"], npz["Y"], [str(i) for i in npz["ids"]]
    if X.shape[1] != len(names):
        raise SystemExit(f"{model}: training/ratings.npz holds {X.shape[1]} features, model.json names {len(names)}")
    acts = {"oof_macro_f1": card["metrics"]["acts_cv"]["macro_f1"]}
    everyone = np.ones(len(Y), dtype=bool)
    kept = [j for j, name in enumerate(names) if name not in drop]
    base = {"acts": acts, "ratings": rating_figures(X, Y, keys, everyone, log)}
    candidate = {"acts": acts, "ratings": rating_figures(X[:, kept], Y, keys, everyone, log, rater)}
    change = ([f"without {', '.join(drop)}"] if drop else []) + [f"{k}={v:g}" for k, v in (rater or {}).items()]
    print(f"on {model}'s {len(Y)} rated conversations, {'; '.join(change)}:")
    return verdict(judged(base, candidate))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    measure = commands.add_parser("figures", help="train as the build does and write the rule's figures")
    measure.add_argument("--acts", type=Path, required=True)
    measure.add_argument("--conversations", type=Path, required=True)
    measure.add_argument("--only", type=Path, help="conversation ids to measure on: one a line, or a figures .json")
    measure.add_argument("--out", type=Path, required=True)
    judge = commands.add_parser("compare", help="apply the rule to a base's and a candidate's figures")
    judge.add_argument("base", type=Path)
    judge.add_argument("candidate", type=Path)
    rater = commands.add_parser("rater", help="apply the rule to a rater without some features, on a model's saved "
                                              "out-of-fold rater features (seconds, not half an hour)")
    rater.add_argument("--model", type=Path, default=ROOT / "models" / "default")
    rater.add_argument("--drop", nargs="+", default=[], metavar="FEATURE", help="rater features to leave out")
    rater.add_argument("--bound", type=float, help="the candidate rater's clipping, in standard deviations")
    rater.add_argument("--C", type=float, help="the candidate rater's inverse regularisation strength")
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare(args.base, args.candidate)
    if args.command == "rater":
        params = {k: v for k, v in (("bound", args.bound), ("C", args.C)) if v is not None}
        if not args.drop and not params:
            parser.error("rater: give the candidate's change: --drop, --bound or --C")
        return rater_rule(args.model, args.drop, rater=params)
    found = figures(args.acts, args.conversations, args.only)
    args.out.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    print(f"{args.out}: act macro-F1 {found['acts']['oof_macro_f1']:.4f}, rating macro-F1 "
          f"{found['ratings']['oof_macro_f1']:.4f}, ROC-AUC {found['ratings']['oof_roc_auc']:.4f}, nested "
          f"{found['ratings']['nested_macro_f1_mean']:.4f} on {len(found['ids'])} conversations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
