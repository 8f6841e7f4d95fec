"""The restricted event-ban list: a specialist adds an event, shares the list with its
organisers, and an organiser opens it with the link and code (in German here, their browser's
language). Screenshots go to var/screenshots/event-bans*.png."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import CaseKind, PartyRole
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionType, EventBanScope, EventListShare, OfficeAction
from safetydesk.lib.testing import make_staff
from tests.browser.signin import role_groups, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_specialist_shares_the_list_and_an_organiser_opens_it(
    live_server: Any, browser_context: Any, screenshots_dir: Path, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    role_groups()
    specialist = make_staff("sam", Role.SPECIALIST, display_name="Sam Specialist")
    case = do_create_case(
        acting_user=None, title="Misconduct at two conferences", kind=CaseKind.OFFICE_ACTION,
        parties=[PartyData(role=PartyRole.SUBJECT, wiki_username="Meetup Menace", real_name="Mario Menace")],
    )  # fmt: skip
    ban = OfficeAction.objects.create(
        case=case, action_type=ActionType.FOUNDATION_EVENT_BAN, target="Meetup Menace",
        scope=EventBanScope.ALL_FUNDED, decided_by=specialist,
    )  # fmt: skip
    do_carry_out(office_action=ban, acting_user=specialist)

    page = signed_in_page(browser_context, f"{live_server.url}/event-bans/", specialist)
    assert "Mario Menace" in page.locator("table").first.inner_text()

    start = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_label("Event", exact=True).fill("WikiCon Europe")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Last day").fill((start + dt.timedelta(days=2)).isoformat())
    page.get_by_label("Place").fill("Lisbon")
    page.get_by_role("button", name="Add the event").click()
    page.wait_for_url(f"{live_server.url}/event-bans/")
    assert page.locator(".messages").inner_text().strip() == "WikiCon Europe was added."
    page.screenshot(path=str(screenshots_dir / "event-bans.png"), full_page=True, animations="disabled")

    page.get_by_text("Share the list with this event's organisers…").click()
    page.get_by_label("Organisers who may see the list").fill("Olga Organiser <olga@example.org>")
    page.get_by_label("NDA or grant agreement").fill("Grant G-2027-114, confidentiality clause 9")
    page.get_by_role("button", name="Share", exact=True).click()
    page.wait_for_url(re.compile(r".*/event-bans/events/\d+/share/"))
    link = page.locator("dt:has-text('Link') + dd code").inner_text()
    code = page.locator("dt:has-text('Access code') + dd code").inner_text()
    page.screenshot(path=str(screenshots_dir / "event-bans-shared.png"), animations="disabled")
    assert EventListShare.objects.get().views == 0

    organiser = browser_context.browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    try:
        view = organiser.new_page()
        view.goto(link)
        assert "Mario Menace" not in view.content()
        view.get_by_label("Zugangscode").fill(code)
        view.get_by_role("button", name="Liste öffnen").click()
        assert "Mario Menace" in view.locator("table").inner_text()
        assert "Misconduct" not in view.content()
        shot = screenshots_dir / "event-bans-organiser-de.png"
        view.screenshot(path=str(shot), full_page=True, animations="disabled")
    finally:
        organiser.close()
    assert EventListShare.objects.get().views == 1
    assert browser_context.console_errors == []
