"""`beredskap report`: every duty row in both jurisdictions (met, not met, not recorded)
with its evidence, the documents table, the survey, the overview's JSON and CSV, and the
agreement of every status with what `due` and `validate` say for the same plan and day."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from beredskapsplan.report import plan_report
from conftest import PLANS, REPO, TODAY, generated_corpus, run, tree_checksum

DAY = date.fromisoformat(TODAY)


def copy_plans(repo: Path) -> Path:
    """Both example plans (and their shared partner file) in a repository of their own."""
    target = repo / "plans"
    shutil.copytree(PLANS, target)
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) >= count, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


def remove_lines(path: Path, start: str, stop: str) -> None:
    """Delete the lines from the one starting with `start` up to (not including) `stop`."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i in range(first + 1, len(lines)) if lines[i].startswith(stop))
    path.write_text("".join(lines[:first] + lines[last:]), "utf-8")


def duties(folder: Path, today: date = DAY, cwd: Path | None = None) -> dict:
    report = plan_report(folder, today)
    return {d.id: d for d in report.duties}


def line_of(where: str) -> str:
    """The text of the file line an evidence points at (`path:line`)."""
    path, line = where.rsplit(":", 1)
    return Path(path).read_text("utf-8").splitlines()[int(line) - 1]


def report_json(*args: str, cwd: Path) -> dict:
    result = run("report", *args, "--format", "json", "--today", TODAY, cwd=cwd)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# -- Norway -------------------------------------------------------------------------------

NORWAY = ["risk-basis", "content-crisis-management", "content-alert-list", "content-resources",
          "content-evacuation", "content-public-warning", "content-crisis-communication",
          "revise", "exercise", "evaluate", "documentation", "subplan-health"]


def test_every_norwegian_duty_is_met_by_the_example_plan_with_its_evidence(monkeypatch):
    monkeypatch.chdir(REPO)
    rows = duties(Path("plans/fjellvik"))
    assert list(rows) == NORWAY
    assert {d.status for d in rows.values()} == {"met"}
    revise = rows["revise"]
    assert revise.citation == "forskrift om kommunal beredskapsplikt § 6"
    assert revise.due == "2027-10-28"
    [evidence] = revise.evidence
    assert evidence.date == "2026-10-28" and evidence.where == "plans/fjellvik/plan.yaml:20"
    assert "2026-10-28" in line_of(evidence.where)
    exercise = rows["exercise"].evidence[0]
    assert "2026-10-14" in line_of(exercise.where) and exercise.text.startswith("Exercised 2026-10-14")
    ros = rows["risk-basis"].evidence[0]
    assert line_of(ros.where).strip() == "date: 2024-03-14"
    for row in rows.values():  # every row points at real lines and names its paragraph
        assert row.citation and row.summary
        for item in row.evidence:
            assert Path(item.path).is_file() and item.line >= 1
    health = rows["subplan-health"].evidence[0]
    assert health.where == "plans/fjellvik/vedlegg-c-planverk.yaml:17"
    assert "2026-05-28" in line_of(health.where)


def test_norwegian_duties_not_met_when_deadlines_have_passed(monkeypatch):
    monkeypatch.chdir(REPO)
    rows = duties(Path("plans/fjellvik"), date(2028, 6, 1))
    assert rows["revise"].status == "not-met"
    assert rows["revise"].summary == "Overdue since 2027-10-28"
    # the ROS of 2024-03-14 is four years old, and the plan waits for it
    ros = rows["risk-basis"]
    assert ros.status == "not-met" and "waits for an overdue ROS" in ros.summary
    assert rows["exercise"].status == "met"
    later = duties(Path("plans/fjellvik"), date(2028, 10, 15))
    assert later["exercise"].status == "not-met"
    assert later["exercise"].summary == "Overdue since 2028-10-14"


