"""How the review cycle's timeline rows read in the console (registered by ReviewsConfig)."""

from typing import Any

from django.utils.translation import gettext as _

from safetydesk.cases.models import CaseEvent
from safetydesk.console.presenters import Detail, Namer, TimelineEntry
from safetydesk.reviews.matrix import matrix
from safetydesk.reviews.models import Verdict

# reviews.actions writes these rows: {"record": "recommendation"|"review"|"decision", …}.
CASE_EVENT_REVIEW = "review"


def describe_review(event: CaseEvent, data: dict[str, Any], name: Namer) -> TimelineEntry:
    record = data.get("record", "")
    if record == "recommendation":
        stages = [matrix().stages[s].name if s in matrix().stages else s for s in data.get("stages", [])]
        return TimelineEntry(event, title=_("Recommendation submitted for review"),
                             details=[Detail(_("Stages"), ", ".join(stages))])  # fmt: skip
    if record == "review":
        stage = matrix().stages.get(data.get("stage", ""))
        verdict = dict(Verdict.choices).get(data.get("verdict", ""), data.get("verdict", ""))
        return TimelineEntry(
            event,
            title=_("Review signed"),
            details=[
                Detail(_("Stage"), stage.name if stage else str(data.get("stage"))),
                Detail(_("Verdict"), str(verdict)),
            ],
        )
    if record == "decision":
        return TimelineEntry(event, title=_("Decided with an override") if data.get("override") else _("Decided"))
    return TimelineEntry(event, title=_("Review"))
