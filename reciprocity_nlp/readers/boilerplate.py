"""What an email holds that its sender did not write as their message: signatures and typed names, "Sent from my
iPhone" lines, legal disclaimers, the notices gateways and help desks put on top of a message, and mailing-list footers.
The sign-off line and postscripts are the sender's and stay.
"""

from __future__ import annotations

import re

from reciprocity_nlp.readers.mime import tidy

# A sign-off line ('Kind regards,'): the last line of the sender's message before their name and signature.
SIGNOFF = re.compile(
    r"^(?:best|best regards|best wishes|all the best|kind regards|kindest regards|warm regards|"
    r"warmest regards|warm wishes|regards|many thanks|thanks|thank you|thanks again|thanks so much|"
    r"thanks and regards|thanks & regards|thx|cheers|cheers mate|ta|sincerely|yours sincerely|"
    r"yours faithfully|yours truly|respectfully|take care|talk soon|speak soon|with thanks|"
    r"with best wishes|with regards|rgds|br|tia|warmly|best,? thanks|thanks,? best)[,.!]*$",
    re.I,
)
_POSTSCRIPT = re.compile(r"^\s*p\.?\s?p?\.?\s?s\.?[\s:,-]", re.I)
_SENT_FROM = re.compile(r"^\s*(?:sent from (?:my|outlook|yahoo|mail)|get outlook for|sent via|"
                        r"sent with (?:proton|blackberry)|sent from samsung)", re.I)
# What a phone's or a mail app's 'Sent from ...' line names: the device, the app or the carrier.
_DEVICE = re.compile(r"\b(?:i?phone|ipad|android|samsung|galaxy|smartphone|mobile|tablet|device|outlook|yahoo|g?mail|"
                     r"blackberry|proton\w*|superhuman|windows|pixel|huawei|verizon|at&t|t-mobile|spark|airmail|ios)\b",
                     re.I)
# What a phone's line says for the sender: 'please excuse typos', 'forgive the brevity', 'on the go'.
_PHONE_EXCUSE = re.compile(r"\b(?:brevity|typos?|autocorrect|on the go)\b", re.I)
_DISCLAIMER = re.compile(
    r"^\s*(?:\*+\s*)?(?:confidential(?:ity)?(?: notice| note)?\s*[:\-]|disclaimer\s*[:\-]|"
    r"caution\s*:(?=.{0,120}?(?:confidential|privileged|intended|virus))|"  # not 'Caution: the price ...'
    r"important notice\s*:|privileged\s*(?:&|and)\s*confidential|"
    r"this (?:e-?mail|message|communication)(?: and any (?:attachments?|files?)(?: transmitted with it)?)?"
    r" (?:is|are|may be|contains?|and its) .{0,80}?(?:confidential|privileged|intended)|"
    r"the information (?:contained )?in this (?:e-?mail|message)|"
    r"if you (?:are not|have received this) .{0,40}(?:intended recipient|in error)|"
    r"please consider the environment before printing)"
    # Footers that open with the firm's name: "Acme Ltd, registered in Ireland. This message ... confidential".
    r"|^.{0,120}?\bthis (?:e-?mail|message)(?: and any attachments?)? (?:is|are|may be|contains?)\b.{0,80}?"
    r"(?:confidential|privileged|intended)"
    r"|^.{0,80}?\bwill never ask (?:you )?for your (?:password|pin|otp)",
    re.I,
)
# What a legal disclaimer says besides that a message is confidential (`_DISCLAIMER` opens it): that it is one, whom it
# is meant for, what to do with it sent in error, what is forbidden or not binding, what the firm never asks. A sender's
# own 'This email contains our confidential pricing...' or 'Confidential: we are about to cut prices' says none of it.
_LEGAL = re.compile(r"disclaimer|confidential(?:ity)? not(?:ice|e)|important notice|never ask|intended|recipient|addressee|"
                    r"\bsender\b|delet|destroy|prohibit|unauthori[sz]|disclos|distribut|\bcopy(?:ing)?\b|privileged|legal|"
                    r"liab|virus|in error|by mistake|\berase|notify|solely|sole use|strictly|waive|binding|monitor|"
                    r"registered|opinions|to whom (?:it is|they are) addressed|before printing", re.I)
_DISCLAIMER_LINES = 12  # lines of a disclaimer's paragraph read for what it says


