"""The overview's two charts, as inline SVG (no script, no network, no fonts of its own).

- the timeline: the deadlines behind the duties, per month for the next twelve
  months, with what is overdue as a bar of its own before them;
- the age chart: each plan as one mark, by the age of its last revision
  (across) and of its last exercise (up), with the yearly revision and the
  two-yearly exercise drawn as lines.

Every mark carries a `<title>` (shown on hover, read by screen readers), and the
numbers are also given as text beside the chart.
"""
from __future__ import annotations

from datetime import date
from html import escape

from babel.dates import format_date

from ..i18n import Translator, _, _n
from . import words
from .model import PlanReport

# Okabe–Ito: told apart by people with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999",
           "#000000", "#F0E442", "#7F3C8D")
OVERDUE_EDGE = "#B00020"


def _month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def colours(columns: list[str]) -> dict[str, str]:
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(columns)}


def timeline(reports: list[PlanReport], columns: list[str], today: date, tr: Translator
             ) -> tuple[str, list[tuple[str, int]]]:
    """The SVG, and (label, count) per bar for the text beside it."""
    first = _month(today, 0)
    months = [_month(today, i) for i in range(12)]
    end = _month(today, 12)
    bars: list[dict[str, int]] = [{} for _ in range(13)]  # 0: overdue, 1..12: the months
    for report in reports:
        for item in report.upcoming:
            due = date.fromisoformat(item.due)
            if item.status == "overdue":
                slot = 0
            elif due < end:
                slot = 1 + (due.year * 12 + due.month) - (first.year * 12 + first.month)
                if slot < 1:  # due today or earlier this month, not overdue
                    slot = 1
            else:
                continue
            bars[slot][item.column] = bars[slot].get(item.column, 0) + 1
    # each bar's label, and the year under the first month and under each January
    labels = [tr(_("Overdue"))] + [format_date(m, "MMM", locale=tr.locale) for m in months]
    years = [""] + [str(m.year) if m.month == 1 or i == 0 else "" for i, m in enumerate(months)]
    totals = [sum(b.values()) for b in bars]
    top = max(totals + [1])
    step = _nice_step(top)
    top = step * -(-top // step)
    width, height, left, right, bottom, head = 760, 300, 46, 10, 46, 14
    plot_w, plot_h = width - left - right, height - head - bottom
    slot_w = plot_w / 13
    bar_w = slot_w * 0.7
    colour = colours(columns)
    title = tr(_("Deadlines: overdue, and due in the next twelve months"))
    named = [f"{label} {year}".strip() for label, year in zip(labels, years)]
    described = ", ".join(f"{label}: {n}" for label, n in zip(named, totals))
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="timeline-title timeline-desc" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="timeline-title">{escape(title)}</title>',
           f'<desc id="timeline-desc">{escape(described)}</desc>']
    for k in range(0, top + 1, step):
        y = head + plot_h - plot_h * k / top
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="#d0d7de" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                   f'fill="#3b4754">{k}</text>')
    for slot, counts in enumerate(bars):
        x = left + slot * slot_w + (slot_w - bar_w) / 2
        y = head + plot_h
        for column in columns:
            n = counts.get(column, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            tip = f"{named[slot]}: {n} · {words.column(tr, column)}"
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                       f'fill="{colour[column]}"><title>{escape(tip)}</title></rect>')
        if slot == 0 and totals[0]:
            out.append(f'<rect x="{x - 2:.1f}" y="{y - 2:.1f}" width="{bar_w + 4:.1f}" '
                       f'height="{head + plot_h - y + 2:.1f}" fill="none" stroke="{OVERDUE_EDGE}" '
                       f'stroke-width="2.5"/>')
        if totals[slot]:
            out.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                       f'font-size="12" fill="#1f2328">{totals[slot]}</text>')
        weight = ' font-weight="bold" fill="#B00020"' if slot == 0 else ' fill="#3b4754"'
        size = 11 if slot == 0 else 12
        out.append(f'<text x="{x + bar_w / 2:.1f}" y="{head + plot_h + 17}" text-anchor="middle" '
                   f'font-size="{size}"{weight}>{escape(labels[slot])}</text>')
        if years[slot]:
            out.append(f'<text x="{x + bar_w / 2:.1f}" y="{head + plot_h + 32}" '
                       f'text-anchor="middle" font-size="12" fill="#3b4754">{years[slot]}</text>')
    divider = left + slot_w
    out.append(f'<line x1="{divider:.1f}" x2="{divider:.1f}" y1="{head}" y2="{head + plot_h}" '
               'stroke="#57606a" stroke-dasharray="4 3"/>')
    out.append("</svg>")
    return "".join(out), list(zip(named, totals))


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            return step
    return 10000


