import pickle

import numpy as np
import pytest
import spacy

from reciprocity_nlp import ACTS, load
from reciprocity_nlp.acts import ActClassifier, neighbour_matrix
from reciprocity_nlp.features import Context


@pytest.fixture(scope="module")
def analyzer():
    return load()


def test_component_sets_acts_on_spans(analyzer):
    doc = analyzer.nlp("Thanks for the time. Can you send me your CV today? It pays 80k.")
    acts = [s._.rn_act for s in doc.sents]
    assert len(acts) == 3 and doc._.rn_acts == acts
    for span in doc.sents:
        assert set(span._.rn_act_probs) == set(ACTS)
        assert abs(sum(span._.rn_act_probs.values()) - 1) < 1e-6
        assert span._.rn_act == max(span._.rn_act_probs, key=span._.rn_act_probs.get)


def test_components_join_your_own_pipeline_and_survive_to_disk_and_spacy_load(analyzer, tmp_path):
    from spacy.tokens import Doc, Span

    if not Span.has_extension("act"):  # a pipeline's own `act` (a dialogue-act tagger, say) is left alone
        Span.set_extension("act", default="theirs")
    nlp = spacy.blank("en")
    for name in ("reciprocity_sentences", "reciprocity_acts"):
        nlp.add_pipe(name, source=analyzer.nlp)
    text = "Thanks for the time. Can you send me your CV today? It pays 80k."
    doc = nlp(text)
    assert doc._.rn_acts == analyzer.nlp(text)._.rn_acts and all(type(a) is str for a in doc._.rn_acts)
    assert {s._.act for s in doc.sents} == {"theirs"}
    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "reciprocity_acts" / "acts.skops").exists()
    assert spacy.load(tmp_path / "pipeline")(text)._.rn_acts == doc._.rn_acts
    # the getter pickles, so `nlp.pipe(n_process=...)` works under the spawn start method too
    _, _, getter, _ = pickle.loads(pickle.dumps(Doc.get_extension("rn_acts")))
    assert getter(doc) == doc._.rn_acts


def test_whitespace_only_sentences_have_no_act_in_the_docs_list(analyzer):
    doc = analyzer.nlp("Thanks.\n\n\n   \nWhere else are you interviewing?")
    assert None not in doc._.rn_acts and len(doc._.rn_acts) == 2


@pytest.mark.parametrize("text, act", [
    ("Can you send me your CV today?", "push"),
    ("I need an answer by 5pm or it goes to someone else.", "push"),
    ("Where else are you interviewing at the moment?", "extract_info"),
    ("What's your current salary?", "extract_info"),
    ("We're the number one agency in the North West.", "pitch"),
    ("This is an incredible, once-in-a-lifetime opportunity!", "pitch"),
    ("Roles like this are paying 75-85k in Leeds right now.", "give_value"),
    ("Thanks for making time on a Friday.", "rapport"),
    ("That sounds like a tough few months, I'm sorry.", "rapport"),
    ("OK.", "other"),
])
def test_label_guide_examples(analyzer, text, act):
    # The examples of LABELS.md, tagged as single units by the shipped model.
    probs = analyzer.tag_rows([{"text": text}])[0]
    assert max(probs, key=probs.get) == act, probs


def push_probability(analyzer, text, context):
    doc = analyzer.nlp.make_doc(text)
    doc._.rn_context = context
    for _, component in analyzer.nlp.pipeline:
        doc = component(doc)
    return next(iter(doc.sents))._.rn_act_probs["push"]


def test_an_agent_pressing_after_a_refusal_reads_as_more_of_a_push(analyzer):
    text = "Are you sure you won't reconsider?"
    assert push_probability(analyzer, text, Context(role="agent", prev_refusal=True)) > push_probability(
        analyzer, text, Context(role="counterpart"))


def test_component_without_model_says_so():
    from reciprocity_nlp.analysis import build_pipeline

    nlp = build_pipeline()
    with pytest.raises(ValueError, match="has no model"):
        nlp("Hello there.")


def test_numeric_dict_vectorizer_matches_scikit_learns():
    from sklearn.feature_extraction import DictVectorizer

    from reciprocity_nlp.acts import NumericDictVectorizer

    train = [{"w=send": 1.0, "b=<s>_send": 1.0, "len=1-3": 1.0}, {"w=thanks": 2.0, "pron=you": 3.0}, {"empty": 1.0}]
    new = [{"w=send": 1.0, "unseen": 5.0, "pron=you": 1.0}, {}, {"w=thanks": 0.5, "len=1-3": 1.0}]
    ours, theirs = NumericDictVectorizer().fit(train), DictVectorizer().fit(train)
    assert ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    assert (ours.transform(new) != theirs.transform(new)).nnz == 0
    assert (ours.fit_transform(train) != theirs.fit_transform(train)).nnz == 0
    assert (NumericDictVectorizer(sparse=False).fit(train).transform(new) == theirs.transform(new).toarray()).all()


def test_neighbour_matrix_links_rows_of_the_same_turn_in_order():
    P = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5], [0.6, 0.4]])
    Z = neighbour_matrix(P, ["t1", "t2", "t1", "t1"])
    prev, nxt, first, last = Z[:, 2:4], Z[:, 4:6], Z[:, 6], Z[:, 7]
    assert np.allclose(Z[:, :2], np.log(P + 1e-4))
    assert np.allclose(prev[2], P[0]) and np.allclose(nxt[0], P[2]) and np.allclose(nxt[2], P[3])
    assert np.allclose(prev[0], 0) and np.allclose(nxt[3], 0) and np.allclose(prev[1], 0) and np.allclose(nxt[1], 0)
    assert list(first) == [1, 1, 0, 0] and list(last) == [0, 1, 0, 1]
    assert np.allclose(neighbour_matrix(P, None)[:, 2:6], 0)


def test_act_classifier_reads_the_next_sentence_in_the_turn():
    # "ok" is act a when a question follows it in the same turn and b when it stands alone:
    # only the turn context can tell them apart.
    X, y, turns = [], [], []
    for t in range(80):
        if t % 2:
            X += [{"w=ok": 1.0}, {"w=where": 1.0, "form=question": 1.0}]
            y += ["a", "q"]
            turns += [t, t]
        else:
            X.append({"w=ok": 1.0})
            y.append("b")
            turns.append(t)
    model = ActClassifier().fit(X, y, turns)
    assert list(model.classes_) == ["a", "b", "q"]
    test = [{"w=ok": 1.0}, {"w=where": 1.0, "form=question": 1.0}, {"w=ok": 1.0}]
    proba = model.predict_proba(test, ["x", "x", "y"])
    assert proba.shape == (3, 3) and np.allclose(proba.sum(axis=1), 1)
    assert list(model.predict(test, ["x", "x", "y"])) == ["a", "q", "b"]


def test_saving_a_component_without_its_model_leaves_no_old_model_behind(analyzer, tmp_path):
    with_model = spacy.blank("en")
    with_model.add_pipe("reciprocity_sentences", source=analyzer.nlp)
    with_model.to_disk(tmp_path)
    without = spacy.blank("en")
    without.add_pipe("reciprocity_sentences")
    without.to_disk(tmp_path)
    assert spacy.load(tmp_path).get_pipe("reciprocity_sentences").boundaries is None
