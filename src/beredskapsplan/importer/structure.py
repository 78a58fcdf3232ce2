"""From pandoc's document tree to the parts of a plan: title page, sections, annex tables.

- The table of contents (Word's field, its styles, or typed lines with page
  numbers) is left out: `render` writes its own.
- What stands before the first heading is the title page: its lines give
  the plan's facts (`facts`); longer text there becomes an unnumbered
  opening section.
- Every heading is a section, nested by level. A number typed in front of
  the title ("1.0 Formål", "4.3 …", "A : Alarmeringsliste") or shown by
  Word's or LibreOffice's heading numbering becomes the section's adopted
  number, gaps and repeats as they are.
- Tables whose header row names an annex's columns become annexes; the rest
  stay in their section as Markdown tables, one line per cell.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import annexes as ax
from .facts import Facts, finish, municipality_in, read_line
from .names import Ids
from .tree import block_text, custom_style, grid, inline_text, table_rows, walk_inlines
from .wordxml import Heading

_TOC_TITLES = re.compile(r"^(indhold|indholdsfortegnelse|innhold|innholdsfortegnelse|innhald|"
                         r"innhaldsliste|innhaldsoversikt|innholdsliste|contents|"
                         r"table of contents)$", re.I)
_TOC_LINE = re.compile(r"^\S.{1,200}?(?:\s*\.{3,}\s*|\s*…+\s*|\t+|\s{2,})\s*\d{1,3}$")
_TOC_STYLE = re.compile(r"^(toc ?\d|toc heading|tocheading|indholdsfortegnelse ?\d|"
                        r"innholdsfortegnelse ?\d)$", re.I)
_NUMBER = re.compile(r"""^(?:
      (?P<d>\d{1,2}(?:\.\d{1,3})*\.?)\s+                    # 1.0, 2., 4.3
    | (?P<d2>\d{1,2}(?:\.\d{1,3})*)\s*[:)]\s*               # 1) 1:
    | (?P<l>[A-Z](?:\.\d{1,3})*\.)\s*                       # A. B.1.
    | (?P<l2>[A-Z](?:\.\d{1,3})*)(?:\s*[:)]\s*|\s+[–-]\s+)   # A : A) A –
    | (?P<r>[IVX]{1,5}\.)\s+                                # II.
    )(?P<title>\w.*)$""", re.S | re.X)
_ANNEX_WORD = re.compile(r"^(bilag|vedlegg|appendiks|annex)\s+([A-Z])\b\s*[:.–-]*\s*(.*)$",
                         re.I)
SCHEMA_NUMBER = re.compile(r"^[0-9A-Za-z](?:[0-9A-Za-z.\-]{0,30}[0-9A-Za-z.])?$")

TOPICS: tuple[tuple[str, re.Pattern], ...] = tuple((topic, re.compile(pattern, re.I)) for
                                                    topic, pattern in (
    ("purpose", r"^(formål|føremål)\b"),
    ("crisis-management", r"kriseledelse|kriseleiing|krisestyring|krisestab|kriseorganis|"
                          r"beredskapsledelse|beredskapsleiing"),
    ("activation", r"aktivering|iverksetting|iverksettelse|iverksetjing|\bindkald"),
    ("alert-list", r"varslingsliste|alarmeringsliste|kontaktliste|nøglepersoner|nøkkelpersoner"),
    ("public-warning", r"befolkningsvarsling|varsling av (befolkning|innbygg)|"
                       r"varsling af (befolkning|borgere)|advarsel af befolkning"),
    ("resources", r"ressurs|ressource|resurse|\bresurs"),
    ("evacuation", r"evakuering"),
    ("crisis-communication", r"kommunikasjon|kommunikation|pressehåndtering|mediehåndtering"),
    ("information-handling", r"informationshåndtering|informasjonshåndtering|"
                             r"håndtering af informationer|situationsbillede|situasjonsbilde|"
                             r"informasjon om krisen|informationer om krisen"),
    ("coordination", r"koordinering|samordning|koordinasjon|samvirke"),
    ("sub-plans", r"delplan|delberedskab|delberedskap|andre beredskabsplaner|"
                  r"andre beredskapsplaner|planverk|fagplaner"),
    ("risk-analysis", r"\bros\b|\bros-|risiko- og sårbarhe|risiko og sårbarhe|risikovurdering|"
                      r"risikoanalyse|sårbarhetsanalyse|sårbarheitsanalyse"),
    ("exercises", r"øvelse|øving|evaluering|afprøvning|afprøvning"),
    ("continuity", r"kontinuitet|fortsat drift|videreføring|vidareføring"),
    ("psychosocial", r"psykosocial|psykososial|krisestøtte|psykisk førstehjælp|"
                     r"psykisk førstehjelp|omsorg"),
    ("vulnerable-groups", r"\bsårbare\b|særlige behov|særlege behov|særskilte behov"),
))


@dataclass
class Section:
    id: str
    title: str
    level: int
    number: str | None
    blocks: list = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    anchor: str | None = None  # pandoc's id of the heading, for links to it
    covers: list[str] = field(default_factory=list)
    intro: bool = False  # the opening section made from text on the title page
    number_source: str | None = None  # "typed" or "styles"
    number_dropped: str | None = None  # a shown number that is not an adopted number
    markdown: str = ""  # the body, once written as Markdown

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class AnnexTable:
    kind: str
    shape: ax.Shape
    rows: list[list[str]]
    section: Section | None
    caption: str
    token: str  # the text standing in the section's body until the annex has its letter
    lead: str | None = None  # a short bold line right above the table ("Varslingsliste")
    alone: bool = False  # the table is all its section holds


@dataclass
class KeptTable:
    section: str
    rows: int
    columns: int
    joined_cells: int = 0  # cells whose paragraphs or lists were joined into one line
    merged_cells: int = 0


@dataclass
class Picture:
    source: Path
    name: str  # file name in the plan's picture folder
    section: str | None  # section title, or None on the title page


@dataclass
class Draft:
    meta_title: str | None = None
    meta_subtitle: str | None = None
    facts: Facts = field(default_factory=Facts)
    municipality: str | None = None
    municipality_source: str | None = None  # "title-page" | "document"
    sections: list[Section] = field(default_factory=list)
    tables: list[AnnexTable] = field(default_factory=list)
    kept_tables: list[KeptTable] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    title_pictures: list[Picture] = field(default_factory=list)
    missing_pictures: list[str] = field(default_factory=list)
    toc_entries: int = 0
    raw_dropped: int = 0
    links_unwrapped: list[str] = field(default_factory=list)
    empty_tables: list[str] = field(default_factory=list)  # the sections they stood in
    bold_headings: int = 0  # bold numbered lines taken as headings
    notes_in_headings: int = 0
    numbers_from_styles: int = 0
    numbers_typed: int = 0
    title_from_heading: bool = False
    text: str = ""  # the whole document's text, for the language and municipality guesses
    picture_dir: str = "pictures"  # the plan folder's folder for the document's pictures
    picture_word: str = "picture"  # the start of each picture's file name


def _inlines_from_text(text: str) -> list:
    out: list = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


# -- cleaning the tree ------------------------------------------------------------------------

class Cleaner:
    """Unwraps styles' Divs and Spans, drops raw content, makes figures paragraphs."""

    def __init__(self, draft: Draft):
        self.draft = draft

    def blocks(self, blocks: list, style: str | None = None) -> list[tuple[dict, str | None]]:
        out: list[tuple[dict, str | None]] = []
        for block in blocks:
            t, c = block.get("t"), block.get("c")
            if t == "Div":
                out.extend(self.blocks(c[1], custom_style(block) or style))
            elif t in ("RawBlock",):
                self.draft.raw_dropped += 1
            elif t == "Figure":
                inner = self.blocks(c[2], style)
                out.extend(inner)
                caption = [b for b, _ in self.blocks(c[1][1])]
                if caption and block_text(caption):
                    out.append(({"t": "Para", "c": self.inlines(
                        [i for b in caption if b["t"] in ("Plain", "Para") for i in b["c"]])},
                        style))
            else:
                out.append((self.block(block), style))
        return out

    def plain_blocks(self, blocks: list) -> list:
        return [b for b, _ in self.blocks(blocks)]

    def block(self, block: dict) -> dict:
        t, c = block.get("t"), block.get("c")
        if t in ("Plain", "Para"):
            return {"t": t, "c": self.inlines(c)}
        if t == "LineBlock":
            return {"t": t, "c": [self.inlines(line) for line in c]}
        if t == "Header":
            return {"t": t, "c": [c[0], c[1], self.inlines(c[2])]}
        if t == "BlockQuote":
            return {"t": t, "c": self.plain_blocks(c)}
        if t == "BulletList":
            return {"t": t, "c": _tight([self.plain_blocks(item) for item in c])}
        if t == "OrderedList":
            return {"t": t, "c": [c[0], _tight([self.plain_blocks(item) for item in c[1]])]}
        if t == "DefinitionList":
            return {"t": t, "c": [[self.inlines(term), [self.plain_blocks(d) for d in defs]]
                                  for term, defs in c]}
        if t == "CodeBlock":
            return {"t": t, "c": [["", [], []], c[1]]}
        if t == "Table":
            attr, caption, specs, head, bodies, foot = c

            def cells(row):
                return [row[0], [[cell[0], cell[1], cell[2], cell[3], self.plain_blocks(cell[4])]
                                 for cell in row[1]]]

            return {"t": t, "c": [attr, [caption[0], self.plain_blocks(caption[1])], specs,
                                  [head[0], [cells(r) for r in head[1]]],
                                  [[b[0], b[1], [cells(r) for r in b[2]], [cells(r) for r in b[3]]]
                                   for b in bodies],
                                  [foot[0], [cells(r) for r in foot[1]]]]}
        return block

    def inlines(self, inlines: list) -> list:
        out: list = []
        for node in inlines:
            t, c = node.get("t"), node.get("c")
            if t == "Span":
                out.extend(self.inlines(c[1]))
            elif t in ("Underline", "SmallCaps"):
                out.extend(self.inlines(c))
            elif t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript"):
                out.append({"t": t, "c": self.inlines(c)})
            elif t == "Quoted":
                out.append({"t": t, "c": [c[0], self.inlines(c[1])]})
            elif t == "Cite":
                out.extend(self.inlines(c[1]))
            elif t == "RawInline":
                self.draft.raw_dropped += 1
            elif t == "Math":
                out.append({"t": "Str", "c": c[1]})
            elif t == "Code":
                out.append({"t": "Code", "c": [["", [], []], c[1]]})
            elif t in ("Link", "Image"):
                out.append({"t": t, "c": [["", [], []], self.inlines(c[1]), c[2]]})
            elif t == "Note":
                out.append({"t": "Note", "c": self.plain_blocks(c)})
            else:
                out.append(node)
        return out


