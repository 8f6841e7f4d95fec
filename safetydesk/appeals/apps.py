from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "safetydesk.appeals"
    label = "appeals"
    verbose_name = "Appeals (Case Review Committee) and DSA complaints"

    def ready(self) -> None:
        from safetydesk.appeals import workflows  # noqa: F401  (registers the appeal track)
        from safetydesk.appeals.presenters import CASE_EVENT_APPEAL, describe_appeal
        from safetydesk.console.presenters import register_timeline_kind

        register_timeline_kind(CASE_EVENT_APPEAL, describe_appeal)
