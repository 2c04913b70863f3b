"""Settings, from the environment (12-factor).

One file. ``DJANGO_ENV=production`` switches on the deployment settings and then
refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``. Every helper below
fails loudly on a value it cannot read, rather than guessing.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0).")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


def env_site_url(name: str, default: str | None) -> str:
    """An origin such as ``https://governance.example.org`` (no path, no trailing
    slash): mail and PDFs build absolute links from it."""
    value = os.environ.get(name) or default
    if not value:
        raise ImproperlyConfigured(f"Set {name}, e.g. https://governance.example.org")
    value = value.rstrip("/")
    scheme, _, rest = value.partition("://")
    if scheme not in ("http", "https") or not rest or "/" in rest:
        raise ImproperlyConfigured(
            f"{name}={value!r} must be http(s)://host[:port], with no path."
        )
    return value


DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in ("development", "production", "test"):
    raise ImproperlyConfigured("DJANGO_ENV must be development, test or production.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=DJANGO_ENV == "development")
if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS in production.")
else:
    SECRET_KEY = env_str(
        "SECRET_KEY",
        "dev-only-insecure-key-" + "x" * 40,  # noqa: S106 (dev only)
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where the site is reached from outside: mail, PDFs and calendar feeds link to it
# (``governance.links.absolute_url``). In production it defaults to https:// and the
# first allowed host, when that is a plain host name.
_first_host = ALLOWED_HOSTS[0] if ALLOWED_HOSTS else ""
SITE_URL = env_site_url(
    "SITE_URL",
    (
        f"https://{_first_host}"
        if _first_host and not _first_host.startswith((".", "*"))
        else None
    )
    if PRODUCTION
    else "http://127.0.0.1:8000",
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "axes",
    "governance",
    "boards",
    "meetings",
    "pooled_funds",
    "planning",
    "publication",
    "demo",
]

MIDDLEWARE = [
    # First: health checks answer before the HTTPS redirect and the Host check.
    "governance.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "governance.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "governance.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the signed-in person read from the shared cache.
    "governance.user_cache.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "governance.two_factor.TwoFactorRequiredMiddleware",
    "governance.middleware.LoginRequiredMiddleware",
    "governance.middleware.AuditorReadOnlyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    # A database that is down or unreachable fails a request (and /readyz) within
    # seconds instead of holding it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "governance.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "governance.sso.InvitedPersonBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded papers are private: never under STATIC or a public MEDIA_URL; they are
# streamed by views that check the reader's permission first. On the local disk
# (MEDIA_ROOT) unless S3_BUCKET is set (below): several machines need the bucket.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}


def s3_storage(bucket: str) -> dict:
    """Files in a private S3-compatible bucket (AWS, MinIO, Ceph...): every web
    process and worker reads what any other stored. Objects are private; the app
    streams them to readers it has checked (views), never a public URL."""
    from botocore.config import Config

    endpoint = os.environ.get("S3_ENDPOINT_URL") or None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "signature_version": "s3v4",
            # Most S3-compatible servers want path-style addresses.
            "addressing_style": "path" if endpoint else None,
            "client_config": Config(
                connect_timeout=3, read_timeout=20, retries={"max_attempts": 3}
            ),
        },
    }


S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = s3_storage(S3_BUCKET)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
PAPER_MAX_BYTES = env_int("PAPER_MAX_BYTES", 20 * 1024 * 1024)
# The largest upload request (a paper or a return file, and the form around it);
# larger bodies are refused before they are read (governance.middleware).
MAX_UPLOAD_REQUEST_BYTES = max(PAPER_MAX_BYTES, 10 * 1024 * 1024) + 1024 * 1024

# The organisation that publishes the public pages (/public/): its name, and its
# logo as a static file path (the content security policy loads images from this
# site only).
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Partnership Governance (demo)")
ORGANISATION_LOGO = env_str("ORGANISATION_LOGO", "publication/img/logo.svg")
# The text search configuration of PostgreSQL full-text search.
SEARCH_CONFIG = env_str("SEARCH_CONFIG", "english")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: a file per message under var/mail in development, SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "governance@partnership.example")

# Celery: Redis when REDIS_URL is set, else a broker that needs no server.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Every call to Redis is bounded: a frozen Redis (the process stopped, its port
# still accepting) otherwise holds the caller on the PING kombu sends on connecting,
# which CELERY_BROKER_CONNECTION_TIMEOUT does not bound. The read timeout must
# exceed the worker's 1 s BRPOP poll.
REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT", 5)
REDIS_CONNECT_TIMEOUT = env_int("REDIS_CONNECT_TIMEOUT", 2)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
        "socket_keepalive": True,
        "health_check_interval": 25,
    }
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_REDIS_SOCKET_TIMEOUT = REDIS_SOCKET_TIMEOUT
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_CONNECT_TIMEOUT
else:
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# Stateless web processes: the cache and the sessions' cache on Redis, shared by
# every process (sessions are also written to the database, so they survive a
# Redis restart). A Redis that fails or freezes is a cache miss after at most a
# quarter of a second, never an error; after one failure the process skips Redis
# until a ping from a side thread (every REDIS_BREAKER_SECONDS) finds it back (a
# circuit breaker: governance/cache.py), so a process waits once per outage.
REDIS_BREAKER_SECONDS = env_int("REDIS_BREAKER_SECONDS", 5)
# The longest a rendered meeting page is kept (meetings/page_cache.py); it is keyed
# on the meeting's version, so this only bounds what a lost update could leave.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# The longest the signed-in person's record is kept in the shared cache
# (governance/user_cache.py); every change to it removes it at once.
USER_CACHE_SECONDS = env_int("USER_CACHE_SECONDS", 300)
# Each process keeps the pages it drew last in its own memory too, in front of the
# shared cache (meetings/page_cache.py: keys name the versions read from the
# database, so no process serves a page another has changed). Bounded in entries:
# a meeting page is 20-300 KB.
LOCAL_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": env_int("LOCAL_CACHE_ENTRIES", 200)},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "local": LOCAL_CACHE,
}
if REDIS_URL:
    CACHES = {
        "local": LOCAL_CACHE,
        "default": {
            "BACKEND": "governance.cache.BreakerRedisCache",
            "LOCATION": env_str("REDIS_CACHE_URL", REDIS_URL),
            "KEY_PREFIX": "governance",
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
                "IGNORE_EXCEPTIONS": True,
            },
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # One warning per breaker trip (governance/cache.py), not a traceback per call.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
# A request never waits on the broker: tasks are kicked from a side thread after
# commit (governance.outbox.kick), publishing gives up quickly, and beat's sweeps
# deliver whatever could not be published.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# One beat sends, however many run (a lock in Redis; governance/beat.py).
CELERY_BEAT_SCHEDULER = "governance.beat:SingleBeatScheduler"
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE = {
    # Often: a lapsed claim (outbox.LEASE, 20 s) is re-sent within half a minute.
    "outbox-relay": {"task": "governance.tasks.outbox_relay", "schedule": 10.0},
    "terms-review-reminders": {
        "task": "boards.tasks.terms_review_reminders",
        "schedule": 6 * 3600.0,
    },
    # A pack or archive whose worker died is built again within a minute
    # (heartbeat lapsed after 30 s; meetings.services.minutes_jobs).
    "minutes-jobs-sweep": {
        "task": "meetings.tasks.minutes_jobs_sweep",
        "schedule": 15.0,
    },
    "minutes-deadlines": {
        "task": "meetings.tasks.minutes_deadlines_scan",
        "schedule": 300.0,
    },
    "pooled-fund-returns-reminders": {
        "task": "pooled_funds.tasks.returns_reminders",
        "schedule": 300.0,
    },
    "obligation-reminders": {
        "task": "planning.tasks.obligation_reminders",
        "schedule": 6 * 3600.0,
    },
    "papers-text": {
        "task": "publication.tasks.papers_extract_pending",
        "schedule": 600.0,
    },
    "weekly-digests": {
        "task": "publication.tasks.weekly_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bodies bounded in size, depth and list length: a 400, never a 500.
    "DEFAULT_PARSER_CLASSES": [
        "governance.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "governance.api.AutoSchema",
    "EXCEPTION_HANDLER": "governance.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Partnership Governance API",
    "DESCRIPTION": "Section 75 partnership boards: constitution, meetings, "
    "decisions, minutes and pooled funds.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PartnerKindEnum": "boards.models.PartnerKind",
        "AgreementKindEnum": "boards.models.Agreement.Kind",
        "AgreementStatusEnum": "boards.models.Agreement.Status",
        "MeetingKindEnum": "meetings.models.meeting.Meeting.Kind",
        "AgendaItemKindEnum": "meetings.models.meeting.AgendaItem.Kind",
        "AttendanceStatusEnum": "meetings.models.meeting.Attendance.Status",
        "MeetingStatusEnum": "meetings.models.meeting.Meeting.Status",
        "RuleSourceKindEnum": "boards.models.RuleSource.Kind",
        "DecisionKindEnum": "boards.models.DecisionKind",
        "RuleCodeEnum": "governance.rule_codes.RuleCode",
        "PersonRoleEnum": "governance.models.Role",
        "ScopedRoleEnum": "governance.api_views.SCOPED_ROLES",
    },
}

# Login throttling (django-axes): five failures lock the username + address pair.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The sign-in form posts "username" (holding the e-mail); axes would otherwise read
# the USERNAME_FIELD "email", record None, and never lock the real account.
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind a proxy or load balancer every request comes from its address: name the
# proxies (addresses or networks) and the client's own address is read from
# X-Forwarded-For (governance/client_ip.py), so a lockout keys on the person at
# their address, not on everyone behind the proxy.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "governance.client_ip.client_ip"

# Invitations: a link works once, for this many days (issue 15).
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
# Password reset mail: at most this many a person in an hour (counted by the worker),
# and at most PASSWORD_RESET_PER_ADDRESS requests an hour from one client address.
PASSWORD_RESET_MAILS_PER_HOUR = env_int("PASSWORD_RESET_MAILS_PER_HOUR", 3)
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 20)

# Single sign-on with OpenID Connect (mozilla-django-oidc; governance/sso.py): on when
# OIDC_RP_CLIENT_ID is set. Entra ID: the tenant's v2.0 endpoints; NHS mail: its
# provider's. Only invited people sign in; nobody is created.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TRUST_EMAIL = env_bool("OIDC_TRUST_EMAIL", False)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "your organisation")
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if PRODUCTION and OIDC_RP_CLIENT_ID and not OIDC_OP_JWKS_ENDPOINT:
    raise ImproperlyConfigured("Set OIDC_OP_JWKS_ENDPOINT for single sign-on.")

# Two-factor sign-in is required for privileged roles in production (issue 8).
OTP_REQUIRED = env_bool("OTP_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = "Partnership Governance"

# Content security policy: no inline script, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

SILENCED_SYSTEM_CHECKS = [] if PRODUCTION else ["axes.W003"]
