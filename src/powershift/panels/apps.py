from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PanelsConfig(AppConfig):
    name = "powershift.panels"
    label = "panels"
    verbose_name = _("Citizens' panels")

    def ready(self) -> None:
        from powershift.panels import permissions, privacy  # noqa: F401  registers rules and hooks
