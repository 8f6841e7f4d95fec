"""Public routes, mounted at /bans/ (no login): the list of Foundation global bans."""

from django.urls import path

from safetydesk.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("", views.ban_list, name="ban_list"),
    path("feed.json", views.ban_list_json, name="ban_list_json"),
    path("feed.csv", views.ban_list_csv, name="ban_list_csv"),
]
