"""Metrics for acts and ratings, with bootstrap confidence intervals, and their plain-text tables.

The intervals matter because labelled sets are small: on 182 test conversations one wrong flag
moves a label's F1 by about a point, so a team comparing two models needs to see how wide the
uncertainty is before reading anything into a difference.

Calibration says whether the probabilities can be read as probabilities (a rating of 0.3 right about 30% of the
time): the Brier score and the expected calibration error (ECE) over `BINS` equal-width bins, with a reliability
table per label (and for the acts, of the top act's probability against being right).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
from scipy.stats import bootstrap
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, confusion_matrix, precision_recall_fscore_support

from reciprocity_nlp.labels import ACTS, LABELS
from reciprocity_nlp.wording import count

LEVEL = 0.95
"""Confidence level of the intervals."""
N_RESAMPLES = 2000
"""Bootstrap resamples: over eight seeds on the 182 test conversations, the macro-F1 bounds moved by at most
0.003 and a label's bounds (F1 moves in coarse steps on few positives) by at most 0.01."""
BINS = 10
"""Equal-width probability bins of the ECE and the reliability tables: [0, 0.1], (0.1, 0.2], ..., (0.9, 1], as
sklearn's `calibration_curve` makes them."""
BINNING = (f"{BINS} equal-width bins of the predicted probability ([0, 0.1], (0.1, 0.2], ..., (0.9, 1]); the ECE is "
           "the mean over bins of |observed rate - mean predicted|, each bin weighted by its count")
_EDGES = np.linspace(0.0, 1.0, BINS + 1)


def _f1(counts: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """F1 per column from summed (..., columns, 3) counts; `empty` is the F1 where nothing was there to find or found."""
    tp, fp, fn = np.moveaxis(counts, -1, 0)
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.broadcast_to(empty, denom.shape).copy(), where=denom > 0)


def scored_columns(*counts: np.ndarray) -> np.ndarray:
    """Columns with something to find or found anywhere in the set (in any of the models' counts). A column with
    neither, say a label no test conversation carries and no model flags, has no F1: it is left out of the
    macro-F1 instead of counting as 0, which would make a perfect model on a small set look poor. When two
    models are compared, a column one of them found something in is scored for both: the other, which found
    nothing where there was nothing, has F1 1 there."""
    return np.logical_or.reduce([c.sum(axis=(0, 2)) > 0 for c in counts])


