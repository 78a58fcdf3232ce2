"""The result cache: a warm run gives exactly the cold run's output, and any change to what
a result came from — an annex, a shared file, the settings, the day, the tool — recomputes it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from beredskapsplan import cache as cache_module
from beredskapsplan import check
from conftest import PLANS, TODAY, run


@pytest.fixture
def plans(repo: Path, tmp_path: Path, monkeypatch) -> Path:
    """Both example plans and their shared partners file, in a repository of their own,
    with a cache folder of this test's own; checks run in this process."""
    shutil.copytree(PLANS, repo / "plans")
    monkeypatch.setenv("BEREDSKAP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BEREDSKAP_WORKERS", "1")
    return repo / "plans"


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    """The plan folders actually checked (not taken from the cache), in order."""
    seen: list[str] = []
    original = check.plan_context

    def spy(folder, *args, **kwargs):
        seen.append(Path(folder).name)
        return original(folder, *args, **kwargs)

    monkeypatch.setattr(check, "plan_context", spy)
    return seen


def validate(*args: str, cwd: Path) -> tuple[int, str]:
    result = run("validate", *args, "--today", TODAY, cwd=cwd)
    return result.exit_code, result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "junit"])
def test_a_warm_run_gives_the_cold_runs_output_byte_for_byte(plans, computed, fmt):
    cold = validate("plans", "--format", fmt, cwd=plans.parent)
    assert sorted(computed) == ["bogelund", "fjellvik"]
    warm = validate("plans", "--format", fmt, cwd=plans.parent)
    assert sorted(computed) == ["bogelund", "fjellvik"], "the warm run checked a plan again"
    assert warm == cold
    uncached = validate("plans", "--format", fmt, "--no-cache", cwd=plans.parent)
    assert uncached == cold


def test_a_changed_annex_is_checked_again(plans, computed):
    validate("plans", cwd=plans.parent)
    annex = plans / "fjellvik" / "vedlegg-a-varslingsliste.yaml"
    annex.write_text(annex.read_text("utf-8").replace('"+47 ', '"+47 9', 1), "utf-8")
    computed.clear()
    code, out = validate("plans", cwd=plans.parent)
    assert computed == ["fjellvik"]
    assert code == 1 and "invalid-phone" in out


def test_a_changed_shared_file_checks_every_plan_that_uses_it(plans, computed):
    validate("plans", cwd=plans.parent)
    shared = plans / "_shared" / "partnere.yaml"
    shared.write_text(shared.read_text("utf-8") + "\nunknown_key: 1\n", "utf-8")
    computed.clear()
    code, out = validate("plans", cwd=plans.parent)
    users = [p.parent.name for p in plans.glob("*/plan.yaml")
             if "_shared/partnere.yaml" in p.read_text("utf-8")]
    assert users and sorted(computed) == sorted(users)
    assert code == 1 and "unknown_key" in out


def test_changed_repository_settings_check_again(plans, computed):
    validate("plans", cwd=plans.parent)
    (plans.parent / "beredskap.yaml").write_text("rules:\n  approval-status: error\n")
    computed.clear()
    code, out = validate("plans", cwd=plans.parent)
    assert sorted(computed) == ["bogelund", "fjellvik"]
    assert code == 1 and "error approval-status" in out


def test_another_day_checks_again(plans, computed):
    run("validate", "plans", "--today", TODAY, cwd=plans.parent)
    computed.clear()
    result = run("validate", "plans", "--today", "2031-01-01", cwd=plans.parent)
    assert sorted(computed) == ["bogelund", "fjellvik"]
    assert "stale-contact" in result.stdout  # five years on, every contact is stale


def test_another_version_of_the_tool_checks_again(plans, computed, monkeypatch):
    validate("plans", cwd=plans.parent)
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another-version")
    computed.clear()
    validate("plans", cwd=plans.parent)
    assert sorted(computed) == ["bogelund", "fjellvik"]


