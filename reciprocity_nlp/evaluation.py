"""Metrics for acts and ratings, with bootstrap confidence intervals, and their plain-text tables.

The intervals matter because labelled sets are small: on 182 test conversations one wrong flag
moves a label's F1 by about a point, so a team comparing two models needs to see how wide the
uncertainty is before reading anything into a difference.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
from scipy.stats import bootstrap
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from reciprocity_nlp.labels import ACTS, LABELS

LEVEL = 0.95
"""Confidence level of the intervals."""
N_RESAMPLES = 2000
"""Bootstrap resamples: over eight seeds on the 182 test conversations, the macro-F1 bounds moved by at most
0.003 and a label's bounds (F1 moves in coarse steps on few positives) by at most 0.01."""


def f1_intervals(counts: np.ndarray, seed: int = 0) -> tuple[np.ndarray, tuple[float, float]]:
    """Percentile bootstrap intervals of each column's F1 and of their mean (macro-F1).

    `counts` holds true positives, false positives and false negatives per resampling unit and
    column, shape (units, columns, 3). The units are resampled whole, so when they are
    conversations, the sentences of one conversation stay together (they are not independent).
    A resample with nothing to find and nothing found for a column makes no error there, so its
    F1 is 1; a column empty in the whole set keeps scikit-learn's 0, as in the point estimate.
    Returns an array (columns, 2) of per-column bounds and the macro-F1 bounds, rounded to 4 places.
    """
    units = np.arange(len(counts))
    tp, fp, fn = np.moveaxis(counts.sum(axis=0), -1, 0)
    empty_f1 = (2 * tp + fp + fn > 0).astype(float)

    def f1(idx: np.ndarray) -> np.ndarray:
        """F1 per column of the units drawn in each resample: idx (resamples, units) -> (resamples, columns)."""
        tp, fp, fn = np.moveaxis(counts[idx].sum(axis=-3), -1, 0)
        denom = 2 * tp + fp + fn
        return np.divide(2 * tp, denom, out=np.broadcast_to(empty_f1, denom.shape).copy(), where=denom > 0)

    def interval(column: int | None) -> list[float]:
        """Bounds of one column's F1, or of the macro-F1 when column is None."""
        res = bootstrap((units,), lambda idx, axis=-1: f1(idx).mean(-1) if column is None else f1(idx)[..., column],
                        n_resamples=N_RESAMPLES, confidence_level=LEVEL, method="percentile", vectorized=True,
                        batch=max(1, 5_000_000 // counts.size), rng=np.random.default_rng(seed))
        return [round(float(res.confidence_interval.low), 4), round(float(res.confidence_interval.high), 4)]

    macro = interval(None)
    return np.array([interval(j) for j in range(counts.shape[1])]), (macro[0], macro[1])


def _counts(true: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """True positives, false positives, false negatives per row and column of 0/1 matrices: (rows, columns, 3)."""
    return np.stack([true & pred, ~true & pred, true & ~pred], axis=-1).astype(np.int64)


def act_metrics(y_true: Sequence[str], y_pred: Sequence[str], groups: Sequence[Hashable] | None = None,
                ) -> dict[str, object]:
    """Per-act precision/recall/F1/support, macro-F1 with its interval, accuracy and the confusion matrix.

    `groups` names each sentence's conversation; the interval then resamples conversations, not sentences.
    """
    p, r, f, n = precision_recall_fscore_support(y_true, y_pred, labels=list(ACTS), zero_division=0)
    true = np.asarray(y_true)[:, None] == np.array(ACTS)
    pred = np.asarray(y_pred)[:, None] == np.array(ACTS)
    rows = _counts(true, pred)
    if groups is not None:
        names, unit = np.unique(np.asarray([str(g) for g in groups]), return_inverse=True)
        grouped = np.zeros((len(names), *rows.shape[1:]), dtype=np.int64)
        np.add.at(grouped, unit, rows)
        rows = grouped
    per_ci, macro_ci = f1_intervals(rows)
    per = {a: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4),
               "f1_ci": per_ci[i].tolist(), "support": int(n[i])} for i, a in enumerate(ACTS)}
    return {
        "per_act": per,
        "macro_f1": round(float(np.mean(f)), 4),
        "macro_f1_ci": list(macro_ci),
        "ci_units": "conversations" if groups is not None else "sentences",
        "n_units": len(rows),
        "accuracy": round(float(np.mean(np.asarray(y_true) == np.asarray(y_pred))), 4),
        "confusion": {"labels": list(ACTS), "matrix": confusion_matrix(y_true, y_pred, labels=list(ACTS)).tolist()},
        "n": len(y_true),
    }


def binary_metrics(y_true: Sequence[int], y_pred: Sequence[int]) -> dict[str, float]:
    """Precision, recall, F1 and support (positives) of one yes/no decision."""
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average="binary", zero_division=0)
    return {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
            "support": int(np.sum(y_true))}


