"""Keeping the message catalogs in step with the code (a maintainer's tool, not used at run time).

    python3 dev.py catalogs          # extract, update the .po files, compile the .mo files
    python -m beredskapsplan.i18n.catalogs --check   # what the tests check: nothing stale

The messages are split into catalogs (gettext domains) by where they are
written, so work on one part of the tool touches one catalog:

- `locale/<domain>.pot`: every message of that part, in English, as extracted;
- `locale/<lang>/LC_MESSAGES/<domain>.po`: its translation into nb, nn or da;
- `locale/<lang>/LC_MESSAGES/<domain>.mo`: the compiled form the tool reads.

Messages are the first argument of `_()` and the first two of `_n()` and the
help texts in `_h()`; rule documentation (docstring paragraphs and
`SUMMARY`) and schema descriptions are extracted by the special sources
named in `DOMAINS`. A translator's note is a comment starting `TRANSLATORS:`
on the line before the message.
"""
from __future__ import annotations

import argparse
import ast
import io
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from . import LANGUAGES, LOCALE_DIR, doc_paragraphs

PACKAGE = Path(__file__).resolve().parent.parent
REPO = PACKAGE.parent.parent
KEYWORDS = {"_": None, "_n": (1, 2), "_h": None}
COMMENT_TAGS = ("TRANSLATORS:",)
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != "en")
# a fixed header date: the files change only when their messages do
STAMP = datetime(2026, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Domain:
    python: tuple[str, ...] = ()  # package folders (relative, ending in /) whose `_()` go here
    extra: tuple[str, ...] = ()  # special sources: "rule-docs", "schema"


# Which catalog holds which messages. A module belongs to the domain with the longest
# matching folder; anything not matched belongs to "beredskap".
DOMAINS: dict[str, Domain] = {
    "beredskap": Domain(python=("",)),
    "cli": Domain(python=("cli/",)),
    "click": Domain(python=("cli/click_words.py",)),  # the toolkit's own words
    "rules": Domain(python=("rules/",)),
    "render": Domain(python=("render/",)),
    "due": Domain(python=("due/",)),
    "record": Domain(python=("record/",)),
    "calllist": Domain(python=("calllist/",)),
    "rule-docs": Domain(extra=("rule-docs",)),
    "schema": Domain(extra=("schema",)),
    "importer": Domain(python=("importer/", "cli/importer.py")),
    "changes": Domain(python=("changes/", "cli/changes.py")),
    "report": Domain(python=("report/", "cli/report.py")),
}


def domain_of(relative: str) -> str:
    best, length = "beredskap", -1
    for name, domain in DOMAINS.items():
        for prefix in domain.python:
            if relative.startswith(prefix) and len(prefix) > length:
                best, length = name, len(prefix)
    return best


# -- extraction ----------------------------------------------------------------------------

@dataclass
class Found:
    """The messages of one domain, in the order first found, with where they stand."""

    messages: dict = field(default_factory=dict)  # msgid or (singular, plural) -> info

    def add(self, msgid, location: str, comments: list[str]) -> None:
        entry = self.messages.setdefault(msgid, {"locations": [], "comments": []})
        if location not in entry["locations"]:
            entry["locations"].append(location)
        for comment in comments:
            if comment not in entry["comments"]:
                entry["comments"].append(comment)


def _python_messages(found: dict[str, Found]) -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("i18n/"):
            continue  # the mechanism itself says nothing to users
        domain = domain_of(relative)
        shown = f"src/beredskapsplan/{relative}"
        for _line, msgid, comments, _context in extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                strip_comment_tags=True):
            if isinstance(msgid, tuple) and any(part is None for part in msgid):
                continue  # `_n` without literal texts: nothing to extract
            if isinstance(msgid, tuple) and len(msgid) == 1:
                msgid = msgid[0]
            found[domain].add(msgid, shown, comments)


