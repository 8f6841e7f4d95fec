from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "safetydesk.notify"
    label = "notify"
    verbose_name = "Notices to parties"
