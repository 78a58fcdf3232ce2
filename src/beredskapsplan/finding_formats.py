"""Writing findings for people and for machines (text, json, github; sarif and junit
live in ci_formats)."""
from __future__ import annotations

import json

from .check import Report
from .findings import Finding

FORMATS = ("text", "json", "github", "sarif", "junit")

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(report: Report, strict: bool = False) -> str:
    checked = []
    if report.plans:
        checked.append(_plural(report.plans, "plan"))
    if report.files:
        checked.append(_plural(report.files, "file"))
    what = " and ".join(checked) or "nothing"
    counts = [_plural(report.count(s), s) for s in ("error", "warning") if report.count(s)]
    if report.count("info"):
        counts.append(f"{report.count('info')} info")
    if not report.failed(strict):
        tail = f" ({', '.join(counts)})" if counts else ""
        return f"OK: {what} checked, no errors{tail}"
    return f"FAILED: {what} checked: {', '.join(counts)}"


def text(report: Report, colour: bool = False, strict: bool = False) -> str:
    lines = []
    for f in report.findings:
        severity = f.severity
        if colour:
            severity = f"{_COLOURS[f.severity]}{severity}{_RESET}"
        location = f"{_BOLD}{f.path}:{f.line}:{f.column}{_RESET}" if colour \
            else f"{f.path}:{f.line}:{f.column}"
        lines.append(f"{location}: {severity} {f.rule} {f.message}")
    line = summary(report, strict)
    if colour:
        line = f"{_BOLD}{line}{_RESET}"
    lines.append(line)
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    return json.dumps([f.as_dict() for f in report.findings], ensure_ascii=False, indent=2) + "\n"


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
    return "".join(_annotation(f) + "\n" for f in report.findings) + summary(report, strict) + "\n"
