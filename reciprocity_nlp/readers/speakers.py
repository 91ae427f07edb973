"""One identity per person: across an email thread, whatever mix of name and address they appear under; in a
transcript, whatever case or short form of their name labels them."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import replace

from reciprocity_nlp.conversation import NOT_READ_BEFORE, SPEAKERS_NOT_READ, Conversation, Turn
from reciprocity_nlp.wording import json_problem

_SPELLED = re.compile(r"[._-]+")  # between the words of an address that spells a name: 'chris.doyle', 'dana_w'


def _name_key(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.lower()).strip()


# A sender name that a service or sales tool dresses up: 'Jana Mueller via LinkedIn', 'Chris from Ledgerly'.
# First words of a tool-made sender that is a team, not a person ('Billing from Stripe', 'The Team from Acme').
_DEPARTMENTS = frozenset({"the", "billing", "accounts", "finance", "payroll", "marketing", "info", "hello", "news",
                          "notifications", "security", "careers", "jobs", "recruiting", "talent", "people", "partners"})
_RELAYED = re.compile(r"(?P<name>[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’.-]*){0,2}) (?:via|from) [^\s,;<>@][^,;<>@]{0,60}")


def display_name(name: str) -> str:
    """Tidy a display name: strip quotes, turn Outlook's 'Patel, Sam' into 'Sam Patel', and take the person out
    of a relayed or tool-made name ('Jana Mueller via LinkedIn', 'Chris from Ledgerly'), so their mail from the
    service and from their own client is one person's."""
    name = name.strip().strip("'\"").strip()
    relayed = _RELAYED.fullmatch(name)
    if relayed and relayed.group("name").split()[0].casefold() not in _ROLES | _DEPARTMENTS:  # not 'Billing from Stripe'
        name = relayed.group("name").strip("'\"")  # Google Groups quotes it: "'Jana Mueller' via Hiring"
    m = re.fullmatch(r"([^\W\d_][\w'’-]*),\s*([^\W\d_][\w'’-]*)", name)
    if m:
        name = f"{m.group(2)} {m.group(1)}"
    return name


