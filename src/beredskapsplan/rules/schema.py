"""The file does not follow the format (JSON Schema).

Every file is checked against the JSON Schema of its `kind` (see
`beredskap schema`). Reported at the offending key or value: unknown keys
(with the closest valid key, since typos must not silently vanish), missing
required keys, values of the wrong type, dates that are not `YYYY-MM-DD`,
durations that are not ISO 8601 (`P1Y`, `P6M`, `PT2H`), ids that are not
lowercase slugs, unknown topics, and a `beredskap:` format version this tool
does not read (the file is then not read further: no guessing).

Keys starting with `x-` are yours: they are kept and ignored.

    roles:
      - id: borgmester
        titel: Borgmester      # reported: unknown key 'titel'; did you mean 'title'?
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache

from ..documents import FORMAT_VERSION, KINDS
from ..findings import Hit
from ..i18n import Message, _, _n, with_value
from ..placeholders import holds_mark
from .base import either, quoted

ID = "schema"
SEVERITY = "error"
SCOPE = "file"
SUMMARY = "schema violations, with the closest valid key for typos"

_FORMATS = {
    "date": _("'{value}' is not a date written YYYY-MM-DD; write it like 2025-10-08"),
    "duration": _("'{value}' is not a length of time the tool can read; write it like P1Y "
                  "(a year), P6M (6 months), P2W (2 weeks), P3D (3 days) or PT2H (2 hours)"),
    "email": _("'{value}' is not an e-mail address; write it like navn@kommune.no"),
}
# patterns other than ids, dates and durations, by the pattern itself
_PATTERNS = {
    "^[0-9]{3,4}$": _("'{value}' is not a municipality number; write its digits in quotes, "
                      "e.g. \"0301\""),
    "^sha256:[0-9a-f]{64}$": _("'{value}' is not a digest written by `beredskap approve`; do "
                               "not edit it by hand, record the approval again instead"),
    "^[A-Z]$": _("'{value}' is not an annex letter; write one capital letter, A to Z"),
    "^[^\\n]+\\.(png|PNG|svg|SVG)$": _("'{value}' is not a logo file; name a .png or .svg file"),
}
_SECTION_NUMBER = _("'{value}' is not a section number; write it in quotes, like \"4.3\" or "
                    "\"2.1a\"")
_TYPES = {"object": _("keys with values (a mapping)"), "array": _("a list"),
          "string": _("text"), "integer": _("a whole number"), "number": _("a number"),
          "boolean": _("true or false"), "null": _("empty")}

# An entry of a list is named by its id, title or name where it has one; by its number
# in the list where it has none. Key of the list -> (message with a name, fields to use).
_ENTRIES = {
    "people": (_("person '{name}'"), ("id", "name")),
    "roles": (_("role '{name}'"), ("id", "title")),
    "staff": (_("staff group '{name}'"), ("id", "title")),
    "sections": (_("section '{name}'"), ("id", "title")),
    "levels": (_("level {name}"), ("level",)),
    "annexes": (_("annex {name}"), ("letter", "title")),
    "exercises": (_("exercise '{name}'"), ("id", "title")),
    "incidents": (_("incident '{name}'"), ("id", "title")),
    "findings": (_("finding '{name}'"), ("id",)),
    "approvals": (_("the approval of {name}"), ("date",)),
    "submissions": (_("the submission of {name}"), ("date",)),
    "revisions": (_("the revision of {name}"), ("date",)),
    "resources": (_("resource '{name}'"), ("id", "name")),
    "partners": (_("partner '{name}'"), ("id", "name")),
    "contacts": (_("contact '{name}'"), ("name",)),
    "plans": (_("sub-plan '{name}'"), ("id", "title")),
    "templates": (_("template '{name}'"), ("id", "title")),
    "phones": (_("phone number '{name}'"), ("number",)),
    "steps": (None, ()),
}
_NUMBERED = _("entry {n} of '{key}'")

# Where each kind of mapping is written, to say where a misplaced key belongs.
# (schema file, $defs name or None for the file's top level) -> place
_PLACES = {
    ("plan", None): _("the top level of plan.yaml"),
    ("plan", "organization"): _("`organization:` in plan.yaml"),
    ("plan", "approval"): _("an approval (under `approvals:`)"),
    ("plan", "submission"): _("a submission (under `submissions:`)"),
    ("plan", "revision"): _("a revision (under `revisions:`)"),
    ("plan", "risk-analysis"): _("`risk_analysis:` in plan.yaml"),
    ("plan", "exercise"): _("an exercise (under `exercises:`)"),
    ("plan", "finding"): _("a finding (under `findings:` of an exercise or incident)"),
    ("plan", "incident"): _("an incident (under `incidents:`)"),
    ("plan", "policy"): _("`policy:` in plan.yaml"),
    ("plan", "level"): _("a level (under `levels:`)"),
    ("plan", "role"): _("a role (under `roles:`)"),
    ("plan", "staff"): _("a staff group (under `staff:`)"),
    ("plan", "activation"): _("`activation:` in plan.yaml"),
    ("plan", "section"): _("a section (under `sections:`)"),
    ("plan", "annex"): _("an annex (under `annexes:`)"),
    ("plan", "render"): _("`render:` in plan.yaml"),
    ("common", "phone"): _("a phone number (under `phones:`)"),
    ("common", "exempt"): _("`exempt:`"),
    ("common", "clearance"): _("`clearance:` of a person"),
    ("contacts", None): _("the top level of a contact list (kind: contacts)"),
    ("contacts", "person"): _("a person (under `people:` in the contact list)"),
    ("partners", None): _("the top level of a partners file (kind: partners)"),
    ("partners", "partner"): _("a partner (under `partners:`)"),
    ("partners", "contact"): _("a partner's contact (under `contacts:` of a partner)"),
    ("partners", "agreement"): _("`agreement:` of a partner"),
    ("plan-register", None): _("the top level of a plan register (kind: plan-register)"),
    ("plan-register", "sub-plan"): _("a sub-plan (under `plans:` in the plan register)"),
    ("resources", None): _("the top level of a resources file (kind: resources)"),
    ("resources", "resource"): _("a resource (under `resources:`)"),
    ("templates", None): _("the top level of a templates file (kind: templates)"),
    ("templates", "template"): _("a template (under `templates:`)"),
    ("action-card", None): _("the top level of an action card (kind: action-card)"),
    ("action-card", "step"): _("a step of an action card (under `steps:`)"),
}
_MOST_PLACES = 3  # a key valid in more places than this is named by the first ones


def _schemas() -> list[dict]:
    from ..resources import data_dir

    return [json.loads(p.read_text("utf-8"))
            for p in sorted(data_dir("schemas").glob("*.schema.json"))]


@lru_cache(maxsize=None)
def _fast_check(kind: str):
    """`is_valid` of the Rust validator (jsonschema-rs), or None where it is not installed.

    Nearly every file is valid, and the Rust validator says so about a hundred
    times faster; only an invalid file goes through the Python validator below,
    whose errors carry what the messages need.
    """
    try:
        import jsonschema_rs
    except ImportError:
        return None
    schemas = _schemas()
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas])
    schema = next(s for s in schemas if s["$id"].endswith(f"/{kind}.schema.json"))
    return jsonschema_rs.validator_for(schema, registry=registry, validate_formats=True).is_valid


# `$` outside a character class and not escaped: in Python's `re` it also matches
# before a final newline, in JSON Schema's (ECMA 262) regular expressions it does not
_DOLLAR = re.compile(r"(\\.)|(\[(?:\\.|[^\]])*\])|\$")


def whole_value_pattern(pattern: str) -> str:
    """A schema pattern for Python's `re` that means what it means in JSON Schema: `$`
    is the end of the value, so "P1Y\\n" (a `|` block's final newline) is no duration."""
    return _DOLLAR.sub(lambda m: m.group(1) or m.group(2) or r"\Z", pattern)


def _python_schema(node):
    """The schema as Python's validator must read it (see whole_value_pattern)."""
    if isinstance(node, dict):
        return {k: whole_value_pattern(v) if k == "pattern" and isinstance(v, str)
                else _python_schema(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_python_schema(v) for v in node]
    return node


@lru_cache(maxsize=None)
def _validator(kind: str):
    from jsonschema import Draft202012Validator, FormatChecker, validators
    from referencing import Registry, Resource

    from ..resources import data_dir

    folder = data_dir("schemas")
    resources = []
    for path in sorted(folder.glob("*.schema.json")):
        contents = _python_schema(json.loads(path.read_text("utf-8")))
        resources.append((contents["$id"], Resource.from_contents(contents)))
    registry = Registry().with_resources(resources)
    schema = _python_schema(json.loads((folder / f"{kind}.schema.json").read_text("utf-8")))
    # a whole number is written without a decimal point: `level: 7.0` is not level 7
    # (JSON Schema would take 7.0; the plan's model would quietly drop it)
    whole = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: type(value) is int)
    strict = validators.extend(Draft202012Validator, type_checker=whole)
    return strict(schema, registry=registry, format_checker=FormatChecker())


def _has_float(doc) -> bool:
    """Whether the file holds a decimal number (which the quick validator would take as
    a whole number where one is due). Walking the values is quicker than a regular
    expression over the text would be."""
    stack = [doc.data]
    while stack:
        node = stack.pop()
        if type(node) is float:
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


@lru_cache(maxsize=None)
def _key_places() -> tuple[dict, dict]:
    """(the keys of each place, the places of each key), from the schemas themselves."""
    keys_of: dict[tuple, frozenset] = {}
    for schema in _schemas():
        name = schema["$id"].rsplit("/", 1)[-1].removesuffix(".schema.json")
        if schema.get("properties"):
            keys_of[(name, None)] = frozenset(schema["properties"])
        for def_name, definition in schema.get("$defs", {}).items():
            if isinstance(definition, dict) and definition.get("properties"):
                keys_of[(name, def_name)] = frozenset(definition["properties"])
    places_of: dict[str, list] = {}
    for place, keys in keys_of.items():
        for key in keys:
            places_of.setdefault(key, []).append(place)
    return keys_of, places_of


def _place_of(schema: dict) -> tuple | None:
    """Which place of `_PLACES` a (sub)schema with properties is."""
    keys = frozenset(schema.get("properties", ()))
    keys_of, _places = _key_places()
    return next((place for place, known in keys_of.items() if known == keys), None)


# -- naming where a value is ------------------------------------------------------------

def _entry_name(doc, path: tuple, index: int):
    """The name of the list entry at path[:index + 1], e.g. "section 'formal'"."""
    list_key = path[index - 1] if index > 0 else None
    entry = doc.get(path[:index + 1])
    template, fields = _ENTRIES.get(list_key, (None, ())) if isinstance(list_key, str) \
        else (None, ())
    if isinstance(entry, dict) and template is not None:
        for field in fields:
            value = entry.get(field)
            if isinstance(value, (str, int)) and not isinstance(value, bool) \
                    and str(value).strip() and not holds_mark(str(value)):
                return with_value(template, name=str(value))
    return _("entry {n} of '{key}'", n=path[index] + 1, key=list_key) \
        if isinstance(list_key, str) else _("entry {n}", n=path[index] + 1)


def place_words(doc, path: tuple):
    """Where a value is, in words: "'verified' in person 'kari-eksempel'"."""
    entry = None
    last = -1
    for index in range(len(path) - 1, -1, -1):
        if isinstance(path[index], int) and isinstance(doc.get(path[:index + 1]), dict):
            entry, last = _entry_name(doc, path, index), index
            break
    rest = [p for p in path[last + 1:] if isinstance(p, str)]
    if entry is not None:
        return _("'{key}' in {entry}", key=rest[-1], entry=entry) if rest else entry
    if rest:
        return f"'{'.'.join(rest)}'"
    if path and isinstance(path[-1], int):
        return _("entry {n} of '{key}'", n=path[-1] + 1, key=path[-2]) \
            if len(path) > 1 and isinstance(path[-2], str) else _("entry {n}", n=path[-1] + 1)
    return _("the file")


def _is_zero(value) -> bool:
    """A duration written in ISO 8601 whose parts are all zero (`P0D`, `PT0S`)."""
    import re
    return isinstance(value, str) and bool(re.fullmatch(
        r"P(?:0+[YMWD])*(?:T(?:0+[HMS])+)?", value)) and value not in ("P", "PT")


def _type_name(value):
    if isinstance(value, bool):
        return _("true or false")
    if value is None:
        return _("empty")
    return {dict: _("keys with values (a mapping)"), list: _("a list"), str: _("text"),
            int: _("a number"), float: _("a decimal number")}.get(type(value),
                                                                   type(value).__name__)


def _wanted_type(expected):
    kinds = expected if isinstance(expected, list) else [expected]
    return either([_TYPES.get(k, k) for k in kinds if k != "null"] or [_TYPES["null"]])


def _close(word, options) -> str | None:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return close[0] if close else None


def _line(doc, line: int) -> str:
    if doc.text is None:
        return ""
    lines = doc.text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


# -- one finding per mistake ------------------------------------------------------------

def _describe(error, doc):
    """(path, key?, message) items for one jsonschema error, in plain words."""
    path = tuple(error.absolute_path)
    value, keyword, schema = error.instance, error.validator, error.schema
    if keyword == "additionalProperties" and isinstance(value, dict):
        yield from _unknown_keys(path, value, schema, doc)
        return
    where = place_words(doc, path)
    if keyword == "required":
        for key in error.validator_value:
            if key not in value:
                yield path, True, _("{where} has no '{key}', which it needs; add `{key}:`",
                                    where=where, key=key)
        return
    if keyword in ("anyOf", "oneOf") and error.context:
        alternatives = [e for e in error.context if e.validator == "required"]
        if alternatives and len(alternatives) == len(error.context):
            names = sorted({k for e in alternatives for k in e.validator_value})
            if keyword == "oneOf" and all(k in value for k in names):
                yield path, True, _("{where} has both {keys}; keep only one of them",
                                    where=where, keys=quoted(names))
            else:
                yield path, True, _("{where} needs {keys}", where=where,
                                    keys=either(quoted(names)))
            return
        from jsonschema.exceptions import best_match
        yield from _describe(best_match(error.context), doc)
        return
    if keyword == "const" and path == ("beredskap",):
        yield path, False, _unsupported_version(value)
        return
    if keyword == "enum":
        options = [str(o) for o in error.validator_value]
        close = _close(value, options)
        values = dict(where=where, value=str(value), options=options)
        yield path, False, (_("{where}: '{value}' is not one of the values allowed here; did "
                              "you mean '{close}'?", close=close, **values) if close else
                            _("{where}: '{value}' is not one of {options}", **values))
        return
    if keyword == "type":
        yield path, False, _wrong_type(doc, path, value, error.validator_value, where)
        return
    if keyword in ("format", "pattern") and schema.get("format") in _FORMATS:
        problem = with_value(_FORMATS[schema["format"]], value=str(value))
        if schema["format"] == "duration" and _is_zero(value):
            problem = _("'{value}' is no time at all; a length of time must be longer than "
                        "zero, e.g. P1Y or PT2H", value=str(value))
        yield path, False, _("{where}: {problem}", where=where, problem=problem)
        return
    if keyword == "pattern":
        pattern = str(error.validator_value)
        if "[a-z0-9]" in pattern:
            problem = _("'{value}' is not a valid id: use lowercase letters a-z, digits and "
                        "'-' (write ae, oe and aa for æ, ø and å), e.g. anna-jensen",
                        value=str(value))
        else:
            problem = with_value(_PATTERNS.get(pattern, _SECTION_NUMBER), value=str(value))
        yield path, False, _("{where}: {problem}", where=where, problem=problem)
        return
    if keyword == "minItems":
        yield path, False, _n("{where} needs at least {n} entry", "{where} needs at least "
                              "{n} entries", error.validator_value, where=where)
        return
    if keyword == "minLength":
        yield path, False, _("{where} is empty; write the text after the colon", where=where)
        return
    if keyword == "minimum":
        yield path, False, _("{where} must be {minimum} or more, not {value}", where=where,
                             minimum=error.validator_value, value=str(value))
        return
    if keyword == "uniqueItems":
        yield path, False, _("{where} lists the same entry twice; remove one of them",
                             where=where)
        return
    yield path, False, _("{where}: '{value}' is not allowed here; `beredskap schema` shows "
                         "what is", where=where, value=str(value))


def _unsupported_version(value) -> Message:
    return _("the file is written in format version {version}, but this version of "
             "beredskap reads format {supported}; write `beredskap: {supported}`, or use the "
             "version of beredskap the file was written for", version=repr(value),
             supported=FORMAT_VERSION)


def _unknown_keys(path: tuple, value: dict, schema: dict, doc):
    known = set(schema.get("properties", {}))
    here = _place_of(schema)
    where = place_words(doc, path) if path else _("the top level of the file")
    _keys_of, places_of = _key_places()
    for key in value:
        if key in known or str(key).startswith("x-"):
            continue
        text = str(key)
        if text.startswith("-") and text[1:2] not in ("", " "):
            yield path + (key,), True, _("a list entry needs a space after '-'; write: {fixed}",
                                         fixed="- " + text[1:] + ": …")
            continue
        elsewhere = [p for p in places_of.get(text, ()) if p != here and p in _PLACES]
        if elsewhere:
            names = [_PLACES[p] for p in elsewhere[:_MOST_PLACES]]
            yield path + (key,), True, _(
                "'{key}' does not belong in {where}; it is a key of {places}, so move it "
                "there", key=text, where=where, places=either(names))
            continue
        close = _close(text, known)
        if close:
            yield path + (key,), True, _("unknown key '{key}' in {where}; did you mean "
                                         "'{close}'?", key=text, where=where, close=close)
        elif len(known) <= 8:
            yield path + (key,), True, _("unknown key '{key}' in {where}; the keys here are "
                                         "{known}", key=text, where=where,
                                         known=quoted(sorted(known)))
        else:
            yield path + (key,), True, _("unknown key '{key}' in {where}; remove it, or "
                                         "begin it with x- to keep it as your own note",
                                         key=text, where=where)


def _wrong_type(doc, path: tuple, value, expected, where) -> Message:
    kinds = expected if isinstance(expected, list) else [expected]
    key = path[-1] if path and isinstance(path[-1], str) else None
    if value is None and "string" in kinds and key is not None:
        line = _line(doc, doc.at(path, key=True).line)
        match = re.search(rf"{re.escape(key)}\s*:\s+#", line)
        if match:
            start = match.end() - 1
            value_text, _comment = line[start:], ""
            return _("the text after '{key}:' begins with '#', which YAML reads as the start "
                     "of a comment, so {where} is empty; put the text in quotes: {fixed}",
                     key=key, where=where,
                     fixed=(line[:start] + '"' + value_text.strip().replace('"', '\\"') + '"')
                     .strip())
        return _("{where} is empty; write the text after the colon", where=where)
    if "object" in kinds and isinstance(value, list):
        return _("{where} must be keys with values, not a list; remove the '- ' in front of "
                 "its keys", where=where)
    if "array" in kinds and isinstance(value, dict):
        if any(str(k).startswith("-") for k in value):
            return _("{where} must be a list, and a list entry needs a space after '-'; write "
                     "'- ' in front of each entry", where=where)
        return _("{where} must be a list; begin each of its entries with '- ' on a new line",
                 where=where)
    if "object" in kinds and isinstance(value, str):
        match = re.match(r"([^\s:]+):(\S.*)$", value)
        if match:
            return _("a key needs a space after its colon; write: {fixed}",
                     fixed=match.expand(r"\1: \2"))
    return _("{where} must be {wanted}, not {got}", where=where, wanted=_wanted_type(expected),
             got=_type_name(value))


def _one_per_mistake(items: list) -> list:
    """Drop a missing key that an unknown key right beside it is a misspelling of: a typo
    `tittel:` is one mistake, reported once (as the unknown key)."""
    unknown: dict[tuple, set[str]] = {}
    for error in items:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            unknown.setdefault(tuple(error.absolute_path), set()).update(
                str(k) for k in error.instance if k not in known
                and not str(k).startswith("x-"))
    if not unknown:
        return items

    def misspelt(error, names) -> bool:
        typos = unknown.get(tuple(error.absolute_path), set())
        return any(_close(t, [n]) for t in typos for n in names)

    kept = []
    for error in items:
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = [k for k in error.validator_value if k not in error.instance]
            if missing and misspelt(error, missing):
                continue
        if error.validator in ("anyOf", "oneOf") and error.context and all(
                e.validator == "required" for e in error.context):
            names = [k for e in error.context for k in e.validator_value]
            if misspelt(error, names):
                continue
        kept.append(error)
    return kept


def check_document(doc):
    data = doc.data
    if doc.problems and any(p.rule == "yaml-syntax" for p in doc.problems):
        return
    if not isinstance(data, dict):
        yield Hit(doc.at(()), _("the file must hold keys with values, beginning with "
                                "`beredskap: {version}` and `kind:`, not {got}",
                                version=FORMAT_VERSION, got=_type_name(data)))
        return
    if "beredskap" not in data:
        yield Hit(doc.at(()), _("the file has no `beredskap: {version}` (the format version); "
                                "add it as the first line", version=FORMAT_VERSION))
        return
    if data["beredskap"] != FORMAT_VERSION or isinstance(data["beredskap"], bool):
        yield Hit(doc.at(("beredskap",)), _("{problem}; the file is not checked further",
                                            problem=_unsupported_version(data["beredskap"])))
        return
    kind = data.get("kind")
    if kind not in KINDS:
        close = _close(kind, KINDS) if kind else None
        if "kind" not in data:
            message = _("the file has no `kind:`; add the kind of file, one of {kinds}",
                        kinds=list(KINDS))
        elif close:
            message = _("unknown kind '{kind}'; did you mean '{close}'?", kind=str(kind),
                        close=close)
        else:
            message = _("unknown kind '{kind}'; the kinds are {kinds}", kind=str(kind),
                        kinds=list(KINDS))
        yield Hit(doc.at(("kind",)), message)
        return
    fast = _fast_check(kind)
    if fast is not None and fast(data) and not _has_float(doc):
        return
    seen = set()
    errors = sorted(_validator(kind).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for error in _one_per_mistake(errors):
        for path, key, message in _describe(error, doc):
            if (path, message) not in seen:
                seen.add((path, message))
                yield Hit(doc.at(path, key=key), message)


def check(ctx):
    for doc in ctx.documents:
        yield from check_document(doc)
