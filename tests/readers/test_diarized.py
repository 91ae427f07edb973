import json

import pytest

from reciprocity_nlp import ReadError, iter_conversations, read, read_file
from reciprocity_nlp.readers import detect_format
from reciprocity_nlp.readers.diarized import read_json, read_table
from tests.conftest import FIXTURES

CALLS = FIXTURES / "calls"


def test_whisperx_segments_merge_by_speaker():
    conv = read(CALLS / "whisperx.json")
    assert conv.speakers == ["SPEAKER_00", "SPEAKER_01"]
    assert conv.turns[1].text == "Hi Ben, it's Wendy from Harbour Cafe. I'm ringing about our renewal."
    assert conv.turns[1].start == 3.1 and conv.turns[1].end == 9.8


def test_assemblyai_milliseconds_become_seconds():
    conv = read(CALLS / "assemblyai.json")
    assert conv.speakers == ["A", "B"]
    assert conv.turns[0].start == 0.25 and conv.turns[2].end == 12.8


def test_top_level_list():
    conv = read(CALLS / "list.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Agent", "Thanks for calling back."), ("Customer", "No problem.")]


def test_csv_with_times_and_quoted_commas():
    conv = read(CALLS / "table.csv")
    assert conv.turns[2].text.startswith("Our AP tool cuts invoice processing time by 60%, e.g. at Fenwick.")
    assert conv.turns[2].start == 5.0


def test_tsv_with_conversation_ids_holds_several():
    convs = read_file(CALLS / "many.tsv")
    assert [c.id for c in convs] == ["call-1", "call-2"]
    assert convs[1].speakers == ["Cy", "Dee"]
    with pytest.raises(ReadError, match="holds 2 conversations"):
        read(CALLS / "many.tsv")


def test_csv_row_with_a_blank_conversation_id_continues_the_conversation_before_it():
    text = "conversation_id,speaker,text\nc1,A,hello there\nc1,B,hi\n,A,buy now\n  ,B,ok\nc2,,no\n"
    convs = read_table(text, "multi2.csv")
    assert (convs[0].id, [(t.speaker, t.text) for t in convs[0].turns]) == (
        "c1", [("A", "hello there"), ("B", "hi"), ("A", "buy now"), ("B", "ok")])
    # c2 names no speaker at all: nobody in it can be rated, so it is an error in its place
    assert isinstance(convs[1], ReadError) and convs[1].conversation_id == "c2" and "names a speaker" in str(convs[1])


@pytest.mark.parametrize("text, message", [
    ('{"segments": [{"speaker": "A", "text": "hi"', "not valid JSON"),
    ('{"foo": 1}', "not a shape this reads: expected a list of segments"),
    ('[{"speaker": "A", "text": ""}]', "no segment has text"),
])
def test_bad_json(text, message):
    with pytest.raises(ReadError, match=message):
        read_json(text, "x.json")



@pytest.mark.parametrize("text, message", [
    ('{"segments": [{"speaker": "A", "text": "hi', "not valid JSON: Unterminated string starting at line 1 column 40$"),
    ('[{"speaker": "A", "text": "a\tb"}]', "not valid JSON: Invalid control character at line 1 column 29$"),
    ('[{"speaker": "A",\n "text": }]', "not valid JSON: Expecting value at line 2 column 10$"),
])
def test_bad_json_names_its_place_once(text, message):
    """Python words two of its JSON errors to end in 'at', before the place: the place follows them once."""
    with pytest.raises(ReadError, match=message):
        read_json(text, "x.json")


def test_bad_json_lines_name_their_place_once():
    text = '{"speaker": "A", "text": "hi"}\n{"speaker": "B", "text": "yo\n'
    with pytest.raises(ReadError, match=r"not valid JSON Lines: Unterminated string starting at line 2 column 26$"):
        read_json(text, "x.jsonl")

def test_csv_without_the_columns(tmp_path):
    bad = tmp_path / "scores.csv"
    bad.write_text("name,score\nA,1\n")
    with pytest.raises(ReadError, match="expected 'speaker' and 'text' columns"):
        read(bad)


