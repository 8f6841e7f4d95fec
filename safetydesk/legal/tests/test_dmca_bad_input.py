"""DMCA notices and counter-notices that are wrong, incomplete or decided by the wrong person:
each refusal says what is wrong and changes nothing; a deficient notice waits 30 days for the
claimant, then closes; the letters are kept on the case as PDFs only staff may fetch."""

import datetime as dt

import pytest
import time_machine

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.models import Case
from safetydesk.enforcement.models import OfficeAction
from safetydesk.legal import dmca
from safetydesk.legal.models import CounterElement, CounterNotice, DmcaNotice, Letter, MeritsReason, NoticeElement
from safetydesk.legal.tests.factory import all_present
from safetydesk.legal.tests.fast import CLAIMANT_EMAIL, OTHER_URL, URL, DmcaTestCase
from safetydesk.legal.urls_named import UrlRefused
from safetydesk.lib.testing import force_login_verified

SEARCHES = (
    "https://www.google.com/search?q=x",
    "https://commons.wikimedia.org/w/index.php?search=x",
    "https://commons.wikimedia.org/wiki/Special:Search?search=harbour",
    "https://en.wikipedia.org/wiki/Special:Search/Harbour",
    "https://commons.wikimedia.org/w/index.php?title=Special:MediaSearch&type=image",
)
ELSEWHERE = "https://example.com/photo.jpg"
RECEIVED = dt.datetime(2026, 12, 9, 10, 0, tzinfo=dt.UTC)


class SearchesAndOtherSitesTests(DmcaTestCase):
    def test_a_search_instead_of_a_page_is_refused_and_nothing_is_recorded(self) -> None:
        case = self.new_case()
        before = self.footprint(case)
        for search in SEARCHES:
            with self.subTest(search), pytest.raises(UrlRefused) as refused:
                self.record(case, infringing_urls=[search])
            assert "is a search" in refused.value.message
            assert search in refused.value.message
            assert refused.value.details == {"url": search}
        # One search among exact URLs refuses the whole notice, too.
        with pytest.raises(UrlRefused, match="is a search"):
            self.record(case, infringing_urls=[URL, SEARCHES[0]])
        assert self.footprint(case) == before
        assert not DmcaNotice.objects.filter(case=case).exists()
        assert not AuditEvent.objects.filter(event_type=AuditEventType.DMCA_NOTICE_RECORDED).exists()

    def test_another_site_is_recorded_not_hosted_cannot_be_granted_and_is_rejected_as_not_a_wikimedia_site(
        self,
    ) -> None:
        case = self.new_case(ELSEWHERE)
        notice = self.record(case, infringing_urls=[ELSEWHERE])
        assert notice.complete is True
        assert notice.infringing == [{"url": ELSEWHERE, "wiki": "", "title": "", "hosted": False}]
        self.to_legal_review(notice)

        before = self.footprint(case)
        with pytest.raises(dmca.LegalRefusal) as refused:
            dmca.do_grant(notice=notice, acting_user=self.legal)
        assert "not a Wikimedia site" in refused.value.message
        assert self.footprint(case) == before
        assert not OfficeAction.objects.filter(case=case).exists()

        with self.captureOnCommitCallbacks(execute=True):
            dmca.do_reject(notice=notice, acting_user=self.legal, reason=MeritsReason.NOT_WMF_SITE,
                           note="example.com is not ours")  # fmt: skip
        assert self.state(case) == "CLOSED_NOT_GRANTED"
        notice.refresh_from_db()
        assert notice.merits_reason == MeritsReason.NOT_WMF_SITE
        assert notice.rejected_at is not None
        assert notice.granted_at is None
        assert notice.decided_by == self.legal
        assert notice.archived_at is None  # a rejected notice is not published
        [rejection] = self.notices(case, "dmca_rejection")
        assert rejection.recipient == CLAIMANT_EMAIL
        assert "Not a Wikimedia site" in rejection.body
        assert ELSEWHERE in rejection.body
        assert Letter.objects.filter(case=case, notice=rejection).exists()
        assert len(self.sink.to(CLAIMANT_EMAIL)) == 2  # the acknowledgement, then the rejection
        assert not OfficeAction.objects.filter(case=case).exists()

    def test_a_rejection_needs_a_known_reason(self) -> None:
        notice = self.to_legal_review(self.record(self.new_case()))
        before = self.footprint(notice.case)
        with pytest.raises(dmca.LegalRefusal, match="reason"):
            dmca.do_reject(notice=notice, acting_user=self.legal, reason="because")
        assert self.footprint(notice.case) == before


