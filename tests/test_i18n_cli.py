"""The command line in the user's language: `rules`, the schemas editors read, `--help`
and the toolkit's own words, the messages of `render` and the usage errors."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from beredskapsplan import i18n, scaffold
from beredskapsplan.i18n import doc_paragraphs, translator
from beredskapsplan.rules import RULES, doc_of
from conftest import FIXTURES, REPO, TODAY, run

LANGS = ("nb", "nn", "da")
SCHEMAS = REPO / "schemas"
TEXT_KEYS = ("title", "description", "patternErrorMessage", "errorMessage")


# -- beredskap rules ---------------------------------------------------------------------

@pytest.mark.parametrize("lang, line", [
    ("nb", ("role-without-deputy", "feil",
            "en rolle med færre enn to innehavere (ingen stedfortreder)")),
    ("nn", ("stale-contact", "åtvaring",
            "ein person, ressurs eller samarbeidspartnar som ikkje er stadfesta innan "
            "contacts_verify_every")),
    ("da", ("approval-status", "bemærkning",
            "planen er ændret siden seneste godkendelse, eller godkendelsen mangler "
            "kontrolsum")),
])
def test_the_rule_list_is_in_the_chosen_language(lang, line):
    result = run("--lang", lang, "rules")
    assert result.exit_code == 0
    rows = [row.split(None, 2) for row in result.stdout.splitlines()]
    assert [row[0] for row in rows] == list(RULES)  # the ids never change
    assert list(line) in rows
    for rule in RULES.values():  # no English summary left
        assert rule.SUMMARY not in result.stdout, rule.ID


def test_the_rule_list_in_english_is_unchanged():
    rows = [row.split(None, 2) for row in run("rules").stdout.splitlines()]
    assert ["schema", "error", RULES["schema"].SUMMARY] in rows


@pytest.mark.parametrize("lang, first, sentence", [
    ("nb", "schema (feil, sjekker hver fil)",
     "Nøkler som begynner med `x-`, er dine: de beholdes og ses bort fra."),
    ("nn", "role-without-deputy (feil, sjekkar heile planen)",
     "Slik rettar du det: legg til ein stedfortredar i `holders`."),
    ("da", "invalid-phone (fejl, kontrollerer hver fil)",
     "# rapporteres: et ciffer for lidt"),
])
def test_a_rule_is_explained_in_the_chosen_language(lang, first, sentence):
    result = run("--lang", lang, "rules", first.split()[0])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == first
    assert sentence in result.stdout


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_sentence_is_left_in_any_rule_explanation(lang):
    for rule_id, rule in RULES.items():
        text = run("--lang", lang, "rules", rule_id).stdout
        for paragraph, example in doc_paragraphs(doc_of(rule)):
            if example and "#" not in paragraph:
                assert paragraph in text  # plain YAML is the same in every language
            else:
                assert paragraph not in text, (rule_id, paragraph[:60])
        # an example keeps its YAML; only the comments change
        for paragraph, example in doc_paragraphs(doc_of(rule)):
            if example:
                for line in paragraph.splitlines():
                    assert line.split("#")[0].rstrip() in text


def test_an_unknown_rule_is_a_usage_error_in_the_chosen_language():
    result = run("--lang", "nb", "rules", "no-such-rule")
    assert result.exit_code == 2
    assert "beredskap: ingen regel som heter 'no-such-rule' (se `beredskap rules`)" \
        in result.stderr


# -- schemas for editors -----------------------------------------------------------------

def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def _without_texts(node):
    """The schema with every text a person reads blanked: the format itself."""
    if isinstance(node, dict):
        return {key: ("" if key in TEXT_KEYS and isinstance(value, str) else _without_texts(value))
                for key, value in node.items()}
    if isinstance(node, list):
        return [_without_texts(item) for item in node]
    return node


def _texts(node) -> list[str]:
    return [value for n in _nodes(node) for key, value in n.items()
            if key in TEXT_KEYS and isinstance(value, str)]


def test_every_pattern_and_format_carries_a_readable_message():
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        for node in _nodes(json.loads(path.read_text("utf-8"))):
            if "pattern" in node or "format" in node:
                message = node.get("patternErrorMessage")
                assert isinstance(message, str) and message.endswith("."), (path.name, node)
                assert "^" not in message and "\\" not in message  # words, not the regex


# texts that are the same in every language: names
SAME_EVERYWHERE = {"beredskap plan (plan.yaml)"}


@pytest.mark.parametrize("lang", LANGS)
def test_an_exported_schema_is_the_same_format_in_other_words(lang):
    for kind in scaffold.SCHEMA_KINDS:
        source = json.loads(scaffold.schema_text(kind))
        exported = json.loads(scaffold.schema_text(kind, lang))
        assert _without_texts(exported) == _without_texts(source)
        english, translated = _texts(source), _texts(exported)
        assert len(english) == len(translated)
        unchanged = {e for e, t in zip(english, translated) if e == t} - SAME_EVERYWHERE
        assert not unchanged, (kind, sorted(unchanged)[:3])


@pytest.mark.parametrize("lang, description, duration_message", [
    ("nb", "Kommunens beredskapsplan (beredskapsplan / beredskabsplan)",
     "Skriv varigheten i ISO 8601, f.eks. P1Y (ett år)"),
    ("nn", "Beredskapsplanen til kommunen (beredskapsplan / beredskabsplan)",
     "Skriv varigheita i ISO 8601, t.d. P1Y (eitt år)"),
    ("da", "Kommunens beredskabsplan (beredskapsplan / beredskabsplan)",
     "Skriv varigheden i ISO 8601, f.eks. P1Y (ét år)"),
])
def test_schema_prints_descriptions_and_messages_in_the_chosen_language(
        lang, description, duration_message):
    result = run("--lang", lang, "schema", "plan")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["description"].startswith(description)
    common = json.loads(run("--lang", lang, "schema", "common").stdout)
    assert common["$defs"]["duration"]["patternErrorMessage"].startswith(duration_message)


def _registry(folder: Path) -> tuple[Registry, dict]:
    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in folder.glob("*.schema.json")}
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values())
    return registry, schemas


@pytest.mark.parametrize("lang, message", [
    ("nb", "Skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2025-10-08."),
    ("nn", "Skriv datoen som ÅÅÅÅ-MM-DD, t.d. 2025-10-08."),
    ("da", "Skriv datoen som ÅÅÅÅ-MM-DD, f.eks. 2025-10-08."),
])
def test_schemas_written_for_editors_are_valid_and_explain_a_mismatch(tmp_path, lang, message):
    out = tmp_path / "schemas"
    result = run("--lang", lang, "schema", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    registry, schemas = _registry(out)
    assert len(schemas) == len(scaffold.SCHEMA_KINDS)
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schemas["contacts.schema.json"], registry=registry)
    person = {"id": "anna-jensen", "name": "Anna Jensen", "phones": [{"number": "55 55 55 55"}],
              "verified": "2025-09-01"}
    good = {"beredskap": 1, "kind": "contacts", "people": [person]}
    assert list(validator.iter_errors(good)) == []
    bad = {**good, "people": [{**person, "verified": "1.9.2025"}]}
    errors = list(validator.iter_errors(bad))
    assert [e.validator for e in errors] == ["pattern"]
    # what VS Code's YAML extension shows for it
    assert errors[0].schema["patternErrorMessage"] == message


def test_the_tool_reads_its_schemas_with_the_editor_messages_in_them(repo):
    plan = Path(shutil.copytree(FIXTURES / "render" / "bakkeby", repo / "bakkeby"))
    text = (plan / "plan.yaml").read_text("utf-8")
    first_date = next(line for line in text.splitlines() if "date: 20" in line)
    (plan / "plan.yaml").write_text(
        text.replace(first_date, first_date.replace("date: 20", "date: 1.1.20", 1), 1), "utf-8")
    result = run("validate", str(plan), "--format", "json", "--today", TODAY)
    schema_findings = [f for f in result.findings if f["rule"] == "schema"]
    assert len(schema_findings) == 1 and "YYYY-MM-DD" in schema_findings[0]["message"]


def test_init_copies_the_schemas_in_the_plan_language(repo):
    result = run("init", "plans/vallo", "--country", "dk", "--name", "Vallø Kommune",
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    plan = json.loads((repo / "schemas" / "plan.schema.json").read_text("utf-8"))
    assert plan["description"].startswith("Kommunens beredskabsplan")


# -- render --------------------------------------------------------------------------------

def test_render_reports_in_the_chosen_language(tmp_path):
    (tmp_path / ".git").mkdir()
    plan = Path(shutil.copytree(FIXTURES / "render" / "bakkeby", tmp_path / "bakkeby"))
    out = tmp_path / "out"
    result = run("--lang", "nb", "render", str(plan), "--to", "md", "--out", str(out),
                 "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"skrev {out / 'bakkeby.md'}"
    assert lines[-1].startswith("Intern versjon, ")
    text = (plan / "plan.yaml").read_text("utf-8")
    (plan / "plan.yaml").write_text(
        text.replace("holders: [lise-krog, ole-dam]", "holders: [lise-krog]"), "utf-8")
    result = run("--lang", "da", "render", str(plan), "--to", "md", "--out", str(out),
                 "--today", TODAY)
    assert result.exit_code == 1
    assert (f"beredskap: ikke dannet: planen har 1 valideringsfejl; ret den (se `beredskap "
            f"validate {plan}`), eller dan et mærket udkast med --draft") in result.stderr


# -- what the command line says before and around a command ---------------------------------

def test_a_missing_plans_folder_is_explained_in_the_chosen_language(tmp_path):
    (tmp_path / ".git").mkdir()
    result = run("--lang", "nn", "validate", cwd=tmp_path)
    assert result.exit_code == 2
    assert "ingen sti oppgitt og inga plans/-mappe her" in result.stderr


def test_the_last_guard_speaks_the_chosen_language(monkeypatch, capsys):
    from beredskapsplan import cli

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "app", broken)
    i18n.set_language("da")
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("beredskap: intern fejl (RuntimeError: boom). Dette er en fejl i "
                          "beredskap, ikke i din plan")


# the installed command, so usage lines name `beredskap` as a user sees it
COMMAND = shutil.which("beredskap", path=str(Path(sys.executable).parent)) or "beredskap"


def beredskap(*args: str, **env: str) -> subprocess.CompletedProcess:
    """The command in a process of its own: help texts are chosen when it starts."""
    environ = {k: v for k, v in os.environ.items()
               if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "BEREDSKAP_LANG")}
    return subprocess.run([COMMAND, *args], cwd=REPO, env={**environ, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("env, expected", [
    ({"LANG": "nb_NO.UTF-8"}, ["Bruk: beredskap [VALG] KOMMANDO [ARGUMENTER]...",
                               "Kommunale beredskapsplaner som validert YAML",
                               "Valg:", "Kommandoer:", "Vis denne hjelpeteksten og avslutt.",
                               "Vis kontrollreglene, eller forklar én av dem."]),
    ({"LANG": "nn_NO.UTF-8"}, ["Bruk: beredskap [VAL] KOMMANDO [ARGUMENT]...", "Val:",
                               "Kommandoar:", "Installer tab-fullføring for skalet"]),
    ({"LANG": "da_DK.UTF-8"}, ["Brug: beredskap [TILVALG] KOMMANDO [ARGUMENTER]...",
                               "Tilvalg:", "Kommandoer:", "Vis denne hjælpetekst, og afslut.",
                               "dokumenter til kommunalbestyrelsen"]),
    ({"BEREDSKAP_LANG": "da", "LANG": "nb_NO.UTF-8"}, ["Brug: beredskap", "Tilvalg:"]),
    ({"LANG": "C"}, ["Usage: beredskap [OPTIONS] COMMAND [ARGS]...", "Options:", "Commands:",
                     "Show this message and exit."]),
])
def test_help_is_in_the_language_of_the_locale(env, expected):
    proc = beredskap("--help", **env)
    assert proc.returncode == 0, proc.stderr
    for text in expected:
        assert text in proc.stdout, text


@pytest.mark.parametrize("lang, expected", [
    ("nb", ["Bruk: beredskap validate [VALG] [paths]...", "Argumenter:",
            "Sjekk planer: format, henvisninger, stedfortredere",
            "Bare disse reglene (liste med komma).", "[standard: text]"]),
    ("nn", ["Argument:", "Sjekk planar: format, tilvisingar, stedfortredarar",
            "Berre desse reglane (liste med komma)."]),
    ("da", ["Brug: beredskap validate [TILVALG] [paths]...",
            "Kontrollér planer: format, henvisninger, stedfortrædere",
            "Kun disse regler (liste med komma).", "[standard: text]"]),
])
def test_command_help_is_in_the_chosen_language(lang, expected):
    proc = beredskap("--lang", lang, "validate", "--help")
    assert proc.returncode == 0, proc.stderr
    for text in expected:
        assert text in proc.stdout, text


@pytest.mark.parametrize("args, lang, expected", [
    (["validate", "--tody", "2026-01-01"], "nb",
     "Feil: Valget --tody finnes ikke. Mente du --today?"),
    (["valdate"], "nn", "Feil: Kommandoen 'valdate' finst ikkje. Meinte du 'validate'?"),
    (["approve"], "da", "Fejl: Argumentet 'PLAN' mangler."),
    (["validate", "--today"], "nb", "Feil: Valget '--today' trenger en verdi."),
    (["rules", "a", "b"], "da", "Fejl: Uventet ekstra argument: b"),
    (["validate", "--today", "1.1.2026", "plans"], "nb",
     "Feil: Ugyldig verdi: '1.1.2026' er ikke en dato skrevet ÅÅÅÅ-MM-DD"),
])
def test_usage_errors_are_in_the_chosen_language(args, lang, expected):
    proc = beredskap(*args, LANG={"nb": "nb_NO.UTF-8", "nn": "nn_NO.UTF-8",
                                  "da": "da_DK.UTF-8"}[lang])
    assert proc.returncode == 2
    assert expected in proc.stderr.splitlines()
    hint = {"nb": "for å få hjelp.", "nn": "for å få hjelp.", "da": "for at få hjælp."}[lang]
    assert "Error:" not in proc.stderr and (hint in proc.stderr or "--today'" in expected)


def test_typer_words_are_in_the_catalog_in_every_language():
    from beredskapsplan.cli import click_words

    words = (*click_words.TYPER_WORDS, *click_words.OPTION_HELP, click_words.USAGE)
    for lang in LANGS:
        tr = translator(lang)
        for word in words:
            assert tr.gettext(word.msgid) != word.msgid, (lang, word.msgid)


COMMANDS = ["validate", "due", "render", "approve", "init", "new", "call-list", "rules",
            "schema", "report", "import", "changes", "record", "close", "verify"]


@pytest.mark.parametrize("lang", ["nb", "da"])
def test_every_commands_help_is_in_the_chosen_language(lang):
    """No sentence of a command's English help is left in the Norwegian or Danish one."""
    for command in COMMANDS:
        english = beredskap("--lang", "en", command, "--help")
        local = beredskap("--lang", lang, command, "--help")
        assert english.returncode == 0 and local.returncode == 0, command
        sentences = {line.strip() for line in english.stdout.splitlines()
                     if len(line.strip()) > 40 and not line.strip().startswith("[")}
        left = sentences & {line.strip() for line in local.stdout.splitlines()}
        assert not left, (command, left)


def test_a_folder_that_cannot_be_written_is_explained_in_the_users_language(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    for lang, words in (("da", "kan ikke skrive"), ("nb", "kan ikke skrive"),
                        ("nn", "kan ikkje skrive")):
        result = run("--lang", lang, "schema", "--out", str(blocker / "schemas"))
        assert result.exit_code == 2
        assert words in result.stderr and "Not a directory" not in result.stderr, result.stderr
