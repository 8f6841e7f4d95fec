"""What DMCA tests start from: a file on a wiki of the farm, and a notice mailed to the legal
address, taken through intake like any mail."""

import struct
import zlib
from typing import Any

from safetydesk.cases.models import Case, CaseKind
from safetydesk.intake.tests.helpers import IntakeMixin, email_bytes
from safetydesk.legal.models import CounterElement, NoticeElement

LEGAL_ADDRESS = "legal@example.org"


def png(width: int = 2, height: int = 2, seed: int = 0) -> bytes:
    """A small valid PNG (a different picture for each seed, so uploads are never duplicates)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes((seed + x + y) % 256 for x in range(width * 3)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def notice_text(url: str) -> str:
    return (
        "DMCA takedown notice under 17 U.S.C. § 512(c).\n\n"
        f"The photograph at {url} infringes the copyright of Harbour Pictures Ltd, which owns the "
        "copyrighted work \"Harbour at dusk\" (original: https://harbourpictures.example/dusk).\n"
        "I have a good faith belief that the use is not authorized by the copyright owner, its agent, or the law.\n"
        "The information in this notice is accurate, and under penalty of perjury, I am authorized to act on "
        "behalf of the owner of an exclusive right that is allegedly infringed.\n\n"
        "Hana Holder, Harbour Pictures Ltd, 1 Quay Street, Portsmouth, +44 20 7946 0000\n/s/ Hana Holder"
    )


def mailed_notice(test: IntakeMixin, url: str, *, n: int = 1) -> Case:
    raw = email_bytes(
        sender="Hana Holder <hana@harbourpictures.example>", to=LEGAL_ADDRESS, subject="DMCA takedown notice",
        body=notice_text(url), message_id=f"<dmca{n}@harbourpictures.example>",
    )  # fmt: skip
    item = test.email(raw, to=LEGAL_ADDRESS)
    assert item.case is not None
    case = item.case
    assert case.kind == CaseKind.DMCA, case.kind
    return case


def all_present(known: type[NoticeElement] | type[CounterElement], *, but: tuple[str, ...] = ()) -> dict[str, Any]:
    return {key: {"present": key not in but, "evidence": f"paragraph {n}"} for n, key in enumerate(known.values, 1)}
