"""The legal workflows' clocks (lib.periodic)."""

import datetime as dt

from django.tasks import task

from safetydesk.legal import dmca, user_data
from safetydesk.lib.periodic import every


@every(dt.timedelta(minutes=15))
@task()
def dmca_clocks() -> dict[str, list[int]]:
    """Deficient notices past their 30 days are closed; counter-notices whose business day 10
    has come are put back; windows about to close unrestored are brought to Legal."""
    return {
        "closed": dmca.close_unanswered(),
        "restored": dmca.restore_due(),
        "reminded": dmca.remind_closing_windows(),
    }


@every(dt.timedelta(hours=6))
@task()
def lapsed_nondisclosure_orders() -> list[int]:
    """Productions whose gag order lapsed: legal counsel are reminded to send the user's notice."""
    return user_data.remind_lapsed_orders()
