"""What a YAML mistake is, in plain words: the parser's error turned into one sentence
that says what is wrong and how to fix it, at the line where the mistake is.

libyaml reports where it noticed a problem ("while parsing a block mapping …
did not find expected key"), which is often a line after the mistake, and in
terms only a parser writer knows. The mistakes people make when they edit a
plan by hand are few: a line indented a space too far or too short, a colon
or a `#` in unquoted text (`title: Smittevern: pandemi`), no space after `-`
or `:`, a quote or a bracket never closed, a tab, a value that starts with a
character YAML reserves (`@`, `` ` ``, `*`, `&`, `%`, `[`). Each is recognised
from the error and the text around it, and gets its own message; anything
else gets a general one that still points at the line.

Used by `yamlread` only when a file does not parse, so nothing here costs
anything on a valid file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import Message, _

# "key: value" at the start of a line (after any "- "), with a plain key
_KEY = re.compile(r"(?P<key>[^\s#'\"\[\]{},&*!|>%@`-][^#]*?|-[^\s#]+?)\s*:(?:\s|$)")
_DASHES = re.compile(r"(?:-[ \t]+)*")
_RESERVED = "@`%"


@dataclass(frozen=True)
class Explained:
    line: int  # 1-based
    column: int  # 1-based
    message: Message


def general() -> Message:
    return _("this line cannot be read as YAML; check its indentation, quotes and brackets, "
             "and those of the line above")


def explain(text: str, problem: str, context: str | None, mark, context_mark) -> Explained | None:
    """A plain explanation of a libyaml error, or None when it is not one we recognise.

    `mark` and `context_mark` are the parser's marks (0-based line and column)."""
    lines = text.split("\n")
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    at = (mark.line, mark.column) if mark is not None else (0, 0)
    start = (context_mark.line, context_mark.column) if context_mark is not None else None
    reader = _Reader(lines)
    context = context or ""
    for attempt in (_unclosed_quote_first, _by_problem):
        found = attempt(reader, problem, context, at, start)
        if found is not None:
            return found
    return None


class _Reader:
    """The file's lines, with what the explanations need to know about them."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def get(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    @staticmethod
    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    @staticmethod
    def meaningful(line: str) -> bool:
        stripped = line.strip()
        return bool(stripped) and not stripped.startswith("#")

    def previous(self, number: int) -> int | None:
        """The nearest line above `number` that is not blank or a comment."""
        for other in range(number - 1, -1, -1):
            if self.meaningful(self.lines[other]):
                return other
        return None

    @staticmethod
    def body_column(line: str) -> int:
        """Where a line's content starts after its indentation and any "- "."""
        match = _DASHES.match(line, len(line) - len(line.lstrip(" ")))
        return match.end()

    def key_of(self, line: str) -> re.Match | None:
        """The `key:` a line starts with (after its indentation and any "- ")."""
        return _KEY.match(line, self.body_column(line))

    def kind(self, line: str) -> str:
        stripped = line.lstrip(" ")
        if stripped.startswith("- ") or stripped == "-":
            return "entry"
        return "key" if self.key_of(line) else "text"


def _quoted(value: str) -> str:
    """The text as a YAML value in quotes."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _split_comment(value: str) -> tuple[str, str]:
    """(text, comment) of an unquoted value: a comment starts at " #"."""
    match = re.search(r"\s+#", value)
    if match is None:
        return value.rstrip(), ""
    return value[:match.start()].rstrip(), value[match.start():]


def _with_quotes(line: str, value_start: int) -> str:
    """The line with its value (from `value_start`) put in quotes, keeping its comment."""
    value, comment = _split_comment(line[value_start:])
    return (line[:value_start] + _quoted(value) + comment).strip()


def _spaces(count: int) -> Message:
    from .i18n import _n
    return _n("{n} space", "{n} spaces", count)


# -- an unclosed quote: found before anything else, since it confuses every later line --

def _closing(text: str, start: int) -> int | None:
    """The index of the quote that closes the one at `start`, on the same line."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        char = text[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":
                i += 2  # '' is a quote inside single quotes
                continue
            return i
        i += 1
    return None


def _opening_quote(reader: _Reader, line: str) -> int | None:
    """The column of a quote that opens a value on this line and is not closed on it."""
    body = reader.body_column(line)
    key = reader.key_of(line)
    start = body
    if key is not None:
        start = key.end()
        while start < len(line) and line[start] == " ":
            start += 1
    if start < len(line) and line[start] in "\"'" and _closing(line, start) is None:
        return start
    return None


