from reciprocity_nlp.wording import count, listed


def test_count_agrees_in_number():
    assert [count(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]


def test_listed_names_the_first_few_and_counts_the_rest():
    assert listed(["a", "b"], 3) == "a, b" and listed(["a", "b", "c", "d"], 2) == "a, b and 2 more"
