import numpy as np
from sklearn.base import clone
from sklearn.preprocessing import StandardScaler

from reciprocity_nlp.ratings import (
    FEATURES,
    AgentRater,
    BoundedScaler,
    TaggedSentence,
    TurnInfo,
    agent_features,
    best_thresholds,
)


def sent(turn, speaker, act, text="x", lexicon=()):
    probs = dict.fromkeys(("give_value", "extract_info", "push", "pitch", "rapport", "other"), 0.0)
    probs[act] = 1.0
    return TaggedSentence(turn, speaker, text, 0, len(text), act, 1.0, probs, "", tuple(lexicon))


def test_features_of_a_pushy_chase():
    sentences = [sent(0, "A", "push", "Send your CV today."), sent(1, "C", "other", "No thanks."),
                 sent(2, "A", "push", "Please, I need it!", ("pleading",)), sent(3, "A", "push", "Following up?")]
    turns = [TurnInfo(0, "A", 4, False, False), TurnInfo(1, "C", 2, True, False), TurnInfo(2, "A", 4, False, False),
             TurnInfo(3, "A", 2, False, False)]
    x = dict(zip(FEATURES, agent_features(sentences, turns, "A", "email", ["Cara"]), strict=True))
    assert x["agent_share_push"] == 1.0 and x["give_before_ask"] == 0.0
    assert x["push_after_refusal"] > 0 and x["unanswered_followups"] > 0
    assert abs(x["lex_pleading"] - 1 / 3) < 1e-9 and x["email"] == 1.0
    assert x["answered_share"] == 1.0  # nobody asked


def test_rater_is_a_sklearn_estimator():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 6))
    Y = np.column_stack([(X[:, j] > 0).astype(int) for j in range(5)])
    rater = AgentRater(C=1.0)
    assert clone(rater).get_params() == rater.get_params()
    rater.fit(X, Y)
    assert rater.predict_proba(X).shape == (120, 5)
    assert (rater.predict(X) == Y).mean() > 0.9
    rater.tune_thresholds(X, Y)
    assert rater.thresholds_.shape == (5,)
    assert rater.contributions(X[0]).shape == rater.linear_parts(X[0])[1].shape == (5, 6)
    # contributions() and linear_parts() redo the scaler's arithmetic in numpy; it must match the pipeline's own.
    pipes = [m.calibrated_classifiers_[0].estimator for m in rater.models_]
    expected = np.vstack([p[:-1].transform(3 * X[:1])[0] for p in pipes])
    assert np.allclose(rater.linear_parts(3 * X[0])[1], expected)
    assert np.allclose(rater.contributions(3 * X[0]), np.vstack([p[-1].coef_[0] for p in pipes]) * expected)


def test_best_thresholds_pick_the_separating_value():
    P = np.array([[0.1], [0.2], [0.7], [0.8]])
    Y = np.array([[0], [0], [1], [1]])
    t = best_thresholds(P, Y)[0]
    assert 0.2 < t <= 0.7


def test_bounded_scaler_clips_only_values_far_outside_training():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    ours, theirs = BoundedScaler(bound=3.0).fit(X), StandardScaler().fit(X)
    inside = X[np.abs(theirs.transform(X)).max(axis=1) < 3]
    assert np.allclose(ours.transform(inside), theirs.transform(inside))
    far = np.array([[50.0, -50.0, 0.0]])
    assert np.allclose(ours.transform(far)[0, :2], [3.0, -3.0])


def test_one_extreme_feature_cannot_outweigh_its_bound():
    # A rare feature (non-zero in 3 of 120 rows) seen at a value far beyond them: past the
    # bound, a larger value changes nothing, and its contribution stays at most
    # bound x |coefficient|.
    rng = np.random.default_rng(2)
    X = rng.normal(size=(120, 6))
    X[:, 5] = 0.0
    X[:3, 5] = 0.1
    Y = np.column_stack([(X[:, j] > 0).astype(int) for j in range(5)])
    rater = AgentRater(C=1.0, bound=3.0).fit(X, Y)
    x, further = np.zeros(6), np.zeros(6)
    x[5], further[5] = 0.2, 1.0  # already past the bound; unbounded, the ratings differ by ~0.28
    assert np.allclose(rater.predict_proba(x[None]), rater.predict_proba(further[None]))
    for label, m in enumerate(rater.models_):
        coef = m.calibrated_classifiers_[0].estimator[-1].coef_[0][5]
        assert abs(rater.contributions(x)[label, 5]) <= 3.0 * abs(coef) + 1e-9
