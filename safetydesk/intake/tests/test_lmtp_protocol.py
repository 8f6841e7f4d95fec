"""The LMTP listener speaks RFC 2033: a reply per recipient, 250 only after the commit.

The listener runs for real on a loopback port in a thread; the commit itself is replaced here
(so these tests need no database) — test_lmtp_delivery.py runs the whole thing end to end.
"""

import asyncio
import faulthandler
import re
import smtplib
import sys
import tempfile
import threading
import time
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.test import SimpleTestCase

from safetydesk.intake import lmtp
from safetydesk.intake.mailbox_import import NotReceived

MESSAGE = b"From: r@example.net\r\nSubject: hello\r\nMessage-ID: <lmtp-proto@example.net>\r\n\r\nline\r\n.dot\r\n"


class RunningListener:
    """An LMTPListener on 127.0.0.1:<free port> (or a Unix socket), in an event loop of its own thread."""

    def __init__(self, address: tuple[str, int] | str = ("127.0.0.1", 0), **kwargs: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.listener = lmtp.LMTPListener(address, **kwargs)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def run(self, coroutine: Any, timeout: float = 30) -> Any:
        try:
            return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)
        except TimeoutError:
            # Seen twice under heavy load on CI, never alone: say where every thread stood.
            faulthandler.dump_traceback(all_threads=True)
            pending = [(f, f.done()) for f in self.listener.handler.pending]
            receiving = [(t, t.done()) for t in self.listener.handler.receiving]
            sys.stderr.write(f"LMTP handler at timeout: pending={pending} receiving={receiving}\n")
            raise

    def __enter__(self) -> "RunningListener":
        self.thread.start()
        self.run(self.listener.start())
        bound = self.listener.bound
        self.port = 0 if bound.startswith("unix:") else int(bound.rsplit(":", 1)[1])
        return self

    def __exit__(self, *exc: object) -> None:
        self.run(self.listener.stop(grace=10))
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def deliver(
    port: int | str, recipients: list[str], message: bytes, *, size: int | None = None
) -> list[tuple[int, bytes]]:
    """Send one message over LMTP (to a loopback port, or a Unix socket path); return the reply
    to each recipient after DATA (smtplib's sendmail reads only one, so they are read here)."""
    client = smtplib.LMTP(timeout=30)  # a missing reply fails the test instead of hanging it
    if isinstance(port, str):
        client.connect(port)  # smtplib.LMTP takes a path starting with / as a Unix socket
    else:
        client.connect("127.0.0.1", port)
    try:
        client.ehlo()  # LHLO
        code, reply = client.mail("sender@example.net", [f"SIZE={size}"] if size else [])
        if code != 250:
            return [(code, reply)]
        for recipient in recipients:
            code, reply = client.rcpt(recipient)
            assert code == 250, reply
        code, reply = client.docmd("DATA")
        assert code == 354, reply
        data = re.sub(rb"(?m)^\.", b"..", message.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
        client.send(data + (b"" if data.endswith(b"\r\n") else b"\r\n") + b".\r\n")
        return [client.getreply() for _ in recipients]
    finally:
        client.close()


class LMTPProtocolTests(SimpleTestCase):
    def setUp(self) -> None:
        self.committed: list[tuple[bytes, str]] = []
        self.processed: list[int] = []

    def fake_receive(self, raw: bytes, recipient: str) -> SimpleNamespace:
        if recipient.startswith("broken"):
            raise NotReceived("OperationalError: database is locked")
        self.committed.append((raw, recipient))
        return SimpleNamespace(pk=len(self.committed))

    def patched(self) -> Any:
        return mock.patch.multiple(
            lmtp, _receive_in_thread=self.fake_receive, _process_in_thread=self.processed.append
        )

    def test_it_answers_each_recipient_after_its_commit_and_then_processes(self) -> None:
        with self.patched(), RunningListener() as server:
            replies = deliver(server.port, ["ca@example.org", "emergency@example.org"], MESSAGE)
            server.run(server.listener.handler.drain())
        assert [code for code, _ in replies] == [250, 250]
        assert replies[0][1] == b"2.0.0 Taken as intake item 1"
        assert [recipient for _, recipient in self.committed] == ["ca@example.org", "emergency@example.org"]
        # The message as sent, dot-unstuffed; one commit per recipient; each then processed.
        assert self.committed[0][0] == MESSAGE
        assert self.processed == [1, 2]

    def test_it_answers_451_for_a_recipient_whose_commit_failed(self) -> None:
        with self.patched(), RunningListener() as server:
            replies = deliver(server.port, ["ca@example.org", "broken@example.org", "legal@example.org"], MESSAGE)
            server.run(server.listener.handler.drain())
        assert [code for code, _ in replies] == [250, 451, 250]
        assert replies[1][1].startswith(b"4.3.0 ")
        assert self.processed == [1, 2]  # the failed one is neither committed nor processed

    def test_it_accepts_addresses_that_are_not_in_the_registry(self) -> None:
        with self.patched(), RunningListener() as server:
            replies = deliver(server.port, ["press@example.com"], MESSAGE)
        assert replies[0][0] == 250
        assert self.committed[0][1] == "press@example.com"

    def test_it_refuses_an_oversized_message_at_mail_from_when_size_is_declared(self) -> None:
        with self.patched(), RunningListener(max_message_bytes=1000) as server:
            replies = deliver(server.port, ["ca@example.org"], MESSAGE, size=5000)
        assert replies[0][0] == 552
        assert self.committed == []

    def test_it_refuses_an_oversized_message_after_data_once_per_recipient(self) -> None:
        big = MESSAGE + b"x" * 70 + b"\r\n"
        big = big * 30
        with self.patched(), RunningListener(max_message_bytes=1000) as server:
            replies = deliver(server.port, ["ca@example.org", "emergency@example.org"], big)
            # The session is still in step: another message on a new connection is fine.
            after = deliver(server.port, ["ca@example.org"], MESSAGE)
        assert [code for code, _ in replies] == [552, 552]
        assert replies[0][1].startswith(b"5.3.4 ")
        assert [code for code, _ in after] == [250]
        assert [raw for raw, _ in self.committed] == [MESSAGE]

    def test_it_accepts_lines_longer_than_rfc_5321_allows(self) -> None:
        long_line = MESSAGE + b"y" * 5000 + b"\r\n"
        with self.patched(), RunningListener() as server:
            replies = deliver(server.port, ["ca@example.org"], long_line)
        assert replies[0][0] == 250
        assert self.committed[0][0] == long_line

    def test_it_limits_the_number_of_recipients(self) -> None:
        with self.patched(), RunningListener() as server:
            client = smtplib.LMTP(timeout=30)  # a missing reply fails the test instead of hanging it
            client.connect("127.0.0.1", server.port)
            client.ehlo()
            client.mail("sender@example.net")
            codes = [client.rcpt(f"r{i}@example.org")[0] for i in range(lmtp.MAX_RECIPIENTS + 1)]
            client.close()
        assert codes[:-1] == [250] * lmtp.MAX_RECIPIENTS
        assert codes[-1] == 452

    def test_its_stop_waits_for_a_message_in_hand(self) -> None:
        def slow_receive(raw: bytes, recipient: str) -> SimpleNamespace:
            time.sleep(0.5)
            return self.fake_receive(raw, recipient)

        replies: list[tuple[int, bytes]] = []
        with mock.patch.multiple(lmtp, _receive_in_thread=slow_receive, _process_in_thread=self.processed.append):
            server = RunningListener().__enter__()
            sender = threading.Thread(target=lambda: replies.extend(deliver(server.port, ["ca@example.org"], MESSAGE)))
            sender.start()
            deadline = time.monotonic() + 5
            while not server.listener.handler.receiving and time.monotonic() < deadline:
                time.sleep(0.01)
            assert server.listener.handler.receiving, "the message never reached the handler"
            server.__exit__(None, None, None)  # stop while the commit is in hand
            sender.join(10)
        assert [code for code, _ in replies] == [250]
        assert self.processed == [1]

    def test_it_listens_on_a_unix_socket(self) -> None:
        with tempfile.TemporaryDirectory() as directory, self.patched():
            path = f"{directory}/lmtp.sock"
            with RunningListener(path) as server:
                assert server.listener.bound == f"unix:{path}"
                replies = deliver(path, ["ca@example.org"], MESSAGE)
        assert replies[0][0] == 250
        assert self.committed[0][1] == "ca@example.org"

    def test_it_parses_listen_addresses(self) -> None:
        assert lmtp.parse_address("127.0.0.1:2424") == ("127.0.0.1", 2424)
        assert lmtp.parse_address("[::1]:24") == ("::1", 24)
        assert lmtp.parse_address("unix:/run/sd/lmtp.sock") == "/run/sd/lmtp.sock"
        for bad in ("2424", "host:", ":25", "host:port"):
            with self.subTest(bad=bad), pytest.raises(ValueError, match="HOST:PORT"):
                lmtp.parse_address(bad)
