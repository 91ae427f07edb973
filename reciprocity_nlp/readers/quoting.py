"""Quoted history in an email body: the new message and each earlier message it quotes, with the header naming its author.

Splitting a top-posted reply is mail-parser-reply's (Gmail "On ... wrote:", Outlook From/Sent blocks, "Original
Message"). On top of that this module strips quote markers, reads the quoted headers of German, French, Spanish, Dutch,
Italian, Portuguese, Danish, Norwegian, Swedish, Finnish and Polish clients as English ones, and splits replies written
under or between quoted lines, giving each quote to the author its attribution line names.
"""

from __future__ import annotations

import contextlib
import email.errors
import itertools
import re
import unicodedata
from datetime import datetime
from email.header import decode_header, make_header
from email.utils import parseaddr

from mailparser_reply import EmailReplyParser

from reciprocity_nlp.readers.boilerplate import strip_signature
from reciprocity_nlp.readers.mime import RFC_DATE, header_text, parse_date, tidy

_REPLY_PARSER = EmailReplyParser(languages=["en"])
_WROTE = r"(?:wrote|writes|said|mentioned)"  # the verb of an attribution line: "Sam wrote:"
_AT_TIME = r"At\s+\d{1,2}[:.]\d{2}"  # how Eudora opens an attribution: "At 11:49 02/09/2002, Sam wrote:"
_QUOTE = re.compile(r"^(?:[ \t]*>)+ ?", re.MULTILINE)
_FIELD = re.compile(r"^[* ]*(?P<key>From|Sent|Date|To|Cc|Subject)[* ]*:[* ]*(?P<value>.*)$", re.I | re.M)
_MAILTO = re.compile(r"\[mailto:(?P<addr>[^\]]+)\]")
# An address is `x@y` with no spaces or angle brackets; written `[^<>\s]+@[^<>\s]+`, a run of '@' could be split
# at each of its '@' and its rest searched for '>' each time. Here the address runs to its first '@' after its
# first character, which matches the same text in one way.
_ADDRESS = r"[^<>\s][^<>\s@]*@[^<>\s]+"
# Gmail's "Print all": 'Sam Lee <sam@x.com>   Tue, Mar 4, 2025 at 9:14 AM', one line. The spaces are possessive
# (giving some back never helps) and stay on the line: from each line of a long run of lines holding only
# whitespace (vertical tabs, ideographic spaces), `\s*` would scan to the end of the run.
GMAIL_PRINT_HEAD = re.compile(
    rf"^(?P<name>[^<>\n\t]{{1,80}}?)[^\S\n]*+<(?P<addr>{_ADDRESS})>(?:[ ]*+\t[ \t]*+|[ ]{{2,}}+)"
    r"(?P<date>[^\n]*\d{1,2}:\d{2}.*)$",
    re.M
)


def name_and_address(text: str) -> tuple[str, str]:
    """(display name, address) from 'Name <addr>', 'addr', 'Name [mailto:addr]' or 'Name'."""
    text = text.strip()
    if "=?" in text:
        # An encoded word the standard library cannot decode ('=?é?q?Ana?=': no such charset) stays as written.
        with contextlib.suppress(email.errors.MessageError, LookupError, UnicodeError):
            text = header_text(text, str(make_header(decode_header(text))))
    mailto = _MAILTO.search(text)
    if mailto:
        addr = mailto.group("addr").strip()
        name = _MAILTO.sub("", text).strip().strip('"').strip()
        return name, addr
    if "@" in text:
        # parseaddr needs the quotes: a display name with a period is quoted ("Joseph S. Barrera").
        name, addr = parseaddr(text)
        if "@" in addr:
            return name.strip(), addr.strip()
        # Outlook writes 'Ruiz, Ana <ana@...>' unquoted, which parseaddr splits at the comma.
        pair = _NAME_ADDR.fullmatch(text)
        if pair:
            return pair.group("name").strip().strip('"').strip(), pair.group("addr").strip()
    return text.strip('"').strip(), ""


# 'Name <addr>'. A match can only start where the text starts or after an angle bracket (a start further on
# reaches the same '<' and fails or succeeds with it), so the others are not tried; the name is the text before
# the '<' without its trailing spaces, found in one way. Both keep `findall` linear on a long To line.
_NAME_ADDR = re.compile(rf"(?:\A|(?<=[<>]))(?P<name>(?:[^<>]*[^<>\s])?)\s*<(?P<addr>{_ADDRESS})>")


_TIME_OR_YEAR = r"(?:\b[AaPp]\.?[Mm]\.?|\d{1,2}[:.]\d{2}(?::\d{2})?|\b\d{4}|,)"


_ISO_WHEN = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?), ")


def _split_wrote(line: str) -> tuple[str, str]:
    """'On <date>, <name> <addr> wrote:' (or Eudora's 'At <time> <date>, ...') -> (date text, sender text)."""
    inner = re.sub(r"^\s*(?:On|At)\s+", "", line.strip())
    inner = re.sub(rf"\s*{_WROTE}:\s*$", "", inner)
    inner = re.sub(r"\s\([A-Z]{2,5}\)(?=\s)", "", inner)  # a zone name after the time: "-0500 (EST)"
    written = _ISO_WHEN.match(inner)  # as `english_headers` writes it: the sender is all after the date
    if written:
        return written["date"], inner[written.end():]
    m = re.search(rf"^(?P<date>.*{_TIME_OR_YEAR})\s*,?\s+(?P<who>[^,<>]*?\s*<[^<>]+>)\s*$", inner)
    if m:
        return m.group("date"), m.group("who")
    m = re.search(rf"^(?P<date>.*{_TIME_OR_YEAR})\s*,?\s+(?P<who>[^,<>]+?)\s*$", inner)
    if m:
        return m.group("date"), m.group("who")
    date, _, who = inner.rpartition(",")
    return date, who


