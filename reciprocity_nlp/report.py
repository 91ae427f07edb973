"""A self-contained HTML report of score and sentence rows: batch view, conversation detail, legend.

The report is one file with inline CSS, JS and SVG and nothing fetched from anywhere. The rows are
embedded once as JSON; tables are paginated and each conversation is rendered only when opened, so
a report of thousands of conversations stays light.
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from reciprocity_nlp.errors import TableError
from reciprocity_nlp.labels import ACT_DESCRIPTIONS, ACTS, EVIDENCE, LABEL_DESCRIPTIONS, LABELS
from reciprocity_nlp.readers.speakers import unify_labels
from reciprocity_nlp.tables import read_rows
from reciprocity_nlp.wording import count, listed

NUMERIC_COLUMNS = frozenset({"n_turns", "n_sentences", *LABELS, *ACTS, "reciprocity_index", "turn", "confidence",
                             *(f"p_{a}" for a in ACTS)})
SHARE_COLUMNS = NUMERIC_COLUMNS - {"n_turns", "n_sentences", "turn"}  # each from 0 to 1
GIVE_ACTS = ("give_value",)
TAKE_ACTS = ("extract_info", "push")
PAGE_SIZE = 50
EVIDENCE_TOP = 3  # evidence sentences shown per flagged label, as in Analyzer._evidence
EVIDENCE_MIN = 0.5  # least summed probability of the label's acts for a sentence to count as evidence
BALANCE_AGENTS = 40  # agents drawn in the give-and-take chart (all of them are in the table)
UNKNOWN = "(unknown)"  # the agent of a row that names none
FEW_CONVERSATIONS = 3  # agents with fewer scored conversations are marked: their averages move a lot
NO_SENTENCES = ("Given and taken count the agent's sentences by act, from the sentence rows. Without them a score row "
                "has only the agent's act shares and the sentences of both sides, so an estimate would grow with how much "
                "the other side said; it is not shown. Give the <code>--sentences-out</code> file of "
                "<code>reciprocity score</code> too. The reciprocity index does not need them.")

Key = tuple[str, str]


# --------------------------------------------------------------------------- rows


def load_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a `.csv`, `.jsonl` or `.parquet` file of score or sentence rows, normalised by `normalize_row`; a
    TableError naming the row when a probability or share lies outside 0..1 (an edited or foreign file)."""
    rows = [normalize_row(r) for r in read_rows(path)]
    for i, row in enumerate(rows):
        for column in SHARE_COLUMNS & row.keys():
            if row[column] is not None and not 0.0 <= row[column] <= 1.0:
                raise TableError(f"{path}: row {i + 1}: {column} is {row[column]:g}, not a probability or share "
                                 "from 0 to 1: give files that `reciprocity score` wrote")
    return rows


def normalize_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Numeric columns as float (None when empty or not a number), every other value as str ("" when missing)."""
    return {str(k): _number(v) if k in NUMERIC_COLUMNS else _text(v) for k, v in row.items()}


def _number(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


def _key(row: Mapping[str, Any]) -> Key:
    return str(row.get("path", "")), str(row.get("conversation_id", ""))


def _group(sentences: Iterable[dict[str, Any]]) -> dict[Key, list[dict[str, Any]]]:
    groups: dict[Key, list[dict[str, Any]]] = defaultdict(list)
    for s in sentences:
        groups[_key(s)].append(s)
    return groups


def give_take(score: Mapping[str, Any], sentences: Sequence[Mapping[str, Any]]) -> tuple[float, float, bool]:
    """What the agent gave and took in one conversation: (give_value sentences, extract_info + push sentences,
    estimated). Without sentence rows, the agent's act shares × n_sentences from the score row, flagged as
    estimated: an upper bound, since n_sentences counts both speakers' sentences and a score row has no other."""
    if sentences:
        acts = [s.get("act") for s in sentences if s.get("role") == "agent"]
        return sum(a in GIVE_ACTS for a in acts), sum(a in TAKE_ACTS for a in acts), False
    n = score.get("n_sentences") or 0.0
    given = sum(score.get(a) or 0.0 for a in GIVE_ACTS) * n
    taken = sum(score.get(a) or 0.0 for a in TAKE_ACTS) * n
    return round(given, 1), round(taken, 1), True


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def _flags(row: Mapping[str, Any]) -> list[str]:
    return [f for f in str(row.get("flags") or "").split(";") if f]


def _agent(row: Mapping[str, Any]) -> str:
    return str(row.get("agent") or UNKNOWN)


def _people(names: Iterable[str]) -> dict[str, str]:
    """Each agent name -> the person it names, as `unify_labels` merges a transcript's speaker labels: names that
    differ in case, accents or spacing ('DANA WHITFIELD') and a short form that fits exactly one full name
    ('Dana W.', 'MARCUS') are one person under one display name; a short form that fits two ('Tom') stays apart."""
    return {**unify_labels(n for n in names if n != UNKNOWN), UNKNOWN: UNKNOWN}


def _agent_item(agent: str, names: list[str], rows: Sequence[dict[str, Any]], failed: int,
                groups: Mapping[Key, list[dict[str, Any]]]) -> dict[str, Any]:
    """One agent's row of the summary, over their scored conversations `rows` (none when all of them failed)."""
    balance = [give_take(r, groups.get(_key(r), [])) for r in rows]
    item: dict[str, Any] = {"agent": agent, "names": names, "conversations": len(rows), "failed": failed}
    item.update({f"mean_{k}": _mean(r.get(k) for r in rows) for k in LABELS})
    item.update({f"flag_rate_{k}": round(sum(k in _flags(r) for r in rows) / len(rows), 4) if rows else None for k in LABELS})
    item["reciprocity_index"] = _mean(r.get("reciprocity_index") for r in rows)
    item["given"] = round(sum(g for g, _, _ in balance), 1) if rows else None
    item["taken"] = round(sum(t for _, t, _ in balance), 1) if rows else None
    item["estimated"] = any(e for _, _, e in balance)
    return item


