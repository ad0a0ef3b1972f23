"""Settings for every environment, read from environment variables.

Production differs from development only through the environment (see README,
"Configuration"); there is no production-only code path.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    # Development only: a fixed key is fine because DEBUG sites are never exposed.
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Our apps, in tiers: each imports only from those listed before it (pyproject.toml,
    # [tool.importlinter]). Tier 0: shared helpers and staff accounts.
    "core",
    "accounts",
    # Tier 1: the service directory, and the case file with its access control.
    "directory",
    "cases",
    # Tier 2: the domains of the work, in their fixed order.
    "notifications",
    "assessments",
    "plans",
    "monitoring",
    "referrals",
    # Tier 3: named after who uses them.
    "casework",
    "supervision",
    "reports",
    "exchange",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: the language cookie, else the browser's Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A logged-in staff member's own choice of language outranks cookie and browser.
    "accounts.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PrivacyHeadersMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.LoginStepsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reintegration.urls"
WSGI_APPLICATION = "reintegration.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.notifications",
                "accounts.context_processors.session_timeout",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite is the embedded default; DATABASE_URL (postgres://...) switches to PostgreSQL.
# https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-notes
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write inside a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A kept connection is checked before each request reuses it, and opened anew if the
    # database restarted or ended it: that request, and a form posted in it, go through.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No just-in-time compilation: the supervisors' review and the reminder scan are costed
    # high enough to trigger it, and compiling their expressions took seconds where running
    # them takes milliseconds (measured: 1.9 s of 2.4 s for the review's counts).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis, cache and Celery -----------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis unreachable: a miss, never an error page (core/cache.py).
            "BACKEND": "core.cache.OutageTolerantRedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis costs a page at most a second, not a hung request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Without Redis (the embedded default) tasks run in-process, so nothing needs a broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = "UTC"

# --- Authentication and sessions --------------------------------------------
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A shared office computer must not stay logged in to case files: a login lasts at most
# SESSION_COOKIE_AGE, and ends sooner after SESSION_IDLE_TIMEOUT seconds without activity
# (accounts.middleware; ASVS: 30 minutes idle at level 2).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# --- Security headers (secure unless DEBUG; each can be overridden) ---------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The health check is asked over plain HTTP from inside the container (deploy/healthcheck.py).
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of ours append to X-Forwarded-For (accounts.client_ip reads the client's
# address there, for the login lockout); 0 means clients connect directly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_TLS_PROXY else 0)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- E-mail -----------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casework@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------
# The languages of the interface and of printed documents (README, "Languages"). Names are
# each language's own, as the switcher shows them.
LANGUAGES = [("en-gb", "English"), ("sq", "Shqip"), ("id", "Bahasa Indonesia")]
# The organisation's working language: pages before anyone chooses (and no browser
# preference matches), and the second language of a bilingual plan.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en-gb")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}.")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Case management defaults (documented in the README) --------------------
# Days an item may stay overdue before its reminder also goes to the supervisors.
REMINDER_ESCALATION_DAYS = env.int("REMINDER_ESCALATION_DAYS", default=3)
# The address links in reminder e-mails point to.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Rows per page on the caseload list.
CASES_PAGE_SIZE = env.int("CASES_PAGE_SIZE", default=25)

# Weighted caseload (supervisors' review). Not a standard: the guides give no caseload number.
# Each active case counts 1, plus this much per complex-case factor, plus this much for a
# child; a worker whose total passes their capacity (set per person in the admin, else
# this default) is flagged as overloaded.
CASELOAD_FACTOR_WEIGHT = env.float("CASELOAD_FACTOR_WEIGHT", default=0.5)
CASELOAD_CHILD_WEIGHT = env.float("CASELOAD_CHILD_WEIGHT", default=1.0)
CASELOAD_DEFAULT_CAPACITY = env.int("CASELOAD_DEFAULT_CAPACITY", default=25)

# Emergency ("break-glass") access: how long a case worker or MDT member off a case's team
# may read it (and log a contact) after giving a reason. Every such access is reviewed by a
# supervisor.
EMERGENCY_ACCESS_HOURS = env.int("EMERGENCY_ACCESS_HOURS", default=12)
if not 1 <= EMERGENCY_ACCESS_HOURS <= 72:
    raise ImproperlyConfigured("EMERGENCY_ACCESS_HOURS must be between 1 and 72.")

# Setback categories that raise a crisis alarm whatever their severity (a critical setback
# always does): threats or contact from exploiters, violence, disappearance.
CRISIS_ALARM_CATEGORIES = env.list(
    "CRISIS_ALARM_CATEGORIES", default=["threats", "violence", "disappearance"]
)
# After a crisis alarm the case is contacted at least every "After a crisis alarm" interval
# (an organisation setting, 2 days unless set) for this many days; then the usual one again.
CRISIS_FOLLOW_UP_DAYS = env.int("CRISIS_FOLLOW_UP_DAYS", default=14)
# An issued document whose expiry date is this many days away (or less) is flagged on the case
# file, and its case manager is reminded to renew it.
DOCUMENT_EXPIRY_WARNING_DAYS = env.int("DOCUMENT_EXPIRY_WARNING_DAYS", default=30)
# A hearing this many days away (or less) is listed in My follow-ups of the case manager and
# the lawyers on the team, and they are reminded of it.
HEARING_NOTICE_DAYS = env.int("HEARING_NOTICE_DAYS", default=7)
# Days the team has to hold a multidisciplinary case review once a complex factor is set.
CASE_REVIEW_WITHIN_DAYS = env.int("CASE_REVIEW_WITHIN_DAYS", default=14)
# Refused case pages (404 or 403) by one account within REFUSED_ACCESS_ALERT_MINUTES that
# notify its organisation's supervisors: someone may be trying case addresses.
REFUSED_ACCESS_ALERT_COUNT = env.int("REFUSED_ACCESS_ALERT_COUNT", default=10)
REFUSED_ACCESS_ALERT_MINUTES = env.int("REFUSED_ACCESS_ALERT_MINUTES", default=60)
if REFUSED_ACCESS_ALERT_COUNT < 1 or REFUSED_ACCESS_ALERT_MINUTES < 1:
    raise ImproperlyConfigured("REFUSED_ACCESS_ALERT_COUNT and _MINUTES must be at least 1.")

# Years after a case is closed before a supervisor is asked to erase its personal details
# (cases.retention). Not a standard: the guides set no retention period; follow the law and
# the funders' rules that apply to the organisation.
CASE_RETENTION_YEARS = env.int("CASE_RETENTION_YEARS", default=10)
if CASE_RETENTION_YEARS < 1:
    raise ImproperlyConfigured("CASE_RETENTION_YEARS must be a whole number of years, at least 1.")

# Exported aggregate reports show counts from 1 to REPORT_MIN_COUNT - 1 as "<N": a count
# of one or two people can identify them.
REPORT_MIN_COUNT = env.int("REPORT_MIN_COUNT", default=5)

# De-identified exports are k-anonymous with k = EXPORT_MIN_GROUP: every combination of the
# values someone could know about a person (age band, sex, nationality, region, forms of
# exploitation, admission quarter) occurs at least this often (core.anonymity). 11 is what
# the global counter-trafficking data collaborative uses for public data.
EXPORT_MIN_GROUP = env.int("EXPORT_MIN_GROUP", default=11)
if EXPORT_MIN_GROUP < 2:
    raise ImproperlyConfigured("EXPORT_MIN_GROUP must be at least 2.")

# HTCDS workbook import (exchange.importing): the largest upload accepted, in bytes, and the
# most filled rows one workbook may bring in. A bigger caseload comes in several workbooks.
HTCDS_IMPORT_MAX_BYTES = env.int("HTCDS_IMPORT_MAX_BYTES", default=5_000_000)
HTCDS_IMPORT_MAX_ROWS = env.int("HTCDS_IMPORT_MAX_ROWS", default=2000)

# Words never printed on plans, handouts or referral letters, nor accepted in text written
# for them (matched at the start of a word, any case), per language; text typed by staff is
# checked against every language's list. Lists of the organisation's own choosing: the
# defaults name trafficking, its victims and exploitation (locale/GLOSSARY.md).
SENSITIVE_WORDS = {
    "en-gb": env.list(
        "SENSITIVE_WORDS",
        default=["trafficking", "trafficked", "trafficker", "victim", "exploitation", "exploited"],
    ),
    "sq": env.list(
        "SENSITIVE_WORDS_SQ",
        default=["trafikim", "trafikuar", "trafikant", "viktim", "shfrytëzim", "shfrytëzuar"],
    ),
    "id": env.list(
        "SENSITIVE_WORDS_ID",
        default=[
            "perdagangan orang",
            "perdagangan manusia",
            "diperdagangkan",
            "TPPO",
            "korban",
            "eksploitasi",
            "dieksploitasi",
        ],
    ),
}

# --- Logging ----------------------------------------------------------------
# Request paths carry only UUIDs and never names, so the default request logging is safe.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # PDF rendering logs each step at INFO; only problems are worth a line.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

AUTHENTICATION_BACKENDS = [
    # First, as django-axes requires: refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, loading the user's organisation with the user (one query less
    # on every page).
    "accounts.backends.ModelBackendWithOrganisation",
]

# --- Login lockout (django-axes) ------------------------------------------------------
# Repeated wrong passwords for one username from one address lock that pair out for a
# while (ASVS 6.3.1). The pair, not the account: someone who knows a colleague's username
# cannot lock them out from elsewhere (ASVS 6.1.1). A successful login clears the count.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=6)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every wrong password, not only the running count
AXES_VERBOSE = False  # no start-up banner; lockouts are still logged
# --- Two-step login (django-otp) ------------------------------------------------------
# After the password, a code from an authenticator app on the staff member's phone, or one
# of ten single-use backup codes (ASVS 6.3.3: a second factor for data this sensitive).
# Required of everyone unless turned off here; where it is not required, staff may still
# turn it on for themselves, and are then always asked for a code.
TWO_STEP_LOGIN_REQUIRED = env.bool("TWO_STEP_LOGIN_REQUIRED", default=True)
# The name authenticator apps show beside the code: neutral, like printed documents, since
# a phone can be seen by others.
OTP_TOTP_ISSUER = env.str("TWO_STEP_ISSUER", default="Case management")

# The enrolment code an administrator gives with a new account or a reset two-step login
# is valid this many hours.
TWO_STEP_ENROLMENT_HOURS = env.int("TWO_STEP_ENROLMENT_HOURS", default=72)

# Records of logins and wrong passwords are deleted after this many days (a nightly task).
LOGIN_RECORDS_DAYS = env.int("LOGIN_RECORDS_DAYS", default=365)
if LOGIN_RECORDS_DAYS < 1:
    raise ImproperlyConfigured("LOGIN_RECORDS_DAYS must be a whole number of days, at least 1.")
