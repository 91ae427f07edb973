import pytest

from reciprocity_nlp import ReadError, read
from reciprocity_nlp.readers.subtitles import read_sbv, read_srt, read_vtt
from tests.conftest import FIXTURES, read_text

CALLS = FIXTURES / "calls"


def test_vtt_voice_tags_merge_cues_and_keep_overlaps():
    conv = read(CALLS / "voice_tags.vtt")
    assert [t.speaker for t in conv.turns] == ["Brandon Kowalczyk", "Harpreet Singh", "Brandon Kowalczyk", "Harpreet Singh"]
    assert conv.turns[2].text == "Great. I'm calling about the solar assessment you booked last week. It takes about twenty minutes."
    assert conv.turns[2].start == 5.1 and conv.turns[2].end == 12.0
    assert conv.turns[3].start == 11.8  # overlapping cue kept as it was


def test_vtt_name_prefixes_and_unlabelled_cues():
    conv = read(CALLS / "name_prefix.vtt")
    assert conv.speakers == ["Kelvin Tan", "Grace Lim"]
    assert conv.turns[0].text == "Hello Ms Lim, Kelvin here from Straits Talent. Got two minutes?"
    assert conv.turns[1].text == "Yes, go ahead. continuing without a prefix, still Grace."


def test_srt_prefixes_multiline_cues():
    conv = read(CALLS / "prefixes.srt")
    assert conv.speakers == ["LERATO", "JOHAN"]
    assert conv.turns[0].text == "Hi Johan, thanks for taking my call. I have three candidates for the SRE role."
    assert len(conv.turns) == 3


def test_vtt_without_header():
    with pytest.raises(ReadError, match="not WebVTT: missing WEBVTT header"):
        read_vtt("00:00:01.000 --> 00:00:02.000\nHi\n", "x.vtt")


def test_truncated_srt_is_a_read_error():
    with pytest.raises(ReadError):
        read_srt("1\n00:00:01,000 --> 00:00", "cut.srt")


@pytest.mark.parametrize("timing", ["00:00:xx.000 --> 00:00:05.000", "00:61:00.000 --> 01:00:05.000"])
def test_vtt_cue_with_malformed_timing_is_a_read_error_not_lost_speech(timing):
    text = f"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Alice>Hello there\n\n{timing}\n<v Bob>Fine thanks.\n"
    with pytest.raises(ReadError, match=rf"^badts\.vtt: WebVTT line 6: malformed cue timing line '{timing}'"):
        read_vtt(text, "badts.vtt")


def test_vtt_text_after_a_blank_line_in_a_cue_is_a_read_error_not_lost_speech():
    text = ("WEBVTT\n\nNOTE kept\n\n1\n00:00:01.000 --> 00:00:04.000\n<v Ann>Hello there.\n\n"
            "I wanted to ask about the price.\n\n00:00:05.000 --> 00:00:07.000\n<v Bob>Sure.\n")
    with pytest.raises(ReadError, match=r"^x\.vtt: WebVTT line 9: text outside any cue 'I wanted to ask about the price\.'"):
        read_vtt(text, "x.vtt")


def test_vtt_two_lines_before_a_timing_line_are_a_read_error_not_an_identifier():
    # Only one line before the timing line can be the cue's identifier; WebVTT ignores two.
    text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nA: Hi.\n\nA: the price\nis fine.\n00:00:03.000 --> 00:00:04.000\nB: Ok.\n"
    with pytest.raises(ReadError, match=r"^x\.vtt: WebVTT line 6: text outside any cue 'A: the price'"):
        read_vtt(text, "x.vtt")


def test_srt_cue_with_malformed_timing_is_a_read_error_not_glued_to_the_cue_before():
    text = ("1\n00:00:01,000 --> 00:00:03,000\nALICE: Hello there, can you send me your CV today?\n\n"
            "2\n00:00:xx,000 --> 00:00:05,000\nBOB: No thanks.\n")
    with pytest.raises(ReadError, match=r"^badts\.srt: SRT line 6: malformed timing line '00:00:xx,000 --> "
                                        r"00:00:05,000'.*more text of cue 1"):
        read_srt(text, "badts.srt")


