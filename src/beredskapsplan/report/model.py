"""What a report holds: plain data, already written in the reader's language.

A report is made in the process that read the plan (a worker, for many plans)
and sent to the main process, which only writes it out; so everything here is
plain text, numbers and ISO dates. `as_dict` is the JSON form: its keys and
status values are the same in every language.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

MET, NOT_MET, NOT_RECORDED = "met", "not-met", "not-recorded"
STATUSES = (MET, NOT_MET, NOT_RECORDED)
# worst first: a group of rows (the overview's column) takes its worst status
SEVERITY = {NOT_MET: 0, NOT_RECORDED: 1, MET: 2}


def worst(statuses) -> str:
    return min(statuses, key=SEVERITY.__getitem__, default=NOT_RECORDED)


@dataclass
class Evidence:
    """One fact behind a status: what it says, and the line of the file it comes from."""

    text: str
    path: str
    line: int
    date: str | None = None  # ISO, when the fact is a date

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class DutyRow:
    id: str
    column: str  # the overview's column
    title: str  # the duty in words
    citation: str  # law and paragraph
    basis: str  # law | guidance
    wording: str | None  # a quote of the paragraph, where one was found
    wording_checked: bool  # that quote was compared with the official text
    status: str  # met | not-met | not-recorded
    summary: str  # why, in one sentence
    evidence: list[Evidence] = field(default_factory=list)
    due: str | None = None  # the next deadline behind the status (ISO), when there is one
    rule: str | None = None  # where that deadline's interval comes from, as `due` says


@dataclass
class DocumentRow:
    kind: str  # plan | risk-analysis | sub-plan
    title: str
    date: str | None  # last revised / adopted (ISO)
    owner: str | None
    next_revision: str | None  # ISO
    next_status: str | None  # as `due` says: never | overdue | soon | ok
    undated: bool
    statutory: str | None
    location: str | None
    path: str
    line: int


@dataclass
class SurveyAnswer:
    id: str
    question: str
    answerable: bool
    answer: str | None  # yes | no | not-recorded | a date (ISO); None when not answerable
    text: str  # the answer in words, or why the data cannot answer
    evidence: list[Evidence] = field(default_factory=list)
    seen_in: str = ""  # where the question was seen in DSB's published material


@dataclass
class Upcoming:
    """A deadline behind a duty, for the overview's timeline."""

    column: str
    due: str  # ISO
    status: str  # overdue | soon | ok


@dataclass
class PlanReport:
    name: str  # the municipality
    plan_id: str
    title: str
    path: str  # plan.yaml, as displayed
    country: str
    jurisdiction: str | None
    jurisdiction_title: str
    today: str
    errors: int = 0  # validation errors that can make the statuses wrong
    unreadable: str | None = None  # why plan.yaml cannot be read
    duties: list[DutyRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    survey: list[SurveyAnswer] | None = None
    upcoming: list[Upcoming] = field(default_factory=list)
    last_revision: str | None = None
    last_exercise: str | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        for row, duty in zip(data["duties"], self.duties):
            for item, evidence in zip(row["evidence"], duty.evidence):
                item["where"] = evidence.where
        for answer, source in zip(data["survey"] or [], self.survey or []):
            for item, evidence in zip(answer["evidence"], source.evidence):
                item["where"] = evidence.where
        return data

    def counts(self) -> dict[str, int]:
        found = {status: 0 for status in STATUSES}
        for duty in self.duties:
            found[duty.status] += 1
        return found

    def column_status(self, column: str) -> str | None:
        """The worst status of the rows in one overview column; None when the plan's
        jurisdiction has no such duty."""
        statuses = [d.status for d in self.duties if d.column == column]
        return worst(statuses) if statuses else None