class SpeakerRegistry:
    """Merge (name, address) sightings into people.

    `Sam Patel <sam@x.com>`, `sam@x.com` and `Sam Patel` are one person: a sighting joins a
    person who shares its address or its name. The display name is the fullest name the person
    used as a sender (else the fullest seen, e.g. in a To header); a person seen only by address
    is named by the address.
    """

    def __init__(self) -> None:
        # Person number -> person, in the order people were made (a merged person is made anew, last). Keys of a
        # person: names (all display names), own (names used as sender), keys (match keys), addrs.
        self._people: dict[int, dict[str, set[str]]] = {}
        self._made = 0
        # Address -> the people who have it; match key -> the people who have it, and the people without an address
        # who have it: a sighting looks up only the people it may join, not every person seen (a To line may name
        # thousands).
        self._by_addr: dict[str, set[int]] = {}
        self._by_key: dict[str, set[int]] = {}
        self._bare_by_key: dict[str, set[int]] = {}

    def _find(self, name: str, addr: str) -> list[int]:
        """The people a sighting joins, in the order they were made: by its address when someone has it; else by its
        name, but never a person known by another address ('Sam <sam@bakery>' is not 'Sam Patel <sam@acme>', whose
        address also says 'sam')."""
        key, addr = _name_key(name), addr.lower()
        by_addr = sorted(self._by_addr.get(addr, ())) if addr else []
        if by_addr:
            return by_addr
        if not key:
            return []
        return sorted((self._bare_by_key if addr else self._by_key).get(key, ()))

    def add(self, name: str, addr: str, sender: bool = True) -> None:
        name, addr = display_name(name), addr.strip().lower()
        if not name and not addr:
            return
        if name and "@" in name and not addr:
            name, addr = "", name.lower()
        hits = self._find(name, addr)
        if sum(bool(self._people[n]["addrs"]) for n in hits) > 1:
            hits = hits[:1]  # a bare name fits people of different addresses: it joins one, it merges none
        person: dict[str, set[str]] = {"names": set(), "own": set(), "keys": set(), "addrs": set()}
        for n in hits:
            other = self._unindex(n)
            for k in person:
                person[k] |= other[k]
        if name:
            person["names"].add(name)
            person["keys"].add(_name_key(name))
            if sender:
                person["own"].add(name)
        if addr:
            person["addrs"].add(addr)
            local = addr.split("@")[0]
            person["keys"].add(_name_key(local))
        self._index(person)

    def _index(self, person: dict[str, set[str]]) -> None:
        n, self._made = self._made, self._made + 1
        self._people[n] = person
        for index, values in self._indexes(person):
            for v in values:
                index.setdefault(v, set()).add(n)

    def _unindex(self, n: int) -> dict[str, set[str]]:
        person = self._people.pop(n)
        for index, values in self._indexes(person):
            for v in values:
                index[v].discard(n)
                if not index[v]:
                    del index[v]
        return person

    def _indexes(self, person: dict[str, set[str]]) -> list[tuple[dict[str, set[int]], set[str]]]:
        """Each index a person is in, with the values it is filed under there."""
        indexes = [(self._by_addr, person["addrs"]), (self._by_key, person["keys"])]
        return indexes if person["addrs"] else [*indexes, (self._bare_by_key, person["keys"])]

    def resolve(self, name: str, addr: str) -> str:
        """The display name of the person behind a sighting ('' when it names nobody)."""
        name, addr = display_name(name), addr.strip().lower()
        if name and "@" in name and not addr:
            name, addr = "", name.lower()
        hits = self._find(name, addr)
        if not hits:
            return name or addr
        return self._label(self._people[hits[0]])

    @staticmethod
    def _label(person: dict[str, set[str]]) -> str:
        names = person["own"] or person["names"]
        if names:
            return max(names, key=lambda n: (len(n.split()), len(n), n))
        return min(person["addrs"])

    def join_spelled_addresses(self) -> None:
        """Give each person seen only by an address that spells a full name ('chris.doyle@ledgerly.io') to the one
        person of that name seen under another address ('Chris Doyle (Ledgerly) <chris@ledgerly.com>'), as when a
        rep's mail domain changes within a thread. Two words at least, and exactly one such person, or nothing is
        joined: 'sam@x.com' stays apart from 'Sam Patel <sam.patel@y.com>'."""
        named: dict[str, set[int]] = {}
        for n, person in self._people.items():
            for name in person["names"]:
                named.setdefault(person_key(label_key(name)), set()).add(n)
        joins: dict[int, list[int]] = {}
        for n, person in self._people.items():
            if person["names"] or len(person["addrs"]) != 1:
                continue
            words = _SPELLED.split(label_key(next(iter(person["addrs"])).partition("@")[0]))
            hits = named.get(" ".join(words), set()) if len(words) >= 2 and all(w.isalpha() for w in words) else set()
            if len(hits) == 1:
                joins.setdefault(hits.pop(), []).append(n)
        for n, others in joins.items():
            person = self._unindex(n)
            for other in map(self._unindex, others):
                person["addrs"] |= other["addrs"]
                person["keys"] |= other["keys"]
            self._index(person)

    def addresses(self) -> dict[str, str]:
        """Display name -> email address, for every person with an address (the first in order, when they wrote from
        several: see `other_addresses`)."""
        return {self._label(p): min(p["addrs"]) for p in self._people.values() if p["addrs"]}

    def other_addresses(self) -> dict[str, list[str]]:
        """Display name -> the addresses beside the one `addresses` gives, for every person seen under several (a rep
        whose domain changed, see `join_spelled_addresses`)."""
        return {self._label(p): sorted(p["addrs"])[1:] for p in self._people.values() if len(p["addrs"]) > 1}


def label_key(label: str) -> str:
    """What names that differ only in case, accents and spacing share, as call labels are merged and agents
    matched: 'TOM  OKAFOR' -> 'tom okafor', 'Zoë' -> 'zoe' (exports often drop accents a calendar invite kept)."""
    decomposed = unicodedata.normalize("NFKD", label)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split()).casefold()


def _words(key: str) -> list[str]:
    return [w.rstrip(".") for w in key.split()]


# Words that label a role, not a person: 'Customer' is not the first name of 'Customer Success', nor 'Agent'
# of 'Agent (Supervisor)'.
_ROLES = frozenset({  # 'unknown': the readers' name for nobody named
    "account", "admin", "advisor", "adviser", "agent", "assistant", "buyer", "caller", "candidate", "client",
    "coach", "consultant", "customer", "guest", "hiring", "host", "hr", "interpreter", "interviewee",
    "interviewer", "lead", "manager", "me", "moderator", "operator", "participant", "prospect", "recruiter",
    "rep", "representative", "sales", "seller", "speaker", "staff", "success", "supervisor", "support", "team",
    "unknown", "user", "you",
})
_NAME_WORD = re.compile(r"[^\W\d_][\w'’-]*\.?")  # 'priya', "o'neill", 'anne-marie', 'r.'


