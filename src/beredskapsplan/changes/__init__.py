"""What changed since the council approved: a summary and a document with tracked changes.

Used by `beredskap changes`; usable as a library:

    from beredskapsplan.changes import ChangesOptions, changes, changed_sections
    result = changes(Path("plans/kommune"), ChangesOptions(formats=("docx",)))
    for change in changed_sections(Path("plans/kommune")) or []:
        print(change.kind, change.number, change.title)

Modules: `history` (finding the version to compare with in git, reading it
without touching the working tree), `numbering` (section numbers as printed),
`views` (one version as the document shows it, per audience), `compare` (the
summary and the merged section tree), `textdiff` (word-by-word differences in
pandoc's document tree), `document` (the change document), `marks` (insertions
and deletions per output format) and `output` (the formats and the writing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..i18n import Message, _
from .compare import SectionChange, Summary
from .history import NotFound, Version

FORMATS = ("docx", "pdf", "html", "md")
AUDIENCES = ("internal", "public")
APPROVAL = "approval"

__all__ = ["AUDIENCES", "FORMATS", "ChangesError", "ChangesOptions", "ChangesResult",
           "NotFound", "Refused", "SectionChange", "Summary", "changed_sections", "changes",
           "since_approval", "summary_between"]


class ChangesError(Exception):
    """The change document could not be made (exit status 1); `message` says why."""

    exit_code = 1

    def __init__(self, message: Message | str):
        self.message = message
        super().__init__(str(message))


class UsageError(ChangesError):
    """An argument that cannot be used (exit status 2)."""

    exit_code = 2


class Refused(ChangesError):
    """The current plan has validation errors and `draft` was not asked for."""

    def __init__(self, errors: list):
        self.errors = errors
        super().__init__(_("the plan has validation errors ({count}); fix them (see `beredskap "
                           "validate`) or make a marked draft with --draft", count=len(errors)))


@dataclass
class ChangesOptions:
    since: str = APPROVAL  # "approval", a git revision, or another plan folder
    formats: tuple[str, ...] = FORMATS
    out: Path = Path("out")
    audience: str = "internal"
    full: bool = False  # unchanged sections in full, not only their headings
    draft: bool = False
    today: date = field(default_factory=date.today)


@dataclass
class ChangesResult:
    files: list[Path]
    summary: Summary
    old: Version
    description: Message  # what was compared with, for the command line


def changes(plan_path: Path, options: ChangesOptions) -> ChangesResult:
    """Compare the plan with the version named by `options.since` and write the documents."""
    from .output import run
    return run(plan_path, options)


def summary_between(current, old_plan, public: bool = False) -> Summary:
    """What differs between two loaded plans (model.Plan): sections in document order,
    roles, staff, levels, activation, annexes."""
    from .compare import compare
    from .views import build, exempt_keys, load_labels, plan_language
    labels = load_labels(plan_language(current))
    withhold = exempt_keys(current) | exempt_keys(old_plan) if public else set()
    basis = _bases(old_plan, current)
    old = build(old_plan, labels, public=public, withhold=withhold, exempt_basis=basis)
    new = build(current, labels, public=public, withhold=withhold, exempt_basis=basis)
    return compare(old, new)


def since_approval(current, public: bool = False, annexes: bool = True,
                   consulted: list | None = None) -> Summary | None:
    """For a loaded plan: what changed since its latest approval, or None when the approved
    version cannot be found (not in git, no matching commit, never approved). Without
    `annexes` only plan.yaml is read from the history (quicker; annex counts are then
    meaningless). `consulted` is given the files of git's own the answer depends on."""
    version, files = _approved(current, annexes)
    if consulted is not None:
        consulted.extend(files)
    return None if version is None else summary_between(current, version.plan, public)


def _approved(current, annexes: bool) -> tuple:
    """The approved version of a loaded plan (None when it cannot be found) and the files of
    git's own the answer depends on; worked out once per loaded plan, since the approval
    rule and the title page of a render both ask. The old version is read into memory, so
    it outlives its temporary folder."""
    from .history import GitError, Workspace, approved_version
    key = ("approved_version", annexes)
    if key not in current.memo:
        files: list = []
        try:
            with Workspace() as workspace:
                version = approved_version(current, workspace, annexes=annexes,
                                           consulted=files)
        except (NotFound, GitError, OSError):
            version = None
        current.memo[key] = (version, files)
    return current.memo[key]


def changed_sections(plan_folder: Path, public: bool = False) -> list[SectionChange] | None:
    """The sections of the plan in `plan_folder` changed since its latest approval, in
    document order (for the title page); None when the approved version cannot be found.
    `public`: as the public version names them (withheld sections by their exempt
    heading and legal basis)."""
    from ..build import load_plan
    current = load_plan(Path(plan_folder), strays=False).plan
    if not isinstance(current.document.data, dict):
        return None
    summary = since_approval(current, public, annexes=False)
    return None if summary is None else summary.sections


def _bases(*plans) -> dict:
    """The exemption to name for each exempt section: the newest version's."""
    basis: dict = {}
    for plan in plans:
        for i, section in enumerate(plan.all_sections()):
            if section.exempt is not None:
                basis[section.id or f"#{i}"] = section.exempt
    return basis
