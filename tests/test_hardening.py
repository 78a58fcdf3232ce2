"""Hardening: hostile, huge and unusual input through every command.

Each test works on a copy of a small, complete plan (fixtures/hardening/repo:
plan `lia` with annexes A-F, a shared partners file, an exempt section,
private numbers and clearances) or of an example plan, breaks or stretches one
thing and runs the command line. Every run is checked for:

- the exit status;
- a message that names the file and, where there is one, its `:line:col`;
- no Python traceback in the output;
- no change to any file of the plan (checksum of the tree before and after).

What `test_bad_input.py` and `test_yamlread.py` already cover (broken files
under `validate`, the reader's limits one by one) is not repeated here; these
tests push the same kinds of input through `due`, `call-list`, `render` and
`approve` as well, and cover the output side of `render`.
"""
from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
import zipfile
from pathlib import Path
from xml.dom import minidom

import pytest

from conftest import FIXTURES, PLANS, TODAY, Result, run, tree_checksum

HARD = FIXTURES / "hardening" / "repo"
PLAN = "plans/lia/plan.yaml"
ANNEX = "plans/lia/vedlegg-a.yaml"
CARD = "plans/lia/tiltakskort/flom.yaml"
SHARED = "plans/_shared/partnere.yaml"
PLACES = {"plan": PLAN, "annex": ANNEX, "card": CARD, "shared": SHARED}
HEADER = b"beredskap: 1\nkind: contacts\n"
APPROVAL = ("--date", "2026-11-20", "--by", "Kommunestyret", "--case", "26/0999")

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


