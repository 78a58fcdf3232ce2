"""`due` over many plans keeps only a batch of rows in memory: batches beyond it are sorted
into temporary files and merged, and the output is exactly what sorting everything gives."""
from __future__ import annotations

import json
from datetime import date

import isodate
import pytest

from beredskapsplan.due import run as due_run
from beredskapsplan.due.compute import sort_deadlines
from beredskapsplan.due.run import SortedRows
from conftest import PLANS, TODAY, run


def _rows():
    from beredskapsplan.project import discover
    report = due_run.collect(discover([PLANS]), date.fromisoformat(TODAY),
                             isodate.parse_duration("P1M"))
    return list(report.deadlines)


def test_spilled_batches_merge_into_the_same_order():
    rows = _rows()
    assert len(rows) > 50
    whole = sort_deadlines(rows)
    spilled = SortedRows(limit=7)
    for start in range(0, len(rows), 5):  # plans of five rows each, in any order
        spilled.add(reversed(rows[start:start + 5]))
    assert len(spilled.runs) >= 5
    assert spilled.counts == {s: sum(1 for r in rows if r.status == s) for s in
                              {r.status for r in rows}}
    upcoming = [r for r in whole if r.status in ("soon", "ok")]
    assert spilled.first_upcoming == upcoming[0]
    assert list(spilled) == whole
    with pytest.raises(RuntimeError):
        list(spilled)


@pytest.mark.parametrize("fmt", ["json", "csv", "table", "ics"])
def test_the_output_does_not_depend_on_the_batch_size(fmt, monkeypatch):
    args = ("due", str(PLANS), "--today", TODAY, "--fail-on", "none", "--format", fmt)
    whole = run(*args)
    monkeypatch.setattr(due_run, "SPILL_ROWS", 3)
    batched = run(*args)
    assert batched.exit_code == whole.exit_code == 0
    assert batched.stdout == whole.stdout
    if fmt == "json":
        assert len(json.loads(batched.stdout)) > 50
