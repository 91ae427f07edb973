"""Save and load models without running code from untrusted files.

Models are written with skops (`acts.skops`, `rater.skops`, and the optional `boundaries.skops`,
the sentence-boundary model of unpunctuated speech, and `agent.skops`, the learned agent guess)
beside a `model.json` card. A save writes into a hidden `.NAME.saving-XXXXXXXX` folder beside the model and
moves the files in; one a killed save left (SIGKILL, a power cut) is removed by the next save of that model once
it is an hour old.
Loading checks every type a skops file would create against an explicit allow-list of
scikit-learn, NumPy and this package's own estimator types; anything else is refused unless
the user passes `trust=True`. Pickle files (`*.pkl`, and `*.joblib` from joblib) load only with
`trust=True`, since unpickling runs whatever code the file names, with one exception: the
default model that ships inside this package is trusted like the package's code, and is stored
as plain pickle because it loads in a tenth of a second where skops takes several (skops
rebuilds the tagger's vocabulary object by object) and joblib half a second (joblib unpickles
with Python's pure-Python unpickler to handle its array files; the vocabulary is a large dict,
which the C unpickler reads much faster). The card records the library versions a
model was built with; a different scikit-learn major.minor gives a warning, and a file that no
longer loads gives a ModelError naming the versions.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import re
import shutil
import sysconfig
import tempfile
import time
import warnings
import zipfile
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from reciprocity_nlp.errors import ModelError, TrainingDataError

ALLOWED_TYPES = frozenset({
    "builtins.slice",
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "numpy.str_",
    "numpy.random.mtrand.RandomState",
    "reciprocity_nlp.acts.ActClassifier",
    "reciprocity_nlp.acts.NumericDictVectorizer",
    "reciprocity_nlp.ratings.BoundedScaler",
    "reciprocity_nlp.ratings.AgentRater",
    "reciprocity_nlp.boundaries.BoundaryClassifier",
    "reciprocity_nlp.agent_model.AgentClassifier",
    "scipy.sparse._csr.csr_matrix",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.feature_extraction._hash.FeatureHasher",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.utils._bunch.Bunch",
})


def _default_model() -> Path:
    """The shipped model: beside the package in a checkout or editable install, else where an installed
    wheel put it (`share/reciprocity-nlp/models/default` under the install's data folder)."""
    beside = Path(__file__).resolve().parents[1] / "models" / "default"
    schemes = (sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user"))
    installed = [Path(sysconfig.get_path("data", s)) / "share" / "reciprocity-nlp" / "models" / "default" for s in schemes]
    return next((p for p in (beside, *installed) if p.is_dir()), beside)


DEFAULT_MODEL = _default_model()
_SKLEARN = version("scikit-learn")  # without importing scikit-learn, which checking a --model path does not need
PARTS = ("acts", "rater", "boundaries", "agent")  # boundaries and agent are optional: older models have none
SUFFIXES = (".skops", ".pkl", ".joblib")
MAX_PART_BYTES = 1024 * 2**20  # a model part inflated; the shipped ones are a few MB
CARD_KEYS = ("versions", "thresholds")  # what `save_model` writes into every card
TRAINING_FILES = ("acts.jsonl.gz", "context.json", "ratings.npz", "agents.npz")  # what `save_training_data` writes
STALE_STAGING_SECONDS = 3600  # a save's staging folder older than this was left by a killed save (a save takes seconds)
OTHER_TAGGER = "rating_rows_by_another_tagger"
"""The key of `context.json` marking kept rating rows that another model's tagger computed: those of a model whose
tagger was trained without its rater. Models saved before the mark (the shipped one) had their rater fitted with
their tagger."""


def _versions() -> dict[str, str]:
    from reciprocity_nlp import __version__

    found = {"reciprocity-nlp": __version__}
    for package in ("scikit-learn", "numpy", "scipy", "spacy", "skops"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "unknown"
    return found


def save_model(analyzer: Any, path: str | Path, format: str = "skops") -> Path:
    """Write the models (`.skops`, or `.pkl` for trusted use), the training data and `model.json`.

    All is written to a temporary folder beside `path` (`.NAME.saving-XXXXXXXX`) and then moved in, the card last,
    naming each part file by its SHA-256: a save cut short (Ctrl-C, a full disk) leaves the old model whole, or a
    folder `load_model` refuses, never one that loads as a mix of two models. Files that are no part of a model
    stay. A save killed outright (SIGKILL, a power cut) leaves its temporary folder; the next save of the model
    removes those over an hour old (see `_remove_stale_staging`).
    """
    format = format.lower() if isinstance(format, str) else format  # "Pickle" is pickle, as --format takes it
    if format not in ("skops", "pickle"):
        raise ValueError("format must be 'skops' or 'pickle'")
    folder = Path(path)
    check_out_folder(folder, "the path a model is saved to")
    folder.mkdir(parents=True, exist_ok=True)
    prefix, parent = f".{folder.resolve().name}.saving-", folder.resolve().parent
    _remove_stale_staging(parent, prefix)
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        files = {}
        parts = (analyzer.act_model, analyzer.rater, analyzer.boundaries, analyzer.agent_model)
        for name, part in zip(PARTS, parts, strict=True):
            if part is None:
                continue
            file = staging / f"{name}{'.skops' if format == 'skops' else '.pkl'}"
            if format == "skops":
                save_part(part, file)
            else:
                with open(file, "wb") as fh:
                    pickle.dump(part, fh, protocol=pickle.HIGHEST_PROTOCOL)
            files[file.name] = _sha256(file)
        card = dict(analyzer.card)
        card["versions"] = _versions()
        card["thresholds"] = analyzer.thresholds
        card["part_files"] = files
        (staging / "model.json").write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        new_training = save_training_data(analyzer, staging, folder)
        _move_in(staging, folder, new_training)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _remove_stale_staging(parent: Path, prefix: str) -> None:
    """Remove the staging folders in `parent` that a killed save of this model left: folders (not files, not
    links) named as `tempfile.mkdtemp` names them with `prefix`, untouched for `STALE_STAGING_SECONDS`. Judged by
    age, not by the process that made them: a fresh one may be another save in progress, and probing a process id
    is not safe on Windows. One that cannot be removed, or a `parent` that cannot be listed (a drop folder may be
    writable only), is a warning; the save goes on."""
    made_by_save = re.compile(re.escape(prefix) + r"[a-z0-9_]{8}")  # mkdtemp's 8 random characters
    now = time.time()
    try:
        with os.scandir(parent) as entries:
            named = [e for e in entries if made_by_save.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
    except OSError as exc:
        warnings.warn(f"{parent}: could not be listed to remove the staging folders an interrupted save left ({exc})",
                      stacklevel=3)
        return
    for entry in named:
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime > STALE_STAGING_SECONDS:
                shutil.rmtree(entry.path)
        except FileNotFoundError:
            pass  # another save removed it first
        except OSError as exc:
            warnings.warn(f"{entry.path}: a staging folder an interrupted save left could not be removed ({exc})",
                          stacklevel=3)


def check_out_folder(folder: Path, name: str) -> None:
    """A NotADirectoryError when `folder`, where a model is to be saved, is a file or a path through one (`name`
    says who gave it, such as `--out`)."""
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if existing == folder and not folder.is_dir():
        raise NotADirectoryError(f"{folder}: is a file; {name} must be a folder")
    if not existing.is_dir():
        raise NotADirectoryError(f"{folder}: {name} must be a folder, but {existing} is a file")


def _move_in(staging: Path, folder: Path, new_training: bool) -> None:
    """Move a model written to `staging` into `folder`: the old card goes first, so a move cut short leaves a
    folder with no card (refused at load) rather than an old card over new parts; the new card comes last.
    Parts the new model lacks (another format's, an optional one) go; `training/` is replaced when `new_training`."""
    (folder / "model.json").unlink(missing_ok=True)
    names = [f"{name}{suffix}" for name in PARTS for suffix in SUFFIXES]
    _replace_files(staging, folder, names)
    if new_training and (any((staging / "training").iterdir()) or (folder / "training").is_dir()):
        (folder / "training").mkdir(exist_ok=True)
        _replace_files(staging / "training", folder / "training", TRAINING_FILES)
    os.replace(staging / "model.json", folder / "model.json")


def _replace_files(source: Path, target: Path, names: Sequence[str]) -> None:
    """Each named file of `target` becomes `source`'s (moved, so each one changes at once), or goes when `source` has none."""
    for name in names:
        if (source / name).exists():
            os.replace(source / name, target / name)
        else:
            (target / name).unlink(missing_ok=True)


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with open(file, "rb") as fh:
        while chunk := fh.read(2**20):
            digest.update(chunk)
    return digest.hexdigest()


def _check_part_files(folder: Path, card: dict[str, Any]) -> None:
    """A ModelError when a folder's part files are not those its card names (and hashes): what a save cut short,
    or a part copied in by hand, leaves. Cards written before they named their files cannot be checked."""
    named = card.get("part_files")
    if named is None:
        return
    if not isinstance(named, dict):
        raise ModelError(f"{folder}: its model.json's 'part_files' should map each part file to its SHA-256")
    present = {f"{name}{suffix}" for name in PARTS for suffix in SUFFIXES if (folder / f"{name}{suffix}").exists()}
    differ = sorted((present ^ set(named)) | {f for f in present & set(named) if _sha256(folder / f) != named[f]})
    if differ:
        raise ModelError(f"{folder}: {', '.join(differ)} not as its model.json names them: a save into this folder "
                         "was interrupted, or a part was replaced by hand; save or train the model again")


def _unloadable(file: Path, exc: Exception) -> ModelError:
    return ModelError(f"{file}: could not be loaded ({type(exc).__name__}: {exc}); it may have been "
                      f"saved by another library version (this is scikit-learn {_SKLEARN})")


def _part_file(folder: Path, name: str, trust: bool, optional: bool = False) -> Path | None:
    """The file that holds a model part: `.skops` first, else `.pkl` or `.joblib`, which only a trusted
    model may use; None for a missing optional part, a ModelError for a missing required one."""
    skops_file = folder / f"{name}.skops"
    if skops_file.exists():
        return skops_file
    for pickled in (folder / f"{name}.pkl", folder / f"{name}.joblib"):
        if pickled.exists():
            if not trust:
                raise ModelError(f"{pickled}: pickle/joblib files can run code when loaded; "
                                 "pass trust=True (or --trust-model) only if you trust where this file came from")
            return pickled
    if optional:
        return None
    raise ModelError(f"{folder}: no {name}.skops (or {name}.pkl) in this model folder")


def save_part(part: Any, file: Path) -> None:
    """Write one model part as a skops file (what the spaCy components' `to_disk` uses)."""
    import skops.io as sio

    sio.dump(part, file, compression=zipfile.ZIP_DEFLATED)


def part_to_disk(part: Any, folder: str | Path, name: str) -> None:
    """A spaCy component's `to_disk`: its model part (if any) as `<name>.skops` in the component's folder."""
    file = Path(folder) / f"{name}.skops"
    file.parent.mkdir(parents=True, exist_ok=True)
    if part is not None:
        save_part(part, file)
    else:
        file.unlink(missing_ok=True)  # an earlier save's part would otherwise be loaded back


def part_from_disk(folder: str | Path, name: str) -> Any:
    """A spaCy component's `from_disk`: the part `part_to_disk` saved, checked against the allow-list (None when
    the component was saved without one)."""
    return load_part(Path(folder), name, optional=True)


def load_part(folder: Path, name: str, trust: bool = False, optional: bool = False) -> Any:
    """One model part (`acts`, `rater`, `boundaries`, `agent`) from a folder: skops files are checked
    against the allow-list, pickle files need `trust`; None for a missing optional part."""
    file = _part_file(folder, name, trust, optional)
    if file is None:
        return None
    if file.suffix == ".skops":
        import skops.io as sio

        try:
            with zipfile.ZipFile(file) as archive:
                inflated = sum(info.file_size for info in archive.infolist())
            if inflated > MAX_PART_BYTES:  # checked before anything is inflated: a zip bomb costs nothing
                raise ModelError(f"{file}: would inflate to {inflated / 2**20:,.0f} MB (at most "
                                 f"{MAX_PART_BYTES // 2**20:,} MB for one model part): not a model this library saved")
            untrusted = sio.get_untrusted_types(file=file)
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"{file}: not a readable skops file ({exc})") from exc
        unknown = sorted(set(untrusted) - ALLOWED_TYPES)
        if unknown and not trust:
            raise ModelError(f"{file}: refusing to load types outside the allow-list: {', '.join(unknown)}; "
                             "pass trust=True (or --trust-model) only if you trust where this file came from")
        try:
            return sio.load(file, trusted=sorted(set(untrusted)))
        except Exception as exc:
            raise _unloadable(file, exc) from exc
    try:
        if file.suffix == ".joblib":
            import joblib

            return joblib.load(file)
        with open(file, "rb") as fh:
            return pickle.load(fh)
    except Exception as exc:
        raise _unloadable(file, exc) from exc


def load_model(path: str | Path | None = None, trust: bool = False) -> Any:
    """Load an Analyzer from a model folder (the shipped default when `path` is None)."""
    from reciprocity_nlp.analysis import Analyzer

    folder, trust, card = _checked_folder(path, trust)
    built = card["versions"].get("scikit-learn")
    if built and built.split(".")[:2] != _SKLEARN.split(".")[:2]:
        warnings.warn(f"{folder}: model built with scikit-learn {built}, running {_SKLEARN}; "
                      "predictions may differ (retrain with `reciprocity train` to be sure)", stacklevel=2)
    act_model, rater = (load_part(folder, name, trust) for name in ("acts", "rater"))
    if not hasattr(rater, "thresholds_") or not hasattr(act_model, "predict_proba"):
        raise ModelError(f"{folder}: the files do not hold a reciprocity-nlp act model and rater")
    from reciprocity_nlp.acts import ActClassifier

    if not isinstance(act_model, ActClassifier):
        raise ModelError(f"{folder}: this model's act tagger comes from an older reciprocity-nlp (it does not read "
                         "a sentence's neighbours in its turn); retrain it with `reciprocity train`")
    from reciprocity_nlp.ratings import FEATURES

    built_for = card.get("rater_features")
    if (built_for is not None and built_for != FEATURES) or getattr(rater, "n_features_in_", len(FEATURES)) != len(FEATURES):
        raise ModelError(f"{folder}: this model's rater was built for another set of conversation features "
                         f"(reciprocity-nlp {card['versions'].get('reciprocity-nlp', '?')}); "
                         "retrain it with `reciprocity train`")
    analyzer = Analyzer(act_model, rater, card, _load_boundaries(folder, trust), _load_agent_model(folder, trust))
    analyzer.folder = folder
    _check_rates(analyzer, folder)
    return analyzer


def _check_rates(analyzer: Any, folder: Path) -> None:
    """Rate one short call (a few milliseconds), so that a model that loads but lacks learned state (a damaged
    or hand-edited file) is refused here rather than failing on every conversation of a batch."""
    from reciprocity_nlp.conversation import Conversation, Turn

    check = Conversation(id="load-check", channel="call", turns=[
        Turn(index=0, speaker="Sam", text="Thanks for your time. What budget do you have?"),
        Turn(index=1, speaker="Alex", text="About ten thousand."),
    ])
    try:
        analyzer.analyze(check)
    except Exception as exc:
        raise ModelError(f"{folder}: the model loads but cannot rate a conversation ({type(exc).__name__}: {exc}); "
                         "it may be damaged or edited by hand: retrain it with `reciprocity train`") from exc


def _card(file: Path) -> dict[str, Any]:
    """A model's card; a ModelError naming it when there is none or it is not a card `save` wrote (every saved
    model has one, with the `CARD_KEYS`)."""
    if not file.exists():
        raise ModelError(f"{file.parent}: no model.json in this model folder; a model `reciprocity train` or "
                         "`Analyzer.save` wrote has one (a save into the folder that was cut short leaves none: save or train "
                         "the model again)")
    try:
        card = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{file}: not a readable model card ({exc})") from exc
    missing = [k for k in CARD_KEYS if not isinstance(card, dict) or not isinstance(card.get(k), dict)]
    if missing:
        raise ModelError(f"{file}: not a model card that `reciprocity train` wrote (expected an object with "
                         f"{' and '.join(repr(k) for k in missing)} as objects)")
    if not all(isinstance(v, str) for v in card["versions"].values()):
        raise ModelError(f"{file}: not a model card that `reciprocity train` wrote ('versions' should name "
                         "library versions)")
    return card


def load_read_parts(path: str | Path | None = None, trust: bool = False) -> tuple[Any, Any]:
    """Only a model's sentence-boundary part and learned agent guess (each None when it has none): what
    `reciprocity read` needs, without loading the tagger and rater, whose files are still checked against the card
    as `load_model` checks the whole model."""
    folder, trust, _ = _checked_folder(path, trust)
    return _load_boundaries(folder, trust), _load_agent_model(folder, trust)


def _checked_folder(path: str | Path | None, trust: bool) -> tuple[Path, bool, dict[str, Any]]:
    """`model_folder`, with its card and the part files it names checked (a ModelError when a save was cut short
    or a part replaced by hand): what `load_model` and `load_read_parts` check before loading a
    part, so none loads a part file the card does not name."""
    folder, trust = model_folder(path, trust)
    card = _card(folder / "model.json")
    _check_part_files(folder, card)
    return folder, trust, card


def model_path(path: str | Path | None) -> Path:
    """A model folder as given: None or `default` is the shipped model, wherever the install put it (so
    `--base default` works from a wheel install too, where a checkout's `models/default` is only a copy); a
    folder of that name is `./default`, and `default` while there is one is a ModelError, never a silent choice."""
    if path is None:
        return DEFAULT_MODEL
    if str(path) == "default":
        here = Path("default")
        if here.is_dir() and here.resolve() != DEFAULT_MODEL.resolve():
            raise ModelError("'default' names both the shipped model and the folder ./default here: write ./default "
                             "for that folder, or leave the option out for the shipped model")
        return DEFAULT_MODEL
    return Path(path)


def model_folder(path: str | Path | None, trust: bool) -> tuple[Path, bool]:
    """The model folder (the shipped default for None or `default`, see `model_path`) and whether to trust it; a ModelError when
    there is no such folder, or its tagger or rater file is missing or a pickle not trusted. Cheap (nothing is
    loaded), so a command can check its --model before it writes anything."""
    folder = model_path(path)
    if folder.is_file():
        raise ModelError(f"{folder}: is a file; give the model folder that holds it ({folder.parent})")
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model folder")
    trust = trust or folder.resolve() == DEFAULT_MODEL.resolve()
    for name in ("acts", "rater"):
        _part_file(folder, name, trust)
    return folder, trust


def _load_optional(folder: Path, name: str, trust: bool, kind: type, what: str) -> Any:
    """An optional model part (None when the folder has none), checked to be a `kind`."""
    part = load_part(folder, name, trust, optional=True)
    if part is not None and not isinstance(part, kind):
        raise ModelError(f"{folder}: its {name} file does not hold a reciprocity-nlp {what}")
    return part


def _load_boundaries(folder: Path, trust: bool) -> Any:
    from reciprocity_nlp.boundaries import BoundaryClassifier

    return _load_optional(folder, "boundaries", trust, BoundaryClassifier, "sentence-boundary model")


def _load_agent_model(folder: Path, trust: bool) -> Any:
    from reciprocity_nlp.agent import CUES
    from reciprocity_nlp.agent_model import AgentClassifier

    model = _load_optional(folder, "agent", trust, AgentClassifier, "agent model")
    if model is not None and model.n_features_in_ != len(CUES):
        raise ModelError(f"{folder}: this model's agent guess was built for another set of speaker cues; "
                         "retrain it with `reciprocity train`")
    return model


def save_training_data(analyzer: Any, staging: Path, folder: Path) -> bool:
    """Write to `staging/training` the data a model saved to `folder` keeps, so `--base` can add a team's data
    to it; False when `folder`'s `training/` is to stay as it is.

    Its `TRAINING_FILES` replace those in `folder`, so none is left from a model saved there before for
    `--base` to read; other files in `training/` are the user's and stay. A model loaded from a folder holds
    no training data in memory: saved elsewhere, its folder's data is copied along (so it can still be a
    `--base`); saved back where it came from, `training/` stays as it is.
    """
    data = getattr(analyzer, "training_data", None)
    source = getattr(analyzer, "folder", None)
    if not data and source is not None and Path(source).resolve() == folder.resolve():
        return False
    target = staging / "training"
    target.mkdir()
    if not data:
        for name in TRAINING_FILES:
            if source is not None and (source / "training" / name).exists():
                shutil.copy2(source / "training" / name, target / name)
        return True
    with gzip.open(target / "acts.jsonl.gz", "wt", encoding="utf-8") as fh:
        for r in data["act_rows"]:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    context = {"agents": data["agents"], "channels": data["channels"]} | ({OTHER_TAGGER: True} if data.get(OTHER_TAGGER) else {})
    (target / "context.json").write_text(json.dumps(context), encoding="utf-8")
    if "X" in data:
        np.savez_compressed(target / "ratings.npz", X=data["X"], Y=data["Y"], ids=_id_array(data, "rating_ids", len(data["Y"])))
    if data.get("agent_X"):
        np.savez_compressed(target / "agents.npz", X=np.asarray(data["agent_X"], float), y=np.asarray(data["agent_y"]),
                            ids=_id_array(data, "agent_ids", len(data["agent_y"])))
    return True


def _id_array(data: dict[str, Any], key: str, n: int) -> np.ndarray:
    """The conversation id of each kept row, as a plain string array (no pickle needed to load it)."""
    return np.asarray([str(i) for i in data.get(key, [""] * n)], dtype=str)


def load_training_data(folder: str | Path) -> dict[str, Any]:
    """The training data a model folder keeps for `--base` (empty when it keeps none); a TrainingDataError naming
    the file that cannot be read."""
    target = Path(folder) / "training"
    out: dict[str, Any] = {}
    file = target
    try:
        if (file := target / "acts.jsonl.gz").exists():
            with gzip.open(file, "rt", encoding="utf-8") as fh:
                out["act_rows"] = [json.loads(line) for line in fh]
        if (file := target / "context.json").exists():
            out.update(json.loads(file.read_text(encoding="utf-8")))
        if (file := target / "ratings.npz").exists():
            with np.load(file, allow_pickle=False) as npz:
                out["X"], out["Y"] = npz["X"], npz["Y"]
                if "ids" in npz:
                    out["rating_ids"] = npz["ids"].tolist()
        if (file := target / "agents.npz").exists():
            with np.load(file, allow_pickle=False) as npz:
                out["agent_X"], out["agent_y"] = npz["X"].tolist(), npz["y"].tolist()
                if "ids" in npz:
                    out["agent_ids"] = npz["ids"].tolist()
    except (OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile) as exc:  # JSON and gzip errors are among these
        raise TrainingDataError(f"{file}: the base model's training data cannot be read ({type(exc).__name__}: {exc})") from exc
    return out