def _disclaimer_at(lines: list[str], i: int) -> bool:
    """Whether a disclaimer opens at `lines[i]`: the line opens as one (`_DISCLAIMER`) and its paragraph says what one
    says (`_LEGAL`), not only that something is confidential; a heading alone ('CONFIDENTIALITY:') is read with the
    paragraph under it."""
    if not _DISCLAIMER.match(lines[i].strip()):
        return False
    end = _paragraph_end(lines, i)
    if end == i + 1 and _DISCLAIMER.fullmatch(lines[i].strip()):
        end = _paragraph_end(lines, next((j for j in range(end, len(lines)) if lines[j].strip()), len(lines)))
    return bool(_LEGAL.search(" ".join(lines[i:end])))


def _paragraph_end(lines: list[str], i: int) -> int:
    """The end of the paragraph that starts at `lines[i]`, read for `_DISCLAIMER_LINES` lines at most."""
    return next((j for j in range(i, min(len(lines), i + _DISCLAIMER_LINES)) if not lines[j].strip()),
                min(len(lines), i + _DISCLAIMER_LINES))


# A gateway's external-sender banner, prepended to a message (and so found in quoted history too): "CAUTION: This email
# originated from outside of the organization...", "[EXTERNAL EMAIL] Use caution with links and attachments", Microsoft
# 365's "You don't often get email from ... Learn why this is important", and as German, French, Spanish and Dutch
# gateways write them ("ACHTUNG: Diese E-Mail stammt von außerhalb der Organisation", "ATTENTION : Cet e-mail provient
# de l'extérieur de l'organisation", "PRECAUCIÓN: Este correo electrónico se originó fuera de la organización", "LET OP:
# Deze e-mail is afkomstig van buiten de organisatie"). It opens a paragraph with a warning word or its own subject, the
# email's origin, and names the cause in its first sentences; ordinary text that merely starts "This email confirms..."
# or "Attention: parking is limited outside the building" is no banner.
_BANNER = re.compile(r"^\W{0,2}(?:(?:caution|warning|attention|external(?: (?:e-?mail|sender|message))?|ext|achtung|vorsicht|"
                     r"warnung|externe?|avertissement|précaution|precaución|cuidado|advertencia|atención|alerta|let op|"
                     r"waarschuwing)\b\W|"
                     r"this (?:e-?mail|message) (?:originated|came|was sent|is from)|"
                     r"(?:diese|dieses|cet|ce|este|esta|deze|dit) (?:e-?mail|nachricht|message|courriel|correo(?: electr[óo]nico)?|"
                     r"mensaje|bericht) (?:stammt|provient|se origin[óo]|proviene|is afkomstig|komt)|"
                     r"(?:some people who received this message )?you don'?t often get)", re.I)
_BANNER_CAUSE = re.compile(r"originated (?:from )?outside|came from outside|from outside (?:of )?(?:the|your|our) "
                           r"(?:organi[sz]ation|company|firm|network|domain)|\bexternal (?:e-?mail|sender|source|party)|"
                           r"from an external|don'?t often get (?:e-?)?mail from|"
                           r"(?:not|n't) (?:click|open) (?:on )?(?:any )?links|links (?:and|or) (?:open(?:ing)? )?attachments|"
                           # German, French, Spanish and Dutch: from outside, from an external sender, no clicking links
                           r"(?:stammt|kommt) von au(?:ß|ss)erhalb|\bexterne[mnr]? (?:absender|kontakt|quelle)|"
                           r"klicken sie (?:nicht|keine) (?:auf )?(?:links|anh)|"
                           r"(?:provient|vient|provenant) de l['’]ext[ée]rieur|exp[ée]diteur externe|"
                           r"ne cliquez pas sur (?:les |aucun )?liens|"
                           r"se origin[óo] fuera|(?:proviene|procede) de(?:sde)? fuera|remitente externo|"
                           r"no haga clic en (?:los |ning[úu]n )?enlaces|"
                           r"(?:afkomstig|komt) van buiten|externe afzender|klik niet op (?:de )?(?:links|koppelingen)", re.I)
