"""`beredskap approve`: record the council's approval."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..i18n import _, _n
from .common import EXIT_FINDINGS, _h, app, fail_usage, parse_today


@app.command(help=_h("Record the council's approval in plan.yaml, with a digest of the "
                     "approved content.\n\n"
                     "Only the new lines are added; comments and formatting are kept. Refused "
                     "when the plan has validation errors or the date is in the future."))
def approve(
    plan: Path = typer.Argument(..., metavar="PLAN", help=_h("The plan folder (or its plan.yaml).")),
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

    tr = i18n.current()
    folder = plan.parent if plan.name == PLAN_FILE else plan
    plan_file = folder / PLAN_FILE
    if not plan_file.is_file():
        fail_usage(tr(_("{path}: there is no {file} here; name a plan folder", path=str(folder),
                        file=PLAN_FILE)))
    day = parse_today(today)
    when = parse_today(on)
    sent = parse_today(submitted_on) if submitted_on else None
    for label, value in (("--date", when), ("--submitted-on", sent)):
        if value is not None and value > day:
            fail_usage(tr(_("{option} {day} is in the future; give the date of the decision",
                            option=label, day=value)))
    if sent is not None and sent < when:
        fail_usage(tr(_("--submitted-on is before the approval date: a plan is sent after the "
                        "council approved it")))
    findings = check_plan(folder, Options(today=day, language=tr.language))
    errors = [f for f in findings if f.severity == "error"]
    # text still to be filled in: a plan with placeholders is not the plan the council approves
    blanks = [f for f in findings if f.rule == "placeholder"]
    for refused in (errors, blanks):
        for f in refused[:10]:
            typer.echo(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}", err=True)
        if len(refused) > 10:
            typer.echo(tr(_("... and {n} more", n=len(refused) - 10)), err=True)
    if errors:
        typer.echo(tr(_n("beredskap: not recorded: the plan has {n} validation error; the "
                         "council must approve a valid plan (`beredskap validate {folder}` "
                         "lists it)",
                         "beredskap: not recorded: the plan has {n} validation errors; the "
                         "council must approve a valid plan (`beredskap validate {folder}` "
                         "lists them)", len(errors), folder=str(folder))), err=True)
        raise typer.Exit(EXIT_FINDINGS)
    if blanks:
        typer.echo(tr(_n("beredskap: not recorded: {n} text in the plan is still to be filled "
                         "in (marked {marks}); fill it in first (`beredskap validate {folder}` "
                         "shows where)",
                         "beredskap: not recorded: {n} texts in the plan are still to be "
                         "filled in (marked {marks}); fill them in first (`beredskap validate "
                         "{folder}` shows where)", len(blanks), folder=str(folder),
                         marks=_marks(blanks))), err=True)
        raise typer.Exit(EXIT_FINDINGS)
    try:
        digest = record(plan_file, when, by, case, submitted_to, sent)
    except ApproveError as err:
        fail_usage(str(err))
    typer.echo(tr(_("Recorded the approval of {day} by {by} in {path} ({digest}).", day=when,
                    by=by, path=str(plan_file), digest=digest)))


def _marks(findings) -> str:
    """The fill-in marks named in placeholder findings: «FYLL INN»."""
    from ..placeholders import MARKS

    found = [m for m in dict.fromkeys(MARKS.values()) if any(m in f.message for f in findings)]
    return " / ".join(found) or MARKS["en"]
