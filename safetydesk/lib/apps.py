from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class LibConfig(AppConfig):
    name = "safetydesk.lib"
    label = "lib"
    verbose_name = "Safetydesk library"

    def ready(self) -> None:
        # Each app registers its periodic jobs (lib.periodic.every) in <app>/jobs.py.
        autodiscover_modules("jobs")
