"""Sustained intake over HTTP, and the mbox import rate: `.venv/bin/python benchmarks/intake.py [options]`.

Sets up its own database (SQLite under var/bench-intake/, or the PostgreSQL database
safetydesk_bench_intake, dropped and recreated), migrates it, creates a staff account with an
API token, and starts `safetydesk serve --bind 127.0.0.1:<free port> --workers 2` on it. On
PostgreSQL it runs VACUUM ANALYZE before each timed part, as autovacuum would in production. Then:

1. reports: --clients threads, each with its own keep-alive connection, POST varied reports to
   /api/v1/reports (six languages, categories, permalinks, about 1 in 50 a threat) with an
   Idempotency-Key each, for --seconds, after a short warm-up;
2. healthz: the same clients GET /healthz for the same time, once the task worker has caught up
   (the baseline: the same server and middleware, one `SELECT 1`);
3. checks that every 201 answered is an intake item in the database (nothing lost) and that no
   item is left received or quarantined;
4. with the server stopped, times `safetydesk intake mbox FILE --to ca@example.org` on a
   generated 10,000-message mbox, and on a 500-message one as the baseline.

Writes one JSON file per database and prints one summary line per database. See
benchmarks/README.md for what the figures mean.
"""

import sys
from pathlib import Path

# benchmarks/queue.py shares its name with the standard library's `queue`, which
# concurrent.futures and logging.config import: take this folder off the path.
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import ctypes  # noqa: E402
import email.utils  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402  # the server, the mbox import, and one process per database
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from email.generator import BytesGenerator  # noqa: E402
from email.header import Header  # noqa: E402
from email.message import Message  # noqa: E402
from email.mime.application import MIMEApplication  # noqa: E402
from email.mime.multipart import MIMEMultipart  # noqa: E402
from email.mime.text import MIMEText  # noqa: E402
from io import BytesIO  # noqa: E402
from typing import Any, NamedTuple  # noqa: E402
from urllib.parse import quote  # noqa: E402

from safetydesk.lib import benchmarking  # noqa: E402
from safetydesk.lib.benchmarking import db_version, environment  # noqa: E402
from safetydesk.lib.processes import free_port  # noqa: E402