def _tight(items: list[list]) -> list[list]:
    """Word's list paragraphs as a tight list when every item is one paragraph."""
    if all(len(item) == 1 and item[0]["t"] in ("Para", "Plain") for item in items):
        return [[{"t": "Plain", "c": item[0]["c"]}] for item in items]
    return items


# -- the table of contents --------------------------------------------------------------------

def _is_toc_entry(block: dict, style: str | None) -> bool:
    if style and _TOC_STYLE.match(style.strip()):
        return True
    if block["t"] not in ("Para", "Plain"):
        return False
    content = [i for i in block["c"] if i["t"] not in ("Space", "SoftBreak", "LineBreak")]
    if content and all(i["t"] == "Link" and i["c"][2][0].startswith("#") for i in content):
        return bool(re.search(r"\d+$", inline_text(block["c"])))
    return False


def _typed_toc_line(block: dict) -> bool:
    if block["t"] not in ("Para", "Plain"):
        return False
    raw = "".join(i["c"] if i["t"] == "Str" else "\t" if i["t"] == "LineBreak" else " "
                  for i in block["c"] if i["t"] in ("Str", "Space", "SoftBreak", "LineBreak"))
    return bool(_TOC_LINE.match(raw.strip()))


def drop_toc(blocks: list[tuple[dict, str | None]], draft: Draft) -> list[tuple[dict, str | None]]:
    out: list[tuple[dict, str | None]] = []
    i = 0
    in_toc = False  # just after the heading of a table of contents
    while i < len(blocks):
        block, style = blocks[i]
        if block["t"] == "Header":
            classes = block["c"][1][1]
            text = inline_text(block["c"][2])
            if "TOC-Heading" in classes or _TOC_TITLES.match(text.strip(" :")):
                in_toc = True
                i += 1
                continue
            in_toc = False
        elif _is_toc_entry(block, style) or (in_toc and _typed_toc_line(block)):
            draft.toc_entries += 1
            i += 1
            continue
        else:
            in_toc = False
            if block["t"] in ("Para", "Plain") and \
                    _TOC_TITLES.match(inline_text(block["c"]).strip(" :")):
                # "Indhold" as an ordinary paragraph above typed lines
                run = _typed_run(blocks, i + 1)
                if run:
                    draft.toc_entries += run
                    i += 1 + run
                    continue
            run = _typed_run(blocks, i)
            if run >= 3:
                draft.toc_entries += run
                i += run
                continue
        out.append((block, style))
        i += 1
    return out


