"""The tool's own words in the user's language: Norwegian (bokmål, nynorsk), Danish, English.

Everything the tool says to a person is written in English in the code and
wrapped in `_()`, or `_n()` when it depends on a count:

    from ..i18n import _, _n

    yield hit(src, _("'{number}' is not a valid phone number in {region}",
                     number=phone.number, region=region))
    summary = _n("{n} plan checked", "{n} plans checked", count)

`_()` does not translate at once: it returns a `Message` holding the English
text and its values. A `Translator` for one language turns it into text:
the English text is looked up in that language's gettext catalogs
(`locale/<lang>/LC_MESSAGES/*.mo`, made from the `.po` files beside them by
`python3 dev.py catalogs`), and the values are filled in, each written the
way the language writes it: a date as "8. oktober 2025", a duration as
"6 måneder", another message in the same language. English dates stay
ISO 8601 (2025-10-08). Values are never read as format strings, so user
text cannot break a message.

Which language: `--lang`, else `BEREDSKAP_LANG`, else `language:` in
beredskap.yaml, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), else
English (`choose`). Rule ids, JSON keys and exit codes never change.

Catalogs are read only when a message is first shown in a language other
than English, with the standard library's `gettext` (Babel is used to write
them, and to write dates and durations).
"""
from __future__ import annotations

import gettext
import os
import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

LANGUAGES = ("nb", "nn", "da", "en")
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

# the language and region each of ours is written in, for Babel (dates, durations, lists)
BABEL_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "da": "da_DK", "en": "en_GB"}
# locale names as the system writes them -> our language
_LOCALE_LANGUAGES = {"nb": "nb", "no": "nb", "nn": "nn", "da": "da", "en": "en",
                     "c": "en", "posix": "en"}


class Message:
    """A message in English with its values, to be written in some language later."""

    __slots__ = ("msgid", "plural", "n", "args")

    def __init__(self, msgid: str, args: Mapping[str, Any], plural: str | None = None,
                 n: int | None = None):
        self.msgid = msgid
        self.plural = plural
        self.n = n
        self.args = dict(args)

    def __str__(self) -> str:
        return translator(DEFAULT)(self)

    def __repr__(self) -> str:
        return f"Message({self.msgid!r}, {self.args!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Message) and (self.msgid, self.plural, self.n, self.args)
                == (other.msgid, other.plural, other.n, other.args))

    def __hash__(self) -> int:
        return hash((self.msgid, self.plural, self.n))

    def __getstate__(self):
        return (self.msgid, self.plural, self.n, self.args)

    def __setstate__(self, state) -> None:
        self.msgid, self.plural, self.n, self.args = state


def _(msgid: str, /, **args: Any) -> Message:
    """A message to translate; `{name}` in it is filled with the value `name=`."""
    return Message(msgid, args)


def _n(singular: str, plural: str, n: int, /, **args: Any) -> Message:
    """A message that depends on a count `n` (also available as `{n}`)."""
    return Message(singular, {"n": n, **args}, plural, n)


class _Values(dict):
    """The values of one message, each written in the translator's language."""

    def __init__(self, tr: "Translator", args: Mapping[str, Any]):
        super().__init__()
        self.tr = tr
        self.args = args

    def __missing__(self, key: str) -> str:
        if key not in self.args:
            raise KeyError(key)
        value = self.tr.value(self.args[key])
        self[key] = value
        return value


class Translator:
    """Messages, dates and durations in one language."""

    def __init__(self, language: str):
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        self.language = language
        self.locale = BABEL_LOCALES[language]
        self._catalog: gettext.NullTranslations | None = None

    @property
    def catalog(self) -> gettext.NullTranslations:
        if self._catalog is None:
            self._catalog = _load_catalogs(self.language)
        return self._catalog

    def __call__(self, message: "Message | str") -> str:
        if not isinstance(message, Message):
            return message
        if self.language == DEFAULT:
            text = message.msgid if message.plural is None or message.n == 1 else message.plural
        elif message.plural is None:
            text = self.catalog.gettext(message.msgid)
        else:
            text = self.catalog.ngettext(message.msgid, message.plural, message.n)
        values = _Values(self, message.args)
        try:
            return text.format_map(values)
        except (KeyError, IndexError, ValueError, AttributeError):
            # a translation naming a value the message does not have: the English text
            # is still right (the catalog tests keep this from happening)
            english = message.msgid if message.plural is None or message.n == 1 \
                else message.plural
            return english.format_map(values)

    def value(self, value: Any) -> str:
        """One value of a message, as this language writes it."""
        if isinstance(value, Message):
            return self(value)
        if isinstance(value, str):
            return value
        if isinstance(value, date):
            return self.date(value)
        if isinstance(value, (list, tuple)):
            return self.list([self.value(v) for v in value])
        if isinstance(value, timedelta) or type(value).__name__ == "Duration":
            return self.duration(value)
        return str(value)

    def gettext(self, msgid: str, domain: str | None = None) -> str:
        """The text of `msgid` in this language; `domain` names a catalog that is
        looked up on its own (one of SEPARATE_DOMAINS)."""
        if self.language == DEFAULT:
            return msgid
        catalog = self.catalog if domain is None else _load_domain(self.language, domain)
        return catalog.gettext(msgid)

    def date(self, day: date) -> str:
        """A date in text: "8. oktober 2025"; ISO 8601 in English."""
        if self.language == DEFAULT:
            return day.isoformat()
        from .words import long_date
        return long_date(day, self.locale)

    def duration(self, value) -> str:
        """An ISO 8601 duration in words: P6M -> "6 måneder", PT2H -> "2 hours"."""
        from .words import duration_words
        return duration_words(value, self.locale)

    def list(self, items: list[str]) -> str:
        """"a, b og c"."""
        if len(items) < 2:
            return "".join(items)
        from .words import list_words
        return list_words(items, self.locale)


