"""What the on-call tests share: personas with a rota, emergency cases, and an HTTP receiver for
webhooks on 127.0.0.1 (the SMTP sink is safetydesk.lib.testing's)."""

import datetime as dt
import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.test import override_settings

from safetydesk.accounts.roles import Role
from safetydesk.cases.actions import do_create_case
from safetydesk.cases.models import Case, CaseKind, Priority
from safetydesk.lib.testing import PersonaTestCase, make_staff
from safetydesk.oncall.actions import do_add_shift
from safetydesk.oncall.models import Level, Shift
from safetydesk.oncall.paging import open_pages_for_case


@dataclass
class WebhookReceiver:
    """An HTTP server on 127.0.0.1 in a thread. `script` is the answers to give, in order
    (a status code, or "hang" to sleep past the client's timeout); then 200."""

    script: list[Any] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    hang_seconds: float = 3.0

    def __post_init__(self) -> None:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append((dict(self.headers.items()), body))
                answer = receiver.script.pop(0) if receiver.script else 200
                if answer == "hang":
                    time.sleep(receiver.hang_seconds)
                    answer = 200
                self.send_response(answer)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "WebhookReceiver":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _headers, body in self.received]


def webhook_settings(url: str, **more: Any) -> Any:
    return override_settings(
        ONCALL_WEBHOOK_URLS=[url],
        ONCALL_WEBHOOK_SECRET="test-webhook-secret",
        ONCALL_WEBHOOK_TIMEOUT_SECONDS=1,
        **more,
    )


class OncallTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # A second on-call responder, in Tokyo: the secondary level.
        cls.oncall2 = make_staff("kai", Role.ONCALL, display_name="Kai Oncall", time_zone="Asia/Tokyo")
        # A responder who works from New York.
        cls.oncall_ny = make_staff("nia", Role.ONCALL, display_name="Nia Oncall", time_zone="America/New_York")

    def shift(self, user: Any, start: dt.datetime, end: dt.datetime, level: int = Level.PRIMARY, **kw: Any) -> Shift:
        return do_add_shift(acting_user=self.manager, user=user, level=level, starts_at=start, ends_at=end, **kw)

    def emergency(self, title: str = "Threat to a school") -> Case:
        """An emergency case paged as the emergency workflow does: inside its creating transaction."""
        with self.captureOnCommitCallbacks(execute=True):
            case = do_create_case(
                acting_user=None,
                title=title,
                kind=CaseKind.EMERGENCY,
                priority=Priority.P0,
                summary="I'm going to hurt people at the school tomorrow",
            )
            open_pages_for_case(case)  # a no-op if the emergency workflow's on_create already paged
        return case
