import pytest

from reciprocity_nlp.conversation import Conversation, Turn
from reciprocity_nlp.language import MIN_WORDS, conversation_warnings, english_warning
from reciprocity_nlp.readers import parse, read_file
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


def test_an_email_read_from_its_subject_alone_is_named_and_one_with_text_is_not():
    """An image-only email (or a CRM row with no body) is rated on its subject line alone: the warnings say so, as
    they name attached messages the reader did not read, since the ratings rest on one line."""
    html = '<html><body><img src="http://deals.example/offer.gif" alt=""></body></html>\n'
    raw = (f"From: Great Offers <offers@deals.example>\nTo: sam@mail.example\nSubject: 8 Free Movie Tickets!\n"
           f"Date: Mon, 9 Mar 2026 10:00:00 +0000\nContent-Type: text/html; charset=us-ascii\n\n{html}").encode()
    conv = parse(raw, format="eml", name="image_only.eml")
    assert conversation_warnings(conv) == ["no readable text in the email: rated on its subject line alone"]
    with_text = raw.replace(b'alt="">', b'alt="">Tickets for any film this week, two per household.')
    assert conversation_warnings(parse(with_text, format="eml", name="text.eml")) == []


@pytest.mark.parametrize("channel, fmt, what", [("email", "eml", "email"), ("call", "telegram_html", "chat"),
                                                ("call", "vtt", "transcript"), ("call", "json", "transcript")])
def test_a_conversation_cut_short_is_named_by_what_it_was_read_from(channel, fmt, what):
    """A cut email is named an email and a cut Telegram page a chat; a call is read as a chat is (channel `call`), so a
    transcript whose reader noted a cut would be named a chat: its format tells them apart."""
    conv = Conversation(id="c", channel=channel, turns=[Turn(0, "Dana", "Hi Marcus."), Turn(1, "Marcus", "Hi Dana.")],
                        metadata={"format": fmt, "cut_short": ["it stops mid-line"]})
    assert conversation_warnings(conv) == [f"{what} cut short (it stops mid-line): rated on what came before the cut"]
