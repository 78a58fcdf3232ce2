"""`beredskap import`: Word, OpenDocument and Markdown plans into plan folders.

The documents are made the way municipalities make theirs (tests/importdocs.py,
tests/worddocs.py); the stored ODT and LibreOffice files were made as
tests/fixtures/import/make_fixtures.py says.
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskapsplan.importer import annexes as ax
from beredskapsplan.importer import facts
from beredskapsplan.importer.names import Ids, slug
from beredskapsplan.importer.structure import split_number
from beredskapsplan.importer.yamltext import Block, Map, Seq, Writer, plain_data
from beredskapsplan.yamlread import parse_text
from conftest import FIXTURES, TODAY, run, tree_checksum
from importdocs import (BOKMAL_TABLES, DANISH_ALERT_LIST, DANISH_HEADINGS, NYNORSK_ALERT_LIST,
                        NYNORSK_HEADINGS, danish_plan, nynorsk_plan)
from worddocs import Plan, png

IMPORT = FIXTURES / "import"
LOCAL_ERRORS = {"role-without-deputy", "invalid-phone", "required-content"}


def load(path: Path):
    parsed = parse_text(Path(path).read_text("utf-8"))
    assert not parsed.problems, parsed.problems
    return parsed.data


def do_import(source: Path, out: Path, country: str, *extra: str):
    return run("import", str(source), "--country", country, "--out", str(out),
               "--today", TODAY, *extra)


def validate(folder: Path) -> list[dict]:
    return run("validate", str(folder), "--today", TODAY, "--format", "json").findings


def sections(plan: dict):
    """(depth, number, title) of every section, in order."""
    def walk(items, depth):
        for s in items:
            yield depth, s.get("number"), s["title"], s
            yield from walk(s.get("sections", []), depth + 1)
    return list(walk(plan["sections"], 0))


@pytest.fixture(scope="module")
def danish(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dk")
    source = danish_plan(folder / "vallensbaek.docx")
    result = do_import(source, folder / "plan", "dk", "--report", str(folder / "report.md"))
    assert result.exit_code == 0, result.stderr
    return folder / "plan", result, folder


@pytest.fixture(scope="module")
def nynorsk(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nn")
    source = nynorsk_plan(folder / "fjordvik.docx")
    result = do_import(source, folder / "plan", "no")
    assert result.exit_code == 0, result.stderr
    return folder / "plan", result


# -- sections -----------------------------------------------------------------------------

def test_every_heading_is_a_section_with_its_typed_number_and_title(danish):
    plan_dir, _result, _ = danish
    plan = load(plan_dir / "plan.yaml")
    assert plan["numbering"] == "as-adopted"
    got = [(depth + 1, number, title) for depth, number, title, _s in sections(plan)]
    expected = []
    for level, text in DANISH_HEADINGS:
        number, title = split_number(text)
        expected.append((level, number, title))
    assert got == expected
    # the gap (no 1.2) and the repeated 4.3 are kept; the foreword is unnumbered
    numbers = [n for _d, n, _t in got]
    assert "1.2" not in numbers and numbers.count("4.3") == 2
    forord = plan["sections"][0]
    assert forord["title"] == "Forord" and forord["numbered"] is False and "number" not in forord


def test_section_ids_are_readable_ascii_slugs_unique_in_the_plan(danish):
    plan_dir, _r, _ = danish
    plan = load(plan_dir / "plan.yaml")
    ids = [s["id"] for _d, _n, _t, s in sections(plan)]
    assert ids[:3] == ["forord", "formaal-med-beredskabsplanen", "planens-praemisser"]
    assert len(set(ids)) == len(ids)
    people = load(plan_dir / "bilag-a-alarmeringsliste.yaml")["people"]
    every = ids + [p["id"] for p in people] + [r["id"] for r in plan["roles"]]
    assert len(set(every)) == len(every)
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", i) for i in every)


def test_slugs_spell_danish_and_norwegian_letters():
    assert slug("Øvelser, evaluering og ajourføring") == "oevelser-evaluering-og-ajourfoering"
    assert slug("Håndtering af informationer") == "haandtering-af-informationer"
    assert slug("Kriseleiinga sitt arbeid – éin gong") == "kriseleiinga-sitt-arbeid-ein-gong"
    ids = Ids()
    assert [ids.take("Godkendelse", "x"), ids.take("Godkendelse", "x")] == \
        ["godkendelse", "godkendelse-2"]


@pytest.mark.parametrize("heading, number, title", [
    ("1.0 Formål med beredskabsplanen", "1.0", "Formål med beredskabsplanen"),
    ("4.3 Koordinering", "4.3", "Koordinering"),
    ("2. Aktivering", "2.", "Aktivering"),
    ("A : Alarmeringsliste", "A", "Alarmeringsliste"),
    ("B. Ressourcer", "B.", "Ressourcer"),
    ("Forord", None, "Forord"),
    ("I tilfælde af brand", None, "I tilfælde af brand"),
    ("2025 i tal", None, "2025 i tal"),
    ("112-alarmering", None, "112-alarmering"),
])
def test_typed_heading_numbers(heading, number, title):
    assert split_number(heading) == (number, title)


def test_bodies_keep_bold_lead_ins_lists_quotes_links_and_tables(danish):
    plan_dir, _r, _ = danish
    plan = load(plan_dir / "plan.yaml")
    by_title = {t: s for _d, _n, t, s in sections(plan)}
    premisser = by_title["Planens præmisser"]["body"]
    assert "- **Sektoransvarsprincippet:** Den enhed" in premisser
    niveauer = by_title["Beredskabsniveauer"]["body"]
    # the levels table is not an annex: it stays, as a Markdown table
    assert "| Niveau | Hvem beslutter" in niveauer and "| 2      | Borgmester og direktion" \
        in niveauer
    assert "> Formålet med sundhedsberedskabet" in niveauer
    assert "1.  Dagsorden bliver udarbejdet" in by_title[
        "Arbejdsgange i den operationelle krisestyringsstab"]["body"]
    kommunikation = by_title["Ekstern krisekommunikation"]["body"]
    assert "[kommunens\nhjemmeside](https://www.vallensbaek.dk/)" in kommunikation or \
        "[kommunens hjemmeside](https://www.vallensbaek.dk/)" in kommunikation
    assert "*mere dynamisk*" in by_title["Forord"]["body"]
    # the tracked insertion is kept, the deletion is not
    formaal = by_title["Formål med beredskabsplanen"]["body"]
    assert "som ledelse og medarbejdere kan bruge" in formaal and "opslagsværk" not in formaal


def test_pictures_are_extracted_into_the_plan_folder_and_linked(danish):
    plan_dir, result, _ = danish
    plan = load(plan_dir / "plan.yaml")
    body = {t: s for _d, _n, t, s in sections(plan)}["Ekstern krisekommunikation"]["body"]
    link = re.search(r"!\[[^\]]*\]\(([^)]+)\)", body).group(1)
    assert link == "billeder/billede-1.png"
    assert (plan_dir / link).read_bytes() == png(6, 4, (20, 120, 60))
    assert "billeder/billede-1.png" in result.stdout


# -- annexes ------------------------------------------------------------------------------

def test_alert_list_is_a_contacts_annex_with_every_person_and_number(danish):
    plan_dir, result, _ = danish
    plan = load(plan_dir / "plan.yaml")
    annexes = {a["letter"]: a for a in plan["annexes"]}
    assert annexes["A"]["file"] == "bilag-a-alarmeringsliste.yaml"
    assert annexes["A"]["title"] == "Alarmeringsliste - Liste over kommunens nøglepersoner"
    contacts = load(plan_dir / annexes["A"]["file"])
    assert contacts["kind"] == "contacts"
    people = contacts["people"]
    assert [p["name"] for p in people] == [row[1] for row in DANISH_ALERT_LIST[1:]]
    assert [p["position"] for p in people] == [row[0] for row in DANISH_ALERT_LIST[1:]]
    borgmester = people[0]
    assert borgmester["phones"] == [
        {"number": "+45 20 30 40 50", "label": "mobil"},
        {"number": "43 97 40 01", "label": "arbejde"},
        {"number": "36 45 12 34", "label": "privat", "private": True}]
    assert borgmester["email"] == "borgmester@vallensbaek.example"
    # two numbers in one cell are two numbers
    assert [p["number"] for p in people[4]["phones"]] == ["51 52 53 54", "43 97 40 10"]
    # every number of the document is in the annex, as written
    written = [n.strip() for row in DANISH_ALERT_LIST[1:] for cell in row[2:5]
               for n in cell.split("/") if n.strip()]
    assert [ph["number"] for p in people for ph in p["phones"]] == written
    # the one number that is not valid is reported, and validate agrees
    assert "2345 678" in result.stdout
    bad = [f for f in validate(plan_dir) if f["rule"] == "invalid-phone"]
    assert len(bad) == 1 and "2345 678" in bad[0]["message"]


def test_every_annex_kind_from_danish_column_names(danish):
    plan_dir, _r, _ = danish
    plan = load(plan_dir / "plan.yaml")
    files = {a["letter"]: load(plan_dir / a["file"]) for a in plan["annexes"]}
    assert [files[k]["kind"] for k in "ABCD"] == ["contacts", "resources", "plan-register",
                                                   "partners"]
    resources = files["B"]["resources"]
    assert resources[0] == {"id": "noedstroemsanlaeg", "name": "Nødstrømsanlæg", "quantity": 1,
                            "location": "Rådhuset, kælderen",
                            "requisition": "Driftsvagten, 43 97 40 99",
                            "availability": "Døgnet rundt"}
    plans = files["C"]["plans"]
    assert plans[0]["title"] == "Sundhedsberedskabsplan" and plans[0]["statutory"] == "health"
    assert plans[0]["last_revised"] == "2024-06-12" and plans[1]["last_revised"] == "2025-03-01"
    roles = {r["id"]: r for r in plan["roles"]}
    assert roles[plans[0]["owner"]]["title"] == "Center for Sundhed og Pleje"
    partners = files["D"]["partners"]
    assert partners[0]["name"] == "Beredskab 4K"
    assert partners[0]["contacts"] == [{"name": "Vagthavende indsatsleder",
                                        "phones": [{"number": "43 97 40 40",
                                                    "label": "telefon"}],
                                        "email": "vagt@4k.example"}]
    assert partners[0]["agreement"] == {"title": "Samarbejdsaftale om Beredskab 4K"}
    # the annex table is out of the section, and the section says where it went
    body = {t: s for _d, _n, t, s in sections(plan)}[
        "Alarmeringsliste - Liste over kommunens nøglepersoner"]["body"]
    assert "Tabellen står nu i bilag A" in body and "Henrik" not in body


def test_every_annex_kind_from_nynorsk_column_names(nynorsk):
    plan_dir, result = nynorsk
    plan = load(plan_dir / "plan.yaml")
    assert plan["language"] == "nn" and plan["organization"] == {"name": "Fjordvik kommune",
                                                                 "country": "NO"}
    files = {a["letter"]: (a, load(plan_dir / a["file"])) for a in plan["annexes"]}
    assert {k: (a["title"], f["kind"]) for k, (a, f) in files.items()} == {
        "A": ("Varslingsliste", "contacts"), "B": ("Ressursar", "resources"),
        "C": ("Planverk", "plan-register"), "D": ("Samarbeidspartnarar", "partners")}
    people = files["A"][1]["people"]
    assert [(p["name"], p["position"], p["unit"]) for p in people] == \
        [(r[0], r[1], r[2]) for r in NYNORSK_ALERT_LIST[1:]]
    assert files["A"][0]["file"] == "vedlegg-a-varslingsliste.yaml"
    assert files["B"][1]["resources"][0]["quantity"] == 2
    register = files["C"][1]["plans"]
    assert [p.get("statutory") for p in register] == ["health", "drinking-water"]
    assert files["D"][1]["partners"][0]["agreement"] == {"title": "Avtale om krisestøtte"}
    assert "412 34 56" in result.stdout  # seven digits: not a Norwegian number


def test_every_annex_kind_from_bokmal_column_names_and_a_table_that_is_not_one(tmp_path):
    source = tmp_path / "eksempelvik.md"
    source.write_text(BOKMAL_TABLES, "utf-8")
    result = do_import(source, tmp_path / "plan", "no")
    assert result.exit_code == 0, result.stderr
    plan = load(tmp_path / "plan" / "plan.yaml")
    assert plan["language"] == "nb" and plan["case_number"] == "24/1234"
    assert plan["title"] == "Overordnet beredskapsplan for Eksempelvik kommune"
    kinds = {a["letter"]: load(tmp_path / "plan" / a["file"]) for a in plan["annexes"]}
    assert [kinds[k]["kind"] for k in "ABCD"] == ["contacts", "resources", "plan-register",
                                                   "partners"]
    assert kinds["A"]["people"][1]["phones"] == [{"number": "+47 900 12 345",
                                                  "label": "mobil"}]
    assert kinds["C"]["plans"][0]["approved_by"] == "Kommunestyret"
    assert kinds["D"]["partners"][0]["agreement"] == {"title": "Samarbeidsavtale",
                                                      "expires": "2026-12-31"}
    varsling = [s for _d, _n, t, s in sections(plan) if t == "Befolkningsvarsling"][0]
    assert "| Kanal    | Når           |" in varsling["body"]
    assert "a table of 3 rows in «Befolkningsvarsling» is kept as a table" in result.stdout


@pytest.mark.parametrize("headers, kind", [
    (["Navn", "Funktion", "Mobil"], "contacts"),
    (["Namn", "Funksjon", "Telefon", "E-post"], "contacts"),
    (["Navn", "Stilling", "Tlf. privat"], "contacts"),
    (["Ressource", "Antal", "Placering"], "resources"),
    (["Ressurs", "Antall", "Plassering"], "resources"),
    (["Ressurs", "Tal", "Stad"], "resources"),
    (["Delberedskabsplan", "Ansvarlig", "Revideret"], "plan-register"),
    (["Plan", "Eier", "Godkjent av"], "plan-register"),
    (["Plan", "Ansvarleg", "Sist revidert"], "plan-register"),
    (["Samarbejdspartner", "Telefon", "Aftale"], "partners"),
    (["Samarbeidspartner", "Kontaktperson", "Telefon"], "partners"),
    (["Samarbeidspartnar", "E-post", "Avtale"], "partners"),
    (["Niveau", "Beskrivelse"], None),
    (["Tidspunkt", "Handling", "Ansvarlig"], None),
])
def test_annex_tables_are_known_by_their_column_names(headers, kind):
    shape = ax.recognise([headers], [["x"] * len(headers)])
    assert (shape.kind if shape else None) == kind


# -- plan facts ---------------------------------------------------------------------------

def test_plan_facts_come_from_the_title_page(danish):
    plan_dir, _r, _ = danish
    plan = load(plan_dir / "plan.yaml")
    assert plan["title"] == "Hovedberedskabsplan"
    assert plan["subtitle"] == "For beredskabsniveau 2: kriser og varsling om kriser"
    assert plan["organization"] == {"name": "Vallensbæk Kommune", "country": "DK"}
    assert plan["case_number"] == "23/5847"
    # an approval from a document has no digest: approved, but unverified
    assert plan["approvals"] == [{"date": "2025-10-08", "by": "Kommunalbestyrelsen",
                                  "case": "23/5847"}]
    assert plan["submissions"] == [{"date": "2025-10-10", "to": "Beredskabsstyrelsen"}]
    assert [r["date"] for r in plan["revisions"]] == ["2025-10-10"]
    status = [f for f in validate(plan_dir) if f["rule"] == "approval-status"]
    assert [f["severity"] for f in status] == ["info"] and "unverified" in status[0]["message"]


@pytest.mark.parametrize("line, expected", [
    ("Beredskabsplanen er godkendt af Kommunalbestyrelsen den 8. oktober 2025",
     ("approval", "2025-10-08", "Kommunalbestyrelsen")),
    ("Vedtatt i kommunestyret 12.06.2024, sak 45/24", ("approval", "2024-06-12", "Kommunestyret")),
    ("Planen vart vedteken i kommunestyret 3. mars 2025", ("approval", "2025-03-03",
                                                           "Kommunestyret")),
    ("Godkendt i Byrådet 2025-01-30", ("approval", "2025-01-30", "Byrådet")),
    ("Indsendt til Beredskabsstyrelsen 10. oktober 2025.", ("submission", "2025-10-10",
                                                            "Beredskabsstyrelsen")),
    ("Seneste revision den 10. oktober 2025", ("revision", "2025-10-10", None)),
    ("Sist revidert: 1. des. 2024", ("revision", "2024-12-01", None)),
])
def test_title_page_lines_give_facts(line, expected):
    found = facts.Facts()
    assert facts.read_line(line, found)
    kind, day, who = expected
    if kind == "approval":
        assert [(a.date.isoformat(), a.by) for a in found.approvals] == [(day, who)]
    elif kind == "submission":
        assert [(d.isoformat(), to) for d, to in found.submissions] == [(day, who)]
    else:
        assert [d.isoformat() for d in found.revisions] == [day]


def test_case_numbers_are_read_as_written():
    for line, case in (("Sagsnummer: 23/5847", "23/5847"), ("Saksnr. 2024/112", "2024/112"),
                       ("Arkivsak 24/01234", "24/01234")):
        found = facts.Facts()
        facts.read_line(line, found)
        assert found.case_number == case


# -- what a person must supply ------------------------------------------------------------

def test_validate_reports_only_what_a_person_must_fill_in(danish, nynorsk):
    for plan_dir in (danish[0], nynorsk[0]):
        found = validate(plan_dir)
        rules = {f["rule"] for f in found}
        assert not rules & {"yaml-syntax", "schema", "duplicate-key", "duplicate-id",
                            "unknown-ref", "wrong-ref-kind", "missing-file", "unsafe-path"}
        errors = {f["rule"] for f in found if f["severity"] == "error"}
        assert errors <= LOCAL_ERRORS, errors
        owner = load(plan_dir / "plan.yaml")["owner"]
        assert any(f["rule"] == "role-without-deputy" and owner in f["message"] for f in found)
    nn_required = [f for f in validate(nynorsk[0]) if f["rule"] == "required-content"]
    # the nynorsk plan has no section on its risk analysis: a person must add one
    assert [f["message"].split("'")[1] for f in nn_required] == ["risk-analysis"]


def test_what_only_a_person_knows_holds_the_fill_in_mark(danish, nynorsk):
    for plan_dir, mark in ((danish[0], "«UDFYLD»"), (nynorsk[0], "«FYLL INN»")):
        plan = load(plan_dir / "plan.yaml")
        owner = next(r for r in plan["roles"] if r["id"] == plan["owner"])
        assert owner["title"].startswith(mark) and owner["duties"].startswith(mark)
        assert owner["holders"] == []
    todos = list(_todos(danish[1].stdout))
    assert {path for path, _l, _w in todos} == {"plan.yaml", "bilag-a-alarmeringsliste.yaml"}
    for path, line, what in todos:
        text = (danish[0] / path).read_text("utf-8").split("\n")[line - 1]
        if path == "plan.yaml":
            # the line of each to-do is the line to change
            assert "«UDFYLD»" in text or "holders: []" in text, (line, what)
        else:
            assert text.lstrip().startswith(("verified:", "- number:")), (line, what)


def _todos(stdout: str):
    for match in re.finditer(r"^\s+\S*/plan/([\w./-]+):(\d+): (.+)$", stdout, re.M):
        yield match.group(1), int(match.group(2)), match.group(3)


def test_the_report_lists_what_was_recognised_and_left_out(danish):
    _plan, result, folder = danish
    out = result.stdout
    assert "14 sections from the headings" in out
    assert "the number 4.3 stands 2 times" in out and "1.2" in out
    for line in ("A Alarmeringsliste - Liste over kommunens nøglepersoner: alert list, 5 entries",
                 "B Liste over kommunens taktiske resurser: resources, 2 entries",
                 "5 people in the alert list"):
        assert line in out
    left = out.split("Left out, and why")[1].split("To fill in")[0]
    assert "the table of contents (" in left
    assert "a comment by Kirsten: «Skal forordet med i den nye plan?»" in left
    assert "2 tracked changes (1 inserted, 1 deleted)" in left
    assert "a text box" in left and "Husk: ring altid til vagthavende først" in left
    assert "DATE" in left and "page header" in left
    report = (folder / "report.md").read_text("utf-8")
    assert report.startswith("# Import of vallensbaek.docx")
    assert "## Left out, and why" in report and "Skal forordet med i den nye plan?" in report


def test_the_report_speaks_the_users_language(tmp_path):
    source = danish_plan(tmp_path / "plan.docx")
    result = run("--lang", "da", "import", str(source), "--country", "dk", "--out",
                 str(tmp_path / "p"), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert "Udeladt, og hvorfor" in result.stdout
    assert "Left out" not in result.stdout


# -- refusing, determinism ------------------------------------------------------------------

def test_import_never_overwrites(tmp_path):
    source = tmp_path / "p.md"
    source.write_text("# Beredskabsplan\n\n## 1 Formål\n\nTekst.\n", "utf-8")
    out = tmp_path / "plan"
    out.mkdir()
    (out / "plan.yaml").write_text("keep me\n", "utf-8")
    before = tree_checksum(tmp_path)
    result = do_import(source, out, "dk")
    assert result.exit_code == 2 and "not empty" in result.stderr
    assert tree_checksum(tmp_path) == before
    report = tmp_path / "r.md"
    report.write_text("old\n", "utf-8")
    result = do_import(source, tmp_path / "new", "dk", "--report", str(report))
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert report.read_text("utf-8") == "old\n" and not (tmp_path / "new").exists()


def test_the_same_document_gives_the_same_files(tmp_path):
    source = danish_plan(tmp_path / "v.docx")
    first = do_import(source, tmp_path / "a" / "plan", "dk")
    second = do_import(source, tmp_path / "b" / "plan", "dk")
    assert first.exit_code == second.exit_code == 0
    a, b = tree_checksum(tmp_path / "a"), tree_checksum(tmp_path / "b")
    assert a == b and "plan/plan.yaml" in a and "plan/billeder/billede-1.png" in a


@pytest.mark.parametrize("name, content, says", [
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Word format"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "damaged"),
    ("plan.rtf", b"{\\rtf1 hello}", "RTF"),
    ("plan.pdf", b"%PDF-1.7", "not a document beredskap can import"),
    ("latin1.md", "# Formål\n".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_documents_are_refused_plainly(tmp_path, name, content, says):
    source = tmp_path / name
    source.write_bytes(content)
    result = do_import(source, tmp_path / "plan", "dk")
    assert result.exit_code == 2 and says in result.stderr and str(source) in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "plan").exists()


def test_a_word_file_without_its_document_part_is_refused(tmp_path):
    source = tmp_path / "empty.docx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("word/document.xml", "<not-closed")
    result = do_import(source, tmp_path / "plan", "dk")
    assert result.exit_code == 2 and "not well-formed" in result.stderr


# -- Word's own heading numbering, ODT ----------------------------------------------------

def _numbered_word(path: Path) -> Path:
    doc = Plan()
    doc.heading_numbering()
    doc.title("Beredskabsplan for Testrup Kommune")
    doc.heading("Forord", 1, numbered=False)
    doc.para("Tekst.")
    doc.heading("Formål", 1)
    doc.heading("Præmisser", 2)
    doc.heading("Niveauer", 2)
    doc.heading("Aktivering", 1)
    doc.heading("Hvornår", 2)
    doc.heading("Varsler", 3)
    doc.para("Varsler modtages af vagten.")
    return doc.save(path)


WORD_NUMBERED = [(None, "Forord"), ("1.", "Formål"), ("1.1", "Præmisser"), ("1.2", "Niveauer"),
                 ("2.", "Aktivering"), ("2.1", "Hvornår"), ("2.1.1", "Varsler")]


def test_word_numbered_heading_styles_give_the_numbers_word_shows(tmp_path):
    source = _numbered_word(tmp_path / "nummereret.docx")
    result = do_import(source, tmp_path / "plan", "dk")
    assert result.exit_code == 0, result.stderr
    plan = load(tmp_path / "plan" / "plan.yaml")
    assert [(n, t) for _d, n, t, _s in sections(plan)] == WORD_NUMBERED
    assert "7 from the heading numbering of the styles" not in result.stdout
    assert "6 from the heading numbering of the styles" in result.stdout


@pytest.mark.parametrize("name", ["numbered-headings.odt", "numbered-headings-lo.docx"])
def test_libreoffice_outline_numbering_and_its_word_export(tmp_path, name):
    result = do_import(IMPORT / name, tmp_path / "plan", "dk")
    assert result.exit_code == 0, result.stderr
    plan = load(tmp_path / "plan" / "plan.yaml")
    assert [(n, t) for _d, n, t, _s in sections(plan)] == [
        (None, "Forord"), ("1.", "Formål"), ("1.1", "Præmisser"), ("1.2", "Beredskabsniveauer"),
        ("2.", "Aktivering"), ("2.1", "Hvornår er en hændelse en krise?"),
        ("2.1.1", "Modtagelse af varsler"), ("3.", "Alarmeringsliste")]
    contacts = load(tmp_path / "plan" / plan["annexes"][0]["file"])
    assert [p["name"] for p in contacts["people"]] == ["Henrik Testsen", "Lise Prøvesen"]
    assert "a comment by Bo: «Tjek med 4K»" in result.stdout
    pictures = list((tmp_path / "plan" / "billeder").iterdir())
    assert [p.name for p in pictures] == ["billede-1.png"]
    assert pictures[0].read_bytes().startswith(b"\x89PNG")


def test_an_odt_plan_in_nynorsk(tmp_path):
    result = do_import(IMPORT / "nynorsk.odt", tmp_path / "plan", "no")
    assert result.exit_code == 0, result.stderr
    plan = load(tmp_path / "plan" / "plan.yaml")
    assert plan["language"] == "nn"
    assert [(n, t) for _d, n, t, _s in sections(plan)] == [split_number(t) for _l, t in
                                                           NYNORSK_HEADINGS]
    assert [a["title"] for a in plan["annexes"]] == ["Varslingsliste", "Ressursar", "Planverk",
                                                     "Samarbeidspartnarar"]
    assert plan["approvals"] == [{"date": "2024-06-12", "by": "Kommunestyret", "case": "45/24"}]
    assert "the table of contents (11 lines)" in result.stdout  # LibreOffice's own index


# -- render --draft of the import ---------------------------------------------------------

def test_render_draft_reproduces_the_heading_structure(danish, tmp_path):
    plan_dir, _r, _ = danish
    result = run("render", str(plan_dir), "--draft", "--to", "md", "--out", str(tmp_path),
                 "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    text = next(tmp_path.glob("*.md")).read_text("utf-8")
    headings = [(len(m.group(1)), m.group(2)) for m in
                re.finditer(r"^(#+) (?:[0-9A-Z][0-9.]*\.?\s+)?(.+?)(?: \{#[^}]*\})?$", text, re.M)]
    wanted = [(level, split_number(t)[1]) for level, t in DANISH_HEADINGS]
    found = [h for h in headings if h in wanted]
    assert found == wanted


# -- quoting ------------------------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=6))
def test_written_yaml_always_reads_back_as_written(pairs):
    root = Map()
    items = Seq()
    for key_text, value in pairs:
        items.add(Map().add("title", value).add("body", Block(key_text + "\n" + value),
                                               comments=[key_text]))
    root.add("items", items).add("name", pairs[0][0], note=pairs[0][1])
    writer = Writer()
    writer.mapping(root)
    parsed = parse_text(writer.text())
    assert not parsed.problems, writer.text()
    assert parsed.data == plain_data(root)


@pytest.mark.parametrize("value", ["NO", "no", "yes", "on", "Off", "y", "null", "~", "1.0",
                                   "23/5847", "2025-10-08", "+45 20 30 40 50", "0047", ".inf",
                                   "- punkt", "# ikke en kommentar", "a: b", "a #b", "«UDFYLD» x",
                                   "x: «UDFYLD»", "'quoted'", '"dq"', "@home", "%tag", "`code`",
                                   "line\u2028break", "tab\there", "trailing "])
def test_values_that_look_like_something_else_stay_text(value):
    writer = Writer()
    writer.mapping(Map().add("v", value))
    assert parse_text(writer.text()).data == {"v": plain_data(value)}


def test_the_import_writes_no_tab_and_no_control_character(danish):
    plan_dir, _r, _ = danish
    for path in plan_dir.rglob("*.yaml"):
        text = path.read_text("utf-8")
        assert "\t" not in text and not re.search("[\x00-\x08\x0b-\x1f\x7f]", text)
        assert text.startswith("# yaml-language-server: $schema=")


def test_json_output_of_validate_on_the_import_is_clean_json(danish):
    plan_dir, _r, _ = danish
    result = run("validate", str(plan_dir), "--today", TODAY, "--format", "json")
    assert isinstance(json.loads(result.stdout), list)


# -- Markdown, pictures, options ----------------------------------------------------------

def test_markdown_pictures_inside_the_documents_folder_are_copied_others_reported(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kort.png").write_bytes(png(3, 3))
    (tmp_path / "outside.png").write_bytes(png(2, 2))
    source = docs / "plan.md"
    source.write_text("# Beredskabsplan for Prøvested Kommune\n\n## 1 Evakuering\n\n"
                      "![Kort over opholdssteder](kort.png)\n\n![Udenfor](../outside.png)\n\n"
                      "![Nettet](https://example.org/x.png)\n\n"
                      "Se [afsnit 2](#ressourcer) og [filen](file:///etc/passwd).\n\n"
                      "## 2 Ressourcer {#ressourcer}\n\nTekst.\n", "utf-8")
    result = do_import(source, tmp_path / "plan", "dk")
    assert result.exit_code == 0, result.stderr
    plan = load(tmp_path / "plan" / "plan.yaml")
    body = plan["sections"][0]["body"]
    assert "![Kort over opholdssteder](billeder/billede-1.png)" in body
    assert (tmp_path / "plan" / "billeder" / "billede-1.png").read_bytes() == png(3, 3)
    assert sorted(p.name for p in (tmp_path / "plan" / "billeder").iterdir()) == ["billede-1.png"]
    # a link to a heading is a cross-reference to its section; a file link keeps its text
    assert "[afsnit 2](#ressourcer)" in body and "file:" not in body and "filen" in body
    left = result.stdout.split("Left out, and why")[1]
    assert "«../outside.png»" in left and "«https://example.org/x.png»" in left
    assert "«file:///etc/passwd»" in left


def test_a_picture_on_the_title_page_is_the_logo(tmp_path):
    doc = Plan()
    doc.picture(png(8, 8, (0, 80, 160)), 3)
    doc.title("Beredskabsplan")
    doc.heading("1 Formål", 1)
    doc.para("Tekst.")
    source = doc.save(tmp_path / "logo.docx")
    result = do_import(source, tmp_path / "plan", "dk", "--name", "Prøvested Kommune")
    assert result.exit_code == 0, result.stderr
    plan = load(tmp_path / "plan" / "plan.yaml")
    assert plan["organization"]["name"] == "Prøvested Kommune"
    assert plan["organization"]["logo"] == "billeder/logo-1.png"
    assert (tmp_path / "plan" / "billeder" / "logo-1.png").read_bytes() == png(8, 8, (0, 80, 160))


def test_a_document_without_headings_or_annexes_still_gives_a_valid_plan(tmp_path):
    source = tmp_path / "notat.md"
    source.write_text("Nogle linjer uden overskrifter.\n", "utf-8")
    result = do_import(source, tmp_path / "plan", "dk")
    assert result.exit_code == 0, result.stderr
    plan = load(tmp_path / "plan" / "plan.yaml")
    assert plan["title"] == "Nogle linjer uden overskrifter."  # its first line
    assert plan["sections"][0]["body"].startswith("«UDFYLD» notat.md havde ingen overskrifter")
    assert "no table was recognised as an annex" in result.stdout
    rules = {f["rule"] for f in validate(tmp_path / "plan")}
    assert "schema" not in rules and "yaml-syntax" not in rules


@pytest.mark.parametrize("args, says", [
    (("--country", "se"), "unknown country 'se'"),
    (("--country", "dk", "--language", "sv"), "unknown language 'sv'"),
    (("--country", "dk", "--name", "  "), "must not be empty"),
])
def test_bad_options_are_usage_errors(tmp_path, args, says):
    source = tmp_path / "p.md"
    source.write_text("# Plan\n\n## 1 Formål\n\nTekst.\n", "utf-8")
    result = run("import", str(source), "--out", str(tmp_path / "plan"), *args)
    assert result.exit_code == 2 and says in result.stderr
    assert not (tmp_path / "plan").exists()


def test_out_that_is_a_file_is_refused(tmp_path):
    source = tmp_path / "p.md"
    source.write_text("# Plan\n\n## 1 Formål\n\nTekst.\n", "utf-8")
    (tmp_path / "plan").write_text("x", "utf-8")
    result = do_import(source, tmp_path / "plan", "dk")
    assert result.exit_code == 2 and "is not a folder" in result.stderr


def test_tables_markdown_cannot_hold_are_made_simple_and_said_so(tmp_path):
    doc = Plan()
    doc.heading("1 Tom tabel", 1)
    doc.table([["", ""], ["", ""]])
    doc.para("Tekst med | lodret streg, *stjerner* og {{ krøller }}.")
    doc.heading("2 Flettede celler og lister", 1)
    table = doc.table([["Tid", "Hvad", "Hvem"], ["08:00", "Møde", ""], ["09:00", "Status\nog plan",
                                                                       "Stab"]])
    table.cell(1, 1).merge(table.cell(1, 2))
    cell = table.cell(2, 2)
    cell.add_paragraph("punkt a", style="List Bullet")
    source = doc.save(tmp_path / "tabeller.docx")
    result = do_import(source, tmp_path / "plan", "dk")
    assert result.exit_code == 0, result.stderr
    first, second = load(tmp_path / "plan" / "plan.yaml")["sections"]
    assert first["body"] == "Tekst med \\| lodret streg, \\*stjerner\\* og {{ krøller }}.\n"
    assert "an empty table in «Tom tabel»" in result.stdout
    assert "| 08:00 | Møde" in second["body"] and "| 09:00 | Status; og plan | Stab; punkt a |" \
        in second["body"]
    assert "merged cells were split" in result.stdout


def test_bold_numbered_lines_are_the_headings_of_a_document_without_heading_styles(tmp_path):
    doc = Plan()
    doc.title("Beredskabsplan")
    for line, text in (("1.0 Formål med planen", "Planen beskriver krisestyringen."),
                       ("1.1 Præmisser", "Sektoransvar."), ("2.0 Aktivering", "Ved niveau 2."),
                       ("2.1 Hvem beslutter?", "Borgmesteren.")):
        doc.para(("bold", line))
        doc.para(text)
    doc.para(("bold", "Bemærk:"), " en fed start på et almindeligt afsnit.")
    source = doc.save(tmp_path / "fed.docx")
    result = do_import(source, tmp_path / "plan", "dk")
    assert result.exit_code == 0, result.stderr
    plan = load(tmp_path / "plan" / "plan.yaml")
    assert [(d, n, t) for d, n, t, _s in sections(plan)] == [
        (0, "1.0", "Formål med planen"), (1, "1.1", "Præmisser"), (0, "2.0", "Aktivering"),
        (1, "2.1", "Hvem beslutter?")]
    assert "**Bemærk:** en fed start" in sections(plan)[-1][3]["body"]
    assert "4 bold lines with a number in front were taken as headings" in result.stdout


def test_in_a_repository_the_schemas_go_to_its_root(repo):
    source = repo / "p.md"
    source.write_text("# Beredskabsplan\n\n## 1 Formål\n\nTekst.\n", "utf-8")
    result = do_import(source, repo / "plans" / "kommune", "dk")
    assert result.exit_code == 0, result.stderr
    first = (repo / "plans" / "kommune" / "plan.yaml").read_text("utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../../schemas/plan.schema.json"
    assert (repo / "schemas" / "plan.schema.json").is_file()
    assert sorted(p.name for p in (repo / "plans" / "kommune").iterdir()) == ["plan.yaml"]


def test_a_damaged_word_file_is_explained_in_the_users_language(tmp_path):
    source = tmp_path / "empty.docx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("word/document.xml", "<not-closed")
    result = run("--lang", "da", "import", str(source), "--out", str(tmp_path / "plan"),
                 "--country", "dk")
    assert result.exit_code == 2
    assert "word/document.xml er beskadiget: det er ikke gyldig XML" in result.stderr
    assert "well-formed" not in result.stderr and not (tmp_path / "plan").exists()
    missing = tmp_path / "tom.docx"
    with zipfile.ZipFile(missing, "w") as archive:
        archive.writestr("docProps/app.xml", "<Properties/>")
    result = run("--lang", "nb", "import", str(missing), "--out", str(tmp_path / "plan"),
                 "--country", "no")
    assert result.exit_code == 2 and "er en zip-pakke, men verken et Word-dokument" in result.stderr
