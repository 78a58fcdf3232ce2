"""A phone number that is not valid for its region.

Numbers are written as people write them (`+47 22 33 44 55`, `55 55 55 55`);
a number without a country code is read in the plan's country. Each is checked
with the `phonenumbers` library (Google's libphonenumber metadata): a digit
too many or too few, or a number range that does not exist, is reported.
Short numbers valid in the plan's country (112, 113, 1813, 116 117) are
accepted. Checking a single annex file on its own, only numbers with a
country code are checked (the plan's country is not known).

Fix: correct the number, or add the country code for a foreign number.

    phones:
      - {number: "+45 3312 345", label: mobil}   # reported: one digit short
"""
from __future__ import annotations

from functools import lru_cache

from .base import hit

ID = "invalid-phone"
SEVERITY = "error"
SCOPE = "file"
SUMMARY = "a phone number that is not valid for its region"


def all_phones(plan):
    for person in plan.people:
        yield from person.phones
    for partner in plan.partners:
        yield from partner.phones
        for contact in partner.contacts:
            yield from contact.phones


def _valid_short(parsed, region: str | None) -> bool:
    """Emergency and service short numbers (112, 113, 1813, 116 117) are fine too."""
    from phonenumbers import shortnumberinfo

    return region is not None and shortnumberinfo.is_valid_short_number_for_region(parsed, region)


# Countries whose numbers have no trunk prefix ('0') to strip: a number written
# as digits and spaces maps straight to (country code, national number)
_NO_TRUNK_PREFIX = {"NO": "47", "DK": "45"}


def _plainly_valid(number: str, region: str | None) -> bool:
    """A quick yes for the common `+47 880 12 345` / `88 01 23 45`, skipping the full
    parse; anything else, and every "no", goes through `phonenumbers.parse`."""
    import phonenumbers

    compact = number.replace(" ", "")
    if compact.startswith("+"):
        code = next((c for c in _NO_TRUNK_PREFIX.values() if compact.startswith(c, 1)), None)
        national = compact[1 + len(code):] if code else ""
    else:
        code, national = _NO_TRUNK_PREFIX.get(region), compact
    if (code is None or not 2 <= len(national) <= 17 or not national.isascii()
            or not national.isdigit() or national[0] == "0"):
        return False
    return phonenumbers.is_valid_number(
        phonenumbers.PhoneNumber(country_code=int(code), national_number=int(national)))


@lru_cache(maxsize=4096)  # the same numbers recur across a plan's files and plans
def problem(number: str, region: str | None) -> str | None:
    """Why `number` is not a valid phone number, or None when it is."""
    import phonenumbers

    if region is None and not number.lstrip().startswith("+"):
        return None
    if _plainly_valid(number, region):
        return None
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return f"'{number}' is not a phone number"
    if not phonenumbers.is_valid_number(parsed) and not _valid_short(parsed, region):
        where = (phonenumbers.region_code_for_number(parsed)
                 or phonenumbers.region_code_for_country_code(parsed.country_code))
        where = where if where and where != "ZZ" else f"+{parsed.country_code}"
        return f"'{number}' is not a valid phone number in {where}"
    return None


def check(ctx):
    plan = ctx.plan
    country = plan.organization.country if ctx.whole_plan else None
    region = country.upper() if isinstance(country, str) and len(country) == 2 else None
    for phone in all_phones(plan):
        message = problem(phone.number, region)
        if message:
            yield hit(phone.src.child("number"), message)
