"""Matplotlib charts of an analysis and of a batch of score rows."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import same_color

import reciprocity_nlp as rn
from reciprocity_nlp.labels import LABELS
from reciprocity_nlp.plots import FLAG_COLOUR, plot_analysis, plot_batch
from reciprocity_nlp.scoring import error_row
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def analyzer():
    return rn.load()


@pytest.fixture(scope="module")
def analysis(analyzer):
    return analyzer.analyze(rn.read(SAMPLES / "s-004.txt"))


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_analysis_draws_ratings_with_thresholds_and_a_timeline(analysis):
    fig = plot_analysis(analysis)
    ratings_ax, timeline_ax = fig.axes
    bars = ratings_ax.patches
    assert len(bars) == len(LABELS)
    assert [b.get_height() for b in bars] == pytest.approx([analysis.ratings[k] for k in LABELS])
    flagged = [k for k, b in zip(LABELS, bars, strict=True) if same_color(b.get_facecolor(), FLAG_COLOUR)]
    assert flagged == analysis.flags and flagged
    (thresholds,) = ratings_ax.collections
    assert [seg[0][1] for seg in thresholds.get_segments()] == pytest.approx([analysis.thresholds[k] for k in LABELS])
    given, taken = timeline_ax.lines
    mine = [s for s in analysis.sentences if s.role == "agent"]
    turns = sorted({s.turn for s in mine})
    assert list(given.get_xdata()) == turns and list(taken.get_xdata()) == turns
    assert sum(given.get_ydata()) == sum(s.act == "give_value" for s in mine)
    assert sum(taken.get_ydata()) == sum(s.act in ("extract_info", "push") for s in mine)


def test_plot_analysis_into_given_axes(analysis):
    fig, (a, b) = plt.subplots(1, 2)
    assert plot_analysis(analysis, (a, b)) is fig
    assert len(a.patches) == len(LABELS) and len(b.lines) == 2
    fig, ax = plt.subplots()
    assert plot_analysis(analysis, ax) is fig
    assert len(fig.axes) == 1 and len(ax.patches) == len(LABELS) and not ax.lines


def test_plot_batch_draws_a_bar_per_agent_and_rating(analyzer):
    rows = list(analyzer.score_paths([SAMPLES]))
    agents = {r["agent"] for r in rows if not r["error"]} - {"ROHAN"}  # the samples write Rohan Mehta both ways: one agent
    fig = plot_batch(rows)
    (ax,) = fig.axes
    assert len(ax.patches) == len(LABELS) * len(agents)
    assert len(ax.get_xticklabels()) == len(agents)
    assert "Rohan Mehta (3)" in [t.get_text() for t in ax.get_xticklabels()]
    heights = sorted(b.get_height() for b in ax.patches)
    frame_fig = plot_batch(pd.DataFrame(rows))
    assert sorted(b.get_height() for b in frame_fig.axes[0].patches) == pytest.approx(heights)
    fig, ax = plt.subplots()
    assert plot_batch(rows, ax) is fig and len(ax.patches) == len(LABELS) * len(agents)
    failed = {**error_row("greg.eml", "empty file"), "agent": "Greg Holt"}  # a manifest's agent whose file failed
    assert len(plot_batch([*rows, failed]).axes[0].get_xticklabels()) == len(agents)
