"""Bad input through `beredskap validate`: never a traceback, always a position, never a write.

Each test copies a small valid repository (fixtures/bad-input/repo: one
Norwegian plan with an alert list, a shared partners file reached through
`../_shared/` and a folder of action cards) into a temporary folder, breaks one
thing, runs the command line and checks:

- the exit status (1 for findings, 2 for a usage error);
- the finding names the file and its `:line:col`;
- no Python traceback in the output;
- no file in the repository (or outside it) changed.

Broken files that a file can hold are in fixtures/bad-input/inputs/; bytes
that editors mangle (bad UTF-8, NUL, UTF-16) and the oversized file are
written by the tests.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import FIXTURES, TODAY, Result, run, tree_checksum

BAD = FIXTURES / "bad-input"
INPUTS = BAD / "inputs"
PLAN = "plans/vik/plan.yaml"
ANNEX = "plans/vik/vedlegg-a-varsling.yaml"
CARD = "plans/vik/tiltakskort/flom.yaml"
SHARED = "plans/_shared/partnere.yaml"
ANNEX_LINE, ANNEX_COL = 22, 46  # `file: vedlegg-a-varsling.yaml` in plan.yaml
SHARED_LINE, SHARED_COL = 23, 50  # `file: ../_shared/partnere.yaml`
CARDS_LINE, CARDS_COL = 24, 44  # `cards: tiltakskort/`
SECRET = "hemmelig-nokkel-7f3a"  # in the file outside the repository; must never be printed

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@dataclass
class Workspace:
    root: Path  # the repository (has .git)
    outside: Path  # a folder next to it, outside the repository

    def checksums(self) -> tuple[dict, dict]:
        return tree_checksum(self.root), tree_checksum(self.outside)

    def write(self, relative: str, content: bytes | str) -> Path:
        path = self.root / relative
        if path.is_symlink():
            path.unlink()
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    def set_path(self, old: str, new: str) -> None:
        """Point an annex entry of plan.yaml somewhere else (quoted, same column)."""
        plan = self.root / PLAN
        text = plan.read_text("utf-8")
        assert old in text
        key = old.split(":")[0]
        quoted = '"' + new.replace("\\", "\\\\").replace('"', '\\"') + '"'
        plan.write_text(text.replace(old, f"{key}: {quoted}"), "utf-8")

    def validate(self, *args: str) -> Result:
        return run("validate", *args, "--today", TODAY, cwd=self.root)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    root = tmp_path / "repo"
    shutil.copytree(BAD / "repo", root, symlinks=True)
    (root / ".git").mkdir()
    outside = tmp_path / "outside"
    (outside / "kort").mkdir(parents=True)
    secret = f"beredskap: 1\nkind: contacts\n{SECRET}: 1\npeople: []\n"
    (outside / "secret.yaml").write_text(secret, "utf-8")
    (outside / "kort" / "secret.yaml").write_text(secret, "utf-8")
    return Workspace(root, outside)


def assert_clean_failure(result: Result, before, ws: Workspace, *, code: int = 1) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert SECRET not in output
    assert result.exit_code == code, output
    assert ws.checksums() == before


def finding(result: Result, where: str, rule: str, fragment: str = "") -> str:
    """The text line of the finding at `where` (path:line:col) from `rule`."""
    for line in result.stdout.splitlines():
        if line.startswith(where + ":") and f" {rule} " in line and fragment in line:
            return line
    raise AssertionError(f"no {rule} finding at {where} containing {fragment!r} in:\n"
                         f"{result.stdout}{result.stderr}")


def test_the_base_repository_is_valid(ws):
    """The starting point: only the approval status is reported."""
    before = ws.checksums()
    result = ws.validate("plans", "--format", "json")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [f["rule"] for f in result.findings] == ["approval-status"]
    assert ws.checksums() == before


# -- broken file contents, in every place a file can be ----------------------------------

# input file -> (rule, line, column, words in the message)
CONTENT_CASES = {
    "empty.yaml": ("yaml-syntax", 1, 1, "empty"),
    "comment-only.yaml": ("yaml-syntax", 1, 1, "empty"),
    "deep-nesting.yaml": ("yaml-syntax", 3, 72, "nested deeper than 64"),
    "alias-bomb.yaml": ("yaml-syntax", 9, 47, "alias"),
    "recursive-alias.yaml": ("yaml-syntax", 8, 13, "*people"),
    "tabs.yaml": ("yaml-syntax", 6, 1, "tab"),
    "python-tag.yaml": ("yaml-syntax", 4, 9, "tag"),
    "two-documents.yaml": ("yaml-syntax", 5, 1, "one document"),
    "merge-key.yaml": ("yaml-syntax", 8, 5, "merge"),
    "duplicate-key.yaml": ("duplicate-key", 8, 5, "'name'"),
    "list.yaml": ("schema", 1, 1, "must hold keys with values"),
    "scalar.yaml": ("schema", 1, 1, "must hold keys with values"),
}
PLACES = [PLAN, ANNEX, CARD, SHARED]


@pytest.mark.parametrize("place", PLACES, ids=["plan", "annex", "card", "shared"])
@pytest.mark.parametrize("name", sorted(CONTENT_CASES))
def test_broken_file_in_a_plan(ws, name, place):
    rule, line, column, words = CONTENT_CASES[name]
    ws.write(place, (INPUTS / name).read_bytes())
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{place}:{line}:{column}", rule, words)
    assert result.stdout.rstrip().splitlines()[-1].startswith("FAILED:")


@pytest.mark.parametrize("name", sorted(CONTENT_CASES))
def test_broken_file_checked_on_its_own(ws, name):
    rule, line, column, words = CONTENT_CASES[name]
    ws.write(ANNEX, (INPUTS / name).read_bytes())
    before = ws.checksums()
    result = ws.validate(ANNEX, "--format", "json")
    assert_clean_failure(result, before, ws)
    expected = {"rule": rule, "severity": "error", "path": ANNEX, "line": line, "column": column}
    assert any(expected.items() <= f.items() for f in result.findings), result.findings


def test_broken_file_as_plan_yaml_given_directly(ws):
    ws.write(PLAN, (INPUTS / "list.yaml").read_bytes())
    before = ws.checksums()
    result = ws.validate(PLAN)
    assert_clean_failure(result, before, ws)
    finding(result, f"{PLAN}:1:1", "schema", "not a list")


@pytest.mark.parametrize("name", ["empty.yaml", "tabs.yaml", "alias-bomb.yaml"])
def test_plan_with_a_yaml_syntax_problem_gives_no_other_findings(ws, name):
    ws.write(PLAN, (INPUTS / name).read_bytes())
    result = ws.validate(PLAN, "--format", "json")
    assert [f["rule"] for f in result.findings] == [CONTENT_CASES[name][0]]


@pytest.mark.parametrize("place", PLACES, ids=["plan", "annex", "card", "shared"])
def test_alias_as_key(ws, place):
    ws.write(place, (INPUTS / "alias-key.yaml").read_bytes())
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{place}:5:1", "yaml-syntax", "key")


def test_unclosed_quote_points_into_the_file(ws):
    content = (INPUTS / "syntax-error.yaml").read_text("utf-8")
    ws.write(ANNEX, content)
    result = ws.validate(ANNEX, "--format", "json")
    assert result.exit_code == 1
    (problem,) = [f for f in result.findings if f["rule"] == "yaml-syntax"]
    assert problem["line"] <= len(content.splitlines())


def test_syntax_error_has_a_position(ws):
    ws.write(ANNEX, (INPUTS / "syntax-error.yaml").read_bytes())
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    line = finding(result, ANNEX, "yaml-syntax", "never closed")
    assert line.split(":")[1].isdigit() and line.split(":")[2].isdigit()


# -- bytes that only a program writes ---------------------------------------------------------

HEADER = b"beredskap: 1\nkind: contacts\n"
BYTE_CASES = {
    "latin-1": (HEADER + b"# Troms\xf8\npeople: []\n", 3, 8, "0xf8"),
    "nul": (HEADER + b"title: Vik\x00\npeople: []\n", 3, 11, "U+0000"),
    "bell": (HEADER + b"title: Vik\x07\npeople: []\n", 3, 11, "U+0007"),
    "utf-16": ((HEADER + b"people: []\n").decode().encode("utf-16"), 1, 1, "UTF-16"),
    "tab-after-bom": (b"\xef\xbb\xbf" + HEADER + b"people:\n\t- id: a\n", 4, 1, "tab"),
}


@pytest.mark.parametrize("place", PLACES, ids=["plan", "annex", "card", "shared"])
@pytest.mark.parametrize("case", sorted(BYTE_CASES))
def test_bad_bytes(ws, case, place):
    raw, line, column, words = BYTE_CASES[case]
    ws.write(place, raw)
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{place}:{line}:{column}", "yaml-syntax", words)


def test_bom_is_accepted(ws):
    path = ws.root / ANNEX
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    before = ws.checksums()
    result = ws.validate("plans", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert [f["rule"] for f in result.findings] == ["approval-status"]
    assert ws.checksums() == before


def test_crlf_line_endings_are_accepted_with_the_same_positions(ws):
    path = ws.root / ANNEX
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n").replace(
        b"934 56 789", b"934 56 78"))
    result = ws.validate("plans", "--format", "json")
    assert result.exit_code == 1
    (phone,) = [f for f in result.findings if f["rule"] == "invalid-phone"]
    assert (phone["path"], phone["line"], phone["column"]) == (ANNEX, 10, 23)


@pytest.mark.parametrize("place", PLACES, ids=["plan", "annex", "card", "shared"])
def test_huge_file_is_refused(ws, place):
    padding = b"# " + b"x" * 1000 + b"\n"
    raw = HEADER + padding * (6 * 1024 * 1024 // len(padding)) + b"people: []\n"
    assert len(raw) > 5 * 1024 * 1024
    ws.write(place, raw)
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{place}:1:1", "yaml-syntax", "MB")


# -- annex paths -------------------------------------------------------------------------

ANNEX_AT = f"{PLAN}:{ANNEX_LINE}:{ANNEX_COL}"


@pytest.mark.parametrize("path", [
    "../../../outside/secret.yaml",
    "../../../../../../../../../../../../etc/passwd",
    "../../../outside/../outside/secret.yaml",
    "tiltakskort/../../../../outside/secret.yaml",
])
def test_dotdot_leaving_the_repository(ws, path):
    ws.set_path("file: vedlegg-a-varsling.yaml", path)
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    line = finding(result, ANNEX_AT, "unsafe-path", "outside the repository")
    assert path in line


@pytest.mark.parametrize("path", [
    "../../plans/vik/vedlegg-a-varsling.yaml",
    "./vedlegg-a-varsling.yaml",
    "tiltakskort/../vedlegg-a-varsling.yaml",
])
def test_dotdot_staying_inside_the_repository_works(ws, path):
    ws.set_path("file: vedlegg-a-varsling.yaml", path)
    before = ws.checksums()
    result = ws.validate("plans", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert [f["rule"] for f in result.findings] == ["approval-status"]
    assert ws.checksums() == before


def test_shared_folder_through_dotdot_is_read(ws):
    """`../_shared/partnere.yaml` is used: the card's partner resolves, and its errors are found."""
    result = ws.validate("plans", "--format", "json")
    assert result.exit_code == 0
    assert not [f for f in result.findings if f["rule"] == "unknown-ref"]
    shared = ws.root / SHARED
    shared.write_text(shared.read_text("utf-8").replace("    name:", "    navn:"), "utf-8")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{SHARED}:6:5", "schema", "navn")


