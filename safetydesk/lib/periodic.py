"""Periodic jobs: work that must happen on a clock (sweeps, purges, escalations).

Apps register a task with an interval at import time (in their tasks.py). Every task worker
runs `run_due_jobs()` between tasks; a job due by its interval is claimed with a conditional
UPDATE of its PeriodicJob row (exactly one worker wins) and its task is enqueued, so it runs
like any other task, with its result recorded.
"""

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from safetydesk.lib.models import PeriodicJob

logger = logging.getLogger("safetydesk.periodic")


@dataclass(frozen=True)
class Job:
    name: str
    every: dt.timedelta
    task: Any  # a django.tasks Task taking no arguments


_JOBS: dict[str, Job] = {}


def every(interval: dt.timedelta, *, name: str | None = None) -> Any:
    """Decorator for a django.tasks task: run it every `interval` (at least)."""

    def register(task: Any) -> Any:
        job_name = name or task.module_path
        _JOBS[job_name] = Job(job_name, interval, task)
        return task

    return register


def registered_jobs() -> list[Job]:
    return sorted(_JOBS.values(), key=lambda job: job.name)


def _claim(job: Job, now: dt.datetime) -> bool:
    claimed = PeriodicJob.objects.filter(name=job.name, last_run_at__lte=now - job.every).update(last_run_at=now)
    if claimed:
        return True
    try:
        with transaction.atomic():
            PeriodicJob.objects.create(name=job.name, last_run_at=now)
    except IntegrityError:
        return False  # it exists and is not due, or another worker just created it
    return True


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job that is due; returns the names enqueued."""
    now = now or timezone.now()
    started = []
    for job in registered_jobs():
        if _claim(job, now):
            job.task.enqueue()
            started.append(job.name)
    if started:
        logger.info("periodic jobs enqueued: %s", ", ".join(started))
    return started
