"""The `reciprocity` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from reciprocity_nlp.agent import AgentError, assign_agent
from reciprocity_nlp.conversation import Conversation
from reciprocity_nlp.errors import ReadError
from reciprocity_nlp.readers import FORMATS, iter_files, read_file
from reciprocity_nlp.segmentation import Segmenter

DESCRIPTION = """\
Read sales and recruitment conversations (call transcripts and email threads) and see how
the agent comes across.

Supported inputs: plain 'Name: text' transcripts, timestamped lines, Otter and Zoom text
exports, WebVTT, SRT, diarized JSON (WhisperX segments, AssemblyAI utterances), CSV/TSV with
speaker,text columns, .eml (plain or HTML), .mbox threads and pasted email threads (.txt).
"""


def _print_summary(conv: Conversation, out: TextIO) -> None:
    meta = conv.metadata
    out.write(f"== {conv.id}  [{conv.channel}, {meta.get('format')}]  {conv.source}\n")
    if meta.get("subject"):
        out.write(f"   subject: {meta['subject']}\n")
    counts = {s: sum(1 for t in conv.turns if t.speaker == s) for s in conv.speakers}
    out.write("   speakers: " + ", ".join(f"{s} ({n} turns)" for s, n in counts.items()) + "\n")
    out.write(f"   agent: {meta.get('agent')} ({meta.get('agent_source')})\n")
    out.write(f"   turns: {len(conv.turns)}, sentences: {conv.n_sentences}\n")
    for turn in conv.turns:
        when = ""
        if turn.start is not None:
            when = f"[{int(turn.start) // 60:02d}:{int(turn.start) % 60:02d}] "
        elif turn.sent is not None:
            when = f"[{turn.sent:%Y-%m-%d %H:%M}] "
        text = " ".join(turn.text.split())
        out.write(f"   {turn.index:>3} {when}{turn.speaker}: {text[:160]}{'…' if len(text) > 160 else ''}\n")


def cmd_read(args: argparse.Namespace) -> int:
    segmenter = Segmenter()
    failed = 0
    for target in args.paths:
        for path in iter_files(target):
            try:
                conversations = read_file(path, args.format)
                for conv in conversations:
                    segmenter(conv)
                    assign_agent(conv, args.agent)
            except (ReadError, AgentError) as exc:
                failed += 1
                print(f"error: {exc}", file=sys.stderr)
                continue
            for conv in conversations:
                if args.json:
                    sys.stdout.write(json.dumps(conv.to_dict(), ensure_ascii=False) + "\n")
                else:
                    _print_summary(conv, sys.stdout)
    return 1 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reciprocity", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("read", help="read transcripts or emails and print their speakers and turns",
                       description="Read files (or folders, recursively) and print each conversation's "
                                   "speakers, agent and turns. Exit status 1 when any file could not be read.")
    p.add_argument("paths", nargs="+", metavar="FILE", help="transcript or email files, or folders")
    p.add_argument("--format", choices=FORMATS, help="skip auto-detection and read every file as this format")
    p.add_argument("--agent", help="the agent: display name, email address, speaker label or unique prefix "
                                   "(default: guessed, and the guess is shown)")
    p.add_argument("--json", action="store_true", help="print each conversation as one JSON line (Conversation.to_dict)")
    p.set_defaults(func=cmd_read)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
