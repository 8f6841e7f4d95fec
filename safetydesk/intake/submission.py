"""The normalised form every channel turns its input into before the pipeline sees it."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AttachmentData:
    filename: str
    declared_type: str
    content: bytes


@dataclass(frozen=True)
class Submission:
    """One report as a channel understood it. Email is parsed into this from the raw message;
    the form and the API build it from their fields."""

    sender: str = ""  # an email address or a wiki username, as given
    sender_name: str = ""
    subject: str = ""
    body: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    # Chosen by the reporter (the form's language); detection is used when empty.
    language: str = ""
    # What to detect the language from when it is not chosen, if not the subject and body: the
    # API appends labelled facts in English, which would pull a short report towards English.
    language_sample: str = ""
    attachments: tuple[AttachmentData, ...] = ()
    # Channel-specific facts kept on the item's classification and copied to the case:
    # category, permalink, reported user, DSA notice fields, ReportIncident payload, …
    meta: dict[str, Any] = field(default_factory=dict)
    # A kind and priority the channel already knows (ReportIncident's emergency type).
    kind: str = ""
    priority: str = ""
    flags: tuple[str, ...] = ()
