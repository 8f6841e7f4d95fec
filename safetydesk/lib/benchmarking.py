"""What the benchmarks (benchmarks/*.py) share: their own environment and freshly made database,
one run per database with `--db both`, the JSON they write, and what they record about where
they ran."""

import json
import os
import platform
import subprocess  # one process per database with --db both
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

DEFAULT_POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"


def default_db() -> str:
    """`--db` when it is not given: postgres if DATABASE_URL names a PostgreSQL database."""
    return "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def configure_environment(
    db: str, var_dir: Path, settings: dict[str, str], *, sqlite_file: str, postgres_database: str | None
) -> str:
    """Settings for a benchmark process and the processes it starts: development mode with its own
    var/ (keys made once), no debug, no second factor, no demo (it would switch mail to the console
    backend), logs from WARNING; `settings` adds to these (TASKS_BACKEND, EMAIL_BACKEND, ...).

    Then a database of its own, always new: SQLite `var_dir/sqlite_file`, deleted first; or on
    PostgreSQL `postgres_database` on the server of DATABASE_URL (127.0.0.1:5432 if DATABASE_URL
    names none), dropped and created. With `postgres_database` None, the database DATABASE_URL
    names itself (safetydesk_bench if none). Sets DATABASE_URL and returns it."""
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "safetydesk.settings",
            "SAFETYDESK_ENV": "development",
            "SAFETYDESK_VAR_DIR": str(var_dir),
            "SAFETYDESK_REQUIRE_2FA": "0",
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            **settings,
        }
    )
    os.environ.pop("SAFETYDESK_DEMO", None)
    if db == "sqlite":
        path = var_dir / sqlite_file
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        given = os.environ.get("DATABASE_URL", "")
        if not given.startswith("postgres"):
            url = f"{DEFAULT_POSTGRES_SERVER}/{postgres_database or 'safetydesk_bench'}"
        elif postgres_database is None:
            url = given
        else:
            url = f"{given.rpartition('/')[0]}/{postgres_database}"
        recreate_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    return url


def recreate_postgres_database(url: str) -> None:
    """Drop and create the benchmark database, connecting to the server's `postgres` database.
    Refuses a database whose name does not say it is for benchmarks."""
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    name = name.split("?", 1)[0]
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must contain 'bench'")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_each_database(script: str, arguments: Callable[[str], list[str]]) -> int:
    """`--db both`: the script once on SQLite, then once on PostgreSQL, each in its own process;
    `arguments(db)` is its command line after `--db db`. Returns nonzero if either failed."""
    failed = 0
    for db in ("sqlite", "postgres"):
        command = [sys.executable, str(Path(script).resolve()), "--db", db, *arguments(db)]
        failed |= subprocess.run(command, check=False).returncode  # noqa: S603 (our own script)
    return failed


def write_result(result: dict[str, Any], out: Path, summary: str) -> None:
    """The benchmark's JSON to `out`; its summary line to stdout."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    sys.stdout.write(summary + "\n")
    sys.stderr.write(f"  written to {out}\n")


def db_version(connection: Any) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            return "SQLite " + cursor.fetchone()[0]
        cursor.execute("show server_version")
        return "PostgreSQL " + cursor.fetchone()[0]


def environment() -> dict[str, Any]:
    import django

    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_model": _cpu_model(),
        "cpus": os.cpu_count(),
        "memory_gb": _memory_gb(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def _cpu_model() -> str:
    for line in _read_lines("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _memory_gb() -> float | None:
    for line in _read_lines("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return None


def _read_lines(path: str) -> Iterator[str]:
    try:
        with open(path) as handle:
            yield from handle
    except OSError:
        return
