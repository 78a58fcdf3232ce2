"""The YAML mistakes people make, said in their language at the line of the mistake.

Each file in `fixtures/yaml-mistakes/` is one small contact list with one
mistake (see its README). `validate` must report exactly one finding, at the
line and column where the mistake is, with a message that says what is wrong
and how to fix it, in Norwegian (bokmål) and Danish; text output shows the
line itself under the finding, with a caret at the column.
"""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES, TODAY, run

MISTAKES = FIXTURES / "yaml-mistakes"

# (fixture, rule, line, column, message in nb, message in da)
CASES = [
    ("dash-before-first-key", "yaml-syntax", 15, 7,
     "her står det '- ', men ikke foran 'expires:' på linje 16: hvis 'clearance:' skal ha "
     "nøkler med verdier, fjern denne '- ' og still nøklene på linje; hvis det er en "
     "liste, begynn hvert punkt med '- '",
     "her står der '- ', men ikke foran 'expires:' i linje 16: hvis 'clearance:' skal have"
     " nøgler med værdier, så fjern denne '- ', og lad nøglerne flugte; hvis det er en "
     "liste, så begynd hvert punkt med '- '"),
    ("entry-out-of-line", "yaml-syntax", 11, 2,
     'denne linjen har et innrykk på 1 mellomrom, som ikke passer med noen av linjene '
     "over; gi den et innrykk på 2 mellomrom, som '-' på linje 6",
     'denne linje er rykket 1 mellemrum ind, hvilket ikke passer med nogen af linjerne '
     "ovenover; ryk den 2 mellemrum ind, ligesom '-' i linje 6"),
    ("indented-too-far", "yaml-syntax", 8, 6,
     "denne linjen har større innrykk enn 'name:' på linje 7, så YAML leser den som en del"
     " av teksten i 'name'; gi den et innrykk på 4 mellomrom, som 'name:'",
     "denne linje er rykket længere ind end 'name:' i linje 7, så YAML læser den som en "
     "del af teksten i 'name'; ryk den 4 mellemrum ind, ligesom 'name:'"),
    ("indented-too-little", "yaml-syntax", 8, 4,
     'denne linjen har et innrykk på 3 mellomrom, som ikke passer med noen av linjene '
     "over; gi den et innrykk på 4 mellomrom, som 'name:' på linje 7",
     'denne linje er rykket 3 mellemrum ind, hvilket ikke passer med nogen af linjerne '
     "ovenover; ryk den 4 mellemrum ind, ligesom 'name:' i linje 7"),
    ("list-instead-of-mapping", "schema", 14, 5,
     "'clearance' i person 'ola-nordmann' skal ha nøkler med verdier, ikke en liste; fjern"
     " '- ' foran nøklene",
     "'clearance' i person 'ola-nordmann' skal have nøgler med værdier, ikke en liste; "
     "fjern '- ' foran nøglerne"),
    ("no-space-after-colon", "yaml-syntax", 7, 10,
     'en nøkkel trenger et mellomrom etter kolonet; skriv: name: Kari Nordmann',
     'en nøgle skal have et mellemrum efter kolonet; skriv: name: Kari Nordmann'),
    ("no-space-after-dash", "yaml-syntax", 11, 3,
     "et listepunkt trenger et mellomrom etter '-'; skriv: - id: ola-nordmann",
     "et listepunkt skal have et mellemrum efter '-'; skriv: - id: ola-nordmann"),
    ("reserved-first-character", "yaml-syntax", 13, 15,
     "en tekst kan ikke begynne med '@' i YAML; sett hele teksten i anførselstegn: "
     'position: "@ordforer på Teams"',
     "en tekst kan ikke begynde med '@' i YAML; sæt hele teksten i anførselstegn: "
     'position: "@ordforer på Teams"'),
    ("tab", "yaml-syntax", 7, 1,
     'denne linjen har innrykk med tabulatortegn, som YAML ikke tillater; bruk mellomrom i'
     ' stedet',
     'denne linje er rykket ind med et tabulatortegn, hvilket YAML ikke tillader; brug '
     'mellemrum i stedet'),
    ("text-after-quote", "yaml-syntax", 7, 18,
     'det står mer tekst etter det avsluttende anførselstegnet; sett hele teksten innenfor'
     ' anførselstegnene: name: "Kari Nordmann"',
     'der står mere tekst efter det afsluttende anførselstegn; sæt hele teksten inden for '
     'anførselstegnene: name: "Kari Nordmann"'),
    ("unclosed-bracket", "yaml-syntax", 14, 13,
     "denne '[' lukkes aldri; avslutt listen med ']' på samme linje",
     "denne '[' lukkes aldrig; afslut listen med ']' på samme linje"),
    ("unclosed-quote", "yaml-syntax", 7, 11,
     'denne teksten begynner med et anførselstegn (") som aldri avsluttes; avslutt teksten'
     ' med " på samme linje',
     'denne tekst begynder med et anførselstegn ("), der aldrig afsluttes; afslut teksten '
     'med " på samme linje'),
    ("unquoted-colon", "yaml-syntax", 8, 36,
     "teksten etter 'position:' har et kolon fulgt av mellomrom, som YAML leser som en ny "
     'nøkkel; sett hele teksten i anførselstegn: position: "Beredskapskoordinator: leder"',
     "teksten efter 'position:' har et kolon efterfulgt af mellemrum, som YAML læser som "
     'en ny nøgle; sæt hele teksten i anførselstegn: position: "Beredskapskoordinator: '
     'leder"'),
    ("unquoted-hash", "schema", 13, 14,
     "teksten etter 'position:' begynner med '#', som YAML leser som starten på en "
     "kommentar, så 'position' i person 'ola-nordmann' er tomt; sett teksten i "
     'anførselstegn: position: "#1 i kommunen"',
     "teksten efter 'position:' begynder med '#', som YAML læser som starten på en "
     "kommentar, så 'position' i person 'ola-nordmann' er tomt; sæt teksten i "
     'anførselstegn: position: "#1 i kommunen"'),
]


