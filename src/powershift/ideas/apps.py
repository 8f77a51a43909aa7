from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "powershift.ideas"
    label = "ideas"
    verbose_name = _("Ideas Shop")

    def ready(self) -> None:
        from powershift.ideas import permissions, privacy  # noqa: F401  registers rules and hooks
