"""The markings that keep data out of the public version, read so that they fail closed.

Two markings withhold data from `render --audience public`:

- `exempt: {basis: "…"}` on a section, an annex entry in plan.yaml, a whole
  annex file or an entry of the plan register;
- `private: true` on a phone number.

The public version is a legal promise (offentleglova, offentlighedsloven), so
whatever cannot be read as "not exempt" or "not private" counts as exempt or
private:

- `exempt` present with any value at all (text, empty, `false`, a mapping
  without a basis) withholds the part; only a part without the key is public;
- `private` withholds the number unless it is absent or exactly `false`
  (`private: yes`, `"true"` or `1` withhold it), and so does a label that says
  the number is private (`label: privat`);
- a key that looks like one of the markings (`Exempt`, `exmept`, `unntatt`,
  `undtaget`, `privat`) counts as that marking.

`problems` lists every marking not written as the format says, wherever it
stands; a public render refuses while there is any, whatever the rule
settings, suppression comments or `--draft`.
"""
from __future__ import annotations

import difflib
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from . import model as m
from .documents import Document, Location
from .i18n import Message, _

EXEMPT, PRIVATE = "exempt", "private"
# stems of words meaning "exempt" or "private" in the languages of the tool
_EXEMPT_STEMS = ("exempt", "exemption", "unntat", "unntak", "unnatek", "unntek", "undtag",
                 "withheld", "withhold", "confidential", "fortrolig", "skjerm", "hemmelig",
                 "secret", "hidden", "skjult", "redact", "restrict", "classified", "gradert",
                 "graderet", "sensitiv", "ikkeoffentl", "ikkjeoffentl", "ikkeoffentl",
                 "nonpublic", "notpublic")
_PRIVATE_STEMS = ("privat", "personal", "personlig")
_LETTERS = re.compile(r"[^a-zæøå]")
# letters of other scripts that look like Latin ones (`ехеmpt` in Cyrillic is `exempt`
# on screen, so it must count as `exempt` here)
_LOOK_ALIKES = str.maketrans(
    "аеорсхукмтнвізјѕԁһӏԛԝαεορτχικνυβγ",
    "aeopcxykmthbi3jsdhlqwaeoptxikvyby")
# a phone label saying the number is private or not to be published ("privat mobil",
# "hjemme", "hemmelig", "unntatt offentlighet", "ikke offentlig")
_PRIVATE_LABEL = re.compile(
    r"(?<![a-zæøå])(privat|personlig|hjemme|heime|home|hemmelig|secret|fortrolig|confidential"
    r"|unntat|unntak|undtag|skjerm|skjult|ikke[ -]?offentl|ikkje[ -]?offentl|not public)",
    re.IGNORECASE)


def _folded(key: str) -> str:
    """A key as its letters look: case folded, compatibility forms (full-width letters)
    made plain, look-alikes from other scripts made Latin, everything else left out."""
    return _LETTERS.sub("", unicodedata.normalize("NFKC", key).casefold().translate(_LOOK_ALIKES))


@lru_cache(maxsize=1024)
def marking_meant(key: str) -> str | None:
    """`exempt` or `private` when a key is, or looks like, that marking; else None.

    `x-` keys are the author's own and never count."""
    if not isinstance(key, str) or key.startswith("x-"):
        return None
    if key in (EXEMPT, PRIVATE):
        return key
    word = _folded(key)
    if not word:
        return None
    if word.startswith(_EXEMPT_STEMS):
        return EXEMPT
    if word.startswith(_PRIVATE_STEMS):
        return PRIVATE
    close = difflib.get_close_matches(word, (EXEMPT, PRIVATE), n=1, cutoff=0.75)
    return close[0] if close else None


def _marking_keys(mapping: dict, meant: str) -> list[str]:
    return [k for k in mapping if marking_meant(k) == meant]


def exemption(mapping: Any, src: m.Src) -> m.Exempt | None:
    """The exemption of the part `mapping` holds, failing closed (see the module text)."""
    if not isinstance(mapping, dict):
        return None
    keys = [EXEMPT] if EXEMPT in mapping else _marking_keys(mapping, EXEMPT)
    if not keys:
        return None
    value = mapping[keys[0]]
    basis = value.get("basis") if isinstance(value, dict) else None
    return m.Exempt(basis.strip() if isinstance(basis, str) else "", src.child(keys[0]))


def is_exempt(mapping: Any) -> bool:
    """Whether the part `mapping` holds is withheld by its own marking."""
    return isinstance(mapping, dict) and (EXEMPT in mapping or bool(_marking_keys(mapping, EXEMPT)))


def is_private(phone: dict, label: bool = True) -> bool:
    """Whether a phone entry (a mapping) must stay out of the public version (`label`:
    a label saying "privat" counts too)."""
    if any(phone[k] is not False for k in _marking_keys(phone, PRIVATE)):
        return True
    if not label:
        return False
    label = phone.get("label")
    return isinstance(label, str) and _PRIVATE_LABEL.search(label) is not None


# -- where each marking belongs --------------------------------------------------------

def _exempt_belongs(kind: str | None, path: tuple) -> bool:
    """Whether `exempt` may stand in the mapping at `path` of a file of this kind."""
    if kind == "plan":
        if len(path) == 2 and path[0] == "annexes" and isinstance(path[1], int):
            return True
        # sections[i], sections[i].sections[j], ...
        return (len(path) >= 2 and len(path) % 2 == 0
                and all(path[i] == "sections" and isinstance(path[i + 1], int)
                        for i in range(0, len(path), 2)))
    if kind is None:
        return False
    if path == ():
        return True  # a whole annex file
    return kind == "plan-register" and len(path) == 2 and path[0] == "plans" \
        and isinstance(path[1], int)


