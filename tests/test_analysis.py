import pandas as pd
import pytest

from reciprocity_nlp import LABELS, load, parse, read, read_file
from reciprocity_nlp.scoring import SCORE_COLUMNS
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="module")
def analyzer():
    return load()


def test_analysis_of_a_sample(analyzer):
    conv = read(SAMPLES / "s-004.txt")
    a = analyzer.analyze(conv, agent="Megan")
    assert a.agent == "Megan Doyle" and a.agent_source == "given"
    assert set(a.ratings) == set(LABELS) and all(0 <= v <= 1 for v in a.ratings.values())
    assert a.flags == [k for k in LABELS if a.ratings[k] >= a.thresholds[k]]
    assert {"pushy", "desperate"} <= set(a.flags)  # the sample's own labels
    assert a.evidence["pushy"]["sentences"] and a.evidence["pushy"]["features"]
    assert all(ev["text"] in conv.turns[ev["turn"]].text for ev in a.evidence["pushy"]["sentences"])
    assert set(a.metrics) == set(conv.speakers)
    assert a.metrics["Megan Doyle"]["reciprocity_index"] < 0.5
    for s in a.sentences:
        assert conv.turns[s.turn].text[s.start:s.end] == s.text


def test_evidence_features_say_whether_they_pushed_by_being_high_or_low(analyzer):
    """A feature at 0 can push a rating up through a negative weight (no rapport, for transactional): its level
    says so, against the rater's usual value, instead of reading as a high 0."""
    from reciprocity_nlp.ratings import FEATURES

    levels = set()
    for name in ("s-001.txt", "s-004.txt", "s-005.eml", "s-010.txt"):
        a = analyzer.analyze(read(SAMPLES / name))
        for j, label in enumerate(LABELS):
            m = analyzer.rater.models_[j]
            mean = m.calibrated_classifiers_[0].estimator[0].mean_
            for f in a.evidence[label]["features"]:
                usual = mean[FEATURES.index(f["feature"])]
                assert f["weight"] > 0 and (f["level"] == "high") == (f["value"] > usual), (label, f)
                levels.add(f["level"])
    assert levels == {"high", "low"}


def test_reciprocal_sample_is_not_flagged(analyzer):
    a = analyzer.analyze(read(SAMPLES / "s-002.vtt"))
    assert a.flags == []
    assert a.metrics[a.agent]["reciprocity_index"] > 0.5


def test_row_has_exactly_the_score_columns(analyzer):
    row = analyzer.analyze(read(SAMPLES / "s-008.eml")).row()
    assert list(row) == SCORE_COLUMNS
    assert row["flags"] == "salesy" and row["error"] == ""
    assert abs(sum(row[a] for a in ("give_value", "extract_info", "push", "pitch", "rapport", "other")) - 1) < 0.01


def test_answers_written_in_colour_inside_the_quote_are_the_repliers_sentences(analyzer):
    # Sam's questions are his turn, Dana's answers (typed in red under each of them) hers, in the order she wrote them.
    a = analyzer.analyze(read(ROOT / "tests" / "fixtures" / "emails" / "inline_outlook_red.eml"), agent="Dana")
    said = [(s.turn, s.speaker, s.text) for s in a.sentences]
    assert [text for turn, who, text in said if turn == 1] == ["Hi Dana,", "Thanks for sending the spec over.",
        "Before I commit to the first interview I have a few questions:", "1. What is the salary band for the role?",
        "2. Is it remote, or how many days in the office?", "3. Who would I report to?", "Thanks,"]
    assert [text for turn, who, text in said if turn == 2][-3:] == ["The band is 85-95k base, plus a 10% bonus.",
        "Hybrid: two days a week in the Leeds office.", "Priya Raman, the Head of Data."]
    assert {who for turn, who, _ in said if turn == 1} == {"Sam Patel"} and a.agent == "Dana Whitfield"
    assert a.metrics["Dana Whitfield"]["questions_answered"] == 1.0


