"""The act tagger with and without its second (turn context) stage, on the dev split of data/.

    python benchmarks/act_stages.py

Both are trained on the train split's sentences (features as `reciprocity train` makes them)
and measured on the dev split; the test split is not touched. The one-stage model is release
0.1's: the same features into a sigmoid-calibrated logistic regression. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import Pipeline

from reciprocity_nlp.acts import ActClassifier, NumericDictVectorizer
from reciprocity_nlp.analysis import build_pipeline
from reciprocity_nlp.features import row_features, turn_keys
from reciprocity_nlp.tables import read_rows
from reciprocity_nlp.training import load_acts

ROOT = Path(__file__).resolve().parents[1]


def one_stage() -> Pipeline:
    classifier = LogisticRegression(C=0.5, max_iter=3000, class_weight="balanced")
    return Pipeline([
        ("vectorizer", NumericDictVectorizer(dtype=np.float32)),
        ("classifier", CalibratedClassifierCV(classifier, method="sigmoid", cv=3, ensemble=False)),
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    labels = read_rows(args.data / "conversations" / "labels.jsonl")
    split = {r["conversation_id"]: r["split"] for r in labels}
    agents = {r["conversation_id"]: r["agent"] for r in labels}
    channels = {r["conversation_id"]: r["channel"] for r in labels}
    rows = [r for r in load_acts(args.data / "acts") if split.get(str(r["conversation_id"])) in ("train", "dev")]
    X = row_features(build_pipeline(), rows, agents, channels)
    y = np.array([r["act"] for r in rows])
    turns = turn_keys(rows)
    is_dev = np.array([split[str(r["conversation_id"])] == "dev" for r in rows])
    train, dev = np.flatnonzero(~is_dev), np.flatnonzero(is_dev)
    print(f"train: {len(train)} sentences, dev: {len(dev)} sentences")
    for name, model, uses_turns in (("one stage (0.1)", one_stage(), False), ("two stages (0.2)", ActClassifier(), True)):
        start = time.perf_counter()
        fit_args = ([turns[i] for i in train],) if uses_turns else ()
        model.fit([X[i] for i in train], y[train], *fit_args)
        pred_args = ([turns[i] for i in dev],) if uses_turns else ()
        pred = model.predict([X[i] for i in dev], *pred_args)
        per_act = f1_score(y[dev], pred, average=None, labels=model.classes_)
        print(f"{name}: dev act macro-F1 {f1_score(y[dev], pred, average='macro'):.3f} "
              f"({', '.join(f'{a} {f:.3f}' for a, f in zip(model.classes_, per_act, strict=True))}; "
              f"fit {time.perf_counter() - start:.0f}s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
