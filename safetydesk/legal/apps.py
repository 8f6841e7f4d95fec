from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "safetydesk.legal"
    label = "legal"
    verbose_name = "Legal: DMCA, requests for user data, foreign legal demands"

    def ready(self) -> None:
        from safetydesk.console.presenters import register_timeline_kind
        from safetydesk.legal import workflows  # noqa: F401  (registers the DMCA track)
        from safetydesk.legal.presenters import CASE_EVENT_LEGAL, describe_legal

        register_timeline_kind(CASE_EVENT_LEGAL, describe_legal)
        from safetydesk.enforcement.actions import AFTER_ENFORCED
        from safetydesk.legal.dmca import on_restoration_done

        if on_restoration_done not in AFTER_ENFORCED:
            AFTER_ENFORCED.append(on_restoration_done)
