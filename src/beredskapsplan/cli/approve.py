"""`beredskap approve`: record the council's approval."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import EXIT_FINDINGS, _h, app, fail_usage, parse_today


@app.command(help=_h("Record the council's approval in plan.yaml, with a digest of the "
                     "approved content.\n\n"
                     "Only the new lines are added; comments and formatting are kept. Refused "
                     "when the plan has validation errors or the date is in the future."))
def approve(
    plan: Path = typer.Argument(..., help=_h("The plan folder (or its plan.yaml).")),
    on: str = typer.Option(..., "--date",
                           help=_h("Date of the council's decision (YYYY-MM-DD).")),
    by: str = typer.Option(..., "--by",
                           help=_h("The body that approved, e.g. Kommunestyret.")),
    case: Optional[str] = typer.Option(None, "--case", help=_h("Case or agenda number.")),
    submitted_to: Optional[str] = typer.Option(None,
                                               help=_h("Authority the plan was sent to.")),
    submitted_on: Optional[str] = typer.Option(None,
                                               help=_h("Date it was sent (YYYY-MM-DD).")),
    today: Optional[str] = typer.Option(None, help=_h("Check as if today were this date.")),
) -> None:
    from ..approve import ApproveError, record
    from ..check import Options, check_plan
    from ..project import PLAN_FILE

    folder = plan.parent if plan.name == PLAN_FILE else plan
    plan_file = folder / PLAN_FILE
    if not plan_file.is_file():
        fail_usage(f"{folder}: no {PLAN_FILE} here")
    day = parse_today(today)
    when = parse_today(on)
    sent = parse_today(submitted_on) if submitted_on else None
    for label, value in (("--date", when), ("--submitted-on", sent)):
        if value is not None and value > day:
            fail_usage(f"{label} {value.isoformat()} is in the future")
    if sent is not None and sent < when:
        fail_usage("--submitted-on is before the approval date")
    errors = [f for f in check_plan(folder, Options(today=day)) if f.severity == "error"]
    if errors:
        for f in errors[:10]:
            typer.echo(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}", err=True)
        typer.echo(f"beredskap: not recorded: the plan has {len(errors)} validation error"
                   f"{'s' if len(errors) != 1 else ''}; the council must approve a valid plan",
                   err=True)
        raise typer.Exit(EXIT_FINDINGS)
    try:
        digest = record(plan_file, when, by, case, submitted_to, sent)
    except ApproveError as err:
        fail_usage(str(err))
    typer.echo(f"Recorded the approval of {when.isoformat()} by {by} in {plan_file} ({digest}).")
