"""Training on a small slice of data/ (so the test stays quick): API, CLI, --base, errors."""

import json
import os
import re
import shutil

import pytest

from reciprocity_nlp import TrainingDataError, load, train
from reciprocity_nlp.cli import main
from reciprocity_nlp.evaluation import act_metrics
from reciprocity_nlp.persistence import DEFAULT_MODEL, OTHER_TAGGER, load_training_data
from tests.conftest import ROOT

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """40 labelled conversations (30 train, 5 dev, 5 test) and their acts, from two batches."""
    folder = tmp_path_factory.mktemp("small")
    rows = [json.loads(line) for line in (DATA / "conversations" / "labels.jsonl").read_text().splitlines()]
    picked = [r for r in rows if r["conversation_id"].startswith(("b2-", "b5-"))][:40]
    for i, r in enumerate(picked):
        r["path"] = str(DATA / "conversations" / r["path"])
        r["split"] = "test" if i % 8 == 7 else "dev" if i % 8 == 6 else "train"
    (folder / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in picked))
    ids = {r["conversation_id"] for r in picked}
    acts = [line for b in ("b2", "b5") for line in (DATA / "acts" / f"{b}.jsonl").read_text().splitlines()
            if json.loads(line)["conversation_id"] in ids]
    (folder / "acts.jsonl").write_text("\n".join(acts) + "\n")
    return folder


def test_train_both_parts_with_held_out_test(small, capsys):
    analyzer = train(acts=small / "acts.jsonl", conversations=small / "labels.jsonl", cv=3)
    out = capsys.readouterr().out
    assert "acts, 3-fold cross-validation" in out and "ratings, 3-fold cross-validation" in out
    assert "confusion (rows: true, columns: predicted)" in out
    card = analyzer.card
    assert card["threshold_source"] == "out-of-fold predictions"
    assert card["metrics"]["test"]["acts"]["n"] > 0 and card["metrics"]["test"]["ratings"]["n"] == 5
    assert card["n_conversations"] == 35
    assert card["rater_params"] == {"C": 0.3, "bound": 2.0, "calibration_cv": 5}  # the rater as fitted, on its card
    assert all(0.15 <= t <= 0.85 for t in analyzer.thresholds.values())
    assert analyzer.boundaries is not None and card["metrics"]["test"]["boundaries"]["support"] > 0
    assert "sentence starts in the test split's turns" in out
    assert analyzer.agent_model is not None and card["metrics"]["test"]["agent"]["n"] == 5
    assert "agent guessed right in the test split (no agent given): learned" in out
    # calibration of the out-of-fold and the test probabilities, printed and in the card
    for kind in ("acts_cv", "ratings_cv"):
        assert 0 < card["metrics"][kind]["calibration"]["brier" if kind == "acts_cv" else "macro_brier"] < 1
    test = card["metrics"]["test"]
    assert sum(r["count"] for r in test["acts"]["calibration"]["reliability"]) == test["acts"]["n"]
    assert sum(r["count"] for r in test["ratings"]["calibration"]["per_label"]["pushy"]["reliability"]) == 5
    assert out.count("top-label ECE") == 2 and out.count("chance  base rate  mean p") == 2
    # progress between the tables, each step with its seconds
    for step in (r"sentence-boundary model fitted on [\d,]+ labelled sentences", r"acts: features of [\d,]+ sentences computed",
                 *(rf"acts: fold {f} of 3 fitted, its \d+ rated conversations tagged for the rater" for f in (1, 2, 3)),
                 r"acts: final tagger fitted on [\d,]+ sentences", *(rf"ratings: fold {f} of 3 fitted" for f in (1, 2, 3)),
                 "ratings: final rater fitted on 35 conversations"):
        assert re.search(rf"^{step} \(\d+ s\)$", out, re.M), step
    assert "so a little optimistic; the held-out test split is the fair figure)" in out
    # each training act row's out-of-fold act, the one the card's figure scores (benchmarks/model_rule.py reads them)
    rows = analyzer.training_data["act_rows"]
    assert len(analyzer.out_of_fold_acts) == len(rows) == card["n_act_sentences"]
    scored = act_metrics([r["act"] for r in rows], analyzer.out_of_fold_acts, [r["conversation_id"] for r in rows])
    assert scored["macro_f1"] == card["metrics"]["acts_cv"]["macro_f1"]
    assert scored["confusion"] == card["metrics"]["acts_cv"]["confusion"]


def test_cli_train_writes_a_model_and_card_then_evaluate(small, tmp_path, capsys):
    out = tmp_path / "model"
    assert main(["train", "--acts", str(small / "acts.jsonl"), "--out", str(out), "--cv", "0"]) == 0
    card = json.loads((out / "model.json").read_text())
    assert card["n_act_sentences"] > 500 and "date" in card and str(small / "acts.jsonl") in card["data"]
    assert (out / "acts.skops").exists() and (out / "boundaries.skops").exists()
    assert (out / "training" / "acts.jsonl.gz").exists()
    assert card["parts"] == {"tagger": "trained here", "rater": "from the shipped default model",
                             "agent guess": "from the shipped default model", "sentence boundaries": "trained here"}
    assert "the rater and its thresholds come from the shipped default model" in capsys.readouterr().out
    assert main(["evaluate", "--model", str(out), "--acts", str(small / "acts.jsonl")]) == 0
    printed = capsys.readouterr().out
    assert "macro-F1" in printed and f"acts from {small / 'acts.jsonl'}" in printed and "ratings from" not in printed
    # against the shipped model on the same sentences: the difference is the two macro-F1s' and lies in its interval
    assert main(["evaluate", "--model", str(out), "--against", "default",  # the shipped model, wherever installed
                 "--acts", str(small / "acts.jsonl"), "--json"]) == 0
    printed = capsys.readouterr()
    assert f"F1 differences, new - old (new model ({out}) - old model ({ROOT / 'models' / 'default'}))" in printed.err
    result = json.loads(printed.out)
    d, low, high = result["difference"]["acts"]["macro_f1"]
    assert d == pytest.approx(result["new"]["acts"]["macro_f1"] - result["old"]["acts"]["macro_f1"], abs=1e-3)
    assert low <= d <= high and set(result["difference"]["acts"]) == {"give_value", "extract_info", "push", "pitch",
                                                                       "rapport", "other", "macro_f1"}


def test_evaluate_json_has_calibration(small, capsys):
    assert main(["evaluate", "--acts", str(small / "acts.jsonl"), "--conversations", str(small / "labels.jsonl"),
                 "--json"]) == 0
    printed = capsys.readouterr()
    result = json.loads(printed.out)
    acts, ratings = result["acts"]["calibration"], result["ratings"]["calibration"]
    assert set(acts) == {"brier", "brier_ci", "ece", "chance_ece", "confidence", "reliability", "binning"}
    assert set(ratings) == {"per_label", "macro_brier", "macro_brier_ci", "macro_ece", "macro_chance_ece", "binning"}
    assert list(ratings["per_label"]) == ["pushy", "salesy", "transactional", "selfish", "desperate"]
    labels = [json.loads(line) for line in (small / "labels.jsonl").read_text().splitlines()]
    for label, v in ratings["per_label"].items():
        assert set(v) == {"brier", "brier_ci", "ece", "chance_ece", "base_rate", "mean_predicted", "reliability"}
        assert v["base_rate"] == round(sum(r[label] for r in labels) / 40, 4)
        assert v["brier_ci"][0] <= v["brier"] <= v["brier_ci"][1] and 0 <= v["ece"] <= 1
        rows = v["reliability"]
        assert sum(r["count"] for r in rows) == 40 and all(set(r) == {"bin", "mean_predicted", "observed", "count"} for r in rows)
        assert all(r["bin"][0] <= r["mean_predicted"] <= r["bin"][1] for r in rows)
    assert ratings["macro_brier"] == round(sum(v["brier"] for v in ratings["per_label"].values()) / 5, 4)
    assert 1 / 6 <= acts["confidence"] <= 1 and acts["reliability"][-1]["bin"][1] <= 1.0
    assert "top-label ECE" in printed.err and "chance  base rate  mean p" in printed.err


