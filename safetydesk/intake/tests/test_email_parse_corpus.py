"""parse_message over the crafted corpus: what each kind of real-world mail becomes."""

from pathlib import Path

from django.test import SimpleTestCase, override_settings

from safetydesk.intake.email_parse import MalformedMessage, MessageTooLarge, parse_message
from safetydesk.intake.submission import Submission

CORPUS = Path(__file__).with_name("corpus")


def parse(name: str) -> Submission:
    return parse_message((CORPUS / name).read_bytes())


class StructureTests(SimpleTestCase):
    def test_it_prefers_the_plain_text_of_an_alternative(self) -> None:
        s = parse("multipart_alternative.eml")
        assert s.sender == "ana@example.net"
        assert s.sender_name == "Ana Reporter"
        assert s.subject == "Harassment on my talk page"
        assert s.message_id == "<alt-1@example.net>"
        assert s.body.startswith("User Example keeps posting insults on my talk page.")
        assert "HTML VERSION ONLY" not in s.body
        assert "html_only" not in s.flags

    def test_it_walks_nested_multiparts_and_keeps_images_of_the_unchosen_html(self) -> None:
        s = parse("nested_mixed_related.eml")
        assert s.body == "Plain text of the nested message."
        assert [(a.filename, a.declared_type) for a in s.attachments] == [
            ("", "image/png"),
            ("report.pdf", "application/pdf"),
        ]
        assert s.attachments[0].content.startswith(b"\x89PNG")
        assert s.attachments[1].content.startswith(b"%PDF-1.4")

    def test_it_includes_a_forwarded_message_with_its_headers_and_attachments(self) -> None:
        for name in ("forwarded_rfc822.eml", "forwarded_rfc822_base64.eml"):
            with self.subTest(name=name):
                s = parse(name)
                assert "---------- Forwarded message ----------" in s.body
                assert "From: Mallory <mallory@example.com>" in s.body
                assert "Subject: You will regret this" in s.body
                assert "Text of the forwarded message." in s.body
                assert [a.filename for a in s.attachments] == ["inner.png"]
                assert s.sender == "ana@example.net"  # the forwarder, not the inner sender

    def test_it_keeps_inline_images_as_attachments(self) -> None:
        s = parse("inline_image.eml")
        assert s.body == "See the screenshot: [image: the edit]"
        assert [a.filename for a in s.attachments] == ["screenshot.png"]
        assert "html_only" in s.flags

    def test_it_decodes_rfc2231_and_rfc2047_filenames_and_never_keeps_a_path(self) -> None:
        s = parse("attachment_rfc2231.eml")
        assert [a.filename for a in s.attachments] == [
            "déclaration — copie.pdf",
            "écran capturé.png",
            "メモで.txt",
            "passwd",
        ]
        assert s.attachments[2].content == b"note in a file"
        assert s.body == "Two files."

    def test_it_reads_a_message_without_content_type_as_plain_text(self) -> None:
        s = parse("missing_content_type.eml")
        assert s.body == "A message with no MIME headers, read as plain text."

    def test_it_keeps_what_arrived_of_a_truncated_multipart(self) -> None:
        s = parse("truncated_boundary.eml")
        assert s.body == "The first part arrived."
        assert len(s.attachments) == 1
        assert "malformed_mime" in s.flags

    def test_it_reads_a_multipart_whose_boundary_never_appears_as_text(self) -> None:
        s = parse("boundary_never_opened.eml")
        assert s.body == "Just text, the sender's software forgot the parts."
        assert "malformed_mime" in s.flags

    def test_it_accepts_a_message_with_a_subject_and_no_body(self) -> None:
        s = parse("no_body.eml")
        assert (s.subject, s.body) == ("Subject only, no body", "")

    def test_it_accepts_a_message_without_from_or_message_id(self) -> None:
        s = parse("no_message_id_no_from.eml")
        assert (s.sender, s.message_id) == ("", "")
        assert s.body == "Someone writes without a From header."

    def test_it_stops_walking_at_a_sane_depth(self) -> None:
        s = parse("deep_nesting.eml")
        assert s.subject == "Deeply nested"
        assert "too_deeply_nested" in s.flags

    def test_it_keeps_uuencoded_and_zip_attachments_as_they_came(self) -> None:
        uu = parse("uuencoded_attachment.eml")
        assert uu.attachments[0].content == b"hello world\n"
        zipped = parse("zip_attachment.eml")
        assert zipped.attachments[0].filename == "evidence.zip"
        assert zipped.attachments[0].content.startswith(b"PK\x03\x04")  # still the archive, not its contents

    def test_it_keeps_non_text_alternatives_and_reports_as_attachments(self) -> None:
        invite = parse("calendar_invite.eml")
        assert invite.body == "Can we meet?"
        assert [a.declared_type for a in invite.attachments] == ["text/calendar"]
        bounce = parse("bounce_report.eml")
        assert bounce.body == "This is the mail system. Your message could not be delivered."
        assert "auto_submitted" in bounce.flags

    def test_it_normalises_crlf_line_endings(self) -> None:
        assert parse("crlf_line_endings.eml").body == "Line one.\nLine two."


