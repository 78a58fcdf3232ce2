"""Writing plan files: `beredskap init`, `new card`, `schema`, and the pre-commit hook."""
from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from beredskapsplan import scaffold
from beredskapsplan.yamlread import parse_text
from conftest import FIXTURES, REPO, TODAY, run, tree_checksum

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
KINDS = ("common", "plan", "contacts", "resources", "plan-register", "partners", "templates",
         "action-card")
NAMES = {"no": "Fjellvik kommune", "dk": "Bøgelund Kommune"}


def init(repo: Path, country: str, folder: str = "plans/kommune", *extra: str):
    result = run("init", folder, "--country", country, "--name", NAMES[country],
                 "--today", TODAY, *extra, cwd=repo)
    return result, repo / folder


def load(path: Path):
    """A plan file as beredskap reads it (dates and `NO` stay text)."""
    return parse_text(Path(path).read_text("utf-8")).data


def findings(repo: Path, *paths: str) -> tuple[int, list[dict]]:
    result = run("validate", *paths, "--today", TODAY, "--format", "json", cwd=repo)
    return result.exit_code, result.findings


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml"))


def assert_modeline(path: Path) -> Path:
    """The file starts with a yaml-language-server line naming its own kind's schema."""
    first = path.read_text("utf-8").split("\n", 1)[0]
    match = MODELINE.match(first)
    assert match, f"{path} does not start with the yaml-language-server modeline: {first!r}"
    target = (path.parent / match.group(1)).resolve()
    kind = load(path)["kind"]
    assert target.name == f"{kind}.schema.json", f"{path}: modeline names {target.name}"
    assert target.is_file(), f"{path}: modeline points to {target}, which does not exist"
    return target


# -- init ---------------------------------------------------------------------

@pytest.mark.parametrize("country", ["no", "dk"])
def test_init_writes_a_valid_plan(repo, country):
    result, plan = init(repo, country)
    assert result.exit_code == 0, result.stderr
    assert (plan / "plan.yaml").is_file()
    kinds = sorted(yaml.safe_load(p.read_text("utf-8"))["kind"] for p in yaml_files(plan))
    assert kinds == sorted(["plan", "contacts", "resources", "plan-register", "partners",
                            "templates", "action-card", "action-card"])
    status, found = findings(repo, "plans/kommune")
    assert status == 0, found
    # Only the "never approved" notice: no errors and no warnings in a fresh plan.
    assert {(f["severity"], f["rule"]) for f in found} <= {("info", "approval-status")}
    assert run("validate", "plans/kommune", "--strict", "--today", TODAY, cwd=repo).exit_code == 0


@pytest.mark.parametrize("country, language, jurisdiction",
                         [("no", "nb", "no-sivilbeskyttelsesloven"),
                          ("dk", "da", "dk-beredskabsloven")])
def test_init_follows_the_country(repo, country, language, jurisdiction):
    _result, plan = init(repo, country)
    data = load(plan / "plan.yaml")
    assert data["language"] == language
    assert data["jurisdiction"] == jurisdiction
    assert data["organization"]["name"] == NAMES[country]
    text = (plan / "plan.yaml").read_text("utf-8")
    # The comments cite the jurisdiction file's paragraphs.
    from beredskapsplan import jurisdiction as jurisdictions

    rules = jurisdictions.load(jurisdiction)
    assert rules.obligation("approve").citation in text
    assert rules.required_citation in text


def test_init_placeholders_and_dates(repo):
    _result, plan = init(repo, "no")
    contacts = load(plan / "vedlegg-a-varslingsliste.yaml")
    for person in contacts["people"]:
        assert person["id"].startswith("nn-")
        assert person["name"].startswith("Navn Navnesen")
        assert person["email"].endswith(".example")
        assert person["verified"] == TODAY
    for card in (plan / "tiltakskort").glob("*.yaml"):
        assert load(card)["reviewed"] == TODAY


def test_init_language_option(repo):
    result, plan = init(repo, "no", "plans/kommune", "--language", "nn")
    assert result.exit_code == 0
    assert load(plan / "plan.yaml")["language"] == "nn"
    assert "nb" in result.stderr  # says the starting text is in Bokmål
    assert findings(repo, "plans/kommune")[0] == 0


