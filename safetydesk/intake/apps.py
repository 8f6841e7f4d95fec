from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "safetydesk.intake"
    label = "intake"
