"""Deadlines for every plan found: the engine behind `beredskap due`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..check import PLAN_SCOPES, Options, plan_context, run_rules
from ..dates import add
from ..parallel import ordered_map
from ..project import Target
from .compute import Deadline, deadlines_for_plan, sort_deadlines


@dataclass
class DueReport:
    deadlines: list[Deadline] = field(default_factory=list)
    # plans with validation errors: their deadlines come from what could be read
    broken: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # single files: no deadlines alone


def _plan_task(job: tuple) -> tuple[str, int, list[Deadline]]:
    """One plan's deadlines and its number of validation errors."""
    folder, today, soon_until = job
    ctx = plan_context(folder, today)
    errors = sum(1 for f in run_rules(ctx, Options(today=today), PLAN_SCOPES)
                 if f.severity == "error")
    return ctx.plan.document.display, errors, deadlines_for_plan(
        ctx.plan, ctx.jurisdiction, today, soon_until)


def collect(targets: list[Target], today: date, soon_within) -> DueReport:
    report = DueReport()
    soon_until = add(today, soon_within)
    report.skipped = [str(t.path) for t in targets if t.kind != "plan"]
    jobs = [(t.path, today, soon_until) for t in targets if t.kind == "plan"]
    for display, errors, deadlines in ordered_map(_plan_task, jobs):
        if errors:
            report.broken[display] = errors
        report.deadlines.extend(deadlines)
    report.deadlines = sort_deadlines(report.deadlines)
    return report
