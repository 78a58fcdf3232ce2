"""Deadlines for every plan found: the engine behind `beredskap due`."""
from __future__ import annotations

import heapq
import pickle
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Iterator

from ..check import PLAN_SCOPES, Options, plan_context, run_rules
from ..dates import add
from ..documents import FORMAT_VERSION, display_path, readable
from ..i18n import current
from ..parallel import ordered_results
from ..project import Target
from ..rules import RULES
from .compute import Deadline, deadline_order, deadlines_for_plan, sort_deadlines

# rows held in memory before a sorted run of them goes to a temporary file: a national
# run (hundreds of thousands of rows) then needs no more memory than a county's
SPILL_ROWS = 20_000
# rows pickled together in a run: each batch is read back on its own, so reading the
# runs holds a batch of each, never a whole run (one pickle stream for a whole run
# would remember every row it has read until its end)
BATCH_ROWS = 256


class SortedRows:
    """Deadlines in `due`'s order, gathered plan by plan and read once, in order.

    Up to SPILL_ROWS rows are kept in memory; beyond that each batch is sorted and
    written to a temporary file, and reading merges the batches. The status counts,
    the first upcoming deadline and "does any row have status X" are kept on the way
    in, since the rows themselves can be read only once."""

    def __init__(self, limit: int | None = None):
        self.limit = limit or SPILL_ROWS
        self.buffer: list[Deadline] = []
        self.runs: list = []  # temporary files, each a sorted batch of pickled rows
        self.counts: Counter = Counter()
        self.first_upcoming: Deadline | None = None
        self._read = False

    def add(self, rows: Iterable[Deadline]) -> None:
        for row in rows:
            self.counts[row.status] += 1
            if row.status in ("soon", "ok") and (
                    self.first_upcoming is None
                    or deadline_order(row) < deadline_order(self.first_upcoming)):
                self.first_upcoming = row
            self.buffer.append(row)
        if len(self.buffer) >= self.limit:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile(prefix="beredskap-due-")
        rows = sort_deadlines(self.buffer)
        for start in range(0, len(rows), BATCH_ROWS):
            pickle.dump([tuple(row) for row in rows[start:start + BATCH_ROWS]], run,
                        protocol=pickle.HIGHEST_PROTOCOL)
        run.seek(0)
        self.runs.append(run)
        self.buffer = []

    @staticmethod
    def _read_run(run) -> Iterator[Deadline]:
        try:
            while True:
                batch = pickle.load(run)
                yield from map(Deadline._make, batch)
        except EOFError:
            run.close()

    def __iter__(self) -> Iterator[Deadline]:
        if self._read:
            raise RuntimeError("the deadlines can be read once")
        self._read = True
        batches = [sort_deadlines(self.buffer), *(self._read_run(r) for r in self.runs)]
        self.buffer = []
        if len(batches) == 1:
            return iter(batches[0])
        return heapq.merge(*batches, key=deadline_order)

    def __len__(self) -> int:
        return sum(self.counts.values())


@dataclass
class DueReport:
    # every deadline, in order; read once (see SortedRows)
    deadlines: SortedRows = field(default_factory=SortedRows)
    # plans with errors that bear on deadlines: theirs come from what could be read
    broken: dict[str, int] = field(default_factory=dict)
    # plans whose plan.yaml cannot be read at all: (line, column, why); they have no deadlines
    unreadable: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # single files: no deadlines alone


# The errors that can make deadlines wrong or incomplete, which `due` warns about:
# a file not read as the format says, an annex not found, a reference or id that
# does not resolve to one responsible, dates out of order. Phones, deputies,
# markings and the like do not move a deadline; they are `validate`'s business.
DEADLINE_RULES = ("yaml-syntax", "duplicate-key", "schema", "missing-file", "unsafe-path",
                  "unknown-ref", "wrong-ref-kind", "duplicate-id", "date-order")


def deadline_error_rules(severities: dict[str, str]) -> set[str]:
    """Of DEADLINE_RULES, those that report errors under a repository's settings."""
    return {rule for rule in DEADLINE_RULES
            if severities.get(rule, RULES[rule].SEVERITY) == "error"}


def _plan_task(job: tuple) -> tuple[str, int, tuple | None, list[tuple]]:
    """One plan's deadlines, its number of errors that bear on them, and why its
    plan.yaml cannot be read (None when it can)."""
    folder, options, soon_until, encode, language, group_checks = job
    # unused files move no deadline: not looked for
    ctx = plan_context(folder, options.today, strays=False)
    document = ctx.plan.document
    errors = [f for f in run_rules(ctx, options, PLAN_SCOPES) if f.severity == "error"]
    unreadable = None
    if not readable(document):
        first = next((f for f in errors if f.path == document.display), None)
        unreadable = ((first.line, first.column, first.message) if first else
                      (1, 1, f"not a plan in format {FORMAT_VERSION}"))
    rows = deadlines_for_plan(ctx.plan, ctx.jurisdiction, options.today, soon_until, language,
                              group_checks)
    # as plain tuples: they cross from a worker process about twice as quickly; the
    # JSON is written here, in parallel, rather than in the main process
    plain = ([(*row[:-1], encode(row)) for row in rows] if encode is not None
             else [tuple(row) for row in rows])
    return document.display, len(errors), unreadable, plain


def collect(targets: list[Target], today: date, soon_within, configs=None,
            encode=None, language: str = "en", group_checks: bool = False,
            progress=None) -> DueReport:
    """Every plan's deadlines. `configs` (a config.ConfigLookup) gives each plan the rule
    settings of its own repository, so an error counted is one `validate` reports.
    `encode` (a module-level function of a row, or a partial of one) fills each row's
    `encoded`. Texts are written in `language`; `group_checks` gives one contact check
    per annex file (for people reading the list) instead of one per entry.
    `progress(n)` is called as the n-th plan's deadlines arrive."""
    report = DueReport()
    soon_until = add(today, soon_within)
    report.skipped = [str(t.path) for t in targets if t.kind == "file"]
    for t in targets:  # folders that hold plans but cannot be read: their deadlines are unknown
        if t.kind == "problem":
            report.unreadable[display_path(t.path)] = (1, 1, current()(t.problem))

    def options_for(target: Target) -> Options:
        severities = configs.for_path(target.path).severities if configs is not None else {}
        return Options(today=today, select=deadline_error_rules(severities),
                       severities=severities)

    jobs = [(t.path, options_for(t), soon_until, encode, language, group_checks)
            for t in targets if t.kind == "plan"]
    for display, errors, unreadable, deadlines in ordered_results(_plan_task, jobs,
                                                                     progress=progress):
        if unreadable:
            report.unreadable[display] = unreadable
        elif errors:
            report.broken[display] = errors
        report.deadlines.add(map(Deadline._make, deadlines))
    return report
