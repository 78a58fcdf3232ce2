"""Shared test helpers: run the command line in-process, checksum trees."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from beredskapsplan import i18n
from beredskapsplan.cli import app

# The suite speaks English whatever the machine's locale; tests of the choice of
# language set these themselves.
for _name in ("BEREDSKAP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE", "BEREDSKAP_NO_CACHE"):
    os.environ.pop(_name, None)
# The result cache stays on (every test then also checks that it never serves a stale
# result), in a folder of this run's own rather than the user's.
os.environ["BEREDSKAP_CACHE_DIR"] = tempfile.mkdtemp(prefix="beredskap-test-cache-")

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


# -- a real browser: Debian's chromium, driven by Playwright ---------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# flags for a closed network: without them chromium keeps trying to reach Google's hosts
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """A headless chromium for the session. Skipped where none is installed, except in CI
    (`.ci/run` installs it and sets BEREDSKAP_REQUIRE_BROWSER)."""
    if not os.path.exists(CHROMIUM):
        message = f"no chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("BEREDSKAP_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page_at(browser):
    """`page_at(width)`: a new page `width` pixels wide that records console errors in
    `page.console_errors`; closed after the test."""
    pages = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        pages.append(context)
        return page

    yield make
    for context in pages:
        context.close()


def generated_corpus(out: Path, municipalities: int, seed: int, *args: str) -> Path:
    """A corpus of plans made by the benchmark's generator (`benchmarks/generate.py`)."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(out),
                           "--municipalities", str(municipalities), "--seed", str(seed), *args],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out

