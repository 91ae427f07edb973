"""Quoted history split off a message and given to its authors: replies written under or between the quoted lines,
the attribution lines that name a quote's author, and bodies whose lines made the reply parser take minutes."""

import pytest

from reciprocity_nlp import read
from reciprocity_nlp.readers.emails import read_eml, read_pasted
from tests.conftest import FIXTURES


def pairs(conv):
    return [(t.speaker, t.text) for t in conv.turns]


def _eml(sender: str, subject: str, body: str, date: str = "Thu, 22 Aug 2002 17:40:00 +0100", extra: str = "") -> bytes:
    return (f"From: {sender}\nTo: list@lists.example\nSubject: {subject}\nDate: {date}\n{extra}\n{body}").encode()


def test_a_reply_written_under_the_quote_is_the_senders_and_the_quote_goes_to_its_author():
    body = ("John P. Looney wrote:\n"
            "> On Thu, Aug 22, 2002 at 05:13:01PM +0100, Fergal Moran mentioned:\n"
            ">\n>>In a nutshell - Solaris is Sun's own flavour of UNIX.\n>\n"
            "> Sun's hardware is more reliable, and a lot more expensive.\n\n"
            "Why do you say Dell is cheaper than DNUK?\n")
    conv = read_eml(_eml("Padraig Brady <padraig@corvil.example>", "Re: [ILUG] Sun Solaris", body), "bottom.eml")
    assert pairs(conv) == [
        ("Fergal Moran", "[ILUG] Sun Solaris\n\nIn a nutshell - Solaris is Sun's own flavour of UNIX."),
        ("John P. Looney", "Sun's hardware is more reliable, and a lot more expensive."),
        ("Padraig Brady", "Why do you say Dell is cheaper than DNUK?"),
    ]
    assert conv.turns[0].metadata == {"recovered_from_quote": True}
    assert conv.turns[2].metadata == {}


def test_inline_answers_are_the_senders_and_the_questions_the_quoted_authors():
    body = ("On Tue, 4 Mar 2025 at 10:02, Mary Smith <mary@hirewell.example> wrote:\n"
            "> Can you send your CV today?\n\nAttached.\n\n> And what is your notice period?\n\n"
            "One month.\n\nBest,\n")
    conv = read_eml(_eml("Tom Reed <tom@mail.example>", "Re: Platform role", body, "Tue, 4 Mar 2025 11:30:00 +0000"),
                    "inline.eml")
    assert pairs(conv) == [
        ("Mary Smith", "Platform role\n\nCan you send your CV today?\n\nAnd what is your notice period?"),
        ("Tom Reed", "Attached.\n\nOne month.\n\nBest,"),
    ]


_ANSWERED_QUOTE = ("On Tue, 4 Mar 2025 at 10:00, Ben Brown <ben@vendor.example> wrote:\n"
                   "> On Mon, 3 Mar 2025 at 09:00, Ann Adams <ann@acme.example> wrote:\n"
                   "> > Can you do a call on Friday?\n> Yes, Friday at 2pm works for me.\n"
                   "> > Is the price fixed for the first year?\n> It is fixed for twelve months.\n")


@pytest.mark.parametrize("body", [
    "Thanks Ben, I'll send the invite.\n\n" + _ANSWERED_QUOTE,  # the reply above the quote
    _ANSWERED_QUOTE + "\nThanks Ben, I'll send the invite.\n",  # ... and under it
    "Thanks Ben, I'll send the invite.\n\n" + _ANSWERED_QUOTE.replace("> > ", ">> "),  # marks written without a space
    # Apple Mail quotes a message at its attribution line's level, not one below it.
    "Thanks Ben, I'll send the invite.\n\n" + "\n".join(f">{ln}" if ln.startswith(">") else f"> {ln}"
                                                       for ln in _ANSWERED_QUOTE.replace("> > ", ">> ").splitlines()),
])
def test_answers_written_between_the_lines_of_a_quoted_message_are_its_senders_not_the_quoted_authors(body):
    # Carla quotes Ben's message, which answered Ann's between her quoted lines: the '>' lines are Ben's, the '> >' Ann's.
    conv = read_eml(_eml("Carla Diaz <carla@acme.example>", "Re: Pricing", body, "Wed, 5 Mar 2025 11:00:00 +0000"),
                    "nested.eml")
    assert pairs(conv) == [
        ("Ann Adams", "Pricing\n\nCan you do a call on Friday?\n\nIs the price fixed for the first year?"),
        ("Ben Brown", "Yes, Friday at 2pm works for me.\nIt is fixed for twelve months."),
        ("Carla Diaz", "Thanks Ben, I'll send the invite."),
    ]
    assert [t.sent.day for t in conv.turns] == [3, 4, 5]


