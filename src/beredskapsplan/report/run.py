"""Making the reports: one plan, or many over every core (the machinery of `due`).

Each plan is read once, checked with the rules whose errors can move a
deadline (as `due` does), and its deadlines computed by `due.compute`; the
duties, the documents table and the survey answers are made from those, in
the reader's language, in the process that read the plan.
"""
from __future__ import annotations

import itertools
import os
import pickle
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

from ..check import PLAN_SCOPES, Options, plan_context, run_rules
from ..documents import FORMAT_VERSION, readable
from ..due.compute import deadlines_for_plan
from ..due.run import deadline_error_rules
from ..i18n import _, translator
from ..parallel import ordered_results
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


# reports held in memory; beyond that they wait in a temporary file, a batch at a time,
# so an overview of every municipality in the country needs no more memory than a county's
BATCH_REPORTS = 64


class Reports:
    """Every plan's report, in the order found, to be read as often as the writers need.

    A batch of reports is kept in memory; each full batch is pickled to a temporary
    file and read back one batch at a time, so reading holds at most two batches."""

    def __init__(self, batch: int | None = None):
        self.batch = batch or BATCH_REPORTS
        self._held: list[PlanReport] = []
        self._file = None
        self._spilled: list[tuple[int, int]] = []  # (offset, length) of each batch
        self._count = 0

    def append(self, report: PlanReport) -> None:
        self._held.append(report)
        self._count += 1
        if len(self._held) >= self.batch:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="beredskap-report-")
            data = pickle.dumps(self._held, protocol=pickle.HIGHEST_PROTOCOL)
            offset = self._file.seek(0, os.SEEK_END)
            self._file.write(data)
            self._spilled.append((offset, len(data)))
            self._held = []

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[PlanReport]:
        for offset, length in list(self._spilled):
            # read whole before anything is yielded: two readers at once never mix
            self._file.seek(offset)
            batch = pickle.loads(self._file.read(length))
            yield from batch
            del batch
        yield from list(self._held)

    def __getitem__(self, index: int) -> PlanReport:
        if not 0 <= index < self._count:
            raise IndexError(index)
        return next(itertools.islice(iter(self), index, None))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


@dataclass
class Overview:
    """Every report, and what the overview says of them all, gathered as they arrive
    (so the overview can be written reading the reports only as it writes them)."""

    today: date
    reports: Reports = field(default_factory=Reports)
    skipped: list[str] = field(default_factory=list)  # single annex files: no duties alone
    totals: dict[str, int] = field(default_factory=lambda: {s: 0 for s in STATUSES})
    # (column, status) -> plans whose worst duty in that column has that status
    column_counts: Counter = field(default_factory=Counter)
    # column -> country -> the law its duty rests on there
    laws: dict[str, dict[str, str]] = field(default_factory=dict)
    countries: set[str] = field(default_factory=set)
    # (path, why plan.yaml cannot be read, validation errors) of plans with either
    troubled: list[tuple[str, str | None, int]] = field(default_factory=list)
    _plans: dict = field(default_factory=dict)  # jurisdiction -> plans
    _first_columns: dict = field(default_factory=dict)  # jurisdiction -> its first plan's columns

    @property
    def citations(self) -> dict[str, str]:
        """The law of each column; a column two countries share (the health plan) rests on
        each country's own law, so both are named, each with its country."""
        return {column: next(iter(laws.values())) if len(laws) == 1
                else " · ".join(f"{law} ({country})" if country else law
                                for country, law in sorted(laws.items()))
                for column, laws in self.laws.items()}

    def add(self, report: PlanReport) -> None:
        self.reports.append(report)
        for status, n in report.counts().items():
            self.totals[status] += n
        columns: dict[str, None] = {}
        for duty in report.duties:
            columns.setdefault(duty.column, None)
            self.laws.setdefault(duty.column, {}).setdefault(report.country or "",
                                                             duty.citation)
        for column in columns:
            self.column_counts[column, report.column_status(column)] += 1
        if report.country:
            self.countries.add(report.country)
        if report.unreadable or report.errors:
            self.troubled.append((report.path, report.unreadable, report.errors))
        self._plans[report.jurisdiction] = self._plans.get(report.jurisdiction, 0) + 1
        if report.duties and report.jurisdiction not in self._first_columns:
            self._first_columns[report.jurisdiction] = list(columns)

    @property
    def columns(self) -> list[str]:
        """The overview's columns, in the order their jurisdictions list them; the
        jurisdiction with the most plans first."""
        seen: dict[str, None] = {}
        for jurisdiction in sorted(self._plans, key=lambda j: (-self._plans[j], j or "")):
            for column in self._first_columns.get(jurisdiction, ()):
                seen.setdefault(column, None)
        return list(seen)

    def counts(self) -> dict[str, int]:
        return dict(self.totals)


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
            configs=None, progress=None) -> Overview:
    """The reports of every plan found, in the order found. `configs` (a
    config.ConfigLookup) gives each plan the rule settings of its own repository;
    `progress(n)` is called as the n-th report arrives."""
    overview = Overview(today=today)
    overview.skipped = [str(t.path) for t in targets if t.kind != "plan"]

    def options_for(target: Target) -> Options:
        severities = configs.for_path(target.path).severities if configs is not None else {}
        return Options(today=today, select=deadline_error_rules(severities),
                       severities=severities, language=language)

    jobs = [(t.path, options_for(t)) for t in targets if t.kind == "plan"]
    for report in ordered_results(_plan_task, jobs, progress=progress):
        overview.add(report)
    return overview