REPO = HERE.parent
BENCH_VAR = REPO / "var" / "bench-intake"
POSTGRES_DATABASE = "safetydesk_bench_intake"
TARGET_REPORTS_PER_S = 300.0
TARGET_P99_MS = 250.0
TARGET_MBOX_PER_S = 200.0
MBOX_RECIPIENT = "ca@example.org"
REQUEST_TIMEOUT = 60.0  # seconds; gunicorn's own request timeout is 60 s too
HEALTH_WAIT_SECONDS = 120.0
SERVER_STOP_SECONDS = 45.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--db", choices=["sqlite", "postgres", "both"], default=None,
        help="default: postgres if DATABASE_URL names a PostgreSQL database, else sqlite",
    )
    parser.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients (default 32)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each timed phase (default 30)")
    parser.add_argument("--warmup", type=float, default=3.0, help="untimed seconds of reports first (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="threads in each gunicorn worker (default 2)")
    parser.add_argument("--mbox-messages", type=int, default=10_000, help="messages in the large mbox (default 10000)")
    parser.add_argument("--mbox-baseline", type=int, default=500, help="messages in the baseline mbox (default 500)")
    parser.add_argument(
        "--drain-timeout", type=float, default=600.0,
        help="at most this long to wait for triage and the task worker to catch up before healthz (default 600 s)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed for the generated reports and mail")
    parser.add_argument(
        "--skip", choices=["http", "mbox"], action="append", default=[],
        help="leave out a part (repeatable): http (reports and healthz) or mbox",
    )
    parser.add_argument(
        "--out", type=Path, default=None,
        help="JSON result file (default benchmarks/results/intake-<db>.json; with --db both, one per db)",
    )
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = benchmarking.default_db()
    if args.clients < 1 or args.seconds <= 0 or args.warmup < 0 or args.workers < 1 or args.threads < 1:
        parser.error("need --clients >= 1, --seconds > 0, --warmup >= 0, --workers >= 1, --threads >= 1")
    if args.mbox_messages < 1 or args.mbox_baseline < 1:
        parser.error("need --mbox-messages >= 1 and --mbox-baseline >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.db == "both":
        return benchmarking.run_each_database(__file__, lambda db: _passthrough(args, db))
    url = configure_environment(args.db)
    result = run(args, url)
    out = args.out or REPO / "benchmarks" / "results" / f"intake-{args.db}.json"
    benchmarking.write_result(result, out, summary_line(result))
    return 0


def _passthrough(args: argparse.Namespace, db: str) -> list[str]:
    passed = [
        "--clients", str(args.clients), "--seconds", str(args.seconds), "--warmup", str(args.warmup),
        "--workers", str(args.workers), "--threads", str(args.threads), "--mbox-messages", str(args.mbox_messages),
        "--mbox-baseline", str(args.mbox_baseline), "--drain-timeout", str(args.drain_timeout),
        "--seed", str(args.seed),
    ]
    for part in args.skip:
        passed += ["--skip", part]
    if args.out is not None:
        passed += ["--out", str(args.out.with_name(f"{args.out.stem}-{db}{args.out.suffix}"))]
    return passed


# --- Setting up -----------------------------------------------------------------------------


def configure_environment(db: str) -> str:
    """Settings for this process and the server it starts (lib.benchmarking's, with the database
    task queue, so `serve` runs its task worker, as in production, and the in-memory mail backend:
    acknowledgements are built and "sent", never over SMTP). Returns the database URL."""
    return benchmarking.configure_environment(
        db, BENCH_VAR, {"TASKS_BACKEND": "db", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        sqlite_file="intake.sqlite3", postgres_database=POSTGRES_DATABASE,
    )


def setup_database() -> str:
    """Migrate, and create a specialist with an API token; returns the raw token.

    POST /api/v1/reports is rate limited per client IP (SAFETYDESK_INTAKE_API_RATE_PER_IP, 60 a
    minute) for anonymous callers, and every client here is 127.0.0.1; a staff token lifts the
    limit, as it does for a partner system that files reports through the API."""
    from django.core.management import call_command
    from django.db import connections

    from safetydesk.accounts.actions import do_create_api_token, do_create_staff_user
    from safetydesk.accounts.roles import Role

    call_command("migrate", verbosity=0)
    user = do_create_staff_user(
        acting_user=None, username="bench-intake", roles=[Role.SPECIALIST], password=uuid.uuid4().hex,
        email="bench-intake@staff.example.org", display_name="Intake benchmark", via="benchmark",
    )
    _, token = do_create_api_token(acting_user=user, name="intake benchmark")
    connections.close_all()
    return token


def refresh_statistics(where: str, log: list[dict[str, Any]]) -> None:
    """On PostgreSQL, VACUUM ANALYZE the whole database, as autovacuum would have done by now in
    production: the tables grow from empty during the run, and without statistics the planner
    picks plans for empty tables (the mass-report look-up then walked every open case; 38 ms at
    11,000 cases instead of 1 ms). SQLite is left alone: Django never runs ANALYZE there."""
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log.append({"before": where, "seconds": round(time.monotonic() - started, 2)})
    connections.close_all()


def postgres_autovacuum() -> str | None:
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        setting = str(cursor.fetchone()[0])
    connections.close_all()
    return setting


def _die_with_parent() -> None:
    """In the server's process before exec: SIGTERM it if this script dies (Linux)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """`safetydesk serve` on 127.0.0.1:<port>, its output in <log_dir>/serve-<db>.log."""

    def __init__(self, db: str, workers: int, log_dir: Path = BENCH_VAR, threads: int = 2) -> None:
        self.port = free_port()
        self.log_path = log_dir / f"serve-{db}.log"
        self.argv = [
            sys.executable, "-m", "safetydesk.cli", "serve",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--threads", str(threads),
        ]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log_path, "wb") as log:
            # Started before any thread of ours, so preexec_fn is safe; its own session, so
            # every process it starts can be found (server_cpu_seconds) and stopped together.
            self.process = subprocess.Popen(  # noqa: S603 (our own command, fixed arguments)
                self.argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_die_with_parent, cwd=REPO,
            )
        deadline = time.monotonic() + HEALTH_WAIT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"safetydesk serve exited with {self.process.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise SystemExit(f"/healthz did not answer 200 within {HEALTH_WAIT_SECONDS:.0f}s; see {self.log_path}")

    def stop(self) -> None:
        """SIGTERM to `serve` (it stops gunicorn and the worker gracefully), then SIGKILL to its
        process group if it is still there after SERVER_STOP_SECONDS."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=SERVER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def workers_booted(self) -> int:
        """gunicorn workers started so far (it recycles one every ~20,000 requests)."""
        return self.log_path.read_text(errors="replace").count("Booting worker")

    @property
    def session(self) -> int:
        assert self.process is not None
        return self.process.pid


# --- What is sent ---------------------------------------------------------------------------

LANGUAGE_WEIGHTS = {"en": 40, "es": 15, "de": 13, "fr": 12, "ja": 10, "pt": 10}

TEXTS: dict[str, dict[str, list[str]]] = {
    "en": {
        "complaint": [
            "User {who} keeps reverting my edits on {page} without any explanation.",
            "{who} left insulting messages on my talk page after I nominated their article for deletion.",
            "Someone is posting my real name and my employer's address on the talk page of {page}.",
            "An account called {who} has been following me to every article I edit for {n} weeks now.",
            "{who} added racist comments to the talk page of {page}.",
            "I believe {who} is running several sockpuppet accounts to win the deletion discussion about {page}.",
            "{who} keeps sending me sexual messages through the wiki's email function.",
            "Somebody replaced the whole article {page} with advertising for an online casino.",
        ],
        "detail": [
            "I asked them to stop twice, but they ignored me.",
            "This has happened {n} times since last month.",
            "The local administrators told me they cannot help because it happens on other wikis too.",
            "I have screenshots if you need them.",
            "Other editors noticed it as well, but nobody has done anything about it.",
            "Their edit summary said that I should leave the project.",
        ],
        "request": [
            "Could you please look into it?",
            "Please help, I no longer feel safe editing.",
            "I would like this account to be blocked.",
            "Thank you for your time.",
            "Let me know if you need anything else from me.",
        ],
        "threat": [
            "{who} wrote on my talk page: I know where you live and I am going to kill you.",
            "A user posted that they want to kill themselves tonight and said goodbye to everyone.",
            "{who} said they will bring a gun to the school tomorrow and shoot everyone.",
        ],
    },
    "es": {
        "complaint": [
            "El usuario {who} revierte mis ediciones en {page} sin dar ninguna explicación.",
            "{who} dejó mensajes insultantes en mi página de discusión después de que propuse borrar su artículo.",
            "Alguien está publicando mi nombre real y la dirección de mi trabajo en la discusión de {page}.",
            "La cuenta {who} me sigue a todos los artículos que edito desde hace {n} semanas.",
            "{who} escribió comentarios racistas en la página de discusión de {page}.",
            "Creo que {who} usa varias cuentas títere para ganar la votación sobre {page}.",
        ],
        "detail": [
            "Le pedí dos veces que parara, pero me ignoró.",
            "Esto ha pasado {n} veces desde el mes pasado.",
            "Los bibliotecarios locales dicen que no pueden hacer nada.",
            "Tengo capturas de pantalla si las necesitan.",
        ],
        "request": [
            "¿Podrían revisarlo, por favor?",
            "Por favor, ayúdenme, ya no me siento seguro editando.",
            "Quisiera que bloqueen esta cuenta.",
            "Gracias por su tiempo.",
        ],
        "threat": [
            "{who} me escribió: te voy a matar, sé dónde vives.",
            "Un usuario escribió en su página de discusión: quiero suicidarme esta noche.",
            "{who} dijo que va a hacer explotar la escuela mañana.",
        ],
    },
    "fr": {
        "complaint": [
            "L'utilisateur {who} annule toutes mes modifications sur {page} sans aucune explication.",
            "{who} a laissé des messages insultants sur ma page de discussion après que j'ai proposé "
            "la suppression de son article.",
            "Quelqu'un publie mon vrai nom et l'adresse de mon employeur sur la page de discussion de {page}.",
            "Le compte {who} me suit sur chaque article que je modifie depuis {n} semaines.",
            "{who} a ajouté des propos racistes sur la page de discussion de {page}.",
            "Je pense que {who} utilise plusieurs faux-nez pour gagner le vote sur {page}.",
        ],
        "detail": [
            "Je lui ai demandé d'arrêter deux fois, mais il m'a ignoré.",
            "C'est arrivé {n} fois depuis le mois dernier.",
            "Les administrateurs locaux disent qu'ils ne peuvent rien faire.",
            "J'ai des captures d'écran si vous en avez besoin.",
        ],
        "request": [
            "Pourriez-vous examiner cela, s'il vous plaît ?",
            "Aidez-moi, je ne me sens plus en sécurité pour contribuer.",
            "Je souhaite que ce compte soit bloqué.",
            "Merci de votre aide.",
        ],
        "threat": [
            "{who} m'a écrit : je vais te tuer, je sais où tu habites.",
            "Un utilisateur a écrit qu'il veut se suicider ce soir.",
            "{who} a écrit qu'il va faire exploser l'école demain.",
        ],
    },
    "de": {
        "complaint": [
            "Der Benutzer {who} setzt alle meine Bearbeitungen an {page} ohne Begründung zurück.",
            "{who} hat beleidigende Nachrichten auf meiner Diskussionsseite hinterlassen, nachdem ich "
            "seinen Artikel zur Löschung vorgeschlagen habe.",
            "Jemand veröffentlicht meinen echten Namen und die Adresse meines Arbeitgebers auf der "
            "Diskussionsseite von {page}.",
            "Das Konto {who} folgt mir seit {n} Wochen zu jedem Artikel, den ich bearbeite.",
            "{who} hat rassistische Kommentare auf der Diskussionsseite von {page} geschrieben.",
            "Ich glaube, dass {who} mehrere Sockenpuppen benutzt, um die Abstimmung über {page} zu gewinnen.",
        ],
        "detail": [
            "Ich habe ihn zweimal gebeten aufzuhören, aber er hat mich ignoriert.",
            "Das ist seit letztem Monat {n} Mal passiert.",
            "Die lokalen Administratoren sagen, dass sie nichts tun können.",
            "Ich habe Bildschirmfotos, falls Sie sie brauchen.",
        ],
        "request": [
            "Könnten Sie sich das bitte ansehen?",
            "Bitte helfen Sie mir, ich fühle mich beim Bearbeiten nicht mehr sicher.",
            "Ich möchte, dass dieses Konto gesperrt wird.",
            "Vielen Dank für Ihre Hilfe.",
        ],
        "threat": [
            "{who} schrieb mir: Ich bringe dich um, ich weiß, wo du wohnst.",
            "Ein Benutzer schrieb, dass er sich heute Nacht umbringen will.",
            "{who} hat angekündigt, morgen die Schule in die Luft zu sprengen.",
        ],
    },
    "pt": {
        "complaint": [
            "O usuário {who} reverte todas as minhas edições em {page} sem nenhuma explicação.",
            "{who} deixou mensagens ofensivas na minha página de discussão depois que propus a "
            "eliminação do artigo dele.",
            "Alguém está publicando meu nome verdadeiro e o endereço do meu trabalho na discussão de {page}.",
            "A conta {who} me segue em todos os artigos que edito há {n} semanas.",
            "{who} escreveu comentários racistas na página de discussão de {page}.",
            "Acho que {who} usa várias contas fantoches para ganhar a votação sobre {page}.",
        ],
        "detail": [
            "Pedi duas vezes para parar, mas fui ignorado.",
            "Isso aconteceu {n} vezes desde o mês passado.",
            "Os administradores locais dizem que não podem fazer nada.",
            "Tenho capturas de tela, se precisarem.",
        ],
        "request": [
            "Vocês poderiam verificar, por favor?",
            "Por favor, me ajudem, não me sinto mais seguro editando.",
            "Gostaria que esta conta fosse bloqueada.",
            "Obrigado pela atenção.",
        ],
        "threat": [
            "{who} me escreveu: vou te matar, sei onde você mora.",
            "Um usuário escreveu que quer se matar hoje à noite.",
            "{who} disse que vai explodir a escola amanhã.",
        ],
    },
    "ja": {
        "complaint": [
            "利用者{who}が、{page}での私の編集を理由も説明せずに何度も差し戻しています。",
            "私が記事の削除を提案してから、{who}が私の会話ページに侮辱的なメッセージを書き込んでいます。",
            "誰かが{page}のノートページに私の本名と勤務先の住所を書き込んでいます。",
            "{who}というアカウントが、{n}週間前から私が編集するすべての記事に付きまとっています。",
            "{who}が{page}のノートページに差別的なコメントを書きました。",
            "{who}が{page}の投票で勝つために複数のソックパペットを使っていると思います。",
        ],
        "detail": [
            "二度やめるようにお願いしましたが、無視されました。",
            "先月から{n}回起きています。",
            "地元の管理者は対応できないと言っています。",
            "必要であればスクリーンショットがあります。",
        ],
        "request": [
            "確認していただけないでしょうか。",
            "助けてください。もう安心して編集できません。",
            "このアカウントをブロックしてほしいです。",
            "よろしくお願いいたします。",
        ],
        "threat": [
            "{who}から「お前を殺す。住所は知っている」というメッセージが来ました。",
            "ある利用者が会話ページに「今夜死にたい、自殺する」と書いています。",
            "{who}が明日学校を爆破すると書き込みました。",
        ],
    },
}

PAGES = {
    "en": ["Climate change", "Battle of Hastings", "List of tallest buildings", "Taylor Swift",
           "Python (programming language)", "2024 Summer Olympics", "Photosynthesis"],
    "es": ["Cambio climático", "Guerra civil española", "Lionel Messi", "Ciudad de México", "Frida Kahlo"],
    "fr": ["Révolution française", "Tour Eiffel", "Marie Curie", "Changement climatique", "Zinédine Zidane"],
    "de": ["Zweiter Weltkrieg", "Berlin", "Johann Wolfgang von Goethe", "Klimawandel", "Fußball-Bundesliga"],
    "pt": ["Brasil", "Pelé", "Revolução dos Cravos", "Lisboa", "Floresta Amazônica"],
    "ja": ["東京都", "日本の歴史", "富士山", "明治維新", "新幹線"],
}
USER_PREFIXES = {
    "en": ["Editor", "WikiFan", "HistoryBuff", "Reader"], "es": ["Usuario", "Editora", "Wikipedista"],
    "fr": ["Contributeur", "Lecteur", "Wikipédien"], "de": ["Benutzer", "Autorin", "Sichter"],
    "pt": ["Usuário", "Editor", "Leitora"], "ja": ["編集者", "利用者", "ウィキ"],
}
BEHAVIOR_WEIGHTS = {
    "intimidation": 18, "hate-or-discrimination": 12, "doxing": 8, "sexual-harassment": 6, "trolling": 8,
    "vandalism": 10, "userdispute": 10, "disruptiveediting": 8, "sockpuppetry": 6, "spam": 3,
    "something-else": 4, "other": 3, "": 14,
}
THREAT_CATEGORIES = ("threats-physical-harm", "threats-self-harm", "threats-public-harm")
# A few targets reported over and over in nearly the same words: intake.grouping threads these
# into the first report's case (mass reports).
MASS_TARGETS = ("CampaignAccount77", "PromoBot2024", "Angry Reverter")
MASS_TEXT = ("{who} is mass-adding promotional links to dozens of articles about local businesses, "
             "please block this account and clean up the links. Report number {n}.")


class ReportMaker:
    """Varied POST /api/v1/reports bodies, one new Idempotency-Key each."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.languages = list(LANGUAGE_WEIGHTS)
        self.language_weights = list(LANGUAGE_WEIGHTS.values())
        self.categories = list(BEHAVIOR_WEIGHTS)
        self.category_weights = list(BEHAVIOR_WEIGHTS.values())
        self.sent = Counter[str]()
        self.last_language = ""
        self.last_kind = ""  # "threat" (processed before the answer) or "report"

    def __call__(self) -> tuple[str, str, bytes, dict[str, str]]:
        rng = self.rng
        report = self.report()
        body = json.dumps(report, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.UUID(int=rng.getrandbits(128)).hex}
        return "POST", "/api/v1/reports", body, headers

    def report(self) -> dict[str, Any]:
        rng = self.rng
        lang = self.last_language = rng.choices(self.languages, self.language_weights)[0]
        texts = TEXTS[lang]
        page = rng.choice(PAGES[lang])
        roll = rng.random()
        who = self.username(lang)
        context = {"who": who or rng.choice(USER_PREFIXES[lang]), "page": page, "n": rng.randint(2, 30)}
        report: dict[str, Any] = {}
        threat = roll < 0.02
        self.last_kind = "threat" if threat else "report"
        if threat:  # about 1 in 50: a threat, mostly with a threat category, else only in words
            text = rng.choice(texts["threat"]).format(**context)
            what = f"{text} {rng.choice(texts['request']).format(**context)}"
            if rng.random() < 0.7:
                report["category"] = rng.choice(THREAT_CATEGORIES)
            self.sent["threat"] += 1
        elif roll < 0.04 and lang == "en":  # mass reports about a few targets
            who = rng.choice(MASS_TARGETS)
            what = MASS_TEXT.format(who=who, n=rng.randint(1, 3))
            report["category"] = "spam"
            self.sent["mass"] += 1
        else:
            parts = [rng.choice(texts["complaint"])]
            parts += rng.sample(texts["detail"], rng.randint(1, 2))
            parts.append(rng.choice(texts["request"]))
            what = " ".join(p.format(**context) for p in parts)
            if rng.random() < 0.05:  # a long one: the story, then a pasted discussion
                history = " ".join(rng.choice(texts["detail"]).format(**context) for _ in range(20))
                what = f"{what}\n\n{history}\n\n" + "\n".join(
                    f"> {rng.choice(texts['complaint']).format(**context)}" for _ in range(12)
                )
                self.sent["long"] += 1
            category = rng.choices(self.categories, self.category_weights)[0]
            if category:
                report["category"] = category
        report["what_happened"] = what
        if who:
            report["who"] = who
        link = self.permalink(lang, page)
        if link:
            report["where"] = link
        if rng.random() < 0.5:
            report["contact_email"] = f"reporter{rng.randint(1, 10**6)}@example.{rng.choice(('net', 'com', 'org'))}"
            report["wants_reply"] = rng.random() < 0.6
        if rng.random() < 0.2:
            report["language"] = lang
        if not threat and rng.random() < 0.02:
            self.dsa_notice(report, page, lang)
        self.sent[lang] += 1
        return report

    def username(self, lang: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.2:
            return ""
        if roll < 0.28:
            return f"203.0.113.{rng.randint(1, 254)}" if rng.random() < 0.7 else f"2001:db8::{rng.randint(1, 9999):x}"
        return f"{rng.choice(USER_PREFIXES[lang])}{rng.randint(1, 99_999)}"

    def permalink(self, lang: str, page: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return ""
        oldid = rng.randint(10**8, 1_300_000_000)
        if roll < 0.75:  # en.wikipedia.org, a revision permalink
            title = rng.choice(PAGES["en"])
            return f"https://en.wikipedia.org/w/index.php?title={quote(title.replace(' ', '_'))}&oldid={oldid}"
        if roll < 0.9:
            return f"https://{lang}.wikipedia.org/wiki/{page.replace(' ', '_')}"  # pasted with a raw title
        return f"https://{lang}.wikipedia.org/w/index.php?diff={oldid}&oldid={oldid - rng.randint(1, 500)}"

    def dsa_notice(self, report: dict[str, Any], page: str, lang: str) -> None:
        report.update(
            illegal_content=True,
            dsa_explanation="This page publishes my home address and phone number without my consent, "
            "which is unlawful under data protection law.",
            dsa_urls=[f"https://{lang}.wikipedia.org/wiki/{page.replace(' ', '_')}"],
            dsa_good_faith=True,
            contact_name=report.get("contact_name") or "Alex Example",
            contact_email=report.get("contact_email") or f"notice{self.rng.randint(1, 10**6)}@example.org",
        )
        self.sent["dsa_notice"] += 1


# --- Load -----------------------------------------------------------------------------------

RequestMaker = Callable[[], tuple[str, str, bytes, dict[str, str]]]
RETRYABLE = (http.client.RemoteDisconnected, http.client.BadStatusLine, ConnectionResetError, BrokenPipeError)


class Sample:
    __slots__ = ("end", "item", "kind", "latency_ms", "replayed", "retries", "status")

    def __init__(self, latency_ms: float, status: str, end: float, retries: int = 0, item: int | None = None,
                 replayed: bool = False, kind: str = "") -> None:
        self.kind = kind
        self.latency_ms = latency_ms
        self.status = status
        self.end = end
        self.retries = retries
        self.item = item
        self.replayed = replayed


def load(
    port: int, token: str, clients: int, seconds: float, make: Callable[[int], RequestMaker]
) -> tuple[list[Sample], float, float]:
    """`clients` threads, each with one keep-alive connection, send what `make(i)()` gives
    until `seconds` have passed. Returns the samples, the start and the wall time."""
    barrier = threading.Barrier(clients + 1)
    results: list[list[Sample]] = [[] for _ in range(clients)]
    start_at: list[float] = []

    def client(index: int) -> None:
        next_request = make(index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        auth = {"Authorization": f"Bearer {token}", "Connection": "keep-alive"}
        out = results[index]
        barrier.wait()
        deadline = start_at[0] + seconds
        while time.perf_counter() < deadline:
            method, path, body, headers = next_request()
            started = time.perf_counter()
            retries = 0
            while True:
                try:
                    conn.request(method, path, body=body, headers={**auth, **headers})
                    response = conn.getresponse()
                    payload = response.read()
                    break
                except RETRYABLE:
                    # The server closed the keep-alive connection (gunicorn recycles a worker
                    # every ~20,000 requests): reconnect and send again, with the same key.
                    conn.close()
                    retries += 1
                    if retries > 3:
                        out.append(Sample((time.perf_counter() - started) * 1000, "disconnected",
                                          time.perf_counter(), retries))
                        response = None
                        break
                except (TimeoutError, OSError) as exc:
                    conn.close()
                    out.append(Sample((time.perf_counter() - started) * 1000, type(exc).__name__,
                                      time.perf_counter(), retries))
                    response = None
                    break
            if response is None:
                time.sleep(0.1)  # the server is gone or stuck: do not spin
                continue
            end = time.perf_counter()
            item = None
            replayed = False
            if response.status == 201:
                item = json.loads(payload)["intake_item"]
                replayed = response.getheader("Idempotent-Replayed") == "true"
            kind = getattr(next_request, "last_kind", "")
            out.append(Sample((end - started) * 1000, str(response.status), end, retries, item, replayed, kind))
            if response.will_close:
                conn.close()
        conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    start_at.append(time.perf_counter() + 0.05)
    barrier.wait()
    for thread in threads:
        thread.join(seconds + REQUEST_TIMEOUT * 4 + 30)
    samples = [s for per_client in results for s in per_client]
    wall = max((s.end for s in samples), default=start_at[0] + seconds) - start_at[0]
    return samples, start_at[0], wall


def phase_figures(samples: list[Sample], wall: float, ok_status: str) -> dict[str, Any]:
    ok = sorted(s.latency_ms for s in samples if s.status == ok_status)
    every = sorted(s.latency_ms for s in samples)
    statuses = Counter(s.status for s in samples)
    figures: dict[str, Any] = {
        "requests": len(samples),
        "ok": len(ok),
        "wall_seconds": round(wall, 2),
        "rate_per_s": round(len(ok) / wall, 1) if wall > 0 else 0.0,
        "errors_by_status": {k: v for k, v in sorted(statuses.items()) if k != ok_status},
        "retries": sum(s.retries for s in samples),
    }
    if ok:
        figures.update(
            p50_ms=round(percentile(ok, 50), 1), p90_ms=round(percentile(ok, 90), 1),
            p99_ms=round(percentile(ok, 99), 1), max_ms=round(ok[-1], 1), mean_ms=round(statistics.fmean(ok), 1),
        )
    if every and len(every) != len(ok):
        figures["p99_all_ms"] = round(percentile(every, 99), 1)
    # Threats are processed before their answer (a case, a page), the others after it: their
    # latencies are two different things, and the threats (2%) alone can make the p99.
    by_kind: dict[str, list[float]] = {}
    for sample in samples:
        if sample.status == ok_status and sample.kind:
            by_kind.setdefault(sample.kind, []).append(sample.latency_ms)
    if len(by_kind) > 1:
        figures["by_kind"] = {
            kind: {"ok": len(values), "p50_ms": round(percentile(sorted(values), 50), 1),
                   "p99_ms": round(percentile(sorted(values), 99), 1)}
            for kind, values in sorted(by_kind.items())
        }
    return figures


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    rank = max(math.ceil(pct / 100 * len(sorted_values)), 1)
    return sorted_values[rank - 1]


class CpuMeter:
    """CPU seconds used between start() and stop() by the server's processes (its session): the
    gunicorn processes ("web", recycled workers included once reaped) and the task worker; by
    every PostgreSQL process on the machine (other work there counts too); and by this script."""

    def __init__(self, session: int) -> None:
        self.session = session
        self.tick = os.sysconf("SC_CLK_TCK")

    def snapshot(self) -> Counter[str]:
        used = Counter[str]()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    stat = handle.read()
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    command = handle.read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            # after the name: state ppid pgrp session ... utime(11) stime(12) cutime(13) cstime(14)
            seconds = sum(int(x) for x in fields[11:15]) / self.tick
            if int(fields[3]) == self.session:
                used["web" if b"gunicorn" in command else "task_worker" if b"worker" in command else "serve"] += seconds
            elif name == "postgres":
                used["postgres"] += seconds
        used["client"] = time.process_time()
        return used

    def start(self) -> None:
        self.before = self.snapshot()

    def stop(self) -> dict[str, float]:
        after = self.snapshot()
        spent = {key: round(after[key] - self.before[key], 2) for key in ("web", "task_worker", "postgres", "client")}
        server = round(sum(after[k] - self.before[k] for k in ("web", "task_worker", "serve")), 2)
        return {
            "server_cpu_s": server, "web_cpu_s": spent["web"], "task_worker_cpu_s": spent["task_worker"],
            "postgres_cpu_s": spent["postgres"], "client_cpu_s": spent["client"],
        }


# --- The HTTP part --------------------------------------------------------------------------


def run_http(args: argparse.Namespace, db: str, token: str, vacuum_log: list[dict[str, Any]]) -> dict[str, Any]:
    server = Server(db, args.workers, threads=args.threads)
    server.start()
    try:
        seed = args.seed
        makers: list[ReportMaker] = []

        def report_maker(phase: str) -> Callable[[int], ReportMaker]:
            def make(index: int) -> ReportMaker:
                maker = ReportMaker(random.Random(f"{seed}:{phase}:{index}"))
                makers.append(maker)
                return maker

            return make

        def healthz(index: int) -> RequestMaker:
            return lambda: ("GET", "/healthz", b"", {})

        warm: list[Sample] = []
        if args.warmup:
            warm, _, _ = load(server.port, token, args.clients, args.warmup, report_maker("warmup"))
        refresh_statistics("reports", vacuum_log)
        meter = CpuMeter(server.session)
        booted = server.workers_booted()
        load_before = os.getloadavg()
        meter.start()
        samples, _, wall = load(server.port, token, args.clients, args.seconds, report_maker("reports"))
        reports = phase_figures(samples, wall, "201")
        reports.update(meter.stop(), load_average_before=[round(x, 2) for x in load_before])
        reports["replayed"] = sum(1 for s in samples if s.replayed)
        reports["gunicorn_workers_recycled"] = server.workers_booted() - booted
        per_request(reports, len(samples))

        # The reports answered "received" are triaged by the task worker (then acknowledged): how
        # far behind it is when the clients stop, and how long it takes to catch up, say whether
        # the rate is sustained or only absorbed.
        untriaged = untriaged_items()
        meter.start()
        tasks = drain_tasks(args.drain_timeout)
        tasks["untriaged_after_reports"] = untriaged
        tasks["triaged_per_s"] = round(reports["ok"] / (wall + tasks["drain_seconds"]), 1) if reports["ok"] else None
        tasks.update({f"drain_{k}": v for k, v in meter.stop().items() if k in ("task_worker_cpu_s", "postgres_cpu_s")})
        tasks["task_worker_cpu_ms_per_report"] = round(
            1000 * (reports["task_worker_cpu_s"] + tasks["drain_task_worker_cpu_s"]) / max(len(samples), 1), 2
        )

        booted = server.workers_booted()
        load_before = os.getloadavg()
        meter.start()
        health_samples, _, health_wall = load(server.port, token, args.clients, args.seconds, healthz)
        health = phase_figures(health_samples, health_wall, "200")
        health.update(meter.stop(), load_average_before=[round(x, 2) for x in load_before])
        health["gunicorn_workers_recycled"] = server.workers_booted() - booted
        per_request(health, len(health_samples))
    finally:
        server.stop()

    sent = Counter[str]()
    for maker in makers:
        sent.update(maker.sent)
    answered = {s.item for s in (*warm, *samples) if s.item is not None}
    unanswered = sum(1 for s in (*warm, *samples) if s.status != "201")
    return {
        "reports": reports,
        "healthz": health,
        "ratio": {
            "rate": round(reports["rate_per_s"] / health["rate_per_s"], 3) if health["rate_per_s"] else None,
            "p50": _ratio(reports.get("p50_ms"), health.get("p50_ms")),
            "p99": _ratio(reports.get("p99_ms"), health.get("p99_ms")),
            "web_cpu_per_request": _ratio(reports["web_cpu_ms_per_request"], health["web_cpu_ms_per_request"]),
        },
        "warmup_requests": len(warm),
        "sent": dict(sorted(sent.items())),
        "tasks": tasks,
        "items": check_items(answered, unanswered),
        "server_log": str(server.log_path),
    }


def per_request(figures: dict[str, Any], requests: int) -> None:
    for key in ("web", "postgres"):
        figures[f"{key}_cpu_ms_per_request"] = round(1000 * figures[f"{key}_cpu_s"] / max(requests, 1), 2)


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def drain_tasks(timeout: float) -> dict[str, Any]:
    """Wait (at most `timeout`) until the triage loop has processed every report answered
    "received" and the task worker has run every task they queued (acknowledgements), so that
    neither shares the CPU with the healthz phase."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from safetydesk.intake.models import IntakeItem, IntakeStatus

    def waiting() -> int:
        tasks = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
        return tasks + IntakeItem.objects.filter(status=IntakeStatus.RECEIVED).count()

    started = time.monotonic()
    backlog = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
    pending = waiting()
    while pending and time.monotonic() - started < timeout:
        time.sleep(1.0)
        pending = waiting()
    figures = {
        "backlog_after_reports": backlog,
        "drain_seconds": round(time.monotonic() - started, 1),
        "pending_at_healthz": pending,
        "failed": DBTaskResult.objects.filter(status="FAILED").count(),
        "succeeded": DBTaskResult.objects.filter(status="SUCCESSFUL").count(),
    }
    connections.close_all()
    return figures


def untriaged_items() -> int:
    """Items committed but not yet processed (answered "received", waiting for the task worker)."""
    from django.db import connections

    from safetydesk.intake.models import IntakeItem, IntakeStatus

    count = IntakeItem.objects.filter(status=IntakeStatus.RECEIVED).count()
    connections.close_all()
    return count


def check_items(answered: set[int], unanswered: int) -> dict[str, Any]:
    """Nothing lost: every item a 201 named is in the database, and every API item was named by
    a 201 (an item without one was committed for a request the client saw fail)."""
    from django.db import connections
    from django.db.models import Count

    from safetydesk.cases.models import Case
    from safetydesk.intake.models import IntakeItem
    from safetydesk.notify.models import Notice

    stored = set(IntakeItem.objects.values_list("pk", flat=True))
    by_status = dict(IntakeItem.objects.values_list("status").annotate(n=Count("id")).order_by("status"))
    flags = Counter(flag for row in IntakeItem.objects.values_list("flags", flat=True) for flag in row or [])
    figures = {
        "answered_201": len(answered),
        "in_database": len(stored),
        "lost": len(answered - stored),
        "without_201": len(stored - answered),
        "requests_without_201": unanswered,
        "by_status": by_status,
        "unexpected": by_status.get("received", 0) + by_status.get("quarantined", 0),
        "mass_report_flags": flags.get("mass_report", 0),
        "cases_by_kind": dict(Case.objects.values_list("kind").annotate(n=Count("id")).order_by("kind")),
        "p0_cases": Case.objects.filter(priority="P0").count(),
        "notices": Notice.objects.count(),
    }
    connections.close_all()
    return figures


# --- The mbox part --------------------------------------------------------------------------

CHARSETS = {"en": "windows-1252", "es": "iso-8859-1", "fr": "iso-8859-15", "de": "iso-8859-1",
            "pt": "iso-8859-1", "ja": "iso-2022-jp"}
FIRST_NAMES = {
    "en": ["Sam", "Alex", "Jordan"], "es": ["José", "María", "Lucía"], "fr": ["Hélène", "François", "Zoé"],
    "de": ["Jürgen", "Käthe", "Lukas"], "pt": ["João", "Conceição", "Tiago"],
    "ja": ["山田太郎", "佐藤花子", "鈴木一郎"],
}
DOMAINS = ("example.net", "example.com", "mail.example.org", "correo.example.es", "example.co.jp")


class SentMail(NamedTuple):
    message_id: str
    references: str
    subject: str
    sender: str
    name: str
    language: str
    text: str


class MboxMaker:
    """A varied mailbox: plain text, multipart/alternative with HTML, HTML only, legacy charsets
    (and RFC 2047 headers in them), replies (In-Reply-To, References, "Re:") to earlier
    messages, attachments of a few KB, a few exact duplicates, about 1 in 50 a threat."""

    def __init__(self, seed: str, count: int, tag: str) -> None:
        self.rng = random.Random(seed)
        self.count = count
        self.tag = tag
        self.shapes = Counter[str]()
        self.reports = ReportMaker(random.Random(f"{seed}:reports"))
        self.sent_at = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)

    def write(self, path: Path) -> dict[str, int]:
        earlier: list[SentMail] = []
        kept: list[bytes] = []
        with open(path, "wb") as out:
            for number in range(self.count):
                if kept and self.rng.random() < 0.005:
                    raw = self.rng.choice(kept[-200:])  # the same message delivered twice
                    self.shapes["duplicate"] += 1
                else:
                    raw, sent = self.message(number, earlier)
                    earlier.append(sent)
                    kept.append(raw)
                    if len(kept) > 400:
                        del kept[:200]
                        del earlier[:-300]
                out.write(b"From bench@example.net Sat Mar  1 08:00:00 2025\n" + raw)
                if not raw.endswith(b"\n"):
                    out.write(b"\n")
                out.write(b"\n")
        return dict(sorted(self.shapes.items()))

    def message(self, number: int, earlier: list[SentMail]) -> tuple[bytes, SentMail]:
        rng = self.rng
        self.sent_at += timedelta(seconds=rng.randint(5, 300))
        message_id = f"<{self.tag}.{number}.{rng.getrandbits(40):x}@{rng.choice(DOMAINS)}>"
        parent = earlier[-rng.randint(1, min(len(earlier), 300))] if earlier and rng.random() < 0.15 else None
        if parent is not None:  # the same reporter writes again, in the same language
            lang, sender, name = parent.language, parent.sender, parent.name
            references = f"{parent.references} {parent.message_id}".strip()
            subject = parent.subject if parent.subject.lower().startswith("re:") else f"Re: {parent.subject}"
            text = f"{self.follow_up(lang)}\n\n" + "\n".join(f"> {line}" for line in parent.text.splitlines()[:3])
            self.shapes["reply"] += 1
        else:
            report = self.reports.report()
            lang, text, references = self.reports.last_language, report["what_happened"], ""
            subject = self.subject(lang, report)
            sender = f"{self._ascii_name(lang)}{rng.randint(1, 50_000)}@{rng.choice(DOMAINS)}"
            name = rng.choice(FIRST_NAMES[lang])
        shape = rng.random()
        charset = "utf-8"
        if shape < 0.40:
            body: Message = MIMEText(text, "plain", "utf-8")
            self.shapes["plain"] += 1
        elif shape < 0.55 and self._fits(CHARSETS[lang], text, subject, name):
            charset = CHARSETS[lang]
            body = MIMEText(text, "plain", charset)
            self.shapes[f"plain_{charset}"] += 1
        elif shape < 0.83:
            body = MIMEMultipart("alternative")
            body.attach(MIMEText(text, "plain", "utf-8"))
            body.attach(MIMEText(self.html(text, subject), "html", "utf-8"))
            self.shapes["alternative_html"] += 1
        elif shape < 0.93:
            body = MIMEText(self.html(text, subject), "html", "utf-8")
            self.shapes["html_only"] += 1
        else:
            body = MIMEMultipart("mixed")
            body.attach(MIMEText(text, "plain", "utf-8"))
            for _ in range(rng.randint(1, 2)):
                body.attach(self.attachment())
            self.shapes["attachments"] += 1
        # Encoded words (RFC 2047) in the body's charset: =?iso-2022-jp?b?…?=, =?iso-8859-1?q?…?=
        body["From"] = email.utils.formataddr((name, sender), charset=charset)
        body["To"] = MBOX_RECIPIENT
        body["Subject"] = Header(subject, charset)
        body["Date"] = email.utils.format_datetime(self.sent_at)
        body["Message-ID"] = message_id
        if parent is not None:
            body["In-Reply-To"] = parent.message_id
            body["References"] = references
        body["MIME-Version"] = "1.0"
        buffer = BytesIO()
        BytesGenerator(buffer, mangle_from_=True, maxheaderlen=78).flatten(body)
        return buffer.getvalue(), SentMail(message_id, references, subject, sender, name, lang, text)

    @staticmethod
    def _fits(charset: str, *texts: str) -> bool:
        try:
            for text in texts:
                text.encode(charset)
        except UnicodeEncodeError:
            return False
        return True

    def subject(self, lang: str, report: dict[str, Any]) -> str:
        subjects = {
            "en": "Report about {who}", "es": "Denuncia sobre {who}", "fr": "Signalement concernant {who}",
            "de": "Meldung über {who}", "pt": "Denúncia sobre {who}", "ja": "{who}についての報告",
        }
        if self.rng.random() < 0.3:
            return {
                "en": "Harassment on Wikipedia", "es": "Acoso en Wikipedia", "fr": "Harcèlement sur Wikipédia",
                "de": "Belästigung auf Wikipedia", "pt": "Assédio na Wikipédia", "ja": "ウィキペディアでの嫌がらせ",
            }[lang]
        return subjects[lang].format(who=report.get("who") or "an account")

    def follow_up(self, lang: str) -> str:
        return {
            "en": "It happened again this morning, here is the new diff. Please do something.",
            "es": "Ha vuelto a pasar esta mañana. Por favor, hagan algo.",
            "fr": "C'est encore arrivé ce matin. Merci de faire quelque chose.",
            "de": "Es ist heute Morgen wieder passiert. Bitte unternehmen Sie etwas.",
            "pt": "Aconteceu de novo hoje de manhã. Por favor, façam alguma coisa.",
            "ja": "今朝また同じことが起きました。対応をお願いします。",
        }[lang]

    def html(self, text: str, subject: str) -> str:
        paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
        return (
            f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{subject}</title>"
            "<style>p { font-family: sans-serif }</style></head><body>"
            f"<div dir=\"auto\">{paragraphs}<p><a href=\"https://en.wikipedia.org/wiki/Special:Contributions\">"
            "contributions</a></p></div><script>track()</script></body></html>"
        )

    def attachment(self) -> Message:
        rng = self.rng
        size = rng.randint(2_000, 8_000)
        kind = rng.choice(("png", "pdf", "txt"))
        if kind == "png":
            data = b"\x89PNG\r\n\x1a\n" + rng.randbytes(size)
            part = MIMEApplication(data, "octet-stream")
            part.replace_header("Content-Type", "image/png")
        elif kind == "pdf":
            part = MIMEApplication(b"%PDF-1.4\n" + rng.randbytes(size), "pdf")
        else:
            part = MIMEText("\n".join(f"2025-03-01 08:{i % 60:02d} revert by vandal" for i in range(size // 40)))
        part.add_header("Content-Disposition", "attachment", filename=f"evidence-{rng.randint(1, 999)}.{kind}")
        return part

    def _ascii_name(self, lang: str) -> str:
        return {"en": "sam", "es": "maria", "fr": "helene", "de": "juergen", "pt": "joao", "ja": "yamada"}[lang]


def run_mbox(args: argparse.Namespace, db: str, vacuum_log: list[dict[str, Any]]) -> dict[str, Any]:
    """Time `safetydesk intake mbox` on an empty mbox (start-up), the baseline and the large one."""
    empty = BENCH_VAR / "empty.mbox"
    empty.write_bytes(b"")
    runs: dict[str, Any] = {"startup": import_mbox(empty, db, "empty")}
    for label, count in (("baseline", args.mbox_baseline), ("large", args.mbox_messages)):
        path = BENCH_VAR / f"bench-{count}.mbox"
        generated_at = time.monotonic()
        shapes = MboxMaker(f"{args.seed}:mbox:{label}", count, f"{label}{count}").write(path)
        generate_seconds = round(time.monotonic() - generated_at, 1)
        refresh_statistics(f"mbox {label}", vacuum_log)
        figures = import_mbox(path, db, label)
        figures.update(messages=count, file_bytes=path.stat().st_size, shapes=shapes,
                       generate_seconds=generate_seconds)
        figures["rate_per_s"] = round(count / figures["seconds"], 1)
        work = figures["seconds"] - runs["startup"]["seconds"]
        figures["rate_excluding_startup_per_s"] = round(count / work, 1) if work > 0 else None
        runs[label] = figures
    runs["items"] = mbox_items(runs["baseline"]["lines"] + runs["large"]["lines"])
    return runs


def mbox_items(lines: int) -> dict[str, Any]:
    """What the imports left in the database: one item per message (a duplicate is an item too,
    dismissed), none left received, none quarantined (the generated mail is all well-formed)."""
    from django.db import connections
    from django.db.models import Count

    from safetydesk.intake.models import IntakeItem

    items = IntakeItem.objects.filter(recipient=MBOX_RECIPIENT)
    by_status = dict(items.values_list("status").annotate(n=Count("id")).order_by("status"))
    figures = {
        "in_database": sum(by_status.values()),
        "json_lines": lines,
        "by_status": by_status,
        "unexpected": by_status.get("received", 0) + by_status.get("quarantined", 0),
        "with_attachments": items.filter(attachments__isnull=False).distinct().count(),
    }
    connections.close_all()
    return figures


def import_mbox(path: Path, db: str, label: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "safetydesk.cli", "intake", "mbox", str(path), "--to", MBOX_RECIPIENT]
    log_path = BENCH_VAR / f"mbox-{db}-{label}.log"
    statuses = Counter[str]()
    load_before = os.getloadavg()
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, cwd=REPO)  # noqa: S603
        assert process.stdout is not None
        for line in process.stdout:
            try:
                statuses[json.loads(line)["status"]] += 1
            except (ValueError, KeyError):
                statuses["unreadable line"] += 1
        returncode = process.wait()
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "lines": sum(statuses.values()),
        "by_status": dict(sorted(statuses.items())),
        "exit_status": returncode,
        "load_average_before": [round(x, 2) for x in load_before],
        "log": str(log_path),
    }


# --- Running and reporting ------------------------------------------------------------------


def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection

    started = time.monotonic()
    token = setup_database()
    vendor = "postgres" if connection.vendor == "postgresql" else connection.vendor
    result: dict[str, Any] = {
        "benchmark": "intake",
        "db": vendor,
        "db_version": db_version(connection),
        "clients": args.clients,
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "gunicorn": {"workers": args.workers, "threads": args.threads, "worker_class": "gthread", "task_worker": True},
        "seed": args.seed,
        "targets": {"reports_per_s": TARGET_REPORTS_PER_S, "p99_ms": TARGET_P99_MS, "mbox_per_s": TARGET_MBOX_PER_S},
    }
    connection.close()
    result["postgres_autovacuum"] = postgres_autovacuum()
    vacuum_log: list[dict[str, Any]] = []
    result["vacuum_analyze"] = vacuum_log
    if "http" not in args.skip:
        result["http"] = run_http(args, vendor, token, vacuum_log)
    if "mbox" not in args.skip:
        result["mbox"] = run_mbox(args, vendor, vacuum_log)
    result["meets_target"] = meets_target(result)
    result["environment"] = environment()
    result["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    result["duration_seconds"] = round(time.monotonic() - started, 1)
    return result


def meets_target(result: dict[str, Any]) -> dict[str, bool | None]:
    checks: dict[str, bool | None] = {"reports_per_s": None, "p99_ms": None, "mbox_per_s": None}
    if "http" in result:
        reports = result["http"]["reports"]
        checks["reports_per_s"] = reports["rate_per_s"] >= TARGET_REPORTS_PER_S
        checks["p99_ms"] = reports.get("p99_ms", math.inf) < TARGET_P99_MS
    if "mbox" in result:
        checks["mbox_per_s"] = result["mbox"]["large"]["rate_per_s"] >= TARGET_MBOX_PER_S
    return checks


def summary_line(result: dict[str, Any]) -> str:
    parts = []
    miss = result["meets_target"]
    if "http" in result:
        http = result["http"]
        reports, health, ratio = http["reports"], http["healthz"], http["ratio"]
        flag = "" if miss["reports_per_s"] and miss["p99_ms"] else " MISS"
        errors = {**reports["errors_by_status"]}
        error_text = (" errors " + ", ".join(f"{k}={v}" for k, v in errors.items())) if errors else ""
        parts.append(
            f"{reports['rate_per_s']:.0f} reports/s p50 {reports.get('p50_ms', 0):.0f}ms "
            f"p99 {reports.get('p99_ms', 0):.0f}ms{flag}{error_text} "
            + "".join(f"[{kind} p99 {kind_figures['p99_ms']:.0f}ms] "
                      for kind, kind_figures in reports.get("by_kind", {}).items())
            + f"(healthz {health['rate_per_s']:.0f} req/s p99 {health.get('p99_ms', 0):.0f}ms, "
            f"ratio {ratio['rate']}, p99 x{ratio['p99']}); "
            f"{http['tasks']['untriaged_after_reports']} untriaged at the end, all triaged and acknowledged "
            f"{http['tasks']['drain_seconds']:.0f}s later ({http['tasks']['triaged_per_s']} reports/s end to end)"
        )
    if "mbox" in result:
        mbox = result["mbox"]
        flag = "" if miss["mbox_per_s"] else " MISS"
        parts.append(
            f"mbox {mbox['large']['rate_per_s']:.0f} msg/s{flag} "
            f"({mbox['baseline']['messages']}-msg baseline {mbox['baseline']['rate_per_s']:.0f} msg/s)"
        )
    lost = []
    if "http" in result:
        items = result["http"]["items"]
        lost.append(f"lost {items['lost']}")
        if items["unexpected"]:
            lost.append(f"received/quarantined {items['unexpected']}")
    if "mbox" in result:
        for label in ("baseline", "large"):
            run = result["mbox"][label]
            if run["lines"] != run["messages"] or run["exit_status"]:
                lost.append(f"mbox {label}: {run['lines']}/{run['messages']} lines, exit {run['exit_status']}")
        items = result["mbox"]["items"]
        if items["in_database"] != items["json_lines"] or items["unexpected"]:
            lost.append(f"mbox items {items['in_database']} for {items['json_lines']} lines, {items['by_status']}")
    return f"intake {result['db']}: " + " | ".join(parts + lost)


if __name__ == "__main__":
    sys.exit(main())
