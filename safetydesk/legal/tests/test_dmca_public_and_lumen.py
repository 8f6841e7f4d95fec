"""What the DMCA work publishes: the public archive (no login, granted notices only, never the
claimant's personal data), the repeat-infringer count, and the deposit with Lumen (the export
meets Lumen's field rules; it is posted to a real HTTP server on 127.0.0.1)."""

import copy
import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

import pytest
import time_machine
from django.test import override_settings

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.legal import dmca, lumen
from safetydesk.legal.models import DmcaNotice, MeritsReason
from safetydesk.legal.presenters import CASE_EVENT_LEGAL
from safetydesk.legal.tests.fast import (
    CLAIMANT_ADDRESS,
    CLAIMANT_EMAIL,
    CLAIMANT_NAME,
    CLAIMANT_ORGANISATION,
    CLAIMANT_PHONE,
    OTHER_URL,
    URL,
    DmcaTestCase,
)
from safetydesk.lib.processes import free_port
from safetydesk.lib.testing import force_login_verified

THIRD_URL = "https://en.wikipedia.org/wiki/File:Lighthouse.png"
ELSEWHERE = "https://example.com/photo.jpg"
ORIGINAL = "https://harbourpictures.example/dusk"
TOKEN = "s3cret-lumen-token"
PERSONAL = (CLAIMANT_NAME, "Quay Street", "7946", CLAIMANT_EMAIL, "Ivo Individual", "Elm Road", "555 0100",
            "ivo@example.net")  # fmt: skip


class PublicArchiveTests(DmcaTestCase):
    def test_the_archive_lists_granted_notices_without_the_claimants_personal_data(self) -> None:
        organisation = self.granted_notice(
            work=f"Photograph “Harbour at dusk” by {CLAIMANT_NAME} ({CLAIMANT_EMAIL})", uploader="Harbour fan",
        )  # fmt: skip
        individual = self.granted_notice(
            OTHER_URL, claimant_name="Ivo Individual", claimant_organisation="", claimant_email="ivo@example.net",
            claimant_contact="5 Elm Road, Springfield\n+1 555 0100", work="My photograph of the harbour at night",
        )  # fmt: skip
        rejected = self.to_legal_review(self.record(self.new_case(THIRD_URL), infringing_urls=[THIRD_URL]))
        with self.captureOnCommitCallbacks(execute=True):
            dmca.do_reject(notice=rejected, acting_user=self.legal, reason=MeritsReason.FAIR_USE)
        pending = self.record(self.new_case("https://commons.wikimedia.org/wiki/File:Pier.jpg"),
                              infringing_urls=["https://commons.wikimedia.org/wiki/File:Pier.jpg"])  # fmt: skip

        response = self.client.get("/dmca/")  # nobody logged in
        assert response.status_code == 200
        listing = response.content.decode()
        assert organisation.case.reference in listing
        assert individual.case.reference in listing
        assert CLAIMANT_ORGANISATION in listing
        assert "An individual rights holder" in listing
        assert "File:Harbour.jpg" in listing
        assert "File:Harbour at night.jpg" in listing
        assert rejected.case.reference not in listing
        assert pending.case.reference not in listing
        for personal in PERSONAL:
            assert personal not in listing

        page = self.client.get(f"/dmca/{organisation.case.reference}/").content.decode()
        assert URL in page
        assert CLAIMANT_ORGANISATION in page
        assert "Harbour at dusk" in page
        page_of_individual = self.client.get(f"/dmca/{individual.case.reference}/").content.decode()
        assert OTHER_URL in page_of_individual
        assert "Sent by: An individual rights holder" in page_of_individual
        for personal in PERSONAL:
            assert personal not in page
            assert personal not in page_of_individual
        for hidden in (rejected, pending):
            assert self.client.get(f"/dmca/{hidden.case.reference}/").status_code == 404

    def test_contact_data_entered_on_one_line_is_not_published_either(self) -> None:
        notice = self.granted_notice(
            claimant_contact=f"{CLAIMANT_NAME}, {CLAIMANT_ORGANISATION}, {CLAIMANT_ADDRESS}, {CLAIMANT_PHONE}",
            work=f"Photograph “Harbour at dusk”, © {CLAIMANT_ORGANISATION}, {CLAIMANT_ADDRESS}, tel. {CLAIMANT_PHONE}",
        )  # fmt: skip
        page = self.client.get(f"/dmca/{notice.case.reference}/").content.decode()
        assert "Harbour at dusk" in page
        assert "Quay Street" not in page
        assert CLAIMANT_PHONE not in page


