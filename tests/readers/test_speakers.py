import json

import pytest

from reciprocity_nlp import ReadError, parse, read
from reciprocity_nlp.conversation import Conversation, Sentence, Turn
from reciprocity_nlp.readers.speakers import (
    SpeakerRegistry,
    display_name,
    named_labels,
    parse_speaker_names,
    person_key,
    rename_speakers,
    speaker_map,
    speaker_name,
    unify_labels,
)
from tests.conftest import FIXTURES


def test_name_and_address_forms_are_one_person():
    reg = SpeakerRegistry()
    reg.add("", "sam@x.com")
    reg.add("Sam Patel", "sam@x.com")
    reg.add("Sam Patel", "")
    reg.add("Jo Hill", "jo@y.com")
    assert reg.resolve("", "sam@x.com") == "Sam Patel"
    assert reg.resolve("Sam Patel", "") == "Sam Patel"
    assert reg.resolve("sam@x.com", "") == "Sam Patel"
    assert reg.addresses() == {"Sam Patel": "sam@x.com", "Jo Hill": "jo@y.com"}


def test_sender_names_win_over_recipient_names():
    reg = SpeakerRegistry()
    reg.add("Mr Tan Boon Huat", "tan@x.com", sender=False)
    reg.add("Tan Boon Huat", "tan@x.com")
    assert reg.resolve("", "tan@x.com") == "Tan Boon Huat"


def test_outlook_last_first():
    assert display_name("Patel, Sam") == "Sam Patel"
    assert display_name('"Sam Patel"') == "Sam Patel"


@pytest.mark.parametrize("labels, expected", [
    (["Tom Okafor", "TOM OKAFOR", "tom  okafor", "Tom", "TOM"], ["Tom Okafor"] * 5),
    (["TOM OKAFOR", "Tom Okafor"], ["Tom Okafor"] * 2),  # the first form in normal case, not the first seen
    (["JORDAN", "jordan"], ["JORDAN"] * 2),  # no form in normal case: the first seen
    (["Priya", "Priya R.", "Priya Raman"], ["Priya Raman"] * 3),
    (["Tom Okafor", "Tom Reed", "Tom"], ["Tom Okafor", "Tom Reed", "Tom"]),  # two Toms: never guessed
    (["Chris", "Christine Lee"], ["Chris", "Christine Lee"]),  # a first name, not a prefix of one
    (["J.", "J. R. Okafor"], ["J.", "J. R. Okafor"]),
    (["Speaker 1", "Speaker 10", "SPEAKER_01", "speaker_01"], ["Speaker 1", "Speaker 10", "SPEAKER_01", "SPEAKER_01"]),
    (["Unknown", "Unknown Caller"], ["Unknown", "Unknown Caller"]),
])
def test_transcript_labels_of_one_person_are_one_speaker(labels, expected):
    names = unify_labels(labels)
    assert [names[label] for label in labels] == expected


def test_role_labels_are_not_short_forms_of_other_labels():
    labels = ["Customer Success", "Customer", "Agent (Supervisor)", "Agent", "Sales Manager", "Sales", "Speaker A",
              "Speaker", "Unknown", "Unknown Caller"]
    assert unify_labels(labels) == {label: label for label in labels}
    assert unify_labels(["Anne-Marie O'Neill", "Anne-Marie"])["Anne-Marie"] == "Anne-Marie O'Neill"


def test_people_with_different_addresses_are_not_merged_by_a_shared_name():
    registry = SpeakerRegistry()
    registry.add("Sam Patel", "sam@acme.example")
    registry.add("Sam Jones", "sam@bakery.example", sender=False)
    registry.add("Sam", "sam@bakery.example")  # the customer signs as plain 'Sam'
    assert registry.resolve("Sam Patel", "sam@acme.example") != registry.resolve("Sam", "sam@bakery.example")
    registry.add("Sam", "")  # a bare name that fits both joins one, and merges neither
    assert registry.resolve("", "sam@acme.example") == "Sam Patel"


