"""What the emergency track records (DOMAIN §5, §11.4, §13.3).

- `TriageRecord`: the staff assessment of one emergency case (DOMAIN §5.4 required fields),
  and the location trace that follows a credible, imminent threat.
- `Referral`: one referral to a law-enforcement agency, and its acknowledgement by them.
- `FollowUp`: what happened after a referral.
- `InvestigationLink`: an office-action investigation opened from an emergency case.
- `Disclosure`: user data given to law enforcement (voluntarily, or answering their emergency
  request); Legal confirms each after the fact (DOMAIN §5.4).
- `FunctionaryDisclosureReport`: a volunteer's report, to check-disclosure@, of nonpublic data
  they disclosed under an exception of the access policy (DOMAIN §13.3).

Anything that can identify a person (the threat, names, places, contacts) is encrypted; the
choices and countries the transparency counts group by are kept in clear.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import AgeFlag, Case
from safetydesk.lib.crypto import EncryptedTextField

# The CaseEvent.kind this app writes on a case's timeline (data names the record, never its content).
CASE_EVENT_EMERGENCY = "emergency"


class ThreatType(models.TextChoices):
    # The ReportIncident sub-types (DOMAIN §5.1), physical harm split by its target.
    PHYSICAL_PERSON = "physical_person", _("Physical harm to a person")
    PHYSICAL_PROPERTY = "physical_property", _("Physical harm to property")
    SELF_HARM = "self_harm", _("Self-harm")
    PUBLIC_HARM = "public_harm", _("Public harm (e.g. bomb or shooting threat)")


class ThreatTarget(models.TextChoices):
    SELF = "self", _("The writer themselves")
    NAMED_PERSON = "named_person", _("A named person")
    GROUP = "group", _("A group")
    PLACE = "place", _("A place")
    PUBLIC = "public", _("The public")


class TriageDecision(models.TextChoices):
    CREDIBLE_IMMINENT = "credible_imminent", _("Credible and imminent")
    NOT_CREDIBLE = "not_credible", _("Not credible")
    INSUFFICIENT_INFO = "insufficient_info", _("Insufficient information")


class Confidence(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNKNOWN = "unknown", _("Not determined")


class TriageRecord(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="emergency_triage")
    threat_text = EncryptedTextField(_("threat as written"))
    permalink = models.URLField(_("permalink or diff"), max_length=1000, blank=True)
    threat_type = models.CharField(_("threat type"), max_length=20, choices=ThreatType.choices)
    target = models.CharField(_("target"), max_length=16, choices=ThreatTarget.choices)
    target_detail = EncryptedTextField(_("who or what is threatened"), blank=True, default="")
    # Specificity (DOMAIN §5.4 `specificity{time, place, means}`).
    specificity_time = EncryptedTextField(_("when"), blank=True, default="")
    specificity_place = EncryptedTextField(_("where"), blank=True, default="")
    specificity_means = EncryptedTextField(_("by what means"), blank=True, default="")
    capability = EncryptedTextField(_("capability indicators"), blank=True, default="")
    # Where the person who made the threat probably is (DOMAIN §5.4 `subject_location_estimate`).
    # The country is an ISO 3166-1 alpha-2 code, in clear for the transparency counts.
    location_country = models.CharField(_("country"), max_length=2, blank=True)
    location_region = EncryptedTextField(_("region"), blank=True, default="")
    location_city = EncryptedTextField(_("city"), blank=True, default="")
    location_confidence = models.CharField(
        _("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.UNKNOWN
    )
    # How the location was found (IP, geolocation, the user's own statements …).
    location_source = EncryptedTextField(_("how it was found"), blank=True, default="")
    location_traced_at = models.DateTimeField(null=True, blank=True)
    location_traced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_age_flag = models.CharField(
        _("age of the person who made the threat"), max_length=8, choices=AgeFlag.choices, default=AgeFlag.UNKNOWN
    )
    decision = models.CharField(_("decision"), max_length=20, choices=TriageDecision.choices)
    decision_rationale = EncryptedTextField(_("rationale"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=TriageDecision.values), name="emergency_triagerecord_decision_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"triage of case #{self.case_id}: {self.decision}"

    @property
    def minor_suspected(self) -> bool:
        return self.subject_age_flag == AgeFlag.MINOR


class ReferralMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("The agency's online portal")
    IN_PERSON = "in_person", _("In person")
    OTHER = "other", _("Other")


class Referral(models.Model):
    """One referral of an emergency to a law-enforcement agency (DOMAIN §5.4 LE_REFERRED)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_referrals")
    agency = models.CharField(_("agency"), max_length=200)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=200)
    country = models.CharField(_("country"), max_length=2, blank=True)
    reference_number = models.CharField(_("their reference"), max_length=100, blank=True)
    method = models.CharField(_("how"), max_length=12, choices=ReferralMethod.choices)
    referred_at = models.DateTimeField(_("referred at"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # What was said and to whom (an officer's name and number are personal data).
    note = EncryptedTextField(_("note"), blank=True, default="")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_contact = EncryptedTextField(_("who acknowledged"), blank=True, default="")
    acknowledgement_note = EncryptedTextField(_("what they said"), blank=True, default="")
    acknowledgement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "referred_at", "id"]

    def __str__(self) -> str:
        return f"referral #{self.pk} of case #{self.case_id} to {self.agency}"


class FollowUp(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_follow_ups")
    body = EncryptedTextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return f"follow-up #{self.pk} on case #{self.case_id}"


class InvestigationLink(models.Model):
    """An office-action investigation opened from an emergency case (DOMAIN §5.4 "any →
    SPAWN_OFFICE_ACTION_CASE"). Read from either side: `emergency.spawned_investigations`,
    `investigation.spawned_from`."""

    emergency = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="spawned_investigations")
    investigation = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="spawned_from")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["emergency", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(emergency=models.F("investigation")), name="emergency_investigationlink_not_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"case #{self.emergency_id} → investigation #{self.investigation_id}"


class DisclosureKind(models.TextChoices):
    # One table for DOMAIN §5 and §11 (§11.4); the emergency track makes the first two.
    VOLUNTARY_DISCLOSURE = "voluntary_disclosure", _("Voluntary disclosure")
    EMERGENCY_REQUEST = "emergency_request", _("Answer to an emergency request")
    PRODUCTION_LEGAL_PROCESS = "production_legal_process", _("Production under legal process")


EMERGENCY_DISCLOSURE_KINDS = (DisclosureKind.VOLUNTARY_DISCLOSURE, DisclosureKind.EMERGENCY_REQUEST)


class DataElement(models.TextChoices):
    IP_ADDRESS = "ip_address", _("IP addresses")
    USER_AGENT = "user_agent", _("User agents")
    EMAIL = "email", _("Email address")
    ACCOUNT_NAME = "account_name", _("Account name")
    CHECKUSER_DATA = "checkuser_data", _("CheckUser data")
    DELETED_CONTENT = "deleted_content", _("Deleted or suppressed content")
    OTHER = "other", _("Other")


class LegalBasis(models.TextChoices):
    CREDIBLE_IMMINENT_THREAT = "credible_imminent_threat", _("Credible and imminent threat to life or limb (voluntary)")
    EMERGENCY_REQUEST = "emergency_request", _("Emergency request from law enforcement (ECPA)")
    USER_CONSENT = "user_consent", _("The user's express permission")
    LEGAL_PROCESS = "legal_process", _("Required by law (legal process)")


class Disclosure(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disclosures")
    kind = models.CharField(max_length=32, choices=DisclosureKind.choices)
    # False: an emergency request answered with nothing (declined, or no data held).
    produced = models.BooleanField(default=True)
    data_elements = models.JSONField(default=list, blank=True)  # DataElement values
    # What exactly was sent, if it needs saying (the values themselves never go here).
    detail = EncryptedTextField(blank=True, default="")
    recipient_agency = models.CharField(max_length=200)
    jurisdiction = models.CharField(max_length=200, blank=True)
    country = models.CharField(max_length=2, blank=True)  # ISO 3166-1 alpha-2; blank: unknown
    legal_basis = models.CharField(max_length=32, choices=LegalBasis.choices)
    # Their reference, for an emergency request.
    request_reference = models.CharField(max_length=100, blank=True)
    # For the transparency report's breakdown by type; from the triage when there is one.
    threat_type = models.CharField(max_length=20, choices=ThreatType.choices, blank=True)
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    # Legal's confirmation after the fact (DOMAIN §5.4): due `legal_due_at`, reminded until done.
    legal_due_at = models.DateTimeField()
    legal_confirmed_at = models.DateTimeField(null=True, blank=True)
    legal_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_note = EncryptedTextField(blank=True, default="")
    legal_notified_at = models.DateTimeField(null=True, blank=True)
    legal_reminders = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-disclosed_at", "-id"]
        indexes = [
            # emergency.tasks.remind_legal_of_disclosures: unconfirmed disclosures; keep partial.
            models.Index(
                fields=["legal_notified_at"],
                name="emergency_disclosure_unconf",
                condition=Q(legal_confirmed_at__isnull=True),
            ),
            # emergency.selectors.transparency_counts: a period of disclosures by kind.
            models.Index(fields=["kind", "disclosed_at"], name="emergency_disclosure_period"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DisclosureKind.values), name="emergency_disclosure_kind_valid"),
            models.CheckConstraint(
                condition=Q(produced=True) | Q(kind=DisclosureKind.EMERGENCY_REQUEST),
                name="emergency_disclosure_only_requests_unproduced",
            ),
            models.CheckConstraint(
                condition=Q(legal_confirmed_at__isnull=True) | Q(legal_confirmed_by__isnull=False),
                name="emergency_disclosure_confirmed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"disclosure #{self.pk} ({self.kind}) on case #{self.case_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.legal_confirmed_at is not None

    def legal_overdue(self, now: dt.datetime | None = None) -> bool:
        return not self.is_confirmed and self.legal_due_at < (now or timezone.now())

    def data_element_labels(self) -> list[str]:
        labels = dict(DataElement.choices)
        return [str(labels.get(value, value)) for value in self.data_elements]


class FunctionaryRole(models.TextChoices):
    CHECKUSER = "checkuser", _("Checkuser")
    OVERSIGHTER = "oversighter", _("Oversighter")
    STEWARD = "steward", _("Steward")
    ARBCOM = "arbcom", _("Arbitration committee member")
    VRT = "vrt", _("VRT agent")
    OTHER = "other", _("Other")


class DisclosureException(models.TextChoices):
    # The access policy's exceptions that must be reported (DOMAIN §13.3 (ii) to (v)).
    ISP = "ii", _("(ii) To service providers or ISPs (IP blocks, abuse complaints)")
    THREAT = "iii", _("(iii) To law enforcement: immediate and credible threat to life or limb")
    PERMISSION = "iv", _("(iv) With the user's express permission")
    REQUIRED_BY_LAW = "v", _("(v) Required by law")


class FunctionaryDisclosureReport(models.Model):
    """Recorded on the case its report opened (kind disclosure_report, from check-disclosure@)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="functionary_report")
    functionary = EncryptedTextField(_("functionary (username)"))
    functionary_role = models.CharField(_("role"), max_length=12, choices=FunctionaryRole.choices)
    disclosed_to = EncryptedTextField(_("disclosed to"))
    disclosed_on = models.DateField(_("date of disclosure"))
    exception = models.CharField(_("exception relied on"), max_length=3, choices=DisclosureException.choices)
    data_disclosed = EncryptedTextField(_("data disclosed"))
    reported_on = models.DateField(_("date reported"))
    # Reported more than the allowed days after the disclosure (settings, DOMAIN §13.3).
    late = models.BooleanField(default=False)
    # The emergency the disclosure was about, if there is one.
    related_case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="functionary_reports"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_on__gte=models.F("disclosed_on")),
                name="emergency_functionaryreport_reported_after_disclosure",
            ),
        ]

    def __str__(self) -> str:
        return f"functionary disclosure report on case #{self.case_id}"

    @property
    def days_to_report(self) -> int:
        return (self.reported_on - self.disclosed_on).days
