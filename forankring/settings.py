"""Forankring settings: one file, every deployment choice read from the environment.

See `.env.example` for the variables. Nothing here is production-only: the same file runs
the demo, the tests and a municipality's servers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import cast
from urllib.parse import parse_qsl, unquote, urlparse

from django.utils.translation import gettext_lazy as _

from forankring.privacy.rules import K_MIN_FLOOR

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Turn `postgres://user:pass@host:5432/name?sslmode=require` into a Django DATABASES entry.

    Written here rather than pulled in as a dependency: it is ten lines and only PostgreSQL is
    supported besides the embedded SQLite.
    """
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL must be a postgres:// URL, not {parts.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(parse_qsl(parts.query)),
        "TEST": {"NAME": env("TEST_DATABASE_NAME") or None},
    }


# pytest-django imports these settings from inside pytest; tests then serve static files
# straight from the finders instead of a collected manifest.
TESTING = "pytest" in sys.modules

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("DEMO_MODE", False)
DEMO_SECRET_KEY = "insecure-demo-and-test-key"  # noqa: S105  (public by design; refused outside demo mode)
SECRET_KEY = env("SECRET_KEY") or (DEMO_SECRET_KEY if (DEBUG or DEMO_MODE or TESTING) else "")
if not SECRET_KEY:
    raise RuntimeError("Set SECRET_KEY in the environment (see .env.example).")


def weak_secret_key(key: str) -> str:
    """Why `key` must not sign a real installation's sessions, or "" when it may.

    The same rules as Django's deploy check (W009), plus the keys anyone can read in this
    repository: with a known key anyone can forge a session cookie and sign in as anybody.
    """
    known = {DEMO_SECRET_KEY, "changeme", "change-me", "secret", "<a long random string>"}
    if key.strip().lower() in known or key.startswith("django-insecure-"):
        return "it is a known or demo key"
    if len(key) < 50 or len(set(key)) < 5:
        return "it is shorter than 50 characters or has fewer than 5 different ones"
    return ""


# Outside demo mode (and the tests) a weak key stops the start, not just a warning in a check.
if not (DEMO_MODE or TESTING) and (weakness := weak_secret_key(SECRET_KEY)):
    raise RuntimeError(
        f"SECRET_KEY is unsafe: {weakness}. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))' (see .env.example)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_NAME = "Forankring"
# The accessibility statement the footer links to where no municipality is known (the login page,
# the about page signed out) or the municipality has not given its own. The law expects the link
# on every page; see docs/operations.md. The demo links to the demo municipality's example.
ACCESSIBILITY_STATEMENT_URL = env(
    "ACCESSIBILITY_STATEMENT_URL", "https://was.digst.dk/eksempel-kommune-forankring" if DEMO_MODE else ""
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "mozilla_django_oidc",
    "forankring.core",
    "forankring.privacy",
    "forankring.direction",
    "forankring.competence",
    "forankring.notifications",
    "forankring.practice",
    "forankring.pilots",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "forankring.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "forankring.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "forankring.core.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "forankring.core.middleware.CurrentPersonMiddleware",
    "forankring.core.bodylimit.RequestSizeLimitMiddleware",
    # After CurrentPersonMiddleware: the name check in anonymous forms uses the person's municipality.
    "forankring.privacy.roster.NameRosterMiddleware",
]

ROOT_URLCONF = "forankring.urls"
WSGI_APPLICATION = "forankring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "forankring" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "forankring.core.context_processors.layout",
            ],
            "builtins": ["django.templatetags.static", "django.templatetags.i18n"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default: WAL lets readers and a writer work together, the busy timeout
# waits instead of failing, and IMMEDIATE takes the write lock at BEGIN so two writers never
# deadlock half-way. The backend (forankring/core/sqlite) waits for the write lock in Python, so
# no thread sleeps with its connection's mutex held (docs/operations.md, "Timeouts").
# PostgreSQL takes over when DATABASE_URL is set.
#
# Timeouts, shortest first, so a request gives up before its client does (a browser or proxy
# typically after 30 s): the database wait, then gunicorn's worker timeout (Makefile,
# REQUEST_TIMEOUT), then the proxy.
SQLITE_BUSY_TIMEOUT = float(env("SQLITE_BUSY_TIMEOUT", "10"))  # seconds waiting for the write lock
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 15)  # seconds per PostgreSQL statement (0: none)
DB_LOCK_TIMEOUT = env_int("DB_LOCK_TIMEOUT", 10)  # seconds waiting for a PostgreSQL row/table lock
if env("DATABASE_URL"):
    DATABASES = {"default": database_from_url(env("DATABASE_URL"))}
    # A `-c` option in DATABASE_URL's query string wins; otherwise our timeouts (in ms).
    cast("dict[str, str]", DATABASES["default"]["OPTIONS"]).setdefault(
        "options", f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000} -c lock_timeout={DB_LOCK_TIMEOUT * 1000}"
    )