def _typed_run(blocks, start: int) -> int:
    n = 0
    while start + n < len(blocks) and _typed_toc_line(blocks[start + n][0]):
        n += 1
    return n


# -- headings ---------------------------------------------------------------------------------

def split_number(title: str) -> tuple[str | None, str]:
    """"1.0 Formål med planen" -> ("1.0", "Formål med planen"); no number -> (None, title)."""
    match = _NUMBER.match(title)
    if not match or not match.group("title").strip():
        return None, title
    number = next(match.group(g) for g in ("d", "d2", "l", "l2", "r") if match.group(g))
    if not SCHEMA_NUMBER.match(number):
        return None, title
    return number, match.group("title").strip()


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _align(headers: list[str], found: list[Heading]) -> list[str | None]:
    """The number Word shows in front of each of pandoc's headings (matched by text)."""
    numbers: list[str | None] = []
    j = 0
    for text in headers:
        wanted = _normal(text)
        hit = None
        for k in range(j, min(len(found), j + 6)):
            if _normal(found[k].text) == wanted:
                hit = k
                break
        if hit is None:
            numbers.append(None)
            continue
        numbers.append(found[hit].number)
        j = hit + 1
    return numbers


def shown_number(number: str) -> tuple[str | None, bool]:
    """A number as Word shows it, as an adopted number: ("1.", True) or the core of
    "Kapitel 1" ("1", False: the words around it are lost)."""
    number = number.strip().rstrip(")").strip()
    if SCHEMA_NUMBER.match(number):
        return number, True
    core = re.findall(r"[0-9A-Za-z][0-9A-Za-z.\-]*", number)
    core = [c for c in core if any(ch.isdigit() for ch in c)] or core
    if core and SCHEMA_NUMBER.match(core[-1].rstrip("-")):
        return core[-1].rstrip("-"), False
    return None, False