def test_norwegian_duties_not_recorded_when_the_plan_holds_nothing_to_judge(repo):
    plans = copy_plans(repo)
    plan = plans / "fjellvik" / "plan.yaml"
    remove_lines(plan, "approvals:", "policy:")  # approvals … incidents, the ROS included
    edit(plans / "fjellvik" / "vedlegg-c-planverk.yaml", "    statutory: health\n", "")
    rows = duties(plans / "fjellvik")
    for duty in ("risk-basis", "revise", "exercise", "evaluate", "documentation",
                 "subplan-health"):
        assert rows[duty].status == "not-recorded", duty
    assert rows["revise"].summary == "No revision or approval of the plan is recorded"
    assert "does not record" in rows["documentation"].summary
    assert "`statutory: health`" in rows["subplan-health"].summary
    # § 4 still judged: the sections are there (the ROS topic is its own row)
    assert rows["content-evacuation"].status == "met"


def test_a_missing_topic_is_not_met_exactly_where_validate_reports_it(repo):
    plans = copy_plans(repo)
    plan = plans / "fjellvik" / "plan.yaml"
    edit(plan, "covers: [evacuation]\n", "covers: []\n")
    edit(plan, "covers: [evacuation, psychosocial]", "covers: [psychosocial]")
    rows = duties(plans / "fjellvik")
    assert rows["content-evacuation"].status == "not-met"
    assert rows["content-evacuation"].evidence == []
    assert all(rows[d].status == "met" for d in NORWAY if d.startswith("content-")
               and d != "content-evacuation")
    findings = run("validate", str(plans / "fjellvik"), "--format", "json", "--today", TODAY,
                   cwd=repo).findings
    assert [f["message"] for f in findings if f["rule"] == "required-content"] == [
        "no section covers 'evacuation' (required by sivilbeskyttelsesloven § 15, forskrift om "
        "kommunal beredskapsplikt § 4); write a section about it and add 'evacuation' to its "
        "`covers:`"]


def test_an_evaluation_overdue_is_not_met_and_one_not_yet_due_is_met(repo):
    plans = copy_plans(repo)
    plan = plans / "fjellvik" / "plan.yaml"
    edit(plan, "    evaluated: 2026-10-21\n", "    evaluated: null\n")  # exercise of 2026-10-14
    rows = duties(plans / "fjellvik")
    assert rows["evaluate"].status == "met"
    assert rows["evaluate"].due == "2027-01-14"
    assert "not yet due" in rows["evaluate"].summary
    late = duties(plans / "fjellvik", date(2027, 2, 1))
    assert late["evaluate"].status == "not-met"
    assert late["evaluate"].summary == "1 evaluation is overdue, the first since 2027-01-14"
    waiting = [e for e in late["evaluate"].evidence if "not evaluated" in e.text]
    assert len(waiting) == 1 and "2026-10-14" in line_of(waiting[0].where)


def test_a_plan_older_than_its_ros_is_not_based_on_it(repo):
    plans = copy_plans(repo)
    edit(plans / "fjellvik" / "plan.yaml", "  date: 2024-03-14\n", "  date: 2026-11-02\n")
    ros = duties(plans / "fjellvik")["risk-basis"]
    assert ros.status == "not-met"
    assert ros.summary == ("The plan was last revised on 2026-10-28, before its ROS of "
                           "2026-11-02: it is not yet based on the current ROS")


# -- Denmark -------------------------------------------------------------------------------

DENMARK = ["approve", "submit", "guidance-crisis-management", "guidance-information-handling",
           "guidance-coordination", "guidance-crisis-communication", "guidance-alert-list",
           "guidance-resources", "guidance-sub-plans", "subplan-health"]


def test_every_danish_duty_is_met_by_the_example_plan_and_guidance_says_so(monkeypatch):
    monkeypatch.chdir(REPO)
    rows = duties(Path("plans/bogelund"))
    assert list(rows) == DENMARK
    assert {d.status for d in rows.values()} == {"met"}
    assert rows["approve"].citation == "beredskabsloven § 25, stk. 1 og 3"
    assert rows["approve"].due == "2033-12-31"
    assert rows["approve"].evidence[0].where == "plans/bogelund/plan.yaml:16"
    sent = rows["submit"].evidence[-1]
    assert sent.text == "Sent 2026-03-16 to Styrelsen for Samfundssikkerhed"
    assert "2026-03-16" in line_of(sent.where)
    for key in DENMARK[2:9]:
        assert rows[key].basis == "guidance" and "§ 26" in rows[key].citation
    assert rows["approve"].basis == "law"


