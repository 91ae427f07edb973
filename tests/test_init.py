import re
import subprocess
import sys

import pytest

import reciprocity_nlp as rn
from tests.conftest import FIXTURES, ROOT

HEAVY = ("spacy", "thinc", "numpy", "sklearn", "scipy", "pandas")


def _fresh(code: str) -> subprocess.CompletedProcess:
    """`code` run in a clean interpreter: what this test session imported already cannot mask what it imports."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_reading_files_brings_no_spacy_scikit_learn_or_pandas_in():
    code = ("import sys, warnings, reciprocity_nlp.readers as readers\n"
            f"loaded = lambda: [m for m in {HEAVY!r} if m in sys.modules]\n"
            "print('import:', *loaded())\n"
            "warnings.simplefilter('ignore')\n"
            f"read = list(readers.iter_conversations({str(FIXTURES)!r}, errors='warn'))\n"
            f"read += list(readers.iter_conversations({str(ROOT / 'data' / 'samples')!r}))\n"
            "print('read:', *loaded(), len(read) > 50)\n")
    result = _fresh(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["import:", "read: True"]


def test_import_reciprocity_nlp_is_light_and_its_heavy_names_load_on_use():
    code = ("import sys, reciprocity_nlp as rn\n"
            "assert 'spacy' not in sys.modules and 'sklearn' not in sys.modules\n"
            "from reciprocity_nlp import Segmenter\n"
            "from reciprocity_nlp.segmentation import Segmenter as real\n"
            "assert Segmenter is real and rn.Segmenter is real and 'spacy' in sys.modules\n")
    result = _fresh(code)
    assert result.returncode == 0, result.stderr


def test_every_public_name_resolves_and_dir_lists_it():
    assert set(rn.__all__) <= set(dir(rn))
    assert all(getattr(rn, name) is not None for name in rn.__all__)
    assert rn.Segmenter.__module__ == "reciprocity_nlp.segmentation"
    assert rn.Analyzer.__module__ == rn.Analysis.__module__ == "reciprocity_nlp.analysis"
    with pytest.raises(AttributeError, match="has no attribute 'Segmentr'"):
        rn.Segmentr  # noqa: B018


@pytest.mark.parametrize("model", ["default", ROOT / "models" / "default", None])
def test_evaluate_given_a_model_folder_instead_of_a_model_says_to_load_it(model):
    """It failed with "'str' object has no attribute 'folder'" from deep inside."""
    with pytest.raises(TypeError, match=rf"^evaluate\(\) takes a model, as rn\.load\(path\) or rn\.train\(\.\.\.\) "
                                        rf"return it, not {type(model).__name__} {re.escape(repr(model))}$"):
        rn.evaluate(model, conversations=FIXTURES / "nowhere.jsonl")


def test_evaluate_refuses_a_log_that_is_not_a_function_before_reading_anything():
    """log=None (read as 'silence') failed with "'NoneType' object is not callable" once the first file was read."""
    analyzer = rn.load()
    with pytest.raises(TypeError, match=r"^log must be a function taking each line of text \(print by default; "
                                        r"log=lambda text: None for silence\), not None$"):
        rn.evaluate(analyzer, conversations=FIXTURES / "nowhere.jsonl", log=None)
