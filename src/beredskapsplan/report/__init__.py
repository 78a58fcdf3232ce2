"""`beredskap report`: the auditor's view of one plan or of many.

For one plan: every duty of its jurisdiction with its legal source, status
(met, not met, not recorded) and the evidence (a date and the `file:line` it
comes from), the documents table, and for Norwegian plans the answers to
DSB's yearly survey. For many plans: one overview of municipalities × duties.
The statuses come from the code of `due` and `validate`, never computed anew.
"""
from .model import MET, NOT_MET, NOT_RECORDED, STATUSES, PlanReport  # noqa: F401
from .run import Overview, collect, plan_report  # noqa: F401
