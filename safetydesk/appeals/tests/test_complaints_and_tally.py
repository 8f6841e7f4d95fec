"""DSA Art. 20 complaints (DOMAIN §19.5) and the committee's public tally (DOMAIN §12.3): an appeal
of an EU-nexus decision is also its complaint and takes the panel's outcome; otherwise a person
who took no part in the decision decides it with a reasoned reply naming the Art. 21 routes.
The transparency figures and the tally are counts only."""

import datetime as dt
import json
from email.header import decode_header, make_header
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from safetydesk.appeals import complaints
from safetydesk.appeals.actions import AppealNotPermitted, AppealRefusal, do_decide_eligibility
from safetydesk.appeals.complaints import do_decide_complaint, do_open_complaint
from safetydesk.appeals.models import Appeal, AppellantRole, Complaint, ComplaintOutcome, IneligibleReason, Outcome
from safetydesk.appeals.panel import do_cast_vote
from safetydesk.appeals.tally import half_year, tally
from safetydesk.appeals.tests.factory import REPORTER, SUBJECT_EMAIL, banned_case
from safetydesk.appeals.tests.offline import AppealTestCase, unchanged
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_transition
from safetydesk.cases.models import Case, PartyRole
from safetydesk.notify.models import Notice
from safetydesk.reviews.actions import do_submit_recommendation

SUBJECT = "Sanctioned Sam"
REPLY = "We read the diffs again: the edits were made from your account over three weeks."


def notices(key: str, recipient: str = SUBJECT_EMAIL) -> list[Notice]:
    return [n for n in Notice.objects.filter(key=key).order_by("pk") if n.recipient == recipient]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


class LinkedComplaintTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director, eu_nexus=True)

    def vote_all(self, appeal: Appeal, votes: list[str]) -> None:
        for seat, vote in zip(appeal.seats.select_related("member__user"), votes, strict=True):
            with self.captureOnCommitCallbacks(execute=True):
                do_cast_vote(seat=seat, acting_user=seat.member.user, vote=vote, note=f"{vote}, with reasons.")
        appeal.refresh_from_db()

    def test_an_appeal_of_an_eu_nexus_decision_opens_its_complaint(self) -> None:
        self.carried_out(self.action)
        appeal = self.appeal_by_link(self.action, grounds="Die Sperre war ungerechtfertigt.")
        [complaint] = Complaint.objects.all()
        assert (complaint.appeal, complaint.case, complaint.office_action) == (appeal, appeal.case, self.action)
        assert (complaint.decision_ref, complaint.complainant) == (self.action.case.reference, appeal.appellant)
        assert (complaint.grounds, complaint.received_at) == ("Die Sperre war ungerechtfertigt.", appeal.received_at)
        assert (complaint.outcome, complaint.decided_at) == ("", None)
        assert appeal.case.eu_nexus
        [opened] = AuditEvent.objects.filter(event_type=AuditEventType.COMPLAINT_OPENED)
        assert opened.data == {"linked": True}

    def test_an_appeal_without_eu_nexus_opens_none(self) -> None:
        action = banned_case("Other Subject", self.director)
        self.carried_out(action)
        self.appeal_by_link(action)
        assert not Complaint.objects.exists()

    def test_the_panel_hears_it_and_its_overturn_reverses_the_decision(self) -> None:
        appeal = self.in_deliberation(self.action)
        complaint = Complaint.objects.get(appeal=appeal)
        with unchanged(), pytest.raises(AppealRefusal) as refused:
            do_decide_complaint(complaint=complaint, acting_user=self.manager, outcome="upheld", reply=REPLY)
        assert refused.value.message == (
            "The Case Review Committee hears this decision; the complaint takes its outcome."
        )
        self.vote_all(appeal, [Outcome.OVERTURNED, Outcome.OVERTURNED, Outcome.RATIFIED])
        assert appeal.outcome == Outcome.OVERTURNED
        complaint.refresh_from_db()
        assert (complaint.outcome, complaint.decided_by_panel) == (ComplaintOutcome.REVERSED, True)
        assert (complaint.reviewer, complaint.reply) == (None, "")
        assert complaint.decided_at is not None
        assert notices("appeal_outcome")  # the panel's outcome is told as the appeal's…
        assert not notices("complaint_decision")  # …not a second time as the complaint's
        with unchanged(), pytest.raises(AppealRefusal, match="This complaint has been decided"):
            do_decide_complaint(complaint=complaint, acting_user=self.manager, outcome="upheld", reply=REPLY)

    def test_a_ratification_upholds_it(self) -> None:
        appeal = self.in_deliberation(self.action)
        self.vote_all(appeal, [Outcome.RATIFIED, Outcome.RATIFIED, Outcome.RETURNED])
        complaint = Complaint.objects.get(appeal=appeal)
        assert (complaint.outcome, complaint.decided_by_panel) == (ComplaintOutcome.UPHELD, True)

    def test_a_returned_case_leaves_the_complaint_to_a_reviewer(self) -> None:
        appeal = self.in_deliberation(self.action)
        self.vote_all(appeal, [Outcome.RATIFIED, Outcome.OVERTURNED, Outcome.RETURNED])
        complaint = Complaint.objects.get(appeal=appeal)
        assert (complaint.outcome, complaint.decided_at) == ("", None)
        do_decide_complaint(complaint=complaint, acting_user=self.manager, outcome="partially_reversed", reply=REPLY)
        complaint.refresh_from_db()
        assert (complaint.outcome, complaint.decided_by_panel) == (ComplaintOutcome.PARTIALLY_REVERSED, False)

    def test_while_eligibility_is_pending_the_complaint_waits_for_the_committee(self) -> None:
        self.carried_out(self.action)
        appeal = self.appeal_by_link(self.action)
        with unchanged(), pytest.raises(AppealRefusal, match="The Case Review Committee hears this decision"):
            do_decide_complaint(complaint=appeal.complaint, acting_user=self.manager, outcome="upheld", reply=REPLY)


