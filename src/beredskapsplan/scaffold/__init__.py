"""Writing new plan files: `beredskap init`, `beredskap new card`, `beredskap schema`.

The starting files live next to this module in `files/`: one folder per
country (`no/`, `dk/`) mirroring the plan folder `init` creates, and `card/`
with one action-card template per document language. They are plain YAML with
`@@token@@` placeholders, so what a maintainer sees is what a user gets:

- `@@schema:KIND@@`: the path from the written file to KIND's JSON Schema,
  for the `# yaml-language-server: $schema=...` modeline on the first line;
- `@@today@@`, `@@language@@`, `@@id@@`, `@@owner@@`;
- `@@name@@` / `@@title@@` (as typed, for comments and block text) and
  `@@name_yaml@@` / `@@title_yaml@@` (quoted, for a YAML value);
- `@@cite:OBLIGATION@@`, `@@cite:required@@` and `@@recipient@@`: taken from
  the country's jurisdiction file, so comments cite the same paragraphs as
  `beredskap due`.

Nothing here imports the command-line layer. Every refusal is a
`ScaffoldError` whose message says what to do; nothing is overwritten.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .. import i18n, writing
from ..resources import data_dir

FILES = Path(__file__).resolve().parent / "files"
TEMPLATE_SUFFIX = ".in"
MODELINE = "# yaml-language-server: $schema="
SCHEMA_KINDS = ("common", "plan", "contacts", "resources", "plan-register", "partners",
                "templates", "action-card")
LANGUAGES = ("nb", "nn", "da", "en")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
REPOSITORY_MARKERS = ("beredskap.yaml", ".git")


@dataclass(frozen=True)
class Country:
    code: str  # organization.country
    language: str  # default document language; also the language of the starting text
    jurisdiction: str
    template: str  # folder under files/
    cards_folder: str  # the card folder in files/<template>/


COUNTRIES = {
    "no": Country("NO", "nb", "no-sivilbeskyttelsesloven", "no", "tiltakskort/"),
    "dk": Country("DK", "da", "dk-beredskabsloven", "dk", "actioncards/"),
}

# Card folder and annex title used by `new card` when a plan has no card annex yet.
CARD_ANNEX = {
    "nb": ("tiltakskort/", "Tiltakskort"),
    "nn": ("tiltakskort/", "Tiltakskort"),
    "da": ("actioncards/", "Actioncards"),
    "en": ("cards/", "Action cards"),
}


class ScaffoldError(Exception):
    """The files cannot be written; the message says why and what to do."""


# -- JSON Schemas -------------------------------------------------------------

def schema_file(kind: str) -> Path:
    if kind not in SCHEMA_KINDS:
        raise ScaffoldError(f"no schema '{kind}'; one of: {', '.join(SCHEMA_KINDS)}")
    return data_dir("schemas") / f"{kind}.schema.json"


# The texts of a schema that people read: what an editor shows on hover and for a
# value that does not match. Everything else (keys, patterns, enums) is the format.
_SCHEMA_TEXT = re.compile(r'"(title|description|patternErrorMessage|errorMessage)": '
                          r'("(?:[^"\\]|\\.)*")')


def schema_text(kind: str, language: str = "en") -> str:
    """KIND's JSON Schema, its titles, descriptions and error messages in `language`
    (English is the source; the rest of the file is unchanged, byte for byte)."""
    text = schema_file(kind).read_text("utf-8")
    if language == "en":
        return text
    from ..i18n import translator

    tr = translator(language)

    def translated(match: re.Match) -> str:
        text = tr.gettext(json.loads(match.group(2)), "schema")
        return f'"{match.group(1)}": {json.dumps(text, ensure_ascii=False)}'

    return _SCHEMA_TEXT.sub(translated, text)


def schema_title(kind: str, language: str = "en") -> str:
    return json.loads(schema_text(kind, language)).get("title", kind)


@dataclass(frozen=True)
class Written:
    path: Path
    status: str  # "written", "unchanged" or "kept" (an existing, different file left alone)


def write_schemas(folder: Path, kinds=SCHEMA_KINDS, overwrite: bool = True,
                  language: str = "en") -> list[Written]:
    """Copy the JSON Schemas into `folder` (made if needed), their texts in `language`.

    With `overwrite=False` an existing file that differs is kept as it is.
    The schemas refer to `common.schema.json` by file name, so it is always
    written with them.
    """
    wanted = list(dict.fromkeys(["common", *kinds]))
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for kind in wanted:
        text = schema_text(kind, language)
        target = folder / f"{kind}.schema.json"
        if target.is_file():
            if target.read_text("utf-8", errors="replace") == text:
                results.append(Written(target, "unchanged"))
                continue
            if not overwrite:
                results.append(Written(target, "kept"))
                continue
        _write_atomically(target, text)
        results.append(Written(target, "written"))
    return results


def repository_root(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` with beredskap.yaml or .git, if any."""
    folder = Path(os.path.abspath(folder))
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in REPOSITORY_MARKERS):
            return candidate
    return None


