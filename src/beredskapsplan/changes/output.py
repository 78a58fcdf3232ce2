"""`beredskap changes`: find the version to compare with, compare, write the documents.

    plan folder -> validate the current version (refuse on errors unless draft)
      -> the version to compare with (git history, a revision, or a folder)
      -> a view of each version for the audience -> the summary and merged tree
      -> the change document (pandoc's tree, changes as insertion/deletion spans)
      -> per format: render's layout, then the marks -> DOCX / HTML / PDF / Markdown
      -> every file written atomically into the output folder

Nothing is written before every format has been produced, and nothing is ever
written into the plan folder or the repository.
"""
from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, time, timezone
from pathlib import Path

from .. import digest as digests, markings
from ..build import load_plan
from ..check import Options, check_plan
from ..documents import os_reason
from ..i18n import Message, _, _n, current_language, translator
from ..project import PLAN_FILE
from ..render import assemble
from ..render.context import version_date
from ..render.convert import ConvertError, MARKDOWN_WRITER, Pandoc, docx_core, docx_reference, \
    finish_docx, meta_text, rewrite_zip, typst_pdf, write_atomic
from ..render.labels import LabelError, Labels
from ..render.pipeline import Leak, Templates, source_date_epoch
from . import APPROVAL, AUDIENCES, FORMATS, ChangesError, ChangesOptions, ChangesResult, \
    Refused, UsageError, _bases
from . import marks
from .compare import compare
from .document import Builder, Setting
from .history import NotFound, Version, Workspace, approved_version, folder_version, \
    last_commit_day, revision_version
from .textdiff import Mark
from .views import build, exempt_keys, load_labels, plan_language, scrub_private

CSS = Path(__file__).with_name("changes.css")


def plan_folder(path: Path) -> Path:
    if path.is_file() and path.name == PLAN_FILE:
        return path.parent
    if not path.exists():
        raise UsageError(_("{path}: no such file or folder", path=str(path)))
    if not (path / PLAN_FILE).is_file():
        raise UsageError(_("{path}: not a plan folder (it has no {file})", path=str(path),
                           file=PLAN_FILE))
    return path


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def output_name(folder: Path, public: bool, fmt: str) -> str:
    return f"{folder.resolve().name}-changes{'-public' if public else ''}.{fmt}"


def _check_options(options: ChangesOptions) -> None:
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown or not options.formats:
        raise UsageError(_("unknown output format {formats}; choose from {known}",
                           formats=", ".join(unknown) or "(none)", known=",".join(FORMATS)))
    if options.audience not in AUDIENCES:
        raise UsageError(_("unknown audience '{audience}'; choose internal or public",
                           audience=options.audience))


def run(plan_path: Path, options: ChangesOptions) -> ChangesResult:
    _check_options(options)
    folder = plan_folder(plan_path)
    out = options.out
    if _inside(out.resolve(), folder.resolve()):
        raise UsageError(_("{out}: the output folder is inside the plan folder; choose another "
                           "folder with --out", out=str(out)))
    if out.exists() and not out.is_dir():
        raise UsageError(_("{out}: exists and is not a folder", out=str(out)))
    findings = check_plan(folder, Options(today=options.today, ignore={"approval-status"},
                                          language=current_language()))
    errors = [f for f in findings if f.severity == "error"]
    if errors and not options.draft:
        raise Refused(errors)
    current = load_plan(folder).plan
    if not isinstance(current.document.data, dict):
        raise ChangesError(_("{file} could not be read; fix it first (see `beredskap validate`)",
                             file=current.document.display))
    with Workspace() as workspace:
        old = _version(current, options.since, workspace)
        if not isinstance(old.plan.document.data, dict):
            problem = old.plan.document.problems[0].message if old.plan.document.problems \
                else _("it is not a mapping")
            raise ChangesError(_("the plan.yaml of the version to compare with cannot be read "
                                 "({problem}); name another version with --since",
                                 problem=problem))
        if options.audience == "public":  # fails closed, as `render --audience public` does
            _refuse_unreadable_markings(current, old.plan)
        return _write(folder, current, old, options, bool(errors))


