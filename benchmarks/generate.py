#!/usr/bin/env python3
"""Generate a national-scale corpus of fictional municipal emergency plans.

    python benchmarks/generate.py OUT --municipalities 455 --seed 1 [--error-share 0.1]

Writes OUT/ as a repository root (it has a `beredskap.yaml`) holding one plan
folder per municipality under `kommuner/no/` (Norwegian, bokmål) and
`kommuner/dk/` (Danish), in the proportion 357 : 98, plus shared partner
files of the inter-municipal emergency services under `kommuner/*/_felles/`
and `kommuner/*/_faelles/`. Every plan has plan.yaml with 20-40 nested
sections, an alert list of 30-60 people, resources, a plan register,
partners, templates, two to four extra annexes and 11-20 action cards.

The corpus is fully determined by the seed: the same arguments give a
byte-identical tree. With `--error-share 0` (the default) `beredskap validate
OUT --today 2026-11-23` reports no errors and no warnings; only `info`
findings about approvals recorded without a digest. With `--error-share F`
a share F of the plans gets errors injected, together covering every rule of
`beredskap rules`; OUT/manifest.json lists what was injected where.

OUT/corpus.json lists every generated YAML file with its kind (used by
benchmarks/run.py) and the totals.

Only the Python standard library is used.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import posixpath
import random
import re
import shutil
import sys
import textwrap
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus_text import LANGS  # noqa: E402

GENERATOR_VERSION = "1"
REFERENCE_DATE = date(2026, 11, 23)  # the `--today` the corpus is valid for
LATEST = REFERENCE_DATE - timedelta(days=1)  # no event is dated later than this
SHARE_NORWAY = 357 / 455

# every rule of `beredskap rules`, in the order errors are handed out
RULES = [
    "yaml-syntax", "duplicate-key", "schema", "duplicate-id", "duplicate-shows", "unknown-ref",
    "wrong-ref-kind", "missing-file", "unreferenced-file", "unsafe-path", "role-without-deputy",
    "holder-without-phone", "invalid-phone", "clearance-missing", "clearance-expired",
    "stale-contact", "required-content", "policy-too-loose", "date-order", "open-finding",
    "approval-status", "classified-marking", "placeholder", "comment-in-text", "private-in-text",
]
# rules that can only be broken in some jurisdictions (Denmark sets no legal interval)
ONLY_IN = {"policy-too-loose": {"NO"}}

HISTORY_KEYS = ("approvals", "submissions", "revisions", "exercises", "incidents")


# ---------------------------------------------------------------------------
# YAML writing (deterministic, human-looking, and read back to the same values)
# ---------------------------------------------------------------------------

class Plain(str):
    """A string written exactly as it is, unquoted (to make a YAML mistake on purpose)."""


class Flow(list):
    """A list written in flow style: [a, b, c]."""


class FlowMap(dict):
    """A mapping written in flow style: {number: "+47 ...", label: mobil}."""


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_RESERVED = {"true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"}


def _plain_ok(s: str, flow: bool) -> bool:
    if not s or s[0] in "-?:,[]{}#&*!|>'\"%@` +.0123456789" or s[-1] in " :":
        return False
    if s.lower() in _RESERVED or "\n" in s or "\t" in s or ": " in s or " #" in s:
        return False
    if flow and any(c in s for c in ",[]{}:"):
        return False
    return True


def scalar(value, flow: bool = False) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Plain):
        return str(value)
    if _DATE.match(value) or _plain_ok(value, flow):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _flow(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v, True)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(scalar(v, True) for v in value) + "]"


def _literal(head: str, text: str, indent: int, out: list[str]) -> None:
    out.append(f"{head} |")
    pad = " " * indent
    for line in text.rstrip("\n").split("\n"):
        out.append(f"{pad}{line}" if line else "")


def _emit_value(head: str, value, indent: int, out: list[str]) -> None:
    """Write `value` after `head` ("key:" or "-"), children indented by `indent`."""
    if isinstance(value, (Flow, FlowMap)):
        out.append(f"{head} {_flow(value)}")
    elif isinstance(value, dict):
        if not value:
            out.append(f"{head} {{}}")
        elif head.endswith("-"):  # a mapping as a sequence item: first key on the dash line
            lines: list[str] = []
            _emit_map(value, indent, lines)
            out.append(f"{head} {lines[0][indent:]}")
            out.extend(lines[1:])
        else:
            out.append(head)
            _emit_map(value, indent, out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{head} []")
        else:
            out.append(head)
            _emit_seq(value, indent, out)
    elif isinstance(value, str) and "\n" in value:
        _literal(head, value, indent, out)
    else:
        out.append(f"{head} {scalar(value)}")


def _emit_map(mapping: dict, indent: int, out: list[str], top: bool = False) -> None:
    pad = " " * indent
    for i, (key, value) in enumerate(mapping.items()):
        block = isinstance(value, (dict, list)) and not isinstance(value, (Flow, FlowMap)) and value
        if top and block and i > 2:
            out.append("")
        _emit_value(f"{pad}{key}:", value, indent + 2, out)


def _emit_seq(items: list, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        _emit_value(f"{pad}-", item, indent + 2, out)


def to_yaml(data: dict, comment: str = "") -> str:
    out = [f"# {line}" if line else "#" for line in comment.splitlines()]
    _emit_map(data, 0, out, top=True)
    return "\n".join(out) + "\n"


def canonical_digest(plan: dict) -> str:
    """`beredskap approve`'s digest: plan.yaml without history keys, canonical JSON."""
    content = {k: v for k, v in plan.items() if k not in HISTORY_KEYS}
    raw = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower().translate(_TRANSLIT)).strip("-")
    return s[:63].rstrip("-") or "x"


def rand_date(rng: random.Random, lo: date, hi: date) -> date:
    if hi <= lo:
        return lo
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def iso(day: date) -> str:
    return day.isoformat()


D = date.fromisoformat


def wrap(text: str, width: int = 78) -> str:
    return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


class Ids:
    """One plan's id namespace: every id handed out is unique."""

    def __init__(self, reserved=()):
        self.used: set[str] = set(reserved)

    def take(self, base: str) -> str:
        base = slug(base)
        candidate, n = base, 2
        while candidate in self.used:
            suffix = f"-{n}"
            candidate = base[:63 - len(suffix)] + suffix
            n += 1
        self.used.add(candidate)
        return candidate


