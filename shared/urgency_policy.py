"""How much sooner an urgent document (văn bản khẩn) is due: the policy of the organisation file.

A document's độ khẩn (:class:`shared.events_exchange.Urgency`, from the edXML ``Priority``) caps its
deadlines, counted from reception: the acknowledgement (hạn tiếp nhận) within a number of *working
hours* and the handling (hạn xử lý) within a number of *working days*. A cap only shortens: a deadline
the letter states, or one counted otherwise (document type, meeting), still wins when it is earlier.
Part of the organisation file (``handling.urgency``), read by :mod:`shared.organisation` only.

Defaults (each level overridable on its own in the organisation file):

============  =======================  ======================
level         acknowledge within       handle within
============  =======================  ======================
hỏa tốc       2 working hours          1 working day
thượng khẩn   4 working hours          2 working days
khẩn          8 working hours          3 working days
============  =======================  ======================

Working hours run from :attr:`UrgencyPolicy.office_opens` to the organisation's ``closing_time`` on
working days; working days are counted as everywhere else (:mod:`shared.workdays`).
"""

from __future__ import annotations

from datetime import time

from pydantic import BaseModel, ConfigDict, Field


class UrgencyDeadlines(BaseModel):
    """The caps of one urgency level, counted from reception."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    acknowledge_hours: int = Field(ge=0, le=200, description="Hạn tiếp nhận, in working hours.")
    handle_days: int = Field(ge=0, le=60, description="Hạn xử lý, in working days (0: same day).")


class UrgencyPolicy(BaseModel):
    """The caps per urgency level (thường has none), and the office hours they are counted in."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    urgent: UrgencyDeadlines = Field(
        default=UrgencyDeadlines(acknowledge_hours=8, handle_days=3), description="Khẩn.")
    very_urgent: UrgencyDeadlines = Field(
        default=UrgencyDeadlines(acknowledge_hours=4, handle_days=2), description="Thượng khẩn.")
    express: UrgencyDeadlines = Field(
        default=UrgencyDeadlines(acknowledge_hours=2, handle_days=1), description="Hỏa tốc.")
    office_opens: time = Field(
        default=time(7, 30), description="Start of the office day: working hours run from here "
                                         "to closing_time.")

    def caps(self, urgency: str | None) -> UrgencyDeadlines | None:
        """The caps of an urgency value ('urgent', 'very_urgent', 'express'); None for 'normal',
        none stated, or an unknown value."""
        if urgency in ("urgent", "very_urgent", "express"):
            caps: UrgencyDeadlines = getattr(self, urgency)
            return caps
        return None
