"""What a rule reports."""
from __future__ import annotations

from dataclasses import dataclass

from .documents import Location
from .i18n import Message

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's report before the engine stamps it with rule id and severity."""

    where: Location
    message: "Message | str"  # written in the run's language by the engine
    severity: str | None = None  # None: the rule's configured severity


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    # the line the finding is on, for rules about how a line is written (text output shows
    # it under the finding); not part of the machine formats
    excerpt: str = ""

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "path": self.path,
                "line": self.line, "column": self.column, "message": self.message}

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)
