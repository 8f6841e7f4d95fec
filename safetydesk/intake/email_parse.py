"""An RFC 5322 message, as the team's mailboxes receive it, turned into a `Submission`.

`parse_message(raw)` is called by the pipeline after the raw message has been committed
(intake.pipeline.submission_of), so whatever it raises, the message is kept. It reads what a
person would want from a report:

- the sender (address and display name), subject, Message-ID, In-Reply-To and References, with
  RFC 2047 encoded words decoded in any charset Python knows;
- the body as text: text/plain preferred; HTML converted by intake.html_text when there is no
  plain text (flag "html_only"); nested multiparts walked; forwarded messages (message/rfc822)
  included with their own From/Date/Subject and attachments;
- attachments as bytes with their decoded filename and declared type. Nothing is decompressed
  or opened here: an archive stays the blob it came as; size caps are applied when they are
  stored (intake.attachments).

Broken input degrades instead of failing: an undecodable charset is decoded with replacement
characters ("bad_charset"), an unknown one is read as UTF-8 ("unknown_charset"), a header that
policy.default's parser chokes on is read with the compat32 rules ("parsed_compat32"), a body
over the cap is cut ("body_truncated"). Every header-like value has line breaks and control characters removed,
so nothing copied into a header later can inject one.

`MalformedMessage` is raised only when nothing usable is left (no header fields at all; no
sender, subject, text or attachment), when the message is over the size limit
(`MessageTooLarge`), or when the parser refuses the structure. The
pipeline then quarantines the item with its raw bytes kept.
"""

import base64
import codecs
import email.errors
import email.header
import email.utils
import functools
import logging
import quopri
import re
from dataclasses import dataclass, field
from email import policy as email_policy
from email.message import Message
from email.parser import BytesParser
from typing import Any

from django.conf import settings

from safetydesk.intake.html_text import html_to_text
from safetydesk.intake.submission import AttachmentData, Submission

logger = logging.getLogger("safetydesk.intake.email")

# Deeper nesting than this is not walked (the raw message is still kept); real mail rarely
# passes 10 levels, and the walk is recursive.
MAX_DEPTH = 40
MAX_SUBJECT_CHARS = 2000
MAX_NAME_CHARS = 500
MAX_ID_CHARS = 255
# The first References id (the thread's root) and the most recent ones are what threading needs.
MAX_REFERENCES = 50
MAX_FILENAME_CHARS = 255

_LINE_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_LINE_SEPARATORS = re.compile(r"\n|\r")  # as policy.default unfolds a stored header
_SURROGATES = re.compile(r"[\ud800-\udfff]")
# Body text keeps newlines and tabs; other C0 controls and DEL are removed.
_BODY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MSG_ID = re.compile(r"<[^<>\s]{1,250}>")
_ENCODED_WORD_CHARSET = re.compile(r"=\?([^?*\s]+)(?:\*[^?]*)?\?[qQbB]\?")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_LANGUAGE_TAG = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]{1,8})*$")
# The MIME structure is read with the compat32 Message API: the same lenient feed parser as
# policy.default, without building a header object for every structural header a walk touches
# (several times faster on real mail). Header values are decoded with policy.default's header
# objects (_modern_header), which handle RFC 2047 and RFC 2231 best, and with the compat32
# rules when those crash on a malformed field.
_PARSER = BytesParser(policy=email_policy.compat32)
# Charset names that mean "we do not know".
_UNKNOWN_CHARSETS = frozenset({"unknown-8bit", "x-unknown", "unknown", "x-user-defined", "8bit", "default"})


class MalformedMessage(ValueError):
    """Nothing usable could be read from the message; the pipeline quarantines it, raw kept."""


class MessageTooLarge(MalformedMessage):
    """Over settings.INTAKE_MAX_MESSAGE_BYTES: kept raw and quarantined, never parsed."""


