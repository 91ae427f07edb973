from reciprocity_nlp.ratings import TaggedSentence
from reciprocity_nlp.reciprocity import speaker_metrics


def s(turn, speaker, act, p=1.0):
    probs = dict.fromkeys(("give_value", "extract_info", "push", "pitch", "rapport", "other"), 0.0)
    probs[act] = p
    return TaggedSentence(turn, speaker, "x", 0, 1, act, p, probs, "agent" if speaker == "A" else "counterpart")


def test_metrics():
    sentences = [s(0, "A", "give_value"), s(0, "A", "extract_info"), s(1, "C", "extract_info"), s(2, "A", "give_value"),
                 s(3, "C", "extract_info"), s(4, "A", "push")]
    m = speaker_metrics(sentences, "A")
    assert m["value_given"] == 2 and m["info_asked"] == 1 and m["actions_asked"] == 1
    assert m["gave_before_asking"] is True
    assert m["questions_answered"] == 0.5  # answered turn 1, not turn 3
    assert m["reciprocity_index"] == 0.5
    c = speaker_metrics(sentences, "C")
    assert c["gave_before_asking"] is False and c["reciprocity_index"] == 0.0 and c["questions_answered"] == 0.0


def test_silent_speaker():
    m = speaker_metrics([s(0, "A", "other")], "A")
    assert m["reciprocity_index"] is None and m["gave_before_asking"] is None and m["questions_answered"] is None
