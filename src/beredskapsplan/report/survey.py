"""Answers to DSB's yearly survey of the municipalities (kommuneundersøkelsen).

The questions are listed in the jurisdiction file (`survey:`), each with where
it was seen in DSB's published material. A question the plan's data can
answer is answered here, with its evidence; one it cannot is listed as such,
with the reason, and never guessed. An answer is "not recorded" when the plan
holds nothing to answer from: the fact may still be true outside the plan.
"""
from __future__ import annotations

from datetime import date

from ..dates import add, parse_duration
from ..i18n import Translator, _
from .duties import Judge
from .model import NOT_MET, NOT_RECORDED, DutyRow, Evidence, SurveyAnswer

YES, NO = "yes", "no"

QUESTIONS = {
    "ros-done": _("Has the municipality carried out an overall risk and vulnerability analysis "
                  "(helhetlig ROS)?"),
    "ros-updated": _("Is the overall ROS up to date?"),
    "ros-minimum": _("Does the overall ROS meet the minimum requirements of forskrift § 2?"),
    "plan-exists": _("Does the municipality have an overall emergency plan?"),
    "plan-last-revised": _("When was the emergency plan last revised?"),
    "plan-revised-last-year": _("Has the emergency plan been revised in the last twelve months?"),
    "plan-based-on-ros": _("Is the emergency plan based on the current overall ROS?"),
    "plan-minimum-content": _("Does the emergency plan have the minimum content of "
                              "forskrift § 4?"),
    "exercised-two-years": _("Has the emergency plan been exercised in the last two years?"),
    "exercises-evaluated": _("Have all exercises and incidents been evaluated?"),
    "objectives-and-follow-up": _("Has the municipality set long-term objectives, strategies and "
                                  "priorities, and a plan for following up the work "
                                  "(forskrift § 3)?"),
    "preparedness-council": _("Does the municipality have a municipal preparedness council "
                              "(beredskapsråd)?"),
    "ekom-loss-information": _("Has the municipality planned how residents can get information "
                               "and reach the emergency services during a long loss of power, "
                               "mobile and internet?"),
    "regional-ros": _("Does the municipality work with neighbouring municipalities on a "
                      "regional ROS?"),
}

CANNOT = {
    "ros-minimum": _("The plan records the title and date of the ROS, not its content."),
    "objectives-and-follow-up": _("Objectives, strategies and the follow-up plan are not part "
                                  "of the plan's data."),
    "preparedness-council": _("The plan's data does not say whether the municipality has a "
                              "preparedness council."),
    "ekom-loss-information": _("The plan's data does not describe measures for a long loss of "
                               "power, mobile and internet."),
    "regional-ros": _("The plan's data does not say whether the ROS was made together with "
                      "neighbouring municipalities."),
}

ANSWER_WORDS = {YES: _("Yes"), NO: _("No"), NOT_RECORDED: _("Not recorded in the plan")}