def _intervals(counts: np.ndarray, metric: Callable[[np.ndarray], np.ndarray], seed: int,
               defined: np.ndarray) -> list[list[float] | None]:
    """Percentile bootstrap bounds of each column of `metric` (resampled unit indices (resamples, units) ->
    (resamples, columns)) and of the mean of its `defined` columns, last, over the units of `counts` (units,
    columns, sums: the F1's counts, or the squared errors and counts of `brier_intervals`); None for a column
    that is not defined, and all None for fewer than two units, where resampling says nothing. One set of
    resamples serves every column: scipy's bootstrap takes a statistic with several values. For F1, a defined
    column that a resample happens to leave empty made no error there: F1 1."""
    def statistic(idx: np.ndarray, axis: int = -1) -> np.ndarray:
        values = metric(idx)
        return np.concatenate([values, values[..., defined].mean(-1, keepdims=True)], axis=-1).T

    if len(counts) < 2 or not defined.any():
        return [None] * (counts.shape[1] + 1)
    res = bootstrap((np.arange(len(counts)),), statistic, n_resamples=N_RESAMPLES, confidence_level=LEVEL,
                    method="percentile", vectorized=True, batch=max(1, 2_500_000 // max(counts.size, 1)),
                    rng=np.random.default_rng(seed))
    keep = [*defined, True]
    return [[round(float(low), 4), round(float(high), 4)] if k else None
            for low, high, k in zip(res.confidence_interval.low, res.confidence_interval.high, keep, strict=True)]


def _point_f1(counts: np.ndarray, defined: np.ndarray) -> list[float | None]:
    """Each column's F1 over the whole set, as the bootstrap computes it: None where not scored, 1 where a scored
    column holds nothing for this model (it found nothing where there was nothing)."""
    f1 = _f1(counts.sum(axis=0), defined.astype(float))
    return [round(float(v), 4) if k else None for v, k in zip(f1, defined, strict=True)]


def _macro(f1: Sequence[float | None]) -> float | None:
    """The mean of the defined F1s (None when none is)."""
    values = [v for v in f1 if v is not None]
    return round(float(np.mean(values)), 4) if values else None


def f1_intervals(counts: np.ndarray, seed: int = 0, defined: np.ndarray | None = None
                 ) -> tuple[list[list[float] | None], list[float] | None]:
    """Percentile bootstrap intervals of each column's F1 and of their mean (macro-F1).

    `counts` holds true positives, false positives and false negatives per resampling unit and
    column, shape (units, columns, 3), as made by `act_counts` or `rating_counts`. The units are
    resampled whole, so when they are conversations, the sentences of one conversation stay together
    (they are not independent). Returns each column's bounds and the macro-F1 bounds (None for one unit,
    and for a column with nothing to find or found, which the macro-F1 leaves out).
    """
    defined = scored_columns(counts) if defined is None else defined
    *per, macro = _intervals(counts, lambda idx: _f1(counts[idx].sum(axis=-3), defined.astype(float)), seed, defined)
    return per, macro


def f1_difference(new: np.ndarray, old: np.ndarray, seed: int = 0) -> dict[str, list[float | None]]:
    """Each column's F1 difference (new - old) and the macro-F1 difference on the same units, each as
    [difference, low, high] with a paired bootstrap interval: both models are scored on the same
    resampled conversations, which is far tighter than comparing two separate intervals. The bounds are None
    for a single unit; all three are None for a column with nothing to find or found by either model."""
    if new.shape != old.shape:
        raise ValueError(f"the two models were scored on different units: {new.shape} against {old.shape}")
    defined = scored_columns(new, old)
    empty = defined.astype(float)

    def diff(idx: np.ndarray) -> np.ndarray:
        return _f1(new[idx].sum(axis=-3), empty) - _f1(old[idx].sum(axis=-3), empty)

    whole = diff(np.arange(len(new)))
    values = [*(v if k else None for v, k in zip(whole, defined, strict=True)),
              whole[defined].mean() if defined.any() else None]
    bounds = _intervals(new, diff, seed, defined)
    names = [*map(str, range(new.shape[1])), "macro_f1"]
    return {name: [None if v is None else round(float(v), 4), *(b or (None, None))]
            for name, v, b in zip(names, values, bounds, strict=True)}


def rating_counts(Y_true: np.ndarray, Y_pred: np.ndarray) -> np.ndarray:
    """True positives, false positives, false negatives per row and column of two 0/1 matrices: for ratings, per
    conversation and label, (conversations, labels, 3)."""
    true, pred = np.asarray(Y_true).astype(bool), np.asarray(Y_pred).astype(bool)
    return np.stack([true & pred, ~true & pred, true & ~pred], axis=-1).astype(np.int64)


def act_counts(y_true: Sequence[str], y_pred: Sequence[str], groups: Sequence[Hashable] | None = None) -> np.ndarray:
    """True positives, false positives, false negatives per act, summed per conversation when `groups` names each
    sentence's conversation (units sorted by name), else per sentence: (units, acts, 3)."""
    rows = rating_counts(np.asarray(y_true)[:, None] == np.array(ACTS), np.asarray(y_pred)[:, None] == np.array(ACTS))
    if groups is None:
        return rows
    unit = _units(groups, len(rows))
    grouped = np.zeros((unit.max() + 1, *rows.shape[1:]), dtype=np.int64)
    np.add.at(grouped, unit, rows)
    return grouped


def _units(groups: Sequence[Hashable] | None, n: int) -> np.ndarray:
    """Each of `n` sentences' resampling unit: its conversation's place among the names of `groups` sorted, or
    its own place when there are no groups."""
    if groups is None:
        return np.arange(n)
    return np.unique(np.asarray([str(g) for g in groups]), return_inverse=True)[1]


def _bin(p: np.ndarray) -> np.ndarray:
    """Each probability's bin, 0 to BINS - 1, as `calibration_curve` bins them (a bin holds its upper edge)."""
    return np.searchsorted(_EDGES[1:-1], p)


def brier_intervals(sq: np.ndarray, unit: np.ndarray, seed: int = 0) -> list[list[float] | None]:
    """Percentile bootstrap bounds of each column's Brier score, the mean of the squared errors `sq` (items x
    columns), and of their mean (last), resampling the units `unit` names (each item's, 0 to units - 1) whole, as
    the F1 intervals do."""
    sums = np.zeros((unit.max() + 1, sq.shape[1], 2))
    np.add.at(sums, unit, np.stack([sq, np.ones_like(sq)], axis=-1))

    def brier(idx: np.ndarray) -> np.ndarray:
        total = sums[idx].sum(axis=-3)
        return total[..., 0] / total[..., 1]

    return _intervals(sums, brier, seed, np.ones(sq.shape[1], dtype=bool))


def chance_ece(p: np.ndarray, seed: int = 0) -> list[float]:
    """The ECE that each column of probabilities `p` (items x columns), and their mean (last), would stay under in
    `LEVEL` of sets this size if they were perfectly calibrated: outcomes are drawn from the probabilities
    themselves, each item on its own (consistency resampling, Broecker and Smith 2007). An ECE is never 0 on a
    finite set: on a few hundred items, chance alone leaves gaps of several points in the sparser bins, so an
    ECE says little without this. (For the same reason the ECE gets no bootstrap interval: resampled sets have
    larger chance gaps still, which put a percentile interval above the estimate.)"""
    p = np.asarray(p, dtype=float)
    rng = np.random.default_rng(seed)
    in_bin = _bin(p)[..., None] == np.arange(BINS)  # (items, columns, bins)
    ece = np.empty((N_RESAMPLES, p.shape[1]))
    step = max(1, 2_500_000 // p.size)
    for start in range(0, N_RESAMPLES, step):
        gap = (rng.random((min(step, N_RESAMPLES - start), *p.shape)) < p) - p  # drawn outcome - probability
        ece[start:start + len(gap)] = np.abs(np.einsum("dic,icb->dcb", gap, in_bin)).sum(axis=-1) / len(p)
    with_mean = np.column_stack([ece, ece.mean(axis=1)])
    return [round(float(v), 4) for v in np.quantile(with_mean, LEVEL, axis=0)]


def reliability(y: Sequence[int], p: Sequence[float]) -> tuple[float, list[dict[str, Any]]]:
    """The ECE of probabilities `p` of 0/1 outcomes `y`, and their reliability table from sklearn's
    `calibration_curve`: per bin that holds any, its edges, mean predicted probability, observed rate and count."""
    observed, predicted = calibration_curve(y, p, n_bins=BINS)
    counts = np.bincount(_bin(np.asarray(p, dtype=float)), minlength=BINS)
    filled = np.flatnonzero(counts)
    ece = float(np.sum(counts[filled] * np.abs(observed - predicted)) / counts.sum())
    return ece, [{"bin": [round(float(_EDGES[b]), 1), round(float(_EDGES[b + 1]), 1)], "mean_predicted": round(float(m), 4),
                  "observed": round(float(o), 4), "count": int(counts[b])}
                 for b, m, o in zip(filled, predicted, observed, strict=True)]


def rating_calibration(Y_true: np.ndarray, P: np.ndarray, seed: int = 0) -> dict[str, Any]:
    """Per label, the Brier score of the rating probabilities `P` (conversations x labels) with its bootstrap
    interval over conversations, the ECE with its `chance_ece`, the base rate and the mean probability (a gap
    between them says the label is predicted too often or too rarely overall) and the reliability table; and
    the macro means."""
    Y, P = np.asarray(Y_true, dtype=int), np.asarray(P, dtype=float)
    ci = brier_intervals((P - Y) ** 2, np.arange(len(Y)), seed)
    chance = chance_ece(P, seed)
    per: dict[str, dict[str, Any]] = {}
    for j, label in enumerate(LABELS):
        ece, table = reliability(Y[:, j], P[:, j])
        per[label] = {"brier": round(float(brier_score_loss(Y[:, j], P[:, j])), 4), "brier_ci": ci[j],
                      "ece": round(ece, 4), "chance_ece": chance[j], "base_rate": round(float(Y[:, j].mean()), 4),
                      "mean_predicted": round(float(P[:, j].mean()), 4), "reliability": table}
    return {"per_label": per, "macro_brier": _macro([v["brier"] for v in per.values()]), "macro_brier_ci": ci[-1],
            "macro_ece": _macro([v["ece"] for v in per.values()]), "macro_chance_ece": chance[-1], "binning": BINNING}


def act_calibration(y_true: Sequence[str], P: np.ndarray, groups: Sequence[Hashable] | None = None,
                    seed: int = 0) -> dict[str, Any]:
    """The multi-class Brier score of the act probabilities `P` (sentences x ACTS): per sentence, the squared gaps
    to 1 for the true act and 0 for the others, summed (0 best, 2 worst), then averaged, with its bootstrap
    interval over conversations when `groups` names each sentence's (else sentences). And the top-label ECE, the
    top act's probability (its confidence) against its being the true act, with its `chance_ece` and
    reliability table."""
    P = np.asarray(P, dtype=float)
    truth = (np.asarray(y_true)[:, None] == np.array(ACTS)).astype(int)
    confidence = P.max(axis=1)
    ece, table = reliability(truth[np.arange(len(P)), P.argmax(axis=1)], confidence)
    # the sum over acts of each act's own Brier score (sklearn's multi-class form needs sklearn 1.7)
    brier = sum(brier_score_loss(truth[:, k], P[:, k]) for k in range(len(ACTS)))
    ci = brier_intervals(((P - truth) ** 2).sum(axis=1, keepdims=True), _units(groups, len(P)), seed)
    return {"brier": round(float(brier), 4), "brier_ci": ci[0], "ece": round(ece, 4),
            "chance_ece": chance_ece(confidence[:, None], seed)[0], "confidence": round(float(confidence.mean()), 4),
            "reliability": table, "binning": BINNING}


def act_metrics(y_true: Sequence[str], y_pred: Sequence[str], groups: Sequence[Hashable] | None = None,
                defined: np.ndarray | None = None, probs: np.ndarray | None = None) -> dict[str, object]:
    """Per-act precision/recall/F1/support, macro-F1 with its interval, accuracy and the confusion matrix.

    `groups` names each sentence's conversation; the interval then resamples conversations, not sentences.
    `defined` says which acts are scored (default: `scored_columns` of these predictions). With `probs`, the
    act probabilities (sentences x ACTS) `y_pred` is the top act of, also their `act_calibration`.
    """
    p, r, _, n = precision_recall_fscore_support(y_true, y_pred, labels=list(ACTS), zero_division=0)
    counts = act_counts(y_true, y_pred, groups)
    defined = scored_columns(counts) if defined is None else defined
    per_ci, macro_ci = f1_intervals(counts, defined=defined)
    f1 = _point_f1(counts, defined)
    per = {a: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": f1[i],
               "f1_ci": per_ci[i], "support": int(n[i])} for i, a in enumerate(ACTS)}
    out = {
        "per_act": per,
        "macro_f1": _macro([v["f1"] for v in per.values()]),
        "macro_f1_ci": macro_ci,
        "ci_units": "conversations" if groups is not None else "sentences",
        "n_units": len(counts),
        "accuracy": round(float(np.mean(np.asarray(y_true) == np.asarray(y_pred))), 4),
        "confusion": {"labels": list(ACTS), "matrix": confusion_matrix(y_true, y_pred, labels=list(ACTS)).tolist()},
        "n": len(y_true),
    }
    if probs is not None:
        out["calibration"] = act_calibration(y_true, probs, groups)
    return out


def binary_metrics(y_true: Sequence[int], y_pred: Sequence[int]) -> dict[str, float]:
    """Precision, recall, F1 and support (positives) of one yes/no decision."""
    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average="binary", zero_division=0)
    return {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
            "support": int(np.sum(y_true))}


