from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "powershift.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from powershift.core import permissions, privacy  # noqa: F401  registers rules and hooks
