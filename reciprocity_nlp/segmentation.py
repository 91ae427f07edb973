"""Sentences with spaCy: a blank English tokenizer plus this project's boundary rules.

Nothing is downloaded: the pipeline is `spacy.blank("en")` with the `reciprocity_sentences`
component. The tokenizer already keeps `e.g.`, `Mr.`, `£85k`, `2.5%`, URLs and email addresses
whole; the component starts a sentence after terminal punctuation, after a blank line, after a
line break that ends a short line (email greetings, sign-offs, list items and headings are their
own sentences) or comes before a list item, and after an ellipsis or emoji that is followed by
a capitalised word; a list number such as "1." or a "PS." does not end a sentence. A line break
inside a long line that does not end a sentence is hard-wrapping (plain-text mail at 72
columns), not a boundary.

Speech-to-text exports often come with no punctuation at all, and the rules then leave a whole
turn as one sentence. A model can carry a `BoundaryClassifier` (`reciprocity_nlp.boundaries`),
learned from its own training sentences with case and punctuation removed; given one, the
component predicts where sentences start in any turn of `MIN_WORDS` or more words that has no
sentence-ending mark. This module holds what splitting needs at run time (the features of a gap
between two words); fitting the model lives in `boundaries`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from reciprocity_nlp.conversation import Conversation, Sentence

if TYPE_CHECKING:  # the learned model needs scikit-learn; splitting by the rules alone does not
    from reciprocity_nlp.boundaries import BoundaryClassifier

SHORT_LINE = 40  # a line shorter than this that ends in a line break is a unit of its own
_LIST_ITEM = ("-", "*", "•", "–", "·", ">")
_NUMBERED = re.compile(r"\d{1,2}[.)]\s")  # "1. " or "2) " opening a line: a numbered list item
_TERMINAL = {".", "!", "?", "?!", "!?", "!!", "??", "!!!", "???", "。", "？", "！"}
_SOFT = {"...", "…", "..", "....", ".....", "--", "—"}
_CLOSERS = {'"', "'", ")", "]", "”", "’", "»"}
_OPENERS = {'"', "'", "(", "[", "“", "‘", "«"}
MIN_WORDS = 8  # a turn this long with no sentence-ending mark is taken to be unpunctuated speech
_ENDINGS = (".", "!", "?", "。", "？", "！", "…")
_PUNCTUATION = re.compile(r"[^\w\s']|(?<!\w)'|'(?!\w)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")


def _is_emoji(token: Token) -> bool:
    return bool(token.text) and all(
        unicodedata.category(ch) in ("So", "Sk", "Mn", "Cf") or ch == "\u200d" for ch in token.text
    )


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() or token.text[:1].isdigit() or token.text in ("I", "I'm", "I'll")


def set_boundaries(doc: Doc) -> Doc:
    """Mark `is_sent_start` on every token of a doc (see the module docstring for the rules)."""
    if not len(doc):
        return doc
    starts = [True] * len(doc)
    start_next = False
    sentence_start = 0
    for i, token in enumerate(doc):
        if i == 0:
            continue
        prev = doc[i - 1]
        if token.is_space:
            starts[i] = False
            start_next = start_next or _hard_break(doc, token.idx, token.text)
            continue
        if token.text in _CLOSERS and not prev.whitespace_ and not start_next:
            starts[i] = False
            continue
        boundary = start_next or ("\n" in prev.whitespace_ and _hard_break(doc, prev.idx + len(prev.text), prev.whitespace_))
        if not boundary:
            j = i - 1
            while j > 0 and doc[j].is_space:  # a wrapped line's break is a token of its own
                j -= 1
            while j > 0 and doc[j].text in _CLOSERS and not doc[j - 1].whitespace_:
                j -= 1
            last = doc[j]
            if last.text == "." and _marker(doc[sentence_start:j]):
                boundary = False
            elif last.text in _TERMINAL or (last.text.endswith(("?", "!")) and last.is_punct):
                boundary = not token.is_punct or _is_emoji(token) or token.text in _OPENERS
            elif last.text in _SOFT or _is_emoji(last):
                boundary = _capitalised(token) and last.text not in ("--", "—")
            elif last.text.lower() in ("etc.", "pls.", "thx."):
                # Abbreviations the tokenizer keeps whole can still close a sentence.
                boundary = _capitalised(token)
        starts[i] = boundary
        if boundary:
            sentence_start = i
        start_next = False
    return _set_starts(doc, starts)


def _set_starts(doc: Doc, starts: Sequence[bool]) -> Doc:
    """Set every token's `is_sent_start` at once. (Token by token, spaCy checks the whole doc's
    annotation on each assignment, which made a turn of n tokens cost n squared.)"""
    values = np.where(np.asarray(starts, dtype=bool), 1, -1).astype(np.int64).astype(np.uint64)
    doc.from_array([SENT_START], values)
    return doc


def _marker(tokens: Span) -> bool:
    """Whether the words before a full stop are a list number or a P.S. ("1.", "b.", "PS.")."""
    words = [t.text for t in tokens if not t.is_space]
    if len(words) != 1:
        return False
    word = words[0]
    return (word.isdigit() and len(word) <= 2) or (len(word) == 1 and word.isalpha()) or word.lower() in ("ps", "pps")


def _hard_break(doc: Doc, at: int, space: str) -> bool:
    """Whether whitespace with a line break, at character `at`, separates units rather than wraps a line."""
    if "\n" not in space:
        return False
    if space.count("\n") > 1:
        return True
    text = doc.text
    line_start = text.rfind("\n", 0, at) + 1
    line = text[line_start:at].strip()
    following = text[at + len(space):at + len(space) + 6].lstrip()
    return len(line) < SHORT_LINE or following.startswith(_LIST_ITEM) or bool(_NUMBERED.match(following))


def strip_punctuation(text: str) -> str:
    """Text as many speech-to-text exports give it: lower case, no punctuation (word-internal
    apostrophes and digit groups such as 45000 kept whole), single spaces."""
    return " ".join(_PUNCTUATION.sub(" ", _THOUSANDS.sub("", text.lower())).split())


def gap_features(words: Sequence[str], i: int) -> dict[str, float]:
    """Features of the gap before `words[i]`: the words on either side, as words, pairs and a
    triple, and how far the gap is from the turn's ends."""
    n = len(words)

    def at(k: int) -> str:
        return words[k] if 0 <= k < n else ("<s>" if k < 0 else "</s>")

    p3, p2, p1, w0, n1, n2 = at(i - 3), at(i - 2), at(i - 1), at(i), at(i + 1), at(i + 2)
    return {f"w0={w0}": 1.0, f"p1={p1}": 1.0, f"p2={p2}": 1.0, f"n1={n1}": 1.0, f"n2={n2}": 1.0,
            f"p1w0={p1}|{w0}": 1.0, f"w0n1={w0}|{n1}": 1.0, f"p2p1={p2}|{p1}": 1.0, f"n1n2={n1}|{n2}": 1.0,
            f"p1w0n1={p1}|{w0}|{n1}": 1.0, f"p3p2p1={p3}|{p2}|{p1}": 1.0,
            f"from_start={min(i, 6)}": 1.0, f"to_end={min(n - i, 6)}": 1.0}


