"""`beredskap render`: the council document in DOCX, PDF, HTML and Markdown.

The outputs are read back: DOCX as its XML parts, PDF as the text of each page
(pypdf), HTML as source and parsed tags, Markdown as text.
"""
from __future__ import annotations

import html.parser
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from beredskapsplan import digest
from beredskapsplan.documents import read_document
from conftest import FIXTURES, PLANS, REPO, TODAY, run, tree_checksum


RENDER = FIXTURES / "render"
FORMATS = ("docx", "pdf", "html", "md")


# -- reading outputs back ------------------------------------------------------------------

def normal(text: str) -> str:
    """Text as a reader sees it: no break hints, ordinary spaces."""
    text = text.replace("\u200b", "").replace("\u00ad", "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text)


def docx_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()
                if n.endswith(".xml") or n.endswith(".rels")}


def docx_paragraphs(xml: str) -> list[str]:
    paras = []
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
        paras.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)))
    return paras


def docx_text(path: Path) -> str:
    """Every part (document, header, footer, properties): paragraph text and raw XML."""
    parts = docx_parts(path)
    texts = []
    for xml in parts.values():
        texts.append(xml)
        texts.append("\n".join(docx_paragraphs(xml)))
    return normal(unescape("\n".join(texts)))


def unescape(text: str) -> str:
    return html.unescape(text)


def pdf_reader(path: Path):
    pypdf = pytest.importorskip("pypdf")  # a test dependency: reads the PDF's text back
    return pypdf.PdfReader(path)


def pdf_pages(path: Path) -> list[str]:
    return [normal(page.extract_text() or "") for page in pdf_reader(path).pages]


def all_text(files: dict[str, Path]) -> dict[str, str]:
    return {
        "docx": docx_text(files["docx"]),
        "pdf": " ".join(pdf_pages(files["pdf"])),
        "html": normal(unescape(files["html"].read_text(encoding="utf-8"))),
        "md": normal(re.sub(r"\\(.)", r"\1", files["md"].read_text(encoding="utf-8"))),
    }


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, list]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def html_tags(path: Path) -> list[tuple[str, list]]:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


# -- rendering -----------------------------------------------------------------------------

def render(plan: Path, out: Path, *args: str) -> tuple:
    result = run("render", str(plan), "--out", str(out), "--today", TODAY, *args)
    return result, {fmt: out / f"{plan.name}{'-public' if 'public' in args else ''}.{fmt}"
                    for fmt in FORMATS}


def rendered(factory, folder: str, plan: str, *args: str) -> dict[str, Path]:
    """The files of a render that must succeed, in a fresh folder."""
    result, files = render(RENDER / plan, factory.mktemp(folder), *args)
    assert result.exit_code == 0, result.stderr
    return files


@pytest.fixture(scope="module")
def internal(tmp_path_factory) -> dict[str, Path]:
    return rendered(tmp_path_factory, "internal", "bakkeby")


@pytest.fixture(scope="module")
def public(tmp_path_factory) -> dict[str, Path]:
    return rendered(tmp_path_factory, "public", "bakkeby", "--audience", "public")


@pytest.fixture(scope="module")
def norwegian(tmp_path_factory) -> dict[str, Path]:
    return rendered(tmp_path_factory, "nb", "nordby")


def copy_plan(tmp_path: Path, name: str = "bakkeby") -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    return Path(shutil.copytree(RENDER / name, tmp_path / name))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- the files -----------------------------------------------------------------------------

def test_writes_every_format_named_after_the_plan_folder(internal, public):
    for files in (internal, public):
        for fmt, path in files.items():
            assert path.is_file() and path.stat().st_size > 0, fmt
    assert internal["pdf"].read_bytes().startswith(b"%PDF")
    assert zipfile.is_zipfile(internal["docx"])
    assert public["md"].name == "bakkeby-public.md"


def test_only_requested_formats(tmp_path):
    result, files = render(RENDER / "bakkeby", tmp_path, "--to", "html,md")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bakkeby.html", "bakkeby.md"]


