"""Running pandoc and Typst, packaging the DOCX, and writing files atomically.

pandoc is the binary bundled with the `pypandoc-binary` package (found through
pypandoc); it runs as a subprocess with a fixed environment, so the output
depends only on its input and `SOURCE_DATE_EPOCH`. PDF is made by pandoc's
Typst writer and the `typst` Python package, with only the fonts Typst itself
ships (plus any in `<template-dir>/fonts/`), so the same input gives the same
PDF on every machine.
"""
from __future__ import annotations

import io
import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from ..documents import os_reason
from ..i18n import LocalisedError, _
from .tables import keep_groups

# How user Markdown and the templates' Markdown are read: no raw HTML/TeX, no
# raw attributes, no metadata blocks, no identifiers made from titles, no math.
READER_OFF = ("raw_html", "raw_tex", "raw_attribute", "citations", "yaml_metadata_block",
              "pandoc_title_block", "auto_identifiers", "tex_math_dollars", "latex_macros",
              "task_lists", "implicit_figures", "implicit_header_references",
              "markdown_in_html_blocks", "native_divs", "native_spans")
READER = "markdown" + "".join("-" + e for e in READER_OFF)
MARKDOWN_WRITER = "markdown-raw_html-raw_tex-raw_attribute-fenced_divs-bracketed_spans" \
                  "-native_divs-native_spans-citations-smart-simple_tables-multiline_tables" \
                  "-grid_tables"
API_VERSION = [1, 23, 1, 1]


class ConvertError(LocalisedError):
    """pandoc or Typst missing or failing; said in the user's language."""


def pandoc_binary() -> str:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError, RuntimeError):
        raise ConvertError(_("pandoc was not found; install the Python package "
                             "pypandoc-binary (pip install pypandoc-binary), which bundles "
                             "it")) from None


