"""`beredskap import`: an existing Word, OpenDocument or Markdown plan as a new plan folder.

    report = import_document(Path("beredskabsplan.docx"), "dk", Path("plans/vallensbaek"))

The document is read by pandoc's readers (`reading`), what pandoc leaves out
from the document's XML (`wordxml`, `odfxml`); the headings become the
plan's sections, annex tables become annex files, the title page gives the
plan's facts (`structure`, `annexes`, `facts`). What only a person can
supply (who holds which role, the deputies, who owns the plan) is written as
text holding the fill-in mark (`placeholders`), so `beredskap validate`
gives the coordinator a to-do list. Files are written as commented YAML
(`yamltext`), each read back with the project's own reader before anything
is written; the folder must be new or empty, and the same document gives
the same files, byte for byte.

Nothing here imports the command-line layer. Every refusal is an
`ImporterError` whose message (a `Message`) says what to do.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import placeholders
from ..documents import os_reason
from ..i18n import Message, _, _n, translator
from . import annexes as ax
from .names import Ids, slug
from .reading import ReadError
from .structure import AnnexTable, Draft, Section, build
from .writing import File, entry_map, mark_text, markdown, render_file
from .yamltext import Ids as IdList
from .yamltext import Block, Map, Seq, plain_data, prose

COUNTRIES = {"no": ("NO", "no-sivilbeskyttelsesloven"), "dk": ("DK", "dk-beredskabsloven")}
LANGUAGES = ("nb", "nn", "da", "en")
KIND_ORDER = ("contacts", "resources", "plan-register", "partners")
# TRANSLATORS: the ends of annex file names, e.g. bilag-a-alarmeringsliste.yaml
_FILE_WORDS = {"contacts": _("alert-list"), "resources": _("resource-list"),
               "plan-register": _("plan-register"), "partners": _("partner-list")}
_LIST_KEY = {"contacts": "people", "resources": "resources", "plan-register": "plans",
             "partners": "partners"}


class ImporterError(Exception):
    """The import cannot be made; `message` says why and what to do."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


@dataclass
class AnnexInfo:
    letter: str
    title: str
    kind: str
    file: str
    entries: int
    sections: list[str]  # where its tables stood ("" for the title page)


@dataclass
class ImportReport:
    source: Path
    format: str
    out: Path
    language: str
    country: str
    files: list[str] = field(default_factory=list)
    title: str = ""
    subtitle: str | None = None
    municipality: str | None = None
    municipality_source: str | None = None  # option | title-page | document | None
    case_number: str | None = None
    approvals: list[tuple[date, str, str | None]] = field(default_factory=list)
    submissions: list[tuple[date, str]] = field(default_factory=list)
    revisions: list[date] = field(default_factory=list)
    numbering: str = "none"
    numbers_typed: int = 0
    numbers_from_styles: int = 0
    outline: list[tuple[int, str | None, str, str]] = field(default_factory=list)
    repeated_numbers: list[tuple[str, int]] = field(default_factory=list)
    missing_numbers: list[str] = field(default_factory=list)
    annexes: list[AnnexInfo] = field(default_factory=list)
    people: int = 0
    bad_numbers: list[ax.BadNumber] = field(default_factory=list)
    kept_tables: list = field(default_factory=list)
    pictures: list[tuple[str, str | None]] = field(default_factory=list)
    logo: str | None = None
    covers: list[tuple[str, list[str]]] = field(default_factory=list)
    left_out: list[Message] = field(default_factory=list)
    notes: list[Message] = field(default_factory=list)
    todos: list[tuple[str, int, Message]] = field(default_factory=list)
    findings: list = field(default_factory=list)  # what `validate` says, run on the result


# -- choosing -------------------------------------------------------------------------------

_NYNORSK = {"ikkje", "kva", "korleis", "kven", "frå", "berre", "mykje", "heile", "vere",
            "eit", "dei", "desse", "noko", "nokon", "kvar", "saman", "òg", "me", "vert",
            "vart", "høyrer", "skal", "eigen", "eiga", "einingar", "eining", "ansvarleg"}
