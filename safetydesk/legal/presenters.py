"""How the legal workflows' timeline rows read in the console (registered by LegalConfig)."""

from typing import Any

from django.utils.translation import gettext as _

from safetydesk.cases.models import CaseEvent
from safetydesk.console.presenters import Detail, Namer, TimelineEntry

# legal writes these rows: {"record": "complete"|"deficient"|"granted"|…, …}.
CASE_EVENT_LEGAL = "legal"


def describe_legal(event: CaseEvent, data: dict[str, Any], name: Namer) -> TimelineEntry:
    record = data.get("record", "")
    titles = {
        "complete": _("DMCA notice complete: to merits review"),
        "deficient": _("DMCA notice deficient: deficiency letter sent"),
        "deficient_no_email": _("DMCA notice deficient, and no email address for the claimant: write to them by post"),
        "closed_incomplete": _("Closed: the claimant did not complete the notice in time"),
        "rejected": _("DMCA notice rejected"),
        "granted": _("DMCA notice granted: takedown sent to the wikis"),
        "uploader_not_emailed": _("The uploader has no email address: tell them on their talk page"),
        "repeat_infringer": _("Repeat infringer: review the uploader's account"),
        "counter_notice": _("Valid counter-notice: forwarded to the claimant"),
        "lawsuit": _("The claimant reported a lawsuit: the material stays down"),
        "restored": _("Put back after the counter-notice"),
        "lumen": _("Submitted to Lumen"),
    }
    details = []
    if data.get("restore_from"):
        details = [
            Detail(_("Put back from"), str(data["restore_from"])),
            Detail(_("Put back by"), str(data.get("restore_by"))),
        ]
    return TimelineEntry(event, title=titles.get(record, _("Legal")), details=details)
