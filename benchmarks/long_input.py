"""Long conversations: does analysing one grow linearly with its length?

    python benchmarks/long_input.py [--sentences 1000] [--runs 3]

Builds two conversations from the turns of `data/samples/s-004.txt` repeated: one whose agent
says everything in a single turn (a monologue, or a transcript with no speaker changes), and one
of many ordinary turns. Each is analysed at N and at 4N sentences; for linear code the time ratio
is near 4 (a little above or below: fixed costs, caches). A ratio near 16 means quadratic code.
Also reads (no analysis) an HTML-only email of the sample's turns as 4N and 16N lines, each ending in `<br>`, as mail
clients write line breaks: at the default N, past the 200,000 characters a turn may hold, so what is timed is how
long the reader takes to parse such a mail and refuse it. And reads a Telegram Desktop HTML chat page of N/4 and N
messages (N/4 and N at the default N of 1,000: Telegram's largest page), each of 800 words with 40 line breaks and 20
links or bold words, as Telegram writes them. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from pathlib import Path

import reciprocity_nlp as rn
from reciprocity_nlp.conversation import Conversation, Turn
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers import parse_bytes, read_file

ROOT = Path(__file__).resolve().parents[1]


def grown(base: Conversation, n_sentences: int, one_turn: bool) -> Conversation:
    """The sample's turns repeated until they hold about `n_sentences` sentences; with `one_turn`,
    every agent sentence goes into one turn followed by a counterpart's reply."""
    per_copy = sum(max(1, t.text.count(". ") + t.text.count("? ") + 1) for t in base.turns)
    turns = [t for _ in range(max(1, n_sentences // per_copy)) for t in base.turns]
    if one_turn:
        agent = base.turns[0].speaker
        text = " ".join(t.text for t in turns)
        other = next(t.speaker for t in base.turns if t.speaker != agent)
        return Conversation(id="one-turn", channel="call",
                            turns=[Turn(index=0, speaker=agent, text=text), Turn(index=1, speaker=other, text="OK.")])
    return Conversation(id="many-turns", channel="call",
                        turns=[Turn(index=i, speaker=t.speaker, text=t.text) for i, t in enumerate(turns)])


def html_email(base: Conversation, n_lines: int) -> bytes:
    """An HTML-only email whose body is the sample's turns repeated as `n_lines` lines, each ending in `<br>`."""
    lines = [t.text for t in base.turns]
    body = "".join(f"<b>{i}.</b> {lines[i % len(lines)]}<br>\n" for i in range(n_lines))
    return ("From: Dana Whitfield <dana@example.com>\nTo: Marcus Lee <marcus@example.com>\nSubject: Notes\n"
            f"Content-Type: text/html; charset=utf-8\n\n<html><body><div>{body}</div></body></html>\n").encode()


def telegram_page(n_messages: int) -> bytes:
    """A Telegram Desktop HTML chat page (`messages.html`) of `n_messages` long messages from three senders, every third
    one joined to the one before it (no name), as the exporter writes them."""
    sentence = "we could talk about the role and the team on tuesday or thursday if you like and I can send the spec"
    words = sentence.split(" ")
    messages = []
    for n in range(n_messages):
        text = [words[(n + i) % len(words)] for i in range(800)]
        for i in range(40):
            text[20 * i + 9] += "<br>"
            if i % 2:
                text[20 * i + 3] = (f'<a href="https://example.com/{i}">{text[20 * i + 3]}</a>' if i % 4 == 1
                                    else f"<strong>{text[20 * i + 3]}</strong>")
        sender = ("Dana Whitfield", "Marcus Lee", None)[n % 3]
        joined = " joined" if sender is None else ""
        name = f'<div class="from_name">\n{sender}\n</div>\n' if sender else ""
        messages.append(f'<div class="message default clearfix{joined}" id="message{n + 1}">\n<div class="body">\n'
                        '<div class="pull_right date details" title="12.03.2024 10:15:00 UTC+01:00">\n10:15\n</div>\n'
                        f'{name}<div class="text">\n{" ".join(text)}\n</div>\n</div>\n</div>\n')
    return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8"/>\n<title>Exported Data</title>\n</head>\n<body>\n'
            '<div class="page_wrap">\n<div class="page_header">\n<div class="content">\n<div class="text bold">\nMarcus Lee\n'
            '</div>\n</div>\n</div>\n<div class="page_body chat_page">\n<div class="history">\n'
            f'{"".join(messages)}</div>\n</div>\n</div>\n</body>\n</html>\n').encode()


def reading_seconds(data: bytes, runs: int, name: str = "notes.eml") -> float:
    """Median seconds to read `data` as a file called `name`."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with contextlib.suppress(ReadError):  # a body past what a turn may hold, refused after it is parsed
            parse_bytes(data, name)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def seconds(analyzer: rn.Analyzer, conversation: Conversation, runs: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        n = len(analyzer.analyze(conversation).sentences)
        times.append(time.perf_counter() - start)
    return statistics.median(times), n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=1000, help="N, the smaller size (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="timings per size; the median is used")
    args = parser.parse_args()
    analyzer = rn.load()
    base = read_file(ROOT / "data" / "samples" / "s-004.txt")[0]
    analyzer.analyze(base)  # warm up
    print("| conversation | sentences (N) | seconds | sentences (4N) | seconds | time ratio (linear ~4) |")
    print("|---|---|---|---|---|---|")
    for one_turn in (True, False):
        small, n_small = seconds(analyzer, grown(base, args.sentences, one_turn), args.runs)
        large, n_large = seconds(analyzer, grown(base, 4 * args.sentences, one_turn), args.runs)
        name = "one long turn" if one_turn else "many turns"
        print(f"| {name} | {n_small} | {small:.2f} | {n_large} | {large:.2f} | {large / small:.2f} |", flush=True)
    small = reading_seconds(html_email(base, 4 * args.sentences), args.runs)
    large = reading_seconds(html_email(base, 16 * args.sentences), args.runs)
    print(f"| HTML email, read only (lines, not sentences) | {4 * args.sentences} | {small:.2f} | {16 * args.sentences} "
          f"| {large:.2f} | {large / small:.2f} |", flush=True)
    quarter = max(1, args.sentences // 4)
    small = reading_seconds(telegram_page(quarter), args.runs, "messages.html")
    large = reading_seconds(telegram_page(4 * quarter), args.runs, "messages.html")
    print(f"| Telegram HTML chat page, read only (messages, not sentences) | {quarter} | {small:.2f} | {4 * quarter} "
          f"| {large:.2f} | {large / small:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