_BOKMAL = {"ikke", "hva", "hvordan", "hvem", "fra", "bare", "mye", "hele", "være", "et",
           "de", "disse", "noe", "noen", "hver", "sammen", "blir", "ble", "egen", "egne",
           "enheter", "enhet", "ansvarlig"}


def written_language(text: str) -> str:
    """nn or nb, from words only one of them uses."""
    words = [w.strip(".,;:!?()«»\"'").lower() for w in text.split()]
    nynorsk = sum(1 for w in words if w in _NYNORSK and w != "skal")
    bokmal = sum(1 for w in words if w in _BOKMAL)
    return "nn" if nynorsk > bokmal else "nb"


def _usable_out(out: Path) -> None:
    if not out.exists():
        parent = out.parent if str(out.parent) else Path(".")
        if parent.exists() and not parent.is_dir():
            raise ImporterError(_("{folder} cannot be made: {parent} is not a folder",
                                  folder=str(out), parent=str(parent)))
        return
    if not out.is_dir():
        raise ImporterError(_("{folder} exists and is not a folder; choose a new folder for "
                              "the imported plan", folder=str(out)))
    try:
        entries = [e.name for e in out.iterdir()]
    except OSError as err:
        raise ImporterError(_("{folder} cannot be read: {reason}", folder=str(out),
                              reason=os_reason(err))) from None
    if [e for e in entries if e != ".git"]:
        raise ImporterError(_("{folder} is not empty; beredskap import never overwrites "
                              "files. Choose a new folder, e.g. plans/<kommune>",
                              folder=str(out)))


# -- the import -----------------------------------------------------------------------------

IMPORT_STEPS = 3  # what `progress` counts: read the document, write the plan, check it


def import_document(path: Path, country: str, out: Path, name: str | None = None,
                    language: str | None = None, today: date | None = None,
                    check: bool = True, progress=None) -> ImportReport:
    """Import the document at `path` into the new plan folder `out`.

    `today` is used only when the document has no date at all (as the date of
    the alert list's check); `check` runs `validate` on the result for the report.
    `progress(n)` is told when each of the IMPORT_STEPS is done (reading the document,
    writing the plan, checking it).
    """
    tell = progress or (lambda _done: None)
    path, out = Path(path), Path(out)
    key = (country or "").lower()
    if key not in COUNTRIES:
        raise ImporterError(_("unknown country '{country}'; one of: no, dk", country=country))
    code, jurisdiction = COUNTRIES[key]
    if language is not None and language not in LANGUAGES:
        raise ImporterError(_("unknown language '{language}'; one of: nb, nn, da, en",
                              language=language))
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise ImporterError(_("the municipality's name (--name) must not be empty"))
    _usable_out(out)
    with tempfile.TemporaryDirectory(prefix="beredskap-import-") as work:
        try:
            from .reading import read
            source = read(path, Path(work))
        except ReadError as err:
            raise ImporterError(err.message) from None
        tell(1)
        if language is None:
            language = "da" if key == "dk" else written_language(
                " ".join(_text_of(source.blocks)))
        assembly = Assembly(source, code, jurisdiction, language, name, today or date.today())
        report = assembly.run(out)
        _write(out, assembly)
    tell(2)
    if check:
        report.findings = _validate(out, today or date.today())
    tell(IMPORT_STEPS)
    return report


def _text_of(blocks: list) -> list[str]:
    from .tree import block_text

    return [block_text([b]) for b in blocks]


def _validate(out: Path, today: date) -> list:
    from ..check import Options, check_plan

    return check_plan(out, Options(today=today))