def test_an_empty_conversation_in_a_table_is_an_error_in_its_place_and_the_others_are_read():
    path = FIXTURES / "multi" / "one_empty.csv"
    with pytest.raises(ReadError, match=r"one_empty\.csv: conversation 'A-2': no speaker turns") as caught:
        read_file(path)
    assert caught.value.conversation_id == "A-2"
    first, bad, last = read_file(path, errors="keep")
    assert (first.id, last.id) == ("A-1", "A-3") and last.speakers == ["Ivo Lind", "Greta Sol"]
    assert isinstance(bad, ReadError) and bad.conversation_id == "A-2" and bad.path == str(path)
    with pytest.warns(UserWarning, match="conversation 'A-2'"):
        assert [c.id for c in iter_conversations(path, errors="warn")] == ["A-1", "A-3"]


def test_a_table_without_ids_and_without_text_is_one_error_for_the_file():
    with pytest.raises(ReadError, match="no speaker turns with text") as caught:
        read_table("speaker,text\nA,\nB,\n", "empty.csv")
    assert caught.value.conversation_id is None


def test_export_column_names_are_matched_whatever_their_case_spaces_and_underscores():
    convs = read_file(FIXTURES / "multi" / "call_export.csv")
    assert [(c.id, c.speakers) for c in convs] == [
        ("RX-501", ["Nadia Brooks", "Felix Moreau"]), ("RX-502", ["Ivo Lind", "Greta Sol"])]
    assert convs[0].turns[1].text == "Hi Nadia, happy to chat." and (convs[0].turns[2].start, convs[0].turns[2].end) == (10, 18)


@pytest.mark.parametrize("id_column", ["Call ID", "callId", "call-id", "CALL_ID", "Meeting ID", "Conversation Id",
                                       "interaction_id", "dialog id"])
def test_common_conversation_id_columns_split_a_table(id_column):
    text = f"{id_column},Speaker Name,Text\nc1,Ann,Hello there.\nc1,Ben,Hi.\nc2,Cy,Morning.\nc2,Dee,Yes?\n"
    assert [(c.id, c.speakers) for c in read_table(text, "calls.csv")] == [("c1", ["Ann", "Ben"]), ("c2", ["Cy", "Dee"])]
    assert detect_format(text.encode()) == "csv"


def test_diarized_json_with_conversation_ids_is_split_as_a_table_is():
    convs = read_file(FIXTURES / "multi" / "segments_with_ids.json")
    assert [(c.id, c.speakers, c.metadata["format"]) for c in convs] == [
        ("M-1", ["Nadia Brooks", "Felix Moreau"], "json"), ("M-2", ["Ivo Lind", "Greta Sol"], "json")]
    assert convs[1].turns[1].start == 3.4
    first, bad = read_json('[{"callId": "x", "speaker": "A", "text": "Hi."}, {"callId": "y", "speaker": "B", "text": ""}]',
                           "two.json")
    assert first.id == "x" and isinstance(bad, ReadError) and bad.conversation_id == "y"


def test_table_speakers_are_one_per_person_whatever_the_case_or_short_form():
    (conv,) = read_table("speaker,text\nAnn Lee,Hello Bo.\nBO CHEN,Hi.\nANN LEE,How are you?\nBo,Fine.\nann,Good.\n", "t.csv")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Ann Lee", "Hello Bo."), ("BO CHEN", "Hi."), ("Ann Lee", "How are you?"), ("BO CHEN", "Fine."), ("Ann Lee", "Good.")]


def test_a_file_reciprocity_wrote_is_refused_not_read_as_a_transcript(tmp_path):
    sentences = tmp_path / "sentences.csv"
    sentences.write_text("path,conversation_id,turn,speaker,role,text,act,confidence,p_give_value,p_extract_info,"
                         "p_push,p_pitch,p_rapport,p_other\ncall.txt,call,0,Sam,agent,Hello.,other,0.9,0,0,0,0,0.1,0.9\n")
    scores = tmp_path / "scores.csv"
    scores.write_text("path,conversation_id,agent,pushy,flags,reciprocity_index,error,speaker,text\n"
                      "call.txt,call,Sam,0.1,,0.5,,Sam,Hello.\n")
    with pytest.raises(ReadError, match=r"sentences\.csv: a sentences file written by reciprocity, not a transcript"):
        read_file(sentences)
    with pytest.raises(ReadError, match=r"scores\.csv: a scores file written by reciprocity, not a transcript"):
        read_file(scores)


