"""A director signs their stage of a global-ban recommendation from the case page: the panel
shows the stages in order, who signed and what they said, and takes a dissent with its note.
Screenshots go to var/screenshots/review-*.png."""

from pathlib import Path
from typing import Any

import pytest

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import CaseKind
from safetydesk.investigations.actions import do_save_report
from safetydesk.lib.testing import make_staff
from safetydesk.reviews.actions import do_review, do_submit_recommendation
from safetydesk.reviews.models import ReviewStep, Verdict
from tests.browser.signin import role_groups, signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_director_records_a_dissent_on_the_review_panel(
    live_server: Any, browser_context: Any, screenshots_dir: Path, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    role_groups()
    specialist = make_staff("sam", Role.SPECIALIST, display_name="Sam Specialist")
    manager = make_staff("mia", Role.MANAGER, display_name="Mia Manager")
    director = make_staff("dan", Role.DIRECTOR, display_name="Dan Director")
    case = do_create_case(acting_user=None, title="Doxxing across three wikis", kind=CaseKind.OFFICE_ACTION)
    recommendation = do_submit_recommendation(
        case=case, acting_user=specialist, action_types=["foundation_global_ban"], target="Doxxer",
        rationale="Posted an admin's home address on three wikis after two Foundation warnings.",
        prior_warnings=[{"kind": "foundation", "date": "2026-09-01", "link": ""}],
    )  # fmt: skip
    do_review(step=recommendation.steps.get(stage="team"), acting_user=manager, verdict=Verdict.CONCUR)
    do_save_report(case=case, acting_user=specialist, base_version=0,
                   text="Posted the home address on three wikis after two warnings; CU links two socks.")  # fmt: skip

    page = signed_in_page(browser_context, f"{live_server.url}/cases/{case.reference}/", director)

    investigation = page.locator("#investigation")
    assert "Related cases" in investigation.inner_text()
    investigation.screenshot(path=str(screenshots_dir / "review-investigation.png"), animations="disabled")

    panel = page.locator("#office-action")
    assert "In review · Foundation global ban · Doxxer" in panel.locator("h4").first.inner_text()
    stages = panel.locator("table.plain tbody tr th")
    assert stages.all_inner_texts()[:2] == ["Review by the team and its manager", "Review by the team's director"]
    panel.scroll_into_view_if_needed()
    panel.screenshot(path=str(screenshots_dir / "review-panel.png"), animations="disabled")

    panel.get_by_label("Dissent (recorded, goes on to the next stage)").check()
    panel.get_by_label("Note for the file").fill("A one-year ban would do; the warnings were months apart.")
    panel.get_by_role("button", name="Sign this stage").click()
    page.wait_for_url(f"**/cases/{case.reference}/**")
    assert page.locator(".messages").inner_text().strip() == "Your review is recorded."
    step = ReviewStep.objects.get(recommendation=recommendation, stage="director")
    assert (step.verdict, step.reviewer) == (Verdict.DISSENT, director)
    page.locator("#office-action").screenshot(path=str(screenshots_dir / "review-dissent.png"), animations="disabled")
    assert browser_context.console_errors == []
