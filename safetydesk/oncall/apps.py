from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "safetydesk.oncall"
    label = "oncall"
    verbose_name = "On call and paging"