_BANNER_REACH = 300  # characters of a paragraph in which a banner names its cause
_BANNER_LINES = 6  # lines of a banner at most
_BANNER_END = (".", "!", "important", "safe")  # how a banner's last line ends ('... Learn why this is important')
_REPLY_ABOVE = re.compile(r"^\W*(?:please )?(?:type |write )?(?:your )?reply above this line\b", re.I)  # help desk, ATS
# The footer a platform or a mailing tool puts under a message: LinkedIn's 'This email was intended for Jana Mueller
# (...)' (a name follows: 'This email was intended for the recipient who...' is a sentence), 'You are receiving InMail
# notification emails.', 'Learn why we included this', 'Unsubscribe: https://...', 'Manage your notification settings',
# an applicant-tracking system's or a bulk mailer's 'You're receiving this email because...', 'This email was sent to
# sam@x.com'. Such a line opens a footer only at the end of a message, with nothing below it but more of the footer
# (`_trailing_footer`): a rep who writes 'You are receiving this email because you downloaded our guide' or 'Manage your
# settings: ...' above their own words keeps them.
_FOOTER_OPENER = re.compile(r"^\W{0,3}(?:(?i:this (?:e-?mail|message) was intended for) [A-Z]|(?i:you(?: are|'re) "
                            r"receiving\b[^\n]{0,80}?\be-?mails?\b|this (?:e-?mail|message) was sent to\b|learn why we "
                            r"included this\b|unsubscribe(?: here| now)?\s*+(?:[:|<(]|https?://|$)|"
                            r"manage (?:your )?(?:e-?mail |notification )?(?:settings|"
                            r"preferences|subscriptions?)\b))")
# The rest of such a footer: its links ('View message: https://...', 'Help: https://...', a bare link), the copyright
# and trademark lines, rules, and the sender's postal address (a line of three or more parts with a number and no
# sentence's end: 'Hiring Desk Ltd, 1 Example Street, Dublin 2'), as platforms and bulk mailers must give it.
_FOOTER_MORE = re.compile(r"^(?:[^\n:]{0,30}:?\s*<?https?://\S+|(?:©|\(c\)|copyright)\s*\d{4}\b.{0,200}|[_=-]{4,}|"
                          r".{0,150}\b(?:trademarks? of|all rights reserved)\b.{0,100}|"
                          r"(?=[^\n]*\d)[^\n.?!,]{0,60}(?:,[^\n.?!,]{0,60}){2,6}\.?)$", re.I)
# What a bulk mailer's footer paragraph says, hard-wrapped as it may be: 'You are receiving this email as a subscriber
# to the Opt-In America Mailing List. To unsubscribe ...'.
_OPT_OUT = re.compile(r"\b(?:unsubscribe|opt[- ]?out|opt-in|remove (?:yourself|you|your (?:e-?mail|address|name))|"
                      r"removed from|mailing ?lists?|subscribers?|no longer (?:wish|want)|do not wish)\b", re.I)
_QUESTION = re.compile(r"\?(?=\s|$)")  # a question's end, not a link's query
_FOOTER_PARAGRAPHS = 6  # paragraphs of a footer at most
_FOOTER_PARAGRAPH_LINES = 12  # lines of one of them at most


def _footer_paragraph(paragraph: list[str]) -> tuple[bool, bool]:
    """(whether a paragraph is footer material, whether it opens a footer): every line a footer line
    (`_FOOTER_OPENER`, `_FOOTER_MORE`), or a paragraph that says how to opt out, as a bulk mailer's does, opening with
    an opener or not. A question is never a footer's."""
    text = " ".join(paragraph)
    if _QUESTION.search(text):
        return False, False
    material = all(_FOOTER_OPENER.match(line) or _FOOTER_MORE.match(line) for line in paragraph) or bool(
        _OPT_OUT.search(text))
    return material, material and any(_FOOTER_OPENER.match(line) for line in paragraph)


def _trailing_footer(lines: list[str]) -> int:
    """Where the footer at the end of a message starts: the paragraphs of footer material that end it (a few at most,
    found from the end, so the work is bounded), when one of them opens a footer (`_FOOTER_OPENER`); `len(lines)`
    when the message does not end in one."""
    end, cut, opened = len(lines), len(lines), False
    for _ in range(_FOOTER_PARAGRAPHS):
        while end > 0 and not lines[end - 1].strip():
            end -= 1
        start = end
        while start > 0 and lines[start - 1].strip() and end - start < _FOOTER_PARAGRAPH_LINES:
            start -= 1
        if start == end or (start > 0 and lines[start - 1].strip()):  # the top, or a paragraph longer than a footer's
            break
        material, opens = _footer_paragraph([line.strip() for line in lines[start:end]])
        if not material:
            break
        cut, opened, end = start, opened or opens, start
    return cut if opened else len(lines)