class DeficientNoticeTests(DmcaTestCase):
    lacking = (NoticeElement.SIGNATURE, NoticeElement.ACCURACY)

    def deficient(self) -> DmcaNotice:
        with time_machine.travel(RECEIVED, tick=False):
            case = self.new_case()
            return self.record(case, elements=all_present(NoticeElement, but=self.lacking))

    def test_a_deficient_notice_gets_a_letter_naming_what_is_missing_and_waits_30_days(self) -> None:
        notice = self.deficient()
        assert notice.complete is False
        assert self.state(notice.case) == "AWAITING_CLAIMANT"
        assert notice.deficiency_letter_sent_at == RECEIVED
        assert notice.awaiting_claimant_until == RECEIVED + dt.timedelta(days=30)
        [letter] = self.notices(notice.case, "dmca_deficiency")
        assert letter.recipient == CLAIMANT_EMAIL
        assert "Signature of the owner or an authorised agent" in letter.body
        assert "Statement of accuracy and authority, under penalty of perjury" in letter.body
        assert "Identification of the copyrighted work" not in letter.body  # present, so not asked for
        assert notice.case.reference in letter.subject
        [deficient] = self.legal_rows(notice.case, "deficient")
        assert deficient.data["missing"] == ["signature", "accuracy"]
        audit = AuditEvent.objects.get(event_type=AuditEventType.DMCA_NOTICE_RECORDED)
        assert audit.data["missing"] == ["signature", "accuracy"]
        assert len(self.sink.to(CLAIMANT_EMAIL)) == 2  # the acknowledgement, then the deficiency letter

    def test_the_claimants_answer_completes_the_notice_for_the_merits_review(self) -> None:
        notice = self.deficient()
        # An answer that still lacks something: still waiting, no second letter, same deadline.
        with time_machine.travel(RECEIVED + dt.timedelta(days=3), tick=False):
            notice = self.record(notice.case, elements=all_present(NoticeElement, but=(NoticeElement.ACCURACY,)))
        assert self.state(notice.case) == "AWAITING_CLAIMANT"
        assert notice.awaiting_claimant_until == RECEIVED + dt.timedelta(days=30)
        assert len(self.notices(notice.case, "dmca_deficiency")) == 1

        with time_machine.travel(RECEIVED + dt.timedelta(days=10), tick=False):
            notice = self.record(notice.case, elements=all_present(NoticeElement))
        assert notice.complete is True
        assert notice.awaiting_claimant_until is None
        assert self.state(notice.case) == "MERITS_REVIEW"
        assert len(self.notices(notice.case, "dmca_deficiency")) == 1
        assert DmcaNotice.objects.filter(case=notice.case).count() == 1  # completed, not a second notice
        with time_machine.travel(RECEIVED + dt.timedelta(days=31), tick=False):
            assert dmca.close_unanswered() == []
        assert self.state(notice.case) == "MERITS_REVIEW"

    def test_without_an_answer_the_notice_is_closed_after_30_days_and_not_before(self) -> None:
        notice = self.deficient()
        with time_machine.travel(RECEIVED + dt.timedelta(days=30) - dt.timedelta(minutes=1), tick=False):
            assert dmca.close_unanswered() == []
        assert self.state(notice.case) == "AWAITING_CLAIMANT"
        with time_machine.travel(RECEIVED + dt.timedelta(days=30), tick=False):
            assert dmca.close_unanswered() == [notice.pk]
        assert self.state(notice.case) == "CLOSED_INCOMPLETE"
        assert len(self.legal_rows(notice.case, "closed_incomplete")) == 1
        with time_machine.travel(RECEIVED + dt.timedelta(days=31), tick=False):
            assert dmca.close_unanswered() == []  # once
        # Closed: the claimant's late answer is not taken on this case.
        before = self.footprint(notice.case)
        with pytest.raises(dmca.LegalRefusal):
            self.record(notice.case, elements=all_present(NoticeElement))
        assert self.footprint(notice.case) == before


