"""Requests for user data (DOMAIN §11.3): logged, reviewed by legal counsel, pushed back or
found valid; the user told before anything is produced (10 days, or fewer before a court's
return date); a gag order defers the notice, and its lapse brings a reminder; emergency
requests skip the notice. Refusals change nothing."""

import datetime as dt
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.test import override_settings

from safetydesk.cases.actions import PartyData, do_create_case, do_transition
from safetydesk.cases.models import Case, CaseKind, Confidentiality, PartyRole
from safetydesk.legal import user_data
from safetydesk.legal.dmca import LegalNotPermitted, LegalRefusal
from safetydesk.legal.models import RequestType, Sufficiency, UserDataRequest
from safetydesk.lib.testing import PersonaTestCase, smtp_sink
from safetydesk.notify.models import Notice

MANIFEST = "a" * 64
NOW = dt.datetime(2027, 3, 1, 15, 0, tzinfo=dt.UTC)


@override_settings(USER_DATA_OBJECTION_DAYS=10, USER_DATA_RETURN_BUFFER_DAYS=2)
def no_pdf(letter_id: int) -> None:
    """Letters' PDFs (Chromium) are not what these tests are about."""


@mock.patch("safetydesk.legal.letters._render_later", new=no_pdf)
class UserDataRequestTests(PersonaTestCase):
    def setUp(self) -> None:
        self.travel = time_machine.travel(NOW, tick=False)
        self.travel.start()
        self.addCleanup(self.travel.stop)
        self.case = do_create_case(
            acting_user=None, title="Subpoena for account data", kind=CaseKind.LEGAL_REQUEST,
            confidentiality=Confidentiality.LEGAL_PRIVILEGED,
            parties=[PartyData(role=PartyRole.SUBJECT, wiki_username="Named Editor", email="editor@example.net",
                               language="fr")],
        )  # fmt: skip
        do_transition(case=self.case, transition="acknowledge", acting_user=self.legal)

    def log(self, **changes: Any) -> UserDataRequest:
        values: dict[str, Any] = {
            "request_type": RequestType.CIVIL_SUBPOENA, "requester_name": "Pat Plaintiff",
            "requester_email": "counsel@lawfirm.example", "accounts_named": ["Named Editor"],
            "data_elements": ["ip", "email"], "court": "N.D. Cal.", "docket": "3:27-cv-00042",
        }  # fmt: skip
        values.update(changes)
        return user_data.do_log_request(case=self.case, acting_user=self.legal, **values)

    def state(self) -> str:
        return Case.objects.get(pk=self.case.pk).state

    def notices(self, key: str) -> list[Notice]:
        return list(Notice.objects.filter(case=self.case, key=key))

    def test_an_overbroad_request_gets_a_pushback_letter_and_may_come_back_narrowed(self) -> None:
        request = self.log()
        with smtp_sink(), self.captureOnCommitCallbacks(execute=True):
            user_data.do_review_sufficiency(request=request, acting_user=self.legal, outcome=Sufficiency.OVERBROAD,
                                            note="Seeks every edit ever made; name the dates and pages.")  # fmt: skip
        assert self.state() == "PUSHBACK_SENT"
        [letter] = self.notices("legal_pushback")
        assert "Overbroad" in letter.body
        assert "name the dates and pages" in letter.body
        assert self.case.letters.count() == 1
        user_data.do_narrowed(request=request, acting_user=self.legal, data_elements=["ip"],
                              accounts_named=["Named Editor"])  # fmt: skip
        assert self.state() == "SUFFICIENCY_REVIEW"

    def test_a_valid_request_is_produced_only_after_the_users_objection_window(self) -> None:
        request = self.log(return_date=dt.date(2027, 3, 20))
        user_data.do_review_sufficiency(request=request, acting_user=self.legal, outcome=Sufficiency.VALID)
        with pytest.raises(LegalRefusal, match="Tell the user first"):
            user_data.do_record_production(request=request, acting_user=self.legal, data_found={"ip": True},
                                           manifest_sha256=MANIFEST, accounts_affected=1)  # fmt: skip
        with smtp_sink(), self.captureOnCommitCallbacks(execute=True):
            request = user_data.do_notify_user(request=request, acting_user=self.legal)
        assert request.objection_until == NOW + dt.timedelta(days=10)  # the return date leaves room
        [notice] = self.notices("legal_user_notice")
        assert notice.language == "fr"
        assert "2027-03-11" in notice.body
        with pytest.raises(LegalRefusal, match="objection window is open until 2027-03-11"):
            user_data.do_record_production(request=request, acting_user=self.legal, data_found={"ip": True},
                                           manifest_sha256=MANIFEST, accounts_affected=1)  # fmt: skip
        with time_machine.travel(NOW + dt.timedelta(days=10, minutes=1), tick=False):
            produced = user_data.do_record_production(request=request, acting_user=self.legal,
                                                      data_found={"ip": True}, manifest_sha256=MANIFEST.upper(),
                                                      accounts_affected=1)  # fmt: skip
        assert self.state() == "CLOSED_PRODUCED"
        assert (produced.data_found, produced.production_manifest_sha256) == ({"ip": True, "email": False}, MANIFEST)
        assert produced.accounts_potentially_affected == 1
        assert produced.accounts_actually_affected == 1
        assert produced.accounts_notified == 1

    def test_a_near_court_return_date_shortens_the_window(self) -> None:
        deadline = user_data.objection_deadline(NOW, dt.date(2027, 3, 6))
        assert deadline == dt.datetime(2027, 3, 4, tzinfo=dt.UTC)

    def test_a_gag_order_defers_the_notice_and_its_lapse_brings_a_reminder(self) -> None:
        request = self.log(nondisclosure=True, nondisclosure_until=dt.date(2027, 6, 30))
        user_data.do_review_sufficiency(request=request, acting_user=self.legal, outcome=Sufficiency.VALID)
        user_data.do_notify_user(request=request, acting_user=self.legal)
        assert self.state() == "NOTICE_DEFERRED"
        assert not self.notices("legal_user_notice")
        user_data.do_record_production(request=request, acting_user=self.legal, data_found={"ip": True},
                                       manifest_sha256=MANIFEST, accounts_affected=1)  # fmt: skip
        assert self.state() == "DEFERRED_NOTICE_DUE"
        with pytest.raises(LegalRefusal, match="still in force until 2027-06-30"):
            user_data.do_send_deferred_notice(request=request, acting_user=self.legal)
        assert user_data.remind_lapsed_orders(dt.date(2027, 6, 30)) == []
        with smtp_sink(), self.captureOnCommitCallbacks(execute=True):
            assert user_data.remind_lapsed_orders(dt.date(2027, 7, 1)) == [request.pk]
        assert user_data.remind_lapsed_orders(dt.date(2027, 7, 2)) == []  # once
        assert len(self.notices("legal_deferred_notice_due")) == 1
        with time_machine.travel(dt.datetime(2027, 7, 1, 9, tzinfo=dt.UTC), tick=False):
            user_data.do_send_deferred_notice(request=request, acting_user=self.legal)
        assert self.state() == "CLOSED_PRODUCED"
        assert len(self.notices("legal_user_notice")) == 1

    def test_a_request_with_an_expired_gag_order_is_refused_and_nothing_is_logged(self) -> None:
        with pytest.raises(LegalRefusal, match="expired on 2027-02-01"):
            self.log(nondisclosure=True, nondisclosure_until=dt.date(2027, 2, 1))
        assert not UserDataRequest.objects.exists()
        assert self.state() == "LOGGED"

    def test_an_emergency_request_is_produced_without_a_notice(self) -> None:
        request = self.log(request_type=RequestType.INFORMAL_GOVERNMENT, emergency=True)
        user_data.do_review_sufficiency(request=request, acting_user=self.legal, outcome=Sufficiency.VALID)
        with pytest.raises(LegalRefusal, match="without a user notice"):
            user_data.do_notify_user(request=request, acting_user=self.legal)
        user_data.do_record_production(request=request, acting_user=self.legal, data_found={"ip": True},
                                       manifest_sha256=MANIFEST, accounts_affected=1)  # fmt: skip
        assert self.state() == "CLOSED_PRODUCED"

    def test_only_legal_counsel_review_and_a_bad_manifest_is_refused(self) -> None:
        request = self.log()
        with pytest.raises(LegalNotPermitted):
            user_data.do_review_sufficiency(request=request, acting_user=self.director, outcome=Sufficiency.VALID)
        user_data.do_review_sufficiency(request=request, acting_user=self.legal, outcome=Sufficiency.VALID)
        with pytest.raises(LegalRefusal, match="SHA-256"):
            user_data.do_record_production(request=request, acting_user=self.legal, data_found={},
                                           manifest_sha256="not-a-hash", accounts_affected=0)  # fmt: skip
        assert self.state() == "VALID"

    def test_a_request_that_names_nobody_is_refused(self) -> None:
        with pytest.raises(LegalRefusal, match="accounts named"):
            self.log(accounts_named=[])
        assert not UserDataRequest.objects.exists()
