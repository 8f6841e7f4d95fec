"""A specialist's first minutes: sign in with password and TOTP code, open the queue, open a
case, acknowledge it, and see it on the timeline. Screenshots go to var/screenshots/."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import PartyData, do_add_note, do_assign_case, do_capture_evidence, do_create_case
from safetydesk.cases.models import Case, Confidentiality, Priority
from safetydesk.lib.testing import make_staff
from tests.browser.signin import authenticator, role_groups, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]



def open_cases(specialist: Any, manager: Any) -> Case:
    """A realistic morning queue; returns the P0 case the journey works on."""
    now = timezone.now()
    case = do_create_case(
        acting_user=specialist,
        title="Threat against a dewiki administrator",
        summary="A user posted a threat to harm an administrator after a block.\nReported through the web form.",
        priority=Priority.P0,
        language="de",
        projects=["dewiki"],
        intake_channel="web",
        parties=[PartyData(role="reporter", wiki_username="Beobachter", language="de")],
        opened_at=now - dt.timedelta(hours=3),
    )
    do_capture_evidence(
        case=case, acting_user=specialist, kind="diff",
        permalink="https://de.wikipedia.org/w/index.php?diff=241000001&oldid=241000000", content="the threat",
        description="The threatening edit",
    )
    do_add_note(case=case, acting_user=specialist, body="Checked the account: two days old, no other edits.")
    others = [
        ("Coordinated edits on election articles", Priority.P1, "en", None, 1),
        ("Doxxing of an editor on jawiki", Priority.P1, "ja", manager, 12),
        ("Harassment at an edit-a-thon", Priority.P2, "fr", specialist, 4),
        ("Sockpuppet ring promoting a company", Priority.P2, "en", None, 6),
        ("Copyright complaint about a photo", Priority.P3, "es", None, 2),
        ("Question about a global ban", Priority.P3, "en", manager, 40),
    ]
    for title, priority, language, lead, days in others:
        other = do_create_case(
            acting_user=specialist, title=title, priority=priority, language=language,
            opened_at=now - dt.timedelta(days=days),
        )
        if lead is not None:
            do_assign_case(case=other, acting_user=specialist, lead=lead)
    do_create_case(
        acting_user=specialist, title="Restricted: reported image", confidentiality=Confidentiality.RESTRICTED,
        priority=Priority.P1, opened_at=now - dt.timedelta(days=1),
    )
    return case


def test_it_signs_in_acknowledges_a_case_and_shows_it_on_the_timeline(
    live_server: Any, browser_context: Any, screenshots_dir: Path, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    role_groups()
    specialist = make_staff("sam", Role.SPECIALIST, display_name="Sam Specialist", languages=["en", "de"])
    manager = make_staff("mia", Role.MANAGER, display_name="Mia Manager")
    device = authenticator(specialist)
    case = open_cases(specialist, manager)

    page = browser_context.new_page()
    page.goto(f"{live_server.url}/queue/")

    # Sign in: password, then the code from the authenticator app.
    assert "/accounts/login/" in page.url
    sign_in(page, "sam", device, back_to=f"{live_server.url}/queue/")

    # The queue: highest priority first, our P0 case on top, overdue rows marked in words.
    rows = page.locator("table.cases tbody tr")
    assert rows.count() == 8
    assert rows.first.locator("a.ref").inner_text() == case.reference
    assert page.locator("tr.is-overdue .flag-overdue").first.inner_text().strip().endswith("Overdue")
    page.screenshot(path=str(screenshots_dir / "journey-queue.png"), full_page=True, animations="disabled")

    # The keyboard: ? opens the help, Esc closes it; j selects the first row and Enter opens it.
    page.keyboard.press("?")
    assert page.locator("#shortcut-help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcut-help").is_visible()
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.textContent") == case.reference
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/cases/{case.reference}/")

    # The case page offers Acknowledge; taking it moves the state and adds a timeline row.
    assert page.get_by_role("heading", level=1).inner_text().startswith(case.reference)
    page.get_by_role("button", name="Acknowledge", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text().strip() == f"Acknowledge: {case.reference} is now “Acknowledged”."
    latest = page.locator(".timeline > li").first
    assert latest.locator(".tl-title").inner_text() == "Acknowledge"
    assert latest.locator(".tl-states").inner_text().split()[-1] == "Acknowledged"
    assert "Sam Specialist" in latest.locator(".tl-meta").inner_text()
    assert Case.objects.get(pk=case.pk).state == "ACKNOWLEDGED"

    page.screenshot(path=str(screenshots_dir / "journey-case.png"), full_page=True, animations="disabled")
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(screenshots_dir / "journey-case-dark.png"), full_page=True, animations="disabled")

    page.emulate_media(color_scheme="light")

    # g d: the dashboard, where the case (no lead yet) is under Unassigned. Then / and its
    # reference lead straight back to it.
    page.keyboard.press("g")
    page.keyboard.press("d")
    page.wait_for_url(f"{live_server.url}/")
    assert case.reference in page.locator("section", has=page.locator("#unassigned-h")).inner_text()
    page.screenshot(path=str(screenshots_dir / "journey-dashboard.png"), full_page=True, animations="disabled")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "global-search"
    page.keyboard.type(case.reference.lower())
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/cases/{case.reference}/")

    assert browser_context.console_errors == []
