"""`beredskap due`: every deadline with its source."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ..i18n import _, _n
from .common import EXIT_FINDINGS, EXIT_OK, _h, app, config_and_targets, \
    fail_usage, parse_today, use_colour


DUE_FORMATS = ("table", "json", "csv", "ics")
_STATUS_STYLE = {"never": "bold red", "overdue": "bold red", "soon": "yellow", "ok": "green"}
DELIMITERS = {";": ";", ",": ",", "tab": "\t"}


def _due_table(rows, by_owner: bool, colour: bool, tr) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..due.output import obligation
    from ..due.words import COLUMNS, STATUS, day_in_table, responsible_heading

    console = Console(no_color=not colour, highlight=False,
                      width=None if sys.stdout.isatty() else 200)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.responsible if by_owner else "", []).append(row)
    several_plans = len({r.plan_id for r in rows}) > 1
    columns = ["status", "due", "last", *(["plan"] if several_plans else []), "what", "subject",
               *([] if by_owner else ["responsible"]), "source"]
    for owner, members in groups.items():
        table = Table(title=escape(tr(responsible_heading(owner))) if by_owner else None,
                      title_justify="left", show_lines=False, expand=False)
        for column in columns:
            table.add_column(tr(COLUMNS[column]), overflow="fold")
        for row in members:
            cells = {"status": f"[{_STATUS_STYLE[row.status]}]{escape(tr(STATUS[row.status]))}[/]",
                     "due": day_in_table(tr, row.due if row.status != "never" else None),
                     "last": day_in_table(tr, row.last_done), "plan": escape(row.plan),
                     "what": escape(obligation(row.what, tr.language)),
                     "subject": escape(row.subject), "responsible": escape(row.responsible),
                     "source": escape(row.source)}
            table.add_row(*(cells[c] for c in columns))
        console.print(table)


@app.command(help=_h(
    "Every deadline: revision, approval, submission, exercise, evaluation, contacts, cards.\n\n"
    "Each row names the law or policy it comes from. Exit status 1 when a deadline matches "
    "--fail-on (default: overdue or never done) or a plan.yaml cannot be read, 2 on usage "
    "errors."))
def due(
    paths: Optional[List[Path]] = typer.Argument(
        None, help=_h("Plan folders or folders to search for plans. Default: `plans:` in "
                      "beredskap.yaml, else plans/.")),
    today: Optional[str] = typer.Option(None, help=_h("Compute as if today were this date "
                                                      "(YYYY-MM-DD).")),
    within: str = typer.Option("P1M", help=_h("What counts as soon: an ISO 8601 duration "
                                                              "(P1M: one month).")),
    format: str = typer.Option("table", "--format", "-f",
                               help=_h("Output: table, json, csv or ics (a calendar feed).")),
    status: Optional[str] = typer.Option(None, help=_h("Only these statuses (comma list of "
                                                       "never, overdue, soon, ok).")),
    by: Optional[str] = typer.Option(None, help=_h("`owner`: one list per responsible "
                                                             "person.")),
    fail_on: str = typer.Option("overdue", help=_h(
        "Exit 1 when a deadline is this bad or worse: never, overdue (includes never) or soon "
        "(includes both); `none` to always exit 0.")),
    delimiter: Optional[str] = typer.Option(None, "--delimiter", help=_h(
        "CSV cell separator: ';', ',' or tab. Default: ';' in Norwegian and Danish (as Excel "
        "there expects), ',' in English.")),
) -> None:
    from functools import partial

    from .. import i18n
    from ..dates import parse_duration
    from ..due import STATUSES, output, words
    from ..due.run import collect

    tr = i18n.current()
    if format not in DUE_FORMATS:
        fail_usage(_("unknown format '{format}'; one of: {formats}", format=format,
                     formats=", ".join(DUE_FORMATS)))
    if by not in (None, "owner"):
        fail_usage(_("{option} takes only '{value}'", option="--by", value="owner"))
    if delimiter is not None and delimiter not in DELIMITERS:
        fail_usage(_("{option}: one of {values}", option="--delimiter",
                     values=", ".join(DELIMITERS)))
    soon = parse_duration(within, zero=True)  # P0D: nothing counts as soon
    if soon is None:
        fail_usage(_("{option}: '{value}' is not a length of time; write it as an ISO 8601 "
                     "duration, such as P1M (a month) or P14D (14 days)", option="--within",
                     value=within))
    shown = set(STATUSES) if status is None else {s.strip() for s in status.split(",")}
    failing = {s.strip() for s in fail_on.split(",")} - {"none"}
    for name, chosen in (("--status", shown), ("--fail-on", failing)):
        if chosen - set(STATUSES):
            unknown = sorted(chosen - set(STATUSES))
            fail_usage(_n("{option}: unknown status {statuses}; one of: {known}",
                          "{option}: unknown statuses {statuses}; one of: {known}",
                          len(unknown), option=name, statuses=", ".join(unknown),
                          known=", ".join(STATUSES)))
    # each status includes the worse ones: soon ⊃ overdue ⊃ never done
    for level, worse in (("soon", ("overdue", "never")), ("overdue", ("never",))):
        if level in failing:
            failing.update(worse)
    day = parse_today(today)
    _config, targets = config_and_targets(paths)
    from ..config import ConfigError, ConfigLookup
    from ..rules import IDS

    from .progress import Progress, wanted

    language = tr.language
    plans = sum(1 for t in targets if t.kind == "plan")
    try:
        # a bar for people waiting at a terminal; never in json, csv or a calendar feed
        with Progress(plans, tr(_("Finding deadlines")), wanted(format == "table")) as progress:
            # JSON keeps one contact check per entry (for programs); people get one per file
            result = collect(targets, day, soon, ConfigLookup(set(IDS)),
                             partial(output.json_line, language=language) if format == "json"
                             else None, language=language, group_checks=format != "json",
                             progress=progress)
    except ConfigError as err:
        fail_usage(str(err))
    for path, errors in result.broken.items():
        typer.echo("beredskap: " + tr(words.broken_note(path, errors)), err=True)
    for path, (line, column, why) in result.unreadable.items():
        typer.echo("beredskap: " + tr(words.unreadable_note(path, line, column, why)), err=True)
    for path in result.skipped:
        typer.echo("beredskap: " + tr(words.single_file_note(path)), err=True)
    counts = {s: result.deadlines.counts.get(s, 0) for s in STATUSES}
    rows = (r for r in result.deadlines if r.status in shown)  # streamed: read once
    if by == "owner" or format in ("ics", "table"):
        rows = list(rows)  # grouped, or made whole before writing
    if by == "owner":
        rows.sort(key=lambda r: (r.responsible, ))
    if format == "json":
        output.write_json(rows, sys.stdout)
    elif format == "csv":
        output.write_csv(rows, sys.stdout, language,
                         DELIMITERS[delimiter] if delimiter else None)
    elif format == "ics":
        sys.stdout.write(output.as_ics(rows, day, tr))
    else:
        if rows:
            _due_table(rows, by == "owner", use_colour(sys.stdout), tr)
        else:
            typer.echo(tr(words.none_with(sorted(shown))))
        typer.echo(tr(words.summary(counts, soon, day)))
        if result.deadlines.first_upcoming is not None:
            typer.echo(tr(words.next_line(result.deadlines.first_upcoming)))
    # a plan that cannot be read has unknown deadlines: as bad as "never done"
    matched = any(counts[s] for s in failing) or (
        bool(result.unreadable) and "never" in failing)
    raise typer.Exit(EXIT_FINDINGS if matched else EXIT_OK)
