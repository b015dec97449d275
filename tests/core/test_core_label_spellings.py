"""Category labels read as a person reads them: one group is not several because of case or disguise."""

from brandrail.text.normalize import fold_label, same_label_spellings


def test_fold_label_reads_disguised_spellings_alike():
    for spelling in [
        "Female",
        " female ",
        "FEMALE\t",
        "ｆｅｍａｌｅ",
        "f\u0435male",
        "fe\u200bmale",
        "fe\u00admale",
    ]:
        assert fold_label(spelling) == "female", spelling
    assert fold_label("New  York") == fold_label("new york")


def test_distinct_labels_stay_distinct():
    labels = ["male", "female", "Male-to-female", "fe male", "18-24", "25-34", "1", "1.0", ""]
    assert same_label_spellings(labels) == []


def test_spellings_are_grouped_most_first():
    labels = ["a", "b", "B", "A", "A ", "c"]
    assert same_label_spellings(labels) == [["A", "A ", "a"], ["B", "b"]]
