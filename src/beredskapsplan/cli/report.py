"""`beredskap report`: each legal duty with its evidence; an overview across many plans."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from .. import i18n
from ..i18n import _
from .common import EXIT_FINDINGS, EXIT_OK, _h, app, config_and_targets, fail_usage, parse_today

REPORT_FORMATS = ("html", "md", "json", "csv", "pdf")
SUFFIXES = {".html": "html", ".htm": "html", ".md": "md", ".json": "json", ".csv": "csv",
            ".pdf": "pdf"}


@app.command(help=_h(
    "For the auditor: each legal duty of a plan with its status and evidence, or an overview."
    "\n\nOne plan: every duty of its jurisdiction (law and paragraph, met / not met / not "
    "recorded, the date and file:line it rests on), the documents table and, for Norwegian "
    "plans, the answers to DSB's survey. Several plans: one overview page. Exit status 0, 1 "
    "when a plan.yaml cannot be read, 2 on usage errors."))
def report(
    paths: Optional[List[Path]] = typer.Argument(
        None, help=_h("A plan folder for one plan's report; several, or a folder of plans, for "
                      "the overview. Default: `plans:` in beredskap.yaml, else plans/.")),
    format: Optional[str] = typer.Option(
        None, "--format", "-f",
        help=_h("Output: html, md, json, csv or pdf (pdf: one plan only). Default: from the "
                "name given to --out, else md.")),
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", help=_h("Write the report to this file instead of the screen.")),
    today: Optional[str] = typer.Option(
        None, help=_h("Report as if today were this date (YYYY-MM-DD).")),
) -> None:
    tr = i18n.current()
    chosen = format or (SUFFIXES.get(out.suffix.lower()) if out is not None else None) or "md"
    if chosen not in REPORT_FORMATS:
        fail_usage(tr(_("unknown format '{format}'; one of: {formats}", format=chosen,
                        formats=", ".join(REPORT_FORMATS))))
    if chosen == "pdf" and out is None:
        fail_usage(tr(_("a PDF cannot be shown on the screen; name a file with --out, "
                        "e.g. --out report.pdf")))
    if out is not None and out.is_dir():
        fail_usage(tr(_("{path} is a folder; --out names the file to write, e.g. {example}",
                        path=str(out), example=str(out / f"report.{chosen}"))))
    if out is not None and not out.parent.is_dir():
        fail_usage(tr(_("the folder {path} does not exist", path=str(out.parent))))
    day = parse_today(today)
    _config, targets = config_and_targets(paths)
    from ..config import ConfigError, ConfigLookup
    from ..report import collect
    from ..rules import IDS

    from .progress import Progress, wanted

    plans = sum(1 for t in targets if t.kind == "plan")
    try:
        # a bar for people waiting at a terminal; never for json or csv (made for programs)
        with Progress(plans, tr(_("Reading plans")),
                      wanted(chosen in ("md", "html", "pdf"))) as progress:
            overview = collect(targets, day, i18n.current_language(), ConfigLookup(set(IDS)),
                               progress)
    except ConfigError as err:
        fail_usage(str(err))
    for path in overview.skipped:
        typer.echo("beredskap: " + tr(_("{path}: a single annex file has no duties on its own; "
                                        "name its plan folder", path=path)), err=True)
    if not overview.reports:
        fail_usage(tr(_("no plan found to report on")))
    single = len(overview.reports) == 1
    if chosen == "pdf" and not single:
        fail_usage(tr(_("a PDF is made for one plan; for many plans use html (it prints well) "
                        "or csv")))
    for path, unreadable, errors in overview.troubled:
        if unreadable:
            typer.echo("beredskap: " + tr(_("{why}; no duty of this plan can be judged until "
                                            "its plan.yaml can be read",
                                            why=unreadable)), err=True)
        elif errors:
            typer.echo("beredskap: " + tr(_("{path}: validation errors can make this plan's "
                                            "statuses wrong or incomplete; see `beredskap "
                                            "validate`", path=path)), err=True)
    data = _write(chosen, overview, single, tr)
    try:
        if out is None:
            if isinstance(data, (str, bytes)):
                sys.stdout.write(data if isinstance(data, str) else data.decode("utf-8"))
            else:
                for piece in data:
                    sys.stdout.write(piece)
        else:
            try:
                if isinstance(data, (str, bytes)):
                    from ..render.convert import write_atomic
                    write_atomic(out, data.encode("utf-8") if isinstance(data, str) else data)
                else:
                    _write_streamed(out, data)
            except OSError as err:
                from ..documents import os_reason
                fail_usage(tr(_("cannot write {path}: {why}", path=str(out),
                                why=os_reason(err))))
            typer.echo(tr(_("wrote {path}", path=str(out))), err=True)
    finally:
        overview.reports.close()
    unreadable = any(why for _path, why, _errors in overview.troubled)
    raise typer.Exit(EXIT_FINDINGS if unreadable else EXIT_OK)


def _write(chosen: str, overview, single: bool, tr) -> str | bytes | Iterator[str]:
    """One plan's report whole; the overview of many as pieces, written as they come."""
    from ..report import html, text

    if chosen == "json":
        return text.plan_json(overview.reports[0]) if single else \
            text.overview_json_parts(overview, tr)
    if chosen == "csv":
        return text.as_csv(overview.reports) if single else _csv_parts(overview.reports)
    if chosen == "html":
        return html.plan_html(overview.reports[0], tr) if single else \
            html.overview_html_parts(overview, tr)
    if chosen == "md":
        return text.plan_markdown(overview.reports[0], tr) if single else \
            text.overview_markdown_parts(overview, tr)
    from ..report.pdf import plan_pdf
    from ..render.convert import ConvertError
    try:
        return plan_pdf(overview.reports[0], tr)
    except ConvertError as err:
        fail_usage(str(err))
    return b""


def _csv_parts(reports) -> Iterator[str]:
    """The CSV of many plans, a plan's rows at a time."""
    import io

    from ..report import text

    buffer = io.StringIO()
    writer_rows = text.csv_writer(buffer)
    for _done in writer_rows(reports):
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _write_streamed(path: Path, pieces: Iterator[str]) -> None:
    """Text written piece by piece to a temporary file beside `path`, then renamed into
    place: a reader never sees half a report, and a failed run leaves the old one."""
    from ..render.convert import write_atomic

    write_atomic(path, pieces)
