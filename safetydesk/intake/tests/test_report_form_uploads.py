"""Screenshots on the public form: images only, told by their bytes; at most 5, each at most
5 MB (settings); a refused file says which and why."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from safetydesk.intake.forms import ReportForm
from safetydesk.intake.models import IntakeItem
from safetydesk.intake.tests.test_report_form_support import form_data, gif_bytes, png_bytes, post_report, screenshot

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


class ScreenshotTests(TestCase):
    def test_images_are_read_with_their_names_and_declared_types(self) -> None:
        files = [screenshot("talk page.png"), screenshot("b.gif", gif_bytes(), "image/gif")]
        form = ReportForm(form_data(), {"screenshots": files})
        assert form.is_valid(), form.errors
        attachments = form.cleaned_data["screenshots"]
        assert [(a.filename, a.declared_type, a.content) for a in attachments] == [
            ("talk page.png", "image/png", png_bytes()),
            ("b.gif", "image/gif", gif_bytes()),
        ]
        assert form.submission(language="en").attachments == tuple(attachments)

    def test_a_file_that_is_not_an_image_is_refused_whatever_it_claims(self) -> None:
        for name, content in (("evidence.png", PDF), ("drawing.svg", SVG), ("notes.txt", b"just text")):
            with self.subTest(name=name):
                form = ReportForm(form_data(), {"screenshots": [screenshot(name, content, "image/png")]})
                assert not form.is_valid()
                assert form.errors["screenshots"] == [
                    f"“{name}” is not an image. Only screenshots or photos (PNG, JPEG, GIF, WebP) can be attached."
                ]

    @override_settings(INTAKE_FORM_MAX_SCREENSHOT_BYTES=1024 * 1024)
    def test_a_file_over_the_size_limit_is_refused(self) -> None:
        big = screenshot("big.png", png_bytes() + b"\0" * (1024 * 1024))
        form = ReportForm(form_data(), {"screenshots": [screenshot(), big]})
        assert not form.is_valid()
        assert form.errors["screenshots"] == ["“big.png” is larger than 1 MB."]

    def test_at_most_five_files(self) -> None:
        form = ReportForm(form_data(), {"screenshots": [screenshot(f"{n}.png") for n in range(6)]})
        assert not form.is_valid()
        assert form.errors["screenshots"] == ["You can attach up to 5 screenshots; you chose 6."]

    def test_file_names_lose_their_folders_and_control_characters(self) -> None:
        upload = SimpleUploadedFile("C:\\Users\\ana\\shot\x07.png", png_bytes(), content_type="image/png")
        form = ReportForm(form_data(), {"screenshots": [upload]})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["screenshots"][0].filename == "shot.png"

    def test_a_refused_upload_asks_for_the_files_again_and_stores_nothing(self) -> None:
        response = post_report(self.client, {**form_data(), "screenshots": [screenshot("x.png", PDF)]})
        html = response.content.decode()
        assert response.status_code == 200
        assert "“x.png” is not an image." in html
        assert "please choose your screenshots again" in html
        assert '<input type="file" name="screenshots" accept="image/*"' in html
        assert IntakeItem.objects.count() == 0
