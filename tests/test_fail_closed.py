"""The public version fails closed: nothing exempt or private reaches it, whatever the input.

1. Markings that cannot be read as "not exempt" / "not private" count as exempt /
   private, and a public render refuses outright while any marking cannot be
   read — with `--draft`, with suppression comments, whatever the rules say.
2. A private number or a person's e-mail address written anywhere else (under
   another entry, in free text, in any spacing) is removed from every format,
   and a public output that would still show one is never written.
3. Links to network shares are removed from every format.
7. A render that fails part-way leaves the previous outputs as they were.

Each test starts from `fixtures/rules/good-no` (a valid Norwegian plan) with one
change, renders, and reads every format back: the DOCX's XML parts, the PDF's
text and link annotations (pypdf), the HTML's text and attributes, the Markdown.
"""
from __future__ import annotations

import html
import html.parser
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from beredskapsplan import markings
from beredskapsplan.build import load_plan
from beredskapsplan.render.context import ContextBuilder, Status
from beredskapsplan.render.labels import Labels
from beredskapsplan.render.markdown import Fragments
from beredskapsplan.render.templating import render_document
from beredskapsplan.render.pipeline import Templates
from conftest import FIXTURES, TODAY, run

GOOD = FIXTURES / "rules" / "good-no"
SECRET = "ZQXHEMMELIG"  # a word that only the marked part holds


def plan_copy(repo: Path) -> Path:
    folder = repo / "fjordvik"
    shutil.copytree(GOOD, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def render(folder: Path, out: Path, *args: str):
    return run("render", str(folder), "--out", str(out), "--today", TODAY, *args)


# -- reading every format back -------------------------------------------------------------

class _Html(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.attributes += [v for _, v in attrs if v]
        if tag in ("p", "div", "td", "th", "li", "br", "tr", "h1", "h2", "h3", "h4"):
            self.text.append("\n")

    def handle_data(self, data):
        self.text.append(data)


def readable(files: dict[str, Path]) -> dict[str, str]:
    """What a reader or a program gets out of each format: text, links, metadata."""
    pypdf = pytest.importorskip("pypdf")
    out = {}
    if "md" in files:
        out["md"] = re.sub(r"\\(.)", r"\1", files["md"].read_text("utf-8"))
    if "html" in files:
        parser = _Html()
        parser.feed(files["html"].read_text("utf-8"))
        out["html"] = "".join(parser.text) + "\n\n" + "\n\n".join(parser.attributes)
    if "docx" in files:
        parts = []
        with zipfile.ZipFile(files["docx"]) as docx:
            for name in docx.namelist():
                if name.endswith((".xml", ".rels")):
                    xml = docx.read(name).decode("utf-8")
                    for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                        parts.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>",
                                                        paragraph)))
                    parts += re.findall(r'(?:Target|w:val|r:id)="([^"]*)"', xml)
                    parts.append(re.sub(r"<[^>]+>", " ", xml))
        out["docx"] = html.unescape("\n\n".join(parts))
    if "pdf" in files:
        reader = pypdf.PdfReader(files["pdf"])
        parts = [page.extract_text() or "" for page in reader.pages]
        for page in reader.pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A") or {}
                parts.append(str(action.get("/URI", "")))
        parts += [str(v) for v in (reader.metadata or {}).values()]
        out["pdf"] = "\n\n".join(parts)
    return out


def squeezed(text: str) -> str:
    """Text with every kind of space, dash and dot between digits taken out."""
    text = text.replace("\u00ad", "").replace("\u200b", "")
    return re.sub(r"(?<=\d)[\s\u00a0\u202f\-–./()]+(?=\d)", "", text)


def files_of(out: Path, stem: str = "fjordvik-public") -> dict[str, Path]:
    return {fmt: out / f"{stem}.{fmt}" for fmt in ("docx", "pdf", "html", "md")
            if (out / f"{stem}.{fmt}").exists()}


def public_markdown(folder: Path) -> str:
    """The public version's Markdown and user fields as the context makes them, without
    the refusal in front: what the fail-closed reading alone keeps out."""
    plan = load_plan(folder).plan
    labels = Labels.load(Templates(None).find("labels/nb.yaml"), "nb")
    fragments = Fragments("test")
    builder = ContextBuilder(plan, labels, fragments, public=True, draft=True,
                             status=Status("never", None))
    context = builder.redaction.scrub_context(builder.build(), fragments)
    skeleton = render_document(Templates(None).folders, context)
    return skeleton + "\n".join(md.text for md in fragments.items)


