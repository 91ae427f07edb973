"""Gmail API messages JSON, as developers save `users.messages.get` (format=full or raw) and `users.threads.get`
(whose `messages` hold them), read into a thread per `threadId`.

A raw message is its RFC 822 message, base64url; a full one's `payload` (its headers and its nested parts, each part's
bytes base64url in `body.data`) is written back into the RFC 822 message it was cut from, so both are parsed as an
.eml is and read by the mbox reader's own code (`emails.thread_message`: text/plain preferred, charsets, quoting,
signatures), then joined into threads as an email table's rows are (`mailtables.read_threads`).
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers.emails import thread_message
from reciprocity_nlp.readers.mailtables import read_threads
from reciprocity_nlp.readers.mime import message_from_bytes

_LISTING_KEYS = frozenset({"messages", "id", "historyId", "snippet", "nextPageToken", "resultSizeEstimate"})
# What a message resource holds beside its ids in any format, format=minimal's only fields.
_MESSAGE_KEYS = frozenset({"labelIds", "snippet", "sizeEstimate", "historyId", "internalDate"})
# Every field of a message resource: a format=minimal message has no other (rows with a body column beside a threadId
# and a snippet are an email table's).
_RESOURCE_KEYS = _MESSAGE_KEYS | {"id", "threadId", "payload", "raw", "classificationLabelValues"}
_HEADER_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322: printable ASCII but the colon


def _has_payload(message: dict[str, Any]) -> bool:
    """Whether a message has a `payload` with `headers` (format=full or metadata), rather than only its `raw`."""
    payload = message.get("payload")
    return isinstance(payload, dict) and isinstance(payload.get("headers"), list)


def _is_message(value: Any) -> bool:
    """Whether a JSON value is a Gmail API message: a `payload` with `headers`, or a `raw` string with the `threadId`
    every message resource has."""
    return isinstance(value, dict) and (_has_payload(value) or (isinstance(value.get("raw"), str) and "threadId" in value))


def _without_body(value: Any) -> bool:
    """Whether a JSON value is a Gmail API message saved without its body: format=minimal (ids, labels, a snippet; no
    `payload` or `raw`, and no field a message resource does not have) or format=metadata (a `payload` of headers with
    no `parts` and no `body`, or a multipart one with no `parts`)."""
    if not isinstance(value, dict) or "threadId" not in value or isinstance(value.get("raw"), str):
        return False
    payload = value.get("payload")
    if payload is None:
        return set(value) <= _RESOURCE_KEYS and any(value.get(key) is not None for key in _MESSAGE_KEYS)
    if not _has_payload(value) or isinstance(payload.get("parts"), list):
        return False
    return "body" not in payload or str(payload.get("mimeType") or "").lower().startswith("multipart/")


def gmail_messages(data: Any, path: str | Path | None) -> list[dict[str, Any]] | None:
    """The Gmail API messages parsed JSON holds: a thread's (`{"messages": [...]}`), a list or JSON Lines of messages
    or of threads, or one message; None when it is not that. A ReadError for an empty `messages` list (Gmail's keys
    beside it), for `users.messages.list`'s ids without the messages, and for messages saved without their bodies
    (`_without_body`): their `snippet`, Gmail's first words of the text cut short, is not read in its place."""
    if isinstance(data, dict) and data.get("messages") == [] and set(data) <= _LISTING_KEYS:
        raise ReadError(path, "Gmail API JSON with no messages: its 'messages' list is empty")
    found: list[Any] = []
    for item in data if isinstance(data, list) else [data]:
        holds = isinstance(item, dict) and isinstance(item.get("messages"), list) and not _is_message(item)
        found += item["messages"] if holds else [item]
    if found and all(isinstance(m, dict) and set(m) == {"id", "threadId"} for m in found):
        raise ReadError(path, "Gmail API message ids without their content (a users.messages.list result): fetch "
                              "each with users.messages.get (format=full or raw) and save those")
    missing = sum(map(_without_body, found))
    if missing and all(_is_message(m) or _without_body(m) for m in found):
        which = "" if missing == len(found) else f" ({missing} of {len(found)})"
        raise ReadError(path, f"Gmail API messages without their bodies{which} (saved with format=metadata or minimal: "
                              "ids, labels, headers and a snippet, not the text): fetch each with users.messages.get "
                              "(format=full or raw) and save those")
    return found if found and all(map(_is_message, found)) else None


