"""The `beredskap` command line's shared pieces: the app, exit codes, option parsing.

The command line is the only layer that imports typer or rich. Each command group
is its own module in this package; heavy modules (jsonschema, the rules, pandoc)
are imported inside the commands, so `beredskap --help` starts fast.
"""
from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import List, Optional

import typer

from .. import __version__, i18n
from ..i18n import _, _n


def _startup_language() -> str:
    """The language of the help texts, chosen before typer reads the command line."""
    argv = sys.argv[1:]
    option = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            option = argv[i + 1]
        elif arg.startswith("--lang="):
            option = arg.split("=", 1)[1]
    try:
        return i18n.choose(option, i18n.config_language(Path.cwd()))
    except i18n.LanguageError:
        return i18n.DEFAULT  # the --lang option itself reports it


i18n.set_language(_startup_language())
if i18n.current_language() != i18n.DEFAULT:
    from . import click_words

    click_words.install(i18n.current())


def _h(text: str) -> str:
    """A help text, in the language chosen at start-up (typer needs plain text at import)."""
    return i18n.current().gettext(text)

app = typer.Typer(
    help=_h("Municipal emergency plans as validated YAML: lint, deadlines and council "
            "documents."),
    no_args_is_help=True,
    add_completion=True,
    # plain help: rich's help formatting alone costs more start-up time than the rest
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def fail_usage(message: "i18n.Message | str") -> None:
    typer.echo(f"beredskap: {i18n.current()(message)}", err=True)
    raise typer.Exit(EXIT_USAGE)


def parse_today(value: Optional[str]) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(i18n.current()(
            _("'{value}' is not a date written YYYY-MM-DD", value=value)))


def rule_list(value: Optional[str], known) -> Optional[set[str]]:
    if value is None:
        return None
    rules = {r.strip() for r in value.split(",") if r.strip()}
    unknown = sorted(rules - set(known))
    if unknown:
        fail_usage(_n("unknown rule {rules} (see `beredskap rules`)",
                      "unknown rules {rules} (see `beredskap rules`)", len(unknown),
                      rules=", ".join(unknown)))
    return rules


def use_colour(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def default_paths(config) -> list[Path]:
    if config.plans:
        return config.plans
    if Path("plans").is_dir():
        return [Path("plans")]
    fail_usage(_("no path given and no plans/ folder here; name a plan folder, e.g. "
                 "`beredskap validate plans/kommune`"))
    return []


def config_and_targets(paths: Optional[List[Path]], owning_plans: bool = False):
    """beredskap.yaml and the plans and files to work on; exit 2 when unusable."""
    from ..config import ConfigError, find_config, load_config
    from ..project import UsageError, discover
    from ..rules import IDS

    try:
        config = load_config(find_config(Path.cwd()), set(IDS))
        return config, discover(paths or default_paths(config), owning_plans)
    except (ConfigError, UsageError) as err:
        fail_usage(str(err))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"beredskap {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help=_h("Show the version and exit.")),
    lang: Optional[str] = typer.Option(
        None, "--lang", metavar="LANG",
        help=_h("Language of the tool's messages: nb, nn, da or en. Default: BEREDSKAP_LANG, "
                "else `language:` in beredskap.yaml, else the locale (LANG), else en.")),
) -> None:
    config = i18n.config_language(Path.cwd())
    try:
        i18n.set_language(i18n.choose(lang, config))
    except i18n.LanguageError as err:
        i18n.set_language(i18n.fallback(config))
        fail_usage(_("{where}: '{value}' is not a language of this tool; choose one of "
                     "{languages}", where=err.where, value=err.value,
                     languages=", ".join(i18n.LANGUAGES)))
