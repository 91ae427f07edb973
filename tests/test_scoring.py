import io
import json
import os

import pytest

from reciprocity_nlp.errors import TableError, UsageError
from reciprocity_nlp.scoring import (
    SCORE_COLUMNS,
    Job,
    jobs_from_manifest,
    make_folder,
    output_file,
    partial_path,
    score_chunk,
    shown_text,
    with_stdin,
)
from tests.conftest import FIXTURES, ROOT


def test_manifest_paths_relative_to_the_manifest(tmp_path):
    (tmp_path / "sub").mkdir()
    m = tmp_path / "sub" / "manifest.csv"
    m.write_text("path,agent,conversation_id,notes\ncall.txt,Sam,c-1,ignored\n/abs/x.vtt,,,\n")
    jobs = jobs_from_manifest(m)
    assert jobs == [Job(str(tmp_path / "sub" / "call.txt"), "Sam", "c-1"), Job("/abs/x.vtt", None, None)]
    j = tmp_path / "m.jsonl"
    j.write_text(json.dumps({"path": "a.eml"}) + "\n")
    assert jobs_from_manifest(j) == [Job(str(tmp_path / "a.eml"))]


def test_manifest_paths_are_normalised(tmp_path):
    m = tmp_path / "lists" / "manifest.csv"
    m.parent.mkdir()
    m.write_text("path\n../calls/./a.txt\n")
    assert jobs_from_manifest(m) == [Job(str(tmp_path / "calls" / "a.txt"))]


def test_a_manifest_row_that_cannot_be_scored_as_given_is_a_job_with_its_error(tmp_path):
    m = tmp_path / "m.jsonl"
    m.write_text("\n".join(json.dumps(r) for r in [
        {"path": "a.txt", "agent": "Dana"}, {"path": "b.txt", "agent": 7}, {"agent": "Megan"}, {"path": None},
        {"path": ["a.txt"]}, {"path": "c.txt", "agent": {"x": 1}}, {"path": "d.txt", "conversation_id": 42}]) + "\n")
    assert jobs_from_manifest(m) == [
        Job(str(tmp_path / "a.txt"), "Dana"),
        Job(str(tmp_path / "b.txt"), error=f"{m}:2: agent must be text, got 7"),
        Job(f"{m}:3", error=f"{m}:3: no path"),  # no file to name: the row's place stands for it
        Job(f"{m}:4", error=f"{m}:4: no path"),
        Job(f"{m}:5", error=f"{m}:5: path must be text, got ['a.txt']"),
        Job(str(tmp_path / "c.txt"), error=f"{m}:6: agent must be text, got {{'x': 1}}"),
        Job(str(tmp_path / "d.txt"), conversation_id="42")]  # a numeric id is its text, as in a CSV
    c = tmp_path / "m.csv"
    c.write_text("path,agent\n,Dana\n a.txt ,\n")
    assert jobs_from_manifest(c) == [Job(f"{c}:2", error=f"{c}:2: no path"), Job(str(tmp_path / " a.txt "))]


