"""Who answers an emergency, and how they were reached (DOMAIN §5.3; issue 4 parts 2 and 3).

- `Shift`: one person on call at one level between two instants (stored in UTC; entered and
  shown in the responder's time zone). An override is a shift that wins over the ordinary
  shifts of its level while it lasts.
- `FallbackContact`: who is paged when nobody is on call (the fallback list).
- `Paging`: the paging of one emergency case: its rounds, when it escalates next, and who
  acknowledged it. `Page`: one person paged in one round. `PageDelivery`: one page (or one alert
  email) sent by one channel, the outbox row the worker claims.
- `OncallAlert`: what the board must show to managers: a rota gap ahead, a channel failing.

Nothing here names the reporter or quotes the threat: pages leave for third parties.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case

# The CaseEvent.kind written for paging, escalation and acknowledgement on a case's timeline.
CASE_EVENT_PAGING = "paging"


class Level(models.IntegerChoices):
    PRIMARY = 1, _("Primary")
    SECONDARY = 2, _("Secondary (escalation)")


class Shift(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oncall_shifts")
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.PRIMARY)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The zone the times were entered in (the responder's); the console shows them in it.
    time_zone = models.CharField(max_length=64, default="UTC")
    is_override = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # Cancelled shifts are kept: who was on call when a page went out must stay answerable.
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "level", "id"]
        indexes = [
            # oncall.rota: the shifts of a level around an instant (current_responder, gaps).
            models.Index(
                fields=["level", "ends_at", "starts_at"],
                name="oncall_shift_live",
                condition=Q(cancelled_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="oncall_shift_ends_after_start"
            ),
            # A range, not IN (1, 2): Django's SQLite introspection splits a table's SQL on ", "
            # and fails on the one-character pieces that leaves (inspectdb, schema tests).
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=2), name="oncall_shift_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} L{self.level} {self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M} UTC"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def starts_local(self) -> dt.datetime:
        """The start in the shift's own zone (the responder's), as the rota shows it."""
        return self.starts_at.astimezone(self.zone)

    @property
    def ends_local(self) -> dt.datetime:
        return self.ends_at.astimezone(self.zone)


class FallbackContact(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oncall_fallback")
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"fallback {self.position}: {self.user}"


class Paging(models.Model):
    """The paging of one emergency case. Round 0 pages the first step of the escalation chain;
    each later round pages again everyone paged so far and the next step."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="paging")
    round = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_paged_at = models.DateTimeField(default=timezone.now)
    # When the next round is due if nobody acknowledges; None once acknowledged.
    escalate_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the first page left the application (a delivery confirmed): the board's "paged" clock.
    first_delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            # oncall.escalation.escalate_due: unacknowledged pagings whose round is due; keep partial.
            models.Index(fields=["escalate_at"], name="oncall_paging_due", condition=Q(acknowledged_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"paging of case #{self.case_id} (round {self.round})"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class Page(models.Model):
    paging = models.ForeignKey(Paging, on_delete=models.PROTECT, related_name="pages")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="pages")
    round = models.PositiveSmallIntegerField(default=0)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pages")
    # Which step of the escalation chain reached this person: primary, secondary or fallback.
    step = models.CharField(max_length=16)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["paging", "round", "recipient"], name="oncall_page_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"page #{self.pk} to {self.recipient} (case #{self.case_id}, round {self.round})"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class AlertKind(models.TextChoices):
    ROTA_GAP = "rota_gap", _("Rota gap")
    CHANNEL_FAILED = "channel_failed", _("Paging channel failing")


class OncallAlert(models.Model):
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices, null=True, blank=True)
    # A gap's window (rota_gap); for channel_failed, when the delivery failed for good.
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    delivery = models.ForeignKey("PageDelivery", null=True, blank=True, on_delete=models.PROTECT, related_name="alerts")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            # The board and the gap job read open alerts only; keep partial.
            models.Index(
                fields=["kind", "level", "starts_at"], name="oncall_alert_open", condition=Q(resolved_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} alert #{self.pk}"


class PageDelivery(models.Model):
    """One message by one channel: a page, or the email of an alert to a manager.

    The worker claims it with a conditional UPDATE (pending → sending), sends, then marks it
    delivered; a row left in "sending" by a dead worker is put back by the sweep."""

    page = models.ForeignKey(Page, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries")
    alert = models.ForeignKey(OncallAlert, null=True, blank=True, on_delete=models.PROTECT, related_name="emails")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # An email address (staff) or a webhook URL.
    target = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # When the worker holding it claimed it (status sending).
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "page deliveries"
        indexes = [
            # oncall.delivery.sweep_deliveries: pending and sending rows only; keep partial.
            models.Index(
                fields=["status", "next_attempt_at"],
                name="oncall_delivery_unfinished",
                condition=Q(status__in=["pending", "sending"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(page__isnull=False, alert__isnull=True) | Q(page__isnull=True, alert__isnull=False),
                name="oncall_pagedelivery_page_or_alert",
            ),
            models.UniqueConstraint(
                fields=["page", "channel", "target"],
                name="oncall_pagedelivery_once_per_channel",
                condition=Q(page__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["alert", "channel", "target"],
                name="oncall_pagedelivery_alert_once",
                condition=Q(alert__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} delivery #{self.pk} ({self.status})"