def default_schemas_dir(plan_folder: Path) -> Path:
    """Where `init` puts the schema copy: `schemas/` at the repository root, or
    inside the plan folder when it is not (yet) in a repository."""
    root = repository_root(plan_folder)
    return (root if root is not None else Path(os.path.abspath(plan_folder))) / "schemas"


def modeline_target(file: Path, schemas: Path | str, kind: str) -> str:
    """What follows `$schema=` for `file`: a URL, or a relative path with `/`."""
    if isinstance(schemas, str) and "://" in schemas:
        return schemas.rstrip("/") + f"/{kind}.schema.json"
    target = Path(os.path.abspath(schemas)) / f"{kind}.schema.json"
    try:
        relative = os.path.relpath(target, Path(os.path.abspath(file)).parent)
    except ValueError:  # another drive on Windows
        return target.as_uri()
    return relative.replace(os.sep, "/")


def modeline_of(text: str) -> str | None:
    """The `$schema=` value of a file's yaml-language-server modeline, if any."""
    for line in text.splitlines()[:5]:
        if line.startswith(MODELINE):
            value = line[len(MODELINE):].strip()
            return value or None
    return None


# -- filling templates --------------------------------------------------------

_TOKEN = re.compile(r"@@([a-z_]+(?::[a-z_-]+)?)@@")


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _check_text(label: str, value: str) -> str:
    value = value.strip()
    if not value:
        raise ScaffoldError(f"{label} must not be empty")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ScaffoldError(f"{label} must be one line of text without control characters")
    return value


def fill(template: str, values: dict[str, str], schema_for) -> str:
    """Replace every @@token@@; `schema_for(kind)` gives the modeline target."""
    def replace(match: re.Match) -> str:
        token = match.group(1)
        if token.startswith("schema:"):
            return schema_for(token.split(":", 1)[1])
        if token not in values:
            raise KeyError(f"unknown placeholder @@{token}@@ in a scaffold file")
        return values[token]
    return _TOKEN.sub(replace, template)


def _jurisdiction_values(jurisdiction_id: str) -> dict[str, str]:
    from ..jurisdiction import load

    rules = load(jurisdiction_id)
    if rules is None:
        raise ScaffoldError(f"the rule set '{jurisdiction_id}' is missing from this installation")
    values = {f"cite:{key}": ob.citation for key, ob in rules.obligations.items()}
    values["cite:required"] = rules.required_citation
    submit = rules.obligation("submit")
    values["recipient"] = (submit.data.get("recipient") if submit else None) or rules.authority
    return values


def _template_files(name: str) -> list[tuple[Path, Path]]:
    """(template, path relative to the plan folder) for files/<name>/."""
    base = FILES / name
    found = []
    for path in sorted(base.rglob(f"*{TEMPLATE_SUFFIX}")):
        relative = path.relative_to(base)
        found.append((path, relative.with_name(relative.name[:-len(TEMPLATE_SUFFIX)])))
    return found


