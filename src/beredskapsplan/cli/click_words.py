"""The command-line toolkit's own words in the chosen language: "Usage:", "Options:",
"Show this message and exit.", "No such option: --tody".

typer looks up ten of its words with gettext (`typer.core._`: "Options",
"Commands", "default: …", …); the click it carries writes the rest in fixed
English. Both are set here, once at start-up and only for a language other than
English: typer's gettext is pointed at our catalogs, the help formatter writes
"Usage:" and the texts of typer's own options from them, and a usage error is
written from its parts (the option, the parameter, the value) instead of
click's English sentence. Where typer's insides are not what this expects
(another version), its words simply stay English.
"""
from __future__ import annotations

import re

from ..i18n import Translator, _, _n

# The words typer itself looks up with gettext; listed here so they are in the catalog.
TYPER_WORDS = (
    _("Arguments"), _("Options"), _("Commands"), _("default: {default}"), _("required"),
    _("env var: {var}"), _("(dynamic)"), _("Aborted!"), _("Missing command."),
)
# The help texts of the options typer and click add to every command.
OPTION_HELP = (
    _("Show this message and exit."),
    _("Install completion for the current shell."),
    _("Show completion for the current shell, to copy it or customize the installation."),
    _("Install completion for the specified shell."),
    _("Show completion for the specified shell, to copy it or customize the installation."),
)
USAGE = _("Usage:")
# the placeholders click writes in a usage line, e.g. "beredskap [OPTIONS] COMMAND [ARGS]..."
USAGE_PLACEHOLDERS = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]...")}

# click's usage errors that carry their facts only in the English sentence (patterns
# compiled when an error is shown, not at every start)
_SENTENCES = (
    (r"^No such command (?P<name>'.*?')\.(?: Did you mean (?P<names>.*)\?)?$",
     lambda m: _("No such command {name}.", name=m["name"]) if not m["names"] else
     _("No such command {name}. Did you mean {names}?", name=m["name"], names=m["names"])),
    (r"^Option (?P<option>'.*?') requires an argument\.$",
     lambda m: _("The option {option} needs a value.", option=m["option"])),
    (r"^Option (?P<option>'.*?') does not take a value\.$",
     lambda m: _("The option {option} does not take a value.", option=m["option"])),
    (r"^Got unexpected extra argument\(s\) \((?P<args>.*)\)$",
     lambda m: _n("Unexpected extra argument: {args}", "Unexpected extra arguments: {args}",
                  len(m["args"].split()), args=m["args"])),
)


def error_text(error, tr: Translator) -> str:
    """What a click usage error says, in `tr`'s language where its kind is known."""
    from typer._click import exceptions as ex

    def hint_of(err) -> str | None:
        if err.param_hint is not None:
            return ex._join_param_hints(err.param_hint)  # noqa: SLF001
        if err.param is not None:
            return ex._join_param_hints(err.param.get_error_hint(err.ctx))  # noqa: SLF001
        return None

    if isinstance(error, ex.NoSuchOption):
        text = tr(_("No such option: {option}", option=error.option_name))
        if error.possibilities:
            text += ". " + tr(_("Did you mean {names}?",
                                names=", ".join(sorted(error.possibilities))))
        return text
    if isinstance(error, ex.MissingParameter):
        kind = error.param_type or (error.param.param_type_name if error.param else None)
        name = hint_of(error)
        if error.message or name is None or kind not in ("argument", "option"):
            return error.format_message()
        return tr(_("Missing argument {name}.", name=name) if kind == "argument"
                  else _("Missing option {name}.", name=name))
    if isinstance(error, ex.BadParameter):
        name = hint_of(error)
        return tr(_("Invalid value for {name}: {message}", name=name, message=error.message)
                  if name else _("Invalid value: {message}", message=error.message))
    for pattern, message in _SENTENCES:
        match = re.match(pattern, error.format_message())
        if match:
            return tr(message(match))
    return error.format_message()


def install(tr: Translator) -> None:
    """Make typer and its click speak `tr`'s language in this process."""
    try:
        import typer.core
        from typer._click import exceptions as ex
        from typer._click._compat import get_text_stderr
        from typer._click.core import Context
        from typer._click.formatting import HelpFormatter
        from typer._click.utils import echo
    except ImportError:
        return

    typer.core._ = tr.gettext

    class Formatter(HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            for english, word in USAGE_PLACEHOLDERS.items():
                args = args.replace(english, tr(word))
            super().write_usage(prog, args, f"{tr(USAGE)} " if prefix is None else prefix)

        def write_dl(self, rows, *args, **kwargs) -> None:
            super().write_dl([(term, tr.gettext(text) if text else text) for term, text in rows],
                             *args, **kwargs)

    def show_usage_error(self, file=None) -> None:
        file = file if file is not None else get_text_stderr()
        color = None
        if self.ctx is not None:
            color = self.ctx.color
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                command = f"{self.ctx.command_path} {self.ctx.help_option_names[0]}"
                hint = tr(_("Try '{command}' for help.", command=command)) + "\n"
            echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
        echo(tr(_("Error: {message}", message=error_text(self, tr))), file=file, color=color)

    Context.formatter_class = Formatter
    ex.UsageError.show = show_usage_error
