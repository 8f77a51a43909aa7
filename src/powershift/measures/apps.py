from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "powershift.measures"
    label = "measures"