def _is_phone(kind: str | None, path: tuple) -> bool:
    """Whether the mapping at `path` is one phone number's entry."""
    if len(path) < 4 or path[-2] != "phones" or not isinstance(path[-1], int):
        return False
    owner = path[:-2]
    if kind == "contacts":
        return len(owner) == 2 and owner[0] == "people" and isinstance(owner[1], int)
    if kind == "partners":
        return (len(owner) == 2 and owner[0] == "partners" and isinstance(owner[1], int)) or (
            len(owner) == 4 and owner[0] == "partners" and isinstance(owner[1], int)
            and owner[2] == "contacts" and isinstance(owner[3], int))
    return False


# -- markings that are not written as the format says ------------------------------------

@dataclass(frozen=True, slots=True)
class MarkingProblem:
    where: Location
    message: Message


_EXAMPLE = 'exempt: {basis: "offentleglova § 24"}'


def _exempt_value_ok(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    basis = value.get("basis")
    return (isinstance(basis, str) and bool(basis.strip())
            and all(k == "basis" or (isinstance(k, str) and k.startswith("x-")) for k in value))


def _walk(data: Any) -> Iterator[tuple[tuple, dict]]:
    stack = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            yield path, node
            stack.extend((path + (k,), v) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((path + (i,), v) for i, v in enumerate(node) if isinstance(v, (dict, list)))


def document_problems(doc: Document) -> list[MarkingProblem]:
    """Every exemption or privacy marking in one file that is not written as the format says."""
    found: list[MarkingProblem] = []
    data = doc.data
    kind = data.get("kind") if isinstance(data, dict) else None
    kind = kind if isinstance(kind, str) else None
    for path, mapping in _walk(data):
        for key, value in mapping.items():
            meant = marking_meant(key)
            if meant is None:
                continue
            at = doc.at(path + (key,), key=True)
            if key != meant:
                found.append(MarkingProblem(at, _(
                    "'{key}' looks like the marking '{meant}' but is not written as one; "
                    "write '{meant}' (or remove the key)", key=key, meant=meant)))
            elif meant == EXEMPT and not _exempt_belongs(kind, path):
                found.append(MarkingProblem(at, _(
                    "'exempt' cannot stand here: it marks a section, an annex, a whole annex "
                    "file or a plan register entry; mark the file or the section that holds "
                    "this instead")))
            elif meant == EXEMPT and not _exempt_value_ok(value):
                found.append(MarkingProblem(doc.at(path + (key,)), _(
                    "this exemption cannot be read: write it as {example}, with the legal "
                    "basis", example=_EXAMPLE)))
            elif meant == PRIVATE and not _is_phone(kind, path):
                found.append(MarkingProblem(at, _(
                    "'private' cannot stand here: it marks one phone number in a "
                    "'phones' list")))
            elif meant == PRIVATE and not isinstance(value, bool):
                found.append(MarkingProblem(doc.at(path + (key,)), _(
                    "'private' must be true or false; as written it cannot be read")))
    found.extend(_duplicated_markings(doc))
    return found


_KEY_AT = re.compile(r"""["']?([^"'\s:]+)""")


def _duplicated_markings(doc: Document) -> Iterator[MarkingProblem]:
    """A marking key given twice in one mapping: YAML keeps only the later one."""
    if doc.text is None:
        return
    lines = None
    for problem in doc.problems:
        if problem.rule != "duplicate-key":
            continue
        lines = lines or doc.text.splitlines()
        if not 0 < problem.line <= len(lines):
            continue
        match = _KEY_AT.match(lines[problem.line - 1], max(problem.column - 1, 0))
        if match and marking_meant(match.group(1)):
            yield MarkingProblem(Location(doc, problem.line, problem.column), _(
                "the marking '{key}' is given twice in this mapping; write it once",
                key=match.group(1)))


def file_identity(path) -> tuple:
    """The same file, however it is reached (a symlink or a hard link)."""
    try:
        info = os.stat(path)
    except OSError:
        return ("path", str(path))
    return ("inode", info.st_dev, info.st_ino)


def annex_problems(plan: m.Plan) -> list[MarkingProblem]:
    """A file listed under two annexes that are not marked the same way."""
    found = []
    seen: dict[tuple, tuple[m.Annex, bool]] = {}
    for annex in plan.annexes:
        for doc in annex.documents:
            identity = file_identity(doc.path)
            first = seen.setdefault(identity, (annex, annex.exempt is not None))
            if first[0] is not annex and first[1] != (annex.exempt is not None):
                found.append(MarkingProblem(annex.src.at(), _(
                    "'{file}' is also annex {letter}, marked differently as exempt; list each "
                    "file under one annex only", file=doc.display,
                    letter=first[0].letter or "?")))
    return found


def problems(plan: m.Plan) -> list[MarkingProblem]:
    """Every marking of the plan that is not written as the format says, in file order."""
    found = []
    for doc in plan.documents:
        found.extend(document_problems(doc))
    found.extend(annex_problems(plan))
    return sorted(found, key=lambda p: (p.where.doc.display, p.where.line, p.where.column))
