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

ID = "schema"
SEVERITY = "error"
SCOPE = "file"
SUMMARY = "schema violations, with the closest valid key for typos"

_FORMATS = {
    "date": "a date written YYYY-MM-DD, e.g. 2025-10-08",
    "duration": "an ISO 8601 duration such as P1Y, P6M, P3D or PT2H (longer than zero)",
    "email": "an e-mail address",
}
_TYPES = {"object": "a mapping (key: value)", "array": "a list", "string": "text",
          "integer": "a whole number", "number": "a number", "boolean": "true or false",
          "null": "empty"}


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


_MAYBE_FLOAT = re.compile(r"\d\.|\.\d|\d[eE]|\.(?:inf|Inf|INF)")


def _has_float(doc) -> bool:
    """Whether the file holds a decimal number (which the quick validator would take as
    a whole number where one is due)."""
    if doc.text is not None and not _MAYBE_FLOAT.search(doc.text):
        return False
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


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", int: "a number",
            float: "a decimal number"}.get(type(value), type(value).__name__)


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _where(path: tuple) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return "".join(parts).lstrip(".") or "the top level"


def _wanted_type(expected) -> str:
    kinds = expected if isinstance(expected, list) else [expected]
    return " or ".join(_TYPES.get(k, k) for k in kinds)


def _describe(error, doc):
    """(path, key?, message) items for one jsonschema error, in plain words."""
    path = tuple(error.absolute_path)
    at = _where(path)
    value, keyword, schema = error.instance, error.validator, error.schema
    if keyword == "additionalProperties" and isinstance(value, dict):
        known = set(schema.get("properties", {}))
        for key in value:
            if key not in known and not str(key).startswith("x-"):
                options = ", ".join(sorted(known)) if len(known) <= 8 else ""
                hint = _suggest(key, known) or (f" (allowed: {options})" if options else "")
                yield path + (key,), True, f"unknown key '{key}' in {at}{hint}"
        return
    if keyword == "required":
        missing = [k for k in error.validator_value if k not in value]
        for key in missing:
            yield path, True, f"{at} is missing the required key '{key}'"
        return
    if keyword in ("anyOf", "oneOf") and error.context:
        alternatives = [e for e in error.context if e.validator == "required"]
        if alternatives and len(alternatives) == len(error.context):
            names = sorted({k for e in alternatives for k in e.validator_value})
            if keyword == "oneOf" and all(k in value for k in names):
                yield path, True, f"{at} has both {' and '.join(names)}; give exactly one"
            else:
                yield path, True, f"{at} needs {' or '.join(names)}"
            return
        from jsonschema.exceptions import best_match
        yield from _describe(best_match(error.context), doc)
        return
    if keyword == "const" and path == ("beredskap",):
        yield path, False, (f"unsupported format version {value!r}: this version of beredskap "
                            f"reads format {FORMAT_VERSION}; write `beredskap: {FORMAT_VERSION}`")
        return
    if keyword == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        yield path, False, (f"{at}: '{value}' is not one of: {options}"
                            f"{_suggest(value, error.validator_value)}")
        return
    if keyword == "type":
        yield path, False, (f"{at} must be {_wanted_type(error.validator_value)}, "
                            f"not {_type_name(value)}")
        return
    if keyword in ("format", "pattern") and (schema.get("format") in _FORMATS):
        yield path, False, f"{at}: '{value}' is not {_FORMATS[schema['format']]}"
        return
    if keyword == "pattern" and "[a-z0-9]" in str(error.validator_value):
        yield path, False, (f"{at}: '{value}' is not a valid id: use lowercase letters a-z, "
                            "digits and '-', e.g. anna-jensen")
        return
    if keyword == "minItems":
        yield path, False, f"{at} needs at least {error.validator_value} entries"
        return
    if keyword == "minLength":
        yield path, False, f"{at} must not be empty"
        return
    if keyword == "uniqueItems":
        yield path, False, f"{at} lists the same entry twice"
        return
    yield path, False, f"{at}: {error.message}"


def check_document(doc):
    data = doc.data
    if doc.problems and any(p.rule == "yaml-syntax" for p in doc.problems):
        return
    if not isinstance(data, dict):
        yield Hit(doc.at(()), f"the file must be a mapping with `beredskap: {FORMAT_VERSION}` and "
                              f"`kind:`, not {_type_name(data)}")
        return
    if "beredskap" not in data:
        yield Hit(doc.at(()), f"missing `beredskap: {FORMAT_VERSION}` (the format version) "
                              "at the top of the file")
        return
    if data["beredskap"] != FORMAT_VERSION or isinstance(data["beredskap"], bool):
        yield Hit(doc.at(("beredskap",)),
                  f"unsupported format version {data['beredskap']!r}: this version of beredskap "
                  f"reads format {FORMAT_VERSION}; the file is not checked further")
        return
    kind = data.get("kind")
    if kind not in KINDS:
        what = f"unknown kind '{kind}'" if "kind" in data else "missing `kind:`"
        yield Hit(doc.at(("kind",)), f"{what}; one of: {', '.join(KINDS)}"
                  f"{_suggest(kind, KINDS) if kind else ''}")
        return
    fast = _fast_check(kind)
    if fast is not None and fast(data) and not _has_float(doc):
        return
    seen = set()
    errors = sorted(_validator(kind).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        for path, key, message in _describe(error, doc):
            if (path, message) not in seen:
                seen.add((path, message))
                yield Hit(doc.at(path, key=key), message)


def check(ctx):
    for doc in ctx.documents:
        yield from check_document(doc)
