"""Email tables: a CSV/TSV or JSON (Lines) export whose rows are email messages, as CRMs and mail tools write them
(HubSpot's email activities, Salesforce's EmailMessage, Bullhorn's), read into email threads as an mbox is.

A table is one of emails when it has no speaker and text columns (a transcript's, which win) but a sender column and a
body column (see `has_columns`), and is not a chat's turns (`is_chat`: a sender and a message, nothing only an email
has). Each row's body is read as an .eml's (`emails.messages_from_body`: its quoted history
split off, each quoted earlier message its author's turn; signatures and footers left out), and the rows are joined
into threads by `emails.thread_groups` and each thread read by `emails.build_thread`, so a quoted message that is also
a row of the table is read once, from its row. Microsoft Graph's messages JSON is read as such a table's rows
(`graph_rows`); Gmail API messages are joined into threads by the same code (`read_threads`, see `gmail`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.base import column_key, conversation_id
from reciprocity_nlp.readers.emails import (
    MailMessage,
    ThreadLinks,
    ThreadMessage,
    build_thread,
    messages_from_body,
    noted,
    thread_groups,
    thread_messages,
)
from reciprocity_nlp.readers.mime import html_to_text, parse_date, tidy
from reciprocity_nlp.readers.quoting import english_headers, name_and_address, recipients


def _keys(*names: str) -> tuple[str, ...]:
    return tuple(map(column_key, names))


# What each column may be called, in order of preference, compared as column_key gives them ('FromAddress' is
# 'from_address', HubSpot's 'Email body' is 'email_body').
_SENDER_KEYS = _keys("from", "from_address", "sender", "from_email")  # 'Name <addr>', an address or a name
_SENDER_NAME_KEYS = _keys("from_name")
_BODY_KEYS = _keys("body", "text_body", "email_body", "message", "content")
_HTML_KEYS = _keys("html_body")
_SUBJECT_KEYS = _keys("subject", "email_subject")
_DATE_KEYS = _keys("date", "sent", "message_date", "activity_date", "sent_at")
_THREAD_KEYS = _keys("thread_id", "thread_identifier", "conversation_id", "parent_id", "thread")
_MESSAGE_ID_KEYS = _keys("message_id")
_REPLY_KEYS = _keys("in_reply_to")
_DRAFT_KEYS = _keys("is_message_draft")  # LinkedIn's messages.csv: 'Yes' for a draft, never sent
NEEDED_KEYS = _SENDER_KEYS + _SENDER_NAME_KEYS + _BODY_KEYS + _HTML_KEYS  # a row that leaves their cells off is cut
# A chat export's sender and text columns (`is_chat`), each in the order the transcript reader prefers them (its
# `diarized._TEXT_KEYS` puts content first), and the columns only an email table has: a chat has a time and may have a
# conversation id, as a transcript table may, but no subject, recipients, message ids or email bodies.
CHAT_SENDER_KEYS = _keys("from", "sender", "from_name")
_CHAT_TEXT_KEYS = _keys("content", "message")
_MAIL_ONLY_KEYS = frozenset(_SENDER_KEYS + _BODY_KEYS + _HTML_KEYS + _SUBJECT_KEYS + _THREAD_KEYS + _MESSAGE_ID_KEYS
                            + _REPLY_KEYS + _keys("to", "cc")) - {*CHAT_SENDER_KEYS, *_CHAT_TEXT_KEYS, *_keys("conversation_id")}
_HTML = re.compile(r"<(?:html|body|div|p|br|span|table|blockquote)\b[^<>]*>", re.I)  # a body a CRM stored as HTML


def has_columns(header: list[str]) -> bool:
    """Whether a table's header (or the keys of JSON rows) names a sender and a body column."""
    names = set(map(column_key, header))
    return not names.isdisjoint(_SENDER_KEYS + _SENDER_NAME_KEYS) and not names.isdisjoint(_BODY_KEYS + _HTML_KEYS)


