"""The council document as the municipality adopted it, read back from every format.

The fixture `kloverdal` has the structure of a real Danish plan (Vallensbæk
Kommune, Hovedberedskabsplan 2025): numbering as adopted ("1.0", no "1.2", two
"4.3"), an unnumbered Forord, the emergency levels shown inside 1.3, and every
generated block placed by `shows`. PDF is read with pypdf, DOCX with
python-docx and its XML, HTML with html.parser and a real browser.
"""
from __future__ import annotations

import html.parser
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from beredskapsplan.documents import read_document
from conftest import FIXTURES, REPO, TODAY, run

RENDER = FIXTURES / "render"
KLOVERDAL = RENDER / "kloverdal"
FORMATS = ("docx", "pdf", "html", "md")

# the adopted plan's own headings, in order (Vallensbæk's structure: Forord unnumbered,
# no 1.2, two sections 4.3), then its annexes
ADOPTED = [
    "Forord",
    "1.0 Formål med beredskabsplanen",
    "1.1 Planens præmisser",
    "1.3 Beredskabsniveauer",
    "1.4 Planens sammenhæng med kommunens andre beredskabsplaner",
    "1.5 Samarbejdet med det fælleskommunale Beredskab Nordkyst",
    "1.6 Planens godkendelse, ajourføring og afprøvning",
    "2.0 Aktivering af krisestyring",
    "2.1 Hvornår er en hændelse en krise?",
    "2.2 Modtagelse af varsler og alarmer mv.",
    "2.3 Hvem tager beslutning om en hændelse kræver krisestyring?",
    "2.4 Aktivering ved forøget beredskab",
    "3.0 Kommunens krisestyringsstab",
    "3.1 Krav til krisestyringsstaben",
    "3.2 Krisestyringsstabens sammensætning og kapacitet – en dynamisk størrelse",
    "3.3 Ansvarsfordeling",
    "3.4 Sikkerhedsorganisation - sikkerhedsgodkendt personale",
    "3.5 Stabsstøtte: Krisesekretariat",
    "3.6 Stabsstøtte: Krisesekretariatets tovholder",
    "3.7 Stabsstøtte: Kommunikationsafdelingen og pressehåndtering",
    "3.8 Stabsstøtte: Fagcentre",
    "4.0 Krisestyringsstabens indsats",
    "4.1 Den rammesættende krisestyringsstab træder sammen",
    "4.2 Udpegning af Krisesekretariatet og sekretariatets opgaver",
    "4.3 Arbejdsgange i den operationelle krisestyringsstab",
    "4.3 Koordinering af handlinger og ressourcer",
    "4.4 Håndtering af informationer om krisen og intern formidling",
    "4.5 Ekstern krisekommunikation",
    "5.0 Hændelser der berører flere kommuner",
    "5.1 Den kommunalt koordinerende stab",
    "5.2 Fælles vidensdeling",
    "5.3 Fælles kriseledelse",
    "6.0 Bilag – oversigt og formål",
    "Bilag A – Alarmeringsliste – liste over kommunens nøglepersoner",
    "Bilag B – Liste over kommunens taktiske ressourcer",
    "Bilag C – Liste over kommunens beredskabsplaner",
    "Bilag D – Bruttoliste over eksterne samarbejdspartnere",
    "Bilag E – Skabeloner til dokumenter ved krisestyring",
    "Bilag F – Actioncards for Krisesekretariatet",
]
# where each generated block goes: the section that shows it, and the next heading
SHOWN = {
    "levels": ("1.3 Beredskabsniveauer", "1.4 Planens sammenhæng"),
    "exercises": ("1.6 Planens godkendelse", "2.0 Aktivering af krisestyring"),
    "activation": ("2.3 Hvem tager beslutning", "2.4 Aktivering ved forøget"),
    "staff": ("3.2 Krisestyringsstabens sammensætning", "3.3 Ansvarsfordeling"),
    "roles": ("3.3 Ansvarsfordeling", "3.5 Stabsstøtte: Krisesekretariat"),
}
# a text each block prints once, and nothing else does (not a column heading: a table's
# heading row is repeated on each page it runs over)
MARK = {
    "levels": "Ualmindelige hændelser i en afdeling eller institution",
    "exercises": "Erfaringer og opfølgning",
    "activation": "Ring i denne rækkefølge.",
    "staff": "Leder: Kommunaldirektør (Mette Frandsen)",
    "roles": "1. Karen Holm (primær)",
}
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


# -- reading outputs back ------------------------------------------------------------------

def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def pdf_reader(path: Path):
    pypdf = pytest.importorskip("pypdf")
    return pypdf.PdfReader(path)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pdf_reader(path).pages)


def pdf_prose(path: Path) -> str:
    """The PDF's text as running text: a word hyphenated at a line end joined again."""
    return normal(re.sub(r"(\w)-\n(\w)", r"\1\2", pdf_text(path)))


def pdf_links(path: Path) -> set[str]:
    found = set()
    for page in pdf_reader(path).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if action.get("/URI"):
                found.add(str(action["/URI"]))
    return found


def pdf_outline(path: Path) -> list[str]:
    """The PDF's bookmarks (its headings), in order, flattened."""
    reader = pdf_reader(path)
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(normal(item.title))

    walk(reader.outline)
    return titles


def docx_document(path: Path):
    docx = pytest.importorskip("docx")
    return docx.Document(str(path))


def docx_headings(path: Path) -> list[str]:
    return [normal(p.text) for p in docx_document(path).paragraphs
            if p.style.name.startswith("Heading") and p.text.strip()]


def docx_part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


class Page(html.parser.HTMLParser):
    """Headings (h1–h6 text), all text, links, elements with their classes."""

    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        if tag == "a":
            self._link = [dict(attrs).get("href", ""), []]

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append(normal("".join(self._heading)))
            self._heading = None
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], normal("".join(self._link[1]))))
            self._link = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._link is not None:
            self._link[1].append(data)


def html_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def md_text(path: Path) -> str:
    """The Markdown as text: escapes and link targets removed."""
    text = path.read_text("utf-8").replace("\\", "").replace("**", "")
    return normal(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text))


def html_text(path: Path) -> str:
    return normal("".join(html_page(path).text))


def body(text: str) -> str:
    """The text from the first section on (after the title page and the contents, which
    list the headings too)."""
    return text[text.index("Forord", text.index("Forord") + 1):]


def in_order(found: list[str], wanted: list[str]) -> list[str]:
    """The wanted headings as they occur in `found` (same text, same order)."""
    return [h for h in found if h in wanted]


# -- rendering -----------------------------------------------------------------------------

def render(plan: Path, out: Path, *args: str):
    result = run("render", str(plan), "--out", str(out), "--today", TODAY, *args)
    suffix = "-public" if "public" in args else ""
    return result, {fmt: out / f"{plan.name}{suffix}.{fmt}" for fmt in FORMATS}


