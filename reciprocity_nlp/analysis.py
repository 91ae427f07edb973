"""Analyze conversations: read -> segment -> tag -> rate, with evidence and reciprocity metrics."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from reciprocity_nlp.acts import ActClassifier, doc_lexicon, sentence_spans
from reciprocity_nlp.agent import assign_agent, check_agent
from reciprocity_nlp.agent_model import AgentClassifier
from reciprocity_nlp.boundaries import BoundaryClassifier
from reciprocity_nlp.conversation import Conversation, channel_of
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.features import Context, lexicon_hits, row_features, turn_cues, turn_keys
from reciprocity_nlp.labels import ACTS, EVIDENCE, LABELS
from reciprocity_nlp.language import conversation_warnings
from reciprocity_nlp.ratings import FEATURES, AgentRater, TaggedSentence, TurnInfo, agent_features
from reciprocity_nlp.readers import mailtables
from reciprocity_nlp.readers.base import conversation_id
from reciprocity_nlp.readers.diarized import conversation_from_rows, split_by_id, turn_speakers
from reciprocity_nlp.reciprocity import conversation_metrics
from reciprocity_nlp.segmentation import blank_pipeline, trimmed
from reciprocity_nlp.tables import cell_text, whole_number
from reciprocity_nlp.wording import count, listed


def build_pipeline(act_model: ActClassifier | None = None, boundaries: BoundaryClassifier | None = None) -> Language:
    """Blank English + sentence splitter (with the learned boundaries for unpunctuated turns,
    when given) + act tagger: nothing to download."""
    nlp = blank_pipeline(boundaries)
    tagger = nlp.add_pipe("reciprocity_acts")
    tagger.model = act_model
    return nlp


@dataclass
class Analysis:
    """Everything the analyzer found in one conversation."""

    conversation: Conversation
    agent: str
    agent_source: str
    sentences: list[TaggedSentence]
    ratings: dict[str, float]
    flags: list[str]
    thresholds: dict[str, float]
    metrics: dict[str, dict[str, Any]]
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # why the ratings may not hold (not English, one speaker, ...)

    @property
    def agent_act_shares(self) -> dict[str, float]:
        """Share of the agent's sentences tagged with each act."""
        mine = [s for s in self.sentences if s.speaker == self.agent]
        return {a: round(sum(s.act == a for s in mine) / len(mine), 4) if mine else 0.0 for a in ACTS}

    @property
    def reciprocity_index(self) -> float | None:
        return self.metrics.get(self.agent, {}).get("reciprocity_index")

    def row(self, path: str | None = None) -> dict[str, Any]:
        """The `reciprocity score` row for this conversation."""
        conv = self.conversation
        row: dict[str, Any] = {
            "path": path if path is not None else (conv.source or ""),
            "conversation_id": conv.id,
            "channel": conv.channel,
            "agent": self.agent,
            "n_turns": len(conv.turns),
            "n_sentences": len(self.sentences),
        }
        # Six significant digits: small probabilities keep their order (no ties at 0.0).
        row.update({k: float(f"{self.ratings[k]:.6g}") for k in LABELS})
        row["flags"] = ";".join(self.flags)
        row.update(self.agent_act_shares)
        row["reciprocity_index"] = self.reciprocity_index  # None (an empty cell) when the agent neither gave nor asked
        row["error"] = ""
        return row

    def plot(self, ax: Any = None) -> Any:
        """The ratings against their thresholds and a turn-by-turn give/take timeline (matplotlib Figure)."""
        from reciprocity_nlp.plots import plot_analysis

        return plot_analysis(self, ax)

    def explain(self) -> str:
        """The ratings in words, for reading one conversation at a terminal: each label's probability against its
        threshold and, for the flagged ones, the sentences and features behind the flag; then the agent's
        reciprocity metrics and any warning."""
        conv = self.conversation
        lines = [f"{conv.id} ({conv.channel}): agent {self.agent} ({self.agent_source or 'given'})",
                 f"flags: {', '.join(self.flags) or 'none (reciprocal)'}"]
        for label in LABELS:
            flagged = label in self.flags
            lines.append(f"  {label:<14}{self.ratings[label]:.2f}  {'FLAGGED' if flagged else 'below'} "
                         f"(threshold {self.thresholds[label]:g})")
            if not flagged:
                continue
            evidence = self.evidence.get(label, {})
            for ev in evidence.get("sentences", []):
                text = " ".join(ev["text"].split())
                lines.append(f"      turn {ev['turn']:>3} {ev['act']:<13}{text[:110]}{'…' if len(text) > 110 else ''}")
            if not evidence.get("sentences"):
                lines.append("      no single sentence shows it clearly")
            features = [f"{f['feature']} {f['value']:g} ({f['level']})" for f in evidence.get("features", [])]
            if features:
                lines.append(f"      driven by: {', '.join(features)}")
        m = self.metrics.get(self.agent, {})
        # The soft counts above can be above 0 when no sentence's own act is an ask: say which this is.
        before = {True: "yes", False: "no", None: "no sentence tagged as an ask"}[m.get("gave_before_asking")]
        answered = "no questions to answer" if m.get("questions_answered") is None else f"{m['questions_answered']:.0%}"
        index = "-" if m.get("reciprocity_index") is None else f"{m['reciprocity_index']:.2f}"
        lines.append(f"agent's reciprocity (in sentences, each weighted by its act's probability): value given "
                     f"{m.get('value_given', 0):.2f}, information asked {m.get('info_asked', 0):.2f}, actions asked "
                     f"{m.get('actions_asked', 0):.2f}; gave before asking: {before}; counterpart's questions answered: "
                     f"{answered}; reciprocity index {index}")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "conversation_id": self.conversation.id,
            "source": self.conversation.source,
            "channel": self.conversation.channel,
            "agent": self.agent,
            "agent_source": self.agent_source,
            "ratings": self.ratings,
            "flags": self.flags,
            "thresholds": self.thresholds,
            "metrics": self.metrics,
            "evidence": self.evidence,
            "warnings": self.warnings,
            "sentences": [s.to_dict() for s in self.sentences],
        }