def test_analyze_many_equals_one_by_one(analyzer):
    files = sorted(SAMPLES.iterdir())[:5]
    many = [a.ratings for a in analyzer.analyze_many([read(f) for f in files], batch_size=2)]
    one = [analyzer.analyze(read(f)).ratings for f in files]
    assert [pytest.approx(r, abs=1e-9) for r in one] == many


def test_score_paths_and_score_frame_give_the_cli_rows(analyzer, tmp_path):
    (tmp_path / "broken.vtt").write_text("no header")
    (tmp_path / "call.txt").write_text((SAMPLES / "s-004.txt").read_text())
    rows = list(analyzer.score_paths([tmp_path]))
    assert [r["path"].split("/")[-1] for r in rows] == ["broken.vtt", "call.txt"]
    assert list(analyzer.score_paths(tmp_path)) == rows  # one path, not a sequence of its characters
    assert list(analyzer.score_paths(str(tmp_path / "call.txt"))) == rows[1:]
    assert rows[0]["error"].startswith("not WebVTT")
    frame = analyzer.score_frame(pd.DataFrame({"path": [str(tmp_path / "call.txt")], "agent": ["Megan Doyle"]}))
    assert list(frame.columns) == SCORE_COLUMNS and frame.loc[0, "agent"] == "Megan Doyle"
    utterances = pd.DataFrame({"conversation_id": ["x", "x", "x"], "speaker": ["Sam", "Jo", "Sam"],
                               "text": ["Hi Jo, it's Sam from Acme.", "Hi.", "Can you send your CV today? I need it."],
                               "agent": ["Sam"] * 3})
    frame = analyzer.score_frame(utterances)
    assert frame.loc[0, "n_turns"] == 3 and frame.loc[0, "agent"] == "Sam"


def test_score_paths_scores_a_file_given_twice_once_and_names_it_again_as_the_cli_does(analyzer, tmp_path):
    """score_paths rebuilt each job without its error, so a file given twice was scored twice (two rows for one
    conversation, which `report` refuses)."""
    call = tmp_path / "call.txt"
    call.write_text((SAMPLES / "s-004.txt").read_text())
    first, again = analyzer.score_paths([call, tmp_path], agent="Megan Doyle")
    assert first["error"] == "" and first["agent"] == "Megan Doyle"
    assert again["path"] == str(call) and again["error"] == f"given twice, also as {call}"


def test_score_paths_and_score_frame_take_speaker_names(analyzer, tmp_path):
    call = tmp_path / "call.txt"
    call.write_text("Speaker 0: Hi Jo, it's Sam from Acme. Can you send your CV today?\nSpeaker 1: Sure.\n")
    with pytest.warns(UserWarning, match=r"speaker_names: 'Speaker 9' named no speaker in any file read"):
        rows = list(analyzer.score_paths(call, agent="Sam Ortiz", speaker_names={"speaker 0": "Sam Ortiz", "Speaker 9": "X"}))
    assert (rows[0]["agent"], rows[0]["error"]) == ("Sam Ortiz", "")
    frame = analyzer.score_frame(pd.DataFrame({"path": [str(call)] * 3, "agent": ["Sam Ortiz", "Jo", None],
                                               "speaker_names": ["Speaker 0=Sam Ortiz", {"Speaker 1": "Jo"}, "Speaker 0"]}))
    assert list(frame["agent"][:2]) == ["Sam Ortiz", "Jo"]
    assert frame.loc[2, "error"] == "row 2: speaker_names: 'Speaker 0': no '=' (write LABEL=NAME, e.g. 'Speaker 0=Dana Whitfield')"


def test_analyze_refuses_what_is_not_a_conversation_and_says_what_to_use(analyzer):
    with pytest.raises(TypeError, match=r"not str: for text in memory, use reciprocity_nlp\.parse\(text\)"):
        analyzer.analyze("Dana: Can you send me your CV today?")
    with pytest.raises(TypeError, match=r"not dict"):
        list(analyzer.analyze_many([{"turns": []}]))