def parse_header_block(header: str) -> tuple[str, str, datetime | None, str]:
    """Sender name, address, date and subject ('' when not given) from an 'On ... wrote:' line or a
    From/Sent block."""
    header = _QUOTE.sub("", header).strip()
    flat = " ".join(header.split())
    if re.match(rf"^(?:On\s|{_AT_TIME}).+{_WROTE}:$", flat):
        date_text, who = _split_wrote(flat)
        name, addr = name_and_address(who)
        return name, addr, parse_date(date_text), ""
    attribution = _ATTRIBUTION.match(flat)
    if attribution:
        name, addr = name_and_address(_GROUP_PREFIX.sub("", attribution.group("who")))
        return name, addr, None, ""
    fields: dict[str, str] = {}
    for fm in _FIELD.finditer(header):
        fields.setdefault(fm.group("key").lower(), fm.group("value").strip())
    name, addr = name_and_address(fields.get("from", ""))
    return name, addr, parse_date(fields.get("sent") or fields.get("date") or ""), fields.get("subject", "")


# The header block of a quoted message in German, French, Spanish, Dutch, Italian, Portuguese, Danish, Norwegian, Swedish,
# Finnish and Polish mail clients (Outlook's 'Von:/Gesendet:/An:/Betreff:', 'De :/Envoyé :/À :/Objet :', 'De:/Enviado
# el:/Para:/Asunto:', 'Van:/Verzonden:/Aan:', 'Da:/Inviato:/A:/Oggetto:', 'De:/Enviada em:/Para:/Assunto:',
# 'Fra:/Sendt:/Til:/Emne:', 'Från:/Skickat:/Till:/Ämne:', 'Lähettäjä:/Lähetetty:/Vastaanottaja:/Aihe:',
# 'Od:/Wysłano:/Do:/Temat:'; Outlook for Mac and the web, and Apple Mail, write a date field; Thunderbird's forwards
# 'Sujet:/Pour:', 'Nadawca:/Adresat:', 'Mittente:', 'Päiväys:'; Gmail's forwards name only the sender in the reader's
# language: 'Von: ... / Date: / Subject: / To:'): each field name under the English one it stands for. See
# `_header_block` for what makes a block of them.
_LOCAL_FIELDS = {
    "From": ("Von", "De", "Van", "Da", "Fra", "Från", "Lähettäjä", "Od", "Nadawca", "Mittente"),
    "Sent": ("Gesendet", "Envoyé", "Enviado el", "Enviado em", "Enviada em", "Enviado", "Enviada", "Verzonden", "Inviato",
             "Sendt", "Skickat", "Lähetetty", "Wysłano"),
    "Date": ("Datum", "Date", "Fecha", "Data", "Dato", "Päivämäärä", "Päiväys"),
    "To": ("An", "À", "A", "Para", "Aan", "Til", "Till", "Vastaanottaja", "Do", "Adresat", "Pour", "To"),
    "Cc": ("Cc", "Kopie", "Kopi", "Kopia", "Kopio", "DW"),
    "Subject": ("Betreff", "Objet", "Asunto", "Onderwerp", "Oggetto", "Assunto", "Emne", "Ämne", "Aihe", "Temat", "Sujet",
                "Subject"),
}
_IN_ENGLISH = {local.lower(): english for english, names in _LOCAL_FIELDS.items() for local in names}
# The quote markers a line of quoted history opens with. Here and below the runs of spaces are possessive: two runs
# with only an optional mark between them could split a long run of spaces in every way.
_QUOTE_LEAD = r"(?P<lead>(?:[ \t]*+>)*+[ \t]*+)"
_LOCAL_FIELD = re.compile(
    rf"^{_QUOTE_LEAD}(?P<stars>\**+)[ \t]*+(?P<key>{'|'.join(sorted(map(re.escape, _IN_ENGLISH), key=len, reverse=True))})"
    r"[ \u00a0\u202f]*+(?P<after>\**+)[ \u00a0\u202f]*+:", re.I)
# Outlook's line above a quoted message: '-----Ursprüngliche Nachricht-----' and the like.
_LOCAL_ORIGINAL = re.compile(rf"^{_QUOTE_LEAD}-{{2,}} ?(?:Ursprüngliche Nachricht|Message d['’]origine|Mensaje original|"
                             r"Oorspronkelijk bericht|Messaggio originale|Mensagem original|Oprindelig meddelelse|"
                             r"Opprinnelig melding|Ursprungligt meddelande|Alkuperäinen viesti|Wiadomość oryginalna|"
                             r"Oryginalna wiadomość) ?-{2,}[ \t]*$", re.I)
# The line above a forwarded message: Thunderbird's and Yahoo's '-------- Weitergeleitete Nachricht --------' (Gmail
# writes '---------- Forwarded message ---------' in every language) and Apple Mail's 'Anfang der weitergeleiteten
# Nachricht:'. Each is read as the English one, which stays in the forwarder's text as it is written.
_LOCAL_FORWARDED = re.compile(rf"^{_QUOTE_LEAD}-{{2,}} ?(?:Weitergeleitete Nachricht|Message transféré|Message transmis|"
                              r"Mensaje reenviado|Doorgestuurd bericht|Messaggio inoltrato|Mensagem encaminhada|"
                              r"Mensagem reencaminhada|Videresendt meddelelse|Videresendt besked|Videresendt melding|"
                              r"Vidarebefordrat meddelande|Edelleenlähetetty viesti|Välitetty viesti(?: / Fwd\.Msg)?|"
                              r"Przekazana wiadomość|Wiadomość przekazana dalej|Treść przekazanej wiadomości) ?-{2,}[ \t]*$",
                              re.I)
_LOCAL_BEGIN_FORWARDED = re.compile(rf"^{_QUOTE_LEAD}(?:Anfang der weitergeleiteten Nachricht|Début du message réexpédié|"
                                    r"Début du message transféré|Inicio del mensaje reenviado|Begin doorgestuurd bericht|"
                                    r"Inizio messaggio inoltrato|Início da mensagem (?:re)?encaminhada|Start på videresendt "
                                    r"besked|Videresendt melding|Vidarebefordrat mejl|Välitetty viesti alkaa|Początek "
                                    r"przekazywanej wiadomości)[ \u00a0]?:[ \t]*$", re.I)
