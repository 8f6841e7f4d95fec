"""Issue 5, "done when": a report becomes a case, the case an investigation with a
recommendation, the recommendation passes every review stage of a global ban with a different
reviewer each, and the ban is carried out on a farm of two real MediaWiki wikis; both block logs
show the office block exactly once, the banned person's notice reaches a real SMTP server in
Spanish, and the public ban list shows the account and the date, nothing else."""

import secrets
from email.header import decode_header, make_header
from email.message import EmailMessage

import pytest
from django.test import override_settings

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import PartyData, do_add_party
from safetydesk.cases.models import CaseKind, PartyRole
from safetydesk.emergency.actions import do_spawn_investigation
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import ActionStatus
from safetydesk.intake.mailbox_import import import_message
from safetydesk.lib.testing import PersonaTestCase, make_staff, smtp_sink
from safetydesk.reviews.actions import do_decide, do_submit_recommendation
from safetydesk.reviews.tests.chain import concur_at_every_stage
from safetydesk.wiki.client import WikiClient
from safetydesk.wiki.devwiki import DevWiki
from safetydesk.wiki.tests.farm import create_user_everywhere, register

REASON = "Office action: [[m:Office actions|Office actions policy]]"


def threat_email(account: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Worried Editor <worried@example.net>"
    message["To"] = "emergency@example.org"
    message["Subject"] = f"User {account} threatens an organiser"
    message["Message-ID"] = f"<{secrets.token_hex(8)}@example.net>"
    message.set_content(
        f"The user {account} wrote on my talk page that he will come to the meetup on Saturday and "
        "shoot the organiser. He has posted her home address on three wikis."
    )
    return message.as_bytes()


@override_settings(OFFICE_ACTION_REASON=REASON)
@pytest.mark.usefixtures("farm")
class ReportToWikisTests(PersonaTestCase):
    farm: list[DevWiki]

    def test_a_report_ends_in_a_reviewed_global_ban_on_both_wikis_a_spanish_notice_and_the_public_list(self) -> None:
        register(self.farm)
        account = create_user_everywhere(self.farm, f"Menace{secrets.token_hex(3)}")

        # The report: an email to the emergency address opens an emergency case.
        with self.captureOnCommitCallbacks(execute=True):
            imported = import_message(threat_email(account), recipient="emergency@example.org")
        emergency = imported.item.case
        assert emergency is not None
        assert emergency.kind == CaseKind.EMERGENCY

        # The investigation, its subject (who reads Spanish) and the recommendation.
        investigation = do_spawn_investigation(case=emergency, acting_user=self.oncall, title=f"Ban of {account}")
        do_add_party(
            case=investigation, acting_user=self.specialist,
            party=PartyData(role=PartyRole.SUBJECT, wiki_username=account, email="menace@example.net", language="es"),
        )  # fmt: skip
        recommendation = do_submit_recommendation(
            case=investigation, acting_user=self.specialist, action_types=["foundation_global_ban"], target=account,
            rationale="Credible threat against an organiser and doxxing on three wikis.",
            prior_warnings=[{"kind": "foundation", "date": "2026-10-01", "link": ""}],
        )  # fmt: skip

        # Every stage, in turn, each by a different person.
        concur_at_every_stage(recommendation)
        assert len({s.reviewer_id for s in recommendation.steps.all()}) == 6
        [ban] = do_decide(recommendation=recommendation, acting_user=make_staff("max", Role.MANAGER))

        with smtp_sink() as sink, self.captureOnCommitCallbacks(execute=True):
            do_carry_out(office_action=ban, acting_user=self.manager)

        ban.refresh_from_db()
        assert ban.status == ActionStatus.ENFORCED
        for wiki in self.farm:
            client = WikiClient(wiki.api_url)
            client.login(wiki.bot_user, wiki.bot_password)
            entries = client.log_events("block", title=f"User:{account}")
            assert [(e["user"], e["action"], e["comment"]) for e in entries] == [("TSOffice", "block", REASON)]
            assert [b["user"] for b in client.active_blocks(account)] == [account]

        [notice] = sink.to("menace@example.net")
        subject = str(make_header(decode_header(notice["Subject"])))
        assert subject.endswith(f"Aviso de un veto global de la Fundación: {account}")
        body = notice.get_payload(decode=True).decode()
        assert "Comité de Revisión de Casos" in body
        assert "appeals@example.org" in body
        assert "shoot" not in body
        assert "doxxing" not in body

        page = self.client.get("/bans/").content.decode()
        assert account in page
        assert ban.enforced_at is not None
        assert ban.enforced_at.date().isoformat() in page
        for private in ("organiser", "shoot", "Credible", "Menace@example", "worried", investigation.reference):
            assert private not in page, private
        assert self.client.get("/bans/feed.json").json()["bans"] == [
            {"account": account, "banned_on": ban.enforced_at.date().isoformat()}
        ]
