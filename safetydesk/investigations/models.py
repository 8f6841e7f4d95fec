"""The investigation file of an office-action case (issue 5, part 1; DOMAIN §7.1-§7.2): related
cases, the subject's alternate accounts, the prior warnings the policy asks about, and the draft
investigation report. Parties, evidence and notes are the case's own (cases app)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case
from safetydesk.lib.crypto import EncryptedTextField


class RelatedCase(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    note = EncryptedTextField(blank=True, default="")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "related"], name="investigations_related_once")]

    def __str__(self) -> str:
        return f"case #{self.case_id} related to case #{self.related_id}"


class Basis(models.TextChoices):
    CHECKUSER = "checkuser", _("CheckUser data")
    BEHAVIOUR = "behaviour", _("Behavioural evidence")
    DISCLOSED = "disclosed", _("Disclosed by the person")


class AlternateAccount(models.Model):
    """An account the investigation holds to be the same person's as `of_account`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alternate_accounts")
    account = EncryptedTextField(_("account"))
    of_account = EncryptedTextField(_("alternate of"))
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    note = EncryptedTextField(blank=True, default="")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "added_at", "id"]

    def __str__(self) -> str:
        return f"alternate account #{self.pk} on case #{self.case_id}"


class WarningKind(models.TextChoices):
    COMMUNITY = "community", _("Community warning")
    FOUNDATION = "foundation", _("Foundation warning")


class PriorWarning(models.Model):
    """A warning the person had before (DOMAIN §7.1: a global ban normally follows warnings)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="prior_warnings")
    account = EncryptedTextField(_("account"))
    kind = models.CharField(_("kind"), max_length=12, choices=WarningKind.choices)
    given_on = models.DateField(_("date"))
    link = models.URLField(_("link"), max_length=500, blank=True)
    note = EncryptedTextField(blank=True, default="")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "given_on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} warning #{self.pk} on case #{self.case_id}"


class InvestigationReport(models.Model):
    """The draft report, one per case, saved over with a version so two people never overwrite
    each other unknowingly."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="investigation_report")
    text = EncryptedTextField(blank=True, default="")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"investigation report of case #{self.case_id} (version {self.version})"
