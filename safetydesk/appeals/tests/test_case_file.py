"""The redacted case file the committee reads (DOMAIN §12.2): every reporter's identity replaced
wherever it occurs, any email address removed, evidence not for the committee left out, links
that name a reporter removed; the staff preview shows exactly what the member reads, and the
prepared file is frozen."""

import re

import pytest
from django.test import SimpleTestCase

from safetydesk.appeals.actions import (
    do_decide_eligibility,
    do_prepare_case_file,
    do_register_appeal,
    do_withhold_evidence,
)
from safetydesk.appeals.case_file import REPORTER as REDACTED
from safetydesk.appeals.case_file import Redactor, draft
from safetydesk.appeals.models import Appeal, AppellantRole, CaseFile
from safetydesk.appeals.panel import do_draw_panel
from safetydesk.appeals.tests.factory import REPORTER, REPORTER_EMAIL, SUBJECT_EMAIL, banned_case, committee
from safetydesk.appeals.tests.offline import AppealTestCase
from safetydesk.cases.actions import do_capture_evidence, do_transition
from safetydesk.cases.errors import TransitionNotAvailable
from safetydesk.cases.models import Confidentiality, Evidence, EvidenceKind, Party, PartyRole
from safetydesk.lib.testing import force_login_verified

REAL_NAME = "Quinn Reporter"  # the factory's reporter
REMOVED_EMAIL = "[email address removed]"
SUBJECT = "Sanctioned Sam"
DIFF_LINK = "https://en.wikipedia.org/w/index.php?diff=123456"


class RedactorTests(SimpleTestCase):
    def redact(self, text: str, **identity: str) -> str:
        return Redactor.for_parties([Party(role=PartyRole.REPORTER, **identity)])(text)

    def test_the_account_in_every_spelling_mediawiki_accepts(self) -> None:
        for stored in ("Quiet Reporter", "Quiet_Reporter"):
            text = "Quiet Reporter, Quiet_Reporter, quiet_reporter, QUIET REPORTER and User talk:Quiet_reporter said"
            assert self.redact(text, wiki_username=stored) == (
                f"{REDACTED}, {REDACTED}, {REDACTED}, {REDACTED} and User talk:{REDACTED} said"
            )

    def test_the_real_name_and_the_address(self) -> None:
        text = "Quinn Reporter (quinn.reporter@Example.NET) wrote; QUINN REPORTER again."
        assert self.redact(text, real_name="Quinn Reporter", email="quinn.reporter@example.net") == (
            f"{REDACTED} ({REDACTED}) wrote; {REDACTED} again."
        )

    def test_any_email_address_at_all(self) -> None:
        text = "Copied to someone.else+tag@mail.example.org and admin@wiki-host.example."
        assert self.redact(text, wiki_username="Quiet Reporter") == f"Copied to {REMOVED_EMAIL} and {REMOVED_EMAIL}."
        assert Redactor.for_parties([])("write to a@b.co") == f"write to {REMOVED_EMAIL}"

    def test_words_that_merely_contain_a_name_stay(self) -> None:
        text = "Annex B: Ann's diffs, ANN again; Joanna, Annie and Hannah are not her."
        assert self.redact(text, real_name="Ann") == (
            f"Annex B: {REDACTED}'s diffs, {REDACTED} again; Joanna, Annie and Hannah are not her."
        )

    def test_the_longest_name_goes_first(self) -> None:
        redactor = Redactor.for_parties([Party(real_name="Ann"), Party(real_name="Ann Lee")])
        assert redactor("Ann Lee and Ann") == f"{REDACTED} and {REDACTED}"

    def test_an_ip_address_but_not_its_neighbours(self) -> None:
        redacted = self.redact("from 192.0.2.44 and 192.0.2.4", ip_or_range="192.0.2.4")
        assert redacted == f"from 192.0.2.44 and {REDACTED}"

    def test_names_someone(self) -> None:
        redactor = Redactor.for_parties([Party(wiki_username="Quiet Reporter")])
        assert redactor.names_someone("https://en.wikipedia.org/wiki/User:Quiet_Reporter")
        assert redactor.names_someone("mailto:someone@example.org")
        assert not redactor.names_someone("https://en.wikipedia.org/w/index.php?diff=12345")


