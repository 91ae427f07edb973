"""The act tagger: a scikit-learn model behind a spaCy component.

The estimator is an `ActClassifier`: a linear model over each sentence's feature
dict (`features.py`), stacked with a calibrated linear model that also sees the acts it found for
the sentences just before and after in the same turn. The `reciprocity_acts` component runs it
on every sentence of a Doc (one Doc per turn) and stores the result on extensions: `span._.rn_act`,
`span._.rn_act_probs` and `doc._.rn_acts`. Before the pipeline runs, the caller may put a
`features.Context` on `doc._.rn_context` (speaker role, previous turn); without it the sentence is
tagged with no context.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from reciprocity_nlp.features import Context, LexiconMatcher, lexicon_hits, position, span_features


def _doc_acts(doc: Doc) -> list[str]:
    """`doc._.rn_acts`: the act of each sentence that has words (a named function, not a lambda, so
    docs and the getter pickle for `nlp.pipe(n_process=...)` under the spawn start method)."""
    return [s._.rn_act for s in sentence_spans(doc)]


# Extensions carry an `rn_` prefix so they cannot clash with a pipeline's own `act` or `context`.
for _name, _default in (("rn_context", None), ("rn_lexicon", None), ("rn_units", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Doc.has_extension("rn_acts"):
    Doc.set_extension("rn_acts", getter=_doc_acts)
for _name in ("rn_act", "rn_act_probs"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


CALIBRATION_FOLDS = 3
"""Folds of the context model's calibration, stratified by act: every act needs this many labelled sentences."""


