from django.urls import path

from safetydesk.console import health, views

app_name = "console"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("queue/", views.queue, name="queue"),
    path("search/", views.search, name="search"),
    path("cases/<str:reference>/", views.case_detail, name="case"),
    path("cases/<str:reference>/transition/<slug:name>/", views.case_transition, name="case_transition"),
    path("cases/<str:reference>/notes/", views.case_note, name="case_note"),
    path("cases/<str:reference>/assignment/", views.case_assign, name="case_assign"),
    path("cases/<str:reference>/members/", views.case_member, name="case_member"),
]
