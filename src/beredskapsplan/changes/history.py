"""Finding the version of a plan to compare with, and reading it without touching the working tree.

The approved version (`--since approval`) is looked for in the git history of
`plan.yaml`, newest commit first:

- an approval with a digest: the newest commit whose `plan.yaml` has exactly that
  digest (DESIGN §3.3). The approval itself is often committed later than the
  content it approved, and together with new changes, so the commit that
  recorded it is not necessarily the approved content;
- an approval without a digest (recorded before the plan was kept here): the
  commit that recorded it, i.e. the oldest commit whose `plan.yaml` holds it.

The files of the old version (plan.yaml and the annex files it names, at that
commit) are read with `git cat-file` into a temporary folder laid out like the
repository, and loaded from there by the same reader as the current plan. The
working tree, the index and the branch are never touched.
"""
from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from .. import digest as digests
from ..build import load_plan
from ..documents import os_reason
from ..i18n import LocalisedError, Message, _
from ..model import Approval, Plan
from ..project import PLAN_FILE, YAML_SUFFIXES
from ..yamlread import MAX_BYTES, parse_bytes

GIT_TIMEOUT = 120
_BLOB_LIMIT = MAX_BYTES + 1  # a larger file is refused by the reader anyway: not read at all


class GitError(LocalisedError):
    """git could not be run, or said no (what git itself said is git's own words)."""