def is_chat(header: list[str], rows: Iterable[dict[str, Any]]) -> bool:
    """Whether a table `has_columns` names is a chat's turns, not emails: a sender (`from`, `sender`, `from_name`) and
    a text column (`message`, `content`), beside them nothing only an email has (a subject, recipients, a message or
    thread id, an email or HTML body, a sender's address column), and no sender cell an email address. Read as emails,
    with nothing to join them into threads, each row of a chat would be a thread of its own, and cut as an email's
    body is (quoted lines, sign-offs, footers). The rows are read only when the header is a chat's."""
    names = set(map(column_key, header))
    if names.isdisjoint(CHAT_SENDER_KEYS) or names.isdisjoint(_CHAT_TEXT_KEYS) or not names.isdisjoint(_MAIL_ONLY_KEYS):
        return False
    senders = (v for row in rows for k, v in row.items() if column_key(k) in CHAT_SENDER_KEYS and isinstance(v, str))
    return not any(_is_address(v) for v in senders)


def _is_address(sender: str) -> bool:
    """Whether a sender cell holds an email address ('dana@x.com', 'Dana <dana@x.com>'), not a name or a chat
    handle ('@dana')."""
    return bool(name_and_address(sender)[1].partition("@")[0])


def missing_body(header: list[str]) -> str | None:
    """Why a header with a sender column is no email table's: it has no body column; None when that is not so."""
    sender = next((h for h in header if column_key(h) in _SENDER_KEYS + _SENDER_NAME_KEYS), None)
    if sender is None or has_columns(header):
        return None
    return (f"a sender column ({sender!r}) but no body column: an email table needs one of body, text_body, "
            "email_body, html_body, message or content")


def _graph_person(value: Any) -> tuple[str, str]:
    """(name, address) of a Graph recipient, `{"emailAddress": {"name", "address"}}`; blank for anything else."""
    who = value.get("emailAddress") if isinstance(value, dict) else None
    if not isinstance(who, dict):
        return "", ""
    return str(who.get("name") or "").strip(), str(who.get("address") or "").strip()


def _is_graph_message(value: Any) -> bool:
    """Whether a JSON value is a Microsoft Graph message: its body `{"contentType", "content"}` or its sender
    `{"emailAddress": ...}` says so."""
    if not isinstance(value, dict):
        return False
    body, sender = value.get("body"), value.get("from") or value.get("sender")
    return (isinstance(body, dict) and "content" in body) or (isinstance(sender, dict) and "emailAddress" in sender)


def graph_rows(data: Any, path: str | Path | None) -> list[dict[str, Any]] | None:
    """Microsoft Graph messages (`GET /me/messages`: `{"value": [...]}`, a bare list of them, JSON Lines of them, or
    one) as the rows of an email table; None when `data` is not that, and a ReadError when it is Graph's answer with
    no messages (`{"value": []}`, `@odata` keys aside). A message's `from` (else `sender`) is its sender, its `body`
    its text or HTML (by `contentType`), its `sentDateTime` (else `receivedDateTime`) its date, its `conversationId`
    its thread and its `internetMessageId` its id."""
    if isinstance(data, dict) and data.get("value") == [] and all(k == "value" or k.startswith("@odata") for k in data):
        raise ReadError(path, "Microsoft Graph messages JSON with no messages: its 'value' list is empty")
    messages = data.get("value") if isinstance(data, dict) and "value" in data else data
    messages = messages if isinstance(messages, list) else [messages]
    if not messages or not all(_is_graph_message(m) for m in messages):
        return None
    rows = []
    for m in messages:
        name, address = _graph_person(m.get("from") or m.get("sender"))
        body = m.get("body") if isinstance(m.get("body"), dict) else {}
        html = str(body.get("contentType") or "").lower() == "html"
        rows.append({"from_name": name, "from_address": address, "subject": m.get("subject") or "",
                     "html_body" if html else "body": body.get("content") or "",
                     "date": m.get("sentDateTime") or m.get("receivedDateTime") or "",
                     "to": "; ".join(f"{n} <{a}>" for n, a in map(_graph_person, m.get("toRecipients") or []) if a),
                     "cc": "; ".join(f"{n} <{a}>" for n, a in map(_graph_person, m.get("ccRecipients") or []) if a),
                     "thread_id": m.get("conversationId") or "", "message_id": m.get("internetMessageId") or ""})
    return rows