def short_for(short: str, full: str) -> bool:
    """Whether label key `short` is a first name, or a first name and initials, of `full`: 'tom', 'priya r.' of
    'priya raman'. Both must read as a person's name: words of letters only (no digits, as in SPEAKER_01, no
    brackets, as in 'Agent (Supervisor)'), and not a role word ('customer' of 'customer success')."""
    s, f = _words(short), _words(full)
    if len(f) < 2 or len(s) > len(f) or s == f:
        return False
    if len(s[0]) < 2 or s[0] != f[0] or s[0] in _ROLES:
        return False
    if not all(_NAME_WORD.fullmatch(w) for w in short.split() + full.split()):
        return False
    return all(a == b or (len(a) == 1 and a.isalpha() and b.startswith(a)) for a, b in zip(s[1:], f[1:], strict=False))


def same_person(label: str, name: str) -> bool:
    """Whether a speaker label names the person `name`: the same name but for case, accents and spacing, or a
    short form of it ('Sophie' or 'Sophie H.' for 'Sophie Hale'), as a labelled row's speaker may be written."""
    key, full = label_key(label), label_key(name)
    return key == full or short_for(key, full)


def is_decoration(ch: str) -> bool:
    """An emoji or pictograph in a display name ('Marcus Lee 🙂'), with its joiners, variation selectors and skin
    tones."""
    return unicodedata.category(ch) in ("So", "Sk", "Cf") or "\ufe00" <= ch <= "\ufe0f" or ch == "\u20e3"


def without_decoration(text: str) -> str:
    """Text with its decorations (`is_decoration`) taken out and the white space left behind closed up."""
    return " ".join("".join(" " if is_decoration(ch) else ch for ch in text).split())


_LONGEST_LABEL = 200  # characters of a label read for a person's name; a longer one is compared as it is
_TAGGED = re.compile(r"\s*\([^()]*\)$")  # a label's trailing bracket: 'raj patel (acme)', 'speaker 1 (guest)'


def _a_name(words: list[str]) -> bool:
    return bool(words) and words[0] not in _ROLES and all(_NAME_WORD.fullmatch(w) for w in words)


def person_key(key: str) -> str:
    """The person a label key names: without a trailing bracketed firm when the rest is a person's name ('raj
    patel (acme)' -> 'raj patel', as Zoom and Teams add a guest's company), and in first-last order when it is
    written last name first, as company directories give Teams and Outlook names ('whitfield, dana
    (brightpath)' -> 'dana whitfield'). Meeting tools' additions go too: a pronoun tag like any bracket ('marcus lee
    (he/him)') and emoji ('marcus lee 👍🏽'). A role keeps its brackets ('agent (supervisor)'). 'Name | Firm' stays as it is:
    tools write 'Firm | Name' too, and two people of one firm must not become one."""
    if len(key) > _LONGEST_LABEL:
        return key
    key = without_decoration(key) or key
    base = _TAGGED.sub("", key)
    last, comma, first = base.partition(",")
    if comma and "," not in first and 1 <= len(last.split()) <= 3 and 1 <= len(first.split()) <= 3 and _a_name(
            last.split()) and _a_name(first.split()):
        return f"{' '.join(first.split())} {' '.join(last.split())}"
    if base != key and len(base.split()) >= 2 and _a_name(base.split()):
        return base
    return key


def unify_labels(labels: Iterable[str]) -> dict[str, str]:
    """Each transcript speaker label -> the speaker it names in its conversation, so one person is one speaker.

    Labels that differ only in case and spacing are one speaker ('Tom Okafor', 'TOM OKAFOR', 'tom okafor'),
    named in the first form written in normal case (neither all capitals nor all lower case), else the first
    form seen. A first name, or a first name and initials ('Tom', 'Priya R.'), that fits exactly one longer name
    in the conversation is that speaker; when it fits two ('Tom Okafor' and 'Tom Reed') or none, it stays a
    speaker of its own, and so do role labels ('Customer' beside 'Customer Success') and 'Unknown', the
    readers' name for nobody named. A full name with a bracketed firm ('Raj Patel (Acme)') is that name, and so
    is a name written last name first ('Patel, Raj').
    """
    forms: dict[str, list[str]] = {}
    for label in dict.fromkeys(labels):
        forms.setdefault(person_key(label_key(label)), []).append(label)
    shown = {key: next((f for f in fs if not (f.isupper() or f.islower())), fs[0]) for key, fs in forms.items()}
    target: dict[str, str] = {}
    by_first: dict[str, list[str]] = {}  # labels seen so far by their first word, so each looks at few others
    for key in sorted(forms, key=lambda k: (-len(k.split()), -len(k))):  # fullest first: short forms find them
        first = _words(key)[0] if key.split() else ""
        fits = {target[full] for full in by_first.get(first, []) if short_for(key, full)}
        target[key] = fits.pop() if len(fits) == 1 else key
        by_first.setdefault(first, []).append(key)
    return {label: shown[target[key]] for key, fs in forms.items() for label in fs}


