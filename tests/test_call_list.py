"""beredskap call-list: who to call, in order, with numbers."""
from __future__ import annotations

import json

import pytest

from beredskapsplan.build import load_plan
from conftest import PLANS, run


def _expected_order(folder):
    """The call order and holders straight from the model, to compare with the output."""
    plan = load_plan(folder).plan
    order = []
    for ref in plan.activation.call_order:
        role = plan.role(ref)
        order.append((role.title, [p.name for p in plan.holders(role)]))
    return plan, order


@pytest.mark.parametrize("name", ["bogelund", "fjellvik"])
def test_text_lists_the_call_order_with_primary_then_deputies(name):
    plan, order = _expected_order(PLANS / name)
    result = run("call-list", str(PLANS / name))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("Call order (try in this order"))
    position = start
    for number, (title, holders) in enumerate(order, 1):
        position = lines.index(f"{number:>3}. {title}", position)
        for offset, holder in enumerate(holders, 1):
            line = lines[position + offset]
            assert holder in line
            assert ("primary" if offset == 1 else "deputy") in line
    primary = plan.person(plan.role(plan.activation.call_order[0]).holders[0])
    assert primary.phones[0].number in result.stdout


@pytest.mark.parametrize("name", ["bogelund", "fjellvik"])
def test_json_has_order_holders_numbers_and_staff(name):
    plan, order = _expected_order(PLANS / name)
    result = run("call-list", str(PLANS / name), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(e["title"], [h["name"] for h in e["holders"]]) for e in data["call_order"]] == order
    assert all(h["phones"] for e in data["call_order"] for h in e["holders"])
    assert [s["id"] for s in data["staff"]] == [s.id for s in plan.staff]
    assert data["call_order"][0]["holders"][0]["deputy"] is False


