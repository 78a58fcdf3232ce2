"""`beredskap render`: validate, build the context, write Markdown, convert.

    plan folder -> validate (refuse on errors unless draft) -> model
      -> context (names, dates, redaction)  -> Jinja2 -> Markdown skeleton
      -> pandoc: skeleton + user fields parsed apart, cleaned, merged
      -> per format: DOCX (reference.docx), HTML (one file), PDF (Typst), Markdown
      -> every file written atomically into the output folder

Nothing is written before every requested format has been produced, then
all of them are put in place together or none is (a failure half-way leaves
the previous files as they were); nothing is ever written into the plan folder.

The public version fails closed: it is refused outright while any exemption
or privacy marking cannot be read (`markings.problems`, whatever `--draft`,
the rule settings or suppression comments say), and every output is searched
for private numbers and people's addresses before it is written (`redact`).
"""
from __future__ import annotations

import os
import re
import secrets
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from pathlib import Path

from .. import digest, markings
from ..build import load_plan
from ..check import Options, check_plan
from ..config import ConfigError, find_config, load_config
from ..documents import not_a_file, os_reason
from ..findings import Finding
from ..i18n import _, _n, current
from ..project import PLAN_FILE
from ..resources import data_dir
from . import assemble, links, orgchart, tables
from .branding import BrandingError, Logo, check_reference_docx, load_logo
from .context import ContextBuilder, Status
from .convert import ConvertError, Pandoc, docx_core, docx_reference, finish_docx, meta_text, \
    svg_to_png, typst_pdf, write_all, MARKDOWN_WRITER
from .labels import LANGUAGES, LabelError, Labels
from .markdown import Fragments
from .templating import TemplateValueError, render_document
from .redact import Redaction

FORMATS = ("docx", "pdf", "html", "md")
AUDIENCES = ("internal", "public")
EPOCH_FLOOR = 315532800  # 1980-01-01: the earliest date a zip file (DOCX) can hold


class RenderError(Exception):
    """The document could not be made (exit status 1)."""

    exit_code = 1


class RenderUsageError(RenderError):
    """Bad arguments: a path or option that cannot be used (exit status 2)."""

    exit_code = 2


class Refused(RenderError):
    """The plan has validation errors and --draft was not given."""

    def __init__(self, errors: list[Finding]):
        self.errors = errors
        super().__init__(f"the plan has {len(errors)} validation error"
                         f"{'' if len(errors) == 1 else 's'}")


class NotPublic(RenderError):
    """`--audience public` and a marking that cannot be read: nothing is made."""

    def __init__(self, problems: list[markings.MarkingProblem]):
        self.problems = problems
        super().__init__(current()(_n(
            "no public version made: {n} exemption or privacy marking cannot be read, so "
            "what it marks cannot be kept out",
            "no public version made: {n} exemption or privacy markings cannot be read, so "
            "what they mark cannot be kept out", len(problems))))
class PlaceholdersLeft(RenderError):
    """The plan still holds text to be filled in («FYLL INN») and --draft was not given."""

    def __init__(self, placeholders: list[Finding], folder: Path):
        from ..i18n import _n
        self.placeholders = placeholders
        self.message = _n(
            "not rendered: {n} text in the plan is still to be filled in (see `beredskap "
            "validate {folder}`); fill it in, or render a marked draft with --draft",
            "not rendered: {n} texts in the plan are still to be filled in (see `beredskap "
            "validate {folder}`); fill them in, or render a marked draft with --draft",
            len(placeholders), folder=str(folder))
        super().__init__(self.message)

    def __str__(self) -> str:
        from ..i18n import current
        return current()(self.message)


@dataclass
class RenderOptions:
    formats: tuple[str, ...] = FORMATS
    out: Path = Path("out")
    audience: str = "internal"
    template_dir: Path | None = None
    draft: bool = False
    today: date = field(default_factory=date.today)
    messages: str = "en"  # the language of the validation findings a refusal lists


@dataclass
class RenderResult:
    files: list[Path]
    status: str
    errors: list[Finding]
    markdown: str = ""  # the templates' Markdown, before pandoc (for debugging)


