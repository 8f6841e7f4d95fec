"""Turn cases and timeline rows into what the case page shows. Display only: no rules."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safetydesk.accounts.models import User
from safetydesk.cases.models import Case, CaseEvent, CaseEventKind, PartyRole
from safetydesk.cases.workflow import Transition, Workflow, workflow_for


def state_label(kind: str, state: str) -> str:
    """The workflow's label for a state; the raw name if the workflow no longer has it."""
    workflow = workflow_for(kind)
    return next((str(s.label) for s in workflow.states if s.name == state), state.replace("_", " ").capitalize())


@dataclass(frozen=True)
class Clock:
    label: str
    due_at: dt.datetime | None
    met_at: dt.datetime | None
    overdue: bool
    met_label: str
    flag: str


def case_clocks(case: Case, now: dt.datetime) -> list[Clock]:
    """The acknowledgement clock, the target and the aging alert, each flagged when passed."""
    running = not case.is_closed

    def passed(due: dt.datetime | None, met: dt.datetime | None) -> bool:
        return running and met is None and due is not None and due < now

    # A met clock reads "<met_label> <how long ago>", e.g. "Closed 3 days ago": the context lets a
    # language inflect these apart from the state and filter words of the same spelling.
    acknowledged = pgettext("clock met", "Acknowledged")
    closed = pgettext("clock met", "Closed")
    return [
        Clock(
            _("Acknowledge by"), case.ack_due_at, case.acknowledged_at,
            passed(case.ack_due_at, case.acknowledged_at), acknowledged, _("Overdue"),
        ),
        Clock(
            _("Target date"), case.target_due_at, case.closed_at, passed(case.target_due_at, None), closed,
            _("Overdue"),
        ),
        Clock(_("Aging alert"), case.aging_alert_at, case.closed_at, case.is_aging, closed, _("Aging")),
    ]


@dataclass(frozen=True)
class Detail:
    label: str
    value: str
    long: bool = False


@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    title: str
    from_label: str = ""
    to_label: str = ""
    details: list[Detail] = field(default_factory=list)
    anchor: str = ""
    anchor_label: str = ""


def _transition_details(step: Transition | None, data: dict[str, Any]) -> list[Detail]:
    specs = {spec.name: spec for spec in step.fields} if step else {}
    details = []
    for name, raw in data.items():
        if raw in ("", None, [], {}):
            continue
        spec = specs.get(name)
        value = str(raw)
        if spec is not None and spec.kind == "choice":
            value = str(dict(spec.choices).get(value, value))
        label = str(spec.label) if spec is not None else name.replace("_", " ").capitalize()
        details.append(Detail(label, value, long=bool(spec and spec.kind == "textarea") or len(value) > 80))
    return details


def _people(ids: Iterable[Any]) -> dict[int, str]:
    wanted = {i for i in ids if isinstance(i, int)}
    if not wanted:
        return {}
    return {u.pk: str(u) for u in User.objects.filter(pk__in=wanted)}


def _data(event: CaseEvent) -> dict[str, Any]:
    data = event.data
    return data if isinstance(data, dict) else {}


# --- Timeline rows written by other apps -----------------------------------------------------
#
# CaseEvent.kind values outside CaseEventKind ("emergency", "paging" …) are written by the apps
# that own them, and only they know what their `data` means. An app says how its rows read by
# registering a describer for its kind, from its AppConfig.ready():
#
#     register_timeline_kind("paging", describe_paging, people=lambda data: data.get("recipients", []))
#
# The describer gets the event, its data (a dict) and `name(pk)`, which names the people that
# `people(data)` listed (read with the timeline's one query for names), and returns the entry.
# Describers only read `data`: a row's data holds ids and choices, never what someone wrote.
# A kind nobody registered reads as its raw name.

Namer = Callable[[Any], str]
Describer = Callable[[CaseEvent, dict[str, Any], Namer], "TimelineEntry"]


@dataclass(frozen=True)
class TimelineKind:
    describe: Describer
    people: Callable[[dict[str, Any]], Iterable[Any]]


