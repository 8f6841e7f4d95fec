"""Staff side of appeals, mounted at /appeals/."""

from django.urls import path

from safetydesk.appeals import views

app_name = "appeals"
urlpatterns = [
    path("committee/", views.roster, name="roster"),
    path("cases/<str:reference>/register/", views.register, name="register"),
    path("cases/<str:reference>/eligibility/", views.eligibility, name="eligibility"),
    path("cases/<str:reference>/case-file/", views.case_file_preview, name="case_file"),
    path("cases/<str:reference>/case-file/prepare/", views.prepare, name="prepare"),
    path("cases/<str:reference>/panel/", views.draw, name="draw"),
    path("cases/<str:reference>/seats/<int:seat_id>/recuse/", views.recuse, name="recuse"),
    path("cases/<str:reference>/lifting/", views.lifting, name="lifting"),
    path("cases/<str:reference>/complaints/<int:complaint_id>/", views.decide_complaint, name="decide_complaint"),
    path("cases/<str:reference>/evidence/<int:evidence_id>/", views.withhold, name="withhold"),
]