def test_base_adds_the_base_models_data(small, tmp_path):
    base = train(acts=small / "acts.jsonl", cv=0)
    base.save(tmp_path / "base")
    team = tmp_path / "team.csv"
    team.write_text("conversation_id,turn,speaker,text,act\nt1,0,Sam,Our platform is simply the best.,pitch\n"
                    "t1,1,Jo,How much is it?,extract_info\n")
    said = []
    combined = train(acts=team, base=tmp_path / "base", cv=0, log=said.append)
    assert combined.card["n_act_sentences"] == base.card["n_act_sentences"] + 2
    assert f"--base: training on the base model's {base.card['n_act_sentences']:,} act rows and yours, 2 act rows\n" in said
    assert (combined.card["cv"], combined.card["seed"]) == (0, 0)  # how it was trained, on its card
    combined.save(tmp_path / "combined")
    team.write_text("conversation_id,turn,speaker,text,act\nt1,0,Sam,Our platform is simply the best.,pitch\n")
    relabelled = train(acts=team, base=tmp_path / "combined", cv=0)  # t1 again, now one sentence: it replaces
    assert relabelled.card["n_act_sentences"] == base.card["n_act_sentences"] + 1
    assert combined.rater is not None and combined.thresholds  # ratings part reused from the base


def test_a_base_without_training_data_is_refused_and_a_loaded_model_saved_elsewhere_keeps_its_data(small, tmp_path):
    team = tmp_path / "team.csv"
    team.write_text("conversation_id,turn,speaker,text,act\nt1,0,Sam,Our platform is simply the best.,pitch\n")
    loaded = load(DEFAULT_MODEL)
    loaded.save(tmp_path / "copy")  # loaded, then saved: its training data goes along
    assert {p.name for p in (tmp_path / "copy" / "training").iterdir()} == {
        p.name for p in (DEFAULT_MODEL / "training").iterdir()}
    assert len(load_training_data(tmp_path / "copy")["Y"]) == len(load_training_data(DEFAULT_MODEL)["Y"])
    (tmp_path / "bare").mkdir()
    for f in (tmp_path / "copy").iterdir():
        if f.is_file():
            (tmp_path / "bare" / f.name).write_bytes(f.read_bytes())
    with pytest.raises(TrainingDataError, match="bare: this model keeps no training data"):
        train(acts=team, base=tmp_path / "bare", cv=0, trust=True)


def test_a_model_keeps_the_data_of_the_parts_it_took_from_its_base_and_names_the_base(small, tmp_path):
    """A part not trained here comes with its data, so the next --base builds on it; the card traces each base."""
    shipped = load_training_data(DEFAULT_MODEL)
    base = train(acts=small / "acts.jsonl", cv=0)  # its rater is the shipped model's
    assert len(base.training_data["Y"]) == len(shipped["Y"]) and len(base.training_data["agent_y"]) == len(shipped["agent_y"])
    # those rating rows are the shipped tagger's, not this tagger's: a rater must not be fitted on them for it
    base.save(tmp_path / "base")
    assert json.loads((tmp_path / "base" / "training" / "context.json").read_text())[OTHER_TAGGER] is True
    with pytest.raises(TrainingDataError, match=rf"{tmp_path}/base: this model's tagger was trained without its rater, "
                                                rf"so the {len(shipped['Y'])} rated conversations it keeps have features "
                                                r"another model's tagger computed, .* train the tagger and the rater in one "
                                                r"run instead, .* \(--acts and --conversations\), with no --base, as its "
                                                r"tagger was trained"):
        train(conversations=inline_ratings(tmp_path / "labels.jsonl"), base=tmp_path / "base", cv=0)
    rated = train(conversations=inline_ratings(tmp_path / "labels.jsonl"), base=DEFAULT_MODEL, cv=0)
    assert len(rated.training_data["act_rows"]) == len(shipped["act_rows"])  # the base's tagger and its data
    default = load(DEFAULT_MODEL)
    assert rated.card["base"] == {"folder": str(DEFAULT_MODEL.resolve()), "date": default.card["date"],
                                  "reciprocity-nlp": default.card["versions"]["reciprocity-nlp"],
                                  "data": default.card["data"]}
    rated.save(tmp_path / "rated")
    said = []
    again = train(conversations=tmp_path / "labels.jsonl", base=tmp_path / "rated", cv=0, log=said.append)
    assert again.card["base"]["base"] == rated.card["base"]
    # the same 8 conversations again: they replace the base's copies instead of counting twice
    assert again.card["n_conversations"] == rated.card["n_conversations"] == len(shipped["Y"]) + 8
    assert len(again.training_data["agent_y"]) == len(rated.training_data["agent_y"])
    assert any("replace the base model's for 0 conversations with acts and 8 rated conversations" in s for s in said)


def test_a_model_trained_on_acts_and_ratings_in_one_run_keeps_its_own_rating_rows(tmp_path, capsys):
    """The advised way to refit the rater to a new tagger: no mark, so a later ratings-only run on it is fine; and
    a base's rating rows beside the new tagger's are said to be its own taggers'."""
    acts = tmp_path / "acts.csv"
    rows = [f"c{c},{n},Sam,Sentence {n} of c{c}.,{act}" for c in range(8) for n, act in
            enumerate(["give_value", "extract_info", "push", "rapport", "other", "pitch"])]
    acts.write_text("conversation_id,turn,speaker,text,act\n" + "\n".join(rows) + "\n")
    both = train(acts=acts, conversations=inline_ratings(tmp_path / "labels.jsonl"), cv=0)
    assert both.card["parts"]["rater"] == "trained here" and OTHER_TAGGER not in both.training_data
    both.save(tmp_path / "both")
    assert OTHER_TAGGER not in json.loads((tmp_path / "both" / "training" / "context.json").read_text())
    others = tmp_path / "others.jsonl"  # 8 other conversations: the base's 8 stay beside them
    others.write_text((tmp_path / "labels.jsonl").read_text().replace('"conversation_id": "c', '"conversation_id": "d'))
    capsys.readouterr()
    again = train(acts=acts, conversations=others, base=tmp_path / "both", cv=0)
    assert again.card["n_conversations"] == 16
    assert ("ratings: the base model's 8 rated conversations keep the features its own taggers computed (out of fold), "
            "not recomputed by the new tagger") in capsys.readouterr().out
    rerated = train(conversations=tmp_path / "labels.jsonl", base=tmp_path / "both", cv=0)
    assert rerated.card["n_conversations"] == 8 and rerated.card["parts"]["rater"] == "trained here"