def rating_metrics(Y_true: np.ndarray, Y_pred: np.ndarray, defined: np.ndarray | None = None,
                   probs: np.ndarray | None = None) -> dict[str, object]:
    """Per-label precision/recall/F1/support and macro-F1 for the five ratings, with conversation-bootstrap intervals;
    `defined` says which labels are scored (default: `scored_columns` of these predictions). With `probs`, the
    rating probabilities (conversations x labels), also their `rating_calibration`."""
    Y_true, Y_pred = np.asarray(Y_true, dtype=int), np.asarray(Y_pred, dtype=int)
    per: dict[str, dict[str, Any]] = {label: binary_metrics(Y_true[:, j], Y_pred[:, j]) for j, label in enumerate(LABELS)}
    counts = rating_counts(Y_true, Y_pred)
    defined = scored_columns(counts) if defined is None else defined
    per_ci, macro_ci = f1_intervals(counts, defined=defined)
    for j, (label, f1) in enumerate(zip(LABELS, _point_f1(counts, defined), strict=True)):
        per[label]["f1_ci"] = per_ci[j]
        per[label]["f1"] = f1
    out = {"per_label": per, "macro_f1": _macro([v["f1"] for v in per.values()]), "macro_f1_ci": macro_ci,
           "n": len(Y_true)}
    if probs is not None:
        out["calibration"] = rating_calibration(Y_true, probs)
    return out


