#!/usr/bin/env python3
"""Set up and run the project with nothing but Python 3.11+.

    python3 tasks.py demo   # make .venv, install, score data/samples/ with the shipped model, write out/report.html
    python3 tasks.py test   # make .venv, install with test extras, run ruff and pytest

The virtual environment lives in `.venv/` and is reinstalled only when `setup.cfg` changes.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT)
    if result.returncode:
        sys.exit(result.returncode)


def setup(extras: str) -> None:
    """Create .venv and install the project (editable) unless it is already up to date."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older Python
        sys.exit(f"reciprocity-nlp needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating virtual environment in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    digest = hashlib.sha256((ROOT / "setup.cfg").read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".")
    stamp.write_text(digest)


def demo() -> None:
    setup("")
    out = ROOT / "out"
    out.mkdir(exist_ok=True)
    run(BIN / "reciprocity", "score", "data/samples", "--out", out / "scores.csv", "--sentences-out", out / "sentences.csv")
    run(BIN / "reciprocity", "report", out / "scores.csv", out / "sentences.csv", "--out", out / "report.html",
        "--title", "Sample conversations")
    print_summary(out / "scores.csv")
    print(f"\nper-conversation scores: {out / 'scores.csv'}\nper-sentence acts:       {out / 'sentences.csv'}"
          f"\nHTML report:             {out / 'report.html'}")


def print_summary(scores: Path) -> None:
    with open(scores, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    print(f"\n{'conversation':<14}{'channel':<8}{'agent':<18}{'flags':<28}{'reciprocity':>11}")
    for r in rows:
        flags = r["flags"].replace(";", ", ") or ("ERROR: " + r["error"] if r["error"] else "(reciprocal)")
        print(f"{r['conversation_id']:<14}{r['channel']:<8}{r['agent'][:17]:<18}{flags[:27]:<28}{r['reciprocity_index']:>11}")


def ensure_chromium() -> None:
    """The report's browser test needs Debian's chromium and chromedriver: install them when missing."""
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print("note: chromium/chromedriver not found and cannot be installed here; the browser test will be skipped")
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"]):
        print("+", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)


def test() -> None:
    setup("test")
    ensure_chromium()
    run(PY, "-m", "ruff", "check", "reciprocity_nlp", "tests", "data/tools", "benchmarks", "notebooks/build.py", "tasks.py")
    run(PY, "-m", "pytest")


if __name__ == "__main__":
    commands = {"demo": demo, "test": test}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 tasks.py {demo|test}")
    commands[sys.argv[1]]()
