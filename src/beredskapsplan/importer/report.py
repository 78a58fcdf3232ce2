"""The import report, for the terminal and as a Markdown file, in the user's language."""
from __future__ import annotations

from collections import Counter

from ..i18n import Message, Translator, _, _n


def _kind_name(kind: str) -> Message:
    return {"contacts": _("alert list"), "resources": _("resources"),
            "plan-register": _("register of plans"), "partners": _("partners")}[kind]


def parts(report, tr: Translator) -> list[tuple[str, list[str]]]:
    """The report as (heading, lines) in the translator's language."""
    out: list[tuple[str, list[str]]] = []
    lines = [tr(_("{file} ({format}) → {folder}", file=str(report.source),
                  format=report.format, folder=str(report.out)))]
    lines.append(tr(_("title: {title}", title=report.title or "–")))
    if report.subtitle:
        lines.append(tr(_("subtitle: {subtitle}", subtitle=report.subtitle)))
    where = {"option": _("from --name"), "title-page": _("from the title page"),
             "document": _("the name the document uses most; check it")}
    if report.municipality:
        lines.append(tr(_("municipality: {name} ({where})", name=report.municipality,
                          where=where[report.municipality_source])))
    else:
        lines.append(tr(_("municipality: not found; give it with --name, or fill it in")))
    lines.append(tr(_("language of the plan: {language}; country: {country}",
                      language=report.language, country=report.country)))
    if report.case_number:
        lines.append(tr(_("case number: {case}", case=report.case_number)))
    for day, by, case in report.approvals:
        lines.append(tr(_("approved by {body} on {date} (no digest: approved, unverified)",
                          body=by, date=day)))
    for day, to in report.submissions:
        lines.append(tr(_("sent to {recipient} on {date}", recipient=to, date=day)))
    for day in report.revisions:
        lines.append(tr(_("last revision: {date}", date=day)))
    out.append((tr(_("Plan")), lines))

    lines = []
    count = len(report.outline)
    if report.numbering == "as-adopted":
        how = []
        if report.numbers_typed:
            how.append(tr(_n("{n} typed in the heading", "{n} typed in the headings",
                             report.numbers_typed)))
        if report.numbers_from_styles:
            how.append(tr(_n("{n} from the heading numbering of the styles",
                             "{n} from the heading numbering of the styles",
                             report.numbers_from_styles)))
        lines.append(tr(_n("{n} section from the headings, numbered as in the document ({how})",
                           "{n} sections from the headings, numbered as in the document ({how})",
                           count, how=how)))
    else:
        lines.append(tr(_n("{n} section from the headings (the headings had no numbers)",
                           "{n} sections from the headings (the headings had no numbers)",
                           count)))
    for number, times in report.repeated_numbers:
        lines.append(tr(_n("the number {number} stands {n} time: kept as in the document",
                           "the number {number} stands {n} times: kept as in the document",
                           times, number=number)))
    if report.missing_numbers:
        lines.append(tr(_("numbers the document skips: {numbers}; kept as in the document",
                          numbers=report.missing_numbers)))
    for depth, number, title, ident in report.outline:
        lines.append("  " * depth + " ".join(p for p in (number, title) if p) + f"  [{ident}]")
    out.append((tr(_("Sections")), lines))

    lines = []
    for annex in report.annexes:
        lines.append(tr(_n("{letter} {title}: {kind}, {n} entry → {file}",
                           "{letter} {title}: {kind}, {n} entries → {file}", annex.entries,
                           letter=annex.letter, title=annex.title, kind=_kind_name(annex.kind),
                           file=annex.file)))
    if not report.annexes:
        lines.append(tr(_("no table was recognised as an annex")))
    if report.annexes and any(a.kind == "contacts" for a in report.annexes):
        lines.append(tr(_n("{n} person in the alert list", "{n} people in the alert list",
                           report.people)))
    for bad in report.bad_numbers:
        reason = _("not a phone number") if bad.reason == "not-a-number" else \
            _("not a valid number in {country}", country=report.country)
        lines.append(tr(_("{who}: «{number}» is {reason}", who=bad.who, number=bad.number,
                          reason=reason)))
    for table in report.kept_tables:
        text = _n("a table of {n} row in «{section}» is kept as a table",
                  "a table of {n} rows in «{section}» is kept as a table", table.rows,
                  section=table.section)
        lines.append(tr(text))
        if table.joined_cells or table.merged_cells:
            lines.append("  " + tr(_("cells with several paragraphs or a list were joined into "
                                     "one line, and merged cells were split: check the table")))
    out.append((tr(_("Annexes and tables")), lines))

    lines = []
    for name, section in report.pictures:
        lines.append(tr(_("{file} (in «{section}»)", file=name, section=section or "–")))
    if report.logo:
        lines.append(tr(_("{file}: the picture on the title page, used as the logo",
                          file=report.logo)))
    if lines:
        out.append((tr(_("Pictures")), lines))

    if report.covers:
        lines = [f"{title}: {', '.join(topics)}" for title, topics in report.covers]
        out.append((tr(_("Topics guessed from the headings (covers); check them")), lines))

    lines = [tr(m) for m in report.notes]
    if lines:
        out.append((tr(_("Notes")), lines))
    lines = [tr(m) for m in report.left_out]
    out.append((tr(_("Left out, and why")), lines or [tr(_("nothing"))]))

    lines = [f"{report.out / path}:{line}: {tr(todo)}" for path, line, todo in report.todos]
    out.append((tr(_("To fill in")), lines or [tr(_("nothing"))]))

    if report.findings is not None:
        counts = Counter(f.severity for f in report.findings)
        rules = Counter((f.severity, f.rule) for f in report.findings)
        lines = [tr.list([tr(_n("{n} error", "{n} errors", counts.get("error", 0))),
                          tr(_n("{n} warning", "{n} warnings", counts.get("warning", 0))),
                          tr(_n("{n} info", "{n} infos", counts.get("info", 0)))])]
        for (severity, rule), n in sorted(rules.items()):
            lines.append(f"{severity} {rule}: {n}")
        lines.append(tr(_("see each with `beredskap validate {folder}`", folder=str(report.out))))
        out.append((tr(_("What beredskap validate says")), lines))
    return out


def text(report, tr: Translator) -> str:
    blocks = []
    for heading, lines in parts(report, tr):
        blocks.append(heading + "\n" + "\n".join("  " + line for line in lines))
    return "\n\n".join(blocks) + "\n"


def markdown(report, tr: Translator) -> str:
    def escape(line: str) -> str:
        return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in line)

    title = tr(_("Import of {file}", file=report.source.name))
    out = [f"# {escape(title)}", ""]
    for heading, lines in parts(report, tr):
        out.append(f"## {escape(heading)}")
        out.append("")
        for line in lines:
            depth = (len(line) - len(line.lstrip(" "))) // 2
            out.append("  " * depth + "- " + escape(line.strip()))
        out.append("")
    return "\n".join(out)
