"""The HTML report: rows in, one self-contained page out, checked as text and in headless Chromium."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tempfile
from io import BytesIO
from pathlib import Path

import pandas as pd
import pytest

from reciprocity_nlp.labels import ACT_DESCRIPTIONS, ACTS, LABEL_DESCRIPTIONS, LABELS
from reciprocity_nlp.report import agent_summary, build_report, load_rows, normalize_row
from reciprocity_nlp.scoring import SCORE_COLUMNS, SENTENCE_COLUMNS, error_row
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXTERNAL = re.compile(r"""\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
EVIL_ID = 'x"><img src=x onerror="window.pwned=1">'
EVIL_TEXT = '<script>alert(1)</script> and </script><img src=x onerror="window.pwned=2"> & <!-- done'
EVIL_TEXT_2 = "</script><script>window.pwned=3</script>"


@pytest.fixture(scope="module")
def sample_rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    out = tmp_path_factory.mktemp("scores")
    subprocess.run([sys.executable, "-m", "reciprocity_nlp", "score", str(SAMPLES), "--out", str(out / "scores.csv"),
                    "--sentences-out", str(out / "sentences.csv"), "--quiet"], check=True, cwd=ROOT)
    scores = load_rows(out / "scores.csv")
    assert not [r["error"] for r in scores if r["error"]], "scoring data/samples failed"
    return scores, load_rows(out / "sentences.csv")


def evil_rows() -> tuple[list[dict], list[dict]]:
    """A conversation whose id, agent and text try to inject HTML and script, and an error row doing the same."""
    score = dict.fromkeys(SCORE_COLUMNS, "")
    score.update(path="evil.txt", conversation_id=EVIL_ID, channel="call", agent="<b>Eve</b>", n_turns=2, n_sentences=3,
                 flags="pushy", reciprocity_index=0.01, give_value=0.0, extract_info=0.0, push=0.5, pitch=0.0, rapport=0.0,
                 other=0.5, **{**dict.fromkeys(LABELS, 0.2), "pushy": 0.95})
    base = {"path": "evil.txt", "conversation_id": EVIL_ID, "confidence": 0.9}
    probs = {f"p_{a}": 0.02 for a in ACTS}
    sentences = [
        {**base, **probs, "turn": 0, "speaker": "<b>Eve</b>", "role": "agent", "text": EVIL_TEXT, "act": "push", "p_push": 0.9},
        {**base, **probs, "turn": 0, "speaker": "<b>Eve</b>", "role": "agent", "text": EVIL_TEXT_2, "act": "other", "p_other": 0.9},
        {**base, **probs, "turn": 1, "speaker": "Bob & <i>co</i>", "role": "counterpart", "text": "No.", "act": "other",
         "p_other": 0.9},
    ]
    return [score, error_row("broken<script>.vtt", "not WebVTT: <b>bad</b></script>")], sentences


def embedded_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.DOTALL)
    assert m, "no data block"
    return json.loads(m.group(1))


# --------------------------------------------------------------------------- rows


