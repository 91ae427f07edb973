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
