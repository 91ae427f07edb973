import json

import numpy as np

from reciprocity_nlp import load, read
from reciprocity_nlp.agent import CUES, guess_agent, speaker_cues
from reciprocity_nlp.agent_model import AgentClassifier, agent_examples
from reciprocity_nlp.conversation import UNKNOWN_SENDER, Conversation, Turn
from tests.conftest import ROOT


def _conv(*turns: tuple[str, str], channel: str = "call") -> Conversation:
    return Conversation(id="c", channel=channel, turns=[Turn(index=i, speaker=s, text=t) for i, (s, t) in enumerate(turns)])


def test_one_row_of_cues_per_candidate_speaker():
    conv = _conv(("Meg", "Meg speaking."), ("Josh", "Meg, it's Josh from Tidewater Digital. Did you get the SOW signed?"),
                 (UNKNOWN_SENDER, "Quoted text."), channel="email")
    cues = speaker_cues(conv)
    assert list(cues) == ["Meg", "Josh"] and all(len(row) == len(CUES) for row in cues.values())
    named = dict(zip(CUES, cues["Josh"], strict=True))
    assert named["introductions"] == 1 and named["questions"] == 1 and named["speaks_first"] == 0
    X, y = agent_examples([(conv, "Josh"), (_conv(("Sam", "Hello?")), "Sam")])
    assert y == [0, 1] and len(X) == 2  # a one-speaker conversation teaches nothing


def test_estimator_learns_and_keeps_its_parameters():
    X = [[3, 5, 2], [0, 0, 1], [2, 4, 3], [0, 1, 0]]
    model = AgentClassifier(C=0.5).fit(X, [1, 0, 1, 0])
    assert model.get_params() == {"C": 0.5} and model.n_features_in_ == 3
    assert list(model.predict(X)) == [1, 0, 1, 0] and np.allclose(model.predict_proba(X).sum(axis=1), 1)
    assert np.allclose(model.decision_function(X), model.model_.decision_function(np.asarray(X, float)))


def test_the_shipped_guess_reads_who_introduces_themselves_not_who_answers():
    model = load().agent_model
    conv = _conv(("Meg Sullivan", "Meg speaking."),
                 ("Josh Pemberton", "Meg, Josh from Tidewater Digital. Did you get the SOW signed?"),
                 ("Meg Sullivan", "Oh, hi, sorry, I've only just got back from Melbourne."),
                 ("Josh Pemberton", "No worries. Can you sign it today so we can book the shoot?"))
    assert guess_agent(conv, model) == ("Josh Pemberton", "the most agent-like speaker by the learned guess")


def test_the_shipped_guess_is_no_worse_than_the_rules_on_the_unseen_samples():
    """The twelve sample conversations were never trained on; their labels name the agent."""
    model = load().agent_model
    labels = [json.loads(line) for line in (ROOT / "data" / "sample_labels" / "labels.jsonl").read_text().splitlines()]
    convs = [(read(ROOT / "data" / "sample_labels" / row["path"]), row["agent"]) for row in labels]
    learned = sum(guess_agent(c, model)[0] == agent for c, agent in convs)
    rules = sum(guess_agent(c)[0] == agent for c, agent in convs)
    assert learned >= rules