def test_danish_duties_not_met(repo):
    plans = copy_plans(repo)
    plan = plans / "bogelund" / "plan.yaml"
    edit(plan, "  - {date: 2026-03-16, to: Styrelsen for Samfundssikkerhed}\n", "")
    edit(plan, "covers: [coordination, resources]", "covers: [resources]")
    edit(plan, "        covers: [coordination]\n", "        covers: []\n")
    edit(plan, "    covers: [coordination]\n", "    covers: []\n")
    rows = duties(plans / "bogelund")
    assert rows["submit"].status == "not-met"
    assert rows["submit"].summary == ("The adoption of 2026-03-11 has not been sent; it was due "
                                      "2026-04-11")
    assert rows["guidance-coordination"].status == "not-met"
    findings = run("validate", str(plans / "bogelund"), "--format", "json", "--today", TODAY,
                   cwd=repo).findings
    content = [f for f in findings if f["rule"] == "required-content"]
    assert len(content) == 1 and "'coordination'" in content[0]["message"]
    assert content[0]["severity"] == "warning"  # guidance, not law
    later = duties(plans / "bogelund", date(2034, 1, 1))
    assert later["approve"].status == "not-met"
    assert later["approve"].summary == "Overdue since 2033-12-31"


def test_danish_duties_not_recorded_without_an_adoption(repo):
    plans = copy_plans(repo)
    plan = plans / "bogelund" / "plan.yaml"
    remove_lines(plan, "approvals:", "revisions:")
    edit(plans / "bogelund" / "bilag-c-beredskabsplaner.yaml", "    last_revised: 2026-04-22\n",
         "")
    rows = duties(plans / "bogelund")
    assert rows["approve"].status == "not-recorded"
    assert rows["approve"].summary == "No adoption by the council is recorded"
    assert rows["submit"].status == "not-recorded"
    assert rows["subplan-health"].status == "not-recorded"
    assert rows["subplan-health"].summary == "The plan register gives no date of its last revision"


# -- documents, survey ----------------------------------------------------------------------

def test_the_documents_table_lists_plan_ros_and_sub_plans_and_flags_undated_ones(repo):
    plans = copy_plans(repo)
    register = plans / "fjellvik" / "vedlegg-c-planverk.yaml"
    edit(register, "    last_revised: 2025-11-27\n", "")  # the smittevernplan
    report = plan_report(plans / "fjellvik", DAY)
    kinds = [d.kind for d in report.documents]
    assert kinds[:2] == ["plan", "risk-analysis"] and kinds.count("sub-plan") == 11
    plan, ros = report.documents[:2]
    assert (plan.date, plan.next_revision, plan.owner) == (
        "2026-10-28", "2027-10-28", "Beredskapskoordinator (Tone Bakken)")
    assert ros.owner is None and ros.location.startswith("Sak 23/0912")
    undated = [d for d in report.documents if d.undated]
    assert [d.title for d in undated] == ["Smittevernplan med plan for massevaksinasjon"]
    assert undated[0].next_status == "never"
    result = run("report", str(plans / "fjellvik"), "--format", "md", "--today", TODAY, cwd=repo)
    row = next(line for line in result.stdout.splitlines()
               if line.startswith("| Smittevernplan"))
    assert "**undated**" in row and "**never done**" in row


