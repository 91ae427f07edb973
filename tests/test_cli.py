import csv
import json
import subprocess
import sys

from reciprocity_nlp.cli import main
from tests.conftest import FIXTURES


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