def test_train_into_its_own_base_folder_is_a_usage_error_before_training(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("reciprocity_nlp.training.train", lambda **kwargs: pytest.fail("trained before checking --out"))
    (tmp_path / "team").mkdir()
    with pytest.raises(SystemExit) as exc:
        main(["train", "--acts", str(tmp_path / "acts.csv"), "--base", str(tmp_path / "team"),
              "--out", str(tmp_path / "x" / ".." / "team")])
    assert exc.value.code == 2 and "--out is the --base folder" in capsys.readouterr().err


def test_act_ids_that_match_a_rated_conversation_only_up_to_case_are_refused(tmp_path, capsys):
    labels = tmp_path / "labels.jsonl"
    row = {"conversation_id": "N-21", "agent": "Sam", "pushy": 1, "salesy": 0, "transactional": 1, "selfish": 0,
           "desperate": 0, "split": "test", "turns": [{"speaker": "Sam", "text": "Send me your CV."}]}
    labels.write_text(json.dumps(row) + "\n")
    acts = tmp_path / "acts.csv"
    acts.write_text("conversation_id,turn,speaker,text,act\nn-21,0,Sam,Send me your CV.,push\n")
    with pytest.raises(TrainingDataError, match=r"acts.csv:2: conversation_id 'n-21' is rated as 'N-21'"):
        train(acts=acts, conversations=labels, cv=0)
    from reciprocity_nlp.training import _check_ids, load_acts, load_conversations

    acts.write_text("conversation_id,turn,speaker,text,act\nN-21,0,Sam,Send me your CV.,push\nx-9,0,Jo,Hi.,other\n")
    said = []
    _check_ids(load_acts(acts), load_conversations(labels), said.append)
    assert said == ["acts: 1 conversation with act labels but no rating row (x-9): their sentences are tagged "
                    "without knowing which speaker is the agent"]



def test_evaluate_checks_act_ids_against_the_rated_conversations_as_training_does(tmp_path):
    """An act row whose id matches a rated conversation's only up to case would be scored without that conversation's
    agent, so its sentences without their speaker roles: evaluating refuses it as training does, and logs acts of
    unrated conversations."""
    from reciprocity_nlp import load
    from reciprocity_nlp.training import compare, evaluate, load_acts, load_conversations

    labels = tmp_path / "labels.jsonl"
    row = {"conversation_id": "N-21", "agent": "Sam", "pushy": 1, "salesy": 0, "transactional": 1, "selfish": 0,
           "desperate": 0, "turns": [{"speaker": "Sam", "text": "Send me your CV."}, {"speaker": "Jo", "text": "Why?"}]}
    labels.write_text(json.dumps(row) + "\n")
    acts = tmp_path / "acts.csv"
    acts.write_text("conversation_id,turn,speaker,text,act\nn-21,0,Sam,Send me your CV.,push\n")
    model = load()
    with pytest.raises(TrainingDataError, match=r"acts.csv:2: conversation_id 'n-21' is rated as 'N-21'"):
        evaluate(model, load_acts(acts), load_conversations(labels), log=lambda text: None)
    with pytest.raises(TrainingDataError, match=r"acts.csv:2: conversation_id 'n-21' is rated as 'N-21'"):
        compare(model, model, load_acts(acts), load_conversations(labels), log=lambda text: None)
    acts.write_text("conversation_id,turn,speaker,text,act\nN-21,0,Sam,Send me your CV.,push\nx-9,0,Jo,Hi.,other\n")
    said: list[str] = []
    evaluate(model, load_acts(acts), load_conversations(labels), log=said.append)
    assert said[0] == ("acts: 1 conversation with act labels but no rating row (x-9): their sentences are tagged "
                       "without knowing which speaker is the agent")

def test_act_speakers_of_a_rated_conversation_are_matched_as_the_agent_is(tmp_path, fixtures):
    from reciprocity_nlp.training import load_acts, load_conversations, resolve_speakers

    labels = tmp_path / "labels.csv"
    labels.write_text("conversation_id,path,agent,pushy,salesy,transactional,selfish,desperate\n"
                      f"e1,{fixtures / 'emails' / 'alternative_qp_outlook.eml'},rachel.lim@lionwealth.example,0,0,0,0,0\n")
    acts = tmp_path / "acts.csv"
    acts.write_text("conversation_id,turn,speaker,text,act\ne1,0,rachel.lim@lionwealth.example,Hi.,rapport\n"
                    "e1,1,Rachel Lim <rachel.lim@lionwealth.example>,Can we talk?,push\ne1,2,TAN BOON HUAT,Yes.,other\n"
                    "x9,0,Dana,Hello.,other\n")
    rows, items = load_acts(acts), load_conversations(labels)
    resolve_speakers(rows, items)
    assert [r["speaker"] for r in rows] == ["Rachel Lim", "Rachel Lim", "Tan Boon Huat", "Dana"]  # x9 is not rated
    acts.write_text("conversation_id,turn,speaker,text,act\ne1,0,Rachel Lim,Hi.,rapport\ne1,1,Rachel Lym,Yes.,other\n")
    with pytest.raises(TrainingDataError, match=r"acts\.csv:3: speaker 'Rachel Lym' names no one speaker of conversation "
                                                r"'e1'; its speakers are: Tan Boon Huat, Rachel Lim"):
        resolve_speakers(load_acts(acts), items)
    with pytest.raises(TrainingDataError, match=r"acts\.csv:3: speaker 'Rachel Lym'"):
        train(acts=acts, conversations=labels, cv=0)


def test_evaluate_warns_when_the_labelled_data_is_what_the_model_trained_on(tmp_path, capsys):
    rows = [json.loads(line) for line in (DATA / "acts" / "b1.jsonl").read_text().splitlines()]
    split = {json.loads(line)["conversation_id"]: json.loads(line)["split"]
             for line in (DATA / "conversations" / "labels.jsonl").read_text().splitlines()}
    trained = [r for r in rows if split[r["conversation_id"]] != "test"][:20]
    held = [r for r in rows if split[r["conversation_id"]] == "test"][:20]
    for name, part in (("trained", trained), ("held", held)):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in part))
    assert main(["evaluate", "--acts", str(tmp_path / "trained.jsonl")]) == 0
    assert "warning: 20 of the 20 act rows belong to conversations this model was trained on" in capsys.readouterr().err
    assert main(["evaluate", "--acts", str(tmp_path / "held.jsonl")]) == 0
    assert "warning" not in capsys.readouterr().err