# The English lines above a quoted or forwarded message, which a block of localised fields may follow in any order
# (Thunderbird's forwards open with the subject: '-------- Weitergeleitete Nachricht --------' then 'Betreff:').
_SEPARATOR = re.compile(rf"^{_QUOTE_LEAD}(?:-{{2,}} ?(?:Original Message|Forwarded message) ?-{{2,}}|Begin forwarded "
                        r"message ?:)[ \t]*$", re.I)
# An attribution line (Gmail, Apple Mail, Thunderbird). German and Dutch put the verb before the sender: 'Am <date> schrieb
# <who>:', 'Op <date> schreef <who>:', Apple's 'Op <date> heeft <who> het volgende geschreven:'. French, Spanish, Italian
# and Portuguese after it: 'Le <date>, <who> a écrit :', 'El <date>, <who> (<addr>) escribió:', 'Il giorno <date> <who> ha
# scritto:', 'Em <date>, <who> escreveu:'.
_WROTE_OPENING = re.compile(r"(?:Am|Op|Le|El|Il|In data|Em)\s")
_WROTE_BEFORE = re.compile(r"(?:Am|Op)\s(?P<date>[^\n]{1,120}?)\s(?:schrieb|schreef|heeft)\s(?P<who>[^\n]{1,200}?)"
                           r"(?:\shet volgende geschreven)?\s?:")
_WROTE_AFTER = re.compile(r"(?:Le|El|Il giorno|Il|In data|Em)\s(?P<rest>[^\n]{1,300}?)\s(?:a\s[ée]crit|escribió|ha scritto|"
                          r"escreveu)\s?:")
# Danish, Norwegian, Swedish, Finnish and Polish ones, written by no opening word of their own: the verb before the
# sender, Gmail's and Apple's 'Den tor. 15. dec. 2022 kl. 16.19 skrev <who>:' (Norwegian's without 'Den'), Thunderbird's
# 'Den 30-04-2019 kl. 16:06, skrev <who>:', Outlook's 'D. 28/10/2021 12.46 skrev "<who>" <addr>:' and Swedish Outlook's
# 'Den <date> skrev "<who>" <addr> följande:'; the verb between the sender and the date, Finnish Thunderbird's '<who>
# kirjoitti 11.3.2021 klo 18.23:' and Norwegian Outlook's '<who> <addr> skrev følgende den <date>:'; or the verb last,
# Gmail's '<date> <who> (<addr>) kirjoitti:', 'czw., 12 mar 2020 o 15:33 <who> napisał(a):', Thunderbird's 'W dniu
# <date>, <who> pisze:'. As these open with a date or a name, a line is one only when its date reads as a date
# (`_local_date`) and its sender is named (`_names_someone`): 'Den 5 mars 2025 skrev jag till kunden:' is a sentence.
_LOCAL_VERB = re.compile(r"skrev|kirjoitti|napisał|pisze")
_DATE_START = re.compile(r"(?:Den|D\.|W dniu|Dnia)\s|[^\W\d_]{1,4}\.?,?[ \t]+\d|\d")  # how the date-first ones open
_SKREV_BEFORE = re.compile(r"(?P<date>[^\n]{1,120}?),?\sskrev\s(?P<who>[^\n]{1,200}?)(?:\sföljande)?\s?:")
_WROTE_BETWEEN = re.compile(r"(?P<who>[^\n]{1,200}?)\s(?:kirjoitti|skrev følgende den)\s(?P<date>[^\n]{1,120}?)\s?:")
_WROTE_LAST = re.compile(r"(?:(?:Den|W dniu|Dnia)\s)?(?P<rest>[^\n]{1,300}?)\s(?:skrev|kirjoitti|napisał\(a\)|napisała|"
                         r"napisał|pisze)\s?:")
_SWEDISH_HALF = re.compile(r"(fm|em)\s+")  # Swedish Gmail for phones' 'Den mån 3 mars 2025 7:47 em <who> skrev:'
_LONGEST_WROTE = 330  # characters of an attribution line, wrapped over two lines or not, at most
# English with the date after the verb, as an applicant-tracking system's notification quotes the message it answers:
# 'Jana Mueller wrote on Feb 26, 2025, 10:02 AM:'. Its date must hold a year and a clock time, as a machine writes it
# ('As I wrote on Monday:' opens a sentence's quote, not a message's), and the line must stand where a machine puts it:
# under a rule ('----'), or with a 12-hour clock. A rep quoting a colleague in their own words ('Our CFO Mark Lee wrote
# on Friday 7 March 2025, 16:20:') keeps what follows, and a name never opens with such a lead-in.
_WROTE_ON = re.compile(r"(?P<who>(?:[A-Z][\w'’.-]*+ ){0,3}[A-Z][\w'’.-]*+(?: <[^<>\s]++>)?) wrote on "
                       r"(?P<date>[^\n]{1,100}?) ?:[ \t]*+")
_MACHINE_DATE = re.compile(r"(?=.*\b\d{4}\b)(?=.*\b\d{1,2}:\d{2}\b)")
_TWELVE_HOUR = re.compile(r"\b\d{1,2}:\d{2}\s?[AaPp]\.?[Mm]\b")
RULE_LINE = re.compile(r"[ \t>]*+[-_=*]{3,}[ \t]*+")  # a rule ('-----', Outlook's <hr> as text), quoted or not
_LEAD_INS = frozenset({"our", "my", "your", "his", "her", "their", "as", "the", "then", "and", "but", "so", "we", "i",
                       "when", "if", "also", "today", "yesterday"})


def _machine_attribution(lines: list[str], i: int, found: re.Match[str]) -> bool:
    """Whether a '<who> wrote on <date>:' line (`_WROTE_ON`) is a notification's attribution: a machine's date, a name
    with no lead-in, and a rule just above it (a blank line between) or a 12-hour clock."""
    if not _MACHINE_DATE.match(found["date"]) or found["who"].split()[0].lower() in _LEAD_INS:
        return False
    above = next((line for line in reversed(lines[max(0, i - 3):i]) if line.strip(" \t>")), "")
    return bool(RULE_LINE.fullmatch(above) or _TWELVE_HOUR.search(found["date"]))
