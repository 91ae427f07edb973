"""Speech-to-text and call-recording JSON exports as the generic segment rows `diarized.read_json` reads.

Each adapter takes the parsed JSON object and returns rows of `speaker`, `text` and optional `start`/`end` (seconds)
and `conversation_id`, or None when the object is not that tool's shape. A row without a speaker is left blank, so
an export made without diarization is refused by the reader as not diarized rather than guessed at.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from reciprocity_nlp.readers.base import conversation_id
from reciprocity_nlp.readers.transcripts import to_seconds

Rows = list[dict[str, Any]]


def _at(value: Any, *path: str | int) -> Any:
    """The value at `path` inside nested objects and lists, or None where the path does not lead."""
    for step in path:
        if isinstance(step, int):
            value = value[step] if isinstance(value, list) and -len(value) <= step < len(value) else None
        else:
            value = value.get(step) if isinstance(value, dict) else None
    return value


def _list(value: Any) -> list[dict[str, Any]]:
    """The objects in a list (none when `value` is not a list)."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """`obj[name]` with the key matched whatever its case ('RecognizedPhrases' for 'recognizedPhrases'); `default`
    when `obj` has no such key."""
    if not isinstance(obj, dict):
        return default
    if name in obj:
        return obj[name]
    folded = name.casefold()
    return next((v for k, v in obj.items() if k.casefold() == folded), default)


def _ms(value: Any) -> float | None:
    """A time in milliseconds as seconds; None when not a time."""
    ms = to_seconds(value)
    return None if ms is None else ms / 1000


def _end(start: float | None, duration: float | None) -> float | None:
    """The end of a span given by its start and duration; None when either is unknown."""
    return None if start is None or duration is None else start + duration


def _label(value: Any) -> str:
    """A speaker id written as a label, 'Speaker <id>' (Gong gives ids, not names); '' when there is none."""
    return f"Speaker {value}" if value not in (None, "") else ""


def aws_transcribe(data: dict[str, Any]) -> Rows | None:
    """AWS Transcribe: `results.audio_segments` when they name speakers or channels; else
    `results.speaker_labels.segments`, whose words are found in `results.items` by start time in one pass (a
    punctuation item, which has no time, goes with the word before it); else the channels of channel
    identification (`_aws_channels`); else (no diarization) the transcript without speakers."""
    results = _at(data, "results")
    if not isinstance(_at(results, "items"), list) or not isinstance(_at(results, "transcripts"), list):
        return None
    audio = _list(results.get("audio_segments"))
    labelled = _list(_at(results, "speaker_labels", "segments"))
    channels = _list(_at(results, "channel_labels", "channels"))
    if audio and (any(s.get("speaker_label") or s.get("channel_label") for s in audio) or not (labelled or channels)):
        return [{"speaker": s.get("speaker_label") or s.get("channel_label"), "text": s.get("transcript"),
                 "start": to_seconds(s.get("start_time")), "end": to_seconds(s.get("end_time"))} for s in audio]
    if not labelled and channels:
        return _aws_channels(channels)
    if not labelled:
        return [{"text": _at(results, "transcripts", 0, "transcript")}]
    owner = {to_seconds(w.get("start_time")): i for i, s in enumerate(labelled) for w in _list(s.get("items"))}
    texts: list[list[str]] = [[] for _ in labelled]
    current: int | None = None
    for item in _list(results["items"]):
        content = str(_at(item, "alternatives", 0, "content") or "")
        if item.get("type") == "pronunciation":
            current = owner.get(to_seconds(item.get("start_time")), current)
            content = " " + content
        if current is not None:
            texts[current].append(content)
    return [{"speaker": s.get("speaker_label"), "text": "".join(text), "start": to_seconds(s.get("start_time")),
             "end": to_seconds(s.get("end_time"))} for s, text in zip(labelled, texts, strict=True)]


def _aws_channels(channels: Rows) -> Rows:
    """AWS Transcribe with channel identification (a call recorded with one party a channel): each channel's words,
    its punctuation attached, put in time order, and a row for each run of one channel's words, named as the file
    names the channel ('ch_0')."""
    words: list[list[Any]] = []  # start, end, channel, text
    for channel in channels:
        label, mine = channel.get("channel_label"), False
        for item in _list(channel.get("items")):
            content = str(_at(item, "alternatives", 0, "content") or "")
            if item.get("type") == "pronunciation":
                words.append([to_seconds(item.get("start_time")), to_seconds(item.get("end_time")), label, content])
                mine = True
            elif mine:
                words[-1][3] += content
    words.sort(key=lambda w: (w[0] is None, w[0] or 0.0))
    rows: Rows = []
    for start, end, label, text in words:
        if rows and rows[-1]["speaker"] == label:
            rows[-1]["text"] += " " + text
            rows[-1]["end"] = end
        else:
            rows.append({"speaker": label, "text": text, "start": start, "end": end})
    return rows


_ISO_DURATION = re.compile(r"PT(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?")


def _azure_seconds(phrase: dict[str, Any], name: str) -> float | None:
    """Azure's `offset`/`duration` as seconds: from ticks (`offsetInTicks`, 10,000,000 a second), else from the
    ISO 8601 duration ('PT1M2.5S')."""
    ticks = to_seconds(_get(phrase, f"{name}InTicks"))
    if ticks is not None:
        return ticks / 10_000_000
    m = _ISO_DURATION.fullmatch(str(_get(phrase, name) or ""))
    parts = [to_seconds(v or 0) for v in m.groups()] if m else [None]
    if None in parts:  # not a duration ('PT1.2.3S')
        return None
    return sum(v * k for v, k in zip(parts, (3600, 60, 1), strict=True))  # type: ignore[operator]


def azure_batch(data: dict[str, Any]) -> Rows | None:
    """Azure Speech batch transcription: `recognizedPhrases[]`, each with `speaker` (when diarization was on) and
    its best recognition, `nBest[0].display`. Keys are matched whatever their case, as a result file read into the
    classes of Azure's .NET batch client sample and written out again has them in Pascal case (`RecognizedPhrases`,
    `NBest`, `Speaker`, `OffsetInTicks`)."""
    phrases = _get(data, "recognizedPhrases")
    if not isinstance(phrases, list):
        return None
    rows = []
    for phrase in _list(phrases):
        best = _at(_get(phrase, "nBest"), 0) or {}
        start, duration = _azure_seconds(phrase, "offset"), _azure_seconds(phrase, "duration")
        rows.append({"speaker": _get(phrase, "speaker", _get(best, "speaker")), "text": _get(best, "display"),
                     "start": start, "end": _end(start, duration)})
    return rows


def azure_fast(data: dict[str, Any]) -> Rows | None:
    """Azure Speech fast transcription (`transcriptions:transcribe`): `phrases[]` with `speaker` (when diarization
    was on), `text`, and `offsetMilliseconds`/`durationMilliseconds`; `combinedPhrases` is the same text joined."""
    phrases = data.get("phrases")
    if not isinstance(phrases, list) or ("combinedPhrases" not in data
                                         and not any("offsetMilliseconds" in p for p in _list(phrases))):
        return None
    rows = []
    for phrase in _list(phrases):
        start, duration = _ms(phrase.get("offsetMilliseconds")), _ms(phrase.get("durationMilliseconds"))
        rows.append({"speaker": phrase.get("speaker"), "text": phrase.get("text"), "start": start,
                     "end": _end(start, duration)})
    return rows


def google_speech(data: dict[str, Any]) -> Rows | None:
    """Google Speech-to-Text: v1 (`recognize`, or `longrunningrecognize` under `response`) and v2 (`recognize`, the
    `batchRecognize` results written to Cloud Storage, and its answer with the results inline, `_google_batch`), all
    `results[]` whose top alternatives hold the words. With diarization each word names its speaker
    (`_google_speaker`) and has v1's `startTime`/`endTime` or v2's `startOffset`/`endOffset`; consecutive words of one
    speaker are a row. Keys are read as the JSON mapping writes them or by their proto names (`_proto`)."""
    results = _at(data, "response", "results") if "response" in data else data.get("results")
    return _google_batch(results) if isinstance(results, dict) else _google_results(results)


def _google_results(results: Any) -> Rows | None:
    """The rows of a `results[]` (see `google_speech`), or None when it is not one."""
    if not isinstance(results, list) or not results or not all(isinstance(r, dict) and "alternatives" in r
                                                               for r in results):
        return None
    tops = [_at(r, "alternatives", 0) or {} for r in results]
    words = _google_words(tops)
    if not words:  # not diarized: the transcripts, without speakers
        return [{"text": a.get("transcript")} for a in tops]
    rows: Rows = []
    for w in words:
        speaker, start, end = _google_speaker(w), _google_time(w, "start"), _google_time(w, "end")
        if rows and rows[-1]["speaker"] == speaker:
            rows[-1]["text"] += " " + str(w.get("word", ""))
            rows[-1]["end"] = end
        else:
            rows.append({"speaker": speaker, "text": str(w.get("word", "")), "start": start, "end": end})
    return rows


def _google_batch(files: dict[str, Any]) -> Rows | None:
    """v2's `batchRecognize` answer with the results inline: `results` maps each audio file's URI to its result, the
    file's `results[]` under `inlineResult.transcript` (earlier, `transcript`). A conversation per file, named by the
    file as a file read alone is ('gs://calls/intro.wav' -> 'intro'; see `_distinct`); a file without results (its
    `error`) is an empty one, so it is an error row rather than lost. None when no file's results are inline (they
    were written to Cloud Storage, or `results` is another tool's)."""
    found = [_google_results(_at(_proto(r, "inlineResult") or r, "transcript", "results")) for r in files.values()]
    if all(rows is None for rows in found):
        return None
    ids = _distinct([conversation_id(uri) for uri in files])
    return [dict(row, conversation_id=cid) for cid, rows in zip(ids, found, strict=True) for row in rows or [{}]]


