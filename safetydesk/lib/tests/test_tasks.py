"""lib.tasks: tasks enqueued after the commit, and inside enqueues_together in one transaction."""

from typing import Any

import pytest
from django.db import transaction
from django.test import TestCase

from safetydesk.lib.tasks import enqueue_on_commit, enqueues_together


class RecordingTask:
    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], bool]] = []

    def enqueue(self, *args: Any) -> None:
        self.calls.append((args, transaction.get_connection().in_atomic_block))


class RolledBack(Exception):
    pass


def enqueue_then_fail(task: RecordingTask, *args: Any) -> None:
    with transaction.atomic():
        enqueue_on_commit(task, *args)
        raise RolledBack


class EnqueueTests(TestCase):
    def test_it_enqueues_on_commit_and_never_for_a_rolled_back_savepoint(self) -> None:
        task = RecordingTask()
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            enqueue_on_commit(task, 1)
            with pytest.raises(RolledBack):
                enqueue_then_fail(task, 2)
            assert task.calls == []  # not before the commit
        assert [args for args, _ in task.calls] == [(1,)]

    def test_together_they_wait_for_the_end_of_the_block(self) -> None:
        task = RecordingTask()
        with enqueues_together():
            for n in range(3):
                with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
                    enqueue_on_commit(task, n)
            assert task.calls == []
        assert [args for args, _ in task.calls] == [(0,), (1,), (2,)]
        assert all(in_atomic for _, in_atomic in task.calls)  # written in one transaction

    def test_what_was_committed_is_enqueued_even_when_the_block_fails(self) -> None:
        task = RecordingTask()

        def commit_then_fail() -> None:
            with enqueues_together():
                with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
                    enqueue_on_commit(task, "committed")
                raise RolledBack

        with pytest.raises(RolledBack):
            commit_then_fail()
        assert [args for args, _ in task.calls] == [("committed",)]
