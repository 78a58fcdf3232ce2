"""Writing findings for people and for machines (text, json, github; sarif and junit
live in ci_formats).

File names and the values quoted in messages may hold anything: bytes that
are not UTF-8 (a file name from another system), control characters (an
escape sequence in a file name could rewrite the terminal line or fake a
clean result) and bidirectional overrides. Every format writes them as
visible escapes (`\\x1b`, `\\xe9`, `\\u202e`) where they could do harm, and
every format is valid UTF-8.
"""
from __future__ import annotations

import json
import re

from .check import Report
from .findings import Finding
from .i18n import Translator, _, _n, current

FORMATS = ("text", "json", "github", "sarif", "junit")

# C0 and C1 controls, DEL, line and paragraph separators, bidirectional controls
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """Text safe to print on a terminal or in a log: no control character acts."""
    return _UNSAFE.sub(_escaped, text)


def valid_unicode(text: str) -> str:
    """Text that can be written as UTF-8: bytes that were not UTF-8 become escapes."""
    return _SURROGATE.sub(_escaped, text)


def _clean(finding: Finding, clean) -> Finding:
    return Finding(finding.rule, finding.severity, clean(finding.path), finding.line,
                   finding.column, clean(finding.message), finding.excerpt)


_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"
# the severity as a word for people (the machine formats keep error, warning, info)
SEVERITY_WORDS = {"error": _("error"), "warning": _("warning"), "info": _("info")}
# what a terminal must not receive from a file: control characters other than tab
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_EXCERPT_WIDTH = 120


def summary(report: Report, strict: bool = False, tr: Translator | None = None) -> str:
    """The last line: "OK: 2 plans checked, no errors (1 warning)" in the user's language."""
    tr = tr or current()
    checked = []
    if report.plans:
        checked.append(_n("{n} plan", "{n} plans", report.plans))
    if report.files:
        checked.append(_n("{n} file", "{n} files", report.files))
    if len(checked) == 2:
        what = _("{plans} and {files}", plans=checked[0], files=checked[1])
    else:
        what = checked[0] if checked else _("nothing")
    counts = [count for count in (
        _n("{n} error", "{n} errors", report.count("error")),
        _n("{n} warning", "{n} warnings", report.count("warning")),
        _n("{n} info", "{n} info", report.count("info"))) if count.n]
    listed = ", ".join(tr(c) for c in counts)
    if not report.failed(strict):
        if counts:
            return tr(_("OK: {what} checked, no errors ({counts})", what=what, counts=listed))
        return tr(_("OK: {what} checked, no errors", what=what))
    return tr(_("FAILED: {what} checked: {counts}", what=what, counts=listed))


def excerpt(line_number: int, column: int, line: str) -> list[str]:
    """The line a finding is on, and a caret under its column, as compilers show it:

         12 | title: Smittevern: pandemi
            |                  ^
    """
    line = _UNPRINTABLE.sub("\ufffd", line.rstrip("\r\n"))
    column = max(1, min(column, len(line) + 1))
    start = 0
    if len(line) > _EXCERPT_WIDTH:  # a long line: the part around the column
        start = max(0, min(column - 1 - _EXCERPT_WIDTH // 2, len(line) - _EXCERPT_WIDTH))
        line = ("…" if start else "") + line[start:start + _EXCERPT_WIDTH] + \
            ("…" if start + _EXCERPT_WIDTH < len(line) else "")
        column = column - start + (1 if start else 0)
    pad = "".join("\t" if c == "\t" else " " for c in line[:column - 1])
    number = str(line_number)
    return [f" {number} | {line}".rstrip(), f" {' ' * len(number)} | {pad}^"]


def text(report: Report, colour: bool = False, strict: bool = False,
         tr: Translator | None = None) -> str:
    tr = tr or current()
    words = {key: tr(word) for key, word in SEVERITY_WORDS.items()}
    lines = []
    for f in report.findings:
        f = _clean(f, shown)
        severity = words[f.severity]
        if colour:
            severity = f"{_COLOURS[f.severity]}{severity}{_RESET}"
        location = f"{_BOLD}{f.path}:{f.line}:{f.column}{_RESET}" if colour \
            else f"{f.path}:{f.line}:{f.column}"
        lines.append(f"{location}: {severity} {f.rule} {f.message}")
        if f.excerpt.strip():
            lines.extend(excerpt(f.line, f.column, f.excerpt))
    line = summary(report, strict, tr)
    if colour:
        line = f"{_BOLD}{line}{_RESET}"
    lines.append(line)
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    return json.dumps([_clean(f, valid_unicode).as_dict() for f in report.findings],
                      ensure_ascii=False, indent=2) + "\n"


def _escape(value: str, property_: bool = False) -> str:
    # GitHub workflow commands: % CR LF always, and : , inside properties
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def _annotation(f: Finding) -> str:
    level = {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
    props = f"file={_escape(f.path, True)},line={f.line},col={f.column},title={_escape(f.rule, True)}"
    return f"::{level} {props}::{_escape(f.message)}"


def github(report: Report, strict: bool = False) -> str:
    return "".join(_annotation(_clean(f, shown)) + "\n" for f in report.findings) \
        + summary(report, strict) + "\n"