class Assembly:
    """Puts the plan together from the draft and writes its files' text."""

    def __init__(self, source, country: str, jurisdiction: str, language: str,
                 name: str | None, today: date):
        self.source = source
        self.country = country
        self.jurisdiction = jurisdiction
        self.language = language
        self.name = name
        self.today = today
        self.tr = translator(language)
        self.mark = placeholders.mark(language)
        self.ids = Ids()
        self.files: list[File] = []
        self.pictures: list = []
        self.picture_dir = slug(self.tr(_("pictures"))) or "pictures"
        self.file_name = source.path.name

    # the plan's own words, in its language
    def words(self) -> dict:
        return {"section": self.tr(_("section")),
                "intro_title": self.tr(_("Introduction")), "pictures": self.picture_dir,
                "picture": slug(self.tr(_("picture"))) or "picture"}

    def run(self, out: Path) -> ImportReport:
        tr = self.tr
        report = ImportReport(self.source.path, self.source.format, out, self.language,
                              self.country)
        owner_id = self.ids.take(tr(_("plan owner")), "owner")
        draft = build(self.source, self.ids, self.words())
        plan_id = slug(draft.meta_title or "") or slug(tr(_("emergency plan")))
        annexes = self._annexes(draft, owner_id, report)
        self._sections_done(draft)
        self._plan_file(draft, owner_id, plan_id, annexes, report)
        self._report_draft(draft, report)
        self.pictures = [(p.source, p.name) for p in draft.pictures]
        if report.logo:
            self.pictures.extend((p.source, p.name) for p in draft.title_pictures
                                 if p.name == report.logo.split("/")[-1])
        self._render(out, report)
        return report

    # -- annexes --------------------------------------------------------------------------

    def _annexes(self, draft: Draft, owner_id: str, report: ImportReport) -> list[dict]:
        tr = self.tr
        by_kind: dict[str, list[AnnexTable]] = {}
        for table in draft.tables:
            by_kind.setdefault(table.kind, []).append(table)
        used_letters: set[str] = set()
        planned: list[dict] = []
        for kind in KIND_ORDER:
            tables = by_kind.get(kind)
            if not tables:
                continue
            letter, title = self._letter_and_title(kind, tables, used_letters)
            used_letters.add(letter)
            planned.append({"kind": kind, "letter": letter, "title": title, "tables": tables})
        annexes = []
        for annex in sorted(planned, key=lambda a: a["letter"]):
            kind = annex["kind"]
            built_all = ax.Built([])
            for table in annex["tables"]:
                built = ax.build(table.shape, table.rows, self.ids, self.country,
                                 default_owner=owner_id, country=self.country)
                built_all.entries.extend(built.entries)
                built_all.bad_numbers.extend(built.bad_numbers)
                built_all.skipped_rows.extend(built.skipped_rows)
                built_all.unmapped.extend(u for u in built.unmapped
                                          if u not in built_all.unmapped)
                built_all.statutory.update(built.statutory)
                built_all.groups += built.groups
                for text, role in built.owners.items():
                    built_all.owners.setdefault(text, role)
            prefix = slug(tr(_("annex"))) or "annex"
            file_name = f"{prefix}-{annex['letter'].lower()}-{slug(tr(_FILE_WORDS[kind]), 30)}" \
                        ".yaml"
            annex.update(file=file_name, built=built_all)
            annexes.append(annex)
            for table in annex["tables"]:
                sentence = tr(_("The table is now annex {letter}, {title}.",
                                letter=annex["letter"], title=annex["title"]))
                self._replace_token(draft, table.token, sentence)
            report.annexes.append(AnnexInfo(annex["letter"], annex["title"], kind, file_name,
                                            len(built_all.entries),
                                            [t.section.title if t.section else ""
                                             for t in annex["tables"]]))
            report.bad_numbers.extend(built_all.bad_numbers)
            if kind == "contacts":
                report.people += len(built_all.entries)
            if built_all.unmapped:
                report.notes.append(_("annex {letter}: the columns {columns} have no place in "
                                      "the format; their values are kept as comments beside "
                                      "each entry", letter=annex["letter"],
                                      columns=[f"«{c}»" for c in built_all.unmapped]))
            if built_all.skipped_rows:
                report.left_out.append(_n_rows(annex["letter"], built_all.skipped_rows))
            if built_all.groups:
                report.notes.append(_("annex {letter}: rows with only a heading (such as a "
                                      "department) were used as the unit of the people below "
                                      "them", letter=annex["letter"]))
            for sub_plan, statutory in built_all.statutory.items():
                report.notes.append(_("sub-plan '{plan}' is marked statutory: {kind}, from its "
                                      "title; check it", plan=sub_plan, kind=statutory))
        return annexes

    def _default_title(self, kind: str) -> str:
        return self.tr({"contacts": _("Alert list"), "resources": _("Resources"),
                        "plan-register": _("Emergency plans"),
                        "partners": _("External partners")}[kind])

    def _letter_and_title(self, kind: str, tables: list[AnnexTable], used: set[str]):
        """The annex's letter and title: from a heading such as "A : Alarmeringsliste" or
        "Bilag B – Ressourcer", a bold line above the table, its caption, or its section."""
        from .structure import _ANNEX_WORD

        letter = title = None
        for table in tables:
            section = table.section
            if section is None:
                continue
            match = _ANNEX_WORD.match(section.title)
            number = (section.number or "").rstrip(".")
            if len(number) == 1 and number.isalpha():
                letter, title = number.upper(), section.title
            elif match:
                letter, title = match.group(2).upper(), match.group(3).strip() or None
            if letter:
                break
        if letter is None or letter in used:
            letter = ax.ordinal_letter(kind)
            if letter in used:
                letter = next(chr(c) for c in range(ord("A"), ord("Z") + 1)
                              if chr(c) not in used)
        candidates = [title]
        candidates += [t.lead for t in tables] + [t.caption for t in tables]
        candidates += [t.section.title for t in tables if t.alone and t.section]
        candidates += [t.shape.title_rows[0] for t in tables if t.shape.title_rows]
        title = next((c for c in candidates if c), None) or self._default_title(kind)
        return letter, " ".join(title.split())

    def _replace_token(self, draft: Draft, token: str, sentence: str) -> None:
        from .structure import _inlines_from_text

        for section in _sections(draft.sections):
            for i, block in enumerate(section.blocks):
                if block["t"] == "Para" and block["c"] == [{"t": "Str", "c": token}]:
                    section.blocks[i] = {"t": "Para", "c": _inlines_from_text(sentence)}

    # -- sections -------------------------------------------------------------------------

    def _sections_done(self, draft: Draft) -> None:
        """Every section's body as Markdown, from one run of pandoc."""
        self.numbered = any(s.number for s in _sections(draft.sections))
        bodies = [s.blocks for s in _sections(draft.sections)]
        texts = markdown(bodies) if bodies else []
        for section, text in zip(_sections(draft.sections), texts):
            section.markdown = text

    def _section_map(self, section: Section, report: ImportReport) -> Map:
        tr = self.tr
        node = Map().add("id", section.id)
        if section.number:
            node.add("number", section.number)
        elif self.numbered or section.intro:
            node.add("numbered", False)
        node.add("title", " ".join(section.title.split()))
        if section.covers:
            node.add("covers", IdList(section.covers), note=tr(_("from the heading; check")))
        text = section.markdown
        if text:
            node.add("body", Block(text))
        elif not section.children:
            node.add("body", prose(mark_text(self.language, _(
                "The heading had no text in {file}. Write the section's text, or remove the "
                "section.", file=self.file_name))),
                todo=_("section '{title}' has no text", title=section.title))
        if section.children:
            seq = Seq()
            for child in section.children:
                seq.add(self._section_map(child, report))
            node.add("sections", seq)
        return node

    # -- plan.yaml ------------------------------------------------------------------------

    def _plan_file(self, draft: Draft, owner_id: str, plan_id: str, annexes: list[dict],
                   report: ImportReport) -> None:
        tr, mark = self.tr, self.mark
        facts = draft.facts
        title = draft.meta_title or mark_text(self.language, _("the plan's title"))
        report.title = draft.meta_title or ""
        report.subtitle = draft.meta_subtitle
        if self.name:
            municipality, source = self.name, "option"
        else:
            municipality, source = draft.municipality, draft.municipality_source
        report.municipality, report.municipality_source = municipality, source
        report.case_number = facts.case_number
        root = Map()
        root.add("beredskap", 1).add("kind", "plan").add("id", plan_id)
        root.add("title", title, todo=None if draft.meta_title else _("the plan's title"))
        if draft.meta_subtitle:
            root.add("subtitle", draft.meta_subtitle)
        organization = Map()
        if municipality:
            note = tr(_("found in the document; check")) if source == "document" else None
            organization.add("name", municipality, note=note)
        else:
            organization.add("name", mark_text(self.language, _("the municipality's name")),
                             todo=_("the municipality's name"))
        organization.add("country", self.country)
        logo = self._logo(draft, report)
        if logo:
            organization.add("logo", logo, note=tr(_("the picture on the title page; check "
                                                   "that it is the municipality's logo")))
        root.add("organization", organization)
        root.add("language", self.language)
        root.add("owner", owner_id, note=tr(_("the role that keeps the plan current; see "
                                              "roles below")))
        if facts.case_number:
            root.add("case_number", facts.case_number)
        root.add("jurisdiction", self.jurisdiction)
        approvals = Seq()
        for approval in facts.approvals:
            entry = Map().add("date", approval.date).add("by", approval.by)
            if approval.case:
                entry.add("case", approval.case)
            approvals.add(entry)
            report.approvals.append((approval.date, approval.by, approval.case))
        root.add("approvals", approvals, comments=[
            tr(_("From the title page of {file}. An approval taken from a document has no "
                 "digest: the plan counts as approved but unverified until the council "
                 "approves it again and it is recorded with `beredskap approve`.",
                 file=self.file_name))] if facts.approvals else [
            tr(_("No approval was found on the title page of {file}. Record the council's "
                 "approval with `beredskap approve`.", file=self.file_name))])
        submissions = Seq()
        for day, to in facts.submissions:
            submissions.add(Map().add("date", day).add("to", to))
            report.submissions.append((day, to))
        if facts.submissions:
            root.add("submissions", submissions)
        revisions = Seq()
        for day in facts.revisions:
            revisions.add(Map().add("date", day).add("summary", tr(_(
                "Last revision before the plan was imported (from {file})",
                file=self.file_name))))
            report.revisions.append(day)
        root.add("revisions", revisions)

        roles = Seq()
        contacts = next((a for a in annexes if a["kind"] == "contacts"), None)
        duties = _("Describe the role's duties. Under holders, list who holds the role and at "
                   "least one deputy: people from the alert list (annex {letter}).",
                   letter=contacts["letter"]) if contacts else \
            _("Describe the role's duties. Under holders, list who holds the role and at "
              "least one deputy, from the alert list.")
        roles.add(Map()
                  .add("id", owner_id)
                  .add("title", mark_text(self.language, _("the role that keeps the plan "
                                                           "current (for example the "
                                                           "emergency coordinator)")),
                       todo=_("the title of the role that keeps the plan current"))
                  .add("holders", IdList([]),
                       todo=_("who holds the role '{role}', and the deputies", role=owner_id))
                  .add("duties", prose(mark_text(self.language, duties))))
        register = next((a for a in annexes if a["kind"] == "plan-register"), None)
        for text, role_id in (register["built"].owners.items() if register else []):
            roles.add(Map()
                      .add("id", role_id)
                      .add("title", text, note=tr(_("as named in the register of plans")))
                      .add("holders", IdList([]),
                           todo=_("who holds the role '{role}', and the deputies",
                                  role=role_id))
                      .add("duties", prose(mark_text(self.language, _(
                          "Describe the role's duties, and list its holders: first the person "
                          "who holds it, then at least one deputy.")))))
        root.add("roles", roles, comments=[tr(_(
            "The roles in the emergency organisation. A document does not say who holds them "
            "in the way the plan needs it: give each role its title and list its holders "
            "(person ids from the alert list), first the one who holds the role, then the "
            "deputies. Add the plan's other roles, levels, staff and activation (see "
            "`beredskap init` for an example)."))])

        if self.numbered:
            root.add("numbering", "as-adopted", comments=[tr(_(
                "Section numbers are printed as they stood in {file}, gaps and repeats "
                "included.", file=self.file_name))])
            report.numbering = "as-adopted"
        else:
            root.add("numbering", "none", comments=[tr(_(
                "The headings of {file} had no numbers; `auto` numbers the sections 1, 1.1, "
                "....", file=self.file_name))])
        sections = Seq()
        for section in draft.sections:
            sections.add(self._section_map(section, report))
        if not draft.sections:
            sections.add(Map().add("id", slug(tr(_("section"))) or "section")
                         .add("title", mark_text(self.language, _("the section's title")))
                         .add("body", mark_text(self.language, _(
                             "{file} had no headings. Write the plan's text here, in sections.",
                             file=self.file_name)), todo=_("the plan has no sections")))
        root.add("sections", sections, comments=[tr(_(
            "The plan's text: one section for each heading of {file}. `covers` says which "
            "required topics a section covers; it was guessed from the heading.",
            file=self.file_name))])
        if annexes:
            annex_list = Seq()
            for annex in annexes:
                annex_list.add(Map().add("letter", annex["letter"]).add("title", annex["title"])
                               .add("file", annex["file"]))
            root.add("annexes", annex_list)
        header = [tr(_("{title}, imported from {file} with `beredskap import`.",
                       title=draft.meta_title or self.file_name, file=self.file_name)), "",
                  tr(_("Text marked {mark} is for you to fill in: `beredskap validate` lists "
                       "each place with its line. Then check the plan against the document "
                       "with `beredskap render --draft`.", mark=mark))]
        self.files.insert(0, File("plan.yaml", "plan", root, header))
        for annex in annexes:
            self.files.append(self._annex_file(annex, draft))

    def _logo(self, draft: Draft, report: ImportReport) -> str | None:
        from .structure import picture_name

        usable = [p for p in draft.title_pictures
                  if p.source.suffix.lower() in (".png", ".svg")]
        for picture in draft.title_pictures:
            path = picture.source
            if self.source.media is not None and not path.is_absolute():
                path = self.source.media / path
            picture.source = path
        if len(draft.title_pictures) != 1 or not usable:
            if draft.title_pictures:
                report.left_out.append(_n_pictures(len(draft.title_pictures)))
            return None
        picture = usable[0]
        inside = self.source.media is not None and picture.source.is_file() and \
            self.source.media.resolve() in picture.source.resolve().parents
        if not inside:
            report.left_out.append(_n_pictures(1))
            return None
        picture.name = picture_name(slug(self.tr(_("logo"))) or "logo", picture.source.suffix, 1)
        report.logo = f"{self.picture_dir}/{picture.name}"
        return report.logo

    def _annex_file(self, annex: dict, draft: Draft) -> File:
        tr = self.tr
        kind = annex["kind"]
        built = annex["built"]
        root = Map().add("beredskap", 1).add("kind", kind).add("title", annex["title"])
        where = [t.section.title for t in annex["tables"] if t.section]
        header = [tr(_("Annex {letter}: {title}. Imported from {file} with `beredskap import`.",
                       letter=annex["letter"], title=annex["title"], file=self.file_name))]
        if where:
            header.append(tr(_("The table stood in the section «{section}».",
                               section=where[0])))
        bad = {b.number for b in built.bad_numbers if b.reason == "invalid"}
        if kind == "contacts":
            day = draft.facts.latest_date() or self.source.extras.date
            comment = tr(_("The date of {file}: check each person's numbers with the person, "
                           "then give the entry the date you did (verified: on the entry).",
                           file=self.file_name)) if day else tr(_(
                "{file} gives no date: this is the date of the import. Check each person's "
                "numbers with the person, then give the entry the date you did (verified: on "
                "the entry).", file=self.file_name))
            root.add("verified", day or self.today, comments=[comment],
                     todo=_("check every entry of the alert list with the person"))
        entries = Seq()
        for entry in built.entries:
            entries.add(entry_map(entry, kind, tr, bad))
        root.add(_LIST_KEY[kind], entries)
        return File(annex["file"], kind, root, header)

    # -- report ---------------------------------------------------------------------------

    def _report_draft(self, draft: Draft, report: ImportReport) -> None:
        numbers: dict[str, int] = {}
        for section, depth in _with_depth(draft.sections):
            report.outline.append((depth, section.number, section.title, section.id))
            if section.number:
                numbers[section.number] = numbers.get(section.number, 0) + 1
            if section.covers:
                report.covers.append((section.title, section.covers))
            if section.number_dropped:
                report.notes.append(_("Word shows «{shown}» in front of «{title}»; the number "
                                      "kept is {number}", shown=section.number_dropped,
                                      title=section.title, number=section.number))
        report.repeated_numbers = [(n, c) for n, c in numbers.items() if c > 1]
        report.missing_numbers = _gaps(draft.sections)
        report.numbers_typed = draft.numbers_typed
        report.numbers_from_styles = draft.numbers_from_styles
        report.kept_tables = draft.kept_tables
        report.pictures = [(f"{self.picture_dir}/{p.name}", p.section) for p in draft.pictures]
        extras = self.source.extras
        facts = draft.facts
        toc = draft.toc_entries + extras.toc_entries
        if toc:
            report.left_out.append(_n("the table of contents ({n} line): render makes its own",
                                      "the table of contents ({n} lines): render makes its own",
                                      toc))
        for section in draft.empty_tables:
            report.left_out.append(_("an empty table in «{section}»", section=section))
        if draft.bold_headings:
            report.notes.append(_n("the document uses no heading styles: {n} bold line with a "
                                   "number in front was taken as a heading",
                                   "the document uses no heading styles: {n} bold lines with a "
                                   "number in front were taken as headings",
                                   draft.bold_headings))
        if draft.title_from_heading:
            report.notes.append(_("the one heading above all the others, «{title}», was taken "
                                  "as the plan's title", title=draft.meta_title))
        for line in facts.unused:
            report.left_out.append(_("title page: «{text}» (no plan fact found in it)",
                                     text=line))
        for author, text in extras.comments:
            report.left_out.append(_("a comment by {author}: «{text}»", author=author or "?",
                                     text=text))
        changes = extras.insertions + extras.deletions
        if changes:
            report.left_out.append(_n(
                "{n} tracked change ({insertions} inserted, {deletions} deleted): taken as "
                "accepted, inserted text kept and deleted text left out; check the text",
                "{n} tracked changes ({insertions} inserted, {deletions} deleted): taken as "
                "accepted, inserted text kept and deleted text left out; check the text",
                changes, insertions=str(extras.insertions), deletions=str(extras.deletions)))
        if extras.format_changes:
            report.left_out.append(_n("{n} tracked change of formatting: formatting is not "
                                      "carried over",
                                      "{n} tracked changes of formatting: formatting is not "
                                      "carried over", extras.format_changes))
        for text in extras.text_boxes:
            report.left_out.append(_("a text box: its text «{text}» is kept as an ordinary "
                                     "paragraph where the box was anchored; check its place",
                                     text=_short(text)))
        for kind, count in extras.fields.items():
            report.left_out.append(_n("{n} field of the kind {kind}: kept as the text it last "
                                      "showed; it no longer updates",
                                      "{n} fields of the kind {kind}: kept as the text they "
                                      "last showed; they no longer update", count, kind=kind))
        for text in extras.header_footer_text:
            report.left_out.append(_("page header or footer: «{text}»: render writes its own",
                                     text=_short(text)))
        if extras.embedded_objects:
            report.left_out.append(_n("{n} embedded object (such as a spreadsheet): left out; "
                                      "copy its content into the plan if it is needed",
                                      "{n} embedded objects (such as spreadsheets): left out; "
                                      "copy their content into the plan if it is needed",
                                      extras.embedded_objects))
        if extras.charts:
            report.left_out.append(_n("{n} chart: left out", "{n} charts: left out",
                                      extras.charts))
        if draft.raw_dropped:
            report.left_out.append(_n("{n} piece of raw HTML or TeX: left out",
                                      "{n} pieces of raw HTML or TeX: left out",
                                      draft.raw_dropped))
        for target in draft.links_unwrapped:
            report.left_out.append(_("a link to «{target}»: only its text is kept (links go to "
                                     "web, e-mail and phone addresses, or to sections)",
                                     target=_short(target)))
        for target in draft.missing_pictures:
            report.left_out.append(_("a picture «{target}» that is not in the document or its "
                                     "folder: only its description is kept",
                                     target=_short(target)))
        if draft.notes_in_headings:
            report.left_out.append(_n("{n} footnote in a heading: left out",
                                      "{n} footnotes in headings: left out",
                                      draft.notes_in_headings))
        for picture in draft.pictures:
            if picture.name.rsplit(".", 1)[-1] in ("emf", "wmf"):
                report.notes.append(_("the picture {name} is in a Windows format (EMF/WMF) that "
                                      "the rendered documents may not show; save it as PNG",
                                      name=picture.name))

    def _render(self, out: Path, report: ImportReport) -> None:
        from ..scaffold import default_schemas_dir, modeline_target
        from ..yamlread import parse_text

        schemas = default_schemas_dir(out)
        self.schemas = schemas
        for file in self.files:
            render_file(file, modeline_target(out / file.path, schemas, file.kind))
            parsed = parse_text(file.text)
            expected = plain_data(file.root)
            if parsed.problems or parsed.data != expected:
                raise ImporterError(_("could not write {file}: the text would not read back as "
                                      "written. This is a bug in beredskap import; please "
                                      "report it with the document", file=file.path))
            for line, todo in file.todos:
                report.todos.append((file.path, line, todo))
            report.files.append(file.path)
        for _source, name in self.pictures:
            report.files.append(f"{self.picture_dir}/{name}")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _n_rows(letter: str, rows: list[int]) -> Message:
    from ..i18n import _n

    return _n("annex {letter}: table row {rows} had no name and was left out",
              "annex {letter}: table rows {rows} had no name and were left out", len(rows),
              letter=letter, rows=[str(r) for r in rows])


