"""The documentation: generated pages match the code, links resolve, examples parse."""
from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from beredskapsplan import docgen
from beredskapsplan.rules import RULES
from conftest import REPO

DOCS = REPO / "docs"
HAND_WRITTEN = ["guide.md", "quickstart-nb.md", "quickstart-nn.md", "quickstart-da.md",
                "completion.md"]


def test_generated_pages_match_the_code():
    """Fails when a rule docstring or a schema changed without regenerating the docs."""
    pages = docgen.generate()
    stale = [relative for relative, content in pages.items()
             if not (DOCS / relative).is_file()
             or (DOCS / relative).read_text("utf-8") != content]
    stale += docgen.stale_pages(DOCS, pages)
    assert not stale, ("out of date: " + ", ".join(stale)
                       + "; run `python -m beredskapsplan.docgen`")


def test_every_rule_has_a_page_linked_from_the_index():
    index = (DOCS / "rules" / "index.md").read_text("utf-8")
    for rule_id, rule in RULES.items():
        page = DOCS / "rules" / f"{rule_id}.md"
        assert page.is_file(), f"no page for rule {rule_id}"
        text = page.read_text("utf-8")
        assert text.startswith(f"# `{rule_id}`")
        assert f"| Default severity | {rule.SEVERITY} |" in text
        assert f"({rule_id}.md)" in index


def test_rule_page_carries_the_docstring_examples():
    page = (DOCS / "rules" / "role-without-deputy.md").read_text("utf-8")
    assert "```yaml\nroles:\n  - id: kommunikasjonssjef" in page
    assert "ignore[role-without-deputy]" in page


def test_format_reference_lists_every_field():
    text = (DOCS / "format.md").read_text("utf-8")
    schemas = docgen.Schemas()
    for kind, schema in schemas.kinds.items():
        assert f"\n## {kind}\n" in text
        section = text.split(f"\n## {kind}\n", 1)[1]
        for name in schema["properties"]:
            assert f"| `{name}` |" in section, f"{kind}.{name} missing from format.md"
        for name, node in schema.get("$defs", {}).items():
            if docgen.Schemas.is_object(node):
                assert f"\n### {kind}: {name}\n" in text, f"{kind}: {name} has no section"
                for field in node["properties"]:
                    assert f"| `{field}` |" in section
    for name, node in schemas.common["$defs"].items():
        if docgen.Schemas.is_object(node):
            assert f"\n### common: {name}\n" in text
        else:
            assert f"| `{name}` |" in text


def test_format_reference_links_resolve():
    text = (DOCS / "format.md").read_text("utf-8")
    anchors = {docgen._slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}
    prose = re.sub(r"`[^`\n]*`", "", text)  # a link written as an example is not a link
    for target in re.findall(r"\]\(#([^)]+)\)", prose):
        assert target in anchors, f"format.md links to #{target}, which no heading has"


def test_check_mode_reports_drift(tmp_path):
    docs = tmp_path / "docs"
    assert docgen.main(["--docs", str(docs)]) == 0
    assert docgen.main(["--check", "--docs", str(docs)]) == 0
    page = docs / "rules" / "schema.md"
    page.write_text(page.read_text("utf-8") + "edited by hand\n", "utf-8")
    (docs / "rules" / "retired-rule.md").write_text("# `retired-rule`\n", "utf-8")
    assert docgen.differences(docs) == ["rules/schema.md", "rules/retired-rule.md"]
    assert docgen.main(["--check", "--docs", str(docs)]) == 1
    assert docgen.main(["--docs", str(docs)]) == 0
    assert docgen.differences(docs) == []
    assert not (docs / "rules" / "retired-rule.md").exists()


def test_docstring_examples_become_yaml_blocks():
    doc = "Title.\n\nText.\n\n    a: 1\n      b: 2\n\n    c: 3\n\nMore text.\n"
    assert docgen.docstring_markdown(doc) == (
        "Title.\n\nText.\n\n```yaml\na: 1\n  b: 2\n\nc: 3\n```\n\nMore text.\n")


