"""`beredskap changes`: what changed since the council approved, as a summary and as a
document with the changes marked.

Every test builds a real git repository in a temporary folder from
fixtures/changes/lindvik, records the approval with `beredskap approve`, edits the
plan as a coordinator would and commits. The outputs are read back: the DOCX as its
XML (`w:ins` / `w:del`), the HTML with an HTML parser (`ins` / `del`), the PDF as
text, and the summary the command prints.
"""
from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from beredskapsplan.changes import changed_sections
from conftest import FIXTURES, TODAY, run, tree_checksum

LINDVIK = FIXTURES / "changes" / "lindvik"
PLAN = "plans/lindvik"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# -- a repository ------------------------------------------------------------------------------

class Repo:
    def __init__(self, root: Path):
        self.root = root
        self.plan = root / PLAN
        self.commits = 0

    def git(self, *args: str) -> str:
        self.commits += 1
        stamp = f"2026-{1 + self.commits % 12:02d}-10T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_NAME": "Beredskapskoordinator",
               "GIT_AUTHOR_EMAIL": "beredskap@lindvik.example", "GIT_COMMITTER_NAME":
               "Beredskapskoordinator", "GIT_COMMITTER_EMAIL": "beredskap@lindvik.example",
               "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
               "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root.parent)}
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True,
                              text=True, env=env, check=True)
        return done.stdout.strip()

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def approve(self, day: str = "2026-06-10") -> None:
        result = run("approve", str(self.plan), "--date", day, "--by", "Kommunestyret",
                     "--case", "26/210", "--today", TODAY)
        assert result.exit_code == 0, result.stderr

    def edit(self, old: str, new: str, file: str = "plan.yaml") -> None:
        path = self.plan / file
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    root = tmp_path / "beredskap"
    shutil.copytree(LINDVIK, root / PLAN)
    made = Repo(root)
    made.git("init", "-q", "-b", "main")
    made.commit("Plan til behandling")
    return made


# the user's edits of the scenario in the issue: one paragraph changed, a section added,
# another removed, a role renamed and a holder replaced
PARAGRAPH = ("Planen revideres hvert år og øves hvert annet år.",
             "Planen revideres hvert år og øves hvert år.")
REMOVED = """      - id: reservelokale
        title: Reservelokale
        body: Er rådhuset utilgjengelig, møtes kriseledelsen på brannstasjonen.
"""
ADDED = """  - id: frivillige
    title: Frivillige
    body: Frivillige organisasjoner kalles inn av beredskapskoordinatoren.
"""
RENAMED = ("    title: Beredskapskoordinator\n", "    title: Beredskapsleder\n")
HOLDER = ("holders: [kari-nordmann, ola-nordmann]", "holders: [lise-berg, ola-nordmann]")


def scenario_edits(repo: Repo) -> None:
    repo.edit(*PARAGRAPH)
    repo.edit(REMOVED, "")
    repo.edit("annexes:\n", ADDED + "annexes:\n")
    repo.edit(*RENAMED)
    repo.edit(*HOLDER)


@pytest.fixture
def scenario(repo: Repo) -> Repo:
    repo.approve()
    repo.commit("Vedtatt i kommunestyret")
    scenario_edits(repo)
    repo.commit("Revisjon: frivillige, beredskapsleder")
    return repo


def changes(repo_or_folder, *args: str, out: Path | None = None):
    folder = repo_or_folder.plan if isinstance(repo_or_folder, Repo) else repo_or_folder
    out = out or folder.parent.parent.parent / "out"
    return run("changes", str(folder), "--out", str(out), "--today", TODAY, *args), out


# -- reading outputs back ----------------------------------------------------------------------

def summary_of(stdout: str) -> dict[str, list[str]]:
    """The summary the command prints: group title -> its items."""
    groups: dict[str, list[str]] = {}
    current = None
    for line in stdout.splitlines():
        if line.startswith("  - ") and current is not None:
            groups[current].append(line[4:])
        elif line.endswith(":") and not line.startswith(" "):
            current = re.sub(r" \(\d+\):$|:$", "", line)
            groups[current] = []
    return groups


def docx_document(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def tracked(xml: str) -> tuple[list[str], list[str]]:
    """The text of each w:ins and each w:del, in document order."""
    insertions = ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", m))
                  for m in re.findall(r'<w:ins [^>]*">(.*?)</w:ins>', xml, flags=re.S)]
    deletions = ["".join(re.findall(r"<w:delText(?: [^>]*)?>([^<]*)</w:delText>", m))
                 for m in re.findall(r'<w:del [^>]*">(.*?)</w:del>', xml, flags=re.S)]
    return [html.unescape(t).strip() for t in insertions], \
        [html.unescape(t).strip() for t in deletions]


