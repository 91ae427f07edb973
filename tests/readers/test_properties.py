"""Whatever bytes or text arrive, reading raises nothing but ReadError."""

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reciprocity_nlp import FORMATS, ReadError
from reciprocity_nlp.readers import parse_bytes

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXTENSIONS = ["x.txt", "x.vtt", "x.srt", "x.json", "x.csv", "x.eml", "x.mbox", "x"]

# Text that looks a little like the real thing, so parsers get past their first check.
FRAGMENTS = st.sampled_from([
    "WEBVTT\n\n", "00:00:01.000 --> 00:00:02.000\n", "<v Sam>", "1\n00:00:01,000 --> 00:00:02,000\n",
    "Sam: ", "[00:00:01] ", "From: a@b.c\n", "Subject: hi\n", "Date: Tue, 4 Mar 2025 09:14:00 +0000\n",
    "On Tue, 4 Mar 2025 at 09:14, Sam <s@x.y> wrote:\n", "> ", "\n", "{\"segments\": [", "{\"speaker\": \"A\", ",
    "\"text\": \"hi\"}", "]", "}", "speaker,text\n", "Content-Type: text/html\n", "<p>", "From x Tue Mar  4 09:14:00 2025\n",
    "MIME-Version: 1.0\n", "Content-Transfer-Encoding: base64\n", "____\n", "-----Original Message-----\n",
])


def _read(data: bytes, name: str, fmt: str | None) -> None:
    with contextlib.suppress(ReadError):
        parse_bytes(data, name, fmt)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(EXTENSIONS))
def test_random_bytes(data, name):
    _read(data, name, None)


@SETTINGS
@given(st.text(max_size=2000), st.sampled_from(EXTENSIONS))
def test_random_text(text, name):
    _read(text.encode("utf-8", "surrogatepass"), name, None)


@SETTINGS
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=40), st.sampled_from(EXTENSIONS),
       st.one_of(st.none(), st.sampled_from(FORMATS)))
def test_format_like_text(parts, name, fmt):
    _read("".join(parts).encode("utf-8", "surrogatepass"), name, fmt)
