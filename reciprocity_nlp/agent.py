"""Which speaker is the agent: resolved from what the user typed, or guessed and reported.

The guess, when no agent is given, is the speaker with the most agent cues: introducing
themselves with a firm ("it's Sam from Northbridge", "calling from": 3 points each), talking
about a role, client, opportunity, product, offer or price (1 point a word), asking questions
(half a point each), speaking for a firm ("we", "our": up to a few points, by density), and
starting the conversation (2 points on a call, since candidates often answer the phone first
with "Hello?"; 4 points in email, where outreach usually starts with the agent). A one-sided
thread is its sender's. Quoted text whose author is unknown ("Unknown sender") is never the agent
while a named speaker is there.
The choice and its reason are written to `conversation.metadata["agent"]` and
`["agent_source"]` so that reports can show it.
"""

from __future__ import annotations

import re

from reciprocity_nlp.conversation import UNKNOWN_SENDER, Conversation

_INTRO = re.compile(
    r"\b(?:calling (?:from|about|regarding|on behalf)|it'?s \w+(?: \w+)? (?:from|at|over at|with) |"
    r"this is \w+(?: \w+)? (?:from|at|with) |my name is|i'?m \w+(?: \w+)? from )",
    re.I,
)
_OFFER = re.compile(
    r"\b(?:role|position|opportunit\w*|client|candidate|vacanc\w*|our (?:platform|product|team|"
    r"solution|service|software|offer|pricing|plans?)|demo|proposal|quote|package|renewal|"
    r"contract|hiring|interview\w*|cv|resume|résumé|salary|budget|commission|fee|discount)\b",
    re.I,
)


_FIRM = re.compile(r"\b(?:our|we|we're|we've|us)\b", re.I)


class AgentError(ValueError):
    """`agent=` names nobody in the conversation, or more than one speaker."""


def resolve_agent(conversation: Conversation, agent: str) -> str:
    """The speaker meant by `agent`: a display name, an email address, a diarization label
    (`SPEAKER_01`) or a unique case-insensitive prefix of a speaker's name."""
    speakers = conversation.speakers
    wanted = agent.strip().lower()
    for s in speakers:
        if s.lower() == wanted:
            return s
    addresses = conversation.metadata.get("addresses") or {}
    for name, addr in addresses.items():
        if str(addr).lower() == wanted and name in speakers:
            return name
    matches = [s for s in speakers if s.lower().startswith(wanted)]
    if not matches:
        matches = [s for s in speakers if any(w.startswith(wanted) for w in s.lower().split())]
    if len(matches) == 1:
        return matches[0]
    where = conversation.source or conversation.id
    if matches:
        raise AgentError(f"{where}: agent {agent!r} matches several speakers: {', '.join(matches)}")
    raise AgentError(f"{where}: agent {agent!r} is not a speaker; speakers are: {', '.join(speakers)}")


def guess_agent(conversation: Conversation) -> tuple[str, str]:
    """(agent, reason) by the documented heuristic."""
    speakers = conversation.speakers
    if len(speakers) == 1:
        return speakers[0], "the only speaker"
    named = [s for s in speakers if s != UNKNOWN_SENDER]
    if len(named) == 1:
        return named[0], "the only named speaker (the rest is quoted text with no author)"
    speakers = named or speakers
    scores = {s: 0.0 for s in speakers}
    for i, turn in enumerate(t for t in conversation.turns if t.speaker in scores):
        text = turn.text
        scores[turn.speaker] += 3 * len(_INTRO.findall(text))
        scores[turn.speaker] += len(_OFFER.findall(text))
        scores[turn.speaker] += 0.5 * text.count("?")
        scores[turn.speaker] += 5 * len(_FIRM.findall(text)) / max(1, len(text.split()))
        if i == 0:
            scores[turn.speaker] += 4 if conversation.channel == "email" else 2
    best = max(speakers, key=lambda s: (scores[s], -speakers.index(s)))
    return best, "most introductions, offer talk, firm talk and questions"


def assign_agent(conversation: Conversation, agent: str | None = None) -> str:
    """Resolve or guess the agent, record the choice in the conversation's metadata, return it."""
    if agent:
        name, source = resolve_agent(conversation, agent), "given"
    else:
        name, reason = guess_agent(conversation)
        source = f"guessed: {reason}"
    conversation.metadata["agent"] = name
    conversation.metadata["agent_source"] = source
    return name
