"""Hand-written word lists behind the lexicon and politeness features.

Written for this project from the label definitions (LABELS.md) and from the politeness
strategies of Danescu-Niculescu-Mizil et al. (2013). They were not derived from, or tuned on,
any evaluation dataset. Phrases are matched on lower-cased tokens with spaCy's PhraseMatcher,
so "ASAP" and "asap" match alike.
"""

from __future__ import annotations

PHRASES: dict[str, tuple[str, ...]] = {
    "urgency": (
        "asap", "as soon as possible", "today", "tonight", "right now", "right away", "immediately",
        "urgent", "urgently", "by end of day", "end of day", "eod", "by tomorrow", "first thing",
        "this afternoon", "this morning", "by friday", "by monday", "deadline", "time-sensitive",
        "time sensitive", "no time to lose", "before it's gone", "quickly", "straight away", "now or never",
        "within the hour", "by 5pm", "by five", "cut-off", "cutoff", "closing date", "expires",
        "don't wait", "don't miss", "hurry", "act now", "last chance", "final chance", "today only",
    ),
    "scarcity": (
        "only two", "only three", "only one", "only a few", "limited", "spots left", "places left",
        "slots left", "going fast", "selling fast", "won't last", "while stocks last", "last one",
        "last few", "other candidates", "other buyers", "other people interested", "someone else",
        "goes to someone else", "few left", "filling up", "almost gone", "high demand", "exclusive",
        "won't be around", "before someone else",
    ),
    "hype": (
        "best", "number one", "no. 1", "#1", "leading", "market-leading", "market leader", "world-class",
        "world class", "best-in-class", "best in class", "cutting-edge", "cutting edge", "game-changer",
        "game changer", "game-changing", "revolutionary", "incredible", "amazing", "fantastic", "unbeatable",
        "unrivalled", "unrivaled", "second to none", "once-in-a-lifetime", "once in a lifetime", "dream job",
        "dream role", "perfect fit", "perfect opportunity", "exciting opportunity", "fantastic opportunity",
        "amazing opportunity", "incredible opportunity", "huge opportunity", "top-tier", "top tier",
        "premier", "award-winning", "award winning", "industry-leading", "industry leading", "unmatched",
        "state-of-the-art", "state of the art", "best-kept secret", "rockstar", "rock star", "top talent",
        "the very best", "nobody else", "no one else", "like no other", "hands down", "the only",
        "massive", "huge", "phenomenal", "outstanding", "exceptional", "unique", "seamless", "powerful",
        "innovative", "transform", "transformational", "supercharge", "skyrocket", "10x", "guaranteed",
        "guarantee", "proven", "trusted by", "thousands of", "hundreds of", "fastest-growing",
        "fastest growing", "blue-chip", "blue chip", "prestigious", "elite", "premium",
    ),
    "please": ("please", "pls", "plz", "kindly"),
    "pleading": (
        "i really need", "really need", "i need this", "i'm begging",
        "begging", "desperate", "would mean a lot", "would mean the world", "as a favour", "as a favor",
        "do me a favour", "do me a favor", "help me out", "help a guy out", "i'd owe you", "i owe you",
        "my manager", "my boss", "my target", "my targets", "my numbers", "my quota", "on my back",
        "i'm under pressure", "under pressure", "just this once", "one more chance", "any chance",
        "i promise", "trust me", "i beg", "really appreciate it if", "i'd be so grateful",
        "so grateful", "hear back", "haven't heard", "not heard back", "no response", "any update",
        "any news", "just checking in", "checking in again", "following up", "follow up", "chasing",
        "bump", "bumping", "circling back", "one last time", "last attempt", "resurfacing",
    ),
    "hedge": (
        "maybe", "perhaps", "possibly", "i think", "i guess", "i suppose", "i believe", "might",
        "may", "sort of", "kind of", "kinda", "a bit", "a little", "somewhat", "probably", "roughly",
        "around", "about", "i wonder", "wondering", "if possible", "if you can", "no pressure",
        "no worries if not", "totally fine if not", "in case", "seems", "appears", "likely", "unlikely",
        "not sure", "i feel", "i'd say", "fairly", "quite", "just",
    ),
    "gratitude": (
        "thanks", "thank you", "thank u", "thx", "ta", "cheers", "appreciate", "appreciated",
        "grateful", "many thanks", "much appreciated", "thanks so much", "thanks a lot", "thanks heaps",
    ),
    "apology": (
        "sorry", "apologies", "apologise", "apologize", "my apologies", "my bad", "forgive me",
        "excuse me", "pardon", "i regret", "unfortunately", "sorry to bother", "sorry for the",
    ),
    "deference": (
        "great question", "good question", "fair question", "good point", "fair point", "you're right",
        "you are right", "that makes sense", "totally understand", "completely understand",
        "i understand", "understood", "absolutely", "of course", "certainly", "no problem", "happy to",
        "glad to", "fair enough", "respect that", "i hear you",
    ),
    "greeting": (
        "hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "morning",
        "afternoon", "dear", "g'day", "howdy", "greetings", "namaste", "kia ora",
    ),
    "signoff": (
        "best", "regards", "kind regards", "best regards", "warm regards", "cheers", "sincerely",
        "yours sincerely", "talk soon", "speak soon", "take care", "all the best", "bye", "goodbye",
        "see you", "speak later", "catch you later", "have a good", "have a great",
    ),
    "refusal": (
        "no", "nope", "not interested", "no thanks", "no thank you", "not looking", "not right now",
        "not now", "not at the moment", "not ready", "i'll pass", "pass on", "don't think so",
        "not for me", "not a good time", "bad time", "can't", "cannot", "won't", "wouldn't",
        "not keen", "rather not", "prefer not", "i'd rather not", "stop", "remove me", "unsubscribe",
        "take me off", "leave it", "not convinced", "too expensive", "no budget", "busy",
    ),
    "hesitation": (
        "not sure", "i'll think", "think about it", "let me think", "need to think", "sleep on it",
        "i don't know", "dunno", "hmm", "hm", "um", "uh", "maybe later", "need to check",
        "talk to my", "speak to my", "check with", "get back to you", "let you know", "unsure",
        "on the fence", "hesitant", "not ready", "need more time", "give me some time", "few days",
    ),
    "personal": (
        "weekend", "holiday", "family", "kids", "son", "daughter", "wife", "husband", "partner",
        "marathon", "birthday", "wedding", "baby", "new house", "move", "moved", "trip", "vacation",
        "hope you're well", "how are you", "how have you been", "how's", "how was", "congrats",
        "congratulations", "well done", "sounds tough", "that's tough", "sorry to hear", "glad to hear",
        "hope it went", "good luck", "all the best", "enjoy", "take care", "feel better", "get well",
        "lovely to", "great to hear", "nice to", "how did", "hope the",
    ),
    "intel": (
        "other agencies", "which agencies", "other recruiters", "who else", "where else",
        "interviewing", "other interviews", "other offers", "other processes", "hiring manager",
        "who's the hiring", "who is the hiring", "who makes the decision", "decision maker",
        "decision-maker", "budget", "current salary", "what are you on", "what you're on", "notice period",
        "who else are you", "which companies", "which firms", "your manager", "your boss", "contacts",
        "introduce me", "names", "who's hiring", "who is hiring", "headcount", "competitors",
        "current provider", "current supplier", "what are you paying", "how much are you paying",
        "who do you use", "which provider", "renewal date", "contract ends", "org chart", "reports to",
    ),
    "offer_help": (
        "happy to", "glad to", "i can send", "i'll send", "i can share", "i'll share", "i can introduce",
        "i'll introduce", "feel free", "let me know if", "if it helps", "would it help", "no strings",
        "no obligation", "free of charge", "at no cost", "my advice", "i'd suggest", "i'd recommend",
        "you might want", "worth knowing", "heads up", "for what it's worth", "tip", "resource",
        "template", "guide", "checklist", "benchmark", "feedback",
    ),
    "action_request": (
        "send me", "send over", "send through", "send your", "forward", "sign", "book", "schedule",
        "set up a call", "jump on a call", "hop on a call", "quick call", "put you forward",
        "submit", "apply", "confirm", "commit", "agree", "decide", "call me", "give me a call",
        "ring me", "reply", "get back to me", "let me know by", "fill in", "fill out", "click",
        "register", "sign up", "lock in", "secure", "reserve", "grab a", "pencil in", "put in the diary",
    ),
    "self_promotion": (
        "we are the", "we're the", "our clients", "our team", "our platform", "our product", "our solution",
        "our company", "our agency", "our firm", "we've placed", "we have placed", "we specialise",
        "we specialize", "we work with", "our track record", "we pride ourselves", "we've helped",
        "we have helped", "our customers", "i've placed", "i have placed", "my clients",
    ),
}