class Pandoc:
    def __init__(self, source_date_epoch: int):
        self.binary = pandoc_binary()
        self.env = {"SOURCE_DATE_EPOCH": str(source_date_epoch), "LANG": "C.UTF-8",
                    "PATH": os.environ.get("PATH", "")}
        for key in ("SYSTEMROOT", "TMPDIR", "TEMP", "TMP", "HOME"):
            if key in os.environ:
                self.env[key] = os.environ[key]

    def run(self, args: list[str], data: bytes) -> bytes:
        try:
            proc = subprocess.run([self.binary, *args], input=data, capture_output=True,
                                  env=self.env, timeout=600)
        except OSError as err:
            raise ConvertError(_("pandoc could not be started: {reason}",
                                 reason=os_reason(err))) from None
        except subprocess.TimeoutExpired:
            raise ConvertError(_("pandoc took longer than 10 minutes and was stopped")) \
                from None
        if proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            if message:
                raise ConvertError(_("pandoc failed: {error}", error=" ".join(message[-3:])))
            raise ConvertError(_("pandoc failed with exit status {code}",
                                 code=proc.returncode))
        return proc.stdout

    def read(self, markdown: str, columns: int = 72) -> list:
        """Markdown -> the blocks of pandoc's JSON AST."""
        out = self.run(["--from", READER, "--to", "json", f"--columns={columns}"],
                       markdown.encode("utf-8"))
        return json.loads(out)["blocks"]

    def write(self, blocks: list, to: str, args: list[str], meta: dict | None = None) -> bytes:
        doc = {"pandoc-api-version": API_VERSION, "meta": meta or {}, "blocks": blocks}
        return self.run(["--from", "json", "--to", to, *args],
                        json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def meta_text(text: str) -> dict:
    """Plain text as a metadata value; pandoc escapes it for each output format."""
    inlines: list = []
    for i, word in enumerate(text.split(" ")):
        if i:
            inlines.append({"t": "Space"})
        if word:
            inlines.append({"t": "Str", "c": word})
    return {"t": "MetaInlines", "c": inlines}


# -- DOCX ----------------------------------------------------------------------------------

def docx_reference(template: Path, header: str, footer: str, page: str, of: str) -> bytes:
    """The reference document with this document's header and footer text filled in."""
    values = {"@@HEADER@@": header, "@@FOOTER@@": footer, "@@PAGE@@": page, "@@OF@@": of}
    return rewrite_zip(template.read_bytes(), {
        name: lambda data: _fill(data, values)
        for name in ("word/header1.xml", "word/footer1.xml")})


def _fill(data: bytes, values: dict[str, str]) -> bytes:
    text = data.decode("utf-8")
    for key, value in values.items():
        text = text.replace(key, xml_escape(value))
    return text.encode("utf-8")


def rewrite_zip(data: bytes, changes: dict) -> bytes:
    """A copy of a zip file with some members changed; order and timestamps are kept."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ConvertError(_("the reference document is not a valid .docx file")) from None
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in changes:
                content = changes[info.filename](content)
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            copy.external_attr = info.external_attr
            target.writestr(copy, content)
    return out.getvalue()


def docx_core(title: str, creator: str, language: str, epoch: int) -> bytes:
    stamp = datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:title>{xml_escape(title)}</dc:title>'
        f'<dc:creator>{xml_escape(creator)}</dc:creator>'
        f'<dc:language>{xml_escape(language)}</dc:language>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        '</cp:coreProperties>').encode("utf-8")


EMPTY_CUSTOM = (b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
                b'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes" />')


def finish_docx(data: bytes, core: bytes) -> bytes:
    """Replace pandoc's document properties with exactly ours; ask Word to update the
    fields (the table of contents gets its page numbers) when the file is opened; keep
    table rows whole and short tables on one page."""
    changes = {"docProps/core.xml": lambda _: core, "docProps/custom.xml": lambda _: EMPTY_CUSTOM,
               "word/settings.xml": update_fields_on_open, "word/document.xml": finish_document}
    return rewrite_zip(data, changes)


# the elements that come after w:updateFields in w:settings (the schema fixes the order)
_AFTER_UPDATE_FIELDS = re.compile(
    r"<(?:w:hdrShapeDefaults|w:footnotePr|w:endnotePr|w:compat|w:docVars|w:rsids|m:mathPr|"
    r"w:attachedSchema|w:themeFontLang|w:clrSchemeMapping|w:doNotIncludeSubdocsInStats|"
    r"w:doNotAutoCompressPictures|w:forceUpgrade|w:captions|w:readModeInkLockDown|w:smartTagType|"
    r"sl:schemaLibrary|w:shapeDefaults|w:doNotEmbedSmartTags|w:decimalSymbol|w:listSeparator)[ >/]")


def update_fields_on_open(data: bytes) -> bytes:
    text = data.decode("utf-8")
    if "<w:updateFields" in text:
        return data
    field = '<w:updateFields w:val="true" />'
    found = _AFTER_UPDATE_FIELDS.search(text)
    at = found.start() if found else text.rindex("</w:settings>")
    return (text[:at] + field + text[at:]).encode("utf-8")


# a table, and the mark render.assemble may put before it (`table_mark`)
_TABLE = re.compile(r"(?:<!--beredskap:table ([^>]*?)-->\s*)?(<w:tbl>.*?</w:tbl>)", re.S)
_ROW = re.compile(r"<w:tr>(?:<w:trPr>(.*?)</w:trPr>)?(.*?)</w:tr>", re.S)


_BOOKMARK_BEFORE_PARAGRAPH = re.compile(
    r"((?:<w:bookmarkStart [^>]*/>\s*)+)(<w:p>(?:<w:pPr>.*?</w:pPr>)?)", re.S)


def finish_document(data: bytes) -> bytes:
    """Bookmarks inside their heading's paragraph, and tables kept together and set at
    the size render.assemble marked."""
    return keep_tables(_bookmarks_in_paragraphs(data))


# the paragraph right before a table (its introduction: "Ring i denne rækkefølge.")
_LEAD_IN = re.compile(r"(<w:p>(?:(?!</w:p>).)*?</w:p>)(\s*)"
                      r"(?=(?:<!--beredskap:table [^>]*?-->\s*)?<w:tbl>)", re.S)
_RUN = re.compile(r"<w:r>(?:<w:rPr>(.*?)</w:rPr>)?", re.S)
# the elements that come after w:sz and w:szCs in w:rPr (the schema fixes the order)
_AFTER_SIZE = re.compile(r"<w:(?:highlight|u|effect|bdr|shd|fitText|vertAlign|rtl|cs|em|lang|"
                         r"eastAsianLayout|specVanish|oMath)[ >/]")


def table_mark(keep: tuple[int, int] | None, size: float | None = None) -> str:
    """A mark before a table (raw OpenXML; finish_docx reads and removes it): how many of
    its first and last body rows stay together, and its text size in points."""
    return "<!--beredskap:table" + (f" first={keep[0]} last={keep[1]}" if keep else "") + \
        (f" size={round(size * 2)}" if size else "") + "-->"


def _sized_runs(xml: str, half_points: int) -> str:
    """Every run with this text size (direct formatting: any reference document)."""
    size = f'<w:sz w:val="{half_points}" /><w:szCs w:val="{half_points}" />'

    def run(m: re.Match) -> str:
        properties = m.group(1) or ""
        if "<w:sz " in properties:
            return m.group(0)
        found = _AFTER_SIZE.search(properties)
        at = found.start() if found else len(properties)
        return f"<w:r><w:rPr>{properties[:at]}{size}{properties[at:]}</w:rPr>"

    return _RUN.sub(run, xml)


def _bookmarks_in_paragraphs(data: bytes) -> bytes:
    """A heading's bookmark marks the heading itself, inside its paragraph: pandoc lets it
    span the whole section, from between two paragraphs, and LibreOffice loses such a
    bookmark after a table (and with it the page number the table of contents shows)."""
    text = data.decode("utf-8")
    moved = {ident for m in _BOOKMARK_BEFORE_PARAGRAPH.finditer(text)
             for ident in re.findall(r'<w:bookmarkStart w:id="([^"]*)"', m.group(1))}
    text = re.sub(r'\s*<w:bookmarkEnd w:id="([^"]*)" />',
                  lambda m: "" if m.group(1) in moved else m.group(0), text)

    def move(m: re.Match) -> str:
        marks = re.findall(r'(<w:bookmarkStart w:id="([^"]*)"[^>]*/>)', m.group(1))
        return m.group(2) + "".join(f'{mark}<w:bookmarkEnd w:id="{ident}" />'
                                    for mark, ident in marks)

    return _BOOKMARK_BEFORE_PARAGRAPH.sub(move, text).encode("utf-8")


def keep_tables(data: bytes) -> bytes:
    """No table row is split across pages, a short table stays on one page, and a long
    one keeps its heading with its first rows and its last rows together, so no page
    holds a row or two of it alone (`tables.keep_groups`; "keep with next" on every
    paragraph of the rows to keep together: Word's and LibreOffice's way)."""
    text = data.decode("utf-8")

    def table(match: re.Match) -> str:
        xml = match.group(2)
        rows = _ROW.findall(xml)
        if not rows or "<w:tbl>" in xml[5:]:
            return xml  # a table in a table: left as pandoc wrote it
        n = len(rows)
        heading = sum(1 for properties, _ in rows if "<w:tblHeader" in (properties or ""))
        mark = dict(re.findall(r"(\w+)=(\d+)", match.group(1) or ""))
        first, last = keep_groups(n - heading)
        if "first" in mark:
            first, last = int(mark["first"]), int(mark["last"])
        # row i with "keep with next" stays on the page of row i + 1
        keep = set(range(heading + first - 1)) | set(range(n - last, n - 1))
        out = []
        for i, (properties, cells) in enumerate(rows):
            properties = properties or ""
            if "<w:cantSplit" not in properties:
                properties = "<w:cantSplit />" + properties
            if i in keep:
                cells = _keep_next(cells)
            out.append(f"<w:tr><w:trPr>{properties}</w:trPr>{cells}</w:tr>")
        start = xml.index("<w:tr>")
        end = xml.rindex("</w:tr>") + len("</w:tr>")
        xml = xml[:start] + "".join(out) + xml[end:]
        return _sized_runs(xml, int(mark["size"])) if "size" in mark else xml

    text = _LEAD_IN.sub(lambda m: _keep_next(m.group(1)) + m.group(2), text)
    return _TABLE.sub(table, text).encode("utf-8")


def _keep_next(cells: str) -> str:
    """Keep with next on every paragraph (w:keepNext follows w:pStyle in w:pPr)."""
    cells = re.sub(r"(<w:pPr>(?:<w:pStyle [^>]*/>)?)(?!<w:keepNext)", r"\1<w:keepNext />", cells)
    return re.sub(r"<w:p>(?!<w:pPr>)", "<w:p><w:pPr><w:keepNext /></w:pPr>", cells)


# -- PDF -----------------------------------------------------------------------------------

def typst_pdf(source: bytes, font_dirs: list[Path], files: dict[str, bytes] | None = None,
              fmt: str = "pdf", ppi: float | None = None) -> bytes:
    """Compile Typst source; `files` (name -> content) are put beside it, e.g. the logo."""
    try:
        import typst
    except ImportError:
        raise ConvertError(_("the Python package typst is not installed (pip install "
                             "typst); it is needed for PDF")) from None
    with tempfile.TemporaryDirectory(prefix="beredskap-typst-") as root:
        for name, content in (files or {}).items():
            (Path(root) / name).write_bytes(content)
        options = {"ppi": ppi} if ppi else {}
        try:
            return typst.compile(source, root=root, format=fmt, ignore_system_fonts=True,
                                 font_paths=[str(d) for d in font_dirs], **options)
        except Exception as err:  # typst.TypstError and friends
            message = re.sub(r"\s+", " ", str(err)).strip()
            raise ConvertError(_("typst could not make the PDF: {error}",
                                 error=message[:400])) from None


def svg_to_png(svg: bytes, width_pt: float, font_dirs: list[Path]) -> bytes:
    """An SVG drawn as a PNG (for DOCX), by Typst with the PDF's fonts."""
    source = ('#set page(width: auto, height: auto, margin: 4pt, fill: white)\n'
              f'#image("picture.svg", width: {width_pt:.0f}pt)\n').encode("utf-8")
    return typst_pdf(source, font_dirs, {"picture.svg": svg}, fmt="png", ppi=150)


# -- writing -------------------------------------------------------------------------------

def write_atomic(path: Path, data: bytes | Iterable[str]) -> None:
    """One file, written via a temporary file beside it and renamed into place."""
    write_all([(path, data)])


def write_all(files: list[tuple[Path, bytes | Iterable[str]]]) -> None:
    """Put every file in place, or none: the old files stay when anything fails.

    Each file is first written in full beside its target (a full disk fails
    here, before any target is touched), then the targets are replaced one by
    one; should a replacement fail, those already replaced get their old
    contents back."""
    staged: list[tuple[Path, str]] = []
    backups: list[tuple[Path, str | None]] = []
    try:
        for path, data in files:
            staged.append((path, stage(path, data)))
        for path, temp in staged:
            backups.append((path, _keep_old(path) if os.path.lexists(path) else None))
            os.replace(temp, path)
    except BaseException:
        for path, backup in reversed(backups):
            try:
                if backup is None:
                    os.unlink(path)
                elif os.path.exists(path) and os.path.samefile(backup, path):
                    os.unlink(backup)  # never replaced (renaming a link onto itself does nothing)
                else:
                    os.replace(backup, path)
            except OSError:
                pass
        for _path, temp in staged:
            _remove(temp)
        raise
    for _path, backup in backups:
        if backup is not None:
            _remove(backup)
    _sync_folder(files[0][0].parent if files else None)


def _keep_old(path: Path) -> str:
    """A second name for the file now at `path`, to put back if the run fails."""
    backup = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.old")
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:  # a file system without hard links: a copy will do
        backup = stage(path, path.read_bytes())
    return backup


def stage(path: Path, data: bytes | Iterable[str]) -> str:
    """`data` written in full to a temporary file beside `path`; its name. `data` may be
    pieces of text, written as they come (UTF-8), so a long output is never held whole."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                for piece in data:
                    handle.write(piece.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
    except BaseException:
        _remove(temp)
        raise
    return temp


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_folder(folder: Path | None) -> None:
    if folder is None or not hasattr(os, "O_DIRECTORY"):
        return
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_UMASK_LOCK = threading.Lock()


def _umask() -> int:
    """The process umask, read without changing it where the system allows.

    Reading it portably means setting it and setting it back, which two writing
    threads must never do at once: Linux shows it in /proc, elsewhere a lock
    keeps the two calls together.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask
