"""`beredskap render`: the council document."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from .. import i18n
from ..i18n import _, _n
from .common import EXIT_FINDINGS, EXIT_OK, _h, app, fail_usage, parse_today


@app.command(help=_h("Write the plan as DOCX, PDF, HTML and Markdown: the document the "
                     "council approves.\n\n"
                     "Files are named after the plan folder (`<folder>[-public].<ext>`), written "
                     "atomically, and are byte-identical for the same input. Several plans may "
                     "be named: each is made in turn, and one that cannot be made does not stop "
                     "the others. Exit status: 0 written, 1 refused (validation errors without "
                     "--draft) or failed, 2 usage error."))
def render(
    plans: List[Path] = typer.Argument(..., metavar="PLAN...",
                                       help=_h("The plan folder (or its plan.yaml); several "
                                               "may be given, and a folder of plans stands "
                                               "for every plan in it.")),
    to: str = typer.Option("docx,pdf,html,md", "--to",
                           help=_h("Output formats, comma-separated: docx, pdf, html, md.")),
    out: Path = typer.Option(Path("out"), "--out", help=_h("Folder for the documents "
                                                           "(created if missing).")),
    audience: str = typer.Option("internal", "--audience",
                                 help=_h("internal (everything) or public (exempt parts, "
                                         "private numbers, e-mail addresses of people and "
                                         "clearances left out).")),
    template_dir: Optional[Path] = typer.Option(None, "--template-dir",
                                                help=_h("Folder with templates that replace "
                                                        "the shipped ones of the same file "
                                                        "name.")),
    draft: bool = typer.Option(False, "--draft", help=_h("Render even with validation errors; "
                                                         "every page is then marked as a "
                                                         "draft.")),
    today: Optional[str] = typer.Option(None, help=_h("Validate as if today were this date "
                                                      "(YYYY-MM-DD).")),
) -> None:
    from ..render import RenderOptions, RenderUsageError, check_options

    from .progress import Progress, wanted

    tr = i18n.current()
    formats = tuple(f.strip().lower() for f in to.split(",") if f.strip())
    options = RenderOptions(formats=formats, out=out, audience=audience,
                            template_dir=template_dir, draft=draft, today=parse_today(today),
                            messages=i18n.current_language())
    try:
        check_options(options)  # once, not once per plan
    except RenderUsageError as err:
        fail_usage(err.args[0])
    from ..project import UsageError, discover

    try:  # a folder of plans stands for every plan in it, as for validate
        targets = discover(plans)
    except UsageError as err:
        fail_usage(err.message)
    _refuse_shared_names([t.path for t in targets if t.kind == "plan"])
    codes = []
    with Progress(len(targets), tr(_("Rendering plans")), wanted(True)) as progress:
        for done, target in enumerate(targets, 1):
            if target.kind == "problem":  # a folder that may hold plans and cannot be read
                typer.echo(f"beredskap: {target.path}: {tr(target.problem)}", err=True)
                codes.append(EXIT_FINDINGS)
            else:
                codes.append(_render_one(target.path, options, audience, tr))
            progress(done)
    if len(targets) > 1:
        made = codes.count(EXIT_OK)
        typer.echo(tr(_n("{made} of {n} plan rendered", "{made} of {n} plans rendered",
                         len(targets), made=made, n=len(targets))), err=made < len(targets))
    raise typer.Exit(max(codes))


def _refuse_shared_names(folders: list[Path]) -> None:
    """Two plans whose folders have the same name would overwrite each other's files."""
    seen: dict[str, Path] = {}
    for folder in folders:
        name = folder.resolve().name
        if name in seen and seen[name].resolve() != folder.resolve():
            fail_usage(_("{first} and {second} would both be written as {name}.*; render them "
                         "one at a time with a different --out", first=str(seen[name]),
                         second=str(folder), name=name))
        seen.setdefault(name, folder)


def _render_one(plan: Path, options, audience: str, tr) -> int:
    """Make one plan's documents and say what happened; the exit status it gives."""
    from ..render import NotPublic, Refused, RenderError, render as run_render

    try:
        result = run_render(plan, options)
    except Refused as err:
        for f in err.errors[:10]:
            typer.echo(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}", err=True)
        if len(err.errors) > 10:
            typer.echo(tr(_("... and {n} more", n=len(err.errors) - 10)), err=True)
        typer.echo("beredskap: " + tr(_n(
            "not rendered: the plan has {n} validation error; fix it (see `beredskap validate "
            "{plan}`) or render a marked draft with --draft",
            "not rendered: the plan has {n} validation errors; fix them (see `beredskap "
            "validate {plan}`) or render a marked draft with --draft",
            len(err.errors), plan=str(plan))), err=True)
        return EXIT_FINDINGS
    except NotPublic as err:
        for p in err.problems:
            typer.echo(f"{p.where.doc.display}:{p.where.line}:{p.where.column}: "
                       f"{tr(p.message)}", err=True)
        typer.echo(f"beredskap: {tr(err.args[0])}", err=True)
        return EXIT_FINDINGS
    except RenderError as err:
        typer.echo(f"beredskap: {tr(err.args[0]) if err.args else err}", err=True)
        return err.exit_code
    status = STATUS_WORDS[result.status]
    if result.errors:
        status = _n("{status}; DRAFT with {n} validation error",
                    "{status}; DRAFT with {n} validation errors", len(result.errors),
                    status=status)
    for path in result.files:
        typer.echo(tr(_("wrote {path}", path=str(path))))
    typer.echo(tr(_("{audience} version, {status}",
                    audience=AUDIENCE_WORDS.get(audience, audience), status=status)))
    return EXIT_OK


# what the last line of `render` says about the document written
STATUS_WORDS = {"approved": _("approved"), "unverified": _("approved (no digest)"),
                "changed": _("changed since approval: marked as a proposal"),
                "never": _("never approved: marked as a proposal")}
AUDIENCE_WORDS = {"internal": _("internal"), "public": _("public")}
