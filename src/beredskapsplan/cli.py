"""The `beredskap` command line. The only module that imports typer or rich.

Heavy modules (jsonschema, the rules) are imported inside the commands, so
`beredskap --help` starts fast.
"""
from __future__ import annotations

import gc
import os
import sys
from datetime import date
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

app = typer.Typer(
    help="Municipal emergency plans as validated YAML: lint, deadlines and council documents.",
    no_args_is_help=True,
    add_completion=True,
    # plain help: rich's help formatting alone costs more start-up time than the rest
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _fail_usage(message: str) -> None:
    typer.echo(f"beredskap: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _parse_today(value: Optional[str]) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date written YYYY-MM-DD")


def _rule_list(value: Optional[str], known) -> Optional[set[str]]:
    if value is None:
        return None
    rules = {r.strip() for r in value.split(",") if r.strip()}
    unknown = sorted(rules - set(known))
    if unknown:
        _fail_usage(f"unknown rule {', '.join(unknown)} (see `beredskap rules`)")
    return rules


def _use_colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _default_paths(config) -> list[Path]:
    if config.plans:
        return config.plans
    if Path("plans").is_dir():
        return [Path("plans")]
    _fail_usage("no path given and no plans/ folder here; name a plan folder, e.g. "
                "`beredskap validate plans/kommune`")
    return []


def _config_and_targets(paths: Optional[List[Path]], owning_plans: bool = False):
    """beredskap.yaml and the plans and files to work on; exit 2 when unusable."""
    from .config import ConfigError, find_config, load_config
    from .project import UsageError, discover
    from .rules import RULES

    try:
        config = load_config(find_config(Path.cwd()), set(RULES))
        return config, discover(paths or _default_paths(config), owning_plans)
    except (ConfigError, UsageError) as err:
        _fail_usage(str(err))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"beredskap {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Municipal emergency plans as validated YAML: lint, deadlines and council documents."""


@app.command()
def validate(
    paths: Optional[List[Path]] = typer.Argument(
        None, help="Plan folders, plan.yaml files, single annex files, or folders to search "
                   "for plans. Default: `plans:` in beredskap.yaml, else plans/."),
    format: str = typer.Option("text", "--format", "-f",
                               help="Output: text, json (a list of findings), github "
                                    "(annotations for GitHub Actions), sarif (code "
                                    "scanning) or junit (test reports)."),
    select: Optional[str] = typer.Option(None, help="Only these rules (comma list)."),
    ignore: Optional[str] = typer.Option(None, help="Skip these rules (comma list)."),
    strict: bool = typer.Option(False, help="Fail on warnings too."),
    today: Optional[str] = typer.Option(None, help="Check as if today were this date "
                                                   "(YYYY-MM-DD)."),
    owning_plans: bool = typer.Option(False, "--owning-plans",
                                      help="Check an annex file as part of the plan folder it "
                                           "lies in (for pre-commit hooks, which pass only the "
                                           "changed files)."),
) -> None:
    """Check plans: schema, references, deputies, phones, clearances, dates, required content.

    Exit status: 0 no errors, 1 errors found (or warnings with --strict), 2 usage error.
    """
    from . import report as reporting
    from .check import Options, validate as run_validation
    from .rules import RULES

    if format not in reporting.FORMATS:
        _fail_usage(f"unknown format '{format}'; one of: {', '.join(reporting.FORMATS)}")
    day = _parse_today(today)
    config, targets = _config_and_targets(paths, owning_plans)
    from .config import ConfigError, ConfigLookup

    options = Options(today=day, select=_rule_list(select, RULES),
                      ignore=_rule_list(ignore, RULES) or set(), severities=config.severities)
    try:
        result = run_validation(targets, options, ConfigLookup(set(RULES)))
    except ConfigError as err:
        _fail_usage(str(err))
    if format == "json":
        sys.stdout.write(reporting.as_json(result))
    elif format == "github":
        sys.stdout.write(reporting.github(result, strict))
    elif format in ("sarif", "junit"):
        from . import ci_formats
        sys.stdout.write(ci_formats.sarif(result) if format == "sarif"
                         else ci_formats.junit(result, strict))
    else:
        sys.stdout.write(reporting.text(result, _use_colour(sys.stdout), strict))
    raise typer.Exit(EXIT_FINDINGS if result.failed(strict) else EXIT_OK)


@app.command()
def rules(rule_id: Optional[str] = typer.Argument(None, metavar="[RULE]",
                                                  help="Explain this rule.")) -> None:
    """List the lint rules, or explain one."""
    from .rules import RULES, doc_of

    if rule_id is None:
        width = max(len(r) for r in RULES)
        for rule in RULES.values():
            typer.echo(f"{rule.ID:<{width}}  {rule.SEVERITY:<7}  {rule.SUMMARY}")
        return
    rule = RULES.get(rule_id)
    if rule is None:
        _fail_usage(f"no rule '{rule_id}' (see `beredskap rules`)")
    scope = {"file": "each file", "folder": "the plan folder"}.get(rule.SCOPE, "the whole plan")
    typer.echo(f"{rule.ID} ({rule.SEVERITY}, checks {scope})\n")
    typer.echo(doc_of(rule))


@app.command()
def approve(
    plan: Path = typer.Argument(..., help="The plan folder (or its plan.yaml)."),
    on: str = typer.Option(..., "--date", help="Date of the council's decision (YYYY-MM-DD)."),
    by: str = typer.Option(..., "--by", help="The body that approved, e.g. Kommunestyret."),
    case: Optional[str] = typer.Option(None, "--case", help="Case or agenda number."),
    submitted_to: Optional[str] = typer.Option(None, help="Authority the plan was sent to."),
    submitted_on: Optional[str] = typer.Option(None, help="Date it was sent (YYYY-MM-DD)."),
    today: Optional[str] = typer.Option(None, help="Check as if today were this date."),
) -> None:
    """Record the council's approval in plan.yaml, with a digest of the approved content.

    Only the new lines are added; comments and formatting are kept. Refused when
    the plan has validation errors or the date is in the future.
    """
    from .approve import ApproveError, record
    from .check import Options, check_plan
    from .project import PLAN_FILE

    folder = plan.parent if plan.name == PLAN_FILE else plan
    plan_file = folder / PLAN_FILE
    if not plan_file.is_file():
        _fail_usage(f"{folder}: no {PLAN_FILE} here")
    day = _parse_today(today)
    when = _parse_today(on)
    sent = _parse_today(submitted_on) if submitted_on else None
    for label, value in (("--date", when), ("--submitted-on", sent)):
        if value is not None and value > day:
            _fail_usage(f"{label} {value.isoformat()} is in the future")
    if sent is not None and sent < when:
        _fail_usage("--submitted-on is before the approval date")
    errors = [f for f in check_plan(folder, Options(today=day)) if f.severity == "error"]
    if errors:
        for f in errors[:10]:
            typer.echo(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message}", err=True)
        typer.echo(f"beredskap: not recorded: the plan has {len(errors)} validation error"
                   f"{'s' if len(errors) != 1 else ''}; the council must approve a valid plan",
                   err=True)
        raise typer.Exit(EXIT_FINDINGS)
    try:
        digest = record(plan_file, when, by, case, submitted_to, sent)
    except ApproveError as err:
        _fail_usage(str(err))
    typer.echo(f"Recorded the approval of {when.isoformat()} by {by} in {plan_file} ({digest}).")


@app.command("call-list")
def call_list(
    plan: Path = typer.Argument(..., help="The plan folder (or its plan.yaml)."),
    level: Optional[int] = typer.Option(None, help="Head the list with who may activate "
                                                   "this level."),
    format: str = typer.Option("text", "--format", "-f", help="Output: text or json."),
) -> None:
    """Who to call, in order, with phone numbers: the first minutes of a crisis. Offline."""
    import json

    from .build import load_plan
    from .calllist import as_text, call_list as build_call_list
    from .project import PLAN_FILE

    folder = plan.parent if plan.name == PLAN_FILE else plan
    if not (folder / PLAN_FILE).is_file():
        _fail_usage(f"{folder}: no {PLAN_FILE} here")
    if format not in ("text", "json"):
        _fail_usage(f"unknown format '{format}'; one of: text, json")
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
        _fail_usage(f"the plan has no level {level} (levels: {known})")
    if format == "json":
        typer.echo(json.dumps(calls.as_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(as_text(calls))
    if problems or result.path_issues:
        typer.echo("beredskap: the call list is incomplete: fix the files named above "
                   "(see `beredskap validate`)", err=True)
        raise typer.Exit(EXIT_FINDINGS)


@app.command()
def init(
    folder: Path = typer.Argument(..., help="The new plan folder, e.g. plans/fjellvik. It must "
                                            "not exist yet, or be empty."),
    country: str = typer.Option(..., "--country", help="no (Norway) or dk (Denmark): sets the "
                                                       "law, the phone region and the text."),
    name: str = typer.Option(..., "--name", help="The municipality, e.g. \"Fjellvik kommune\"."),
    language: Optional[str] = typer.Option(None, "--language",
                                           help="Language of the rendered document: nb, nn, da "
                                                "or en. Default: nb for no, da for dk."),
    schemas: Optional[str] = typer.Option(None, "--schemas",
                                          help="Folder for the copy of the JSON Schemas that "
                                               "editors use (default: schemas/ at the repository "
                                               "root), or the URL where you publish them."),
    today: Optional[str] = typer.Option(None, help="Date written as `verified` and `reviewed` "
                                                   "(YYYY-MM-DD). Default: today."),
) -> None:
    """Start a new plan: plan.yaml, annexes A-E and a folder with two action cards.

    The files are valid from the start and explain each field and the legal duty
    behind it in comments. Each starts with a yaml-language-server line that points
    to a copy of the JSON Schemas, for completion in VS Code. Refuses a folder that
    is not empty (exit 2).
    """
    from .scaffold import ScaffoldError, init_plan

    def shown(path) -> str:
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)

    day = _parse_today(today)
    try:
        result = init_plan(folder, country, name, day, language=language, schemas=schemas)
    except ScaffoldError as err:
        _fail_usage(str(err))
    for path in result.files:
        typer.echo(f"created {shown(path)}")
    for written in result.schema_files:
        if written.status == "written":
            typer.echo(f"created {shown(written.path)}")
    for note in result.notes:
        typer.echo(f"beredskap: note: {note}", err=True)
    typer.echo(f"\nNext: replace the placeholders (people with ids starting nn-), then run "
               f"`beredskap validate {folder}`.")


@app.command()
def new(
    what: str = typer.Argument(..., metavar="card", help="What to add: `card` (an action card)."),
    plan: Path = typer.Argument(..., help="The plan folder (or its plan.yaml)."),
    card_id: str = typer.Option(..., "--id", help="Id of the new card, unique in the plan, "
                                                  "e.g. tk-stromstans."),
    title: str = typer.Option(..., "--title", help="Title of the card."),
    owner: Optional[str] = typer.Option(None, "--owner", help="The role that uses the card. "
                                                              "Default: the plan's owner."),
    today: Optional[str] = typer.Option(None, help="Date written as `reviewed` (YYYY-MM-DD). "
                                                   "Default: today."),
) -> None:
    """Add an action card to a plan, in the plan's card folder.

    A plan without a card annex gets one: a line is added to `annexes:` in
    plan.yaml, and every comment and all other formatting stay as they were.
    Refuses an id already used in the plan and an existing file (exit 2).
    """
    from .scaffold import ScaffoldError, new_card

    if what != "card":
        _fail_usage(f"`beredskap new` adds: card (not '{what}')")
    day = _parse_today(today)
    try:
        result = new_card(plan, card_id, title, day, owner=owner)
    except ScaffoldError as err:
        _fail_usage(str(err))
    typer.echo(f"created {os.path.relpath(result.card)}")
    if result.annex is not None:
        typer.echo(f"added annex {result.annex['letter']} ({result.annex['cards']}) to "
                   f"{os.path.relpath(result.plan_file)}")
    for note in result.notes:
        typer.echo(f"beredskap: note: {note}", err=True)


@app.command()
def schema(
    kind: Optional[str] = typer.Argument(None, metavar="[KIND]",
                                         help="plan, contacts, resources, plan-register, "
                                              "partners, templates, action-card or common."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write the schemas into this folder "
                                                           "(all of them, or KIND and common) "
                                                           "instead of printing one."),
) -> None:
    """Print the JSON Schema of a file kind, or write them all into a folder.

    Without KIND or --out, lists the kinds. The schemas refer to each other by file
    name (common.schema.json), so keep them together in one folder. Editors find
    them through the `# yaml-language-server: $schema=...` line at the top of a file.
    """
    from .scaffold import SCHEMA_KINDS, ScaffoldError, schema_text, schema_title, write_schemas

    if kind is not None and kind not in SCHEMA_KINDS:
        _fail_usage(f"no schema '{kind}'; one of: {', '.join(SCHEMA_KINDS)}")
    if out is not None:
        try:
            written = write_schemas(out, kinds=[kind] if kind else SCHEMA_KINDS)
        except ScaffoldError as err:
            _fail_usage(str(err))
        except OSError as err:
            _fail_usage(f"{out}: {err.strerror}")
        for item in written:
            typer.echo(f"{item.status:<9}  {item.path}")
        return
    if kind is None:
        width = max(len(k) for k in SCHEMA_KINDS)
        for name in SCHEMA_KINDS:
            typer.echo(f"{name:<{width}}  {schema_title(name)}")
        return
    sys.stdout.write(schema_text(kind))


DUE_FORMATS = ("table", "json", "csv", "ics")
_STATUS_STYLE = {"never": ("NEVER DONE", "bold red"), "overdue": ("OVERDUE", "bold red"),
                 "soon": ("soon", "yellow"), "ok": ("ok", "green")}


def _due_table(rows, by_owner: bool, colour: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(no_color=not colour, highlight=False,
                      width=None if sys.stdout.isatty() else 200)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.responsible if by_owner else "", []).append(row)
    several_plans = len({r.plan_id for r in rows}) > 1
    for owner, members in groups.items():
        table = Table(title=f"Responsible: {owner or 'not set'}" if by_owner else None,
                      title_justify="left", show_lines=False, expand=False)
        for column in ("Status", "Due", *(["Plan"] if several_plans else []), "What", "Subject",
                       *([] if by_owner else ["Responsible"]), "Source"):
            table.add_column(column, overflow="fold")
        for row in members:
            label, style = _STATUS_STYLE[row.status]
            table.add_row(f"[{style}]{label}[/]", row.due.isoformat(),
                          *([row.plan] if several_plans else []), row.label, row.subject,
                          *([] if by_owner else [row.responsible]), row.source)
        console.print(table)


@app.command()
def due(
    paths: Optional[List[Path]] = typer.Argument(
        None, help="Plan folders or folders to search for plans. Default: `plans:` in "
                   "beredskap.yaml, else plans/."),
    today: Optional[str] = typer.Option(None, help="Compute as if today were this date "
                                                   "(YYYY-MM-DD)."),
    within: str = typer.Option("P1M", help="What counts as soon: an ISO 8601 duration."),
    format: str = typer.Option("table", "--format", "-f",
                               help="Output: table, json, csv or ics (a calendar feed)."),
    status: Optional[str] = typer.Option(None, help="Only these statuses (comma list of "
                                                    "never, overdue, soon, ok)."),
    by: Optional[str] = typer.Option(None, help="`owner`: one list per responsible person."),
    fail_on: str = typer.Option("overdue", help="Exit 1 when a deadline is this bad or worse: "
                                                "never, overdue (includes never) or soon "
                                                "(includes both); `none` to always exit 0."),
) -> None:
    """Every deadline: revision, approval, submission, exercise, evaluation, contacts, cards.

    Each row names the law or policy it comes from. Exit status 1 when a deadline
    matches --fail-on (default: overdue or never done) or a plan.yaml cannot be read,
    2 on usage errors.
    """
    from .dates import parse_duration
    from .due import STATUSES, output
    from .due.run import collect

    if format not in DUE_FORMATS:
        _fail_usage(f"unknown format '{format}'; one of: {', '.join(DUE_FORMATS)}")
    if by not in (None, "owner"):
        _fail_usage("--by takes `owner`")
    soon = parse_duration(within)
    if soon is None:
        _fail_usage(f"--within: '{within}' is not an ISO 8601 duration such as P1M or P14D")
    shown = set(STATUSES) if status is None else {s.strip() for s in status.split(",")}
    failing = {s.strip() for s in fail_on.split(",")} - {"none"}
    for name, chosen in (("--status", shown), ("--fail-on", failing)):
        if chosen - set(STATUSES):
            _fail_usage(f"{name}: unknown status {', '.join(sorted(chosen - set(STATUSES)))}; "
                        f"one of: {', '.join(STATUSES)}")
    # each status includes the worse ones: soon ⊃ overdue ⊃ never done
    for level, worse in (("soon", ("overdue", "never")), ("overdue", ("never",))):
        if level in failing:
            failing.update(worse)
    day = _parse_today(today)
    _config, targets = _config_and_targets(paths)
    from .config import ConfigError, ConfigLookup
    from .rules import RULES

    try:
        result = collect(targets, day, soon, ConfigLookup(set(RULES)),
                         output.json_line if format == "json" else None)
    except ConfigError as err:
        _fail_usage(str(err))
    for path, errors in result.broken.items():
        typer.echo(f"beredskap: {path}: {errors} validation error{'s' if errors != 1 else ''} "
                   "can make this plan's deadlines wrong or incomplete; they are computed "
                   "from what could be read (see `beredskap validate`)", err=True)
    for path, (line, column, why) in result.unreadable.items():
        typer.echo(f"beredskap: {path}:{line}:{column}: {why}; no deadlines can be computed "
                   "for this plan until its plan.yaml can be read", err=True)
    for path in result.skipped:
        typer.echo(f"beredskap: {path}: a single annex file has no deadlines on its own; "
                   "name its plan folder", err=True)
    rows = [r for r in result.deadlines if r.status in shown]
    if by == "owner":
        rows.sort(key=lambda r: (r.responsible, ))
    if format == "json":
        output.write_json(rows, sys.stdout)
    elif format == "csv":
        output.write_csv(rows, sys.stdout)
    elif format == "ics":
        sys.stdout.write(output.as_ics(rows, day))
    else:
        if rows:
            _due_table(rows, by == "owner", _use_colour(sys.stdout))
        else:
            typer.echo("No deadlines with status " + ", ".join(sorted(shown)) + ".")
        counts = {s: sum(1 for r in result.deadlines if r.status == s) for s in STATUSES}
        typer.echo(f"{counts['never']} never done, {counts['overdue']} overdue, "
                   f"{counts['soon']} due within {within}, {counts['ok']} ok "
                   f"(as of {day.isoformat()})")
        upcoming = [r for r in result.deadlines if r.status in ("soon", "ok")]
        if upcoming:
            first = min(upcoming, key=lambda r: r.due)
            typer.echo(f"Next: {first.due.isoformat()} {first.label}: {first.subject} "
                       f"({first.plan})")
    # a plan that cannot be read has unknown deadlines: as bad as "never done"
    matched = any(r.status in failing for r in result.deadlines) or (
        bool(result.unreadable) and "never" in failing)
    raise typer.Exit(EXIT_FINDINGS if matched else EXIT_OK)


EXIT_INTERNAL = 3


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
    from .render import Refused, RenderError, RenderOptions, render as run_render

    formats = tuple(f.strip().lower() for f in to.split(",") if f.strip())
    options = RenderOptions(formats=formats, out=out, audience=audience,
                            template_dir=template_dir, draft=draft, today=_parse_today(today))
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


def main() -> None:
    """Entry point: a last guard so no input ever ends in a Python traceback."""
    # A run makes many short-lived objects and almost no cycles: leave what is
    # loaded by now out of every collection, and collect less often (~7 % quicker)
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # e.g. `beredskap due | head`
        sys.stderr.close()
        sys.exit(0)
    except Exception as err:  # noqa: BLE001  (the guard itself)
        if os.environ.get("BEREDSKAP_DEBUG"):
            raise
        typer.echo(f"beredskap: internal error ({type(err).__name__}: {err}). This is a bug in "
                   "beredskap, not in your plan: please report it with the command you ran; "
                   "set BEREDSKAP_DEBUG=1 to see the details.", err=True)
        sys.exit(EXIT_INTERNAL)
