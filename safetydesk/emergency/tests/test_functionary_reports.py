"""Functionary disclosure reports (DOMAIN §13.3): recorded on the case check-disclosure@ opened,
flagged late when they come more than 10 days after the disclosure."""

import datetime as dt

import pytest
from django.test import override_settings

from safetydesk.cases.actions import do_create_case
from safetydesk.cases.errors import InvalidData, RoleNotPermitted
from safetydesk.cases.models import Case, CaseKind, Confidentiality
from safetydesk.emergency.actions import FunctionaryReportData, do_record_functionary_report
from safetydesk.emergency.models import FunctionaryDisclosureReport
from safetydesk.emergency.tests.base import EmergencyTestCase

OPENED = dt.datetime(2026, 5, 20, 9, 0, tzinfo=dt.UTC)


def report(disclosed_on: dt.date, **overrides: object) -> FunctionaryReportData:
    values: dict = {
        "functionary": "ExampleCU",
        "functionary_role": "checkuser",
        "disclosed_to": "Local police, threat unit",
        "disclosed_on": disclosed_on,
        "exception": "iii",
        "data_disclosed": "IP address and user agent of one account",
    }
    values.update(overrides)
    return FunctionaryReportData(**values)


class FunctionaryReportTests(EmergencyTestCase):
    def open_report_case(self) -> Case:
        return do_create_case(
            acting_user=None,
            title="Disclosure report",
            kind=CaseKind.DISCLOSURE_REPORT,
            confidentiality=Confidentiality.LEGAL_PRIVILEGED,
            intake_channel="disclosure",
            opened_at=OPENED,
        )

    def test_it_flags_a_report_more_than_ten_days_late(self) -> None:
        row = do_record_functionary_report(
            case=self.open_report_case(), acting_user=self.legal, report=report(dt.date(2026, 5, 9))
        )
        assert row.reported_on == dt.date(2026, 5, 20)  # the day the report arrived
        assert row.days_to_report == 11
        assert row.late

    def test_it_does_not_flag_a_report_on_the_tenth_day(self) -> None:
        row = do_record_functionary_report(
            case=self.open_report_case(), acting_user=self.legal, report=report(dt.date(2026, 5, 10))
        )
        assert not row.late

    @override_settings(FUNCTIONARY_REPORT_DAYS=5)
    def test_it_takes_the_allowed_days_from_settings(self) -> None:
        row = do_record_functionary_report(
            case=self.open_report_case(), acting_user=self.legal, report=report(dt.date(2026, 5, 14))
        )
        assert row.late

    def test_it_links_the_report_to_its_emergency(self) -> None:
        emergency = self.open_emergency()
        row = do_record_functionary_report(
            case=self.open_report_case(),
            acting_user=self.legal,
            report=report(dt.date(2026, 5, 18), related_case=emergency),
        )
        assert list(emergency.functionary_reports.all()) == [row]

    def test_it_refuses_bad_dates_and_writes_nothing(self) -> None:
        case = self.open_report_case()
        with pytest.raises(InvalidData) as refused:
            do_record_functionary_report(
                case=case,
                acting_user=self.legal,
                report=report(dt.date(2026, 5, 19), reported_on=dt.date(2026, 5, 1), exception="i"),
            )
        assert set(refused.value.details["fields"]) == {"reported_on", "exception"}
        assert not FunctionaryDisclosureReport.objects.exists()

    def test_it_records_reports_only_on_disclosure_report_cases(self) -> None:
        with pytest.raises(InvalidData):
            do_record_functionary_report(
                case=self.open_emergency(), acting_user=self.oncall, report=report(dt.date(2026, 5, 18))
            )

    def test_it_refuses_people_who_cannot_work_the_privileged_case(self) -> None:
        with pytest.raises(RoleNotPermitted):
            do_record_functionary_report(
                case=self.open_report_case(), acting_user=self.specialist, report=report(dt.date(2026, 5, 18))
            )