def test_the_tool_fingerprint_follows_its_files_and_libraries(monkeypatch):
    cache_module.code_fingerprint.cache_clear()
    first = cache_module.code_fingerprint()
    cache_module.code_fingerprint.cache_clear()
    monkeypatch.setattr(cache_module, "_library_versions", lambda: "phonenumbers=0.0")
    assert cache_module.code_fingerprint() != first
    cache_module.code_fingerprint.cache_clear()


def test_a_new_card_file_and_a_file_that_appears_check_again(plans, computed):
    validate("plans", cwd=plans.parent)
    card = next((plans / "fjellvik" / "tiltakskort").glob("*.yaml"))
    shutil.copy(card, card.with_name("kopi.yaml"))  # a second card with the same id
    computed.clear()
    code, out = validate("plans", cwd=plans.parent)
    assert computed == ["fjellvik"] and "duplicate-id" in out
    (card.with_name("kopi.yaml")).unlink()
    plan = plans / "bogelund" / "plan.yaml"
    text = plan.read_text("utf-8")
    plan.write_text(text.replace("annexes:\n", "annexes:\n  - {letter: Z, title: Nyt, "
                                               "file: bilag-z.yaml}\n", 1), "utf-8")
    code, out = validate("plans", cwd=plans.parent)
    assert "missing-file" in out
    (plans / "bogelund" / "bilag-z.yaml").write_text(
        (plans / "bogelund" / "bilag-e-skabeloner.yaml").read_text("utf-8").replace(
            "id: ", "id: z", 1), "utf-8")
    computed.clear()
    code, out = validate("plans", cwd=plans.parent)
    assert computed == ["bogelund"] and "missing-file" not in out


def test_a_changed_card_is_checked_again_and_an_unused_file_is_not_read(plans, computed):
    validate("plans", cwd=plans.parent)
    card = next((plans / "fjellvik" / "tiltakskort").glob("*.yaml"))
    card.write_text(card.read_text("utf-8").replace("title:", "title: x\n  nonsense:", 1)
                    + "unknown_key_here: 1\n", "utf-8")
    computed.clear()
    code, out = validate("plans", cwd=plans.parent)
    assert computed == ["fjellvik"] and code == 1
    stray = plans / "bogelund" / "notes.yaml"
    stray.write_text("a: 1\n", "utf-8")
    computed.clear()
    _, first = validate("plans", cwd=plans.parent)
    assert computed == ["bogelund"]  # a new file: the folder's names changed
    stray.write_text("b: 2\n", "utf-8")  # what no plan reads cannot change a result
    computed.clear()
    _, second = validate("plans", cwd=plans.parent)
    assert computed == [] and second == first


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_an_annex_link_pointed_elsewhere_is_checked_again(plans, computed):
    folder = plans / "bogelund"
    annex = folder / "bilag-e-skabeloner.yaml"
    (folder / "kopi-e.yaml").write_bytes(annex.read_bytes())
    (folder / "kopi-e2.yaml").write_bytes(annex.read_bytes().replace(b"id: ", b"id: ", 1)
                                          + b"bad_extra_key: 1\n")
    annex.unlink()
    annex.symlink_to("kopi-e.yaml")
    code, out = validate("plans", cwd=plans.parent)
    annex.unlink()
    annex.symlink_to("kopi-e2.yaml")  # same folder names, another target
    computed.clear()
    code2, out2 = validate("plans", cwd=plans.parent)
    assert computed == ["bogelund"] and out2 != out


