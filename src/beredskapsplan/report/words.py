"""The report's own words: statuses, columns, headings (in the reader's language)."""
from __future__ import annotations

from datetime import date

from ..i18n import Translator, _

STATUS_WORDS = {"met": _("met"), "not-met": _("not met"), "not-recorded": _("not recorded")}
# the marks beside a status, so that it never rests on colour alone
STATUS_MARKS = {"met": "✓", "not-met": "✗", "not-recorded": "?"}
BASIS_WORDS = {"law": _("law"), "guidance": _("guidance, not law")}
DEADLINE_WORDS = {"never": _("never done"), "overdue": _("overdue"), "soon": _("soon"),
                  "ok": _("ok")}
KIND_WORDS = {"plan": _("Emergency plan"), "risk-analysis": _("Risk and vulnerability analysis"),
              "sub-plan": _("Sub-plan")}

# the overview's columns (a jurisdiction's `column` keys)
COLUMNS = {
    "risk-basis": _("ROS"),
    "content": _("Minimum content"),
    "revise": _("Yearly revision"),
    "exercise": _("Exercise"),
    "evaluate": _("Evaluation"),
    "documentation": _("Documentation"),
    "subplan-health": _("Health plan"),
    "approve": _("Council adoption"),
    "submit": _("Submission"),
    "guidance": _("Guidance topics"),
}


def status(tr: Translator, key: str) -> str:
    return tr(STATUS_WORDS[key])


def column(tr: Translator, key: str) -> str:
    label = COLUMNS.get(key)
    return tr(label) if label else key


def day(tr: Translator, iso: str | None) -> str:
    return tr.date(date.fromisoformat(iso)) if iso else ""


SURVEY_INTRO = _("The questions of DSB's yearly survey that the plan's data can answer, each with "
                 "its evidence.")


def about(today: str):
    return _("Statuses are as of {today}, from the same deadlines as `beredskap due` and the same "
             "checks as `beredskap validate`. Paragraph wording marked as not checked was taken "
             "from public copies, not compared with the official text.", today=today)


def warnings(report) -> list:
    """What the reader must know before trusting the statuses of one plan."""
    from ..i18n import _n

    out = []
    if report.unreadable:
        out.append(_("The plan cannot be read, so no duty can be judged: {why}",
                     why=report.unreadable))
    elif report.jurisdiction is None:
        out.append(_("The plan names no known rule set (`jurisdiction:` or "
                     "`organization.country`), so it has no duties to report."))
    if report.errors and not report.unreadable:
        out.append(_n("The plan has {n} validation error that can make these statuses wrong or "
                      "incomplete; see `beredskap validate`.",
                      "The plan has {n} validation errors that can make these statuses wrong or "
                      "incomplete; see `beredskap validate`.", report.errors))
    return out


# headings and labels (kept here, outside the f-strings that print them, where the
# message extractor can see them)
DUTIES = _("Duties")
DOCUMENTS = _("Documents")
UNDATED = _("undated")
SURVEY = _("Kommuneundersøkelsen (DSB)")
CANNOT_ANSWER = _("Questions the plan cannot answer")
ABOUT = _("About the sources")
COUNTS = _("Counts")
MATRIX = _("Municipalities and duties")
MUNICIPALITY = _("Municipality")
COUNTRY = _("Country")
ALL = _("all")
DUTY = _("Duty")
ANY_DUTY = _("any duty")
STATUS = _("Status")
ANY_STATUS = _("any status")
CANNOT_READ = _("cannot be read")
TIMELINE = _("Deadlines: overdue, and due in the next twelve months")
AGES = _("Age of the last revision and the last exercise")
UNCHECKED = _("wording not checked against the official text")
X_REVISION = _("years since the last revision")
Y_EXERCISE = _("years since the last exercise")
AGES_NOTE = _("Each mark is one plan: circles Norwegian, squares Danish. The dashed lines are the "
              "yearly revision (forskrift om kommunal beredskapsplikt § 6, Norway) and the "
              "exercise every second year (§ 7; a recommendation in Denmark). Plans never revised "
              "or exercised are drawn at the edge.")


def as_of(today):
    return _("as of {today}", today=today)


def audit_title(name: str):
    return _("Audit report: {name}", name=name)


def overview_title(n: int):
    from ..i18n import _n
    return _n("Overview of {n} emergency plan", "Overview of {n} emergency plans", n)


def timeline_note(today):
    return _("The deadlines behind the duties, counted by the month they fall due; the first "
             "bar, framed in red, is everything already overdue on {today} (the dashed line).",
             today=today)