_PAREN_ADDRESS = re.compile(r"\(\s*<?\s*(?P<addr>[^<>()\s@]+@[^<>()\s]+?)\s*>?\s*\)")  # Spanish Gmail's '(<sam@x>)'
_BLOCK_LINES = 12  # lines of a header block, wrapped recipients and all, at most
_MONTHS = {name: number for number, names in enumerate((
    "jan janv janvier januar janner januari enero ene gennaio gen janeiro january tammik tammikuu tammikuuta sty "
    "stycznia styczen",
    "feb febr fev fevr fevrier februar februari febrero febbraio fevereiro february helmik helmikuu helmikuuta lut "
    "lutego luty",
    "mar mars marz mrz maerz maart mrt marzo marco march marts maalisk maaliskuu maaliskuuta marca marzec",
    "apr avr avril april abr abril aprile huhtik huhtikuu huhtikuuta kwi kwietnia kwiecien",
    "mai may mei mayo mag maggio maio maj toukok toukokuu toukokuuta maja",
    "jun juin juni junio giu giugno junho june kesak kesakuu kesakuuta cze czerwca czerwiec",
    "jul juil juillet juli julio lug luglio julho july heinak heinakuu heinakuuta lip lipca lipiec",
    "aug aou aout augustus ago agosto august augusti elok elokuu elokuuta sie sierpnia sierpien",
    "sep sept septembre september septiembre set sett settembre setembro syysk syyskuu syyskuuta wrz wrzesnia wrzesien",
    "oct octobre okt oktober octubre ott ottobre out outubro october lokak lokakuu lokakuuta paz pazdziernika "
    "pazdziernik",
    "nov novembre november noviembre novembro marrask marraskuu marraskuuta lis listopada listopad",
    "dec decembre dez dezember december dic diciembre dicembre dezembro des desember jouluk joulukuu joulukuuta gru "
    "grudnia grudzien"), 1) for name in names.split()}
_DAY_MONTH_YEAR = re.compile(r"\b(?P<day>\d{1,2})\.?\s+(?:de\s+)?(?P<month>[^\W\d_]{3,12})\.?,?\s+(?:de\s+)?(?P<year>\d{4})\b")
_DAY_MONTH_YEAR_DIGITS = re.compile(r"\b(?P<day>\d{1,2})[./-](?P<month>\d{1,2})[./-](?P<year>\d{4}|\d{2})\b")
# ISO 8601, as a client in a Swedish (or Lithuanian) locale writes dates: 'Den 2025-03-03 19:47, Sam Patel skrev:'; a
# year of this century or the last and two-digit months and days, as those clients write them, so that a phone number
# ('0701-12-12') is none.
_YEAR_MONTH_DAY = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
# A clock time, not a signed offset from UTC: a time zone as Outlook names it, '(UTC+01:00) Amsterdam, Berlin...', may
# stand before the date.
_CLOCK = re.compile(r"(?<![+\-\u2212])\b(?P<hour>\d{1,2})[:h](?P<minute>\d{2})\b(?::\d{2})?(?:\s?(?P<half>[ap])\.?\s?m\b\.?)?")
# Danish, Norwegian and Finnish clocks: '27. okt. 2021 kl. 09.31', '28. lokakuuta 2021 klo 12.06', '11.3.2021 19.47'; read
# only right after the date, where no part of a date can be.
_DOTTED_CLOCK = re.compile(r"\D{0,12}?(?P<hour>\d{1,2})\.(?P<minute>\d{2})\b(?:\.\d{2})?(?:\s?(?P<half>[ap])\.?\s?m\b\.?)?")


def _local_date(text: str) -> str | None:
    """A date as German, French, Spanish, Dutch, Italian, Portuguese, Danish, Norwegian, Swedish, Finnish and Polish
    clients write it, day first ('Montag, 3. März 2025 19:47', 'mié, 5 mar 2025 a las 9:40', '03.03.25 um 19:47', 'ons. 27.
    okt. 2021 kl. 09.31', 'czwartek, 28 października 2021 o 12:46', Swedish '2025-03-03 19:47'), as 'YYYY-MM-DD HH:MM';
    None when none is found."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))
    found = next((m for m in _DAY_MONTH_YEAR.finditer(folded) if m["month"] in _MONTHS), None)
    if found:
        day, month, year = int(found["day"]), _MONTHS[found["month"]], int(found["year"])
    elif found := _DAY_MONTH_YEAR_DIGITS.search(folded):
        day, month, year = int(found["day"]), int(found["month"]), int(found["year"])
        year += 2000 if year < 100 else 0
    elif found := _YEAR_MONTH_DAY.search(folded):
        day, month, year = int(found["day"]), int(found["month"]), int(found["year"])
    else:
        return None
    clock = _CLOCK.search(folded) or _DOTTED_CLOCK.match(folded, found.end())
    hour, minute = (int(clock["hour"]), int(clock["minute"])) if clock else (0, 0)
    if clock and clock["half"]:
        hour = hour % 12 + (12 if clock["half"] == "p" else 0)
    try:
        when = datetime(year, month, day, hour, minute)
    except ValueError:
        return None
    return f"{when:%Y-%m-%d %H:%M}" if clock else f"{when:%Y-%m-%d}"


def english_headers(text: str) -> str:
    """`text` with the headers of its quoted messages in German, French, Spanish, Dutch, Italian, Portuguese, Danish,
    Norwegian, Swedish, Finnish or Polish written as English ones: 'Von:' as 'From:', '-----Ursprüngliche
    Nachricht-----' as '-----Original Message-----', '-------- Weitergeleitete Nachricht --------' and 'Anfang der
    weitergeleiteten Nachricht:' as Gmail's and Apple's English lines, 'Am <date> schrieb <who>:' as 'On <date>, <who>
    wrote:', each date as 'YYYY-MM-DD HH:MM'; and '<who> wrote on <date>:' (see `_WROTE_ON`) as 'On <date>, <who>
    wrote:'. The rest of this module reads English ones, so these messages split and go to their authors as English
    ones do."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    after_separator = False  # the lines above are an 'Original Message' or forwarded-message line and blank lines
    while i < len(lines):
        line = lines[i]
        taken = _english_line(lines, i, after_separator)
        if taken:
            out += taken[0]
            i += taken[1]
        else:
            out.append(line)
            i += 1
        after_separator = bool(_SEPARATOR.match(out[-1])) or (after_separator and not _QUOTE.sub("", out[-1]).strip())
    return "\n".join(out)