# -- 1. markings that cannot be read ---------------------------------------------------------

SECTION = "    body: Kommunikasjonsleder publiserer informasjon på kommunens nettsider."
SECTION_SECRET = f"    body: Kommunikasjonsleder publiserer {SECRET} på kommunens nettsider."
BASIS = '"offentleglova § 24"'

# (name, file, old, new, the marked text, file and line where the problem is reported)
BAD_MARKINGS = [
    ("section exempt as text", "plan.yaml", SECTION, f"    exempt: offentleglova § 24\n{SECTION_SECRET}",
     SECRET, ("plan.yaml", 84)),
    ("section exempt empty", "plan.yaml", SECTION, f"    exempt:\n{SECTION_SECRET}", SECRET,
     ("plan.yaml", 84)),
    ("section exempt false", "plan.yaml", SECTION, f"    exempt: false\n{SECTION_SECRET}", SECRET,
     ("plan.yaml", 84)),
    ("section exempt without basis", "plan.yaml", SECTION, f"    exempt: {{}}\n{SECTION_SECRET}",
     SECRET, ("plan.yaml", 84)),
    ("section exempt with an empty basis", "plan.yaml", SECTION,
     f'    exempt: {{basis: " "}}\n{SECTION_SECRET}', SECRET, ("plan.yaml", 84)),
    ("section exempt as a list", "plan.yaml", SECTION, f"    exempt: [{BASIS}]\n{SECTION_SECRET}",
     SECRET, ("plan.yaml", 84)),
    ("section exempt misspelt", "plan.yaml", SECTION,
     f"    exmept: {{basis: {BASIS}}}\n{SECTION_SECRET}", SECRET, ("plan.yaml", 84)),
    ("section Exempt capitalised", "plan.yaml", SECTION,
     f"    Exempt: {{basis: {BASIS}}}\n{SECTION_SECRET}", SECRET, ("plan.yaml", 84)),
    ("section marked in Norwegian", "plan.yaml", SECTION,
     f"    unntatt_offentlighet: offentleglova § 24\n{SECTION_SECRET}", SECRET, ("plan.yaml", 84)),
    ("section marked in Danish", "plan.yaml", SECTION,
     f"    undtaget: offentlighedsloven § 33\n{SECTION_SECRET}", SECRET, ("plan.yaml", 84)),
    ("annex entry exempt as text", "plan.yaml",
     "  - {letter: E, title: Maler, file: templates.yaml}",
     "  - {letter: E, title: Maler, file: templates.yaml, exempt: offentleglova § 24}",
     "Fjordvik kommune har satt kriseledelsen", ("plan.yaml", 94)),
    ("annex file exempt as text", "templates.yaml", "kind: templates",
     "kind: templates\nexempt: offentleglova § 24", "Fjordvik kommune har satt kriseledelsen",
     ("templates.yaml", 3)),
    ("annex file exempt: true", "templates.yaml", "kind: templates",
     "kind: templates\nexempt: true", "Fjordvik kommune har satt kriseledelsen",
     ("templates.yaml", 3)),
    ("card file exempt: yes", "cards/varsle-kriseledelsen.yaml", "kind: action-card",
     "kind: action-card\nexempt: yes", "Kall inn kriseledelsen", ("cards/varsle-kriseledelsen.yaml", 3)),
    ("register entry exempt as text", "plan-register.yaml", "    statutory: health",
     "    statutory: health\n    exempt: offentleglova § 24",
     "Plan for helsemessig og sosial beredskap", ("plan-register.yaml", 14)),
    ("a person marked exempt", "contacts.yaml", "    name: Per Testesen",
     f"    name: Per Testesen {SECRET}\n    exempt: {{basis: {BASIS}}}", SECRET,
     ("contacts.yaml", 45)),
    ("a resource marked exempt", "resources.yaml", "    location: Rådhusets kjeller",
     f"    location: Rådhusets kjeller {SECRET}\n    exempt: {{basis: {BASIS}}}", SECRET,
     ("resources.yaml", 11)),
    ("private: yes", "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
     '{number: "+47 400 00 006", label: mobil, private: yes}', "400 00 006",
     ("contacts.yaml", 47)),
    ("private as text", "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
     '{number: "+47 400 00 006", label: mobil, private: "true"}', "400 00 006",
     ("contacts.yaml", 47)),
    ("section exempt in Cyrillic look-alike letters", "plan.yaml", SECTION,
     f"    \u0435\u0445\u0435mpt: {{basis: {BASIS}}}\n{SECTION_SECRET}", SECRET, ("plan.yaml", 84)),
    ("section restricted", "plan.yaml", SECTION, f"    restricted: true\n{SECTION_SECRET}", SECRET,
     ("plan.yaml", 84)),
    ("private: 1", "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
     '{number: "+47 400 00 006", label: mobil, private: 1}', "400 00 006", ("contacts.yaml", 47)),
    ("private empty", "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
     '{number: "+47 400 00 006", label: mobil, private: }', "400 00 006", ("contacts.yaml", 47)),
    ("Private capitalised", "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
     '{number: "+47 400 00 006", label: mobil, Private: true}', "400 00 006",
     ("contacts.yaml", 47)),
    ("privat in Norwegian", "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
     '{number: "+47 400 00 006", label: mobil, privat: true}', "400 00 006",
     ("contacts.yaml", 47)),
    ("private given twice", "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
     '{number: "+47 400 00 006", label: mobil, private: true, private: false}', "400 00 006",
     ("contacts.yaml", 47)),
    ("a person marked private", "contacts.yaml", "    name: Per Testesen",
     "    name: Per Testesen\n    private: true", "400 00 006", ("contacts.yaml", 45)),
    ("a partner's number private: yes", "partners.yaml", '{number: "+47 930 00 002"}',
     '{number: "+47 930 00 002", private: yes}', "930 00 002", ("partners.yaml", 12)),
    ("an annex file listed twice, once exempt", "plan.yaml",
     "  - {letter: F, title: Tiltakskort, cards: cards/}",
     "  - {letter: F, title: Tiltakskort, cards: cards/}\n"
     f"  - {{letter: G, title: Kort, file: templates.yaml, exempt: {{basis: {BASIS}}}}}",
     "Fjordvik kommune har satt kriseledelsen", ("plan.yaml", 96)),
]