def _column(names: set[str], keys: tuple[str, ...]) -> tuple[str, ...]:
    """The one column of `keys` the table has (the first), so a blank cell in it is blank, not a reason to read another
    column for that row alone; none when it has none."""
    return next(((k,) for k in keys if k in names), ())


def _cell(row: dict[str, tuple[str, Any]], keys: tuple[str, ...], place: str, path: str | Path | None) -> str:
    """The text of the first of `keys` a row fills in ('' when none); a ReadError naming `place` for a JSON object or
    list where text belongs."""
    for key in keys:
        name, value = row.get(key, ("", None))
        if isinstance(value, dict | list):
            kind = "an object" if isinstance(value, dict) else "a list"
            raise ReadError(path, f"{place}: {name!r} holds {kind}, not text")
        if value is not None and str(value).strip():
            return str(value)
    return ""


def _ids(value: str) -> list[str]:
    """The message ids in a cell: '<a@x> <b@x>' or a CRM's own ids, angle brackets aside."""
    return [word.strip("<>") for word in value.split() if word.strip("<>")]


def read_rows(rows: list[dict[str, Any]], path: str | Path | None, fmt: str,
              lines: list[int] | None = None) -> list[Conversation | ReadError]:
    """The email threads in a table's rows (see `has_columns`), a conversation per thread, in the order of their first rows.

    A row is a message from its sender: the name of a `from_name` column, or of a 'Name <addr>' in `from`, `sender`,
    `from_address` or `from_email`, and the address one of them holds. Its body is its `body`, `text_body`,
    `email_body`, `message` or `content` (converted when it is HTML), else, when that is blank, its `html_body`
    converted, as an .eml's text part is preferred to its HTML one. A row with an empty body gives no turn, as a blank
    row of a transcript table and an empty message of an mbox give none; but in a thread with no text at all, the first
    subject of its rows stands in, from that row's sender, as an .eml's subject does when it has no text
    (`metadata["body"]` says so).

    Rows join in threads by a thread id (`thread_id`, `thread_identifier`, `conversation_id`, `parent_id`, `thread`), a
    `message_id` that an `in_reply_to` names, and else, for a reply, by subject (see `emails.thread_groups`). A
    thread's messages are in date order (`date`, `sent`, `message_date`, `activity_date`, `sent_at`) when every row
    of it has a date that parses, else in file order. A draft (LinkedIn's `is_message_draft` 'Yes'), never sent, gives no
    turn and no subject. A thread is named by its thread id; one without is named after
    the file, `<name>-1`, `<name>-2`... when there are several. A thread with no text and no subject is a ReadError in its
    place, with its conversation_id, unless it is the file's only thread without an id: then the file's ReadError.
    An error in a row's cells names the row's line in the file, from `lines` (JSON Lines), else its row number.
    """
    return [conv for _, conv in threads_with_rows(rows, path, fmt, lines=lines)]


