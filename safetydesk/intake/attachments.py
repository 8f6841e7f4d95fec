"""Attachments: stored once per content, encrypted at rest, named by the SHA-256 of the content.

The type is sniffed from the bytes (the declared type is kept beside it, never trusted), and
files over the size cap are not kept: their hash and size are recorded with the reason, so the
item still says what came. Nothing is ever served inline from the app's origin.
"""

import hashlib
from pathlib import Path

import filetype
from django.conf import settings

from safetydesk.intake.models import Attachment, IntakeItem
from safetydesk.intake.submission import AttachmentData
from safetydesk.lib.crypto import fernet


def attachment_path(sha256: str) -> Path:
    return Path(settings.ATTACHMENT_ROOT) / sha256[:2] / sha256


def sniff(content: bytes) -> str:
    kind = filetype.guess(content[:8192])
    if kind is not None:
        return str(kind.mime)
    try:
        content[:8192].decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def store_attachment(item: IntakeItem, data: AttachmentData) -> Attachment:
    content = data.content
    digest = hashlib.sha256(content).hexdigest()
    refused = ""
    if len(content) > settings.INTAKE_MAX_ATTACHMENT_BYTES:
        refused = f"larger than {settings.INTAKE_MAX_ATTACHMENT_BYTES} bytes; not kept"
    else:
        path = attachment_path(digest)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(fernet().encrypt(content))
            tmp.replace(path)  # atomic: a reader never sees half a file
    return Attachment.objects.create(
        item=item,
        sha256=digest,
        filename=data.filename[:255],
        declared_type=data.declared_type[:127],
        sniffed_type=sniff(content),
        size=len(content),
        refused=refused,
    )


def read_attachment(attachment: Attachment) -> bytes:
    """The decrypted content (for download by authorised staff, as an attachment, never inline)."""
    return fernet().decrypt(attachment_path(attachment.sha256).read_bytes())
