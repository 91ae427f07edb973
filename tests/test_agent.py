import pytest

from reciprocity_nlp import AgentError, assign_agent, read
from reciprocity_nlp.agent import guess_agent, resolve_agent
from reciprocity_nlp.conversation import UNKNOWN_SENDER, Conversation, Turn
from tests.conftest import FIXTURES


def test_resolve_forms():
    email = read(FIXTURES / "emails" / "thread.mbox")
    assert resolve_agent(email, "aoife.byrne@mail.example") == "Aoife Byrne"
    assert resolve_agent(email, "shane fitzgerald") == "Shane Fitzgerald"
    assert resolve_agent(email, "sha") == "Shane Fitzgerald"
    assert resolve_agent(email, "byrne") == "Aoife Byrne"
    call = read(FIXTURES / "calls" / "whisperx.json")
    assert resolve_agent(call, "speaker_01") == "SPEAKER_01"
    accented = Conversation(id="c", channel="call", turns=[Turn(index=0, speaker="Renée Dubois", text="Bonjour."),
                                                           Turn(index=1, speaker="Tom", text="Hi.")])
    assert resolve_agent(accented, "renee  DUBOIS") == "Renée Dubois"  # accents, case and spacing ignored


def call_of(*speakers):
    return Conversation(id="c", channel="call", turns=[Turn(index=i, speaker=s, text="Hello there.")
                                                       for i, s in enumerate(speakers)])


def test_a_full_name_finds_the_short_form_an_export_labels_its_speaker_with():
    assert resolve_agent(call_of("Dana W.", "Ruth Ames"), "Dana Whitfield") == "Dana W."
    assert resolve_agent(call_of("MARCUS", "Ruth Ames"), "Marcus Bell") == "MARCUS"
    with pytest.raises(AgentError, match=r"matches several speakers: Tom, Tom O\."):
        resolve_agent(call_of("Tom", "Tom O."), "Tom Okafor")
    with pytest.raises(AgentError, match="not a speaker"):
        resolve_agent(call_of("Dana R.", "Ruth Ames"), "Dana Whitfield")  # another surname's initial
    with pytest.raises(AgentError, match="not a speaker"):
        resolve_agent(call_of("Customer", "Ruth Ames"), "Customer Success")  # a role, not a first name


def test_a_name_finds_a_directory_label_written_last_name_first_and_the_reverse():
    teams = call_of("Whitfield, Dana (Brightpath Talent)", "Lee, Marcus")
    assert resolve_agent(teams, "Dana Whitfield") == "Whitfield, Dana (Brightpath Talent)"
    assert resolve_agent(teams, "marcus lee") == "Lee, Marcus"
    assert resolve_agent(call_of("Dana Whitfield", "Marcus Lee"), "Whitfield, Dana") == "Dana Whitfield"


def test_ambiguous_and_unknown():
    call = read(FIXTURES / "calls" / "whisperx.json")
    with pytest.raises(AgentError, match="matches several speakers"):
        resolve_agent(call, "SPEAKER")
    with pytest.raises(AgentError, match="not a speaker; speakers are: SPEAKER_00, SPEAKER_01"):
        resolve_agent(call, "Bob")


def test_guess_is_reported():
    call = read(FIXTURES / "calls" / "whisperx.json")
    assert assign_agent(call) == "SPEAKER_01"  # the caller introduces herself, not the receptionist
    assert call.metadata["agent_source"].startswith("guessed")
    email = read(FIXTURES / "emails" / "thread.mbox")
    assert assign_agent(email) == "Shane Fitzgerald"
    assert assign_agent(email, "aoife") == "Aoife Byrne"
    assert email.metadata["agent_source"] == "given"


def test_quoted_text_with_no_author_is_not_guessed_as_the_agent():
    conv = Conversation(id="q", channel="email", turns=[
        Turn(index=0, speaker=UNKNOWN_SENDER, text="Our platform is the best in the market, book a demo today!"),
        Turn(index=1, speaker="Dee Shah", text="Thanks, not for us right now."),
    ])
    assert guess_agent(conv)[0] == "Dee Shah"


