from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "powershift.support"
    label = "support"
