"""Progress is shown only where a person watches a long run: a terminal, people's output,
not CI — never in a pipe or a machine format."""
from __future__ import annotations

import io
import os
import pty
import subprocess
import sys

from beredskapsplan.cli.progress import Progress, wanted
from conftest import PLANS, TODAY, run


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_only_for_people_on_a_terminal_outside_ci():
    assert wanted(True, Terminal(), {})
    assert not wanted(True, io.StringIO(), {})  # a pipe or a file
    assert not wanted(False, Terminal(), {})  # json, sarif, junit …
    assert not wanted(True, Terminal(), {"CI": "true"})
    assert not wanted(True, Terminal(), {"TERM": "dumb"})


def test_a_short_run_never_draws_a_bar():
    progress = Progress(455, "x", enabled=True)
    progress(1)  # within the first half second
    assert progress._bar is None
    progress.close()


def test_a_pipe_gets_no_progress():
    result = run("validate", str(PLANS), "--today", TODAY)
    assert "Checking plans" not in result.stderr and result.stderr == ""


def test_a_terminal_sees_the_bar_and_a_json_run_does_not(tmp_path, monkeypatch):
    """Run the real command with stderr on a pseudo-terminal, slowed so the bar appears."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(BEREDSKAP_NO_CACHE="1", TERM="xterm", COLUMNS="100")
    script = ("import time, beredskapsplan.check as c\n"
              "original = c._plan_task\n"
              "def slow(job):\n    time.sleep(0.4)\n    return original(job)\n"
              "c._plan_task = slow\n"
              "import sys; from beredskapsplan.cli import main; sys.argv[0]='beredskap'; main()\n")

    def stderr_of(*args: str) -> str:
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                                stderr=follower, env={**env, "BEREDSKAP_WORKERS": "1"})
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        proc.communicate(timeout=120)
        os.close(leader)
        return seen.decode("utf-8", "replace")

    assert "Checking plans" in stderr_of("validate", str(PLANS), "--today", TODAY)
    assert "Checking plans" not in stderr_of("validate", str(PLANS), "--today", TODAY,
                                             "--format", "json")
