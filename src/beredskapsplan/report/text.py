"""A report as Markdown, JSON or CSV (one plan, or the overview of many)."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterable, Iterator, TextIO

from ..due.output import safe_cell
from ..i18n import Translator, _
from . import words
from .model import PlanReport, STATUSES
from .run import Overview

_MD_SPECIAL = {ord(c): "\\" + c for c in "\\`*_[]<>|#~^&$"}


def md(text: str | None) -> str:
    """Plain text as Markdown that reads back as that text, on one line."""
    return " ".join((text or "").split()).translate(_MD_SPECIAL)


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cells) + " |" for cells in rows]
    return out + [""]


def _evidence_cell(items, br: str = "<br>") -> str:
    return br.join(f"{md(e.text)} — `{e.where}`" for e in items) or "—"


def plan_markdown(report: PlanReport, tr: Translator, br: str = "<br>") -> str:
    """`br` joins the lines of one table cell (a line break in a Markdown viewer)."""
    lines = [f"# {md(tr(words.audit_title(report.name)))}", "",
             md(tr(_("{title} · as of {today} · rule set: {rules} · {path}",
                     title=report.title, today=words.day(tr, report.today),
                     rules=report.jurisdiction_title or "—", path=report.path))), ""]
    for warning in words.warnings(report):
        lines += [f"> **{md(tr(warning))}**", ""]
    counts = report.counts()
    lines += [md(tr(_("Duties: {met} met, {not_met} not met, {not_recorded} not recorded.",
                      met=counts["met"], not_met=counts["not-met"],
                      not_recorded=counts["not-recorded"]))), ""]
    lines += [f"## {md(tr(words.DUTIES))}", ""]
    rows = []
    for duty in report.duties:
        source = md(duty.citation) + f" ({md(tr(words.BASIS_WORDS.get(duty.basis, duty.basis)))})"
        if duty.wording:
            note = "" if duty.wording_checked else f" ({tr(words.UNCHECKED)})"
            source += br + md(f"«{duty.wording}»{note}")
        state = f"{words.STATUS_MARKS[duty.status]} **{md(words.status(tr, duty.status))}**"
        rows.append([md(duty.title), source, state + br + md(duty.summary),
                     _evidence_cell(duty.evidence, br)])
    lines += _table([md(tr(words.DUTY)), md(tr(_("Legal source"))), md(tr(words.STATUS)),
                     md(tr(_("Evidence")))], rows)
    lines += [f"## {md(tr(words.DOCUMENTS))}", ""]
    rows = []
    for doc in report.documents:
        kind = tr(words.KIND_WORDS[doc.kind])
        if doc.statutory:
            kind = tr(_("{kind} (statutory: {type})", kind=kind, type=doc.statutory))
        dated = words.day(tr, doc.date) if doc.date else f"**{md(tr(words.UNDATED))}**"
        following = words.day(tr, doc.next_revision) if doc.next_revision else ""
        if doc.next_status in ("overdue", "never"):
            following = f"**{md(tr(words.DEADLINE_WORDS[doc.next_status]))}** {following}"
        following = following.strip() or "—"
        rows.append([md(doc.title), md(kind), dated, md(doc.owner or tr(_("not recorded"))),
                     following, f"`{doc.path}:{doc.line}`"])
    lines += _table([md(tr(_("Document"))), md(tr(_("Kind"))), md(tr(_("Dated"))),
                     md(tr(_("Owner"))), md(tr(_("Next revision"))), md(tr(_("Source")))], rows)
    if report.survey is not None:
        lines += [f"## {md(tr(words.SURVEY))}", "",
                  md(tr(words.SURVEY_INTRO)), ""]
        rows = [[md(a.question), md(a.text), _evidence_cell(a.evidence, br)]
                for a in report.survey if a.answerable]
        lines += _table([md(tr(_("Question"))), md(tr(_("Answer"))), md(tr(_("Evidence")))], rows)
        cannot = [a for a in report.survey if not a.answerable]
        if cannot:
            lines += [f"### {md(tr(words.CANNOT_ANSWER))}", ""]
            lines += [f"- {md(a.question)} {md(a.text)}" for a in cannot] + [""]
    lines += [f"## {md(tr(words.ABOUT))}", "",
              md(tr(words.about(words.day(tr, report.today)))), ""]
    unchecked = [d.citation for d in report.duties if d.wording and not d.wording_checked]
    if unchecked:
        lines += [md(tr(_("Not checked against the official text: {citations}.",
                          citations=sorted(set(unchecked))))), ""]
    return "\n".join(lines)


def joined(pieces: Iterable[str], separator: str = "\n") -> Iterator[str]:
    """`separator.join(pieces)`, a piece at a time."""
    first = True
    for piece in pieces:
        yield piece if first else separator + piece
        first = False


def overview_markdown(overview: Overview, tr: Translator) -> str:
    return "".join(overview_markdown_parts(overview, tr))


def overview_markdown_parts(overview: Overview, tr: Translator) -> Iterator[str]:
    """The overview as Markdown, written as it goes: one row per plan."""
    columns = overview.columns
    counts = overview.counts()
    head = [f"# {md(tr(words.overview_title(len(overview.reports))))}", "",
            md(tr(_("As of {today}. Duties: {met} met, {not_met} not met, {not_recorded} not "
                    "recorded.", today=tr.date(overview.today), met=counts["met"],
                    not_met=counts["not-met"], not_recorded=counts["not-recorded"]))), ""]

    def lines() -> Iterator[str]:
        yield from head
        yield from _table([md(tr(words.MUNICIPALITY)),
                           *(md(words.column(tr, c)) for c in columns)], [])[:2]
        for report in overview.reports:
            cells = []
            for key in columns:
                found = report.column_status(key)
                cells.append(f"{words.STATUS_MARKS[found]} {md(words.status(tr, found))}"
                             if found else "—")
            yield "| " + " | ".join([md(report.name), *cells]) + " |"
        yield ""

    return joined(lines())


def plan_json(report: PlanReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


def overview_json(overview: Overview, tr: Translator) -> str:
    return "".join(overview_json_parts(overview, tr))


def overview_json_parts(overview: Overview, tr: Translator) -> Iterator[str]:
    """The overview as JSON (as `json.dumps(..., indent=2)` writes it), one plan at a time."""
    columns = overview.columns
    head = {
        "today": overview.today.isoformat(),
        "plans": len(overview.reports),
        "counts": overview.counts(),
        "columns": [{"id": c, "label": words.column(tr, c),
                     "counts": {s: overview.column_counts[c, s] for s in STATUSES}}
                    for c in columns],
    }
    text = json.dumps(head, ensure_ascii=False, indent=2)
    yield text[:-2] + ',\n  "reports": '  # the object without its closing "\n}"
    started = False
    for report in overview.reports:
        # a plan's object, one level deeper: JSON text has no line break inside a string
        yield ("[\n    " if not started else ",\n    ") + json.dumps(
            report.as_dict(), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        started = True
    yield "\n  ]\n}\n" if started else "[]\n}\n"


CSV_FIELDS = ("plan", "plan_id", "country", "jurisdiction", "duty", "column", "citation", "basis",
              "status", "summary", "due", "evidence", "where", "plan_path")


def csv_rows(reports: Iterable[PlanReport]):
    for report in reports:
        if not report.duties:
            yield {"plan": report.name, "plan_id": report.plan_id, "country": report.country,
                   "jurisdiction": report.jurisdiction or "", "duty": "", "column": "",
                   "citation": "", "basis": "", "status": "not-recorded",
                   "summary": report.unreadable or "", "due": "", "evidence": "", "where": "",
                   "plan_path": report.path}
        for duty in report.duties:
            first = duty.evidence[0] if duty.evidence else None
            yield {"plan": report.name, "plan_id": report.plan_id, "country": report.country,
                   "jurisdiction": report.jurisdiction or "", "duty": duty.id,
                   "column": duty.column, "citation": duty.citation, "basis": duty.basis,
                   "status": duty.status, "summary": duty.summary, "due": duty.due or "",
                   "evidence": " | ".join(e.text for e in duty.evidence),
                   "where": " | ".join(e.where for e in duty.evidence) if first else "",
                   "plan_path": report.path}


def as_csv(reports) -> str:
    out = io.StringIO()
    write_csv(reports, out)
    return out.getvalue()


def write_csv(reports, out: TextIO) -> None:
    for _done in csv_writer(out)(reports):
        pass


def csv_writer(out: TextIO):
    """A function of the reports that writes their CSV to `out`, yielding after the
    header and after each plan's rows (so a caller can pass them on as they come)."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")

    def write(reports) -> Iterator[None]:
        writer.writeheader()
        yield None
        for report in reports:
            for row in csv_rows([report]):
                # a cell starting with = + - @ (or a tab or CR) is a formula to a spreadsheet
                writer.writerow({k: safe_cell(v) for k, v in row.items()})
            yield None

    return write
