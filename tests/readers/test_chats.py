"""Chat apps' own exports: WhatsApp's "Export chat" text, LinkedIn's messages.csv, Microsoft Teams chat messages from
Graph, a Slack channel's day file and Telegram Desktop's JSON and HTML exports. The fixtures follow each export's
documented layout; their people and words are made up."""

import csv
import json
import re

import pytest

from reciprocity_nlp import ReadError, iter_conversations, read, read_file
from reciprocity_nlp.readers import detect_format, parse_bytes

LRM = "\u200e"  # WhatsApp on iOS starts the lines and texts it writes itself with a left-to-right mark

ANDROID = """\
12/03/2024, 10:14 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, \
can read or listen to them. Tap to learn more.
12/03/2024, 10:15 - Dana Whitfield: Hi Marcus, thanks for connecting. Is now a good time to chat about the data \
engineer role?
12/03/2024, 10:17 - Marcus Lee: Hi Dana, yes go ahead.
What is the salary range?
12/03/2024, 10:18 - Dana Whitfield: <Media omitted>
12/03/2024, 10:18 - Dana Whitfield: That is the job spec. The range is 70 to 80k plus bonus.
12/03/2024, 10:19 - Dana Whitfield added Priya Raman
12/03/2024, 10:20 - Marcus Lee: This message was deleted
12/03/2024, 10:21 - Marcus Lee: Sounds interesting. Can we talk on Tuesday? <This message was edited>
12/03/2024, 10:22 - Priya Raman: spec.pdf (file attached)
Here is the longer spec as well.
"""

IOS = (
    f"{LRM}[12/03/2024, 10:14:02] Dana Whitfield: {LRM}Messages and calls are end-to-end encrypted. No one outside "
    "of this chat, not even WhatsApp, can read or listen to them.\n"
    "[12/03/2024, 10:15:32] Dana Whitfield: Hi Marcus, thanks for connecting. Is now a good time to chat about the "
    "data engineer role?\n"
    "[12/03/2024, 10:17:05] Marcus Lee: Hi Dana, yes go ahead.\nWhat is the salary range?\n"
    f"{LRM}[12/03/2024, 10:18:11] Dana Whitfield: {LRM}image omitted\n"
    "[12/03/2024, 10:18:40] Dana Whitfield: That is the job spec. The range is 70 to 80k plus bonus.\n"
    f"{LRM}[12/03/2024, 10:20:02] Marcus Lee: {LRM}This message was deleted.\n"
    "[3/12/24, 10:21:09\u202fAM] Marcus Lee: Sounds interesting. Can we talk on Tuesday?\n"
)

WORDS = [("Dana Whitfield", "Hi Marcus, thanks for connecting. Is now a good time to chat about the data engineer role?"),
         ("Marcus Lee", "Hi Dana, yes go ahead.\nWhat is the salary range?"),
         ("Dana Whitfield", "That is the job spec. The range is 70 to 80k plus bonus."),
         ("Marcus Lee", "Sounds interesting. Can we talk on Tuesday?")]


def _turns(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def test_a_whatsapp_android_export_is_read_as_turns_by_sender_without_whatsapps_own_lines(tmp_path):
    """Before, WhatsApp's export was refused ('not a transcript or email'): its lines begin with a date, so no
    transcript layout matched. Each message is its sender's words, a multi-line message whole; the encryption
    notice, 'X added Y', '<Media omitted>', 'This message was deleted' and '<This message was edited>' are WhatsApp's,
    not anyone's words, and are listed in the metadata rather than lost; a caption under an attached file is its
    sender's."""
    path = tmp_path / "WhatsApp Chat with Marcus Lee.txt"
    path.write_text(ANDROID, encoding="utf-8")
    conv = read(path)
    assert (conv.id, conv.channel, conv.metadata["format"]) == ("WhatsApp Chat with Marcus Lee", "call", "whatsapp")
    assert _turns(conv) == [*WORDS, ("Priya Raman", "Here is the longer spec as well.")]
    notices = conv.metadata["chat_notices"]
    assert notices[0].startswith("Messages and calls are end-to-end encrypted.")
    assert notices[1:] == ["Dana Whitfield: <Media omitted>", "Dana Whitfield added Priya Raman",
                           "Marcus Lee: This message was deleted", "Marcus Lee: <This message was edited>",
                           "Priya Raman: spec.pdf (file attached)"]


def test_a_whatsapp_ios_export_is_read_as_turns_its_marked_lines_not_anyones_words(tmp_path):
    """iOS writes '[date, time] Name: text', a 12-hour time with a narrow no-break space before AM, and marks what
    WhatsApp wrote (the notice, a placeholder for a photo or a deleted message) with a left-to-right mark."""
    path = tmp_path / "_chat.txt"
    path.write_text(IOS, encoding="utf-8")
    assert detect_format(path.read_bytes(), path) == "whatsapp"
    conv = read(path)
    assert _turns(conv) == WORDS
    assert conv.metadata["chat_notices"][1:] == ["Dana Whitfield: image omitted",
                                                 "Marcus Lee: This message was deleted."]


def test_a_whatsapp_export_with_nothing_anyone_wrote_is_an_error_saying_so(tmp_path):
    path = tmp_path / "chat.txt"
    path.write_text("12/03/2024, 10:14 - Messages and calls are end-to-end encrypted.\n"
                    "12/03/2024, 10:18 - Dana Whitfield: <Media omitted>\n", encoding="utf-8")
    with pytest.raises(ReadError, match="no speaker turns with text"):
        read(path)


def test_a_transcript_is_not_taken_for_a_whatsapp_export():
    """Only a text whose first line is a WhatsApp message line is one: a call transcript with a date in it is not."""
    call = b"Call with Marcus, 12/03/2024, 10:15 - notes\nDana Whitfield: Hi Marcus.\nMarcus Lee: Hi Dana.\n"
    assert detect_format(call, "call.txt") == "text"


LINKEDIN_HEADER = ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
                   "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS"]
DANA, MARCUS, PRIYA = (("Dana Whitfield", "https://www.linkedin.com/in/dana-whitfield-example"),
                       ("Marcus Lee", "https://www.linkedin.com/in/marcus-lee-example"),
                       ("Priya Raman", "https://www.linkedin.com/in/priya-raman-example"))
# LinkedIn writes the newest message first; an InMail has a subject, a message may be HTML.
LINKEDIN = [
    ("2-AAA", MARCUS, DANA, "2024-03-12 10:40:05 UTC", "", "Tuesday at 2pm works. Speak then."),
    ("2-BBB", PRIYA, DANA, "2024-03-11 09:00:00 UTC", "Partnership idea",
     "<p>Hi Dana,</p><p>We help agencies fill niche roles faster. Open to a short call next week?</p>"),
    ("2-AAA", DANA, MARCUS, "2024-03-12 10:15:32 UTC", "",
     "Thanks Marcus. Would you have 20 minutes on Tuesday to talk it through?\nI can share the job spec beforehand."),
    ("2-AAA", MARCUS, DANA, "2024-03-12 09:58:10 UTC", "", "Hi Dana, yes I am open to it. What is the salary range?"),
    ("2-AAA", DANA, MARCUS, "2024-03-11 16:20:00 UTC", "Senior data engineer role",
     "Hi Marcus, I am recruiting for a senior data engineer at a fintech in Leeds. Would you be open to a chat?"),
]


def test_a_linkedin_messages_export_is_read_as_threads_by_conversation_id_in_date_order(tmp_path):
    """LinkedIn's messages are written, asynchronous messages (an InMail has a subject), so its export is read as an
    email table: a thread per CONVERSATION ID, in date order though the file lists the newest first, each message
    its sender's by name, an HTML one converted, nothing left out. (Confirms what is read; no change was needed.)"""
    path = tmp_path / "messages.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(LINKEDIN_HEADER)
        writer.writerows([cid, "", *sender, to[0], to[1], date, subject, text, "INBOX", ""]
                         for cid, sender, to, date, subject, text in LINKEDIN)
    first, second = read_file(path)
    assert (first.id, first.channel, second.id) == ("2-AAA", "email", "2-BBB")
    assert [t.speaker for t in first.turns] == ["Dana Whitfield", "Marcus Lee", "Dana Whitfield", "Marcus Lee"]
    assert first.turns[0].text == f"Senior data engineer role\n\n{LINKEDIN[4][5]}"
    assert [t.text for t in first.turns[1:]] == [LINKEDIN[3][5], LINKEDIN[2][5], LINKEDIN[0][5]]
    assert [t.sent.isoformat() for t in first.turns][:2] == ["2024-03-11T16:20:00+00:00", "2024-03-12T09:58:10+00:00"]
    assert _turns(second) == [("Priya Raman", "Partnership idea\n\nHi Dana,\n\nWe help agencies fill niche roles "
                                              "faster. Open to a short call next week?")]


def _teams_message(n, when, who, body, kind="message", content_type="html"):
    """A Graph chatMessage as `GET /chats/{id}/messages` gives it."""
    sender = {"application": None, "device": None,
              "user": {"id": f"u-{n}", "displayName": who, "userIdentityType": "aadUser"}} if who else None
    return {"id": str(n), "replyToId": None, "messageType": kind, "createdDateTime": when,
            "lastModifiedDateTime": when, "deletedDateTime": None, "subject": None, "summary": None,
            "chatId": "19:example@unq.gbl.spaces", "importance": "normal", "locale": "en-us", "webUrl": None,
            "channelIdentity": None, "from": sender, "body": {"contentType": content_type, "content": body},
            "attachments": [], "mentions": [], "reactions": []}


TEAMS = {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats('19%3Aexample')/messages",
         "@odata.count": 4, "value": [  # newest first, as Graph lists them
             _teams_message(4, "2024-03-12T10:22:00.000Z", "Marcus Lee", "<p>Tuesday at 2pm works.</p><p>Speak then.</p>"),
             _teams_message(3, "2024-03-12T10:20:00.000Z", "Dana Whitfield", "Could we do a call on Tuesday?", "message",
                            "text"),
             _teams_message(2, "2024-03-12T10:18:20.000Z", None, "<systemEventMessage/>", "systemEventMessage"),
             _teams_message(1, "2024-03-12T10:15:00.000Z", "Marcus Lee", "<div>Hi Dana, I saw the role.<br>What is "
                                                                         "the salary range?</div>")]}


def test_teams_chat_messages_from_graph_are_one_chat_of_turns_not_an_email_thread_each(tmp_path):
    """Before, Graph's chatMessage was taken for a Graph mail (its body has contentType and content): each message
    was an email thread of its own from 'Unknown sender', and a system event an error row. A chat's messages are
    one conversation per chatId, in time order, each its sender's displayName's turn; a system event is nobody's."""
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(TEAMS), encoding="utf-8")
    conv = read(path)
    assert (conv.id, conv.channel) == ("19:example@unq.gbl.spaces", "call")
    assert _turns(conv) == [("Marcus Lee", "Hi Dana, I saw the role.\nWhat is the salary range?"),
                            ("Dana Whitfield", "Could we do a call on Tuesday?"),
                            ("Marcus Lee", "Tuesday at 2pm works.\n\nSpeak then.")]
    assert conv.metadata["chat_notices"] == ["systemEventMessage"]


SLACK = [
    {"type": "message", "subtype": "channel_join", "ts": "1710238400.000100", "user": "U0DANA",
     "text": "<@U0DANA> has joined the channel", "user_profile": {"real_name": "Dana Whitfield"}},
    {"client_msg_id": "a1", "type": "message", "user": "U0DANA", "ts": "1710238500.000200", "team": "T0",
     "text": "Hi <@U0MARCUS>, is now a good time to talk about the role?",
     "user_profile": {"first_name": "Dana", "real_name": "Dana Whitfield", "display_name": "dana"}},
    {"client_msg_id": "a2", "type": "message", "user": "U0MARCUS", "ts": "1710238620.000300", "team": "T0",
     "text": "Yes. What is the salary range?\nAnd is it remote?",
     "user_profile": {"first_name": "Marcus", "real_name": "Marcus Lee", "display_name": "marcus"}},
    {"type": "message", "subtype": "bot_message", "ts": "1710238700.000400", "bot_id": "B0", "username": "Reminders",
     "text": "Reminder: standup in 10 minutes"},
    {"client_msg_id": "a3", "type": "message", "user": "U0DANA", "ts": "1710238800.000500", "team": "T0",
     "text": "70 to 80k, hybrid &amp; two days in Leeds. See <https://example.com/spec|the spec>.",
     "user_profile": {"real_name": "Dana Whitfield"}},
    {"client_msg_id": "a4", "type": "message", "user": "U0GUEST", "ts": "1710238900.000600", "text": "Thanks both."},
]


def test_a_slack_channel_day_file_is_read_as_turns_by_real_name_without_joins_and_bots(tmp_path):
    """Before, a Slack export's day file was refused as 'not diarized' (its speaker is under user_profile). Each
    message is its sender's turn (real_name, else the user id), mentions and links written as Slack shows them;
    a join and a bot's message are nobody's words and are listed in the metadata."""
    path = tmp_path / "2024-03-12.json"
    path.write_text(json.dumps(SLACK), encoding="utf-8")
    conv = read(path)
    assert (conv.id, conv.channel) == ("2024-03-12", "call")
    assert _turns(conv) == [("Dana Whitfield", "Hi @Marcus Lee, is now a good time to talk about the role?"),
                            ("Marcus Lee", "Yes. What is the salary range?\nAnd is it remote?"),
                            ("Dana Whitfield", "70 to 80k, hybrid & two days in Leeds. See the spec."),
                            ("U0GUEST", "Thanks both.")]
    assert conv.metadata["chat_notices"] == ["channel_join: <@U0DANA> has joined the channel",
                                             "bot_message: Reminder: standup in 10 minutes"]


