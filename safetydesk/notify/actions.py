"""The one way anything is sent to a party (reporter, subject, requester, …), and the only way
message templates change.

`do_queue_notice` writes the notice (rendered, with its own Message-ID) in one transaction with
its audit row and the case's timeline row; the mail goes out after commit, from the task worker
(notify.tasks.send_notice). Nothing here talks to a mail server.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safetydesk.accounts.permissions import is_admin
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.cases.models import Case, CaseEvent, CaseEventKind
from safetydesk.intake.models import IntakeItem
from safetydesk.notify.delivery import new_message_id
from safetydesk.notify.models import Notice, NoticeTemplate
from safetydesk.notify.rendering import TEMPLATES, TemplateProblem, check_notice_template, render_notice, team_context

SYSTEM_ACTOR = "notify"


class NoticeRefused(ValueError):
    """The notice cannot be written as asked (no usable address, unknown template)."""


def check_recipient(recipient: str) -> str:
    recipient = (recipient or "").strip()
    try:
        validate_email(recipient)
    except ValidationError:
        raise NoticeRefused("the recipient is not a valid email address") from None
    return recipient


def check_template_key(key: str) -> str:
    if key not in TEMPLATES:
        raise NoticeRefused(f"no message template {key!r}")
    return key


def check_template_language(language: str) -> str:
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise TemplateProblem(
            _("“%(language)s” is not one of the languages Safetydesk writes in.") % {"language": language}
        )
    return language


def _subject_with_reference(subject: str, case: Case | None) -> str:
    """Replies thread by the reference in the subject (intake.pipeline.find_thread_case) when a
    mail client drops In-Reply-To, so every notice about a case carries it."""
    if case is None or case.reference in subject:
        return subject
    return f"[{case.reference}] {subject}"


def send_notice_on_commit(notice_id: int) -> None:
    from safetydesk.notify.tasks import send_notice

    transaction.on_commit(lambda: send_notice.enqueue(notice_id))


def do_queue_notice(
    *,
    case: Case | None,
    item: IntakeItem | None,
    recipient: str,
    key: str,
    language: str,
    context: dict[str, Any],
    in_reply_to: str = "",
    acting_user: Any = None,
) -> Notice:
    """Write a notice and have it sent after commit.

    Guarantees: the text is rendered now, in `language` or else English, from the
    administrator's wording or the shipped default; the notice has its Message-ID before any
    attempt to send; an intake item gets at most one notice per template (a repeated call
    returns the first notice and sends nothing more); the audit row, and the case's timeline
    row when there is a case, are written in the same transaction."""
    recipient = check_recipient(recipient)
    check_template_key(key)
    values = {**team_context(), **context}
    if case is not None:
        values["reference"] = case.reference
    rendered = render_notice(key, language, values)
    actor = acting_user if getattr(acting_user, "pk", None) else None
    with transaction.atomic():
        if item is not None:
            existing = Notice.objects.filter(intake_item=item, key=key).first()
            if existing is not None:
                return existing
        try:
            with transaction.atomic():
                notice = Notice.objects.create(
                    case=case,
                    intake_item=item,
                    recipient=recipient,
                    key=key,
                    language=rendered.language,
                    subject=_subject_with_reference(rendered.subject, case),
                    body=rendered.body,
                    message_id=new_message_id(),
                    in_reply_to=in_reply_to[:255],
                )
        except IntegrityError:
            # Another worker queued the same item's notice a moment ago: that one stands.
            return Notice.objects.get(intake_item=item, key=key)
        record_audit(
            event_type=AuditEventType.NOTICE_QUEUED,
            actor=actor or SYSTEM_ACTOR,
            subject=notice,
            data={
                "key": key,
                "language": rendered.language,
                "template": rendered.source,
                "case": case.pk if case else None,
                "intake_item": item.pk if item else None,
            },
        )
        if case is not None:
            timeline: Any = {"notice": notice.pk, "template": key, "language": rendered.language}
            CaseEvent.objects.create(case=case, actor=actor, kind=CaseEventKind.MESSAGE_OUT, data=timeline)
        send_notice_on_commit(notice.pk)
    return notice


def notify_role(*, case: Case | None, role: str, key: str, context: dict[str, Any]) -> list[Any]:
    """Queue the staff notice `key` to every active holder of `role` who has an email address,
    each in the first of their languages the console speaks (English otherwise). Returns the
    people told."""
    from safetydesk.accounts.models import User

    known = {code for code, _name in settings.LANGUAGES}
    people = list(User.objects.filter(is_active=True, groups__name=role).exclude(email="").distinct().order_by("pk"))
    for person in people:
        language = next((code for code in (person.languages or []) if code in known), "en")
        do_queue_notice(case=case, item=None, recipient=person.email, key=key, language=language, context=context)
    return people


def _require_admin(acting_user: Any) -> None:
    if not is_admin(acting_user):
        raise PermissionDenied("Only administrators edit message templates.")


@transaction.atomic
def do_save_notice_template(
    *, acting_user: Any, key: str, language: str, subject: str, body: str
) -> NoticeTemplate:
    """Store an administrator's wording for one template and language. Guarantees: it parses,
    uses only the allowed tags and variables, and is audited; notices already queued keep the
    text they were rendered with."""
    _require_admin(acting_user)
    check_template_key(key)
    check_template_language(language)
    subject = subject.strip()
    body = body.replace("\r\n", "\n")
    check_notice_template(subject, body)
    template, created = NoticeTemplate.objects.update_or_create(
        key=key, language=language, defaults={"subject": subject, "body": body, "updated_by": acting_user}
    )
    record_audit(
        event_type=AuditEventType.NOTICE_TEMPLATE_EDITED,
        actor=acting_user,
        subject=template,
        data={"key": key, "language": language, "change": "created" if created else "changed"},
    )
    return template


@transaction.atomic
def do_reset_notice_template(*, acting_user: Any, key: str, language: str) -> bool:
    """Remove the administrator's wording, so the shipped default is used again. Returns
    whether there was one."""
    _require_admin(acting_user)
    check_template_key(key)
    check_template_language(language)
    deleted, _rows = NoticeTemplate.objects.filter(key=key, language=language).delete()
    if deleted:
        record_audit(
            event_type=AuditEventType.NOTICE_TEMPLATE_EDITED,
            actor=acting_user,
            data={"key": key, "language": language, "change": "reset to default"},
        )
    return bool(deleted)
