"""Periodic emergency work (lib.periodic): Legal is reminded of unconfirmed disclosures."""

import datetime as dt

from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from safetydesk.emergency import conf
from safetydesk.emergency.actions import do_remind_legal_of_disclosure
from safetydesk.emergency.models import Disclosure
from safetydesk.lib.periodic import every


def remind_legal_of_disclosures(now: dt.datetime | None = None) -> int:
    """One round of notices for every unconfirmed disclosure whose last one is older than the
    reminder interval (or that never got one: its task was lost). Returns the disclosures
    reminded."""
    now = now or timezone.now()
    due = Q(legal_notified_at__isnull=True) | Q(legal_notified_at__lte=now - conf.legal_remind_every())
    ids = Disclosure.objects.filter(due, legal_confirmed_at__isnull=True).values_list("pk", flat=True)
    return sum(1 for pk in list(ids) if do_remind_legal_of_disclosure(disclosure_id=pk, now=now))


@every(dt.timedelta(minutes=15))
@task()
def remind_legal() -> int:
    return remind_legal_of_disclosures()
