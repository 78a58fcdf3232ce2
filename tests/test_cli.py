"""The command line: start-up, exit codes, output formats, default paths, configuration, rules.

Plans used here (fixtures/cli/):
- nordvik: a complete minimal Norwegian plan that validates clean (only the
  `approval-status` info: it has never been approved);
- sorvik: the same plan with one error (a role without deputy) and one warning
  (a contact last verified in January 2025);
- enkeltfil/varslingsliste.yaml: an alert list checked on its own.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beredskapsplan import __version__
from beredskapsplan.rules import RULES, doc_of
from conftest import FIXTURES, PLANS, TODAY, copy_fixture, run, tree_checksum

ANSI = re.compile(r"\x1b\[")


def validate(*args: str, cwd: Path | None = None):
    return run("validate", *args, "--today", TODAY, cwd=cwd)


@pytest.fixture
def cli(repo: Path) -> Path:
    """A repository holding copies of nordvik, sorvik and enkeltfil (never the fixtures
    themselves, so no beredskap.yaml above the source tree can change the results)."""
    for name in ("nordvik", "sorvik", "enkeltfil"):
        copy_fixture(f"cli/{name}", repo)
    return repo


@pytest.fixture
def plans(repo: Path) -> Path:
    """A repository with plans/nordvik and plans/sorvik."""
    (repo / "plans").mkdir()
    copy_fixture("cli/nordvik", repo / "plans")
    copy_fixture("cli/sorvik", repo / "plans")
    return repo


def _python(code: str, *args: str, cwd: Path | None = None, env: dict | None = None,
            **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args, "-c", code] if code else [sys.executable, *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd,
                          env=env, **kwargs)


# -- start-up ---------------------------------------------------------------------

HEAVY = ("jsonschema", "jsonschema_rs", "jinja2", "pypandoc", "typst")

_MODULES_AFTER_HELP = """
import json, sys
from beredskapsplan.cli import app
try:
    app({args!r}, standalone_mode=False)
except SystemExit:
    pass
print("\\n@@MODULES@@" + json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize("args", [["--help"], ["validate", "--help"], ["rules", "--help"]])
def test_help_imports_no_heavy_modules(args):
    proc = _python(_MODULES_AFTER_HELP.format(args=args))
    assert proc.returncode == 0, proc.stderr
    shown, _, modules = proc.stdout.rpartition("\n@@MODULES@@")
    assert "Usage" in shown  # the help was really printed
    loaded = {name.split(".")[0] for name in json.loads(modules)}
    assert "beredskapsplan" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_heavy_module_check_can_see_an_import(cli):
    """The check above would notice: validating a plan does load a schema validator."""
    code = (_MODULES_AFTER_HELP.format(args=["validate", "nordvik", "--today", TODAY])
            .replace("except SystemExit", "except BaseException"))
    proc = _python(code, cwd=cli)
    loaded = {n.split(".")[0] for n in json.loads(proc.stdout.rpartition("@@MODULES@@")[2])}
    assert loaded & {"jsonschema", "jsonschema_rs"}


def test_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert "validate" in result.stdout and "rules" in result.stdout


def test_no_arguments_shows_help():
    result = run()
    assert "Usage" in result.stdout + result.stderr
    assert "validate" in result.stdout + result.stderr


def test_python_m_version():
    proc = _python("", "-m", "beredskapsplan", "--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"beredskap {__version__}"
    assert "Traceback" not in proc.stderr


def test_version_option_in_process():
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout


# -- exit codes and the summary line -------------------------------------------------------


def test_clean_plan_exits_0_with_a_one_line_summary(cli):
    result = validate("nordvik", "--ignore", "approval-status", cwd=cli)
    assert result.exit_code == 0
    assert result.stdout == "OK: 1 plan checked, no errors\n"
    assert result.stderr == ""


def test_clean_plan_reports_only_the_approval_status(cli):
    result = validate("nordvik", "--format", "json", cwd=cli)
    assert result.exit_code == 0
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in result.findings] == \
        [("approval-status", "info", 1, 1)]


def test_clean_plan_text_output(cli):
    result = validate("nordvik", cwd=cli)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("nordvik/plan.yaml:1:1: info approval-status ")
    assert lines[-1] == "OK: 1 plan checked, no errors (1 info)"
    assert len(lines) == 2


def test_errors_exit_1_with_failed_summary(cli):
    result = validate("sorvik", cwd=cli)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "sorvik/plan.yaml:19:5: error role-without-deputy " + \
        "the role 'beredskapskoordinator' has one holder and no deputy" in result.stdout
    assert any(line.startswith("sorvik/vedlegg-a-varsling.yaml:10:15: warning stale-contact ")
               for line in lines)
    assert lines[-1] == "FAILED: 1 plan checked: 1 error, 1 warning, 1 info"


def test_warnings_alone_exit_0_but_1_with_strict(cli):
    result = validate("sorvik", "--ignore", "role-without-deputy", cwd=cli)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].startswith("OK: 1 plan checked, no errors (1 warning")
    strict = run("validate", "sorvik", "--ignore", "role-without-deputy", "--strict",
                 "--today", TODAY, cwd=cli)
    assert strict.exit_code == 1
    assert strict.stdout.splitlines()[-1].startswith("FAILED:")