def _check_yaml(text: str, where: str) -> None:
    from ..yamlread import parse_text

    problem = parse_text(text).mapping_problem()
    if problem:
        raise ScaffoldError(f"could not write {where}: the result would not be valid YAML "
                            f"({problem}); check the values given on the command line")


def _write_atomically(path: Path, text: str) -> None:
    """A generated file (a schema copy) written whole: atomically, through links."""
    try:
        if path.exists():
            writing.replace(path, Path(os.path.realpath(path)), text.encode("utf-8"))
        else:
            writing.create(path, text)
    except writing.WriteError as err:
        raise ScaffoldError(i18n.current()(err.message)) from None


# -- beredskap init -----------------------------------------------------------

@dataclass
class InitResult:
    folder: Path
    files: list[Path]
    schemas: Path | str
    schema_files: list[Written] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _usable_empty_folder(folder: Path) -> None:
    if not folder.exists():
        return
    if not folder.is_dir():
        raise ScaffoldError(f"{folder} exists and is not a folder; choose a new folder name")
    try:
        entries = [e.name for e in folder.iterdir()]
    except OSError as err:
        raise ScaffoldError(f"{folder} cannot be read: {err.strerror}") from None
    # A freshly cloned or `git init`ed folder holds only .git; that is still empty.
    if [e for e in entries if e != ".git"]:
        raise ScaffoldError(f"{folder} already exists and is not empty; beredskap init never "
                            "overwrites files. Choose a new folder, e.g. plans/<kommune>")


def init_plan(folder: Path, country: str, name: str, today: date,
              language: str | None = None, schemas: Path | str | None = None) -> InitResult:
    """Write a complete, valid plan folder for `country` ("no" or "dk").

    `schemas` is where the JSON Schema copy goes (a folder) or a URL base the
    modelines point to; by default `schemas/` at the repository root.
    """
    key = country.lower()
    if key not in COUNTRIES:
        raise ScaffoldError(f"unknown country '{country}'; one of: {', '.join(COUNTRIES)}")
    spec = COUNTRIES[key]
    language = (language or spec.language).lower()
    if language not in LANGUAGES:
        raise ScaffoldError(f"unknown language '{language}'; one of: {', '.join(LANGUAGES)}")
    name = _check_text("the municipality's name (--name)", name)
    folder = Path(folder)
    _usable_empty_folder(folder)

    is_url = isinstance(schemas, str) and "://" in schemas
    schema_base: Path | str = schemas if is_url else Path(
        schemas if schemas is not None else default_schemas_dir(folder))
    if not is_url and Path(schema_base).exists() and not Path(schema_base).is_dir():
        raise ScaffoldError(f"{schema_base} exists and is not a folder; give another place "
                            "for the schema copy with --schemas")
    values = {"today": today.isoformat(), "language": language, "name": name,
              "name_yaml": _yaml_string(name), **_jurisdiction_values(spec.jurisdiction)}

    rendered: list[tuple[Path, str]] = []
    for template, relative in _template_files(spec.template):
        target = folder / relative
        text = fill(template.read_text("utf-8"), values,
                    lambda kind, target=target: modeline_target(target, schema_base, kind))
        _check_yaml(text, str(target))
        rendered.append((target, text))

    result = InitResult(folder, [], schema_base)
    if language != spec.language:
        result.notes.append(f"the starting text is written in '{spec.language}'; the plan's "
                            f"language is set to '{language}', so replace the text as you fill "
                            "in the plan")
    created_folder = not folder.exists()
    try:
        for target, text in rendered:
            target.parent.mkdir(parents=True, exist_ok=True)
            writing.create(target, text)
            result.files.append(target)
        if not is_url:
            result.schema_files = write_schemas(Path(schema_base), overwrite=False,
                                                language=language)
    except (OSError, writing.WriteError, ScaffoldError) as err:
        for path in result.files:
            path.unlink(missing_ok=True)
        if created_folder:
            for sub in sorted({p.parent for p in result.files}, key=lambda p: -len(p.parts)):
                if sub != folder and not any(sub.iterdir()):
                    sub.rmdir()
            if folder.exists() and not any(folder.iterdir()):
                folder.rmdir()
        if isinstance(err, writing.WriteError):
            raise ScaffoldError(i18n.current()(err.message)) from None
        if isinstance(err, ScaffoldError):
            raise
        raise ScaffoldError(f"could not write {err.filename or folder}: {err.strerror}") from None
    kept = [w.path.name for w in result.schema_files if w.status == "kept"]
    if kept:
        result.notes.append(f"{schema_base} already holds different copies of {', '.join(kept)}; "
                            f"they were left as they are (update them with "
                            f"`beredskap schema --out {schema_base}`)")
    return result


