import copy
import fractions
import json
import pickle
import shutil
from pathlib import Path

import joblib
import pytest

from reciprocity_nlp import ModelError, load, read
from reciprocity_nlp.conversation import Conversation, Turn
from reciprocity_nlp.persistence import DEFAULT_MODEL, load_read_parts, load_training_data, model_folder, save_part
from tests.conftest import FIXTURES

CARD = '{"versions": {}, "thresholds": {}}'  # the least a model's card holds


def read_text(text: str) -> Conversation:
    return Conversation(id="c", channel="call", turns=[Turn(index=0, speaker="Jade", text=text)])


def unhashed(folder: Path) -> Path:
    """`folder` as saved before cards named their part files, so a test can swap a part without being refused
    for a mix of models."""
    card = json.loads((folder / "model.json").read_text())
    del card["part_files"]
    (folder / "model.json").write_text(json.dumps(card))
    return folder


@pytest.fixture(scope="module")
def default():
    return load()


def test_default_model_ships_small_and_loads(default):
    size = sum(p.stat().st_size for p in DEFAULT_MODEL.rglob("*") if p.is_file())
    assert size <= 25 * 1024 * 1024
    card = json.loads((DEFAULT_MODEL / "model.json").read_text())
    assert card["labels"] == ["pushy", "salesy", "transactional", "selfish", "desperate"]
    assert set(card["thresholds"]) == set(card["labels"]) and "scikit-learn" in card["versions"]
    assert card["metrics"]["test"]["acts"]["macro_f1"] >= 0.80
    assert card["metrics"]["test"]["ratings"]["macro_f1"] >= 0.75


def test_skops_round_trip(default, tmp_path):
    default.save(tmp_path / "m")
    again = load(tmp_path / "m")
    assert again.thresholds == default.thresholds
    text = "Can you send me your CV today?"
    assert again.tag_rows([{"text": text}]) == default.tag_rows([{"text": text}])


def test_pickle_needs_trust(default, tmp_path):
    folder = default.save(tmp_path / "m", format="pickle")
    assert sorted(p.name for p in folder.glob("*.pkl")) == ["acts.pkl", "agent.pkl", "boundaries.pkl", "rater.pkl"]
    with pytest.raises(ModelError, match="pickle/joblib files can run code"):
        load(folder)
    assert load(folder, trust=True).thresholds == default.thresholds


def test_a_save_format_is_named_whatever_its_case(default, tmp_path):
    folder = default.save(tmp_path / "m", format="Pickle")  # before: ValueError, format must be 'skops' or 'pickle'
    assert sorted(p.name for p in folder.glob("*.pkl")) == ["acts.pkl", "agent.pkl", "boundaries.pkl", "rater.pkl"]


def test_joblib_files_load_with_trust(default, tmp_path):
    folder = unhashed(default.save(tmp_path / "m", format="pickle"))
    for part, model in (("acts", default.act_model), ("rater", default.rater)):
        (folder / f"{part}.pkl").unlink()
        joblib.dump(model, folder / f"{part}.joblib")
    with pytest.raises(ModelError, match=r"rater\.joblib|acts\.joblib"):
        load(folder)
    text = "Can you send me your CV today?"
    assert load(folder, trust=True).tag_rows([{"text": text}]) == default.tag_rows([{"text": text}])


def test_saving_again_replaces_the_other_format(default, tmp_path):
    folder = default.save(tmp_path / "m", format="pickle")
    default.save(folder)
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["acts.skops", "agent.skops", "boundaries.skops",
                                                                          "model.json", "rater.skops"]


def test_boundaries_are_optional(default, tmp_path):
    """A model saved before the boundary model existed still loads; unpunctuated turns then stay whole."""
    folder = unhashed(default.save(tmp_path / "m"))
    again = load(folder)
    assert again.boundaries is not None and again.boundaries.get_params() == default.boundaries.get_params()
    (folder / "boundaries.skops").unlink()
    older = load(folder)
    assert older.boundaries is None
    speech = "yeah hi is that tomasz it's jade from redline talent have you got two minutes for a quick chat"
    assert len(older.analyze(read_text(speech)).sentences) == 1
    assert len(again.analyze(read_text(speech)).sentences) > 1


