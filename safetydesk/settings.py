"""Safetydesk settings: one file, everything from the environment (ARCHITECTURE §2).

Modes (`SAFETYDESK_ENV`):
- `production` (the default: fail closed) needs SECRET_KEY and SAFETYDESK_ENCRYPTION_KEYS.
- `development` (what `make run` uses, with SAFETYDESK_DEMO=1) generates both keys once under
  var/ so that a restart can still read what was encrypted.
- `test` uses throwaway keys and a fast password hasher.
"""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from safetydesk.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAFETYDESK_VAR_DIR", str(BASE_DIR / "var")))

DEMO = env_bool("SAFETYDESK_DEMO")
MODE = env_str("SAFETYDESK_ENV", "development" if DEMO else "production")
if MODE not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"SAFETYDESK_ENV must be production, development or test, not {MODE!r}")
PRODUCTION = MODE == "production"
DEBUG = env_bool("DEBUG", default=False) and not PRODUCTION


def _local_secret(name: str, generate: Callable[[], str]) -> str:
    """A key kept under var/ for development: made once, then reused on every start."""
    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(generate())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env_str("SECRET_KEY")
# Newest key first; older keys still decrypt until `safetydesk keys rotate` has re-encrypted.
ENCRYPTION_KEYS = env_list("SAFETYDESK_ENCRYPTION_KEYS")
if MODE == "test":
    SECRET_KEY = SECRET_KEY or "test-secret-key-not-for-production"
    ENCRYPTION_KEYS = ENCRYPTION_KEYS or ["0aOv2wDngLz8ngtK8yRjxfRXG0Pn3nRoCZzF3Bz9ZcU="]
elif MODE == "development":
    SECRET_KEY = SECRET_KEY or _local_secret("dev-secret-key", lambda: secrets.token_urlsafe(50))
    ENCRYPTION_KEYS = ENCRYPTION_KEYS or [_local_secret("dev-encryption-key", lambda: Fernet.generate_key().decode())]
if not SECRET_KEY:
    raise ImproperlyConfigured("Production mode needs SECRET_KEY (or SECRET_KEY_FILE).")
if not ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "Production mode needs SAFETYDESK_ENCRYPTION_KEYS (or SAFETYDESK_ENCRYPTION_KEYS_FILE): "
        "comma-separated Fernet keys, newest first."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# How many reverse proxies of ours stand in front of gunicorn (lib.http.client_ip).
TRUSTED_PROXY_HOPS = env_int("SAFETYDESK_TRUSTED_PROXY_HOPS", 0)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    # Serves the API docs' Swagger UI from our own static files (the CSP allows only 'self').
    "ninja",
    "safetydesk.lib",
    "safetydesk.accounts",
    "safetydesk.audit",
    "safetydesk.cases",
    "safetydesk.console",
    "safetydesk.intake",
    "safetydesk.notify",
    "safetydesk.emergency",
    "safetydesk.oncall",
    "safetydesk.wiki",
    "safetydesk.enforcement",
    "safetydesk.reviews",
    "safetydesk.investigations",
    "safetydesk.appeals",
    "safetydesk.legal",
    "safetydesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "safetydesk.urls"
WSGI_APPLICATION = "safetydesk.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "console:dashboard"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safetydesk.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE takes the write
        # lock at BEGIN so two writers queue instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests on a file, not Django's shared-cache in-memory database: there, a thread that meets
    # another's write lock fails at once with "database table is locked" (busy_timeout does not
    # apply to shared-cache locks), and the suite runs the LMTP listener, the pager and the
    # triage loop in threads of their own, as production does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work ------------------------------------------------------------------------