def test_level_heads_the_list_with_who_may_activate_it():
    plan = load_plan(PLANS / "bogelund").plan
    level = max(plan.level_numbers)
    deciders = next(lv for lv in plan.levels if lv.level == level).decided_by
    result = run("call-list", str(PLANS / "bogelund"), "--level", str(level), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["level"]["level"] == level
    assert [e["role"] for e in data["level"]["decided_by"]] == [r.id for r in deciders]


def test_unknown_level_and_missing_plan_are_usage_errors(tmp_path):
    result = run("call-list", str(PLANS / "bogelund"), "--level", "9")
    assert result.exit_code == 2 and "no level 9" in result.stderr
    result = run("call-list", str(tmp_path))
    assert result.exit_code == 2 and "plan.yaml" in result.stderr


# -- gaps: shown where they are, and the command fails ---------------------------------------

import html.parser  # noqa: E402
import io  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

from conftest import TODAY  # noqa: E402


def copy_plan(tmp_path: Path, name: str = "fjellvik") -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    shutil.copytree(PLANS / "_shared", tmp_path / "plans" / "_shared", dirs_exist_ok=True)
    return Path(shutil.copytree(PLANS / name, tmp_path / "plans" / name))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def role_block(text: str, title: str) -> str:
    """The lines of one numbered role of the call order in the text list."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().endswith(f". {title}")
                 or f". {title}  ⚠" in l)
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("      "))
    return "\n".join(lines[start:end])


def test_a_holder_id_that_names_nobody_is_a_gap_in_the_list(tmp_path):
    plan = copy_plan(tmp_path)
    edit(plan / "plan.yaml", "holders: [tone-bakken, lars-myklebust]",
         "holders: [tone-bakkn, lars-myklebust]")
    result = run("call-list", str(plan))
    assert result.exit_code == 1
    block = role_block(result.stdout, "Beredskapskoordinator")
    first, deputy = block.splitlines()[1:3]
    assert "primary" in first and "⚠ 'tone-bakkn' is not in the plan" in first
    assert "deputy" in deputy and "Lars Myklebust" in deputy  # not promoted to primary
    assert "1 gap in the list" in result.stdout
    assert "tone-bakkn" in result.stderr


def test_a_holder_without_a_number_and_an_unreachable_role(tmp_path):
    plan = copy_plan(tmp_path)
    contacts = plan / "vedlegg-a-varslingsliste.yaml"
    people = read_people(contacts)
    # Ordfører: both holders lose their numbers, so no one in the role can be reached
    for person in ("ingrid-solberg", "arne-haugland"):
        drop_phones(contacts, person)
    result = run("--lang", "nb", "call-list", str(plan))
    assert result.exit_code == 1
    block = role_block(result.stdout, "Ordfører")
    assert "⚠ ingen i denne rollen kan nås" in block.splitlines()[0]
    assert block.count("⚠ ingen nummer") == 2
    assert people["ingrid-solberg"] in block
    data = json.loads(run("call-list", str(plan), "--format", "json").stdout)
    gaps = {(g["who"], g["gap"]) for g in data["gaps"]}
    assert {("Ordfører", "unreachable"), ("Ingrid Solberg", "no-number"),
            ("Arne Haugland", "no-number")} <= gaps


def read_people(path: Path) -> dict[str, str]:
    from beredskapsplan.documents import read_document
    return {p["id"]: p["name"] for p in read_document(path).data["people"]}


def drop_phones(path: Path, person: str) -> None:
    """Replace a person's phone list with an empty one."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, l in enumerate(lines) if l.strip() == f"- id: {person}")
    at = next(i for i in range(start, len(lines)) if lines[i].strip() == "phones:")
    end = at + 1
    while lines[end].lstrip().startswith("- {number"):
        end += 1
    lines[at:end] = [lines[at].replace("phones:", "phones: []")]
    path.write_text("".join(lines), "utf-8")


def test_an_unknown_role_in_the_call_order_is_a_gap(tmp_path):
    plan = copy_plan(tmp_path)
    edit(plan / "plan.yaml", "call_order: [beredskapskoordinator, kommunedirektor, ordforer]",
         "call_order: [beredskapskoordinator, kommunedirektør, ordforer]")
    result = run("call-list", str(plan))
    assert result.exit_code == 1
    assert "  2. kommunedirektør  ⚠ 'kommunedirektør' is not in the plan" in result.stdout


def test_partners_of_the_activation_come_after_the_roles(tmp_path):
    plan = load_plan(PLANS / "fjellvik").plan
    result = run("call-list", str(PLANS / "fjellvik"))
    assert result.exit_code == 0
    out = result.stdout
    order = len(plan.activation.call_order)
    partners = [plan.lookup(r) for r in plan.activation.partners]
    assert len(partners) == 3
    positions = [out.index(f"{order + n:>3}. {p.name}") for n, p in enumerate(partners, 1)]
    assert positions == sorted(positions)
    assert out.index("External partners") > out.index(f"{order:>3}. ")
    assert partners[0].phones[0].number in out[positions[0]:]
    data = json.loads(run("call-list", str(PLANS / "fjellvik"), "--format", "json").stdout)
    assert [p["id"] for p in data["partners"]] == [p.id for p in partners]


def test_an_unknown_partner_is_a_gap(tmp_path):
    plan = copy_plan(tmp_path)
    edit(plan / "plan.yaml", "partners: [brann-110, politiet,", "partners: [brann-111, politiet,")
    result = run("call-list", str(plan))
    assert result.exit_code == 1
    assert "⚠ 'brann-111' is not in the plan" in result.stdout
    assert run("validate", str(plan), "--today", TODAY).exit_code == 1  # unknown-ref too


# -- the public list: no private number, in any format -------------------------------------

def private_numbers(name: str) -> list[str]:
    plan = load_plan(PLANS / name).plan
    found = [ph.number for p in plan.people for ph in p.phones if ph.private]
    found += [ph.number for p in plan.partners for ph in p.phones if ph.private]
    assert found
    return found


def dial(number: str) -> str:
    return "".join(c for c in number if c.isdigit())[-8:]


@pytest.mark.parametrize("name", ["bogelund", "fjellvik"])
@pytest.mark.parametrize("form", ["text", "json", "html", "vcf"])
def test_public_leaves_out_private_numbers(tmp_path, name, form):
    private = private_numbers(name)
    internal = run("call-list", str(PLANS / name), "--format", form).stdout
    public = run("call-list", str(PLANS / name), "--format", form, "--audience", "public").stdout
    digits_internal = "".join(c for c in internal if c.isdigit())
    digits_public = "".join(c for c in public if c.isdigit())
    shown = [n for n in private if dial(n) in digits_internal]
    assert shown, "the internal list shows private numbers"
    for number in private:
        assert dial(number) not in digits_public, number
    public, internal = public.split("</style>")[-1], internal.split("</style>")[-1]
    assert "@" not in public and ("@" in internal or form in ("text", "html"))  # e-mail too


def test_public_pdf_leaves_out_private_numbers(tmp_path):
    from pypdf import PdfReader

    out = tmp_path / "public.pdf"
    result = run("call-list", str(PLANS / "fjellvik"), "--format", "pdf", "--audience",
                 "public", "--out", str(out), "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    text = "".join(c for c in PdfReader(out).pages[0].extract_text() if c.isdigit())
    for number in private_numbers("fjellvik"):
        assert dial(number) not in text


# -- printable: one page ---------------------------------------------------------------------

class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.parametrize("name", ["bogelund", "fjellvik"])
def test_pdf_is_one_page_with_every_name_and_number(tmp_path, name):
    from pypdf import PdfReader

    plan = load_plan(PLANS / name).plan
    out = tmp_path / "list.pdf"
    result = run("call-list", str(PLANS / name), "--format", "pdf", "--out", str(out),
                 "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    compact = text.replace(" ", "")
    for ref in plan.activation.call_order:
        for person in plan.holders(plan.role(ref)):
            assert person.name.replace(" ", "") in compact
            assert person.phones[0].number.replace(" ", "") in compact
    for ref in plan.activation.partners:
        assert plan.lookup(ref).phones[0].number.replace(" ", "") in compact


def test_html_is_a_page_with_the_list_and_prints_on_one_page(tmp_path, page_at):
    from pypdf import PdfReader

    plan = load_plan(PLANS / "bogelund").plan
    result = run("--lang", "da", "call-list", str(PLANS / "bogelund"), "--format", "html",
                 "--today", TODAY)
    assert result.exit_code == 0, result.stderr
    parser = _Text()
    parser.feed(result.stdout)
    text = " ".join("".join(parser.text).split())
    assert parser.tags.count("table") >= 3 and "script" not in parser.tags
    assert "Alarmeringsliste – Bøgelund Kommune" in text and "23. november 2026" in text
    for ref in plan.activation.call_order:
        for person in plan.holders(plan.role(ref)):
            assert person.name in text and person.phones[0].number in text
    page = page_at(900)
    page.set_content(result.stdout)
    assert page.console_errors == []
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    assert len(PdfReader(pdf).pages) == 1


def test_html_escapes_what_the_plan_says(tmp_path):
    plan = copy_plan(tmp_path)
    edit(plan / "vedlegg-a-varslingsliste.yaml", "name: Tone Bakken",
         'name: "Tone <b>Bakken</b> & co"')
    out = run("call-list", str(plan), "--format", "html").stdout
    assert "Tone &lt;b&gt;Bakken&lt;/b&gt; &amp; co" in out and "<b>Bakken" not in out


# -- vCards for phones ---------------------------------------------------------------------

def test_vcards_are_read_back_by_vobject():
    import vobject

    plan = load_plan(PLANS / "fjellvik").plan
    result = run("call-list", str(PLANS / "fjellvik"), "--format", "vcf")
    assert result.exit_code == 0
    cards = list(vobject.readComponents(io.StringIO(result.stdout)))
    names = [c.fn.value for c in cards]
    assert len(names) == len(set(names))
    assert all(c.version.value == "4.0" for c in cards)
    assert len({c.uid.value for c in cards}) == len(cards)
    by_name = {c.fn.value: c for c in cards}
    tone = by_name["Tone Bakken"]
    assert (tone.n.value.given, tone.n.value.family) == ("Tone", "Bakken")
    tels = [(t.value, t.params.get("TYPE")) for t in tone.tel_list]
    assert ("tel:+4788021020", ["cell", "voice"]) in tels
    assert any(v == "tel:+4788051295" and "home" in kinds for v, kinds in tels)  # private
    assert "Beredskapskoordinator" in tone.role.value
    assert "call order 1" in tone.note.value
    assert tone.org.value == ["Fjellvik kommune"]
    for ref in plan.activation.partners:
        partner = plan.lookup(ref)
        card = by_name[partner.name]
        assert card.kind.value == "org" and card.tel_list
    holders = {p.name for role in plan.roles for p in plan.holders(role)}
    in_list = {h.name for s in plan.staff for r in [s.lead, *s.members]
               for h in plan.holders(plan.role(r))}
    assert in_list <= set(names) <= holders | {plan.lookup(r).name
                                               for r in plan.activation.partners}


def test_output_to_a_file_and_unknown_format(tmp_path):
    out = tmp_path / "list.vcf"
    result = run("call-list", str(PLANS / "fjellvik"), "--format", "vcf", "--out", str(out))
    assert result.exit_code == 0 and out.read_text("utf-8").startswith("BEGIN:VCARD")
    result = run("call-list", str(PLANS / "fjellvik"), "--format", "docx")
    assert result.exit_code == 2 and "unknown format" in result.stderr
    result = run("call-list", str(PLANS / "fjellvik"), "--audience", "everyone")
    assert result.exit_code == 2 and "unknown audience" in result.stderr


def test_the_list_speaks_the_users_language():
    result = run("--lang", "nb", "call-list", str(PLANS / "fjellvik"))
    assert result.exit_code == 0
    assert result.stdout.startswith("VARSLINGSLISTE – Fjellvik kommune")
    assert "primær" in result.stdout and "stedfortreder" in result.stdout
    assert "Eksterne samarbeidspartnere" in result.stdout


def test_public_list_is_refused_while_a_privacy_marking_cannot_be_read(tmp_path):
    """`private: ja` is no boolean: the public call list cannot know whether the number
    may be shown, so it is not made at all (the internal one still is: in a crisis)."""
    plan = copy_plan(tmp_path)
    edit(plan / "vedlegg-a-varslingsliste.yaml",
         '{number: "880 51 733", label: privat, private: true}',
         '{number: "880 51 733", label: mobil, private: ja}')
    out = tmp_path / "liste.txt"
    result = run("call-list", str(plan), "--audience", "public", "--out", str(out))
    assert result.exit_code == 1
    assert not out.exists() and "880 51 733" not in result.stdout
    assert "vedlegg-a-varslingsliste.yaml:23:" in result.stderr
    assert "no public call list made" in result.stderr
    internal = run("call-list", str(plan))
    assert "880 51 733" in internal.stdout
