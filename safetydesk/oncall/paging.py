"""Paging an emergency case's responders (issue 4 part 2).

`open_pages_for_case` runs inside the transaction that creates the emergency case (the emergency
workflow's `on_create`): the Paging, its first round of Page rows and one PageDelivery per page
and channel are committed with the case or not at all. Delivery is enqueued after commit and
runs in the task worker (oncall.tasks.deliver); a delivery whose task is lost is picked up by the
sweep (oncall.jobs), so a page, once committed, always goes out.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safetydesk.accounts.models import User
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import Case, CaseEvent
from safetydesk.oncall.models import CASE_EVENT_PAGING, Channel, Page, PageDelivery, Paging
from safetydesk.oncall.rota import Step, escalation_chain

SYSTEM_ACTOR = "oncall"


def escalate_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.ONCALL_ESCALATE_AFTER_MINUTES)


def page_channels(user: User) -> list[tuple[str, str]]:
    """(channel, target) for every configured channel a page to `user` goes by."""
    targets: list[tuple[str, str]] = []
    if settings.ONCALL_PAGE_BY_EMAIL and user.email:
        targets.append((Channel.EMAIL, user.email))
    targets += [(Channel.WEBHOOK, url) for url in settings.ONCALL_WEBHOOK_URLS]
    return targets


def recipients_for_round(chain: list[Step], round_: int) -> list[tuple[User, str]]:
    """Round r pages again everyone of steps 0..r-1 and adds step r (the last step repeats)."""
    people: dict[int, tuple[User, str]] = {}
    for step in chain[: round_ + 1]:
        for person in step.people:
            people.setdefault(person.pk, (person, step.name))
    return list(people.values())


def _write_pages(paging: Paging, round_: int, recipients: Iterable[tuple[User, str]], now: dt.datetime) -> list[int]:
    """Page rows and their deliveries; returns the delivery ids to enqueue after commit."""
    delivery_ids: list[int] = []
    for person, step in recipients:
        page, _created = Page.objects.get_or_create(
            paging=paging,
            round=round_,
            recipient=person,
            defaults={"case_id": paging.case_id, "step": step, "created_at": now},
        )
        for channel, target in page_channels(person):
            delivery, _made = PageDelivery.objects.get_or_create(
                page=page, channel=channel, target=target, defaults={"next_attempt_at": now, "created_at": now}
            )
            delivery_ids.append(delivery.pk)
    return delivery_ids


def deliver_on_commit(delivery_ids: list[int]) -> None:
    if not delivery_ids:
        return
    from safetydesk.oncall.tasks import deliver

    def enqueue() -> None:
        for delivery_id in delivery_ids:
            deliver.enqueue(delivery_id)

    transaction.on_commit(enqueue)


def open_pages_for_case(case: Case) -> None:
    """Page the on-call responder for a new emergency case (the fallback list when nobody is on
    call). Call it inside the case's creating transaction; it writes the Paging, the round-0
    pages and their deliveries, the audit and timeline rows, and enqueues delivery on commit.
    Calling it again for the same case changes nothing."""
    with transaction.atomic():
        now = timezone.now()
        paging, created = Paging.objects.get_or_create(
            case=case, defaults={"created_at": now, "last_paged_at": now, "escalate_at": now + escalate_after()}
        )
        if not created:
            return
        chain = escalation_chain(now)
        recipients = recipients_for_round(chain, 0)
        delivery_ids = _write_pages(paging, 0, recipients, now)
        data: dict[str, Any] = {
            "round": 0,
            "recipients": [p.pk for p, _step in recipients],
            "steps": sorted({step for _p, step in recipients}),
            "deliveries": len(delivery_ids),
        }
        CaseEvent.objects.create(case=case, actor=None, kind=CASE_EVENT_PAGING, data={"event": "paged", **data})
        record_audit(event_type=AuditEventType.PAGES_OPENED, actor=SYSTEM_ACTOR, subject=case, data=data)
        deliver_on_commit(delivery_ids)


def do_escalate_paging(*, paging_id: int, now: dt.datetime | None = None) -> Paging | None:
    """Open the next round of an unacknowledged paging whose time has come: everyone paged so
    far is paged again, and the next step of the chain (as the rota stands now) is added.
    Returns the paging if it escalated; None if it was acknowledged or not due (the conditional
    UPDATE lets exactly one caller escalate a round)."""
    now = now or timezone.now()
    with transaction.atomic():
        paging = Paging.objects.select_for_update().filter(pk=paging_id).first()
        if paging is None or paging.acknowledged_at is not None or paging.escalate_at is None:
            return None
        if paging.escalate_at > now:
            return None
        paging.round += 1
        paging.last_paged_at = now
        paging.escalate_at = now + escalate_after()
        paging.save(update_fields=["round", "last_paged_at", "escalate_at"])
        chain = escalation_chain(now)
        recipients = recipients_for_round(chain, paging.round)
        delivery_ids = _write_pages(paging, paging.round, recipients, now)
        data: dict[str, Any] = {
            "round": paging.round,
            "recipients": [p.pk for p, _step in recipients],
            "steps": sorted({step for _p, step in recipients}),
            "deliveries": len(delivery_ids),
        }
        case = paging.case
        CaseEvent.objects.create(case=case, actor=None, kind=CASE_EVENT_PAGING, data={"event": "escalated", **data})
        record_audit(event_type=AuditEventType.PAGING_ESCALATED, actor=SYSTEM_ACTOR, subject=case, data=data)
        deliver_on_commit(delivery_ids)
    return paging


def escalate_due(now: dt.datetime | None = None) -> int:
    """Escalate every paging whose acknowledgement is overdue. Returns how many escalated."""
    now = now or timezone.now()
    due = list(
        Paging.objects.filter(acknowledged_at__isnull=True, escalate_at__lte=now, case__closed_at__isnull=True)
        .order_by("escalate_at")
        .values_list("pk", flat=True)[:200]
    )
    return sum(1 for paging_id in due if do_escalate_paging(paging_id=paging_id, now=now) is not None)
