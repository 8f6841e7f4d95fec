"""Queue and case-page latency at scale: `.venv/bin/python benchmarks/queue.py [options]`.

Sets up its own database (SQLite under var/bench/, or the PostgreSQL database
safetydesk_bench, dropped and recreated), migrates it, seeds a small baseline (N0 cases) and
measures, then grows it to N cases and measures again. Each measurement requests the console
pages through Django's test Client as a logged-in specialist, after a warm-up, and records
p50/p95/mean latency and the number of SQL queries per page. At N it also EXPLAINs the slowest
query of each page. Writes one JSON file per database and prints one summary line per database.

See benchmarks/README.md for what the figures mean.
"""

import sys
from pathlib import Path

# This file shares its name with the standard library's `queue`, which logging.config and
# concurrent.futures import; take its folder off the path so that they find the real one.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import math  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import deque  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from safetydesk.lib import benchmarking  # noqa: E402
from safetydesk.lib.benchmarking import db_version, environment  # noqa: E402

REPO = HERE.parent
BENCH_VAR = REPO / "var" / "bench"
TARGET_P95_MS = 100.0
CHUNK = 2000  # cases generated and inserted per transaction

# The pages measured: name -> (URL name, GET parameters). "case" rotates over sample cases.
QUEUE_VIEWS: dict[str, dict[str, str]] = {
    "default": {},
    "kind+state": {"kind": "general", "state": "UNDER_INVESTIGATION"},
    "language+priority": {"language": "de", "priority": "P1"},
    "mine+overdue": {"assignee": "me", "overdue": "1"},
    "closed": {"status": "closed"},
}
EXTRA_VIEWS = ("dashboard", "case")
SUMMARY_VIEWS = ("default", "kind+state", "language+priority", "mine+overdue", "closed", "dashboard", "case")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200_000, help="N, the cases at full size (default 200000)")
    parser.add_argument("--baseline", type=int, default=1_000, help="N0, the small baseline (default 1000)")
    parser.add_argument(
        "--db", choices=["sqlite", "postgres", "both"], default=None,
        help="default: postgres if DATABASE_URL names a PostgreSQL database, else sqlite",
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="untimed requests per page first (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the generated data")
    parser.add_argument(
        "--jobs", type=int, default=0,
        help="seeding processes (default: 1 on SQLite, whose single writer lock serialises them; "
             "2 on PostgreSQL)",
    )
    parser.add_argument(
        "--out", type=Path, default=None,
        help="JSON result file (default benchmarks/results/queue-<db>.json; with --db both, one per db)",
    )
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = benchmarking.default_db()
    if args.baseline < 1 or args.cases < args.baseline:
        parser.error("need 1 <= --baseline <= --cases")
    if args.requests < 1 or args.warmup < 0:
        parser.error("need --requests >= 1 and --warmup >= 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.db == "both":
        return benchmarking.run_each_database(__file__, lambda db: _passthrough(args, db))
    configure_environment(args.db)
    result = run(args)
    out = args.out or REPO / "benchmarks" / "results" / f"queue-{args.db}.json"
    benchmarking.write_result(result, out, summary_line(result))
    return 0


def _passthrough(args: argparse.Namespace, db: str) -> list[str]:
    passed = ["--cases", str(args.cases), "--baseline", str(args.baseline), "--requests", str(args.requests),
              "--warmup", str(args.warmup), "--seed", str(args.seed), "--jobs", str(args.jobs)]
    if args.out is not None:
        passed += ["--out", str(args.out.with_name(f"{args.out.stem}-{db}{args.out.suffix}"))]
    return passed


# --- Setting up -----------------------------------------------------------------------------


def configure_environment(db: str) -> None:
    """lib.benchmarking's settings (no second factor: the client logs in with force_login), tasks
    run inline, mail stays in memory; on PostgreSQL the database DATABASE_URL names."""
    benchmarking.configure_environment(
        db, BENCH_VAR, {"TASKS_BACKEND": "immediate", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        sqlite_file="queue.sqlite3", postgres_database=None,
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    staff = make_staff()
    seeder = Seeder(staff, args.seed, datetime.now(UTC))
    vendor = connection.vendor

    jobs = args.jobs or (1 if vendor == "sqlite" else min(2, os.cpu_count() or 1))
    seed_seconds = {"n0": seeder.grow_to(args.baseline, jobs)}
    analyze(connection)
    at_n0 = measure_all(staff["reader"], seeder, args, explain=False)
    seed_seconds["n"] = seeder.grow_to(args.cases, jobs)
    analyze(connection)
    at_n = measure_all(staff["reader"], seeder, args, explain=True)

    views: dict[str, Any] = {}
    for name in at_n:
        small, large = at_n0[name], at_n[name]
        views[name] = {
            "path": large.pop("path"),
            "n0": {k: v for k, v in small.items() if k != "path"},
            "n": large,
            "ratio_p50": round(large["p50_ms"] / small["p50_ms"], 2),
            "ratio_p95": round(large["p95_ms"] / small["p95_ms"], 2),
            "queries_flat": large["queries"] == small["queries"],
            "meets_target": large["p95_ms"] < TARGET_P95_MS,
        }
    return {
        "benchmark": "queue",
        "db": vendor if vendor != "postgresql" else "postgres",
        "db_version": db_version(connection),
        "n": args.cases,
        "n0": args.baseline,
        "requests": args.requests,
        "warmup": args.warmup,
        "seed": args.seed,
        "target_p95_ms": TARGET_P95_MS,
        "seed_seconds": {k: round(v, 1) for k, v in seed_seconds.items()},
        "seed_jobs": jobs,
        "rows": table_sizes(),
        "views": views,
        "queries_flat": all(v["queries_flat"] for v in views.values()),
        "ratio_p50_max": max(v["ratio_p50"] for v in views.values()),
        "meets_target": all(v["meets_target"] for v in views.values()),
        "misses": [name for name, v in views.items() if not v["meets_target"]],
        "environment": environment(),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_seconds": round(time.monotonic() - started, 1),
    }


def make_staff() -> dict[str, Any]:
    """Ten case workers, an auditor; `reader` is the specialist the client logs in as."""
    from django.contrib.auth.models import Group

    from safetydesk.accounts.models import User
    from safetydesk.accounts.roles import Role

    groups = {g.name: g for g in Group.objects.all()}
    people = [
        ("bench-sam", Role.SPECIALIST, ["en", "de"]), ("bench-ana", Role.SPECIALIST, ["es", "pt"]),
        ("bench-kei", Role.SPECIALIST, ["ja", "zh"]), ("bench-lou", Role.SPECIALIST, ["fr", "en"]),
        ("bench-ivo", Role.SPECIALIST, ["it", "de"]), ("bench-ada", Role.SPECIALIST, ["en"]),
        ("bench-sal", Role.ONCALL, ["ar", "en"]), ("bench-pav", Role.ONCALL, ["ru", "en"]),
        ("bench-mia", Role.MANAGER, ["en"]), ("bench-dan", Role.DIRECTOR, ["en"]),
        ("bench-lee", Role.LEGAL_COUNSEL, ["en"]), ("bench-ava", Role.AUDITOR, ["en"]),
    ]
    users = []
    for username, role, languages in people:
        user = User.objects.create(username=username, display_name=username.title(), languages=languages,
                                   email=f"{username}@staff.example.org")
        user.set_unusable_password()  # the client logs in with force_login
        user.save(update_fields=["password"])
        user.groups.set([groups[role]])
        users.append(User.objects.get(pk=user.pk))
    workers = [u for u in users if u.is_casework_staff]
    return {"reader": users[0], "workers": workers, "leads": [u for u in workers if not u.has_role(Role.LEGAL_COUNSEL)]}


def analyze(connection: Any) -> None:
    """Refresh planner statistics on PostgreSQL, as autovacuum does soon after a bulk load in
    production. SQLite is left as a deployment leaves it: Django never runs ANALYZE there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- Seeding --------------------------------------------------------------------------------


class Seeder:
    """Generates cases with bulk_create, not through the actions.

    The action path (do_create_case, do_transition, ...) writes one transaction and one audit
    row per step: about 15 ms per case, which is 50 minutes for 200,000 cases. bulk_create
    writes the same rows (each model's fields, including the encrypted ones, still go through
    get_prep_value, so stored values are real Fernet tokens) at about a thousand cases a
    second per process, nearly all of it Django preparing values.
    The distribution follows what the demo and the workflows produce: every case's state is
    reached along its workflow's transitions, its timeline rows match that path, and its
    clocks come from the same start_clocks() the actions use. No audit rows are written; the
    pages measured do not read them.
    """

    KIND_WEIGHTS = {
        "general": 52, "emergency": 6, "office_action": 7, "dmca": 9, "legal_request": 5,
        "child_protection": 2, "disinformation": 3, "appeal": 3, "access_request": 8, "affiliate_screening": 5,
    }
    OPEN_SHARE = 0.10
    OPEN_STATE_WEIGHTS = {"RECEIVED": 18, "ACKNOWLEDGED": 14, "TRIAGED": 20, "PRIORITISED": 14,
                          "UNDER_INVESTIGATION": 34}
    CLOSED_STATE_WEIGHTS = {"CLOSED_DEFERRED_TO_COMMUNITY": 45, "CLOSED_DECLINED": 25, "CLOSED_NO_ACTION": 30}
    PRIORITY_WEIGHTS = {"P0": 2, "P1": 15, "P2": 55, "P3": 28}
    HISTORY_DAYS = 5 * 365

    def __init__(self, staff: dict[str, Any], seed: int, now: datetime) -> None:
        from safetydesk.cases.demo_data import LANGUAGE_WEIGHTS, STORIES
        from safetydesk.cases.workflow import workflow_for

        self.seed = seed
        self.now = now
        self.leads = staff["leads"]
        self.workers = staff["workers"]
        self.count = 0
        self.languages = list(LANGUAGE_WEIGHTS)
        self.language_weights = list(LANGUAGE_WEIGHTS.values())
        self.kinds = list(self.KIND_WEIGHTS)
        self.kind_weights = list(self.KIND_WEIGHTS.values())
        self.variants = {kind: [v for s in STORIES if s.kind == kind for v in s.variants] for kind in self.kinds}
        self.paths = {kind: shortest_paths(workflow_for(kind)) for kind in self.kinds}
        self.closed = {kind: workflow_for(kind).closed_states() for kind in self.kinds}
        self.initial = {kind: workflow_for(kind).initial for kind in self.kinds}

    def grow_to(self, total: int, jobs: int) -> float:
        """Add cases until there are `total`, in chunks spread over `jobs` processes. Each chunk
        draws from its own RNG seeded by (seed, first id), so the data does not depend on jobs."""
        from django.db import connections

        started = time.monotonic()
        chunks = [(first, min(CHUNK, total - first)) for first in range(self.count, total, CHUNK)]
        if jobs > 1 and len(chunks) > 1:
            global _SEEDER
            _SEEDER = self
            connections.close_all()  # each forked process opens its own
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                pool.starmap(_insert_chunk, chunks)
        else:
            for first, size in chunks:
                self.insert_chunk(first, size)
        self.count = max(self.count, total)
        reset_sequences()
        return time.monotonic() - started

    def insert_chunk(self, first: int, size: int) -> None:
        from django.db import connection, transaction

        from safetydesk.cases.models import Case, CaseEvent, Evidence, Note, Party

        rng = random.Random(f"{self.seed}:{first}")
        cases, events, parties, evidence, notes, members = [], [], [], [], [], []
        for offset in range(size):
            case, case_events, extra = self.make_case(first + offset + 1, rng)
            cases.append(case)
            events += case_events
            parties += extra["parties"]
            evidence += extra["evidence"]
            notes += extra["notes"]
            members += extra["members"]
        batch = None if connection.vendor == "sqlite" else 2000
        with transaction.atomic():
            Case.objects.bulk_create(cases, batch_size=batch)
            CaseEvent.objects.bulk_create(events, batch_size=batch)
            Party.objects.bulk_create(parties, batch_size=batch)
            Evidence.objects.bulk_create(evidence, batch_size=batch)
            Note.objects.bulk_create(notes, batch_size=batch)
            Case.members.through.objects.bulk_create(members, batch_size=batch)

    def make_case(self, pk: int, rng: random.Random) -> tuple[Any, list[Any], dict[str, list[Any]]]:
        from django.conf import settings

        from safetydesk.cases.actions import start_clocks
        from safetydesk.cases.models import Case, CaseEvent, Evidence, Note, Party

        kind = rng.choices(self.kinds, self.kind_weights)[0]
        is_open = rng.random() < self.OPEN_SHARE
        paths = self.paths[kind]
        weights = self.OPEN_STATE_WEIGHTS if is_open else self.CLOSED_STATE_WEIGHTS
        reachable = [s for s in paths if (s in self.closed[kind]) != is_open]
        state = rng.choices(reachable, [weights.get(s, 10) for s in reachable])[0]
        path = paths[state]
        if is_open:
            # Open work is recent: fresh reports days old, investigations weeks to months.
            days = rng.expovariate(1 / 3) if not path else min(rng.expovariate(1 / 30), 180)
        else:
            days = rng.uniform(1, self.HISTORY_DAYS)
        opened_at = self.now - timedelta(days=days, minutes=rng.randint(0, 1439))
        language = rng.choices(self.languages, self.language_weights)[0]
        priority = "P0" if kind == "emergency" and rng.random() < 0.6 else rng.choices(
            list(self.PRIORITY_WEIGHTS), list(self.PRIORITY_WEIGHTS.values()))[0]
        confidentiality = "child_safety" if kind == "child_protection" else rng.choices(
            ["internal", "legal_privileged", "restricted"], [92, 5, 3])[0]
        names = [t.name for t in path]
        needs_lead = "start_investigation" in names
        lead = rng.choice(self.leads) if needs_lead or rng.random() < (0.6 if not is_open else 0.3) else None
        creator = rng.choice(self.workers)
        variant = rng.choice(self.variants[kind]) if self.variants[kind] else None
        context = TitleContext(language, rng)

        # The timeline: created, then each transition (and the assignment) a little later.
        stamp = opened_at
        span = max((self.now - opened_at) / (len(path) + 2), timedelta(minutes=5))
        events = [CaseEvent(case_id=pk, created_at=stamp, actor=creator, kind="created",
                            to_state=self.initial[kind], data={"channel": "ca@wikimedia.org"})]
        acknowledged_at = closed_at = None
        previous = self.initial[kind]
        for step in path:
            stamp += span * rng.uniform(0.1, 1.0)
            if step.name == "start_investigation" and lead is not None:
                events.append(CaseEvent(case_id=pk, created_at=stamp, actor=lead, kind="assigned",
                                        data={"lead": lead.pk, "assistants": []}))
            events.append(CaseEvent(case_id=pk, created_at=stamp, actor=lead or creator, kind="transition",
                                    transition=step.name, from_state=previous, to_state=step.target,
                                    data=self.transition_data(step.name)))
            previous = step.target
            if step.acknowledges:
                acknowledged_at = stamp
            if step.target in self.closed[kind]:
                closed_at = stamp

        case = Case(
            id=pk, kind=kind, state=state, priority=priority, confidentiality=confidentiality,
            title=(variant.title.format_map(context) if variant else f"{kind} case")[:200],
            summary=variant.summary.format_map(context) if variant else "",
            language=language, languages=[language], projects=[context["wiki"]], intake_channel="ca@wikimedia.org",
            eu_nexus=language in {"de", "fr", "es", "it", "pt"} and rng.random() < 0.6,
            lead=lead, created_by=creator, acknowledged_at=acknowledged_at, closed_at=closed_at,
            version=len(events),
        )
        start_clocks(case, opened_at)
        case.reference = f"{settings.CASE_REFERENCE_PREFIX}-{opened_at:%Y}-{pk:06d}"
        if state == "CLOSED_DEFERRED_TO_COMMUNITY":
            case.routed_to, case.reply_template = "local_admins", "defer_local"
            case.routed_url = f"https://{context['site']}/wiki/Project:Administrators%27_noticeboard"
        elif case.closed_at is not None:
            case.closure_reason = "Community matter; the reporter was pointed to the local process."

        member_ids = {u.pk for u in (lead, creator if confidentiality != "internal" else None) if u is not None}
        extra: dict[str, list[Any]] = {
            "members": [Case.members.through(case_id=pk, user_id=uid) for uid in member_ids],
            "parties": [Party(case_id=pk, role="reporter", wiki_username=context["reporter"],
                              email=f"reporter{pk}@example.org" if rng.random() < 0.6 else "", language=language)],
            "evidence": [],
            "notes": [],
        }
        if rng.random() < 0.5:
            extra["parties"].append(Party(case_id=pk, role="subject", wiki_username=context["subject"]))
        for _ in range(rng.choice((0, 0, 0, 1, 1))):
            link = f"https://{context['site']}/w/index.php?oldid={rng.randint(10**6, 10**9)}&diff=prev"
            extra["evidence"].append(Evidence(case_id=pk, kind="diff", permalink=link, description="The edit reported",
                                              sha256=Evidence.digest(link, ""), captured_by=creator,
                                              captured_at=opened_at))
            events.append(CaseEvent(case_id=pk, created_at=opened_at, actor=creator, kind="evidence", data={}))
        if path and rng.random() < 0.4:
            extra["notes"].append(Note(case_id=pk, author=lead or creator, created_at=stamp,
                                       body="Checked global contributions; pattern matches the report."))
            events.append(CaseEvent(case_id=pk, created_at=stamp, actor=lead or creator, kind="note", data={}))
        return case, events, extra

    @staticmethod
    def transition_data(name: str) -> dict[str, str]:
        return {
            "triage": {"triage_note": "Single-wiki matter; local process works."},
            "defer": {"routed_to": "local_admins", "reply_template": "defer_local"},
            "decline": {"closure_reason": "Out of scope."},
            "close_no_action": {"closure_reason": "No further reports."},
        }.get(name, {})


_SEEDER: Seeder | None = None


def _insert_chunk(first: int, size: int) -> None:
    """One chunk in a forked seeding process (the Seeder comes with the fork)."""
    assert _SEEDER is not None
    _SEEDER.insert_chunk(first, size)


class TitleContext(dict[str, Any]):
    """The names demo titles and summaries use, filled lazily and cheaply."""

    def __init__(self, language: str, rng: random.Random) -> None:
        from safetydesk.cases.demo_data import CITIES, TOPICS, WIKIS

        wiki = WIKIS[language]
        super().__init__(
            wiki=wiki.dbname, site=wiki.host, wiki_name=wiki.name, other_wiki="commonswiki",
            other_site="commons.wikimedia.org", reporter=f"Editor{rng.randint(1, 99999)}",
            subject=f"Account{rng.randint(1, 99999)}", city=rng.choice(CITIES[language]), topic=rng.choice(TOPICS),
            company="a property developer", rights_holder="a photo agency", agency="a police unit",
            ip="203.0.113.0/24", n=rng.randint(3, 9), year=rng.randint(2016, 2023), reason="",
        )


def shortest_paths(workflow: Any) -> dict[str, list[Any]]:
    """Every state of the workflow with the shortest list of transitions that reaches it from
    the initial state (breadth-first)."""
    paths: dict[str, list[Any]] = {workflow.initial: []}
    todo = deque([workflow.initial])
    while todo:
        state = todo.popleft()
        for step in workflow.from_state(state):
            if step.target not in paths:
                paths[step.target] = [*paths[state], step]
                todo.append(step.target)
    return paths


def reset_sequences() -> None:
    """Cases were inserted with explicit ids; move PostgreSQL's sequence past them."""
    from django.core.management.color import no_style
    from django.db import connection

    from safetydesk.cases.models import Case

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Case]):
            cursor.execute(statement)


# --- Measuring ------------------------------------------------------------------------------


def measure_all(reader: Any, seeder: Seeder, args: argparse.Namespace, *, explain: bool) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(reader)
    sample = sample_case_paths(reader)
    results: dict[str, Any] = {}
    for name, params in QUEUE_VIEWS.items():
        results[name] = measure(client, name, [reverse("console:queue")], params, args, explain=explain)
    results["dashboard"] = measure(client, "dashboard", [reverse("console:dashboard")], {}, args, explain=explain)
    results["case"] = measure(client, "case", sample, {}, args, explain=explain)
    return results


def sample_case_paths(reader: Any, size: int = 25) -> list[str]:
    """Case pages a specialist opens: open internal cases with a timeline, spread over the ids."""
    from django.urls import reverse

    from safetydesk.cases.models import Case

    open_cases = Case.objects.filter(closed_at__isnull=True, confidentiality="internal", version__gte=3)
    references = list(open_cases.order_by("id").values_list("reference", flat=True))
    step = max(len(references) // size, 1)
    return [reverse("console:case", args=[ref]) for ref in references[::step][:size]]


def measure(
    client: Any, name: str, paths: list[str], params: dict[str, str], args: argparse.Namespace, *, explain: bool
) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(i: int) -> Any:
        response = client.get(paths[i % len(paths)], params)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {paths[i % len(paths)]} answered {response.status_code}")
        return response

    for i in range(args.warmup):
        get(i)
    with CaptureQueriesContext(connection) as captured:
        response = get(0)
    # Copied now: the next request clears the connection's query log.
    queries = list(captured.captured_queries)
    timings = []
    for i in range(args.requests):
        start = time.perf_counter()
        get(i)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    result: dict[str, Any] = {
        "path": paths[0] + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""),
        "p50_ms": round(percentile(timings, 50), 2),
        "p95_ms": round(percentile(timings, 95), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "max_ms": round(timings[-1], 2),
        "queries": len(queries),
        "bytes": len(response.content),
    }
    if explain:
        timed = sorted(((time_query(q["sql"]), q["sql"]) for q in queries), reverse=True)
        result["slowest_queries"] = [
            {"ms": round(ms, 3), "sql": sql, "plan": query_plan(sql)} for ms, sql in timed[:2]
        ]
    return result


def time_query(sql: str, runs: int = 3) -> float:
    """The best of a few runs of one captured SELECT, in ms (Django's own timing of SQLite
    queries is rounded to the millisecond)."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return 0.0
    best = float("inf")
    with connection.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            best = min(best, (time.perf_counter() - start) * 1000)
    return best


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(math.ceil(pct / 100 * len(sorted_values)), 1)
    return sorted_values[rank - 1]


def query_plan(sql: str) -> list[str]:
    """EXPLAIN QUERY PLAN (SQLite) or EXPLAIN ANALYZE (PostgreSQL) of a captured query."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[-1] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in cursor.fetchall()]


# --- Reporting ------------------------------------------------------------------------------


def table_sizes() -> dict[str, int]:
    from safetydesk.cases.models import Case, CaseEvent, Evidence, Note, Party

    return {
        "cases": Case.objects.count(),
        "open_cases": Case.objects.filter(closed_at__isnull=True).count(),
        "case_events": CaseEvent.objects.count(),
        "parties": Party.objects.count(),
        "evidence": Evidence.objects.count(),
        "notes": Note.objects.count(),
        "case_members": Case.members.through.objects.count(),
    }


def summary_line(result: dict[str, Any]) -> str:
    parts = []
    for name in SUMMARY_VIEWS:
        figures = result["views"][name]["n"]
        flag = "" if result["views"][name]["meets_target"] else " MISS"
        parts.append(f"{name} p50 {figures['p50_ms']:.1f}ms p95 {figures['p95_ms']:.1f}ms{flag}")
    flat = "yes" if result["queries_flat"] else "NO (" + ", ".join(
        f"{name} {v['n0']['queries']}->{v['n']['queries']}" for name, v in result["views"].items()
        if not v["queries_flat"]) + ")"
    ratios = {name: v["ratio_p50"] for name, v in result["views"].items()}
    worst = max(ratios, key=lambda name: ratios[name])
    return (
        f"queue {result['db']} N={result['n']}: " + " | ".join(parts)
        + f" | queries flat: {flat} | vs N0={result['n0']}: x{ratios['default']:.1f} default,"
        f" x{ratios[worst]:.1f} at most ({worst})"
    )


if __name__ == "__main__":
    sys.exit(main())
