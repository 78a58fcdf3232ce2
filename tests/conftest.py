"""Shared test helpers: run the command line in-process, checksum trees."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from beredskapsplan import i18n
from beredskapsplan.cli import app

# The suite speaks English whatever the machine's locale; tests of the choice of
# language set these themselves.
for _name in ("BEREDSKAP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
    os.environ.pop(_name, None)

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent
PLANS = REPO / "plans"
TODAY = "2026-11-23"  # the fixed date all tests check against


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def findings(self) -> list[dict]:
        """The findings of a `validate --format json` run."""
        return json.loads(self.stdout)


def run(*args: str, cwd: Path | None = None) -> Result:
    """Run `beredskap ARGS` in-process (optionally in folder `cwd`)."""
    runner = CliRunner()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return Result(result.exit_code, result.stdout, result.stderr)


def tree_checksum(folder: Path) -> dict[str, str]:
    """A digest of every file under `folder`, to prove a command changed nothing."""
    sums = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            sums[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


@pytest.fixture(autouse=True)
def english_again():
    """A command run with --lang leaves its language behind in this process."""
    yield
    i18n.set_language("en")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty repository root (has .git) to build plan folders in."""
    (tmp_path / ".git").mkdir()
    return tmp_path


def copy_fixture(name: str, dest: Path) -> Path:
    """Copy fixtures/NAME into dest/NAME and return it."""
    target = dest / Path(name).name
    shutil.copytree(FIXTURES / name, target, symlinks=True)
    return target
