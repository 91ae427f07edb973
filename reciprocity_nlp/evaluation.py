"""Metrics for acts and ratings, and their plain-text tables."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from reciprocity_nlp.labels import ACTS, LABELS


def act_metrics(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, object]:
    """Per-act precision/recall/F1/support, macro-F1, accuracy and the confusion matrix."""
    p, r, f, n = precision_recall_fscore_support(y_true, y_pred, labels=list(ACTS), zero_division=0)
    per = {a: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4),
               "support": int(n[i])} for i, a in enumerate(ACTS)}
    return {
        "per_act": per,
        "macro_f1": round(float(np.mean(f)), 4),
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
    """Per-label precision/recall/F1/support and macro-F1 for the five ratings."""
    Y_true, Y_pred = np.asarray(Y_true, dtype=int), np.asarray(Y_pred, dtype=int)
    per = {label: binary_metrics(Y_true[:, j], Y_pred[:, j]) for j, label in enumerate(LABELS)}
    return {"per_label": per, "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 4), "n": len(Y_true)}


def format_act_metrics(m: dict[str, object]) -> str:
    lines = [f"{'act':<14}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}"]
    for a, v in m["per_act"].items():  # type: ignore[union-attr]
        lines.append(f"{a:<14}{v['precision']:>10.3f}{v['recall']:>8.3f}{v['f1']:>8.3f}{v['support']:>9}")
    lines.append(f"{'macro-F1':<14}{m['macro_f1']:>26.3f}   accuracy {m['accuracy']:.3f}  (n={m['n']})")
    conf = m["confusion"]
    short = [a[:7] for a in conf["labels"]]  # type: ignore[index]
    lines += ["", "confusion (rows: true, columns: predicted)", " " * 14 + "".join(f"{s:>9}" for s in short)]
    for a, row in zip(conf["labels"], conf["matrix"], strict=True):  # type: ignore[index]
        lines.append(f"{a:<14}" + "".join(f"{x:>9}" for x in row))
    return "\n".join(lines)


def format_rating_metrics(m: dict[str, object]) -> str:
    lines = [f"{'rating':<14}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}"]
    for k, v in m["per_label"].items():  # type: ignore[union-attr]
        lines.append(f"{k:<14}{v['precision']:>10.3f}{v['recall']:>8.3f}{v['f1']:>8.3f}{v['support']:>9}")
    lines.append(f"{'macro-F1':<14}{m['macro_f1']:>26.3f}   (n={m['n']})")
    return "\n".join(lines)


def format_binary_metrics(m: dict[str, float]) -> str:
    return f"precision {m['precision']:.3f}, recall {m['recall']:.3f}, F1 {m['f1']:.3f} (n={m['support']})"
