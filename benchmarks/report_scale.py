"""The HTML report at scale: size and load time of a report of 5,000 conversations in headless Chromium.

    python benchmarks/report_scale.py [--size 5000] [--runs 3] [--scores F --sentences F] [--keep DIR]

The score and sentence rows of data/samples/ (scored here unless --scores/--sentences are given) are
replicated with new conversation ids to `--size` conversations, spread over 25 copies of each agent.
Prints the time to build the report, its size, and in Chromium (/usr/bin/chromium with
/usr/bin/chromedriver) the page load time (navigationStart to loadEventEnd, median of `--runs`), the
time to open one conversation and to sort the conversation table, and the JS heap in use.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reciprocity_nlp.report import build_report, load_rows

ROOT = Path(__file__).resolve().parents[1]

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000"]

OPEN_CONVERSATION = """
const done = arguments[arguments.length - 1], t0 = performance.now();
window.addEventListener("hashchange", () => done(performance.now() - t0), {once: true});
location.hash = "#c=" + arguments[0];
"""
SORT = """
const th = document.querySelector('#conversation-table th[data-sort="ri"]'), t0 = performance.now();
th.click();
return performance.now() - t0;
"""


def replicate(scores: list[dict], sentences: list[dict], size: int) -> tuple[list[dict], list[dict]]:
    """`size` conversations: copies of the rows with new ids (and paths), agents spread over 25 copies each."""
    by_conv: dict[tuple[str, str], list[dict]] = {}
    for s in sentences:
        by_conv.setdefault((s["path"], s["conversation_id"]), []).append(s)
    out_scores, out_sentences = [], []
    k = 0
    while len(out_scores) < size:
        for row in scores:
            if len(out_scores) == size:
                break
            cid, path = f"{row['conversation_id']}-{k:05d}", f"{row['path']}#{k}"
            out_scores.append({**row, "conversation_id": cid, "path": path, "agent": f"{row['agent']} {k % 25:02d}"})
            out_sentences += [{**s, "conversation_id": cid, "path": path} for s in by_conv.get((row["path"], row["conversation_id"]), [])]
        k += 1
    return out_scores, out_sentences


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tempfile.mkdtemp(prefix='report-scale-')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scores", help="score rows (.csv, .jsonl, .parquet); default: score data/samples/ now")
    parser.add_argument("--sentences", help="sentence rows to go with --scores")
    parser.add_argument("--keep", metavar="DIR", help="write the report here instead of a temporary folder")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="report-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.scores:
        scores, sentences = load_rows(args.scores), load_rows(args.sentences) if args.sentences else []
    else:
        subprocess.run([sys.executable, "-m", "reciprocity_nlp", "score", str(ROOT / "data" / "samples"), "--out",
                        str(work / "scores.csv"), "--sentences-out", str(work / "sentences.csv"), "--quiet"], check=True, cwd=ROOT)
        scores, sentences = load_rows(work / "scores.csv"), load_rows(work / "sentences.csv")
    scores, sentences = replicate(scores, sentences, args.size)

    start = time.perf_counter()
    path = build_report(scores, sentences, work / "report.html")
    build = time.perf_counter() - start
    print(f"conversations: {len(scores)}, sentences: {len(sentences)}, agents: {len({r['agent'] for r in scores})}")
    print(f"build time: {build:.2f} s")
    print(f"report size: {path.stat().st_size / 1e6:.2f} MB  ({path})")

    driver = chromium()
    try:
        loads = []
        for _ in range(args.runs):
            driver.get(path.as_uri())
            timing = driver.execute_script("const t = performance.timing; return [t.navigationStart, t.loadEventEnd];")
            while not timing[1]:
                time.sleep(0.05)
                timing = driver.execute_script("const t = performance.timing; return [t.navigationStart, t.loadEventEnd];")
            loads.append(timing[1] - timing[0])
        opened = driver.execute_async_script(OPEN_CONVERSATION, len(scores) - 1)
        driver.execute_script("location.hash = ''")
        sort = driver.execute_script(SORT)
        heap = driver.execute_script("return performance.memory ? performance.memory.usedJSHeapSize : null")
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
    print(f"page load (navigationStart to loadEventEnd): median {statistics.median(loads):.0f} ms over {len(loads)} run(s): "
          + ", ".join(f"{t} ms" for t in loads))
    print(f"open the last conversation: {opened:.0f} ms; sort {len(scores)} conversations: {sort:.0f} ms")
    if heap:
        print(f"JS heap in use: {heap / 1e6:.1f} MB")
    print(f"console errors: {len(severe)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