def _unclosed_quote_first(reader, problem, context, at, start) -> Explained | None:
    if "quoted scalar" in context and "unknown escape" in problem:
        return None  # a backslash in double quotes: explained by problem
    if "quoted scalar" in context and start is not None:
        # the scanner reached the end of the file inside the quotes opened here
        return _unclosed_quote(reader, start[0], start[1])
    last = min(at[0], len(reader.lines) - 1)
    for number in range(0, last + 1):
        line = reader.get(number)
        if not reader.meaningful(line):
            continue
        column = _opening_quote(reader, line)
        if column is not None:
            return _unclosed_quote(reader, number, column)
    return None


def _unclosed_quote(reader: _Reader, number: int, column: int) -> Explained:
    quote = reader.get(number)[column]
    return Explained(number + 1, column + 1, _(
        "this text begins with a quote ({quote}) that is never closed; end the text with "
        "{quote} on the same line", quote=quote))


# -- the rest, by what the parser said ------------------------------------------------

def _by_problem(reader: _Reader, problem: str, context: str, at, start) -> Explained | None:
    line_no, column = at
    line = reader.get(line_no)
    char = line[column] if column < len(line) else ""
    if "tab" in problem or char == "\t":
        return Explained(line_no + 1, column + 1, _(
            "this line holds a tab character where YAML needs spaces; replace the tab with "
            "spaces"))
    if "unknown escape" in problem:
        return Explained(line_no + 1, column + 1, _(
            "inside double quotes a backslash (\\) starts a special character, and this one is "
            "not one; put the text in single quotes instead, or write the backslash twice"))
    if "cannot start any token" in problem and char in _RESERVED:
        return _reserved_start(reader, line_no, column, char)
    if "while scanning an alias" in context or "while scanning an anchor" in context:
        begin = start if start is not None else at
        return _reserved_start(reader, begin[0], begin[1], reader.get(begin[0])[begin[1]:][:1])
    if "mapping values are not allowed" in problem:
        return _colon_in_value(reader, line_no, column)
    if "expected '-' indicator" in problem and start is not None:
        return _in_list(reader, line_no, start[1])
    if "did not find expected key" in problem and start is not None:
        return _in_mapping(reader, line_no, column)
    if "could not find expected ':'" in problem and start is not None:
        return _no_colon(reader, start[0])
    if "flow sequence" in context or "flow mapping" in context:
        return _flow(reader, at, start, "[" if "sequence" in context else "{")
    if "block scalar" in context:
        return Explained(line_no + 1, column + 1, _(
            "after '|' or '>' the text begins on the next line, indented; nothing but a "
            "comment may follow them on this line"))
    if "expected <block end>" in problem or "expected <document start>" in problem:
        return _indentation(reader, line_no)
    return None


def _reserved_start(reader: _Reader, number: int, column: int, char: str) -> Explained:
    line = reader.get(number)
    key = reader.key_of(line)
    value_start = key.end() if key is not None else reader.body_column(line)
    while value_start < len(line) and line[value_start] == " ":
        value_start += 1
    return Explained(number + 1, column + 1, _(
        "a text cannot begin with '{char}' in YAML; put the whole text in quotes: {fixed}",
        char=char, fixed=_with_quotes(line, value_start)))


def _colon_in_value(reader: _Reader, number: int, column: int) -> Explained:
    line = reader.get(number)
    key = reader.key_of(line)
    if key is not None and key.end() <= column:
        # `title: Smittevern: pandemi`: a second ": " in the value of the key on this line
        value_start = key.end()
        while value_start < len(line) and line[value_start] == " ":
            value_start += 1
        return Explained(number + 1, column + 1, _(
            "the text after '{key}:' holds a colon followed by a space, which YAML reads as a "
            "new key; put the whole text in quotes: {fixed}", key=key.group("key"),
            fixed=_with_quotes(line, value_start)))
    above = reader.previous(number)
    if above is not None and reader.indent(line) > reader.indent(reader.get(above)):
        upper = reader.get(above)
        upper_key = reader.key_of(upper)
        if _no_space_after_dash(upper):
            return _dash_without_space(reader, above)
        if reader.kind(upper) == "entry" and _followed_alike(reader, number):
            # `- id: a` one space short, its other keys where they belong: the '-' is wrong
            return _entry_out_of_line(reader, above, reader.indent(line))
        if upper_key is not None:
            values = dict(key=upper_key.group("key"), line=above + 1)
            wanted = reader.body_column(upper)
            return Explained(number + 1, reader.indent(line) + 1, _(
                "this line is indented further than '{key}:' on line {line}, so YAML reads it "
                "as part of the text of '{key}'; indent it by {spaces}, like '{key}:'",
                spaces=_spaces(wanted), **values) if wanted else _(
                "this line is indented further than '{key}:' on line {line}, so YAML reads it "
                "as part of the text of '{key}'; start it at the beginning of the line, like "
                "'{key}:'", **values))
    return _indentation(reader, number)


