"""DMCA takedown notices and counter-notices (DOMAIN §9, INTEROP §3.2).

The notice is recorded with each statutory element and the evidence for it, and its URLs are
read (a search is refused, another site is marked "not a Wikimedia site"); a deficient notice
gets a deficiency letter and waits 30 days for the claimant (legal.jobs closes it after). A
complete notice goes to the team and manager, then to legal counsel: granted, each page is
taken down through the enforcement outbox, the uploader is told how to counter-notify, the
community is told on a wiki page, and the notice is archived (claimant's contact data removed)
for the public archive and Lumen; rejected, the claimant gets the reasons. A valid counter-
notice is forwarded to the claimant and starts the put-back window: not before business day 10,
not after business day 14 (legal.jobs restores on day 10 unless the claimant reported a suit).
"""

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import can_act_as_counsel, can_work_case
from safetydesk.accounts.roles import Role
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.actions import do_transition, lock_case, timeline_row
from safetydesk.cases.models import Case, CaseKind, Party, PartyRole
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import (
    ActionExecution,
    ActionStatus,
    ActionType,
    OfficeAction,
    Operation,
)
from safetydesk.intake.grouping import normalize_username
from safetydesk.legal.errors import LegalNotPermitted, LegalRefusal
from safetydesk.legal.letters import send_letter
from safetydesk.legal.models import CounterElement, CounterNotice, DmcaNotice, MeritsReason, NoticeElement
from safetydesk.legal.presenters import CASE_EVENT_LEGAL
from safetydesk.legal.urls_named import NamedPage, name_page
from safetydesk.lib.calendar import add_business_days
from safetydesk.lib.redaction import EMAIL_ADDRESS, PHONE
from safetydesk.notify.actions import notify_role
from safetydesk.wiki.models import Wiki

SYSTEM_ACTOR = "legal:dmca"
# § 512(g)(2)(C): put back "not less than 10, nor more than 14, business days" after receipt.
RESTORE_FROM_BUSINESS_DAYS = 10
RESTORE_BY_BUSINESS_DAYS = 14


def timeline(case: Case, actor: Any, **data: Any) -> None:
    timeline_row(case, actor, CASE_EVENT_LEGAL, data)


def require_worker(case: Case, acting_user: Any) -> None:
    if not can_work_case(acting_user, case):
        raise LegalNotPermitted(_("You may not work on this case."))


def require_counsel(case: Case, acting_user: Any) -> None:
    if not can_act_as_counsel(acting_user, case):
        raise LegalNotPermitted(_("Legal counsel decides this."))


def _elements(given: dict[str, Any], known: type[NoticeElement] | type[CounterElement]) -> dict[str, dict[str, Any]]:
    """{element: {"present", "evidence"}} for every element, from what the form sent."""
    cleaned = {}
    for element in known.values:
        value = given.get(element) or {}
        evidence = str(value.get("evidence", "")).strip()[:2000]
        cleaned[element] = {"present": bool(value.get("present")), "evidence": evidence}
    return cleaned


def missing(elements: dict[str, dict[str, Any]], known: type[NoticeElement] | type[CounterElement]) -> list[str]:
    return [key for key in known.values if not elements.get(key, {}).get("present")]


def labels(keys: list[str], known: type[NoticeElement] | type[CounterElement], language: str) -> str:
    with translation.override(language):
        names = dict(known.choices)
        return "\n".join(f"- {names[key]}" for key in keys)


# --- the notice -------------------------------------------------------------------------------


