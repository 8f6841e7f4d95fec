"""`safetydesk serve` runs gunicorn, a task worker and a triage loop as one command, and stops
them all cleanly.

These start the real command as the operator would, against a fresh SQLite database in a
temporary var/ directory, and look at the real processes and the real task table."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import closing
from pathlib import Path

from django.tasks import task
from django.test import SimpleTestCase

from safetydesk.lib.processes import free_port
from safetydesk.lib.testing import own_environment, wait_for

ROOT = Path(__file__).resolve().parents[3]


@task()
def report_worker_pid() -> int:
    """Enqueued by the tests; its result says which process ran it."""
    return os.getpid()


def children_of(pid: int) -> dict[int, str]:
    """The live child processes of `pid`, each with its command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue  # it ended while we looked
        # fields: state, ppid, …; a zombie (state Z) has already ended.
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(stat.parent.name)] = cmdline.replace(b"\0", b" ").decode()
    return found



class ServeCommandTests(SimpleTestCase):
    var_dir: str
    env: dict[str, str]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.var_dir = tempfile.mkdtemp(prefix="safetydesk-serve-")
        cls.addClassCleanup(shutil.rmtree, cls.var_dir, ignore_errors=True)
        cls.env = own_environment(cls.var_dir)
        cls.safetydesk("migrate", "--verbosity", "0")

    # The subprocess calls below run our own command (sys.executable) with fixed arguments.
    @classmethod
    def safetydesk(cls, *args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "safetydesk.cli", *args],
            cwd=ROOT,
            env=cls.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start_serve(self, *args: str, **env: str) -> tuple[subprocess.Popen[bytes], int]:
        port = free_port()
        log = Path(self.var_dir) / f"serve-{port}.log"
        with log.open("wb") as out:
            serve = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "safetydesk.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers=1", *args],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.addCleanup(self.kill_if_running, serve)
        self.log = log

        def answer() -> int | None:
            if serve.poll() is not None:
                raise AssertionError(f"serve exited with {serve.returncode}:\n{log.read_text()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                    return int(response.status) if response.headers["X-Content-Type-Options"] == "nosniff" else None
            except urllib.error.HTTPError as error:
                return int(error.code) if error.headers["X-Content-Type-Options"] == "nosniff" else None
            except (urllib.error.URLError, ConnectionError):
                return None  # not listening yet

        status = wait_for("the site to answer", answer)
        assert status < 500, log.read_text()
        assert f"http://127.0.0.1:{port}/" in log.read_text()
        return serve, port

    @staticmethod
    def kill_if_running(process: subprocess.Popen[bytes]) -> None:
        if process.poll() is None:
            process.kill()
            process.wait()

    def processes(self, serve: subprocess.Popen[bytes]) -> tuple[int | None, int | None]:
        """(gunicorn's pid, the task worker's pid) among serve's children."""
        gunicorn = worker = None
        for pid, cmdline in children_of(serve.pid).items():
            if "-m gunicorn safetydesk.wsgi:application" in cmdline:
                gunicorn = pid
            elif cmdline.endswith("-m safetydesk.cli worker --queue default "):
                worker = pid
        return gunicorn, worker

    def paging_worker(self, serve: subprocess.Popen[bytes]) -> int:
        def probe() -> int | None:
            return next(
                (pid for pid, cmdline in children_of(serve.pid).items() if "worker --queue paging" in cmdline),
                None,
            )

        return wait_for("the paging worker", probe)

    def triage_loop(self, serve: subprocess.Popen[bytes]) -> int:
        def probe() -> int | None:
            return next(
                (pid for pid, cmdline in children_of(serve.pid).items() if cmdline.endswith("safetydesk.cli triage ")),
                None,
            )

        return wait_for("the triage loop", probe)

    def both_running(self, serve: subprocess.Popen[bytes]) -> tuple[int, int]:
        def probe() -> tuple[int, int] | None:
            gunicorn, worker = self.processes(serve)
            return (gunicorn, worker) if gunicorn and worker else None

        return wait_for("gunicorn and the task worker", probe)

    def stop(self, serve: subprocess.Popen[bytes]) -> None:
        children = children_of(serve.pid)
        started = time.monotonic()
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=15) == 0, self.log.read_text()
        assert time.monotonic() - started < 10
        assert not [pid for pid in children if Path(f"/proc/{pid}").exists()], "a child outlived serve"

    def finished_task(self, task_id: str) -> tuple[str, int | None] | None:
        """(status, return value) of a task once it has finished, read from the worker's database."""
        with closing(sqlite3.connect(Path(self.var_dir) / "safetydesk.sqlite3")) as db:
            status, return_value = db.execute(
                "SELECT status, return_value FROM django_tasks_database_dbtaskresult WHERE id = ?",
                [uuid.UUID(task_id).hex],  # how Django stores a UUIDField in SQLite
            ).fetchone()
        if status in {"READY", "RUNNING"}:
            return None
        return status, json.loads(return_value) if return_value else None

    def test_it_serves_pages_and_runs_tasks_until_sigterm(self) -> None:
        serve, _port = self.start_serve()
        gunicorn, worker = self.both_running(serve)
        assert children_of(gunicorn), "gunicorn has no worker processes"

        task_id = self.safetydesk(
            "shell",
            "--verbosity=0",
            "-c",
            "from safetydesk.console.tests.test_commands_serve import report_worker_pid as t; print(t.enqueue().id)",
        ).strip()
        assert wait_for("the task to finish", lambda: self.finished_task(task_id)) == ("SUCCESSFUL", worker)

        self.stop(serve)

    def test_it_runs_the_paging_queue_in_a_worker_of_its_own(self) -> None:
        serve, _port = self.start_serve()
        paging_worker = self.paging_worker(serve)

        task_id = self.safetydesk(
            "shell",
            "--verbosity=0",
            "-c",
            "from safetydesk.console.tests.test_commands_serve import report_worker_pid as t; "
            "print(t.using(queue_name='paging').enqueue().id)",
        ).strip()
        assert wait_for("the page task to finish", lambda: self.finished_task(task_id)) == (
            "SUCCESSFUL",
            paging_worker,
        )
        self.stop(serve)

    def test_it_restarts_a_crashed_task_worker(self) -> None:
        serve, _port = self.start_serve()
        gunicorn, worker = self.both_running(serve)

        os.kill(worker, signal.SIGKILL)
        restarted = wait_for(
            "a new worker", lambda: pid if (pid := self.processes(serve)[1]) not in {None, worker} else None
        )

        assert self.processes(serve) == (gunicorn, restarted)
        assert "The task worker exited (status -9); restarting it" in self.log.read_text()
        self.stop(serve)

    def test_it_runs_a_triage_loop_nicer_than_the_web(self) -> None:
        # On SQLite (as here) the default is 0: a niced loop holding the write lock would stall the rest.
        serve, _port = self.start_serve(SAFETYDESK_TRIAGE_NICE="7")
        gunicorn, _worker = self.both_running(serve)
        triage = self.triage_loop(serve)

        def nice(pid: int) -> int:
            # /proc/PID/stat: the 19th field is the nice value (fields after the command name from 3).
            return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])

        assert wait_for("the loop to lower its priority", lambda: nice(triage) or None) == nice(gunicorn) + 7
        os.kill(triage, signal.SIGKILL)
        wait_for("a new triage loop", lambda: pid if (pid := self.triage_loop(serve)) != triage else None)
        assert "The triage loop exited (status -9); restarting it" in self.log.read_text()
        self.stop(serve)

    def test_it_starts_no_worker_when_asked(self) -> None:
        serve, _port = self.start_serve("--no-worker")

        gunicorn, worker = self.processes(serve)
        assert gunicorn is not None
        assert worker is None
        self.stop(serve)
