from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "powershift.directory"
    label = "directory"