class Marks(html.parser.HTMLParser):
    """The text inside each <ins> and <del> of an HTML page, and all of its text."""

    def __init__(self):
        super().__init__()
        self.ins: list[str] = []
        self.dels: list[str] = []
        self.open: list[tuple[str, list[str]]] = []
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag in ("ins", "del"):
            self.open.append((tag, []))

    def handle_endtag(self, tag):
        if tag in ("ins", "del") and self.open:
            kind, parts = self.open.pop()
            (self.ins if kind == "ins" else self.dels).append("".join(parts).strip())

    def handle_data(self, data):
        self.text.append(data)
        for _, parts in self.open:
            parts.append(data)


def html_marks(path: Path) -> Marks:
    parser = Marks()
    parser.feed(path.read_text("utf-8"))
    return parser


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u200b", ""))


# -- the scenario ------------------------------------------------------------------------------

def test_summary_lists_exactly_the_changes_since_the_approval(scenario):
    result, out = changes(scenario, "--to", "md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Approved version: approved by Kommunestyret on "
                                    "2026-06-10 (case 26/210); git commit ")
    assert summary_of(result.stdout) == {
        "Sections added": ["8 Frivillige"],
        "Sections removed": ["2.2 Reservelokale"],
        "Sections changed": ["1 Innledning"],
        "Roles and their holders": [
            "Ordfører: holders Kari Nordmann, Ola Nordmann → Lise Berg, Ola Nordmann",
            "Beredskapsleder: renamed from Beredskapskoordinator"],
    }
    assert f"wrote {out / 'lindvik-changes.md'}" in result.stdout


def test_docx_holds_the_changed_words_as_tracked_changes_and_nothing_else(scenario):
    result, out = changes(scenario, "--to", "docx")
    assert result.exit_code == 0, result.stderr
    xml = docx_document(out / "lindvik-changes.docx")
    insertions, deletions = tracked(xml)
    assert insertions == ["8 Frivillige",
                          "Frivillige organisasjoner kalles inn av beredskapskoordinatoren.",
                          "Lise Berg", "Beredskapsleder"]
    assert deletions == ["annet", "2.2 Reservelokale",
                         "Er rådhuset utilgjengelig, møtes kriseledelsen på brannstasjonen.",
                         "Kari Nordmann", "Beredskapskoordinator"]
    # each change has its author and date, and its own id, so Word can accept or reject it
    marks = re.findall(r'<w:(?:ins|del) ([^>]*")/?>', xml)
    assert len(marks) == 9 + 4  # the runs, and the marks of the 4 whole paragraphs
    for attributes in marks:
        assert 'w:author="Beredskapsleder"' in attributes  # the plan's owner, as titled now
        assert re.search(r'w:date="\d{4}-\d\d-\d\dT00:00:00Z"', attributes)
    ids = [re.search(r'w:id="(\d+)"', a).group(1) for a in marks]
    assert len(set(ids)) == len(ids)
    # a wholly inserted or deleted paragraph has its paragraph mark tracked too, so that
    # accepting or rejecting leaves no empty paragraph; a changed paragraph does not
    paragraphs = re.findall(r"<w:p>(.*?)</w:p>", xml, flags=re.S)
    whole = {re.search(r"<w:pPr>.*?<w:rPr><w:(ins|del) ", p).group(1): [] for p in paragraphs
             if re.search(r"<w:pPr>.*?<w:rPr><w:(ins|del) ", p)}
    for p in paragraphs:
        found = re.search(r"<w:pPr>.*?<w:rPr><w:(ins|del) ", p)
        if found:
            whole[found.group(1)].append("".join(re.findall(r">([^<]*)</w:(?:t|delText)>", p)))
    assert whole == {
        "del": ["2.2 Reservelokale",
                "Er rådhuset utilgjengelig, møtes kriseledelsen på brannstasjonen."],
        "ins": ["8 Frivillige", "Frivillige organisasjoner kalles inn av "
                                "beredskapskoordinatoren."]}
    # deleted text is deletion text (w:delText), never ordinary text inside w:del
    assert not re.search(r"<w:del [^>]*>(?:(?!</w:del>).)*<w:t[ >]", xml, flags=re.S)


