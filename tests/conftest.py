"""Shared test paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from reciprocity_nlp import Conversation, read

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


def read_text(folder: Path, name: str, text: str) -> Conversation:
    """The one conversation of a file written with `text` (a small input made inside a test)."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return read(path)
