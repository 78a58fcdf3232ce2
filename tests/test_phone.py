"""Phone number checking: what counts as a valid number in the plan's country."""
import pytest

from beredskapsplan.rules.invalid_phone import problem


@pytest.mark.parametrize("number, region", [
    ("+47 880 21 410", "NO"),   # the example plans' fictional series
    ("+45 94 41 10 01", "DK"),
    ("112", "NO"), ("113", "NO"), ("1813", "DK"), ("114", "DK"),  # emergency/service numbers
    ("+45 94 41 10 01", None),  # with a country code, no region is needed
    ("22 33 44", None),         # without one and without a region: not judged
])
def test_accepted(number, region):
    assert problem(number, region) is None


@pytest.mark.parametrize("number, region, fragment", [
    ("+47 1234", "NO", "not a valid phone number in NO"),
    ("1234", "NO", "not a valid phone number in NO"),
    ("+45 3312 345", "DK", "not a valid phone number in DK"),
    ("ring vakten", "NO", "is not a phone number"),
])
def test_refused(number, region, fragment):
    assert fragment in problem(number, region)


# -- the quick yes agrees with the full parse --------------------------------------------

import phonenumbers  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from beredskapsplan.rules.invalid_phone import _plainly_valid  # noqa: E402

written_numbers = st.builds(
    lambda prefix, digits, spaces: prefix + "".join(
        d + (" " if i in spaces else "") for i, d in enumerate(digits)),
    st.sampled_from(["", "+47", "+47 ", "+45 ", "+46 ", "+4", "0047 ", "+"]),
    st.text("0123456789", min_size=0, max_size=14),
    st.sets(st.integers(0, 13), max_size=4))


@settings(derandomize=True, max_examples=3000, database=None, deadline=None)
@given(number=written_numbers, region=st.sampled_from(["NO", "DK", "SE", None]))
def test_quick_yes_only_for_numbers_the_full_parse_accepts(number, region):
    if _plainly_valid(number, region):
        parsed = phonenumbers.parse(number, region)
        assert phonenumbers.is_valid_number(parsed)
        assert parsed.national_number == int(number.replace(" ", "")[-len(str(parsed.national_number)):])


@pytest.mark.parametrize("number, region", [
    ("+47 880 21 410", "NO"), ("88021410", "NO"), ("+45 94 41 10 01", "DK"), ("94411001", "DK"),
    ("+45 94 41 10 01", None), ("+47 880 21 410", "DK"),
])
def test_common_numbers_take_the_quick_way(number, region):
    assert _plainly_valid(number, region)