def word_tokens(doc: Doc) -> list[Token]:
    """A doc's tokens that are words: what the boundary model reads, with or without punctuation."""
    return [t for t in doc if not (t.is_space or t.is_punct)]


def unpunctuated(doc: Doc) -> bool:
    """Whether a doc reads as speech-to-text without punctuation: `MIN_WORDS` or more words, no
    sentence-ending mark (also none kept inside a token, as in "E and O." or "e.g."), and no
    break the rules could use."""
    # Cheapest test first: most turns of most files have a full stop early on.
    return (not any(t.text.endswith(_ENDINGS) or t.text in _SOFT or _is_emoji(t) for t in doc)
            and len(word_tokens(doc)) >= MIN_WORDS and sum(1 for t in doc if t.is_sent_start) == 1)


def predict_boundaries(doc: Doc, model: BoundaryClassifier) -> Doc:
    """Set sentence starts in an unpunctuated doc from the model (punctuation such as commas
    stays with the words before it)."""
    words = word_tokens(doc)
    texts = [t.text.lower() for t in words]
    predicted = model.predict([gap_features(texts, i) for i in range(1, len(texts))])
    starts = [False] * len(doc)
    starts[0] = True
    for token, start in zip(words[1:], predicted, strict=True):
        starts[token.i] = bool(start)
    return _set_starts(doc, starts)


@Language.factory("reciprocity_sentences")
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    """spaCy factory for the boundary rules above (set `boundaries` to add the learned model)."""
    return SentenceSplitter()


class SentenceSplitter:
    """Pipeline component that sets sentence starts on a Doc: rules, then the learned boundary
    model (when there is one) on unpunctuated docs."""

    def __init__(self, boundaries: BoundaryClassifier | None = None) -> None:
        self.boundaries = boundaries

    def __call__(self, doc: Doc) -> Doc:
        set_boundaries(doc)
        if self.boundaries is not None and unpunctuated(doc):
            predict_boundaries(doc, self.boundaries)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the boundary model (if any) with the pipeline (`nlp.to_disk`), as a skops file."""
        from reciprocity_nlp.persistence import part_to_disk

        part_to_disk(self.boundaries, path, "boundaries")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SentenceSplitter:
        """Load the boundary model saved by `to_disk` (`spacy.load`), checked against the allow-list."""
        from reciprocity_nlp.persistence import part_from_disk

        self.boundaries = part_from_disk(path, "boundaries")
        return self


def blank_pipeline(boundaries: BoundaryClassifier | None = None) -> Language:
    """A blank English pipeline with the sentence splitter: no download, fast to load."""
    nlp = spacy.blank("en")
    nlp.add_pipe("reciprocity_sentences").boundaries = boundaries
    return nlp


def trimmed(span: Span) -> Sentence | None:
    """A span's character offsets without surrounding whitespace (None when it is all whitespace)."""
    tokens = [t for t in span if not t.is_space]
    if not tokens:
        return None
    return Sentence(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))


def sentence_offsets(doc: Doc) -> list[Sentence]:
    """Character offsets of each sentence, trimmed of surrounding whitespace, skipping empty ones."""
    return [s for s in (trimmed(sent) for sent in doc.sents) if s is not None]


class Segmenter:
    """Split every turn of a conversation into sentences, in place."""

    def __init__(self, nlp: Language | None = None, boundaries: BoundaryClassifier | None = None) -> None:
        self.nlp = nlp or blank_pipeline(boundaries)

    def __call__(self, conversation: Conversation) -> Conversation:
        docs = self.nlp.pipe(t.text for t in conversation.turns)
        for turn, doc in zip(conversation.turns, docs, strict=True):
            turn.sentences = sentence_offsets(doc)
        return conversation

    def split(self, texts: Iterable[str]) -> list[list[str]]:
        """Sentences of each text, as strings."""
        return [[doc.text[s.start:s.end] for s in sentence_offsets(doc)] for doc in self.nlp.pipe(texts)]
