"""Importing a large mailbox in parallel lanes (`safetydesk intake mbox --jobs N`).

A message may depend on an earlier one of the same file: a reply is threaded into the case its
parent opened, and a second copy of a message (the same Message-ID) is a duplicate of the first.
So each message goes to the lane of the earlier messages it names (its Message-ID, In-Reply-To,
References) and is imported there after them; a message that names none starts a thread and
goes to the next lane in turn. A lane is a process of its own, with its own database connection,
that imports its share of each round of messages through the same `import_messages` as a
one-lane import (receive, then process, settings.INTAKE_IMPORT_BATCH_ITEMS at a time); the outcomes
come back and are given out in the file's order. What else working at once needs the pipeline
has already, as the triage loop and the mail listener run at the same time as each other: item
row locks, and the mass-report decision serialized per target.
"""

import multiprocessing
import re
from collections import OrderedDict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from django.db import connections

from safetydesk.intake.mailbox_import import Outcome, import_messages, in_batches, outcome_of

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_THREAD_HEADER = re.compile(
    rb"^(?:message-id|in-reply-to|references):(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE
)
_MESSAGE_ID = re.compile(rb"<[^<>\s]+>")
# Message ids remembered for sending a reply to its thread's lane: a reply to a message further
# back than this in the file may go to another lane (and, if processed before its parent, open a
# case of its own instead of being threaded).
REMEMBERED_IDS = 200_000


def thread_ids(raw: bytes) -> list[bytes]:
    """The message ids a message's header names: its own and those it answers."""
    head = _HEADER_END.split(raw, maxsplit=1)[0]
    return [mid for value in _THREAD_HEADER.findall(head) for mid in _MESSAGE_ID.findall(value)]


class LaneChooser:
    """The lane of each message, in file order (see the module's docstring)."""

    def __init__(self, lanes: int) -> None:
        self.lanes = lanes
        self.turn = 0
        self.known: OrderedDict[bytes, int] = OrderedDict()

    def __call__(self, raw: bytes) -> int:
        ids = thread_ids(raw)
        lane = next((self.known[mid] for mid in ids if mid in self.known), None)
        if lane is None:
            lane, self.turn = self.turn, (self.turn + 1) % self.lanes
        for mid in ids:
            self.known[mid] = lane
            self.known.move_to_end(mid)
        while len(self.known) > REMEMBERED_IDS:
            self.known.popitem(last=False)
        return lane


def _lane_main(conn: Connection, recipient: str) -> None:
    """A lane's process: import each batch it is sent, send back the outcomes; None ends it."""
    try:
        while (raws := conn.recv()) is not None:
            conn.send([outcome_of(result) for result in import_messages(raws, recipient=recipient)])
    finally:
        connections.close_all()


@dataclass
class _Lane:
    process: BaseProcess
    conn: Connection
    alive: bool = True

    def send(self, raws: list[bytes] | None) -> None:
        if self.alive:
            try:
                self.conn.send(raws)
            except OSError:  # BrokenPipeError: the process is gone
                self.alive = False

    def receive(self, count: int) -> list[Outcome]:
        if self.alive:
            try:
                outcomes: list[Outcome] = self.conn.recv()
                return outcomes
            except (EOFError, OSError):
                self.alive = False
        self.process.join(timeout=5)
        why = (
            f"its import process stopped (exit status {self.process.exitcode}); if it was received, the "
            "periodic sweep processes it; run the import again to be sure (a message already taken is "
            "dismissed as a duplicate by its Message-ID)"
        )
        return [Outcome(line=None, item=None, error=why)] * count


@dataclass
class _Round:
    """Consecutive messages of the file, split among the lanes."""

    size: int
    shares: dict[int, list[int]] = field(default_factory=dict)  # lane -> positions in the round


def import_in_lanes(
    messages: Iterable[bytes], *, recipient: str, lanes: int, batch_items: int
) -> Iterator[Outcome]:
    """Import `messages` in `lanes` processes; yields one outcome per message, in their order.
    Call outside any transaction: the lanes cannot see what an open one has not committed."""
    if connections["default"].in_atomic_block:
        raise RuntimeError("import_in_lanes needs committed data: it cannot run inside a transaction")
    # The processes are forked: none may share this process's database connection.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    workers: list[_Lane] = []
    for _ in range(lanes):
        ours, theirs = context.Pipe()
        process = context.Process(target=_lane_main, args=(theirs, recipient), daemon=True)
        process.start()
        theirs.close()
        workers.append(_Lane(process, ours))
    choose = LaneChooser(lanes)
    in_flight: deque[_Round] = deque()
    unreadable: Exception | None = None
    try:
        rounds = in_batches(messages, batch_items * lanes)
        while True:
            try:
                raws = next(rounds)
            except StopIteration:
                break
            except Exception as exc:  # the file cannot be read on; what was read came as a last round
                unreadable = exc
                break
            in_flight.append(_send_round(workers, choose, raws))
            # One round imported while the next is sent: a lane never waits for the parent.
            if len(in_flight) > 1:
                yield from _collect(workers, in_flight.popleft())
        while in_flight:
            yield from _collect(workers, in_flight.popleft())
        if unreadable is not None:
            raise unreadable
    finally:
        for worker in workers:
            worker.send(None)
        for worker in workers:
            worker.process.join(timeout=60)
            if worker.process.is_alive():
                worker.process.terminate()
            worker.conn.close()


def _send_round(workers: list[_Lane], choose: LaneChooser, raws: list[bytes]) -> _Round:
    round_ = _Round(size=len(raws))
    for position, raw in enumerate(raws):
        round_.shares.setdefault(choose(raw), []).append(position)
    for lane, positions in round_.shares.items():
        workers[lane].send([raws[position] for position in positions])
    return round_


def _collect(workers: list[_Lane], round_: _Round) -> list[Outcome]:
    ordered: list[Outcome | None] = [None] * round_.size
    for lane, positions in round_.shares.items():
        for position, outcome in zip(positions, workers[lane].receive(len(positions)), strict=True):
            ordered[position] = outcome
    return [outcome for outcome in ordered if outcome is not None]
