from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "powershift.budgets"
    label = "budgets"
