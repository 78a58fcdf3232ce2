"""Where the shipped data folders are: inside the installed package, or at the
repository root when running from a source checkout (DESIGN §2 keeps
`schemas/` and `templates/` there)."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    packaged = _PACKAGE / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent.parent / name


def schema_path(kind: str) -> Path:
    return data_dir("schemas") / f"{kind}.schema.json"
