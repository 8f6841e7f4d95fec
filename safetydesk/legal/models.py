"""DMCA notices and counter-notices (DOMAIN §9, INTEROP §3), and the letters the legal
workflows send. A DMCA notice is a case of kind "dmca" with a `DmcaNotice` beside it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case
from safetydesk.lib.crypto import EncryptedJSONField, EncryptedTextField


class NoticeElement(models.TextChoices):
    """17 U.S.C. § 512(c)(3)(A)(i)-(vi) (DOMAIN §9.2)."""

    SIGNATURE = "signature", _("Signature of the owner or an authorised agent")
    WORK = "work", _("Identification of the copyrighted work")
    MATERIAL = "material", _("Identification of the infringing material, with exact URLs")
    CONTACT = "contact", _("Contact information of the complaining party")
    GOOD_FAITH = "good_faith", _("Statement of good-faith belief")
    ACCURACY = "accuracy", _("Statement of accuracy and authority, under penalty of perjury")


class CounterElement(models.TextChoices):
    """17 U.S.C. § 512(g)(3)(A)-(D) (INTEROP §3.2)."""

    SIGNATURE = "signature", _("Signature of the uploader")
    MATERIAL = "material", _("Identification of the material and where it was")
    PERJURY = "perjury", _("Statement under penalty of perjury that it was removed by mistake")
    IDENTITY = "identity", _("Name, address and telephone number")
    JURISDICTION = "jurisdiction", _("Consent to the jurisdiction of the federal district court")
    SERVICE = "service", _("Agreement to accept service of process from the claimant")


class MeritsReason(models.TextChoices):
    """Why a complete notice is not granted (DOMAIN §9.3)."""

    FAIR_USE = "fair_use", _("Fair use")
    LICENCE = "licence", _("Freely licensed (a Creative Commons licence cannot be revoked)")
    PUBLIC_DOMAIN = "public_domain", _("Public domain")
    NOT_WMF_SITE = "not_wmf_site", _("Not a Wikimedia site")
    NOT_INFRINGING = "not_infringing", _("Not infringing (other)")


class DmcaNotice(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="dmca_notice")
    received_at = models.DateTimeField(default=timezone.now)
    # The claimant's personal data is encrypted; an organisation's name is public in the archive.
    claimant_name = EncryptedTextField(_("claimant"))
    claimant_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    claimant_contact = EncryptedTextField(_("contact (address, telephone, email)"), blank=True, default="")
    claimant_email = EncryptedTextField(_("claimant's email"), blank=True, default="")
    claimant_country = models.CharField(_("country (ISO 3166)"), max_length=2, blank=True)
    work = models.TextField(_("copyrighted work"))
    original_urls = models.JSONField(default=list, blank=True)
    # Each reported URL as given, and what it names: {"url", "wiki" (registry name or ""),
    # "title", "hosted" (on a site the platform runs)}.
    infringing = models.JSONField(default=list)
    # {element: {"present": bool, "evidence": str}} for each NoticeElement.
    elements = models.JSONField(default=dict)
    complete = models.BooleanField(null=True)
    deficiency_letter_sent_at = models.DateTimeField(null=True, blank=True)
    awaiting_claimant_until = models.DateTimeField(null=True, blank=True)
    merits_reason = models.CharField(max_length=20, choices=MeritsReason.choices, blank=True)
    merits_note = EncryptedTextField(blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    granted_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    takedowns = models.ManyToManyField("enforcement.OfficeAction", blank=True, related_name="+")
    # The uploader of the material taken down (a party of the case: the notice goes to them).
    uploader = EncryptedTextField(_("uploader's account"), blank=True, default="")
    uploader_notified_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    # The notice as published: the claimant's personal contact data removed (DOMAIN §9.5).
    archive_text = models.TextField(blank=True, default="")
    archived_at = models.DateTimeField(null=True, blank=True)
    lumen_id = models.CharField(max_length=32, blank=True)
    lumen_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["granted_at"], name="legal_dmca_granted")]

    def __str__(self) -> str:
        return f"DMCA notice {self.case.reference}"


class CounterNotice(models.Model):
    notice = models.ForeignKey(DmcaNotice, on_delete=models.PROTECT, related_name="counter_notices")
    received_at = models.DateTimeField(default=timezone.now)
    sender = EncryptedTextField(_("sender"))
    sender_email = EncryptedTextField(blank=True, default="")
    elements = models.JSONField(default=dict)
    valid = models.BooleanField(default=False)
    # § 512(g)(2)(C): put back no sooner than 10 and no later than 14 business days after receipt.
    restore_from = models.DateTimeField(null=True, blank=True)
    restore_by = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    lawsuit_reported_at = models.DateTimeField(null=True, blank=True)
    # The put-back sent to the wikis on business day 10 (restorations), and done everywhere.
    restore_started_at = models.DateTimeField(null=True, blank=True)
    restorations = models.ManyToManyField("enforcement.OfficeAction", blank=True, related_name="+")
    restored_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["notice", "received_at", "id"]

    def __str__(self) -> str:
        return f"counter-notice #{self.pk} to {self.notice}"


class Letter(models.Model):
    """A letter of a legal workflow (deficiency, rejection, pushback, user or uploader notice):
    sent by email as a notify notice (its template is editable per language), and kept on the
    case as a PDF of the same text (legal.letters)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letters")
    notice = models.OneToOneField("notify.Notice", on_delete=models.PROTECT, related_name="letter")
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "created_at", "id"]

    def __str__(self) -> str:
        return f"letter #{self.pk} on case #{self.case_id}"


