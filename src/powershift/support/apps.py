from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "powershift.support"
    label = "support"
    verbose_name = _("Support and social prescribing")

    def ready(self) -> None:
        from powershift.support import permissions, privacy  # noqa: F401  registers rules and hooks
