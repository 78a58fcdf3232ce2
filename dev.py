#!/usr/bin/env python3
"""Set up a local virtual environment and run the project's jobs.

    python3 dev.py demo   # validate, list deadlines and render the example plans into out/
    python3 dev.py test   # run the test suite
    python3 dev.py catalogs   # after changing messages: update and compile the translations

Needs only Python 3.11+ and pip. The environment lives in .venv/ and is
reinstalled when pyproject.toml changes.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def run(*args: str) -> int:
    print("$", " ".join(args), flush=True)
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT).returncode


def demo() -> int:
    """The yearly cycle on the example plans: check them, list their deadlines, and
    render the council document (internal and public) into out/."""
    status = run("beredskap", "validate", "plans/")
    # deadlines are information here, not a failure of the demo
    status |= run("beredskap", "due", "plans/", "--status", "never,overdue,soon",
                  "--fail-on", "none")
    for plan in ("plans/bogelund", "plans/fjellvik"):
        status |= run("beredskap", "render", plan, "--out", "out")
        status |= run("beredskap", "render", plan, "--out", "out", "--audience", "public")
    return status


def test() -> int:
    return run("python", "-m", "pytest", *sys.argv[2:])


def catalogs() -> int:
    """Extract the messages, update the .po files of every language, compile them; with
    --fill FILE.json, set translations first (see src/beredskapsplan/i18n/catalogs.py)."""
    return run("python", "-m", "beredskapsplan.i18n.catalogs", *sys.argv[2:])


JOBS = {"demo": demo, "test": test, "catalogs": catalogs}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in JOBS:
        sys.exit(__doc__)
    ensure_venv()
    sys.exit(JOBS[sys.argv[1]]())