def _bad(repo: Path, case) -> Path:
    _name, file, old, new, _secret, _where = case
    folder = plan_copy(repo)
    edit(folder / file, old, new)
    return folder


def _absent(marked: str, text: str) -> bool:
    if re.fullmatch(r"[\d ]+", marked):
        return squeezed(marked) not in squeezed(text)
    return marked not in text


@pytest.mark.parametrize("case", BAD_MARKINGS, ids=[c[0] for c in BAD_MARKINGS])
def test_a_marking_that_cannot_be_read_refuses_the_public_version(case, repo):
    folder = _bad(repo, case)
    marked, (file, line) = case[4], case[5]
    out = repo / "out"
    result = render(folder, out, "--audience", "public", "--draft")
    assert result.exit_code == 1, result.stderr
    assert "no public version made" in result.stderr
    assert f"{folder.name}/{file}:{line}:" in result.stderr.replace(str(repo) + "/", "")
    assert not out.exists() or list(out.iterdir()) == []
    # the internal version is made, and it does show what is marked
    inside = render(folder, repo / "internal", "--draft", "--to", "md")
    assert inside.exit_code == 0, inside.stderr
    assert not _absent(marked, (repo / "internal" / "fjordvik.md").read_text("utf-8")
                       .replace("\\", "").replace("\u00a0", " "))


@pytest.mark.parametrize("case", BAD_MARKINGS, ids=[c[0] for c in BAD_MARKINGS])
def test_a_marking_that_cannot_be_read_withholds_what_it_marks(case, repo):
    """Even without the refusal in front, the reading fails closed."""
    folder = _bad(repo, case)
    assert _absent(case[4], public_markdown(folder).replace("\\", "").replace("\u00a0", " "))