_SIG_DELIM = re.compile(r"^(?:--|__)\s*$")
# What a client writes above a forwarded message (localised ones are read as these, see `quoting`): the forwarder's
# text ends there, and a forward with no note of its own leaves them nothing.
_FORWARD_MARKER = re.compile(r"^(?:-{2,} ?Forwarded message ?-{2,}|Begin forwarded message:)$", re.I)
_RULE = re.compile(r"^[_=-]{10,}$")
_LIST_NAME = re.compile(r"^[\w.-]+ (?:mailing )?list$", re.I)
_LIST_FOOTER = re.compile(r"mailing list|listinfo|/mailman/|to unsubscribe|list archives?", re.I)
_LIST_FOOTER_LINES = 4  # lines under a Mailman 2 footer's rule or name line in which it says it is a list's
_LIST_FOOTER_TAIL = 40  # lines of such a footer at most, from its rule to the message's end
_BLANK_LINES = re.compile(r"\n\n+")  # between paragraphs (of stripped lines)
_LINK_MARK = re.compile(r"@|://|\bwww\.")  # a link or an address in a text (`_LINK`'s mark alone: found in linear time)
# Mailman 3's footer, under a rule (which mail-parser-reply drops as an Outlook separator when a blank line is above it):
# its name line 'Exim Users mailing list -- exim-users@lists.example.org' (the display name any text, 'R&D'), then
# 'To unsubscribe send an email to exim-users-leave@lists.example.org', then at most what a site adds under them
# (`_LIST_FOOTER_MORE`). It is a footer only so, at a message's end: a sender's own list of lists, or a list's post
# pasted with its footer above the sender's reply, stays.
_MAILMAN3_NAME = re.compile(r"^\S.{0,150}? mailing list -- [\w.+-]+@[\w.-]+$", re.I)
_MAILMAN3_LEAVE = re.compile(r"^to unsubscribe send an email to [\w.+-]+-leave@[\w.-]+$", re.I)
# A site's lines under a list's footer: links, bare or after a short label ('List Archives: https://...', python.org's
# 'Message archived at https://...'), and 'Member address: ...'. A label is a few words, no sentence ('I disagree, see
# https://...' is the sender's).
_LABEL = r'[^\s:.,;!?"<>][^:.,;!?"<>]{0,59}'
_LIST_FOOTER_MORE = re.compile(rf"^(?:{_LABEL}:\s*<?(?:https?://\S+|[\w.+-]+@[\w.-]+)|(?:{_LABEL}\s)?<?https?://\S+)>?$", re.I)
# Google Groups' footer, its lines joined as a client may have wrapped them anywhere after its opening words ('... you
# are subscribed to a topic in the' / 'Google Groups "X" group.'): 'You received this message because you are subscribed
# to (a topic in) the Google Groups "X" group.', then sentences on leaving the group or topic, viewing the discussion and
# (in older ones) posting, the group's page and its options, each ending in an address or a link. It is cut from its own
# line, at a message's end: the paragraphs above are not part of it.
_GOOGLE_GROUPS_OPENER = re.compile(r"^you received this message because you are subscribed\b", re.I)
_GOOGLE_GROUPS_HEAD = re.compile(r'you received this message because you are subscribed to (?:a topic in )?the google groups '
                                 r'"[^"]{1,200}" group\.', re.I)
# One of its further sentences, to its first address or link and the end of that: it cannot run on past an address
# ('@') or a link ('://') into the next sentence, so each is read once, from where the one before ended.
_GOOGLE_GROUPS_SENTENCE = re.compile(r'\s+(?:to unsubscribe from this (?:group|topic)|to view this discussion|'
                                     r'to post to this group|visit this group at|for more options)\b'
                                     r'(?:[^"@:]|:(?!//)){0,200}(?:@|://)\S+', re.I)
_GOOGLE_GROUPS_CHARS = 2000  # characters of its footer at most
_GOOGLE_GROUPS_RULE = re.compile(r"^-{2,3}$")  # the rule above it, '-- ' or '---', which goes with it


