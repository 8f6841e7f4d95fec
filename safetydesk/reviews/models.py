"""A recommended office action and the review steps it must pass (DOMAIN §3.1-§3.2, §7.1)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case
from safetydesk.lib.crypto import EncryptedJSONField, EncryptedTextField


class RecommendationStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    # A reviewer sent it back for more research or proposed a modification: the author revises
    # and submits a new recommendation (this one stays as it was, on the record).
    RETURNED = "returned", _("Returned to investigation")
    DECIDED = "decided", _("Decided")


class DirectBanJustification(models.TextChoices):
    # DOMAIN §7.1: a global ban without prior warnings needs one of these.
    SEVERE_REPETITIVE_TOU_VIOLATION = (
        "severe_repetitive_tou_violation",
        _("Severe, repeated violation of the Terms of Use"),
    )
    WARNING_NOT_PRACTICAL = "warning_not_practical", _("A warning was not practical")


class Recommendation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="recommendations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Office action types (enforcement.models.ActionType), one or more.
    action_types = models.JSONField(default=list)
    target = EncryptedTextField(_("account"), blank=True, default="")
    scope = models.CharField(_("scope"), max_length=200, blank=True, default="")
    # For an action on content: where (enforcement.models.OfficeAction.wiki and .details).
    wiki = models.ForeignKey("wiki.Wiki", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    details = EncryptedJSONField(default=dict, blank=True)
    expiry = models.CharField(_("duration"), max_length=64, default="infinite")
    rationale = EncryptedTextField(_("rationale"))
    # [{"kind": "community"|"foundation", "date": "YYYY-MM-DD", "link": "..."}]
    prior_warnings = EncryptedJSONField(default=list, blank=True)
    direct_ban_justification = models.CharField(max_length=40, blank=True, choices=DirectBanJustification.choices)
    status = models.CharField(
        max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.IN_REVIEW
    )
    matrix_version = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A decision in spite of a dissent or a missing concurrence (matrix override_roles).
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = EncryptedTextField(blank=True, default="")

    class Meta:
        ordering = ["case", "submitted_at", "id"]

    def __str__(self) -> str:
        return f"recommendation #{self.pk} on case #{self.case_id}"

    def scope_label(self) -> str:
        from safetydesk.enforcement.models import EventBanScope

        return str(dict(EventBanScope.choices).get(self.scope, self.scope))

    def action_type_labels(self) -> list[str]:
        from safetydesk.enforcement.models import ActionType

        labels = dict(ActionType.choices)
        return [str(labels.get(t, t)) for t in self.action_types]


class Verdict(models.TextChoices):
    CONCUR = "concur", _("Concur")
    DISSENT = "dissent", _("Dissent (recorded, goes on to the next stage)")
    MORE_RESEARCH = "more_research", _("Send back for more research")
    MODIFY = "modify", _("Propose a modification (back to the author)")


class ReviewStep(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=32)
    role = models.CharField(max_length=32)
    required = models.BooleanField(default=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recommendation", "position"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "position"], name="reviews_step_position")]

    def __str__(self) -> str:
        return f"{self.stage} of recommendation #{self.recommendation_id}"