def _ci(bounds: Sequence[float] | None) -> str:
    return "-" if bounds is None else f"{bounds[0]:.3f}-{bounds[1]:.3f}"


def _num(value: float | None, width: int) -> str:
    """A figure to three places, or '-' where there is none (an F1 with nothing to find or found)."""
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.3f}"


def _left_out(per: dict[str, dict[str, Any]], what: str) -> str:
    missing = [k for k, v in per.items() if v["f1"] is None]
    return f"; macro over the other {what}, none found or to find for: {', '.join(missing)}" if missing else ""


def _metric_line(name: str, v: dict[str, Any]) -> str:
    """One act's or label's row: precision, recall and F1 are all '-' when it had nothing to find or found."""
    scored = v["f1"] is not None
    return (f"{name:<14}{_num(v['precision'] if scored else None, 10)}{_num(v['recall'] if scored else None, 8)}"
            f"{_num(v['f1'], 8)}{_ci(v['f1_ci']):>13}{v['support']:>9}")


def format_act_metrics(m: dict[str, object]) -> str:
    ci = f"{LEVEL:.0%} CI"
    lines = [f"{'act':<14}{'precision':>10}{'recall':>8}{'f1':>8}{ci:>13}{'support':>9}"]
    lines += [_metric_line(a, v) for a, v in m["per_act"].items()]  # type: ignore[union-attr]
    lines.append(f"{'macro-F1':<14}{_num(m['macro_f1'], 26)}{_ci(m['macro_f1_ci']):>13}   accuracy {m['accuracy']:.3f}"
                 f"  (n={m['n']} sentences; intervals resample {count(m['n_units'], m['ci_units'][:-1])}"
                 f"{_left_out(m['per_act'], 'acts')})")  # type: ignore[arg-type]
    if "calibration" in m:
        c = m["calibration"]
        lines.append(f"calibration   Brier {c['brier']:.3f} ({_ci(c['brier_ci'])}; multi-class, 0 to 2)   top-label ECE "  # type: ignore[index]
                     f"{c['ece']:.3f} (chance up to {c['chance_ece']:.3f})   mean confidence {c['confidence']:.3f}")  # type: ignore[index]
    conf = m["confusion"]
    width = max(9, *(len(a) + 1 for a in conf["labels"]))  # type: ignore[index]  # act names whole
    lines += ["", "confusion (rows: true, columns: predicted)",
              " " * 14 + "".join(f"{a:>{width}}" for a in conf["labels"])]  # type: ignore[index]
    for a, row in zip(conf["labels"], conf["matrix"], strict=True):  # type: ignore[index]
        lines.append(f"{a:<14}" + "".join(f"{x:>{width}}" for x in row))
    return "\n".join(lines)


