"""Repository settings from `beredskap.yaml` at the repository root.

    plans: [plans/]            # where `validate` and `due` look when no path is given
    language: nb               # the language the tool speaks: nb, nn, da or en
    rules:
      stale-contact: error     # change a rule's severity ...
      unreferenced-file: off   # ... or turn it off
    render:
      reference_docx: branding/kommune.docx   # the municipality's Word styles
      logo: branding/vaapen.svg               # the title page's default logo
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .documents import read_document
from .findings import SEVERITIES
from .project import CONFIG_FILE


SETTINGS = ("beredskap", "plans", "language", "rules", "render")
LANGUAGES = ("nb", "nn", "da", "en")
RENDER_SETTINGS = ("reference_docx", "logo")


class ConfigError(Exception):
    """beredskap.yaml cannot be used; the message names file, line and column."""


@dataclass
class Config:
    path: Path | None = None
    plans: list[Path] = field(default_factory=list)
    severities: dict[str, str] = field(default_factory=dict)  # rule id -> severity or "off"
    language: str | None = None  # the tool's messages: nb | nn | da | en
    reference_docx: Path | None = None  # render.reference_docx, resolved
    logo: Path | None = None  # render.logo, resolved


def find_config(start: Path) -> Path | None:
    """beredskap.yaml in `start` or above it, up to the repository root (.git)."""
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


class ConfigLookup:
    """The settings that apply to a plan: those of its own repository.

    So `beredskap validate ../other-repo/plans/x` uses other-repo's rule
    settings, not those of the folder it was run from.
    """

    def __init__(self, known_rules: set[str]):
        self.known_rules = known_rules
        self._loaded: dict[Path | None, Config] = {}
        self._found: dict[Path, Path | None] = {}  # a plan's parent folder -> its settings file

    def for_path(self, path: Path) -> Config:
        start = Path(path).resolve()
        config_path = self._find(start.parent if start.is_file() else start)
        if config_path not in self._loaded:
            self._loaded[config_path] = load_config(config_path, self.known_rules)
        return self._loaded[config_path]

    def _find(self, folder: Path) -> Path | None:
        """find_config, with the answer for every folder on the way remembered (plans of
        one repository share their parent folders)."""
        chain, current = [], folder
        while True:
            if current in self._found:
                found = self._found[current]
                break
            chain.append(current)
            if (current / CONFIG_FILE).is_file():
                found = current / CONFIG_FILE
                break
            if (current / ".git").exists() or current.parent == current:
                found = None
                break
            current = current.parent
        for seen in chain:
            self._found[seen] = found
        return found


def load_config(path: Path | None, known_rules: set[str]) -> Config:
    if path is None:
        return Config()
    doc = read_document(path)
    problems = [p for p in doc.problems if p.message != "file is empty"]
    if problems:  # an empty beredskap.yaml only marks the repository root
        p = problems[0]
        raise ConfigError(f"{doc.display}:{p.line}:{p.column}: {p.message}")

    def fail(key_path: tuple, message: str, key: bool = True) -> ConfigError:
        where = doc.at(key_path, key=key)
        return ConfigError(f"{doc.display}:{where.line}:{where.column}: {message}")

    if doc.data is not None and not isinstance(doc.data, dict):
        raise fail((), "beredskap.yaml must be a mapping of settings (plans:, rules:)")
    data = doc.data or {}

    for key in data:
        if key not in SETTINGS and not key.startswith("x-"):
            raise fail((key,), f"unknown setting '{key}' (known: {', '.join(SETTINGS[1:])})")
    plans = data.get("plans", [])
    if isinstance(plans, str):
        plans = [plans]
    if not isinstance(plans, list) or not all(isinstance(p, str) for p in plans):
        raise fail(("plans",), "'plans' must be a list of folders")
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise fail(("rules",), "'rules' must map rule ids to error, warning, info or off")
    severities = {}
    for rule, level in rules.items():
        if rule not in known_rules:
            raise fail(("rules", rule), f"unknown rule '{rule}' (see `beredskap rules`)")
        if level is False:  # `off` is a string in this reader, but tolerate `false`
            level = "off"
        if level not in (*SEVERITIES, "off"):
            raise fail(("rules", rule), f"'{level}' is not error, warning, info or off", key=False)
        severities[rule] = level
    language = data.get("language")
    if language is not None and language not in LANGUAGES:
        raise fail(("language",), f"'{language}' is not one of {', '.join(LANGUAGES)}", key=False)
    render = data.get("render") or {}
    if not isinstance(render, dict):
        raise fail(("render",), "'render' must be a mapping (reference_docx:, logo:)")
    files: dict[str, Path] = {}
    for key, value in render.items():
        if key not in RENDER_SETTINGS:
            raise fail(("render", key), f"unknown render setting '{key}' (known: "
                                        f"{', '.join(RENDER_SETTINGS)})")
        if not isinstance(value, str) or not value.strip():
            raise fail(("render", key), f"'render.{key}' must be a file path", key=False)
        files[key] = path.parent / value
    return Config(path=path, plans=[path.parent / p for p in plans], severities=severities,
                  language=language, reference_docx=files.get("reference_docx"),
                  logo=files.get("logo"))
