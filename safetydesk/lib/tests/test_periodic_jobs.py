"""Periodic jobs run once per interval, however many workers run the clock."""

import datetime as dt

from django.db import connection
from django.tasks import task
from django.test import TestCase, TransactionTestCase

from safetydesk.lib import periodic
from safetydesk.lib.models import PeriodicJob

T0 = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
RUNS: list[str] = []


@task()
def note_a_run() -> None:
    RUNS.append("ran")


class PeriodicJobTests(TestCase):
    def setUp(self) -> None:
        RUNS.clear()
        self.saved = dict(periodic._JOBS)
        periodic._JOBS.clear()
        periodic.every(dt.timedelta(minutes=5), name="test-job")(note_a_run)

    def tearDown(self) -> None:
        periodic._JOBS.clear()
        periodic._JOBS.update(self.saved)

    def test_it_runs_a_job_the_first_time_and_then_once_per_interval(self) -> None:
        assert periodic.run_due_jobs(T0) == ["test-job"]
        assert periodic.run_due_jobs(T0 + dt.timedelta(minutes=1)) == []
        assert periodic.run_due_jobs(T0 + dt.timedelta(minutes=5)) == ["test-job"]
        assert RUNS == ["ran", "ran"]  # the immediate backend runs enqueued tasks at once
        assert PeriodicJob.objects.get(name="test-job").last_run_at == T0 + dt.timedelta(minutes=5)

    def test_two_workers_at_the_same_moment_run_it_once(self) -> None:
        PeriodicJob.objects.create(name="test-job", last_run_at=T0 - dt.timedelta(minutes=10))
        first = periodic.run_due_jobs(T0)
        second = periodic.run_due_jobs(T0)
        assert (first, second) == (["test-job"], [])
        assert RUNS == ["ran"]

    def test_the_intake_sweeps_are_registered(self) -> None:
        periodic._JOBS.update(self.saved)
        names = [job.name for job in periodic.registered_jobs()]
        assert "safetydesk.intake.jobs.process_stuck_items" in names
        assert "safetydesk.intake.jobs.purge_old_rate_counters" in names



class EveryJobOutsideATransactionTests(TransactionTestCase):
    """A worker runs a job in autocommit, as here. A row lock (select_for_update) taken outside a
    transaction fails then, on PostgreSQL only (SQLite has no FOR UPDATE), and a test's own
    transaction hides it: close_ended_event_bans failed so under the intake benchmark."""

    # Put back what migrations created, for the tests after this one (as every transactional
    # test here does).
    serialized_rollback = True

    def test_each_registered_job_runs_on_an_empty_database(self) -> None:
        assert not connection.in_atomic_block
        jobs = periodic.registered_jobs()
        assert len(jobs) > 10
        for job in jobs:
            job.task.call()