def test_srt_cue_number_then_a_timing_line_without_an_arrow_is_a_read_error():
    text = ("1\n00:00:01,000 --> 00:00:03,000\nALICE: Hello there.\n\n"
            "2\n00:00:xx,000 - 00:00:05,000\nBOB: No thanks.\n")
    with pytest.raises(ReadError, match=r"^x\.srt: SRT line 6: malformed timing line '00:00:xx,000 - 00:00:05,000'"):
        read_srt(text, "x.srt")


def test_srt_unreadable_block_is_named_by_line_not_character_offset():
    text = "1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\n2\n00:00:03,000 - 00:00:05,000\nB: yo\n\n" \
           "3\n00:00:06,000 --> 00:00:07,000\nA: ok\n"
    with pytest.raises(ReadError, match=r"^x\.srt: SRT line 5: not a cue: '2 / 00:00:03,000 - 00:00:05,000'"):
        read_srt(text, "x.srt")


def test_caption_speakers_are_one_per_person_whatever_the_case_or_short_form():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Sam Patel>Hi Ana, thanks for joining.\n\n"
           "00:00:03.500 --> 00:00:05.000\n<v Ana Silva>Hi Sam.\n\n"
           "00:00:05.500 --> 00:00:08.000\n<v SAM PATEL>Shall we start?\n\n"
           "00:00:08.500 --> 00:00:09.000\n<v Ana>Yes.\n")
    assert [(t.speaker, t.text) for t in read_vtt(vtt, "v.vtt").turns] == [
        ("Sam Patel", "Hi Ana, thanks for joining."), ("Ana Silva", "Hi Sam."), ("Sam Patel", "Shall we start?"),
        ("Ana Silva", "Yes.")]
    srt = ("1\n00:00:01,000 --> 00:00:03,000\nLERATO DLAMINI: Morning Johan.\n\n"
           "2\n00:00:03,500 --> 00:00:05,000\nJOHAN: Morning.\n\n"
           "3\n00:00:05,500 --> 00:00:08,000\nlerato dlamini: Got a minute?\n\n"
           "4\n00:00:08,500 --> 00:00:09,000\nLERATO: It's about the SRE role.\n")
    assert [(t.speaker, t.text) for t in read_srt(srt, "s.srt").turns] == [
        ("LERATO DLAMINI", "Morning Johan."), ("JOHAN", "Morning."), ("LERATO DLAMINI", "Got a minute? It's about the SRE role.")]


def test_two_voices_in_one_cue_are_two_speakers(tmp_path):
    conv = read_text(tmp_path, "call.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Laura Chen>Any questions?</v>\n\n"
                     "00:00:05.000 --> 00:00:07.000\n<v Mike Dunn>Sure.</v>\n<v Laura Chen>Great.</v>\n\n"
                     "00:00:08.000 --> 00:00:09.000\n<v Mike Dunn>One.</v> <v Laura Chen>Go on.</v>\n")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Laura Chen", "Any questions?"), ("Mike Dunn", "Sure."), ("Laura Chen", "Great."),
        ("Mike Dunn", "One."), ("Laura Chen", "Go on.")]


