"""Rendering a plan as the document the council approves: DOCX, PDF, HTML, Markdown.

Used by `beredskap render`; usable as a library:

    from beredskapsplan.render import RenderOptions, render
    result = render(Path("plans/kommune"), RenderOptions(formats=("pdf",), audience="public"))

Modules: `context` (model -> template data, incl. redaction), `labels`
(words, dates and durations per language), `markdown` (Jinja2 -> Markdown),
`sanitize` (cleaning user Markdown), `assemble` (the document tree and the
layout per format), `convert` (pandoc, Typst, DOCX packaging, atomic writes)
and `pipeline` (the whole run).
"""
from .pipeline import (AUDIENCES, FORMATS, NotPublic, Refused, RenderError, RenderOptions,
                       RenderResult, RenderUsageError, check_options, output_name, render)

__all__ = ["AUDIENCES", "FORMATS", "NotPublic", "Refused", "RenderError", "RenderOptions",
           "RenderResult", "RenderUsageError", "check_options", "output_name", "render"]
