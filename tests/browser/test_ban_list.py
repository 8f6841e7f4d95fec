"""A reader opens the public list of Foundation global bans, switches it to German and follows
the JSON feed; it reads on a phone in Arabic too. Screenshots go to var/screenshots/bans-*.png."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.enforcement.models import ActionStatus, ActionType, OfficeAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def shot(page: Any, directory: Path, name: str) -> None:
    page.screenshot(path=str(directory / f"bans-{name}.png"), full_page=True, animations="disabled")


def test_the_ban_list_reads_in_two_languages_and_as_data(
    live_server: Any, browser_context: Any, screenshots_dir: Path
) -> None:
    case = do_create_case(acting_user=None, title="Threats against an organiser", kind=CaseKind.OFFICE_ACTION)
    for days, name in ((3, "Lambda Vandal"), (40, "Ürsula Troll"), (400, "ليلى")):
        OfficeAction.objects.create(
            case=case, action_type=ActionType.FOUNDATION_GLOBAL_BAN, target=name, status=ActionStatus.ENFORCED,
            enforced_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC) - dt.timedelta(days=days),
        )  # fmt: skip

    page = browser_context.new_page()
    page.goto(f"{live_server.url}/bans/")
    rows = page.locator(".ban-list tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).inner_text().split("\t") == ["Lambda Vandal", "2026-11-28"]
    assert "Threats" not in page.content()
    shot(page, screenshots_dir, "en")

    page.locator("#language-select").select_option("de")
    page.locator(".language-menu button").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Globale Sperren der Foundation"
    assert page.locator(".lede").inner_text() == "Gesperrt durch: Wikimedia Foundation"
    assert page.locator("th").all_inner_texts() == ["Benutzerkonto", "Datum der Sperre (UTC)"]
    shot(page, screenshots_dir, "de")
    assert browser_context.console_errors == []

    # (A raw JSON document has no icon link: the browser's own /favicon.ico request 404s.)
    page.get_by_role("link", name="JSON").click()
    data = json.loads(page.locator("body").inner_text())
    assert [ban["account"] for ban in data["bans"]] == ["Lambda Vandal", "Ürsula Troll", "ليلى"]

    phone = browser_context.browser.new_context(viewport={"width": 390, "height": 844}, locale="ar")
    small = phone.new_page()
    small.set_extra_http_headers({"Accept-Language": "ar"})
    small.goto(f"{live_server.url}/bans/")
    assert small.locator("html").get_attribute("dir") == "rtl"
    assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(small, screenshots_dir, "ar-phone")
    phone.close()
