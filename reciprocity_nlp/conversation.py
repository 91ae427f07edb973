"""The data model every reader produces and every later stage consumes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Channel = Literal["call", "email"]


def channel_of(value: object) -> Channel:
    """A channel as given ("Email", " e-mail ", "CALL") in its canonical form. A ValueError for any other:
    the models know calls and emails only, and would score an unknown channel as neither."""
    name = str(value).strip().lower().replace("-", "")
    if name == "call":
        return "call"
    if name == "email":
        return "email"
    raise ValueError(f"channel {value!r}: must be 'call' or 'email'")


@dataclass
class Sentence:
    """A sentence as character offsets into its turn's text."""

    start: int
    end: int

    def text_in(self, turn_text: str) -> str:
        return turn_text[self.start:self.end]


@dataclass
class Turn:
    """One speaker turn of a call, or one email message.

    `start`/`end` are seconds from the start of a call; `sent` is an email's date.
    `sentences` is filled by segmentation and holds offsets into `text`. A call's turn whose `metadata`
    has `NOT_READ_BEFORE` followed words of others that could not be read.
    """

    index: int
    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    sent: datetime | None = None
    sentences: list[Sentence] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def sentence_texts(self) -> list[str]:
        return [s.text_in(self.text) for s in self.sentences]

    def join(self, text: str, end: float | None, sentences: Sequence[Sentence] = ()) -> None:
        """Add the speaker's next piece of talk to this turn, as a call's consecutive segments of one speaker are
        joined: the texts by a space, the later end kept, and `sentences` (offsets into `text`) moved along."""
        offset = len(self.text) + 1
        self.sentences += [Sentence(s.start + offset, s.end + offset) for s in sentences]
        self.text = f"{self.text} {text}"
        if end is not None:
            self.end = end if self.end is None else max(self.end, end)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "speaker": self.speaker,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "sent": self.sent.isoformat() if self.sent else None,
            "sentences": [[s.start, s.end] for s in self.sentences],
            "metadata": self.metadata,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Turn:
        return cls(
            index=int(d["index"]),
            speaker=str(d["speaker"]),
            text=str(d["text"]),
            start=d.get("start"),
            end=d.get("end"),
            sent=datetime.fromisoformat(d["sent"]) if d.get("sent") else None,
            sentences=[Sentence(int(a), int(b)) for a, b in d.get("sentences", [])],
            metadata=dict(d.get("metadata") or {}),
        )


# In a call turn's metadata: the speakers, other than this turn's and the one's before it, of segments between the
# two whose words could not be read (`readers.base.Segment.unread`). They spoke there, so the two turns are never
# joined as one person's unless those speakers are that person too (a speaker-name map may make them so).
NOT_READ_BEFORE = "not_read_before"
# In a conversation's metadata: the speakers whose every segment could not be read (`readers.base.Segment.unread`):
# they spoke, but have no turn.
SPEAKERS_NOT_READ = "speakers_not_read"
UNKNOWN_SENDER = "Unknown sender"  # who wrote quoted text that names no author
UNKNOWN_SPEAKER = "Unknown"  # who spoke a transcript line that names no speaker, with nobody before it


@dataclass
class Conversation:
    """A call or an email thread: an ordered list of speaker turns.

    `metadata` carries what the source said beyond the turns: email addresses per speaker
    (`addresses`), the detected `format`, the subject, a call's speaker labels read as another speaker's
    name or renamed by a speaker-name map (`speaker_labels`, e.g. 'TOM' -> 'Tom Okafor', 'Speaker 0' -> 'Dana
    Whitfield'), and how the agent was chosen.
    """

    id: str
    channel: Channel
    turns: list[Turn]
    source: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def speakers(self) -> list[str]:
        """Speakers in order of first appearance."""
        return list(dict.fromkeys(t.speaker for t in self.turns))

    @property
    def n_sentences(self) -> int:
        return sum(len(t.sentences) for t in self.turns)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "channel": self.channel,
            "source": self.source,
            "metadata": self.metadata,
            "turns": [t.to_dict() for t in self.turns],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Conversation:
        return cls(
            id=str(d["id"]),
            channel=d["channel"],
            source=d.get("source"),
            metadata=dict(d.get("metadata") or {}),
            turns=[Turn.from_dict(t) for t in d["turns"]],
        )
