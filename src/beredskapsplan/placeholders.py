"""The mark of text still to be filled in, left by `init`, `new` and `import`.

A value holding the fill-in mark of any language («FYLL INN», «UDFYLD»,
«FILL IN») is a placeholder: the `placeholder` rule reports it, and
`approve` and a non-draft `render` refuse while any remain. The mark is
plain text in YAML (no quoting needed) and in Markdown, reads as what it is
in a printed draft, and never occurs in a real plan. (E-mail addresses at the
reserved `example` domains are not placeholders: fictional plans and tests use
them for every address.)

    name: «FYLL INN» navnet på ordføreren
    body: |
      «UDFYLD» Beskriv, hvem der kan aktivere planen …
"""
from __future__ import annotations

import re

MARKS = {"nb": "«FYLL INN»", "nn": "«FYLL INN»", "da": "«UDFYLD»", "en": "«FILL IN»"}
_ANY_MARK = re.compile("|".join(re.escape(m) for m in sorted(set(MARKS.values()))))


def mark(language: str | None) -> str:
    """The fill-in mark of a document language (English for an unknown one)."""
    return MARKS.get(language or "", MARKS["en"])


def holds_mark(text: str) -> bool:
    return bool(_ANY_MARK.search(text))