def test_evaluate_against_warns_for_the_against_model_too_and_python_evaluate_and_compare_warn(tmp_path, capsys):
    """The old model of a comparison trained on the data favours it; the CLI says so once per model, and the
    Python functions warn."""
    import warnings

    from reciprocity_nlp import load
    from reciprocity_nlp.persistence import DEFAULT_MODEL
    from reciprocity_nlp.training import TrainingOverlapWarning, compare, evaluate, load_acts

    split = {json.loads(line)["conversation_id"]: json.loads(line)["split"]
             for line in (DATA / "conversations" / "labels.jsonl").read_text().splitlines()}
    rows = [json.loads(line) for line in (DATA / "acts" / "b1.jsonl").read_text().splitlines()]
    trained = [r for r in rows if split[r["conversation_id"]] != "test"][:20]
    (tmp_path / "trained.jsonl").write_text("".join(json.dumps(r) + "\n" for r in trained))
    shutil.copytree(DEFAULT_MODEL, tmp_path / "fresh", ignore=shutil.ignore_patterns("training"))  # trained on nothing kept
    args = ["evaluate", "--acts", str(tmp_path / "trained.jsonl"), "--trust-model"]
    assert main([*args, "--model", str(tmp_path / "fresh"), "--against", "default"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning") == 1 and "warning: 20 of the 20 act rows belong to conversations the --against " \
        "model was trained on" in err
    assert main([*args, "--model", "default", "--against", str(tmp_path / "fresh")]) == 0
    assert capsys.readouterr().err.count("the --model model was trained on") == 1
    acts = load_acts(tmp_path / "trained.jsonl", lambda text: None)
    fresh, shipped = load(tmp_path / "fresh", trust=True), load()
    with pytest.warns(TrainingOverlapWarning, match="20 of the 20 act rows belong to conversations the old model was"):
        compare(fresh, shipped, acts, log=lambda text: None)
    with pytest.warns(TrainingOverlapWarning, match="conversations this model was trained on"):
        evaluate(shipped, acts, log=lambda text: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        evaluate(fresh, acts, log=lambda text: None)


def test_rn_evaluate_reads_labelled_files_as_the_cli_does(tmp_path):
    import reciprocity_nlp as rn
    from reciprocity_nlp.training import TrainingOverlapWarning

    rows = [json.loads(line) for line in (DATA / "acts" / "b1.jsonl").read_text().splitlines()][:30]
    (tmp_path / "acts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    logged = []
    with pytest.warns(TrainingOverlapWarning):  # the shipped model was trained on b1
        metrics = rn.evaluate(rn.load(), acts=tmp_path / "acts.jsonl", log=logged.append)
    assert metrics["acts"]["n"] == 30 and "confusion" in metrics["acts"] and "ratings" not in metrics
    assert any("acts on the evaluation" in text for text in logged)
    with pytest.raises(rn.TrainingDataError, match="nothing to evaluate on"):
        rn.evaluate(rn.load())


def test_inline_speakers_are_one_per_person_and_a_missing_channel_is_said(tmp_path):
    labels = tmp_path / "labels.jsonl"
    row = {"conversation_id": "i2", "agent": "Laura Bennett", "pushy": 0, "salesy": 0, "transactional": 1,
           "selfish": 0, "desperate": 0, "turns": [{"speaker": "Laura Bennett ", "text": "Hi Priya."},
                                                    {"speaker": "Priya", "text": "Hello."},
                                                    {"speaker": "laura bennett", "text": "Are you free on Monday?"}]}
    labels.write_text(json.dumps(row) + "\n")
    from reciprocity_nlp.training import load_conversations

    said = []
    [item] = load_conversations(labels, said.append)
    assert item.conversation.speakers == ["Laura Bennett", "Priya"] and item.conversation.channel == "call"
    assert said == ["ratings: 1 conversation given inline with no channel (i2) read as calls; give a channel column "
                    "(call or email) for email threads"]


def test_inline_turns(tmp_path):
    labels = tmp_path / "labels.jsonl"
    row = {"conversation_id": "i1", "agent": "Sam", "pushy": 1, "salesy": 0, "transactional": 1, "selfish": 0,
           "desperate": 0, "turns": [{"speaker": "Sam", "text": "Send me your CV today."}, {"speaker": "Jo", "text": "No."}]}
    labels.write_text(json.dumps(row) + "\n")
    from reciprocity_nlp.training import load_conversations

    [item] = load_conversations(labels)
    assert item.agent == "Sam" and item.labels.tolist() == [1, 0, 1, 0, 0]


@pytest.mark.parametrize("content, message", [
    ("conversation_id,turn,speaker,text,act\nc,0,Sam,Hi,greeting\n", "unknown act 'greeting'"),
    ("conversation_id,turn,speaker,act\nc,0,Sam,other\n",
     "acts.csv: no 'text' column; its columns are conversation_id, turn, speaker, act"),
    ("conversation_id,turn,speaker,text,act\nc,0,Sam,,other\n", "acts.csv:2: missing text"),
    ("conversation_id,turn,speaker,text,act\nc,0,Sam,Hi,other\nc,1,Jo,   ,other\n", "acts.csv:3: missing text"),
    ("conversation_id,turn,speaker,text,act\nc,-1,Sam,Hi,other\n", "acts.csv:2: turns count from 0, got '-1'"),
    ("conversation_id,turn,speaker,text,act\nc,0,Sam,Hi,other\nc,abc,Sam,Hi,other\n",
     "acts.csv:3: turn must be a whole number, got 'abc'"),
    ("conversation_id,turn,speaker,text,act\nc,1.5,Sam,Hi,other\n", "acts.csv:2: turn must be a whole number, got '1.5'"),
])
def test_bad_acts_files(tmp_path, content, message):
    f = tmp_path / "acts.csv"
    f.write_text(content)
    with pytest.raises(TrainingDataError, match=message):
        train(acts=f, cv=0)


def test_turns_written_as_floats_are_whole_numbers(tmp_path):
    from reciprocity_nlp.training import load_acts, load_sentences

    f = tmp_path / "acts.csv"
    f.write_text("conversation_id,turn,speaker,text,act\nc,0.0,Sam,Send it today.,push\nc,1,Jo,No.,other\n")
    assert [r["turn"] for r in load_acts(f)] == [0, 1]
    g = tmp_path / "lines.jsonl"
    g.write_text('{"text": "Hi", "turn": 2.0}\n{"text": "Bye"}\n{"text": "So", "turn": ""}\n')
    assert [r.get("turn") for r in load_sentences(g)] == [2, None, ""]


def test_errors_name_the_row_within_its_file_in_a_folder(tmp_path):
    (tmp_path / "a.csv").write_text("conversation_id,turn,speaker,text,act\nc,0,Sam,Hi,other\nc,1,Jo,Hi,other\n")
    (tmp_path / "b.csv").write_text("conversation_id,turn,speaker,text,act\nd,x,Sam,Hi,other\n")
    from reciprocity_nlp.training import load_acts

    with pytest.raises(TrainingDataError, match=r"b\.csv:2: turn must be a whole number, got 'x'"):
        load_acts(tmp_path)


def test_every_unreadable_file_of_a_folder_is_named_at_once(tmp_path):
    """A team fixing several broken files learns of them all in one run, not one run at a time."""
    from reciprocity_nlp.training import load_acts

    (tmp_path / "a.csv").write_text(ACT_HEADER + "c,0,Sam,Hi,other\n")
    (tmp_path / "b.jsonl").write_text('{"conversation_id": "d", "turn": 0, "speaker": "Sam", "text": "Hi", "act": "other"}\n'
                                      '{"conversation_id": "d", \n')
    (tmp_path / "c.csv").write_text(ACT_HEADER + "e,0,Sam,Hi,there,other\n")
    (tmp_path / "d.parquet").write_text("not parquet")
    with pytest.raises(TrainingDataError) as exc:
        load_acts(tmp_path)
    lines = str(exc.value).split("\n")
    assert lines[0] == f"{tmp_path}: 3 of 4 files cannot be read:"
    assert lines[1].startswith(f"  {tmp_path / 'b.jsonl'}:2: not valid JSON (")
    assert lines[2] == (f"  {tmp_path / 'c.csv'}:2: 6 cells where the header has 5: a comma inside unquoted text? "
                        "(quote a cell that holds one)")
    assert lines[3].startswith(f"  {tmp_path / 'd.parquet'}: not a readable Parquet file (") and len(lines) == 4


def test_errors_name_the_physical_line_blank_lines_and_multi_line_cells_counted(tmp_path):
    from reciprocity_nlp.training import load_acts

    f = tmp_path / "acts.csv"
    f.write_text('conversation_id,turn,speaker,text,act\n\nc,0,Sam,"Hi,\nthere",other\nc,x,Sam,Hi,other\n')
    with pytest.raises(TrainingDataError, match=r"acts\.csv:5: turn must be a whole number, got 'x'"):
        load_acts(f)
    g = tmp_path / "acts.jsonl"
    g.write_text('{"conversation_id": "c", "turn": 0, "speaker": "Sam", "text": "Hi", "act": "other"}\n\n\n'
                 '{"conversation_id": "c", "turn": "x", "speaker": "Sam", "text": "Hi", "act": "other"}\n')
    with pytest.raises(TrainingDataError, match=r"acts\.jsonl:4: turn must be a whole number, got 'x'"):
        load_acts(g)


def test_a_folder_is_read_recursively_whatever_the_suffix_case_and_the_hash_covers_the_files_read(tmp_path):
    import hashlib

    import pandas as pd

    from reciprocity_nlp.training import _data_hashes, _hash, load_acts

    header = "conversation_id,turn,speaker,text,act\n"
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.CSV").write_text(header + "b,0,Sam,Hi,other\n")
    (tmp_path / "sub" / "a.jsonl").write_text('{"conversation_id": "a", "turn": 0, "speaker": "Sam", "text": "Hi", "act": "other"}\n')
    pd.DataFrame([{"conversation_id": "c", "turn": 0, "speaker": "Sam", "text": "Hi", "act": "other"}]).to_parquet(tmp_path / "c.parquet")
    (tmp_path / "notes.txt").write_text("not data")
    (tmp_path / "~$b.CSV").write_text("Excel's lock file")
    logged = []
    rows = load_acts(tmp_path, logged.append)
    assert [r["conversation_id"] for r in rows] == ["b", "c", "a"]
    assert logged == [f"acts: read 3 files from {tmp_path}: b.CSV, c.parquet, sub/a.jsonl"]
    read = [tmp_path / "b.CSV", tmp_path / "c.parquet", tmp_path / "sub" / "a.jsonl"]
    assert _hash(tmp_path) == hashlib.sha256(b"".join(f.read_bytes() for f in read)).hexdigest()
    # the card names a folder one way, however it was typed
    assert _data_hashes(f"{tmp_path}/", None, []) == _data_hashes(tmp_path, None, []) == {str(tmp_path): _hash(tmp_path)}


def test_the_cards_hash_of_the_ratings_covers_the_conversation_files_its_rows_name(tmp_path):
    """Editing a transcript a ratings row names changes the data trained on, so it changes the card's hash (N1):
    two label sets alike but for one transcript's text hash apart; each file counts once, in resolved-path order."""
    import hashlib

    from reciprocity_nlp.training import _data_hashes, load_conversations

    def hashed(folder, said):
        folder.mkdir()
        (folder / "calls").mkdir()
        (folder / "calls" / "a.txt").write_text(f"Sam: Hi Jo, {said}\nJo: Hello.\n")
        (folder / "b.txt").write_text("Sam: Send me your CV today.\nJo: No.\n")
        rows = [{**rating_row(conversation_id=cid, path=path), "turns": None}
                for cid, path in (("b", "b.txt"), ("a", "calls/a.txt"))]
        (folder / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        items = load_conversations(folder / "labels.jsonl")
        assert [it.file for it in items] == [(folder / "b.txt").resolve(), (folder / "calls" / "a.txt").resolve()]
        return _data_hashes(None, folder / "labels.jsonl", items)[str(folder / "labels.jsonl")]

    first, same, edited = hashed(tmp_path / "1", "how are you?"), hashed(tmp_path / "2", "how are you?"), \
        hashed(tmp_path / "3", "how was the marathon?")
    assert first == same != edited
    folder = tmp_path / "1"
    digests = b"".join(hashlib.sha256(f.read_bytes()).digest() for f in (folder / "b.txt", folder / "calls" / "a.txt"))
    assert first == hashlib.sha256((folder / "labels.jsonl").read_bytes() + digests).hexdigest()
    # inline conversations and acts name no file: their tables alone, as before
    inline = inline_ratings(tmp_path / "inline.jsonl")
    assert _data_hashes(None, inline, load_conversations(inline)) == {
        str(inline): hashlib.sha256(inline.read_bytes()).hexdigest()}


ACT_HEADER = "conversation_id,turn,speaker,text,act\n"


def test_repeated_act_rows_are_dropped_and_counted_but_a_sentence_said_twice_in_a_row_is_kept(tmp_path):
    from reciprocity_nlp.training import load_acts

    rows = "c,0,Sam,OK.,other\nc,0,Sam,OK.,other\nc,0,Sam,Send it.,push\nc,1,Jo,No.,other\n"
    (tmp_path / "a.csv").write_text(ACT_HEADER + rows + rows)
    (tmp_path / "b.csv").write_text(ACT_HEADER + "c,1,jo ,No.,other\n")
    logged = []
    kept = load_acts(tmp_path, logged.append)
    assert [(r["_line"], r["text"]) for r in kept] == [(2, "OK."), (3, "OK."), (4, "Send it."), (5, "No.")]
    assert logged[-1] == (f"acts: 5 rows dropped that repeat a row read before (same conversation, turn, speaker, text "
                          f"and act), such as {tmp_path / 'a.csv'}:6, a repeat of {tmp_path / 'a.csv'}:2")


def test_act_labels_are_read_whatever_their_case_and_surrounding_spaces(tmp_path):
    from reciprocity_nlp.training import load_acts

    f = tmp_path / "acts.csv"
    f.write_text(ACT_HEADER + "c,0,Sam,Here is the salary.,Give_Value\nc,0,Sam,Send it today., PUSH \n"
                              "c,1,Jo,Which agencies?,EXTRACT_INFO\n")
    assert [r["act"] for r in load_acts(f)] == ["give_value", "push", "extract_info"]


@pytest.mark.parametrize("value, hint", [
    ("give value", " (did you mean 'give_value'?)"), ("Give-Value", " (did you mean 'give_value'?)"),
    ("extractinfo", " (did you mean 'extract_info'?)"), ("pitches", " (did you mean 'pitch'?)"), ("greeting", ""),
])
def test_an_unknown_act_names_the_row_the_value_the_acts_and_a_close_one(tmp_path, value, hint):
    from reciprocity_nlp.training import load_acts

    f = tmp_path / "acts.csv"
    f.write_text(ACT_HEADER + f"c,0,Sam,Hi.,other\nc,1,Jo,Hello.,{value}\n")
    with pytest.raises(TrainingDataError) as exc:
        load_acts(f)
    assert str(exc.value) == (f"{f}:3: unknown act {value!r}{hint}; acts are give_value, extract_info, push, pitch, "
                              "rapport, other")


@pytest.mark.parametrize("second, message", [
    ("c,0,Sam,Send it.,other\n", r"b\.csv:2: 'Send it\.' \(conversation 'c', turn 0\) is other here but push on .*a\.csv:2"),
    ("c,0,Jo,Fine.,other\n", r"b\.csv:2: turn 0 of conversation 'c' is 'Jo''s here but 'Sam''s on .*a\.csv:2; a turn is one"),
])
def test_a_sentence_with_two_acts_or_a_turn_with_two_speakers_is_an_error_naming_both_rows(tmp_path, second, message):
    from reciprocity_nlp.training import load_acts

    (tmp_path / "a.csv").write_text(ACT_HEADER + "c,0,Sam,Send it.,push\n")
    (tmp_path / "b.csv").write_text(ACT_HEADER + second)
    with pytest.raises(TrainingDataError, match=message):
        load_acts(tmp_path)


def test_label_columns_are_matched_loosely_and_two_columns_of_one_name_are_an_error(tmp_path):
    from reciprocity_nlp.training import load_acts

    f = tmp_path / "acts.csv"
    f.write_text("Conversation ID;Turn;Speaker ;TEXT;act-label;Act\nc;0;Sam;Hi, Jo;x;other\n")
    [row] = load_acts(f)
    assert (row["conversation_id"], row["turn"], row["speaker"], row["text"], row["act"]) == ("c", 0, "Sam", "Hi, Jo", "other")
    f.write_text("conversation_id,turn,speaker,text,act,Act\nc,0,Sam,Hi,other,other\n")
    with pytest.raises(TrainingDataError, match=r"acts\.csv:2: columns 'act' and 'Act' are both 'act'"):
        load_acts(f)


def test_a_ratings_row_with_both_a_path_and_turns_is_an_error(tmp_path):
    from reciprocity_nlp.training import load_conversations

    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(rating_row(path="call.txt")) + "\n")
    with pytest.raises(TrainingDataError, match=r"labels\.jsonl:1: both a path and turns"):
        load_conversations(labels)


def rating_row(**labels):
    return {"conversation_id": "i1", "agent": "Sam", "pushy": 0, "salesy": 0, "transactional": 0, "selfish": 0,
            "desperate": 0, "turns": [{"speaker": "Sam", "text": "Send me your CV today."}], **labels}


def test_ratings_written_as_floats_are_0_or_1(tmp_path):
    from reciprocity_nlp.training import load_conversations

    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(rating_row(pushy=1.0, salesy="1.0", selfish="0.0")) + "\n")
    [item] = load_conversations(labels)
    assert item.labels.tolist() == [1, 1, 0, 0, 0]
    # booleans: JSON's, and Excel's and pandas' in a CSV, read alike (before, JSON true was 1 and CSV TRUE an error)
    labels.write_text(json.dumps(rating_row(pushy=True, salesy="TRUE", transactional=False, selfish="false")) + "\n")
    [item] = load_conversations(labels)
    assert item.labels.tolist() == [1, 1, 0, 0, 0]


@pytest.mark.parametrize("value", ["yes", 2, 0.5, "truth"])
def test_bad_ratings_name_the_file_row_label_and_value(tmp_path, value):
    from reciprocity_nlp.training import load_conversations

    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(rating_row()) + "\n" + json.dumps(rating_row(conversation_id="i2", salesy=value)) + "\n")
    with pytest.raises(TrainingDataError, match=rf"labels\.jsonl:2: salesy must be 0 or 1 \(or true or false\), got {value!r}"):
        load_conversations(labels)


def test_bad_conversation_rows(tmp_path):
    f = tmp_path / "labels.jsonl"
    f.write_text(json.dumps({"conversation_id": "x", "path": "missing.txt", "agent": "Sam", "pushy": 0, "salesy": 0,
                             "transactional": 0, "selfish": 0, "desperate": 0}) + "\n")
    with pytest.raises(TrainingDataError, match=r"labels\.jsonl:1: .*missing\.txt: no such file"):
        train(conversations=f, cv=0)


def test_a_path_written_with_backslashes_is_read_with_slashes_when_only_that_names_a_file(tmp_path):
    """A ratings file from Windows (`calls\\acme\\call1.txt`) works on Linux and macOS, where `\\` is no separator."""
    from reciprocity_nlp.training import load_conversations

    (tmp_path / "calls" / "acme").mkdir(parents=True)
    (tmp_path / "calls" / "acme" / "call1.txt").write_text("Sam: Send me your CV today.\nJo: No.\n")
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({**rating_row(path="calls\\acme\\call1.txt"), "turns": None}) + "\n")
    [item] = load_conversations(labels)
    assert item.file == (tmp_path / "calls" / "acme" / "call1.txt").resolve() and item.conversation.speakers == ["Sam", "Jo"]
    if os.sep == "/":  # a file whose name holds the backslashes is the one named, when there is one
        (tmp_path / "calls\\acme\\call1.txt").write_text("Ann: Hello.\nBo: Hi.\n")
        labels.write_text(json.dumps({**rating_row(path="calls\\acme\\call1.txt", agent="Ann"), "turns": None}) + "\n")
        [item] = load_conversations(labels)
        assert item.conversation.speakers == ["Ann", "Bo"]


def test_a_path_written_with_backslashes_naming_no_file_either_way_says_both_were_tried(tmp_path):
    from reciprocity_nlp.training import load_conversations

    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({**rating_row(path="calls\\acme\\call2.txt"), "turns": None}) + "\n")
    with pytest.raises(TrainingDataError) as exc:
        load_conversations(labels)
    assert str(exc.value) == (f"{labels}:1: {tmp_path / 'calls'}\\acme\\call2.txt: no such file, nor "
                              f"{tmp_path / 'calls' / 'acme' / 'call2.txt'} (its backslashes read as /)")


