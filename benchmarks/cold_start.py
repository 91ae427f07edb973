"""Cold start: `reciprocity score` on one file against a bare `import spacy, sklearn`.

    python benchmarks/cold_start.py [--runs 7] [FILE]

Each command runs `--runs` times in a fresh interpreter, alternating, and the medians are
compared. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", nargs="?", default=str(ROOT / "data" / "samples" / "s-002.vtt"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bare_cmd = [sys.executable, "-c", "import spacy, sklearn"]
    score_cmd = [sys.executable, "-m", "reciprocity_nlp", "score", args.file, "--quiet"]
    timed(bare_cmd)  # warm the file cache for both
    timed(score_cmd)
    bare, score = [], []
    for _ in range(args.runs):
        bare.append(timed(bare_cmd))
        score.append(timed(score_cmd))
    b, s = statistics.median(bare), statistics.median(score)
    print(f"bare 'import spacy, sklearn': median {b:.2f}s over {args.runs} runs")
    print(f"'reciprocity score {Path(args.file).name}': median {s:.2f}s over {args.runs} runs")
    print(f"RATIO cold start / bare import: {s / b:.2f}  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
