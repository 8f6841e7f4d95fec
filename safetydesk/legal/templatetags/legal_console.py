"""The case page's DMCA panel: `{% load legal_console %}{% dmca_panel case %}` (dmca/case_panel.html)."""

from typing import Any

from django import template
from django.conf import settings

from safetydesk.accounts.permissions import can_act_as_counsel, can_work_case
from safetydesk.legal.dmca import granted_against
from safetydesk.legal.models import CounterElement, DmcaNotice, Letter, MeritsReason, NoticeElement
from safetydesk.legal.workflows import AWAITING_CLAIMANT, LEGAL_REVIEW, TAKEN_DOWN, VALIDITY_CHECK

register = template.Library()


@register.inclusion_tag("legal/dmca_panel.html", takes_context=True)
def dmca_panel(context: template.Context, case: Any) -> dict[str, Any]:
    request = context["request"]
    notice = DmcaNotice.objects.filter(case=case).first()
    elements = notice.elements if notice else {}
    may_work = can_work_case(request.user, case)
    repeat = granted_against(notice.uploader) if notice and notice.uploader else []
    return {
        "request": request,
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "notice": notice,
        "may_work": may_work,
        "may_decide": can_act_as_counsel(request.user, case),
        "recording": case.state in {VALIDITY_CHECK, AWAITING_CLAIMANT},
        "deciding": case.state == LEGAL_REVIEW,
        "taken_down": case.state == TAKEN_DOWN,
        "notice_elements": [(key, label, elements.get(key, {})) for key, label in NoticeElement.choices],
        "counter_elements": CounterElement.choices,
        "reasons": MeritsReason.choices,
        "takedowns": list(notice.takedowns.all()) if notice else [],
        "counters": list(notice.counter_notices.all()) if notice else [],
        "letters": list(Letter.objects.filter(case=case).select_related("notice")),
        "repeat": len(repeat) >= settings.DMCA_REPEAT_INFRINGER_NOTICES,
        "repeat_count": len(repeat),
        "lumen_configured": bool(settings.LUMEN_URL),
        "infringing_text": "\n".join(p["url"] for p in notice.infringing) if notice else "",
        "original_text": "\n".join(notice.original_urls) if notice else "",
    }


@register.inclusion_tag("legal/process_panel.html", takes_context=True)
def legal_process_panel(context: template.Context, case: Any) -> dict[str, Any]:
    from safetydesk.legal.models import ContentDemand, DataElement, RequestType, Sufficiency, UserDataRequest

    request = context["request"]
    may_work = can_work_case(request.user, case)
    return {
        "request": request,
        "case": case,
        "csrf_token": context.get("csrf_token"),
        "may_work": may_work,
        "may_decide": can_act_as_counsel(request.user, case),
        "data_request": UserDataRequest.objects.filter(case=case).first(),
        "demand": ContentDemand.objects.filter(case=case).first(),
        "request_types": RequestType.choices,
        "data_elements": DataElement.choices,
        "outcomes": Sufficiency.choices,
        "letters": list(Letter.objects.filter(case=case).select_related("notice")),
        "state": case.state,
    }