def conversation_docs(nlp: Language, conversation: Conversation, agent: str) -> list[Doc]:
    """One Doc per turn, with the context the act tagger reads (role, previous turn)."""
    matcher = nlp.get_pipe("reciprocity_acts").matcher
    docs: list[Doc] = []
    prev_cues: dict[str, bool] | None = None
    prev_speaker: str | None = None
    for i, turn in enumerate(conversation.turns):
        doc = nlp.make_doc(turn.text)
        cues = turn_cues(turn.text, doc_lexicon(doc, matcher))
        after_other = prev_cues is not None and prev_speaker != turn.speaker
        doc._.rn_context = Context(
            role="agent" if turn.speaker == agent else "counterpart",
            channel=conversation.channel,
            prev_refusal=after_other and prev_cues["refusal"],
            prev_hesitation=after_other and prev_cues["hesitation"],
            prev_question=after_other and prev_cues["question"],
            first_turn=i == 0,
        )
        docs.append(doc)
        prev_cues, prev_speaker = cues, turn.speaker
    return docs


def tagged_sentences(conversation: Conversation, docs: Sequence[Doc], agent: str) -> list[TaggedSentence]:
    """Read the acts off the processed docs, and store sentence offsets on the turns."""
    out: list[TaggedSentence] = []
    for turn, doc in zip(conversation.turns, docs, strict=True):
        lexicon = doc._.rn_lexicon or []
        turn.sentences = []
        spans = sentence_spans(doc)
        for span, hits in zip(spans, lexicon_hits(lexicon, spans), strict=True):
            offsets = trimmed(span)
            start, end = offsets.start, offsets.end
            turn.sentences.append(offsets)
            probs = span._.rn_act_probs
            names = tuple(sorted(hits))
            out.append(TaggedSentence(turn.index, turn.speaker, turn.text[start:end], start, end, span._.rn_act,
                                      round(max(probs.values()), 4), {k: round(v, 4) for k, v in probs.items()},
                                      "agent" if turn.speaker == agent else "counterpart", names))
    return out