@pytest.mark.parametrize("case", [c for c in BAD_MARKINGS if "\n" not in c[3]],
                         ids=[c[0] for c in BAD_MARKINGS if "\n" not in c[3]])
def test_suppression_comments_do_not_let_a_bad_marking_through(case, repo):
    _name, file, old, new, _secret, _where = case
    folder = plan_copy(repo)
    edit(folder / file, old, new)
    lines = (folder / file).read_text("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if new in line)
    lines[at] += "  # beredskap: ignore[*]"  # on the line of the marking
    (folder / file).write_text("\n".join(lines), "utf-8")
    checked = run("validate", str(folder), "--format", "json", "--today", TODAY)
    assert "yaml-syntax" not in {f["rule"] for f in checked.findings}  # still read as written
    (repo / "beredskap.yaml").write_text("rules: {schema: off, duplicate-key: off, "
                                         "duplicate-id: off}\n", "utf-8")
    result = render(folder, repo / "out", "--audience", "public", "--draft")
    assert result.exit_code == 1 and "no public version made" in result.stderr


def test_valid_markings_render_the_public_version(repo):
    folder = plan_copy(repo)
    edit(folder / "plan.yaml", SECTION, f"    exempt: {{basis: {BASIS}}}\n{SECTION_SECRET}")
    edit(folder / "templates.yaml", "kind: templates",
         'kind: templates\nexempt: {basis: "offentleglova § 24", x-merknad: vurdert 2026}')
    edit(folder / "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
         '{number: "+47 400 00 006", label: mobil, private: false}')
    assert markings.problems(load_plan(folder).plan) == []
    out = repo / "out"
    result = render(folder, out, "--audience", "public", "--to", "md")
    assert result.exit_code == 0, result.stderr
    text = (out / "fjordvik-public.md").read_text("utf-8")
    assert SECRET not in text and "Fjordvik kommune har satt kriseledelsen" not in text
    assert "Unntatt offentlighet, jf. offentleglova § 24" in text
    assert "400 00 006" in text.replace("\u00a0", " ")  # private: false is public


def test_x_keys_are_the_authors_own_and_no_marking(repo):
    folder = plan_copy(repo)
    edit(folder / "plan.yaml", SECTION, f"    x-exempt-later: vurderes\n{SECTION}")
    assert markings.problems(load_plan(folder).plan) == []


def test_no_key_of_the_format_looks_like_a_marking():
    import json

    keys = set()

    def walk(node):
        if isinstance(node, dict):
            keys.update(node.get("properties", {}) if isinstance(node.get("properties"), dict)
                        else ())
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in (Path(__file__).parent.parent / "schemas").glob("*.schema.json"):
        walk(json.loads(path.read_text("utf-8")))
    assert {k for k in keys if markings.marking_meant(k)} == {"exempt", "private"}


@pytest.mark.parametrize("label", ["Privat mobil", "hemmelig", "unntatt offentlighet",
                                   "ikke offentlig", "hjemme", "ikkje offentleg"])
def test_a_label_saying_private_withholds_the_number(repo, label):
    folder = plan_copy(repo)
    edit(folder / "contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
         '{number: "+47 400 00 006", label: ' + label + '}')
    out = repo / "out"
    assert render(folder, out, "--audience", "public", "--to", "md,html").exit_code == 0
    for fmt, text in readable(files_of(out)).items():
        assert "40000006" not in squeezed(text), fmt


# -- 2. private numbers and people's addresses written anywhere ------------------------------

PRIVATE = "+47 400 00 004"  # Ola Eksempel's, marked private
ADDRESS = "kari.eksempel@fjordvik.example"  # a person's (annex A)

# the same number and address written in every kind of place and spelling
ELSEWHERE = [
    ("plan.yaml", "subtitle: Kriseledelse og varsling",
     "subtitle: Kriseledelse og varsling, vakt 400 00 004"),
    ("plan.yaml", "    body: Planen beskriver hvordan Fjordvik kommune håndterer kriser.",
     "    body: |\n      Planen beskriver hvordan Fjordvik kommune håndterer kriser.\n"
     "      Ring Ola på **400** 00 *004* eller +4740000004, skriv til "
     "[Kari](mailto:Kari.Eksempel@Fjordvik.example) eller kari.eksempel (at) fjordvik.example.\n\n"
     "      | Hvem | Nummer |\n      |---|---|\n      | Ola | 400-00-004 |\n\n"
     "      Nattevakt[^1]: `40000004`.\n\n      [^1]: Ola, 400.00.004.\n\n"
     "      ## Vakt 400 00 004\n\n      ```\n      ring 400 00 004\n      ```\n"
     "      Se <https://example.org/ring?n=40000004>."),
    ("plan.yaml", "Ordfører eller kommunedirektør beslutter",
     "Ordfører (400&#32;00&#32;004) eller kommunedirektør beslutter"),
    ("plan.yaml", "{date: 2026-05-30, summary: Oppdatert etter stabsøvelsen 2026,",
     "{date: 2026-05-30, summary: \"Oppdatert etter stabsøvelsen 2026, Ola 400 00 004\","),
    ("partners.yaml", '{number: "+47 930 00 002"}', '{number: "400 00 004"}'),
    ("partners.yaml", "email: vakt@vannverk.example", "email: Kari.Eksempel@fjordvik.example"),
    ("contacts.yaml", '{number: "+47 400 00 005", label: mobil}',
     '{number: "+47 400 00 005", label: mobil}\n      - {number: "4000 0004", label: vakt}'),
    ("cards/varsle-kriseledelsen.yaml", "trigger: Melding om hendelse som kan kreve kriseledelse.",
     "trigger: Melding fra Ola (400 00 004) om hendelse."),
    ("cards/varsle-kriseledelsen.yaml", "{text: Ring ordfører og kommunedirektør.,",
     "{text: \"Ring ordfører, deretter Ola på 400\\u00a000\\u00a0004.\","),
    ("templates.yaml", "Neste oppdatering kommer", "Kontakt 400 00 004. Neste oppdatering kommer"),
    ("resources.yaml", "    location: Rådhusets kjeller",
     "    location: Rådhusets kjeller (nøkkel hos 400 00 004)"),
]


@pytest.fixture(scope="module")
def leaky(tmp_path_factory):
    repo = tmp_path_factory.mktemp("leaky")
    (repo / ".git").mkdir()
    folder = plan_copy(repo)
    for file, old, new in ELSEWHERE:
        edit(folder / file, old, new)
    return folder


def _shows_a_secret(text: str) -> list[str]:
    found = []
    if "40000004" in squeezed(text):
        found.append("the private number")
    if ADDRESS in text.casefold() or "kari.eksempel (at)" in text.casefold():
        found.append("a person's address")
    return found


def test_private_data_written_anywhere_is_in_no_public_format(leaky, tmp_path):
    out = tmp_path / "public"
    result = render(leaky, out, "--audience", "public", "--draft")
    assert result.exit_code == 0, result.stderr
    texts = readable(files_of(out))
    assert set(texts) == {"docx", "pdf", "html", "md"}
    for fmt, text in texts.items():
        assert _shows_a_secret(text) == [], fmt
        # what stood around it is still there, and says what was taken out
        assert "Ring Ola på" in text and "Nattevakt" in text, fmt
        assert "unntatt offentlighet" in text, fmt
    # what replaces it reads cleanly: no emphasis left open, no escapes inside code
    markdown = files_of(out)["md"].read_text("utf-8")
    assert "Ring Ola på (unntatt offentlighet) eller (unntatt offentlighet)," in markdown
    assert "Nattevakt[^1]: `(unntatt offentlighet)`." in markdown


def test_the_internal_version_shows_what_the_public_one_removes(leaky, tmp_path):
    out = tmp_path / "internal"
    assert render(leaky, out, "--draft", "--to", "md").exit_code == 0
    text = (out / "fjordvik.md").read_text("utf-8")
    assert _shows_a_secret(re.sub(r"\\(.)", r"\1", text)) != []


def test_validate_warns_where_each_one_is_written(leaky):
    result = run("validate", str(leaky), "--format", "json", "--today", TODAY)
    found = {(Path(f["path"]).name, f["line"]) for f in result.findings
             if f["rule"] == "private-in-text"}
    # every place but the one spelt with HTML entities (`400&#32;00&#32;004`), which only
    # the parsed document shows as a number: the render still removes it there
    assert found == {("plan.yaml", 7), ("plan.yaml", 13), ("plan.yaml", 66),
                     ("partners.yaml", 10), ("partners.yaml", 12), ("contacts.yaml", 41),
                     ("varsle-kriseledelsen.yaml", 7), ("varsle-kriseledelsen.yaml", 9),
                     ("templates.yaml", 8), ("resources.yaml", 10)}


def test_a_number_in_a_template_of_template_dir_is_removed(repo):
    """A municipality's own template with a number written into it: the parsed document
    is searched too, so the paragraph goes, in every format."""
    folder = plan_copy(repo)
    templates = repo / "maler"
    templates.mkdir()
    shipped = Templates(None).find("changelog.md.j2").read_text("utf-8")
    (templates / "changelog.md.j2").write_text(shipped + "\nVakt: 400 00 004\n\n", "utf-8")
    out = repo / "out"
    result = render(folder, out, "--audience", "public", "--template-dir", str(templates))
    assert result.exit_code == 0, result.stderr
    for fmt, text in readable(files_of(out)).items():
        assert _shows_a_secret(text) == [], fmt
    inside = render(folder, repo / "internal", "--template-dir", str(templates), "--to", "md")
    assert inside.exit_code == 0
    assert "Vakt: 400 00 004" in (repo / "internal" / "fjordvik.md").read_text("utf-8")


@pytest.mark.parametrize("template,fmt", [("beredskap.html", "html"), ("beredskap.typ", "pdf")])
def test_a_number_outside_the_document_tree_stops_the_render(template, fmt, repo):
    """A number in the page template (HTML, Typst) is outside the parsed document: the
    last search of the output finds it, and nothing is written."""
    folder = plan_copy(repo)
    templates = repo / "maler"
    templates.mkdir()
    shipped = Templates(None).find(template).read_text("utf-8")
    (templates / template).write_text(shipped.replace("$body$", "Vakt 400 00 004\n$body$", 1),
                                      "utf-8")
    out = repo / "out"
    result = render(folder, out, "--audience", "public", "--template-dir", str(templates),
                    "--to", f"md,{fmt}")
    assert result.exit_code == 1, result.stderr
    assert "Ola Eksempel" in result.stderr and "nothing was written" in result.stderr
    assert "400 00 004" not in result.stderr  # the message does not repeat the number
    assert not out.exists() or list(out.iterdir()) == []
    inside = render(folder, repo / "internal", "--template-dir", str(templates), "--to", fmt)
    assert inside.exit_code == 0


def test_the_last_search_reads_each_format_as_its_reader_does(repo):
    from beredskapsplan.render.redact import Redaction

    folder = plan_copy(repo)
    plan = load_plan(folder).plan
    redaction = Redaction(plan, {}, "(unntatt offentlighet)")
    docx = repo / "x.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", '<w:p><w:r><w:t>400 00</w:t></w:r><w:r><w:t xml:space='
                                        '"preserve"> 004</w:t></w:r></w:p>')
    found = {
        "md": redaction.leaks("md", "Ring 400\\ 00\\ 004"),
        "html": redaction.leaks("html", "<p>400&#x20;00<b>&#48;04</b></p>"),
        "html link": redaction.leaks("html", '<a href="tel:%2B4740000004">ring</a>'),
        "docx": redaction.leaks("docx", docx.read_bytes()),
        "typst": redaction.leaks("typst", b"Ring \\+47 400 00 004"),
        "address": redaction.leaks("html", "<p>KARI.EKSEMPEL&#64;fjordvik.example</p>"),
    }
    assert {k: [s.owner for s in v] for k, v in found.items()} == {
        "md": ["Ola Eksempel"], "html": ["Ola Eksempel"], "html link": ["Ola Eksempel"],
        "docx": ["Ola Eksempel"], "typst": ["Ola Eksempel"], "address": ["Kari Eksempel"]}
    assert redaction.leaks("html", "<p>400 00 005</p><td>400 00</td><td>004</td>") == []