class NumericDictVectorizer(DictVectorizer):
    """`DictVectorizer` for dicts of numbers only, with a transform several times faster.

    scikit-learn's transform also handles string and iterable values, and checks every value's
    type; the act features are all numbers, and vectorising them was 8% of scoring time.
    Fitting, the vocabulary and the output are the parent's.
    """

    def transform(self, X: Iterable[dict[str, float]]) -> sp.csr_matrix | np.ndarray:
        get = self.vocabulary_.get
        indices: list[int] = []
        values: list[float] = []
        indptr = [0]
        for x in X:
            for name, value in x.items():
                j = get(name)
                if j is not None:
                    indices.append(j)
                    values.append(value)
            indptr.append(len(indices))
        matrix = sp.csr_matrix((np.asarray(values, dtype=self.dtype), np.asarray(indices, dtype=np.int32),
                                np.asarray(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(self.vocabulary_)))
        matrix.sum_duplicates()
        return matrix if self.sparse else matrix.toarray()


def neighbour_matrix(P: np.ndarray, groups: Sequence[Hashable] | None) -> np.ndarray:
    """Per row: its own log-probabilities, the probabilities of the rows just before and after
    it in its group (zeros at the ends), and whether it opens or closes the group.

    `groups` names each row's turn; a turn's rows are its sentences in order. None: every row is
    a turn of its own.
    """
    n, k = P.shape
    prev = np.full(n, -1)
    nxt = np.full(n, -1)
    if groups is not None:
        last: dict[Hashable, int] = {}
        for i, g in enumerate(groups):
            j = last.get(g)
            if j is not None:
                prev[i], nxt[j] = j, i
            last[g] = i
    padded = np.vstack([P, np.zeros((1, k))])  # row -1: no neighbour
    return np.hstack([np.log(P + 1e-4), padded[prev], padded[nxt],
                      (prev < 0)[:, None].astype(float), (nxt < 0)[:, None].astype(float)])


class ActClassifier(ClassifierMixin, BaseEstimator):
    """Sentence acts from a sentence's own features and its neighbours' acts in the same turn.

    Stacked sequential learning (Cohen and Carvalho, 2005): a class-balanced logistic regression
    over the sentence's feature dict, then a sigmoid-calibrated logistic regression over
    `neighbour_matrix` of its probabilities. The second stage is fitted on out-of-fold
    first-stage probabilities (folds by turn), so it learns how far to trust them on unseen text.
    Acts run in turns: a sentence between two pitches is more likely a pitch, and a thank-you
    that closes a turn is more likely rapport than a formula.

    `fit`, `predict_proba` and `predict` take `groups`, each row's turn (any hashable); rows
    without it are tagged on their own.
    """

    def __init__(self, C: float = 0.5, context_C: float = 1.0, folds: int = 3, calibration: str = "sigmoid",
                 max_iter: int = 3000) -> None:
        self.C = C
        self.context_C = context_C
        self.folds = folds
        self.calibration = calibration
        self.max_iter = max_iter

    def _sentence_model(self) -> Pipeline:
        return Pipeline([
            ("vectorizer", NumericDictVectorizer(dtype=np.float32)),
            ("classifier", LogisticRegression(C=self.C, max_iter=self.max_iter, class_weight="balanced")),
        ])

    def fit(self, X: Sequence[dict[str, float]], y: Sequence[str], groups: Sequence[Hashable] | None = None) -> ActClassifier:
        X, y = list(X), np.asarray(y)
        self.classes_ = np.unique(y)
        index: dict[Hashable, int] = {}
        turn = np.array([index.setdefault(g, len(index)) for g in groups] if groups is not None else range(len(X)))
        out_of_fold = np.zeros((len(X), len(self.classes_)))
        for train, held in GroupKFold(n_splits=min(self.folds, len(set(turn)))).split(X, y, turn):
            model = self._sentence_model().fit([X[i] for i in train], y[train])
            cols = np.searchsorted(self.classes_, model.classes_)
            out_of_fold[np.ix_(held, cols)] = model.predict_proba([X[i] for i in held])
        self.sentence_model_ = self._sentence_model().fit(X, y)
        context = LogisticRegression(C=self.context_C, max_iter=self.max_iter, class_weight="balanced")
        self.context_model_ = CalibratedClassifierCV(context, method=self.calibration, cv=CALIBRATION_FOLDS,
                                                     ensemble=False)
        self.context_model_.fit(neighbour_matrix(out_of_fold, groups), y)
        return self

    def predict_proba(self, X: Sequence[dict[str, float]], groups: Sequence[Hashable] | None = None) -> np.ndarray:
        P = self.sentence_model_.predict_proba(list(X))
        return self.context_model_.predict_proba(neighbour_matrix(P, groups))

    def predict(self, X: Sequence[dict[str, float]], groups: Sequence[Hashable] | None = None) -> np.ndarray:
        return self.classes_[self.predict_proba(X, groups).argmax(axis=1)]


def doc_lexicon(doc: Doc, matcher: LexiconMatcher) -> list[tuple[str, int, int]]:
    """Lexicon matches of a doc, computed once and kept on `doc._.rn_lexicon`."""
    if doc._.rn_lexicon is None:
        doc._.rn_lexicon = matcher(doc)
    return doc._.rn_lexicon


def sentence_spans(doc: Doc) -> list[Span]:
    """The doc's sentences without whitespace-only ones (found once; their token bounds are kept
    on `doc._.rn_units`, plain numbers, so the doc holds no reference to itself)."""
    if doc._.rn_units is None:
        doc._.rn_units = [(s.start, s.end) for s in doc.sents if any(not t.is_space for t in s)]
    return [doc[a:b] for a, b in doc._.rn_units]


def doc_features(doc: Doc, matcher: LexiconMatcher) -> tuple[list[Span], list[dict[str, float]]]:
    """Feature dicts of each sentence of a doc."""
    matches = doc_lexicon(doc, matcher)
    context: Context = doc._.rn_context or Context()
    spans = sentence_spans(doc)
    feats = []
    for i, (span, hits) in enumerate(zip(spans, lexicon_hits(matches, spans), strict=True)):
        ctx = Context(**{**context.__dict__, "position": position(i, len(spans))})
        feats.append(span_features(span, hits, ctx))
    return spans, feats


class ActTagger:
    """spaCy pipeline component that tags each sentence with its act."""

    def __init__(self, vocab: object, model: ActClassifier | None = None, batch_size: int = 512) -> None:
        self.matcher = LexiconMatcher(vocab)
        self.model = model
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the model with the pipeline (`nlp.to_disk`), as a skops file."""
        from reciprocity_nlp.persistence import part_to_disk

        part_to_disk(self.model, path, "acts")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ActTagger:
        """Load the model saved by `to_disk` (`spacy.load`), checked against the allow-list."""
        from reciprocity_nlp.persistence import part_from_disk

        self.model = part_from_disk(path, "acts")
        return self

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        if self.model is None:
            raise ValueError("the reciprocity_acts component has no model: load one with reciprocity_nlp.load()")
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            spans: list[Span] = []
            feats: list[dict[str, float]] = []
            turns: list[int] = []
            for n, doc in enumerate(batch):
                s, f = doc_features(doc, self.matcher)
                spans += s
                feats += f
                turns += [n] * len(s)
            if feats:
                self.assign(spans, self.model.predict_proba(feats, turns))
            yield from batch

    def assign(self, spans: list[Span], probs: np.ndarray) -> None:
        classes = [str(c) for c in self.model.classes_]  # plain str, not numpy.str_: JSON, YAML and reprs stay plain
        for span, row in zip(spans, probs, strict=True):
            best = int(row.argmax())
            span._.rn_act = classes[best]
            span._.rn_act_probs = {c: float(p) for c, p in zip(classes, row, strict=True)}


@Language.factory("reciprocity_acts")
def make_act_tagger(nlp: Language, name: str) -> ActTagger:
    """spaCy factory; the scikit-learn model is attached by `reciprocity_nlp.load()`."""
    return ActTagger(nlp.vocab)
