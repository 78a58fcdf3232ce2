"""`beredskap due`: every deadline with its source."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .common import EXIT_FINDINGS, EXIT_OK, app, config_and_targets, \
    fail_usage, parse_today, use_colour


DUE_FORMATS = ("table", "json", "csv", "ics")
_STATUS_STYLE = {"never": ("NEVER DONE", "bold red"), "overdue": ("OVERDUE", "bold red"),
                 "soon": ("soon", "yellow"), "ok": ("ok", "green")}


def _due_table(rows, by_owner: bool, colour: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(no_color=not colour, highlight=False,
                      width=None if sys.stdout.isatty() else 200)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.responsible if by_owner else "", []).append(row)
    several_plans = len({r.plan_id for r in rows}) > 1
    for owner, members in groups.items():
        table = Table(title=f"Responsible: {owner or 'not set'}" if by_owner else None,
                      title_justify="left", show_lines=False, expand=False)
        for column in ("Status", "Due", *(["Plan"] if several_plans else []), "What", "Subject",
                       *([] if by_owner else ["Responsible"]), "Source"):
            table.add_column(column, overflow="fold")
        for row in members:
            label, style = _STATUS_STYLE[row.status]
            table.add_row(f"[{style}]{label}[/]", row.due.isoformat(),
                          *([row.plan] if several_plans else []), row.label, row.subject,
                          *([] if by_owner else [row.responsible]), row.source)
        console.print(table)


@app.command()
def due(
    paths: Optional[List[Path]] = typer.Argument(
        None, help="Plan folders or folders to search for plans. Default: `plans:` in "
                   "beredskap.yaml, else plans/."),
    today: Optional[str] = typer.Option(None, help="Compute as if today were this date "
                                                   "(YYYY-MM-DD)."),
    within: str = typer.Option("P1M", help="What counts as soon: an ISO 8601 duration."),
    format: str = typer.Option("table", "--format", "-f",
                               help="Output: table, json, csv or ics (a calendar feed)."),
    status: Optional[str] = typer.Option(None, help="Only these statuses (comma list of "
                                                    "never, overdue, soon, ok)."),
    by: Optional[str] = typer.Option(None, help="`owner`: one list per responsible person."),
    fail_on: str = typer.Option("overdue", help="Exit 1 when a deadline is this bad or worse: "
                                                "never, overdue (includes never) or soon "
                                                "(includes both); `none` to always exit 0."),
) -> None:
    """Every deadline: revision, approval, submission, exercise, evaluation, contacts, cards.

    Each row names the law or policy it comes from. Exit status 1 when a deadline
    matches --fail-on (default: overdue or never done) or a plan.yaml cannot be read,
    2 on usage errors.
    """
    from ..dates import parse_duration
    from ..due import STATUSES, output
    from ..due.run import collect

    if format not in DUE_FORMATS:
        fail_usage(f"unknown format '{format}'; one of: {', '.join(DUE_FORMATS)}")
    if by not in (None, "owner"):
        fail_usage("--by takes `owner`")
    soon = parse_duration(within, zero=True)  # P0D: nothing counts as soon
    if soon is None:
        fail_usage(f"--within: '{within}' is not an ISO 8601 duration such as P1M or P14D")
    shown = set(STATUSES) if status is None else {s.strip() for s in status.split(",")}
    failing = {s.strip() for s in fail_on.split(",")} - {"none"}
    for name, chosen in (("--status", shown), ("--fail-on", failing)):
        if chosen - set(STATUSES):
            fail_usage(f"{name}: unknown status {', '.join(sorted(chosen - set(STATUSES)))}; "
                        f"one of: {', '.join(STATUSES)}")
    # each status includes the worse ones: soon ⊃ overdue ⊃ never done
    for level, worse in (("soon", ("overdue", "never")), ("overdue", ("never",))):
        if level in failing:
            failing.update(worse)
    day = parse_today(today)
    _config, targets = config_and_targets(paths)
    from ..config import ConfigError, ConfigLookup
    from ..rules import RULES

    try:
        result = collect(targets, day, soon, ConfigLookup(set(RULES)),
                         output.json_line if format == "json" else None)
    except ConfigError as err:
        fail_usage(str(err))
    for path, errors in result.broken.items():
        typer.echo(f"beredskap: {path}: {errors} validation error{'s' if errors != 1 else ''} "
                   "can make this plan's deadlines wrong or incomplete; they are computed "
                   "from what could be read (see `beredskap validate`)", err=True)
    for path, (line, column, why) in result.unreadable.items():
        typer.echo(f"beredskap: {path}:{line}:{column}: {why}; no deadlines can be computed "
                   "for this plan until its plan.yaml can be read", err=True)
    for path in result.skipped:
        typer.echo(f"beredskap: {path}: a single annex file has no deadlines on its own; "
                   "name its plan folder", err=True)
    rows = [r for r in result.deadlines if r.status in shown]
    if by == "owner":
        rows.sort(key=lambda r: (r.responsible, ))
    if format == "json":
        output.write_json(rows, sys.stdout)
    elif format == "csv":
        output.write_csv(rows, sys.stdout)
    elif format == "ics":
        sys.stdout.write(output.as_ics(rows, day))
    else:
        if rows:
            _due_table(rows, by == "owner", use_colour(sys.stdout))
        else:
            typer.echo("No deadlines with status " + ", ".join(sorted(shown)) + ".")
        counts = {s: sum(1 for r in result.deadlines if r.status == s) for s in STATUSES}
        typer.echo(f"{counts['never']} never done, {counts['overdue']} overdue, "
                   f"{counts['soon']} due within {within}, {counts['ok']} ok "
                   f"(as of {day.isoformat()})")
        upcoming = [r for r in result.deadlines if r.status in ("soon", "ok")]
        if upcoming:
            first = min(upcoming, key=lambda r: r.due)
            typer.echo(f"Next: {first.due.isoformat()} {first.label}: {first.subject} "
                       f"({first.plan})")
    # a plan that cannot be read has unknown deadlines: as bad as "never done"
    matched = any(r.status in failing for r in result.deadlines) or (
        bool(result.unreadable) and "never" in failing)
    raise typer.Exit(EXIT_FINDINGS if matched else EXIT_OK)
