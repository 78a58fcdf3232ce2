"""`beredskap call-list`: who to call, in order."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .common import EXIT_FINDINGS, app, fail_usage


@app.command("call-list")
def call_list(
    plan: Path = typer.Argument(..., help="The plan folder (or its plan.yaml)."),
    level: Optional[int] = typer.Option(None, help="Head the list with who may activate "
                                                   "this level."),
    format: str = typer.Option("text", "--format", "-f", help="Output: text or json."),
) -> None:
    """Who to call, in order, with phone numbers: the first minutes of a crisis. Offline."""
    import json

    from ..build import load_plan
    from ..calllist import as_text, call_list as build_call_list
    from ..project import PLAN_FILE

    from ..documents import not_a_file
    from ..i18n import current

    folder = plan.parent if plan.name == PLAN_FILE else plan
    why = not_a_file(folder / PLAN_FILE)
    if why is not None:  # a FIFO would make the call list wait for ever
        typer.echo(f"beredskap: {folder / PLAN_FILE}: {current()(why)}", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    if not (folder / PLAN_FILE).is_file():
        fail_usage(f"{folder}: no {PLAN_FILE} here")
    if format not in ("text", "json"):
        fail_usage(f"unknown format '{format}'; one of: text, json")
    result = load_plan(folder)
    loaded = result.plan
    # in a crisis, print what can be read, but say plainly what could not
    problems = [(d.display, p) for d in loaded.documents for p in d.problems
                if p.rule == "yaml-syntax"]
    for display, p in problems:
        typer.echo(f"{display}:{p.line}:{p.column}: cannot be read: {p.message}", err=True)
    for issue in result.path_issues:
        where = issue.src.at()
        typer.echo(f"{where.doc.display}:{where.line}:{where.column}: {issue.message}", err=True)
    try:
        calls = build_call_list(loaded, level)
    except KeyError:
        known = ", ".join(str(n) for n in sorted(loaded.level_numbers)) or "none"
        fail_usage(f"the plan has no level {level} (levels: {known})")
    if format == "json":
        typer.echo(json.dumps(calls.as_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(as_text(calls))
    if problems or result.path_issues:
        typer.echo("beredskap: the call list is incomplete: fix the files named above "
                   "(see `beredskap validate`)", err=True)
        raise typer.Exit(EXIT_FINDINGS)