def test_every_fixture_is_in_the_table():
    assert sorted(p.stem for p in MISTAKES.glob("*.yaml")) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize("name, rule, line, column, nb, da", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("lang", ["nb", "da"])
def test_the_mistake_is_explained_at_its_line(tmp_path, lang, name, rule, line, column, nb, da):
    shutil.copy(MISTAKES / f"{name}.yaml", tmp_path / "kontakter.yaml")
    result = run("--lang", lang, "validate", "kontakter.yaml", "--format", "json",
                 "--today", TODAY, cwd=tmp_path)
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in found] == \
        [(rule, "error", line, column)]
    assert found[0]["message"] == {"nb": nb, "da": da}[lang]


@pytest.mark.parametrize("name, rule, line, column, nb, da", CASES, ids=[c[0] for c in CASES])
def test_text_output_shows_the_line_with_a_caret(tmp_path, name, rule, line, column, nb, da):
    source = (MISTAKES / f"{name}.yaml").read_text("utf-8").splitlines()[line - 1]
    shutil.copy(MISTAKES / f"{name}.yaml", tmp_path / "kontakter.yaml")
    result = run("--lang", "da", "validate", "kontakter.yaml", "--today", TODAY, cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0] == f"kontakter.yaml:{line}:{column}: fejl {rule} {da}"
    assert lines[1] == f" {line} | {source}"
    # the caret stands under the column (a tab in the line stays a tab, so it lines up)
    pad = "".join("\t" if c == "\t" else " " for c in source[:column - 1])
    assert lines[2] == f" {' ' * len(str(line))} | {pad}^"
    assert lines[3] == "FEJL FUNDET: 1 fil kontrolleret: 1 fejl"


def test_machine_formats_carry_the_message_only(tmp_path):
    shutil.copy(MISTAKES / "unquoted-colon.yaml", tmp_path / "kontakter.yaml")
    for fmt in ("json", "github", "sarif", "junit"):
        result = run("--lang", "nb", "validate", "kontakter.yaml", "--format", fmt,
                     "--today", TODAY, cwd=tmp_path)
        assert "Beredskapskoordinator: leder" in result.stdout  # in the fix the message gives
        assert " 8 | " not in result.stdout  # but not the excerpt of text output
