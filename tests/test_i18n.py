"""The tool's own words: catalogs in step with the code, the choice of language, values
written the way each language writes them."""
from __future__ import annotations

from datetime import date

import isodate
import pytest

from beredskapsplan import i18n
from beredskapsplan.i18n import Message, _, _n, catalogs, choose, from_locale, translator
from conftest import PLANS, run


def test_catalogs_are_in_step_with_the_code():
    """Every message has a translation in nb, nn and da; .pot, .po and .mo agree."""
    assert catalogs.problems() == []


@pytest.mark.parametrize("environ, config, option, expected", [
    ({}, None, None, "en"),
    ({"LANG": "nb_NO.UTF-8"}, None, None, "nb"),
    ({"LANG": "nb_NO.UTF-8", "LC_MESSAGES": "da_DK.UTF-8"}, None, None, "da"),
    ({"LANG": "nb_NO.UTF-8", "LC_MESSAGES": "da_DK", "LC_ALL": "nn_NO.UTF-8"}, None, None, "nn"),
    ({"LC_ALL": "C"}, None, None, "en"),
    ({"LANG": "de_DE.UTF-8"}, None, None, "en"),
    ({"LANG": "da_DK.UTF-8"}, "nb", None, "nb"),  # beredskap.yaml beats the locale
    ({"LANG": "da_DK.UTF-8", "BEREDSKAP_LANG": "nn"}, "nb", None, "nn"),  # the variable beats it
    ({"BEREDSKAP_LANG": "nn"}, "nb", "da", "da"),  # --lang beats everything
])
def test_the_language_is_chosen_in_the_documented_order(environ, config, option, expected):
    assert choose(option, config, environ) == expected


def test_a_language_asked_for_by_name_must_exist():
    with pytest.raises(i18n.LanguageError):
        choose("se", None, {})
    with pytest.raises(i18n.LanguageError):
        choose(None, None, {"BEREDSKAP_LANG": "norsk"})


@pytest.mark.parametrize("value, expected", [
    ("nb_NO.UTF-8", "nb"), ("no_NO", "nb"), ("nn_NO.UTF-8@euro", "nn"), ("da", "da"),
    ("en_US.UTF-8", "en"), ("POSIX", "en"), ("sv_SE.UTF-8", None), ("", None)])
def test_locale_names(value, expected):
    assert from_locale(value) == expected


def test_values_are_written_the_way_the_language_writes_them():
    message = _("checked {day}, next in {every}", day=date(2025, 10, 8),
                every=isodate.parse_duration("P6M"))
    assert translator("en")(message) == "checked 2025-10-08, next in 6 months"
    # no catalog has this message: the English text, with Norwegian values
    assert translator("nb")(message) == "checked 8. oktober 2025, next in 6 måneder"
    assert translator("da")(message) == "checked 8. oktober 2025, next in 6 måneder"


def test_user_text_in_a_value_is_never_read_as_a_format():
    message = _("'{name}' is unknown", name="{0} {__class__} {name}")
    assert str(message) == "'{0} {__class__} {name}' is unknown"


def test_plural_messages_follow_the_count():
    tr = translator("nb")
    assert tr(_n("{n} plan", "{n} plans", 1)) == "1 plan"
    assert tr(_n("{n} plan", "{n} plans", 3)) == "3 planer"
    assert str(_n("{n} plan", "{n} plans", 3)) == "3 plans"


def test_a_message_survives_the_trip_to_a_worker_process():
    import pickle
    message = _("a {x}", x=_("nested {y}", y=date(2024, 1, 2)))
    assert pickle.loads(pickle.dumps(message)) == message
    assert isinstance(message, Message) and str(message) == "a nested 2024-01-02"


def test_a_translation_that_names_an_unknown_value_falls_back_to_english(monkeypatch):
    tr = i18n.Translator("nb")

    class Broken:
        def gettext(self, msgid):
            return "{nope} ødelagt"

    tr._catalog = Broken()
    assert tr(_("plain {x}", x=1)) == "plain 1"


@pytest.mark.parametrize("lang, expected", [
    ("nb", "OK: 2 planer sjekket, ingen feil"), ("nn", "OK: 2 planar sjekka, ingen feil"),
    ("da", "OK: 2 planer kontrolleret, ingen fejl"), ("en", "OK: 2 plans checked, no errors")])
def test_validate_speaks_the_chosen_language(lang, expected):
    result = run("--lang", lang, "validate", str(PLANS), "--today", "2026-11-23")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1].startswith(expected)


def test_an_unknown_language_is_a_usage_error(monkeypatch):
    result = run("--lang", "xx", "validate", str(PLANS))
    assert result.exit_code == 2
    assert "--lang: 'xx' is not a language of this tool; choose one of nb, nn, da, en" \
        in result.stderr
    # said in the language the user would otherwise have got
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")
    result = run("--lang", "xx", "validate", str(PLANS))
    assert result.exit_code == 2
    assert "--lang: «xx» er ikke et språk verktøyet kan; velg ett av nb, nn, da, en" \
        in result.stderr
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    monkeypatch.setenv("BEREDSKAP_LANG", "zz")
    result = run("validate", str(PLANS))
    assert result.exit_code == 2
    assert "BEREDSKAP_LANG: »zz« er ikke et sprog" in result.stderr


def test_the_settings_file_names_the_language(repo, monkeypatch):
    (repo / "beredskap.yaml").write_text("plans: [plans/]\nlanguage: da   # dansk\n")
    (repo / "plans").mkdir()
    assert i18n.config_language(repo / "plans") == "da"
    monkeypatch.delenv("BEREDSKAP_LANG", raising=False)
    monkeypatch.setenv("LANG", "nb_NO.UTF-8")
    assert choose(None, i18n.config_language(repo)) == "da"
