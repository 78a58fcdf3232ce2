"""`beredskap call-list`: who to call, in order."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .common import EXIT_FINDINGS, _h, app, fail_usage, parse_today

FORMATS = ("text", "json", "html", "pdf", "vcf")


@app.command("call-list", help=_h(
    "Who to call, in order, with phone numbers: the first minutes of a crisis. Offline.\n\n"
    "A holder who is not in the plan or has no number, and a role no one in it can be "
    "reached in, are shown in the list as gaps, and the exit status is then 1. --format "
    "html or pdf gives a one-page list to print, vcf the alert list as vCards for phones."))
def call_list(
    plan: Path = typer.Argument(..., metavar="PLAN", help=_h("The plan folder (or its plan.yaml).")),
    level: Optional[int] = typer.Option(None, help=_h("Head the list with who may activate "
                                                      "this level.")),
    format: str = typer.Option("text", "--format", "-f", help=_h(
        "Output: text, json, html, pdf (one page to print) or vcf (vCards).")),
    audience: str = typer.Option("internal", "--audience", help=_h(
        "internal (every number) or public (private numbers and e-mail addresses left "
        "out).")),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help=_h(
        "Write to this file instead of standard output (needed for pdf on a terminal).")),
    today: Optional[str] = typer.Option(None, help=_h("The date printed on the list "
                                                      "(YYYY-MM-DD). Default: today.")),
) -> None:
    import json

    from .. import i18n
    from ..build import load_plan
    from ..calllist import AUDIENCES, call_list as build_call_list
    from ..i18n import _
    from ..project import PLAN_FILE

    from ..documents import not_a_file

    tr = i18n.current()
    folder = plan.parent if plan.name == PLAN_FILE else plan
    why = not_a_file(folder / PLAN_FILE)
    if why is not None:  # a FIFO would make the call list wait for ever
        typer.echo(f"beredskap: {folder / PLAN_FILE}: {tr(why)}", err=True)
        raise typer.Exit(EXIT_FINDINGS)
    if not (folder / PLAN_FILE).is_file():
        fail_usage(tr(_("{folder}: no plan.yaml here", folder=str(folder))))
    if format not in FORMATS:
        fail_usage(tr(_("unknown format '{format}'; one of: {formats}", format=format,
                        formats=", ".join(FORMATS))))
    if audience not in AUDIENCES:
        fail_usage(tr(_("unknown audience '{audience}'; one of: {audiences}",
                        audience=audience, audiences=", ".join(AUDIENCES))))
    if format == "pdf" and out is None and sys.stdout.isatty():
        fail_usage(tr(_("a PDF is not shown on a terminal; give --out FILE.pdf")))
    day = parse_today(today)
    result = load_plan(folder)
    loaded = result.plan
    if audience == "public":  # fails closed, as `render --audience public` does
        _refuse_unreadable_markings(loaded, tr)
    # in a crisis, print what can be read, but say plainly what could not
    problems = [(d.display, p) for d in loaded.documents for p in d.problems
                if p.rule == "yaml-syntax"]
    for display, p in problems:
        typer.echo(tr(_("{file}:{line}:{column}: cannot be read: {why}", file=display,
                        line=p.line, column=p.column, why=p.message)), err=True)
    for issue in result.path_issues:
        where = issue.src.at()
        typer.echo(f"{where.doc.display}:{where.line}:{where.column}: {issue.message}", err=True)
    try:
        calls = build_call_list(loaded, level, audience)
    except KeyError:
        known = ", ".join(str(n) for n in sorted(loaded.level_numbers)) or "-"
        fail_usage(tr(_("the plan has no level {level} (levels: {known})", level=level,
                        known=known)))
    data = _output(calls, format, tr, day, json)
    _write(data, out, tr)
    gaps = calls.gaps()
    from ..calllist.words import gap_text
    for where, who, why in gaps:
        shown = f"{where}: {gap_text(tr, why, who)}" if who == where or why in (
            "unknown", "not-a-person") else f"{where}: {who}: {gap_text(tr, why, who)}"
        typer.echo(tr(_("beredskap: gap in the call list: {gap}", gap=shown)), err=True)
    if problems or result.path_issues:
        typer.echo(tr(_("beredskap: the call list is incomplete: fix the files named above "
                        "(see `beredskap validate`)")), err=True)
    if problems or result.path_issues or gaps:
        raise typer.Exit(EXIT_FINDINGS)


def _refuse_unreadable_markings(plan, tr) -> None:
    """A public call list leaves out what is marked private; while a marking cannot be
    read, what it marks cannot be kept out, so nothing is made."""
    from ..i18n import _n
    from ..markings import problems

    found = problems(plan)
    if not found:
        return
    for p in found:
        typer.echo(f"{p.where.doc.display}:{p.where.line}:{p.where.column}: {tr(p.message)}",
                   err=True)
    typer.echo("beredskap: " + tr(_n(
        "no public call list made: {n} exemption or privacy marking cannot be read, so what "
        "it marks cannot be kept out",
        "no public call list made: {n} exemption or privacy markings cannot be read, so what "
        "they mark cannot be kept out", len(found))), err=True)
    raise typer.Exit(EXIT_FINDINGS)


def _output(calls, format: str, tr, day, json) -> bytes:
    from ..calllist import as_text

    if format == "json":
        return (json.dumps(calls.as_dict(), ensure_ascii=False, indent=2) + "\n").encode()
    if format == "html":
        from ..calllist.printable import as_html
        return as_html(calls, tr, day).encode("utf-8")
    if format == "pdf":
        from ..calllist.printable import as_pdf
        from ..render.convert import ConvertError
        try:
            return as_pdf(calls, tr, day)
        except ConvertError as err:
            fail_usage(str(err))
    if format == "vcf":
        from ..calllist.vcard import as_vcf
        return as_vcf(calls, tr).encode("utf-8")
    return as_text(calls, tr).encode("utf-8")


def _write(data: bytes, out: Optional[Path], tr) -> None:
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from ..i18n import _
    from ..render.convert import write_atomic

    try:
        write_atomic(out, data)
    except OSError as err:
        from ..documents import os_reason
        fail_usage(tr(_("cannot write {file}: {why}", file=str(out),
                        why=os_reason(err))))
