"""An appeal seen by the three people in it: the banned person files it from the link in their
notice (on a phone, in German), legal counsel finds it eligible on the case page, and a
committee member reads the redacted file and votes. Screenshots go to var/screenshots/appeal*.png."""

from pathlib import Path
from typing import Any

import pytest

from safetydesk.accounts.roles import Role
from safetydesk.appeals.models import Appeal, CommitteeMember
from safetydesk.appeals.tests.factory import REPORTER, add_evidence, appeal_token, banned_case
from safetydesk.cases.actions import do_transition
from safetydesk.enforcement.actions import do_carry_out, do_confirm_by_hand
from safetydesk.lib.testing import make_staff, smtp_sink
from tests.browser.signin import role_groups, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_appellant_files_legal_finds_it_eligible_and_a_member_votes(
    live_server: Any, browser_context: Any, screenshots_dir: Path, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    settings.CRC_PANEL_SIZE = 1
    role_groups()
    staff = make_staff("sam", Role.SPECIALIST, display_name="Sam Specialist")
    legal = make_staff("lee", Role.LEGAL_COUNSEL, display_name="Lee Legal")
    volunteer = make_staff("juniper", Role.CRC_MEMBER)
    CommitteeMember.objects.create(user=volunteer, pseudonym="Juniper", real_identity="J. Doe")
    director = make_staff("dan", Role.DIRECTOR)
    with smtp_sink():
        ban = banned_case("Berlin Banned", director)
        add_evidence(ban.case, staff)
        [execution] = do_carry_out(office_action=ban, acting_user=staff)
        do_confirm_by_hand(execution=execution, acting_user=staff, note="Locked on Meta by hand.")
        token = appeal_token(ban)

        phone = browser_context.browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
        try:
            page = phone.new_page()
            page.goto(f"{live_server.url}/appeal/{token}/")
            assert page.locator("html").get_attribute("lang") == "de"  # the notice's language
            page.get_by_label("Warum sollte die Entscheidung überprüft werden?").fill(
                "Mein Konto wurde gehackt; die Bearbeitungen stammen nicht von mir."
            )
            page.screenshot(path=str(screenshots_dir / "appeal-form-de.png"), full_page=True, animations="disabled")
            page.get_by_role("button").last.click()
            page.wait_for_selector(".reference-number")
            reference = page.locator(".reference-number").inner_text()
        finally:
            phone.close()
        appeal = Appeal.objects.get(case__reference=reference)
        do_transition(case=appeal.case, transition="acknowledge", acting_user=staff)

        case_url = f"{live_server.url}/cases/{reference}/"
        page = signed_in_page(browser_context, case_url, legal)
        page.get_by_label("Eligible: prepare the case file for a panel").check()
        page.get_by_role("button", name="Record and tell the appellant").click()
        page.wait_for_url(f"{case_url}#appeal")
        assert "Found eligible" in page.locator(".messages").inner_text()
        page.get_by_role("button", name="Prepare and freeze the case file").click()
        page.wait_for_url(f"{case_url}#appeal")
        page.get_by_role("button", name="Draw a panel of 1").click()
        page.wait_for_url(f"{case_url}#appeal")
        page.locator("#appeal").screenshot(path=str(screenshots_dir / "appeal-panel.png"), animations="disabled")

        member = browser_context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        try:
            view = signed_in_page(member, f"{live_server.url}/crc/", volunteer)
            view.get_by_role("link", name=reference).click()
            assert REPORTER not in view.content()
            view.screenshot(path=str(screenshots_dir / "appeal-case-file.png"), full_page=True, animations="disabled")
            view.get_by_label("Overturned").check()
            view.get_by_label("Your reasons").fill("The edits came from another network; the file shows no link.")
            view.get_by_role("button", name="Cast the vote").click()
            assert "Your vote is recorded" in view.locator(".messages").inner_text()
        finally:
            member.close()
    appeal.refresh_from_db()
    assert appeal.outcome == "overturned"
    assert browser_context.console_errors == []
