"""One identity per person across a thread, whatever mix of name and address they appear under."""

from __future__ import annotations

import re


def _name_key(name: str) -> str:
    return re.sub(r"[^\w]+", " ", name.lower()).strip()


def display_name(name: str) -> str:
    """Tidy a display name: strip quotes, and turn Outlook's 'Patel, Sam' into 'Sam Patel'."""
    name = name.strip().strip("'\"").strip()
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
        self._people: list[dict[str, set[str]]] = []
        # keys: names (all display names), own (names used as sender), keys (match keys), addrs

    def _find(self, name: str, addr: str) -> list[int]:
        key, addr = _name_key(name), addr.lower()
        hits = []
        for i, p in enumerate(self._people):
            if (addr and addr in p["addrs"]) or (key and key in p["keys"]):
                hits.append(i)
        return hits

    def add(self, name: str, addr: str, sender: bool = True) -> None:
        name, addr = display_name(name), addr.strip().lower()
        if not name and not addr:
            return
        if name and "@" in name and not addr:
            name, addr = "", name.lower()
        hits = self._find(name, addr)
        person: dict[str, set[str]] = {"names": set(), "own": set(), "keys": set(), "addrs": set()}
        for i in sorted(hits, reverse=True):
            other = self._people.pop(i)
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
        self._people.append(person)

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

    def addresses(self) -> dict[str, str]:
        """Display name -> email address, for every person with an address."""
        return {self._label(p): min(p["addrs"]) for p in self._people if p["addrs"]}
