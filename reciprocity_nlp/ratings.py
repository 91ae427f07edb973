"""Rate the agent: conversation features from tagged sentences, and the multi-label rater.

`agent_features()` turns one tagged conversation into a fixed vector: the agent's and the
counterpart's act shares, give-before-ask, questions answered, pushes after a refusal,
unanswered follow-ups, talk ratio, longest monologue, question rate, lexicon densities (hype,
pleading, urgency, intel requests...), "I/we" versus "you", personalisation, and how the agent
ends. `AgentRater` is a scikit-learn estimator over those vectors: one calibrated logistic
regression per label, with per-label thresholds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from reciprocity_nlp.features import fold_apostrophes, politeness_counts
from reciprocity_nlp.labels import ACTS, LABELS

LEXICON_DENSITIES = ("hype", "please", "pleading", "urgency", "scarcity", "apology", "gratitude", "personal", "intel",
                     "offer_help", "action_request", "self_promotion", "hedge", "deference", "refusal")


_SHOUT = re.compile(r"\b[A-Z]{3,}\b")
_MONEY = re.compile(r"[$£€₹]\s?\d|\d\s?(?:%|k\b|usd|gbp|eur|aud|sgd|inr|dollars|pounds)|\b(?:free|discount|off)\b", re.I)
_URL = re.compile(r"https?://|www\.|\.(?:com|example|net|org)\b", re.I)


@dataclass
class TaggedSentence:
    """One sentence with its act: what the rater and the reports read."""

    turn: int
    speaker: str
    text: str
    start: int
    end: int
    act: str
    confidence: float
    probs: dict[str, float]
    role: str
    lexicon: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {"turn": self.turn, "speaker": self.speaker, "text": self.text, "start": self.start, "end": self.end,
                "act": self.act, "confidence": self.confidence, "probs": self.probs, "role": self.role,
                "lexicon": list(self.lexicon)}


@dataclass
class TurnInfo:
    """What the rater needs of a turn beyond its sentences."""

    index: int
    speaker: str
    words: int
    refusal: bool
    hesitation: bool


def feature_names() -> list[str]:
    names = ["n_turns_log", "n_agent_sentences_log", "email", "single_sided"]
    for who in ("agent", "counterpart"):
        names += [f"{who}_share_{a}" for a in ACTS]
    names += [f"agent_sum_{a}_log" for a in ACTS]
    names += ["give_before_ask", "give_ask_ratio_log", "answered_share", "counterpart_questions_log",
              "push_after_refusal", "push_after_refusal_share", "max_push_run", "unanswered_followups",
              "talk_ratio", "longest_monologue_log", "mean_turn_words_log", "question_rate", "exclaim_rate",
              "self_vs_you_log", "names_counterpart", "rapport_present", "end_push_share", "end_rapport_share",
              "end_give_share", "start_push_share", "counterpart_refusals_log", "polite_rate", "impolite_rate",
              "politeness_balance", "shout_rate", "money_rate", "url_rate", "max_push", "max_pitch", "max_extract_info"]
    names += [f"lex_{k}" for k in LEXICON_DENSITIES]
    return names


FEATURES = feature_names()


def _share(sentences: Sequence[TaggedSentence], act: str) -> float:
    return sum(s.probs.get(act, 0.0) for s in sentences) / len(sentences) if sentences else 0.0


def agent_features(
    sentences: Sequence[TaggedSentence],
    turns: Sequence[TurnInfo],
    agent: str,
    channel: str,
    counterpart_names: Sequence[str] = (),
) -> np.ndarray:
    """The rater's feature vector for one conversation (order: `FEATURES`)."""
    mine = [s for s in sentences if s.speaker == agent]
    theirs = [s for s in sentences if s.speaker != agent]
    f: dict[str, float] = {
        "n_turns_log": math.log1p(len(turns)),
        "n_agent_sentences_log": math.log1p(len(mine)),
        "email": float(channel == "email"),
        "single_sided": float(all(t.speaker == agent for t in turns)),
    }
    for a in ACTS:
        f[f"agent_share_{a}"] = _share(mine, a)
        f[f"counterpart_share_{a}"] = _share(theirs, a)
        f[f"agent_sum_{a}_log"] = math.log1p(sum(s.probs.get(a, 0.0) for s in mine))

    give = sum(s.probs["give_value"] for s in mine)
    asks = sum(s.probs["extract_info"] + s.probs["push"] for s in mine)
    f["give_ask_ratio_log"] = math.log((give + 1) / (asks + 1))
    first_give = next((i for i, s in enumerate(mine) if s.act == "give_value"), None)
    first_ask = next((i for i, s in enumerate(mine) if s.act in ("extract_info", "push")), None)
    f["give_before_ask"] = 1.0 if first_ask is None else float(first_give is not None and first_give < first_ask)

    by_turn: dict[int, list[TaggedSentence]] = {}
    for s in sentences:
        by_turn.setdefault(s.turn, []).append(s)
    next_agent_turn: dict[int, int | None] = {}
    upcoming = None
    for t in reversed(turns):
        next_agent_turn[t.index] = upcoming
        if t.speaker == agent:
            upcoming = t.index
    questions = answered = 0
    for t in turns:
        if t.speaker == agent:
            continue
        asked = [s for s in by_turn.get(t.index, []) if s.act == "extract_info"]
        if not asked:
            continue
        questions += len(asked)
        reply = next_agent_turn.get(t.index)
        if reply is not None and sum(s.probs["give_value"] for s in by_turn.get(reply, [])) >= 0.5:
            answered += len(asked)
    f["answered_share"] = answered / questions if questions else 1.0
    f["counterpart_questions_log"] = math.log1p(questions)

    pushes_after = 0
    max_run = 0
    followups = 0
    prev: TurnInfo | None = None
    for t in turns:
        if t.speaker == agent:
            pushes = sum(1 for s in by_turn.get(t.index, []) if s.act == "push")
            max_run = max(max_run, pushes)
            if prev is not None and prev.speaker != agent and (prev.refusal or prev.hesitation):
                pushes_after += pushes
            if prev is not None and prev.speaker == agent:
                followups += 1
        prev = t
    n_push = sum(1 for s in mine if s.act == "push")
    f["push_after_refusal"] = math.log1p(pushes_after)
    f["push_after_refusal_share"] = pushes_after / n_push if n_push else 0.0
    f["max_push_run"] = math.log1p(max_run)
    f["unanswered_followups"] = math.log1p(followups)

    agent_words = sum(t.words for t in turns if t.speaker == agent)
    total_words = sum(t.words for t in turns) or 1
    agent_turns = [t for t in turns if t.speaker == agent]
    f["talk_ratio"] = agent_words / total_words
    f["longest_monologue_log"] = math.log1p(max((t.words for t in agent_turns), default=0))
    f["mean_turn_words_log"] = math.log1p(agent_words / len(agent_turns)) if agent_turns else 0.0
    n = len(mine) or 1
    f["question_rate"] = sum(1 for s in mine if s.text.rstrip().endswith("?")) / n
    f["exclaim_rate"] = sum(1 for s in mine if "!" in s.text) / n
    lower = [fold_apostrophes(s.text.lower()) for s in mine]
    self_refs = sum(len([w for w in x.split() if w in ("i", "i'm", "i've", "i'll", "we", "we're", "our", "my")]) for x in lower)
    you_refs = sum(len([w for w in x.split() if w.strip(",.?!") in ("you", "your", "you're", "you've", "yours")]) for x in lower)
    f["self_vs_you_log"] = math.log((self_refs + 1) / (you_refs + 1))
    firsts = {n.split()[0].lower() for n in counterpart_names if n and n.split()}
    f["names_counterpart"] = math.log1p(sum(1 for x in lower for w in x.replace(",", " ").split() if w.strip(".!?") in firsts))
    f["rapport_present"] = float(sum(s.probs["rapport"] for s in mine) >= 1.0)
    third = max(1, len(mine) // 3)
    end, start = mine[-third:], mine[:third]
    f["end_push_share"] = _share(end, "push")
    f["end_rapport_share"] = _share(end, "rapport")
    f["end_give_share"] = _share(end, "give_value")
    f["start_push_share"] = _share(start, "push")
    f["counterpart_refusals_log"] = math.log1p(sum(1 for t in turns if t.speaker != agent and t.refusal))
    for k in LEXICON_DENSITIES:
        f[f"lex_{k}"] = sum(1 for s in mine if k in s.lexicon) / n
    counts = [politeness_counts(s.text, s.lexicon) for s in mine]
    f["polite_rate"] = sum(p for p, _ in counts) / n
    f["impolite_rate"] = sum(q for _, q in counts) / n
    f["politeness_balance"] = f["polite_rate"] - f["impolite_rate"]
    f["shout_rate"] = sum(1 for s in mine if _SHOUT.search(s.text)) / n
    f["money_rate"] = sum(1 for s in mine if _MONEY.search(s.text)) / n
    f["url_rate"] = sum(1 for s in mine if _URL.search(s.text)) / n
    for a in ("push", "pitch", "extract_info"):
        f[f"max_{a}"] = max((s.probs[a] for s in mine), default=0.0)
    return np.array([f[name] for name in FEATURES], dtype=float)


def best_thresholds(P: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Per label, the probability threshold with the best F1 (the middle one of ties, which
    depends least on the sample)."""
    grid = np.round(np.arange(0.15, 0.86, 0.025), 3)
    out = []
    for j in range(Y.shape[1]):
        scores = [f1_score(Y[:, j], P[:, j] >= t, zero_division=0) for t in grid]
        ties = [t for t, s in zip(grid, scores, strict=True) if s >= max(scores) - 1e-9]
        out.append(float(ties[len(ties) // 2]))
    return np.array(out)


class BoundedScaler(StandardScaler):
    """`StandardScaler` whose output is clipped to [-bound, bound].

    Rates such as links or capitals per sentence are rare in training and can be extreme in a
    two-sentence email; clipping keeps one feature far outside the training range from
    deciding a rating on its own by linear extrapolation.
    """

    def __init__(self, *, bound: float = 3.0, copy: bool = True, with_mean: bool = True, with_std: bool = True) -> None:
        super().__init__(copy=copy, with_mean=with_mean, with_std=with_std)
        self.bound = bound

    def transform(self, X: np.ndarray, copy: bool | None = None) -> np.ndarray:
        return np.clip(super().transform(X, copy=copy), -self.bound, self.bound)


class AgentRater(ClassifierMixin, BaseEstimator):
    """Multi-label rater: one sigmoid-calibrated logistic regression per label, over features
    standardised and clipped at `bound` standard deviations (`BoundedScaler`).

    `fit(X, Y)` takes the `agent_features` vectors and a 0/1 matrix with one column per label;
    `predict_proba(X)` returns one probability column per label; `predict(X)` applies
    `thresholds_` (0.5 until `tune_thresholds` picks per-label ones on held-out data).
    """

    def __init__(self, C: float = 0.3, bound: float = 2.0, calibration_cv: int = 5, labels: Sequence[str] = LABELS) -> None:
        self.C = C
        self.bound = bound
        self.calibration_cv = calibration_cv
        self.labels = labels

    def _base(self) -> Pipeline:
        return make_pipeline(BoundedScaler(bound=self.bound),
                             LogisticRegression(C=self.C, max_iter=5000, class_weight="balanced"))

    def fit(self, X: np.ndarray, Y: np.ndarray) -> AgentRater:
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=int)
        self.models_ = []
        for j in range(Y.shape[1]):
            cv = min(self.calibration_cv, int(Y[:, j].sum()), int((1 - Y[:, j]).sum()))
            # Calibrate by cross-validation where each class has enough examples for it.
            model = CalibratedClassifierCV(self._base(), method="sigmoid", cv=cv, ensemble=False) if cv >= 2 else self._base()
            self.models_.append(model.fit(X, Y[:, j]))
        self.classes_ = np.array(list(self.labels))
        self.thresholds_ = np.full(Y.shape[1], 0.5)
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        return np.column_stack([m.predict_proba(X)[:, 1] for m in self.models_])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.predict_proba(X) >= self.thresholds_).astype(int)

    def tune_thresholds(self, X: np.ndarray, Y: np.ndarray) -> AgentRater:
        """Per label, the threshold that maximises F1 on held-out (X, Y)."""
        self.thresholds_ = best_thresholds(self.predict_proba(X), np.asarray(Y, dtype=int))
        return self

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Per label and feature, coefficient times scaled value: what pushed each rating."""
        coefs, scaled = self.linear_parts(x)
        return coefs * scaled

    def linear_parts(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per label and feature, each label's coefficient and the value as its model sees it (standardised and
        bounded), whose sign says whether the feature is above or below its usual level."""
        coefs, scaled = [], []
        for m in self.models_:
            pipe = m.calibrated_classifiers_[0].estimator if hasattr(m, "calibrated_classifiers_") else m
            scaler, lr = pipe[0], pipe[-1]
            # The scaler's arithmetic in numpy: this runs once per conversation and label, where
            # the estimator's input validation would cost more than the sum. Models saved before
            # the bound existed hold a plain StandardScaler.
            bound = getattr(scaler, "bound", np.inf)
            scaled.append(np.clip((np.asarray(x, dtype=float) - scaler.mean_) / scaler.scale_, -bound, bound))
            coefs.append(lr.coef_[0])
        return np.vstack(coefs), np.vstack(scaled)