def test_default_model_is_loadable_after_training_api_import():
    assert load().thresholds


@pytest.mark.parametrize("kind, name, content", [
    ("acts", "acts.csv", ""),
    ("acts", "acts.csv", "conversation_id,turn,speaker,text,act\n"),
    ("conversations", "labels.jsonl", ""),
    ("conversations", "labels.csv", "conversation_id,path,agent,pushy,salesy,transactional,selfish,desperate\n"),
])
def test_an_empty_or_header_only_file_is_an_error_not_a_model(tmp_path, capsys, kind, name, content):
    f = tmp_path / name
    f.write_text(content)
    assert main(["train", f"--{kind}", str(f), "--out", str(tmp_path / "m")]) == 2
    assert f"error: {f}: no rows" in capsys.readouterr().err and not (tmp_path / "m").exists()
    assert main(["evaluate", f"--{kind}", str(f)]) == 2
    assert f"error: {f}: no rows" in capsys.readouterr().err


def test_inline_turns_in_a_csv_cell_are_read_as_json(tmp_path):
    from reciprocity_nlp.training import load_conversations

    labels = tmp_path / "labels.csv"
    labels.write_text("conversation_id,turns,agent,pushy,salesy,transactional,selfish,desperate\n"
                      'z,"[{""speaker"": ""Ann"", ""text"": ""Hi Bob""}, {""speaker"": ""Bob"", ""text"": ""Hi""}]",'
                      "Ann,0,0,0,0,0\n")
    [item] = load_conversations(labels)
    assert [(t.speaker, t.text) for t in item.conversation.turns] == [("Ann", "Hi Bob"), ("Bob", "Hi")]


