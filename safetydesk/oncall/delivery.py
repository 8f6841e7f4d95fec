"""Sending one delivery by its channel, and telling a failure worth retrying from a final one.

Never call these inside a transaction: they talk to a mail server or a web service.

What leaves: the case reference, its priority, the escalation step and round, and links to the
case and to acknowledge. Never the case title, the threat text or anyone's personal data —
pagers, chat services and mail providers are third parties.
"""

import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from safetydesk.notify.delivery import DeliveryError, our_domain
from safetydesk.oncall.models import AlertKind, Channel, OncallAlert, Page, PageDelivery
from safetydesk.oncall.rota import STEP_LABELS

SIGNATURE_HEADER = "X-Safetydesk-Signature"
DELIVERY_HEADER = "X-Safetydesk-Delivery"
USER_AGENT = "Safetydesk-Paging/1"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def page_links(page: Page) -> dict[str, str]:
    return {
        "case_url": absolute(reverse("console:case", args=[page.case.reference])),
        "acknowledge_url": absolute(reverse("oncall:acknowledge", args=[page.pk])),
        "board_url": absolute(reverse("oncall:board")),
    }


def page_payload(delivery: PageDelivery) -> dict[str, Any]:
    """The webhook body. Identifiers and links only (see the module docstring)."""
    page = delivery.page
    assert page is not None
    case = page.case
    return {
        "event": "page",
        "delivery_id": delivery.pk,
        "page_id": page.pk,
        "case": case.reference,
        "priority": case.priority,
        "kind": case.kind,
        "step": page.step,
        "round": page.round,
        "paged_at": page.created_at.isoformat(),
        "escalates_after_minutes": settings.ONCALL_ESCALATE_AFTER_MINUTES,
        **page_links(page),
    }


def sign(body: bytes) -> str:
    secret = settings.ONCALL_WEBHOOK_SECRET.encode()
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


def page_mail(page: Page) -> Mail:
    case = page.case
    links = page_links(page)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[%(reference)s] %(priority)s emergency: you are paged (%(step)s)") % {
            "reference": case.reference,
            "priority": case.priority,
            "step": STEP_LABELS.get(page.step, page.step),
        }
        lines = [
            _("An emergency case needs an on-call responder now."),
            "",
            _("Case: %(reference)s") % {"reference": case.reference},
            _("Priority: %(priority)s") % {"priority": case.priority},
            _("Paged as: %(step)s, round %(round)s")
            % {
                "step": STEP_LABELS.get(page.step, page.step),
                "round": page.round + 1,
            },
            "",
            _("Acknowledge (stops escalation): %(url)s") % {"url": links["acknowledge_url"]},
            _("Open the case: %(url)s") % {"url": links["case_url"]},
            _("Emergency board: %(url)s") % {"url": links["board_url"]},
            "",
            _("Unacknowledged after %(minutes)s minutes, the next level is paged.")
            % {"minutes": settings.ONCALL_ESCALATE_AFTER_MINUTES},
            _("This message holds no details of the report on purpose: read them in Safetydesk."),
        ]
    return Mail(subject, "\n".join(lines) + "\n")


def alert_mail(alert: OncallAlert) -> Mail:
    with translation.override(settings.LANGUAGE_CODE):
        if alert.kind == AlertKind.ROTA_GAP:
            subject = _("On-call rota gap: nobody at %(level)s from %(start)s UTC") % {
                "level": alert.get_level_display(),
                "start": f"{alert.starts_at:%Y-%m-%d %H:%M}",
            }
            body = _(
                "Nobody is on call at level %(level)s from %(start)s UTC until %(end)s UTC.\n"
                "Emergencies in that time page the fallback list only.\n\n"
                "Fill the gap on the rota: %(url)s\n"
            ) % {
                "level": alert.get_level_display(),
                "start": f"{alert.starts_at:%Y-%m-%d %H:%M}",
                "end": f"{alert.ends_at:%Y-%m-%d %H:%M}",
                "url": absolute(reverse("oncall:rota")),
            }
        else:
            subject = _("A paging channel is failing")
            body = _("A page could not be delivered. See the emergency board: %(url)s\n") % {
                "url": absolute(reverse("oncall:board"))
            }
    return Mail(subject, body)


def send_email(delivery: PageDelivery) -> None:
    mail = page_mail(delivery.page) if delivery.page is not None else alert_mail(_alert(delivery))
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.target],
        # One Message-ID per delivery: a re-send after a crash is recognised as the same message.
        headers={
            "Message-ID": make_msgid(idstring=f"page-delivery-{delivery.pk}", domain=our_domain()),
            "Auto-Submitted": "auto-generated",
            "X-Priority": "1",
        },
    )
    try:
        message.send(using="default")
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        code = codes[0] if codes else None
        raise DeliveryError(f"recipient refused ({code})", permanent=not _transient_smtp(code), smtp_code=code) from exc
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(
            f"{type(exc).__name__} {exc.smtp_code}",
            permanent=not _transient_smtp(exc.smtp_code),
            smtp_code=exc.smtp_code,
        ) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}", permanent=False) from exc


def _alert(delivery: PageDelivery) -> OncallAlert:
    assert delivery.alert is not None
    return delivery.alert


def _transient_smtp(code: int | None) -> bool:
    return code is None or code < 100 or 400 <= code < 500


def send_webhook(delivery: PageDelivery) -> None:
    """POST the page as JSON. 2xx is delivered; timeouts, connection errors, 408, 429 and 5xx
    may pass with time; any other answer will not."""
    body = json.dumps(page_payload(delivery), separators=(",", ":")).encode()
    request = urllib.request.Request(  # noqa: S310 - the URL is operator configuration, http(s) checked
        delivery.target,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            SIGNATURE_HEADER: sign(body),
            DELIVERY_HEADER: str(delivery.pk),  # receivers drop a re-sent delivery by this id
        },
    )
    if not delivery.target.startswith(("https://", "http://")):
        raise DeliveryError("the webhook URL is not http(s)", permanent=True)
    try:
        with urllib.request.urlopen(request, timeout=settings.ONCALL_WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read(1024)
    except urllib.error.HTTPError as exc:
        transient = exc.code >= 500 or exc.code in {408, 425, 429}
        raise DeliveryError(f"HTTP {exc.code}", permanent=not transient) from exc
    except TimeoutError as exc:
        raise DeliveryError("timed out", permanent=False) from exc
    except urllib.error.URLError as exc:
        raise DeliveryError(f"{type(exc.reason).__name__}: {exc.reason}", permanent=False) from exc
    except OSError as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}", permanent=False) from exc


def send(delivery: PageDelivery) -> None:
    """Send once. Raises notify's DeliveryError saying whether a retry can help."""
    if delivery.channel == Channel.EMAIL:
        send_email(delivery)
    elif delivery.channel == Channel.WEBHOOK:
        send_webhook(delivery)
    else:
        raise DeliveryError(f"unknown channel {delivery.channel}", permanent=True)
