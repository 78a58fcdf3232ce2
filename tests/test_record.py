"""`beredskap record …`, `close finding` and `verify`: upkeep with a minimal diff.

Each test works on a copy of an example plan and reads the files back: the only
lines that change are the ones the command is for, every refusal leaves the
files byte for byte as they were, and `validate` stays clean.
"""
from __future__ import annotations

import difflib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beredskapsplan.documents import read_document
from conftest import PLANS, TODAY, run, tree_checksum

CLEAN = "2026-11-23"


def copy_example(root: Path, name: str) -> Path:
    (root / ".git").mkdir(exist_ok=True)
    shutil.copytree(PLANS / "_shared", root / "plans" / "_shared", dirs_exist_ok=True)
    return Path(shutil.copytree(PLANS / name, root / "plans" / name))


@pytest.fixture
def fjellvik(tmp_path) -> Path:
    return copy_example(tmp_path, "fjellvik")


@pytest.fixture
def bogelund(tmp_path) -> Path:
    return copy_example(tmp_path, "bogelund")


def changed(before: str, after: str) -> tuple[list[str], list[str]]:
    """(removed lines, added lines) between two texts."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def record(*args: str):
    return run(*args, "--today", TODAY)


def data(plan: Path) -> dict:
    return read_document(plan / "plan.yaml").data


def clean(plan: Path) -> None:
    result = run("validate", str(plan), "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert not [f for f in result.findings if f["severity"] != "info"]


# -- each command, with the lines it adds ------------------------------------------------

def test_exercise_is_appended_in_the_style_of_the_others(fjellvik):
    before = (fjellvik / "plan.yaml").read_text("utf-8")
    result = record("record", "exercise", str(fjellvik), "--date", "2026-11-12", "--title",
                    "Stabsøvelse – dambrudd", "--type", "tabletop")
    assert result.exit_code == 0, result.stderr
    assert "plan.yaml" in result.stdout and "Stabsøvelse – dambrudd" in result.stdout
    assert '--exercise "2026-11-12"' in result.stdout
    after = (fjellvik / "plan.yaml").read_text("utf-8")
    assert changed(before, after) == ([], ["  - date: 2026-11-12",
                                           "    title: Stabsøvelse – dambrudd",
                                           "    type: tabletop"])
    # the new entry is the last exercise, before the blank line and `incidents:`
    assert "    type: tabletop\n\nincidents:" in after
    assert data(fjellvik)["exercises"][-1] == {"date": "2026-11-12", "title":
                                               "Stabsøvelse – dambrudd", "type": "tabletop"}
    clean(fjellvik)


def test_incident_in_a_flow_list_is_a_flow_entry(fjellvik):
    before = (fjellvik / "plan.yaml").read_text("utf-8")
    result = record("record", "incident", str(fjellvik), "--date", "2026-11-02", "--title",
                    "Skred over Fjellvegen, vegen stengt", "--level", "2", "--id", "skred-2026")
    assert result.exit_code == 0, result.stderr
    assert changed(before, (fjellvik / "plan.yaml").read_text("utf-8")) == (
        [], ['  - {id: skred-2026, date: 2026-11-02, title: "Skred over Fjellvegen, vegen '
             'stengt", level: 2}'])
    assert '--incident "skred-2026"' in result.stdout
    clean(fjellvik)


def test_evaluation_of_a_flow_incident_is_set_inside_it(fjellvik):
    record("record", "incident", str(fjellvik), "--date", "2026-11-02", "--title", "Skred",
           "--level", "2")
    before = (fjellvik / "plan.yaml").read_text("utf-8")
    result = record("record", "evaluation", str(fjellvik), "--incident", "2026-11-02 skred",
                    "--date", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert changed(before, (fjellvik / "plan.yaml").read_text("utf-8")) == (
        ["  - {date: 2026-11-02, title: Skred, level: 2}"],
        ["  - {date: 2026-11-02, title: Skred, level: 2, evaluated: 2026-11-20}"])


def test_evaluation_of_a_block_exercise_goes_before_its_findings(bogelund):
    text = (bogelund / "plan.yaml").read_text("utf-8")
    (bogelund / "plan.yaml").write_text(text.replace("    evaluated: 2026-11-05\n", ""), "utf-8")
    before = (bogelund / "plan.yaml").read_text("utf-8")
    result = record("record", "evaluation", str(bogelund), "--exercise", "cyberangreb",
                    "--date", "2026-11-06")
    assert result.exit_code == 0, result.stderr
    after = (bogelund / "plan.yaml").read_text("utf-8")
    assert changed(before, after) == ([], ["    evaluated: 2026-11-06"])
    assert "    type: functional\n    evaluated: 2026-11-06\n    findings:\n" in after


def test_findings_are_added_and_closed(fjellvik):
    record("record", "exercise", str(fjellvik), "--date", "2026-11-12", "--title",
           "Stabsøvelse – dambrudd", "--type", "tabletop")
    before = (fjellvik / "plan.yaml").read_text("utf-8")
    first = record("record", "finding", str(fjellvik), "--exercise", "2026-11-12", "--text",
                   "Kart over oppsamlingsplasser manglet.", "--owner", "kommunalsjef-teknisk",
                   "--due", "2027-02-01")
    assert first.exit_code == 0, first.stderr
    assert "funn-2026-5" in first.stdout  # the plan's own series: funn-2026-1 … 4 exist
    second = record("record", "finding", str(fjellvik), "--exercise", "dambrudd", "--text",
                    "Loggen startet sent.", "--owner", "krisestab", "--due", "2027-01-15",
                    "--id", "funn-logg")
    assert second.exit_code == 0, second.stderr
    after = (fjellvik / "plan.yaml").read_text("utf-8")
    assert changed(before, after) == ([], [
        "    findings:", "      - id: funn-2026-5", "        text: Kart over oppsamlingsplasser "
        "manglet.", "        owner: kommunalsjef-teknisk", "        due: 2027-02-01",
        "      - id: funn-logg", "        text: Loggen startet sent.", "        owner: krisestab",
        "        due: 2027-01-15"])
    clean(fjellvik)
    rows = run("due", str(fjellvik), "--today", TODAY, "--format", "json", "--fail-on", "none")
    assert {"finding-funn-2026-5", "finding-funn-logg"} <= {r["subject_id"] for r in
                                                            rows.findings}

    before = after
    closed = record("close", "finding", str(fjellvik), "funn-2026-5", "--date", "2026-11-22")
    assert closed.exit_code == 0, closed.stderr
    after = (fjellvik / "plan.yaml").read_text("utf-8")
    assert changed(before, after) == ([], ["        closed: 2026-11-22"])
    assert "        due: 2027-02-01\n        closed: 2026-11-22\n      - id: funn-logg" in after
    # a finding written with `closed: null` gets its date in place
    before = after
    closed = record("close", "finding", str(fjellvik), "funn-2026-2", "--date", "2026-11-22")
    assert closed.exit_code == 0, closed.stderr
    assert changed(before, (fjellvik / "plan.yaml").read_text("utf-8")) == (
        ["        closed: null"], ["        closed: 2026-11-22"])
    rows = run("due", str(fjellvik), "--today", TODAY, "--format", "json", "--fail-on", "none")
    ids = {r["subject_id"] for r in rows.findings}
    assert "finding-funn-2026-5" not in ids and "finding-funn-2026-2" not in ids
    clean(fjellvik)


def test_revision_and_submission(bogelund):
    before = (bogelund / "plan.yaml").read_text("utf-8")
    revised = record("record", "revision", str(bogelund), "--summary",
                     "Bilag B opdateret: nye nødstrømsanlæg", "--by", "tovholder")
    assert revised.exit_code == 0, revised.stderr
    assert TODAY in (bogelund / "plan.yaml").read_text("utf-8")  # default: today
    sent = record("record", "submission", str(bogelund), "--to",
                  "Styrelsen for Samfundssikkerhed", "--date", "2026-11-20")
    assert sent.exit_code == 0, sent.stderr
    assert changed(before, (bogelund / "plan.yaml").read_text("utf-8")) == ([], [
        "  - {date: 2026-11-20, to: Styrelsen for Samfundssikkerhed}",
        f"  - {{date: {TODAY}, summary: \"Bilag B opdateret: nye nødstrømsanlæg\", by: "
        "tovholder}"])
    clean(bogelund)


def test_a_new_history_list_goes_where_it_belongs(fjellvik):
    before = (fjellvik / "plan.yaml").read_text("utf-8")
    result = record("record", "submission", str(fjellvik), "--to", "Statsforvalteren",
                    "--date", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    after = (fjellvik / "plan.yaml").read_text("utf-8")
    assert changed(before, after) == ([], ["submissions:",
                                           "  - {date: 2026-11-20, to: Statsforvalteren}"])
    assert after.index("submissions:") < after.index("revisions:")


# -- naming an exercise or incident ---------------------------------------------------------

@pytest.mark.parametrize("name", ["2024-10-16", "2024-10-16 ekstremvær", "RAS og bortfall",
                                  "ovelse-ras"])
def test_an_exercise_is_named_by_id_date_or_title_words(fjellvik, name):
    text = (fjellvik / "plan.yaml").read_text("utf-8")
    (fjellvik / "plan.yaml").write_text(text.replace(
        "  - date: 2024-10-16\n", "  - id: ovelse-ras\n    date: 2024-10-16\n"), "utf-8")
    result = record("record", "finding", str(fjellvik), "--exercise", name, "--text", "Noe",
                    "--owner", "krisestab", "--due", "2027-01-15", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Kriseledelsesøvelse (diskusjonsøvelse)" in result.stdout


def test_an_ambiguous_name_is_refused_with_the_candidates(fjellvik):
    for title in ("Varslingstest A", "Varslingstest B"):
        assert record("record", "exercise", str(fjellvik), "--date", "2026-11-12", "--title",
                      title, "--type", "alert-test").exit_code == 0
    before = tree_checksum(fjellvik)
    result = record("record", "evaluation", str(fjellvik), "--exercise", "2026-11-12",
                    "--date", "2026-11-20")
    assert result.exit_code == 2
    assert "matches 2" in result.stderr
    assert "2026-11-12 Varslingstest A" in result.stderr
    assert "2026-11-12 Varslingstest B" in result.stderr
    assert tree_checksum(fjellvik) == before
    # the words of the title tell them apart; the command said which to use
    assert record("record", "evaluation", str(fjellvik), "--exercise", "2026-11-12 varslingstest b",
                  "--date", "2026-11-20").exit_code == 0
    assert data(fjellvik)["exercises"][-1]["evaluated"] == "2026-11-20"
    assert "evaluated" not in data(fjellvik)["exercises"][-2]


# -- refusals: nothing is written -----------------------------------------------------------

REFUSED = [
    (("record", "exercise", "{plan}", "--date", "2026-12-01", "--title", "X", "--type",
      "tabletop"), 2, "in the future"),
    (("record", "exercise", "{plan}", "--date", "2026-11-01", "--title", "X", "--type",
      "drill"), 2, "unknown type of exercise"),
    (("record", "exercise", "{plan}", "--date", "2026-11-01", "--title", "X", "--type",
      "tabletop", "--id", "tone-bakken"), 2, "already used"),
    (("record", "exercise", "{plan}", "--date", "2026-11-01", "--title", "X", "--type",
      "tabletop", "--id", "Øvelse 1"), 2, "not a valid id"),
    (("record", "incident", "{plan}", "--date", "2026-11-01", "--title", "X", "--level", "7"),
     2, "no level 7"),
    (("record", "evaluation", "{plan}", "--exercise", "2030-01-01", "--date", "2026-11-20"),
     2, "no exercise matches"),
    (("record", "evaluation", "{plan}", "--exercise", "tone-bakken", "--date", "2026-11-20"),
     2, "is not the id of an exercise but of: person"),
    (("record", "evaluation", "{plan}", "--exercise", "2024-10-16", "--date", "2026-11-20"),
     2, "already evaluated on 2024-11-20"),
    (("record", "evaluation", "{plan}", "--exercise", "2024-10-16", "--incident", "x",
      "--date", "2026-11-20"), 2, "either the exercise"),
    (("record", "evaluation", "{plan}", "--incident", "2025-12-03", "--date", "2027-01-01"),
     2, "in the future"),
    (("record", "finding", "{plan}", "--exercise", "2026-10-14", "--text", "X", "--owner",
      "ordforeren", "--due", "2027-01-01"), 2, "not a role or a crisis staff"),
    (("record", "finding", "{plan}", "--exercise", "2026-10-14", "--text", " ", "--owner",
      "krisestab", "--due", "2027-01-01"), 2, "nothing was given for the text"),
    (("close", "finding", "{plan}", "funn-2026-1", "--date", "2026-11-20"), 2,
     "already closed on 2026-08-27"),
    (("close", "finding", "{plan}", "funn-2099-1", "--date", "2026-11-20"), 2,
     "no finding 'funn-2099-1'"),
    (("close", "finding", "{plan}", "funn-2026-2", "--date", "2026-04-01"), 2,
     "before its exercise took place"),
    (("record", "revision", "{plan}", "--summary", "X", "--by", "nobody"), 2,
     "not a role of this plan"),
    (("record", "submission", "{plan}", "--to", "Statsforvalteren", "--date", "2025-01-01"), 2,
     "before the first approval"),
    (("record", "exercise", "{plan}", "--date", "01.11.2026", "--title", "X", "--type",
      "tabletop"), 2, "YYYY-MM-DD"),
    (("verify", "{plan}", "tone-bakkken"), 2, "did you mean tone-bakken"),
    (("verify", "{plan}"), 2, "--all"),
    (("verify", "{plan}", "--all", "--date", "2026-12-24"), 2, "in the future"),
    # a change that would make the plan invalid: a classification marking in the title
    (("record", "exercise", "{plan}", "--date", "2026-11-01", "--title",
      "Øvelse etter HEMMELIG trusselvurdering", "--type", "tabletop"), 1,
      "new validation error"),
]


@pytest.mark.parametrize("args, code, fragment", REFUSED, ids=[
    "future", "type", "id-used", "bad-id", "level", "no-match", "not-an-exercise",
    "already-evaluated", "both", "future-evaluation", "owner", "empty-text",
    "already-closed", "no-finding", "closed-before-exercise", "revision-by",
    "submission-before-approval", "date-format", "verify-typo", "verify-nothing",
    "verify-future", "would-not-validate"])
def test_refused_changes_leave_every_file_alone(tmp_path, args, code, fragment):
    plan = copy_example(tmp_path, "fjellvik")
    before = tree_checksum(tmp_path / "plans")
    result = record(*(a.replace("{plan}", str(plan)) for a in args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_checksum(tmp_path / "plans") == before


def test_a_refused_invalid_change_names_the_error(fjellvik):
    result = record("record", "exercise", str(fjellvik), "--date", "2026-11-01", "--title",
                    "Øvelse etter HEMMELIG trusselvurdering", "--type", "tabletop")
    assert result.exit_code == 1
    assert "plan.yaml:" in result.stderr and "classified-marking" in result.stderr


def test_messages_in_the_users_language(fjellvik):
    result = run("--lang", "nb", "record", "exercise", str(fjellvik), "--date", "2026-12-01",
                 "--title", "X", "--type", "tabletop", "--today", TODAY)
    assert result.exit_code == 2
    assert "1. desember 2026" in result.stderr and "fremtiden" in result.stderr
    result = run("--lang", "da", "close", "finding", str(fjellvik), "funn-2026-2", "--date",
                 "2026-11-22", "--today", TODAY)
    assert result.exit_code == 0
    assert "22. november 2026" in result.stdout and "lukket" in result.stdout


# -- --dry-run ---------------------------------------------------------------------------------

def test_dry_run_prints_the_diff_and_writes_nothing(fjellvik):
    before = tree_checksum(fjellvik.parent)
    result = record("record", "exercise", str(fjellvik), "--date", "2026-11-12", "--title",
                    "Stabsøvelse – dambrudd", "--type", "tabletop", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert tree_checksum(fjellvik.parent) == before
    lines = result.stdout.splitlines()
    assert lines[0] == "--- a/" + str(fjellvik / "plan.yaml").lstrip("/") or \
        lines[0].startswith("--- a/") and lines[0].endswith("plan.yaml")
    assert [l for l in lines if l.startswith("+") and not l.startswith("+++")] == [
        "+  - date: 2026-11-12", "+    title: Stabsøvelse – dambrudd", "+    type: tabletop"]
    assert "nothing was written" in result.stdout
    verified = record("verify", str(fjellvik), "--all", "--dry-run")
    assert verified.exit_code == 0 and tree_checksum(fjellvik.parent) == before
    assert verified.stdout.count("+    verified: 2026-11-23") == 26


# -- verify ------------------------------------------------------------------------------------

def test_verify_named_entries_in_whichever_file_holds_them(bogelund):
    shared = bogelund.parent / "_shared" / "partnere.yaml"
    contacts = bogelund / "bilag-a-alarmeringsliste.yaml"
    partner = read_document(shared).data["partners"][0]["id"]
    person = read_document(contacts).data["people"][0]
    before = {p: p.read_text("utf-8") for p in (shared, contacts)}
    result = record("verify", str(bogelund), person["id"], partner, "--date", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "1 entry marked as checked on 2026-11-20" in result.stdout
    assert changed(before[contacts], contacts.read_text("utf-8")) == (
        [f"    verified: {person['verified']}"], ["    verified: 2026-11-20"])
    removed, added = changed(before[shared], shared.read_text("utf-8"))
    assert added == ["    verified: 2026-11-20"] and len(removed) <= 1
    assert read_document(shared).data["partners"][0]["verified"] == "2026-11-20"
    clean(bogelund)


def test_verify_all_changes_a_file_level_date_and_the_entries_own(fjellvik):
    files = sorted(fjellvik.glob("vedlegg-*.yaml"))
    before = {p: p.read_text("utf-8") for p in files}
    result = record("verify", str(fjellvik), "--all")
    assert result.exit_code == 0, result.stderr
    resources = fjellvik / "vedlegg-b-ressursoversikt.yaml"
    assert changed(before[resources], resources.read_text("utf-8")) == (
        ["verified: 2026-10-02"], [f"verified: {TODAY}"])
    contacts = fjellvik / "vedlegg-a-varslingsliste.yaml"
    removed, added = changed(before[contacts], contacts.read_text("utf-8"))
    assert len(added) == 26 and set(added) == {f"    verified: {TODAY}"}
    assert all(line.strip().startswith("verified: 2026-") for line in removed)
    for path in files:
        if "vedlegg-c" in path.name or "vedlegg-e" in path.name:
            assert path.read_text("utf-8") == before[path]
    clean(fjellvik)
    rows = run("due", str(fjellvik), "--today", TODAY, "--format", "json", "--fail-on", "none")
    checks = [r for r in rows.findings if r["what"] == "verify"]
    assert checks and {r["last_done"] for r in checks} == {TODAY}
    again = record("verify", str(fjellvik), "--all")
    assert again.exit_code == 0 and "nothing to change" in again.stdout


def test_verify_leaves_an_entry_checked_later_alone(fjellvik):
    contacts = fjellvik / "vedlegg-a-varslingsliste.yaml"
    before = contacts.read_text("utf-8")
    result = record("verify", str(fjellvik), "ingrid-solberg", "--date", "2026-09-01")
    assert result.exit_code == 0
    assert "checked later than 2026-09-01" in result.stdout
    assert contacts.read_text("utf-8") == before


def test_verify_adds_the_date_to_an_entry_without_one(fjellvik):
    contacts = fjellvik / "vedlegg-a-varslingsliste.yaml"
    text = contacts.read_text("utf-8")
    contacts.write_text(text.replace("    clearance: {level: Konfidensielt, expires: 2029-06-30}\n"
                                     "    verified: 2026-09-15\n  - id: arne-haugland",
                                     "    clearance: {level: Konfidensielt, expires: 2029-06-30}\n"
                                     "  - id: arne-haugland", 1), "utf-8")
    before = contacts.read_text("utf-8")
    assert run("verify", str(fjellvik), "ingrid-solberg", "--today", TODAY).exit_code == 0
    after = contacts.read_text("utf-8")
    assert changed(before, after) == ([], [f"    verified: {TODAY}"])
    assert f"expires: 2029-06-30}}\n    verified: {TODAY}\n  - id: arne-haugland" in after


# -- files as people keep them ----------------------------------------------------------------

@pytest.mark.parametrize("form", ["crlf", "bom", "no-final-newline", "symlink"])
def test_record_and_verify_keep_the_file_as_it_was_written(fjellvik, form):
    files = [fjellvik / "plan.yaml", fjellvik / "vedlegg-a-varslingsliste.yaml"]
    raws = {}
    for path in files:
        raw = path.read_bytes()
        raw = {"crlf": raw.replace(b"\n", b"\r\n"), "bom": b"\xef\xbb\xbf" + raw,
               "no-final-newline": raw.rstrip(b"\n")}.get(form, raw)
        path.write_bytes(raw)
        raws[path] = raw
        if form == "symlink":
            kept = fjellvik.parent / "kept"
            kept.mkdir(exist_ok=True)
            path.rename(kept / path.name)
            path.symlink_to(f"../kept/{path.name}")
    assert record("record", "revision", str(fjellvik), "--summary", "Ny varslingsliste", "--by",
                  "beredskapskoordinator").exit_code == 0
    assert record("verify", str(fjellvik), "tone-bakken").exit_code == 0
    newline = b"\r\n" if form == "crlf" else b"\n"
    for path, raw in raws.items():
        after = path.read_bytes()
        old, new = raw.split(newline), after.split(newline)
        assert len([line for line in new if line not in old]) == 1
        assert after.startswith(b"\xef\xbb\xbf") == (form == "bom")
        assert after.endswith(b"\n") == (form != "no-final-newline")
        if form == "crlf":
            assert b"\n" not in after.replace(b"\r\n", b"")
        if form == "symlink":
            assert path.is_symlink()
    clean(fjellvik)


# -- runs at the same time ---------------------------------------------------------------------

def test_eight_runs_at_once_on_one_plan_lose_nothing(fjellvik):
    beredskap = [sys.executable, "-m", "beredskapsplan"]
    commands = []
    for n in range(3):
        commands.append(["approve", str(fjellvik), "--date", "2026-11-20", "--by",
                         "Kommunestyret", "--case", f"26/{n}"])
        commands.append(["record", "revision", str(fjellvik), "--summary", f"Revisjon {n}",
                         "--by", "beredskapskoordinator"])
    commands.append(["record", "finding", str(fjellvik), "--exercise", "2026-10-14", "--text",
                     "Samtidig funn", "--owner", "krisestab", "--due", "2027-01-01"])
    commands.append(["verify", str(fjellvik), "tone-bakken"])
    runs = [subprocess.Popen([*beredskap, *c, "--today", TODAY], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for c in commands]
    outcomes = []
    for process in runs:
        out, err = process.communicate(timeout=300)
        outcomes.append((process.returncode, err.decode()))
    assert [code for code, _err in outcomes] == [0] * len(commands), outcomes
    plan = data(fjellvik)
    assert len(commands) == 8
    assert sorted(a.get("case") for a in plan["approvals"][1:]) == [f"26/{n}" for n in range(3)]
    assert {f"Revisjon {n}" for n in range(3)} <= {r["summary"] for r in plan["revisions"]}
    assert [f["text"] for f in plan["exercises"][-1]["findings"]][-1] == "Samtidig funn"
    clean(fjellvik)