def read_gmail(found: list[dict[str, Any]], path: str | Path | None) -> list[Conversation | ReadError]:
    """Gmail API messages (see `gmail_messages`) as email threads: one per `threadId` (Message-ID and In-Reply-To
    join messages too, as in an mbox), named by it, read as `mailtables.read_threads` reads a table's."""
    raws = [(m, _rfc822(m, path)) for m in found]
    # A raw message's bytes show whether it was cut short; a full one's are written here from its payload.
    mails = [thread_message(message_from_bytes(raw), None if _has_payload(m) else raw, str(m.get("threadId") or ""))
             for m, raw in raws]
    return read_threads(mails, path, "json")


def _rfc822(message: dict[str, Any], path: str | Path | None) -> bytes:
    """The RFC 822 bytes of a Gmail API message: its `raw` decoded, else its `payload` written back (see `_part`),
    dated by its `internalDate` (milliseconds since the epoch) when its headers have no Date."""
    name = f"Gmail message {str(message.get('id') or '')!r}"
    if not _has_payload(message):
        return _unbase64url(message["raw"], f"{name}: 'raw'", path)
    payload = message["payload"]
    headers = payload["headers"]
    stamp = str(message.get("internalDate") or "")
    if stamp.isdigit() and not any(isinstance(h, dict) and str(h.get("name")).lower() == "date" for h in headers):
        date = format_datetime(datetime.fromtimestamp(int(stamp) / 1000, UTC))
        payload = {**payload, "headers": [*headers, {"name": "Date", "value": date}]}
    return _part(payload, name, "0", path)


def _part(part: dict[str, Any], name: str, place: str, path: str | Path | None) -> bytes:
    """One payload part as MIME: its headers (each value on one line), then a multipart's parts between a boundary of
    its own (the one its Content-Type names is not needed), or a leaf's bytes (`body.data`, already decoded from any
    transfer encoding; none when Gmail left an attachment's out, naming its `attachmentId`) in base64."""
    mime_type = str(part.get("mimeType") or "text/plain")
    headers = [(str(h.get("name") or ""), re.sub(r"[\r\n]+", " ", str(h.get("value") or "")))
               for h in part.get("headers") or [] if isinstance(h, dict)]
    headers = [(k, v) for k, v in headers if _HEADER_NAME.fullmatch(k) and k.lower() != "content-transfer-encoding"]
    children = part.get("parts")
    if mime_type.lower().startswith("multipart/") and isinstance(children, list):
        boundary = f"=_part_{place}"  # no base64 line or header line can start with '--=_'
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"]
        headers.append(("Content-Type", f'{mime_type}; boundary="{boundary}"'))
        body = b"".join(b"--%s\r\n%s\r\n" % (boundary.encode(), _part(child, name, f"{place}_{n}", path))
                        for n, child in enumerate(c for c in children if isinstance(c, dict)))
        body += b"--%s--\r\n" % boundary.encode()
    else:
        if not any(k.lower() == "content-type" for k, _ in headers):
            headers.append(("Content-Type", mime_type))
        headers.append(("Content-Transfer-Encoding", "base64"))
        held = part.get("body")
        data = held.get("data") if isinstance(held, dict) else None
        what = f"{name}: part {str(part.get('partId') or place)!r} 'body.data'"
        body = base64.encodebytes(_unbase64url(data, what, path)) if isinstance(data, str) else b""
    # Header values as the API gives them, decoded (UTF-8 where they are not ASCII), as an 8-bit header is read.
    return "".join(f"{k}: {v}\r\n" for k, v in headers).encode("utf-8") + b"\r\n" + body


def _unbase64url(text: str, what: str, path: str | Path | None) -> bytes:
    """Base64url (padded or not, as Gmail writes it) decoded; a ReadError naming `what` when it is not that."""
    text = "".join(text.split()).translate(str.maketrans("-_", "+/"))
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError as exc:
        raise ReadError(path, f"{what} is not base64url") from exc
