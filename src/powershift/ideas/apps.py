from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "powershift.ideas"
    label = "ideas"