def rating_metrics(Y_true: np.ndarray, Y_pred: np.ndarray) -> dict[str, object]:
    """Per-label precision/recall/F1/support and macro-F1 for the five ratings, with conversation-bootstrap intervals."""
    Y_true, Y_pred = np.asarray(Y_true, dtype=int), np.asarray(Y_pred, dtype=int)
    per = {label: binary_metrics(Y_true[:, j], Y_pred[:, j]) for j, label in enumerate(LABELS)}
    per_ci, macro_ci = f1_intervals(_counts(Y_true.astype(bool), Y_pred.astype(bool)))
    for j, label in enumerate(LABELS):
        per[label]["f1_ci"] = per_ci[j].tolist()
    return {"per_label": per, "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 4),
            "macro_f1_ci": list(macro_ci), "n": len(Y_true)}


def _ci(bounds: Sequence[float]) -> str:
    return f"{bounds[0]:.3f}-{bounds[1]:.3f}"


def format_act_metrics(m: dict[str, object]) -> str:
    ci = f"{LEVEL:.0%} CI"
    lines = [f"{'act':<14}{'precision':>10}{'recall':>8}{'f1':>8}{ci:>13}{'support':>9}"]
    for a, v in m["per_act"].items():  # type: ignore[union-attr]
        lines.append(f"{a:<14}{v['precision']:>10.3f}{v['recall']:>8.3f}{v['f1']:>8.3f}{_ci(v['f1_ci']):>13}"
                     f"{v['support']:>9}")
    lines.append(f"{'macro-F1':<14}{m['macro_f1']:>26.3f}{_ci(m['macro_f1_ci']):>13}   accuracy {m['accuracy']:.3f}"
                 f"  (n={m['n']} sentences; intervals resample {m['n_units']} {m['ci_units']})")
    conf = m["confusion"]
    short = [a[:7] for a in conf["labels"]]  # type: ignore[index]
    lines += ["", "confusion (rows: true, columns: predicted)", " " * 14 + "".join(f"{s:>9}" for s in short)]
    for a, row in zip(conf["labels"], conf["matrix"], strict=True):  # type: ignore[index]
        lines.append(f"{a:<14}" + "".join(f"{x:>9}" for x in row))
    return "\n".join(lines)


def format_rating_metrics(m: dict[str, object]) -> str:
    ci = f"{LEVEL:.0%} CI"
    lines = [f"{'rating':<14}{'precision':>10}{'recall':>8}{'f1':>8}{ci:>13}{'support':>9}"]
    for k, v in m["per_label"].items():  # type: ignore[union-attr]
        lines.append(f"{k:<14}{v['precision']:>10.3f}{v['recall']:>8.3f}{v['f1']:>8.3f}{_ci(v['f1_ci']):>13}"
                     f"{v['support']:>9}")
    lines.append(f"{'macro-F1':<14}{m['macro_f1']:>26.3f}{_ci(m['macro_f1_ci']):>13}   (n={m['n']} conversations,"
                 " resampled for the intervals)")
    return "\n".join(lines)


def format_binary_metrics(m: dict[str, float]) -> str:
    return f"precision {m['precision']:.3f}, recall {m['recall']:.3f}, F1 {m['f1']:.3f} (n={m['support']})"