def test_teams_messages_of_several_chats_are_a_conversation_each_and_one_with_no_words_an_error_in_its_place(tmp_path):
    """A file of two chats' messages is two conversations, by chatId; a chat that has only a system event is an error
    row naming it, and the other is read."""
    other = [_teams_message(5, "2024-03-13T09:00:00.000Z", None, "<systemEventMessage/>", "systemEventMessage")]
    other[0]["chatId"] = "19:other@unq.gbl.spaces"
    path = tmp_path / "chats.json"
    path.write_text(json.dumps({"value": TEAMS["value"] + other}), encoding="utf-8")
    chat, empty = read_file(path, errors="keep")
    assert (chat.id, len(chat.turns)) == ("19:example@unq.gbl.spaces", 3)
    assert isinstance(empty, ReadError) and empty.conversation_id == "19:other@unq.gbl.spaces"


def test_a_whatsapp_line_without_a_sender_is_a_notice_even_with_a_time_in_it(tmp_path):
    """A sender is the text before ': ', so a notice with a time in it ('at 10:19') is not split at its colon into a
    sender '... at 10' saying '19'."""
    path = tmp_path / "chat.txt"
    path.write_text("12/03/2024, 10:15 - Dana Whitfield: Hi Marcus.\n12/03/2024, 10:19 - Missed voice call at 10:19\n"
                    "12/03/2024, 10:20 - Marcus Lee: Sorry, call me now.\n", encoding="utf-8")
    conv = read(path)
    assert [t.speaker for t in conv.turns] == ["Dana Whitfield", "Marcus Lee"]
    assert conv.metadata["chat_notices"] == ["Missed voice call at 10:19"]


def test_a_linkedin_draft_is_not_read_as_a_message_sent(tmp_path):
    """LinkedIn's newer exports add IS MESSAGE DRAFT: a draft was never sent, so it is no part of the conversation.
    Before, it was read as its writer's last message."""
    path = tmp_path / "messages.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow([*LINKEDIN_HEADER[:-1], "IS MESSAGE DRAFT"])
        writer.writerow(["2-AAA", "", *DANA, *MARCUS, "2024-03-12 11:00:00 UTC", "", "Half-written, never sent", "INBOX",
                         "Yes"])
        writer.writerows([cid, "", *sender, *to, date, subject, text, "INBOX", "No"]
                         for cid, sender, to, date, subject, text in LINKEDIN if cid == "2-AAA")
    conv = read(path)
    assert len(conv.turns) == 4 and "never sent" not in conv.turns[-1].text


def test_a_message_that_only_ends_like_a_placeholder_is_its_senders_words(tmp_path):
    """iOS's 'image omitted' is WhatsApp's only with its left-to-right mark, and Android's '(file attached)' follows a
    file name: a person's 'the video omitted' or 'CV (file attached)' is what they wrote."""
    path = tmp_path / "chat.txt"
    words = ["Sorry, the end of the video omitted", "Sent you my CV (file attached)"]
    path.write_text(f"12/03/2024, 10:15 - Dana Whitfield: {words[0]}\n12/03/2024, 10:16 - Marcus Lee: {words[1]}\n",
                    encoding="utf-8")
    assert [t.text for t in read(path).turns] == words


def test_a_slack_file_whose_timestamps_are_not_numbers_is_read_in_file_order(tmp_path):
    """Slack's `ts` is seconds as a string; a day file edited by hand or by another tool may hold something else. Its
    messages are then read in the file's order (SLACK's own, here), as Teams messages without their times are, not
    refused with Python's float error."""
    path = tmp_path / "2024-03-12.json"
    path.write_text(json.dumps([dict(m, ts=f"t{i}") for i, m in enumerate(SLACK)]), encoding="utf-8")
    timed = tmp_path / "timed.json"
    timed.write_text(json.dumps(SLACK), encoding="utf-8")
    assert _turns(read(path)) == _turns(read(timed))


@pytest.mark.parametrize("text, fmt", [
    ("2024-03-12 10:15 - Intro call with Marcus\nDana Whitfield: Hi Marcus.\nMarcus Lee: Hi Dana.\n", "text"),
    ("12/03/2024 10:15 - Re: Data engineer role\n\nFrom: Dana Whitfield <dana@example.com>\nSent: Tuesday, March 12, "
     "2024 10:15 AM\nTo: Marcus Lee <marcus@example.com>\nSubject: Data engineer role\n\nHi Marcus,\nAre you open to a "
     "chat?\nDana\n", "pasted"),
])
def test_a_transcript_or_pasted_email_titled_with_a_date_is_not_taken_for_a_whatsapp_export(text, fmt):
    """A title line such as '2024-03-12 10:15 - Intro call' has a WhatsApp line's shape; a WhatsApp export has more
    than one such line (the encryption notice, then the messages). Before, such a transcript was taken for a
    WhatsApp export and refused (its title a notice, every line below it the notice's), and a pasted email read as
    the words of a sender 'Re'."""
    assert detect_format(text.encode(), "call.txt") == fmt


def test_a_diarized_json_list_with_slacks_type_and_ts_keys_is_not_taken_for_a_slack_day_file(tmp_path):
    """A Slack day file's messages are from a `user` (or a bot); segments that name their speaker under `speaker` are
    a diarized transcript's even when they carry `type: message` and a `ts`. Before, they were read as Slack's,
    every one a notice with no user, and the file refused."""
    path = tmp_path / "chat.json"
    path.write_text(json.dumps([{"type": "message", "ts": "1", "speaker": "Dana Whitfield", "text": "Hi Marcus."},
                                {"type": "message", "ts": "2", "speaker": "Marcus Lee", "text": "Hi Dana."}]))
    assert _turns(read(path)) == [("Dana Whitfield", "Hi Marcus."), ("Marcus Lee", "Hi Dana.")]


def test_a_multi_line_edited_whatsapp_message_loses_the_edited_mark_after_its_last_line(tmp_path):
    """WhatsApp puts '<This message was edited>' at the end of the message, after its last line; only a one-line
    message's was taken off, so a longer one's stayed in its sender's words."""
    path = tmp_path / "chat.txt"
    path.write_text("12/03/2024, 10:15 - Dana Whitfield: Hi Marcus.\n12/03/2024, 10:21 - Marcus Lee: Tuesday works.\n"
                    "Two o'clock? <This message was edited>\n", encoding="utf-8")
    conv = read(path)
    assert _turns(conv)[-1] == ("Marcus Lee", "Tuesday works.\nTwo o'clock?")
    assert conv.metadata["chat_notices"] == ["Marcus Lee: <This message was edited>"]


def test_a_teams_message_from_a_user_graph_gives_no_name_or_id_is_unknowns_not_dropped(tmp_path):
    """A person's message whose `from.user` has neither a displayName nor an id was dropped unseen (a turn with no
    speaker); it is `Unknown`'s words, as a diarized segment without a speaker is."""
    nameless = _teams_message(5, "2024-03-12T10:25:00.000Z", "Marcus Lee", "See you then.", content_type="text")
    nameless["from"]["user"].update(displayName=None, id=None)
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"value": [*TEAMS["value"], nameless]}), encoding="utf-8")
    assert _turns(read(path))[-1] == ("Unknown", "See you then.")


def test_a_slack_date_or_user_group_in_a_message_reads_as_slack_shows_it(tmp_path):
    """`<!date^...|Feb 18, 2014>` shows its fallback text and `<!subteam^ID|@sales>` its handle; before, both were
    written with an '@' before them ('@Feb 18, 2014', '@@sales'), words the sender never wrote."""
    path = tmp_path / "2024-03-12.json"
    text = "Call on <!date^1392734382^{date_short}|Feb 18, 2014>? <!subteam^S0SALES|@sales> <!here> <#C0|roles>"
    path.write_text(json.dumps([{"type": "message", "ts": "1", "user": "U0DANA", "text": text}]), encoding="utf-8")
    assert read(path).turns[0].text == "Call on Feb 18, 2014? @sales @here #roles"


def test_a_whatsapp_sender_whose_name_has_a_nickname_in_quotes_is_read_as_a_sender(tmp_path):
    """A contact saved as 'Robert "Bob" Lee' is a sender: only a colon inside quotes ('created group "Roles: Q2"')
    keeps a line from being split there. Before, any quote in the name made the message a notice, its words lost."""
    path = tmp_path / "chat.txt"
    path.write_text('12/03/2024, 10:15 - Dana Whitfield created group "Roles: Q2"\n'
                    '12/03/2024, 10:16 - Robert "Bob" Lee: Hi Dana, is the role still open?\n'
                    '12/03/2024, 10:17 - Dana Whitfield: It is.\n', encoding="utf-8")
    conv = read(path)
    assert _turns(conv)[0] == ('Robert "Bob" Lee', "Hi Dana, is the role still open?")
    assert conv.metadata["chat_notices"] == ['Dana Whitfield created group "Roles: Q2"']


# The files beside the channel folders of a Slack export, in the shapes Slack's export writes them.
_PURPOSE = {"value": "Hiring", "creator": "U0DANA", "last_set": 1710238400}
SLACK_LISTINGS = {
    "users.json": ([{"id": "U0DANA", "team_id": "T0", "name": "dana", "deleted": False, "real_name": "Dana Whitfield",
                     "tz": "Europe/London", "profile": {"real_name": "Dana Whitfield", "display_name": "dana"},
                     "is_admin": False, "is_bot": False}], "list of users"),
    "channels.json": ([{"id": "C0ROLES", "name": "roles", "created": 1710238400, "creator": "U0DANA",
                        "is_archived": False, "is_general": False, "members": ["U0DANA", "U0MARCUS"],
                        "topic": _PURPOSE, "purpose": _PURPOSE}], "list of channels"),
    "groups.json": ([{"id": "C0PRIVATE", "name": "offers", "created": 1710238400, "creator": "U0DANA",
                      "is_archived": False, "members": ["U0DANA"], "topic": _PURPOSE, "purpose": _PURPOSE}],
                    "list of channels"),
    "mpims.json": ([{"id": "C0MPIM", "name": "mpdm-dana--marcus--priya-1", "created": 1710238400, "creator": "U0DANA",
                     "is_archived": False, "members": ["U0DANA", "U0MARCUS", "U0PRIYA"], "topic": _PURPOSE,
                     "purpose": _PURPOSE}], "list of channels"),
    "dms.json": ([{"id": "D0DM", "created": 1710238400, "members": ["U0DANA", "U0MARCUS"]}], "list of channels"),
    "integration_logs.json": ({"logs": [{"user_id": "U0DANA", "user_name": "dana", "date": "1710238400",
                                         "change_type": "added", "app_id": "A0", "app_type": "Reminders",
                                         "scope": "chat:write"}]}, "log of the apps"),
}


@pytest.mark.parametrize("name", list(SLACK_LISTINGS))
def test_a_slack_exports_lists_beside_its_channel_folders_are_error_rows_saying_what_they_are(tmp_path, name):
    """A Slack export's folder holds users.json, channels.json and the like beside the channels' folders. They stay
    error rows, but name what they are and what to give instead, where they said 'diarized JSON: no segment has
    text' or 'not a shape this reads'."""
    data, kind = SLACK_LISTINGS[name]
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReadError, match=f"a Slack export's {kind}.*not a conversation: give the channel folders' day"):
        read_file(path, errors="keep")


def test_a_list_of_people_is_not_a_slack_user_list_unless_each_has_slacks_profile():
    """Only Slack's shape is named as Slack's: a list of people without a `profile` object is no Slack listing."""
    from reciprocity_nlp.readers.chats import slack_listing
    assert slack_listing([{"id": "U0DANA", "name": "dana"}]) is None
    assert slack_listing([{"id": "1", "created": 1}]) is None
    assert slack_listing({"logs": [{"date": "1"}]}) is None


@pytest.mark.parametrize("placeholder", ["<Medien ausgeschlossen>", "<Médias omis>", "<Multimedia omitido>",
                                         "<Media weggelaten>", "<Media omessi>", "<Mídia oculta>",
                                         "<Arquivo de mídia oculto>"])
def test_androids_media_omitted_placeholder_in_another_language_is_not_anyones_words(tmp_path, placeholder):
    """A phone set to German, French, Spanish, Dutch, Italian or Portuguese (Brazil's, now and before) writes
    '<Media omitted>' in its language; before, only the English was known, so the others were read as their
    sender's words."""
    path = tmp_path / "chat.txt"
    path.write_text(f"12/03/2024, 10:15 - Dana Whitfield: Hi Marcus.\n12/03/2024, 10:16 - Marcus Lee: {placeholder}\n"
                    "12/03/2024, 10:17 - Marcus Lee: Here is my CV.\n", encoding="utf-8")
    conv = read(path)
    assert _turns(conv) == [("Dana Whitfield", "Hi Marcus."), ("Marcus Lee", "Here is my CV.")]
    assert conv.metadata["chat_notices"] == [f"Marcus Lee: {placeholder}"]


def test_a_whatsapp_export_with_spanish_12_hour_times_is_one(tmp_path):
    """A phone set to Spanish writes a 12-hour time's 'a. m.' and 'p. m.' with a space inside; before, such an export
    was not recognised and was refused as 'not a transcript or email'."""
    path = tmp_path / "chat.txt"
    path.write_text("12/3/24, 10:15 a. m. - Dana Whitfield: Hola Marcus.\n12/3/24, 1:05\u202fp.\u00a0m. - Marcus Lee: "
                    "Hola Dana.\n", encoding="utf-8")
    ios = tmp_path / "_chat.txt"
    ios.write_text("[12/3/24, 10:15:02 a. m.] Dana Whitfield: Hola Marcus.\n[12/3/24, 2:33:40 p. m.] Marcus Lee: Hola "
                   "Dana.\n", encoding="utf-8")
    for chat in (path, ios):
        assert _turns(read(chat)) == [("Dana Whitfield", "Hola Marcus."), ("Marcus Lee", "Hola Dana.")]


