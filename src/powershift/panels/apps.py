from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "powershift.panels"
    label = "panels"