else:
    SQLITE_PATH = Path(env("SQLITE_PATH", str(BASE_DIR / "var" / "forankring.sqlite3")))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "forankring.core.sqlite",
            "NAME": str(SQLITE_PATH),
            "OPTIONS": {
                "timeout": SQLITE_BUSY_TIMEOUT,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache works the same on one machine and behind a load balancer, which the login
# rate limit needs. `migrate` is followed by `createcachetable` in the Makefile.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "forankring_cache",
        # Past MAX_ENTRIES the database cache deletes a third of all entries, in key order, so
        # Django's default of 300 would let anyone who fills the cache wipe the login counters.
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 200_000)},
    }
}

# --- Sign-in --------------------------------------------------------------------------------
# Local Django accounts always work. OpenID Connect (Entra ID, OS2faktor, ...) is switched on by
# setting the issuer or the client id; see docs/sign-in.md. The OIDC settings below are defined
# either way, so the /oidc/ views can answer 404 when sign-in with the provider is off instead of
# failing on a missing setting.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
OIDC_ENABLED = bool(env("OIDC_OP_ISSUER") or env("OIDC_RP_CLIENT_ID"))
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(0, "forankring.core.oidc.MunicipalityOIDCBackend")
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER").rstrip("/")
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", f"{OIDC_OP_ISSUER}/auth")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", f"{OIDC_OP_ISSUER}/token")
# Empty turns the userinfo call off: the claims then come from the signed ID token alone.
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", f"{OIDC_OP_ISSUER}/me")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", f"{OIDC_OP_ISSUER}/jwks")
# The provider's end-session endpoint. When set, "Log af" also signs the person out at the
# provider, so the next person at a shared PC is not signed straight back in.
OIDC_OP_LOGOUT_ENDPOINT = env("OIDC_OP_LOGOUT_ENDPOINT")
OIDC_OP_LOGOUT_URL_METHOD = "forankring.core.oidc.provider_logout_url"
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)  # sent back as id_token_hint on logout
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True)
OIDC_USE_PKCE = env_bool("OIDC_USE_PKCE", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds for each call to the provider
# Which municipality the provider signs people in to, how a person is recognised the first time,
# and how claims become roles (a JSON file, or the JSON itself in OIDC_CLAIM_MAPPING).
OIDC_MUNICIPALITY_SLUG = env("OIDC_MUNICIPALITY_SLUG")
OIDC_CLAIM_MAPPING_FILE = env("OIDC_CLAIM_MAPPING_FILE")
OIDC_CLAIM_MAPPING = env("OIDC_CLAIM_MAPPING")
OIDC_EMPLOYEE_ID_CLAIM = env("OIDC_EMPLOYEE_ID_CLAIM", "employee_id")  # empty: never match on it
# Off by default: e-mail addresses are reused for new staff and some providers let people edit
# their own, so an e-mail match could hand one person another's account. See docs/sign-in.md.
OIDC_MATCH_EMAIL = env_bool("OIDC_MATCH_EMAIL", False)

LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"
# Password sign-in attempts per window (docs/sign-in.md, core/ratelimit.py): per username from
# one address or one known browser; per username from anywhere; per address (a whole town
# hall often reaches us through one NAT address).
LOGIN_RATE_LIMIT = env_int("LOGIN_RATE_LIMIT", 10)
LOGIN_RATE_WINDOW = env_int("LOGIN_RATE_WINDOW", 900)  # seconds
LOGIN_RATE_USERNAME_LIMIT = env_int("LOGIN_RATE_USERNAME_LIMIT", 100)
LOGIN_RATE_ADDRESS_LIMIT = env_int("LOGIN_RATE_ADDRESS_LIMIT", 100)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Language -------------------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "forankring" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
# Front-end packages come from npm (package-lock.json) and are served from node_modules through
# these prefixes; nothing is loaded from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "forankring" / "static",
    ("dkfds/css", BASE_DIR / "node_modules" / "dkfds" / "dist" / "css"),
    ("dkfds/js", BASE_DIR / "node_modules" / "dkfds" / "dist" / "js"),
    ("dkfds/fonts", BASE_DIR / "node_modules" / "dkfds" / "dist" / "fonts"),
    ("dkfds/img", BASE_DIR / "node_modules" / "dkfds" / "dist" / "img"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (TESTING or DEBUG)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
# Look static files up when asked instead of scanning every finder when the middleware starts:
# each test client starts the middleware anew, and the scan of node_modules costs ~20 ms each time.
WHITENOISE_AUTOREFRESH = TESTING or DEBUG


# --- Security headers -----------------------------------------------------------------------
# A strict Content-Security-Policy: only our own scripts, styles, fonts and images. No inline
# script anywhere, so the policy needs no nonce.
def content_security_policy(*, form_targets: list[str]) -> str:
    """The policy, with `form_targets` allowed as destinations of a form post besides ourselves.

    Chromium applies form-action to the redirects after a post too, so the "Log af" form, which
    ends at the provider's end-session endpoint, needs the provider's origin here.
    """
    form_action = " ".join(["'self'", *(origin_of(url) for url in form_targets if url)])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"font-src 'self'; connect-src 'self'; form-action {form_action}; frame-ancestors 'none'; "
        "base-uri 'self'; object-src 'none'"
    )


def origin_of(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"


CONTENT_SECURITY_POLICY = content_security_policy(form_targets=[OIDC_OP_LOGOUT_ENDPOINT])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# --- HTTPS, cookies and sessions (production values in .env.example; `check --deploy` is clean
# with them, tests/core/test_production_settings.py) --------------------------------------------
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True  # only the server reads it
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# The load balancer's health checks often speak plain HTTP to the application server.
SECURE_REDIRECT_EXEMPT = [r"^sundhed/"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
# How many proxies in front of us append to X-Forwarded-For; the address the login rate limit
# counts is the one the outermost of them saw. 0 (not behind a proxy) uses REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY", False) else 0)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # the longest a sign-in lasts
SESSION_COOKIE_SAMESITE = "Lax"
# Signed out after this many seconds without a request (0: only SESSION_COOKIE_AGE applies), for
# the shared PC left signed in. core.middleware.IdleTimeoutMiddleware.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 3600)
# A refused CSRF check gets the site's own page, in the person's language.
CSRF_FAILURE_VIEW = "forankring.core.errors.csrf_failure"
# One-time submission tokens of create forms (core/submission.py): how long a spent token is
# remembered, i.e. how late a repeated post is still recognised as one.
SUBMISSION_TOKEN_MAX_AGE = env_int("SUBMISSION_TOKEN_MAX_AGE", 24 * 3600)

# --- Product settings -----------------------------------------------------------------------
# Smallest group whose figures may be shown outside the group (PRIVACY.md); never below the floor.
K_MIN_DEFAULT = env_int("K_MIN", 5)
if K_MIN_DEFAULT < K_MIN_FLOOR:
    # Refused rather than raised quietly: a deployment that asks for 2 must learn it cannot.
    raise RuntimeError(f"K_MIN must be at least {K_MIN_FLOOR} (PRIVACY.md: small-group suppression).")
# Upload limit for organisation files (a 2,000-person XLSX is about 150 KB).
ORG_IMPORT_MAX_BYTES = env_int("ORG_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# A larger request is refused from its Content-Length before its body is read
# (core/bodylimit.py); what is let through is kept in memory, never spooled to disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = ORG_IMPORT_MAX_BYTES + 64 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = ORG_IMPORT_MAX_BYTES

# E-mail (notifications). Development and the demo print mails on the console; production sets
# EMAIL_BACKEND to Django's SMTP backend and EMAIL_HOST etc. (docs/operations.md).
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO_MODE)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "forankring@localhost")
# The address the links in e-mails start with (no trailing slash).
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A request with a Host we do not serve is scanning noise: one line, without the traceback.
    "filters": {"no_traceback": {"()": "forankring.core.logfilters.DropTraceback"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "one_line": {"class": "logging.StreamHandler", "filters": ["no_traceback"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.security.DisallowedHost": {"handlers": ["one_line"], "level": "WARNING", "propagate": False},
    },
}
