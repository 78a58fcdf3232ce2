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


def _positive(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def test_runner_quick_cheap_measurements(tmp_path: Path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--only", "a,c,d,e,i,j,k,l",
                           "--municipalities", "4", "--small", "2", "--huge", "6",
                           "--cache", str(tmp_path / "cache"), "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    # i, j and k bring along what they are judged against: c, f and h (with its base)
    assert set(results["measurements"]) == {"a", "c", "c_small", "i", "d", "l", "y", "e",
                                            "f", "h", "h_base", "j", "k"}
    for key, m in results["measurements"].items():
        assert _positive(m["best"]) and _positive(m["median"]) and _positive(m["cpu_best"]), key
        assert all(_positive(kb) for kb in m["max_rss_kb"] + m["tree_rss_kb"]), key
    assert results["corpora"]["huge"]["municipalities"] == 6
    assert results["settings"]["huge"] == 6
    assert "process tree" in results["machine"]["rss_method"]["tree_rss_kb"]
    # the tool starts from bytecode, as an installed one does, whatever PYTHONDONTWRITEBYTECODE says
    assert results["settings"]["bytecode"].startswith("compiled before the run")

    # every beredskap measurement had its own result cache: the warm ones found theirs
    # filled, --no-cache wrote none, and the user's own cache folder was never used
    m = results["measurements"]
    assert m["i"]["cache"] == m["d"]["cache"] == "warm"
    assert m["c"]["cache"] == m["l"]["cache"] == "cold"
    assert m["i"]["cache_files_at_end"] == 4 and m["d"]["cache_files_at_end"] == 1
    assert m["c"]["cache_files_at_end"] == 4 and m["c_small"]["cache_files_at_end"] == 2
    assert m["l"]["cache_files_at_end"] == m["h_base"]["cache_files_at_end"] == 0
    assert m["a"]["cache"] is None and m["y"]["cache"] is None

    # each ratio by what it divides and by which figure: time, CPU or memory
    ratios = {(*r["of"], r["metric"]): r for r in results["ratios"]}
    expected = {("c", "a", "time"), ("c", "a", "cpu"), ("i", "c", "time"), ("d", "y", "time"),
                ("l", "y", "time"), ("e", "y", "time"), ("f", "c", "time"), ("h", "h_base", "time"),
                ("c", "c_small", "time"), ("c", "c_small", "tree"), ("c", "c_small", "rss"),
                ("j", "f", "tree"), ("k", "h", "tree")}
    assert set(ratios) == expected
    for row in ratios.values():
        assert _positive(row["value"]) and _positive(row["median_value"]), row
        assert isinstance(row["met"], bool) and row["target"].startswith("≤"), row
    assert ratios["d", "y", "time"]["target_value"] == 4.0
    assert ratios["l", "y", "time"]["target_value"] == 6.0
    assert ratios["i", "c", "time"]["target_value"] == 0.1
    assert ratios["c", "a", "cpu"]["target_value"] == 1.0
    assert ratios["j", "f", "tree"]["target_value"] == ratios["k", "h", "tree"]["target_value"] == 1.5
    assert "ratio" in proc.stdout and "check-jsonschema" not in proc.stdout
    assert "tree RSS" in proc.stdout


def test_runner_refuses_unknown_measurement(tmp_path: Path):
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--quick", "--only", "c,z",
                           "--cache", str(tmp_path / "cache")], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and "choose from a-l" in proc.stderr
