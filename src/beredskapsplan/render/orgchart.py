"""The organisation chart of the crisis organisation, drawn from the plan's data as SVG.

What it shows: the call order (who is called, in turn, when a warning comes in),
then every staff and support function as a box with its lead and members (each
role with its primary holder). A staff hangs below the staff its lead is a
member of (the earliest such staff in the plan), so "Krisesekretariatet", led
by the secretariat's coordinator who sits in the operational staff, is drawn
below that staff; the rest stand at the top level, in plan order.

The same SVG is used everywhere: inline in the HTML, as vector graphics in the
PDF (Typst draws it, with its own fonts), and as a PNG made by Typst for the
DOCX. Text widths are estimated (no font is measured), generously, so a line
never runs out of its box; long lines wrap.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as _html_escape

PAD = 12
INDENT = 30
GAP = 16
TITLE_SIZE = 15
TEXT_SIZE = 13
LINE = 1.35  # line height, in font sizes
ACCENT = "#0f3a5c"
HEAD = "#dce6f0"
LINE_COLOUR = "#7a8ea3"


@dataclass(frozen=True)
class Style:
    """The font the chart is drawn with and how wide it is (estimated, generously)."""

    family: str  # a CSS font-family list
    char: float  # the average advance of a character, in font sizes
    bold_char: float
    width: float = 640  # the chart's width in its own units
    columns: int = 2  # member columns in a box wide enough


# the PDF's and DOCX's (Typst draws the chart with the PDF's font)
PRINT = Style("Libertinus Serif", 0.5, 0.55)
# a screen's sans-serif, wider: wide screens, and phones (one column, about a phone wide)
SCREEN = Style("system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif", 0.58, 0.66)
PHONE = Style(SCREEN.family, SCREEN.char, SCREEN.bold_char, width=360, columns=1)


@dataclass
class Unit:
    title: str
    lead: tuple[str, str] | None  # (role, person)
    members: list[tuple[str, str]]
    parent: int | None = None  # index of the unit it hangs below


@dataclass(frozen=True)
class Drawing:
    svg: str
    width: float
    height: float


@dataclass
class Chart:
    title: str
    call_label: str
    lead_label: str
    calls: list[tuple[str, str]] = field(default_factory=list)  # (role, person), in order
    units: list[Unit] = field(default_factory=list)


def escape(text: str, quote: bool = False) -> str:
    """`text` safe inside SVG text (and, with `quote`, inside a double-quoted attribute).
    The html module does it without pulling in xml.sax, which imports urllib.request."""
    escaped = _html_escape(text, quote=False)
    return escaped.replace('"', "&quot;") if quote else escaped


def hang(units: list[Unit], leads: list[str | None], members: list[list[str]]) -> None:
    """Set each unit's parent: the earliest other unit that has its lead as a member."""
    for i, lead in enumerate(leads):
        if lead is None:
            continue
        for j in range(i):
            if lead in members[j] and units[j].parent != i:
                units[i].parent = j
                break


def wrap(text: str, width: float, size: float, style: Style, bold: bool = False) -> list[str]:
    """Lines of at most `width` (estimated), broken at spaces; a word longer than a line
    keeps a line of its own (it is never split)."""
    limit = max(1, int(width / (size * (style.bold_char if bold else style.char))))
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > limit:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines or [""]


class _Canvas:
    def __init__(self):
        self.parts: list[str] = []

    def text(self, x: float, y: float, lines: list[str], size: float, *, bold: bool = False,
             fill: str = "#1a1a1a", anchor: str = "start") -> float:
        """Lines of text from baseline y; returns the y below the last line."""
        weight = ' font-weight="bold"' if bold else ""
        for k, line in enumerate(lines):
            self.parts.append(
                f'<text x="{x:.1f}" y="{y + k * size * LINE:.1f}" font-size="{size}"{weight} '
                f'fill="{fill}" text-anchor="{anchor}">{escape(line)}</text>')
        return y + (len(lines) - 1) * size * LINE + size * 0.45

    def rect(self, x: float, y: float, w: float, h: float, *, fill: str, stroke: str,
             rx: float = 5) -> None:
        self.parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                          f'rx="{rx}" fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>')

    def line(self, points: list[tuple[float, float]], arrow: bool = False) -> None:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        end = ' marker-end="url(#arrow)"' if arrow else ""
        self.parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" '
                          f'stroke-width="1.4"{end}/>')


def _unit_lines(unit: Unit, width: float, lead_label: str, style: Style) \
        -> tuple[list[str], list[str], list[list[str]], int]:
    """The wrapped title, lead and member lines of a box, and its member column count."""
    inner = width - 2 * PAD
    title = wrap(unit.title, inner, TITLE_SIZE, style, bold=True)
    lead = wrap(f"{lead_label}: {unit.lead[0]} – {unit.lead[1]}", inner, TEXT_SIZE, style,
                bold=True) if unit.lead else []
    columns = style.columns if len(unit.members) > 3 and inner > 420 else 1
    column_width = (inner - GAP * (columns - 1)) / columns
    members = [wrap(f"{role} – {person}", column_width - 10, TEXT_SIZE, style)
               for role, person in unit.members]
    return title, lead, members, columns