class CaseFileTests(AppealTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.action = banned_case(SUBJECT, self.director)
        case = self.action.case

        def capture(kind: str, description: str, *, permalink: str = "", content: str = "") -> Evidence:
            return do_capture_evidence(case=case, acting_user=self.specialist, kind=kind, permalink=permalink,
                                       content=content, description=description)  # fmt: skip

        statement = f"{REPORTER} (write to {REPORTER_EMAIL}) was harassed by {SUBJECT}."
        self.statement = capture(EvidenceKind.STATEMENT, f"Statement by {REPORTER}", content=statement)
        self.diff = capture(EvidenceKind.DIFF, f"Diff where {SUBJECT} insults {REAL_NAME}",
                            permalink=DIFF_LINK)  # fmt: skip
        self.talk = capture(EvidenceKind.DIFF, "The reporter's talk page",
                            permalink=f"https://en.wikipedia.org/wiki/User_talk:{REPORTER}")  # fmt: skip
        self.withheld = capture(EvidenceKind.LOG_ENTRY, "Withheld log entry",
                                permalink="https://en.wikipedia.org/w/index.php?title=Special:Log&logid=9")  # fmt: skip
        do_withhold_evidence(evidence=self.withheld, acting_user=self.specialist, withheld=True)
        self.privileged = capture(EvidenceKind.FILE, "Counsel's memo", content="Privileged advice.")
        self.restricted = capture(EvidenceKind.FILE, "Restricted file", content="Restricted.")
        Evidence.objects.filter(pk=self.privileged.pk).update(access_level=Confidentiality.LEGAL_PRIVILEGED)
        Evidence.objects.filter(pk=self.restricted.pk).update(access_level=Confidentiality.RESTRICTED)
        self.email = capture(EvidenceKind.EMAIL, "The complaint email",
                             content=f"From: {REPORTER_EMAIL}\nSubject: harassment")  # fmt: skip
        self.carried_out(self.action)
        self.appeal = self.appeal_by_link(self.action, grounds=f"{REPORTER} lied; ask {REPORTER_EMAIL}.")
        do_transition(case=self.appeal.case, transition="acknowledge", acting_user=self.specialist)
        do_decide_eligibility(appeal=self.appeal, acting_user=self.legal, eligible=True)

    def prepare(self, summary: str = "") -> CaseFile:
        return do_prepare_case_file(appeal=self.appeal, acting_user=self.manager, summary=summary)

    def assert_no_reporter(self, text: str) -> None:
        for identity in (REPORTER, REPORTER.lower(), REAL_NAME, REPORTER_EMAIL):
            assert identity not in text

    def test_what_is_left_out_and_what_is_redacted(self) -> None:
        content = self.prepare(summary=f"Reported by {REAL_NAME}.").content
        rows = {row["description"]: row for row in content["evidence"]}
        statement, diff = f"Statement by {REDACTED}", f"Diff where {SUBJECT} insults {REDACTED}"
        assert set(rows) == {statement, diff, "The reporter's talk page"}
        assert rows[statement]["content"] == f"{REDACTED} (write to {REDACTED}) was harassed by {SUBJECT}."
        assert (rows[diff]["link"], rows[diff]["link_removed"]) == (DIFF_LINK, False)
        talk = rows["The reporter's talk page"]
        assert (talk["link"], talk["link_removed"]) == ("", True)
        assert content["grounds"] == f"{REDACTED} lied; ask {REDACTED}."
        assert content["summary"] == f"Reported by {REDACTED}."
        assert content["reporters"] == 1
        assert content["subjects"] == [SUBJECT]
        assert content["decision"]["account"] == SUBJECT
        self.assert_no_reporter(str(content))

    def test_the_preview_is_exactly_the_members_file(self) -> None:
        force_login_verified(self.client, self.manager)
        preview = self.client.get(f"/appeals/cases/{self.appeal.case.reference}/case-file/")
        assert preview.status_code == 200
        assert "Preview: this is what the panel would read" in preview.content.decode()
        before = file_sections(preview.content.decode())
        self.prepare()
        committee(3)
        with self.captureOnCommitCallbacks(execute=True):
            [seat, *_others] = do_draw_panel(appeal=self.appeal, acting_user=self.specialist)
        staff_page = self.client.get(f"/appeals/cases/{self.appeal.case.reference}/case-file/").content.decode()
        assert "Prepared and frozen by" in staff_page
        force_login_verified(self.client, seat.member.user)
        member_page = self.client.get(f"/crc/seats/{seat.pk}/").content.decode()
        sections = file_sections(member_page)
        assert [name for name, _body in sections] == ["decision", "appeal", "evidence"]
        assert file_sections(staff_page) == sections == before
        for page in (staff_page, member_page):
            for shown in (f"Statement by {REDACTED}", f"Diff where {SUBJECT} insults {REDACTED}", DIFF_LINK,
                          "[link removed: it names a reporter]"):  # fmt: skip
                assert shown in page
            for left_out in ("Withheld log entry", "memo", "Restricted file", "The complaint email",
                             "harassment"):  # fmt: skip
                assert left_out not in page
            self.assert_no_reporter(page)

    def test_the_prepared_file_is_frozen(self) -> None:
        prepared = self.prepare()
        frozen = dict(prepared.content)
        late = do_capture_evidence(
            case=self.action.case, acting_user=self.specialist, kind=EvidenceKind.STATEMENT,
            content="A late statement.", description="Added after the file was prepared",
        )  # fmt: skip
        do_withhold_evidence(evidence=self.diff, acting_user=self.specialist, withheld=True)
        assert late.pk
        prepared.refresh_from_db()
        assert prepared.content == frozen
        force_login_verified(self.client, self.manager)
        staff_page = self.client.get(f"/appeals/cases/{self.appeal.case.reference}/case-file/").content.decode()
        committee(3)
        with self.captureOnCommitCallbacks(execute=True):
            [seat, *_others] = do_draw_panel(appeal=self.appeal, acting_user=self.specialist)
        force_login_verified(self.client, seat.member.user)
        member_page = self.client.get(f"/crc/seats/{seat.pk}/").content.decode()
        for page in (staff_page, member_page):
            assert "Added after the file was prepared" not in page
            assert "A late statement." not in page
            assert f"Diff where {SUBJECT} insults {REDACTED}" in page  # withheld too late: the file stands
        # Only a new draft (what a fresh preparation would freeze) sees the change.
        fresh = {row["description"] for row in draft(Appeal.objects.get(pk=self.appeal.pk))["evidence"]}
        assert "Added after the file was prepared" in fresh
        assert f"Diff where {SUBJECT} insults {REDACTED}" not in fresh
        with pytest.raises(TransitionNotAvailable):
            self.prepare()  # prepared once

    def test_a_percent_encoded_link_naming_a_reporter_is_removed(self) -> None:
        Party.objects.create(case=self.action.case, role=PartyRole.REPORTER, wiki_username="Jürgen Zeuge")
        do_capture_evidence(case=self.action.case, acting_user=self.specialist, kind=EvidenceKind.DIFF,
                            description="The second reporter's user page",
                            permalink="https://de.wikipedia.org/wiki/Benutzer:J%C3%BCrgen_Zeuge")  # fmt: skip
        rows = {row["description"]: row for row in draft(self.appeal)["evidence"]}
        row = rows["The second reporter's user page"]
        assert (row["link"], row["link_removed"]) == ("", True)


class EmailAppealFileTests(AppealTestCase):
    def test_the_sanctioned_person_appealing_by_email_is_not_taken_for_a_reporter(self) -> None:
        action = banned_case(SUBJECT, self.director)
        do_capture_evidence(case=action.case, acting_user=self.specialist, kind=EvidenceKind.DIFF,
                            description=f"Diff where {SUBJECT} insults {REAL_NAME}", permalink=DIFF_LINK)  # fmt: skip
        self.carried_out(action)
        case = self.email_appeal_case(SUBJECT_EMAIL, name=SUBJECT)  # "Sanctioned Sam <banned.person@…>"
        appeal = do_register_appeal(
            case=case, acting_user=self.specialist, original_reference=action.case.reference,
            appellant=SUBJECT_EMAIL, grounds=f"I, {SUBJECT}, did not make that edit.",
        )  # fmt: skip
        assert appeal.appellant_role == AppellantRole.SANCTIONED
        content = draft(appeal)
        assert content["subjects"] == [SUBJECT]
        assert content["grounds"] == f"I, {SUBJECT}, did not make that edit."
        assert [row["description"] for row in content["evidence"]] == [f"Diff where {SUBJECT} insults {REDACTED}"]


SECTION = re.compile(r'<section class="panel" aria-labelledby="file-([a-z0-9-]+)-h">(.*?)</section>', re.S)


def file_sections(page: str) -> list[tuple[str, str]]:
    """The case file's sections as rendered (appeals/file_body.html), by name."""
    return [(name, " ".join(body.split())) for name, body in SECTION.findall(page)]
