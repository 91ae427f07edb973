"""The sentence-boundary model for speech-to-text without punctuation.

Fitted by `reciprocity train` from the act rows' own sentences with case and punctuation
stripped, saved beside the tagger and rater, and used by the `reciprocity_sentences` component
(`segmentation`) on turns with no sentence-ending mark. A separate module so that splitting by
the rules alone never imports scikit-learn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from spacy.language import Language

from reciprocity_nlp.segmentation import gap_features, strip_punctuation, word_tokens


class BoundaryClassifier(ClassifierMixin, BaseEstimator):
    """Whether a sentence starts at a gap between two words of unpunctuated text.

    `X` holds `gap_features` dicts, `y` is 1 where a sentence starts. The features are hashed, so
    the model has no vocabulary to store and stays a few MB whatever the corpus. `threshold` on
    the probability of a start is 0.25, where boundary F1 peaked on the dev split's calls (about
    0.49: without punctuation, where a sentence ends is often a matter of taste).
    """

    def __init__(self, C: float = 1.0, threshold: float = 0.25, n_features: int = 2**18) -> None:
        self.C = C
        self.threshold = threshold
        self.n_features = n_features

    def fit(self, X: Sequence[dict[str, float]], y: Sequence[int]) -> BoundaryClassifier:
        self.model_ = Pipeline([("hash", FeatureHasher(n_features=self.n_features)),
                                ("logreg", LogisticRegression(C=self.C, max_iter=2000))]).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X: Sequence[dict[str, float]]) -> np.ndarray:
        return self.model_.predict_proba(X)

    def predict(self, X: Sequence[dict[str, float]]) -> np.ndarray:
        return (self.predict_proba(X)[:, 1] >= self.threshold).astype(int)


def boundary_examples(nlp: Language, turns: Iterable[Sequence[str]]) -> tuple[list[dict[str, float]], list[int]]:
    """Training gaps from punctuated turns, each given as its sentences: the text is stripped of
    case and punctuation and tokenised as it would be at run time, and each sentence's first word
    is a start."""
    X: list[dict[str, float]] = []
    y: list[int] = []
    for sentences in turns:
        words: list[str] = []
        starts: set[int] = set()
        for sentence in sentences:
            tokens = [t.text for t in word_tokens(nlp.make_doc(strip_punctuation(sentence)))]
            if tokens:
                starts.add(len(words))
                words += tokens
        for i in range(1, len(words)):
            X.append(gap_features(words, i))
            y.append(int(i in starts))
    return X, y
