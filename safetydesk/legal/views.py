"""The DMCA panel's forms on a DMCA case (posted from the case page), the Lumen export, the
letters' PDFs, and the public DMCA archive. Staff views: access_case, one action, a message,
back to the panel (reviews.views.on_case_panel)."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from safetydesk.accounts.decorators import staff_required
from safetydesk.accounts.permissions import access_case
from safetydesk.cases.models import Case
from safetydesk.legal import dmca, lumen
from safetydesk.legal.models import CounterElement, CounterNotice, DmcaNotice, Letter, NoticeElement
from safetydesk.lib.errors import Refusal
from safetydesk.lib.http import client_ip
from safetydesk.reviews.views import on_case_panel

ANCHOR = "dmca"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _checklist(data: Any, known: type[NoticeElement] | type[CounterElement]) -> dict[str, dict[str, Any]]:
    return {key: {"present": data.get(f"present_{key}") == "on", "evidence": data.get(f"evidence_{key}", "")}
            for key in known.values}  # fmt: skip


def _notice(case: Case) -> DmcaNotice:
    notice = DmcaNotice.objects.filter(case=case).first()
    if notice is None:
        raise dmca.LegalRefusal(_("Record the notice first."))
    return notice


def _post(request: HttpRequest, reference: str, run: Any) -> HttpResponse:
    return on_case_panel(request, reference, run, anchor=ANCHOR)


@staff_required
@require_POST
def record(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        notice = dmca.do_record_notice(
            case=case, acting_user=user, claimant_name=data.get("claimant_name", ""), work=data.get("work", ""),
            infringing_urls=_lines(data.get("infringing_urls", "")), elements=_checklist(data, NoticeElement),
            claimant_organisation=data.get("claimant_organisation", ""),
            claimant_contact=data.get("claimant_contact", ""), claimant_email=data.get("claimant_email", ""),
            claimant_country=data.get("claimant_country", ""), original_urls=_lines(data.get("original_urls", "")),
            uploader=data.get("uploader", ""), uploader_email=data.get("uploader_email", ""),
            uploader_language=data.get("uploader_language", ""),
        )  # fmt: skip
        if notice.complete:
            return _("The notice is complete: it goes to the merits review.")
        return _("The notice is deficient: the claimant is asked for what is missing, and has 30 days.")

    return _post(request, reference, run)


@staff_required
@require_POST
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        if data.get("decision") == "grant":
            actions = dmca.do_grant(notice=_notice(case), acting_user=user, note=data.get("note", ""))
            message = _("Granted: %(count)s takedown(s) sent to the wikis; the uploader is told.")
            return message % {"count": len(actions)}
        dmca.do_reject(notice=_notice(case), acting_user=user, reason=data.get("reason", ""), note=data.get("note", ""))
        return _("Rejected: the claimant is told why.")

    return _post(request, reference, run)


@staff_required
@require_POST
def counter_notice(request: HttpRequest, reference: str) -> HttpResponse:
    data = request.POST

    def run(case: Case, user: Any) -> str:
        counter = dmca.do_record_counter_notice(
            notice=_notice(case), acting_user=user, sender=data.get("sender", ""),
            sender_email=data.get("sender_email", ""), elements=_checklist(data, CounterElement),
        )  # fmt: skip
        assert counter.restore_from is not None
        assert counter.restore_by is not None
        return _("Counter-notice recorded and forwarded. Put back from %(start)s, by %(end)s at the latest.") % {
            "start": counter.restore_from.date().isoformat(), "end": counter.restore_by.date().isoformat(),
        }  # fmt: skip

    return _post(request, reference, run)


@staff_required
@require_POST
def lawsuit(request: HttpRequest, reference: str, counter_id: int) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        counter = get_object_or_404(CounterNotice, pk=counter_id, notice__case=case)
        dmca.do_report_lawsuit(counter=counter, acting_user=user)
        return _("Recorded: the material stays down.")

    return _post(request, reference, run)


@staff_required
@require_POST
def submit_to_lumen(request: HttpRequest, reference: str) -> HttpResponse:
    def run(case: Case, user: Any) -> str:
        try:
            notice = lumen.submit(_notice(case), user)
        except lumen.LumenError as error:
            raise Refusal(str(error)) from None
        return _("Submitted to Lumen: notice %(id)s.") % {"id": notice.lumen_id}

    return _post(request, reference, run)


@staff_required
@require_GET
def lumen_export(request: HttpRequest, reference: str) -> JsonResponse:
    case = access_case(request.user, reference, ip_address=client_ip(request))
    notice = get_object_or_404(DmcaNotice, case=case, granted_at__isnull=False)
    document = lumen.export(notice)
    return JsonResponse({**document, "problems": lumen.problems(document)}, json_dumps_params={"indent": 2})


@staff_required
@require_GET
def letter_pdf(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    case = access_case(request.user, reference, ip_address=client_ip(request))
    letter = get_object_or_404(Letter, pk=letter_id, case=case)
    if not letter.pdf:
        raise Http404("The PDF is not rendered yet")
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-{letter.notice.key}-{letter.pk}.pdf"'
    return response


# --- public ------------------------------------------------------------------------------------


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    """DOMAIN §9.5: every granted notice, as published (the claimant's contact data removed)."""
    notices = DmcaNotice.objects.filter(archived_at__isnull=False).select_related("case").order_by("-received_at")
    return render(request, "legal/dmca_archive.html", {"notices": notices})


@require_GET
def archived_notice(request: HttpRequest, reference: str) -> HttpResponse:
    notice = get_object_or_404(DmcaNotice, case__reference=reference, archived_at__isnull=False)
    return render(request, "legal/dmca_archived_notice.html", {"notice": notice})
