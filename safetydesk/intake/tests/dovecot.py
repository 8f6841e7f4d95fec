"""A real IMAP server for tests: Debian's dovecot, on loopback, in a temporary directory.

    with DovecotServer() as imap:
        imap.append(raw_message)
        ... connect to 127.0.0.1:imap.port as imap.user / imap.password ...

It runs in the foreground (`dovecot -F -c CONF`) as a child process and is stopped on exit.
As root, dovecot's own processes run as the `dovecot`/`dovenull` users if they exist (else
`nobody`) and the mail belongs to `nobody`; as anyone else, everything runs as the current
user. Nothing outside the temporary directory is touched.
"""

import grp
import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from safetydesk.lib.processes import free_port, stop_process

DOVECOT = Path("/usr/sbin/dovecot")

CONFIG = """\
# Written by safetydesk/intake/tests/dovecot.py for one test run.
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 100
}}
"""


def _user_or(name: str, fallback: str) -> str:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return fallback
    return name


class DovecotServer:
    user = "intake"
    password = "intake-test-password"

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="safetydesk-dovecot-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "DovecotServer":
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> None:
        if os.geteuid() == 0:
            internal = _user_or("dovecot", "nobody")
            login = _user_or("dovenull", "nobody")
            mail = pwd.getpwnam("nobody")
        else:
            internal = login = pwd.getpwuid(os.getuid()).pw_name
            mail = pwd.getpwuid(os.getuid())
        mail_dir = self.root / "mail"
        mail_dir.mkdir()
        if os.geteuid() == 0:
            os.chown(mail_dir, mail.pw_uid, mail.pw_gid)
        self.root.chmod(0o755)  # dovecot's unprivileged processes must reach their files
        users = self.root / "users"
        users.write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        users.chmod(0o644)
        config = self.root / "dovecot.conf"
        config.write_text(CONFIG.format(
            root=self.root, port=self.port, internal_user=internal,
            internal_group=grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name, login_user=login,
            mail_uid=mail.pw_uid, mail_gid=mail.pw_gid,
        ))
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own config file
            [str(DOVECOT), "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                stderr = self.process.stderr.read().decode(errors="replace") if self.process.stderr else ""
                raise RuntimeError(f"dovecot exited: {stderr}\n{self.log()}")
            try:
                with imaplib.IMAP4("127.0.0.1", self.port, timeout=2) as probe:
                    probe.login(self.user, self.password)
                    return
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"dovecot did not answer on 127.0.0.1:{self.port}\n{self.log()}")

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def connect(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(self.user, self.password)
        return connection

    def append(self, raw: bytes, mailbox: str = "INBOX", flags: str = "") -> None:
        with self.connect() as connection:
            status, data = connection.append(mailbox, flags or None, None, raw)
            if status != "OK":
                raise RuntimeError(f"APPEND failed: {data}")

    def flags(self, mailbox: str = "INBOX") -> dict[bytes, bytes]:
        """Message-ID header → FLAGS of every message in the mailbox."""
        result = {}
        with self.connect() as connection:
            connection.select(mailbox, readonly=True)
            _, data = connection.fetch("1:*", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
            for entry in data:
                if isinstance(entry, tuple):
                    header = entry[1].strip().split(b":", 1)[-1].strip()
                    flags = entry[0].split(b"FLAGS (", 1)[1].split(b")", 1)[0]
                    result[header] = flags
        return result

    def stop(self) -> None:
        stop_process(self.process)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()
        shutil.rmtree(self.root, ignore_errors=True)
