import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, f1_score

from reciprocity_nlp.evaluation import (
    act_calibration,
    act_metrics,
    brier_intervals,
    chance_ece,
    f1_difference,
    format_act_metrics,
    format_difference,
    format_rating_metrics,
    rating_calibration,
    rating_counts,
    rating_metrics,
    reliability,
    scored_columns,
)
from reciprocity_nlp.labels import ACTS, LABELS


def _acts(n_conversations: int, per_conversation: int, seed: int = 0) -> tuple[list[str], list[str], list[int]]:
    """Sentences whose tags are all right or all wrong within a conversation (errors cluster by conversation)."""
    rng = np.random.default_rng(seed)
    true, pred, groups = [], [], []
    for c in range(n_conversations):
        wrong = rng.random() < 0.3
        for _ in range(per_conversation):
            a = ACTS[rng.integers(len(ACTS))]
            true.append(a)
            pred.append(ACTS[(ACTS.index(a) + 1) % len(ACTS)] if wrong else a)
            groups.append(c)
    return true, pred, groups


def test_act_intervals_contain_the_estimate_and_resample_conversations() -> None:
    true, pred, groups = _acts(60, 20)
    by_conversation = act_metrics(true, pred, groups)
    by_sentence = act_metrics(true, pred)
    assert by_conversation["macro_f1"] == pytest.approx(f1_score(true, pred, average="macro"), abs=1e-4)
    for m in (by_conversation, by_sentence):
        low, high = m["macro_f1_ci"]
        assert 0 <= low < m["macro_f1"] < high <= 1
        for v in m["per_act"].values():
            assert v["f1_ci"][0] <= v["f1"] <= v["f1_ci"][1]
    assert (by_conversation["n_units"], by_sentence["n_units"]) == (60, 1200)
    # errors come whole conversations at a time, so 1,200 sentences carry the information of 60 units:
    # resampling sentences as if independent would understate the uncertainty
    width = {k: m["macro_f1_ci"][1] - m["macro_f1_ci"][0]
             for k, m in (("conversation", by_conversation), ("sentence", by_sentence))}
    assert width["conversation"] > 2 * width["sentence"]


def test_interval_narrows_with_more_data_and_is_reproducible() -> None:
    rng = np.random.default_rng(1)
    Y = rng.integers(0, 2, (100, len(LABELS)))
    P = np.where(rng.random(Y.shape) < 0.85, Y, 1 - Y)
    small, big = rating_metrics(Y, P), rating_metrics(np.tile(Y, (16, 1)), np.tile(P, (16, 1)))
    assert small["macro_f1"] == pytest.approx(big["macro_f1"])
    w_small = small["macro_f1_ci"][1] - small["macro_f1_ci"][0]
    w_big = big["macro_f1_ci"][1] - big["macro_f1_ci"][0]
    assert 2.5 < w_small / w_big < 6  # about sqrt(16) = 4
    assert rating_metrics(Y, P) == small


def test_perfect_predictions_have_a_point_interval() -> None:
    Y = np.eye(len(LABELS), dtype=int).repeat(4, axis=0)
    m = rating_metrics(Y, Y)
    assert m["macro_f1"] == 1.0 and m["macro_f1_ci"] == [1.0, 1.0]


def test_tables_show_the_intervals() -> None:
    true, pred, groups = _acts(10, 5)
    m = act_metrics(true, pred, groups)
    table = format_act_metrics(m)
    low, high = m["macro_f1_ci"]
    assert "95% CI" in table and f"{low:.3f}-{high:.3f}" in table and "resample 10 conversations" in table
    Y = np.eye(len(LABELS), dtype=int).repeat(3, axis=0)
    assert "1.000-1.000" in format_rating_metrics(rating_metrics(Y, Y))


