"""A throw-away MediaWiki for trying office actions and for the integration tests (INTEROP §4.2).

    with DevWiki(Path("var/devwiki")) as wiki:
        wiki.create_user("Vandal")
        client = WikiClient(wiki.api_url); client.login(wiki.bot_user, wiki.bot_password)

Debian's `mediawiki` package (settings.MEDIAWIKI_DIR; `make deps-system` installs it) is
installed into `root` with maintenance/install.php on SQLite, and served by PHP's built-in
server on 127.0.0.1 with MW_CONFIG_FILE pointing at the generated settings, so nothing outside
`root` is written. An office account (sysop and suppress) gets a bot password with the grants
office actions need. Installing again into the same `root` reuses what is there.
"""

import os
import re
import secrets
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from types import TracebackType

from django.conf import settings

from safetydesk.lib.processes import free_port, stop_process

OFFICE_ACCOUNT = "TSOffice"
APP_ID = "safetydesk"
# Bot-password grants for blocks, deletion, suppression, protection and edits (INTEROP §4.2).
GRANTS = (
    "basic,highvolume,editpage,createeditmovepage,delete,blockusers,editprotected,protect,rollback,"
    "oversight,viewdeleted,viewrestrictedlogs,privateinfo"
)
# Appended to the generated LocalSettings.php: the database as cache and session store, so no
# APCu is needed (the generated file asks for CACHE_ACCEL); no mail. Uploads go to the wiki's own
# directory (files are what DMCA takedowns delete and restore).
OVERRIDES = """
# --- Added by Safetydesk's devwiki ---
$wgMainCacheType = CACHE_DB;
$wgSessionCacheType = CACHE_DB;
$wgEnableEmail = false;
"""
UPLOADS = """
# --- Uploads (Safetydesk's devwiki) ---
$wgEnableUploads = true;
$wgUploadDirectory = "{directory}";
$wgUploadPath = "/images";
"""
PASSWORD_LINE = re.compile(r"password:'([0-9a-w]+)'")
START_SECONDS = 30.0


class DevWikiError(Exception):
    """The wiki could not be installed or started; the message says which step and why."""


def php() -> str:
    """The PHP command line interpreter's path (Debian's php-cli)."""
    return shutil.which("php") or "/usr/bin/php"


def mediawiki_installed() -> bool:
    return (Path(settings.MEDIAWIKI_DIR) / "maintenance" / "install.php").exists() and Path(php()).exists()


