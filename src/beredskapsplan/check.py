"""Running the lint rules over plans and files: the engine behind `validate`.

Knows nothing of the command line: it takes targets and options and returns
findings, so it can be used as a library and tested without a terminal.
"""
from __future__ import annotations

from dataclasses import astuple, dataclass, field, replace
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from .cache import ResultCache, folder_dependencies, plan_dependencies
from .documents import display_path, read_document, readable
from .findings import SEVERITIES, Finding
from .i18n import translator
from .project import DocumentCache, Target

if TYPE_CHECKING:
    from .rules.base import Context

# The model, the jurisdictions and the rules are imported where a plan is checked: a run
# whose every plan is in the result cache (a pre-commit hook, nearly always) needs none.


PLAN_SCOPES = ("file", "folder", "plan")  # every rule: a whole plan folder is checked
# rules about how a line is written: text output shows the line under their findings
SHOWS_LINE = frozenset({"yaml-syntax", "duplicate-key", "schema", "comment-in-text"})


@dataclass
class Options:
    today: date
    select: set[str] | None = None  # only these rules (None: all)
    ignore: set[str] = field(default_factory=set)
    severities: dict[str, str] = field(default_factory=dict)  # from beredskap.yaml
    language: str = "en"  # the language of the findings' messages

    def enabled(self, rule_id: str) -> bool:
        if self.select is not None and rule_id not in self.select:
            return False
        return rule_id not in self.ignore and self.severities.get(rule_id) != "off"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    plans: int = 0
    files: int = 0
    checked: list[str] = field(default_factory=list)  # every file read, as displayed

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, strict: bool = False) -> bool:
        return self.count("error") > 0 or (strict and self.count("warning") > 0)


def run_rules(ctx: Context, options: Options, scopes: tuple[str, ...]) -> list[Finding]:
    from .rules import RULES

    found = []
    tr = translator(options.language)
    if not readable(ctx.plan.document):
        # plan.yaml could not be read: nothing to check across files
        scopes = tuple(s for s in scopes if s != "plan")
    for rule in RULES.values():
        if rule.SCOPE not in scopes or not options.enabled(rule.ID):
            continue
        configured = options.severities.get(rule.ID)
        for h in rule.check(ctx):
            where = h.where
            if where.doc.is_suppressed(where.line, rule.ID):
                continue
            severity = configured or h.severity or rule.SEVERITY
            # one finding, one line: a key or value quoted in a message may hold newlines
            found.append(Finding(rule.ID, severity, where.doc.display, where.line,
                                 where.column, tr(h.message).replace("\n", "\\n"),
                                 where.doc.line_text(where.line) if rule.ID in SHOWS_LINE
                                 else ""))
    return found


def plan_context(folder, today: date, cache: DocumentCache | None = None,
                 strays: bool = True) -> Context:
    """Load a plan folder and everything the rules need to check it (`strays=False`:
    not the unused files `unreferenced-file` reports)."""
    from .build import load_plan

    return loaded_context(load_plan(folder, cache, strays), today)


def loaded_context(loaded, today: date) -> Context:
    """The rules' view of a plan already loaded (build.LoadedPlan): a caller that needs the
    plan itself as well reads it once."""
    from . import jurisdiction as jurisdictions
    from .rules.base import Context

    plan = loaded.plan
    return Context(today=today, documents=plan.documents, plan=plan,
                   jurisdiction=jurisdictions.for_plan(plan.jurisdiction,
                                                       plan.organization.country),
                   path_issues=loaded.path_issues, unreferenced=loaded.unreferenced)


def _plan_task(job: tuple) -> tuple[list[Finding], list[str], set, dict | None]:
    """One plan, in whichever process runs it: findings, files shown, the files read, and
    (for the result cache) what the result came from."""
    folder, options, want_paths, caching = job
    before = folder_dependencies(folder) if caching else None
    ctx = plan_context(folder, options.today)
    findings = run_rules(ctx, options, PLAN_SCOPES)
    paths = {d.path.resolve() for d in ctx.documents} if want_paths else set()
    deps = {**plan_dependencies(ctx.plan, before), **ctx.dependencies} if caching else None
    return findings, [d.display for d in ctx.documents], paths, deps


