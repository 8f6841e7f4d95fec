"""Property tests: parse_message on any bytes, and on any well-formed message."""

import contextlib
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, default

from django.test import SimpleTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetydesk.intake.email_parse import MalformedMessage, parse_message

# Text a person could type: no control characters, surrogates or Unicode line separators
# (headers must be one line; the body keeps \n and is generated with it below).
typed_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
    max_size=300,
)
body_text = st.lists(typed_text, max_size=8).map("\n".join)
header_block = st.sampled_from([
    b"From: a@example.org\n",
    b"Subject: s\nContent-Type: multipart/mixed; boundary=x\n",
    b"Content-Type: text/html; charset=shift_jis\nContent-Transfer-Encoding: base64\n",
    b"Content-Type: message/rfc822\n",
    b"Content-Type: multipart/alternative; boundary=\"=?\"\nSubject: =?utf-8?b?\n",
    b"From: =?x?q?=FF?= <@>\nTo: <<>>\nMessage-ID: <<a>\nReferences: <\n",
])


def one_line(text: str) -> str:
    return " ".join(text.split())


class ArbitraryBytesTests(SimpleTestCase):
    @given(st.binary(max_size=4000))
    @settings(max_examples=500, deadline=None)
    def test_it_raises_nothing_but_malformed_message_on_any_bytes(self, raw: bytes) -> None:
        try:
            submission = parse_message(raw)
        except MalformedMessage:
            return
        one_line_fields = (
            submission.subject, submission.sender, submission.sender_name, submission.message_id,
            submission.in_reply_to, *submission.references,
            *(a.filename for a in submission.attachments),
        )
        for value in one_line_fields:
            assert "\n" not in value
            assert "\r" not in value
        for value in (*one_line_fields, submission.body, *map(str, submission.meta.values())):
            value.encode("utf-8")  # storable: no lone surrogates

    @given(header_block, st.binary(max_size=4000))
    @settings(max_examples=500, deadline=None)
    def test_it_raises_nothing_but_malformed_message_on_broken_mime(self, headers: bytes, rest: bytes) -> None:
        with contextlib.suppress(MalformedMessage):
            parse_message(headers + rest)

    @given(st.binary(max_size=4000))
    @settings(max_examples=300, deadline=None)
    def test_it_always_reads_a_message_with_a_subject_whatever_the_body(self, body: bytes) -> None:
        submission = parse_message(b"Subject: kept\nFrom: r@example.org\n\n" + body)
        assert submission.subject == "kept"
        assert submission.sender == "r@example.org"


@st.composite
def messages(draw: st.DrawFn) -> tuple[EmailMessage, dict[str, object]]:
    subject = draw(typed_text)
    body = draw(body_text)
    name = draw(typed_text)
    message = EmailMessage(policy=default)
    message["From"] = Address(display_name=name, username="reporter", domain="example.org")
    message["To"] = "ca@example.org"
    message["Subject"] = subject
    message["Message-ID"] = "<prop-1@example.org>"
    message.set_content(body, cte=draw(st.sampled_from(["8bit", "base64", "quoted-printable"])))
    html = draw(st.booleans())
    if html:
        message.add_alternative(f"<p>HTML ALTERNATIVE {draw(st.integers(0, 9))}</p>", subtype="html")
    attachments = draw(st.lists(st.tuples(typed_text, st.binary(max_size=500)), max_size=3))
    for filename, content in attachments:
        message.add_attachment(content, maintype="application", subtype="octet-stream", filename=filename)
    return message, {"subject": subject, "body": body, "name": name, "attachments": attachments}


class WellFormedRoundTripTests(SimpleTestCase):
    @given(messages(), st.sampled_from([default, SMTP]))
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_it_round_trips_subject_body_sender_and_attachments(self, generated: tuple, policy: object) -> None:
        message, expected = generated
        submission = parse_message(message.as_bytes(policy=policy))

        assert submission.subject == one_line(expected["subject"])
        assert submission.sender == "reporter@example.org"
        # CPython's folder may put a display name's space into the gap between two encoded
        # words, where RFC 2047 6.2 says whitespace is not content; compare without spaces.
        assert submission.sender_name.replace(" ", "") == one_line(expected["name"]).replace(" ", "")
        assert submission.message_id == "<prop-1@example.org>"
        # set_content stores lines; trailing space on a line may be dropped, nothing else.
        assert [line.rstrip() for line in submission.body.split("\n")] == [
            line.rstrip() for line in expected["body"].strip().split("\n")
        ] or submission.body == expected["body"].strip()
        assert "HTML ALTERNATIVE" not in submission.body
        # Filenames lose any path (a / or \\ and what precedes it).
        assert [(a.filename, a.content) for a in submission.attachments] == [
            (one_line(filename.replace("\\", "/").rsplit("/", 1)[-1]), content)
            for filename, content in expected["attachments"]
        ]


# Any MIME tree: text leaves in several charsets and encodings, binary leaves, multiparts of
# every common subtype, and forwarded messages, nested.
charsets = st.sampled_from(["utf-8", "iso-8859-1", "shift_jis", "koi8-r", "big5", "gb2312"])


@st.composite
def text_leaf(draw: st.DrawFn) -> EmailMessage:
    part = EmailMessage(policy=default)
    charset = draw(charsets)
    text = draw(typed_text).encode(charset, "ignore").decode(charset)
    part.set_content(text, subtype=draw(st.sampled_from(["plain", "html"])), charset=charset,
                     cte=draw(st.sampled_from(["base64", "quoted-printable"])))
    return part


@st.composite
def binary_leaf(draw: st.DrawFn) -> EmailMessage:
    part = EmailMessage(policy=default)
    part.set_content(draw(st.binary(min_size=1, max_size=300)), maintype="application", subtype="octet-stream",
                     disposition="attachment", filename=draw(st.sampled_from(["a.bin", "b.zip", "c.pdf"])))
    return part


def multipart_of(children: st.SearchStrategy[list[EmailMessage]]) -> st.SearchStrategy[EmailMessage]:
    @st.composite
    def build(draw: st.DrawFn) -> EmailMessage:
        part = EmailMessage(policy=default)
        part.make_mixed()
        part.set_type(f"multipart/{draw(st.sampled_from(['mixed', 'alternative', 'related', 'signed']))}")
        for child in draw(children):
            part.attach(child)
        return part

    return build()


def forwarded(inner: st.SearchStrategy[EmailMessage]) -> st.SearchStrategy[EmailMessage]:
    def wrap(message: EmailMessage) -> EmailMessage:
        part = EmailMessage(policy=default)
        message["Subject"] = "inner"
        part.set_content(message)
        return part

    return inner.map(wrap)


mime_trees = st.recursive(
    st.one_of(text_leaf(), binary_leaf()),
    lambda children: st.one_of(multipart_of(st.lists(children, min_size=1, max_size=4)), forwarded(children)),
    max_leaves=12,
)


def binary_contents(part: EmailMessage) -> list[bytes]:
    contents = [p.get_payload(decode=True) for p in part.walk() if p.get_content_type() == "application/octet-stream"]
    return [c for c in contents if isinstance(c, bytes)]


class MimeTreeTests(SimpleTestCase):
    @given(mime_trees)
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def test_it_reads_any_mime_tree_and_keeps_every_attachment(self, tree: EmailMessage) -> None:
        tree["From"] = "tree@example.org"
        tree["Subject"] = "tree"
        submission = parse_message(tree.as_bytes())
        assert submission.subject == "tree"
        kept = [a.content for a in submission.attachments]
        for content in binary_contents(tree):
            assert content in kept
        submission.body.encode("utf-8")