def test_a_damaged_cache_file_is_ignored_and_rebuilt(plans, computed, tmp_path):
    cold = validate("plans", cwd=plans.parent)
    entries = list((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 2
    entries[0].write_bytes(b"\x00not json")
    entries[1].write_text(json.dumps({"format": 1, "key": "x", "today": TODAY, "deps": {},
                                      "value": {"findings": [], "checked": [], "paths": []}}))
    computed.clear()
    assert validate("plans", cwd=plans.parent) == cold
    assert sorted(computed) == ["bogelund", "fjellvik"]
    computed.clear()
    assert validate("plans", cwd=plans.parent) == cold
    assert computed == []


def test_no_cache_reads_and_writes_nothing(plans, tmp_path):
    validate("plans", "--no-cache", cwd=plans.parent)
    assert not (tmp_path / "cache").exists()


def test_runs_at_the_same_time_share_the_cache(plans, tmp_path):
    env = {**os.environ, "BEREDSKAP_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("BEREDSKAP_WORKERS", None)
    command = [sys.executable, "-m", "beredskapsplan", "validate", "plans", "--today", TODAY,
               "--format", "json"]
    procs = [subprocess.Popen(command, cwd=plans.parent, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(4)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert {p.returncode for p in procs} == {0}
    assert len({out for out, _ in outputs}) == 1
    again = subprocess.run(command, cwd=plans.parent, env=env, capture_output=True, timeout=300)
    assert again.stdout == outputs[0][0]


@pytest.fixture
def tool(tmp_path, monkeypatch) -> Path:
    """A stand-in for the installed tool's files, with a cache folder of its own."""
    folder = tmp_path / "tool"
    (folder / "rules").mkdir(parents=True)
    (folder / "check.py").write_text("RULES = 1\n", "utf-8")
    (folder / "rules" / "schema.py").write_text("ID = 'schema'\n", "utf-8")
    monkeypatch.setattr(cache_module, "_tool_folders", lambda: [folder])
    monkeypatch.setenv("BEREDSKAP_CACHE_DIR", str(tmp_path / "cache"))
    cache_module.code_fingerprint.cache_clear()
    yield folder
    cache_module.code_fingerprint.cache_clear()


def _fingerprint_counting(monkeypatch) -> tuple[str, int]:
    calls = []
    original = cache_module._content_fingerprint

    def counting(*args):
        calls.append(1)
        return original(*args)

    monkeypatch.setattr(cache_module, "_content_fingerprint", counting)
    cache_module.code_fingerprint.cache_clear()
    return cache_module.code_fingerprint(), len(calls)


def test_the_tool_digest_is_remembered_until_a_file_of_the_tool_changes(tool, monkeypatch):
    first, computed = _fingerprint_counting(monkeypatch)
    assert computed == 1
    assert _fingerprint_counting(monkeypatch) == (first, 0)  # remembered: nothing hashed
    module = tool / "rules" / "schema.py"
    stat = module.stat()
    module.write_text("ID = 'scheme'\n", "utf-8")  # the same size, a new time
    changed, computed = _fingerprint_counting(monkeypatch)
    assert computed == 1 and changed != first
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even with the old time back
    assert _fingerprint_counting(monkeypatch)[0] == changed
    (tool / "rules" / "new_rule.py").write_text("", "utf-8")
    added, computed = _fingerprint_counting(monkeypatch)
    assert computed == 1 and added not in (first, changed)


def test_a_damaged_tool_digest_is_computed_again(tool, monkeypatch, tmp_path):
    first, _ = _fingerprint_counting(monkeypatch)
    (memo,) = (tmp_path / "cache" / "tool").glob("*.json")
    for damage in (b"", b"{not json", b'{"signature": 1, "fingerprint": 2}', b"[]"):
        memo.write_bytes(damage)
        assert _fingerprint_counting(monkeypatch) == (first, 1)
        assert json.loads(memo.read_bytes())["fingerprint"] == first  # and rewritten


def test_library_versions_are_those_importlib_metadata_reads():
    from importlib import metadata

    names = {"yaml": "PyYAML", "jsonschema_rs": "jsonschema-rs"}
    expected = ";".join(f"{library}={metadata.version(names.get(library, library))}"
                        for library in cache_module.LIBRARIES)
    assert cache_module._library_versions() == expected