def _no_space_after_dash(line: str) -> bool:
    stripped = line.lstrip(" ")
    return stripped.startswith("-") and len(stripped) > 1 and stripped[1] not in " \t-"


def _dash_without_space(reader: _Reader, number: int) -> Explained:
    line = reader.get(number)
    indent = reader.indent(line)
    return Explained(number + 1, indent + 1, _(
        "a list entry needs a space after '-'; write: {fixed}",
        fixed="- " + line.lstrip(" ")[1:].rstrip()))


def _followed_alike(reader: _Reader, number: int) -> bool:
    """Whether the next line is indented like this one (two lines agree: they are right)."""
    following = next((n for n in range(number + 1, len(reader.lines))
                      if reader.meaningful(reader.get(n))), None)
    return following is not None and \
        reader.indent(reader.get(following)) == reader.indent(reader.get(number))


def _entry_out_of_line(reader: _Reader, number: int, keys_at: int) -> Explained:
    """A "- key:" line whose key does not line up with the keys of the entry below it."""
    line = reader.get(number)
    dash = reader.indent(line)
    wanted = dash + keys_at - reader.body_column(line)
    return Explained(number + 1, dash + 1, _(
        "the '-' of this list entry is indented by {have}, so its first key does not line up "
        "with the keys under it; indent the '-' by {want}", have=_spaces(dash),
        want=_spaces(wanted)))


def _in_list(reader: _Reader, number: int, dash_column: int) -> Explained:
    line = reader.get(number)
    indent = reader.indent(line)
    if _no_space_after_dash(line):
        return _dash_without_space(reader, number)
    entry = next((n for n in range(number - 1, -1, -1)
                  if reader.indent(reader.get(n)) == dash_column
                  and reader.get(n).lstrip(" ").startswith("-")), None)
    inner = reader.body_column(reader.get(entry)) if entry is not None else dash_column + 2
    if indent == dash_column and entry is not None and reader.kind(line) == "key":
        parent = reader.previous(entry)
        parent_key = reader.key_of(reader.get(parent)) if parent is not None else None
        if parent_key is not None and reader.indent(reader.get(parent)) < dash_column:
            # `organization:` / `  - name: x` / `  country: NO`: one '- ' too many
            return Explained(entry + 1, dash_column + 1, _(
                "there is a '- ' here but not before '{key}:' on line {line}: if '{parent}:' "
                "holds keys with values, remove this '- ' and line its keys up; if it is a "
                "list, begin each of its entries with '- '", key=reader.key_of(line)
                .group("key"), line=number + 1, parent=parent_key.group("key")))
    if indent == dash_column:
        return Explained(number + 1, indent + 1, _(
            "this line is indented like the '-' of the list above it, so it is neither a new "
            "entry nor part of the last one; begin it with '- ' for a new entry, or indent it "
            "by {spaces} to belong to the entry above", spaces=_spaces(inner)))
    return _indentation(reader, number)


def _in_mapping(reader: _Reader, number: int, column: int) -> Explained:
    line = reader.get(number)
    if column > reader.indent(line):
        # something after a complete value on the same line
        key = reader.key_of(line)
        value_start = key.end() if key is not None else reader.body_column(line)
        while value_start < len(line) and line[value_start] == " ":
            value_start += 1
        first = line[value_start:value_start + 1]
        if first in "\"'":
            return Explained(number + 1, column + 1, _(
                "there is more text after the closing quote; put the whole text inside the "
                "quotes: {fixed}", fixed=_with_quotes_whole(line, value_start)))
        if first in "[{":
            return Explained(number + 1, value_start + 1, _(
                "a text that begins with '{char}' is read as a list or mapping; put the whole "
                "text in quotes: {fixed}", char=first, fixed=_with_quotes(line, value_start)))
        return Explained(number + 1, column + 1, general())
    return _indentation(reader, number)