def _proto(obj: Any, name: str) -> Any:
    """A protobuf message's field as the JSON mapping names it (`speakerLabel`), else by its proto name
    (`speaker_label`), as Python's `Message.to_dict` and `MessageToDict(preserving_proto_field_name=True)` write it."""
    if not isinstance(obj, dict):
        return None
    return obj[name] if name in obj else obj.get(_snake(name))


@functools.cache
def _snake(name: str) -> str:
    """A camelCase name in snake_case: 'startOffset' -> 'start_offset'."""
    return re.sub(r"[A-Z]", lambda m: "_" + m[0].lower(), name)


def _google_speaker(word: dict[str, Any]) -> Any:
    """A word's speaker: v2's (and later v1's) `speakerLabel`, a number ('1') as 'Speaker 1', as v1's `speakerTag` 1
    reads, and a role ('patient') as it is; else v1's `speakerTag`; None when it names none (v1's 0 is unset)."""
    label = _proto(word, "speakerLabel")
    if isinstance(label, str) and label.strip().isdecimal():
        return _label(label.strip())
    return label or _proto(word, "speakerTag")


def _google_time(word: dict[str, Any], edge: str) -> float | None:
    """A word's `edge` ('start' or 'end') in seconds: v1's `startTime`, v2's `startOffset` ('1.500s')."""
    time = _proto(word, f"{edge}Time")
    return to_seconds(_proto(word, f"{edge}Offset") if time is None else time)