def topics_of(title: str) -> list[str]:
    return [topic for topic, pattern in TOPICS if pattern.search(title)]


# -- building the draft -----------------------------------------------------------------------

def build(source, ids: Ids, words: dict) -> Draft:
    """The parts of the plan in `source` (a `reading.Source`)."""
    draft = Draft(picture_dir=words["pictures"], picture_word=words["picture"])
    cleaner = Cleaner(draft)
    meta = source.meta
    if "title" in meta:
        draft.meta_title = _meta_text(meta["title"]) or None
    if "subtitle" in meta:
        draft.meta_subtitle = _meta_text(meta["subtitle"]) or None
    blocks = drop_toc(cleaner.blocks(source.blocks), draft)
    draft.text = "\n".join(block_text([b]) for b, _ in blocks)

    if not any(b["t"] == "Header" for b, _ in blocks):
        blocks = _bold_headings(blocks, draft)
    # drop headings with no text: their content belongs to the heading above
    blocks = [(b, s) for i, (b, s) in enumerate(blocks)
              if b["t"] != "Header" or inline_text(b["c"][2])]
    headers = [i for i, (b, _) in enumerate(blocks) if b["t"] == "Header"]
    word_numbers = _align([inline_text(blocks[i][0]["c"][2]) for i in headers],
                          source.extras.headings) if source.extras.headings else \
        [None] * len(headers)
    levels = [blocks[i][0]["c"][0] for i in headers]
    title_styled = any((style or "").strip().lower() in ("title", "titel", "tittel")
                       for _b, style in blocks[:headers[0] if headers else 0])
    if (draft.meta_title is None and not title_styled and len(headers) > 1 and levels.count(min(levels)) == 1
            and levels[0] == min(levels) and word_numbers[0] is None
            and split_number(inline_text(blocks[headers[0]][0]["c"][2]))[0] is None):
        # one heading above all the others, at the top: the document's title
        first = headers[0]
        draft.meta_title = inline_text(blocks[first][0]["c"][2])
        draft.title_from_heading = True
        blocks = blocks[:first] + blocks[first + 1:]
        headers = [i - 1 for i in headers[1:]]
        word_numbers = word_numbers[1:]
        # what stood under the title heading belongs to the title page
    front_end = headers[0] if headers else len(blocks)

    front = blocks[:front_end]
    _title_page(front, draft, cleaner, ids, words)

    stack: list[Section] = []
    anchors: dict[str, str] = {}
    for n, start in enumerate(headers):
        end = headers[n + 1] if n + 1 < len(headers) else len(blocks)
        header = blocks[start][0]
        level, attr, inlines = header["c"]
        if any(i["t"] == "Note" for i in walk_inlines([header])):
            draft.notes_in_headings += 1
        text = inline_text(inlines)
        number, title = split_number(text)
        number_source = "typed" if number else None
        dropped = None
        if word_numbers[n] is not None:
            shown, whole = shown_number(word_numbers[n])
            if shown is not None:
                number, number_source = shown, "styles"
                title = text
                if not whole:
                    dropped = word_numbers[n]
        if number_source == "styles":
            draft.numbers_from_styles += 1
        elif number_source == "typed":
            draft.numbers_typed += 1
        section = Section(ids.take(title, words["section"]), title, level, number,
                          [b for b, _ in blocks[start + 1:end]], anchor=attr[0] or None,
                          number_source=number_source, number_dropped=dropped)
        if section.anchor:
            anchors[section.anchor] = section.id
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else draft.sections).append(section)
        stack.append(section)
    for section in list(_all(draft)):
        section.blocks = _body(section.blocks, section, draft, anchors, source)
    _guess_covers(draft)
    _find_municipality(draft)
    finish(draft.facts)
    return draft