class Templates:
    """Template files by name: the --template-dir first, then the shipped ones."""

    def __init__(self, override: Path | None):
        self.default = data_dir("templates")
        self.folders = ([override] if override else []) + [self.default]

    def find(self, name: str) -> Path:
        for folder in self.folders:
            path = folder / name
            if path.is_file():
                return path
        raise RenderError(_("the template file '{name}' is missing (looked in {folders})",
                            name=name, folders=", ".join(str(f) for f in self.folders)))

    def fonts(self) -> list[Path]:
        return [f / "fonts" for f in self.folders if (f / "fonts").is_dir()]

    def reference_docx(self, configured: Path | None) -> Path:
        """A --template-dir's reference.docx, else the one beredskap.yaml names, else ours."""
        if len(self.folders) > 1 and (self.folders[0] / "reference.docx").is_file():
            return self.folders[0] / "reference.docx"
        return configured or self.find("reference.docx")


@dataclass
class Branding:
    logo: Logo | None = None
    reference_docx: Path | None = None


def branding(plan, folder: Path) -> Branding:
    """The logo and Word styles for this plan: plan.yaml first, then beredskap.yaml."""
    from ..rules import RULES

    try:
        config = load_config(find_config(folder), set(RULES))
    except ConfigError as err:
        raise RenderUsageError(str(err)) from None
    config_root = config.path.parent if config.path else plan.root
    result = Branding()
    try:
        if plan.organization.logo:
            result.logo = load_logo(folder / plan.organization.logo, plan.root,
                                    f"{plan.document.display}: organization.logo")
        elif config.logo is not None:
            result.logo = load_logo(config.logo, config_root, f"{config.path}: render.logo")
        if config.reference_docx is not None:
            result.reference_docx = check_reference_docx(
                config.reference_docx, config_root, f"{config.path}: render.reference_docx")
    except BrandingError as err:
        raise RenderError(str(err.args[0])) from None
    return result


def plan_folder(path: Path) -> Path:
    if path.name == PLAN_FILE and (path.is_file() or not_a_file(path) is not None):
        path = path.parent
    if not path.exists():
        raise RenderUsageError(_("{path}: there is no such file or folder", path=str(path)))
    why = not_a_file(path / PLAN_FILE)
    if why is not None:  # a FIFO would make the render wait for ever
        raise RenderError(_("{path}: {why}", path=str(path / PLAN_FILE), why=why))
    if not (path / PLAN_FILE).is_file():
        raise RenderUsageError(_("{path}: not a plan folder (it has no {file})", path=str(path),
                                 file=PLAN_FILE))
    return path