def test_survey_answers_with_evidence_and_lists_what_it_cannot_answer(monkeypatch):
    monkeypatch.chdir(REPO)
    report = plan_report(Path("plans/fjellvik"), DAY)
    answers = {a.id: a for a in report.survey}
    assert answers["plan-last-revised"].answer == "2026-10-28"
    assert answers["exercised-two-years"].answer == "yes"
    assert answers["exercised-two-years"].evidence[0].where == "plans/fjellvik/plan.yaml:73"
    assert answers["ros-updated"].answer == "yes"
    assert answers["plan-based-on-ros"].answer == "yes"
    cannot = {a.id for a in report.survey if not a.answerable}
    assert cannot == {"ros-minimum", "objectives-and-follow-up", "preparedness-council",
                      "ekom-loss-information", "regional-ros"}
    assert all(a.answer is None and a.text for a in report.survey if not a.answerable)
    assert all(a.seen_in for a in report.survey)
    later = {a.id: a for a in plan_report(Path("plans/fjellvik"), date(2028, 11, 1)).survey}
    assert later["exercised-two-years"].answer == "no"
    assert later["plan-revised-last-year"].answer == "no"
    assert later["ros-updated"].answer == "no"
    assert plan_report(Path("plans/bogelund"), DAY).survey is None  # a Norwegian survey


def test_survey_never_guesses_when_the_plan_records_nothing(repo):
    plans = copy_plans(repo)
    remove_lines(plans / "fjellvik" / "plan.yaml", "approvals:", "policy:")
    answers = {a.id: a for a in plan_report(plans / "fjellvik", DAY).survey}
    for key in ("ros-done", "ros-updated", "plan-last-revised", "plan-based-on-ros",
                "exercised-two-years", "exercises-evaluated"):
        assert answers[key].answer == "not-recorded", key
        assert answers[key].text.startswith("Not recorded in the plan")


# -- the command line ----------------------------------------------------------------------

