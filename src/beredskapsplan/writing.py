"""Writing the plan's files safely: locked, atomic, through links, as they were written.

Every command that changes a file (`approve`, `init`, `new`, `record`, `close`,
`verify`) writes through here, so that:

- two runs at once never lose an update: the file is locked from the moment it
  is read until its new content is in place (`update`);
- a reader never sees half a file: the new content is written to a temporary
  file beside it, flushed to disk and renamed over the old one;
- a symlinked file is updated through its link: the link's target is written,
  the link stays a link;
- the file keeps its permissions, its byte-order mark, its line endings (LF,
  CRLF or mixed) and a missing final newline;
- a new file never replaces one that appeared meanwhile (`create`).

Text is handed to the editing code with LF line endings and a final newline
(`TextFile.text`) and written back the way the file had it.
"""
from __future__ import annotations

import difflib
import errno
import os
import secrets
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .i18n import Message, _


def os_reason(err: OSError):
    """Why the system refused, in the user's words (documents.os_reason, imported only when
    a write fails: the reading layer is not needed to write a file)."""
    from .documents import os_reason as reason
    return reason(err)


try:
    import fcntl
except ImportError:  # Windows: a lock file beside the file instead
    fcntl = None  # type: ignore[assignment]

LOCK_WAIT = 60.0  # seconds to wait for another run to finish writing the same file
_POLL = 0.02
BOM = "\ufeff"


