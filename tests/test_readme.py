"""README's Python examples run as written, from the repository's root as the README assumes, so they do not go stale.

A block that cannot run here (it needs a machine or a service the reader supplies) is marked in the README with
`<!-- not run: why -->` on the line before it, and is left out.
"""

import re
import traceback

import pytest

import reciprocity_nlp
from tests.conftest import ROOT

README = ROOT / "README.md"
_FENCE = re.compile(r"^```[ \t]*(?:python3?|py)(?:[ \t][^\n]*)?\n(.*?)^```[ \t]*$", re.M | re.S | re.I)  # as GitHub names Python
_NOT_RUN = re.compile(r"<!--\s*not run:\s*(?P<why>.*?)\s*-->\s*\Z", re.S)


def python_blocks(text: str) -> list[tuple[int, str, str | None]]:
    """Each ```python block of `text`: the line its code starts on, its code, and why it is not run (the reason of a
    `<!-- not run: ... -->` right before it) or None."""
    blocks = []
    for fence in _FENCE.finditer(text):
        line = text.count("\n", 0, fence.start(1)) + 1
        marked = _NOT_RUN.search(text[:fence.start()].rstrip("\n").rsplit("\n", 1)[-1] + "\n")
        blocks.append((line, fence.group(1), marked["why"] if marked else None))
    return blocks


BLOCKS = python_blocks(README.read_text(encoding="utf-8"))


def test_the_block_finder_reads_code_and_marks():
    text = ("x\n```python\na = 1\n```\n<!-- not run: needs a cluster -->\n```python\nb = 2\n```\n"
            "<!-- not run: -->\n```python\nc = 3\n```\n```bash\nls\n```\n")
    assert python_blocks(text) == [(3, "a = 1\n", None), (7, "b = 2\n", "needs a cluster"), (11, "c = 3\n", "")]


def test_the_block_finder_reads_python_blocks_however_their_fence_names_python():
    """Before, only a fence of exactly ```python was read: a block opened ```py, ```Python, ```python3 or with a space
    after the name (GitHub shows each as Python) was silently not run."""
    text = "```py\na = 1\n```\n```Python \nb = 2\n```  \n```python3 title=x\nc = 3\n```\n```pycon\n>>> d\n```\n"
    assert [code for _, code, _ in python_blocks(text)] == ["a = 1\n", "b = 2\n", "c = 3\n"]


def test_every_block_not_run_says_why():
    assert BLOCKS and all(why is None or why.strip() for _, _, why in BLOCKS)


@pytest.fixture(scope="module")
def one_model():
    """`rn.load()` of the shipped model loads it once for all the blocks (each block loads it as a user would)."""
    analyzer = reciprocity_nlp.load()
    shipped = reciprocity_nlp.load
    reciprocity_nlp.load = lambda path=None, trust=False: analyzer if path is None else shipped(path, trust)
    yield
    reciprocity_nlp.load = shipped


@pytest.mark.parametrize(("line", "code", "why"), BLOCKS, ids=[f"line {line}" for line, _, _ in BLOCKS])
def test_readme_block_runs(line, code, why, one_model, monkeypatch):
    if why is not None:
        pytest.skip(f"not run: {why}")
    monkeypatch.chdir(ROOT)
    try:
        exec(compile(code, f"README.md, block at line {line}", "exec"), {"__name__": "__readme__"})
    except Exception:
        first = code.strip().splitlines()[0]
        pytest.fail(f"README.md's block at line {line} ({first!r}) raised:\n{traceback.format_exc()}")