def test_sections_in_order_with_numbers(internal):
    order = ["Ændringslog", "1 Formål med planen", "1.1 Lovgrundlag",
             "1.2 Revision og godkendelse", "2 Krisestyring", "3 Sikringsrum og adgangsforhold",
             "4 Krisekommunikation", "5 Beredskabsniveauer", "6 Roller og ansvar",
             "7 Krisestyringsstabe og støttefunktioner", "8 Aktivering af krisestyringen",
             "Bilag A – Alarmeringsliste", "Bilag B – Ressourcer",
             "Bilag C – Beredskabsplaner",
             "Bilag D – Samarbejdspartnere", "Bilag E – Skabeloner", "Bilag F – Actioncards",
             "F.1 Indkaldelse af krisestyringsstaben", "F.2 Pressehåndtering",
             "F.3 Adgang til sikringsrummet", "Bilag G – Sikringsgruppens vagtliste"]
    md = internal["md"].read_text(encoding="utf-8")
    headings = [normal(re.sub(r"\s*\{#[^}]*\}$", "", line.lstrip("# ")))
                for line in md.splitlines() if line.startswith("#")]
    assert [h for h in headings if h in order] == order
    xml = docx_parts(internal["docx"])["word/document.xml"]
    after_toc = docx_paragraphs(xml[xml.rindex('<w:pStyle w:val="TOC'):])
    assert [p for p in after_toc if p in order] == order[1:]
    html_text = internal["html"].read_text(encoding="utf-8")
    positions = [html_text.index(f">{h}</h") for h in order]
    assert positions == sorted(positions)


def test_title_page_change_log_and_table_of_contents(internal):
    md = normal(internal["md"].read_text(encoding="utf-8"))
    for text in ("Bakkeby Kommune", "Hovedberedskabsplan", "Krisestyring i Bakkeby Kommune",
                 "Sagsnr. 26/1234", "Første udgave af planen", "Alarmeringslisten opdateret",
                 "Indholdsfortegnelse"):
        assert text in md
    assert md.index("Hovedberedskabsplan") < md.index("Ændringslog") \
        < md.index("Indholdsfortegnelse") < md.index("# 1 Formål")
    pages = pdf_pages(internal["pdf"])
    assert "Hovedberedskabsplan" in pages[0] and "Sagsnr. 26/1234" in pages[0]
    assert any("Indholdsfortegnelse" in p and "Bilag F – Actioncards" in p for p in pages[1:3])


def test_roles_show_holders_by_name_and_staff(internal):
    texts = all_text(internal)
    for text in texts.values():
        assert "1. Karen Holm (primær)" in text
        assert "2. Jens Berg (stedfortræder)" in text
        assert "Krisestyringsstaben" in text and "Lise Krog" in text
    md = internal["md"].read_text(encoding="utf-8")
    assert "karen-holm" not in md and "lise-krog" not in md


def test_activation_call_order_with_phones_and_durations_in_words(internal):
    md = normal(internal["md"].read_text(encoding="utf-8"))
    section = md[md.index("# 8 Aktivering"):md.index("# Bilag A")]
    assert "senest 2 timer efter aktiveringen" in section
    assert "opretholdes i 3 dage" in section
    assert section.index("Beredskabschef") < section.index("Borgmester")
    assert "+45 32 10 20 40 (vagt)" in section
    assert "Ole Dam" in section and "Karen Holm" in section


def test_annexes_as_tables(internal):
    md = normal(internal["md"].read_text(encoding="utf-8"))
    assert "| Karen Holm | Borgmester; Borgmesterkontoret |" in md
    assert "karen.holm@bakkeby.example" in md
    assert "Fortroligt, til 31. maj 2029" in md
    assert "Nødstrømsanlæg" in md and "Rådhusets gård" in md
    assert "Sundhedsberedskabsplan; Lovpligtig plan" in md
    assert "Bakkeby Politi" in md and "per.vagn@politi.example" in md
    assert "udløber 31. december 2028" in md


