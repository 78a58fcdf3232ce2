"""Section numbers as the document prints them (DESIGN §3.1, `numbering`).

- `auto` (the default): 1, 1.1, … by position; a section with `numbered: false`
  takes no number and the ones after it do not move; its sub-sections are not
  numbered either (they have no number to continue).
- `as-adopted`: the `number` written on the section, as written; a section
  without one, or with `numbered: false`, has none.
- `none`: no numbers.

A renumbered section is one whose printed number differs between the two
versions, so both versions must be numbered by the same rules the document uses.
"""
from __future__ import annotations

from .. import model as m
from ..render.structure import section_places


def section_numbers(plan: m.Plan) -> dict[int, str | None]:
    """The printed number of every section of the plan, by `id()` of the section object:
    the numbers the rendered document prints (one definition, in `render.structure`)."""
    style = plan.numbering if plan.numbering in ("auto", "as-adopted", "none") else "auto"
    return {key: place.number for key, place in section_places(plan.sections, style).items()}
