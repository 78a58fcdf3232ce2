"""Property tests: what holds for every input, checked on generated inputs.

(a) Arbitrary bytes as a plan file or an annex never make `validate`, `due`,
    `call-list` or `render --to md` raise, and never change a file.
(b) The example plans' files with random text mutations (lines deleted,
    duplicated, swapped or re-indented; `:`, `-`, `{`, `&a`, `*a`, `!!`, tabs,
    NUL, long digit strings inserted) never make any command raise.
(c) Random valid plans (people with valid numbers, roles with deputies,
    sections with topics, exempt sections and annex files, private numbers,
    clearances) validate without errors, keep every comment through
    `approve` (the diff is only added lines), and their public documents in
    every format carry none of their exempt text, private numbers, e-mail
    addresses of people or clearance levels.

The in-process runner (`conftest.run`) lets exceptions through, so a crash
fails the test with its traceback.

Profiles (environment variable HYPOTHESIS_PROFILE):
- `ci` (default): derandomised, few examples, no example database; the whole
  file runs in about a minute.
- `fuzz`: random, BEREDSKAP_FUZZ_EXAMPLES examples per test (default 2000;
  property (c) gets a twentieth, as it renders every format), failing examples
  kept in fuzz/.hypothesis. `python fuzz/run.py --minutes 30` runs it in rounds.
"""
from __future__ import annotations

import difflib
import html
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from conftest import FIXTURES, PLANS, REPO, TODAY, run, tree_checksum

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
FUZZ_EXAMPLES = int(os.environ.get("BEREDSKAP_FUZZ_EXAMPLES", "2000"))
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
          HealthCheck.filter_too_much]
settings.register_profile("ci", derandomize=True, max_examples=50, deadline=None,
                          database=None, print_blob=True, suppress_health_check=_QUIET)
settings.register_profile("fuzz", derandomize=False, max_examples=FUZZ_EXAMPLES, deadline=None,
                          database=DirectoryBasedExampleDatabase(
                              str(REPO / "fuzz" / ".hypothesis")),
                          print_blob=True, suppress_health_check=_QUIET)
settings.load_profile(PROFILE)


def examples(ci: int, fuzz_share: float = 1.0, shrink_in_ci: bool = True) -> settings:
    """`ci` examples in CI; a share of BEREDSKAP_FUZZ_EXAMPLES when fuzzing.

    Without `shrink_in_ci`, a failure in CI is reported as found: shrinking an
    example that renders four documents can take many minutes (the fuzz run
    shrinks).
    """
    if PROFILE == "fuzz":
        return settings(max_examples=max(1, int(FUZZ_EXAMPLES * fuzz_share)))
    if shrink_in_ci:
        return settings(max_examples=ci)
    return settings(max_examples=ci,
                    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target])


HARD = FIXTURES / "hardening" / "repo"


@dataclass
class Copy:
    """A throw-away copy of a repository, removed after each example."""

    root: Path
    out: Path

    def cli(self, *args: str):
        return run(*args, cwd=self.root)


def copy_of(source: Path, parent: Path) -> Copy:
    root = parent / "repo"
    shutil.copytree(source, root, symlinks=True)
    (root / ".git").mkdir(exist_ok=True)
    return Copy(root, parent / "out")


def reading_commands(plan: str, out: Path) -> list[tuple[str, ...]]:
    return [
        ("validate", plan, "--today", TODAY),
        ("validate", plan, "--format", "json", "--today", TODAY),
        ("due", plan, "--today", TODAY),
        ("due", plan, "--today", TODAY, "--format", "ics"),
        ("call-list", plan),
        ("render", plan, "--to", "md", "--out", str(out), "--today", TODAY),
    ]


def check_result(args: tuple[str, ...], result) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, (args, output)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, output)


# -- (a) arbitrary bytes ------------------------------------------------------------------

YAMLISH_PIECES = [
    b"beredskap: 1\n", b"beredskap: 2\n", b"kind: plan\n", b"kind: contacts\n",
    b"kind: action-card\n", b"people:\n", b"  - id: kari-lia\n", b"    name: Kari\n",
    b'    phones: [{number: "+47 412 34 567", private: true}]\n', b"roles:\n",
    b"    holders: [kari-lia, ola-lia]\n", b"sections:\n", b"  - {id: a, title: T, body: x}\n",
    b"annexes:\n", b"  - {letter: A, file: vedlegg-a.yaml}\n", b"  - {letter: F, cards: ./}\n",
    b"approvals: [{date: 2026-01-01, by: X}]\n", b"steps: [{text: x, within: P}]\n",
    b"- ", b": ", b"? ", b"{", b"}", b"[", b"]", b",", b"&a ", b"*a", b"!!str ", b"!!binary ",
    b"!x ", b"<<: ", b"|\n", b">-\n", b"'", b'"', b"\\", b"#", b"# beredskap: ignore[*]",
    b"\t", b"\x00", b"\x07", b"\r\n", b"\r", b"\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xc3",
    b"\xe2\x80\xa8", b"---\n", b"...\n", b"%YAML 1.1\n", b"2026-02-30", b"P1Y", b"P-1D", b"1e999",
    b"99999999999999999999", b"-0", b".nan", b"~", b"null", b"true", b"NO", b"\xc3\xa6\xc3\xb8",
    b"  ", b"    ", b"../../x.yaml", b"/etc/passwd",
]
yamlish = st.lists(st.one_of(st.sampled_from(YAMLISH_PIECES), st.binary(max_size=8)),
                   max_size=80).map(b"".join)
