"""What every rule receives and the small helpers they share."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..documents import Document, Location
from ..findings import Hit
from ..jurisdiction import Jurisdiction
from ..model import Plan, Src


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


def hit(where: Src | Location, message: str, severity: str | None = None,
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
