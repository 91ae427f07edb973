"""Answers written in a colour of their own inside a quoted HTML message: the replier's lines, not the quoted author's.

Asked several things at once, people often answer each under it, inside the message they quote ('See my answers below in
red'), in a font colour of their own (Outlook's `<span style="color:#C00000">`, Gmail's `<font color="#0000ff">`, a
class of the message's `<style>`, `.answer {color:#C00000}`), often after their initials ('DW:', '[DW]', Outlook's 'Mark
my comments with' `[Dana Whitfield]`). The text part of such a message, and its HTML read as text, show the answers as
lines of the quoted message. So when the replier's own text above the quote announces answers written inline (`_CUE`),
or a coloured line in the quote opens with the replier's initials or name, the message's HTML is read with its colours,
and the text set in a colour other than its message's own in the first quoted message that holds such answers (in
Outlook's form, where a short note its sender sent chasing the message answered may stand above it; of a `>` quote,
only its first message is read) is taken out of the quote, which is written as `>` lines with the answers between them: `quoting` gives
those lines to the replier and the quoted ones to their author, as in a plain reply written between quoted lines. A
coloured link, heading or signature, or a coloured line in a message nobody announced answers in, stays.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterator
from email.message import Message

from reciprocity_nlp.readers.boilerplate import SIGNOFF, strip_sender_block
from reciprocity_nlp.readers.mime import COLOUR_MARK, html_to_text, message_html, tidy
from reciprocity_nlp.readers.quoting import RULE_LINE, opens_quoted_message, parse_header_block

# The colour a cue names, and the hues (see `_hue`) that answer to it: 'red' for Outlook's #C00000 and a pinkish red.
_NAMED_HUES = {"red": {"red", "pink"}, "pink": {"pink", "red", "purple"}, "purple": {"purple", "pink"},
               "blue": {"blue"}, "green": {"green"}, "orange": {"orange"}}
# The same colours as Swedish, Danish, Norwegian, German, French, Spanish, Dutch, Italian, Portuguese, Finnish and Polish
# writers name them ('i rött', 'med rødt', 'in Rot', 'en rouge', 'in het rood', 'em vermelho', 'punaisella', 'na czerwono').
_LOCAL_COLOURS = {
    "red": ("rött", "röd", "rødt", "rød", "rot", "rouge", "rojo", "rood", "rosso", "vermelho", "punaisella", "czerwono"),
    "blue": ("blått", "blå", "blau", "bleu", "azul", "blauw", "blu", "sinisellä", "niebiesko"),
    "green": ("grönt", "grön", "grønt", "grøn", "grün", "vert", "verde", "groen", "vihreällä", "zielono"),
}
_COLOUR_NAMES = {name: name for name in _NAMED_HUES} | {w: hue for hue, words in _LOCAL_COLOURS.items() for w in words}
_LOCAL = "|".join(w for words in _LOCAL_COLOURS.values() for w in words)
# 'in red', '(red)', 'i rött', 'in het rood'; Finnish names the colour alone, in its case for 'with' ('punaisella').
_IN_COLOUR = re.compile(r"(?:\b(?:in|i|med|en|em|na)\s(?:het\s)?(?:(?:bright|dark|light)\s)?|\(|\b(?=\w+ll[aä]\b))"
                        rf"({'|'.join(_COLOUR_NAMES)})\b", re.I)
_ENGLISH_COLOURS = "red|blue|green|purple|orange|pink"
# 'See my answers below in red', 'comments inline', 'I've replied in blue', 'responses in CAPS below', 'inline answers';
# with no word for answers, a colour right beside 'below' or 'inline' ('see below in red', 'updates in red below', 'see
# red below'); and the answers of other languages, below or in a colour ('se mina svar nedan i rött', 'anbei meine
# Antworten in Rot', 'mes réponses en rouge ci-dessous'). The gap between two halves is bounded, so each start costs at
# most its length.
_CUE = re.compile(
    r"\b(?:answers?|answered|comments?|commented|responses?|responded|replies|replied|notes|thoughts)\b"
    r"[^.!?\n]{0,40}?\b(?:in[ -]?line|below|beneath|underneath|marked|in (?:red|blue|green|purple|orange|pink|"
    r"colou?r|caps|capitals|upper[ -]?case))\b"
    r"|\b(?:in[ -]?line|below are)\s(?:my |our )?(?:answers|comments|responses|replies|notes)\b"
    rf"|\b(?:in[ -]?line|below|beneath|underneath)\b[^.!?\n]{{0,30}}?(?:\bin\s|\()(?:{_ENGLISH_COLOURS})\b"
    rf"|\b(?:{_ENGLISH_COLOURS})\s(?:below|in[ -]?line|beneath|underneath)\b"
    r"|\b(?:svar(?:et|en|ene)?|antworten|anmerkungen|kommentare|réponses|commentaires|respuestas|comentarios|antwoorden|"
    r"opmerkingen|risposte|commenti|respostas|comentários|vastaukse(?:t|ni|mme)|kommentit|odpowiedzi|komentarze)\b"
    r"[^.!?\n]{0,40}?(?:\b(?:nedan|nedanför|nedenfor|under|unten|ci-dessous|abajo|debajo|hieronder|sotto|abaixo|alla|"
    rf"alapuolella|poniżej|niżej)\b|\b(?:i|med|in|en|em|na)\s(?:het\s)?(?:{_LOCAL})\b|\b(?:punaisella|sinisellä|"
    r"vihreällä)\b)", re.I)
_SENTENCE_END = re.compile(r"[.!?\n]")
_IN_CAPS = re.compile(r"\bin (?:caps|capitals|upper[ -]?case)\b", re.I)
_QUOTE_PREFIX = re.compile(r"(?:[ \t]*+>)+ ?")
_HEADER_LINES = 12  # lines of a quoted message's From/Sent block, at most
_MARKED = re.compile(f"{COLOUR_MARK}([^{COLOUR_MARK}\n]*){COLOUR_MARK}")
_AT_ODDS = re.compile(f"[{COLOUR_MARK}\x01\x02\x03]")  # text `html_to_text` would not mark faithfully
_COLOUR_SET = re.compile(r"color\s*[:=]", re.I)

Segment = tuple[str, str]  # (colour, text): a run of a line's text in one colour ('' for ink)


def answered_inline(msg: Message, body: str, name: str, address: str) -> str | None:
    """`msg`'s text with the answers its sender (`name`, `address`) wrote in colour inside the message it quotes set
    apart from the quote (see the module's docstring); None when it holds none. `body` is its text as read, which
    settles most messages before their HTML is read."""
    marks = _marks(name or address)
    if not (_CUE.search(body) or (marks and any(marks.match(ln) for ln in body.split("\n")))):
        return None  # before the HTML part is found and decoded again, as most messages are settled here
    html = message_html(msg)
    if not html or _AT_ODDS.search(html) or not _COLOUR_SET.search(html):
        return None
    marked = html_to_text(html, colours=True)
    lines = _coloured_lines(marked)
    texts = ["".join(text for _, text in line) for line in lines]
    # A line's quote marks are those before its first colour mark: a '>>' the replier typed is in their colour.
    prefixes = [found.group() if (found := _QUOTE_PREFIX.match(line)) else "" for line in marked.split("\n")]
    for quote in _quotes(texts, prefixes):  # the first quoted message with answers in it
        top_end, start, end, outlook = quote
        region = {i: _dequoted(lines[i], len(prefixes[i])) for i in range(start, end)}
        answers = _answers(region, "\n".join(texts[:top_end]), marks)
        if answers:
            break
    else:
        return None
    own_end = _own_end(texts, top_end)
    # The replier's typed name and signature end their text above the quote, where `emails` no longer looks for them
    # once the answers are under it.
    out = [strip_sender_block(tidy("\n".join(texts[:own_end])), name, address), ""]
    out += [] if outlook else texts[own_end:top_end]  # an attribution line; Outlook's rule over its block goes
    for i in range(top_end, len(texts)):
        if i in region:
            for line in _split_line(region[i], answers.get(i, set()), marks):
                if out and out[-1].startswith(">") != line.startswith(">"):
                    out.append("")  # an answer is a paragraph of its own, as a quoted one is
                out.append(line)
        elif outlook:
            out.append(f"> {texts[i]}" if texts[i].strip() else ">")
        else:
            out.append(texts[i])
    return tidy("\n".join(out))


def _marks(replier: str) -> re.Pattern[str] | None:
    """How a line the replier wrote in a quote opens: their initials, first name or full name in brackets or before a
    colon or dash ('[DW]', 'DW:', '>> Dana:', '[Dana Whitfield]'); None when the replier has no name of two letters.
    An address stands for the name it spells ('dana.whitfield@...'), and Outlook's 'Whitfield, Dana' for 'Dana
    Whitfield'."""
    if "@" in replier and " " not in replier:
        replier = replier.split("@")[0]
    last, comma, first = replier.partition(",")
    words = re.findall(r"[^\W\d_]+", f"{first} {last}" if comma else replier)
    if not words:
        return None
    names = {"".join(w[0] for w in words), words[0], " ".join(words)}
    names = sorted((n for n in names if len(n) >= 2), key=len, reverse=True)
    if not names:
        return None
    who = "|".join(re.escape(n) for n in names)
    return re.compile(rf"[ \t>]*+(?:\[[ \t]*(?:{who})[ \t]*\]|\([ \t]*(?:{who})[ \t]*\)|(?:{who})[ \t]*[:>\-–—])[ \t]*",
                      re.I)


def _coloured_lines(marked: str) -> list[list[Segment]]:
    """The lines of `html_to_text(..., colours=True)`, each as its runs of one colour, marks left out."""
    lines: list[list[Segment]] = []
    colour = ""
    for line in marked.split("\n"):
        segments, at = [], 0
        for mark in _MARKED.finditer(line):
            if mark.start() > at:
                segments.append((colour, line[at:mark.start()]))
            colour, at = mark[1], mark.end()
        segments.append((colour, line[at:]))
        lines.append(segments)
    return lines


def _quotes(texts: list[str], prefixes: list[str]) -> Iterator[tuple[int, int, int, bool]]:
    """The quoted messages answers may be written in, in order: (the end of the replier's text above the first, the
    first and the end of the lines of a message's text, whether they are written as Outlook writes them, under a
    From/Sent block with no `>`). In Outlook's form the first quoted message, and under it each one its sender wrote
    too: a short note chasing the message answered may stand above it, while answers under another sender's message
    were written by someone else, before this reply. In a `>` quote only the first, whose text ends where a quote
    inside it or its own quoted history opens. `prefixes` are the lines' quote marks.
    """
    top_end = None
    sender = ""
    i = 0
    while i < len(texts):
        if prefixes[i]:
            if top_end is None:
                end = i
                while end < len(texts) and prefixes[end].count(">") == 1 and not (
                        end > i and opens_quoted_message([_dequote(t) for t in texts[end:end + _HEADER_LINES]], 0)):
                    end += 1
                yield i, i, end, False
            return
        header = opens_quoted_message(texts, i)
        below = next((j for j in range(i + header, len(texts)) if texts[j].strip()), None) if header > 1 else None
        if below is not None and not prefixes[below]:  # a From/Sent block, not an attribution over a '>' quote
            name, address, _, _ = parse_header_block("\n".join(texts[i:i + header]))
            who = (address or name).casefold()
            if top_end is not None and (not who or who != sender):
                return
            sender = who
            top_end = i if top_end is None else top_end
            end = i + header
            while end < len(texts) and not (prefixes[end] or opens_quoted_message(texts, end)):
                end += 1
            yield top_end, i + header, end, True
            i = end
        else:
            i += 1


def _dequote(text: str) -> str:
    """A line without its first level of quoting."""
    return text[text.index(">") + 1:].removeprefix(" ") if _QUOTE_PREFIX.match(text) else text


def _dequoted(line: list[Segment], cut: int) -> list[Segment]:
    """A line's runs without its first `cut` characters, its quote marks."""
    out = []
    for colour, part in line:
        drop = min(cut, len(part))
        cut -= drop
        if part[drop:]:
            out.append((colour, part[drop:]))
    return out


def _own_end(texts: list[str], top_end: int) -> int:
    """The end of the replier's text above the quote at `texts[top_end]`: not the attribution line over it ('On ...,
    Sam wrote:', on one line or two), the rule or 'Original Message' line over an Outlook From/Sent block, or the blank
    lines about them."""
    end = top_end
    while end > 0:
        # A rule with no '>' in it, as Outlook's <hr> over its block: above the quote a '>' is one the replier typed.
        if not texts[end - 1].strip() or (">" not in texts[end - 1] and RULE_LINE.fullmatch(texts[end - 1])):
            end -= 1
        elif end > 1 and opens_quoted_message(texts, end - 2) == 2:
            end -= 2
        elif opens_quoted_message(texts, end - 1) == 1:
            end -= 1
        else:
            return end
    return end


def _answers(region: dict[int, list[Segment]], top: str, marks: re.Pattern[str] | None) -> dict[int, set[int]]:
    """The runs of the quoted message's text that the replier wrote, by line and run: those in a colour other than the
    message's own that its replier's cue (`_CUE` in `top`) or initials single out. A cue that names a colour takes
    runs of that colour, one saying 'in caps' runs in capitals, any other runs that answer a question (right after text
    ending '?'); initials take the colours of the runs they open. Nothing after the message's sign-off is an answer."""
    runs = [(i, j, colour, text) for i, line in region.items() for j, (colour, text) in enumerate(line) if text.strip()]
    marked = {colour for _, _, colour, text in runs if marks and marks.match(text)}
    # The message's own colour is its sign-off's ('Thanks,'), else its first line's: a heading may open it.
    signoff = max((n for n, (_, _, _, text) in enumerate(runs) if SIGNOFF.match(text.strip())), default=None)
    own = runs[signoff][2] if signoff is not None else next(
        (colour for _, _, colour, text in runs if not (marks and marks.match(text))), None)
    runs = runs[:signoff]
    colours = marked - {own}
    cue = _CUE.search(top)
    if cue:
        sentence = _sentence(top, cue.start(), cue.end())
        named = {hue for word in _IN_COLOUR.findall(sentence) for hue in _NAMED_HUES[_COLOUR_NAMES[word.lower()]]}
        caps = bool(_IN_CAPS.search(sentence))
        before = ""
        for _, _, colour, text in runs:
            if colour != own and ((named and _hue(colour) in named) or (not named and caps and _capitals(text))
                                  or (not named and not caps and before.endswith("?"))):
                colours.add(colour)
            before = text.strip() if colour == own else ""
    found: dict[int, set[int]] = {}
    for i, j, colour, _ in runs:
        if colour in colours and colour != own:
            found.setdefault(i, set()).add(j)
    return found


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds `text[start:end]`."""
    opening = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    closing = _SENTENCE_END.search(text, end)
    return text[opening:closing.start() if closing else len(text)]


def _hue(colour: str) -> str:
    """The name of a colour's hue ('red', 'blue'...), 'grey' for a colour with little of any; '' for a colour read
    by name only."""
    if not re.fullmatch(r"[0-9a-f]{6}", colour):
        return ""
    hue, saturation, value = colorsys.rgb_to_hsv(*(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    if saturation < 0.25 or value < 0.2:
        return "grey"
    degrees = hue * 360
    bounds = ((15, "red"), (45, "orange"), (70, "yellow"), (170, "green"), (255, "blue"), (300, "purple"), (345, "pink"))
    return next((name for bound, name in bounds if degrees < bound), "red")


def _capitals(text: str) -> bool:
    """Whether a run is written in capitals: most of its letters, and at least three, are upper case."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _split_line(line: list[Segment], answers: set[int], marks: re.Pattern[str] | None) -> list[str]:
    """A line of the quoted message as lines: its quoted text behind `> `, each run of answers on a line of its own,
    without the replier's initials or the `>` some type before an answer."""
    if not answers:
        text = "".join(part for _, part in line).strip()
        return [f"> {text}" if text else ">"]
    out: list[str] = []
    groups: list[tuple[bool, str]] = []
    for j, (_, part) in enumerate(line):
        mine = j in answers
        if groups and groups[-1][0] == mine:
            groups[-1] = (mine, groups[-1][1] + part)
        else:
            groups.append((mine, part))
    for mine, part in groups:
        text = part.strip()
        if mine:
            initials = marks.match(text) if marks else None
            text = text[initials.end():] if initials else text.lstrip("> \t")
            if text:
                out.append(text)
        elif text:
            out.append(f"> {text}")
    return out
