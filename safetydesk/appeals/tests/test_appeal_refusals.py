"""Who may appeal, and when (DOMAIN §12.1, §12.4): only a party of the case (the sanctioned person
or the one who asked for the action), within the window after the notice, by a link that works
once, once per decision unless new evidence is brought. Each refusal says so clearly and writes
nothing; the public form speaks the subject's language and needs no JavaScript."""

import datetime as dt
import re
import secrets

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from safetydesk.appeals.actions import AppealRefusal, do_file_appeal, do_register_appeal
from safetydesk.appeals.models import Appeal, AppealLink, AppellantRole
from safetydesk.appeals.tests.factory import REPORTER, REPORTER_EMAIL, SUBJECT_EMAIL, banned_case
from safetydesk.appeals.tests.offline import AppealTestCase, unchanged
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.models import CaseKind, Party, PartyRole
from safetydesk.enforcement.models import OfficeAction
from safetydesk.notify.models import Notice

SUBJECT = "Sanctioned Sam"
GROUNDS = "Mein Konto wurde kompromittiert; ich war es nicht."


def refusals(reason: str) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(event_type=AuditEventType.APPEAL_FILING_REFUSED)
        if e.data.get("reason") == reason
    ]


def last_day(action: OfficeAction) -> dt.datetime:
    assert action.enforced_at is not None
    return action.enforced_at + dt.timedelta(days=settings.APPEAL_WINDOW_DAYS)


class NotAPartyTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        self.carried_out(self.action)
        self.email_case = self.email_appeal_case()

    def register(self, appellant: str) -> Appeal:
        return do_register_appeal(
            case=self.email_case, acting_user=self.specialist, original_reference=self.action.case.reference,
            appellant=appellant, grounds="Please review the ban.",
        )  # fmt: skip

    def test_an_account_not_on_the_case_may_not_appeal(self) -> None:
        with unchanged(), pytest.raises(AppealRefusal, match="only a party may appeal") as refused:
            self.register("Uninvolved Bystander")
        assert self.action.case.reference in refused.value.message
        assert refused.value.details == {"field": "appellant"}
        with unchanged(), pytest.raises(AppealRefusal, match="only a party may appeal"):
            self.register("somebody.else@example.net")
        assert not hasattr(self.email_case, "appeal")

    def test_a_party_of_another_case_may_not_appeal_this_one(self) -> None:
        other = banned_case("Other Subject", self.director)
        assert other.case.parties.filter(role=PartyRole.SUBJECT).exists()
        with unchanged(), pytest.raises(AppealRefusal, match="only a party may appeal"):
            self.register("Other Subject")

    def test_a_witness_is_a_party_but_may_not_appeal(self) -> None:
        Party.objects.create(case=self.action.case, role=PartyRole.WITNESS, wiki_username="Watchful Witness",
                             email="witness@example.net")  # fmt: skip
        for name in ("Watchful_Witness", "witness@example.net"):
            with unchanged(), pytest.raises(AppealRefusal) as refused:
                self.register(name)
            assert refused.value.message == (
                "Only the sanctioned person or the person who asked for the action may appeal it."
            )
            assert refused.value.details == {"field": "appellant"}
        assert Appeal.objects.count() == 0

    def test_the_sanctioned_person_and_the_reporter_may(self) -> None:
        """The control: the same registration with a party's account (as MediaWiki spells it) or
        address goes through, with the party's role."""
        appeal = self.register("sanctioned_Sam")
        assert (appeal.appellant.role, appeal.appellant_role) == (PartyRole.SUBJECT, AppellantRole.SANCTIONED)
        second = self.email_appeal_case(REPORTER_EMAIL)
        by_reporter = do_register_appeal(
            case=second, acting_user=self.specialist, original_reference=self.action.case.reference,
            appellant=REPORTER_EMAIL.upper(), grounds="The ban is too short.",
        )  # fmt: skip
        assert (by_reporter.appellant.wiki_username, by_reporter.appellant_role) == (REPORTER, AppellantRole.REQUESTER)


class WindowTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        self.token = self.carried_out(self.action)

    def test_the_link_expires_with_the_window(self) -> None:
        link = AppealLink.objects.get(office_action=self.action)
        assert link.expires_at == last_day(self.action)
        with time_machine.travel(last_day(self.action) + dt.timedelta(minutes=1), tick=False), unchanged():
            page = self.client.get(f"/appeal/{self.token}/")
            assert page.status_code == 410
            assert "This appeal link has expired: the time to appeal this decision has passed." in page.content.decode()
            posted = self.client.post(f"/appeal/{self.token}/", {"grounds": GROUNDS})
            assert posted.status_code == 410
        assert len(refusals("expired")) == 2
        assert refusals("expired")[0].subject_id == str(link.pk)

    def test_the_link_works_on_the_last_day(self) -> None:
        with time_machine.travel(last_day(self.action) - dt.timedelta(hours=1), tick=False):
            assert self.client.get(f"/appeal/{self.token}/").status_code == 200
            with self.captureOnCommitCallbacks(execute=True):
                filed = self.client.post(f"/appeal/{self.token}/", {"grounds": GROUNDS})
            assert filed.status_code == 200, filed.content.decode()
        assert Appeal.objects.filter(original_case=self.action.case).count() == 1

    def test_an_appeal_by_email_after_the_window_is_refused_with_the_last_day(self) -> None:
        email_case = self.email_appeal_case(SUBJECT_EMAIL)
        end = last_day(self.action)
        with (
            time_machine.travel(end + dt.timedelta(days=1), tick=False),
            unchanged(),
            pytest.raises(AppealRefusal) as refused,
        ):
            do_register_appeal(
                case=email_case, acting_user=self.specialist, original_reference=self.action.case.reference,
                appellant=SUBJECT_EMAIL, grounds="I only just read the notice.",
            )  # fmt: skip
        assert refused.value.message == (
            f"The time to appeal this decision ended on {end.date().isoformat()} "
            f"({settings.APPEAL_WINDOW_DAYS} days after the notice)."
        )
        assert refused.value.details == {"field": "window", "last_day": end.date().isoformat()}

    def test_an_appeal_by_email_inside_the_window_is_registered(self) -> None:
        email_case = self.email_appeal_case(SUBJECT_EMAIL)
        with time_machine.travel(last_day(self.action) - dt.timedelta(hours=1), tick=False):
            appeal = do_register_appeal(
                case=email_case, acting_user=self.specialist, original_reference=self.action.case.reference,
                appellant=SUBJECT_EMAIL, grounds="Just in time.",
            )  # fmt: skip
        assert appeal.notified_at == self.action.enforced_at


class LinkTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        self.token = self.carried_out(self.action)

    def test_a_forged_token_is_refused_and_recorded(self) -> None:
        forged = secrets.token_urlsafe(32)
        with unchanged():
            page = self.client.get(f"/appeal/{forged}/")
            posted = self.client.post(f"/appeal/{forged}/", {"grounds": GROUNDS})
        for response in (page, posted):
            assert response.status_code == 410
            body = response.content.decode()
            assert "This appeal link is not valid." in body
            assert "write to the appeals address" in body
        [first, _second] = refusals("unknown")
        assert (first.subject_type, first.subject_id, first.actor_label) == ("", "", "appeals")
        with unchanged(), pytest.raises(AppealRefusal, match="not valid"):
            do_file_appeal(token=forged, grounds=GROUNDS)

    def test_a_link_cut_short_is_refused(self) -> None:
        with unchanged():
            assert self.client.get(f"/appeal/{self.token[:-1]}/").status_code == 410

    def test_the_link_works_once(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            filed = self.client.post(f"/appeal/{self.token}/", {"grounds": GROUNDS})
        assert filed.status_code == 200
        appeal = Appeal.objects.get(original_case=self.action.case)
        assert appeal.case.reference in filed.content.decode()
        with unchanged():
            again = self.client.get(f"/appeal/{self.token}/")
            twice = self.client.post(f"/appeal/{self.token}/", {"grounds": "And once more."})
        for response in (again, twice):
            assert response.status_code == 410
            assert "This appeal link has already been used." in response.content.decode()
        assert len(refusals("used")) == 2
        with unchanged(), pytest.raises(AppealRefusal, match="already been used"):
            do_file_appeal(token=self.token, grounds="And by the action.")


class SecondAppealTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        self.carried_out(self.action)
        self.first = self.appeal_by_link(self.action)

    def register(self, new_evidence: str) -> Appeal:
        return do_register_appeal(
            case=self.email_appeal_case(SUBJECT_EMAIL), acting_user=self.specialist,
            original_reference=self.action.case.reference, appellant=SUBJECT, grounds="Again, please.",
            new_evidence=new_evidence,
        )  # fmt: skip

    def test_a_second_appeal_without_new_evidence_is_refused(self) -> None:
        for nothing_new in ("", "   \n "):
            before = Appeal.objects.count()
            with pytest.raises(AppealRefusal) as refused:
                self.register(nothing_new)
            assert refused.value.message == (
                "You have already appealed this decision. A second appeal is heard only with new evidence: describe it."
            )
            assert refused.value.details == {"field": "new_evidence"}
            assert Appeal.objects.count() == before == 1

    def test_a_second_appeal_with_new_evidence_is_heard(self) -> None:
        second = self.register("The checkuser result was of a shared school network: https://example.org/school")
        assert second.pk != self.first.pk
        assert second.appellant == self.first.appellant
        assert "shared school network" in second.new_evidence
        assert Appeal.objects.filter(original_case=self.action.case).count() == 2


class PublicFormTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        self.token = self.carried_out(self.action)
        assert self.action.case.parties.get(role=PartyRole.SUBJECT).language == "de"

    def test_the_form_is_a_plain_html_form_in_the_subjects_language(self) -> None:
        browser = Client(enforce_csrf_checks=True)  # a browser without JavaScript: the form as served
        page = browser.get(f"/appeal/{self.token}/")
        assert page.status_code == 200
        body = page.content.decode()
        assert '<html lang="de"' in body
        assert page.headers["Content-Language"] == "de"
        assert "Globale Sperre der Foundation" in body  # the decision, named in German
        assert "<script" not in body
        [form] = re.findall(r'<form method="post"[^>]*class="report-form">.*?</form>', body, re.S)
        assert "action=" not in form.split(">", 1)[0]  # posts back to the same address
        assert re.search(r'<button type="submit"', form)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert csrf
        with self.captureOnCommitCallbacks(execute=True):
            filed = browser.post(f"/appeal/{self.token}/", {
                "csrfmiddlewaretoken": csrf.group(1), "grounds": GROUNDS, "new_evidence": "", "email": "",
            })  # fmt: skip
        assert filed.status_code == 200, filed.content.decode()
        appeal = Appeal.objects.get(original_case=self.action.case)
        assert appeal.grounds == GROUNDS
        assert appeal.case.kind == CaseKind.APPEAL
        assert appeal.case.language == "de"
        [ack] = [n for n in Notice.objects.filter(case=appeal.case, key="ack_appeal") if n.recipient == SUBJECT_EMAIL]
        assert ack.language == "de"
        assert self.sink.to(SUBJECT_EMAIL)  # the acknowledgement went out

    def test_the_forms_own_words_are_in_german(self) -> None:
        body = self.client.get(f"/appeal/{self.token}/").content.decode()
        for english in (
            "Ask the Case Review Committee to review a decision",
            "Why should the decision be reviewed?",
            "Send the appeal",
        ):
            with translation.override("de"):
                german = gettext(english)
            assert german != english
            assert german in body
            assert english not in body

    def test_a_refusal_speaks_the_browsers_language(self) -> None:
        """Without a valid link the person is unknown: the browser's language is used."""
        problem = (
            "This appeal link is not valid. Use the link in your notice exactly as it is, "
            "or write to the appeals address."
        )
        with translation.override("de"):
            german = gettext(problem)
        assert german != problem
        page = self.client.get(f"/appeal/{secrets.token_urlsafe(32)}/", headers={"accept-language": "de"})
        assert page.status_code == 410
        assert escape(german) in page.content.decode()

    def test_missing_grounds_are_a_400_with_the_error_and_nothing_is_filed(self) -> None:
        for grounds in ("", "   "):
            with unchanged():
                response = self.client.post(f"/appeal/{self.token}/", {"grounds": grounds, "email": ""})
            assert response.status_code == 400
            error = re.search(r'<p class="error-message" id="grounds-error">(.*?)</p>', response.content.decode(), re.S)
            assert error, response.content.decode()
            assert "Dieses Feld ist zwingend erforderlich." in error.group(1)
        assert self.client.get(f"/appeal/{self.token}/").status_code == 200  # the link is still unused

    def test_a_post_with_nothing_in_it_is_a_400_too(self) -> None:
        with unchanged():
            response = self.client.post(f"/appeal/{self.token}/", {})
        assert response.status_code == 400
        assert 'id="grounds-error"' in response.content.decode()

    def test_grounds_too_long_or_a_bad_address_are_a_400(self) -> None:
        with unchanged():
            long = self.client.post(f"/appeal/{self.token}/", {"grounds": "x" * 20_001})
            bad_address = self.client.post(f"/appeal/{self.token}/", {"grounds": GROUNDS, "email": "not-an-address"})
        assert (long.status_code, bad_address.status_code) == (400, 400)
        assert 'id="email-error"' in bad_address.content.decode()

    def test_filing_without_grounds_by_the_action_writes_nothing(self) -> None:
        """The appeal's case is created before the grounds are checked: the refusal must roll
        it back."""
        with unchanged(), pytest.raises(AppealRefusal, match="is required"):
            do_file_appeal(token=self.token, grounds="  ")
