"""Every real SpamAssassin email in ../shared/benchmarks/emails reads into text (skipped when absent)."""

import pytest

from reciprocity_nlp import read_file
from tests.conftest import SHARED

EMAILS = SHARED / "benchmarks" / "emails"


@pytest.mark.skipif(not EMAILS.is_dir(), reason="../shared/benchmarks/emails is not present")
def test_every_public_email_yields_text():
    files = sorted(EMAILS.rglob("*.eml"))
    assert len(files) >= 800
    empty = []
    for path in files:
        conversations = read_file(path)
        if not any(t.text.strip() for c in conversations for t in c.turns):
            empty.append(path.name)
    assert empty == []
