"""Letters of the legal workflows (issue 7 part 6): each is a notify template the administrators
edit per language; sending one queues the email (notify) and keeps the letter on the case as a
PDF of the same text, rendered after commit by Debian's Chromium (every script prints)."""

import hashlib
import html
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from safetydesk.cases.models import Case
from safetydesk.legal.models import Letter
from safetydesk.notify.actions import do_queue_notice

CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--no-pdf-header-footer", "--no-first-run")  # fmt: skip


def send_letter(*, case: Case, key: str, recipient: str, language: str, context: dict[str, Any],
                acting_user: Any = None) -> Letter:  # fmt: skip
    """Queue the letter's email and keep the letter on the case; its PDF follows after commit."""
    notice = do_queue_notice(case=case, item=None, recipient=recipient, key=key, language=language or "en",
                             context=context, acting_user=acting_user)  # fmt: skip
    letter = Letter.objects.create(case=case, notice=notice)
    transaction.on_commit(lambda: _render_later(letter.pk))
    return letter


def _render_later(letter_id: int) -> None:
    from safetydesk.legal.tasks import render_letter_pdf

    render_letter_pdf.enqueue(letter_id)


def letter_html(letter: Letter) -> str:
    notice = letter.notice
    paragraphs = "".join(f"<p>{html.escape(block).replace(chr(10), '<br>')}</p>" for block in notice.body.split("\n\n"))
    return (
        f'<!doctype html><html lang="{html.escape(notice.language)}" dir="auto"><meta charset="utf-8">'
        "<style>body{font:11pt/1.45 sans-serif;margin:2.5cm}h1{font-size:13pt}"
        ".ref{color:#555;font-size:9pt}</style>"
        f'<p class="ref">{html.escape(letter.case.reference)} · {notice.created_at:%Y-%m-%d}</p>'
        f"<h1>{html.escape(notice.subject)}</h1>{paragraphs}</html>"
    )


def render_pdf(letter: Letter) -> bytes:
    """The letter as a PDF, printed by Chromium from plain HTML (no network, no scripts)."""
    with tempfile.TemporaryDirectory() as work:
        source, target = Path(work) / "letter.html", Path(work) / "letter.pdf"
        source.write_text(letter_html(letter), encoding="utf-8")
        subprocess.run(  # noqa: S603 (Chromium with our own arguments)
            [settings.CHROMIUM_PATH, *CHROMIUM_ARGS, f"--user-data-dir={work}/profile",
             f"--print-to-pdf={target}", source.as_uri()],
            capture_output=True, timeout=120, check=True,
        )  # fmt: skip
        return target.read_bytes()


def store_pdf(letter: Letter) -> Letter:
    pdf = render_pdf(letter)
    letter.pdf, letter.pdf_sha256 = pdf, hashlib.sha256(pdf).hexdigest()
    letter.save(update_fields=["pdf", "pdf_sha256"])
    return letter