def _telegram_message(n, who, text, **extra):
    """A message of Telegram Desktop's JSON export (`result.json`): its text a string, or a list of strings and
    entities when it has formatting, links or mentions; `text_entities` the same text as entities alone."""
    entities = [{"type": "plain", "text": part} if isinstance(part, str) else part
                for part in (text if isinstance(text, list) else [text] if text else [])]
    return {"id": n, "type": "message", "date": f"2024-03-12T10:{14 + n:02d}:00", "date_unixtime": str(1710238440 + n * 60),
            "from": who, "from_id": f"user{100 + n}", "text": text, "text_entities": entities, **extra}


TELEGRAM = {"name": "Marcus Lee", "type": "personal_chat", "id": 4815162342, "messages": [
    {"id": 1, "type": "service", "date": "2024-03-12T10:14:00", "date_unixtime": "1710238440", "actor": "Dana Whitfield",
     "actor_id": "user101", "action": "phone_call", "duration_seconds": 0, "discard_reason": "missed", "text": "",
     "text_entities": []},
    _telegram_message(2, "Dana Whitfield", ["Hi Marcus, is now a good time to talk about the ",
                                            {"type": "bold", "text": "data engineer"}, " role?"]),
    _telegram_message(3, "Marcus Lee", "Hi Dana, yes go ahead.\nWhat is the salary range?",
                      reply_to_message_id=2),
    _telegram_message(4, "Dana Whitfield", "", photo="(File not included. Change data exporting settings to download.)",
                      width=800, height=600),
    _telegram_message(5, "Dana Whitfield", ["70 to 80k plus bonus. The spec: ",
                                            {"type": "link", "text": "https://example.com/spec"}]),
    _telegram_message(6, "Marcus Lee", "", file="(File not included. Change data exporting settings to download.)",
                      media_type="voice_message", mime_type="audio/ogg", duration_seconds=4),
    _telegram_message(7, None, "Sounds good. Tuesday?"),  # from an account since deleted
]}


def test_a_telegram_chat_export_is_read_as_turns_by_sender_without_telegrams_own_messages(tmp_path):
    """Before, Telegram Desktop's JSON export (`result.json`) was refused as 'not a shape this reads'. Each message is
    its sender's (`from`, else `from_id` for an account since deleted), its text joined from its strings and
    entities; a service message (a missed call) and a message with no text (a photo, a voice message) are
    Telegram's or a file, nobody's words, and are listed in the notices."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps(TELEGRAM, ensure_ascii=False), encoding="utf-8")
    conv = read(path)
    assert (conv.id, conv.channel) == ("Marcus Lee", "call")
    assert _turns(conv) == [("Dana Whitfield", "Hi Marcus, is now a good time to talk about the data engineer role?"),
                            ("Marcus Lee", "Hi Dana, yes go ahead.\nWhat is the salary range?"),
                            ("Dana Whitfield", "70 to 80k plus bonus. The spec: https://example.com/spec"),
                            ("user107", "Sounds good. Tuesday?")]
    assert conv.metadata["chat_notices"] == ["Dana Whitfield: phone_call", "Dana Whitfield: photo",
                                             "Marcus Lee: voice_message"]


def test_a_telegram_full_account_export_is_a_conversation_per_chat_one_with_no_words_an_error_in_its_place(tmp_path):
    """Telegram's export of a whole account holds every chat under `chats.list` (and those left under
    `left_chats.list`): each is a conversation named after its chat; one with nothing anyone wrote is an error row
    naming it, and the others are read."""
    empty = {"name": "Priya Raman", "type": "personal_chat", "id": 42, "messages": [TELEGRAM["messages"][3]]}
    group = {"name": "Hiring Q2", "type": "private_group", "id": 43, "messages": [
        _telegram_message(1, "Priya Raman", "Thanks all, leaving the group now.")]}
    export = {"about": "Here is the data you requested.", "personal_information": {"user_id": 101},
              "chats": {"about": "This page lists all chats from this export.", "list": [TELEGRAM, empty]},
              "left_chats": {"about": "This page lists all supergroups and channels you left.", "list": [group]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    chat, no_words, left = read_file(path, errors="keep")
    assert (chat.id, len(chat.turns), left.id, _turns(left)) == (
        "Marcus Lee", 4, "Hiring Q2", [("Priya Raman", "Thanks all, leaving the group now.")])
    assert isinstance(no_words, ReadError) and no_words.conversation_id == "Priya Raman"


@pytest.mark.parametrize("data, error", [
    ({"id": "call-1", "type": "call", "name": "Intro call", "messages": [
        {"id": 1, "type": "message", "from": "Dana Whitfield", "message": "Hi Marcus."},
        {"id": 2, "type": "message", "from": "Marcus Lee", "message": "Hi Dana."}]}, "not a shape this reads"),
    ([{"id": 1, "type": "message", "date": "2024-03-12T10:15:00", "from": "Dana Whitfield", "text": "Hi Marcus."},
      {"id": 2, "type": "message", "date": "2024-03-12T10:16:00", "from": "Marcus Lee", "text": "Hi Dana."}],
     "not diarized"),
])
def test_json_with_messages_or_from_and_text_not_in_telegrams_shape_is_not_taken_for_a_telegram_export(tmp_path, data,
                                                                                                       error):
    """Only a chat object whose messages all have Telegram's `id`, `type` (`message` or `service`) and `date` is
    Telegram's: an object with a `messages` list of other rows, or a bare list of `from` and `text` messages, is
    refused as before."""
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReadError, match=error):
        read(path)


def test_a_teams_message_with_only_an_attachment_is_listed_in_the_notices(tmp_path):
    """A Teams message whose body is only its attachment's tag converts to no text: it gave no turn and no notice,
    dropped unseen. It is listed with its attachment's name, as WhatsApp's media placeholders are."""
    shared = _teams_message(5, "2024-03-12T10:21:00.000Z", "Dana Whitfield", '<attachment id="a5"></attachment>')
    shared["attachments"] = [{"id": "a5", "contentType": "reference", "name": "Job spec.pdf",
                              "contentUrl": "https://example.sharepoint.com/Job%20spec.pdf"}]
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"value": [*TEAMS["value"], shared]}), encoding="utf-8")
    conv = read(path)
    assert len(conv.turns) == 3
    assert conv.metadata["chat_notices"] == ["systemEventMessage", "Dana Whitfield: attachment Job spec.pdf"]


def test_a_teams_emoji_is_read_as_the_character_it_shows_and_an_inline_image_is_a_notice_not_words(tmp_path):
    """Teams writes an emoji as `<emoji alt="...">` and a pasted picture as `<img alt="image">` (its hosted content):
    the emoji was lost ('Sure  see you', and a thumbs-up alone was no text) and the picture read as the sender
    saying 'image'. An emoji is its character; a picture is listed in the notices, as an attachment is."""
    emoji = '<emoji id="1f44d_thumbsup" alt="\U0001f44d" title="Thumbs up"></emoji>'
    picture = ('<img src="https://graph.microsoft.com/v1.0/chats/19:example/messages/7/hostedContents/aW1n/$value" '
               'alt="image" width="250" height="120" itemid="0-wus-d1">')
    extra = [_teams_message(5, "2024-03-12T10:23:00.000Z", "Dana Whitfield", f"<p>Sure {emoji} see you then</p>"),
             _teams_message(6, "2024-03-12T10:24:00.000Z", "Marcus Lee", emoji),
             _teams_message(7, "2024-03-12T10:25:00.000Z", "Dana Whitfield", f"<p>Here is the office:</p><p>{picture}</p>"),
             _teams_message(8, "2024-03-12T10:26:00.000Z", "Marcus Lee", f"<p>{picture}</p>")]
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"value": [*TEAMS["value"], *extra]}), encoding="utf-8")
    conv = read(path)
    assert _turns(conv)[3:] == [("Dana Whitfield", "Sure \U0001f44d see you then"), ("Marcus Lee", "\U0001f44d"),
                                ("Dana Whitfield", "Here is the office:")]
    assert conv.metadata["chat_notices"] == ["systemEventMessage", "Dana Whitfield: image", "Marcus Lee: image"]


def test_two_telegram_chats_of_one_name_are_two_conversations_the_second_with_its_id(tmp_path):
    """Two chats may share a name (two contacts saved alike): they stay apart, the second named with its id after it,
    not read as one conversation."""
    other = {**TELEGRAM, "id": 99, "messages": [_telegram_message(1, "Marcus Lee", "Wrong Marcus, sorry.")]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"chats": {"list": [TELEGRAM, other]}}), encoding="utf-8")
    first, second = read_file(path)
    assert (first.id, len(first.turns), second.id, _turns(second)) == (
        "Marcus Lee", 4, "Marcus Lee (99)", [("Marcus Lee", "Wrong Marcus, sorry.")])


@pytest.mark.parametrize("attachments", [5, True])
def test_a_teams_message_whose_attachments_are_not_a_list_is_listed_not_a_type_error(tmp_path, attachments):
    """A message with no text whose `attachments` is a number or true, not Graph's list, made the file an error row
    reading 'could not read as json: TypeError: 'int' object is not iterable'. It is listed as a message with no text,
    as one with no attachments is, and the file's other messages are read."""
    odd = _teams_message(5, "2024-03-12T10:21:00.000Z", "Dana Whitfield", '<attachment id="a5"></attachment>')
    odd["attachments"] = attachments
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"value": [*TEAMS["value"], odd]}), encoding="utf-8")
    conv = read(path)
    assert (len(conv.turns), conv.metadata["chat_notices"]) == (3, ["systemEventMessage", "Dana Whitfield: no text"])


@pytest.mark.parametrize("subtype", [["bot_message"], {"name": "bot_message"}])
def test_a_slack_message_whose_subtype_is_not_a_string_is_a_notice_not_a_type_error(tmp_path, subtype):
    """A `subtype` given as a list or an object, not Slack's string, made the day file an error row reading 'could not
    read as json: TypeError: unhashable type'. Like any subtype that is not a person's, it is listed in the notices."""
    day = [{**SLACK[0], "subtype": subtype}, *SLACK[1:]]
    path = tmp_path / "2024-03-12.json"
    path.write_text(json.dumps(day), encoding="utf-8")
    conv = read(path)
    assert len(conv.turns) == 4
    assert conv.metadata["chat_notices"][0] == f"{subtype}: <@U0DANA> has joined the channel"


def test_a_telegram_chat_named_as_another_chat_with_its_id_after_it_stays_apart(tmp_path):
    """A second chat of a name is named with its id after it; when a third chat already has that name ('Marcus Lee
    (99)'), the two were read as one conversation, two chats' messages mixed. Each chat is its own conversation."""
    named = {**TELEGRAM, "name": "Marcus Lee (99)", "id": 7, "messages": [_telegram_message(1, "Marcus Lee", "Hello.")]}
    other = {**TELEGRAM, "id": 99, "messages": [_telegram_message(1, "Marcus Lee", "Wrong Marcus, sorry.")]}
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"chats": {"list": [TELEGRAM, named, other]}}), encoding="utf-8")
    convs = read_file(path)
    assert [c.id for c in convs][:2] == ["Marcus Lee", "Marcus Lee (99)"]
    assert len({c.id for c in convs}) == 3
    assert [_turns(c) for c in convs[1:]] == [[("Marcus Lee", "Hello.")], [("Marcus Lee", "Wrong Marcus, sorry.")]]


def _sent(conv):
    return [t.sent.isoformat() if t.sent else None for t in conv.turns]


@pytest.mark.parametrize("text, sent", [
    ("13/03/2024, 10:15 - Dana Whitfield: Hi Marcus.\n02/04/2024, 9:05 - Marcus Lee: Hi Dana.\n",
     ["2024-03-13T10:15:00", "2024-04-02T09:05:00"]),
    ("[3/13/24, 10:15:32\u202fAM] Dana Whitfield: Hi Marcus.\n[4/2/24, 12:05:09\u202fPM] Marcus Lee: Hi Dana.\n",
     ["2024-03-13T10:15:32", "2024-04-02T12:05:09"]),
    ("12/3/24, 12:15 a. m. - Dana Whitfield: Hola Marcus.\n13/3/24, 1:05\u202fp.\u00a0m. - Marcus Lee: Hola Dana.\n",
     ["2024-03-12T00:15:00", "2024-03-13T13:05:00"]),
    ("2024-03-12, 10:15 - Dana Whitfield: Hi Marcus.\n2024-03-12, 10:17 - Marcus Lee: Hi Dana.\n",
     ["2024-03-12T10:15:00", "2024-03-12T10:17:00"]),
    # No first or second number over 12: the phone's order is not known, so no date is guessed.
    ("12/03/2024, 10:15 - Dana Whitfield: Hi Marcus.\n11/03/2024, 10:17 - Marcus Lee: Hi Dana.\n", [None, None]),
    # No number over 12, but the messages' dates go backwards in one order and not in the other: a chat's are in
    # time order, so the other is the phone's (11 March then 2 April, not 3 November then 4 February).
    ("11/03/2024, 10:15 - Dana Whitfield: Hi Marcus.\n02/04/2024, 9:05 - Marcus Lee: Hi Dana.\n",
     ["2024-03-11T10:15:00", "2024-04-02T09:05:00"]),
    ("03/11/2024, 10:15 - Dana Whitfield: Hi Marcus.\n04/02/2024, 9:05 - Marcus Lee: Hi Dana.\n",
     ["2024-03-11T10:15:00", "2024-04-02T09:05:00"]),
    # Each date the same either way round.
    ("05/05/2024, 10:15 - Dana Whitfield: Hi Marcus.\n05/05/2024, 10:17 - Marcus Lee: Hi Dana.\n",
     ["2024-05-05T10:15:00", "2024-05-05T10:17:00"]),
    # In time order either way (1 February then 1 March, or 2 then 3 January): not known.
    ("01/02/2024, 10:15 - Dana Whitfield: Hi Marcus.\n01/03/2024, 10:17 - Marcus Lee: Hi Dana.\n", [None, None]),
    # Both over 12 somewhere: not one order, so none is taken.
    ("13/03/2024, 10:15 - Dana Whitfield: Hi Marcus.\n03/13/2024, 10:17 - Marcus Lee: Hi Dana.\n", [None, None]),
    # A date that is no date (31 April) leaves that message's time out, the other's kept.
    ("31/04/2024, 10:15 - Dana Whitfield: Hi Marcus.\n13/03/2024, 10:17 - Marcus Lee: Hi Dana.\n",
     [None, "2024-03-13T10:17:00"]),
])
def test_a_whatsapp_messages_time_is_its_turns_sent_in_the_order_the_file_shows_never_guessed(tmp_path, text, sent):
    """Each message's date and time is its turn's `sent` (no zone: the export gives none), the date read in the
    phone's order, day or month first, decided for the whole file by a first or second number over 12, else by the
    one order in which the dates never go backwards; a 12-hour
    time (AM/PM, Spanish 'a. m.'/'p. m.') as 24 hours. Before, chat turns had no time."""
    path = tmp_path / "chat.txt"
    path.write_text(text, encoding="utf-8")
    assert _sent(read(path)) == sent


