"""How messages to people are worded: one place for what the CLI, batch runs and training say alike."""

from __future__ import annotations

import json
from collections.abc import Sequence


def count(n: int, noun: str) -> str:
    """`n` and the noun in the right number: "1 file", "2 files", "0 errors"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def listed(names: Sequence[str], most: int) -> str:
    """Up to `most` names joined by commas, and how many more there are: "c1, c2 and 3 more"."""
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def json_problem(exc: json.JSONDecodeError, line: int | None = None) -> str:
    """What is wrong with JSON text and where, the place said once: "Unterminated string starting at line 2 column 26".
    Python words two of its messages ("Unterminated string starting at", "Invalid control character at") to be
    followed by the place, so their "at" is not written twice. `line` is the line to name (a JSON Lines file's own);
    without it, text of one line (a table's row, whose line the caller names; a cell) gets its column alone."""
    if line is None and exc.lineno > 1:
        line = exc.lineno
    where = f"column {exc.colno}" if line is None else f"line {line} column {exc.colno}"
    return f"{exc.msg.removesuffix(' at')} at {where}"
