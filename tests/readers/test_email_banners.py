"""Notices that gateways and help desks put on top of a message are left out, and only they: the message stays."""

import pytest

from reciprocity_nlp import read
from reciprocity_nlp.readers.emails import read_eml
from tests.conftest import FIXTURES

M365 = ("CAUTION: This email originated from outside of the organization. Do not click links or open attachments "
        "unless you recognize the sender and know the content is safe.")


def _eml(body: str) -> bytes:
    return ("From: Priya Raman <priya@northwind.example>\nTo: Chris Doyle <chris@ledgerly.example>\n"
            "Subject: Ledgerly - questions before we sign\nDate: Tue, 11 Feb 2025 08:20:00 -0500\n\n" + body).encode()


@pytest.mark.parametrize("banner", [
    M365,
    "CAUTION: This email originated from outside of the organization.\nDo not click links or open attachments unless "
    "you recognize the sender and know the content is safe.",
    "[EXTERNAL EMAIL] Use caution with links and attachments.",
    "EXTERNAL EMAIL: Do not click links or open attachments unless you know the content is safe",
    "Caution: This is an external email. Please take care when clicking links or opening attachments.",
    "This message came from outside your organization.",
    "You don't often get email from priya@northwind.example. Learn why this is important<https://aka.ms/LearnAboutSenderIdentification>",
    "[You don't often get email from priya@northwind.example. Learn why\nthis is important at\n"
    "https://aka.ms/LearnAboutSenderIdentification ]",
    "##- Please type your reply above this line -##",
    "ACHTUNG: Diese E-Mail stammt von außerhalb der Organisation. Klicken Sie nicht auf Links und öffnen Sie keine "
    "Anhänge, wenn Sie den Absender nicht kennen.",
    "ACHTUNG: Dieses E-Mail stammt von einem externen Absender. Prüfe Anhänge oder Links sehr genau!",
    "[EXTERN] Diese E-Mail stammt von einem externen Absender.",
    "ATTENTION : Cet e-mail provient de l'extérieur de l'organisation. Ne cliquez pas sur les liens et n'ouvrez pas\n"
    "les pièces jointes à moins de connaître l'expéditeur.",
    "ATTENTION : Cet e-mail provient de l'extérieur de l'entreprise. Ne cliquez pas sur les liens ou n'ouvrez pas les "
    "pièces jointes à moins de connaitre l'expéditeur.",
    "PRECAUCIÓN: Este correo electrónico se originó fuera de la organización. No haga clic en los enlaces ni abra los "
    "archivos adjuntos a menos que reconozca al remitente.",
    "ALERTA: Este correo proviene de un remitente externo. No abras enlaces ni adjuntos a menos que estés seguro.",
    "LET OP: Deze e-mail is afkomstig van buiten de organisatie. Klik niet op links en open geen bijlagen, tenzij u de "
    "afzender herkent.",
])
def test_a_banner_on_top_of_a_message_goes_and_the_message_stays(banner):
    conv = read_eml(_eml(f"{banner}\n\nHi Chris,\n\nCan we cancel after the first year?\n\nThanks,\nPriya\n"), "b.eml")
    assert [t.text for t in conv.turns] == ["Ledgerly - questions before we sign\n\nHi Chris,\n\n"
                                            "Can we cancel after the first year?\n\nThanks,"]
    assert "body" not in conv.metadata  # read from its text, not from its subject


def test_a_banner_inside_the_quoted_message_leaves_that_message_to_its_author():
    conv = read(FIXTURES / "emails" / "external_banner_in_quote.eml")
    assert conv.speakers == ["Chris Doyle", "Priya Raman"]
    chris = conv.turns[0].text
    assert chris.startswith("Closing the books faster at Northwind\n\nHi Priya,\n\nI noticed Northwind opened")
    assert "CAUTION" not in chris and "20 minute call next week" in chris


