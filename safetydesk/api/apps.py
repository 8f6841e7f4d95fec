from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safetydesk.api"
    label = "api"
    verbose_name = "Safetydesk HTTP API"