def test_analyze_many_refuses_agents_that_do_not_match_the_conversations(analyzer):
    conv = read(SAMPLES / "s-004.txt")
    with pytest.raises(ValueError, match="differ in length"):
        list(analyzer.analyze_many([conv] * 4, ["Megan Doyle", None]))  # used to drop the last two silently
    with pytest.raises(ValueError, match="differ in length"):
        list(analyzer.analyze_many([conv], [None, None]))
    assert len(list(analyzer.analyze_many([conv] * 2, ["Megan Doyle", None]))) == 2


def test_score_frame_reads_utterances_as_a_csv_and_gives_error_rows(analyzer):
    frame = pd.DataFrame({
        "conversation_id": ["x", "x", "x", "y", "y", "z"],
        "speaker": ["Sam", float("nan"), "Jo", "Ann", "Bo", "Cy"],
        "text": ["Hi Jo, it's Sam from Acme.", "Can you send your CV today?", "No.", "Hello.", "Hi.", float("nan")],
        "agent": ["Sam", "Sam", "Sam", "Zed", "Zed", None],
    })
    rows = analyzer.score_frame(frame)
    assert rows["conversation_id"].tolist() == ["x", "y", "z"]
    assert rows.loc[0, "n_turns"] == 2 and rows.loc[0, "error"] == ""  # the blank speaker continues Sam's turn
    assert "not a speaker" in rows.loc[1, "error"] and "no row has both a speaker and text" in rows.loc[2, "error"]
    assert rows["pushy"].dtype.kind == "f" and rows["pushy"].isna().tolist() == [False, True, True]
    assert str(rows["n_turns"].dtype) == "Int64"  # whole numbers beside the error rows' missing values, not floats


def test_tag_rows_reads_turns_written_as_floats_and_names_a_bad_one(analyzer):
    rows = [{"text": "Can you send me your CV today?", "conversation_id": "c", "turn": "1.0", "speaker": "Sam"}]
    assert analyzer.tag_rows(rows) == analyzer.tag_rows([{**rows[0], "turn": 1}])
    with pytest.raises(ValueError, match=r"row 0: turn must be a whole number, got 'first'"):
        analyzer.tag_rows([{**rows[0], "turn": "first"}])


def test_score_frame_keeps_rows_with_blank_ids_and_reads_agent_and_channel_from_any_row(analyzer):
    frame = pd.DataFrame({
        "conversation_id": ["c1", float("nan"), "c1", "c2", "c2", "c3", "c3"],
        "speaker": ["Ann Lee", "Bob Ray", "Ann Lee", "Sam", "Jo", "Di", "Ed"],
        "text": ["Where else are you interviewing?", "I'd rather not say.", "Send me your CV today.",
                 "Hello.", "Hi.", "Hello.", "Hi."],
        "agent": [None, "Ann", None, "Sam", "Jo", "Di", None],
        "channel": ["Call", None, None, None, None, "sms", None],
    })
    rows = analyzer.score_frame(frame).set_index("conversation_id")
    assert rows.loc["c1", "n_turns"] == 3 and rows.loc["c1", "agent"] == "Ann Lee"  # the NaN-id row stays in c1
    assert "different agent values: 'Sam', 'Jo'" in rows.loc["c2", "error"]
    assert "channel 'sms': must be 'call' or 'email'" in rows.loc["c3", "error"]


def test_analyze_leaves_the_callers_conversation_as_it_was(analyzer):
    conv = read(SAMPLES / "s-004.txt")
    before = [list(t.sentences) for t in conv.turns]
    for t in conv.turns:
        t.sentences = []
    first = analyzer.analyze(conv, agent="Megan")
    assert all(t.sentences == [] for t in conv.turns) and before
    assert [s.text for s in first.sentences] == [s.text for s in analyzer.analyze(conv, agent="Megan").sentences]


