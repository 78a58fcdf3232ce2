"""The call list on one printed page: standalone HTML, and PDF through Typst.

Both are built here from the call list's content (not from the council
document's templates): a table of the call order with every holder and number,
the external partners, and each crisis staff in small tables beside each other.
The PDF picks the largest type size at which everything fits on one A4 page;
the HTML is laid out for the same page when printed. User text is data: escaped
for HTML, and passed to Typst only inside string literals.
"""
from __future__ import annotations

import html
from datetime import date

from ..i18n import Translator, _
from .build import CallList, RoleEntry
from .words import (CALL_ORDER, DEPUTY, PARTNERS, PRIMARY, PUBLIC, gaps_line, holder_numbers,
                    lead, level_heading, partner_numbers, role_gap)

TITLE = _("Call list – {plan}")
PRINTED = _("{title} · printed {day}")
ROLE = _("Role")
NAME = _("Name")
PHONE = _("Phone")
PARTNER = _("Partner")
CRISIS_STAFFS = _("Crisis staffs")
PRIMARY_HEAD = _("Primary")
DEPUTY_HEAD = _("Deputy")


def _rows(tr: Translator, entry: RoleEntry, number: str) -> list[tuple]:
    """(number, role, holder tag, name, numbers, is gap) rows for one role."""
    gap = role_gap(tr, entry)
    if not entry.holders:
        return [(number, entry.title, "", "", gap, True)]
    rows = []
    for index, holder in enumerate(entry.holders):
        tag = tr(DEPUTY) if holder.deputy else tr(PRIMARY)
        numbers = holder_numbers(tr, holder)
        role = entry.title + (f" {gap}" if gap else "") if index == 0 else ""
        rows.append((number if index == 0 else "", role, tag, holder.name, numbers,
                     bool(holder.gap) or bool(gap)))
    return rows


def _staff_rows(tr: Translator, entry: RoleEntry, title: str,
                called: dict[str, int]) -> list[tuple[str, ...]]:
    """(role, primary, numbers, deputy, numbers, gap) for a staff table; a role of the
    call order points to its number there instead of repeating it."""
    gap = role_gap(tr, entry)
    if entry.role in called and not gap:
        return [(title, tr(_("see no. {n} above", n=called[entry.role])), "", "", "", "")]
    if not entry.holders:
        return [(title, gap, "", "", "", "gap")]
    first = entry.holders[0]
    rest = entry.holders[1:]
    deputies = "\n".join(h.name for h in rest)
    numbers = "\n".join(holder_numbers(tr, h).replace(", ", "\n") for h in rest)
    marked = "gap" if gap or any(h.gap for h in entry.holders) else ""
    return [(title + (f" {gap}" if gap else ""), first.name,
             holder_numbers(tr, first).replace(", ", "\n"), deputies, numbers, marked)]


# -- HTML ----------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 11mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif;
       line-height: 1.25; margin: 0 auto; max-width: 186mm; color: #000; }
