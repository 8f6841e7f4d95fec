"""The unit of work (Case) and what hangs off it: parties, evidence, notes, the timeline."""

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.lib.crypto import EncryptedJSONField, EncryptedTextField


class CaseKind(models.TextChoices):
    GENERAL = "general", _("General report")
    EMERGENCY = "emergency", _("Emergency")
    OFFICE_ACTION = "office_action", _("Office action investigation")
    DMCA = "dmca", _("DMCA")
    LEGAL_REQUEST = "legal_request", _("Legal request")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    DISINFORMATION = "disinformation", _("Disinformation")
    APPEAL = "appeal", _("Appeal")
    ACCESS_REQUEST = "access_request", _("Access request")
    AFFILIATE_SCREENING = "affiliate_screening", _("Affiliate screening")
    DISCLOSURE_REPORT = "disclosure_report", _("Functionary disclosure report")


class Priority(models.TextChoices):
    # Sorted as strings, so P0 comes first in the queue.
    P0 = "P0", _("P0 — imminent harm")
    P1 = "P1", _("P1 — urgent")
    P2 = "P2", _("P2 — normal")
    P3 = "P3", _("P3 — low")


class Confidentiality(models.TextChoices):
    """DOMAIN §2.3, ARCHITECTURE §7. Order matters: later is stricter."""

    INTERNAL = "internal", _("T&S internal")
    LEGAL_PRIVILEGED = "legal_privileged", _("Legal-privileged")
    RESTRICTED = "restricted", _("Restricted (named members only)")
    CHILD_SAFETY = "child_safety", _("Child safety (no media, named members only)")


# Levels only named members (and, for legal-privileged, privileged readers) may open.
NAMED_ONLY_LEVELS = frozenset({Confidentiality.RESTRICTED, Confidentiality.CHILD_SAFETY})
OPEN_TO_STAFF_LEVELS = frozenset({Confidentiality.INTERNAL})