TIMELINE_KINDS: dict[str, TimelineKind] = {}


def _nobody(data: dict[str, Any]) -> Iterable[Any]:
    return ()


def register_timeline_kind(
    kind: str, describe: Describer, *, people: Callable[[dict[str, Any]], Iterable[Any]] | None = None
) -> None:
    """Say how timeline rows of `kind` read (registering a kind again replaces its describer)."""
    if kind in CaseEventKind.values:
        raise ValueError(f"{kind!r} is one of the case's own event kinds; the console describes those itself.")
    TIMELINE_KINDS[kind] = TimelineKind(describe, people or _nobody)


def timeline(case: Case, events: Iterable[CaseEvent]) -> list[TimelineEntry]:
    """The case's timeline, newest first, in words. One extra query names assigned people."""
    events = list(events)
    workflow: Workflow = workflow_for(case.kind)
    assigned_ids: list[Any] = []
    for event in events:
        if event.kind == CaseEventKind.ASSIGNED:
            assigned_ids.append(_data(event).get("lead"))
            assigned_ids.extend(_data(event).get("assistants") or [])
        elif event.kind == CaseEventKind.MEMBER:
            assigned_ids.append(_data(event).get("member"))
        elif event.kind in TIMELINE_KINDS:
            assigned_ids.extend(TIMELINE_KINDS[event.kind].people(_data(event)) or ())
    names = _people(assigned_ids)

    def name(pk: Any) -> str:
        return names.get(pk, _("person #%(id)s") % {"id": pk})

    entries = []
    for event in reversed(events):
        data = _data(event)
        kind = event.kind
        if kind == CaseEventKind.TRANSITION:
            step = workflow.transition(event.transition)
            entries.append(
                TimelineEntry(
                    event,
                    title=str(step.label) if step else event.transition.replace("_", " ").capitalize(),
                    from_label=state_label(case.kind, event.from_state),
                    to_label=state_label(case.kind, event.to_state),
                    details=_transition_details(step, data),
                )
            )
        elif kind == CaseEventKind.CREATED:
            details = [Detail(_("Channel"), data["channel"])] if data.get("channel") else []
            entries.append(
                TimelineEntry(
                    event, title=_("Case opened"), to_label=state_label(case.kind, event.to_state), details=details
                )
            )
        elif kind == CaseEventKind.ASSIGNED:
            assistants = [name(pk) for pk in data.get("assistants") or []]
            entries.append(
                TimelineEntry(
                    event,
                    title=_("Assignment changed"),
                    details=[
                        Detail(_("Lead"), name(data["lead"]) if data.get("lead") else _("none")),
                        Detail(_("Assistants"), ", ".join(assistants) if assistants else _("none")),
                    ],
                )
            )
        elif kind == CaseEventKind.NOTE:
            entries.append(
                TimelineEntry(
                    event, title=_("Note added"), anchor=f"note-{data.get('note')}", anchor_label=_("Read the note")
                )
            )
        elif kind == CaseEventKind.EVIDENCE:
            sha = str(data.get("sha256", ""))
            entries.append(
                TimelineEntry(
                    event,
                    title=_("Evidence captured"),
                    details=[Detail("SHA-256", sha[:12])] if sha else [],
                    anchor=f"evidence-{data.get('evidence')}",
                    anchor_label=_("See the evidence"),
                )
            )
        elif kind == CaseEventKind.MEMBER:
            entries.append(
                TimelineEntry(event, title=_("Member named"), details=[Detail(_("Member"), name(data.get("member")))])
            )
        elif kind == CaseEventKind.PARTY:
            role = str(dict(PartyRole.choices).get(data.get("role", ""), data.get("role", "")))
            entries.append(TimelineEntry(event, title=_("Party added"), details=[Detail(_("Role"), role)]))
        elif kind in TIMELINE_KINDS:
            entries.append(TIMELINE_KINDS[kind].describe(event, data, name))
        else:
            entries.append(TimelineEntry(event, title=str(event.get_kind_display())))
    return entries