def _bold_headings(blocks: list[tuple[dict, str | None]], draft: Draft) -> list:
    """In a document with no heading styles, short bold lines with a number in front
    ("1.0 Formål", "2.3 Varsling") are its headings; "1.0" and "2." are chapters."""
    out = []
    for block, style in blocks:
        text = _lead(block, 14)
        number = split_number(text)[0] if text else None
        if number and number[0].isdigit():
            parts = [p for p in number.rstrip(".").split(".")]
            while len(parts) > 1 and parts[-1] == "0":
                parts.pop()
            level = min(len(parts), 6)
            out.append(({"t": "Header", "c": [level, ["", [], []], _inlines_from_text(text)]},
                        style))
            draft.bold_headings += 1
        else:
            out.append((block, style))
    return out


def _annex_like(section: Section) -> bool:
    return bool(_ANNEX_WORD.match(section.title)) or bool(
        section.number and section.number.rstrip(".").isalpha()
        and len(section.number.rstrip(".")) == 1)


def _guess_covers(draft: Draft) -> None:
    """Each topic on the first section whose heading names it (annexes aside)."""
    taken: set[str] = set()

    def visit(sections: list[Section], inside_annex: bool) -> None:
        for section in sections:
            annex = inside_annex or _annex_like(section) or bool(
                re.match(r"(?i)^(bilag|vedlegg)\b", section.title))
            if not annex:
                for topic in topics_of(section.title):
                    if topic not in taken:
                        taken.add(topic)
                        section.covers.append(topic)
            visit(section.children, annex)

    visit(draft.sections, False)