class Survey:
    def __init__(self, judge: Judge, duties: list[DutyRow], today: date, tr: Translator):
        self.judge, self.plan, self.today, self.tr = judge, judge.plan, today, tr
        self.duties = {d.id: d for d in duties}

    def answer(self, question: dict) -> SurveyAnswer:
        qid = question.get("id", "")
        text = QUESTIONS.get(qid)
        method = getattr(self, "answer_" + (question.get("answer") or "").replace("-", "_"), None)
        asked = self.tr(text) if text else qid
        if method is None:
            reason = CANNOT.get(qid, _("The plan's data cannot answer this question."))
            return SurveyAnswer(qid, asked, False, None, self.tr(reason),
                                seen_in=question.get("seen_in", ""))
        answer, words, evidence = method()
        return SurveyAnswer(qid, asked, True, answer, self.tr(words), evidence,
                            seen_in=question.get("seen_in", ""))

    def said(self, answer: str, detail=None):
        """The answer in words: "Yes: …" / "No: …"."""
        head = ANSWER_WORDS.get(answer)
        if head is None:
            return detail
        return _("{answer}: {detail}", answer=head, detail=detail) if detail else head

    # -- the answers ---------------------------------------------------------------------

    def answer_ros_done(self):
        risk = self.plan.risk_analysis
        if risk is None:
            return NOT_RECORDED, self.said(NOT_RECORDED, _("the plan has no `risk_analysis`")), []
        row = self.duties.get("risk-basis")
        evidence = row.evidence[:1] if row else []
        if risk.date is None:
            return YES, self.said(YES, _("«{title}», undated", title=risk.title or "ROS")), evidence
        return YES, self.said(YES, _("«{title}», dated {date}", title=risk.title or "ROS",
                                     date=risk.date)), evidence

    def answer_ros_updated(self):
        risk = self.plan.risk_analysis
        review = self.judge.row("risk-review")
        row = self.duties.get("risk-basis")
        evidence = row.evidence[:1] if row else []
        if risk is None or risk.date is None or review is None or review.status == "never":
            return NOT_RECORDED, self.said(NOT_RECORDED), evidence
        if review.status == "overdue":
            return NO, self.said(NO, _("due for review on {due} ({rule})", due=review.due,
                                       rule=review.source)), evidence
        return YES, self.said(YES, _("next review due {due} ({rule})", due=review.due,
                                     rule=review.source)), evidence

    def answer_plan_exists(self):
        plan = self.plan
        title = plan.title or plan.id or "?"
        where = plan.document.at(("title",))
        evidence = [Evidence(self.tr(_("«{title}»", title=title)), where.doc.display, where.line)]
        return YES, self.said(YES, _("«{title}»", title=plan.title or plan.id or "?")), evidence

    def answer_plan_last_revised(self):
        found = self.judge.last_revision()
        if found is None:
            return NOT_RECORDED, self.said(NOT_RECORDED), []
        day, evidence = found
        return day.isoformat(), self.tr.date(day), [evidence]

    def answer_plan_revised_last_year(self):
        found = self.judge.last_revision()
        if found is None:
            return NOT_RECORDED, self.said(NOT_RECORDED), []
        day, evidence = found
        within = add(day, parse_duration("P1Y")) >= self.today
        return (YES if within else NO), self.said(YES if within else NO,
                                                  _("last revised {date}", date=day)), [evidence]

    def answer_plan_based_on_ros(self):
        risk = self.plan.risk_analysis
        row = self.duties.get("risk-basis")
        evidence = row.evidence if row else []
        if risk is None or risk.date is None:
            return NOT_RECORDED, self.said(NOT_RECORDED, _("no dated ROS in the plan")), evidence
        found = self.judge.last_revision()
        if found is None:
            return NOT_RECORDED, self.said(NOT_RECORDED, _("no revision of the plan")), evidence
        if found[0] < risk.date:
            return NO, self.said(NO, _("the plan was last revised on {revised}, before the ROS "
                                       "of {date}", revised=found[0], date=risk.date)), evidence
        return YES, self.said(YES, _("revised {revised}, after the ROS of {date}",
                                     revised=found[0], date=risk.date)), evidence

    def answer_plan_minimum_content(self):
        rows = [d for d in self.duties.values() if d.column == "content"]
        if not rows:
            return NOT_RECORDED, self.said(NOT_RECORDED), []
        missing = [d.title for d in rows if d.status == NOT_MET]
        if missing:
            return NO, self.said(NO, _("missing: {topics}", topics=missing)), []
        if any(d.status == NOT_RECORDED for d in rows):
            return NOT_RECORDED, self.said(NOT_RECORDED, _("an annex could not be read")), []
        evidence = [e for d in rows for e in d.evidence[:1]]
        return YES, self.said(YES, _("every topic of § 4 is covered")), evidence

    def answer_exercised_two_years(self):
        dated = [e for e in self.plan.exercises if e.date]
        if not dated:
            return NOT_RECORDED, self.said(NOT_RECORDED, _("no exercise in the plan")), []
        last = max(dated, key=lambda e: e.date)
        evidence = [self.judge.evidence(_("Exercised {date}: {title}", date=last.date,
                                          title=last.title or "?"), last.src, "date",
                                        day=last.date)]
        within = add(last.date, parse_duration("P2Y")) >= self.today
        return (YES if within else NO), self.said(YES if within else NO,
                                                  _("last exercised {date}", date=last.date)), \
            evidence

    def answer_exercises_evaluated(self):
        events = [e for e in self.plan.events if e.date is not None]
        row = self.duties.get("evaluate")
        evidence = row.evidence if row else []
        if not events:
            return NOT_RECORDED, self.said(NOT_RECORDED, _("no exercise or incident")), evidence
        waiting = [e for e in events if e.evaluated is None]
        if waiting:
            return NO, self.said(NO, _("{n} of {total} not evaluated", n=len(waiting),
                                       total=len(events))), evidence
        return YES, self.said(YES, _("all {total} evaluated", total=len(events))), evidence


def answers(judge: Judge, duties: list[DutyRow], today: date, tr: Translator
            ) -> list[SurveyAnswer] | None:
    """The survey's questions answered for one plan; None when its jurisdiction has no survey."""
    survey = judge.jurisdiction.data.get("survey")
    if not survey:
        return None
    asker = Survey(judge, duties, today, tr)
    return [asker.answer(q) for q in survey.get("questions") or ()]

