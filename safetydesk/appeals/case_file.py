"""The redacted case file the Case Review Committee reads (DOMAIN §12.2, issue 6 part 3).

Made from the live case when staff prepare it, then frozen (`CaseFile.content`): the panel
never reads the live case. What is left out, and why:
- every reporter's identity: their names, accounts, addresses and IP addresses, wherever they
  occur in the text (replaced by "[reporter]"), and any email address at all;
- evidence marked "not for the committee", evidence above the internal level (legal-privileged,
  restricted, child-safety), emails (their headers name the sender), and any link that names
  a reporter;
- who reviewed the recommendation (the stages and their verdicts stay).
`draft()` is also the staff preview: it shows exactly what the panel will see.
"""

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from django.utils.translation import gettext as _

from safetydesk.appeals.models import Appeal, AppellantRole
from safetydesk.cases.models import Confidentiality, EvidenceKind, Party, PartyRole
from safetydesk.enforcement.models import ActionType, OfficeAction
from safetydesk.lib.redaction import EMAIL_ADDRESS

REPORTER = "[reporter]"
# People whose identity the committee never sees (DOMAIN §12.2; issue 6: "reporter identities").
WITHHELD_ROLES = frozenset({PartyRole.REPORTER, PartyRole.WITNESS})


@dataclass(frozen=True)
class Redactor:
    """Replaces each withheld person's identifiers in a text."""

    pattern: re.Pattern[str] | None

    @classmethod
    def for_parties(cls, parties: list[Party]) -> "Redactor":
        names: set[str] = set()
        for party in parties:
            for value in (party.wiki_username, party.real_name, party.email, party.ip_or_range):
                value = value.strip()
                if len(value) >= 2:
                    names |= {value, value.replace(" ", "_"), value.replace("_", " ")}
        if not names:
            return cls(None)
        # Longest first, so "Ann Lee" goes before "Ann"; on word edges, so "Ann" leaves "Annex".
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return cls(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))

    def __call__(self, text: str) -> str:
        if self.pattern is not None:
            text = self.pattern.sub(REPORTER, text)
        return EMAIL_ADDRESS.sub(_("[email address removed]"), text)

    def names_someone(self, text: str) -> bool:
        return self(text) != text


def _decision(action: OfficeAction | None) -> dict[str, str]:
    if action is None:
        return {"action": ""}
    return {
        "action": action.action_type,
        "account": action.target,
        "decided_at": action.decided_at.date().isoformat(),
        "carried_out_at": action.enforced_at.date().isoformat() if action.enforced_at else "",
        "expiry": action.expiry,
        "scope": action.scope,
    }


def _evidence(appeal: Appeal, redact: Redactor) -> list[dict[str, Any]]:
    rows = []
    for item in appeal.original_case.evidence.order_by("captured_at", "pk"):
        if item.not_for_committee or item.access_level != Confidentiality.INTERNAL or item.kind == EvidenceKind.EMAIL:
            continue
        link = item.permalink
        rows.append(
            {
                "kind": item.kind,
                "captured_at": item.captured_at.date().isoformat(),
                "link": "" if redact.names_someone(unquote(link)) else link,
                "link_removed": redact.names_someone(unquote(link)),
                "description": redact(item.description),
                "content": redact(item.content),
            }
        )
    return rows


def _review(appeal: Appeal, redact: Redactor) -> list[dict[str, Any]]:
    from safetydesk.reviews.matrix import matrix
    from safetydesk.reviews.models import RecommendationStatus

    stages = matrix().stages
    recommendations = appeal.original_case.recommendations.filter(status=RecommendationStatus.DECIDED)
    return [
        {
            "submitted_at": rec.submitted_at.date().isoformat(),
            "rationale": redact(rec.rationale),
            "steps": [
                {
                    "stage": stages[step.stage].name if step.stage in stages else step.stage,
                    "verdict": step.verdict,
                    "note": redact(step.note),
                }
                for step in rec.steps.order_by("position")
            ],
        }
        for rec in recommendations.order_by("submitted_at", "pk")
    ]


def draft(appeal: Appeal, summary: str = "") -> dict[str, Any]:
    """The file as it would be frozen now, with staff's summary for the panel."""
    original = appeal.original_case
    withheld = [p for p in original.parties.all() if p.role in WITHHELD_ROLES]
    if appeal.appellant_role != AppellantRole.SANCTIONED:
        # A requesting party is a reporter by another name, however they wrote to appeal. (The
        # appeal case's own parties are the appellant as they wrote in: withheld only then.)
        withheld += [appeal.appellant, *appeal.case.parties.all()]
    redact = Redactor.for_parties(withheld)
    report = getattr(original, "investigation_report", None)
    subjects = [p.wiki_username for p in original.parties.filter(role=PartyRole.SUBJECT) if p.wiki_username]
    return {
        "appeal": appeal.case.reference,
        "received_at": appeal.received_at.date().isoformat(),
        "appellant_role": appeal.appellant_role,
        "grounds": redact(appeal.grounds),
        "new_evidence": redact(appeal.new_evidence),
        "summary": redact(summary.strip()),
        "decision": _decision(appeal.office_action),
        "subjects": [redact(s) for s in subjects],
        "reporters": sum(1 for p in original.parties.all() if p.role == PartyRole.REPORTER),
        "evidence": _evidence(appeal, redact),
        "report": redact(report.text) if report is not None else "",
        "review": _review(appeal, redact),
    }


def for_display(content: dict[str, Any]) -> dict[str, Any]:
    """The frozen file with its stored keys (action, evidence kinds, verdicts, appellant) named
    in the reader's language."""
    from safetydesk.reviews.models import Verdict

    actions, kinds = dict(ActionType.choices), dict(EvidenceKind.choices)
    verdicts, roles = dict(Verdict.choices), dict(AppellantRole.choices)
    decision = dict(content.get("decision", {}))
    decision["action_label"] = actions.get(decision.get("action", ""), "") or _(
        "No office action (the case was closed without one)"
    )
    return {
        **content,
        "appellant": roles.get(content.get("appellant_role", ""), ""),
        "decision": decision,
        "evidence": [{**row, "kind_label": kinds.get(row["kind"], row["kind"])} for row in content.get("evidence", [])],
        "review": [
            {
                **rec,
                "steps": [
                    {**step, "verdict_label": verdicts.get(step["verdict"], "") or _("not signed")}
                    for step in rec["steps"]
                ],
            }
            for rec in content.get("review", [])
        ],
    }