def test_types_outside_the_allow_list_are_refused(default, tmp_path):
    import skops.io as sio

    folder = unhashed(default.save(tmp_path / "m"))
    sio.dump({"model": default.rater, "extra": fractions.Fraction(1, 3)}, folder / "rater.skops")
    with pytest.raises(ModelError, match=r"refusing to load types outside the allow-list: fractions\.Fraction"):
        load(folder)


def test_not_a_model(tmp_path):
    for folder in ("m", "p"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "model.json").write_text(CARD)
    (tmp_path / "m" / "acts.skops").write_bytes(b"garbage")
    with pytest.raises(ModelError, match=r"m: no rater\.skops \(or rater\.pkl\) in this model folder"):
        load(tmp_path / "m")  # found before anything is loaded
    (tmp_path / "m" / "rater.skops").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="not a readable skops file"):
        load(tmp_path / "m")
    for part in ("acts", "rater"):
        (tmp_path / "p" / f"{part}.pkl").write_bytes(b"garbage")
    with pytest.raises(ModelError, match=r"acts\.pkl: pickle/joblib files can run code"):
        load(tmp_path / "p")  # refused before anything is loaded
    with pytest.raises(ModelError, match=r"acts\.pkl: could not be loaded"):
        load(tmp_path / "p", trust=True)
    with pytest.raises(ModelError, match="no such model folder"):
        load(tmp_path / "nothing")


def test_a_model_file_is_not_taken_for_a_missing_folder(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "acts.pkl").write_bytes(b"garbage")
    with pytest.raises(ModelError, match=r"m/acts\.pkl: is a file; give the model folder that holds it \(.*m\)"):
        load(tmp_path / "m" / "acts.pkl")


def test_other_library_version_warns(default, tmp_path):
    folder = default.save(tmp_path / "m", format="pickle")
    card = json.loads((folder / "model.json").read_text())
    card["versions"]["scikit-learn"] = "0.1.0"
    (folder / "model.json").write_text(json.dumps(card))
    with pytest.warns(UserWarning, match=r"model built with scikit-learn 0\.1\.0"):
        load(folder, trust=True)


@pytest.mark.parametrize("card", ["not json", "[]", '{"versions": "x"}', '{"versions": {"scikit-learn": 5}}'])
def test_a_broken_model_card_is_a_model_error_naming_it(default, tmp_path, card):
    folder = default.save(tmp_path / "m", format="pickle")
    (folder / "model.json").write_text(card)
    with pytest.raises(ModelError, match=r"m/model\.json: not a"):
        load(folder, trust=True)


@pytest.mark.parametrize(("card", "missing"), [("{}", "'versions' and 'thresholds'"), ('{"hello": 1}', "'versions' and"),
                                              ('{"versions": {}}', "'thresholds'")])
def test_a_card_without_what_save_writes_is_a_model_error_naming_the_keys(default, tmp_path, card, missing):
    folder = default.save(tmp_path / "m", format="pickle")
    (folder / "model.json").write_text(card)
    with pytest.raises(ModelError, match=rf"m/model\.json: not a model card .* {missing}"):
        load(folder, trust=True)


def test_a_model_folder_without_a_card_is_a_model_error_naming_it(default, tmp_path):
    folder = default.save(tmp_path / "m", format="pickle")
    (folder / "model.json").unlink()
    with pytest.raises(ModelError, match=r"m: no model\.json in this model folder"):
        load(folder, trust=True)


def test_a_model_part_that_would_inflate_too_far_is_refused_before_inflating(default, tmp_path, monkeypatch):
    import reciprocity_nlp.persistence as persistence

    folder = default.save(tmp_path / "m")
    monkeypatch.setattr(persistence, "MAX_PART_BYTES", 1024)
    with pytest.raises(ModelError, match=r"acts\.skops: would inflate to .* MB \(at most 0 MB for one model part\)"):
        load(folder)


