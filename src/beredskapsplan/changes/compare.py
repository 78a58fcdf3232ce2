"""What changed between two views of a plan: the summary and the merged section tree.

Sections are matched by id across the whole tree, so a section that moved to
another chapter is one section that moved, not one removed and one added.
Roles, staff and levels are matched by id (levels by number); annex entries
by their id within each annex, annexes by letter.

A section is
- *added* / *removed*: its id is in only one version;
- *moved*: its parent changed, or it changed places with its siblings (those
  that keep their order are not moved: a section inserted before them only
  renumbers them);
- *renumbered*: the number it prints changed;
- *changed*: its title, text or exemption changed (for a section withheld from
  the public version: anything in it, including its sub-sections).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the views need render's modules, which `validate` should not load
    from .views import AnnexView, EntryView, PlanView, SectionView

KINDS = ("added", "removed", "moved", "renumbered", "changed")
AREAS = ("roles", "staff", "levels", "activation")


@dataclass
class SectionChange:
    kind: str  # one of KINDS
    key: str
    id: str | None
    number: str | None  # as printed now; for a removed section as printed in the old version
    title: str  # as printed now (public, withheld: the exempt heading)
    old_number: str | None
    old_title: str | None
    withheld: str | None  # public: the note naming the legal basis
    anchor: str = ""  # where the section is in the change document


@dataclass
class EntryChange:
    area: str  # roles | staff | levels | activation
    kind: str  # added | removed | changed
    key: str
    title: str
    old_title: str | None
    parts: list[str]  # what changed: title, holders, duties, lead, members, description …
    old_names: list[str] = field(default_factory=list)
    new_names: list[str] = field(default_factory=list)
    anchor: str = ""


@dataclass
class AnnexChange:
    letter: str
    title: str
    kind: str  # added | removed | changed
    added: int = 0
    removed: int = 0
    changed: int = 0
    other: bool = False  # the annex's own details or the file's other data changed
    withheld: str | None = None


@dataclass
class Node:
    """A section of the merged tree: in the old version, the new one, or both."""

    old: SectionView | None
    new: SectionView | None
    children: list["Node"] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)
    settings_only: bool = False  # only covers / shows / numbered changed
    moved_from: SectionView | None = None  # the old parent (None: top level or not moved)

    @property
    def view(self) -> SectionView:
        return self.new or self.old

    @property
    def touched(self) -> bool:
        """Anything to show in it or under it beyond its heading."""
        return bool(self.kinds & {"added", "removed", "changed"}) or self.settings_only \
            or any(c.touched or c.kinds for c in self.children)


@dataclass
class Summary:
    sections: list[SectionChange]
    entries: list[EntryChange]
    annexes: list[AnnexChange]
    details: list[str]  # other top-level keys of plan.yaml that changed
    tree: list[Node]

    @property
    def empty(self) -> bool:
        return not (self.sections or self.entries or self.annexes or self.details)

    def by_kind(self, kind: str) -> list[SectionChange]:
        return [c for c in self.sections if c.kind == kind]

    @property
    def substantive(self) -> bool:
        """A change that needs a new council decision (DESIGN §3.3: sections, roles,
        staff, levels, activation)."""
        return bool(self.sections or self.entries)


def compare(old: PlanView, new: PlanView) -> Summary:
    tree = merge_tree(old, new)
    sections: list[SectionChange] = []

    def collect(nodes: list[Node]) -> None:
        for node in nodes:
            for kind in KINDS:
                if kind in node.kinds:
                    sections.append(_section_change(kind, node))
            collect(node.children)

    collect(tree)
    entries = []
    for area in AREAS:
        entries.extend(compare_entries(area, old.chapters[area], new.chapters[area]))
    return Summary(sections=sections, entries=entries,
                   annexes=compare_annexes(old.annexes, new.annexes),
                   details=sorted(k for k in set(old.details) | set(new.details)
                                  if old.details.get(k) != new.details.get(k)),
                   tree=tree)


def _section_change(kind: str, node: Node) -> SectionChange:
    view = node.view if kind != "removed" else node.old
    old = node.old
    return SectionChange(kind=kind, key=view.key, id=view.id, number=view.number,
                         title=view.title, old_number=old.number if old else None,
                         old_title=old.title if old else None,
                         withheld=view.withheld or (old.withheld if old else None))


# -- sections --------------------------------------------------------------------------------

def merge_tree(old: PlanView, new: PlanView) -> list[Node]:
    """The sections of both versions in one tree: the new order, with each removed
    section where it stood in the old version."""
    new_keys = set(new.by_key)

    def merged(old_children: list[SectionView], new_children: list[SectionView],
               parent_key: str | None) -> list[Node]:
        nodes = [node_for(old.by_key.get(v.key), v) for v in new_children]
        here = {n.view.key for n in nodes}
        # a removed section (nowhere in the new version) goes after the section that
        # came before it in the old version and is still here
        after: dict[str | None, list[Node]] = {}
        anchor = None
        for view in old_children:
            if view.key in new_keys:
                if view.key in here:
                    anchor = view.key
                continue
            after.setdefault(anchor, []).append(node_for(view, None))
        _mark_moves(nodes, old_children, parent_key)
        result = list(after.get(None, []))
        for node in nodes:
            result.append(node)
            result.extend(after.get(node.view.key, []))
        return result

    def node_for(o: SectionView | None, n: SectionView | None) -> Node:
        node = Node(o, n)
        node.children = merged(o.children if o else [], n.children if n else [],
                               (n or o).key)
        if o is None:
            node.kinds.add("added")
        elif n is None:
            node.kinds.add("removed")
        else:
            if o.number != n.number and o.number is not None and n.number is not None:
                node.kinds.add("renumbered")
            withheld = o.withheld is not None or n.withheld is not None
            if withheld:
                if o.tree != n.tree:
                    node.kinds.add("changed")
            elif o.own != n.own or o.title != n.title:
                node.kinds.add("changed")
            elif o.settings != n.settings:
                node.settings_only = True
            if o.parent != n.parent:
                node.kinds.add("moved")
                node.moved_from = old.by_key.get(o.parent) if o.parent else None
        return node

    return merged(old.sections, new.sections, None)


def _mark_moves(nodes: list[Node], old_children: list[SectionView], parent: str | None) -> None:
    """Siblings that kept their parent but changed places with each other: the ones
    outside the longest run of common order are moved."""
    kept = [n for n in nodes if n.old is not None and n.new is not None
            and n.old.parent == n.new.parent]
    if len(kept) < 2:
        return
    order_old = [v.key for v in old_children if any(v.key == n.old.key for n in kept)]
    order_new = [n.new.key for n in kept]
    matcher = difflib.SequenceMatcher(None, order_old, order_new, autojunk=False)
    in_order = set()
    for block in matcher.get_matching_blocks():
        in_order.update(order_new[block.b:block.b + block.size])
    for node in kept:
        if node.new.key not in in_order:
            node.kinds.add("moved")


# -- roles, staff, levels, activation -------------------------------------------------------

def compare_entries(area: str, old: list[EntryView], new: list[EntryView]) -> list[EntryChange]:
    old_by = {e.key: e for e in old}
    new_keys = {e.key for e in new}
    out = []
    for entry in new:
        before = old_by.get(entry.key)
        if before is None:
            out.append(EntryChange(area, "added", entry.key, entry.title, None, [],
                                   new_names=entry.names))
            continue
        parts = [p for p in entry.data if before.data.get(p) != entry.data.get(p)]
        if parts:
            out.append(EntryChange(area, "changed", entry.key, entry.title, before.title, parts,
                                   old_names=before.names, new_names=entry.names))
    for entry in old:
        if entry.key not in new_keys:
            out.append(EntryChange(area, "removed", entry.key, entry.title, None, [],
                                   old_names=entry.names))
    return out


# -- annexes ---------------------------------------------------------------------------------

def compare_annexes(old: list[AnnexView], new: list[AnnexView]) -> list[AnnexChange]:
    old_by = {a.key: a for a in old}
    new_keys = {a.key for a in new}
    out = []
    for annex in new:
        before = old_by.get(annex.key)
        withheld = annex.withheld or (before.withheld if before else None)
        if before is None:
            out.append(AnnexChange(annex.letter, annex.title, "added", withheld=withheld))
            continue
        added = sum(1 for k in annex.entries if k not in before.entries)
        removed = sum(1 for k in before.entries if k not in annex.entries)
        changed = sum(1 for k, v in annex.entries.items()
                      if k in before.entries and before.entries[k] != v)
        other = annex.rest != before.rest
        if added or removed or changed or other:
            if withheld:
                out.append(AnnexChange(annex.letter, annex.title, "changed", withheld=withheld))
            else:
                out.append(AnnexChange(annex.letter, annex.title, "changed", added, removed,
                                       changed, other))
    for annex in old:
        if annex.key not in new_keys:
            out.append(AnnexChange(annex.letter, annex.title, "removed",
                                   withheld=annex.withheld))
    return out
