"""The YAML reader: value typing, positions, and refusal of unsafe or broken input.

`parse_bytes` never raises: every problem becomes a `Problem` with a 1-based
line and column. These tests feed it small inline documents.
"""
from __future__ import annotations

import pytest

from beredskapsplan.yamlread import MAX_BYTES, MAX_DEPTH, MAX_NODES, Problem, parse_bytes


def parse(text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_bytes(raw)


def clean(text: str | bytes):
    """Parse a document that must have no problems, and return its data."""
    parsed = parse(text)
    assert parsed.problems == []
    return parsed.data


def only_problem(text: str | bytes, rule: str = "yaml-syntax") -> Problem:
    parsed = parse(text)
    assert len(parsed.problems) == 1, parsed.problems
    problem = parsed.problems[0]
    assert problem.rule == rule
    return problem


# -- scalar typing -----------------------------------------------------------


def test_country_no_stays_text():
    assert clean("country: NO\n") == {"country": "NO"}


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "No", "ON", "OFF", "y", "n"])
def test_yaml11_booleans_stay_text(word):
    assert clean(f"value: {word}\n") == {"value": word}


@pytest.mark.parametrize("word", ["+4722334455", "0301", "+47", "007", "-0301"])
def test_numbers_with_plus_or_leading_zero_stay_text(word):
    assert clean(f"value: {word}\n") == {"value": word}


@pytest.mark.parametrize("word", ["2025-10-08", "2025-10-08T10:00:00", "12:30"])
def test_dates_and_times_stay_text(word):
    assert clean(f"value: {word}\n") == {"value": word}


@pytest.mark.parametrize("word, expected", [
    ("true", True), ("True", True), ("TRUE", True),
    ("false", False), ("False", False), ("FALSE", False),
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("", None),
    ("0", 0), ("12", 12), ("-3", -3), ("4722334455", 4722334455),
    ("1.5", 1.5), ("-0.25", -0.25), (".5", 0.5), ("1e3", 1000.0), ("2.5E-1", 0.25),
])
def test_core_scalars_are_typed(word, expected):
    value = clean(f"value: {word}\n")["value"]
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize("word", ["1_000", "0x1F", "0o7", ".inf", "-.inf", ".nan", "1,5", "tRUE"])
def test_other_number_spellings_stay_text(word):
    assert clean(f"value: {word}\n") == {"value": word}


@pytest.mark.parametrize("quoted", ['"true"', "'12'", '"null"', "'NO'", '"1.5"', "''"])
def test_quoted_scalars_are_always_text(quoted):
    value = clean(f"value: {quoted}\n")["value"]
    assert isinstance(value, str)
    assert value == quoted[1:-1]


def test_block_scalar_is_text():
    assert clean("body: |\n  12\n  true\n") == {"body": "12\ntrue\n"}


def test_integer_and_boolean_keys_become_text():
    data = clean("1: a\n0301: b\ntrue: c\nnull: d\n")
    assert data == {"1": "a", "0301": "b", "true": "c", "null": "d"}
    assert all(isinstance(key, str) for key in data)


def test_standard_str_tag_is_allowed():
    assert clean("value: !!str 12\n") == {"value": "12"}


# -- positions ---------------------------------------------------------------

NESTED = """\
beredskap: 1
kind: contacts
people:
  - id: kari
    phones:
      - {number: "+47 412 34 567", label: mobil}
"""


def test_marks_of_values_are_one_based():
    parsed = parse(NESTED)
    assert parsed.problems == []
    assert parsed.marks[("beredskap",)] == (1, 12)
    assert parsed.marks[("kind",)] == (2, 7)
    assert parsed.marks[("people", 0, "id")] == (4, 9)
    assert parsed.marks[("people", 0, "phones", 0, "number")] == (6, 18)
    assert parsed.marks[("people", 0, "phones", 0, "label")] == (6, 43)