@pytest.fixture(scope="module")
def adopted(tmp_path_factory) -> dict[str, Path]:
    result, files = render(KLOVERDAL, tmp_path_factory.mktemp("kloverdal"))
    assert result.exit_code == 0, result.stderr
    return files


@pytest.fixture(scope="module")
def adopted_public(tmp_path_factory) -> dict[str, Path]:
    result, files = render(KLOVERDAL, tmp_path_factory.mktemp("kloverdal-public"),
                           "--audience", "public")
    assert result.exit_code == 0, result.stderr
    return files


def plan_copy(tmp_path: Path, name: str = "kloverdal") -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    return Path(shutil.copytree(RENDER / name, tmp_path / name))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- 1. numbering as adopted ---------------------------------------------------------------

def test_section_numbers_and_titles_are_the_adopted_ones_in_every_format(adopted):
    page = html_page(adopted["html"])
    assert in_order(page.headings, ADOPTED) == ADOPTED
    assert in_order(docx_headings(adopted["docx"]), ADOPTED) == ADOPTED
    assert in_order(pdf_outline(adopted["pdf"]), ADOPTED) == ADOPTED
    md = adopted["md"].read_text(encoding="utf-8")
    md_headings = [normal(re.sub(r"\s*\{#[^}]*\}$", "", line.lstrip("# ")).replace("\\", ""))
                   for line in md.splitlines() if line.startswith("#")]
    assert in_order(md_headings, ADOPTED) == ADOPTED
    # nothing renumbered: no "1 Forord", no "1.2", no generated chapter after 6.0
    for headings in (page.headings, docx_headings(adopted["docx"])):
        assert not [h for h in headings if h.startswith(("1 Forord", "1.2 ", "7 ", "7.0"))]


def test_auto_numbering_skips_an_unnumbered_section(tmp_path):
    plan = plan_copy(tmp_path)
    replace_in(plan / "plan.yaml", "numbering: as-adopted\n", "numbering: auto\n")
    result, files = render(plan, tmp_path / "out", "--to", "html")
    assert result.exit_code == 0, result.stderr
    headings = html_page(files["html"]).headings
    assert "Forord" in headings  # no number, and the next section is 1
    assert "1 Formål med beredskabsplanen" in headings
    assert "1.3 Planens sammenhæng med kommunens andre beredskabsplaner" in headings
    assert "4.4 Koordinering af handlinger og ressourcer" in headings  # the second "4.3"
    replace_in(plan / "plan.yaml", "numbering: auto\n", "numbering: none\n")
    result, files = render(plan, tmp_path / "none", "--to", "html")
    headings = html_page(files["html"]).headings
    assert "Formål med beredskabsplanen" in headings and "Ansvarsfordeling" in headings


# -- cross-references -----------------------------------------------------------------------

def test_a_cross_reference_prints_the_targets_number_and_title(adopted):
    wanted = {
        "arbejdsgange": "4.3 Arbejdsgange i den operationelle krisestyringsstab",
        "card": "F.2 Møder i den operationelle krisestyringsstab",
        "annex": "Bilag A – Alarmeringsliste – liste over kommunens nøglepersoner",
        "exempt": "3.4 Sikkerhedsorganisation - sikkerhedsgodkendt personale",
    }
    page = html_page(adopted["html"])
    links = dict((text, href) for href, text in page.links)
    ids = {attrs.get("id") for _, attrs in page.tags if attrs.get("id")}
    for text in wanted.values():
        assert text in links, text
        assert links[text].startswith("#") and links[text][1:] in ids, (text, links[text])
    # a link with its own text keeps it
    assert links["bilag B"] == "#annex-2" and links["bilag C"] == "#annex-3"
    pdf = pdf_prose(adopted["pdf"])
    docx = normal(" ".join(p.text for p in docx_document(adopted["docx"]).paragraphs))
    for text in (pdf, docx, md_text(adopted["md"]), html_text(adopted["html"])):
        assert "arbejdsgangene i afsnit 4.3 Arbejdsgange i den operationelle " \
               "krisestyringsstab; ressourcerne står i bilag B." in text
        assert "Møderne følger actioncard F.2 Møder i den operationelle krisestyringsstab." \
            in text
        assert "står i Bilag A – Alarmeringsliste" in text
    # in DOCX the reference is a link to the heading's bookmark
    xml = docx_part(adopted["docx"], "word/document.xml")
    assert re.search(r'<w:bookmarkStart w:id="\d+" w:name="s-5-3" />', xml)
    assert 'w:anchor="s-5-3"' in xml


def test_a_reference_to_a_withheld_section_names_only_its_number(adopted_public):
    texts = {"html": html_text(adopted_public["html"]), "md": md_text(adopted_public["md"]),
             "pdf": pdf_prose(adopted_public["pdf"])}
    for fmt, text in texts.items():
        assert "organisationen står i 3.4 Undtaget fra aktindsigt." in text, fmt
        assert "Sikkerhedsorganisation" not in text, fmt
    source = adopted_public["html"].read_text("utf-8")
    assert "#sikkerhedsorganisation" not in source and 'id="sikkerhedsorganisation"' not in source


# -- 2. generated blocks where shows puts them ---------------------------------------------

def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i:text.index(end, i)]


def test_generated_blocks_appear_where_shows_puts_them_and_nowhere_else(adopted):
    texts = {
        "html": html_text(adopted["html"]),
        "pdf": pdf_prose(adopted["pdf"]),
        # table cells are in the XML, in document order
        "docx": normal(re.sub(r"<[^>]+>", " ", docx_part(adopted["docx"], "word/document.xml"))),
        "md": md_text(adopted["md"]),
    }
    for fmt, text in texts.items():
        sections = body(text)
        for block, (start, end) in SHOWN.items():
            assert MARK[block] in _between(sections, start, end), (fmt, block)
            assert text.count(MARK[block]) == 1, (fmt, block, text.count(MARK[block]))
    # no chapter of their own: the adopted plan has them in its sections already
    headings = html_page(adopted["html"]).headings
    for title in ("Beredskabsniveauer", "Roller og ansvar", "Aktivering af krisestyringen",
                  "Øvelser, hændelser og evaluering"):
        assert not [h for h in headings if h.endswith(title) and not h.startswith("1.3")]


