"""A DMCA notice in the console: legal counsel records it on the case page's DMCA panel (the six
elements, with where each is in the notice), grants it, and the public archive shows it without
the claimant's contact data. Screenshots: var/screenshots/dmca-*.png."""

from pathlib import Path
from typing import Any

import pytest

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import do_transition
from safetydesk.cases.models import CaseKind
from safetydesk.legal.models import NoticeElement
from safetydesk.lib.testing import make_staff, smtp_sink
from tests.browser.legal_case import acknowledged_by_counsel
from tests.browser.signin import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
URL = "https://commons.wikimedia.org/wiki/File:Harbour_at_dusk.jpg"


def test_legal_counsel_records_and_grants_a_notice(
    live_server: Any, browser_context: Any, screenshots_dir: Path, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    case, legal = acknowledged_by_counsel("DMCA takedown notice: harbour photograph", CaseKind.DMCA)
    director = make_staff("dan", Role.DIRECTOR, display_name="Dan Director")

    case_url = f"{live_server.url}/cases/{case.reference}/"
    page = signed_in_page(browser_context, case_url, legal)
    page.get_by_label("Claimant (person who signed)", exact=True).fill("Hana Holder")
    page.get_by_label("Organisation (public in the archive)").fill("Harbour Pictures Ltd")
    page.get_by_label("Contact: address, telephone (never published)").fill("1 Quay Street, Portsmouth")
    page.get_by_label("Copyrighted work", exact=True).fill("Photograph “Harbour at dusk”")
    page.get_by_label("Exact URLs of the material (one per line; searches are refused)").fill(URL)
    for _key, label in NoticeElement.choices:
        page.get_by_label(str(label), exact=True).check()
    page.get_by_label("Uploader's account").fill("Harbour Fan")
    page.locator("#dmca").screenshot(path=str(screenshots_dir / "dmca-record.png"), animations="disabled")
    page.get_by_role("button", name="Record and check").click()
    page.wait_for_url(f"{case_url}#dmca")
    assert "complete" in page.locator(".messages").inner_text()

    do_transition(case=case, transition="team_review", acting_user=director, data={"team_note": "Exact URL."})
    page.goto(case_url)
    page.get_by_label("Grant: take the material down").check()
    with smtp_sink():
        page.get_by_role("button", name="Decide").click()
        page.wait_for_url(f"{case_url}#dmca")
    assert "Granted" in page.locator(".messages").inner_text()
    page.locator("#dmca").screenshot(path=str(screenshots_dir / "dmca-granted.png"), animations="disabled")

    public = browser_context.browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    try:
        view = public.new_page()
        view.goto(f"{live_server.url}/dmca/")
        assert "Harbour Pictures Ltd" in view.content()
        view.get_by_role("link", name=case.reference).click()
        assert URL in view.content()
        assert "Quay Street" not in view.content()
        assert "Hana Holder" not in view.content()
        view.screenshot(path=str(screenshots_dir / "dmca-archive.png"), full_page=True, animations="disabled")
    finally:
        public.close()
    assert browser_context.console_errors == []
