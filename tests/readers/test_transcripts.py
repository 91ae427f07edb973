
import pytest

from reciprocity_nlp import ReadError, parse, read
from reciprocity_nlp.readers.transcripts import looks_like_name, read_plain, to_seconds
from tests.conftest import FIXTURES, read_text

CALLS = FIXTURES / "calls"


def turns(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def test_plain_names_titles_initials_and_continuations():
    conv = read(CALLS / "plain.txt")
    assert conv.metadata["format"] == "text"
    assert conv.speakers == ["Dr. Amelia Hart", "J. R. Okafor", "Mary-Jane van der Berg"]
    assert len(conv.turns) == 7
    assert conv.turns[2].text.endswith("the range is 95 to 110k.")
    assert "Note: the line dropped" in conv.turns[5].text
    assert conv.metadata["preamble"].startswith("Call notes")


def test_timestamped_with_brackets_merges_one_speakers_lines():
    conv = read(CALLS / "timestamped_brackets.txt")
    assert conv.metadata["format"] == "timestamped"
    assert [t.speaker for t in conv.turns] == ["Priya Shah", "Tom Reed", "Priya Shah", "Tom Reed", "Priya Shah"]
    assert conv.turns[2].text == "I've got a backend role at a payments firm, 80 to 90k. Fully remote."
    assert conv.turns[2].start == 7 and conv.turns[2].end == 15
    assert conv.turns[4].start == 62


def test_timestamped_without_brackets_past_an_hour():
    conv = read(CALLS / "timestamped_bare.txt")
    assert conv.speakers == ["Marco", "Lena Fischer"]
    assert conv.turns[-1].start == 3723


def test_otter_export():
    conv = read(CALLS / "otter.txt")
    assert conv.metadata["format"] == "otter"
    assert turns(conv)[1] == ("Declan Moran", "Yeah, grand. Bit of an echo maybe. Give me one sec.")
    assert conv.turns[3].start == 62
    assert "otter.ai" in conv.metadata["footer"]
    assert all("otter.ai" not in t.text for t in conv.turns)


def test_zoom_export_makes_times_relative():
    conv = read(CALLS / "zoom.txt")
    assert conv.metadata["format"] == "zoom"
    assert conv.speakers == ["Kavya Raman", "Arjun Mehta"]
    assert conv.turns[0].start == 0 and conv.turns[3].start == 97
    assert conv.turns[2].text.endswith("You'll get the result within a week.")


def test_no_speaker_lines_is_a_clear_error():
    with pytest.raises(ReadError, match="expected lines like 'Name: text'"):
        read_plain("just some words\nwith no speakers at all\n", "notes.txt")


@pytest.mark.parametrize("label", ["Sam", "Dr. Amelia Hart", "J. R. Okafor", "SPEAKER_01", "Speaker 2",
                                   "Mary-Jane van der Berg", "Seán Ó Briain"])
def test_names(label):
    assert looks_like_name(label)


@pytest.mark.parametrize("label", ["Note", "Subject", "https", "the main thing is", "10", "so basically"])
def test_not_names(label):
    assert not looks_like_name(label)


def test_one_person_is_one_speaker_whatever_the_case_or_short_form_of_their_name():
    conv = read(CALLS / "mixed_names.txt")
    assert turns(conv) == [
        ("Amir Haddad", "Morning Rosa, I've had feedback from the panel."),
        ("Rosa Lindqvist", "Go on."),
        ("Amir Haddad", "They'd like you back for a final round on Thursday. It's an hour with the head of data."),
        ("Rosa Lindqvist", "Thursday works."),
        ("Amir Haddad", "Great. Anything you'd like me to ask them first? parking: free after six, I'll send the details."),
        ("Rosa Lindqvist", "Whether the role is hybrid."),
        ("Amir Haddad", "Will do, I'll call you back today."),
    ]
    assert conv.metadata["speaker_labels"] == {"ROSA LINDQVIST": "Rosa Lindqvist", "amir haddad": "Amir Haddad",
                                               "Rosa": "Rosa Lindqvist", "Amir": "Amir Haddad"}


def test_a_lower_case_label_is_a_speaker_only_once_seen_and_a_shared_first_name_stays_apart():
    conv = read_plain("Tom Okafor: Hi.\ntom reed: hello.\nTom Reed: Hi both.\nTom: Who's first?\ntom reed: Me.\n", "x.txt")
    assert turns(conv) == [("Tom Okafor", "Hi. tom reed: hello."), ("Tom Reed", "Hi both."), ("Tom", "Who's first?"),
                           ("Tom Reed", "Me.")]


def test_numbered_role_labels_are_speakers_and_numbered_list_items_are_not(tmp_path):
    conv = read_text(tmp_path, "call.txt", "Agent 1: Thank you for calling, this is Carla.\nCaller: My bill doubled.\n"
                     "Agent 1: Let me bring in a colleague.\nAGENT 2: Hi, billing here. Step 2: we check the meter.\n"
                     "Caller: OK.\n")
    assert [t.speaker for t in conv.turns] == ["Agent 1", "Caller", "Agent 1", "AGENT 2", "Caller"]
    assert conv.turns[3].text == "Hi, billing here. Step 2: we check the meter."


def test_headings_of_an_offer_inside_a_turn_are_not_speakers(tmp_path):
    conv = read_text(tmp_path, "call.txt", "Lena Fischer: Let me recap the proposal.\nPricing: forty dollars per seat.\n"
                     "Term: twelve months.\nOmar Haddad: And onboarding?\nLena Fischer: Two options:\n"
                     "Option A: we run it remotely.\nOption B: we come on site.\n")
    assert [t.speaker for t in conv.turns] == ["Lena Fischer", "Omar Haddad", "Lena Fischer"]
    assert conv.turns[2].text.endswith("Option B: we come on site.")


def test_a_time_followed_by_a_long_run_of_spaces_is_not_a_speaker_line(tmp_path):
    # `\s*[-–|]?\s*` after the time split such a run in every way before failing (20,000 spaces: 13 s).
    for space in (" ", "\t"):
        conv = read_text(tmp_path, "t.txt", "[0:01] Sam: Hello.\n[0:05] Ana: Hi.\n0:09" + space * 20_000 + "!\n")
        assert turns(conv) == [("Sam", "Hello."), ("Ana", "Hi. 0:09" + space * 20_000 + "!")]


# Display names as Zoom and Teams show them (a blind review of real exports): each was glued, label and all, into the
# turn of the speaker before.
DISPLAY_NAMES = ["+44 7700 900123", "+1 (650) 555-0100", "650-555-0100", "Call-in User_2", "Marcus's iPhone",
                 "Marcus Lee (he/him)", "Marcus Lee (she/they)", "Marcus Lee (Guest)", "Marcus Lee 🙂",
                 "Marcus Lee | Brightpath", "李明", "김민준", "José Núñez-García", "MARCUS", "Dr. Aisha Khan",
                 "Speaker 1 (Guest)", "Guest 2 (Unverified)"]


@pytest.mark.parametrize("label", [*DISPLAY_NAMES, "Lee, Marcus", "Whitfield, Dana (Brightpath Talent)"])
def test_display_names_of_meeting_tools_are_names(label):
    assert looks_like_name(label)


@pytest.mark.parametrize("label", ["TCP/IP", "and/or", "Q3 | Q4", "Pricing | Terms", "Dana | Brightpath", "Great 🙂",
                                   "Price (he/him)", "Yes, Monday", "Sure, Dana", "2024-03-14", "14.03.2024",
                                   "1200 300", "Step 2", "Option 3 User 2", "e.g", "Step 2 (Optional)",
                                   "Speaker 1 (Guest) (Host)", "Speaker 1 (x)"])
def test_labels_that_only_look_decorated_are_not_names(label):
    assert not looks_like_name(label)


@pytest.mark.parametrize("label", DISPLAY_NAMES)
def test_a_display_name_label_in_a_plain_transcript_is_a_speaker(label):
    conv = read_plain(f"Dana Whitfield: Hi Marcus, how are you?\n{label}: Good thanks. Step 2: the offer.\n"
                      "Dana Whitfield: Great.\nnote: call back.\n", "call.txt")
    assert turns(conv) == [("Dana Whitfield", "Hi Marcus, how are you?"), (label, "Good thanks. Step 2: the offer."),
                           ("Dana Whitfield", "Great. note: call back.")]


@pytest.mark.parametrize("label", ["Lee, Marcus", "+44 7700 900123", "李明", "Marcus Lee (Guest)", "Marcus's iPhone"])
def test_a_display_name_heads_an_otter_or_teams_block(label):
    text = f"Dana Whitfield  0:00\nHi Marcus, how are you?\n\n{label}   0:06\nGood thanks.\n\nDana Whitfield  0:09\nGreat.\n"
    conv = parse(text, name="call.txt")
    assert conv.metadata["format"] == "otter"
    assert [(t.speaker, t.text, t.start) for t in conv.turns] == [
        ("Dana Whitfield", "Hi Marcus, how are you?", 0), (label, "Good thanks.", 6), ("Dana Whitfield", "Great.", 9)]


def test_a_comma_in_an_otter_line_heads_a_block_only_spaced_as_teams_writes_it():
    conv = parse("Dana Whitfield  0:00\nWhen works for you?\nSure, Monday 1:30\n\nLee, Marcus\t0:06\nMonday.\n",
                 name="call.txt")
    assert turns(conv) == [("Dana Whitfield", "When works for you? Sure, Monday 1:30"), ("Lee, Marcus", "Monday.")]


def test_rev_com_name_and_time_then_the_text_below():
    conv = parse("Priya Raman (00:01):\nHi Tom, thanks for joining.\nI've brought Sofia.\n\nTom Okafor (00:08):\n"
                 "Morning both.\n\nSofia Marin (01:02:10):\nHi Tom.\n", name="rev.txt")
    assert conv.metadata["format"] == "timestamped"
    assert [(t.speaker, t.text, t.start, t.end) for t in conv.turns] == [
        ("Priya Raman", "Hi Tom, thanks for joining. I've brought Sofia.", 1, 8), ("Tom Okafor", "Morning both.", 8, 3730),
        ("Sofia Marin", "Hi Tom.", 3730, None)]


@pytest.mark.parametrize("text, expected", [
    # Name, then the time in brackets, then the text
    ("Dana Whitfield (00:00:00): Hi Marcus.\nMarcus Lee (00:00:06): Hi Dana. Step 2: the offer.\n"
     "Dana Whitfield [00:00:09]: Great.\n",
     [("Dana Whitfield", "Hi Marcus.", 0), ("Marcus Lee", "Hi Dana. Step 2: the offer.", 6), ("Dana Whitfield", "Great.", 9)]),
    # The time in brackets, then the name, a dash and the text
    ("[00:00] Dana Whitfield - Hi Marcus - how are you?\n[00:06] Marcus Lee - Fine.\n[01:09] Dana Whitfield – Great.\n",
     [("Dana Whitfield", "Hi Marcus - how are you?", 0), ("Marcus Lee", "Fine.", 6), ("Dana Whitfield", "Great.", 69)]),
])
def test_timestamped_layouts_with_the_name_first_or_a_dash(text, expected):
    conv = parse(text, name="call.txt")
    assert conv.metadata["format"] == "timestamped"
    assert [(t.speaker, t.text, t.start) for t in conv.turns] == expected


def test_a_timestamped_file_has_one_layout_so_a_line_of_another_stays_text():
    conv = parse("[00:00] Ann Lee: Price first.\n[00:04] Total - forty a seat.\n[00:07] Bob Ray: OK.\n"
                 "Plan B (00:09): later.\n", name="call.txt")
    assert turns(conv) == [("Ann Lee", "Price first. [00:04] Total - forty a seat."), ("Bob Ray", "OK. Plan B (00:09): later.")]


def test_older_teams_docx_layout_times_then_name_then_text():
    conv = parse("Recruiter screen\n\n0:0:1.2 --> 0:0:7.9\nDana Whitfield\nHi Marcus.\nThanks for making time.\n\n"
                 "0:0:8.3 --> 0:0:10.0\nLee, Marcus\nHi Dana.\n\n0:0:10.2 --> 0:0:11.6\nhmm, yes right\n\n"
                 "0:12:0.5 --> 0:12:3.0\nDana Whitfield\nGreat.\n", name="teams.txt")
    assert conv.metadata["format"] == "teams"
    assert conv.metadata["preamble"] == "Recruiter screen"
    assert [(t.speaker, t.text, t.start, t.end) for t in conv.turns] == [
        ("Dana Whitfield", "Hi Marcus. Thanks for making time.", 1.2, 7.9), ("Lee, Marcus", "Hi Dana.", 8.3, 10.0),
        ("Unknown", "hmm, yes right", 10.2, 11.6), ("Dana Whitfield", "Great.", 720.5, 723.0)]
    with pytest.raises(ReadError, match=r"expected a '0:0:1\.2 --> 0:0:7\.9' line, the speaker's name"):
        parse("Dana: hi\nLee: hello\n", format="teams", name="x.txt")


def test_google_meet_footer_and_five_minute_marks_are_not_speech():
    conv = parse("Pricing follow-up - Transcript\n\nAttendees\n\nPriya Raman, Tom Okafor\n\nTranscript\n\n00:00:00\n\n"
                 "Priya Raman: Hi Tom.\nTom Okafor: Morning.\n00:05:00\n\nPriya Raman: Shall we start? It's 10:30\n"
                 "Tom Okafor: Sure.\n\nMeeting ended after 00:01:16 👋\n\nThis editable transcript was computer generated "
                 "and might contain errors. People can also change the text after it was created.\n", name="meet.txt")
    assert turns(conv) == [("Priya Raman", "Hi Tom."), ("Tom Okafor", "Morning."),
                           ("Priya Raman", "Shall we start? It's 10:30"), ("Tom Okafor", "Sure.")]
    assert conv.metadata["preamble"].endswith("Transcript\n00:00:00")
    assert conv.metadata["footer"].startswith("Meeting ended after 00:01:16 👋\nThis editable transcript")


def test_teams_notices_that_transcription_started_or_stopped_are_not_speech():
    conv = parse("Recruiter screen\n\nDana Whitfield started transcription\n\nDana Whitfield   0:00\nHi Marcus.\n\n"
                 "Marcus Lee   0:06\nHi Dana.\nDana Whitfield stopped transcription\n\nDana Whitfield   1:52\n"
                 "We started transcription late.\nSo we stopped transcription\n", name="teams.txt")
    assert conv.metadata["format"] == "otter"
    assert conv.metadata["preamble"] == "Recruiter screen\nDana Whitfield started transcription"
    assert turns(conv) == [("Dana Whitfield", "Hi Marcus."), ("Marcus Lee", "Hi Dana."),
                           ("Dana Whitfield", "We started transcription late. So we stopped transcription")]


def test_an_otter_block_without_a_name_is_an_unknown_speakers_turn():
    # Its time and text were glued to the turn before: "... after this call. 1:26 Yes, please do."
    conv = parse("Dana Whitfield  0:00  \nShall I send it after this call?\n\n1:26  \nYes, please do.\n\n"
                 "Dana Whitfield  1:28  \nGreat.\n\nTranscribed by https://otter.ai\n", name="otter.txt")
    assert [(t.speaker, t.text, t.start, t.end) for t in conv.turns] == [
        ("Dana Whitfield", "Shall I send it after this call?", 0, 86), ("Unknown", "Yes, please do.", 86, 88),
        ("Dana Whitfield", "Great.", 88, None)]


def test_transcriber_notes_about_the_recording_are_not_speech():
    conv = parse("Dana Whitfield: The base range is 85 to 95k, plus-\nMarcus Lee: [crosstalk 00:01:01] Sorry, is that-\n"
                 "Dana Whitfield: Plus a bonus. [Inaudible] Go ahead.\n"
                 "Marcus Lee: Before the bonus? [inaudible 00:01:06] the pension.\n"
                 "Dana Whitfield: (overlapping speech) Yes. [laughs] I know [sic], it's a good one (I think).\n"
                 "Marcus Lee: <overlap> Okay. </overlap> Then it works. [overlapping]\n", name="call.txt")
    assert turns(conv) == [
        ("Dana Whitfield", "The base range is 85 to 95k, plus-"), ("Marcus Lee", "Sorry, is that-"),
        ("Dana Whitfield", "Plus a bonus. Go ahead."), ("Marcus Lee", "Before the bonus? the pension."),
        ("Dana Whitfield", "Yes. [laughs] I know [sic], it's a good one (I think)."), ("Marcus Lee", "Okay. Then it works.")]


def test_a_turn_of_only_transcriber_notes_is_no_turn():
    conv = parse("Dana Whitfield (00:00):\nHi Marcus.\n\nMarcus Lee (00:04):\n[crosstalk 00:00:04]\n\n"
                 "Dana Whitfield (00:05):\nShall I go on?\n", name="rev.txt")
    assert turns(conv) == [("Dana Whitfield", "Hi Marcus. Shall I go on?")]


@pytest.mark.parametrize("unit", [" ", ":", "[", "(", "<", " :", "[0:0", "A (", "[00:01] A ", "+1 ", "A, ", "🙂 ",
                                  "[crosstalk ", " [inaudible", "0:0:1 ", "--> ", "\t", "a's iP"])
@pytest.mark.parametrize("head", ["Ann: hi\n", "[0:01] Ann: hi\n", "Ann  0:01\nhi\n", "Ann (00:01):\nhi\n",
                                  "0:0:1.2 --> 0:0:7.9\nAnn\nhi\n", "[00:01] Ann - hi\n"])
def test_a_long_line_of_spaces_colons_or_brackets_is_the_speakers_words(head, unit):
    # Lines crafted against the patterns of speaker labels and times: how the time to read them grows is measured by
    # benchmarks/pathological_inputs.py.
    from reciprocity_nlp.readers import parse_bytes

    line = unit * (100_000 // len(unit))
    conv = parse_bytes((head + line + "\n").encode(), "call.txt")[0]
    assert [(t.speaker, t.text.split()) for t in conv.turns] == [("Ann", ["hi", *line.split()])]


def test_a_call_in_which_no_turn_names_a_speaker_is_refused():
    # Read as one 'Unknown' speaker, it was rated as if that person were the agent.
    with pytest.raises(ReadError, match="names a speaker: the call is not diarized"):
        parse("0:00\nHello there.\n\n0:05\nHi, who is this?\n", format="otter", name="call.txt")


@pytest.mark.parametrize("value, expected", [
    (4, 4.0), (4.87, 4.87), ("4.87", 4.87), (" 4.87 ", 4.87), ("0", 0.0),  # numbers (AWS writes them as strings)
    ("0.500s", 0.5), ("12s", 12.0), ("5 s", 5.0),  # Google's durations
    ("1:02:03.5", 3723.5), ("00:01:02", 62.0), ("0:03", 3.0), ("00:00:01,500", 1.5), ("1,5", 1.5),  # clocks
    (None, None), ("", None), ("  ", None), ("s", None), ("PT1S", None), ("soon", None), ("1.2.3", None),
    (True, None), (False, None), ({"seconds": 1}, None), ([1.5], None), (10**400, None),
])
def test_to_seconds_reads_the_times_of_diarized_json_tables_and_tool_exports(value, expected):
    """One reading of a time for diarized JSON and tables (numbers and clocks) and for the tools' exports (numbers,
    numbers as strings and Google's '0.500s'); what is not a time is None, never an error."""
    assert to_seconds(value) == expected


@pytest.mark.parametrize("first, start", [
    ("[12/03/2024, 10:15:32] Dana: Thanks for making time.", None),  # a chat app's line pasted above a transcript
    ("12/03/2024, 10:15 - Dana: Thanks for making time.", None),
    ("dana: Thanks for making time.", None),  # a label in lower case, a name once Dana has spoken
    ("Dana (00:00:01): Thanks for making time.", 1.0),  # another layout than the file's
])
def test_a_first_line_of_a_speaker_of_the_call_in_another_form_is_their_turn_not_a_title(first, start):
    # It was kept in metadata["preamble"] as if a title, and the ratings never saw what Dana said.
    conv = parse(f"Call notes - 12 Mar\n{first}\nand the pricing.\nMarcus: Happy to. What did you want to cover?\n"
                 "Dana: The pricing for the second year.\n", format="text")
    assert turns(conv) == [("Dana", "Thanks for making time. and the pricing."),
                           ("Marcus", "Happy to. What did you want to cover?"), ("Dana", "The pricing for the second year.")]
    assert conv.turns[0].start == start and conv.metadata["preamble"] == "Call notes - 12 Mar"


def test_a_first_line_in_another_layout_of_a_timestamped_call_is_its_speakers_turn():
    conv = parse("Dana Whitfield (00:00:01): Thanks for making time today.\n[00:00:05] Marcus Lee: Happy to.\n"
                 "[00:00:09] Dana Whitfield: The pricing for the second year.\n", format="timestamped")
    assert [(t.speaker, t.start) for t in conv.turns] == [("Dana Whitfield", 1.0), ("Marcus Lee", 5.0),
                                                         ("Dana Whitfield", 9.0)]
    assert "preamble" not in conv.metadata


def test_a_title_line_with_a_colon_and_a_label_nobody_speaks_under_stays_the_preamble():
    conv = parse("[12/03/2024, 10:15] Recording: intro call\nDana: Hi.\nMarcus: Hello.\n", format="text")
    assert conv.metadata["preamble"] == "[12/03/2024, 10:15] Recording: intro call" and len(conv.turns) == 2
