"""Results remembered between runs, so that checking unchanged plans costs only reading them.

A pre-commit hook or a CI job checks the same few hundred plans again and again,
and nearly always almost nothing changed. Each plan's result is stored with
everything it was computed from, and used again only when all of that is
unchanged:

- the content of every file the plan read (plan.yaml, annexes, shared files,
  cards), the names of the files in every folder of the plan folder (a new
  card or a stray file changes the result), and every annex path that did
  not exist (one that appears changes it too);
- the repository root and the settings that apply (rule severities, `--select`,
  `--ignore`), the day it was computed for (`--today`), the language of the
  messages and the working folder (paths are shown relative to it);
- the tool itself: a digest of the installed package's files (code, schemas,
  templates, jurisdiction data, catalogs) and the versions of the libraries
  whose answers are part of a result (phone numbers, schemas, YAML, dates).

Contents are compared by digest (BLAKE2), never by modification time. Entries
live in the user's cache folder (`$XDG_CACHE_HOME/beredskap`, else
`~/.cache/beredskap`; `BEREDSKAP_CACHE_DIR` moves it), one small JSON file
per plan and kind of result, written atomically; two runs at once at worst
both compute and both write the same thing. A file that cannot be read or
does not look right is ignored and rewritten, never trusted. `--no-cache` (or
`BEREDSKAP_NO_CACHE=1`) turns it off.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .yamlread import MAX_BYTES

FORMAT = 2
# libraries whose versions are part of a result
LIBRARIES = ("phonenumbers", "jsonschema", "jsonschema_rs", "yaml", "isodate", "babel")


def cache_dir() -> Path | None:
    """Where entries live; None when caching is turned off."""
    if os.environ.get("BEREDSKAP_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("BEREDSKAP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    return (Path(base) if base else Path.home() / ".cache") / "beredskap"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _tool_folders() -> list[Path]:
    from .resources import data_dir

    package = Path(__file__).resolve().parent
    return list(dict.fromkeys((package, data_dir("schemas"), data_dir("templates"))))


def _tool_files(base: Path):
    """(path relative to base, os.stat_result) of every file of the tool under base."""
    stack = [base]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                found = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        for entry in found:
            if entry.name == "__pycache__" or entry.name.endswith(".pyc"):
                continue
            if entry.is_dir():
                stack.append(Path(entry.path))
            elif entry.is_file():
                yield os.path.relpath(entry.path, base), entry.stat()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the tool as installed: its files and the versions of its libraries.

    Hashing every file of the package takes longer than checking a plan whose result is
    stored, so the digest is remembered beside the results, under the size, modification
    time and inode of every one of those files and the library versions: any change to
    an installed file or library computes it again from the contents."""
    folders = _tool_folders()
    versions = _library_versions()
    listing = hashlib.blake2b(digest_size=16)
    for base in folders:
        listing.update(str(base).encode("utf-8", "surrogateescape") + b"\0")
        for rel, info in _tool_files(base):
            listing.update(f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\0"
                           .encode("utf-8", "surrogateescape"))
    signature = f"{listing.hexdigest()};{versions}"
    where = cache_dir()
    memo = None
    if where is not None:
        place = "\0".join([sys.prefix, *map(str, folders)]).encode("utf-8", "surrogateescape")
        memo = where / "tool" / f"{_digest(place)}.json"
        try:
            entry = json.loads(memo.read_bytes())
            if isinstance(entry, dict) and entry.get("signature") == signature \
                    and isinstance(entry.get("fingerprint"), str):
                return entry["fingerprint"]
        except (OSError, ValueError):
            pass
    fingerprint = _content_fingerprint(folders, versions)
    if memo is not None:
        write_entry(memo, json.dumps({"signature": signature, "fingerprint": fingerprint})
                    .encode("utf-8", "surrogateescape"))
    return fingerprint


