"""Findings for code-scanning and test dashboards: SARIF 2.1.0 and JUnit XML.

Whatever the file names hold, SARIF is valid UTF-8 JSON whose locations are
proper URI references (RFC 3986: every byte outside the unreserved set
percent-encoded, the file's own bytes kept), and JUnit is well-formed XML 1.0
(characters XML cannot hold are written as visible escapes).
"""
from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import PurePath
from urllib.parse import quote

from . import __version__
from .check import Report
from .finding_formats import valid_unicode
from .i18n import _n, current
from .rules import RULES, doc_of

_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# what XML 1.0 cannot hold: most C0 controls, surrogates, U+FFFE and U+FFFF
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _uri(path: str) -> str:
    """A file's path as a URI reference: relative as it is shown, `file:` when absolute."""
    posix = PurePath(path).as_posix()
    raw = os.fsencode(posix)  # the file name's own bytes, also those that are not UTF-8
    encoded = quote(raw, safe="/")
    if PurePath(path).is_absolute():
        return "file://" + (encoded if encoded.startswith("/") else "/" + encoded)
    return encoded  # (a ':' is encoded too, so "a:b.yaml" cannot read as a scheme)


def _xml_text(text: str) -> str:
    code = lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 \
        else f"\\u{ord(m.group()):04x}"
    return _NOT_XML.sub(code, valid_unicode(text))


def _clean_json(node):
    if isinstance(node, str):
        return valid_unicode(node)
    if isinstance(node, dict):
        return {k: _clean_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_clean_json(v) for v in node]
    return node


def sarif(report: Report) -> str:
    """One SARIF run with every rule's metadata, so code scanning can explain each finding."""
    ids = list(RULES)
    rules = [{
        "id": rule.ID,
        "name": "".join(part.capitalize() for part in rule.ID.split("-")),
        "shortDescription": {"text": rule.SUMMARY},
        "fullDescription": {"text": doc_of(rule).split("\n\n")[0].replace("\n", " ")},
        "help": {"text": doc_of(rule), "markdown": doc_of(rule)},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.SEVERITY]},
        "properties": {"scope": rule.SCOPE},
    } for rule in RULES.values()]
    results = [{
        "ruleId": f.rule,
        "ruleIndex": ids.index(f.rule),
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(f.path)},
            "region": {"startLine": f.line, "startColumn": f.column},
        }}],
    } for f in report.findings]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "beredskap", "version": __version__,
                                "informationUri": "https://pypi.org/project/beredskap/",
                                "rules": rules}},
            "artifacts": [{"location": {"uri": _uri(p)}} for p in report.checked],
            "results": results,
        }],
    }
    return json.dumps(_clean_json(document), ensure_ascii=False, indent=2) + "\n"


def junit(report: Report, strict: bool = False) -> str:
    """One test case per file checked; its errors (and warnings under --strict) fail it."""
    failing = {"error", "warning"} if strict else {"error"}
    by_file: dict[str, list] = {path: [] for path in report.checked}
    for finding in report.findings:
        by_file.setdefault(finding.path, []).append(finding)
    suite = ET.Element("testsuite", name="beredskap validate", tests=str(len(by_file)))
    failures = 0
    for path, findings in by_file.items():
        case = ET.SubElement(suite, "testcase", classname="beredskap.validate",
                             name=_xml_text(path))
        bad = [f for f in findings if f.severity in failing]
        lines = [_xml_text(f"{f.path}:{f.line}:{f.column}: {f.severity} {f.rule} {f.message}")
                 for f in findings]
        if bad:
            failures += 1
            failure = ET.SubElement(case, "failure", type=bad[0].rule, message=current()(
                _n("{n} problem", "{n} problems", len(bad))))
            failure.text = "\n".join(lines)
        elif lines:
            ET.SubElement(case, "system-out").text = "\n".join(lines)
    suite.set("failures", str(failures))
    suites = ET.Element("testsuites", name="beredskap", tests=str(len(by_file)),
                        failures=str(failures))
    suites.append(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
