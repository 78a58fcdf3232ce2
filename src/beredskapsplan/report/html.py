"""A report as one self-contained HTML file.

Nothing is loaded from anywhere: the style and the overview's script are
inline, allowed by their SHA-256 hashes in a strict Content-Security-Policy
(no other script, style, font, image, frame or connection); the charts are
inline SVG. Every value from a plan is escaped.
"""
from __future__ import annotations

import base64
import hashlib
from html import escape
from pathlib import Path
from typing import Iterable, Iterator

from ..i18n import Translator, _, _n
from . import charts, text, words
from .model import STATUSES, DutyRow, Evidence, PlanReport
from .run import Overview

ASSETS = Path(__file__).parent / "assets"


def _asset(name: str) -> str:
    return (ASSETS / name).read_text("utf-8")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def page(title: str, language: str, body: str, script: str | None = None) -> str:
    return "".join(page_parts(title, language, [body], script))


def page_parts(title: str, language: str, body: Iterable[str],
               script: str | None = None) -> Iterator[str]:
    """The page, a piece at a time; `body` is given in pieces too."""
    css = _asset("report.css")
    policy = (f"default-src 'none'; style-src {_hash(css)}; "
              f"script-src {_hash(script) if script else chr(39) + 'none' + chr(39)}; "
              "img-src 'none'; base-uri 'none'; form-action 'none'")
    yield ("<!doctype html>\n"
           f'<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
           f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           '<meta name="referrer" content="no-referrer">\n'
           f"<title>{escape(title)}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n")
    yield from body
    yield ("\n</main>\n" + (f"<script>{script}</script>\n" if script else "")
           + "</body>\n</html>\n")


def status_badge(tr: Translator, key: str | None) -> str:
    if key is None:
        return '<span class="status status-none">—</span>'
    return (f'<span class="status status-{key}">{words.STATUS_MARKS[key]} '
            f"{escape(words.status(tr, key))}</span>")


def _evidence(items: list[Evidence]) -> str:
    if not items:
        return "—"
    return '<ul class="evidence">' + "".join(
        f'<li>{escape(e.text)} — <span class="where">{escape(e.where)}</span></li>'
        for e in items) + "</ul>"


def _warnings(report: PlanReport, tr: Translator) -> str:
    return "".join(f'<p class="warning" role="alert">{escape(tr(w))}</p>'
                   for w in words.warnings(report))


def _counts(tr: Translator, counts: dict[str, int]) -> str:
    return '<ul class="counts">' + "".join(
        f'<li><strong>{counts[s]}</strong> {status_badge(tr, s)}</li>' for s in STATUSES) + "</ul>"


def _duty_row(tr: Translator, duty: DutyRow, labels: dict[str, str]) -> str:
    basis = tr(words.BASIS_WORDS.get(duty.basis, duty.basis))
    checked = ""
    if duty.wording:
        note = "" if duty.wording_checked else f" ({tr(words.UNCHECKED)})"
        checked = f'<br><span class="small">«{escape(duty.wording)}»{escape(note)}</span>'
    return (f'<tr id="duty-{escape(duty.id)}"><td>{escape(duty.title)}</td>'
            f'<td data-label="{labels["source"]}">{escape(duty.citation)}'
            f'<br><span class="small">{escape(basis)}</span>{checked}</td>'
            f'<td data-label="{labels["status"]}">{status_badge(tr, duty.status)}'
            f'<br>{escape(duty.summary)}</td>'
            f'<td data-label="{labels["evidence"]}">{_evidence(duty.evidence)}</td></tr>')


