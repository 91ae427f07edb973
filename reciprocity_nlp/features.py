"""Sentence features for the act tagger, computed from the spaCy tokens already made.

No second tokenisation: n-grams, lexicon matches (one PhraseMatcher pass per Doc), sentence
form (questions, imperatives, modal requests), the politeness strategies of
Danescu-Niculescu-Mizil et al. (2013) computed from tokens, and the sentence's context (the
speaker's role, its place in the turn, what the other side said just before).
"""

from __future__ import annotations

import itertools
import random
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from reciprocity_nlp.lexicons import PHRASES, WORDS
from reciprocity_nlp.readers.speakers import same_person


@dataclass(frozen=True)
class Context:
    """Where a sentence sits: who says it, where in the turn, after what.

    `role` is "agent", "counterpart" or None (unknown); `position` is "only", "first",
    "middle" or "last" within the turn; the `prev_*` flags describe the other side's previous
    turn.
    """

    role: str | None = None
    position: str = "only"
    channel: str | None = None
    prev_refusal: bool = False
    prev_hesitation: bool = False
    prev_question: bool = False
    first_turn: bool = False


class LexiconMatcher:
    """All `PHRASES` lexicons as one case-insensitive PhraseMatcher."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.matcher = PhraseMatcher(vocab, attr="LOWER")
        for name, phrases in PHRASES.items():
            words = [_pattern_words(p) for p in phrases]
            # Typed text often has typographic apostrophes ("don’t"): match those spellings too.
            words += [[fold_apostrophes(w, to="’") for w in ws] for ws in words if any("'" in w for w in ws)]
            self.matcher.add(name, [Doc(vocab, words=ws) for ws in words])
        self._names = {vocab.strings[name]: name for name in PHRASES}

    def __call__(self, doc: Doc) -> list[tuple[str, int, int]]:
        """(lexicon, start token, end token) for every match in the doc."""
        return [(self._names[key], start, end) for key, start, end in self.matcher(doc)]


def _pattern_words(phrase: str) -> list[str]:
    """Split a lexicon phrase the way the English tokenizer splits text: "it's" -> it, 's."""
    words: list[str] = []
    for w in phrase.split():
        for suffix in ("n't", "'s", "'re", "'ve", "'ll", "'d", "'m"):
            if w.endswith(suffix) and len(w) > len(suffix):
                words += [w[: -len(suffix)], suffix]
                break
        else:
            if len(w) > 1 and w[-1] in "?.!," and w[:-1].isalnum():
                words += [w[:-1], w[-1]]
            else:
                words.append(w)
    return words


def fold_apostrophes(text: str, to: str = "'") -> str:
    """`text` with every apostrophe spelt `to`: "don’t" and "don't" are one word to the features."""
    for mark in ("'", "’", "ʼ"):
        if mark != to:
            text = text.replace(mark, to)
    return text


def _norm(token: Token) -> str:
    """A token's lower-cased form, with URLs, addresses and numbers folded into one form each and
    typographic apostrophes made plain."""
    lower = token.lower_
    if lower.isalpha():  # the common case: a plain word is no URL or address, but may be "ten"
        return "<num>" if token.like_num else lower
    lower = fold_apostrophes(lower)
    if token.like_url:
        return "<url>"
    if token.like_email:
        return "<email>"
    if token.like_num or any(ch.isdigit() for ch in lower):
        return "<num>"
    return lower


def _skip(words: Sequence[str], start: int, skip: frozenset[str]) -> int:
    """The index of the first of `words` from `start` on that is not in `skip` (len(words) when none)."""
    return next((i for i in range(start, len(words)) if words[i] not in skip), len(words))


_OBJECT_SKIP = frozenset({"me", "us", "him", "her", "them", "it", "my", "your", "our", "their", "his", "the", "a",
                          "an", "this", "that", "these", "those", "some", "any", "over", "across", "through",
                          "back", "on", "along", "up", "out", "quickly", "quick"})