def source_date_epoch(plan) -> int:
    """SOURCE_DATE_EPOCH when set, else the plan's latest revision, approval or submission."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if re.fullmatch(r"\d{1,12}", value):
        return max(int(value), EPOCH_FLOOR)
    days = [x.date for x in (*plan.revisions, *plan.approvals, *plan.submissions)
            if x.date is not None]
    if not days:
        return EPOCH_FLOOR
    moment = datetime.combine(max(days), time(0, 0), tzinfo=timezone.utc)
    return max(int(moment.timestamp()), EPOCH_FLOOR)


def output_name(folder: Path, public: bool, fmt: str) -> str:
    return f"{folder.resolve().name}{'-public' if public else ''}.{fmt}"


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_options(options: RenderOptions) -> None:
    """What is wrong with the options whatever the plan (RenderUsageError)."""
    unknown = [f for f in options.formats if f not in FORMATS]
    if unknown or not options.formats:
        raise RenderUsageError(_("unknown output format {formats}; choose from {known}",
                                 formats=", ".join(unknown) or "-", known=",".join(FORMATS)))
    if options.audience not in AUDIENCES:
        raise RenderUsageError(_("unknown audience '{audience}'; choose internal or public",
                                 audience=options.audience))
    if options.template_dir is not None and not options.template_dir.is_dir():
        raise RenderUsageError(_("{path}: the template folder does not exist",
                                 path=str(options.template_dir)))
    if options.out.exists() and not options.out.is_dir():
        raise RenderUsageError(_("{path}: exists and is not a folder", path=str(options.out)))


def render(plan_path: Path, options: RenderOptions) -> RenderResult:
    check_options(options)
    folder = plan_folder(plan_path)
    out = options.out
    if _inside(out.resolve(), folder.resolve()):
        raise RenderUsageError(_("{path}: the output folder is inside the plan folder; render "
                                 "never writes there, choose another folder with --out",
                                 path=str(out)))

    public = options.audience == "public"
    loaded = load_plan(folder)
    plan = loaded.plan
    if public:  # before anything else, whatever --draft and the rule settings say
        problems = markings.problems(plan)
        if problems:
            raise NotPublic(problems)

    findings = check_plan(folder, Options(today=options.today, language=options.messages),
                          loaded)
    errors = [f for f in findings if f.severity == "error"]
    if errors and not options.draft:
        raise Refused(errors)
    blanks = [f for f in findings if f.rule == "placeholder"]
    if blanks and not options.draft:
        raise PlaceholdersLeft(blanks, folder)

    if not isinstance(plan.document.data, dict):
        raise RenderError(_("{path} could not be read, so there is nothing to render; fix it "
                            "first (see `beredskap validate`)", path=plan.document.display))
    templates = Templates(options.template_dir)
    language = plan.language if plan.language in LANGUAGES else \
        {"NO": "nb", "DK": "da"}.get(plan.organization.country or "", "en")
    try:
        labels = Labels.load(templates.find(f"labels/{language}.yaml"), language)
    except LabelError as err:
        raise RenderError(str(err)) from None

    own = branding(plan, folder)
    dated = [a for a in plan.approvals if a.date is not None] or plan.approvals
    status = Status(digest.status(plan.document.data, plan.approvals),
                    dated[-1] if dated else None)
    nonce = secrets.token_hex(8)
    fragments = Fragments(nonce)
    try:
        builder = ContextBuilder(plan, labels, fragments, public=public,
                                 draft=bool(errors or blanks), status=status,
                                 logo=own.logo is not None,
                                 changed_sections=changed_since_approval(plan, status, labels,
                                                                         public))
        context = builder.build()
        redaction = builder.redaction
        if redaction is not None:  # private numbers and addresses written anywhere else
            context = redaction.scrub_context(context, fragments)
        chart = builder.chart() if builder.has_chart else None
        markdown = render_document(templates.folders, context)
    except LabelError as err:
        raise RenderError(str(err)) from None
    except TemplateValueError as err:
        raise RenderError(_("error in a template: {error}", error=str(err))) from None
    except Exception as err:  # jinja2 errors: a missing variable, bad syntax, missing include
        name = type(err).__name__
        if type(err).__module__.startswith("jinja2"):
            where = f" ({err.filename}:{err.lineno})" if getattr(err, "lineno", None) else ""
            raise RenderError(_("error in a template{where}: {error}", where=where,
                                error=str(err))) from None
        raise RenderError(f"{name}: {err}") from None

    epoch = source_date_epoch(plan)
    pictures = Pictures(own, chart, labels, builder.nav, plan.numbering)
    try:
        pandoc = Pandoc(epoch)
        document = _document(pandoc, markdown, fragments, nonce, builder.targets)
        if redaction is not None:
            document = redaction.scrub_tree(document)
        # pandoc and Typst run as separate processes or native code: make the formats
        # side by side (the result does not depend on the order)
        with ThreadPoolExecutor(max_workers=len(options.formats)) as pool:
            futures = {fmt: pool.submit(_produce, fmt, pandoc, document, context, labels,
                                        templates, epoch, bool(errors or blanks), pictures,
                                        redaction)
                       for fmt in options.formats}
            outputs = {fmt: future.result() for fmt, future in futures.items()}
    except (ConvertError, assemble.AssemblyError) as err:
        raise RenderError(str(err)) from None

    targets = [(out / output_name(folder, public, fmt), outputs[fmt]) for fmt in options.formats]
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_all(targets)
    except OSError as err:
        raise RenderError(current()(_(
            "cannot write to {folder}: {why}; nothing was changed there",
            folder=str(out), why=os_reason(err)))) from None
    return RenderResult([path for path, _data in targets], status.key, errors, markdown)


class Leak(RenderError):
    """A private number or address survived the redaction: nothing is written."""

    def __init__(self, fmt: str, secrets: list):
        self.secrets = secrets
        first = secrets[0]
        where = first.src.at()
        super().__init__(current()(_(
            "the public {format} would still show {what} of {owner} ({file}:{line}), written "
            "in a way that could not be removed; nothing was written. Remove it from the text "
            "where it stands (`beredskap validate` shows where: rule private-in-text)",
            format=fmt.upper(), owner=first.owner, file=where.doc.display, line=where.line,
            what=_("a private phone number") if first.kind == "number"
            else _("an e-mail address")))) 


def changed_since_approval(plan, status: Status, labels: Labels, public: bool) -> tuple:
    """For the title page: the sections changed since the approval, as found in the plan's
    git history ("3.4 Beredskabsråd (ændret)"), or nothing when it cannot be found. The
    public version names a withheld section only by its exempt heading."""
    if status.key not in ("changed", "unverified"):
        return ()
    # the change detection reads this package's context builder: imported when needed
    from ..changes import since_approval
    try:
        summary = since_approval(plan, public, annexes=False)
    except Exception:  # noqa: BLE001  (the history is a bonus: never let it stop a render)
        return ()
    if summary is None:
        return ()
    lines = []
    for change in summary.sections:
        if change.kind not in ("added", "removed", "moved", "changed"):
            continue
        label = f"{change.number} {change.title}" if change.number else change.title
        lines.append(labels.fmt(f"status.section_{change.kind}", section=label))
    renumbered = len(summary.by_kind("renumbered"))
    if renumbered:
        lines.append(labels.fmt("status.sections_renumbered", n=str(renumbered)))
    return tuple(lines)


def _document(pandoc: Pandoc, markdown: str, fragments: Fragments, nonce: str,
              targets: dict | None = None) -> list:
    """The whole document tree: skeleton with the cleaned user fields in place, and
    cross-references leading to their targets.

    The skeleton is read with a small column count, which makes every pipe table
    keep the relative column widths written in its separator line. Columns the
    templates write but no row fills are left out before the fields go in.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        skeleton_future = pool.submit(pandoc.read, markdown, 10)
        fields = _fields(pandoc, fragments, nonce)
        skeleton = tables.drop_empty_columns(skeleton_future.result())
    merged = assemble.merge(skeleton, fields, re.compile(f"BKFRAG{nonce}"))
    return assemble.checked(links.cross_references(merged, targets or {}))