def test_missing_shared_folder(ws):
    shutil.rmtree(ws.root / "plans" / "_shared")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    line = finding(result, f"{PLAN}:{SHARED_LINE}:{SHARED_COL}", "missing-file")
    assert "../_shared/partnere.yaml" in line


@pytest.mark.parametrize("make_path", [
    lambda ws: "/etc/passwd",
    lambda ws: str(ws.outside / "secret.yaml"),
    lambda ws: str(ws.root / ANNEX),  # absolute even though it is inside
    lambda ws: "~/secret.yaml",
], ids=["etc-passwd", "outside", "inside", "home"])
def test_absolute_annex_path(ws, make_path):
    path = make_path(ws)
    ws.set_path("file: vedlegg-a-varsling.yaml", path)
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    line = finding(result, ANNEX_AT, "unsafe-path", "absolute")
    assert path in line


def test_absolute_cards_path(ws):
    ws.set_path("cards: tiltakskort/", str(ws.outside / "kort"))
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{PLAN}:{CARDS_LINE}:{CARDS_COL}", "unsafe-path", "absolute")


def test_dotdot_cards_folder_leaving_the_repository(ws):
    ws.set_path("cards: tiltakskort/", "../../../outside/kort/")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{PLAN}:{CARDS_LINE}:{CARDS_COL}", "unsafe-path", "outside the repository")