def _all(draft: Draft):
    for section in draft.sections:
        yield from section.walk()


def _meta_text(value: dict) -> str:
    t, c = value.get("t"), value.get("c")
    if t == "MetaInlines":
        return inline_text(c)
    if t == "MetaString":
        return " ".join(str(c).split())
    if t == "MetaBlocks":
        return block_text(c)
    return ""


def _lines(block: dict) -> list[str]:
    """The lines of a title-page paragraph (a line break starts a new one)."""
    if block["t"] not in ("Para", "Plain"):
        return [block_text([block])] if block_text([block]) else []
    lines, current = [], []
    for node in block["c"]:
        if node["t"] == "LineBreak":
            lines.append(inline_text(current))
            current = []
        else:
            current.append(node)
    lines.append(inline_text(current))
    return [line for line in lines if line]


def _title_page(front: list[tuple[dict, str | None]], draft: Draft, cleaner: Cleaner,
                ids: Ids, words: dict) -> None:
    facts = draft.facts
    intro: list = []
    title_taken = draft.meta_title is not None
    for block, style in front:
        t = block["t"]
        named = (style or "").strip().lower()
        if named in ("title", "titel", "tittel") and t in ("Para", "Plain") and not title_taken:
            draft.meta_title = inline_text(block["c"]) or None
            title_taken = draft.meta_title is not None
            continue
        if named in ("subtitle", "undertitel", "undertittel") and t in ("Para", "Plain") \
                and draft.meta_subtitle is None:
            draft.meta_subtitle = inline_text(block["c"]) or None
            continue
        for inline in walk_inlines([block]):
            if inline["t"] == "Image":
                draft.title_pictures.append(Picture(Path(inline["c"][2][0]), "", None))
        if t == "Table":
            head, body = table_rows(block)
            rows = grid(head + body)
            shape = ax.recognise(grid(head), grid(body))
            if shape is not None:
                draft.tables.append(AnnexTable(shape.kind, shape, rows, None,
                                               block_text(block["c"][1][1]),
                                               f"\ue000annex-{len(draft.tables)}\ue000"))
                continue
            if rows and all(len([c for c in r if c.strip()]) <= 2 for r in rows):
                # "Vedtatt av | Kommunestyret": a table of facts
                for r in rows:
                    line = ": ".join(c.strip() for c in r if c.strip())
                    if line and not read_line(line, facts):
                        facts.unused.append(line)
                    elif line:
                        facts.used.append(line)
                continue
            intro.append(block)
            continue
        if t in ("Para", "Plain", "Header", "LineBlock"):
            lines = _lines(block) if t != "LineBlock" else \
                [inline_text(line) for line in block["c"]]
            text = " ".join(lines)
            if not text:
                continue
            if len(text.split()) > 30 and t != "Header":
                intro.append(block)  # running text, not a title-page line
                read_line(text, facts)
                continue
            for line in lines:
                if not title_taken and not _fact_only(line):
                    draft.meta_title = line
                    title_taken = True
                    facts.used.append(line)
                    continue
                if line in (draft.meta_title, draft.meta_subtitle):
                    continue
                if read_line(line, facts) or line == facts.municipality_from:
                    facts.used.append(line)
                else:
                    facts.unused.append(line)
        elif t == "HorizontalRule":
            continue
        else:
            intro.append(block)
    if intro:
        draft.sections.insert(0, Section(ids.take(words["intro_title"],
                                                  words["section"]),
                                         words["intro_title"], 1, None, intro,
                                         intro=True))


def _fact_only(line: str) -> bool:
    probe = Facts()
    return read_line(line, probe)