@transaction.atomic
def do_record_notice(
    *, case: Case, acting_user: Any, claimant_name: str, work: str, infringing_urls: list[str],
    elements: dict[str, Any], claimant_organisation: str = "", claimant_contact: str = "", claimant_email: str = "",
    claimant_country: str = "", original_urls: Sequence[str] = (), uploader: str = "", uploader_email: str = "",
    uploader_language: str = "",
) -> DmcaNotice:
    """Record (or, after the claimant's answer, complete) the notice, then check it: complete
    goes to merits review; deficient gets the deficiency letter and waits for the claimant."""
    case = lock_case(case, None)
    require_worker(case, acting_user)
    if case.kind != CaseKind.DMCA:
        raise LegalRefusal(_("DMCA notices are recorded on DMCA cases."))
    if case.state not in {"VALIDITY_CHECK", "AWAITING_CLAIMANT"}:
        raise LegalRefusal(_("The notice is checked after it is acknowledged and before its merits review."))
    if not claimant_name.strip() or not work.strip():
        raise LegalRefusal(_("Name the claimant and the copyrighted work."), details={"field": "claimant_name"})
    pages = [name_page(url) for url in infringing_urls if url.strip()]
    if not pages:
        raise LegalRefusal(_("List the exact URL of each page or file the notice names."),
                           details={"field": "infringing_urls"})  # fmt: skip
    checked = _elements(elements, NoticeElement)
    notice, _created = DmcaNotice.objects.update_or_create(
        case=case,
        defaults={
            "claimant_name": claimant_name.strip()[:300], "claimant_organisation": claimant_organisation.strip()[:200],
            "claimant_contact": claimant_contact.strip()[:2000], "claimant_email": claimant_email.strip()[:254],
            "claimant_country": claimant_country.strip().upper()[:2], "work": work.strip()[:5000],
            "original_urls": [u.strip() for u in original_urls if u.strip()][:50],
            "infringing": [page.as_json() for page in pages], "elements": checked,
            "uploader": uploader.strip()[:255],
        },
    )  # fmt: skip
    if uploader.strip() and not _uploader_party(case, uploader):
        Party.objects.create(case=case, role=PartyRole.SUBJECT, wiki_username=uploader.strip()[:255],
                             email=uploader_email.strip()[:254], language=uploader_language[:8])  # fmt: skip
    lacking = missing(checked, NoticeElement)
    notice.complete = not lacking
    record_audit(event_type=AuditEventType.DMCA_NOTICE_RECORDED, actor=acting_user, subject=notice,
                 data={"missing": lacking, "pages": len(pages), "hosted": sum(p.hosted for p in pages)})  # fmt: skip
    if not lacking:
        notice.awaiting_claimant_until = None
        notice.save()
        do_transition(case=case, transition="find_complete", acting_user=acting_user)
        timeline(case, acting_user, record="complete")
        return notice
    notice.save()
    if case.state == "VALIDITY_CHECK":
        _send_deficiency(notice, lacking, acting_user)
    return notice


def _uploader_party(case: Case, account: str) -> Party | None:
    key = normalize_username(account)
    return next((p for p in case.parties.filter(role=PartyRole.SUBJECT)
                 if p.wiki_username and normalize_username(p.wiki_username) == key), None)  # fmt: skip


def _claimant_language(notice: DmcaNotice) -> str:
    return notice.case.language or "en"


def _send_deficiency(notice: DmcaNotice, lacking: list[str], acting_user: Any) -> None:
    do_transition(case=notice.case, transition="find_deficient", acting_user=acting_user)
    now = timezone.now()
    notice.awaiting_claimant_until = now + dt.timedelta(days=settings.DMCA_DEFICIENCY_DAYS)
    if notice.claimant_email:
        language = _claimant_language(notice)
        send_letter(case=notice.case, key="dmca_deficiency", recipient=notice.claimant_email, language=language,
                    context={"missing_elements": labels(lacking, NoticeElement, language)},
                    acting_user=acting_user)  # fmt: skip
        notice.deficiency_letter_sent_at = now
    notice.save(update_fields=["deficiency_letter_sent_at", "awaiting_claimant_until"])
    # Without an email address the letter goes by post: its PDF is on the case for that.
    timeline(notice.case, acting_user, record="deficient" if notice.claimant_email else "deficient_no_email",
             missing=lacking)  # fmt: skip


