from django.apps import AppConfig


class CadenceConfig(AppConfig):
    name = "cadence"
    verbose_name = "Meetings and decisions"
