import spacy

from reciprocity_nlp.features import Context, LexiconMatcher, lexicon_hits, position, row_features, span_features

NLP = spacy.blank("en")
MATCHER = LexiconMatcher(NLP.vocab)


def feats(text, **ctx):
    doc = NLP.make_doc(text)
    return span_features(doc[:], lexicon_hits(MATCHER(doc), [doc[:]])[0], Context(**ctx))


def test_question_forms_and_politeness():
    f = feats("Could you please send me your CV by Friday?")
    assert f["form=question"] == 1 and f["form=modal_you"] == 1
    assert f["polite=counterfactual"] == 1 and f["polite=please"] == 1
    assert f["lex=urgency"] >= 1 and f["lex=please"] == 1 and "lex=pleading" not in f
    assert f["first=could"] == 1 and f["pron=you"] == 2


def test_imperative_numbers_money_and_hype():
    f = feats("Send it over, it's the best role in Leeds at £85k!")
    assert f["form=imperative"] == 1 and f["form=exclaim"] == 1
    assert f["num"] == 1 and f["money"] == 1 and f["lex=hype"] >= 1


def test_the_verb_a_modal_request_asks_for():
    # "could you (please, possibly be able to) <verb>": the verb tells action (push) from information.
    f = feats("Would you possibly be able to send the signed contract today?")
    assert f["req=send"] == 1 and f["req=action"] == 1
    f = feats("Could you tell me your notice period?")
    assert f["req=tell"] == 1
    info = feats("Could you explain the bonus structure?")
    assert info["req=explain"] == 1 and "req=action" not in info
    assert not any(k.startswith("req=") for k in feats("Can you?"))
    assert not any(k.startswith("req=") for k in feats("I could send it over."))


def test_imperatives_after_discourse_words():
    for text in ("So also send your CV over.", "Okay, just book the room.", "Check your inbox."):
        assert feats(text)["form=imperative"] == 1, text
    for text in ("Thank you so much.", "See you on Friday.", "Send it over?", "I'll send it over."):
        assert "form=imperative" not in feats(text), text


def test_impersonal_sentences_are_marked():
    # Pitch speaks for the speaker or to the reader; prose about third parties names neither.
    assert feats("Winter temperatures of -20C are common in the north.")["pron=none"] == 1
    for text in ("We are the best agency in the North.", "Our rates are unbeatable.", "Your next move starts here!"):
        assert "pron=none" not in feats(text)


def test_context_features():
    f = feats("Just checking in again.", role="agent", position="first", channel="email", prev_refusal=True)
    assert f["role=agent"] == 1 and f["pos=first"] == 1 and f["channel=email"] == 1 and f["prev=refusal"] == 1
    assert "role=agent" not in feats("Just checking in again.")


def test_contractions_in_lexicon_phrases_match_tokens():
    assert feats("That's tough, I'm sorry to hear it.")["lex=personal"] >= 1


def test_typographic_apostrophes_give_the_same_features():
    straight = "Don't wait, I'm begging you, let's sign today. It won't last!"
    curly = straight.replace("'", "\u2019")
    assert feats(curly) == feats(straight)
    assert feats(curly)["lex=pleading"] >= 1 and feats(curly)["form=imperative"] == 1


def test_position():
    assert [position(i, 3) for i in range(3)] == ["first", "middle", "last"] and position(0, 1) == "only"


def test_row_features_use_the_previous_turn():
    rows = [
        {"conversation_id": "c", "turn": 0, "speaker": "Ann", "text": "No, I'm not interested."},
        {"conversation_id": "c", "turn": 1, "speaker": "Bo", "text": "Just give it a go."},
        {"conversation_id": "c", "turn": 1, "speaker": "Bo", "text": "Please?"},
    ]
    f = row_features(NLP, rows, {"c": "Bo"}, {"c": "call"}, dropout=0.0)
    assert f[1]["prev=refusal"] == 1 and f[1]["role=agent"] == 1 and f[1]["pos=first"] == 1
    assert f[2]["pos=last"] == 1 and f[0]["role=counterpart"] == 1


def test_a_labelled_row_whose_speaker_is_a_short_form_of_the_agent_is_the_agents():
    rows = [{"conversation_id": "c", "turn": 0, "speaker": "Sophie", "text": "Which agencies are you with?"},
            {"conversation_id": "c", "turn": 1, "speaker": "GRACE  O'NEILL", "text": "Two of them."}]
    f = row_features(NLP, rows, {"c": "Sophie Hale"}, {"c": "call"}, dropout=0.0)
    assert f[0]["role=agent"] == 1 and f[1]["role=counterpart"] == 1
    g = row_features(NLP, rows, {"c": "Grace O'Neill"}, {"c": "call"}, dropout=0.0)
    assert g[1]["role=agent"] == 1 and g[0]["role=counterpart"] == 1


def test_the_object_a_request_asks_for():
    # The verb cannot tell "send me your CV" (an action) from "send me your salary details" (a fact).
    assert feats("Can you send me your CV today?")["req_obj=cv"] == 1
    assert feats("Could you send me your salary details?")["req_obj=salary"] == 1
    assert feats("So also send your CV over.")["req_obj=cv"] == 1
    assert not any(k.startswith("req_obj=") for k in feats("I could send it over."))