def format_rating_metrics(m: dict[str, object]) -> str:
    ci = f"{LEVEL:.0%} CI"
    lines = [f"{'rating':<14}{'precision':>10}{'recall':>8}{'f1':>8}{ci:>13}{'support':>9}"]
    lines += [_metric_line(k, v) for k, v in m["per_label"].items()]  # type: ignore[union-attr]
    lines.append(f"{'macro-F1':<14}{_num(m['macro_f1'], 26)}{_ci(m['macro_f1_ci']):>13}   (n={m['n']} conversations,"
                 f" resampled for the intervals{_left_out(m['per_label'], 'labels')})")  # type: ignore[arg-type]
    if "calibration" in m:
        lines += ["", format_rating_calibration(m["calibration"])]  # type: ignore[arg-type]
    return "\n".join(lines)


def format_rating_calibration(c: dict[str, Any]) -> str:
    """Each label's Brier score with its interval and ECE with its chance level, beside its base rate and mean
    probability."""
    lines = [f"{'calibration':<14}{'Brier':>7}{LEVEL:>10.0%} CI{'ECE':>7}{'chance':>8}{'base rate':>11}{'mean p':>8}"]
    for label, v in c["per_label"].items():
        lines.append(f"{label:<14}{v['brier']:>7.3f}{_ci(v['brier_ci']):>13}{v['ece']:>7.3f}{v['chance_ece']:>8.3f}"
                     f"{v['base_rate']:>11.3f}{v['mean_predicted']:>8.3f}")
    lines.append(f"{'macro':<14}{c['macro_brier']:>7.3f}{_ci(c['macro_brier_ci']):>13}{c['macro_ece']:>7.3f}"
                 f"{c['macro_chance_ece']:>8.3f}")
    lines.append(f"(ECE over {BINS} equal-width probability bins, weighted by count; chance: the ECE a perfectly "
                 f"calibrated model stays under in {LEVEL:.0%} of sets this size)")
    return "\n".join(lines)


def format_binary_metrics(m: dict[str, float]) -> str:
    return f"precision {m['precision']:.3f}, recall {m['recall']:.3f}, F1 {m['f1']:.3f} (n={m['support']})"


def format_difference(diff: dict[str, dict[str, list[float | None]]]) -> str:
    """One line per act or label: the F1 difference, its interval, and whether the interval excludes zero."""
    lines = []
    for kind, rows in diff.items():
        lines.append(f"{kind:<14}{'difference':>11}{LEVEL:>9.0%} CI")
        for name, (d, low, high) in rows.items():
            if d is None:
                lines.append(f"{name:<14}{'-':>11}  -   nothing to find or found")
                continue
            if low is None or high is None:
                bounds, verdict = "-", "one conversation: no interval"
            else:
                bounds = f"{low:+.3f} to {high:+.3f}"
                verdict = "better" if low > 0 else "worse" if high < 0 else "no clear difference"
            lines.append(f"{'macro-F1' if name == 'macro_f1' else name:<14}{d:>+11.3f}  {bounds}   {verdict}")
    return "\n".join(lines)
