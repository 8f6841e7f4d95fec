"""What arrived, exactly as received (ARCHITECTURE §4): one IntakeItem per message or submission.

An item is committed before anything else happens to it (before the mail server is told the
message was delivered, before the API answers), so nothing accepted is ever lost. It ends in
one of four states: accepted (it opened a case), threaded (added to an existing case),
quarantined (could not be processed; kept raw, re-processable) or dismissed (with a reason).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case
from safetydesk.lib.crypto import EncryptedJSONField, EncryptedTextField


class IntakeStatus(models.TextChoices):
    RECEIVED = "received", _("Received")  # committed, not yet processed
    ACCEPTED = "accepted", _("Accepted (new case)")
    THREADED = "threaded", _("Threaded into a case")
    QUARANTINED = "quarantined", _("Quarantined")
    DISMISSED = "dismissed", _("Dismissed")


class DismissalReason(models.TextChoices):
    SPAM = "SPAM", _("Spam")
    DUPLICATE = "DUPLICATE", _("Duplicate")
    WRONG_CHANNEL_REDIRECTED = "WRONG_CHANNEL_REDIRECTED", _("Wrong channel, redirected")
    NOT_TS_SCOPE = "NOT_TS_SCOPE", _("Not T&S scope")


class IntakeItem(models.Model):
    channel = models.CharField(max_length=32)  # a key of the channel registry
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=IntakeStatus.choices, default=IntakeStatus.RECEIVED)
    dismissal_reason = models.CharField(max_length=32, choices=DismissalReason.choices, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="intake_items")

    # Who and where. The sender may be pseudonymous; kept encrypted. `sender_key` is a keyed
    # hash of the normalised sender so rate limits and mass-report grouping can match senders
    # without storing them in clear.
    sender = EncryptedTextField(blank=True, default="")
    sender_key = models.CharField(max_length=64, blank=True, db_index=True)
    recipient = models.CharField(max_length=254, blank=True)
    subject = EncryptedTextField(blank=True, default="")
    body = EncryptedTextField(blank=True, default="")
    # The message as it came (RFC 5322 bytes, base64) or the submitted JSON; encrypted.
    raw = EncryptedTextField(blank=True, default="")
    raw_size = models.PositiveIntegerField(default=0)

    # Threading and duplicates (email Message-ID; API Idempotency-Key; form submission id).
    message_id = models.CharField(max_length=255, blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    # Who or what the report is about (a keyed hash; intake.grouping groups mass reports by it).
    target_key = models.CharField(max_length=64, blank=True, db_index=True)

    language = models.CharField(max_length=8, blank=True)
    # Urgency score, rules that fired and on what words, the classifier's reasons (explainable).
    classification = EncryptedJSONField(default=dict, blank=True)
    # Why the item needs a look: unknown_address, mass_report, rate_limited, html_only, …
    flags = models.JSONField(default=list, blank=True)
    # For quarantined items: what went wrong (no message content).
    error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # Duplicate and thread look-ups by Message-ID (intake.pipeline).
            models.Index(fields=["message_id"], name="intake_item_message_id", condition=~Q(message_id="")),
            # The console's quarantine list; keep partial.
            models.Index(
                fields=["received_at"], name="intake_item_quarantine", condition=Q(status="quarantined")
            ),
            # Items a crash left unprocessed, picked up again by the worker.
            models.Index(fields=["received_at"], name="intake_item_pending", condition=Q(status="received")),
        ]

    def __str__(self) -> str:
        return f"intake #{self.pk} ({self.channel}, {self.status})"


class Attachment(models.Model):
    """A file that came with an item. Stored once per content, encrypted, named by SHA-256."""

    item = models.ForeignKey(IntakeItem, on_delete=models.CASCADE, related_name="attachments")
    sha256 = models.CharField(max_length=64, db_index=True)
    filename = EncryptedTextField(blank=True, default="")
    declared_type = models.CharField(max_length=127, blank=True)
    sniffed_type = models.CharField(max_length=127, blank=True)
    size = models.PositiveBigIntegerField()
    # Not kept (over the size cap, or a bomb): the reason; the hash and size are still recorded.
    refused = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} bytes)"


class RateCounter(models.Model):
    """A fixed-window counter (intake.limits); shared by every web and worker process."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="intake_ratecounter_key_window"),
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start}: {self.count}"


class WikiIntakeToken(models.Model):
    """A wiki's credential for POST /api/v1/reportincident (intake.wiki_tokens).

    Separate from staff ApiTokens: it lets a wiki file in-product reports and nothing else.
    Only the SHA-256 is stored; `safetydesk wikitoken add NAME` shows the token once.
    """

    PREFIX = "sdw_"

    wiki = models.CharField(max_length=100)  # a wiki of the registry (intake.wikis)
    # First characters of the token, so an operator can tell tokens apart.
    hint = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["wiki", "-created_at"]

    def __str__(self) -> str:
        return f"{self.wiki} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ReportIncidentCount(models.Model):
    """How many non-emergency in-product reports a wiki filed per behaviour type and day.

    DOMAIN §16.4: for non-emergency ReportIncident events only the category counts are kept;
    no content, reporter or reported user is stored. Used by transparency reporting.
    """

    wiki = models.CharField(max_length=100)
    behavior_type = models.CharField(max_length=32)
    day = models.DateField()  # UTC
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "wiki", "behavior_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["wiki", "behavior_type", "day"], name="intake_reportincidentcount_wiki_type_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wiki} {self.behavior_type} {self.day}: {self.count}"


class IntakeIdempotencyKey(models.Model):
    """An `Idempotency-Key` sent to an intake endpoint, and what the first request produced.

    A retry with the same key in the same scope gets the first result back (ARCHITECTURE §6.4).
    Scopes: "user:<id>" for a staff token, "wiki:<name>" for a wiki token, "anon" otherwise
    (then the key alone, checked against the request hash). Only hashes are stored.
    """

    scope = models.CharField(max_length=120)
    key_hash = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    # The item the first request committed; null when it only counted (ReportIncident).
    item = models.ForeignKey(IntakeItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # Two concurrent retries race on this index; the loser answers with the winner's result.
            models.UniqueConstraint(fields=["scope", "key_hash"], name="intake_idempotencykey_scope_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key_hash[:12]}"