arbitrary_bytes = st.one_of(st.binary(max_size=4096), yamlish,
                            st.text(max_size=400).map(lambda s: s.encode("utf-8", "surrogatepass")))
TARGETS = ["plans/lia/plan.yaml", "plans/lia/vedlegg-a.yaml", "plans/lia/vedlegg-b.yaml",
           "plans/lia/vedlegg-c.yaml", "plans/lia/vedlegg-e.yaml",
           "plans/lia/tiltakskort/flom.yaml", "plans/_shared/partnere.yaml",
           "plans/lia/tiltakskort/ny.yaml"]


@examples(ci=50)
@given(target=st.sampled_from(TARGETS), raw=arbitrary_bytes)
@example(target="plans/lia/plan.yaml", raw=b"")
@example(target="plans/lia/vedlegg-a.yaml", raw=b"\xef\xbb\xbf")
def test_arbitrary_bytes_never_crash_a_command(target, raw):
    with tempfile.TemporaryDirectory(prefix="beredskap-prop-") as tmp:
        repo = copy_of(HARD, Path(tmp))
        (repo.root / target).write_bytes(raw)
        before = tree_checksum(repo.root)
        for args in reading_commands("plans/lia", repo.out):
            check_result(args, repo.cli(*args))
            assert tree_checksum(repo.root) == before, args
        # the broken file on its own, too
        args = ("validate", target, "--format", "json", "--today", TODAY)
        result = repo.cli(*args)
        check_result(args, result)
        if result.exit_code == 1:
            assert all(f["line"] >= 1 and f["column"] >= 1 for f in result.findings)
        assert tree_checksum(repo.root) == before


# -- (b) the example plans, mutated -------------------------------------------------------

EXAMPLE_FILES = sorted(str(p.relative_to(PLANS)) for p in PLANS.rglob("*.yaml"))
INSERTS = [":", ": ", "-", "- ", "{", "}", "[", "]", "&a ", "*a", "!!", "!!str ", "!!int ",
           "\t", "\0", "'", '"', "#", "? ", "<<: *a", "|", ">", "%", "@", "`", ",", "&a [1, *a]",
           "\u00a0", "\ufeff", "\u2028", "1" * 40, "9" * 400, "0x1F", "+47", "~", "null",
           "true", "yes", "2026-13-45", "P99999Y", "PT", "-0.0", "ZQX"]


@st.composite
def mutations(draw):
    op = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent", "insert",
                               "replace-value", "truncate", "join"]))
    return (op, draw(st.integers(0, 10 ** 6)), draw(st.integers(0, 10 ** 6)),
            draw(st.sampled_from(INSERTS)), draw(st.integers(1, 8)))


def mutate(text: str, changes: list[tuple]) -> str:
    lines = text.split("\n")
    for op, a, b, piece, n in changes:
        if not lines:
            lines = [""]
        i, j = a % len(lines), b % len(lines)
        line = lines[i]
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "swap":
            lines[i], lines[j] = lines[j], line
        elif op == "indent":
            lines[i] = " " * n + line
        elif op == "dedent":
            lines[i] = line[min(n, len(line) - len(line.lstrip(" "))):]
        elif op == "insert":
            at = b % (len(line) + 1)
            lines[i] = line[:at] + piece + line[at:]
        elif op == "replace-value" and ": " in line:
            lines[i] = line[:line.index(": ") + 2] + piece
        elif op == "truncate":
            lines[i] = line[:b % (len(line) + 1)]
            del lines[i + 1:]
        elif op == "join" and i + 1 < len(lines):
            lines[i:i + 2] = [line + lines[i + 1]]
    return "\n".join(lines)


def _plan_of(relative: str) -> str:
    first = relative.split("/")[0]
    return first if first != "_shared" else "bogelund"


@examples(ci=30, fuzz_share=0.5)
@given(target=st.sampled_from(EXAMPLE_FILES),
       changes=st.lists(mutations(), min_size=1, max_size=6),
       crlf=st.booleans())
@example(target="fjellvik/plan.yaml", changes=[("insert", 0, 0, "\t", 1)], crlf=False)
# found by fuzzing (shrunk): the card's step gets `within: PT` + 41 ones + `H`, which once
# ended every command in OverflowError while building the model (isodate -> timedelta)
@example(target="fjellvik/tiltakskort/befolkningsvarsling.yaml",
         changes=[("insert", 37, 14, "1" * 40, 1)], crlf=False)
# found by fuzzing (shrunk): the card gets `review_every: P` + 41 ones + `Y`, which once
# ended `due` in OverflowError adding it to the review date (isodate Duration.__add__)
@example(target="fjellvik/tiltakskort/befolkningsvarsling.yaml",
         changes=[("insert", 42, 16, "1" * 40, 1)], crlf=False)