def test_html_marks_insertions_and_deletions(scenario):
    result, out = changes(scenario, "--to", "html")
    assert result.exit_code == 0, result.stderr
    page = html_marks(out / "lindvik-changes.html")
    assert page.ins == ["8 Frivillige",
                        "Frivillige organisasjoner kalles inn av beredskapskoordinatoren.",
                        "Lise Berg", "Beredskapsleder"]
    assert page.dels == ["annet", "2.2 Reservelokale",
                         "Er rådhuset utilgjengelig, møtes kriseledelsen på brannstasjonen.",
                         "Kari Nordmann", "Beredskapskoordinator"]
    source = (out / "lindvik-changes.html").read_text("utf-8")
    assert re.search(r"<del datetime=\"[-0-9T:Z]+\">annet ?</del>", source)
    assert "ins {" in source and "del {" in source  # styled, so the marks are visible
    # the summary links each item to its place in the document
    for target in re.findall(r'<a href="#([^"]+)">', source):
        assert f'id="{target}"' in source


def test_unchanged_sections_are_collapsed_unless_full(scenario):
    result, out = changes(scenario, "--to", "md")
    assert result.exit_code == 0, result.stderr
    text = normal((out / "lindvik-changes.md").read_text("utf-8"))
    assert "3 Befolkningsvarsling" in text  # the heading stays
    assert "nødvarsel på mobil" not in text  # the unchanged text does not
    assert "Uendret." in text  # the document speaks the plan's language
    assert re.search(r"\{--annet ?--\}", text) and "{++8 Frivillige++}" in text
    full, out_full = changes(scenario, "--to", "md", "--full",
                             out=scenario.root.parent / "full")
    assert full.exit_code == 0, full.stderr
    text = normal((out_full / "lindvik-changes.md").read_text("utf-8"))
    assert "Befolkningen varsles med nødvarsel på mobil" in text
    assert "Uendret." not in text


def test_output_is_byte_identical_and_the_repository_untouched(scenario):
    before = tree_checksum(scenario.root)
    status = scenario.git("status", "--porcelain")
    first, out1 = changes(scenario, "--to", "docx,pdf,html,md", out=scenario.root.parent / "a")
    second, out2 = changes(scenario, "--to", "docx,pdf,html,md", out=scenario.root.parent / "b")
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr + second.stderr
    for fmt in ("docx", "pdf", "html", "md"):
        assert (out1 / f"lindvik-changes.{fmt}").read_bytes() \
            == (out2 / f"lindvik-changes.{fmt}").read_bytes(), fmt
    assert tree_checksum(scenario.root) == before
    assert scenario.git("status", "--porcelain") == status
    assert sorted(p.name for p in out1.iterdir()) == [f"lindvik-changes.{f}" for f in
                                                      ("docx", "html", "md", "pdf")]
    pypdf = pytest.importorskip("pypdf")
    pages = " ".join(normal(p.extract_text() or "") for p in
                     pypdf.PdfReader(out1 / "lindvik-changes.pdf").pages)
    # both the new and the struck-through old words are in the PDF
    assert "Frivillige organisasjoner" in pages and "Reservelokale" in pages


# -- finding the version to compare with --------------------------------------------------------

def test_approval_recorded_together_with_new_changes_finds_the_approved_commit(repo):
    """The approval is recorded in a later commit than the approved content, here
    together with the first edits: the approved version is the commit before."""
    repo.approve()
    repo.edit(*PARAGRAPH)
    repo.commit("Vedtak registrert, og første endring")
    result, _ = changes(repo, "--to", "md")
    assert result.exit_code == 0, result.stderr
    assert summary_of(result.stdout) == {"Sections changed": ["1 Innledning"]}


def test_approval_without_digest_compares_with_the_commit_that_recorded_it(repo):
    repo.edit("revisions:", "approvals:\n  - {date: 2026-06-10, by: Kommunestyret}\n"
                            "revisions:")
    repo.edit("Kommunens talsperson utad.", "Kommunens fremste talsperson utad.")
    repo.commit("Vedtaket fra før planen lå her")  # recorded with an edit: that edit counts
    repo.edit(*RENAMED)
    repo.commit("Ny tittel")
    result, _ = changes(repo, "--to", "md")
    assert result.exit_code == 0, result.stderr
    assert summary_of(result.stdout) == {
        "Roles and their holders": ["Beredskapsleder: renamed from Beredskapskoordinator"]}
    validated = run("validate", str(repo.plan), "--today", TODAY, "--select", "approval-status")
    assert "has no digest" in validated.stdout
    assert "since it was recorded: roles changed" in validated.stdout


