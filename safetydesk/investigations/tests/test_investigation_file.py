"""The investigation file of an office-action case: related cases, alternate accounts, prior
warnings (which a global-ban recommendation then counts), the draft report with its versions,
the panel's forms, and the subjects' accounts read from real wikis."""

import datetime as dt
import secrets

import pytest
from django.urls import reverse
from django.utils import timezone

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import CaseEvent, CaseKind, Confidentiality, PartyRole
from safetydesk.investigations.actions import (
    InvestigationNotPermitted,
    InvestigationRefusal,
    do_add_alternate,
    do_link_case,
    do_record_warning,
    do_save_report,
)
from safetydesk.investigations.models import Basis, WarningKind
from safetydesk.lib.testing import PersonaTestCase, force_login_verified
from safetydesk.reviews.actions import do_submit_recommendation
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.tests.farm import create_user_everywhere, register


class InvestigationFileTests(PersonaTestCase):
    def setUp(self) -> None:
        self.case = do_create_case(
            acting_user=None, title="Harassment across wikis", kind=CaseKind.OFFICE_ACTION,
            parties=[PartyData(role=PartyRole.SUBJECT, wiki_username="Harasser")],
        )  # fmt: skip

    def test_related_cases_are_found_by_reference_and_a_hidden_case_is_not_found(self) -> None:
        other = do_create_case(acting_user=None, title="Earlier report", kind=CaseKind.GENERAL)
        secret = do_create_case(
            acting_user=None, title="Restricted", kind=CaseKind.GENERAL, confidentiality=Confidentiality.RESTRICTED
        )
        do_link_case(case=self.case, acting_user=self.specialist, reference=other.reference.lower())
        with pytest.raises(InvestigationRefusal, match="already related"):
            do_link_case(case=self.case, acting_user=self.specialist, reference=other.reference)
        with pytest.raises(InvestigationRefusal, match="No case"):
            do_link_case(case=self.case, acting_user=self.specialist, reference=secret.reference)
        with pytest.raises(InvestigationRefusal, match="itself"):
            do_link_case(case=self.case, acting_user=self.specialist, reference=self.case.reference)
        with pytest.raises(InvestigationNotPermitted):
            do_link_case(case=self.case, acting_user=self.auditor, reference=other.reference)
        assert CaseEvent.objects.filter(case=self.case, kind="investigation").count() == 1
        assert AuditEvent.objects.filter(event_type=AuditEventType.INVESTIGATION_UPDATED).count() == 1

    def test_alternates_and_warnings_are_checked(self) -> None:
        do_add_alternate(case=self.case, acting_user=self.specialist, account="Harasser2", of_account="Harasser",
                         basis=Basis.CHECKUSER)  # fmt: skip
        with pytest.raises(InvestigationRefusal, match="already on the file"):
            do_add_alternate(case=self.case, acting_user=self.specialist, account="harasser2", of_account="Harasser",
                             basis=Basis.BEHAVIOUR)  # fmt: skip
        with pytest.raises(InvestigationRefusal, match="not its own alternate"):
            do_add_alternate(case=self.case, acting_user=self.specialist, account="Harasser", of_account="harasser",
                             basis=Basis.BEHAVIOUR)  # fmt: skip
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        with pytest.raises(InvestigationRefusal, match="future"):
            do_record_warning(case=self.case, acting_user=self.specialist, account="Harasser",
                              kind=WarningKind.FOUNDATION, given_on=tomorrow)  # fmt: skip
        with pytest.raises(InvestigationRefusal, match="not a web address"):
            do_record_warning(case=self.case, acting_user=self.specialist, account="Harasser",
                              kind=WarningKind.FOUNDATION, given_on=dt.date(2026, 5, 1),
                              link="javascript:alert(1)")  # fmt: skip
        assert not self.case.prior_warnings.exists()

    def test_a_warning_on_file_counts_for_the_global_ban_recommendation(self) -> None:
        do_record_warning(case=self.case, acting_user=self.specialist, account="Harasser",
                          kind=WarningKind.FOUNDATION, given_on=dt.date(2026, 5, 1),
                          link="https://meta.wikimedia.org/w/index.php?diff=123")  # fmt: skip
        recommendation = do_submit_recommendation(
            case=self.case, acting_user=self.specialist, action_types=["foundation_global_ban"], target="harasser",
            rationale="Continued after the Foundation's warning.",
        )  # fmt: skip
        assert recommendation.prior_warnings == [
            {"kind": "foundation", "date": "2026-05-01", "link": "https://meta.wikimedia.org/w/index.php?diff=123"}
        ]
        assert recommendation.direct_ban_justification == ""

    def test_the_report_is_saved_over_its_version_and_a_stale_save_is_refused(self) -> None:
        first = do_save_report(case=self.case, acting_user=self.specialist, text="Draft one.", base_version=0)
        assert first.version == 1
        do_save_report(case=self.case, acting_user=self.manager, text="Draft two.", base_version=1)
        with pytest.raises(InvestigationRefusal, match="saved the report meanwhile"):
            do_save_report(case=self.case, acting_user=self.specialist, text="My stale edit.", base_version=1)
        self.case.investigation_report.refresh_from_db()
        assert self.case.investigation_report.text == "Draft two."

    def test_the_panel_shows_the_file_and_takes_its_forms(self) -> None:
        force_login_verified(self.client, self.specialist)
        page = self.client.get(reverse("console:case", args=[self.case.reference])).content.decode()
        assert 'id="investigation"' in page
        response = self.client.post(
            reverse("investigations:record_warning", args=[self.case.reference]),
            {"account": "Harasser", "kind": "community", "given_on": "not a date"}, follow=True,
        )  # fmt: skip
        assert "Give the date of the warning" in response.content.decode()
        response = self.client.post(
            reverse("investigations:save_report", args=[self.case.reference]),
            {"text": "Pattern of off-wiki contact.", "version": "0"}, follow=True,
        )  # fmt: skip
        html = response.content.decode()
        assert "The report is saved (version 1)." in html
        assert "Pattern of off-wiki contact." in html


@pytest.mark.usefixtures("farm")
class AccountsOnTheWikisTests(PersonaTestCase):
    farm: list[DevWiki]

    def test_the_subjects_accounts_are_read_from_every_wiki(self) -> None:
        register(self.farm)
        name = f"Subject{secrets.token_hex(3)}"
        self.farm[0].create_user(name)
        alternate = create_user_everywhere(self.farm, f"Alt{secrets.token_hex(3)}")
        case = do_create_case(
            acting_user=None, title="Cross-wiki", kind=CaseKind.OFFICE_ACTION,
            parties=[PartyData(role=PartyRole.SUBJECT, wiki_username=name)],
        )  # fmt: skip
        do_add_alternate(case=case, acting_user=self.specialist, account=alternate, of_account=name,
                         basis=Basis.BEHAVIOUR)  # fmt: skip
        force_login_verified(self.client, self.specialist)
        response = self.client.get(reverse("investigations:accounts", args=[case.reference]))
        rows = response.context["rows"]
        seen = {(row.wiki, row.account): row.info["exists"] for row in rows}
        alpha, beta = self.farm[0].name, self.farm[1].name
        assert seen == {(alpha, name): True, (alpha, alternate): True, (beta, name): False, (beta, alternate): True}
