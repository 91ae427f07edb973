"""Reciprocity metrics per speaker: what each side gave, what each side asked for."""

from __future__ import annotations

from collections.abc import Sequence

from reciprocity_nlp.ratings import TaggedSentence


def speaker_metrics(sentences: Sequence[TaggedSentence], speaker: str) -> dict[str, float | bool | None]:
    """Soft counts (sums of act probabilities) and the give/ask balance of one speaker.

    - `value_given`, `info_asked`, `actions_asked`, `rapport`, `pitch`: expected sentence counts;
    - `gave_before_asking`: the speaker's first `give_value` sentence came before their first ask
      (None when they never asked);
    - `questions_answered`: share of the other side's `extract_info` sentences followed, in the
      speaker's next turn, by at least one `give_value` sentence (None when nobody asked);
    - `reciprocity_index`: value given / (value given + information and actions asked), 0..1
      (None when the speaker neither gave nor asked).
    """
    mine = [s for s in sentences if s.speaker == speaker]
    total = {a: sum(s.probs.get(a, 0.0) for s in mine) for a in ("give_value", "extract_info", "push", "rapport", "pitch")}
    first_give = next((i for i, s in enumerate(mine) if s.act == "give_value"), None)
    first_ask = next((i for i, s in enumerate(mine) if s.act in ("extract_info", "push")), None)
    denominator = total["give_value"] + total["extract_info"] + total["push"]

    questions: dict[int, int] = {}  # turn -> its extract_info sentences
    gives: set[int] = set()  # turns with a give_value sentence
    speaker_of: dict[int, str] = {}
    for s in sentences:
        speaker_of[s.turn] = s.speaker
        if s.act == "extract_info":
            questions[s.turn] = questions.get(s.turn, 0) + 1
        elif s.act == "give_value":
            gives.add(s.turn)
    asked = answered = 0
    reply = None  # the speaker's next turn after the one being looked at (walking backwards)
    for t in sorted(speaker_of, reverse=True):
        if speaker_of[t] == speaker:
            reply = t
        elif questions.get(t):
            asked += questions[t]
            if reply is not None and reply in gives:
                answered += questions[t]
    return {
        "sentences": len(mine),
        "value_given": round(total["give_value"], 3),
        "info_asked": round(total["extract_info"], 3),
        "actions_asked": round(total["push"], 3),
        "rapport": round(total["rapport"], 3),
        "pitch": round(total["pitch"], 3),
        "gave_before_asking": None if first_ask is None else (first_give is not None and first_give < first_ask),
        "questions_answered": round(answered / asked, 3) if asked else None,
        "reciprocity_index": round(total["give_value"] / denominator, 3) if denominator > 0 else None,
    }


def conversation_metrics(sentences: Sequence[TaggedSentence], speakers: Sequence[str]) -> dict[str, dict[str, float | bool | None]]:
    """`speaker_metrics` for every speaker."""
    return {s: speaker_metrics(sentences, s) for s in speakers}