def test_a_line_with_no_speaker_is_not_guessed_as_the_agent():
    from reciprocity_nlp import parse

    table = ("speaker,text\n,Hi this is Sam from Brightpath Recruitment. Can you send me your CV today? I have three "
             "roles for you.\nJo,Not right now thanks.\n")
    call = parse(table, format="csv", name="call.csv")
    assert call.speakers == ["Unknown", "Jo"]
    assert guess_agent(call)[0] == "Jo"


def test_the_only_named_speaker_is_guessed_with_a_reason_that_fits_a_call_or_an_email():
    """The reason spoke of 'quoted text with no author' in a call too, where the rest is lines naming no speaker."""
    call = Conversation("c", "call", [Turn(0, "Unknown", "Hello?"), Turn(1, "Jo", "Hi, it's Jo from Brightpath.")])
    assert guess_agent(call) == ("Jo", "the only named speaker (the rest names no speaker)")
    email = Conversation("e", "email", [Turn(0, UNKNOWN_SENDER, "Any news?"), Turn(1, "Jo", "Not yet, sorry.")])
    assert guess_agent(email) == ("Jo", "the only named speaker (the rest is quoted text with no author)")


def _thread(addresses: dict[str, str]) -> Conversation:
    speakers = list(addresses)
    turns = [Turn(index=i, speaker=s, text=f"Hi, {s} here. Shall we talk about the role on Thursday?")
             for i, s in enumerate(speakers)]
    return Conversation(id="fwd", channel="email", turns=turns, metadata={"addresses": addresses})


def test_an_agent_given_as_the_teams_mail_domain_is_the_speaker_writing_from_it():
    # A recruiter forwards a candidate's reply to the hiring manager: the guess may pick anyone, the domain cannot.
    conv = _thread({"Sam Patel": "sam.patel@gmail.com", "Jana Mueller": "jana@mail.talentbridge.co.uk",
                    "Oliver Grant": "oliver@fenwick.example"})
    assert assign_agent(conv, "@talentbridge.co.uk") == "Jana Mueller"
    assert conv.metadata["agent_source"] == "given: the only speaker writing from @talentbridge.co.uk"
    assert assign_agent(_thread({"Sam": "sam@gmail.com", "Jana": "JANA@TalentBridge.co.uk"}), "@talentbridge.co.uk.") \
        == "Jana"


def test_a_domain_several_speakers_write_from_is_guessed_among_them_only():
    conv = _thread({"Sam Patel": "sam.patel@gmail.com", "Jana Mueller": "jana@talentbridge.co.uk",
                    "Ravi Shah": "ravi@talentbridge.co.uk"})
    name = assign_agent(conv, "@talentbridge.co.uk")
    assert name in {"Jana Mueller", "Ravi Shah"}
    assert conv.metadata["agent_source"].startswith("guessed among the 2 speakers writing from @talentbridge.co.uk")
    assert guess_agent(conv, among=["Sam Patel"])[0] == "Sam Patel"


@pytest.mark.parametrize(("addresses", "why"), [
    ({"Sam Patel": "sam@gmail.com", "Jana Mueller": "jana@bridge.co.uk"}, "speakers write from: Sam Patel <sam@gmail"),
    ({}, "holds no email addresses"),  # a call
    ({"Sam Patel": "sam@gmail.com", "Jana Mueller": "jana@nottalentbridge.co.uk"}, "speakers write from"),
])
def test_a_domain_no_speaker_writes_from_is_an_error_saying_who_writes_from_where(addresses, why):
    conv = _thread(addresses or {"Sam Patel": "", "Jana Mueller": ""})
    with pytest.raises(AgentError, match="no speaker writes from that domain") as err:
        assign_agent(conv, "@talentbridge.co.uk")
    assert why in str(err.value)


def test_a_person_who_wrote_from_two_addresses_is_found_by_either_and_by_either_domain():
    # A blind review's case: the rep wrote from chris@ledgerly.com, then from chris.doyle@ledgerly.io, which the reader
    # joins to him; his colleague writes from ledgerly.com too.
    conv = _thread({"Chris Doyle": "chris.doyle@ledgerly.io", "Ana Reyes": "ana@client.example",
                    "Priya Nair": "priya@ledgerly.com"})
    conv.metadata["other_addresses"] = {"Chris Doyle": ["chris@ledgerly.com"]}
    assert resolve_agent(conv, "chris@ledgerly.com") == "Chris Doyle"
    assert assign_agent(conv, "@ledgerly.io") == "Chris Doyle"
    assign_agent(conv, "@ledgerly.com")
    assert conv.metadata["agent_source"].startswith("guessed among the 2 speakers writing from @ledgerly.com")


