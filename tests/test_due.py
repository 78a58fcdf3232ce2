"""`beredskap due`: every deadline, its date, status and source.

Each test copies a small base plan from fixtures/due/ (`no-base`: Norwegian,
`dk-base`: Danish) into a temporary folder, edits a line or two of its YAML to
make one case, and reads `beredskap due --format json`. With today 2026-11-23
both base plans have only "ok" deadlines.

Every row of every run must name the source of its rule (`rows()` checks).
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from beredskapsplan.dates import add, parse_duration
from beredskapsplan.digest import digest, substantive_digest
from beredskapsplan.documents import read_document
from conftest import FIXTURES, TODAY, run

BASES = FIXTURES / "due"
NO_REVISION = "forskrift om kommunal beredskapsplikt § 6"
NO_EXERCISE = "forskrift om kommunal beredskapsplikt § 7"
NO_EVALUATION = "forskrift om kommunal beredskapsplikt § 8"
DK_APPROVAL = "beredskabsloven § 25, stk. 1 og 3"
DK_SUBMISSION = "beredskabsloven § 25, stk. 4"
DK_HEALTH = "sundhedsloven § 210"


# -- building cases ---------------------------------------------------------

def base_plan(tmp_path: Path, base: str, name: str | None = None) -> Path:
    """A copy of fixtures/due/BASE in a fresh repository under tmp_path."""
    (tmp_path / ".git").mkdir(exist_ok=True)
    return Path(shutil.copytree(BASES / base, tmp_path / (name or base)))


def replace(path: Path, old: str, new: str) -> None:
    """Replace text that occurs exactly once in the file."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")


def set_field(path: Path, entry_id: str, key: str, value: str | None) -> None:
    """Set `key: value` of the block entry `id: ENTRY_ID` (None removes the key)."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines)
                 if re.fullmatch(rf"\s*(- )?id: {re.escape(entry_id)}\s*", line))
    column = lines[start].index("id:")
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip(" ")) < column),
               len(lines))
    at = [i for i in range(start + 1, end) if lines[i].startswith(" " * column + f"{key}:")]
    if at and value is None:
        del lines[at[0]]
    elif at:
        lines[at[0]] = f"{' ' * column}{key}: {value}\n"
    else:
        assert value is not None, f"{entry_id} has no {key}"
        lines.insert(end, f"{' ' * column}{key}: {value}\n")
    path.write_text("".join(lines), "utf-8")


def drop(path: Path, key: str) -> None:
    """Remove a top-level key and everything indented under it."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith((" ", "\n")):
        end += 1
    del lines[start:end]
    path.write_text("".join(lines), "utf-8")


def add_policy(plan: Path, **values: str) -> None:
    """Give plan.yaml a `policy:` block (before `levels:`)."""
    block = "".join(f"  {k}: {v}\n" for k, v in values.items())
    replace(plan / "plan.yaml", "\nlevels:\n", f"\npolicy:\n{block}levels:\n")


def add_approval(plan: Path, line: str) -> None:
    """Add an approvals list with one flow-style entry to a plan that has none."""
    replace(plan / "plan.yaml", "\nrevisions:\n", f"\napprovals:\n  - {line}\nrevisions:\n")


# The edits a table row applies, each readable on its own.
def R(file, old, new):  # noqa: N802 - short names keep the tables readable
    return lambda p: replace(p / file, old, new)


def S(file, entry, key, value):  # noqa: N802
    return lambda p: set_field(p / file, entry, key, value)


def D(file, key):  # noqa: N802
    return lambda p: drop(p / file, key)


def P(**values):  # noqa: N802
    return lambda p: add_policy(p, **values)


# -- running ----------------------------------------------------------------

def due(*args: str, cwd: Path | None = None):
    return run("due", *args, cwd=cwd)


def rows(*paths: Path, today: str = TODAY, extra: tuple = ()) -> list[dict]:
    """The JSON rows of `beredskap due`; every row must carry a source."""
    result = due(*map(str, paths), "--today", today, "--format", "json", "--fail-on", "none",
                 *extra)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    for row in data:
        assert isinstance(row["source"], str) and row["source"].strip(), row
    return data


def select(data: list[dict], what: str, subject_id: str | None = None) -> list[dict]:
    return [r for r in data if r["what"] == what
            and (subject_id is None or r["subject_id"] == subject_id)]


def one(data: list[dict], what: str, subject_id: str) -> dict:
    found = select(data, what, subject_id)
    assert len(found) == 1, (what, subject_id, [(r["what"], r["subject_id"]) for r in data])
    return found[0]


def statuses(data: list[dict]) -> set[str]:
    return {r["status"] for r in data}


# -- the base plans ---------------------------------------------------------

@pytest.mark.parametrize("base", ["no-base", "dk-base"])
def test_base_plans_are_valid_and_all_ok(tmp_path, base):
    plan = base_plan(tmp_path, base)
    checked = run("validate", str(plan), "--today", TODAY, "--format", "json")
    assert checked.exit_code == 0, checked.stdout
    assert [f for f in checked.findings if f["severity"] != "info"] == []
    data = rows(plan)
    assert len(data) >= 12
    assert statuses(data) == {"ok"}
    assert all(r["due"] > TODAY for r in data)


# -- one row per obligation: (base, edits, what, subject_id, due, status, source) --

PLAN = "plan.yaml"
NO_CONTACTS, NO_RESOURCES, NO_REGISTER, NO_PARTNERS = (
    "varslingsliste.yaml", "ressurser.yaml", "delplaner.yaml", "partnere.yaml")
NO_CARD = "tiltakskort/varsle-kriseledelsen.yaml"
DK_CONTACTS, DK_RESOURCES, DK_REGISTER, DK_PARTNERS = (
    "bilag-a-alarmering.yaml", "bilag-b-ressourcer.yaml", "bilag-c-planer.yaml",
    "bilag-d-partnere.yaml")
DK_CARD = "actioncards/indkald-krisestab.yaml"
NO_REVISED = "{date: 2026-06-01, summary: Årlig revisjon"
DK_APPROVED = '{date: 2025-10-08, by: Kommunalbestyrelsen, case: "25/2000"}'

