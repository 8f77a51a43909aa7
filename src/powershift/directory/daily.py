"""The directory's daily job: ask owners to confirm listings nobody has confirmed for 6 months."""

from __future__ import annotations

import datetime as dt

from powershift.core.daily import daily_job
from powershift.directory import actions


@daily_job("directory.nudge_stale")
def nudge_stale(today: dt.date) -> str:
    return f"{len(actions.nudge_stale(today))} listings' owners asked to confirm them"
