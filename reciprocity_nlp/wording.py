"""How messages to people are worded: one place for what the CLI, batch runs and training say alike."""

from __future__ import annotations

from collections.abc import Sequence


def count(n: int, noun: str) -> str:
    """`n` and the noun in the right number: "1 file", "2 files", "0 errors"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def listed(names: Sequence[str], most: int) -> str:
    """Up to `most` names joined by commas, and how many more there are: "c1, c2 and 3 more"."""
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")