@pytest.mark.parametrize("turns, message", [
    ([{"speaker": "Sam", "text": "Hi"}, {"who": "Jo", "text": "Yo"}], r"2: turns\[1\] has no speaker"),
    ([{"speaker": "Sam", "text": "Hi"}, {"speaker": "Jo", "text": None}], r"2: turns\[1\] has no text"),
    ([{"speaker": "Sam", "text": ["Hi"]}], r"2: turns\[0\]: text must be text, got \['Hi'\]"),
    ([{"speaker": "Sam", "text": "Hi"}, "Jo: yo"], r"2: turns\[1\] must be a \{speaker, text\} object, got 'Jo: yo'"),
    ("Sam: hi\nJo: yo", r"2: turns must be a non-empty list of \{speaker, text\} objects .*got 'Sam: hi\\nJo: yo'"),
    ([], r"2: turns must be a non-empty list"),
])
def test_malformed_inline_turns_name_the_file_row_and_turn(tmp_path, turns, message):
    from reciprocity_nlp.training import load_conversations

    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(rating_row()) + "\n" + json.dumps(rating_row(conversation_id="i2", turns=turns)) + "\n")
    with pytest.raises(TrainingDataError, match=r"labels\.jsonl:" + message):
        load_conversations(labels)


def test_a_path_holding_several_conversations_none_with_the_rows_id_is_an_error(tmp_path):
    from reciprocity_nlp.training import load_conversations

    (tmp_path / "calls.csv").write_text("conversation_id,speaker,text\nm1,Ann,Hello Bob.\nm1,Bob,Hi.\n"
                                        "m2,Ann,Hey Dan.\nm2,Dan,Hi.\n")
    labels = tmp_path / "labels.csv"
    labels.write_text("conversation_id,path,agent,pushy,salesy,transactional,selfish,desperate\n"
                      "m2,calls.csv,Ann,0,0,0,0,0\nm9,calls.csv,Ann,0,0,0,0,0\n")
    with pytest.raises(TrainingDataError, match=r"labels\.csv:3: .*calls\.csv holds 2 conversations \(m1, m2\), "
                                                r"none with conversation_id 'm9'"):
        load_conversations(labels)
    labels.write_text(labels.read_text().splitlines()[0] + "\nm2,calls.csv,Ann,0,0,0,0,0\n")
    [item] = load_conversations(labels)
    assert [t.speaker for t in item.conversation.turns] == ["Ann", "Dan"]


def test_a_conversation_rated_twice_is_an_error_naming_both_rows(tmp_path):
    from reciprocity_nlp.training import load_conversations

    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in (rating_row(), rating_row(conversation_id="i2"),
                                                              rating_row(pushy=1))))
    with pytest.raises(TrainingDataError, match=rf"labels\.jsonl:3: conversation_id 'i1' is rated twice, "
                                                rf"here and on {tmp_path}/labels\.jsonl:1"):
        load_conversations(labels)


@pytest.mark.parametrize("second, message", [
    ("C02,calls/c02.txt", r"labels\.csv:3: conversation_id 'C02' is rated twice, here and on .*labels\.csv:2 \(as 'c02'"),
    (" c02 ,calls/c03.txt", r"labels\.csv:3: conversation_id 'c02' is rated twice, here and on .*labels\.csv:2$"),
    ("c02-ben,./calls/../calls/c02.txt", r"labels\.csv:3: .*c02\.txt is rated twice, here as 'c02-ben' and on "
                                         r".*labels\.csv:2 as 'c02': rate each conversation once"),
])
def test_one_conversation_rated_under_two_ids_is_an_error_naming_both_rows(tmp_path, second, message):
    from reciprocity_nlp.training import load_acts, load_conversations

    (tmp_path / "calls").mkdir()
    for name in ("c02", "c03"):
        (tmp_path / "calls" / f"{name}.txt").write_text("Ann: Hello Bob, how are you?\nBob: Fine, thanks.\n")
    (tmp_path / "calls.csv").write_text("conversation_id,speaker,text\nm1,Ann,Hello Bob.\nm1,Bob,Hi.\n"
                                        "m2,Ann,Hey Dan.\nm2,Dan,Hi.\n")
    labels = tmp_path / "labels.csv"
    head = "conversation_id,path,agent,pushy,salesy,transactional,selfish,desperate\n"
    labels.write_text(f"{head} c02 , calls/c02.txt ,Ann,0,0,0,0,0\nm1,calls.csv,Ann,0,0,0,0,0\n"
                      "m2,calls.csv,Ann,0,0,0,0,0\n")  # spaces around cells aside; two conversations of one file
    assert [it.conversation.id for it in load_conversations(labels)] == ["c02", "m1", "m2"]
    (tmp_path / "acts.csv").write_text("conversation_id,turn,speaker,text,act\n c02 ,0,Ann,Hello Bob.,rapport\n")
    assert load_acts(tmp_path / "acts.csv")[0]["conversation_id"] == "c02"
    labels.write_text(f"{head}c02,calls/c02.txt,Ann,0,0,0,0,0\n{second},Ann,1,0,0,0,0\n")
    with pytest.raises(TrainingDataError, match=message):
        load_conversations(labels)


def test_split_values_are_read_in_any_case_and_others_refused(tmp_path):
    from reciprocity_nlp.training import load_conversations

    labels = tmp_path / "labels.jsonl"
    rows = [rating_row(conversation_id=f"i{n}", split=split) for n, split in enumerate(["Test", " TRAIN", "Dev", ""])]
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert [it.split for it in load_conversations(labels)] == ["test", "train", "dev", None]
    labels.write_text(json.dumps(rating_row(split="Tset")) + "\n")
    with pytest.raises(TrainingDataError, match=r"labels\.jsonl:1: split must be train, dev, test or blank, got 'Tset'"):
        load_conversations(labels)


def test_a_split_column_in_an_acts_file_holds_its_test_conversations_out(small, tmp_path, capsys):
    rows = [json.loads(line) for line in (small / "acts.jsonl").read_text().splitlines()]
    test_ids = sorted({r["conversation_id"] for r in rows})[:3]
    for r in rows:
        r["split"] = "Test" if r["conversation_id"] in test_ids else "train"
    acts = tmp_path / "acts.jsonl"
    acts.write_text("".join(json.dumps(r) + "\n" for r in rows))
    held = sum(r["conversation_id"] in test_ids for r in rows)
    analyzer = train(acts=acts, cv=0)
    assert analyzer.card["n_act_sentences"] == len(rows) - held
    assert analyzer.card["metrics"]["test"]["acts"]["n"] == held and "acts on the held-out test split" in capsys.readouterr().out


def test_a_conversation_in_the_test_split_in_one_file_and_not_the_other_is_an_error(tmp_path):
    acts = tmp_path / "acts.csv"
    acts.write_text("conversation_id,turn,speaker,text,act,split\ni1,0,Sam,Send me your CV today.,push,test\n")
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(rating_row(split="dev")) + "\n")
    with pytest.raises(TrainingDataError, match=r"acts\.csv:2: conversation 'i1' is in the test split here but in "
                                                r"the dev split on .*labels\.jsonl:1"):
        train(acts=acts, conversations=labels)


