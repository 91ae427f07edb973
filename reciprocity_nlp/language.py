"""Does a conversation read as English? The models learned English only, so ratings of text in another
language mean nothing; such a conversation is still scored (nothing is dropped) but named, so a team
does not coach on noise.

Two cheap signals, no language model to download: the share of letters in the Latin alphabet (Chinese,
Cyrillic, Arabic, ... text has few), and the share of words that are English function words ("the",
"and", "you", "to"). Running English has about half its words on spaCy's English stop list; our
training corpus has no conversation of 30 words or more below 16%. Spanish, French, German, Dutch,
Italian and Portuguese text written for the tests scores 0-8%.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from reciprocity_nlp.agent import one_speaker_warning
from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.readers.base import cut_short_warning, subject_only_warning, text_not_read_warning, unread_warning

MIN_WORDS = 30  # fewer words are no evidence either way ("Thanks, speak soon!")
MIN_FUNCTION_SHARE = 0.10
MIN_LETTERS = 60
MIN_LATIN_SHARE = 0.5

_WORD = re.compile(r"[^\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_NOT_LATIN = re.compile(r"(?=[^\W\d_])[^\x00-\u024F]")  # a letter beyond the Latin alphabets (Latin-1, Extended-A/B)


def english_warning(texts: Iterable[str]) -> str | None:
    """Why these texts do not read as English, or None when they do (or are too short to tell). Cheap on English:
    all letters are counted only when enough of them are not Latin for the share to fall below half."""
    text = "\n".join(texts)
    foreign = len(_NOT_LATIN.findall(text))
    if foreign > MIN_LETTERS * MIN_LATIN_SHARE:
        letters = len(_LETTER.findall(text))
        latin = 1 - foreign / letters
        if letters >= MIN_LETTERS and latin < MIN_LATIN_SHARE:
            return (f"does not read as English: only {latin:.0%} of its letters are in the Latin alphabet; "
                    "the model reads English only, so its ratings are unreliable")
    words = [w.lower() for w in _WORD.findall(text)]  # not text.lower(): 'İ' lowers to 'i' and a combining dot
    if len(words) < MIN_WORDS:
        return None
    share = sum(w in STOP_WORDS for w in words) / len(words)
    if share < MIN_FUNCTION_SHARE:
        return (f"does not read as English: {share:.0%} of its {len(words):,} words are English function words "
                "(English text has about half); the model reads English only, so its ratings are unreliable")
    return None


def conversation_warnings(conversation: Conversation) -> list[str]:
    """Every reason a conversation's ratings may not hold, as `Analysis.warnings` and `reciprocity read` give them:
    text not in English, a call of one speaker, an email read from its subject alone, attached messages the reader did
    not read, text of its file in no message, an email or a chat cut short."""
    found = (english_warning(t.text for t in conversation.turns), one_speaker_warning(conversation),
             subject_only_warning(conversation), unread_warning(conversation), text_not_read_warning(conversation),
             cut_short_warning(conversation))
    return [w for w in found if w]