def test_labels_that_differ_in_accents_are_one_speaker():
    assert unify_labels(["Zoë Müller", "Zoe", "ZOË MÜLLER"]) == {"Zoë Müller": "Zoë Müller", "Zoe": "Zoë Müller",
                                                                "ZOË MÜLLER": "Zoë Müller"}


def test_a_full_name_with_a_bracketed_firm_is_that_name_but_a_role_with_one_is_not():
    names = unify_labels(["Raj Patel (Acme)", "Raj Patel", "Raj", "Agent (Supervisor)", "Agent"])
    assert names["Raj Patel"] == names["Raj"] == "Raj Patel (Acme)"
    assert names["Agent"] == "Agent" and names["Agent (Supervisor)"] == "Agent (Supervisor)"


def test_a_name_written_last_name_first_is_that_person_but_roles_are_not_reordered():
    names = unify_labels(["Whitfield, Dana (Brightpath Talent)", "Dana Whitfield", "Dana", "Support, Customer"])
    assert names["Dana Whitfield"] == names["Dana"] == "Whitfield, Dana (Brightpath Talent)"
    assert names["Support, Customer"] == "Support, Customer"
    assert person_key("van der berg, anna") == "anna van der berg" and person_key("lee, marcus, jr") == "lee, marcus, jr"


def test_meeting_tools_additions_to_a_name_are_that_person():
    names = unify_labels(["Marcus Lee (he/him)", "Marcus Lee 🙂", "Marcus Lee ❤️", "Marcus Lee 👍🏽", "Marcus"])
    assert len(set(names.values())) == 1
    # A firm beside a name may come first or last: two people of one firm stay two.
    names = unify_labels(["Brightpath Talent | Dana Whitfield", "Brightpath Talent | Sam Ortiz"])
    assert names["Brightpath Talent | Sam Ortiz"] == "Brightpath Talent | Sam Ortiz"
    assert person_key("agent | tier 2") == "agent | tier 2" and person_key(" " * 100_000 + "x") == " " * 100_000 + "x"


def test_a_relayed_or_tool_made_sender_name_is_the_person():
    assert display_name("Jana Mueller via LinkedIn") == "Jana Mueller"
    assert display_name("Chris from Ledgerly") == "Chris"
    assert display_name("Lead from Website Form") == "Lead from Website Form"  # a role, not a person
    assert display_name("Billing from Stripe") == "Billing from Stripe"  # a team
    assert display_name("'Jana Mueller' via Hiring Group") == "Jana Mueller"  # Google Groups
    reg = SpeakerRegistry()
    reg.add("Jana Mueller via LinkedIn", "inmail-hit-reply@linkedin.com")
    reg.add("Jana Mueller", "jana@fenwick.example")
    reg.add("Chris from Ledgerly", "chris@ledgerly.example")
    reg.add("Chris Doyle", "chris@ledgerly.example")
    assert reg.resolve("Jana Mueller via LinkedIn", "inmail-hit-reply@linkedin.com") == "Jana Mueller"
    assert reg.resolve("", "chris@ledgerly.example") == "Chris Doyle"


def test_thousands_of_people_are_each_found_by_address_and_name():
    # A sighting used to be compared with every person seen (a To line of 20,000 addresses took a minute).
    reg = SpeakerRegistry()
    for i in range(8_000):
        reg.add(f"Person {i}", f"p{i}@x.com", sender=False)
    reg.add("Person 7", "")
    reg.add("", "P7999@X.COM")
    assert reg.resolve("", "p7@x.com") == "Person 7" and reg.resolve("Person 7999", "") == "Person 7999"
    assert len(reg.addresses()) == 8_000 and reg.addresses()["Person 123"] == "p123@x.com"