def test_semicolon_separated_csv_as_excel_writes_it_where_the_comma_is_a_decimal_mark(tmp_path):
    table = tmp_path / "chorus.csv"
    table.write_text("conversation_id;speaker;text\nCH-1;Jordan Lee;Hi Rita, it's Jordan. Did you get my emails?\n"
                     "CH-1;Rita Gomez;I did, thanks.\n", encoding="utf-8")
    (conv,) = read_file(table)
    assert conv.id == "CH-1" and conv.speakers == ["Jordan Lee", "Rita Gomez"]
    assert conv.turns[0].text == "Hi Rita, it's Jordan. Did you get my emails?"


def test_json_lines_one_segment_a_line_and_a_broken_line_named(tmp_path):
    lines = tmp_path / "utterances.jsonl"
    lines.write_text('{"conversation_id": "J-1", "speaker": "Chloe Adams", "text": "Did you get the spec?"}\n\n'
                     '{"conversation_id": "J-1", "speaker": "Ben Carter", "text": "I did, thanks."}\n'
                     '{"conversation_id": "J-2", "speaker": "Chloe Adams", "text": "Hi Ana, a quick one."}\n'
                     '{"conversation_id": "J-2", "speaker": "Ana Ruiz", "text": "Go on."}\n')
    assert [(c.id, c.speakers) for c in read_file(lines)] == [("J-1", ["Chloe Adams", "Ben Carter"]),
                                                              ("J-2", ["Chloe Adams", "Ana Ruiz"])]
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"speaker": "A", "text": "hi"}\n{"speaker": "B", "text": \n')
    with pytest.raises(ReadError, match=r"broken\.jsonl: not valid JSON Lines: Expecting value at line 2"):
        read_file(broken)
    ours = tmp_path / "sentences.jsonl"
    ours.write_text('{"path": "a.txt", "speaker": "A", "text": "hi", "act": "other", "confidence": 0.9, '
                    '"p_give_value": 0.0, "p_other": 0.9}\n{"path": "a.txt", "speaker": "B", "text": "yo"}\n')
    with pytest.raises(ReadError, match="a sentences file written by reciprocity"):
        read_file(ours)


def test_json_lines_are_split_at_line_feeds_only_not_at_unicode_line_separators_inside_strings(tmp_path):
    # JSON allows U+2028, U+2029 and U+0085 unescaped in a string (json.dumps(ensure_ascii=False) writes them so).
    lines = tmp_path / "utterances.jsonl"
    lines.write_text('{"speaker": "Chloe Adams", "text": "Did you get the spec?\u2028And the budget?"}\r\n'
                     '{"speaker": "Ben Carter", "text": "I did,\u0085thanks."}\r\n', encoding="utf-8")
    assert [t.text for t in read(lines).turns] == ["Did you get the spec?\u2028And the budget?", "I did,\u0085thanks."]


def test_an_id_of_0_is_an_id_and_one_line_of_json_lines_is_a_segment(tmp_path):
    calls = tmp_path / "calls.json"
    calls.write_text('[{"conversation_id": 1, "speaker": "A", "text": "First call."}, '
                     '{"conversation_id": 1, "speaker": "B", "text": "Yes."}, '
                     '{"conversation_id": 0, "speaker": "A", "text": "Second call."}, '
                     '{"conversation_id": 0, "speaker": "B", "text": "No."}]')
    assert [(c.id, len(c.turns)) for c in read_file(calls)] == [("1", 2), ("0", 2)]
    one = tmp_path / "one.jsonl"
    one.write_text('{"speaker": "Ann Lee", "text": "Only one segment in this export."}\n')
    assert read(one).turns[0].text == "Only one segment in this export."


def test_a_whisperx_segment_without_a_speaker_takes_its_words_speaker(tmp_path):
    calls = tmp_path / "whisperx.json"
    calls.write_text('{"segments": ['
                     '{"start": 0.5, "end": 3.9, "text": "Hello, is that Ben?", "speaker": "SPEAKER_01"},'
                     '{"start": 4.1, "end": 5.0, "text": "Yes, speaking.", "speaker": "SPEAKER_00"},'
                     '{"start": 5.2, "end": 7.0, "text": "Can I send you the spec?", "words": ['
                     '{"word": "Can", "speaker": "SPEAKER_01"}, {"word": "I"}, {"word": "send", "speaker": "SPEAKER_01"}]}]}')
    conv = read(calls)
    assert [(t.speaker, t.text) for t in conv.turns][-1] == ("SPEAKER_01", "Can I send you the spec?")


def test_rows_of_the_wrong_length_are_named_not_cut(tmp_path):
    commas = tmp_path / "commas.csv"
    commas.write_text("speaker,text\nRep,Hi Dana, thanks for calling.\nDana,Hi.\n")
    with pytest.raises(ReadError, match=r"commas\.csv: line 2 has 3 cells where the header has 2: a comma inside"):
        read_file(commas)
    short = tmp_path / "short.csv"
    short.write_text("call_id,start,speaker,text\nA1,0.0,Rep,Hello there\nA1,2.5,Client\nA1,4.0,Rep,Did you get it?\n")
    with pytest.raises(ReadError, match=r"line 3 has 3 cells where the header has 4"):
        read_file(short)
    trailing = tmp_path / "trailing.csv"
    trailing.write_text("speaker,text,notes\nRep,Hello there,first\nClient,Hi\n")  # an optional cell left off
    assert [t.speaker for t in read(trailing).turns] == ["Rep", "Client"]


def test_a_blank_speaker_cell_is_blank_not_another_columns_value_and_nested_speakers_are_named(tmp_path):
    table = tmp_path / "calls.csv"
    table.write_text("speaker,role,text\nBen Hall,agent,Hi Lisa.\n,agent,Do you have five minutes?\nLisa Grant,customer,Sure.\n")
    assert [t.speaker for t in read(table).turns] == ["Ben Hall", "Lisa Grant"]  # not a speaker 'agent'
    nested = tmp_path / "nested.json"
    nested.write_text('[{"speaker": {"id": 0, "name": "Olivia Grant"}, "text": "Hello Ethan."},'
                      ' {"speaker": {"id": 1}, "text": "Hi."}]')
    assert read(nested).speakers == ["Olivia Grant", "Speaker 1"]


def test_segments_with_start_times_are_read_in_time_order(tmp_path):
    calls = tmp_path / "stereo.json"
    calls.write_text('[{"speaker": "Agent", "start": 5.0, "text": "Second."}, {"speaker": "Client", "start": 0.0, '
                     '"text": "First."}, {"speaker": "Agent", "start": 2.5, "text": "Reply."}]')
    assert [(t.speaker, t.text) for t in read(calls).turns] == [("Client", "First."), ("Agent", "Reply. Second.")]


def test_segment_times_are_read_as_numbers_clocks_or_with_a_unit_in_json_and_tables():
    """JSON segments and table rows share the tools' time reading: '00:01:05' and '65s' are 65 seconds."""
    conv = read_json('[{"speaker": "A", "text": "Hi.", "start": "0.5s", "end": "1.5s"},'
                     ' {"speaker": "B", "text": "Hello.", "start": "00:01:05", "end": 66}]', "times.json")[0]
    assert [(t.start, t.end) for t in conv.turns] == [(0.5, 1.5), (65.0, 66.0)]
    conv = read_table("speaker,text,start,end\nA,Hi.,00:00:00.5,1.5s\nB,Hello.,65s,00:01:06\n", "times.csv")[0]
    assert [(t.start, t.end) for t in conv.turns] == [(0.5, 1.5), (65.0, 66.0)]


_CALL = [{"speaker": "Dana", "text": "Thanks for making time."}, {"speaker": "Marcus", "text": "Happy to."},
         {"speaker": "Dana", "text": "What did you want to cover?"}, {"speaker": "Marcus", "text": "The pricing."}]
_NOT_TEXT = [pytest.param(["Happy to.", "What did you want to cover?"], "a list", id="list"),
             pytest.param({"content": "Happy to."}, "an object", id="object")]


def _unread_warnings(conv):
    from reciprocity_nlp.language import conversation_warnings
    return [w for w in conversation_warnings(conv) if "could not be read" in w]


def _json_lines(rows, blank_after=None):
    """Rows as JSON Lines, a blank line after row `blank_after` (counted from 1) when given."""
    return "\n".join(json.dumps(row) + ("\n" if n == blank_after else "") for n, row in enumerate(rows, 1))


@pytest.mark.parametrize("text, kind", _NOT_TEXT)
@pytest.mark.parametrize("shape, place", [("list", "segment 3"), ("segments", "segment 3"),
                                          ("jsonl", "segment on line 4")])
def test_a_json_segment_whose_text_is_a_list_or_an_object_is_not_read_and_the_others_are(tmp_path, text, kind, shape,
                                                                                          place):
    """One segment whose text is not text lost the whole call (an error naming it); its Python form ("['Happy to.',
    ...]") must not pass for what was said either. The others are read; it is listed in the notices by its place (in
    the list, from 1, as the chat readers count; in JSON Lines, its line, blank lines counted), counted and warned of."""
    rows = [*_CALL[:2], {"speaker": "Dana", "text": text}, *_CALL[2:]]
    path = tmp_path / ("call.jsonl" if shape == "jsonl" else "call.json")
    path.write_text(_json_lines(rows, blank_after=2) if shape == "jsonl"
                    else json.dumps({"segments": rows} if shape == "segments" else rows), encoding="utf-8")
    conv = read(path)
    assert [(t.speaker, t.text) for t in conv.turns] == [(r["speaker"], r["text"]) for r in _CALL]
    assert conv.metadata["notices"] == [f"{place} not read: 'text' holds {kind}, not text"]
    assert conv.metadata["messages_not_read"] == 1
    assert _unread_warnings(conv) == ["1 segment could not be read (malformed; listed in notices), so the ratings do "
                                      "not see it"]


def test_a_json_transcript_with_every_segment_read_has_no_notices_count_or_warning():
    conv, = read_json(json.dumps(_CALL), "call.json")
    assert "notices" not in conv.metadata and "messages_not_read" not in conv.metadata and not _unread_warnings(conv)


def test_a_segment_not_read_still_gives_its_speaker_to_a_segment_that_continues_it():
    """Its words are not read; who spoke them is known, so a segment with a blank speaker after it is theirs, as it
    would be were it read."""
    conv, = read_json(json.dumps([_CALL[0], {"speaker": "Marcus", "text": ["Happy to."]},
                                  {"speaker": "", "text": "What did you want to cover?"}]), "call.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "Thanks for making time."),
                                                         ("Marcus", "What did you want to cover?")]
    assert conv.metadata["notices"] == ["segment 2 not read: 'text' holds a list, not text"]


def test_segments_not_read_are_listed_in_the_conversation_they_belong_to_and_one_left_with_none_is_an_error_row():
    """Split by conversation_id, a segment not read is listed in its own conversation (a blank id, the one before
    it); a conversation whose only words could not be read is an error row in its place saying how many and why, the
    file's others read."""
    rows = [{"call_id": "c1", "speaker": "Dana", "text": "Thanks for making time."},
            {"speaker": "Marcus", "text": ["Happy to."]},
            {"speaker": "Marcus", "text": "What did you want to cover?"},
            {"call_id": "c2", "speaker": "Priya", "text": {"content": "Hi Dana."}},
            {"call_id": "c2", "speaker": "Dana", "text": ""}]
    first, second = read_json(json.dumps(rows), "calls.json")
    assert [(t.speaker, t.text) for t in first.turns] == [("Dana", "Thanks for making time."),
                                                          ("Marcus", "What did you want to cover?")]
    assert (first.metadata["notices"], first.metadata["messages_not_read"]) == (
        ["segment 2 not read: 'text' holds a list, not text"], 1)
    assert isinstance(second, ReadError) and second.conversation_id == "c2"
    assert second.reason == ("conversation 'c2': no speaker turns with text found in this json file; 1 segment could "
                             "not be read (segment 4: 'text' holds an object, not text)")


def test_a_json_transcript_whose_every_segment_with_words_is_not_read_is_an_error_saying_why():
    rows = [{"speaker": "Dana", "text": ""}, {"speaker": "Marcus", "text": ["Happy to."]}, {"speaker": "Dana", "text": ""}]
    with pytest.raises(ReadError, match=r"call\.json: diarized JSON: no segment has text; 1 segment could not be read "
                                        r"\(segment 2: 'text' holds a list, not text\)"):
        read_json(json.dumps(rows), "call.json")


@pytest.mark.parametrize("text, kind", _NOT_TEXT)
def test_a_json_transcript_at_most_half_of_whose_segments_can_be_read_is_refused_naming_the_first(text, kind):
    """A file most of whose segments are not text is mostly not a transcript, as a chat app's file is that app's only
    while more than half its messages are in its shape: refused as before, naming the first segment not read."""
    rows = [_CALL[0], {"speaker": "Marcus", "text": text}]
    with pytest.raises(ReadError, match=rf"call\.json: diarized JSON: at most half of its 2 segments can be read; 1 "
                                        rf"segment could not be read \(segment 2: 'text' holds {kind}, not text\)"):
        read_json(json.dumps(rows), "call.json")
    with pytest.raises(ReadError, match=rf"\(segment on line 3: 'text' holds {kind}, not text\)"):
        read_json(_json_lines(rows, blank_after=1), "call.jsonl")
    with pytest.raises(ReadError, match=rf"at most half of its 3 segments can be read; 2 segments could not be read "
                                        rf"\(the first, segment 1: 'text' holds {kind}, not text\)"):
        read_json(json.dumps([{"speaker": "Dana", "text": text}, *rows]), "call.json")


def test_a_json_value_that_is_no_segment_object_is_named_counting_from_1_as_a_segment_not_read_is():
    with pytest.raises(ReadError, match=r"diarized JSON: segment 2 is not an object with speaker and text"):
        read_json(json.dumps([_CALL[0], 5, _CALL[1]]), "call.json")


def test_a_chat_table_in_json_with_a_message_not_text_is_read_around_it():
    """JSON rows of a chat's turns (a sender and a message column) are read as a transcript's segments are: Marcus's
    message, not read, keeps Dana's two apart."""
    rows = [{"from": "Dana", "message": "Thanks for making time."}, {"from": "Marcus", "message": ["Happy to."]},
            {"from": "Dana", "message": "What did you want to cover?"}]
    conv, = read_json(json.dumps(rows), "chat.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "Thanks for making time."),
                                                         ("Dana", "What did you want to cover?")]
    assert conv.metadata["notices"] == ["segment 2 not read: 'message' holds a list, not text"]


def test_a_json_segment_with_its_text_under_another_key_than_the_others_is_read():
    # Its key was not the one the other segments use, so its words were read as none and the segment dropped.
    conv, = read_json('[{"speaker": "Dana", "text": "Thanks for making time."}, '
                      '{"speaker": "Marcus", "transcript": "Happy to. What did you want to cover?"}, '
                      '{"speaker": "Dana", "text": "The pricing."}]', "call.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "Thanks for making time."),
                                                         ("Marcus", "Happy to. What did you want to cover?"),
                                                         ("Dana", "The pricing.")]


def test_a_blank_text_cell_is_blank_and_does_not_read_another_column():
    conv, = read_table("speaker,text,message\nDana,Thanks for making time.,x\nMarcus,,note to self\n", "call.csv")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "Thanks for making time.")]


