"""The investigation panel's forms and the accounts look-up; mounted at /investigations/."""

from django.urls import path

from safetydesk.investigations import views

app_name = "investigations"
urlpatterns = [
    path("cases/<str:reference>/related/", views.link_case, name="link_case"),
    path("cases/<str:reference>/alternates/", views.add_alternate, name="add_alternate"),
    path("cases/<str:reference>/warnings/", views.record_warning, name="record_warning"),
    path("cases/<str:reference>/report/", views.save_report, name="save_report"),
    path("cases/<str:reference>/accounts/", views.accounts, name="accounts"),
    path("cases/<str:reference>/evidence/", views.capture_evidence, name="capture_evidence"),
]