def _google_words(tops: list[dict[str, Any]]) -> Rows:
    """The words naming a speaker in the results' top alternatives, in order. v1 repeats every word so far, with its
    speaker, in a later result (its last holds them all), while v2 gives each result its own words: a result whose
    words start again where those taken so far start replaces them, and any other follows them."""
    words: Rows = []
    for alternative in tops:
        mine = _list(alternative.get("words"))
        if not any(_google_speaker(w) for w in mine):
            continue
        if words and _google_restarts(words, mine):
            words = mine
        else:
            words.extend(mine)
    return words


def _google_restarts(words: Rows, mine: Rows) -> bool:
    """Whether a result's words start again from the first of `words`: by their start times, or, without times,
    because they begin with all of `words` (compared no further than `mine` goes, so a call of many results is read
    in linear time)."""
    start, first = _google_time(mine[0], "start"), _google_time(words[0], "start")
    if start is not None and first is not None:
        return start <= first
    return len(mine) >= len(words) and all(a.get("word") == b.get("word") for a, b in zip(mine, words, strict=False))


def rev_ai(data: dict[str, Any]) -> Rows | None:
    """Rev.ai: `monologues[]` with `speaker` (a number; `speaker_info.display_name` or `speaker_name` when named)
    and `elements[]`, whose `text` and `punct` values joined as they are (spaces are punct elements) are the text."""
    monologues = _list(data.get("monologues"))
    if not any(isinstance(m.get("elements"), list) for m in monologues):
        return None
    rows = []
    for m in monologues:
        elements = [e for e in _list(m.get("elements")) if e.get("type") in ("text", "punct")]
        timed = [e for e in elements if e.get("ts") is not None]
        name = _at(m, "speaker_info", "display_name") or m.get("speaker_name")
        rows.append({"speaker": name or m.get("speaker"), "text": "".join(str(e.get("value", "")) for e in elements),
                     "start": to_seconds(timed[0]["ts"]) if timed else None,
                     "end": to_seconds(timed[-1].get("end_ts")) if timed else None})
    return rows


