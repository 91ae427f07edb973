import json
from datetime import UTC, datetime

from reciprocity_nlp import Conversation, Sentence, Turn, read
from tests.conftest import FIXTURES


def test_round_trip_keeps_everything():
    conv = Conversation(
        id="c1", channel="email", source="x.eml", metadata={"subject": "Hi", "addresses": {"Sam": "s@x.example"}},
        turns=[Turn(index=0, speaker="Sam", text="Hi there. Bye.", sent=datetime(2025, 3, 4, 9, 14, tzinfo=UTC),
                    sentences=[Sentence(0, 9), Sentence(10, 14)], metadata={"recovered_from_quote": True})],
    )
    again = Conversation.from_dict(json.loads(json.dumps(conv.to_dict())))
    assert again == conv
    assert again.turns[0].sentence_texts() == ["Hi there.", "Bye."]


def test_round_trip_of_a_read_call():
    conv = read(FIXTURES / "calls" / "voice_tags.vtt")
    assert Conversation.from_dict(conv.to_dict()) == conv
    assert conv.speakers == ["Brandon Kowalczyk", "Harpreet Singh"]
