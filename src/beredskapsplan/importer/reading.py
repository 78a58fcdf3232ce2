"""Reading the document: pandoc's reader for the text, the package XML for the rest.

DOCX and ODT go through pandoc's own readers (the bundled pandoc, run the
way `render` runs it) into pandoc's JSON document tree, with the images
extracted into a working folder. Markdown is read with raw HTML and TeX
switched off, as the plan's own Markdown is. What pandoc leaves out is read
from the package's XML (`wordxml`, `odfxml`).
"""
from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..documents import os_reason
from ..i18n import _
from . import odfxml, wordxml
from .wordxml import Extras, XmlError

MAX_INPUT = 200 * 1024 * 1024
MARKDOWN_READER = ("markdown-raw_html-raw_tex-raw_attribute-tex_math_dollars-latex_macros"
                   "-citations-native_divs-native_spans-markdown_in_html_blocks")
FORMAT_NAMES = {"docx": "Word (DOCX)", "odt": "OpenDocument (ODT)", "markdown": "Markdown"}


class ReadError(Exception):
    """The document cannot be read; the message (a `Message`) says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class Source:
    path: Path
    format: str  # docx | odt | markdown
    meta: dict
    blocks: list
    extras: Extras = field(default_factory=Extras)
    media: Path | None = None  # where pandoc put the document's images


def detect(path: Path, data: bytes) -> str:
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "word/document.xml" in names:
                    return "docx"
                if "mimetype" in names:
                    kind = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                    if kind == "application/vnd.oasis.opendocument.text":
                        return "odt"
                    raise ReadError(_("{file} is an OpenDocument file of another kind "
                                      "({kind}); save it as a text document (.odt)",
                                      file=str(path), kind=kind))
        except zipfile.BadZipFile:
            raise ReadError(_("{file} looks like a zip package but is damaged; open it in "
                              "Word or LibreOffice and save it again", file=str(path))) from None
        raise ReadError(_("{file} is a zip package but neither a Word (.docx) nor an "
                          "OpenDocument (.odt) document", file=str(path)))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError(_("{file} is in the old Word format (.doc); open it in Word or "
                          "LibreOffice and save it as .docx, then import that",
                          file=str(path)))
    if data[:5] == b"{\\rtf":
        raise ReadError(_("{file} is an RTF file; open it in Word or LibreOffice and save it "
                          "as .docx, then import that", file=str(path)))
    if path.suffix.lower() in (".md", ".markdown", ".txt", ".text"):
        return "markdown"
    raise ReadError(_("{file}: not a document beredskap can import; give a Word (.docx), "
                      "OpenDocument (.odt) or Markdown (.md) file", file=str(path)))


def read(path: Path, workdir: Path) -> Source:
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ReadError(_("{file} cannot be read: {reason}", file=str(path),
                          reason=os_reason(err))) from None
    if not path.is_file():
        raise ReadError(_("{file} is not a file", file=str(path)))
    if size > MAX_INPUT:
        raise ReadError(_("{file} is larger than {limit} MB; beredskap does not import it",
                          file=str(path), limit=str(MAX_INPUT // 1048576)))
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(_("{file} cannot be read: {reason}", file=str(path),
                          reason=os_reason(err))) from None
    kind = detect(path, data)
    extras = Extras()
    media = None
    if kind == "markdown":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ReadError(_("{file} is not UTF-8 text (byte {offset}); save it as UTF-8",
                              file=str(path), offset=str(err.start + 1))) from None
        args = ["--from", MARKDOWN_READER, "--to", "json"]
        data = text.encode("utf-8")
    else:
        try:
            extras = (wordxml if kind == "docx" else odfxml).read(data)
        except XmlError as err:
            raise ReadError(_("{file} cannot be read as {format}: {reason}; open it in Word "
                              "or LibreOffice and save it again", file=str(path),
                              format=FORMAT_NAMES[kind], reason=err.message)) from None
        media = workdir / "media"
        media.mkdir()
        args = ["--from", "docx+styles" if kind == "docx" else "odt", "--to", "json",
                f"--extract-media={media}"]
    tree = _pandoc(args, data, path, kind)
    return Source(path, kind, tree.get("meta") or {}, tree.get("blocks") or [], extras, media)


def _pandoc(args: list[str], data: bytes, path: Path, kind: str) -> dict:
    from ..render.convert import ConvertError, Pandoc

    try:
        out = Pandoc(0).run(args, data)
    except ConvertError as err:
        raise ReadError(_("{file} cannot be read as {format}: {reason}", file=str(path),
                          format=FORMAT_NAMES[kind], reason=str(err))) from None
    try:
        return json.loads(out)
    except ValueError:
        raise ReadError(_("{file}: pandoc gave no readable result", file=str(path))) from None
