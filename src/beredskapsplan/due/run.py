"""Deadlines for every plan found: the engine behind `beredskap due`."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..check import Options, plan_context, run_rules
from ..dates import add
from ..project import Target
from .compute import Deadline, deadlines_for_plan, sort_deadlines


@dataclass
class DueReport:
    deadlines: list[Deadline] = field(default_factory=list)
    # plans with validation errors: their deadlines come from what could be read
    broken: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # single files: no deadlines alone


def collect(targets: list[Target], today: date, soon_within) -> DueReport:
    report = DueReport()
    soon_until = add(today, soon_within)
    for target in targets:
        if target.kind != "plan":
            report.skipped.append(str(target.path))
            continue
        ctx = plan_context(target.path, today)
        errors = [f for f in run_rules(ctx, Options(today=today), ("file", "folder", "plan"))
                  if f.severity == "error"]
        if errors:
            report.broken[ctx.plan.document.display] = len(errors)
        report.deadlines.extend(deadlines_for_plan(ctx.plan, ctx.jurisdiction, today, soon_until))
    report.deadlines = sort_deadlines(report.deadlines)
    return report
