"""The daily jobs: the worker keeps one queued; each job runs once a day; the directory's job
emails the owners of listings nobody has confirmed for 6 months."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from powershift.cli import main
from powershift.core import daily
from powershift.core.models import AuditEvent, DailyRun
from powershift.core.tasks import daily_task, keep_daily_task_queued
from powershift.directory.models import Service
from tests.directory.test_actions import knit


def test_stale_listings_are_nudged_by_email_once_a_day(directory, capsys, django_capture_on_commit_callbacks):
    s = knit()
    Service.objects.filter(pk=s.pk).update(assured_date=timezone.localdate() - dt.timedelta(days=200))
    stale = Service.objects.filter(assured_date__lt=timezone.localdate() - dt.timedelta(days=182),
                                   merged_into__isnull=True, status="active").count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["daily"]) == 0
    assert f"directory.nudge_stale: {stale} listings' owners asked to confirm them" in capsys.readouterr().out
    s.refresh_from_db()
    assert s.nudged_at is not None
    to_knitters = [m for m in mail.outbox if "leader@riverside.example" in m.to]
    assert len(to_knitters) == 1 and s.name in to_knitters[0].body
    assert set(to_knitters[0].to) == {"leader@riverside.example", "member@riverside.example"}
    assert AuditEvent.objects.filter(action="core.daily", summary__startswith="directory.nudge_stale").count() == 1
    # The same day again (a second worker, or cron as well): nothing runs twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert daily.run_all() == []
    assert mail.outbox == [] and DailyRun.objects.filter(job="directory.nudge_stale").count() == 1
    # The next day it runs again; the listing is not nudged again within 30 days.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert daily.run_all(tomorrow) == [("directory.nudge_stale", "0 listings' owners asked to confirm them")]


def test_a_worker_keeps_exactly_one_daily_task_queued(db):
    keep_daily_task_queued()
    keep_daily_task_queued()  # a second worker starting
    waiting = DBTaskResult.objects.filter(task_path=daily_task.module_path, status="READY")
    assert waiting.count() == 1
    run_after = timezone.localtime(waiting.get().run_after)
    assert (run_after.hour, run_after.minute) == (6, 0) and run_after > timezone.now()
    assert daily.next_run(timezone.make_aware(dt.datetime(2026, 12, 2, 5, 0))).day == 2
    assert daily.next_run(timezone.make_aware(dt.datetime(2026, 12, 2, 7, 0))).day == 3
