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

from ..i18n import _, _n
from .base import either, hit

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
_MAIN_REGION = {code: region for region, code in _NO_TRUNK_PREFIX.items()}


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
    # valid in the code's main country is valid; asking for that country directly skips
    # working out which of the code's regions (+47: Norway, Svalbard) the number is in
    return phonenumbers.is_valid_number_for_region(
        phonenumbers.PhoneNumber(country_code=int(code), national_number=int(national)),
        _MAIN_REGION[code])


# the countries a plan's numbers are most often in, named in the message's language
COUNTRIES = {"NO": _("Norway"), "DK": _("Denmark"), "SE": _("Sweden"), "FI": _("Finland"),
             "IS": _("Iceland"), "FO": _("the Faroe Islands"), "GL": _("Greenland"),
             "DE": _("Germany"), "GB": _("the United Kingdom")}
# where a number written without a country code may really belong
_NEIGHBOURS = ("NO", "DK", "SE")


def _country(region: str | None, code: int):
    if region in COUNTRIES:
        return COUNTRIES[region]
    return _("the country with code +{code}", code=code)


def _example(region: str) -> str:
    import phonenumbers
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE) \
        or phonenumbers.example_number(region)
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.INTERNATIONAL) \
        if example else "+47 412 34 567"


def _national_digits(number: str, code: int, region: str) -> int:
    """How many digits the number has after its country code (or trunk prefix), as written."""
    import phonenumbers
    digits = "".join(c for c in number if c.isdigit())
    written = number.lstrip()
    if written.startswith("+"):
        return len(digits) - len(str(code))
    if written.startswith("00") and digits.startswith(f"00{code}"):
        return len(digits) - 2 - len(str(code))
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix if metadata is not None else None
    if prefix and digits.startswith(prefix):
        return len(digits) - len(prefix)
    return len(digits)


def _lengths(region: str) -> tuple[int, ...]:
    """The lengths of ordinary (mobile and fixed-line) numbers in a region."""
    import phonenumbers
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None:
        return ()
    found = set()
    for desc in (metadata.mobile, metadata.fixed_line):
        if desc is not None and desc.possible_length:
            found.update(n for n in desc.possible_length if n > 0)
    return tuple(sorted(found))


def _elsewhere(number: str, region: str | None) -> tuple[str, int] | None:
    """A neighbouring country where a number written without its country code would be
    valid: (region, country code)."""
    import phonenumbers
    if number.lstrip().startswith(("+", "00")):
        return None
    for other in _NEIGHBOURS:
        if other == region:
            continue
        try:
            parsed = phonenumbers.parse(number, other)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return other, parsed.country_code
    return None


@lru_cache(maxsize=4096)  # the same numbers recur across a plan's files and plans
def problem(number: str, region: str | None):
    """Why `number` is not a valid phone number (a message), or None when it is."""
    import phonenumbers
    if region is None and not number.lstrip().startswith("+"):
        return None
    if _plainly_valid(number, region):
        return None
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException as err:
        if err.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            return _("'{number}' does not begin with a country code that exists; write + and "
                     "the country code, e.g. {example}", number=number,
                     example=_example(region or "NO"))
        return _("'{number}' is not a phone number; write its digits, e.g. {example}",
                 number=number, example=_example(region or "NO"))
    if phonenumbers.is_valid_number(parsed) or _valid_short(parsed, region):
        return None
    code = parsed.country_code
    where = phonenumbers.region_code_for_number(parsed) \
        or phonenumbers.region_code_for_country_code(code)
    where = where if where and where != "ZZ" else None
    lengths = _lengths(where) if where else ()
    count = _national_digits(number, code, where) if where else 0
    if lengths and count not in lengths:
        elsewhere = _elsewhere(number, region)
        if elsewhere is not None:
            return _("'{number}' is not a number in {country}, but it would be one in "
                     "{other}; if it is, write it with the country code +{code} in front",
                     number=number, country=_country(where, code),
                     other=_country(elsewhere[0], elsewhere[1]), code=elsewhere[1])
        return _n("'{number}' has {n} digit, but a number in {country} has {lengths}; "
                  "check for a missing or an extra digit",
                  "'{number}' has {n} digits, but a number in {country} has {lengths}; "
                  "check for a missing or an extra digit", count, number=number,
                  country=_country(where, code), lengths=_digits(lengths))
    return _("'{number}' has the right number of digits, but is not a number in use in "
             "{country}; check the digits", number=number, country=_country(where, code))


def _digits(lengths: tuple[int, ...]):
    """"8 digits", "7, 8 or 9 digits"."""
    return _n("{n} digit", "{n} digits", lengths[-1], n=either([str(n) for n in lengths]))


def check(ctx):
    plan = ctx.plan
    country = plan.organization.country if ctx.whole_plan else None
    region = country.upper() if isinstance(country, str) and len(country) == 2 else None
    for phone in all_phones(plan):
        message = problem(phone.number, region)
        if message:
            yield hit(phone.src.child("number"), message)
