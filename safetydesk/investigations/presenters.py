"""How the investigation's timeline rows read in the console (registered by InvestigationsConfig)."""

from typing import Any

from django.utils.translation import gettext as _

from safetydesk.cases.models import CaseEvent
from safetydesk.console.presenters import Detail, Namer, TimelineEntry

# investigations.actions writes these rows: {"record": "related"|"alternate"|"warning"|"report", …}.
CASE_EVENT_INVESTIGATION = "investigation"


def describe_investigation(event: CaseEvent, data: dict[str, Any], name: Namer) -> TimelineEntry:
    record = data.get("record", "")
    if record == "related":
        return TimelineEntry(event, title=_("Related case linked"),
                             details=[Detail(_("Case"), str(data.get("related")))])  # fmt: skip
    if record == "alternate":
        return TimelineEntry(event, title=_("Alternate account recorded"))
    if record == "warning":
        return TimelineEntry(event, title=_("Prior warning recorded"))
    if record == "report":
        return TimelineEntry(event, title=_("Investigation report saved"),
                             details=[Detail(_("Version"), str(data.get("version")))])  # fmt: skip
    return TimelineEntry(event, title=_("Investigation"))