CASES = [
    # plan revision: Norway yearly from the last revision (forskrift § 6)
    pytest.param("no-base", [], "revise", "plan", "2027-06-01", "ok", NO_REVISION,
                 id="no-revise-ok"),
    pytest.param("no-base", [R(PLAN, NO_REVISED, "{date: 2025-11-01, summary: Årlig revisjon")],
                 "revise", "plan", "2026-11-01", "overdue", NO_REVISION, id="no-revise-overdue"),
    pytest.param("no-base", [D(PLAN, "revisions")], "revise", "plan", None, "never",
                 NO_REVISION, id="no-revise-never"),
    # Denmark: no revision row of its own, unless the plan's policy asks for one
    pytest.param("dk-base", [P(revise_every="P1Y")], "revise", "plan", "2026-10-10", "overdue",
                 "plan policy", id="dk-revise-policy"),
    # council approval: Denmark once per valgperiode (beredskabsloven § 25)
    pytest.param("dk-base", [], "approve", "plan", "2029-12-31", "ok", DK_APPROVAL,
                 id="dk-approve-vallensbaek-2025-10-08"),
    pytest.param("dk-base", [R(PLAN, DK_APPROVED, "{date: 2025-12-31, by: Kommunalbestyrelsen}")],
                 "approve", "plan", "2029-12-31", "ok", DK_APPROVAL, id="dk-approve-2025-12-31"),
    pytest.param("dk-base", [R(PLAN, DK_APPROVED, "{date: 2026-01-01, by: Kommunalbestyrelsen}")],
                 "approve", "plan", "2033-12-31", "ok", DK_APPROVAL, id="dk-approve-2026-01-01"),
    pytest.param("dk-base", [R(PLAN, DK_APPROVED, "{date: 2021-06-01, by: Kommunalbestyrelsen}")],
                 "approve", "plan", "2025-12-31", "overdue", DK_APPROVAL, id="dk-approve-overdue"),
    pytest.param("dk-base", [D(PLAN, "approvals"), D(PLAN, "submissions")], "approve", "plan",
                 None, "never", DK_APPROVAL, id="dk-approve-never"),
    pytest.param("dk-base", [P(approve_every="P1Y")], "approve", "plan", "2026-10-08", "overdue",
                 "plan policy", id="dk-approve-policy-stricter"),
    # Norway: no approval row unless the plan's policy sets an interval
    pytest.param("no-base", [P(approve_every="P4Y"),
                             lambda p: add_approval(p, "{date: 2024-06-12, by: Kommunestyret}")],
                 "approve", "plan", "2028-06-12", "ok", "plan policy", id="no-approve-policy"),
    pytest.param("no-base", [P(approve_every="P4Y")], "approve", "plan", None, "never",
                 "plan policy", id="no-approve-policy-never"),
    # submission: Denmark, one month after an approval without a later submission
    pytest.param("dk-base", [D(PLAN, "submissions")], "submit", "approval-2025-10-08",
                 "2025-11-08", "overdue", DK_SUBMISSION, id="dk-submit-missing"),
    pytest.param("dk-base", [D(PLAN, "submissions"),
                             R(PLAN, DK_APPROVED, "{date: 2026-11-10, by: Kommunalbestyrelsen}")],
                 "submit", "approval-2026-11-10", "2026-12-10", "soon", DK_SUBMISSION,
                 id="dk-submit-soon"),
    pytest.param("dk-base", [R(PLAN, "to: Styrelsen for Samfundssikkerhed", "to: Statsforvalteren")],
                 "submit", "approval-2025-10-08", "2025-11-08", "overdue", DK_SUBMISSION,
                 id="dk-submit-wrong-recipient"),
    # exercise: Norway every second year by law (forskrift § 7)
    pytest.param("no-base", [], "exercise", "plan", "2028-04-20", "ok", NO_EXERCISE,
                 id="no-exercise-ok"),
    pytest.param("no-base", [R(PLAN, "  - date: 2026-04-20", "  - date: 2024-11-01")],
                 "exercise", "plan", "2026-11-01", "overdue", NO_EXERCISE,
                 id="no-exercise-overdue"),
    pytest.param("no-base", [D(PLAN, "exercises")], "exercise", "plan", None, "never",
                 NO_EXERCISE, id="no-exercise-never"),
    # Denmark: no legal interval, the tool recommends P2Y
    pytest.param("dk-base", [], "exercise", "plan", "2028-03-10", "ok", "anbefaling",
                 id="dk-exercise-recommendation"),
    pytest.param("dk-base", [R(PLAN, "  - date: 2026-03-10", "  - date: 2024-09-01")],
                 "exercise", "plan", "2026-09-01", "overdue", "default", id="dk-exercise-overdue"),
    pytest.param("dk-base", [D(PLAN, "exercises")], "exercise", "plan", None, "never",
                 "default", id="dk-exercise-never"),
    # evaluation within P3M of an exercise or incident (default)
    pytest.param("no-base", [R(PLAN, "evaluated: 2026-05-15", "evaluated: null")],
                 "evaluate", "exercise-2026-04-20", "2026-07-20", "overdue", NO_EVALUATION,
                 id="no-evaluate-exercise"),
    pytest.param("no-base", [R(PLAN, "evaluated: 2026-03-01", "evaluated: null")],
                 "evaluate", "incident-2026-02-03", "2026-05-03", "overdue", NO_EVALUATION,
                 id="no-evaluate-incident-overdue"),
    pytest.param("no-base", [R(PLAN, "evaluated: 2026-03-01", "evaluated: null"),
                             R(PLAN, "  - date: 2026-02-03", "  - date: 2026-09-10")],
                 "evaluate", "incident-2026-09-10", "2026-12-10", "soon", NO_EVALUATION,
                 id="no-evaluate-incident-soon"),
    pytest.param("no-base", [R(PLAN, "evaluated: 2026-03-01", "evaluated: null"),
                             R(PLAN, "  - date: 2026-02-03", "  - date: 2026-11-01")],
                 "evaluate", "incident-2026-11-01", "2027-02-01", "ok", NO_EVALUATION,
                 id="no-evaluate-incident-not-yet"),
    pytest.param("dk-base", [R(PLAN, "evaluated: 2026-04-07", "evaluated: null")],
                 "evaluate", "exercise-2026-03-10", "2026-06-10", "overdue", "beredskap default",
                 id="dk-evaluate-exercise"),
    pytest.param("dk-base", [R(PLAN, "evaluated: 2026-02-20", "evaluated: null")],
                 "evaluate", "incident-2026-01-15", "2026-04-15", "overdue", "beredskap default",
                 id="dk-evaluate-incident"),
    pytest.param("dk-base", [P(evaluate_within="P1M"),
                             R(PLAN, "evaluated: 2026-02-20", "evaluated: null")],
                 "evaluate", "incident-2026-01-15", "2026-02-15", "overdue", "plan policy",
                 id="dk-evaluate-policy"),
    # risk analysis review: Norway P4Y default; Denmark only with an interval of its own
    pytest.param("no-base", [], "risk-review", "risk-analysis", "2029-09-01", "ok",
                 "sivilbeskyttelsesloven § 14", id="no-risk-default"),
    pytest.param("no-base", [R(PLAN, "  date: 2025-09-01\n", "  date: 2025-09-01\n  review_every: P1Y\n")],
                 "risk-review", "risk-analysis", "2026-09-01", "overdue", "plan policy",
                 id="no-risk-own-interval"),
    pytest.param("no-base", [D(PLAN, "risk_analysis")], "risk-review", "risk-analysis", None,
                 "never", "sivilbeskyttelsesloven § 14", id="no-risk-never"),
    pytest.param("dk-base", [R(PLAN, "  date: 2025-05-01\n", "  date: 2025-05-01\n  review_every: P4Y\n")],
                 "risk-review", "risk-analysis", "2029-05-01", "ok", "plan policy",
                 id="dk-risk-own-interval"),
    # contact verification: person, resource, partner, and the file-level default (P6M)
    pytest.param("no-base", [], "verify", "person-kari-eksempel", "2027-03-15", "ok",
                 "beredskap default", id="no-verify-person"),
    pytest.param("no-base", [S(NO_CONTACTS, "kari-eksempel", "verified", "2026-05-01")],
                 "verify", "person-kari-eksempel", "2026-11-01", "overdue", "beredskap default",
                 id="no-verify-person-overdue"),
    pytest.param("no-base", [R(NO_CONTACTS, "\nverified: 2026-10-01\n", "\nverified: 2026-06-10\n")],
                 "verify", "person-ingrid-prove", "2026-12-10", "soon", "beredskap default",
                 id="no-verify-file-level-default"),
    pytest.param("no-base", [S(NO_RESOURCES, "aggregat", "verified", "2026-04-30")],
                 "verify", "resource-aggregat", "2026-10-30", "overdue", "beredskap default",
                 id="no-verify-resource"),
    pytest.param("no-base", [S(NO_RESOURCES, "aggregat", "verified", None)],
                 "verify", "resource-aggregat", None, "never", "beredskap default",
                 id="no-verify-resource-never"),
    pytest.param("no-base", [], "verify", "partner-vannverk", "2027-04-15", "ok",
                 "beredskap default", id="no-verify-partner"),
    pytest.param("no-base", [P(contacts_verify_every="P3M")], "verify", "partner-vannverk",
                 "2027-01-15", "ok", "plan policy", id="no-verify-policy"),
    pytest.param("dk-base", [], "verify", "person-anna-eksempel", "2027-04-01", "ok",
                 "beredskap default", id="dk-verify-file-level-default"),
    pytest.param("dk-base", [], "verify", "person-dorte-proevesen", "2027-05-02", "ok",
                 "beredskap default", id="dk-verify-person"),
    pytest.param("dk-base", [S(DK_RESOURCES, "noedstroem", "verified", "2026-06-01")],
                 "verify", "resource-noedstroem", "2026-12-01", "soon", "beredskap default",
                 id="dk-verify-resource"),
    pytest.param("dk-base", [S(DK_PARTNERS, "forsyning", "verified", "2025-10-15")],
                 "verify", "partner-forsyning", "2026-04-15", "overdue", "beredskap default",
                 id="dk-verify-partner"),
    # security clearance of holders of clearance_required roles
    pytest.param("no-base", [], "clearance", "clearance-nils-prove", "2028-12-31", "ok",
                 "clearance_required", id="no-clearance-ok"),
    pytest.param("no-base", [R(NO_CONTACTS, "expires: 2028-12-31", "expires: 2026-10-31")],
                 "clearance", "clearance-nils-prove", "2026-10-31", "overdue",
                 "clearance_required", id="no-clearance-expired"),
    pytest.param("no-base", [S(NO_CONTACTS, "ingrid-prove", "clearance", None)],
                 "clearance", "clearance-ingrid-prove", None, "never", "clearance_required",
                 id="no-clearance-missing"),
    pytest.param("dk-base", [R(DK_CONTACTS, "expires: 2029-12-31", "expires: 2026-12-20")],
                 "clearance", "clearance-anna-eksempel", "2026-12-20", "soon",
                 "clearance_required", id="dk-clearance-soon"),
    # action card review: the card's review_every, else the default P1Y
    pytest.param("no-base", [], "card-review", "card-varsle-kriseledelsen", "2027-06-01", "ok",
                 "beredskap default", id="no-card-default"),
    pytest.param("no-base", [S(NO_CARD, "varsle-kriseledelsen", "review_every", "P6M")],
                 "card-review", "card-varsle-kriseledelsen", "2026-12-01", "soon", "plan policy",
                 id="no-card-own-interval"),
    pytest.param("no-base", [P(cards_review_every="P3M"),
                             S(NO_CARD, "varsle-kriseledelsen", "review_every", "P2Y")],
                 "card-review", "card-varsle-kriseledelsen", "2028-06-01", "ok", "plan policy",
                 id="no-card-own-interval-beats-policy"),
    pytest.param("dk-base", [S(DK_CARD, "indkald-krisestab", "reviewed", "2025-11-01")],
                 "card-review", "card-indkald-krisestab", "2026-11-01", "overdue",
                 "beredskap default", id="dk-card-overdue"),
    pytest.param("dk-base", [S(DK_CARD, "indkald-krisestab", "reviewed", None)],
                 "card-review", "card-indkald-krisestab", None, "never", "beredskap default",
                 id="dk-card-never"),
    # sub-plan review from the plan register
    pytest.param("no-base", [], "subplan-review", "subplan-helseberedskapsplan", "2027-03-01",
                 "ok", "helseberedskapsloven § 2-2", id="no-subplan-health"),
    pytest.param("no-base", [S(NO_REGISTER, "helseberedskapsplan", "last_revised", "2025-09-01")],
                 "subplan-review", "subplan-helseberedskapsplan", "2026-09-01", "overdue",
                 "review_every", id="no-subplan-overdue"),
    pytest.param("dk-base", [], "subplan-review", "subplan-it-beredskabsplan", "2027-06-01", "ok",
                 "review_every", id="dk-subplan-review-every"),
    pytest.param("dk-base", [], "subplan-review", "subplan-sundhedsberedskabsplan", "2033-12-31",
                 "ok", DK_HEALTH, id="dk-subplan-health-valgperiode"),
    pytest.param("dk-base", [S(DK_REGISTER, "sundhedsberedskabsplan", "last_revised", "2021-03-01")],
                 "subplan-review", "subplan-sundhedsberedskabsplan", "2025-12-31", "overdue",
                 DK_HEALTH, id="dk-subplan-health-overdue"),
    # partner agreement expiry
    pytest.param("no-base", [], "agreement", "agreement-vannverk", "2028-12-31", "ok",
                 "agreement", id="no-agreement-ok"),
    pytest.param("dk-base", [R(DK_PARTNERS, "expires: 2027-12-31", "expires: 2026-06-30")],
                 "agreement", "agreement-forsyning", "2026-06-30", "overdue", "agreement",
                 id="dk-agreement-expired"),
    # open exercise findings
    pytest.param("no-base", [R(PLAN, "closed: 2026-08-20", "closed: null")],
                 "finding", "finding-f-2026-1", "2027-03-01", "ok", "Stabsøvelse",
                 id="no-finding-open"),
    pytest.param("dk-base", [R(PLAN, "closed: 2026-05-20", "closed: null"),
                             R(PLAN, "due: 2027-01-31", "due: 2026-09-01")],
                 "finding", "finding-f-2026-1", "2026-09-01", "overdue", "Stabsøvelse",
                 id="dk-finding-open-overdue"),
]