def test_default_places_and_render_generated(tmp_path):
    plan = plan_copy(tmp_path)
    data = (plan / "plan.yaml").read_text("utf-8")
    (plan / "plan.yaml").write_text(re.sub(r"\n        shows: \[[a-z-]+\]", "", data), "utf-8")
    result, files = render(plan, tmp_path / "defaults", "--to", "html")
    assert result.exit_code == 0, result.stderr
    headings = html_page(files["html"]).headings
    chapters = ["Beredskabsniveauer", "Roller og ansvar",
                "Krisestyringsstabe og støttefunktioner", "Aktivering af krisestyringen",
                "Øvelser, hændelser og evaluering"]
    # unnumbered chapters after 6.0 (numbers as adopted: the tool invents none)
    assert in_order(headings, chapters + ["6.0 Bilag – oversigt og formål"]) == \
        ["6.0 Bilag – oversigt og formål"] + chapters or \
        headings.index(chapters[0]) > headings.index("6.0 Bilag – oversigt og formål")
    assert headings.index("Øvelser, hændelser og evaluering") < headings.index(ADOPTED[33])
    text = (plan / "plan.yaml").read_text("utf-8")
    (plan / "plan.yaml").write_text(text.replace("\nnumbering: as-adopted\n",
                                                 "\nnumbering: as-adopted\nrender: "
                                                 "{generated: [exercises]}\n"), "utf-8")
    result, files = render(plan, tmp_path / "restricted", "--to", "html")
    assert result.exit_code == 0, result.stderr
    headings = html_page(files["html"]).headings
    assert "Øvelser, hændelser og evaluering" in headings
    for title in chapters[:4] + ["Ændringslog"]:
        assert title not in headings, title


def test_a_column_no_row_fills_is_left_out(tmp_path):
    plan = plan_copy(tmp_path, "bakkeby")
    replace_in(plan / "plan.yaml", "    description: Hele krisestyringsstaben indkaldes.\n", "")
    result, files = render(plan, tmp_path / "out", "--to", "html,md")
    assert result.exit_code == 0, result.stderr
    md = files["md"].read_text("utf-8")
    levels = md[md.index("# 5 Beredskabsniveauer"):md.index("# 6 Roller")]
    header = next(line for line in levels.splitlines() if line.startswith("| Niveau"))
    assert [c.strip() for c in header.strip("|").split("|")] == ["Niveau", "Betegnelse",
                                                                   "Besluttes af"]
    page = html_page(files["html"])
    assert "Beskrivelse" not in " ".join(page.text)


def test_sub_plans_shown_in_a_section_leave_a_pointer_in_their_annex(tmp_path):
    plan = plan_copy(tmp_path)
    replace_in(plan / "plan.yaml", "        covers: [sub-plans]\n",
               "        covers: [sub-plans]\n        shows: [sub-plans]\n")
    result, files = render(plan, tmp_path / "out", "--to", "md")
    assert result.exit_code == 0, result.stderr
    md = normal(files["md"].read_text("utf-8").replace("\\", ""))
    section = _between(md, "## 1.4 Planens sammenhæng", "## 1.5 ")
    assert "Sundhedsberedskabsplan for Kløverdal Kommune" in section
    annex = _between(md, "# Bilag C –", "# Bilag D –")
    assert "Sundhedsberedskabsplan" not in annex
    assert "Oversigten står i [1.4 Planens sammenhæng med kommunens andre " \
           "beredskabsplaner](#s-2-3)." in annex


# -- 3. the exercise history ---------------------------------------------------------------

def test_the_exercise_history_answers_the_auditor(adopted):
    plan = read_document(KLOVERDAL / "plan.yaml").data
    pdf = body(pdf_prose(adopted["pdf"]))
    block = _between(body(html_text(adopted["html"])), "1.6 Planens godkendelse",
                     "2.0 Aktivering")
    for text in (block, pdf):
        assert "1. oktober 2026 Funktionsøvelse – cyberangreb mod kommunens it-systemer " \
               "Funktionsøvelse 5. november 2026" in text
        assert "14. august 2025 Skybrud med oversvømmelse af Kløverdal bymidte og " \
               "Plejecenter Egelyet Hændelse, niveau 2 2. oktober 2025" in text
        assert "Skrivebordsøvelse 12. december 2024" in text
        # a finding with its owner, due date and status
        assert "IT-chef (Kasper Nørgaard) 1. februar 2027 Åben" in text
        assert "Lukket 20. februar 2025" in text
    # every exercise and incident is there, newest first
    titles = [e["title"] for e in plan["exercises"] + plan["incidents"]]
    positions = [block.index(normal(t)) for t in titles]
    dates = [str(e["date"]) for e in plan["exercises"] + plan["incidents"]]
    assert [p for _, p in sorted(zip(dates, positions), reverse=True)] == sorted(positions)


def test_a_plan_without_exercises_says_so(tmp_path):
    result, files = render(RENDER / "bakkeby", tmp_path, "--to", "md")
    assert result.exit_code == 0, result.stderr
    md = files["md"].read_text("utf-8")
    chapter = md[md.index("# 9 Øvelser, hændelser og evaluering"):md.index("# Bilag A")]
    assert "Der er endnu ikke registreret øvelser eller hændelser." in chapter


# -- 4. an action-card step that starts with a number --------------------------------------

def test_a_step_that_starts_with_a_number_stays_one_step(adopted):
    source = read_document(KLOVERDAL / "actioncards" / "b-stabsmoede.yaml").data
    first = source["steps"][0]["text"]
    assert first.startswith("1. Udarbejd dagsorden")
    page = adopted["html"].read_text("utf-8")
    card = page[page.index('id="card-6-2"'):page.index('id="card-6-3"')]
    steps = re.findall(r'<div class="step">(.*?)</div>\s*(?=<div class="step">|<h3)', card,
                       re.S)
    assert len(steps) == len(source["steps"])
    assert "<ol" not in card and "<ul" not in card
    texts = [normal(re.sub(r"<[^>]+>", "", s)) for s in steps]
    assert texts[0].startswith("☐ 1. Udarbejd dagsorden: indhent forslag")
    assert not texts[0].startswith("☐ 1. 1.")  # its own number, not two
    assert texts[2].startswith("☐ 3. Hold mødet fysisk eller virtuelt; stabschefen")
    assert texts[3].startswith("☐ 4. - Skriv referat")  # a dash is text too
    pdf = normal(pdf_text(adopted["pdf"]))
    assert "1. Udarbejd dagsorden: indhent forslag hos direktionen" in pdf
    xml = docx_part(adopted["docx"], "word/document.xml")
    para = xml[:xml.index("Udarbejd dagsorden")]
    para = para[para.rindex("<w:p>"):]
    assert "<w:numPr>" not in para  # not a Word list item


# -- 5. PDF: numbers and addresses copy exactly --------------------------------------------

