"""The learned agent guess: which speaker of a conversation is the agent, when nobody says.

Fitted by `reciprocity train` on the labelled conversations (one row per speaker, the
`speaker_cues` of `reciprocity_nlp.agent`, 1 for the labelled agent), saved beside the tagger and
rater, and used by `assign_agent` when no agent is given: the speaker it scores highest is the
agent. A separate module so that reading files and guessing by the rules never imports scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from reciprocity_nlp.agent import candidates, speaker_cues
from reciprocity_nlp.conversation import Conversation


class AgentClassifier(ClassifierMixin, BaseEstimator):
    """Whether a speaker is the agent, from that speaker's cues (`X`: rows of `speaker_cues`).

    Scores only compare speakers within one conversation, so `decision_function` is what the
    guess uses; `predict_proba` is there for inspection. The scaler and the regression fold
    into one weight vector (`coef_`, `intercept_`), so scoring a conversation's few speakers
    costs a dot product instead of a pipeline call.
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, X: Sequence[Sequence[float]], y: Sequence[int]) -> AgentClassifier:
        self.model_ = Pipeline([("scale", StandardScaler()),
                                ("logreg", LogisticRegression(C=self.C, max_iter=5000))]).fit(np.asarray(X, float), y)
        self.classes_ = self.model_.classes_
        self.n_features_in_ = self.model_.n_features_in_
        scale, logreg = self.model_.named_steps["scale"], self.model_.named_steps["logreg"]
        self.coef_ = logreg.coef_[0] / scale.scale_
        self.intercept_ = float(logreg.intercept_[0] - scale.mean_ @ self.coef_)
        return self

    def decision_function(self, X: Sequence[Sequence[float]]) -> np.ndarray:
        return np.asarray(X, float) @ self.coef_ + self.intercept_

    def predict_proba(self, X: Sequence[Sequence[float]]) -> np.ndarray:
        return self.model_.predict_proba(np.asarray(X, float))

    def predict(self, X: Sequence[Sequence[float]]) -> np.ndarray:
        return self.model_.predict(np.asarray(X, float))


def agent_examples(labelled: Sequence[tuple[Conversation, str]]) -> tuple[list[list[float]], list[int]]:
    """Training rows from (conversation, agent) pairs with two or more candidate speakers."""
    X: list[list[float]] = []
    y: list[int] = []
    for conversation, agent in labelled:
        if len(candidates(conversation)) < 2:
            continue
        for speaker, cues in speaker_cues(conversation).items():
            X.append(cues)
            y.append(int(speaker == agent))
    return X, y
