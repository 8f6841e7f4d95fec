"""The wiki farm registry in the console; mounted at /wikis/."""

from django.urls import path

from safetydesk.wiki import views

app_name = "wikis"
urlpatterns = [
    path("", views.wiki_list, name="list"),
    path("add/", views.wiki_add, name="add"),
    path("<slug:name>/check/", views.wiki_check, name="check"),
]
