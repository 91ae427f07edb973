"""Quoted messages whose headers a German, French, Spanish, Dutch, Italian, Portuguese, Danish, Norwegian, Swedish,
Finnish or Polish mail client wrote split and go to their authors as English ones do: Outlook's header blocks, its
'Original Message' lines, forwarded-message lines and attribution lines."""

import re
from collections import Counter

import pytest

from reciprocity_nlp import read
from reciprocity_nlp.readers.emails import read_eml
from reciprocity_nlp.readers.quoting import _local_date

REPLY = "Hi Sam,\n\nThursday at 2pm is confirmed with Oliver.\n\nKind regards,\nJana\n\n"
QUOTED = "Hi Jana,\n\nThursday afternoon works for me. Is the role open to someone who needs to relocate?\n\nThanks,\nSam\n"


def _eml(body: str, html: bool = False) -> bytes:
    kind = "html" if html else "plain"
    return ("From: Jana Mueller <jana@talentbridge.example>\nTo: Sam Patel <sam.patel@gmail.example>\n"
            "Subject: RE: Senior Data Engineer\nDate: Tue, 4 Mar 2025 12:02:11 +0100\n"
            f"Content-Type: text/{kind}; charset=utf-8\n\n{body}").encode()


def _turns(conv):
    """(speaker, sent, text) of each turn; the subject, read first when the thread's first message wrote it, left out."""
    return [(t.speaker, t.sent.isoformat() if t.sent else None, t.text.removeprefix("Senior Data Engineer\n\n"))
            for t in conv.turns]


SAM = ("Sam Patel", "2025-03-03T19:47:00", "Hi Jana,\n\nThursday afternoon works for me. Is the role open to someone "
                                           "who needs to relocate?\n\nThanks,")
JANA = ("Jana Mueller", "2025-03-04T12:02:11+01:00", "Hi Sam,\n\nThursday at 2pm is confirmed with Oliver.\n\nKind regards,")


