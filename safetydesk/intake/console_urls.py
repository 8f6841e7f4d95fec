"""Intake pages of the staff console, mounted at /intake/ (namespace "intake_console")."""

from django.urls import path

from safetydesk.intake import console_views

app_name = "intake_console"
urlpatterns = [
    path("quarantine/", console_views.quarantine, name="quarantine"),
    path("items/<int:item_id>/", console_views.item_detail, name="item"),
    path("items/<int:item_id>/reprocess/", console_views.reprocess, name="reprocess"),
    path(
        "items/<int:item_id>/attachments/<int:attachment_id>/",
        console_views.attachment_download,
        name="attachment",
    ),
]