def _google_groups_footer(text: str) -> bool:
    """Whether `text` (lines joined) is Google Groups' footer and nothing more: its first sentence
    (`_GOOGLE_GROUPS_HEAD`), then its further sentences one after the other (`_GOOGLE_GROUPS_SENTENCE`) to the end."""
    found = _GOOGLE_GROUPS_HEAD.match(text)
    while found and found.end() < len(text):
        found = _GOOGLE_GROUPS_SENTENCE.match(text, found.end())
    return found is not None


def _list_footer_at(lines: list[str], i: int) -> int | None:
    """Where a Mailman 3 list's or a Google group's footer that opens at `lines[i]` and ends the message starts (at its
    rule above it, when it has one); None when none opens there."""
    stripped = lines[i].strip()
    if _MAILMAN3_NAME.match(stripped):
        if not (i + 1 < len(lines) and _MAILMAN3_LEAVE.match(lines[i + 1].strip())):
            return None
        if not all(not lines[j].strip() or _LIST_FOOTER_MORE.match(lines[j].strip()) for j in range(i + 2, len(lines))):
            return None
        return i - 1 if i and _RULE.match(lines[i - 1].strip()) else i
    if _GOOGLE_GROUPS_OPENER.match(stripped):
        parts, size, j = [stripped], len(stripped), i + 1
        while j < len(lines) and size <= _GOOGLE_GROUPS_CHARS:  # the rest of the message, no more than a footer's
            if lines[j].strip():
                parts.append(lines[j].strip())
                size += len(parts[-1]) + 1
            j += 1
        if j < len(lines) or size > _GOOGLE_GROUPS_CHARS or not _google_groups_footer(" ".join(parts)):
            return None
        return i - 1 if i and _GOOGLE_GROUPS_RULE.match(lines[i - 1].strip()) else i
    return None


def _mailman2_footer_at(lines: list[str], i: int) -> bool:
    """Whether a Mailman 2 list's footer (or the like: Yahoo Groups', a webmail's advert over one) opens at `lines[i]`
    and runs to the message's end: a rule or a name line ('Exim-users mailing list') with what says it is a list's in
    the lines under it (`_LIST_FOOTER`), and under that paragraph only paragraphs that are a footer's
    (`_list_footer_paragraph`), a few lines in all. So a paragraph of the sender's below a pasted post and its footer,
    or a newsletter's articles below its 'To unsubscribe' note, stay. A rule over Mailman 3's name line is read with
    that line (`_list_footer_at`), whose footer has a shape of its own."""
    stripped = lines[i].strip()
    if not (_RULE.match(stripped) or _LIST_NAME.match(stripped)) or len(lines) - i > _LIST_FOOTER_TAIL:
        return False
    if i + 1 < len(lines) and _MAILMAN3_NAME.match(lines[i + 1].strip()):
        return False
    says = next((j for j in range(i + 1, min(len(lines), i + 1 + _LIST_FOOTER_LINES)) if _LIST_FOOTER.search(lines[j])),
                None)
    if says is None:
        return False
    _, *below = _BLANK_LINES.split("\n".join(line.strip() for line in lines[says:]))
    return all(_list_footer_paragraph(paragraph) for paragraph in below if paragraph)


def _list_footer_paragraph(paragraph: str) -> bool:
    """Whether a paragraph under a list's footer is more of it: it holds a link or an address, or speaks of a list or
    of leaving it ('To unsubscribe from this group, send an email to:'), as a reply to a pasted post seldom does."""
    return bool(_LINK_MARK.search(paragraph) or _LIST_FOOTER.search(paragraph) or _OPT_OUT.search(paragraph))


def _without_notices(lines: list[str], opens_message: bool = True) -> list[str]:
    """The lines without external-sender banners and "reply above this line" markers, wherever they are, and, when they
    open a message, without the disclaimers above everything the sender wrote.

    A gateway or a help desk puts such a notice on top of a message, so it is no footer (a disclaimer below the
    sender's text, after which nothing of theirs follows): only its paragraph goes, or a marker's line.
    """
    kept: list[str] = []
    top = opens_message  # no line of the sender's yet
    i = 0
    while i < len(lines):
        end = _notice_end(lines, i, top)
        if end == i:
            top = top and not lines[i].strip()
            kept.append(lines[i])
            end += 1
        i = end
    return kept


