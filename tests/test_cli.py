import csv
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from reciprocity_nlp.cli import main
from reciprocity_nlp.labels import ACTS, LABELS
from reciprocity_nlp.scoring import SCORE_COLUMNS, error_row
from tests.conftest import FIXTURES, ROOT


def test_read_prints_speakers_and_turns(capsys):
    assert main(["read", str(FIXTURES / "calls" / "otter.txt")]) == 0
    out = capsys.readouterr().out
    assert "speakers: Shauna O'Neill (2 turns), Declan Moran (2 turns)" in out
    assert "agent: Shauna O'Neill" in out


def test_read_splits_an_unpunctuated_transcript_with_the_models_boundaries(tmp_path, capsys):
    call = tmp_path / "asr.txt"
    call.write_text("Jade: hi is that tomasz it's jade from redline talent we connected on linkedin have you got "
                    "two minutes i've got a platform role that pays up to 85k would that be of interest\n"
                    "Tomasz: yeah go on then\n")
    assert main(["read", "--json", str(call)]) == 0
    turns = json.loads(capsys.readouterr().out)["turns"]
    assert len(turns[0]["sentences"]) >= 3 and len(turns[1]["sentences"]) == 1


def test_read_shows_answers_written_in_colour_inside_the_quote_as_the_repliers_turn(capsys):
    assert main(["read", "--json", str(FIXTURES / "emails" / "inline_gmail_initials.eml")]) == 0
    turns = json.loads(capsys.readouterr().out)["turns"]
    assert [t["speaker"] for t in turns] == ["Marcus Lee", "Dana Whitfield"]
    assert "[DW]" not in turns[0]["text"] and "Can we pay quarterly rather than annually?" in turns[0]["text"]
    assert [turns[1]["text"][start:end] for start, end in turns[1]["sentences"]][-3:] == [
        "Yes, quarterly billing is fine at the same annual price.",
        "It does: two onboarding sessions per team are included.",
        "Not as standard, but I can add a 60-day exit clause."]


