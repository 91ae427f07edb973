"""One big export: does scoring a single file of many calls keep memory flat as the file grows?

    python benchmarks/export_size.py [--calls 400] [--jobs 1]

A CRM or call-recording tool often exports every call into one CSV (`conversation_id, speaker,
text`). This builds such exports from the conversations of `data/conversations/` (read by the
package's readers, written back as rows; repeated with new ids to reach the size), of N and 4N
calls, and scores each with `reciprocity score` in a fresh process. It prints each run's time and
peak memory and the 4x ratios: near 4 for time means linear, near 1 for memory means flat. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

from throughput import SOURCE, measure

from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.readers import iter_files, read_file


def conversations() -> list[Conversation]:
    """The corpus's conversations, in a fixed order (the labels file is not one)."""
    return [c for path in iter_files(SOURCE) if path.name != "labels.jsonl" for c in read_file(path)]


def write_export(target: Path, calls: list[Conversation], n: int) -> None:
    """One CSV of `n` calls (`conversation_id, speaker, text`), the corpus's repeated under new ids."""
    with open(target, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["conversation_id", "speaker", "text"])
        for i in range(n):
            for turn in calls[i % len(calls)].turns:
                writer.writerow([f"call-{i:06d}", turn.speaker, turn.text])


def main() -> int:
    """Build the two exports, score each in a fresh process, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=400, help="calls in the smaller export (default 400)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for `reciprocity score` (default 1)")
    args = parser.parse_args()
    calls = conversations()
    mb = 1024 * 1024
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (args.calls, 4 * args.calls):
            export = Path(tmp) / f"export-{n}.csv"
            write_export(export, calls, n)
            seconds, peak, _ = measure(sys.executable, "-m", "reciprocity_nlp", "score", str(export), "--jobs",
                                       str(args.jobs), "--quiet", "--out", str(Path(tmp) / f"scores-{n}.csv"))
            figures[n] = seconds, peak
            print(f"{n} calls in one file ({export.stat().st_size / mb:.1f} MB): {seconds:.1f}s, peak {peak / mb:.0f} MB")
    (t1, m1), (t4, m4) = figures.values()
    print(f"4x calls: time ratio {t4 / t1:.2f} (about 4 is linear), memory ratio {m4 / m1:.2f} (about 1 is flat)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