def test_unreadable_training_data_is_an_error_naming_the_file(default, tmp_path):
    from reciprocity_nlp.errors import TrainingDataError
    from reciprocity_nlp.persistence import load_training_data

    folder = tmp_path / "m"
    (folder / "training").mkdir(parents=True)
    (folder / "training" / "acts.jsonl.gz").write_bytes(b"not gzip")
    with pytest.raises(TrainingDataError, match=r"training/acts\.jsonl\.gz: the base model's training data cannot be read"):
        load_training_data(folder)
    (folder / "training" / "acts.jsonl.gz").unlink()
    import numpy as np

    np.savez(folder / "training" / "ratings.npz", X=np.array([object()], dtype=object), Y=np.zeros(1))
    with pytest.raises(TrainingDataError, match=r"ratings\.npz: the base model's training data cannot be read"):
        load_training_data(folder)


def test_wrong_objects_are_a_clear_error(tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "model.json").write_text(CARD)
    joblib.dump({"not": "a model"}, folder / "acts.joblib")
    joblib.dump([1, 2], folder / "rater.joblib")
    with pytest.raises(ModelError, match="do not hold a reciprocity-nlp act model"):
        load(folder, trust=True)


def test_an_act_model_from_an_older_release_is_a_clear_error(default, tmp_path):
    folder = unhashed(default.save(tmp_path / "m", format="pickle"))
    joblib.dump(default.act_model.sentence_model_, folder / "acts.joblib")  # 0.1 shipped a plain pipeline
    (folder / "acts.pkl").unlink()
    with pytest.raises(ModelError, match=r"older reciprocity-nlp .*retrain it"):
        load(folder, trust=True)


@pytest.mark.parametrize("part", ["acts", "rater"])
def test_a_model_missing_fitted_state_is_refused_at_load(default, tmp_path, part):
    """A hand-edited or truncated model that loads but cannot rate is a ModelError at load, not an error row
    for every conversation later."""
    folder = unhashed(default.save(tmp_path / "m"))
    model = copy.deepcopy(default.act_model if part == "acts" else default.rater)
    del model.__dict__["sentence_model_" if part == "acts" else "models_"]
    save_part(model, folder / f"{part}.skops")
    with pytest.raises(ModelError, match=r"cannot rate a conversation .*retrain"):
        load(folder)


def test_the_agent_guess_is_optional(default, tmp_path):
    """A model saved before the learned agent guess existed still loads and guesses by the rules."""
    call = read(FIXTURES / "calls" / "whisperx.json")
    folder = unhashed(default.save(tmp_path / "m"))
    again = load(folder)
    assert again.agent_model is not None and again.analyze(call).agent_source == default.analyze(call).agent_source
    assert again.analyze(call).agent_source == "guessed: the most agent-like speaker by the learned guess"
    (folder / "agent.skops").unlink()
    older = load(folder)
    assert older.agent_model is None
    assert older.analyze(call).agent_source == "guessed: most introductions, offer talk, firm talk and questions"


def test_a_built_wheel_carries_the_default_model(tmp_path):
    """An installed (not editable) copy must find the shipped model: the wheel puts models/default under
    share/reciprocity-nlp/, where DEFAULT_MODEL looks when no checkout is beside the package."""
    import shutil
    import subprocess
    import sys
    import zipfile

    from tests.conftest import ROOT

    src = tmp_path / "src"
    shutil.copytree(ROOT / "reciprocity_nlp", src / "reciprocity_nlp", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DEFAULT_MODEL, src / "models" / "default")
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
                   check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        packed = {n.split("/share/reciprocity-nlp/models/default/", 1)[1]: z.getinfo(n).file_size
                  for n in z.namelist() if "/share/reciprocity-nlp/models/default/" in n}
    shipped = {str(p.relative_to(DEFAULT_MODEL)): p.stat().st_size for p in DEFAULT_MODEL.rglob("*") if p.is_file()}
    assert packed == shipped


def test_saving_over_a_model_removes_its_training_data_the_new_model_has_none_of(tmp_path):
    """A later --base must not read the old model's rating or agent data as the new model's; unknown files stay."""
    folder = tmp_path / "m"
    (folder / "training").mkdir(parents=True)
    for name in ("ratings.npz", "agents.npz", "notes.txt"):
        (folder / "training" / name).write_text("from before")
    model = load()
    model.training_data = {"act_rows": [{"conversation_id": "c", "turn": 0, "speaker": "Sam", "text": "Hi.",
                                         "act": "other"}], "agents": {"c": "Sam"}, "channels": {"c": "call"}}
    model.save(folder)
    assert sorted(p.name for p in (folder / "training").iterdir()) == ["acts.jsonl.gz", "context.json", "notes.txt"]