@pytest.mark.parametrize("block", [
    "Von: Sam Patel <sam.patel@gmail.example>\nGesendet: Montag, 3. März 2025 19:47\nAn: Müller, Jana <jana@talentbridge.example>\n"
    "Cc: Oliver Grant <oliver@fenwick.example>\nBetreff: AW: Senior Data Engineer",
    "-----Ursprüngliche Nachricht-----\nVon: Sam Patel <sam.patel@gmail.example>\nAn: Jana Mueller <jana@talentbridge.example>\n"
    "Betreff: Senior Data Engineer\nDatum: 03.03.2025 19:47",
    "De : Sam Patel <sam.patel@gmail.example>\nEnvoyé : lundi 3 mars 2025 19:47\nÀ : Jana Mueller <jana@talentbridge.example>\n"
    "Objet : RE : Senior Data Engineer",
    "De\u00a0: Sam Patel <sam.patel@gmail.example>\nEnvoyé\u00a0: lundi 3 mars 2025 19:47\nÀ\u00a0: Jana Mueller "
    "<jana@talentbridge.example>\nObjet\u00a0: RE : Senior Data Engineer",
    "-----Message d'origine-----\nDe : Sam Patel [mailto:sam.patel@gmail.example]\nEnvoyé : lundi 3 mars 2025 19:47\n"
    "À : Jana Mueller\nObjet : Senior Data Engineer",
    "De: Sam Patel <sam.patel@gmail.example>\nEnviado el: lunes, 3 de marzo de 2025 19:47\nPara: Jana Mueller "
    "<jana@talentbridge.example>\nCC: Oliver Grant\nAsunto: RE: Senior Data Engineer",
    "-----Mensaje original-----\nDe: Sam Patel [mailto:sam.patel@gmail.example]\nEnviado: lunes, 3 de marzo de 2025 7:47 p. m.\n"
    "Para: Jana Mueller\nAsunto: Senior Data Engineer",
    "Van: Sam Patel <sam.patel@gmail.example>\nVerzonden: maandag 3 maart 2025 19:47\nAan: Jana Mueller "
    "<jana@talentbridge.example>\nOnderwerp: RE: Senior Data Engineer",
    "-----Oorspronkelijk bericht-----\nVan: Sam Patel <sam.patel@gmail.example>\nVerzonden: maandag 3 maart 2025 19:47\n"
    "Aan: Jana Mueller\nOnderwerp: Senior Data Engineer",
    "Da: Sam Patel <sam.patel@gmail.example>\nInviato: lunedì 3 marzo 2025 19:47\nA: Jana Mueller <jana@talentbridge.example>\n"
    "Oggetto: R: Senior Data Engineer",
    "De: Sam Patel <sam.patel@gmail.example>\nEnviada em: segunda-feira, 3 de março de 2025 19:47\nPara: Jana Mueller "
    "<jana@talentbridge.example>\nAssunto: RE: Senior Data Engineer",
    "*Von:* Sam Patel <sam.patel@gmail.example>\n*Gesendet:* Montag, 3. März 2025 19:47\n*An:* Jana Mueller\n"
    "*Betreff:* AW: Senior Data Engineer",
    "Von: Sam Patel <sam.patel@gmail.example>\nDatum: Montag, 3. März 2025 um 19:47\nAn: Jana Mueller\n"
    "Betreff: Senior Data Engineer",
    "Fra: Sam Patel <sam.patel@gmail.example>\nSendt: 3. marts 2025 19:47\nTil: Jana Mueller <jana@talentbridge.example>\n"
    "Cc: Oliver Grant\nEmne: SV: Senior Data Engineer",
    "-----Oprindelig meddelelse-----\nFra: Sam Patel [mailto:sam.patel@gmail.example]\nSendt: 3. marts 2025 19:47\n"
    "Til: Jana Mueller\nEmne: Senior Data Engineer",
    "Fra: Sam Patel <sam.patel@gmail.example>\nDato: mandag, 3. marts 2025 kl. 19.47\nTil: Jana Mueller "
    "<jana@talentbridge.example>\nEmne: Senior Data Engineer",
    "-----Opprinnelig melding-----\nFra: Sam Patel [mailto:sam.patel@gmail.example]\nSendt: 3. mars 2025 19:47\n"
    "Til: Jana Mueller\nKopi: Oliver Grant\nEmne: SV: Senior Data Engineer",
    "Från: Sam Patel <sam.patel@gmail.example>\nSkickat: den 3 mars 2025 19:47\nTill: Jana Mueller "
    "<jana@talentbridge.example>\nÄmne: SV: Senior Data Engineer",
    "-----Ursprungligt meddelande-----\nFrån: Sam Patel <sam.patel@gmail.example>\nDatum: måndag 3 mars 2025 19:47\n"
    "Till: Jana Mueller\nKopia: Oliver Grant\nÄmne: Senior Data Engineer",
    "Lähettäjä: Sam Patel <sam.patel@gmail.example>\nLähetetty: maanantai 3. maaliskuuta 2025 19.47\nVastaanottaja: "
    "Jana Mueller <jana@talentbridge.example>\nAihe: VS: Senior Data Engineer",
    "-----Alkuperäinen viesti-----\nLähettäjä: Sam Patel <sam.patel@gmail.example>\nPäivämäärä: maanantaina, 3. "
    "maaliskuuta 2025 klo 19.47\nVastaanottaja: Jana Mueller\nKopio: Oliver Grant\nAihe: Senior Data Engineer",
    "Od: Sam Patel <sam.patel@gmail.example>\nWysłano: poniedziałek, 3 marca 2025 19:47\nDo: Jana Mueller "
    "<jana@talentbridge.example>\nDW: Oliver Grant\nTemat: Odp: Senior Data Engineer",
    "-----Wiadomość oryginalna-----\nOd: Sam Patel [mailto:sam.patel@gmail.example]\nData: poniedziałek, 3 marca 2025 o "
    "19:47\nDo: Jana Mueller\nTemat: Senior Data Engineer",
])
def test_a_localised_outlook_header_block_gives_the_quoted_message_to_its_author(block):
    conv = read_eml(_eml(f"{REPLY}{block}\n\n{QUOTED}"), "reply.eml")
    assert _turns(conv) == [SAM, JANA]


def test_a_thread_of_localised_blocks_is_one_turn_per_message():
    body = ("Hi Priya,\n\nThe contract is on its way.\n\nChris\n\n"
            "Van: Priya Raman <priya@northwind.example>\nVerzonden: vrijdag 14 februari 2025 09:12\n"
            "Aan: Chris Doyle <chris@ledgerly.example>\nOnderwerp: RE: Follow-up demo\n\n"
            "Hi Chris,\n\nWe go ahead with the pilot.\n\nPriya\n\n"
            "Van: Chris Doyle <chris@ledgerly.example>\nVerzonden: donderdag 13 februari 2025 17:45\n"
            "Aan: Priya Raman <priya@northwind.example>\nOnderwerp: Follow-up demo\n\n"
            "Hi Priya,\n\nThe pilot would be free for 30 days.\n\nChris\n")
    data = ("From: Chris Doyle <chris@ledgerly.example>\nTo: Priya Raman <priya@northwind.example>\n"
            f"Subject: RE: Follow-up demo\nDate: Fri, 14 Feb 2025 10:00:00 +0100\n\n{body}").encode()
    conv = read_eml(data, "nl.eml")
    assert [(t.speaker, t.sent.isoformat()) for t in conv.turns] == [
        ("Chris Doyle", "2025-02-13T17:45:00"), ("Priya Raman", "2025-02-14T09:12:00"),
        ("Chris Doyle", "2025-02-14T10:00:00+01:00")]
    assert conv.turns[1].text == "Hi Chris,\n\nWe go ahead with the pilot."


