from reciprocity_nlp.readers.speakers import SpeakerRegistry, display_name


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
