"""Email tables: CRM and mail-tool exports with a row per message (HubSpot, Salesforce EmailMessage, Bullhorn...)."""

import base64
import csv
import json
from datetime import UTC, datetime

import pytest

from reciprocity_nlp import ReadError, read, read_file
from reciprocity_nlp.readers import detect_format
from reciprocity_nlp.readers.emails import read_eml

# HubSpot's email activity export: an HTML body, the reply quoting the message before it, saved by Excel on Windows
# (a BOM, CRLF line ends).
HUBSPOT = (
    "\ufeffActivity date,Email subject,Email body,From,To\r\n"
    '2025-01-14 09:30,Senior Data Engineer role at Ledgerly,"<html><body><p>Hi Sam,</p>'
    "<p>I'm recruiting for a Senior Data Engineer at Ledgerly, fully remote. Would you be open to a chat this week?</p>"
    '<p>Best,<br>Dana</p></body></html>",Dana Whitfield <dana@talentbridge.co.uk>,sam.patel@gmail.com\r\n'
    '2025-01-14 17:05,Re: Senior Data Engineer role at Ledgerly,"<div dir=""ltr""><div>Hi Dana,</div>'
    "<div>Thanks for reaching out. Thursday afternoon works for me.</div><div>Sam</div></div><br>"
    '<div class=""gmail_quote""><div dir=""ltr"">On Tue, 14 Jan 2025 at 09:30, Dana Whitfield '
    '&lt;dana@talentbridge.co.uk&gt; wrote:<br></div><blockquote class=""gmail_quote""><p>Hi Sam,</p>'
    "<p>I'm recruiting for a Senior Data Engineer at Ledgerly, fully remote. Would you be open to a chat this "
    'week?</p><p>Best,<br>Dana</p></blockquote></div>",Sam Patel <sam.patel@gmail.com>,dana@talentbridge.co.uk\r\n'
)

# Salesforce's EmailMessage object: two cases' threads interleaved, a name and an address column for the sender, a
# plain-text body and an HTML one (a message with only HTML), and a reply quoting, Outlook style, a message of the
# client's that is not a row of the table.
SALESFORCE = (
    "Id,ParentId,FromName,FromAddress,ToAddress,Subject,TextBody,HtmlBody,MessageDate\n"
    '02s1,500A,Chris Doyle,chris.doyle@ledgerly.io,ana@client.example,Invoice automation,"Hi Ana,\n\n'
    'Thanks for your time today. I have attached the pricing we discussed.\n\nChris",,2025-02-03T10:00:00.000+0000\n'
    '02s2,500B,Chris Doyle,chris.doyle@ledgerly.io,omar@other.example,Onboarding plan,"Hi Omar,\n\n'
    'Here is the onboarding plan for next week.\n\nChris",,2025-02-03T11:00:00.000+0000\n'
    '02s3,500A,Chris Doyle,chris.doyle@ledgerly.io,ana@client.example,RE: Invoice automation,"Hi Ana,\n\n'
    "Good question: yes, the pilot is free for 30 days.\n\nChris\n\n"
    "From: Ana Reyes <ana@client.example>\nSent: Monday, February 3, 2025 2:15 PM\nTo: Chris Doyle "
    "<chris.doyle@ledgerly.io>\nSubject: RE: Invoice automation\n\n"
    'Thanks Chris. Is there a free pilot before we commit?\n\nAna",,2025-02-04T09:00:00.000+0000\n'
    '02s4,500B,Omar Haddad,omar@other.example,chris.doyle@ledgerly.io,RE: Onboarding plan,,'
    '"<p>Looks good to me, see you Monday.</p><p>Omar</p>",2025-02-04T12:00:00.000+0000\n'
)