def _english_line(lines: list[str], i: int, after_separator: bool) -> tuple[list[str], int] | None:
    """The localised header, separator or attribution line(s) at `lines[i]` written in English, and how many lines they
    take; None when `lines[i]` opens none. After a separator line a header block may open with any field."""
    line = lines[i]
    field = _LOCAL_FIELD.match(line)
    if field and (after_separator or _IN_ENGLISH[field["key"].lower()] == "From"):
        block = _header_block(lines, i)
        if block:
            return block, len(block)
    original = _LOCAL_ORIGINAL.match(line)
    if original:
        return [f"{original['lead']}-----Original Message-----"], 1
    forwarded = _LOCAL_FORWARDED.match(line)
    if forwarded:
        return [f"{forwarded['lead']}---------- Forwarded message ---------"], 1
    begin = _LOCAL_BEGIN_FORWARDED.match(line)
    if begin:
        return [f"{begin['lead']}Begin forwarded message:"], 1
    lead = line[:len(line) - len(line.lstrip(" \t>"))]  # what _QUOTE_LEAD matches
    wrote_on = _WROTE_ON.fullmatch(line, len(lead))
    if wrote_on and _machine_attribution(lines, i, wrote_on):
        return [f"{lead}On {wrote_on['date']}, {wrote_on['who']} wrote:"], 1
    if _WROTE_OPENING.match(line, len(lead)) or _LOCAL_VERB.search(line) or (
            i + 1 < len(lines) and _DATE_START.match(line, len(lead)) and _LOCAL_VERB.search(lines[i + 1])):
        attribution = _english_attribution(lines, i, lead)
        if attribution:
            return [attribution[0]], attribution[1]
    return None


def _header_block(lines: list[str], start: int) -> list[str]:
    """The localised header block opening at `lines[start]` written in English (as many lines as it has); [] when the
    lines there are no header block.

    A block runs to an empty line and names its sender and a date, and a subject or, when its sender's field holds an
    address, a recipient: a client writes them all, while a sender's own 'Von: 10 Uhr / Datum: ...' or a ticket's 'Od:
    Kraków / Do: Warszawa / Data: 5 marca 2025' names no subject and no address.
    """
    end = start + 1
    while end < min(len(lines), start + _BLOCK_LINES) and _QUOTE.sub("", lines[end]).strip():
        end += 1
    fields = [(line, f) for line in lines[start:end] if (f := _LOCAL_FIELD.match(line))]
    named = {_IN_ENGLISH[f["key"].lower()]: line[f.end():] for line, f in reversed(fields)}  # the first of each
    if not ("From" in named and named.keys() & {"Sent", "Date"}
            and ("Subject" in named or ("To" in named and "@" in named["From"]))):
        return []
    block = []
    for line in lines[start:end]:
        field = _LOCAL_FIELD.match(line)
        if field:
            english = _IN_ENGLISH[field["key"].lower()]
            value = line[field.end():]
            if english in ("Sent", "Date") and not RFC_DATE.match(value.strip()):
                value = f" {_local_date(value) or value.strip()}"
            line = f"{field['lead']}{field['stars']}{english}{field['after']}:{value}"
        block.append(line)
    return block


def _english_attribution(lines: list[str], start: int, lead: str) -> tuple[str, int] | None:
    """The localised attribution line at `lines[start]`, wrapped over two lines or not, as 'On <date>, <who> wrote:'
    and the number of lines it takes; None when there is none."""
    first = lines[start][len(lead):].strip()
    candidates = [(first, 1)]
    if start + 1 < len(lines):
        candidates.append((f"{first} {_QUOTE.sub('', lines[start + 1]).strip()}", 2))
    for text, taken in candidates:
        if len(text) > _LONGEST_WROTE:
            break
        before, after = _WROTE_BEFORE.fullmatch(text), _WROTE_AFTER.fullmatch(text)
        if before:
            date, who = before["date"], before["who"]
        elif after:
            rest = _PAREN_ADDRESS.sub(r"<\g<addr>>", after["rest"])
            date, who = _split_wrote(f"On {rest} wrote:")
        elif nordic := _nordic_attribution(text, taken == 1):
            date, who = nordic
        else:
            continue
        who = re.sub(r"\s+>", ">", re.sub(r"<\s+", "<", _PAREN_ADDRESS.sub(r"<\g<addr>>", who))).strip()
        if who and re.search(r"\d", date):
            return f"{lead}On {_local_date(date) or date.strip()}, {who} wrote:", taken
    return None


def _nordic_attribution(text: str, one_line: bool) -> tuple[str, str] | None:
    """(date, sender) of the Danish, Norwegian, Swedish, Finnish or Polish attribution line `text` (see `_LOCAL_VERB`);
    None when it is none. One that opens with its sender is read only when `text` is `one_line`, not two lines joined:
    the line above an attribution is no part of it."""
    if _DATE_START.match(text):
        if skrev := _SKREV_BEFORE.fullmatch(text):
            date, who = skrev["date"], skrev["who"]
        elif last := _WROTE_LAST.fullmatch(text):
            rest = _PAREN_ADDRESS.sub(r"<\g<addr>>", last["rest"])
            date, who = _split_wrote(f"On {rest} wrote:")
            if half := _SWEDISH_HALF.match(who):  # the clock's half of the day, not the sender's name
                date, who = f"{date} {'am' if half[1] == 'fm' else 'pm'}", who[half.end():]
        else:
            return None
    elif one_line and (between := _WROTE_BETWEEN.fullmatch(text)) and _DATE_START.match(between["date"]):
        date, who = between["date"], between["who"]
    else:
        return None
    who = who.replace("„", "").replace("”", "")  # Polish Outlook's '„Sam Patel” <sam@x>'
    return (date, who) if _local_date(date) and _names_someone(who) else None