@dataclass
class _Walk:
    """What the walk over the MIME tree collected, in reading order."""

    texts: list[str] = field(default_factory=list)
    plain_parts: int = 0
    html_parts: int = 0
    attachments: list[AttachmentData] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def parse_message(raw: bytes) -> Submission:
    """Read `raw` (RFC 5322 bytes) into a Submission; raise MalformedMessage if nothing is usable."""
    if len(raw) > settings.INTAKE_MAX_MESSAGE_BYTES:
        raise MessageTooLarge(
            f"too large: {len(raw)} bytes, over the limit of {settings.INTAKE_MAX_MESSAGE_BYTES}; kept raw, not parsed"
        )
    if not raw.strip():
        raise MalformedMessage("the message is empty")
    try:
        return _parse(raw)
    except MalformedMessage:
        raise
    except Exception as exc:  # e.g. RecursionError on absurd nesting: nothing we can read
        raise MalformedMessage(f"the parser refused the message: {type(exc).__name__}: {exc}"[:500]) from exc


def _parse(raw: bytes) -> Submission:
    message = _PARSER.parsebytes(raw)
    if not message.keys():
        raise MalformedMessage("no header fields: not an email message")
    flags: set[str] = set()

    sender, sender_name = _sender(message, flags)
    subject = _one_line(_header(message, "Subject", flags))[:MAX_SUBJECT_CHARS]
    # Identifiers, dates and language tags are ASCII by definition: read raw, not decoded.
    message_id = _first_id(_raw_header(message, "Message-ID"))
    in_reply_to = _first_id(_raw_header(message, "In-Reply-To"))
    references = _references(_raw_header(message, "References"))

    walk = _Walk()
    _walk(message, walk, depth=0)
    flags |= walk.flags
    if walk.html_parts and not walk.plain_parts:
        flags.add("html_only")
    body = _clean_body("\n\n".join(t.strip("\r\n") for t in walk.texts if t.strip()))
    if len(body) > settings.INTAKE_MAX_BODY_CHARS:
        body = body[: settings.INTAKE_MAX_BODY_CHARS]
        flags.add("body_truncated")
    if _is_automatic(message, sender):
        flags.add("auto_submitted")

    if not (sender or subject or body.strip() or walk.attachments):
        raise MalformedMessage("nothing usable: no sender, subject, text or attachment")

    meta: dict[str, Any] = {}
    language_hint = _language_hint(_raw_header(message, "Content-Language"))
    if language_hint:
        # A hint only: mail clients often send their own locale whatever the text's language,
        # so detection still decides the item's language (pipeline) and urgency rules run on it.
        meta["content_language"] = language_hint
    date = _one_line(_clean_text(_raw_header(message, "Date"), flags))[:100]
    if date:
        meta["date"] = date
    reply_to = _first_address(_clean_text(_raw_header(message, "Reply-To"), flags))
    if reply_to and reply_to != sender:
        meta["reply_to"] = reply_to

    return Submission(
        sender=sender,
        sender_name=sender_name,
        subject=subject,
        body=body,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
        attachments=tuple(walk.attachments),
        meta=meta,
        flags=tuple(sorted(flags)),
    )


# --- headers ----------------------------------------------------------------------------------


def _header(message: Message, name: str, flags: set[str]) -> str:
    """The decoded value of the first `name` field, or ""."""
    raw = _raw_header(message, name)
    if not raw:
        return ""
    try:
        value = _modern_header(name, raw)
        text = str(value)
        for defect in getattr(value, "defects", ()):
            if isinstance(defect, email.errors.CharsetError):
                flags.add("unknown_charset")
            elif isinstance(defect, email.errors.UndecodableBytesDefect):
                flags.add("bad_charset")
        _check_encoded_word_charsets(raw, flags)
        if "\ufffd" in text and "\ufffd" not in raw:
            flags.add("bad_charset")
        return _clean_text(text, flags)
    except Exception as exc:  # the modern header parser crashed on this field: read it the old way
        logger.debug("email: header %s unreadable with policy.default (%s)", name, type(exc).__name__)
        flags.add("parsed_compat32")
    return _decode_raw_header(raw, flags)


def _modern_header(name: str, raw: str) -> Any:
    """policy.default's header object (decoded, with .addresses, .params and .defects) for a raw
    value; the same thing `message[name]` returns when a message is parsed with policy.default."""
    return _header_class(name.lower())(name, "".join(_LINE_SEPARATORS.split(raw)))