def test_answers_between_the_lines_of_quotes_inside_quotes_each_go_to_their_sender():
    # Ann answered Zoe between her lines, then Ben answered under Ann's message; Carla quotes it all.
    body = ("Thanks Ben, I'll send the invite.\n\nOn Tue, 4 Mar 2025 at 10:00, Ben Brown <ben@vendor.example> wrote:\n"
            "> On Mon, 3 Mar 2025 at 09:00, Ann Adams <ann@acme.example> wrote:\n"
            "> > On Sun, 2 Mar 2025 at 08:00, Zoe Zhu <zoe@zhu.example> wrote:\n"
            "> > > What is your budget?\n> > About 10k.\n> > > And the timeline?\n> > Q2.\n> Can you do a call on Friday?\n")
    conv = read_eml(_eml("Carla Diaz <carla@acme.example>", "Re: Pricing", body, "Wed, 5 Mar 2025 11:00:00 +0000"),
                    "nested.eml")
    assert pairs(conv) == [("Zoe Zhu", "Pricing\n\nWhat is your budget?\n\nAnd the timeline?"), ("Ann Adams", "About 10k.\nQ2."),
                           ("Ben Brown", "Can you do a call on Friday?"), ("Carla Diaz", "Thanks Ben, I'll send the invite.")]


def test_a_message_quoted_at_its_attribution_lines_level_is_not_taken_for_answers():
    # Apple Mail puts the attribution line inside the quote, level with the message: Omar's lines are his own message.
    body = ("Deal, send the contract.\n\n> On Apr 3, 2025, at 4:15 PM, Nina Patel <nina@brightpath.example> wrote:\n>\n"
            "> Yes, onboarding is free if you sign by Friday.\n>\n"
            ">> On Apr 3, 2025, at 1:40 PM, Omar Haddad <omar@crestline.example> wrote:\n>>\n"
            ">> Is there any flexibility on the onboarding fee?\n")
    conv = read_eml(_eml("Omar Haddad <omar@crestline.example>", "Re: Proposal", body, "Thu, 3 Apr 2025 17:00:00 +0000"),
                    "apple.eml")
    assert pairs(conv) == [("Omar Haddad", "Proposal\n\nIs there any flexibility on the onboarding fee?"),
                           ("Nina Patel", "Yes, onboarding is free if you sign by Friday."),
                           ("Omar Haddad", "Deal, send the contract.")]


@pytest.mark.parametrize("attribution, author", [
    ("At 11:49 02/09/2002 +0100, Ray Dermody wrote:", "Ray Dermody"),   # Eudora
    ("Reza Farrell (Bluegate) wrote:", "Reza Farrell (Bluegate)"),        # a firm after the name
    ("Hugo van der Berg wrote:", "Hugo van der Berg"),                    # a surname's lowercase particles
    ('--- In hiring-uk@y..., "Webmaster" <webmaster@b...> wrote:', "Webmaster"),  # Yahoo Groups
])
def test_more_attribution_styles_give_the_quote_to_its_author(attribution, author):
    body = f"{attribution}\n> Our DNS serial number went corrupt overnight.\n\nSet it back to today's date.\n"
    conv = read_eml(_eml("Tom Bridge <tom@mail.example>", "Re: DNS", body), "attribution.eml")
    assert pairs(conv) == [
        (author, "DNS\n\nOur DNS serial number went corrupt overnight."),
        ("Tom Bridge", "Set it back to today's date."),
    ]


def test_a_sentence_ending_in_said_is_not_taken_for_an_author():
    body = "Here is what the client said:\n> We need someone by March.\n\nCould you start then?\n"
    conv = read_eml(_eml("Priya Shah <priya@northbridge.example>", "March start", body), "said.eml")
    assert conv.turns[-1].speaker == "Priya Shah"
    assert conv.turns[-1].text == "Here is what the client said:\n\nCould you start then?"
    assert all("Here is what" not in s for s in conv.speakers)


