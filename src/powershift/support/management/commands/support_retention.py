"""`powershift manage support_retention`: erase support records discharged longer ago than
SUPPORT_RETENTION_DAYS (six years by default). Run it daily, for example from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from powershift.support import actions


class Command(BaseCommand):
    help = "Erase support records discharged longer ago than the retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = actions.apply_retention()
        self.stdout.write(f"{erased} support records erased after the retention period")