@pytest.mark.parametrize("unit", ["<", "<v ", "</"])
def test_a_long_cue_line_of_unclosed_tags_is_text(unit):
    # `<[^>]+>` scanned from every '<' to the end of such a line: 100 KB took 6 to 13 s. How the time grows is measured
    # by benchmarks/pathological_inputs.py.
    line = unit * (100_000 // len(unit))
    conv = read_vtt(f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn: Hi.\n\n00:00:03.000 --> 00:00:04.000\n{line}\n", "x.vtt")
    assert conv.speakers == ["Ann"]
    assert [(t.speaker, t.text) for t in conv.turns] == [("Ann", f"Hi. {line}".rstrip())]


def test_zoom_dial_in_and_phone_app_participants_are_speakers():
    # The number and "Marcus's iPhone" were read as text of the recruiter's turn: one speaker, one turn.
    conv = read(CALLS / "zoom_phone_dialin.vtt")
    assert [t.speaker for t in conv.turns] == ["Dana Whitfield", "+44 7700 900123", "Dana Whitfield", "+44 7700 900123",
                                               "Dana Whitfield", "Marcus's iPhone", "Dana Whitfield"]
    assert conv.turns[1].text == "Hi Dana, no problem. Happy to chat. I'm on the phone, I'm driving."
    assert conv.turns[3].text == "Notice is one month. Expectations: around ninety, but it depends on the bonus."


@pytest.mark.parametrize("label", ["Call-in User_2", "Marcus Lee (he/him)", "Marcus Lee (Guest)", "Marcus Lee 🙂",
                                   "Marcus Lee | Brightpath", "李明", "+1 650-555-0100"])
@pytest.mark.parametrize("fmt", ["vtt", "srt"])
def test_a_meeting_tool_display_name_prefixes_its_cue(label, fmt):
    cues = [("Dana Whitfield", "Hi Marcus, how are you?"), (label, "Good thanks."), ("Dana Whitfield", "So the short version: yes.")]
    if fmt == "vtt":
        conv = read_vtt("WEBVTT\n\n" + "".join(f"00:00:0{i}.000 --> 00:00:0{i}.900\n{n}: {t}\n\n"
                                               for i, (n, t) in enumerate(cues)), "x.vtt")
    else:
        conv = read_srt("".join(f"{i + 1}\n00:00:0{i},000 --> 00:00:0{i},900\n{n}: {t}\n\n"
                                for i, (n, t) in enumerate(cues)), "x.srt")
    assert [(t.speaker, t.text) for t in conv.turns] == cues


def test_youtube_sbv_cues_with_name_prefixes():
    # Read as plain text, every turn held the next cue's timing line: '... today. 0:00:06.800,0:00:09.100'.
    conv = read(CALLS / "youtube.sbv")
    assert conv.metadata["format"] == "sbv"
    assert [(t.speaker, t.text, t.start, t.end) for t in conv.turns] == [
        ("Dana Whitfield", "Hi Marcus, this is Dana from Brightpath. Thanks for making time today.", 0.5, 6.2),
        ("Marcus Lee", "Hi Dana, no problem. Happy to chat.", 6.8, 9.1),
        ("Dana Whitfield", "Great. Step 2: the role.", 9.5, 14.25)]


def test_sbv_without_speaker_names_is_refused_like_captions_without_names():
    with pytest.raises(ReadError, match=r"^x\.sbv: no speakers found in this sbv file: expected lines like 'Name: text'"):
        read_sbv("0:00:00.500,0:00:03.350\nHi there.\n\n0:00:03.350,0:00:06.200\nThanks.\n", "x.sbv")


def test_sbv_text_outside_a_cue_is_a_read_error_not_lost_speech():
    with pytest.raises(ReadError, match=r"^x\.sbv: SBV line 4: text outside any cue 'the price is fine\.'"):
        read_sbv("0:00:00.500,0:00:03.350\nAnn: Hi.\n\nthe price is fine.\n", "x.sbv")


def test_vtt_character_references_are_decoded_in_names_and_text():
    # Teams escapes names: 'Sof&#237;a Mar&#237;n' was a speaker of its own that --agent 'Sofía Marín' did not find.
    conv = read_vtt("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n<v Priya Raman>Hi Sof&#237;a.</v>\n\n"
                    "2\n00:00:02.000 --> 00:00:03.000\n<v Sof&#237;a Mar&#237;n>We&#39;re in R&amp;D &lt;b&gt;.</v>\n\n"
                    "3\n00:00:03.000 --> 00:00:04.000\nTom Okafor: Q&amp;A &#x2014; we&#39;re fine &amp;c.\n", "t.vtt")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Priya Raman", "Hi Sofía."), ("Sofía Marín", "We're in R&D <b>."), ("Tom Okafor", "Q&A — we're fine &c.")]


def test_caption_notes_about_the_recording_are_neither_speech_nor_speakers():
    conv = read_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nAnn Lee: The price is-\n\n"
                    "00:00:02.000 --> 00:00:03.000\nBob Ray: [CROSSTALK] Sorry, go on.\n\n"
                    "00:00:03.000 --> 00:00:04.000\n[Inaudible] <overlap>Fine.</overlap>\n\n"
                    "00:00:04.000 --> 00:00:05.000\n<v Ann Lee>[crosstalk 00:00:04] It's forty.</v>\n", "x.vtt")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Ann Lee", "The price is-"), ("Bob Ray", "Sorry, go on. Fine."),
                                                         ("Ann Lee", "It's forty.")]


