"""Foundation event bans (DOMAIN §8): listed when carried out, the subject told in their
language, the restricted list read only by T&S, Legal and executives (each reading audited),
shared with one event's organisers under an agreement until the event is over, every view of a
share audited, and nothing of it ever public."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from safetydesk.accounts.roles import Role
from safetydesk.audit.log import verify_chain
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.actions import PartyData, do_create_case
from safetydesk.cases.models import CaseKind, PartyRole
from safetydesk.enforcement import event_bans
from safetydesk.enforcement.actions import do_carry_out
from safetydesk.enforcement.models import (
    ActionStatus,
    ActionType,
    Event,
    EventBan,
    EventBanScope,
    EventBanStatus,
    EventListShare,
    OfficeAction,
)
from safetydesk.lib.testing import PersonaTestCase, force_login_verified, make_staff
from safetydesk.notify.models import Notice
from safetydesk.reviews.actions import ReviewRefusal, do_submit_recommendation

NOW = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)


class EventBanTestCase(PersonaTestCase):
    def setUp(self) -> None:
        super().setUp()
        traveller = time_machine.travel(NOW, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)

    def banned(self, target: str, scope: str = EventBanScope.ALL_FUNDED, *, email: str = "", language: str = "en",
               real_name: str = "") -> EventBan:  # fmt: skip
        case = do_create_case(
            acting_user=None, title="Harassment at the last meetup", kind=CaseKind.OFFICE_ACTION,
            parties=[
                PartyData(role=PartyRole.REPORTER, email="attendee@example.net"),
                PartyData(role=PartyRole.SUBJECT, wiki_username=target, email=email, language=language,
                          real_name=real_name),
            ],
        )  # fmt: skip
        action = OfficeAction.objects.create(
            case=case, action_type=ActionType.FOUNDATION_EVENT_BAN, target=target, scope=scope,
            decided_by=self.director,
        )  # fmt: skip
        with self.captureOnCommitCallbacks(execute=True):
            assert do_carry_out(office_action=action, acting_user=self.specialist) == []
        return EventBan.objects.get(office_action=action)

    def event(self, name: str = "WikiCon", *, days_ahead: int = 20, by_affiliate: bool = False) -> Event:
        start = (NOW + dt.timedelta(days=days_ahead)).date()
        return event_bans.do_add_event(
            acting_user=self.specialist, name=name, starts_on=start, ends_on=start + dt.timedelta(days=2),
            by_affiliate=by_affiliate,
        )  # fmt: skip


class ListingTests(EventBanTestCase):
    def test_carrying_it_out_lists_the_person_and_tells_them_in_their_language(self) -> None:
        ban = self.banned("Meetup Menace", email="menace@example.net", language="es", real_name="Mario Menace")

        assert ban.status == EventBanStatus.ACTIVE
        assert (ban.usernames, ban.names, ban.scope) == ("Meetup Menace", "Mario Menace", EventBanScope.ALL_FUNDED)
        assert ban.office_action.status == ActionStatus.ENFORCED  # nothing to do on a wiki
        notice = Notice.objects.get(key="office_action_event_ban")
        assert notice.language == "es"
        [message] = mail.outbox
        assert "Aviso de un veto de eventos de la Fundación: Meetup Menace" in message.subject
        body = message.body
        assert "El veto abarca: Todos los eventos que la Fundación patrocina o financia." in body
        assert "last meetup" not in body  # no fact of the case (the title)
        assert verify_chain() is None

    def test_an_event_ban_needs_its_scope_at_recommendation(self) -> None:
        case = do_create_case(acting_user=None, title="Conduct at events", kind=CaseKind.OFFICE_ACTION)
        with pytest.raises(ReviewRefusal, match="which events") as refused:
            do_submit_recommendation(
                case=case, acting_user=self.specialist, action_types=[ActionType.FOUNDATION_EVENT_BAN],
                rationale="Repeated misconduct at two events.", target="Someone", scope="everywhere",
            )  # fmt: skip
        assert refused.value.details == {"field": "scope"}
        assert not case.recommendations.exists()

    def test_each_event_sees_the_bans_whose_scope_covers_it(self) -> None:
        funded = self.banned("AllFunded")
        affiliate = self.banned("AffiliateToo", EventBanScope.AFFILIATE)
        listed = self.banned("OnlyListed", EventBanScope.LISTED)
        conference, meetup, other = self.event("Conference"), self.event("Meetup", by_affiliate=True), self.event("X")
        event_bans.do_name_event_on_ban(acting_user=self.specialist, ban=listed, event=meetup)

        assert list(event_bans.bans_for_event(conference)) == [funded, affiliate]
        assert list(event_bans.bans_for_event(meetup)) == [affiliate, listed]
        assert list(event_bans.bans_for_event(other)) == [funded, affiliate]
        with pytest.raises(event_bans.EventBanRefusal, match="already covers"):
            event_bans.do_name_event_on_ban(acting_user=self.specialist, ban=funded, event=other)

    def test_bans_and_shares_end_on_time(self) -> None:
        ban = self.banned("Temporary")
        EventBan.objects.filter(pk=ban.pk).update(ends_at=NOW + dt.timedelta(days=1))
        share = event_bans.do_share_list(
            acting_user=self.manager, event=self.event(days_ahead=0), organisers="Olga Organiser", agreement="NDA-1"
        ).share
        assert share.access_expires_at == dt.datetime(2027, 3, 11, tzinfo=dt.UTC)  # last day + 1 + 7

        assert event_bans.close_ended(NOW) == (0, 0)
        assert event_bans.close_ended(dt.datetime(2027, 3, 12, tzinfo=dt.UTC)) == (1, 1)
        ban.refresh_from_db()
        share.refresh_from_db()
        assert ban.status == EventBanStatus.EXPIRED
        assert share.revoked_at == share.access_expires_at
        assert AuditEvent.objects.filter(event_type=AuditEventType.EVENT_LIST_SHARE_EXPIRED).count() == 1


class SharingTests(EventBanTestCase):
    def share(self, event: Event) -> event_bans.NewShare:
        return event_bans.do_share_list(
            acting_user=self.specialist, event=event, organisers="Olga Organiser <olga@example.org>",
            agreement="Grant agreement G-2027-114, confidentiality clause 9",
        )  # fmt: skip

    def test_a_share_needs_organisers_and_an_agreement(self) -> None:
        event = self.event()
        with pytest.raises(event_bans.EventBanRefusal, match="NDA") as refused:
            event_bans.do_share_list(acting_user=self.specialist, event=event, organisers="Olga", agreement=" ")
        assert refused.value.details == {"field": "agreement"}
        assert not EventListShare.objects.exists()

    def test_the_organiser_sees_the_entries_with_the_code_and_every_view_is_recorded(self) -> None:
        self.banned("Meetup Menace", real_name="Mario Menace")
        new = self.share(self.event())
        url = reverse("event_list:shared", args=[new.token])

        page = self.client.get(url)
        assert page.status_code == 200
        assert "Mario Menace" not in page.content.decode()  # not before the code
        assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]

        wrong = self.client.post(url, {"code": "aaaa-bbbb-cccc"})
        assert wrong.status_code == 403
        assert "Mario Menace" not in wrong.content.decode()

        right = self.client.post(url, {"code": new.code.upper()})
        html = right.content.decode()
        assert right.status_code == 200
        assert "Mario Menace" in html
        assert "Meetup Menace" in html
        assert right["X-Robots-Tag"] == "noindex, nofollow"
        assert "Harassment" not in html  # nothing of the case
        viewed = AuditEvent.objects.get(event_type=AuditEventType.EVENT_LIST_VIEWED)
        assert viewed.actor_label == f"organiser:share-{new.share.pk}"
        refused = AuditEvent.objects.get(event_type=AuditEventType.EVENT_LIST_VIEW_REFUSED)
        assert refused.data == {"reason": "wrong code"}
        new.share.refresh_from_db()
        assert new.share.views == 1

    @override_settings(EVENT_LIST_CODE_ATTEMPTS_PER_HOUR=3)
    def test_guessing_stops_after_a_few_tries_even_with_the_right_code(self) -> None:
        new = self.share(self.event())
        for _ in range(3):
            with pytest.raises(event_bans.WrongCode):
                event_bans.do_view_shared_list(share=new.share, code="nope", ip_address="203.0.113.9")
        with pytest.raises(event_bans.WrongCode):
            event_bans.do_view_shared_list(share=new.share, code=new.code, ip_address="203.0.113.9")
        reasons = list(
            AuditEvent.objects.filter(event_type=AuditEventType.EVENT_LIST_VIEW_REFUSED).values_list("data", flat=True)
        )
        assert reasons[-1] == {"reason": "too many attempts"}

    def test_after_the_event_or_once_revoked_the_link_shows_nothing(self) -> None:
        self.banned("Meetup Menace")
        event = self.event(days_ahead=0)
        late, revoked = self.share(event), self.share(event)
        event_bans.do_revoke_share(acting_user=self.manager, share=revoked.share)

        response = self.client.post(reverse("event_list:shared", args=[revoked.token]), {"code": revoked.code})
        assert response.status_code == 410
        assert "Meetup Menace" not in response.content.decode()
        with time_machine.travel(dt.datetime(2027, 3, 11, 0, 0, 1, tzinfo=dt.UTC), tick=False):
            response = self.client.get(reverse("event_list:shared", args=[late.token]))
            assert response.status_code == 410
            with pytest.raises(event_bans.ShareClosed):
                event_bans.do_view_shared_list(share=late.share, code=late.code, ip_address=None)
        assert self.client.get(reverse("event_list:shared", args=["not-a-token"])).status_code == 404

    def test_the_secrets_are_kept_only_as_hashes(self) -> None:
        new = self.share(self.event())
        row = EventListShare.objects.get()
        assert new.token not in (row.token_hash, row.code_hash)
        assert new.code not in row.code_hash
        assert event_bans.find_share(new.token) == row


class ConsoleTests(EventBanTestCase):
    def test_only_ts_legal_and_executives_read_the_list_and_each_reading_is_recorded(self) -> None:
        self.banned("Meetup Menace")
        comms = make_staff("cole", Role.COMMS)
        executive = make_staff("eve", Role.EXECUTIVE)
        url = reverse("event_bans:list")
        for user, status in [
            (self.specialist, 200), (self.legal, 200), (executive, 200),
            (comms, 403), (self.oncall, 403), (self.auditor, 403), (self.crc, 403),
        ]:  # fmt: skip
            force_login_verified(self.client, user)
            response = self.client.get(url)
            assert response.status_code == status, user
            assert ("Meetup Menace" in response.content.decode()) is (status == 200)
        readers = AuditEvent.objects.filter(event_type=AuditEventType.EVENT_BAN_LIST_READ)
        assert sorted(readers.values_list("actor_label", flat=True)) == ["eve", "lee", "sam"]

    def test_legal_reads_but_does_not_keep_the_list(self) -> None:
        force_login_verified(self.client, self.legal)
        response = self.client.post(
            reverse("event_bans:event_add"), {"name": "WikiCon", "starts_on": "2027-04-01", "ends_on": "2027-04-02"},
            follow=True,
        )  # fmt: skip
        assert "Only the Trust and Safety team keeps the event-ban list." in response.content.decode()
        assert not Event.objects.exists()

    def test_a_specialist_adds_an_event_and_shares_the_list_seeing_the_secrets_once(self) -> None:
        force_login_verified(self.client, self.specialist)
        self.client.post(
            reverse("event_bans:event_add"), {"name": "WikiCon", "starts_on": "2027-04-01", "ends_on": "2027-04-02"}
        )
        event = Event.objects.get()
        response = self.client.post(
            reverse("event_bans:event_share", args=[event.pk]),
            {"organisers": "Olga Organiser", "agreement": "NDA signed 2027-02-20"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        share = EventListShare.objects.get()
        code = html.split("<dt>Access code</dt><dd><code>")[1].split("</code>")[0]
        assert event_bans.do_view_shared_list(share=share, code=code, ip_address=None) == []
        assert "/event-list/" in html

    def test_bad_dates_are_refused_with_the_form(self) -> None:
        force_login_verified(self.client, self.specialist)
        response = self.client.post(
            reverse("event_bans:event_add"), {"name": "WikiCon", "starts_on": "2027-04-03", "ends_on": "2027-04-01"},
            follow=True,
        )  # fmt: skip
        assert "The event cannot end before it starts." in response.content.decode()
        assert not Event.objects.exists()