CHANNELS = json.dumps({"segments": [
    {"speaker": "Channel 0", "text": "Hi, it's Dana from Brightpath.", "start": 0, "end": 2},
    {"speaker": "Channel 2", "text": "Sorry, I moved rooms.", "start": 2.5, "end": 4},
    {"speaker": "Channel 1", "text": "No problem.", "start": 4, "end": 5},
    {"speaker": "Channel 0", "text": "So, the role.", "start": 5, "end": 6},
]})


def test_a_speaker_name_map_renames_labels_whatever_their_case_and_records_them():
    call = parse("Speaker 0: Hi, it's Dana.\nSpeaker 1: Hello.\nSPEAKER 0: Got a minute?\n", name="c.txt")
    named = rename_speakers(call, {"speaker  0": "Dana Whitfield", "Speaker 9": "Nobody"})
    assert named.speakers == ["Dana Whitfield", "Speaker 1"]
    assert [t.speaker for t in named.turns] == ["Dana Whitfield", "Speaker 1", "Dana Whitfield"]
    assert named.metadata["speaker_labels"] == {"SPEAKER 0": "Dana Whitfield", "Speaker 0": "Dana Whitfield"}
    assert call.speakers == ["Speaker 0", "Speaker 1"] and "speaker_labels" in call.metadata  # the original as it was
    assert named_labels(call, ["SPEAKER 0", "Speaker 9"]) == {"SPEAKER 0"}


def test_a_map_label_names_a_speaker_whose_label_only_adds_a_tag():
    call = parse("Dana Whitfield: Hi, who's joined?\nSpeaker 1 (Guest): Marcus here.\n", name="c.txt")
    assert rename_speakers(call, {"Speaker 1": "Marcus Lee"}).speakers == ["Dana Whitfield", "Marcus Lee"]
    both = parse("Speaker 1: Hi.\nSpeaker 1 (Guest): Hello.\n", name="c.txt")  # the exact label wins, the other stays
    assert rename_speakers(both, {"Speaker 1": "Dana"}).speakers == ["Dana", "Speaker 1 (Guest)"]


def test_two_labels_given_one_name_are_one_speaker_whose_consecutive_turns_are_joined():
    call = parse(CHANNELS, name="c.json")
    named = rename_speakers(call, {"Channel 0": "Dana Whitfield", "channel 2": "dana whitfield"})
    assert [(t.index, t.speaker) for t in named.turns] == [(0, "Dana Whitfield"), (1, "Channel 1"), (2, "Dana Whitfield")]
    first = named.turns[0]
    assert first.text == "Hi, it's Dana from Brightpath. Sorry, I moved rooms." and (first.start, first.end) == (0, 4)
    assert named.metadata["speaker_labels"] == {"Channel 0": "Dana Whitfield", "Channel 2": "Dana Whitfield"}
    # A name another speaker already has makes them one speaker, named as the map writes it.
    assert rename_speakers(call, {"Channel 2": "CHANNEL 0"}).speakers == ["CHANNEL 0", "Channel 1"]


def test_joined_turns_keep_their_sentences_and_turns_one_speaker_had_apart_stay_apart():
    turns = [Turn(0, "A", "Hi. Hello.", sentences=[Sentence(0, 3), Sentence(4, 10)]),
             Turn(1, "B", "Yes?", sentences=[Sentence(0, 4)]),
             Turn(2, "B", "Well.", sentences=[Sentence(0, 5)])]
    named = rename_speakers(Conversation("c", "call", turns), {"B": "A"})
    assert [t.sentence_texts() for t in named.turns] == [["Hi.", "Hello.", "Yes?"], ["Well."]]
    assert turns[0].text == "Hi. Hello."  # the caller's turns are not changed


