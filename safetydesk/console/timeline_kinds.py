"""How the emergency and oncall apps' timeline rows read (presenters.register_timeline_kind).

These belong to the apps that write the rows (emergency.models.CASE_EVENT_EMERGENCY,
oncall.models.CASE_EVENT_PAGING). They are registered from the console for now, while those apps
are being finished; each app should move its part into its own AppConfig.ready() (and this module
then shrinks to nothing). ConsoleConfig.ready() imports this module once the apps are loaded.
"""

from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from safetydesk.cases.models import CaseEvent
from safetydesk.console.presenters import Detail, Namer, TimelineEntry, register_timeline_kind


def _label(choices: Any, value: Any) -> str:
    """The label of a choice, or the raw value if the choice is gone."""
    return str(dict(choices).get(value, value)) if value not in ("", None) else ""


def _details(*pairs: tuple[str, str]) -> list[Detail]:
    return [Detail(label, value) for label, value in pairs if value]


# --- emergency (safetydesk/emergency/actions.py writes {"record": …, ids and choices}) ----------


def describe_emergency(event: CaseEvent, data: dict[str, Any], name: Namer) -> TimelineEntry:
    from safetydesk.emergency import conf
    from safetydesk.emergency.models import (
        Confidence,
        DataElement,
        DisclosureException,
        DisclosureKind,
        ThreatType,
        TriageDecision,
    )

    record = data.get("record", "")
    amended = bool(data.get("amended"))
    country = str(data.get("country") or "")
    if record == "triage":
        return TimelineEntry(
            event,
            title=_("Triage amended") if amended else _("Triage recorded"),
            details=_details(
                (_("Decision"), _label(TriageDecision.choices, data.get("decision"))),
                (_("Threat type"), _label(ThreatType.choices, data.get("threat_type"))),
            ),
            anchor="triage-h",
            anchor_label=_("See the triage"),
        )
    if record == "location":
        return TimelineEntry(
            event,
            title=_("Location traced"),
            details=_details(
                (_("Confidence"), _label(Confidence.choices, data.get("confidence"))), (_("Country"), country)
            ),
        )
    if record in {"referral", "le_acknowledgement"}:
        return TimelineEntry(
            event,
            title=_("Referred to law enforcement")
            if record == "referral"
            else _("Law enforcement acknowledged the referral"),
            details=_details((_("Country"), country)),
            anchor=f"referral-{data.get('referral')}",
            anchor_label=_("See the referral"),
        )
    if record == "follow_up":
        return TimelineEntry(
            event,
            title=_("Follow-up recorded"),
            anchor=f"follow-up-{data.get('follow_up')}",
            anchor_label=_("Read the follow-up"),
        )
    if record == "investigation":
        return TimelineEntry(event, title=_("Office-action investigation opened from this emergency"))
    if record == "spawned_from":
        return TimelineEntry(event, title=_("Opened from an emergency case"))
    if record == "disclosure":
        elements = [_label(DataElement.choices, e) for e in data.get("data_elements") or []]
        return TimelineEntry(
            event,
            title=_("Disclosure to law enforcement recorded"),
            details=_details(
                (_("Kind"), _label(DisclosureKind.choices, data.get("kind"))),
                (_("Data disclosed"), ", ".join(elements) if elements else _("none")),
                (_("Country"), country),
            ),
            anchor=f"disclosure-{data.get('disclosure')}",
            anchor_label=_("See the disclosure"),
        )
    if record == "disclosure_confirmed":
        return TimelineEntry(
            event,
            title=_("Legal confirmed a disclosure"),
            details=_details((_("Confirmed"), _("after the deadline") if data.get("overdue") else _("in time"))),
            anchor=f"disclosure-{data.get('disclosure')}",
            anchor_label=_("See the disclosure"),
        )
    if record == "functionary_report":
        late = _("Yes: more than %(days)s days after the disclosure") % {"days": conf.functionary_report_days()}
        return TimelineEntry(
            event,
            title=_("Functionary report corrected") if amended else _("Functionary report recorded"),
            details=_details(
                (_("Exception relied on"), _label(DisclosureException.choices, data.get("exception"))),
                (_("Reported late"), late if data.get("late") else _("No")),
            ),
            anchor="functionary-report",
            anchor_label=_("See the report"),
        )
    return TimelineEntry(event, title=_("Emergency record changed"))


# --- paging (safetydesk/oncall/paging.py and actions.py write {"event": …, "round", …}) ---------


def describe_paging(event: CaseEvent, data: dict[str, Any], name: Namer) -> TimelineEntry:
    from safetydesk.oncall.rota import STEP_LABELS

    what = data.get("event", "")
    if what == "acknowledged":
        return TimelineEntry(event, title=_("Page acknowledged"))
    recipients = [name(pk) for pk in data.get("recipients") or []]
    steps = [str(STEP_LABELS.get(step, step)) for step in data.get("steps") or []]
    details = _details(
        (_("Paged"), ", ".join(recipients) if recipients else _("nobody (no one on call or on the fallback list)")),
        (_("Escalation steps"), ", ".join(steps)),
    )
    if what == "escalated":
        return TimelineEntry(
            event,
            title=_("Page escalated: nobody acknowledged in time"),
            details=[Detail(_("Round"), str(data.get("round", ""))), *details],
        )
    return TimelineEntry(event, title=_("On-call paged"), details=details)


def _paged_people(data: dict[str, Any]) -> list[Any]:
    return list(data.get("recipients") or [])


def register() -> None:
    if apps.is_installed("safetydesk.emergency"):
        from safetydesk.emergency.models import CASE_EVENT_EMERGENCY

        register_timeline_kind(CASE_EVENT_EMERGENCY, describe_emergency)
    if apps.is_installed("safetydesk.oncall"):
        from safetydesk.oncall.models import CASE_EVENT_PAGING

        register_timeline_kind(CASE_EVENT_PAGING, describe_paging, people=_paged_people)
