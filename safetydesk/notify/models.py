"""Every message sent to a party (ARCHITECTURE §4 `Notice`), and administrators' edits of the
message templates (`NoticeTemplate`, overriding the defaults in templates/notify/<key>/<lang>.txt).

A notice is written, with its rendered subject and body and its own Message-ID, before anything
is sent: the row is the delivery log, and replies thread into the case by that Message-ID.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case
from safetydesk.intake.models import IntakeItem
from safetydesk.lib.crypto import EncryptedTextField


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("Email")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notice(models.Model):
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="notices")
    intake_item = models.ForeignKey(
        IntakeItem, null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    recipient = EncryptedTextField()
    key = models.CharField(max_length=64)  # the template key, e.g. ack_emergency
    language = models.CharField(max_length=8)  # the language the text is in (after fallback)
    channel = models.CharField(max_length=16, choices=NoticeChannel.choices, default=NoticeChannel.EMAIL)
    subject = EncryptedTextField()
    body = EncryptedTextField()
    # Ours, made when the notice is queued (before any attempt to send); intake.pipeline's
    # find_thread_case matches a reply's In-Reply-To/References against it.
    message_id = models.CharField(max_length=255, db_index=True)
    # The reporter's own Message-ID, when the notice answers an email: their client threads it.
    in_reply_to = models.CharField(max_length=255, blank=True)

    status = models.CharField(max_length=8, choices=NoticeStatus.choices, default=NoticeStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The earliest time the next attempt may run (backoff after a transient failure).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Set by the worker that claimed the notice; another worker leaves it alone until then.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What went wrong, as the mail server said it (it may name the recipient: encrypted).
    error = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # notify.tasks.send_due_notices: pending notices whose attempt is due; keep partial.
            models.Index(fields=["next_attempt_at"], name="notify_notice_due", condition=Q(status="pending")),
        ]
        constraints = [
            # An intake item is acknowledged at most once, however often after_intake runs.
            models.UniqueConstraint(fields=["intake_item", "key"], name="notify_notice_one_per_item_and_key"),
        ]

    def __str__(self) -> str:
        return f"notice #{self.pk} {self.key}/{self.language} ({self.status})"


class NoticeTemplate(models.Model):
    """An administrator's wording for one template in one language; wins over the file default."""

    key = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="notify_noticetemplate_key_language"),
        ]

    def __str__(self) -> str:
        return f"{self.key}/{self.language}"
