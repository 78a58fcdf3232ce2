"""Recognising annex tables by their column headings, and turning their rows into entries.

An alert list (navn, funktion, mobil, e-mail), a resource list (ressource,
antal, placering), a register of sub-plans (plan, ansvarlig, revideret) and a
list of partners (samarbejdspartner, kontaktperson, telefon) are recognised
from the words in their header row, in Danish, bokmål and nynorsk. Columns
with no place in the annex's format are kept as comments beside the entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .facts import find_date
from .names import Ids

# words of a column heading -> the field it fills; a stem matches a word that starts
# with it, an exact word only itself (short words that begin many others)
_STEMS: dict[str, tuple[str, ...]] = {
    "name": ("navn", "namn", "name", "fulde navn", "fullt navn", "fullt namn"),
    "position": ("funktion", "funksjon", "rolle", "roller", "stilling", "titel", "tittel",
                 "hverv", "verv", "position", "jobtitel"),
    "unit": ("enhed", "enhet", "eining", "center", "afdeling", "avdeling", "sektor",
             "forvaltning", "etat", "arbejdssted", "arbeidssted", "arbeidsstad", "tjeneste",
             "unit"),
    "phone": ("telefon", "tlf", "mobil", "telefonnummer", "tlfnr", "telefonnr", "vagttelefon",
              "vakttelefon", "phone", "fastnet", "direkte", "nummer", "mob"),
    "email": ("email", "epost", "mail", "mailadresse"),
    "deputy": ("stedfortræder", "stedfortreder", "stedfortredar", "suppleant", "vikar",
               "deputy"),
    "resource": ("ressource", "ressourcer", "resurse", "resurser", "ressurs", "resurs",
                 "materiel", "materiell", "udstyr", "utstyr", "køretøj", "kjøretøy",
                 "køyretøy", "resource"),
    "category": ("kategori", "type", "art", "slags", "category"),
    "quantity": ("antal", "antall", "tal", "mængde", "mengde", "mengd", "stk", "kapacitet",
                 "kapasitet", "quantity"),
    "location": ("placering", "plassering", "lokalisering", "lokation", "sted", "stad",
                 "lager", "adresse", "location", "hvor", "kvar", "findes", "opbevaring",
                 "oppbevaring", "opbevares", "oppbevares"),
    "requisition": ("rekvirering", "rekvireres", "rekvisisjon", "bestilling", "bestilles",
                    "tilkald", "tilkalling", "requisition", "hvordan", "korleis"),
    "availability": ("tilgængelighed", "tilgængelig", "tilgjengelighet", "tilgjengeleg",
                     "tilgjenge", "responstid", "døgnbemandet", "availability", "åbningstid",
                     "opningstid", "åpningstid"),
    "contact": ("kontakt", "kontaktperson", "kontaktpersoner", "contact"),
    "owner": ("ejer", "eier", "eigar", "ansvarlig", "ansvarleg", "ansvar", "owner",
              "planejer", "planeier", "planeigar"),
    "plan": ("plan", "planer", "planar", "delplan", "delplaner", "delberedskabsplan",
             "beredskabsplan", "beredskapsplan", "delberedskapsplan", "beredskabsplaner",
             "beredskapsplaner", "beredskapsplanar", "plannavn", "plannamn", "planens",
             "fagplan", "planverk"),
    "approved_by": ("godkendt", "godkendes", "godkjent", "godkjend", "vedtaget", "vedtatt",
                    "vedteke", "vedteken", "approved"),
    "last_revised": ("revideret", "revidert", "revision", "revisjon", "opdateret",
                     "oppdatert", "last revised"),
    "level": ("niveau", "nivå", "level", "beredskabsniveau", "beredskapsnivå"),
    "partner": ("samarbejdspartner", "samarbeidspartner", "samarbeidspartnar", "partner",
                "aktør", "organisation", "organisasjon", "virksomhed", "verksemd", "firma",
                "myndighed", "myndighet", "myndigheit", "instans", "leverandør", "selskab",
                "selskap"),
    "agreement": ("aftale", "avtale", "kontrakt", "samarbejdsaftale", "samarbeidsavtale",
                  "agreement"),
    "expires": ("udløber", "udløb", "utløper", "utløp", "gyldig", "expires"),
    "clearance": ("sikkerhedsgodkendelse", "sikkerhedsgodkendt", "klarering", "klarert",
                  "sikkerhetsklarering", "clearance"),
}
_EXACT = {"tal", "art", "sted", "stad", "mob", "type", "hvor", "kvar", "plan", "ansvar",
          "mail", "stk", "navn", "namn", "name", "sak"}
_PRIVATE = ("privat", "hjem", "hjemme", "heime", "home", "private")
_NO_WORDS = {"nej", "nei", "no", "-", "–", "ingen", "ikke", "ikkje", "x"}


def _words(header: str) -> list[str]:
    text = header.lower().replace("e-mail", "email").replace("e-post", "epost") \
        .replace("e mail", "email").replace("tlf.", "tlf ")
    return [w for w in re.split(r"[^0-9a-zæøåéüöä]+", text) if w]


def column_fields(header: str) -> list[str]:
    """Every field a column heading could fill, most specific first."""
    words = _words(header)
    found = []
    for name, stems in _STEMS.items():
        for stem in stems:
            parts = stem.split()
            if len(parts) > 1:
                hit = " ".join(words).find(stem) >= 0
            elif stem in _EXACT:
                hit = stem in words
            else:
                hit = any(w.startswith(stem) for w in words)
            if hit:
                found.append(name)
                break
    # "kontaktperson" names a person, not the phone; "telefon" in "telefon privat" is a phone
    return found


@dataclass
class Column:
    index: int
    header: str
    field: str | None
    label: str | None = None  # a phone column's label
    private: bool = False


@dataclass
class Shape:
    """A recognised table: its kind, its header row and what each column fills."""

    kind: str  # contacts | resources | plan-register | partners
    header_row: int
    columns: list[Column]
    title_rows: list[str] = field(default_factory=list)


_KIND_FIELDS = {
    "contacts": ("name", "position", "unit", "phone", "email", "deputy", "clearance"),
    "resources": ("resource", "name", "category", "quantity", "location", "requisition",
                  "availability", "contact", "owner"),
    "plan-register": ("plan", "owner", "approved_by", "last_revised", "location", "level"),
    "partners": ("partner", "name", "category", "phone", "email", "contact", "agreement",
                 "expires"),
}


def _assign(kind: str, headers: list[str]) -> list[Column]:
    wanted = _KIND_FIELDS[kind]
    columns = []
    taken: set[str] = set()
    for index, header in enumerate(headers):
        fields = [f for f in column_fields(header) if f in wanted]
        chosen = None
        if "phone" in fields and kind in ("contacts", "partners"):
            chosen = "phone"  # several phone columns are normal
        if chosen is None:
            for f in fields:
                if f not in taken:
                    chosen = f
                    break
        if chosen in ("resource", "partner", "plan"):
            chosen = "name" if kind != "plan-register" else "plan"
            if "name" in taken and kind != "plan-register":
                chosen = None
        if chosen == "name" and kind == "plan-register":
            chosen = "plan" if "plan" not in taken else None
        if chosen is not None and chosen != "phone":
            taken.add(chosen)
        column = Column(index, header, chosen)
        if chosen == "phone":
            words = _words(header)
            column.private = any(w.startswith(p) for w in words for p in _PRIVATE)
            column.label = " ".join(header.split()).strip(" :").lower() or None
        columns.append(column)
    return columns


def _kind_of(headers: list[str]) -> str | None:
    fields = [column_fields(h) for h in headers]
    flat = [f for fs in fields for f in fs]

    def first(name: str) -> int | None:
        return next((i for i, fs in enumerate(fields) if name in fs), None)

    filled = sum(1 for h in headers if h.strip())
    if filled < 2:
        return None
    register_others = {"owner", "approved_by", "last_revised", "location", "level"}
    if first("plan") is not None and register_others & set(flat):
        return "plan-register"
    resource_others = {"quantity", "location", "requisition", "availability", "category"}
    if first("resource") is not None and (resource_others | {"contact", "owner"}) & set(flat):
        return "resources"
    partner, name = first("partner"), first("name")
    partner_others = {"phone", "email", "contact", "agreement", "category"}
    if partner is not None and partner_others & set(flat) and (name is None or partner < name):
        return "partners"
    if name is not None and ({"phone", "email"} & set(flat)):
        return "contacts"
    if name is not None and len(resource_others & set(flat)) >= 2:
        return "resources"
    return None


def recognise(head: list[list[str]], body: list[list[str]]) -> Shape | None:
    """The annex a table is, from its header row (the table's own, else one of its
    first three rows), or None."""
    candidates: list[tuple[int, list[str]]] = []
    rows = head + body
    if head:
        candidates.append((len(head) - 1, head[-1]))
    for i in range(len(head), min(len(rows), len(head) + 3)):
        candidates.append((i, rows[i]))
    for index, headers in candidates:
        kind = _kind_of(headers)
        if kind is None:
            continue
        if index + 1 >= len(rows):
            return None  # a header and nothing under it
        titles = [" ".join(c for c in rows[i] if c).strip() for i in range(index)]
        columns = _assign(kind, headers)
        if kind in ("contacts", "partners"):
            _phone_columns(columns, rows[index + 1:])
        return Shape(kind, index, columns, [t for t in titles if t])
    return None


_PHONE_LIKE = re.compile(r"^[+()\d][\d ()+\-./]{5,}$")


def _phone_columns(columns: list[Column], rows: list[list[str]]) -> None:
    """A column headed "Arbejde" or "Privat" in an alert list holds numbers: a phone column."""
    for column in columns:
        if column.field is not None:
            continue
        values = [r[column.index].strip() for r in rows
                  if column.index < len(r) and r[column.index].strip()]
        phones = [v for v in values if _PHONE_LIKE.match(v) and sum(c.isdigit() for c in v) >= 3]
        if values and len(phones) * 2 >= len(values):
            words = _words(column.header)
            column.field = "phone"
            column.private = any(w.startswith(p) for w in words for p in _PRIVATE)
            column.label = " ".join(column.header.split()).strip(" :").lower() or None


# -- rows -> entries ------------------------------------------------------------------------

@dataclass
class Entry:
    data: dict
    notes: list[str] = field(default_factory=list)  # kept as comments beside the entry
    row: int = 0  # 1-based row of the table


@dataclass
class BadNumber:
    who: str
    number: str
    reason: str  # "not-a-number" or "invalid"


@dataclass
class Built:
    entries: list[Entry]
    bad_numbers: list[BadNumber] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    owners: dict[str, str] = field(default_factory=dict)  # owner text -> role id (register)
    unmapped: list[str] = field(default_factory=list)  # column headings kept as comments
    statutory: dict[str, str] = field(default_factory=dict)  # sub-plan id -> statutory id
    groups: int = 0  # rows that named a group (e.g. a department) for the rows below


def _clean(text: str) -> str:
    return " ".join(text.split())


def split_numbers(text: str) -> list[tuple[str, bool]]:
    """Numbers in a cell: ("+45 20 30 40 50", private?) for each, label words dropped."""
    found = []
    for piece in re.split(r"\s*(?:\n|/|,|;|\bog\b|\beller\b|\bel\.)\s*", text):
        piece = piece.strip()
        if not piece:
            continue
        private = any(p in piece.lower() for p in _PRIVATE)
        piece = re.sub(r"\([^)]*\)", " ", piece)
        # "Mobil: 20 30 40 50" -> the number
        match = re.search(r"\+?\d[\d \-.]*\d|\+?\d", piece)
        found.append((_clean(match.group(0)) if match else _clean(piece), private))
    return found


def phone_problem(number: str, region: str) -> str | None:
    import phonenumbers
    from phonenumbers import shortnumberinfo

    if not any(ch.isdigit() for ch in number):
        return "not-a-number"
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return "not-a-number"
    if phonenumbers.is_valid_number(parsed):
        return None
    if shortnumberinfo.is_valid_short_number_for_region(parsed, region):
        return None
    return "invalid"


_EMAIL = re.compile(r"[A-Za-z0-9._%+\-']+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")


def _cells(shape: Shape, row: list[str]) -> dict[str, list[tuple[Column, str]]]:
    by_field: dict[str, list[tuple[Column, str]]] = {}
    for column in shape.columns:
        value = row[column.index].strip() if column.index < len(row) else ""
        by_field.setdefault(column.field or "", []).append((column, value))
    return by_field


def _one(cells: dict, name: str) -> str:
    values = [_clean(v) for _, v in cells.get(name, []) if v.strip()]
    return " ".join(values)


def _notes(cells: dict, unmapped: list[str]) -> list[str]:
    notes = []
    for column, value in cells.get("", []):
        if value.strip():
            notes.append(f"{_clean(column.header) or '?'}: {_clean(value)}")
            if column.header not in unmapped:
                unmapped.append(column.header)
    return notes


def build(shape: Shape, rows: list[list[str]], ids: Ids, region: str,
          owner_ids: Ids | None = None, default_owner: str | None = None,
          country: str = "DK") -> Built:
    """The entries of a recognised table, from its rows under the header row."""
    built = Built([])
    group = None
    has_unit = any(c.field == "unit" for c in shape.columns)
    for offset, row in enumerate(rows[shape.header_row + 1:], start=shape.header_row + 2):
        filled = [c for c in row if c.strip()]
        if not filled:
            continue
        if len(filled) == 1 and len(shape.columns) >= 3 and not row[0].strip() == "" \
                and shape.kind == "contacts" and not _looks_like_number(filled[0]):
            group = _clean(filled[0])  # "Direktionen": a heading row for the rows below
            built.groups += 1
            continue
        cells = _cells(shape, row)
        make = {"contacts": _person, "resources": _resource, "plan-register": _sub_plan,
                "partners": _partner}[shape.kind]
        entry = make(cells, ids, region, built, group if not has_unit else None,
                     owner_ids, default_owner, country)
        if entry is None:
            built.skipped_rows.append(offset)
            continue
        entry.row = offset
        entry.notes.extend(_notes(cells, built.unmapped))
        built.entries.append(entry)
    return built


def _looks_like_number(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) >= 3


def _phones(cells: dict, region: str, who: str, built: Built, notes: list[str]) -> list[dict]:
    phones = []
    for column, value in cells.get("phone", []):
        if not value.strip():
            continue
        for number, private in split_numbers(value):
            problem = phone_problem(number, region)
            if problem == "not-a-number":
                built.bad_numbers.append(BadNumber(who, number, problem))
                notes.append(f"{_clean(column.header)}: {number}")
                continue
            if problem:
                built.bad_numbers.append(BadNumber(who, number, problem))
            phone: dict = {"number": number}
            if column.label:
                phone["label"] = column.label
            if column.private or private:
                phone["private"] = True
            phones.append(phone)
    return phones


def _email(cells: dict, notes: list[str]) -> str | None:
    for column, value in cells.get("email", []):
        if not value.strip():
            continue
        match = _EMAIL.search(value.replace("mailto:", ""))
        if match:
            return match.group(0)
        notes.append(f"{_clean(column.header)}: {_clean(value)}")
    return None


def _person(cells, ids: Ids, region, built: Built, group, *_ignored) -> Entry | None:
    name = _one(cells, "name")
    position = _one(cells, "position")
    notes: list[str] = []
    if not name:
        if not position:
            return None
        name = position  # a row for a function ("Vagthavende") without a person's name
    data: dict = {"id": ids.take(name, "person"), "name": name}
    if position and position != name:
        data["position"] = position
    unit = _one(cells, "unit") or group
    if unit:
        data["unit"] = unit
    data["phones"] = _phones(cells, region, name, built, notes)
    email = _email(cells, notes)
    if email:
        data["email"] = email
    for key in ("deputy", "clearance"):
        for column, value in cells.get(key, []):
            if value.strip():
                notes.append(f"{_clean(column.header)}: {_clean(value)}")
    return Entry(data, notes)


def _resource(cells, ids: Ids, region, built: Built, *_ignored) -> Entry | None:
    name = _one(cells, "name")
    if not name:
        return None
    notes: list[str] = []
    data: dict = {"id": ids.take(name, "ressource"), "name": name}
    category = _one(cells, "category")
    if category:
        data["category"] = category
    quantity = _one(cells, "quantity")
    if quantity:
        data["quantity"] = int(quantity) if quantity.isdigit() and len(quantity) < 10 \
            else quantity
    location = _one(cells, "location")
    if location:
        data["location"] = location
    requisition = _one(cells, "requisition")
    contact = _one(cells, "contact")
    if contact:
        # who to call is how the resource is requested: kept with the requisition
        header = _clean(cells["contact"][0][0].header)
        requisition = f"{requisition} ({header}: {contact})" if requisition \
            else f"{header}: {contact}"
    if requisition:
        data["requisition"] = requisition
    availability = _one(cells, "availability")
    if availability:
        data["availability"] = availability
    for column, value in cells.get("owner", []):
        if value.strip():
            notes.append(f"{_clean(column.header)}: {_clean(value)}")
    return Entry(data, notes)


_STATUTORY = {
    "DK": (("health", re.compile(r"sundhedsberedskab", re.I)),),
    "NO": (("health", re.compile(r"helse.*beredskap|helseberedskap|beredskap.*helse", re.I)),
           ("drinking-water", re.compile(r"drikkevann|drikkevatn|vannforsyning|vassforsyning",
                                         re.I))),
}


def _sub_plan(cells, ids: Ids, region, built: Built, group, owner_ids: Ids | None,
              default_owner: str | None, country: str) -> Entry | None:
    title = _one(cells, "plan")
    if not title:
        return None
    notes: list[str] = []
    data: dict = {"id": ids.take(title, "plan"), "title": title}
    owner_text = _one(cells, "owner")
    if owner_text:
        if owner_text not in built.owners:
            built.owners[owner_text] = ids.take(owner_text, "ansvarlig")
        data["owner"] = built.owners[owner_text]
    else:
        data["owner"] = default_owner
    level = _one(cells, "level")
    if level:
        digits = re.fullmatch(r"\D*(\d{1,2})\D*", level)
        if digits:
            data["level"] = int(digits.group(1))
        else:
            notes.append(f"{_clean(cells['level'][0][0].header)}: {level}")
    approved = _one(cells, "approved_by")
    if approved:
        data["approved_by"] = approved
    revised = _one(cells, "last_revised")
    if revised:
        day = find_date(revised)
        if day is not None:
            data["last_revised"] = day
        else:
            notes.append(f"{_clean(cells['last_revised'][0][0].header)}: {revised}")
    location = _one(cells, "location")
    if location:
        data["location"] = location
    for statutory, pattern in _STATUTORY.get(country, ()):
        if pattern.search(title):
            data["statutory"] = statutory
            built.statutory[data["id"]] = statutory
            break
    return Entry(data, notes)


def _partner(cells, ids: Ids, region, built: Built, *_ignored) -> Entry | None:
    name = _one(cells, "name")
    if not name:
        return None
    notes: list[str] = []
    data: dict = {"id": ids.take(name, "partner"), "name": name}
    category = _one(cells, "category")
    if category:
        data["type"] = category
    contact = _one(cells, "contact")
    phones = _phones(cells, region, name, built, notes)
    email = _email(cells, notes)
    if contact:
        # the numbers in a row with a contact person are that person's
        person: dict = {"name": contact}
        if phones:
            person["phones"] = phones
        if email:
            person["email"] = email
        data["contacts"] = [person]
    else:
        if phones:
            data["phones"] = phones
        if email:
            data["email"] = email
    agreement = _one(cells, "agreement")
    expires = _one(cells, "expires")
    if agreement and agreement.lower().strip(".") not in _NO_WORDS:
        data["agreement"] = {"title": agreement}
        if expires:
            day = find_date(expires)
            if day is not None:
                data["agreement"]["expires"] = day
            else:
                notes.append(f"{_clean(cells['expires'][0][0].header)}: {expires}")
    elif expires:
        notes.append(f"{_clean(cells['expires'][0][0].header)}: {expires}")
    return Entry(data, notes)


def ordinal_letter(kind: str) -> str:
    """The letter an annex of this kind has in both countries' plans: A, B, C, D."""
    return {"contacts": "A", "resources": "B", "plan-register": "C", "partners": "D"}[kind]


