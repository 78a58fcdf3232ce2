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


@pytest.mark.parametrize("number, region, expected", [
    # too short or too long: says how many digits a number there has
    ("+47 1234", "NO", "'+47 1234' has 4 digits, but a number in Norway has 8 digits; check "
                       "for a missing or an extra digit"),
    ("412 34 56", "NO", "'412 34 56' has 7 digits, but a number in Norway has 8 digits; check "
                        "for a missing or an extra digit"),
    ("+45 3312 345", "DK", "'+45 3312 345' has 7 digits, but a number in Denmark has 8 digits; "
                           "check for a missing or an extra digit"),
    ("+45 3312 345", None, "'+45 3312 345' has 7 digits, but a number in Denmark has 8 digits; "
                           "check for a missing or an extra digit"),
    # the right length, but no such number: an unknown prefix
    ("+47 100 00 000", "NO", "'+47 100 00 000' has the right number of digits, but is not a "
                             "number in use in Norway; check the digits"),
    # a number of the wrong country, written without its country code
    ("70 12 34 567", "NO", "'70 12 34 567' is not a number in Norway, but it would be one in "
                           "Sweden; if it is, write it with the country code +46 in front"),
    ("+999 1234", "NO", "'+999 1234' does not begin with a country code that exists; write + "
                        "and the country code, e.g. +47 40 61 23 45"),
    ("ring vakten", "NO", "'ring vakten' is not a phone number; write its digits, e.g. "
                          "+47 40 61 23 45"),
])
def test_refused_with_the_reason(number, region, expected):
    assert str(problem(number, region)) == expected


@pytest.mark.parametrize("lang, expected", [
    ("nb", "'412 34 56' har 7 sifre, men et nummer i Norge har 8 sifre"),
    ("nn", "'412 34 56' har 7 siffer, men eit nummer i Noreg har 8 siffer"),
    ("da", "'412 34 56' har 7 cifre, men et nummer i Norge har 8 cifre"),
])
def test_the_reason_in_each_language(lang, expected):
    from beredskapsplan.i18n import translator
    assert translator(lang)(problem("412 34 56", "NO")).startswith(expected)


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