def close_unanswered(now: dt.datetime | None = None) -> list[int]:
    """Deficient notices whose 30 days passed without an answer are closed (legal.jobs)."""
    now = now or timezone.now()
    closed = []
    due = DmcaNotice.objects.filter(case__state="AWAITING_CLAIMANT", awaiting_claimant_until__lte=now)
    for notice in due.select_related("case"):
        with transaction.atomic():
            do_transition(case=notice.case, transition="close_incomplete", acting_user=SYSTEM_ACTOR)
            timeline(notice.case, None, record="closed_incomplete")
        closed.append(notice.pk)
    return closed


# --- merits ------------------------------------------------------------------------------------


@transaction.atomic
def do_reject(*, notice: DmcaNotice, acting_user: Any, reason: str, note: str = "") -> DmcaNotice:
    """Push back (DOMAIN §9.1: "if we believe that the content in question is actually lawful")."""
    notice = DmcaNotice.objects.select_for_update().select_related("case").get(pk=notice.pk)
    require_counsel(notice.case, acting_user)
    if reason not in MeritsReason.values:
        raise LegalRefusal(_("Give the reason the notice is not granted."), details={"field": "reason"})
    do_transition(case=notice.case, transition="reject", acting_user=acting_user)
    notice.merits_reason, notice.merits_note = reason, note.strip()[:5000]
    notice.decided_by, notice.rejected_at = acting_user, timezone.now()
    notice.save()
    if notice.claimant_email:
        language = _claimant_language(notice)
        with translation.override(language):
            reason_text = str(dict(MeritsReason.choices)[reason])
        send_letter(case=notice.case, key="dmca_rejection", recipient=notice.claimant_email, language=language,
                    context={"rejection_reason": reason_text, "pages": _pages_text(notice)},
                    acting_user=acting_user)  # fmt: skip
    record_audit(event_type=AuditEventType.DMCA_DECIDED, actor=acting_user, subject=notice,
                 data={"granted": False, "reason": reason})  # fmt: skip
    timeline(notice.case, acting_user, record="rejected", reason=reason)
    return notice


def _pages_text(notice: DmcaNotice) -> str:
    return "\n".join(page["url"] for page in notice.infringing)


@transaction.atomic
def do_grant(*, notice: DmcaNotice, acting_user: Any, note: str = "") -> list[OfficeAction]:
    """Grant: take each hosted page down through the outbox (one office action per page, on its
    wiki, or by hand where the wiki is not registered), tell the uploader, announce, archive."""
    notice = DmcaNotice.objects.select_for_update().select_related("case").get(pk=notice.pk)
    require_counsel(notice.case, acting_user)
    pages = [NamedPage(**page) for page in notice.infringing if page["hosted"]]
    if not pages:
        raise LegalRefusal(
            _("None of the URLs is on a site the platform runs: reject the notice as “not a Wikimedia site”.")
        )
    do_transition(case=notice.case, transition="grant", acting_user=acting_user)
    now = timezone.now()
    notice.decided_by, notice.granted_at, notice.merits_note = acting_user, now, note.strip()[:5000]
    wikis = {w.name: w for w in Wiki.objects.all()}
    actions = []
    for page in pages:
        action = OfficeAction.objects.create(
            case=notice.case, action_type=ActionType.DMCA_TAKEDOWN, target=notice.uploader or page.title,
            wiki=wikis.get(page.wiki), details={"page": page.title, "url": page.url}, decided_by=acting_user,
        )  # fmt: skip
        do_carry_out(office_action=action, acting_user=acting_user)
        actions.append(action)
    notice.takedowns.add(*actions)
    notice.archive_text, notice.archived_at = archive_text(notice), now
    notice.save()
    _notify_uploader(notice, acting_user)
    _announce(notice, actions[0])
    record_audit(event_type=AuditEventType.DMCA_DECIDED, actor=acting_user, subject=notice,
                 data={"granted": True, "takedowns": [a.pk for a in actions]})  # fmt: skip
    timeline(notice.case, acting_user, record="granted", pages=len(actions))
    against = len(granted_against(notice.uploader)) if notice.uploader else 0
    if against >= settings.DMCA_REPEAT_INFRINGER_NOTICES:
        timeline(notice.case, None, record="repeat_infringer", account=notice.uploader)
        record_audit(event_type=AuditEventType.DMCA_REPEAT_INFRINGER, actor=SYSTEM_ACTOR, subject=notice,
                     data={"notices": against})  # fmt: skip
    return actions


