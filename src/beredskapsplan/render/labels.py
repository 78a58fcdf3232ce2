"""Words, dates and durations in the plan's language.

The words themselves are data: one YAML file per language in
`templates/labels/` (`da.yaml`, `nb.yaml`, `nn.yaml`, `en.yaml`), which
`--template-dir` can override like any template. Dates and durations are
written by Babel from the Unicode CLDR data ("8. oktober 2025", "2 timer",
"3 dage"), never from hand-written month tables.
"""
from __future__ import annotations

import datetime
from typing import Any

from ..i18n import LocalisedError, _
from ..i18n.words import duration_words, long_date
from ..yamlread import parse_bytes

LANGUAGES = ("nb", "nn", "da", "en")


class LabelError(LocalisedError):
    """A labels file that is missing, unreadable or lacks a key."""


class Labels:
    """The label tree of one language, plus date and duration formatting."""

    def __init__(self, data: dict, language: str, source: str):
        self.data = data
        self.language = language
        self.source = source
        locale = data.get("locale")
        self.locale = locale if isinstance(locale, str) else language

    @classmethod
    def load(cls, path, language: str) -> "Labels":
        try:
            raw = path.read_bytes()
        except OSError as err:
            from ..documents import os_reason
            raise LabelError(_("cannot read the labels file {path}: {why}", path=str(path),
                               why=os_reason(err))) from None
        parsed = parse_bytes(raw)
        if parsed.mapping_problem():
            raise LabelError(_("the labels file {path} is not YAML with keys and values",
                               path=str(path)))
        return cls(parsed.data, language, str(path))

    @classmethod
    def shipped(cls, language: str) -> "Labels":
        """The labels this package ships for `language` (no --template-dir applies)."""
        from ..resources import data_dir
        return cls.load(data_dir("templates") / "labels" / f"{language}.yaml", language)

    def get(self, key: str) -> str:
        """A label by dotted key, e.g. `status.proposal`."""
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise LabelError(_("the labels file {path} has no '{key}'", path=self.source,
                                   key=key))
            node = node[part]
        if not isinstance(node, str):
            raise LabelError(_("'{key}' in {path} is not a text", key=key, path=self.source))
        return node

    def fmt(self, key: str, **values: str) -> str:
        """A label with its {placeholders} filled in (the values are never parsed)."""
        text = self.get(key)
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError) as err:
            raise LabelError(_("'{key}' in {path} uses an unknown placeholder ({error}); it may "
                               "use {known}", key=key, path=self.source, error=str(err),
                               known=", ".join("{" + v + "}" for v in values))) from None

    def date(self, day: datetime.date | None) -> str | None:
        if day is None:
            return None
        return long_date(day, self.locale)

    def duration(self, value) -> str | None:
        """An ISO 8601 duration in words: PT2H -> "2 timer", P1DT12H -> "1 dag og 12 timer"."""
        if value is None:
            return None
        return duration_words(value, self.locale)
