"""Many plans are checked in worker processes; the result must not depend on it."""
from __future__ import annotations

import shutil

from beredskapsplan import parallel
from conftest import PLANS, TODAY, run


def _many_plans(tmp_path, count=10):
    (tmp_path / ".git").mkdir()
    shutil.copytree(PLANS / "_shared", tmp_path / "plans" / "_shared")
    for n in range(count):
        plan = shutil.copytree(PLANS / "fjellvik", tmp_path / "plans" / f"kommune-{n:02}")
        if n % 3 == 0:  # some plans with an error, so there is something to merge
            text = (plan / "plan.yaml").read_text("utf-8")
            (plan / "plan.yaml").write_text(text.replace("holders: [", f"holders: [ukjent-{n}, ", 1),
                                            "utf-8")
    return tmp_path


def test_workers_give_the_same_findings_and_deadlines(tmp_path, monkeypatch):
    root = _many_plans(tmp_path)
    results = {}
    for mode in ("1", "all"):
        if mode == "1":
            monkeypatch.setenv("BEREDSKAP_WORKERS", "1")
        else:
            monkeypatch.delenv("BEREDSKAP_WORKERS", raising=False)
        results[mode] = (
            run("validate", "plans", "--today", TODAY, "--format", "json", cwd=root),
            run("due", "plans", "--today", TODAY, "--format", "json", "--fail-on", "none", cwd=root))
    (v1, d1), (v2, d2) = results["1"], results["all"]
    assert v1.exit_code == v2.exit_code == 1
    assert v1.stdout == v2.stdout
    assert len([f for f in v1.findings if f["rule"] == "unknown-ref"]) == 4
    assert d1.stdout == d2.stdout and d1.stderr == d2.stderr
    assert "10 plans checked" in run("validate", "plans", "--today", TODAY, cwd=root).stdout


def test_ordered_map_keeps_order_in_workers():
    assert parallel.ordered_map(abs, range(-20, 0), min_items=2) == list(range(20, 0, -1))


def _processes_with(marker: str) -> list[int]:
    import os
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if marker.encode() in f.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def test_workers_end_when_the_command_is_killed(tmp_path):
    """A killed `beredskap validate` must not leave worker processes behind."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import uuid

    import pytest
    if not os.path.isdir("/proc"):
        pytest.skip("needs /proc")
    marker = f"marker-{uuid.uuid4().hex}"
    code = ("import time\nfrom beredskapsplan.parallel import ordered_map\n"
            f"# {marker}\nordered_map(time.sleep, [30] * 8, min_items=2)\n")
    parent = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.time() + 10
    while len(_processes_with(marker)) < 3 and time.time() < deadline:
        time.sleep(0.1)  # the parent and its workers are up
    assert len(_processes_with(marker)) >= 3
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.time() + 10
    while _processes_with(marker) and time.time() < deadline:
        time.sleep(0.1)
    assert _processes_with(marker) == []