def test_load_rows_reads_csv_jsonl_and_parquet_alike(tmp_path, sample_rows):
    scores, _ = sample_rows
    rows = [*scores, normalize_row(error_row("bad.vtt", "not WebVTT"))]
    with open(tmp_path / "s.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SCORE_COLUMNS)
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
    (tmp_path / "s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    pd.DataFrame(rows).to_parquet(tmp_path / "s.parquet")
    loaded = [load_rows(tmp_path / f"s.{ext}") for ext in ("csv", "jsonl", "parquet")]
    assert loaded[0] == loaded[1] == loaded[2] == rows
    first, error = loaded[0][0], loaded[0][-1]
    assert all(isinstance(first[k], float) for k in [*LABELS, *ACTS, "n_turns", "n_sentences", "reciprocity_index"])
    assert isinstance(first["conversation_id"], str) and isinstance(first["flags"], str)
    assert error["error"] == "not WebVTT" and error["pushy"] is None and error["agent"] == ""
    with pytest.raises(ValueError, match=r"expected a \.csv"):
        load_rows(tmp_path / "s.txt")


def test_sentence_rows_load_with_numbers(sample_rows):
    _, sentences = sample_rows
    assert set(sentences[0]) == set(SENTENCE_COLUMNS)
    assert isinstance(sentences[0]["turn"], float) and isinstance(sentences[0]["p_push"], float)
    assert sentences[0]["act"] in ACTS and sentences[0]["role"] in ("agent", "counterpart")


def test_agent_summary_counts_give_and_take_from_sentences(sample_rows):
    scores, sentences = sample_rows
    agents = agent_summary(scores, sentences)
    assert sum(a["conversations"] for a in agents) == len(scores)
    assert [a["conversations"] for a in agents] == sorted((a["conversations"] for a in agents), reverse=True)
    by_name = {a["agent"]: a for a in agents}
    assert "Rohan Mehta" in by_name and "ROHAN" not in by_name  # the samples write him both ways
    for a in agents:
        convs = {(r["path"], r["conversation_id"]) for r in scores if r["agent"] in a["names"]}
        mine = [s for s in sentences if (s["path"], s["conversation_id"]) in convs and s["role"] == "agent"]
        assert a["given"] == sum(s["act"] == "give_value" for s in mine)
        assert a["taken"] == sum(s["act"] in ("extract_info", "push") for s in mine)
        assert not a["estimated"]
        flagged = [r for r in scores if r["agent"] in a["names"] and "pushy" in r["flags"].split(";")]
        assert a["flag_rate_pushy"] == pytest.approx(len(flagged) / len(convs), abs=1e-4)
    estimated = agent_summary(scores)  # no sentence rows: act shares × n_sentences
    assert all(a["estimated"] for a in estimated)
    first = scores[0]
    mine = next(a for a in estimated if a["agent"] == first["agent"])
    same = [r for r in scores if r["agent"] in mine["names"]]
    assert mine["given"] == pytest.approx(sum(r["give_value"] * r["n_sentences"] for r in same), abs=0.2)
    # n_sentences counts both speakers, so the estimate is an upper bound of the exact count, and says so
    assert all(a["given"] >= by_name[a["agent"]]["given"] and a["taken"] >= by_name[a["agent"]]["taken"]
               for a in estimated)


SPELLINGS = ["Dana Whitfield", "DANA WHITFIELD", "dana  whitfield", "Dana W.", "MARCUS", "Marcus Bell",
             "Tom Okafor", "Tom Reed", "Tom"]


def spelled(scores: list[dict], names: list[str], sentences: list[dict] = ()) -> tuple[list[dict], list[dict]]:
    """A copy of the first score row per name, each its own conversation of that agent, and of its sentence rows."""
    first = scores[0]
    mine = [s for s in sentences if (s["path"], s["conversation_id"]) == (first["path"], first["conversation_id"])]
    return ([{**first, "conversation_id": f"c{k}", "agent": name} for k, name in enumerate(names)],
            [{**s, "conversation_id": f"c{k}"} for k in range(len(names)) for s in mine])


def with_failures(scores: list[dict], sentences: list[dict]) -> tuple[list[dict], list[dict]]:
    """Three conversations of two agents, and error rows of files a manifest named the agent of (and one it did not)."""
    rows, sents = spelled(scores, ["Dana Whitfield", "Marcus Bell", "Marcus Bell"], sentences)
    failed = [{**error_row("dana_02.vtt", "agent 'Dana Whitfield' is not a speaker"), "agent": "Dana Whitfield"},
              {**error_row("marcus_02.srt", "agent 'MARCUS' is not a speaker"), "agent": "MARCUS"},
              {**error_row("greg_02.eml", "empty file"), "agent": "Greg Holt"},
              error_row("broken.vtt", "not WebVTT")]
    return [*rows, *failed], sents


def test_failed_conversations_count_for_the_agent_a_manifest_named(tmp_path, sample_rows):
    rows, sents = with_failures(*sample_rows)
    agents = {a["agent"]: a for a in agent_summary(rows, sents)}
    assert {name: (a["conversations"], a["failed"]) for name, a in agents.items()} == {
        "Dana Whitfield": (1, 1), "Marcus Bell": (2, 1), "Greg Holt": (0, 1)}  # an error row naming no agent: nobody's
    assert agents["Marcus Bell"]["names"] == ["Marcus Bell", "MARCUS"]
    greg = agents["Greg Holt"]
    assert greg["mean_pushy"] is greg["flag_rate_pushy"] is greg["reciprocity_index"] is greg["given"] is None
    page = build_report(rows, sents, tmp_path / "r.html").read_text(encoding="utf-8")
    data = embedded_data(page)
    assert [a["agent"] for a in data["agents"]] == ["Marcus Bell", "Dana Whitfield", "Greg Holt"]
    assert [e["agent"] for e in data["errors"]] == ["Dana Whitfield", "MARCUS", "Greg Holt", ""]
    chart = page[page.index('id="balance"'):page.index('id="extremes"')]
    assert 'class="name">Greg Holt<' not in chart  # nothing scored to draw


def test_one_person_is_one_agent_under_every_spelling(tmp_path, sample_rows):
    scores, sentences = sample_rows
    rows, sents = spelled(scores, SPELLINGS, sentences)
    agents = {a["agent"]: a for a in agent_summary(rows)}
    assert {name: (a["conversations"], a["names"]) for name, a in agents.items()} == {
        "Dana Whitfield": (4, ["Dana Whitfield", "DANA WHITFIELD", "dana  whitfield", "Dana W."]),
        "Marcus Bell": (2, ["Marcus Bell", "MARCUS"]),
        "Tom Okafor": (1, ["Tom Okafor"]), "Tom Reed": (1, ["Tom Reed"]), "Tom": (1, ["Tom"])}  # 'Tom' fits two
    page = build_report(rows, sents, tmp_path / "r.html").read_text(encoding="utf-8")
    data = embedded_data(page)
    assert [a["agent"] for a in data["agents"]] == ["Dana Whitfield", "Marcus Bell", "Tom", "Tom Okafor", "Tom Reed"]
    assert [c["agent"] for c in data["conversations"]] == SPELLINGS  # a conversation keeps its own spelling
    chart = page[page.index('id="balance"'):page.index('id="extremes"')]
    assert chart.count('class="name">Dana Whitfield<') == 1 and "also written DANA WHITFIELD, dana  whitfield, Dana W." in chart


# --------------------------------------------------------------------------- the page as text


def test_report_is_self_contained(tmp_path, sample_rows):
    scores, sentences = sample_rows
    page = build_report(scores, sentences, tmp_path / "sub" / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not EXTERNAL.findall(page)
    assert "@import" not in page and "url(" not in page and "<link rel=\"stylesheet\"" not in page
    assert "<iframe" not in page and "<img" not in page
    for fragment in ('id="batch-view"', 'id="batch-table"', 'id="conversation-view"', 'id="legend"', "<svg"):
        assert fragment in page
    legend = page[page.index('id="legend"'):]
    for name, text in [*ACT_DESCRIPTIONS.items(), *LABEL_DESCRIPTIONS.items()]:
        assert name in legend and text.replace("'", "&#x27;") in legend
    data = embedded_data(page)
    assert len(data["conversations"]) == len(scores)
    assert sum(len(c["s"]) for c in data["conversations"]) == len(sentences)
    assert 'class="sentence' not in page  # transcripts are rendered on demand, not pre-rendered
    flagged = [c for c in data["conversations"] if c["flags"]]
    assert flagged and all(set(c["ev"]) == set(c["flags"]) for c in flagged)
    assert any(idx for c in flagged for idx in c["ev"].values())


def test_untrusted_text_is_escaped(tmp_path, sample_rows):
    scores, sentences = sample_rows
    bad_scores, bad_sentences = evil_rows()
    page = build_report([*scores, *bad_scores], [*sentences, *bad_sentences], tmp_path / "r.html",
                        title="<i>Q3</i> & </script>").read_text(encoding="utf-8")
    assert len(re.findall(r"<script", page, re.IGNORECASE)) == 2  # the data block and the code
    assert len(re.findall(r"</script", page, re.IGNORECASE)) == 2
    assert "<img" not in page and "<b>Eve</b>" not in page and "<i>" not in page
    assert "&lt;b&gt;Eve&lt;/b&gt;" in page and "<title>&lt;i&gt;Q3&lt;/i&gt; &amp; &lt;/script&gt;</title>" in page
    data = embedded_data(page)
    evil = next(c for c in data["conversations"] if c["id"] == EVIL_ID)
    assert [s[3] for s in evil["s"]] == [EVIL_TEXT, EVIL_TEXT_2, "No."]
    assert evil["agent"] == "<b>Eve</b>" and evil["speakers"][1] == ["Bob & <i>co</i>", "counterpart"]
    assert data["errors"] == [{"path": "broken<script>.vtt", "id": "broken<script>", "agent": "",
                               "error": "not WebVTT: <b>bad</b></script>"}]


def test_report_of_errors_only(tmp_path):
    rows = [error_row("a.vtt", "not WebVTT"), error_row("b.eml", "empty file")]
    page = build_report(rows, [], tmp_path / "r.html").read_text(encoding="utf-8")
    data = embedded_data(page)
    assert data["conversations"] == [] and data["agents"] == [] and len(data["errors"]) == 2
    assert "No conversations." in page and "Errors (2)" in page


def test_a_rating_outside_0_to_1_is_an_error_naming_the_row_not_a_crash(tmp_path):
    """A reviewer's edited scores file with pushy=1e308 crashed the report's histogram with an OverflowError."""
    row = {c: "" for c in SCORE_COLUMNS} | {"path": "a.txt", "conversation_id": "a", "agent": "Sam", "pushy": "1e308"}
    scores = tmp_path / "scores.csv"
    with open(scores, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SCORE_COLUMNS)
        writer.writeheader()
        writer.writerow(row)
    result = subprocess.run([sys.executable, "-m", "reciprocity_nlp", "report", str(scores), "--out", str(tmp_path / "r.html")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "scores.csv: row 1: pushy is 1e+308, not a probability or share from 0 to 1" in result.stderr


def one_turn(scores: list[dict], sentences: list[dict]) -> tuple[list[dict], list[dict]]:
    """One conversation of one turn and one sentence, and one error row."""
    first = scores[0]
    sentence = next(s for s in sentences if (s["path"], s["conversation_id"]) == (first["path"], first["conversation_id"])
                    and s["role"] == "agent")
    return [{**first, "n_turns": 1.0, "n_sentences": 1.0}, error_row("bad.vtt", "not WebVTT")], [sentence]


def test_counts_are_worded_in_the_right_number(tmp_path, sample_rows):
    page = build_report(*one_turn(*sample_rows), tmp_path / "r.html").read_text(encoding="utf-8")
    assert "(s)" not in page
    assert '<p class="muted">1 conversation · 1 agent · 1 error</p>' in page and "1 conversation</title>" in page
    many = build_report(sample_rows[0], [], tmp_path / "many.html").read_text(encoding="utf-8")
    assert f"{len(sample_rows[0])} conversations · " in many and "0 errors" in many and "0 conversations</title>" in many


# --------------------------------------------------------------------------- the page in Chromium


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} and {CHROMEDRIVER} are needed in CI (apt-get install chromium chromium-driver)")
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory() as profile:
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1600"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


def open_page(driver, path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.as_uri())
    WebDriverWait(driver, 20).until(lambda d: d.find_elements("css selector", "#batch-table tbody tr"))


def severe(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def column(driver, table: str, index: int) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(r => r.cells[arguments[1]].textContent)", table, index)


def test_report_works_in_chromium(browser, tmp_path, sample_rows):
    from PIL import Image
    from selenium.webdriver.support.ui import WebDriverWait

    scores, sentences = sample_rows
    bad_scores, bad_sentences = evil_rows()
    path = build_report([*scores, *bad_scores], [*sentences, *bad_sentences], tmp_path / "report.html")
    data = embedded_data(path.read_text(encoding="utf-8"))
    open_page(browser, path)
    find = browser.find_element

    # the per-agent table, sorted by clicking its headers
    assert len(column(browser, "#batch-table", 0)) == len(data["agents"])
    before = column(browser, "#batch-table", 0)
    header = find("css selector", '#batch-table th[data-sort="conversations"]')
    header.click()
    counts = [int(v) for v in column(browser, "#batch-table", 1)]
    assert counts == sorted(counts) and header.get_attribute("aria-sort") == "ascending"
    assert column(browser, "#batch-table", 0) != before
    header.click()
    counts = [int(v) for v in column(browser, "#batch-table", 1)]
    assert counts == sorted(counts, reverse=True) and header.get_attribute("aria-sort") == "descending"
    find("css selector", '#batch-table th[data-sort="reciprocity_index"]').click()
    index = [float(v) for v in column(browser, "#batch-table", 13)]
    assert index == sorted(index)
    assert len(browser.find_elements("css selector", "svg.hist")) == len(LABELS)
    assert "<b>bad</b></script>" in column(browser, "#error-table", 3)[0]

    # a conversation opened from its link
    link = find("css selector", "#conversation-table a.conv-link")
    target = int(link.get_attribute("href").rsplit("=", 1)[1])
    link.click()
    view = find("css selector", "#conversation-view")
    WebDriverWait(browser, 10).until(lambda d: view.is_displayed())
    assert not find("css selector", "#batch-view").is_displayed()
    assert find("css selector", "#batch-table") is not None  # still in the DOM, hidden
    spans = view.find_elements("css selector", ".sentence[data-act]")
    assert len(spans) == len(data["conversations"][target]["s"])
    assert {s.get_attribute("data-act") for s in spans} <= set(ACTS)
    assert all(a in spans[0].get_attribute("title") for a in ACTS)
    assert view.find_elements("css selector", "svg.timeline")
    assert len(browser.find_elements("css selector", ".sentence")) == len(spans)  # one conversation at a time

    # evidence of a flagged conversation is outlined
    i, conv = next((i, c) for i, c in enumerate(data["conversations"]) if any(c["ev"].values()) and c["id"] != EVIL_ID)
    browser.execute_script("location.hash = arguments[0]", f"#c={i}")
    WebDriverWait(browser, 10).until(lambda d: d.find_elements("css selector", f'.sentence[data-index="{len(conv["s"]) - 1}"]'))
    marked = {int(e.get_attribute("data-index")) for e in view.find_elements("css selector", ".sentence.evidence")}
    assert marked == {k for idx in conv["ev"].values() for k in idx}

    # untrusted text shows as text
    evil = next(i for i, c in enumerate(data["conversations"]) if c["id"] == EVIL_ID)
    browser.execute_script("location.hash = arguments[0]", f"#c={evil}")
    WebDriverWait(browser, 10).until(lambda d: EVIL_ID in view.find_element("css selector", "h2").text)
    texts = [e.get_property("textContent") for e in view.find_elements("css selector", ".sentence")]
    assert texts == [EVIL_TEXT, EVIL_TEXT_2, "No."]
    assert browser.execute_script("return window.pwned") is None
    assert not view.find_elements("css selector", "img, script, b, i")

    png = browser.get_screenshot_as_png()
    assert Image.open(BytesIO(png)).convert("RGB").getcolors(16) is None  # many colours: not a blank page

    find("css selector", "#conversation-view a.back").click()
    WebDriverWait(browser, 10).until(lambda d: d.find_element("css selector", "#batch-view").is_displayed())
    assert not view.is_displayed()
    assert severe(browser) == []


def test_long_tables_are_paginated_and_filterable(browser, tmp_path, sample_rows):
    from selenium.webdriver.support.ui import WebDriverWait

    scores, sentences = sample_rows
    many_scores, many_sentences = [], []
    for k in range(10):  # 120 conversations, 80 agents
        many_scores += [{**r, "conversation_id": f"{r['conversation_id']}-{k}", "agent": f"{r['agent']} {k}"} for r in scores]
        many_sentences += [{**s, "conversation_id": f"{s['conversation_id']}-{k}"} for s in sentences]
    path = build_report(many_scores, many_sentences, tmp_path / "many.html")
    open_page(browser, path)
    agents = len({r["agent"] for r in many_scores})
    assert len(column(browser, "#batch-table", 0)) == 50
    browser.find_element("css selector", "#agents .pager button.next").click()
    assert len(column(browser, "#batch-table", 0)) == agents - 50
    assert len(column(browser, "#conversation-table", 0)) == 50
    box = browser.find_element("css selector", "#conversation-filter")
    box.send_keys("s-004-")
    WebDriverWait(browser, 10).until(lambda d: len(column(d, "#conversation-table", 0)) == 10)
    assert all(v.startswith("s-004-") for v in column(browser, "#conversation-table", 0))
    assert severe(browser) == []


def test_the_agent_table_shows_the_merged_spellings(browser, tmp_path, sample_rows):
    scores, _ = sample_rows
    path = build_report(*spelled(scores, SPELLINGS), tmp_path / "r.html")
    open_page(browser, path)
    cells = browser.execute_script("return [...document.querySelectorAll('#batch-table tbody tr')].map(r => "
                                   "[r.querySelector('a.agent-link').textContent, r.querySelector('.also')?.textContent])")
    assert cells == [["Dana Whitfield", "also written: DANA WHITFIELD, dana  whitfield, Dana W."],
                     ["Marcus Bell", "also written: MARCUS"], ["Tom", None], ["Tom Okafor", None], ["Tom Reed", None]]
    assert severe(browser) == []


def test_clicking_an_agent_lists_exactly_their_conversations(browser, tmp_path, sample_rows):
    from selenium.webdriver.support.ui import WebDriverWait

    scores, _ = sample_rows
    rows, _ = spelled(scores, SPELLINGS)
    rows.append({**rows[-2], "conversation_id": "call-about-dana-whitfield", "path": "Dana Whitfield/handover.txt"})  # Tom Reed's
    data = embedded_data(build_report(rows, [], tmp_path / "r.html").read_text(encoding="utf-8"))
    assert [c["person"] for c in data["conversations"]][:4] == ["Dana Whitfield"] * 4
    open_page(browser, tmp_path / "r.html")
    find = browser.find_element
    shown = find("css selector", "#agent-filter")
    assert not shown.is_displayed()
    find("css selector", "#conversation-filter").send_keys("tom")
    find("xpath", '//table[@id="batch-table"]//a[text()="Dana Whitfield"]').click()
    WebDriverWait(browser, 10).until(lambda d: shown.is_displayed())
    assert column(browser, "#conversation-table", 1) == ["Dana Whitfield", "DANA WHITFIELD", "dana  whitfield", "Dana W."]
    assert find("css selector", "#conversation-filter").get_attribute("value") == ""
    assert "Agent: Dana Whitfield" in shown.text and "4 conversation" in shown.text
    find("xpath", '//table[@id="batch-table"]//a[text()="Tom"]').click()  # 'Tom' fits two Toms: only his own
    WebDriverWait(browser, 10).until(lambda d: column(d, "#conversation-table", 1) == ["Tom"])
    find("css selector", "#agent-filter button").click()
    WebDriverWait(browser, 10).until(lambda d: not shown.is_displayed())
    assert len(column(browser, "#conversation-table", 0)) == len(rows)
    assert severe(browser) == []


def test_estimated_give_and_take_are_not_shown_as_counts(browser, tmp_path, sample_rows):
    scores, sentences = sample_rows
    page = build_report(scores, [], tmp_path / "none.html").read_text(encoding="utf-8")
    chart = page[page.index('id="balance"'):page.index('id="extremes"')]
    assert "<rect" not in chart and "Not drawn, as conversations of theirs have no sentence rows" in chart
    assert 'id="agents-note"' in page and "--sentences-out" in page
    open_page(browser, tmp_path / "none.html")
    assert set(column(browser, "#batch-table", 14) + column(browser, "#batch-table", 15)) == {"needs sentences"}
    # one conversation without sentence rows: its agent's cells are empty, the others' are exact counts
    gone = scores[0]
    some = [s for s in sentences if (s["path"], s["conversation_id"]) != (gone["path"], gone["conversation_id"])]
    exact = {a["agent"]: a for a in agent_summary(scores, sentences)}
    path = build_report(scores, some, tmp_path / "some.html")
    chart = path.read_text(encoding="utf-8")
    chart = chart[chart.index('id="balance"'):chart.index('id="extremes"')]
    assert f"have no sentence rows: {gone['agent']}." in chart and f'class="name">{gone["agent"]}<' not in chart
    open_page(browser, path)
    names = browser.execute_script("return [...document.querySelectorAll('#batch-table tbody a.agent-link')].map(a => a.textContent)")
    for name, given, taken in zip(names, *(column(browser, "#batch-table", i) for i in (14, 15)), strict=True):
        if name == gone["agent"]:
            assert given == taken == "needs sentences"
        else:
            assert (given, taken) == (f"{exact[name]['given']:g}", f"{exact[name]['taken']:g}")
    assert severe(browser) == []


def test_counts_are_worded_in_the_right_number_in_chromium(browser, tmp_path, sample_rows):
    from selenium.webdriver.support.ui import WebDriverWait

    scores, sentences = one_turn(*sample_rows)
    path = build_report(scores, sentences, tmp_path / "r.html")
    open_page(browser, path)
    browser.find_element("css selector", "#batch-table a.agent-link").click()
    shown = browser.find_element("css selector", "#agent-filter")
    WebDriverWait(browser, 10).until(lambda d: shown.is_displayed())
    assert "· 1 conversation" in shown.text and "1 conversations" not in shown.text
    browser.execute_script("location.hash = '#c=0'")
    meta = browser.find_element("css selector", "#conversation-view .meta")
    WebDriverWait(browser, 10).until(lambda d: meta.is_displayed())
    assert " · 1 turn · 1 sentence · " in meta.text
    tips = browser.execute_script("return [...document.querySelectorAll('svg.timeline title')].map(t => t.textContent)")
    act = sentences[0]["act"]
    given, taken = ("1 sentence" if a else "0 sentences" for a in (act == "give_value", act in ("extract_info", "push")))
    assert tips == [f"turn {int(sentences[0]['turn'])}: gave value in {given}, asked in {taken}"]
    assert severe(browser) == []


def test_the_agent_and_errors_tables_show_failed_conversations(browser, tmp_path, sample_rows):
    path = build_report(*with_failures(*sample_rows), tmp_path / "r.html")
    open_page(browser, path)
    assert column(browser, "#batch-table", 2) == ["1", "1", "1"]  # Marcus, Dana, Greg
    assert browser.find_element("css selector", "#batch-table a.failed").get_attribute("href").endswith("#errors")
    assert column(browser, "#batch-table", 3)[2] == "–"  # Greg: no scored conversation, no mean
    assert column(browser, "#error-table", 2) == ["Dana Whitfield", "MARCUS", "Greg Holt", "–"]
    assert severe(browser) == []


def test_agents_of_few_conversations_are_marked_and_the_legend_says_what_to_trust(browser, tmp_path, sample_rows):
    rows, sents = spelled(sample_rows[0], SPELLINGS)
    rows.append({**error_row("greg_02.eml", "empty file"), "agent": "Greg Holt"})
    page = build_report(rows, sents, tmp_path / "r.html").read_text(encoding="utf-8")
    legend = re.sub(r"<[^>]+>", "", page[page.index('id="reliability"'):page.index('<div class="pair">', page.index('id="legend"'))])
    for words in ("probabilities from a model", "reached the model's threshold", "fewer than 3 scored conversations",
                  "few conversations", "in none of the numbers"):
        assert words in legend.replace("&#x27;", "'")
    assert not re.search(r"\d+(\.\d+)?\s*%|accura|precision|F1", legend)  # no figures the rows cannot back
    open_page(browser, tmp_path / "r.html")
    marks = browser.execute_script("return [...document.querySelectorAll('#batch-table tbody tr')].map(r => "
                                   "[r.querySelector('a.agent-link').textContent, r.querySelector('.few')?.textContent])")
    assert marks == [["Dana Whitfield", None], ["Marcus Bell", "few conversations"], ["Tom", "few conversations"],
                     ["Tom Okafor", "few conversations"], ["Tom Reed", "few conversations"], ["Greg Holt", "none scored"]]
    few = browser.find_element("css selector", "#batch-table .few")
    assert few.is_displayed() and "2 scored conversations" in few.get_attribute("title")
    assert severe(browser) == []
