"""Appeals of office actions to the Case Review Committee (DOMAIN §12) and internal complaints
under the EU Digital Services Act (Art. 20, DOMAIN §19.5).

An appeal is a case of kind "appeal" (its queue, clocks and timeline are the case's) with an
`Appeal` beside it naming the decision appealed and the appellant. The committee's members are
volunteers known here by pseudonym; they read only the `CaseFile` prepared for the appeal, a
redacted snapshot, never the live case.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case, Party
from safetydesk.enforcement.models import OfficeAction
from safetydesk.lib.crypto import EncryptedJSONField, EncryptedTextField


class AppellantRole(models.TextChoices):
    # DOMAIN §12.1: "parties directly affected by an office action sanction or directly involved
    # in filing a request".
    SANCTIONED = "sanctioned", _("The sanctioned person")
    REQUESTER = "requester", _("The person who asked for the action")


class IneligibleReason(models.TextChoices):
    # DOMAIN §12.4
    STATUTORY = "statutory", _("Statutory (taken under a statute)")
    REGULATORY = "regulatory", _("Regulatory")
    EMPLOYMENT = "employment", _("Employment")
    LEGAL = "legal", _("Legal policy")
    NOT_PARTY = "not_party", _("The appellant is not a party to the case")
    DEFERRED_TO_COMMUNITY = "deferred_to_community", _("Deferred to community processes")
    NOT_OFFICE_ACTION = "not_office_action", _("Not an office action")


class Outcome(models.TextChoices):
    # DOMAIN §12.3; also each member's vote.
    RATIFIED = "ratified", _("Ratified")
    OVERTURNED = "overturned", _("Overturned")
    RETURNED = "returned", _("Returned for reconsideration")


class AppealLink(models.Model):
    """The link in the notice of an office action: it ties an appeal to the case and the party
    without a login. Only a hash of its token is kept; it works once, until it expires."""

    office_action = models.ForeignKey(OfficeAction, on_delete=models.PROTECT, related_name="appeal_links")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    appellant_role = models.CharField(max_length=12, choices=AppellantRole.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"appeal link #{self.pk} for action #{self.office_action_id}"


class Appeal(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="appeal")
    # The decision appealed: the office action and the case it was decided on.
    original_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appeals_against")
    office_action = models.ForeignKey(
        OfficeAction, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals"
    )
    # The appellant, as a party of the original case (they must be one, DOMAIN §12.1).
    appellant = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    appellant_role = models.CharField(max_length=12, choices=AppellantRole.choices)
    grounds = EncryptedTextField(_("grounds"))
    new_evidence = EncryptedTextField(_("new evidence"), blank=True, default="")
    # When the appellant was told of the decision: the window counts from here.
    notified_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    eligibility_due_at = models.DateTimeField()
    outcome_due_at = models.DateTimeField()
    eligible = models.BooleanField(null=True)
    ineligible_reason = models.CharField(max_length=24, choices=IneligibleReason.choices, blank=True)
    eligibility_note = EncryptedTextField(blank=True, default="")
    eligibility_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    eligibility_decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # An overturned ban's lifting, proposed on the original case (it passes the ban's chain).
    lifting = models.ForeignKey(
        "reviews.Recommendation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["decided_at"], name="appeals_decided")]

    def __str__(self) -> str:
        return f"appeal {self.case.reference}"


class CaseFile(models.Model):
    """What the panel reads: the file as prepared, frozen. Reporters' identities and evidence
    marked not for the committee are left out when it is made (appeals.case_file)."""

    appeal = models.OneToOneField(Appeal, on_delete=models.PROTECT, related_name="case_file")
    content = EncryptedJSONField(default=dict)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    prepared_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"case file of appeal #{self.appeal_id}"


class CommitteeMember(models.Model):
    """A volunteer of the Case Review Committee, known to Safetydesk by pseudonym."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="crc_member")
    pseudonym = models.CharField(_("pseudonym"), max_length=60, unique=True)
    # DOMAIN §12.2: "their real identity has been disclosed to the Foundation's legal counsel";
    # read by legal counsel only.
    real_identity = EncryptedTextField(_("real identity"), blank=True, default="")
    # Their own accounts on the wikis: a member who is a party to a case never sits on it.
    wiki_accounts = EncryptedTextField(_("wiki accounts"), blank=True, default="")
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    active = models.BooleanField(default=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pseudonym"]

    def __str__(self) -> str:
        return self.pseudonym


class SeatStatus(models.TextChoices):
    SEATED = "seated", _("Seated")
    RECUSED = "recused", _("Recused")


class PanelSeat(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="seats")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="seats")
    status = models.CharField(max_length=8, choices=SeatStatus.choices, default=SeatStatus.SEATED)
    recusal_reason = EncryptedTextField(blank=True, default="")
    seated_at = models.DateTimeField(default=timezone.now)
    vote = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    vote_note = EncryptedTextField(blank=True, default="")
    voted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appeal", "seated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "member"], name="appeals_one_seat_per_member"),
            models.CheckConstraint(
                condition=~Q(status="recused") | Q(vote=""), name="appeals_recused_seat_never_votes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} on appeal #{self.appeal_id}"


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Decision upheld")
    REVERSED = "reversed", _("Decision reversed")
    PARTIALLY_REVERSED = "partially_reversed", _("Decision partly reversed")


class Complaint(models.Model):
    """An internal complaint under DSA Art. 20 against a decision with an EU nexus. When the
    decision is also before the committee, the complaint is linked to that appeal and takes its
    outcome, rather than being heard twice."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaints")
    office_action = models.ForeignKey(
        OfficeAction, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    decision_ref = models.CharField(max_length=64)
    appeal = models.OneToOneField(Appeal, null=True, blank=True, on_delete=models.PROTECT, related_name="complaint")
    complainant = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    grounds = EncryptedTextField()
    received_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=ComplaintOutcome.choices, blank=True)
    reply = EncryptedTextField(blank=True, default="")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Decided by the committee's panel (the linked appeal), not by one reviewer.
    decided_by_panel = models.BooleanField(default=False)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"complaint #{self.pk} about {self.decision_ref}"
