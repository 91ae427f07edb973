"""Write the notebooks from the cells below and execute them, so they are committed with outputs.

    python notebooks/build.py          # needs the test extras (nbformat, nbclient, ipykernel)

Run from anywhere; every notebook runs with the repository root as its working directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

QUICKSTART = [
    ("md", """# Quickstart: read, tag, rate, explain

reciprocity-nlp reads a call transcript or an email thread, tags every sentence with an act
(`give_value`, `extract_info`, `push`, `pitch`, `rapport`, `other`) and rates the agent as
`pushy`, `salesy`, `transactional`, `selfish` or `desperate`, with the evidence behind each
rating. Everything runs offline on the model that ships in `models/default/`."""),
    ("code", """import os, pathlib
os.chdir(pathlib.Path.cwd().parent if pathlib.Path.cwd().name == "notebooks" else pathlib.Path.cwd())
import reciprocity_nlp as rn

analyzer = rn.load()          # the shipped default model
analyzer.thresholds"""),
    ("md", "## A call\n\nAny supported format works: here a plain `Name: text` transcript."),
    ("code", """call = rn.read("data/samples/s-004.txt")
print(call.channel, call.metadata["format"], call.speakers, len(call.turns), "turns")
for turn in call.turns[:4]:
    print(f"{turn.speaker}: {turn.text[:100]}")"""),
    ("code", """result = analyzer.analyze(call)        # no agent given: it is guessed, and the guess is reported
print("agent:", result.agent, "|", result.agent_source)
{k: round(v, 3) for k, v in result.ratings.items()}, result.flags"""),
    ("md", "Every sentence has its act and the probability of each act:"),
    ("code", """import pandas as pd
pd.DataFrame([{"turn": s.turn, "speaker": s.speaker, "act": s.act, "confidence": s.confidence, "text": s.text}
              for s in result.sentences]).head(12)"""),
    ("md", "## Why: evidence and reciprocity metrics"),
    ("code", """for label in result.flags:
    print(label.upper())
    for s in result.evidence[label]["sentences"]:
        print("   ", s["act"], "|", s["text"])
    print("    features:", [(f["feature"], f["value"]) for f in result.evidence[label]["features"]])"""),
    ("code", """pd.DataFrame(result.metrics).T"""),
    ("code", """fig = result.plot()"""),
    ("md", "## An email thread\n\nA saved `.eml` with quoted history becomes the whole thread, one turn per message."),
    ("code", """thread = rn.read("data/samples/s-005.eml")
for t in thread.turns:
    print(t.index, t.sent, t.speaker, "|", t.text[:80].replace("\\n", " "))
mail = analyzer.analyze(thread, agent="Megan Doyle")
mail.flags, round(mail.metrics["Megan Doyle"]["reciprocity_index"], 3)"""),
    ("md", """## Text already in memory

From a CRM, a database or an API: `rn.parse` reads a string or bytes the way `rn.read` reads a
file. The `name` stands in for a file name: it becomes the id and names the text in errors."""),
    ("code", """note = \"\"\"Jordan Ellis: Hi Sam, thanks for picking up. Quick one, which other agencies have sent you this role?
Sam Patel: A couple. Why?
Jordan Ellis: Can you send me your CV today? I need it before five or the slot goes to someone else.\"\"\"
crm = analyzer.analyze(rn.parse(note, name="crm-call-4411"), agent="Jordan Ellis")
crm.conversation.id, crm.flags"""),
    ("md", """The same from the command line:

```bash
reciprocity read data/samples/s-005.eml
reciprocity tag data/samples/s-005.eml --out acts.csv
reciprocity score data/samples --out scores.csv --sentences-out sentences.csv
```"""),
]

TRAIN = [
    ("md", """# Train on your own data

A team labels its own conversations in the LABELS.md formats and trains on top of the
shipped model with `--base`, so its data is added to the model's own training data.
Here the *team data* is the batch of request emails in `data/` (`b11`), and the held-out
check is the twelve sample conversations in `data/samples/`, which neither model saw."""),
    ("code", """import os, pathlib, json
os.chdir(pathlib.Path.cwd().parent if pathlib.Path.cwd().name == "notebooks" else pathlib.Path.cwd())
import pandas as pd
import reciprocity_nlp as rn
from reciprocity_nlp.training import compare, load_acts, load_conversations"""),
    ("md", "## The label formats\n\nConversation ratings, one row per conversation (the file by `path`, or inline `turns`):"),
    ("code", """rows = [json.loads(l) for l in open("data/conversations/labels.jsonl")]
team = [r for r in rows if r["conversation_id"].startswith("b11-")]
pathlib.Path("out").mkdir(exist_ok=True)
with open("out/team_labels.jsonl", "w") as fh:
    for r in team:
        fh.write(json.dumps({**r, "path": os.path.relpath(pathlib.Path("data/conversations") / r["path"], "out"), "split": None}) + "\\n")
pd.DataFrame(team)[["conversation_id", "path", "agent", "pushy", "salesy", "transactional", "selfish", "desperate"]].head()"""),
    ("md", "Sentence acts, one row per sentence:"),
    ("code", """pd.read_json("data/acts/b11.jsonl", lines=True).head()"""),
    ("md", """## Train the rater on the team's conversations, on top of the default model