def svg(chart: Chart, style: Style) -> Drawing:
    """The chart as an SVG document."""
    full = style.width
    c = _Canvas()
    y = 8.0
    size = TEXT_SIZE
    if chart.calls:
        y = c.text(0, y + size, [chart.call_label], size, bold=True, fill=ACCENT) + 6
        x = 0.0
        row_top = y
        row_height = size * LINE * 2 + 2 * 6
        for n, (role, person) in enumerate(chart.calls, 1):
            label = [f"{n}. {role}", person]
            w = max(len(label[0]) * style.bold_char, len(label[1]) * style.char) * size + 2 * PAD
            w = min(w, full)
            if x > 0 and x + w > full:
                x, row_top = 0.0, row_top + row_height + 10
            if x > 0:
                c.line([(x - 22, row_top + row_height / 2), (x - 4, row_top + row_height / 2)],
                       arrow=True)
            c.rect(x, row_top, w, row_height, fill="#fff", stroke=ACCENT, rx=row_height / 2)
            c.text(x + w / 2, row_top + 6 + size, [label[0]], size, bold=True, fill=ACCENT,
                   anchor="middle")
            c.text(x + w / 2, row_top + 6 + size * (1 + LINE), [label[1]], size,
                   anchor="middle")
            x += w + 26
        y = row_top + row_height
        if chart.units:
            c.line([(24, y), (24, y + GAP + 4)], arrow=True)
            y += GAP + 8

    depth = [0] * len(chart.units)
    order: list[int] = []

    def visit(i: int) -> None:
        order.append(i)
        for k, u in enumerate(chart.units):
            if u.parent == i:
                depth[k] = depth[i] + 1
                visit(k)

    for i, unit in enumerate(chart.units):
        if unit.parent is None:
            visit(i)
    boxes: dict[int, tuple[float, float, float]] = {}  # unit -> (x, top, bottom)
    for i in order:
        unit = chart.units[i]
        x = depth[i] * INDENT
        width = full - x
        title, lead, members, columns = _unit_lines(unit, width, chart.lead_label, style)
        head_height = len(title) * TITLE_SIZE * LINE + 2 * 7
        rows = [members[k:k + columns] for k in range(0, len(members), columns)]
        body_lines = len(lead) + sum(max(len(m) for m in row) for row in rows)
        body_height = body_lines * size * LINE + (2 * 8 if body_lines else 0) \
            + (6 if lead and rows else 0)
        top = y
        c.rect(x, top, width, head_height + body_height, fill="#fff", stroke=ACCENT)
        c.parts.append(f'<path d="M{x:.1f},{top + head_height:.1f} v{-head_height + 5:.1f} '
                       f'q0,-5 5,-5 h{width - 10:.1f} q5,0 5,5 v{head_height - 5:.1f} z" '
                       f'fill="{HEAD}" stroke="{ACCENT}" stroke-width="1.2"/>')
        c.text(x + PAD, top + 7 + TITLE_SIZE, title, TITLE_SIZE, bold=True, fill=ACCENT)
        line_y = top + head_height + 8 + size
        if lead:
            c.text(x + PAD, line_y, lead, size, bold=True)
            line_y += len(lead) * size * LINE + (6 if rows else 0)
        column_width = (width - 2 * PAD - GAP * (columns - 1)) / columns
        for row in rows:
            for k, lines in enumerate(row):
                cx = x + PAD + k * (column_width + GAP)
                c.parts.append(f'<circle cx="{cx + 3:.1f}" cy="{line_y - size * 0.33:.1f}" '
                               f'r="2.2" fill="{ACCENT}"/>')
                c.text(cx + 10, line_y, lines, size)
            line_y += max(len(m) for m in row) * size * LINE
        bottom = top + head_height + body_height
        boxes[i] = (x, top, bottom)
        if unit.parent is not None and unit.parent in boxes:
            px, _, pbottom = boxes[unit.parent]
            middle = top + head_height / 2
            c.line([(px + 16, pbottom), (px + 16, middle), (x - 2, middle)], arrow=True)
        y = bottom + GAP
    height = round(max(y - GAP + 8, 20))
    family = escape(style.family, quote=True)
    title = escape(chart.title, quote=True)
    marker = f"arrow-{full:.0f}"  # one per width: two charts may share an HTML page
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 0 {full + 4:.0f} {height}" '
            f'width="{full + 4:.0f}" height="{height}" font-family="{family}" role="img" '
            f'aria-label="{title}"><title>{title}</title>'
            f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{LINE_COLOUR}"/></marker></defs>')
    body = "".join(c.parts).replace("url(#arrow)", f"url(#{marker})")
    return Drawing(head + body + "</svg>", full + 4, height)