def _refuse_unreadable_markings(*plans) -> None:
    """No public version while an exemption or privacy marking cannot be read."""
    for plan in plans:
        problems = markings.problems(plan)
        if problems:
            where = problems[0].where
            place = f"{where.doc.display}:{where.line}:{where.column}"
            raise ChangesError(_n(
                "no public version made: {n} exemption or privacy marking cannot be read, "
                "the first at {place}: {why}",
                "no public version made: {n} exemption or privacy markings cannot be read, "
                "the first at {place}: {why}", len(problems),
                place=place, why=problems[0].message))


def _version(current, since: str, workspace: Workspace) -> Version:
    if since == APPROVAL:
        try:
            return approved_version(current, workspace)
        except NotFound as err:
            raise ChangesError(err.message) from None
    path = Path(since)
    if path.exists():
        other = plan_folder(path)
        if other.resolve() == plan_folder(current.folder).resolve():
            raise UsageError(_("--since {path} is the plan itself; name another folder, a git "
                               "revision, or approval", path=since))
        return folder_version(other)
    try:
        version = revision_version(current, since, workspace)
    except NotFound as err:
        raise ChangesError(err.message) from None
    if version is None:
        raise UsageError(_("--since {since}: neither a git revision of this repository nor a "
                           "plan folder; give approval (the default), a commit, tag or branch, "
                           "or the path of a plan folder", since=since))
    return version


def _write(folder: Path, current, old: Version, options: ChangesOptions,
           draft: bool) -> ChangesResult:
    public = options.audience == "public"
    language = plan_language(current)
    try:
        labels = load_labels(language)
    except LabelError as err:
        raise ChangesError(str(err)) from None
    tr = translator(language)
    withhold = (exempt_keys(current) | exempt_keys(old.plan)) if public else set()
    basis = _bases(old.plan, current)
    old_view = build(old.plan, labels, public=public, withhold=withhold, exempt_basis=basis,
                     tr=tr)
    new_view = build(current, labels, public=public, withhold=withhold, exempt_basis=basis,
                     tr=tr)
    redactions = [new_view.builder.redaction, old_view.builder.redaction] if public else []
    for view in (old_view, new_view):
        scrub_private(view, redactions)
    summary = compare(old_view, new_view)
    epoch = _epoch(current)
    stamp = datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    owner = current.role(current.owner)
    author = (owner.title if owner and owner.title else None) \
        or current.organization.name or "beredskap"
    subtitle = tr(_("Changes since the approved version") if old.kind == APPROVAL
                  else _("Changes since {revision}", revision=old.revision)
                  if old.kind == "revision"
                  else _("Changes since the version in {folder}", folder=str(old.folder)))
    setting = Setting(tr=tr, labels=labels, mark=Mark(author, stamp), full=options.full,
                      public=public, draft=draft, subtitle=subtitle,
                      title_lines=[tr(line) for line in describe(old, current)])
    try:
        pandoc = Pandoc(epoch)
        document = Builder(old_view, new_view, summary, setting, pandoc).build()
        for redaction in redactions:  # a secret the views did not hold as text of their own
            document = redaction.scrub_tree(document)
        templates = Templates(None)
        footer = " · ".join([new_view.builder.text(current.title), subtitle]
                            + ([labels.get("document.public_edition")] if public else []))
        with ThreadPoolExecutor(max_workers=len(options.formats)) as pool:
            futures = {fmt: pool.submit(_produce, fmt, pandoc, document, labels, templates,
                                        epoch, draft, new_view.builder.text(current.title),
                                        new_view.builder.text(current.organization.name),
                                        footer)
                       for fmt in options.formats}
            outputs = {fmt: future.result() for fmt, future in futures.items()}
        for fmt, data in outputs.items():  # the last look before anything is written
            for redaction in redactions:
                if fmt in ("md", "html", "docx") and redaction.leaks(fmt, data):
                    raise ChangesError(Leak(fmt, redaction.leaks(fmt, data)).args[0])
    except (ConvertError, LabelError) as err:
        raise ChangesError(str(err)) from None
    out = options.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for fmt in options.formats:
            path = out / output_name(folder, public, fmt)
            write_atomic(path, outputs[fmt])
            written.append(path)
    except OSError as err:
        raise ChangesError(_("cannot write to {out}: {error}", out=str(out),
                             error=os_reason(err))) from None
    return ChangesResult(written, summary, old, describe(old, current)[0])