class Workspace:
    """A copy of the hardening repository, with an output folder outside it."""

    def __init__(self, base: Path, source: Path = HARD):
        self.root = base / "repo"
        shutil.copytree(source, self.root, symlinks=True)
        (self.root / ".git").mkdir(exist_ok=True)
        self.out = base / "out"

    def path(self, relative: str) -> Path:
        return self.root / relative

    def write(self, relative: str, content: bytes | str) -> Path:
        path = self.root / relative
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def replace(self, relative: str, old: str, new: str, count: int = 1) -> None:
        path = self.root / relative
        text = path.read_bytes().decode("utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_bytes(text.replace(old, new, count).encode("utf-8"))

    def checksum(self) -> dict[str, str]:
        return tree_checksum(self.root)

    def cli(self, *args: str) -> Result:
        return run(*args, cwd=self.root)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


def commands(ws: Workspace, plan: str = "plans/lia") -> dict[str, tuple[str, ...]]:
    """Every command that reads a plan; `approve` last, since it may write."""
    return {
        "validate": ("validate", "plans", "--today", TODAY),
        "validate-json": ("validate", plan, "--format", "json", "--today", TODAY),
        "due": ("due", plan, "--today", TODAY, "--format", "json"),
        "call-list": ("call-list", plan),
        "render": ("render", plan, "--to", "md", "--out", str(ws.out), "--today", TODAY),
        "render-draft": ("render", plan, "--to", "md,html", "--out", str(ws.out), "--draft",
                         "--today", TODAY),
        "approve": ("approve", plan, *APPROVAL, "--today", TODAY),
    }


def no_traceback(result: Result) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    return output


def run_all_refused(ws: Workspace, place: str, where: str, rule: str, words: str,
                    recorder: "OpenRecorder | None" = None) -> dict:
    """Run every command on a plan with one broken file; all refuse cleanly.

    `where` is `line:col` of the problem in `place`. Returns the results.
    """
    before = ws.checksum()
    results = {}
    for name, args in commands(ws).items():
        if recorder is not None:
            recorder.active = True
        try:
            result = ws.cli(*args)
        finally:
            if recorder is not None:
                recorder.active = False
        results[name] = result
        output = no_traceback(result)
        assert ws.checksum() == before, f"{name} changed the plan"
        if name == "validate":
            assert result.exit_code == 1, output
            line = f"{place}:{where}: error {rule} "
            assert any(l.startswith(line) and words in l for l in result.stdout.splitlines()), \
                f"no {line!r} with {words!r} in:\n{output}"
        elif name == "validate-json":
            assert result.exit_code == 1
            assert any((f["path"], f"{f['line']}:{f['column']}", f["rule"]) == (place, where, rule)
                       for f in result.findings), result.findings
        elif name == "due":
            json.loads(result.stdout)  # still a valid document for scripts
            if "no deadlines can be computed" in result.stderr:  # plan.yaml unreadable
                assert place == PLAN and result.exit_code == 1, output
                assert f"{place}:{where}:" in result.stderr, output
            else:
                assert result.exit_code in (0, 1), output
                assert "validation error" in result.stderr and PLAN in result.stderr
        elif name in ("render", "approve"):
            assert result.exit_code == 1, output
            assert f"{place}:{where}: {rule}" in result.stderr, output
            if name == "render":
                assert not ws.out.exists() or not any(ws.out.iterdir())
        elif name == "render-draft":
            # a draft is made when the plan could be read; otherwise a clear refusal
            if result.exit_code == 0:
                assert "DRAFT" in result.stdout
            else:
                assert result.exit_code == 1 and PLAN in result.stderr, output
        else:  # call-list: never a traceback (what it says is checked in its own test)
            assert result.exit_code in (0, 1, 2), output
    return results


# -- a 50 MB file ------------------------------------------------------------------------

class OpenRecorder:
    """Records the files a command opens through open()/io.open() (as Path.read_bytes does)."""

    def __init__(self, monkeypatch):
        self.opened: list[str] = []
        self.active = False
        real = io.open

        def recording_open(file, *args, **kwargs):
            if self.active and isinstance(file, (str, bytes, os.PathLike)):
                self.opened.append(os.path.realpath(os.fsdecode(file)))
            return real(file, *args, **kwargs)

        monkeypatch.setattr(io, "open", recording_open)
        monkeypatch.setattr(builtins, "open", recording_open)


def write_50_mb(path: Path) -> int:
    padding = b"# " + b"x" * 1021 + b"\n"  # 1 KiB comment lines: valid YAML all through
    with open(path, "wb") as handle:
        handle.write(HEADER)
        for _ in range(50 * 1024):
            handle.write(padding)
        handle.write(b"people: []\n")
    return path.stat().st_size


@pytest.mark.parametrize("place", ["plan", "annex", "card", "shared"])
def test_a_50_mb_file_is_refused_quickly_without_being_read(ws, monkeypatch, place):
    relative = PLACES[place]
    size = write_50_mb(ws.path(relative))
    assert size > 50 * 1024 * 1024
    recorder = OpenRecorder(monkeypatch)
    results = run_all_refused(ws, relative, "1:1", "yaml-syntax", "MB", recorder)
    assert f"{round(size / 1048576)} MB" in results["validate"].stdout
    assert "5 MB" in results["validate"].stdout
    if place != "plan":  # the recorder works: the plan and its other files were read
        assert os.path.realpath(ws.path(PLAN)) in recorder.opened
    assert os.path.realpath(ws.path(relative)) not in recorder.opened  # refused unread


# -- a plan with 100,000 sections ----------------------------------------------------------

def _many_sections(ws: Workspace, count: int) -> None:
    text = ws.path(PLAN).read_text("utf-8")
    start, end = text.index("sections:\n"), text.index("annexes:\n")
    lines = ["sections:\n",
             "  - id: innledning\n    title: Innledning\n",
             "    covers: [purpose, crisis-management, activation, public-warning, evacuation, "
             "crisis-communication]\n    body: Planen.\n"]
    lines += [f"  - {{id: s{n}, title: T, body: x}}\n" for n in range(count)]
    ws.path(PLAN).write_text(text[:start] + "".join(lines) + text[end:], "utf-8")


def _values(path: Path) -> int:
    """Nodes in a YAML file (scalars, keys, lists, mappings), without resolving aliases."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, "rb") as handle:
        return sum(1 for e in yaml.parse(handle, Loader=loader)
                   if isinstance(e, (yaml.ScalarEvent, yaml.MappingStartEvent,
                                     yaml.SequenceStartEvent)))


def test_a_plan_with_100000_sections_is_handled(ws):
    """Validated, or refused by a documented limit; never a traceback or a hang."""
    _many_sections(ws, 100_000)
    size = ws.path(PLAN).stat().st_size
    assert size < 5 * 1024 * 1024  # under the size limit: the content itself must be handled
    before = ws.checksum()
    timings = {}
    for name in ("validate-json", "due", "call-list"):
        started = time.perf_counter()
        result = ws.cli(*commands(ws)[name])
        timings[name] = time.perf_counter() - started
        output = no_traceback(result)
        assert ws.checksum() == before
        if name == "validate-json":
            assert result.exit_code in (0, 1), output
            errors = [f for f in result.findings if f["severity"] == "error"]
            for f in errors:  # a refusal names the limit, at a place in plan.yaml
                assert f["rule"] == "yaml-syntax" and f["path"] == PLAN, f
                assert "limit" in f["message"] or "more than" in f["message"], f
        else:
            assert result.exit_code in (0, 1), output
    slow = {k: round(v, 1) for k, v in timings.items() if v > 60}
    if slow:
        warnings.warn(f"100,000 sections: slow commands {slow}")


def test_the_value_limit_counts_each_value_once(ws):
    ws.replace(PLAN, "annexes:\n", "x-tall: [" + "0, " * 400_000 + "0]\nannexes:\n")
    assert _values(ws.path(PLAN)) < 1_000_000
    result = ws.cli(*commands(ws)["validate-json"])
    no_traceback(result)
    assert not [f for f in result.findings if "1,000,000" in f["message"]], result.findings
    assert result.exit_code == 0


# -- CRLF line endings across a whole plan ------------------------------------------------

# the same mistakes, planted in the LF and the CRLF copy
MISTAKES = [
    ("vedlegg-a-varslingsliste.yaml", '"880 10 001"', '"880 10 00"'),  # invalid-phone
    ("plan.yaml", "holders: [ingrid-solberg, arne-haugland]",
     "holders: [ingrid-solberg, arne-hauglan]"),  # unknown-ref
    ("tiltakskort/evakuering.yaml", "trigger: |", "triger: |"),  # schema, with a suggestion
    ("plan.yaml", "Fjellvik kommune skal verne innbyggernes",
     "Fjellvik kommune skal verne\tHEMMELIG innbyggernes"),  # classified-marking after a tab
    ("vedlegg-b-ressursoversikt.yaml", "    category: lokaler\n",
     "    category: lokaler\n    category: lokaler\n"),  # duplicate-key
    ("vedlegg-a-varslingsliste.yaml", '{number: "880 10 010", label: direkte}',
     '{number: "880 10 01", label: direkte}  # beredskap: ignore[invalid-phone]'),  # suppressed
]


def _plant(folder: Path) -> None:
    for name, old, new in MISTAKES:
        path = folder / name
        text = path.read_text("utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), "utf-8")


def _to_crlf(folder: Path) -> int:
    count = 0
    for path in folder.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert b"\r" not in raw
            path.write_bytes(raw.replace(b"\n", b"\r\n"))
            count += 1
    return count


def _findings(result: Result) -> list[tuple]:
    return sorted((f["path"], f["rule"], f["severity"], f["line"], f["column"], f["message"])
                  for f in result.findings)


def test_crlf_line_endings_give_the_same_findings_and_documents(tmp_path):
    lf, crlf = Workspace(tmp_path / "lf", PLANS), Workspace(tmp_path / "crlf", PLANS)
    for w in (lf, crlf):
        _plant(w.root / "fjellvik")
    assert _to_crlf(crlf.root / "fjellvik") >= 10
    args = ("validate", "fjellvik", "--format", "json", "--today", TODAY)
    expected, got = lf.cli(*args), crlf.cli(*args)
    no_traceback(got)
    assert got.exit_code == expected.exit_code == 1
    assert _findings(got) == _findings(expected)
    rules = {f[1] for f in _findings(expected)}
    assert {"invalid-phone", "unknown-ref", "schema", "classified-marking",
            "duplicate-key"} <= rules, rules
    assert len([f for f in _findings(expected) if f[1] == "invalid-phone"]) == 1  # suppressed

    # the clean plan with CRLF renders, in every format, exactly as with LF
    clean_lf, clean_crlf = Workspace(tmp_path / "clf", PLANS), Workspace(tmp_path / "ccrlf", PLANS)
    _to_crlf(clean_crlf.root / "fjellvik")
    before = clean_crlf.checksum()
    for w in (clean_lf, clean_crlf):
        result = w.cli("render", "fjellvik", "--out", str(w.out), "--today", TODAY)
        no_traceback(result)
        assert result.exit_code == 0, result.stderr
    assert clean_crlf.checksum() == before
    names = sorted(p.name for p in clean_lf.out.iterdir())
    assert names == ["fjellvik.docx", "fjellvik.html", "fjellvik.md", "fjellvik.pdf"]
    for name in names:
        assert (clean_crlf.out / name).read_bytes() == (clean_lf.out / name).read_bytes(), name
    for name in ("call-list", "due"):
        extra = ("--today", TODAY) if name == "due" else ()
        assert clean_crlf.cli(name, "fjellvik", *extra).stdout == \
            clean_lf.cli(name, "fjellvik", *extra).stdout


# -- NUL bytes and control characters ------------------------------------------------------

@pytest.mark.parametrize("place, old, new, where", [
    ("plan", "title: Overordnet beredskapsplan for Lia kommune",
     "title: Overordnet beredskapsplan for Lia\0 kommune", "7:41"),
    ("plan", "# property tests:", "# property\0 tests:", "2:11"),  # in a comment
    ("card", "  - text: Varsle kriseledelsen.", "  - text: Varsle \0kriseledelsen.", "9:18"),
    ("shared", "    type: nødetat", "    type: nodetat\0", "7:18"),
], ids=["plan-value", "plan-comment", "card", "shared"])
def test_nul_byte_everywhere_is_refused_by_every_command(ws, place, old, new, where):
    ws.replace(PLACES[place], old, new)
    run_all_refused(ws, PLACES[place], where, "yaml-syntax", "U+0000")


@pytest.mark.parametrize("old, new, where", [
    ("    type: nødetat", "    type: nød\0etat", "7:14"),
    ("    name: Politiet, Lia lensmannskontor", "    name: " + "Rådhus " * 12 + "\a", "6:95"),
    ("verified: 2026-10-01\n", "# Samarbeidspartnere – " + "æøå" * 30 + "\nverified: \0\n",
     "4:11"),
], ids=["same-line", "long-line", "next-line"])
def test_a_control_character_after_norwegian_letters_is_reported_where_it_is(ws, old, new, where):
    ws.replace(SHARED, old, new)
    result = ws.cli(*commands(ws)["validate-json"])
    no_traceback(result)
    lines = ws.path(SHARED).read_text("utf-8").splitlines()
    line, column = (int(n) for n in where.split(":"))
    assert lines[line - 1][column - 1] in "\0\a"  # the expected place really holds it
    found = [(f["line"], f["column"]) for f in result.findings
             if f["path"] == SHARED and f["rule"] == "yaml-syntax"]
    assert found == [(line, column)]


@pytest.mark.parametrize("escape", ["\\0", "\\x01", "\\e", "\\uFFFE"])
def test_control_character_escapes_never_make_a_broken_docx(ws, escape):
    ws.replace(PLAN, "title: Overordnet beredskapsplan for Lia kommune",
               f'title: "Overordnet beredskapsplan{escape} for Lia kommune"')
    before = ws.checksum()
    checked = ws.cli(*commands(ws)["validate-json"])
    no_traceback(checked)
    if checked.exit_code == 1:  # refusing the character is right, if it says where
        assert any((f["path"], f["line"]) == (PLAN, 7) for f in checked.findings)
        return
    result = ws.cli("render", "plans/lia", "--to", "docx", "--out", str(ws.out), "--today", TODAY)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert ws.checksum() == before
    with zipfile.ZipFile(ws.out / "lia.docx") as docx:
        for name in docx.namelist():
            if name.endswith((".xml", ".rels")):
                minidom.parseString(docx.read(name))  # raises when not well-formed


# -- very long lines -----------------------------------------------------------------------

LONG = "ZQXLANG" + "abcdefghij" * 100_000  # one word of 1 MB on one line


def test_a_1_mb_line_is_read_and_rendered(ws):
    ws.replace(PLAN, "    body: Innbyggerne varsles med SMS og på kommunens nettsider.",
               f"    body: Innbyggerne varsles med {LONG}")
    ws.replace(ANNEX, "    position: Ordfører", f"    position: {LONG}")
    before = ws.checksum()
    for name in ("validate-json", "due", "call-list"):
        result = ws.cli(*commands(ws)[name])
        no_traceback(result)
        assert result.exit_code == 0, (name, result.stdout[-500:], result.stderr)
    calls = json.loads(ws.cli("call-list", "plans/lia", "--format", "json").stdout)
    assert LONG in [h["position"] for e in calls["call_order"] for h in e["holders"]]
    result = ws.cli("render", "plans/lia", "--to", "md,html,docx", "--out", str(ws.out),
                    "--today", TODAY)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    assert ws.checksum() == before
    md = (ws.out / "lia.md").read_text("utf-8")
    assert md.count(LONG) >= 2
    assert LONG in (ws.out / "lia.html").read_text("utf-8")


def test_a_1_mb_word_gives_a_pdf_or_a_quick_refusal(ws, monkeypatch):
    """Within 20 s per pandoc run: a PDF, or a refusal that points at the long value."""
    from beredskapsplan.render import convert

    real = subprocess.run

    def capped(*args, **kwargs):
        kwargs["timeout"] = min(kwargs.get("timeout") or 20, 20)
        return real(*args, **kwargs)

    monkeypatch.setattr(convert.subprocess, "run", capped)
    ws.replace(PLAN, "    body: Innbyggerne varsles med SMS og på kommunens nettsider.",
               f"    body: {LONG}")
    result = ws.cli("render", "plans/lia", "--to", "pdf", "--out", str(ws.out), "--today", TODAY)
    no_traceback(result)
    if result.exit_code == 0:
        assert (ws.out / "lia.pdf").is_file()
    else:
        assert f"{PLAN}:" in result.stderr, result.stderr


# -- keys that are not text, tags, merge keys, several documents ----------------------------

@pytest.mark.parametrize("place, anchor, text, where, rule, words", [
    ("plan", "annexes:\n", "1: x\n", "68:1", "schema", "'1'"),
    ("plan", "annexes:\n", "true: x\n", "68:1", "schema", "'true'"),
    ("plan", "annexes:\n", "? [a]\n: b\n", "68:3", "yaml-syntax", "key"),
    ("plan", "annexes:\n", "? [a]: b\n", "68:3", "yaml-syntax", "key"),
    ("plan", "    duties: Eier planen og leder staben.\n", "    {x: 1}: y\n", "41:5",
     "yaml-syntax", "key"),
    ("annex", "    phones: [{number: \"414 56 789\"}]\n", "    1: x\n", "23:5", "schema", "'1'"),
    ("annex", "    phones: [{number: \"414 56 789\"}]\n", "    TRUE: x\n", "23:5", "schema",
     "'TRUE'"),
    ("card", "level: 2\n", "? [a, b]\n: c\n", "7:3", "yaml-syntax", "key"),
], ids=["plan-int", "plan-bool", "plan-complex", "plan-complex-inline", "role-mapping-key",
        "annex-int", "annex-bool", "card-list-key"])
def test_keys_that_are_not_text(ws, place, anchor, text, where, rule, words):
    """`1: x` and `true: x` are the text keys '1' and 'true'; a list or mapping key is refused."""
    new = text + anchor if anchor == "annexes:\n" else anchor + text
    ws.replace(PLACES[place], anchor, new)
    run_all_refused(ws, PLACES[place], where, rule, words)


TAGGED = [
    "!!python/object/apply:os.system [\"touch {marker}\"]",
    "!!python/object/apply:subprocess.check_output [[\"touch\", \"{marker}\"]]",
    "!!python/object/new:os.system [\"touch {marker}\"]",
    "!!python/name:os.system",
]


@pytest.mark.parametrize("tagged", TAGGED, ids=["apply", "apply-subprocess", "new", "name"])
@pytest.mark.parametrize("place, old, prefix, where", [
    ("plan", "title: Overordnet beredskapsplan for Lia kommune", "title: ", "7:8"),
    ("annex", "    position: Ordfører", "    position: ", "8:15"),
    ("card", "title: Flom i Lia sentrum", "title: ", "4:8"),
], ids=["plan", "annex", "card"])
def test_python_tags_never_run(ws, tmp_path, tagged, place, old, prefix, where):
    marker = tmp_path / "hacked"
    ws.replace(PLACES[place], old, prefix + tagged.format(marker=marker))
    results = run_all_refused(ws, PLACES[place], where, "yaml-syntax", "tag")
    assert not marker.exists()
    assert "not allowed" in results["validate"].stdout


def test_tag_on_a_key_and_inside_a_flow_list_never_runs(ws, tmp_path):
    marker = tmp_path / "hacked"
    ws.replace(PLAN, "annexes:\n",
               f"? !!python/object/apply:os.system [\"touch {marker}\"]\n: x\nannexes:\n")
    run_all_refused(ws, PLAN, "68:3", "yaml-syntax", "tag")
    ws.replace(PLAN, f"? !!python/object/apply:os.system [\"touch {marker}\"]\n: x\n", "")
    ws.replace(PLAN, "holders: [kari-lia, ola-lia]",
               f"holders: [kari-lia, !!python/object/apply:os.system [\"touch {marker}\"]]")
    run_all_refused(ws, PLAN, "30:25", "yaml-syntax", "tag")
    assert not marker.exists()


@pytest.mark.parametrize("place, old, new, where", [
    ("plan", "  - id: kommunedirektor\n",
     "  - &rolle\n    id: x-mal\n  - <<: *rolle\n    id: kommunedirektor\n", "35:5"),
    ("annex", "  - id: ola-lia\n", "  - <<: {verified: 2026-10-01}\n    id: ola-lia\n", "14:5"),
], ids=["plan", "annex"])
def test_merge_keys_are_refused_by_every_command(ws, place, old, new, where):
    ws.replace(PLACES[place], old, new)
    run_all_refused(ws, PLACES[place], where, "yaml-syntax", "merge")


@pytest.mark.parametrize("place, text, where", [
    ("plan", "---\nberedskap: 1\nkind: plan\n", "75:1"),
    ("annex", "...\n---\npeople: []\n", "24:1"),
    ("card", "--- {id: tk-to}\n", "14:1"),
], ids=["plan", "annex-with-end-marker", "card"])
def test_several_documents_are_refused_by_every_command(ws, place, text, where):
    path = ws.path(PLACES[place])
    path.write_bytes(path.read_bytes() + text.encode())
    run_all_refused(ws, PLACES[place], where, "yaml-syntax", "one document")


# -- a byte order mark on every file -------------------------------------------------------

def test_a_bom_on_every_file_changes_nothing(tmp_path):
    plain, bom = Workspace(tmp_path / "plain"), Workspace(tmp_path / "bom")
    for w in (plain, bom):  # one mistake, to compare positions
        w.replace(ANNEX, '"414 56 789"', '"414 56 78"')
    marked = 0
    for path in bom.root.rglob("*.yaml"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        marked += 1
    assert marked == 7
    before = bom.checksum()
    for name, args in commands(bom).items():
        if name.startswith("render") or name == "approve":
            continue
        got, expected = bom.cli(*args), plain.cli(*args)
        no_traceback(got)
        assert (got.exit_code, got.stdout) == (expected.exit_code, expected.stdout), name
    assert any(f["rule"] == "invalid-phone" and (f["line"], f["column"]) == (22, 23)
               for f in bom.cli(*commands(bom)["validate-json"]).findings)
    for w in (plain, bom):
        w.replace(ANNEX, '"414 56 78"', '"414 56 789"')
        result = w.cli("render", "plans/lia", "--to", "md,html", "--out", str(w.out),
                       "--today", TODAY)
        no_traceback(result)
        assert result.exit_code == 0, result.stderr
    for name in ("lia.md", "lia.html"):
        assert (bom.out / name).read_bytes() == (plain.out / name).read_bytes()
    bom.replace(ANNEX, '"414 56 789"', '"414 56 78"')
    assert bom.checksum() == before


# -- render: where the output goes ---------------------------------------------------------

def _unprivileged_user():
    """uid and gid of a user without special rights, to run a command as (when root)."""
    import pwd

    for name in ("nobody", "nfsnobody"):
        try:
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
        except KeyError:
            continue
    return None


@pytest.fixture
def shared_tmp():
    """A temporary folder every user may enter (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="beredskap-hardening-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)


def run_without_write_access(path: Path, args: tuple[str, ...], cwd: Path,
                             owned: Path) -> Result:
    """Run a command (in `cwd`) that must not be able to write `path`.

    As an ordinary user the permission bits are enough and the command runs
    in-process. As root, which may write anyway, it runs in a new process as
    an unprivileged user, who is made the owner of everything under `owned`;
    the test is skipped when that is not possible.
    """
    if not os.access(path, os.W_OK):
        return run(*args, cwd=cwd)
    user = _unprivileged_user() if IS_ROOT else None
    if user is None:
        pytest.skip(f"{path} stays writable for this user")
    uid, gid = user
    for item in [owned, *owned.rglob("*")]:
        os.chown(item, uid, gid, follow_symlinks=False)
    env = {**os.environ, "HOME": str(cwd), "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    try:
        proc = subprocess.run([sys.executable, "-m", "beredskapsplan", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300, user=uid, group=gid,
                              extra_groups=[])
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"cannot run as an unprivileged user: {err}")
    if "No module named" in proc.stderr:
        pytest.skip("the package cannot be imported by an unprivileged user here")
    return Result(proc.returncode, proc.stdout, proc.stderr)


def test_render_into_a_read_only_folder(shared_tmp):
    w = Workspace(shared_tmp)
    w.out.mkdir()
    before = w.checksum()
    w.out.chmod(0o555)
    args = ("render", "plans/lia", "--to", "md,docx", "--out", str(w.out), "--today", TODAY)
    result = run_without_write_access(w.out, args, w.root, shared_tmp)
    output = no_traceback(result)
    assert result.exit_code == 1, output
    assert f"cannot write to {w.out}: no permission" in result.stderr
    assert list(w.out.iterdir()) == []
    assert w.checksum() == before


def test_render_to_an_output_path_that_is_a_file(ws):
    ws.out.write_bytes(b"not a folder")
    before = ws.checksum()
    result = ws.cli("render", "plans/lia", "--out", str(ws.out), "--today", TODAY)
    output = no_traceback(result)
    assert result.exit_code == 2, output
    assert f"{ws.out}: exists and is not a folder" in result.stderr
    assert ws.out.read_bytes() == b"not a folder"
    below = ws.out / "under"
    result = ws.cli("render", "plans/lia", "--to", "md", "--out", str(below), "--today", TODAY)
    output = no_traceback(result)
    assert result.exit_code in (1, 2), output
    assert str(below) in result.stderr
    assert ws.out.read_bytes() == b"not a folder"
    assert ws.checksum() == before


# -- render: interrupted, and two at once ------------------------------------------------------

def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def _render_all(w: Workspace, out: Path) -> Result:
    result = w.cli("render", "plans/lia", "--out", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    return result


def _fail_typst(exception: BaseException):
    def fail(*args, **kwargs):
        raise exception
    return fail


@pytest.mark.parametrize("exception, code, words", [
    (RuntimeError("compiler crashed: out of memory"), 1, "out of memory"),
    (KeyboardInterrupt(), None, ""),
], ids=["error", "ctrl-c"])
def test_an_interrupted_render_leaves_the_earlier_documents(ws, monkeypatch, exception, code,
                                                             words):
    import typst

    _render_all(ws, ws.out)
    earlier = _snapshot(ws.out)
    assert sorted(earlier) == ["lia.docx", "lia.html", "lia.md", "lia.pdf"]
    ws.replace(PLAN, "Kommunedirektøren leder kriseledelsen.", "Ordføreren leder kriseledelsen.")
    before = ws.checksum()
    monkeypatch.setattr(typst, "compile", _fail_typst(exception))
    result = ws.cli("render", "plans/lia", "--out", str(ws.out), "--today", TODAY)
    output = no_traceback(result)
    assert result.exit_code != 0, output
    if code is not None:
        assert result.exit_code == code
        assert "PDF" in result.stderr and words in result.stderr, output
    assert _snapshot(ws.out) == earlier  # nothing half-written, nothing left behind
    assert ws.checksum() == before


def test_an_interrupt_while_writing_leaves_no_temporary_files(ws, monkeypatch):
    from beredskapsplan.render import convert

    _render_all(ws, ws.out)
    earlier = _snapshot(ws.out)
    real = os.replace
    calls = []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(convert.os, "replace", interrupted)
    result = ws.cli("render", "plans/lia", "--out", str(ws.out), "--today", TODAY)
    no_traceback(result)
    assert result.exit_code != 0
    # the second file was interrupted, and the first one replaced got its old file back
    assert len(calls) == 3 and calls[2] == calls[0]
    assert _snapshot(ws.out) == earlier


def test_two_renders_into_the_same_folder_at_once(ws, tmp_path):
    reference = tmp_path / "reference"
    _render_all(ws, reference)
    expected = _snapshot(reference)
    before = ws.checksum()
    env = {**os.environ, "NO_COLOR": "1"}
    procs = [subprocess.Popen([sys.executable, "-m", "beredskapsplan", "render", "plans/lia",
                               "--out", str(ws.out), "--today", TODAY], cwd=ws.root, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "Traceback" not in out + err
    assert _snapshot(ws.out) == expected
    assert ws.checksum() == before


def test_two_renders_in_threads_of_one_program(ws, tmp_path):
    """The library used by a server: two threads, one output folder."""
    from datetime import date

    from beredskapsplan.render import RenderOptions, render

    reference = tmp_path / "reference"
    _render_all(ws, reference)
    expected = _snapshot(reference)
    errors = []

    def one():
        try:
            render(ws.root / "plans" / "lia",
                   RenderOptions(out=ws.out, today=date.fromisoformat(TODAY)))
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    assert _snapshot(ws.out) == expected


def test_writing_from_two_threads_keeps_the_process_umask(tmp_path, monkeypatch):
    """Two writes interleaved at the worst moment: the second reads the first one's mask."""
    from beredskapsplan.render import convert

    real = os.umask
    lock = threading.Lock()
    calls = []
    steps = [threading.Event() for _ in range(3)]

    def umask_with_thread_switches(mask):
        with lock:
            old = real(mask)
            number = len(calls)
            calls.append(mask)
        if number < 3:
            steps[number].set()
        if number < 2:  # wait until the other thread has made the next call
            steps[number + 1].wait(timeout=2)
        return old

    original = real(0o077)
    try:
        monkeypatch.setattr(convert.os, "umask", umask_with_thread_switches)
        threads = [threading.Thread(target=convert.write_atomic,
                                    args=(tmp_path / f"f{n}.md", b"x")) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        monkeypatch.undo()
        after = real(0o077)
    finally:
        real(original)
    assert after == 0o077, oct(after)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.md", "f1.md"]
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in tmp_path.iterdir())


# -- approve on a plan it may not write ----------------------------------------------------

def _approvable(shared_tmp: Path) -> Workspace:
    w = Workspace(shared_tmp)
    assert w.cli("validate", "plans/lia", "--today", TODAY).exit_code == 0
    return w


def test_approve_refuses_a_read_only_plan_yaml(shared_tmp):
    w = _approvable(shared_tmp)
    plan = w.path(PLAN)
    original = plan.read_bytes()
    plan.chmod(0o444)
    result = run_without_write_access(plan, ("approve", "plans/lia", *APPROVAL, "--today", TODAY),
                                      w.root, shared_tmp)
    output = no_traceback(result)
    assert plan.read_bytes() == original
    assert result.exit_code != 0, output
    assert "plan.yaml" in result.stderr and ("read-only" in result.stderr
                                             or "ermission" in result.stderr), output


def test_approve_in_a_read_only_plan_folder(shared_tmp):
    w = _approvable(shared_tmp)
    folder = w.path("plans/lia")
    original = w.path(PLAN).read_bytes()
    folder.chmod(0o555)
    result = run_without_write_access(folder, ("approve", "plans/lia", *APPROVAL, "--today",
                                               TODAY), w.root, shared_tmp)
    output = no_traceback(result)
    assert result.exit_code in (1, 2), output
    assert "plans/lia" in result.stderr and "ermission" in result.stderr, output
    assert w.path(PLAN).read_bytes() == original
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in (HARD / "plans" / "lia").iterdir())


# -- call-list says when it could not read the plan ------------------------------------------

@pytest.mark.parametrize("place, content, where", [
    ("annex", 'beredskap: 1\nkind: contacts\npeople:\n  - id: "kari-lia\n', "4:9"),
    ("plan", "", "1:1"),
    ("plan", "beredskap: 1\nkind: plan\nroles: [a\n", "3:8"),
], ids=["alert-list-syntax-error", "empty-plan", "plan-syntax-error"])
def test_call_list_names_the_file_it_could_not_read(ws, place, content, where):
    ws.write(PLACES[place], content)
    expected = ws.cli("validate", PLACES[place], "--format", "json")
    assert any(f"{f['line']}:{f['column']}" == where for f in expected.findings), \
        expected.findings
    before = ws.checksum()
    result = ws.cli("call-list", "plans/lia")
    output = no_traceback(result)
    assert ws.checksum() == before
    assert f"{PLACES[place]}:{where}" in result.stderr, output


# -- durations out of range (found by fuzzing) ----------------------------------------------

@pytest.mark.parametrize("old, new, where", [
    ("within: PT30M", "within: P1000000000D", "11:13"),
    ("within: PT30M", "within: PT24000000000H", "11:13"),
    ("reviewed: 2026-06-01", "reviewed: 2026-06-01\nreview_every: P7974Y", "14:15"),
    ("reviewed: 2026-06-01", "reviewed: 2026-06-01\nreview_every: P100000M", "14:15"),
], ids=["days", "hours", "years", "months"])
def test_a_duration_out_of_range_is_a_finding_not_a_crash(ws, old, new, where):
    ws.replace(CARD, old, new)
    before = ws.checksum()
    checked = ws.cli(*commands(ws)["validate-json"])
    no_traceback(checked)
    if checked.exit_code == 1:  # refused: at the duration
        assert any((f["path"], f"{f['line']}:{f['column']}") == (CARD, where)
                   for f in checked.findings), checked.findings
    for name in ("due", "call-list", "render"):
        result = ws.cli(*commands(ws)[name])
        output = no_traceback(result)
        assert result.exit_code in (0, 1), (name, output)
        if checked.exit_code == 0 and name == "render":
            assert result.exit_code == 0, output
    assert ws.checksum() == before


# -- findings that follow from another one --------------------------------------------------

def test_an_unreadable_alert_list_gives_no_follow_on_finding(ws):
    ws.replace(ANNEX, "    position: Ordfører", "    position: !!binary T3JkZsO4cmVy")
    result = ws.cli(*commands(ws)["validate-json"])
    no_traceback(result)
    errors = [(f["path"], f["rule"]) for f in result.findings if f["severity"] == "error"]
    assert errors == [(ANNEX, "yaml-syntax")], errors


@pytest.mark.parametrize("text, where", [
    ("roles: [\n  kari-lia,\n  ola-lia,\n", "3:8"),
    ("roles: {\n", "3:8"),
    ("roles: [a, {b: c,\n", "3:12"),
], ids=["list", "mapping", "nested"])
def test_an_unclosed_bracket_is_reported_where_it_opens(ws, text, where):
    ws.write(PLAN, "beredskap: 1\nkind: plan\n" + text)
    result = ws.cli("validate", PLAN, "--format", "json")
    no_traceback(result)
    assert [f"{f['line']}:{f['column']}" for f in result.findings] == [where]