def test_default_names_the_shipped_model_wherever_it_is_installed(tmp_path, monkeypatch):
    """After a wheel install the shipped model is under share/; a checkout's models/default is then an untrusted
    copy of pickle files, but `--base default` and `--against default` still name the shipped one."""
    import reciprocity_nlp.persistence as persistence

    installed = tmp_path / "share" / "reciprocity-nlp" / "models" / "default"
    shutil.copytree(DEFAULT_MODEL, installed)
    checkout = DEFAULT_MODEL
    monkeypatch.setattr(persistence, "DEFAULT_MODEL", installed)
    with pytest.raises(ModelError, match=r"pickle/joblib files can run code"):
        model_folder(checkout, False)
    assert model_folder("default", False) == (installed, True)
    assert model_folder(None, False) == (installed, True)
    assert persistence.model_path(tmp_path / "default") == tmp_path / "default"  # a folder of that name, by its path
    assert len(load_training_data(persistence.model_path("default"))["Y"]) == len(load_training_data(checkout)["Y"])


def test_default_beside_a_folder_named_default_is_an_error_not_a_silent_choice(tmp_path, monkeypatch):
    from reciprocity_nlp.persistence import DEFAULT_MODEL, model_path

    monkeypatch.chdir(tmp_path)
    assert model_path("default") == DEFAULT_MODEL
    (tmp_path / "default").mkdir()
    with pytest.raises(ModelError, match=r"write ./default"):
        model_path("default")
    assert model_path("./default") == Path("./default")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def old_and_new(default, tmp_path):
    """A model folder (with a user's notes and training file) and a different model to save over it: other
    thresholds, no agent guess, other training data."""
    folder = default.save(tmp_path / "m", format="pickle")
    (folder / "NOTES.md").write_text("ours")
    (folder / "training" / "labels.csv").write_text("ours")
    new = copy.deepcopy(default)
    new.rater.thresholds_ = [t + 0.05 for t in new.rater.thresholds_]
    new.agent_model = None
    new.card = {**new.card, "date": "2099-01-01T00:00:00+00:00"}
    new.training_data = {"act_rows": [{"conversation_id": "c", "turn": 0, "speaker": "Sam", "text": "Hi.",
                                       "act": "other"}], "agents": {"c": "Sam"}, "channels": {"c": "call"}}
    return folder, new


@pytest.mark.parametrize("card", ["naming its files", "saved before cards named files"])
def test_a_save_cut_short_leaves_the_old_model_or_a_refused_folder_never_a_mix(old_and_new, monkeypatch, card):
    """Ctrl-C or a full disk at any point of a save: the folder loads as the old model, every file as it was,
    or is refused saying the save was interrupted; the notes and the user's training file stay."""
    import reciprocity_nlp.persistence as persistence

    folder, new = old_and_new
    if card != "naming its files":
        unhashed(folder)
    before = _files(folder)
    old_card = json.loads(before["model.json"])

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(persistence, "save_training_data", disk_full)  # after the parts are written
    with pytest.raises(OSError, match="No space"):
        new.save(folder, format="pickle")
    monkeypatch.undo()
    assert _files(folder) == before and load(folder, trust=True).card == old_card
    outcomes = set()
    real_replace = persistence.os.replace
    for moves in range(6):  # every step of moving the new model in: 3 parts, 2 training files, then the card
        shutil.rmtree(folder)
        folder.mkdir()
        for name, data in before.items():
            (folder / name).parent.mkdir(exist_ok=True)
            (folder / name).write_bytes(data)
        done = []

        def cut_short(source, target, done=done, moves=moves):
            if len(done) == moves:
                raise KeyboardInterrupt
            done.append(target)
            real_replace(source, target)

        monkeypatch.setattr(persistence.os, "replace", cut_short)
        with pytest.raises(KeyboardInterrupt):
            new.save(folder, format="pickle")
        monkeypatch.undo()
        try:
            again = load(folder, trust=True)
        except ModelError as exc:
            assert "save into the folder that was cut short" in str(exc) or "save into this folder was interrupted" in str(exc)
            outcomes.add("refused")
        else:
            assert again.card == old_card and _files(folder) == before
            outcomes.add("old")
        assert (folder / "NOTES.md").read_text() == "ours" and (folder / "training" / "labels.csv").read_text() == "ours"
        assert [p.name for p in folder.parent.iterdir()] == ["m"]  # no temporary folder left behind
    assert outcomes == {"refused"}
    new.save(folder, format="pickle")
    again = load(folder, trust=True)
    assert again.thresholds == new.thresholds and again.agent_model is None and again.card["date"] == new.card["date"]
    assert load_training_data(folder)["agents"] == {"c": "Sam"} and (folder / "NOTES.md").read_text() == "ours"


