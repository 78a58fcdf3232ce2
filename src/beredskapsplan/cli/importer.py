"""`beredskap import`: an existing Word, OpenDocument or Markdown plan as a new plan folder."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..i18n import _
from .common import _h, app, fail_usage, parse_today


@app.command("import", help=_h(
    "Turn an existing plan (Word .docx, LibreOffice .odt or Markdown) into a new plan folder.\n\n"
    "Headings become sections with their numbers, annex tables (alert list, resources, "
    "plans, partners) become annex files, and the title page gives the title, case number "
    "and approval. What only you can fill in is marked, so `beredskap validate` lists it. "
    "Prints a report of what was recognised and left out. Never overwrites: the folder must "
    "be new or empty (exit 2)."))
def import_(
    file: Path = typer.Argument(..., metavar="FILE", help=_h("The document: .docx, .odt or .md.")),
    country: str = typer.Option(..., "--country", help=_h("no (Norway) or dk (Denmark): sets "
                                                          "the law and the phone region.")),
    out: Path = typer.Option(..., "--out", help=_h("The new plan folder, e.g. plans/kommune. "
                                                   "It must not exist yet, or be empty.")),
    name: Optional[str] = typer.Option(None, "--name", help=_h(
        "The municipality, e.g. \"Fjellvik kommune\". Default: as the document names it.")),
    language: Optional[str] = typer.Option(None, "--language", help=_h(
        "Language of the plan: nb, nn, da or en. Default: da for dk; nb or nn for no, "
        "from the document's words.")),
    report: Optional[Path] = typer.Option(None, "--report", help=_h(
        "Also write the report to this Markdown file (it must not exist yet).")),
    today: Optional[str] = typer.Option(None, help=_h(
        "Date used where the document gives none (YYYY-MM-DD), and for the check of the "
        "result. Default: today.")),
) -> None:
    from ..importer import ImporterError, import_document
    from ..importer import report as report_text

    day = parse_today(today)
    if report is not None and (report.exists() or report.is_symlink()):
        fail_usage(_("{file} already exists; beredskap import never overwrites files",
                file=str(report)))
    from ..importer import IMPORT_STEPS

    from .progress import Progress, wanted

    tr = i18n.current()
    try:
        with Progress(IMPORT_STEPS, tr(_("Importing the document")), wanted(True)) as progress:
            result = import_document(file, country, out, name=name, language=language,
                                     today=day, progress=progress)
    except ImporterError as err:
        fail_usage(err.message)
    typer.echo(report_text.text(result, tr), nl=False)
    if report is not None:
        text = report_text.markdown(result, tr)
        folder = report.parent if str(report.parent) else Path(".")
        try:
            handle, temp = tempfile.mkstemp(prefix=f".{report.name}.", dir=folder)
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
            os.chmod(temp, 0o644)
            if report.exists():
                os.unlink(temp)
                fail_usage(_("{file} already exists; beredskap import never overwrites files",
                        file=str(report)))
            os.replace(temp, report)
        except OSError as err:
            from ..documents import os_reason
            fail_usage(_("could not write {file}: {reason}", file=str(report),
                    reason=os_reason(err)))
        typer.echo(tr(_("report written to {file}", file=str(report))))
    typer.echo(tr(_("Next: fill in what is marked, then run `beredskap validate {folder}` and "
                    "`beredskap render {folder} --draft`.", folder=str(out))))