def _attributed_reply(attribution):
    """Jana's reply over Sam's message, quoted with '>' under the attribution line."""
    quoted = "".join(f"> {line}\n" if line else ">\n" for line in QUOTED.split("\n")[:-1])
    return read_eml(_eml(f"{REPLY}{attribution}\n\n{quoted}"), "reply.eml")


@pytest.mark.parametrize("attribution", [
    "Am Mo., 3. März 2025 um 19:47 Uhr schrieb Sam Patel <sam.patel@gmail.example>:",
    "Am Mo., 3. März 2025 um 19:47 Uhr schrieb Sam Patel <\nsam.patel@gmail.example>:",
    "Am 03.03.2025 um 19:47 schrieb Sam Patel <sam.patel@gmail.example>:",
    "Le lun. 3 mars 2025 à 19:47, Sam Patel <sam.patel@gmail.example> a écrit :",
    "Le lun. 3 mars 2025 à 19:47, Sam Patel <sam.patel@gmail.example>\na écrit :",
    "El lun, 3 mar 2025 a las 19:47, Sam Patel (<sam.patel@gmail.example>) escribió:",
    "El 3 de marzo de 2025, 19:47, <sam.patel@gmail.example> escribió:",
    "Op ma 3 mrt 2025 om 19:47 schreef Sam Patel <sam.patel@gmail.example>:",
    "Op 3 mrt. 2025 om 19:47 heeft Sam Patel <sam.patel@gmail.example> het volgende geschreven:",
    "Il giorno lun 3 mar 2025 alle ore 19:47 Sam Patel <sam.patel@gmail.example> ha scritto:",
    "In data 3 marzo 2025 19:47:31 \"Sam Patel\" <sam.patel@gmail.example> ha scritto:",
    "Em seg., 3 de mar. de 2025 às 19:47, Sam Patel <sam.patel@gmail.example> escreveu:",
    "Em 3 de março de 2025 às 19:47:35, Sam Patel (\nsam.patel@gmail.example) escreveu:",
    "Den man. 3. mar. 2025 kl. 19.47 skrev Sam Patel <sam.patel@gmail.example>:",
    "Den 3. mar. 2025 kl. 19.47 skrev Sam Patel <sam.patel@gmail.example>:",
    "man. 3. mar. 2025 kl. 19:47 skrev Sam Patel <sam.patel@gmail.example>:",
    "Den mån 3 mars 2025 kl 19:47 skrev Sam Patel <sam.patel@gmail.example>:",
    "Den mån 3 mars 2025 kl 19:47 skrev Sam Patel <\nsam.patel@gmail.example>:",
    "Den 03-03-2025 kl. 19:47, skrev Sam Patel:",
    "Den 2025-03-03 19:47, Sam Patel skrev:",  # Thunderbird in a Swedish locale, whose dates are ISO 8601
    "Den 2025-03-03 kl. 19:47, skrev Sam Patel:",
    "Den mån 3 mars 2025 7:47 em Sam Patel <sam.patel@gmail.example> skrev:",
    "D. 03/03/2025 19.47 skrev \"Sam Patel\" <sam.patel@gmail.example>:",
    "Den 3 mars 2025 19:47 skrev \"Sam Patel\" <sam.patel@gmail.example> följande:",
    "Sam Patel <sam.patel@gmail.example> skrev følgende den 03.03.2025 19:47:",
    "ma 3. maalisk. 2025 klo 19.47 Sam Patel (sam.patel@gmail.example) kirjoitti:",
    "ma 3. maalisk. 2025 klo 19.47 Sam Patel (sam.patel@gmail.example)\nkirjoitti:",
    "3. maaliskuuta 2025 klo 19.47 Sam Patel <sam.patel@gmail.example> kirjoitti:",
    "Sam Patel kirjoitti 3.3.2025 klo 19.47:",
    "pon., 3 mar 2025 o 19:47 Sam Patel <sam.patel@gmail.example> napisał(a):",
    "W dniu 3.03.2025 o 19:47, Sam Patel pisze:",
    "W dniu 3 marca 2025 19:47 Sam Patel <sam.patel@gmail.example> napisał:",
    "Dnia 3 marca 2025 19:47 „Sam Patel” <sam.patel@gmail.example> napisał:",
])
def test_a_localised_attribution_line_names_the_quoted_author(attribution):
    conv = _attributed_reply(attribution)
    assert _turns(conv) == [SAM, JANA]
    if "@" in attribution:
        assert conv.metadata["addresses"]["Sam Patel"] == "sam.patel@gmail.example"


