"""Word-by-word differences between two pieces of pandoc's document tree (the JSON AST).

Blocks are aligned first (paragraphs, list items, headings), then the words of
each pair of similar blocks are compared with `difflib`. What is new is put in
a Span of class `insertion`, what is gone in a Span of class `deletion`, both
with `author` and `date`: pandoc's DOCX writer turns these into Word's tracked
changes (`w:ins` / `w:del`), and `marks.py` turns them into visible marks for
the other formats.

A word is compared together with its formatting and link target, so a word
that became bold, or a link that points elsewhere, is shown as replaced.
Between two changes, a run of only spaces is taken into the change, so that
"big red" -> "small blue" reads as one replacement, not two.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass

INSERTION, DELETION = "insertion", "deletion"

_WRAPPERS = ("Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps")
# a word: letters and digits, with inner . - / : @ ' (2.1, e-mail, 24/1187, kl. 8:00);
# anything else is a token of its own
_WORD = re.compile(r"\w(?:[\w.\-/:@'’]*\w)?|[^\w\s]", re.UNICODE)
SIMILAR = 0.4  # two blocks with at least this share of words in common are compared word by word


@dataclass(frozen=True)
class Mark:
    """Who and when, on every insertion and deletion."""

    author: str
    date: str  # ISO 8601, e.g. 2026-10-28T00:00:00Z

    def span(self, kind: str, inlines: list) -> dict:
        return {"t": "Span", "c": [["", [kind], [["author", self.author], ["date", self.date]]],
                                   inlines]}


# -- tokens ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Token:
    key: str  # what is compared
    leaf: dict  # the inline it rebuilds to (a Str, Space, LineBreak, Code, Note …)
    chain: tuple  # the wrappers around it, outermost first: ((type, extra-json), …)


_SPACE = {"t": "Space"}


def tokens(inlines: list, chain: tuple = ()) -> list[Token]:
    out: list[Token] = []
    ckey = json.dumps(chain, ensure_ascii=False) if chain else ""
    for item in inlines:
        t, c = item.get("t"), item.get("c")
        if t == "Str":
            for word in _WORD.findall(c):
                out.append(Token(ckey + "|" + word, {"t": "Str", "c": word}, chain))
        elif t in ("Space", "SoftBreak"):
            out.append(Token(ckey + "| ", _SPACE, chain))
        elif t in _WRAPPERS:
            out.extend(tokens(c, chain + ((t, ""),)))
        elif t == "Quoted":
            out.extend(tokens(c[1], chain + ((t, json.dumps(c[0])),)))
        elif t == "Link":
            extra = json.dumps([c[0], c[2]], ensure_ascii=False)
            out.extend(tokens(c[1], chain + ((t, extra),)))
        elif t == "Span":
            out.extend(tokens(c[1], chain + ((t, json.dumps(c[0], ensure_ascii=False)),)))
        else:  # LineBreak, Code, Note, Math …: one token each
            out.append(Token(ckey + "|" + json.dumps(item, ensure_ascii=False, sort_keys=True),
                             item, chain))
    return out


def _wrap(kind: str, extra: str, inner: list) -> dict:
    if kind in _WRAPPERS:
        return {"t": kind, "c": inner}
    if kind == "Quoted":
        return {"t": kind, "c": [json.loads(extra), inner]}
    if kind == "Link":
        attr, target = json.loads(extra)
        return {"t": kind, "c": [attr, inner, target]}
    return {"t": "Span", "c": [json.loads(extra), inner]}


def rebuild(items: list[Token], depth: int = 0) -> list:
    """Inlines from tokens: wrappers put back around consecutive tokens, words joined."""
    out: list = []
    i = 0
    while i < len(items):
        token = items[i]
        if len(token.chain) > depth:
            wrapper = token.chain[depth]
            j = i
            while j < len(items) and len(items[j].chain) > depth \
                    and items[j].chain[depth] == wrapper:
                j += 1
            out.append(_wrap(wrapper[0], wrapper[1], rebuild(items[i:j], depth + 1)))
            i = j
            continue
        leaf = token.leaf
        if leaf.get("t") == "Str" and out and out[-1].get("t") == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + leaf["c"]}
        else:
            out.append(dict(leaf))
        i += 1
    return out


# -- inlines ---------------------------------------------------------------------------------

def _is_space(token: Token) -> bool:
    return token.leaf is _SPACE or token.leaf.get("t") in ("Space", "SoftBreak")


def diff_inlines(old: list, new: list, mark: Mark) -> list:
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b],
                                      autojunk=False)
    # segments: ("=", tokens) or ("~", old tokens, new tokens)
    segments: list[tuple] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("=", b[j1:j2]))
        else:
            segments.append(("~", a[i1:i2], b[j1:j2]))
    segments = _words_first(_absorb_spaces(segments))
    out: list = []
    for segment in segments:
        if segment[0] == "=":
            out.extend(rebuild(segment[1]))
            continue
        _, gone, added = segment
        if gone:
            out.append(mark.span(DELETION, rebuild(gone)))
        if added:
            out.append(mark.span(INSERTION, rebuild(added)))
    return out


def _words_first(segments: list[tuple]) -> list[tuple]:
    """An insertion or deletion that starts with a space, followed by that same space,
    is shifted by one: "et[ hurtigt og] fælles" reads "et [hurtigt og ]fælles"."""
    pending = list(segments)
    out: list[tuple] = []
    for i, segment in enumerate(pending):
        after = pending[i + 1] if i + 1 < len(pending) else None
        one_sided = segment[0] == "~" and not (segment[1] and segment[2])
        moved = (segment[1] or segment[2]) if one_sided else []
        if not (moved and after is not None and after[0] == "=" and after[1]
                and _is_space(moved[0]) and moved[0].key == after[1][0].key):
            out.append(segment)
            continue
        if out and out[-1][0] == "=":
            out[-1] = ("=", out[-1][1] + [moved[0]])
        else:
            out.append(("=", [moved[0]]))
        shifted = moved[1:] + [after[1][0]]
        out.append(("~", shifted, []) if segment[1] else ("~", [], shifted))
        pending[i + 1] = ("=", after[1][1:])
    return [s for s in out if s[0] == "~" or s[1]]


def _absorb_spaces(segments: list[tuple]) -> list[tuple]:
    """A change, only spaces, a change -> one change."""
    out: list[tuple] = []
    for segment in segments:
        if segment[0] == "~" and len(out) >= 2 and out[-1][0] == "=" and out[-2][0] == "~" \
                and all(_is_space(t) for t in out[-1][1]):
            spaces = out.pop()[1]
            _, gone, added = out.pop()
            segment = ("~", gone + spaces + segment[1], added + spaces + segment[2])
        out.append(segment)
    return out


# -- blocks ----------------------------------------------------------------------------------

def text_of(node) -> str:
    """The words of any part of the tree, for deciding which blocks belong together."""
    words: list[str] = []

    def go(n):
        if isinstance(n, dict):
            if n.get("t") == "Str":
                words.append(n["c"])
            elif n.get("t") == "Code":
                words.append(n["c"][1])
            elif n.get("t") == "CodeBlock":
                words.append(n["c"][1])
            else:
                go(n.get("c"))
        elif isinstance(n, list):
            for x in n:
                go(x)

    go(node)
    return " ".join(words)


def similarity(a, b) -> float:
    wa, wb = _WORD.findall(text_of(a)), _WORD.findall(text_of(b))
    if not wa and not wb:
        return 1.0
    return difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def _key(block) -> str:
    return json.dumps(block, ensure_ascii=False, sort_keys=True)


_TEXT_BLOCKS = ("Para", "Plain")


def _pairable(a: dict, b: dict) -> bool:
    ta, tb = a.get("t"), b.get("t")
    if ta in _TEXT_BLOCKS and tb in _TEXT_BLOCKS:
        return similarity(a, b) >= SIMILAR
    if ta != tb:
        return False
    if ta == "Header":
        return a["c"][0] == b["c"][0]
    if ta in ("BulletList", "OrderedList", "BlockQuote", "Div"):
        return similarity(a, b) >= SIMILAR / 2
    return False


def diff_blocks(old: list, new: list, mark: Mark) -> list:
    """The blocks of the new version, with what changed since the old one marked."""
    matcher = difflib.SequenceMatcher(None, [_key(b) for b in old], [_key(b) for b in new],
                                      autojunk=False)
    out: list = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(new[j1:j2])
        else:
            out.extend(_align(old[i1:i2], new[j1:j2], mark, _pairable, _diff_pair,
                              lambda blocks, kind: mark_blocks(blocks, kind, mark)))
    return out


def _align(old: list, new: list, mark: Mark, pairable, pair, whole) -> list:
    """Pair what belongs together in a replaced stretch; the rest is deleted or inserted."""
    out: list = []
    i = j = 0
    while i < len(old) and j < len(new):
        if pairable(old[i], new[j]):
            out.extend(pair(old[i], new[j], mark))
            i += 1
            j += 1
        elif any(pairable(old[i], later) for later in new[j + 1:]):
            out.extend(whole([new[j]], INSERTION))
            j += 1
        else:
            out.extend(whole([old[i]], DELETION))
            i += 1
    out.extend(whole(old[i:], DELETION))
    out.extend(whole(new[j:], INSERTION))
    return out


def _diff_pair(a: dict, b: dict, mark: Mark) -> list:
    t = b.get("t")
    if t in _TEXT_BLOCKS:
        return [{"t": t, "c": diff_inlines(a["c"], b["c"], mark)}]
    if t == "Header":
        return [{"t": t, "c": [b["c"][0], b["c"][1], diff_inlines(a["c"][2], b["c"][2], mark)]}]
    if t == "BulletList":
        return [{"t": t, "c": diff_items(a["c"], b["c"], mark)}]
    if t == "OrderedList":
        return [{"t": t, "c": [b["c"][0], diff_items(a["c"][1], b["c"][1], mark)]}]
    if t == "BlockQuote":
        return [{"t": t, "c": diff_blocks(a["c"], b["c"], mark)}]
    if t == "Div":
        return [{"t": t, "c": [b["c"][0], diff_blocks(a["c"][1], b["c"][1], mark)]}]
    return mark_blocks([a], DELETION, mark) + mark_blocks([b], INSERTION, mark)


def diff_items(old: list[list], new: list[list], mark: Mark) -> list[list]:
    """List items (each a list of blocks), aligned like blocks."""
    matcher = difflib.SequenceMatcher(None, [_key(i) for i in old], [_key(i) for i in new],
                                      autojunk=False)
    out: list[list] = []

    def pairable(a, b) -> bool:
        return similarity(a, b) >= SIMILAR

    def whole(items, kind):
        return [mark_blocks(item, kind, mark) for item in items]

    def pair(a, b, _mark):
        return [diff_blocks(a, b, mark)]

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(new[j1:j2])
        elif op == "replace" and i2 - i1 == j2 - j1:
            # as many items as before: the n-th replaces the n-th (a holder replaced)
            out.extend(diff_blocks(x, y, mark) for x, y in zip(old[i1:i2], new[j1:j2]))
        else:
            out.extend(_align(old[i1:i2], new[j1:j2], mark, pairable, pair, whole))
    return out


def mark_blocks(blocks: list, kind: str, mark: Mark) -> list:
    """Whole blocks inserted or deleted: every run of text in them marked."""
    return [b for block in blocks for b in _mark_block(block, kind, mark)]


def _span(inlines: list, kind: str, mark: Mark) -> list:
    return [mark.span(kind, inlines)] if inlines else []


def _mark_block(block: dict, kind: str, mark: Mark) -> list:
    t, c = block.get("t"), block.get("c")
    if t in _TEXT_BLOCKS:
        return [{"t": t, "c": _span(c, kind, mark)}]
    if t == "Header":
        return [{"t": t, "c": [c[0], c[1], _span(c[2], kind, mark)]}]
    if t == "LineBlock":
        return [{"t": t, "c": [_span(line, kind, mark) for line in c]}]
    if t == "CodeBlock":  # code cannot hold marks: its lines as code in a paragraph
        lines: list = []
        for i, line in enumerate(c[1].split("\n")):
            if i:
                lines.append({"t": "LineBreak"})
            lines.append({"t": "Code", "c": [["", [], []], line]})
        return [{"t": "Para", "c": _span(lines, kind, mark)}]
    if t == "BlockQuote":
        return [{"t": t, "c": mark_blocks(c, kind, mark)}]
    if t == "BulletList":
        return [{"t": t, "c": [mark_blocks(item, kind, mark) for item in c]}]
    if t == "OrderedList":
        return [{"t": t, "c": [c[0], [mark_blocks(item, kind, mark) for item in c[1]]]}]
    if t == "DefinitionList":
        return [{"t": t, "c": [[_span(term, kind, mark), [mark_blocks(d, kind, mark)
                                                          for d in defs]]
                               for term, defs in c]}]
    if t == "Div":
        return [{"t": t, "c": [c[0], mark_blocks(c[1], kind, mark)]}]
    if t == "Table":
        a, caption, colspecs, head, bodies, foot = c

        def rows(rs):
            return [[r[0], [[cell[0], cell[1], cell[2], cell[3], mark_blocks(cell[4], kind, mark)]
                            for cell in r[1]]] for r in rs]

        return [{"t": t, "c": [a, caption, colspecs, [head[0], rows(head[1])],
                               [[x[0], x[1], rows(x[2]), rows(x[3])] for x in bodies],
                               [foot[0], rows(foot[1])]]}]
    if t == "Figure":
        return [{"t": t, "c": [c[0], c[1], mark_blocks(c[2], kind, mark)]}]
    if t == "HorizontalRule":
        return [block] if kind == INSERTION else []
    return [block]
