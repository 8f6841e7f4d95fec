"""The committee's rules (DOMAIN §12.1-§12.4): legal counsel decides eligibility; panels are drawn
from volunteers only, never a member with a stake in the case, with a replacement for each
recusal; each member votes once, in their own seat; the majority decides and anything else
returns the case, which reopens the original in investigation with the panel's reasons. A member
never reaches the live case."""

import pytest
from django.conf import settings
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from safetydesk.accounts.roles import Role
from safetydesk.appeals import committee as roster
from safetydesk.appeals.actions import (
    AppealNotPermitted,
    AppealRefusal,
    do_decide_eligibility,
    do_prepare_case_file,
    do_propose_lifting,
    do_register_appeal,
)
from safetydesk.appeals.models import Appeal, CommitteeMember, IneligibleReason, Outcome, PanelSeat, SeatStatus
from safetydesk.appeals.panel import candidates, conflict_of, do_cast_vote, do_draw_panel, do_recuse, majority
from safetydesk.appeals.tests.factory import REPORTER, SUBJECT_EMAIL, banned_case, committee
from safetydesk.appeals.tests.offline import AppealTestCase, unchanged
from safetydesk.appeals.workflows import (
    CASE_FILE_PREPARED,
    CLOSED_INELIGIBLE,
    CLOSED_RATIFIED,
    CLOSED_RETURNED,
    DELIBERATION,
    ELIGIBILITY_REVIEW,
)
from safetydesk.cases.actions import PartyData, do_create_case, do_transition
from safetydesk.cases.errors import TransitionNotAvailable
from safetydesk.cases.models import CaseKind, Note, Party, PartyRole
from safetydesk.cases.workflows import UNDER_INVESTIGATION
from safetydesk.enforcement.actions import ban_in_force, do_carry_out, do_confirm_by_hand
from safetydesk.enforcement.models import ActionStatus, ActionType, OfficeAction
from safetydesk.lib.testing import force_login_verified, make_staff
from safetydesk.notify.models import Notice

SUBJECT = "Sanctioned Sam"


def notices_to(address: str, key: str) -> list[Notice]:
    return [n for n in Notice.objects.filter(key=key).order_by("pk") if n.recipient == address]


class MajorityTests(SimpleTestCase):
    def test_more_than_half_decides(self) -> None:
        assert majority([Outcome.RATIFIED, Outcome.RATIFIED, Outcome.OVERTURNED]) == Outcome.RATIFIED
        assert majority([Outcome.OVERTURNED, Outcome.RATIFIED, Outcome.OVERTURNED]) == Outcome.OVERTURNED
        assert majority([Outcome.OVERTURNED] * 3) == Outcome.OVERTURNED
        assert majority(["ratified", "ratified", "ratified", "overturned", "returned"]) == Outcome.RATIFIED

    def test_anything_else_returns_the_case(self) -> None:
        assert majority([Outcome.RATIFIED, Outcome.OVERTURNED, Outcome.RETURNED]) == Outcome.RETURNED
        assert majority(["ratified", "ratified", "overturned", "overturned"]) == Outcome.RETURNED
        assert majority(["ratified", "ratified", "overturned", "overturned", "returned"]) == Outcome.RETURNED


class VotingTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        self.appeal = self.in_deliberation(self.action)
        self.seats = list(self.appeal.seats.select_related("member__user"))
        assert len(self.seats) == 3

    def vote(self, seat: PanelSeat, vote: str, note: str = "Reasons.") -> PanelSeat:
        with self.captureOnCommitCallbacks(execute=True):
            return do_cast_vote(seat=seat, acting_user=seat.member.user, vote=vote, note=note)

    def test_a_vote_is_final(self) -> None:
        seat = self.seats[0]
        force_login_verified(self.client, seat.member.user)
        first = self.client.post(f"/crc/seats/{seat.pk}/vote/", {"vote": "ratified", "note": "Handled properly."})
        assert first.status_code == 302
        with unchanged():
            again = self.client.post(f"/crc/seats/{seat.pk}/vote/", {"vote": "overturned", "note": "Changed my mind."},
                                     follow=True)  # fmt: skip
        assert "You have already voted on this appeal; a vote is final." in again.content.decode()
        seat.refresh_from_db()
        assert (seat.vote, seat.vote_note) == (Outcome.RATIFIED, "Handled properly.")
        with unchanged(), pytest.raises(AppealRefusal, match="a vote is final"):
            do_cast_vote(seat=seat, acting_user=seat.member.user, vote=Outcome.RETURNED, note="Once more.")
        with unchanged(), pytest.raises(AppealRefusal, match="cannot recuse"):
            do_recuse(seat=seat, acting_user=seat.member.user, reason="Now I remember them.")

    def test_a_vote_needs_a_choice_and_reasons(self) -> None:
        seat = self.seats[0]
        with unchanged(), pytest.raises(AppealRefusal, match="reasoned note"):
            do_cast_vote(seat=seat, acting_user=seat.member.user, vote=Outcome.RATIFIED, note="  ")
        with unchanged(), pytest.raises(AppealRefusal, match="ratify, overturn or return"):
            do_cast_vote(seat=seat, acting_user=seat.member.user, vote="abstain", note="No view.")

    def test_a_recused_member_does_not_vote(self) -> None:
        seat = self.seats[0]
        assert do_recuse(seat=seat, acting_user=seat.member.user, reason="I know the subject.") is None  # no one left
        seat.refresh_from_db()
        assert seat.status == SeatStatus.RECUSED
        with unchanged(), pytest.raises(AppealNotPermitted, match="You recused yourself from this appeal"):
            do_cast_vote(seat=seat, acting_user=seat.member.user, vote=Outcome.OVERTURNED, note="Still, overturn.")
        force_login_verified(self.client, seat.member.user)
        with unchanged():
            response = self.client.post(f"/crc/seats/{seat.pk}/vote/", {"vote": "overturned", "note": "Overturn."})
            assert response.status_code == 404
            assert self.client.get(f"/crc/seats/{seat.pk}/").status_code == 404
        with unchanged(), pytest.raises(AppealRefusal, match="already recused"):
            do_recuse(seat=seat, acting_user=seat.member.user, reason="Again.")

    def test_a_member_votes_only_in_their_own_seat(self) -> None:
        mine, theirs = self.seats[0], self.seats[1]
        vote_url, overturn = f"/crc/seats/{theirs.pk}/vote/", {"vote": "overturned", "note": "x"}
        force_login_verified(self.client, mine.member.user)
        with unchanged():
            assert self.client.post(vote_url, overturn).status_code == 404
            assert self.client.get(f"/crc/seats/{theirs.pk}/").status_code == 404
            assert self.client.post(f"/crc/seats/{theirs.pk}/conflict/", {"reason": "x"}).status_code == 404
        with unchanged(), pytest.raises(AppealNotPermitted, match="Only the member who holds this seat votes in it"):
            do_cast_vote(seat=theirs, acting_user=mine.member.user, vote=Outcome.OVERTURNED, note="For them.")
        force_login_verified(self.client, self.crc)  # a member not on this panel
        with unchanged():
            assert self.client.post(vote_url, overturn).status_code == 404
        for staff in (self.specialist, self.legal, self.director):
            force_login_verified(self.client, staff)
            with unchanged():
                assert self.client.post(vote_url, overturn).status_code == 403
                assert self.client.get(f"/crc/seats/{theirs.pk}/").status_code == 403
            with unchanged(), pytest.raises(AppealNotPermitted):
                do_cast_vote(seat=theirs, acting_user=staff, vote=Outcome.RATIFIED, note="Staff vote.")

    def test_two_to_one_ratifies_and_leaves_the_ban_in_force(self) -> None:
        for seat, vote in zip(self.seats, ["ratified", "overturned", "ratified"], strict=True):
            self.vote(seat, vote, f"{vote}: see the diffs.")
        self.appeal.refresh_from_db()
        self.appeal.case.refresh_from_db()
        assert (self.appeal.outcome, self.appeal.case.state) == (Outcome.RATIFIED, CLOSED_RATIFIED)
        self.action.refresh_from_db()
        assert self.action.status == ActionStatus.ENFORCED
        assert ban_in_force(SUBJECT) == self.action
        original = self.appeal.original_case
        original.refresh_from_db()
        assert original.state != UNDER_INVESTIGATION
        assert not Note.objects.filter(case=original).exists()
        [told] = notices_to(SUBJECT_EMAIL, "appeal_outcome")
        assert told.language == "de"
        with translation.override("de"):
            assert told.subject.endswith(f"Das Ergebnis Ihres Einspruchs: {Outcome.RATIFIED.label}")
        with unchanged(), pytest.raises(AppealRefusal, match="Only an overturned decision is lifted"):
            do_propose_lifting(appeal=self.appeal, acting_user=self.specialist)
        # Closed: no more votes, recusals or draws.
        with unchanged(), pytest.raises(AppealRefusal, match="no longer before the panel"):
            do_cast_vote(seat=self.seats[0], acting_user=self.seats[0].member.user, vote="returned", note="Late.")

    def test_three_different_votes_return_the_case_to_investigation_with_the_panels_reasons(self) -> None:
        original = self.appeal.original_case
        notes = {
            "ratified": "The evidence supports the ban.",
            "overturned": "The account was compromised.",
            "returned": "Nobody asked the subject about the second account.",
        }
        for seat, (vote, note) in zip(self.seats, notes.items(), strict=True):
            self.vote(seat, vote, note)
        self.appeal.refresh_from_db()
        self.appeal.case.refresh_from_db()
        assert (self.appeal.outcome, self.appeal.case.state) == (Outcome.RETURNED, CLOSED_RETURNED)
        original.refresh_from_db()
        assert original.state == UNDER_INVESTIGATION
        [reopened] = Note.objects.filter(case=original)
        assert f"returned this case for reconsideration (appeal {self.appeal.case.reference})" in reopened.body
        for reason in notes.values():
            assert reason in reopened.body
        self.action.refresh_from_db()
        assert self.action.status == ActionStatus.ENFORCED  # reconsidered, not lifted
        assert notices_to(SUBJECT_EMAIL, "appeal_outcome")


