"""reciprocity-nlp: read sales and recruitment conversations and rate how the agent comes across.

    import reciprocity_nlp as rn
    analyzer = rn.load()                       # the shipped default model
    analysis = analyzer.analyze(rn.read("call.vtt"), agent="Priya Shah")
    rn.read("call.json", speaker_names={"Speaker 0": "Priya Shah"})   # a diarization label named
    analyzer.analyze(rn.parse(email_text))    # text already in memory
    analysis.ratings, analysis.flags, analysis.evidence, analysis.metrics
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reciprocity_nlp.agent import AgentError, assign_agent
from reciprocity_nlp.conversation import Conversation, Sentence, Turn
from reciprocity_nlp.errors import ModelError, ReadError, TrainingDataError
from reciprocity_nlp.labels import ACTS, LABELS
from reciprocity_nlp.readers import FORMATS, iter_conversations, parse, read, read_file
from reciprocity_nlp.readers.speakers import rename_speakers

if TYPE_CHECKING:
    from reciprocity_nlp.analysis import Analysis, Analyzer
    from reciprocity_nlp.segmentation import Segmenter

# Public names whose modules bring spaCy or scikit-learn in, which reading files does not need: imported on
# first use by `__getattr__`.
_LAZY = {"Analysis": "analysis", "Analyzer": "analysis", "Segmenter": "segmentation"}

__version__ = "0.2.0"



def load(path: str | Path | None = None, trust: bool = False) -> Analyzer:
    """Load a model folder (the shipped default when `path` is None).

    Files are checked against an allow-list of types before anything is built; `trust=True`
    also allows other types and pickle files (`.pkl`, `.joblib`; only for models you trust).
    """
    from reciprocity_nlp.persistence import load_model

    return load_model(path, trust=trust)


def train(acts: str | Path | None = None, conversations: str | Path | None = None, base: str | Path | None = None,
          cv: int = 5, trust: bool = False, seed: int = 0, log: Callable[[str], object] = print) -> Analyzer:
    """Train on labelled acts and/or conversations (LABELS.md formats); see `reciprocity_nlp.training.train`.

    `log` receives the progress and metric tables (`print` by default; `log=lambda text: None` for silence).
    """
    from reciprocity_nlp.training import train as _train

    return _train(acts=acts, conversations=conversations, base=base, cv=cv, seed=seed, log=log, trust=trust)


def evaluate(analyzer: Analyzer, acts: str | Path | None = None, conversations: str | Path | None = None,
             log: Callable[[str], object] = print) -> dict[str, Any]:
    """A model's metrics on labelled acts and/or conversations (LABELS.md formats), as `reciprocity evaluate`
    prints them: per act and label precision, recall and F1 with bootstrap intervals, the confusion matrix and
    calibration; a `TrainingOverlapWarning` when the model was trained on some of that data."""
    from reciprocity_nlp.analysis import Analyzer
    from reciprocity_nlp.training import check_log, load_acts, load_conversations
    from reciprocity_nlp.training import evaluate as _evaluate

    if not isinstance(analyzer, Analyzer):  # a folder, as `reciprocity evaluate --model` takes, checked before any reading
        raise TypeError(f"evaluate() takes a model, as rn.load(path) or rn.train(...) return it, not "
                        f"{type(analyzer).__name__} {analyzer!r}")
    check_log(log)
    if acts is None and conversations is None:
        raise TrainingDataError("nothing to evaluate on: give acts, conversations or both")
    act_rows = load_acts(acts, log) if acts is not None else []
    items = load_conversations(conversations, log) if conversations is not None else []
    return _evaluate(analyzer, act_rows, items, log=log)


def __getattr__(name: str) -> Any:
    """`Analyzer`, `Analysis` and `Segmenter` on demand (PEP 562), so that `import reciprocity_nlp` stays light."""
    if name in _LAZY:
        return getattr(importlib.import_module(f"reciprocity_nlp.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'reciprocity_nlp' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's names with the lazy ones, which are not in its namespace until used."""
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ACTS",
    "FORMATS",
    "LABELS",
    "AgentError",
    "Analysis",
    "Analyzer",
    "Conversation",
    "ModelError",
    "ReadError",
    "Segmenter",
    "Sentence",
    "TrainingDataError",
    "Turn",
    "assign_agent",
    "evaluate",
    "iter_conversations",
    "load",
    "parse",
    "read",
    "read_file",
    "rename_speakers",
    "train",
]
