from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "safetydesk.console"
    label = "console"