def plan_html(report: PlanReport, tr: Translator) -> str:
    labels = {k: escape(tr(v)) for k, v in (("duty", words.DUTY), ("source", _("Legal source")),
                                            ("status", words.STATUS), ("evidence", _("Evidence")))}
    heading = tr(_("Audit report: {name}", name=report.name))
    parts = [f"<h1>{escape(heading)}</h1>",
             f'<p class="meta">{escape(report.title)} · '
             f'{escape(tr(words.as_of(words.day(tr, report.today))))} · '
             f'{escape(report.jurisdiction_title or "—")} · '
             f'<span class="where">{escape(report.path)}</span></p>',
             _warnings(report, tr), _counts(tr, report.counts()),
             f"<h2>{escape(tr(words.DUTIES))}</h2>",
             '<table class="cards"><thead><tr>'
             f'<th>{labels["duty"]}</th><th>{labels["source"]}</th><th>{labels["status"]}</th>'
             f'<th>{labels["evidence"]}</th></tr></thead><tbody>',
             *(_duty_row(tr, d, labels) for d in report.duties), "</tbody></table>",
             f"<h2>{escape(tr(words.DOCUMENTS))}</h2>"]
    head = [tr(_("Document")), tr(_("Kind")), tr(_("Dated")), tr(_("Owner")),
            tr(_("Next revision")), tr(_("Source"))]
    parts.append('<table class="cards"><thead><tr>' + "".join(
        f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>")
    for doc in report.documents:
        kind = tr(words.KIND_WORDS[doc.kind])
        if doc.statutory:
            kind = tr(_("{kind} (statutory: {type})", kind=kind, type=doc.statutory))
        dated = (escape(words.day(tr, doc.date)) if doc.date
                 else f'<span class="undated">⚠ {escape(tr(words.UNDATED))}</span>')
        following = escape(words.day(tr, doc.next_revision)) if doc.next_revision else ""
        if doc.next_status in ("overdue", "never"):
            following = (f'<span class="status status-not-met">'
                         f'{escape(tr(words.DEADLINE_WORDS[doc.next_status]))}</span> {following}')
        location = (f'<br><span class="small">{escape(doc.location)}</span>'
                    if doc.location else "")
        cells = [f"{escape(doc.title)}{location}", escape(kind), dated,
                 escape(doc.owner or tr(_("not recorded"))), following.strip() or "—",
                 f'<span class="where">{escape(doc.path)}:{doc.line}</span>']
        parts.append("<tr>" + "".join(
            (f"<td>{c}</td>" if i == 0 else f'<td data-label="{escape(head[i])}">{c}</td>')
            for i, c in enumerate(cells)) + "</tr>")
    parts.append("</tbody></table>")
    if report.survey is not None:
        parts += [f"<h2>{escape(tr(words.SURVEY))}</h2>",
                  f"<p>{escape(tr(words.SURVEY_INTRO))}</p>"]
        head = [tr(_("Question")), tr(_("Answer")), tr(_("Evidence"))]
        parts.append('<table class="cards" id="survey"><thead><tr>' + "".join(
            f"<th>{escape(h)}</th>" for h in head) + "</tr></thead><tbody>")
        for answer in report.survey:
            if answer.answerable:
                parts.append(f'<tr data-question="{escape(answer.id)}"><td>{escape(answer.question)}'
                             f'</td><td data-label="{escape(head[1])}">{escape(answer.text)}</td>'
                             f'<td data-label="{escape(head[2])}">{_evidence(answer.evidence)}'
                             "</td></tr>")
        parts.append("</tbody></table>")
        cannot = [a for a in report.survey if not a.answerable]
        if cannot:
            parts.append(f"<h3>{escape(tr(words.CANNOT_ANSWER))}</h3>"
                         '<ul id="survey-cannot">' + "".join(
                             f'<li data-question="{escape(a.id)}">{escape(a.question)} '
                             f'<span class="small">{escape(a.text)}</span></li>'
                             for a in cannot) + "</ul>")
    parts += [f"<h2>{escape(tr(words.ABOUT))}</h2>",
              f"<p>{escape(tr(words.about(words.day(tr, report.today))))}</p>"]
    return page(heading, tr.language, "\n".join(parts))


def overview_html(overview: Overview, tr: Translator) -> str:
    return "".join(overview_html_parts(overview, tr))


def overview_html_parts(overview: Overview, tr: Translator) -> Iterator[str]:
    """The overview page, written as it goes: a row of the matrix per plan."""
    title = tr(_n("Overview of {n} emergency plan", "Overview of {n} emergency plans",
                  len(overview.reports)))
    return page_parts(title, tr.language, text.joined(_overview_body(overview, tr, title)),
                      _asset("overview.js"))


def _overview_body(overview: Overview, tr: Translator, title: str) -> Iterator[str]:
    columns = overview.columns
    reports = overview.reports
    counts = overview.counts()
    citations = overview.citations
    countries = sorted(overview.countries)
    parts = [f"<h1>{escape(title)}</h1>",
             f'<p class="meta">{escape(tr(words.as_of(overview.today)))}</p>',
             f"<h2>{escape(tr(words.COUNTS))}</h2>", _counts(tr, counts)]
    # counts per column and status
    parts.append('<div class="scroll"><table id="column-counts"><thead><tr>'
                 f'<th>{escape(tr(words.DUTY))}</th>' + "".join(
                     f"<th>{status_badge(tr, s)}</th>" for s in STATUSES) + "</tr></thead><tbody>")
    for key in columns:
        parts.append(f'<tr data-column="{escape(key)}"><td>{escape(words.column(tr, key))}'
                     f'<br><span class="small">{escape(citations.get(key, ""))}</span></td>' +
                     "".join(f"<td>{overview.column_counts[key, s]}</td>" for s in STATUSES)
                     + "</tr>")
    parts.append("</tbody></table></div>")
    # the matrix
    parts.append(f"<h2>{escape(tr(words.MATRIX))}</h2>")
    options = "".join(f'<option value="{escape(c)}">{escape(c)}</option>' for c in countries)
    column_options = "".join(f'<option value="{escape(c)}">{escape(words.column(tr, c))}</option>'
                             for c in columns)
    status_options = "".join(
        f'<option value="{v}">{escape(tr(label))}</option>' for v, label in (
            ("not-met", _("any not met")), ("not-recorded", _("any not recorded")),
            ("met", _("any met")), ("all-met", _("all met"))))
    parts.append(
        '<div class="controls" id="controls" hidden>'
        f'<label>{escape(tr(words.MUNICIPALITY))}<input id="filter-text" type="search" '
        f'autocomplete="off"></label>'
        f'<label>{escape(tr(words.COUNTRY))}<select id="filter-country">'
        f'<option value="">{escape(tr(words.ALL))}</option>{options}</select></label>'
        f'<label>{escape(tr(words.DUTY))}<select id="filter-column">'
        f'<option value="">{escape(tr(words.ANY_DUTY))}</option>{column_options}</select></label>'
        f'<label>{escape(tr(words.STATUS))}<select id="filter-status">'
        f'<option value="">{escape(tr(words.ANY_STATUS))}</option>{status_options}</select>'
        "</label></div>")
    template = tr(_("Showing {shown} of {total} municipalities", shown="{shown}",
                    total="{total}"))
    parts.append(f'<p id="shown" aria-live="polite" data-template="{escape(template)}">'
                 f"{escape(template.replace('{shown}', str(len(reports))).replace('{total}', str(len(reports))))}</p>")
    sort_label = escape(tr(_("Not met")))
    parts.append('<div class="scroll"><table class="matrix" id="matrix"><thead><tr>'
                 f'<th><button type="button" data-sort="name">{escape(tr(words.MUNICIPALITY))}'
                 "</button></th>"
                 f'<th><button type="button" data-sort="issues">{sort_label}</button></th>' +
                 "".join(f'<th title="{escape(citations.get(c, ""))}"><button type="button" '
                         f'data-sort="{escape(c)}">{escape(words.column(tr, c))}</button></th>'
                         for c in columns) + "</tr></thead><tbody>")
    yield from parts
    parts = []
    for report in reports:
        statuses = {c: report.column_status(c) for c in columns}
        present = [c for c in columns if statuses[c] is not None]
        attrs = "".join(f' data-c-{escape(c)}="{statuses[c]}"' for c in present)
        issues = report.counts()["not-met"]
        cells = []
        for c in columns:
            if statuses[c] is None:
                cells.append('<td><span class="status status-none">—</span></td>')
                continue
            rows = [d for d in report.duties if d.column == c]
            tip = "; ".join(f"{d.title}: {d.summary}" for d in rows if d.status != "met") \
                or "; ".join(d.summary for d in rows)
            cells.append(f'<td title="{escape(tip)}">{status_badge(tr, statuses[c])}</td>')
        note = ""
        if report.unreadable:
            note = f'<br><span class="small undated">{escape(tr(words.CANNOT_READ))}</span>'
        elif report.errors:
            errors = tr(_n("{n} validation error", "{n} validation errors", report.errors))
            note = f'<br><span class="small">{escape(errors)}</span>'
        yield (
            f'<tr data-name="{escape(report.name)}" data-country="{escape(report.country)}" '
            f'data-issues="{issues}" data-columns="{escape(" ".join(present))}"{attrs}>'
            f'<td title="{escape(report.path)}">{escape(report.name)}{note}</td>'
            f"<td>{issues}</td>{''.join(cells)}</tr>")
    parts.append("</tbody></table></div>")
    # the charts
    svg, bars = charts.timeline(reports, columns, overview.today, tr)
    colour = charts.colours(columns)
    parts += [f"<h2>{escape(tr(words.TIMELINE))}</h2>",
              f'<div class="scroll">{svg}</div>',
              '<ul class="legend">' + "".join(
                  f'<li><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true">'
                  f'<rect width="10" height="10" fill="{colour[c]}"/></svg>'
                  f"{escape(words.column(tr, c))}</li>" for c in columns) + "</ul>",
              f'<p class="small">{escape(tr(words.timeline_note(overview.today)))}</p>',
              '<details><summary>' + escape(tr(_("The numbers"))) + "</summary><ul>" + "".join(
                  f"<li>{escape(label)}: {n}</li>" for label, n in bars) + "</ul></details>"]
    svg, said = charts.ages(reports, overview.today, tr)
    parts += [f"<h2>{escape(tr(words.AGES))}</h2>",
              f'<div class="scroll">{svg}</div>',
              f'<p class="small">{escape(tr(words.AGES_NOTE))}</p>',
              "<ul>" + "".join(f"<li>{escape(s)}</li>" for s in said) + "</ul>"]
    yield from parts