class DevWiki:
    def __init__(self, root: Path, *, name: str = "devwiki", port: int | None = None) -> None:
        self.root = root.resolve()
        self.name = name
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api.php"

    @property
    def config(self) -> Path:
        return self.root / "LocalSettings.php"

    @property
    def bot_user(self) -> str:
        return f"{OFFICE_ACCOUNT}@{APP_ID}"

    @property
    def bot_password(self) -> str:
        return (self.root / "bot-password").read_text().strip()

    # --- install -----------------------------------------------------------------------------

    def install(self) -> None:
        """Install the wiki into `root` unless it is there already."""
        if not mediawiki_installed():
            raise DevWikiError(
                f"MediaWiki is not installed ({settings.MEDIAWIKI_DIR}, php): `make deps-system` installs "
                "Debian's mediawiki, php-cli and php-sqlite3."
            )
        if (self.root / "bot-password").exists():
            self._set_server()
            self._enable_uploads()
            return
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        self.config.unlink(missing_ok=True)
        self._php(
            "install.php", "--dbtype=sqlite", f"--dbpath={self.root / 'data'}", f"--dbname={self.name}",
            f"--server={self.url}", "--scriptpath=", f"--confpath={self.root}", "--lang=en",
            f"--pass={secrets.token_hex(16)}", self.name, "Admin", config=False,
        )  # fmt: skip
        with self.config.open("a") as config:
            config.write(OVERRIDES)
        self._enable_uploads()
        self.create_user(OFFICE_ACCOUNT, groups=("sysop", "suppress"))
        _user, password = self.create_bot_password(APP_ID, GRANTS)
        secret = self.root / "bot-password"
        secret.write_text(password)
        secret.chmod(0o600)

    def _set_server(self) -> None:
        """Point an existing install at this port (links the wiki prints are built from it)."""
        text = self.config.read_text()
        text = re.sub(r'^\$wgServer = ".*";$', f'$wgServer = "{self.url}";', text, flags=re.MULTILINE)
        self.config.write_text(text)

    def _enable_uploads(self) -> None:
        """Uploads into `root`/images (added to installs made before the wiki took files)."""
        text = self.config.read_text()
        if "$wgEnableUploads = true;" not in text:
            (self.root / "images").mkdir(exist_ok=True)
            text = text.replace("$wgEnableUploads = false;\n", "")
            self.config.write_text(text + UPLOADS.format(directory=self.root / "images"))

    def upload(self, name: str, content: bytes, *, user: str, comment: str = "") -> str:
        """Upload `content` as File:`name` by `user` (importImages.php); returns the page title."""
        staging = self.root / "staging" / secrets.token_hex(4)
        staging.mkdir(parents=True)
        try:
            (staging / name).write_bytes(content)
            self._php("importImages.php", f"--user={user}", f"--comment={comment or name}", str(staging))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return f"File:{name}"

    def create_user(self, name: str, *, password: str = "", groups: tuple[str, ...] = ()) -> str:
        """An account on the wiki (its password is returned; random unless given)."""
        password = password or secrets.token_hex(12)
        extra = ["--custom-groups", ",".join(groups)] if groups else []
        self._php("createAndPromote.php", "--force", *extra, name, password)
        return password

    def create_bot_password(self, app_id: str, grants: str, account: str = OFFICE_ACCOUNT) -> tuple[str, str]:
        """A bot password of `account` with these grants (comma-separated); returns (login name,
        password). The script makes the password: only [0-9a-w] passwords work at login."""
        output = self._php("createBotPassword.php", "--appid", app_id, "--grants", grants, account)
        match = PASSWORD_LINE.search(output)
        if match is None:
            raise DevWikiError(f"createBotPassword.php printed no password: {output.strip()[-300:]}")
        return f"{account}@{app_id}", match.group(1)

    def _php(self, script: str, *args: str, config: bool = True) -> str:
        env = {**os.environ, "MW_CONFIG_FILE": str(self.config)} if config else dict(os.environ)
        result = subprocess.run(  # noqa: S603 (PHP with our own arguments)
            [php(), str(Path(settings.MEDIAWIKI_DIR) / "maintenance" / script), *args],
            capture_output=True, text=True, env=env, cwd=settings.MEDIAWIKI_DIR, timeout=120, check=False,
        )  # fmt: skip
        if result.returncode != 0:
            raise DevWikiError(
                f"{script} failed ({result.returncode}): {(result.stdout + result.stderr).strip()[-500:]}"
            )
        return result.stdout

    # --- serve --------------------------------------------------------------------------------

    def start(self) -> "DevWiki":
        self.install()
        log = (self.root / "server.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            [php(), "-S", f"127.0.0.1:{self.port}", "-t", settings.MEDIAWIKI_DIR],
            env={**os.environ, "MW_CONFIG_FILE": str(self.config)}, stdout=log, stderr=subprocess.STDOUT,
            cwd=settings.MEDIAWIKI_DIR,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DevWikiError(
                    f"PHP's server exited with {self.process.returncode}; see {self.root / 'server.log'}"
                )
            try:
                with urllib.request.urlopen(f"{self.api_url}?action=query&meta=siteinfo&format=json", timeout=5):  # noqa: S310
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise DevWikiError(f"the wiki did not answer on {self.url} within {START_SECONDS:g}s")

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None

    def __enter__(self) -> "DevWiki":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