def _find_municipality(draft: Draft) -> None:
    facts = draft.facts
    if facts.municipality:
        draft.municipality = facts.municipality
        draft.municipality_source = "title-page"
        return
    for text in (draft.meta_title or "", draft.meta_subtitle or ""):
        found = municipality_in(text)
        if found:
            draft.municipality, draft.municipality_source = found, "title-page"
            return
    found = municipality_in(draft.text)
    if found:
        draft.municipality, draft.municipality_source = found, "document"


def _lead(block: dict | None, words: int = 8) -> str | None:
    """The text of a short paragraph that is all bold: a title for what follows."""
    if block is None or block["t"] not in ("Para", "Plain"):
        return None
    content = [i for i in block["c"] if i["t"] not in ("Space", "SoftBreak")]
    if len(content) == 1 and content[0]["t"] == "Strong":
        text = inline_text(content).strip(" :")
        if 0 < len(text.split()) <= words:
            return text
    return None


def _body(blocks: list, section: Section, draft: Draft, anchors: dict, source) -> list:
    out = []
    for n, block in enumerate(blocks):
        if block["t"] == "Table":
            head, body = table_rows(block)
            shape = ax.recognise(grid(head), grid(body))
            if shape is not None:
                token = f"\ue000annex-{len(draft.tables)}\ue000"
                draft.tables.append(AnnexTable(shape.kind, shape, grid(head + body), section,
                                               block_text(block["c"][1][1]), token,
                                               _lead(blocks[n - 1] if n else None),
                                               len(blocks) == 1))
                out.append({"t": "Para", "c": [{"t": "Str", "c": token}]})
                continue
            if not any(c.strip() for row in grid(head + body) for c in row):
                draft.empty_tables.append(section.title)
                continue
            out.append(_simple_table(block, section, draft))
        else:
            out.append(block)
    _links_and_pictures(out, section, draft, anchors, source)
    return out


def _cell_inlines(blocks: list) -> tuple[list, bool]:
    """One line of inlines for a table cell; True when paragraphs or lists were joined."""
    pieces: list[list] = []
    joined = False
    for block in blocks:
        t, c = block["t"], block.get("c")
        if t in ("Plain", "Para"):
            pieces.append([{"t": "Space"} if i["t"] in ("LineBreak", "SoftBreak") else i
                           for i in c])
        elif t in ("BulletList", "OrderedList"):
            for item in (c if t == "BulletList" else c[1]):
                pieces.append(_cell_inlines(item)[0])
            joined = True
        else:
            pieces.append(_inlines_from_text(block_text([block])))
            joined = joined or t == "Table"
    pieces = [p for p in pieces if p]
    joined = joined or len(pieces) > 1
    out: list = []
    for piece in pieces:
        if out:
            last = out[-1]
            if not (last["t"] == "Str" and last["c"].endswith((".", ":", ";", "!", "?"))):
                out.append({"t": "Str", "c": ";"})
            out.append({"t": "Space"})
        out.extend(piece)
    return out, joined


def _simple_table(block: dict, section: Section, draft: Draft) -> dict:
    """A table Markdown can write as a pipe table: one line per cell, no merged cells."""
    attr, caption, specs, head, bodies, foot = block["c"]
    head_rows, body_rows = table_rows(block)
    kept = KeptTable(section.title, len(head_rows) + len(body_rows), len(specs))
    width = len(specs)

    def row_of(cells: list) -> list:
        out = []
        for cell in cells:
            inlines, joined = _cell_inlines(cell[4])
            kept.joined_cells += joined
            if cell[2] > 1 or cell[3] > 1:
                kept.merged_cells += 1
            out.append([["", [], []], {"t": "AlignDefault"}, 1, 1,
                        [{"t": "Plain", "c": inlines}] if inlines else []])
            for _extra in range(cell[3] - 1):
                out.append([["", [], []], {"t": "AlignDefault"}, 1, 1, []])
        while len(out) < width:
            out.append([["", [], []], {"t": "AlignDefault"}, 1, 1, []])
        return [["", [], []], out[:width]]

    rows = [row_of(r) for r in head_rows + body_rows]
    header = rows[:1] if head_rows else [row_of([])]
    rest = rows[1:] if head_rows else rows
    draft.kept_tables.append(kept)
    return {"t": "Table", "c": [["", [], []], [None, caption[1]],
                                [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}]] * width,
                                [["", [], []], header],
                                [[["", [], []], 0, [], rest]],
                                [["", [], []], []]]}