# -- beredskap new card -------------------------------------------------------

@dataclass
class CardResult:
    card: Path
    plan_file: Path
    annex: dict | None = None  # the annex entry added to plan.yaml, if one was
    notes: list[str] = field(default_factory=list)


def _id_in_use(plan, card_id: str) -> str | None:
    entities = plan.ids.get(card_id)
    if not entities:
        return None
    first = entities[0]
    where = first.src.at("id")
    return f"the {first.KIND} at {where.doc.display}:{where.line}"


def _free_letter(used: set[str]) -> str:
    if "F" not in used:
        return "F"
    highest = max((u for u in used if len(u) == 1 and u.isupper()), default="F")
    for code in range(ord(highest) + 1, ord("Z") + 1):
        if chr(code) not in used:
            return chr(code)
    for code in range(ord("A"), ord("Z") + 1):
        if chr(code) not in used:
            return chr(code)
    raise ScaffoldError("every annex letter A-Z is in use; add the card annex by hand")


def _schema_base_for_plan(plan_file: Path, text: str) -> Path | str | None:
    """Where the plan's own modeline points, else the default schema copy."""
    value = modeline_of(text)
    if value and "://" in value:
        return value.rsplit("/", 1)[0]
    if value:
        located = (plan_file.parent / value).parent
        if (located / "action-card.schema.json").is_file():
            return located
    fallback = default_schemas_dir(plan_file.parent)
    if (fallback / "action-card.schema.json").is_file():
        return fallback
    return None


