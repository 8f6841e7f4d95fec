"""Review matrix row 11: once the Foundation has acted, the reporters are told so, in their
language, without what or why, once per case; for the types the row leaves out, nobody is."""

from django.core import mail

from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import CaseKind, PartyRole
from safetydesk.enforcement.actions import do_carry_out, do_confirm_by_hand
from safetydesk.enforcement.models import ActionType, EventBanScope, OfficeAction
from safetydesk.lib.testing import PersonaTestCase


class OtherPartiesTests(PersonaTestCase):
    def acted(self, action_type: str, **fields: object) -> OfficeAction:
        case = do_create_case(
            acting_user=None, title="Threats in a talk page thread", kind=CaseKind.OFFICE_ACTION,
            parties=[
                PartyData(role=PartyRole.REPORTER, email="reportera@example.net", language="es"),
                PartyData(role=PartyRole.REPORTER, wiki_username="NoEmailReporter"),
                PartyData(role=PartyRole.SUBJECT, wiki_username="Threatener"),
            ],
        )  # fmt: skip
        return self.carry_out(case, action_type, **fields)

    def carry_out(self, case: object, action_type: str, **fields: object) -> OfficeAction:
        action = OfficeAction.objects.create(
            case=case, action_type=action_type, target="Threatener", decided_by=self.director, **fields
        )
        with self.captureOnCommitCallbacks(execute=True):
            for execution in do_carry_out(office_action=action, acting_user=self.manager):
                do_confirm_by_hand(execution=execution, acting_user=self.manager, note="Warning left, diff 123")
        return action

    def test_the_reporters_with_an_address_are_told_once_in_their_language(self) -> None:
        warning = self.acted(ActionType.CONDUCT_WARNING)
        [message] = mail.outbox
        assert message.to == ["reportera@example.net"]
        assert "Su reporte: la Fundación ha actuado" in message.subject
        assert "Threatener" not in message.body
        assert "talk page" not in message.body

        self.carry_out(warning.case, ActionType.INTERACTION_BAN)
        assert len(mail.outbox) == 1  # the same case: told already

    def test_nobody_is_told_after_an_event_ban(self) -> None:
        self.acted(ActionType.FOUNDATION_EVENT_BAN, scope=EventBanScope.ALL_FUNDED)
        assert mail.outbox == []