# --- requests for user data (DOMAIN §11) --------------------------------------------------------


class RequestType(models.TextChoices):
    """The transparency report's exact labels (DOMAIN §11.2)."""

    INFORMAL_NON_GOVERNMENT = "informal_non_government", _("Informal non-government requests")
    INFORMAL_GOVERNMENT = "informal_government", _("Informal government requests")
    ADMINISTRATIVE_SUBPOENA = "administrative_subpoena", _("Administrative subpoenas")
    CIVIL_SUBPOENA = "civil_subpoena", _("Civil subpoenas")
    CRIMINAL_SUBPOENA = "criminal_subpoena", _("Criminal subpoenas")
    COURT_ORDER = "court_order", _("Court orders")
    INTERNATIONAL_COURT_ORDER = "international_court_order", _("International court orders")
    SEARCH_WARRANT = "search_warrant", _("Search warrants")
    NATIONAL_SECURITY = "national_security", _("National security requests")


class DataElement(models.TextChoices):
    IP = "ip", _("IP addresses")
    USER_AGENT = "user_agent", _("User agents")
    EMAIL = "email", _("Email addresses")
    CHECKUSER = "checkuser", _("CheckUser logs")
    DELETED_CONTENT = "deleted_content", _("Deleted content")
    ACCOUNT_DETAILS = "account_details", _("Account details (registration, preferences)")
    OTHER = "other", _("Other")


# DOMAIN §11.1 (ECPA): content is what is on the pages; IPs, user agents and emails are not.
CONTENT_ELEMENTS = frozenset({DataElement.DELETED_CONTENT})


class Sufficiency(models.TextChoices):
    DEFECTIVE = "defective", _("Defective")
    OVERBROAD = "overbroad", _("Overbroad")
    NOT_US_ENFORCEABLE = "not_us_enforceable", _("Not enforceable in the US")
    NO_DATA = "no_data", _("No data held")
    VALID = "valid", _("Valid")


class UserDataRequest(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="user_data_request")
    request_type = models.CharField(_("request type"), max_length=32, choices=RequestType.choices)
    # ECPA expedited process ("immediate threat to life or limb"): no user notice (DOMAIN §11.3).
    emergency = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now)
    requester_name = EncryptedTextField(_("requester"))
    requester_agency = models.CharField(_("agency or firm"), max_length=200, blank=True)
    requester_country = models.CharField(_("country (ISO 3166)"), max_length=2, blank=True)
    requester_contact = EncryptedTextField(blank=True, default="")
    requester_email = EncryptedTextField(blank=True, default="")
    court = models.CharField(_("court"), max_length=200, blank=True)
    docket = models.CharField(_("docket"), max_length=100, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    return_date = models.DateField(_("court return date"), null=True, blank=True)
    accounts_named = EncryptedJSONField(default=list)
    data_elements = models.JSONField(default=list)
    # Non-disclosure ("gag") order: present, and until when (None with present: no end date).
    nondisclosure = models.BooleanField(default=False)
    nondisclosure_until = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Sufficiency.choices, blank=True)
    outcome_note = EncryptedTextField(blank=True, default="")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip
    reviewed_at = models.DateTimeField(null=True, blank=True)
    pushback_sent_at = models.DateTimeField(null=True, blank=True)
    user_notice_sent_at = models.DateTimeField(null=True, blank=True)
    objection_until = models.DateTimeField(null=True, blank=True)
    deferred_notice_sent_at = models.DateTimeField(null=True, blank=True)
    deferred_notice_reminded_at = models.DateTimeField(null=True, blank=True)
    produced_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of the manifest of what was produced (the list of files and their hashes).
    production_manifest_sha256 = models.CharField(max_length=64, blank=True)
    data_found = models.JSONField(default=dict, blank=True)
    accounts_potentially_affected = models.PositiveIntegerField(default=0)
    accounts_actually_affected = models.PositiveIntegerField(default=0)
    accounts_notified = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"user data request {self.case.reference}"

    @property
    def content_requested(self) -> bool:
        return bool(set(self.data_elements) & CONTENT_ELEMENTS)


# --- foreign legal demands to remove content (DOMAIN §10) ----------------------------------------


class ContentDemand(models.Model):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="content_demand")
    received_at = models.DateTimeField(default=timezone.now)
    region_of_origin = models.CharField(_("region of origin"), max_length=100)
    authority = EncryptedTextField(_("who sent it"))
    government = models.BooleanField(_("from a government entity"), default=False)
    project = models.CharField(_("project affected"), max_length=100)
    content = models.TextField(_("content involved (one link per line)"))
    deadline = models.DateTimeField(_("the demand's deadline"), null=True, blank=True)
    # A copy of the demand hosted by the Foundation (the log's "Text of demand" links to it).
    text_url = models.URLField(_("copy of the demand"), max_length=500, blank=True)
    nondisclosure = models.BooleanField(_("binding non-disclosure order"), default=False)
    # DSA Art. 9 (an order from an EU Member State's authority): the authority and the recipient
    # are told of the effect given.
    eu_order = models.BooleanField(default=False)
    community_avenue = EncryptedTextField(blank=True, default="")
    community_attempted_at = models.DateTimeField(null=True, blank=True)
    resolved_by_community_at = models.DateTimeField(null=True, blank=True)
    removal_decided_at = models.DateTimeField(null=True, blank=True)
    community_informed_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    authority_ack_sent_at = models.DateTimeField(null=True, blank=True)
    recipient_informed_at = models.DateTimeField(null=True, blank=True)
    removals = models.ManyToManyField("enforcement.OfficeAction", blank=True, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"content demand {self.case.reference}"
