"""What every rule receives and the small helpers they share."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..documents import Document, Location
from ..findings import Hit
from ..i18n import Message, _
from ..jurisdiction import Jurisdiction
from ..model import Plan, Src

# The kinds of things a plan gives ids to (`Entity.KIND`), as a message names one
A_KIND = {
    "person": _("a person"), "role": _("a role"), "staff": _("a staff group"),
    "section": _("a section"), "resource": _("a resource"), "sub-plan": _("a sub-plan"),
    "partner": _("a partner"), "template": _("a template"),
    "action card": _("an action card"), "exercise finding": _("a finding"),
    "exercise": _("an exercise"), "incident": _("an incident"),
}


def a_kind(kind: str) -> "Message | str":
    """"a person", in the language of the message it is put in."""
    return A_KIND.get(kind, kind)


def one_of(kinds) -> "Message | str":
    """"a role or a staff group"."""
    return either([a_kind(k) for k in sorted(kinds)])


def either(words: list) -> "Message | str":
    """"a, b or c" (as "a or b or c")."""
    result = words[-1]
    for word in reversed(words[:-1]):
        result = _("{first} or {rest}", first=word, rest=result)
    return result


def quoted(names) -> list[str]:
    """Ids or names to be listed in a message: 'a', 'b' (the translator joins them)."""
    return [f"'{name}'" for name in names]


@dataclass
class Context:
    today: date
    documents: list[Document]
    plan: Plan  # for a single annex file: a plan holding only that file
    whole_plan: bool = True  # False when checking a single annex file
    jurisdiction: Jurisdiction | None = None
    path_issues: list = field(default_factory=list)
    unreferenced: list = field(default_factory=list)
    # files outside the plan a result also came from (path -> cache.path_digest), such as
    # git's own files when a rule read the plan's history
    dependencies: dict = field(default_factory=dict)


def hit(where: Src | Location, message: "Message | str", severity: str | None = None,
        key: bool = False) -> Hit:
    """A report at a model source or a document location."""
    if isinstance(where, Src):
        where = where.at(key=key)
    return Hit(where, message, severity)


def reading_problems(ctx: Context, rule: str):
    """What the YAML reader found for `rule` (yaml-syntax, duplicate-key)."""
    for doc in ctx.documents:
        for problem in doc.problems:
            if problem.rule == rule:
                yield Hit(Location(doc, problem.line, problem.column), problem.message)


def path_problems(ctx: Context, rule: str):
    """Annex paths that could not be used for `rule` (missing-file, unsafe-path)."""
    for issue in ctx.path_issues:
        if issue.rule == rule:
            yield hit(issue.src, issue.message)