def _fields(pandoc: Pandoc, fragments: Fragments, nonce: str) -> dict[str, list]:
    """Every user Markdown field, parsed (all in one pandoc run when possible) and cleaned."""
    items = fragments.items
    parsed: dict[int, list] = {}

    def separator(i: int) -> str:
        return f"BKSEP{nonce}N{i}"

    def parse(indices: list[int]) -> None:
        parts = []
        for k, i in enumerate(indices):
            if k:
                parts.append(separator(i))
            parts.append(items[i].text)
        blocks = pandoc.read("\n\n".join(parts) + "\n")
        split = assemble.split_fragments(blocks, separator, indices)
        if split is not None:
            parsed.update(zip(indices, split))
        elif len(indices) == 1:
            parsed[indices[0]] = blocks
        else:  # a field ran into the next one (an unclosed code fence): parse apart
            half = len(indices) // 2
            parse(indices[:half])
            parse(indices[half:])

    if items:
        parse(list(range(len(items))))
    return assemble.clean_fields(items, [parsed[i] for i in range(len(items))])


@dataclass
class Pictures:
    """The logo, the organisation chart and the quick links, made ready per format."""

    own: Branding
    chart: orgchart.Chart | None
    labels: Labels
    nav: dict[str, str]
    numbering: str

    def extras(self, fmt: str, fonts: list[Path]) -> tuple[assemble.Extras, dict[str, bytes]]:
        """The layout's extras for `fmt`, and the files Typst needs beside its source."""
        L = self.labels
        extras = assemble.Extras(toc_title=L.get("document.contents"),
                                 chart_title=L.get("chart.title"), numbering=self.numbering)
        files: dict[str, bytes] = {}
        logo = self.own.logo
        if logo is not None:
            if fmt == "pdf":
                files[logo.file_name] = logo.data
                extras.logo = logo.file_name
            elif fmt == "html":
                extras.logo = logo.data_uri()
            elif fmt == "docx":
                png = logo.data if logo.kind == "png" else svg_to_png(logo.data, 200, fonts)
                extras.logo = Logo("png", png).data_uri()
        if self.chart is not None and fmt == "html":
            # one chart for wide screens, one for phones; the style sheet shows one of them
            wide = orgchart.svg(self.chart, orgchart.SCREEN)
            narrow = orgchart.svg(self.chart, orgchart.PHONE)
            extras.chart = f'<div class="wide">{wide.svg}</div><div class="narrow">{narrow.svg}</div>'
        elif self.chart is not None and fmt in ("pdf", "docx"):
            drawing = orgchart.svg(self.chart, orgchart.PRINT)
            extras.chart_size = (drawing.width, drawing.height)
            if fmt == "pdf":
                files["orgchart.svg"] = drawing.svg.encode("utf-8")
                extras.chart = "orgchart.svg"
            else:
                png = svg_to_png(drawing.svg.encode("utf-8"), drawing.width, fonts)
                extras.chart = Logo("png", png).data_uri()
        if fmt == "html":
            extras.nav_label = L.get("nav.label")
            extras.nav = [(L.get("nav.contents"), "contents")] + [
                (L.get(f"nav.{key}"), self.nav[key]) for key in ("calllist", "alertlist", "cards")
                if key in self.nav]
        return extras, files


