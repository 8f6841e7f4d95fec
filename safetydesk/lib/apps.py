from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "safetydesk.lib"
    label = "lib"
    verbose_name = "Safetydesk library"