def test_one_plan_as_json_html_and_pdf(repo):
    plans = copy_plans(repo)
    before = tree_checksum(plans)
    data = report_json(str(plans / "fjellvik"), cwd=repo)
    assert data["name"] == "Fjellvik kommune" and data["today"] == TODAY
    assert [d["id"] for d in data["duties"]] == NORWAY
    assert data["duties"][7]["evidence"][0]["where"] == "plans/fjellvik/plan.yaml:20"
    assert {s["id"] for s in data["survey"]} >= {"plan-last-revised", "regional-ros"}
    out = repo / "rapport.pdf"
    result = run("report", str(plans / "fjellvik"), "--out", str(out), "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    from pypdf import PdfReader
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    text = " ".join(re.sub(r"-\n", "", text).split())  # words hyphenated at line ends
    assert "Audit report: Fjellvik kommune" in text
    assert "forskrift om kommunal beredskapsplikt § 7" in text and "2028-10-14" in text
    assert tree_checksum(plans) == before  # the plan files are never touched


def test_the_report_speaks_the_chosen_language(monkeypatch):
    monkeypatch.chdir(REPO)
    result = run("--lang", "nb", "report", "plans/fjellvik", "--today", TODAY)
    assert result.exit_code == 0
    assert "Sist revidert 28. oktober 2026 — `plans/fjellvik/plan.yaml:20`" in result.stdout
    assert "oppfylt" in result.stdout
    danish = run("--lang", "da", "report", "plans/bogelund", "--today", TODAY).stdout
    assert "vejledning, ikke lov" in danish


def test_usage_errors_and_an_unreadable_plan(repo):
    plans = copy_plans(repo)
    assert run("report", str(plans / "fjellvik"), "--format", "pdf", cwd=repo).exit_code == 2
    bad = run("report", str(plans / "fjellvik"), "--format", "docx", cwd=repo)
    assert bad.exit_code == 2 and "unknown format 'docx'" in bad.stderr
    many_pdf = run("report", str(plans), "--out", str(repo / "x.pdf"), cwd=repo)
    assert many_pdf.exit_code == 2 and "one plan" in many_pdf.stderr
    (plans / "fjellvik" / "plan.yaml").write_text("beredskap: 1\nkind: plan\n  bad: [\n", "utf-8")
    result = run("report", str(plans), "--format", "json", "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    assert "plans/fjellvik/plan.yaml:" in result.stderr and "can be read" in result.stderr
    data = json.loads(result.stdout)
    broken = next(r for r in data["reports"] if r["plan_id"] == "fjellvik")
    assert broken["unreadable"] and broken["duties"] == []


def test_the_format_follows_the_file_name(repo):
    plans = copy_plans(repo)
    out = repo / "oversikt.csv"
    assert run("report", str(plans), "--out", str(out), "--today", TODAY, cwd=repo).exit_code == 0
    assert out.read_text("utf-8").startswith("plan,plan_id,country,")


# -- the overview ----------------------------------------------------------------------------

def test_the_overview_as_json_and_csv(repo):
    plans = copy_plans(repo)
    edit(plans / "fjellvik" / "plan.yaml", "covers: [evacuation]\n", "covers: []\n")
    edit(plans / "fjellvik" / "plan.yaml", "covers: [evacuation, psychosocial]", "covers: []")
    data = report_json(str(plans), cwd=repo)
    assert data["plans"] == 2 and data["today"] == TODAY
    assert data["counts"] == {"met": 21, "not-met": 1, "not-recorded": 0}
    columns = {c["id"]: c for c in data["columns"]}
    assert columns["content"]["counts"] == {"met": 0, "not-met": 1, "not-recorded": 0}
    assert columns["subplan-health"]["counts"]["met"] == 2  # one column for both countries
    assert [c["id"] for c in data["columns"]][:2] in (["risk-basis", "content"],
                                                     ["approve", "submit"])
    result = run("report", str(plans), "--format", "csv", "--today", TODAY, cwd=repo)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 22
    evacuation = next(r for r in rows if r["duty"] == "content-evacuation")
    assert (evacuation["plan"], evacuation["status"], evacuation["country"]) == (
        "Fjellvik kommune", "not-met", "NO")
    revise = next(r for r in rows if r["duty"] == "revise")
    assert revise["where"] == f"{Path('plans/fjellvik/plan.yaml')}:20" or \
        revise["where"].endswith("plans/fjellvik/plan.yaml:20")
    assert revise["due"] == "2027-10-28" and revise["citation"].endswith("§ 6")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline: dict[str, list[str]] = {"style": [], "script": []}
        self._in = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in self.inline else None

    def handle_data(self, data):
        if self._in:
            self.inline[self._in].append(data)

    def handle_endtag(self, tag):
        self._in = None


def test_the_overview_html_is_self_contained_under_a_strict_policy(repo):
    import base64
    import hashlib

    plans = copy_plans(repo)
    out = repo / "oversikt.html"
    assert run("report", str(plans), "--out", str(out), "--today", TODAY, cwd=repo).exit_code == 0
    page = _Page()
    page.feed(out.read_text("utf-8"))
    policy = next(a["content"] for t, a in page.tags if t == "meta"
                  and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy
    for kind in ("style", "script"):
        [body] = page.inline[kind]
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in policy
    for tag, attrs in page.tags:  # nothing is loaded from anywhere, no inline handlers
        assert not any(k in attrs for k in ("src", "href")) or tag == "a"
        assert not any(k.startswith("on") for k in attrs)
        assert "style" not in attrs
    rows = [a for t, a in page.tags if t == "tr" and "data-name" in a]
    assert {r["data-name"] for r in rows} == {"Fjellvik kommune", "Bøgelund Kommune"}
    assert sum(1 for t, a in page.tags if t == "svg" and "chart" in a.get("class", "")) == 2
    # the health plan column both countries share names each country's own law
    html_text = out.read_text("utf-8")
    row = html_text[html_text.index('data-column="subplan-health"'):]
    row = row[:row.index("</tr>")]
    assert "sundhedsloven § 210 (DK)" in row and "helseberedskapsloven § 2-2 (NO)" in row


def test_user_text_cannot_break_the_page(repo):
    plans = copy_plans(repo)
    edit(plans / "fjellvik" / "plan.yaml", "title: Overordnet beredskapsplan",
         'title: "<script>alert(1)</script> | *plan*"')
    page = run("report", str(plans / "fjellvik"), "--format", "html", "--today", TODAY,
               cwd=repo).stdout
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    markdown = run("report", str(plans / "fjellvik"), "--today", TODAY, cwd=repo).stdout
    assert r"\<script\>alert(1)\</script\> \| \*plan\*" in markdown


# -- agreement with `due` and `validate` on a generated corpus -------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generated_corpus(tmp_path_factory.mktemp("report") / "corpus", 12, 5,
                            "--error-share", "0.5")


FROM_DUE = {"never": "not-recorded", "overdue": "not-met", "soon": "met", "ok": "met"}


@pytest.mark.parametrize("today", [TODAY, "2028-03-01"])
def test_every_status_agrees_with_due_and_validate(corpus: Path, today: str):
    reported = json.loads(run("report", str(corpus), "--format", "json", "--today", today,
                              cwd=corpus).stdout)
    deadlines = json.loads(run("due", str(corpus), "--format", "json", "--fail-on", "none",
                               "--today", today, cwd=corpus).stdout)
    findings = run("validate", str(corpus), "--format", "json", "--today", today,
                   cwd=corpus).findings
    assert len(reported["reports"]) == 12
    checked = {"obligation": 0, "topic": 0, "submission": 0, "subplan": 0}
    for plan in reported["reports"]:
        rows = [d for d in deadlines if d["path"] == plan["path"]
                or d["plan_id"] == plan["plan_id"] and d["plan"] == plan["name"]]
        missing = {m.group(1) for f in findings if f["rule"] == "required-content"
                   and f["path"] == plan["path"]
                   for m in [re.search(r"covers '([a-z-]+)'", f["message"])]}
        for duty in plan["duties"]:
            if duty["id"] in ("revise", "exercise", "approve"):
                [row] = [r for r in rows if r["what"] == duty["id"]]
                assert duty["status"] == FROM_DUE[row["status"]], (plan["name"], duty, row)
                checked["obligation"] += 1
            elif duty["id"].startswith(("content-", "guidance-")):
                topic = duty["id"].split("-", 1)[1]
                assert (duty["status"] == "not-met") == (topic in missing), (plan["name"], duty)
                checked["topic"] += 1
            elif duty["id"] == "submit":
                late = [r for r in rows if r["what"] == "submit"]
                if late:
                    assert duty["status"] == FROM_DUE[late[0]["status"]]
                else:
                    assert duty["status"] in ("met", "not-recorded")
                checked["submission"] += 1
            elif duty["id"] == "subplan-health":
                reviews = [r for r in rows if r["what"] == "subplan-review"]
                if duty["status"] == "not-met":
                    assert any(r["status"] == "overdue" for r in reviews)
                checked["subplan"] += 1
            elif duty["id"] == "risk-basis":
                [row] = [r for r in rows if r["what"] == "risk-review"]
                if row["status"] == "overdue":
                    assert duty["status"] == "not-met"
                if row["status"] == "never":
                    assert duty["status"] == "not-recorded"
            elif duty["id"] == "evaluate":
                late = [r for r in rows if r["what"] == "evaluate" and r["status"] == "overdue"]
                assert (duty["status"] == "not-met") == bool(late), (plan["name"], duty)
    assert all(checked.values()), checked


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\\t", "\\r"])
def test_no_csv_cell_of_the_overview_starts_a_formula(repo, start):
    """A name a spreadsheet would run as a formula (also after a tab or CR) is given as text."""
    plans = copy_plans(repo)
    edit(plans / "fjellvik" / "plan.yaml", "name: Fjellvik kommune",
         f'name: "{start}HYPERLINK(1) kommune"')
    result = run("report", str(plans), "--format", "csv", "--today", TODAY, cwd=repo)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    names = {r["plan"] for r in rows}
    written = start.replace("\\t", "\t").replace("\\r", "\n")
    assert "'" + written + "HYPERLINK(1) kommune" in names
    assert not any(cell[:1] in "=+-@\t\r\n" for r in rows for cell in r.values() if cell)