def test_select_runs_only_the_given_rules(cli):
    result = validate("sorvik", "--select", "stale-contact,schema", "--format", "json", cwd=cli)
    assert result.exit_code == 0
    assert [f["rule"] for f in result.findings] == ["stale-contact"]


def test_today_changes_the_verdict(cli):
    old = run("validate", "nordvik", "--today", "2026-11-23", "--select", "stale-contact",
              cwd=cli)
    later = run("validate", "nordvik", "--today", "2027-11-23", "--select", "stale-contact",
                cwd=cli)
    assert "stale-contact" not in old.stdout
    assert "stale-contact" in later.stdout


def test_nonexistent_path_exits_2_with_message_on_stderr(tmp_path):
    missing = tmp_path / "finnes-ikke"
    result = validate(str(missing), cwd=tmp_path)
    assert result.exit_code == 2
    assert str(missing) in result.stderr
    assert result.stdout == ""


def test_one_missing_path_among_good_ones_exits_2(cli):
    result = validate("nordvik", "borte", cwd=cli)
    assert result.exit_code == 2
    assert "borte" in result.stderr


@pytest.mark.parametrize("fmt", ["xml", "sarif-x", "TEXT", ""])
def test_unknown_format_exits_2(cli, fmt):
    result = validate("nordvik", "--format", fmt, cwd=cli)
    assert result.exit_code == 2
    assert "format" in result.stderr
    assert "text" in result.stderr and "json" in result.stderr


@pytest.mark.parametrize("day", ["2026-13-01", "23.11.2026", "i dag", "2026-02-30"])
def test_bad_today_exits_2(cli, day):
    result = run("validate", "nordvik", "--today", day, cwd=cli)
    assert result.exit_code == 2
    assert day in result.stderr
    assert "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_exits_2(cli, option):
    result = validate("nordvik", option, "schema,ingen-slik-regel", cwd=cli)
    assert result.exit_code == 2
    assert "ingen-slik-regel" in result.stderr
    assert "schema" not in result.stderr.replace("`beredskap rules`", "")


# -- output formats -------------------------------------------------------------------------


def test_json_is_a_list_of_findings_with_exactly_six_keys(cli):
    result = validate("sorvik", "--format", "json", cwd=cli)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert isinstance(findings, list) and len(findings) == 3
    for f in findings:
        assert set(f) == {"rule", "severity", "path", "line", "column", "message"}
        assert f["rule"] in RULES
        assert f["severity"] in ("error", "warning", "info")
        assert isinstance(f["line"], int) and f["line"] >= 1
        assert isinstance(f["column"], int) and f["column"] >= 1
        assert isinstance(f["path"], str) and isinstance(f["message"], str)
    expected = {"rule": "role-without-deputy", "severity": "error", "path": "sorvik/plan.yaml",
                "line": 19, "column": 5}
    assert any(expected.items() <= f.items() for f in findings)


def test_json_of_a_clean_run_is_an_empty_list(cli):
    result = validate("nordvik", "--format", "json", "--ignore", "approval-status", cwd=cli)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_json_keeps_non_ascii_text(tmp_path):
    shutil.copytree(FIXTURES / "cli" / "sorvik", tmp_path / "sørvik")
    result = validate("sørvik", "--format", "json", cwd=tmp_path)
    assert any(f["path"].startswith("sørvik/") for f in json.loads(result.stdout))


_GITHUB = re.compile(r"^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),"
                     r"title=([^,:]*)::(.*)$")