def test_teams_slack_and_telegram_message_times_are_their_turns_sent(tmp_path):
    """Teams' `createdDateTime` and Slack's `ts` are UTC; Telegram's `date_unixtime` is too, and its `date` (the
    exporting computer's local time, no zone) stands in when there is none. A time that does not parse leaves that
    turn's `sent` None and is no error."""
    teams = tmp_path / "chat.json"
    teams.write_text(json.dumps(TEAMS), encoding="utf-8")
    assert _sent(read(teams)) == ["2024-03-12T10:15:00+00:00", "2024-03-12T10:20:00+00:00", "2024-03-12T10:22:00+00:00"]
    slack = tmp_path / "2024-03-12.json"
    slack.write_text(json.dumps([*SLACK[:-1], {**SLACK[-1], "ts": "not-a-time"}]), encoding="utf-8")
    assert _sent(read(slack)) == ["2024-03-12T10:15:00.000200+00:00", "2024-03-12T10:17:00.000300+00:00",
                                  "2024-03-12T10:20:00.000500+00:00", None]
    messages = [_telegram_message(1, "Dana Whitfield", "Hi Marcus."), _telegram_message(2, "Marcus Lee", "Hi Dana."),
                _telegram_message(3, "Dana Whitfield", "Tuesday?"), _telegram_message(4, "Marcus Lee", "Yes.")]
    del messages[1]["date_unixtime"]
    messages[2].update(date_unixtime="soon", date="later")
    messages[3].update(date_unixtime=None, date="2024-13-12T10:18:00")
    telegram = tmp_path / "result.json"
    telegram.write_text(json.dumps({**TELEGRAM, "messages": messages}), encoding="utf-8")
    assert _sent(read(telegram)) == ["2024-03-12T10:15:00+00:00", "2024-03-12T10:16:00", None, None]


def test_a_forwarded_telegram_message_is_its_original_authors_words(tmp_path):
    """A forwarded message (`forwarded_from`) is the words of the person who first wrote them, as a forwarded or
    quoted email is credited to its author (LABELS.md rule 8); before, it was the forwarder's turn. One forwarded from
    an author Telegram does not name is the unknown sender's."""
    messages = [_telegram_message(1, "Dana Whitfield", "Here is what the hiring manager said:"),
                _telegram_message(2, "Dana Whitfield", "The range is 70 to 80k.", forwarded_from="Priya Raman"),
                _telegram_message(3, "Dana Whitfield", "Remote is fine.", forwarded_from=None),
                _telegram_message(4, "Marcus Lee", "Thanks, that works.")]
    path = tmp_path / "result.json"
    path.write_text(json.dumps({**TELEGRAM, "messages": messages}), encoding="utf-8")
    assert _turns(read(path)) == [("Dana Whitfield", "Here is what the hiring manager said:"),
                                  ("Priya Raman", "The range is 70 to 80k."), ("Unknown sender", "Remote is fine."),
                                  ("Marcus Lee", "Thanks, that works.")]


def test_a_teams_message_with_no_sender_is_listed_as_the_unknown_senders(tmp_path):
    """A `message` whose `from` is null names nobody: it was listed in the notices as ': text', with nothing before
    the colon; it is listed as the unknown sender's."""
    path = tmp_path / "chat.json"
    orphan = _teams_message(5, "2024-03-12T10:25:00.000Z", None, "Meeting moved to 3pm.", content_type="text")
    path.write_text(json.dumps({"value": [*TEAMS["value"], orphan]}), encoding="utf-8")
    assert read(path).metadata["chat_notices"] == ["systemEventMessage", "Unknown sender: Meeting moved to 3pm."]


def test_a_slack_file_with_a_ts_of_nan_is_read_in_file_order_not_sorted_by_it(tmp_path):
    """float('nan') parses, but sorts nowhere: a `ts` of 'nan' or 'inf' is not seconds, so the file's order is kept,
    as it is for a `ts` that is no number at all."""
    backwards = SLACK[::-1]
    with_nan, with_word = tmp_path / "nan.json", tmp_path / "word.json"
    with_nan.write_text(json.dumps([dict(m, ts="nan") if i == 2 else m for i, m in enumerate(backwards)]), encoding="utf-8")
    with_word.write_text(json.dumps([dict(m, ts="x") if i == 2 else m for i, m in enumerate(backwards)]), encoding="utf-8")
    assert [t.text for t in read(with_nan).turns] == [t.text for t in read(with_word).turns]



@pytest.mark.parametrize("name, what", [
    ("users.json", "users"), ("channels.json", "public channels"), ("groups.json", "private channels"),
    ("mpims.json", "group direct messages"), ("dms.json", "direct messages"),
])
def test_an_empty_slack_listing_is_an_error_row_naming_the_file_and_what_it_is(tmp_path, name, what):
    """A Slack export of a workspace with no direct messages has `dms.json` holding `[]`: it was refused with
    'diarized JSON: no segment has text', as if it were a broken transcript. Like a listing with entries, it names
    what it is and what to give instead."""
    path = tmp_path / name
    path.write_text("[]\n", encoding="utf-8")
    with pytest.raises(ReadError, match=rf"{name}: a Slack export's empty list of {what} \({name}\), not a "
                                        r"conversation: give the channel folders' day files"):
        read_file(path, errors="keep")


@pytest.mark.parametrize("name", ["calls.json", "2024-03-12.json", "DMs.json"])
def test_an_empty_list_under_another_name_is_refused_as_before(tmp_path, name):
    """Only Slack's own file names say an empty list is Slack's listing; any other empty list is refused as before."""
    path = tmp_path / name
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ReadError, match="diarized JSON: no segment has text"):
        read_file(path, errors="keep")



class _Seconds:
    """A Slack `ts` that counts how often it is read as a number."""

    def __init__(self, ts):
        self.ts, self.reads = ts, 0

    def __float__(self):
        self.reads += 1
        return float(self.ts)


def test_slack_reads_each_messages_ts_once_with_the_same_order_and_times(tmp_path):
    """Each message's `ts` was parsed three times (to decide whether to sort, as the sort key, for its time); once
    gives the same order and times."""
    from reciprocity_nlp.readers.chats import read_slack
    path = tmp_path / "2024-03-12.json"
    path.write_text(json.dumps(SLACK[::-1]), encoding="utf-8")
    expected = read(path)
    messages = [{**m, "ts": _Seconds(m["ts"])} for m in SLACK[::-1]]
    conv = read_slack(messages, path)
    assert (_turns(conv), _sent(conv), conv.metadata) == (_turns(expected), _sent(expected), expected.metadata)
    assert [m["ts"].reads for m in messages] == [1] * len(messages)


def test_a_slack_ts_too_large_for_a_float_is_no_number_of_seconds_and_the_file_is_read_in_its_order(tmp_path):
    """A `ts` of an integer past what a float holds made the day file an error row ('could not read as json:
    OverflowError'), where Telegram's `date_unixtime` of the same was no time: it is no number of seconds, so the file
    is read in its own order, as for a `ts` of 'nan'."""
    path = tmp_path / "2024-03-12.json"
    path.write_text(json.dumps([dict(m, ts=10**400) if i == 1 else m for i, m in enumerate(SLACK[::-1])]),
                    encoding="utf-8")
    conv = read(path)
    assert [t.text for t in conv.turns][:2] == ["Thanks both.", "70 to 80k, hybrid & two days in Leeds. See the spec."]
    assert _sent(conv)[1] is None



def _unread_warnings(conv):
    from reciprocity_nlp.language import conversation_warnings
    return [w for w in conversation_warnings(conv) if "could not be read" in w]


_BODYLESS = {k: v for k, v in _teams_message(5, "2024-03-12T10:23:00.000Z", "Dana Whitfield", "").items() if k != "body"}
_TYPELESS = {k: v for k, v in _teams_message(5, "2024-03-12T10:23:00.000Z", "Dana Whitfield", "Hi.").items()
             if k != "messageType"}


@pytest.mark.parametrize("bad, why", [
    (5, "a number, not a message object"),
    (_TYPELESS, "no messageType"),
    (_BODYLESS, "no body"),
    ({**_BODYLESS, "body": "<p>Hi.</p>"}, "its body is a string, not an object"),
    ({**_BODYLESS, "body": {"contentType": "text", "content": ["Hi."]}}, "its body's content is a list, not text"),
    ({**_BODYLESS, "body": {"contentType": "text", "content": "Hi."}, "from": "Dana Whitfield"},
     "its from is a string, not an object or null"),
])
def test_a_teams_chat_with_one_malformed_message_is_read_that_message_listed_and_warned_of(tmp_path, bad, why):
    """One message of a Teams chat that is not a chatMessage Graph writes (not an object, no messageType, no body or
    one that is not an object, a `from` that is neither an object nor null) made the whole file an error row ('not a
    shape this reads'), or Graph mails (a message without messageType), or was read as 'no text' or an unknown
    sender's notice, nothing saying it was broken. The others are read as before; it is listed in the notices with
    its place in the file and why, and a warning says how many could not be read."""
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"value": [*TEAMS["value"], bad]}), encoding="utf-8")
    conv = read(path)
    assert _turns(conv) == [("Marcus Lee", "Hi Dana, I saw the role.\nWhat is the salary range?"),
                            ("Dana Whitfield", "Could we do a call on Tuesday?"),
                            ("Marcus Lee", "Tuesday at 2pm works.\n\nSpeak then.")]
    assert conv.metadata["chat_notices"] == ["systemEventMessage", f"message 5 not read: {why}"]
    assert conv.metadata["messages_not_read"] == 1
    assert _unread_warnings(conv) == ["1 chat message could not be read (malformed; listed in chat_notices), so the "
                                      "ratings do not see it"]


def test_a_malformed_teams_message_naming_no_chat_is_listed_in_the_chat_of_the_message_before_it(tmp_path):
    """In a file of two chats, a malformed message that names its chat is listed in it; one that names none (not an
    object) in the chat of the message before it in the file, as a blank conversation id is in a table."""
    first = [_teams_message(1, "2024-03-12T10:15:00.000Z", "Marcus Lee", "Hi Dana."),
             _teams_message(2, "2024-03-12T10:16:00.000Z", "Dana Whitfield", "Hi Marcus.")]
    second = [{**_teams_message(n, f"2024-03-13T09:0{n}:00.000Z", who, "Hello."), "chatId": "19:other@unq.gbl.spaces"}
              for n, who in ((3, "Priya Raman"), (4, "Dana Whitfield"))]
    bodyless = {**second[0], "body": None}
    path = tmp_path / "chats.json"
    path.write_text(json.dumps([*first, "oops", *second, bodyless]), encoding="utf-8")
    one, other = read_file(path)
    assert one.metadata["chat_notices"] == ["message 3 not read: a string, not a message object"]
    assert other.metadata["chat_notices"] == ["message 6 not read: no body"]
    assert (one.metadata["messages_not_read"], other.metadata["messages_not_read"], len(other.turns)) == (1, 1, 2)


def test_a_teams_chat_whose_only_words_are_in_malformed_messages_is_an_error_saying_so(tmp_path):
    """A chat whose people's messages all could not be read has no turn: its error says how many messages could not
    be read and why the first could not, not only that it has no turns."""
    path = tmp_path / "chat.json"
    path.write_text(json.dumps({"value": [{**m, "body": 7} for m in TEAMS["value"]]}), encoding="utf-8")
    with pytest.raises(ReadError, match=r"no speaker turns .*; 4 messages could not be read \(the first, message 1: "
                                        r"its body is a number, not an object\)"):
        read(path)


_TELEGRAM_OK = _telegram_message(8, "Marcus Lee", "Tuesday works.")


