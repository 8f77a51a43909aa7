from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "powershift.budgets"
    label = "budgets"
    verbose_name = _("Budgets and grants")

    def ready(self) -> None:
        from powershift.budgets import permissions, privacy  # noqa: F401  registers rules and hooks