def test_a_sender_named_last_name_first_in_a_german_attribution_keeps_their_whole_name():
    # 'Müller, Jana' is the one person 'Jana Müller' (see the speaker registry), not 'Jana' cut at the comma.
    quoted = "> Hi Sam,\n>\n> Are you free on Thursday?\n"
    data = ("From: Sam Patel <sam.patel@gmail.example>\nTo: Jana Mueller <jana@talentbridge.example>\n"
            "Subject: Re: Interview\nDate: Tue, 4 Mar 2025 12:02:11 +0100\n\nThursday works.\n\n"
            f"Am Mo., 3. März 2025 um 09:15 Uhr schrieb Müller, Jana <\njana@talentbridge.example>:\n\n{quoted}").encode()
    conv = read_eml(data, "reply.eml")
    assert [(t.speaker, t.sent.isoformat()) for t in conv.turns] == [("Jana Müller", "2025-03-03T09:15:00"),
                                                                      ("Sam Patel", "2025-03-04T12:02:11+01:00")]


def test_a_localised_attribution_in_html_names_the_author_of_the_blockquote():
    html = ("<div>Thursday works for me.</div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">"
            "Am Mo., 3. März 2025 um 09:15 Uhr schrieb Jana Mueller &lt;jana@talentbridge.example&gt;:<br></div>"
            "<blockquote class=\"gmail_quote\"><div>Hi Sam,</div><div>Are you free on Thursday?</div></blockquote></div>")
    data = ("From: Sam Patel <sam.patel@gmail.example>\nTo: Jana Mueller <jana@talentbridge.example>\n"
            f"Subject: Re: Interview\nDate: Tue, 4 Mar 2025 12:02:11 +0100\nContent-Type: text/html; charset=utf-8\n\n{html}")
    conv = read_eml(data.encode(), "reply.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Jana Mueller", "Interview\n\nHi Sam,\nAre you free on Thursday?"),
                                                         ("Sam Patel", "Thursday works for me.")]


def test_answers_below_a_localised_attribution_are_the_senders_and_the_questions_the_quoted_authors():
    body = ("Le lun. 3 mars 2025 à 09:15, Jana Mueller <jana@talentbridge.example> a écrit :\n"
            "> Are you free on Thursday?\n\nYes, after 1pm.\n")
    data = ("From: Sam Patel <sam.patel@gmail.example>\nTo: Jana Mueller <jana@talentbridge.example>\n"
            f"Subject: Re: Interview\nDate: Tue, 4 Mar 2025 12:02:11 +0100\n\n{body}").encode()
    conv = read_eml(data, "inline.eml")
    assert [(t.speaker, t.text) for t in conv.turns] == [("Jana Mueller", "Interview\n\nAre you free on Thursday?"),
                                                         ("Sam Patel", "Yes, after 1pm.")]


@pytest.mark.parametrize("line", ["Am Montag schrieb mir der Kunde Folgendes:", "El cliente escribió:",
                                  "Le client a écrit :", "Den 5 mars 2025 skrev jag till kunden:", "Kunden skrev i går:",
                                  "Asiakas kirjoitti eilen:", "Sam kirjoitti raportin 5.3.2025 klo 10.00:",
                                  "W dniu 5 marca 2025 klient napisał:", "Klient napisał(a):",
                                  "Ring 0701-12-12, skrev Anna Lind:"])  # a phone number, not an ISO date
def test_a_sentence_that_only_opens_like_an_attribution_is_text(line):
    body = f"Hi Sam,\n\n{line}\n\nthe budget is approved.\n\nJana\n"
    conv = read_eml(_eml(body), "s.eml")
    assert [t.speaker for t in conv.turns] == ["Jana Mueller"] and line in conv.turns[0].text


@pytest.mark.parametrize(("name", "headers"), [
    ("es", "De: Sam Patel <sam.patel@gmail.example>\nEnviado el: lunes, 3 de marzo de 2025 19:47\n"
           "Para: Jana Mueller <jana@talentbridge.example>\nAsunto: RE: Senior Data Engineer"),
    ("pt", "De: Sam Patel\nEnviada em: segunda-feira, 3 de março de 2025 19:47\nPara: Jana Mueller\n"
           "Assunto: RE: Senior Data Engineer"),
    ("it", "Da: Sam Patel <sam.patel@gmail.example>\nInviato: lunedì 3 marzo 2025 19:47\nA: Jana Mueller\n"
           "Oggetto: R: Senior Data Engineer"),
    ("sv", "Från: Sam Patel\nSkickat: den 3 mars 2025 19:47\nTill: Jana Mueller\nÄmne: SV: Senior Data Engineer"),
    ("pl", "Od: Sam Patel\nWysłano: poniedziałek, 3 marca 2025 19:47\nDo: Jana Mueller\nTemat: Odp: Senior Data Engineer"),
])
def test_a_thread_pasted_with_localised_headers_is_an_email_not_a_call(tmp_path, name, headers):
    path = tmp_path / f"{name}.txt"
    path.write_text(f"{REPLY}{headers}\n\n{QUOTED}", encoding="utf-8")
    conv = read(path)
    assert conv.metadata["format"] == "pasted"
    assert [(t.speaker, t.sent.isoformat() if t.sent else None) for t in conv.turns] == [
        ("Sam Patel", "2025-03-03T19:47:00"), ("Jana Mueller", None)]