class RepeatInfringerTests(DmcaTestCase):
    def test_two_granted_notices_within_12_months_flag_the_uploader_and_older_ones_do_not_count(self) -> None:
        start = dt.datetime(2026, 12, 8, 10, tzinfo=dt.UTC)
        with time_machine.travel(start, tick=False):
            first = self.granted_notice(URL, uploader="Harbour_fan")
            assert [n.pk for n in dmca.granted_against("Harbour fan")] == [first.pk]
        assert self.legal_rows(first.case, "repeat_infringer") == []
        with time_machine.travel(start + dt.timedelta(days=30), tick=False):
            second = self.granted_notice(OTHER_URL, uploader="harbour fan")
            assert {n.pk for n in dmca.granted_against("Harbour fan")} == {first.pk, second.pk}
            assert len(dmca.granted_against("User:Harbour_fan")) == 2
        [flag] = self.legal_rows(second.case, "repeat_infringer")
        assert flag.kind == CASE_EVENT_LEGAL == "legal"
        assert flag.data["account"] == "harbour fan"
        assert flag.actor is None
        assert self.legal_rows(first.case, "repeat_infringer") == []
        [audit] = AuditEvent.objects.filter(event_type=AuditEventType.DMCA_REPEAT_INFRINGER)
        assert audit.data == {"notices": 2}
        assert audit.subject_id == str(second.pk)

        with time_machine.travel(start + dt.timedelta(days=30 + 366), tick=False):
            third = self.granted_notice(THIRD_URL, uploader="Harbour fan")
            assert [n.pk for n in dmca.granted_against("Harbour fan")] == [third.pk]
        assert self.legal_rows(third.case, "repeat_infringer") == []
        assert AuditEvent.objects.filter(event_type=AuditEventType.DMCA_REPEAT_INFRINGER).count() == 1
        # Another uploader's notices never count.
        assert dmca.granted_against("Someone else") == []


# --- Lumen ---------------------------------------------------------------------------------------


class FakeLumen(ThreadingHTTPServer):
    """Answers every POST with `answer` and keeps what it was sent."""

    answer: tuple[int, dict[str, str], bytes]
    received: list[dict[str, Any]]


class LumenHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        server = cast(FakeLumen, self.server)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        server.received.append({"method": self.command, "path": self.path, "body": body,
                                "headers": {k.lower(): v for k, v in self.headers.items()}})  # fmt: skip
        status, headers, content = server.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def fake_lumen(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Iterator[FakeLumen]:
    server = FakeLumen(("127.0.0.1", 0), LumenHandler)
    server.answer, server.received = (status, headers or {}, body), []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def base_url(server: FakeLumen) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


CREATED = {"Location": "/notices/4242", "Content-Type": "application/json"}


class LumenExportTests(DmcaTestCase):
    def test_the_export_meets_lumens_rules_and_names_the_foundation_and_the_claimant_organisation(self) -> None:
        notice = self.granted_notice(infringing_urls=[URL, OTHER_URL], original_urls=[ORIGINAL])
        document = lumen.export(notice)
        assert lumen.problems(document) == []
        sent = document["notice"]
        assert sent["type"] == "DMCA"
        assert notice.case.reference in sent["title"]
        assert sent["date_sent"] == sent["date_received"] == notice.received_at.date().isoformat()
        assert sent["action_taken"] == "Yes"
        assert sent["url_count"] == 2
        roles = {role["name"]: role["entity_attributes"] for role in sent["entity_notice_roles_attributes"]}
        assert roles["submitter"]["name"] == roles["recipient"]["name"] == "Wikimedia Foundation"
        assert roles["submitter"]["kind"] == roles["recipient"]["kind"] == "organization"
        assert roles["sender"] == {"name": CLAIMANT_ORGANISATION, "kind": "organization", "country_code": "GB"}
        [work] = sent["works_attributes"]
        assert work["infringing_urls_attributes"] == [{"url": URL}, {"url": OTHER_URL}]
        assert work["copyrighted_urls_attributes"] == [{"url": ORIGINAL}]
        text = json.dumps(document, ensure_ascii=False)
        for personal in (CLAIMANT_NAME, CLAIMANT_EMAIL, "Quay Street", "7946"):
            assert personal not in text

    def test_an_individual_is_a_sender_without_name_and_only_hosted_urls_are_infringing(self) -> None:
        notice = self.granted_notice(infringing_urls=[URL, ELSEWHERE], claimant_organisation="",
                                     claimant_country="")  # fmt: skip
        document = lumen.export(notice)
        assert lumen.problems(document) == []
        sent = document["notice"]
        roles = {role["name"]: role["entity_attributes"] for role in sent["entity_notice_roles_attributes"]}
        assert roles["sender"] == {"name": "Individual rights holder", "kind": "individual"}
        assert sent["works_attributes"][0]["infringing_urls_attributes"] == [{"url": URL}]
        assert sent["action_taken"] == "Partial"
        assert CLAIMANT_NAME not in json.dumps(document, ensure_ascii=False)

    def test_the_export_never_carries_the_claimants_name_or_email(self) -> None:
        notice = self.granted_notice(work=f"Photograph “Harbour at dusk” by {CLAIMANT_NAME} ({CLAIMANT_EMAIL})")
        document = lumen.export(notice)
        assert lumen.problems(document) == []
        text = json.dumps(document, ensure_ascii=False)
        assert CLAIMANT_EMAIL not in text
        assert CLAIMANT_NAME not in text

    def test_problems_names_each_field_lumen_would_refuse(self) -> None:
        good = lumen.export(self.granted_notice())
        assert lumen.problems(good) == []

        def broken(**fields: Any) -> list[str]:
            document = copy.deepcopy(good)
            for name, value in fields.items():
                if value is None:
                    del document["notice"][name]
                else:
                    document["notice"][name] = value
            return lumen.problems(document)

        assert broken(type="Spam") == ["type: 'Spam' is not a Lumen type"]
        assert broken(title="x" * 256) == ["title: required, at most 255 characters for DMCA"]
        assert broken(title="x" * 255) == []
        assert broken(date_sent="1998-10-27") == ["date_sent: must be after 1998-10-28"]
        assert broken(date_received="1990-01-01") == ["date_received: must be after 1998-10-28"]
        assert broken(date_sent="1998-10-29") == []
        assert broken(body="Write to hana@harbourpictures.example") == [
            "body: holds an email address (no personal data in the body)"
        ]
        assert broken(works_attributes=[]) == ["works_attributes: at least one work"]
        assert broken(works_attributes=None) == ["works_attributes: at least one work"]
        assert lumen.problems({}) == ["notice: missing"]


class LumenPostTests(DmcaTestCase):
    def test_a_201_gives_the_id_from_the_location_and_the_server_gets_the_json_and_the_token(self) -> None:
        document = lumen.export(self.granted_notice())
        with fake_lumen(201, CREATED, b'{"id": 4242}') as server:
            assert lumen.post(document, url=base_url(server) + "/", token=TOKEN) == "4242"
        [request] = server.received
        assert (request["method"], request["path"]) == ("POST", "/notices")
        assert request["headers"]["x-authentication-token"] == TOKEN
        assert request["headers"]["content-type"] == "application/json"
        assert json.loads(request["body"]) == document

    def test_a_422_raises_with_lumens_answer(self) -> None:
        document = lumen.export(self.granted_notice())
        answer = b'{"errors": {"title": ["is too long (maximum is 255 characters)"]}}'
        with fake_lumen(422, {"Content-Type": "application/json"}, answer) as server, \
                pytest.raises(lumen.LumenError) as refused:  # fmt: skip
            lumen.post(document, url=base_url(server), token=TOKEN)
        assert "422" in str(refused.value)
        assert "is too long (maximum is 255 characters)" in str(refused.value)

    def test_a_401_raises_about_the_token(self) -> None:
        document = lumen.export(self.granted_notice())
        with fake_lumen(401, {}, b"Unauthorized") as server, pytest.raises(lumen.LumenError) as refused:
            lumen.post(document, url=base_url(server), token="expired")
        assert "token" in str(refused.value)
        assert "401" in str(refused.value)
        assert server.received[0]["headers"]["x-authentication-token"] == "expired"

    def test_no_location_or_no_server_raises(self) -> None:
        document = lumen.export(self.granted_notice())
        with fake_lumen(201, {}, b"{}") as server, pytest.raises(lumen.LumenError, match="address"):
            lumen.post(document, url=base_url(server), token=TOKEN)
        with pytest.raises(lumen.LumenError, match="could not be reached"):
            lumen.post(document, url=f"http://127.0.0.1:{free_port()}", token=TOKEN, timeout=5)


class LumenSubmitTests(DmcaTestCase):
    def test_submit_stores_the_lumen_id_with_an_audit_row_once(self) -> None:
        notice = self.granted_notice()
        submitted_at = dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC)
        with fake_lumen(201, CREATED) as server, override_settings(LUMEN_URL=base_url(server), LUMEN_TOKEN=TOKEN):
            with time_machine.travel(submitted_at, tick=False):
                notice = lumen.submit(notice, self.legal)
            assert notice.lumen_id == "4242"
            assert notice.lumen_submitted_at == submitted_at
            [audit] = AuditEvent.objects.filter(event_type=AuditEventType.LUMEN_SUBMITTED)
            assert audit.data == {"lumen_id": "4242"}
            assert audit.subject_id == str(notice.pk)
            assert audit.actor == self.legal
            assert len(self.legal_rows(notice.case, "lumen")) == 1
            [request] = server.received
            assert request["headers"]["x-authentication-token"] == TOKEN
            assert json.loads(request["body"]) == lumen.export(notice)

            with pytest.raises(lumen.LumenError, match="4242"):
                lumen.submit(notice, self.legal)  # on Lumen already
            assert len(server.received) == 1
        assert AuditEvent.objects.filter(event_type=AuditEventType.LUMEN_SUBMITTED).count() == 1

    def test_what_is_not_granted_or_refused_by_lumen_is_not_stored(self) -> None:
        undecided = self.record(self.new_case(OTHER_URL), infringing_urls=[OTHER_URL])
        notice = self.granted_notice()
        with fake_lumen(422, {}, b'{"errors": ["bad"]}') as server, \
                override_settings(LUMEN_URL=base_url(server), LUMEN_TOKEN=TOKEN):  # fmt: skip
            with pytest.raises(lumen.LumenError, match="Only granted"):
                lumen.submit(undecided, self.legal)
            assert server.received == []
            with pytest.raises(lumen.LumenError, match="422"):
                lumen.submit(notice, self.legal)
        notice.refresh_from_db()
        assert notice.lumen_id == ""
        assert notice.lumen_submitted_at is None
        assert not AuditEvent.objects.filter(event_type=AuditEventType.LUMEN_SUBMITTED).exists()
        with override_settings(LUMEN_URL=""), pytest.raises(lumen.LumenError, match="No Lumen endpoint"):
            lumen.submit(notice, self.legal)


class LumenExportViewTests(DmcaTestCase):
    def test_staff_get_the_export_with_no_problems_others_do_not(self) -> None:
        notice = self.granted_notice()
        url = f"/legal/cases/{notice.case.reference}/dmca/lumen.json"
        force_login_verified(self.client, self.legal)
        response = self.client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        document = response.json()
        assert document["problems"] == []
        assert document["notice"] == lumen.export(DmcaNotice.objects.get(pk=notice.pk))["notice"]

        undecided = self.record(self.new_case(OTHER_URL), infringing_urls=[OTHER_URL])
        assert self.client.get(f"/legal/cases/{undecided.case.reference}/dmca/lumen.json").status_code == 404
        for stranger, status in ((self.outsider, 403), (self.crc, 404)):
            force_login_verified(self.client, stranger)
            assert self.client.get(url).status_code == status
        self.client.logout()
        assert self.client.get(url).status_code == 302
