"""`reciprocity score` on awkward folders: every file exactly once, bad ones with a clear error."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from reciprocity_nlp.scoring import SCORE_COLUMNS, SENTENCE_COLUMNS
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples"


def score(*args, check_exit=None):
    result = subprocess.run([sys.executable, "-m", "reciprocity_nlp", "score", *map(str, args)], capture_output=True,
                            text=True, cwd=ROOT)
    if check_exit is not None:
        assert result.returncode == check_exit, result.stderr
    return result


def rows_of(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    d = tmp_path_factory.mktemp("messy")
    for f in ["s-002.vtt", "s-005.eml", "s-006.mbox", "s-009.json", "s-010.txt"]:
        (d / f).write_bytes((SAMPLES / f).read_bytes())
    (d / "nested").mkdir()
    (d / "nested" / "s-007.srt").write_bytes((SAMPLES / "s-007.srt").read_bytes())
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (d / "huge.txt").write_bytes(b"x" * (50 * 1024 * 1024))  # 50 MB on one line
    (d / "latin1.txt").write_bytes("Zoë: Bonjour, ça va?\nAndré: Très bien.\n".encode("latin-1"))
    (d / "utf16.txt").write_bytes("Sam: Hello.\nJo: Hi.\n".encode("utf-16"))
    (d / "cut.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00")
    (d / "cut.json").write_text('{"segments": [{"speaker": "A", "text": "Hel')
    (d / "cut.eml").write_bytes((SAMPLES / "s-005.eml").read_bytes()[:300])
    (d / "locked.txt").write_text("Sam: Hello.\nJo: Hi.\n")
    (d / "locked.txt").chmod(0)
    (d / "dangling.txt").symlink_to(d / "gone.txt")
    return d


def test_every_file_exactly_once_with_clear_errors(messy, tmp_path):
    out = tmp_path / "scores.csv"
    result = score(messy, "--out", out, "--jobs", "1", check_exit=1)
    rows = rows_of(out)
    files = sorted(str(p) for p in messy.rglob("*") if p.is_file() or p.is_symlink())
    assert sorted(r["path"] for r in rows) == files
    assert list(rows[0]) == SCORE_COLUMNS
    by_name = {Path(r["path"]).name: r for r in rows}
    assert "empty" in by_name["empty.txt"]["error"]
    assert "binary" in by_name["binary.bin"]["error"]
    assert by_name["huge.txt"]["error"].startswith("not a transcript or email")
    assert by_name["dangling.txt"]["error"] == "dangling symlink"
    assert "WebVTT" in by_name["cut.vtt"]["error"] and "JSON" in by_name["cut.json"]["error"]
    assert by_name["latin1.txt"]["error"] == "" and by_name["latin1.txt"]["agent"] in ("Zoë", "André")
    assert by_name["utf16.txt"]["error"] == ""
    # root can read a chmod 000 file; anyone else gets "permission denied". Either way: one row.
    assert by_name["locked.txt"]["error"] in ("", "permission denied")
    assert not (tmp_path / "scores.csv.partial").exists()
    assert "errors" in result.stderr and "Traceback" not in result.stderr


def test_two_workers_give_the_same_rows_in_the_same_order(messy, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    score(messy, "--out", one, "--jobs", "1", "--quiet", check_exit=1)
    score(messy, "--out", two, "--jobs", "2", "--quiet", check_exit=1)
    assert one.read_text() == two.read_text()


def test_sentences_out_and_parquet(tmp_path):
    out, sentences = tmp_path / "scores.parquet", tmp_path / "sentences.csv"
    broken = tmp_path / "broken.vtt"
    broken.write_text("WEBVTT\n\n00:00:01.000 --> 00:00")
    score(SAMPLES / "s-002.vtt", SAMPLES / "s-008.eml", broken, "--out", out, "--sentences-out", sentences, check_exit=1)
    frame = pd.read_parquet(out)
    assert list(frame.columns) == SCORE_COLUMNS and len(frame) == 3
    # the error row's unknowns are missing values, so the numeric columns stay numeric
    assert frame["pushy"].dtype.kind == "f" and frame["pushy"].isna().tolist() == [False, False, True]
    assert frame["error"].tolist()[:2] == ["", ""] and "WebVTT" in frame["error"].iloc[2]
    srows = rows_of(sentences)
    assert list(srows[0]) == SENTENCE_COLUMNS
    assert {r["conversation_id"] for r in srows} == {"s-002", "s-008"}
    assert sum(int(n) for n in frame["n_sentences"].dropna()) == len(srows)


def test_error_rows_are_null_in_jsonl_and_empty_in_csv(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    score(tmp_path / "in", "--out", tmp_path / "s.jsonl", "--quiet", check_exit=1)
    [row] = [json.loads(line) for line in (tmp_path / "s.jsonl").read_text().splitlines()]
    assert row["pushy"] is None and row["flags"] is None and row["reciprocity_index"] is None and "empty" in row["error"]
    score(tmp_path / "in", "--out", tmp_path / "s.csv", "--quiet", check_exit=1)
    [crow] = rows_of(tmp_path / "s.csv")
    assert crow["pushy"] == "" and crow["flags"] == ""


def test_outputs_are_never_read_back_or_written_over_inputs(tmp_path):
    folder = tmp_path / "calls"
    folder.mkdir()
    (folder / "s-004.txt").write_bytes((SAMPLES / "s-004.txt").read_bytes())
    args = (folder, "--out", folder / "scores.csv", "--sentences-out", folder / "sentences.jsonl", "--quiet")
    score(*args, check_exit=0)
    score(*args, check_exit=0)  # the second run must not score the first run's outputs
    assert [r["path"] for r in rows_of(folder / "scores.csv")] == [str(folder / "s-004.txt")]
    victim = tmp_path / "victim.csv"
    victim.write_text("speaker,text\nSam,Hello.\nJo,Hi.\n")
    result = score(victim, "--out", victim, check_exit=2)
    assert "both an input and an output" in result.stderr and victim.read_text().startswith("speaker,text")
    assert "must be different files" in score(victim, "--out", tmp_path / "a.csv", "--sentences-out",
                                              tmp_path / "a.csv", check_exit=2).stderr


@pytest.mark.parametrize("option", ["--out", "--sentences-out"])
def test_an_output_that_is_a_transcript_in_the_scored_folder_is_refused(tmp_path, option):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "s-004.txt").write_bytes((SAMPLES / "s-004.txt").read_bytes())
    victim = folder / "calls.csv"
    victim.write_text("conversation_id,speaker,text\nc1,Sam,Hello.\nc1,Jo,Hi.\n")
    before = victim.read_bytes()
    outs = ("--out", victim) if option == "--out" else ("--out", tmp_path / "o.csv", "--sentences-out", victim)
    result = score(folder, *outs, check_exit=2)
    assert f"{victim}: is both an input and an output" in result.stderr
    assert victim.read_bytes() == before and not (tmp_path / "o.csv").exists()
    assert not list(folder.glob("*.partial*"))


def test_an_output_that_is_a_transcript_with_a_blank_first_line_is_refused(tmp_path):
    """Before, the blank line made it count as an earlier run's rows: it was skipped and overwritten."""
    folder = tmp_path / "in"
    folder.mkdir()
    victim = folder / "call.jsonl"
    victim.write_text('\n{"speaker": "Dana", "text": "Hi Marcus, Dana here."}\n{"speaker": "Marcus", "text": "Hi."}\n')
    before = victim.read_bytes()
    result = score(folder, "--out", victim, check_exit=2)
    assert f"{victim}: is both an input and an output" in result.stderr and victim.read_bytes() == before


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_rows_an_earlier_run_wrote_in_the_scored_folder_are_skipped_and_replaced(tmp_path, suffix):
    folder = tmp_path / "calls"
    folder.mkdir()
    for name in ("s-004.txt", "s-001.txt"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    out, sentences = folder / f"scores{suffix}", folder / f"sentences{suffix}"
    score(folder / "s-004.txt", "--out", out, "--sentences-out", sentences, "--quiet", check_exit=0)
    score(folder, "--out", out, "--sentences-out", sentences, "--quiet", check_exit=0)
    rows = pd.read_parquet(out) if suffix == ".parquet" else pd.read_json(out, lines=True) if suffix == ".jsonl" \
        else pd.read_csv(out)
    assert sorted(rows["path"]) == [str(folder / "s-001.txt"), str(folder / "s-004.txt")]


def test_an_empty_folder_is_an_error_row(tmp_path):
    (tmp_path / "nothing").mkdir()
    result = score(tmp_path / "nothing", SAMPLES / "s-004.txt", "--quiet", check_exit=1)
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["error"] for r in rows] == ["an empty folder: no files to read", ""]