def test_mutated_example_plans_never_crash_a_command(target, changes, crlf):
    with tempfile.TemporaryDirectory(prefix="beredskap-prop-") as tmp:
        repo = copy_of(PLANS, Path(tmp))
        path = repo.root / target
        text = mutate(path.read_text("utf-8"), changes)
        if crlf:
            text = text.replace("\n", "\r\n")
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        plan = _plan_of(target)
        before = tree_checksum(repo.root)
        for args in reading_commands(plan, repo.out):
            check_result(args, repo.cli(*args))
            assert tree_checksum(repo.root) == before, args
        args = ("approve", plan, "--date", "2026-11-20", "--by", "Kommunestyret", "--case",
                "26/1", "--today", TODAY)
        approved = repo.cli(*args)
        check_result(args, approved)
        if approved.exit_code != 0:  # refused: nothing written
            assert tree_checksum(repo.root) == before
        else:  # recorded: the plan is still valid, and approved
            checked = repo.cli("validate", plan, "--format", "json", "--today", TODAY)
            check_result(("validate",), checked)
            assert checked.exit_code == 0, checked.findings
            assert not [f for f in checked.findings if f["rule"] == "approval-status"
                        and f["path"].endswith("plan.yaml") and "changed" in f["message"]]


# -- (c) random valid plans --------------------------------------------------------------------

def _valid(numbers: list[str], region: str) -> list[str]:
    good = [n for n in numbers if phonenumbers.is_valid_number(phonenumbers.parse(n, region))]
    assert len(good) == len(numbers), set(numbers) - set(good)
    return good


# public and private numbers come from separate pools, so a private number in a
# public document can only be a leak
NUMBERS = {
    "NO": {"public": _valid([f"{p}{m}567" for p in ("412", "413", "415", "450", "465")
                             for m in ("12", "34")], "NO"),
           "private": _valid([f"{p}{m}890" for p in ("934", "950", "980", "995")
                              for m in ("56", "78")], "NO")},
    "DK": {"public": _valid([f"{p}1234{m}" for p in ("20", "21", "22", "30", "40")
                             for m in ("56", "57")], "DK"),
           "private": _valid([f"{p}6543{m}" for p in ("50", "51", "60", "61")
                              for m in ("21", "22")], "DK")},
}
CODES = {"NO": "47", "DK": "45"}
LANGUAGES = {"NO": ["nb", "nn", "en"], "DK": ["da", "en"]}
TOPICS = ["purpose", "crisis-management", "activation", "alert-list", "public-warning",
          "resources", "evacuation", "crisis-communication", "information-handling",
          "coordination", "sub-plans", "risk-analysis", "exercises", "continuity",
          "psychosocial", "vulnerable-groups"]
# the first section covers what either country requires, so every generated plan is complete
REQUIRED = ["purpose", "crisis-management", "alert-list", "public-warning", "resources",
            "evacuation", "crisis-communication", "information-handling", "coordination",
            "sub-plans", "risk-analysis"]
BASIS = {"NO": "offentleglova § 24 tredje ledd", "DK": "offentlighedsloven § 33, nr. 1"}
BODIES = ["{t}", "Kriseledelsen møtes i rådhuset. {t}.", "- første punkt {t}\n- andre punkt",
          "**{t}** gjelder alle.", "Se [planen](https://example.org/{t}) for mer.",
          "Første avsnitt.\n\nAndre avsnitt med {t} og æøå.", "1. Ring {t}\n2. Logg"]


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def written(number: str, country: str, style: int) -> str:
    """The number as a person might write it."""
    if country == "NO":
        grouped = f"{number[:3]} {number[3:5]} {number[5:]}"
    else:
        grouped = " ".join(number[i:i + 2] for i in range(0, 8, 2))
    return [grouped, number, f"+{CODES[country]} {grouped}", f"+{CODES[country]}{number}"][style]


@dataclass
class Generated:
    files: dict[str, str]  # path in the plan folder -> text
    secrets: list[str] = field(default_factory=list)  # must not reach a public document
    private_numbers: list[tuple[str, str]] = field(default_factory=list)  # (number, country)
    comments: list[str] = field(default_factory=list)


class Tokens:
    """Distinct, fixed-length words (ZQX + 5 digits + K): one can never be read into another."""

    def __init__(self, seed: int):
        self.seed, self.count = seed, 0

    def __call__(self) -> str:
        self.count += 1
        return f"ZQX{(self.seed + self.count * 7919) % 100_000:05d}K"