def _age_years(today: date, iso: str | None) -> float | None:
    if not iso:
        return None
    return max(0.0, (today - date.fromisoformat(iso)).days / 365.25)


def ages(reports: list[PlanReport], today: date, tr: Translator) -> tuple[str, list[str]]:
    """The SVG of each plan's age of last revision × last exercise, and the counts in words."""
    cap = 5.0  # years; older, and never, are drawn at the edge
    width, height, left, bottom, top_pad, right = 760, 420, 56, 50, 12, 16
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    never = cap + 0.5

    def sx(years: float) -> float:
        return left + plot_w * min(years, never) / (never + 0.2)

    def sy(years: float) -> float:
        return top_pad + plot_h - plot_h * min(years, never) / (never + 0.2)

    title = tr(_("Age of each plan's last revision and last exercise"))
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-labelledby="ages-title" xmlns="http://www.w3.org/2000/svg">',
           f'<title id="ages-title">{escape(title)}</title>',
           f'<rect x="{left}" y="{top_pad}" width="{plot_w}" height="{plot_h}" fill="#f6f8fa"/>']
    # the late zone: revision older than a year or exercise older than two
    out.append(f'<rect x="{sx(1):.1f}" y="{top_pad}" width="{left + plot_w - sx(1):.1f}" '
               f'height="{plot_h}" fill="#fde8e8"/>')
    out.append(f'<rect x="{left}" y="{top_pad}" width="{sx(1) - left:.1f}" '
               f'height="{sy(2) - top_pad:.1f}" fill="#fde8e8"/>')
    for years in range(0, int(cap) + 1):
        x, y = sx(years), sy(years)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_pad}" y2="{top_pad + plot_h}" '
                   'stroke="#d0d7de"/>')
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
                   'stroke="#d0d7de"/>')
        label = str(years) if years < cap else f"{years}+"
        out.append(f'<text x="{x:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" '
                   f'font-size="12" fill="#3b4754">{label}</text>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                   f'fill="#3b4754">{label}</text>')
    never_word = escape(tr(_("never")))
    out.append(f'<text x="{sx(never):.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" '
               f'font-size="12" fill="#3b4754">{never_word}</text>')
    out.append(f'<text x="{left - 6}" y="{sy(never) + 4:.1f}" text-anchor="end" font-size="12" '
               f'fill="#3b4754">{never_word}</text>')
    out.append(f'<line x1="{sx(1):.1f}" x2="{sx(1):.1f}" y1="{top_pad}" y2="{top_pad + plot_h}" '
               f'stroke="{OVERDUE_EDGE}" stroke-width="1.5" stroke-dasharray="5 3"/>')
    out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{sy(2):.1f}" y2="{sy(2):.1f}" '
               f'stroke="{OVERDUE_EDGE}" stroke-width="1.5" stroke-dasharray="5 3"/>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" '
               f'font-size="13" fill="#1f2328">'
               f'{escape(tr(words.X_REVISION))}</text>')
    out.append(f'<text transform="translate(14 {top_pad + plot_h / 2:.1f}) rotate(-90)" '
               f'text-anchor="middle" font-size="13" fill="#1f2328">'
               f'{escape(tr(words.Y_EXERCISE))}</text>')
    inside = late_revision = late_exercise = 0
    for report in reports:
        revised = _age_years(today, report.last_revision)
        exercised = _age_years(today, report.last_exercise)
        rx = never if revised is None else revised
        ey = never if exercised is None else exercised
        if rx <= 1 and ey <= 2:
            inside += 1
        if rx > 1:
            late_revision += 1
        if ey > 2:
            late_exercise += 1
        tip = tr(_("{name}: last revised {revised}, last exercised {exercised}",
                   name=report.name,
                   revised=words.day(tr, report.last_revision) or tr(_("never")),
                   exercised=words.day(tr, report.last_exercise) or tr(_("never"))))
        x, y = sx(rx), sy(ey)
        if report.country == "DK":
            out.append(f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                       f'fill="{PALETTE[1]}" fill-opacity="0.75" stroke="#5a3d00" '
                       f'stroke-width="0.6"><title>{escape(tip)}</title></rect>')
        else:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{PALETTE[0]}" '
                       f'fill-opacity="0.7" stroke="#002c4a" stroke-width="0.6">'
                       f'<title>{escape(tip)}</title></circle>')
    out.append("</svg>")
    total = len(reports)
    said = [tr(_n("{n} plan revised within a year and exercised within two years",
                  "{n} plans revised within a year and exercised within two years", inside)),
            tr(_("{n} of {total} last revised more than a year ago (or never)", n=late_revision,
                 total=total)),
            tr(_("{n} of {total} last exercised more than two years ago (or never)",
                 n=late_exercise, total=total))]
    return "".join(out), said