@pytest.mark.parametrize("out", ["model.txt", "model.txt/m"])
def test_train_out_naming_a_file_is_a_usage_error_before_training(tmp_path, monkeypatch, capsys, out):
    (tmp_path / "model.txt").write_text("not a folder")
    monkeypatch.setattr("reciprocity_nlp.training.train", lambda **kwargs: pytest.fail("trained before checking --out"))
    with pytest.raises(SystemExit) as exc:
        main(["train", "--acts", str(tmp_path / "acts.csv"), "--out", str(tmp_path / out)])
    assert exc.value.code == 2 and "--out must be a folder" in capsys.readouterr().err


SCRIPTS = [
    [("Sam", "Hi Jo, thanks for making time today."), ("Jo", "Happy to talk."),
     ("Sam", "Can you send me your CV by Friday?"), ("Jo", "Maybe next week.")],
    [("Sam", "Our platform is simply the best in the market!"), ("Jo", "What does it cost?"),
     ("Sam", "It is 40 pounds a seat, and the first month is free."), ("Jo", "Thanks, I will think about it.")],
    [("Sam", "Please, I really need this signed today, my manager is chasing me."), ("Jo", "I said no."),
     ("Sam", "Sorry to push again, could you sign it now?")],
    [("Sam", "How many people are on your team, and who else are you talking to?"), ("Jo", "Eight, and two agencies."),
     ("Sam", "Which agencies?"), ("Jo", "I would rather not say.")],
]
RATINGS = [[1, 0, 1, 0, 1], [0, 1, 0, 1, 0], [1, 0, 0, 1, 0], [0, 1, 1, 0, 1],
           [1, 1, 0, 0, 0], [0, 0, 1, 1, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 0]]


def inline_ratings(path, ratings=RATINGS):
    """A ratings file of short inline conversations, one per row of `ratings` (five 0/1 labels each)."""
    rows = [{"conversation_id": f"c{n}", "agent": "Sam", **dict(zip(("pushy", "salesy", "transactional", "selfish",
                                                                    "desperate"), labels, strict=True)),
             "turns": [{"speaker": s, "text": t} for s, t in SCRIPTS[n % len(SCRIPTS)]]} for n, labels in enumerate(ratings)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.mark.parametrize("column, message", [
    ([0, 0, 0, 0, 0, 0, 0, 0], "'desperate' is 1 in no conversation trained on; the rater needs every label both 1 and "
                               "0, each in at least 2 conversations"),
    ([0, 0, 0, 1, 0, 0, 0, 0], r"'desperate' is 1 in only 1 conversation trained on \(c3\)"),
    ([1, 1, 1, 1, 1, 1, 1, 0], r"'desperate' is 0 in only 1 conversation trained on \(c7\)"),
])
def test_a_label_1_or_0_in_fewer_than_two_conversations_is_a_clear_error(tmp_path, column, message):
    ratings = [[*row[:4], value] for row, value in zip(RATINGS, column, strict=True)]
    labels = inline_ratings(tmp_path / "labels.jsonl", ratings)
    with pytest.raises(TrainingDataError, match=r"labels\.jsonl: " + message):
        train(conversations=labels, cv=3)


def test_rating_folds_are_stratified_so_a_rare_label_is_spread_out(tmp_path):
    """c0 and c3 hold desperate's only 1s: unshuffled 3-fold folds by row order put both in one fold, an error then."""
    labels = inline_ratings(tmp_path / "labels.jsonl")
    analyzer = train(conversations=labels, cv=3)
    assert analyzer.card["metrics"]["ratings_cv"]["n"] == 8


def test_stratified_folds_spread_every_column_and_do_not_depend_on_row_order():
    import numpy as np

    from reciprocity_nlp.training import stratified_folds

    rng = np.random.default_rng(1)
    Y = (rng.random((40, 5)) < [0.05, 0.1, 0.3, 0.5, 0.9]).astype(int)
    keys = [f"c{i:02d}" for i in range(40)]
    for k in (2, 3, 5):
        folds = stratified_folds(keys, np.hstack([Y == 1, Y == 0]), k, seed=0)
        assert sorted(set(folds)) == list(range(k))
        for col in np.hstack([Y == 1, Y == 0]).T:
            if col.sum() >= 2:
                assert len(set(folds[col])) >= 2
        flipped = stratified_folds(keys[::-1], np.hstack([Y == 1, Y == 0])[::-1], k, seed=0)
        assert flipped[::-1].tolist() == folds.tolist()
    assert stratified_folds(keys, Y, 5, seed=1).tolist() != stratified_folds(keys, Y, 5, seed=0).tolist()


def test_fewer_conversations_than_folds_lowers_the_folds_and_says_so(tmp_path, capsys):
    analyzer = train(conversations=inline_ratings(tmp_path / "labels.jsonl"), cv=10)
    assert "ratings: only 8 conversations, so 8-fold cross-validation instead of 10-fold" in capsys.readouterr().out
    assert analyzer.card["cv"] == 10 and analyzer.card["folds"] == {"ratings": 8}  # as asked, and as used


def test_cv_0_says_the_raters_cross_validation_is_not_skipped(tmp_path, capsys):
    analyzer = train(conversations=inline_ratings(tmp_path / "labels.jsonl"), cv=0)
    assert "ratings, 5-fold cross-validation (not skipped by --cv 0: the thresholds are chosen" in capsys.readouterr().out
    assert analyzer.card["cv"] == 0 and analyzer.card["folds"] == {"ratings": 5}
    assert analyzer.card["parts"] == {"tagger": "from the shipped default model", "rater": "trained here",
                                      "agent guess": "trained here",
                                      "sentence boundaries": "from the shipped default model"}


def test_an_act_with_fewer_than_three_sentences_is_a_clear_error(tmp_path):
    acts = tmp_path / "acts.csv"
    rows = [f"c,{n},Sam,Sentence number {n}.,{act}" for n, act in enumerate(["give_value", "extract_info", "push",
                                                                            "rapport", "other"] * 3 + ["pitch"] * 2)]
    acts.write_text("conversation_id,turn,speaker,text,act\n" + "\n".join(rows) + "\n")
    with pytest.raises(TrainingDataError, match=r"acts\.csv: 'pitch' has 2 sentences; the tagger needs at least 3 "
                                                r"labelled sentences of every act"):
        train(acts=acts, cv=0)


def test_an_act_found_in_one_fold_only_is_a_clear_error(tmp_path):
    acts = tmp_path / "acts.csv"
    rows = [f"{c},{n},Sam,Sentence {n} of {c}.,{act}" for c in ("c1", "c2", "c3") for n, act in
            enumerate(["give_value", "extract_info", "push", "rapport", "other"] * 2 + (["pitch"] * 3 if c == "c2" else []))]
    acts.write_text("conversation_id,turn,speaker,text,act\n" + "\n".join(rows) + "\n")
    with pytest.raises(TrainingDataError, match=r"acts\.csv: cross-validation by conversation leaves only 0 'pitch' "
                                                r"sentences to train on without conversation c2; .*: conversation c2 holds "
                                                r"3 of the 3 'pitch' sentences trained on, so no number of folds can help: "
                                                r"label more of them in other conversations$"):
        train(acts=acts, cv=3)


def _acts_csv(path, pitches, split=None):
    """An acts file of conversations c1, c2... with two sentences of every act but pitch, and `pitches[i]` pitch
    sentences in the i-th, each in the `split` given for it, if any."""
    rows = []
    for i, n in enumerate(pitches):
        acts = ["give_value", "extract_info", "push", "rapport", "other"] * 2 + ["pitch"] * n
        rows += [f"c{i + 1},{t},Sam,Sentence {t} of c{i + 1}.,{act},{split[i] if split else ''}" for t, act in enumerate(acts)]
    path.write_text("conversation_id,turn,speaker,text,act,split\n" + "\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("pitches, cv, advice", [
    ([3, 1, 0, 0], 2, "conversation c1 holds 3 of the 4 'pitch' sentences trained on, so no number of folds can help: "
                      "label more of them in other conversations$"),
    ([1, 1, 1, 1, 0, 0], 2, r"label more of them in other conversations, or use more folds \(--cv; each fold then "
                            r"holds out fewer conversations\)$"),
])
def test_fold_errors_advise_more_folds_only_when_more_folds_would_help(tmp_path, pitches, cv, advice):
    with pytest.raises(TrainingDataError, match=r"acts\.csv: cross-validation by conversation leaves only [12] 'pitch' "
                                                r"sentences? to train on .*" + advice):
        train(acts=_acts_csv(tmp_path / "acts.csv", pitches), cv=cv)


