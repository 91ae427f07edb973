import json

import pytest

from reciprocity_nlp.errors import UsageError
from reciprocity_nlp.resume import Done, Ledger, check_options, check_output, discard, holds_rows, job_key, ledger_path, resume
from reciprocity_nlp.scoring import SCORE_COLUMNS, SENTENCE_COLUMNS, Job, RowWriter, partial_path


def _row(path, agent):
    return {c: "" for c in SCORE_COLUMNS} | {"path": path, "agent": agent, "conversation_id": "c"}


def _interrupted_run(tmp_path, suffix, with_sentences=True):
    """Two jobs of one file (a manifest listing it once per agent): the first finished, the second killed
    after writing its rows but before its ledger line."""
    partial = partial_path(tmp_path / f"scores{suffix}")
    s_partial = partial_path(tmp_path / f"sentences{suffix}")
    writer, ledger = RowWriter(partial, SCORE_COLUMNS), Ledger(partial)
    sentences = RowWriter(s_partial, SENTENCE_COLUMNS) if with_sentences else None
    first, second = Job("calls/a.txt", "Sam"), Job("calls/a.txt", "Priya")
    for job, text in ((first, "Hello.\nAgain."), (second, "Hi.")):  # a line break inside a CSV cell
        writer.write([_row(job.path, job.agent)])
        if sentences:
            sentences.write([{"path": job.path, "text": text}])
        if job is first:
            ledger.add(first, 1, (writer.size(), sentences.size() if sentences else None))
            size = writer.size(), sentences.size() if sentences else None
    for w in (writer, sentences):
        if w:
            w.close(False)
    ledger.close()
    return partial, s_partial, first, second, size


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_file_listed_for_two_agents_is_two_jobs_and_half_written_rows_are_cut(tmp_path, suffix):
    partial, s_partial, first, second, size = _interrupted_run(tmp_path, suffix)
    done = resume(partial, s_partial)
    assert done.remaining([first, second, Job("calls/a.txt", "Sam", "CRM-1")]) == [second, Job("calls/a.txt", "Sam", "CRM-1")]
    assert done.rows == 1 and (partial.stat().st_size, s_partial.stat().st_size) == size
    assert "Priya" not in partial.read_text() and "Hi." not in s_partial.read_text()


def test_a_job_listed_twice_and_finished_once_is_scored_once_more(tmp_path):
    partial, s_partial, first, _, _ = _interrupted_run(tmp_path, ".jsonl")
    assert resume(partial, s_partial).remaining([first, Job("calls/b.txt"), first]) == [Job("calls/b.txt"), first]


def test_a_job_given_speaker_names_is_another_job_and_a_job_without_keeps_the_key_older_ledgers_hold():
    assert job_key(Job("calls/a.txt", "Sam")) == '["calls/a.txt", null, "Sam"]'
    named = Job("calls/a.txt", "Sam", speaker_names=(("Speaker 0", "Sam"),))
    assert job_key(named) != job_key(Job("calls/a.txt", "Sam"))
    assert job_key(named) != job_key(Job("calls/a.txt", "Sam", manifest_names=(("Speaker 0", "Sam"),)))


def test_a_torn_ledger_line_is_cut_so_later_lines_still_count(tmp_path):
    partial, s_partial, first, second, _ = _interrupted_run(tmp_path, ".jsonl")
    with open(ledger_path(partial), "a", encoding="utf-8") as fh:
        fh.write('{"job": ' + json.dumps(job_key(second))[:10])
    done = resume(partial, s_partial)
    assert done.remaining([first, second]) == [second]
    ledger = Ledger(partial)  # the resumed run finishes the second job, and is interrupted again
    ledger.add(second, 1, (partial.stat().st_size, s_partial.stat().st_size))
    ledger.close()
    assert resume(partial, s_partial).remaining([first, second]) == []


def test_sentence_rows_asked_for_after_a_run_that_wrote_none_are_refused(tmp_path):
    """Keeping score rows whose sentence rows were never written would leave the sentence file short, silently."""
    partial, s_partial, first, _, _ = _interrupted_run(tmp_path, ".jsonl", with_sentences=False)
    with pytest.raises(UsageError, match=r"sentences\.jsonl\.partial: the run being resumed wrote no sentence rows for 1"):
        resume(partial, s_partial)
    assert resume(partial).remaining([first]) == []  # without sentences it goes on