@pytest.mark.parametrize("tail", ["1" * 9_999, " " * 9_000 + "x", "\n" * 100_000, "00:00:01,000" + " " * 9_000 + "x",
                                  "x" + "\u00a0" * 9_000 + "x", "x" + "\u3000" * 9_000 + "x"])
def test_srt_with_long_runs_of_digits_or_white_space_is_read_or_refused_at_the_line(tail):
    # The srt library's pattern is cubic in a run of digits (20,000 took 8.5 s) and quadratic in a run of white space.
    # How the time grows is measured by benchmarks/pathological_inputs.py.
    text = "1\n00:00:01,000 --> 00:00:02,000\nAnn: Call me on 07700900123 or quote 123456789012345.\n\n" + f"{tail}\n" * 20
    try:
        turns = read_srt(text, "x.srt").turns
        assert turns[0].text.startswith("Call me on 07700900123 or quote 123456789012345.")
    except ReadError as exc:
        assert str(exc).startswith("x.srt: SRT line 5")


def test_srt_keeps_long_numbers_and_names_lines_by_the_file_after_blank_runs():
    text = ("1\n00:00:01,000 --> 00:00:02,000\nAnn:   Quote   123456789012345,   please.\n\n\n\n\n"
            "2\n00:00:03,000 - 00:00:04,000\nBo: 98765432109876\n")
    with pytest.raises(ReadError, match=r"^x\.srt: SRT line 8: not a cue: '2 / 00:00:03,000 - 00:00:04,000'"):
        read_srt(text, "x.srt")
    conv = read_srt(text.replace(" - ", " --> "), "x.srt")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Ann", "Quote 123456789012345, please."),
                                                         ("Bo", "98765432109876")]
    with pytest.raises(ReadError, match=r"SRT line 3 holds 10,001 characters"):
        read_srt("1\n00:00:01,000 --> 00:00:02,000\n" + "a" * 10_001 + "\n", "x.srt")


def test_a_sound_in_brackets_is_the_speakers_text_not_a_speaker():
    # '[Laughter]' was read as a speaker named Laughter, whose cue had no text, and the lines after it went to them.
    conv = read_srt("1\n00:00:01,000 --> 00:00:03,000\nDANA: Thanks for making time.\n\n2\n00:00:03,000 --> 00:00:05,000\n"
                    "MARCUS: Happy to.\n[LAUGHS]\nWhat did you want to cover?\n\n3\n00:00:05,000 --> 00:00:07,000\n"
                    "[Laughter]\n\n4\n00:00:07,000 --> 00:00:09,000\nSo, the pricing.\n", "call.srt")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("DANA", "Thanks for making time."),
        ("MARCUS", "Happy to. [LAUGHS] What did you want to cover? [Laughter] So, the pricing.")]


def test_a_name_in_brackets_still_heads_its_speakers_cue():
    conv = read_vtt("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n[Dana] Thanks for making time.\n\n"
                    "00:00:02.000 --> 00:00:03.000\n[MARCUS]\nHappy to.\n", "call.vtt")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Dana", "Thanks for making time."), ("MARCUS", "Happy to.")]


def test_an_audiences_applause_in_brackets_is_no_ones_words():
    # '[Applause]' in a cue of its own was added to the text of the speaker before it, as if they had said it.
    conv = read_srt("1\n00:00:01,000 --> 00:00:03,000\nDANA: Thanks for having me.\n\n2\n00:00:03,000 --> 00:00:05,000\n"
                    "[Applause]\n\n3\n00:00:05,000 --> 00:00:07,000\nMARCUS: Welcome.\n(Crowd cheering)\n", "talk.srt")
    assert [(t.speaker, t.text) for t in conv.turns] == [("DANA", "Thanks for having me."), ("MARCUS", "Welcome.")]