def _rule_docs(found: Found) -> None:
    """Each rule's SUMMARY and the paragraphs of its documentation (not its examples)."""
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        doc = ast.get_docstring(tree, clean=False)  # as `__doc__` holds it, tabs and all
        summary = next((node.value.value for node in tree.body
                        if isinstance(node, ast.Assign) and len(node.targets) == 1
                        and getattr(node.targets[0], "id", None) == "SUMMARY"
                        and isinstance(node.value, ast.Constant)), None)
        if summary is None or doc is None:
            continue
        shown = f"src/beredskapsplan/rules/{path.name}"
        found.add(summary, shown, ["the rule's one-line summary"])
        for paragraph, example in doc_paragraphs(doc):
            found.add(paragraph, shown, ["an example: translate only its comments"]
                      if example else [])


def _schema_descriptions(found: Found) -> None:
    schemas = REPO / "schemas"

    def walk(node, shown: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("title", "description", "patternErrorMessage", "errorMessage") \
                        and isinstance(value, str):
                    found.add(value, shown, [])
                else:
                    walk(value, shown)
        elif isinstance(node, list):
            for item in node:
                walk(item, shown)

    for path in sorted(schemas.glob("*.schema.json")):
        walk(json.loads(path.read_text("utf-8")), f"schemas/{path.name}")


EXTRA = {"rule-docs": _rule_docs, "schema": _schema_descriptions}


def extract() -> dict[str, Found]:
    found = {name: Found() for name in DOMAINS}
    _python_messages(found)
    for name, domain in DOMAINS.items():
        for source in domain.extra:
            EXTRA[source](found[name])
    return found


# -- catalogs -----------------------------------------------------------------------------

HEADER = ("# The messages of beredskap ({domain}), {what}.\n"
          "# Kept in step with the code by `python3 dev.py catalogs`; see\n"
          "# src/beredskapsplan/i18n/catalogs.py.")
LANGUAGE_NAMES = {"nb": "Norwegian Bokmål", "nn": "Norwegian Nynorsk", "da": "Danish"}


def _set_header(catalog: Catalog, name: str, language: str | None) -> None:
    catalog.header_comment = HEADER.format(
        domain=name, what=f"in {LANGUAGE_NAMES[language]}" if language else "in English")
    catalog.project, catalog.version = "beredskap", "1"
    catalog.msgid_bugs_address = "the beredskap maintainers"
    catalog.creation_date = catalog.revision_date = STAMP
    catalog.last_translator = catalog.language_team = "beredskap"
    catalog.fuzzy = False


def _template(name: str, found: Found) -> Catalog:
    catalog = Catalog(domain=name)
    _set_header(catalog, name, None)
    for msgid, info in found.messages.items():
        catalog.add(msgid, locations=[(loc, None) for loc in info["locations"]],
                    auto_comments=info["comments"])
    return catalog


def _paths(name: str, language: str) -> tuple[Path, Path]:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    return folder / f"{name}.po", folder / f"{name}.mo"


def _read(path: Path, language: str) -> Catalog | None:
    if not path.is_file():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=language, charset="utf-8")


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, ignore_obsolete=True, include_lineno=False,
             sort_output=False)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def update() -> list[Path]:
    """Extract, write the templates, merge them into every language, compile. Returns the
    files written."""
    written = []
    LOCALE_DIR.mkdir(exist_ok=True)
    for name, found in extract().items():
        template = _template(name, found)
        pot = LOCALE_DIR / f"{name}.pot"
        if _write_if_changed(pot, _po_bytes(template)):
            written.append(pot)
        for language in TRANSLATED:
            po_path, mo_path = _paths(name, language)
            po_path.parent.mkdir(parents=True, exist_ok=True)
            catalog = _read(po_path, language) or Catalog(locale=language, domain=name)
            catalog.update(template, no_fuzzy_matching=True, update_creation_date=True)
            _set_header(catalog, name, language)
            for path, data in ((po_path, _po_bytes(catalog)), (mo_path, _mo_bytes(catalog))):
                if _write_if_changed(path, data):
                    written.append(path)
    return written


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


# -- checks -------------------------------------------------------------------------------

_FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


def fields(text: str) -> set[str]:
    """The `{names}` a message fills in."""
    return set(_FIELD.findall(text))