def _notice_end(lines: list[str], i: int, top: bool) -> int:
    """The end of the notice that starts at line `i` (`i` itself when none does); `top` when no text is above it."""
    stripped = lines[i].strip()
    if _REPLY_ABOVE.match(stripped):
        return i + 1
    if top and _disclaimer_at(lines, i):
        return next((j for j in range(i + 1, len(lines)) if not lines[j].strip()), len(lines))
    if not _BANNER.match(stripped):
        return i
    # The banner's lines: up to a blank line, or, when the message follows with none between (as HTML mail puts a
    # banner in a <div> of its own), up to the line that ends its sentences naming the cause.
    text, j, named = "", i, False
    while j < min(len(lines), i + _BANNER_LINES) and lines[j].strip():
        text = f"{text} {lines[j].strip()}"
        j += 1
        named = named or bool(_BANNER_CAUSE.search(text[:_BANNER_REACH]))
        if named and lines[j - 1].rstrip().lower().endswith(_BANNER_END) and not (
                j < len(lines) and _BANNER_CAUSE.search(lines[j])):  # its next sentence may warn too
            break
    return j if named else i


def strip_signature(body: str, opens_message: bool = True) -> str:
    """Drop signatures, "Sent from my phone" lines, disclaimers and banners; keep the sign-off line. `opens_message`
    when the body is a message's first lines, not what follows a quote in it (where a disclaimer is a footer)."""
    lines = _without_notices(body.split("\n"), opens_message)
    cut = len(lines)
    for i, line in enumerate(lines):
        stripped = line.strip()
        if (_SIG_DELIM.match(stripped) or _sent_from(stripped) or _disclaimer_at(lines, i)
                or _FORWARD_MARKER.match(stripped)):
            cut = i
            break
        if _mailman2_footer_at(lines, i):
            cut = i  # a mailing list's footer (Mailman and the like), added by the list, not the sender
            break
        footer = _list_footer_at(lines, i)
        if footer is not None:
            cut = footer
            break
    lines = lines[:_trailing_footer(lines[:cut])]  # a platform's footer above a signature or a list's footer too
    # A sign-off line ends the message: what follows it is a typed name and a signature block,
    # apart from postscripts ("P.S. ..."), which the sender wrote and which are kept. A 'Thanks!' above all the
    # sender wrote but a greeting, with a sentence under it, opens the message and ends nothing.
    for i in range(len(lines) - 1, -1, -1):
        if SIGNOFF.match(lines[i].strip()):
            tail = [ln for ln in lines[i + 1:] if ln.strip()]
            opens = tail and is_sentence(tail[0].strip()) and all(
                not ln.strip() or _GREETING.fullmatch(ln.strip()) for ln in lines[:i])
            if not opens and len(tail) <= 10 and not any(len(ln) > 120 and not _POSTSCRIPT.match(ln) for ln in tail):
                lines = lines[: i + 1] + _postscripts(lines[i + 1:])
            break
    return tidy("\n".join(lines))


# A greeting line: 'Hi Marcus,', 'Dear Ms Lim,', 'Hello all!'; no sentence after it.
_GREETING = re.compile(r"(?:hi|hello|hey|hiya|dear|morning|good (?:morning|afternoon|evening))"
                       r"(?:[ ,]+[^\W\d_][\w'’.-]*){0,4}[ ,!:.]*", re.I)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LINK = re.compile(r"\S*(?:://|@|www\.)\S*")


def is_sentence(line: str) -> bool:
    """Whether a line is a sentence, not a typed name or a signature's first line: it ends as a sentence does and holds
    a word in lower case ('Tuesday works.', not 'Dana W.' or 'Brightpath Ltd.'), or holds three such words ('Tuesday at
    10 works for me', not 'Head of Sales and Marketing' or 'Hugo van der Berg'); links and addresses aside."""
    lower = sum(word[0].islower() for word in _WORD.findall(_LINK.sub(" ", line)))
    return lower >= 3 or (lower >= 1 and line.endswith((".", "!", "?")))


def _sent_from(line: str) -> bool:
    """Whether a line is a phone's or a mail app's 'Sent from my iPhone', which ends the sender's text: it opens as one
    (`_SENT_FROM`) and names a device or an app, begs pardon for its brevity or typos, or what follows its opening reads
    as no sentence ('Sent from my cellphone'); 'Sent via courier this morning, so the contract should reach you by
    Friday.' is the sender's."""
    opening = _SENT_FROM.match(line)
    return bool(opening) and (bool(_DEVICE.search(line) or _PHONE_EXCUSE.search(line))
                              or not is_sentence(line[opening.end():]))


