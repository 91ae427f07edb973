"""Throughput, scaling and memory of `reciprocity score`, as ratios measured in one run.

    python benchmarks/throughput.py [--size 5000] [--jobs 2] [--skip-scaling] [--pairs N]

The corpus is `data/conversations/` copied over and over (new file names, same content) to
about `--size` conversations. The floor is reading the same files and running only spaCy's
tokenizer and the sentence splitter. Every measurement is a fresh process (`reciprocity score`
or the floor script), timed from start to exit, with its peak resident memory, so start-up
is counted on both sides. The 4x ratio divides one timing by another taken minutes later, so a
shared machine whose speed drifts can swing it by 10%; `--pairs N` adds N back-to-back 1x-then-4x
timings and the median of their ratios. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "data" / "conversations"

FLOOR = """
import sys
from reciprocity_nlp.readers import iter_files, read_file
from reciprocity_nlp.segmentation import Segmenter
seg = Segmenter()
conversations = sentences = 0
for path in iter_files(sys.argv[1]):
    for conv in read_file(path):
        seg(conv)
        conversations += 1
        sentences += conv.n_sentences
print(conversations, sentences)
"""

MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
elapsed = time.perf_counter() - start
if result.returncode not in (0, 1):
    sys.exit(result.stderr)
lines = result.stdout.strip().splitlines()
print(json.dumps([elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, lines[-1] if lines else ""]))
"""


def build_corpus(target: Path, size: int) -> int:
    files = sorted(p for p in SOURCE.rglob("*") if p.is_file() and p.name != "labels.jsonl")
    copies = max(1, round(size / len(files)))
    for k in range(copies):
        folder = target / f"copy{k:03d}"
        folder.mkdir(parents=True)
        for f in files:
            shutil.copyfile(f, folder / f.name)
    return copies * len(files)


def measure(*cmd: str) -> tuple[float, int, str]:
    """(seconds, peak bytes, last stdout line) of a command run in its own measuring process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=True).stdout
    seconds, peak, last = json.loads(out)
    return float(seconds), int(peak), last


def floor(corpus: Path) -> tuple[float, int, int, int]:
    seconds, peak, last = measure(sys.executable, "-c", FLOOR, str(corpus))
    conversations, sentences = (int(x) for x in last.split())
    return seconds, peak, conversations, sentences


def score(corpus: Path, jobs: int, out: Path) -> tuple[float, int]:
    seconds, peak, _ = measure(sys.executable, "-m", "reciprocity_nlp", "score", str(corpus), "--jobs", str(jobs),
                               "--out", str(out), "--quiet")
    return seconds, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=5000, help="conversations in the 1x corpus (default 5000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="workers for the parallel run")
    parser.add_argument("--skip-scaling", action="store_true", help="skip the 4x corpus")
    parser.add_argument("--pairs", type=int, default=0,
                        help="also time N more 1x-then-4x pairs back to back and report the median of their ratios "
                             "(steadier on a machine whose speed drifts; each pair takes about five 1x runs)")
    args = parser.parse_args()
    mb = 1024 * 1024
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        corpus = tmp_path / "x1"
        n_files = build_corpus(corpus, args.size)
        f_s, f_mem, convs, sents = floor(corpus)
        one_s, one_mem = score(corpus, 1, tmp_path / "one.csv")
        par_s, _ = score(corpus, args.jobs, tmp_path / "par.csv")
        same = (tmp_path / "one.csv").read_bytes() == (tmp_path / "par.csv").read_bytes()
        print(f"corpus: {n_files} files, {convs} conversations, {sents} sentences (data/conversations copied)")
        print(f"floor (read + tokenise + split, 1 process): {f_s:.1f}s, {convs / f_s:.0f} conversations/s, "
              f"{sents / f_s:.0f} sentences/s, peak {f_mem / mb:.0f} MB")
        print(f"score --jobs 1: {one_s:.1f}s, {convs / one_s:.1f} conversations/s, {sents / one_s:.0f} sentences/s, "
              f"peak {one_mem / mb:.0f} MB")
        print(f"score --jobs {args.jobs}: {par_s:.1f}s, {convs / par_s:.1f} conversations/s (rows identical to --jobs 1: {same})")
        print(f"RATIO full scoring / floor, 1 worker: {one_s / f_s:.2f}  (target <= 2.0)")
        print(f"RATIO speed-up of {args.jobs} workers over 1: {one_s / par_s:.2f}  (target >= 1.6 for 2)")
        if not args.skip_scaling:
            big = tmp_path / "x4"
            build_corpus(big, args.size * 4)
            big_s, big_mem = score(big, 1, tmp_path / "big.csv")
            print(f"score --jobs 1 on 4x: {big_s:.1f}s, peak {big_mem / mb:.0f} MB")
            print(f"RATIO 4x corpus time / 1x time: {big_s / one_s:.2f}  (target <= 4.4)")
            print(f"RATIO 4x corpus peak memory / 1x: {big_mem / one_mem:.2f}  (target <= 1.2)")
            ratios = []
            for i in range(args.pairs):
                a, _ = score(corpus, 1, tmp_path / "one.csv")
                b, _ = score(big, 1, tmp_path / "big.csv")
                ratios.append(b / a)
                print(f"pair {i + 1}: 1x {a:.1f}s, 4x {b:.1f}s, ratio {b / a:.2f}")
            if ratios:
                print(f"RATIO 4x corpus time / 1x time, median of {len(ratios)} back-to-back pairs: "
                      f"{statistics.median(ratios):.2f}  (target <= 4.4)")
        print(f"one-worker peak memory: {one_mem / mb:.0f} MB (target < 500 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