def test_since_a_revision(repo):
    first = repo.git("rev-parse", "HEAD")
    repo.git("tag", "vedtatt-2026")
    repo.edit(*PARAGRAPH)
    repo.commit("Endring 1")
    repo.edit(*HOLDER)
    repo.commit("Endring 2")
    by_tag, _ = changes(repo, "--to", "md", "--since", "vedtatt-2026")
    assert by_tag.exit_code == 0, by_tag.stderr
    assert by_tag.stdout.startswith(f"Earlier version: git revision vedtatt-2026 (commit "
                                    f"{first[:10]} of ")
    assert set(summary_of(by_tag.stdout)) == {"Sections changed", "Roles and their holders"}
    last, _ = changes(repo, "--to", "md", "--since", "HEAD~1")
    assert last.exit_code == 0, last.stderr
    assert summary_of(last.stdout) == {"Roles and their holders": [
        "Ordfører: holders Kari Nordmann, Ola Nordmann → Lise Berg, Ola Nordmann"]}
    unknown, _ = changes(repo, "--to", "md", "--since", "no-such-tag")
    assert unknown.exit_code == 2
    assert "neither a git revision of this repository nor a plan folder" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_since_another_plan_folder_outside_git(tmp_path):
    approved = tmp_path / "arkiv" / "lindvik-2026"
    shutil.copytree(LINDVIK, approved)
    current = tmp_path / "arbeid" / "lindvik"
    shutil.copytree(LINDVIK, current)
    plan = current / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace(*PARAGRAPH), "utf-8")
    contacts = current / "vedlegg-a-varslingsliste.yaml"
    contacts.write_text(contacts.read_text("utf-8").replace("934 56 789", "934 56 780"), "utf-8")
    result = run("changes", str(current), "--since", str(approved), "--to", "docx",
                 "--out", str(tmp_path / "out"), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    assert summary_of(result.stdout) == {
        "Sections changed": ["1 Innledning"],
        "Annexes": ["Annex A Varslingsliste: 1 entry changed"]}
    insertions, deletions = tracked(docx_document(tmp_path / "out" / "lindvik-changes.docx"))
    assert (insertions, deletions) == ([], ["annet"])  # annex upkeep is counted, not marked
    same = run("changes", str(current), "--since", str(current), "--to", "md",
               "--out", str(tmp_path / "out"), "--today", TODAY)
    assert same.exit_code == 2 and "is the plan itself" in same.stderr


@pytest.mark.parametrize("case", ["never-approved", "not-in-git", "broken-git",
                                  "digest-in-no-commit", "not-committed"])
def test_no_approved_version_says_how_to_name_one(tmp_path, repo, case):
    if case in ("not-in-git", "broken-git"):
        folder = tmp_path / "løst" / "lindvik"
        shutil.copytree(LINDVIK, folder)
        if case == "broken-git":
            (folder.parent / ".git").mkdir()  # a .git that git cannot read
        approved = run("approve", str(folder), "--date", "2026-06-10", "--by", "Kommunestyret",
                       "--today", TODAY)
        assert approved.exit_code == 0, approved.stderr
        target = folder
    else:
        target = repo.plan
        if case == "digest-in-no-commit":
            repo.approve()
            repo.edit(*PARAGRAPH)  # the approved content itself is never committed
            repo.commit("Vedtak og endring i ett")
            repo.edit(*HOLDER)
            repo.approve("2026-07-01")  # approved again, then edited before any commit
            repo.edit(*RENAMED)
            repo.commit("Nytt vedtak og endring i ett")
        elif case == "not-committed":
            repo.edit("revisions:", "approvals:\n  - {date: 2026-06-10, by: Kommunestyret}\n"
                                    "revisions:")
    before = tree_checksum(target.parent)
    result = run("changes", str(target), "--to", "md", "--out", str(tmp_path / "out"),
                 "--today", TODAY)
    assert result.exit_code == 1
    assert "--since REV" in result.stderr and "--since PATH" in result.stderr
    expected = {"never-approved": "has never been approved",
                "not-in-git": "not in a git repository",
                "broken-git": "the git history could not be read (",
                "digest-in-no-commit": "matches none",
                "not-committed": "is not in any commit"}[case]
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    assert tree_checksum(target.parent) == before
    # and in the user's language
    norsk = run("--lang", "nb", "changes", str(target), "--to", "md",
                "--out", str(tmp_path / "out"), "--today", TODAY)
    assert norsk.exit_code == 1
    assert "--since REV" in norsk.stderr and "versjonen" in norsk.stderr


# -- the public version -------------------------------------------------------------------------

def test_public_version_shows_a_change_in_an_exempt_section_only_as_changed(repo):
    repo.approve()
    repo.commit("Vedtatt")
    repo.edit("vaktes av to vektere", "vaktes av fire vektere")
    repo.edit("ligger i safen på teknisk kontor", "ligger i nøkkelskapet på brannstasjonen")
    # made exempt now: its text was public, but is withheld from both versions
    repo.edit("    title: Krisekommunikasjon\n",
              "    title: Krisekommunikasjon\n    exempt: {basis: \"offentleglova § 13\"}\n")
    repo.commit("Endringer i unntatte deler")
    result, out = changes(repo, "--to", "docx,html,md", "--audience", "public")
    assert result.exit_code == 0, result.stderr
    withheld = "Unntatt offentlighet, jf. offentleglova § 24 tredje ledd."
    assert summary_of(result.stdout)["Sections changed"] == [
        f"5 Unntatt offentlighet ({withheld})",
        "6 Unntatt offentlighet (Unntatt offentlighet, jf. offentleglova § 13.)"]
    secret = ["vektere", "Storvatnet", "safen", "nøkkelskapet", "høydebassenget", "Nøkkelhold",
              "Sikring av kritiske objekter", "Kommunikasjonsrådgiveren", "Krisekommunikasjon",
              "915 55 123", "kari.nordmann@lindvik.example"]
    texts = {
        "md": normal((out / "lindvik-changes-public.md").read_text("utf-8")),
        "html": normal(html.unescape((out / "lindvik-changes-public.html").read_text("utf-8"))),
        "docx": normal(html.unescape(docx_document(out / "lindvik-changes-public.docx"))),
    }
    for fmt, text in texts.items():
        for word in secret:
            assert word not in text, (fmt, word)
        assert withheld in text
        assert "endringene vises ikke i den offentlige versjonen" in text
    assert tracked(docx_document(out / "lindvik-changes-public.docx")) == ([], [])
    # the internal version shows the words
    internal, out = changes(repo, "--to", "html")
    page = html_marks(out / "lindvik-changes.html")
    assert "to" in page.dels and "fire" in page.ins
    assert "safen" in page.dels and "teknisk kontor" in page.dels


# -- numbering and moves ------------------------------------------------------------------------

def test_renumbering_is_listed_and_marked(repo):
    repo.approve()
    repo.commit("Vedtatt")
    repo.edit("  - id: innledning\n", "  - id: forord\n    title: Forord\n    body: Ny "
                                      "forord.\n  - id: innledning\n")
    repo.commit("Forord")
    result, out = changes(repo, "--to", "docx,md")
    assert result.exit_code == 0, result.stderr
    summary = summary_of(result.stdout)
    assert summary["Sections added"] == ["1 Forord"]
    assert summary["Sections renumbered"][:4] == [
        "1 → 2 Innledning", "2 → 3 Kriseledelse", "2.1 → 3.1 Møterom", "2.2 → 3.2 Reservelokale"]
    assert "Sections changed" not in summary and "Sections moved" not in summary
    insertions, deletions = tracked(docx_document(out / "lindvik-changes.docx"))
    assert insertions[:4] == ["1 Forord", "Ny forord.", "2", "3"]
    assert deletions[:3] == ["1", "2", "2.1"]


def test_numbers_as_adopted_are_compared_as_written(repo):
    repo.edit("case_number:", "numbering: as-adopted\ncase_number:")
    repo.edit("    title: Befolkningsvarsling\n",
              "    number: \"4.0\"\n    title: Befolkningsvarsling\n")
    repo.commit("Som vedtatt")
    repo.approve()
    repo.commit("Vedtatt")
    repo.edit('    number: "4.0"\n', '    number: "4.1"\n')
    repo.commit("Nytt nummer")
    result, _ = changes(repo, "--to", "md")
    assert result.exit_code == 0, result.stderr
    assert summary_of(result.stdout) == {"Sections renumbered": ["4.0 → 4.1 Befolkningsvarsling"]}


def test_a_section_moved_to_another_chapter_is_moved_not_removed_and_added(repo):
    repo.approve()
    repo.commit("Vedtatt")
    repo.edit(REMOVED, "")
    repo.edit("  - id: befolkningsvarsling\n", REMOVED.replace("      ", "  ", 1)
              .replace("\n        ", "\n    ") + "  - id: befolkningsvarsling\n")
    repo.commit("Flyttet")
    result, out = changes(repo, "--to", "md")
    assert result.exit_code == 0, result.stderr
    summary = summary_of(result.stdout)
    assert summary["Sections moved"] == ["3 Reservelokale"]
    assert "Sections added" not in summary and "Sections removed" not in summary
    assert "Flyttet hit fra 2 Kriseledelse." in (out / "lindvik-changes.md").read_text("utf-8")


# -- annexes, user text, refusals ---------------------------------------------------------------

def test_annex_changes_are_counted(scenario):
    scenario.edit("934 56 789", "934 56 780", "vedlegg-a-varslingsliste.yaml")
    scenario.edit("people:\n", "people:\n  - id: nina-dahl\n    name: Nina Dahl\n    phones:\n"
                               "      - {number: 947 33 445}\n    verified: 2026-10-01\n",
                  "vedlegg-a-varslingsliste.yaml")
    scenario.commit("Varslingslisten oppdatert")
    result, _ = changes(scenario, "--to", "md")
    assert result.exit_code == 0, result.stderr
    assert summary_of(result.stdout)["Annexes"] == [
        "Annex A Varslingsliste: 1 entry added and 1 entry changed"]


def test_user_text_is_never_template_code_or_markup(repo):
    repo.approve()
    repo.commit("Vedtatt")
    repo.edit("Kommunens maskiner og mannskaper står i ressursoversikten.",
              "Kommunens maskiner {{ 7*7 }} står i <script>alert(1)</script> "
              "[lenken](javascript:alert(2)) ressursoversikten.")
    repo.commit("Forsøk")
    result, out = changes(repo, "--to", "html")
    assert result.exit_code == 0, result.stderr
    source = (out / "lindvik-changes.html").read_text("utf-8")
    page = html_marks(out / "lindvik-changes.html")
    assert "script" not in page.tags
    assert "javascript:" not in source
    assert any("{{ 7*7 }}" in text for text in page.ins)


def test_validation_errors_refuse_unless_draft(scenario):
    scenario.edit("holders: [lise-berg, ola-nordmann]", "holders: [lise-berg, ingen-slik]")
    scenario.commit("Feil")
    refused, out = changes(scenario, "--to", "md")
    assert refused.exit_code == 1
    assert "unknown-ref" in refused.stderr and "--draft" in refused.stderr
    assert not out.exists()
    drafted, out = changes(scenario, "--to", "md", "--draft")
    assert drafted.exit_code == 0, drafted.stderr
    assert "UTKAST" in (out / "lindvik-changes.md").read_text("utf-8")


def test_output_folder_inside_the_plan_is_refused(scenario):
    result = run("changes", str(scenario.plan), "--out", str(scenario.plan / "ut"),
                 "--today", TODAY)
    assert result.exit_code == 2 and "inside the plan folder" in result.stderr
    assert not (scenario.plan / "ut").exists()
    bad = run("changes", str(scenario.plan), "--to", "odt", "--out", str(scenario.root / "x"))
    assert bad.exit_code == 2 and "unknown output format odt" in bad.stderr


# -- approval-status and the function for the title page ---------------------------------------

def test_approval_status_names_the_sections_that_changed(scenario):
    result = run("validate", str(scenario.plan), "--today", TODAY, "--format", "json",
                 "--select", "approval-status")
    [finding] = result.findings
    assert finding["message"] == (
        "the plan has changed since it was approved on 2026-06-10: section 1 Innledning "
        "changed, section 2.2 Reservelokale removed, section 8 Frivillige added and roles "
        "changed; it needs a new approval")
    norsk = run("--lang", "nb", "validate", str(scenario.plan), "--today", TODAY,
                "--select", "approval-status")
    assert "10. juni 2026" in norsk.stdout and "1 Innledning" in norsk.stdout
    assert "it needs a new approval" not in norsk.stdout


def test_naming_the_changed_sections_does_not_load_the_renderer(scenario):
    """The pre-commit hook of a plan changed since approval works out the changed sections
    without Jinja or the render pipeline (they cost it a fifth of its time)."""
    code = ("import json, sys\nfrom beredskapsplan.cli import app\n"
            "try:\n    app(sys.argv[1:], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print('@@MODULES@@' + json.dumps(sorted(sys.modules)))\n")
    proc = subprocess.run([sys.executable, "-c", code, "--lang", "en", "validate",
                           str(scenario.plan), "--today", TODAY, "--select", "approval-status",
                           "--no-cache"], capture_output=True, text=True, timeout=120)
    shown, _, modules = proc.stdout.rpartition("@@MODULES@@")
    assert "section 2.2 Reservelokale removed" in shown, proc.stderr
    loaded = set(json.loads(modules))
    assert "beredskapsplan.changes.views" in loaded  # the summary was really built
    assert not loaded & {"jinja2", "beredskapsplan.render.pipeline", "urllib.request"}


def test_approval_status_outside_git_says_only_that_it_changed(tmp_path):
    folder = tmp_path / "lindvik"
    shutil.copytree(LINDVIK, folder)
    assert run("approve", str(folder), "--date", "2026-06-10", "--by", "Kommunestyret",
               "--today", TODAY).exit_code == 0
    plan = folder / "plan.yaml"
    plan.write_text(plan.read_text("utf-8").replace(*PARAGRAPH), "utf-8")
    result = run("validate", str(folder), "--today", TODAY, "--format", "json",
                 "--select", "approval-status")
    [finding] = result.findings
    assert finding["message"] == ("the plan has changed since it was approved on 2026-06-10; "
                                  "it needs a new approval")


def test_changed_sections_for_the_title_page(scenario):
    found = changed_sections(scenario.plan)
    assert [(c.kind, c.number, c.title) for c in found] == [
        ("changed", "1", "Innledning"), ("removed", "2.2", "Reservelokale"),
        ("added", "8", "Frivillige")]
    scenario.edit("vaktes av to vektere", "vaktes av fire vektere")
    public = changed_sections(scenario.plan, public=True)
    assert ("changed", "5", "Unntatt offentlighet") in [(c.kind, c.number, c.title)
                                                        for c in public]
    assert all("Sikring" not in c.title for c in public)


def test_changed_sections_is_none_without_an_approved_version(tmp_path):
    folder = tmp_path / "lindvik"
    shutil.copytree(LINDVIK, folder)
    assert changed_sections(folder) is None


def test_a_stored_validate_result_follows_the_history(repo):
    """validate keeps results between runs; the approval-status finding also depends on
    the git history, so a new commit must be seen even when no plan file changed."""
    repo.edit(*HOLDER)
    repo.approve()
    repo.edit(*PARAGRAPH)
    now = (repo.plan / "plan.yaml").read_text("utf-8")

    def status() -> str:
        result = run("validate", str(repo.plan), "--today", TODAY, "--format", "json",
                     "--select", "approval-status")
        return result.findings[0]["message"]

    assert status().endswith("2026-06-10; it needs a new approval")  # approved text not in git
    (repo.plan / "plan.yaml").write_text(now.replace(PARAGRAPH[1], PARAGRAPH[0]), "utf-8")
    repo.commit("Vedtatt versjon")
    (repo.plan / "plan.yaml").write_text(now, "utf-8")  # the same files as before
    assert status() == ("the plan has changed since it was approved on 2026-06-10: section 1 "
                        "Innledning changed; it needs a new approval")


def test_staff_levels_and_activation_changes(repo):
    repo.approve()
    repo.commit("Vedtatt")
    repo.edit("members: [ordforer, beredskapskoordinator]", "members: [ordforer]")
    repo.edit("title: Kriseledelse satt", "title: Kriseledelsen er satt")
    repo.edit("call_order: [beredskapskoordinator, kommunedirektor, ordforer]",
              "call_order: [kommunedirektor, beredskapskoordinator, ordforer]")
    repo.edit("full_staff_within: PT2H", "full_staff_within: PT1H")
    repo.commit("Stab, nivå og varsling")
    result, out = changes(repo, "--to", "docx")
    assert result.exit_code == 0, result.stderr
    assert summary_of(result.stdout) == {
        "Crisis staff": ["Kommunens kriseledelse: members changed"],
        "Levels": ["Nivå 2 – Kriseledelsen er satt: title changed"],
        "Activation": ["Varsling og oppstart av kriseledelsen: call order changed and time to "
                       "full staffing changed"],
    }
    insertions, deletions = tracked(docx_document(out / "lindvik-changes.docx"))
    assert deletions == [", Beredskapskoordinator", "Kriseledelse", "Beredskapskoordinator",
                         "Kommunedirektør", "2 timer"]
    assert insertions == ["Kriseledelsen er", "Kommunedirektør", "Beredskapskoordinator",
                          "1 time"]


@pytest.mark.parametrize("content", [b"", b"\xff\xfe not yaml", b"sections: [unclosed\n",
                                     b"- just\n- a list\n"])
def test_an_unreadable_earlier_version_is_refused_plainly(tmp_path, content):
    current = tmp_path / "lindvik"
    shutil.copytree(LINDVIK, current)
    broken = tmp_path / "gammel"
    broken.mkdir()
    (broken / "plan.yaml").write_bytes(content)
    result = run("changes", str(current), "--since", str(broken), "--to", "md",
                 "--out", str(tmp_path / "out"), "--today", TODAY)
    assert result.exit_code == 1
    assert "cannot be read" in result.stderr and "--since" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_the_title_page_names_the_sections_changed_since_approval(scenario, tmp_path):
    """The council secretary sees on the document itself which sections changed since the
    council approved it, not only that something did."""
    from html.parser import HTMLParser

    out = tmp_path / "doc"
    result = run("render", str(scenario.plan), "--to", "html", "--out", str(out),
                 "--today", TODAY, "--draft")
    assert result.exit_code == 0, result.stderr

    class TitlePage(HTMLParser):
        def __init__(self):
            super().__init__()
            self.depth, self.text = 0, []

        def handle_starttag(self, tag, attrs):
            classes = (dict(attrs).get("class") or "").split()
            if self.depth or "title-page" in classes:
                self.depth += 1

        def handle_endtag(self, tag):
            if self.depth:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.text.append(data)

    page = TitlePage()
    page.feed((out / "lindvik.html").read_text("utf-8"))
    text = " ".join(" ".join(page.text).split())
    assert "Endret etter vedtaket:" in text
    for line in ("1 Innledning (endret)", "2.2 Reservelokale (fjernet)", "8 Frivillige (ny)"):
        assert line in text, text
    # an unchanged section is not named
    assert "Reservelokale (endret)" not in text


def test_a_render_looks_up_the_approved_version_once(scenario, tmp_path, monkeypatch):
    """The approval rule and the title page ask the history the same question: git is
    asked once per render, and both answers are the ones a separate look-up gives."""
    from beredskapsplan.changes import history

    calls = []
    original = history.approved_version

    def counted(*args, **kwargs):
        calls.append(args[0].folder)
        return original(*args, **kwargs)

    monkeypatch.setattr(history, "approved_version", counted)
    out = tmp_path / "doc"
    result = run("render", str(scenario.plan), "--to", "md", "--out", str(out),
                 "--today", TODAY, "--draft")
    assert result.exit_code == 0, result.stderr
    assert len(calls) == 1
    text = (out / "lindvik.md").read_text("utf-8")
    assert "2.2 Reservelokale (fjernet)" in text and "8 Frivillige (ny)" in text
    calls.clear()
    result = run("render", str(scenario.plan), "--to", "md", "--out", str(out),
                 "--today", TODAY, "--draft", "--audience", "public")
    assert result.exit_code == 0, result.stderr
    assert len(calls) == 1


def test_the_title_page_is_silent_about_changes_while_the_plan_is_as_approved(repo, tmp_path):
    repo.approve()
    repo.commit("Vedtatt i kommunestyret")
    out = tmp_path / "doc"
    result = run("render", str(repo.plan), "--to", "html", "--out", str(out), "--today", TODAY,
                 "--draft")
    assert result.exit_code == 0, result.stderr
    assert "Endret etter vedtaket:" not in (out / "lindvik.html").read_text("utf-8")


def test_the_public_change_document_never_shows_a_private_number_written_in_text(scenario):
    """A private number copied into a section's text (here into the changed paragraph) is
    withheld from the public change document in every format, old and new text alike; the
    internal document shows it."""
    scenario.edit("Planen revideres hvert år og øves hvert år.",
                  "Planen revideres hvert år og øves hvert år. Ring 915 55 123 ved spørsmål.")
    scenario.commit("Telefon i teksten")
    for audience in ("public", "internal"):
        result, out = changes(scenario, "--audience", audience, "--to", "md,html,docx")
        assert result.exit_code == 0, result.stderr
        suffix = "-public" if audience == "public" else ""
        for fmt in ("md", "html"):
            text = (out / f"lindvik-changes{suffix}.{fmt}").read_text("utf-8")
            digits = re.sub(r"\D", "", text)
            assert ("91555123" in digits) is (audience == "internal"), (audience, fmt)
        xml = docx_document(out / f"lindvik-changes{suffix}.docx")
        assert ("91555123" in re.sub(r"\D", "", xml)) is (audience == "internal")
        if audience == "public":
            assert "Ring" in xml  # the sentence is there, the number is not


def test_git_that_cannot_be_run_is_explained_in_the_users_language(repo, tmp_path, monkeypatch):
    from beredskapsplan.changes import history

    repo.approve()
    repo.commit("Vedtak")
    repo.edit(*PARAGRAPH)
    history._toplevel.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    try:
        for lang, words in (("da", "git er ikke installeret"), ("nb", "git er ikke installert"),
                            ("en", "git is not installed")):
            result = run("--lang", lang, "changes", str(repo.plan), "--to", "md",
                         "--out", str(tmp_path / "out"), "--today", TODAY)
            assert result.exit_code == 1, result.stderr
            assert words in result.stderr and "Traceback" not in result.stderr, result.stderr
    finally:
        history._toplevel.cache_clear()
    assert not (tmp_path / "out").exists()
