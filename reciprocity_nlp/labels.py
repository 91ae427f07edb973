"""The labelling scheme: sentence acts and agent ratings, with plain-words descriptions.

The names are the ones in LABELS.md; the descriptions are this project's own summary of it,
used in `--help`, reports and the README.
"""

from __future__ import annotations

ACTS = ("give_value", "extract_info", "push", "pitch", "rapport", "other")
LABELS = ("pushy", "salesy", "transactional", "selfish", "desperate")

ACT_DESCRIPTIONS = {
    "give_value": "gives the other side something useful: facts, advice, market data, a straight answer, an introduction",
    "extract_info": "asks for information the speaker wants (other interviews, agencies, salary, budget, decision makers)",
    "push": "presses for an action or commitment: send, sign, book, decide; deadlines, scarcity, repeated asks, pleading",
    "pitch": "promotes the speaker, their firm or product with hype and claims rather than checkable facts",
    "rapport": "builds the relationship: thanks, empathy, warmth, genuine personal interest",
    "other": "logistics, fillers, bare acknowledgements, greetings and sign-offs with no warmth",
}
LABEL_DESCRIPTIONS = {
    "pushy": "pressures the other side: urgency, deadlines, repeated asks, overriding a 'no' or 'not now'",
    "salesy": "sells rather than talks: hype, superlatives, self-promotion, a pitch whatever the other side needs",
    "transactional": "straight to the ask with nothing personal and no rapport, even when short and harmless",
    "selfish": "takes information or favours (intel on interviews, agencies, budgets, contacts) and gives little back",
    "desperate": "pleads or over-chases: begging, excessive apologies, chasing silence again and again, neediness",
}

# Which acts and lexicons show each rating at work, for the evidence sentences.
EVIDENCE = {
    "pushy": (("push",), ("urgency", "scarcity", "action_request")),
    "salesy": (("pitch",), ("hype", "self_promotion")),
    "transactional": (("extract_info", "push"), ()),
    "selfish": (("extract_info",), ("intel",)),
    "desperate": (("push",), ("pleading", "apology")),
}
