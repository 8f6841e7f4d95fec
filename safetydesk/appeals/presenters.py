"""How the appeal's timeline rows read in the console (registered by AppealsConfig)."""

from typing import Any

from django.utils.translation import gettext as _

from safetydesk.cases.models import CaseEvent
from safetydesk.console.presenters import Detail, Namer, TimelineEntry

# appeals writes these rows: {"record": "filed"|"appealed"|"eligibility"|…, …}.
CASE_EVENT_APPEAL = "appeal"


def describe_appeal(event: CaseEvent, data: dict[str, Any], name: Namer) -> TimelineEntry:
    from safetydesk.appeals.models import ComplaintOutcome, IneligibleReason, Outcome

    record = data.get("record", "")
    outcomes = {**dict(Outcome.choices), **dict(ComplaintOutcome.choices)}
    if record == "filed":
        return TimelineEntry(event, title=_("Appeal filed"), details=[Detail(_("Against"), str(data.get("original")))])
    if record == "appealed":
        return TimelineEntry(event, title=_("Appealed to the Case Review Committee"),
                             details=[Detail(_("Appeal"), str(data.get("appeal")))])  # fmt: skip
    if record == "eligibility":
        if data.get("eligible"):
            return TimelineEntry(event, title=_("Found eligible for the committee"))
        reason = dict(IneligibleReason.choices).get(data.get("reason", ""), "")
        return TimelineEntry(event, title=_("Found not eligible"), details=[Detail(_("Reason"), str(reason))])
    if record == "case_file":
        return TimelineEntry(event, title=_("Case file prepared for the panel"))
    if record == "panel":
        return TimelineEntry(event, title=_("Panel drawn"),
                             details=[Detail(_("Members"), ", ".join(data.get("members", [])))])  # fmt: skip
    if record == "recusal":
        replacement = str(data.get("replacement") or _("nobody left"))
        return TimelineEntry(event, title=_("Panel member recused"),
                             details=[Detail(_("Member"), str(data.get("member"))),
                                      Detail(_("Replaced by"), replacement)])  # fmt: skip
    if record == "vote":
        return TimelineEntry(
            event, title=_("Panel member voted"), details=[Detail(_("Member"), str(data.get("member")))]
        )
    if record == "outcome":
        outcome = str(outcomes.get(data.get("outcome", ""), ""))
        return TimelineEntry(event, title=_("Case Review Committee outcome"),
                             details=[Detail(_("Outcome"), outcome)])  # fmt: skip
    if record == "lifting":
        return TimelineEntry(event, title=_("Lifting proposed on the original case"))
    if record == "complaint":
        details = [Detail(_("Outcome"), str(outcomes[data["outcome"]]))] if data.get("outcome") else []
        return TimelineEntry(event, title=_("DSA complaint decided") if details else _("DSA complaint recorded"),
                             details=details)  # fmt: skip
    return TimelineEntry(event, title=_("Appeal"))