@st.composite
def valid_plans(draw) -> Generated:
    tok = Tokens(draw(st.integers(0, 99_999)))
    country = draw(st.sampled_from(["NO", "DK"]))
    pools = {k: list(v) for k, v in NUMBERS[country].items()}
    public_numbers = draw(st.permutations(pools["public"]))
    private_numbers = draw(st.permutations(pools["private"]))
    gen = Generated({})

    # people and roles
    n_people = draw(st.integers(2, 5))
    people = [f"person-{i}" for i in range(n_people)]
    n_roles = draw(st.integers(1, 4))
    roles = []
    for r in range(n_roles):
        holders = draw(st.lists(st.sampled_from(people), min_size=2, max_size=3, unique=True))
        roles.append({"id": f"rolle-{r}", "title": f"Rolle {tok()}", "holders": holders,
                      "clearance": draw(st.booleans()), "duties": draw(st.booleans())})
    needs_clearance = {p for role in roles if role["clearance"] for p in role["holders"]}
    contacts_exempt = draw(st.integers(0, 5)) == 0

    verified = draw(st.sampled_from(["2026-10-01", "2026-11-20"]))
    lines = ["beredskap: 1", "kind: contacts", f"verified: {verified}"]
    if contacts_exempt:
        lines.append(f"exempt: {{basis: {q(BASIS[country])}}}")
    lines.append("people:")
    for i, pid in enumerate(people):
        name = f"Navn {tok()}"
        lines += [f"  - id: {pid}", f"    name: {q(name)}", "    phones:"]
        numbers = [(public_numbers.pop(), False)]
        if draw(st.booleans()):
            numbers.append((public_numbers.pop(), False))
        if draw(st.booleans()):
            numbers.insert(draw(st.integers(0, len(numbers))), (private_numbers.pop(), True))
        for number, private in numbers:
            style = draw(st.integers(0, 3))
            entry = f"number: {q(written(number, country, style))}"
            if private:
                entry += ", label: privat, private: true"
                gen.private_numbers.append((number, country))
            elif draw(st.booleans()):
                entry += ", label: mobil"
            lines.append(f"      - {{{entry}}}")
        if draw(st.booleans()):
            email = f"{tok().lower()}@kommune.example"
            lines.append(f"    email: {email}")
            gen.secrets.append(email)
        if pid in needs_clearance or draw(st.booleans()):
            level = f"Klarering {tok()}"
            lines.append(f"    clearance: {{level: {q(level)}, expires: 2029-06-30}}")
            gen.secrets.append(level.split()[-1])
        if contacts_exempt:
            gen.secrets.append(name.split()[-1])
    gen.files["vedlegg-a.yaml"] = "\n".join(lines) + "\n"
    if contacts_exempt:
        gen.private_numbers += [(n, country) for n in NUMBERS[country]["public"]
                                if n not in public_numbers]

    # the plan
    language = draw(st.sampled_from(LANGUAGES[country]))
    plan = ["beredskap: 1", "kind: plan", "id: plan-" + tok().lower(),
            f"title: {q('Beredskapsplan ' + tok())}",
            f"organization: {{name: {q('Kommune ' + tok())}, country: {country}}}",
            f"language: {language}", f"owner: {roles[0]['id']}"]
    style = draw(st.sampled_from(["none", "flow", "block", "empty"]))
    if style == "flow":
        plan += ["approvals:", "  - {date: 2025-05-01, by: Kommunestyret}"]
    elif style == "block":
        plan += ["approvals:", "- date: 2025-05-01", "  by: Kommunestyret", "  case: \"25/1\""]
    elif style == "empty":
        plan += ["approvals: []"]
    if draw(st.booleans()):
        plan += [f"revisions: [{{date: 2026-01-15, summary: {q('Revidert ' + tok())}, "
                 f"by: {roles[0]['id']}}}]"]
    plan.append("roles:")
    for role in roles:
        plan += [f"  - id: {role['id']}", f"    title: {q(role['title'])}",
                 f"    holders: [{', '.join(role['holders'])}]"]
        if role["clearance"]:
            plan.append("    clearance_required: true")
        if role["duties"]:
            plan.append(f"    duties: {q('Ansvar for ' + tok())}")
    order = draw(st.lists(st.sampled_from([r["id"] for r in roles]), min_size=1, unique=True))
    plan += ["activation:", f"  call_order: [{', '.join(order)}]"]

    counter = iter(range(1000))

    def section(depth: int, exempt_above: bool, first: bool) -> list[str]:
        number = next(counter)
        exempt = not first and not exempt_above and draw(st.integers(0, 2)) == 0
        hidden = exempt or exempt_above
        title, body_token = f"Avsnitt {tok()}", tok()
        out = [f"- id: avsnitt-{number}", f"  title: {q(title)}"]
        covers = REQUIRED if first else draw(st.lists(st.sampled_from(TOPICS), max_size=3,
                                                      unique=True))
        if covers:
            out.append(f"  covers: [{', '.join(covers)}]")
        if exempt:
            out.append(f"  exempt: {{basis: {q(BASIS[country])}}}")
        children = draw(st.integers(0, 2)) if depth < 2 else 0
        if children == 0 or draw(st.booleans()):
            out.append(f"  body: {q(draw(st.sampled_from(BODIES)).format(t=body_token))}")
            if hidden:
                gen.secrets.append(body_token)
        if hidden:
            gen.secrets.append(title.split()[-1])
        if children:
            out.append("  sections:")
            for c in range(children):
                out += ["  " + line for line in section(depth + 1, hidden, False)]
        return out

    plan.append("sections:")
    for s in range(draw(st.integers(1, 4))):
        plan += ["  " + line for line in section(0, False, s == 0)]

    annexes = ["  - {letter: A, title: Varsling, file: vedlegg-a.yaml}"]
    if draw(st.booleans()):
        exempt = draw(st.booleans())
        names = [f"Ressurs {tok()}" for _ in range(draw(st.integers(1, 3)))]
        text = ["beredskap: 1", "kind: resources", "verified: 2026-10-01"]
        if exempt:
            text.append(f"exempt: {{basis: {q(BASIS[country])}}}")
            gen.secrets += [n.split()[-1] for n in names]
        text.append("resources:")
        for i, name in enumerate(names):
            text += [f"  - id: ressurs-{i}", f"    name: {q(name)}",
                     f"    owner: {roles[-1]['id']}", f"    contact: {people[-1]}"]
        gen.files["vedlegg-b.yaml"] = "\n".join(text) + "\n"
        annexes.append("  - {letter: B, title: Ressurser, file: vedlegg-b.yaml}")
    if draw(st.booleans()):
        exempt = draw(st.booleans())
        title, body = f"Mal {tok()}", tok()
        text = ["beredskap: 1", "kind: templates"]
        if exempt:
            text.append(f"exempt: {{basis: {q(BASIS[country])}}}")
            gen.secrets += [title.split()[-1], body]
        text += ["templates:", "  - id: mal-1", f"    title: {q(title)}",
                 f"    body: {q('Til {{ mottaker }}: ' + body)}"]
        gen.files["maler/vedlegg-e.yaml"] = "\n".join(text) + "\n"
        annexes.append("  - {letter: E, title: Maler, file: maler/vedlegg-e.yaml}")
    if draw(st.booleans()):
        for c in range(draw(st.integers(1, 2))):
            exempt = draw(st.booleans())
            title, step = f"Kort {tok()}", tok()
            text = ["beredskap: 1", "kind: action-card", f"id: kort-{c}", f"title: {q(title)}",
                    f"owner: {roles[0]['id']}"]
            if exempt:
                text.append(f"exempt: {{basis: {q(BASIS[country])}}}")
                gen.secrets += [title.split()[-1], step]
            text += ["steps:", f"  - text: {q('Varsle ' + step)}",
                     f"    who: {roles[-1]['id']}", "    within: PT30M", "reviewed: 2026-06-01"]
            gen.files[f"kort/kort-{c}.yaml"] = "\n".join(text) + "\n"
        annexes.append("  - {letter: F, title: Tiltakskort, cards: kort/}")
    plan += ["annexes:", *annexes]

    # comments: on lines of their own and after values, in every file
    for name in list(gen.files) + ["plan.yaml"]:
        body = plan if name == "plan.yaml" else gen.files[name].rstrip("\n").split("\n")
        for _ in range(draw(st.integers(1, 3))):
            comment = f"# merknad {tok()}"
            at = draw(st.integers(0, len(body)))
            # (not after `approvals: []`: see test_approve_keeps_the_comment_on_an_empty_list)
            if draw(st.booleans()) and at < len(body) and body[at] != "approvals: []":
                body[at] = f"{body[at]}  {comment}"
            else:
                indent = (len(body[at]) - len(body[at].lstrip())) if at < len(body) else 0
                body.insert(at, " " * indent + comment)
            gen.comments.append(comment)
        gen.files[name] = "\n".join(body) + "\n"
    return gen