def _epoch(current) -> int:
    """The date of the changes: SOURCE_DATE_EPOCH when set, else the newest of the plan's
    own dates (as `render` uses) and the last commit of plan.yaml, so that the same
    repository gives the same documents on any day."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit():
        return source_date_epoch(current)
    epoch = source_date_epoch(current)
    day = last_commit_day(current)
    if day is not None:
        moment = datetime.combine(day, time(0, 0), tzinfo=timezone.utc)
        epoch = max(epoch, int(moment.timestamp()))
    return epoch


def describe(old: Version, current) -> list[Message]:
    """What is compared with what, for the title block and the command line."""
    lines: list[Message] = []
    approval = old.approval
    commit = old.commit
    if old.kind == APPROVAL and approval is not None:
        values = dict(by=approval.by or "?", date=approval.date or _("an unknown date"),
                      case=approval.case or "")
        if commit is not None:
            values.update(commit=commit.short, day=commit.day)
            lines.append(_("Approved version: approved by {by} on {date} (case {case}); git "
                           "commit {commit} of {day}", **values) if approval.case else
                         _("Approved version: approved by {by} on {date}; git commit {commit} "
                           "of {day}", **values))
        else:
            lines.append(_("Approved version: approved by {by} on {date} (case {case}); the "
                           "plan is as approved", **values) if approval.case else
                         _("Approved version: approved by {by} on {date}; the plan is as "
                           "approved", **values))
    elif old.kind == "revision" and commit is not None:
        lines.append(_("Earlier version: git revision {revision} (commit {commit} of {day})",
                       revision=old.revision, commit=commit.short, day=commit.day))
    else:
        lines.append(_("Earlier version: the plan folder {folder}", folder=str(old.folder)))
    version = version_date(current)
    if version is not None:
        lines.append(_("Compared with: the plan as it is now (version of {date})", date=version))
    else:
        lines.append(_("Compared with: the plan as it is now"))
    if digests.status(current.document.data, current.approvals) == "approved":
        lines.append(_("The text is the one approved (the digest matches)."))
    return lines


def _produce(fmt: str, pandoc: Pandoc, document: list, labels: Labels, templates: Templates,
             epoch: int, draft: bool, title: str, organisation: str, footer: str) -> bytes:
    L = labels
    blocks = assemble.LAYOUTS[fmt](document, L.get("document.contents"))
    if fmt == "md":
        return pandoc.write(marks.for_markdown(blocks), MARKDOWN_WRITER,
                            ["--wrap=none", "--columns=100"])
    if fmt == "docx":
        reference = docx_reference(templates.find("reference.docx"),
                                   header=L.get("status.draft_note") if draft else "",
                                   footer=footer, page=L.get("document.page"),
                                   of=L.get("document.of"))
        with tempfile.TemporaryDirectory(prefix="beredskap-") as tmp:
            ref = Path(tmp) / "reference.docx"
            ref.write_bytes(reference)
            data = pandoc.write(blocks, "docx", ["--reference-doc", str(ref), "--output", "-"],
                                {"lang": {"t": "MetaString", "c": L.language}})
        data = rewrite_zip(data, {"word/document.xml": marks.finish_document_xml})
        return finish_docx(data, docx_core(title, organisation, L.language, epoch))
    meta = {
        "doc-title": meta_text(title),
        "pagetitle": meta_text(title),
        "author": meta_text(organisation),
        "footer": meta_text(footer),
        "page-label": meta_text(L.get("document.page")),
        "of-label": meta_text(L.get("document.of")),
        "lang": {"t": "MetaString", "c": L.language},
    }
    if draft:
        meta["draft"] = {"t": "MetaBool", "c": True}
        meta["draft-label"] = meta_text(L.get("status.draft"))
        meta["draft-note"] = meta_text(L.get("status.draft_note"))
    if fmt == "html":
        css = templates.find("beredskap.css").read_text(encoding="utf-8") + "\n" \
            + CSS.read_text(encoding="utf-8")
        return pandoc.write(marks.for_html(blocks), "html5", [
            "--standalone", "--template", str(templates.find("beredskap.html")),
            "--email-obfuscation=none", "--syntax-highlighting=none", "--wrap=none",
            "--variable", f"css={css}"], meta)
    source = pandoc.write(marks.for_typst(blocks), "typst", [
        "--standalone", "--template", str(templates.find("beredskap.typ")), "--wrap=none"], meta)
    return typst_pdf(source, templates.fonts())
