"""BreachWatch settings: one file, driven by environment variables (documented in .env.example).

It fails closed: DEBUG is off unless DEBUG=true is set, and with DEBUG off it refuses to start without its
secrets. `./bw serve` and `./bw test` set DEBUG=true for the embedded default: SQLite in var/, Celery tasks
run eagerly, e-mail written to var/mail. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and a broker.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from breachwatch.env import database_from_url, env_bool, env_float, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("BREACHWATCH_VAR_DIR", str(BASE_DIR / "var")))

# Off unless asked for: a production host that forgets the variable must not show tracebacks and settings.
DEBUG = env_bool("DEBUG", False)
_MISSING = (
    "%s must be set when DEBUG is off (the default). In production set it in .env (see .env.example); "
    "for development use ./bw serve, or export DEBUG=true."
)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(_MISSING % "SECRET_KEY")
    SECRET_KEY = "insecure-development-key-only-used-while-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute links in e-mails are built from SITE_URL, never from the Host header a request happens to carry.
SITE_URL = (env_url("SITE_URL", None, schemes=("https", "http")) or "").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(_MISSING % "SITE_URL")
    SITE_URL = "http://127.0.0.1:8000"

# --- Who runs the site: the privacy notice, the about and contact pages (GDPR art. 13) --------------------
# Production refuses to start without the controller's identity; the embedded default names the demo.
SITE_OPERATOR_NAME = env_str("SITE_OPERATOR_NAME", "")
SITE_OPERATOR_ADDRESS = env_str("SITE_OPERATOR_ADDRESS", "")
SITE_CONTACT_EMAIL = env_str("SITE_CONTACT_EMAIL", "")
for _name in ("SITE_OPERATOR_NAME", "SITE_OPERATOR_ADDRESS", "SITE_CONTACT_EMAIL"):
    if not DEBUG and not globals()[_name]:
        raise ImproperlyConfigured(_MISSING % _name)
SITE_OPERATOR_NAME = SITE_OPERATOR_NAME or "BreachWatch (demo operator)"
SITE_OPERATOR_ADDRESS = SITE_OPERATOR_ADDRESS or "Via dell'Esempio 1, 00100 Roma RM, Italia"
SITE_CONTACT_EMAIL = SITE_CONTACT_EMAIL or "privacy@breachwatch.invalid"
SITE_DPO_EMAIL = env_str("SITE_DPO_EMAIL", "")  # empty: no data protection officer appointed
# How long the operator keeps backups, in days; a backup can hold erased data until it is overwritten.
SITE_BACKUP_RETENTION_DAYS = env_int("SITE_BACKUP_RETENTION_DAYS", 30, minimum=0)

INSTALLED_APPS = [
    "apps.accounts.admin_site.MfaAdminConfig",  # the admin, refused to staff without two-factor authentication
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "apps.core",
    "apps.accounts",  # before allauth: its templates give allauth's pages the site's layout
    "apps.phones",
    "apps.breaches",
    "apps.reports",
    "apps.insights",
    "apps.notices",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and ReDoc served from installed files, no CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",  # SECURE_CSP below
    "apps.core.middleware.PrivacyHeadersMiddleware",  # Permissions-Policy; no-store for anyone signed in
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: its own precompressed copies, before GZip
    # Pages and API answers gzipped (a home page of charts is ~5x smaller). Since Django 4.2 it pads each
    # answer with random bytes, which, with the CSRF token masked per response, mitigates BREACH.
    "django.middleware.gzip.GZipMiddleware",
    "apps.core.middleware.HealthzMiddleware",  # before CommonMiddleware: probes call by address, not host name
    "apps.core.after_response.AfterResponseMiddleware",  # eager tasks that must not shape the answer run after it
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "breachwatch.urls"
WSGI_APPLICATION = "breachwatch.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",  # {{ csp_nonce }} for the few inline scripts
                "apps.core.context_processors.site",
                "apps.accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------------------
DATABASES = {"default": database_from_url("DATABASE_URL", f"sqlite:///{VAR_DIR / 'breachwatch.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the dev server and an eager task write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    # psycopg prepares a statement once it has run this often on a connection (Django's default: never). Only
    # the statements run through apps.core.db.prepared_cursor() can be prepared: Django's own cursors write
    # the parameters into the SQL text. A pooler in transaction mode would need prepared statements enabled.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits and enrichment caches must be shared between processes in production) --------------
CACHE_URL = env_url("CACHE_URL", None, schemes=("redis", "rediss"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Users and passwords ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.passwords.NotOnlyWhitespaceValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out (account, IP) pairs before any check
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:me"

# django-allauth: e-mail login, address confirmed by link before the first login, Italian or English mails.
ACCOUNT_ADAPTER = "apps.accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "apps.accounts.forms.SignupForm"}  # the same work for a taken and a new address
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_DISPLAY = "apps.accounts.models.user_display"  # allauth's pages name people by their address
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True  # one login address at a time (DESIGN §2.5), changed by confirming the new one
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BreachWatch] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Per-account ceiling on failed logins, whatever the IP: it bounds distributed guessing. It cannot lock the
# owner out: past it, the right password e-mails a one-time link that logs in only the browser that typed it
# (apps/accounts/login_link.py), and a password reset (which only the owner can complete) clears it.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,20/h/key"}
MFA_ADAPTER = "apps.accounts.adapters.MfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "BreachWatch"

# django-axes: lock out an (account, IP) pair, never an account everywhere, so nobody can lock a victim out
# from their own network. The account is recorded as a keyed hash, never as the e-mail itself.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "apps.accounts.throttling.axes_account_key"
AXES_USERNAME_FORM_FIELD = "login"
AXES_SENSITIVE_PARAMETERS = ["password", "login", "email", "username"]
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.throttling.lockout_response"
# Reverse proxies in front of gunicorn. 0 (gunicorn faces the clients, as in docker-compose.yml): the client
# is REMOTE_ADDR and X-Forwarded-For, which anyone can write, is ignored. N: the client is the N-th address
# from the right in X-Forwarded-For, the one the outermost proxy appended. Axes and allauth's rate limits both
# read it through apps.accounts.throttling.client_ip, so neither can be dodged with a forged header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttling.client_ip"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

# --- API (Django REST framework), documented by an OpenAPI schema at /api/schema/ -------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "apps.accounts.authentication.TokenAuthentication",  # DRF's, with a leaner lookup
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.BoundedLimitOffsetPagination",  # ?limit at most 200
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api_errors.api_exception_handler",  # no model names in 404s; JSON 413
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BreachWatch API",
    "DESCRIPTION": "Public facts of registered breaches; reports and number reputation for phone apps.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Languages: Italian first, English available; the browser's choice by default -------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Rome")
USE_I18N = True
USE_TZ = True

# --- Static files: everything is installed or committed, served by WhiteNoise (no CDN) ---------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

# --- E-mail (Django 6.1 MAILERS) ---------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
_smtp_options = {
    "host": EMAIL_HOST,
    "port": env_int("EMAIL_PORT", 587, minimum=1),
    "username": env_str("EMAIL_HOST_USER", ""),
    "password": env_str("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", True),
    "timeout": 30,
}
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp_options}
        if EMAIL_HOST
        else {"BACKEND": "apps.core.mail.ReadableFileBackend", "OPTIONS": {"file_path": VAR_DIR / "mail"}}
    )
}
del EMAIL_HOST  # only MAILERS may mention it: the old EMAIL_* settings are deprecated in Django 6.1
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "BreachWatch <noreply@breachwatch.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: eager without a broker; reliable defaults with one ---------------------------------------------
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", None, schemes=("redis", "rediss", "amqp", "amqps"))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True  # a task is acknowledged after it ran, so a killed worker's task runs again
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long imports must not hold short sends hostage
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
CELERY_TASK_IGNORE_RESULT = True  # progress lives in our own rows, not a result backend
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE

# --- Outbox (apps/notices/outbox.py): every alert and notice is a row before it is a send ------------------
# A worker holds a message this long while it sends it; past it, the sweeper gives the message to another
# worker. Longer than the SMTP timeout (30 s), so a slow server does not get the same message twice.
OUTBOX_LEASE_SECONDS = env_int("OUTBOX_LEASE_SECONDS", 120, minimum=1)
# Transient refusals (4xx, a lost connection) are retried after 1, 2, 4 … times this, up to this many attempts.
OUTBOX_RETRY_BASE_SECONDS = env_float("OUTBOX_RETRY_BASE_SECONDS", 60.0, minimum=0.1)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8, minimum=1)
OUTBOX_QUEUE = env_str("OUTBOX_QUEUE", "sending")  # the Celery queue of the sending workers

# --- Security ---------------------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP inside the network
# X-Forwarded-Proto is anyone's to write: believed only behind a declared proxy (TRUSTED_PROXY_COUNT, above),
# which sets it itself (Caddy in docker-compose.yml replaces whatever the client sent).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
SECURE_REFERRER_POLICY = "same-origin"
# Everything is served by the site itself (no CDN); inline <script>/<style> only with the request's nonce.
# Charts are SVG with presentation attributes, not style attributes, so style-src needs no 'unsafe-inline'.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # Swagger UI's and Pico's icons are data: URLs
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# The debug page and error e-mails hide IDENTIFIER_PEPPER, passwords in URLs and any value holding a secret.
DEFAULT_EXCEPTION_REPORTER_FILTER = "apps.core.debug.SecretsHiddenFilter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Personal identifiers (apps/phones): keyed hashes for lookups, authenticated encryption for display ----
# Both secrets are separate from SECRET_KEY. Leaking the pepper would let anyone test guesses against the
# stored hashes, so production refuses to start without them. The development values are public on purpose.
IDENTIFIER_PEPPER = env_str("IDENTIFIER_PEPPER")
# Comma-separated base64 keys of 32 bytes: the first encrypts, all decrypt (prepend a new key to rotate,
# then run `manage.py rotate_identifier_keys` and drop the old key).
IDENTIFIER_ENCRYPTION_KEYS = env_list("IDENTIFIER_ENCRYPTION_KEYS")
for _name, _value in {
    "IDENTIFIER_PEPPER": IDENTIFIER_PEPPER,
    "IDENTIFIER_ENCRYPTION_KEYS": IDENTIFIER_ENCRYPTION_KEYS,
}.items():
    if not DEBUG and not _value:
        raise ImproperlyConfigured(_MISSING % _name)
IDENTIFIER_PEPPER = IDENTIFIER_PEPPER or "development-pepper-not-secret"
IDENTIFIER_ENCRYPTION_KEYS = IDENTIFIER_ENCRYPTION_KEYS or ["ZGV2ZWxvcG1lbnQta2V5LW5vdC1zZWNyZXQtMzJieXQ="]
PHONE_DEFAULT_REGION = env_str("PHONE_DEFAULT_REGION", "IT")

# SMS for one-time codes: "console" prints them (development), "http" posts to a gateway.
SMS_BACKEND = env_str("SMS_BACKEND", "console")
SMS_GATEWAY_URL = env_url("SMS_GATEWAY_URL", None, schemes=("https", "http"))
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_SENDER = env_str("SMS_SENDER", "BreachWatch")
if SMS_BACKEND == "http" and not SMS_GATEWAY_URL:
    raise ImproperlyConfigured("SMS_GATEWAY_URL must be set when SMS_BACKEND is http.")
# One-time codes a day (rolling 24 hours): per number and account (so nobody can spend the codes of a number
# that is not theirs), per account and per client IP (so nobody can send SMS to a list of numbers).
SMS_CODES_PER_NUMBER_PER_DAY = env_int("SMS_CODES_PER_NUMBER_PER_DAY", 3, minimum=1)
SMS_CODES_PER_ACCOUNT_PER_DAY = env_int("SMS_CODES_PER_ACCOUNT_PER_DAY", 6, minimum=1)
SMS_CODES_PER_IP_PER_DAY = env_int("SMS_CODES_PER_IP_PER_DAY", 12, minimum=1)

# --- Leaked-dataset imports (apps/breaches) -----------------------------------------------------------------
BREACH_IMPORT_MAX_BYTES = env_int("BREACH_IMPORT_MAX_BYTES", 1024**3, minimum=1)  # larger files are refused
BREACH_IMPORT_WORKERS = env_int("BREACH_IMPORT_WORKERS", 2, minimum=1)  # processes that normalise and hash
BREACH_IMPORT_DIR = VAR_DIR / "imports"  # uploads wait here for the worker (a volume shared with web)

# --- Statistics (apps/insights) ---------------------------------------------------------------------------
# Every figure shown to HR, unions or the public counts at least this many distinct people, else it is hidden.
INSIGHTS_MIN_PEOPLE = env_int("INSIGHTS_MIN_PEOPLE", 10, minimum=2)
# Every published count is perturbed consistently (apps/insights/perturbation.py, the cell-key method): by at
# most INSIGHTS_NOISE_MAX either way, with mean 0 and variance INSIGHTS_NOISE_VARIANCE (at most the max squared).
INSIGHTS_NOISE_MAX = env_int("INSIGHTS_NOISE_MAX", 2, minimum=1)
INSIGHTS_NOISE_VARIANCE = env_float("INSIGHTS_NOISE_VARIANCE", 1.0, minimum=0.1)
if INSIGHTS_NOISE_VARIANCE >= INSIGHTS_NOISE_MAX**2:
    raise ImproperlyConfigured("INSIGHTS_NOISE_VARIANCE must be below INSIGHTS_NOISE_MAX squared.")
# Figures are cached until the rollups change (apps/insights/cache.py); this bounds an entry's life. 0: no cache.
# The change is announced through the shared cache, so with real workers but no CACHE_URL (a memory cache per
# process, which a worker's update never reaches) the default is off.
INSIGHTS_CACHE_SECONDS = env_int(
    "INSIGHTS_CACHE_SECONDS", 600 if CACHE_URL or CELERY_TASK_ALWAYS_EAGER else 0, minimum=0
)

# --- BreachWatch ------------------------------------------------------------------------------------------
# The demo scenario is synthetic; the banner says so on every page while demo data is present.
DEMO_SEED = env_int("DEMO_SEED", 2022, minimum=0)