def test_an_act_labelled_only_in_test_conversations_says_so(tmp_path):
    acts = _acts_csv(tmp_path / "acts.csv", [0, 0, 4], split=["train", "dev", "test"])
    with pytest.raises(TrainingDataError, match=r"acts\.csv: 'pitch' has 0 sentences to train on, and 4 in test "
                                                r"conversations, which are held out; the tagger needs at least 3"):
        train(acts=acts, cv=0)


@pytest.mark.parametrize("header, message", [
    ("conversation_id,agent,path,pushy,salesy,transactional,selfish",
     "no 'desperate' column; its columns are conversation_id, agent, path, pushy, salesy, transactional, selfish$"),
    ("conversation_id,agent,pushy,salesy,transactional,selfish,desperate",
     "no 'path' or 'turns' column; its columns are conversation_id, agent, pushy"),
    ("conversation_id,path,pushy,salesy,transactional,selfish",
     "no 'agent', 'desperate' columns; its columns are conversation_id, path"),
])
def test_a_labels_file_missing_a_column_says_so_before_reading_its_rows(tmp_path, header, message):
    labels = tmp_path / "labels.csv"
    labels.write_text(header + "\n" + ",".join(["c1", "Sam", "nowhere.txt", "0", "0", "0", "0", "0"][:header.count(",") + 1])
                      + "\n")
    with pytest.raises(TrainingDataError, match=r"labels\.csv: " + message):
        train(conversations=labels, cv=0)


def test_rating_only_training_logs_its_progress_and_log_can_silence_it(tmp_path, capsys):
    said = []
    train(conversations=inline_ratings(tmp_path / "labels.jsonl"), cv=3, log=said.append)
    text = "\n".join(said)
    for step in ("ratings: 8 conversations tagged for the rater's features", "ratings: fold 1 of 3 fitted",
                 "ratings: fold 3 of 3 fitted", "ratings: final rater fitted on 8 conversations"):
        assert re.search(rf"^{step} \(\d+ s\)$", text, re.M), step
    # no test split: the header says how to get a fair figure rather than pointing to one
    assert "so a little optimistic; for a fair figure, hold conversations out with a split column set to test)" in text
    train(conversations=tmp_path / "labels.jsonl", cv=3, log=lambda text: None)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("cv", ["1", "-1"])
def test_cv_must_be_0_or_at_least_2(tmp_path, capsys, cv):
    with pytest.raises(SystemExit) as exc:
        main(["train", "--acts", str(tmp_path / "acts.csv"), "--out", str(tmp_path / "m"), "--cv", cv])
    assert exc.value.code == 2 and f"argument --cv: must be 0 (skip) or at least 2, got '{cv}'" in capsys.readouterr().err
    with pytest.raises(ValueError, match="cv must be a whole number, 0"):
        train(acts=tmp_path / "acts.csv", cv=int(cv))
    with pytest.raises(ValueError, match="got '3'"):  # a string from a config file, not a TypeError deep inside
        train(acts=tmp_path / "acts.csv", cv="3")


def test_a_log_that_is_not_a_function_and_a_seed_that_is_not_whole_are_refused_before_training(tmp_path):
    """log=None (read as 'silence') failed with "'NoneType' object is not callable" after reading and tagging; a seed
    from a config file ('1') failed inside NumPy."""
    labels = inline_ratings(tmp_path / "labels.jsonl")
    with pytest.raises(TypeError, match=r"^log must be a function taking each line of text \(print by default; "
                                        r"log=lambda text: None for silence\), not None$"):
        train(conversations=labels, log=None)
    with pytest.raises(ValueError, match=r"^seed must be a whole number, got '1'$"):
        train(conversations=labels, seed="1", log=lambda text: None)


def test_acts_of_fewer_conversations_than_folds_are_cross_validated_with_fewer_folds(small, tmp_path, capsys):
    picked = ("b2-001", "b2-002", "b2-004", "b2-008")
    acts = tmp_path / "acts.jsonl"
    acts.write_text("".join(line + "\n" for line in (small / "acts.jsonl").read_text().splitlines()
                            if json.loads(line)["conversation_id"] in picked))
    analyzer = train(acts=acts, cv=5)
    out = capsys.readouterr().out
    assert "acts: only 4 conversations, so 4-fold cross-validation instead of 5-fold" in out
    assert "acts, 4-fold cross-validation by conversation" in out and analyzer.card["metrics"]["acts_cv"]["n"] > 100
    assert analyzer.card["folds"]["acts"] == 4


def one_row_per_turn(small, tmp_path):
    turns: dict[tuple[str, int], dict] = {}
    for line in (small / "acts.jsonl").read_text().splitlines():
        r = json.loads(line)
        turn = turns.setdefault((r["conversation_id"], r["turn"]), {**r, "text": ""})
        turn["text"] = f"{turn['text']} {r['text']}".strip()
    acts = tmp_path / "acts.jsonl"
    acts.write_text("".join(json.dumps(r) + "\n" for r in turns.values()))
    return acts, len(turns)


def test_acts_labelled_one_row_per_turn_train_without_a_boundary_model(small, tmp_path, capsys):
    """No turn with two sentences leaves no sentence start to learn, and no base: no boundary model."""
    acts, n = one_row_per_turn(small, tmp_path)
    analyzer = train(acts=acts, cv=0)
    assert ("sentence-boundary model not trained: no labelled turn has two or more sentences; the model has none, "
            "so unpunctuated turns stay whole") in capsys.readouterr().out
    assert analyzer.boundaries is None and analyzer.card["n_act_sentences"] == n
    assert analyzer.card["parts"]["sentence boundaries"] == "none (unpunctuated turns stay whole)"


def test_acts_labelled_one_row_per_turn_on_a_base_learn_boundaries_from_the_bases_sentences_only(small, tmp_path, capsys):
    """Whole turns would teach that a turn's inner sentence ends are no boundaries: only the base's rows teach them."""
    base = train(acts=DATA / "acts" / "b3.jsonl", cv=0)
    base.save(tmp_path / "base")
    acts, n = one_row_per_turn(small, tmp_path)
    capsys.readouterr()
    analyzer = train(acts=acts, base=tmp_path / "base", cv=0)
    assert ("sentence-boundary model: your acts are labelled one row per turn, which teaches no sentence starts, so it "
            "learns from the base model's labelled sentences only") in capsys.readouterr().out
    assert analyzer.boundaries is not None and analyzer.card["n_act_sentences"] == n + base.card["n_act_sentences"]
    assert (analyzer.boundaries.model_[-1].coef_ == base.boundaries.model_[-1].coef_).all()  # from the same sentences
    assert analyzer.card["parts"]["sentence boundaries"] == ("trained here, on the base model's labelled sentences only "
                                                             "(your acts are one row per turn)")


def test_base_data_gives_way_to_the_teams_labels_and_keeps_nothing_of_its_test_conversations():
    """Acts replace acts and ratings replace rating and agent rows; a team test conversation leaves every part,
    so nothing is trained on it; base rows saved without ids are named in the log, since they cannot be matched."""
    import numpy as np

    from reciprocity_nlp.conversation import Conversation, Turn
    from reciprocity_nlp.training import Labelled, _replaced

    def rated(cid, split=None):
        conv = Conversation(id=cid, channel="call", turns=[Turn(index=0, speaker="Sam", text="Hi.")])
        return Labelled(conv, "Sam", np.zeros(5), split)

    base = {"act_rows": [{"conversation_id": c, "text": "Hi.", "act": "other"} for c in ("a", "b", "t", "old")],
            "X": np.arange(8.0).reshape(4, 2), "Y": np.zeros((4, 5)), "rating_ids": ["a", "b", "t", ""],
            "agent_X": [[0.0], [1.0], [2.0]], "agent_y": [1, 0, 1], "agent_ids": ["b", "b", "t"],
            "agents": {"a": "Sam", "b": "Jo", "t": "Kim"}, "channels": {"b": "call", "t": "call"}}
    said = []
    kept = _replaced(base, [{"conversation_id": "a"}], [rated("b"), rated("t", "test")], {"t"}, said.append)
    assert [r["conversation_id"] for r in kept["act_rows"]] == ["b", "old"]  # b was rated, not re-acted: its acts stay
    assert kept["rating_ids"] == ["a", ""] and kept["X"].tolist() == [[0.0, 1.0], [6.0, 7.0]] and len(kept["Y"]) == 2
    assert kept["agent_y"] == [] and kept["agents"] == {"a": "Sam"} and kept["channels"] == {}
    assert said[0].startswith("ratings: 1 rated conversation of the base model's keep no id")
    assert "replace the base model's for 2 conversations with acts and 2 rated conversations" in said[1]
