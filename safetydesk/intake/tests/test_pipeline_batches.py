"""intake.pipeline.process_items: several items in one transaction, each with a savepoint of its
own, so one that fails is quarantined alone and the audit chain records only what committed."""

from unittest import mock

from django.db import OperationalError
from django.test import TestCase

from safetydesk.audit.log import verify_chain
from safetydesk.audit.models import AuditEvent, AuditEventType
from safetydesk.cases.models import Case
from safetydesk.intake import grouping
from safetydesk.intake.models import DismissalReason, IntakeItem, IntakeStatus
from safetydesk.intake.pipeline import process_items, receive_emails, receive_submission
from safetydesk.intake.submission import Submission
from safetydesk.intake.tests.helpers import email_bytes
from safetydesk.notify.models import Notice

BODIES = [
    "Someone keeps reverting every edit I make to the lighthouse article.",
    "A user posted my home address on a talk page and will not stop.",
    "Alguien borra todas mis ediciones en el artículo sobre el faro.",
]


def received(body: str, n: int) -> IntakeItem:
    return receive_submission(
        "api", Submission(subject=f"Report {n}", body=body, language_sample=body, sender=f"r{n}@example.net")
    )


class BatchTests(TestCase):
    def test_each_item_of_a_batch_gets_its_case_and_its_acknowledgement(self) -> None:
        items = [received(body, n) for n, body in enumerate(BODIES)]
        with self.captureOnCommitCallbacks(execute=True):
            results = process_items(items)

        assert [r.item.pk for r in results] == [i.pk for i in items]  # in the order given
        assert [r.item.status for r in results] == [IntakeStatus.ACCEPTED] * 3
        assert Case.objects.count() == 3
        assert Notice.objects.filter(intake_item__in=items, key="ack_general").count() == 3
        assert verify_chain() is None

    def test_an_item_that_fails_inside_the_batch_is_quarantined_alone(self) -> None:
        items = [received(body, n) for n, body in enumerate(BODIES)]
        real = grouping.group_case_for

        def fail_for_the_second(item: IntakeItem, *args: object, **kwargs: object) -> Case | None:
            if item.pk == items[1].pk:
                raise OperationalError("deadlock detected")
            return real(item, *args, **kwargs)

        with mock.patch.object(grouping, "group_case_for", side_effect=fail_for_the_second), \
                self.captureOnCommitCallbacks(execute=True):
            results = process_items(items)

        assert [r.item.status for r in results] == [
            IntakeStatus.ACCEPTED, IntakeStatus.QUARANTINED, IntakeStatus.ACCEPTED,
        ]
        failed = IntakeItem.objects.get(pk=items[1].pk)
        assert failed.error == "could not be processed: OperationalError: deadlock detected"
        assert failed.case is None
        assert failed.attempts == 1
        assert Case.objects.count() == 2
        # Its savepoint took its rows with it: received and quarantined, never accepted.
        rows = AuditEvent.objects.filter(subject_id=str(failed.pk), subject_type="intake.intakeitem")
        assert sorted(rows.values_list("event_type", flat=True)) == sorted(
            [AuditEventType.INTAKE_RECEIVED, AuditEventType.INTAKE_QUARANTINED]
        )
        assert not Notice.objects.filter(intake_item=failed).exists()
        assert verify_chain() is None

    def test_a_batch_that_cannot_commit_is_processed_one_item_at_a_time(self) -> None:
        items = [received(body, n) for n, body in enumerate(BODIES)]
        from safetydesk.audit import log

        real_append = log._append
        calls: list[int] = []

        def fail_once(events: list[AuditEvent]) -> None:
            calls.append(len(events))
            if len(calls) == 1:
                raise OperationalError("could not serialize access")
            real_append(events)

        with mock.patch.object(log, "_append", side_effect=fail_once):
            results = process_items(items)

        assert [r.item.status for r in results] == [IntakeStatus.ACCEPTED] * 3
        # The batch's append failed with all the rows; then one append per item, the same rows.
        assert len(calls) == 4
        assert calls[0] == sum(calls[1:])
        assert Case.objects.count() == 3
        assert verify_chain() is None

    def test_messages_are_received_together_and_in_order(self) -> None:
        raws = [
            email_bytes(sender=f"r{n}@example.net", to="ca@example.org", subject=f"Mail {n}", body=body,
                        message_id=f"<batch-{n}@example.net>")
            for n, body in enumerate(BODIES)
        ]
        items = receive_emails(raws, recipient="ca@example.org")

        assert [item.pk for item in items] == sorted(item.pk for item in items)
        assert all(item.status == IntakeStatus.RECEIVED for item in items)
        results = process_items(items)
        assert [r.item.subject for r in results] == ["Mail 0", "Mail 1", "Mail 2"]

    def test_a_second_copy_in_the_same_batch_is_a_duplicate_of_the_first(self) -> None:
        earlier = receive_emails([email_bytes(sender="a@example.net", to="ca@example.org", subject="Before",
                                              body=BODIES[0], message_id="<before@example.net>")],
                                 recipient="ca@example.org")
        process_items(earlier)
        raws = [
            email_bytes(sender=f"r{n}@example.net", to="ca@example.org", subject=f"Mail {n}", body=BODIES[n % 2],
                        message_id=message_id)
            for n, message_id in enumerate(
                ["<copy@example.net>", "<copy@example.net>", "<before@example.net>", "<other@example.net>"]
            )
        ]
        results = process_items(receive_emails(raws, recipient="ca@example.org"))

        assert [r.item.status for r in results] == [
            IntakeStatus.ACCEPTED, IntakeStatus.DISMISSED, IntakeStatus.DISMISSED, IntakeStatus.ACCEPTED,
        ]
        assert results[1].item.case == results[0].item.case
        assert results[2].item.case == IntakeItem.objects.get(pk=earlier[0].pk).case
        assert results[1].item.dismissal_reason == DismissalReason.DUPLICATE