class NotFound(Exception):
    """No version to compare with; the message says why and how to name one."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class Commit:
    hash: str
    day: date  # the commit date (UTC), as git records it
    path: str  # plan.yaml's path in this commit, relative to the repository's top folder

    @property
    def short(self) -> str:
        return self.hash[:10]


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    # plain output, no pager, no locks taken by a reading command
    env.update({"LC_ALL": "C", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0",
                "GIT_TERMINAL_PROMPT": "0"})
    return env


class Repository:
    """A git repository, read through the `git` command."""

    def __init__(self, top: Path, git_dir: Path, common_dir: Path | None = None):
        self.top = top
        self.git_dir = git_dir
        self.common_dir = common_dir or git_dir

    @classmethod
    def around(cls, folder: Path) -> "Repository | None":
        """The repository holding `folder`, or None (not in git, or git not installed).

        `validate` asks this for every plan: git is started once per repository, not
        once per plan, and not at all outside a repository."""
        folder = folder.resolve()
        nearest = next((p for p in (folder, *folder.parents) if (p / ".git").exists()), None)
        if nearest is None:
            return None
        found = _toplevel(str(nearest))
        return None if isinstance(found, str) else cls(*map(Path, found))

    def state_files(self, tracked: bool = True) -> list[Path]:
        """The files of git's own that change when the history seen from HEAD changes
        (a commit, checkout, reset or merge), and the index when the plan is not tracked
        yet (adding it changes the answer)."""
        files = [self.git_dir / "HEAD", self.git_dir / "logs" / "HEAD",
                 self.common_dir / "packed-refs"]
        try:
            head = (self.git_dir / "HEAD").read_text("utf-8", "replace").strip()
        except OSError:
            head = ""
        if head.startswith("ref: "):
            files.append(self.common_dir.joinpath(*head[5:].split("/")))
        if not tracked:
            files.append(self.git_dir / "index")
        return files

    def tracks(self, path: str) -> bool:
        """Whether git knows the file (it is in the index)."""
        index = self.git_dir / "index"
        try:
            stat = index.stat()
        except OSError:
            return False
        return path in _tracked(str(self.top), str(index), stat.st_mtime_ns, stat.st_size)

    def git(self, *args: str, data: bytes | None = None) -> bytes:
        return _run(["git", "-C", str(self.top), *args], data)

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.top).as_posix()

    def commit(self, revision: str) -> str | None:
        """The commit a revision names (a hash, tag, branch, HEAD~2 …), or None."""
        if revision.startswith("-"):
            return None  # never an option to git
        try:
            out = self.git("rev-parse", "--verify", "--quiet", "--end-of-options",
                           revision + "^{commit}")
        except GitError:
            return None
        return out.decode("ascii", "replace").strip() or None

    def commit_day(self, commit: str) -> date:
        out = self.git("show", "-s", "--format=%ct", commit, "--")
        return _day(out.decode("ascii", "replace").strip())

    def file_history(self, path: str) -> list[Commit]:
        """The commits that changed the file, newest first, following renames."""
        try:
            out = self.git("log", "--follow", "-z", "--format=%x01%H%x02%ct", "--name-only",
                           "--", path)
        except GitError:
            return []  # e.g. a repository without any commit yet
        commits = []
        for record in out.split(b"\x01")[1:]:
            head, _, names = record.partition(b"\x00")
            commit, _, stamp = head.decode("ascii", "replace").partition("\x02")
            name = names.strip(b"\n\x00").split(b"\x00")[0].decode("utf-8", "surrogateescape")
            commits.append(Commit(commit.strip(), _day(stamp.strip()), name or path))
        return commits

    def tree(self, commit: str, folder: str) -> list[tuple[str, str, str]]:
        """(mode, type, name) of the entries directly in a folder at a commit."""
        spec = f"{commit}:{folder}" if folder else f"{commit}:"
        try:
            out = self.git("ls-tree", "-z", spec)
        except GitError:
            return []
        entries = []
        for line in out.split(b"\x00"):
            if not line:
                continue
            meta, _, name = line.partition(b"\t")
            mode, kind, _ = meta.decode("ascii", "replace").split(" ", 2)
            entries.append((mode, kind, name.decode("utf-8", "surrogateescape")))
        return entries

    def blobs(self) -> "Blobs":
        return Blobs(self)


class Blobs:
    """File contents at commits, through one `git cat-file --batch` process."""

    def __init__(self, repo: Repository):
        self.repo = repo
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Blobs":
        try:
            self.proc = subprocess.Popen(["git", "-C", str(self.repo.top), "cat-file", "--batch"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL, env=_git_env())
        except OSError as err:
            raise GitError(_("git could not be started: {why}", why=os_reason(err))) from None
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=GIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def read(self, commit: str, path: str) -> bytes | None:
        """The file at the commit; None when it is not there, not a file, or too large."""
        proc = self.proc
        if "\n" in path:
            return None
        try:
            proc.stdin.write(f"{commit}:{path}\n".encode("utf-8", "surrogateescape"))
            proc.stdin.flush()
            header = proc.stdout.readline().decode("utf-8", "replace").split()
        except OSError as err:
            raise GitError(_("git stopped reading the history: {why}", why=os_reason(err))) from None
        if len(header) != 3:
            if not header:
                raise GitError(_("git stopped reading the history"))
            return None  # "<spec> missing" or "<spec> ambiguous"
        _, kind, size_text = header
        size = int(size_text)
        data = _read_exactly(proc.stdout, size)
        proc.stdout.read(1)  # the newline after the content
        if kind != "blob" or size > _BLOB_LIMIT:
            return None
        return data


def _read_exactly(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            raise GitError(_("git stopped reading the history in the middle of a file"))
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


@lru_cache(maxsize=64)
def _toplevel(folder: str) -> tuple[str, str, str] | str:
    """(top folder, git folder, common git folder), or what git said instead."""
    try:
        out = _run(["git", "-C", folder, "rev-parse", "--show-toplevel", "--absolute-git-dir",
                    "--git-common-dir"])
    except GitError as err:
        return str(err)
    lines = out.decode("utf-8", "surrogateescape").splitlines()
    if len(lines) != 3 or not lines[0]:
        return "not a working tree"
    common = Path(lines[2]) if os.path.isabs(lines[2]) else Path(folder) / lines[2]
    return str(Path(lines[0]).resolve()), lines[1], str(common.resolve())


def git_problem(folder: Path) -> str | None:
    """Why git cannot read the repository around `folder` (None: it can, or there is
    none): not installed, a folder owned by someone else, a broken .git …"""
    folder = folder.resolve()
    nearest = next((p for p in (folder, *folder.parents) if (p / ".git").exists()), None)
    if nearest is None:
        return None
    found = _toplevel(str(nearest))
    return found if isinstance(found, str) else None


@lru_cache(maxsize=8)
def _tracked(top: str, _index: str, _mtime: int, _size: int) -> frozenset[str]:
    """The files in the index (the cache key changes whenever the index does)."""
    try:
        out = _run(["git", "-C", top, "ls-files", "-z", "--full-name"])
    except GitError:
        return frozenset()
    return frozenset(p.decode("utf-8", "surrogateescape") for p in out.split(b"\x00") if p)


def _run(args: list[str], data: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(args, input=data, capture_output=True, env=_git_env(),
                              timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise GitError(_("git is not installed")) from None
    except OSError as err:
        raise GitError(_("git could not be started: {why}", why=os_reason(err))) from None
    except subprocess.TimeoutExpired:
        raise GitError(_("git took too long and was stopped")) from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip() or
                       _("git stopped with exit status {code}", code=proc.returncode))
    return proc.stdout


def _day(stamp: str) -> date:
    try:
        return datetime.fromtimestamp(int(stamp), timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        return date(1970, 1, 1)


# -- the approved version ----------------------------------------------------------------

def latest_approval(plan: Plan) -> Approval | None:
    """The approval that counts: the last dated one (as `digest.status` decides)."""
    dated = [a for a in plan.approvals if a.date is not None] or list(plan.approvals)
    return dated[-1] if dated else None


def _same_approval(entry, approval: Approval) -> bool:
    if not isinstance(entry, dict):
        return False
    day = entry.get("date")
    written = approval.date.isoformat() if approval.date else None
    return (str(day) if day is not None else None) == written and entry.get("by") == approval.by


def _data(raw: bytes | None):
    if raw is None:
        return None
    parsed = parse_bytes(raw)
    return parsed.data if isinstance(parsed.data, dict) else None


def approved_commit(repo: Repository, plan_path: str, approval: Approval) -> Commit | None:
    """The commit holding the approved content of plan.yaml, or None."""
    history = repo.file_history(plan_path)
    if not history:
        return None
    with repo.blobs() as blobs:
        if approval.digest:
            for commit in history:
                data = _data(blobs.read(commit.hash, commit.path))
                if data is not None and digests.digest(data) == approval.digest:
                    return commit
            return None
        recorded = None
        for commit in history:  # newest first: the approval is there until it was recorded
            data = _data(blobs.read(commit.hash, commit.path))
            approvals = data.get("approvals") if data is not None else None
            if isinstance(approvals, list) and any(_same_approval(a, approval)
                                                   for a in approvals):
                recorded = commit
            elif recorded is not None:
                break
        return recorded


# -- reading a version into a folder -----------------------------------------------------

def _inside(path: str) -> bool:
    return bool(path) and not path.startswith("../") and path != ".." \
        and not posixpath.isabs(path)


def materialise(repo: Repository, commit: str, plan_path: str, into: Path,
                annexes: bool = True) -> Path:
    """Write plan.yaml and its annex files as they were at `commit` under `into`, laid out
    as in the repository; returns the plan folder there. Annex paths that leave the
    repository, symlinks and files too large to read are left out (the reader then
    treats them as missing)."""
    (into / ".git").mkdir(parents=True, exist_ok=True)  # the repository root for the reader
    folder = posixpath.dirname(plan_path)
    with repo.blobs() as blobs:
        raw = blobs.read(commit, plan_path)
        if raw is None:
            raise NotFound(_("{path} is not in commit {commit}", path=plan_path,
                             commit=commit[:10]))
        _write(into, plan_path, raw)
        data = _data(raw) if annexes else None
        listed = data.get("annexes") if data is not None else None
        for annex in listed if isinstance(listed, list) else []:
            if not isinstance(annex, dict):
                continue
            file = annex.get("file")
            if isinstance(file, str):
                path = posixpath.normpath(posixpath.join(folder, file))
                content = blobs.read(commit, path) if _inside(path) else None
                if content is not None and _is_file(repo, commit, path):
                    _write(into, path, content)
            cards = annex.get("cards")
            if isinstance(cards, str):
                path = posixpath.normpath(posixpath.join(folder, cards))
                if not _inside(path) and path != ".":
                    continue
                base = "" if path == "." else path
                for mode, kind, name in repo.tree(commit, base):
                    if kind != "blob" or mode == "120000" or name.startswith(".") \
                            or not name.endswith(YAML_SUFFIXES):
                        continue
                    file_path = f"{base}/{name}" if base else name
                    content = blobs.read(commit, file_path)
                    if content is not None:
                        _write(into, file_path, content)
    return into / folder if folder else into


def _is_file(repo: Repository, commit: str, path: str) -> bool:
    """A regular file at the commit (not a symlink, whose content is only its target)."""
    parent, name = posixpath.split(path)
    return any(n == name and kind == "blob" and mode != "120000"
               for mode, kind, n in repo.tree(commit, parent))


def _write(root: Path, relative: str, data: bytes) -> None:
    target = root.joinpath(*relative.split("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


# -- versions ------------------------------------------------------------------------------

@dataclass
class Version:
    """One side of the comparison: the loaded plan and how to name it."""

    plan: Plan
    kind: str  # "approval" | "revision" | "folder" | "current"
    commit: Commit | None = None
    revision: str | None = None  # as the user wrote it (--since REV)
    folder: Path | None = None  # --since PATH
    approval: Approval | None = None


class Workspace:
    """Temporary folders for old versions; removed when the comparison is done."""

    def __init__(self) -> None:
        self._temp = tempfile.TemporaryDirectory(prefix="beredskap-changes-")
        self.root = Path(self._temp.name)
        self._count = 0

    def new(self) -> Path:
        self._count += 1
        path = self.root / f"v{self._count}"
        path.mkdir()
        return path

    def close(self) -> None:
        self._temp.cleanup()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


HOW = _("name the version to compare with: --since REV (a git commit, tag or branch holding "
        "the approved plan) or --since PATH (a copy of the approved plan folder)")


def approved_version(current: Plan, workspace: Workspace, annexes: bool = True,
                     consulted: list | None = None) -> Version:
    """The version of the latest approval, from the git history; NotFound says why not.
    `consulted` is given the files of git's own that the answer depends on."""
    approval = latest_approval(current)
    if approval is None:
        raise NotFound(_("the plan has never been approved, so there is no approved version "
                         "to compare with; {how}", how=HOW))
    when = approval.date or _("an unknown date")
    repo = Repository.around(current.folder)
    if repo is None:
        problem = git_problem(current.folder)
        if problem is not None and shutil.which("git") is None:
            raise NotFound(_("git is not installed, so the version approved on {date} cannot "
                             "be looked up in the history; install git, or {how}", date=when,
                             how=HOW))
        if problem is not None:
            raise NotFound(_("the git history could not be read ({error}); {how}",
                             error=problem, how=HOW))
        raise NotFound(_("the plan is not in a git repository, so the version approved on "
                         "{date} cannot be looked up; {how}", date=when, how=HOW))
    try:
        plan_path = repo.relative(current.folder / PLAN_FILE)
        tracked = repo.tracks(plan_path)
        if consulted is not None:
            consulted.extend(repo.state_files(tracked))
        if not tracked:
            raise NotFound(_("{path} is not in git yet, so the version approved on {date} "
                             "cannot be looked up; commit it, or {how}", path=plan_path,
                             date=when, how=HOW))
        commit = approved_commit(repo, plan_path, approval)
    except (GitError, ValueError) as err:
        raise NotFound(_("the git history could not be read ({error}); {how}",
                         error=getattr(err, "message", str(err)), how=HOW)) from None
    if commit is None:
        if approval.digest:
            if digests.digest(current.document.data) == approval.digest:
                # approved as it is now, and the approval not yet committed
                return Version(current, "approval", approval=approval)
            raise NotFound(_("no commit of {path} has the content approved on {date} (its "
                             "digest {digest} matches none); {how}", path=plan_path, date=when,
                             digest=approval.digest[:19], how=HOW))
        raise NotFound(_("the approval of {date} is not in any commit of {path} yet; commit "
                         "it, or {how}", date=when, path=plan_path, how=HOW))
    try:
        folder = materialise(repo, commit.hash, commit.path, workspace.new(), annexes)
    except GitError as err:
        raise NotFound(_("the git history could not be read ({error}); {how}",
                         error=getattr(err, "message", str(err)), how=HOW)) from None
    return Version(load_plan(folder, strays=False).plan, "approval", commit=commit,
                   approval=approval)


