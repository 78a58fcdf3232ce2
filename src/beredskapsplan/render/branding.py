"""The municipality's own files for the document: its logo and its Word styles.

- The logo (coat of arms) is `organization.logo` in plan.yaml, relative to the
  plan folder, else `render.logo` in beredskap.yaml, relative to that file. It
  is a PNG or an SVG file inside the repository; a path that leads outside
  (`..`, a symbolic link) is refused, like any annex path.
- The Word styles are `render.reference_docx` in beredskap.yaml: a .docx file
  inside the repository whose styles, page size, header and footer the DOCX
  uses instead of the shipped `reference.docx` (a `--template-dir` holding a
  `reference.docx` comes first).
"""
from __future__ import annotations

import base64
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..documents import os_reason
from ..i18n import _

MAX_LOGO = 5 * 1024 * 1024
_PNG = b"\x89PNG\r\n\x1a\n"
_SVG = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*"
                  rb"<svg[\s>]", re.S)


class BrandingError(Exception):
    """A logo or style file that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Logo:
    kind: str  # png | svg
    data: bytes

    @property
    def mime(self) -> str:
        return "image/png" if self.kind == "png" else "image/svg+xml"

    @property
    def file_name(self) -> str:
        return f"logo.{self.kind}"

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def inside(path: Path, root: Path, setting: str) -> Path:
    """The file `path` resolved, refused unless it is a file inside `root`."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise BrandingError(_("{setting}: {path} does not exist", setting=setting,
                           path=str(path))) from None
    root = root.resolve()
    if resolved != root and root not in resolved.parents:
        raise BrandingError(_("{setting}: {path} is outside the repository ({root}); put the file "
                           "inside it", setting=setting, path=str(path), root=str(root)))
    if not resolved.is_file():
        raise BrandingError(_("{setting}: {path} is not a file", setting=setting, path=str(path)))
    return resolved


def load_logo(path: Path, root: Path, setting: str) -> Logo:
    resolved = inside(path, root, setting)
    try:
        if resolved.stat().st_size > MAX_LOGO:
            raise BrandingError(_("{setting}: {path} is larger than 5 MB; use a smaller picture",
                               setting=setting, path=str(path)))
        data = resolved.read_bytes()
    except OSError as err:
        raise BrandingError(_("{setting}: cannot read {path}: {reason}", setting=setting,
                           path=str(path), reason=os_reason(err))) from None
    if data.startswith(_PNG):
        return Logo("png", data)
    if _SVG.match(data[:4096]):
        # an SVG is text: a checkout with Windows line endings gives the same documents
        return Logo("svg", data.replace(b"\r\n", b"\n"))
    raise BrandingError(_("{setting}: {path} is neither a PNG nor an SVG picture", setting=setting,
                       path=str(path)))


def check_reference_docx(path: Path, root: Path, setting: str) -> Path:
    resolved = inside(path, root, setting)
    try:
        with zipfile.ZipFile(resolved) as z:
            if "word/styles.xml" not in z.namelist():
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, OSError):
        raise BrandingError(_("{setting}: {path} is not a Word document (.docx)", setting=setting,
                           path=str(path))) from None
    return resolved
