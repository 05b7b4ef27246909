"""Member reference codes: unambiguous, and a slip of the pen is caught."""

from hypothesis import given
from hypothesis import strategies as st

from domain.membership.codes import ALPHABET, display, new_code, normalise


def test_codes_avoid_characters_people_confuse():
    assert not set("0O1IL") & set(ALPHABET)
    code = new_code()
    assert len(code) == 8 and set(code) <= set(ALPHABET)
    assert display(code)[4] == "-" and normalise(display(code).lower()) == code


@given(st.integers(0, 7), st.sampled_from(ALPHABET), st.randoms())
def test_any_one_wrong_character_is_caught(position, replacement, rnd):
    code = new_code()
    mistyped = code[:position] + replacement + code[position + 1 :]
    assert normalise(mistyped) == (code if mistyped == code else None)


@given(st.integers(0, 6))
def test_two_neighbours_swapped_are_caught(position):
    code = new_code()
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    assert normalise(swapped) == (code if swapped == code else None)


def test_anything_else_is_not_a_code():
    for text in ("", "ABCD", "ABCD-EFGH-J", "0000-0000", "IIII-IIII", "名前名前名前名前", None):
        assert normalise(text) is None
