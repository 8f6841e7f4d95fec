"""A request for user data in the console: legal counsel logs a civil subpoena on the case
page's Legal process panel and reviews it as overbroad. Screenshot: var/screenshots/legal-process.png."""

from pathlib import Path
from typing import Any

import pytest

from safetydesk.cases.models import CaseKind
from safetydesk.legal.models import UserDataRequest
from safetydesk.lib.testing import smtp_sink
from tests.browser.legal_case import acknowledged_by_counsel
from tests.browser.signin import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_legal_counsel_logs_and_reviews_a_subpoena(
    live_server: Any, browser_context: Any, screenshots_dir: Path, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    case, legal = acknowledged_by_counsel("Subpoena for account data", CaseKind.LEGAL_REQUEST)

    case_url = f"{live_server.url}/cases/{case.reference}/"
    page = signed_in_page(browser_context, case_url, legal)
    page.get_by_text("Log a request for user data…").click()
    page.get_by_label("Request type").select_option("civil_subpoena")
    page.get_by_label("Requester", exact=True).fill("Pat Plaintiff")
    page.get_by_label("Requester's email (for letters)").fill("counsel@lawfirm.example")
    page.get_by_label("Court", exact=True).fill("N.D. Cal.")
    page.get_by_label("Accounts named (one per line)").fill("Named Editor")
    page.get_by_label("IP addresses").check()
    page.get_by_label("Email addresses").check()
    page.get_by_role("button", name="Log the request").click()
    page.wait_for_url(f"{case_url}#legal-process")
    assert "sufficiency review" in page.locator(".messages").inner_text()

    page.get_by_label("Legal sufficiency").select_option("overbroad")
    page.get_by_label("Explanation (goes in the pushback letter)").fill("Name the dates and the pages concerned.")
    with smtp_sink():
        page.get_by_role("button", name="Record the review").click()
        page.wait_for_url(f"{case_url}#legal-process")
    assert "Overbroad" in page.locator(".messages").inner_text()
    page.locator("#legal-process").screenshot(path=str(screenshots_dir / "legal-process.png"), animations="disabled")
    assert UserDataRequest.objects.get().outcome == "overbroad"
    assert browser_context.console_errors == []