def _produce(fmt: str, pandoc: Pandoc, document: list, context: dict, labels: Labels,
             templates: Templates, epoch: int, draft: bool, pictures: Pictures,
             redaction: Redaction | None = None) -> bytes:
    """One format's file; for the public version, searched once more for private data."""
    data = _format(fmt, pandoc, document, context, labels, templates, epoch, draft, pictures,
                   redaction)
    if redaction is not None and fmt in ("md", "html", "docx"):
        _refuse_leaks(redaction, fmt, data)
    return data


def _refuse_leaks(redaction: Redaction, fmt: str, data: bytes) -> None:
    found = redaction.leaks(fmt, data)
    if found:
        raise Leak(fmt if fmt != "typst" else "pdf", found)


def _format(fmt: str, pandoc: Pandoc, document: list, context: dict, labels: Labels,
            templates: Templates, epoch: int, draft: bool, pictures: Pictures,
            redaction: Redaction | None) -> bytes:
    L = labels
    extras, files = pictures.extras(fmt, templates.fonts())
    blocks = assemble.LAYOUTS[fmt](document, extras)
    title = context["plan"]["title"]
    footer = context["footer"]
    draft_label = L.get("status.draft") if draft else ""
    if fmt == "md":
        return pandoc.write(blocks, MARKDOWN_WRITER, ["--wrap=none", "--columns=100"])
    if fmt == "docx":
        reference = docx_reference(templates.reference_docx(pictures.own.reference_docx),
                                   header=L.get("status.draft_note") if draft else "",
                                   footer=footer, page=L.get("document.page"),
                                   of=L.get("document.of"))
        with tempfile.TemporaryDirectory(prefix="beredskap-") as tmp:
            ref = Path(tmp) / "reference.docx"
            ref.write_bytes(reference)
            data = pandoc.write(blocks, "docx", ["--reference-doc", str(ref), "--output", "-"],
                                {"lang": {"t": "MetaString", "c": L.language}})
        return finish_docx(data, docx_core(title, context["plan"]["organization"],
                                           L.language, epoch))
    meta = {
        "doc-title": meta_text(title),
        "pagetitle": meta_text(title),
        "author": meta_text(context["plan"]["organization"]),
        "footer": meta_text(footer),
        "page-label": meta_text(L.get("document.page")),
        "of-label": meta_text(L.get("document.of")),
        "lang": {"t": "MetaString", "c": L.language},
    }
    if draft:
        meta["draft"] = {"t": "MetaBool", "c": True}
        meta["draft-label"] = meta_text(draft_label)
        meta["draft-note"] = meta_text(L.get("status.draft_note"))
    if fmt == "html":
        if extras.nav:
            meta["quicklinks"] = {"t": "MetaBlocks", "c": [assemble.html_nav(extras)]}
        css = templates.find("beredskap.css").read_text(encoding="utf-8")
        return pandoc.write(blocks, "html5", [
            "--standalone", "--template", str(templates.find("beredskap.html")),
            "--email-obfuscation=none", "--syntax-highlighting=none", "--wrap=none",
            "--variable", f"css={css}"], meta)
    source = pandoc.write(blocks, "typst", [
        "--standalone", "--template", str(templates.find("beredskap.typ")), "--wrap=none"], meta)
    if redaction is not None:  # the PDF's text is the Typst source's
        _refuse_leaks(redaction, "typst", source)
    return typst_pdf(source, templates.fonts(), files)
