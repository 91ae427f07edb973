import numpy as np
from sklearn.base import clone

from reciprocity_nlp.ratings import FEATURES, AgentRater, TaggedSentence, TurnInfo, agent_features, best_thresholds


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
    assert rater.contributions(X[0]).shape == (5, 6)


def test_best_thresholds_pick_the_separating_value():
    P = np.array([[0.1], [0.2], [0.7], [0.8]])
    Y = np.array([[0], [0], [1], [1]])
    t = best_thresholds(P, Y)[0]
    assert 0.2 < t <= 0.7
