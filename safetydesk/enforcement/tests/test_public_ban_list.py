"""The public list of Foundation global bans: the account and the date, nothing else."""

import datetime as dt

from django.test import TestCase

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.enforcement.models import ActionStatus, ActionType, OfficeAction
from safetydesk.lib.testing import make_staff

BANNED_AT = dt.datetime(2026, 3, 4, 23, 30, tzinfo=dt.UTC)


class PublicBanListTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        director = make_staff("dora", "director", display_name="Dora Director")
        case = do_create_case(acting_user=None, title="Doxxing of an admin across wikis", kind=CaseKind.OFFICE_ACTION)

        def action(target: str, action_type: str, status: str, enforced_at: dt.datetime | None = None) -> None:
            OfficeAction.objects.create(
                case=case, action_type=action_type, target=target, status=status, decided_by=director,
                enforced_at=enforced_at,
            )  # fmt: skip

        action("Banned One", ActionType.FOUNDATION_GLOBAL_BAN, ActionStatus.ENFORCED, BANNED_AT)
        a_month_before = BANNED_AT - dt.timedelta(days=30)
        action("=HYPERLINK(x)", ActionType.FOUNDATION_GLOBAL_BAN, ActionStatus.ENFORCED, a_month_before)
        action("Not Yet", ActionType.FOUNDATION_GLOBAL_BAN, ActionStatus.ENFORCING)
        action("Decided Only", ActionType.FOUNDATION_GLOBAL_BAN, ActionStatus.APPROVED)
        action("Event Banned", ActionType.FOUNDATION_EVENT_BAN, ActionStatus.ENFORCED, BANNED_AT)
        action("Warned", ActionType.CONDUCT_WARNING, ActionStatus.ENFORCED, BANNED_AT)

    def test_the_page_shows_each_enforced_global_ban_with_its_date_and_nothing_else(self) -> None:
        response = self.client.get("/bans/")
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=300"
        page = response.content.decode()
        assert "Banned One" in page
        assert '<time datetime="2026-03-04">2026-03-04</time>' in page
        assert "=HYPERLINK(x)" in page  # escaped by the template, shown as written
        for private in ("Doxxing", "Dora", "Not Yet", "Decided Only", "Event Banned", "Warned"):
            assert private not in page, private
        assert page.index("Banned One") < page.index("=HYPERLINK(x)")  # newest first

    def test_the_feeds_carry_only_the_account_and_the_date(self) -> None:
        data = self.client.get("/bans/feed.json").json()
        assert data == {
            "banned_by": "Wikimedia Foundation",
            "bans": [
                {"account": "Banned One", "banned_on": "2026-03-04"},
                {"account": "=HYPERLINK(x)", "banned_on": "2026-02-02"},
            ],
        }
        csv = self.client.get("/bans/feed.csv")
        assert csv["Content-Type"] == "text/csv; charset=utf-8"
        assert csv.content.decode().splitlines() == [
            "account,banned_on",
            "Banned One,2026-03-04",
            "'=HYPERLINK(x),2026-02-02",  # never a formula in a spreadsheet
        ]

    def test_it_is_in_the_readers_language(self) -> None:
        page = self.client.get("/bans/", headers={"accept-language": "es"}).content.decode()
        assert '<html lang="es"' in page
        assert "<h1>Vetos globales de la Fundación</h1>" in page
        assert "Veto impuesto por: Wikimedia Foundation" in page
        assert "Banned One" in page

    def test_it_only_answers_reading(self) -> None:
        assert self.client.post("/bans/").status_code == 405
