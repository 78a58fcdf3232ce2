"""`beredskap render`: the council document."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import EXIT_FINDINGS, app, parse_today


@app.command()
def render(
    plan: Path = typer.Argument(..., help="The plan folder (or its plan.yaml)."),
    to: str = typer.Option("docx,pdf,html,md", "--to",
                           help="Output formats, comma-separated: docx, pdf, html, md."),
    out: Path = typer.Option(Path("out"), "--out", help="Folder for the documents "
                                                        "(created if missing)."),
    audience: str = typer.Option("internal", "--audience",
                                 help="internal (everything) or public (exempt parts, private "
                                      "numbers, e-mail addresses of people and clearances left "
                                      "out)."),
    template_dir: Optional[Path] = typer.Option(None, "--template-dir",
                                                help="Folder with templates that replace the "
                                                     "shipped ones of the same file name."),
    draft: bool = typer.Option(False, "--draft", help="Render even with validation errors; "
                                                      "every page is then marked as a draft."),
    today: Optional[str] = typer.Option(None, help="Validate as if today were this date "
                                                   "(YYYY-MM-DD)."),
) -> None:
    """Write the plan as DOCX, PDF, HTML and Markdown: the document the council approves.

    Files are named after the plan folder (`<folder>[-public].<ext>`), written
    atomically, and are byte-identical for the same input. Exit status: 0 written,
    1 refused (validation errors without --draft) or failed, 2 usage error.
    """
    from .. import i18n
    from ..render import NotPublic, Refused, RenderError, RenderOptions, render as run_render

    formats = tuple(f.strip().lower() for f in to.split(",") if f.strip())
    options = RenderOptions(formats=formats, out=out, audience=audience,
                            template_dir=template_dir, draft=draft, today=parse_today(today))
    try:
        result = run_render(plan, options)
    except Refused as err:
        for f in err.errors[:10]:
            typer.echo(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}", err=True)
        if len(err.errors) > 10:
            typer.echo(f"... and {len(err.errors) - 10} more", err=True)
        typer.echo(f"beredskap: not rendered: {err}; fix them (see `beredskap validate "
                   f"{plan}`) or render a marked draft with --draft", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    except NotPublic as err:
        tr = i18n.current()
        for p in err.problems:
            typer.echo(f"{p.where.doc.display}:{p.where.line}:{p.where.column}: "
                       f"{tr(p.message)}", err=True)
        typer.echo(f"beredskap: {err}", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    except RenderError as err:
        typer.echo(f"beredskap: {err}", err=True)
        raise typer.Exit(err.exit_code)
    status = {"approved": "approved", "unverified": "approved (no digest)",
              "changed": "changed since approval: marked as a proposal",
              "never": "never approved: marked as a proposal"}[result.status]
    if result.errors:
        status += f"; DRAFT with {len(result.errors)} validation error" \
                  f"{'s' if len(result.errors) != 1 else ''}"
    for path in result.files:
        typer.echo(f"wrote {path}")
    typer.echo(f"{audience} version, {status}")