def _summarise(rows: Sequence[dict[str, Any]], groups: Mapping[Key, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per person, of the scored rows and of the error rows that name an agent (their `failed` conversations)."""
    named = [r for r in rows if not r.get("error") or r.get("agent")]
    person = _people(map(_agent, named))
    scored: dict[str, list[dict[str, Any]]] = defaultdict(list)
    failed: dict[str, int] = defaultdict(int)
    spellings: dict[str, dict[str, None]] = defaultdict(dict)
    for r in named:
        who = person[_agent(r)]
        spellings[who][_agent(r)] = None
        if r.get("error"):
            failed[who] += 1
        else:
            scored[who].append(r)
    out = [_agent_item(agent, [agent, *(n for n in names if n != agent)], scored[agent], failed[agent], groups)
           for agent, names in spellings.items()]
    return sorted(out, key=lambda a: (-a["conversations"], -a["failed"], a["agent"]))


def agent_summary(scores: Iterable[Mapping[str, Any]], sentences: Iterable[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """Per agent, most conversations first: the agent's display name, every spelling of it in the rows (`names`,
    the display name first; one person's spellings are one agent, see `_people`), scored `conversations`, `failed`
    ones (error rows that name the agent, as a manifest can), `mean_<label>`, `flag_rate_<label>`, mean
    `reciprocity_index`, value `given` and `taken` (see `give_take`) and whether those are `estimated`. An agent
    whose conversations all failed has no rates, means or counts (None).

    Error rows that name no agent are left out.
    """
    return _summarise(list(map(normalize_row, scores)), _group(map(normalize_row, sentences)))


# --------------------------------------------------------------------------- report data


def _evidence(sentences: Sequence[Mapping[str, Any]], flags: Sequence[str],
              evidence_acts: Mapping[str, Sequence[str]]) -> dict[str, list[int]]:
    """For each flagged label, the indexes of the agent's sentences that show it best (by the label's acts)."""
    out = {}
    for label in flags:
        acts = evidence_acts.get(label, ())
        scored = sorted(((sum(s.get(f"p_{a}") or 0.0 for a in acts), i) for i, s in enumerate(sentences)
                         if s.get("role") == "agent"), key=lambda pair: (-pair[0], pair[1]))
        out[label] = [i for score, i in scored[:EVIDENCE_TOP] if score >= EVIDENCE_MIN]
    return out


def _permille(p: float | None) -> int | None:
    return None if p is None else round(1000 * p)


def _conversation(row: dict[str, Any], sentences: list[dict[str, Any]], act_index: Mapping[str, int],
                  evidence_acts: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """One conversation for the page; sentences are [turn, speaker index, act index, text, p_<act> in permille...]."""
    speakers: list[list[str]] = []
    speaker_index: dict[tuple[str, str], int] = {}
    compact = []
    for s in sentences:
        who = (s.get("speaker", ""), s.get("role", ""))
        if who not in speaker_index:
            speaker_index[who] = len(speakers)
            speakers.append(list(who))
        compact.append([int(s.get("turn") or 0), speaker_index[who], act_index[s.get("act", "")], s.get("text", ""),
                        *(_permille(s.get(f"p_{a}")) for a in ACTS)])
    flags = _flags(row)
    given, taken, estimated = give_take(row, sentences)
    return {
        "id": row.get("conversation_id", ""), "path": row.get("path", ""), "channel": row.get("channel", ""),
        "agent": _agent(row), "turns": row.get("n_turns"), "n": row.get("n_sentences"),
        "ratings": [row.get(k) for k in LABELS], "flags": flags, "shares": [row.get(a) for a in ACTS],
        "ri": row.get("reciprocity_index"), "given": given, "taken": taken, "estimated": estimated,
        "speakers": speakers, "s": compact, "ev": _evidence(sentences, flags, evidence_acts),
    }


def report_data(scores: Iterable[Mapping[str, Any]], sentences: Iterable[Mapping[str, Any]],
                evidence_acts: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Everything the page shows, as JSON-ready data (conversations keep the order of the score rows and their own
    `agent` spelling; `person` is the agent-table row they count in)."""
    rows = [normalize_row(r) for r in scores]
    groups = _group(map(normalize_row, sentences))
    ok = [r for r in rows if not r.get("error")]
    acts = [*ACTS, *sorted({s.get("act", "") for ss in groups.values() for s in ss} - set(ACTS))]  # unknown acts last
    act_index = {a: i for i, a in enumerate(acts)}
    agents = _summarise(rows, groups)
    person = {name: a["agent"] for a in agents for name in a["names"]}
    conversations = [_conversation(r, groups.get(_key(r), []), act_index, evidence_acts) for r in ok]
    for c in conversations:
        c["person"] = person[c["agent"]]  # the agent-table row the conversation counts in
    return {
        "acts": acts, "labels": list(LABELS), "pageSize": PAGE_SIZE, "few": FEW_CONVERSATIONS,
        "actDescriptions": ACT_DESCRIPTIONS, "labelDescriptions": LABEL_DESCRIPTIONS,
        "agents": agents, "conversations": conversations,
        "errors": [{"path": r.get("path", ""), "id": r.get("conversation_id", ""), "agent": r.get("agent", ""),
                    "error": r["error"]} for r in rows if r.get("error")],
    }


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' can end it or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


# --------------------------------------------------------------------------- static parts of the page


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _histogram_svg(label: str, values: Sequence[float], bins: int = 10) -> str:
    """A small histogram of one rating over [0, 1]."""
    counts = [0] * bins
    for v in values:
        counts[min(max(int(v * bins), 0), bins - 1)] += 1
    width, height, left, top = 200.0, 70.0, 22.0, 8.0
    step = width / bins
    peak = max(counts) or 1
    parts = [f'<svg class="hist" viewBox="0 0 {left + width + 6:g} {top + height + 18:g}" role="img" '
             f'aria-label="distribution of {_e(label)}">']
    for i, n in enumerate(counts):
        h = height * n / peak
        parts.append(f'<rect x="{left + i * step + 0.5:.1f}" y="{top + height - h:.1f}" width="{step - 1:.1f}" '
                     f'height="{h:.1f}"><title>{i / bins:.1f}–{(i + 1) / bins:.1f}: {count(n, "conversation")}</title></rect>')
    base = top + height
    parts.append(f'<line x1="{left}" y1="{base}" x2="{left + width}" y2="{base}" class="axis"/>')
    parts.append(f'<text x="{left}" y="{base + 13}" class="tick">0</text>')
    parts.append(f'<text x="{left + width}" y="{base + 13}" class="tick" text-anchor="end">1</text>')
    parts.append(f'<text x="{left - 3}" y="{top + 8}" class="tick" text-anchor="end">{peak}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histograms(conversations: Sequence[Mapping[str, Any]]) -> str:
    figures = []
    n = len(conversations)
    for j, label in enumerate(LABELS):
        values = [c["ratings"][j] for c in conversations if c["ratings"][j] is not None]
        flagged = sum(label in c["flags"] for c in conversations)
        share = f" ({flagged / n:.0%})" if n else ""
        figures.append(f'<figure class="hist-figure"><figcaption title="{_e(LABEL_DESCRIPTIONS[label])}"><b>{_e(label)}</b> '
                       f'· flagged in {flagged} of {n}{share}</figcaption>{_histogram_svg(label, values)}</figure>')
    return "".join(figures)


def _balance_svg(agents: Sequence[Mapping[str, Any]]) -> str:
    """Per agent, value given (right) against information and actions taken (left): only agents whose counts are
    exact (every conversation has sentence rows); the others are named under the chart, not drawn."""
    agents = [a for a in agents if a["conversations"]]  # not those whose conversations all failed
    if not agents:
        return '<p class="muted">No conversations.</p>'
    exact = [a for a in agents if not a["estimated"]]
    shown = exact[:BALANCE_AGENTS]
    note = ""
    if len(exact) > len(shown):
        note = f'<p class="muted">The {len(shown)} agents with most conversations; all {len(agents)} are in the table above.</p>'
    if len(exact) < len(agents):
        missing = listed([a["agent"] for a in agents if a["estimated"]], 10)
        note += (f'<p class="muted">Not drawn, as conversations of theirs have no sentence rows: {_e(missing)}. '
                 'See the note under the <a href="#agents">agent table</a>.</p>')
    if not shown:
        return note
    row, label_w, gap, half, top = 20, 170, 36, 230, 24
    peak = max(max(a["given"], a["taken"]) for a in shown) or 1
    mid = label_w + gap + half
    height = top + row * len(shown) + 6
    parts = [f'<svg class="balance" viewBox="0 0 {mid + half + gap} {height}" role="img" '
             f'aria-label="value given versus taken per agent">',
             f'<text x="{mid - 6}" y="14" text-anchor="end" class="key take-text">◀ taken: information and actions asked for</text>',
             f'<text x="{mid + 6}" y="14" class="key give-text">value given ▶</text>']
    for i, a in enumerate(shown):
        y = top + i * row
        name = str(a["agent"])
        short = name if len(name) <= 24 else name[:23] + "…"
        gw, tw = half * a["given"] / peak, half * a["taken"] / peak
        per = a["conversations"]
        also = ", ".join(n for n in a["names"] if n != name)
        tip = (f"{name}{f' (also written {also})' if also else ''}: gave {a['given']:g}, took {a['taken']:g} "
               f"over {count(per, 'conversation')}")
        parts.append(f'<g><title>{_e(tip)}</title>'
                     f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" class="name">{_e(short)}</text>'
                     f'<rect class="take" x="{mid - tw:.1f}" y="{y + 3}" width="{tw:.1f}" height="{row - 6}"/>'
                     f'<rect class="give" x="{mid}" y="{y + 3}" width="{gw:.1f}" height="{row - 6}"/>'
                     f'<text x="{mid - tw - 4:.1f}" y="{y + 13}" text-anchor="end" class="value">{a["taken"]:g}</text>'
                     f'<text x="{mid + gw + 4:.1f}" y="{y + 13}" class="value">{a["given"]:g}</text></g>')
    parts.append(f'<line x1="{mid}" y1="{top - 2}" x2="{mid}" y2="{height - 2}" class="axis"/></svg>')
    return "".join(parts) + note


def _extremes(conversations: Sequence[Mapping[str, Any]], n: int = 10) -> str:
    """The n most and n least reciprocal conversations, linked to their detail."""
    ranked = sorted((c["ri"], i) for i, c in enumerate(conversations) if c["ri"] is not None)
    if not ranked:
        return '<p class="muted">No conversation has a reciprocity index.</p>'
    tables = []
    for title, picks in (("Most reciprocal", [i for _, i in reversed(ranked[-n:])]), ("Least reciprocal", [i for _, i in ranked[:n]])):
        body = "".join(
            f'<tr><td><a class="conv-link" href="#c={i}">{_e(conversations[i]["id"])}</a></td><td>{_e(conversations[i]["agent"])}</td>'
            f'<td class="num">{conversations[i]["ri"]:.2f}</td><td>{_e(", ".join(conversations[i]["flags"]) or "–")}</td></tr>'
            for i in picks)
        tables.append(f'<div><h3>{title}</h3><table class="extremes"><thead><tr><th>conversation</th><th>agent</th>'
                      f'<th>reciprocity</th><th>flags</th></tr></thead><tbody>{body}</tbody></table></div>')
    return f'<div class="pair">{"".join(tables)}</div>'


def _legend() -> str:
    acts = "".join(f'<dt><span class="swatch" data-act="{_e(a)}"></span>{_e(a)}</dt><dd>{_e(d)}</dd>'
                   for a, d in ACT_DESCRIPTIONS.items())
    labels = "".join(f"<dt>{_e(k)}</dt><dd>{_e(d)}</dd>" for k, d in LABEL_DESCRIPTIONS.items())
    return (
        '<section id="legend"><h2>Legend</h2>'
        '<h3 id="reliability">How far to trust a number</h3><p class="trust">Ratings are probabilities from a model, '
        'not measurements or verdicts. A flag means the rating reached the model\'s threshold for that label (set when '
        'the model was trained; the score rows do not carry it). An agent\'s averages and flag rates over a handful of '
        'conversations move a lot with one conversation more or less: agents with fewer than '
        f'{FEW_CONVERSATIONS} scored conversations are marked <span class="few">few conversations</span>, and '
        'conversations that failed (see Errors) are in none of the numbers.</p><div class="pair">'
        f'<div><h3>Sentence acts</h3><p class="muted">What each sentence does; every sentence gets one.</p><dl>{acts}</dl></div>'
        f'<div><h3>Ratings</h3><p class="muted">How the agent comes across, each a probability from 0 to 1; '
        f'a rating over its threshold is a flag.</p><dl>{labels}</dl>'
        '<h3>Give and take</h3><dl><dt>value given</dt><dd>the agent\'s give_value sentences</dd>'
        '<dt>taken</dt><dd>the agent\'s extract_info and push sentences: information and actions asked for</dd>'
        '<dt>reciprocity index</dt><dd>value given / (value given + information and actions asked for), '
        'from the act probabilities: 0 only takes, 1 only gives</dd></dl></div></div></section>'
    )


def _agents_note(agents: Sequence[Mapping[str, Any]]) -> str:
    """Why some given and taken cells of the agent table are empty."""
    if not any(a["estimated"] for a in agents):
        return ""
    return f'<p class="muted" id="agents-note"><i>needs sentences</i>: {NO_SENTENCES}</p>'


def render_page(data: Mapping[str, Any], title: str) -> str:
    """The whole HTML page for `report_data` output."""
    conversations = data["conversations"]
    n_err = len(data["errors"])
    summary = " · ".join([count(len(conversations), "conversation"), count(len(data["agents"]), "agent"), count(n_err, "error")])
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; script-src \'unsafe-inline\'; '
        'style-src \'unsafe-inline\'; img-src data:; base-uri \'none\'; form-action \'none\'">',
        f'<title>{_e(title)}</title><link rel="icon" href="data:,"><style>{_STYLE}</style></head><body>',
        f'<header><h1>{_e(title)}</h1><p class="muted">{_e(summary)}</p></header><main>',
        '<div id="batch-view"><nav><a href="#ratings">Ratings</a><a href="#agents">Agents</a>'
        '<a href="#balance">Give and take</a><a href="#extremes">Most and least reciprocal</a>'
        '<a href="#conversations">All conversations</a><a href="#errors">Errors</a><a href="#legend">Legend</a></nav>',
        f'<section id="ratings"><h2>Ratings</h2><div class="hists">{_histograms(conversations)}</div></section>',
        '<section id="agents"><h2>Agents</h2><p class="muted">Click a header to sort, again to reverse; '
        'click an agent to list their conversations. One person written several ways (in other case, accents or '
        'spacing, or a short form that fits one full name only) is one agent; the other spellings are listed under '
        f'the name.</p><div class="scroll"><table id="batch-table"></table></div>{_agents_note(data["agents"])}</section>',
        f'<section id="balance"><h2>Give and take per agent</h2>{_balance_svg(data["agents"])}</section>',
        f'<section id="extremes"><h2>Most and least reciprocal conversations</h2>{_extremes(conversations)}</section>',
        '<section id="conversations"><h2>All conversations</h2><input id="conversation-filter" type="search" '
        'placeholder="filter by conversation, agent, flag or path" aria-label="filter conversations">'
        '<p id="agent-filter" class="active-filter" role="status" hidden></p>'
        '<div class="scroll"><table id="conversation-table"></table></div></section>',
        f'<section id="errors"><h2>Errors ({n_err})</h2>',
        '<div class="scroll"><table id="error-table"></table></div></section>' if n_err else '<p class="muted">No errors.</p></section>',
        '</div><section id="conversation-view" hidden></section>',
        _legend(),
        '</main><noscript><p>The tables and the conversation view need JavaScript.</p></noscript>',
        f'<script type="application/json" id="report-data">{_json_for_script(data)}</script>',
        f"<script>{_SCRIPT}</script></body></html>",
    ])


