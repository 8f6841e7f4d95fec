"""Issue 6, done when: a global ban carried out on the real two-wiki farm is appealed through
the link in its notice, found eligible by legal counsel, decided "overturned" by a panel of
three (one member recuses and is replaced), and the lifting that follows passes the ban's
review chain and unblocks the account on both wikis; the public ban list forgets the name and
the public tally counts the case."""

import secrets
from email.header import decode_header, make_header

import pytest
from django.test import override_settings

from safetydesk.accounts.roles import Role
from safetydesk.appeals.models import Appeal, Outcome, PanelSeat, SeatStatus
from safetydesk.appeals.tests.factory import REPORTER, SUBJECT_EMAIL, add_evidence, banned_case, carry_out, committee
from safetydesk.appeals.workflows import CLOSED_OVERTURNED, DELIBERATION
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import do_transition
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionStatus
from safetydesk.lib.testing import PersonaTestCase, force_login_verified, make_staff, smtp_sink
from safetydesk.reviews.actions import do_decide
from safetydesk.reviews.tests.chain import concur_at_every_stage
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.tests.farm import create_user_everywhere, register


@override_settings(CRC_PANEL_SIZE=3)
@pytest.mark.usefixtures("farm")
class OverturnedBanTests(PersonaTestCase):
    farm: list[DevWiki]

    def blocks_on(self, wiki: DevWiki, account: str) -> list[dict[str, object]]:
        client = WikiClient(wiki.api_url)
        client.login(wiki.bot_user, wiki.bot_password)
        return client.active_blocks(account)

    def as_member(self, seat: PanelSeat) -> None:
        force_login_verified(self.client, seat.member.user)

    def test_a_ban_overturned_by_the_panel_comes_off_the_wikis_the_list_and_goes_on_the_tally(self) -> None:
        register(self.farm)
        account = create_user_everywhere(self.farm, f"Appellant{secrets.token_hex(3)}")
        ban = banned_case(account, self.director)
        add_evidence(ban.case, self.specialist)
        with smtp_sink() as sink:
            token = carry_out(self, ban, self.manager)
            assert all(self.blocks_on(wiki, account) for wiki in self.farm)
            assert account in self.client.get("/bans/").content.decode()

            # The appeal, by the link in the German notice: no login.
            page = self.client.get(f"/appeal/{token}/")
            assert page.status_code == 200
            with self.captureOnCommitCallbacks(execute=True):
                filed = self.client.post(f"/appeal/{token}/", {"grounds": "Das Konto wurde kompromittiert."})
            assert filed.status_code == 200, filed.content.decode()
            appeal = Appeal.objects.get(original_case=ban.case)
            assert appeal.case.reference in filed.content.decode()
            assert self.client.get(f"/appeal/{token}/").status_code == 410  # the link worked once

            # Staff acknowledge; legal counsel finds it eligible from the case page.
            do_transition(case=appeal.case, transition="acknowledge", acting_user=self.specialist)
            force_login_verified(self.client, self.legal)
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(f"/appeals/cases/{appeal.case.reference}/eligibility/", {"eligible": "yes"})
            appeal.refresh_from_db()
            assert appeal.eligible is True

            # The file is prepared, and four members are available for a panel of three.
            members = committee(4)
            force_login_verified(self.client, self.specialist)
            self.client.post(f"/appeals/cases/{appeal.case.reference}/case-file/prepare/", {"summary": "Ban of 2026."})
            with self.captureOnCommitCallbacks(execute=True):
                self.client.post(f"/appeals/cases/{appeal.case.reference}/panel/")
            appeal.case.refresh_from_db()
            assert appeal.case.state == DELIBERATION
            seats = list(appeal.seats.all())
            assert len(seats) == 3

            # One member declares a conflict and is replaced by the fourth.
            recusing = seats[0]
            self.as_member(recusing)
            assert self.client.get(f"/crc/seats/{recusing.pk}/").status_code == 200
            self.client.post(f"/crc/seats/{recusing.pk}/conflict/", {"reason": "I mentored the reporter."})
            recusing.refresh_from_db()
            assert recusing.status == SeatStatus.RECUSED
            assert self.client.get(f"/crc/seats/{recusing.pk}/").status_code == 404  # no longer theirs
            seated = list(appeal.seats.filter(status=SeatStatus.SEATED))
            assert len(seated) == 3
            assert {s.member for s in appeal.seats.all()} == set(members)

            # Each member reads the file and votes to overturn, with reasons.
            for seat in seated:
                self.as_member(seat)
                file = self.client.get(f"/crc/seats/{seat.pk}/").content.decode()
                assert "Das Konto wurde kompromittiert." in file
                assert REPORTER not in file
                with self.captureOnCommitCallbacks(execute=True):
                    vote = {"vote": "overturned", "note": f"{seat.member}: the evidence was misread."}
                    self.client.post(f"/crc/seats/{seat.pk}/vote/", vote)
            appeal.refresh_from_db()
            appeal.case.refresh_from_db()
            assert (appeal.outcome, appeal.case.state) == (Outcome.OVERTURNED, CLOSED_OVERTURNED)
            subjects = [str(make_header(decode_header(m["Subject"]))) for m in sink.to(SUBJECT_EMAIL)]
            assert f"[{appeal.case.reference}] Das Ergebnis Ihres Einspruchs: Aufgehoben" in subjects

        # The lifting passes the ban's review chain, then the wikis are unblocked.
        force_login_verified(self.client, self.specialist)
        self.client.post(f"/appeals/cases/{appeal.case.reference}/lifting/")
        appeal.refresh_from_db()
        assert appeal.lifting is not None
        concur_at_every_stage(appeal.lifting)
        [lifting] = do_decide(recommendation=appeal.lifting, acting_user=make_staff("max", Role.MANAGER))
        with smtp_sink(), self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=lifting, acting_user=self.manager)
        ban.refresh_from_db()
        assert ban.status == ActionStatus.LIFTED
        for wiki in self.farm:
            assert self.blocks_on(wiki, account) == []
        assert account not in self.client.get("/bans/").content.decode()
        tally = self.client.get("/crc/tally.json").json()
        assert tally["periods"][0]["reviewed"] == 1
        assert tally["periods"][0]["overturned"] == 100.0
        assert AuditEvent.objects.filter(event_type=AuditEventType.APPEAL_CASE_FILE_VIEWED).count() >= 4
