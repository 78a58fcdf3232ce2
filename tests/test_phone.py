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
