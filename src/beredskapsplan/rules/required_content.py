"""A topic the jurisdiction requires that nothing in the plan covers.

Each jurisdiction lists the topics a plan must cover. Norway (severity error,
law): sivilbeskyttelsesloven § 15 and forskrift om kommunal beredskapsplikt
§ 4 — crisis-management, alert-list, public-warning, resources, evacuation,
crisis-communication and risk-analysis. Denmark (severity warning,
Beredskabsstyrelsen's guidance): crisis-management, information-handling,
coordination, crisis-communication, alert-list, resources, sub-plans.

A topic is covered by a section's `covers:` list, or implicitly by an annex of
the matching kind (a `contacts` annex covers alert-list, `resources` covers
resources, `plan-register` covers sub-plans) and, for risk-analysis, by the
plan's `risk_analysis`.

Fix: write the section and add the topic to its `covers:`.

    sections:
      - id: evakuering
        title: Evakuering
        covers: [evacuation]
"""
from __future__ import annotations

from ..documents import readable
from .base import hit

ID = "required-content"
SEVERITY = "warning"  # the jurisdiction file sets the real severity
SCOPE = "plan"
SUMMARY = "a legally required topic that no section or annex covers"

ANNEX_TOPICS = {"contacts": "alert-list", "resources": "resources", "plan-register": "sub-plans"}


def covered_topics(plan) -> set[str]:
    topics = {t for section in plan.all_sections() for t in section.covers}
    for annex in plan.annexes:
        topics.update(ANNEX_TOPICS[d.kind] for d in annex.documents if d.kind in ANNEX_TOPICS)
    if plan.risk_analysis is not None:
        topics.add("risk-analysis")
    return topics


def missing_topics(ctx) -> list[str]:
    """The jurisdiction's required topics nothing in the plan covers (also used by
    `beredskap report`, so its rows say what this rule says)."""
    jurisdiction = ctx.jurisdiction
    if jurisdiction is None:
        return []
    covered = covered_topics(ctx.plan)
    if ctx.path_issues or not all(readable(d) for d in ctx.plan.documents[1:]):
        # an annex that cannot be read may be the one covering these: do not guess
        covered.update(ANNEX_TOPICS.values())
    return [topic for topic in jurisdiction.required_topics if topic not in covered]


def check(ctx):
    jurisdiction = ctx.jurisdiction
    if jurisdiction is None:
        return
    where = ctx.plan.document
    basis = jurisdiction.data.get("required_content", {}).get("basis", "law")
    demand = "required by" if basis == "law" else "expected by"
    for topic in missing_topics(ctx):
        yield hit(where.at(("sections",), key=True),
                  f"no section covers '{topic}' ({demand} "
                  f"{jurisdiction.required_citation}); add it to a section's `covers:`",
                  severity=jurisdiction.required_severity)