# The sender's time zone as Outlook names it, written before the date: its offset is no clock time.
@pytest.mark.parametrize("block", [
    "Von: Sam Patel <sam.patel@gmail.example>\nGesendet: (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien "
    "Montag, 3. März 2025 19:47\nAn: Jana Mueller <jana@talentbridge.example>\nBetreff: AW: Senior Data Engineer",
    "De : Sam Patel <sam.patel@gmail.example>\nEnvoyé : (UTC+01:00) Bruxelles, Copenhague, Madrid, Paris lundi 3 mars "
    "2025 19:47\nÀ : Jana Mueller <jana@talentbridge.example>\nObjet : RE : Senior Data Engineer",
    "De: Sam Patel <sam.patel@gmail.example>\nEnviado el: (UTC-05:00) Bogotá, Lima, Quito, Rio Branco lunes, 3 de marzo "
    "de 2025 7:47 p. m.\nPara: Jana Mueller <jana@talentbridge.example>\nAsunto: RE: Senior Data Engineer",
    "Van: Sam Patel <sam.patel@gmail.example>\nVerzonden: (GMT+01:00) maandag 3 maart 2025 19:47\nAan: Jana Mueller "
    "<jana@talentbridge.example>\nOnderwerp: RE: Senior Data Engineer",
    "Da: Sam Patel <sam.patel@gmail.example>\nInviato: (GMT+02:00) lunedì 3 marzo 2025 19:47\nA: Jana Mueller "
    "<jana@talentbridge.example>\nOggetto: R: Senior Data Engineer",
    "Fra: Sam Patel <sam.patel@gmail.example>\nSendt: (UTC+01:00) Bruxelles, København, Madrid, Paris 3. marts 2025 19.47"
    "\nTil: Jana Mueller <jana@talentbridge.example>\nEmne: SV: Senior Data Engineer",
    "Lähettäjä: Sam Patel <sam.patel@gmail.example>\nLähetetty: (UTC+02:00) Helsinki, Kiova, Riika, Sofia, Tallinna, "
    "Vilna maanantai 3. maaliskuuta 2025 19.47\nVastaanottaja: Jana Mueller <jana@talentbridge.example>\nAihe: VS: "
    "Senior Data Engineer",
    "Od: Sam Patel <sam.patel@gmail.example>\nWysłano: (UTC+01:00) Sarajewo, Skopje, Warszawa, Zagrzeb poniedziałek, "
    "3 marca 2025 19:47\nDo: Jana Mueller <jana@talentbridge.example>\nTemat: Odp: Senior Data Engineer",
])
def test_a_time_zone_before_the_date_of_a_localised_header_block_is_not_its_clock_time(block):
    conv = read_eml(_eml(f"{REPLY}{block}\n\n{QUOTED}"), "reply.eml")
    assert _turns(conv) == [SAM, JANA]


@pytest.mark.parametrize("attribution", [
    "Am (GMT+01:00) Mo., 3. März 2025 um 19:47 Uhr schrieb Sam Patel <sam.patel@gmail.example>:",
    "Le (UTC+01:00) lun. 3 mars 2025 à 19:47, Sam Patel <sam.patel@gmail.example> a écrit :",
    "Op (GMT+01:00) ma 3 mrt 2025 om 19:47 schreef Sam Patel <sam.patel@gmail.example>:",
])
def test_a_time_zone_before_the_date_of_a_localised_attribution_is_not_its_clock_time(attribution):
    conv = _attributed_reply(attribution)
    assert _turns(conv) == [SAM, JANA]