# Single tokens, matched on `token.lower_`.
_DIRECT_START = frozenset({"so", "then", "and", "but", "now", "ok", "okay", "right", "anyway"})

WORDS: dict[str, frozenset[str]] = {
    "wh": frozenset({"what", "where", "when", "who", "whom", "whose", "which", "why", "how"}),
    "aux": frozenset({
        "can", "could", "would", "will", "do", "does", "did", "is", "are", "was", "were", "have", "has",
        "had", "should", "shall", "may", "might", "must", "am", "ca", "wo", "'d", "'ll", "any", "anything",
    }),
    "modal": frozenset({"can", "could", "would", "will", "ca", "wo", "should", "might", "may"}),
    "counterfactual": frozenset({"could", "would", "might"}),
    "imperative": frozenset({
        "send", "let", "call", "give", "tell", "book", "sign", "click", "reply", "check", "have", "take",
        "make", "come", "join", "grab", "pop", "drop", "see", "look", "read", "review", "confirm", "forward",
        "ring", "text", "email", "message", "fill", "complete", "submit", "apply", "register", "choose",
        "pick", "decide", "consider", "think", "remember", "note", "keep", "bring", "share", "put",
        "get", "go", "try", "hop", "jump", "schedule", "accept", "approve", "attach", "upload", "update",
        "respond", "answer", "agree", "act", "hurry", "lock", "secure", "reserve", "trust", "please",
        "kindly", "do", "don't", "just", "ping", "shoot", "whatsapp", "dm",
    }),
    "please": frozenset(PHRASES["please"]),
    "first_person": frozenset({"i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd"}),
    "first_plural": frozenset({"we", "us", "our", "ours", "ourselves", "we're", "we've", "we'll", "we'd"}),
    "second_person": frozenset({"you", "your", "yours", "yourself", "u", "ur", "you're", "you've", "you'll",
                                "you'd", "ya", "y'all"}),
    "factuality": frozenset({"actually", "really", "honestly", "truly", "indeed", "fact", "obviously",
                             "clearly", "definitely", "literally", "genuinely"}),
    "direct_start": _DIRECT_START,
    # Words that may come before an imperative ("So also send..."): skipped to find its verb.
    "lead_in": _DIRECT_START | {"also", "oh", "hey", "hi", "yes", "yeah", "no", "well", "plus"},
    # Words between "could you" and the verb it asks for ("could you possibly be able to send...").
    "softener": frozenset({"please", "kindly", "just", "also", "possibly", "maybe", "perhaps", "still", "be",
                           "able", "willing", "open", "happy", "to", "mind"}),
    "currency": frozenset({"$", "£", "€", "₹", "¥", "s$", "a$", "nz$", "c$", "usd", "gbp", "eur", "inr",
                           "sgd", "aud", "nzd", "cad", "rs", "rs.", "lakh", "lakhs", "lpa", "crore", "k",
                           "grand", "bucks", "dollars", "pounds", "euros", "rupees", "per", "ctc", "salary",
                           "rate", "fee", "fees", "price", "pricing", "cost", "costs", "discount"}),
    "filler": frozenset({"um", "uh", "erm", "er", "ah", "hmm", "mm", "mhm", "mm-hm", "uh-huh", "like",
                         "yeah", "yep", "ok", "okay", "right", "sure", "cool", "great", "lovely", "grand"}),
}
