"""Real-looking exports written apart from the readers (tests/fixtures/exports/expected.json)."""

import json

import pytest

from reciprocity_nlp import read, read_file
from tests.conftest import FIXTURES

EXPORTS = FIXTURES / "exports"
EXPECTED = json.loads((EXPORTS / "expected.json").read_text(encoding="utf-8"))


def check(conv, spec):
    assert conv.speakers == spec["speakers"]
    assert len(conv.turns) == len(spec["turns"]), [(t.speaker, t.text[:40]) for t in conv.turns]
    for turn, (speaker, snippet) in zip(conv.turns, spec["turns"], strict=True):
        assert turn.speaker == speaker
        assert snippet in " ".join(turn.text.split()), (snippet, turn.text)
    for bad in spec.get("absent", []):
        assert all(bad not in t.text for t in conv.turns), bad


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_export(name):
    spec = EXPECTED[name]
    if "conversations" in spec:
        convs = {c.id: c for c in read_file(EXPORTS / name)}
        assert sorted(convs) == sorted(spec["conversations"])
        for cid, sub in spec["conversations"].items():
            check(convs[cid], {**sub, "absent": spec.get("absent", [])})
        return
    conv = read(EXPORTS / name)
    assert conv.channel == spec["channel"]
    check(conv, spec)