def _links_and_pictures(blocks: list, section: Section, draft: Draft, anchors: dict,
                        source) -> None:
    """Links to headings point to their sections; other links to places in the document,
    and links that are not web, mail or phone addresses, keep only their text."""
    def fix(inlines: list) -> list:
        out = []
        for node in inlines:
            t, c = node.get("t"), node.get("c")
            if t == "Link":
                target = c[2][0]
                inner = fix(c[1])
                if target.startswith("#"):
                    if target[1:] in anchors:
                        out.append({"t": "Link", "c": [c[0], inner,
                                                       ["#" + anchors[target[1:]], ""]]})
                    else:
                        out.extend(inner)
                    continue
                if not re.match(r"(?i)(https?|mailto|tel):", target):
                    draft.links_unwrapped.append(target)
                    out.extend(inner)
                    continue
                out.append({"t": "Link", "c": [c[0], inner, c[2]]})
            elif t == "Image":
                picture = _picture(c[2][0], source, section, draft)
                if picture is None:
                    out.extend(fix(c[1]) or [])
                else:
                    out.append({"t": "Image", "c": [c[0], fix(c[1]), [picture, ""]]})
            elif t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript"):
                out.append({"t": t, "c": fix(c)})
            elif t == "Quoted":
                out.append({"t": t, "c": [c[0], fix(c[1])]})
            elif t == "Note":
                fix_blocks(c)
                out.append(node)
            else:
                out.append(node)
        return out

    def fix_blocks(items: list) -> None:
        for block in items:
            t, c = block["t"], block.get("c")
            if t in ("Plain", "Para"):
                block["c"] = fix(c)
            elif t == "LineBlock":
                block["c"] = [fix(line) for line in c]
            elif t == "BlockQuote":
                fix_blocks(c)
            elif t == "BulletList":
                for item in c:
                    fix_blocks(item)
            elif t == "OrderedList":
                for item in c[1]:
                    fix_blocks(item)
            elif t == "DefinitionList":
                for k, (term, defs) in enumerate(c):
                    c[k][0] = fix(term)
                    for d in defs:
                        fix_blocks(d)
            elif t == "Table":
                for row in c[3][1] + [r for b in c[4] for r in b[3]]:
                    for cell in row[1]:
                        fix_blocks(cell[4])

    fix_blocks(blocks)


def _picture(target: str, source, section: Section, draft: Draft) -> str | None:
    """The path, in the plan folder, of a picture of the document; None if it is missing."""
    path = Path(target)
    if source.format == "markdown":
        if re.match(r"(?i)[a-z][a-z0-9+.-]*:", target) or path.is_absolute():
            draft.missing_pictures.append(target)
            return None
        base = source.path.parent.resolve()
        path = (base / target).resolve()
        if base not in path.parents or not path.is_file():
            draft.missing_pictures.append(target)
            return None
    else:
        if not path.is_absolute() and source.media is not None:
            path = source.media / path
        try:
            inside = source.media is not None and source.media.resolve() in path.resolve().parents
        except OSError:
            inside = False
        if not inside or not path.is_file():
            draft.missing_pictures.append(target)
            return None
    for picture in draft.pictures:
        if picture.source == path:
            return f"{draft.picture_dir}/{picture.name}"
    name = picture_name(draft.picture_word, path.suffix, len(draft.pictures) + 1)
    draft.pictures.append(Picture(path, name, section.title))
    return f"{draft.picture_dir}/{name}"


def picture_name(word: str, suffix: str, n: int) -> str:
    """"billede-1.png": pictures are numbered in the order the document shows them."""
    suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix).lower() or "bin"
    return f"{word}-{n}.{suffix}"