def _request_object(words: Sequence[str], start: int, f: dict[str, float]) -> None:
    """The thing a request asks for ("send me your *cv*" is an action, "send me your *salary*" a
    fact: LABELS.md rule 6), the first word after the verb past pronouns, determiners and particles."""
    at = _skip(words, start, _OBJECT_SKIP)
    if at < len(words) and words[at][:1].isalpha():
        f["req_obj=" + words[at]] = 1.0


def span_features(span: Span, lexicon_hits: Counter[str], context: Context) -> dict[str, float]:
    """Features of one sentence: n-grams, form, lexicons, politeness strategies, context."""
    tokens = [t for t in span if not t.is_space]
    f: dict[str, float] = {}
    if not tokens:
        f["empty"] = 1.0
        return f
    words = [_norm(t) for t in tokens]
    for w in words:
        f["w=" + w] = f.get("w=" + w, 0.0) + 1.0
    prev = "<s>"
    for w in [*words, "</s>"]:
        key = f"b={prev}_{w}"
        f[key] = 1.0
        prev = w
    alpha = [w for w in words if w[:1].isalpha() or w[:1] == "'"]
    first = alpha[0] if alpha else words[0]
    second = alpha[1] if len(alpha) > 1 else ""
    f["first=" + first] = 1.0
    f["last=" + words[-1]] = 1.0
    n = len(tokens)
    f["len=" + ("1-3" if n <= 3 else "4-8" if n <= 8 else "9-16" if n <= 16 else "17+")] = 1.0

    question = words[-1] == "?" or (len(words) > 1 and words[-2] == "?" and not words[-1][:1].isalpha())
    wh_start = first in WORDS["wh"]
    aux_start = first in WORDS["aux"]
    lower_set = set(words)
    you = sum(1 for w in words if w in WORDS["second_person"])
    if question:
        f["form=question"] = 1.0
        f["form=question_" + ("wh" if wh_start else "aux" if aux_start else "other")] = 1.0
    elif wh_start or aux_start:
        f["form=unmarked_question_start"] = 1.0
    if "!" in lower_set:
        f["form=exclaim"] = 1.0
    modal_at = next((i for i in range(min(len(words) - 1, 5)) if words[i] in WORDS["modal"] and words[i + 1] in ("you", "u")), None)
    if modal_at is not None:
        f["form=modal_you"] = 1.0
        f["polite=" + ("counterfactual" if any(w in WORDS["counterfactual"] for w in words[:4]) else "indicative")] = 1.0
        # The verb asked for ("could you please *send*...") tells a request for action (push) from one
        # for information ("could you *tell* me...", extract_info): LABELS.md rules 1 and 6.
        at = _skip(words, modal_at + 2, WORDS["softener"])
        head = words[at] if at < len(words) else ""
        if head[:1].isalpha():
            f["req=" + head] = 1.0
            if head in WORDS["imperative"]:
                f["req=action"] = 1.0
            _request_object(words, at + 1, f)
    # An imperative may follow discourse words: "So also send it over."
    lead_at = _skip(alpha, 0, WORDS["lead_in"])
    lead, after_lead = ([*alpha[lead_at:lead_at + 2], "", ""])[:2]
    if lead in WORDS["imperative"] and after_lead not in ("you", "u", "ya") and not question:
        f["form=imperative"] = 1.0
        _request_object(alpha, lead_at + 1, f)
    if first in ("let's", "lets") or (first == "let" and second in ("us", "'s")):
        f["form=lets"] = 1.0

    # Politeness strategies (Danescu-Niculescu-Mizil et al. 2013), from tokens.
    if not lower_set.isdisjoint(WORDS["please"]):
        f["polite=please"] = 1.0
        if first in WORDS["please"]:
            f["polite=please_start"] = 1.0
    if first in WORDS["first_person"]:
        f["polite=first_person_start"] = 1.0
    if first in WORDS["second_person"]:
        f["polite=second_person_start"] = 1.0
    if first in WORDS["direct_start"]:
        f["polite=direct_start"] = 1.0
    if first in ("by", "btw") and (second in ("the", "way") or first == "btw"):
        f["polite=indirect_btw"] = 1.0
    if wh_start and question:
        f["polite=direct_question"] = 1.0
    if any(w in WORDS["factuality"] for w in words):
        f["polite=factuality"] = 1.0
    if you:
        f["pron=you"] = float(min(you, 3))
    mine = sum(1 for w in words if w in WORDS["first_person"])
    ours = sum(1 for w in words if w in WORDS["first_plural"])
    if mine:
        f["pron=i"] = float(min(mine, 3))
    if ours:
        f["pron=we"] = float(min(ours, 3))
    if not (you or mine or ours):
        # Pitch promotes the speaker or their offer to the reader; prose about third parties names neither.
        f["pron=none"] = 1.0
    if "<num>" in lower_set:
        f["num"] = 1.0
        if lower_set & WORDS["currency"]:
            f["money"] = 1.0
    alpha_tokens = [text for text in (t.text for t in tokens) if text.isalpha()]
    caps = sum(1 for w in alpha_tokens if len(w) >= 3 and w.isupper())
    if caps:
        f["shout"] = float(min(caps, 3))
    if len(alpha_tokens) >= 4 and sum(w[0].isupper() for w in alpha_tokens) / len(alpha_tokens) > 0.6:
        f["title_case"] = 1.0
    fillers = sum(1 for w in words if w in WORDS["filler"])
    if fillers:
        f["filler_share"] = fillers / n
    for name, count in lexicon_hits.items():
        f["lex=" + name] = float(min(count, 3))

    # Context.
    if context.role:
        f["role=" + context.role] = 1.0
    f["pos=" + context.position] = 1.0
    if context.channel:
        f["channel=" + context.channel] = 1.0
    if context.prev_refusal:
        f["prev=refusal"] = 1.0
    if context.prev_hesitation:
        f["prev=hesitation"] = 1.0
    if context.prev_question:
        f["prev=question"] = 1.0
        if context.role:
            f[f"prev=question_role={context.role}"] = 1.0
    if context.first_turn:
        f["turn=first"] = 1.0
    if context.role:
        # Role-specific copies of the strongest form cues: a counterpart's question about price is
        # extract_info, the same modal request from an agent is often push.
        for key in ("form=question", "form=modal_you", "form=imperative", "lex=hype", "lex=action_request"):
            if key in f:
                f[f"{key}|{context.role}"] = 1.0
    return f