def test_missing_annex_file(ws):
    ws.set_path("file: vedlegg-a-varsling.yaml", "vedlegg-a.yml")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    line = finding(result, ANNEX_AT, "missing-file", "vedlegg-a.yml")
    assert "does not exist" in line


@pytest.mark.parametrize("path", ["", ".", "tiltakskort"])
def test_annex_file_that_is_a_folder(ws, path):
    ws.set_path("file: vedlegg-a-varsling.yaml", path)
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, ANNEX_AT, "missing-file", "not a file")


@pytest.mark.parametrize("key", ["file: vedlegg-a-varsling.yaml", "cards: tiltakskort/"])
def test_nul_character_in_annex_path(ws, key):
    plan = ws.root / PLAN
    plan.write_text(plan.read_text("utf-8").replace(key, key.split(":")[0] + r': "x\0.yaml"'),
                    "utf-8")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    assert f"{PLAN}:" in result.stdout


# -- symlinks ---------------------------------------------------------------------------

def _link(ws: Workspace, relative: str, target: str | Path) -> None:
    os.symlink(target, ws.root / relative)


@pytest.mark.parametrize("target", ["outside-file", "outside-relative", "etc"])
def test_annex_symlink_out_of_the_repository(ws, target):
    dest = {"outside-file": ws.outside / "secret.yaml",
            "outside-relative": "../../../outside/secret.yaml",
            "etc": "/etc/passwd"}[target]
    _link(ws, "plans/vik/lenke.yaml", dest)
    ws.set_path("file: vedlegg-a-varsling.yaml", "lenke.yaml")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    line = finding(result, ANNEX_AT, "unsafe-path", "symbolic link that leads outside")
    assert "lenke.yaml" in line and "outside the repository" in line


