from django.urls import path

from safetydesk.emergency import views

app_name = "emergency"
urlpatterns = [
    path("counts/", views.counts, name="counts"),
    path("cases/<str:reference>/triage/", views.record_triage, name="triage"),
    path("cases/<str:reference>/location/", views.trace_location, name="location"),
    path("cases/<str:reference>/referrals/", views.refer, name="referral"),
    path("cases/<str:reference>/referrals/acknowledgement/", views.acknowledge_referral, name="acknowledgement"),
    path("cases/<str:reference>/follow-ups/", views.add_follow_up, name="follow_up"),
    path("cases/<str:reference>/investigations/", views.spawn_investigation, name="investigation"),
    path("cases/<str:reference>/disclosures/", views.record_disclosure, name="disclosure"),
    path("cases/<str:reference>/disclosures/confirm/", views.confirm_disclosure, name="confirm"),
    path("cases/<str:reference>/functionary-report/", views.record_functionary_report, name="functionary"),
]