def test_conversations_without_text_and_agents_as_one_string_are_clear_errors(analyzer):
    from reciprocity_nlp import Conversation, Turn

    with pytest.raises(ValueError, match="conversation 'empty': no turn has text"):
        analyzer.analyze(Conversation(id="empty", channel="call", turns=[]))
    with pytest.raises(ValueError, match="conversation 'blank': no turn has text"):
        analyzer.analyze(Conversation(id="blank", channel="call", turns=[Turn(index=0, speaker="A", text="  ")]))
    conv = read(SAMPLES / "s-004.txt")
    with pytest.raises(TypeError, match=r"agents is one string \('Megan'\)"):
        list(analyzer.analyze_many([conv, conv], "Megan"))
    with pytest.raises(ValueError, match=r"row 1: no text to tag"):
        analyzer.tag_rows([{"text": "Hello."}, {"text": float("nan")}])


def test_results_are_plain_python(analyzer):
    def plain(x):
        if isinstance(x, dict):
            return all(type(k) is str and plain(v) for k, v in x.items())
        if isinstance(x, list | tuple):
            return all(plain(v) for v in x)
        return x is None or type(x) in (str, int, float, bool)

    result = analyzer.analyze(read(SAMPLES / "s-004.txt"), agent="Megan")
    assert plain(result.to_dict())
    assert all(type(a) is str for a in analyzer.tag_rows([{"text": "Thanks."}])[0])


def test_the_result_types_are_exported_without_loading_scikit_learn_on_import():
    import subprocess
    import sys

    code = ("import sys, reciprocity_nlp as rn; assert 'sklearn' not in sys.modules; "
            "from reciprocity_nlp.analysis import Analyzer, Analysis; assert rn.Analyzer is Analyzer and rn.Analysis is Analysis")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).returncode == 0


def test_an_analyzer_says_what_model_it_is(analyzer):
    text = repr(analyzer)
    assert text.startswith("<Analyzer trained ") and f"pushy {analyzer.thresholds['pushy']:g}" in text
    assert "parts: tagger, rater, boundaries, agent guess" in text


def test_a_conversation_not_in_english_is_rated_with_a_warning(analyzer):
    spanish = analyzer.analyze(read(ROOT / "tests" / "fixtures" / "languages" / "es_call.txt"))
    assert len(spanish.warnings) == 1 and "does not read as English" in spanish.warnings[0]
    assert spanish.to_dict()["warnings"] == spanish.warnings and set(spanish.ratings) == set(LABELS)
    assert analyzer.analyze(read(SAMPLES / "s-004.txt")).warnings == []


SOLO_CALL = ("Alice: Hello, I would like to tell you about our product.\n"
             "Alice: It is great and you should buy it today.\n")


def test_a_call_with_one_speaker_is_rated_with_a_warning_and_a_one_sided_email_is_not(analyzer, tmp_path):
    """A call has a counterpart, whom reciprocity is measured against; with one speaker (a diarization that put
    everyone under one label) the ratings mean little, so they come with a warning. A single email is usual."""
    solo = analyzer.analyze(parse(SOLO_CALL, name="solo.txt"))
    assert len(solo.warnings) == 1 and "only one speaker (Alice)" in solo.warnings[0]
    assert set(solo.ratings) == set(LABELS) and f"warning: {solo.warnings[0]}" in solo.explain()
    path = tmp_path / "solo.txt"
    path.write_text(SOLO_CALL)
    [row] = analyzer.score_paths(path)
    assert "only one speaker" in row["warning"] and row["error"] == ""
    email = parse("From: Dana Whitfield <dana@brightpath.example>\nTo: glen@acme.example\nSubject: The role\n\n"
                  "Hi Glen, the role pays 80k and is remote. Would Tuesday suit for a call?\n\nDana\n", name="one.eml")
    assert email.channel == "email" and len(email.speakers) == 1
    assert analyzer.analyze(email).warnings == []