def test_stdout_manifest_and_agent(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,agent,conversation_id\n{SAMPLES / 's-004.txt'},Megan,call-4\n")
    result = score("--manifest", manifest, "--quiet", check_exit=0)
    [row] = list(csv.DictReader(result.stdout.splitlines()))
    assert row["conversation_id"] == "call-4" and row["agent"] == "Megan Doyle"


def test_a_model_that_cannot_load_stops_the_run_before_any_output(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in sorted((ROOT / "data" / "conversations").glob("b1/*"))[:40]:  # more than one chunk: worker processes
        (corpus / f.name).write_bytes(f.read_bytes())
    result = score(corpus, "--model", tmp_path / "nowhere", "--jobs", "2", check_exit=2)
    assert result.stdout == "" and "nowhere: no such model folder" in result.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "model.json").write_text("{}")
    result = subprocess.run([sys.executable, "-m", "reciprocity_nlp", "score", str(corpus), "--model", str(broken),
                             "--jobs", "2", "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr  # workers report it; no respawn loop
    (broken / "model.json").write_text('{"versions": {}, "thresholds": {}}')
    for part in ("acts", "rater"):  # every file there, but not loadable: found only when loading
        (broken / f"{part}.pkl").write_bytes(b"x")
    for jobs in ("1", "2"):
        result = score(corpus, "--model", broken, "--trust-model", "--jobs", jobs, "--quiet", check_exit=2)
        assert result.stdout == "" and "could not be loaded" in result.stderr  # not even a CSV header


def test_usage_errors_exit_2(tmp_path):
    assert score().returncode == 2
    assert score(SAMPLES, "--resume").returncode == 2
    assert score(SAMPLES, "--out", tmp_path / "x.xlsx").returncode == 2
    assert "1 or more" in score(SAMPLES, "--jobs", "0", check_exit=2).stderr
    assert "needs --engine dask" in score(SAMPLES, "--scheduler", "tcp://x:1", check_exit=2).stderr


def test_an_output_in_a_missing_folder_is_written_and_one_that_is_a_folder_refused_before_scoring(tmp_path):
    """Before, the first failed naming the internal 'x.csv.partial'; the second failed after scoring everything."""
    out = tmp_path / "nodir" / "x.csv"
    score(SAMPLES / "s-004.txt", "--out", out, "--quiet", check_exit=0)
    assert [Path(r["path"]).name for r in rows_of(out)] == ["s-004.txt"]
    (tmp_path / "dir.csv").mkdir()
    result = score(SAMPLES / "s-004.txt", "--out", tmp_path / "dir.csv", check_exit=2)
    assert "dir.csv: is a folder; --out must be a file" in result.stderr and "scored" not in result.stderr
    result = score(SAMPLES / "s-004.txt", "--sentences-out", tmp_path / "dir.csv", check_exit=2)
    assert "dir.csv: is a folder; --sentences-out must be a file" in result.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == ["dir.csv", "nodir"] and not any((tmp_path / "dir.csv").iterdir())


def test_resume_after_a_kill_gives_the_uninterrupted_rows(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    convs = sorted((ROOT / "data" / "conversations").glob("b1/*"))[:60]
    for f in convs:
        (corpus / f.name).write_bytes(f.read_bytes())
    full = tmp_path / "full.jsonl"
    score(corpus, "--out", full, "--jobs", "1", "--quiet", check_exit=0)

    out = tmp_path / "resumed.jsonl"
    partial = tmp_path / "resumed.jsonl.partial"
    proc = subprocess.Popen([sys.executable, "-m", "reciprocity_nlp", "score", str(corpus), "--out", str(out), "--jobs", "1",
                             "--quiet"], cwd=ROOT, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if partial.exists() and partial.read_text().count("\n") >= 20:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    if partial.exists():
        assert not out.exists()  # an interrupted run leaves no complete-looking output
        kept = partial.read_text().count("\n")
        assert 0 < kept < len(convs)
    score(corpus, "--out", out, "--jobs", "1", "--resume", "--quiet", check_exit=0)
    assert out.read_text() == full.read_text()
    assert len({json.loads(line)["path"] for line in out.read_text().splitlines()}) == len(convs)


def test_resume_with_other_speaker_names_or_agent_is_refused_before_anything_is_touched(tmp_path):
    """Before, the changed names made every finished job another one: all were scored again, the old rows kept."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    call = "Speaker 0: Hi, this is Dana from Brightpath.\nSpeaker 1: Sure, happy to chat.\n"
    for i in range(64):
        (corpus / f"c{i:02}.txt").write_text(call)
    out, partial = tmp_path / "out.csv", tmp_path / "out.csv.partial"
    names = ("--speaker-name", "Speaker 0=Dana Whitfield", "--speaker-name", "Speaker 1=Marcus Lee")
    proc = subprocess.Popen([sys.executable, "-m", "reciprocity_nlp", "score", str(corpus), "--out", str(out), "--jobs",
                             "1", "--quiet", *names], cwd=ROOT, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if partial.exists() and partial.read_text().count("\n") >= 2:
            os.killpg(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait()
    assert partial.exists() and not out.exists()
    before = sorted((f.name, f.read_bytes()) for f in tmp_path.iterdir() if f.is_file())
    result = score(corpus, "--out", out, "--resume", *names[:2], check_exit=2)
    assert "--speaker-name was 'Speaker 0=Dana Whitfield; Speaker 1=Marcus Lee', now 'Speaker 0=Dana Whitfield'" \
        in result.stderr and "new --out" in result.stderr
    result = score(corpus, "--out", out, "--resume", *names, "--agent", "Marcus Lee", check_exit=2)
    assert "--agent was not given, now 'Marcus Lee'" in result.stderr
    assert sorted((f.name, f.read_bytes()) for f in tmp_path.iterdir() if f.is_file()) == before
    score(corpus, "--out", out, "--resume", *names, "--quiet", check_exit=0)
    assert sorted(Path(r["path"]).name for r in rows_of(out)) == sorted(f.name for f in corpus.iterdir())


def test_resume_of_a_manifest_listing_one_file_for_two_agents_scores_the_second(tmp_path):
    """Before, resume counted a file done once any row of it was written, and lost the second agent's row."""
    from reciprocity_nlp.resume import Ledger
    from reciprocity_nlp.scoring import Job, RowWriter, partial_path

    manifest = tmp_path / "manifest.csv"
    call = SAMPLES / "s-001.txt"
    manifest.write_text(f"path,agent\n{call},Dana Whitfield\n{call},Marcus\n{SAMPLES / 's-004.txt'},\n")
    full = tmp_path / "full.csv"
    score("--manifest", manifest, "--out", full, "--quiet", check_exit=0)
    rows = rows_of(full)
    assert [r["agent"] for r in rows[:2]] == ["Dana Whitfield", "Marcus Oyelaran"]

    out = tmp_path / "out.csv"  # as a run killed after its first job leaves it
    writer, ledger = RowWriter(partial_path(out), SCORE_COLUMNS), Ledger(partial_path(out))
    writer.write(rows[:1])
    ledger.add(Job(str(call), "Dana Whitfield"), 1, (writer.size(), 0))
    writer.close(False)
    ledger.close()
    result = score("--manifest", manifest, "--out", out, "--resume", check_exit=0)
    assert "2 conversations from 2 files" in result.stderr and "(+1 kept" in result.stderr
    assert out.read_text() == full.read_text()
    assert not partial_path(out).exists() and not (tmp_path / "out.csv.partial.jobs").exists()


def test_resume_into_a_finished_run_keeps_its_sentence_rows(tmp_path):
    """Before, the finished score file was kept but the finished sentence file was overwritten with nothing."""
    out, sentences = tmp_path / "scores.csv", tmp_path / "sentences.jsonl"
    score(SAMPLES / "s-001.txt", "--out", out, "--sentences-out", sentences, "--quiet", check_exit=0)
    before = out.read_text(), sentences.read_text()
    result = score(SAMPLES / "s-001.txt", SAMPLES / "s-004.txt", "--out", out, "--sentences-out", sentences, "--resume",
                   check_exit=0)
    assert "1 conversation from 1 file (+1 kept from the earlier run)" in result.stderr
    assert out.read_text().startswith(before[0]) and sentences.read_text().startswith(before[1])
    assert "s-004.txt" in sentences.read_text().removeprefix(before[1])


def test_resume_into_a_finished_run_with_parquet_sentences_scores_everything_again(tmp_path):
    """A Parquet file cannot be appended to: keeping the CSV's rows would lose the Parquet's (a review found)."""
    out, sentences = tmp_path / "scores.csv", tmp_path / "sentences.parquet"
    score(SAMPLES / "s-001.txt", "--out", out, "--sentences-out", sentences, "--quiet", check_exit=0)
    score(SAMPLES / "s-001.txt", SAMPLES / "s-004.txt", "--out", out, "--sentences-out", sentences, "--resume",
          "--quiet", check_exit=0)
    frame = pd.read_parquet(sentences)
    assert {Path(p).name for p in frame["path"]} == {"s-001.txt", "s-004.txt"}
    assert len(frame) == sum(int(r["n_sentences"]) for r in rows_of(out))


def test_resume_after_a_kill_between_the_final_renames_keeps_the_newer_sentence_rows(tmp_path):
    out, sentences = tmp_path / "scores.csv", tmp_path / "sentences.csv"
    score(SAMPLES / "s-001.txt", SAMPLES / "s-004.txt", "--out", out, "--sentences-out", sentences, "--quiet",
          check_exit=0)
    complete = sentences.read_text()
    (tmp_path / "sentences.csv.partial").write_text(complete)  # the run's last rename never happened,
    sentences.write_text(complete.splitlines(keepends=True)[0])  # so an older, shorter file is still in place
    score(SAMPLES / "s-001.txt", SAMPLES / "s-004.txt", "--out", out, "--sentences-out", sentences, "--resume",
          "--quiet", check_exit=0)
    assert sentences.read_text() == complete


def test_resume_into_a_file_no_run_wrote_is_refused_and_nothing_is_renamed(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("name,score\nx,1\n")
    result = score(SAMPLES / "s-001.txt", "--out", notes, "--sentences-out", tmp_path / "s.csv", "--resume", check_exit=2)
    assert "notes.csv: not rows that `reciprocity score` wrote" in result.stderr and "Traceback" not in result.stderr
    assert notes.read_text() == "name,score\nx,1\n" and sorted(f.name for f in tmp_path.iterdir()) == ["notes.csv"]


def test_an_output_re_saved_by_excel_is_still_taken_as_an_earlier_runs_rows(tmp_path):
    """A UTF-8 BOM and CRLF line ends: before, the file was refused as "both an input and an output"."""
    (tmp_path / "s-001.txt").write_bytes((SAMPLES / "s-001.txt").read_bytes())
    out = tmp_path / "scores.csv"
    score(tmp_path, "--out", out, "--quiet", check_exit=0)
    first = rows_of(out)
    out.write_bytes(b"\xef\xbb\xbf" + out.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    score(tmp_path, "--out", out, "--quiet", check_exit=0)
    assert rows_of(out) == first
    out.write_bytes(b"\xef\xbb\xbf" + out.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    result = score(tmp_path, "--out", out, "--resume", check_exit=0)
    assert "(+1 kept from the earlier run)" in result.stderr and rows_of(out) == first


def test_a_run_writing_into_the_folder_it_scores_reads_none_of_its_own_files(tmp_path):
    for name in ("s-001.txt", "s-004.txt"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    out = tmp_path / "scores.csv"
    (tmp_path / "scores.csv.partial").write_text("")  # an interrupted run's files, ledger included
    (tmp_path / "scores.csv.partial.jobs").write_text("")
    score(tmp_path, "--out", out, "--resume", "--quiet", check_exit=0)
    assert [Path(r["path"]).name for r in rows_of(out)] == ["s-001.txt", "s-004.txt"]


def test_the_summary_counts_the_conversations_whose_agent_was_guessed(tmp_path):
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,agent\n{SAMPLES / 's-001.txt'},\n{SAMPLES / 's-004.txt'},Megan Doyle\n")
    result = score("--manifest", manifest, "--out", tmp_path / "scores.csv", check_exit=0)
    assert "2 conversations from 2 files, 0 errors, agent guessed in 1 (" in result.stderr
    result = score(SAMPLES / "s-004.txt", "--agent", "Megan Doyle", "--out", tmp_path / "s.csv", check_exit=0)
    assert "guessed" not in result.stderr


def test_a_conversation_not_in_english_keeps_its_row_and_is_named_on_stderr(tmp_path):
    languages = ROOT / "tests" / "fixtures" / "languages"
    out = tmp_path / "scores.csv"
    result = score(languages / "es_call.txt", SAMPLES / "s-004.txt", "--out", out, check_exit=0)
    assert result.stderr.count("warning: ") == 1
    assert "es_call.txt (es_call): does not read as English" in result.stderr
    assert "2 conversations from 2 files, 0 errors, 1 warning, agent guessed in 2 (--agent or a manifest's" in result.stderr
    rows = rows_of(out)
    assert [r["conversation_id"] for r in rows] == ["es_call", "s-004"] and list(rows[0]) == SCORE_COLUMNS


LATIN_NAME = os.fsdecode(b"lat\xe9n.txt")  # a Latin-1 byte in a file name: not UTF-8, so it holds a surrogate


def odd_named_folder(folder):
    """A folder of two calls, the first with a file name that is not UTF-8."""
    folder.mkdir()
    (folder / LATIN_NAME).write_bytes((SAMPLES / "s-001.txt").read_bytes())
    (folder / "s-004.txt").write_bytes((SAMPLES / "s-004.txt").read_bytes())
    return folder


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_a_file_name_that_is_not_utf8_gets_its_row_with_the_byte_escaped(tmp_path, suffix):
    """Before, the writer raised UnicodeEncodeError on the name, and every row was lost."""
    folder = odd_named_folder(tmp_path / "names")
    out = tmp_path / f"scores{suffix}"
    score(folder, "--out", out, "--quiet", check_exit=0)
    frame = pd.read_parquet(out) if suffix == ".parquet" else pd.read_json(out, lines=True) if suffix == ".jsonl" \
        else pd.DataFrame(rows_of(out))
    assert list(frame["path"]) == [str(folder / "lat\\xe9n.txt"), str(folder / "s-004.txt")]
    assert list(frame["conversation_id"]) == ["lat\\xe9n", "s-004"] and not frame["error"].any()


def test_a_resumed_run_neither_scores_again_nor_drops_a_file_whose_name_is_not_utf8(tmp_path):
    from reciprocity_nlp.resume import Ledger
    from reciprocity_nlp.scoring import Job, RowWriter, partial_path

    folder = odd_named_folder(tmp_path / "names")
    full = tmp_path / "full.csv"
    score(folder, "--out", full, "--quiet", check_exit=0)
    rows = rows_of(full)
    out = tmp_path / "out.csv"  # as a run killed after its first job (the odd name) leaves it
    writer, ledger = RowWriter(partial_path(out), SCORE_COLUMNS), Ledger(partial_path(out))
    writer.write(rows[:1])
    ledger.add(Job(str(folder / LATIN_NAME)), 1, (writer.size(), None))
    writer.close(False)
    ledger.close()
    result = score(folder, "--out", out, "--resume", check_exit=0)
    assert "1 conversation from 1 file (+1 kept" in result.stderr and out.read_text() == full.read_text()

    (folder / "s-004.txt").unlink()  # a finished output, no ledger: its rows' paths say what is done
    first = tmp_path / "first.csv"
    score(folder, "--out", first, "--quiet", check_exit=0)
    (folder / "s-004.txt").write_bytes((SAMPLES / "s-004.txt").read_bytes())
    result = score(folder, "--out", first, "--resume", check_exit=0)
    assert "1 conversation from 1 file (+1 kept" in result.stderr and first.read_text() == full.read_text()
