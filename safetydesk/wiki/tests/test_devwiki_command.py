"""`safetydesk devwiki` installs and serves a MediaWiki, registers it, and stops on Ctrl+C."""

import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest import skipUnless

import pytest
from django.test import SimpleTestCase

from safetydesk.lib.processes import free_port
from safetydesk.lib.testing import own_environment
from safetydesk.wiki.devwiki import mediawiki_installed

ROOT = Path(__file__).resolve().parents[3]


@skipUnless(mediawiki_installed(), "MediaWiki is not installed: `make deps-system` installs it")
class DevwikiCommandTests(SimpleTestCase):
    def setUp(self) -> None:
        self.var_dir = tempfile.mkdtemp(prefix="safetydesk-devwiki-")
        self.addCleanup(shutil.rmtree, self.var_dir, ignore_errors=True)
        # Its own SQLite database under its own var/, whatever database the suite runs on.
        self.env = own_environment(self.var_dir)
        self.safetydesk("migrate", "--verbosity", "0")

    def safetydesk(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603 (our own command)
            [sys.executable, "-m", "safetydesk.cli", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    def test_it_serves_a_wiki_the_office_account_can_act_on_until_interrupted(self) -> None:
        port = free_port()
        log = Path(self.var_dir) / "devwiki.log"
        with log.open("wb") as out:
            devwiki = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "safetydesk.cli", "devwiki", "--port", str(port)],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.addCleanup(lambda: devwiki.poll() is None and devwiki.kill())
        deadline = time.monotonic() + 60
        while "Ctrl+C stops it" not in log.read_text():
            assert devwiki.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        assert f"http://127.0.0.1:{port}/" in log.read_text()

        check = self.safetydesk("wiki", "check", "devwiki")
        assert check.returncode == 0, check.stderr
        assert "devwiki: ready for office actions." in check.stdout
        listing = self.safetydesk("wiki", "list").stdout
        assert f"http://127.0.0.1:{port}/api.php" in listing
        assert (Path(self.var_dir) / "devwiki" / "devwiki" / "bot-password").read_text().strip() not in listing

        devwiki.send_signal(signal.SIGINT)
        assert devwiki.wait(timeout=20) == 0, log.read_text()
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api.php", timeout=2)