def test_an_outlook_from_line_inside_the_quote_names_its_author_and_snip_marks_are_passed_over():
    body = ("> From: Paul Linehan [mailto:plinehan@mail.example]\n>\n> Firebird is my favourite.\n\n"
            "Never heard of it until last week.\n\n"
            "On Tue, 27 Aug 2002 10:15:36 -0500 (EST)\nJay Lake <jlake@mail.example> wrote:\n\n<snip>\n\n"
            ">Vegetable oil breaks down under stress.\n\nIt has been used in tanks, though.\n")
    conv = read_eml(_eml("Fergal Byrne <fergal@mail.example>", "Re: databases", body), "snip.eml")
    assert sorted(conv.speakers) == ["Fergal Byrne", "Jay Lake", "Paul Linehan"]
    mine = [t.text for t in conv.turns if t.speaker == "Fergal Byrne"]
    # Fergal's "Re: databases" is a reply: the subject is not his, though his message is dated first.
    assert mine == ["Never heard of it until last week.\n\n<snip>\n\nIt has been used in tanks, though."]
    assert [t.text for t in conv.turns if t.speaker == "Paul Linehan"] == ["Firebird is my favourite."]


def test_an_outlook_block_quoted_with_marks_names_and_dates_its_author():
    body = ("> From: Chris Garrigues <cwg@deepeddy.example>\n> Date: Wed, 21 Aug 2002 10:40:39 -0500\n>\n"
            "> The sequences window could list them top to bottom.\n\nI thought about that.\n")
    conv = read_eml(_eml("Robert Elz <kre@munnari.example>", "Re: sequences", body), "block.eml")
    assert pairs(conv) == [("Chris Garrigues", "sequences\n\nThe sequences window could list them top to bottom."),
                           ("Robert Elz", "I thought about that.")]  # the Date line is no one's text
    assert str(conv.turns[0].sent) == "2002-08-21 10:40:39-05:00"


def test_mbox_escaped_from_lines_are_text_not_quotes():
    body = "Klez: the virus that won't die.\n\n>>From the September issue of PC World.\n\nStill spreading, say the vendors.\n"
    conv = read_eml(_eml("Monty Solomon <monty@mail.example>", "Klez", body), "klez.eml")
    assert conv.speakers == ["Monty Solomon"]


def test_quoted_lines_with_no_author_under_a_top_posted_reply_are_not_the_senders():
    data = _eml("Sara Holm <sara@talentbridge.example>", "Re: Data Engineer opening",
                "Between 80k and 95k depending on level.\n\n> Thanks Sara, what's the salary range?\n> Also, is it remote?")
    conv = read_eml(data, "reply.eml")
    assert [(t.speaker, t.text) for t in conv.turns][-1] == ("Sara Holm", "Between 80k and 95k depending on level.")
    assert conv.turns[0].speaker == "Unknown sender" and "is it remote?" in conv.turns[0].text


def test_a_header_block_running_straight_into_its_message_loses_no_line(tmp_path):
    pasted = tmp_path / "p.txt"
    pasted.write_text("Thanks Priya, Thursday works.\n\nDaniel\n\n"
                      "From: Priya Nair <priya@hirewell.example>\nSent: Tuesday, March 4, 2025 10:12 AM\n"
                      "To: Daniel Okoro <daniel@mail.example>\nSubject: RE: Analytics Lead role\n"
                      "Are you free Thursday at 10:30 for a call with Tom?\n[Quoted text hidden]\nPriya\n")
    conv = read(pasted)
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Priya Nair", "Are you free Thursday at 10:30 for a call with Tom?"),
        ("Daniel Okoro", "Thanks Priya, Thursday works.")]


# Inputs that made the readers take minutes or crash. Each test reads one (sized so that the code before the fix took
# many seconds on it) and checks what is read; none is timed.


@pytest.mark.parametrize("lines", [
    "On " + "a " * 10_000,  # one line of 20 KB
    "\n".join(["On " + "a " * 498] * 100),  # 100 lines of 1,000 characters
    "\n".join(["On", "a " * 1_000] * 50),  # 'On' and a line of 2,000 characters, 50 times
])
def test_long_lines_starting_on_are_not_searched_for_an_attribution(lines):
    # mail-parser-reply's "On ... wrote:" pattern tries every way to split such a line (20 KB took 10 s).
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", "Role", f"Hi Sam, thanks for the call.\n\n{lines}\n"), "on.eml")
    assert [t.speaker for t in conv.turns] == ["Ana Ruiz"]
    assert conv.turns[0].text == "Role\n\nHi Sam, thanks for the call.\n\n" + "\n".join(ln.strip() for ln in lines.split("\n"))


def test_a_long_line_keeps_its_place_in_a_split_thread():
    long = "We talked about " + "the role and " * 200 + "the team."
    body = (f"Thanks Sam, Friday works.\n\n{long}\n\nOn Tue, 4 Mar 2025 at 09:14, Sam Lee <sam@y.com> wrote:\n"
            f"> Can you do Friday?\n> {long}\n")
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", "Role", body, "Tue, 4 Mar 2025 10:00:00 +0000"), "long.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Sam Lee", f"Role\n\nCan you do Friday?\n{long}"), ("Ana Ruiz", f"Thanks Sam, Friday works.\n\n{long}")]