def test_marks_of_keys_are_one_based():
    parsed = parse(NESTED)
    assert parsed.key_marks[("beredskap",)] == (1, 1)
    assert parsed.key_marks[("people",)] == (3, 1)
    assert parsed.key_marks[("people", 0, "id")] == (4, 5)
    assert parsed.key_marks[("people", 0, "phones")] == (5, 5)
    assert parsed.key_marks[("people", 0, "phones", 0, "label")] == (6, 36)


def test_list_items_have_marks():
    parsed = parse("roles:\n  - a\n  - b\n")
    assert parsed.marks[("roles", 0)] == (2, 5)
    assert parsed.marks[("roles", 1)] == (3, 5)


def test_root_mark_is_first_line():
    assert parse("\n\n# comment\nkey: v\n").marks[()] == (4, 1)


def test_marks_count_characters_not_bytes():
    parsed = parse("navn: Ærø Øst\nby: Tromsø\nx: 1\n")
    assert parsed.marks[("navn",)] == (1, 7)
    line = "tittel: 'æøå', y: 2"
    parsed = parse("{" + line + "}\n")
    assert parsed.key_marks[("y",)] == (1, 1 + line.index("y:") + 1)


def test_crlf_gives_the_same_marks_as_lf():
    lf = NESTED
    crlf = NESTED.replace("\n", "\r\n")
    a, b = parse(lf), parse(crlf)
    assert b.problems == []
    assert a.data == b.data
    assert a.marks == b.marks
    assert a.key_marks == b.key_marks


def test_crlf_problem_position_matches_lf():
    text = "a: 1\nb: 2\na: 3\n"
    lf = only_problem(text, "duplicate-key")
    crlf = only_problem(text.replace("\n", "\r\n"), "duplicate-key")
    assert (crlf.line, crlf.column, crlf.message) == (lf.line, lf.column, lf.message) == \
        (3, 1, lf.message)


# -- duplicate keys ------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key():
    problem = only_problem("id: a\ntitle: T\nid: b\n", "duplicate-key")
    assert (problem.line, problem.column) == (3, 1)
    assert "'id'" in str(problem.message)
    assert "line 1" in str(problem.message)


def test_duplicate_key_in_nested_mapping():
    problem = only_problem("roles:\n  - id: a\n    title: A\n    title: B\n", "duplicate-key")
    assert (problem.line, problem.column) == (4, 5)
    assert "'title'" in str(problem.message) and "line 3" in str(problem.message)


def test_duplicate_key_in_flow_mapping():
    problem = only_problem("a: {x: 1, y: 2, x: 3}\n", "duplicate-key")
    assert (problem.line, problem.column) == (1, 17)


def test_duplicate_key_quoted_and_plain_are_the_same_key():
    problem = only_problem("kind: plan\n'kind': contacts\n", "duplicate-key")
    assert (problem.line, problem.column) == (2, 1)


def test_same_key_in_different_mappings_is_fine():
    assert clean("- id: a\n- id: b\n") == [{"id": "a"}, {"id": "b"}]


# -- tabs, encodings, control characters ----------------------------------------


def test_tab_in_indentation_is_reported_at_the_tab():
    problem = only_problem("people:\n  - id: a\n  \tname: B\n")
    assert (problem.line, problem.column) == (3, 3)
    assert "tab" in str(problem.message)


def test_tab_at_line_start():
    problem = only_problem("a:\n\tb: 1\n")
    assert (problem.line, problem.column) == (2, 1)


def test_tab_inside_quoted_string_is_fine():
    assert clean('title: "Fase\t1"\nbody: \'a\tb\'\n') == {"title": "Fase\t1", "body": "a\tb"}


def test_tab_between_value_and_comment_is_fine():
    assert clean("id: a\t# comment\n") == {"id": "a"}