def threads_with_rows(rows: list[dict[str, Any]], path: str | Path | None, fmt: str, lone_raises: bool = True,
                      lines: list[int] | None = None) -> list[tuple[list[int], Conversation | ReadError]]:
    """`read_rows`' threads, each with the indices of the rows it was read from, so a caller with more to say per
    row (`Analyzer.score_frame`'s agent column) can say it per thread. With `lone_raises` false, a lone thread without
    an id that cannot be read is a ReadError in its place too (named `conversation_id(path)`), not the table's."""
    if not rows:
        raise ReadError(path, "email table has a header but no rows")
    keyed = [{column_key(k): (str(k), v) for k, v in row.items()} for row in rows]
    names = {k for row in keyed for k in row}
    senders = tuple(k for k in _SENDER_KEYS if k in names)
    body, html = _column(names, _BODY_KEYS), _column(names, _HTML_KEYS)
    subject_key, date_key, thread_key = (_column(names, keys) for keys in (_SUBJECT_KEYS, _DATE_KEYS, _THREAD_KEYS))
    mails = []
    for n, row in enumerate(keyed, 1):
        place = f"line {lines[n - 1]}" if lines else f"row {n}"  # only a JSON row's cells can be other than text
        found = [name_and_address(v) for k in senders if (v := _cell(row, (k,), place, path))]
        name = _cell(row, _SENDER_NAME_KEYS, place, path).strip() or next((nm for nm, _ in found if nm), "")
        addr = next((a for _, a in found if a), "")
        draft = _cell(row, _DRAFT_KEYS, place, path).strip().lower() in ("yes", "true")
        text = "" if draft else _cell(row, body, place, path)
        text = text if text.strip() or draft else html_to_text(_cell(row, html, place, path))
        text = html_to_text(text) if _HTML.search(text) else tidy(text)
        subject = "" if draft else " ".join(_cell(row, subject_key, place, path).split())
        sent = parse_date(_cell(row, date_key, place, path))
        to = " ".join(_cell(row, ("to",), place, path).split())
        cc = " ".join(_cell(row, ("cc",), place, path).split())
        links = ThreadLinks(own=_ids(_cell(row, _MESSAGE_ID_KEYS, place, path))[:1],
                            refs=_ids(_cell(row, _REPLY_KEYS, place, path)),
                            thread=_cell(row, thread_key, place, path).strip(), subject=subject)
        people = [(name, addr), *recipients(f"To: {to}\nCc: {cc}", ("to", "cc"))]
        mails.append(ThreadMessage(messages_from_body(english_headers(text), name, addr, sent, subject), links,
                                   subject, people, sent is not None,
                                   stand_in=MailMessage(name, addr, sent, subject) if subject else None))
    return _grouped_threads(mails, path, fmt, lone_raises)


def read_threads(mails: list[ThreadMessage], path: str | Path | None, fmt: str) -> list[Conversation | ReadError]:
    """Messages read (an email table's rows, a mail API's messages) joined into threads by `emails.thread_groups`, a
    conversation per thread in the order of their first messages, named and ordered as `read_rows` says."""
    return [conv for _, conv in _grouped_threads(mails, path, fmt)]


def _grouped_threads(mails: list[ThreadMessage], path: str | Path | None, fmt: str,
                     lone_raises: bool = True) -> list[tuple[list[int], Conversation | ReadError]]:
    """`read_threads`' conversations, each with the indices of its messages (see `threads_with_rows` for
    `lone_raises`)."""
    groups = thread_groups([mail.links for mail in mails])
    ids = [next((mails[i].links.thread for i in group if mails[i].links.thread), "") for group in groups]
    unnamed, numbered = ids.count(""), 0
    conversations: list[tuple[list[int], Conversation | ReadError]] = []
    for group, tid in zip(groups, ids, strict=True):
        if len(groups) == 1 and not tid and lone_raises:
            return [(group, _thread([mails[i] for i in group], path, fmt))]
        numbered += not tid
        cid = tid or (f"{conversation_id(path)}-{numbered}" if unnamed > 1 else conversation_id(path))
        try:
            conv = _thread([mails[i] for i in group], path, fmt)
        except ReadError as exc:
            conversations.append((group, ReadError(path, f"conversation {cid!r}: {exc.reason}", conversation_id=cid)))
            continue
        conv.id = cid
        conversations.append((group, conv))
    return conversations


def _thread(mails: list[ThreadMessage], path: str | Path | None, fmt: str) -> Conversation:
    """One thread's messages read into a conversation by `emails.build_thread`. When none of them has text, the
    first one's subject stands in, from its sender, as in an .eml with no text (see `emails.read_message`)."""
    messages, meta = thread_messages(mails)
    conv = build_thread(messages, path, fmt, next((mail.title for mail in mails if mail.title), ""),
                        [(nm, a) for mail in mails for nm, a in mail.people if a], all(mail.dated for mail in mails))
    conv.metadata.update(meta)
    return noted(conv, [note for mail in mails for note in mail.not_read], [note for mail in mails for note in mail.cut])