def _n_pictures(n: int) -> Message:
    from ..i18n import _n

    return _n("{n} picture on the title page: left out",
              "{n} pictures on the title page: left out", n)


def _sections(sections: list[Section]):
    for section in sections:
        yield from section.walk()


def _with_depth(sections: list[Section], depth: int = 0):
    for section in sections:
        yield section, depth
        yield from _with_depth(section.children, depth + 1)


def _gaps(sections: list[Section]) -> list[str]:
    """Numbers a run of sibling sections skips: 1.1, 1.3 -> 1.2."""
    missing: list[str] = []
    numbered = [s.number for s in sections if s.number]
    for before, after in zip(numbered, numbered[1:]):
        a, b = before.rstrip(".").split("."), after.rstrip(".").split(".")
        if len(a) != len(b):
            continue
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) != 1 or not (a[diff[0]].isdigit() and b[diff[0]].isdigit()):
            continue
        i = diff[0]
        if any(x != "0" for x in a[i + 1:]):
            continue
        for value in range(int(a[i]) + 1, min(int(b[i]), int(a[i]) + 10)):
            parts = list(a)
            parts[i] = str(value)
            missing.append(".".join(parts) + ("." if before.endswith(".") else ""))
    for section in sections:
        missing.extend(_gaps(section.children))
    return missing


def _write(out: Path, assembly: Assembly) -> None:
    """Every file into a new folder beside `out`, then moved into place."""
    from ..scaffold import write_schemas

    parent = Path(os.path.abspath(out)).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=parent))
    except OSError as err:
        raise ImporterError(_("could not write {folder}: {reason}", folder=str(out),
                              reason=os_reason(err))) from None
    moved: list[Path] = []
    created = not out.exists()
    try:
        for file in assembly.files:
            target = work / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(file.text)
        if assembly.pictures:
            (work / assembly.picture_dir).mkdir()
            for source, name in assembly.pictures:
                shutil.copyfile(source, work / assembly.picture_dir / name)
        out.mkdir(exist_ok=True)
        _usable_out(out)
        for entry in sorted(work.iterdir()):
            destination = out / entry.name
            os.replace(entry, destination)
            moved.append(destination)
        schemas = assembly.schemas
        write_schemas(Path(schemas), overwrite=False)
    except (OSError, ImporterError) as err:
        for path in moved:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        if created and out.exists() and not any(out.iterdir()):
            out.rmdir()
        if isinstance(err, ImporterError):
            raise
        raise ImporterError(_("could not write {folder}: {reason}", folder=str(out),
                              reason=os_reason(err))) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