def contact_values(public: bool) -> tuple[set[str], set[str]]:
    """Every phone number and e-mail address the alert list and partner list print."""
    phones, emails = set(), set()
    for name in ("bilag-a.yaml", "bilag-d.yaml"):
        data = read_document(KLOVERDAL / name).data
        for entry in data.get("people", []) + data.get("partners", []):
            owners = [entry] + entry.get("contacts", [])
            for owner in owners:
                for phone in owner.get("phones", []):
                    if not (public and phone.get("private")):
                        phones.add(phone["number"])
                if owner.get("email") and not (public and (owner is not entry or
                                                           name == "bilag-a.yaml")):
                    emails.add(owner["email"])
    return phones, emails


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_pdf_numbers_and_addresses_copy_exactly_and_are_links(audience, adopted,
                                                             adopted_public):
    files = adopted if audience == "internal" else adopted_public
    raw = pdf_text(files["pdf"])
    phones, emails = contact_values(audience == "public")
    assert phones and emails
    for char in ZERO_WIDTH:
        assert char not in raw, hex(ord(char))
    lines = raw.splitlines()
    for number in phones:
        assert any(number in line for line in lines), number  # on one line, as written
    for address in emails:
        assert any(address in line for line in lines), address
    # nothing that looks like an address or a number differs from a source value
    found = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", raw))
    assert found <= emails | {"kommune@kloverdal.example", "krisestab@kloverdal.example"}
    links = pdf_links(files["pdf"])
    for number in phones:
        assert "tel:" + re.sub(r"[^\d+]", "", number) in links, number
    for address in emails:
        assert "mailto:" + address in links, address
    assert "tel:94104000" in links  # a number in running text ("94 10 40 00")


def test_pdf_never_hyphenates_names_in_tables(adopted):
    raw = pdf_text(adopted["pdf"])
    people = read_document(KLOVERDAL / "bilag-a.yaml").data["people"]
    for person in people:
        first, *rest = person["name"].split()
        for word in [first, *rest]:
            for k in range(2, len(word) - 1):
                assert f"{word[:k]}-\n{word[k:]}" not in raw, word


def test_pdf_keeps_a_short_table_on_one_page(adopted):
    pages = [normal(p.extract_text() or "") for p in pdf_reader(adopted["pdf"]).pages]
    # the change log (six rows) and the call order are each on a single page
    for first, last in (("27. februar 2025 Opfølgning", "16. november 2026 Bilag A og F"),
                        ("Nr. Rolle Person Telefon", "Anders Kjær +45 94 41 10 11")):
        on = [i for i, p in enumerate(pages) if first in p or last in p]
        assert len(set(on)) == 1, (first, on)


# -- 6. HTML on a phone ----------------------------------------------------------------------

def test_html_has_quick_links_and_one_self_contained_file(adopted):
    page = html_page(adopted["html"])
    source = adopted["html"].read_text("utf-8")
    nav = source[source.index('<nav class="quicklinks"'):source.index("</nav>")]
    assert source.index("<nav") < source.index("<main>")
    hrefs = re.findall(r'href="#([^"]+)">([^<]+)<', nav)
    assert [t for _, t in hrefs] == ["Indhold", "Kaldeliste", "Alarmeringsliste", "Actioncards"]
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert all(h in ids for h, _ in hrefs)
    assert dict((t, h) for h, t in hrefs)["Kaldeliste"] == "s-3-3"  # 2.3 shows the call order
    assert 'content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:"' in source
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "iframe", "object")
        assert not (attrs.get("src") or "data:").startswith(("http", "//", "file"))
    # every body cell of a table knows its column's heading, for the card layout
    cells = [attrs for tag, attrs in page.tags if tag == "td"]
    assert cells and sum(1 for c in cells if c.get("data-label")) > 0.9 * len(cells)
    assert 'data-label="Telefon og e-mail"' in source
    # numbers and addresses are links that never wrap
    assert re.search(r'<a href="tel:\+4594411001" class="nowrap">\+45 94 41 10 01</a>', source)
    assert '<a href="mailto:karen.holm@kloverdal.example" class="nowrap">' in source