def problems() -> list[str]:
    """Everything that is not in step: the tests fail on any of these."""
    out: list[str] = []
    found = extract()
    for name in DOMAINS:
        msgids = set(found[name].messages)
        pot = _read(LOCALE_DIR / f"{name}.pot", "en")
        in_pot = {m.id for m in pot if m.id} if pot is not None else set()
        if msgids != in_pot:
            missing = sorted(map(str, msgids - in_pot))[:3]
            stale = sorted(map(str, in_pot - msgids))[:3]
            out.append(f"locale/{name}.pot is out of date (new: {missing}, gone: {stale}); "
                       "run `python3 dev.py catalogs`")
        for language in TRANSLATED:
            out.extend(_language_problems(name, language, msgids))
    return out


def _language_problems(name: str, language: str, msgids: set) -> list[str]:
    po_path, mo_path = _paths(name, language)
    shown = f"locale/{language}/LC_MESSAGES/{name}.po"
    catalog = _read(po_path, language)
    if catalog is None:
        return [f"{shown} is missing; run `python3 dev.py catalogs`"] if msgids else []
    out = []
    entries = {m.id: m for m in catalog if m.id}
    for msgid in sorted(msgids, key=str):
        entry = entries.get(msgid)
        english = msgid if isinstance(msgid, str) else msgid[0]
        if entry is None:
            out.append(f"{shown}: no entry for {english!r}; run `python3 dev.py catalogs`")
            continue
        strings = list(entry.string) if isinstance(entry.string, (list, tuple)) \
            else [entry.string]
        if entry.fuzzy or not all(s and s.strip() for s in strings):
            out.append(f"{shown}: {english!r} is not translated")
            continue
        wanted = fields(english) | (fields(msgid[1]) if isinstance(msgid, tuple) else set())
        for text in strings:
            if not fields(text) <= wanted:
                out.append(f"{shown}: the translation of {english!r} uses "
                           f"{sorted(fields(text) - wanted)}, which the message does not have")
    if not mo_path.is_file() or _compiled(mo_path) != _compiled_from(catalog):
        out.append(f"locale/{language}/LC_MESSAGES/{name}.mo does not match its .po; "
                   "run `python3 dev.py catalogs`")
    return out


def _compiled(path: Path) -> dict:
    import gettext
    with path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    return {k: v for k, v in catalog._catalog.items() if k != ""}  # noqa: SLF001


def _compiled_from(catalog: Catalog) -> dict:
    import gettext
    return {k: v for k, v in gettext.GNUTranslations(io.BytesIO(_mo_bytes(catalog)))
            ._catalog.items() if k != ""}  # noqa: SLF001


def fill(translations: dict) -> list[str]:
    """Set translations from a mapping {domain: {language: {english: text}}}; a message
    with a plural form takes [singular, plural]. Returns what could not be set."""
    missed = []
    for name, languages in translations.items():
        for language, entries in languages.items():
            po_path, mo_path = _paths(name, language)
            catalog = _read(po_path, language)
            if catalog is None:
                missed.append(f"{name}/{language}: no catalog; run `python3 dev.py catalogs`")
                continue
            by_singular = {(m.id[0] if isinstance(m.id, tuple) else m.id): m
                           for m in catalog if m.id}
            for english, text in entries.items():
                entry = by_singular.get(english)
                if entry is None:
                    missed.append(f"{name}/{language}: no message {english!r}")
                    continue
                entry.string = tuple(text) if isinstance(entry.id, tuple) else text
                entry.flags.discard("fuzzy")
            _write_if_changed(po_path, _po_bytes(catalog))
            _write_if_changed(mo_path, _mo_bytes(catalog))
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m beredskapsplan.i18n.catalogs",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="only report what is out of step (exit 1 if anything is)")
    parser.add_argument("--fill", metavar="FILE.json",
                        help="set translations from {domain: {lang: {english: text}}} (a "
                             "plural message takes [singular, plural]), then update")
    args = parser.parse_args(argv)
    if args.fill:
        update()
        for line in fill(json.loads(Path(args.fill).read_text("utf-8"))):
            print(f"not set: {line}")
    if args.check:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    for path in update():
        print(f"wrote {path.relative_to(REPO) if REPO in path.parents else path}")
    for line in problems():
        print(f"to do: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
