"""Issue 6, done when: a panel member cannot reach the reporter's identity by any page or API
call. The member, logged in with their second factor and holding an API token, requests every
URL the project routes (each placeholder filled with every reference, id and token of the
appeal, its case, the original case and their parts) and every API path; no answer may carry
the reporter's account, name or address, and none may fail with a server error. The member's
own case file is among the pages reached, so the crawl is not vacuous."""

import itertools
import re
from collections.abc import Iterator
from typing import Any

from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.urls import get_resolver

from safetydesk.accounts.models import ApiToken, hash_token
from safetydesk.appeals.tests.factory import (
    REPORTER,
    REPORTER_EMAIL,
    add_evidence,
    appeal_in_deliberation,
    banned_case,
    committee,
)
from safetydesk.enforcement.actions import do_carry_out, do_confirm_by_hand
from safetydesk.enforcement.models import ActionExecution
from safetydesk.lib.testing import PersonaTestCase, force_login_verified, smtp_sink
from safetydesk.notify.models import Notice

SECRETS = (REPORTER, REPORTER.lower(), REPORTER_EMAIL, "Quinn Reporter")
PLACEHOLDER = re.compile(r"<(?:\w+:)?(\w+)>")


class MemberCrawlTests(PersonaTestCase):
    def setUp(self) -> None:
        action = banned_case("Crawledsubject", self.director)
        add_evidence(action.case, self.specialist)
        with smtp_sink():
            with self.captureOnCommitCallbacks(execute=True):
                do_carry_out(office_action=action, acting_user=self.manager)
            with self.captureOnCommitCallbacks(execute=True):
                [execution] = ActionExecution.objects.filter(office_action=action)
                do_confirm_by_hand(execution=execution, acting_user=self.manager, note="Locked by hand on Meta.")
            committee(3)
            with self.captureOnCommitCallbacks(execute=True):
                self.appeal = appeal_in_deliberation(self, action, staff=self.specialist, legal=self.legal,
                                                     grounds=f"{REPORTER} lied about me.")  # fmt: skip
        self.seat = self.appeal.seats.first()
        assert self.seat is not None
        self.member = self.seat.member.user

    def values(self) -> dict[str, list[str]]:
        cases = [self.appeal.case, self.appeal.original_case]
        ints = {1, 2, 3, self.seat.pk, self.appeal.pk}
        for case in cases:
            ints |= {case.pk} | set(case.parties.values_list("pk", flat=True))
            ints |= set(case.evidence.values_list("pk", flat=True)) | set(case.notes.values_list("pk", flat=True))
        ints |= set(Notice.objects.values_list("pk", flat=True))
        references = [c.reference for c in cases] + [str(c.pk) for c in cases]
        return {"reference": references, "int": sorted(str(i) for i in ints), "other": ["x", "1"]}

    def urls(self) -> Iterator[str]:
        values = self.values()
        for _view, regex, _namespace, _name in extract_views_from_urlpatterns(get_resolver().url_patterns):
            path = simplify_regex(regex)
            names = PLACEHOLDER.findall(path)
            choices = [values["reference"] if "reference" in n or n == "ref" else
                       values["int"] if n.endswith("id") or n in {"pk", "seat", "number"} else
                       values["reference"] + values["int"] + values["other"] for n in names]  # fmt: skip
            for combination in itertools.product(*choices):
                filled = path
                for value in combination:
                    filled = PLACEHOLDER.sub(value, filled, count=1)
                yield filled

    def assert_nothing_revealed(self, url: str, response: Any) -> None:
        assert response.status_code < 500, (url, response.status_code)
        body = response.content.decode("utf-8", "replace")
        for secret in SECRETS:
            assert secret not in body, (url, secret)

    def test_no_page_or_api_call_shows_a_panel_member_the_reporter(self) -> None:
        force_login_verified(self.client, self.member)
        token = ApiToken.generate()
        ApiToken.objects.create(user=self.member, name="crawl", hint=token[:8], token_hash=hash_token(token))
        reached = []
        for url in sorted(set(self.urls())):
            for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {token}"}):
                response = self.client.get(url, **headers)
                self.assert_nothing_revealed(url, response)
                if response.status_code == 200:
                    reached.append(url)
        # The crawl reached the member's own file, where the appeal's grounds are, redacted.
        seat_page = f"/crc/seats/{self.seat.pk}/"
        assert seat_page in reached
        assert "[reporter] lied about me." in self.client.get(seat_page).content.decode()
        assert len(reached) > 5