def test_without_a_ledger_every_path_with_a_row_is_done_and_a_ledger_is_started(tmp_path):
    partial = partial_path(tmp_path / "scores.jsonl")
    s_partial = partial_path(tmp_path / "sentences.jsonl")
    partial.write_text(json.dumps({"path": "a"}) + "\n" + json.dumps({"path": "b"}) + "\n" + '{"path": "c", "conv')
    s_partial.write_text("".join(json.dumps({"path": p}) + "\n" for p in "abc") + '{"path": "c", "te')
    done = resume(partial, s_partial)
    assert done.paths == {"a", "b"} and done.rows == 2 and done.remaining([Job("a"), Job("c")]) == [Job("c")]
    assert partial.read_text().endswith("}\n") and '"c"' not in s_partial.read_text()
    assert resume(partial, s_partial) == Done(paths={"a", "b"}, rows=2)  # interrupted again: the ledger remembers


def test_without_a_ledger_a_csv_sentence_file_keeps_rows_with_line_breaks_whole(tmp_path):
    partial = partial_path(tmp_path / "scores.csv")
    s_partial = partial_path(tmp_path / "sentences.csv")
    for target, columns, rows in ((partial, SCORE_COLUMNS, [_row("a", "Sam")]),
                                  (s_partial, SENTENCE_COLUMNS, [{"path": "a", "text": "Hello,\nagain."},
                                                                 {"path": "a", "text": "Regards,"}])):
        writer = RowWriter(target, columns)
        writer.write(rows)
        writer.close()
    before = s_partial.read_bytes()
    resume(partial, s_partial)
    assert s_partial.read_bytes() == before