def test_a_label_the_reader_merged_into_a_speaker_names_that_speaker():
    call = read(FIXTURES / "calls" / "mixed_names.txt")
    named = rename_speakers(call, {"ROSA": "Rosa L."})
    assert named.speakers == ["Amir Haddad", "Rosa L."]
    assert named.metadata["speaker_labels"]["ROSA LINDQVIST"] == named.metadata["speaker_labels"]["Rosa Lindqvist"] == "Rosa L."


def test_an_email_thread_keeps_its_messages_apart_and_its_addresses_follow_their_sender():
    thread = read(FIXTURES / "emails" / "thread.mbox")
    named = rename_speakers(thread, {"Aoife Byrne": "Shane Fitzgerald"})
    assert len(named.turns) == len(thread.turns) and named.speakers == ["Shane Fitzgerald"]
    assert named.metadata["addresses"] == {"Shane Fitzgerald": "aoife.byrne@mail.example"}


@pytest.mark.parametrize("text, expected", [
    ("Speaker 0=Dana Whitfield; Speaker 1=Marcus Lee", {"Speaker 0": "Dana Whitfield", "Speaker 1": "Marcus Lee"}),
    (" Speaker 0 = Dana ; ", {"Speaker 0": "Dana"}),
    ('{"Speaker 0": "Dana Whitfield"}', {"Speaker 0": "Dana Whitfield"}),
    ("spk_0=Dana = the rep", {"spk_0": "Dana = the rep"}),
    ("Speaker 0=Whitfield, Dana; Speaker 1=Lee, Marcus", {"Speaker 0": "Whitfield, Dana", "Speaker 1": "Lee, Marcus"}),
])
def test_a_written_map_is_read(text, expected):
    assert parse_speaker_names(text) == expected


@pytest.mark.parametrize("text, message", [
    ("Speaker 0 Dana", "no '='"),
    ("=Dana", "no speaker label"),
    ("Speaker 0=", "no name"),
    ("Speaker 0=Dana; SPEAKER 0=Marcus", "one label given two names"),
    ('{"Speaker 0": 3}', "must be text"),
    ('{"Speaker 0": " "}', "must not be blank"),
    ('{"Speaker 0": "Dana"', "not a JSON object"),
    ('{"Speaker 0": "Dana', r"not a JSON object \(Unterminated string starting at column 15\)$"),
    ('{"Speaker 0":\n "Dana', r"not a JSON object \(Unterminated string starting at line 2 column 2\)$"),
    ('["Speaker 0"]', "no '='"),
    ("Speaker 0=Dana Whitfield, Speaker 1=Marcus Lee", r"^Speaker 0='Dana Whitfield, Speaker 1=Marcus Lee': the name "
                                                       r"holds 'Speaker 1=' after a comma; separate LABEL=NAME pairs with ';'"),
    ("Speaker 0=Lee, Dana; Speaker 1=Marcus, x= y", "holds 'x=' after a comma"),
])
def test_a_malformed_map_says_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_speaker_names(text)


def test_one_item_and_a_map_given_twice_alike():
    assert speaker_name(" Speaker 0 = Dana ") == ("Speaker 0", "Dana")
    assert speaker_map([("Speaker 0", "Dana"), ("speaker 0", "Dana")]) == {"Speaker 0": "Dana"}


