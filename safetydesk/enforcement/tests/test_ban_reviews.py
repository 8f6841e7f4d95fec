"""The yearly review of each Foundation global ban in force (DOMAIN §7.3 "Maintenance"): opened
by the periodic job once a year, the wikis read to see the ban is still in place everywhere (here
a real two-wiki farm, where a local admin has lifted the office block on one), then recorded."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.enforcement.actions import EnforcementRefusal
from safetydesk.enforcement.maintenance import do_complete_review, open_due_reviews, wiki_state
from safetydesk.enforcement.models import (
    ActionStatus,
    BanReview,
    BanReviewOutcome,
    BanReviewStatus,
)
from safetydesk.enforcement.tests.farm_ban import BannedOnTheFarm
from safetydesk.lib.testing import force_login_verified
from safetydesk.wiki.client import WikiClient


@override_settings(BAN_REVIEW_INTERVAL_DAYS=365)
@pytest.mark.usefixtures("farm")
class BanReviewTests(BannedOnTheFarm):
    def setUp(self) -> None:
        super().setUp()
        assert self.ban.status == ActionStatus.ENFORCED
        self.start = timezone.localdate()

    def test_a_review_comes_due_each_year_and_once(self) -> None:
        assert open_due_reviews(self.start + dt.timedelta(days=364)) == 0
        assert open_due_reviews(self.start + dt.timedelta(days=365)) == 1
        assert open_due_reviews(self.start + dt.timedelta(days=400)) == 0  # one due at a time
        review = BanReview.objects.get()
        assert review.due_on == self.start + dt.timedelta(days=365)
        assert AuditEvent.objects.filter(event_type=AuditEventType.BAN_REVIEW_OPENED).count() == 1

        review.status = BanReviewStatus.DONE
        review.save()
        assert open_due_reviews(self.start + dt.timedelta(days=729)) == 0
        assert open_due_reviews(self.start + dt.timedelta(days=730)) == 1

    def test_the_check_finds_a_wiki_where_the_ban_was_undone_and_the_review_is_recorded(self) -> None:
        open_due_reviews(self.start + dt.timedelta(days=365))
        review = BanReview.objects.get()
        beta = self.farm[1]
        office = WikiClient(beta.api_url)
        office.login(beta.bot_user, beta.bot_password)
        office.unblock(self.account, reason="undone for this test")
        assert wiki_state(self.ban) == {self.farm[0].name: "blocked", beta.name: "missing"}

        force_login_verified(self.client, self.specialist)
        dashboard = self.client.get(reverse("console:dashboard")).content.decode()
        assert "Ban reviews due" in dashboard
        page = self.client.post(
            reverse("reviews:check_ban", args=[self.case.reference, review.pk]), follow=True
        ).content.decode()
        assert f"Not in place on: {beta.name}." in page
        review.refresh_from_db()
        assert review.wiki_check[beta.name] == "missing"

        with pytest.raises(EnforcementRefusal, match="why the ban should be reconsidered"):
            do_complete_review(acting_user=self.specialist, review=review, outcome=BanReviewOutcome.RECONSIDER, note="")
        do_complete_review(
            acting_user=self.specialist, review=review, outcome=BanReviewOutcome.KEEP,
            note="Still needed; the block on betawiki is to be placed again.",
        )  # fmt: skip
        review.refresh_from_db()
        assert (review.status, review.reviewed_by) == (BanReviewStatus.DONE, self.specialist)
        with pytest.raises(EnforcementRefusal, match="already done"):
            do_complete_review(acting_user=self.specialist, review=review, outcome=BanReviewOutcome.KEEP, note="")

    def test_a_review_is_not_recorded_before_the_wikis_are_checked(self) -> None:
        open_due_reviews(self.start + dt.timedelta(days=365))
        review = BanReview.objects.get()
        with pytest.raises(EnforcementRefusal, match="Check the wikis first"):
            do_complete_review(acting_user=self.specialist, review=review, outcome=BanReviewOutcome.KEEP, note="")
