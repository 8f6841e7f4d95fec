"""The committee member's pages and the public tally, mounted at /crc/; the appeal form at
/appeal/ (public_patterns)."""

from django.urls import path

from safetydesk.appeals import member_views, public_views

app_name = "crc"
urlpatterns = [
    path("", member_views.my_panels, name="panels"),
    path("seats/<int:seat_id>/", member_views.seat_file, name="seat"),
    path("seats/<int:seat_id>/vote/", member_views.vote, name="vote"),
    path("seats/<int:seat_id>/conflict/", member_views.declare_conflict, name="conflict"),
    path("tally/", member_views.public_tally, name="tally"),
    path("tally.json", member_views.public_tally_json, name="tally_json"),
]
public_patterns = [path("<str:token>/", public_views.appeal_form, name="appeal_form")]
