"""The exception types for input the library cannot read or use (each message names the file), and for
command lines the CLI cannot carry out."""

from __future__ import annotations

from pathlib import Path


class ReadError(ValueError):
    """A file that is not a readable conversation; the message names the file and the reason.

    `conversation_id` is set when only one conversation of a file that holds several cannot be read
    (its reason then names it too); the file's other conversations are still readable.
    """

    def __init__(self, path: str | Path | None, reason: str, conversation_id: str | None = None) -> None:
        self.path = str(path) if path is not None else None
        self.reason = reason
        self.conversation_id = conversation_id
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


class ModelError(RuntimeError):
    """A model folder that cannot be loaded safely or at all; the message says why."""


class TrainingDataError(ValueError):
    """Labelled data that cannot be used; the message names the file and the row."""


class TableError(ValueError):
    """A CSV/JSONL/Parquet table (manifest, labels, scores) that cannot be read; the message names the file."""


class UsageError(Exception):
    """A command line that cannot be carried out as given (exit status 2).

    Here rather than in `cli`, so `python -m reciprocity_nlp.cli` (which runs a second copy of that
    module as `__main__`) catches the same class that `batch` raises.
    """
