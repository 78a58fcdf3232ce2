"""The shape of the document: section numbers, and where each generated block goes.

Numbers (`numbering` in plan.yaml):

- `auto` (the default): 1, 1.1, 1.2 … by position. A section with
  `numbered: false` takes no number and the ones after it do not move; its
  sub-sections are unnumbered too (there is no number to hang them from).
- `as-adopted`: each section prints its own `number` exactly as written, gaps
  and repeats included; a section without one (or with `numbered: false`)
  prints none.
- `none`: no numbers.

Anchors are positional (`s-1-3-2`: the third section's second child of the
first), never made from ids, numbers or titles, so they are unique even when
adopted numbers repeat and say nothing about a withheld section.

Generated blocks (`shows`): a section shows a block at the end of its text;
the first section (in document order) that names a block gets it. A block no
section shows goes to its default place: the change log for `revisions`, the
annex that holds the data for `sub-plans` and `partners`, and a chapter after
the plan's own sections for the others, in the order of `CHAPTER_BLOCKS`.
`render: {generated: [...]}` restricts which blocks may go to the change log
or a chapter; the annexes the plan lists always keep their tables unless a
section shows them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import model as m

BLOCKS = ("levels", "roles", "staff", "activation", "exercises", "revisions", "sub-plans",
          "partners")
# the blocks that get a chapter of their own when no section shows them, in this order
CHAPTER_BLOCKS = ("levels", "roles", "staff", "activation", "exercises")
# the blocks whose default place is the annex that holds their data
ANNEX_BLOCKS = {"sub-plans": "plan-register", "partners": "partners"}


@dataclass(frozen=True)
class Place:
    number: str | None  # as printed; None: the heading has no number
    anchor: str  # positional: s-1-3-2
    path: tuple[int, ...]  # positions, 1-based


def section_places(sections: list[m.Section], numbering: str) -> dict[int, Place]:
    """Number and anchor of every section, keyed by `id(section)`."""
    places: dict[int, Place] = {}

    def walk(items: list[m.Section], path: tuple[int, ...], prefix: tuple[int, ...] | None):
        count = 0
        for position, section in enumerate(items, 1):
            here = (*path, position)
            auto: tuple[int, ...] | None = None
            if numbering == "auto" and prefix is not None and section.numbered:
                count += 1
                auto = (*prefix, count)
            if numbering == "auto":
                number = ".".join(map(str, auto)) if auto else None
            elif numbering == "as-adopted" and section.numbered and section.number:
                number = section.number
            else:
                number = None
            places[id(section)] = Place(number, "s-" + "-".join(map(str, here)), here)
            walk(section.sections, here, auto)

    walk(sections, (), ())
    return places


def next_chapter_numbers(sections: list[m.Section], numbering: str):
    """The numbers of the chapters added after the plan's own (auto numbering only)."""
    if numbering != "auto":
        while True:
            yield None
    n = sum(1 for s in sections if s.numbered)
    while True:
        n += 1
        yield str(n)


@dataclass
class Placement:
    shown_by: dict[str, m.Section] = field(default_factory=dict)  # block -> section
    chapters: list[str] = field(default_factory=list)  # blocks that get their own chapter
    changelog: bool = True  # the change log after the title page

    def in_section(self, section: m.Section) -> list[str]:
        return [block for block in section.shows if self.shown_by.get(block) is section]


def placement(plan: m.Plan) -> Placement:
    result = Placement()
    for section in plan.all_sections():
        for block in section.shows:
            if block in BLOCKS and block not in result.shown_by:
                result.shown_by[block] = section
    allowed = set(BLOCKS if plan.generated is None else plan.generated)
    result.chapters = [b for b in CHAPTER_BLOCKS
                       if b not in result.shown_by and b in allowed]
    result.changelog = "revisions" not in result.shown_by and "revisions" in allowed
    return result
