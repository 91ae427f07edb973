"""Which speaker is the agent: resolved from what the user typed (a name, an address, a label, or the team's mail
domain, '@brightpath.com'), or guessed and reported.

The guess, when no agent is given, is the speaker with the most agent cues: introducing
themselves with a firm ("it's Sam from Northbridge", "calling from": 3 points each), talking
about a role, client, opportunity, product, offer or price (1 point a word), asking questions
(half a point each), speaking for a firm ("we", "our": up to a few points, by density), and
starting the conversation (2 points on a call, since candidates often answer the phone first
with "Hello?"; 4 points in email, where outreach usually starts with the agent). A one-sided
thread is its sender's. Quoted text whose author is unknown ("Unknown sender") is never the agent
while a named speaker is there.
A model trained by `reciprocity train` also carries a learned guess (`reciprocity_nlp.agent_model`):
a logistic regression over the same cues, measured separately, plus a few more (see
`speaker_cues`); with it, the speaker it scores highest is the guess. The rules above remain the
fallback for models without one.
The choice and its reason are written to `conversation.metadata["agent"]` and
`["agent_source"]` so that reports can show it.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from reciprocity_nlp.conversation import UNKNOWN_SENDER, UNKNOWN_SPEAKER, Conversation
from reciprocity_nlp.readers.speakers import label_key, person_key, short_for
from reciprocity_nlp.wording import count

if TYPE_CHECKING:
    from reciprocity_nlp.agent_model import AgentClassifier

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
_YOU = re.compile(r"\b(?:you|your|you're|you've|you'll)\b", re.I)
_HYPE = re.compile(r"\b(?:best|leading|number one|exclusive|perfect|amazing|incredible|fantastic|exciting|"
                   r"great opportunity|unique|guarantee\w*)\b", re.I)
_ASK = re.compile(r"\b(?:can you|could you|would you|please|let me know|send me|are you|do you|have you)\b", re.I)

# The cues `speaker_cues` measures for each speaker, in order: what the learned guess reads.
CUES = ("introductions", "offer_words", "questions", "firm_talk_rate", "speaks_first", "speaks_first_in_email",
        "turn_share", "word_share", "you_rate", "hype_words", "asks", "speaks_last", "offer_words_log",
        "questions_log")


class AgentError(ValueError):
    """`agent=` names nobody in the conversation, or more than one speaker. The message names the file (or
    conversation) and the reason; `reason` alone is what a score row's `error` cell holds, beside its path."""

    def __init__(self, where: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{where}: {reason}")


def resolve_agent(conversation: Conversation, agent: str) -> str:
    """The speaker meant by `agent`: a display name, an email address (any the speaker wrote from), a diarization
    label (`SPEAKER_01`, also after a speaker-name map renamed it), a unique prefix of a speaker's name, or a full
    name of which one speaker's label is a short form ('Dana W.', 'MARCUS' for 'Dana Whitfield', 'Marcus Bell') or
    which names it last name first ('Whitfield, Dana (Brightpath)', as Teams shows directory names), compared as
    `label_key` gives them (accents, case and spacing ignored: a manifest or CRM often spells a name a little
    differently from the export)."""
    speakers = conversation.speakers
    wanted = label_key(agent)
    for s in speakers:
        if label_key(s) == wanted:
            return s
    for label, s in (conversation.metadata.get("speaker_labels") or {}).items():
        if label_key(label) == wanted and s in speakers:  # a label the reader or a speaker-name map renamed
            return s
    people = [s for s in speakers if person_key(label_key(s)) == person_key(wanted)]
    if len(people) == 1:  # 'Dana Whitfield' for a Teams label 'Whitfield, Dana (Brightpath)', and the reverse
        return people[0]
    for name in speakers:
        if any(label_key(addr) == wanted for addr in addresses_of(conversation, name)):
            return name
    matches = [s for s in speakers if label_key(s).startswith(wanted)]
    if not matches:
        matches = [s for s in speakers if any(w.startswith(wanted) for w in label_key(s).split())]
    if not matches:  # a manifest's full name for the export's short form: 'Dana Whitfield' is 'Dana W.', 'MARCUS'
        matches = [s for s in speakers if short_for(label_key(s), wanted)]
    if len(matches) == 1:
        return matches[0]
    where = conversation.source or conversation.id
    if matches:
        raise AgentError(where, f"agent {agent!r} matches several speakers: {', '.join(matches)}")
    raise AgentError(where, f"agent {agent!r} is not a speaker; speakers are: {', '.join(speakers)}")


def candidates(conversation: Conversation) -> list[str]:
    """The speakers who may be the agent: the named ones (quoted text with no author, or a transcript line
    with no speaker, is never the agent while a named speaker is there), in order of first appearance."""
    speakers = conversation.speakers
    return [s for s in speakers if s not in (UNKNOWN_SENDER, UNKNOWN_SPEAKER)] or speakers


def speaker_cues(conversation: Conversation) -> dict[str, list[float]]:
    """Per candidate speaker, the `CUES` the learned guess reads, from the turns' raw text."""
    speakers = candidates(conversation)
    turns = [t for t in conversation.turns if t.speaker in speakers]
    total_words = sum(len(t.text.split()) for t in turns) or 1
    out = {}
    for s in speakers:
        mine = [t for t in turns if t.speaker == s]
        text = " ".join(t.text for t in mine)
        words = len(text.split()) or 1
        offer, questions = len(_OFFER.findall(text)), text.count("?")
        first = float(turns[0].speaker == s)
        out[s] = [len(_INTRO.findall(text)), offer, questions, len(_FIRM.findall(text)) / words, first,
                  first * (conversation.channel == "email"), len(mine) / len(turns), words / total_words,
                  len(_YOU.findall(text)) / words, len(_HYPE.findall(text)), len(_ASK.findall(text)),
                  float(turns[-1].speaker == s), math.log1p(offer), math.log1p(questions)]
    return out


def guess_agent(conversation: Conversation, model: AgentClassifier | None = None,
                among: list[str] | None = None) -> tuple[str, str]:
    """(agent, reason): the learned guess when a model is given, else the documented heuristic; the choice is made
    among the speakers `among` names when given (the cues are still measured over the whole conversation)."""
    if len(conversation.speakers) == 1:
        return conversation.speakers[0], "the only speaker"
    speakers = candidates(conversation)
    if len(speakers) == 1:
        rest = "is quoted text with no author" if conversation.channel == "email" else "names no speaker"
        return speakers[0], f"the only named speaker (the rest {rest})"
    allowed = [s for s in speakers if among is None or s in among]
    if model is not None:
        cues = speaker_cues(conversation)
        scores = dict(zip(cues, model.decision_function(list(cues.values())), strict=True))
        return max(allowed, key=lambda s: scores[s]), "the most agent-like speaker by the learned guess"
    scores = {s: 0.0 for s in speakers}
    for i, turn in enumerate(t for t in conversation.turns if t.speaker in scores):
        text = turn.text
        scores[turn.speaker] += 3 * len(_INTRO.findall(text))
        scores[turn.speaker] += len(_OFFER.findall(text))
        scores[turn.speaker] += 0.5 * text.count("?")
        scores[turn.speaker] += 5 * len(_FIRM.findall(text)) / max(1, len(text.split()))
        if i == 0:
            scores[turn.speaker] += 4 if conversation.channel == "email" else 2
    best = max(allowed, key=lambda s: (scores[s], -speakers.index(s)))
    return best, "most introductions, offer talk, firm talk and questions"


def is_domain(agent: str) -> bool:
    """Whether an agent given by the user is the team's mail domain ('@brightpath.com'), not a speaker."""
    return agent.strip().startswith("@")


def domain_speakers(conversation: Conversation, domain: str) -> list[str]:
    """The candidate speakers who write from `domain` ('@brightpath.com'; a subdomain such as 'mail.brightpath.com'
    counts), by the email addresses the reader found, in order of first appearance."""
    wanted = domain.strip().lstrip("@").rstrip(".").lower()
    hosts = {s: {a.rpartition("@")[2].lower() for a in addresses_of(conversation, s)} for s in candidates(conversation)}
    return [s for s, found in hosts.items() if wanted and any(h == wanted or h.endswith("." + wanted) for h in found)]


def addresses_of(conversation: Conversation, speaker: str) -> list[str]:
    """Every address a speaker wrote from in an email thread (`metadata["addresses"]`, then `["other_addresses"]`)."""
    first = (conversation.metadata.get("addresses") or {}).get(speaker)
    others = (conversation.metadata.get("other_addresses") or {}).get(speaker) or []
    return [str(a) for a in [first, *others] if a]


def _by_domain(conversation: Conversation, domain: str, model: AgentClassifier | None) -> tuple[str, str]:
    """(agent, source) for an agent given as a domain: the one speaker writing from it, else the guess among those
    who do; an AgentError naming the speakers' addresses when none does."""
    found = domain_speakers(conversation, domain)
    if not found:
        raise _no_domain_speaker(conversation, domain)
    if len(found) == 1:
        return found[0], f"given: the only speaker writing from {domain}"
    name, reason = guess_agent(conversation, model, among=found)
    return name, f"guessed among the {len(found)} speakers writing from {domain}: {reason}"


def _no_domain_speaker(conversation: Conversation, domain: str) -> AgentError:
    seen = ", ".join(f"{s} <{', '.join(found)}>" for s in conversation.speakers if (found := addresses_of(conversation, s)))
    why = (f"speakers write from: {seen}" if seen else
           "it holds no email addresses (a call, or a thread pasted without them): give the agent's name")
    return AgentError(conversation.source or conversation.id, f"agent {domain!r}: no speaker writes from that "
                                                              f"domain; {why}")


def one_speaker_warning(conversation: Conversation) -> str | None:
    """Why a call's ratings mean little when only one speaker talks in it, or only one is named and the rest of it
    is `Unknown`'s (lines read with no speaker: the counterpart is then a guess), or None. The ratings and
    reciprocity metrics weigh the agent against the other side, and the models learned from calls that all have one;
    a single email with no reply is usual (outreach), and the models learned from many, so only calls are named."""
    speakers = conversation.speakers
    if conversation.channel != "call":
        return None
    if len(speakers) == 1:
        return (f"only one speaker ({speakers[0]}): a call with no counterpart, so its ratings and reciprocity "
                "metrics, which weigh the agent against the other side, mean little; check the transcript's speaker "
                "labels")
    named = [s for s in speakers if s != UNKNOWN_SPEAKER]
    if len(named) != 1:
        return None
    unnamed = sum(t.speaker == UNKNOWN_SPEAKER for t in conversation.turns)
    return (f"only one named speaker ({named[0]}): {count(unnamed, 'turn')} {'names' if unnamed == 1 else 'name'} no "
            f"speaker ('{UNKNOWN_SPEAKER}'), so who the counterpart is, and which lines are theirs, is a guess, and the "
            "ratings and reciprocity metrics, which weigh the agent against the other side, rest on it; check the "
            "transcript's speaker labels")


def given_agent(conversation: Conversation, agent: object) -> str | None:
    """The agent as given, or None when none is (None, or a blank string, as a manifest's empty cell); an AgentError
    naming the speakers for anything but a string, such as a speaker's position (`agent=0` would otherwise be
    falsy, and guessed)."""
    if agent is None or isinstance(agent, str):
        return agent if agent and agent.strip() else None
    speakers = conversation.speakers
    at = (f" (conversation.speakers[{agent}] is {speakers[agent]!r})"
          if isinstance(agent, int) and not isinstance(agent, bool) and 0 <= agent < len(speakers) else "")
    raise AgentError(conversation.source or conversation.id, f"agent {agent!r} is not a name; give a speaker's name, "
                                                            f"address or label, or None to guess{at}; speakers are: "
                                                            f"{', '.join(speakers)}")


def check_agent(conversation: Conversation, agent: str) -> None:
    """The AgentError `assign_agent` would raise for `agent`, raised before any analysis (a domain that several
    speakers write from is no error: the guess chooses among them)."""
    agent = given_agent(conversation, agent)
    if agent is None:
        return
    if is_domain(agent):
        if not domain_speakers(conversation, agent):
            raise _no_domain_speaker(conversation, agent.strip())
    else:
        resolve_agent(conversation, agent)


def assign_agent(conversation: Conversation, agent: str | None = None, model: AgentClassifier | None = None) -> str:
    """Resolve or guess the agent (with the learned `model` when there is one), record the choice
    in the conversation's metadata, return it. An `agent` that starts with '@' is the team's mail domain: the
    speaker writing from it is the agent, and when several do, the guess is made among them. The agent already
    recorded, given again (a batch assigns agents before it analyses them), stays as it was found. A blank `agent` is
    none; one that is not a string (a speaker's position) is an AgentError (see `given_agent`)."""
    agent = given_agent(conversation, agent)
    if agent and agent == conversation.metadata.get("agent") and conversation.metadata.get("agent_source"):
        return agent
    if agent and is_domain(agent):
        name, source = _by_domain(conversation, agent.strip(), model)
    elif agent:
        name, source = resolve_agent(conversation, agent), "given"
    else:
        name, reason = guess_agent(conversation, model)
        source = f"guessed: {reason}"
    conversation.metadata["agent"] = name
    conversation.metadata["agent_source"] = source
    return name
