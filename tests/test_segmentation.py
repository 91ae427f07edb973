import pytest

from reciprocity_nlp import load, read
from reciprocity_nlp.segmentation import Segmenter, blank_pipeline, strip_punctuation, unpunctuated
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def split():
    return Segmenter().split


@pytest.mark.parametrize("text, expected", [
    ("Roles like this pay £85k, e.g. at Monzo. Mr. Smith agreed.", ["Roles like this pay £85k, e.g. at Monzo.", "Mr. Smith agreed."]),
    ("Fees are 2.5% of salary. That's it!", ["Fees are 2.5% of salary.", "That's it!"]),
    ("See https://x.example/jobs/1.html today. Or mail sam.patel@x.example.",
     ["See https://x.example/jobs/1.html today.", "Or mail sam.patel@x.example."]),
    ("Thanks so much 😊 See you Monday", ["Thanks so much 😊", "See you Monday"]),
    ("I was thinking... maybe Tuesday... Or Wednesday", ["I was thinking... maybe Tuesday...", "Or Wednesday"]),
    ("Hi Tom,\n\nAre you free? Let me know.\n\nBest,", ["Hi Tom,", "Are you free?", "Let me know.", "Best,"]),
    ("um yeah so I mean we could do that I guess", ["um yeah so I mean we could do that I guess"]),
    ('He said "fine." Then left.', ['He said "fine."', "Then left."]),
    ("The role pays 70k and sits in the platform team, which has been growing fast\nsince the spring. Interested?",
     ["The role pays 70k and sits in the platform team, which has been growing fast\nsince the spring.", "Interested?"]),
    ("Hi Sam,\nThanks for this.\nBest,\nJo", ["Hi Sam,", "Thanks for this.", "Best,", "Jo"]),
    ("Why switch:\n1. Save on every order.\n2. Free delivery.\nPS. Ends Friday.",
     ["Why switch:", "1. Save on every order.", "2. Free delivery.", "PS. Ends Friday."]),
    ("The answer is 4. Yes.", ["The answer is 4.", "Yes."]),
    ("The driver in the current release works fine on the older kernels we tested,\n2.6.18 included.",
     ["The driver in the current release works fine on the older kernels we tested,\n2.6.18 included."]),
    ("The steps we took on the build server this morning were these ones:\n1) stop the service\n2) patch",
     ["The steps we took on the build server this morning were these ones:", "1) stop the service", "2) patch"]),
    ("returns turnaround drops from five working days to three, as we agreed.\nCould you possibly sign it?",
     ["returns turnaround drops from five working days to three, as we agreed.", "Could you possibly sign it?"]),
])
def test_sentences(split, text, expected):
    assert split([text])[0] == expected


def test_offsets_point_into_the_turn():
    conv = Segmenter()(read(FIXTURES / "emails" / "gmail_quoted_qp.eml"))
    for turn in conv.turns:
        for s in turn.sentences:
            piece = turn.text[s.start:s.end]
            assert piece and piece == piece.strip()
    assert conv.turns[1].sentence_texts() == ["Hi Candice,", "I passed A311 and I'm looking at analyst roles in Cape Town."]


# --------------------------------------------------------------------------- unpunctuated speech

CALL = ("yeah hi is that tomasz it's jade from redline talent we connected on linkedin back in september "
        "have you got two minutes i've got a platform role that pays up to 85k would that be of interest")


def test_strip_punctuation_reads_like_speech_to_text():
    assert (strip_punctuation("Hi, it's Jade -- from Redline! Salary's £45,000 (ish), OK?")
            == "hi it's jade from redline salary's 45000 ish ok")
    assert strip_punctuation("'Quoted' words, don't.") == "quoted words don't"


@pytest.mark.parametrize("text, expected", [
    (CALL, True),
    ("um yeah so I mean we could do that I guess", True),
    ("so that's fine and we could do that I guess.", False),  # a full stop: the rules decide
    ("Fifty on cyber, twenty-five on E and O.", False),  # the full stop is inside the token "O."
    ("Hi Sam,\nthanks for this and for the call earlier today\nBest", False),  # line breaks already split it
    ("yeah no that works for me", False),  # too short to need splitting
])
def test_unpunctuated(text, expected):
    assert unpunctuated(blank_pipeline()(text)) is expected


def test_the_default_models_boundaries_split_unpunctuated_speech_only():
    boundaries = load().boundaries
    assert boundaries is not None
    with_model, rules = Segmenter(boundaries=boundaries).split, Segmenter().split
    pieces = with_model([CALL])[0]
    assert rules([CALL])[0] == [CALL] and len(pieces) >= 3
    assert " ".join(pieces) == CALL  # nothing lost or reordered
    punctuated = "Hi, is that Tomasz? It's Jade from Redline Talent, we connected on LinkedIn. Got two minutes"
    assert with_model([punctuated]) == rules([punctuated])
