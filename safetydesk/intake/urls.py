"""Public intake routes, mounted at /report/ (no login)."""

from django.urls import path

from safetydesk.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.report, name="report"),
    path("done/", views.report_done, name="report_done"),
]
