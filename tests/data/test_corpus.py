"""The labelled corpus in data/ passes its validator (counts, readability, acts, phrase reuse)."""

import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "data" / "tools"))

from validate import validate


def test_corpus_is_valid():
    problems, stats = validate()
    assert problems == [], "\n".join(problems[:50])
    assert stats["conversations"] >= 400
