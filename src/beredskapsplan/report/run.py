"""Making the reports: one plan, or many over every core (the machinery of `due`).

Each plan is read once, checked with the rules whose errors can move a
deadline (as `due` does), and its deadlines computed by `due.compute`; the
duties, the documents table and the survey answers are made from those, in
the reader's language, in the process that read the plan.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..check import PLAN_SCOPES, Options, plan_context, run_rules
from ..documents import FORMAT_VERSION, readable
from ..due.compute import deadlines_for_plan
from ..due.run import deadline_error_rules
from ..i18n import _, translator
from ..parallel import ordered_map
from ..project import Target
from ..rules.required_content import missing_topics
from .documents import documents
from .duties import Judge
from .model import STATUSES, PlanReport, Upcoming
from .survey import answers

# `due` rows behind the duties, by the duty whose overview column their timeline bars
# go to (sub-plan reviews: the column of the duty naming their `statutory` type)
TIMELINE = {"revise": "revise", "exercise": "exercise", "approve": "approve",
            "submit": "submit", "evaluate": "evaluate", "risk-review": "risk-basis"}
# soon = within a month, as `due` says by default; the report's statuses do not use it
SOON = timedelta(days=31)


@dataclass
class Overview:
    today: date
    reports: list[PlanReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # single annex files: no duties alone

    @property
    def columns(self) -> list[str]:
        """The overview's columns, in the order their jurisdictions list them; the
        jurisdiction with the most plans first."""
        plans: dict[str | None, int] = {}
        for report in self.reports:
            plans[report.jurisdiction] = plans.get(report.jurisdiction, 0) + 1
        seen: dict[str, None] = {}
        for jurisdiction in sorted(plans, key=lambda j: (-plans[j], j or "")):
            for report in self.reports:
                if report.jurisdiction == jurisdiction and report.duties:
                    for duty in report.duties:
                        seen.setdefault(duty.column, None)
                    break
        return list(seen)

    def counts(self) -> dict[str, int]:
        total = {s: 0 for s in STATUSES}
        for report in self.reports:
            for status, n in report.counts().items():
                total[status] += n
        return total


def plan_report(folder: Path, today: date, language: str = "en",
                severities: dict | None = None) -> PlanReport:
    """The report of one plan folder: every duty, the documents, the survey answers."""
    options = Options(today=today, select=deadline_error_rules(severities or {}),
                      severities=severities or {}, language=language)
    return _plan_task((folder, options))


def _plan_task(job: tuple) -> PlanReport:
    folder, options = job
    tr = translator(options.language)
    ctx = plan_context(folder, options.today, strays=False)
    plan, jurisdiction = ctx.plan, ctx.jurisdiction
    document = plan.document
    errors = [f for f in run_rules(ctx, options, PLAN_SCOPES) if f.severity == "error"]
    report = PlanReport(
        name=plan.organization.name or plan.title or plan.id or folder.name,
        plan_id=plan.id or folder.name, title=plan.title or plan.id or folder.name,
        path=document.display, country=(plan.organization.country or "").upper(),
        jurisdiction=jurisdiction.id if jurisdiction else None,
        jurisdiction_title=jurisdiction.title if jurisdiction else "",
        today=options.today.isoformat(), errors=len(errors))
    if not readable(document):
        first = next((f for f in errors if f.path == document.display), None)
        report.unreadable = (f"{first.path}:{first.line}:{first.column}: {first.message}"
                             if first else tr(_("not a plan in format {version}",
                                                version=FORMAT_VERSION)))
        return report
    if jurisdiction is None:
        return report
    deadlines = deadlines_for_plan(plan, jurisdiction, options.today, options.today + SOON,
                                   options.language)
    judge = Judge(plan, jurisdiction, deadlines, missing_topics(ctx), tr)
    report.duties = [judge.judge(duty) for duty in jurisdiction.duties]
    report.documents = documents(plan, deadlines)
    report.survey = answers(judge, report.duties, options.today, tr)
    columns = {d.id: d.column for d in jurisdiction.duties}
    by_type = {d.data.get("statutory"): d.column for d in jurisdiction.duties
               if d.check == "subplan"}
    statutory = {f"subplan-{s.id}": by_type[s.statutory] for s in plan.subplans
                 if s.statutory in by_type}
    for row in deadlines:
        if row.status == "never":
            continue
        column = (statutory.get(row.subject_id) if row.what == "subplan-review"
                  else columns.get(TIMELINE.get(row.what, "")))
        if column is not None:
            report.upcoming.append(Upcoming(column, row.due.isoformat(), row.status))
    found = judge.last_revision()
    report.last_revision = found[0].isoformat() if found else None
    exercises = [e.date for e in plan.exercises if e.date]
    report.last_exercise = max(exercises).isoformat() if exercises else None
    return report


def collect(targets: list[Target], today: date, language: str = "en",
            configs=None) -> Overview:
    """The reports of every plan found, in the order found. `configs` (a
    config.ConfigLookup) gives each plan the rule settings of its own repository."""
    overview = Overview(today=today)
    overview.skipped = [str(t.path) for t in targets if t.kind != "plan"]

    def options_for(target: Target) -> Options:
        severities = configs.for_path(target.path).severities if configs is not None else {}
        return Options(today=today, select=deadline_error_rules(severities),
                       severities=severities, language=language)

    jobs = [(t.path, options_for(t)) for t in targets if t.kind == "plan"]
    overview.reports = ordered_map(_plan_task, jobs)
    return overview

