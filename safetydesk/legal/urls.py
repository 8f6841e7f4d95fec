"""The DMCA panel's forms (mounted at /legal/) and the public archive (archive_patterns, at /dmca/)."""

from django.urls import path

from safetydesk.legal import process_views, views

app_name = "legal"
urlpatterns = [
    path("cases/<str:reference>/dmca/notice/", views.record, name="record"),
    path("cases/<str:reference>/dmca/decision/", views.decide, name="decide"),
    path("cases/<str:reference>/dmca/counter-notices/", views.counter_notice, name="counter_notice"),
    path("cases/<str:reference>/dmca/counter-notices/<int:counter_id>/lawsuit/", views.lawsuit, name="lawsuit"),
    path("cases/<str:reference>/dmca/lumen/", views.submit_to_lumen, name="lumen"),
    path("cases/<str:reference>/dmca/lumen.json", views.lumen_export, name="lumen_export"),
    path("cases/<str:reference>/letters/<int:letter_id>.pdf", views.letter_pdf, name="letter_pdf"),
    path("cases/<str:reference>/user-data/", process_views.log_request, name="log_request"),
    path("cases/<str:reference>/user-data/review/", process_views.review, name="review"),
    path("cases/<str:reference>/user-data/narrowed/", process_views.narrowed, name="narrowed"),
    path("cases/<str:reference>/user-data/notice/", process_views.notify_user, name="notify_user"),
    path("cases/<str:reference>/user-data/production/", process_views.produce, name="produce"),
    path("cases/<str:reference>/user-data/deferred-notice/", process_views.deferred_notice, name="deferred_notice"),
    path("cases/<str:reference>/steps/<slug:name>/", process_views.step, name="step"),
    path("cases/<str:reference>/demand/", process_views.log_demand, name="log_demand"),
    path("cases/<str:reference>/demand/<slug:name>/", process_views.demand_step, name="demand_step"),
    path("applicable-law-log/", process_views.applicable_law_log, name="applicable_law_log"),
]
archive_patterns = (
    [
        path("", views.archive, name="archive"),
        path("<str:reference>/", views.archived_notice, name="notice"),
    ],
    "dmca_archive",
)
