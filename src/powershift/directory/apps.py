from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "powershift.directory"
    label = "directory"
    verbose_name = _("Community directory")

    def ready(self) -> None:
        from powershift.directory import permissions, privacy  # noqa: F401  registers rules and hooks
