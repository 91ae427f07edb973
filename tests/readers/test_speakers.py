import pytest

from reciprocity_nlp.readers.speakers import SpeakerRegistry, display_name, person_key, unify_labels


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
