"""Foreign legal demands to remove content (DOMAIN §10) and the public applicable-law log: the
community avenue comes first, the community is informed before a removal, the removal is an
office action, and the log has exactly its six columns, reduced under a non-disclosure order."""

import datetime as dt
from typing import Any

import pytest

from safetydesk.cases.actions import do_create_case, do_transition
from safetydesk.cases.models import Case, CaseKind, Confidentiality
from safetydesk.enforcement.actions import do_confirm_by_hand
from safetydesk.enforcement.models import ActionStatus, ActionType
from safetydesk.legal import demands
from safetydesk.legal.dmca import LegalRefusal
from safetydesk.legal.models import ContentDemand
from safetydesk.lib.testing import PersonaTestCase

PAGE = "https://de.wikipedia.org/wiki/Beispielartikel"


class ForeignDemandTests(PersonaTestCase):
    def demand(self, **changes: Any) -> ContentDemand:
        case = do_create_case(acting_user=None, title="Court order from abroad", kind=CaseKind.LEGAL_REQUEST,
                              confidentiality=Confidentiality.LEGAL_PRIVILEGED)  # fmt: skip
        do_transition(case=case, transition="acknowledge", acting_user=self.legal)
        values: dict[str, Any] = {
            "region_of_origin": "Germany", "authority": "Landgericht Beispielstadt", "project": "de.wikipedia",
            "content": [PAGE], "government": True, "text_url": "https://foundation.example/wiki/File:Order.pdf",
            "deadline": dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
        }  # fmt: skip
        values.update(changes)
        return demands.do_log_demand(case=case, acting_user=self.legal, **values)

    def remove(self, demand: ContentDemand) -> None:
        demands.do_try_community(demand=demand, acting_user=self.legal, avenue="Asked the dewiki admins on AN.")
        demands.do_decide_removal(demand=demand, acting_user=self.legal, community_informed=True)
        with self.captureOnCommitCallbacks(execute=True):
            [action] = demands.do_remove(demand=demand, acting_user=self.legal)
        assert action.action_type == ActionType.LEGAL_CONTENT_REMOVAL
        [execution] = action.executions.all()  # no wiki registered: by hand, then confirmed
        with self.captureOnCommitCallbacks(execute=True):
            do_confirm_by_hand(execution=execution, acting_user=self.legal, note="Deleted by hand on dewiki.")
        action.refresh_from_db()
        assert action.status == ActionStatus.ENFORCED

    def test_a_removal_appears_in_the_log_with_exactly_its_six_columns(self) -> None:
        demand = self.demand()
        self.remove(demand)
        page = self.client.get("/legal/applicable-law-log/").content.decode()
        headers = ["Date received", "Region of origin", "Project affected", "Content involved", "Date removed",
                   "Text of demand"]  # fmt: skip
        assert [h for h in headers if f'<th scope="col">{h}</th>' in page] == headers
        assert page.count('<th scope="col">') == 6
        [row] = demands.applicable_law_log()
        assert (row.region_of_origin, row.project_affected, row.content_involved) == ("Germany", "de.wikipedia", PAGE)
        assert "Landgericht" not in page  # who sent it is not a column

    def test_a_non_disclosure_order_reduces_the_row_to_its_dates(self) -> None:
        self.remove(self.demand(nondisclosure=True))
        [row] = demands.applicable_law_log()
        assert row.region_of_origin == row.content_involved == row.text_of_demand == demands.WITHHELD
        assert row.date_removed

    def test_the_community_first_and_informed_before_a_removal(self) -> None:
        demand = self.demand()
        with pytest.raises(LegalRefusal, match="community avenue"):
            demands.do_decide_removal(demand=demand, acting_user=self.legal, community_informed=True)
        demands.do_try_community(demand=demand, acting_user=self.legal, avenue="Talk page of the article.")
        with pytest.raises(LegalRefusal, match="Inform the affected community"):
            demands.do_decide_removal(demand=demand, acting_user=self.legal, community_informed=False)
        demands.do_resolve_by_community(demand=demand, acting_user=self.legal)
        assert Case.objects.get(pk=demand.case_id).state == "CLOSED_RESOLVED_BY_COMMUNITY"
        assert demands.applicable_law_log() == []

    def test_a_demand_from_the_us_or_naming_a_search_is_refused(self) -> None:
        with pytest.raises(LegalRefusal, match="not a foreign demand"):
            self.demand(region_of_origin="US")
        with pytest.raises(LegalRefusal, match="is a search"):
            self.demand(content=["https://de.wikipedia.org/w/index.php?search=Beispiel"])
        assert not ContentDemand.objects.exists()