def new_card(plan_path: Path, card_id: str, title: str, today: date,
             owner: str | None = None) -> CardResult:
    """Add an action card to a plan (and register a card annex if it has none)."""
    from ..yamledit import Append, EditError, edit
    from ..build import load_plan
    from ..project import PLAN_FILE, resolve_inside
    from ..project import repository_root as plan_root
    from ..yamlread import parse_bytes

    plan_path = Path(plan_path)
    folder = plan_path.parent if plan_path.name == PLAN_FILE else plan_path
    plan_file = folder / PLAN_FILE
    if not plan_file.is_file():
        raise ScaffoldError(f"{folder}: no {PLAN_FILE} here; name a plan folder "
                            "(create one with `beredskap init`)")
    if not ID_PATTERN.match(card_id):
        raise ScaffoldError(f"'{card_id}' is not a valid id: use lowercase letters a-z, digits "
                            "and '-', at most 63 characters, e.g. tk-stromstans")
    title = _check_text("the card's title (--title)", title)
    try:
        raw = plan_file.read_bytes()
    except OSError as err:
        raise ScaffoldError(f"{plan_file} cannot be read: {err.strerror}") from None
    parsed = parse_bytes(raw)
    if parsed.problems or not isinstance(parsed.data, dict):
        raise ScaffoldError(f"{plan_file} cannot be read; fix it first (see `beredskap validate "
                            f"{folder}`)")
    plan = load_plan(folder).plan
    used_by = _id_in_use(plan, card_id)
    if used_by:
        raise ScaffoldError(f"the id '{card_id}' is already used by {used_by}; ids must be "
                            "unique in the whole plan, so choose another")
    roles = [r.id for r in plan.roles if r.id]
    if owner is None:
        owner = plan.owner.id if plan.owner is not None else None
        if owner is None:
            raise ScaffoldError("the plan has no `owner`; give the card's owner with --owner ROLE")
    if roles and owner not in roles:
        raise ScaffoldError(f"'{owner}' is not a role of this plan; one of: {', '.join(roles)}")

    language = plan.language if plan.language in LANGUAGES else "en"
    annex = next((a for a in plan.annexes if a.cards), None)
    root = plan_root(folder)
    added_annex = None
    if annex is not None:
        cards_dir = Path(os.path.normpath(folder.absolute() / annex.cards))
        resolved = resolve_inside(folder, annex.cards, root)
        if resolved.rule == "unsafe-path":
            raise ScaffoldError(f"the card folder '{annex.cards}' in {plan_file} is not safe to "
                                f"write to: {resolved.message}")
        if resolved.path is not None:
            cards_dir = resolved.path
    else:
        relative, annex_title = CARD_ANNEX[language]
        cards_dir = folder / relative
        used = {a.letter for a in plan.annexes if a.letter}
        added_annex = {"letter": _free_letter(used), "title": annex_title, "cards": relative}
    if cards_dir.exists() and not cards_dir.is_dir():
        raise ScaffoldError(f"{cards_dir} is not a folder")
    card_file = cards_dir / f"{card_id}.yaml"
    for existing in (card_file, card_file.with_suffix(".yml")):
        if existing.exists():
            raise ScaffoldError(f"{existing} already exists; beredskap new never overwrites files")

    text = raw.decode("utf-8-sig")

    def add_annex(current) -> str:
        """plan.yaml with the card annex added, made on the file as it is now."""
        data = parse_bytes(current.text.encode("utf-8")).data
        annexes = data.get("annexes") if isinstance(data, dict) else None
        if isinstance(annexes, list) and any(isinstance(a, dict) and a.get("cards") ==
                                             added_annex["cards"] for a in annexes):
            return current.text  # added by a run at the same time
        try:
            return edit(current.text, [Append(("annexes",), dict(added_annex))], str(plan_file))
        except EditError:
            raise ScaffoldError(f"could not add the card annex to {plan_file} without changing "
                                f"the rest of the file; add this line under `annexes:` by hand "
                                f"and run the command again:\n  - {{letter: "
                                f"{added_annex['letter']}, title: {added_annex['title']}, "
                                f"cards: {added_annex['cards']}}}") from None

    if added_annex is not None:
        add_annex(writing.decode(plan_file, raw))  # refuse before anything is written

    schema_base = _schema_base_for_plan(plan_file, text)
    template = (FILES / "card" / f"{language}.yaml{TEMPLATE_SUFFIX}").read_text("utf-8")
    values = {"id": card_id, "title": title, "title_yaml": _yaml_string(title),
              "owner": owner, "today": today.isoformat()}
    content = fill(template, values,
                   lambda kind: modeline_target(card_file, schema_base, kind) if schema_base else "")
    result = CardResult(card_file, plan_file, added_annex)
    if schema_base is None:
        lines = content.split("\n")[1:]  # drop the modeline, and the empty comment after it
        content = "\n".join(lines[1:] if lines and lines[0] == "#" else lines)
        result.notes.append("no copy of the JSON Schemas was found, so the card has no "
                            "yaml-language-server line; write one with `beredskap schema --out "
                            "schemas/` for completion in your editor")
    _check_yaml(content, str(card_file))

    try:
        cards_dir.mkdir(parents=True, exist_ok=True)
        writing.create(card_file, content)
    except writing.WriteError as err:
        raise ScaffoldError(i18n.current()(err.message)) from None
    except FileExistsError:
        raise ScaffoldError(f"{card_file} already exists; beredskap new never overwrites "
                            "files") from None
    except OSError as err:
        raise ScaffoldError(f"could not write {card_file}: {err.strerror}") from None
    if added_annex is not None:
        try:
            writing.update(plan_file, add_annex)
        except (writing.WriteError, ScaffoldError) as err:
            card_file.unlink(missing_ok=True)
            if isinstance(err, ScaffoldError):
                raise
            raise ScaffoldError(i18n.current()(err.message)) from None
    return result
