import json

from reciprocity_nlp.resume import Done, Ledger, discard, job_key, ledger_path, resume
from reciprocity_nlp.scoring import SCORE_COLUMNS, SENTENCE_COLUMNS, Job, RowWriter, partial_path


def _row(path, agent):
    return {c: "" for c in SCORE_COLUMNS} | {"path": path, "agent": agent, "conversation_id": "c"}


def _interrupted_run(tmp_path, suffix):
    """Two jobs of one file (a manifest listing it once per agent): the first finished, the second killed
    after writing its rows but before its ledger line."""
    partial = partial_path(tmp_path / f"scores{suffix}")
    s_partial = partial_path(tmp_path / f"sentences{suffix}")
    writer, sentences, ledger = RowWriter(partial, SCORE_COLUMNS), RowWriter(s_partial, SENTENCE_COLUMNS), Ledger(partial)
    first, second = Job("calls/a.txt", "Sam"), Job("calls/a.txt", "Priya")
    writer.write([_row(first.path, "Sam")])
    sentences.write([{"path": first.path, "text": "Hello."}])
    ledger.add(first, 1, (writer.size(), sentences.size()))
    size = writer.size(), sentences.size()
    writer.write([_row(second.path, "Priya")])
    sentences.write([{"path": second.path, "text": "Hi."}])
    for w in (writer, sentences, ledger):
        w.close(False) if isinstance(w, RowWriter) else w.close()
    return partial, s_partial, first, second, size


def test_a_file_listed_for_two_agents_is_two_jobs_and_half_written_rows_are_cut(tmp_path):
    for suffix in (".csv", ".jsonl"):
        partial, s_partial, first, second, size = _interrupted_run(tmp_path, suffix)
        done = resume(partial, s_partial)
        assert first in done and second not in done and done.rows == 1
        assert Job("calls/a.txt", "Sam", "CRM-1") not in done  # another call of the same export
        assert (partial.stat().st_size, s_partial.stat().st_size) == size
        assert "Priya" not in partial.read_text() and "Hi." not in s_partial.read_text()


def test_a_torn_ledger_line_leaves_its_job_undone(tmp_path):
    partial, s_partial, first, second, _ = _interrupted_run(tmp_path, ".jsonl")
    with open(ledger_path(partial), "a", encoding="utf-8") as fh:
        fh.write('{"job": ' + json.dumps(job_key(second))[:10])
    done = resume(partial, s_partial)
    assert first in done and second not in done


def test_without_a_ledger_every_path_with_a_row_is_done_and_a_ledger_is_started(tmp_path):
    partial = partial_path(tmp_path / "scores.jsonl")
    s_partial = partial_path(tmp_path / "sentences.jsonl")
    partial.write_text(json.dumps({"path": "a"}) + "\n" + json.dumps({"path": "b"}) + "\n" + '{"path": "c", "conv')
    s_partial.write_text("".join(json.dumps({"path": p}) + "\n" for p in "abc"))  # ran ahead of the scores
    done = resume(partial, s_partial)
    assert done.paths == {"a", "b"} and done.rows == 2 and Job("c") not in done
    assert partial.read_text().endswith("}\n") and '"c"' not in s_partial.read_text()
    again = resume(partial, s_partial)  # interrupted again: the ledger now remembers the old rows
    assert again == Done(set(), {"a", "b"}, 2)


def test_discard_removes_partial_files_and_ledger(tmp_path):
    partial = partial_path(tmp_path / "scores.csv")
    partial.write_text("x")
    ledger_path(partial).write_text("{}\n")
    discard([partial])
    assert not partial.exists() and not ledger_path(partial).exists()
