from django.urls import path

from safetydesk.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.verify_view, name="verify"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.totp_setup_view, name="totp_setup"),
    path("sudo/", views.sudo_view, name="sudo"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/language/", views.language_view, name="language"),
    path("tokens/", views.tokens_view, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
]