def lexicon_hits(matches: list[tuple[str, int, int]], spans: Sequence[Span]) -> list[Counter[str]]:
    """For each span of a doc, the counts of lexicon matches that fall inside it. One pass over the
    matches sorted by start, so a long turn costs its sentences plus its matches, not their product."""
    ordered = sorted(matches, key=lambda m: m[1])
    firsts = [a for _, a, _ in ordered]
    out = []
    for span in spans:
        inside = ordered[bisect_left(firsts, span.start):bisect_left(firsts, span.end)]
        out.append(Counter(name for name, _, b in inside if b <= span.end))
    return out


def turn_cues(text: str, matches: list[tuple[str, int, int]]) -> dict[str, bool]:
    """What a turn (its text and lexicon matches) signals to the next one: refusal, hesitation, a question."""
    names = {name for name, _, _ in matches}
    return {
        "refusal": "refusal" in names,
        "hesitation": "hesitation" in names,
        "question": "?" in text,
    }


def position(i: int, n: int) -> str:
    if n == 1:
        return "only"
    if i == 0:
        return "first"
    return "last" if i == n - 1 else "middle"


def turn_keys(rows: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
    """Each sentence row's turn (`conversation_id`, `turn`): the rows the act model reads together."""
    return [(str(r["conversation_id"]), int(r.get("turn") or 0)) for r in rows]


def row_features(
    nlp: Language,
    rows: Sequence[dict[str, Any]],
    agents: dict[str, str],
    channels: dict[str, str],
    dropout: float = 0.3,
    seed: int = 0,
) -> list[dict[str, float]]:
    """One feature dict per sentence row (`conversation_id, turn, speaker, text`), with the
    context the rows give: role (when the conversation's agent is known), place in the turn,
    the other side's previous turn.

    A random `dropout` share of rows lose their role and channel, so the tagger also works on
    sentences that arrive with no context (`reciprocity tag --sentences`).
    """
    # Reuse the act tagger's matcher when the pipeline has one: building it costs more than it looks.
    matcher = nlp.get_pipe("reciprocity_acts").matcher if nlp.has_pipe("reciprocity_acts") else LexiconMatcher(nlp.vocab)
    rng = random.Random(seed)
    turns: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, key in enumerate(turn_keys(rows)):
        turns[key].append(i)
    docs = list(nlp.tokenizer.pipe(str(r["text"]) for r in rows))
    cues: dict[tuple[str, int], dict[str, bool]] = {}
    for key, idx in turns.items():
        joined = " ".join(str(rows[i]["text"]) for i in idx)
        cues[key] = turn_cues(joined, matcher(nlp.make_doc(joined)))
    out = []
    for key, idx in turns.items():
        cid, t = key
        speaker = str(rows[idx[0]]["speaker"])
        prev = turns.get((cid, t - 1))
        prev_cues = cues[(cid, t - 1)] if prev and str(rows[prev[0]]["speaker"]) != speaker else None
        agent = agents.get(cid)
        for pos, i in enumerate(idx):
            keep = rng.random() >= dropout
            ctx = Context(
                role=("agent" if same_person(speaker, agent) else "counterpart") if agent and keep else None,
                position=position(pos, len(idx)),
                channel=channels.get(cid) if keep else None,
                prev_refusal=bool(prev_cues and prev_cues["refusal"]),
                prev_hesitation=bool(prev_cues and prev_cues["hesitation"]),
                prev_question=bool(prev_cues and prev_cues["question"]),
                first_turn=t == 0,
            )
            doc = docs[i]
            whole = doc[:]
            out.append(span_features(whole, lexicon_hits(matcher(doc), [whole])[0], ctx))
    order = [i for idx in turns.values() for i in idx]
    restored: list[dict[str, float]] = [{}] * len(rows)
    for pos, i in enumerate(order):
        restored[i] = out[pos]
    return restored


POLITE_LEXICONS = ("gratitude", "deference", "hedge", "apology", "greeting")


def politeness_counts(text: str, lexicon: Sequence[str]) -> tuple[int, int]:
    """(polite, impolite) strategy counts of a sentence, after Danescu-Niculescu-Mizil et al. (2013).

    Polite: gratitude, deference, hedges, apologies, greetings, "please" inside the sentence,
    counterfactual modals ("could you", "would you"). Impolite: direct questions ("why/what
    ...?" at the start), direct starts ("so", "then", "but"), starting with "you", "please" as
    the first word, factuality ("actually", "obviously").
    """
    words = [w.strip(".,!?;:\"'()").lower() for w in fold_apostrophes(text).split()]
    words = [w for w in words if w]
    if not words:
        return 0, 0
    polite = sum(1 for name in POLITE_LEXICONS if name in lexicon)
    polite += ("please" in words[1:]) + any(a in WORDS["counterfactual"] and b in ("you", "u") for a, b in itertools.pairwise(words))
    impolite = (words[0] in WORDS["wh"] and text.rstrip().endswith("?")) + (words[0] in WORDS["direct_start"])
    impolite += (words[0] in WORDS["second_person"]) + (words[0] == "please") + any(w in WORDS["factuality"] for w in words)
    return int(polite), int(impolite)

