from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "safetydesk.reviews"
    label = "reviews"
    verbose_name = "Review of office-action recommendations"

    def ready(self) -> None:
        from safetydesk.console.presenters import register_timeline_kind
        from safetydesk.reviews.presenters import CASE_EVENT_REVIEW, describe_review

        register_timeline_kind(CASE_EVENT_REVIEW, describe_review)
