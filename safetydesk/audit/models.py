"""The audit trail: who did or saw what, when. Append-only and hash-chained.

Each row stores `hash = SHA-256(prev_hash || canonical(content))`, and `seq` counts rows
without gaps. `AuditHead` holds the newest seq and hash; writers lock it, so the chain has one
order even with many web processes. Verification (`safetydesk audit verify`) recomputes the
chain: an edited row breaks its own hash, an inserted or deleted row breaks seq or prev_hash,
and a deleted tail no longer matches the head.
"""

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEventType(models.IntegerChoices):
    # Numbers are stable and never reused; blocks of 100 per subject (zulip RealmAuditLog).
    # 100s: accounts
    USER_CREATED = 101, "user created"
    LOGIN_SUCCEEDED = 102, "login succeeded"
    LOGIN_FAILED = 103, "login failed"
    ACCOUNT_LOCKED = 104, "account locked"
    LOGOUT = 105, "logout"
    TOTP_ENROLLED = 106, "TOTP device enrolled"
    SUDO_GRANTED = 107, "sudo re-authentication"
    API_TOKEN_CREATED = 108, "API token created"
    API_TOKEN_REVOKED = 109, "API token revoked"
    ROLES_CHANGED = 110, "roles changed"
    TOTP_RESET = 111, "TOTP devices reset"
    # 200s: cases
    CASE_CREATED = 201, "case created"
    CASE_TRANSITIONED = 202, "case transition"
    CASE_ASSIGNED = 203, "case assigned"
    CASE_NOTE_ADDED = 204, "note added"
    CASE_PARTY_ADDED = 205, "party added"
    CASE_EVIDENCE_ADDED = 206, "evidence captured"
    RESTRICTED_CASE_VIEWED = 207, "restricted case viewed"
    CASE_MEMBER_ADDED = 208, "case member added"
    EVIDENCE_WITHHELD_FROM_COMMITTEE = 209, "evidence withheld from (or released to) the Case Review Committee"
    # 300s: intake
    INTAKE_RECEIVED = 301, "intake item received"
    INTAKE_ACCEPTED = 302, "intake item opened a case"
    INTAKE_THREADED = 303, "intake item threaded into a case"
    INTAKE_QUARANTINED = 304, "intake item quarantined"
    INTAKE_DISMISSED = 305, "intake item dismissed"
    INTAKE_REPROCESSED = 306, "intake item re-processed"
    INTAKE_ATTACHMENT_DOWNLOADED = 307, "intake attachment downloaded"
    # 400s: notices to parties (notify)
    NOTICE_QUEUED = 401, "notice queued"
    NOTICE_SENT = 402, "notice sent"
    NOTICE_FAILED = 403, "notice failed"
    NOTICE_TEMPLATE_EDITED = 404, "notice template edited"
    # 1200s: on call and paging
    ONCALL_SHIFT_ADDED = 1201, "on-call shift added"
    ONCALL_SHIFT_CANCELLED = 1202, "on-call shift cancelled"
    ONCALL_SHIFT_HANDED_OVER = 1203, "on-call shift handed over"
    ONCALL_FALLBACK_ADDED = 1204, "fallback contact added"
    ONCALL_FALLBACK_REMOVED = 1205, "fallback contact removed"
    PAGES_OPENED = 1206, "pages opened"
    PAGING_ESCALATED = 1207, "paging escalated"
    PAGE_ACKNOWLEDGED = 1208, "page acknowledged"
    PAGE_DELIVERED = 1209, "page delivered"
    PAGE_DELIVERY_FAILED = 1210, "page delivery failed"
    ONCALL_ALERT_RAISED = 1211, "on-call alert raised"
    ONCALL_ALERT_RESOLVED = 1212, "on-call alert resolved"
    # 1300s: wikis
    WIKI_ADDED = 1301, "wiki added"
    WIKI_CHANGED = 1302, "wiki changed"
    WIKI_CHECKED = 1303, "wiki checked"
    # 1500s: the review cycle of office actions (reviews)
    RECOMMENDATION_SUBMITTED = 1501, "office action recommended"
    REVIEW_SIGNED = 1502, "review stage signed"
    RECOMMENDATION_DECIDED = 1503, "office action decided"
    # 1400s: office actions carried out (enforcement)
    OFFICE_ACTION_CARRIED_OUT = 1401, "office action sent to be carried out"
    OFFICE_ACTION_EXECUTED = 1402, "office action carried out on a wiki"
    OFFICE_ACTION_EXECUTION_DEFERRED = 1403, "office action execution to be retried"
    OFFICE_ACTION_EXECUTION_FAILED = 1404, "office action execution failed"
    OFFICE_ACTION_ENFORCED = 1405, "office action carried out everywhere"
    OFFICE_ACTION_SUBJECT_NOT_EMAILED = 1406, "office action notice not emailed (no address)"
    OFFICE_ACTION_EXECUTION_RETRIED = 1420, "office action execution sent again by a person"
    EVASION_REPORTED = 1421, "ban evasion reported"
    EVASION_DECIDED = 1422, "ban evasion decided"
    OFFICE_ACTION_LIFTED = 1423, "Foundation ban lifted"
    BAN_REVIEW_OPENED = 1424, "ban review due"
    BAN_REVIEW_CHECKED = 1425, "ban review: wikis checked"
    BAN_REVIEW_COMPLETED = 1426, "ban review completed"
    BAN_LIST_PUBLISHED = 1427, "public ban list written to its wiki page"
    # 1600s: office-action investigations
    INVESTIGATION_UPDATED = 1601, "investigation file updated"
    EVENT_ADDED = 1407, "event added"
    EVENT_BAN_LISTED = 1408, "event ban put on the restricted list"
    EVENT_BAN_EVENT_LISTED = 1409, "event named on an event ban"
    EVENT_LIST_SHARED = 1410, "event-ban list shared with organisers"
    EVENT_LIST_SHARE_REVOKED = 1411, "event-ban list share revoked"
    EVENT_LIST_SHARE_EXPIRED = 1412, "event-ban list share expired"
    EVENT_LIST_VIEWED = 1413, "shared event-ban list viewed"
    EVENT_LIST_VIEW_REFUSED = 1414, "shared event-ban list refused (wrong code, expired or revoked)"
    EVENT_BAN_LIST_READ = 1415, "event-ban list read by staff"
    EVENT_BAN_ENDED = 1416, "event ban expired"
    EVENT_BAN_UPDATED = 1417, "event-ban list entry updated"
    # 1700s: appeals to the Case Review Committee, DSA complaints
    APPEAL_LINK_ISSUED = 1701, "appeal link issued with a notice"
    APPEAL_FILED = 1702, "appeal filed"
    APPEAL_ELIGIBILITY_DECIDED = 1703, "appeal eligibility decided"
    APPEAL_CASE_FILE_PREPARED = 1704, "appeal case file prepared"
    APPEAL_CASE_FILE_VIEWED = 1705, "appeal case file viewed"
    APPEAL_PANEL_DRAWN = 1706, "appeal panel drawn"
    APPEAL_MEMBER_RECUSED = 1707, "panel member recused"
    APPEAL_VOTE_CAST = 1708, "panel vote cast"
    APPEAL_DECIDED = 1709, "appeal decided by the panel"
    APPEAL_LIFTING_PROPOSED = 1710, "lifting proposed after an overturned appeal"
    CRC_MEMBER_SAVED = 1711, "committee member added or changed"
    CRC_IDENTITY_VIEWED = 1712, "committee member's real identity viewed"
    COMPLAINT_OPENED = 1713, "DSA complaint opened"
    COMPLAINT_DECIDED = 1714, "DSA complaint decided"
    APPEAL_FILING_REFUSED = 1715, "appeal link refused (forged, expired or used)"
    # 1800s: legal (DMCA, Lumen)
    DMCA_NOTICE_RECORDED = 1801, "DMCA notice recorded and checked"
    DMCA_DECIDED = 1802, "DMCA notice granted or rejected"
    DMCA_REPEAT_INFRINGER = 1803, "repeat infringer flagged for review"
    DMCA_COUNTER_NOTICE_RECORDED = 1804, "DMCA counter-notice recorded"
    DMCA_LAWSUIT_REPORTED = 1805, "claimant reported a lawsuit: no put-back"
    DMCA_RESTORED = 1806, "DMCA material put back after a counter-notice"
    LUMEN_SUBMITTED = 1807, "DMCA notice submitted to Lumen"
    USER_DATA_REQUEST_LOGGED = 1811, "request for user data logged"
    USER_DATA_REQUEST_REVIEWED = 1812, "request for user data reviewed"
    USER_DATA_PRODUCED = 1813, "user data produced"
    CONTENT_DEMAND_LOGGED = 1821, "foreign demand to remove content logged"
    CONTENT_DEMAND_REMOVED = 1822, "content removed on a foreign demand"
    # 1100s: emergency
    EMERGENCY_TRIAGE_RECORDED = 1101, "emergency triage recorded"
    EMERGENCY_LOCATION_TRACED = 1102, "emergency location traced"
    EMERGENCY_REFERRED = 1103, "emergency referred to law enforcement"
    EMERGENCY_LE_ACKNOWLEDGED = 1104, "law enforcement acknowledged a referral"
    EMERGENCY_FOLLOW_UP_ADDED = 1105, "emergency follow-up recorded"
    EMERGENCY_INVESTIGATION_SPAWNED = 1106, "office-action investigation opened from an emergency"
    DISCLOSURE_RECORDED = 1107, "disclosure to law enforcement recorded"
    DISCLOSURE_CONFIRMED = 1108, "disclosure confirmed by legal"
    DISCLOSURE_LEGAL_REMINDED = 1109, "legal reminded of an unconfirmed disclosure"
    FUNCTIONARY_REPORT_RECORDED = 1110, "functionary disclosure report recorded"
    # 900s: the system itself
    KEYS_ROTATED = 901, "encryption keys rotated"


def canonical(content: dict[str, Any]) -> bytes:
    """The exact bytes that are hashed: sorted keys, no whitespace, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


class AuditHead(models.Model):
    """The single row that serialises appends to the chain."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"


class AuditEvent(models.Model):
    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The actor's username at the time, so the row reads the same after a rename.
    actor_label = models.CharField(max_length=150, blank=True)
    # An AuditEventType value. Not declared as `choices`: every app adds types as it grows, and
    # a migration per new type would buy nothing (the enum is the single source of names).
    event_type = models.PositiveIntegerField()
    subject_type = models.CharField(max_length=50, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    # Identifiers and field names only: no report bodies or personal data in the audit trail.
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_event_subject")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("AuditEvent rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("AuditEvent rows are append-only")

    @property
    def event_label(self) -> str:
        try:
            return str(AuditEventType(self.event_type).label)
        except ValueError:
            return f"event type {self.event_type}"

    def content(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "event_type": self.event_type,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "data": self.data,
            "ip_address": self.ip_address,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(self.prev_hash.encode() + canonical(self.content())).hexdigest()