class CounterNoticeRefusalTests(DmcaTestCase):
    def test_a_counter_notice_without_consent_to_jurisdiction_is_refused_naming_it(self) -> None:
        notice = self.granted_notice()
        before = self.footprint(notice.case)
        with pytest.raises(dmca.LegalRefusal) as refused:
            self.counter(notice, elements=all_present(CounterElement, but=(CounterElement.JURISDICTION,)))
        assert "Consent to the jurisdiction of the federal district court" in refused.value.message
        assert refused.value.details == {"missing": ["jurisdiction"]}
        assert self.footprint(notice.case) == before
        assert not CounterNotice.objects.exists()
        assert self.state(notice.case) == "TAKEN_DOWN"
        assert self.notices(notice.case, "dmca_counter_forward") == []

    def test_a_counter_notice_on_a_notice_never_granted_is_refused(self) -> None:
        notice = self.record(self.new_case())
        assert self.state(notice.case) == "MERITS_REVIEW"
        before = self.footprint(notice.case)
        with pytest.raises(dmca.LegalRefusal, match="Nothing was taken down"):
            self.counter(notice)
        assert self.footprint(notice.case) == before
        assert not CounterNotice.objects.exists()


class OnlyLegalCounselDecidesTests(DmcaTestCase):
    def test_a_specialist_or_director_can_neither_grant_nor_reject(self) -> None:
        notice = self.to_legal_review(self.record(self.new_case(), infringing_urls=[URL, OTHER_URL]))
        before = self.footprint(notice.case)
        for user in (self.specialist, self.director, self.manager):
            with self.subTest(user.username):
                with pytest.raises(dmca.LegalNotPermitted, match="Legal counsel decides this"):
                    dmca.do_grant(notice=notice, acting_user=user)
                with pytest.raises(dmca.LegalNotPermitted, match="Legal counsel decides this"):
                    dmca.do_reject(notice=notice, acting_user=user, reason=MeritsReason.FAIR_USE)
        assert self.footprint(notice.case) == before
        assert self.state(notice.case) == "LEGAL_REVIEW"
        assert not OfficeAction.objects.filter(case=notice.case).exists()

    def test_only_legal_counsel_records_a_lawsuit(self) -> None:
        counter = self.counter(self.granted_notice())
        before = self.footprint(counter.notice.case)
        with pytest.raises(dmca.LegalNotPermitted):
            dmca.do_report_lawsuit(counter=counter, acting_user=self.director)
        assert self.footprint(counter.notice.case) == before
        assert self.state(counter.notice.case) == "RESTORE_WINDOW"


class LetterPdfTests(DmcaTestCase):
    render_pdfs = True

    def test_the_deficiency_letter_is_kept_as_a_pdf_that_only_staff_on_the_case_can_fetch(self) -> None:
        case = self.new_case()
        self.record(case, elements=all_present(NoticeElement, but=(NoticeElement.GOOD_FAITH,)))
        [letter] = Letter.objects.filter(case=case)
        assert letter.notice.key == "dmca_deficiency"
        assert letter.pdf is not None
        pdf = bytes(letter.pdf)
        assert pdf.startswith(b"%PDF")
        assert len(letter.pdf_sha256) == 64
        url = f"/legal/cases/{case.reference}/letters/{letter.pk}.pdf"

        force_login_verified(self.client, self.legal)
        response = self.client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content == pdf
        assert f"{case.reference}-dmca_deficiency-{letter.pk}.pdf" in response["Content-Disposition"]
        # Not through another case's address.
        other: Case = self.new_case(OTHER_URL)
        assert self.client.get(f"/legal/cases/{other.reference}/letters/{letter.pk}.pdf").status_code == 404

        for stranger, status in ((self.outsider, 403), (self.crc, 404)):
            with self.subTest(stranger.username):
                force_login_verified(self.client, stranger)
                response = self.client.get(url)
                assert response.status_code == status
                assert b"%PDF" not in response.content
        self.client.logout()
        response = self.client.get(url)
        assert response.status_code == 302  # to the login page
        assert b"%PDF" not in response.content