def test_an_attached_message_the_reader_could_not_read_is_a_warning_not_a_silent_gap(analyzer, tmp_path):
    """The reader keeps the message and lists an attached message it did not read in the conversation's metadata;
    that note reached no one: not `read`, not `score`, not the Analysis."""
    from email.message import EmailMessage

    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "Sam Lee <sam@agency.example>", "jo@agency.example", "Fwd: CVs"
    outer.set_content("Jo, the candidate's note is attached. Could you check her dates?\n")
    outer.add_attachment(EmailMessage())  # no From, Subject or Date: not read
    path = tmp_path / "fwd.eml"
    path.write_bytes(bytes(outer))
    analysis = analyzer.analyze(read(path))
    assert analysis.warnings == ["attached messages not read: an attached part that is not an email: no From, Subject "
                                 "or Date header"]
    [row] = analyzer.score_paths(path)
    assert row["warning"] == analysis.warnings[0]


def test_score_paths_rows_carry_the_warning_and_score_frame_raises_it(analyzer):
    path = ROOT / "tests" / "fixtures" / "languages" / "de_mail.eml"
    [row] = analyzer.score_paths(path)
    assert "does not read as English" in row["warning"] and row["error"] == ""
    with pytest.warns(UserWarning, match=r"1 conversation with a warning \(de_mail\), the first: does not read"):
        frame = analyzer.score_frame(pd.DataFrame({"path": [str(path)]}))
    assert list(frame.columns) == SCORE_COLUMNS


def test_explain_of_an_agent_who_asked_nothing_does_not_contradict_the_soft_counts(analyzer):
    conv = parse("Dana: The role pays 80 to 90k and is fully remote. The team is six engineers.\n"
                     "Sam: Sounds good.\n")
    a = analyzer.analyze(conv, agent="Dana")
    assert a.metrics["Dana"]["gave_before_asking"] is None  # no sentence of hers is tagged as an ask...
    assert "gave before asking: no sentence tagged as an ask;" in a.explain()  # ...though her soft counts may not be 0
    assert "asked nothing" not in a.explain()


def test_a_conversation_built_in_code_has_its_channel_read_as_the_readers_read_it_and_its_turns_checked(analyzer):
    """A channel in capitals ('Email') was scored as neither a call nor an email, silently; text a DataFrame left as
    NaN, or a speaker given as a number, failed deep inside with an AttributeError."""
    from reciprocity_nlp.conversation import Conversation, Turn

    def turns(text="Thanks, I will think about it.", speaker="Jo"):
        return [Turn(0, "Sam", "Hi Jo, our platform is the best, sign today and get 20% off."), Turn(1, speaker, text)]

    capitals = analyzer.analyze(Conversation("c", "Email", turns()))
    assert capitals.conversation.channel == "email"
    assert capitals.ratings == analyzer.analyze(Conversation("c", "email", turns())).ratings
    with pytest.raises(ValueError, match=r"^conversation 'c': channel 'sms': must be 'call' or 'email'$"):
        analyzer.analyze(Conversation("c", "sms", turns()))
    with pytest.raises(ValueError, match=r"^conversation 'c': turn 1's text is nan \(float\), not a string$"):
        analyzer.analyze(Conversation("c", "call", turns(text=float("nan"))))
    with pytest.raises(ValueError, match=r"^conversation 'c': turn 1's speaker is 7 \(int\), not a string$"):
        analyzer.analyze(Conversation("c", "call", turns(speaker=7)))


def _email_frame():
    """Emails as a CRM's API gives them to pandas: columns in any case, a thread id, an HTML body, NaN cells."""
    nan = float("nan")
    return pd.DataFrame({
        "Thread ID": ["t1", "t2", "t1", "t2", "t3", "t3", "t4"],
        "From": ["Dana Whitfield <dana@talentbridge.co.uk>", "Chris Doyle <chris@ledgerly.io>",
                 "Sam Patel <sam.patel@gmail.com>", "Ana Reyes <ana@client.example>", "Omar Haddad <omar@other.example>",
                 "Lee Park <lee@ledgerly.io>", "Bo Chen <bo@ledgerly.io>"],
        "Subject": ["Senior Data Engineer role", nan, "Re: Senior Data Engineer role", nan, "Plan", "Re: Plan", nan],
        "Body": ["<html><body><p>Hi Sam,</p><p>I'm recruiting for a Senior Data Engineer, fully remote. Would you be "
                 "open to a chat this week?</p><p>Dana</p></body></html>",
                 "Hi Ana,\n\nHere is the pricing we discussed. Can you send me your budget today?\n\nChris",
                 "Hi Dana,\n\nThursday afternoon works for me.\n\nSam",
                 "Thanks Chris. Is there a free pilot before we commit?\n\nAna",
                 "Here is the plan.", "Looks good.", nan],
    })


