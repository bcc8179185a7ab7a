"""How a rejected filter value is quoted back: readable, no control characters, short.

Found by make mutation (comparisons.matrix.filters.printable): nothing pinned the replacement
character or the 40-character limit.
"""

from comparisons.matrix.filters import printable


def test_control_characters_are_shown_as_a_replacement_character():
    assert printable("e\x00u\u202e") == "e\ufffdu\ufffd"
    assert printable("atlantis") == "atlantis"


def test_a_value_is_cut_at_forty_characters_with_an_ellipsis():
    assert printable("x" * 40) == "x" * 40
    assert printable("x" * 41) == "x" * 39 + "…"
    assert len(printable("y" * 5000)) == 40