def _cache_settings(options: Options) -> list:
    """What of the options a result depends on, besides the day."""
    return [sorted(options.select) if options.select is not None else None,
            sorted(options.ignore), sorted(options.severities.items()), options.language]


def _from_cache(value) -> tuple[list[Finding], list[str], set, None]:
    return ([Finding(*f) for f in value["findings"]], value["checked"],
            {Path(p) for p in value["paths"]}, None)


def check_plan(folder, options: Options, loaded=None) -> list[Finding]:
    """Every rule on one plan folder; `loaded` (its build.LoadedPlan) if it is read already."""
    ctx = plan_context(folder, options.today) if loaded is None \
        else loaded_context(loaded, options.today)
    return run_rules(ctx, options, PLAN_SCOPES)


def check_file(path, options: Options, report: Report | None = None) -> list[Finding]:
    """A single annex file: schema and file-local rules only."""
    from .build import load_annex_file
    from .rules.base import Context

    doc = read_document(path)
    if report is not None:
        report.checked.append(doc.display)
    plan = load_annex_file(doc)
    ctx = Context(today=options.today, documents=[doc], plan=plan, whole_plan=False)
    return run_rules(ctx, options, ("file",))


def validate(targets: list[Target], options: Options, configs=None,
             cache: ResultCache | None = None, progress=None) -> Report:
    """Check every target. `configs` (a config.ConfigLookup) gives each target the rule
    settings of its own repository; without it, `options.severities` applies to all.
    With `cache`, a plan whose files and settings are unchanged since a run stored its
    result is not checked again. `progress(n)` is told how many plans are done."""
    report = Report()

    def options_for(target: Target) -> Options:
        if configs is None:
            return options
        return replace(options, severities=configs.for_path(target.path).severities)

    caching = cache is not None and cache.enabled
    with_files = any(t.kind == "file" for t in targets)
    plans = [(Path(t.path).absolute(), options_for(t), with_files, caching)
             for t in targets if t.kind == "plan"]
    results: list = [None] * len(plans)

    def settings(i: int) -> list:
        return [*_cache_settings(plans[i][1]), with_files]

    if caching:
        for i in range(len(plans)):
            value = cache.get(plans[i][0], settings(i))
            if value is not None:
                results[i] = _from_cache(value)
    missing = [i for i, result in enumerate(results) if result is None]
    cached = len(plans) - len(missing)
    tell = (lambda n: progress(cached + n)) if progress is not None else None
    from .parallel import ordered_map

    for i, result in zip(missing, ordered_map(_plan_task, [plans[i] for i in missing],
                                              progress=tell)):
        results[i] = result
        if caching and result[3] is not None:
            findings, checked, paths, deps = result
            cache.put(plans[i][0], settings(i), deps, {
                "findings": [list(astuple(f)) for f in findings], "checked": checked,
                "paths": sorted(map(str, paths))})
    read: set = set()  # files already checked as part of a plan in this run
    for findings, checked, paths, _deps in results:
        report.plans += 1
        report.findings.extend(findings)
        report.checked.extend(checked)
        read.update(paths)
    tr = translator(options.language)
    for target in targets:
        if target.kind == "problem":  # whatever --select/--ignore say: no plan goes unseen
            report.findings.append(Finding(target.rule, "error", display_path(target.path), 1, 1,
                                           tr(target.problem)))
    for target in targets:  # an annex file named beside its own plan is not checked twice
        if target.kind == "file" and target.path.resolve() not in read:
            report.files += 1
            report.findings.extend(check_file(target.path, options_for(target), report))
    report.findings.sort(key=lambda f: (f.sort_key, SEVERITIES.index(f.severity)))
    return report