# -- 3. links to network shares ---------------------------------------------------------------

SHARE_LINKS = [
    r"[a](\\srv01\delt\plan.docx)", "[b](//srv02/delt/plan.docx)", "[c](file://srv03/delt)",
    "[d](%5C%5Csrv04%5Cdelt)", "<file://srv05/delt>", r"[e](/\srv06\delt)",
    r"![f](\\srv07\bilder\kart.png)", "[g](FILE:///srv08/x)", r"[h](\/srv09/delt)",
    "[i](%255C%255Csrv10%255Cdelt)",
]


def test_links_to_network_shares_are_removed_from_every_format(repo):
    folder = plan_copy(repo)
    body = " ".join(SHARE_LINKS) + " [ok](https://fjordvik.example/plan)"
    edit(folder / "plan.yaml", "    body: Ressursene står i vedlegg B og delplanene i vedlegg C.",
         f"    body: {html.escape(body, quote=False)!r}".replace("&amp;", "&"))
    out = repo / "out"
    assert render(folder, out).exit_code == 0
    files = files_of(out, "fjordvik")
    pypdf = pytest.importorskip("pypdf")
    links = []
    parser = _Html()
    parser.feed(files["html"].read_text("utf-8"))
    links += parser.attributes
    with zipfile.ZipFile(files["docx"]) as docx:
        rels = docx.read("word/_rels/document.xml.rels").decode("utf-8")
        links += re.findall(r'Target="([^"]*)"', rels)
    for page in pypdf.PdfReader(files["pdf"]).pages:
        for annotation in page.get("/Annots") or []:
            links.append(str((annotation.get_object().get("/A") or {}).get("/URI", "")))
    markdown = files["md"].read_text("utf-8")
    links += re.findall(r"\](\([^)]*\))|(?<!\\)<([a-z]+:[^>]*?)(?<!\\)>", markdown)
    flat = " ".join(map(str, links))
    assert "https://fjordvik.example/plan" in flat  # a web link stays a link
    for n in range(1, 11):
        assert f"srv{n:02d}" not in flat, n
    # the link texts stay
    assert re.search(r"\ba\b.*\bb\b.*\bc\b", readable({"md": files["md"]})["md"])


