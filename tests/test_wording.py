from reciprocity_nlp.wording import count


def test_count_agrees_in_number():
    assert [count(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