def _names_someone(who: str) -> bool:
    """Whether an attribution's sender text names someone: it holds an address, or its words are a name ('Sam Patel',
    'Hugo van der Berg': every word of four letters or more capitalised), not a clause ('jag till kunden')."""
    words = re.findall(r"[^\W\d_][\w'’.-]*", who)
    return "@" in who or (bool(words) and words[0][0].isupper() and all(w[0].isupper() for w in words if len(w) >= 4))


def split_body(body: str, interleaved: bool = False, nested: int = 0) -> list[tuple[str, str]]:
    """Split a body whose quoted headers are in English (see `english_headers`) into (header, text) fragments, newest
    first; the first header may be ''. An `interleaved` body is known to hold its sender's lines between quoted ones
    (`inline` found them), which are then split off wherever they are. A `nested` body is a quote that many levels
    deep in the message, split again to reach the quotes inside it."""
    text = GMAIL_PRINT_HEAD.sub(lambda m: f"From: {m.group('name')} <{m.group('addr')}>\nDate: {m.group('date')}", body)
    text = _end_header_blocks(_QUOTE_HIDDEN.sub("", text))
    if interleaved or _writes_below_quote(text):
        return _split_interleaved(text, interleaved, nested)
    fragments = []
    replies = _replies(text)
    # Each quote put back together is split again, which reads the quotes inside it again: a bound keeps a body
    # crafted with answers at every level of a deep quote from taking time that grows with the cube of its depth.
    parts = _answered_quotes(replies) if nested < _ANSWERED_LEVELS else [(h, c, 0) for h, c in replies]
    for i, (headers, content, answered) in enumerate(parts):
        if headers and content.startswith(headers):
            content = _after_fields(content[len(headers):])
        if answered:
            # Its own lines' marks off, the quoted message is its sender's lines under and between the quote it answers.
            inner = _split_interleaved(re.sub(rf"^(?:[ \t]*>){{1,{answered}}} ?", "", content, flags=re.M), nested=nested)
            fragments += [(headers if n == 0 else h, t) for n, (h, t) in enumerate(inner) if t]
            continue
        if i == 0 and not headers:
            # The sender's own message: '>' lines in it quote someone no line names, not the sender.
            lines = content.split("\n")
            quoted = "\n".join(ln for ln in lines if _QUOTED_LINE.match(ln))
            own = strip_signature(tidy("\n".join(ln for ln in lines if not _QUOTED_LINE.match(ln))))
            if quoted.strip() and own:
                fragments.append(("", own))
                fragments.append(("", strip_signature(tidy(_QUOTE.sub("", quoted)))))  # no header: no author
                continue
        content = strip_signature(tidy(_QUOTE.sub("", content)))
        if content or not headers:
            fragments.append((headers, content))
    return fragments


# Quotes inside quotes that `_answered_quotes` looks into, at most: answers typed inside a quote four deep are rare,
# and each level searched reads the rest of the body again (a 200-level quote crafted with answers at every level:
# 0.19 s without the search, 1.7 s searching 10 levels, 0.91 s searching 4).
_ANSWERED_LEVELS = 4


def _quote_depth(text: str) -> int:
    """How many quote marks open `text`'s first line."""
    marks = _QUOTE.match(text)
    return marks.group().count(">") if marks else 0


