from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "powershift.measures"
    label = "measures"
    verbose_name = _("Measures and stories")

    def ready(self) -> None:
        from powershift.measures import permissions, privacy  # noqa: F401  registers rules and hooks