@functools.cache
def _header_class(name: str) -> Any:
    # The registry builds a new class on every lookup; that was a third of the parse time.
    registry: Any = email_policy.default.header_factory  # a HeaderRegistry, typed as a callable
    return registry[name]


def _raw_header(message: Message, name: str) -> str:
    wanted = name.lower()
    for key, value in message.raw_items():
        if key.lower() == wanted:
            return str(value)
    return ""


def _decode_raw_header(raw: str, flags: set[str]) -> str:
    """compat32 reading: RFC 2047 words decoded one by one, 8-bit bytes read as UTF-8."""
    raw = re.sub(r"\r?\n", "", raw)
    if not raw:
        return ""
    raw = _recover_8bit(raw, flags)
    _check_encoded_word_charsets(raw, flags)
    try:
        chunks = email.header.decode_header(raw)
    except Exception:  # a broken encoded word: keep the text as it is
        return _clean_text(raw, flags)
    pieces = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            pieces.append(chunk)
        else:
            pieces.append(_decode_bytes(chunk, charset, flags))
    return _clean_text("".join(pieces), flags)


def _recover_8bit(text: str, flags: set[str]) -> str:
    """Raw 8-bit header bytes arrive as surrogate escapes: read them as UTF-8 (RFC 6532)."""
    if not _SURROGATES.search(text):
        return text
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # surrogates that are not escaped bytes
        flags.add("bad_charset")
        return _SURROGATES.sub("\ufffd", text)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        flags.add("bad_charset")
        return data.decode("utf-8", "replace")


def _check_encoded_word_charsets(raw: str, flags: set[str]) -> None:
    for charset in _ENCODED_WORD_CHARSET.findall(raw):
        if _codec(charset) is None:
            flags.add("unknown_charset")


def _sender(message: Message, flags: set[str]) -> tuple[str, str]:
    for name in ("From", "Sender", "Reply-To"):
        raw = re.sub(r"\r?\n", "", _raw_header(message, name))
        if not raw.strip():
            continue
        address, display = "", ""
        try:
            addresses = getattr(_modern_header(name, raw), "addresses", ())
            if addresses:
                address = addresses[0].addr_spec
                display = addresses[0].display_name
        except Exception:  # unparseable address list: fall back to parseaddr below
            address = ""
        if not address:
            display, address = email.utils.parseaddr(_header(message, name, flags))
        elif "=?" in raw:
            # The modern parser puts a space between adjacent encoded words of a display name
            # (RFC 2047 6.2 says to drop it); split the raw field, then decode the name alone.
            raw_display, raw_address = email.utils.parseaddr(raw)
            if raw_address and raw_display:
                display = _decode_raw_header(raw_display, flags)
        address = _one_line(_clean_text(address, flags)).replace(" ", "")
        display = _one_line(_clean_text(display, flags))[:MAX_NAME_CHARS]
        if address in {"<>", "@"}:
            address = ""
        if address or display:
            return address[:254], display
    return "", ""


def _first_address(value: str) -> str:
    _, address = email.utils.parseaddr(value)
    return _one_line(address).replace(" ", "")[:254]


def _first_id(value: str) -> str:
    value = _one_line(_SURROGATES.sub("\ufffd", value))
    match = _MSG_ID.search(value)
    if match:
        return match.group(0)
    bare = re.sub(r"[\s<>]", "", value)[: MAX_ID_CHARS - 2]
    return f"<{bare}>" if bare else ""


def _references(value: str) -> tuple[str, ...]:
    ids = list(dict.fromkeys(_MSG_ID.findall(_one_line(_SURROGATES.sub("\ufffd", value)))))
    if len(ids) > MAX_REFERENCES:
        ids = [ids[0], *ids[-(MAX_REFERENCES - 1) :]]
    return tuple(ids)


def _language_hint(value: str) -> str:
    first = value.split(",", 1)[0].strip()
    match = _LANGUAGE_TAG.match(first)
    return match.group(1).lower() if match else ""


