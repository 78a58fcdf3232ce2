"""`beredskap validate` and `beredskap rules`: the lint rules and their findings."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from .. import i18n
from ..i18n import _
from .common import EXIT_FINDINGS, EXIT_OK, _h, app, config_and_targets, \
    fail_usage, parse_today, rule_list, use_colour


@app.command(help=_h("Check plans: schema, references, deputies, phones, clearances, dates, "
                     "required content.\n\n"
                     "Exit status: 0 no errors, 1 errors found (or warnings with --strict), "
                     "2 usage error."))
def validate(
    paths: Optional[List[Path]] = typer.Argument(
        None, help=_h("Plan folders, plan.yaml files, single annex files, or folders to search "
                      "for plans. Default: `plans:` in beredskap.yaml, else plans/.")),
    format: str = typer.Option("text", "--format", "-f",
                               help=_h("Output: text, json (a list of findings), github "
                                       "(annotations for GitHub Actions), sarif (code "
                                       "scanning) or junit (test reports).")),
    select: Optional[str] = typer.Option(None, help=_h("Only these rules (comma list).")),
    ignore: Optional[str] = typer.Option(None, help=_h("Skip these rules (comma list).")),
    strict: bool = typer.Option(False, help=_h("Fail on warnings too.")),
    today: Optional[str] = typer.Option(None, help=_h("Check as if today were this date "
                                                      "(YYYY-MM-DD).")),
    no_cache: bool = typer.Option(False, "--no-cache",
                                  help=_h("Check every plan again, even those unchanged since "
                                          "a run stored their result (see "
                                          "BEREDSKAP_CACHE_DIR).")),
    owning_plans: bool = typer.Option(False, "--owning-plans",
                                      help=_h("Check an annex file as part of the plan folder "
                                              "it lies in (for pre-commit hooks, which pass "
                                              "only the changed files).")),
) -> None:
    from .. import finding_formats as reporting
    from ..check import Options, validate as run_validation
    from ..rules import IDS

    if format not in reporting.FORMATS:
        fail_usage(_("unknown format '{format}'; the formats are {formats}", format=format,
                     formats=list(reporting.FORMATS)))
    day = parse_today(today)
    config, targets = config_and_targets(paths, owning_plans)
    from ..config import ConfigError, ConfigLookup

    options = Options(today=day, select=rule_list(select, IDS),
                      ignore=rule_list(ignore, IDS) or set(), severities=config.severities,
                      language=i18n.current_language())
    from ..cache import ResultCache

    from .progress import Progress, wanted

    cache = None if no_cache else ResultCache("validate", day.isoformat())
    plans = sum(1 for t in targets if t.kind == "plan")
    try:
        with Progress(plans, i18n.current()(_("Checking plans")),
                      wanted(format == "text")) as progress:
            result = run_validation(targets, options, ConfigLookup(set(IDS)), cache, progress)
    except ConfigError as err:
        fail_usage(str(err))
    if format == "json":
        sys.stdout.write(reporting.as_json(result))
    elif format == "github":
        sys.stdout.write(reporting.github(result, strict))
    elif format in ("sarif", "junit"):
        from .. import ci_formats
        sys.stdout.write(ci_formats.sarif(result) if format == "sarif"
                         else ci_formats.junit(result, strict))
    else:
        sys.stdout.write(reporting.text(result, use_colour(sys.stdout), strict))
    raise typer.Exit(EXIT_FINDINGS if result.failed(strict) else EXIT_OK)


# the words `rules` prints for a rule's severity and for what it checks
SEVERITY_WORDS = {"error": _("error"), "warning": _("warning"), "info": _("info")}
SCOPE_WORDS = {"file": _("each file"), "folder": _("the plan folder"),
               "plan": _("the whole plan")}


@app.command(help=_h("List the lint rules, or explain one."))
def rules(rule_id: Optional[str] = typer.Argument(None, metavar="[RULE]",
                                                  help=_h("Explain this rule."))) -> None:
    from ..rules import RULES, doc_of

    tr = i18n.current()
    if rule_id is None:
        width = max(len(r) for r in RULES)
        severities = {key: tr(word) for key, word in SEVERITY_WORDS.items()}
        column = max(len(word) for word in severities.values())
        for rule in RULES.values():
            typer.echo(f"{rule.ID:<{width}}  {severities[rule.SEVERITY]:<{column}}  "
                       f"{tr.gettext(rule.SUMMARY, 'rule-docs')}")
        return
    rule = RULES.get(rule_id)
    if rule is None:
        fail_usage(_("no rule '{rule}' (see `beredskap rules`)", rule=rule_id))
    typer.echo(tr(_("{rule} ({severity}, checks {scope})", rule=rule.ID,
                    severity=SEVERITY_WORDS[rule.SEVERITY],
                    scope=SCOPE_WORDS.get(rule.SCOPE, SCOPE_WORDS["plan"]))) + "\n")
    typer.echo(i18n.translate_doc(doc_of(rule), tr))