def test_bom_is_accepted():
    parsed = parse(b"\xef\xbb\xbf" + NESTED.encode())
    assert parsed.problems == []
    assert parsed.data["kind"] == "contacts"
    assert parsed.marks[("kind",)] == (2, 7)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_refused(encoding):
    raw = NESTED.encode(encoding)
    if encoding != "utf-16":
        raw = (b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff") + raw
    problem = only_problem(raw)
    assert (problem.line, problem.column) == (1, 1)
    assert "UTF-16" in str(problem.message) and "UTF-8" in str(problem.message)


def test_invalid_utf8_points_at_the_bad_byte():
    problem = only_problem(b"id: a\nname: Tromso\nby: Troms\xf8\n")
    assert (problem.line, problem.column) == (3, 10)
    assert "0xf8" in str(problem.message) and "UTF-8" in str(problem.message)


def test_invalid_utf8_after_bom():
    problem = only_problem(b"\xef\xbb\xbfa: 1\nb: \xff\n")
    assert (problem.line, problem.column) == (2, 4)


def test_invalid_utf8_column_counts_characters():
    # "by: Tromsø " is 11 characters (12 bytes); the bad byte is the 12th character
    problem = only_problem("by: Tromsø ".encode() + b"\xf8\n")
    assert (problem.line, problem.column) == (1, 12)


def test_nul_byte_is_refused_at_its_position():
    problem = only_problem(b"id: a\nname: x\x00y\n")
    assert (problem.line, problem.column) == (2, 8)
    assert "U+0000" in str(problem.message)


def test_other_control_character_is_refused():
    problem = only_problem(b"name: a\x07b\n")
    assert (problem.line, problem.column) == (1, 8)


# -- empty and multi-document files ---------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"# only a comment\n# and another\n",
                                 b"\xef\xbb\xbf", b"---\n", b"---\n...\n"])
def test_empty_file_is_reported(raw):
    problem = only_problem(raw)
    assert (problem.line, problem.column) == (1, 1)
    assert "empty" in str(problem.message)
    assert parse(raw).data is None


def test_document_that_is_only_null_is_empty():
    problem = only_problem("null\n")
    assert "empty" in str(problem.message)


def test_single_document_with_markers_is_fine():
    assert clean("---\nid: a\n...\n") == {"id": "a"}


def test_multiple_documents_are_refused_at_the_second():
    parsed = parse("id: a\n---\nid: b\n")
    assert parsed.data is None
    assert [(p.rule, p.line, p.column) for p in parsed.problems] == [("yaml-syntax", 2, 1)]
    assert "one document" in str(parsed.problems[0].message)


def test_syntax_error_has_a_position():
    problem = only_problem("roles: [a, b\nowner: c\n")
    # where the mistake is: the '[' on line 1 is never closed
    assert (problem.line, problem.column) == (1, 8)
    assert "'[' is never closed" in str(problem.message)


def test_unclosed_quote_is_reported():
    problem = only_problem('title: "Kriseledelse\nid: a\n')
    assert problem.line >= 1 and problem.column >= 1


# -- tags, merge keys, complex keys -------------------------------------------------


@pytest.mark.parametrize("text", [
    "a: !!python/object/apply:os.system ['echo hacked']\n",
    "a: !!python/name:os.system\n",
    "a: !custom value\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!timestamp 2025-10-08\n",
    "a: !!set {x: null}\n",
])
def test_tags_are_refused(text):
    parsed = parse(text)
    assert parsed.data is None
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert (problem.rule, problem.line, problem.column) == ("yaml-syntax", 1, 4)
    assert "tag" in str(problem.message)


