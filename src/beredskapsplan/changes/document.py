"""The change document as pandoc's document tree: a title block, the summary, the
plan's sections with the changes marked, then the changed roles, staff, levels
and activation.

Nothing here goes through a template: plain values (titles, names, numbers)
become text nodes, which no output format reads as markup, and every Markdown
field is parsed on its own with render's reader and cleaned with render's
`clean_blocks`, exactly as `render` does. The summary links each item to its
place in the document.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from ..i18n import Message, Translator, _, _n
from ..render.assemble import split_fragments, words
from ..render.convert import Pandoc
from ..render.labels import Labels
from ..render.sanitize import check_document, clean_blocks
from .compare import AREAS, EntryChange, Node, SectionChange, Summary
from .textdiff import DELETION, INSERTION, Mark, diff_blocks, diff_inlines, mark_blocks
from .views import EntryView, PlanView, SectionView

CLASSES = frozenset({"organisation", "doc-title", "doc-subtitle", "edition", "draft-note",
                     "title-details", "exempt", "unnumbered", "unlisted", "change-head",
                     "change-summary", "change-note", INSERTION, DELETION})
KEYS = frozenset({"author", "date"})


def para(inlines: list) -> dict:
    return {"t": "Para", "c": inlines}


def div(classes: list[str], blocks: list, ident: str = "") -> dict:
    return {"t": "Div", "c": [[ident, classes, []], blocks]}


def note(text: str) -> dict:
    """A short remark of the change document itself, in italics."""
    return div(["change-note"], [para([{"t": "Emph", "c": words(text)}])])


def link(text: str, anchor: str) -> list:
    return [{"t": "Link", "c": [["", [], []], words(text), ["#" + anchor, ""]]}]


# -- the Markdown fields of both versions, parsed in one pandoc run ---------------------------

class Fields:
    def __init__(self, pandoc: Pandoc):
        self.pandoc = pandoc
        self.items: list[tuple[str, int]] = []
        self.parsed: list[list] = []
        self.nonce = secrets.token_hex(8)

    def add(self, text: str | None, level: int) -> int | None:
        if text is None or not text.strip():
            return None
        self.items.append((text, level))
        return len(self.items) - 1

    def parse(self) -> None:
        result: dict[int, list] = {}

        def separator(i: int) -> str:
            return f"BKSEP{self.nonce}N{i}"

        def run(indices: list[int]) -> None:
            parts = []
            for k, i in enumerate(indices):
                if k:
                    parts.append(separator(i))
                parts.append(self.items[i][0])
            blocks = self.pandoc.read("\n\n".join(parts) + "\n")
            split = split_fragments(blocks, separator, indices)
            if split is not None:
                result.update(zip(indices, split))
            elif len(indices) == 1:
                result[indices[0]] = blocks
            else:  # a field ran into the next (an unclosed code fence): parse apart
                half = len(indices) // 2
                run(indices[:half])
                run(indices[half:])

        if self.items:
            run(list(range(len(self.items))))
        self.parsed = [clean_blocks(result[i], self.items[i][1]) for i in range(len(self.items))]

    def blocks(self, index: int | None) -> list:
        return [] if index is None else self.parsed[index]


# -- building ----------------------------------------------------------------------------------

@dataclass
class Setting:
    tr: Translator  # the plan's language
    labels: Labels
    mark: Mark
    full: bool
    public: bool
    draft: bool
    title_lines: list[str] = field(default_factory=list)  # under the title: what is compared
    subtitle: str = ""


class Builder:
    """The change document of one comparison."""

    def __init__(self, old: PlanView, new: PlanView, summary: Summary, setting: Setting,
                 pandoc: Pandoc):
        self.old, self.new, self.summary, self.s = old, new, summary, setting
        self.tr = setting.tr
        self.fields = Fields(pandoc)
        self.count = 0
        self.section_anchor: dict[str, str] = {}
        self.entry_anchor: dict[tuple[str, str], str] = {}
        self.chapter_anchors: tuple[str, ...] = ()
        self._register()
        self.fields.parse()

    # the fields are registered first, so that pandoc runs once
    def _register(self) -> None:
        self.body_index: dict[tuple[str, str], int | None] = {}

        def walk(nodes: list[Node], level: int) -> None:
            for node in nodes:
                for side, view in (("old", node.old), ("new", node.new)):
                    if view is not None:
                        self.body_index[(side, view.key)] = self.fields.add(view.body, level)
                walk(node.children, level + 1)

        walk(self.summary.tree, 1)
        self.text_index: dict[tuple[str, str, str], int | None] = {}
        for side, view in (("old", self.old), ("new", self.new)):
            for area, entries in view.chapters.items():
                for entry in entries:
                    self.text_index[(side, area, entry.key)] = self.fields.add(entry.text, 2)

    def anchor(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}-{self.count}"

    def build(self) -> list:
        body = self.sections(self.summary.tree, 1)
        chapters = self.chapters()
        for change in self.summary.sections:
            change.anchor = self.section_anchor.get(change.key, "")
        for change in self.summary.entries:
            change.anchor = self.entry_anchor.get((change.area, change.key), "")
        blocks = self.head() + self.summary_blocks() + body + chapters
        return check_document(self.links(blocks), CLASSES, KEYS)

    # -- the title block -------------------------------------------------------------------------
    def head(self) -> list:
        s, L = self.s, self.s.labels
        plan = self.new.plan
        blocks = [div(["organisation"], [para(words(self.new.builder.text(
            plan.organization.name)))]),
                  div(["doc-title"], [para(words(self.new.builder.text(plan.title)))]),
                  div(["doc-subtitle"], [para(words(s.subtitle))])]
        if s.draft:
            blocks.append(div(["draft-note"], [para(words(L.get("status.draft_note")))]))
        if s.public:
            blocks.append(div(["edition"], [para(words(L.get("document.public_edition")))]))
        lines: list = []
        for i, line in enumerate(s.title_lines):
            if i:
                lines.append({"t": "LineBreak"})
            lines.extend(words(line))
        if lines:
            blocks.append(div(["title-details"], [para(lines)]))
        return [div(["change-head"], blocks)]

    # -- the summary -----------------------------------------------------------------------------
    def summary_blocks(self) -> list:
        tr, summary = self.tr, self.summary
        blocks: list = [{"t": "Header", "c": [1, ["summary", ["unnumbered"], []],
                                              words(tr(_("Summary of changes")))]}]
        groups = summary_groups(summary)
        if not groups:
            blocks.append(para(words(tr(_("Nothing has changed since the version compared "
                                          "with.")))))
        for group in groups:
            items = [[{"t": "Plain", "c": link(tr(text), anchor) if anchor
                       else words(tr(text))}] for text, anchor in group.items]
            blocks.append(para([{"t": "Strong", "c": words(tr(group.title))}]))
            if group.note is not None:
                blocks.append(note(tr(group.note)))
            blocks.append({"t": "BulletList", "c": items})
        return [div(["change-summary"], blocks)]

    # -- sections ----------------------------------------------------------------------------------
    def heading_inlines(self, view: SectionView) -> list:
        text = f"{view.number} {view.title}" if view.number else view.title
        return words(text)

    def sections(self, nodes: list[Node], level: int) -> list:
        out: list = []
        for node in nodes:
            out.extend(self.section(node, level))
        return out

    def section(self, node: Node, level: int) -> list:
        mark, tr = self.s.mark, self.tr
        anchor = self.anchor("s")
        self.section_anchor[node.view.key] = anchor
        old, new = node.old, node.new
        if new is None:
            heading = [mark.span(DELETION, self.heading_inlines(old))]
        elif old is None:
            heading = [mark.span(INSERTION, self.heading_inlines(new))]
        else:
            heading = diff_inlines(self.heading_inlines(old), self.heading_inlines(new), mark)
        out: list = [{"t": "Header", "c": [min(level, 6), [anchor, ["unnumbered"], []], heading]}]
        if "added" in node.kinds:
            out.append(note(tr(_("New section."))))
        elif "removed" in node.kinds:
            out.append(note(tr(_("Section removed."))))
        if "moved" in node.kinds:
            out.append(note(tr(self.moved_text(node))))
        if node.view.withheld is not None or (old and old.withheld) or (new and new.withheld):
            out.extend(self.withheld(node))
            return out
        own = bool(node.kinds & {"added", "removed", "changed"}) or node.settings_only
        below = any(c.touched or c.kinds for c in node.children)
        if self.s.full or own:
            out.extend(self.own_text(node))
            if node.settings_only:
                out.append(note(tr(_("Only the section's settings changed (covers, shows or "
                                     "numbered)."))))
        elif not below:  # nothing changed in or under it: collapsed to its heading
            out.append(note(tr(_("Text unchanged.") if node.kinds else _("Unchanged."))))
            return out
        elif (old and old.body) or (new and new.body):
            out.append(note(tr(_("Text unchanged."))))
        out.extend(self.sections(node.children, level + 1))
        return out

    def moved_text(self, node: Node) -> Message:
        old = node.old
        if old.parent != node.new.parent:
            parent = node.moved_from
            if parent is None:
                return _("Moved here from the top level of the plan.")
            where = f"{parent.number} {parent.title}" if parent.number else parent.title
            return _("Moved here from {section}.", section=where)
        if old.number:
            return _("Moved; it was {number}.", number=old.number)
        return _("Moved.")

    def own_text(self, node: Node) -> list:
        mark = self.s.mark
        old_blocks = self.own_blocks("old", node.old)
        new_blocks = self.own_blocks("new", node.new)
        if node.old is None:
            return mark_blocks(new_blocks, INSERTION, mark)
        if node.new is None:
            return mark_blocks(old_blocks, DELETION, mark)
        return diff_blocks(old_blocks, new_blocks, mark)

    def own_blocks(self, side: str, view: SectionView | None) -> list:
        if view is None:
            return []
        blocks = []
        if view.exempt_note:
            blocks.append(div(["exempt"], [para(words(view.exempt_note))]))
        blocks.extend(self.fields.blocks(self.body_index.get((side, view.key))))
        return self.version_links(blocks, side)

    def withheld(self, node: Node) -> list:
        """A section withheld from the public version: its note, and whether it changed."""
        mark, tr = self.s.mark, self.tr
        text = (node.new or node.old).withheld or (node.old.withheld if node.old else None) \
            or self.s.labels.get("document.exempt_note_nobasis")
        blocks = [div(["exempt"], [para(words(text))])]
        if node.old is None:
            return mark_blocks(blocks, INSERTION, mark)
        if node.new is None:
            return mark_blocks(blocks, DELETION, mark)
        if "changed" in node.kinds:
            return blocks + [note(tr(_("Changed since the version compared with; the "
                                       "changes are not shown in the public version.")))]
        return blocks + [note(tr(_("Unchanged.")))]

    # -- links in the plan's text ----------------------------------------------------------------
    def version_links(self, blocks: list, side: str) -> list:
        """`[](#id)` prints the section's number and title as in that version."""
        view = self.old if side == "old" else self.new
        return _fill_links(blocks, view)

    def links(self, blocks: list) -> list:
        """Links to sections point at their place here; a link to anything else that is
        not in this document keeps only its text."""
        anchors = set(self.section_anchor.values()) | set(self.entry_anchor.values()) \
            | {"summary"} | set(self.chapter_anchors)
        return _relink(blocks, self.section_anchor, anchors)

    # -- roles, staff, levels, activation ---------------------------------------------------------
    def chapters(self) -> list:
        out: list = []
        anchors = []
        changes = {(c.area, c.key): c for c in self.summary.entries}
        for area in AREAS:
            old_entries = self.old.chapters[area]
            new_entries = self.new.chapters[area]
            touched = [c for c in self.summary.entries if c.area == area]
            if not touched and not (self.s.full and (old_entries or new_entries)):
                continue
            anchor = f"k-{area}"
            anchors.append(anchor)
            out.append({"t": "Header", "c": [1, [anchor, ["unnumbered"], []],
                                             words(self.s.labels.get(f"chapters.{area}"))]})
            for old, new in _merge_entries(old_entries, new_entries):
                key = (new or old).key
                change = changes.get((area, key))
                if change is None and not self.s.full:
                    continue
                out.extend(self.entry(area, old, new, change))
        self.chapter_anchors = tuple(anchors)
        return out

    def entry(self, area: str, old: EntryView | None, new: EntryView | None,
              change: EntryChange | None) -> list:
        mark = self.s.mark
        key = (new or old).key
        anchor = self.anchor(f"e-{area}")
        self.entry_anchor[(area, key)] = anchor
        old_blocks = self.entry_blocks("old", area, old)
        new_blocks = self.entry_blocks("new", area, new)
        if area == "activation":
            head: list = []
            if old is not None and new is not None:
                body = diff_blocks(old_blocks, new_blocks, mark)
            else:
                body = mark_blocks(new_blocks or old_blocks,
                                   INSERTION if new is not None else DELETION, mark)
            return [div([], head + body, anchor)]
        if old is None:
            heading = [mark.span(INSERTION, words(new.title))]
            body = mark_blocks(new_blocks, INSERTION, mark)
        elif new is None:
            heading = [mark.span(DELETION, words(old.title))]
            body = mark_blocks(old_blocks, DELETION, mark)
        else:
            heading = diff_inlines(words(old.title), words(new.title), mark)
            body = diff_blocks(old_blocks, new_blocks, mark)
        return [{"t": "Header", "c": [2, [anchor, ["unnumbered"], []], heading]}] + body

    def entry_blocks(self, side: str, area: str, entry: EntryView | None) -> list:
        if entry is None:
            return []
        blocks: list = []
        for label, values in entry.lines:
            if not values:
                blocks.append(para(words(label)))
            elif len(values) == 1 and area != "roles":
                blocks.append(para([{"t": "Strong", "c": words(label + ":")}, {"t": "Space"},
                                    *words(values[0])]))
            else:
                # one line each, numbered as text: a numbered list would show Word's own
                # list numbers, which word processors mark oddly inside tracked changes
                inlines: list = [{"t": "Strong", "c": words(label + ":")}]
                for number, value in enumerate(values, 1):
                    inlines += [{"t": "LineBreak"}, *words(f"{number}. {value}")]
                blocks.append(para(inlines))
        blocks.extend(self.fields.blocks(self.text_index.get((side, area, entry.key))))
        return self.version_links(blocks, side)


