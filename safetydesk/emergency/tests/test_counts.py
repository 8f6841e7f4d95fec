"""The transparency report's Emergency Disclosures counts (DOMAIN §5.6, §18.2), as a selector,
a console page and an API operation."""

import datetime as dt

from safetydesk.emergency.selectors import emergency_counts
from safetydesk.emergency.tests.base import EmergencyTestCase
from safetydesk.lib.testing import force_login_verified

JAN = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
JUL = dt.datetime(2026, 7, 2, 12, tzinfo=dt.UTC)


class CountsTests(EmergencyTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        case = cls.open_emergency()
        from safetydesk.emergency.actions import do_record_triage
        from safetydesk.emergency.tests.base import triage_data

        do_record_triage(case=case, acting_user=cls.oncall, triage=triage_data())
        suicide = cls.open_emergency("Goodbye message")
        do_record_triage(
            case=suicide, acting_user=cls.oncall, triage=triage_data(threat_type="self_harm", target="self")
        )
        cls.public_case, cls.suicide_case = case, suicide

    def add(self, case, at, **fields):  # type: ignore[no-untyped-def]
        return self.disclose(case=case, at=at, **fields)

    def test_it_counts_requests_and_voluntary_disclosures_by_type_and_country(self) -> None:
        self.add(self.public_case, JAN)
        self.add(self.suicide_case, JAN, country="DE")
        self.add(self.suicide_case, JAN, country="", kind="emergency_request", legal_basis="emergency_request")
        self.add(
            self.suicide_case,
            JAN,
            kind="emergency_request",
            legal_basis="emergency_request",
            produced=False,
            data_elements=(),
        )
        self.add(self.public_case, JUL)  # outside the period
        with self.assertNumQueries(3):
            counts = emergency_counts(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
        assert (counts.total.emergency_requests, counts.total.requests_produced) == (2, 1)
        assert counts.total.voluntary_disclosures == 2
        assert counts.total.total_disclosures == 3
        by_type = {row.key: row for row in counts.by_type}
        assert by_type["terrorist"].voluntary_disclosures == 1
        assert by_type["suicide"].voluntary_disclosures == 1
        assert by_type["suicide"].emergency_requests == 2
        assert by_type["individual"].total_disclosures == 0
        by_country = {row.key: row for row in counts.by_country}
        assert by_country["US"].emergency_requests == 1
        assert by_country["DE"].voluntary_disclosures == 1
        assert by_country["Unknown"].requests_produced == 1
        assert counts.by_country[-1].key == "Unknown"

    def test_it_includes_both_ends_of_the_period(self) -> None:
        self.add(self.public_case, dt.datetime(2026, 6, 30, 23, 59, tzinfo=dt.UTC))
        assert emergency_counts(dt.date(2026, 6, 30), dt.date(2026, 6, 30)).total.voluntary_disclosures == 1

    def test_it_shows_the_counts_page_to_staff(self) -> None:
        self.add(self.public_case, JAN)
        force_login_verified(self.client, self.auditor)
        response = self.client.get("/emergency/counts/", {"start": "2026-01-01", "end": "2026-06-30"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "Terrorist threats" in html
        assert "Voluntary disclosures" in html

    def test_it_refuses_a_backwards_period_on_the_page(self) -> None:
        force_login_verified(self.client, self.specialist)
        response = self.client.get("/emergency/counts/", {"start": "2026-06-30", "end": "2026-01-01"})
        assert response.status_code == 400
        assert "before the start" in response.content.decode()

    def test_it_keeps_the_counts_page_from_people_without_case_files(self) -> None:
        force_login_verified(self.client, self.outsider)
        assert self.client.get("/emergency/counts/").status_code == 403
        force_login_verified(self.client, self.crc)  # a committee volunteer is sent to their panels
        response = self.client.get("/emergency/counts/")
        assert (response.status_code, response["Location"]) == (302, "/crc/")
