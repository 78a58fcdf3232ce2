"""Readable ids from titles and names, unique across a plan (one namespace)."""
from __future__ import annotations

import re
import unicodedata

_LETTERS = {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
            "þ": "th", "ð": "d", "đ": "d", "ł": "l", "œ": "oe"}
MAX_LENGTH = 48  # well inside the id limit of 63, and still readable


def slug(text: str, limit: int = MAX_LENGTH) -> str:
    """"Formål med beredskabsplanen" -> "formaal-med-beredskabsplanen"."""
    lowered = text.lower()
    spelled = "".join(_LETTERS.get(ch, ch) for ch in lowered)
    plain = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode("ascii")
    words = [w for w in re.split(r"[^a-z0-9]+", plain) if w]
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            if not out:
                out = word[:limit]
            break
        out = candidate
    return out


class Ids:
    """Hands out ids, each once: "krisestyring", then "krisestyring-2"."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, text: str, fallback: str) -> str:
        base = slug(text) or slug(fallback) or "x"
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

    def reserve(self, ident: str) -> None:
        self.used.add(ident)