def _answered_quotes(replies: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """`_replies`'s (headers, content) with each quoted message that answered a quote of its own between or under its
    lines put back together, and the level of quote marks its own lines are at (0 for the other parts).

    The reply parser splits at every attribution line, however deeply quoted: in a reply quoting Ben's message that
    answered Ann's between her lines ('> On ..., Ann wrote:', '> > question', '> answer'), Ben's part ends at Ann's
    attribution and hers holds his answers. A message is quoted one level below its attribution line (Gmail, Mutt)
    or at its level (Apple Mail), as the first line under it shows; a part whose text then drops to fewer marks
    holds the answers of the messages above it in the chain of attribution lines it ends, each at its own message's
    level. It goes back into the shallowest of them whose answers it holds, with the parts between and the parts
    quoted deeper after it (the quotes its quote holds, split again with it). Only attribution lines count: under a
    quoted Outlook From/Sent block a line with fewer marks is more likely a long quoted line Outlook wrapped than an
    answer.
    """
    out: list[tuple[str, list[str], int]] = []  # (headers, the text of the parts put together, level)
    wholes: list[str] = []  # each part of `out` as it is put back into another: its header and content
    chain: list[int] = []  # levels of the attribution lines heading the last parts of `out`, each deeper than the last
    opened = None  # quote level of out[-1]'s header once a quote it answered is put back into it
    for headers, content in replies:
        depth = _quote_depth(headers)
        whole = content if content.startswith(headers) else f"{headers}\n{content}"
        if opened is not None and depth > opened:
            out[-1][1].append(whole)
            continue
        opened = None
        if not _ATTRIBUTION.match(" ".join(_QUOTE.sub("", headers).split())):
            out.append((headers, [content], 0))
            wholes.append(whole)
            chain = []
            continue
        depths = [_quote_depth(ln) for ln in whole[len(headers):].split("\n") if ln.strip(" \t>")]
        answers = {d for d in depths if d < depths[0]} if depths else set()
        below = depths[0] - depth if depths else 1  # 1 where the message is quoted below its attribution line
        own = [level + below for level in chain]  # the level each message in the chain is quoted at
        if chain and chain[-1] < depth and answers and min(answers) in own and answers <= set(own):
            k = len(out) - len(chain) + own.index(min(answers))  # the shallowest message answering
            out[k:] = [(out[k][0], [*out[k][1], *wholes[k + 1:], whole], min(answers))]
            del wholes[k + 1:]
            opened, chain = _quote_depth(out[-1][0]), []
            continue
        chain = [*chain, depth] if chain and chain[-1] < depth else [depth]
        out.append((headers, [content], 0))
        wholes.append(whole)
    return [(headers, "\n".join(parts), level) for headers, parts, level in out]


_LONG_LINE = 1000  # characters; no header line or attribution line is anywhere near this long
_LONG_ATTRIBUTION = 300  # ... and no 'On ..., Sam <sam@x.com> wrote:' line this long
_LONG_LINE_HEAD = 200  # characters of a longer line that the reply parser sees
_BLANK_RUN = 3  # blank lines in a row that the reply parser sees; none of its patterns spans more
_ON = re.compile(r"(?:> ?)*on(?:\s|$)", re.I)  # how its 'On ... wrote:' pattern starts (case aside, as it reads)


def _replies(text: str) -> list[tuple[str, str]]:
    """mail-parser-reply's (headers, content) for each part of `text`, newest first.

    Its patterns take time that grows with the square of a line's length (its 'On ... wrote:' pattern tries every
    way to split a line that starts 'On ' and never ends 'wrote:': minutes for 100 KB) and of a run of blank lines.
    So it reads the text as it would (each line stripped), but with each line longer than `_LONG_LINE` (or than
    `_LONG_ATTRIBUTION` when that pattern would start on it or on the bare 'On' line above it) cut to its first
    `_LONG_LINE_HEAD` characters and a placeholder, which no pattern of its takes for an attribution or separator
    line, and with runs of blank lines cut to `_BLANK_RUN`, which changes none of its splits (the content is tidied,
    which collapses them anyway); what it returns has the placeholders replaced by the rest of their lines.
    """
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    mark = next(chr(c) for c in itertools.count(0xE000) if chr(c) not in text)  # a private-use character not in it
    tails: dict[str, str] = {}  # placeholder -> the rest of its line
    placeholders: dict[str, str] = {}
    kept: list[str] = []
    blank, above = 0, ""
    for line in lines:
        blank = blank + 1 if not line else 0
        if blank > _BLANK_RUN:
            continue
        on = _ON.match(line) or _ON.fullmatch(above)
        above = line
        if len(line) > (_LONG_ATTRIBUTION if on else _LONG_LINE):
            tail = line[_LONG_LINE_HEAD:]
            if tail not in placeholders:  # the same line twice is the same text to the parser
                placeholders[tail] = f"{mark}{len(placeholders)}{mark}"
                tails[placeholders[tail]] = tail
            line = line[:_LONG_LINE_HEAD] + placeholders[tail]
        kept.append(line)
    if len(kept) == len(lines) and not tails:
        return [(r.headers, r.content) for r in _REPLY_PARSER.read(text).replies]
    placeholder = re.compile(rf"{re.escape(mark)}\d+{re.escape(mark)}")

    def restore(part: str) -> str:
        return placeholder.sub(lambda m: tails[m.group()], part).strip()

    return [(restore(r.headers), restore(r.content)) for r in _REPLY_PARSER.read("\n".join(kept)).replies]


_QUOTE_HIDDEN = re.compile(r"^[ \t]*\[Quoted text hidden\][ \t]*$", re.M)  # Gmail's "Print all" marker, not text
# The other fields Outlook writes in a header block, after its From/Sent/To/Subject lines: 'Importance: High',
# 'Attachments: cv.pdf', as English, German, French, Spanish, Dutch, Italian and Portuguese Outlook name them.
_MORE_FIELDS = re.compile(r"^[* ]*(?:Importance|Attachments|Categories|Sensitivity|Bcc|Wichtigkeit|Anlagen|"
                          r"Pi[eè]ces jointes|Importancia|Datos adjuntos|Urgentie|Bijlagen|Priorit[aà]|Allegati|"
                          r"Import[aâ]ncia|Anexos)[* \u00a0]*:", re.I)


def _after_fields(text: str) -> str:
    """`text`, what follows a header block, without the fields of the block the reply parser left at its start
    ('Attachments: cv.pdf' under the block it took to 'Importance: High'); a blank line ends the block."""
    lines = text.split("\n")
    start = 1 if len(lines) > 1 and not lines[0].strip() else 0  # the end of the block's last line
    while start < len(lines) and _MORE_FIELDS.match(lines[start]):
        start += 1
    return "\n".join(lines[start:])


def _end_header_blocks(text: str) -> str:
    """A blank line after each From/Sent/To/Subject block that runs straight into its message (Gmail's "Print
    all", some Outlook pastes): the reply parser takes a block to its first blank line, and the message's first
    line would be read as a header and lost. A block starts at a `From:` line and holds Outlook's other fields
    (`_MORE_FIELDS`) too."""
    out: list[str] = []
    in_block = False
    for line in text.split("\n"):
        field = _FIELD.match(line)
        more = in_block and not field and _MORE_FIELDS.match(line)
        if in_block and line.strip() and not (field or more):
            out.append("")
        in_block = bool(more) or (field is not None and (in_block or field.group("key").lower() == "from"))
        out.append(line)
    return "\n".join(out)


_QUOTED_LINE = re.compile(r"^[ \t]*>(?!>*From )")  # ">From " is mbox escaping, not a quote
_SNIP = re.compile(r"^\s*[<\[(]?\s*(?:snip|snipped|\.\.\.|…)\s*[>\])]?\s*$", re.I)
_UNQUOTED_HISTORY = re.compile(r"^[* ]*(?:From[* ]*:|-+ ?Original Message ?-+)", re.I | re.M)
# "On <date>, Sam <sam@x> wrote:", "At 11:49 02/09/2002, Sam wrote:", "sam@x writes:", "Sam O'Neil wrote:",
# "Sam Patel (Acme) wrote:", "Jan de Vries wrote:" (a surname's lowercase particles, `_PARTICLE`); not "Here's what the
# client said:".
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|dos|das|la|le|ten|ter|zu)"
_ATTRIBUTION = re.compile(
    rf"^(?P<who>On\s.{{1,200}}?|{_AT_TIME}.{{0,200}}?|[^\n]{{0,120}}?@[^\n]{{0,120}}?"
    rf"|(?:[A-Z][\w'.-]*\s+(?:{_PARTICLE}\s+){{0,2}}){{0,3}}[A-Z][\w'.-]*(?:\s+\([^()\n]{{1,40}}\))?)"
    rf"\s+{_WROTE}\s*:\s*$"
)
_GROUP_PREFIX = re.compile(r"^-+\s*In\s+[^,\s]+,\s*")  # Yahoo Groups: '--- In list@y..., "Sam" <s@x> wrote:'