class WriteError(Exception):
    """A file could not be read or written; the message (a Message) says why."""

    def __init__(self, message: Message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class TextFile:
    """A text file as read, and how to write text back the way it was written."""

    path: Path  # as given (may be a symlink)
    real: Path  # the file the bytes are in
    text: str  # LF line endings, ending in a newline (unless empty)
    bom: bool
    newline: str  # the line ending for new lines: "\n" or "\r\n"
    original_lines: tuple[str, ...]  # with their own endings, when they were mixed
    final_newline: bool

    def encode(self, text: str) -> bytes:
        """`text` (LF endings, as `self.text`) as bytes written the way the file was."""
        if not self.final_newline and self.text.endswith("\n") and text.endswith("\n"):
            text = text[:-1]
        if self.original_lines:
            text = _keep_mixed_endings(self.original_lines, text, self.newline)
        elif self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ((BOM if self.bom else "") + text).encode("utf-8")


def _keep_mixed_endings(original: tuple[str, ...], text: str, newline: str) -> str:
    """Lines left as they were keep their own ending; new lines get `newline`."""
    new = text.splitlines(keepends=True)
    old_bare = [line.rstrip("\r\n") for line in original]
    new_bare = [line.rstrip("\r\n") for line in new]
    out = []
    matcher = difflib.SequenceMatcher(None, old_bare, new_bare, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                old, line = original[i1 + offset], new[j1 + offset]
                ending = old[len(old.rstrip("\r\n")):] if line.endswith("\n") else ""
                out.append(new_bare[j1 + offset] + ending)
        else:
            out.extend(line.replace("\n", newline) if line.endswith("\n") else line
                       for line in new[j1:j2])
    return "".join(out)


def decode(path: Path, raw: bytes, real: Path | None = None) -> TextFile:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise WriteError(_("{file} is not UTF-8 text (byte {offset}); save it as UTF-8 first",
                           file=str(path), offset=err.start + 1)) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    crlf = text.count("\r\n")
    lf = text.count("\n")
    newline = "\r\n" if crlf and crlf * 2 >= lf else "\n"
    mixed = 0 < crlf < lf
    original = tuple(text.splitlines(keepends=True)) if mixed else ()
    final = text.endswith("\n") or not text
    normal = text.replace("\r\n", "\n")
    if normal and not normal.endswith("\n"):
        normal += "\n"
    return TextFile(path, real or path, normal, bom, newline, original, final)


def read(path: Path) -> TextFile:
    """Read a text file (following links) for editing."""
    real = Path(os.path.realpath(path))
    try:
        raw = real.read_bytes()
    except OSError as err:
        raise WriteError(_("{file} cannot be read: {why}", file=str(path),
                           why=os_reason(err))) from None
    return decode(path, raw, real)


# -- the lock ------------------------------------------------------------------------------

def _busy(path: Path) -> WriteError:
    return WriteError(_("{file} is being changed by another beredskap command; nothing was "
                        "written: try again when it has finished", file=str(path)))


@contextmanager
def locked(path: Path, wait: float = LOCK_WAIT) -> Iterator[Path]:
    """Hold the write lock of an existing file (through its links); yields the real path.

    The lock is the file's own (flock): it needs no extra file in the repository and
    is released by the system if the process dies. A run that waited checks that the
    path still names the file it locked: the run before it replaced the file."""
    deadline = time.monotonic() + wait
    if fcntl is None:
        with _lock_file(path, deadline) as real:
            yield real
        return
    while True:
        real = Path(os.path.realpath(path))
        try:
            handle = os.open(real, os.O_RDONLY)
        except OSError as err:
            raise WriteError(_("{file} cannot be read: {why}", file=str(path),
                               why=os_reason(err))) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            if time.monotonic() > deadline:
                raise _busy(path) from None
            time.sleep(_POLL)
            continue
        except OSError:  # a file system without locks: carry on without one
            pass
        try:
            now = os.stat(real)
            held = os.fstat(handle)
            same = (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev)
        except OSError:
            same = False
        if same:
            break
        os.close(handle)  # replaced while we waited: lock the new file
    try:
        yield real
    finally:
        os.close(handle)


@contextmanager
def _lock_file(path: Path, deadline: float) -> Iterator[Path]:
    real = Path(os.path.realpath(path))
    lock = real.with_name(real.name + ".lock")
    while True:
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise WriteError(_("{file} is being changed by another beredskap command "
                                   "(delete {lock} if none is running); nothing was written",
                                   file=str(path), lock=str(lock))) from None
            time.sleep(_POLL)
        except OSError as err:
            raise _write_error(path, err) from None
    try:
        yield real
    finally:
        try:
            os.unlink(lock)
        except OSError:
            pass


# -- writing -------------------------------------------------------------------------------

def _write_error(path: Path, err: OSError) -> WriteError:
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return WriteError(_("cannot write {file}: permission denied; it is unchanged",
                            file=str(path)))
    if err.errno == errno.ENOSPC:
        return WriteError(_("cannot write {file}: the disk is full; it is unchanged",
                            file=str(path)))
    return WriteError(_("cannot write {file}: {why}; it is unchanged", file=str(path),
                        why=os_reason(err)))


def _temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new file beside the target; mode 0666 less the umask, like any new file."""
    for _attempt in range(100):
        temp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _write_temporary(real: Path, data: bytes) -> Path:
    handle, temp = _temporary(real.parent, real.name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        _unlink(temp)
        raise
    return temp


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    """The rename itself on disk too (where the system allows opening a folder)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def replace(path: Path, real: Path, data: bytes) -> None:
    """Put `data` in place of the file `real` (the target of `path`), atomically."""
    if not os.access(real, os.W_OK):
        raise WriteError(_("{file} is read-only; make it writable and run the command again "
                           "(nothing was written)", file=str(path)))
    try:
        mode = os.stat(real).st_mode & 0o7777
        temp = _write_temporary(real, data)
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise WriteError(_("cannot write in {folder}: permission denied (the new file is "
                               "written beside {file}, then moved into place); it is unchanged",
                               folder=str(real.parent), file=str(path))) from None
        raise _write_error(path, err) from None
    try:
        os.chmod(temp, mode)
        os.replace(temp, real)
    except OSError as err:
        _unlink(temp)
        raise _write_error(path, err) from None
    _sync_folder(real.parent)


@dataclass(frozen=True)
class Change:
    """What `update` did (or, with `dry_run`, would do) to one file."""

    path: Path
    before: str  # LF line endings
    after: str
    written: bool

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, shown: str | None = None) -> str:
        return unified_diff(shown or str(self.path), self.before, self.after)


def update(path: Path, change: Callable[[TextFile], str], dry_run: bool = False,
           wait: float = LOCK_WAIT) -> Change:
    """Read, change and write a file under its lock: `change` gets the file as read and
    returns the new text (LF endings) or raises; nothing is written when it raises, when
    the text is the same, or with `dry_run`."""
    with locked(path, wait) as real:
        try:
            raw = real.read_bytes()
        except OSError as err:
            raise WriteError(_("{file} cannot be read: {why}", file=str(path),
                               why=os_reason(err))) from None
        current = decode(path, raw, real)
        new = change(current)
        if dry_run or new == current.text:
            return Change(path, current.text, new, False)
        replace(path, real, current.encode(new))
        return Change(path, current.text, new, True)


def create(path: Path, text: str) -> None:
    """Write a new file; refused (FileExistsError) when one appeared at `path` meanwhile.

    Written beside it first and linked into place, so the file never exists half
    written; where the file system has no hard links, it is created directly."""
    path = Path(path)
    data = text.encode("utf-8")
    try:
        temp = _write_temporary(path, data)
    except OSError as err:
        raise _write_error(path, err) from None
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError as err:
        if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK, errno.ENOSYS):
            raise _write_error(path, err) from None
        with open(path, "xb") as out:  # no hard links here
            out.write(data)
    finally:
        _unlink(temp)
    _sync_folder(path.parent)


def unified_diff(shown: str, before: str, after: str) -> str:
    """The change as `git diff` shows it (without the header git adds)."""
    lines = difflib.unified_diff(before.splitlines(keepends=True),
                                 after.splitlines(keepends=True),
                                 fromfile=f"a/{shown}", tofile=f"b/{shown}", n=1)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