# -- 7. all formats or none -------------------------------------------------------------------

def _render_with_file_size_limit(folder: Path, out: Path, limit: int):
    """`beredskap render` in a process that may write no file larger than `limit` bytes,
    as on a disk that fills up."""
    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "beredskapsplan", "render", str(folder), "--out", str(out),
               "--today", TODAY]
    return subprocess.run(command, preexec_fn=limited, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def test_a_disk_that_fills_up_leaves_the_previous_outputs_as_they_were(repo):
    folder = plan_copy(repo)
    out = repo / "out"
    assert render(folder, out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    sizes = sorted(len(data) for data in before.values())
    edit(folder / "plan.yaml", "Planen beskriver hvordan", "Planen (revidert) beskriver hvordan")
    # room for the small formats but not for the largest: some are written, one is not
    result = _render_with_file_size_limit(folder, out, (sizes[-2] + sizes[-1]) // 2)
    assert result.returncode == 1, result.stderr
    assert "nothing was changed there" in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_first_render_that_fails_leaves_an_empty_folder(repo):
    folder = plan_copy(repo)
    out = repo / "out"
    out.mkdir()
    result = _render_with_file_size_limit(folder, out, 20_000)
    assert result.returncode == 1, result.stderr
    assert list(out.iterdir()) == []


def test_the_public_change_document_is_refused_too(repo):
    """`changes --audience public` is a public document as well: same refusal."""
    folder = plan_copy(repo)
    shutil.copytree(folder, repo / "vedtatt")
    edit(folder / "plan.yaml", SECTION, f"    exempt: offentleglova § 24\n{SECTION_SECRET}")
    out = repo / "out"
    result = run("changes", str(folder), "--since", str(repo / "vedtatt"), "--audience",
                 "public", "--draft", "--to", "md", "--out", str(out), "--today", TODAY)
    assert result.exit_code == 1, result.stderr
    assert "no public version made" in result.stderr and "plan.yaml:84:" in result.stderr
    assert not out.exists() or list(out.iterdir()) == []
    inside = run("changes", str(folder), "--since", str(repo / "vedtatt"), "--draft", "--to",
                 "md", "--out", str(repo / "internal"), "--today", TODAY)
    assert inside.exit_code == 0, inside.stderr