class Case(models.Model):
    reference = models.CharField(max_length=32, unique=True, editable=False)
    kind = models.CharField(max_length=32, choices=CaseKind.choices, default=CaseKind.GENERAL)
    state = models.CharField(max_length=48)
    priority = models.CharField(max_length=2, choices=Priority.choices, default=Priority.P2)
    confidentiality = models.CharField(
        max_length=20, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    # A short staff-written label, kept in clear so the queue can be searched. Personal data
    # belongs in the summary, parties and evidence, which are encrypted.
    title = models.CharField(_("title"), max_length=200)
    summary = EncryptedTextField(_("summary"), blank=True, default="")
    # ISO 639-1 of the report; `languages` lists every language seen in the case.
    language = models.CharField(max_length=8, default="en")
    languages = models.JSONField(default=list, blank=True)
    projects = models.JSONField(default=list, blank=True)
    intake_channel = models.CharField(max_length=64, blank=True)
    eu_nexus = models.BooleanField(default=False)
    legal_hold = models.BooleanField(default=False)

    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_cases"
    )
    assistants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="assisted_cases")
    # Everyone named on the case; the only people who may open restricted and child-safety
    # cases. Assignment adds the lead and assistants here.
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="member_cases")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Clocks (DOMAIN §3.3, §20). `sla_due_at` is the next running deadline and orders the queue.
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    ack_due_at = models.DateTimeField(null=True, blank=True)
    aging_alert_at = models.DateTimeField(null=True, blank=True)
    target_due_at = models.DateTimeField(null=True, blank=True)
    sla_due_at = models.DateTimeField(null=True, blank=True)

    # Closure: where a deferred case was routed (DOMAIN §15.3) and why a case was closed.
    routed_to = models.CharField(max_length=32, blank=True)
    routed_url = models.URLField(max_length=500, blank=True)
    reply_template = models.CharField(max_length=64, blank=True)
    closure_reason = EncryptedTextField(blank=True, default="")

    # Optimistic locking: forms and API calls send the version they saw (stale-form check).
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "sla_due_at", "id"]
        indexes = [
            # The queue's default order over open cases (cases.selectors.queue); keep partial.
            models.Index(
                fields=["priority", "sla_due_at", "id"],
                name="cases_case_open_queue",
                condition=Q(closed_at__isnull=True),
            ),
            # The queue filtered by kind and state (open cases); id closes the order so the
            # planner need not sort.
            models.Index(
                fields=["kind", "state", "priority", "sla_due_at", "id"],
                name="cases_case_kind_state_open",
                condition=Q(closed_at__isnull=True),
            ),
            # The queue's "all" view, in working order.
            models.Index(fields=["priority", "sla_due_at", "id"], name="cases_case_queue_all"),
            # The queue's "closed" view: most recently closed first.
            models.Index(fields=["closed_at", "id"], name="cases_case_closed", condition=Q(closed_at__isnull=False)),
            # Covers the dashboard's counts (selectors.dashboard) without reading the table;
            # closed_at must be in it for SQLite to treat it as covering.
            models.Index(
                fields=["confidentiality", "lead", "sla_due_at", "closed_at", "id"],
                name="cases_case_open_counts",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["language", "priority", "sla_due_at"],
                name="cases_case_language",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["lead", "priority", "sla_due_at"],
                name="cases_case_lead",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(fields=["sla_due_at"], name="cases_case_sla_due", condition=Q(closed_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__in=["P0", "P1", "P2", "P3"]), name="cases_case_priority_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.sla_due_at is not None and self.sla_due_at < timezone.now()

    @property
    def is_aging(self) -> bool:
        return not self.is_closed and self.aging_alert_at is not None and self.aging_alert_at < timezone.now()

    def next_sla_due(self) -> Any:
        """The deadline that is running now: acknowledgement first, then the target."""
        if self.closed_at is not None:
            return None
        if self.acknowledged_at is None:
            return self.ack_due_at
        return self.target_due_at


class PartyRole(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    SUBJECT = "subject", _("Subject")
    WITNESS = "witness", _("Witness")
    AFFECTED = "affected", _("Affected person")
    REQUESTER = "requester", _("Requester")
    COUNTER_NOTIFIER = "counter_notifier", _("Counter-notifier")


class AgeFlag(models.TextChoices):
    ADULT = "adult", _("Adult")
    MINOR = "minor", _("Minor")
    UNKNOWN = "unknown", _("Unknown")


class Party(models.Model):
    """A person in a case. Everything that identifies them is encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=20, choices=PartyRole.choices)
    wiki_username = EncryptedTextField(blank=True, default="")
    global_user_id = models.CharField(max_length=32, blank=True)
    ip_or_range = EncryptedTextField(blank=True, default="")
    real_name = EncryptedTextField(blank=True, default="")
    email = EncryptedTextField(blank=True, default="")
    language = models.CharField(max_length=8, blank=True)
    age_flag = models.CharField(max_length=8, choices=AgeFlag.choices, default=AgeFlag.UNKNOWN)
    contact_preferences = EncryptedJSONField(default=dict, blank=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "id"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.wiki_username or self.real_name or '#' + str(self.pk)}"

    @property
    def display_name(self) -> str:
        return self.wiki_username or self.real_name or self.email or str(_("(unnamed)"))


class EvidenceKind(models.TextChoices):
    DIFF = "diff", _("Diff")
    REVISION = "revision", _("Revision")
    LOG_ENTRY = "log_entry", _("Log entry")
    OFFWIKI_URL = "offwiki_url", _("Off-wiki page")
    EMAIL = "email", _("Email")
    FILE = "file", _("File")
    CHECKUSER_RESULT = "checkuser_result", _("CheckUser result")
    STATEMENT = "statement", _("Statement")


class Evidence(models.Model):
    """One piece of evidence, fixed at capture by its SHA-256."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    permalink = models.URLField(max_length=1000, blank=True)
    description = models.CharField(max_length=300, blank=True)
    content = EncryptedTextField(blank=True, default="")
    sha256 = models.CharField(max_length=64)
    captured_at = models.DateTimeField(default=timezone.now)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Not for the CRC's redacted file, not for the subject, etc.; enforced by later issues.
    access_level = models.CharField(max_length=20, choices=Confidentiality.choices, default=Confidentiality.INTERNAL)
    # Left out of the redacted file the Case Review Committee reads (appeals.case_file).
    not_for_committee = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "captured_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"

    @staticmethod
    def digest(permalink: str, content: str) -> str:
        return hashlib.sha256(f"{permalink}\n{content}".encode()).hexdigest()

    @property
    def is_intact(self) -> bool:
        return self.digest(self.permalink, self.content) == self.sha256


class Note(models.Model):
    """An internal note: staff only, never shown to reporters or subjects."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return f"note #{self.pk} on case #{self.case_id}"


class CaseEventKind(models.TextChoices):
    CREATED = "created", _("Case opened")
    TRANSITION = "transition", _("State changed")
    ASSIGNED = "assigned", _("Assignment changed")
    NOTE = "note", _("Note added")
    PARTY = "party", _("Party added")
    EVIDENCE = "evidence", _("Evidence captured")
    MEMBER = "member", _("Member added")
    MESSAGE_IN = "message_in", _("Message received")
    MESSAGE_OUT = "message_out", _("Message sent")


class CaseEvent(models.Model):
    """The append-only timeline of a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=16, choices=CaseEventKind.choices)
    transition = models.CharField(max_length=48, blank=True)
    from_state = models.CharField(max_length=48, blank=True)
    to_state = models.CharField(max_length=48, blank=True)
    # What the step recorded (reason, venue, assignee ids): may hold personal data, so encrypted.
    data = EncryptedJSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at", "id"], name="cases_event_timeline")]

    def __str__(self) -> str:
        return f"{self.kind} on case #{self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("CaseEvent rows are append-only")
        super().save(*args, **kwargs)
