"""Sentences with spaCy: a blank English tokenizer plus this project's boundary rules.

Nothing is downloaded: the pipeline is `spacy.blank("en")` with the `reciprocity_sentences`
component. The tokenizer already keeps `e.g.`, `Mr.`, `£85k`, `2.5%`, URLs and email addresses
whole; the component starts a sentence after terminal punctuation, after a blank line, after a
line break that ends a short line (email greetings, sign-offs, list items and headings are their
own sentences) or comes before a list item, and after an ellipsis or emoji that is followed by
a capitalised word; a list number such as "1." or a "PS." does not end a sentence. A line break
inside a long line that does not end a sentence is hard-wrapping (plain-text mail at 72
columns), not a boundary.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from reciprocity_nlp.conversation import Conversation, Sentence

SHORT_LINE = 40  # a line shorter than this that ends in a line break is a unit of its own
_LIST_ITEM = ("-", "*", "•", "–", "·", ">")
_NUMBERED = re.compile(r"\d{1,2}[.)]\s")  # "1. " or "2) " opening a line: a numbered list item
_TERMINAL = {".", "!", "?", "?!", "!?", "!!", "??", "!!!", "???", "。", "？", "！"}
_SOFT = {"...", "…", "..", "....", ".....", "--", "—"}
_CLOSERS = {'"', "'", ")", "]", "”", "’", "»"}
_OPENERS = {'"', "'", "(", "[", "“", "‘", "«"}


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
    doc[0].is_sent_start = True
    start_next = False
    sentence_start = 0
    for i, token in enumerate(doc):
        if i == 0:
            continue
        prev = doc[i - 1]
        if token.is_space:
            token.is_sent_start = False
            start_next = start_next or _hard_break(doc, token.idx, token.text)
            continue
        if token.text in _CLOSERS and not prev.whitespace_ and not start_next:
            token.is_sent_start = False
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
        token.is_sent_start = boundary
        if boundary:
            sentence_start = i
        start_next = False
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


@Language.factory("reciprocity_sentences")
def make_sentence_splitter(nlp: Language, name: str) -> SentenceSplitter:
    """spaCy factory for the boundary rules above."""
    return SentenceSplitter()


class SentenceSplitter:
    """Pipeline component that sets sentence starts on a Doc."""

    def __call__(self, doc: Doc) -> Doc:
        return set_boundaries(doc)


def blank_pipeline() -> Language:
    """A blank English pipeline with the sentence splitter: no download, fast to load."""
    nlp = spacy.blank("en")
    nlp.add_pipe("reciprocity_sentences")
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

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or blank_pipeline()

    def __call__(self, conversation: Conversation) -> Conversation:
        docs = self.nlp.pipe(t.text for t in conversation.turns)
        for turn, doc in zip(conversation.turns, docs, strict=True):
            turn.sentences = sentence_offsets(doc)
        return conversation

    def split(self, texts: Iterable[str]) -> list[list[str]]:
        """Sentences of each text, as strings."""
        return [[doc.text[s.start:s.end] for s in sentence_offsets(doc)] for doc in self.nlp.pipe(texts)]
