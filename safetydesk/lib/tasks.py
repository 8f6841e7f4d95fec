"""Enqueueing tasks once the rows they read are committed.

`enqueue_on_commit(task, *args)` enqueues when the current transaction commits (never if it, or
the savepoint around the call, rolls back). With the database task backend each enqueue is an
INSERT that commits on its own; inside `enqueues_together()` the enqueues of every commit in the
block are held and written in one transaction when the block ends, so a batch of work pays one
commit for its tasks instead of one each (intake.pipeline.process_items).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

_local = threading.local()


def enqueue_on_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(lambda: _enqueue_or_hold(task, args))


def _enqueue_or_hold(task: Any, args: tuple[Any, ...]) -> None:
    held: list[tuple[Any, tuple[Any, ...]]] | None = getattr(_local, "held", None)
    if held is None:
        task.enqueue(*args)
    else:
        held.append((task, args))


@contextmanager
def enqueues_together() -> Iterator[None]:
    """Hold the enqueues of commits made in the block; write them in one transaction at its end
    (also when the block raises: what was committed must get its tasks)."""
    if getattr(_local, "held", None) is not None:
        yield  # an outer block writes them
        return
    _local.held = []
    try:
        yield
    finally:
        held, _local.held = _local.held, None
        if held:
            with transaction.atomic():
                for task, args in held:
                    task.enqueue(*args)