# phone number ranges that are valid in the `phonenumbers` metadata
NO_MOBILE = ["40", "41", "46", "47", "48", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99"]
NO_FIXED = ["21", "22", "23", "24", "31", "32", "33", "35", "37", "38", "51", "52", "53", "55", "56",
            "57", "61", "62", "63", "64", "66", "67", "68", "69", "70", "71", "72", "73", "74", "75",
            "76", "77", "78"]
DK_MOBILE = ["20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "40", "41", "42",
             "50", "51", "52", "53", "60", "61"]
DK_FIXED = ["32", "33", "35", "36", "38", "39", "43", "44", "45", "46", "47", "48", "49", "54", "55",
            "56", "57", "58", "59", "62", "63", "64", "65", "66", "69", "70", "72", "73", "74", "75",
            "76", "86", "87", "88", "89", "96", "97", "98", "99"]


def phone_number(rng: random.Random, country: str, mobile: bool, international: bool) -> str:
    if country == "NO":
        digits = rng.choice(NO_MOBILE if mobile else NO_FIXED) + f"{rng.randrange(10**6):06d}"
        if mobile and rng.random() < 0.4:
            local = f"{digits[:3]} {digits[3:5]} {digits[5:]}"
        else:
            local = f"{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
        prefix = "+47 "
    else:
        digits = (rng.choice(DK_MOBILE if mobile else DK_FIXED) + str(rng.randint(1, 9))
                  + f"{rng.randrange(10**5):05d}")
        local = f"{digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}"
        prefix = "+45 "
    return prefix + local if international else local


INVALID_NUMBER = {"NO": "+47 12 34 56 78", "DK": "+45 01 23 45 67"}


# ---------------------------------------------------------------------------
# municipalities
# ---------------------------------------------------------------------------

@dataclass
class Municipality:
    index: int  # position within its country
    lang: dict
    name: str
    number: str
    folder: str  # relative to the corpus root, e.g. kommuner/no/fjellvik
    region: str
    service: str  # slug of the inter-municipal emergency service
    shared: str | None  # shared partners file (relative to the corpus root) or None
    neighbours: tuple[str, str]

    @property
    def country(self) -> str:
        return self.lang["country"]

    @property
    def org(self) -> str:
        return self.lang["org"].replace("{name}", self.name)


def municipality_counts(n: int) -> tuple[int, int]:
    norway = round(n * SHARE_NORWAY)
    if n >= 2:
        norway = min(max(norway, 1), n - 1)
    return norway, n - norway


def make_municipalities(n: int, seed: int) -> list[Municipality]:
    norway, denmark = municipality_counts(n)
    result = []
    for lang, count in ((LANGS["nb"], norway), (LANGS["da"], denmark)):
        rng = random.Random(f"{seed}:names:{lang['country']}")
        combos = [p + s for p in lang["name_prefixes"] for s in lang["name_suffixes"]]
        rng.shuffle(combos)
        names, slugs = [], set()
        for combo in combos:
            name = combo[0].upper() + combo[1:]
            if slug(name) not in slugs and not combo.endswith(combo[-3:] * 2):
                names.append(name)
                slugs.add(slug(name))
            if len(names) == count:
                break
        if len(names) < count:
            # past the two-part names (about 1,300 per country), three parts: "Nordbergvik";
            # the first names, and so every smaller corpus, stay as they were
            more = [p + q.lower() + s for p in lang["name_prefixes"]
                    for q in lang["name_prefixes"] if q != p for s in lang["name_suffixes"]]
            rng.shuffle(more)
            for combo in more:
                name = combo[0].upper() + combo[1:]
                if slug(name) not in slugs:
                    names.append(name)
                    slugs.add(slug(name))
                if len(names) == count:
                    break
        if len(names) < count:
            raise SystemExit(f"cannot make {count} distinct {lang['country']} municipality names")
        if lang["country"] == "NO":
            pool = range(3001, 5700) if count <= 2699 else range(1000, 10000)
            numbers = [f"{x:04d}" for x in rng.sample(pool, count)]
        else:  # three digits as in Denmark while they last, then four
            pool = range(101, 861) if count <= 760 else [*range(100, 1000), *range(1000, 10000)]
            numbers = [f"{x:03d}" for x in rng.sample(pool, count)]
        # inter-municipal emergency services of 3-7 neighbouring municipalities
        services = []
        i = 0
        while i < count:
            size = rng.randint(3, 7)
            services.append((i, min(count, i + size)))
            i += size
        for s_no, (lo, hi) in enumerate(services):
            region = lang["regions"][s_no % len(lang["regions"])]
            lead = names[lo]
            service = slug(f"{lead}-{region}")
            shared = None
            if hi - lo >= 2 and rng.random() < 0.6:
                shared = f"kommuner/{lang['folder']}/{lang['shared_folder']}/{service}-partnere.yaml"
            for j in range(lo, hi):
                neighbours = (names[(j + 1) % count], names[(j - 1) % count])
                if count < 3:
                    neighbours = (names[(j + 1) % count] if count > 1 else names[j] + "dal",
                                  names[j] + "by")
                result.append(Municipality(
                    index=j, lang=lang, name=names[j], number=numbers[j],
                    folder=f"kommuner/{lang['folder']}/{slug(names[j])}", region=region,
                    service=service, shared=shared, neighbours=neighbours))
    return result


# ---------------------------------------------------------------------------
# one plan
# ---------------------------------------------------------------------------

@dataclass
class FileSpec:
    kind: str
    data: dict
    comment: str = ""
    raw_edit: tuple | None = None  # applied to the written text (for syntax errors)

    def text(self) -> str:
        text = to_yaml(self.data, self.comment)
        if self.raw_edit:
            text = apply_raw_edit(text, self.raw_edit)
        return text


@dataclass
class Person:
    data: dict
    file: str  # relative path of the contacts file holding it
    roles: list = field(default_factory=list)  # ids of roles held


@dataclass
class Bundle:
    """A generated plan: its files and what the error injection needs to find."""

    muni: Municipality
    files: dict[str, FileSpec]  # corpus-relative path -> file
    plan_path: str
    people: list[Person]
    roles: list[dict]
    clearance_roles: set[str]
    contacts_path: str
    resources_path: str
    templates_path: str
    card_paths: list[str]
    ids: Ids
    partner_ids: list[str]
    digest_approvals: list[dict] = field(default_factory=list)  # approvals to give a digest

    @property
    def plan(self) -> dict:
        return self.files[self.plan_path].data


def fill(text: str, slots: dict) -> str:
    for key, value in slots.items():
        text = text.replace("{" + key + "}", value)
    return text


class PlanBuilder:
    def __init__(self, muni: Municipality, seed: int, shared_ids: list[str], shared_names: list[str]):
        self.m = muni
        self.L = muni.lang
        self.rng = random.Random(f"{seed}:plan:{muni.country}:{muni.index}")
        self.ids = Ids(shared_ids)
        self.shared_ids = shared_ids
        self.shared_names = shared_names
        self.domain = f"{slug(muni.name)}.kommune.example"

    # -- text -------------------------------------------------------------
    def slots(self) -> dict:
        r, L = self.rng, self.L
        hazards = r.sample(L["hazards"], 2)
        return {
            "org": self.m.org, "name": self.m.name, "haz": hazards[0],
            "haz2": hazards[1], "hazpair": r.choice(L["hazard_pairs"]),
            "place": fill(r.choice(L["places"]), {"name": self.m.name}),
            "partner": r.choice(self.partner_names) if self.partner_names else self.m.org,
            "hours": str(r.choice([2, 3, 4, 6, 12, 24])),
        }

    def body(self, theme: str, paragraphs: int) -> str:
        """Markdown for one section: its theme's sentences first, then general ones."""
        r, pool = self.rng, self.L["sentences"]
        own, general = list(pool.get(theme, [])), list(pool["generic"])
        r.shuffle(own)
        r.shuffle(general)
        queue = own + general
        parts = []
        for _ in range(paragraphs):
            count = r.randint(2, 4)
            chosen, queue = queue[:count], queue[count:]
            if chosen:
                parts.append(wrap(" ".join(fill(s, self.slots()) for s in chosen)))
        if r.random() < 0.3:
            items = r.sample(self.L["bullets"], r.randint(3, 5))
            parts.insert(r.randint(1, len(parts)), "\n".join(f"- {i}" for i in items))
        if r.random() < 0.15:
            parts[0] = f"**{self.m.name}.** " + parts[0]
        return "\n\n".join(parts) + "\n"

    # -- people and roles ----------------------------------------------------
    def build_roles_and_people(self):
        r, L = self.rng, self.L
        optional = r.sample(L["optional_roles"], r.randint(2, len(L["optional_roles"])))
        catalog = list(L["roles"]) + [x for x in L["optional_roles"] if x in optional]
        wanted = r.randint(30, 60)
        names = set()
        people: list[Person] = []

        def new_person(position: str, unit: str) -> Person:
            while True:
                first, last = r.choice(L["first_names"]), r.choice(L["last_names"])
                if (first, last) not in names:
                    names.add((first, last))
                    break
            data = {"id": self.ids.take(f"{first}-{last}"), "name": f"{first} {last}",
                    "position": position, "unit": unit}
            p = Person(data, "")
            people.append(p)
            return p

        roles, clearance_roles = [], set()
        for rid, title, pos1, pos2, unit, clearance, duties in catalog:
            primary = new_person(pos1, unit)
            holders = [primary]
            for _ in range(1 if r.random() < 0.8 else 2):
                reuse = [p for p in people if p not in holders and p.roles and len(p.roles) < 2]
                if reuse and r.random() < 0.25:
                    holders.append(r.choice(reuse))
                else:
                    holders.append(new_person(pos2, unit))
            for p in holders:
                p.roles.append(rid)
            role = {"id": self.ids.take(rid), "title": title,
                    "holders": Flow(p.data["id"] for p in holders)}
            if clearance:
                role["clearance_required"] = True
                clearance_roles.add(rid)
            role["duties"] = wrap(duties) + "\n" if len(duties) > 80 else duties
            roles.append(role)
        while len(people) < wanted:
            position, unit = r.choice(L["extra_positions"])
            new_person(position, unit)

        for p in people:
            self.finish_person(p, clearance=any(x in clearance_roles for x in p.roles))
        return roles, clearance_roles, people

    def finish_person(self, p: Person, clearance: bool):
        r, country = self.rng, self.m.country
        first, *rest = p.data["name"].split(" ")
        phones = [FlowMap(number=phone_number(r, country, True, r.random() < 0.8),
                          label=r.choice(["mobil", "mobil", self.L["phone_labels"][3]]))]
        if r.random() < 0.6:
            phones.insert(0, FlowMap(number=phone_number(r, country, False, True),
                                     label=self.L["phone_labels"][r.choice([1, 2])]))
        if p.roles and r.random() < 0.35:
            phones.append(FlowMap(number=phone_number(r, country, True, False),
                                  label=self.L["private_label"], private=True))
        p.data["phones"] = phones
        p.data["email"] = f"{slug(first)}.{slug(' '.join(rest))}@{self.domain}".replace("-", ".")
        if clearance or (not p.roles and r.random() < 0.08):
            p.data["clearance"] = FlowMap(level=r.choice(self.L["clearance_levels"]),
                                          expires=iso(rand_date(r, D("2027-03-01"), D("2031-12-31"))))
        p.data["verified"] = iso(rand_date(r, D("2026-08-01"), LATEST))

    # -- the plan ------------------------------------------------------------
    def build(self) -> Bundle:
        r, L, m = self.rng, self.L, self.m
        self.partner_names = list(self.shared_names)
        local_partners = self.partner_entries(L["local_partners"], r.randint(8, 14), shared=False)
        self.partner_names += [p["name"] for p in local_partners]
        roles, clearance_roles, people = self.build_roles_and_people()
        role_ids = [x["id"] for x in roles]
        holders_of = {x["id"]: list(x["holders"]) for x in roles}

        sub = r.random() < 0.3
        annex_dir = ("vedlegg/" if m.country == "NO" else "bilag/") if sub else ""
        names = ({"A": "a-varslingsliste", "B": "b-ressursoversikt", "C": "c-planverk",
                  "D": "d-samarbeidspartnere", "E": "e-maler"} if m.country == "NO" else
                 {"A": "a-alarmeringsliste", "B": "b-ressourcer", "C": "c-beredskabsplaner",
                  "D": "d-samarbejdspartnere", "E": "e-skabeloner"})
        word = "vedlegg" if m.country == "NO" else "bilag"
        rel = {k: f"{annex_dir}{word}-{v}.yaml" for k, v in names.items()}
        files: dict[str, FileSpec] = {}

        def path(relative: str) -> str:
            return f"{m.folder}/{relative}"

        # extra annexes: 1-4 of these
        extras_catalog = ["contacts", "resources", "templates", "partners"]
        n_extra = r.randint(2, 4)
        extras = r.sample(extras_catalog, n_extra)
        if m.shared and "partners" not in extras:
            extras[-1] = "partners"  # the plan's own partners, next to the shared file

        # people: holders in A, some others in an extra contacts annex
        extra_people = [p for p in people if not p.roles]
        support = extra_people[len(extra_people) // 2:] if "contacts" in extras else []
        main_people = [p for p in people if p not in support]
        for p in main_people:
            p.file = path(rel["A"])

        resources_all = list(L["resources"])
        r.shuffle(resources_all)
        n_res = r.randint(14, 20)
        res_main, res_extra = resources_all[:n_res], resources_all[n_res:n_res + r.randint(4, 8)]
        templates_all = list(L["templates"])
        r.shuffle(templates_all)
        n_tpl = r.randint(4, 6)
        tpl_main, tpl_extra = templates_all[:n_tpl], templates_all[n_tpl:]
        local_main = local_partners if not m.shared else []
        local_extra = local_partners if m.shared else []

        # -- sections
        sections = self.sections()

        # -- annex files
        letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        annexes = []
        t = {"NO": {"A": "Varslingsliste", "B": "Ressursoversikt", "C": "Kommunens planverk",
                    "D": "Samarbeidspartnere", "E": "Maler", "F": "Tiltakskort",
                    "contacts": "Støttepersonell og kriseteam", "resources": "Ressurser hos frivillige og næringsliv",
                    "templates": "Maler for informasjon til innbyggere", "partners": "Lokale samarbeidspartnere"},
             "DK": {"A": "Alarmeringsliste", "B": "Taktiske ressourcer", "C": "Beredskabsplaner",
                    "D": "Eksterne samarbejdspartnere", "E": "Skabeloner", "F": "Actioncards",
                    "contacts": "Støttefunktioner og psykosocialt beredskab",
                    "resources": "Ressourcer hos frivillige og erhvervsliv",
                    "templates": "Skabeloner til borgerinformation", "partners": "Lokale samarbejdspartnere"}}[m.country]

        def annex(title: str, file: str | None = None, cards: str | None = None, **extra):
            entry = {"letter": next(letters), "title": title}
            if file:
                entry["file"] = file
            if cards:
                entry["cards"] = cards
            entry.update(extra)
            annexes.append(FlowMap(entry) if not extra else entry)

        files[path(rel["A"])] = FileSpec("contacts", self.contacts_file(main_people, t["A"]),
                                         f"{word.capitalize()} A – {t['A']} for {m.org}.\n"
                                         "Alle navn og numre er fiktive." if m.country == "NO" else
                                         f"Bilag A – {t['A']} for {m.org}.\n"
                                         "Alle navne og numre er fiktive.")
        annex(t["A"], rel["A"], **({"exempt": FlowMap(basis=self.exempt_basis())} if r.random() < 0.2 else {}))
        resources_data = self.resources_file(res_main, t["B"], role_ids, holders_of, local_main or local_extra)
        files[path(rel["B"])] = FileSpec("resources", resources_data, f"{word.capitalize()} B – {t['B']}.")
        annex(t["B"], rel["B"])
        files[path(rel["C"])] = FileSpec("plan-register", self.register_file(t["C"], role_ids),
                                         f"{word.capitalize()} C – {t['C']}.")
        annex(t["C"], rel["C"])
        if m.shared:
            annex(t["D"], posixpath.relpath(m.shared, m.folder))
        else:
            files[path(rel["D"])] = FileSpec("partners", self.partners_file(local_main, t["D"]),
                                             f"{word.capitalize()} D – {t['D']}.")
            annex(t["D"], rel["D"])
        templates_data = self.templates_file(tpl_main, t["E"])
        files[path(rel["E"])] = FileSpec("templates", templates_data, f"{word.capitalize()} E – {t['E']}.")
        annex(t["E"], rel["E"])
        cards_dir = L["cards_folder"] + "/"
        annex(t["F"], cards=cards_dir)
        card_paths = []
        for card_file, card in self.cards(role_ids, holders_of):
            files[path(cards_dir + card_file)] = FileSpec(
                "action-card", card, f"{t['F']} – {card['title']}.")
            card_paths.append(path(cards_dir + card_file))
        for kind in extras:
            letter = "abcdefghijklmnopqrstuvwxyz"[len(annexes)]
            fname = f"{annex_dir}{word}-{letter}-{slug(t[kind])}.yaml"
            if kind == "contacts":
                for p in support:
                    p.file = path(fname)
                data = self.contacts_file(support, t[kind])
            elif kind == "resources":
                data = self.resources_file(res_extra, t[kind], role_ids, holders_of, local_partners)
            elif kind == "templates":
                data = self.templates_file(tpl_extra or templates_all[:2], t[kind], suffix="info")
            else:
                data = self.partners_file(local_extra or self.partner_entries(
                    L["local_partners"], 3, shared=False, suffix="lokal"), t[kind])
            files[path(fname)] = FileSpec(kind, data, f"{word.capitalize()} {letter.upper()} – {t[kind]}.")
            annex(t[kind], fname)

        plan = self.plan_data(roles, sections, annexes, role_ids)
        files[path("plan.yaml")] = FileSpec(
            "plan", plan,
            (f"Overordnet beredskapsplan for {m.org} – fiktivt eksempel.\n"
             "Kommunen, personene og numrene i denne filen finnes ikke i virkeligheten.")
            if m.country == "NO" else
            (f"Beredskabsplan for {m.org} – fiktivt eksempel.\n"
             "Kommunen, personerne og numrene i denne fil findes ikke i virkeligheden."))
        bundle = Bundle(
            muni=m, files=files, plan_path=path("plan.yaml"), people=people, roles=roles,
            clearance_roles=clearance_roles, contacts_path=path(rel["A"]),
            resources_path=path(rel["B"]), templates_path=path(rel["E"]), card_paths=card_paths,
            ids=self.ids, partner_ids=self.partner_ids)
        bundle.digest_approvals = [a for a in plan.get("approvals", [])[-1:] if r.random() < 0.8]
        return bundle

    def exempt_basis(self) -> str:
        return ("offentleglova § 24 tredje ledd" if self.m.country == "NO"
                else "offentlighedsloven § 33, nr. 1")

    def contacts_file(self, people: list[Person], title: str) -> dict:
        desc = (f"Listen viser personene i {self.m.org}s beredskapsorganisasjon. Hvem som har hvilken rolle, "
                "og hvem som er stedfortreder, står i planen. Ring alltid det øverste nummeret først."
                if self.m.country == "NO" else
                f"Listen rummer de personer, der har en rolle i {self.m.org}s krisestyring. Hvilken rolle hver "
                "person har, fremgår af planen. Ring altid først til det nummer, der står øverst.")
        return {"beredskap": 1, "kind": "contacts", "title": title, "description": wrap(desc) + "\n",
                "people": [p.data for p in people]}

    def partner_entries(self, catalog, count: int, shared: bool, suffix: str = "") -> list[dict]:
        r, m = self.rng, self.m
        chosen = [c for c in catalog if c in r.sample(catalog, min(count, len(catalog)))]
        entries = []
        for pid, name, ptype in chosen:
            name = fill(name, {"name": m.name, "region": m.region, "neighbour1": m.neighbours[0],
                               "neighbour2": m.neighbours[1]})
            pid = self.ids.take(f"{pid}-{suffix}" if suffix else pid)
            entries.append(self.partner(pid, name, ptype, r))
        if not shared:
            self.partner_ids = getattr(self, "partner_ids", []) + [e["id"] for e in entries]
        return entries

    def partner(self, pid: str, name: str, ptype: str, r: random.Random) -> dict:
        country = self.m.country
        domain = slug(name).replace("-", "")[:24] + ".example"
        entry = {"id": pid, "name": name, "type": ptype,
                 "phones": [FlowMap(number=phone_number(r, country, False, True),
                                    label="vakttelefon" if country == "NO" else "vagttelefon")],
                 "email": f"post@{domain}"}
        contacts = []
        for _ in range(r.randint(1, 2)):
            first, last = r.choice(self.L["first_names"]), r.choice(self.L["last_names"])
            contacts.append({"name": f"{first} {last}", "role": r.choice(self.L["partner_roles"]),
                             "phones": [FlowMap(number=phone_number(r, country, True, True), label="mobil")],
                             "email": f"{slug(first)}.{slug(last)}@{domain}".replace("-", ".")})
        entry["contacts"] = contacts
        if r.random() < 0.5:
            entry["agreement"] = FlowMap(title=r.choice(self.L["agreement_titles"]),
                                         expires=iso(rand_date(r, D("2027-06-30"), D("2030-12-31"))))
        entry["verified"] = iso(rand_date(r, D("2026-08-01"), LATEST))
        return entry

    def partners_file(self, entries: list[dict], title: str) -> dict:
        return {"beredskap": 1, "kind": "partners", "title": title, "partners": entries}

    def resources_file(self, catalog, title, role_ids, holders_of, partners) -> dict:
        r, m, L = self.rng, self.m, self.L
        entries = []
        for rid, name, category, quantity, owner, requisition, availability in catalog:
            owner = owner if owner in role_ids else L["owner"]
            entry = {"id": self.ids.take(rid), "name": fill(name, {"place": fill(r.choice(L["places"]),
                                                                                  {"name": m.name})}),
                     "category": category, "quantity": quantity,
                     "location": f"{r.choice(L['streets'])} {r.randint(1, 60)}, {m.name}"}
            if partners and r.random() < 0.15:
                partner = r.choice(partners)["id"]
                entry["owner"] = partner
                entry["contact"] = partner
            else:
                entry["owner"] = owner
                entry["contact"] = r.choice(holders_of[owner])
            entry["requisition"] = requisition if len(requisition) < 90 else wrap(requisition) + "\n"
            entry["availability"] = availability
            entries.append(entry)
        return {"beredskap": 1, "kind": "resources", "title": title,
                "verified": iso(rand_date(r, D("2026-08-01"), LATEST)), "resources": entries}

    def register_file(self, title: str, role_ids: list[str]) -> dict:
        r, L = self.rng, self.L
        catalog = L["subplans"]
        chosen = [catalog[0]] + [c for c in catalog[1:] if c in r.sample(catalog[1:], r.randint(7, 15))]
        levels = [lv[0] for lv in L["levels"]]
        entries = []
        for sid, stitle, owner, statutory in chosen:
            entry = {"id": self.ids.take(sid), "title": stitle,
                     "owner": owner if owner in role_ids else L["owner"],
                     "level": r.choice(levels[1:]), "approved_by": r.choice(L["subplan_approvers"]),
                     "last_revised": iso(rand_date(r, D("2025-09-01"), LATEST)),
                     "review_every": r.choice(["P1Y", "P1Y", "P2Y", "P4Y"]),
                     "location": r.choice(L["subplan_locations"])}
            if statutory:
                entry["statutory"] = statutory
            if r.random() < 0.1:
                entry["exempt"] = FlowMap(basis=self.exempt_basis())
            entries.append(entry)
        return {"beredskap": 1, "kind": "plan-register", "title": title, "plans": entries}

    def templates_file(self, catalog, title: str, suffix: str = "") -> dict:
        entries = []
        for tid, ttitle, purpose, lines in catalog:
            base = f"{self.L['template_prefix']}-{tid}" + (f"-{suffix}" if suffix else "")
            body = "\n".join(line.replace("{org}", self.m.org) for line in lines) + "\n"
            entries.append({"id": self.ids.take(base), "title": ttitle, "purpose": purpose, "body": body})
        return {"beredskap": 1, "kind": "templates", "title": title, "templates": entries}

    def cards(self, role_ids, holders_of):
        r, L = self.rng, self.L
        catalog = L["cards"]
        chosen = [c for c in catalog if c in r.sample(catalog, r.randint(11, min(20, len(catalog))))]
        top_level = max(lv[0] for lv in L["levels"])
        for cid, title, trigger, specific in chosen:
            steps, roles_used = [], []
            generic = r.sample(L["generic_steps"], r.randint(3, 6))
            for text, who, within in specific[:1] + generic[:2] + specific[1:] + generic[2:]:
                step = {"text": fill(text, {"partner": r.choice(self.partner_names)}), "who": who}
                if within:
                    step["within"] = within
                steps.append(step)
                roles_used.append(who)
            people = []
            for role in dict.fromkeys(roles_used):
                people.extend(holders_of[role][:1 + (r.random() < 0.4)])
            contacts = list(dict.fromkeys(people))[:r.randint(3, 6)]
            if self.partner_ids or self.shared_ids:
                contacts += r.sample(self.partner_ids + self.shared_ids,
                                     min(r.randint(0, 2), len(self.partner_ids + self.shared_ids)))
            card_id = self.ids.take(f"{L['card_prefix']}-{cid}")
            card = {"beredskap": 1, "kind": "action-card", "id": card_id, "title": title,
                    "owner": specific[0][1], "level": r.choice([top_level, top_level - 1]),
                    "trigger": wrap(trigger) + "\n" if len(trigger) > 70 else trigger,
                    "steps": steps, "contacts": Flow(contacts),
                    "reviewed": iso(rand_date(r, D("2026-01-05"), LATEST)), "review_every": "P1Y"}
            yield f"{cid}.yaml", card

    def sections(self) -> list[dict]:
        r = self.rng
        catalog = self.L["sections"]
        chapters = len(catalog)
        mandatory, optional = [], []
        for chapter in catalog:
            for sub in chapter[4]:
                (mandatory if sub[2] else optional).append(sub)
        target = r.randint(20, 40)
        chosen = {id(s) for s in mandatory}
        count = chapters + len(mandatory)
        r.shuffle(optional)
        nested = []
        for sub in optional:
            if count >= target:
                break
            chosen.add(id(sub))
            count += 1
        for chapter in catalog:
            for sub in chapter[4]:
                if id(sub) in chosen:
                    nested.extend(sub[4])
        for subsub in nested:
            if count >= target:
                break
            chosen.add(id(subsub))
            count += 1

        def node(entry, depth):
            sid, title, covers, theme, children = entry
            data = {"id": self.ids.take(sid), "title": title}
            if covers:
                data["covers"] = Flow(covers)
            if theme in ("clearance",) and r.random() < 0.7:
                data["exempt"] = FlowMap(basis=self.exempt_basis())
            kids = [c for c in children if id(c) in chosen]
            if depth == 0 or not kids or r.random() < 0.8:
                data["body"] = self.body(theme, r.randint(1, 2) if depth == 0 else r.randint(2, 3))
            if kids:
                data["sections"] = [node(c, depth + 1) for c in kids]
            return data

        return [node(ch, 0) for ch in catalog]

    def plan_data(self, roles, sections, annexes, role_ids) -> dict:
        r, L, m = self.rng, self.L, self.m
        owner = L["owner"]
        case = f"{r.randint(21, 26)}/{r.randint(1000, 9999)}"
        plan = {"beredskap": 1, "kind": "plan",
                "id": self.ids.take("overordnet-beredskapsplan" if m.country == "NO" else "hovedberedskabsplan"),
                "title": fill(r.choice(L["plan_title"]), {"name": m.name}),
                "subtitle": r.choice(L["plan_subtitle"]),
                "organization": FlowMap(name=m.org, country=m.country, municipality_number=m.number),
                "language": L["language"], "owner": owner, "case_number": case,
                "jurisdiction": L["jurisdiction"]}
        # approvals (and, in Denmark, submissions to the national authority)
        approvals = []
        if m.country == "NO":
            first = rand_date(r, D("2021-01-10"), D("2024-06-30"))
            approvals.append(FlowMap(date=iso(first), by=L["council"], case=f"{first.year % 100}/{r.randint(1000, 9999)}"))
            if r.random() < 0.7:
                second = rand_date(r, first + timedelta(days=200), D("2026-10-31"))
                approvals.append(FlowMap(date=iso(second), by=L["council"], case=case))
        else:
            first = rand_date(r, D("2022-03-01"), D("2023-06-30"))
            approvals.append(FlowMap(date=iso(first), by=L["council"], case=f"{first.year % 100}/{r.randint(1000, 9999)}"))
            if r.random() < 0.85:
                second = rand_date(r, D("2026-01-20"), D("2026-10-31"))
                approvals.append(FlowMap(date=iso(second), by=L["council"], case=case))
        plan["approvals"] = approvals
        if m.country == "DK":
            plan["submissions"] = [
                FlowMap(date=iso(min(D(a["date"]) + timedelta(days=r.randint(2, 20)), LATEST)),
                        to=L["recipients"][1] if a["date"] < "2025" else L["recipients"][0])
                for a in approvals]
        revisions = sorted(rand_date(r, D("2024-01-15"), LATEST) for _ in range(r.randint(1, 4)))
        revisions[-1] = max(revisions[-1], rand_date(r, D("2026-01-10"), LATEST))
        plan["revisions"] = [FlowMap(date=iso(d), summary=r.choice(L["revision_summaries"]), by=owner)
                             for d in sorted(set(revisions))]
        year = r.randint(2022, 2025)
        plan["risk_analysis"] = {"title": fill(L["risk_title"], {"name": m.name, "year": str(year)}),
                                 "date": iso(rand_date(r, D(f"{year}-02-01"), D(f"{year}-11-30"))),
                                 "review_every": "P4Y",
                                 "location": fill(r.choice(L["risk_location"]), {"case": case})}
        # exercises with findings
        staff_ids = [s[0] for s in L["staff"]]
        exercises = []
        days = sorted(rand_date(r, D("2023-03-01"), D("2026-10-20")) for _ in range(r.randint(1, 3)))
        days[-1] = max(days[-1], rand_date(r, D("2025-06-01"), D("2026-10-20")))
        days.sort()
        for day in days:
            title, etype = r.choice(L["exercise_titles"])
            ex = {"date": iso(day), "title": fill(title, {"haz": r.choice(L["hazards"])}), "type": etype}
            evaluated = day + timedelta(days=r.randint(10, 60))
            ex["evaluated"] = iso(evaluated) if evaluated <= LATEST else None
            findings = []
            texts = r.sample(L["finding_texts"], 3)
            for k in range(r.randint(0, 3)):
                due = day + timedelta(days=r.randint(60, 240))
                if due < REFERENCE_DATE or r.random() < 0.5:
                    closed = iso(rand_date(r, day + timedelta(days=5), min(due, LATEST)))
                else:
                    closed = None
                findings.append({"id": self.ids.take(f"{'funn' if m.country == 'NO' else 'f'}-{day.year}-{k + 1}"),
                                 "text": texts[k],
                                 "owner": r.choice(role_ids + staff_ids), "due": iso(due), "closed": closed})
            if findings:
                ex["findings"] = findings
            exercises.append(ex)
        plan["exercises"] = exercises
        levels = [lv[0] for lv in L["levels"]]
        incidents = []
        for _ in range(r.randint(0, 2)):
            day = rand_date(r, D("2024-01-10"), D("2026-09-30"))
            evaluated = day + timedelta(days=r.randint(20, 90))
            incidents.append(FlowMap(date=iso(day), title=fill(r.choice(L["incident_titles"]), {"name": m.name}),
                                     level=r.choice(levels[1:]),
                                     evaluated=iso(evaluated) if evaluated <= LATEST else None))
        if incidents:
            plan["incidents"] = sorted(incidents, key=lambda x: x["date"])
        if m.country == "NO":
            plan["policy"] = {"revise_every": "P1Y", "exercise_every": r.choice(["P1Y", "P2Y", "P2Y"]),
                              "evaluate_within": "P3M", "contacts_verify_every": "P6M"}
        else:
            plan["policy"] = {"exercise_every": "P2Y", "evaluate_within": "P3M",
                              "contacts_verify_every": "P6M", "submit_within": "P1M"}
        plan["levels"] = [{"level": n, "title": title, "description": wrap(desc) + "\n",
                           "decided_by": Flow(x for x in deciders if x in role_ids)}
                          for n, title, desc, deciders in L["levels"]]
        plan["roles"] = roles
        staff = []
        for sid, title, lead, members, desc in L["staff"]:
            staff.append({"id": self.ids.take(sid), "title": title, "lead": lead,
                          "members": Flow(x for x in members if x in role_ids), "description": desc})
        plan["staff"] = staff
        call_order = (["beredskapskoordinator", "kommunedirektor", "ordforer"] if m.country == "NO"
                      else ["beredskabschef", "borgmester", "kommunaldirektor"])
        plan["activation"] = {"call_order": Flow(call_order), "full_staff_within": "PT2H",
                              "sustain_for": "P3D", "description": wrap(L["activation_text"]) + "\n"}
        plan["sections"] = sections
        plan["annexes"] = annexes
        return plan


def shared_partner_file(muni: Municipality, seed: int) -> tuple[dict, list[str], list[str]]:
    """The partner file shared by one inter-municipal emergency service."""
    lang = muni.lang
    r = random.Random(f"{seed}:shared:{muni.shared}")
    builder = PlanBuilder(muni, seed, [], [])
    builder.rng = r
    entries = []
    catalog = lang["regional_partners"]
    chosen = [c for c in catalog if c in r.sample(catalog, r.randint(5, len(catalog)))]
    for pid, name, ptype in chosen:
        entries.append(builder.partner(pid, fill(name, {"region": muni.region}), ptype, r))
    title = ("Samarbeidspartnere – felles liste for " if lang["country"] == "NO"
             else "Eksterne samarbejdspartnere – fælles liste for ") + muni.region
    data = {"beredskap": 1, "kind": "partners", "title": title, "partners": entries}
    return data, [e["id"] for e in entries], [e["name"] for e in entries]


# ---------------------------------------------------------------------------
# error injection
# ---------------------------------------------------------------------------

def apply_raw_edit(text: str, edit: tuple) -> str:
    if edit[0] == "tab":  # a tab in the indentation of the first step
        return text.replace("\n  - text:", "\n\t- text:", 1)
    if edit[0] == "duplicate-key":  # a key given twice in the first entry
        key, value = edit[1], edit[2]
        match = re.search(rf"^( +){key}: .*$", text, flags=re.M)
        if match:
            line = f"{match.group(1)}{key}: {value}"
            return text[:match.end()] + "\n" + line + text[match.end():]
    return text


class Injector:
    def __init__(self, bundle: Bundle, rng: random.Random):
        self.b = bundle
        self.r = rng
        self.taken: set[str] = set()
        self.no = bundle.muni.country == "NO"

    def person(self, want) -> Person:
        for p in self.b.people:
            if p.data["id"] not in self.taken and want(p):
                self.taken.add(p.data["id"])
                return p
        raise RuntimeError("no person left for injection")

    def next_letter(self) -> str:
        used = {a["letter"] for a in self.b.plan["annexes"]}
        return next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used)

    def inject(self, rule: str) -> tuple[str, str]:
        """Break `rule` in this plan; return (file, what)."""
        b, plan = self.b, self.b.plan
        files = b.files
        if rule == "yaml-syntax":
            path = b.card_paths[-1]
            files[path].raw_edit = ("tab",)
            return path, "tab in the indentation of the first step"
        if rule == "duplicate-key":
            files[b.resources_path].raw_edit = ("duplicate-key", "category", "annet" if self.no else "andet")
            return b.resources_path, "`category` given twice in the first resource"
        if rule == "schema":
            p = self.person(lambda p: p.file == b.contacts_path and not p.roles)
            p.data["epost"] = p.data["email"]
            return p.file, f"unknown key `epost` in person {p.data['id']}"
        if rule == "duplicate-id":
            section_id = plan["sections"][0]["id"]
            files[b.templates_path].data["templates"][0]["id"] = section_id
            return b.templates_path, f"template id '{section_id}' is also a section id"
        if rule == "duplicate-shows":
            first, second = plan["sections"][0], plan["sections"][1]
            first["shows"] = ["levels"]
            second["shows"] = ["levels"]
            return b.plan_path, f"sections '{first['id']}' and '{second['id']}' both show the levels"
        if rule == "unknown-ref":
            path = b.card_paths[0]
            files[path].data["steps"][0]["who"] = "vakthavende-beredskapsleder"
            return path, "step `who` names a role that does not exist"
        if rule == "wrong-ref-kind":
            path = b.card_paths[1]
            person = b.roles[0]["holders"][0]
            files[path].data["owner"] = person
            return path, f"card owner '{person}' is a person, not a role"
        if rule == "missing-file":
            letter = self.next_letter()
            name = f"{'vedlegg' if self.no else 'bilag'}-{letter.lower()}-kart.yaml"
            plan["annexes"].append(FlowMap(letter=letter, title="Kart" if self.no else "Kort", file=name))
            return b.plan_path, f"annex {letter} names {name}, which does not exist"
        if rule == "unreferenced-file":
            path = f"{b.muni.folder}/gammel-varslingsliste.yaml"
            people = copy.deepcopy([p.data for p in b.people[:3]])
            files[path] = FileSpec("contacts", {"beredskap": 1, "kind": "contacts", "people": people},
                                   "Gammel kopi av varslingslisten.")
            return path, "a YAML file that no annex uses"
        if rule == "unsafe-path":
            letter = self.next_letter()
            plan["annexes"].append(FlowMap(letter=letter, title="Felles partnere" if self.no else "Fælles partnere",
                                           file="../../../../felles/partnere.yaml"))
            return b.plan_path, f"annex {letter} leads outside the repository"
        if rule == "role-without-deputy":
            role = next(x for x in b.roles if x["id"] not in b.clearance_roles)
            role["holders"] = Flow(role["holders"][:1])
            return b.plan_path, f"role {role['id']} has one holder"
        if rule == "holder-without-phone":
            p = self.person(lambda p: p.roles and not (set(p.roles) & b.clearance_roles))
            p.data["phones"] = []
            return p.file, f"holder {p.data['id']} has no phone"
        if rule == "invalid-phone":
            p = self.person(lambda p: True)
            p.data["phones"][0]["number"] = INVALID_NUMBER[b.muni.country]
            return p.file, f"invalid number for {p.data['id']}"
        if rule == "clearance-missing":
            p = self.person(lambda p: set(p.roles) & b.clearance_roles)
            del p.data["clearance"]
            return p.file, f"holder {p.data['id']} of a clearance role has no clearance"
        if rule == "clearance-expired":
            p = self.person(lambda p: set(p.roles) & b.clearance_roles)
            p.data["clearance"]["expires"] = "2026-06-30"
            return p.file, f"clearance of {p.data['id']} expired 2026-06-30"
        if rule == "stale-contact":
            p = self.person(lambda p: True)
            p.data["verified"] = "2025-11-03"
            return p.file, f"{p.data['id']} last verified 2025-11-03"
        if rule == "required-content":
            def strip(sections):
                for s in sections:
                    if "covers" in s and "crisis-communication" in s["covers"]:
                        rest = Flow(t for t in s["covers"] if t != "crisis-communication")
                        if rest:
                            s["covers"] = rest
                        else:
                            del s["covers"]
                    strip(s.get("sections", []))
            strip(plan["sections"])
            return b.plan_path, "no section covers crisis-communication"
        if rule == "policy-too-loose":
            plan["policy"]["exercise_every"] = "P3Y"
            return b.plan_path, "policy exercise_every P3Y is looser than the law's P2Y"
        if rule == "date-order":
            ex = plan["exercises"][0]
            ex["evaluated"] = iso(D(ex["date"]) - timedelta(days=10))
            return b.plan_path, "an exercise evaluated before it took place"
        if rule == "open-finding":
            ex = plan["exercises"][-1]
            due = min(D(ex["date"]) + timedelta(days=30), REFERENCE_DATE - timedelta(days=3))
            ex.setdefault("findings", []).append({
                "id": b.ids.take("funn-apent" if self.no else "f-aaben"),
                "text": self.r.choice(b.muni.lang["finding_texts"]), "owner": plan["owner"],
                "due": iso(due), "closed": None})
            return b.plan_path, f"finding due {iso(due)} and not closed"
        if rule == "approval-status":
            latest = plan["approvals"][-1]
            latest["digest"] = "sha256:" + hashlib.sha256(b"an earlier version of the plan").hexdigest()
            if latest in b.digest_approvals:
                b.digest_approvals.remove(latest)
            return b.plan_path, "the latest approval's digest does not match the plan"
        if rule == "classified-marking":
            section = plan["sections"][0]
            marking = ("Detaljene står i et eget dokument gradert KONFIDENSIELT." if self.no else
                       "Detaljerne står i et særskilt dokument klassificeret FORTROLIGT.")
            section["body"] = section["body"] + "\n" + marking + "\n"
            return b.plan_path, "a section body carries a classification marking"
        if rule == "private-in-text":
            p = self.person(lambda p: True)
            section = plan["sections"][0]
            section["body"] = section["body"] + "\n" + p.data["email"] + "\n"
            return b.plan_path, f"a section body carries the address of {p.data['id']}"
        if rule == "comment-in-text":
            section = plan["sections"][1]
            section["title"] = Plain("Gjennomgang #2 av planen" if self.no
                                     else "Gennemgang #2 af planen")
            return b.plan_path, "a section title holds a '#' glued to text, read as a comment"
        if rule == "placeholder":
            section = plan["sections"][-1]
            section["body"] = ("«FYLL INN» " if self.no else "«UDFYLD» ") + section["body"]
            return b.plan_path, "a section body still holds the fill-in mark"
        raise ValueError(rule)


def assign_rules(bundles: list[Bundle], share: float, seed: int) -> dict[int, list[str]]:
    """Which rules to break in which plan (by index into bundles)."""
    if share <= 0 or not bundles:
        return {}
    rng = random.Random(f"{seed}:errors")
    count = min(len(bundles), max(1, round(share * len(bundles))))
    chosen = sorted(rng.sample(range(len(bundles)), count))
    per_plan = max(1, math.ceil(len(RULES) / count))
    plan_rules = {i: [] for i in chosen}
    for n, i in enumerate(chosen):
        for t in range(per_plan):
            plan_rules[i].append(RULES[(n * per_plan + t) % len(RULES)])
    for i in chosen:  # move rules a plan's jurisdiction cannot break to a plan that can
        for rule in list(plan_rules[i]):
            allowed = ONLY_IN.get(rule)
            if allowed and bundles[i].muni.country not in allowed:
                plan_rules[i].remove(rule)
                for j in chosen:
                    if bundles[j].muni.country in allowed and rule not in plan_rules[j]:
                        plan_rules[j].append(rule)
                        break
    return {i: list(dict.fromkeys(rules)) for i, rules in plan_rules.items()}


# ---------------------------------------------------------------------------
# the corpus
# ---------------------------------------------------------------------------

def generate(out: Path, municipalities: int, seed: int, error_share: float = 0.0) -> dict:
    munis = make_municipalities(municipalities, seed)
    files: dict[str, FileSpec] = {}
    shared: dict[str, tuple[list[str], list[str]]] = {}
    for m in munis:
        if m.shared and m.shared not in shared:
            data, ids, names = shared_partner_file(m, seed)
            files[m.shared] = FileSpec("partners", data,
                                       "Felles samarbeidspartnere for kommunene i " + m.region + "."
                                       if m.country == "NO" else
                                       "Fælles samarbejdspartnere for kommunerne i " + m.region + ".")
            shared[m.shared] = (ids, names)
    bundles = []
    for m in munis:
        ids, names = shared.get(m.shared, ([], [])) if m.shared else ([], [])
        bundles.append(PlanBuilder(m, seed, ids, names).build())

    injected, not_injected = [], []
    assignment = assign_rules(bundles, error_share, seed)
    for i, rules in sorted(assignment.items()):
        injector = Injector(bundles[i], random.Random(f"{seed}:inject:{i}"))
        for rule in rules:
            file, what = injector.inject(rule)
            injected.append({"plan": bundles[i].muni.folder, "rule": rule, "file": file, "what": what})
    covered = {x["rule"] for x in injected}
    if assignment:
        not_injected = [r for r in RULES if r not in covered]

    for b in bundles:
        for approval in b.digest_approvals:
            approval["digest"] = canonical_digest(b.plan)
        files.update(b.files)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / "beredskap.yaml").write_text(
        "# Benchmark corpus of fictional municipal emergency plans, made by benchmarks/generate.py.\n"
        "beredskap: 1\nplans: [kommuner/]\n", encoding="utf-8")
    index, total_bytes = [], 0
    for rel in sorted(files):
        spec = files[rel]
        raw = spec.text().encode("utf-8")
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(raw)
        total_bytes += len(raw)
        index.append({"path": rel, "kind": spec.kind, "bytes": len(raw)})
    norway = sum(1 for m in munis if m.country == "NO")
    summary = {
        "generator": GENERATOR_VERSION, "seed": seed, "municipalities": len(munis), "norway": norway,
        "denmark": len(munis) - norway, "error_share": error_share,
        "reference_date": REFERENCE_DATE.isoformat(),
        "plans": [m.folder for m in munis],
        "totals": {"yaml_files": len(index), "bytes": total_bytes,
                   "kinds": {k: sum(1 for f in index if f["kind"] == k)
                             for k in sorted({f["kind"] for f in index})}},
        "files": index,
    }
    (out / "corpus.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    manifest = {"seed": seed, "error_share": error_share, "plans_with_errors": len(assignment),
                "rules": sorted(covered), "not_injected": not_injected, "injected": injected}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (replaced if it holds a corpus)")
    parser.add_argument("--municipalities", type=int, default=455)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--error-share", type=float, default=0.0,
                        help="share of plans (0-1) that get errors injected (default 0)")
    args = parser.parse_args(argv)
    if args.municipalities < 1:
        parser.error("--municipalities must be at least 1")
    if not 0 <= args.error_share <= 1:
        parser.error("--error-share must be between 0 and 1")
    if args.out.exists() and any(args.out.iterdir()) and not (args.out / "corpus.json").exists():
        parser.error(f"{args.out} exists and is not a generated corpus; refusing to replace it")
    summary = generate(args.out, args.municipalities, args.seed, args.error_share)
    t = summary["totals"]
    print(f"{args.out}: {summary['municipalities']} municipalities ({summary['norway']} NO, "
          f"{summary['denmark']} DK), {t['yaml_files']:,} YAML files, {t['bytes'] / 1e6:.1f} MB")
    print("  " + ", ".join(f"{k}: {v:,}" for k, v in t["kinds"].items()))
    if args.error_share > 0:
        manifest = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))
        print(f"  errors injected in {manifest['plans_with_errors']} plans: "
              f"{len(manifest['injected'])} errors of {len(manifest['rules'])} rules"
              + (f"; not injected: {', '.join(manifest['not_injected'])}" if manifest["not_injected"] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