@pytest.mark.parametrize("width", [390, 1280])
def test_html_has_no_horizontal_overflow(width, adopted, page_at):
    page = page_at(width)
    page.goto(adopted["html"].as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wider = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                     && !e.closest('.table-wrap'))
        .map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40))""")
    assert wider == []
    # the quick links stay at the top however far down one reads
    page.evaluate("document.getElementById('annex-6').scrollIntoView()")
    top = page.evaluate("document.querySelector('.quicklinks').getBoundingClientRect().top")
    assert top == 0
    assert page.console_errors == []


def test_html_on_a_phone_shows_tables_as_cards_and_breaks_no_number(adopted, page_at):
    page = page_at(390)
    page.goto(adopted["html"].as_uri() + "#annex-1")
    display = page.evaluate("getComputedStyle(document.querySelector('#annex-1 ~ div table.cards"
                            " tr')).display")
    assert display == "block"
    # every phone link is on one line: as high as one line of its text
    heights = page.evaluate("""() => [...document.querySelectorAll('a.nowrap')]
        .map(a => [a.getClientRects().length, a.textContent])""")
    assert heights and all(n == 1 for n, _ in heights), [h for h in heights if h[0] != 1][:5]
    # the chart for phones is the one shown
    shown = page.evaluate("""() => [...document.querySelectorAll('.orgchart > div')]
        .map(d => [d.className, getComputedStyle(d).display])""")
    assert shown == [["wide", "none"], ["narrow", "block"]]


# -- 7. DOCX ---------------------------------------------------------------------------------

def test_docx_asks_word_to_update_fields_and_lists_page_numbers(adopted):
    settings = docx_part(adopted["docx"], "word/settings.xml")
    assert '<w:updateFields w:val="true" />' in settings
    xml = docx_part(adopted["docx"], "word/document.xml")
    bookmarks = set(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)" />', xml))
    pagerefs = re.findall(r"PAGEREF ([\w-]+) \\h", xml)
    assert len(pagerefs) >= len(ADOPTED) and set(pagerefs) <= bookmarks
    # each heading's bookmark is inside the heading's paragraph
    for name in ("s-2-2", "s-5-4", "annex-1"):
        match = re.search(r'<w:p><w:pPr><w:pStyle w:val="Heading\d" /></w:pPr><w:bookmarkStart '
                          r'w:id="\d+" w:name="' + name + '" />', xml)
        assert match, name


def test_docx_keeps_rows_and_short_tables_together(adopted):
    document = docx_document(adopted["docx"])
    xml = docx_part(adopted["docx"], "word/document.xml")
    rows = re.findall(r"<w:tr>(.*?)</w:tr>", xml, re.S)
    assert rows and all("<w:cantSplit />" in r for r in rows)
    table = next(t for t in document.tables if t.cell(0, 0).text == "Nr.")  # the call order
    paragraphs = [p for row in table.rows[:-1] for cell in row.cells for p in cell.paragraphs]
    assert all(p.paragraph_format.keep_with_next for p in paragraphs)
    assert not any(p.paragraph_format.keep_with_next
                   for cell in table.rows[-1].cells for p in cell.paragraphs)


def test_docx_footer_counts_pages_in_the_plans_language(adopted, tmp_path):
    footer = docx_part(adopted["docx"], "word/footer1.xml")
    text = normal(re.sub(r"<[^>]+>", " ", footer))
    assert "Side" in text and " af " in f" {text} "
    assert footer.index("Side") < footer.index(" PAGE ") < footer.index(">af<") \
        if ">af<" in footer else footer.index(" NUMPAGES ")
    result, files = render(RENDER / "nordby", tmp_path, "--to", "docx")
    assert result.exit_code == 0, result.stderr
    footer = normal(re.sub(r"<[^>]+>", " ", docx_part(files["docx"], "word/footer1.xml")))
    assert "Side" in footer and " av " in footer


def test_docx_columns_are_wide_enough_for_their_longest_word(adopted):
    document = docx_document(adopted["docx"])
    table = next(t for t in document.tables if t.cell(0, 0).text == "Navn"
                 and len(t.columns) == 4)  # the alert list
    widths = [int(col.w) for col in table._tbl.tblGrid.gridCol_lst]
    assert len(widths) == len(table.columns) == 4
    # the e-mail column holds the longest address at 9 pt (0.5 em a character)
    longest = max(len(p["email"]) for p in read_document(KLOVERDAL / "bilag-a.yaml")
                  .data["people"] if p.get("email"))
    assert widths[2] / sum(widths) * 482 >= longest * 0.5 * 9


# -- 8. title page and branding ------------------------------------------------------------

@pytest.mark.parametrize("audience", ["internal", "public"])
def test_title_page_says_it_as_a_municipality_would(audience, adopted, adopted_public):
    files = adopted if audience == "internal" else adopted_public
    first = normal(pdf_reader(files["pdf"]).pages[0].extract_text())
    assert "Godkendt af Kommunalbestyrelsen 8. oktober 2025, sag 24/1187" in first
    assert "kontrolsum" not in first and "digest" not in first
    md = normal(files["md"].read_text("utf-8").replace("\\", ""))
    changelog = _between(md, "# Ændringslog", "Indholdsfortegnelse")
    assert "8. oktober 2025 | Godkendt af Kommunalbestyrelsen 8. oktober 2025, sag 24/1187" \
        in changelog
    assert "Indsendt til Styrelsen for Samfundssikkerhed" in changelog
    if audience == "internal":
        assert "registreret uden kontrolsum" in changelog
    else:
        assert "kontrolsum" not in md


def png(width: int = 4, height: int = 6) -> bytes:
    """A small valid PNG (a blue rectangle)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x0f\x3a\x5c" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                                  0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = png()
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="60" height="80" viewBox="0 0 60 80">'
       '<path d="M5 5h50v40c0 20-25 30-25 30S5 65 5 45z" fill="#0f3a5c"/></svg>')


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_the_logo_is_embedded_in_every_format(kind, tmp_path):
    plan = plan_copy(tmp_path)
    logo = tmp_path / "branding" / f"vaaben.{kind}"
    logo.parent.mkdir()
    logo.write_bytes(PNG if kind == "png" else SVG.encode())
    replace_in(plan / "plan.yaml", 'municipality_number: "952"}',
               f'municipality_number: "952", logo: ../branding/vaaben.{kind}}}')
    result, files = render(plan, tmp_path / "out", "--to", "docx,pdf,html")
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(files["docx"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert any(z.read(n).startswith(b"\x89PNG") for n in media)  # SVG drawn as PNG
    document = docx_document(files["docx"])
    assert document.inline_shapes and document.inline_shapes[0].height > 0
    source = files["html"].read_text("utf-8")
    mime = "image/png" if kind == "png" else "image/svg+xml"
    assert re.search(f'<img class="logo" src="data:{re.escape(mime)};base64,[A-Za-z0-9+/=]+"',
                     source)
    assert source.index('class="logo"') < source.index('class="doc-title"')
    first = pdf_reader(files["pdf"]).pages[0]
    resources = first["/Resources"]
    assert resources.get("/XObject") or kind == "svg" and "/Pattern" not in resources
    if kind == "png":
        assert any(x.get_object().get("/Subtype") == "/Image"
                   for x in resources["/XObject"].values())


def test_a_logo_outside_the_repository_is_refused(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    plan = plan_copy(repo)
    (tmp_path / "outside.png").write_bytes(PNG)
    replace_in(plan / "plan.yaml", 'municipality_number: "952"}',
               'municipality_number: "952", logo: ../../outside.png}')
    result, files = render(plan, tmp_path / "out", "--to", "html")
    assert result.exit_code == 1
    assert "organization.logo" in result.stderr and "outside the repository" in result.stderr
    assert "Traceback" not in result.stderr
    assert not files["html"].exists()
    replace_in(plan / "plan.yaml", "logo: ../../outside.png}", "logo: plan.yaml.png}")
    (plan / "plan.yaml.png").write_text("not a picture", "utf-8")
    result, _ = render(plan, tmp_path / "out", "--to", "html")
    assert result.exit_code == 1 and "neither a PNG nor an SVG" in result.stderr


def test_logo_and_word_styles_from_the_repository_settings(tmp_path):
    repo = tmp_path
    plan = plan_copy(repo)
    (repo / "branding").mkdir()
    (repo / "branding" / "logo.png").write_bytes(PNG)
    styles = repo / "branding" / "kommune.docx"
    with zipfile.ZipFile(REPO / "templates" / "reference.docx") as source, \
            zipfile.ZipFile(styles, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/styles.xml":
                data = data.replace(b'w:val="0F4761"', b'w:val="7A1F1F"')  # their heading colour
            target.writestr(item, data)
    (repo / "beredskap.yaml").write_text(
        "render:\n  logo: branding/logo.png\n  reference_docx: branding/kommune.docx\n", "utf-8")
    result, files = render(plan, tmp_path / "out", "--to", "docx,html")
    assert result.exit_code == 0, result.stderr
    assert 'class="logo" src="data:image/png;base64,' in files["html"].read_text("utf-8")
    assert "7A1F1F" in docx_part(files["docx"], "word/styles.xml")
    (repo / "beredskap.yaml").write_text("render:\n  reference_docx: ../elsewhere.docx\n", "utf-8")
    result, _ = render(plan, tmp_path / "out2", "--to", "docx")
    assert result.exit_code == 1 and "render.reference_docx" in result.stderr


# -- 9. the organisation chart --------------------------------------------------------------

def test_the_organisation_chart_is_drawn_where_staff_is_shown(adopted):
    source = adopted["html"].read_text("utf-8")
    chart = source[source.index('<figure class="orgchart">'):source.index("</figure>")]
    section = source[source.index('id="s-4-2"'):source.index('id="s-4-3"')]
    assert chart in section and source.count('<figure class="orgchart">') == 1
    assert chart.count("<svg") == 2  # one for wide screens, one for phones
    for text in ("Kaldes i denne rækkefølge", "1. Beredskabschef, Beredskab Nordkyst",
                 "Den rammesættende krisestyringsstab", "Leder: Borgmester – Karen Holm",
                 "Krisesekretariatet"):
        assert text in chart, text
    # the chart's text is vector text in the PDF, on the page of section 3.2
    pages = [normal(p.extract_text() or "") for p in pdf_reader(adopted["pdf"]).pages]
    page = next(p for p in pages if "3.2 Krisestyringsstabens sammensætning og kapacitet – "
                "en dynamisk størrelse Krisestyringsarbejdet" in p)
    assert "Kaldes i denne rækkefølge" in page and "Leder: Kommunaldirektør – Mette Frandsen" \
        in page
    # a picture in the DOCX
    document = docx_document(adopted["docx"])
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(adopted["docx"]) as z:
        assert [n for n in z.namelist() if n.startswith("word/media/")
                and z.read(n).startswith(b"\x89PNG")]


def test_the_chart_hangs_a_staff_below_the_staff_its_lead_sits_in():
    from beredskapsplan.render import orgchart

    units = [orgchart.Unit("Rammesættende", ("Borgmester", "A"), []),
             orgchart.Unit("Operationel", ("Kommunaldirektør", "B"), []),
             orgchart.Unit("Sekretariat", ("Tovholder", "C"), [])]
    orgchart.hang(units, ["borgmester", "kommunaldirektor", "tovholder"],
                  [["borgmester", "kommunaldirektor"], ["kommunaldirektor", "borgmester",
                                                         "tovholder"], ["tovholder"]])
    assert [u.parent for u in units] == [None, 0, 1]
    drawing = orgchart.svg(orgchart.Chart("Org", "Kald", "Leder", [("Borgmester", "A")], units),
                           orgchart.PHONE)
    assert drawing.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert drawing.width <= 370 and "Sekretariat" in drawing.svg


# -- determinism -----------------------------------------------------------------------------

def test_the_same_plan_gives_the_same_files(adopted, tmp_path):
    result, files = render(KLOVERDAL, tmp_path)
    assert result.exit_code == 0, result.stderr
    for fmt in FORMATS:
        assert files[fmt].read_bytes() == adopted[fmt].read_bytes(), fmt


def test_the_example_plans_render_cleanly(tmp_path):
    for plan in ("bogelund", "fjellvik"):
        for audience in ("internal", "public"):
            result, files = render(REPO / "plans" / plan, tmp_path / plan / audience,
                                   "--audience", audience, "--to", "html,md")
            assert result.exit_code == 0, result.stderr
            text = files["md"].read_text("utf-8")
            assert "BKFRAG" not in text and "#" in text


# -- the pieces ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1. Udarbejd dagsorden", "1\\. Udarbejd dagsorden"),
    ("2) Ring til borgmesteren", "2\\) Ring til borgmesteren"),
    ("(iv) Luk netværket", "\\(iv\\) Luk netværket"),
    ("- Skriv referat", "\\- Skriv referat"),
    ("# Overskrift", "\\# Overskrift"),
    ("> citat", "\\> citat"),
    ("---", "\\---"),
    ("**Ring** til 112", "**Ring** til 112"),  # emphasis stays emphasis
    ("Ring til\n  borgmesteren\n\n  og direktøren", "Ring til borgmesteren og direktøren"),
    ("Dr. Hansen ringer", "Dr\\. Hansen ringer"),
])
def test_step_text_is_one_paragraph(text, expected):
    from beredskapsplan.render.markdown import one_paragraph

    assert one_paragraph(text) == expected


def test_auto_numbers_skip_unnumbered_sections_and_their_sub_sections():
    from beredskapsplan import model as m
    from beredskapsplan.render.structure import section_places

    def section(title, numbered=True, number=None, children=()):
        return m.Section(title, None, title=title, number=number, numbered=numbered,
                         sections=list(children))

    tree = [section("Forord", numbered=False, children=[section("Om planen")]),
            section("Formål", number="1.0", children=[section("Præmisser", number="1.1"),
                                                      section("Note", numbered=False),
                                                      section("Niveauer", number="1.3")]),
            section("Aktivering", number="2.0")]
    flat = [tree[0], tree[0].sections[0], tree[1], *tree[1].sections, tree[2]]
    auto = section_places(tree, "auto")
    assert [auto[id(s)].number for s in flat] == [None, None, "1", "1.1", None, "1.2", "2"]
    adopted = section_places(tree, "as-adopted")
    assert [adopted[id(s)].number for s in flat] == [None, None, "1.0", "1.1", None, "1.3",
                                                     "2.0"]
    assert {p.number for p in section_places(tree, "none").values()} == {None}
    anchors = [auto[id(s)].anchor for s in flat]
    assert anchors == ["s-1", "s-1-1", "s-2", "s-2-1", "s-2-2", "s-2-3", "s-3"]


def test_phone_numbers_in_running_text_become_links():
    from beredskapsplan.render.links import contact_links
    from beredskapsplan.render.tree import words

    def linked(text):
        found = []
        contact_links([{"t": "Para", "c": words(text)}],
                      lambda kind, target, inlines: found.append(target) or inlines)
        return found

    assert linked("Ring 47 97 40 00 eller +45 47 97 40 01.") == ["tel:47974000",
                                                                  "tel:+4547974001"]
    assert linked("Skriv til kommune@kloverdal.example, så svarer vi.") == \
        ["mailto:kommune@kloverdal.example"]
    assert linked("Norsk: 815 00 000 og (22 33 44 55)") == ["tel:81500000", "tel:22334455"]
    # not numbers: dates, years, amounts, too few digits
    assert linked("8. oktober 2025, i 2024 og 2025, 3 døgn, 12 34 56") == []


def test_empty_columns_are_left_out_and_the_rest_keep_their_proportions():
    from beredskapsplan.render.tables import drop_empty_columns

    def cell(text):
        return [["", [], []], {"t": "AlignDefault"}, 1, 1,
                [{"t": "Plain", "c": [{"t": "Str", "c": text}]}] if text else []]

    def row(*texts):
        return [["", [], []], [cell(t) for t in texts]]

    specs = [[{"t": "AlignLeft"}, {"t": "ColWidth", "c": w}] for w in (0.2, 0.3, 0.5)]
    table = {"t": "Table", "c": [["", [], []], [None, []], specs,
                                 [["", [], []], [row("A", "B", "C")]],
                                 [[["", [], []], 0, [], [row("1", "", "x"), row("2", "", "")]]],
                                 [["", [], []], []]]}
    [out] = drop_empty_columns([table])
    assert [c[4][0]["c"][0]["c"] for c in out["c"][3][1][0][1]] == ["A", "C"]
    widths = [s[1]["c"] for s in out["c"][2]]
    assert widths == pytest.approx([0.2 / 0.7, 0.5 / 0.7])


def test_the_call_order_goes_on_to_the_external_partners(tmp_path):
    """`activation.partners` are alerted after the municipality's own roles: the council
    document lists them after the call order, numbered on, with their numbers and contact
    people; the public version leaves out a contact's private number."""
    plan = Path(shutil.copytree(REPO / "plans" / "fjellvik", tmp_path / "fjellvik"))
    (tmp_path / ".git").mkdir()
    replace_in(plan / "vedlegg-d-samarbeidspartnere.yaml",
               '          - {number: "880 64 210", label: tjenestetelefon}\n',
               '          - {number: "880 64 210", label: tjenestetelefon}\n'
               '          - {number: "915 55 210", label: mobil, private: true}\n')
    for audience, private_shown in (("internal", True), ("public", False)):
        result, files = render(plan, tmp_path / audience, "--to", "docx", "--audience",
                               audience)
        assert result.exit_code == 0, result.stderr
        tables = docx_document(files["docx"]).tables
        [partners] = [t for t in tables if normal(t.rows[0].cells[1].text) == "Samarbeidspartner"]
        rows = [[normal(c.text) for c in row.cells] for row in partners.rows[1:]]
        assert [r[0] for r in rows if r[0]] == ["4.", "5.", "6."]
        assert rows[0][1] == "Møre og Romsdal 110-sentral" and "880 64 110" in rows[0][3]
        police = next(i for i, r in enumerate(rows) if r[1].startswith("Møre og Romsdal politi"))
        contact = rows[police + 1]
        assert contact[2].startswith("Politikontakten for Fjellvik")
        assert "880 64 210" in contact[3]
        assert ("915 55 210" in contact[3]) is private_shown
        # the partners' e-mail addresses and the call order's own rows stay where they were
        assert not any("@" in cell for row in rows for cell in row)


# -- 10. tables across pages and narrow columns (the example plans) -----------------------

@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = {}
    for plan in ("bogelund", "fjellvik"):
        result, files = render(REPO / "plans" / plan, tmp_path_factory.mktemp(plan),
                               "--to", "docx,pdf,html")
        assert result.exit_code == 0, result.stderr
        out[plan] = files
    return out


def _mul(a: list[float], b: list[float]) -> list[float]:
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4],
            a[4] * b[1] + a[5] * b[3] + b[5]]