def test_annex_through_a_symlinked_folder_out_of_the_repository(ws):
    _link(ws, "plans/vik/felles", ws.outside)
    ws.set_path("file: vedlegg-a-varsling.yaml", "felles/secret.yaml")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, ANNEX_AT, "unsafe-path", "felles/secret.yaml")


def test_annex_symlink_inside_the_repository_works(ws):
    _link(ws, "plans/vik/lenke.yaml", "../_shared/partnere.yaml")
    ws.set_path("file: ../_shared/partnere.yaml", "lenke.yaml")
    result = ws.validate("plans", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert [f["rule"] for f in result.findings] == ["approval-status"]


@pytest.mark.parametrize("loop", ["self", "pair"])
def test_annex_symlink_loop(ws, loop):
    if loop == "self":
        _link(ws, "plans/vik/sloyfe.yaml", "sloyfe.yaml")
    else:
        _link(ws, "plans/vik/sloyfe.yaml", "sloyfe2.yaml")
        _link(ws, "plans/vik/sloyfe2.yaml", "sloyfe.yaml")
    ws.set_path("file: vedlegg-a-varsling.yaml", "sloyfe.yaml")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    line = finding(result, ANNEX_AT, "unsafe-path", "leads back to itself")
    assert "sloyfe.yaml" in line


@pytest.mark.parametrize("kind", ["outside", "etc", "loop"])
def test_card_folder_holding_a_bad_symlink(ws, kind):
    dest = {"outside": ws.outside / "secret.yaml", "etc": "/etc/passwd",
            "loop": "zz-sloyfe.yaml"}[kind]
    _link(ws, "plans/vik/tiltakskort/zz-sloyfe.yaml" if kind == "loop"
          else "plans/vik/tiltakskort/zz-ut.yaml", dest)
    before = ws.checksums()
    result = ws.validate("plans", "--format", "json")
    assert_clean_failure(result, before, ws)
    unsafe = [f for f in result.findings if f["rule"] == "unsafe-path"]
    assert len(unsafe) == 1
    assert (unsafe[0]["path"], unsafe[0]["line"], unsafe[0]["column"]) == \
        (PLAN, CARDS_LINE, CARDS_COL)
    assert ("zz-sloyfe.yaml" if kind == "loop" else "zz-ut.yaml") in unsafe[0]["message"]
    # the good card next to it is still read: its partner reference resolves
    assert not [f for f in result.findings if f["rule"] == "unknown-ref"]


def test_card_folder_that_is_a_symlink_out_of_the_repository(ws):
    _link(ws, "plans/vik/kort-ute", ws.outside / "kort")
    ws.set_path("cards: tiltakskort/", "kort-ute/")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{PLAN}:{CARDS_LINE}:{CARDS_COL}", "unsafe-path", "kort-ute")


def test_card_folder_that_is_a_symlink_loop(ws):
    _link(ws, "plans/vik/kortsloyfe", "kortsloyfe")
    ws.set_path("cards: tiltakskort/", "kortsloyfe/")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, f"{PLAN}:{CARDS_LINE}:{CARDS_COL}", "unsafe-path", "leads back to itself")


