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
    start = lines.index("Call order (try in this order):")
    position = start
    for number, (title, holders) in enumerate(order, 1):
        position = lines.index(f"{number:>2}. {title}", position)
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
