"""The report's HTML in a real browser (chromium): the overview renders without console
errors under its Content-Security-Policy, sorts and filters, and fits a phone."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import PLANS, TODAY, run


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    repo = tmp_path_factory.mktemp("browser")
    (repo / ".git").mkdir()
    plans = repo / "plans"
    shutil.copytree(PLANS, plans)
    plan = plans / "fjellvik" / "plan.yaml"
    text = plan.read_text("utf-8")
    # one duty not met, so sorting and filtering have something to tell apart
    text = text.replace("covers: [evacuation]\n", "covers: []\n")
    plan.write_text(text.replace("covers: [evacuation, psychosocial]", "covers: []"), "utf-8")
    out = {"overview": repo / "oversikt.html", "plan": repo / "fjellvik.html"}
    assert run("report", str(plans), "--out", str(out["overview"]), "--today", TODAY,
               cwd=repo).exit_code == 0
    assert run("report", str(plans / "fjellvik"), "--out", str(out["plan"]), "--today", TODAY,
               cwd=repo).exit_code == 0
    return out


def names(page) -> list[str]:
    return page.eval_on_selector_all(
        "#matrix tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.name)")


def test_the_overview_runs_its_script_without_errors_and_sorts(page_at, pages):
    page = page_at(1280)
    page.goto(pages["overview"].as_uri())
    assert page.console_errors == []
    assert page.is_visible("#controls")  # shown by the script, so the script ran
    assert page.text_content("#shown") == "Showing 2 of 2 municipalities"
    page.click("th button[data-sort='name']")
    assert names(page) == ["Bøgelund Kommune", "Fjellvik kommune"]
    assert page.get_attribute("#matrix th:has(button[data-sort='name'])", "aria-sort") == \
        "ascending"
    page.click("th button[data-sort='name']")
    assert names(page) == ["Fjellvik kommune", "Bøgelund Kommune"]
    page.click("th button[data-sort='guidance']")  # Danish column: Bøgelund has it
    assert names(page)[0] == "Bøgelund Kommune"
    page.click("th button[data-sort='content']")  # the worst first: Fjellvik is not met
    assert names(page)[0] == "Fjellvik kommune"
    assert page.console_errors == []


def test_the_overview_filters_by_name_country_and_status(page_at, pages):
    page = page_at(1280)
    page.goto(pages["overview"].as_uri())
    page.fill("#filter-text", "fjell")
    assert names(page) == ["Fjellvik kommune"]
    assert page.text_content("#shown") == "Showing 1 of 2 municipalities"
    page.fill("#filter-text", "")
    page.select_option("#filter-country", "DK")
    assert names(page) == ["Bøgelund Kommune"]
    page.select_option("#filter-country", "")
    page.select_option("#filter-status", "not-met")
    assert names(page) == ["Fjellvik kommune"]
    page.select_option("#filter-status", "all-met")
    assert names(page) == ["Bøgelund Kommune"]
    page.select_option("#filter-column", "content")
    page.select_option("#filter-status", "met")
    assert names(page) == []
    page.select_option("#filter-column", "")
    page.select_option("#filter-status", "")
    assert len(names(page)) == 2
    assert page.console_errors == []


@pytest.mark.parametrize("which", ["overview", "plan"])
def test_the_pages_fit_a_phone(page_at, pages, which):
    page = page_at(390, 844)
    page.goto(pages[which].as_uri())
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # wide content scrolls inside its own box, never the page
    overflowing = page.evaluate("""() => [...document.querySelectorAll('main > *')]
        .filter(e => e.getBoundingClientRect().right > 390.5).map(e => e.tagName)""")
    assert overflowing == []


def test_the_print_style_hides_the_controls(page_at, pages):
    page = page_at(1280)
    page.goto(pages["overview"].as_uri())
    page.emulate_media(media="print")
    assert not page.is_visible("#controls")
    assert page.is_visible("#matrix")
