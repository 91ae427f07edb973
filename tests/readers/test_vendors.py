"""Speech-to-text and call-recording JSON exports, laid out as each tool documents them (tests/fixtures/calls)."""

import json
import re

import pytest

from reciprocity_nlp import ReadError, read, read_file
from reciprocity_nlp.readers.diarized import read_json
from tests.conftest import FIXTURES

CALLS = FIXTURES / "calls"
TEXTS = ["Hi Lena, thanks for taking the call. Did the pricing sheet reach you?",
         "It did, thanks. The annual plan looks fine.", "Great, I'll send the order form today.", "Perfect."]


def load(name):
    return json.loads((CALLS / name).read_text(encoding="utf-8"))


def turns(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def read_obj(obj, name="call.json"):
    return read_json(json.dumps(obj), name)


@pytest.mark.parametrize("name, speakers, start", [
    ("aws_transcribe.json", ["spk_0", "spk_1"], 0.5),
    ("azure_batch.json", ["Speaker 1", "Speaker 2"], 0.5),
    ("azure_fast.json", ["Speaker 1", "Speaker 2"], 0.5),
    ("google_stt_v1.json", ["Speaker 1", "Speaker 2"], 0.5),
    ("google_stt_v2.json", ["Speaker 1", "Speaker 2"], 0.5),
    ("rev_ai.json", ["Speaker 0", "Speaker 1"], 0.5),
    ("deepgram_paragraphs.json", ["Speaker 0", "Speaker 1"], 0.5),
    ("fireflies_api.json", ["Omar Haddad", "Lena Fischer"], 0.5),
])
def test_each_tools_export_reads_as_its_turns(name, speakers, start):
    conv = read(CALLS / name)
    assert (conv.id, conv.metadata["format"]) == (name.removesuffix(".json"), "json")
    assert turns(conv) == [(speakers[i % 2], text) for i, text in enumerate(TEXTS)]
    assert conv.turns[0].start == start and conv.turns[1].start == pytest.approx(4.6)
    assert conv.turns[-1].end == pytest.approx(10.9, abs=0.03)


def test_aws_speaker_segments_take_their_words_from_items_by_time_with_punctuation_attached():
    data = load("aws_transcribe.json")
    del data["results"]["audio_segments"]
    for item in data["results"]["items"]:  # older outputs: items name no speaker and have no id
        item.pop("speaker_label"), item.pop("id")
    assert turns(read_obj(data)[0]) == turns(read(CALLS / "aws_transcribe.json"))
    data["results"]["audio_segments"] = [{"transcript": "Unlabelled.", "start_time": "0.1", "end_time": "0.2"}]
    assert turns(read_obj(data)[0])[0] == ("spk_0", TEXTS[0])  # audio segments without speakers give way


def test_azure_times_from_iso_durations_when_ticks_are_missing_and_the_speaker_under_nbest():
    data = load("azure_batch.json")
    phrase = data["recognizedPhrases"][2]
    del phrase["offsetInTicks"], phrase["durationInTicks"]
    phrase["offset"], phrase["duration"] = "PT1M7.4S", "PT2.4S"
    phrase["nBest"][0]["speaker"] = phrase.pop("speaker")  # where an older version of the docs put it
    conv = read_obj(data)[0]
    assert conv.turns[2].speaker == "Speaker 1" and (conv.turns[2].start, conv.turns[2].end) == pytest.approx((67.4, 69.8))


def pascal_case(value):
    """Keys with their first letter in upper case, as .NET writes its classes' properties ('nBest' -> 'NBest')."""
    if isinstance(value, dict):
        return {k[:1].upper() + k[1:]: pascal_case(v) for k, v in value.items()}
    return [pascal_case(v) for v in value] if isinstance(value, list) else value


def test_azure_batch_results_written_with_pascal_case_keys_read_as_the_service_writes_them():
    """A result file read into the classes of Azure's .NET batch client sample and serialized again:
    `RecognizedPhrases`, `NBest`, `Display`, `Speaker`, `OffsetInTicks`."""
    data = pascal_case(load("azure_batch.json"))
    assert "RecognizedPhrases" in data and "NBest" in data["RecognizedPhrases"][0]
    expected = read(CALLS / "azure_batch.json")
    conv = read_obj(data)[0]
    assert turns(conv) == turns(expected)
    assert [(t.start, t.end) for t in conv.turns] == [(t.start, t.end) for t in expected.turns]
    for phrase in data["RecognizedPhrases"]:  # the ISO durations when there are no ticks
        del phrase["OffsetInTicks"], phrase["DurationInTicks"]
    assert read_obj(data)[0].turns[3].start == pytest.approx(10.2)


def test_azure_fast_transcription_needs_its_own_keys_and_without_speakers_is_refused():
    data = load("azure_fast.json")
    del data["combinedPhrases"]  # the phrases' millisecond offsets alone still say what it is
    assert turns(read_obj(data)[0]) == turns(read(CALLS / "azure_fast.json"))
    for phrase in data["phrases"]:
        del phrase["speaker"]
    with pytest.raises(ReadError, match=NOT_DIARIZED):
        read_obj(data)
    with pytest.raises(ReadError, match="not a shape this reads"):  # a list called phrases is not enough
        read_obj({"phrases": [{"text": "Hello.", "start": 0.5}]})


def without_times(results):
    for result in results:
        for word in result["alternatives"][0].get("words", []):
            for key in ("startTime", "endTime", "startOffset", "endOffset"):
                word.pop(key, None)
    return results


def test_google_v1_results_that_each_repeat_every_word_so_far_read_once_with_or_without_times():
    """v1's diarized words are those 'from all the results thus far': each result may repeat them, the last holds all."""
    data = load("google_stt_v1.json")
    results = data["response"]["results"]
    every = results.pop()["alternatives"][0]["words"]
    taken = 0
    for result in results:
        taken += len(result["alternatives"][0]["words"])
        result["alternatives"][0]["words"] = [dict(w) for w in every[:taken]]
    expected = turns(read(CALLS / "google_stt_v1.json"))
    assert turns(read_obj(data)[0]) == expected
    without_times(results)
    assert turns(read_obj(data)[0]) == expected


def test_google_v2_results_each_hold_their_own_words_read_in_order_with_or_without_times():
    data = load("google_stt_v2.json")
    assert [r["alternatives"][0]["words"][0]["word"] for r in data["results"]] == ["Hi", "It", "Great,", "Perfect."]
    expected = turns(read(CALLS / "google_stt_v2.json"))
    assert turns(read(CALLS / "google_stt_v1.json")) == expected
    without_times(data["results"])
    assert turns(read_obj(data)[0]) == expected


@pytest.mark.parametrize("timed", [True, False])
def test_google_results_of_one_word_each_are_gathered_into_their_speakers_turns(timed):
    # Gathering their words once grew faster than their number: how it grows is measured by
    # benchmarks/pathological_inputs.py.
    def result(n):
        word = {"word": f"w{n}", "speakerLabel": str(n // 3 % 2 + 1)}
        return {"alternatives": [{"words": [dict(word, startOffset=f"{n}s", endOffset=f"{n}.5s") if timed else word]}]}

    conv = read_obj({"results": [result(n) for n in range(30_000)]})[0]
    assert len(conv.turns) == 10_000 and conv.turns[1].text == "w3 w4 w5"
    assert [t.speaker for t in conv.turns[:3]] == ["Speaker 1", "Speaker 2", "Speaker 1"]
    assert conv.turns[-1].text == "w29997 w29998 w29999"


def test_google_v2_speaker_labels_that_are_not_numbers_are_kept_and_without_labels_it_is_refused():
    data = load("google_stt_v2.json")
    for result in data["results"]:
        for word in result["alternatives"][0]["words"]:
            word["speakerLabel"] = {"1": "provider", "2": "patient"}[word["speakerLabel"]]
    assert read_obj(data)[0].speakers == ["provider", "patient"]
    for result in data["results"]:
        for word in result["alternatives"][0]["words"]:
            del word["speakerLabel"]
    with pytest.raises(ReadError, match=NOT_DIARIZED):
        read_obj(data)


def snake_case(value):
    """Keys by their proto names, as Python's `Message.to_dict` and `MessageToDict(preserving_proto_field_name=True)`
    write them ('speakerLabel' -> 'speaker_label'); a map's keys (file URIs) and '@type' as they are."""
    if isinstance(value, dict):
        return {k if k.startswith(("gs://", "@")) else re.sub(r"[A-Z]", lambda m: "_" + m[0].lower(), k):
                snake_case(v) for k, v in value.items()}
    return [snake_case(v) for v in value] if isinstance(value, list) else value


def inline_batch(*files):
    """v2's `BatchRecognizeResponse` for `files` (URI, results or None), with each file's results inline, in the
    long-running operation the REST API answers with."""
    answer = {"@type": "type.googleapis.com/google.cloud.speech.v2.BatchRecognizeResponse", "results": {
        uri: {"inlineResult": {"transcript": {"results": results, "metadata": {"totalBilledDuration": "11s"}}},
              "metadata": {"totalBilledDuration": "11s"}} if results is not None
        else {"error": {"code": 3, "message": "Audio can be of a maximum of 480 minutes."}} for uri, results in files},
        "totalBilledDuration": "22s"}
    return {"name": "projects/acme/locations/global/operations/8412", "done": True, "response": answer}


def test_google_v2_batch_answer_with_inline_results_is_a_conversation_per_audio_file_named_by_it():
    """`batchRecognize` with `inlineResponseConfig`: `results` maps each file's URI to its `inlineResult.transcript`
    (before, `transcript`, now deprecated); named as Fireflies' transcripts are, each call its own conversation."""
    results = load("google_stt_v2.json")["results"]
    expected = turns(read(CALLS / "google_stt_v2.json"))
    answer = inline_batch(("gs://acme-calls/2025/intro-call.wav", results),
                          ("gs://acme-calls/2025/renewal.flac", results[:2]),
                          ("gs://acme-calls/2024/intro-call.wav", results),
                          ("gs://acme-calls/2025/too-long.wav", None))
    first, second, third, failed = read_json(json.dumps(answer), "batch.json")
    assert [first.id, second.id, third.id] == ["intro-call", "renewal", "intro-call-3"]
    assert turns(first) == turns(third) == expected and turns(second) == expected[:2]
    assert first.turns[1].start == pytest.approx(4.6)
    assert isinstance(failed, ReadError) and failed.conversation_id == "too-long"  # not lost without a word
    deprecated = answer["response"]["results"]["gs://acme-calls/2025/renewal.flac"]
    deprecated["transcript"] = deprecated.pop("inlineResult")["transcript"]
    assert turns(read_json(json.dumps(answer["response"]), "batch.json")[1]) == expected[:2]
    alone = read_json(json.dumps(inline_batch(("gs://acme-calls/2025/intro-call.wav", results))), "batch.json")
    assert [(c.id, turns(c)) for c in alone] == [("intro-call", expected)]


def test_google_answers_without_inline_results_or_like_other_tools_results_maps_are_not_taken_for_a_batch():
    written = inline_batch(("gs://acme-calls/intro-call.wav", []))  # results written to Cloud Storage: URIs alone
    written["response"]["results"]["gs://acme-calls/intro-call.wav"] = {
        "cloudStorageResult": {"uri": "gs://acme-calls/out/intro-call_transcript.json"}}
    with pytest.raises(ReadError, match="not a shape this reads"):
        read_obj(written)
    deepgram = load("deepgram_paragraphs.json")
    assert isinstance(deepgram["results"], dict)
    assert turns(read_obj(deepgram)[0]) == turns(read(CALLS / "deepgram_paragraphs.json"))


@pytest.mark.parametrize("name", ["google_stt_v1.json", "google_stt_v2.json"])
def test_google_exports_with_proto_field_names_as_python_writes_them_read_as_the_json_mapping(name):
    """`to_dict` writes every field, those left unset too: v1's words name `speaker_tag` 0 and `speaker_label` ''."""
    data = snake_case(load(name))
    assert "speaker_label" in json.dumps(data) or "speaker_tag" in json.dumps(data)
    for result in data.get("response", data)["results"]:
        result.update(channel_tag=0, language_code="en-us")
        for word in result["alternatives"][0]["words"]:
            word.setdefault("speaker_label", "")
            word.setdefault("speaker_tag", 0)
    expected = read(CALLS / name)
    conv = read_obj(data)[0]
    assert turns(conv) == turns(expected)
    assert [(t.start, t.end) for t in conv.turns] == [(t.start, t.end) for t in expected.turns]


def test_google_v2_batch_answer_with_proto_field_names_reads_as_the_json_mapping():
    results = load("google_stt_v2.json")["results"]
    answer = snake_case(inline_batch(("gs://acme-calls/intro-call.wav", results), ("gs://acme-calls/renewal.wav", results)))
    assert {"inline_result", "total_billed_duration"} <= set(re.findall(r'"(\w+)":', json.dumps(answer)))
    for file in answer["response"]["results"].values():
        file["inline_result"].update(vtt_captions="", srt_captions="")
        file["uri"] = ""
    convs = read_json(json.dumps(answer), "batch.json")
    assert [(c.id, turns(c)) for c in convs] == [(cid, turns(read(CALLS / "google_stt_v2.json")))
                                                 for cid in ("intro-call", "renewal")]
    assert convs[1].turns[-1].end == pytest.approx(10.9, abs=0.03)


def test_rev_ai_names_from_speaker_info_and_only_text_and_punct_elements():
    data = load("rev_ai.json")
    data["monologues"][0]["speaker_info"] = {"id": "0", "display_name": "Omar Haddad"}
    data["monologues"][1]["elements"].insert(0, {"type": "unknown", "value": "<unk>"})
    conv = read_obj(data)[0]
    assert turns(conv)[:2] == [("Omar Haddad", TEXTS[0]), ("Speaker 1", TEXTS[1])]


def test_gong_is_one_conversation_per_call_with_speaker_ids_as_labels_and_seconds():
    first, second = read_file(CALLS / "gong_transcript.json")
    assert (first.id, second.id) == ("7782342274025937895", "7782342274025937896")
    assert first.speakers == ["Speaker 5531402093823839274", "Speaker 2093823839274031553"]
    assert [t.text for t in first.turns] == TEXTS and [t.text for t in second.turns] == TEXTS[:2]
    assert first.turns[1].start == 4.6


def test_fireflies_transcript_object_on_its_own_reads_as_the_api_answer():
    data = load("fireflies_api.json")
    assert turns(read_obj(data["data"]["transcript"])[0]) == turns(read(CALLS / "fireflies_api.json"))


def test_fireflies_answer_for_several_transcripts_is_a_conversation_per_transcript_named_by_id_else_title():
    one = load("fireflies_api.json")["data"]["transcript"]
    other = dict(one, id=None, title="Renewal follow-up", sentences=one["sentences"][:2])
    answer = {"data": {"transcripts": [one, other]}}
    first, second = read_json(json.dumps(answer), "fireflies.json")
    assert (first.id, second.id) == ("01HQX3K7ZP", "Renewal follow-up-2")
    assert turns(first) == turns(read(CALLS / "fireflies_api.json")) and turns(second) == [("Omar Haddad", TEXTS[0])]
    bare = read_json(json.dumps(answer["data"]), "fireflies.json")  # the list without the GraphQL envelope
    assert [(c.id, turns(c)) for c in bare] == [(c.id, turns(c)) for c in (first, second)]
    alone = read_json(json.dumps(answer["data"]["transcripts"]), "fireflies.json")  # the list on its own
    assert [(c.id, turns(c)) for c in alone] == [(c.id, turns(c)) for c in (first, second)]


def test_fireflies_transcripts_sharing_a_title_or_with_neither_id_nor_title_are_never_merged():
    """Before, they were one conversation, their sentences shuffled together by start time."""
    one = load("fireflies_api.json")["data"]["transcript"]
    untitled = {k: v for k, v in one.items() if k not in ("id", "title")}
    transcripts = [dict(untitled, title="Intro call"), dict(untitled, title="Intro call"), untitled,
                   dict(untitled, id="2"), dict(untitled, id="01HQX3K7ZP"), dict(untitled, id="01HQX3K7ZP")]
    convs = read_json(json.dumps({"data": {"transcripts": transcripts}}), "fireflies.json")
    assert [c.id for c in convs] == ["Intro call-1", "Intro call-2", "3", "2", "01HQX3K7ZP", "01HQX3K7ZP-6"]
    assert all(turns(c) == turns(read(CALLS / "fireflies_api.json")) for c in convs)


def test_deepgram_utterances_are_still_read_before_paragraphs():
    data = load("deepgram_paragraphs.json")
    data["results"]["utterances"] = [{"speaker": 0, "transcript": "From utterances.", "start": 0.5, "end": 1.0},
                                     {"speaker": 1, "transcript": "Yes.", "start": 1.2, "end": 1.4}]
    assert turns(read_obj(data)[0]) == [("Speaker 0", "From utterances."), ("Speaker 1", "Yes.")]


WHISPER = {"text": " Hi Lena. It did.", "language": "en", "segments": [
    {"id": 0, "seek": 0, "start": 0.5, "end": 2.0, "text": " Hi Lena.", "tokens": [1], "no_speech_prob": 0.01},
    {"id": 1, "seek": 0, "start": 2.4, "end": 3.0, "text": " It did.", "tokens": [2], "no_speech_prob": 0.01}]}
NOT_DIARIZED = ("no segment names a speaker: this transcript is not diarized; run speaker diarization "
                r"\(e.g. WhisperX\) or add a speaker column")


def test_a_transcript_without_speakers_is_refused_not_read_as_one_unknown_speaker(tmp_path):
    whisper = tmp_path / "whisper.json"
    whisper.write_text(json.dumps(WHISPER))
    with pytest.raises(ReadError, match=r"whisper\.json: " + NOT_DIARIZED):
        read(whisper)
    with pytest.raises(ReadError, match=NOT_DIARIZED):
        read_json('[{"speaker": "", "text": "Hi."}, {"speaker": null, "text": "Hello."}]', "blank.json")


def test_tool_exports_made_without_diarization_are_refused_as_not_diarized():
    google = load("google_stt_v1.json")
    google["response"]["results"].pop()  # no diarized last result: words without speaker tags
    aws = load("aws_transcribe.json")
    del aws["results"]["speaker_labels"], aws["results"]["audio_segments"]
    azure = load("azure_batch.json")
    for phrase in azure["recognizedPhrases"]:
        del phrase["speaker"]
    for data in (google, aws, azure):
        with pytest.raises(ReadError, match=NOT_DIARIZED):
            read_obj(data)


def test_segments_of_which_only_some_name_a_speaker_still_continue_the_speaker_before():
    conv = read_obj({"segments": [dict(WHISPER["segments"][0], speaker="SPEAKER_00"), WHISPER["segments"][1]]})[0]
    assert turns(conv) == [("SPEAKER_00", "Hi Lena. It did.")]


def test_an_unknown_shape_is_refused_naming_the_shapes_and_tools_read():
    with pytest.raises(ReadError, match="not a shape this reads: expected a list of segments with speaker and text, "
                                        r"an object with 'segments' or 'utterances' \(WhisperX, AssemblyAI, Deepgram "
                                        r"utterances\), or an export of AWS Transcribe, Azure Speech batch "
                                        r"transcription, Azure Speech fast transcription, Google Speech-to-Text \(v1 "
                                        r"and v2\), Rev.ai, Deepgram paragraphs, Fireflies or Gong$"):
        read_obj({"calls": [{"metaData": {"id": "1"}, "parties": []}]})



def test_channel_identified_and_multichannel_calls_name_each_party_by_its_channel():
    """One party a channel: AWS channel identification and Deepgram multichannel (the second party was lost or the
    call refused as not diarized)."""
    def item(label, start, word, kind="pronunciation"):
        timing = {"start_time": str(start), "end_time": str(start + 0.2)} if kind == "pronunciation" else {}
        return {"channel_label": label, "type": kind, "alternatives": [{"content": word}], **timing}

    aws = {"results": {"transcripts": [{"transcript": "..."}], "items": [], "channel_labels": {"number_of_channels": 2,
           "channels": [{"channel_label": "ch_0", "items": [item("ch_0", 1.0, "Hello"), item("ch_0", 0, ",", "punct"),
                                                               item("ch_0", 1.3, "Lena"), item("ch_0", 0, ".", "punct")]},
                        {"channel_label": "ch_1", "items": [item("ch_1", 2.0, "Hi"), item("ch_1", 0, ".", "punct")]}]}}}
    assert [(t.speaker, t.text) for t in read_json(json.dumps(aws), "aws.json")[0].turns] == [
        ("ch_0", "Hello, Lena."), ("ch_1", "Hi.")]

    def channel(sentences):
        return {"alternatives": [{"paragraphs": {"paragraphs": [{"sentences": sentences}]}}]}

    deepgram = {"results": {"channels": [channel([{"text": "Hi Lena.", "start": 0.5, "end": 1.0}]),
                                         channel([{"text": "Hello.", "start": 1.5, "end": 2.0}])]}}
    assert [(t.speaker, t.text) for t in read_json(json.dumps(deepgram), "dg.json")[0].turns] == [
        ("Channel 0", "Hi Lena."), ("Channel 1", "Hello.")]