def test_stray_symlink_in_plan_folder_is_not_read(ws):
    """A symlink no annex uses is neither followed nor reported as an unused file."""
    _link(ws, "plans/vik/ut.yaml", ws.outside / "secret.yaml")
    _link(ws, "plans/vik/sloyfe.yaml", "sloyfe.yaml")
    before = ws.checksums()
    result = ws.validate("plans", "--format", "json")
    assert_clean_failure(result, before, ws, code=0)
    assert [f["rule"] for f in result.findings] == ["approval-status"]


def test_plan_yaml_symlink_out_of_the_repository(ws):
    (ws.root / "plans" / "ute").mkdir()
    _link(ws, "plans/ute/plan.yaml", ws.outside / "secret.yaml")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws)
    finding(result, "plans/ute/plan.yaml:1:1", "unsafe-path")


def test_plan_folder_symlink_is_not_searched(ws):
    """Searching a folder for plans does not follow a symlink out of it, and says so: the
    plan behind it is never read, and never silently left out of "N plans checked"."""
    (ws.outside / "plan").mkdir()
    (ws.outside / "plan" / "plan.yaml").write_text(f"{SECRET}: 1\n", "utf-8")
    _link(ws, "plans/ute", ws.outside / "plan")
    before = ws.checksums()
    result = ws.validate("plans")
    assert_clean_failure(result, before, ws, code=1)
    assert "FAILED: 1 plan checked: 1 error" in result.stdout
    finding(result, "plans/ute:1:1", "unsafe-path")


# -- unreadable files and usage errors --------------------------------------------------------

needs_non_root = pytest.mark.skipif(IS_ROOT, reason="root can read a file with mode 000")


@needs_non_root
def test_unreadable_annex(ws):
    path = ws.root / ANNEX
    before = ws.checksums()
    path.chmod(0)
    try:
        result = ws.validate("plans")
    finally:
        path.chmod(0o644)
    assert_clean_failure(result, before, ws)
    finding(result, f"{ANNEX}:1:1", "yaml-syntax", "cannot read")