@pytest.mark.parametrize("bad, why", [
    ("Tuesday works.", "a string, not a message object"),
    ({k: v for k, v in _TELEGRAM_OK.items() if k != "date"}, "no date"),
    ({**_TELEGRAM_OK, "type": "note"}, "its type is 'note', not message or service"),
    ({**_TELEGRAM_OK, "text": 5}, "its text is a number, not text or a list of strings and entities"),
    ({**_TELEGRAM_OK, "text": ["Tuesday ", ["works."]]},
     "its text holds a list, not text or a list of strings and entities"),
    ({**_TELEGRAM_OK, "text": [{"type": "bold", "text": 5}]},
     "its text holds an entity whose text is a number, not text or a list of strings and entities"),
    ({**_TELEGRAM_OK, "from": {"name": "Marcus Lee"}}, "its from is an object, not a name"),
    ({**_TELEGRAM_OK, "forwarded_from": ["Priya Raman"]}, "its forwarded_from is a list, not a name"),
])
def test_a_telegram_chat_with_one_malformed_message_is_read_that_message_listed_and_warned_of(tmp_path, bad, why):
    """One message of a Telegram export that is not as Telegram writes one (not an object, no date, another type, a
    text that is neither a string nor a list of strings and entities, a `from` that is no name) made the whole file
    an error row, or was read as words ('5') or under a sender named "{'name': ...}". The others are read as before;
    it is listed in the notices with its place in the chat's messages and why, and a warning says so."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps({**TELEGRAM, "messages": [*TELEGRAM["messages"], bad]}), encoding="utf-8")
    conv = read(path)
    assert _turns(conv) == [("Dana Whitfield", "Hi Marcus, is now a good time to talk about the data engineer role?"),
                            ("Marcus Lee", "Hi Dana, yes go ahead.\nWhat is the salary range?"),
                            ("Dana Whitfield", "70 to 80k plus bonus. The spec: https://example.com/spec"),
                            ("user107", "Sounds good. Tuesday?")]
    assert conv.metadata["chat_notices"] == ["Dana Whitfield: phone_call", "Dana Whitfield: photo",
                                             "Marcus Lee: voice_message", f"message 8 not read: {why}"]
    assert conv.metadata["messages_not_read"] == 1
    assert len(_unread_warnings(conv)) == 1


def test_a_chat_with_no_malformed_message_has_no_count_or_warning_of_unread_messages(tmp_path):
    """Only what could not be read is counted: a well-formed chat's metadata and warnings are as before."""
    teams, telegram = tmp_path / "chat.json", tmp_path / "result.json"
    teams.write_text(json.dumps(TEAMS), encoding="utf-8")
    telegram.write_text(json.dumps(TELEGRAM), encoding="utf-8")
    for conv in (read(teams), read(telegram)):
        assert "messages_not_read" not in conv.metadata and not _unread_warnings(conv)


@pytest.mark.parametrize("data, error", [
    # Telegram's container with one message in Telegram's shape among rows that are not: not Telegram's.
    ({"id": "call-1", "type": "call", "name": "Intro call", "messages": [
        {"id": 1, "type": "message", "date": "2024-03-12T10:15:00", "from": "Dana Whitfield", "text": "Hi Marcus."},
        {"id": 2, "type": "message", "from": "Marcus Lee", "message": "Hi Dana."},
        {"id": 3, "type": "message", "from": "Dana Whitfield", "message": "Tuesday?"}]}, "not a shape this reads"),
    # Half of the values Teams messages, half not: no majority, so not a Teams chat.
    ([TEAMS["value"][0], TEAMS["value"][2], 5, 6], "segment 3 is not an object"),
])
def test_json_where_chat_messages_are_not_the_clear_majority_is_not_taken_for_a_chat(tmp_path, data, error):
    """A file is a Teams or Telegram chat with malformed messages only when most of its messages (more than half)
    are that app's: one that has a few in its shape is refused as before."""
    path = tmp_path / "call.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ReadError, match=error):
        read(path)


@pytest.mark.parametrize("with_keys", [1, 2], ids=["one segment", "most segments"])
def test_a_diarized_list_with_segments_carrying_teams_keys_is_read_as_diarized_json(tmp_path, with_keys):
    """Segments that carry Teams' `messageType` and `chatId` but no `body` are no chatMessages this could read: when
    one, or most but not all, of them do, the file is read as diarized JSON, as it was, rather than taken for a chat
    whose every message could not be read (an error row). A file all of whose values have Teams' keys is Teams'."""
    rows = [{"speaker": "Dana", "text": "Hi Marcus.", "start": 0, "end": 1},
            {"speaker": "Marcus", "text": "Hi Dana.", "start": 1, "end": 2},
            {"speaker": "Dana", "text": "Tuesday?", "start": 2, "end": 3}]
    for row in rows[:with_keys]:
        row |= {"messageType": "message", "chatId": "c"}
    path = tmp_path / "call.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    conv = read(path)
    assert (conv.metadata["format"], _turns(conv)) == ("json", [("Dana", "Hi Marcus."), ("Marcus", "Hi Dana."),
                                                                ("Dana", "Tuesday?")])
    assert "chat_notices" not in conv.metadata


@pytest.mark.parametrize("text", [
    "12/03/2024, 10:15 - Dana Whitfield: Hi Marcus, is now a good time to talk about the role?\n",
    "[12/03/2024, 10:15:32] Dana Whitfield: Hi Marcus, is now a good time to talk about the role?\n",
    # A byte order mark, Windows line ends and blank lines around the one line.
    "\ufeff\r\n12/03/2024, 10:15 - Dana Whitfield: Hi Marcus, is now a good time to talk about the role?\r\n\r\n",
    # Phones set to some languages write no comma after the date ('2019-01-01 12:00 - ', '12/03/2026 09:58 - ').
    "2024-03-12 10:15 - Dana Whitfield: Hi Marcus, is now a good time to talk about the role?\n",
])
def test_a_whatsapp_export_of_one_message_is_recognised_when_that_line_is_the_whole_file(tmp_path, text):
    """An export of one message (no encryption notice: cut by hand, or an older export) was refused as 'not a
    transcript or email', as detection needed a second message line; `--format whatsapp` read it. A file whose only
    line with text is a message line with a sender and words is one."""
    path = tmp_path / "chat.txt"
    path.write_bytes(text.encode())
    assert detect_format(path.read_bytes(), path) == "whatsapp"
    assert _turns(read(path)) == [("Dana Whitfield", "Hi Marcus, is now a good time to talk about the role?")]


@pytest.mark.parametrize("text, fmt", [
    # A dated title alone, or over a transcript, has no sender: not a message line's shape.
    ("12/03/2024, 10:15 - Discovery call\n", None),
    ("12/03/2024, 10:15 - Discovery call\nDana Whitfield: Hi Marcus.\nMarcus Lee: Hi Dana.\n", "text"),
    # A title with a colon has a sender's shape, but lines follow it.
    ("12/03/2024, 10:15 - Call notes: discovery\nDana Whitfield: Hi Marcus.\nMarcus Lee: Hi Dana.\n", "text"),
    # One message line with lines under it can't be told from such a title over notes, so it is not taken.
    ("12/03/2024, 10:15 - Dana Whitfield: Hi Marcus,\nare you free on Tuesday?\n", None),
    # A sender with no words.
    ("12/03/2024, 10:15 - Dana Whitfield:\n", None),
    # One-line transcripts and a one-cue subtitle file keep their formats.
    ("[00:01:02] Dana Whitfield: Hi Marcus.\n", "timestamped"),
    ("Dana Whitfield: Hi Marcus.\n", "text"),
    ("1\n00:00:01,000 --> 00:00:02,500\nDana Whitfield: Hi Marcus.\n", "srt"),
    ("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\n<v Dana Whitfield>Hi Marcus.\n", "vtt"),
])
def test_a_single_dated_line_is_a_whatsapp_export_only_in_a_messages_shape_alone(text, fmt):
    """What a one-message export is told from: only a file that is one message line, sender and words, is taken;
    every other text reads as before (None: refused, as before)."""
    if fmt is None:
        with pytest.raises(ReadError, match="not a transcript or email"):
            detect_format(text.encode(), "call.txt")
    else:
        assert detect_format(text.encode(), "call.txt") == fmt


# What WhatsApp writes in a phone's language in place of a message (deleted by another, by the exporter), after an
# edited message, after an attached file's name, and for a missed call (which Android writes as the caller's
# message), each as public parsers and test exports of such phones show it.
NOTICES_BY_LANGUAGE = {
    "English": (["This message was deleted", "You deleted this message"], "<This message was edited>", "file attached",
                ["Missed voice call", "Missed video call"]),
    "Spanish": (["Se eliminó este mensaje.", "Eliminaste este mensaje.", "Este mensaje fue eliminado"],
                "<Se editó este mensaje.>", "archivo adjunto",
                ["Llamada perdida", "Llamada de voz perdida", "Videollamada perdida"]),
    "Portuguese": (["Mensagem apagada", "Esta mensagem foi apagada", "Você apagou esta mensagem"], "<Mensagem editada>",
                   "arquivo anexado", ["Ligação de voz perdida", "Chamada de voz perdida"]),
    "German": (["Diese Nachricht wurde gelöscht.", "Du hast diese Nachricht gelöscht."],
               "<Diese Nachricht wurde bearbeitet.>", "Datei angehängt", ["Verpasster Sprachanruf", "Verpasster Videoanruf"]),
    "French": (["Ce message a été supprimé", "Vous avez supprimé ce message"], "<Ce message a été modifié>", "fichier joint",
               ["Appel vocal manqué", "Appel vidéo manqué"]),
    "Italian": (["Questo messaggio è stato eliminato.", "Hai eliminato questo messaggio."],
                "<Questo messaggio è stato modificato>", "file allegato", ["Chiamata vocale persa", "Videochiamata persa"]),
    "Dutch": (["Dit bericht is verwijderd", "U hebt dit bericht verwijderd", "Je hebt dit bericht verwijderd"],
              "<Dit bericht is bewerkt>", "bestand bijgevoegd", ["Gemiste spraakoproep", "Gemiste video-oproep"]),
}


@pytest.mark.parametrize("language", list(NOTICES_BY_LANGUAGE))
def test_whatsapps_notices_in_a_phones_language_are_not_anyones_words(tmp_path, language):
    """Only '<Media omitted>' was known in other languages: a deleted message's placeholder, the edited mark, a
    missed call and 'null' (what Android writes for a message it cannot show) were read as their sender's words, and an
    attached file's name with its caption. Each is listed in the notices, as the English ones are; the caption below
    a file is its sender's, and the edited message's words are kept without the mark."""
    deleted, edited, attached, missed = NOTICES_BY_LANGUAGE[language]
    stamp = "12/03/2024, 10:15 - "
    lines = [f"{stamp}Dana Whitfield: Hi Marcus.", *(f"{stamp}Marcus Lee: {d}" for d in deleted),
             f"{stamp}Marcus Lee: Tuesday works. {edited}", f"{stamp}Dana Whitfield: IMG-20240312-WA0001.jpg ({attached})",
             "The office", *(f"{stamp}Marcus Lee: {m}" for m in missed), f"{stamp}Marcus Lee: null"]
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    conv = read(path)
    assert _turns(conv) == [("Dana Whitfield", "Hi Marcus."), ("Marcus Lee", "Tuesday works."),
                            ("Dana Whitfield", "The office")]
    assert conv.metadata["chat_notices"] == [*(f"Marcus Lee: {d}" for d in deleted), f"Marcus Lee: {edited}",
                                             f"Dana Whitfield: IMG-20240312-WA0001.jpg ({attached})",
                                             *(f"Marcus Lee: {m}" for m in missed), "Marcus Lee: null"]


def test_an_ios_exports_marked_notices_in_a_phones_language_are_not_anyones_words(tmp_path):
    """iOS marks what WhatsApp wrote with a left-to-right mark, in any language: a deleted message's placeholder is a
    notice, and the edited mark after a message is taken off its words."""
    path = tmp_path / "_chat.txt"
    path.write_text("[12/03/2024, 10:15:32] Dana Whitfield: Hola Marcus.\n"
                    f"{LRM}[12/03/2024, 10:16:02] Marcus Lee: {LRM}Se eliminó este mensaje.\n"
                    f"[12/03/2024, 10:17:05] Marcus Lee: El martes me va bien. {LRM}<Se editó este mensaje.>\n",
                    encoding="utf-8")
    conv = read(path)
    assert _turns(conv) == [("Dana Whitfield", "Hola Marcus."), ("Marcus Lee", "El martes me va bien.")]
    assert conv.metadata["chat_notices"] == ["Marcus Lee: Se eliminó este mensaje.", "Marcus Lee: <Se editó este mensaje.>"]


@pytest.mark.parametrize("notice", ['Dana Whitfield hat die Gruppe „Rollen: Q2“ erstellt.',
                                    "Dana Whitfield a créé le groupe « Rôles : T2 »"])
def test_a_group_notice_quoting_a_name_with_a_colon_in_german_or_french_quotes_is_a_notice(tmp_path, notice):
    """A phone set to German quotes a group's name „so“, one set to French « so »: a colon in the name split the
    notice there, read as a sender 'Dana Whitfield hat die Gruppe „Rollen' saying 'Q2“ erstellt.'. Such quotes are
    read as English ones are."""
    path = tmp_path / "chat.txt"
    path.write_text(f"12/03/2024, 10:15 - {notice}\n12/03/2024, 10:16 - Marcus Lee: Hi Dana.\n", encoding="utf-8")
    conv = read(path)
    assert _turns(conv) == [("Marcus Lee", "Hi Dana.")]
    assert conv.metadata["chat_notices"] == [notice]


# Telegram Desktop's HTML export (its default): each chat page as the exporter writes it, a block tag's content on lines
# of its own; the people, words and times are made up.
def _tg_page(name: str, history: str, previous: str | None = None, following: str | None = None) -> str:
    """A page of a chat (`messages.html`, `messages2.html`...), with its links to the pages before and after it."""
    before = f'\n<a class="pagination block_link" href="{previous}">\nPrevious messages\n</a>\n' if previous else ""
    after = f'\n<a class="pagination block_link" href="{following}">\nNext messages\n</a>\n' if following else ""
    return ('<!DOCTYPE html>\n<html>\n\n <head>\n\n  <meta charset="utf-8"/>\n<title>Exported Data</title>\n\n'
            '  <meta name="viewport" content="width=device-width, initial-scale=1.0"/>\n\n'
            '  <link href="css/style.css" rel="stylesheet"/>\n\n'
            '  <script src="js/script.js" type="text/javascript">\n\n  </script>\n\n </head>\n\n'
            ' <body onload="CheckLocation();">\n\n  <div class="page_wrap">\n\n   <div class="page_header">\n\n'
            f'    <div class="content">\n\n     <div class="text bold">\n{name}\n     </div>\n\n    </div>\n\n   </div>\n\n'
            '   <div class="page_body chat_page">\n\n    <div class="history">\n'
            f'{before}{history}{after}\n    </div>\n\n   </div>\n\n  </div>\n\n </body>\n\n</html>\n')


def _tg_service(n: int, text: str) -> str:
    return f'\n<div class="message service" id="message{n}">\n\n <div class="body details">\n{text}\n </div>\n\n</div>\n'