def test_a_banner_quoted_with_markers_goes_and_the_quote_stays():
    body = ("Thursday works.\n\nOn Mon, 10 Feb 2025 at 10:03, Chris Doyle <chris@ledgerly.example> wrote:\n"
            f"> {M365}\n>\n> Hi Priya,\n>\n> Would you be open to a call next week?\n")
    conv = read_eml(_eml(body), "q.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Chris Doyle", "Ledgerly - questions before we sign\n\nHi Priya,\n\nWould you be open to a call next week?"),
        ("Priya Raman", "Thursday works.")]


def test_a_disclaimer_below_the_message_still_ends_it():
    conv = read_eml(_eml(f"Hi Chris,\n\nThursday works.\n\n{M365.replace('originated from outside', 'is confidential')}"
                         "\n\nCONFIDENTIALITY NOTICE: this message is for its recipient only.\n"), "d.eml")
    assert conv.turns[0].text == "Ledgerly - questions before we sign\n\nHi Chris,\n\nThursday works."


def test_a_disclaimer_and_footer_below_the_quote_of_a_top_posted_reply_are_no_text_of_the_senders():
    body = ("Thursday works.\n\nOn Mon, 10 Feb 2025 at 10:03, Chris Doyle <chris@ledgerly.example> wrote:\n"
            "> Would you be open to a call next week?\n\nCONFIDENTIALITY NOTICE: this message is for its recipient only."
            "\n\nScanned for viruses by MailGuard.\n")
    conv = read_eml(_eml(body), "f.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [
        ("Chris Doyle", "Ledgerly - questions before we sign\n\nWould you be open to a call next week?"),
        ("Priya Raman", "Thursday works.")]


@pytest.mark.parametrize("line", [
    "Caution: the Friday price only holds for orders placed this week.",
    "Warning: our external auditors arrive on Monday, so the office will be busy.",
    "Achtung: Gäste von außerhalb melden sich bitte am Empfang.",
    "Achtung: Klicken Sie nicht auf Speichern, bevor alle Felder ausgefüllt sind.",
    "Attention : les visiteurs de l'extérieur doivent se présenter à l'accueil.",
    "Cuidado: el enlace del correo anterior ya no funciona fuera de la oficina.",
    "Let op: deze e-mail kan in uw ongewenste e-mailbox terecht komen.",
    "Let op: bezoekers van buiten de organisatie melden zich bij de receptie.",
])
def test_a_sentence_that_only_opens_like_a_banner_is_the_senders(line):
    conv = read_eml(_eml(f"Hi Chris,\n\n{line}\n\nPriya\n"), "s.eml")
    assert line in conv.turns[0].text


@pytest.mark.parametrize("line", [" " * 100_000, ":" * 100_000, "CAUTION:" + "a" * 100_000, "[" + " :" * 50_000,
                                  "#" * 100_000 + " reply above", "ACHTUNG:" + "a" * 100_000,
                                  "Diese E-Mail " + " " * 100_000 + "stammt", "Achtung: " + "klicken sie nicht " * 6_000,
                                  "Attention : " + "de l'extérieur " * 7_000, "Precaución: " + "se originó " * 9_000,
                                  "Let op: " + "klik niet op " * 8_000])
def test_a_long_line_that_opens_like_a_notice_or_never_ends_one_is_the_senders(line):
    # Lines crafted against the notices' patterns: how the time to read them grows is measured by
    # benchmarks/pathological_inputs.py.
    conv = read_eml(_eml(f"Hi Chris,\n\n{line}\n\nThanks\n"), "long.eml")
    kept = "\n\n".join(part for part in ("Hi Chris,", line.rstrip(), "Thanks") if part)  # the line of spaces is no text
    assert [(t.speaker, t.text) for t in conv.turns] == [("Priya Raman", f"Ledgerly - questions before we sign\n\n{kept}")]


