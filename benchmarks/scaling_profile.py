"""Does any code grow faster than the corpus? Profile `reciprocity score --jobs 1` on a 1x and a 4x corpus.

    python benchmarks/scaling_profile.py [--size 1224] [--top 10]

`throughput.py`'s 4x ratio divides two wall-clock timings taken minutes apart, so a machine whose
speed drifts moves it. This script answers the question underneath with CPU profiles instead:
the same corpora as `throughput.py` (`data/conversations/` copied), each scored in a fresh
process under cProfile. It prints the ratio of total profiled time and the functions whose own
time grew most beyond the corpus ratio (superlinear work would show there). Prints figures;
asserts nothing. Profiling slows the run about twofold, so its times are not throughput figures.
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

from throughput import build_corpus


def profile(corpus: Path, out: Path) -> dict[str, float]:
    """Own time per function ("file:line:name") of one profiled `reciprocity score` run."""
    prof = out.with_suffix(".prof")
    subprocess.run([sys.executable, "-m", "cProfile", "-o", str(prof), "-m", "reciprocity_nlp", "score", str(corpus),
                    "--jobs", "1", "--quiet", "--out", str(out)], check=True, capture_output=True)
    stats = pstats.Stats(str(prof)).stats  # type: ignore[attr-defined]
    return {f"{Path(file).name}:{line}:{name}": row[2] for (file, line, name), row in stats.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1224, help="conversations in the 1x corpus (default 1224: one copy)")
    parser.add_argument("--top", type=int, default=10, help="functions to list (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        n1 = build_corpus(tmp_path / "x1", args.size)
        n4 = build_corpus(tmp_path / "x4", args.size * 4)
        one = profile(tmp_path / "x1", tmp_path / "one.csv")
        big = profile(tmp_path / "x4", tmp_path / "big.csv")
    k = n4 / n1
    t1, t4 = sum(one.values()), sum(big.values())
    excess = sorted(((t - k * one.get(f, 0.0), one.get(f, 0.0), t, f) for f, t in big.items()), reverse=True)
    print(f"corpus: {n1} -> {n4} conversations ({k:.2f}x)")
    print(f"profiled time: {t1:.1f}s -> {t4:.1f}s")
    print(f"RATIO profiled time 4x / 1x: {t4 / t1:.2f}  (linear code with start-up shared: below {k:.2f})")
    print(f"own time beyond {k:.2f}x the 1x run, summed over all functions: {sum(e for e, *_ in excess if e > 0):.1f}s")
    print(f"{'beyond':>8} {'1x':>8} {'4x':>8}  function (own time, seconds)")
    for e, a, b, f in excess[:args.top]:
        print(f"{e:8.2f} {a:8.2f} {b:8.2f}  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