def _with_quotes_whole(line: str, value_start: int) -> str:
    """`title: "Plan" 2024` -> `title: "Plan 2024"`."""
    value, comment = _split_comment(line[value_start:])
    quote = value[0]
    inner = value[1:].replace(quote, "", 1) if quote in value[1:] else value[1:]
    return (line[:value_start] + _quoted(inner) + comment).strip()


def _no_colon(reader: _Reader, number: int) -> Explained:
    line = reader.get(number)
    body = reader.body_column(line)
    match = re.match(r"([^\s:#'\"]+):(\S.*)$", line[body:])
    if match is not None:
        return Explained(number + 1, body + len(match.group(1)) + 2, _(
            "a key needs a space after its colon; write: {fixed}",
            fixed=" ".join(p for p in (line[:body].strip(), match.expand(r"\1: \2")) if p)))
    return Explained(number + 1, body + 1, _(
        "this line is neither a key with a value ('key: value') nor a list entry ('- …'); "
        "add the colon after the key, or indent the line if it continues the text above"))


def _flow(reader: _Reader, at, start, opening: str) -> Explained:
    closing = "]" if opening == "[" else "}"
    if start is not None:
        line = reader.get(start[0])
        if closing not in line[start[1]:]:
            return unclosed_bracket(start[0] + 1, start[1] + 1, opening)
    return Explained(at[0] + 1, at[1] + 1, _(
        "in a list or mapping written in brackets, separate the entries with ', ', end it with "
        "'{closing}', and put text that holds a comma, a colon or a bracket in quotes",
        closing=closing))


def unclosed_bracket(line: int, column: int, opening: str) -> Explained:
    closing = "]" if opening == "[" else "}"
    return Explained(line, column, _(
        "this '{opening}' is never closed; end the list with '{closing}' on the same line",
        opening=opening, closing=closing) if opening == "[" else _(
        "this '{opening}' is never closed; end the mapping with '{closing}' on the same line",
        opening=opening, closing=closing))


def _indentation(reader: _Reader, number: int) -> Explained:
    """A line whose indentation matches none of the lines it could belong to."""
    line = reader.get(number)
    indent = reader.indent(line)
    kind = reader.kind(line)
    candidates: list[int] = []  # the lines above this one could line up with
    lowest = None
    for other in range(number - 1, -1, -1):
        text = reader.get(other)
        if not reader.meaningful(text):
            continue
        if lowest is None or reader.indent(text) < lowest:
            candidates.append(other)
            lowest = reader.indent(text)
        if lowest == 0:
            break

    def alignment(other: int) -> int:
        text = reader.get(other)
        if kind == "entry" or reader.kind(text) != "entry":
            return reader.indent(text)
        return reader.body_column(text)  # a key lines up with the keys after "- "

    def score(other: int) -> tuple:
        same = reader.kind(reader.get(other)) == kind or (
            kind == "key" and reader.kind(reader.get(other)) == "entry")
        return (not same, abs(alignment(other) - indent), -other)

    if not candidates:
        return Explained(number + 1, indent + 1, general())
    best = min(candidates, key=score)
    wanted = alignment(best)
    if wanted == indent:
        return Explained(number + 1, indent + 1, general())
    like = _like(reader, best, kind)
    if wanted == 0:
        return Explained(number + 1, indent + 1, _(
            "this line is indented by {have}, which matches none of the lines above it; "
            "start it at the beginning of the line, like {like}", have=_spaces(indent),
            like=like))
    return Explained(number + 1, indent + 1, _(
        "this line is indented by {have}, which matches none of the lines above it; indent it "
        "by {want}, like {like}", have=_spaces(indent), want=_spaces(wanted), like=like))


def _like(reader: _Reader, number: int, kind: str) -> Message:
    """"'title:' on line 4", "the '-' on line 2"."""
    line = reader.get(number)
    key = reader.key_of(line)
    if reader.kind(line) == "entry" and kind == "entry":
        return _("the '-' on line {line}", line=number + 1)
    if key is not None:
        return _("'{key}:' on line {line}", key=key.group("key"), line=number + 1)
    return _("line {line}", line=number + 1)
