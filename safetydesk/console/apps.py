from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "safetydesk.console"
    label = "console"

    def ready(self) -> None:
        # How the emergency and oncall apps' timeline rows read; see console/timeline_kinds.py.
        from safetydesk.console import timeline_kinds

        timeline_kinds.register()