def revision_version(current: Plan, revision: str, workspace: Workspace) -> Version | None:
    """The plan at a git revision; None when `revision` names no commit."""
    repo = Repository.around(current.folder)
    if repo is None:
        return None
    commit = repo.commit(revision)
    if commit is None:
        return None
    try:
        plan_path = repo.relative(current.folder / PLAN_FILE)
        day = repo.commit_day(commit)
        folder = materialise(repo, commit, plan_path, workspace.new())
    except (GitError, ValueError) as err:
        raise NotFound(_("the git history could not be read ({error}); {how}",
                         error=getattr(err, "message", str(err)), how=HOW)) from None
    return Version(load_plan(folder, strays=False).plan, "revision",
                   commit=Commit(commit, day, plan_path), revision=revision)


def last_commit_day(plan: Plan) -> date | None:
    """The day of the last commit that changed the plan's plan.yaml, if it is in git."""
    repo = Repository.around(plan.folder)
    if repo is None:
        return None
    try:
        out = repo.git("log", "-1", "--format=%ct", "--", repo.relative(plan.folder / PLAN_FILE))
    except (GitError, ValueError):
        return None
    stamp = out.decode("ascii", "replace").strip()
    return _day(stamp) if stamp else None


def folder_version(folder: Path) -> Version:
    return Version(load_plan(folder, strays=False).plan, "folder", folder=folder)