def test_read_and_parse_take_a_map_and_refuse_a_label_that_is_no_speaker_of_the_file(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(CHANNELS)
    assert read(path, speaker_names={"Channel 1": "Marcus Lee"}).speakers == ["Channel 0", "Channel 2", "Marcus Lee"]
    with pytest.raises(ReadError, match=r"c\.json: speaker_names: 'Channel 7' is not a speaker of this file; its "
                                        r"speakers are: Channel 0, Channel 2, Channel 1"):
        read(path, speaker_names={"Channel 1": "Marcus Lee", "Channel 7": "X"})
    with pytest.raises(ValueError, match="must not be blank"):
        parse("A: hi\nB: hello\n", speaker_names={" ": "X"})
    assert read(path).speakers == ["Channel 0", "Channel 2", "Channel 1"]


def test_an_address_that_spells_a_name_is_that_person_under_another_address():
    # A rep's domain changed mid-thread: the old address alone, then a name with the new one.
    reg = SpeakerRegistry()
    reg.add("", "chris.doyle@ledgerly.io")
    reg.add("Chris Doyle (Ledgerly)", "chris@ledgerly.com")
    reg.add("Priya Raman", "priya@northwind.com")
    reg.join_spelled_addresses()
    assert reg.resolve("", "chris.doyle@ledgerly.io") == "Chris Doyle (Ledgerly)"
    assert reg.resolve("Priya Raman", "priya@northwind.com") == "Priya Raman"
    assert reg.addresses()["Chris Doyle (Ledgerly)"] in {"chris.doyle@ledgerly.io", "chris@ledgerly.com"}


@pytest.mark.parametrize("people", [
    [("", "sam@x.com"), ("Sam Patel", "sam.patel@y.com")],  # one word spells no full name
    [("", "sam.patel@x.com"), ("Sam Patel", "sp@y.com"), ("Sam Patel", "sam@z.com")],  # two people of that name
    [("", "sam.patel2@x.com"), ("Sam Patel", "sp@y.com")],  # not only letters
    [("Sam", "sam.patel@x.com"), ("Sam Patel", "sp@y.com")],  # a named sender keeps their own identity
])
def test_an_address_joins_no_one_unless_it_spells_exactly_one_full_name(people):
    reg = SpeakerRegistry()
    for name, addr in people:
        reg.add(name, addr)
    reg.join_spelled_addresses()
    assert reg.resolve("", people[0][1]) != reg.resolve(*people[1])


def test_renamed_speakers_are_joined_across_words_not_read_only_when_whoever_spoke_them_is_named_the_same():
    """A turn's `not_read_before` names who spoke, unread, before it: S3 between S1 and S2 parts them while S3 is
    someone else, and not once the map names S3 the same person."""
    turns = [Turn(0, "S1", "a"), Turn(1, "S2", "b", metadata={"not_read_before": ["S3"]}), Turn(2, "S3", "c")]
    conv = Conversation("c", "call", turns)
    parted = rename_speakers(conv, {"S1": "Marcus", "S2": "Marcus"})
    assert [(t.speaker, t.text) for t in parted.turns] == [("Marcus", "a"), ("Marcus", "b"), ("S3", "c")]
    joined = rename_speakers(conv, {"S1": "Marcus", "S2": "Marcus", "s3": "MARCUS"})
    assert [(t.speaker, t.text) for t in joined.turns] == [("Marcus", "a b c")]


def test_speakers_whose_words_could_not_be_read_are_renamed_with_the_others():
    """`not_read_before` and `speakers_not_read` name speakers with no turn; a map renames them too, so renaming in two
    steps parts and joins turns as one step does, and one renamed as a speaker with turns is no longer listed."""
    turns = [Turn(0, "S1", "a"), Turn(1, "S2", "b", metadata={"not_read_before": ["S3"]}), Turn(2, "Dana", "c")]
    conv = Conversation("c", "call", turns, metadata={"speakers_not_read": ["S3"]})
    priya = rename_speakers(conv, {"S3": "Priya"})
    assert priya.turns[1].metadata["not_read_before"] == ["Priya"] and priya.metadata["speakers_not_read"] == ["Priya"]
    in_two_steps = rename_speakers(priya, {"S1": "Marcus", "S2": "Marcus", "Priya": "Marcus"})
    in_one = rename_speakers(conv, {"S1": "Marcus", "S2": "Marcus", "S3": "Marcus"})
    assert [(t.speaker, t.text) for t in in_two_steps.turns] == [(t.speaker, t.text) for t in in_one.turns] == [
        ("Marcus", "a b"), ("Dana", "c")]
    assert "speakers_not_read" not in in_one.metadata  # Marcus has turns
