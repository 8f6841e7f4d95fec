"""Lumen (lumendatabase.org), where DMCA notices are deposited (DOMAIN §9.5, INTEROP §3.1).

`export()` maps a granted notice to Lumen's `notice` object the way Wikimedia's takedown tools
did: type DMCA, the Foundation as submitter and recipient, the claimant as sender (an
organisation by name, an individual without contact data), the claimant's originals as the
copyrighted URLs and the wiki pages as the infringing ones. `problems()` checks it against the
field rules; `submit()` posts it to the configured endpoint with the token in the
X-Authentication-Token header and reads the notice id from the Location header of the 201.
"""

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.legal.dmca import redact_claimant, timeline
from safetydesk.legal.models import DmcaNotice
from safetydesk.lib.redaction import EMAIL_ADDRESS

TYPES = frozenset({"DMCA", "Counternotice", "Counterfeit", "CourtOrder", "DataProtection", "Defamation",
                   "GovernmentRequest", "LawEnforcementRequest", "LocalLaw", "PrivateInformation", "Trademark",
                   "Other", "Placeholder"})  # fmt: skip
ACTIONS_TAKEN = frozenset({"Yes", "No", "Partial", "Unspecified"})
ROLES = frozenset({"principal", "agent", "attorney", "recipient", "sender", "submitter", "target", "issuing_court",
                   "plaintiff", "defendant"})  # fmt: skip
ENTITY_KINDS = frozenset({"organization", "individual"})
EARLIEST = dt.date(1998, 10, 28)  # the DMCA's enactment: Lumen refuses earlier dates
FOUNDATION = {"name": "Wikimedia Foundation", "kind": "organization", "country_code": "US",
              "url": "https://wikimediafoundation.org/"}  # fmt: skip
LOCATION_ID = re.compile(r"/notices/(\d+)")


class LumenError(Exception):
    """Lumen refused the notice, or could not be reached; the message says which."""


def export(notice: DmcaNotice) -> dict[str, Any]:
    granted = [page for page in notice.infringing if page["hosted"]]
    sender = (
        {"name": notice.claimant_organisation, "kind": "organization"}
        if notice.claimant_organisation
        else {"name": "Individual rights holder", "kind": "individual"}
    )
    if notice.claimant_country:
        sender["country_code"] = notice.claimant_country
    received = notice.received_at.date().isoformat()
    work = redact_claimant(notice, notice.work)  # Lumen is public
    return {
        "notice": {
            "type": "DMCA",
            "title": f"DMCA (Copyright) Complaint to Wikimedia Foundation {notice.case.reference}"[:255],
            "subject": "Takedown notice under 17 U.S.C. § 512(c)",
            "body": work[:5000],
            "date_sent": received,
            "date_received": received,
            "language": (notice.case.language or "en")[:2],
            "source": "Email",
            "tag_list": "wikipedia, wikimedia",
            "jurisdiction_list": "US",
            "action_taken": "Yes" if len(granted) == len(notice.infringing) else "Partial",
            "url_count": len(granted),
            "works_attributes": [
                {
                    "kind": "Unspecified",
                    "description": work[:2000],
                    "copyrighted_urls_attributes": [{"url": url} for url in notice.original_urls],
                    "infringing_urls_attributes": [{"url": page["url"]} for page in granted],
                }
            ],
            "entity_notice_roles_attributes": [
                {"name": "submitter", "entity_attributes": FOUNDATION},
                {"name": "recipient", "entity_attributes": FOUNDATION},
                {"name": "sender", "entity_attributes": sender},
            ],
        }
    }