def normal(text: str) -> str:
    text = text.replace("\u200b", "").replace("\u00ad", "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text)


def document_texts(out: Path, stem: str) -> dict[str, str]:
    """The text of each rendered format, with everything a reader or a program could see."""
    texts = {"md": (out / f"{stem}.md").read_text("utf-8"),
             "html": html.unescape((out / f"{stem}.html").read_text("utf-8"))}
    parts = []
    with zipfile.ZipFile(out / f"{stem}.docx") as docx:
        for name in docx.namelist():
            if name.endswith((".xml", ".rels")):
                xml = docx.read(name).decode("utf-8")
                parts.append(xml)
                for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                    parts.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>",
                                                    paragraph)))
    texts["docx"] = html.unescape("\n".join(parts))
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(out / f"{stem}.pdf")
    pages = [page.extract_text() or "" for page in reader.pages]
    texts["pdf"] = "\n".join(pages + [str(v) for v in (reader.metadata or {}).values()])
    return {fmt: normal(text) for fmt, text in texts.items()}


def number_forms(number: str, country: str) -> list[str]:
    parsed = phonenumbers.parse(number, country)
    formats = phonenumbers.PhoneNumberFormat
    return sorted({written(number, country, s) for s in range(4)}
                  | {phonenumbers.format_number(parsed, f)
                     for f in (formats.INTERNATIONAL, formats.NATIONAL, formats.E164)})


def leaks(text: str, gen: Generated) -> list[str]:
    found = [s for s in gen.secrets if s in text]
    squeezed = re.sub(r"[\s\-]", "", text)  # a token broken over two lines is still a leak
    found += [s for s in gen.secrets if s not in found and re.sub(r"[\s\-]", "", s) in squeezed]
    for number, country in gen.private_numbers:
        found += [f for f in number_forms(number, country) if normal(f) in text]
        if re.search(rf"(?<![\d+]){number}(?!\d)|\+{CODES[country]}{number}(?!\d)", squeezed):
            found.append(number)
    return sorted(set(found))


def only_added(before: str, after: str) -> list[str]:
    """The added lines; fails when a line of `before` was changed or removed.

    The one documented exception: `approvals: []` becomes `approvals:` followed
    by the new entry as a block list.
    """
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    added = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and [line.split("#")[0].rstrip() for line in old[i1:i2]] == \
                ["approvals: []"] and new[j1].startswith("approvals:") and \
                new[j1].split("#")[0].rstrip() == "approvals:":
            comment = old[i1][old[i1].index("#"):] if "#" in old[i1] else ""
            assert comment in new[j1], "the comment after `approvals: []` was lost"
            added += new[j1 + 1:j2]
            continue
        assert tag in ("equal", "insert"), (tag, old[i1:i2], new[j1:j2])
        if tag == "insert":
            added += new[j1:j2]
    return added