def test_a_segment_not_read_without_a_start_does_not_stop_time_order():
    """Time order waited for every segment to have a start; one whose text could not be read has no place in it to
    keep, so it does not count, goes last and does not part Dana's two segments; it still says who spoke in it."""
    rows = [{"speaker": "Dana", "text": "second", "start": 5}, {"speaker": "Marcus", "text": "first", "start": 1},
            {"speaker": "Priya", "text": ["x"]}, {"speaker": "Dana", "text": "third", "start": 9}]
    conv, = read_json(json.dumps(rows), "call.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Marcus", "first"), ("Dana", "second third")]
    assert conv.metadata["speakers_not_read"] == ["Priya"]


@pytest.mark.parametrize("blank", [pytest.param('{"speaker": "Priya", "text": ""}', id="json"),
                                   pytest.param("{}", id="json-empty")])
def test_a_blank_segment_without_a_start_keeps_the_file_order_as_any_row_without_one_does(blank):
    """A blank segment is no unread one: nothing says it was not where the file puts it, so its missing start keeps
    the file's order, as every segment without one always has."""
    rows = ('[{"speaker": "Dana", "text": "second", "start": 5}, {"speaker": "Marcus", "text": "first", "start": 1}, '
            f'{blank}, {{"speaker": "Dana", "text": "third", "start": 9}}]')
    conv, = read_json(rows, "call.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "second"), ("Marcus", "first"), ("Dana", "third")]


def test_a_blank_csv_row_between_two_calls_keeps_them_in_file_order_not_interleaved():
    """Excel writes an emptied row as ',,,'. It has no start, so the table is left in the file's order: sorted by
    time, the two calls, both from 0 seconds, were interleaved and their turns joined."""
    conv, = read_table("speaker,text,start,end\nDana,Hi this is call one,0,2\nMarcus,Hello from call one,2,4\n,,,\n"
                       "Dana,Welcome to call two,0,2\nMarcus,Thanks call two,2,4\n", "calls.csv")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "Hi this is call one"), ("Marcus", "Hello from call one"),
                                                         ("Dana", "Welcome to call two"), ("Marcus", "Thanks call two")]