def deepgram_paragraphs(data: dict[str, Any]) -> Rows | None:
    """Deepgram with `paragraphs=true` (and no `utterances`, which the reader takes first): the sentences of each
    channel's `alternatives[0].paragraphs.paragraphs[]`, each with its paragraph's `speaker`. A multichannel call (one
    party a channel) names each party by its channel, 'Channel 1', with its speaker when diarized too."""
    channels = _list(_at(data, "results", "channels"))
    found = [_at(c, "alternatives", 0, "paragraphs", "paragraphs") for c in channels]
    if not any(isinstance(p, list) for p in found):
        return None

    def who(n: int, speaker: Any) -> Any:
        if len(channels) == 1:
            return speaker
        return f"Channel {n}" if speaker in (None, "") else f"Channel {n} speaker {speaker}"

    return [{"speaker": who(n, p.get("speaker")), "text": s.get("text"), "start": to_seconds(s.get("start")),
             "end": to_seconds(s.get("end"))}
            for n, paragraphs in enumerate(found) for p in _list(paragraphs) for s in _list(p.get("sentences"))]


def fireflies(data: dict[str, Any]) -> Rows | None:
    """Fireflies API: the GraphQL answer for one transcript, `data.transcript.sentences[]` (or the transcript object
    on its own), or for several, `data.transcripts[]` (or `{"transcripts": [...]}` without the `data` envelope, or
    the list alone, which `diarized` hands over so), a conversation per transcript named by its `id`, as Gong's calls
    are (see `_fireflies_ids`)."""
    several = _at(data, "data", "transcripts") or data.get("transcripts")
    if isinstance(several, list) and any(isinstance(t.get("sentences"), list) for t in _list(several)):
        transcripts = _list(several)
        return [dict(row, conversation_id=cid)
                for t, cid in zip(transcripts, _fireflies_ids(transcripts), strict=True) for row in _fireflies_sentences(t)]
    transcript = _at(data, "data", "transcript") or data.get("transcript") or data
    if not isinstance(_at(transcript, "sentences"), list):
        return None
    return _fireflies_sentences(transcript)


def _fireflies_ids(transcripts: list[dict[str, Any]]) -> list[str]:
    """Each transcript's conversation id: its `id`, else its `title` and its place in the list ('Intro call-2'),
    else that place alone (both fields are optional in the query; see `_distinct`)."""
    return _distinct([str(t.get("id") or "").strip()
                      or "-".join(filter(None, (str(t.get("title") or "").strip(), str(n))))
                      for n, t in enumerate(transcripts, 1)])


def _distinct(names: list[str]) -> list[str]:
    """The conversation ids of the transcripts of one file so named: titles and file names repeat ('Weekly sync'),
    so a name already taken gets its place in the list too ('Weekly sync-3'): two transcripts are never one
    conversation."""
    ids: list[str] = []
    for n, cid in enumerate(names, 1):
        while cid in ids:
            cid = f"{cid}-{n}"
        ids.append(cid)
    return ids


def _fireflies_sentences(transcript: dict[str, Any]) -> Rows:
    """A Fireflies transcript's `sentences[]` with `speaker_name` (else 'Speaker <speaker_id>'), `text` and
    `start_time`/`end_time` in seconds."""
    return [{"speaker": s.get("speaker_name") or _label(s.get("speaker_id")), "text": s.get("text"),
             "start": to_seconds(s.get("start_time")), "end": to_seconds(s.get("end_time"))}
            for s in _list(transcript.get("sentences"))]


def gong(data: dict[str, Any]) -> Rows | None:
    """Gong API `/v2/calls/transcript`: `callTranscripts[]`, one conversation per `callId`, each a `transcript[]`
    of monologues with a `speakerId` and `sentences[]` (`text`, `start`/`end` in milliseconds). The file names
    no one, so speakers are 'Speaker <speakerId>'."""
    calls = data.get("callTranscripts")
    if not isinstance(calls, list):
        return None
    return [{"conversation_id": call.get("callId"), "speaker": _label(mono.get("speakerId")), "text": s.get("text"),
             "start": _ms(s.get("start")), "end": _ms(s.get("end"))}
            for call in _list(calls) for mono in _list(call.get("transcript")) for s in _list(mono.get("sentences"))]


# The exports read, by tool, tried in this order.
ADAPTERS: tuple[tuple[str, Callable[[dict[str, Any]], Rows | None]], ...] = (
    ("AWS Transcribe", aws_transcribe),
    ("Azure Speech batch transcription", azure_batch),
    ("Azure Speech fast transcription", azure_fast),
    ("Google Speech-to-Text (v1 and v2)", google_speech),
    ("Rev.ai", rev_ai),
    ("Deepgram paragraphs", deepgram_paragraphs),
    ("Fireflies", fireflies),
    ("Gong", gong),
)


def vendor_rows(data: dict[str, Any]) -> Rows | None:
    """The rows of the first tool whose shape `data` has, or None when it has none of them."""
    return next((rows for _, adapter in ADAPTERS if (rows := adapter(data)) is not None), None)
