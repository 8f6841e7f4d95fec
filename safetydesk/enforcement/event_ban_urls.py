"""The restricted event-ban list, mounted at /event-bans/ (staff), and the organisers' page,
mounted at /event-list/ (a share's link and access code)."""

from django.urls import path

from safetydesk.enforcement import event_ban_views as views

app_name = "event_bans"
urlpatterns = [
    path("", views.event_ban_list, name="list"),
    path("events/", views.event_add, name="event_add"),
    path("events/<int:event_id>/share/", views.event_share, name="event_share"),
    path("shares/<int:share_id>/revoke/", views.share_revoke, name="share_revoke"),
    path("<int:ban_id>/events/", views.ban_name_event, name="ban_name_event"),
    path("<int:ban_id>/entry/", views.ban_entry, name="ban_entry"),
]

organiser_patterns = ([path("<str:token>/", views.shared_list, name="shared")], "event_list")
