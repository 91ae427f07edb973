import pytest

from reciprocity_nlp import read
from reciprocity_nlp.segmentation import Segmenter
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