def test_read_json_is_to_dict(capsys):
    assert main(["read", "--json", str(FIXTURES / "emails" / "thread.mbox")]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["channel"] == "email" and len(d["turns"]) == 3 and d["turns"][0]["sentences"]


def test_bad_input_is_one_clear_line_not_a_traceback(tmp_path):
    bad = tmp_path / "broken.vtt"
    bad.write_text("not a caption file")
    result = subprocess.run([sys.executable, "-m", "reciprocity_nlp", "read", str(bad)], capture_output=True, text=True)
    assert result.returncode == 1
    assert "broken.vtt: not WebVTT: missing WEBVTT header" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_explains():
    result = subprocess.run([sys.executable, "-m", "reciprocity_nlp", "read", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--format" in result.stdout and "--agent" in result.stdout


def test_bad_manifest_is_one_clear_line_not_a_traceback(tmp_path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,agent\na.eml,Sam\n")
    result = subprocess.run([sys.executable, "-m", "reciprocity_nlp", "score", "--manifest", str(manifest)],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "manifest.csv: a manifest needs a 'path' column" in result.stderr
    assert "Traceback" not in result.stderr


def test_tag_sentences_keeps_every_row_and_its_extra_columns(tmp_path):
    rows = [
        {"conversation_id": "c1", "turn": 0, "speaker": "Sam", "text": "Thanks for making time today.", "team": "north"},
        {"conversation_id": "c1", "turn": 0, "speaker": "Sam", "text": "Where else are you interviewing?", "team": "north"},
        {"conversation_id": "c1", "turn": 1, "speaker": "Ana", "text": "Two fintechs in Leeds.", "team": "north"},
        {"text": "Can you send me your CV today?", "team": "south"},
    ]
    src = tmp_path / "lines.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "acts.csv"
    assert main(["tag", "--sentences", str(src), "--out", str(out)]) == 0
    got = list(csv.DictReader(out.open()))
    assert [r["text"] for r in got] == [r["text"] for r in rows]
    assert [r["team"] for r in got] == ["north", "north", "north", "south"]
    assert {"act", "confidence", "p_push", "p_rapport"} <= set(got[0])
    assert [r["act"] for r in got] == ["rapport", "extract_info", "give_value", "push"]
    for r in got:
        assert abs(sum(float(r[f"p_{a}"]) for a in ("give_value", "extract_info", "push", "pitch", "rapport", "other")) - 1) < 1e-3


def test_tag_sentences_keeps_an_input_act_column_beside_the_predicted_one(tmp_path, capsys):
    src = tmp_path / "labelled.jsonl"
    src.write_text(json.dumps({"text": "Where else are you interviewing?", "act": "pitch", "input_act": "x"}) + "\n")
    out = tmp_path / "acts.csv"
    assert main(["tag", "--sentences", str(src), "--out", str(out)]) == 0
    with out.open() as fh:
        header = next(csv.reader(fh))
    (got,) = list(csv.DictReader(out.open()))
    assert len(header) == len(set(header))
    assert got["input_input_act"] == "pitch" and got["input_act"] == "x" and got["act"] == "extract_info"
    assert "the input's 'act' column is kept as 'input_input_act'" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["read", "tag", "score", "explain"])
def test_format_skips_detection_for_read_tag_and_score(tmp_path, capsys, command):
    call = tmp_path / "call.log"  # a name that says nothing of its format
    call.write_text("1\n00:00:01,000 --> 00:00:04,000\nSam: Where else are you interviewing?\n\n"
                    "2\n00:00:05,000 --> 00:00:07,000\nAna: Two fintechs in Leeds.\n")
    assert main([command, str(call), "--format", "srt"]) == 0
    assert "Sam" in capsys.readouterr().out
    assert main([command, str(call), "--format", "vtt"]) == 1
    captured = capsys.readouterr()
    assert "missing WEBVTT header" in captured.err + captured.out


def test_format_names_are_matched_whatever_their_case(tmp_path, capsys):
    call = tmp_path / "call.log"
    call.write_text("1\n00:00:01,000 --> 00:00:04,000\nSam: Where else are you interviewing?\n\n"
                    "2\n00:00:05,000 --> 00:00:07,000\nAna: Two fintechs in Leeds.\n")
    assert main(["read", str(call), "--format", "SRT"]) == 0  # before: invalid choice: 'SRT'
    assert "Sam" in capsys.readouterr().out


def test_dash_reads_standard_input_beside_files(tmp_path):
    email = (FIXTURES / "emails" / "plain_iphone.eml").read_bytes()
    run = [sys.executable, "-m", "reciprocity_nlp"]
    read = subprocess.run([*run, "read", "-"], input=email, capture_output=True)
    assert read.returncode == 0 and read.stdout.decode().startswith("== stdin  [email, eml]")
    out = tmp_path / "scores.csv"
    score = subprocess.run([*run, "score", "-", str(FIXTURES / "calls" / "otter.txt"), "--out", str(out), "--quiet"],
                           input=email, capture_output=True)
    rows = list(csv.DictReader(out.open()))
    assert score.returncode == 0 and [(r["path"], r["conversation_id"], r["error"]) for r in rows] == [
        ("-", "stdin", ""), (str(FIXTURES / "calls" / "otter.txt"), "otter", "")]


def test_a_closed_pipe_ends_quietly(monkeypatch, capsys):
    class ClosedPipe:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def fileno(self):
            raise OSError("no file descriptor")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["read", str(FIXTURES / "calls" / "otter.txt")]) == 0
    assert capsys.readouterr().err == ""


def test_tag_sentences_passes_every_rows_columns_and_reports_rows_without_text(tmp_path, capsys):
    rows = [
        {"text": "Can you send me your CV today?"},
        {"text": "We are the best agency in the world!", "extra": "x"},
        {"conversation_id": "c1", "turn": 0.0, "speaker": "A", "text": "Thanks so much for your time."},
        {"conversation_id": "c1", "turn": "1.0", "speaker": "B", "text": "   "},
        {"text": None},
    ]
    src = tmp_path / "lines.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "acts.csv"
    assert main(["tag", "--sentences", str(src), "--out", str(out)]) == 1
    got = list(csv.DictReader(out.open()))
    assert list(got[0])[:5] == ["text", "extra", "conversation_id", "turn", "speaker"]
    assert [(r["extra"], r["conversation_id"], r["turn"], r["speaker"]) for r in got] == [
        ("", "", "", ""), ("x", "", "", ""), ("", "c1", "0", "A"), ("", "c1", "1", "B"), ("", "", "", "")]
    assert [r["act"] for r in got] == ["push", "pitch", "rapport", "", ""]
    assert got[3]["confidence"] == got[3]["p_other"] == ""
    err = capsys.readouterr().err
    assert f"error: {src}:4: no text to tag" in err and f"error: {src}:5: no text to tag" in err


def test_tag_sentences_with_a_bad_turn_names_the_file_row_and_value(tmp_path, capsys):
    src = tmp_path / "lines.csv"
    src.write_text("conversation_id,turn,speaker,text\nc1,0.0,A,Send it today.\nc1,abc,B,No.\n")
    assert main(["tag", "--sentences", str(src)]) == 2
    assert f"error: {src}:3: turn must be a whole number, got 'abc'" in capsys.readouterr().err


def test_tag_sentences_and_files_together_is_a_usage_error(tmp_path, capsys):
    src = tmp_path / "lines.jsonl"
    src.write_text('{"text": "Hi"}\n')
    with pytest.raises(SystemExit) as stop:
        main(["tag", "--sentences", str(src), str(FIXTURES / "calls" / "otter.txt")])
    assert stop.value.code == 2 and "or --sentences F, not both" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["o.xlsx", "o.txt", "o"])
def test_tag_refuses_outputs_it_cannot_write_as_score_does(tmp_path, capsys, name):
    with pytest.raises(SystemExit) as stop:
        main(["tag", str(FIXTURES / "calls" / "otter.txt"), "--out", str(tmp_path / name)])
    assert stop.value.code == 2 and "output must end in .csv, .jsonl or .parquet" in capsys.readouterr().err
    assert not (tmp_path / name).exists()


def rows_as_written(out):
    """The rows of an output file, read as the format its suffix names (whatever its case); a CSV must not hold
    JSON lines, nor a JSONL file CSV."""
    suffix = out.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(out).to_dict("records")
    if suffix == ".jsonl":
        return [json.loads(line) for line in out.read_text().splitlines()]
    assert not out.read_text().startswith("{")
    return list(csv.DictReader(out.open()))


@pytest.mark.parametrize("command", ["tag", "score"])
@pytest.mark.parametrize("suffix", [".CSV", ".JSONL", ".Parquet"])
def test_an_output_suffix_in_capitals_is_written_as_the_format_it_names(tmp_path, command, suffix):
    """Before, o.CSV was refused ('write o.csv'); users expect it written as CSV, as o.csv is."""
    out = tmp_path / f"o{suffix}"
    assert main([command, str(FIXTURES / "calls" / "otter.txt"), "--out", str(out)]) == 0
    rows = rows_as_written(out)
    assert rows and {r["conversation_id"] for r in rows} == {"otter"}
    assert [f.name for f in tmp_path.iterdir()] == [out.name]  # no partial file or ledger left


@pytest.mark.parametrize("suffix", [".CSV", ".JSONL"])
def test_resume_and_report_take_an_output_whose_suffix_is_in_capitals(tmp_path, capsys, suffix):
    a, b = two_calls(tmp_path)
    out = tmp_path / f"scores{suffix}"
    assert main(["score", str(a), "--out", str(out)]) == 0
    assert main(["score", str(a), str(b), "--out", str(out), "--resume"]) == 0
    assert "(+1 kept from the earlier run)" in capsys.readouterr().err  # a.txt is not scored again
    assert [r["path"] for r in rows_as_written(out)] == [str(a), str(b)]
    report = tmp_path / "r.html"
    assert main(["report", str(out), "--out", str(report)]) == 0  # read as scores, not as a transcript to score
    assert "(2 conversations)" in capsys.readouterr().err


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_resume_counts_the_kept_error_rows_and_exits_as_a_full_run_would(tmp_path, capsys, suffix):
    """Before, a resume with nothing left to score said '0 errors' and exited 0 over kept error rows."""
    a, b = two_calls(tmp_path)
    (tmp_path / "empty.txt").write_text("")  # an error row
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)))  # another
    paths = [str(a), str(b), str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt")]
    out = tmp_path / f"scores{suffix}"
    assert main(["score", *paths, "--out", str(out)]) == 1
    capsys.readouterr()
    assert main(["score", *paths, "--out", str(out), "--resume"]) == 1
    summary = capsys.readouterr().err.splitlines()[-1]
    if suffix == ".parquet":  # a finished Parquet output cannot be appended to: everything is scored again
        assert summary.startswith("scored 2 conversations from 4 files, 2 errors, ")
    else:
        assert summary.startswith("scored 0 conversations from 0 files (+2 kept from the earlier run), "
                                  "2 errors (all kept from the earlier run), ")
    c = tmp_path / "c.txt"
    c.write_text(CALL_A)
    assert main(["score", *paths, str(c), "--out", str(out), "--resume"]) == 1  # one new file, scored fine
    summary = capsys.readouterr().err.splitlines()[-1]
    if suffix != ".parquet":
        assert summary.startswith("scored 1 conversation from 1 file (+2 kept from the earlier run), "
                                  "2 errors (all kept from the earlier run), ")
    (tmp_path / "empty2.txt").write_text("")
    assert main(["score", *paths, str(c), str(tmp_path / "empty2.txt"), "--out", str(out), "--resume"]) == 1
    summary = capsys.readouterr().err.splitlines()[-1]
    if suffix != ".parquet":
        assert summary.startswith("scored 0 conversations from 1 file (+3 kept from the earlier run), "
                                  "3 errors (2 kept from the earlier run), ")
    good = tmp_path / "good.csv"
    assert main(["score", str(a), "--out", str(good)]) == 0
    assert main(["score", str(a), "--out", str(good), "--resume"]) == 0  # no error kept: all fine, as before
    assert ", 0 errors, " in capsys.readouterr().err.splitlines()[-1]


def test_tag_makes_a_missing_out_folder_and_refuses_a_folder_as_out(tmp_path, capsys):
    out = tmp_path / "nodir" / "tags.csv"
    assert main(["tag", str(FIXTURES / "calls" / "otter.txt"), "--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) > 1
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(SystemExit) as stop:
        main(["tag", str(FIXTURES / "calls" / "otter.txt"), "--out", str(tmp_path / "dir.csv")])
    assert stop.value.code == 2 and "dir.csv: is a folder; --out must be a file" in capsys.readouterr().err


def test_tag_makes_its_missing_out_folder_before_tagging_so_one_that_cannot_be_made_wastes_no_work(tmp_path, capsys,
                                                                                                   monkeypatch):
    """Before, `tag` made the folder once every row was tagged, so a folder that could not be made failed after the
    work; `score` makes it before (and after its checks, see the test below)."""
    from pathlib import Path

    from reciprocity_nlp.analysis import Analyzer

    tagged = []  # what was tagged; loading the model rates a call of its own, 'load-check'
    analyze, tag_rows = Analyzer.analyze, Analyzer.tag_rows
    monkeypatch.setattr(Analyzer, "analyze", lambda self, conv, *a: tagged.append(conv.id) or analyze(self, conv, *a))
    monkeypatch.setattr(Analyzer, "tag_rows", lambda self, rows, *a: tagged.append(rows) or tag_rows(self, rows, *a))

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    sentences = tmp_path / "lines.csv"
    sentences.write_text("text\nCan you send me your CV?\n")
    for given in ([str(FIXTURES / "calls" / "otter.txt")], ["--sentences", str(sentences)]):
        with pytest.raises(SystemExit) as stop:
            main(["tag", *given, "--out", str(tmp_path / "new" / "tags.csv")])
        assert stop.value.code == 2 and "new: cannot make the folder for --out: Permission denied" in capsys.readouterr().err
    assert tagged == ['load-check', 'load-check']


def test_a_run_refused_after_its_out_is_checked_leaves_no_folder_behind(tmp_path, capsys):
    """Before, the missing folder for --out was made first, and stayed behind, empty, when a later check failed."""
    manifest = tmp_path / "m.csv"
    manifest.write_text("file\na.txt\n")  # no path column
    empty = tmp_path / "lines.csv"
    empty.write_text("")
    call = str(FIXTURES / "calls" / "otter.txt")
    new = tmp_path / "new"
    for argv in (["score", "--manifest", str(manifest), "--out", str(new / "deeper" / "s.csv")],
                 ["score", call, "--out", str(new / "s.csv"), "--sentences-out", str(new / "t.csv"),
                  "--model", str(tmp_path / "nowhere")],
                 ["tag", call, "--out", str(new / "t.csv"), "--model", str(tmp_path / "nowhere")],
                 ["tag", "--sentences", str(empty), "--out", str(new / "t.csv")]):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code
        assert code == 2 and not new.exists(), argv
    assert "nowhere: no such model folder" in capsys.readouterr().err


def test_tag_writes_parquet(tmp_path):
    out = tmp_path / "acts.parquet"
    assert main(["tag", str(FIXTURES / "calls" / "otter.txt"), "--out", str(out)]) == 0
    frame = pd.read_parquet(out)
    assert list(frame.columns[:4]) == ["conversation_id", "turn", "speaker", "text"] and len(frame) > 1
    assert set(frame["act"]) <= set(ACTS) and not list(tmp_path.glob("*.partial*"))


def test_report_names_inputs_that_failed_and_writes_nothing_when_all_did(tmp_path, capsys):
    out = tmp_path / "r.html"
    assert main(["report", str(tmp_path / "nosuch_scores.csv"), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'nosuch_scores.csv'}: no such file" in err
    assert "no report written: every input failed (1 error)" in err and "report written to" not in err
    assert not out.exists()


def test_report_scores_a_latin1_table_and_names_a_jsonl_that_is_not_json_instead_of_failing(tmp_path, capsys):
    """Before, report looked for a scores file's header in every input as UTF-8, JSON or a whole Parquet file, and a
    Latin-1 transcript (which `score` reads), a first line that is not JSON or a damaged Parquet file ended it with a
    traceback; now each goes to the readers as `score` would send it, and what they cannot read is an error row."""
    latin = tmp_path / "latin.csv"
    latin.write_bytes("speaker,text\nJosé,Hola can you send me your CV?\nSam,Sure I will send it today.\n".encode("latin-1"))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"speaker": "Sam", "text": "Hi"\n')
    damaged = tmp_path / "scores.parquet"
    damaged.write_bytes(b"PAR1 cut short")
    out = tmp_path / "r.html"
    assert main(["report", str(latin), str(broken), str(damaged), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"error: {broken}:" in err and f"error: {damaged}:" in err and f"error: {latin}" not in err
    assert f"report written to {out} (1 conversation, 2 errors listed in the report)" in err


GOOD_ROW = {**dict.fromkeys(SCORE_COLUMNS, ""), "path": "a.txt", "conversation_id": "a", "channel": "call", "agent": "Sam",
            "n_turns": 2, "n_sentences": 2, **dict.fromkeys(LABELS, 0.1), **dict.fromkeys(ACTS, 0.1),
            "reciprocity_index": 0.5}


def scores_file(path, rows):
    """A scores CSV as `reciprocity score` writes it."""
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, SCORE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_report_summary_counts_conversations_and_errors(tmp_path, capsys):
    scores = scores_file(tmp_path / "scores.csv", [GOOD_ROW, error_row("b.vtt", "not WebVTT")])
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "r.html"
    assert main(["report", str(scores), str(junk), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"error: {junk}: not a transcript or email: binary data" in err
    assert "error: b.vtt: not WebVTT" in err  # an error row from a scores file is named too, and exits 1 alike
    assert f"report written to {out} (1 conversation, 2 errors listed in the report)" in err and out.exists()
    assert main(["report", str(scores), "--out", str(out)]) == 1


def test_report_takes_one_conversation_rated_for_two_agents(tmp_path, capsys):
    # a manifest may list one file for two agents
    scores = scores_file(tmp_path / "scores.csv", [GOOD_ROW, {**GOOD_ROW, "agent": "Jo"}])
    assert main(["report", str(scores), "--out", str(tmp_path / "r.html")]) == 0
    assert "(2 conversations)" in capsys.readouterr().err


def test_report_refuses_a_conversation_given_twice(tmp_path, capsys):
    sample = tmp_path / "call.txt"
    sample.write_text("Sam: Hi Jo, where else are you interviewing?\nJo: Two fintechs.\n")
    scores = tmp_path / "scores.csv"
    assert main(["score", str(sample), "--out", str(scores), "--quiet", "--jobs", "1"]) == 0
    with pytest.raises(SystemExit) as stop:
        main(["report", str(scores), str(sample), "--out", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "usage: reciprocity report" in err
    assert f"conversation 'call' ({sample}) is given twice, in {scores} and in the files scored now" in err


def test_report_names_a_conversation_given_twice_in_one_scores_file_once(tmp_path, capsys):
    scores = scores_file(tmp_path / "scores.csv", [GOOD_ROW, GOOD_ROW])
    with pytest.raises(SystemExit):
        main(["report", str(scores), "--out", str(tmp_path / "r.html")])
    assert f"conversation 'a' (a.txt) is given twice in {scores}; give each conversation once" in capsys.readouterr().err


@pytest.mark.parametrize("given", ["manifest", "paths"])
def test_report_takes_the_error_rows_score_wrote_for_a_failing_file_given_twice(tmp_path, capsys, given):
    """Before, a file that cannot be read, listed twice in a manifest with no agent (or given twice as a PATH), left two
    error rows of one path, conversation and (no) agent, and `report` refused them as one conversation given twice."""
    (tmp_path / "bad.bin").write_bytes(bytes(range(256)) * 2)
    (tmp_path / "call.txt").write_text(CALL_A)
    if given == "manifest":
        (tmp_path / "m.csv").write_text("path\nbad.bin\nbad.bin\ncall.txt\n")
        inputs = ["--manifest", str(tmp_path / "m.csv")]
    else:
        inputs = [str(tmp_path / "bad.bin"), str(tmp_path / "bad.bin"), str(tmp_path / "call.txt")]
    scores = tmp_path / "scores.csv"
    assert main(["score", *inputs, "--out", str(scores), "--quiet"]) == 1
    capsys.readouterr()
    out = tmp_path / "r.html"
    assert main(["report", str(scores), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'bad.bin'}: not a transcript or email: binary data" in err
    assert f"report written to {out} (1 conversation, 2 errors listed in the report)" in err


def test_the_cli_module_run_directly_gives_usage_errors_not_tracebacks(tmp_path):
    result = subprocess.run([sys.executable, "-m", "reciprocity_nlp.cli", "score", "x", "--out", str(tmp_path / "s.txt")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "s.txt: output must end in .csv, .jsonl or .parquet" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["read", "tag"])
def test_read_and_tag_name_an_empty_conversation_and_show_the_others(capsys, command):
    path = FIXTURES / "multi" / "one_empty.csv"
    assert main([command, str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines()[-1] == f"error: {path}: conversation 'A-2': no speaker turns with text found in this csv file"
    assert "A-1" in captured.out and "A-3" in captured.out and "A-2" not in captured.out


def test_tag_sentences_names_a_nan_text_and_tags_the_rest(tmp_path, capsys):
    src = tmp_path / "lines.jsonl"
    src.write_text('{"text": "Thanks for the call."}\n{"text": NaN}\n')  # as json.dumps writes a DataFrame's NaN
    out = tmp_path / "acts.csv"
    assert main(["tag", "--sentences", str(src), "--out", str(out)]) == 1
    got = list(csv.DictReader(out.open()))
    assert [r["act"] for r in got] == ["rapport", ""] and "no text to tag" in capsys.readouterr().err


def test_tag_and_report_name_a_conversation_not_in_english_and_keep_it(tmp_path, capsys):
    path = FIXTURES / "languages" / "zh_mail.eml"
    assert main(["read", str(path)]) == 0
    captured = capsys.readouterr()
    assert f"warning: {path} (zh_mail): does not read as English" in captured.err and "agent:" in captured.out
    out = tmp_path / "acts.csv"
    assert main(["tag", str(path), "--out", str(out)]) == 0
    assert f"warning: {path} (zh_mail): does not read as English" in capsys.readouterr().err
    assert len(list(csv.DictReader(out.open()))) > 0
    assert main(["report", str(path), "--out", str(tmp_path / "report.html")]) == 0
    assert f"warning: {path} (zh_mail): does not read as English" in capsys.readouterr().err


def test_read_and_score_warn_of_an_email_cut_short_and_still_rate_what_came(tmp_path, capsys):
    """Before, a cut email was rated on whatever text survived, with no word of the cut."""
    whole = (FIXTURES / "emails" / "alternative_qp_outlook.eml").read_bytes()
    path = tmp_path / "cut.eml"
    path.write_bytes(whole[:whole.index(b"Content-Type: text/html")])  # its closing boundary and HTML part gone
    assert main(["read", str(path)]) == 0
    assert f"warning: {path} (cut): email cut short (" not in capsys.readouterr().err  # cut at a line's end: not seen
    path.write_bytes(whole[:whole.index(b"Content-Type: text/html") - 30])  # mid-line, in the plain part
    assert main(["read", str(path)]) == 0
    warning = (f"warning: {path} (cut): email cut short (its text/plain part stops mid-line, with no closing boundary "
               "after it): rated on what came before the cut")
    assert warning in capsys.readouterr().err
    out = tmp_path / "scores.csv"
    assert main(["score", str(path), "--out", str(out)]) == 0
    assert warning in capsys.readouterr().err
    [row] = csv.DictReader(out.open())
    assert row["error"] == "" and row["pushy"] != ""


def test_read_explain_and_score_warn_of_a_call_with_one_speaker_and_still_rate_it(tmp_path, capsys):
    path = tmp_path / "solo.txt"
    path.write_text("Alice: Hello, I would like to tell you about our product.\n"
                    "Alice: It is great and you should buy it today.\n")
    warning = f"warning: {path} (solo): only one speaker (Alice)"
    assert main(["read", str(path)]) == 0
    assert warning in capsys.readouterr().err
    assert main(["explain", str(path)]) == 0
    assert "warning: only one speaker (Alice)" in capsys.readouterr().out
    out = tmp_path / "scores.csv"
    assert main(["score", str(path), "--out", str(out)]) == 0
    assert warning in capsys.readouterr().err
    [row] = csv.DictReader(out.open())
    assert row["error"] == "" and row["pushy"] != ""


def test_explain_says_why_each_flag_is_raised_and_goes_on_past_a_bad_file(tmp_path, capsys):
    from tests.conftest import ROOT

    bad = tmp_path / "broken.vtt"
    bad.write_text("not a caption file")
    sample = ROOT / "data" / "samples" / "s-004.txt"
    assert main(["explain", str(bad), str(sample), "--agent", "Megan"]) == 1
    captured = capsys.readouterr()
    assert "broken.vtt: not WebVTT" in captured.err
    text = captured.out
    assert f"== {sample}\ns-004 (call): agent Megan Doyle (given)\nflags: pushy, desperate\n" in text
    pushy = text[text.index("  pushy "):text.index("  salesy ")]
    assert "FLAGGED" in pushy and "turn" in pushy and "driven by:" in pushy and "(high)" in pushy
    assert "  salesy " in text and "below" in text[text.index("  salesy "):].splitlines()[0]
    assert "gave before asking: no" in text and "reciprocity index" in text

    assert main(["explain", "--json", str(sample), "--agent", "Megan"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["flags"] == ["pushy", "desperate"] and found["agent"] == "Megan Doyle"
    assert all(f["level"] in ("high", "low") for f in found["evidence"]["pushy"]["features"])


CALL_A = ("Speaker 0: Hi, it's Dana from Brightpath. Do you have two minutes to talk about the role?\n"
          "Speaker 1: Sure, go on.\nSpeaker 0: It pays up to 85k. Would that be of interest?\nSpeaker 1: Maybe.\n")
CALL_B = "Speaker 1: Hello?\nSpeaker 0: Hi, it's Dana again from Brightpath, about the platform role.\nSpeaker 1: Oh, hi.\n"


def two_calls(folder):
    (folder / "a.txt").write_text(CALL_A)
    (folder / "b.txt").write_text(CALL_B)
    return folder / "a.txt", folder / "b.txt"


def score_rows(out):
    rows = list(csv.DictReader(out.splitlines()))
    assert list(rows[0]) == SCORE_COLUMNS  # the columns stay exactly as specified
    return rows


def test_score_with_speaker_names_rates_the_named_person_and_warns_of_a_label_no_file_has(tmp_path, capsys):
    a, b = two_calls(tmp_path)
    assert main(["score", str(a), str(b), "--agent", "Dana Whitfield", "--quiet", "--speaker-name", "speaker 0=Dana Whitfield",
                 "--speaker-name", "Speaker 7=Nobody"]) == 0
    captured = capsys.readouterr()
    assert [(r["agent"], r["error"]) for r in score_rows(captured.out)] == [("Dana Whitfield", "")] * 2
    assert captured.err.splitlines() == ["warning: --speaker-name 'Speaker 7': no file read in this run has a speaker of "
                                         "that label, so it named nobody"]
    assert main(["score", str(a), "--agent", "Dana Whitfield", "--quiet"]) == 1  # without the map nobody is called so
    assert "agent 'Dana Whitfield' is not a speaker" in capsys.readouterr().out


def test_a_manifest_names_each_files_speakers_over_the_options_and_a_bad_row_costs_only_its_row(tmp_path, capsys):
    a, b = two_calls(tmp_path)
    manifest = tmp_path / "m.csv"
    manifest.write_text('path,agent,speaker_names\n'
                        'a.txt,Dana Whitfield,Speaker 0=Dana Whitfield; Speaker 1=Jo Hill\n'
                        'b.txt,Marcus Lee,"{""speaker 0"": ""Marcus Lee""}"\n'
                        'a.txt,,Speaker 5=Someone\n'
                        'b.txt,,Speaker 0 Marcus\n')
    assert main(["score", "--manifest", str(manifest), "--speaker-name", "Speaker 0=Dana Whitfield", "--quiet"]) == 1
    captured = capsys.readouterr()
    rows = score_rows(captured.out)
    assert [(r["path"], r["agent"], r["error"]) for r in rows] == [
        (str(a), "Dana Whitfield", ""), (str(b), "Marcus Lee", ""),
        (str(a), "", "speaker_names: 'Speaker 5' is not a speaker of this file; its speakers are: Speaker 0, Speaker 1"),
        (str(b), "", f"{manifest}:5: speaker_names: 'Speaker 0 Marcus': no '=' (write LABEL=NAME, e.g. 'Speaker 0=Dana "
                     "Whitfield')")]
    assert "warning" not in captured.err
    jsonl = tmp_path / "m.jsonl"
    jsonl.write_text(json.dumps({"path": "b.txt", "agent": "Marcus", "speaker_names": {"Speaker 0": "Marcus Lee"}}) + "\n")
    assert main(["score", "--manifest", str(jsonl), "--quiet"]) == 0
    assert score_rows(capsys.readouterr().out)[0]["agent"] == "Marcus Lee"


def test_a_file_in_the_manifest_given_as_a_path_too_is_scored_once_and_named_again_as_an_error(tmp_path, capsys):
    """Before, a file listed in --manifest and given as a PATH (or inside a folder given) was scored twice: two rows
    of one conversation, which `report` refuses."""
    calls = tmp_path / "calls"
    calls.mkdir()
    a, b = two_calls(calls)
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,agent\ncalls/a.txt,Speaker 0\n")
    assert main(["score", "--manifest", str(manifest), str(b), str(calls), "--quiet"]) == 1
    rows = score_rows(capsys.readouterr().out)
    assert [(r["path"], r["error"]) for r in rows] == [
        (str(a), ""), (str(b), ""), (str(a), f"given twice, also listed on {manifest}:2"),
        (str(b), f"given twice, also as {b}")]


def test_a_manifest_row_with_no_path_or_an_agent_that_is_not_text_is_one_error_row(tmp_path, capsys):
    a, b = two_calls(tmp_path)
    manifest = tmp_path / "m.jsonl"
    manifest.write_text('{"path": "a.txt", "agent": "Speaker 0"}\n{"path": "b.txt", "agent": 7}\n'
                        '{"agent": "Megan"}\n{"path": "b.txt"}\n')
    assert main(["score", "--manifest", str(manifest), "--quiet"]) == 1
    rows = score_rows(capsys.readouterr().out)
    assert [(r["path"], r["agent"], r["error"]) for r in rows] == [
        (str(a), "Speaker 0", ""), (str(b), "", f"{manifest}:2: agent must be text, got 7"),
        (f"{manifest}:3", "", f"{manifest}:3: no path"), (str(b), "Speaker 0", "")]


def test_read_and_score_warn_of_a_call_of_one_named_speaker_and_lines_naming_none(tmp_path, capsys):
    """An Otter export heads the blocks it has no name for with their time alone: they are `Unknown`'s, and with
    one named speaker the counterpart is a guess, named as a call of one speaker is."""
    path = tmp_path / "otter.txt"
    path.write_text("Dana Whitfield  0:03\nHi Marcus, this is Dana from Brightpath, calling about the analyst role.\n\n"
                    "0:10\nOh hi, yes, I saw your email.\n\nDana Whitfield  0:15\nGreat, have you got ten minutes?\n\n"
                    "0:20\nSure, go ahead.\n")
    warning = f"warning: {path} (otter): only one named speaker (Dana Whitfield): 2 turns name no speaker ('Unknown')"
    assert main(["read", str(path)]) == 0
    assert warning in capsys.readouterr().err
    assert main(["score", str(path), "--out", str(tmp_path / "scores.csv")]) == 0
    assert warning in capsys.readouterr().err


def test_read_with_two_labels_given_one_name_shows_one_speaker(tmp_path, capsys):
    call = tmp_path / "channels.txt"
    call.write_text("Channel 0: Hi, it's Dana.\nChannel 2: Sorry, I moved rooms.\nChannel 1: No problem.\n")
    assert main(["read", str(call), "--speaker-name", "Channel 0=Dana Whitfield", "--speaker-name",
                 "CHANNEL 2=Dana Whitfield", "--agent", "dana whitfield"]) == 0
    out = capsys.readouterr().out
    assert "speakers: Dana Whitfield (1 turn), Channel 1 (1 turn)" in out and "agent: Dana Whitfield (given)" in out
    assert "0 Dana Whitfield: Hi, it's Dana. Sorry, I moved rooms." in out


@pytest.mark.parametrize("command", ["read", "explain", "tag", "score", "report"])
@pytest.mark.parametrize("given, message", [
    (["Speaker 0 Dana"], "argument --speaker-name: 'Speaker 0 Dana': no '='"),
    (["=Dana"], "argument --speaker-name: '=Dana': no speaker label before '='"),
    (["Speaker 0= "], "argument --speaker-name: 'Speaker 0= ': no name after '='"),
    (["Speaker 0=Dana", "SPEAKER 0=Marcus"], "--speaker-name: 'Speaker 0' and 'SPEAKER 0' are one label given two names"),
    (["Speaker 0=Dana, Speaker 1=Marcus"], "argument --speaker-name: Speaker 0='Dana, Speaker 1=Marcus': the name holds "
                                           "'Speaker 1=' after a comma; separate LABEL=NAME pairs with ';'"),
    (["Speaker 0=Dana; Speaker 1=Marcus"], "argument --speaker-name: 'Speaker 0=Dana; Speaker 1=Marcus': give one "
                                           "LABEL=NAME to each --speaker-name"),
])
def test_a_malformed_speaker_name_is_a_usage_error_naming_the_option(command, given, message, capsys):
    with pytest.raises(SystemExit) as stop:
        main([command, str(FIXTURES / "calls" / "plain.txt"), *(f"--speaker-name={g}" for g in given)])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and f"reciprocity {command}: error: {message}" in err


def test_tag_sentences_refuses_speaker_names_it_would_not_use(tmp_path, capsys):
    src = tmp_path / "lines.jsonl"
    src.write_text('{"text": "Thanks for the call.", "speaker": "Speaker 0"}\n')
    with pytest.raises(SystemExit):
        main(["tag", "--sentences", str(src), "--speaker-name", "Speaker 0=Dana"])
    assert "--speaker-name names the speakers of transcript files, not of --sentences rows" in capsys.readouterr().err


def test_tag_and_report_name_the_speakers_of_the_files_they_read(tmp_path, capsys):
    a, b = two_calls(tmp_path)
    assert main(["tag", str(a), "--speaker-name", "Speaker 0=Dana Whitfield", "--speaker-name", "Speaker 9=X"]) == 0
    captured = capsys.readouterr()
    assert {r["speaker"] for r in csv.DictReader(captured.out.splitlines())} == {"Dana Whitfield", "Speaker 1"}
    assert "warning: --speaker-name 'Speaker 9'" in captured.err
    out = tmp_path / "r.html"
    assert main(["report", str(a), str(b), "--out", str(out), "--speaker-name", "Speaker 0=Dana Whitfield"]) == 0
    assert "Dana Whitfield" in out.read_text() and "warning" not in capsys.readouterr().err


def test_score_takes_the_teams_mail_domain_as_the_agent_and_a_call_is_an_error_row(tmp_path, capsys):
    out = tmp_path / "scores.csv"
    email = FIXTURES / "emails" / "outlook_reply_to_a_reply.eml"
    call = FIXTURES / "calls" / "plain.txt"
    code = main(["score", str(email), str(call), "--agent", "@harbourfoods.example", "--out", str(out)])
    rows = {r["path"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert code == 1
    assert rows[str(email)]["agent"] == "Grace Okafor" and rows[str(email)]["error"] == ""
    assert "no speaker writes from that domain" in rows[str(call)]["error"]
    assert "agent guessed" not in capsys.readouterr().err


def test_help_lists_the_quoted_header_languages_the_readme_lists(capsys):
    import re

    from tests.conftest import ROOT

    readme = " ".join((ROOT / "README.md").read_text().split())
    named = re.search(r"Quoted headers written by (.+?) mail clients", readme).group(1)
    languages = re.split(r", | and ", named)
    assert len(languages) == 11  # and English
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = re.search(r"quoted headers in (.+?)\.", " ".join(capsys.readouterr().out.split())).group(1)
    assert re.split(r", | or ", shown) == ["English", *languages]


def test_help_names_every_kind_of_export_the_readers_take(capsys):
    """The top-level --help is where a user looks for what can be given: it names the readers added after it was
    written (.docx transcripts, Outlook .msg, chat and email tables, Graph and Gmail API JSON, chat apps' exports)."""
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for kind in (".docx", ".msg", "from,message", "email tables", "Microsoft Graph", "Gmail API", ".mbox", "WebVTT",
                 "LinkedIn", "WhatsApp", "Teams chat messages", "Slack", "Telegram Desktop's result.json or HTML export"):
        assert kind in shown, kind


def test_tag_and_report_refuse_an_output_that_is_one_of_their_inputs(tmp_path, capsys):
    calls = tmp_path / "calls.csv"
    calls.write_text("speaker,text\nSam,Where else are you interviewing?\nJo,Two fintechs.\n")
    lines = tmp_path / "lines.csv"
    lines.write_text("text\nCan you send me your CV today?\n")
    scores = scores_file(tmp_path / "scores.csv", [GOOD_ROW])
    folder = tmp_path / "in"
    folder.mkdir()
    inside = folder / "call.csv"
    inside.write_text(calls.read_text())
    for argv, victim in ((["tag", str(calls), "--out", str(calls)], calls),
                         (["tag", "--sentences", str(lines), "--out", str(lines)], lines),
                         (["tag", "--sentences", str(tmp_path), "--out", str(lines)], lines),
                         (["tag", str(folder), "--out", str(inside)], inside),
                         (["report", str(scores), "--out", str(scores)], scores),
                         (["report", str(folder), "--out", str(inside)], inside)):
        before = victim.read_bytes()
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2, argv
        assert f"{victim}: is both an input and an output; writing would overwrite it" in capsys.readouterr().err
        assert victim.read_bytes() == before and not list(tmp_path.rglob("*.partial*"))


def test_tag_leaves_its_own_output_in_the_tagged_folder_out(tmp_path, capsys):
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "call.txt").write_text("Sam: Hi Jo, where else are you interviewing?\nJo: Two fintechs.\n")
    out = folder / "tags.csv"
    assert main(["tag", str(folder), "--out", str(out)]) == 0
    first = out.read_bytes()
    assert main(["tag", str(folder), "--out", str(out)]) == 0  # before: tags.csv was read as a transcript, and failed
    assert out.read_bytes() == first and capsys.readouterr().err == ""


def test_tag_sentences_names_each_bad_file_of_a_folder_and_writes_the_others(tmp_path, capsys):
    folder = tmp_path / "lines"
    folder.mkdir()
    (folder / "a.csv").write_text("text\nCan you send me your CV today?\nThanks so much for your time.\n")
    (folder / "badturn.csv").write_text("text,turn,conversation_id\nHello,abc,c1\n")
    (folder / "notext.csv").write_text("foo,bar\n1,2\n")
    out = tmp_path / "acts.csv"
    assert main(["tag", "--sentences", str(folder), "--out", str(out)]) == 1  # before: exit 2, nothing written
    got = list(csv.DictReader(out.open()))
    assert [r["text"] for r in got] == ["Can you send me your CV today?", "Thanks so much for your time."]
    assert all(r["act"] for r in got)  # no rows with empty acts for the file without text
    err = capsys.readouterr().err
    assert f"error: {folder / 'badturn.csv'}:2: turn must be a whole number, got 'abc'" in err
    assert f"error: {folder / 'notext.csv'}: every row needs a 'text' column" in err
    with pytest.raises(SystemExit) as stop:  # a file given alone stays a usage error
        main(["tag", "--sentences", str(folder / "notext.csv")])
    assert stop.value.code == 2 and "every row needs a 'text' column" in capsys.readouterr().err


def test_tag_sentences_names_every_bad_row_of_a_file_and_each_file_with_no_rows(tmp_path, capsys):
    """Before, a file with several bad turns named only the first, and an empty or header-only file was passed over
    in silence."""
    folder = tmp_path / "lines"
    folder.mkdir()
    (folder / "a.csv").write_text("text\nThanks so much for your time.\n")
    bad = folder / "badturn.csv"
    bad.write_text("text,turn,conversation_id\nHello,abc,c1\nHi,1.5,c1\nYes,-1,c1\nOk,2,c1\n")
    (folder / "empty.csv").write_text("")
    (folder / "header.csv").write_text("text\n")
    out = tmp_path / "acts.csv"
    assert main(["tag", "--sentences", str(folder), "--out", str(out)]) == 1
    assert [r["text"] for r in csv.DictReader(out.open())] == ["Thanks so much for your time."]
    err = capsys.readouterr().err
    assert (f"error: {bad}: 3 rows cannot be tagged:\n  {bad}:2: turn must be a whole number, got 'abc'\n"
            f"  {bad}:3: turn must be a whole number, got '1.5'\n  {bad}:4: turns count from 0, got '-1'\n") in err
    for name in ("empty.csv", "header.csv"):
        assert f"error: {folder / name}: no rows to tag\n" in err
    with pytest.raises(SystemExit) as stop:  # a file given alone is a usage error, as one with no text column is
        main(["tag", "--sentences", str(folder / "empty.csv")])
    assert stop.value.code == 2 and "empty.csv: no rows to tag" in capsys.readouterr().err


def test_tag_and_score_write_a_file_name_that_is_not_utf8_with_the_byte_escaped(tmp_path, capsys):
    """Before, the writer raised UnicodeEncodeError on the name (to a file, or to a strict stdout), losing every row."""
    calls = tmp_path / "calls"
    calls.mkdir()
    (calls / os.fsdecode(b"lat\xe9n.txt")).write_text(CALL_A)
    (calls / "b.txt").write_text(CALL_B)
    out = tmp_path / "tags.csv"
    assert main(["tag", str(calls), "--out", str(out)]) == 0
    assert {r["conversation_id"] for r in csv.DictReader(out.read_text().splitlines())} == {"lat\\xe9n", "b"}
    capsys.readouterr()
    assert main(["tag", str(calls)]) == 0
    assert out.read_text() == capsys.readouterr().out.replace("\r\n", "\n")
    assert main(["score", str(calls), "--quiet"]) == 0
    rows = score_rows(capsys.readouterr().out)
    assert [r["path"] for r in rows] == [str(calls / "b.txt"), str(calls / "lat\\xe9n.txt")]


def test_speaker_name_help_mentions_agent_only_where_the_command_has_one(capsys):
    for command, has_agent in (("score", True), ("report", False)):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert ("--agent may give the name" in text) == has_agent
        assert ("--agent" in text) == has_agent


def test_read_and_explain_print_a_file_name_that_is_not_utf8_to_a_strict_utf8_stdout(tmp_path, monkeypatch):
    """Under PYTHONIOENCODING=utf-8 standard output refuses the surrogate that stands for the name's byte; the name is
    printed with the byte escaped rather than the command failing with a traceback."""
    import io

    (tmp_path / os.fsdecode(b"lat\xe9n.txt")).write_text(CALL_A)
    for command in ("read", "explain"):
        raw = io.BytesIO()
        strict = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
        monkeypatch.setattr("sys.stdout", strict)
        assert main([command, str(tmp_path)]) == 0
        strict.flush()
        assert "lat\\udce9n.txt" in raw.getvalue().decode("utf-8")


def test_version_prints_the_installed_package_version_which_setup_cfg_names(capsys):
    """Before, `reciprocity --version` was a usage error (exit 2)."""
    import configparser
    import importlib
    import importlib.metadata

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    installed = importlib.metadata.version("reciprocity-nlp")
    assert capsys.readouterr().out == f"reciprocity {installed}\n"
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    module, _, name = config["metadata"]["version"].removeprefix("attr:").strip().rpartition(".")
    assert getattr(importlib.import_module(module), name) == installed


def test_version_is_the_running_code_s_even_when_the_installed_metadata_is_older(capsys, monkeypatch):
    """An editable install keeps the version it was installed with in its metadata; before, a checkout whose
    `__version__` had moved on since (a bump, another tag checked out) printed that stale one."""
    import reciprocity_nlp

    monkeypatch.setattr(reciprocity_nlp, "__version__", "9.9.9")
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0 and capsys.readouterr().out == "reciprocity 9.9.9\n"
