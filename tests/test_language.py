import pytest

from reciprocity_nlp.language import MIN_WORDS, english_warning
from reciprocity_nlp.readers import read_file
from tests.conftest import FIXTURES, ROOT

LANGUAGES = FIXTURES / "languages"


def texts(path):
    [conv] = read_file(path)
    return [t.text for t in conv.turns]


@pytest.mark.parametrize("name", ["es_call.txt", "de_mail.eml"])
def test_latin_script_text_in_another_language_is_named(name):
    warning = english_warning(texts(LANGUAGES / name))
    assert warning is not None and "English function words" in warning


def test_text_in_another_script_is_named():
    warning = english_warning(texts(LANGUAGES / "zh_mail.eml"))
    assert warning is not None and "Latin alphabet" in warning


def test_an_english_agent_with_a_counterpart_who_answers_in_spanish_reads_as_english():
    assert english_warning(texts(LANGUAGES / "en_mixed_call.txt")) is None


def test_too_few_words_are_no_evidence():
    short = ["Gracias, hasta luego.", "Vale, perfecto, te llamo mañana por la tarde."]
    assert sum(len(t.split()) for t in short) < MIN_WORDS
    assert english_warning(short) is None


def test_no_conversation_in_the_corpus_or_samples_is_named():
    named = []
    for folder in ("data/conversations", "data/samples"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in {".txt", ".eml", ".mbox", ".vtt", ".srt", ".json", ".csv"}:
                for conv in read_file(path, errors="keep"):
                    if hasattr(conv, "turns") and english_warning(t.text for t in conv.turns):
                        named.append(path.name)
    assert named == []
