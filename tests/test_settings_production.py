"""Production mode fails closed: no start without a secret key and an encryption key."""

import os
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent


def start_django(tmp: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SAFETYDESK_", "SECRET_KEY", "DJANGO_"))}
    clean.update({"SAFETYDESK_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "safetydesk.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; print(settings.MODE)"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False,
    )


class ProductionSettingsTests(SimpleTestCase):
    def setUp(self) -> None:
        import tempfile

        self.tmp = tempfile.mkdtemp()

    def test_it_refuses_to_start_without_a_secret_key(self) -> None:
        result = start_django(self.tmp, SAFETYDESK_ENCRYPTION_KEYS="0aOv2wDngLz8ngtK8yRjxfRXG0Pn3nRoCZzF3Bz9ZcU=")
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr

    def test_it_refuses_to_start_without_an_encryption_key(self) -> None:
        result = start_django(self.tmp, SECRET_KEY="x" * 50)
        assert result.returncode != 0
        assert "SAFETYDESK_ENCRYPTION_KEYS" in result.stderr

    def test_it_starts_when_both_keys_are_given(self) -> None:
        result = start_django(
            self.tmp, SECRET_KEY="x" * 50, SAFETYDESK_ENCRYPTION_KEYS="0aOv2wDngLz8ngtK8yRjxfRXG0Pn3nRoCZzF3Bz9ZcU="
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "production"

    def test_it_reads_secrets_from_files(self) -> None:
        key_file = Path(self.tmp) / "secret"
        key_file.write_text("y" * 50)
        result = start_django(
            self.tmp, SECRET_KEY_FILE=str(key_file),
            SAFETYDESK_ENCRYPTION_KEYS="0aOv2wDngLz8ngtK8yRjxfRXG0Pn3nRoCZzF3Bz9ZcU=",
        )
        assert result.returncode == 0, result.stderr

    def test_demo_mode_generates_and_keeps_development_keys(self) -> None:
        first = start_django(self.tmp, SAFETYDESK_DEMO="1")
        assert first.returncode == 0, first.stderr
        assert first.stdout.strip() == "development"
        key = (Path(self.tmp) / "dev-encryption-key").read_text()
        start_django(self.tmp, SAFETYDESK_DEMO="1")
        assert (Path(self.tmp) / "dev-encryption-key").read_text() == key