@pytest.mark.parametrize("name", HAND_WRITTEN + ["format.md", "rules/index.md"])
def test_relative_links_resolve(name):
    page = DOCS / name
    text = re.sub(r"```.*?```", "", page.read_text("utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "#", "mailto:")):
            continue
        path = target.split("#", 1)[0]
        assert (page.parent / path).exists(), f"{name} links to {target}, which does not exist"


def test_guide_covers_the_yearly_cycle():
    guide = (DOCS / "guide.md").read_text("utf-8")
    for phrase in ("beredskap init", "yaml-language-server", "redhat.vscode-yaml",
                   "beredskap validate", "beredskap render", "beredskap approve",
                   "beredskap due", "--format github", "--fail-on overdue", "--format ics",
                   "findings", "beredskap schema --out schemas/", "beredskap-validate"):
        assert phrase in guide, phrase


def test_quick_starts_are_in_their_languages():
    nb = (DOCS / "quickstart-nb.md").read_text("utf-8")
    da = (DOCS / "quickstart-da.md").read_text("utf-8")
    assert "--country no" in nb and "Sjekk planen" in nb
    assert "--country dk" in da and "Kontrollér planen" in da
    nn = (DOCS / "quickstart-nn.md").read_text("utf-8")
    assert "--language nn" in nn and "Sjekk planen" in nn and "--lang nn" in nn


def _shell_lines(text: str) -> list[str]:
    """The commands in a page's shell blocks, comments cut off."""
    lines = []
    for block in re.findall(r"```(?:sh|console)\n(.*?)```", text, re.S):
        lines += [line.split(" #")[0].strip().removeprefix("$ ") for line in block.splitlines()]
    return [line for line in lines if line]


@pytest.mark.parametrize("name", ["../README.md", *HAND_WRITTEN])
def test_install_commands_in_the_docs_work_without_a_registry(name):
    """beredskap is not published on a package registry: an install by name (`pip install
    beredskap`, `pipx install beredskap`) would fail for the coordinator who follows the
    page, so every install names a folder or a git address."""
    text = (DOCS / name).read_text("utf-8")
    installs = [line for line in _shell_lines(text)
                if re.search(r"\bpipx? install\b", line)]
    for line in installs:
        targets = [word for word in line.split("install", 1)[1].split()
                   if not word.startswith("-")]
        assert targets, line
        for target in targets:
            assert target.startswith((".", "/", "~", "$", "%", "git+")), \
                f"{name}: `{line}` installs {target!r} from a registry, where it is not"
    if name in ("../README.md", "guide.md", "quickstart-nb.md", "quickstart-nn.md",
                "quickstart-da.md"):
        assert installs, f"{name} does not say how to install"
        assert any(line.startswith("python3 -m venv") for line in _shell_lines(text))


def test_the_install_folder_is_a_package_pip_can_build():
    """What the docs install (`pip install ./beredskap`) is this repository's root."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert project["build-system"]["build-backend"]
    assert project["project"]["scripts"]["beredskap"].startswith("beredskapsplan.cli")


def test_the_guide_names_every_way_to_choose_the_language():
    guide = (DOCS / "guide.md").read_text("utf-8")
    for phrase in ("--lang", "BEREDSKAP_LANG", "language: nn", "beredskap.yaml", "LANG=",
                   "patternErrorMessage"):
        assert phrase in guide, phrase


def ci_commands(data) -> list[str]:
    """Every shell line in a CI file (steps' `run`, jobs' `script`)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("run", "script", "before_script") and isinstance(value, (str, list)):
                    found.extend([value] if isinstance(value, str) else
                                 [v for v in value if isinstance(v, str)])
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(data)
    return found


@pytest.mark.parametrize("name", ["github-actions.yml", "gitlab-ci.yml"])
def test_ci_examples(name):
    data = yaml.safe_load((DOCS / "ci" / name).read_text("utf-8"))
    commands = "\n".join(ci_commands(data))
    assert "beredskap validate" in commands
    assert "beredskap due --fail-on overdue" in commands
    assert "beredskap render" in commands and "--audience public" in commands
    assert "--format ics" in commands


def test_github_example_uploads_artifacts():
    data = yaml.safe_load((DOCS / "ci" / "github-actions.yml").read_text("utf-8"))
    assert "--format github" in "\n".join(ci_commands(data))
    uses = [step.get("uses", "") for job in data["jobs"].values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-artifact@") for u in uses)


def test_gitlab_example_keeps_artifacts():
    data = yaml.safe_load((DOCS / "ci" / "gitlab-ci.yml").read_text("utf-8"))
    assert data["documents"]["artifacts"]["paths"] == ["out/"]
    assert data["validate"]["artifacts"]["reports"]["junit"]


def test_completion_page_names_typer_options():
    text = (DOCS / "completion.md").read_text("utf-8")
    assert "--install-completion" in text and "--show-completion" in text


def test_docs_cli_options_exist():
    """Options the hand-written pages use for commands that exist are real options."""
    from typer.main import get_command

    from beredskapsplan.cli import app

    cli = get_command(app)
    text = "\n".join((DOCS / n).read_text("utf-8") for n in HAND_WRITTEN)
    text += "\n".join((DOCS / "ci" / n).read_text("utf-8")
                      for n in ("github-actions.yml", "gitlab-ci.yml"))
    for command, options in re.findall(r"beredskap ([a-z-]+)((?:[^\n`|]*?--[a-z-]+)+)", text):
        sub = cli.commands.get(command) if hasattr(cli, "commands") else None
        if sub is None:
            continue  # a command added by another part of the tool, or a top-level option
        if hasattr(sub, "commands"):  # a group (`record exercise`): its command's options
            words = options.split()
            sub = sub.commands.get(words[0]) if words else None
            assert sub is not None, f"`beredskap {command} {options}`: no such command"
        known = {o for p in sub.params for o in p.opts}
        for option in re.findall(r"(--[a-z][a-z-]*)", options):
            assert option in known, f"`beredskap {command} {option}` in the docs is no option"


def test_schema_json_examples_in_guide_parse():
    guide = (DOCS / "guide.md").read_text("utf-8")
    for block in re.findall(r"```json\n(.*?)```", guide, re.S):
        json.loads(block)
    for block in re.findall(r"```yaml\n(.*?)```", guide, re.S):
        yaml.safe_load(block)


def test_hooks_file_is_documented(tmp_path):
    shutil.copy(REPO / ".pre-commit-hooks.yaml", tmp_path / "hooks.yaml")
    hooks = yaml.safe_load((tmp_path / "hooks.yaml").read_text("utf-8"))
    guide = (DOCS / "guide.md").read_text("utf-8")
    for h in hooks:
        assert f"id: {h['id']}" in guide