def build_report(scores: list[dict], sentences: list[dict], out: str | Path, title: str = "Reciprocity report") -> Path:
    """Write the HTML report of score rows (and their sentence rows, when there are any) to `out`."""
    data = report_data(scores, sentences, {label: acts for label, (acts, _) in EVIDENCE.items()})
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_page(data, title), encoding="utf-8", errors="replace")
    return out


# --------------------------------------------------------------------------- inline CSS and JS

_STYLE = """
:root{--fg:#1d232a;--muted:#5f6b76;--line:#d9dee3;--bg:#fff;--panel:#f6f8fa;--give:#2e7d32;--take:#e65100;--flag:#c62828}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
h1{margin:0 0 4px;font-size:22px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:15px;margin:14px 0 6px}
main{padding:0 24px 40px;max-width:1400px}
nav{display:flex;flex-wrap:wrap;gap:14px;padding:12px 0;border-bottom:1px solid var(--line)}
a{color:#0b5cad}.muted{color:var(--muted)}[hidden]{display:none!important}
.scroll{overflow-x:auto}
table{border-collapse:collapse;font-size:13px}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
th{background:var(--panel);position:relative}
th[data-sort]{cursor:pointer;user-select:none}
th[data-sort]:hover{background:#e8edf2}
th[aria-sort=ascending]::after{content:" ▲";font-size:10px}
th[aria-sort=descending]::after{content:" ▼";font-size:10px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.wrap{white-space:normal;max-width:560px}
tr.group th{text-align:center;font-weight:600;color:var(--muted)}
.pager{display:flex;gap:10px;align-items:center;margin:8px 0}
.pager button{padding:2px 10px}
.hists{display:flex;flex-wrap:wrap;gap:18px}
.hist-figure{margin:0;width:230px}.hist-figure figcaption{font-size:12px;margin-bottom:2px;min-height:3em}
svg text{font-size:11px;fill:var(--fg)}svg .tick{fill:var(--muted);font-size:10px}
svg .axis{stroke:#8a96a3;stroke-width:1}
svg.hist rect{fill:#5c7fa3}
svg.balance{width:100%;max-width:720px}
svg .give,.give-bar{fill:var(--give);background:var(--give)}svg .take,.take-bar{fill:var(--take);background:var(--take)}
svg .give-text{fill:var(--give)}svg .take-text{fill:var(--take)}
.pair{display:flex;flex-wrap:wrap;gap:32px}
.also{display:block;font-size:12px;color:var(--muted)}
a.failed{color:var(--flag);font-weight:600}
.few{display:inline-block;padding:0 6px;border-radius:9px;background:#fff3cd;color:#6d4c00;font-size:11px;text-decoration:none}
.trust{max-width:900px}
#conversation-filter{width:min(420px,100%);padding:5px 8px;margin-bottom:6px}
.active-filter{display:inline-flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 6px 10px;padding:2px 4px 2px 10px;
  border-radius:12px;background:#e3eefa;font-size:13px}
.active-filter button{padding:0 8px}
[data-act=give_value]{--act:#2e7d32;--act-bg:#d9f0d6}
[data-act=extract_info]{--act:#e65100;--act-bg:#ffe2c6}
[data-act=push]{--act:#c62828;--act-bg:#fbd3d3}
[data-act=pitch]{--act:#6a1b9a;--act-bg:#ecdaf6}
[data-act=rapport]{--act:#1565c0;--act-bg:#d6e7fb}
[data-act=other]{--act:#8a8f94;--act-bg:#ececec}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px;background:var(--act,#999)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0}dt{font-weight:600}dd{margin:0}
#legend{border-top:1px solid var(--line);margin-top:32px}
.back{display:inline-block;margin:14px 0 0}
.meta{color:var(--muted);margin:2px 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:28px;align-items:flex-start}
.ratings td{padding:3px 8px}
.meter{width:160px;height:10px;background:#e9edf1;border-radius:5px;overflow:hidden}
.meter span{display:block;height:100%;background:#5c7fa3}
tr.flagged .meter span{background:var(--flag)}
.badge{display:inline-block;padding:0 7px;border-radius:9px;background:var(--flag);color:#fff;font-size:12px;margin-right:4px}
.shares{display:flex;width:320px;height:14px;border-radius:3px;overflow:hidden;background:#eee}
.shares span{background:var(--act)}
.keys{display:flex;flex-wrap:wrap;gap:10px;font-size:12px;margin:6px 0}
svg.timeline{display:block}svg.timeline rect{cursor:pointer}
.evidence-list li{margin:3px 0;cursor:pointer}
.transcript{max-width:980px}
.turn{margin:8px 0;padding:6px 10px;border-left:4px solid var(--line);border-radius:3px}
.turn.agent{border-left-color:#0b5cad;background:#f7faff}
.who{font-size:12px;color:var(--muted);margin-bottom:2px}
.sentence{background:var(--act-bg);border-radius:3px;padding:0 2px;line-height:1.8}
.sentence.evidence{outline:2px solid var(--flag);outline-offset:1px}
.sentence.flash,.turn.flash{animation:flash 1.2s ease-out}
@keyframes flash{from{box-shadow:0 0 0 4px #ffd54f}to{box-shadow:0 0 0 0 transparent}}
"""

