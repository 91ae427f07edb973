from sklearn.base import clone

from reciprocity_nlp.boundaries import BoundaryClassifier, boundary_examples
from reciprocity_nlp.segmentation import blank_pipeline


def test_boundary_examples_mark_each_sentence_start():
    X, y = boundary_examples(blank_pipeline(), [["Hi, is that Tomasz?", "It's Jade."], ["Yes."]])
    assert y == [0, 0, 0, 1, 0, 0]  # the gaps before: is, that, tomasz, it, 's, jade (one-word turns have none)
    assert X[3]["w0=it"] == 1.0 and X[3]["p1=tomasz"] == 1.0 and X[3]["n1='s"] == 1.0


def test_boundary_classifier_follows_scikit_learn_conventions():
    model = BoundaryClassifier(C=2.0, threshold=0.4)
    assert clone(model).get_params() == {"C": 2.0, "threshold": 0.4, "n_features": 2**18}
    X, y = boundary_examples(blank_pipeline(), [["Hi there.", "How are you?"], ["Fine thanks.", "And you?"]] * 5)
    model.fit(X, y)
    assert list(model.classes_) == [0, 1] and model.predict_proba(X).shape == (len(X), 2)
    assert set(model.predict(X)) <= {0, 1}
