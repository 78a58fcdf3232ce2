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


# each plan's work (in validate, due and report) slowed, so the run lasts long enough
SLOWED = ("import time, importlib\n"
          "def slowed(module):\n"
          "    module = importlib.import_module(module)\n"
          "    original = module._plan_task\n"
          "    def slow(job):\n        time.sleep(0.4)\n        return original(job)\n"
          "    module._plan_task = slow\n"
          "for name in ('beredskapsplan.check', 'beredskapsplan.due.run',\n"
          "             'beredskapsplan.report.run'):\n"
          "    slowed(name)\n"
          "import beredskapsplan.render as rendering\n"
          "original_render = rendering.render\n"
          "def slow_render(*args, **kwargs):\n"
          "    time.sleep(0.4)\n    return original_render(*args, **kwargs)\n"
          "rendering.render = slow_render\n"
          "import beredskapsplan.importer.reading as reading\n"
          "original_read = reading.read\n"
          "def slow_read(*args, **kwargs):\n"
          "    time.sleep(0.8)\n    return original_read(*args, **kwargs)\n"
          "reading.read = slow_read\n"
          "import sys; from beredskapsplan.cli import main; sys.argv[0]='beredskap'; main()\n")


def stderr_on_terminal(*args: str, ci: bool = False) -> str:
    """Run the real command, slowed, with stderr on a pseudo-terminal; what it showed there."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(BEREDSKAP_NO_CACHE="1", TERM="xterm", COLUMNS="100", BEREDSKAP_WORKERS="1")
    if ci:
        env["CI"] = "true"
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-c", SLOWED, *args], stdout=subprocess.DEVNULL,
                            stderr=follower, env=env)
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


def test_a_terminal_sees_the_bar_and_a_json_run_does_not():
    assert "Checking plans" in stderr_on_terminal("validate", str(PLANS), "--today", TODAY)
    assert "Checking plans" not in stderr_on_terminal("validate", str(PLANS), "--today", TODAY,
                                                      "--format", "json")


def test_due_and_report_show_progress_to_people_only(tmp_path):
    stderr_of = stderr_on_terminal
    due = ("due", str(PLANS), "--today", TODAY, "--fail-on", "none")
    assert "Finding deadlines" in stderr_of(*due)
    for fmt in ("json", "csv", "ics"):  # for programs and calendars
        assert "Finding deadlines" not in stderr_of(*due, "--format", fmt)
    assert "Finding deadlines" not in stderr_of(*due, ci=True)
    report = ("report", str(PLANS), "--today", TODAY)
    assert "Reading plans" in stderr_of(*report)
    written = stderr_of(*report, "--format", "html", "--out", str(tmp_path / "overview.html"))
    assert "Reading plans" in written and (tmp_path / "overview.html").stat().st_size > 0
    for fmt in ("json", "csv"):
        assert "Reading plans" not in stderr_of(*report, "--format", fmt)
    assert "Reading plans" not in stderr_of(*report, ci=True)


def test_a_pipe_gets_no_progress_from_due_or_report():
    due = run("due", str(PLANS), "--today", TODAY, "--fail-on", "none")
    assert "Finding deadlines" not in due.stderr
    report = run("report", str(PLANS), "--today", TODAY)
    assert "Reading plans" not in report.stderr


def test_rendering_several_plans_shows_progress_to_people_only(tmp_path):
    several = ("render", str(PLANS / "fjellvik"), str(PLANS / "bogelund"), "--to", "md",
               "--today", TODAY)
    shown = stderr_on_terminal(*several, "--out", str(tmp_path / "a"))
    assert "Rendering plans" in shown
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["bogelund.md", "fjellvik.md"]
    assert "Rendering plans" not in stderr_on_terminal(*several, "--out", str(tmp_path / "b"),
                                                       ci=True)
    one = stderr_on_terminal("render", str(PLANS / "fjellvik"), "--to", "md", "--today", TODAY,
                             "--out", str(tmp_path / "c"))
    assert "Rendering plans" not in one  # a single plan has nothing to count
    piped = run(*several, "--out", str(tmp_path / "d"))
    assert piped.exit_code == 0 and "Rendering plans" not in piped.stderr


def test_an_import_shows_its_steps_to_people_only(tmp_path):
    source = tmp_path / "plan.md"
    source.write_text("# Formål\n\nPlanen beskriver kriseledelsen.\n\n# Varsling\n\nTekst.\n",
                      "utf-8")
    shown = stderr_on_terminal("import", str(source), "--country", "no", "--out",
                               str(tmp_path / "a"), "--today", TODAY)
    assert "Importing the document" in shown and (tmp_path / "a" / "plan.yaml").is_file()
    quiet = stderr_on_terminal("import", str(source), "--country", "no", "--out",
                               str(tmp_path / "b"), "--today", TODAY, ci=True)
    assert "Importing the document" not in quiet and (tmp_path / "b" / "plan.yaml").is_file()