def archive_url(notice: DmcaNotice) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("dmca_archive:notice", args=[notice.case.reference])


def _notify_uploader(notice: DmcaNotice, acting_user: Any) -> None:
    party = _uploader_party(notice.case, notice.uploader) if notice.uploader else None
    if party is None or not party.email:
        timeline(notice.case, None, record="uploader_not_emailed")
        return
    send_letter(case=notice.case, key="dmca_uploader_notice", recipient=party.email,
                language=party.language or "en", acting_user=acting_user,
                context={"pages": _pages_text(notice), "archive_url": archive_url(notice)})  # fmt: skip
    notice.uploader_notified_at = timezone.now()
    notice.save(update_fields=["uploader_notified_at"])


def _announce(notice: DmcaNotice, action: OfficeAction) -> ActionExecution | None:
    """DOMAIN §9.4: the community announcement, as a section of the configured page, through
    the outbox (it waits for nothing: the takedown's executions are already queued)."""
    wiki = Wiki.objects.filter(name=settings.DMCA_ANNOUNCE_WIKI).first() if settings.DMCA_ANNOUNCE_WIKI else None
    if wiki is None:
        return None
    files = "\n".join(f"* [[:{page['title']}]]" for page in notice.infringing if page["hosted"])
    text = (
        "In compliance with the provisions of the US Digital Millennium Copyright Act (DMCA), and at the "
        "instruction of the Wikimedia Foundation's legal counsel, one or more files have been deleted. Please "
        "note that this is an official action of the Wikimedia Foundation office which should not be undone. "
        f"If you have valid grounds for a counter-claim under the DMCA, please contact the legal team. "
        f"The takedown can be read here: {archive_url(notice)}\n\nAffected file(s):\n{files}"
    )
    execution = ActionExecution.objects.create(
        office_action=action, wiki=wiki, operation=Operation.ANNOUNCEMENT,
        idempotency_key=f"{action.pk}:{wiki.name}:{Operation.ANNOUNCEMENT}",
        content={"page": settings.DMCA_ANNOUNCE_PAGE, "heading": f"DMCA takedown {notice.case.reference}",
                 "text": text},
    )  # fmt: skip
    from safetydesk.enforcement.actions import enqueue_executions

    transaction.on_commit(lambda: enqueue_executions([execution.pk]))
    notice.announced_at = timezone.now()
    notice.save(update_fields=["announced_at"])
    return execution


def archive_text(notice: DmcaNotice) -> str:
    """The notice as published (DOMAIN §9.5): who sent it (an organisation by name, a person as
    "an individual"), the work, the URLs and the date; no address, telephone or email."""
    sender = notice.claimant_organisation or "An individual rights holder"
    lines = [
        f"DMCA takedown notice received {notice.received_at:%Y-%m-%d}",
        f"Sent by: {sender}",
        f"Copyrighted work: {notice.work}",
        "Material identified as infringing:",
        *[f"  {page['url']}" for page in notice.infringing],
    ]
    return redact_claimant(notice, "\n".join(lines))


def redact_claimant(notice: DmcaNotice, text: str) -> str:
    """`text` without the claimant's personal data: their name, each part of their contact
    details (however they were written: lines, commas, semicolons), any email address and
    telephone number; the organisation's name stays."""
    parts = {notice.claimant_name, notice.claimant_email}
    parts |= set(re.split(r"[\n,;]+", notice.claimant_contact))
    keep = notice.claimant_organisation.strip().casefold()
    for part in sorted((p.strip() for p in parts), key=len, reverse=True):
        if len(part) >= 4 and part.casefold() != keep:
            text = re.sub(re.escape(part), "[redacted]", text, flags=re.IGNORECASE)
    text = EMAIL_ADDRESS.sub("[redacted]", text)
    return PHONE.sub("[redacted]", text)