def test_a_renamed_label_still_names_its_speaker():
    conv = Conversation(id="c", channel="call", turns=[Turn(index=0, speaker="Dana Whitfield", text="Hi."),
                                                       Turn(index=1, speaker="Marcus Lee", text="Hello.")],
                        metadata={"speaker_labels": {"Speaker 0": "Dana Whitfield", "Speaker 1": "Marcus Lee"}})
    assert resolve_agent(conv, "speaker 0") == "Dana Whitfield"


def test_a_call_of_one_speaker_is_named_and_a_single_email_or_a_two_sided_call_is_not():
    from reciprocity_nlp.agent import one_speaker_warning

    solo = Conversation("solo", "call", [Turn(0, "Alice", "Our product is great."), Turn(1, "Alice", "Buy it today.")])
    assert one_speaker_warning(solo).startswith("only one speaker (Alice): a call with no counterpart")
    assert one_speaker_warning(Conversation("one", "email", [Turn(0, "Alice", "Our product is great.")])) is None
    assert one_speaker_warning(Conversation("two", "call", [Turn(0, "Alice", "Hi."), Turn(1, "Bo", "Hello.")])) is None


def test_a_call_of_one_named_speaker_and_lines_naming_none_is_named_and_one_with_two_named_speakers_is_not():
    """Lines read as `Unknown` beside one named speaker left the one-speaker check silent, though the counterpart is
    then a guess: the unnamed lines are read as the other side's whoever spoke them. With a second named speaker, or
    in an email (quoted text by `Unknown sender`), the conversation has its counterpart and is not named."""
    from reciprocity_nlp.agent import one_speaker_warning

    half = Conversation("half", "call", [Turn(0, "Dana", "Hi, it's Dana from Brightpath."), Turn(1, "Unknown", "Hi."),
                                         Turn(2, "Dana", "Have you got a minute?"), Turn(3, "Unknown", "Sure.")])
    assert one_speaker_warning(half) == (
        "only one named speaker (Dana): 2 turns name no speaker ('Unknown'), so who the counterpart is, and which "
        "lines are theirs, is a guess, and the ratings and reciprocity metrics, which weigh the agent against the "
        "other side, rest on it; check the transcript's speaker labels")
    opening = Conversation("opening", "call", [Turn(0, "Unknown", "Recording started."), Turn(1, "Dana", "Hi.")])
    assert one_speaker_warning(opening).startswith("only one named speaker (Dana): 1 turn names no speaker")
    three = Conversation("three", "call", [*half.turns, Turn(4, "Bo", "Thanks.")])
    assert one_speaker_warning(three) is None
    quoted = Conversation("quoted", "email", [Turn(0, UNKNOWN_SENDER, "Hi."), Turn(1, "Dana", "Hello.")])
    assert one_speaker_warning(quoted) is None


def test_an_agent_given_as_a_speakers_position_is_an_error_naming_the_speakers_not_a_guess():
    """`agent=0` was falsy, so the agent was silently guessed; `agent=1` failed deep inside with an AttributeError."""
    call = read(FIXTURES / "calls" / "whisperx.json")
    for position in (0, 1):
        with pytest.raises(AgentError, match=rf"whisperx\.json: agent {position} is not a name; give a speaker's name, "
                                             rf"address or label, or None to guess \(conversation\.speakers\[{position}\] "
                                             rf"is 'SPEAKER_0{position}'\); speakers are: SPEAKER_00, SPEAKER_01$"):
            assign_agent(call, position)
    with pytest.raises(AgentError, match=r"agent \['SPEAKER_00'\] is not a name; .*; speakers are: SPEAKER_00, SPEAKER_01$"):
        assign_agent(call, ["SPEAKER_00"])
    assert "agent" not in call.metadata


def test_a_blank_agent_is_no_agent_and_the_agent_is_guessed_as_for_an_empty_one():
    call = read(FIXTURES / "calls" / "whisperx.json")
    assert assign_agent(call, "   ") == assign_agent(call, "") == "SPEAKER_01"
    assert call.metadata["agent_source"].startswith("guessed")