def _tg_message(n: int, title: str, inner: str, sender: str | None = None) -> str:
    """A message: with its sender's userpic and name, or 'joined' to the one before it (the same sender, within 15
    minutes) with neither; `inner` is what its body holds after the name (a reply's link, media, text)."""
    if sender is None:
        opening, userpic, name = f'<div class="message default clearfix joined" id="message{n}">', "", ""
    else:
        initials = "".join(word[0] for word in sender.split())
        opening = f'<div class="message default clearfix" id="message{n}">'
        userpic = ('\n <div class="pull_left userpic_wrap">\n\n  <div class="userpic userpic2" style="width: 42px; '
                   f'height: 42px">\n\n   <div class="initials" style="line-height: 42px">\n{initials}\n   </div>\n\n'
                   '  </div>\n\n </div>\n')
        name = f'\n  <div class="from_name">\n{sender}\n  </div>\n'
    return (f'\n{opening}\n{userpic}\n <div class="body">\n\n  <div class="pull_right date details" title="{title}">\n'
            f'{title[11:16]}\n  </div>\n{name}{inner}\n </div>\n\n</div>\n')


def _tg_text(html: str) -> str:
    return f'\n  <div class="text">\n{html}\n  </div>\n'


def _tg_media(classes: str, title: str, status: str) -> str:
    """A medium the export shows as a box (a call, a voice message, a file): its kind in its classes."""
    return (f'\n  <div class="media_wrap clearfix">\n\n   <div class="media clearfix pull_left {classes}">\n\n'
            '    <div class="fill pull_left">\n\n    </div>\n\n    <div class="body">\n\n'
            f'     <div class="title bold">\n{title}\n     </div>\n\n     <div class="status details">\n{status}\n'
            '     </div>\n\n    </div>\n\n   </div>\n\n  </div>\n')


def _tg_forwarded(author: str | None, inner: str) -> str:
    """A forwarded message's box: its first author's name and date (left out when the message before was forwarded
    from the same person), then its content."""
    name = (f'\n   <div class="from_name">\n{author}<span class="date details" title="11.03.2024 17:02:10 UTC+01:00"> '
            '11.03.2024 17:02:10</span>\n   </div>\n') if author else ""
    userpic = '\n  <div class="pull_left forwarded userpic_wrap">\n\n  </div>\n' if author else ""
    return f'{userpic}\n  <div class="forwarded body">\n{name}{inner}\n  </div>\n'


TG_PHOTO = ('\n  <div class="media_wrap clearfix">\n\n   <a class="photo_wrap clearfix pull_left" '
            'href="photos/photo_1@12-03-2024_10-19-02.jpg">\n\n    <img class="photo" '
            'src="photos/photo_1@12-03-2024_10-19-02_thumb.jpg" style="width: 260px; height: 195px"/>\n\n   </a>\n\n'
            '  </div>\n')

TELEGRAM_HTML = _tg_page("Marcus Lee ", "".join([
    _tg_service(-1, "12 March 2024"),
    _tg_message(1, "12.03.2024 10:14:00 UTC+01:00", _tg_media("media_call", "Marcus Lee", "Cancelled"),
                "Dana Whitfield"),
    _tg_message(2, "12.03.2024 10:15:00 UTC+01:00", _tg_text(
        "Hi Marcus, is now a good time to talk about the <strong>data engineer</strong> role?"), "Dana Whitfield"),
    _tg_message(3, "12.03.2024 10:15:40 UTC+01:00", _tg_text("I can send the spec first.")),
    _tg_message(4, "12.03.2024 10:17:00 UTC+01:00",
                '\n  <div class="reply_to details">\nIn reply to <a href="#go_to_message2" onclick="return '
                'GoToMessage(2)">this message</a>\n  </div>\n'
                + _tg_text("Hi Dana, yes go ahead.<br>What is the salary range?"), "Marcus Lee"),
    _tg_message(5, "12.03.2024 10:19:02 UTC+01:00", TG_PHOTO, "Dana Whitfield"),
    _tg_message(6, "12.03.2024 10:19:30 UTC+01:00", _tg_text(
        '70 to 80k plus bonus. The spec: <a href="https://example.com/spec">https://example.com/spec</a>')),
    _tg_message(7, "12.03.2024 10:21:00 UTC+01:00", _tg_media("media_voice_message", "Voice message", "00:04"),
                "Marcus Lee"),
    _tg_message(8, "12.03.2024 10:22:00 UTC+01:00", _tg_forwarded("Priya Raman", _tg_text("Remote is fine.")),
                "Dana Whitfield"),
    _tg_message(9, "12.03.2024 10:22:00 UTC+01:00", _tg_forwarded(None, _tg_text("Two days in Leeds a month."))),
    _tg_service(10, 'Marcus Lee pinned <a href="#go_to_message6" onclick="return GoToMessage(6)">this message</a>'),
    _tg_message(11, "12.03.2024 10:25:00 UTC+01:00", _tg_text("Sounds good. Tuesday?"), "Marcus Lee"),
]))


def test_a_telegram_html_export_page_is_read_as_turns_by_sender_without_telegrams_own_lines(tmp_path):
    """Before, Telegram Desktop's HTML export, its default, was refused as 'not a transcript or email'. Each message of
    a page (`messages.html`) is its sender's (`from_name`); a 'joined' message, which shows no name, its sender's
    above it; a forwarded one its first author's, as in the JSON export, and one joined to it the same author's; its
    text as the page shows it (a line break a line break, a link its text). A service line (a pin) and a message of a
    medium alone (a call, a photo, a voice message) are listed in the notices; the day's heading restates the
    messages' dates and is not. The conversation is named after the chat."""
    path = tmp_path / "messages.html"
    path.write_text(TELEGRAM_HTML, encoding="utf-8")
    assert detect_format(path.read_bytes(), path) == "telegram_html"
    conv = read(path)
    assert (conv.id, conv.channel, conv.metadata["format"]) == ("Marcus Lee", "call", "telegram_html")
    assert _turns(conv) == [
        ("Dana Whitfield", "Hi Marcus, is now a good time to talk about the data engineer role? I can send the spec first."),
        ("Marcus Lee", "Hi Dana, yes go ahead.\nWhat is the salary range?"),
        ("Dana Whitfield", "70 to 80k plus bonus. The spec: https://example.com/spec"),
        ("Priya Raman", "Remote is fine. Two days in Leeds a month."),
        ("Marcus Lee", "Sounds good. Tuesday?")]
    assert conv.metadata["chat_notices"] == ["Dana Whitfield: call", "Dana Whitfield: photo",
                                             "Marcus Lee: voice_message", "Marcus Lee pinned this message"]


@pytest.mark.parametrize("title, sent", [
    ("12.03.2024 10:15:00 UTC+01:00", "2024-03-12T10:15:00"),
    ("12.03.2024 10:15:00 UTC-05:30", "2024-03-12T10:15:00"),
    ("12.03.2024 10:15:00 UTC", "2024-03-12T10:15:00"),
    ("10.11.2016 15:31:25", "2016-11-10T15:31:25"),  # exports before Telegram Desktop 3.7.6 (2022) give no offset
    ("31.04.2024 10:15:00 UTC+01:00", None),  # no such day: no time, and no error
    ("", None),
])
def test_a_telegram_html_messages_time_is_its_titles_wall_clock(tmp_path, title, sent):
    """The time a page shows is hours and minutes; the date details' title holds the date and the time to the second
    (then, in exports since 2022, the exporting computer's standard UTC offset, which is not the message's in summer
    time: see below): that is the turn's `sent`, with no zone."""
    path = tmp_path / "messages.html"
    path.write_text(_tg_page("Marcus Lee", _tg_message(1, title, _tg_text("Hi Dana."), "Marcus Lee")), encoding="utf-8")
    assert _sent(read(path)) == [sent]


def test_a_telegram_html_name_is_the_persons_without_the_bot_that_posted_or_the_date_a_forward_shows(tmp_path):
    """A message a bot posted for its sender shows 'Name via @bot', and a forwarded one its first author's name with the
    date of the original after it (`<span class="details">` in exports before 2022): neither is part of the name."""
    old_forward = ('\n  <div class="forwarded body">\n   <div class="from_name">\nPriya Raman<span class="details"> '
                   '11.03.2024 17:02:10</span>\n   </div>\n' + _tg_text("Remote is fine.") + '  </div>\n')
    path = tmp_path / "messages.html"
    path.write_text(_tg_page("Marcus Lee", "".join([
        _tg_message(1, "12.03.2024 10:15:00", _tg_text("Here is the role."), "Dana Whitfield via @jobs_bot"),
        _tg_message(2, "12.03.2024 10:16:00", old_forward, "Dana Whitfield"),
        _tg_message(3, "12.03.2024 10:17:00", _tg_text("Thanks."), "Marcus Lee")])), encoding="utf-8")
    assert _turns(read(path)) == [("Dana Whitfield", "Here is the role."), ("Priya Raman", "Remote is fine."),
                                  ("Marcus Lee", "Thanks.")]

def test_the_pages_of_one_telegram_html_chat_are_a_conversation_each_named_after_the_chat_and_the_later_after_its_file(
        tmp_path):
    """Telegram splits a chat's export into pages of 1,000 messages: `messages.html`, `messages2.html`... A later page
    begins with a link to the one before it and is named after the chat and its file, so the pages of one chat in a
    folder stay apart; they are not joined (each page opens with its first message's sender named, so none is read
    without its sender). A full account's export holds each chat in a folder of its own (`chats/chat_01/`)."""
    chat = tmp_path / "chats" / "chat_01"
    chat.mkdir(parents=True)
    first = _tg_message(1, "12.03.2024 10:15:00 UTC+01:00", _tg_text("Hi Marcus."), "Dana Whitfield")
    second = _tg_message(1001, "14.03.2024 09:00:00 UTC+01:00", _tg_text("Morning Dana."), "Marcus Lee")
    third = _tg_message(2001, "15.03.2024 09:00:00 UTC+01:00", _tg_text("See you then."), "Dana Whitfield")
    (chat / "messages.html").write_text(_tg_page("Marcus Lee", first, following="messages2.html"), encoding="utf-8")
    (chat / "messages2.html").write_text(_tg_page("Marcus Lee", second, previous="messages.html",
                                                  following="messages3.html"), encoding="utf-8")
    (chat / "messages3.html").write_text(_tg_page("Marcus Lee", third, previous="messages2.html"), encoding="utf-8")
    convs = list(iter_conversations(tmp_path))
    assert [(c.id, _turns(c)) for c in convs] == [
        ("Marcus Lee", [("Dana Whitfield", "Hi Marcus.")]),
        ("Marcus Lee (messages2)", [("Marcus Lee", "Morning Dana.")]),
        ("Marcus Lee (messages3)", [("Dana Whitfield", "See you then.")])]


def test_a_telegram_html_exports_pages_that_list_chats_or_contacts_are_error_rows_saying_what_they_are(tmp_path):
    """A whole account's export has, beside its chats' folders, pages of its own (`export_results.html`,
    `lists/chats.html`, `lists/contacts.html`) that hold no conversation: reading the export's folder gave each the
    error 'not a transcript or email'; it says what the page is and where the chats are."""
    summary = _tg_page("Exported Data", "").replace('<div class="page_body chat_page">\n\n    <div class="history">',
                                                    '<div class="page_body list_page">\n\n    <div class="entry_list">')
    path = tmp_path / "export_results.html"
    path.write_text(summary, encoding="utf-8")
    with pytest.raises(ReadError, match=r"a page of Telegram Desktop's HTML export that is no chat .*chats/chat_01/"):
        read(path)


HTML_LOOKALIKES = {
    # An email (headers, then its HTML) whose HTML is, or looks like, a Telegram chat page: an email, read as before.
    "notification": "From: Hiring Bot <bot@example.com>\nTo: dana@example.com\nSubject: New chat messages\n"
                    "Date: Tue, 12 Mar 2024 10:30:00 +0000\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n"
                    + TELEGRAM_HTML,
    # A page saved from a web chat or a mail client, with divs named like Telegram's but not its chat page's.
    "saved.html": '<!DOCTYPE html>\n<html><head><title>Re: Data engineer role</title></head>\n<body>\n'
                  '<div class="page_wrap"><div class="page_header"><div class="text bold">Inbox</div></div>\n'
                  '<div class="page_body"><div class="history">\n<div class="message default clearfix" id="message1">'
                  '<div class="body"><div class="pull_right date details" title="12.03.2024 10:15:00">10:15</div>'
                  '<div class="from_name">Dana Whitfield</div><div class="text">Hi Marcus, is now a good time?</div>'
                  '</div></div>\n</div></div></div>\n</body></html>\n',
}


@pytest.mark.parametrize("name", sorted(HTML_LOOKALIKES))
def test_html_that_is_not_a_telegram_chat_page_is_not_read_as_one(tmp_path, name):
    """Only a page that opens as an HTML page and holds Telegram's chat page (`page_body chat_page`, then `history`)
    or the body of its export's other pages is read as Telegram's: an email whose HTML is such a page, or a page whose
    divs are only named like Telegram's, is read as it was, an email or refused."""
    path = tmp_path / name
    path.write_text(HTML_LOOKALIKES[name], encoding="utf-8")
    if name == "notification":
        assert detect_format(path.read_bytes(), path) == "eml"
        assert read(path).channel == "email"
    else:
        with pytest.raises(ReadError, match="not a transcript or email"):
            detect_format(path.read_bytes(), path)


@pytest.mark.parametrize("text", ["Dana Whitfield: Hi Marcus.\nMarcus Lee: Hi Dana.\n", "Dana Whitfield: <![ if mso"])
def test_a_file_read_as_a_telegram_html_page_that_is_none_is_an_error_saying_so(tmp_path, text):
    """`format="telegram_html"` on a file that is no page of Telegram's export is an error naming what was looked for,
    not an empty conversation; so is one the HTML parser rejects (a broken `<![` declaration), not bs4's own
    ParserRejectedMarkup, which is no ReadError and would stop a batch."""
    path = tmp_path / "call.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReadError, match="not a page of Telegram Desktop's HTML export"):
        read(path, format="telegram_html")


