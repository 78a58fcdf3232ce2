"""Every rule speaks Norwegian (bokmål, nynorsk) and Danish, in every output format.

The fixtures of `test_rules.py` (one defect each) are checked again with
`--lang nb`, `nn` and `da`: the finding is the same (rule, file, line,
column, severity), and its message is written in that language — not the
English one, and without English words. Text output writes the severity for
people in the language; the machine formats keep rule ids, severities and
keys as they are and carry the translated message.
"""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import TODAY, run
from test_rules import FILE_CASES, PLAN_CASES, RULES, plan_copy, where

LANGUAGES = ("nb", "nn", "da")
# words of an English sentence that no Norwegian or Danish message holds
ENGLISH = re.compile(r"\b(the|is|has|not|and|must|with|which|should|does|already|write|"
                     r"remove|add|check|before|after|never|here)\b")


def _findings(folder: Path, lang: str, target: str = ".") -> list[dict]:
    result = run("--lang", lang, "validate", target, "--format", "json", "--today", TODAY,
                 cwd=folder)
    return result.findings


def _english_free(message: str) -> bool:
    # values quoted in a message (ids, keys, titles, fixes) are the user's own words
    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "", message)
    return not ENGLISH.search(unquoted)


def _assert_translated(english: list[dict], found: list[dict], rule: str, lang: str) -> None:
    wanted = [f for f in english if f["rule"] == rule]
    got = [f for f in found if f["rule"] == rule]
    assert [where(f) for f in got] == [where(f) for f in wanted]  # the same findings
    for mine, theirs in zip(got, wanted):
        assert mine["message"] != theirs["message"], (lang, mine["message"])
        assert _english_free(mine["message"]), (lang, mine["message"])


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fixture, rule", [(c[0], c[1]) for c in PLAN_CASES],
                         ids=[c[0] for c in PLAN_CASES])
def test_every_rule_in_a_plan_speaks_the_language(fixture, rule, lang, repo):
    folder = plan_copy(fixture, repo)
    _assert_translated(_findings(folder, "en"), _findings(folder, lang), rule, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("fixture, rule", [(c[0], c[1]) for c in FILE_CASES],
                         ids=[c[0] for c in FILE_CASES])
def test_every_rule_on_a_single_file_speaks_the_language(fixture, rule, lang, repo):
    shutil.copy(RULES / fixture, repo)
    name = Path(fixture).name
    _assert_translated(_findings(repo, "en", name), _findings(repo, lang, name), rule, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_stale_contact_speaks_the_language_with_the_interval_in_words(lang, repo):
    folder = plan_copy("stale-contact", repo)
    found = _findings(folder, lang)
    _assert_translated(_findings(folder, "en"), found, "stale-contact", lang)
    message = next(f["message"] for f in found if f["rule"] == "stale-contact")
    # the interval and the date in words, never the ISO codes
    assert "P6M" not in message and "2025-11-01" not in message
    assert {"nb": "6 måneder", "nn": "6 månadar", "da": "6 måneder"}[lang] in message
    assert "1. november 2025" in message


def test_the_rule_table_reaches_every_rule():
    from test_rules import ALL_RULES
    covered = {c[1] for c in PLAN_CASES} | {c[1] for c in FILE_CASES} | {"stale-contact"}
    assert covered == set(ALL_RULES)


# -- the output formats -----------------------------------------------------------------

@pytest.fixture
def broken(repo) -> Path:
    """A plan with one error (a role without deputy) and one warning (a placeholder)."""
    folder = plan_copy("role-without-deputy", repo)
    plan = folder / "plan.yaml"
    text = plan.read_text("utf-8")
    text = text.replace("body: Planen beskriver hvordan Fjordvik kommune håndterer kriser.",
                        "body: «FYLL INN» Skriv hvorfor planen finnes.", 1)
    plan.write_text(text, "utf-8")
    return folder


ROLE = {"nb": "rollen 'kommunikasjonsleder' har én innehaver og ingen stedfortreder",
        "nn": "rolla 'kommunikasjonsleder' har éin innehavar og ingen stedfortredar",
        "da": "rollen 'kommunikasjonsleder' har én indehaver og ingen stedfortræder"}
SEVERITY = {"nb": ("feil", "advarsel", "merknad"), "nn": ("feil", "åtvaring", "merknad"),
            "da": ("fejl", "advarsel", "bemærkning")}


def _validate(folder: Path, lang: str, fmt: str):
    return run("--lang", lang, "validate", ".", "--format", fmt, "--today", TODAY, cwd=folder)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_output_writes_the_severity_in_the_language(broken, lang):
    result = _validate(broken, lang, "text")
    assert result.exit_code == 1
    error, warning, _info = SEVERITY[lang]
    lines = result.stdout.splitlines()
    assert f"plan.yaml:51:5: {error} role-without-deputy {ROLE[lang]}" in \
        "\n".join(lines)  # the rule id stays as it is
    assert any(line.startswith("plan.yaml:66:11: " + warning + " placeholder ") for line in lines)
    assert not any(re.search(r": (error|warning|info) [a-z-]+ ", line) for line in lines)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_json_keeps_keys_and_severities_and_carries_the_message(broken, lang):
    found = json.loads(_validate(broken, lang, "json").stdout)
    role = next(f for f in found if f["rule"] == "role-without-deputy")
    assert set(role) == {"rule", "severity", "path", "line", "column", "message"}
    assert role["severity"] == "error" and role["message"].startswith(ROLE[lang])
    assert {f["severity"] for f in found} <= {"error", "warning", "info"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_github_annotations_carry_the_message(broken, lang):
    result = _validate(broken, lang, "github")
    line = next(l for l in result.stdout.splitlines() if "role-without-deputy" in l)
    assert line.startswith("::error file=plan.yaml,line=51,col=5,title=role-without-deputy::")
    assert ROLE[lang] in line


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sarif_keeps_rule_ids_and_carries_the_message(broken, lang):
    document = json.loads(_validate(broken, lang, "sarif").stdout)
    results = document["runs"][0]["results"]
    role = next(r for r in results if r["ruleId"] == "role-without-deputy")
    assert role["level"] == "error" and role["message"]["text"].startswith(ROLE[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_junit_carries_the_message(broken, lang):
    root = ET.fromstring(_validate(broken, lang, "junit").stdout)
    failure = next(f for f in root.iter("failure") if f.get("type") == "role-without-deputy")
    assert ROLE[lang] in failure.text


def test_exit_codes_do_not_depend_on_the_language(broken):
    codes = {lang: _validate(broken, lang, "text").exit_code for lang in (*LANGUAGES, "en")}
    assert set(codes.values()) == {1}