@pytest.mark.parametrize(("text", "when"), [
    ("Montag, 3. März 2025 19:47", "2025-03-03 19:47"),
    ("mié, 5 mar 2025 a las 9:40", "2025-03-05 09:40"),
    ("viernes, 16 de junio de 2017 12:03 p.m.", "2017-06-16 12:03"),
    ("El Viernes, 30 agosto, 2002, a las 10:25 AM", "2002-08-30 10:25"),
    ("seg., 3 de mar. de 2025 às 19:47", "2025-03-03 19:47"),
    ("03.03.25 um 7:47 pm", "2025-03-03 19:47"),
    ("Jeudi 13 février 2025 17h45", "2025-02-13 17:45"),
    ("Dienstag, 4. März 2025", "2025-03-04"),
    ("ons. 27. okt. 2021 kl. 09.31", "2021-10-27 09:31"),
    ("26. oktober 2021 kl. 14.25.08 EEST", "2021-10-26 14:25"),
    ("torsdag, 28 oktober 2021 12:46", "2021-10-28 12:46"),
    ("5. mars 2012 15:01", "2012-03-05 15:01"),
    ("fredag 5. desember 2025", "2025-12-05"),
    ("ke 27. lokak. 2021 klo 9.31", "2021-10-27 09:31"),
    ("torstaina, 28. lokakuuta 2021 klo 12.06", "2021-10-28 12:06"),
    ("maanantai 3. maaliskuuta 2025 19.47", "2025-03-03 19:47"),
    ("11.3.2021 klo 18.23", "2021-03-11 18:23"),
    ("śr., 27 paź 2021 o 09:31", "2021-10-27 09:31"),
    ("czwartek, 28 października 2021 o 12:46", "2021-10-28 12:46"),
    ("3. marts 2025, 12.000 kr", "2025-03-03"),  # a number after the date is no clock
    ("(UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien Dienstag, 4. März 2025", "2025-03-04"),  # no clock
    ("(GMT-03:00) Brasília segunda-feira, 3 de março de 2025 19:47", "2025-03-03 19:47"),
    ("UTC−05:00 lunes, 3 de marzo de 2025 7:47 p. m.", "2025-03-03 19:47"),
    ("(UTC+02:00) Helsinki, Kiova, Riika torstaina, 28. lokakuuta 2021 klo 12.06", "2021-10-28 12:06"),
    ("Montag, 3. März 2025 19:47 (UTC+01:00) Amsterdam, Berlin", "2025-03-03 19:47"),
    ("Monday, March 3, 2025 7:47 PM", None),  # English: left to the English reader
    ("31 febbraio 2025", None),
])
def test_localised_dates_are_read_day_first(text, when):
    assert _local_date(text) == when


@pytest.mark.parametrize("body", [
    " " * 100_000, ":" * 100_000, "Von" + " " * 100_000 + ":", "Am " + "1 " * 50_000 + "schrieb x",
    "Le 1, x <" + " " * 100_000 + "> a écrit :", "Von: x\nGesendet: " + "3 " * 50_000,
    "\n".join(["Am 1 " + "schrieb " * 39] * 320), "\n".join(["Op 1 " + "heeft " * 52] * 320),
    "Fra" + " " * 100_000 + ":", "Od: x\nWysłano: " + "3 " * 50_000, "Fra: x\nSendt: 3. marts 2025 " + "1." * 50_000,
    "Den 1 " + "skrev " * 20_000, "\n".join(["Den 1 " + "skrev " * 54] * 320),
    "\n".join(["1 " + "kirjoitti " * 32] * 320), "\n".join(["Sam " * 40 + "kirjoitti 1 " * 14] * 320),
    "\n".join(["W dniu 1 " + "napisał " * 40] * 320), "\n".join(["1 x\n" + "pisze " * 50] * 160),
    "-" * 100_000 + " Weitergeleitete Nachricht", "-- Weitergeleitete Nachricht " + "-" * 100_000 + "x",
    "Anfang der weitergeleiteten Nachricht" + " " * 100_000 + "x", "> " * 50_000 + "Begin forwarded message x",
    "-----Original Message-----\n" + "Betreff: x\n" * 15_000,
])
def test_long_lines_that_open_like_localised_headers_lose_no_words(body):
    # Lines crafted against the headers' patterns: how the time to read them grows is measured by
    # benchmarks/pathological_inputs.py.
    conv = read_eml(_eml(f"Hi Sam,\n\n{body}\n"), "long.eml")
    assert (conv.turns[-1].speaker, conv.turns[-1].text[:7]) == ("Jana Mueller", "Hi Sam,")
    lost = Counter(re.findall(r"\S+", body)) - Counter(re.findall(r"\S+", " ".join(t.text for t in conv.turns)))
    # Quote markers, a separator's dashes and Outlook's separator line are nobody's words; all else is read.
    assert all(set(token) <= {"-", ">"} or token in ("-----Original", "Message-----") for token in lost)


@pytest.mark.parametrize("lines", ["Van: Ford Transit, white\nDate: Friday 7 March 2025",
                                   "Da: the Danish office\nData: 3 GB per user",
                                   "Von: 10:00 Uhr\nBis: 12:00 Uhr\nDatum: 5. März 2025",
                                   "Od: Kraków\nDo: Warszawa\nData: 5 marca 2025",
                                   "Fra: kl. 10\nTil: kl. 12\nDato: 5. marts 2025",
                                   "Från: Stockholm\nTill: Göteborg\nDatum: 5 mars 2025",
                                   "Lähettäjä: HR-tiimi\nPäivämäärä: 5. maaliskuuta 2025"])
def test_a_senders_own_lines_that_start_with_a_field_name_are_no_header_block(lines):
    # A header block names a date and a subject, or a recipient and the sender's address; these are the sender's own
    # words ('Od: Kraków / Do: Warszawa' is from and to in Polish, 'Fra / Til' in Danish).
    conv = read_eml(_eml(f"Hi Sam,\n\n{lines}\n\nCan you confirm?\n\nJana"), "x.eml")
    assert len(conv.turns) == 1 and lines in conv.turns[0].text


FORWARDED_BY_JANA = "Oliver, see Sam's note below."


