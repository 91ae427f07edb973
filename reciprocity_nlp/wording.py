"""How messages to people are worded: one place for what the CLI, batch runs and training say alike."""

from __future__ import annotations


def count(n: int, noun: str) -> str:
    """`n` and the noun in the right number: "1 file", "2 files", "0 errors"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