def test_github_format_lines(cli):
    result = validate("sorvik", "--format", "github", cwd=cli)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    parsed = [_GITHUB.match(line) for line in lines[:-1]]
    assert all(parsed), lines
    assert [m.group(1) for m in parsed] == ["notice", "error", "warning"]
    role = parsed[1]
    assert role.groups()[1:5] == ("sorvik/plan.yaml", "19", "5", "role-without-deputy")
    assert lines[-1].startswith("FAILED:")


def test_github_format_escapes_path_and_message(tmp_path):
    name = "liste,a:b%c.yaml"
    (tmp_path / name).write_text(
        'beredskap: 1\nkind: contacts\nverified: 2026-10-01\npeople:\n'
        '  - id: a\n    name: A\n    phones: [{number: "+47 412 34 567"}]\n'
        '    "x,y: 50%\\nz": 1\n', "utf-8")
    result = validate(name, "--format", "github", cwd=tmp_path)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2  # the annotation stays on one line despite the newline
    match = _GITHUB.match(lines[0])
    assert match, lines[0]
    level, path, line, col, title, message = match.groups()
    assert path == "liste%2Ca%3Ab%25c.yaml"
    assert (level, line, col, title) == ("error", "8", "5", "schema")
    assert "'x,y: 50%25\\nz'" in message  # the newline is shown as \n, % escaped


def test_text_output_has_no_colour_when_not_a_terminal(cli):
    result = validate("sorvik", cwd=cli)
    assert result.stdout and not ANSI.search(result.stdout + result.stderr)