def _forward(body: str) -> bytes:
    return ("From: Jana Mueller <jana@talentbridge.example>\nTo: Oliver Grant <oliver@fenwick.example>\n"
            "Subject: Fwd: Senior Data Engineer\nDate: Tue, 4 Mar 2025 12:02:11 +0100\n"
            f"Content-Type: text/plain; charset=utf-8\n\n{FORWARDED_BY_JANA}\n\n{body}\n\n{QUOTED}").encode()


def _forwarded(conv) -> list[tuple[str, str | None, str]]:
    """(speaker, sent, text) of a forward's turns, the forwarded message's subject left out."""
    return [(t.speaker, t.sent.isoformat()[:16] if t.sent else None, t.text.removeprefix("Senior Data Engineer\n\n"))
            for t in conv.turns]


def test_gmails_forward_reads_as_before():
    # How an English forward reads, which the localised ones below must match: Gmail's line stays in the forwarder's text.
    conv = read_eml(_forward("---------- Forwarded message ---------\nFrom: Sam Patel <sam.patel@gmail.example>\n"
                             "Date: Mon, Mar 3, 2025 at 7:47 PM\nSubject: Senior Data Engineer\n"
                             "To: Jana Mueller <jana@talentbridge.example>"), "fwd.eml")
    assert _forwarded(conv) == [("Sam Patel", "2025-03-03T19:47", SAM[2]),
                                ("Jana Mueller", "2025-03-04T12:02", FORWARDED_BY_JANA)]


@pytest.mark.parametrize("header", [
    # Gmail writes its line in English in every language and names the sender's field in the reader's
    "---------- Forwarded message ---------\nVon: Sam Patel <sam.patel@gmail.example>\nDate: Mo., 3. März 2025 um 19:47 "
    "Uhr\nSubject: Senior Data Engineer\nTo: Jana Mueller <jana@talentbridge.example>",
    "---------- Forwarded message ---------\nFra: Sam Patel <sam.patel@gmail.example>\nDate: man. 3. mar. 2025 kl. 19.47\n"
    "Subject: Senior Data Engineer\nTo: <jana@talentbridge.example>",
    "---------- Forwarded message ---------\nLähettäjä: Sam Patel <sam.patel@gmail.example>\nDate: ma 3. maalisk. 2025 klo "
    "19.47\nSubject: Senior Data Engineer\nTo: <jana@talentbridge.example>",
    "---------- Forwarded message ---------\nOd: Sam Patel <sam.patel@gmail.example>\nDate: pon., 3 mar 2025 o 19:47\n"
    "Subject: Senior Data Engineer\nTo: <jana@talentbridge.example>",
    # Thunderbird's and Yahoo's line in the reader's language, then the subject first
    "-------- Weitergeleitete Nachricht --------\nBetreff: Senior Data Engineer\nDatum: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "Von: Sam Patel <sam.patel@gmail.example>\nAn: Jana Mueller <jana@talentbridge.example>",
    "-------- Message transféré --------\nSujet : Senior Data Engineer\nDate : Mon, 3 Mar 2025 19:47:00 +0100\n"
    "De : Sam Patel <sam.patel@gmail.example>\nPour : Jana Mueller <jana@talentbridge.example>",
    "-------- Mensaje reenviado --------\nAsunto: Senior Data Engineer\nFecha: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "De: Sam Patel <sam.patel@gmail.example>\nPara: Jana Mueller <jana@talentbridge.example>",
    "-------- Doorgestuurd bericht --------\nOnderwerp: Senior Data Engineer\nDatum: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "Van: Sam Patel <sam.patel@gmail.example>\nAan: Jana Mueller <jana@talentbridge.example>",
    "-------- Messaggio inoltrato --------\nOggetto: Senior Data Engineer\nData: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "Mittente: Sam Patel <sam.patel@gmail.example>\nA: Jana Mueller <jana@talentbridge.example>",
    "-------- Mensagem encaminhada --------\nAssunto: Senior Data Engineer\nData: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "De: Sam Patel <sam.patel@gmail.example>\nPara: Jana Mueller <jana@talentbridge.example>",
    "-------- Videresendt meddelelse --------\nEmne: Senior Data Engineer\nDato: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "Fra: Sam Patel <sam.patel@gmail.example>\nTil: Jana Mueller <jana@talentbridge.example>",
    "-------- Videresendt melding --------\nEmne: Senior Data Engineer\nDato: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "Fra: Sam Patel <sam.patel@gmail.example>\nTil: Jana Mueller <jana@talentbridge.example>",
    "-------- Vidarebefordrat meddelande --------\nÄmne: Senior Data Engineer\nDatum: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "Från: Sam Patel <sam.patel@gmail.example>\nTill: Jana Mueller <jana@talentbridge.example>",
    "-------- Välitetty viesti / Fwd.Msg --------\nAihe: Senior Data Engineer\nPäiväys: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "Lähettäjä: Sam Patel <sam.patel@gmail.example>\nVastaanottaja: Jana Mueller <jana@talentbridge.example>",
    "-------- Przekazana wiadomość --------\nTemat: Senior Data Engineer\nData: Mon, 3 Mar 2025 19:47:00 +0100\n"
    "Nadawca: Sam Patel <sam.patel@gmail.example>\nAdresat: Jana Mueller <jana@talentbridge.example>",
])
def test_a_localised_forward_gives_the_forwarded_message_to_its_author_as_gmails_does(header):
    assert _forwarded(read_eml(_forward(header), "fwd.eml")) == [
        ("Sam Patel", "2025-03-03T19:47", SAM[2]),
        ("Jana Mueller", "2025-03-04T12:02", FORWARDED_BY_JANA)]


