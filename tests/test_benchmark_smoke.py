"""Smoke test of the benchmark in benchmarks/: the corpus generator is deterministic
and produces valid plans, its error injection reaches every rule, and the runner
runs. It measures nothing: performance is judged by running benchmarks/run.py."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from beredskapsplan.rules import RULES
from conftest import REPO, TODAY, generated_corpus, run, tree_checksum

BENCH = REPO / "benchmarks"


def generate(out: Path, *args: str) -> Path:
    return generated_corpus(out, 4, 11, *args)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("bench") / "corpus")


def test_same_seed_gives_byte_identical_tree(corpus: Path, tmp_path: Path):
    again = generate(tmp_path / "again")
    first, second = tree_checksum(corpus), tree_checksum(again)
    assert first == second
    plans = [p for p in first if p.endswith("plan.yaml")]
    assert len(plans) == 4
    assert any("/no/" in p for p in plans) and any("/dk/" in p for p in plans)
    assert tree_checksum(generate(tmp_path / "other", "--seed", "12")) != first


def test_generated_corpus_has_no_errors(corpus: Path):
    result = run("validate", str(corpus), "--format", "json", "--today", TODAY, cwd=corpus)
    findings = result.findings
    assert result.exit_code == 0, findings
    assert [f for f in findings if f["severity"] != "info"] == []
    index = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
    assert index["totals"]["yaml_files"] == len(index["files"]) > 4 * 16


def test_error_share_breaks_every_rule_where_the_manifest_says(tmp_path: Path):
    corpus = generate(tmp_path / "broken", "--error-share", "1.0")
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["rules"]) == set(RULES), "the generator must be able to break every rule"
    assert manifest["not_injected"] == []
    result = run("validate", str(corpus), "--format", "json", "--today", TODAY, cwd=corpus)
    assert result.exit_code == 1
    found = {(f["rule"], Path(f["path"]).as_posix()) for f in result.findings}
    for entry in manifest["injected"]:
        assert any(rule == entry["rule"] and path.endswith(entry["file"]) for rule, path in found), entry


def test_runner_quick_cheap_measurements(tmp_path: Path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--only", "a,c,e",
                           "--municipalities", "4", "--small", "2", "--cache", str(tmp_path / "cache"),
                           "--json", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    assert set(results["measurements"]) == {"a", "c", "c_small", "y", "e"}
    assert all(m["best"] > 0 and m["max_rss_kb"] for m in results["measurements"].values())
    names = " ".join(r["name"] for r in results["ratios"])
    assert "(c)/(a)" in names and "(e)/import yaml" in names and "RSS(c" in names
    assert "ratio" in proc.stdout and "check-jsonschema" not in proc.stdout
