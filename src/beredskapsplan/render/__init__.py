"""Rendering a plan as the document the council approves: DOCX, PDF, HTML, Markdown.

Used by `beredskap render`; usable as a library:

    from beredskapsplan.render import RenderOptions, render
    result = render(Path("plans/kommune"), RenderOptions(formats=("pdf",), audience="public"))

Modules: `context` (model -> template data, incl. redaction), `labels`
(words, dates and durations per language), `markdown` (the Markdown pieces and
text escaping), `templating` (Jinja2 -> Markdown),
`sanitize` (cleaning user Markdown), `assemble` (the document tree and the
layout per format), `convert` (pandoc, Typst, DOCX packaging, atomic writes)
and `pipeline` (the whole run).
"""
__all__ = ["AUDIENCES", "FORMATS", "NotPublic", "Refused", "RenderError", "RenderOptions",
           "RenderResult", "RenderUsageError", "check_options", "output_name", "render"]


def __getattr__(name: str):
    # The pipeline (Jinja, pandoc, Typst, urllib) is imported on first use, not by every
    # module that needs only `render.context` or `render.labels` (the change summary a
    # `validate` prints goes through those).
    if name in __all__:
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