def test_score_frame_reads_a_frame_of_emails_as_the_email_table_reader_reads_a_csv(analyzer, tmp_path):
    frame = _email_frame()
    path = tmp_path / "emails.csv"
    frame.to_csv(path, index=False)  # NaN cells written blank
    from_file = pd.DataFrame(analyzer.score_paths(path)).drop(columns=["path", "warning", "agent_guessed"])
    rows = analyzer.score_frame(frame)
    assert rows["conversation_id"].tolist() == ["t1", "t2", "t3", "t4"] and set(rows["path"]) == {""}
    # One reader: the same threads, turns and sentences (a NaN subject read as blank, the HTML body as its text).
    pd.testing.assert_frame_equal(rows.drop(columns=["path", "error"]), from_file.drop(columns="error"), check_dtype=False)
    assert rows.loc[0, "n_turns"] == 2 and rows["error"].tolist()[:3] == ["", "", ""]
    # A thread with no text is its own error row, as in the file, which the reader names a csv one, the frame a table.
    assert rows.loc[3, "error"] == from_file.loc[3, "error"].replace(" csv ", " table ")
    assert rows.loc[3, "error"] == "conversation 't4': no speaker turns with text found in this table file"


def test_score_frame_takes_an_agent_column_for_a_frame_of_emails_one_per_thread(analyzer):
    frame = _email_frame().assign(agent=["Dana Whitfield", "@ledgerly.io", None, None, "Omar Haddad", "Lee Park", None])
    rows = analyzer.score_frame(frame).set_index("conversation_id")
    assert rows.loc["t1", "agent"] == "Dana Whitfield" and rows.loc["t1", "error"] == ""
    assert rows.loc["t2", "agent"] == "Chris Doyle" and rows.loc["t2", "error"] == ""  # the team's domain
    assert rows.loc["t3", "error"] == "conversation 't3': its rows give different agent values: 'Omar Haddad', 'Lee Park'"
    bad = analyzer.score_frame(_email_frame().assign(agent="Nobody")).set_index("conversation_id")
    assert "'Nobody'" in bad.loc["t1", "error"]  # an agent who is not a speaker: the thread's error row


def test_score_frame_reads_a_frame_of_chat_lines_as_turns_as_the_file_reader_reads_a_chat_table(analyzer):
    """A frame of a chat's senders and messages, with nothing only an email has, is a conversation of turns, as the
    same table in a file is (`mailtables.is_chat`): read as emails, each line was cut as an email body is."""
    chat = pd.DataFrame({
        "conversation_id": ["c1"] * 4,
        "From": ["Dana Whitfield", "Marcus Lee", "Dana Whitfield", "Marcus Lee"],
        "Message": ["Hi Marcus, thanks for connecting! I have a senior analyst role, remote.",
                    "What is the salary range?", "Perm, 85-95k plus bonus.\nThanks,\nDana",
                    "> plus bonus\nSounds good, send me the spec\nSent from my iPhone"]})
    rows = analyzer.score_frame(chat)
    turns = analyzer.score_frame(chat.rename(columns={"From": "speaker", "Message": "text"}))
    pd.testing.assert_frame_equal(rows, turns)
    assert rows.loc[0, "channel"] == "call" and rows.loc[0, "n_turns"] == 4 and rows.loc[0, "error"] == ""