@examples(ci=8, fuzz_share=0.05, shrink_in_ci=False)
@given(gen=valid_plans())
def test_valid_plans_validate_approve_and_render_without_leaks(gen):
    with tempfile.TemporaryDirectory(prefix="beredskap-prop-") as tmp:
        root = Path(tmp) / "repo"
        folder = root / "plans" / "gen"
        for name, text in gen.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, "utf-8")
        (root / ".git").mkdir()
        out = Path(tmp) / "out"

        checked = run("validate", str(folder), "--format", "json", "--today", TODAY)
        errors = [f for f in checked.findings if f["severity"] == "error"]
        assert errors == [] and checked.exit_code == 0, (errors, gen.files)

        before = {name: (folder / name).read_text("utf-8") for name in gen.files}
        approved = run("approve", str(folder), "--date", "2026-11-20", "--by", "Kommunestyret",
                       "--case", "26/77", "--today", TODAY)
        assert approved.exit_code == 0, approved.stderr
        after = (folder / "plan.yaml").read_text("utf-8")
        added = only_added(before["plan.yaml"], after)
        assert added and any("2026-11-20" in line for line in added), added
        for name in gen.files:  # the annexes are not touched
            if name != "plan.yaml":
                assert (folder / name).read_text("utf-8") == before[name], name
        for comment in gen.comments:
            assert any(comment in (folder / n).read_text("utf-8") for n in gen.files), comment
        rechecked = run("validate", str(folder), "--format", "json", "--today", TODAY)
        assert rechecked.exit_code == 0
        assert not [f for f in rechecked.findings if f["rule"] == "approval-status"]

        internal = run("render", str(folder), "--to", "md", "--out", str(out / "internal"),
                       "--today", TODAY)
        assert internal.exit_code == 0, internal.stderr
        inside = normal((out / "internal" / "gen.md").read_text("utf-8"))
        # the check below means something: the internal document does carry the secrets
        assert not [s for s in gen.secrets if s not in inside
                    and not s.endswith("@kommune.example")], gen.secrets
        public = run("render", str(folder), "--audience", "public", "--out", str(out / "public"),
                     "--today", TODAY)
        assert public.exit_code == 0, public.stderr
        for fmt, text in document_texts(out / "public", "gen-public").items():
            assert leaks(text, gen) == [], fmt


# -- (d) exemption and privacy markings in every form, valid and invalid ----------------------

# how a number marked private may be written: (the phone entry's extra text, valid?)
PRIVATE_FORMS = [
    (", private: true", True), (", label: privat, private: true", True),
    (", label: privat", True), (", label: Privat mobil", True),
    (", private: yes", False), (', private: "true"', False), (", private: 1", False),
    (", private: ", False), (", Private: true", False), (", privat: true", False),
    (", private: true, private: false", False), (", private: [true]", False),
]
# how a part may be marked exempt: (the line(s) to add, valid?)
EXEMPT_FORMS = [
    ("exempt: {{basis: {basis}}}", True), ("exempt: {{basis: {basis}, x-note: vurdert}}", True),
    ("exempt: {basis}", False), ("exempt:", False), ("exempt: false", False),
    ("exempt: true", False), ("exempt: {{}}", False), ('exempt: {{basis: ""}}', False),
    ("Exempt: {{basis: {basis}}}", False), ("exmept: {{basis: {basis}}}", False),
    ("unntatt: {basis}", False), ("undtaget: {basis}", False), ("exempt: [{basis}]", False),
]
# a number written in free text, as a person might: grouped, compact, dashes, dots, NBSP
TEXT_STYLES = [
    lambda n, c: n, lambda n, c: f"+{CODES[c]} {n}", lambda n, c: f"{n[:4]} {n[4:]}",
    lambda n, c: "-".join(n[i:i + 2] for i in range(0, 8, 2)),
    lambda n, c: ".".join(n[i:i + 2] for i in range(0, 8, 2)),
    lambda n, c: "\u00a0".join(n[i:i + 2] for i in range(0, 8, 2)),
    lambda n, c: f"(+{CODES[c]}) {n[:3]} {n[3:5]} {n[5:]}",
    lambda n, c: f"**{n[:4]}**{n[4:]}",
]


@dataclass
class Marked:
    files: dict[str, str]
    secrets: list[str] = field(default_factory=list)
    private_numbers: list[tuple[str, str]] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    valid: bool = True  # every marking written as the format says