def _is_automatic(message: Message, sender: str) -> bool:
    """Auto-replies, bounces and list traffic: they must never be answered (mail loops)."""
    raw = {key.lower(): str(value).strip().lower() for key, value in message.raw_items()}
    if raw.get("auto-submitted", "no") not in {"", "no"}:
        return True
    if raw.get("precedence") in {"bulk", "junk", "list", "auto_reply"}:
        return True
    if any(k in raw for k in ("x-autoreply", "x-autorespond", "x-auto-response-suppress")):
        return True
    if raw.get("return-path") == "<>":
        return True
    return sender.lower().startswith(("mailer-daemon@", "postmaster@"))


# --- the MIME tree ----------------------------------------------------------------------------


def _walk(part: Message, out: _Walk, *, depth: int) -> None:
    if depth > MAX_DEPTH:
        out.flags.add("too_deeply_nested")
        return
    content_type = part.get_content_type()
    if part.defects:
        out.flags.add("malformed_mime")
    payload = part.get_payload()
    if isinstance(payload, list):
        if content_type == "message/rfc822" and payload and isinstance(payload[0], Message):
            inner = _encoded_inner_message(part, payload[0]) or payload[0]
            _forwarded(inner, out, depth=depth)
        elif content_type == "multipart/alternative":
            _alternative([p for p in payload if isinstance(p, Message)], out, depth=depth)
        else:
            for child in payload:
                if isinstance(child, Message):
                    _walk(child, out, depth=depth + 1)
        return
    _leaf(part, content_type, out, depth=depth)


def _encoded_inner_message(part: Message, inner: Message) -> Message | None:
    """message/rfc822 must not be base64 or quoted-printable (RFC 2046 5.2.1), but some clients
    send it so; the parser then sees a message with no headers. Decode and parse it again."""
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    payload = inner.get_payload()
    if inner.keys() or encoding not in {"base64", "quoted-printable"} or not isinstance(payload, str):
        return None
    encoded = payload.encode("ascii", "surrogateescape")
    try:
        data = base64.b64decode(encoded) if encoding == "base64" else quopri.decodestring(encoded)
    except ValueError:
        return None
    decoded = _PARSER.parsebytes(data)
    return decoded if decoded.keys() else None


def _alternative(children: list[Message], out: _Walk, *, depth: int) -> None:
    """One version of the text (plain preferred); attachments from every version."""
    if not children:
        return
    chosen = max(children, key=_plain_score)  # max() keeps the first of equal scores
    for child in children:
        if child is chosen:
            _walk(child, out, depth=depth + 1)
        else:
            skipped = _Walk()
            _walk(child, skipped, depth=depth + 1)
            out.attachments.extend(skipped.attachments)
            out.flags |= skipped.flags - {"bad_charset", "unknown_charset"}


def _plain_score(part: Message) -> int:
    content_type = part.get_content_type()
    if content_type == "text/plain":
        return 3
    if part.is_multipart():
        types = _types_within(part, depth=0)
        if "text/plain" in types:
            return 2
        if "text/html" in types:
            return 1
    return 1 if content_type == "text/html" else 0


def _types_within(part: Message, *, depth: int) -> set[str]:
    types = {part.get_content_type()}
    payload = part.get_payload()
    if isinstance(payload, list) and depth < MAX_DEPTH:
        for child in payload:
            if isinstance(child, Message):
                types |= _types_within(child, depth=depth + 1)
    return types


def _forwarded(inner: Message, out: _Walk, *, depth: int) -> None:
    flags = out.flags
    lines = ["---------- Forwarded message ----------"]
    for name in ("From", "Date", "Subject", "To"):
        value = _one_line(_header(inner, name, flags))
        if value:
            lines.append(f"{name}: {value}")
    out.texts.append("\n".join(lines))
    _walk(inner, out, depth=depth + 1)


