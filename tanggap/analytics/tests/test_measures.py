"""Small public cells are hidden, with a second one when one alone could be worked out."""

from tanggap.analytics.measures import suppressed


def test_small_cells_are_hidden_with_a_second_when_alone():
    # given a breakdown with one small cell
    # then it and the next smallest are hidden; zeros and large cells stay
    assert suppressed({"a": 40, "b": 3, "c": 7, "d": 0}) == {"a": 40, "b": None, "c": None, "d": 0}
    # given two small cells, only they are hidden
    assert suppressed({"a": 40, "b": 3, "c": 1}) == {"a": 40, "b": None, "c": None}
    # given nothing small, nothing changes
    assert suppressed({"a": 5, "b": 9}) == {"a": 5, "b": 9}