@pytest.mark.parametrize("header", [
    "Begin forwarded message:\n\nFrom: Sam Patel <sam.patel@gmail.example>\nSubject: Senior Data Engineer\n"
    "Date: 3 March 2025 at 19:47:00 CET\nTo: jana@talentbridge.example",
    "Anfang der weitergeleiteten Nachricht:\n\nVon: Sam Patel <sam.patel@gmail.example>\nBetreff: Senior Data Engineer\n"
    "Datum: 3. März 2025 um 19:47:00 MEZ\nAn: jana@talentbridge.example",
    "Début du message réexpédié :\n\nDe : Sam Patel <sam.patel@gmail.example>\nObjet : Senior Data Engineer\n"
    "Date : 3 mars 2025 à 19:47:00 UTC+1\nÀ : jana@talentbridge.example",
    "Inicio del mensaje reenviado:\n\nDe: Sam Patel <sam.patel@gmail.example>\nAsunto: Senior Data Engineer\n"
    "Fecha: 3 de marzo de 2025, 19:47:00 CET\nPara: jana@talentbridge.example",
    "Begin doorgestuurd bericht:\n\nVan: Sam Patel <sam.patel@gmail.example>\nOnderwerp: Senior Data Engineer\n"
    "Datum: 3 maart 2025 om 19:47:00 CET\nAan: jana@talentbridge.example",
    "Inizio messaggio inoltrato:\n\nDa: Sam Patel <sam.patel@gmail.example>\nOggetto: Senior Data Engineer\n"
    "Data: 3 marzo 2025 19:47:00 CET\nA: jana@talentbridge.example",
    "Início da mensagem encaminhada:\n\nDe: Sam Patel <sam.patel@gmail.example>\nAssunto: Senior Data Engineer\n"
    "Data: 3 de março de 2025 19:47:00 CET\nPara: jana@talentbridge.example",
    "Start på videresendt besked:\n\nFra: Sam Patel <sam.patel@gmail.example>\nEmne: Senior Data Engineer\n"
    "Dato: 3. marts 2025 kl. 19.47.00 CET\nTil: jana@talentbridge.example",
    "Videresendt melding:\n\nFra: Sam Patel <sam.patel@gmail.example>\nEmne: Senior Data Engineer\n"
    "Dato: 3. mars 2025 kl. 19:47:00 CET\nTil: jana@talentbridge.example",
    "Vidarebefordrat mejl:\n\nFrån: Sam Patel <sam.patel@gmail.example>\nÄmne: Senior Data Engineer\n"
    "Datum: 3 mars 2025 19:47:00 CET\nTill: jana@talentbridge.example",
    "Välitetty viesti alkaa:\n\nLähettäjä: Sam Patel <sam.patel@gmail.example>\nAihe: Senior Data Engineer\n"
    "Päivämäärä: 3. maaliskuuta 2025 klo 19.47.00 UTC+1\nVastaanottaja: jana@talentbridge.example",
    "Początek przekazywanej wiadomości:\n\nOd: Sam Patel <sam.patel@gmail.example>\nTemat: Senior Data Engineer\n"
    "Data: 3 marca 2025 o 19:47:00 CET\nDo: jana@talentbridge.example",
])
def test_apple_mails_localised_forward_reads_as_its_english_one(header):
    assert _forwarded(read_eml(_forward(header), "fwd.eml")) == [
        ("Sam Patel", "2025-03-03T19:47", SAM[2]),
        ("Jana Mueller", "2025-03-04T12:02", FORWARDED_BY_JANA)]


@pytest.mark.parametrize("line", ["Videresendt melding: se nedenfor.", "Die weitergeleitete Nachricht von Sam ist unten.",
                                  "Alkuperäinen viesti on alla.", "-- Wiadomość oryginalna jest w załączniku --x"])
def test_a_sentence_with_the_words_of_a_forwarded_or_original_message_line_is_text(line):
    conv = read_eml(_eml(f"Hi Sam,\n\n{line}\n\nJana\n"), "s.eml")
    assert [t.speaker for t in conv.turns] == ["Jana Mueller"] and line in conv.turns[0].text