TASKS_BACKEND = env_str("TASKS_BACKEND", "immediate" if MODE == "test" else "db")
TASKS = {
    "default": {
        "BACKEND": {
            "db": "django_tasks_db.DatabaseBackend",
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        # "paging" holds only the deliveries of pages; `safetydesk serve` gives it a worker of its
        # own, so a page never waits behind a backlog of report processing (benchmarks/emergency.py).
        "QUEUES": ["default", "paging"],
    }
}

# --- Passwords and logins -------------------------------------------------------------------
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
if MODE == "test":
    # Argon2 is deliberately slow; tests log in hundreds of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Staff must use TOTP unless this is the demo.
REQUIRE_2FA = env_bool("SAFETYDESK_REQUIRE_2FA", default=not DEMO)
LOGIN_LOCKOUT_ATTEMPTS = env_int("SAFETYDESK_LOCKOUT_ATTEMPTS", 5)
LOGIN_LOCKOUT_MINUTES = env_int("SAFETYDESK_LOCKOUT_MINUTES", 15)
SUDO_MINUTES = env_int("SAFETYDESK_SUDO_MINUTES", 10)
OTP_TOTP_ISSUER = "Safetydesk"

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
}

# --- Cases and clocks ([P] defaults, DOMAIN §3.3, §20) -------------------------------------
# [P] How long an API worker process trusts a token it has just looked up (api.auth): a
# revocation in another process, a deactivation or a role change reaches it within this time.
# 0 looks every token up on every request (the tests, which change roles between calls).
API_TOKEN_CACHE_SECONDS = env_int("SAFETYDESK_API_TOKEN_CACHE_SECONDS", 0 if MODE == "test" else 5)
SLA_ACK_BUSINESS_DAYS = env_int("SAFETYDESK_SLA_ACK_BUSINESS_DAYS", 2)
SLA_AGING_DAYS = env_int("SAFETYDESK_SLA_AGING_DAYS", 30)
SLA_TARGET_DAYS = env_int("SAFETYDESK_SLA_TARGET_DAYS", 60)
# Business-day calendar: a country code for the `holidays` package, plus extra dates.
HOLIDAY_COUNTRY = env_str("SAFETYDESK_HOLIDAY_COUNTRY", "US")
HOLIDAY_SUBDIVISION = env_str("SAFETYDESK_HOLIDAY_SUBDIVISION", "") or None
EXTRA_HOLIDAYS = env_list("SAFETYDESK_EXTRA_HOLIDAYS")  # YYYY-MM-DD, e.g. an office closure
CASE_REFERENCE_PREFIX = env_str("SAFETYDESK_CASE_PREFIX", "SD")
QUEUE_PAGE_SIZE = env_int("SAFETYDESK_QUEUE_PAGE_SIZE", 50)