class ReviewerTests(AppealTestCase):
    """The appeal was found not eligible: the complaint is decided by a reviewer."""

    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director, eu_nexus=True)
        self.carried_out(self.action)
        self.appeal = self.appeal_by_link(self.action)
        do_transition(case=self.appeal.case, transition="acknowledge", acting_user=self.specialist)
        do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=False,
                              reason=IneligibleReason.LEGAL)  # fmt: skip
        self.complaint = Complaint.objects.get(appeal=self.appeal)

    def test_nobody_who_took_part_in_the_decision_decides_the_complaint(self) -> None:
        do_submit_recommendation(case=self.action.case, acting_user=self.oncall, action_types=["conduct_warning"],
                                 target=SUBJECT, rationale="A warning as well.")  # fmt: skip
        assert self.action.decided_by == self.director
        assert complaints.original_deciders(self.complaint) >= {self.director.pk, self.oncall.pk}
        for decider in (self.director, self.oncall):
            with unchanged(), pytest.raises(AppealNotPermitted) as refused:
                do_decide_complaint(complaint=self.complaint, acting_user=decider, outcome="upheld", reply=REPLY)
            assert refused.value.message == (
                "You took part in the original decision; another reviewer must decide the complaint (DSA Art. 20)."
            )
        for user in (self.auditor, self.crc):
            with unchanged(), pytest.raises(AppealNotPermitted, match="You may not decide complaints on this case"):
                do_decide_complaint(complaint=self.complaint, acting_user=user, outcome="upheld", reply=REPLY)

    def test_another_reviewer_decides_with_a_reasoned_reply_naming_the_redress_routes(self) -> None:
        with unchanged(), pytest.raises(AppealRefusal, match="Write the reasoned reply"):
            do_decide_complaint(complaint=self.complaint, acting_user=self.manager, outcome="upheld", reply="  ")
        with unchanged(), pytest.raises(AppealRefusal, match="Choose: upheld, reversed or partly reversed"):
            do_decide_complaint(complaint=self.complaint, acting_user=self.manager, outcome="ratified", reply=REPLY)
        with self.captureOnCommitCallbacks(execute=True):
            do_decide_complaint(complaint=self.complaint, acting_user=self.manager, outcome="upheld", reply=REPLY)
        self.complaint.refresh_from_db()
        assert (self.complaint.outcome, self.complaint.reviewer, self.complaint.decided_by_panel) == (
            ComplaintOutcome.UPHELD, self.manager, False,
        )  # fmt: skip
        assert self.complaint.reply == REPLY
        [notice] = notices("complaint_decision")
        assert notice.language == "de"
        assert notice.case == self.appeal.case
        assert REPLY in notice.body
        assert settings.DSA_REDRESS_INFO in notice.body
        subjects = [str(make_header(decode_header(m["Subject"]))) for m in self.sink.to(SUBJECT_EMAIL)]
        assert any(s.startswith(f"[{self.appeal.case.reference}] Entscheidung über Ihre Beschwerde") for s in subjects)

    def test_the_decision_is_named_in_the_complainants_language(self) -> None:
        # A German catalogue of this test's own (whatever the .po says today), dropped afterwards.
        german = trans_real.DjangoTranslation("de")
        german._catalog["Decision upheld"] = "Entscheidung bestätigt"  # type: ignore[attr-defined]
        with mock.patch.dict(trans_real._translations, {"de": german}):  # type: ignore[attr-defined]
            with translation.override("en"):  # the reviewer works in English
                do_decide_complaint(complaint=self.complaint, acting_user=self.manager, outcome="upheld", reply=REPLY)
            [notice] = notices("complaint_decision")
            assert "Entscheidung bestätigt" in notice.body


class OpenComplaintTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.case = self.email_appeal_case(SUBJECT_EMAIL)  # where the complaint came in

    def open(self, action: Any, **data: Any) -> Complaint:
        return do_open_complaint(
            case=self.case, acting_user=data.pop("acting_user", self.specialist),
            original=action.case, office_action=action,
            complainant=data.pop("complainant", None) or action.case.parties.get(role=PartyRole.SUBJECT),
            grounds=data.pop("grounds", "The ban was wrong."), **data,
        )  # fmt: skip

    def test_refused_for_a_decision_without_eu_nexus(self) -> None:
        action = banned_case(SUBJECT, self.director)
        self.carried_out(action)
        with unchanged(), pytest.raises(AppealRefusal) as refused:
            self.open(action)
        assert refused.value.message == "Art. 20 complaints are for decisions with an EU nexus; this case has none."

    def test_recorded_for_an_eu_nexus_decision_within_six_months(self) -> None:
        action = banned_case(SUBJECT, self.director, eu_nexus=True)
        self.carried_out(action)
        complaint = self.open(action)
        assert (complaint.appeal, complaint.decision_ref) == (None, action.case.reference)
        assert action.enforced_at is not None
        late = action.enforced_at + dt.timedelta(days=settings.APPEAL_WINDOW_DAYS, hours=1)
        with unchanged(), pytest.raises(AppealRefusal, match="The six months to complain about this decision"):
            self.open(action, received_at=late)
        with unchanged(), pytest.raises(AppealRefusal, match="Give the grounds of the complaint"):
            self.open(action, grounds=" ")
        other = banned_case("Other Subject", self.director, eu_nexus=True)
        with unchanged(), pytest.raises(AppealRefusal, match="The complainant must be a party of the decided case"):
            self.open(action, complainant=other.case.parties.get(role=PartyRole.SUBJECT))
        with unchanged(), pytest.raises(AppealNotPermitted):
            self.open(action, acting_user=self.auditor)


class FiguresTests(AppealTestCase):
    def complaint(self, received: str, decided: str | None = None, outcome: str = "") -> Complaint:
        if not hasattr(self, "case"):
            self.case = self.email_appeal_case()
        return Complaint.objects.create(
            case=self.case, decision_ref="SD-2026-000001", grounds="Grounds.", received_at=at(received),
            decided_at=at(decided) if decided else None, outcome=outcome,
        )  # fmt: skip

    def test_counts_outcomes_and_median_days_of_the_period(self) -> None:
        self.complaint("2026-01-10T08:00", "2026-01-12T08:00", ComplaintOutcome.UPHELD)  # 2 days
        self.complaint("2026-02-01T00:00", "2026-02-05T00:00", ComplaintOutcome.REVERSED)  # 4 days
        self.complaint("2026-03-01T00:00", "2026-03-10T00:00", ComplaintOutcome.PARTIALLY_REVERSED)  # 9 days
        self.complaint("2026-06-30T23:59")  # received in the period, not decided
        self.complaint("2026-01-01T00:00", "2026-01-31T00:00", ComplaintOutcome.UPHELD)  # 30 days: the first moment
        self.complaint("2025-12-31T23:59", "2026-01-02T00:00", ComplaintOutcome.UPHELD)  # before
        self.complaint("2026-07-01T00:00", "2026-07-02T00:00", ComplaintOutcome.REVERSED)  # the end is excluded
        figures = complaints.figures(at("2026-01-01T00:00"), at("2026-07-01T00:00"))
        assert figures == {
            "received": 5,
            "decided": 4,
            "outcomes": {"upheld": 2, "reversed": 1, "partially_reversed": 1},
            "reversed": 2,
            "median_days_to_decision": 6.5,  # of 2, 4, 9 and 30
        }

    def test_an_odd_count_and_an_empty_period(self) -> None:
        self.complaint("2026-01-10T00:00", "2026-01-11T12:00", ComplaintOutcome.UPHELD)  # 1.5 days
        self.complaint("2026-01-10T00:00", "2026-01-13T00:00", ComplaintOutcome.UPHELD)  # 3 days
        self.complaint("2026-01-10T00:00", "2026-01-20T00:00", ComplaintOutcome.REVERSED)  # 10 days
        assert complaints.figures(at("2026-01-01T00:00"), at("2026-02-01T00:00"))["median_days_to_decision"] == 3.0
        assert complaints.figures(at("2027-01-01T00:00"), at("2027-07-01T00:00")) == {
            "received": 0, "decided": 0, "outcomes": {"upheld": 0, "reversed": 0, "partially_reversed": 0},
            "reversed": 0, "median_days_to_decision": None,
        }  # fmt: skip


class TallyTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        self.subject = self.action.case.parties.get(role=PartyRole.SUBJECT)

    def decided(self, outcome: str, decided_at: str) -> Appeal:
        case = self.email_appeal_case()
        moment = at(decided_at)
        return Appeal.objects.create(
            case=case, original_case=self.action.case, office_action=self.action, appellant=self.subject,
            appellant_role=AppellantRole.SANCTIONED, grounds="Grounds.", notified_at=moment, received_at=moment,
            eligibility_due_at=moment, outcome_due_at=moment, eligible=outcome != "", outcome=outcome,
            decided_at=moment if outcome else None,
        )  # fmt: skip

    def test_per_half_year_newest_first_in_percent(self) -> None:
        for outcome, when in [
            ("ratified", "2026-07-01T00:00"), ("ratified", "2026-12-31T23:59"), ("overturned", "2026-09-15T10:00"),
            ("returned", "2026-06-30T23:59"), ("overturned", "2026-01-01T00:00"),
            ("ratified", "2025-12-31T23:59"),
            ("", "2026-08-01T00:00"),  # not decided (or not eligible): not reviewed
        ]:  # fmt: skip
            self.decided(outcome, when)
        assert tally() == [
            {"period": "2026-H2", "reviewed": 3, "ratified": 66.7, "overturned": 33.3, "returned": 0.0},
            {"period": "2026-H1", "reviewed": 2, "ratified": 0.0, "overturned": 50.0, "returned": 50.0},
            {"period": "2025-H2", "reviewed": 1, "ratified": 100.0, "overturned": 0.0, "returned": 0.0},
        ]
        assert (half_year(at("2026-06-30T23:59")), half_year(at("2026-07-01T00:00"))) == ("2026-H1", "2026-H2")

    def test_nothing_decided_yet(self) -> None:
        self.decided("", "2026-08-01T00:00")
        assert tally() == []


class PublicTallyTests(AppealTestCase):
    def test_the_public_tally_needs_no_login_and_names_no_case_or_person(self) -> None:
        action = banned_case(SUBJECT, self.director, eu_nexus=True)
        appeal = self.in_deliberation(action)
        for seat in appeal.seats.select_related("member__user"):
            with self.captureOnCommitCallbacks(execute=True):
                do_cast_vote(seat=seat, acting_user=seat.member.user, vote="overturned", note=f"Overturn: {SUBJECT}.")
        appeal.refresh_from_db()
        assert appeal.outcome == Outcome.OVERTURNED
        anonymous = Client()
        page = anonymous.get("/crc/tally/")
        data = anonymous.get("/crc/tally.json")
        assert (page.status_code, data.status_code) == (200, 200)
        assert data.headers["Access-Control-Allow-Origin"] == "*"
        body = data.json()
        assert body["periods"] == [
            {"period": half_year(appeal.decided_at), "reviewed": 1, "ratified": 0.0, "overturned": 100.0,
             "returned": 0.0},
        ]  # fmt: skip
        secrets = [c.reference for c in Case.objects.all()] + [SUBJECT, REPORTER, SUBJECT_EMAIL]
        for seat in appeal.seats.select_related("member__user"):
            secrets += [seat.member.pseudonym, seat.member.user.username]
        for text in (page.content.decode(), json.dumps(body)):
            for secret in secrets:
                assert secret not in text
        assert "100" in page.content.decode()
