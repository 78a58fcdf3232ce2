"""`beredskap record …`, `close finding` and `verify`: upkeep without editing YAML."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .common import EXIT_FINDINGS, EXIT_USAGE, _h, app, parse_today

record_app = typer.Typer(
    help=_h("Record what happened: an exercise, an incident, an evaluation, a finding, a "
            "revision or a submission. Each adds one entry to plan.yaml; comments and "
            "formatting are kept."),
    no_args_is_help=True, rich_markup_mode=None)
close_app = typer.Typer(help=_h("Close what is done: a finding."), no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(record_app, name="record")
app.add_typer(close_app, name="close")

PLAN_HELP = _h("The plan folder (or its plan.yaml).")
DRY_RUN_HELP = _h("Show the change as a diff and write nothing.")
TODAY_HELP = _h("Check dates as if today were this date (YYYY-MM-DD).")
EVENT_HELP = _h("The exercise: its id, its date (YYYY-MM-DD), or its date and words from its "
                "title, e.g. \"2026-04-22 flom\".")
INCIDENT_HELP = _h("The incident: its id, its date (YYYY-MM-DD), or its date and words from "
                   "its title.")


def _run(action) -> None:
    """Run a recording function; print what changed, or why nothing was."""
    from .. import i18n
    from ..config import ConfigError
    from ..record import RecordError
    from ..record.core import DRY_RUN, NOTHING_TO_DO

    tr = i18n.current()
    try:
        recorded = action()
    except RecordError as err:
        typer.echo(f"beredskap: {tr(err.message)}", err=True)
        for line in err.details:
            typer.echo(f"  {tr(line)}", err=True)
        raise typer.Exit(EXIT_FINDINGS if err.invalid else EXIT_USAGE)
    except ConfigError as err:
        typer.echo(f"beredskap: {err}", err=True)
        raise typer.Exit(EXIT_USAGE)
    if recorded.dry_run:
        typer.echo(recorded.diff(), nl=False)
    for line in recorded.said:
        typer.echo(tr(line))
    if not any(c.changed for c in recorded.changes):
        typer.echo(tr(NOTHING_TO_DO))
    elif recorded.dry_run:
        typer.echo(tr(DRY_RUN))
    for note in recorded.notes:
        typer.echo(f"beredskap: {tr(note)}", err=True)


def _event(exercise: Optional[str], incident: Optional[str]) -> tuple[str, str]:
    from .. import i18n
    from ..i18n import _

    if bool(exercise) == bool(incident):
        typer.echo("beredskap: " + i18n.current()(_(
            "name either the exercise (--exercise) or the incident (--incident)")), err=True)
        raise typer.Exit(EXIT_USAGE)
    return ("exercise", exercise) if exercise else ("incident", incident)


@record_app.command("exercise", help=_h(
    "Record an exercise that has been held.\n\nAppended to `exercises:` in plan.yaml."))
def exercise(
    plan: Path = typer.Argument(..., metavar="PLAN", help=PLAN_HELP),
    on: str = typer.Option(..., "--date", help=_h("Date of the exercise (YYYY-MM-DD).")),
    title: str = typer.Option(..., "--title", help=_h("Name of the exercise.")),
    kind: str = typer.Option(..., "--type", help=_h("tabletop, functional, full-scale or "
                                                    "alert-test.")),
    event_id: Optional[str] = typer.Option(None, "--id", help=_h(
        "An id for the exercise, so later commands can name it (optional).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    today: Optional[str] = typer.Option(None, help=TODAY_HELP),
) -> None:
    from ..record import record_exercise

    _run(lambda: record_exercise(plan, parse_today(on), title, kind, parse_today(today),
                                 event_id, dry_run))


@record_app.command("incident", help=_h(
    "Record an incident where the plan was used.\n\nAppended to `incidents:` in "
    "plan.yaml."))
def incident(
    plan: Path = typer.Argument(..., metavar="PLAN", help=PLAN_HELP),
    on: str = typer.Option(..., "--date", help=_h("Date the incident began (YYYY-MM-DD).")),
    title: str = typer.Option(..., "--title", help=_h("Short name of the incident.")),
    level: Optional[int] = typer.Option(None, "--level", help=_h(
        "The highest emergency level used, one of the plan's levels.")),
    event_id: Optional[str] = typer.Option(None, "--id", help=_h(
        "An id for the incident, so later commands can name it (optional).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    today: Optional[str] = typer.Option(None, help=TODAY_HELP),
) -> None:
    from ..record import record_incident

    _run(lambda: record_incident(plan, parse_today(on), title, parse_today(today), level,
                                 event_id, dry_run))


@record_app.command("evaluation", help=_h(
    "Record the evaluation of an exercise or incident.\n\nSets its `evaluated:` date."))
def evaluation(
    plan: Path = typer.Argument(..., metavar="PLAN", help=PLAN_HELP),
    exercise: Optional[str] = typer.Option(None, "--exercise", help=EVENT_HELP),
    incident: Optional[str] = typer.Option(None, "--incident", help=INCIDENT_HELP),
    on: str = typer.Option(..., "--date", help=_h("Date of the evaluation report "
                                                  "(YYYY-MM-DD).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    today: Optional[str] = typer.Option(None, help=TODAY_HELP),
) -> None:
    from ..record import record_evaluation

    kind, name = _event(exercise, incident)
    _run(lambda: record_evaluation(plan, kind, name, parse_today(on), parse_today(today),
                                   dry_run))


@record_app.command("finding", help=_h(
    "Record a finding: what must be improved, by whom, by when.\n\nAppended to the "
    "`findings:` of the exercise or incident."))
def finding(
    plan: Path = typer.Argument(..., metavar="PLAN", help=PLAN_HELP),
    exercise: Optional[str] = typer.Option(None, "--exercise", help=EVENT_HELP),
    incident: Optional[str] = typer.Option(None, "--incident", help=INCIDENT_HELP),
    text: str = typer.Option(..., "--text", help=_h("What was found and what must be done.")),
    owner: str = typer.Option(..., "--owner", help=_h("The role or crisis staff that follows "
                                                      "it up (its id).")),
    due: str = typer.Option(..., "--due", help=_h("Deadline for the follow-up (YYYY-MM-DD).")),
    finding_id: Optional[str] = typer.Option(None, "--id", help=_h(
        "Id of the finding. Default: the next in the plan's series, e.g. f-2026-3.")),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    today: Optional[str] = typer.Option(None, help=TODAY_HELP),
) -> None:
    from ..record import record_finding

    kind, name = _event(exercise, incident)
    _run(lambda: record_finding(plan, kind, name, text, owner, parse_today(due),
                                parse_today(today), finding_id, dry_run))


@record_app.command("revision", help=_h(
    "Record a revision of the plan in its change log.\n\nAppended to `revisions:` in "
    "plan.yaml."))
def revision(
    plan: Path = typer.Argument(..., metavar="PLAN", help=PLAN_HELP),
    summary: str = typer.Option(..., "--summary", help=_h("What was changed, in a sentence.")),
    by: str = typer.Option(..., "--by", help=_h("The role that made the revision (its id).")),
    on: Optional[str] = typer.Option(None, "--date", help=_h("Date of the revision "
                                                             "(YYYY-MM-DD). Default: today.")),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    today: Optional[str] = typer.Option(None, help=TODAY_HELP),
) -> None:
    from ..record import record_revision

    day = parse_today(today)
    _run(lambda: record_revision(plan, summary, by, parse_today(on) if on else day, day,
                                 dry_run))


@record_app.command("submission", help=_h(
    "Record that the approved plan was sent to the authority.\n\nAppended to "
    "`submissions:` in plan.yaml."))
def submission(
    plan: Path = typer.Argument(..., metavar="PLAN", help=PLAN_HELP),
    to: str = typer.Option(..., "--to", help=_h("The authority the plan was sent to.")),
    on: str = typer.Option(..., "--date", help=_h("Date it was sent (YYYY-MM-DD).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    today: Optional[str] = typer.Option(None, help=TODAY_HELP),
) -> None:
    from ..record import record_submission

    _run(lambda: record_submission(plan, to, parse_today(on), parse_today(today), dry_run))


@close_app.command("finding", help=_h(
    "Close a finding of an exercise or incident.\n\nSets its `closed:` date."))
def close_finding(
    plan: Path = typer.Argument(..., metavar="PLAN", help=PLAN_HELP),
    finding_id: str = typer.Argument(..., metavar="ID", help=_h("Id of the finding.")),
    on: str = typer.Option(..., "--date", help=_h("Date it was dealt with (YYYY-MM-DD).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    today: Optional[str] = typer.Option(None, help=TODAY_HELP),
) -> None:
    from ..record import close_finding as close

    _run(lambda: close(plan, finding_id, parse_today(on), parse_today(today), dry_run))


@app.command(help=_h(
    "Mark people, partners and resources as checked.\n\nSets `verified:` in whichever"
    " annex file holds them; with --all, every entry (a file-level `verified:` is "
    "changed where the file has one)."))
def verify(
    plan: Path = typer.Argument(..., metavar="PLAN", help=PLAN_HELP),
    ids: Optional[List[str]] = typer.Argument(None, metavar="[ID]...", help=_h(
        "Ids of the people, partners and resources that were checked.")),
    every: bool = typer.Option(False, "--all", help=_h("Every person, partner and resource "
                                                       "of the plan.")),
    on: Optional[str] = typer.Option(None, "--date", help=_h("Date of the check (YYYY-MM-DD). "
                                                             "Default: today.")),
    dry_run: bool = typer.Option(False, "--dry-run", help=DRY_RUN_HELP),
    today: Optional[str] = typer.Option(None, help=TODAY_HELP),
) -> None:
    from ..record import verify as mark

    day = parse_today(today)
    _run(lambda: mark(plan, list(ids or []), every, parse_today(on) if on else day, day,
                      dry_run))