def test_manifest_columns_are_matched_as_labelled_datas_are(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("Path,AGENT,Conversation ID,speaker-names\na.txt,Sam,c-1,Speaker 0=Sam Hill\n")
    assert jobs_from_manifest(m) == [Job(str(tmp_path / "a.txt"), "Sam", "c-1", manifest_names=(("Speaker 0", "Sam Hill"),))]
    j = tmp_path / "m.jsonl"
    j.write_text('{"path": "a.txt", "Agent": "Sam"}\n{"path": "b.txt", "agent": "Sam", "Agent": "Jo"}\n')
    assert jobs_from_manifest(j) == [Job(str(tmp_path / "a.txt"), "Sam"),
                                     Job(f"{j}:2", error=f"{j}:2: columns 'agent' and 'Agent' are both 'agent'")]


@pytest.mark.parametrize(("name", "text"), [("m.csv", ""), ("m.csv", "path,agent\n"), ("m.jsonl", "\n")])
def test_an_empty_manifest_is_an_error_naming_it(tmp_path, name, text):
    m = tmp_path / name
    m.write_text(text)
    with pytest.raises(TableError, match=f"^{m}: no rows: a manifest lists the files to score, one a row$"):
        jobs_from_manifest(m)


def test_a_file_listed_twice_for_one_agent_is_an_error_row_naming_both_lines(tmp_path):
    m = tmp_path / "m.csv"
    m.write_text("path,agent,conversation_id\na.txt,Megan,\nb.txt,,\na.txt,Jo,\n./a.txt,MEGAN,\nb.txt,,\n"
                 "a.txt,Megan,c-1\n")
    a, b = str(tmp_path / "a.txt"), str(tmp_path / "b.txt")
    assert jobs_from_manifest(m) == [
        Job(a, "Megan"), Job(b), Job(a, "Jo"),  # a second agent for one file is a second rating
        Job(a, error=f"{m}:5: {a} is listed twice, also on line 2"),  # the agent is rated once, on line 2
        Job(b, error=f"{m}:6: {b} is listed twice, also on line 3"),
        Job(a, "Megan", "c-1")]  # another conversation of the file


def test_a_manifest_id_of_one_conversation_in_an_export_picks_it_and_its_agent():
    from reciprocity_nlp import load

    export = str(FIXTURES / "multi" / "call_export.csv")
    picked = score_chunk(load(), [Job(export, "Greta", "RX-502"), Job(export, None, "RX-501")])
    assert [[(r["conversation_id"], r["agent"], r["error"]) for r in rows] for rows, _ in picked] == [
        [("RX-502", "Greta Sol", "")], [("RX-501", "Nadia Brooks", "")]]


def test_an_error_row_keeps_the_agent_the_manifest_named(tmp_path):
    from reciprocity_nlp import load

    broken = tmp_path / "broken.vtt"
    broken.write_text("not a caption file")
    sample = str(ROOT / "data" / "samples" / "s-002.vtt")
    rows = [r for rows, _ in score_chunk(load(), [Job(str(broken), "Dana Whitfield"), Job(sample, "Nobody")]) for r in rows]
    assert [(r["agent"], bool(r["error"])) for r in rows] == [("Dana Whitfield", True), ("Nobody", True)]


def test_a_manifest_left_in_a_scored_folder_is_named_as_one(tmp_path):
    from reciprocity_nlp import load

    (tmp_path / "manifest.csv").write_text("path,agent\ncall.txt,Sam\n")
    [([row], _)] = score_chunk(load(), [Job(str(tmp_path / "manifest.csv"))])
    assert "a manifest of files to score (it has a 'path' column)" in row["error"]


def test_bad_agent_is_an_error_row_and_the_rest_go_on():
    from reciprocity_nlp import load

    sample = str(ROOT / "data" / "samples" / "s-002.vtt")
    results = score_chunk(load(), [Job(sample, "Nobody"), Job(sample, None, "my-id")])
    assert results[0][0][0]["error"].startswith("agent 'Nobody' is not a speaker; speakers are: ")  # the path is its own cell
    assert results[1][0][0]["conversation_id"] == "my-id" and results[1][0][0]["error"] == ""
    assert list(results[1][0][0]) == [*SCORE_COLUMNS, "warning", "agent_guessed"] and results[1][0][0]["warning"] == ""
    assert results[1][0][0]["agent_guessed"] is True
    given = score_chunk(load(), [Job(sample, results[1][0][0]["agent"])])[0][0][0]
    assert given["agent"] == results[1][0][0]["agent"] and given["agent_guessed"] is False


def test_an_error_row_names_the_agent_the_conversation_was_sent_for(tmp_path):
    from reciprocity_nlp import load

    sample = str(ROOT / "data" / "samples" / "s-002.vtt")
    (tmp_path / "empty.txt").write_bytes(b"")
    multi = str(FIXTURES / "multi" / "one_empty.csv")
    results = score_chunk(load(), [Job(sample, "Nobody"), Job(str(tmp_path / "empty.txt"), "Sam Patel"),
                                   Job(str(tmp_path / "empty.txt")), Job(multi, "Nadia Brooks")])
    assert [(rows[0]["agent"], bool(rows[0]["error"])) for rows, _ in results[:3]] == [
        ("Nobody", True), ("Sam Patel", True), (None, True)]
    assert [(r["conversation_id"], r["agent"], bool(r["error"])) for r in results[3][0]] == [
        ("A-1", "Nadia Brooks", False), ("A-2", "Nadia Brooks", True), ("A-3", "Nadia Brooks", True)]  # not a speaker


def test_an_mbox_of_several_threads_gives_a_row_per_thread():
    from reciprocity_nlp import load

    [(rows, _)] = score_chunk(load(), [Job(str(ROOT / "tests" / "fixtures" / "emails" / "takeout_label.mbox"))])
    assert [(r["conversation_id"], r["agent"], r["error"]) for r in rows] == [
        ("takeout_label-1", "Nadia Ferreira", ""), ("takeout_label-2", "Nadia Ferreira", ""),
        ("takeout_label-3", "Leo Brandt", "")]
    # a manifest's id takes the file name's place in the threads' ids; a CSV's own ids stay
    [(rows, _), (csv_rows, _)] = score_chunk(load(), [
        Job(str(ROOT / "tests" / "fixtures" / "emails" / "takeout_label.mbox"), None, "CRM-42"),
        Job(str(ROOT / "tests" / "fixtures" / "multi" / "call_export.csv"), None, "CRM-43")])
    assert [r["conversation_id"] for r in rows] == ["CRM-42-1", "CRM-42-2", "CRM-42-3"]
    assert "CRM-43" not in {r["conversation_id"] for r in csv_rows} and len(csv_rows) == 2


def test_partial_path_names(tmp_path):
    assert partial_path(tmp_path / "x.parquet").name == "x.parquet.partial.jsonl"
    assert partial_path(tmp_path / "scores.csv").name == "scores.csv.partial"


def test_standard_input_is_read_once_and_scored_like_a_file():
    from reciprocity_nlp import load

    analyzer = load()
    sample = ROOT / "data" / "samples" / "s-001.txt"
    jobs = with_stdin([Job("-"), Job(str(ROOT / "data" / "samples" / "s-003.txt")), Job("-", agent="Dana")],
                      io.BytesIO(sample.read_bytes()))
    assert [j.data is not None for j in jobs] == [True, False, True] and jobs[0].data == jobs[2].data == sample.read_bytes()
    assert with_stdin([Job("a.txt")], io.BytesIO(b"unread")) == [Job("a.txt")]
    from_stdin = score_chunk(analyzer, jobs[:1])[0][0][0]
    from_file = score_chunk(analyzer, [Job(str(sample))])[0][0][0]
    assert from_stdin["path"] == "-" and from_stdin["conversation_id"] == "stdin" and not from_stdin["error"]
    same = [k for k in SCORE_COLUMNS if k not in ("path", "conversation_id")]
    assert [from_stdin[k] for k in same] == [from_file[k] for k in same]
    empty = score_chunk(analyzer, with_stdin([Job("-")], io.BytesIO(b"")))[0][0][0]
    assert empty["conversation_id"] == "stdin" and "empty" in empty["error"]


def test_parquet_output_without_an_engine_is_refused_before_any_work(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in ("pyarrow", "fastparquet") else real(name, *a))
    with pytest.raises(UsageError, match=r"scores.parquet: writing Parquet needs pyarrow"):
        output_file("scores.parquet")
    assert output_file("scores.csv").name == "scores.csv"


def test_an_empty_conversation_in_a_file_is_its_own_error_row_and_the_others_are_scored():
    from reciprocity_nlp import load

    path = str(FIXTURES / "multi" / "one_empty.csv")
    ((rows, _),) = score_chunk(load(), [Job(path)])
    assert [(r["path"], r["conversation_id"], r["error"]) for r in rows] == [
        (path, "A-1", ""),
        (path, "A-2", "conversation 'A-2': no speaker turns with text found in this csv file"),
        (path, "A-3", ""),
    ]
    assert rows[0]["agent"] == "Nadia Brooks" and rows[2]["n_turns"] == 2


def test_a_file_of_many_conversations_is_analysed_in_batches_with_the_same_rows(monkeypatch):
    """An export of thousands of calls is one job: its conversations go through the models a batch at a time
    (memory stays flat), and the rows do not depend on the batch size."""
    import reciprocity_nlp.scoring as scoring
    from reciprocity_nlp import load

    analyzer = load()
    jobs = [Job(str(FIXTURES / "emails" / "takeout_label.mbox")), Job(str(FIXTURES / "multi" / "call_export.csv"))]
    whole = score_chunk(analyzer, jobs, with_sentences=True)
    seen = []
    analyze_all = scoring._analyze_all
    monkeypatch.setattr(scoring, "ANALYSIS_BATCH", 2)
    monkeypatch.setattr(scoring, "_analyze_all", lambda a, batch, agents: seen.append(len(batch)) or analyze_all(a, batch, agents))
    assert score_chunk(analyzer, jobs, with_sentences=True) == whole
    assert seen == [2, 2, 1]


def test_a_readers_unexpected_exception_costs_one_error_row_not_the_batch(monkeypatch):
    import reciprocity_nlp.scoring as scoring
    from reciprocity_nlp import load

    read_job = scoring.read_job

    def flaky(job, found=None):
        if job.path.endswith("s-004.txt"):
            raise RuntimeError("boom")
        return read_job(job, found)

    monkeypatch.setattr(scoring, "read_job", flaky)
    samples = ROOT / "data" / "samples"
    [(bad, _), (good, _)] = score_chunk(load(), [Job(str(samples / "s-004.txt")), Job(str(samples / "s-001.txt"))])
    assert bad[0]["error"] == "internal error while reading: RuntimeError: boom"
    assert good[0]["error"] == "" and good[0]["conversation_id"] == "s-001"


def test_text_utf8_cannot_hold_is_written_with_backslash_escapes():
    assert shown_text(os.fsdecode(b"lat\xe9n.txt")) == "lat\\xe9n.txt"  # a file name's Latin-1 byte
    assert shown_text("half an emoji: \ud83d") == "half an emoji: \\ud83d"  # spelled out in a JSON transcript
    assert shown_text("Zoë") == "Zoë" and shown_text(0.5) == 0.5 and shown_text(None) is None


def test_an_output_that_is_a_folder_is_refused_and_a_missing_folder_is_made_before_any_work(tmp_path):
    """Before, a missing folder failed naming the internal 'x.csv.partial', and a folder failed after all the work."""
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(UsageError, match=r"dir\.csv: is a folder; --out must be a file"):
        output_file(tmp_path / "dir.csv")
    with pytest.raises(UsageError, match=r"dir\.csv: is a folder; --sentences-out must be a file"):
        output_file(tmp_path / "dir.csv", "--sentences-out")
    assert output_file(tmp_path / "new" / "deeper" / "x.csv") == tmp_path / "new" / "deeper" / "x.csv"
    assert not (tmp_path / "new").exists()  # made once the run is past its other checks, by make_folder
    make_folder(tmp_path / "new" / "deeper" / "x.csv")
    assert (tmp_path / "new" / "deeper").is_dir()
    (tmp_path / "notes").write_text("")
    with pytest.raises(UsageError, match=r"notes: cannot make the folder for --out: Not a directory"):
        output_file(tmp_path / "notes" / "x.csv")
    with pytest.raises(UsageError, match=r"notes/a: cannot make the folder for --out: Not a directory"):
        output_file(tmp_path / "notes" / "a" / "x.csv")


def test_a_file_given_twice_is_one_job_and_an_error_job_naming_the_first(tmp_path):
    """Scored twice, one conversation would be two rows that `report` refuses; a folder and a file in it, or the same
    file written two ways, are one file; standard input given twice is read once."""
    from reciprocity_nlp.scoring import jobs_from_paths

    (tmp_path / "a.txt").write_text("Sam: Hi.\nJo: Hello.\n")
    (tmp_path / "b.txt").write_text("Sam: Hi.\nJo: Hello.\n")
    (tmp_path / "x").mkdir()
    jobs = list(jobs_from_paths([tmp_path, str(tmp_path / "a.txt"),
                                 str(tmp_path / "x" / ".." / "b.txt"), "-", "-"]))
    assert [(j.path, j.error) for j in jobs] == [
        (str(tmp_path / "a.txt"), None), (str(tmp_path / "b.txt"), None),
        (str(tmp_path / "a.txt"), f"given twice, also as {tmp_path / 'a.txt'}"),
        (str(tmp_path / "x" / ".." / "b.txt"), f"given twice, also as {tmp_path / 'b.txt'}"),
        ("-", None), ("-", "given twice, also as -")]