def test_what_is_neither_there_nor_found_has_no_f1_and_stays_out_of_the_macro() -> None:
    true = ["give_value", "push", "push", "other"] * 10
    m = act_metrics(true, true, [i // 4 for i in range(40)])
    assert m["per_act"]["pitch"]["f1"] is None and m["per_act"]["pitch"]["f1_ci"] is None
    assert m["per_act"]["push"]["f1_ci"] == [1.0, 1.0]
    assert m["macro_f1"] == 1.0 and m["macro_f1_ci"] == [1.0, 1.0]  # a perfect tagger, not 0.5 for two absent acts
    Y = np.zeros((6, len(LABELS)), dtype=int)
    Y[:3, 0] = Y[3:, 2] = 1
    ratings = rating_metrics(Y, Y)
    assert ratings["macro_f1"] == 1.0 and ratings["per_label"]["selfish"]["f1"] is None
    assert "none found or to find for: salesy, selfish, desperate" in format_rating_metrics(ratings)
    selfish_line = next(ln for ln in format_rating_metrics(ratings).splitlines() if ln.startswith("selfish"))
    assert selfish_line.split() == ["selfish", "-", "-", "-", "-", "0"]  # no precision or recall of 0.000 beside it
    wrong = Y.copy()
    wrong[0, 3] = 1  # a false alarm where there was nothing to find is an F1 of 0, and counts
    assert rating_metrics(Y, wrong)["per_label"]["selfish"]["f1"] == 0.0 and rating_metrics(Y, wrong)["macro_f1"] == 0.6667
    diff = f1_difference(rating_counts(Y, wrong), rating_counts(Y, Y))
    assert diff["3"][0] == -1.0 and diff["4"] == [None, None, None] and diff["macro_f1"][0] == -0.3333


def test_paired_difference_sees_what_two_separate_intervals_cannot() -> None:
    rng = np.random.default_rng(2)
    Y = rng.integers(0, 2, (150, len(LABELS)))
    old = np.where(rng.random(Y.shape) < 0.85, Y, 1 - Y)
    new = old.copy()
    fixed = np.argwhere(new != Y)[::8]  # the new model puts right one in eight of the old one's mistakes, nothing else
    new[fixed[:, 0], fixed[:, 1]] = Y[fixed[:, 0], fixed[:, 1]]
    diff = f1_difference(rating_counts(Y, new), rating_counts(Y, old))
    d, low, high = diff["macro_f1"]
    a, b = rating_metrics(Y, new), rating_metrics(Y, old)
    assert d == pytest.approx(a["macro_f1"] - b["macro_f1"], abs=1e-3) and 0 < low <= d <= high
    # the two models' own intervals overlap, so comparing them separately would call this noise
    assert a["macro_f1_ci"][0] < b["macro_f1_ci"][1]
    assert "better" in format_difference({"ratings": {"macro_f1": diff["macro_f1"]}})


def test_difference_of_a_model_with_itself_is_zero_and_units_must_match() -> None:
    Y = np.eye(len(LABELS), dtype=int).repeat(4, axis=0)
    P = np.roll(Y, 1, axis=0)
    diff = f1_difference(rating_counts(Y, P), rating_counts(Y, P))
    assert all(v == [0.0, 0.0, 0.0] for v in diff.values()) and len(diff) == len(LABELS) + 1
    assert "no clear difference" in format_difference({"ratings": diff})
    with pytest.raises(ValueError, match="different units"):
        f1_difference(rating_counts(Y, P), rating_counts(Y[:-1], P[:-1]))


def test_one_conversation_has_no_interval_but_its_metrics() -> None:
    true = ["push", "other", "give_value"]
    m = act_metrics(true, ["push", "other", "other"], ["c1"] * 3)
    assert m["macro_f1_ci"] is None and m["per_act"]["push"]["f1_ci"] is None and m["per_act"]["push"]["f1"] == 1.0
    assert "-" in format_act_metrics(m) and "intervals resample 1 conversation;" in format_act_metrics(m)
    Y = np.array([[1, 0, 0, 1, 0]])
    r = rating_metrics(Y, Y)
    assert r["macro_f1_ci"] is None and "-" in format_rating_metrics(r)
    diff = f1_difference(rating_counts(Y, Y), rating_counts(Y, 1 - Y))
    assert diff["macro_f1"][1:] == [None, None] and "no interval" in format_difference({"ratings": diff})


def test_two_models_scored_on_the_same_labels_differ_by_the_paired_difference() -> None:
    Y = np.zeros((4, len(LABELS)), dtype=int)
    Y[:2, 0] = Y[2:, 1] = Y[1:3, 3] = Y[::2, 4] = 1
    new, old = Y.copy(), Y.copy()
    new[0, 2] = 1  # a false alarm where there is nothing to find
    old[0, 0] = 0  # a miss
    pair = rating_counts(Y, new), rating_counts(Y, old)
    defined = scored_columns(*pair)
    a, b = rating_metrics(Y, new, defined), rating_metrics(Y, old, defined)
    assert b["per_label"]["transactional"]["f1"] == 1.0  # it found nothing where there was nothing
    assert f1_difference(*pair)["macro_f1"][0] == pytest.approx(a["macro_f1"] - b["macro_f1"], abs=1e-4)
    assert rating_metrics(Y, old)["per_label"]["transactional"]["f1"] is None  # alone, the label is not scored


def _columns(y: list[int], p: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """One label's outcomes and probabilities as every label's column."""
    return np.tile(np.array(y)[:, None], len(LABELS)), np.tile(np.array(p)[:, None], len(LABELS))


def test_perfectly_calibrated_probabilities_have_no_calibration_error() -> None:
    # 0.25 right once in four, 0.75 three times in four: Brier (3 * 0.25^2 + 0.75^2) / 4 = 0.1875 in both bins
    Y, P = _columns([1, 0, 0, 0, 1, 1, 1, 0], [0.25] * 4 + [0.75] * 4)
    c = rating_calibration(Y, P)
    pushy = c["per_label"]["pushy"]
    assert pushy["brier"] == 0.1875 and pushy["ece"] == 0.0 and c["macro_ece"] == 0.0
    assert pushy["reliability"] == [{"bin": [0.2, 0.3], "mean_predicted": 0.25, "observed": 0.25, "count": 4},
                                    {"bin": [0.7, 0.8], "mean_predicted": 0.75, "observed": 0.75, "count": 4}]
    assert pushy["base_rate"] == pushy["mean_predicted"] == 0.5
    low, high = pushy["brier_ci"]
    assert low <= 0.1875 <= high and c["macro_brier_ci"] == pushy["brier_ci"]
    # eight draws from these probabilities would rarely match them this well: chance allows a large ECE
    assert pushy["chance_ece"] > 0.2


def test_overconfident_probabilities_show_in_the_ece_and_not_in_the_base_rate() -> None:
    # 0.9 right six times in ten, 0.1 wrong four times in ten: each bin 0.3 off, Brier (6 * 0.01 + 4 * 0.81) / 10
    Y, P = _columns([1] * 6 + [0] * 4 + [1] * 4 + [0] * 6, [0.9] * 10 + [0.1] * 10)
    pushy = rating_calibration(Y, P)["per_label"]["pushy"]
    assert pushy["ece"] == 0.3 and pushy["brier"] == 0.33
    assert pushy["base_rate"] == pushy["mean_predicted"] == 0.5  # right on average, wrong in every bin
    assert [(r["mean_predicted"], r["observed"]) for r in pushy["reliability"]] == [(0.1, 0.4), (0.9, 0.6)]
    assert pushy["ece"] > pushy["chance_ece"]
    Y[:, 1] = np.tile([1, 0], 10)  # salesy: 0.9 and 0.1 right half the time, 0.4 off
    c = rating_calibration(Y, P)
    assert c["per_label"]["salesy"]["ece"] == 0.4 and c["macro_ece"] == 0.32


def test_calibration_follows_sklearn_and_its_bins() -> None:
    rng = np.random.default_rng(3)
    p = np.concatenate([rng.random(300), [0.0, 0.1, 0.3, 0.5, 1.0]])  # an edge goes to the bin below
    y = (rng.random(len(p)) < p).astype(int)
    ece, table = reliability(y, p)
    observed, predicted = calibration_curve(y, p, n_bins=10)
    assert [r["observed"] for r in table] == [round(v, 4) for v in observed]
    assert [r["mean_predicted"] for r in table] == [round(v, 4) for v in predicted]
    counts = [sum(low < v <= high or (low == 0 and v == 0) for v in p) for low, high in (r["bin"] for r in table)]
    assert [r["count"] for r in table] == counts and sum(counts) == len(p)
    assert ece == pytest.approx(sum(c * abs(o - m) for c, o, m in zip(counts, observed, predicted, strict=True)) / len(p))
    Y = (rng.random((200, len(LABELS))) < 0.3).astype(int)
    P = np.clip(Y * 0.6 + rng.random(Y.shape) * 0.4, 0, 1)
    c = rating_calibration(Y, P)
    for j, label in enumerate(LABELS):
        v = c["per_label"][label]
        assert v["brier"] == round(brier_score_loss(Y[:, j], P[:, j]), 4) and v["brier_ci"][0] < v["brier"] < v["brier_ci"][1]
    assert rating_calibration(Y, P) == c  # the same resamples and draws every time


def test_act_calibration_is_multiclass_brier_and_top_label_ece() -> None:
    P = np.zeros((2, len(ACTS)))
    P[0, :3] = [0.65, 0.25, 0.1]  # give_value, right: 0.35^2 + 0.25^2 + 0.1^2 = 0.195
    P[1, :3] = [0.05, 0.1, 0.85]  # push, right: 0.05^2 + 0.1^2 + 0.15^2 = 0.035
    c = act_calibration(["give_value", "push"], P)
    by_name = sorted(ACTS)  # sklearn's multi-class Brier score (1.7 on) wants its columns in this order
    sk = brier_score_loss(["give_value", "push"], P[:, [ACTS.index(a) for a in by_name]], labels=by_name)
    assert c["brier"] == 0.115 == round(sk, 4)
    # both right, at 0.65 and 0.85: underconfident by 0.35 and 0.15
    assert c["ece"] == 0.25 and c["confidence"] == 0.75 and [r["observed"] for r in c["reliability"]] == [1.0, 1.0]
    wrong = act_calibration(["other", "push"], P)
    assert wrong["brier"] == round((0.65**2 + 0.25**2 + 0.1**2 + 1 + 0.035) / 2, 4) and wrong["ece"] == 0.4  # 0.65 off
    true, pred, groups = _acts(40, 10)
    probs = np.where(np.array(pred)[:, None] == np.array(ACTS), 0.9, 0.02)
    m = act_metrics(true, pred, groups, probs=probs)
    assert m["calibration"]["confidence"] == 0.9 and m["calibration"]["ece"] == round(abs(0.9 - m["accuracy"]), 4)
    assert "top-label ECE" in format_act_metrics(m) and "calibration" not in act_metrics(true, pred, groups)


def test_brier_intervals_resample_whole_units() -> None:
    rng = np.random.default_rng(4)
    sq = np.repeat(rng.random(30), 20)[:, None]  # each of 30 conversations' 20 sentences share one error
    unit = np.repeat(np.arange(30), 20)
    by_unit, by_item = brier_intervals(sq, unit)[0], brier_intervals(sq, np.arange(600))[0]
    assert by_unit[0] < sq.mean() < by_unit[1]
    assert by_unit[1] - by_unit[0] > 3 * (by_item[1] - by_item[0])  # 30 units of information, not 600
    assert brier_intervals(sq, np.zeros(600, dtype=int)) == [None, None]
    assert chance_ece(np.full((5000, 1), 0.5))[0] < 0.03 < chance_ece(np.full((50, 1), 0.5))[0]


def test_rating_table_shows_calibration() -> None:
    Y, P = _columns([1, 0, 0, 0, 1, 1, 1, 0], [0.25] * 4 + [0.75] * 4)
    m = rating_metrics(Y, (P > 0.5).astype(int), probs=P)
    table = format_rating_metrics(m)
    pushy = next(ln for ln in table.splitlines() if ln.startswith("pushy") and "0.188" in ln)
    low, high = m["calibration"]["per_label"]["pushy"]["brier_ci"]
    assert pushy.split()[:4] == ["pushy", "0.188", f"{low:.3f}-{high:.3f}", "0.000"]
    assert "ECE over 10 equal-width probability bins, weighted by count" in table
    assert "calibration" not in rating_metrics(Y, (P > 0.5).astype(int))


def test_the_confusion_matrix_names_every_act_whole_over_its_column() -> None:
    true, pred, groups = _acts(5, 12)
    lines = format_act_metrics(act_metrics(true, pred, groups)).splitlines()
    header = lines[lines.index("confusion (rows: true, columns: predicted)") + 1]
    assert header.split() == list(ACTS)
    rows = lines[lines.index(header) + 1:]
    for row in rows:  # every count right-aligned under its act's name
        assert len(row) == len(header)
        ends = [header.index(a) + len(a) for a in ACTS]
        assert all(row[end - 1] != " " for end in ends)
