from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "safetydesk.enforcement"
    label = "enforcement"
    verbose_name = "Office actions and their enforcement"