@st.composite
def marked_plans(draw) -> Marked:
    tok = Tokens(draw(st.integers(0, 99_999)))
    country = draw(st.sampled_from(["NO", "DK"]))
    public_numbers = list(draw(st.permutations(NUMBERS[country]["public"])))
    private_pool = list(draw(st.permutations(NUMBERS[country]["private"])))
    basis = q(BASIS[country])
    gen = Marked({})
    only_valid = draw(st.booleans())  # half the plans: every marking as the format says
    private_forms = [f for f in PRIVATE_FORMS if f[1] or not only_valid]
    exempt_forms = [f for f in EXEMPT_FORMS if f[1] or not only_valid]

    def exempt_line(indent: str) -> list[str]:
        form, ok = draw(st.sampled_from(exempt_forms))
        gen.valid &= ok
        return [indent + form.format(basis=basis)]

    # annex A: people with public and private numbers
    people = [f"person-{i}" for i in range(draw(st.integers(2, 4)))]
    lines = ["beredskap: 1", "kind: contacts", "verified: 2026-10-01", "people:"]
    secret_numbers: list[str] = []
    for pid in people:
        lines += [f"  - id: {pid}", f"    name: {q('Navn ' + tok())}"]
        if not only_valid and draw(st.integers(0, 5)) == 0:  # the entry marked private
            lines.append("    private: true")
            gen.valid = False
            number = private_pool.pop()
            lines += ["    phones:", f"      - {{number: {q(written(number, country, 0))}}}"]
            secret_numbers.append(number)
        else:
            lines += ["    phones:", f"      - {{number: {q(public_numbers.pop())}}}"]
            if draw(st.booleans()):
                number = private_pool.pop()
                form, ok = draw(st.sampled_from(private_forms))
                gen.valid &= ok
                style = draw(st.integers(0, 3))
                lines.append(f"      - {{number: {q(written(number, country, style))}{form}}}")
                secret_numbers.append(number)
            if draw(st.booleans()):  # a public number said to be public: stays in the document
                lines.append(f"      - {{number: {q(public_numbers.pop())}, private: false}}")
        if draw(st.booleans()):
            email = f"{tok().lower()}@kommune.example"
            lines.append(f"    email: {email}")
            gen.emails.append(email)
    contacts_exempt = draw(st.integers(0, 4)) == 0
    if contacts_exempt:
        lines[2:2] = exempt_line("")
    gen.files["vedlegg-a.yaml"] = "\n".join(lines) + "\n"
    gen.private_numbers += [(n, country) for n in secret_numbers]

    # where a secret is written again: free text, other entries
    def leak_text() -> str:
        choices = [n for n in secret_numbers] + gen.emails
        if not choices or draw(st.booleans()):
            return ""
        value = draw(st.sampled_from(choices))
        if "@" in value:
            return f" Skriv til {draw(st.sampled_from([value, value.upper()]))}."
        return f" Ring {draw(st.sampled_from(TEXT_STYLES))(value, country)}."

    plan = ["beredskap: 1", "kind: plan", "id: plan-" + tok().lower(),
            f"title: {q('Beredskapsplan ' + tok())}",
            f"organization: {{name: {q('Kommune ' + tok())}, country: {country}}}",
            "language: " + ("nb" if country == "NO" else "da"), "owner: rolle-0", "roles:",
            "  - id: rolle-0", f"    title: {q('Rolle ' + tok())}",
            f"    holders: [{', '.join(people[:2])}]", "sections:"]
    for n in range(draw(st.integers(1, 4))):
        title, body = f"Avsnitt {tok()}", tok()
        plan += [f"  - id: avsnitt-{n}", f"    title: {q(title)}",
                 "    covers: [purpose, crisis-management, alert-list, public-warning, resources,"
                 " evacuation, crisis-communication, information-handling, coordination,"
                 " sub-plans, risk-analysis]" if n == 0 else "    covers: []"]
        if draw(st.integers(0, 2)) == 0:
            plan += exempt_line("    ")
            gen.secrets += [title.split()[-1], body]
        plan.append(f"    body: {q('Tekst ' + body + '.' + leak_text())}")
    annexes = ["  - {letter: A, title: Varsling, file: vedlegg-a.yaml"
               + (", exempt: {basis: " + basis + "}" if draw(st.integers(0, 5)) == 0 else "")
               + "}"]
    if contacts_exempt or annexes[0].count("exempt"):
        gen.secrets += [q_.split('"')[1].split()[-1] for q_ in lines if "name:" in q_]
        gen.private_numbers += [(n, country) for n in NUMBERS[country]["public"]
                                if n not in public_numbers]
    # annex D: partners, whose numbers and addresses may repeat a person's
    partner = ["beredskap: 1", "kind: partners", "verified: 2026-10-01"]
    if draw(st.integers(0, 3)) == 0:
        partner += exempt_line("")
        exempt_partners = True
    else:
        exempt_partners = False
    number = public_numbers.pop()
    if secret_numbers and draw(st.booleans()):
        number = draw(st.sampled_from(secret_numbers))  # the same number without the flag
    email = draw(st.sampled_from(gen.emails)) if gen.emails and draw(st.booleans()) \
        else "post@partner.example"
    pname = f"Partner {tok()}"
    partner += ["partners:", "  - id: partner-1", f"    name: {q(pname)}",
                f"    phones: [{{number: {q(number)}}}]", f"    email: {email}"]
    if exempt_partners:
        gen.secrets.append(pname.split()[-1])
    gen.files["vedlegg-d.yaml"] = "\n".join(partner) + "\n"
    annexes.append("  - {letter: D, title: Partnere, file: vedlegg-d.yaml}")
    # annex F: a card, its file perhaps exempt, a step perhaps repeating a secret
    card_title, step = f"Kort {tok()}", tok()
    card = ["beredskap: 1", "kind: action-card", "id: kort-1", f"title: {q(card_title)}",
            "owner: rolle-0"]
    if draw(st.integers(0, 3)) == 0:
        card += exempt_line("")
        gen.secrets += [card_title.split()[-1], step]
    card += ["steps:", f"  - text: {q('Varsle ' + step + '.' + leak_text())}",
             "reviewed: 2026-06-01"]
    gen.files["kort/kort-1.yaml"] = "\n".join(card) + "\n"
    annexes.append("  - {letter: F, title: Tiltakskort, cards: kort/}")
    if not only_valid and draw(st.integers(0, 5)) == 0:  # listed twice, marked differently
        annexes.append("  - {letter: G, title: Kopi, file: vedlegg-a.yaml"
                       + ("}" if "exempt" in annexes[0] else ", exempt: {basis: " + basis + "}}"))
        gen.valid = False
        gen.secrets += [q_.split('"')[1].split()[-1] for q_ in lines if "name:" in q_]
        gen.private_numbers += [(n, country) for n in NUMBERS[country]["public"]
                                if n not in public_numbers]
    plan += ["annexes:", *annexes]
    gen.files["plan.yaml"] = "\n".join(plan) + "\n"
    gen.secrets += gen.emails
    return gen