`cv=3` prints 3-fold cross-validated precision, recall and F1. The command-line equivalent:

```bash
reciprocity train --conversations out/team_labels.jsonl --base models/default --out out/team_model --cv 3
```"""),
    ("code", """team_model = rn.train(conversations="out/team_labels.jsonl", base="models/default", cv=3, trust=True)
team_model.save("out/team_model")
team_model.thresholds"""),
    ("md", """## Compare with the default model on conversations neither has seen

`compare` scores both models on the same labelled conversations and gives every F1 difference
(team minus default) with a 95% *paired* bootstrap interval: both models are scored on the same
resampled conversations. The command-line equivalent:

```bash
reciprocity evaluate --model out/team_model --against models/default \\
    --acts data/sample_labels/acts.jsonl --conversations data/sample_labels/labels.jsonl
```"""),
    ("code", """held_out = load_conversations("data/sample_labels/labels.jsonl")
acts = load_acts("data/sample_labels/acts.jsonl")
result = compare(rn.load("out/team_model"), rn.load("models/default"), acts, held_out, title="samples")"""),
    ("code", """pd.DataFrame({"default": {k: v["f1"] for k, v in result["old"]["ratings"]["per_label"].items()},
              "team": {k: v["f1"] for k, v in result["new"]["ratings"]["per_label"].items()},
              "difference": {k: v[0] for k, v in result["difference"]["ratings"].items() if k != "macro_f1"},
              "95% CI": {k: f"{v[1]:+.3f} to {v[2]:+.3f}" for k, v in result["difference"]["ratings"].items()
                         if k != "macro_f1"}})"""),
    ("md", """On these twelve samples the two models make the same decisions, so every difference is 0.
Twelve conversations are far too few to tell two models apart anyway: one changed flag moves a
label's F1 by tens of points. With your own data, hold out a `test` split in the labels file
(`split` column) and `reciprocity train` reports it; then `evaluate --against` tells you whether
the retrained model is better than the one you use now, or whether the difference is noise."""),
]

BATCH = [
    ("md", """# Batch scoring: many conversations, per-agent analysis, plots, report

`reciprocity score` (or `Analyzer.score_paths` / `score_frame` from Python) gives one row per
conversation: the five ratings, the flags, the agent's act shares and the reciprocity index."""),
    ("code", """import os, pathlib
os.chdir(pathlib.Path.cwd().parent if pathlib.Path.cwd().name == "notebooks" else pathlib.Path.cwd())
import pandas as pd
import reciprocity_nlp as rn
from reciprocity_nlp.plots import plot_batch
from reciprocity_nlp.report import build_report
from reciprocity_nlp.scoring import jobs_from_paths, score_jobs

analyzer = rn.load()
scores = pd.DataFrame(analyzer.score_paths(["data/samples"]))
scores[["conversation_id", "channel", "agent", "flags", "reciprocity_index", "error"]]"""),
    ("md", """## Per agent

Diarized JSON and SRT exports name speakers by label (`SPEAKER_00`, `ROHAN`): map labels to
people before grouping (a manifest's `agent` column does the same for `reciprocity score`)."""),
    ("code", """people = {"ROHAN": "Rohan Mehta", "SPEAKER_00": "Dana Whitfield"}
scores["agent"] = scores["agent"].replace(people)
per_agent = scores.groupby("agent").agg(
    conversations=("conversation_id", "count"),
    pushy=("pushy", "mean"), salesy=("salesy", "mean"), transactional=("transactional", "mean"),
    selfish=("selfish", "mean"), desperate=("desperate", "mean"),
    reciprocity=("reciprocity_index", lambda s: pd.to_numeric(s, errors="coerce").mean()),
)
per_agent.round(2).sort_values("reciprocity")"""),
    ("code", """flag_rates = scores.assign(flag=scores["flags"].str.split(";")).explode("flag")
flag_rates = flag_rates[flag_rates["flag"] != ""].groupby(["agent", "flag"]).size().unstack(fill_value=0)
flag_rates"""),
    ("code", """fig = plot_batch(scores)"""),
    ("md", "## The HTML report\n\nThe same rows, with every sentence, make a self-contained report (`reciprocity report`):"),
    ("code", """rows, sentences = [], []
for r, s in score_jobs(analyzer, jobs_from_paths(["data/samples"]), with_sentences=True):
    rows += r
    sentences += s
path = build_report(rows, sentences, "out/samples_report.html", title="Sample conversations")
print(path, path.stat().st_size // 1024, "KB")"""),
    ("md", """From the shell, for a folder of thousands of files:

```bash
reciprocity score /data/calls --out scores.parquet --sentences-out sentences.parquet --jobs 8
reciprocity report scores.parquet sentences.parquet --out report.html
```"""),
]


def build(name: str, cells: list[tuple[str, str]], execute: bool = True) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src) for kind, src in cells]
    if execute:
        NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    path = HERE / name
    nbformat.write(nb, path)
    return path


def main() -> int:
    for name, cells in (("01_quickstart.ipynb", QUICKSTART), ("02_train_on_your_data.ipynb", TRAIN),
                        ("03_batch_scoring.ipynb", BATCH)):
        print("built", build(name, cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
