from django.apps import AppConfig


class InvestigationsConfig(AppConfig):
    name = "safetydesk.investigations"
    label = "investigations"
    verbose_name = "Office-action investigations"

    def ready(self) -> None:
        from safetydesk.console.presenters import register_timeline_kind
        from safetydesk.investigations.presenters import CASE_EVENT_INVESTIGATION, describe_investigation

        register_timeline_kind(CASE_EVENT_INVESTIGATION, describe_investigation)
