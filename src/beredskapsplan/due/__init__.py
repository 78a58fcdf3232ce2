"""`beredskap due`: every deadline a municipality must meet, with its source."""
from .compute import STATUSES, Deadline, deadlines_for_plan  # noqa: F401
