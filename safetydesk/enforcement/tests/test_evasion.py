"""Ban evasion (DOMAIN §7.3) on the real two-wiki farm: an account reported as the banned
person's is blocked on every wiki under the ban once a manager signs off, with the office reason
and no new review cycle; the reporter never signs off their own report."""

import secrets

import pytest
from django.test import override_settings
from django.urls import reverse

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.enforcement.actions import EnforcementNotPermitted, EnforcementRefusal
from safetydesk.enforcement.evasion import do_decide_evasion, do_report_evasion
from safetydesk.enforcement.models import ActionStatus, ActionType, Evasion, EvasionStatus, OfficeAction
from safetydesk.enforcement.tests.farm_ban import BannedOnTheFarm
from safetydesk.lib.testing import force_login_verified, grant_sudo
from safetydesk.reviews.models import Recommendation
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.tests.farm import create_user_everywhere

REASON = "Office action: [[m:Office actions|Office actions policy]]"


@override_settings(OFFICE_ACTION_REASON=REASON)
@pytest.mark.usefixtures("farm")
class EvasionTests(BannedOnTheFarm):

    def setUp(self) -> None:
        super().setUp()
        self.banned = self.account
        self.sock = create_user_everywhere(self.farm, f"Sock{secrets.token_hex(3)}")

    def office_blocks(self, wiki: DevWiki, account: str) -> list[dict[str, object]]:
        client = WikiClient(wiki.api_url)
        client.login(wiki.bot_user, wiki.bot_password)
        return [e for e in client.log_events("block", title=f"User:{account}") if e["user"] == "TSOffice"]

    def report(self, account: str = "") -> Evasion:
        return do_report_evasion(
            acting_user=self.specialist, ban=self.ban, account=account or self.sock,
            evidence="Same edits to the same three articles within an hour of the ban; CU on the case confirms.",
        )  # fmt: skip

    def test_a_manager_signs_off_and_the_sock_is_blocked_on_every_wiki_once(self) -> None:
        evasion = self.report()
        with self.captureOnCommitCallbacks(execute=True):
            do_decide_evasion(acting_user=self.manager, evasion=evasion, lock=True)

        evasion.refresh_from_db()
        assert evasion.status == EvasionStatus.LOCKED
        lock = evasion.lock
        assert lock is not None
        assert (lock.action_type, lock.target) == (ActionType.GLOBAL_LOCK, self.sock)
        assert lock.status == ActionStatus.ENFORCED
        for wiki in self.farm:
            [entry] = self.office_blocks(wiki, self.sock)
            assert entry["comment"] == REASON
        assert not Recommendation.objects.exists()  # no new review cycle
        assert AuditEvent.objects.filter(event_type=AuditEventType.EVASION_DECIDED).count() == 1

    def test_the_sign_off_is_a_managers_and_never_the_reporters(self) -> None:
        evasion = do_report_evasion(
            acting_user=self.manager, ban=self.ban, account=self.sock, evidence="Behavioural match, see diffs."
        )
        with pytest.raises(EnforcementNotPermitted, match="manager"):
            do_decide_evasion(acting_user=self.specialist, evasion=evasion, lock=True)
        with pytest.raises(EnforcementRefusal, match="Someone other than"):
            do_decide_evasion(acting_user=self.manager, evasion=evasion, lock=True)
        with pytest.raises(EnforcementRefusal, match="why the report is dismissed"):
            do_decide_evasion(acting_user=self.director, evasion=evasion, lock=False, note=" ")
        do_decide_evasion(acting_user=self.director, evasion=evasion, lock=False, note="Another person: CU unlikely")
        evasion.refresh_from_db()
        assert (evasion.status, evasion.lock) == (EvasionStatus.DISMISSED, None)
        assert all(self.office_blocks(wiki, self.sock) == [] for wiki in self.farm)

    def test_bad_reports_are_refused_and_change_nothing(self) -> None:
        with pytest.raises(EnforcementRefusal, match="banned account itself"):
            self.report(self.banned.lower())
        with pytest.raises(EnforcementRefusal, match="how it was verified"):
            do_report_evasion(acting_user=self.specialist, ban=self.ban, account=self.sock, evidence=" ")
        self.report()
        with pytest.raises(EnforcementRefusal, match="already reported"):
            self.report(self.sock.replace("_", " "))
        warning = OfficeAction.objects.create(
            case=self.case, action_type=ActionType.CONDUCT_WARNING, target=self.banned, decided_by=self.director
        )
        with pytest.raises(EnforcementRefusal, match="global ban in force"):
            do_report_evasion(acting_user=self.specialist, ban=warning, account="Other", evidence="x")
        assert Evasion.objects.count() == 1

    def test_through_the_panel_locking_needs_a_fresh_re_authentication(self) -> None:
        force_login_verified(self.client, self.specialist)
        page = self.client.post(
            reverse("reviews:report_evasion", args=[self.case.reference, self.ban.pk]),
            {"account": self.sock, "evidence": "Same signature, same articles."}, follow=True,
        ).content.decode()  # fmt: skip
        assert "Reported; a manager signs off the lock." in page
        evasion = Evasion.objects.get()

        self.client.logout()
        force_login_verified(self.client, self.manager)
        case_page = self.client.get(reverse("console:case", args=[self.case.reference])).content.decode()
        assert "Lock the account under the ban" in case_page
        url = reverse("reviews:decide_evasion", args=[self.case.reference, evasion.pk])
        response = self.client.post(url, {"decision": "lock"})
        assert response["Location"].startswith(reverse("accounts:sudo"))
        evasion.refresh_from_db()
        assert evasion.status == EvasionStatus.REPORTED
        grant_sudo(self.client)
        with self.captureOnCommitCallbacks(execute=True):
            page = self.client.post(url, {"decision": "lock"}, follow=True).content.decode()
        assert "The account is being locked under the ban." in page
        assert len(self.office_blocks(self.farm[0], self.sock)) == 1