h1 { font-size: 1.8em; margin: 0 0 1mm; }
h2 { font-size: 1.25em; margin: 3mm 0 1mm; }
h3 { font-size: 1.06em; margin: 2mm 0 0.5mm; }
p { margin: 0 0 1mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.3mm solid #999; padding: 0.5mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.name { white-space: nowrap; }
td.num, td.phone { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace;
                   white-space: pre-line; font-size: 0.95em; }
tr.gap td { background: #fde2e2; font-weight: bold; }
.gaps { margin-top: 2mm; font-weight: bold; color: #a00; }
.public { font-style: italic; }
@media screen { body { padding: 8mm; } }
"""


def _cell(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{html.escape(text)}</td>"


class _Measure:
    """A rough count of the page's lines, to choose the type size that fits one A4 page
    (a browser cannot shrink a page to fit by itself)."""

    PAGE = 275 * 72 / 25.4  # A4 less the margins, in points

    def __init__(self):
        self.lines = 2.8 + 1.0  # the title and the line under it
        self.rows = 0
        self.gaps = 0.0  # space that does not grow with the type: padding, margins

    def row(self, *cells: str, wide: int = 30) -> None:
        def lines(text: str) -> int:
            return sum(max(1, -(-len(part) // wide)) for part in (text or " ").split("\n"))
        self.lines += max(lines(c) for c in cells)
        self.rows += 1

    def heading(self, size: float, space_mm: float) -> None:
        self.lines += size
        self.gaps += space_mm * 72 / 25.4

    def size(self) -> float:
        for size in (10, 9.5, 9, 8.5, 8, 7.5, 7, 6.5, 6):
            height = size * 1.25 * self.lines + self.rows * 3.8 + self.gaps
            if height <= self.PAGE * 0.9:
                return size
        return 6


def as_html(calls: CallList, tr: Translator, day: date) -> str:
    e = html.escape
    measure = _Measure()
    title = tr(_("Call list – {plan}", plan=calls.plan))
    body = ["<header>", f"<h1>{e(title)}</h1>",
            f"<p>{e(tr(_('{title} · printed {day}', title=calls.title, day=day)))}</p>"]
    if calls.audience == "public":
        body.append(f'<p class="public">{e(tr(PUBLIC))}</p>')
        measure.lines += 1
    body.append("</header>")
    head = (f"<tr><th>#</th><th>{e(tr(ROLE))}</th><th></th><th>{e(tr(NAME))}</th>"
            f"<th>{e(tr(PHONE))}</th></tr>")

    def section(text: str) -> None:
        body.append(f"<h2>{e(text)}</h2>")
        measure.heading(1.25 * max(1, -(-len(text) // 80)), 4)

    if calls.level:
        section(tr(level_heading(calls.level)))
        body += ["<table>", head]
        for entry in calls.level["decided_by"]:
            body += _html_rows(tr, entry, "", measure)
        body.append("</table>")
    section(tr(CALL_ORDER))
    body += ["<table>", head]
    measure.row("#")
    for number, entry in enumerate(calls.call_order, 1):
        body += _html_rows(tr, entry, f"{number}.", measure)
    body.append("</table>")
    if calls.partners:
        section(tr(PARTNERS))
        body += ["<table>", f"<tr><th>#</th><th>{e(tr(PARTNER))}</th><th>{e(tr(PHONE))}</th></tr>"]
        measure.row("#")
        for number, partner in enumerate(calls.partners, len(calls.call_order) + 1):
            numbers = "\n".join(partner_numbers(tr, partner))
            cls = ' class="gap"' if partner.gap else ""
            body.append(f"<tr{cls}>{_cell(f'{number}.', 'num')}{_cell(partner.name)}"
                        f"{_cell(numbers, 'phone')}</tr>")
            measure.row(partner.name, numbers, wide=45)
        body.append("</table>")
    if calls.staff:
        section(tr(CRISIS_STAFFS))
        staff_head = (f"<tr><th>{e(tr(ROLE))}</th><th>{e(tr(PRIMARY_HEAD))}</th><th></th>"
                      f"<th>{e(tr(DEPUTY_HEAD))}</th><th></th></tr>")
        for staff in calls.staff:
            body += [f"<h3>{e(staff.title)}</h3>", '<table class="staff">', staff_head]
            measure.heading(1.06, 2.5)
            measure.row("#")
            for role, first, numbers, deputy, deputy_numbers, gap in \
                    _staff_list(tr, calls, staff):
                cls = ' class="gap"' if gap else ""
                measure.row(role, numbers, deputy_numbers, wide=24)
                if not numbers and not deputy:
                    body.append(f'<tr{cls}>{_cell(role)}<td colspan="4">{e(first)}</td></tr>')
                    continue
                body.append(f"<tr{cls}>{_cell(role)}{_cell(first, 'name')}"
                            f"{_cell(numbers, 'phone')}{_cell(deputy, 'name')}"
                            f"{_cell(deputy_numbers, 'phone')}</tr>")
            body.append("</table>")
    gaps = calls.gaps()
    if gaps:
        body.append(f'<p class="gaps">{e(tr(gaps_line(len(gaps))))}</p>')
        measure.heading(1, 2)
    size = measure.size()
    return "\n".join(["<!DOCTYPE html>", f'<html lang="{e(tr.language)}">', "<head>",
                      '<meta charset="utf-8">', f"<title>{e(title)}</title>",
                      f"<style>{_CSS}body {{ font-size: {size}pt; }}\n</style>", "</head>",
                      "<body>", *body, "</body>", "</html>", ""])


def _html_rows(tr: Translator, entry: RoleEntry, number: str, measure: _Measure) -> list[str]:
    rows = []
    for num, role, tag, name, numbers, gap in _rows(tr, entry, number):
        numbers = numbers.replace(", ", "\n")
        cls = ' class="gap"' if gap else ""
        rows.append(f"<tr{cls}>{_cell(num, 'num')}{_cell(role)}{_cell(tag)}"
                    f"{_cell(name, 'name')}{_cell(numbers, 'phone')}</tr>")
        measure.row(role, numbers, wide=40)
    return rows


def _staff_list(tr: Translator, calls: CallList, staff) -> list[tuple[str, ...]]:
    called = {e.role: n for n, e in enumerate(calls.call_order, 1)}
    rows = []
    if staff.lead:
        rows += _staff_rows(tr, staff.lead, tr(lead(staff.lead.title)), called)
    for member in staff.members:
        rows += _staff_rows(tr, member, member.title, called)
    return rows


# -- PDF (Typst) -------------------------------------------------------------------------------

def _s(text: str) -> str:
    """A Typst string literal: user text is never read as markup or code."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = "".join(c for c in escaped if c >= " " or c == "\t")
    return f'"{escaped}"'


def _typst_cell(text: str, gap: bool, mono: bool = False, **extra: str) -> str:
    value = f"text(font: \"DejaVu Sans Mono\", size: 0.92em, {_s(text)})" if mono else _s(text)
    if gap:
        value = f"strong({value})"
    args = "".join(f"{k}: {v}, " for k, v in extra.items())
    fill = "fill: rgb(\"#fde2e2\"), " if gap else ""
    return f"table.cell({args}{fill}{value})"


def _typst_table(columns: str, header: list[str], rows: list[str]) -> str:
    head = ", ".join(f"table.cell(fill: luma(235), strong({_s(h)}))" for h in header)
    return (f"table(columns: {columns}, stroke: 0.4pt + luma(150), inset: (x: 3pt, y: 2pt), "
            f"{head}{', ' if head and rows else ''}{', '.join(rows)})")


def as_typst(calls: CallList, tr: Translator, day: date) -> str:
    title = tr(_("Call list – {plan}", plan=calls.plan))
    parts = [f"text(size: 1.6em, weight: \"bold\", {_s(title)})", "v(0.2em)",
             _s(tr(_("{title} · printed {day}", title=calls.title, day=day)))]
    if calls.audience == "public":
        parts += ["linebreak()", f"emph({_s(tr(PUBLIC))})"]
    header = ["#", tr(ROLE), "", tr(NAME), tr(PHONE)]

    def role_table(entries, numbered: bool) -> str:
        rows = []
        for number, entry in enumerate(entries, 1):
            for num, role, tag, name, numbers, gap in _rows(tr, entry,
                                                            f"{number}." if numbered else ""):
                rows += [_typst_cell(num, gap), _typst_cell(role, gap), _typst_cell(tag, gap),
                         _typst_cell(name, gap), _typst_cell(numbers, gap, mono=True)]
        return _typst_table("(auto, auto, auto, auto, 1fr)", header, rows)

    def heading(text: str) -> str:
        return (f"block(above: 0.9em, below: 0.4em, text(size: 1.15em, weight: \"bold\", "
                f"{_s(text)}))")

    if calls.level:
        parts += [heading(tr(level_heading(calls.level))),
                  role_table(calls.level["decided_by"], False)]
    parts += [heading(tr(CALL_ORDER)), role_table(calls.call_order, True)]
    if calls.partners:
        rows = []
        for number, partner in enumerate(calls.partners, len(calls.call_order) + 1):
            gap = bool(partner.gap)
            rows += [_typst_cell(f"{number}.", gap), _typst_cell(partner.name, gap),
                     _typst_cell("\n".join(partner_numbers(tr, partner)), gap, mono=True)]
        parts += [heading(tr(PARTNERS)),
                  _typst_table("(auto, auto, 1fr)", ["#", tr(PARTNER), tr(PHONE)], rows)]
    if calls.staff:
        parts.append(heading(tr(CRISIS_STAFFS)))
        staff_header = [tr(ROLE), tr(PRIMARY_HEAD), "", tr(DEPUTY_HEAD), ""]
        for staff in calls.staff:
            rows = []
            for role, first, numbers, deputy, deputy_numbers, gap in \
                    _staff_list(tr, calls, staff):
                marked = bool(gap)
                if not numbers and not deputy:
                    rows += [_typst_cell(role, marked), _typst_cell(first, marked, colspan="4")]
                    continue
                rows += [_typst_cell(role, marked), _typst_cell(first, marked),
                         _typst_cell(numbers, marked, mono=True),
                         _typst_cell(deputy, marked),
                         _typst_cell(deputy_numbers, marked, mono=True)]
            parts += [f"block(above: 0.6em, below: 0.25em, text(weight: \"bold\", "
                      f"{_s(staff.title)}))",
                      _typst_table("(auto, auto, 1fr, auto, 1fr)", staff_header, rows)]
    gaps = calls.gaps()
    if gaps:
        parts.append(f"block(above: 0.8em, text(fill: rgb(\"#a00000\"), weight: \"bold\", "
                     f"{_s(tr(gaps_line(len(gaps))))}))")
    body = "; ".join(parts)
    return (
        "#set page(paper: \"a4\", margin: (x: 12mm, y: 11mm))\n"
        f"#set text(lang: {_s(tr.language)}, "
        "font: (\"Libertinus Serif\", \"DejaVu Sans Mono\"))\n"
        "#set par(justify: false, leading: 0.45em)\n"
        f"#let body(size) = {{ set text(size: size); {body} }}\n"
        "// the largest type that puts the whole list on one page\n"
        "#layout(room => {\n"
        "  let sizes = (10.5pt, 10pt, 9.5pt, 9pt, 8.5pt, 8pt, 7.5pt, 7pt, 6.5pt, 6pt)\n"
        "  let fits = sizes.filter(s => measure(block(width: room.width, body(s))).height"
        " <= room.height)\n"
        "  body(if fits.len() > 0 { fits.first() } else { 6pt })\n"
        "})\n")


def as_pdf(calls: CallList, tr: Translator, day: date) -> bytes:
    from ..render.convert import typst_pdf

    return typst_pdf(as_typst(calls, tr, day).encode("utf-8"), [])