def marked_leaks(text: str, gen: Marked) -> list[str]:
    found = leaks(text, Generated({}, gen.secrets, gen.private_numbers))
    found += [e for e in gen.emails if e in text.casefold()]
    return sorted(set(found))


@examples(ci=10, fuzz_share=0.1, shrink_in_ci=False)
@given(gen=marked_plans())
def test_no_public_output_shows_anything_marked_in_any_form(gen):
    """Markings in random valid and invalid forms, secrets written again anywhere: the
    public version is refused while a marking cannot be read, and otherwise shows none
    of them; the internal version shows them (so the check means something)."""
    with tempfile.TemporaryDirectory(prefix="beredskap-prop-") as tmp:
        root = Path(tmp) / "repo"
        folder = root / "plans" / "gen"
        for name, text in gen.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, "utf-8")
        (root / ".git").mkdir()
        out = Path(tmp) / "out"
        public = run("render", str(folder), "--audience", "public", "--draft", "--to", "md,html",
                     "--out", str(out / "public"), "--today", TODAY)
        assert "Traceback" not in public.stderr
        if not gen.valid:
            assert public.exit_code == 1 and "no public version made" in public.stderr, \
                (public.stderr, gen.files)
            assert not (out / "public").exists() or not list((out / "public").iterdir())
        else:
            assert public.exit_code == 0, (public.stderr, gen.files)
            texts = {"md": (out / "public" / "gen-public.md").read_text("utf-8"),
                     "html": html.unescape((out / "public" / "gen-public.html")
                                           .read_text("utf-8"))}
            for fmt, text in texts.items():
                assert marked_leaks(normal(text), gen) == [], (fmt, gen.files)
        internal = run("render", str(folder), "--draft", "--to", "md",
                       "--out", str(out / "internal"), "--today", TODAY)
        assert internal.exit_code == 0, internal.stderr
        inside = normal(re.sub(r"\\(.)", r"\1", (out / "internal" / "gen.md").read_text("utf-8")))
        assert [s for s in gen.secrets if s not in inside and "@" not in s] == [], gen.files


@pytest.mark.parametrize("line", ["approvals: []  # merknad ZQX00001K",
                                  "approvals:  # merknad ZQX00001K"], ids=["empty-list", "null"])
def test_approve_keeps_the_comment_on_an_empty_list(line):
    with tempfile.TemporaryDirectory(prefix="beredskap-prop-") as tmp:
        repo = copy_of(HARD, Path(tmp))
        plan = repo.root / "plans" / "lia" / "plan.yaml"
        text = plan.read_text("utf-8")
        start, end = text.index("approvals:\n"), text.index("revisions:")
        plan.write_text(text[:start] + line + "\n" + text[end:], "utf-8")
        result = repo.cli("approve", "plans/lia", "--date", "2026-11-20", "--by",
                          "Kommunestyret", "--today", TODAY)
        assert result.exit_code == 0, result.stderr
        assert "# merknad ZQX00001K" in plan.read_text("utf-8")



# -- (d) the quick reader agrees with the careful one -------------------------------------


@examples(ci=200)
@given(raw=arbitrary_bytes)
def test_quick_and_careful_reading_agree_on_any_bytes(raw):
    from beredskapsplan.yamlread import parse_bytes

    careful, fast = parse_bytes(raw), parse_bytes(raw, positions=False)
    assert (fast.data, fast.problems) == (careful.data, careful.problems)


@examples(ci=100)
@given(target=st.sampled_from(EXAMPLE_FILES), changes=st.lists(mutations(), max_size=4))
def test_quick_and_careful_reading_agree_on_mutated_plans(target, changes):
    from beredskapsplan.yamlread import parse_bytes

    from beredskapsplan.yamlquick import position

    raw = mutate((PLANS / target).read_text("utf-8"), changes).encode("utf-8", "surrogatepass")
    careful, fast = parse_bytes(raw), parse_bytes(raw, positions=False)
    assert (fast.data, fast.problems) == (careful.data, careful.problems)
    if fast.nodes is not None:  # read quickly: every position as the careful path has it
        for where, mark in careful.marks.items():
            assert position(fast.nodes, where) == mark, where
        for where, mark in careful.key_marks.items():
            assert position(fast.nodes, where, key=True) == mark, where