def _point(m: list[float], x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def table_parts(path: Path, footer: float = 75.0) -> list[tuple[list[int], int]]:
    """For each page of a PDF, from top to bottom: the number of body rows of each piece of
    table on it (row lines between the left border's ends, less the heading row), and how
    many pieces of text lie outside the tables and above the footer."""
    from pypdf.generic import ContentStream

    reader = pdf_reader(path)
    pages = []
    for page in reader.pages:
        ctm, stack, lines, at = [1.0, 0, 0, 1.0, 0, 0], [], [], None
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop()
            elif op == b"cm":
                ctm = _mul([float(v) for v in operands], ctm)
            elif op == b"m":
                at = _point(ctm, *map(float, operands))
            elif op == b"l" and at:
                end = _point(ctm, *map(float, operands))
                lines.append((at, end))
                at = end
        borders = sorted((min(a[1], b[1]), max(a[1], b[1])) for a, b in lines
                         if abs(a[0] - b[0]) < 0.1 and abs(a[1] - b[1]) > 5)
        regions: list[list[float]] = []
        for low, high in borders:
            if regions and low <= regions[-1][1] + 0.5:
                regions[-1][1] = max(regions[-1][1], high)
            else:
                regions.append([low, high])
        rules = [a[1] for a, b in lines if abs(a[1] - b[1]) < 0.1 and abs(a[0] - b[0]) > 20]
        tables = []
        for low, high in reversed(regions):  # top first
            ys = {round(y, 1) for y in rules if low - 1 <= y <= high + 1}
            if len(ys) >= 2:  # a drawn box without rows (a checkbox) is no table
                tables.append((low, high, len(ys) - 2))
        texts: list[float] = []
        page.extract_text(visitor_text=lambda text, cm, tm, font, size: texts.append(
            _point(_mul(tm, cm), 0, 0)[1]) if text.strip() else None)
        other = [y for y in texts if y > footer
                 and not any(low - 2 <= y <= high + 2 for low, high, _ in tables)]
        pages.append(([n for *_, n in tables], len(other),
                      bool(tables) and tables[0][1] >= float(page.mediabox.height) - 63))
    return pages


@pytest.mark.parametrize("plan", ["bogelund", "fjellvik"])
def test_pdf_leaves_no_page_with_a_few_rows_of_a_table(plan, examples):
    pages = table_parts(examples[plan]["pdf"])
    assert sum(len(rows) for rows, _, _ in pages) > 20  # the tables were found
    for number, (rows, other, _) in enumerate(pages, 1):
        assert other or not rows or min(rows) >= 4, (number, rows)
    # where a table goes on at the top of the next page, each page has rows enough of it
    # (an action card's contacts included)
    for number, ((rows, _, _), (next_rows, _, continued)) in enumerate(zip(pages, pages[1:]), 1):
        if rows and continued:
            assert rows[-1] >= 2 and next_rows[0] >= 3, (number, rows[-1], next_rows[0])


def test_keep_groups_keeps_short_tables_whole_and_long_ones_with_their_ends():
    from beredskapsplan.render.tables import KEEP_FIRST, KEEP_LAST, keep_groups

    assert [keep_groups(n) for n in (1, 2, 5, 7)] == [(1, 0), (2, 0), (5, 0), (7, 0)]
    assert keep_groups(8) == keep_groups(30) == (KEEP_FIRST, KEEP_LAST) == (3, 4)
    # a short table too tall for a page's remaining room breaks once, never before row 2
    assert [keep_groups(n, tall=True) for n in (3, 4, 6, 7)] == [(3, 0), (2, 2), (2, 4), (3, 4)]


def _docx_rows(xml: str) -> list[list[str]]:
    return [re.findall(r"<w:p>.*?</w:p>", row, re.S)
            for row in re.findall(r"<w:tr>.*?</w:tr>", xml, re.S)]


def test_docx_keeps_a_long_tables_first_and_last_rows_together(examples):
    xml = docx_part(examples["fjellvik"]["docx"], "word/document.xml")
    assert "beredskap:" not in xml  # the marks for finishing the file are gone
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    alert = next(t for t in tables if "Sikkerhetsklarert" in t)  # the alert list
    rows = _docx_rows(alert)
    assert len(rows) > 12 and "<w:tblHeader" in alert.split("</w:trPr>")[0]
    kept = [all("<w:keepNext />" in p for p in row) for row in rows]
    # heading and three rows; the last four; nothing tied in between
    assert kept == [True] * 3 + [False] * (len(rows) - 7) + [True] * 3 + [False]
    # a short table is kept whole: the exercises (six rows)
    exercises = next(t for t in tables if re.sub("<[^>]+>", "", t).startswith("DatoØvelse"))
    kept = [all("<w:keepNext />" in p for p in row) for row in _docx_rows(exercises)]
    assert len(kept) <= 8 and kept == [True] * (len(kept) - 1) + [False]


_WORD_BREAKS = re.compile(r"[ \t\n\u200b]+")  # not a no-break space: a number stays whole


def _docx_cell_units(xml: str) -> list[tuple[int, float, list[str]]]:
    """Every cell of the DOCX's tables of set widths (as wide as the text): its column, its
    width in points, its text size and its unbreakable pieces of text."""
    page = int(re.search(r'<w:pgSz [^>]*w:w="(\d+)"', xml).group(1))
    margins = sum(int(re.search(f'<w:pgMar [^>]*w:{side}="(\\d+)"', xml).group(1))
                  for side in ("left", "right"))
    out = []
    for table in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S):
        if '<w:tblW w:type="pct" w:w="5000" />' not in table:
            continue  # no widths given: Word and LibreOffice fit the columns to the text
        grid = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"', table)]
        widths = [w / sum(grid) * (page - margins) / 20 for w in grid]
        for row in re.findall(r"<w:tr>.*?</w:tr>", table, re.S):
            k = 0
            for cell in re.findall(r"<w:tc>.*?</w:tc>", row, re.S):
                span = int((re.findall(r'<w:gridSpan w:val="(\d+)"', cell) or ["1"])[0])
                text = "\n".join(
                    "".join("\n" if m.group(1) is None else m.group(1) for m in
                            re.finditer(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|<w:br", p))
                    for p in re.findall(r"<w:p>.*?</w:p>", cell, re.S)).replace("&amp;", "&")
                sizes = [int(s) / 2 for s in re.findall(r'<w:sz w:val="(\d+)"', cell)] or [9]
                out.append((k, sum(widths[k:k + span]), max(sizes),
                            [u for u in _WORD_BREAKS.split(text) if u]))
                k += span
    return out


@pytest.mark.parametrize("plan", ["bogelund", "fjellvik"])
def test_docx_columns_hold_every_word_of_the_example_plans(plan, examples):
    xml = docx_part(examples[plan]["docx"], "word/document.xml")
    cells = _docx_cell_units(xml)
    assert len(cells) > 200
    for _column, width, size, units in cells:
        for unit in units:
            # half an em a character and the cell's padding: no letter of it on a line of
            # its own (LibreOffice's fallback font is wider; see the test below)
            assert len(unit) * size * 0.5 + 10 <= width, (unit, width, size)
    # the partners' addresses may break after the "@" only, in the shown text
    shown = next(text for text in ("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", t))
                                   for t in re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S))
                 if re.match("Samarbe[ij]dspartner", text))
    assert "@\u200b" in shown and "\u200b" not in shown.replace("@\u200b", "")
    rels = docx_part(examples[plan]["docx"], "word/_rels/document.xml.rels")
    assert "mailto:" in rels and "\u200b" not in rels  # the link goes to the address itself


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
@pytest.mark.parametrize("plan", ["bogelund", "fjellvik"])
def test_libreoffice_breaks_no_word_of_the_docx_tables(plan, examples, tmp_path):
    import subprocess

    docx = examples[plan]["docx"]
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / (docx.stem + ".pdf")
    xml = docx_part(docx, "word/document.xml")
    cells = {u.replace("\u200b", "") for *_, units in _docx_cell_units(xml) for u in units}
    words = set(normal(re.sub(r"<w:br />|</w:p>", " ", re.sub(r"<(?!w:br|/w:p)[^>]+>", "", xml))
                       .replace("\u200b", "")).split())
    broken = []
    for number, page in enumerate(pdf_reader(pdf).pages, 1):
        tokens = (page.extract_text() or "").replace("\u200b", "").split()
        for a, b in zip(tokens, tokens[1:]):
            # a piece that is no word of the document, and with the next one a cell's word
            # (a break after the "@" of an address or at a word's own hyphen is allowed)
            if a + b in cells and a not in words and not a.endswith(("@", "-")):
                broken.append((number, a, b))
    assert len(cells) > 500 and not broken
    # and the Word file leaves no page with a few rows of a table alone either
    for number, (rows, other, _) in enumerate(table_parts(pdf), 1):
        assert other or not rows or min(rows) >= 4, (number, rows)