@pytest.mark.parametrize("base, edits, what, subject_id, due_date, status, source", CASES)
def test_obligation(tmp_path, base, edits, what, subject_id, due_date, status, source):
    plan = base_plan(tmp_path, base)
    for edit in edits:
        edit(plan)
    row = one(rows(plan), what, subject_id)
    assert row["status"] == status
    assert source in row["source"]
    if due_date is not None:
        assert row["due"] == due_date
    else:
        assert row["last_done"] is None
    assert row["plan_id"] == ("overordnet-beredskapsplan" if base == "no-base"
                              else "hovedberedskabsplan")


# -- rows that must not be there ----------------------------------------------

ABSENT = [
    pytest.param("dk-base", [], "revise", id="dk-no-revision-row"),
    pytest.param("no-base", [], "approve", id="no-no-approval-row"),
    pytest.param("no-base", [lambda p: add_approval(p, "{date: 2026-09-01, by: Kommunestyret}")],
                 "approve", id="no-approved-no-approval-row"),
    pytest.param("no-base", [lambda p: add_approval(p, "{date: 2026-09-01, by: Kommunestyret}")],
                 "submit", id="no-no-submission-row"),
    pytest.param("dk-base", [], "submit", id="dk-submitted"),
    pytest.param("dk-base", [R(PLAN, "to: Styrelsen for Samfundssikkerhed", "to: Beredskabsstyrelsen")],
                 "submit", id="dk-submitted-to-old-name"),
    pytest.param("dk-base", [D(PLAN, "approvals"), D(PLAN, "submissions")], "submit",
                 id="dk-never-approved-nothing-to-submit"),
    pytest.param("dk-base", [], "risk-review", id="dk-no-risk-row"),
    pytest.param("no-base", [], "evaluate", id="no-all-evaluated"),
    pytest.param("dk-base", [], "evaluate", id="dk-all-evaluated"),
    pytest.param("no-base", [], "finding", id="no-closed-finding"),
    pytest.param("dk-base", [], "finding", id="dk-closed-finding"),
    pytest.param("no-base", [], "reapprove", id="no-never-approved-no-reapproval"),
    pytest.param("dk-base", [R(PLAN, "body: Krisestaben fører log", "body: Staben fører log")],
                 "reapprove", id="dk-approval-without-digest-no-reapproval"),
]