def _postscripts(lines: list[str]) -> list[str]:
    """The postscript paragraphs among the lines after a sign-off."""
    kept: list[str] = []
    inside = False
    for line in lines:
        inside = bool(_POSTSCRIPT.match(line)) or (inside and bool(line.strip()))
        if inside:
            kept.append(line)
        elif kept and kept[-1]:
            kept.append("")
    return kept


def strip_sender_block(body: str, speaker: str, address: str) -> str:
    """Drop the sender's typed name or signature block at the end of a message.

    A line near the end that starts with the sender's full name ('Sam Patel', 'Sam Patel |
    Consultant') or is only their first name or initials ('Sam', '- SP') starts a signature:
    it and everything below it go, but for postscripts ('P.S. ...'), which the sender wrote. The line must start a
    block (after a blank line, a short line such as a sign-off, or the end of a sentence), so a hard-wrapped sentence
    that happens to continue with the sender's name stays.
    """
    lines = body.rstrip().split("\n")
    if len(lines) < 2:
        return body
    parts = {w.lower() for w in re.split(r"[\W_]+", speaker) if w}
    parts |= {w.lower() for w in re.split(r"[\W_]+", address.split("@")[0]) if w}
    initials = "".join(w[0] for w in speaker.split() if w).lower()
    full = speaker.lower()
    for i in range(len(lines) - 1, max(0, len(lines) - 14), -1):
        line = lines[i].strip()
        low = line.lower().lstrip("-–— ").rstrip(".")
        words = [w.rstrip(".,") for w in low.split()]
        is_name = bool(words) and len(words) <= 4 and all(
            w in parts or (len(w) <= 2 and w[:1] in initials) or w == initials for w in words)
        starts_full = len(full.split()) >= 2 and low.startswith(full) and len(line) <= 120
        before = lines[i - 1].strip()
        starts_block = not before or len(before) < 40 or before.endswith((".", "!", "?", ","))
        if (is_name or starts_full) and starts_block:
            return tidy("\n".join(lines[:i] + _postscripts(lines[i + 1:])))  # a postscript under the name stays
    return body


# How a notification announces a message from someone: 'Sam sent you a new message', 'Sam Patel replied to your message'.
_ANNOUNCED = r"(?: has)? (?:sent you (?:a |an )?(?:new )?(?:message|inmail)|replied to your (?:message|e-?mail|inmail)|" \
             r"(?:just )?messaged you)"
_ANNOUNCEMENT = re.compile(rf"(?P<who>[^\W\d_][\w'’.-]*(?: [^\W\d_][\w'’.-]*){{0,3}}){_ANNOUNCED}", re.I)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w'’-]+", text.lower()) if w]


def announces_message(subject: str, speaker: str) -> bool:
    """Whether a subject only announces a message from `speaker` (by full or first name), as a platform's notification
    does: nobody titles their own message 'Sam sent you a new message'."""
    found = _ANNOUNCEMENT.fullmatch(subject.strip())
    name = _words(speaker)
    return bool(found and name) and _words(found["who"]) in (name, name[:1])


def strip_sender_card(body: str, speaker: str) -> str:
    """Drop the card a notification opens its message with: the sender's full name alone on a line (or 'Sam Patel
    replied to your message'), then their headline and place ('Senior Data Engineer at Monzo', 'London, England,
    United Kingdom'), a paragraph of its own, as LinkedIn and applicant-tracking systems write it. A person does not
    open their own message with their name and headline, so such a paragraph, holding no sentence, address or link,
    is no part of it (a newsletter's masthead, a name over the sender's address, stay)."""
    head, _, rest = body.partition("\n\n")
    lines = [ln.strip() for ln in head.split("\n")]
    if len(speaker.split()) < 2 or not rest.strip() or not 2 <= len(lines) <= 4:
        return body
    first = _ANNOUNCEMENT.fullmatch(lines[0])
    names_sender = lines[0].lower() == speaker.lower() or bool(first and first["who"].lower() == speaker.lower())
    if names_sender and all(len(ln) <= 100 and not ln.endswith((".", "!", "?")) and not re.search(r"@|://", ln)
                            for ln in lines):
        return rest.lstrip("\n")
    return body
