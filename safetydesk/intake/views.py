"""The public report form (issue 3, parts 3 and 8): no login, works without JavaScript.

A valid report is committed as an intake item before anything else (`receive_submission`),
then processed into a case; the reporter is sent to a receipt page that shows the case's
reference, or the item's own ("R-<id>") if processing could not finish. Nothing accepted is
lost. What is refused is refused before anything is stored, with a page that says why: too
many reports from one address or one email (429), or a request too large to read (413).
Submissions that look automated (the honeypot, or sent faster than a person can type) are
kept, but dismissed as spam at once, so bots never open cases.
"""

import logging
import math
import time
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import CaseKind
from safetydesk.intake.channels import registry
from safetydesk.intake.forms import ReportForm, issue_form_token
from safetydesk.intake.limits import hit
from safetydesk.intake.models import DismissalReason, IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import process_item, receive_submission, sender_key
from safetydesk.intake.submission import Submission
from safetydesk.lib.http import client_ip

logger = logging.getLogger("safetydesk.intake.webform")

RECEIPT_SALT = "safetydesk.intake.report-receipt"
SPAM_ACTOR = "intake:webform"


@csrf_exempt  # checked below, once the request is known to be small enough to read
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > settings.INTAKE_FORM_MAX_REQUEST_BYTES:
            return _too_large(request)
        try:
            request.POST, request.FILES  # noqa: B018  (read now: Django refuses oversized parts here)
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            return _too_large(request)
    return _report(request)


@csrf_protect
def _report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            return _take(request, form)
    else:
        form = ReportForm(initial={"started": issue_form_token()})
    return render(request, "intake/report.html", {"form": form, **_contacts()})


def _take(request: HttpRequest, form: ReportForm) -> HttpResponse:
    submission = form.submission(language=translation.get_language() or settings.LANGUAGE_CODE)
    retry_after = _over_limit(request, submission.sender)
    if retry_after is not None:
        return _limited(request, form, retry_after)
    signals = form.spam_signals()
    if signals:
        item = receive_suspected_spam(form.channel_key, submission, signals=signals, ip=client_ip(request))
    else:
        item = receive_submission(form.channel_key, submission)  # committed: from here on, nothing is lost
        try:
            item = process_item(item).item
        except Exception:  # process_item quarantines its own failures; this is the last guard
            logger.exception("web report %s was received but could not be processed", item.pk)
    receipt = signing.dumps({"i": item.pk, "t": form.threat, "e": bool(submission.sender)}, salt=RECEIPT_SALT)
    return redirect(f"{reverse('intake:report_done')}?{urlencode({'receipt': receipt})}")


def receive_suspected_spam(
    channel_key: str, submission: Submission, *, signals: list[str], ip: str | None
) -> IntakeItem:
    """Keep a submission that looks automated without letting it open a case: it is committed
    like any other, then dismissed as spam with the signals that gave it away (flag
    `spam_suspected`), so a person can still find it, and no acknowledgement is sent."""
    item = receive_submission(channel_key, submission)
    with transaction.atomic():
        locked = IntakeItem.objects.select_for_update().get(pk=item.pk)
        if locked.status != IntakeStatus.RECEIVED:
            return locked  # a worker picked it up first
        locked.status = IntakeStatus.DISMISSED
        locked.dismissal_reason = DismissalReason.SPAM
        locked.flags = sorted(set(locked.flags) | set(submission.flags) | {"spam_suspected"})
        locked.subject = submission.subject
        locked.body = submission.body[: settings.INTAKE_MAX_BODY_CHARS]
        locked.language = submission.language
        locked.classification = cast(Any, {"channel": channel_key, "spam_signals": signals, "meta": submission.meta})
        locked.processed_at = timezone.now()
        locked.attempts += 1
        locked.save()
        record_audit(
            event_type=AuditEventType.INTAKE_DISMISSED, actor=SPAM_ACTOR, subject=locked, ip_address=ip,
            data={"reason": DismissalReason.SPAM.value, "signals": signals},
        )
    return locked


@require_GET
@never_cache
def report_done(request: HttpRequest) -> HttpResponse:
    try:
        receipt = signing.loads(request.GET.get("receipt", ""), salt=RECEIPT_SALT)
        item_id = int(receipt["i"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        item = None
    else:
        item = IntakeItem.objects.select_related("case").filter(pk=item_id).first()
    if item is None:
        return render(request, "intake/report_receipt_missing.html", _contacts(), status=404)
    case = item.case
    context = {
        "reference": case.reference if case is not None else f"R-{item.pk}",
        # Urgency rules may find a threat in a report filed under another category.
        "threat": bool(receipt.get("t")) or (case is not None and case.kind == CaseKind.EMERGENCY),
        "has_email": bool(receipt.get("e")),
        "ack_days": settings.SLA_ACK_BUSINESS_DAYS,
        **_contacts(),
    }
    return render(request, "intake/report_done.html", context)


# --- limits and refusals ----------------------------------------------------------------------


def _over_limit(request: HttpRequest, email: str) -> int | None:
    """Count this report against its address and its email; the seconds to wait if either
    is over its limit for the window, else None."""
    window = settings.INTAKE_FORM_LIMIT_WINDOW_SECONDS
    ip = client_ip(request) or "unknown"
    within = hit(f"webform:ip:{ip}", limit=settings.INTAKE_FORM_LIMIT_PER_IP, window_seconds=window)
    if within and email:
        # The email is matched by its keyed hash, never stored in clear.
        within = hit(
            f"webform:email:{sender_key(email)}", limit=settings.INTAKE_FORM_LIMIT_PER_EMAIL, window_seconds=window
        )
    if within:
        return None
    return window - int(time.time()) % window


def _limited(request: HttpRequest, form: ReportForm, retry_after: int) -> HttpResponse:
    context = {"minutes": max(1, math.ceil(retry_after / 60)), "body": form.cleaned_data.get("body", ""), **_contacts()}
    response = render(request, "intake/report_limited.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _too_large(request: HttpRequest) -> HttpResponse:
    context = {
        "max_chars": number_format(settings.INTAKE_FORM_MAX_BODY_CHARS, force_grouping=True),
        "max_files": settings.INTAKE_FORM_MAX_SCREENSHOTS,
        "max_mb": number_format(settings.INTAKE_FORM_MAX_SCREENSHOT_BYTES / (1024 * 1024), decimal_pos=0),
        **_contacts(),
    }
    return render(request, "intake/report_too_large.html", context, status=413)


def _contacts() -> dict[str, Any]:
    """The addresses and links the guidance names, from the channel registry and settings."""
    channels = registry().channels

    def first_address(key: str) -> str:
        channel = channels.get(key)
        return channel.addresses[0] if channel is not None and channel.addresses else ""

    return {
        "emergency_address": first_address("emergency"),
        "general_address": first_address("general"),
        "emergency_numbers_url": settings.INTAKE_EMERGENCY_NUMBERS_URL,
        "support_resources_url": settings.INTAKE_SUPPORT_RESOURCES_URL,
    }