def speaker_name(item: str) -> tuple[str, str]:
    """One 'LABEL=NAME' ('Speaker 0=Dana Whitfield') as (label, name), stripped; a ValueError saying what is
    missing. The first '=' splits it, so a name may hold one."""
    label, eq, name = (part.strip() for part in item.partition("="))
    if not eq:
        raise ValueError(f"{item!r}: no '=' (write LABEL=NAME, e.g. 'Speaker 0=Dana Whitfield')")
    if not label or not name:
        raise ValueError(f"{item!r}: no {'speaker label before' if not label else 'name after'} '='")
    return label, name


def speaker_map(names: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """A speaker-name map ({label: name}) checked and stripped: a ValueError for a label or name that is not text
    or is blank, and for one label (as `label_key` compares them: 'Speaker 0', 'SPEAKER  0') given two names."""
    out: dict[str, str] = {}
    by_key: dict[str, str] = {}
    for label, name in names.items() if isinstance(names, Mapping) else names:
        if not isinstance(label, str) or not isinstance(name, str):
            raise ValueError(f"{label!r}: {name!r}: a speaker label and its name must be text")
        if not label.strip() or not name.strip():
            raise ValueError(f"{label!r}: {name!r}: a speaker label and its name must not be blank")
        label, name = label.strip(), name.strip()
        first = by_key.setdefault(label_key(label), label)
        if out.setdefault(first, name) != name:
            raise ValueError(f"{first!r} and {label!r} are one label given two names: {out[first]!r} and {name!r}")
    return out


def parse_speaker_names(text: str) -> dict[str, str]:
    """A speaker-name map written as text, as in a manifest's cell: 'Speaker 0=Dana Whitfield; Speaker 1=Marcus
    Lee', or a JSON object ('{"Speaker 0": "Dana Whitfield"}'); a ValueError saying what is wrong (see
    `speaker_map`), and for pairs parted by commas: a name holding 'LABEL=' after a comma ('Speaker 0=Dana
    Whitfield, Speaker 1=Marcus Lee') is one name by the first-'=' rule, and would rename no one else."""
    if text.lstrip().startswith("{"):
        try:
            names = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not a JSON object ({json_problem(exc)})") from exc
        if not isinstance(names, dict):
            raise ValueError("not a JSON object of label: name")
        return speaker_map(names)
    pairs = [speaker_name(item) for item in text.split(";") if item.strip()]
    for label, name in pairs:
        if after := re.search(r",([^,=]*)=", name):  # linear: each comma's try ends at the next comma or '='
            raise ValueError(f"{label}={name!r}: the name holds {after[1].strip() + '='!r} after a comma; separate "
                             "LABEL=NAME pairs with ';' ('Speaker 0=Dana Whitfield; Speaker 1=Marcus Lee')")
    return speaker_map(pairs)


def _renaming(conversation: Conversation, names: Mapping[str, str]) -> tuple[dict[str, str], set[str]]:
    """(speaker -> the name `names` gives them, the labels of `names` that name a speaker). A label names the
    speaker whose label it is, or one the reader read as that speaker's (`speaker_labels`, 'TOM' for 'Tom Okafor'),
    compared as `label_key` gives them, a label with a trailing tag also by the label without it; the speaker's own
    label comes first."""
    given = {label_key(label): label for label in names}
    speakers = conversation.speakers
    read_as = conversation.metadata.get("speaker_labels") or {}
    labels = [*zip(speakers, speakers, strict=True), *read_as.items()]
    exact = {label_key(label) for label, _ in labels}
    renamed: dict[str, str] = {}
    used: set[str] = set()
    for label, speaker in labels:
        key = label_key(label)
        bare = _TAGGED.sub("", key)  # Teams' 'Speaker 1 (Guest)' for a map's 'Speaker 1', when no speaker is that
        found = given.get(key, given.get(bare) if bare != key and bare not in exact else None)
        if found is not None and speaker in speakers:
            used.add(found)
            renamed.setdefault(speaker, names[found])
    return renamed, used


def named_labels(conversation: Conversation, labels: Iterable[str]) -> set[str]:
    """The `labels` that name a speaker of the conversation, as `rename_speakers` matches them."""
    return _renaming(conversation, dict.fromkeys(labels, ""))[1]


def rename_speakers(conversation: Conversation, names: Mapping[str, str]) -> Conversation:
    """A copy of the conversation with its speakers named as `names` ({label: name}, e.g. {'Speaker 0': 'Dana
    Whitfield'}) says, so a generic diarization label becomes the person; labels that name no speaker are passed
    over (`named_labels` says which do). Labels are matched as `label_key` compares them (case, accents and
    spacing aside), to each speaker and to the labels the reader read as that speaker (`speaker_labels`).

    Speakers given one name (two channels of one rep), or given the name of another speaker, are one speaker,
    named as the map first writes it, and on a call their consecutive turns are joined as a reader joins one
    speaker's, but not across words of another that could not be read (`NOT_READ_BEFORE`). The renamed labels
    are added to `metadata["speaker_labels"]`, and the agent already chosen and email addresses follow their
    speaker. A ValueError for a malformed map (see `speaker_map`).
    """
    checked = speaker_map(names)
    renamed, _ = _renaming(conversation, checked)
    written: dict[str, str] = {}
    for name in renamed.values():
        written.setdefault(label_key(name), name)
    final = {s: written.get(label_key(renamed.get(s, s)), s) for s in conversation.speakers}
    given = {label_key(label): name for label, name in checked.items()}

    def unread(label: str) -> str:
        """A speaker whose words could not be read, named as the map names them (they have no turn to match)."""
        named = given.get(label_key(label), label)
        return final.get(label) or written.get(label_key(named), named)

    turns: list[Turn] = []
    before = None  # the speaker of the turn before, as it was
    for turn in conversation.turns:
        speaker = final[turn.speaker]
        others = [unread(s) for s in turn.metadata.get(NOT_READ_BEFORE, ())]
        parted = any(label_key(s) != label_key(speaker) for s in others)
        # Joined when the renaming made two speakers one: turns of one speaker that were kept apart stay apart.
        if (conversation.channel == "call" and turns and turns[-1].speaker == speaker and before != turn.speaker
                and not parted):
            turns[-1].join(turn.text, turn.end, turn.sentences)
        else:
            metadata = dict(turn.metadata)
            if others:
                metadata[NOT_READ_BEFORE] = list(dict.fromkeys(others))
            turns.append(replace(turn, index=len(turns), speaker=speaker, sentences=list(turn.sentences),
                                 metadata=metadata))
        before = turn.speaker
    meta = dict(conversation.metadata)
    if meta.get(SPEAKERS_NOT_READ):  # named as the map names them; one now named as a speaker with turns has some
        speaking = {label_key(t.speaker) for t in turns}
        meta[SPEAKERS_NOT_READ] = [s for s in dict.fromkeys(map(unread, meta[SPEAKERS_NOT_READ]))
                                   if label_key(s) not in speaking]
        if not meta[SPEAKERS_NOT_READ]:
            meta.pop(SPEAKERS_NOT_READ)
    labels = {label: final.get(s, s) for label, s in (meta.get("speaker_labels") or {}).items()}
    labels.update({s: name for s, name in final.items() if s != name})
    labels = {label: name for label, name in labels.items() if label != name}
    if labels:
        meta["speaker_labels"] = labels
    else:
        meta.pop("speaker_labels", None)
    if "addresses" in meta:  # a speaker merged into another keeps their addresses as the other's other addresses
        every: dict[str, list[str]] = {}
        for name, address in meta["addresses"].items():
            found = every.setdefault(final.get(name, name), [])
            found += [a for a in dict.fromkeys([address, *(meta.get("other_addresses") or {}).get(name, [])])
                      if a not in found]
        meta["addresses"] = {name: found[0] for name, found in every.items()}
        if any(len(found) > 1 for found in every.values()):
            meta["other_addresses"] = {name: found[1:] for name, found in every.items() if len(found) > 1}
    if meta.get("agent") in final:
        meta["agent"] = final[meta["agent"]]
    return replace(conversation, turns=turns, metadata=meta)
