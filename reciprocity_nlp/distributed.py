"""Score on a Dask cluster when one machine is not enough.

    from dask.distributed import Client
    from reciprocity_nlp.distributed import score_paths
    client = Client("tcp://scheduler:8786")          # or Client() for a local cluster
    rows = score_paths(["/data/calls", "/data/mail"], client=client)

The rows are the ones `reciprocity score` writes, in the same order. Work goes out in chunks of
files (not one tiny task per file), each worker process loads the model once and keeps it, and
workers send back plain rows. Every worker must see the files at the same paths (a shared
filesystem or the same mount) and have reciprocity-nlp installed. `score_bag` and
`score_dataframe` do the same for a dask bag of paths or a dask DataFrame with a `path` column.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from reciprocity_nlp.scoring import SCORE_COLUMNS, Job, jobs_from_paths, score_chunk

Result = tuple[list[dict[str, Any]], list[dict[str, Any]]]
_ANALYZERS: dict[tuple[str | None, bool], Any] = {}


def worker_analyzer(model: str | None, trust: bool) -> Any:
    """The analyzer of this worker process, loaded on first use and kept."""
    key = (model, trust)
    if key not in _ANALYZERS:
        from reciprocity_nlp.persistence import load_model

        _ANALYZERS[key] = load_model(model, trust=trust)
    return _ANALYZERS[key]


def score_chunk_task(jobs: Sequence[Job], model: str | None, trust: bool, with_sentences: bool) -> list[Result]:
    """The task a worker runs: score a chunk of files with the worker's own analyzer."""
    return score_chunk(worker_analyzer(model, trust), jobs, with_sentences)


def _client(scheduler: Any) -> Any:
    from dask.distributed import Client

    if scheduler is None:
        return Client(processes=True)
    if isinstance(scheduler, str):
        return Client(scheduler)
    return scheduler


def dask_results(jobs: Sequence[Job], model: str | None, trust: bool, with_sentences: bool, scheduler: Any = None,
                 chunk: int = 32, window: int = 64) -> Iterator[Result]:
    """Results for each job, in order, computed on a Dask cluster (a local one when no scheduler).

    At most `window` chunks are in flight, so memory stays flat however many files there are.
    """
    client = _client(scheduler)
    own = client is not scheduler
    try:
        chunks = iter([list(jobs[i:i + chunk]) for i in range(0, len(jobs), chunk)])

        def submit(c: list[Job]) -> Any:
            # pure=False: the same paths may hold new content the next time they are scored.
            return client.submit(score_chunk_task, c, model, trust, with_sentences, pure=False)

        pending: deque[Any] = deque(submit(c) for c in islice(chunks, window))
        while pending:
            results = pending.popleft().result()
            pending.extend(submit(c) for c in islice(chunks, 1))
            yield from results
    finally:
        if own:
            client.close()


def score_paths(paths: str | Path | Iterable[str | Path], model: str | None = None, trust: bool = False,
                client: Any = None, chunk: int = 32) -> list[dict[str, Any]]:
    """`reciprocity score` rows for a file or folder, or several, computed on a Dask cluster."""
    jobs = list(jobs_from_paths(paths))
    return [row for rows, _ in dask_results(jobs, model, trust, False, client, chunk) for row in rows]


def _rows_for_paths(paths: Iterable[str], model: str | None, trust: bool) -> list[dict[str, Any]]:
    results = score_chunk_task([Job(str(p)) for p in paths], model, trust, False)
    return [row for rows, _ in results for row in rows]


def score_bag(bag: Any, model: str | None = None, trust: bool = False) -> Any:
    """A dask bag of file paths -> a dask bag of score rows (one partition is one task)."""
    return bag.map_partitions(_rows_for_paths, model, trust)


def _frame_for_partition(frame: Any, model: str | None, trust: bool) -> Any:
    import pandas as pd

    jobs = [Job(str(r["path"]), r.get("agent") or None, r.get("conversation_id") or None) for r in frame.to_dict("records")]
    rows = [row for rs, _ in score_chunk_task(jobs, model, trust, False) for row in rs]
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def score_dataframe(ddf: Any, model: str | None = None, trust: bool = False) -> Any:
    """A dask DataFrame with a `path` column (optional `agent`, `conversation_id`) -> score rows."""
    import pandas as pd

    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in SCORE_COLUMNS})
    return ddf.map_partitions(_frame_for_partition, model, trust, meta=meta)