@lru_cache(maxsize=None)
def translator(language: str) -> Translator:
    return Translator(language)


# Catalogs of documentation (rule docs, schema descriptions): long, and each read by one
# command only, so they stay out of the chain every message is looked up in and are read
# when that command asks (`Translator.gettext(text, domain)`): `--help` starts faster.
SEPARATE_DOMAINS = ("rule-docs", "schema")


@lru_cache(maxsize=None)
def _load_domain(language: str, domain: str) -> gettext.NullTranslations:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo"
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def _load_catalogs(language: str) -> gettext.NullTranslations:
    """Every catalog of a language but the separate ones, one after the other (a message
    is in one of them)."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    chain: gettext.NullTranslations = gettext.NullTranslations()
    files = sorted(p for p in folder.glob("*.mo") if p.stem not in SEPARATE_DOMAINS) \
        if folder.is_dir() else []
    first: gettext.NullTranslations | None = None
    for path in files:
        with path.open("rb") as handle:
            catalog = gettext.GNUTranslations(handle)
        if first is None:
            first = catalog
        else:
            first.add_fallback(catalog)
    if first is None:
        return chain
    return first


# -- documentation by paragraphs --------------------------------------------------------

def doc_paragraphs(doc: str) -> list[tuple[str, bool]]:
    """A documentation text (a rule's docstring) as its paragraphs, each translated on
    its own: (text, is_example). In an example only the comments are translated."""
    out = []
    for block in doc.strip().split("\n\n"):
        block = block.strip("\n")
        if block.strip():
            lines = [line for line in block.splitlines() if line.strip()]
            out.append((block, all(line.startswith("    ") for line in lines)))
    return out


def translate_doc(doc: str, tr: Translator) -> str:
    return "\n\n".join(tr.gettext(text, "rule-docs") for text, _example in doc_paragraphs(doc))


# -- which language ------------------------------------------------------------------------

class LanguageError(ValueError):
    """A language asked for by name that the tool does not speak: `value`, named by `where`
    (`--lang` or BEREDSKAP_LANG)."""

    def __init__(self, value: str, where: str = ""):
        super().__init__(f"{where}: '{value}' is not one of {', '.join(LANGUAGES)}" if where
                         else value)
        self.value, self.where = value, where


_current = DEFAULT


def set_language(language: str) -> None:
    """The language of this process's messages (the command line sets it once)."""
    global _current
    if language not in LANGUAGES:
        raise LanguageError(language)
    _current = language


def current() -> Translator:
    return translator(_current)


def current_language() -> str:
    return _current


def from_locale(value: str | None) -> str | None:
    """Our language for a locale name such as `nb_NO.UTF-8`, `da_DK` or `C`; None if
    the locale is not one of ours."""
    if not value:
        return None
    name = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return _LOCALE_LANGUAGES.get(name)


_CONFIG_LANGUAGE = re.compile(r"^language:[ \t]*[\"']?([a-z]{2})[\"']?[ \t]*(?:#.*)?$", re.M)


def config_language(start: Path) -> str | None:
    """`language:` of the beredskap.yaml that applies in `start` (the nearest one above,
    up to the repository root), read without a YAML parser: it is needed before any
    command runs, for the help texts. The settings file itself is checked in full
    when a command reads it."""
    try:
        folder = start.resolve()
        for candidate in (folder, *folder.parents):
            config = candidate / "beredskap.yaml"
            if config.is_file():
                match = _CONFIG_LANGUAGE.search(config.read_text("utf-8", "replace"))
                return match.group(1) if match else None
            if (candidate / ".git").exists():
                return None
    except OSError:
        return None
    return None


def fallback(config: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language to say that a named language is unknown in: as `choose` would find it
    were no language named (beredskap.yaml, the locale, English)."""
    env = dict(os.environ if environ is None else environ)
    env.pop("BEREDSKAP_LANG", None)
    return choose(None, config, env)


def choose(option: str | None = None, config: str | None = None,
           environ: Mapping[str, str] | None = None) -> str:
    """The language to speak: `--lang`, BEREDSKAP_LANG, beredskap.yaml, the locale, English.

    A language named by `--lang` or BEREDSKAP_LANG that is not one of ours is a
    LanguageError (a typo should not silently give English); an unknown locale
    is simply not ours, and the search goes on."""
    env = os.environ if environ is None else environ
    for where, value in (("--lang", option), ("BEREDSKAP_LANG", env.get("BEREDSKAP_LANG"))):
        if value:
            if value not in LANGUAGES:
                raise LanguageError(value, where)
            return value
    if config in LANGUAGES:
        return config
    # POSIX: LC_ALL overrides LC_MESSAGES, which overrides LANG; the first one set counts
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return from_locale(value) or DEFAULT
    return DEFAULT


class LocalisedError(Exception):
    """An error whose message is a `Message`: `str(error)` writes it in the language of
    this process, so code that shows `str(err)` speaks the user's language."""

    def __init__(self, message: "Message | str"):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return current()(self.message)


def with_value(message: "Message | str", **values: Any) -> "Message | str":
    """The same message with some of its values replaced."""
    if not isinstance(message, Message):
        return message
    return Message(message.msgid, {**message.args, **values}, message.plural, message.n)