def test_a_part_that_is_not_the_one_the_card_names_is_refused(default, tmp_path):
    """A part replaced after the save (by an older save's copy, by hand) no longer matches the card's hash."""
    folder = default.save(tmp_path / "m", format="pickle")
    assert set(json.loads((folder / "model.json").read_text())["part_files"]) == {
        "acts.pkl", "rater.pkl", "boundaries.pkl", "agent.pkl"}
    other = copy.deepcopy(default.rater)
    other.thresholds_ = [0.9] * len(other.thresholds_)
    joblib.dump(other, folder / "rater.pkl")
    with pytest.raises(ModelError, match=r"m: rater\.pkl not as its model\.json names them: a save into this folder "
                                         r"was interrupted, or a part was replaced by hand; save or train the model again"):
        load(folder, trust=True)
    (folder / "rater.pkl").unlink()
    joblib.dump(default.rater, folder / "rater.joblib")
    with pytest.raises(ModelError, match=r"m: rater\.joblib, rater\.pkl not as its model\.json names them"):
        load(folder, trust=True)


def test_the_shipped_model_names_its_parts_loads_without_a_warning_and_a_copy_missing_one_is_refused(tmp_path):
    import warnings

    named = json.loads((DEFAULT_MODEL / "model.json").read_text())["part_files"]
    assert set(named) == {"acts.pkl", "rater.pkl", "boundaries.pkl", "agent.pkl"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load()
    copy_ = shutil.copytree(DEFAULT_MODEL, tmp_path / "m")
    (copy_ / "boundaries.pkl").unlink()  # an optional part: a card that names no files loads without it, quietly
    with pytest.raises(ModelError, match=r"m: boundaries\.pkl not as its model\.json names them"):
        load(copy_, trust=True)


@pytest.mark.parametrize("path", ["model.txt", "model.txt/m"])
def test_saving_onto_a_file_is_the_clear_error_train_gives(default, tmp_path, path):
    (tmp_path / "model.txt").write_text("not a folder")
    message = "is a file; the path a model is saved to must be a folder" if path == "model.txt" else \
        "the path a model is saved to must be a folder, but .*model.txt is a file"
    with pytest.raises(NotADirectoryError, match=message):
        default.save(tmp_path / path)
    assert (tmp_path / "model.txt").read_text() == "not a folder"


@pytest.mark.parametrize("part", ["boundaries", "agent"])
def test_the_parts_read_loads_alone_are_checked_against_the_card(default, tmp_path, monkeypatch, part):
    """`reciprocity read` loads only the boundary model and the agent guess: a part replaced by hand is refused
    there as `load` refuses it, naming the file, and an untouched folder loads them without the tagger and rater."""
    import reciprocity_nlp.persistence as persistence

    folder = default.save(tmp_path / "m", format="pickle")  # skops takes many seconds to write the tagger
    loaded = []
    real_load_part = persistence.load_part
    monkeypatch.setattr(persistence, "load_part", lambda folder, name, *a, **k: loaded.append(name) or
                        real_load_part(folder, name, *a, **k))
    assert all(part is not None for part in load_read_parts(folder, trust=True))
    assert loaded == ["boundaries", "agent"]
    other = copy.deepcopy(default.boundaries if part == "boundaries" else default.agent_model)
    other.set_params(**({"threshold": 0.9} if part == "boundaries" else {"C": 0.5}))
    (folder / f"{part}.pkl").write_bytes(pickle.dumps(other))
    with pytest.raises(ModelError, match=rf"m: {part}\.pkl not as its model\.json names them: a save into this "
                                         "folder was interrupted"):
        load_read_parts(folder, trust=True)


@pytest.mark.parametrize("card", [None, "[]"])
def test_the_parts_read_loads_alone_need_the_card(default, tmp_path, card):
    """A folder without its card (a save cut short), or with one `save` did not write, is refused by the loaders
    `reciprocity read` uses as by `load`."""
    folder = default.save(tmp_path / "m", format="pickle")
    if card is None:
        (folder / "model.json").unlink()
    else:
        (folder / "model.json").write_text(card)
    message = r"m: no model\.json in this model folder" if card is None else r"m/model\.json: not a model card"
    with pytest.raises(ModelError, match=message):
        load_read_parts(folder, trust=True)


def test_the_shipped_models_parts_load_alone():
    """The shipped card names no part files (it predates them) and is still accepted by the part loaders."""
    from reciprocity_nlp.agent_model import AgentClassifier
    from reciprocity_nlp.boundaries import BoundaryClassifier

    boundaries, agent_model = load_read_parts()
    assert isinstance(boundaries, BoundaryClassifier) and isinstance(agent_model, AgentClassifier)


def test_a_save_removes_the_staging_folders_a_killed_save_of_that_model_left(default, tmp_path):
    """A save killed outright (SIGKILL, a power cut) leaves its hidden staging folder beside the model; the next
    save there removes that model's ones over an hour old, and nothing else: not a fresh one (another save may
    be writing it), not a file or a link of that name, not another model's, not a name `save` would not make."""
    import os
    import time

    hours_ago = time.time() - 2 * 3600
    stale = tmp_path / ".m.saving-k1ll3d_x"
    (stale / "training").mkdir(parents=True)
    (stale / "acts.pkl").write_bytes(b"half written")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    kept = [tmp_path / name for name in (".m.saving-fresh123", ".m.saving-afile123", ".m.saving-alink123",
                                         ".other.saving-k1ll3d_x", ".m.saving-notes.kept")]
    kept[0].mkdir()
    kept[1].write_text("not a folder")
    kept[2].symlink_to(elsewhere, target_is_directory=True)
    kept[3].mkdir()
    kept[4].mkdir()
    for path in (stale, *kept[1:]):
        os.utime(path, (hours_ago, hours_ago), follow_symlinks=False)
    default.save(tmp_path / "m", format="pickle")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["m", "elsewhere", *(p.name for p in kept)])
    assert load(tmp_path / "m", trust=True).thresholds == default.thresholds