@needs_non_root
def test_unreadable_plan_given_on_the_command_line(ws):
    path = ws.root / PLAN
    path.chmod(0)
    try:
        result = ws.validate(PLAN)
    finally:
        path.chmod(0o644)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 2
    assert PLAN in result.stderr and "read" in result.stderr


@needs_non_root
def test_unreadable_plan_found_by_search(ws):
    path = ws.root / PLAN
    path.chmod(0)
    try:
        result = ws.validate("plans")
    finally:
        path.chmod(0o644)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code in (1, 2)
    assert "plans/vik/plan.yaml" in result.stdout + result.stderr


@needs_non_root
def test_unreadable_card_folder(ws):
    folder = ws.root / "plans" / "vik" / "tiltakskort"
    folder.chmod(0)
    try:
        result = ws.validate("plans")
    finally:
        folder.chmod(0o755)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 1
    finding(result, f"{PLAN}:{CARDS_LINE}:{CARDS_COL}", "missing-file", "tiltakskort")


@needs_non_root
def test_unreadable_unrelated_folder_in_plan_folder(ws):
    folder = ws.root / "plans" / "vik" / "arkiv"
    folder.mkdir()
    before = ws.checksums()
    folder.chmod(0)
    try:
        result = ws.validate("plans")
    finally:
        folder.chmod(0o755)
    assert_clean_failure(result, before, ws, code=0)


@pytest.mark.parametrize("path", ["finnes-ikke", "plans/finnes-ikke/plan.yaml",
                                  "plans/vik/vedlegg-x.yaml"])
def test_path_that_does_not_exist(ws, path):
    before = ws.checksums()
    result = ws.validate(path)
    assert_clean_failure(result, before, ws, code=2)
    assert path in result.stderr
    assert result.stdout == ""


def test_folder_without_plans(ws):
    (ws.root / "tom").mkdir()
    before = ws.checksums()
    result = ws.validate("tom")
    assert_clean_failure(result, before, ws, code=2)
    assert "tom" in result.stderr and "plan.yaml" in result.stderr


def test_dangling_symlink_given_on_the_command_line(ws):
    _link(ws, "plans/vik/borte.yaml", "finnes-ikke.yaml")
    result = ws.validate("plans/vik/borte.yaml")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.exit_code == 2
    assert "borte.yaml" in result.stderr


# -- everything at once, in a real process -------------------------------------------------------

def test_all_bad_plans_in_one_real_run(ws):
    """The installed command, with its own error handling, over many broken plans at once."""
    plans = ws.root / "plans"
    for i, name in enumerate(sorted(CONTENT_CASES)):
        folder = plans / f"k{i:02d}"
        shutil.copytree(plans / "vik", folder)
        place = [PLAN, ANNEX, CARD][i % 3].replace("plans/vik/", "")
        (folder / place).write_bytes((INPUTS / name).read_bytes())
    for i, (raw, *_rest) in enumerate(BYTE_CASES.values()):
        folder = plans / f"b{i:02d}"
        shutil.copytree(plans / "vik", folder)
        (folder / "vedlegg-a-varsling.yaml").write_bytes(raw)
    odd = plans / "stier"
    shutil.copytree(plans / "vik", odd)
    plan = odd / "plan.yaml"
    plan.write_text(plan.read_text("utf-8")
                    .replace("file: vedlegg-a-varsling.yaml", "file: ../../../outside/secret.yaml")
                    .replace("cards: tiltakskort/", "cards: /etc/"), "utf-8")
    os.symlink(ws.outside / "secret.yaml", odd / "tiltakskort" / "ut.yaml")
    before = ws.checksums()
    proc = subprocess.run([sys.executable, "-m", "beredskapsplan", "validate", "plans",
                           "--today", TODAY], cwd=ws.root, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NO_COLOR": "1"})
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output
    assert SECRET not in output
    assert proc.returncode == 1, output
    count = len(CONTENT_CASES) + len(BYTE_CASES) + 2
    assert f"FAILED: {count} plans checked" in proc.stdout
    assert ws.checksums() == before