@pytest.mark.parametrize("padding", [pytest.param(("", ",,\n"), id="after"), pytest.param((",,\n", ""), id="before"),
                                     pytest.param(("", "Note,,\n"), id="after-with-a-speaker")])
def test_blank_rows_padding_a_table_before_or_after_its_words_do_not_stop_time_order(padding):
    """One channel's rows, then the other's: put in time order, they are four turns. A blank row at the table's start
    or end, as Excel leaves them, is between no rows of speech, so it says nothing of their order."""
    before, after = padding
    conv, = read_table(f"speaker,text,start\n{before}Dana,first dana,0\nDana,second dana,10\nMarcus,first marcus,5\n"
                       f"Marcus,second marcus,15\n{after}", "channels.csv")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "first dana"), ("Marcus", "first marcus"),
                                                         ("Dana", "second dana"), ("Marcus", "second marcus")]


def test_a_speaker_names_label_whose_every_segment_could_not_be_read_is_told_so_not_that_it_is_no_speaker():
    """SPEAKER_01 spoke; their words could not be read. 'not a speaker of this file' sent the user looking for a typo."""
    from reciprocity_nlp.readers import parse_bytes
    rows = [{"speaker": "SPEAKER_00", "text": "Thanks for making time."}, {"speaker": "SPEAKER_01", "text": ["Happy to."]},
            {"speaker": "SPEAKER_00", "text": "What did you want to cover?"}, {"speaker": "SPEAKER_00", "text": "Pricing?"}]
    data = json.dumps(rows).encode()
    with pytest.raises(ReadError) as caught:
        parse_bytes(data, "call.json", speaker_names={"SPEAKER_00": "Dana", "speaker_01": "Marcus"})
    assert caught.value.reason == ("speaker_names: 'speaker_01' has no turn in this file: every segment of theirs could "
                                   "not be read (listed in notices); its speakers are: SPEAKER_00")
    with pytest.raises(ReadError) as caught:
        parse_bytes(data, "call.json", speaker_names={"SPEAKER_01": "Marcus", "SPEAKER_07": "Priya"})
    assert caught.value.reason == ("speaker_names: 'SPEAKER_07' is not a speaker of this file; 'SPEAKER_01' has no turn "
                                   "in this file: every segment of theirs could not be read (listed in notices); its "
                                   "speakers are: SPEAKER_00")
    conv, = read_json(json.dumps(rows), "call.json")
    assert conv.metadata["speakers_not_read"] == ["SPEAKER_01"]
    conv, = read_json(json.dumps([*rows, {"speaker": "SPEAKER_01", "text": "Sure."}]), "call.json")
    assert "speakers_not_read" not in conv.metadata  # they have a turn


