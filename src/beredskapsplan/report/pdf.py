"""One plan's report as PDF: its Markdown, through pandoc and Typst, with the page layout
of `beredskap render` (templates/beredskap.typ)."""
from __future__ import annotations

from datetime import date

from ..i18n import Translator, _
from ..render.assemble import split_lines
from ..render.convert import Pandoc, meta_text, typst_pdf
from ..render.markdown import LINE
from ..resources import data_dir
from .model import PlanReport
from .text import plan_markdown

EPOCH = 1_700_000_000  # a fixed moment: the same report gives the same PDF


def plan_pdf(report: PlanReport, tr: Translator) -> bytes:
    pandoc = Pandoc(EPOCH)
    blocks = split_lines(pandoc.read(plan_markdown(report, tr, br=LINE)))
    title = tr(_("Audit report: {name}", name=report.name))
    meta = {"doc-title": meta_text(title), "pagetitle": meta_text(title),
            "author": meta_text(report.name),
            "footer": meta_text(f"{title} · " + tr(_("as of {today}",
                                                      today=date.fromisoformat(report.today)))),
            "page-label": meta_text(tr(_("page"))), "of-label": meta_text(tr(_("of"))),
            "lang": {"t": "MetaString", "c": tr.language}}
    templates = data_dir("templates")
    source = pandoc.write(blocks, "typst", ["--standalone", "--template",
                                             str(templates / "beredskap.typ"), "--wrap=none"],
                          meta)
    return typst_pdf(source, [templates / "fonts"] if (templates / "fonts").is_dir() else [])