def _merge_entries(old: list[EntryView], new: list[EntryView]):
    """Pairs (old, new) in the new order, each removed entry after its old predecessor."""
    old_by = {e.key: e for e in old}
    new_keys = {e.key for e in new}
    after: dict[str | None, list] = {}
    anchor = None
    for entry in old:
        if entry.key in new_keys:
            anchor = entry.key
        else:
            after.setdefault(anchor, []).append((entry, None))
    pairs = list(after.get(None, []))
    for entry in new:
        pairs.append((old_by.get(entry.key), entry))
        pairs.extend(after.get(entry.key, []))
    return pairs


# -- links ---------------------------------------------------------------------------------------

def _map_inlines(node, fn):
    """Apply fn to every Link in the tree (fn returns the replacement inlines)."""
    if isinstance(node, list):
        out = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Link":
                inner = _map_inlines(item["c"][1], fn)
                out.extend(fn({"t": "Link", "c": [item["c"][0], inner, item["c"][2]]}))
            else:
                out.append(_map_inlines(item, fn))
        return out
    if isinstance(node, dict) and "c" in node:
        return {"t": node["t"], "c": _map_inlines(node["c"], fn)}
    return node


def _fill_links(blocks: list, view: PlanView) -> list:
    def fill(item: dict) -> list:
        target = item["c"][2][0]
        if item["c"][1] or not target.startswith("#"):
            return [item]
        section = view.by_key.get(target[1:])
        if section is None:
            return [item]
        text = f"{section.number} {section.title}" if section.number else section.title
        return [{"t": "Link", "c": [item["c"][0], words(text), item["c"][2]]}]

    return _map_inlines(blocks, fill)


def _relink(blocks: list, by_id: dict[str, str], anchors: set[str]) -> list:
    def relink(item: dict) -> list:
        target = item["c"][2][0]
        if not target.startswith("#"):
            return [item]
        ident = target[1:]
        if ident in anchors:
            return [item]
        if ident in by_id:
            return [{"t": "Link", "c": [item["c"][0], item["c"][1], ["#" + by_id[ident], ""]]}]
        return item["c"][1] or words(ident)

    return _map_inlines(blocks, relink)


# -- the summary's groups -------------------------------------------------------------------------

@dataclass
class Group:
    title: Message
    items: list[tuple[Message | str, str]]  # (text, anchor)
    note: Message | None = None


def section_label(number: str | None, title: str) -> str:
    return f"{number} {title}" if number else title


def section_item(change: SectionChange) -> str:
    label = section_label(change.number, change.title)
    if change.kind == "renumbered":
        label = f"{change.old_number} → {change.number} {change.title}"
    if change.withheld:
        return f"{label} ({change.withheld})"
    return label


SECTION_GROUPS = {
    "added": _("Sections added"),
    "removed": _("Sections removed"),
    "moved": _("Sections moved"),
    "renumbered": _("Sections renumbered"),
    "changed": _("Sections changed"),
}
AREA_GROUPS = {
    "roles": _("Roles and their holders"),
    "staff": _("Crisis staff"),
    "levels": _("Levels"),
    "activation": _("Activation"),
}
PART_TEXTS = {
    "title": _("title changed"),
    "duties": _("duties changed"),
    "clearance": _("security clearance requirement changed"),
    "lead": _("lead changed"),
    "members": _("members changed"),
    "description": _("description changed"),
    "decided_by": _("who decides changed"),
    "call_order": _("call order changed"),
    "full_staff_within": _("time to full staffing changed"),
    "sustain_for": _("endurance changed"),
}


def entry_item(change: EntryChange) -> Message:
    if change.kind == "added":
        return _("{title}: new", title=change.title)
    if change.kind == "removed":
        return _("{title}: removed", title=change.title)
    parts: list[Message] = []
    for part in change.parts:
        if part == "title" and change.area == "roles":
            parts.append(_("renamed from {old}", old=change.old_title or ""))
        elif part == "holders":
            parts.append(_("holders {old} → {new}", old=", ".join(change.old_names) or "–",
                           new=", ".join(change.new_names) or "–"))
        else:
            parts.append(PART_TEXTS[part])
    return _("{title}: {changes}", title=change.title, changes=parts)


def annex_item(change) -> Message:
    label = f"{change.letter} {change.title}"
    if change.withheld:
        what = {"added": _("new annex"), "removed": _("annex removed")}.get(
            change.kind, _("changed"))
        return _("Annex {annex}: {what} ({note})", annex=label, what=what, note=change.withheld)
    if change.kind == "added":
        return _("Annex {annex}: new annex", annex=label)
    if change.kind == "removed":
        return _("Annex {annex}: annex removed", annex=label)
    counts: list[Message] = []
    if change.added:
        counts.append(_n("{n} entry added", "{n} entries added", change.added))
    if change.removed:
        counts.append(_n("{n} entry removed", "{n} entries removed", change.removed))
    if change.changed:
        counts.append(_n("{n} entry changed", "{n} entries changed", change.changed))
    if change.other:
        counts.append(_("other details changed"))
    return _("Annex {annex}: {counts}", annex=label, counts=counts)


def summary_groups(summary: Summary) -> list[Group]:
    groups: list[Group] = []
    for kind, title in SECTION_GROUPS.items():
        changes = summary.by_kind(kind)
        if changes:
            groups.append(Group(title, [(section_item(c), c.anchor) for c in changes]))
    for area, title in AREA_GROUPS.items():
        changes = [c for c in summary.entries if c.area == area]
        if changes:
            groups.append(Group(title, [(entry_item(c), c.anchor) for c in changes]))
    if summary.details:
        groups.append(Group(_("Other details of plan.yaml"),
                            [(_("{key} changed", key=key), "") for key in summary.details]))
    if summary.annexes:
        groups.append(Group(_("Annexes"), [(annex_item(c), "") for c in summary.annexes],
                            _("Keeping the annexes up to date needs no new decision by the "
                              "council; they are counted here, not shown.")))
    return groups