def test_an_output_that_a_run_did_not_write_is_refused_before_it_is_touched(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("name,score\nx,1\n")
    with pytest.raises(UsageError, match=r"notes\.csv: not rows that `reciprocity score` wrote"):
        check_output(notes, SCORE_COLUMNS)
    mine = tmp_path / "scores.jsonl"
    writer = RowWriter(mine, SCORE_COLUMNS)
    writer.write([_row("a", "Sam")])
    writer.close()
    check_output(mine, SCORE_COLUMNS)


def test_a_file_with_content_after_a_blank_first_line_is_not_rows_a_run_wrote(tmp_path):
    """Before, a blank first line made any file "ours", so a transcript given as --out was overwritten."""
    call = tmp_path / "call.jsonl"
    call.write_text('\n{"speaker": "Dana", "text": "Hi Marcus."}\n')
    assert not holds_rows(call, SCORE_COLUMNS)
    for blank in ("", "\n", " \n\n\t"):
        call.write_text(blank)
        assert holds_rows(call, SCORE_COLUMNS)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_rows_re_saved_with_a_bom_and_crlf_line_ends_are_still_rows_a_run_wrote(tmp_path, suffix):
    """Excel re-saves a CSV so: before, the BOM made its header another, and the file was refused."""
    out = tmp_path / f"scores{suffix}"
    writer = RowWriter(out, SCORE_COLUMNS)
    writer.write([_row("a", "Sam"), _row("b", "Jo")])
    writer.close()
    out.write_bytes(b"\xef\xbb\xbf" + out.read_bytes().replace(b"\n", b"\r\n"))
    assert holds_rows(out, SCORE_COLUMNS)
    check_output(out, SCORE_COLUMNS)
    partial = partial_path(out)
    out.replace(partial)  # as a resumed run takes a finished one back
    done = resume(partial)
    assert done.paths == {"a", "b"} and done.rows == 2 and not partial.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_resume_with_other_row_changing_options_is_refused_naming_them_and_an_older_ledger_passes(tmp_path):
    partial, s_partial, first, second, _ = _interrupted_run(tmp_path, ".jsonl")
    options = {"--agent": None, "--speaker-name": "Speaker 0=Dana; Speaker 1=Marcus", "--model": "/m", "--format": None}
    check_options(partial, options)  # a ledger written before options were kept
    ledger = ledger_path(partial)
    ledger.write_text(json.dumps({"options": options}) + "\n" + ledger.read_text())
    before = ledger.read_bytes(), partial.read_bytes()
    check_options(partial, options)
    with pytest.raises(UsageError, match=r"other options \(--agent was not given, now 'Dana'; --speaker-name was "
                                         r"'Speaker 0=Dana; Speaker 1=Marcus', now 'Speaker 0=Dana'\).*new --out"):
        check_options(partial, options | {"--speaker-name": "Speaker 0=Dana", "--agent": "Dana"})
    assert (ledger.read_bytes(), partial.read_bytes()) == before
    with open(ledger, "a", encoding="utf-8") as fh:  # resumed with others before any job finished: those count
        fh.write(json.dumps({"options": options | {"--agent": "Dana"}}) + "\n")
    check_options(partial, options)
    Ledger(partial, options | {"--format": "txt"}).close()
    check_options(partial, options)  # nothing finished with them yet
    assert resume(partial, s_partial).remaining([first, second]) == [second]


def test_discard_removes_partial_files_and_ledger(tmp_path):
    partial = partial_path(tmp_path / "scores.csv")
    partial.write_text("x")
    ledger_path(partial).write_text("{}\n")
    discard([partial])
    assert not partial.exists() and not ledger_path(partial).exists()


def test_a_resume_whose_manifest_lists_a_finished_file_otherwise_is_refused(tmp_path):
    partial, s_partial, first, second, _ = _interrupted_run(tmp_path, ".csv")
    done = resume(partial, s_partial)
    done.check_jobs([first, second])  # as it was
    done.check_jobs([first, second, Job("calls/a.txt", "Ana")])  # listed once more, for another agent
    done.check_jobs([Job("calls/b.txt")])  # a finished file no longer listed at all: its rows stay, as before
    with pytest.raises(UsageError, match=r"finished 1 job\(s\) that this run lists otherwise \(another agent, "
                                         r"conversation or speaker names: calls/a\.txt \(agent 'Sam'\)\).*new --out"):
        done.check_jobs([Job("calls/a.txt", "Samantha"), second])  # its row's agent edited
    with pytest.raises(UsageError, match="lists otherwise"):
        done.check_jobs([second])  # its row removed while the file stays listed: its kept row is no longer asked for


def test_json_lines_rows_holding_a_unicode_line_separator_are_kept_and_counted_whole(tmp_path):
    """JSON Lines rows are written with ensure_ascii=False, so a path or id holding U+2028, U+2029 or U+0085 keeps the
    character as it is; before, the rows were split there as lines, and each half dropped as torn: a kept error row went
    uncounted (the resumed run said 0 errors and exited 0), and a finished output lost the row and scored it again."""
    partial = partial_path(tmp_path / "scores.jsonl")
    writer, ledger = RowWriter(partial, SCORE_COLUMNS), Ledger(partial)
    for job, error in ((Job("calls/notes\u2028draft.txt"), "empty file"), (Job("calls/a\x85b.txt"), "")):
        writer.write([_row(job.path, "Sam") | {"error": error}])
        ledger.add(job, 1, (writer.size(), None))
    writer.close(False)
    ledger.close()
    assert resume(partial).errors == 1
    ledger_path(partial).unlink()  # a finished output taken back: every path with a row is done
    before = partial.read_bytes()
    done = resume(partial)
    assert done.paths == {"calls/notes\u2028draft.txt", "calls/a\x85b.txt"} and done.errors == 1
    assert partial.read_bytes() == before


@pytest.mark.parametrize("ledgered", [True, False], ids=["with a ledger", "without"])
def test_a_json_lines_line_that_is_no_row_is_dropped_as_a_torn_one_is_not_a_crash(tmp_path, ledgered):
    """A damaged output may hold a line that is JSON but no row (`123`, `[]`, an object with no path): it is no row
    the run wrote, so it is dropped as a torn line is, and the rows around it are kept and counted."""
    partial = partial_path(tmp_path / "scores.jsonl")
    writer = RowWriter(partial, SCORE_COLUMNS)
    writer.write([_row("calls/a.txt", "Sam") | {"error": "empty file"}])
    writer.close(False)
    with partial.open("a", encoding="utf-8") as f:
        f.write('123\n[]\n{"agent": "Sam"}\n')
    if ledgered:
        ledger = Ledger(partial)
        ledger.add(Job("calls/a.txt"), 1, (partial.stat().st_size, None))
        ledger.close()
    done = resume(partial)
    assert done.errors == 1
    assert done.keys[job_key(Job("calls/a.txt"))] == 1 if ledgered else done.paths == {"calls/a.txt"}