def problems(document: dict[str, Any]) -> list[str]:
    """What Lumen would refuse in `document` (INTEROP §3.1 field rules); [] when none."""
    found = []
    notice = document.get("notice")
    if not isinstance(notice, dict):
        return ["notice: missing"]
    if notice.get("type") not in TYPES:
        found.append(f"type: {notice.get('type')!r} is not a Lumen type")
    title = notice.get("title")
    if not isinstance(title, str) or not title.strip() or (notice.get("type") == "DMCA" and len(title) > 255):
        found.append("title: required, at most 255 characters for DMCA")
    for field in ("date_sent", "date_received"):
        if field in notice:
            try:
                if dt.date.fromisoformat(str(notice[field])) <= EARLIEST:
                    found.append(f"{field}: must be after {EARLIEST.isoformat()}")
            except ValueError:
                found.append(f"{field}: not a date")
    if "language" in notice and not re.fullmatch(r"[a-z]{2}", str(notice["language"])):
        found.append("language: a 2-letter code")
    if "action_taken" in notice and notice["action_taken"] not in ACTIONS_TAKEN:
        found.append("action_taken: Yes, No, Partial or Unspecified")
    if EMAIL_ADDRESS.search(str(notice.get("body", ""))):
        found.append("body: holds an email address (no personal data in the body)")
    for index, work in enumerate(notice.get("works_attributes") or []):
        if EMAIL_ADDRESS.search(str(work.get("description", ""))):
            found.append(f"works_attributes[{index}]: the description holds an email address")
    works = notice.get("works_attributes")
    if not isinstance(works, list) or not works:
        found.append("works_attributes: at least one work")
    else:
        for index, work in enumerate(works):
            if not work.get("infringing_urls_attributes"):
                found.append(f"works_attributes[{index}]: no infringing URL")
            for url in work.get("infringing_urls_attributes", []) + work.get("copyrighted_urls_attributes", []):
                if not str(url.get("url", "")).startswith(("http://", "https://")):
                    found.append(f"works_attributes[{index}]: {url.get('url')!r} is not a URL")
    for index, role in enumerate(notice.get("entity_notice_roles_attributes", [])):
        entity = role.get("entity_attributes", {})
        if role.get("name") not in ROLES:
            found.append(f"entity_notice_roles_attributes[{index}]: role {role.get('name')!r} unknown")
        if not entity.get("name"):
            found.append(f"entity_notice_roles_attributes[{index}]: the entity needs a name")
        if entity.get("kind", "organization") not in ENTITY_KINDS:
            found.append(f"entity_notice_roles_attributes[{index}]: kind organization or individual")
    return found


def post(document: dict[str, Any], *, url: str, token: str, timeout: float = 30) -> str:
    """POST the notice; the Lumen id of the new notice. LumenError on any refusal."""
    request = urllib.request.Request(  # noqa: S310 (an https URL from the operator's settings)
        url.rstrip("/") + "/notices", data=json.dumps(document).encode(), method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", "X-Authentication-Token": token},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            location = response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        detail = error.read()[:500].decode("utf-8", "replace")
        if error.code == 401:
            raise LumenError(_("Lumen refused the token (401): ask Lumen's staff for a new one.")) from None
        message = _("Lumen refused the notice (%(code)s): %(detail)s") % {"code": error.code, "detail": detail}
        raise LumenError(message) from None
    except OSError as error:
        raise LumenError(_("Lumen could not be reached: %(error)s") % {"error": error}) from None
    match = LOCATION_ID.search(location)
    if match is None:
        raise LumenError(_("Lumen answered without the new notice's address."))
    return match.group(1)


def submit(notice: DmcaNotice, acting_user: Any) -> DmcaNotice:
    """Submit a granted notice to the configured Lumen (network call outside any transaction)."""
    if not settings.LUMEN_URL:
        raise LumenError(_("No Lumen endpoint is configured (SAFETYDESK_LUMEN_URL)."))
    if notice.granted_at is None:
        raise LumenError(_("Only granted notices are deposited with Lumen."))
    if notice.lumen_id:
        raise LumenError(_("This notice is on Lumen already (notice %(id)s).") % {"id": notice.lumen_id})
    document = export(notice)
    wrong = problems(document)
    if wrong:
        raise LumenError(_("The export does not meet Lumen's rules: %(problems)s") % {"problems": "; ".join(wrong)})
    lumen_id = post(document, url=settings.LUMEN_URL, token=settings.LUMEN_TOKEN)
    with transaction.atomic():
        DmcaNotice.objects.filter(pk=notice.pk).update(lumen_id=lumen_id, lumen_submitted_at=timezone.now())
        record_audit(event_type=AuditEventType.LUMEN_SUBMITTED, actor=acting_user, subject=notice,
                     data={"lumen_id": lumen_id})  # fmt: skip
        timeline(notice.case, acting_user, record="lumen")
    notice.refresh_from_db()
    return notice
