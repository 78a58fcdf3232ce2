"""beredskap approve: the council's decision recorded with a minimal diff."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from beredskapsplan import digest
from beredskapsplan.approve import Entry, insert_entry
from beredskapsplan.documents import read_document
from conftest import PLANS, TODAY, run


def copy_example(tmp_path: Path, name: str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    shutil.copytree(PLANS / "_shared", tmp_path / "plans" / "_shared", dirs_exist_ok=True)
    return shutil.copytree(PLANS / name, tmp_path / "plans" / name)


def added_lines(before: str, after: str) -> list[str]:
    """The lines of `after` not in `before`, asserting nothing else changed."""
    old, new = before.splitlines(), after.splitlines()
    added, i = [], 0
    for line in new:
        if i < len(old) and line == old[i]:
            i += 1
        else:
            added.append(line)
    assert i == len(old), "a line of the original file was changed or removed"
    return added


@pytest.mark.parametrize("name, body", [("bogelund", "Kommunalbestyrelsen"),
                                        ("fjellvik", "Kommunestyret")])
def test_approve_adds_only_the_approval_and_the_plan_is_approved(tmp_path, name, body):
    plan = copy_example(tmp_path, name)
    before = (plan / "plan.yaml").read_text("utf-8")
    result = run("approve", str(plan), "--date", "2026-11-20", "--by", body, "--case", "26/77",
                 "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    after = (plan / "plan.yaml").read_text("utf-8")
    added = added_lines(before, after)
    assert len(added) == 1 and "2026-11-20" in added[0] and "26/77" in added[0]
    data = read_document(plan / "plan.yaml").data
    assert data["approvals"][-1]["digest"] == digest.digest(data)
    assert data["approvals"][-1]["substantive_digest"] == digest.substantive_digest(data)
    checked = run("validate", str(plan), "--today", TODAY, "--format", "json")
    assert checked.exit_code == 0
    assert not [f for f in checked.findings if f["rule"] == "approval-status"]

    # the rendered title page says approved; after an edit it says changed
    out = tmp_path / "out"
    rendered = run("render", str(plan), "--to", "md", "--out", str(out), "--today", TODAY)
    assert rendered.exit_code == 0, rendered.stderr
    assert "20. november 2026" in (out / f"{name}.md").read_text("utf-8")
    text = (plan / "plan.yaml").read_text("utf-8")
    section_title = data["sections"][0]["title"]
    (plan / "plan.yaml").write_text(text.replace(f"title: {section_title}",
                                                 f"title: {section_title} (revideret)", 1),
                                    "utf-8")
    checked = run("validate", str(plan), "--today", TODAY, "--format", "json")
    status = [f for f in checked.findings if f["rule"] == "approval-status"]
    assert len(status) == 1 and "changed since it was approved on 2026-11-20" in status[0]["message"]


def test_submission_is_recorded_too(tmp_path):
    plan = copy_example(tmp_path, "bogelund")
    before = (plan / "plan.yaml").read_text("utf-8")
    result = run("approve", str(plan), "--date", "2026-11-20", "--by", "Kommunalbestyrelsen",
                 "--submitted-to", "Styrelsen for Samfundssikkerhed", "--submitted-on",
                 "2026-11-21", "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    added = added_lines(before, (plan / "plan.yaml").read_text("utf-8"))
    assert len(added) == 2
    data = read_document(plan / "plan.yaml").data
    assert data["submissions"][-1] == {"date": "2026-11-21", "to": "Styrelsen for Samfundssikkerhed"}
    rows = run("due", str(plan), "--today", TODAY, "--format", "json", "--fail-on", "none")
    assert not [r for r in rows.findings if r["what"] == "submit"]


@pytest.mark.parametrize("args, code, fragment", [
    (["--date", "2026-12-01"], 2, "in the future"),
    (["--date", "2026-11-20", "--submitted-on", "2026-11-19", "--submitted-to", "X"], 2,
     "before the approval"),
    (["--date", "20.11.2026"], 2, "YYYY-MM-DD"),
])
def test_refused_dates_leave_the_file_alone(tmp_path, args, code, fragment):
    plan = copy_example(tmp_path, "fjellvik")
    before = (plan / "plan.yaml").read_bytes()
    result = run("approve", str(plan), "--by", "Kommunestyret", *args, "--today", TODAY)
    assert result.exit_code == code
    assert fragment in result.stderr + result.stdout
    assert (plan / "plan.yaml").read_bytes() == before


def test_a_plan_with_errors_is_not_approved(tmp_path):
    plan = copy_example(tmp_path, "fjellvik")
    text = (plan / "plan.yaml").read_text("utf-8")
    first_holders = next(l for l in text.splitlines() if "holders: [" in l)
    broken = text.replace(first_holders, first_holders.replace("holders: [", "holders: [nobody, "))
    (plan / "plan.yaml").write_text(broken, "utf-8")
    result = run("approve", str(plan), "--date", "2026-11-20", "--by", "Kommunestyret",
                 "--today", TODAY)
    assert result.exit_code == 1
    assert "unknown-ref" in result.stderr and "not recorded" in result.stderr
    assert (plan / "plan.yaml").read_text("utf-8") == broken


FIELDS = {"date": date(2026, 11, 20), "by": "Kommunestyret", "digest": "sha256:" + "a" * 64}


@pytest.mark.parametrize("source, expected", [
    # block entries: the new one in the same style, after the last, before the comment
    ("id: p\napprovals:\n  - date: 2020-01-01\n    by: X\n# history\nrevisions: []\n",
     "id: p\napprovals:\n  - date: 2020-01-01\n    by: X\n  - date: 2026-11-20\n"
     "    by: Kommunestyret\n    digest: sha256:" + "a" * 64 + "\n# history\nrevisions: []\n"),
    # flow entries, list not indented
    ("approvals:\n- {date: 2020-01-01, by: X}  # first\nid: p\n",
     "approvals:\n- {date: 2020-01-01, by: X}  # first\n- {date: 2026-11-20, by: Kommunestyret, "
     "digest: sha256:" + "a" * 64 + "}\nid: p\n"),
    # an empty list becomes a block list
    ("id: p\napprovals: []\nrevisions: []\n",
     "id: p\napprovals:\n  - date: 2026-11-20\n    by: Kommunestyret\n    digest: sha256:"
     + "a" * 64 + "\nrevisions: []\n"),
    # no list yet: appended at the end
    ("id: p\n", "id: p\napprovals:\n  - date: 2026-11-20\n    by: Kommunestyret\n"
     "    digest: sha256:" + "a" * 64 + "\n"),
])
def test_insert_keeps_the_style_and_everything_else(source, expected):
    assert insert_entry(source, Entry("approvals", dict(FIELDS))) == expected


def test_crlf_and_bom_are_kept(tmp_path):
    plan = copy_example(tmp_path, "fjellvik")
    raw = (plan / "plan.yaml").read_bytes().replace(b"\n", b"\r\n")
    (plan / "plan.yaml").write_bytes(b"\xef\xbb\xbf" + raw)
    result = run("approve", str(plan), "--date", "2026-11-20", "--by", "Kommunestyret",
                 "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    after = (plan / "plan.yaml").read_bytes()
    assert after.startswith(b"\xef\xbb\xbf" + raw[:20])
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert after.count(b"\r\n") == raw.count(b"\r\n") + 1
