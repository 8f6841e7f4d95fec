from django.urls import include, path

from safetydesk.api.urls import api
from safetydesk.appeals.member_urls import public_patterns as appeal_form_patterns
from safetydesk.enforcement.event_ban_urls import organiser_patterns
from safetydesk.legal.urls import archive_patterns as dmca_archive_patterns

urlpatterns = [
    path("accounts/", include("safetydesk.accounts.urls")),
    path("api/v1/", api.urls),
    path("report/", include("safetydesk.intake.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("intake/", include("safetydesk.intake.console_urls")),
    path("notify/", include("safetydesk.notify.urls")),
    path("emergency/", include("safetydesk.emergency.urls")),
    path("oncall/", include("safetydesk.oncall.urls")),
    path("bans/", include("safetydesk.enforcement.urls")),
    path("reviews/", include("safetydesk.reviews.urls")),
    path("investigations/", include("safetydesk.investigations.urls")),
    path("wikis/", include("safetydesk.wiki.urls")),
    path("event-bans/", include("safetydesk.enforcement.event_ban_urls")),
    path("event-list/", include(organiser_patterns)),
    path("appeals/", include("safetydesk.appeals.urls")),
    path("crc/", include("safetydesk.appeals.member_urls")),
    path("appeal/", include(appeal_form_patterns)),
    path("legal/", include("safetydesk.legal.urls")),
    path("dmca/", include(dmca_archive_patterns)),
    path("", include("safetydesk.console.urls")),
]