def test_many_lines_of_only_unusual_spaces_are_read():
    # Blank lines to the reply parser (it strips each line), which searched each run of them again from every line.
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", "Role", "Hi Sam," + "\n\x0b" * 10_000 + "\nThanks for the call.\n"), "v.eml")
    assert conv.turns[0].text.startswith("Role\n\nHi Sam,") and conv.turns[0].text.endswith("Thanks for the call.")


def test_a_run_of_at_signs_after_an_angle_bracket_is_read_as_text():
    conv = read_eml(_eml("Ana Ruiz <ana@x.com>", "Role", "Hi Sam, thanks for the call.\n\na <" + "@" * 20_000 + "\n"), "at.eml")
    assert conv.turns[0].text.endswith("\n\na <" + "@" * 20_000)


def test_a_long_name_before_a_bracket_of_at_signs_in_a_pasted_to_line_is_read():
    # The To line of the message below a headerless reply is searched for 'Name <addr>' from every character.
    text = ("Thanks, Friday works.\n\nFrom: Ana Ruiz <ana@x.com>\nSent: Tuesday, March 4, 2025 9:14 AM\nTo: " + "x" * 1_000
            + " <" + "@" * 1_000 + "\nSubject: Role\n\nHi Sam, can you do Friday?\n")
    conv = read_pasted(text, "to.txt")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Ana Ruiz", "Role\n\nHi Sam, can you do Friday?"),
                                                         ("Unknown sender", "Thanks, Friday works.")]


def test_outlooks_other_header_fields_belong_to_the_header_block_not_the_message():
    conv = read(FIXTURES / "emails" / "pasted_outlook_importance.txt")
    assert pairs(conv) == [
        ("Shane Fitzgerald", "QA Automation Engineer - next steps\n\nHi Aoife,\n\nThanks for applying. When suits you "
                             "next week for a 45 minute technical screen?\n\nThanks,"),
        ("Aoife Byrne", "Hi Shane,\n\nMonday at 11 works for me. My updated CV is attached.\n\nThanks,"),
        ("Shane Fitzgerald", "Hi Aoife,\n\nThe screen is booked for Monday at 11. I'll send the link tomorrow.\n\nThanks,"),
    ]


def test_a_message_that_opens_with_a_word_like_a_field_keeps_it():
    text = ("Thanks, Monday works.\n\nFrom: Ana Ruiz <ana@x.com>\nSent: Tuesday, March 4, 2025 9:14 AM\nTo: Sam Lee "
            "<sam@y.com>\nSubject: Role\nImportance: High\n\nAttachments: none needed, just bring your laptop.\n")
    assert pairs(read_pasted(text, "f.txt"))[0] == ("Ana Ruiz", "Role\n\nAttachments: none needed, just bring your laptop.")


def test_an_attribution_with_the_date_after_the_verb_gives_the_quote_to_its_author():
    body = ("Monday at 11 works for me.\n\nThanks,\nAoife\n\n----\n\nShane Fitzgerald wrote on Mar 4, 2025, 4:05 PM:\n\n"
            "Hi Aoife,\n\nWhen suits you next week?\n\nRegards,\nShane\n")
    conv = read_eml(_eml("Aoife Byrne <aoife@mail.example>", "Re: QA role", body, "Wed, 5 Mar 2025 09:14:30 +0000"),
                    "on.eml")
    assert pairs(conv) == [("Shane Fitzgerald", "QA role\n\nHi Aoife,\n\nWhen suits you next week?\n\nRegards,"),
                           ("Aoife Byrne", "Monday at 11 works for me.\n\nThanks,")]
    assert conv.turns[0].sent.isoformat() == "2025-03-04T16:05:00"


def test_a_sentence_that_says_someone_wrote_on_a_day_is_text():
    body = "As I wrote on Monday:\n\nthe role is hybrid, two days in Sandyford.\n"
    assert pairs(read_eml(_eml("Aoife Byrne <aoife@mail.example>", "QA role", body), "s.eml")) == [
        ("Aoife Byrne", "QA role\n\nAs I wrote on Monday:\n\nthe role is hybrid, two days in Sandyford.")]


@pytest.mark.parametrize("line", ["Our CFO Mark Lee wrote on Friday 7 March 2025, 16:20:",
                                  "As Dana Whitfield wrote on Mar 4, 2025, 4:05 PM:",
                                  "Mark Lee wrote on Friday 7 March 2025, 16:20:"])
