"""Placeholders are not a plan: what `init` and `new` leave to be filled in is reported,
and `approve` and `render` (without --draft) refuse while any of it remains."""
from __future__ import annotations

from pathlib import Path

import pytest

from beredskapsplan.documents import read_document
from beredskapsplan.placeholders import MARKS
from conftest import TODAY, run, tree_checksum

NAMES = {"no": "Fjellvik kommune", "dk": "Bøgely Kommune"}
MARK = {"no": "«FYLL INN»", "dk": "«UDFYLD»"}


def fresh_plan(repo: Path, country: str = "no") -> Path:
    result = run("init", "plans/kommune", "--country", country, "--name", NAMES[country],
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    return repo / "plans" / "kommune"


def placeholders(repo: Path, *args: str) -> list[dict]:
    result = run("validate", "plans/kommune", "--format", "json", "--today", TODAY, *args,
                 cwd=repo)
    return [f for f in result.findings if f["rule"] == "placeholder"]


def fill_in(plan: Path, mark: str) -> None:
    for path in plan.rglob("*.yaml"):
        path.write_text(path.read_text("utf-8").replace(mark + " ", ""), "utf-8")


@pytest.mark.parametrize("country", ["no", "dk"])
def test_init_marks_what_the_municipality_must_write(repo, country):
    plan = fresh_plan(repo, country)
    found = placeholders(repo)
    # every person's name, the partners and their contacts, where the resources are and
    # the sections still to be written: each one a warning at the mark itself
    assert len(found) == 21
    assert {f["severity"] for f in found} == {"warning"}
    for f in found:
        line = (repo / f["path"]).read_text("utf-8").splitlines()[f["line"] - 1]
        assert line[f["column"] - 1:].startswith(MARK[country])
    people = [f for f in found if "alarmeringsliste" in f["path"] or "varslingsliste" in f["path"]]
    assert len(people) == 6
    # the mark is the plan's language's: a Danish plan holds no Norwegian mark, and back
    other = MARK["dk" if country == "no" else "no"]
    assert not any(other in p.read_text("utf-8") for p in plan.rglob("*.yaml"))


def test_init_with_another_document_language_uses_its_mark(repo):
    result = run("init", "plans/kommune", "--country", "no", "--name", "Fjellvik kommune",
                 "--language", "en", "--today", TODAY, cwd=repo)
    assert result.exit_code == 0
    text = (repo / "plans/kommune/plan.yaml").read_text("utf-8")
    assert MARKS["en"] in text and MARKS["nb"] not in text.split("sections:")[1]
    assert "«FILL IN»" in result.stdout  # the "Next:" line names the mark to replace


@pytest.mark.parametrize("lang, words", [
    ("en", "Next: replace every «FYLL INN» with the real text"),
    ("nb", "Neste steg: bytt ut hver «FYLL INN» med den riktige teksten"),
    ("da", "Næste skridt: udskift hver «FYLL INN» med den rigtige tekst"),
])
def test_init_says_to_replace_the_marks(repo, lang, words):
    result = run("--lang", lang, "init", "plans/kommune", "--country", "no", "--name",
                 "Fjellvik kommune", "--today", TODAY, cwd=repo)
    assert words in result.stdout
    assert "beredskap validate plans/kommune" in result.stdout


def test_new_card_marks_its_text(repo):
    plan = fresh_plan(repo)
    result = run("new", "card", str(plan), "--id", "tk-flom", "--title", "Flom",
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    card = (plan / "tiltakskort" / "tk-flom.yaml").read_text("utf-8")
    assert card.count("«FYLL INN»") == 2  # the trigger and the first step
    assert "«FYLL INN»" in result.stdout
    on_card = [f for f in placeholders(repo) if f["path"].endswith("tk-flom.yaml")]
    assert len(on_card) == 2


@pytest.mark.parametrize("lang, words", [
    ("en", "beredskap: not recorded: 21 texts in the plan are still to be filled in (marked "
           "«FYLL INN»); fill them in first (`beredskap validate plans/kommune` shows where)"),
    ("nb", "beredskap: ikke registrert: 21 tekster i planen er ikke fylt inn ennå (merket "
           "«FYLL INN»); fyll dem inn først (`beredskap validate plans/kommune` viser hvor)"),
    ("da", "beredskap: ikke registreret: 21 tekster i planen er ikke udfyldt endnu (mærket "
           "«FYLL INN»); udfyld dem først (`beredskap validate plans/kommune` viser hvor)"),
])
def test_approve_refuses_a_plan_with_placeholders(repo, lang, words):
    plan = fresh_plan(repo)
    before = tree_checksum(repo)
    result = run("--lang", lang, "approve", "plans/kommune", "--date", "2026-11-20", "--by",
                 "Kommunestyret", "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    assert words in result.stderr
    # where to look: the first of them, each at its line
    assert "plans/kommune/plan.yaml:" in result.stderr and " placeholder " in result.stderr
    assert tree_checksum(repo) == before  # nothing recorded
    assert plan.is_dir()


def test_approve_records_once_everything_is_filled_in(repo):
    plan = fresh_plan(repo)
    fill_in(plan, "«FYLL INN»")
    assert placeholders(repo) == []
    result = run("approve", "plans/kommune", "--date", "2026-11-20", "--by", "Kommunestyret",
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    approvals = read_document(plan / "plan.yaml").data["approvals"]
    assert [(a["date"], a["by"]) for a in approvals] == [("2026-11-20", "Kommunestyret")]


def test_a_placeholder_can_be_kept_on_purpose(repo):
    plan = fresh_plan(repo)
    fill_in(plan, "«FYLL INN»")
    cards = plan / "tiltakskort" / "varsle-kriseledelsen.yaml"
    text = cards.read_text("utf-8")
    cards.write_text(text.replace("title: Varsling og innkalling av kriseledelsen",
                                  "title: «FYLL INN» kortets tittel  "
                                  "# beredskap: ignore[placeholder]"), "utf-8")
    assert placeholders(repo) == []
    result = run("approve", "plans/kommune", "--date", "2026-11-20", "--by", "Kommunestyret",
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("lang, words", [
    ("en", "beredskap: not rendered: 21 texts in the plan are still to be filled in (see "
           "`beredskap validate plans/kommune`); fill them in, or render a marked draft with "
           "--draft"),
    ("nb", "beredskap: ikke laget: 21 tekster i planen er ikke fylt inn ennå (se `beredskap "
           "validate plans/kommune`); fyll dem inn, eller lag et merket utkast med --draft"),
    ("da", "beredskap: ikke lavet: 21 tekster i planen er ikke udfyldt endnu (se `beredskap "
           "validate plans/kommune`); udfyld dem, eller lav et mærket udkast med --draft"),
])
def test_render_refuses_a_plan_with_placeholders(repo, lang, words):
    fresh_plan(repo)
    result = run("--lang", lang, "render", "plans/kommune", "--to", "md", "--out", "out",
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    assert words in result.stderr
    assert not (repo / "out").exists() or not any((repo / "out").iterdir())


def test_render_with_draft_writes_a_marked_draft(repo):
    fresh_plan(repo)
    result = run("render", "plans/kommune", "--to", "md", "--out", "out", "--draft",
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    markdown = (repo / "out" / "kommune.md").read_text("utf-8")
    assert "«FYLL INN»" in markdown
    assert "UTKAST" in markdown.upper()  # the document says it is a draft


def test_render_once_everything_is_filled_in(repo):
    plan = fresh_plan(repo)
    fill_in(plan, "«FYLL INN»")
    result = run("render", "plans/kommune", "--to", "md", "--out", "out", "--today", TODAY,
                 cwd=repo)
    assert result.exit_code == 0, result.stderr
    assert "«FYLL INN»" not in (repo / "out" / "kommune.md").read_text("utf-8")