def test_the_norwegian_example_shows_its_coat_of_arms_in_every_format(examples):
    import base64

    files = examples["fjellvik"]
    plan = read_document(REPO / "plans" / "fjellvik" / "plan.yaml").data
    logo = REPO / "plans" / "fjellvik" / plan["organization"]["logo"]
    svg = logo.read_bytes()
    assert logo.suffix == ".svg" and svg.lstrip().startswith(b"<svg")
    # HTML: the file itself, before the title
    source = files["html"].read_text("utf-8")
    found = re.search(r'<img class="logo" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"',
                      source)
    assert found and base64.b64decode(found.group(1)) == svg
    assert found.start() < source.index('class="doc-title"')
    # PDF: drawn as vectors on the title page, in the shield's blue, above the title
    blue = re.search(rb'fill="#([0-9a-f]{6})"', svg).group(1).decode()
    rgb = " ".join(f"{int(blue[i:i + 2], 16) / 255:.4f}" for i in (0, 2, 4))
    reader = pdf_reader(files["pdf"])

    def colours(page) -> set[str]:
        ops = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) scn", page.get_contents().get_data())
        return {" ".join(f"{float(v):.4f}" for v in op) for op in ops}

    assert rgb in colours(reader.pages[0]) and rgb not in colours(reader.pages[1])
    # DOCX: drawn as a PNG, the title page's first picture
    xml = docx_part(files["docx"], "word/document.xml")
    assert xml.index("<w:drawing>") < xml.index("Overordnet beredskapsplan")
    with zipfile.ZipFile(files["docx"]) as z:
        assert any(z.read(n).startswith(b"\x89PNG") for n in z.namelist()
                   if n.startswith("word/media/"))
    assert docx_document(files["docx"]).inline_shapes[0].height > 0
