"""Keeping the Foundation global bans in force right (DOMAIN §7.3 "Maintenance"): every
settings.BAN_REVIEW_INTERVAL_DAYS a ban gets a review, opened by a periodic job. The reviewer
checks the wikis (is the account still blocked, or locked, everywhere?), then records whether the
ban is kept or should be reconsidered; reconsidering means recommending a lifting, which passes
the ban's whole review chain (reviews, ActionType.BAN_LIFT)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_work_case
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.enforcement.actions import SYSTEM_ACTOR, EnforcementNotPermitted, EnforcementRefusal
from safetydesk.enforcement.models import (
    ActionStatus,
    ActionType,
    BanReview,
    BanReviewOutcome,
    BanReviewStatus,
    OfficeAction,
)
from safetydesk.wiki.actions import logged_in_client
from safetydesk.wiki.errors import WikiError
from safetydesk.wiki.models import Wiki


def open_due_reviews(today: dt.date | None = None) -> int:
    """Open a review for every ban in force whose last review (or its start) is an interval
    old; returns how many were opened. Safe to run any number of times."""
    today = today or timezone.localdate()
    interval = dt.timedelta(days=settings.BAN_REVIEW_INTERVAL_DAYS)
    bans = OfficeAction.objects.filter(
        action_type=ActionType.FOUNDATION_GLOBAL_BAN, status=ActionStatus.ENFORCED, enforced_at__isnull=False
    ).prefetch_related("ban_reviews")
    opened = 0
    for ban in bans:
        reviews = list(ban.ban_reviews.all())
        if any(r.status == BanReviewStatus.DUE for r in reviews):
            continue
        assert ban.enforced_at is not None
        last = max([r.due_on for r in reviews] + [ban.enforced_at.date()])
        due_on = last + interval
        if due_on > today:
            continue
        try:
            with transaction.atomic():
                review = BanReview.objects.create(ban=ban, due_on=due_on)
                record_audit(
                    event_type=AuditEventType.BAN_REVIEW_OPENED, actor=SYSTEM_ACTOR, subject=review,
                    data={"ban": ban.pk, "due_on": due_on.isoformat()},
                )  # fmt: skip
        except IntegrityError:
            continue  # another worker opened it a moment ago
        opened += 1
    return opened


def wiki_state(ban: OfficeAction) -> dict[str, str]:
    """What each wiki of the farm says of the banned account now: locked (CentralAuth), blocked
    by the office account, missing, or the error that stopped the reading. Network calls: never
    inside a transaction."""
    states = {}
    for wiki in Wiki.objects.order_by("name"):
        try:
            client = logged_in_client(wiki)
            if wiki.has_centralauth:
                state = "locked" if client.global_account(ban.target).get("locked") else "missing"
            else:
                blocks = client.active_blocks(ban.target)
                state = "blocked" if any(b.get("by") == client.account for b in blocks) else "missing"
        except WikiError as error:
            state = f"error: {error.code}"
        states[wiki.name] = state
    return states


IN_PLACE = frozenset({"blocked", "locked"})


def do_check_wikis(*, acting_user: Any, review: BanReview) -> list[str]:
    """Read every wiki (before any transaction: network), record what they said on the review,
    and return the wikis where the ban is not in place."""
    if not can_work_case(acting_user, review.ban.case):
        raise EnforcementNotPermitted(_("You may not review this ban."))
    state = wiki_state(review.ban)
    missing = sorted(name for name, value in state.items() if value not in IN_PLACE)
    with transaction.atomic():
        review = _open(review, acting_user)
        review.wiki_check, review.checked_at = state, timezone.now()
        review.save(update_fields=["wiki_check", "checked_at"])
        record_audit(
            event_type=AuditEventType.BAN_REVIEW_CHECKED, actor=acting_user, subject=review, data={"missing": missing}
        )
    return missing


@transaction.atomic
def do_complete_review(*, acting_user: Any, review: BanReview, outcome: str, note: str) -> BanReview:
    review = _open(review, acting_user)
    if outcome not in BanReviewOutcome.values:
        raise EnforcementRefusal(_("Say whether the ban is kept or reconsidered."), details={"field": "outcome"})
    if review.checked_at is None:
        raise EnforcementRefusal(_("Check the wikis first: the review confirms the ban is in place everywhere."))
    if outcome == BanReviewOutcome.RECONSIDER and not note.strip():
        raise EnforcementRefusal(_("Say why the ban should be reconsidered."), details={"field": "note"})
    review.status, review.outcome, review.note = BanReviewStatus.DONE, outcome, note.strip()[:5000]
    review.reviewed_by, review.reviewed_at = acting_user, timezone.now()
    review.save()
    record_audit(
        event_type=AuditEventType.BAN_REVIEW_COMPLETED, actor=acting_user, subject=review,
        data={"ban": review.ban_id, "outcome": outcome},
    )  # fmt: skip
    return review


def _open(review: BanReview, acting_user: Any) -> BanReview:
    review = BanReview.objects.select_for_update().select_related("ban__case").get(pk=review.pk)
    if not can_work_case(acting_user, review.ban.case):
        raise EnforcementNotPermitted(_("You may not review this ban."))
    if review.status != BanReviewStatus.DUE:
        raise EnforcementRefusal(_("This review is already done."))
    return review