def test_a_json_lines_value_that_is_no_object_is_named_by_its_line(tmp_path):
    path = tmp_path / "call.jsonl"
    path.write_text('{"speaker": "Dana", "text": "Hi."}\n\n{"speaker": "Marcus", "text": "Hello."}\n[1, 2]\n'
                    '{"speaker": "Dana", "text": "Pricing?"}\n')
    with pytest.raises(ReadError, match=r"call\.jsonl: diarized JSON: segment on line 4 is not an object with speaker "
                                        r"and text$"):
        read_file(path)


@pytest.mark.parametrize("empty", [[], {}])
def test_a_segment_whose_text_is_an_empty_list_or_object_is_an_empty_segment_not_one_not_read(empty):
    """Nothing was written in it, as in "": no turn, and no notice or warning that words were lost."""
    rows = [_CALL[0], {"speaker": "Marcus", "text": empty}, *_CALL[1:]]
    conv, = read_json(json.dumps(rows), "call.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [(r["speaker"], r["text"]) for r in _CALL]
    assert "notices" not in conv.metadata and "messages_not_read" not in conv.metadata and not _unread_warnings(conv)


def test_a_whisperx_segment_whose_text_is_a_list_is_read_from_its_words_and_noted_only_without_them():
    """A segment with no text is read from its `words`; one whose text is not text is too, as its words are there."""
    words = [{"word": "Happy", "speaker": "SPEAKER_01"}, {"word": "to.", "speaker": "SPEAKER_01"}]
    rows = [{"speaker": "SPEAKER_00", "text": "Thanks for making time.", "start": 0, "end": 1},
            {"speaker": "SPEAKER_01", "text": ["Happy", "to."], "start": 1, "end": 2, "words": words},
            {"speaker": "SPEAKER_00", "text": "Great.", "start": 2, "end": 3},
            {"speaker": "SPEAKER_01", "text": {"a": 1}, "start": 3, "end": 4, "words": [{"word": " "}]}]
    conv, = read_json(json.dumps({"segments": rows}), "call.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [("SPEAKER_00", "Thanks for making time."),
                                                         ("SPEAKER_01", "Happy to."), ("SPEAKER_00", "Great.")]
    assert conv.metadata["notices"] == ["segment 4 not read: 'text' holds an object, not text"]


def test_a_segment_not_read_between_two_of_another_speaker_keeps_them_two_turns():
    """Dana spoke between Marcus's 'b' and 'c' (her words could not be read): they are not one turn of his."""
    rows = [{"speaker": s, "text": t} for s, t in
            [("Dana", "a"), ("Marcus", "b"), ("Dana", ["lost"]), ("Marcus", "c"), ("Marcus", "d"), ("Marcus", ["e"]),
             ("Marcus", "f"), ("Dana", "g")]]
    conv, = read_json(json.dumps(rows), "call.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "a"), ("Marcus", "b"), ("Marcus", "c d f"), ("Dana", "g")]


@pytest.mark.parametrize("full, short", [("Tom Okafor", "Tom"), ("Raj Patel", "Patel, Raj")])
def test_the_label_of_a_segment_not_read_is_one_speaker_with_the_full_name_it_is_short_for(full, short):
    """Labels were made one per person over the segments read only: 'Tom', not read, stayed a speaker of his own, so
    Tom Okafor's two segments either side of his were two turns, and 'Tom' was listed as a speaker with no turn."""
    from reciprocity_nlp.readers import parse_bytes
    rows = [{"speaker": full, "text": "Hi, thanks for joining.", "start": 0}, {"speaker": short, "text": {"alt": "x"},
                                                                                "start": 2},
            {"speaker": full, "text": "So, about pricing.", "start": 4}, {"speaker": "Dana Lee", "text": "Sure.", "start": 6}]
    conv, = read_json(json.dumps(rows), "call.json")
    assert [(t.speaker, t.text) for t in conv.turns] == [(full, "Hi, thanks for joining. So, about pricing."),
                                                         ("Dana Lee", "Sure.")]
    assert "speakers_not_read" not in conv.metadata
    assert conv.metadata["speaker_labels"] == {short: full}
    conv, = parse_bytes(json.dumps(rows).encode(), "call.json", speaker_names={short: "Tom O."})
    assert conv.speakers == ["Tom O.", "Dana Lee"]


def test_speakers_renamed_to_one_person_are_not_joined_across_a_segment_not_read_of_another():
    """Dana spoke between S1's 'a' and S2's 'b' (her words could not be read): named one person, they are still two
    turns of his, as the reader keeps one speaker's apart; with nobody else between them, they are joined."""
    from reciprocity_nlp.readers import parse_bytes
    names = {"S1": "Marcus", "S2": "Marcus"}
    rows = [{"speaker": s, "text": t} for s, t in [("S1", "a"), ("Dana", ["lost"]), ("S2", "b"), ("Dana", "c")]]
    conv, = parse_bytes(json.dumps(rows).encode(), "call.json", speaker_names=names)
    assert [(t.speaker, t.text) for t in conv.turns] == [("Marcus", "a"), ("Marcus", "b"), ("Dana", "c")]
    assert [t.metadata for t in conv.turns] == [{}, {"not_read_before": ["Dana"]}, {}]
    rows = [{"speaker": s, "text": t} for s, t in [("S1", "a"), ("S2", ["lost"]), ("S2", "b"), ("Dana", "c")]]
    conv, = parse_bytes(json.dumps(rows).encode(), "call.json", speaker_names=names)
    assert [(t.speaker, t.text) for t in conv.turns] == [("Marcus", "a b"), ("Dana", "c")]