def test_a_rep_quoting_a_colleague_in_their_own_message_keeps_it(line):
    # A blind review's case: the rep's recap, their question and sign-off went to a speaker named 'Our CFO Mark Lee'.
    body = (f"Hi Ana,\n\nQuick recap so we are aligned.\n\n{line}\nWe can hold the 2024 price this quarter.\n\n"
            "Does that work for your team?\n\nBest,\nSam")
    conv = read_eml(_eml("Sam Patel <sam@acme.example>", "Budget", body), "r.eml")
    assert [t.speaker for t in conv.turns] == ["Sam Patel"]
    assert conv.turns[0].text.endswith("Does that work for your team?\n\nBest,")


def test_long_header_like_lines_in_a_quoted_message_are_its_authors():
    # Lines crafted against the patterns of attribution and header lines: how the time to read them grows is measured
    # by benchmarks/pathological_inputs.py.
    lines = ["A " * 2_000 + "wrote on " + "1 " * 5_000 + ":x", "*" * 20_000 + "Importance:", "Ab Cd wrote on " + ":" * 20_000]
    text = ("Thanks.\n\nFrom: Ana Ruiz <ana@x.com>\nSent: Tuesday, March 4, 2025 9:14 AM\nSubject: Role\n"
            + "\n".join(lines * 3) + "\n\nHi Sam.\n")
    conv = read_pasted(text, "long.txt")
    assert pairs(conv) == [("Ana Ruiz", "Role\n\n" + "\n".join(lines * 3) + "\n\nHi Sam."), ("Unknown sender", "Thanks.")]


_MUTT_REPLY = ("On Thu, Apr 03, 2025 at 04:10:12PM +0200, Sofia Rossi wrote:\n"
               "> Jan de Vries wrote:\n"
               "> > We need help with the GDPR review of our CRM. Could you quote for\n"
               "> > about ten days of work?\n"
               ">\n"
               "> Happy to. Ten days would be EUR 9,500. Do you want the DPIA included?\n\n"
               "Yes, include the DPIA.\n\n"
               "> Also, is remote work fine or do you need us on site in Utrecht?\n\n"
               "Remote is fine, but the kickoff should be on site.\n\n"
               "> When would you like to start?\n\n"
               "Early May. I'll confirm the exact date next week.\n\n"
               "-- \nJan de Vries\nDe Vries Consult | +31 6 1234 5678\n")


def test_a_bare_attribution_inside_a_quote_names_the_author_of_the_quote_under_it():
    # Mutt: Jan answers Sofia inline, and Sofia's quoted message opens with her bare 'Jan de Vries wrote:' over his
    # '> >' lines. A name with a lowercase particle ('de', 'van der') is a name.
    conv = read_eml(_eml("Jan de Vries <jan@devries-consult.example>", "Re: Consulting engagement - scope", _MUTT_REPLY,
                         "Fri, 4 Apr 2025 11:20:33 +0200"), "mutt.eml")
    assert pairs(conv) == [
        ("Jan de Vries", "Consulting engagement - scope\n\nWe need help with the GDPR review of our CRM. Could you quote "
                         "for\nabout ten days of work?"),
        ("Sofia Rossi", "Happy to. Ten days would be EUR 9,500. Do you want the DPIA included?\n\n"
                        "Also, is remote work fine or do you need us on site in Utrecht?\n\n"
                        "When would you like to start?"),
        ("Jan de Vries", "Yes, include the DPIA.\n\nRemote is fine, but the kickoff should be on site.\n\n"
                         "Early May. I'll confirm the exact date next week."),
    ]


@pytest.mark.parametrize("line", ["As the client wrote:", "Sam wrote: the budget is fine", "Hugo van der Berg wrote:"])
def test_a_quoted_line_ending_in_wrote_with_no_deeper_quote_under_it_is_text(line):
    body = ("On Thu, Apr 03, 2025 at 04:10:12PM +0200, Sofia Rossi wrote:\n"
            f"> {line}\n> ten days is within the budget.\n>\n> Do you want the DPIA included?\n\nYes, include it.\n")
    conv = read_eml(_eml("Jan de Vries <jan@devries-consult.example>", "Re: Scope", body,
                         "Fri, 4 Apr 2025 11:20:33 +0200"), "sentence.eml")
    assert pairs(conv) == [
        ("Sofia Rossi", f"Scope\n\n{line}\nten days is within the budget.\n\nDo you want the DPIA included?"),
        ("Jan de Vries", "Yes, include it."),
    ]
