"""`beredskap init`, `new` and `schema`: starting plans and cards, schemas for editors."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from .. import i18n
from ..i18n import _
from .common import _h, app, fail_usage, parse_today


def _say(message, err: bool = False) -> None:
    """One line to the user, in the language chosen for this run."""
    typer.echo(i18n.current()(message), err=err)


@app.command(help=_h("Start a new plan: plan.yaml, annexes A-E and a folder with two action "
                     "cards.\n\n"
                     "The files are valid from the start and explain each field and the legal "
                     "duty behind it in comments. Each starts with a yaml-language-server line "
                     "that points to a copy of the JSON Schemas, for completion in VS Code. "
                     "Refuses a folder that is not empty (exit 2)."))
def init(
    folder: Path = typer.Argument(..., metavar="FOLDER", help=_h("The new plan folder, e.g. plans/fjellvik. It "
                                               "must not exist yet, or be empty.")),
    country: str = typer.Option(..., "--country", help=_h("no (Norway) or dk (Denmark): sets "
                                                          "the law, the phone region and the "
                                                          "text.")),
    name: str = typer.Option(..., "--name",
                             help=_h("The municipality, e.g. \"Fjellvik kommune\".")),
    language: Optional[str] = typer.Option(None, "--language",
                                           help=_h("Language of the rendered document: nb, nn, "
                                                   "da or en. Default: nb for no, da for dk.")),
    schemas: Optional[str] = typer.Option(None, "--schemas",
                                          help=_h("Folder for the copy of the JSON Schemas that "
                                                  "editors use (default: schemas/ at the "
                                                  "repository root), or the URL where you "
                                                  "publish them.")),
    today: Optional[str] = typer.Option(None, help=_h("Date written as `verified` and "
                                                      "`reviewed` (YYYY-MM-DD). Default: "
                                                      "today.")),
) -> None:
    from ..scaffold import ScaffoldError, init_plan

    def shown(path) -> str:
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)

    from ..placeholders import mark

    day = parse_today(today)
    try:
        result = init_plan(folder, country, name, day, language=language, schemas=schemas)
    except ScaffoldError as err:
        fail_usage(str(err))
    for path in result.files:
        _say(_("created {path}", path=shown(path)))
    for written in result.schema_files:
        if written.status == "written":
            _say(_("created {path}", path=shown(written.path)))
    for note in result.notes:
        _say(_("beredskap: note: {note}", note=note), err=True)
    typer.echo("")
    _say(_("Next: replace every {mark} with the real text, and the made-up names, phone numbers "
           "and e-mail addresses of the people (ids starting nn-) with the real ones. "
           "`beredskap validate {folder}` lists what is still to be filled in.",
           mark=mark(result.language), folder=str(folder)))


@app.command(help=_h("Add an action card to a plan, in the plan's card folder.\n\n"
                     "A plan without a card annex gets one: a line is added to `annexes:` in "
                     "plan.yaml, and every comment and all other formatting stay as they were. "
                     "Refuses an id already used in the plan and an existing file (exit 2)."))
def new(
    what: str = typer.Argument(..., metavar="card",
                               help=_h("What to add: `card` (an action card).")),
    plan: Path = typer.Argument(..., metavar="PLAN", help=_h("The plan folder (or its plan.yaml).")),
    card_id: str = typer.Option(..., "--id", help=_h("Id of the new card, unique in the plan, "
                                                     "e.g. tk-stromstans.")),
    title: str = typer.Option(..., "--title", help=_h("Title of the card.")),
    owner: Optional[str] = typer.Option(None, "--owner", help=_h("The role that uses the card. "
                                                                 "Default: the plan's owner.")),
    today: Optional[str] = typer.Option(None, help=_h("Date written as `reviewed` "
                                                      "(YYYY-MM-DD). Default: today.")),
) -> None:
    from ..scaffold import ScaffoldError, new_card

    if what != "card":
        fail_usage(i18n.current()(_("`beredskap new` adds an action card: write `beredskap new "
                                    "card …` (not '{what}')", what=what)))
    day = parse_today(today)
    try:
        result = new_card(plan, card_id, title, day, owner=owner)
    except ScaffoldError as err:
        fail_usage(str(err))
    _say(_("created {path}", path=os.path.relpath(result.card)))
    if result.annex is not None:
        _say(_("added annex {letter} ({folder}) to {path}", letter=result.annex["letter"],
               folder=result.annex["cards"], path=os.path.relpath(result.plan_file)))
    for note in result.notes:
        _say(_("beredskap: note: {note}", note=note), err=True)
    _say(_("Next: write the card's text in place of every {mark}.",
           mark=result.mark))


@app.command(help=_h("Print the JSON Schema of a file kind, or write them all into a "
                     "folder.\n\n"
                     "Without KIND or --out, lists the kinds. The descriptions and error "
                     "messages are in the chosen language (--lang). The schemas refer to each "
                     "other by file name (common.schema.json), so keep them together in one "
                     "folder. Editors find them through the `# yaml-language-server: "
                     "$schema=...` line at the top of a file."))
def schema(
    kind: Optional[str] = typer.Argument(None, metavar="[KIND]",
                                         help=_h("plan, contacts, resources, plan-register, "
                                                 "partners, templates, action-card or "
                                                 "common.")),
    out: Optional[Path] = typer.Option(None, "--out",
                                       help=_h("Write the schemas into this folder (all of "
                                               "them, or KIND and common) instead of printing "
                                               "one.")),
) -> None:
    from ..scaffold import SCHEMA_KINDS, ScaffoldError, schema_text, schema_title, write_schemas

    language = i18n.current_language()
    if kind is not None and kind not in SCHEMA_KINDS:
        fail_usage(_("no schema '{kind}'; one of: {kinds}", kind=kind,
                     kinds=", ".join(SCHEMA_KINDS)))
    if out is not None:
        try:
            written = write_schemas(out, kinds=[kind] if kind else SCHEMA_KINDS,
                                    language=language)
        except ScaffoldError as err:
            fail_usage(str(err))
        except OSError as err:
            from ..documents import os_reason
            fail_usage(_("cannot write {path}: {why}", path=str(out), why=os_reason(err)))
        tr = i18n.current()
        statuses = {status: tr(word) for status, word in SCHEMA_STATUS_WORDS.items()}
        width = max(len(word) for word in statuses.values())
        for item in written:
            typer.echo(f"{statuses[item.status]:<{width}}  {item.path}")
        return
    if kind is None:
        width = max(len(k) for k in SCHEMA_KINDS)
        for name in SCHEMA_KINDS:
            typer.echo(f"{name:<{width}}  {schema_title(name, language)}")
        return
    sys.stdout.write(schema_text(kind, language))


# what `schema --out` did with each file
SCHEMA_STATUS_WORDS = {"written": _("written"), "unchanged": _("unchanged"), "kept": _("kept")}