def _writes_below_quote(text: str) -> bool:
    """Whether the sender wrote under quoted lines (bottom-posting or inline answers).

    mail-parser-reply reads top-posted replies; under a quote it would credit the sender's own
    words to the quoted author, or the quoted words to the sender. A list footer or signature
    under the quote does not count.
    """
    lines = text.split("\n")
    last = max((i for i, ln in enumerate(lines) if _QUOTED_LINE.match(ln)), default=None)
    if last is None or _UNQUOTED_HISTORY.search(text):
        return False  # Outlook-style history ("From: ... Sent: ...") is mail-parser-reply's to split
    return bool(strip_signature(tidy("\n".join(lines[last + 1:])), opens_message=False))


def _split_interleaved(text: str, answered: bool = False, nested: int = 0) -> list[tuple[str, str]]:
    """(header, text) fragments of a reply written under or between quotes, newest first.

    The sender's own lines are the first fragment. Quoted lines lose one level of `>` and go
    to the author named by the attribution line above them ("On ..., Sam <sam@x> wrote:",
    "Sam wrote:"); quote blocks with no attribution of their own continue the one before. Each
    author's quoted text is split again, so quotes inside quotes reach their own authors. In a
    message `answered` inline (`split_body`'s `interleaved`), the signature of the text above the
    quote is looked for there, not under the answers. `text` is `nested` levels deep (`split_body`'s).
    """
    own: list[str] = []
    quoted: dict[str, list[str]] = {}
    header = ""
    in_quote = False
    top = None  # how many of the sender's lines are above the first quote
    for line in text.split("\n"):
        if _QUOTED_LINE.match(line):
            if not in_quote:
                header = _take_attribution(own) or header
                quoted.setdefault(header, []).append("")
                top = len(own) if top is None else top
            quoted[header].append(re.sub(r"^[ \t]*> ?", "", line))
            in_quote = True
        else:
            own.append(line)
            in_quote = False
    if answered:
        # A signature over the quote ends the text above it, not the answers between the quoted lines.
        above = strip_signature(tidy("\n".join(own[:top])))
        below = strip_signature(tidy("\n".join(own[top:])), opens_message=not above) if top is not None else ""
        fragments = [("", tidy(f"{above}\n\n{below}"))]
    else:
        fragments = [("", strip_signature(tidy("\n".join(own))))]
    for head, lines in quoted.items():
        body = tidy("\n".join(lines))
        if not head:
            # Outlook quoted with ">": the quote opens with the author's own "From:" line, and the rest of its block.
            first = _FIELD.match(body)
            if first and first.group("key").lower() == "from":
                block = body.split("\n")
                fields = next((n for n, ln in enumerate(block) if n and not (_FIELD.match(ln) or _MORE_FIELDS.match(ln))),
                              len(block))
                head, body = "\n".join(block[:fields]), "\n".join(block[fields:])
        inner = split_body(body, nested=nested + 1)
        if inner and not inner[0][0]:
            inner[0] = (head, inner[0][1])
        fragments += [(h, t) for h, t in inner if t]
    return fragments


def _take_attribution(own: list[str]) -> str:
    """Pop the attribution line(s) that end `own` ('... wrote:', wrapped over up to two lines),
    looking past blank lines and snip marks."""
    kept: list[str] = []
    while own and (not own[-1].strip() or _SNIP.match(own[-1])):
        kept.append(own.pop())
    for n in (2, 1):
        if len(own) >= n:
            line = " ".join(ln.strip() for ln in own[-n:])
            if _ATTRIBUTION.match(line) and (n == 1 or line.startswith("On ")):
                del own[-n:]
                own += kept[::-1]
                return line
    own += kept[::-1]
    return ""


def opens_quoted_message(lines: list[str], i: int) -> int:
    """How many of `lines` from `lines[i]` head a quoted or forwarded message: a From/Sent block, an attribution line or
    a separator line, in English or as `english_headers` reads them; 0 when none opens there."""
    line = lines[i]
    if _SEPARATOR.match(line) or _ATTRIBUTION.match(line.strip()) or re.match(rf"^(?:On\s|{_AT_TIME}).+{_WROTE}:$", line):
        return 1
    field = _FIELD.match(line)
    if field and field["key"].lower() == "from":
        end = i + 1
        while end < min(len(lines), i + _BLOCK_LINES) and lines[end].strip():
            end += 1
        if any((f := _FIELD.match(ln)) and f["key"].lower() in ("sent", "date") for ln in lines[i + 1:end]):
            return end - i
    taken = _english_line(lines, i, False)
    return taken[1] if taken else 0


def recipients(header: str, fields: tuple[str, ...] = ("to",)) -> list[tuple[str, str]]:
    """The recipients a header block's To line (and the other `fields`, such as cc) names, in order (none for
    an 'On ... wrote:' line)."""
    found: list[tuple[str, str]] = []
    for fm in _FIELD.finditer(_QUOTE.sub("", header)):
        if fm.group("key").lower() in fields:
            value = fm.group("value")
            if "<" in value:  # 'Patel, Sam <sam@...>; Lee, Ann <ann@...>': a comma may sit inside a name
                found += [name_and_address(f"{name.strip(' ,;')} <{addr}>") for name, addr in _NAME_ADDR.findall(value)]
            else:
                found += [name_and_address(part) for part in re.split(r"[;,]" if "@" in value else ";", value) if part.strip()]
    return found
