from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CasesConfig(AppConfig):
    name = "safetydesk.cases"
    label = "cases"

    def ready(self) -> None:
        # Every app declares its case kinds' workflows in <app>/workflows.py.
        autodiscover_modules("workflows")
