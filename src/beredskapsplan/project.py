"""Finding plans on disk and resolving their annex paths safely.

A plan folder holds `plan.yaml`, which lists its annexes. Annex paths are
relative to the plan folder and may point into a shared folder of the same
repository, but never outside the repository root; a path that would is
reported and its target is never read.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .documents import Document, display_path, not_a_file, os_reason, read_document
from .i18n import LocalisedError, Message, _, with_value

PLAN_FILE = "plan.yaml"
CONFIG_FILE = "beredskap.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


class UsageError(LocalisedError):
    """A path given on the command line that cannot be used (exit status 2)."""


def repository_root(folder: Path) -> Path:
    """The nearest ancestor holding beredskap.yaml or .git, else the folder's parent."""
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / CONFIG_FILE).is_file() or (candidate / ".git").exists():
            return candidate
    return folder.parent


@dataclass(frozen=True, slots=True)
class Target:
    # "plan" (a plan folder), "file" (a single annex file), or "problem": a folder found
    # while searching that holds or may hold plans but cannot be checked (an error, so
    # that no plan is ever left out of "N plans checked" unseen)
    kind: str
    path: Path
    problem: Any = None  # for "problem": why (a Message)
    rule: str = ""  # for "problem": the rule id it is reported under


def _holds_a_plan(folder: Path, depth: int = 3) -> bool:
    """Whether a plan.yaml lies in `folder` or up to `depth` levels below it (links are
    not followed, and the look stays short: the folder may be anywhere)."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return False
    if any(e.name == PLAN_FILE for e in entries):
        return True
    return depth > 0 and any(
        _holds_a_plan(Path(e.path), depth - 1) for e in entries
        if not e.name.startswith(".") and e.is_dir(follow_symlinks=False))


def _plan_folders_under(folder: Path) -> list[Target]:
    found: list[Target] = []
    root = None

    def unreadable(err: OSError) -> None:
        where = Path(err.filename) if err.filename else folder
        found.append(Target("problem", where, _(
            "this folder cannot be read ({why}), so the plans in it cannot be checked; "
            "give the user running beredskap read access", why=os_reason(err)),
            "yaml-syntax"))

    for current, dirs, files in os.walk(folder, onerror=unreadable):
        here = Path(current)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [d for d in dirs if (here / d).is_symlink()]:
            link = here / name
            root = root or repository_root(folder)
            try:
                target = link.resolve(strict=True)
            except (OSError, RuntimeError):
                continue  # a loop or a dangling link: no plan can be behind it
            if not _holds_a_plan(target):
                continue  # e.g. a card folder or a shared branding folder: the plan's business
            if not _inside(target, root):
                found.append(Target("problem", link, _(
                    "this folder is a symbolic link that leads outside the repository "
                    "({target}); plans there are not checked", target=str(target)),
                    "unsafe-path"))
            else:
                found.append(Target("problem", link, _(
                    "this folder is a symbolic link to {target}; plans are not checked "
                    "through links: name the folder itself", target=display_path(target)),
                    "unsafe-path"))
        if PLAN_FILE in files:
            found.append(Target("plan", here))
    return found


def owning_plan_folder(path: Path) -> Path | None:
    """The nearest folder above an annex file that holds a plan.yaml, within its repository."""
    root = repository_root(path.parent)
    for folder in (path.parent.resolve(), *path.parent.resolve().parents):
        if (folder / PLAN_FILE).is_file():
            return folder
        if folder == root or root not in folder.parents:
            return None
    return None


def discover(paths: list[Path], owning_plans: bool = False) -> list[Target]:
    """Turn command-line paths into plan folders and single files to check.

    With `owning_plans`, an annex file is checked as part of the plan folder it
    lies in, so that a change breaking a reference from another file is seen.
    """
    targets: list[Target] = []
    for path in paths:
        if not path.exists():
            raise UsageError(_("{path}: no such file or folder", path=str(path)))
        if not path.is_file() and not path.is_dir():  # a FIFO, socket or device
            if path.name == PLAN_FILE:  # its plan folder reports it (validate: an error)
                targets.append(Target("plan", path.parent))
                continue
            raise UsageError(_("{path}: {why}", path=str(path), why=not_a_file(path)))
        if path.is_file():
            if not os.access(path, os.R_OK):
                raise UsageError(_("{path}: cannot be read (no permission)", path=str(path)))
            owner = owning_plan_folder(path) if owning_plans else None
            if path.name == PLAN_FILE:
                targets.append(Target("plan", path.parent))
            elif owner is not None:
                targets.append(Target("plan", owner))
            else:
                targets.append(Target("file", path))
            continue
        if not os.access(path, os.R_OK | os.X_OK):
            raise UsageError(_("{path}: cannot be read (no permission)", path=str(path)))
        folders = _plan_folders_under(path)
        if not folders:
            raise UsageError(_("{path}: no {file} found in this folder or below it; name a plan "
                               "folder, or create one with `beredskap init`",
                               path=str(path), file=PLAN_FILE))
        targets.extend(folders)
    unique: dict[tuple, Target] = {}
    for target in targets:
        unique.setdefault((target.kind, target.path.resolve()), target)
    return list(unique.values())


@dataclass(frozen=True, slots=True)
class Resolved:
    """The outcome of resolving one annex path."""

    path: Path | None  # the real path, when it is safe and exists
    rule: str | None = None  # "missing-file" or "unsafe-path" when not usable
    message: "Message | None" = None


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _link_loop(relative: str) -> Message:
    return _("'{path}' is a symbolic link that leads back to itself; replace it with the real "
             "file or folder", path=relative)


def _link_outside(relative: str) -> Message:
    return _("'{path}' is a symbolic link that leads outside the repository, so it is never "
             "read; copy the file into the repository", path=relative)


def resolve_inside(base: Path, relative: str, root: Path, real: bool = False) -> Resolved:
    """Resolve `relative` against `base`, refusing anything outside `root`.

    `real`: `base` and `root` are already resolved (saves two look-ups per file)."""
    if "\0" in relative:
        return Resolved(None, "unsafe-path", _("the path contains a NUL character; write the "
                                               "file name without it"))
    if os.path.isabs(relative) or relative.startswith("~"):
        return Resolved(None, "unsafe-path", _("'{path}' is an absolute path; write it "
                                               "relative to the plan folder", path=relative))
    if not real:
        root, base = root.resolve(), base.resolve()
    lexical = Path(os.path.normpath(base / relative))
    if not _inside(lexical, root):
        return Resolved(None, "unsafe-path", _("'{path}' leads outside the repository "
                                               "({root}/), so it is never read; keep annex "
                                               "files inside it", path=relative,
                                               root=root.name))
    try:
        real = lexical.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports symlink loops this way
        return Resolved(None, "unsafe-path", _link_loop(relative))
    except OSError as err:
        if err.errno == errno.ELOOP:
            return Resolved(None, "unsafe-path", _link_loop(relative))
        if lexical.is_symlink() and not _inside(lexical.resolve(), root):
            return Resolved(None, "unsafe-path", _link_outside(relative))
        return Resolved(None, "missing-file", _("'{path}' does not exist; check the name and "
                                                "the folder, or create the file",
                                                path=relative))
    if not _inside(real, root):
        return Resolved(None, "unsafe-path", _link_outside(relative))
    return Resolved(real)


def card_files(folder: Path, root: Path, shown: str) -> tuple[list[Path], list[Resolved]]:
    """The YAML files directly in a card folder, sorted, and any unsafe entries.

    `shown` is the folder as written in plan.yaml, for messages."""
    files, problems = [], []
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as err:
        return [], [Resolved(None, "missing-file", _("the folder '{path}' cannot be read "
                                                     "({reason})", path=folder.name + "/",
                                                     reason=os_reason(err)))]
    for entry in entries:
        name = entry.name
        if not name.endswith(YAML_SUFFIXES) or name.startswith("."):
            continue
        shown_name = f"{shown.rstrip('/')}/{name}"
        if not entry.is_symlink():  # `folder` is resolved and inside: only links can leave
            if entry.is_file():
                files.append(folder / name)
            elif not entry.is_dir():  # a FIFO, socket or device named like a card
                problems.append(_not_a_card(folder / name, shown_name))
            continue
        resolved = resolve_inside(folder, name, root, real=True)
        if resolved.path is not None:
            if resolved.path.is_file():
                files.append(resolved.path)
            elif not resolved.path.is_dir():
                problems.append(_not_a_card(resolved.path, shown_name))
        elif resolved.rule == "unsafe-path":
            problems.append(Resolved(None, resolved.rule, with_value(
                resolved.message, path=f"{shown.rstrip('/')}/{name}")))
    return files, problems


def _not_a_card(path: Path, shown: str) -> Resolved:
    return Resolved(None, "missing-file", _("'{file}': {why}", file=shown, why=not_a_file(path)))


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a folder the user may not read
        return False


def stray_yaml_files(folder: Path, used: set[Path]) -> list[Path]:
    """YAML files in a plan folder (and its sub-folders) that the plan does not use."""
    stray = []
    for current, dirs, files in os.walk(folder):
        here = Path(current)
        real_here = here.resolve()  # once per folder: os.walk does not follow links
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and not _exists(here / d / PLAN_FILE))
        for name in sorted(files):
            if (name.endswith(YAML_SUFFIXES) and name not in (PLAN_FILE, CONFIG_FILE)
                    and real_here / name not in used and not (here / name).is_symlink()):
                stray.append(here / name)
    return stray


class DocumentCache:
    """Reads each file once per plan, so a file used twice is one document."""

    def __init__(self) -> None:
        self._docs: dict[Path, Document] = {}

    def read(self, path: Path, real: bool = False) -> Document:
        """`real`: the path is already resolved."""
        key = path if real else path.resolve()
        doc = self._docs.get(key)
        if doc is None:
            doc = self._docs[key] = read_document(path)
        return doc