# A chat's lines in the columns chat exports use: a name beside a sender handle, a text beside a message (either
# side), a from_name beside a from, a content beside a message, and the plain timestamp, from and message; and a
# transcript's, named as a tool exports them.
_TURN_SHAPES = {
    ("conversation_id", "name", "from", "message"):
        [("Dana Whitfield", "dana.w", "Hi Marcus, I have a senior analyst role, remote. Open to it?"),
         ("Marcus Lee", "marcus", "Maybe. What is the salary range?")],
    ("conversation_id", "from", "message", "text"):
        [("Dana Whitfield", "[image]", "Hi Marcus, I have a senior analyst role, remote. Open to it?"),
         ("Marcus Lee", "[link]", "Maybe. What is the salary range?")],
    ("conversation_id", "from", "text", "message"):
        [("Dana Whitfield", "Hi Marcus, I have a senior analyst role, remote. Open to it?", "[image]"),
         ("Marcus Lee", "Maybe. What is the salary range?", "[link]")],
    ("conversation_id", "from_name", "from", "message"):
        [("dana.w", "Dana Whitfield", "Hi Marcus, I have a senior analyst role, remote. Open to it?"),
         ("marcus", "Marcus Lee", "Maybe. What is the salary range?")],
    ("conversation_id", "from", "message", "content"):
        [("Dana Whitfield", "Hi Marcus, a role?", "Hi Marcus, I have a senior analyst role, remote. Open to it?"),
         ("Marcus Lee", "Maybe.", "Maybe. What is the salary range?")],
    ("conversation_id", "timestamp", "from", "message"):
        [("2024-03-01 10:00", "Dana Whitfield", "Hi Marcus, I have a senior analyst role, remote. Open to it?"),
         ("2024-03-01 10:05", "Marcus Lee", "Maybe. What is the salary range?")],
    ("conversation_id", "Speaker", "Transcript"):
        [("Dana Whitfield", "Hi Marcus, I have a senior analyst role, remote. Open to it?"),
         ("Marcus Lee", "Maybe. What is the salary range?")],
}


@pytest.mark.filterwarnings("error::UserWarning")  # pandas' 'DataFrame columns are not unique' among them
@pytest.mark.parametrize("columns", list(_TURN_SHAPES), ids="-".join)
def test_score_frame_reads_a_frame_s_turns_as_the_file_reader_reads_the_same_table(analyzer, tmp_path, monkeypatch,
                                                                                  columns):
    """The same turns (speakers, texts, order) from a frame of a chat or a transcript as from that frame written to
    CSV and read. Before, the frame took `from` as the speaker where the file takes `name` (a transcript table's
    speaker column); a chat frame with a `text` column had its `message` renamed 'text' too, and the last of the two
    was read; and a transcript's columns other than `speaker` and `text` were refused."""
    lines = [(cid, *line) for cid in ("c1", "c2") for line in _TURN_SHAPES[columns]]
    frame = pd.DataFrame(lines, columns=list(columns))
    path = tmp_path / "chat.csv"
    frame.to_csv(path, index=False)
    from_file = [(c.id, [(t.speaker, t.text) for t in c.turns]) for c in read_file(path)]
    scored = []
    analyze_many = analyzer.analyze_many

    def recording(conversations, agents=None):
        conversations = list(conversations)
        scored.extend(conversations)
        return analyze_many(conversations, agents)

    monkeypatch.setattr(analyzer, "analyze_many", recording)
    rows = analyzer.score_frame(frame)
    assert [(c.id, [(t.speaker, t.text) for t in c.turns]) for c in scored] == from_file
    assert rows["conversation_id"].tolist() == ["c1", "c2"] and rows["error"].tolist() == ["", ""]
    assert len(from_file) == 2 and all(len(turns) == 2 for _, turns in from_file)


def test_score_frame_says_what_a_frame_of_emails_lacks_and_names_all_three_shapes(analyzer):
    with pytest.raises(ValueError, match=r"^score_frame: the frame has a sender column \('From'\) but no body column: "
                                         r"an email table needs one of body, "):
        analyzer.score_frame(pd.DataFrame({"From": ["dana@talentbridge.co.uk"], "Subject": ["Hello"]}))
    with pytest.raises(ValueError, match=r"a 'path' column .*conversation_id, speaker and text .*a sender and a body"):
        analyzer.score_frame(pd.DataFrame({"speaker": ["Sam"], "note": ["Hello"]}))