def test_template_bodies_and_user_text_are_printed_literally(tmp_path):
    plan = copy_plan(tmp_path)
    replace_in(plan / "plan.yaml", "Planen bygger på beredskabsloven § 25.",
               "Tal {{ 7*7 }} og {% if true %}ja{% endif %} og {# x #}.")
    result, files = render(plan, tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    for fmt, text in all_text(files).items():
        assert "{{ 7*7 }}" in text.replace("\\*", "*"), fmt
        assert "{% if true %}ja{% endif %}" in text, fmt
        assert "{{ nummer }}" in text and "{{ kort beskrivelse }}" in text, fmt
        assert "Tal 49" not in text


INJECTION = """\
Første linje.

::: {onclick=alert(1)}
Div-tekst
:::

[x](y){onmouseover=alert(1)} og [a](javascript:alert(1)) og [b](VBScript:msgbox)
og [c](data:text/html;base64,PHNjcmlwdD4=) og ![billede](javascript:alert(3))
og [d](java&#x09;script:alert(4)) og [e](https://example.org/) og [f](#findes-ikke)

# T {#id onclick=x}

<script>alert(1)</script>

`kode`{onclick=y} og [span]{style="color:red" onclick=z}

```{=html}
<b onclick=alert(5)>rå</b>
```

`<i>`{=html} og $x^2$
"""


def test_user_markdown_cannot_inject_markup(tmp_path):
    plan = copy_plan(tmp_path)
    body = "\n".join("      " + line if line else "" for line in INJECTION.splitlines())
    replace_in(plan / "plan.yaml",
               "      Kommunikationsafdelingen svarer pressen og opdaterer bakkeby.example.\n",
               body + "\n")
    result, files = render(plan, tmp_path / "out", "--draft")  # [f](#findes-ikke): unknown-ref
    assert result.exit_code == 0, result.stderr
    tags = html_tags(files["html"])
    assert "script" not in [t for t, _ in tags]
    for tag, attrs in tags:
        for name, value in attrs:
            assert not name.lower().startswith("on"), (tag, name)
            if name == "style":
                assert tag in ("table", "col", "th", "td") and "color" not in value, (tag, value)
            if name in ("href", "src"):
                squeezed = re.sub(r"[\x00-\x20]", "", value or "").lower()
                assert not squeezed.startswith(("javascript:", "vbscript:", "data:")), value
            if name == "id":
                assert value != "id"
    source = files["html"].read_text(encoding="utf-8")
    assert "<b onclick" not in source and "<i>" not in source
    assert 'href="https://example.org/"' in source
    assert "Div-tekst" in source and "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    md = files["md"].read_text(encoding="utf-8")
    assert "javascript:" not in md.lower() and "onclick" not in md.replace("\\", "").split(
        "rå")[0].split("<b")[0]
    assert "{onmouseover" not in md and "{=html}\n" not in md
    rels = docx_parts(files["docx"])["word/_rels/document.xml.rels"]
    assert "javascript" not in rels.lower() and "data:" not in rels.lower()
    assert "https://example.org/" in rels
    assert "Første linje" in " ".join(pdf_pages(files["pdf"]))


def test_public_version_leaves_out_everything_withheld(internal, public):
    secrets = ["Sikringsrum og adgangsforhold", "Serverrumsnøglen", "nøgleboks 17",
               "20 99 88 77", "Fortroligt", "31. maj 2029", "karen.holm@bakkeby.example",
               "jens.berg@bakkeby.example", "per.vagn@politi.example",
               "Plan for kritisk IT-infrastruktur", "Serverrum 2", "Adgang til sikringsrummet",
               "Bent Sikringsvagt", "Sikringsgruppens vagtliste", "sikkerhedsgodkendelse",
               "Sikkerhedsgodkendt"]
    inside = all_text(internal)
    for secret in secrets[:12]:
        assert any(secret in text for text in inside.values()), secret
    for fmt, text in all_text(public).items():
        for secret in secrets:
            assert secret not in text, (fmt, secret)
        assert "Undtaget fra aktindsigt, jf. offentlighedsloven § 33, nr. 1." in text, fmt
        assert "Offentlig udgave" in text, fmt
        assert "vagt@politi.example" in text, fmt  # an organisation's address stays
        assert "+45 32 10 20 30" in text, fmt  # a work number stays
    assert 'colspan="5"' in public["html"].read_text(encoding="utf-8")  # the withheld entry
    ids = [v for _, attrs in html_tags(public["html"]) for k, v in attrs if k == "id"]
    assert not [i for i in ids if "sikring" in i.lower()]
    core = docx_parts(public["docx"])["docProps/core.xml"]
    assert "<dc:title>Hovedberedskabsplan</dc:title>" in core
    assert "<dc:creator>Bakkeby Kommune</dc:creator>" in core


def test_public_version_also_withholds_people_from_a_withheld_file(tmp_path):
    plan = copy_plan(tmp_path)
    replace_in(plan / "bilag-a.yaml", "kind: contacts\n",
               "kind: contacts\nexempt: {basis: \"offentlighedsloven § 33, nr. 1\"}\n")
    result, files = render(plan, tmp_path / "out", "--audience", "public", "--to", "md,html")
    assert result.exit_code == 0, result.stderr
    md = normal(files["md"].read_text(encoding="utf-8"))
    assert "Karen Holm" not in md and "32 10 20 30" not in md
    assert "(undtaget fra aktindsigt)" in md
    assert "Bilag A – Undtaget fra aktindsigt" in md


# -- language, dates and status ------------------------------------------------------------

def test_danish_labels_and_dates(internal):
    for fmt, text in all_text(internal).items():
        for label in ("Ændringslog", "Indholdsfortegnelse", "Roller og ansvar", "Bilag A",
                      "1. marts 2026", "15. september 2026", "Gennemgået 1. oktober 2026",
                      "Udkast til godkendelse i kommunalbestyrelsen"):
            assert label in text, (fmt, label)
        assert "Side" in text or fmt in ("md", "html"), fmt


def test_norwegian_labels_dates_and_durations(norwegian):
    for fmt, text in all_text(norwegian).items():
        for label in ("Endringslogg", "Innhold", "Vedlegg A – Varslingsliste",
                      "Vedtatt av Kommunestyret 8. oktober 2025", "12. juni 2026",
                      "1 time og 30 minutter", "14 døgn", "Saksnr. 26/55"):
            assert label in text, (fmt, label)
        assert "Forslag til behandling" not in text
        assert "Ændringslog" not in text and "Bilag" not in text
    assert "Side 1 av" in pdf_pages(norwegian["pdf"])[0]


def approve(plan: Path, when: str = "2026-10-01") -> None:
    data = read_document(plan / "plan.yaml").data
    line = (f"approvals:\n  - {{date: {when}, by: Kommunalbestyrelsen, case: \"26/99\", "
            f"digest: \"{digest.digest(data)}\"}}\nrevisions:\n")
    replace_in(plan / "plan.yaml", "revisions:\n", line)


@pytest.mark.parametrize("state", ["approved", "changed", "never"])
def test_status_on_title_page_and_in_footer(tmp_path, state):
    plan = copy_plan(tmp_path)
    if state != "never":
        approve(plan)
    if state == "changed":
        replace_in(plan / "plan.yaml", "Leder krisesekretariatet og fører log.",
                   "Leder krisesekretariatet, fører log og indkalder staben.")
    result, files = render(plan, tmp_path / "out", "--to", "docx,pdf,md")
    assert result.exit_code == 0, result.stderr
    md = normal(files["md"].read_text(encoding="utf-8"))
    title_page = md[:md.index("# Ændringslog")]
    footer = normal(unescape(docx_parts(files["docx"])["word/footer1.xml"]))
    first_page = pdf_pages(files["pdf"])[1]
    proposal = "Udkast til godkendelse i kommunalbestyrelsen"
    changelog = md[md.index("# Ændringslog"):md.index("Indholdsfortegnelse")]
    if state == "approved":
        # as a municipality says it; how the approval was checked is for the change log
        assert "Godkendt af Kommunalbestyrelsen 1. oktober 2026, sag 26/99" in title_page
        assert "kontrolsum" not in title_page
        assert "Godkendt af Kommunalbestyrelsen 1. oktober 2026, sag 26/99. Teksten er den, " \
               "der blev godkendt (kontrolsummen stemmer)." in changelog
        assert "Sagsnr. 26/1234" in title_page
        assert proposal not in md
        assert "Godkendt 1. oktober 2026" in footer and "Godkendt 1. oktober 2026" in first_page
    elif state == "changed":
        assert proposal in title_page
        assert "Planen er ændret efter godkendelsen i Kommunalbestyrelsen 1. oktober 2026." \
            in title_page
        assert "kontrolsummen stemmer ikke" in changelog and "kontrolsum" not in title_page
        assert "Ændret efter godkendelsen 1. oktober 2026" in footer
        assert "Ændret efter godkendelsen" in first_page
    else:
        assert proposal in title_page and "Planen er endnu ikke godkendt." in title_page
        assert "Ikke godkendt" in footer and "Ikke godkendt" in first_page
    assert "Version 15. september 2026" in footer


# -- drafts and refusals -------------------------------------------------------------------

def test_a_plan_with_errors_renders_only_as_a_marked_draft(tmp_path):
    plan = copy_plan(tmp_path)
    replace_in(plan / "plan.yaml", "holders: [lise-krog, ole-dam]", "holders: [lise-krog]")
    out = tmp_path / "out"
    result, files = render(plan, out)
    assert result.exit_code == 1
    assert "role-without-deputy" in result.stderr and "--draft" in result.stderr
    assert not out.exists() or not any(out.iterdir())
    result, files = render(plan, out, "--draft")
    assert result.exit_code == 0, result.stderr
    pages = pdf_pages(files["pdf"])
    assert len(pages) > 3 and all("UDKAST" in page for page in pages)
    assert "UDKAST" in normal(unescape(docx_parts(files["docx"])["word/header1.xml"]))
    assert 'class="draft-banner"' in files["html"].read_text(encoding="utf-8")
    assert "UDKAST – planen har valideringsfejl" in normal(files["md"].read_text("utf-8"))


def test_a_valid_plan_has_no_draft_marks(internal):
    assert "UDKAST" not in " ".join(pdf_pages(internal["pdf"]))
    assert "UDKAST" not in docx_parts(internal["docx"])["word/header1.xml"]
    assert "draft-banner" not in internal["html"].read_text(encoding="utf-8").split("<body>")[1]


# -- layout --------------------------------------------------------------------------------

def test_each_action_card_starts_a_new_page(internal):
    pages = pdf_pages(internal["pdf"])
    for title in ("F.1 Indkaldelse af krisestyringsstaben", "F.2 Pressehåndtering",
                  "F.3 Adgang til sikringsrummet"):
        starts = [i for i, page in enumerate(pages) if page.strip().startswith(title)]
        assert len(starts) == 1, title
    xml = docx_parts(internal["docx"])["word/document.xml"]
    for title in ("F.1 Indkaldelse af krisestyringsstaben", "F.2 Pressehåndtering"):
        heading = xml.index(f">{title}</w:t>", xml.rindex('<w:pStyle w:val="TOC'))
        before = xml[:heading]
        between = before[before.rindex('<w:br w:type="page"/>'):before.rindex("<w:p>")]
        assert "<w:t" not in between
    assert "ActionCard" in xml


def test_action_card_steps_have_checkboxes_who_and_within(internal):
    md = normal(internal["md"].read_text(encoding="utf-8"))
    card = md[md.index("## F.1"):md.index("## F.2")]
    assert card.count("☐") == 3
    assert "Hvem: Krisesekretariatets tovholder (Lise Krog) · Senest: 10 minutter efter " \
           "aktivering" in card
    assert "Bakkeby Politi" in card and "+45 32 10 30 00 (vagtcentral)" in card
    assert "Næste gennemgang senest 1. oktober 2027" in card


def test_pdf_is_a4_with_page_numbers_and_danish_letters(internal):
    reader = pdf_reader(internal["pdf"])
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    pages = pdf_pages(internal["pdf"])
    assert f"Side 1 af {len(pages)}" in pages[0]
    assert f"Side {len(pages)} af {len(pages)}" in pages[-1]
    assert all(c in " ".join(pages) for c in "æøåÆ")
    assert "§" in " ".join(pages)
    assert reader.metadata.title == "Hovedberedskabsplan"


def test_html_is_one_self_contained_file_for_phones(internal):
    source = internal["html"].read_text(encoding="utf-8")
    assert '<meta name="viewport"' in source and "<style>" in source
    for tag, attrs in html_tags(internal["html"]):
        assert tag not in ("script", "link", "img", "iframe")
        for name, value in attrs:
            if name == "src":
                pytest.fail(f"external resource {value}")
    assert 'lang="da"' in source
    assert 'href="tel:+4532102040"' in source  # tap to call
    assert 'href="mailto:ole.dam@bakkeby.example"' in source


def test_docx_has_styles_footer_and_table_header(internal):
    parts = docx_parts(internal["docx"])
    assert "tblHeader" in parts["word/document.xml"]
    assert 'w:styleId="Table"' in parts["word/styles.xml"]
    footer = normal(unescape(parts["word/footer1.xml"]))
    assert "Hovedberedskabsplan · Version 15. september 2026" in footer
    assert "PAGE" in footer and "NUMPAGES" in footer


# -- determinism, atomic writes, the plan folder -------------------------------------------

def test_two_renders_are_byte_identical(tmp_path, internal):
    result, files = render(RENDER / "bakkeby", tmp_path)
    assert result.exit_code == 0, result.stderr
    for fmt in FORMATS:
        assert files[fmt].read_bytes() == internal[fmt].read_bytes(), fmt


def test_compiled_templates_kept_between_runs_change_nothing(tmp_path, monkeypatch):
    """Templates compiled once are used again; a damaged or missing store of them, or none
    at all, gives the same document."""
    monkeypatch.setenv("BEREDSKAP_CACHE_DIR", str(tmp_path / "cache"))
    outputs = []
    for step in ("cold", "warm", "damaged", "off"):
        if step == "damaged":
            stored = list((tmp_path / "cache" / "templates").rglob("*.cache"))
            assert stored, "no compiled template was kept"
            for i, path in enumerate(stored):
                path.write_bytes(b"" if i % 2 else path.read_bytes()[:40] + b"\x00garbage")
        if step == "off":
            monkeypatch.setenv("BEREDSKAP_NO_CACHE", "1")
        result, files = render(RENDER / "bakkeby", tmp_path / step, "--to", "md,html")
        assert result.exit_code == 0, result.stderr
        outputs.append((files["md"].read_bytes(), files["html"].read_bytes()))
    assert all(output == outputs[0] for output in outputs)


def test_source_date_epoch_sets_the_docx_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    result, files = render(RENDER / "bakkeby", tmp_path, "--to", "docx")
    assert result.exit_code == 0, result.stderr
    assert "2026-01-01T00:00:00Z" in docx_parts(files["docx"])["docProps/core.xml"]


def test_render_never_changes_the_plan_folder(tmp_path):
    plan = copy_plan(tmp_path)
    before = tree_checksum(plan)
    result, _ = render(plan, tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert tree_checksum(plan) == before
    result, _ = render(plan, plan / "out")
    assert result.exit_code == 2 and "inside the plan folder" in result.stderr
    result = run("render", ".", "--today", TODAY, cwd=plan)  # default out/ is inside
    assert result.exit_code == 2
    assert tree_checksum(plan) == before


def test_no_temporary_or_partial_files(tmp_path, monkeypatch):
    out = tmp_path / "out"
    result, files = render(RENDER / "bakkeby", out)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in files.values())
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    from beredskapsplan.render import pipeline

    def broken(*args, **kwargs):
        raise pipeline.ConvertError("typst could not make the PDF: no fonts")

    monkeypatch.setattr(pipeline, "typst_pdf", broken)
    result, _ = render(RENDER / "bakkeby", out)
    assert result.exit_code == 1 and "no fonts" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_failed_write_leaves_the_old_files_and_no_temporary_file(tmp_path, monkeypatch):
    from beredskapsplan.render import convert

    (tmp_path / "plan.md").write_bytes(b"old md")
    (tmp_path / "plan.pdf").write_bytes(b"old pdf")
    real_replace, calls = os.replace, []

    def second_fails(src, dst):  # the second file cannot be put in place
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(convert.os, "replace", second_fails)
    with pytest.raises(OSError):
        convert.write_all([(tmp_path / "plan.md", b"new md"), (tmp_path / "plan.pdf", b"new pdf"),
                           (tmp_path / "plan.html", b"new html")])
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {
        "plan.md": b"old md", "plan.pdf": b"old pdf"}


# -- options -------------------------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (("--to", "pdf,odt"), "unknown output format odt"),
    (("--audience", "everyone"), "unknown audience"),
    (("--template-dir", "no-such-folder"), "does not exist"),
])
def test_usage_errors(tmp_path, args, message):
    result, _ = render(RENDER / "bakkeby", tmp_path / "out", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_not_a_plan_folder(tmp_path):
    result = run("render", str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = run("render", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "plan.yaml" in result.stderr


def test_template_dir_overrides_by_file_name(tmp_path):
    templates = tmp_path / "templates"
    (templates / "labels").mkdir(parents=True)
    (templates / "title-page.md.j2").write_text(
        "::: doc-title\nEGEN FORSIDE {{ plan.title }}\n:::\n", encoding="utf-8")
    da = (REPO / "templates" / "labels" / "da.yaml").read_text("utf-8")
    (templates / "labels" / "da.yaml").write_text(
        da.replace("changelog: Ændringslog", "changelog: Historik"), encoding="utf-8")
    result, files = render(RENDER / "bakkeby", tmp_path / "out", "--template-dir",
                           str(templates), "--to", "md")
    assert result.exit_code == 0, result.stderr
    md = files["md"].read_text(encoding="utf-8")
    assert "EGEN FORSIDE Hovedberedskabsplan" in md and "# Historik" in md
    assert "Sagsnr." not in md.split("# Historik")[0]


def test_a_broken_template_is_an_error_not_a_traceback(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "changelog.md.j2").write_text("{{ no_such_value }}\n", encoding="utf-8")
    result, _ = render(RENDER / "bakkeby", tmp_path / "out", "--template-dir", str(templates))
    assert result.exit_code == 1
    assert "error in a template" in result.stderr and "no_such_value" in result.stderr


def test_label_files_have_the_same_keys():
    from beredskapsplan.render.labels import LANGUAGES, Labels
    from beredskapsplan.resources import data_dir

    def keys(node, prefix=""):
        if isinstance(node, dict):
            return {k2 for k, v in node.items() for k2 in keys(v, f"{prefix}{k}.")}
        return {prefix.rstrip(".")}

    sets = {lang: keys(Labels.load(data_dir("templates") / "labels" / f"{lang}.yaml",
                                   lang).data) for lang in LANGUAGES}
    assert all(s == sets["en"] for s in sets.values())


def test_durations_and_dates_in_each_language():
    from datetime import date

    from beredskapsplan.dates import parse_duration
    from beredskapsplan.render.labels import Labels

    cases = {"da": ("8. oktober 2025", "2 timer", "3 dage"),
             "nb": ("8. oktober 2025", "2 timer", "3 døgn"),
             "nn": ("8. oktober 2025", "2 timar", "3 døgn"),
             "en": ("8 October 2025", "2 hours", "3 days")}
    for lang, (day, hours, days) in cases.items():
        labels = Labels({"locale": {"en": "en_GB"}.get(lang, lang)}, lang, "test")
        assert labels.date(date(2025, 10, 8)) == day
        assert labels.duration(parse_duration("PT2H")) == hours
        assert labels.duration(parse_duration("P3D")) == days


# -- the example plans ---------------------------------------------------------------------

EXAMPLES = [p for p in sorted(PLANS.glob("*/plan.yaml"))] if PLANS.is_dir() else []


@pytest.mark.parametrize("plan_file", EXAMPLES, ids=[p.parent.name for p in EXAMPLES])
def test_example_plans_render_in_every_format(tmp_path, plan_file):
    for audience in ("internal", "public"):
        result, files = render(plan_file.parent, tmp_path / audience, "--audience", audience)
        assert result.exit_code == 0, result.stderr
        assert all(p.is_file() for p in files.values())


def test_no_internal_markers_reach_the_output(internal, public):
    for files in (internal, public):
        for fmt, text in all_text(files).items():
            assert "BKFRAG" not in text and "BKSEP" not in text, fmt
            assert "\ue000" not in text, fmt


def test_fields_that_run_together_are_parsed_apart(monkeypatch):
    """If one field swallowed the separator to the next, each field is read on its own."""
    from beredskapsplan.render import pipeline
    from beredskapsplan.render.markdown import Fragments

    real = pipeline.Pandoc(pipeline.EPOCH_FLOOR)
    calls = []

    class Swallowing:
        def read(self, markdown, columns=72):
            calls.append(markdown)
            blocks = real.read(markdown, columns)
            if markdown.count("BKSEP") > 0:  # pretend the separators were swallowed
                blocks = [b for b in blocks if "BKSEP" not in str(b)]
            return blocks

    fragments = Fragments("abc")
    first = fragments.add("Første **felt**", 1)
    second = fragments.add("Andet felt", 1)
    third = fragments.add("# Overskrift\n\nTredje", 2)
    skeleton = f"# Et afsnit\n\n{first.token}\n\n| a |\n|---|\n| {second.token} |\n\n" \
               f"{third.token}\n"
    blocks = pipeline._document(Swallowing(), skeleton, fragments, "abc")
    text = str(blocks)
    assert "Første" in text and "Andet" in text and "Tredje" in text
    assert "BKFRAG" not in text
    assert sum(1 for c in calls if "BKSEP" not in c) >= 3  # fell back to one field at a time
    header = [b for b in blocks if b["t"] == "Header" and b["c"][2][0]["c"] == "Overskrift"]
    assert header and header[0]["c"][0] == 3  # moved below its section's level


def test_missing_pandoc_is_a_clear_error(tmp_path, monkeypatch):
    import pypandoc

    def missing():
        raise OSError("No pandoc was found")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", missing)
    result, _ = render(RENDER / "bakkeby", tmp_path / "out")
    assert result.exit_code == 1
    assert "pandoc was not found" in result.stderr and "pypandoc-binary" in result.stderr
    result = run("--lang", "da", "render", str(RENDER / "bakkeby"), "--out",
                 str(tmp_path / "out"), "--today", TODAY)
    assert result.exit_code == 1
    assert "pandoc blev ikke fundet" in result.stderr and "pypandoc-binary" in result.stderr


def test_a_failing_typst_is_reported_in_the_users_language(tmp_path, monkeypatch):
    import typst

    def failing(*args, **kwargs):
        raise RuntimeError("font not found")

    monkeypatch.setattr(typst, "compile", failing)
    result = run("--lang", "nb", "render", str(RENDER / "bakkeby"), "--to", "pdf", "--out",
                 str(tmp_path / "out"), "--today", TODAY)
    assert result.exit_code == 1
    assert "typst kunne ikke lage PDF-en: font not found" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_several_plans_are_rendered_in_turn_and_one_that_fails_stops_no_other(tmp_path):
    broken = tmp_path / "plans" / "brokvik"
    shutil.copytree(PLANS / "fjellvik", broken)
    (broken / "plan.yaml").write_text("title: [unclosed\n", "utf-8")
    out = tmp_path / "out"
    result = run("render", str(PLANS / "fjellvik"), str(broken), str(PLANS / "bogelund"),
                 "--to", "md,html", "--out", str(out), "--today", TODAY)
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["bogelund.html", "bogelund.md",
                                                     "fjellvik.html", "fjellvik.md"]
    assert "# " in (out / "bogelund.md").read_text("utf-8")
    assert "not rendered" in result.stderr and "2 of 3 plans rendered" in result.stderr
    assert result.stdout.count("wrote ") == 4
    for name in ("fjellvik", "bogelund"):  # each the same as when rendered alone
        alone = tmp_path / f"alone-{name}"
        assert run("render", str(PLANS / name), "--to", "md,html", "--out", str(alone),
                   "--today", TODAY).exit_code == 0
        for fmt in ("md", "html"):
            assert (alone / f"{name}.{fmt}").read_bytes() == (out / f"{name}.{fmt}").read_bytes()


def test_several_plans_with_one_folder_name_are_refused_before_anything_is_written(tmp_path):
    twin = tmp_path / "elsewhere" / "fjellvik"
    shutil.copytree(PLANS / "fjellvik", twin)
    out = tmp_path / "out"
    result = run("--lang", "nb", "render", str(PLANS / "fjellvik"), str(twin), "--to", "md",
                 "--out", str(out), "--today", TODAY)
    assert result.exit_code == 2
    assert "ville begge bli skrevet som fjellvik.*" in result.stderr
    assert not out.exists()


def test_a_wrong_option_is_said_once_however_many_plans(tmp_path):
    result = run("--lang", "da", "render", str(PLANS / "fjellvik"), str(PLANS / "bogelund"),
                 "--to", "odt", "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr.count("ukendt outputformat odt") == 1, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_of_plans_renders_every_plan_in_it(tmp_path):
    out = tmp_path / "out"
    result = run("render", str(PLANS), "--to", "md", "--out", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["bogelund.md", "fjellvik.md"]
    assert "2 of 2 plans rendered" in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = run("--lang", "nb", "render", str(empty), "--to", "md", "--out", str(out))
    assert nothing.exit_code == 2 and "plan.yaml" in nothing.stderr


def test_a_labels_file_without_a_label_is_named_in_the_users_language(tmp_path):
    own = tmp_path / "templates" / "labels"
    own.mkdir(parents=True)
    (own / "nb.yaml").write_text("locale: nb\n", "utf-8")
    result = run("--lang", "da", "render", str(PLANS / "fjellvik"), "--to", "md",
                 "--template-dir", str(tmp_path / "templates"), "--out", str(tmp_path / "out"),
                 "--today", TODAY)
    assert result.exit_code == 1
    assert f"etiketfilen {own / 'nb.yaml'} har ingen »" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