def _content_fingerprint(folders: list[Path], versions: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for base in folders:
        for rel, _info in sorted(_tool_files(base)):
            h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            try:
                h.update((base / rel).read_bytes())
            except OSError:
                h.update(b"!")
    h.update(versions.encode())
    return h.hexdigest()


def _library_versions() -> str:
    """name=version of each library in LIBRARIES, as installed: read from the names of
    the `*.dist-info` folders on the import path, the first found winning as for an import
    (importlib.metadata, which does the same, costs more than a whole cached run)."""
    wanted = {"yaml": "pyyaml", "jsonschema_rs": "jsonschema_rs"}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                dist, _, version = name[:-len(".dist-info")].partition("-")
                found.setdefault(dist.lower().replace("-", "_").replace(".", "_"), version)
    versions = []
    for library in LIBRARIES:
        version = found.get(wanted.get(library, library))
        if version is None:
            from importlib import metadata
            try:
                version = metadata.version({"yaml": "PyYAML"}.get(library, library))
            except metadata.PackageNotFoundError:
                version = "-"
        versions.append(f"{library}={version}")
    return ";".join(versions)


def write_entry(path: Path, data: bytes) -> None:
    """Write a file of the cache atomically; a cache that cannot be written is simply not
    used."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temp, path)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
    except OSError:
        pass


# -- what a result was computed from --------------------------------------------------------

def path_digest(path: "str | Path") -> str:
    """What is at a path now: a file's content, a folder's entries, or nothing. Never opens
    anything but a regular file (a FIFO would wait for ever)."""
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    if stat.S_ISREG(info.st_mode):
        if info.st_size > MAX_BYTES:  # refused by its size alone, unread: so here too
            return f"s{info.st_size}"
        try:
            with open(path, "rb") as handle:
                return "f" + _digest(handle.read())
        except OSError:
            return "!"
    if stat.S_ISDIR(info.st_mode):
        return "d" + _listing(path)
    return f"x{stat.S_IFMT(info.st_mode)}"


def _listing(folder: "str | Path") -> str:
    """A folder's entries: names, which are folders, and where each symbolic link points
    (a link moved elsewhere can change what is read or whether it is safe to read)."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(_entry_name(e) for e in entries)
    except OSError:
        return "!"
    return _digest("\0".join(names).encode("utf-8", "surrogateescape"))


def _entry_name(entry: os.DirEntry) -> str:
    if entry.is_symlink():
        try:
            return f"{entry.name}->{os.readlink(entry.path)}"
        except OSError:
            return f"{entry.name}->!"
    return f"{entry.name}/" if entry.is_dir() else entry.name


def folder_dependencies(folder: Path) -> dict[str, str]:
    """Every folder listing under a plan folder, taken before the plan is read. The content
    of the files comes from the bytes the reader parsed (plan_dependencies): digesting
    them here as well would read every file twice."""
    deps: dict[str, str] = {}
    for current, dirs, _files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        deps[current if isinstance(current, str) else str(current)] = "d" + _listing(current)
    return deps


def plan_dependencies(plan, before: dict[str, str]) -> dict[str, str]:
    """What a loaded plan's result came from: `before` (the plan folder, digested before it
    was read), the exact bytes of every file read outside it, and each annex path that
    was looked for (a missing one may appear)."""
    deps = dict(before)
    for doc in plan.documents:
        key = str(doc.path)
        if key not in deps:
            deps[key] = ("f" + doc.digest) if doc.digest else path_digest(doc.path)
    for annex in plan.annexes:
        for relative in (annex.file, annex.cards):
            if relative and "\0" not in relative:
                lexical = os.path.normpath(plan.folder / relative)
                deps.setdefault(lexical, path_digest(Path(lexical)))
    return deps


# -- the store ------------------------------------------------------------------------------

class ResultCache:
    """Stored results of one kind (`validate`, `due`, …) for one set of settings."""

    def __init__(self, kind: str, today: str, folder: Path | None = None):
        self.folder = folder if folder is not None else cache_dir()
        self.kind = kind
        self.today = today
        self.tool = json.dumps([FORMAT, kind, code_fingerprint(), os.getcwd()])
        self._marked: dict[str, str | None] = {}  # folder -> nearest marked folder at or above

    def _root(self, folder: Path) -> str:
        """project.repository_root: the nearest folder at or above the plan folder holding
        beredskap.yaml or .git, else the plan folder's parent — with the answer for every
        folder on the way remembered for this run (plans share their ancestors)."""
        from .project import CONFIG_FILE

        real = os.path.realpath(folder)
        chain, current = [], real
        while True:
            if current in self._marked:
                found = self._marked[current]
                break
            chain.append(current)
            if os.path.isfile(os.path.join(current, CONFIG_FILE)) \
                    or os.path.exists(os.path.join(current, ".git")):
                found = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                found = None
                break
            current = parent
        for folder_on_the_way in chain:
            self._marked[folder_on_the_way] = found
        return found if found is not None else os.path.dirname(real)

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def _key(self, plan_folder: Path, settings: Any) -> tuple[str, Path]:
        """The entry's identity (everything but the day) and its file. The repository root
        is part of it: adding a beredskap.yaml or .git above a plan can change its result."""
        key = json.dumps([self.tool, str(plan_folder), self._root(plan_folder), settings],
                         sort_keys=True, default=str)
        name = _digest(key.encode("utf-8", "surrogateescape"))
        return key, self.folder / self.kind / name[:2] / f"{name}.json"

    def get(self, plan_folder: Path, settings: Any) -> Any | None:
        """The stored result for a plan, if everything it came from is unchanged."""
        if self.folder is None:
            return None
        key, path = self._key(plan_folder, settings)
        try:
            entry = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        if not (isinstance(entry, dict) and entry.get("format") == FORMAT
                and entry.get("key") == key and entry.get("today") == self.today
                and isinstance(entry.get("deps"), dict) and "value" in entry):
            return None
        for path, digest in entry["deps"].items():
            if not isinstance(digest, str) or path_digest(path) != digest:
                return None
        return entry["value"]

    def put(self, plan_folder: Path, settings: Any, deps: dict[str, str], value: Any) -> None:
        """Store a result; a cache that cannot be written is simply not used."""
        if self.folder is None:
            return
        key, path = self._key(plan_folder, settings)
        data = json.dumps({"format": FORMAT, "key": key, "today": self.today,
                           "deps": deps, "value": value}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8", "surrogateescape")
        write_entry(path, data)