def test_python_tag_is_never_executed(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    monkeypatch.chdir(tmp_path)
    parse(f"a: !!python/object/apply:os.system ['touch {marker}']\n")
    assert not marker.exists()


def test_merge_key_is_refused():
    parsed = parse("base: &b {x: 1}\nrole:\n  <<: *b\n  y: 2\n")
    assert [(p.rule, p.line, p.column) for p in parsed.problems] == [("yaml-syntax", 3, 3)]
    assert "merge" in str(parsed.problems[0].message)
    assert parsed.data["role"] == {"y": 2}


def test_quoted_merge_key_is_an_ordinary_key():
    assert clean("'<<': x\n") == {"<<": "x"}


@pytest.mark.parametrize("text, position", [
    ("? [a]\n: b\nc: d\n", (1, 3)),
    ("[a]: b\nc: d\n", (1, 1)),
    ("{x: 1}: b\nc: d\n", (1, 1)),
])
def test_complex_keys_are_refused(text, position):
    parsed = parse(text)
    assert parsed.problems
    assert all(p.rule == "yaml-syntax" for p in parsed.problems)
    assert (parsed.problems[0].line, parsed.problems[0].column) == position
    assert "key" in str(parsed.problems[0].message)
    assert parsed.data == {"c": "d"}  # the rest of the mapping is kept


def test_complex_key_is_reported_once():
    parsed = parse("? [a]: b\nc: d\n")
    assert len(parsed.problems) == 1


def test_alias_as_key_does_not_raise():
    parsed = parse("a: &k name\n*k : 2\n")
    assert parsed.problems
    assert (parsed.problems[0].line, parsed.problems[0].column) == (2, 1)


# -- aliases, bombs, limits ---------------------------------------------------------------


def _billion_laughs(levels: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels + 1):
        refs = ",".join([f"*a{n - 1}"] * 10)
        lines.append(f"a{n}: &a{n} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


def test_alias_bomb_is_refused_quickly():
    import time

    started = time.perf_counter()
    parsed = parse(_billion_laughs())
    elapsed = time.perf_counter() - started
    assert parsed.data is None
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert problem.rule == "yaml-syntax"
    assert "alias" in str(problem.message)
    assert problem.line <= 10 and problem.column >= 1
    # a guard against expanding 10**10 values, not a benchmark
    assert elapsed < 10


def test_small_alias_use_is_read():
    assert clean("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


def test_alias_just_under_the_limit_is_read():
    # 10 ** 5 * 10 = a million values would be over; a hundred thousand is fine
    parsed = parse(_billion_laughs(4))
    assert parsed.problems == []
    assert MAX_NODES > 10 ** 5


def test_recursive_alias_is_refused():
    parsed = parse("a: &x\n  b: *x\n")
    assert parsed.data is None
    assert [(p.rule, p.line, p.column) for p in parsed.problems] == [("yaml-syntax", 2, 6)]
    assert "*x" in str(parsed.problems[0].message)


def test_recursive_alias_in_flow_list():
    parsed = parse("a: &x [1, *x]\n")
    assert parsed.data is None
    assert [(p.line, p.column) for p in parsed.problems] == [(1, 11)]


def test_undefined_alias_is_refused():
    problem = only_problem("a: *nothing\n")
    assert (problem.line, problem.column) == (1, 4)
    assert "*nothing" in str(problem.message)


def _flow_nesting(levels: int) -> str:
    return "[" * levels + "]" * levels + "\n"


def test_nesting_at_the_limit_is_read():
    parsed = parse(_flow_nesting(MAX_DEPTH))
    assert parsed.problems == []


def test_nesting_deeper_than_64_is_refused():
    assert MAX_DEPTH == 64
    problem = only_problem(_flow_nesting(MAX_DEPTH + 1))
    assert (problem.line, problem.column) == (1, MAX_DEPTH + 1)
    assert "64" in str(problem.message)


def test_very_deep_nesting_is_refused_without_recursion_error():
    problem = only_problem(_flow_nesting(200_000))
    assert "nested deeper" in str(problem.message)


def test_deep_block_nesting_is_refused_at_the_line():
    text = "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "end\n"
    problem = only_problem(text)
    assert problem.line == MAX_DEPTH + 1
    assert problem.column == 2 * MAX_DEPTH + 1


def test_file_over_5_mb_is_refused():
    raw = b"a: 1\n" + b"# padding\n" * (MAX_BYTES // 10 + 1)
    assert len(raw) > MAX_BYTES
    problem = only_problem(raw)
    assert (problem.line, problem.column) == (1, 1)
    assert "MB" in str(problem.message) and "5 MB" in str(problem.message)


def test_file_of_exactly_5_mb_is_read():
    raw = b"a: 1\n" + b"#" * (MAX_BYTES - 6) + b"\n"
    assert len(raw) == MAX_BYTES
    assert clean(raw) == {"a": 1}


def test_tab_inside_block_scalar_content_is_fine():
    assert clean("body: |\n  Liste:\n  \tpunkt\n") == {"body": "Liste:\n\tpunkt\n"}


# -- the quick path: clean files read without positions ---------------------


def quick(text: str | bytes):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_bytes(raw, positions=False)


CLEAN = (
    "beredskap: 1\nkind: contacts\npeople:\n  - id: kari\n    phones: [{number: '+47 880 12 345'}]\n"
    "    verified: 2026-01-02\n    count: 3\n    share: 0.5\n    ok: true\n    note: ~\n"
    "    text: |\n      R&D, *stars* and [links](x)\n    'quoted': \"with \\u00e6\"\n"
    "    country: NO\n    plus: +4722334455\n    zero: 0301\n"
)


def test_clean_file_is_read_quickly_with_the_same_values():
    careful, fast = parse(CLEAN), quick(CLEAN)
    assert fast.marks is None and fast.nodes is not None  # positions found when asked
    assert fast.data == careful.data and fast.problems == careful.problems == []
    assert fast.data["people"][0]["zero"] == "0301"


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                      # anchors and aliases: counted carefully
    "a: !!python/object:os.system x\n",      # tags
    "a: !!int 3\n",
    "a: 1\na: 2\n",                          # duplicate key
    "a: {b: 1}\n<<: {c: 2}\n",               # merge key
    'a: "bell \\a"\n',                       # control character written as an escape
    "a: 1\n---\nb: 2\n",                     # two documents
    "",                                      # empty
    "~\n",
    "a: [1, 2\n",                            # broken
    "? [a]\n: b\n",                          # a key that is a list
    "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    "[" * 6000 + "]" * 6000,                 # would recurse deeply in C
    "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 70)) + "  " * 70 + "x: 1\n",
])
def test_anything_unusual_goes_the_careful_way(text):
    careful, fast = parse(text), quick(text)
    assert fast.marks is not None  # read with positions, like the careful path
    assert (fast.data, fast.problems) == (careful.data, careful.problems)


def test_document_finds_positions_when_a_finding_asks(tmp_path):
    from beredskapsplan.documents import read_document

    path = tmp_path / "a.yaml"
    path.write_text(CLEAN, encoding="utf-8")
    doc = read_document(path)
    assert doc.nodes is not None  # read on the quick path
    where = doc.at(("people", 0, "phones", 0, "number"))
    assert (where.line, where.column) == (5, 23)
    assert doc.at(("people", 0, "verified"), key=True).column == 5
    assert doc.at(("people", 0, "nothing-here", 3)).line == 4  # the nearest that exists


def test_quick_positions_are_the_careful_ones_for_every_node():
    from beredskapsplan.yamlquick import position

    from conftest import PLANS

    for path in sorted(PLANS.rglob("*.yaml")):
        raw = path.read_bytes()
        careful, fast = parse_bytes(raw), parse_bytes(raw, positions=False)
        assert fast.nodes is not None, path
        for where, mark in careful.marks.items():
            assert position(fast.nodes, where) == mark, (path, where)
        for where, mark in careful.key_marks.items():
            assert position(fast.nodes, where, key=True) == mark, (path, where)
