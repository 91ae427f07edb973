"""Matplotlib charts of one analysis and of a batch of score rows (`pip install 'reciprocity-nlp[plots]'`).

matplotlib is imported only when a chart is drawn; without a display (and with no backend chosen
through MPLBACKEND) the Agg backend is used.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reciprocity_nlp.labels import LABELS
from reciprocity_nlp.report import GIVE_ACTS, TAKE_ACTS, agent_summary

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from reciprocity_nlp.analysis import Analysis

GIVE_COLOUR = "#2e7d32"
TAKE_COLOUR = "#e65100"
FLAG_COLOUR = "#c62828"
RATING_COLOUR = "#5c7fa3"
LABEL_COLOURS = dict(zip(LABELS, ("#c62828", "#6a1b9a", "#8a8f94", "#e65100", "#1565c0"), strict=True))


def _pyplot() -> Any:
    """matplotlib.pyplot, switched to Agg first when there is no display and no backend was chosen."""
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError("plots need matplotlib: pip install 'reciprocity-nlp[plots]'") from exc
    no_display = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if no_display and "MPLBACKEND" not in os.environ and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def turn_balance(sentences: Iterable[Any]) -> tuple[list[int], list[int], list[int]]:
    """Per turn of the agent, in order: (turns, sentences giving value, sentences asking for information or action)."""
    counts: dict[int, list[int]] = {}
    for s in sentences:
        if s.role != "agent":
            continue
        c = counts.setdefault(s.turn, [0, 0])
        c[0] += s.act in GIVE_ACTS
        c[1] += s.act in TAKE_ACTS
    turns = sorted(counts)
    return turns, [counts[t][0] for t in turns], [counts[t][1] for t in turns]


def plot_analysis(analysis: Analysis, ax: Axes | Sequence[Axes] | None = None) -> Figure:
    """The agent's five ratings as bars with their thresholds marked (flagged bars in red), and beside them a
    turn-by-turn line chart of value given against information and actions asked for.

    `ax`: None for a new figure with both charts, a pair of Axes for both, or one Axes for the ratings alone.
    """
    if ax is None:
        _, (ratings_ax, timeline_ax) = _pyplot().subplots(1, 2, figsize=(11, 3.8), width_ratios=(1, 1.6),
                                                           layout="constrained")
    elif hasattr(ax, "bar"):
        ratings_ax, timeline_ax = ax, None
    else:
        ratings_ax, timeline_ax = ax
    values = [analysis.ratings[k] for k in LABELS]
    x = range(len(LABELS))
    ratings_ax.bar(x, values, color=[FLAG_COLOUR if k in analysis.flags else RATING_COLOUR for k in LABELS])
    ratings_ax.hlines([analysis.thresholds[k] for k in LABELS], [i - 0.4 for i in x], [i + 0.4 for i in x],
                      colors="black", linestyles="dashed", label="threshold")
    ratings_ax.set_xticks(list(x), LABELS, rotation=30, ha="right")
    ratings_ax.set_ylim(0, 1)
    ratings_ax.set_ylabel("probability")
    ratings_ax.set_title(f"{analysis.agent} in {analysis.conversation.id}")
    ratings_ax.legend(loc="upper right", fontsize="small")
    if timeline_ax is not None:
        turns, given, taken = turn_balance(analysis.sentences)
        timeline_ax.plot(turns, given, marker="o", color=GIVE_COLOUR, label="value given")
        timeline_ax.plot(turns, taken, marker="o", color=TAKE_COLOUR, label="information and actions asked for")
        from matplotlib.ticker import MaxNLocator

        timeline_ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        timeline_ax.set_ylim(bottom=0)
        timeline_ax.set_xlabel("turn")
        timeline_ax.set_ylabel("agent's sentences")
        timeline_ax.set_title("Give and take, turn by turn")
        timeline_ax.legend(fontsize="small")
    return ratings_ax.figure


def plot_batch(scores: list[dict] | pd.DataFrame, ax: Axes | None = None) -> Figure:
    """Each agent's mean ratings as grouped bars (one bar per agent and rating), agents with most conversations first;
    one person written several ways is one agent, as in `agent_summary`.

    `scores`: score rows as dicts or a pandas DataFrame; error rows are left out, and so are agents with no
    scored conversation.
    """
    rows: list[Mapping[str, Any]] = scores.to_dict("records") if hasattr(scores, "to_dict") else list(scores)
    agents = [a for a in agent_summary(rows) if a["conversations"]]
    if ax is None:
        _, ax = _pyplot().subplots(figsize=(max(6.0, 1.1 * len(agents) + 2), 4), layout="constrained")
    width = 0.8 / len(LABELS)
    for j, label in enumerate(LABELS):
        means = [a[f"mean_{label}"] if a[f"mean_{label}"] is not None else float("nan") for a in agents]
        ax.bar([i - 0.4 + (j + 0.5) * width for i in range(len(agents))], means, width, label=label, color=LABEL_COLOURS[label])
    ax.set_xticks(range(len(agents)), [f"{a['agent']} ({a['conversations']})" for a in agents], rotation=30, ha="right")
    ax.set_ylim(0, 1.15)  # room for the legend above the bars
    ax.set_ylabel("mean rating")
    ax.set_title("Mean ratings per agent (conversations)")
    ax.legend(ncols=len(LABELS), fontsize="small", loc="upper center")
    return ax.figure