def test_init_name_with_yaml_characters(repo):
    result = run("init", "p", "--country", "dk", "--name", 'Kommune: "Ø" # 1',
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    data = load(repo / "p" / "plan.yaml")
    assert data["organization"]["name"] == 'Kommune: "Ø" # 1'
    assert findings(repo, "p")[0] == 0


def test_init_refuses_a_non_empty_folder(repo):
    folder = repo / "plans" / "kommune"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("keep me\n")
    before = tree_checksum(repo)
    result = run("init", "plans/kommune", "--country", "no", "--name", "X", cwd=repo)
    assert result.exit_code == 2
    assert "not empty" in result.stderr and "plans/kommune" in result.stderr
    assert tree_checksum(repo) == before


def test_init_refuses_a_file_and_bad_options(repo):
    (repo / "plan").write_text("x\n")
    assert run("init", "plan", "--country", "no", "--name", "X", cwd=repo).exit_code == 2
    for args in (["--country", "se", "--name", "X"], ["--country", "no", "--name", " "],
                 ["--country", "no", "--name", "X", "--language", "sv"]):
        result = run("init", "new", *args, cwd=repo)
        assert result.exit_code == 2, args
        assert "Traceback" not in result.stderr
    assert not (repo / "new").exists()


def test_init_into_a_folder_holding_only_git(tmp_path):
    (tmp_path / "kommune" / ".git").mkdir(parents=True)
    result = run("init", "kommune", "--country", "no", "--name", "X", "--today", TODAY,
                 cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    # The plan folder is the repository: the schemas go into it.
    assert (tmp_path / "kommune" / "schemas" / "plan.schema.json").is_file()
    assert_modeline(tmp_path / "kommune" / "plan.yaml")


# -- modelines and the schema copy ---------------------------------------------

@pytest.mark.parametrize("country", ["no", "dk"])
def test_every_scaffolded_file_has_a_resolving_modeline(repo, country):
    _result, plan = init(repo, country)
    files = yaml_files(plan)
    assert len(files) == 8
    for path in files:
        target = assert_modeline(path)
        assert target.parent == repo / "schemas"
    language = {"no": "nb", "dk": "da"}[country]
    for kind in KINDS:  # init writes the whole set, common included, in the plan's language
        assert (repo / "schemas" / f"{kind}.schema.json").read_text("utf-8") == \
            scaffold.schema_text(kind, language)


def test_init_outside_a_repository_keeps_the_schemas_in_the_plan(tmp_path):
    if scaffold.repository_root(tmp_path) is not None:
        pytest.skip("the temporary folder lies inside a repository")
    result = run("init", "kommune", "--country", "dk", "--name", "X", "--today", TODAY,
                 cwd=tmp_path)
    assert result.exit_code == 0
    for path in yaml_files(tmp_path / "kommune"):
        assert assert_modeline(path).parent == tmp_path / "kommune" / "schemas"


def test_init_schemas_option_and_existing_copy(repo):
    (repo / "editor").mkdir()
    (repo / "editor" / "plan.schema.json").write_text("{}\n")  # an older, different copy
    result, plan = init(repo, "no", "plans/kommune", "--schemas", "editor")
    assert result.exit_code == 0
    assert (repo / "editor" / "plan.schema.json").read_text() == "{}\n"  # never overwritten
    assert "beredskap schema --out" in result.stderr
    first = (plan / "plan.yaml").read_text("utf-8").split("\n", 1)[0]
    assert first.endswith("../../editor/plan.schema.json")


def test_init_schemas_url(repo):
    result, plan = init(repo, "dk", "p", "--schemas", "https://example.org/beredskap/schemas/")
    assert result.exit_code == 0
    first = (plan / "plan.yaml").read_text("utf-8").split("\n", 1)[0]
    assert first == "# yaml-language-server: $schema=https://example.org/beredskap/schemas/" \
                    "plan.schema.json"
    assert not (repo / "schemas").exists()


# -- new card -----------------------------------------------------------------

def test_new_card_in_an_existing_card_folder(repo):
    _result, plan = init(repo, "no")
    before = (plan / "plan.yaml").read_text("utf-8")
    result = run("new", "card", "plans/kommune", "--id", "tk-stromstans", "--title",
                 "Langvarig strømstans", "--owner", "kommunedirektor", "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    card = plan / "tiltakskort" / "tk-stromstans.yaml"
    data = load(card)
    assert data["id"] == "tk-stromstans" and data["title"] == "Langvarig strømstans"
    assert data["owner"] == "kommunedirektor" and data["reviewed"] == TODAY
    assert_modeline(card)
    assert (plan / "plan.yaml").read_text("utf-8") == before  # the annex was already there
    assert findings(repo, "plans/kommune")[0] == 0


def test_new_card_owner_defaults_to_the_plan_owner(repo):
    _result, plan = init(repo, "dk")
    assert run("new", "card", str(plan / "plan.yaml"), "--id", "ac-ny", "--title", "Nyt kort",
               "--today", TODAY, cwd=repo).exit_code == 0
    card = load(plan / "actioncards" / "ac-ny.yaml")
    assert card["owner"] == "beredskabskoordinator"


def only_added(before: str, after: str) -> list[str]:
    """The lines `after` adds to `before`; fails if any line was changed or removed."""
    old, new = before.splitlines(), after.splitlines()
    added = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        assert op in ("equal", "insert"), f"plan.yaml lines changed: {old[i1:i2]} -> {new[j1:j2]}"
        if op == "insert":
            added += new[j1:j2]
    return added


def test_new_card_registers_a_card_annex_by_adding_lines(repo):
    plan = repo / "plans" / "testvik"
    shutil.copytree(FIXTURES / "authoring" / "no-cards", plan)
    before = (plan / "plan.yaml").read_text("utf-8")
    result = run("new", "card", "plans/testvik", "--id", "tk-flaum", "--title", "Flaum",
                 "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    after = (plan / "plan.yaml").read_text("utf-8")
    added = only_added(before, after)
    assert added and all(line.startswith("  ") for line in added)
    data = parse_text(after).data
    assert data["annexes"][-1] == {"letter": "F", "title": "Tiltakskort", "cards": "tiltakskort/"}
    assert (plan / "tiltakskort" / "tk-flaum.yaml").is_file()
    assert findings(repo, "plans/testvik")[0] == 0


def test_new_card_in_a_plan_without_annexes(repo):
    plan = repo / "p"
    shutil.copytree(FIXTURES / "authoring" / "no-cards", plan)
    text = (plan / "plan.yaml").read_text("utf-8")
    # Move annex A's entries away: a plan with no `annexes:` at all.
    start = text.index("annexes:")
    end = text.index("# A comment after")
    (plan / "plan.yaml").write_text(text[:start] + text[end:], "utf-8")
    (plan / "vedlegg-a.yaml").unlink()
    before = (plan / "plan.yaml").read_text("utf-8")
    result = run("new", "card", "p", "--id", "tk-ny", "--title", "Ny", "--today", TODAY, cwd=repo)
    assert result.exit_code == 0, result.stderr
    only_added(before, (plan / "plan.yaml").read_text("utf-8"))
    assert load(plan / "plan.yaml")["annexes"] == [
        {"letter": "F", "title": "Tiltakskort", "cards": "tiltakskort/"}]


def test_new_card_refuses_a_used_id(repo):
    _result, plan = init(repo, "no")
    before = tree_checksum(repo)
    for used in ("nn-ordforer", "tk-varsle-kriseledelsen", "kriseledelse", "formal"):
        result = run("new", "card", "plans/kommune", "--id", used, "--title", "X", cwd=repo)
        assert result.exit_code == 2, used
        assert f"'{used}' is already used" in result.stderr
    assert tree_checksum(repo) == before


def test_new_card_refuses_an_existing_file(repo):
    _result, plan = init(repo, "no")
    # A file with the new card's name whose content has another id.
    shutil.copy(plan / "tiltakskort" / "varsle-kriseledelsen.yaml",
                plan / "tiltakskort" / "tk-kopi.yaml")
    before = tree_checksum(repo)
    result = run("new", "card", "plans/kommune", "--id", "tk-kopi", "--title", "X", cwd=repo)
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert tree_checksum(repo) == before


@pytest.mark.parametrize("args, message", [
    (["card", "plans/kommune", "--id", "Tk_Bad", "--title", "X"], "not a valid id"),
    (["card", "plans/kommune", "--id", "tk-x", "--title", "X", "--owner", "nobody"],
     "not a role of this plan"),
    (["card", "plans/none", "--id", "tk-x", "--title", "X"], "no plan.yaml"),
    (["exercise", "plans/kommune", "--id", "tk-x", "--title", "X"], "adds: card"),
])
def test_new_card_usage_errors(repo, args, message):
    init(repo, "no")
    (repo / "plans" / "none").mkdir()
    before = tree_checksum(repo)
    result = run("new", *args, cwd=repo)
    assert result.exit_code == 2
    assert message in result.stderr
    assert tree_checksum(repo) == before


def test_new_card_without_a_schema_copy(repo):
    plan = repo / "p"
    shutil.copytree(FIXTURES / "authoring" / "no-cards", plan)
    result = run("new", "card", "p", "--id", "tk-ny", "--title", "Ny", "--today", TODAY, cwd=repo)
    assert result.exit_code == 0
    assert "beredskap schema --out" in result.stderr
    assert (plan / "tiltakskort" / "tk-ny.yaml").read_text("utf-8").startswith("# Tiltakskort")


# -- schema -------------------------------------------------------------------

def test_schema_out_writes_every_schema(repo):
    result = run("schema", "--out", "schemas", cwd=repo)
    assert result.exit_code == 0
    written = sorted(p.name for p in (repo / "schemas").iterdir())
    assert written == sorted(f"{k}.schema.json" for k in KINDS)
    for path in (repo / "schemas").iterdir():
        Draft202012Validator.check_schema(json.loads(path.read_text("utf-8")))
    again = run("schema", "--out", "schemas", cwd=repo)
    assert again.exit_code == 0 and "unchanged" in again.stdout


def test_schema_prints_one_kind():
    result = run("schema", "plan")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith("/plan.schema.json")
    assert result.stdout == (REPO / "schemas" / "plan.schema.json").read_text("utf-8")


def test_schema_lists_kinds_and_refuses_unknown():
    listing = run("schema")
    assert listing.exit_code == 0
    assert all(kind in listing.stdout for kind in KINDS)
    unknown = run("schema", "plans")
    assert unknown.exit_code == 2 and "no schema 'plans'" in unknown.stderr


# -- pre-commit ----------------------------------------------------------------

def hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    return next(h for h in hooks if h["id"] == "beredskap-validate")


def staged(paths: list[str]) -> list[str]:
    """The file names pre-commit would pass to the hook."""
    h = hook()
    files, exclude = re.compile(h.get("files", "")), re.compile(h.get("exclude", "^$"))
    return [p for p in paths if files.search(p) and not exclude.search(p)]


def test_pre_commit_hook_matches_the_cli():
    h = hook()
    assert h["language"] == "python"
    assert h.get("pass_filenames", True) is True
    program, *args = h["entry"].split()
    assert program == "beredskap"  # the console script of this package
    import tomllib

    scripts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert program in scripts
    assert run(*args, *h.get("args", []), "--help").exit_code == 0
    wanted = ["plans/kommune/plan.yaml", "plans/kommune/vedlegg-a-varslingsliste.yaml",
              "plans/kommune/tiltakskort/varsle.yml", "plans/_shared/partnere.yaml"]
    skipped = [".github/workflows/ci.yml", ".pre-commit-config.yaml", ".gitlab-ci.yml",
               "beredskap.yaml", "README.md", "schemas/plan.schema.json"]
    assert staged(wanted + skipped) == wanted


def test_pre_commit_run_fails_on_a_bad_file(repo):
    """Run the hook as pre-commit does: the entry plus the staged file names."""
    _result, plan = init(repo, "no")
    program, *args = hook()["entry"].split()
    contacts = plan / "vedlegg-a-varslingsliste.yaml"
    changed = ["plans/kommune/vedlegg-a-varslingsliste.yaml", ".github/workflows/ci.yml",
               "beredskap.yaml"]
    assert run(*args, *staged(changed), "--today", TODAY, cwd=repo).exit_code == 0
    contacts.write_text(contacts.read_text("utf-8").replace("+47 880 00 002", "+47 880 00 02"),
                        "utf-8")
    result = run(*args, *staged(changed), "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    assert "invalid-phone" in result.stdout and "vedlegg-a-varslingsliste.yaml" in result.stdout


def test_pre_commit_with_plan_yaml_checks_the_whole_plan(repo):
    _result, plan = init(repo, "no")
    program, *args = hook()["entry"].split()
    text = (plan / "plan.yaml").read_text("utf-8")
    (plan / "plan.yaml").write_text(text.replace("[nn-ordforer, nn-varaordforer]",
                                                 "[nn-ordforer, nn-varaordfoerer]"), "utf-8")
    result = run(*args, *staged(["plans/kommune/plan.yaml"]), "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    assert "unknown-ref" in result.stdout
