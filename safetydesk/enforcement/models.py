"""Office actions and the outbox that carries them out on the wikis (ARCHITECTURE §6.3).

An `OfficeAction` is what was decided on a case; each concrete call on one wiki is an
`ActionExecution` row, committed before anything is sent: a worker claims it, acts, reads the
wiki's log to confirm, and records the log id. Without a wiki to act on, the execution waits for
a staff member to carry it out by hand and confirm it.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetydesk.cases.models import Case
from safetydesk.lib.crypto import EncryptedJSONField, EncryptedTextField
from safetydesk.wiki.models import Wiki


class ActionType(models.TextChoices):
    # DOMAIN §4.2. A Foundation global ban is never a community one: they are separate types.
    FOUNDATION_GLOBAL_BAN = "foundation_global_ban", _("Foundation global ban")
    FOUNDATION_EVENT_BAN = "foundation_event_ban", _("Foundation event ban")
    CONDUCT_WARNING = "conduct_warning", _("Conduct warning")
    INTERACTION_BAN = "interaction_ban", _("Interaction ban")
    ADVANCED_RIGHTS_REMOVAL = "advanced_rights_removal", _("Removal of advanced rights")
    PARTIAL_FOUNDATION_BAN = "partial_foundation_ban", _("Partial Foundation ban")
    CHILD_PROTECTION_ACTION = "child_protection_action", _("Child protection action")
    DMCA_TAKEDOWN = "dmca_takedown", _("DMCA takedown")
    LEGAL_CONTENT_REMOVAL = "legal_content_removal", _("Legal content removal")
    PAGE_PROTECTION = "page_protection", _("Office protection")
    REVISION_SUPPRESSION = "revision_suppression", _("Revision suppression")
    PAGE_DELETION = "page_deletion", _("Page deletion")
    PAGE_BLANKING = "page_blanking", _("Office edit of a page")
    RANGE_BLOCK = "range_block", _("Range block")
    GLOBAL_LOCK = "global_lock", _("Global lock")
    # DOMAIN §7.3: lifting a Foundation global ban passes the ban's whole review chain.
    BAN_LIFT = "ban_lift", _("Lifting of a Foundation global ban")
    # DOMAIN §9.4: content taken down under the DMCA, put back after a valid counter-notice.
    DMCA_RESTORE = "dmca_restore", _("Restoration after a DMCA counter-notice")


class ActionStatus(models.TextChoices):
    APPROVED = "approved", _("Decided, not yet carried out")
    ENFORCING = "enforcing", _("Being carried out")
    ENFORCED = "enforced", _("Carried out")
    # An execution failed for good: a person must look (the wiki refused, or kept failing).
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    # A ban whose lifting was carried out: off the wikis and off the public list.
    LIFTED = "lifted", _("Lifted")


class OfficeAction(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="office_actions")
    action_type = models.CharField(_("action"), max_length=32, choices=ActionType.choices)
    # The account acted on (its name on the wikis). Encrypted until the action is public.
    target = EncryptedTextField(_("account"))
    # A MediaWiki expiry: "infinite" or a duration ("1 year") or an ISO time.
    expiry = models.CharField(_("expiry"), max_length=64, default="infinite")
    # As recommended; for an event ban, one of EventBanScope.
    scope = models.CharField(_("scope"), max_length=200, blank=True, default="")
    # An action on content: the wiki, and {"page": title, "revisions": [ids]} (encrypted: a
    # page's title can itself be what is suppressed).
    wiki = models.ForeignKey(Wiki, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    details = EncryptedJSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.APPROVED)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    enforcing_since = models.DateTimeField(null=True, blank=True)
    enforced_at = models.DateTimeField(null=True, blank=True)
    # A lifting (BAN_LIFT) names the ban it lifts.
    lifts = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="lifted_by"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_type_display()} on case #{self.case_id}"


class Operation(models.TextChoices):
    BLOCK = "block", _("Block")
    GLOBAL_LOCK = "global_lock", _("Global lock")
    UNBLOCK = "unblock", _("Unblock")
    GLOBAL_UNLOCK = "global_unlock", _("Global unlock")
    DELETE_PAGE = "delete_page", _("Page deletion")
    UNDELETE_PAGE = "undelete_page", _("Page restoration")
    SUPPRESS_REVISIONS = "suppress_revisions", _("Revision suppression")
    PROTECT_PAGE = "protect_page", _("Office protection")
    EDIT_PAGE = "edit_page", _("Office edit")
    # The notice to the sanctioned person, where no email address is known (DOMAIN §4.4).
    TALK_PAGE_NOTICE = "talk_page_notice", _("Notice on the user talk page")
    # A community announcement (a DMCA takedown's, DOMAIN §9.4): {"page", "heading", "text"}.
    ANNOUNCEMENT = "announcement", _("Announcement on a wiki page")
    # What a person does by hand where no wiki is registered (the console names the action).
    BY_HAND = "by_hand", _("Carried out by hand")


class ExecutionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    RUNNING = "running", _("Being sent")
    DONE = "done", _("Done and confirmed on the wiki")
    FAILED = "failed", _("Failed")
    AWAITING_STAFF = "awaiting_staff", _("Waiting for a staff member")
    CONFIRMED_BY_STAFF = "confirmed_by_staff", _("Carried out by a staff member")


FINISHED = frozenset({ExecutionStatus.DONE, ExecutionStatus.CONFIRMED_BY_STAFF})


class ActionExecution(models.Model):
    office_action = models.ForeignKey(OfficeAction, on_delete=models.PROTECT, related_name="executions")
    wiki = models.ForeignKey(Wiki, null=True, blank=True, on_delete=models.PROTECT, related_name="executions")
    operation = models.CharField(max_length=20, choices=Operation.choices)
    # One row per action, wiki and operation: planning twice can never send twice.
    idempotency_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=20, choices=ExecutionStatus.choices, default=ExecutionStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    # The id of the wiki's log entry that shows it done (Special:Log), read back after acting;
    # for a talk-page notice, the id of the revision that carries it.
    log_id = models.BigIntegerField(null=True, blank=True)
    # What a talk-page notice says: {"heading": …, "text": …}, rendered in the person's language.
    content = EncryptedJSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["office_action", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.operation} on {self.wiki or 'by hand'} for action #{self.office_action_id}"


# --- Event bans (DOMAIN §8): a restricted list, never public --------------------------------


class EventBanScope(models.TextChoices):
    ALL_FUNDED = "all_funded", _("All events the Foundation sponsors or funds")
    LISTED = "listed", _("The events listed on the ban")
    AFFILIATE = "affiliate", _("Foundation-funded events and those of movement affiliates")


class EventBanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LIFTED = "lifted", _("Lifted")
    EXPIRED = "expired", _("Expired")


class Event(models.Model):
    """An in-person event whose organisers may be shown the event-ban list."""

    name = models.CharField(_("event"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    location = models.CharField(_("place"), max_length=200, blank=True, default="")
    # Run by a movement affiliate (not the Foundation): only affiliate-scope bans apply to it.
    by_affiliate = models.BooleanField(_("run by an affiliate"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%Y-%m-%d})"


class EventBan(models.Model):
    """An entry of the restricted event-ban list, made when an event ban is carried out."""

    office_action = models.OneToOneField(OfficeAction, on_delete=models.PROTECT, related_name="event_ban")
    scope = models.CharField(_("scope"), max_length=16, choices=EventBanScope.choices)
    events = models.ManyToManyField(Event, blank=True, related_name="bans")
    # What organisers need to recognise the person (DOMAIN §8.3; no photographs): encrypted.
    names = EncryptedTextField(_("names"), blank=True, default="")
    usernames = EncryptedTextField(_("usernames"))
    aliases = EncryptedTextField(_("known aliases"), blank=True, default="")
    status = models.CharField(max_length=10, choices=EventBanStatus.choices, default=EventBanStatus.ACTIVE)
    starts_at = models.DateTimeField(default=timezone.now)
    # None: indefinite (the default of a Foundation event ban).
    ends_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return f"event ban #{self.pk} (case #{self.office_action.case_id})"


class EventListShare(models.Model):
    """The list as shown to named organisers of one event, under a recorded agreement, until the
    event's end plus a grace period. The link and its access code are shown once; only their
    hashes are kept. Every view is on the audit chain."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="shares")
    organisers = EncryptedTextField(_("organisers"))
    agreement = EncryptedTextField(_("NDA or grant agreement"))
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=128)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(default=timezone.now)
    access_expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    views = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-shared_at", "-id"]

    def __str__(self) -> str:
        return f"share #{self.pk} of the event-ban list for {self.event}"

    def is_open(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and now < self.access_expires_at


# --- Ban evasion (DOMAIN §7.3) ----------------------------------------------------------------


class EvasionStatus(models.TextChoices):
    REPORTED = "reported", _("Reported, waiting for a manager")
    LOCKED = "locked", _("Lock approved")
    DISMISSED = "dismissed", _("Dismissed")


class Evasion(models.Model):
    """An account reported as the banned person's: locked (or blocked) under the ban on a
    manager's sign-off, without a new review cycle; each one counts for the ban's maintenance."""

    ban = models.ForeignKey(OfficeAction, on_delete=models.PROTECT, related_name="evasions")
    account = EncryptedTextField(_("account"))
    # How it was verified: CheckUser data of the same case, or behavioural evidence.
    evidence = EncryptedTextField(_("how it was verified"))
    status = models.CharField(max_length=10, choices=EvasionStatus.choices, default=EvasionStatus.REPORTED)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True, default="")
    # The lock it led to: an office action of its own, carried out through the outbox.
    lock = models.OneToOneField(
        OfficeAction, null=True, blank=True, on_delete=models.PROTECT, related_name="evasion_of"
    )

    class Meta:
        ordering = ["ban", "reported_at", "id"]

    def __str__(self) -> str:
        return f"evasion #{self.pk} of action #{self.ban_id}"


# --- Ban maintenance (DOMAIN §7.3) ------------------------------------------------------------


class BanReviewStatus(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")


class BanReviewOutcome(models.TextChoices):
    KEEP = "keep", _("Keep the ban")
    RECONSIDER = "reconsider", _("Reconsider: recommend lifting it")


class BanReview(models.Model):
    """The periodic review of a Foundation global ban in force: is the list right, is the account
    still blocked or locked on every wiki, should the ban be reconsidered. The ban itself stays
    indefinite; lifting it is a recommendation of its own (ActionType.BAN_LIFT)."""

    ban = models.ForeignKey(OfficeAction, on_delete=models.PROTECT, related_name="ban_reviews")
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=BanReviewStatus.choices, default=BanReviewStatus.DUE)
    # What the wikis said when last checked: {"wiki": "blocked" | "locked" | "missing" | "error: …"}.
    wiki_check = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=BanReviewOutcome.choices, blank=True)
    note = EncryptedTextField(blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ban"], condition=models.Q(status="due"), name="enforcement_one_due_review_per_ban"
            )
        ]

    def __str__(self) -> str:
        return f"review of action #{self.ban_id} due {self.due_on:%Y-%m-%d}"
