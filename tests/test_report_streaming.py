"""The overview of many plans keeps only a batch of reports in memory (the rest wait in
a temporary file) and is written as it goes; what it says must not depend on that."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from beredskapsplan.report import run as report_run
from beredskapsplan.report.run import Reports
from conftest import TODAY, generated_corpus, run


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = generated_corpus(tmp_path_factory.mktemp("overview") / "corpus", 9, 3,
                           "--error-share", "0.5")
    # one plan that cannot be read at all: its warning and its empty row must survive too
    broken = sorted(out.rglob("plan.yaml"))[4]
    broken.write_text("title: [unclosed\n", "utf-8")
    return out


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_the_overview_does_not_depend_on_the_batch_size(corpus, fmt, monkeypatch, tmp_path):
    args = ("report", str(corpus), "--format", fmt, "--today", TODAY)
    whole = run(*args, cwd=corpus)
    assert whole.exit_code == 1  # the unreadable plan
    assert "cannot be read" in whole.stderr or "no duty of this plan" in whole.stderr
    for batch in (1, 4):
        monkeypatch.setattr(report_run, "BATCH_REPORTS", batch)
        batched = run(*args, cwd=corpus)
        assert (batched.exit_code, batched.stdout, batched.stderr) == (
            whole.exit_code, whole.stdout, whole.stderr)
        written = run(*args, "--out", str(tmp_path / f"overview.{fmt}"), cwd=corpus)
        assert written.exit_code == 1
        assert (tmp_path / f"overview.{fmt}").read_bytes() == whole.stdout.encode("utf-8")
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left
    if fmt == "json":
        data = json.loads(whole.stdout)
        assert data["plans"] == len(data["reports"]) == 9
        for column in data["columns"]:
            assert sum(column["counts"].values()) == sum(
                1 for r in data["reports"] if any(d["column"] == column["id"]
                                                  for d in r["duties"]))


def test_reports_read_back_in_order_as_often_as_needed():
    reports = Reports(batch=3)
    for n in range(10):
        reports.append(n)
    assert len(reports) == 10
    assert list(reports) == list(range(10))
    # two readers at once (the writers read the reports once per part of the page)
    assert list(zip(reports, reports)) == [(n, n) for n in range(10)]
    assert reports[0] == 0 and reports[9] == 9
    with pytest.raises(IndexError):
        reports[10]
    reports.close()
