"""Issue 7, done when: a DMCA notice mailed to the legal address is taken through the takedown
on a real MediaWiki (the file is gone from public view), the uploader's notice reaches a real
SMTP server, a counter-notice is recorded, and the file is put back on business day 10 of the
window, not before. The public archive shows the notice without the claimant's contact data,
and the Lumen export meets Lumen's field rules."""

import datetime as dt
import secrets
from email.header import decode_header, make_header

import pytest
import time_machine
from django.conf import settings
from django.test import TestCase, override_settings

from safetydesk.cases.actions import do_transition
from safetydesk.enforcement.models import ActionStatus, ActionType
from safetydesk.intake.tests.helpers import IntakeMixin
from safetydesk.legal import dmca, lumen
from safetydesk.legal.models import CounterElement, DmcaNotice, NoticeElement
from safetydesk.legal.tests.factory import all_present, mailed_notice, png
from safetydesk.lib.calendar import add_business_days
from safetydesk.lib.testing import Personas, smtp_sink
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.tests.farm import register

REASON = "Office action: DMCA takedown notice"
UPLOADER_EMAIL = "uploader@example.net"


@override_settings(DMCA_LOG_REASON=REASON)
@pytest.mark.usefixtures("farm")
class DmcaOnTheFarmTests(IntakeMixin, Personas, TestCase):
    farm: list[DevWiki]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.make_personas()

    def office_client(self, wiki: DevWiki) -> WikiClient:
        client = WikiClient(wiki.api_url)
        client.login(wiki.bot_user, wiki.bot_password)
        return client

    def file_is_public(self, client: WikiClient, title: str) -> bool:
        pages = client.query(titles=title, prop="imageinfo", iiprop="url").get("pages", [])
        return bool(pages) and "missing" not in pages[0] and bool(pages[0].get("imageinfo"))

    def test_a_mailed_notice_is_taken_down_counter_notified_and_put_back_on_business_day_10(self) -> None:
        register(self.farm)
        wiki = self.farm[0]
        uploader = f"Uploader{secrets.token_hex(3)}"
        wiki.create_user(uploader)
        title = wiki.upload(f"Harbour at dusk {secrets.token_hex(3)}.png", png(seed=secrets.randbelow(200)),
                            user=uploader)  # fmt: skip
        client = self.office_client(wiki)
        assert self.file_is_public(client, title)
        url = f"{wiki.url}/index.php?title={title.replace(' ', '_')}"

        with smtp_sink() as sink:
            case = mailed_notice(self, url)
            do_transition(case=case, transition="acknowledge", acting_user=self.legal)
            with self.captureOnCommitCallbacks(execute=True):
                notice = dmca.do_record_notice(
                    case=case, acting_user=self.legal, claimant_name="Hana Holder",
                    claimant_organisation="Harbour Pictures Ltd", claimant_contact="1 Quay Street, Portsmouth",
                    claimant_email="hana@harbourpictures.example", claimant_country="GB",
                    work="Photograph “Harbour at dusk”", original_urls=["https://harbourpictures.example/dusk"],
                    infringing_urls=[url], elements=all_present(NoticeElement), uploader=uploader,
                    uploader_email=UPLOADER_EMAIL, uploader_language="de",
                )  # fmt: skip
            assert notice.complete is True
            do_transition(case=case, transition="team_review", acting_user=self.director,
                          data={"team_note": "Exact URL, all six elements, no fair use apparent."})  # fmt: skip
            announce = self.farm[1]
            with override_settings(DMCA_ANNOUNCE_WIKI=announce.name), self.captureOnCommitCallbacks(execute=True):
                [takedown] = dmca.do_grant(notice=notice, acting_user=self.legal)
            # The community announcement, on the configured page of the other wiki.
            [announcement] = self.office_client(announce).page_revisions(settings.DMCA_ANNOUNCE_PAGE, limit=1)
            assert f"DMCA takedown {case.reference}" in announcement["content"]
            assert f"[[:{title}]]" in announcement["content"]
            assert "should not be undone" in announcement["content"]

            takedown.refresh_from_db()
            assert takedown.status == ActionStatus.ENFORCED
            assert not self.file_is_public(client, title)  # gone from public view
            [deleted] = client.log_events("delete", title=title)[:1]
            assert (deleted["action"], deleted["user"], deleted["comment"]) == ("delete", "TSOffice", REASON)
            [mail] = sink.to(UPLOADER_EMAIL)
            subject = str(make_header(decode_header(mail["Subject"])))
            assert case.reference in subject
            body = mail.get_payload(decode=True).decode("utf-8")
            assert url in body
            assert f"/dmca/{case.reference}/" in body

            # A complete counter-notice, received on a Friday before a holiday weekend.
            received = dt.datetime(2027, 1, 15, 16, 0, tzinfo=dt.UTC)  # Monday 18th: Martin Luther King Jr. Day
            with time_machine.travel(received, tick=False), self.captureOnCommitCallbacks(execute=True):
                counter = dmca.do_record_counter_notice(
                    notice=notice, acting_user=self.legal, sender="The uploader",
                    sender_email=UPLOADER_EMAIL, elements=all_present(CounterElement),
                )  # fmt: skip
            day_10 = add_business_days(received, 10)
            assert counter.restore_from == day_10
            assert day_10.date() == dt.date(2027, 2, 1)  # ten business days, the holiday not counted
            assert counter.restore_by is not None
            assert counter.restore_by.date() == dt.date(2027, 2, 5)

            with time_machine.travel(day_10 - dt.timedelta(minutes=1), tick=False):
                assert dmca.restore_due() == []
            assert not self.file_is_public(client, title)
            with time_machine.travel(day_10, tick=False), self.captureOnCommitCallbacks(execute=True):
                assert dmca.restore_due() == [counter.pk]
        assert self.file_is_public(client, title)  # put back on business day 10
        restoration = case.office_actions.get(action_type=ActionType.DMCA_RESTORE)
        assert restoration.status == ActionStatus.ENFORCED
        case.refresh_from_db()
        assert case.state == "CLOSED_RESTORED"

        # The public archive: the organisation, the URL, never the claimant's contact data.
        archive = self.client.get("/dmca/").content.decode()
        assert case.reference in archive
        assert "Harbour Pictures Ltd" in archive
        page = self.client.get(f"/dmca/{case.reference}/").content.decode()
        assert url in page
        for personal in ("Hana Holder", "Quay Street", "hana@harbourpictures.example"):
            assert personal not in page
        notice = DmcaNotice.objects.get(pk=notice.pk)
        assert lumen.problems(lumen.export(notice)) == []