_SCRIPT = r"""
(() => {
"use strict";
const DATA = JSON.parse(document.getElementById("report-data").textContent);
const ACTS = DATA.acts, LABELS = DATA.labels, CONVS = DATA.conversations;
const SVG = "http://www.w3.org/2000/svg";
CONVS.forEach((c, i) => { c.i = i; });

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) node.setAttribute(k, v);
  for (const c of children || []) node.append(c instanceof Node ? c : String(c));
  return node;
}
function svg(tag, attrs, children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children || []) node.append(c);
  return node;
}
// `n` and the noun in the right number, as wording.count: "1 turn", "2 turns", "? turns" when unknown.
const count = (n, noun) => `${n ?? "?"} ${noun}${n === 1 ? "" : "s"}`;
const num = (v, d) => v == null ? "–" : Number(v).toFixed(d == null ? 2 : d);
const pct = v => v == null ? "–" : Math.round(v * 100) + "%";
const permille = v => v == null ? "–" : (v / 10).toFixed(1) + "%";
const convLink = c => el("a", {href: "#c=" + c.i, class: "conv-link"}, [c.id || "(no id)"]);
const swatch = act => el("span", {class: "swatch", "data-act": act});
const badge = label => el("span", {class: "badge", title: DATA.labelDescriptions[label]}, [label]);

// A sortable, paginated table: columns are {key, label, num, help, fmt(row) -> node or text}.
function table(node, columns, rows, groups) {
  const state = {rows: rows, view: rows, key: null, dir: 1, page: 0, filter: "", where: null};
  const head = el("thead");
  if (groups) head.append(el("tr", {class: "group"}, groups.map(g => el("th", {colspan: g[1]}, [g[0]]))));
  const ths = columns.map(col => {
    const th = el("th", {"data-sort": col.key, scope: "col", tabindex: "0", title: col.help, class: col.num ? "num" : null}, [col.label]);
    th.addEventListener("click", () => sort(col.key));
    th.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(col.key); } });
    return th;
  });
  head.append(el("tr", {}, ths));
  const body = el("tbody");
  node.replaceChildren(head, body);
  const pager = el("div", {class: "pager"});
  node.closest(".scroll").after(pager);
  const value = (row, key) => { const col = columns.find(c => c.key === key); return col.value ? col.value(row) : row[key]; };
  function compare(a, b) {
    if (a == null || a === "") return b == null || b === "" ? 0 : 1;
    if (b == null || b === "") return -1;
    return typeof a === "number" && typeof b === "number" ? (a - b) * state.dir
      : String(a).localeCompare(String(b), undefined, {numeric: true, sensitivity: "base"}) * state.dir;
  }
  function sort(key) {
    state.dir = state.key === key ? -state.dir : 1;
    state.key = key;
    update();
  }
  function update() {
    const f = state.filter.toLowerCase();
    let view = state.where ? state.rows.filter(state.where) : state.rows.slice();
    if (f) view = view.filter(r => columns.some(c => String(value(r, c.key) ?? "").toLowerCase().includes(f)));
    if (state.key) {
      const k = state.key;
      view = view.map((r, i) => [value(r, k), i, r]).sort((x, y) => compare(x[0], y[0]) || x[1] - y[1]).map(x => x[2]);
    }
    state.view = view;
    state.page = 0;
    ths.forEach(th => th.removeAttribute("aria-sort"));
    if (state.key) ths[columns.findIndex(c => c.key === state.key)].setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
    render();
  }
  function render() {
    const size = DATA.pageSize, pages = Math.max(1, Math.ceil(state.view.length / size));
    state.page = Math.min(state.page, pages - 1);
    const slice = state.view.slice(state.page * size, (state.page + 1) * size);
    const trs = slice.map(row => el("tr", {}, columns.map(col => {
      const content = col.fmt ? col.fmt(row) : row[col.key];
      return el("td", {class: col.num ? "num" : col.wrap ? "wrap" : null}, [content == null ? "–" : content]);
    })));
    const empty = el("tr", {class: "empty"}, [el("td", {colspan: columns.length, class: "muted"}, ["No rows."])]);
    body.replaceChildren(...(trs.length ? trs : [empty]));
    const prev = el("button", {type: "button", class: "prev"}, ["◀ previous"]);
    const next = el("button", {type: "button", class: "next"}, ["next ▶"]);
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    prev.addEventListener("click", () => { state.page--; render(); });
    next.addEventListener("click", () => { state.page++; render(); });
    const info = `page ${state.page + 1} of ${pages} · ${count(state.view.length, "row")}`;
    pager.replaceChildren(prev, el("span", {class: "page-info"}, [info]), next);
    pager.hidden = pages === 1;
  }
  update();
  return {setFilter(text) { state.filter = text; update(); }, setWhere(test) { state.where = test; update(); }};
}

// An agent's given or taken sentences; not an estimate from act shares, which would count the other side's sentences.
const counted = (a, key) => a.estimated ? null : a[key];
const sentenceCount = (a, key) => a[key] == null ? null : a.estimated ? el("i", {class: "muted",
  title: "Some of this agent's conversations have no sentence rows; give the --sentences-out file too. See the note under the table."},
  ["needs sentences"]) : String(a[key]);

function agentTable() {
  const columns = [
    {key: "agent", label: "agent", fmt: a => {
      const link = el("a", {href: "#conversations", class: "agent-link"}, [a.agent]);
      link.addEventListener("click", () => selectAgent(a));
      const also = a.names.filter(n => n !== a.agent), parts = [link];
      if (a.conversations < DATA.few) {
        parts.push(" ", el("a", {href: "#reliability", class: "few", title: `${count(a.conversations, "scored conversation")}: `
          + "averages over so few move a lot with one more"}, [a.conversations ? "few conversations" : "none scored"]));
      }
      if (also.length) parts.push(el("span", {class: "also"}, ["also written: " + also.join(", ")]));
      return parts.length > 1 ? el("span", {}, parts) : link;
    }},
    {key: "conversations", label: "conversations", num: true, help: "conversations scored"},
    {key: "failed", label: "failed", num: true, help: "conversations sent for this agent that could not be scored: see Errors",
      fmt: a => a.failed ? el("a", {href: "#errors", class: "failed"}, [String(a.failed)]) : "0"},
    ...LABELS.map(k => ({key: "mean_" + k, label: k, num: true, help: DATA.labelDescriptions[k], fmt: a => num(a["mean_" + k])})),
    ...LABELS.map(k => ({key: "flag_rate_" + k, label: k, num: true, help: DATA.labelDescriptions[k], fmt: a => pct(a["flag_rate_" + k])})),
    {key: "reciprocity_index", label: "reciprocity", num: true, help: "mean reciprocity index", fmt: a => num(a.reciprocity_index)},
    {key: "given", label: "given", num: true, help: "give_value sentences", value: a => counted(a, "given"),
      fmt: a => sentenceCount(a, "given")},
    {key: "taken", label: "taken", num: true, help: "extract_info and push sentences", value: a => counted(a, "taken"),
      fmt: a => sentenceCount(a, "taken")},
  ];
  table(document.getElementById("batch-table"), columns, DATA.agents,
    [["", 3], ["mean rating", LABELS.length], ["flag rate", LABELS.length], ["", 1], ["sentences", 2]]);
}

const filter = document.getElementById("conversation-filter");
const conversations = table(document.getElementById("conversation-table"), [
  {key: "id", label: "conversation", fmt: convLink},
  {key: "agent", label: "agent"},
  {key: "channel", label: "channel"},
  {key: "turns", label: "turns", num: true},
  ...LABELS.map((k, j) => ({key: k, label: k, num: true, help: DATA.labelDescriptions[k],
    value: c => c.ratings[j], fmt: c => num(c.ratings[j])})),
  {key: "ri", label: "reciprocity", num: true, fmt: c => num(c.ri)},
  {key: "flags", label: "flags", value: c => c.flags.join(" "), fmt: c => c.flags.join(", ")},
  {key: "path", label: "path"},
], CONVS);
filter.addEventListener("input", () => conversations.setFilter(filter.value));

// Clicking an agent lists exactly that person's conversations, under every spelling; the text filter is cleared.
function selectAgent(a) {
  const shown = document.getElementById("agent-filter");
  filter.value = "";
  conversations.setFilter("");
  conversations.setWhere(a ? c => c.person === a.agent : null);
  shown.hidden = !a;
  if (!a) { shown.replaceChildren(); return; }
  const n = CONVS.filter(c => c.person === a.agent).length, also = a.names.filter(name => name !== a.agent);
  const clear = el("button", {type: "button", class: "clear-agent"}, ["✕ show all agents"]);
  clear.addEventListener("click", () => selectAgent(null));
  shown.replaceChildren(el("span", {}, ["Agent: ", el("b", {}, [a.agent]),
    also.length ? ` (also written ${also.join(", ")})` : "", ` · ${count(n, "conversation")}`]), clear);
}
agentTable();
const errors = document.getElementById("error-table");
if (errors) {
  table(errors, [{key: "path", label: "path"}, {key: "id", label: "conversation"}, {key: "agent", label: "agent", fmt: e => e.agent || "–"},
    {key: "error", label: "error", wrap: true}], DATA.errors);
}

function flash(node) {
  node.scrollIntoView({block: "center", behavior: "smooth"});
  node.classList.remove("flash");
  void node.offsetWidth;
  node.classList.add("flash");
}

function timeline(c, view) {
  const turns = [], byTurn = new Map();
  c.s.forEach(s => {
    if (c.speakers[s[1]][1] !== "agent") return;
    if (!byTurn.has(s[0])) { const t = {turn: s[0], give: 0, take: 0}; byTurn.set(s[0], t); turns.push(t); }
    const t = byTurn.get(s[0]), act = ACTS[s[2]];
    if (act === "give_value") t.give++;
    else if (act === "extract_info" || act === "push") t.take++;
  });
  if (!turns.length) return el("p", {class: "muted"}, ["No sentences of the agent."]);
  const peak = Math.max(1, ...turns.map(t => Math.max(t.give, t.take)));
  const step = 22, half = 50, left = 64, top = 8, mid = top + half, width = left + turns.length * step + 8;
  const every = Math.ceil(turns.length / 40);
  const out = svg("svg", {class: "timeline", width: width, height: mid + half + 20, viewBox: `0 0 ${width} ${mid + half + 20}`,
    role: "img", "aria-label": "value given versus information and actions asked for, per turn of the agent"});
  out.append(svg("text", {x: 2, y: top + 10, class: "give-text"}, ["given"]),
    svg("text", {x: 2, y: mid + half, class: "take-text"}, ["asked"]),
    svg("text", {x: left - 4, y: top + 10, class: "tick", "text-anchor": "end"}, [String(peak)]));
  turns.forEach((t, i) => {
    const x = left + i * step, gh = half * t.give / peak, th = half * t.take / peak;
    const tip = `turn ${t.turn}: gave value in ${count(t.give, "sentence")}, asked in ${count(t.take, "sentence")}`;
    const g = svg("g", {"data-turn": t.turn}, [svg("title", {}, [tip]),
      svg("rect", {x: x + 2, y: mid - half, width: step - 4, height: 2 * half, fill: "transparent"}),
      svg("rect", {class: "give", x: x + 2, y: mid - gh, width: step - 4, height: gh}),
      svg("rect", {class: "take", x: x + 2, y: mid, width: step - 4, height: th})]);
    if (i % every === 0) {
      g.append(svg("text", {x: x + step / 2, y: mid + half + 14, class: "tick", "text-anchor": "middle"}, [String(t.turn)]));
    }
    g.addEventListener("click", () => { const node = view.querySelector(`[data-turn-block="${t.turn}"]`); if (node) flash(node); });
    out.append(g);
  });
  out.append(svg("line", {x1: left, y1: mid, x2: width - 4, y2: mid, class: "axis"}));
  return el("div", {class: "scroll"}, [out]);
}

function ratingsCard(c) {
  const rows = LABELS.map((k, j) => {
    const flagged = c.flags.includes(k), bar = el("span");
    bar.style.width = ((c.ratings[j] || 0) * 100) + "%";
    return el("tr", {class: flagged ? "flagged" : null}, [el("td", {title: DATA.labelDescriptions[k]}, [k]),
      el("td", {}, [el("div", {class: "meter"}, [bar])]), el("td", {class: "num"}, [num(c.ratings[j])]),
      el("td", {}, flagged ? [el("span", {class: "badge"}, ["flagged"])] : [])]);
  });
  const shares = el("div", {class: "shares", title: "the agent's sentences by act"}, ACTS.slice(0, c.shares.length).map((a, j) => {
    const part = el("span", {"data-act": a, title: `${a}: ${pct(c.shares[j])}`});
    part.style.width = ((c.shares[j] || 0) * 100) + "%";
    return part;
  }));
  return el("div", {}, [el("h3", {}, ["Ratings"]), el("table", {class: "ratings"}, [el("tbody", {}, rows)]),
    el("p", {}, ["Flags: ", ...(c.flags.length ? c.flags.map(badge) : ["none"])]),
    el("p", {}, [`Reciprocity index: ${num(c.ri)} · ` + (c.estimated ? "value given and taken: not counted, no sentence rows"
      : `value given: ${c.given} · taken: ${c.taken}`)]),
    el("h3", {}, ["Agent's acts"]), shares,
    el("div", {class: "keys"}, ACTS.map(a => el("span", {title: DATA.actDescriptions[a]}, [swatch(a), a])))]);
}

function showConversation(i) {
  const c = CONVS[i], view = document.getElementById("conversation-view");
  const evidenceOf = new Map();
  for (const [label, idx] of Object.entries(c.ev)) idx.forEach(k => evidenceOf.set(k, [...(evidenceOf.get(k) || []), label]));
  const transcript = el("div", {class: "transcript"});
  let body = null, turn = null;
  c.s.forEach((s, k) => {
    if (body === null || s[0] !== turn) {
      const [name, role] = c.speakers[s[1]];
      turn = s[0];
      body = el("div");
      transcript.append(el("div", {class: "turn " + role, "data-turn-block": turn},
        [el("div", {class: "who"}, [`turn ${turn} · ${name}${role === "agent" ? " (agent)" : ""}`]), body]));
    }
    const act = ACTS[s[2]], probs = s.slice(4), labels = evidenceOf.get(k);
    const tip = [`${act}${probs[s[2]] != null ? " " + permille(probs[s[2]]) : ""}`,
      ...ACTS.slice(0, probs.length).map((a, j) => `  ${a}: ${permille(probs[j])}`)];
    if (labels) tip.unshift("evidence for: " + labels.join(", "));
    const attrs = {class: "sentence" + (labels ? " evidence" : ""), "data-act": act, "data-index": k, title: tip.join("\n")};
    body.append(el("span", attrs, [s[3]]), " ");
  });
  const evidence = el("div", {}, [el("h3", {}, ["Evidence"])]);
  const labels = Object.keys(c.ev);
  if (!labels.length) evidence.append(el("p", {class: "muted"}, ["No flags."]));
  for (const label of labels) {
    evidence.append(el("h4", {title: DATA.labelDescriptions[label]}, [label]));
    if (!c.ev[label].length) { evidence.append(el("p", {class: "muted"}, ["No single sentence shows it clearly."])); continue; }
    evidence.append(el("ol", {class: "evidence-list"}, c.ev[label].map(k => {
      const item = el("li", {tabindex: "0"}, [swatch(ACTS[c.s[k][2]]), `turn ${c.s[k][0]}: `, c.s[k][3]]);
      const go = () => flash(view.querySelector(`.sentence[data-index="${k}"]`));
      item.addEventListener("click", go);
      item.addEventListener("keydown", e => { if (e.key === "Enter") go(); });
      return item;
    })));
  }
  if (!c.s.length) transcript.append(el("p", {class: "muted"}, ["No sentence rows for this conversation."]));
  view.replaceChildren(
    el("a", {href: "#", class: "back"}, ["← all conversations"]),
    el("h2", {}, ["Conversation ", c.id]),
    el("p", {class: "meta"}, [`agent ${c.agent} · ${c.channel || "?"} · ${count(c.turns, "turn")} · ${count(c.n, "sentence")}`
      + ` · ${c.path}`]),
    el("div", {class: "cards"}, [ratingsCard(c), evidence]),
    el("h3", {}, ["Give and take, turn by turn"]), timeline(c, view),
    el("h3", {}, ["Transcript"]),
    el("p", {class: "muted"}, ["Each sentence is coloured by its act; hover for its probabilities. "
      + "Outlined sentences are evidence for a flag."]),
    transcript);
}

let batchScroll = 0;
function route() {
  const batch = document.getElementById("batch-view"), view = document.getElementById("conversation-view");
  const m = /^#c=(\d+)$/.exec(location.hash);
  if (m && CONVS[+m[1]]) {
    if (!batch.hidden) batchScroll = window.scrollY;
    showConversation(+m[1]);
    batch.hidden = true;
    view.hidden = false;
    window.scrollTo(0, 0);
    return;
  }
  const wasHidden = batch.hidden;
  view.hidden = true;
  view.replaceChildren();
  batch.hidden = false;
  const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target) target.scrollIntoView();
  else if (wasHidden) window.scrollTo(0, batchScroll);
}
window.addEventListener("hashchange", route);
route();
})();
"""