def _turns(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def test_a_hubspot_export_with_html_bodies_a_bom_and_crlf_is_one_email_thread(tmp_path):
    path = tmp_path / "hubspot.csv"
    path.write_bytes(HUBSPOT.encode("utf-8"))
    conv = read(path)
    assert (conv.id, conv.channel, conv.metadata["format"]) == ("hubspot", "email", "csv")
    assert conv.speakers == ["Dana Whitfield", "Sam Patel"]
    # The quoted first message is a row of the table: it is read once, from its row, not again from the quote.
    assert len(conv.turns) == 2 and not conv.turns[0].metadata
    assert conv.turns[0].text.startswith("Senior Data Engineer role at Ledgerly\n\nHi Sam,")
    assert "Would you be open to a chat this week?" in conv.turns[0].text and "<p>" not in conv.turns[0].text
    assert conv.turns[1].text == "Hi Dana,\nThanks for reaching out. Thursday afternoon works for me."
    assert conv.turns[1].sent.hour == 17
    assert conv.metadata["addresses"] == {"Dana Whitfield": "dana@talentbridge.co.uk",
                                          "Sam Patel": "sam.patel@gmail.com"}
    assert conv.metadata["subject"] == "Senior Data Engineer role at Ledgerly"


def test_a_salesforce_export_holds_one_thread_per_parent_and_recovers_a_quoted_message_that_is_no_row(tmp_path):
    path = tmp_path / "EmailMessage.csv"
    path.write_text(SALESFORCE, encoding="utf-8")
    first, second = read_file(path)
    assert (first.id, second.id) == ("500A", "500B") and first.channel == second.channel == "email"
    assert first.speakers == ["Chris Doyle", "Ana Reyes"]
    assert [t.speaker for t in first.turns] == ["Chris Doyle", "Ana Reyes", "Chris Doyle"]
    # Ana's message is only in Chris's quote: it becomes her turn, as in an .eml.
    assert first.turns[1].text == "Thanks Chris. Is there a free pilot before we commit?"
    assert first.turns[1].metadata == {"recovered_from_quote": True}
    assert first.turns[2].text == "Hi Ana,\n\nGood question: yes, the pilot is free for 30 days."
    assert first.metadata["addresses"]["Ana Reyes"] == "ana@client.example"
    # A message with only an HTML body is read from it.
    assert _turns(second)[1] == ("Omar Haddad", "Looks good to me, see you Monday.")


def test_a_bullhorn_tsv_without_thread_ids_is_threaded_by_subject(tmp_path):
    path = tmp_path / "bullhorn.tsv"
    path.write_text(
        "Sender\tSubject\tMessage\tDate\n"
        "Priya Nair <priya@staffright.com>\tContract role - Leeds\tHi Tom, are you free for a 6 month contract in "
        "Leeds?\t03/03/2025 09:00\n"
        "Priya Nair <priya@staffright.com>\tTimesheet reminder\tPlease submit this week's timesheet by Friday.\t"
        "03/03/2025 09:05\n"
        "Tom Lee <tom.lee@mail.example>\tAW: Contract role - Leeds\tYes, I am. What is the day rate?\t03/03/2025 12:40\n",
        encoding="utf-8")
    role, reminder = read_file(path)
    assert (role.id, reminder.id) == ("bullhorn-1", "bullhorn-2")
    assert [t.speaker for t in role.turns] == ["Priya Nair", "Tom Lee"]
    assert role.turns[1].text == "Yes, I am. What is the day rate?"
    assert _turns(reminder) == [("Priya Nair", "Timesheet reminder\n\nPlease submit this week's timesheet by Friday.")]


def test_messages_are_in_date_order_when_every_date_parses_else_in_file_order(tmp_path):
    header = "thread_id,from,subject,body,sent_at\n"
    rows = ("t1,bo@y.com,Re: Demo,Thursday works.,{late}\n"
            "t1,Ana Ruiz <ana@x.com>,Demo,Can we meet this week?,2025-01-01 09:00\n")
    dated = tmp_path / "dated.csv"
    dated.write_text(header + rows.format(late="2025-01-02 10:00"), encoding="utf-8")
    assert [t.speaker for t in read(dated).turns] == ["Ana Ruiz", "bo@y.com"]
    undated = tmp_path / "undated.csv"
    undated.write_text(header + rows.format(late="not recorded"), encoding="utf-8")
    conv = read(undated)
    assert [t.speaker for t in conv.turns] == ["bo@y.com", "Ana Ruiz"]
    assert conv.turns[0].sent is None and conv.turns[1].sent.day == 1


def test_the_brief_s_one_line_export_reads_as_an_email_and_is_detected_without_an_extension(tmp_path):
    text = "from,to,subject,body,date\nana@x.com,bo@y.com,Hi,Hello Bo,2025-01-01\n"
    path = tmp_path / "crm.csv"
    path.write_text(text, encoding="utf-8")
    conv = read(path)
    assert (conv.channel, _turns(conv)) == ("email", [("ana@x.com", "Hi\n\nHello Bo")])
    assert detect_format(text.encode(), "export") == "csv"


def test_an_empty_body_gives_no_turn_and_a_thread_of_only_empty_bodies_is_an_error_in_its_place(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("conversation_id,from_email,body\n"
                    "c1,ana@x.com,Are you free on Monday?\nc1,bo@y.com,\nc1,ana@x.com,Or Tuesday?\n"
                    "c2,bo@y.com,  \n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"empty\.csv: conversation 'c2': no speaker turns") as caught:
        read_file(path)
    assert caught.value.conversation_id == "c2"
    conv, bad = read_file(path, errors="keep")
    assert _turns(conv) == [("ana@x.com", "Are you free on Monday?"), ("ana@x.com", "Or Tuesday?")]
    assert isinstance(bad, ReadError) and bad.conversation_id == "c2"


def test_a_thread_with_no_text_but_a_subject_is_read_as_its_subject_as_an_eml_with_no_text_is(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text("thread_id,from,subject,body,date\n"
                    "t1,Ana Ruiz <ana@x.com>,Pricing,Can we talk about pricing?,2025-01-01 09:00\n"
                    "t2,Ana Ruiz <ana@x.com>,Call me when you are free,,2025-01-02 09:00\n"
                    "t2,Bo Chan <bo@y.com>,Re: Call me when you are free,  ,2025-01-02 10:00\n", encoding="utf-8")
    texted, subject_only = read_file(path)
    eml = read_eml(b"From: Ana Ruiz <ana@x.com>\nTo: bo@y.com\nSubject: Call me when you are free\n"
                   b"Date: Thu, 2 Jan 2025 09:00:00 +0000\n\n")
    assert _turns(subject_only) == _turns(eml) == [("Ana Ruiz", "Call me when you are free")]
    assert subject_only.metadata["body"] == eml.metadata["body"] == "no readable text; the subject stands in for it"
    assert subject_only.turns[0].sent.day == 2 and "body" not in texted.metadata
    # A Graph message (a row) with no body but a subject, alone in its thread, is read the same way.
    empty = _graph_message("AAQkEMPTY", "Omar Haddad", "omar@other.example", ("Dana Whitfield", "dana@tb.co.uk"),
                           "2025-01-15T08:00:00Z", "Call me when you are free", "", content_type="text")
    graph = tmp_path / "messages.json"
    graph.write_text(json.dumps({"value": [empty]}), encoding="utf-8")
    assert _turns(read(graph)) == [("Omar Haddad", "Call me when you are free")]


def test_a_sender_column_without_a_body_column_is_an_error_naming_the_file_and_the_header_line(tmp_path):
    path = tmp_path / "nobody.csv"
    path.write_text("From,To,Subject\nana@x.com,bo@y.com,Hi\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"nobody\.csv: line 1 .* sender column \('From'\) but no body column"):
        read(path)


def test_an_email_row_of_the_wrong_length_is_named_by_its_line(tmp_path):
    path = tmp_path / "commas.csv"
    path.write_text("from,subject,body\nana@x.com,Hi,Hello Bo\nbo@y.com,Re: Hi,Hi Ana, thanks\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"commas\.csv: line 3 has 4 cells where the header has 3"):
        read(path)


def test_json_lines_of_emails_are_read_as_a_table_of_them(tmp_path):
    path = tmp_path / "mails.jsonl"
    rows = [{"thread": "x1", "sender": "Ana Ruiz <ana@x.com>", "subject": "Demo", "content": "Can we meet on Monday?"},
            {"thread": "x1", "sender": "bo@y.com", "subject": "Re: Demo", "content": "Monday is fine."}]
    path.write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    conv = read(path)
    assert (conv.id, conv.channel, conv.metadata["format"]) == ("x1", "email", "json")
    assert _turns(conv) == [("Ana Ruiz", "Demo\n\nCan we meet on Monday?"), ("bo@y.com", "Monday is fine.")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"sender": "ana@x.com", "body": {"html": "<p>Hi</p>"}}) + "\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"bad\.jsonl: row 1: 'body' holds an object, not text"):
        read(bad)


def test_a_json_lines_email_row_s_error_names_its_line_in_the_file(tmp_path):
    good = json.dumps({"sender": "ana@x.com", "subject": "Demo", "body": "Can we meet on Monday?"})
    bad = json.dumps({"sender": "bo@y.com", "subject": "Re: Demo", "body": {"html": "<p>Monday is fine.</p>"}})
    path = tmp_path / "mails.jsonl"
    path.write_text(f"{good}\n\n{good}\n{bad}\n", encoding="utf-8")  # the third row, on line 4 (blank lines count)
    with pytest.raises(ReadError, match=r"mails\.jsonl: line 4: 'body' holds an object, not text"):
        read(path)
    graph = dict(GRAPH[0], subject={"text": "Senior Data Engineer role"})
    messages = tmp_path / "messages.jsonl"
    messages.write_text("\n".join(map(json.dumps, [GRAPH[1], GRAPH[2], graph])) + "\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"messages\.jsonl: line 3: 'subject' holds an object, not text"):
        read(messages)


def test_an_email_table_with_a_header_and_no_rows_is_an_error(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("From,Subject,Body\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"header\.csv: email table has a header but no rows"):
        read(path)


def _graph_message(conversation, name, address, to, sent, subject, content, content_type="html"):
    """One message as Microsoft Graph's `GET /me/messages` returns it (the fields read, and some that are not)."""
    return {"@odata.etag": 'W/"CQAAABYAAAB"', "id": f"AAMk{sent}", "createdDateTime": sent, "receivedDateTime": sent,
            "sentDateTime": sent, "hasAttachments": False, "internetMessageId": f"<{sent}@mail.example>",
            "subject": subject, "bodyPreview": content[:40], "importance": "normal", "conversationId": conversation,
            "isRead": True, "body": {"contentType": content_type, "content": content},
            "sender": {"emailAddress": {"name": name, "address": address}},
            "from": {"emailAddress": {"name": name, "address": address}},
            "toRecipients": [{"emailAddress": {"name": to[0], "address": to[1]}}], "ccRecipients": [],
            "flag": {"flagStatus": "notFlagged"}}


GRAPH = [
    _graph_message("AAQkADc1", "Dana Whitfield", "dana@talentbridge.co.uk", ("Sam Patel", "sam.patel@gmail.com"),
                   "2025-01-14T09:30:00Z", "Senior Data Engineer role",
                   "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html\"></head><body><p>Hi Sam,</p>"
                   "<p>Would you be open to a chat about a Senior Data Engineer role this week?</p></body></html>"),
    _graph_message("AAQkADk9", "Dana Whitfield", "dana@talentbridge.co.uk", ("Omar Haddad", "omar@other.example"),
                   "2025-01-14T10:00:00Z", "Interview feedback", "Hi Omar,\r\n\r\nThe client liked your interview.",
                   content_type="text"),
    _graph_message("AAQkADc1", "Sam Patel", "sam.patel@gmail.com", ("Dana Whitfield", "dana@talentbridge.co.uk"),
                   "2025-01-14T17:05:00Z", "RE: Senior Data Engineer role",
                   "<html><body><div>Yes, Thursday afternoon works for me.</div><hr><div id=\"divRplyFwdMsg\">"
                   "<b>From:</b> Dana Whitfield &lt;dana@talentbridge.co.uk&gt;<br><b>Sent:</b> Tuesday, January 14, "
                   "2025 9:30 AM<br><b>To:</b> Sam Patel &lt;sam.patel@gmail.com&gt;<br><b>Subject:</b> Senior Data "
                   "Engineer role</div><div><p>Hi Sam,</p><p>Would you be open to a chat about a Senior Data Engineer "
                   "role this week?</p></div></body></html>"),
]


@pytest.mark.parametrize("layout", ["value", "list", "lines"])
def test_microsoft_graph_messages_are_a_thread_per_conversation_id(tmp_path, layout):
    path = tmp_path / ("messages.jsonl" if layout == "lines" else "messages.json")
    text = {"value": json.dumps({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/messages",
                                 "value": GRAPH, "@odata.nextLink": "https://graph.microsoft.com/v1.0/me/messages?$skip=3"}),
            "list": json.dumps(GRAPH), "lines": "\n".join(map(json.dumps, GRAPH))}[layout]
    path.write_text(text, encoding="utf-8")
    role, feedback = read_file(path)
    assert (role.id, feedback.id) == ("AAQkADc1", "AAQkADk9") and role.channel == feedback.channel == "email"
    # Sam's reply quotes Dana's first message, Outlook style: it is read once, from its own message.
    assert _turns(role) == [
        ("Dana Whitfield", "Senior Data Engineer role\n\nHi Sam,\n\nWould you be open to a chat about a Senior Data "
                           "Engineer role this week?"),
        ("Sam Patel", "Yes, Thursday afternoon works for me.")]
    assert role.turns[1].sent.hour == 17 and role.metadata["addresses"]["Sam Patel"] == "sam.patel@gmail.com"
    assert _turns(feedback) == [("Dana Whitfield", "Interview feedback\n\nHi Omar,\n\nThe client liked your interview.")]
    assert feedback.metadata["addresses"] == {"Dana Whitfield": "dana@talentbridge.co.uk"}


def test_an_empty_graph_value_list_is_an_error_saying_it_holds_no_messages(tmp_path):
    path = tmp_path / "inbox.json"
    path.write_text(json.dumps({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('me')/messages",
                                "value": []}), encoding="utf-8")
    with pytest.raises(ReadError, match=r"inbox\.json: Microsoft Graph messages JSON with no messages"):
        read(path)


def test_a_graph_thread_whose_every_body_is_empty_is_an_error_in_its_place_naming_it(tmp_path):
    # With no subject either: a subject would stand in for the body (see the test above).
    empty = _graph_message("AAQkEMPTY", "Omar Haddad", "omar@other.example", ("Dana Whitfield", "dana@tb.co.uk"),
                           "2025-01-15T08:00:00Z", "", "", content_type="text")
    path = tmp_path / "messages.json"
    path.write_text(json.dumps({"value": [GRAPH[0], empty]}), encoding="utf-8")
    role, bad = read_file(path, errors="keep")
    assert role.id == "AAQkADc1"
    assert isinstance(bad, ReadError) and bad.conversation_id == "AAQkEMPTY"
    assert "conversation 'AAQkEMPTY'" in str(bad) and "messages.json" in str(bad)


def _b64url(data: bytes) -> str:
    """Base64url without padding, as the Gmail API writes `body.data` and `raw`."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _leaf(mime_type, data, headers=(), filename="", attachment=False):
    """One leaf part of a Gmail API payload; `attachment` leaves its data out, as Gmail does (an `attachmentId`)."""
    body = {"size": len(data)}
    body.update({"attachmentId": "ANGjdJ8x"} if attachment else {"data": _b64url(data)})
    return {"partId": "", "mimeType": mime_type, "filename": filename,
            "headers": [{"name": n, "value": v} for n, v in headers], "body": body}


def _multipart(mime_type, parts, headers=()):
    boundary = f"000000000000{len(parts)}f6c1a05e2b{mime_type[10:13]}"
    head = [*headers, ("Content-Type", f'{mime_type}; boundary="{boundary}"')]
    return {"partId": "", "mimeType": mime_type, "filename": "",
            "headers": [{"name": n, "value": v} for n, v in head], "body": {"size": 0}, "parts": parts}


def _gmail_full(msg_id, thread, internal_ms, headers, payload):
    """A `users.messages.get` (format=full) message: its top-level headers on its payload."""
    payload["headers"] = [{"name": n, "value": v} for n, v in headers] + payload["headers"]
    return {"id": msg_id, "threadId": thread, "labelIds": ["INBOX", "CATEGORY_PERSONAL"], "snippet": "Hi Sam, ...",
            "sizeEstimate": 6210, "historyId": "1092345", "internalDate": str(internal_ms), "payload": payload}


# Dana's first message: multipart/alternative, a UTF-8 text part and an HTML one (the text one is read).
_DANA_PLAIN = "Hi Sam,\r\n\r\nI\u2019m recruiting for a Senior Data Engineer at Ledgerly. Are you free for a chat?\r\n\r\nDana\r\n"
_DANA = _gmail_full("18d1a0c2e4f5a001", "18d1a0c2e4f5a001", 1736847000000, [
    ("Delivered-To", "sam.patel@gmail.com"), ("MIME-Version", "1.0"),
    ("From", "Dana Whitfield <dana@talentbridge.co.uk>"), ("To", "Sam Patel <sam.patel@gmail.com>"),
    ("Date", "Tue, 14 Jan 2025 09:30:00 +0000"), ("Subject", "Senior Data Engineer role"),
    ("Message-ID", "<CAH1dana001@mail.gmail.com>")],
    _multipart("multipart/alternative", [
        _leaf("text/plain", _DANA_PLAIN.encode("utf-8"), [("Content-Type", 'text/plain; charset="UTF-8"'),
                                                          ("Content-Transfer-Encoding", "quoted-printable")]),
        _leaf("text/html", b"<div dir=\"ltr\">Hi Sam,<br><br>HTML ONLY TEXT</div>",
              [("Content-Type", 'text/html; charset="UTF-8"'), ("Content-Transfer-Encoding", "quoted-printable")])]))
# Sam's reply: multipart/mixed holding a multipart/alternative (an ISO-8859-1 text part) and two attachments, a CV as
# text/plain and a PDF whose data Gmail leaves out; neither is read. It quotes Dana's message, which is read once.
_SAM_PLAIN = ("Hi Dana,\r\n\r\nThanks. Thursday at 14:00 works; the caf\xe9 near King's Cross?\r\n\r\nSam\r\n\r\n"
              "On Tue, 14 Jan 2025 at 09:30, Dana Whitfield <dana@talentbridge.co.uk> wrote:\r\n"
              "> Hi Sam,\r\n>\r\n> I\x92m recruiting for a Senior Data Engineer at Ledgerly. Are you free for a chat?\r\n")
_SAM = _gmail_full("18d1a3f7b2c6d002", "18d1a0c2e4f5a001", 1736874300000, [
    ("MIME-Version", "1.0"), ("From", "Sam Patel <sam.patel@gmail.com>"),
    ("Date", "Tue, 14 Jan 2025 17:05:00 +0000"), ("Subject", "Re: Senior Data Engineer role"),
    ("To", "Dana Whitfield <dana@talentbridge.co.uk>"), ("Message-ID", "<CAJ2sam002@mail.gmail.com>"),
    ("In-Reply-To", "<CAH1dana001@mail.gmail.com>"), ("References", "<CAH1dana001@mail.gmail.com>")],
    _multipart("multipart/mixed", [
        _multipart("multipart/alternative", [
            _leaf("text/plain", _SAM_PLAIN.encode("latin-1"), [("Content-Type", "text/plain; charset=ISO-8859-1")]),
            _leaf("text/html", b"<div>HTML ONLY TEXT</div>", [("Content-Type", "text/html; charset=ISO-8859-1")])]),
        _leaf("text/plain", b"CURRICULUM VITAE\r\nSam Patel, data engineer since 2016.\r\n",
              [("Content-Type", 'text/plain; charset="US-ASCII"; name="cv.txt"'),
               ("Content-Disposition", 'attachment; filename="cv.txt"')], filename="cv.txt"),
        _leaf("application/pdf", b"%PDF-1.7", [("Content-Type", 'application/pdf; name="portfolio.pdf"'),
                                               ("Content-Disposition", 'attachment; filename="portfolio.pdf"')],
              filename="portfolio.pdf", attachment=True)]))
# Another thread between the two: a single-part message, its text the payload's own body; a subject the API gives
# decoded, not ASCII; no Date header (its internalDate dates it).
_PRIYA = _gmail_full("18d1a1b0c9d8e003", "18d1a1b0c9d8e003", 1736850600000, [
    ("From", "Priya Nair <priya@staffright.com>"), ("To", "sam.patel@gmail.com"), ("Subject", "Timesheet reminder \u2013 week 3"),
    ("Content-Type", "text/plain; charset=UTF-8")],
    {"partId": "", "mimeType": "text/plain", "filename": "", "headers": [],
     "body": {"size": 47, "data": _b64url(b"Please submit this week's timesheet by Friday.")}})
GMAIL = [_DANA, _PRIYA, _SAM]


def _check_gmail_threads(role, reminder):
    assert (role.id, reminder.id) == ("18d1a0c2e4f5a001", "18d1a1b0c9d8e003")
    assert role.channel == reminder.channel == "email" and role.metadata["format"] == "json"
    assert _turns(role) == [
        ("Dana Whitfield", "Senior Data Engineer role\n\nHi Sam,\n\nI\u2019m recruiting for a Senior Data Engineer at "
                           "Ledgerly. Are you free for a chat?"),
        ("Sam Patel", "Hi Dana,\n\nThanks. Thursday at 14:00 works; the caf\xe9 near King's Cross?")]
    assert not role.turns[1].metadata and role.turns[1].sent.hour == 17
    assert role.metadata["addresses"] == {"Dana Whitfield": "dana@talentbridge.co.uk",
                                          "Sam Patel": "sam.patel@gmail.com"}
    assert _turns(reminder) == [("Priya Nair", "Timesheet reminder \u2013 week 3\n\nPlease submit this week's timesheet by Friday.")]
    assert reminder.turns[0].sent == datetime(2025, 1, 14, 10, 30, tzinfo=UTC)


@pytest.mark.parametrize("layout", ["list", "lines", "threads", "thread lines"])
def test_gmail_api_messages_in_format_full_are_a_thread_per_thread_id(tmp_path, layout):
    threads = [{"id": "18d1a0c2e4f5a001", "historyId": "1092345", "messages": [_DANA, _SAM]},
               {"id": "18d1a1b0c9d8e003", "historyId": "1092301", "messages": [_PRIYA]}]
    text = {"list": json.dumps(GMAIL, indent=2), "lines": "\n".join(map(json.dumps, GMAIL)),
            "threads": json.dumps(threads), "thread lines": "\n".join(map(json.dumps, threads))}[layout]
    path = tmp_path / ("gmail.jsonl" if "lines" in layout else "gmail.json")
    path.write_text(text, encoding="utf-8")
    _check_gmail_threads(*read_file(path))


def test_gmail_api_messages_in_format_raw_are_read_as_the_eml_they_hold(tmp_path):
    def raw(message):
        """`message` as format=raw gives it: the RFC 822 message, base64url without padding."""
        return {"id": message["id"], "threadId": message["threadId"], "labelIds": ["INBOX"], "snippet": "",
                "sizeEstimate": 4100, "historyId": "1092345", "internalDate": message["internalDate"],
                "raw": _b64url(message["bytes"])}

    dana = {"id": "a1", "threadId": "t1", "internalDate": "1736847000000", "bytes": (
        b"MIME-Version: 1.0\r\nFrom: Dana Whitfield <dana@talentbridge.co.uk>\r\nTo: sam.patel@gmail.com\r\n"
        b"Date: Tue, 14 Jan 2025 09:30:00 +0000\r\nSubject: =?UTF-8?Q?Caf=C3=A9_chat_about_a_role?=\r\n"
        b"Message-ID: <CAH1dana001@mail.gmail.com>\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
        b"--b1\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Hi Sam, are you free on Thursday? I=E2=80=99ll bring the details.\r\n\r\nDana\r\n"
        b"--b1\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n\r\n<div>HTML ONLY TEXT</div>\r\n--b1--\r\n")}
    sam = {"id": "a2", "threadId": "t1", "internalDate": "1736874300000", "bytes": (
        b"MIME-Version: 1.0\r\nFrom: Sam Patel <sam.patel@gmail.com>\r\nTo: dana@talentbridge.co.uk\r\n"
        b"Date: Tue, 14 Jan 2025 17:05:00 +0000\r\nSubject: Re: =?UTF-8?Q?Caf=C3=A9_chat_about_a_role?=\r\n"
        b"In-Reply-To: <CAH1dana001@mail.gmail.com>\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n"
        b"Thursday works. Caf\xe9 at 2?\r\n")}
    path = tmp_path / "raw.json"
    path.write_text(json.dumps([raw(dana), raw(sam)]), encoding="utf-8")
    conv = read(path)
    assert (conv.id, conv.metadata["subject"]) == ("t1", "Caf\xe9 chat about a role")
    assert _turns(conv) == [
        ("Dana Whitfield", "Caf\xe9 chat about a role\n\nHi Sam, are you free on Thursday? I\u2019ll bring the details."),
        ("Sam Patel", "Thursday works. Caf\xe9 at 2?")]
    single = tmp_path / "one.json"
    single.write_text(json.dumps(raw(sam)), encoding="utf-8")
    # A reply alone: its "Re:" subject is not its sender's, so it does not open the thread.
    assert _turns(read(single)) == [("Sam Patel", "Thursday works. Caf\xe9 at 2?")]


def test_an_empty_gmail_messages_list_is_an_error_saying_it_holds_no_messages(tmp_path):
    path = tmp_path / "thread.json"
    path.write_text(json.dumps({"id": "18d1a0c2e4f5a001", "historyId": "1092345", "messages": []}), encoding="utf-8")
    with pytest.raises(ReadError, match=r"thread\.json: Gmail API JSON with no messages"):
        read(path)


def test_a_gmail_thread_whose_every_message_is_empty_is_an_error_in_its_place_naming_it(tmp_path):
    # An empty body and no subject (a subject would stand in for the body).
    empty = _gmail_full("m9", "18d1a9", 1736874300000, [("From", "omar@other.example")], _leaf("text/plain", b""))
    path = tmp_path / "gmail.json"
    path.write_text(json.dumps([_PRIYA, empty]), encoding="utf-8")
    reminder, bad = read_file(path, errors="keep")
    assert reminder.id == "18d1a1b0c9d8e003"
    assert isinstance(bad, ReadError) and bad.conversation_id == "18d1a9" and "gmail.json" in str(bad)


@pytest.mark.parametrize("saved", ["minimal", "metadata", "metadata multipart", "minimal thread", "one of two"])
def test_gmail_api_messages_saved_without_their_bodies_are_an_error_naming_the_formats_to_save(tmp_path, saved):
    # format=minimal: ids, labels and a snippet; format=metadata: those and the headers. Neither holds the text, and
    # the snippet (Gmail's first words of it, cut short) is not read in its place.
    minimal = {key: value for key, value in _DANA.items() if key != "payload"}
    metadata = dict(minimal, payload={"mimeType": "text/plain", "headers": _DANA["payload"]["headers"][:6]})
    multipart = dict(minimal, payload={"partId": "", "mimeType": "multipart/alternative", "filename": "",
                                       "headers": _DANA["payload"]["headers"], "body": {"size": 0}})
    data = {"minimal": [minimal], "metadata": [metadata], "metadata multipart": multipart,
            "minimal thread": {"id": minimal["threadId"], "historyId": "1092345", "messages": [minimal]},
            "one of two": [_PRIYA, metadata]}[saved]
    path = tmp_path / "gmail.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    which = " \\(1 of 2\\)" if saved == "one of two" else ""
    with pytest.raises(ReadError, match=rf"gmail\.json: Gmail API messages without their bodies{which} \(saved with "
                                        r"format=metadata or minimal.*\): .*format=full or raw"):
        read_file(path)


@pytest.mark.parametrize("layout", ["list", "lines"])
def test_email_rows_with_gmail_s_ids_and_snippet_beside_a_body_are_an_email_table_not_bodiless_gmail(tmp_path, layout):
    # Gmail messages flattened into rows (a sender and a body column beside their threadId and snippet) hold the
    # text: they are no format=minimal messages, which hold nothing but the message resource's own fields.
    rows = [{"id": "m1", "threadId": "t1", "snippet": "Hi Sam, are you free", "from": "Dana Whitfield <dana@x.com>",
             "subject": "Demo", "body": "Hi Sam, are you free on Thursday?"},
            {"id": "m2", "threadId": "t1", "snippet": "Thursday works", "from": "Sam Patel <sam@y.com>",
             "subject": "Re: Demo", "body": "Thursday works for me."}]
    path = tmp_path / ("mails.jsonl" if layout == "lines" else "mails.json")
    path.write_text("\n".join(map(json.dumps, rows)) if layout == "lines" else json.dumps(rows), encoding="utf-8")
    conv = read(path)
    assert conv.id == "t1"
    assert _turns(conv) == [("Dana Whitfield", "Demo\n\nHi Sam, are you free on Thursday?"),
                            ("Sam Patel", "Thursday works for me.")]


def test_gmail_raw_data_that_is_not_base64url_is_an_error_naming_the_message(tmp_path):
    path = tmp_path / "raw.json"
    path.write_text(json.dumps({"id": "a1", "threadId": "t1", "raw": "RnJvbTogYQ$$"}), encoding="utf-8")
    with pytest.raises(ReadError, match=r"raw\.json: Gmail message 'a1': 'raw' is not base64url"):
        read(path)


def test_a_gmail_messages_list_result_of_ids_only_is_an_error_saying_what_to_fetch(tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps({"messages": [{"id": "18d1a0c2e4f5a001", "threadId": "18d1a0c2e4f5a001"}],
                                "resultSizeEstimate": 1}), encoding="utf-8")
    with pytest.raises(ReadError, match=r"list\.json: .*message ids without their content.*users\.messages\.get"):
        read(path)


def test_a_raw_gmail_message_saved_with_every_field_null_beside_raw_is_read_from_raw(tmp_path):
    # As client libraries that serialise every field of the message resource write it.
    eml = b"From: Ana Ruiz <ana@x.com>\r\nSubject: Demo\r\nDate: Wed, 1 Jan 2025 09:00:00 +0000\r\n\r\nCan we meet?\r\n"
    path = tmp_path / "raw.json"
    path.write_text(json.dumps({"id": "a1", "threadId": "t1", "payload": None, "snippet": None, "raw": _b64url(eml)}),
                    encoding="utf-8")
    assert _turns(read(path)) == [("Ana Ruiz", "Demo\n\nCan we meet?")]


def test_a_gmail_message_forwarded_with_attachments_reads_the_attached_one_and_notes_one_it_cannot(tmp_path):
    """Gmail API messages go through the mbox reader's per-message code, attached messages included (a merge of the
    two changes first passed that code the wrong arguments and failed on every Gmail message)."""
    from email.message import EmailMessage

    def message(sender, subject, date, text):
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"], mail["Date"] = sender, "Jo Park <jo@agency.example>", subject, date
        mail.set_content(text)
        return mail

    ana = message("Ana Ruiz <ana@client.example>", "Role details", "Mon, 3 Mar 2025 09:00:00 +0000",
                  "Hi Sam,\n\nWhat is the salary band, and who else is on the shortlist?\n")
    outer = message("Sam Lee <sam@agency.example>", "Fwd: Role details", "Mon, 3 Mar 2025 10:00:00 +0000",
                    "Jo, Ana's questions are attached. Can you answer the salary one?\n")
    outer.add_attachment(ana)
    outer.add_attachment(EmailMessage())  # an attached message with no From, Subject or Date: not read, and noted
    path = tmp_path / "fwd.json"
    path.write_text(json.dumps({"id": "m1", "threadId": "t9", "raw": _b64url(bytes(outer))}), encoding="utf-8")
    conv = read(path)
    assert [(t.speaker, t.text.split("\n")[-1]) for t in conv.turns] == [
        ("Ana Ruiz", "What is the salary band, and who else is on the shortlist?"),
        ("Sam Lee", "Jo, Ana's questions are attached. Can you answer the salary one?")]
    assert len(conv.metadata["attached_not_read"]) == 1


def test_a_gmail_raw_message_cut_short_is_named_as_an_eml_cut_short_is(tmp_path):
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "Sam Lee <sam@agency.example>", "Ana Ruiz <ana@client.example>", "Role"
    mail["Date"] = "Mon, 3 Mar 2025 10:00:00 +0000"
    mail.set_content("Hi Ana,\n\nThe role pays up to 85k. Who else are you talking to at the moment?\n")
    mail.add_alternative("<p>Hi Ana,</p><p>The role pays up to 85k. Who else are you talking to at the moment?</p>",
                         subtype="html")
    whole = bytes(mail)
    path = tmp_path / "gmail.json"
    path.write_text(json.dumps({"id": "m1", "threadId": "t9", "raw": _b64url(whole)}), encoding="utf-8")
    assert "cut_short" not in read(path).metadata
    path.write_text(json.dumps({"id": "m1", "threadId": "t9", "raw": _b64url(whole[:whole.rindex(b"85k")])}),
                    encoding="utf-8")
    assert read(path).metadata["cut_short"] == ["'Role' from Sam Lee <sam@agency.example>: its text/html part stops "
                                                "mid-line, with no closing boundary after it"]


def test_a_gmail_full_message_is_never_named_cut_short_as_the_api_gives_it_whole(tmp_path):
    """A format=full message's MIME is written back from its payload here, not read from a file that could stop
    short; before, a multipart payload whose `parts` list was empty was named cut short ('its multipart body stops
    before its first part') from the bytes the reader itself wrote."""
    headers = [("From", "Sam Lee <sam@agency.example>"), ("Subject", "Role"), ("Date", "Mon, 3 Mar 2025 10:00:00 +0000")]
    path = tmp_path / "gmail.json"
    path.write_text(json.dumps(_gmail_full("m1", "t9", 1741000000000, headers, _multipart("multipart/mixed", []))),
                    encoding="utf-8")
    assert "cut_short" not in read(path).metadata


# A chat exported to a table (a WhatsApp or Slack converter, a Teams chat copied out): who wrote each line, the line,
# and its time; nothing only an email has. Lines an email body would lose: a quoted line, a sign-off, a phone footer.
CHAT = [("2024-03-01 10:00", "Dana Whitfield", "Hi Marcus, thanks for connecting! I have a senior analyst role, remote."),
        ("2024-03-01 10:05", "Marcus Lee", "What is the salary range?"),
        ("2024-03-01 10:06", "Marcus Lee", "Also is it contract or perm?"),
        ("2024-03-01 10:10", "Dana Whitfield", "Perm, 85-95k plus bonus.\nThanks,\nDana"),
        ("2024-03-01 10:12", "Marcus Lee", "> plus bonus\nSounds good, send me the spec\nSent from my iPhone")]


def _chat_table(path, header=("timestamp", "from", "message"), rows=CHAT):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_chat_export_of_senders_and_messages_is_one_conversation_of_turns_not_an_email_thread_per_row(tmp_path):
    """Before, a table of `from` and `message` (or `sender` and `content`) with nothing else an email has was read as
    emails: with no subject or id to join them, each row was a one-message thread of its own (five conversations
    here), and each line was cut as an email body is. A chat's rows are turns, as a transcript table's are."""
    conv = read(_chat_table(tmp_path / "chat.csv"))
    assert (conv.id, conv.channel, conv.metadata["format"]) == ("chat", "call", "csv")
    assert [t.speaker for t in conv.turns] == ["Dana Whitfield", "Marcus Lee", "Dana Whitfield", "Marcus Lee"]
    assert conv.turns[1].text == "What is the salary range? Also is it contract or perm?"
    assert conv.turns[2].text.endswith("Thanks,\nDana") and conv.turns[3].text.startswith("> plus bonus")
    assert conv.turns[3].text.endswith("Sent from my iPhone")
    lines = tmp_path / "chat.jsonl"
    lines.write_text("".join(json.dumps({"sender": t.speaker, "content": t.text}) + "\n" for t in conv.turns),
                     encoding="utf-8")
    assert (read(lines).channel, _turns(read(lines))) == ("call", _turns(conv))


def test_a_chat_export_with_a_conversation_id_column_is_read_as_turns_split_by_it(tmp_path):
    """A conversation id is a transcript table's column as much as an email table's thread id: a chat export that
    has one is still turns, one conversation per id."""
    rows = [("c1", *r) for r in CHAT[:3]] + [("c2", *r) for r in CHAT[3:]]
    convs = read_file(_chat_table(tmp_path / "chats.csv", ("conversation_id", "timestamp", "from", "message"), rows))
    assert [(c.id, c.channel, len(c.turns)) for c in convs] == [("c1", "call", 2), ("c2", "call", 2)]


@pytest.mark.parametrize("column", ["subject", "to", "thread_id", "body"])
def test_a_table_of_senders_and_messages_with_anything_only_an_email_has_is_still_read_as_emails(tmp_path, column):
    """A subject, a recipient, a thread id, an email body column, or an address as a sender makes the table one of
    emails, as before."""
    mails = _chat_table(tmp_path / "mails.csv", ("timestamp", "from", "message", column), [(*r, "x") for r in CHAT])
    assert {c.channel for c in read_file(mails)} == {"email"}
    addressed = [(when, "dana@talentbridge.co.uk" if who.startswith("Dana") else who, text) for when, who, text in CHAT]
    assert {c.channel for c in read_file(_chat_table(tmp_path / "addressed.csv", rows=addressed))} == {"email"}
