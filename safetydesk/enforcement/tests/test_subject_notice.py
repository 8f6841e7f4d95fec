"""The banned person's notice: carried out on the real two-wiki farm, then mailed to a real SMTP
server in their language (Spanish here), with the appeal route and date and no evidence."""

import datetime as dt
import secrets
from email.header import decode_header, make_header

import pytest
from django.test import override_settings

from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import CaseKind, PartyRole
from safetydesk.enforcement.actions import do_carry_out, do_confirm_by_hand
from safetydesk.enforcement.models import (
    ActionExecution,
    ActionStatus,
    ActionType,
    ExecutionStatus,
    OfficeAction,
    Operation,
)
from safetydesk.enforcement.tasks import execute
from safetydesk.lib.testing import PersonaTestCase, smtp_sink
from safetydesk.notify.models import Notice, NoticeStatus
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.tests.farm import create_user_everywhere, register


@override_settings(APPEAL_WINDOW_DAYS=182)
class SubjectNoticeTests(PersonaTestCase):
    def banned_case(self, target: str, *, email: str, language: str) -> OfficeAction:
        case = do_create_case(
            acting_user=None,
            title="Harassment of an organiser on three wikis",
            kind=CaseKind.OFFICE_ACTION,
            parties=[
                PartyData(role=PartyRole.REPORTER, email="organiser@example.net", language="en"),
                PartyData(role=PartyRole.SUBJECT, wiki_username=target, email=email, language=language),
            ],
        )
        return OfficeAction.objects.create(
            case=case, action_type=ActionType.FOUNDATION_GLOBAL_BAN, target=target, decided_by=self.director
        )

    @pytest.mark.usefixtures("farm")
    def test_the_banned_person_is_told_in_spanish_by_mail_once_the_ban_is_on_every_wiki(self) -> None:
        farm: list[DevWiki] = self.farm  # type: ignore[attr-defined]
        register(farm)
        target = create_user_everywhere(farm, f"Veto{secrets.token_hex(3)}")
        action = self.banned_case(target, email="vetado@example.net", language="es")

        with smtp_sink() as sink, self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=action, acting_user=self.manager)

        action.refresh_from_db()
        assert action.status == ActionStatus.ENFORCED
        [message] = sink.to("vetado@example.net")
        subject = str(make_header(decode_header(message["Subject"])))
        assert subject == f"[{action.case.reference}] Aviso de un veto global de la Fundación: {target}"
        body = message.get_payload(decode=True).decode()
        assert action.enforced_at is not None
        appeal_until = (action.enforced_at.date() + dt.timedelta(days=182)).isoformat()
        assert f"Escriba a appeals@example.org antes del {appeal_until}" in body
        assert action.case.reference in body
        assert "Harassment" not in body
        assert "organiser" not in body
        # The reporter is told the Foundation acted (review matrix row 11), and nothing more.
        [told] = sink.to("organiser@example.net")
        told_body = told.get_payload(decode=True).decode()
        assert "the Wikimedia Foundation has taken action" in told_body
        assert target not in told_body
        assert target not in str(make_header(decode_header(told["Subject"])))
        notice = Notice.objects.get(key="office_action_global_ban")
        assert (notice.language, notice.status) == ("es", NoticeStatus.SENT)

    def test_without_an_email_address_nobody_is_written_to_and_the_trail_says_so(self) -> None:
        action = self.banned_case("NoMail", email="", language="de")
        with smtp_sink() as sink, self.captureOnCommitCallbacks(execute=True):
            [execution] = do_carry_out(office_action=action, acting_user=self.manager)  # no wiki: by hand
            do_confirm_by_hand(execution=execution, acting_user=self.manager, note="Locked via Special:CentralAuth")
        assert [rcpts for rcpts, _ in sink.messages] == [["organiser@example.net"]]  # the reporter: told we acted
        event = AuditEvent.objects.get(event_type=AuditEventType.OFFICE_ACTION_SUBJECT_NOT_EMAILED)
        assert event.data == {"reason": "no email address", "talk_page": None}

    @pytest.mark.usefixtures("farm")
    def test_without_an_email_address_the_notice_is_left_once_on_the_user_talk_page(self) -> None:
        farm: list[DevWiki] = self.farm  # type: ignore[attr-defined]
        register(farm)
        target = create_user_everywhere(farm, f"Sinmail{secrets.token_hex(3)}")
        action = self.banned_case(target, email="", language="es")
        with smtp_sink() as sink, self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=action, acting_user=self.manager)
        assert [rcpts for rcpts, _ in sink.messages] == [["organiser@example.net"]]  # the reporter: told we acted

        action.refresh_from_db()
        notice = action.executions.get(operation=Operation.TALK_PAGE_NOTICE)
        assert (notice.status, notice.wiki.name) == (ExecutionStatus.DONE, farm[0].name)
        client = WikiClient(farm[0].api_url)
        client.login(farm[0].bot_user, farm[0].bot_password)
        [revision] = client.page_revisions(f"User talk:{target}")
        assert revision["revid"] == notice.log_id
        assert revision["user"] == "TSOffice"
        text = revision["content"]
        assert f"Aviso de un veto global de la Fundación: {target}" in text
        assert action.case.reference in text
        assert "Harassment" not in text
        assert "organiser" not in text

        # Sent again (a worker died before recording it): found on the page, not posted twice.
        ActionExecution.objects.filter(pk=notice.pk).update(status=ExecutionStatus.PENDING, log_id=None)
        assert execute.call(notice.pk) == "done"
        assert len(client.page_revisions(f"User talk:{target}")) == 1
