"""The emergency board, the rota and page acknowledgement; mounted at /oncall/."""

from django.urls import path

from safetydesk.oncall import views

app_name = "oncall"
urlpatterns = [
    path("", views.board, name="board"),
    path("rota/", views.rota, name="rota"),
    path("rota/shifts/<int:shift_id>/cancel/", views.shift_cancel, name="shift_cancel"),
    path("rota/shifts/<int:shift_id>/hand-over/", views.shift_hand_over, name="shift_hand_over"),
    path("rota/fallback/", views.fallback_add, name="fallback_add"),
    path("rota/fallback/<int:contact_id>/remove/", views.fallback_remove, name="fallback_remove"),
    path("pages/<int:page_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("alerts/<int:alert_id>/resolve/", views.alert_resolve, name="alert_resolve"),
]