def turn_infos(conversation: Conversation, docs: Sequence[Doc]) -> list[TurnInfo]:
    infos = []
    for turn, doc in zip(conversation.turns, docs, strict=True):
        names = {name for name, _, _ in (doc._.rn_lexicon or [])}
        words = int((doc.to_array([IS_SPACE, IS_PUNCT]).sum(axis=1) == 0).sum())
        infos.append(TurnInfo(turn.index, turn.speaker, words, "refusal" in names, "hesitation" in names))
    return infos


def tag_and_featurize(nlp: Language, batch: Sequence[tuple[Conversation, str | None]],
                      agent_model: AgentClassifier | None = None
                      ) -> list[tuple[Conversation, str, list[TaggedSentence], np.ndarray]]:
    """Tag every sentence of a batch of conversations and compute each agent's rating features
    (an agent not given is guessed, with `agent_model` when there is one)."""
    prepared = []
    all_docs: list[Doc] = []
    for conv, agent in batch:
        name = assign_agent(conv, agent, agent_model)
        docs = conversation_docs(nlp, conv, name)
        prepared.append((conv, name, len(docs)))
        all_docs += docs
    processed = list(nlp.pipe(all_docs))
    results, offset = [], 0
    for conv, name, n in prepared:
        docs = processed[offset:offset + n]
        offset += n
        sentences = tagged_sentences(conv, docs, name)
        others = [s for s in conv.speakers if s != name]
        x = agent_features(sentences, turn_infos(conv, docs), name, conv.channel, others)
        results.append((conv, name, sentences, x))
    return results