def _leaf(part: Message, content_type: str, out: _Walk, *, depth: int) -> None:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        data = b""
    disposition = part.get_content_disposition()
    filename = _filename(part, out.flags)
    is_body = disposition != "attachment" and not filename

    if content_type == "message/rfc822" and data.strip():
        # A forwarded message the parser did not open (e.g. sent base64-encoded).
        inner = _PARSER.parsebytes(data)
        if inner.keys():
            _forwarded(inner, out, depth=depth)
            return
    if is_body and content_type == "text/plain":
        out.texts.append(_decode_bytes(data, _charset(part), out.flags))
        out.plain_parts += 1
        return
    if is_body and content_type == "text/html":
        charset = _charset(part) or _html_meta_charset(data)
        out.texts.append(html_to_text(_decode_bytes(data, charset, out.flags)))
        out.html_parts += 1
        return
    if is_body and part.get_content_maintype() == "multipart":
        # A multipart whose boundary never appeared: the parser left it as text.
        out.flags.add("malformed_mime")
        out.texts.append(_decode_bytes(data, _charset(part), out.flags))
        out.plain_parts += 1
        return
    if not data and not filename and disposition != "attachment":
        return  # an empty inline part carries nothing
    out.attachments.append(AttachmentData(filename=filename, declared_type=content_type[:127], content=data))


def _filename(part: Message, flags: set[str]) -> str:
    name = ""
    if "name" not in (_raw_header(part, "Content-Disposition") + _raw_header(part, "Content-Type")).lower():
        return ""  # most parts have none: spare them the header parser
    # The modern header objects unquote exactly (get_filename() also strips <…>) and decode
    # RFC 2231 continuations and charsets.
    try:
        for header, param in (("Content-Disposition", "filename"), ("Content-Type", "name")):
            raw = _raw_header(part, header)
            params = (getattr(_modern_header(header, raw), "params", None) or {}) if raw else {}
            if params.get(param):
                name = str(params[param])
                break
    except Exception:  # a parameter the modern parser cannot read: try get_filename()
        name = ""
    if not name:
        try:
            name = part.get_filename() or ""
        except Exception:  # a parameter nobody can read: no name rather than no attachment
            name = ""
    if "=?" in name:  # RFC 2047 inside a parameter: not standard, but Outlook and others do it
        name = _decode_raw_header(name, flags)
    name = _clean_text(str(name), flags)
    name = re.split(r"[/\\]", name)[-1]  # never a path
    return _one_line(name)[:MAX_FILENAME_CHARS]


def _charset(part: Message) -> str:
    try:
        charset = part.get_content_charset() or ""
    except Exception:
        return ""
    return str(charset).strip().strip("\"'")


def _html_meta_charset(data: bytes) -> str:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else ""


# --- text -------------------------------------------------------------------------------------


def _codec(charset: str | None) -> str | None:
    """The Python codec for a MIME charset name, or None when unknown (or not a text codec)."""
    if not charset:
        return None
    name = charset.strip().lower()
    if name in _UNKNOWN_CHARSETS:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    # bytes.decode refuses binary codecs (base64_codec, zlib_codec, …) with LookupError; rule
    # them out here so that no charset name can make us decompress or transform bytes.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _decode_bytes(data: bytes, charset: str | None, flags: set[str]) -> str:
    """Text in its declared charset; UTF-8 when none or unknown; replacement chars if invalid."""
    codec = _codec(charset)
    if charset and codec is None and charset.strip().lower() not in {"unknown-8bit", "x-unknown"}:
        flags.add("unknown_charset")
    if codec is not None:
        try:
            return data.decode(codec)
        except UnicodeError:
            flags.add("bad_charset")
            try:
                return data.decode(codec, "replace")
            except Exception:  # a codec that cannot even replace: read as UTF-8 below
                logger.debug("email: codec %s failed with replacement", codec)
        except Exception:  # some codecs raise other errors on bad input
            flags.add("bad_charset")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        flags.add("bad_charset")
        return data.decode("utf-8", "replace")


def _clean_text(text: str, flags: set[str]) -> str:
    """No lone surrogates (they cannot be stored as UTF-8): replaced, and flagged."""
    if _SURROGATES.search(text):
        text = _recover_8bit(text, flags)
        if _SURROGATES.search(text):
            flags.add("bad_charset")
            text = _SURROGATES.sub("\ufffd", text)
    return text


def _one_line(text: str) -> str:
    """For anything that may end up in a header: no CR, LF or other control characters."""
    return " ".join(_LINE_BREAKS_AND_CONTROLS.sub(" ", text).split())


def _clean_body(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATES.sub("\ufffd", text)
    return _BODY_CONTROLS.sub("", text).strip()
