"""Section numbers as the document prints them (DESIGN §3.1, `numbering`).

- `auto` (the default): 1, 1.1, … by position; a section with `numbered: false`
  takes no number and the ones after it do not move; its sub-sections are not
  numbered either (they have no number to continue).
- `as-adopted`: the `number` written on the section, exactly as written; a
  section without one has none.
- `none`: no numbers.

A renumbered section is one whose printed number differs between the two
versions, so both versions must be numbered by the same rules the document uses.
"""
from __future__ import annotations

from .. import model as m


def section_numbers(plan: m.Plan) -> dict[int, str | None]:
    """The printed number of every section of the plan, by `id()` of the section object."""
    numbers: dict[int, str | None] = {}
    style = plan.numbering if plan.numbering in ("auto", "as-adopted", "none") else "auto"

    def walk(sections: list[m.Section], prefix: tuple[int, ...] | None) -> None:
        position = 0
        for section in sections:
            if style == "as-adopted":
                number = section.number.strip() if section.number and section.number.strip() \
                    else None
                numbers[id(section)] = number
                walk(section.sections, None)
                continue
            if style == "none" or prefix is None or not section.numbered:
                numbers[id(section)] = None
                walk(section.sections, None)
                continue
            position += 1
            here = (*prefix, position)
            numbers[id(section)] = ".".join(map(str, here))
            walk(section.sections, here)

    walk(plan.sections, ())
    return numbers
