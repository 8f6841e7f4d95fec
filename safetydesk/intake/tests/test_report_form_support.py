"""Shared by the test_report_form_* files: a filled-in form, a form token of a given age, and
real image bytes. (No tests here.)"""

import struct
import time
import zlib
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safetydesk.intake.forms import issue_form_token

REPORT_URL = "/report/"


def aged_token(seconds: float = 60) -> str:
    """A form token as if the page had been shown `seconds` ago."""
    with time_machine.travel(time.time() - seconds, tick=False):
        return issue_form_token()


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "category": "intimidation",
        "body": "An account keeps reverting my edits and calling me names on my talk page.",
        "where": "https://en.wikipedia.org/w/index.php?diff=1234567&oldid=1234560",
        "who": "Example troublemaker",
        "name": "",
        "email": "",
        "website": "",
        "started": aged_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_report(client: Client, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(reverse("intake:report"), data, **extra)


def png_bytes(width: int = 3, height: int = 2) -> bytes:
    """A valid PNG (red pixels), built by hand so the tests need no imaging library."""

    def chunk(tag: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + tag + payload + struct.pack(">I", zlib.crc32(tag + payload))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def gif_bytes() -> bytes:
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
        b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def screenshot(
    name: str = "screenshot.png", content: bytes | None = None, content_type: str = "image/png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type=content_type)
