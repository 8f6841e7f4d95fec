"""The emergency board in Debian's Chromium: clocks, who is on call, alerts; j selects a case and
"a" acknowledges it; no console errors (the CSP allows only our own script and styles)."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.utils import timezone

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import do_create_case
from safetydesk.lib.testing import TEST_PASSWORD, make_staff
from safetydesk.oncall.actions import do_acknowledge_page, do_add_shift, do_check_rota_gaps
from safetydesk.oncall.models import AlertKind, Level, OncallAlert, Page, PageDelivery
from safetydesk.oncall.paging import open_pages_for_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def test_the_board_shows_clocks_and_acknowledges_from_the_keyboard(
    live_server: Any, browser_page: Any, settings: Any
) -> None:
    settings.REQUIRE_2FA = False
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    oli = make_staff("oli", Role.ONCALL, display_name="Oli Oncall", time_zone="Europe/Berlin")
    kai = make_staff("kai", Role.ONCALL, display_name="Kai Oncall", time_zone="Asia/Tokyo")
    mia = make_staff("mia", Role.MANAGER, display_name="Mia Manager")
    now = timezone.now()
    do_add_shift(
        acting_user=mia,
        user=oli,
        level=Level.PRIMARY,
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=6),
    )
    do_add_shift(
        acting_user=mia,
        user=kai,
        level=Level.PRIMARY,
        starts_at=now + dt.timedelta(hours=6),
        ends_at=now + dt.timedelta(hours=18),
    )
    do_add_shift(
        acting_user=mia,
        user=kai,
        level=Level.SECONDARY,
        starts_at=now - dt.timedelta(hours=2),
        ends_at=now + dt.timedelta(hours=4),
    )

    def emergency(title: str, minutes_ago: int) -> Any:
        with time_machine.travel(now - dt.timedelta(minutes=minutes_ago), tick=False):
            case = do_create_case(acting_user=None, title=title, kind="emergency", priority="P0")
            open_pages_for_case(case)
        return case

    acked = emergency("Self-harm statement on a user page", 50)
    do_acknowledge_page(acting_user=oli, page=Page.objects.get(case=acked))
    late = emergency("Bomb threat against a school", 22)
    emergency("Threat to kill a named editor", 3)
    do_check_rota_gaps()  # the secondary level is empty in 4 hours
    failed = PageDelivery.objects.filter(page__case=late).first()
    assert failed is not None
    PageDelivery.objects.filter(pk=failed.pk).update(status="failed", attempts=6, last_error="HTTP 503")
    OncallAlert.objects.create(kind=AlertKind.CHANNEL_FAILED, delivery=failed, starts_at=now)

    page = browser_page
    page.goto(f"{live_server.url}/oncall/")
    page.get_by_label("Username").fill("oli")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/oncall/")

    rows = page.locator("table.board tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator(".case-ref").inner_text() == late.reference  # oldest unacknowledged first
    assert "NOT ACKNOWLEDGED" in rows.nth(0).inner_text()
    assert "Rota gap" in page.locator(".board-alerts").inner_text()
    assert "HTTP 503" in page.locator(".board-alerts").inner_text()
    assert "Oli Oncall" in page.locator("#oncall-h + table").inner_text()
    screenshots = Path(django_settings.BASE_DIR) / "var" / "screenshots"
    screenshots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshots / "oncall-board.png"), full_page=True, animations="disabled")

    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_load_state()
    assert f"{late.reference} acknowledged" in page.get_by_role("status").inner_text()
    assert page.locator("tr.is-unacked").count() == 1
    page.screenshot(path=str(screenshots / "oncall-board-acknowledged.png"), full_page=True, animations="disabled")

    page.goto(f"{live_server.url}/oncall/rota/")
    page.screenshot(path=str(screenshots / "oncall-rota.png"), full_page=True, animations="disabled")
    assert page.console_errors == []
