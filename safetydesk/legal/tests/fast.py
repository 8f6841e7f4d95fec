"""What the fast DMCA tests share (no wiki farm): a notice mailed to the legal address and taken
through intake, recorded, reviewed and decided with the real functions, on a URL of a
configured wiki host that no registered wiki serves, so each takedown is carried out by hand.

Every test runs with its mail going to an SMTP sink (self.sink); the letters' PDFs are not
rendered (Chromium is slow) unless the class sets `render_pdfs = True`."""

from typing import Any
from unittest import mock

from django.test import TestCase

from safetydesk.audit.models import AuditEvent
from safetydesk.cases.actions import do_transition
from safetydesk.cases.models import Case, CaseEvent
from safetydesk.enforcement.actions import do_confirm_by_hand
from safetydesk.enforcement.models import ActionExecution, ExecutionStatus, OfficeAction
from safetydesk.intake.tests.helpers import IntakeMixin
from safetydesk.legal import dmca
from safetydesk.legal.models import CounterElement, CounterNotice, DmcaNotice, Letter, NoticeElement
from safetydesk.legal.presenters import CASE_EVENT_LEGAL
from safetydesk.legal.tests.factory import all_present, mailed_notice
from safetydesk.lib.testing import Personas, SmtpSink, smtp_sink
from safetydesk.notify.models import Notice

URL = "https://commons.wikimedia.org/wiki/File:Harbour.jpg"
OTHER_URL = "https://commons.wikimedia.org/wiki/File:Harbour_at_night.jpg"
CLAIMANT_NAME = "Hana Holder"
CLAIMANT_ORGANISATION = "Harbour Pictures Ltd"
CLAIMANT_EMAIL = "hana@harbourpictures.example"
CLAIMANT_ADDRESS = "1 Quay Street, Portsmouth"
CLAIMANT_PHONE = "+44 20 7946 0000"
UPLOADER = "Harbour fan"
UPLOADER_EMAIL = "uploader@example.net"
# The audit types the legal app writes (1800s).
LEGAL_AUDIT_TYPES = range(1800, 1900)


class DmcaTestCase(IntakeMixin, Personas, TestCase):
    render_pdfs = False
    sink: SmtpSink

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.make_personas()

    def setUp(self) -> None:
        super().setUp()
        self.sink = self.enterContext(smtp_sink())
        if not self.render_pdfs:
            self.enterContext(mock.patch("safetydesk.legal.letters._render_later"))
        self.mailed = 0

    # --- the steps ---------------------------------------------------------------------------

    def new_case(self, url: str = URL) -> Case:
        """A notice mailed to the legal address, acknowledged: VALIDITY_CHECK."""
        self.mailed += 1
        case = mailed_notice(self, url, n=self.mailed)
        do_transition(case=case, transition="acknowledge", acting_user=self.legal)
        case.refresh_from_db()
        assert case.state == "VALIDITY_CHECK", case.state
        return case

    def record(self, case: Case, **given: Any) -> DmcaNotice:
        values: dict[str, Any] = {
            "acting_user": self.legal, "claimant_name": CLAIMANT_NAME, "claimant_organisation": CLAIMANT_ORGANISATION,
            "claimant_contact": f"{CLAIMANT_ADDRESS}\n{CLAIMANT_PHONE}", "claimant_email": CLAIMANT_EMAIL,
            "claimant_country": "GB", "work": "Photograph “Harbour at dusk”",
            "original_urls": ["https://harbourpictures.example/dusk"], "infringing_urls": [URL],
            "elements": all_present(NoticeElement),
        }  # fmt: skip
        values.update(given)
        with self.captureOnCommitCallbacks(execute=True):
            return dmca.do_record_notice(case=case, **values)

    def to_legal_review(self, notice: DmcaNotice) -> DmcaNotice:
        do_transition(case=notice.case, transition="team_review", acting_user=self.director,
                      data={"team_note": "Exact URLs, all six elements."})  # fmt: skip
        notice.case.refresh_from_db()
        assert notice.case.state == "LEGAL_REVIEW", notice.case.state
        return notice

    def grant(self, notice: DmcaNotice, *, confirm: bool = True) -> list[OfficeAction]:
        """Granted by legal counsel; each by-hand takedown confirmed done (unless confirm=False)."""
        with self.captureOnCommitCallbacks(execute=True):
            actions = dmca.do_grant(notice=notice, acting_user=self.legal)
        if confirm:
            for execution in ActionExecution.objects.filter(office_action__in=actions,
                                                            status=ExecutionStatus.AWAITING_STAFF):  # fmt: skip
                do_confirm_by_hand(execution=execution, acting_user=self.legal, note="deleted by hand")
        for action in actions:
            action.refresh_from_db()
        return actions

    def granted_notice(self, url: str = URL, **given: Any) -> DmcaNotice:
        """A notice recorded complete, reviewed and granted: TAKEN_DOWN."""
        case = self.new_case(url)
        given.setdefault("infringing_urls", [url])
        notice = self.to_legal_review(self.record(case, **given))
        self.grant(notice)
        notice = DmcaNotice.objects.get(pk=notice.pk)
        assert notice.case.state == "TAKEN_DOWN", notice.case.state
        return notice

    def counter(self, notice: DmcaNotice, **given: Any) -> CounterNotice:
        values: dict[str, Any] = {"acting_user": self.legal, "sender": "The uploader", "sender_email": UPLOADER_EMAIL,
                                  "elements": all_present(CounterElement)}  # fmt: skip
        values.update(given)
        with self.captureOnCommitCallbacks(execute=True):
            return dmca.do_record_counter_notice(notice=notice, **values)

    # --- what there is -----------------------------------------------------------------------

    def state(self, case: Case) -> str:
        case.refresh_from_db()
        return case.state

    def notices(self, case: Case, key: str) -> list[Notice]:
        return list(Notice.objects.filter(case=case, key=key))

    def legal_rows(self, case: Case, record: str) -> list[CaseEvent]:
        return [e for e in CaseEvent.objects.filter(case=case, kind=CASE_EVENT_LEGAL) if e.data.get("record") == record]

    def footprint(self, case: Case) -> dict[str, Any]:
        """Everything a DMCA step may change on a case, to show that a refusal changed nothing."""
        case.refresh_from_db()
        notice = DmcaNotice.objects.filter(case=case).first()
        return {
            "state": case.state,
            "version": case.version,
            "notice": None if notice is None else (notice.complete, notice.granted_at, notice.rejected_at,
                                                   notice.merits_reason, notice.awaiting_claimant_until),
            "counter_notices": CounterNotice.objects.filter(notice__case=case).count(),
            "office_actions": OfficeAction.objects.filter(case=case).count(),
            "notices": Notice.objects.filter(case=case).count(),
            "letters": Letter.objects.filter(case=case).count(),
            "events": CaseEvent.objects.filter(case=case).count(),
            "audit": AuditEvent.objects.filter(event_type__in=LEGAL_AUDIT_TYPES).count(),
        }  # fmt: skip