class AcknowledgedAppealTestCase(AppealTestCase):
    """A ban carried out, appealed by its link, the appeal acknowledged."""

    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        self.carried_out(self.action)
        self.appeal = self.appeal_by_link(self.action)
        do_transition(case=self.appeal.case, transition="acknowledge", acting_user=self.specialist)


class PreparedAppealTestCase(AcknowledgedAppealTestCase):
    """An appeal with its case file prepared, waiting for its panel."""

    def setUp(self) -> None:
        super().setUp()
        do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=True)
        do_prepare_case_file(appeal=self.appeal, acting_user=self.specialist)
        self.appeal.refresh_from_db()
        assert self.appeal.case.state == CASE_FILE_PREPARED

    def draw(self) -> list[PanelSeat]:
        with self.captureOnCommitCallbacks(execute=True):
            return do_draw_panel(appeal=self.appeal, acting_user=self.specialist)


class DrawTests(PreparedAppealTestCase):
    def test_staff_holding_the_crc_role_is_never_drawn(self) -> None:
        staff = make_staff("stan", Role.CRC_MEMBER, Role.SPECIALIST)
        # On the roster from before they were hired, say: the roster cannot add them now.
        on_roster = CommitteeMember.objects.create(user=staff, pseudonym="Staff in disguise")
        volunteers = committee(3)
        assert on_roster not in candidates(self.appeal)
        seats = self.draw()
        assert {s.member for s in seats} == set(volunteers)
        assert not PanelSeat.objects.filter(member=on_roster).exists()

    def test_too_few_volunteers_and_staff_does_not_make_up_the_number(self) -> None:
        CommitteeMember.objects.create(user=make_staff("stan", Role.CRC_MEMBER, Role.SPECIALIST), pseudonym="Stan")
        CommitteeMember.objects.create(user=make_staff("aud", Role.CRC_MEMBER, Role.AUDITOR), pseudonym="Aud")
        committee(2)
        inactive = committee(1, prefix="away")[0]
        inactive.active = False
        inactive.save()
        with unchanged(), pytest.raises(AppealRefusal) as refused:
            do_draw_panel(appeal=self.appeal, acting_user=self.specialist)
        assert refused.value.message == "Only 2 committee members can sit on this appeal; the panel needs 3."
        self.appeal.case.refresh_from_db()
        assert self.appeal.case.state == CASE_FILE_PREPARED

    @override_settings(CRC_PANEL_SIZE=5)
    def test_the_count_follows_the_configured_panel_size(self) -> None:
        committee(4)
        with unchanged(), pytest.raises(AppealRefusal, match=r"Only 4 committee members .* the panel needs 5"):
            do_draw_panel(appeal=self.appeal, acting_user=self.specialist)

    def test_a_member_with_an_account_in_the_case_is_never_drawn(self) -> None:
        members = committee(6)
        # As MediaWiki compares names: first letter, underscores.
        members[0].wiki_accounts = "Some Alt\nquietreporter\n"
        members[1].wiki_accounts = "sanctioned_Sam"
        Party.objects.create(case=self.appeal.original_case, role=PartyRole.WITNESS, wiki_username="Watchful Witness")
        members[2].wiki_accounts = "Watchful_Witness"
        members[3].wiki_accounts = "Unrelated Editor"
        for member in members:
            member.save()
        assert conflict_of(members[0], self.appeal) == "A party to the case."
        assert conflict_of(members[1], self.appeal) == "A party to the case."
        assert conflict_of(members[2], self.appeal) == "Involved in the case."
        assert conflict_of(members[3], self.appeal) is None
        assert set(candidates(self.appeal)) == set(members[3:])
        seats = self.draw()
        assert {s.member for s in seats} == set(members[3:])

    def test_a_conflict_leaving_too_few_refuses_the_draw(self) -> None:
        members = committee(3)
        members[0].wiki_accounts = REPORTER
        members[0].save()
        with unchanged(), pytest.raises(AppealRefusal, match="Only 2 committee members can sit on this appeal"):
            do_draw_panel(appeal=self.appeal, acting_user=self.specialist)

    def test_a_recusal_draws_a_replacement_until_nobody_is_left(self) -> None:
        members = committee(4)
        seats = self.draw()
        assert len(seats) == 3
        [spare] = set(members) - {s.member for s in seats}
        recusing = seats[0]
        replacement = do_recuse(seat=recusing, acting_user=recusing.member.user, reason="I mentored the reporter.")
        assert replacement is not None
        assert replacement.member == spare
        assert self.appeal.seats.filter(status=SeatStatus.SEATED).count() == 3
        recusing.refresh_from_db()
        assert (recusing.status, recusing.recusal_reason) == (SeatStatus.RECUSED, "I mentored the reporter.")
        assert recusing.member not in candidates(self.appeal)  # never drawn again for this appeal
        # Staff handling the appeal may record a recusal too; nobody is left to replace it.
        assert do_recuse(seat=replacement, acting_user=self.specialist, reason="Told us by email.") is None
        assert self.appeal.seats.filter(status=SeatStatus.SEATED).count() == 2
        assert self.appeal.seats.count() == 4
        with unchanged(), pytest.raises(AppealRefusal, match="Say what the conflict is"):
            do_recuse(seat=seats[1], acting_user=seats[1].member.user, reason="   ")
        with unchanged(), pytest.raises(AppealNotPermitted):
            do_recuse(seat=seats[1], acting_user=seats[2].member.user, reason="They are biased.")


