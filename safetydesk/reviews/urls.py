from django.urls import path

from safetydesk.reviews import views

app_name = "reviews"
urlpatterns = [
    path("cases/<str:reference>/recommendations/", views.recommend, name="recommend"),
    path("cases/<str:reference>/steps/<int:step_id>/", views.sign, name="sign"),
    path("cases/<str:reference>/recommendations/<int:recommendation_id>/decision/", views.decide, name="decide"),
    path("cases/<str:reference>/actions/<int:action_id>/carry-out/", views.carry_out, name="carry_out"),
    path("cases/<str:reference>/executions/<int:execution_id>/confirm/", views.confirm, name="confirm"),
    path("cases/<str:reference>/executions/<int:execution_id>/retry/", views.retry, name="retry"),
    path("cases/<str:reference>/actions/<int:action_id>/evasions/", views.report_evasion, name="report_evasion"),
    path("cases/<str:reference>/evasions/<int:evasion_id>/decision/", views.decide_evasion, name="decide_evasion"),
    path("cases/<str:reference>/ban-reviews/<int:review_id>/check/", views.check_ban, name="check_ban"),
    path("cases/<str:reference>/ban-reviews/<int:review_id>/", views.complete_ban_review, name="complete_ban_review"),
]
