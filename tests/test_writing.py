"""Writing plan files: locked, atomic, through links, with the file's own line endings.

Every command that writes (approve, init, new, record, close, verify) goes through
`beredskapsplan.writing`; these tests hold it to what a user relies on: nothing is
lost when runs overlap, a symlink stays a link, and a file keeps its BOM, CRLF,
mixed line endings, missing final newline and permissions.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from beredskapsplan import writing
from beredskapsplan.documents import read_document
from beredskapsplan.yamledit import Append, edit
from conftest import PLANS, TODAY, run

BEREDSKAP = [sys.executable, "-m", "beredskapsplan"]


def copy_example(root: Path, name: str = "fjellvik") -> Path:
    (root / ".git").mkdir(exist_ok=True)
    shutil.copytree(PLANS / "_shared", root / "plans" / "_shared", dirs_exist_ok=True)
    return Path(shutil.copytree(PLANS / name, root / "plans" / name))


def add_line(current: writing.TextFile) -> str:
    return edit(current.text, [Append(("items",), {"n": 3})], "f.yaml")


@pytest.mark.parametrize("raw, expected", [
    (b"items:\n- {n: 1}\n", b"items:\n- {n: 1}\n- {n: 3}\n"),
    (b"items:\r\n- {n: 1}\r\n", b"items:\r\n- {n: 1}\r\n- {n: 3}\r\n"),
    (b"\xef\xbb\xbfitems:\n- {n: 1}\n", b"\xef\xbb\xbfitems:\n- {n: 1}\n- {n: 3}\n"),
    (b"items:\n- {n: 1}", b"items:\n- {n: 1}\n- {n: 3}"),  # no final newline, none after
    (b"items:\r\n- {n: 1}", b"items:\r\n- {n: 1}\r\n- {n: 3}"),
    # mixed: every old line keeps its own ending, the new one takes the more common one
    (b"# a\r\nitems:\n- {n: 1}\r\n- {n: 2}\r\n", b"# a\r\nitems:\n- {n: 1}\r\n- {n: 2}\r\n"
     b"- {n: 3}\r\n"),
], ids=["lf", "crlf", "bom", "no-final-newline", "crlf-no-final-newline", "mixed"])
def test_update_keeps_how_the_file_is_written(tmp_path, raw, expected):
    target = tmp_path / "f.yaml"
    target.write_bytes(raw)
    change = writing.update(target, add_line)
    assert change.written and target.read_bytes() == expected
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]  # no temporary file left


@pytest.mark.parametrize("raw", [b"a: 1\r\nb: 2\n", b"\xef\xbb\xbfa: 1", b"a: 1\r\n\r\n", b""])
def test_unchanged_text_is_written_back_byte_for_byte(raw):
    file = writing.decode(Path("f.yaml"), raw)
    assert file.encode(file.text) == raw


def test_a_symlinked_file_is_updated_through_its_link(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "f.yaml"
    target.write_bytes(b"items:\n- {n: 1}\n")
    target.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(os.path.relpath(target, tmp_path))
    writing.update(link, add_line)
    assert link.is_symlink() and os.readlink(link) == "shared/f.yaml"
    assert target.read_bytes() == b"items:\n- {n: 1}\n- {n: 3}\n"
    assert target.stat().st_mode & 0o777 == 0o640  # the permissions are kept
    assert sorted(p.name for p in shared.iterdir()) == ["f.yaml"]


def test_dry_run_and_a_failed_change_write_nothing(tmp_path):
    target = tmp_path / "f.yaml"
    target.write_bytes(b"items:\n- {n: 1}\n")
    stamp = target.stat().st_mtime_ns
    change = writing.update(target, add_line, dry_run=True)
    assert not change.written and change.changed
    assert change.diff("f.yaml").splitlines()[-1] == "+- {n: 3}"

    def broken(current):
        raise ValueError("no")

    with pytest.raises(ValueError):
        writing.update(target, broken)
    assert target.read_bytes() == b"items:\n- {n: 1}\n" and target.stat().st_mtime_ns == stamp


def test_a_read_only_file_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "f.yaml"
    target.write_bytes(b"items: []\n")
    target.chmod(0o444)
    if os.access(target, os.W_OK):
        pytest.skip("running as root: a read-only file is still writable")
    with pytest.raises(writing.WriteError) as caught:
        writing.update(target, add_line)
    assert "read-only" in str(caught.value)
    assert target.read_bytes() == b"items: []\n"


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    target = tmp_path / "f.yaml"
    target.write_bytes(b"title: Bl\xe5b\xe6r\n")
    with pytest.raises(writing.WriteError) as caught:
        writing.update(target, add_line)
    assert "not UTF-8" in str(caught.value) and "byte 10" in str(caught.value)


def test_create_never_replaces_a_file(tmp_path):
    target = tmp_path / "new.yaml"
    writing.create(target, "a: 1\n")
    assert target.read_text("utf-8") == "a: 1\n"
    with pytest.raises(FileExistsError):
        writing.create(target, "a: 2\n")
    assert target.read_text("utf-8") == "a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_second_writer_waits_and_sees_the_first_ones_change(tmp_path):
    target = tmp_path / "f.yaml"
    target.write_bytes(b"items:\n- {n: 1}\n")
    order = []

    def slow(current):
        order.append("first read")
        time.sleep(0.4)  # the second writer starts meanwhile and must wait
        return edit(current.text, [Append(("items",), {"n": 2})], "f.yaml")

    first = threading.Thread(target=writing.update, args=(target, slow))
    first.start()
    time.sleep(0.1)

    def second(current):
        order.append("second read")
        return add_line(current)

    writing.update(target, second)
    first.join()
    assert order == ["first read", "second read"]
    assert target.read_bytes() == b"items:\n- {n: 1}\n- {n: 2}\n- {n: 3}\n"


def test_a_writer_that_cannot_get_the_lock_gives_up_and_writes_nothing(tmp_path):
    target = tmp_path / "f.yaml"
    target.write_bytes(b"items: []\n")
    with writing.locked(target):
        with pytest.raises(writing.WriteError) as caught:
            writing.update(target, add_line, wait=0.2)
    assert "another beredskap command" in str(caught.value)
    assert target.read_bytes() == b"items: []\n"


# -- approve, as the user runs it --------------------------------------------------------------

def test_eight_approvals_at_once_all_land(tmp_path):
    plan = copy_example(tmp_path)
    runs = [subprocess.Popen([*BEREDSKAP, "approve", str(plan), "--date", "2026-11-20", "--by",
                              "Kommunestyret", "--case", f"26/{n}", "--today", TODAY],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
            for n in range(8)]
    results = [(p.wait(timeout=300), p.stderr.read().decode()) for p in runs]
    for p in runs:
        p.stdout.close()
        p.stderr.close()
    assert [code for code, _err in results] == [0] * 8, results
    approvals = read_document(plan / "plan.yaml").data["approvals"]
    assert sorted(a["case"] for a in approvals[1:]) == [f"26/{n}" for n in range(8)]
    assert run("validate", str(plan), "--today", TODAY).exit_code == 0


@pytest.mark.parametrize("form", ["crlf", "bom", "no-final-newline", "symlink"])
def test_approve_keeps_the_file_as_it_was_written(tmp_path, form):
    plan = copy_example(tmp_path)
    plan_file = plan / "plan.yaml"
    raw = plan_file.read_bytes()
    if form == "crlf":
        raw = raw.replace(b"\n", b"\r\n")
    elif form == "bom":
        raw = b"\xef\xbb\xbf" + raw
    elif form == "no-final-newline":
        raw = raw.rstrip(b"\n")
    plan_file.write_bytes(raw)
    if form == "symlink":
        kept = tmp_path / "plans" / "kept"
        kept.mkdir()
        plan_file.rename(kept / "plan.yaml")
        plan_file.symlink_to("../kept/plan.yaml")
    result = run("approve", str(plan), "--date", "2026-11-20", "--by", "Kommunestyret",
                 "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    after = plan_file.read_bytes()
    newline = b"\r\n" if form == "crlf" else b"\n"
    old_lines, new_lines = raw.split(newline), after.split(newline)
    assert len(new_lines) == len(old_lines) + 1
    added = [line for line in new_lines if line not in old_lines]
    assert len(added) == 1 and b"2026-11-20" in added[0]
    assert after.startswith(b"\xef\xbb\xbf") == (form == "bom")
    assert after.endswith(b"\n") == (form != "no-final-newline")
    if form == "crlf":
        assert b"\n" not in after.replace(b"\r\n", b"")
    if form == "symlink":
        assert plan_file.is_symlink()
        assert (tmp_path / "plans" / "kept" / "plan.yaml").read_bytes() == after