class RosterTests(AppealTestCase):
    def save(self, username: str, pseudonym: str = "Rowan", acting_user: object = None) -> CommitteeMember:
        return roster.do_save_member(acting_user=acting_user or self.legal, data={"pseudonym": pseudonym,
                                                                             "username": username})  # fmt: skip

    def test_staff_cannot_be_added_to_the_committee(self) -> None:
        for n, role in enumerate([Role.SPECIALIST, Role.LEGAL_COUNSEL, Role.AUDITOR, Role.ADMINISTRATOR, Role.ONCALL]):
            user = make_staff(f"staffer{n}", Role.CRC_MEMBER, role)
            with unchanged(), pytest.raises(AppealRefusal) as refused:
                self.save(user.username, f"Pseudonym {n}")
            assert refused.value.message == (
                "The login must exist, hold the Case Review Committee role, and no staff role."
            )
        with unchanged(), pytest.raises(AppealRefusal, match="hold the Case Review Committee role"):
            self.save(make_staff("plain").username)
        with unchanged(), pytest.raises(AppealRefusal, match="The login must exist"):
            self.save("nobody-by-that-name")

    def test_a_volunteer_is_added_by_legal_counsel_only(self) -> None:
        volunteer = make_staff("vol", Role.CRC_MEMBER)
        with unchanged(), pytest.raises(AppealNotPermitted, match="Legal counsel keep the committee's roster"):
            self.save("vol", acting_user=self.specialist)
        member = self.save("vol", "Rowan")
        assert (member.user, member.pseudonym, member.active) == (volunteer, "Rowan", True)