class Analyzer:
    """A loaded model: splits unpunctuated turns, tags sentences, rates the agent, explains the ratings.

    `boundaries` is optional: a model without one splits unpunctuated turns by the rules alone.
    `agent_model` is optional too: without one, the agent is guessed by the rules in `agent`.
    """

    def __init__(self, act_model: ActClassifier, rater: AgentRater, card: dict[str, Any] | None = None,
                 boundaries: BoundaryClassifier | None = None, agent_model: AgentClassifier | None = None) -> None:
        self.act_model = act_model
        self.rater = rater
        self.card = card or {}
        self.boundaries = boundaries
        self.agent_model = agent_model
        self.folder: Path | None = None  # the model folder it was loaded from (None when trained in this process)
        self.nlp = build_pipeline(act_model, boundaries)

    def __repr__(self) -> str:
        """What model this is, at a glance in a notebook: when it was trained, on how much, and its thresholds."""
        parts = ", ".join(p for p, on in (("boundaries", self.boundaries), ("agent guess", self.agent_model)) if on)
        trained = f"trained {str(self.card['date'])[:10]}, " if self.card.get("date") else ""
        data = (f"{self.card['n_act_sentences']:,} sentences, {self.card.get('n_conversations', 0):,} conversations, "
                if self.card.get("n_act_sentences") else "")
        thresholds = ", ".join(f"{k} {v:g}" for k, v in self.thresholds.items())
        return f"<Analyzer {trained}{data}thresholds: {thresholds}; parts: tagger, rater{', ' + parts if parts else ''}>"

    @property
    def thresholds(self) -> dict[str, float]:
        return {k: float(t) for k, t in zip(LABELS, self.rater.thresholds_, strict=True)}

    def analyze(self, conversation: Conversation, agent: str | None = None) -> Analysis:
        """Tag and rate one conversation (its agent resolved from `agent`, or guessed)."""
        return next(self.analyze_many([conversation], [agent]))

    def analyze_many(self, conversations: Iterable[Conversation], agents: Iterable[str | None] | None = None,
                     batch_size: int = 32) -> Iterator[Analysis]:
        """Analyze a stream of conversations, batching the models' work across them.

        `agents`, when given, holds one agent (or None, to guess) per conversation; a ValueError says so when the
        two differ in length, instead of dropping the conversations left over.
        """
        pairs = _paired(conversations, agents)
        while batch := list(itertools.islice(pairs, batch_size)):
            yield from self._analyze_batch(batch)

    def _analyze_batch(self, batch: list[tuple[Conversation, str | None]]) -> list[Analysis]:
        results = tag_and_featurize(self.nlp, batch, self.agent_model)
        P = self.rater.predict_proba(np.vstack([x for _, _, _, x in results]))
        analyses = []
        thresholds = self.thresholds
        for (conv, name, sentences, x), p in zip(results, P, strict=True):
            ratings = {k: float(v) for k, v in zip(LABELS, p, strict=True)}
            flags = [k for k in LABELS if ratings[k] >= thresholds[k]]
            analyses.append(Analysis(
                conversation=conv, agent=name, agent_source=conv.metadata.get("agent_source", ""),
                sentences=sentences, ratings=ratings, flags=flags,
                thresholds=thresholds, metrics=conversation_metrics(sentences, conv.speakers),
                evidence=self._evidence(sentences, name, x),
                warnings=conversation_warnings(conv),
            ))
        return analyses

    def _evidence(self, sentences: list[TaggedSentence], agent: str, x: np.ndarray) -> dict[str, dict[str, Any]]:
        """Per label: the agent's sentences that show it, and the features that drove the rating."""
        coefs, scaled = self.rater.linear_parts(x)
        contributions = coefs * scaled
        mine = [s for s in sentences if s.speaker == agent]
        out = {}
        for j, label in enumerate(LABELS):
            acts, lexicons = EVIDENCE[label]
            scored = sorted(
                ((sum(s.probs[a] for a in acts) + 0.5 * any(k in s.lexicon for k in lexicons), s) for s in mine),
                key=lambda pair: -pair[0],
            )
            top = [{"turn": s.turn, "text": s.text, "act": s.act, "score": round(score, 3)}
                   for score, s in scored[:3] if score >= 0.5]
            order = np.argsort(-contributions[j])
            # "level": a feature can push a rating up by being low (no rapport, for transactional) as well as high
            feats = [{"feature": FEATURES[i], "value": round(float(x[i]), 3), "level": "high" if scaled[j][i] > 0 else "low",
                      "weight": round(float(contributions[j][i]), 3)} for i in order[:3] if contributions[j][i] > 0]
            out[label] = {"sentences": top, "features": feats}
        return out

    def tag_rows(self, rows: Sequence[dict[str, Any]], agents: dict[str, str] | None = None) -> list[dict[str, float]]:
        """Act probabilities of rows (`text`, optional `conversation_id`, `turn`, `speaker`), each
        tagged as one unit, in its conversation's context where ids are given.

        A unit of several sentences carries the acts of its sentences (LABELS.md); its single
        label is what it mainly does, so each act's probability is its highest over the unit's
        sentences, except `other`, which takes its lowest (a unit is `other` only when every
        sentence is), renormalised.
        """
        splitter = self.nlp.get_pipe("reciprocity_sentences")
        expanded, bounds = [], [0]
        for i, r in enumerate(rows):
            text = cell_text(r.get("text"))
            if text is None or not text.strip():
                raise ValueError(f"row {i}: no text to tag (text is {r.get('text')!r})")
            doc = splitter(self.nlp.make_doc(text))
            pieces = [s.text.strip() for s in sentence_spans(doc)] or [text]
            turn = whole_number(r.get("turn") or 0)
            if turn is None:
                raise ValueError(f"row {i}: turn must be a whole number, got {r['turn']!r}")
            base = {"conversation_id": r.get("conversation_id", f"#row{i}"), "turn": turn, "speaker": r.get("speaker", "")}
            expanded += [{**base, "text": piece} for piece in pieces]
            bounds.append(len(expanded))
        if not expanded:
            return []
        X = row_features(self.nlp, expanded, agents or {}, {}, dropout=0.0)
        probs = self.act_model.predict_proba(X, turn_keys(expanded))
        classes = [str(c) for c in self.act_model.classes_]
        out: list[dict[str, float]] = []
        for start, end in itertools.pairwise(bounds):
            mine = probs[start:end]
            unit = np.where(np.array(classes) == "other", mine.min(axis=0), mine.max(axis=0))
            unit = unit / unit.sum()
            out.append({c: float(p) for c, p in zip(classes, unit, strict=True)})
        return out

    def score_paths(self, paths: str | Path | Iterable[str | Path], agent: str | None = None,
                    speaker_names: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """`reciprocity score` rows for a file or folder, or several: one per conversation, one per unreadable file or
        conversation. A conversation's row also has a `warning`, empty unless its ratings may not hold (text not in
        English, a call of one speaker), and `agent_guessed`, true when no agent was given and the analyzer chose one.

        `speaker_names` ({"Speaker 0": "Dana Whitfield"}) names the speakers of every file that has those labels, as
        `--speaker-name` does (a ValueError when malformed); a label that no file has is named in a warning at the
        end, and `agent` may give a name."""
        from reciprocity_nlp.readers.speakers import speaker_map
        from reciprocity_nlp.scoring import jobs_from_paths, score_jobs

        names = tuple(speaker_map(speaker_names or {}).items())
        jobs = (replace(j, agent=agent, speaker_names=names) for j in jobs_from_paths(paths))  # errors kept: given twice
        found: set[str] = set()
        for rows, _ in score_jobs(self, jobs):
            found.update(*(r.get("speaker_names_found", ()) for r in rows))
            yield from rows
        unused = [label for label, _ in names if label not in found]
        if unused:
            warnings.warn(f"speaker_names: {', '.join(map(repr, unused))} named no speaker in any file read",
                          UserWarning, stacklevel=2)

    def score_frame(self, frame: Any) -> Any:
        """Score a pandas DataFrame of conversations and return the rows as a DataFrame.

        Either a `path` column (optional `agent`, `conversation_id`, `speaker_names`), as in a manifest; or one
        row per utterance with `conversation_id`, a speaker and a text column (optional `agent`, `channel`), read as
        a CSV file's rows are, from the columns a file of the same table is read from (`diarized.turn_speakers`:
        `speaker` and `text`, or as a transcript table's may be named, `name` and `message`, say; a chat's `from`
        and `message`, with nothing only an email has; a blank speaker continues the one before); or, with no such
        columns, one row per email with a sender and a body column (optional `agent`), read into
        threads as an email table's rows are (`mailtables.read_rows`: its column names in any case), a row per
        thread. An agent is one per
        conversation (a name, or the team's '@domain'). Either way a conversation that cannot be scored (no text,
        rows giving two agents, an agent who is not a speaker) is one row with `error` set.
        """
        from reciprocity_nlp.scoring import Job, error_row, score_jobs, score_row, with_row_names

        if "path" in frame.columns:
            jobs = [with_row_names(Job(str(r["path"]), cell_text(r.get("agent")), cell_text(r.get("conversation_id"))),
                                   r.get("speaker_names"), f"row {i}")
                    for i, r in zip(frame.index, frame.to_dict("records"), strict=True)]
            return _score_table([row for rs, _ in score_jobs(self, jobs) for row in rs])
        columns = [str(c) for c in frame.columns]
        # Lazily: is_chat reads the rows only when the columns are a chat's.
        rows = (dict(zip(columns, r, strict=True)) for r in frame.itertuples(index=False, name=None))
        speakers = turn_speakers(columns, rows)  # whose turns the rows are, as in a file of the same table; None: emails
        if speakers is not None and "conversation_id" in columns:
            conversations: Iterable[tuple[str, Sequence[dict[str, Any]], Conversation | ValueError]] = (
                _utterance_conversations(frame, speakers))
        elif speakers is None and mailtables.has_columns(columns):
            conversations = _email_threads(frame)
        elif speakers is None and (problem := mailtables.missing_body(columns)):
            raise ValueError(f"score_frame: the frame has {problem}")
        else:
            missing = {"conversation_id"} if speakers else {"conversation_id", "speaker", "text"}
            raise ValueError(f"score_frame needs a 'path' column (files), conversation_id, speaker and text columns "
                             f"(utterances; missing {sorted(missing - set(columns))}), or a sender and a body column "
                             f"(emails: from and body, say); found {', '.join(map(repr, columns)) or 'no columns'}")
        rows: list[dict[str, Any] | None] = []
        todo: list[tuple[int, Conversation, str | None]] = []
        for cid, records, conv in conversations:
            try:
                agent = _one_value(records, "agent", cid)
                if isinstance(conv, ValueError):
                    raise conv
                if agent:
                    check_agent(conv, agent)
            except ValueError as exc:  # a ReadError, AgentError or bad channel: one error row, as `score` gives a bad file
                rows.append(error_row("", str(exc), cid))  # a ReadError here names no file: str is its reason
                continue
            todo.append((len(rows), conv, agent))
            rows.append(None)
        for (i, _, _), analysis in zip(todo, self.analyze_many([c for _, c, _ in todo], [a for _, _, a in todo]),
                                       strict=True):
            rows[i] = score_row(analysis, "")
        return _score_table(rows)

    def save(self, path: str | Path, format: str = "skops") -> Path:
        """Write the model to a folder: safe skops files (or pickle, for trusted use) plus `model.json`."""
        from reciprocity_nlp.persistence import save_model

        return save_model(self, path, format)


def _conversation(item: object) -> Conversation:
    """The item itself when it is a Conversation; a TypeError that says how to make one otherwise."""
    if isinstance(item, Conversation):
        return item
    hint = ("for text in memory, use reciprocity_nlp.parse(text); for a file, reciprocity_nlp.read(path)"
            if isinstance(item, str | bytes) else "read one with reciprocity_nlp.read(path) or reciprocity_nlp.parse(text)")
    raise TypeError(f"expected a Conversation, not {type(item).__name__}: {hint}")


def _paired(conversations: Iterable[Any], agents: Iterable[str | None] | None) -> Iterator[tuple[Conversation, str | None]]:
    """Each conversation (a copy: analysing sets sentences on its turns, and the caller's stays as it was)
    with its agent (None throughout when no agents are given)."""
    if isinstance(agents, str):
        raise TypeError(f"analyze_many: agents is one string ({agents!r}); give one agent per conversation, "
                        "e.g. [name] * len(conversations), or None to guess")
    if agents is None:
        yield from ((_analysable(c), None) for c in conversations)
        return
    given, missing = iter(agents), object()
    for conversation in conversations:
        agent = next(given, missing)
        if agent is missing:
            break
        yield _analysable(conversation), agent
    else:
        if next(given, missing) is missing:
            return
    raise ValueError("analyze_many: conversations and agents differ in length; give one agent, or None to guess, "
                     "per conversation")


def _analysable(item: object) -> Conversation:
    """A copy of a conversation with text to analyse, its channel in the readers' form ('Email' is 'email'); a
    ValueError naming it when it has no text, a channel neither a call nor an email, or a turn whose text or speaker
    is not a string (the readers make none of these, but a Conversation built in code, say from a DataFrame's NaN,
    may: the models would score an unknown channel as neither, silently)."""
    conversation = _conversation(item)
    where = f"conversation {conversation.id!r}"
    for t in conversation.turns:
        for name, value in (("speaker", t.speaker), ("text", t.text)):
            if not isinstance(value, str):
                raise ValueError(f"{where}: turn {t.index}'s {name} is {value!r} ({type(value).__name__}), not a string")
    if not any(t.text.strip() for t in conversation.turns):
        raise ValueError(f"{where}: no turn has text to analyse")
    try:
        channel = channel_of(conversation.channel)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return replace(conversation, channel=channel, metadata=dict(conversation.metadata),
                   turns=[replace(t, sentences=list(t.sentences)) for t in conversation.turns])


def _score_table(rows: Sequence[dict[str, Any] | None]) -> Any:
    """Score rows as a DataFrame; the counts stay whole numbers (pandas' nullable Int64) beside error rows."""
    import pandas as pd

    from reciprocity_nlp.scoring import SCORE_COLUMNS

    warned = [r for r in rows if r and r.get("warning")]
    if warned:
        ids = listed([str(r["conversation_id"]) for r in warned], 5)
        warnings.warn(f"{count(len(warned), 'conversation')} with a warning ({ids}), the first: {warned[0]['warning']}",
                      UserWarning, stacklevel=3)
    return pd.DataFrame(rows, columns=SCORE_COLUMNS).astype({"n_turns": "Int64", "n_sentences": "Int64"})


def _utterance_conversations(frame: Any, speakers: tuple[str, ...]
                             ) -> Iterator[tuple[str, list[dict[str, str | None]], Conversation | ValueError]]:
    """A DataFrame's utterances as conversations (see `_utterance_groups`), each with its rows, their speakers in the
    first of the `speakers` columns they have (see `turn_speakers`); a ValueError in place of one that cannot be read
    (no text, a bad channel)."""
    for cid, records in _utterance_groups(frame):
        conv: Conversation | ValueError
        try:
            conv = conversation_from_rows(records, cid, channel_of(_one_value(records, "channel", cid) or "call"),
                                          speakers)
        except ValueError as exc:
            conv = exc
        yield cid, records, conv


def _email_threads(frame: Any) -> list[tuple[str, list[dict[str, Any]], Conversation | ReadError]]:
    """A DataFrame's emails read into threads by the email-table reader (`mailtables.threads_with_rows`), each with
    its rows (none for a frame with no rows, as for utterances); cells as `cell_text` gives them (NaN is blank), but
    for a JSON object or list, which the reader refuses, naming its row."""
    records = [{str(k): v if isinstance(v, dict | list) else cell_text(v) for k, v in record.items()}
               for record in frame.to_dict("records")]
    if not records:
        return []
    return [(conv.id if isinstance(conv, Conversation) else str(conv.conversation_id), [records[i] for i in group], conv)
            for group, conv in mailtables.threads_with_rows(records, None, "table", lone_raises=False)]


def _utterance_groups(frame: Any) -> list[tuple[str, list[dict[str, str | None]]]]:
    """A DataFrame's utterance rows by conversation, in first-seen order, cells as `cell_text` gives them. A
    blank `conversation_id` continues the conversation before it, as in a CSV file (pandas' groupby would
    drop those rows); blank ids before any id form one conversation."""
    records = [{str(k): cell_text(v) for k, v in record.items()} for record in frame.to_dict("records")]
    return [(key or conversation_id(None), rows) for key, rows in split_by_id(records, ("conversation_id",)).items()]


def _one_value(records: Sequence[dict[str, str | None]], column: str, cid: str) -> str | None:
    """The value a conversation's rows give in `column` (blank rows say nothing; case and spacing aside, as the
    agent and channel are matched); a ValueError when they disagree, so no row's value is silently ignored."""
    given: dict[str, str] = {}
    for r in records:
        if v := r.get(column):
            given.setdefault(" ".join(v.split()).casefold(), v)
    values = list(given.values())
    if len(values) > 1:
        raise ValueError(f"conversation {cid!r}: its rows give different {column} values: {', '.join(map(repr, values))}")
    return values[0] if values else None
