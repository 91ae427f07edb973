"""The act tagger: a scikit-learn model behind a spaCy component.

`act_model()` is the estimator (a `Pipeline` of a `DictVectorizer` and a sigmoid-calibrated
multinomial `LogisticRegression`) over the feature dicts of `features.py`. The
`reciprocity_acts` component runs it on every sentence of a Doc and stores the result on
extensions: `span._.act`, `span._.act_probs` and `doc._.acts`. Before the pipeline runs, the
caller may put a `features.Context` on `doc._.context` (speaker role, previous turn); without it
the sentence is tagged with no context.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from reciprocity_nlp.features import Context, LexiconMatcher, position, sentence_lexicon_hits, span_features

if not Doc.has_extension("context"):
    Doc.set_extension("context", default=None)
    Doc.set_extension("lexicon", default=None)
    Doc.set_extension("units", default=None)
    Doc.set_extension("acts", getter=lambda doc: [s._.act for s in doc.sents])
    Span.set_extension("act", default=None)
    Span.set_extension("act_probs", default=None)


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


def act_model(C: float = 0.5, calibration: str = "sigmoid", cv: int = 3, max_iter: int = 3000) -> Pipeline:
    """The act estimator: feature dicts in, calibrated probabilities over ACTS out."""
    classifier = LogisticRegression(C=C, max_iter=max_iter, class_weight="balanced")
    return Pipeline([
        ("vectorizer", NumericDictVectorizer(dtype=np.float32)),
        ("classifier", CalibratedClassifierCV(classifier, method=calibration, cv=cv, ensemble=False)),
    ])


def doc_lexicon(doc: Doc, matcher: LexiconMatcher) -> list[tuple[str, int, int]]:
    """Lexicon matches of a doc, computed once and kept on `doc._.lexicon`."""
    if doc._.lexicon is None:
        doc._.lexicon = matcher(doc)
    return doc._.lexicon


def sentence_spans(doc: Doc) -> list[Span]:
    """The doc's sentences without whitespace-only ones (found once; their token bounds are kept
    on `doc._.units`, plain numbers, so the doc holds no reference to itself)."""
    if doc._.units is None:
        doc._.units = [(s.start, s.end) for s in doc.sents if any(not t.is_space for t in s)]
    return [doc[a:b] for a, b in doc._.units]


def doc_features(doc: Doc, matcher: LexiconMatcher, as_unit: bool = False) -> tuple[list[Span], list[dict[str, float]]]:
    """Feature dicts of each sentence of a doc (or of the whole doc as one unit)."""
    matches = doc_lexicon(doc, matcher)
    context: Context = doc._.context or Context()
    spans = [doc[:]] if as_unit else sentence_spans(doc)
    feats = []
    for i, span in enumerate(spans):
        ctx = Context(**{**context.__dict__, "position": position(i, len(spans))})
        feats.append(span_features(span, sentence_lexicon_hits(matches, span.start, span.end), ctx))
    return spans, feats


class ActTagger:
    """spaCy pipeline component that tags each sentence with its act."""

    def __init__(self, vocab: object, model: Pipeline | None = None, batch_size: int = 512) -> None:
        self.matcher = LexiconMatcher(vocab)
        self.model = model
        self.batch_size = batch_size

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        if self.model is None:
            raise ValueError("the reciprocity_acts component has no model: load one with reciprocity_nlp.load()")
        for batch in minibatch(docs, size=batch_size or self.batch_size):
            spans: list[Span] = []
            feats: list[dict[str, float]] = []
            for doc in batch:
                s, f = doc_features(doc, self.matcher)
                spans += s
                feats += f
            if feats:
                self.assign(spans, self.model.predict_proba(feats))
            yield from batch

    def assign(self, spans: list[Span], probs: np.ndarray) -> None:
        classes = list(self.model.classes_)
        for span, row in zip(spans, probs, strict=True):
            best = int(row.argmax())
            span._.act = classes[best]
            span._.act_probs = {c: float(p) for c, p in zip(classes, row, strict=True)}


@Language.factory("reciprocity_acts")
def make_act_tagger(nlp: Language, name: str) -> ActTagger:
    """spaCy factory; the scikit-learn model is attached by `reciprocity_nlp.load()`."""
    return ActTagger(nlp.vocab)
