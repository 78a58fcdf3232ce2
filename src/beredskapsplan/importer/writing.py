"""The plan folder's files, as commented YAML text, from the draft and its annexes.

Bodies are written as Markdown by pandoc's Markdown writer, all sections in
one run, in the dialect `render` reads (pipe tables, no raw HTML).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import placeholders
from ..i18n import _, translator
from .annexes import Entry
from .yamltext import Map, Seq, Writer, prose

SPLIT = "\ue001section-{n}\ue001"
_SPLIT_LINE = re.compile("^\ue001section-(\\d+)\ue001$")


@dataclass
class File:
    path: str  # relative to the plan folder, with /
    kind: str
    root: Map
    header: list[str] = field(default_factory=list)  # comment lines at the top
    text: str = ""
    todos: list[tuple[int, object]] = field(default_factory=list)


def markdown(bodies: list[list]) -> list[str]:
    """Each list of blocks as Markdown, from one run of pandoc."""
    from ..render.convert import MARKDOWN_WRITER, Pandoc

    if not bodies:
        return []
    blocks: list = []
    for n, body in enumerate(bodies):
        blocks.append({"t": "Para", "c": [{"t": "Str", "c": SPLIT.format(n=n)}]})
        blocks.extend(body)
    out = Pandoc(0).write(blocks, MARKDOWN_WRITER, ["--wrap=auto", "--columns=80"])
    texts: list[list[str]] = [[] for _ in bodies]
    current = None
    for line in out.decode("utf-8").split("\n"):
        match = _SPLIT_LINE.match(line.strip())
        if match:
            current = int(match.group(1))
            continue
        if current is not None:
            texts[current].append(line)
    return ["\n".join(lines).strip("\n") + "\n" if "".join(lines).strip() else ""
            for lines in texts]


def render_file(file: File, modeline: str | None) -> None:
    writer = Writer()
    if modeline:
        writer.lines.append(f"# yaml-language-server: $schema={modeline}")
        writer.lines.append("#")
    for line in file.header:
        writer.comment(line) if line else writer.lines.append("#")
    writer.mapping(file.root)
    file.text = writer.text()
    file.todos = writer.todos


def mark_text(language: str, message) -> str:
    return f"{placeholders.mark(language)} {translator(language)(message)}"


def phones_seq(phones: list[dict]) -> Seq:
    seq = Seq()
    for phone in phones:
        entry = Map().add("number", phone["number"])
        if phone.get("label"):
            entry.add("label", phone["label"])
        if phone.get("private"):
            entry.add("private", True)
        seq.add(entry)
    return seq


def entry_map(entry: Entry, kind: str, tr, bad: set[str]) -> Map:
    data = entry.data
    node = Map()
    source = tr(_("From the document"))
    notes = [f"{source} – {n}" for n in entry.notes]
    first = True
    for key, value in data.items():
        comments = notes if first else []
        first = False
        if key == "phones" or (key == "contacts" and isinstance(value, list)):
            if key == "phones":
                seq = phones_seq(value)
                _mark_bad(seq, bad, tr)
                node.add(key, seq, comments)
            else:
                contacts = Seq()
                for person in value:
                    contact = Map().add("name", person["name"])
                    if person.get("phones"):
                        seq = phones_seq(person["phones"])
                        _mark_bad(seq, bad, tr)
                        contact.add("phones", seq)
                    if person.get("email"):
                        contact.add("email", person["email"])
                    contacts.add(contact)
                node.add(key, contacts, comments)
        elif key == "agreement":
            agreement = Map().add("title", value["title"])
            if "expires" in value:
                agreement.add("expires", value["expires"])
            node.add(key, agreement, comments)
        elif key in ("requisition",):
            node.add(key, prose(value), comments)
        else:
            node.add(key, value, comments)
    return node


def _mark_bad(seq: Seq, bad: set[str], tr) -> None:
    for item in seq.items:
        number = item.value.fields[0]
        if number.value in bad:
            number.note = tr(_("not a valid number: check it"))
            number.todo = _("check the number {number}", number=number.value)