def _run_in_terminal(args: list[str], env: dict, cwd: Path) -> str:
    """Run the command with its output on a pseudo-terminal; return what it wrote."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "beredskapsplan", *args], cwd=cwd,
                              stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env,
                              timeout=120)
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    assert proc.returncode == 1
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_terminal_output_is_coloured_unless_no_color(cli):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    args = ["validate", "sorvik", "--today", TODAY]
    coloured = _run_in_terminal(args, env, cli)
    assert "role-without-deputy" in coloured
    assert ANSI.search(coloured)  # a terminal gets colour ...
    plain = _run_in_terminal(args, {**env, "NO_COLOR": "1"}, cli)
    assert "role-without-deputy" in plain
    assert not ANSI.search(plain)  # ... unless NO_COLOR is set


def test_piped_output_has_no_colour_even_with_a_terminal_type(cli):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["TERM"] = "xterm-256color"
    proc = subprocess.run([sys.executable, "-m", "beredskapsplan", "validate", "sorvik",
                           "--today", TODAY], cwd=cli, capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 1
    assert "role-without-deputy" in proc.stdout
    assert not ANSI.search(proc.stdout + proc.stderr)


# -- which paths are checked ------------------------------------------------------------------


def test_default_path_is_plans_in_the_working_folder(plans):
    result = validate("--format", "json", cwd=plans)
    assert result.exit_code == 1
    paths = {f["path"] for f in result.findings}
    assert "plans/sorvik/plan.yaml" in paths and "plans/nordvik/plan.yaml" in paths
    assert run("validate", "--today", TODAY, cwd=plans).stdout.splitlines()[-1] \
        .startswith("FAILED: 2 plans checked")


def test_no_path_and_no_plans_folder_exits_2(repo):
    result = validate(cwd=repo)
    assert result.exit_code == 2
    assert "plans/" in result.stderr


def test_default_paths_from_beredskap_yaml(plans):
    (plans / "kommuner").mkdir()
    copy_fixture("cli/nordvik", plans / "kommuner")
    (plans / "beredskap.yaml").write_text("plans: [kommuner/]\n", "utf-8")
    result = validate(cwd=plans)  # plans/ (with its error) is not used
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "OK: 1 plan checked, no errors (1 info)"
    assert "kommuner/nordvik/plan.yaml:1:1" in result.stdout


def test_default_paths_from_beredskap_yaml_in_a_sub_folder(plans):
    (plans / "kommuner").mkdir()
    copy_fixture("cli/sorvik", plans / "kommuner")
    copy_fixture("cli/nordvik", plans / "kommuner")
    (plans / "beredskap.yaml").write_text("plans:\n  - kommuner/sorvik\n"
                                          "  - kommuner/nordvik\n", "utf-8")
    (plans / "docs").mkdir()
    result = validate("--format", "json", cwd=plans / "docs")
    assert result.exit_code == 1
    assert {Path(f["path"]).parent.name for f in result.findings} == {"sorvik", "nordvik"}
    assert all(Path(f["path"]).parent.parent.name == "kommuner" for f in result.findings)


def test_plans_from_beredskap_yaml_that_do_not_exist(repo):
    (repo / "beredskap.yaml").write_text("plans: [kommuner/]\n", "utf-8")
    result = validate(cwd=repo)
    assert result.exit_code == 2
    assert "kommuner" in result.stderr


def test_two_plan_folders_are_both_reported(plans):
    result = validate("plans", cwd=plans)
    assert result.exit_code == 1
    assert "plans/sorvik/plan.yaml:19:5: error role-without-deputy" in result.stdout
    assert "plans/nordvik/plan.yaml:1:1: info approval-status" in result.stdout
    assert result.stdout.splitlines()[-1] == "FAILED: 2 plans checked: 1 error, 1 warning, 2 info"


def test_nested_plan_folders_are_found(repo):
    copy_fixture("cli/nordvik", repo / "a" / "b" / "c")
    copy_fixture("cli/nordvik", repo / "a")
    result = validate("a", cwd=repo)
    assert result.stdout.splitlines()[-1].startswith("OK: 2 plans checked")


def test_the_same_plan_given_twice_is_checked_once(cli):
    result = validate("nordvik", "nordvik/plan.yaml", "./nordvik", cwd=cli)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "OK: 1 plan checked, no errors (1 info)"


def test_plan_yaml_given_directly(cli):
    result = validate("sorvik/plan.yaml", cwd=cli)
    assert result.exit_code == 1
    assert "sorvik/plan.yaml:19:5: error role-without-deputy" in result.stdout


# -- a single annex file ----------------------------------------------------------------------

SINGLE = "enkeltfil/varslingsliste.yaml"


def test_single_annex_file_gets_schema_and_file_rules_only(cli):
    result = validate(SINGLE, "--format", "json", cwd=cli)
    assert result.exit_code == 1
    got = sorted((f["rule"], f["line"], f["column"]) for f in result.findings)
    # the unknown key is reported; the number with a country code is checked;
    # '412 34 56' (no country code) is not judged without the plan's country
    assert got == [("invalid-phone", 10, 18), ("schema", 11, 5)]
    assert "stilling" in next(f["message"] for f in result.findings if f["rule"] == "schema")
    assert not [f for f in result.findings if "412 34 56" in f["message"]]


def test_single_annex_file_summary(cli):
    result = validate(SINGLE, cwd=cli)
    assert result.stdout.splitlines()[-1] == "FAILED: 1 file checked: 2 errors"


def test_the_same_annex_in_a_plan_judges_national_numbers(repo):
    plan = copy_fixture("cli/nordvik", repo)
    shutil.copy(FIXTURES / "cli" / SINGLE, plan / "vedlegg-a-varsling.yaml")
    result = validate("nordvik", "--format", "json", cwd=repo)
    phones = [f for f in result.findings if f["rule"] == "invalid-phone"]
    assert any("412 34 56" in f["message"] and f["line"] == 9 for f in phones)
    # and the plan-wide rules run: ola-nordmann is gone from the alert list
    assert any(f["rule"] == "unknown-ref" for f in result.findings)


def test_single_annex_file_does_not_run_plan_rules(repo):
    (repo / "liste.yaml").write_text(
        "beredskap: 1\nkind: contacts\nverified: 2020-01-01\npeople:\n"
        "  - {id: a, name: A, phones: [{number: \"+47 412 34 567\"}]}\n"
        "  - {id: a, name: B, phones: [{number: \"+47 934 56 789\"}]}\n", "utf-8")
    result = validate("liste.yaml", "--format", "json", cwd=repo)
    rules = {f["rule"] for f in result.findings}
    assert "stale-contact" in rules  # file-local
    assert not rules & {r.ID for r in RULES.values() if r.SCOPE == "plan"}


def test_plan_and_annex_file_together(cli):
    result = validate("nordvik", SINGLE, cwd=cli)
    assert result.stdout.splitlines()[-1] == "FAILED: 1 plan and 1 file checked: 2 errors, 1 info"


# -- beredskap.yaml ------------------------------------------------------------------------------


@pytest.mark.parametrize("content, where, words", [
    ("plans: [plans/]\nrulez:\n  schema: error\n", "beredskap.yaml:2:1:", "rulez"),
    ("rules:\n  schema: error\n  ingen-regel: off\n", "beredskap.yaml:3:3:", "ingen-regel"),
    ("rules:\n  stale-contact: fatal\n", "beredskap.yaml:2:", "fatal"),
    ("rules:\n  stale-contact: 2\n", "beredskap.yaml:2:", "2"),
    ("plans: {a: b}\n", "beredskap.yaml:1:", "plans"),
    ("rules: [schema]\n", "beredskap.yaml:1:", "rules"),
    ("rules:\n\tschema: off\n", "beredskap.yaml:2:1:", "tab"),
    ("rules:\n  schema: off\n  schema: error\n", "beredskap.yaml:3:3:", "schema"),
    ("plans: [plans/\n", "beredskap.yaml:1:8:", "never closed"),
])
def test_broken_config_exits_2_with_position(plans, content, where, words):
    (plans / "beredskap.yaml").write_text(content, "utf-8")
    before = tree_checksum(plans)
    result = validate("plans", cwd=plans)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert where in result.stderr and words in result.stderr, result.stderr
    assert re.search(r"beredskap\.yaml:\d+:\d+: ", result.stderr)
    assert "Traceback" not in result.stderr
    assert tree_checksum(plans) == before


def test_broken_config_is_found_from_a_sub_folder(plans):
    (plans / "beredskap.yaml").write_text("plan: [plans/]\n", "utf-8")
    result = validate("sorvik", cwd=plans / "plans")
    assert result.exit_code == 2
    assert "beredskap.yaml:1:1:" in result.stderr and "'plan'" in result.stderr


def test_config_that_is_a_list_exits_2(plans):
    (plans / "beredskap.yaml").write_text("- plans/\n- rules\n", "utf-8")
    result = validate("plans", cwd=plans)
    assert result.exit_code == 2
    assert "beredskap.yaml:1:1" in result.stderr


@pytest.mark.parametrize("content", ["", "# plans: [plans/]\n# rules: {}\n"])
def test_config_without_settings_means_defaults(plans, content):
    (plans / "beredskap.yaml").write_text(content, "utf-8")
    result = validate("plans", cwd=plans)
    assert result.exit_code == 1
    assert "FAILED: 2 plans checked" in result.stdout


def test_config_changes_severities(plans):
    (plans / "beredskap.yaml").write_text(
        "rules:\n  stale-contact: error\n  approval-status: off\n"
        "  role-without-deputy: warning\n", "utf-8")
    result = validate("plans", "--format", "json", cwd=plans)
    assert result.exit_code == 1
    got = {(f["rule"], f["severity"]) for f in result.findings}
    assert got == {("stale-contact", "error"), ("role-without-deputy", "warning")}


def test_config_x_keys_are_ignored(plans):
    (plans / "beredskap.yaml").write_text("x-kommentar: for oss\nrules: {}\n", "utf-8")
    assert validate("plans", cwd=plans).exit_code == 1


# -- beredskap rules ---------------------------------------------------------------------------

DESIGN_RULES = {
    "yaml-syntax": "error", "duplicate-key": "error", "schema": "error", "duplicate-id": "error",
    "unknown-ref": "error", "wrong-ref-kind": "error", "missing-file": "error",
    "unreferenced-file": "warning", "unsafe-path": "error", "role-without-deputy": "error",
    "holder-without-phone": "error", "invalid-phone": "error", "clearance-missing": "error",
    "clearance-expired": "error", "stale-contact": "warning", "date-order": "error",
    "open-finding": "warning", "approval-status": "info", "classified-marking": "error",
    "required-content": None,  # per jurisdiction
}


def test_rules_lists_every_rule_with_its_severity():
    result = run("rules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    listed = {line.split()[0]: line.split()[1] for line in lines if line.strip()}
    assert set(listed) == set(RULES)
    assert len([line for line in lines if line.strip()]) == len(RULES)
    for rule_id, severity in DESIGN_RULES.items():
        assert rule_id in listed
        assert listed[rule_id] in ("error", "warning", "info")
        if severity:
            assert listed[rule_id] == severity, rule_id


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rules_explains_each_rule(rule_id):
    result = run("rules", rule_id)
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{rule_id} ({RULES[rule_id].SEVERITY}")
    doc = doc_of(RULES[rule_id])
    assert len(doc) > 80
    assert doc.splitlines()[0] in result.stdout


def test_rules_schema_prints_its_documentation():
    result = run("rules", "schema")
    assert result.exit_code == 0
    assert "JSON Schema" in result.stdout
    assert "x-" in result.stdout
    assert result.stdout.strip().endswith(doc_of(RULES["schema"]).splitlines()[-1].strip())


def test_unknown_rule_name_exits_2():
    result = run("rules", "nope")
    assert result.exit_code == 2
    assert "nope" in result.stderr
    assert result.stdout == ""


# -- nothing is written --------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_validate_writes_nothing(plans, fmt):
    before = tree_checksum(plans)
    validate("plans", "--format", fmt, cwd=plans)
    assert tree_checksum(plans) == before


def test_annex_named_beside_its_plan_is_checked_once(tmp_path):
    """pre-commit passes every changed file: plan.yaml and an annex of the same plan."""
    import shutil
    (tmp_path / ".git").mkdir()
    plan = shutil.copytree(PLANS / "fjellvik", tmp_path / "fjellvik")
    contacts = plan / "vedlegg-a-varslingsliste.yaml"
    text = contacts.read_text("utf-8")
    assert text.count('"880 10 001"') == 1
    contacts.write_text(text.replace('"880 10 001"', '"+47 1234"'), "utf-8")
    result = run("validate", str(plan / "plan.yaml"), str(contacts), "--format", "json",
                 "--today", TODAY)
    phones = [f for f in result.findings if f["rule"] == "invalid-phone"]
    assert len(phones) == 1, phones


def test_owning_plans_checks_the_plan_an_annex_file_belongs_to(tmp_path):
    """A pre-commit hook passes only the changed annex: removing a role holder from
    annex A must still be caught with --owning-plans, and is not without it."""
    import shutil
    (tmp_path / ".git").mkdir()
    shutil.copytree(PLANS / "_shared", tmp_path / "plans" / "_shared")
    plan = shutil.copytree(PLANS / "bogelund", tmp_path / "plans" / "bogelund")
    contacts = plan / "bilag-a-alarmeringsliste.yaml"
    text = contacts.read_text("utf-8")
    start = text.index("  - id: karen-holm")
    end = text.index("  - id:", start + 5)
    contacts.write_text(text[:start] + text[end:], "utf-8")
    alone = run("validate", str(contacts), "--format", "json", "--today", TODAY)
    assert alone.exit_code == 0
    owned = run("validate", "--owning-plans", str(contacts), "--format", "json", "--today", TODAY)
    assert owned.exit_code == 1
    assert any(f["rule"] == "unknown-ref" and "karen-holm" in f["message"] for f in owned.findings)
    shared = run("validate", "--owning-plans", str(tmp_path / "plans/_shared/partnere.yaml"),
                 "--today", TODAY)
    assert shared.exit_code == 0 and "1 file checked" in shared.stdout


def test_a_finding_is_one_line_even_for_a_key_with_a_newline(tmp_path):
    annex = tmp_path / "a.yaml"
    annex.write_text("beredskap: 1\nkind: contacts\nverified: 2026-10-01\npeople: []\n"
                     "? |\n  lang\n: x\n", "utf-8")
    result = run("validate", str(annex), "--today", TODAY)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "unknown key 'lang\\n'" in lines[0]
    # then only the line it is on (shown for schema findings) and the summary
    assert len(lines) == 4 and lines[1] == " 5 | ? |" and lines[2] == "   |   ^"


def test_a_plan_whose_result_is_stored_is_reported_without_loading_the_checks(cli, tmp_path):
    """The pre-commit case: an unchanged plan costs start-up and a look-up, not the model,
    the jurisdictions, the rules or a schema validator."""
    env = {**os.environ, "BEREDSKAP_CACHE_DIR": str(tmp_path / "cache")}
    code = (_MODULES_AFTER_HELP.format(args=["validate", "nordvik", "--today", TODAY])
            .replace("except SystemExit", "except BaseException"))
    cold = _python(code, cwd=cli, env=env)
    warm = _python(code, cwd=cli, env=env)
    cold_shown, _, cold_modules = cold.stdout.rpartition("\n@@MODULES@@")
    warm_shown, _, warm_modules = warm.stdout.rpartition("\n@@MODULES@@")
    assert warm_shown == cold_shown and "1 plan" in warm_shown
    heavy = {"beredskapsplan.model", "beredskapsplan.build", "beredskapsplan.jurisdiction",
             "beredskapsplan.rules.schema", "phonenumbers", "jsonschema_rs"}
    assert heavy <= set(json.loads(cold_modules))  # the first run checked the plan
    assert not heavy & set(json.loads(warm_modules)), sorted(heavy & set(json.loads(warm_modules)))