class EligibilityTests(AcknowledgedAppealTestCase):
    def assert_undecided(self, appeal: Appeal) -> None:
        appeal.refresh_from_db()
        appeal.case.refresh_from_db()
        assert (appeal.eligible, appeal.eligibility_decided_by, appeal.case.state) == (None, None, ELIGIBILITY_REVIEW)

    def test_only_legal_counsel_decides(self) -> None:
        for user in (self.specialist, self.manager, self.director, self.crc, self.auditor):
            for eligible in (True, False):
                with unchanged(), pytest.raises(AppealNotPermitted) as refused:
                    do_decide_eligibility(appeal=self.appeal, acting_user=user, eligible=eligible,
                                          reason=IneligibleReason.LEGAL)  # fmt: skip
                assert refused.value.http_status == 403
                assert refused.value.message == (
                    "A Foundation attorney (legal counsel) decides whether an appeal is eligible."
                )
        force_login_verified(self.client, self.specialist)
        with unchanged():
            page = self.client.post(f"/appeals/cases/{self.appeal.case.reference}/eligibility/", {"eligible": "yes"},
                                    follow=True)  # fmt: skip
        assert "A Foundation attorney (legal counsel) decides whether an appeal is eligible." in page.content.decode()
        self.assert_undecided(self.appeal)

    def test_not_eligible_needs_a_reason_and_tells_the_appellant(self) -> None:
        for reason in ("", "because"):
            with unchanged(), pytest.raises(AppealRefusal, match="Give the reason the appeal is not eligible"):
                do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=False, reason=reason)
        self.assert_undecided(self.appeal)
        with self.captureOnCommitCallbacks(execute=True):
            do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=False,
                                  reason=IneligibleReason.STATUTORY, note="Taken under a court order.")  # fmt: skip
        self.appeal.refresh_from_db()
        self.appeal.case.refresh_from_db()
        assert (self.appeal.eligible, self.appeal.ineligible_reason) == (False, IneligibleReason.STATUTORY)
        assert self.appeal.case.state == CLOSED_INELIGIBLE
        [notice] = notices_to(SUBJECT_EMAIL, "appeal_eligibility")
        assert notice.case == self.appeal.case
        assert notice.language == "de"
        assert "dass er nicht vom Case Review Committee überprüft werden kann" in notice.body
        assert self.appeal.case.reference in notice.body
        assert "Taken under a court order." not in notice.body  # the note is staff's
        assert self.sink.to(SUBJECT_EMAIL)
        with unchanged(), pytest.raises(TransitionNotAvailable):  # decided once
            do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=True)

    def test_the_reason_is_told_in_the_appellants_language(self) -> None:
        do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=False,
                              reason=IneligibleReason.STATUTORY)  # fmt: skip
        [notice] = notices_to(SUBJECT_EMAIL, "appeal_eligibility")
        assert notice.language == "de"
        english = str(IneligibleReason.STATUTORY.label)
        with translation.override("de"):
            german = str(IneligibleReason.STATUTORY.label)
        assert german != english
        assert f"Grund: {german}" in notice.body
        assert english not in notice.body

    def test_found_eligible_the_appellant_is_told_too(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=True)
        [notice] = notices_to(SUBJECT_EMAIL, "appeal_eligibility")
        assert "Ihr Einspruch wird vom Case Review Committee geprüft" in notice.subject
        self.appeal.refresh_from_db()
        assert self.appeal.case.sla_due_at == self.appeal.outcome_due_at

    @override_settings(CRC_ELIGIBLE_ACTION_TYPES=["foundation_event_ban", "conduct_warning"])
    def test_eligible_is_refused_for_an_action_type_the_committee_does_not_review(self) -> None:
        with unchanged(), pytest.raises(AppealRefusal) as refused:
            do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=True)
        assert "The committee reviews only the office actions configured for it" in refused.value.message
        assert refused.value.details == {"field": "eligible"}
        self.assert_undecided(self.appeal)


