from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safetydesk.audit"
    label = "audit"
