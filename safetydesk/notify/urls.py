"""Message templates in the staff console, for administrators; mounted at /notify/."""

from django.urls import path

from safetydesk.notify import views

app_name = "notify"
urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/<slug:key>/<slug:language>/", views.template_edit, name="template_edit"),
    path("templates/<slug:key>/<slug:language>/reset/", views.template_reset, name="template_reset"),
]
