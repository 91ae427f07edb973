"""The benchmark scripts import: they run outside the suite, so a name they use that the package no
longer has would otherwise go unnoticed until someone measures (as `merge_turns` once did)."""

import importlib.util
import json

import numpy as np
import pytest

from reciprocity_nlp.labels import LABELS
from reciprocity_nlp.ratings import AgentRater
from tests.conftest import ROOT

SCRIPTS = sorted((ROOT / "benchmarks").glob("*.py"))


def load(script):
    """A benchmark script as a module."""
    spec = importlib.util.spec_from_file_location(f"benchmark_{script.stem}", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_benchmark_script_imports(script, monkeypatch):
    monkeypatch.syspath_prepend(str(script.parent))  # as when run: a script's own folder is on the path
    assert callable(load(script).main)


rule = load(ROOT / "benchmarks" / "model_rule.py")


def figures_file(path, acts=0.8314, nested=0.9171, auc=0.9892, ids=("b1-001", "b1-002"), **fields):
    """A hand-made figures JSON with the three figures the rule judges."""
    found = {"folds": 5, "seed": 0, "nested_seeds": [0, 1, 2], "ids": list(ids), "acts": {"oof_macro_f1": acts},
             "ratings": {"nested_macro_f1_mean": nested, "oof_roc_auc": auc}} | fields
    path.write_text(json.dumps(found))
    return path


def verdict(tmp_path, capsys, **candidate):
    """The exit code of `compare` on the default base and a candidate with `candidate`'s figures, its lines after
    the heading, and what it said on stderr."""
    code = rule.main(["compare", str(figures_file(tmp_path / "base.json")),
                      str(figures_file(tmp_path / "candidate.json", **candidate))])
    said = capsys.readouterr()
    return code, said.out.splitlines()[1:], said.err


def test_model_rule_passes_a_candidate_no_worse_and_prints_each_criterion(tmp_path, capsys):
    code, lines, _ = verdict(tmp_path, capsys, acts=0.8320, nested=0.9171, auc=0.9880)
    assert code == 0 and len(lines) == 3 and all(line.endswith("PASS") for line in lines)
    assert lines[0].split() == ["out-of-fold", "act", "macro-F1", "base", "0.8314", "candidate", "0.8320",
                                "difference", "+0.0006", "(may", "fall", "by", "0.003)", "PASS"]
    assert "difference -0.0012" in lines[2]


@pytest.mark.parametrize("criterion, candidate", [
    (0, {"acts": 0.8283}), (1, {"nested": 0.9140}), (2, {"auc": 0.9871}),
])
def test_model_rule_fails_a_candidate_that_falls_too_far_on_any_one_criterion(tmp_path, capsys, criterion, candidate):
    code, lines, _ = verdict(tmp_path, capsys, **candidate)
    assert code == 1
    assert [line.endswith("FAIL") for line in lines] == [i == criterion for i in range(3)]


@pytest.mark.parametrize("candidate", [{"acts": 0.8284}, {"nested": 0.9141}, {"auc": 0.9872}])
def test_model_rule_passes_a_fall_of_exactly_the_tolerance(tmp_path, capsys, candidate):
    """0.8284 - 0.8314 is -0.0030000000000000027 in floating point: judged at four decimals, it is the tolerance."""
    code, lines, _ = verdict(tmp_path, capsys, **candidate)
    assert code == 0 and all(line.endswith("PASS") for line in lines)


@pytest.mark.parametrize("candidate, message", [
    ({"ids": ("b1-001", "b1-002", "b9-001")}, "cover 3 conversations, the base's 2: 0 of the base's are not covered (), "
                                              "1 others are (b9-001); measure the candidate with --only BASE.json"),
    ({"ids": ("b1-001",)}, "1 of the base's are not covered (b1-002), 0 others are ()"),
    ({"nested_seeds": [0]}, "nested_seeds differ: [0, 1, 2] in the base, [0] in the candidate"),
])
def test_model_rule_refuses_figures_over_other_conversations_or_folds(tmp_path, capsys, candidate, message):
    code, lines, err = verdict(tmp_path, capsys, **candidate)
    assert code == 2 and lines == []
    assert "candidate.json: cannot be compared with" in err and message in err


def test_model_rule_reads_ids_one_a_line_or_from_a_figures_file(tmp_path):
    (tmp_path / "ids.txt").write_text("b1-001\n\n b1-002 \n")
    assert rule.read_ids(tmp_path / "ids.txt") == rule.read_ids(figures_file(tmp_path / "base.json")) == {"b1-001", "b1-002"}
    (tmp_path / "empty.txt").write_text("\n")
    with pytest.raises(SystemExit, match=r"empty.txt: no conversation ids"):
        rule.read_ids(tmp_path / "empty.txt")


def test_model_rule_act_figures_cover_all_sentences_and_the_chosen_conversations():
    rows = [{"conversation_id": c, "act": a} for c, a in (("x", "push"), ("x", "rapport"), ("y", "push"), ("y", "rapport"))]
    found = rule.act_figures(rows, ["push", "rapport", "rapport", "rapport"], {"x"})
    assert found["sentences"] == 2 and found["sentences_all"] == 4
    assert found["oof_macro_f1"] == 1.0 and found["oof_macro_f1_all"] < 1.0


def synthetic_ratings(n=60, seed=0):
    """Features that tell five labels apart, noisily, and the labels: a rater learns them, but not perfectly."""
    rng = np.random.default_rng(seed)
    Y = (rng.random((n, len(LABELS))) < 0.4).astype(int)
    X = np.hstack([Y + rng.normal(0, 0.8, Y.shape), rng.normal(0, 1, (n, 3))])
    return X, Y, [f"c{i:02d}" for i in range(n)]


def test_nested_flags_choose_thresholds_without_the_held_out_folds_labels():
    """Each outer fold's flags must not move when that fold's own labels change: its thresholds come from the
    outer training part alone. Choosing them on all out-of-fold predictions, or on the held-out fold's, fails this."""
    from reciprocity_nlp.training import _rating_folds

    X, Y, keys = synthetic_ratings()
    folds = _rating_folds(Y, rule.FOLDS, keys, 0)
    flags = rule.nested_flags(X, Y, folds, keys, seed=0)
    assert flags.shape == Y.shape and 0.5 < (flags == Y).mean() < 1  # learned, and not told the answers
    for _, held in folds[:2]:
        changed = Y.copy()
        changed[held] = 1 - changed[held]
        assert rule.nested_flags(X, changed, folds, keys, seed=0)[held].tolist() == flags[held].tolist()


def saved_model(tmp_path, X, Y, keys, names):
    """A model folder holding what `rater` reads: the card's rater features and act figure, and training/ratings.npz."""
    (tmp_path / "training").mkdir()
    np.savez_compressed(tmp_path / "training" / "ratings.npz", X=X, Y=Y, ids=np.array(keys))
    card = {"rater_features": names, "metrics": {"acts_cv": {"macro_f1": 0.8323}}}
    (tmp_path / "model.json").write_text(json.dumps(card))
    return tmp_path


def test_model_rule_rater_fails_leaving_out_features_that_carry_the_labels_and_passes_leaving_out_a_constant(
        tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(rule, "NESTED_SEEDS", (0,))  # one shuffle: this is about the command, not the nesting
    X, Y, keys = synthetic_ratings()
    X = np.hstack([X, np.zeros((len(X), 1))])
    names = [f"label_{j}" for j in range(len(LABELS))] + ["noise_0", "noise_1", "noise_2", "constant"]
    model = saved_model(tmp_path, X, Y, keys, names)
    assert rule.main(["rater", "--model", str(model), "--drop", "label_0", "label_1"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"on {model}'s 60 rated conversations, without label_0, label_1:"
    assert lines[1].endswith("difference +0.0000  (may fall by 0.003)  PASS")  # the tagger is untouched
    assert lines[2].endswith("FAIL") and lines[3].endswith("FAIL")
    assert rule.main(["rater", "--model", str(model), "--drop", "constant"]) == 0  # the same rater, so no fall
    assert capsys.readouterr().out.count("difference +0.0000") == 3


def test_model_rule_rater_judges_a_rater_with_other_parameters(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(rule, "NESTED_SEEDS", (0,))
    X, Y, keys = synthetic_ratings()
    model = saved_model(tmp_path, X, Y, keys, [f"f{j}" for j in range(X.shape[1])])
    assert rule.main(["rater", "--model", str(model), "--C", "0.0001"]) == 1  # regularised to near constant
    assert capsys.readouterr().out.splitlines()[0] == f"on {model}'s 60 rated conversations, C=0.0001:"
    default = AgentRater()
    assert rule.main(["rater", "--model", str(model), "--bound", str(default.bound), "--C", str(default.C)]) == 0
    assert capsys.readouterr().out.count("difference +0.0000") == 3  # the defaults again: the same rater
    with pytest.raises(SystemExit):
        rule.main(["rater", "--model", str(model)])


def test_model_rule_rater_names_a_feature_the_model_does_not_have(tmp_path):
    X, Y, keys = synthetic_ratings()
    model = saved_model(tmp_path, X, Y, keys, [f"f{j}" for j in range(X.shape[1])])
    with pytest.raises(SystemExit, match=r"no rater feature 'lex_bogus'"):
        rule.main(["rater", "--model", str(model), "--drop", "lex_bogus"])
