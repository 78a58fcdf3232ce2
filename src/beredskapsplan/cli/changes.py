"""`beredskap changes`: what changed since the council approved the plan."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..i18n import _, current
from .common import EXIT_FINDINGS, _h, app, parse_today


@app.command(help=_h("Compare the plan with the version the council approved: a summary, and "
                     "the document with every change marked (tracked changes in DOCX).\n\n"
                     "Files are named <folder>-changes[-public].<ext>, written atomically, and "
                     "are byte-identical for the same input. Exit status: 0 written, 1 no "
                     "version to compare with, refused (validation errors without --draft) or "
                     "failed, 2 usage error."))
def changes(
    plan: Path = typer.Argument(..., metavar="PLAN", help=_h("The plan folder (or its plan.yaml).")),
    since: str = typer.Option("approval", "--since", metavar="approval|REV|PATH",
                              help=_h("What to compare with: approval (the version of the "
                                      "latest approval, found in the git history), a git "
                                      "revision (commit, tag, branch), or another plan "
                                      "folder.")),
    to: str = typer.Option("docx,pdf,html,md", "--to",
                           help=_h("Output formats, comma-separated: docx, pdf, html, md.")),
    out: Path = typer.Option(Path("out"), "--out",
                             help=_h("Folder for the documents (created if missing).")),
    audience: str = typer.Option("internal", "--audience",
                                 help=_h("internal (everything) or public (exempt parts and "
                                         "private data withheld in both versions).")),
    full: bool = typer.Option(False, "--full", help=_h("Show unchanged sections in full, not "
                                                       "only their headings.")),
    draft: bool = typer.Option(False, "--draft", help=_h("Make the document even when the plan "
                                                         "has validation errors; it is then "
                                                         "marked as a draft.")),
    today: Optional[str] = typer.Option(None, help=_h("Validate as if today were this date "
                                                      "(YYYY-MM-DD).")),
) -> None:
    from ..changes import ChangesError, ChangesOptions, Refused, changes as run_changes

    tr = current()
    formats = tuple(f.strip().lower() for f in to.split(",") if f.strip())
    options = ChangesOptions(since=since, formats=formats, out=out, audience=audience,
                             full=full, draft=draft, today=parse_today(today))
    try:
        result = run_changes(plan, options)
    except Refused as err:
        for f in err.errors[:10]:
            typer.echo(f"{f.path}:{f.line}:{f.column}: {f.rule} {tr(f.message)}", err=True)
        typer.echo(tr(_("beredskap: no change document made: {reason}", reason=err.message)),
                   err=True)
        raise typer.Exit(EXIT_FINDINGS)
    except ChangesError as err:
        typer.echo(f"beredskap: {tr(err.message)}", err=True)
        raise typer.Exit(err.exit_code)
    print_summary(result, tr)
    for path in result.files:
        typer.echo(tr(_("wrote {path}", path=str(path))))


def print_summary(result, tr) -> None:
    from ..changes.document import summary_groups

    typer.echo(tr(result.description))
    groups = summary_groups(result.summary)
    if not groups:
        typer.echo(tr(_("Nothing has changed since the version compared with.")))
    for group in groups:
        typer.echo(f"{tr(group.title)} ({len(group.items)}):" if len(group.items) > 1
                   else f"{tr(group.title)}:")
        for text, _anchor in group.items:
            typer.echo(f"  - {tr(text)}")