class CharsetTests(SimpleTestCase):
    def test_it_decodes_rfc2047_subjects_and_bodies_in_many_charsets(self) -> None:
        expected = {
            "subject_iso8859_1.eml": ("José Müller", "Problème sérieux à signaler", "Un éditeur a publié"),
            "subject_shift_jis.eml": ("山田太郎", "嫌がらせの報告", "利用者が私の個人情報を公開しました"),
            "subject_utf8.eml": ("Zoë 🌍", "Bedrohung gegen mich \u2013 bitte prüfen 🙏", "Grüße"),
            "subject_koi8r.eml": ("Иван Петров", "Жалоба на участника", "Участник оскорбляет меня"),
            "subject_big5.eml": ("陳小明", "騷擾報告", "有用戶在我的討論頁上騷擾我"),
            "iso_2022_jp.eml": ("山田", "ご検討をお願いします", "よろしくお願いします"),
            "subject_euc_kr_gb2312.eml": ("김철수", "신고합니다举报骚扰", "有人在讨论页骚扰我"),
        }
        for name, (sender_name, subject, body) in expected.items():
            with self.subTest(name=name):
                s = parse(name)
                assert (s.sender_name, s.subject) == (sender_name, subject)
                assert body in s.body
                assert not {"bad_charset", "unknown_charset"} & set(s.flags)

    def test_it_decodes_quoted_printable_and_base64_bodies(self) -> None:
        qp = parse("body_quoted_printable.eml")
        assert qp.body == (
            "Café na esquina. This line is long enough that it had to be wrapped by a soft line break in the "
            "middle.\nEquals sign: ="
        )
        assert parse("body_base64.eml").body == "Texto codificado en base64: ¿está todo bien?"

    def test_it_replaces_invalid_utf8_and_flags_it(self) -> None:
        s = parse("invalid_utf8.eml")
        assert s.body.startswith("Valid start é then invalid \ufffd")
        assert "bad_charset" in s.flags
        s.body.encode("utf-8")  # storable: no lone surrogates

    def test_it_reads_raw_8bit_headers_as_utf8(self) -> None:
        s = parse("eight_bit_headers.eml")
        assert s.sender_name == "Ñandú Pérez"
        assert s.subject == "Acoso en la página de discusión — urgente"
        assert "bad_charset" not in s.flags

    def test_it_falls_back_safely_on_unknown_charsets(self) -> None:
        s = parse("unknown_charset.eml")
        assert s.subject == "Qapla\ufffd report"
        assert s.body == "Body in an unknown charset \ufffd\ufffd."
        assert "unknown_charset" in s.flags

    def test_it_never_uses_a_binary_codec_named_as_a_charset(self) -> None:
        s = parse("binary_codec_charset.eml")
        assert "SHOULD NOT BE DECOMPRESSED" not in s.body
        assert "unknown_charset" in s.flags

    def test_it_reads_the_charset_of_an_html_body_from_its_meta_tag(self) -> None:
        s = parse("html_meta_charset.eml")
        assert s.body == "Café “quoted”"

    def test_it_survives_broken_encoded_words_and_utf7(self) -> None:
        assert parse("rfc2047_bad_base64.eml").subject.endswith(" tail")
        utf7 = parse("utf7_body.eml")
        assert utf7.body.startswith("Hi Mom -☺-!")
        utf7.body.encode("utf-8")


class SafetyTests(SimpleTestCase):
    def test_it_converts_html_only_mail_without_any_script_style_or_handler_text(self) -> None:
        s = parse("html_only_script.eml")
        assert "html_only" in s.flags
        for leaked in ("SCRIPT_TEXT", "SECOND_SCRIPT", "STYLE_TEXT", "TITLE TEXT", "ONLOAD", "ONCLICK", "JSURL", "<"):
            assert leaked not in s.body, leaked
        assert s.body == (
            "Report\nThe page Example (https://en.wikipedia.org/wiki/Example) was vandalised & defaced.\n"
            "click\n- first\n- second"
        )

    def test_it_strips_line_breaks_from_every_header_like_field(self) -> None:
        s = parse("header_injection.eml")
        assert s.subject == "hello Bcc: victim@example.com body"
        assert s.in_reply_to == "<a@b>"
        for value in (s.subject, s.sender, s.sender_name, s.message_id, s.in_reply_to, *s.references):
            assert "\r" not in value
            assert "\n" not in value

    def test_it_bounds_very_long_header_lines(self) -> None:
        s = parse("long_header_lines.eml")
        assert len(s.subject) == 2000
        assert s.in_reply_to == "<ref-299@example.net>"
        assert len(s.references) == 50
        assert s.references[0] == "<ref-0@example.net>"  # the thread's root is kept
        assert s.references[-1] == "<ref-299@example.net>"
        assert s.body == "Body after very long header lines."

    def test_it_flags_automatic_mail_so_nobody_answers_it(self) -> None:
        assert "auto_submitted" in parse("auto_reply.eml").flags
        assert "auto_submitted" not in parse("multipart_alternative.eml").flags

    def test_it_keeps_the_content_language_as_a_hint(self) -> None:
        s = parse("content_language.eml")
        assert s.meta["content_language"] == "es"
        assert s.language == ""  # detection decides; the hint is only kept

    @override_settings(INTAKE_MAX_BODY_CHARS=20)
    def test_it_truncates_a_body_over_the_cap_and_flags_it(self) -> None:
        s = parse("multipart_alternative.eml")
        assert s.body == "User Example keeps p"
        assert "body_truncated" in s.flags


class MalformedTests(SimpleTestCase):
    def test_it_refuses_what_is_not_mail_at_all(self) -> None:
        for name, reason in (
            ("binary_garbage.eml", "no header fields"),
            ("header_only_garbage.eml", "nothing usable"),
            ("whitespace_only.eml", "empty"),
        ):
            with self.subTest(name=name), self.assertRaisesMessage(MalformedMessage, reason):
                parse(name)

    @override_settings(INTAKE_MAX_MESSAGE_BYTES=100)
    def test_it_refuses_to_parse_a_message_over_the_size_limit(self) -> None:
        with self.assertRaisesMessage(MessageTooLarge, "too large"):
            parse("multipart_alternative.eml")
