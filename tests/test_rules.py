"""Every lint rule of `beredskap validate`, proven on fixture plans.

`fixtures/rules/good-no/` (Norway) and `fixtures/rules/good-dk/` (Denmark) are
small but complete plans that validate with a single finding: the info
`approval-status` saying the plan has never been approved. Every other folder
under `fixtures/rules/` is a copy of one of them (or a single file, for the
rules that look at one file at a time) with exactly one defect. Each test
copies its fixture into a temporary repository, runs
`beredskap validate --format json --today 2026-11-23` there, and checks rule,
file, line and column of the finding, and that nothing else is reported.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from beredskapsplan.digest import digest
from beredskapsplan.documents import read_document
from conftest import FIXTURES, TODAY, copy_fixture, run, tree_checksum

RULES = FIXTURES / "rules"

ALL_RULES = (
    "yaml-syntax", "duplicate-key", "schema", "duplicate-id", "duplicate-shows", "unknown-ref",
    "wrong-ref-kind",
    "missing-file", "unreferenced-file", "unsafe-path", "role-without-deputy",
    "holder-without-phone", "invalid-phone", "clearance-missing", "clearance-expired",
    "stale-contact", "required-content", "policy-too-loose", "date-order", "open-finding",
    "approval-status", "classified-marking", "placeholder", "comment-in-text", "private-in-text",
)

# Every fixture plan that is never approved reports this one info, and only it.
NEVER_APPROVED = ("approval-status", "info", "plan.yaml", 3, 1)


# -- helpers -------------------------------------------------------------------

def plan_copy(name: str, repo: Path) -> Path:
    """Copy fixtures/rules/NAME into the temporary repository and return the plan folder."""
    return copy_fixture(f"rules/{name}", repo)


def validate(folder: Path, *args: str, target: str = "."):
    """`beredskap validate TARGET --format json --today TODAY ARGS`, run inside `folder`."""
    return run("validate", target, "--format", "json", "--today", TODAY, *args, cwd=folder)


def where(finding: dict) -> tuple:
    return (finding["rule"], finding["severity"], finding["path"], finding["line"],
            finding["column"])


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in the file."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def without_never_approved(findings: list[dict]) -> list[dict]:
    return [f for f in findings if where(f) != NEVER_APPROVED]


# -- the good plans ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["good-no", "good-dk"])
def test_good_plan_has_no_findings_but_the_approval_note(name, repo):
    folder = plan_copy(name, repo)
    result = validate(folder)
    assert result.exit_code == 0
    assert [where(f) for f in result.findings] == [NEVER_APPROVED]
    assert "never been approved" in result.findings[0]["message"]


@pytest.mark.parametrize("name", ["good-no", "good-dk"])
def test_good_plan_passes_strict_and_text_output(name, repo):
    folder = plan_copy(name, repo)
    assert validate(folder, "--strict").exit_code == 0
    text = run("validate", ".", "--today", TODAY, cwd=folder)
    assert text.exit_code == 0
    assert text.stdout.splitlines() == [
        "plan.yaml:3:1: info approval-status the plan has never been approved; after the "
        "council's decision, record it with `beredskap approve`",
        "OK: 1 plan checked, no errors (1 info)",
    ]


@pytest.mark.parametrize("name", ["good-no", "good-dk"])
def test_good_plan_uses_every_annex_kind(name):
    folder = RULES / name
    kinds = {}
    for path in sorted(folder.rglob("*.yaml")):
        kinds.setdefault(read_document(path).kind, []).append(path.relative_to(folder).as_posix())
    assert set(kinds) == {"plan", "contacts", "resources", "plan-register", "partners",
                          "templates", "action-card"}
    assert all(p.startswith("cards/") for p in kinds["action-card"])


def test_validate_changes_nothing(repo):
    folder = plan_copy("classified-marking", repo)
    before = tree_checksum(repo)
    assert validate(folder).exit_code == 1
    assert tree_checksum(repo) == before


def test_rule_list_is_the_one_tested_here():
    result = run("rules")
    assert result.exit_code == 0
    assert tuple(line.split()[0] for line in result.stdout.splitlines()) == ALL_RULES


# -- one defect, one finding -------------------------------------------------------
# (fixture, rule, severity, file, line, column, part of the message)

PLAN_CASES = [
    ("duplicate-key", "duplicate-key", "error", "contacts.yaml", 18, 5,
     "the key 'phones' appears twice here (first on line 16)"),
    ("duplicate-id", "duplicate-id", "error", "templates.yaml", 5, 9,
     "the id 'krisekommunikasjon' is already used by a section at plan.yaml:81"),
    ("duplicate-shows", "duplicate-shows", "error", "plan.yaml", 89, 24,
     "'activation' is already shown by section 'kriseledelse-og-varsling'"),
    ("unknown-ref/link", "unknown-ref", "error", "plan.yaml", 80, 11,
     "the link to '#kriseledelse-og-varslng' leads to no section, action card or annex in this "
     "plan; did you mean 'kriseledelse-og-varsling'?"),
    ("unknown-ref/person", "unknown-ref", "error", "plan.yaml", 37, 29,
     "role holder 'nils-prve' is not the id of a person in this plan; did you mean "
     "'nils-prove'?"),
    ("unknown-ref/role", "unknown-ref", "error", "cards/varsle-kriseledelsen.yaml", 11, 57,
     "step owner 'kommunikasjonsleiar' is not the id of a role in this plan; "
     "did you mean 'kommunikasjonsleder'?"),
    ("unknown-ref/level", "unknown-ref", "error", "cards/varsle-kriseledelsen.yaml", 6, 8,
     "card level 3 is not one of the plan's levels (1 and 2)"),
    ("wrong-ref-kind", "wrong-ref-kind", "error", "plan.yaml", 59, 16,
     "call order entry 'liv-testesen' is a person, but must be a role"),
    ("missing-file/file", "missing-file", "error", "plan.yaml", 94, 37,
     "'maler.yaml' does not exist"),
    ("missing-file/cards", "missing-file", "error", "plan.yaml", 95, 44,
     "'tiltakskort/' does not exist"),
    ("unsafe-path", "unsafe-path", "error", "plan.yaml", 94, 37,
     "'../../../../../../../../../../../../etc/passwd' leads outside the repository"),
    ("unreferenced-file", "unreferenced-file", "warning", "gammel-varslingsliste.yaml", 1, 1,
     "gammel-varslingsliste.yaml is not used by any annex in plan.yaml"),
    ("role-without-deputy", "role-without-deputy", "error", "plan.yaml", 51, 5,
     "the role 'kommunikasjonsleder' has one holder and no deputy"),
    ("holder-without-phone", "holder-without-phone", "error", "contacts.yaml", 46, 5,
     "Per Testesen holds the role 'kommunikasjonsleder' but has no phone number"),
    ("invalid-phone", "invalid-phone", "error", "contacts.yaml", 47, 18,
     "'+47 400 00 06' has 7 digits, but a number in Norway has 8 digits"),
    ("clearance-missing/none", "clearance-missing", "error", "contacts.yaml", 13, 5,
     "Nils Prøve holds the role 'ordforer', which requires security clearance, but has "
     "no clearance"),
    ("clearance-missing/no-expiry", "clearance-missing", "error", "contacts.yaml", 34, 5,
     "the security clearance of Ola Eksempel has no expiry date"),
    ("clearance-expired", "clearance-expired", "error", "contacts.yaml", 27, 43,
     "the security clearance of Kari Eksempel expired on 2026-01-31, and the role "
     "'kommunedirektor' requires one"),
    ("required-content/no", "required-content", "error", "plan.yaml", 62, 1,
     "no section covers 'evacuation' (required by sivilbeskyttelsesloven"),
    ("required-content/dk", "required-content", "warning", "plan.yaml", 45, 1,
     "no section covers 'coordination' (expected by Beredskabsstyrelsen"),
    ("policy-too-loose", "policy-too-loose", "error", "plan.yaml", 29, 19,
     "the plan's policy exercise_every: P3Y (3 years) is looser than the law, which requires "
     "2 years (forskrift om kommunal beredskapsplikt § 7); write P2Y or shorter"),
    ("date-order/future", "date-order", "error", "plan.yaml", 13, 12,
     "the revision is dated 2062-05-30, which is in the future (today is 2026-11-23)"),
    ("date-order/evaluation", "date-order", "error", "plan.yaml", 19, 16,
     "the evaluation is dated 2026-04-15, before 'Stabsøvelse – langvarig strømbrudd' "
     "itself (2026-04-20)"),
    ("date-order/finding-closed", "date-order", "error", "plan.yaml", 25, 17,
     "the finding 'f-2026-1' is closed on 2026-04-10, before its exercise took place "
     "(2026-04-20)"),
    ("date-order/submission", "date-order", "error", "plan.yaml", 16, 12,
     "the submission is dated 2026-06-01, before the first approval (2026-06-10)"),
    ("open-finding", "open-finding", "warning", "plan.yaml", 24, 14,
     "the finding 'f-2026-1' from 'Stabsøvelse – langvarig strømbrudd' was due on 2026-09-01 "
     "and is not closed (responsible: kriseledelse)"),
    ("approval-status/unverified", "approval-status", "info", "plan.yaml", 13, 5,
     "the approval of 2026-06-10 has no digest"),
    ("approval-status/changed", "approval-status", "info", "plan.yaml", 14, 14,
     "the plan has changed since it was approved on 2026-06-10; it needs a new approval"),
    ("classified-marking", "classified-marking", "error", "plan.yaml", 84, 11,
     "text carries the classification marking 'BEGRENSET'"),
    ("private-in-text", "private-in-text", "warning", "plan.yaml", 84, 11,
     "the private number of Ola Eksempel (contacts.yaml:33) is written here"),
    ("placeholder", "placeholder", "warning", "plan.yaml", 72, 7,
     "'body' in section 'kriseledelse-og-varsling' is still to be filled in; write the real "
     "text in place of the mark «FYLL INN»"),
    ("comment-in-text", "comment-in-text", "warning", "plan.yaml", 17, 24,
     "the '#' starts a comment, so the text ends at 'Stabsøvelse' and '#2 – langvarig "
     "strømbrudd' is left out; if the '#' belongs to the text, put the whole value in quotes, "
     "and if it is a comment, put a space after the '#'"),
    ("schema/unknown-key", "schema", "error", "contacts.yaml", 45, 5,
     "unknown key 'positon' in person 'per-testesen'; did you mean 'position'?"),
    ("schema/missing-key", "schema", "error", "contacts.yaml", 43, 5,
     "person 'per-testesen' has no 'name', which it needs; add `name:`"),
    ("schema/bad-date", "schema", "error", "contacts.yaml", 19, 15,
     "'verified' in person 'nils-prove': '01.10.2026' is not a date written YYYY-MM-DD"),
    ("schema/bad-duration", "schema", "error", "plan.yaml", 60, 22,
     "'activation.full_staff_within': '2 timer' is not a length of time the tool can read"),
]


@pytest.mark.parametrize("fixture,rule,severity,path,line,column,message", PLAN_CASES,
                         ids=[c[0] for c in PLAN_CASES])
def test_plan_with_one_defect(fixture, rule, severity, path, line, column, message, repo):
    folder = plan_copy(fixture, repo)
    result = validate(folder)
    found = [f for f in result.findings if f["rule"] == rule]
    assert [where(f) for f in found] == [(rule, severity, path, line, column)]
    assert message in found[0]["message"]
    # nothing else: no cascade, only the baseline note of a never-approved plan
    assert without_never_approved(result.findings) == found
    assert result.exit_code == (1 if severity == "error" else 0)


def test_table_covers_every_rule():
    covered = {c[1] for c in PLAN_CASES} | {c[1] for c in FILE_CASES} | {"stale-contact"}
    assert covered == set(ALL_RULES)


# Rules that look at one file at a time, shown on a single annex file.
FILE_CASES = [
    ("yaml-syntax/tab.yaml", "yaml-syntax", 7, 1,
     "this line is indented with a tab character, which YAML does not allow"),
    ("yaml-syntax/empty.yaml", "yaml-syntax", 1, 1, "the file is empty"),
    ("yaml-syntax/bad-utf8.yaml", "yaml-syntax", 7, 16,
     "the file is not saved as UTF-8 (byte 0xf8 here is not UTF-8)"),
    ("yaml-syntax/syntax-error.yaml", "yaml-syntax", 8, 36,
     "the text after 'position:' holds a colon followed by a space, which YAML reads as a "
     "new key; put the whole text in quotes: position: \"Beredskapskoordinator: leder\""),
    ("schema/unsupported-version.yaml", "schema", 1, 12,
     "the file is written in format version 2, but this version of beredskap reads format 1"),
    ("schema/unknown-kind.yaml", "schema", 2, 7,
     "unknown kind 'kontakter'; the kinds are plan, contacts, resources, plan-register, "
     "partners, templates and action-card"),
]


@pytest.mark.parametrize("fixture,rule,line,column,message", FILE_CASES,
                         ids=[c[0] for c in FILE_CASES])
def test_single_file_with_one_defect(fixture, rule, line, column, message, repo):
    shutil.copy(RULES / fixture, repo)
    name = Path(fixture).name
    result = validate(repo, target=name)
    assert result.exit_code == 1
    assert [where(f) for f in result.findings] == [(rule, "error", name, line, column)]
    assert message in result.findings[0]["message"]


# -- variants per rule -------------------------------------------------------------

def test_yaml_syntax_accepts_a_byte_order_mark(repo):
    source = (RULES / "yaml-syntax/tab.yaml").read_text("utf-8").replace("\tname:", "    name:")
    (repo / "contacts.yaml").write_bytes(b"\xef\xbb\xbf" + source.encode("utf-8"))
    result = validate(repo, target="contacts.yaml")
    assert (result.exit_code, result.findings) == (0, [])


def test_yaml_syntax_names_where_an_unclosed_mapping_starts(repo):
    source = (RULES / "yaml-syntax/syntax-error.yaml").read_text("utf-8")
    source = source.replace("Beredskapskoordinator: leder", "Beredskapskoordinator")
    source = source.replace('label: mobil}', 'label: mobil')
    (repo / "contacts.yaml").write_text(source, "utf-8")
    result = validate(repo, target="contacts.yaml")
    assert [f["rule"] for f in result.findings] == ["yaml-syntax"]
    # reported where the '{' that is never closed opens: line 10, column 9
    found = result.findings[0]
    assert (found["line"], found["column"]) == (10, 9) and "never closed" in found["message"]


def test_yaml_syntax_in_plan_yaml_is_the_only_finding(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "  sustain_for: P3D", "\tsustain_for: P3D")
    result = validate(folder)
    assert result.exit_code == 1
    assert [where(f) for f in result.findings] == [("yaml-syntax", "error", "plan.yaml", 61, 1)]


def test_yaml_syntax_in_an_annex_does_not_cascade(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "contacts.yaml", "    name: Liv Testesen", "\tname: Liv Testesen")
    result = validate(folder)
    assert result.exit_code == 1
    assert [where(f) for f in without_never_approved(result.findings)] == [
        ("yaml-syntax", "error", "contacts.yaml", 37, 1)]


def test_yaml_syntax_in_an_annex_is_reported_at_the_annex(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "contacts.yaml", "    name: Liv Testesen", "\tname: Liv Testesen")
    result = validate(folder)
    syntax = [where(f) for f in result.findings if f["rule"] == "yaml-syntax"]
    assert syntax == [("yaml-syntax", "error", "contacts.yaml", 37, 1)]


def test_schema_suggests_the_kind_meant(repo):
    source = (RULES / "schema/unknown-kind.yaml").read_text("utf-8")
    (repo / "card.yaml").write_text(source.replace("kind: kontakter", "kind: contact"), "utf-8")
    result = validate(repo, target="card.yaml")
    assert [where(f) for f in result.findings] == [("schema", "error", "card.yaml", 2, 7)]
    assert result.findings[0]["message"].endswith("did you mean 'contacts'?")


def test_schema_keeps_x_keys(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "contacts.yaml", "    position: Kommunikasjonsleder",
         "    position: Kommunikasjonsleder\n    x-intern-merknad: ny i stillingen")
    result = validate(folder)
    assert [where(f) for f in result.findings] == [NEVER_APPROVED]


def test_schema_refuses_an_unknown_topic(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "covers: [purpose]", "covers: [purpose, evakuering]")
    result = validate(folder)
    found = without_never_approved(result.findings)
    assert [where(f) for f in found] == [("schema", "error", "plan.yaml", 65, 23)]
    assert found[0]["message"] == ("'covers' in section 'formal': 'evakuering' is not one of "
                                   "the values allowed here; did you mean 'evacuation'?")
    # a value close to none: the allowed values are listed
    edit(folder / "plan.yaml", "covers: [purpose, evakuering]", "covers: [purpose, qqq]")
    found = without_never_approved(validate(folder).findings)
    assert found[0]["message"].startswith("'covers' in section 'formal': 'qqq' is not one of "
                                          "purpose, crisis-management,")


def test_schema_unsupported_version_is_not_read_further(repo):
    source = (RULES / "schema/unsupported-version.yaml").read_text("utf-8")
    (repo / "contacts.yaml").write_text(source.replace("+47 400 00 005", "+47 400 00 05"), "utf-8")
    result = validate(repo, target="contacts.yaml")
    assert [where(f) for f in result.findings] == [("schema", "error", "contacts.yaml", 1, 12)]


def test_unknown_ref_for_an_incident_level(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "title: Flom i sentrum, level: 2", "title: Flom i sentrum, level: 4")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("unknown-ref", "error", "plan.yaml", 27, 54)]
    assert found[0]["message"] == ("incident level 4 is not one of the plan's levels (1 and 2); "
                                   "use one of them, or add the level under `levels:`")


def test_wrong_ref_kind_role_holder_that_is_a_role(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "holders: [per-testesen, liv-testesen]",
         "holders: [per-testesen, beredskapskoordinator]")
    result = validate(folder)
    found = without_never_approved(result.findings)
    assert [where(f) for f in found] == [("wrong-ref-kind", "error", "plan.yaml", 51, 29)]
    assert found[0]["message"] == ("role holder 'beredskapskoordinator' is a role, "
                                   "but must be a person; write the id of a person here")


def test_missing_file_when_a_folder_is_named_as_file(repo):
    folder = plan_copy("missing-file/file", repo)
    (folder / "maler.yaml").mkdir()
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("missing-file", "error", "plan.yaml", 94, 37)]
    assert found[0]["message"].startswith("'maler.yaml' is a folder, not a file")


# -- unsafe paths: `..`, symlinks out of the repository, symlink loops ------------------

@pytest.fixture
def outside(tmp_path_factory) -> Path:
    """A folder outside the repository, holding a file that must never be read."""
    folder = tmp_path_factory.mktemp("outside")
    # if this file were read, its marking and its broken YAML would be reported
    (folder / "templates.yaml").write_text("beredskap: 1\nkind: templates\n"
                                           "templates: [HEMMELIG\n", "utf-8")
    return folder


OUTSIDE = ("'{}' is a symbolic link that leads outside the repository, so it is never read; "
           "copy the file into the repository")
LOOP = ("'{}' is a symbolic link that leads back to itself; replace it with the real file or "
        "folder")


def only_unsafe_path(result, path="plan.yaml", line=94, column=37) -> str:
    found = without_never_approved(result.findings)
    assert [where(f) for f in found] == [("unsafe-path", "error", path, line, column)]
    assert result.exit_code == 1
    return found[0]["message"]


def test_unsafe_path_dot_dot_is_not_read(repo):
    folder = plan_copy("unsafe-path", repo)
    message = only_unsafe_path(validate(folder))
    assert message.endswith("leads outside the repository (" + repo.name + "/), so it is "
                            "never read; keep annex files inside it")


@pytest.mark.parametrize("path", ["/etc/passwd", "~/templates.yaml"])
def test_unsafe_path_absolute(path, repo):
    folder = plan_copy("unsafe-path", repo)
    edit(folder / "plan.yaml", "file: ../../../../../../../../../../../../etc/passwd",
         f"file: {path}")
    message = only_unsafe_path(validate(folder))
    assert message == (f"'{path}' is an absolute path; write it relative to the plan folder")


def test_unsafe_path_symlink_to_outside(repo, outside):
    folder = plan_copy("good-no", repo)
    (folder / "templates.yaml").unlink()
    os.symlink(outside / "templates.yaml", folder / "templates.yaml")
    message = only_unsafe_path(validate(folder))
    assert message == OUTSIDE.format("templates.yaml")


def test_unsafe_path_relative_symlink_to_outside(repo, outside):
    folder = plan_copy("good-no", repo)
    (folder / "templates.yaml").unlink()
    os.symlink(os.path.relpath(outside / "templates.yaml", folder), folder / "templates.yaml")
    message = only_unsafe_path(validate(folder))
    assert message == OUTSIDE.format("templates.yaml")


def test_unsafe_path_symlink_to_a_missing_file_outside(repo, outside):
    folder = plan_copy("good-no", repo)
    (folder / "templates.yaml").unlink()
    os.symlink(outside / "gone.yaml", folder / "templates.yaml")
    message = only_unsafe_path(validate(folder))
    assert message == OUTSIDE.format("templates.yaml")


def test_unsafe_path_symlink_loop_to_itself(repo):
    folder = plan_copy("good-no", repo)
    (folder / "templates.yaml").unlink()
    os.symlink("templates.yaml", folder / "templates.yaml")
    assert only_unsafe_path(validate(folder)) == LOOP.format("templates.yaml")


def test_unsafe_path_symlink_loop_of_two(repo):
    folder = plan_copy("good-no", repo)
    (folder / "templates.yaml").unlink()
    os.symlink("other.yaml", folder / "templates.yaml")
    os.symlink("templates.yaml", folder / "other.yaml")
    assert only_unsafe_path(validate(folder)) == LOOP.format("templates.yaml")


def test_unsafe_path_cards_folder_symlink_to_outside(repo, outside):
    folder = plan_copy("good-no", repo)
    shutil.move(folder / "cards", outside / "cards")
    os.symlink(outside / "cards", folder / "cards")
    message = only_unsafe_path(validate(folder), line=95, column=44)
    assert message == OUTSIDE.format("cards/")


def test_unsafe_path_card_file_symlink_to_outside(repo, outside):
    folder = plan_copy("good-no", repo)
    os.symlink(outside / "templates.yaml", folder / "cards" / "extra.yaml")
    message = only_unsafe_path(validate(folder), line=95, column=44)
    assert message == OUTSIDE.format("cards/extra.yaml")


def test_symlink_inside_the_repository_is_fine(repo):
    folder = plan_copy("good-no", repo)
    shared = repo / "_shared"
    shared.mkdir()
    shutil.move(folder / "templates.yaml", shared / "templates.yaml")
    os.symlink("../_shared/templates.yaml", folder / "templates.yaml")
    result = validate(folder)
    assert [where(f) for f in result.findings] == [NEVER_APPROVED]


def test_shared_annex_through_dot_dot_inside_the_repository(repo):
    folder = plan_copy("good-no", repo)
    shared = repo / "_shared"
    shared.mkdir()
    shutil.move(folder / "partners.yaml", shared / "partnere.yaml")
    edit(folder / "plan.yaml", "file: partners.yaml", "file: ../_shared/partnere.yaml")
    result = validate(folder)
    assert [where(f) for f in result.findings] == [NEVER_APPROVED]


# -- people, phones, clearances, contacts -------------------------------------------------

def test_invalid_phone_without_country_code_uses_the_plan_country(repo):
    folder = plan_copy("good-dk", repo)
    edit(folder / "contacts.yaml", '"28 12 34 57"', '"28 12 34 5"')
    result = validate(folder)
    found = without_never_approved(result.findings)
    assert [where(f) for f in found] == [("invalid-phone", "error", "contacts.yaml", 17, 18)]
    assert found[0]["message"] == ("'28 12 34 5' has 7 digits, but a number in Denmark has 8 "
                                   "digits; check for a missing or an extra digit")


def test_invalid_phone_in_a_single_file_checks_only_international_numbers(repo):
    source = (RULES / "good-dk/contacts.yaml").read_text("utf-8")
    (repo / "contacts.yaml").write_text(source.replace('"28 12 34 57"', '"28 12 34 5"'), "utf-8")
    assert validate(repo, target="contacts.yaml").findings == []  # the country is not known
    (repo / "contacts.yaml").write_text(source.replace('"+45 20 12 34 56"', '"+45 20 12 34 5"'),
                                        "utf-8")
    result = validate(repo, target="contacts.yaml")
    assert [where(f) for f in result.findings] == [
        ("invalid-phone", "error", "contacts.yaml", 10, 18)]


def test_invalid_phone_in_a_partner_contact(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "partners.yaml", '{number: "+47 930 00 002"}', '{number: "+47 930 00 0021"}')
    result = validate(folder)
    assert [where(f) for f in without_never_approved(result.findings)] == [
        ("invalid-phone", "error", "partners.yaml", 12, 68)]


def test_clearance_expiring_today_is_still_valid(repo):
    folder = plan_copy("clearance-expired", repo)
    edit(folder / "contacts.yaml", "expires: 2026-01-31", f"expires: {TODAY}")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]
    edit(folder / "contacts.yaml", f"expires: {TODAY}", "expires: 2026-11-22")
    assert [f["rule"] for f in without_never_approved(validate(folder).findings)] == [
        "clearance-expired"]


def test_clearance_not_needed_for_a_role_without_clearance_required(repo):
    folder = plan_copy("clearance-missing/none", repo)
    edit(folder / "plan.yaml",
         "    holders: [ingrid-prove, nils-prove]\n    clearance_required: true\n",
         "    holders: [ingrid-prove, nils-prove]\n")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_stale_contact_with_file_level_verified(repo):
    folder = plan_copy("stale-contact", repo)
    result = validate(folder)
    assert result.exit_code == 0
    found = without_never_approved(result.findings)
    assert [where(f) for f in found] == [
        ("stale-contact", "warning", "resources.yaml", 4, 11)] * 2
    assert sorted(f["message"] for f in found) == [
        "Drikkevannstank på henger was last verified on 2025-11-01, more than 6 months ago "
        "(the plan's policy); check the entry and write today's date in `verified:`",
        "Nødstrømsaggregat, rådhuset was last verified on 2025-11-01, more than 6 months ago "
        "(the plan's policy); check the entry and write today's date in `verified:`",
    ]


def test_stale_contact_entry_date_overrides_the_file_date(repo):
    folder = plan_copy("stale-contact", repo)
    edit(folder / "resources.yaml", "    availability: Hele døgnet\n",
         "    availability: Hele døgnet\n    verified: 2026-10-20\n")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("stale-contact", "warning", "resources.yaml", 4, 11)]
    assert found[0]["message"].startswith("Drikkevannstank på henger ")


def test_stale_contact_for_one_entry(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "partners.yaml", "verified: 2026-08-01", "verified: 2026-05-22")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("stale-contact", "warning", "partners.yaml", 20, 15)]
    assert found[0]["message"].startswith("Nabovik kommune was last verified on 2026-05-22")


def test_stale_contact_boundary_is_exactly_the_interval(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "partners.yaml", "verified: 2026-08-01", "verified: 2026-05-23")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_stale_contact_follows_a_stricter_policy(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "contacts_verify_every: P6M", "contacts_verify_every: P3M")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("stale-contact", "warning", "partners.yaml", 20, 15)]
    assert "more than 3 months ago (the plan's policy)" in found[0]["message"]


def test_stale_contact_never_verified(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "partners.yaml", "    verified: 2026-08-01\n", "")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("stale-contact", "warning", "partners.yaml", 15, 5)]
    assert found[0]["message"] == ("Nabovik kommune has never been verified; check the entry "
                                   "and add `verified:` with the date you did")


def test_person_without_verified_needs_a_file_date(repo):
    # in the alert list `verified` is required (per person or for the whole file)
    folder = plan_copy("good-dk", repo)
    edit(folder / "contacts.yaml", "verified: 2026-10-01\n", "")
    found = without_never_approved(validate(folder).findings)
    errors = [where(f) for f in found if f["severity"] == "error"]
    assert errors == [("schema", "error", "contacts.yaml", line, 5) for line in (5, 12, 18)]
    assert found[0]["message"] == ("person 'anna-eksempel' has no 'verified', which it needs; "
                                   "add `verified:`")


# -- required content and policy --------------------------------------------------------

def test_required_content_risk_analysis_is_covered_by_the_plans_analysis(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "covers: [risk-analysis, exercises]", "covers: [exercises]")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]
    edit(folder / "plan.yaml", "risk_analysis: {title: Helhetlig ROS-analyse 2025, date: "
                               "2025-03-01, review_every: P4Y}\n", "")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("required-content", "error", "plan.yaml", 61, 1)]
    assert "'risk-analysis'" in found[0]["message"]


def test_required_content_alert_list_is_covered_by_the_contacts_annex(repo):
    folder = plan_copy("good-dk", repo)
    edit(folder / "plan.yaml", "covers: [alert-list, resources, sub-plans]", "covers: [resources]")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_policy_stricter_than_the_law_passes(repo):
    folder = plan_copy("policy-too-loose", repo)
    edit(folder / "plan.yaml", "exercise_every: P3Y", "exercise_every: P1Y")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_policy_equal_to_the_law_passes(repo):
    folder = plan_copy("good-no", repo)
    assert "exercise_every: P2Y" in (folder / "plan.yaml").read_text("utf-8")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_policy_too_loose_for_the_revision_interval(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "  contacts_verify_every: P6M\n",
         "  contacts_verify_every: P6M\n  revise_every: P18M\n")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("policy-too-loose", "error", "plan.yaml", 31, 17)]
    assert "is looser than the law, which requires 1 year" in found[0]["message"]


def test_policy_may_loosen_a_recommendation(repo):
    # Denmark has no legal exercise interval; the tool's P2Y is only a recommendation
    folder = plan_copy("good-dk", repo)
    edit(folder / "plan.yaml", "levels:\n", "policy: {exercise_every: P3Y}\nlevels:\n")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


# -- dates -------------------------------------------------------------------------------

def test_date_order_incident_evaluated_before_it_happened(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "level: 2, evaluated: 2026-03-01", "level: 2, evaluated: 2026-02-01")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("date-order", "error", "plan.yaml", 27, 68)]
    assert found[0]["message"] == ("the evaluation is dated 2026-02-01, before 'Flom i sentrum' "
                                   "itself (2026-02-03); correct one of the dates")


def test_date_order_submission_without_approval(repo):
    folder = plan_copy("good-dk", repo)
    edit(folder / "plan.yaml", "revisions:\n",
         "submissions:\n  - {date: 2026-06-01, to: Styrelsen for Samfundssikkerhed}\nrevisions:\n")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("date-order", "error", "plan.yaml", 13, 12)]
    assert "but the plan has no approval" in found[0]["message"]


def test_date_order_today_is_not_the_future(repo):
    folder = plan_copy("date-order/future", repo)
    edit(folder / "plan.yaml", "{date: 2062-05-30,", f"{{date: {TODAY},")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


@pytest.mark.parametrize("file,old,new,line,column,what", [
    ("contacts.yaml", "verified: 2026-11-01\n  - id: per", "verified: 2026-12-01\n  - id: per",
     42, 15, "the verification"),
    ("cards/varsle-kriseledelsen.yaml", "reviewed: 2026-06-01", "reviewed: 2027-06-01", 13, 11,
     "the review of the card"),
    ("plan-register.yaml", "last_revised: 2026-03-01", "last_revised: 2026-12-01", 10, 19,
     "the revision of the sub-plan"),
    ("plan.yaml", "date: 2025-03-01, review_every", "date: 2027-03-01, review_every", 14, 58,
     "the risk analysis"),
    ("resources.yaml", "verified: 2026-10-01", "verified: 2027-10-01", 4, 11,
     "the verification"),
])
def test_date_order_events_in_the_future(file, old, new, line, column, what, repo):
    folder = plan_copy("good-no", repo)
    edit(folder / file, old, new)
    found = without_never_approved(validate(folder).findings)
    rows = {where(f) for f in found}
    assert rows == {("date-order", "error", file, line, column)}
    assert all(f["message"].startswith(what + " is dated ") for f in found)


def test_date_order_due_and_expiry_dates_may_be_in_the_future(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "due: 2026-09-01\n        closed: 2026-08-20",
         "due: 2027-09-01\n        closed: null")
    # expiries in 2028-2030 are already in the fixture
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_date_order_on_a_single_annex_file(repo):
    source = (RULES / "good-no/contacts.yaml").read_text("utf-8")
    (repo / "contacts.yaml").write_text(
        source.replace("verified: 2026-09-15\n  - id: ola", "verified: 2062-09-15\n  - id: ola"),
        "utf-8")
    result = validate(repo, target="contacts.yaml")
    assert [where(f) for f in result.findings] == [("date-order", "error", "contacts.yaml", 28, 15)]


def test_open_finding_not_yet_due(repo):
    folder = plan_copy("open-finding", repo)
    edit(folder / "plan.yaml", "due: 2026-09-01", f"due: {TODAY}")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


# -- approval status --------------------------------------------------------------------

def approve(folder: Path, with_digest: bool = True) -> str:
    """Record an approval in plan.yaml, with the digest of its current content."""
    plan = folder / "plan.yaml"
    value = digest(read_document(plan).data)
    extra = f', digest: "{value}"' if with_digest else ""
    edit(plan, "revisions:\n",
         f'approvals:\n  - {{date: 2026-06-10, by: Kommunestyret, case: "26/0042"{extra}}}\n'
         "revisions:\n")
    return value


def test_approval_with_matching_digest_gives_no_finding(repo):
    folder = plan_copy("good-no", repo)
    approve(folder)
    result = validate(folder)
    assert (result.exit_code, result.findings) == (0, [])


def test_approval_digest_ignores_history_and_annexes(repo):
    folder = plan_copy("good-no", repo)
    approve(folder)
    edit(folder / "plan.yaml", "  - {date: 2026-05-30, summary:",
         "  - {date: 2026-07-01, summary: Nye telefonnumre, by: beredskapskoordinator}\n"
         "  - {date: 2026-05-30, summary:")
    edit(folder / "contacts.yaml", '"+47 400 00 006"', '"+47 400 00 008"')
    assert validate(folder).findings == []


def test_approval_changed_after_a_section_edit(repo):
    folder = plan_copy("good-no", repo)
    approve(folder)
    edit(folder / "plan.yaml", "title: Krisekommunikasjon", "title: Krisekommunikasjon og media")
    found = validate(folder).findings
    assert [where(f) for f in found] == [("approval-status", "info", "plan.yaml", 13, 68)]
    assert found[0]["message"] == ("the plan has changed since it was approved on 2026-06-10; "
                                   "it needs a new approval")


def test_changed_fixture_was_approved_before_its_edit(repo):
    folder = plan_copy("approval-status/changed", repo)
    text = (folder / "plan.yaml").read_text("utf-8")
    good = read_document(RULES / "good-no/plan.yaml").data
    assert f'digest: "{digest(good)}"' in text
    edit(folder / "plan.yaml", "nettsidene og i sosiale medier.", "kommunens nettsider.")
    assert validate(folder).findings == []


def test_approval_without_digest_is_approved_but_unverified(repo):
    folder = plan_copy("good-no", repo)
    approve(folder, with_digest=False)
    result = validate(folder, "--strict")
    assert result.exit_code == 0
    assert [where(f) for f in result.findings] == [("approval-status", "info", "plan.yaml", 13, 5)]


# -- classification markings ----------------------------------------------------------

@pytest.mark.parametrize("name,levels", [
    ("good-no", ["KONFIDENSIELT", "BEGRENSET", "HEMMELIG"]),
    ("good-dk", ["FORTROLIGT", "TIL TJENESTEBRUG"]),
])
def test_clearance_level_is_not_a_marking(name, levels, repo):
    folder = plan_copy(name, repo)
    contacts = (folder / "contacts.yaml").read_text("utf-8")
    for level in levels:
        assert f"clearance: {{level: {level}, expires:" in contacts
    assert [f["rule"] for f in validate(folder).findings] == ["approval-status"]


def test_marking_word_in_ordinary_case_is_not_a_marking(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "body: Kommunikasjonsleder publiserer",
         "body: Hemmelige passord deles aldri. Kommunikasjonsleder publiserer")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_marking_in_an_annex_file(repo):
    folder = plan_copy("good-dk", repo)
    edit(folder / "templates.yaml", "      Øvelsesby Kommune har",
         "      FORTROLIGT\n      Øvelsesby Kommune har")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("classified-marking", "error", "templates.yaml", 7, 11)]
    assert "'FORTROLIGT'" in found[0]["message"]


# -- private numbers and people's addresses written elsewhere ---------------------------------

PRIVATE_NUMBER = "+47 400 00 004"  # Ola Eksempel's, marked private in good-no/contacts.yaml


def private_findings(folder: Path) -> list[tuple]:
    return [where(f) for f in validate(folder).findings if f["rule"] == "private-in-text"]


@pytest.mark.parametrize("written", ["400 00 004", "40000004", "+4740000004", "400-00-004",
                                     "(+47) 400.00.004", "4000 0004", "0047 400 00 004",
                                     "400\u00a000\u00a0004", "４００ ００ ００４"])
def test_private_in_text_finds_the_number_in_any_spacing(written, repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "cards" / "varsle-kriseledelsen.yaml", "{text: Ring ordfører og",
         f"{{text: \"Ring {written} og\", who: beredskapskoordinator}}\n  - {{text: Ring ordfører og")
    assert private_findings(folder) == [
        ("private-in-text", "warning", "cards/varsle-kriseledelsen.yaml", 9, 12)]


def test_private_in_text_under_another_entry_without_the_flag(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "partners.yaml", '{number: "+47 930 00 002"}', '{number: "400 00 004"}')
    edit(folder / "contacts.yaml", '{number: "+47 400 00 005", label: mobil}',
         '{number: "+47 400 00 005", label: mobil}\n      - {number: "+47 400 00 004"}')
    found = private_findings(folder)
    assert found == [("private-in-text", "warning", "contacts.yaml", 41, 18),
                     ("private-in-text", "warning", "partners.yaml", 12, 68)]


def test_private_in_text_a_persons_address_elsewhere(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "partners.yaml", "email: vakt@vannverk.example",
         "email: Liv.Testesen@Fjordvik.example")
    edit(folder / "plan.yaml", "body: Planen beskriver hvordan",
         "body: Skriv til kari.eksempel (at) fjordvik.example. Planen beskriver hvordan")
    found = [f for f in validate(folder).findings if f["rule"] == "private-in-text"]
    assert [where(f) for f in found] == [("private-in-text", "warning", "partners.yaml", 10, 12),
                                         ("private-in-text", "warning", "plan.yaml", 66, 11)]
    assert "the e-mail address of Liv Testesen (contacts.yaml:41)" in found[0]["message"]
    assert "Kari Eksempel" in found[1]["message"]


def test_private_in_text_not_where_it_is_left_out_anyway(repo):
    folder = plan_copy("good-no", repo)
    # an exempt section, a withheld file, an x- note: none of them reaches the public version
    edit(folder / "plan.yaml", "    body: Kommunikasjonsleder publiserer",
         '    exempt: {basis: "offentleglova § 24"}\n'
         "    body: Ring 400 00 004. Kommunikasjonsleder publiserer")
    edit(folder / "templates.yaml", "kind: templates",
         'kind: templates\nexempt: {basis: "offentleglova § 24"}')
    edit(folder / "templates.yaml", "Neste oppdatering", "Ring 400 00 004. Neste oppdatering")
    edit(folder / "resources.yaml", "kind: resources", "kind: resources\nx-merknad: 40000004")
    assert private_findings(folder) == []


def test_private_in_text_a_number_from_a_withheld_file(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "contacts.yaml", "kind: contacts",
         'kind: contacts\nexempt: {basis: "offentleglova § 24 tredje ledd"}')
    edit(folder / "plan.yaml", "body: Planen beskriver hvordan",
         "body: Ordfører nås på 400 00 001. Planen beskriver hvordan")
    found = [f for f in validate(folder).findings if f["rule"] == "private-in-text"]
    assert [where(f) for f in found] == [("private-in-text", "warning", "plan.yaml", 66, 11)]
    assert "belongs to a withheld file" in found[0]["message"]


def test_private_in_text_a_number_that_is_only_similar_is_fine(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "body: Planen beskriver hvordan",
         "body: Saksnummer 400 00 0045 og 40 00 00 05. Planen beskriver hvordan")
    # "4000000045" holds the private 40000004; "4000 0005" does not
    assert private_findings(folder) == [("private-in-text", "warning", "plan.yaml", 66, 11)]


def test_duplicate_id_an_annex_file_listed_twice(repo):
    folder = plan_copy("good-no", repo)
    edit(folder / "plan.yaml", "  - {letter: F, title: Tiltakskort, cards: cards/}",
         "  - {letter: F, title: Tiltakskort, cards: cards/}\n"
         '  - {letter: G, title: Kontakter, file: contacts.yaml, exempt: {basis: "x § 1"}}')
    found = [f for f in validate(folder).findings if f["rule"] == "duplicate-id"]
    assert [where(f) for f in found] == [("duplicate-id", "error", "plan.yaml", 96, 41)]
    assert "'contacts.yaml' is already annex A" in found[0]["message"]


def test_duplicate_id_an_annex_file_reached_through_a_hard_link(repo):
    folder = plan_copy("good-no", repo)
    os.link(folder / "contacts.yaml", folder / "kontakter.yaml")
    edit(folder / "plan.yaml", "  - {letter: F, title: Tiltakskort, cards: cards/}",
         "  - {letter: F, title: Tiltakskort, cards: cards/}\n"
         "  - {letter: G, title: Kontakter, file: kontakter.yaml}")
    found = [f for f in validate(folder).findings if f["rule"] == "duplicate-id"]
    assert ("duplicate-id", "error", "plan.yaml", 96, 41) in [where(f) for f in found]


# -- suppression comments -----------------------------------------------------------------

PHONE_LINE = '      - {number: "+47 400 00 06", label: mobil}'


def test_suppression_on_the_offending_line(repo):
    folder = plan_copy("invalid-phone", repo)
    edit(folder / "contacts.yaml", PHONE_LINE, PHONE_LINE + "  # beredskap: ignore[invalid-phone]")
    result = validate(folder)
    assert (result.exit_code, [where(f) for f in result.findings]) == (0, [NEVER_APPROVED])


def test_suppression_on_the_line_above(repo):
    folder = plan_copy("invalid-phone", repo)
    edit(folder / "contacts.yaml", PHONE_LINE,
         "      # beredskap: ignore[invalid-phone]  (a foreign number)\n" + PHONE_LINE)
    result = validate(folder)
    assert (result.exit_code, [where(f) for f in result.findings]) == (0, [NEVER_APPROVED])


def test_suppression_two_lines_above_does_not_count(repo):
    folder = plan_copy("invalid-phone", repo)
    edit(folder / "contacts.yaml", "    phones:\n" + PHONE_LINE,
         "    # beredskap: ignore[invalid-phone]\n    phones:\n" + PHONE_LINE)
    result = validate(folder)
    assert [where(f) for f in without_never_approved(result.findings)] == [
        ("invalid-phone", "error", "contacts.yaml", 48, 18)]


def test_suppression_of_another_rule_does_not_silence(repo):
    folder = plan_copy("invalid-phone", repo)
    edit(folder / "contacts.yaml", PHONE_LINE, PHONE_LINE + "  # beredskap: ignore[stale-contact]")
    result = validate(folder)
    assert [where(f) for f in without_never_approved(result.findings)] == [
        ("invalid-phone", "error", "contacts.yaml", 47, 18)]


def test_suppression_silences_exactly_the_named_rule(repo):
    folder = plan_copy("invalid-phone", repo)
    marked = PHONE_LINE.replace("label: mobil", "label: HEMMELIG")
    edit(folder / "contacts.yaml", PHONE_LINE, marked + "  # beredskap: ignore[invalid-phone]")
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("classified-marking", "error", "contacts.yaml", 47, 42)]
    edit(folder / "contacts.yaml", "ignore[invalid-phone]",
         "ignore[invalid-phone, classified-marking]")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_suppression_in_plan_yaml(repo):
    folder = plan_copy("policy-too-loose", repo)
    edit(folder / "plan.yaml", "exercise_every: P3Y",
         "exercise_every: P3Y  # beredskap: ignore[policy-too-loose]")
    assert [where(f) for f in validate(folder).findings] == [NEVER_APPROVED]


def test_trailing_suppression_applies_to_its_own_line_only(repo):
    folder = plan_copy("invalid-phone", repo)
    edit(folder / "contacts.yaml", PHONE_LINE,
         PHONE_LINE + "  # beredskap: ignore[invalid-phone]\n"
         '      - {number: "+47 400 00 07", label: jobb}')
    found = without_never_approved(validate(folder).findings)
    assert [where(f) for f in found] == [("invalid-phone", "error", "contacts.yaml", 48, 18)]


# -- configuration: beredskap.yaml, --select, --ignore, --strict -----------------------------

def test_config_raises_a_rule_to_error(repo):
    folder = plan_copy("stale-contact", repo)
    (repo / "beredskap.yaml").write_text("rules:\n  stale-contact: error\n", "utf-8")
    result = validate(folder)
    assert result.exit_code == 1
    assert [where(f) for f in without_never_approved(result.findings)] == [
        ("stale-contact", "error", "resources.yaml", 4, 11)] * 2


def test_config_turns_a_rule_off(repo):
    folder = plan_copy("stale-contact", repo)
    (repo / "beredskap.yaml").write_text("rules:\n  stale-contact: off\n", "utf-8")
    result = validate(folder, "--strict")
    assert (result.exit_code, [where(f) for f in result.findings]) == (0, [NEVER_APPROVED])


def test_config_of_the_plans_repository_applies_from_elsewhere(repo, tmp_path_factory):
    folder = plan_copy("stale-contact", repo)
    (repo / "beredskap.yaml").write_text("rules:\n  stale-contact: error\n", "utf-8")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = validate(elsewhere, target=str(folder))
    assert result.exit_code == 1
    assert {f["severity"] for f in result.findings if f["rule"] == "stale-contact"} == {"error"}


def test_config_lowers_an_error_to_a_warning(repo):
    folder = plan_copy("invalid-phone", repo)
    (repo / "beredskap.yaml").write_text("rules:\n  invalid-phone: warning\n", "utf-8")
    result = validate(folder)
    assert result.exit_code == 0
    assert [where(f) for f in without_never_approved(result.findings)] == [
        ("invalid-phone", "warning", "contacts.yaml", 47, 18)]


def test_config_with_an_unknown_rule_is_a_usage_error(repo):
    folder = plan_copy("good-no", repo)
    (repo / "beredskap.yaml").write_text("rules:\n  stale-contacts: error\n", "utf-8")
    result = validate(folder)
    assert result.exit_code == 2
    assert "beredskap.yaml:2:3: unknown rule 'stale-contacts'" in result.stderr


def test_select_runs_only_the_named_rules(repo):
    folder = plan_copy("invalid-phone", repo)
    result = validate(folder, "--select", "invalid-phone")
    assert result.exit_code == 1
    assert [where(f) for f in result.findings] == [
        ("invalid-phone", "error", "contacts.yaml", 47, 18)]
    result = validate(folder, "--select", "stale-contact,approval-status")
    assert (result.exit_code, [where(f) for f in result.findings]) == (0, [NEVER_APPROVED])


def test_ignore_skips_the_named_rules(repo):
    folder = plan_copy("invalid-phone", repo)
    result = validate(folder, "--ignore", "invalid-phone")
    assert (result.exit_code, [where(f) for f in result.findings]) == (0, [NEVER_APPROVED])
    result = validate(folder, "--ignore", "approval-status,invalid-phone")
    assert (result.exit_code, result.findings) == (0, [])


def test_select_with_an_unknown_rule_is_a_usage_error(repo):
    folder = plan_copy("good-no", repo)
    result = validate(folder, "--select", "invalid-phones")
    assert result.exit_code == 2
    assert "unknown rule invalid-phones" in result.stderr


@pytest.mark.parametrize("fixture", ["stale-contact", "open-finding", "unreferenced-file",
                                     "required-content/dk"])
def test_strict_fails_on_warnings(fixture, repo):
    folder = plan_copy(fixture, repo)
    assert validate(folder).exit_code == 0
    assert validate(folder, "--strict").exit_code == 1


def test_a_hash_is_reported_only_where_it_cuts_unquoted_text(tmp_path):
    """Quoted text, a block of text, a comment after a space and a '#' inside a word keep
    their '#'; only a '#' glued to text after unquoted text is reported, once, where it is."""
    folder = plan_copy("good-no", tmp_path)
    plan = folder / "plan.yaml"
    edit(plan, "    title: Formål\n", '    title: "Formål #1"  # kommentar med mellomrom\n')
    edit(plan, "      Ordfører eller kommunedirektør beslutter å sette kriseledelsen.\n",
         "      Ordfører eller kommunedirektør beslutter å sette kriseledelsen (#3 i listen).\n"
         "      Se #varsling og C# nedenfor.\n")
    edit(plan, "    title: Befolkningsvarsling og evakuering\n",
         "    title: Befolkningsvarsling og evakuering #viktig\n")
    edit(plan, "  sustain_for: P3D\n", "  sustain_for: P3D #tre døgn\n")
    found = [f for f in validate(folder).findings if f["rule"] == "comment-in-text"]
    assert [(f["line"], f["column"]) for f in found] == [(61, 20), (75, 46)]
    assert "'Befolkningsvarsling og evakuering'" in found[1]["message"]
    assert "'#viktig'" in found[1]["message"]
    assert read_document(plan).data["sections"][0]["title"] == "Formål #1"


# what the rule looks for first, as its documentation says it: text, a space or tab, a '#'
# glued to what follows
GLUED_HASH_DEFINITION = re.compile(r"\S[ \t]+#[^\s#!]")


@pytest.mark.parametrize("text,cut", [
    ("title: Plan #2\n", True), ("title: Plan\t#2\n", True), ("title: Plan  \t #x\n", True),
    ("# Bilag A\ntitle: Plan # 2\n", False), ("title: C#\n", False), ("  #2 first\n", False),
    ("#2\n", False), ("title: Plan ##2\n", False), ("title: Plan #!x\n", False),
    ("a\u00a0#2\n", False), ("a\u2003 #2\n", False), ("a: b\n #2\n", False), ("x #", False),
])
def test_the_quick_look_for_a_glued_hash_is_the_rules_own_definition(text, cut):
    """The rule looks first for a '#' glued to text after text and a space or tab; that
    quick look says exactly what its regular expression says, or a cut text would go
    unreported."""
    from beredskapsplan.rules.comment_in_text import _may_cut

    assert _may_cut(text) is cut
    assert (GLUED_HASH_DEFINITION.search(text) is not None) is cut


def test_the_quick_look_for_a_glued_hash_agrees_on_every_fixture():
    from beredskapsplan.rules.comment_in_text import _may_cut

    for path in sorted(FIXTURES.rglob("*.yaml")):
        try:
            body = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        assert _may_cut(body) == (GLUED_HASH_DEFINITION.search(body) is not None), path


def test_a_cut_title_is_reported_in_the_users_language(tmp_path):
    folder = plan_copy("comment-in-text", tmp_path)
    for lang, words in (("nb", "starter en kommentar"), ("nn", "startar ein kommentar"),
                        ("da", "starter en kommentar, så teksten slutter")):
        result = run("--lang", lang, "validate", ".", "--today", TODAY, cwd=folder)
        line = next(x for x in result.stdout.splitlines() if "comment-in-text" in x)
        assert line.startswith("plan.yaml:17:24:") and words in line
        assert "title: Stabsøvelse #2" in result.stdout  # the line itself is shown


def test_every_rule_module_is_listed_once_under_its_own_id():
    """`rules.IDS` is what --select, --ignore and beredskap.yaml are checked against without
    importing a rule: it names every rule module, each under the ID the module declares."""
    import beredskapsplan.rules as rules_package

    folder = Path(rules_package.__file__).parent
    modules = sorted(p.stem for p in folder.glob("*.py") if p.stem not in ("__init__", "base"))
    assert sorted(rule_id.replace("-", "_") for rule_id in rules_package.IDS) == modules
    assert len(set(rules_package.IDS)) == len(rules_package.IDS)
    assert [rule.ID for rule in rules_package.ALL] == list(rules_package.IDS)
    assert list(rules_package.RULES) == list(rules_package.IDS)