class UnreviewableActionTests(AppealTestCase):
    def test_a_page_deletion_is_not_for_the_committee(self) -> None:
        assert ActionType.PAGE_DELETION not in settings.CRC_ELIGIBLE_ACTION_TYPES
        case = do_create_case(
            acting_user=None, title="Doxxing page", kind=CaseKind.OFFICE_ACTION,
            parties=[PartyData(role=PartyRole.SUBJECT, wiki_username="Page Author", email="author@example.net")],
        )  # fmt: skip
        action = OfficeAction.objects.create(case=case, action_type=ActionType.PAGE_DELETION, target="Doxxing page",
                                             decided_by=self.director)  # fmt: skip
        with self.captureOnCommitCallbacks(execute=True):
            [execution] = do_carry_out(office_action=action, acting_user=self.manager)
            do_confirm_by_hand(execution=execution, acting_user=self.manager, note="Deleted by hand.")
        appeal = do_register_appeal(
            case=self.email_appeal_case("author@example.net"), acting_user=self.specialist,
            original_reference=case.reference, appellant="author@example.net", grounds="The page was fine.",
        )  # fmt: skip
        do_transition(case=appeal.case, transition="acknowledge", acting_user=self.specialist)
        with unchanged(), pytest.raises(AppealRefusal, match="reviews only the office actions configured"):
            do_decide_eligibility(appeal=appeal, acting_user=self.legal, eligible=True)
        do_decide_eligibility(appeal=appeal, acting_user=self.legal, eligible=False, reason=IneligibleReason.LEGAL)
        appeal.refresh_from_db()
        assert (appeal.eligible, appeal.ineligible_reason) == (False, IneligibleReason.LEGAL)


class MemberReachTests(AppealTestCase):
    def test_a_member_never_reaches_the_live_case_nor_the_staff_preview(self) -> None:
        """The console sends a committee member to their panels (console.views.staff_required)
        whatever the reference, existing or not, so nothing can be probed; the staff preview of
        the case file is a 404."""
        appeal = self.in_deliberation(banned_case(SUBJECT, self.director))
        assert appeal.case.state == DELIBERATION
        seat = appeal.seats.select_related("member__user").first()
        assert seat is not None
        console_pages = [
            f"/cases/{appeal.case.reference}/",
            f"/cases/{appeal.original_case.reference}/",
            f"/cases/{appeal.case.pk}/",
            "/cases/SD-1999-999999/",
        ]
        previews = [
            f"/appeals/cases/{appeal.case.reference}/case-file/",
            f"/appeals/cases/{appeal.original_case.reference}/case-file/",
            "/appeals/cases/SD-1999-999999/case-file/",
        ]
        force_login_verified(self.client, self.specialist)
        assert [self.client.get(url).status_code for url in console_pages] == [200, 200, 200, 404]
        assert [self.client.get(url).status_code for url in previews] == [200, 404, 404]
        for member in (seat.member.user, self.crc):
            force_login_verified(self.client, member)
            for url in console_pages:
                response = self.client.get(url)
                assert (response.status_code, response.headers.get("Location")) == (302, "/crc/"), url
            assert [self.client.get(url).status_code for url in previews] == [404] * len(previews)
        force_login_verified(self.client, seat.member.user)
        assert self.client.get(f"/crc/seats/{seat.pk}/").status_code == 200  # their own file, and only that