def granted_against(account: str) -> list[DmcaNotice]:
    """Granted notices against this uploader in the last 12 months (DOMAIN §9.4 [P])."""
    since = timezone.now() - dt.timedelta(days=settings.DMCA_REPEAT_INFRINGER_DAYS)
    key = normalize_username(account)
    recent = DmcaNotice.objects.filter(granted_at__gte=since).exclude(uploader="")
    return [n for n in recent if normalize_username(n.uploader) == key]


# --- counter-notices ---------------------------------------------------------------------------


def restore_window(received_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(first, last) moment the material may and must be put back: business days 10 and 14
    (lib.calendar: the US federal calendar, dates counted in UTC like every clock here)."""
    return (
        add_business_days(received_at, RESTORE_FROM_BUSINESS_DAYS),
        add_business_days(received_at, RESTORE_BY_BUSINESS_DAYS),
    )


@transaction.atomic
def do_record_counter_notice(
    *, notice: DmcaNotice, acting_user: Any, sender: str, elements: dict[str, Any], sender_email: str = "",
    received_at: dt.datetime | None = None,
) -> CounterNotice:
    """A counter-notice with every element of § 512(g)(3) is forwarded to the claimant and
    starts the put-back window; one that lacks an element, or answers no takedown, is refused
    (nothing is recorded: the uploader is asked for what is missing)."""
    notice = DmcaNotice.objects.select_for_update().select_related("case").get(pk=notice.pk)
    require_worker(notice.case, acting_user)
    if notice.granted_at is None or notice.case.state != "TAKEN_DOWN":
        raise LegalRefusal(_("Nothing was taken down on this notice, so there is nothing to counter-notify."))
    if not notice.takedowns.filter(status__in=[ActionStatus.ENFORCED, ActionStatus.ENFORCING]).exists():
        raise LegalRefusal(_("The takedown was never carried out, so there is nothing to put back."))
    checked = _elements(elements, CounterElement)
    lacking = missing(checked, CounterElement)
    if lacking:
        raise LegalRefusal(
            _("The counter-notice lacks: %(missing)s. Ask the uploader for it; the window starts when it is complete.")
            % {"missing": "; ".join(str(dict(CounterElement.choices)[key]) for key in lacking)},
            details={"missing": lacking},
        )
    if not sender.strip():
        raise LegalRefusal(_("Name who sent the counter-notice."), details={"field": "sender"})
    received = received_at or timezone.now()
    opens, closes = restore_window(received)
    counter = CounterNotice.objects.create(
        notice=notice, received_at=received, sender=sender.strip()[:300], sender_email=sender_email.strip()[:254],
        elements=checked, valid=True, restore_from=opens, restore_by=closes, recorded_by=acting_user,
    )  # fmt: skip
    do_transition(case=notice.case, transition="counter_notice", acting_user=acting_user)
    if notice.claimant_email:
        send_letter(case=notice.case, key="dmca_counter_forward", recipient=notice.claimant_email,
                    language=_claimant_language(notice), acting_user=acting_user,
                    context={"pages": _pages_text(notice), "restore_on": opens.date().isoformat(),
                             "restore_by": closes.date().isoformat(),
                             "counter_notice": counter_text(counter)})  # fmt: skip
        counter.forwarded_at = timezone.now()
        counter.save(update_fields=["forwarded_at"])
    record_audit(event_type=AuditEventType.DMCA_COUNTER_NOTICE_RECORDED, actor=acting_user, subject=counter,
                 data={"restore_from": opens.isoformat(), "restore_by": closes.isoformat()})  # fmt: skip
    timeline(notice.case, acting_user, record="counter_notice", restore_from=opens.date().isoformat(),
             restore_by=closes.date().isoformat())  # fmt: skip
    return counter


def counter_text(counter: CounterNotice) -> str:
    """The counter-notice as forwarded to the claimant (§ 512(g)(2)(B): "a copy"): its sender and
    each statutory element with what the uploader stated for it."""
    names = dict(CounterElement.choices)
    lines = [f"Counter-notice received {counter.received_at:%Y-%m-%d} from {counter.sender}"]
    lines += [f"- {names[key]}: {value['evidence']}" for key, value in counter.elements.items() if value["evidence"]]
    return "\n".join(lines)


@transaction.atomic
def do_report_lawsuit(*, counter: CounterNotice, acting_user: Any) -> CounterNotice:
    """§ 512(g)(2)(C): the claimant says it filed an action seeking a court order: no put-back."""
    counter = CounterNotice.objects.select_for_update().select_related("notice__case").get(pk=counter.pk)
    require_counsel(counter.notice.case, acting_user)
    if counter.restore_started_at is not None:
        raise LegalRefusal(_("The material is already being put back."))
    do_transition(case=counter.notice.case, transition="lawsuit", acting_user=acting_user)
    counter.lawsuit_reported_at = timezone.now()
    counter.save(update_fields=["lawsuit_reported_at"])
    record_audit(event_type=AuditEventType.DMCA_LAWSUIT_REPORTED, actor=acting_user, subject=counter)
    timeline(counter.notice.case, acting_user, record="lawsuit")
    return counter


def restore_due(now: dt.datetime | None = None) -> list[int]:
    """Start putting back what valid counter-notices made due (business day 10 has come, no suit
    was reported): one restoration per takedown, through the outbox (legal.jobs, every 15 min).
    The case closes as restored once every restoration is carried out (on_restoration_done)."""
    now = now or timezone.now()
    started = []
    due = CounterNotice.objects.filter(valid=True, restore_started_at__isnull=True, lawsuit_reported_at__isnull=True,
                                       restore_from__lte=now, notice__case__state="RESTORE_WINDOW")  # fmt: skip
    for counter in due.select_related("notice__case"):
        with transaction.atomic():
            counter.restore_started_at = now
            counter.save(update_fields=["restore_started_at"])
            for takedown in counter.notice.takedowns.all():
                restoration = OfficeAction.objects.create(
                    case=counter.notice.case, action_type=ActionType.DMCA_RESTORE, target=takedown.target,
                    wiki=takedown.wiki, details=takedown.details,
                )  # fmt: skip
                counter.restorations.add(restoration)
                do_carry_out(office_action=restoration, acting_user=SYSTEM_ACTOR)
        started.append(counter.pk)
    return started


def on_restoration_done(action: OfficeAction) -> None:
    """Called when an office action is carried out everywhere (enforcement.actions.after_enforced):
    the counter-notice whose restorations are now all done is put back, and its case closes."""
    if action.action_type != ActionType.DMCA_RESTORE:
        return
    counter = CounterNotice.objects.select_for_update().filter(restorations=action, restored_at__isnull=True).first()
    if counter is None or counter.restorations.exclude(status=ActionStatus.ENFORCED).exists():
        return
    counter.restored_at = timezone.now()
    counter.save(update_fields=["restored_at"])
    case = Case.objects.get(pk=action.case_id)
    do_transition(case=case, transition="restore", acting_user=SYSTEM_ACTOR)
    record_audit(event_type=AuditEventType.DMCA_RESTORED, actor=SYSTEM_ACTOR, subject=counter)
    timeline(case, None, record="restored")


def remind_closing_windows(now: dt.datetime | None = None) -> list[int]:
    """A window whose last day is the next business day (or today) and the material is not back
    (the restoration waits for a person, failed, or was held): legal counsel are reminded, once."""
    now = now or timezone.now()
    soon = add_business_days(now, 1).date()
    # The last day is a date: a window closing on it is due from the start of the day before.
    due = CounterNotice.objects.filter(valid=True, restored_at__isnull=True, lawsuit_reported_at__isnull=True,
                                       reminded_at__isnull=True, restore_by__date__lte=soon)  # fmt: skip
    reminded = []
    for counter in due.select_related("notice__case"):
        with transaction.atomic():
            last_day = counter.restore_by.date().isoformat() if counter.restore_by else ""
            notify_role(case=counter.notice.case, role=Role.LEGAL_COUNSEL, key="dmca_restore_reminder",
                        context={"restore_by": last_day})  # fmt: skip
            counter.reminded_at = now
            counter.save(update_fields=["reminded_at"])
        reminded.append(counter.pk)
    return reminded

