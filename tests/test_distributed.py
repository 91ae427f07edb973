"""The Dask engine on a LocalCluster with two worker processes gives the local engine's rows."""

import csv
import subprocess
import sys

import pytest

from reciprocity_nlp.scoring import SCORE_COLUMNS
from tests.conftest import ROOT

distributed = pytest.importorskip("dask.distributed")

SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def test_same_rows_as_the_local_engine(cluster, tmp_path):
    from dask import bag as db

    from reciprocity_nlp import load
    from reciprocity_nlp.distributed import score_bag, score_paths

    (tmp_path / "broken.vtt").write_text("nope")
    paths = [SAMPLES, tmp_path / "broken.vtt"]
    local = list(load().score_paths(paths))
    with distributed.Client(cluster) as client:
        rows = score_paths(paths, client=client, chunk=3)
        assert rows == local
        workers = client.run(lambda: sorted(__import__("reciprocity_nlp.distributed").distributed._ANALYZERS))
        assert len(workers) == 2 and all(v == [(None, False)] for v in workers.values())  # loaded once per worker
        files = sorted(str(p) for p in SAMPLES.iterdir())
        bag_rows = score_bag(db.from_sequence(files, npartitions=2)).compute()
        assert [r["path"] for r in bag_rows] == files


def test_cli_engine_dask(cluster, tmp_path):
    out = tmp_path / "scores.csv"
    result = subprocess.run([sys.executable, "-m", "reciprocity_nlp", "score", str(SAMPLES), "--out", str(out), "--engine",
                             "dask", "--scheduler", cluster.scheduler_address, "--quiet"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(out, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 12 and list(rows[0]) == SCORE_COLUMNS
