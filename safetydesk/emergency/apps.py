from django.apps import AppConfig


class EmergencyConfig(AppConfig):
    name = "safetydesk.emergency"
    label = "emergency"
    verbose_name = "Emergencies"