def test_ordinary_paragraphs_that_open_like_a_banner_are_kept():
    # 'This email ...', 'Attention:' and 'Warning:' paragraphs that mention 'outside' are the sender's own words.
    body = ("Hi Sam,\n\nThis email confirms your onsite interview on Tuesday at 10am. Please wait\noutside the main "
            "reception and I will come down to meet you.\n\nAttention: parking is limited, so use the visitor spaces "
            "outside the\nbuilding.\n\nWarning: the train line is closed this week.\n\nBest,\nDana\n")
    text = read_eml(_eml(body), "x.eml").turns[0].text
    assert "wait\noutside the main reception" in text and "Attention: parking" in text and "Warning: the train" in text


@pytest.mark.parametrize("layout", ["\n", "\n\n"])
def test_a_banner_running_straight_into_the_message_takes_only_its_own_lines(layout):
    body = f"{M365}{layout}Hi Chris,\nCan we cancel after the first year?\n\nThanks,\nPriya\n"
    assert read_eml(_eml(body), "x.eml").turns[0].text.endswith("Hi Chris,\nCan we cancel after the first year?\n\nThanks,")


@pytest.mark.parametrize("line", ["This email contains our confidential pricing for the pilot, so please keep it in your team.",
                                  "Confidential: we are about to cut prices for new customers.",
                                  "The information in this email is what your CFO asked for."])
def test_a_senders_own_sentence_about_confidential_terms_is_no_disclaimer(line):
    # Read as a legal disclaimer, it and everything below it were cut: the offer itself was lost.
    body = f"{line}\nYear one is $40k and year two $35k. Can we talk Thursday?"
    for text in (f"Hi Marcus,\n\n{body}\n\nBest,\nDana\n", f"{body}\n\nBest,\nDana\n"):
        conv = read_eml(("From: Dana Whitfield <dana@brightpath.example>\nTo: Marcus Lee <marcus@acme.example>\n"
                         "Subject: Re: Pilot pricing\nDate: Tue, 12 Mar 2024 10:15:00 +0000\n\n" + text).encode(), "p.eml")
        assert conv.turns[0].text == text.removesuffix("\nDana\n")


def test_a_disclaimer_that_reads_as_one_still_ends_the_message():
    text = ("Year one is $40k. Can we talk Thursday?\n\nBest,\nDana\n\nThis email and any attachments are confidential "
            "and intended solely for the addressee.\nIf you have received it in error, please delete it.\n")
    conv = read_eml(("From: Dana Whitfield <dana@brightpath.example>\nTo: Marcus Lee <marcus@acme.example>\n"
                     "Subject: Re: Pilot pricing\nDate: Tue, 12 Mar 2024 10:15:00 +0000\n\n" + text).encode(), "p.eml")
    assert conv.turns[0].text == "Year one is $40k. Can we talk Thursday?\n\nBest,"


@pytest.mark.parametrize("disclaimer", [
    "Confidential: This email may contain confidential information. If you received it by mistake, please inform us and "
    "erase it from your system.",
    "The information in this e-mail is confidential. It is meant only for the use of the person to whom it is addressed.",
    "CONFIDENTIALITY:\n\nThis e-mail and any files sent with it are confidential, for the use of the person to whom "
    "they are addressed.",
])
def test_a_disclaimer_in_other_words_still_ends_the_message(disclaimer):
    # It says what a disclaimer says in words the check did not know ('by mistake', 'erase', 'to whom it is addressed',
    # or a heading over its paragraph), so it was read as the sender's words.
    text = f"Year one is $40k. Can we talk Thursday?\n\n{disclaimer}\n"
    conv = read_eml(("From: Dana Whitfield <dana@brightpath.example>\nTo: Marcus Lee <marcus@acme.example>\n"
                     "Subject: Re: Pilot pricing\nDate: Tue, 12 Mar 2024 10:15:00 +0000\n\n" + text).encode(), "p.eml")
    assert conv.turns[0].text == "Year one is $40k. Can we talk Thursday?"