def test_a_stale_staging_folder_that_cannot_be_removed_is_a_warning_and_the_save_goes_on(default, tmp_path, monkeypatch):
    import os
    import time

    import reciprocity_nlp.persistence as persistence

    stale = tmp_path / ".m.saving-k1ll3d_x"
    stale.mkdir()
    os.utime(stale, (time.time() - 2 * 3600,) * 2)
    real_rmtree = shutil.rmtree

    def refused(path, *args, **kwargs):
        if Path(path) == stale:
            raise PermissionError(13, "Permission denied")
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(persistence.shutil, "rmtree", refused)
    with pytest.warns(UserWarning, match=r"\.m\.saving-k1ll3d_x: a staging folder an interrupted save left could not be "
                                         r"removed \(\[Errno 13\] Permission denied\)"):
        default.save(tmp_path / "m", format="pickle")
    assert stale.is_dir() and load(tmp_path / "m", trust=True).thresholds == default.thresholds


def test_a_folder_whose_entries_cannot_be_listed_still_takes_a_save(default, tmp_path, monkeypatch):
    """A drop folder may be writable but not listable: looking for stale staging folders there is a warning, not a
    failed save (creating the staging folder needs no listing)."""
    import reciprocity_nlp.persistence as persistence

    real_scandir = persistence.os.scandir

    def unlistable(path="."):
        if isinstance(path, str | Path) and Path(path) == tmp_path:  # not the file descriptors rmtree lists by
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(persistence.os, "scandir", unlistable)
    with pytest.warns(UserWarning, match=r"could not be listed to remove the staging folders an interrupted save left"):
        default.save(tmp_path / "m", format="pickle")
    assert load(tmp_path / "m", trust=True).thresholds == default.thresholds