# --- Intake ([P] defaults; DOMAIN §1.2, ARCHITECTURE §6.4) ------------------------------------
INTAKE_CHANNELS_FILE = env_str("SAFETYDESK_CHANNELS_FILE", str(BASE_DIR / "safetydesk" / "intake" / "channels.toml"))
INTAKE_MAX_MESSAGE_BYTES = env_int("SAFETYDESK_MAX_MESSAGE_BYTES", 30 * 1024 * 1024)
INTAKE_MAX_ATTACHMENT_BYTES = env_int("SAFETYDESK_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
INTAKE_MAX_ATTACHMENTS = env_int("SAFETYDESK_MAX_ATTACHMENTS", 20)
INTAKE_MAX_BODY_CHARS = env_int("SAFETYDESK_MAX_BODY_CHARS", 200_000)
# Past this many reports an hour from one sender, further ones join the sender's latest open
# case (flag sender_flood) instead of opening new cases; threats are never folded.
INTAKE_SENDER_LIMIT_PER_HOUR = env_int("SAFETYDESK_SENDER_LIMIT_PER_HOUR", 20)
# [P] Items processed in one transaction by the triage loop: fewer commits
# and audit appends, against locks held longer. Not on SQLite: there a batch holds the one write
# lock that every answer of the API waits for (benchmarks/intake.py: 43 reports/s, p99 3.2 s with
# batches of 20, against 115 reports/s one at a time).
INTAKE_BATCH_ITEMS = max(
    1,
    env_int(
        "SAFETYDESK_INTAKE_BATCH_ITEMS", 1 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 20
    ),
)
# [P] `safetydesk intake mbox`: processes importing at once (intake.import_lanes; one per core, at
# most four) and messages to a transaction in each. Larger batches than the triage loop's on
# SQLite too: an import is a bulk job an operator starts, and while the parsing and the language
# detection of one lane run outside any transaction the other lane holds the write lock; other
# writers wait for at most one batch (benchmarks/intake.py, SQLite, 2,000 messages: 126 msg/s
# one at a time, 196 in batches of 20, 236 in batches of 20 in two lanes).
INTAKE_IMPORT_JOBS = max(1, env_int("SAFETYDESK_INTAKE_IMPORT_JOBS", min(4, os.cpu_count() or 1)))
INTAKE_IMPORT_BATCH_ITEMS = max(1, env_int("SAFETYDESK_INTAKE_IMPORT_BATCH_ITEMS", 20))
# [P] `safetydesk triage` (reports the API answered before processing): items younger than this
# are left to the channel that received them, and the loop runs this much nicer than the web.
# Not on SQLite: there its transactions hold the one write lock, and a descheduled holder would
# make the web and the pager wait for it (benchmarks/emergency.py: page p99 58 s under load).
INTAKE_TRIAGE_GRACE_SECONDS = float(env_str("SAFETYDESK_TRIAGE_GRACE_SECONDS", "2"))
INTAKE_TRIAGE_NICE = env_int(
    "SAFETYDESK_TRIAGE_NICE", 0 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 10
)
# [P] The task worker `safetydesk serve` starts (acknowledgements, notices, periodic jobs) runs this
# much nicer than the web, so that under a flood of reports the answers come first and the
# acknowledgements a moment later; the paging worker never does. Not on SQLite, for the reason
# above.
TASK_WORKER_NICE = env_int(
    "SAFETYDESK_TASK_WORKER_NICE", 0 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 10
)
# Languages lingua chooses among (ISO 639-1). Fewer languages: faster and fewer confusions.
INTAKE_DETECT_LANGUAGES = env_list(
    "SAFETYDESK_DETECT_LANGUAGES",
    [
        "en", "es", "ja", "fr", "de", "pt", "it", "ru", "ar", "zh", "hi", "id", "nl",
        "pl", "tr", "uk", "fa", "he", "ko", "vi", "sv", "cs", "el", "ro", "hu", "bn",
    ],
)
# Urgency rules (DOMAIN §5.1): one TOML file per language; a score at or above the threshold
# makes the item a threat (P0, emergency track).
INTAKE_RULES_DIR = env_str("SAFETYDESK_RULES_DIR", str(BASE_DIR / "safetydesk" / "intake" / "rules"))
INTAKE_THREAT_THRESHOLD = float(env_str("SAFETYDESK_THREAT_THRESHOLD", "0.6"))
# The intake API (POST /api/v1/reports and /reportincident; intake.api). Bodies larger than
# this are refused (413) before they are read.
INTAKE_API_MAX_BODY_BYTES = env_int("SAFETYDESK_INTAKE_API_MAX_BODY_BYTES", 1024 * 1024)
# Anonymous POST /api/v1/reports: per client IP per minute, per contact email per hour. Callers
# with a staff API token are exempt, which is how benchmarks/intake.py sends its load from one
# address; raise the per-IP figure instead if a load test must run without a token.
INTAKE_API_RATE_PER_IP = env_int("SAFETYDESK_INTAKE_API_RATE_PER_IP", 60)
INTAKE_API_RATE_PER_EMAIL = env_int("SAFETYDESK_INTAKE_API_RATE_PER_EMAIL", 20)
# Mass reports (intake.grouping): a report about the same target as a report that opened a case
# less than this long before it, and this similar to it (word-pair Jaccard, 0 to 1), joins that case.
INTAKE_MASS_REPORT_WINDOW_SECONDS = env_int("SAFETYDESK_MASS_REPORT_WINDOW_SECONDS", 3600)
INTAKE_MASS_REPORT_SIMILARITY = float(env_str("SAFETYDESK_MASS_REPORT_SIMILARITY", "0.8"))
# Where attachments are kept, encrypted, named by the SHA-256 of their content.
ATTACHMENT_ROOT = Path(env_str("SAFETYDESK_ATTACHMENT_ROOT", str(VAR_DIR / "attachments")))
# The IMAP poller (`safetydesk mail poll`, intake.imap_poll), for a mailbox a mail provider
# keeps; its flags override these. ADDRESS is the address the mailbox serves: it picks the
# intake channel. PORT 0 means 993 with SSL, 143 without. The password may come from
# SAFETYDESK_IMAP_PASSWORD_FILE.
INTAKE_IMAP_HOST = env_str("SAFETYDESK_IMAP_HOST")
INTAKE_IMAP_PORT = env_int("SAFETYDESK_IMAP_PORT", 0)
INTAKE_IMAP_USER = env_str("SAFETYDESK_IMAP_USER")
INTAKE_IMAP_PASSWORD = env_str("SAFETYDESK_IMAP_PASSWORD")
INTAKE_IMAP_SSL = env_bool("SAFETYDESK_IMAP_SSL", default=True)
INTAKE_IMAP_MAILBOX = env_str("SAFETYDESK_IMAP_MAILBOX", "INBOX")
INTAKE_IMAP_ADDRESS = env_str("SAFETYDESK_IMAP_ADDRESS")
INTAKE_IMAP_INTERVAL = env_int("SAFETYDESK_IMAP_INTERVAL", 60)

# --- Public report form /report/ ([P] defaults; issue 3 parts 3 and 8; intake.views) ---------
# Wikis whose page and diff links the form accepts (each host and all its subdomains);
# localhost and 127.0.0.1 are the development wiki.
INTAKE_WIKI_HOSTS = env_list(
    "SAFETYDESK_WIKI_HOSTS",
    [
        "wikipedia.org", "wikimedia.org", "wiktionary.org", "wikibooks.org", "wikinews.org",
        "wikiquote.org", "wikisource.org", "wikiversity.org", "wikivoyage.org", "wikidata.org",
        "wikifunctions.org", "mediawiki.org", "wikimediafoundation.org", "localhost", "127.0.0.1",
    ],
)
INTAKE_FORM_MAX_BODY_CHARS = env_int("SAFETYDESK_FORM_MAX_BODY_CHARS", 10_000)
# Faster than this from page load to submit is a bot (the item is kept, dismissed as spam).
INTAKE_FORM_MIN_SECONDS = env_int("SAFETYDESK_FORM_MIN_SECONDS", 3)
INTAKE_FORM_MAX_SCREENSHOTS = env_int("SAFETYDESK_FORM_MAX_SCREENSHOTS", 5)
INTAKE_FORM_MAX_SCREENSHOT_BYTES = env_int("SAFETYDESK_FORM_MAX_SCREENSHOT_BYTES", 5 * 1024 * 1024)
INTAKE_FORM_LIMIT_PER_IP = env_int("SAFETYDESK_FORM_LIMIT_PER_IP", 10)
INTAKE_FORM_LIMIT_PER_EMAIL = env_int("SAFETYDESK_FORM_LIMIT_PER_EMAIL", 5)
INTAKE_FORM_LIMIT_WINDOW_SECONDS = env_int("SAFETYDESK_FORM_LIMIT_WINDOW_SECONDS", 3600)
# Larger requests are refused before they are read: the screenshots plus room for the fields.
INTAKE_FORM_MAX_REQUEST_BYTES = INTAKE_FORM_MAX_SCREENSHOTS * INTAKE_FORM_MAX_SCREENSHOT_BYTES + 1024 * 1024
# Where the emergency guidance sends people (the links ReportIncident shows).
INTAKE_EMERGENCY_NUMBERS_URL = env_str(
    "SAFETYDESK_EMERGENCY_NUMBERS_URL", "https://en.wikipedia.org/wiki/List_of_emergency_telephone_numbers"
)
INTAKE_SUPPORT_RESOURCES_URL = env_str(
    "SAFETYDESK_SUPPORT_RESOURCES_URL", "https://meta.wikimedia.org/wiki/Special:MyLanguage/Mental_health_resources"
)
# Django's own request limits: form fields (not files) above this are refused (the form's
# longest field is 10,000 characters); uploads above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temp file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SAFETYDESK_DATA_UPLOAD_MAX_BYTES", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- Wikis (INTEROP §4; issue 5; wiki) ------------------------------------------------------
# Wikimedia asks non-interactive clients for a User-Agent with contact details, and to send
# maxlag=5 and wait at least 5 s when told the databases lag.
WIKI_USER_AGENT = env_str(
    "SAFETYDESK_WIKI_USER_AGENT", "Safetydesk/0.1 (Trust and Safety operations; set SAFETYDESK_WIKI_USER_AGENT)"
)
WIKI_MAXLAG = env_int("SAFETYDESK_WIKI_MAXLAG", 5)
WIKI_MAXLAG_WAIT_SECONDS = float(env_str("SAFETYDESK_WIKI_MAXLAG_WAIT_SECONDS", "5"))
WIKI_MAXLAG_RETRIES = env_int("SAFETYDESK_WIKI_MAXLAG_RETRIES", 3)
WIKI_TIMEOUT_SECONDS = float(env_str("SAFETYDESK_WIKI_TIMEOUT_SECONDS", "30"))
# [P] The log reason of every office action on a wiki: "Office action" and the policy, never a
# fact of the case (DOMAIN §3.4).
OFFICE_ACTION_REASON = env_str(
    "SAFETYDESK_OFFICE_ACTION_REASON", "Office action: [[m:Special:MyLanguage/Office actions|Office actions policy]]"
)
# The review matrix (DOMAIN §3.1): which review stages each office action type needs.
REVIEW_MATRIX_FILE = env_str(
    "SAFETYDESK_REVIEW_MATRIX_FILE", str(BASE_DIR / "safetydesk" / "reviews" / "review_matrix.toml")
)
# [P] How long after the notice of an office action an appeal is accepted (DOMAIN §12.4: six
# months, the DSA Art. 20 minimum); the notice names the last day.
APPEAL_WINDOW_DAYS = env_int("SAFETYDESK_APPEAL_WINDOW_DAYS", 182)
# [P] The clocks of an appeal (DOMAIN §12.4): acknowledged within 5 business days, eligibility
# decided within 14 days, the committee's outcome within 60 days of receipt.
APPEAL_ACK_BUSINESS_DAYS = env_int("SAFETYDESK_APPEAL_ACK_BUSINESS_DAYS", 5)
APPEAL_ELIGIBILITY_DAYS = env_int("SAFETYDESK_APPEAL_ELIGIBILITY_DAYS", 14)
APPEAL_OUTCOME_DAYS = env_int("SAFETYDESK_APPEAL_OUTCOME_DAYS", 60)
# [P] Members drawn for each appeal's panel (DOMAIN §12.4: at least 3).
CRC_PANEL_SIZE = env_int("SAFETYDESK_CRC_PANEL_SIZE", 3)
# [P] The office actions the committee reviews (DOMAIN §12.1: office actions, not statutory,
# regulatory, employment or legal ones); legal counsel decides each appeal's eligibility.
CRC_ELIGIBLE_ACTION_TYPES = env_list(
    "SAFETYDESK_CRC_ELIGIBLE_ACTION_TYPES",
    [
        "foundation_global_ban", "foundation_event_ban", "conduct_warning", "interaction_ban",
        "advanced_rights_removal", "partial_foundation_ban", "global_lock",
    ],
)
# [P] DSA Art. 20(5): every reply to a complaint names the out-of-court dispute settlement
# route (Art. 21) and the courts.
DSA_REDRESS_INFO = env_str(
    "SAFETYDESK_DSA_REDRESS_INFO",
    "You may also refer this decision to an out-of-court dispute settlement body certified under "
    "Article 21 of the EU Digital Services Act (see the list kept by the European Commission), "
    "and you keep your right to go to court.",
)
# [P] How long after an event's last day its organisers may still open the event-ban list shared
# with them (DOMAIN §8.3: access is removed "upon completion of the event").
EVENT_LIST_GRACE_DAYS = env_int("SAFETYDESK_EVENT_LIST_GRACE_DAYS", 7)
# [P] Wrong access codes one share may be tried with per hour before it answers no more.
EVENT_LIST_CODE_ATTEMPTS_PER_HOUR = env_int("SAFETYDESK_EVENT_LIST_CODE_ATTEMPTS_PER_HOUR", 10)
# Debian's Chromium: prints the legal letters to PDF (legal.letters); the browser tests use it too.
CHROMIUM_PATH = env_str("SAFETYDESK_CHROMIUM", "/usr/bin/chromium")
# [P] DMCA (DOMAIN §9): days a deficient notice waits for the claimant before it is closed; the
# repeat-infringer review threshold (granted notices against one uploader in a year); where the
# community announcement of a takedown goes (a wiki of the registry and a page; empty: none);
# the public archive's address for links in letters; Lumen (empty URL: not submitted).
DMCA_DEFICIENCY_DAYS = env_int("SAFETYDESK_DMCA_DEFICIENCY_DAYS", 30)
DMCA_REPEAT_INFRINGER_NOTICES = env_int("SAFETYDESK_DMCA_REPEAT_INFRINGER_NOTICES", 2)
DMCA_REPEAT_INFRINGER_DAYS = env_int("SAFETYDESK_DMCA_REPEAT_INFRINGER_DAYS", 365)
DMCA_ANNOUNCE_WIKI = env_str("SAFETYDESK_DMCA_ANNOUNCE_WIKI", "")
DMCA_ANNOUNCE_PAGE = env_str("SAFETYDESK_DMCA_ANNOUNCE_PAGE", "Office actions/DMCA notices")
LUMEN_URL = env_str("SAFETYDESK_LUMEN_URL", "")
# [P] Requests for user data (DOMAIN §11.3): days between the user's notice and production, and
# how many days before a court's return date production must be ready (the window shortens).
USER_DATA_OBJECTION_DAYS = env_int("SAFETYDESK_USER_DATA_OBJECTION_DAYS", 10)
USER_DATA_RETURN_BUFFER_DAYS = env_int("SAFETYDESK_USER_DATA_RETURN_BUFFER_DAYS", 2)
LUMEN_TOKEN = env_str("SAFETYDESK_LUMEN_TOKEN", "")
# [P] The log reason of DMCA takedowns and restorations on the wikis (DOMAIN §9.4).
DMCA_LOG_REASON = env_str(
    "SAFETYDESK_DMCA_LOG_REASON",
    "Office action: DMCA takedown notice ([[foundation:Special:MyLanguage/Policy:DMCA|DMCA policy]])",
)
# [P] How often each Foundation global ban in force is reviewed (DOMAIN §7.3: every 12 months).
BAN_REVIEW_INTERVAL_DAYS = env_int("SAFETYDESK_BAN_REVIEW_INTERVAL_DAYS", 365)
# [P] Office actions on content (enforcement.operations): the protection an office protection
# sets, what revision suppression hides, and the text an office edit leaves on the page.
OFFICE_PROTECTION = env_str("SAFETYDESK_OFFICE_PROTECTION", "edit=sysop|move=sysop")
OFFICE_SUPPRESS_HIDE = env_str("SAFETYDESK_OFFICE_SUPPRESS_HIDE", "content|comment")
OFFICE_EDIT_TEXT = env_str("SAFETYDESK_OFFICE_EDIT_TEXT", "{{Office action}}")
# Optional: the wiki (its name in the farm registry) and page the public ban list is also written
# to, e.g. meta and "List of globally banned users/Foundation". Empty: not written to a wiki.
BAN_LIST_WIKI = env_str("SAFETYDESK_BAN_LIST_WIKI", "")
BAN_LIST_PAGE = env_str("SAFETYDESK_BAN_LIST_PAGE", "")
# [P] Who the public ban list (/bans/) says banned the accounts on it.
BAN_LIST_ORGANISATION = env_str("SAFETYDESK_BAN_LIST_ORGANISATION", "Wikimedia Foundation")
# [P] Waits after the 1st, 2nd, … transient failure of an execution (a wiki down, lagged, slow);
# after the last it has failed and needs a person. A wiki's Retry-After wins when longer.
ENFORCEMENT_RETRY_SECONDS = [
    int(s) for s in env_list("SAFETYDESK_ENFORCEMENT_RETRY_SECONDS", ["30", "120", "600", "1800", "3600"])
]
# An execution "running" for longer than this belongs to a worker that died: it is tried again
# (reading the wiki first, so what the dead worker did is not done twice).
ENFORCEMENT_RUNNING_TIMEOUT_SECONDS = env_int("SAFETYDESK_ENFORCEMENT_RUNNING_TIMEOUT_SECONDS", 300)
# Debian's mediawiki package: `safetydesk devwiki` and the integration tests install from here.
MEDIAWIKI_DIR = env_str("SAFETYDESK_MEDIAWIKI_DIR", "/usr/share/mediawiki")

# --- On call and paging ([P] defaults; DOMAIN §5.3; issue 4; oncall) ------------------------
# Unacknowledged this long, an emergency's paging escalates to the next level of the rota.
ONCALL_ESCALATE_AFTER_MINUTES = env_int("SAFETYDESK_ONCALL_ESCALATE_AFTER_MINUTES", 15)
# How far ahead the rota is checked for gaps; managers are told this long before one starts.
ONCALL_GAP_LOOKAHEAD_HOURS = env_int("SAFETYDESK_ONCALL_GAP_LOOKAHEAD_HOURS", 24)
# Channels: email to each paged responder (MAILERS["default"]) and a JSON POST to each URL,
# signed with HMAC-SHA256 of the body under the secret (header X-Safetydesk-Signature).
ONCALL_PAGE_BY_EMAIL = env_bool("SAFETYDESK_ONCALL_PAGE_BY_EMAIL", default=True)
ONCALL_WEBHOOK_URLS = env_list("SAFETYDESK_ONCALL_WEBHOOK_URLS")
ONCALL_WEBHOOK_SECRET = env_str("SAFETYDESK_ONCALL_WEBHOOK_SECRET")
ONCALL_WEBHOOK_TIMEOUT_SECONDS = float(env_str("SAFETYDESK_ONCALL_WEBHOOK_TIMEOUT_SECONDS", "10"))
# Waits after the 1st, 2nd, … failed attempt of a delivery; after the last, it has failed.
ONCALL_RETRY_SECONDS = [int(s) for s in env_list("SAFETYDESK_ONCALL_RETRY_SECONDS", ["10", "30", "60", "120", "300"])]
# A delivery "sending" for longer than this belongs to a worker that died: it is sent again.
ONCALL_SENDING_TIMEOUT_SECONDS = env_int("SAFETYDESK_ONCALL_SENDING_TIMEOUT_SECONDS", 120)

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("ja", _("Japanese")),
    ("fr", _("French")),
    ("de", _("German")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "safetydesk" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files and email ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves straight from the apps' static folders (no collectstatic step for `make run`);
# it still expects STATIC_ROOT to exist.
WHITENOISE_USE_FINDERS = True
if MODE != "production":
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outbound mail (Django 6.1 MAILERS). The demo prints mail to the console unless EMAIL_HOST is
# set; tests get Django's in-memory outbox automatically.
_mail_backend = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
if DEMO and not env_str("EMAIL_HOST"):
    _mail_backend = "django.core.mail.backends.console.EmailBackend"
MAILERS = {
    "default": {
        "BACKEND": _mail_backend,
        "OPTIONS": (
            {
                "host": env_str("EMAIL_HOST", "127.0.0.1"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": env_int("EMAIL_TIMEOUT", 30),
            }
            if _mail_backend.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Safetydesk <safetydesk@example.org>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
