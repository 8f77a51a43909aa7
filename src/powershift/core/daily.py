"""Jobs that run once a day, registered by each module in its `daily.py` (nudging owners of
listings nobody has confirmed, chasing referrals nobody has answered, ...).

`powershift worker` keeps one `daily_task` queued: it runs every job, then queues itself for
the next morning. `powershift daily` runs them now (for a cron job instead). A job that has
already run today is skipped, so a second worker or a manual run does no harm.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from powershift.core.audit import record

Job = Callable[[dt.date], str]  # does the day's work; returns a one-line summary
JOBS: dict[str, Job] = {}
RUN_AT = dt.time(6, 0)  # local time


def daily_job(name: str) -> Callable[[Job], Job]:
    def register(fn: Job) -> Job:
        JOBS[name] = fn
        return fn

    return register


def run_all(today: dt.date | None = None) -> list[tuple[str, str]]:
    """Run each registered job once for `today`, each in its own transaction: one failing job
    does not stop the others (its error is raised after they have run)."""
    from powershift.core.models import DailyRun

    autodiscover_modules("daily")
    today = today or timezone.localdate()
    done: list[tuple[str, str]] = []
    failed: Exception | None = None
    for name in sorted(JOBS):
        try:
            with transaction.atomic():
                DailyRun.objects.create(job=name, day=today)
                summary = JOBS[name](today)
                record(None, "core.daily", None, f"{name}: {summary}")
        except IntegrityError:
            continue  # already run today
        except Exception as e:  # noqa: BLE001  (the other jobs still run)
            failed = failed or e
            continue
        done.append((name, summary))
    if failed is not None:
        raise failed
    return done


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next RUN_AT, local time."""
    now = timezone.localtime(now)
    at = now.replace(hour=RUN_AT.hour, minute=RUN_AT.minute, second=0, microsecond=0)
    return at if at > now else at + dt.timedelta(days=1)