@pytest.mark.parametrize("title", ["12/03/2024, 10:15 - Discovery call", "12/03/2024, 10:15 - Call notes: discovery"])
@pytest.mark.parametrize("end", ["\r", "\u2028"])
def test_a_dated_transcript_whose_lines_end_without_a_newline_is_not_a_one_message_whatsapp_export(title, end):
    """Lines ended by a carriage return alone (an old Mac's) or a line separator are lines, as every reader splits
    them: such a file with a dated title over a transcript read as text, and was then taken for a WhatsApp export of
    one message (its whole text that message), refused or read as one turn of a sender 'Call notes'."""
    text = end.join([title, "Dana Whitfield: Hi Marcus.", "Marcus Lee: Hi Dana."]) + end
    assert detect_format(text.encode(), "call.txt") == "text"


def test_a_whatsapp_sender_whose_nickname_is_in_chevrons_is_read_as_a_sender(tmp_path):
    """German and Danish also quote »so«: a contact saved as 'Robert »Bob« Lee' was made a notice, its words lost,
    when « and » were taken as French quotes only; a colon inside them still keeps a notice whole."""
    path = tmp_path / "chat.txt"
    path.write_text("12/03/2024, 10:15 - Dana Whitfield oprettede gruppen »Roller: Q2«\n"
                    "12/03/2024, 10:16 - Robert »Bob« Lee: Hi Dana, is the role still open?\n", encoding="utf-8")
    conv = read(path)
    assert _turns(conv) == [("Robert »Bob« Lee", "Hi Dana, is the role still open?")]
    assert conv.metadata["chat_notices"] == ["Dana Whitfield oprettede gruppen »Roller: Q2«"]


def test_a_text_whose_first_line_is_long_and_blank_is_sniffed_as_the_call_below_it():
    """The first line with text was searched for from every place in a blank line to its end: a first line of 50,000
    spaces took about 8 s (200,000: nearly 3 minutes) before any reader was tried. How the time grows is measured by
    benchmarks/pathological_inputs.py."""
    text = " " * 50_000 + "\nDana Whitfield: Hi Marcus.\nMarcus Lee: Hi Dana.\n"
    assert detect_format(text.encode(), "call.txt") == "text"
    assert _turns(parse_bytes(text.encode(), "call.txt")[0]) == [("Dana Whitfield", "Hi Marcus."), ("Marcus Lee", "Hi Dana.")]


def test_a_telegram_html_page_of_long_messages_with_line_breaks_and_links_keeps_every_break(tmp_path):
    """Telegram writes each line break in a text as `<br>` (which bs4's parser once kept in a list it searched at every
    closing tag, so a 1,000-message page took over 10 seconds): every break is kept and every joined message goes to its
    sender. How the time grows with the page is measured by `benchmarks/long_input.py` (a ratio, not a timed test)."""
    sentence = "we could talk about the role and the team on tuesday or thursday if you like and I can send the spec first"
    words = sentence.split()
    messages = []
    for n in range(60):
        text = [words[(n + i) % len(words)] for i in range(800)]
        for i in range(40):
            text[20 * i + 9] += "<br>"
            if i % 2:
                word = text[20 * i + 3]
                text[20 * i + 3] = f'<a href="https://example.com/{i}">{word}</a>' if i % 4 == 1 else f"<strong>{word}</strong>"
        messages.append(_tg_message(n + 1, "12.03.2024 10:15:00 UTC+01:00", _tg_text(" ".join(text)),
                                    ("Dana Whitfield", "Marcus Lee", None)[n % 3]))
    path = tmp_path / "messages.html"
    path.write_text(_tg_page("Marcus Lee", "".join(messages)), encoding="utf-8")
    conv = read(path)
    assert [t.speaker for t in conv.turns] == ["Dana Whitfield", "Marcus Lee"] * 20  # a joined message is Marcus's
    assert sum(t.text.count("\n") for t in conv.turns) == 60 * 40


@pytest.mark.parametrize("title, sent", [
    ("12.03.2024 10:15:00 CET", "2024-03-12T10:15:00"),
    ("12.03.2024 10:15:00 MSK", "2024-03-12T10:15:00"),
    ("12.03.2024 10:15:00 +03", "2024-03-12T10:15:00"),
    ("12.03.2024 10:15:00 GMT+01:00", "2024-03-12T10:15:00"),
])
def test_a_telegram_html_title_with_a_zone_not_given_as_a_utc_offset_keeps_its_date_and_time(tmp_path, title, sent):
    """Qt names the exporting computer's zone by its offset, 'UTC+01:00', where it can; built without ICU on Linux it
    writes the zone's abbreviation ('CET', 'MSK', '+03'). The date and time before it are the message's all the same:
    they are kept with no zone, as in exports before 2022, not dropped because the zone is not read."""
    path = tmp_path / "messages.html"
    path.write_text(_tg_page("Marcus Lee", _tg_message(1, title, _tg_text("Hi Dana."), "Marcus Lee")), encoding="utf-8")
    assert _sent(read(path)) == [sent]



def test_a_telegram_html_page_cut_inside_a_character_is_still_read_as_utf_8(tmp_path):
    """Telegram writes its pages in UTF-8 and says so (`<meta charset="utf-8"/>`). A page cut off inside a character (an
    export stopped part way) was no valid UTF-8, so the whole page was read as Windows-1252 and every name and word
    outside ASCII garbled ('Ð”Ð°Ð½Ð°' for 'Дана'); only the cut character is lost now."""
    page = _tg_page("Марк Ли", "".join([
        _tg_message(1, "12.03.2024 10:15:00 UTC+03:00", _tg_text("Привет, Марк."), "Дана Уитфилд"),
        _tg_message(2, "12.03.2024 10:16:00 UTC+03:00", _tg_text("Привет, Дана. Когда созвонимся?"), "Марк Ли")]))
    data = page.encode("utf-8")
    path = tmp_path / "messages.html"
    path.write_bytes(data[:data.index("созвонимся".encode()) + 3])
    conv = read(path)
    assert conv.id == "Марк Ли"
    assert _turns(conv)[0] == ("Дана Уитфилд", "Привет, Марк.")
    assert _turns(conv)[1][0] == "Марк Ли" and _turns(conv)[1][1].startswith("Привет, Дана. Когда с")
    assert conv.metadata["cut_short"] == [_TG_CUT_NOTE]  # cut inside its history, so noted as cut short


def test_a_telegram_html_titles_utc_offset_is_not_taken_for_the_messages_own(tmp_path):
    """The offset in a title is the exporting computer's standard one, the same on every message of the export (Telegram
    asks Qt for the zone's StandardTime name, which Qt's Windows, macOS and ICU backends give as the standard offset of
    the year of the export), while the time before it is the wall clock of the message's day: a message sent in Berlin's
    summer (UTC+02:00) at 10:15 is titled '10:15:00 UTC+01:00', which put it an hour early. The wall clock is kept,
    with no zone, as in exports before 2022."""
    path = tmp_path / "messages.html"
    path.write_text(_tg_page("Marcus Lee", "".join([
        _tg_message(1, "12.01.2024 10:15:00 UTC+01:00", _tg_text("Hi Dana."), "Marcus Lee"),
        _tg_message(2, "12.07.2024 10:15:00 UTC+01:00", _tg_text("Hi Marcus."), "Dana Whitfield")])), encoding="utf-8")
    assert _sent(read(path)) == ["2024-01-12T10:15:00", "2024-07-12T10:15:00"]


_GROUP = {"name": "Hiring Q2", "type": "private_group", "id": 43, "messages": [
    _telegram_message(1, "Priya Raman", "Thanks all, leaving the group now.")]}


