"""What the API tests share: a token per persona, JSON requests, and "nothing changed" checks."""

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client

from safetydesk.accounts.models import ApiToken, User, hash_token
from safetydesk.cases.actions import do_create_case, do_transition
from safetydesk.cases.models import Case, CaseEvent
from safetydesk.lib.testing import PersonaTestCase


@dataclass(frozen=True)
class CaseSnapshot:
    state: str
    version: int
    events: int
    lead_id: int | None


class ApiTestCase(PersonaTestCase):
    tokens: dict[int, str]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.tokens = {}
        for user in (
            cls.specialist,
            cls.manager,
            cls.director,
            cls.legal,
            cls.oncall,
            cls.crc,
            cls.auditor,
            cls.outsider,
            cls.admin,
        ):
            cls.tokens[user.pk] = cls.make_token(user)

    @staticmethod
    def make_token(user: User, **fields: Any) -> str:
        raw = ApiToken.generate()
        ApiToken.objects.create(user=user, name="tests", hint=raw[:8], token_hash=hash_token(raw), **fields)
        return raw

    def auth(self, user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user.pk]}"}

    def get(self, path: str, user: User, client: Client | None = None, **extra: Any) -> Any:
        return (client or self.client).get(f"/api/v1{path}", headers=self.auth(user), **extra)

    def post(self, path: str, data: Any, user: User, client: Client | None = None, **extra: Any) -> Any:
        body = data if isinstance(data, (str, bytes)) else json.dumps(data)
        return (client or self.client).post(
            f"/api/v1{path}", body, content_type="application/json", headers=self.auth(user), **extra
        )

    def open_case(self, title: str = "Harassment on a talk page", **fields: Any) -> Case:
        return do_create_case(acting_user=self.specialist, title=title, **fields)

    def move(self, case: Case, *transitions: str, **data: Any) -> Case:
        for name in transitions:
            case = do_transition(case=case, transition=name, acting_user=self.specialist, data=data)
        return case

    @staticmethod
    def snapshot(case: Case) -> CaseSnapshot:
        fresh = Case.objects.get(pk=case.pk)
        return CaseSnapshot(fresh.state, fresh.version, CaseEvent.objects.filter(case=fresh).count(), fresh.lead_id)

    def assert_unchanged(self, case: Case, before: CaseSnapshot) -> None:
        """A refused write left state, version, lead and timeline exactly as they were."""
        assert self.snapshot(case) == before

    @staticmethod
    def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
        """The response is the API's error envelope with this status and code; returns the error."""
        assert response.status_code == status, response.content
        body = response.json()
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message", "details"}
        assert body["error"]["code"] == code, body
        assert body["error"]["message"]
        return dict(body["error"])