@pytest.mark.parametrize("base, edits, what", ABSENT)
def test_no_row(tmp_path, base, edits, what):
    plan = base_plan(tmp_path, base)
    for edit in edits:
        edit(plan)
    data = rows(plan)
    assert data, "the plan has other deadlines"
    assert select(data, what) == []


def test_clearance_rows_only_for_clearance_required_roles(tmp_path):
    data = rows(base_plan(tmp_path, "no-base"))
    assert {r["subject_id"] for r in select(data, "clearance")} == {
        "clearance-ingrid-prove", "clearance-nils-prove"}


def test_responsible_is_role_and_primary_holder(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    replace(plan / PLAN, "closed: 2026-08-20", "closed: null")
    data = rows(plan)
    revise = one(data, "revise", "plan")
    assert (revise["responsible_role"], revise["responsible_name"]) == (
        "Beredskapskoordinator", "Liv Testesen")
    subplan = one(data, "subplan-review", "subplan-helseberedskapsplan")
    assert (subplan["responsible_role"], subplan["responsible_name"]) == (
        "Kommunedirektør", "Kari Eksempel")
    # a finding owned by a staff: its lead's role and holder
    finding = one(data, "finding", "finding-f-2026-1")
    assert (finding["responsible_role"], finding["responsible_name"]) == ("Ordfører", "Ingrid Prøve")


def test_rows_point_at_their_file_and_line(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    data = rows(plan)
    kari = one(data, "verify", "person-kari-eksempel")
    assert kari["path"].endswith("varslingsliste.yaml")
    line = (plan / NO_CONTACTS).read_text("utf-8").splitlines()[kari["line"] - 1]
    assert "verified: 2026-09-15" in line
    ingrid = one(data, "verify", "person-ingrid-prove")  # from the file-level default
    line = (plan / NO_CONTACTS).read_text("utf-8").splitlines()[ingrid["line"] - 1]
    assert line == "verified: 2026-10-01"


def test_sorted_never_and_overdue_first_then_by_date(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    D(PLAN, "exercises")(plan)
    S(NO_CONTACTS, "kari-eksempel", "verified", "2026-03-01")(plan)
    data = rows(plan)
    urgent = [r for r in data if r["status"] in ("never", "overdue")]
    assert data[:len(urgent)] == urgent and len(urgent) == 2
    rest = data[len(urgent):]
    assert [r["due"] for r in rest] == sorted(r["due"] for r in rest)


# -- re-approval after a substantive change (DESIGN 3.3) ----------------------

def approve_current_content(plan: Path, approval_date: str, by: str) -> None:
    """Record an approval of plan.yaml as it is now, with both digests."""
    data = read_document(plan / PLAN).data
    entry = (f'{{date: {approval_date}, by: {by}, digest: "{digest(data)}", '
             f'substantive_digest: "{substantive_digest(data)}"}}')
    text = (plan / PLAN).read_text("utf-8")
    if "\napprovals:\n" in text:
        drop(plan / PLAN, "approvals")
    add_approval(plan, entry)
    assert digest(read_document(plan / PLAN).data) == digest(data)  # history is not content


REAPPROVAL = {
    "no-base": ("2026-09-01", "Kommunestyret", "sivilbeskyttelsesloven § 15",
                "body: Kommunikasjonen bygger på", "body: Krisekommunikasjonen bygger på",
                '"26/0100"'),
    "dk-base": ("2025-10-08", "Kommunalbestyrelsen", "beredskabsloven § 25",
                "body: Krisestaben fører log", "body: Krisestyringsstaben fører log",
                '"25/2000"'),
}


@pytest.mark.parametrize("base", sorted(REAPPROVAL))
def test_reapproval_after_section_change(tmp_path, base):
    approved, by, citation, old_text, new_text, _ = REAPPROVAL[base]
    plan = base_plan(tmp_path, base)
    approve_current_content(plan, approved, by)
    assert select(rows(plan), "reapprove") == []
    checked = run("validate", str(plan), "--today", TODAY, "--format", "json")
    assert not [f for f in checked.findings if f["rule"] == "approval-status"]

    replace(plan / PLAN, old_text, new_text)
    replace(plan / PLAN, "\nrevisions:\n",
            "\nrevisions:\n  - {date: 2026-11-02, summary: Afsnit omskrevet, by: "
            f"{'beredskapskoordinator' if base == 'no-base' else 'beredskabskoordinator'}}}\n")
    row = one(rows(plan), "reapprove", "plan")
    assert row["due"] == "2027-02-02"  # three months after the change was recorded
    assert row["status"] == "ok"
    assert row["last_done"] == approved
    assert citation in row["source"]


@pytest.mark.parametrize("base", sorted(REAPPROVAL))
def test_reapproval_after_role_change_without_revision(tmp_path, base):
    """No revision records when the change was made: three months from the approval."""
    approved, by, *_ = REAPPROVAL[base]
    plan = base_plan(tmp_path, base)
    if base == "dk-base":  # date the base plan's only revision before the approval
        replace(plan / PLAN, "{date: 2025-10-10, summary: Godkendt",
                "{date: 2025-09-10, summary: Godkendt")
    approve_current_content(plan, approved, by)
    holders = ("holders: [ingrid-prove, nils-prove]", "holders: [nils-prove, ingrid-prove]") \
        if base == "no-base" else ("holders: [anna-eksempel, bo-eksempel]",
                                   "holders: [bo-eksempel, anna-eksempel]")
    replace(plan / PLAN, *holders)
    row = one(rows(plan), "reapprove", "plan")
    expected = add(date.fromisoformat(approved), parse_duration("P3M")).isoformat()
    assert (row["due"], row["last_done"]) == (expected, approved)


@pytest.mark.parametrize("base", sorted(REAPPROVAL))
def test_no_reapproval_when_only_case_number_changed(tmp_path, base):
    approved, by, *_, case = REAPPROVAL[base]
    plan = base_plan(tmp_path, base)
    approve_current_content(plan, approved, by)
    replace(plan / PLAN, f"case_number: {case}", 'case_number: "27/0001"')
    data = read_document(plan / PLAN).data
    assert digest(data) not in (plan / PLAN).read_text("utf-8")  # the plan did change
    assert select(rows(plan), "reapprove") == []


# -- statuses -----------------------------------------------------------------

BOUNDARIES = [  # last NO revision -> status of the revision row on 2026-11-23
    ("2025-11-22", (), "overdue"),
    ("2025-11-23", (), "soon"),  # due today: not yet late
    ("2025-12-23", (), "soon"),  # due exactly one month ahead
    ("2025-12-24", (), "ok"),
    ("2026-02-20", (), "ok"),
    ("2026-02-20", ("--within", "P3M"), "soon"),
    ("2026-02-24", ("--within", "P3M"), "ok"),
    ("2025-11-30", ("--within", "P1W"), "soon"),
    ("2025-12-01", ("--within", "P1W"), "ok"),
]


@pytest.mark.parametrize("revised, extra, status", BOUNDARIES)
def test_status_boundaries(tmp_path, revised, extra, status):
    plan = base_plan(tmp_path, "no-base")
    replace(plan / PLAN, NO_REVISED, f"{{date: {revised}, summary: Årlig revisjon")
    row = one(rows(plan, extra=extra), "revise", "plan")
    assert row["status"] == status


def mixed_plan(tmp_path: Path) -> Path:
    """No-base with one never, one overdue and one soon deadline; the rest ok."""
    plan = base_plan(tmp_path, "no-base")
    D(PLAN, "exercises")(plan)  # never exercised
    S(NO_CONTACTS, "kari-eksempel", "verified", "2026-03-01")(plan)  # overdue 2026-09-01
    replace(plan / NO_CONTACTS, "expires: 2028-12-31", "expires: 2026-12-01")  # soon
    return plan


def test_mixed_plan_statuses(tmp_path):
    data = rows(mixed_plan(tmp_path))
    assert one(data, "exercise", "plan")["status"] == "never"
    assert one(data, "verify", "person-kari-eksempel")["status"] == "overdue"
    assert one(data, "clearance", "clearance-nils-prove")["status"] == "soon"
    assert [r["status"] for r in data].count("ok") == len(data) - 3


@pytest.mark.parametrize("shown, expected", [
    ("overdue,soon", {"overdue", "soon"}),
    ("never", {"never"}),
    ("ok", {"ok"}),
    ("never,overdue,soon,ok", {"never", "overdue", "soon", "ok"}),
])
def test_status_filter(tmp_path, shown, expected):
    plan = mixed_plan(tmp_path)
    everything = rows(plan)
    data = rows(plan, extra=("--status", shown))
    assert statuses(data) == expected
    assert data == [r for r in everything if r["status"] in expected]


def test_unknown_status_is_a_usage_error(tmp_path):
    result = due(str(base_plan(tmp_path, "no-base")), "--today", TODAY, "--status", "late")
    assert result.exit_code == 2
    assert "late" in result.stderr


@pytest.mark.parametrize("case, fail_on, code", [
    ("clean", None, 0),
    ("overdue", None, 1),
    ("never", None, 1),  # never done counts as overdue
    ("soon", None, 0),
    ("overdue", ("--fail-on", "none"), 0),
    ("never", ("--fail-on", "none"), 0),
    ("soon", ("--fail-on", "soon"), 1),
    ("clean", ("--fail-on", "soon"), 0),
    ("never", ("--fail-on", "never"), 1),
    ("overdue", ("--fail-on", "never"), 0),
    pytest.param("overdue", ("--fail-on", "soon"), 1),
    pytest.param("never", ("--fail-on", "soon"), 1),
])
def test_fail_on(tmp_path, case, fail_on, code):
    plan = base_plan(tmp_path, "no-base")
    if case == "overdue":
        S(NO_CONTACTS, "kari-eksempel", "verified", "2026-03-01")(plan)
    elif case == "never":
        D(PLAN, "exercises")(plan)
    elif case == "soon":
        replace(plan / NO_CONTACTS, "expires: 2028-12-31", "expires: 2026-12-01")
    result = due(str(plan), "--today", TODAY, "--format", "json", *(fail_on or ()))
    assert result.exit_code == code
    found = statuses(json.loads(result.stdout))
    assert {"clean": {"ok"}, "overdue": {"ok", "overdue"}, "never": {"ok", "never"},
            "soon": {"ok", "soon"}}[case] == found


# -- the valgperiode boundary through the command line -------------------------

@pytest.mark.parametrize("approved, expected", [
    ("2025-10-08", "2029-12-31"),  # Vallensbæk's approval
    ("2025-11-18", "2029-12-31"),  # election day: the old council still sits
    ("2025-12-31", "2029-12-31"),
    ("2026-01-01", "2033-12-31"),
    ("2026-11-23", "2033-12-31"),
    ("2022-01-01", "2029-12-31"),
    ("2021-12-31", "2025-12-31"),
])
def test_valgperiode_boundary(tmp_path, approved, expected):
    plan = base_plan(tmp_path, "dk-base")
    replace(plan / PLAN, DK_APPROVED, f"{{date: {approved}, by: Kommunalbestyrelsen}}")
    row = one(rows(plan), "approve", "plan")
    assert row["due"] == expected
    assert row["last_done"] == approved
    assert row["status"] == ("overdue" if expected < TODAY else "ok")
    assert row["source"] == DK_APPROVAL and row["basis"] == "law"


def test_latest_approval_counts(tmp_path):
    plan = base_plan(tmp_path, "dk-base")
    replace(plan / PLAN, DK_APPROVED,
            "{date: 2019-05-01, by: Kommunalbestyrelsen}\n  - " + DK_APPROVED)
    replace(plan / PLAN, "submissions:\n",
            "submissions:\n  - {date: 2019-05-10, to: Beredskabsstyrelsen}\n")
    data = rows(plan)
    assert one(data, "approve", "plan")["due"] == "2029-12-31"
    assert select(data, "submit") == []


def test_superseded_approval_needs_no_submission(tmp_path):
    plan = base_plan(tmp_path, "dk-base")
    replace(plan / PLAN, DK_APPROVED,
            "{date: 2022-03-01, by: Kommunalbestyrelsen}\n  - " + DK_APPROVED)
    assert select(rows(plan), "submit") == []


def test_submission_source_names_law_once_and_the_default(tmp_path):
    plan = base_plan(tmp_path, "dk-base")
    D(PLAN, "submissions")(plan)
    row = one(rows(plan), "submit", "approval-2025-10-08")
    assert row["source"].count(DK_SUBMISSION) == 1
    assert "default" in row["source"] and "within 1 month" in row["source"]  # words, not P1M


def test_dk_health_subplan_stricter_review_every(tmp_path):
    plan = base_plan(tmp_path, "dk-base")
    S(DK_REGISTER, "sundhedsberedskabsplan", "review_every", "P1Y")(plan)
    row = one(rows(plan), "subplan-review", "subplan-sundhedsberedskabsplan")
    assert row["due"] == "2027-01-20"


# -- 29 February ----------------------------------------------------------------

def test_leap_day_contact_plus_one_year(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    add_policy(plan, contacts_verify_every="P1Y")
    S(NO_CONTACTS, "kari-eksempel", "verified", "2024-02-29")(plan)
    row = one(rows(plan), "verify", "person-kari-eksempel")
    assert (row["due"], row["status"], row["source"]) == ("2025-02-28", "overdue", "plan policy")


def test_leap_day_card_plus_four_years(tmp_path):
    plan = base_plan(tmp_path, "dk-base")
    S(DK_CARD, "indkald-krisestab", "reviewed", "2024-02-29")(plan)
    S(DK_CARD, "indkald-krisestab", "review_every", "P4Y")(plan)
    row = one(rows(plan), "card-review", "card-indkald-krisestab")
    assert (row["due"], row["status"]) == ("2028-02-29", "ok")


# -- policy stricter and looser than the law -------------------------------------

def test_policy_stricter_than_law(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    add_policy(plan, exercise_every="P1Y")
    row = one(rows(plan), "exercise", "plan")
    assert (row["due"], row["source"], row["basis"]) == ("2027-04-20", "plan policy", "policy")
    checked = run("validate", str(plan), "--today", TODAY, "--format", "json")
    assert checked.exit_code == 0
    assert not [f for f in checked.findings if f["rule"] == "policy-too-loose"]


def test_policy_looser_than_law_is_ignored_and_reported(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    add_policy(plan, exercise_every="P3Y")
    row = one(rows(plan), "exercise", "plan")
    assert (row["due"], row["source"], row["basis"]) == ("2028-04-20", NO_EXERCISE, "law")
    checked = run("validate", str(plan), "--today", TODAY, "--format", "json")
    assert checked.exit_code == 1
    loose = [f for f in checked.findings if f["rule"] == "policy-too-loose"]
    assert len(loose) == 1 and loose[0]["severity"] == "error"
    assert "exercise_every" in loose[0]["message"]
    line = (plan / PLAN).read_text("utf-8").splitlines()[loose[0]["line"] - 1]
    assert "exercise_every: P3Y" in line


def test_looser_revision_policy_is_ignored(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    add_policy(plan, revise_every="P18M")
    row = one(rows(plan), "revise", "plan")
    assert (row["due"], row["source"]) == ("2027-06-01", NO_REVISION)


def test_dk_exercise_policy_may_be_longer_than_the_recommendation(tmp_path):
    plan = base_plan(tmp_path, "dk-base")
    add_policy(plan, exercise_every="P3Y")
    row = one(rows(plan), "exercise", "plan")
    assert (row["due"], row["source"]) == ("2029-03-10", "plan policy")
    checked = run("validate", str(plan), "--today", TODAY, "--format", "json")
    assert not [f for f in checked.findings if f["rule"] == "policy-too-loose"]


# -- output formats ---------------------------------------------------------------

def excel_rows(raw: bytes, delimiter: str) -> list[dict]:
    """A CSV file read as Excel reads it: UTF-8 after the byte-order mark, cells split on
    the delimiter of the locale."""
    assert raw.startswith(b"\xef\xbb\xbf"), "without the BOM Excel reads UTF-8 as ANSI"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""),
                               delimiter=delimiter))


def csv_bytes(*args: str, lang: str = "en") -> bytes:
    result = run("--lang", lang, "due", *args, "--today", TODAY, "--format", "csv",
                 "--fail-on", "none")
    assert result.exit_code == 0, result.stderr
    return result.stdout.encode("utf-8")


def test_csv(tmp_path):
    plan = mixed_plan(tmp_path)
    table = excel_rows(csv_bytes(str(plan)), ",")
    for column in ("plan", "obligation", "subject", "due", "status", "last_done",
                   "responsible_role", "responsible_name", "source"):
        assert column in table[0]
    data = rows(plan)
    # one contact check per annex file: the rest is one row per obligation, as in JSON
    checks = select(data, "verify")
    files = {r["path"] for r in checks}
    assert len(table) == len(data) - len(checks) + len(files)
    assert all(r["source"].strip() for r in table)
    contacts = [r for r in table if r["obligation"] == "contact check"
                and "Kari Eksempel" in r["subject"]]
    assert len(contacts) == 1
    assert (contacts[0]["due"], contacts[0]["status"], contacts[0]["responsible_name"]) == (
        "2026-09-01", "overdue", "Liv Testesen")
    assert contacts[0]["last_done"] == "2026-03-01"  # the oldest check in the file


@pytest.mark.parametrize("language, delimiter", [("nb", ";"), ("nn", ";"), ("da", ";"),
                                                 ("en", ",")])
def test_csv_opens_in_excel_in_the_users_locale(tmp_path, language, delimiter):
    plan = mixed_plan(tmp_path)
    table = excel_rows(csv_bytes(str(plan), lang=language), delimiter)
    assert len(table[0]) == 12 and all(len(r) == 12 for r in table)
    assert any("ø" in r["subject"] or "å" in r["subject"] or "æ" in r["subject"]
               for r in table)
    assert {r["status"] for r in table} <= {"never", "overdue", "soon", "ok"}  # codes stay
    overrode = excel_rows(csv_bytes(str(plan), "--delimiter", "tab", lang=language), "\t")
    assert overrode == table


def test_no_csv_cell_starts_a_formula(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    for person, name in (("kari-eksempel", '"=HYPERLINK(\\"http://x\\")"'),
                         ("liv-testesen", '"+47 123"'), ("nils-prove", '"@SUM(A1)"')):
        set_field(plan / NO_CONTACTS, person, "name", name)
    replace(plan / PLAN, "title: Overordnet beredskapsplan", 'title: "-1+1"')
    raw = csv_bytes(str(plan))
    cells = [cell for row in excel_rows(raw, ",") for cell in row.values()]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert any(c.startswith("'-1+1") for c in cells)


def ics(*paths: Path, today: str = TODAY):
    from icalendar import Calendar

    result = due(*map(str, paths), "--today", today, "--format", "ics", "--fail-on", "none")
    assert result.exit_code == 0, result.stderr
    return Calendar.from_ical(result.stdout)


def events(calendar) -> list:
    return list(calendar.walk("VEVENT"))


def people_rows(plan: Path, today: str = TODAY) -> list[dict]:
    """The rows as the table, CSV and calendar show them (one contact check per file)."""
    raw = due(str(plan), "--today", today, "--format", "csv", "--fail-on", "none").stdout
    return list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))


def test_ics_one_event_per_row(tmp_path):
    plan = mixed_plan(tmp_path)
    data = people_rows(plan)
    found = events(ics(plan))
    assert len(found) == len(data)
    # what is late stands on the day of the run, in this week; the rest on its due date
    expected = sorted(TODAY if r["status"] in ("overdue", "never") else r["due"] for r in data)
    assert sorted(e.decoded("dtstart").isoformat() for e in found) == expected
    sources = {r["source"] for r in data}
    for event in found:
        start = event.decoded("dtstart")
        assert type(start) is date  # all-day
        late = str(event.get("summary")).startswith(("OVERDUE", "NEVER"))
        assert [a.name for a in event.subcomponents] == ([] if late else ["VALARM"])
        description = str(event.get("description"))
        assert any(source in description for source in sources)
        assert "Source: " in description
    uids = [str(e.get("uid")) for e in found]
    assert len(set(uids)) == len(uids)


def test_ics_late_items_are_in_this_week_with_their_due_date(tmp_path):
    plan = mixed_plan(tmp_path)
    late = [e for e in events(ics(plan)) if str(e.get("summary")).startswith(("OVERDUE",
                                                                              "NEVER"))]
    assert len(late) == 2
    for event in late:
        assert event.decoded("dtstart") == date.fromisoformat(TODAY)
        assert event.decoded("dtend") == date(2026, 11, 24)
    overdue = next(e for e in late if str(e.get("summary")).startswith("OVERDUE"))
    assert str(overdue.get("summary")).startswith("OVERDUE since 2026-09-01: ")
    assert "Due: 2026-09-01 (OVERDUE)" in str(overdue.get("description"))


def test_ics_in_the_users_language(tmp_path):
    plan = mixed_plan(tmp_path)
    result = run("--lang", "nb", "due", str(plan), "--today", TODAY, "--format", "ics",
                 "--fail-on", "none")
    from icalendar import Calendar

    calendar = Calendar.from_ical(result.stdout)
    summaries = [str(e.get("summary")) for e in events(calendar)]
    assert any(s.startswith("FORFALT siden 1. september 2026: ") for s in summaries)
    assert any("kontaktkontroll" in s for s in summaries)
    assert "Kilde: " in str(events(calendar)[0].get("description"))
    assert "frister" in str(calendar.get("x-wr-calname"))


def test_ics_uids_unique_for_two_events_on_one_day(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    replace(plan / PLAN, "evaluated: 2026-05-15", "evaluated: null")
    text = (plan / PLAN).read_text("utf-8")
    start = text.index("  - date: 2026-04-20")
    end = text.index("\n", text.index("evaluated: null", start)) + 1
    twin = text[start:end].replace("title: ", "title: Tvilling – ")
    (plan / PLAN).write_text(text[:end] + twin + text[end:], "utf-8")
    found = [e for e in events(ics(plan)) if "evaluation" in str(e.get("summary"))]
    assert len(found) == 2
    assert len({str(e.get("uid")) for e in found}) == 2
    ids = [r["subject_id"] for r in select(rows(plan), "evaluate")]
    assert len(set(ids)) == 2 and all(i.startswith("exercise-2026-04-20-") for i in ids)


@pytest.mark.parametrize("where", ["verified", "expires", "today"])
def test_the_last_day_of_the_calendar_is_no_crash(tmp_path, where):
    plan = base_plan(tmp_path, "no-base")
    today = TODAY
    if where == "verified":
        S(NO_CONTACTS, "kari-eksempel", "verified", "9999-12-31")(plan)
        today = "9999-12-31"
    elif where == "expires":
        replace(plan / NO_CONTACTS, "expires: 2028-12-31", "expires: 9999-12-31")
    else:
        today = "9999-12-31"
    for form in ("table", "json", "csv", "ics"):
        result = due(str(plan), "--today", today, "--format", form, "--fail-on", "none")
        assert result.exit_code == 0, (form, result.stderr)
        assert "internal error" not in result.stderr
    calendar = ics(plan, today=today)
    assert events(calendar)
    for event in events(calendar):
        assert event.decoded("dtstart") <= date.max


def test_ics_description_names_the_rows_source(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    (revision,) = [e for e in events(ics(plan)) if "plan revision" in str(e.get("summary"))]
    assert f"Source: {NO_REVISION}" in str(revision.get("description"))
    assert revision.decoded("dtstart") == date(2027, 6, 1)


def test_ics_uids_stable_across_runs_and_date_changes(tmp_path):
    plan = base_plan(tmp_path, "no-base")

    def by_subject(calendar):
        return {str(e.get("summary")): (str(e.get("uid")), e.decoded("dtstart"))
                for e in events(calendar)}

    first, second = by_subject(ics(plan)), by_subject(ics(plan))
    assert first == second
    S(NO_CONTACTS, "kari-eksempel", "verified", "2026-10-20")(plan)
    third = by_subject(ics(plan))
    key = next(s for s in first if "contact check" in s and "Varslingsliste" in s)
    assert first[key][1] == date(2027, 3, 15) and third[key][1] == date(2027, 4, 1)
    assert third[key][0] == first[key][0]
    assert {uid for uid, _ in third.values()} == {uid for uid, _ in first.values()}


def test_ics_uid_survives_status_change(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    before = {str(e.get("uid")) for e in events(ics(plan))}
    after = {str(e.get("uid")) for e in events(ics(plan, today="2027-12-01"))}
    assert before == after


def test_ics_uids_unique_across_plans_with_the_same_id(tmp_path):
    first = base_plan(tmp_path, "dk-base", "kommune-a")
    second = base_plan(tmp_path, "dk-base", "kommune-b")
    replace(second / PLAN, "name: Prøvested Kommune", "name: Nabosted Kommune")
    found = events(ics(first, second))
    assert len(found) == 2 * len(people_rows(first))
    uids = [str(e.get("uid")) for e in found]
    assert len(set(uids)) == len(uids)


def test_ics_valid_calendar_header(tmp_path):
    calendar = ics(base_plan(tmp_path, "dk-base"))
    assert str(calendar.get("version")) == "2.0"
    assert str(calendar.get("prodid"))
    for event in events(calendar):
        assert event.get("dtstamp") is not None


# -- plans with validation errors ----------------------------------------------------

def test_plan_with_validation_errors_still_has_deadlines(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    replace(plan / PLAN, "holders: [kari-eksempel, liv-testesen]", "holders: [kari-eksempl]")
    replace(plan / PLAN, NO_REVISED, "{date: 2025-10-01, summary: Årlig revisjon")
    result = due(str(plan), "--today", TODAY, "--format", "json")
    assert "validation error" in result.stderr
    assert "plan.yaml" in result.stderr
    assert result.exit_code == 1  # the overdue revision, not the validation errors
    data = json.loads(result.stdout)
    assert all(r["source"].strip() for r in data)
    assert one(data, "revise", "plan")["due"] == "2026-10-01"
    assert one(data, "exercise", "plan")["due"] == "2028-04-20"


def test_errors_that_do_not_move_a_deadline_are_left_to_validate(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    replace(plan / "partnere.yaml", '"+47 930 00 001"', '"+47 930"')  # invalid-phone
    assert run("validate", str(plan), "--today", TODAY).exit_code == 1
    result = due(str(plan), "--today", TODAY, "--format", "json")
    assert "validation error" not in result.stderr


def test_error_count_follows_the_repository_settings(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    replace(plan / PLAN, "holders: [kari-eksempel, liv-testesen]", "holders: [kari-eksempl]")
    assert "1 validation error " in due(str(plan), "--today", TODAY, "--format", "json").stderr
    (tmp_path / "beredskap.yaml").write_text("rules:\n  unknown-ref: warning\n", "utf-8")
    result = due(str(plan), "--today", TODAY, "--format", "json")
    assert result.exit_code in (0, 1) and json.loads(result.stdout)  # the settings were read
    assert "validation error" not in result.stderr  # validate would not call it an error


@pytest.mark.parametrize("text, where", [
    ("beredskap: 1\nkind: plan\nroles: [\n", "3:8"),    # not YAML
    ("beredskap: 2\nkind: plan\n", "1:12"),              # a format this version cannot read
])
def test_a_plan_that_cannot_be_read_fails_with_where_and_why(tmp_path, text, where):
    plan = base_plan(tmp_path, "no-base")
    (plan / PLAN).write_text(text, "utf-8")
    result = due(str(plan), "--today", TODAY)
    assert result.exit_code == 1  # its deadlines are unknown: never a silent pass
    assert f"{PLAN}:{where}:" in result.stderr and "no deadlines can be computed" in result.stderr
    assert due(str(plan), "--today", TODAY, "--fail-on", "none").exit_code == 0


def test_valid_plan_has_no_validation_note(tmp_path):
    result = due(str(base_plan(tmp_path, "no-base")), "--today", TODAY, "--format", "json")
    assert "validation error" not in result.stderr


# -- the table --------------------------------------------------------------------

def test_table_has_what_a_coordinator_needs(tmp_path):
    plan = mixed_plan(tmp_path)
    result = due(str(plan), "--today", TODAY)
    assert result.exit_code == 1
    out = result.stdout
    assert "\x1b[" not in out
    for word in ("Status", "Due", "Subject", "Responsible", "Source"):
        assert word in out
    revise = one(rows(plan), "revise", "plan")
    line = next(l for l in out.splitlines() if "plan revision" in l)
    for value in ("ok", revise["due"], "Overordnet beredskapsplan", "Liv Testesen",
                  "Beredskapskoordinator", NO_REVISION):
        assert value in line
    for word in ("Last done", "What"):
        assert word in out
    # the alert list is one row: when its first entry was due, its oldest check, who is late
    lines = out.splitlines()
    at = next(i for i, l in enumerate(lines) if "contact check" in l and "Varslingsliste" in l)
    row = " ".join(lines[at:at + 3])
    assert "OVERDUE" in lines[at] and "2026-09-01" in lines[at] and "2026-03-01" in lines[at]
    assert "Kari Eksempel" in row and "4 entries" in row
    assert len([l for l in lines if "contact check" in l]) == 3  # A, B and D: one row each
    never = next(l for l in lines if "│ exercise" in l)
    assert "NEVER" in never and never.count("–") >= 2  # no due date, never done
    assert "1 never done, 1 overdue" in out


def test_table_by_owner(tmp_path):
    plan = base_plan(tmp_path, "no-base")
    result = due(str(plan), "--today", TODAY, "--by", "owner")
    assert result.exit_code == 0
    out = result.stdout
    assert "\x1b[" not in out
    groups = re.split(r"^Responsible: ", out, flags=re.M)[1:]
    heads = [g.splitlines()[0].strip() for g in groups]
    assert sorted(heads) == ["Kari Eksempel (Kommunedirektør)",
                             "Liv Testesen (Beredskapskoordinator)"]
    kari = groups[heads.index("Kari Eksempel (Kommunedirektør)")]
    liv = groups[heads.index("Liv Testesen (Beredskapskoordinator)")]
    assert "Plan for helsemessig og sosial beredskap" in kari
    assert "plan revision" not in kari
    assert "plan revision" in liv and "Varsle kriseledelsen" in liv
    assert "Plan for helsemessig" not in liv


def test_table_names_the_plan_when_several(tmp_path):
    no, dk = base_plan(tmp_path, "no-base"), base_plan(tmp_path, "dk-base")
    result = due(str(no), str(dk), "--today", TODAY)
    assert "Testvik kommune" in result.stdout and "Prøvested Kommune" in result.stdout
    data = rows(no, dk)
    assert {r["plan"] for r in data} == {"Testvik kommune", "Prøvested Kommune"}


def test_folder_of_plans_is_searched(tmp_path):
    base_plan(tmp_path, "no-base")
    base_plan(tmp_path, "dk-base")
    data = rows(tmp_path)
    assert {r["plan_id"] for r in data} == {"overordnet-beredskapsplan", "hovedberedskabsplan"}
    assert [r["due"] for r in data] == sorted(r["due"] for r in data)  # all ok: by date


# -- the JSON writer ----------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from beredskapsplan.due.compute import WHAT, Deadline  # noqa: E402
from beredskapsplan.due.output import json_line  # noqa: E402

_any_text = st.text(max_size=20)  # quotes, backslashes, control characters, æøå, emoji


@settings(derandomize=True, max_examples=300, database=None, deadline=None)
@given(texts=st.lists(_any_text, min_size=9, max_size=9),
       optional=st.lists(st.one_of(st.none(), _any_text), min_size=2, max_size=2),
       what=st.sampled_from(sorted(WHAT)), due_day=st.dates(), last=st.one_of(st.none(), st.dates()),
       line=st.integers(1, 10 ** 6))
def test_each_json_row_is_the_row_as_a_json_object(texts, optional, what, due_day, last, line):
    row = Deadline(texts[0], texts[1], texts[2], what, texts[3], texts[4], due_day, texts[5],
                   last, optional[0], optional[1], texts[6], texts[7], texts[8], line)
    written = json_line(row)
    assert "\n" not in written  # one row, one line
    assert json.loads(written) == row.as_dict()


@pytest.mark.parametrize("args, expected", [
    (("--within", "3x"), {"nb": "«3x» er ikke en tidslengde", "da": "»3x« er ikke en tidslængde",
                          "nn": "«3x» er ikkje ei tidslengd"}),
    (("--status", "foo,bar"), {"nb": "ukjente statuser bar, foo", "da": "ukendte statusser bar, foo",
                               "nn": "ukjende statusar bar, foo"}),
    (("--fail-on", "sometimes"), {"nb": "--fail-on: ukjent status sometimes",
                                  "da": "--fail-on: ukendt status sometimes",
                                  "nn": "--fail-on: ukjend status sometimes"}),
    (("--format", "xls"), {"nb": "ukjent format «xls»", "da": "ukendt format »xls«",
                           "nn": "ukjend format «xls»"}),
    (("--by", "team"), {"nb": "--by tar bare «owner»", "da": "--by tager kun »owner«",
                        "nn": "--by tek berre «owner»"}),
    (("--format", "csv", "--delimiter", "|"), {"nb": "--delimiter: en av", "da": "--delimiter: en af",
                                               "nn": "--delimiter: ein av"}),
])
def test_a_wrong_option_is_explained_in_the_users_language(args, expected, tmp_path):
    plan = base_plan(tmp_path, "no-base")
    for lang, words in expected.items():
        result = run("--lang", lang, "due", str(plan), *args)
        assert result.exit_code == 2
        assert words in result.stderr, result.stderr
    english = run("--lang", "en", "due", str(plan), *args)
    assert english.exit_code == 2 and english.stderr.startswith("beredskap: ")