@pytest.mark.parametrize("bad, why", [
    ("Priya Raman", "a string, not a chat object"),
    ({"name": "Priya Raman", "type": "personal_chat", "id": 42}, "no messages"),
    ({"name": "Priya Raman", "type": "personal_chat", "id": 42, "messages": {"1": _TELEGRAM_OK}},
     "its messages are an object, not a list"),
    ({"name": "Priya Raman", "type": "personal_chat", "id": 42, "messages": ["Hi.", "Hello.", _TELEGRAM_OK]},
     "2 of its 3 messages are not Telegram's"),
])
def test_a_telegram_account_export_with_one_malformed_chat_reads_the_others_that_chat_an_error_row(tmp_path, bad, why):
    """A whole account's export in which one chat of the list is not as Telegram writes one (not an object, no
    `messages`, `messages` not a list, or most of them not Telegram's) was refused whole, as 'not a shape this reads'.
    The others are read as before; that chat is an error row in its place naming where it is and what is wrong."""
    export = {"about": "Here is the data you requested.", "chats": {"list": [TELEGRAM, bad]},
              "left_chats": {"list": [_GROUP]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    chat, broken, left = read_file(path, errors="keep")
    assert (chat.id, len(chat.turns), left.id, _turns(left)) == (
        "Marcus Lee", 4, "Hiring Q2", [("Priya Raman", "Thanks all, leaving the group now.")])
    assert isinstance(broken, ReadError) and broken.conversation_id == "chat 2 of chats.list"
    named = " ('Priya Raman')" if isinstance(bad, dict) else ""
    assert str(broken) == f"{path}: chat 2 of chats.list{named} cannot be read: {why}"


def test_a_malformed_chat_of_left_chats_is_named_by_its_place_in_that_list(tmp_path):
    """The chats a user left are listed apart (`left_chats.list`): a malformed one is named by its place there."""
    export = {"chats": {"list": [TELEGRAM]}, "left_chats": {"list": [_GROUP, 7]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    *_, broken = read_file(path, errors="keep")
    assert str(broken) == f"{path}: chat 2 of left_chats.list cannot be read: a number, not a chat object"


@pytest.mark.parametrize("chats", [[TELEGRAM, "Priya Raman"], [TELEGRAM, {"name": "Priya", "id": 42}, 7]])
def test_an_account_export_whose_chats_are_not_mostly_telegrams_is_refused_as_before(tmp_path, chats):
    """Only a file whose chats are mostly (more than half) in Telegram's shape is an account's export with a malformed
    chat: one with half or fewer is refused as before."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps({"chats": {"list": chats}}), encoding="utf-8")
    with pytest.raises(ReadError, match="not a shape this reads"):
        read(path)


_TELEGRAM_NAMELESS = {k: v for k, v in _TELEGRAM_OK.items() if k != "from"}
_TELEGRAM_CALL = {k: v for k, v in TELEGRAM["messages"][0].items() if k != "actor"}


@pytest.mark.parametrize("bad, why", [
    ({**_TELEGRAM_NAMELESS, "from_id": {"id": 108}}, "its from_id is an object"),
    ({**_TELEGRAM_NAMELESS, "from": None, "from_id": ["user108"]}, "its from_id is a list"),
    ({**_TELEGRAM_NAMELESS, "from": "", "from_id": True}, "its from_id is true or false"),
    ({**_TELEGRAM_NAMELESS, "from_id": 108.5}, "its from_id is a number"),
    ({**_TELEGRAM_CALL, "id": 8, "actor_id": {"id": 101}}, "its actor_id is an object"),
    ({**_TELEGRAM_NAMELESS, "forwarded_from": None, "forwarded_from_id": ["channel7"]},
     "its forwarded_from_id is a list"),
])
def test_a_telegram_id_that_stands_in_for_a_missing_name_and_is_no_id_is_a_message_not_read(tmp_path, bad, why):
    """A message with no name (`from`, `actor`, `forwarded_from` missing, null or empty) is its id's (`from_id`...,
    as for an account since deleted); an id that is an object, a list, true or false or a fraction was read as the
    sender's name ("{'id': 108}", 'True'). It is listed as a message not read, as the other malformed fields are."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps({**TELEGRAM, "messages": [*TELEGRAM["messages"], bad]}), encoding="utf-8")
    conv = read(path)
    assert len(conv.turns) == 4 and conv.metadata["messages_not_read"] == 1
    assert conv.metadata["chat_notices"][-1] == (f"message 8 not read: {why}, not an id (text, or a whole number as "
                                                 "exports before 2021 write it)")


def test_a_telegram_ids_kind_is_not_checked_where_a_name_stands_and_a_whole_number_is_an_older_exports_id(tmp_path):
    """An id is only read where its name is missing: beside a name it is not checked. Telegram Desktop wrote ids as
    whole numbers before it wrote 'user108' (2021): such an id stands for the sender as it always did."""
    named = {**_TELEGRAM_OK, "from_id": {"id": 108}}
    older = {**_TELEGRAM_NAMELESS, "id": 9, "from_id": 108, "text": "Or Wednesday."}
    path = tmp_path / "result.json"
    path.write_text(json.dumps({**TELEGRAM, "messages": [*TELEGRAM["messages"], named, older]}), encoding="utf-8")
    conv = read(path)
    assert _turns(conv)[-2:] == [("Marcus Lee", "Tuesday works."), ("108", "Or Wednesday.")]
    assert "messages_not_read" not in conv.metadata


def test_a_malformed_teams_message_in_json_lines_is_named_by_its_line(tmp_path):
    """In JSON Lines, as an email table's row errors do, a Teams message not read is named by its line in the file
    (blank lines counted), not by its count among the messages, which is no place an editor shows."""
    lines = [json.dumps(m) for m in TEAMS["value"]]
    path = tmp_path / "chat.jsonl"
    path.write_text("\n".join([lines[0], "", lines[1], json.dumps({**TEAMS["value"][2], "body": 5}), *lines[2:]]) + "\n",
                    encoding="utf-8")
    conv = read(path)
    assert len(conv.turns) == 3
    assert conv.metadata["chat_notices"] == ["systemEventMessage",
                                             "message on line 4 not read: its body is a number, not an object"]


def test_a_teams_chat_in_json_lines_whose_words_are_all_malformed_names_the_first_by_its_line(tmp_path):
    path = tmp_path / "chat.jsonl"
    path.write_text("\n\n" + "\n".join(json.dumps({**m, "body": 7}) for m in TEAMS["value"]) + "\n", encoding="utf-8")
    with pytest.raises(ReadError, match=r"4 messages could not be read \(the first, message on line 3: its body is a "
                                        r"number, not an object\)"):
        read(path)


def _cut_before(page: str, marker: str) -> str:
    """A page of Telegram's export cut short just before `marker`, as a copy or download stopped part way."""
    return page[:page.index(marker)]


_ACCOUNT_CHAT = TELEGRAM_HTML.replace('<div class="content">', '<a class="content block_link" '
                                      'href="../../lists/chats.html" onclick="return GoBack(this)">')
# Telegram Desktop's first HTML exporter listed the chats left apart, and a left chat's page links back to that list.
_LEFT_CHAT = _ACCOUNT_CHAT.replace("lists/chats.html", "lists/left_chats.html")


@pytest.mark.parametrize("page", [
    _cut_before(TELEGRAM_HTML, '<div class="history">'),  # after its chat page's body opened
    _cut_before(TELEGRAM_HTML, '<div class="page_body'),  # after the header of a chat's own export, which links nowhere
    _cut_before(_ACCOUNT_CHAT, '<div class="page_body'),  # after the header of a whole account's chat, back to its list
    _cut_before(_LEFT_CHAT, '<div class="page_body'),  # after the header of a chat left, in an early export
], ids=["chat page body", "chat's header", "account chat's header", "left chat's header"])
def test_a_telegram_html_chat_page_cut_before_its_history_is_an_error_saying_so(tmp_path, page):
    """A chat page cut short before its messages was refused as 'a page ... that is no chat (its summary, or its list
    of chats...)', which it is not: it says it is a chat page with no message history, cut short."""
    path = tmp_path / "messages.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(ReadError, match=r"messages\.html: a Telegram Desktop chat page with no message history: cut "
                                        r"short\?"):
        read(path)


_TG_CUT_NOTE = ("the page ends inside its message history, with no end of the history or the page after it: messages "
                "after the cut may be missing")
_TG_CUT_MESSAGE = "the last message not read: cut short before any words"
_TG_CUT_WARNING = f"chat cut short ({_TG_CUT_NOTE}): rated on what came before the cut"


def _cut_warnings(conv):
    from reciprocity_nlp.language import conversation_warnings
    return [w for w in conversation_warnings(conv) if "cut short" in w]


def _history_span(data: bytes) -> tuple[int, int]:
    """Where a page's history holds its messages: from the end of its opening tag to its closing tag (the last
    `</div>` but two, the page body's and the page wrap's following it), in bytes."""
    start = data.index(b'<div class="history">') + len(b'<div class="history">')
    end = data.rindex(b"</div>", 0, data.rindex(b"</div>", 0, data.rindex(b"</div>")))
    return start, end


def test_a_telegram_html_chat_page_cut_inside_its_history_is_read_as_far_as_it_goes_with_a_warning(tmp_path):
    """A page cut inside its messages (a copy or download stopped part way) was read with no word that messages were
    missing. Cut at every 50th byte inside its history, inside each of its tags, and just before the history's end, it
    is read as far as it goes and noted as cut short (`cut_short`, named in a warning, as a cut email is); a cut that
    leaves no message with words is an error row that says the page was cut short. What is read is what the whole page
    gives, as far as the cut: the message the cut falls in adds no markup of a tag cut in two to its words and, with no
    words, is listed as cut rather than by a sender or a content its page may no longer show whole."""
    data = TELEGRAM_HTML.encode("utf-8")
    start, end = _history_span(data)
    assert data[end:].startswith(b"</div>") and data[start:end].count(b'<div class="message') == 12
    whole = tmp_path / "messages.html"
    whole.write_bytes(data)
    whole_turns, whole_notices = _turns(read(whole)), read(whole).metadata["chat_notices"]
    in_tags = [start + tag.start() + len(tag[0]) // 2 for tag in re.finditer(rb"<[^>]*>", data[start:end])]
    read_as_far, refused = [], []
    for cut in sorted({*range(start, end, 50), *in_tags, end}):
        path = tmp_path / f"cut{cut}" / "messages.html"
        path.parent.mkdir()
        path.write_bytes(data[:cut])
        try:
            conv = read(path)
        except ReadError as exc:
            assert "cut short" in exc.reason, cut
            refused.append(cut)
            continue
        assert conv.metadata["cut_short"] == [_TG_CUT_NOTE], cut
        assert _cut_warnings(conv) == [_TG_CUT_WARNING], cut
        turns, notices = _turns(conv), conv.metadata.get("chat_notices", [])
        *before, (speaker, said) = turns
        assert before == whole_turns[:len(before)], cut
        assert speaker == whole_turns[len(before)][0] and whole_turns[len(before)][1].startswith(said), cut
        assert "<" not in said, cut
        listed = notices[:-1] if notices[-1:] == [_TG_CUT_MESSAGE] else notices
        assert listed == whole_notices[:len(listed)], cut
        read_as_far.append(cut)
    assert len(read_as_far) > 3 * len(refused) > 0
    assert _turns(read(path)) == whole_turns  # cut just before the history's end: every message is read


_TG_LAST_NOTICES = ["Dana Whitfield: call", "Dana Whitfield: photo", "Marcus Lee: voice_message"]


@pytest.mark.parametrize("cut_after, last_turn, notices", [
    # Inside a link's opening tag: its markup is not read as the words' end.
    ('The spec: <a href="https://example.com/spe', ("Dana Whitfield", "70 to 80k plus bonus. The spec:"),
     _TG_LAST_NOTICES[:2]),
    # Inside a message's opening, before its sender's name: no note that the sender above it sent a message with no text.
    ('<div class="message default clearfix" id="message4">\n\n <div class="pull_left userpic_wrap">',
     ("Dana Whitfield", "Hi Marcus, is now a good time to talk about the data engineer role? I can send the spec first."),
     [*_TG_LAST_NOTICES[:1], _TG_CUT_MESSAGE]),
    # Inside its sender's name: no note naming 'Mar'.
    ('<div class="from_name">\nMar', ("Dana Whitfield", "Hi Marcus, is now a good time to talk about the data engineer "
                                      "role? I can send the spec first."), [*_TG_LAST_NOTICES[:1], _TG_CUT_MESSAGE]),
    # Inside the link of a pin's line: no note with its markup.
    ('pinned <a href="#go_to_message6" onclick="ret', ("Priya Raman", "Remote is fine. Two days in Leeds a month."),
     [*_TG_LAST_NOTICES, _TG_CUT_MESSAGE]),
    # Inside the 'Sounds good' message's text: its words are read as far as they go.
    ("Sounds go", ("Marcus Lee", "Sounds go"), [*_TG_LAST_NOTICES, "Marcus Lee pinned this message"]),
])
def test_a_telegram_html_message_the_cut_falls_in_gives_no_markup_and_no_sender_it_may_not_have(
        tmp_path, cut_after, last_turn, notices):
    """The review's cuts: the message a page is cut in gave its tag cut in two as its words' end (`The spec: <a
    href="https://example.com/spe`) or as a pin's line, and, cut before its text, a note of a message with no text by
    the sender above it or by its name cut in two (`Mar: no text`). Its words are read as far as they go and no
    further; with none, it is listed as cut."""
    path = tmp_path / "messages.html"
    path.write_text(TELEGRAM_HTML[:TELEGRAM_HTML.index(cut_after) + len(cut_after)], encoding="utf-8")
    conv = read(path)
    assert _turns(conv)[-1] == last_turn
    assert conv.metadata["chat_notices"] == notices and conv.metadata["cut_short"] == [_TG_CUT_NOTE]


def test_a_telegram_html_page_cut_after_its_last_message_or_in_its_next_link_has_every_message(tmp_path):
    """A cut just after the last message, or inside the link to the next page, leaves every message: the warning says
    messages after the cut may be missing, not that they are."""
    page = _tg_page("Marcus Lee", _tg_message(1, "12.03.2024 10:15:00", _tg_text("Hi Marcus."), "Dana"),
                    following="messages2.html")
    for cut in (page.index('\n<a class="pagination'), page.index("Next messages") + 4):
        path = tmp_path / "messages.html"
        path.write_text(page[:cut], encoding="utf-8")
        conv = read(path)
        assert _turns(conv) == [("Dana", "Hi Marcus.")] and "chat_notices" not in conv.metadata
        assert _cut_warnings(conv) == [_TG_CUT_WARNING] and "may be missing" in _TG_CUT_WARNING


def test_a_telegram_html_chat_page_cut_with_no_message_with_words_says_it_was_cut_short(tmp_path):
    path = tmp_path / "messages.html"
    path.write_text(_cut_before(TELEGRAM_HTML, 'Hi Marcus, is now'), encoding="utf-8")
    with pytest.raises(ReadError, match=r"no speaker turns with text found in this telegram_html file; cut short: the "
                                        r"page ends inside its message history"):
        read(path)


def _minified(page: str) -> str:
    """A page as a browser's 'Save page' or an HTML minifier may write it: no whitespace between tags."""
    return re.sub(r">\s+<", "><", page)


_WHOLE_TG_PAGES = {
    "chat": TELEGRAM_HTML,
    "account chat": _ACCOUNT_CHAT,
    "left chat": _LEFT_CHAT,
    "first of pages": _tg_page("Marcus Lee", _tg_message(1, "12.03.2024 10:15:00", _tg_text("Hi Marcus."), "Dana"),
                               following="messages2.html"),
    "middle page": _tg_page("Marcus Lee", _tg_message(1001, "14.03.2024 09:00:00", _tg_text("Morning."), "Marcus Lee"),
                            previous="messages.html", following="messages3.html"),
    "last page": _tg_page("Marcus Lee", _tg_message(2001, "15.03.2024 09:00:00", _tg_text("See you."), "Dana"),
                          previous="messages2.html"),
    "cyrillic": _tg_page("Марк Ли", _tg_message(1, "12.03.2024 10:15:00 UTC+03:00", _tg_text("Привет, Марк."),
                                                "Дана Уитфилд")),
    "no final line break": TELEGRAM_HTML.rstrip("\n"),
    "windows line breaks": TELEGRAM_HTML.replace("\n", "\r\n"),
    "minified": _minified(TELEGRAM_HTML),
    "upper case tags": TELEGRAM_HTML.replace("</div>", "</DIV>").replace("</html>", "</HTML>"),
    # Cut after its history closed: every message is there.
    "cut after the history": TELEGRAM_HTML[:TELEGRAM_HTML.rindex("</div>", 0, TELEGRAM_HTML.rindex("</div>"))],
    "cut before </html>": TELEGRAM_HTML[:TELEGRAM_HTML.rindex("</html>")],
    # Its history, body and wrap never closed (as a hand-edited page may be, which a browser shows whole), but the page
    # ends as a whole one does: its `</html>` says it is not cut.
    "divs left open": re.sub(r"(\s*</div>){3}(?=\s*</body>)", "", TELEGRAM_HTML),
}


@pytest.mark.parametrize("name", sorted(_WHOLE_TG_PAGES))
def test_a_whole_telegram_html_chat_page_is_not_noted_as_cut_short(tmp_path, name):
    """Only a page whose history is never closed and that has no end of page after it is cut short: every whole page
    (and one cut after its history, its messages all there) is read with no such note."""
    path = tmp_path / "messages.html"
    path.write_bytes(_WHOLE_TG_PAGES[name].encode("utf-8"))
    conv = read(path)
    assert conv.turns and "cut_short" not in conv.metadata and _cut_warnings(conv) == []


_SUMMARY = _tg_page("Exported Data", "").replace('<div class="page_body chat_page">\n\n    <div class="history">',
                                                 '<div class="page_body">\n\n    <div class="personal_info clearfix">')
_CHATS_LIST = _tg_page("Chats", "").replace(
    '<div class="content">', '<a class="content block_link" href="../export_results.html" onclick="return GoBack(this)">'
).replace('<div class="page_body chat_page">\n\n    <div class="history">',
          '<div class="page_body list_page">\n\n    <div class="page_about details">')


@pytest.mark.parametrize("page", [_SUMMARY, _cut_before(_SUMMARY, '<div class="page_body'), _CHATS_LIST,
                                  _cut_before(_CHATS_LIST, '<div class="page_body')],
                         ids=["summary", "summary's header", "list", "list's header"])
def test_the_telegram_html_summary_and_lists_whole_or_cut_are_still_no_chat(tmp_path, page):
    """The export's summary (headed 'Exported Data', linking nowhere) and its lists (linking back to the summary) are
    no chat, whole or cut short after their header."""
    path = tmp_path / "export_results.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises(ReadError, match=r"a page of Telegram Desktop's HTML export that is no chat"):
        read(path)


def test_a_slack_message_of_a_file_alone_is_listed_in_the_notices(tmp_path):
    # A person's message with no text (a file shared with no comment) gave no turn and was listed nowhere.
    path = tmp_path / "2024-03-12.json"
    path.write_text(json.dumps([
        {"type": "message", "ts": "1710238500.0001", "user": "U1", "text": "Here is the deck",
         "user_profile": {"real_name": "Dana Whitfield"}},
        {"type": "message", "subtype": "file_share", "ts": "1710238560.0001", "user": "U1", "text": "",
         "files": [{"name": "deck.pdf"}, {"id": "F2"}]},
        {"type": "message", "ts": "1710238600.0001", "user": "U2", "text": "Thanks, reading now",
         "user_profile": {"real_name": "Marcus Lee"}}]), encoding="utf-8")
    conv = read(path)
    assert _turns(conv) == [("Dana Whitfield", "Here is the deck"), ("Marcus Lee", "Thanks, reading now")]
    assert conv.metadata["chat_notices"] == ["Dana Whitfield: file deck.pdf"]
