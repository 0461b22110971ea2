"""Settings shared by every environment. Values come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]
SRC_DIR = BASE_DIR / "src" / "cartable"
VAR_DIR = Path(os.environ.get("CARTABLE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "cartable.core",
    "cartable.referential",
    "cartable.access",
    "cartable.competencies",
    "cartable.catalogue",
    "cartable.timetable",
    "cartable.enrolment",
    "cartable.certification",
    "cartable.records",
    "cartable.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cartable.core.middleware.RequestContextMiddleware",
    "cartable.core.middleware.StrongAuthenticationMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cartable.urls"
WSGI_APPLICATION = "cartable.wsgi.application"

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
                "cartable.core.context_processors.interface",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cartable.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Authentication: local accounts always; CAS and OpenID Connect when configured ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "cartable.referential.backends.ReferentialModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "core:login"

CAS_SERVER_URL = os.environ.get("CAS_SERVER_URL", "")
CAS_ENABLED = bool(CAS_SERVER_URL)
if CAS_ENABLED:
    INSTALLED_APPS.append("django_cas_ng")
    AUTHENTICATION_BACKENDS.append("cartable.referential.sso.CartableCASBackend")
    CAS_VERSION = os.environ.get("CAS_VERSION", "3")
    CAS_CREATE_USER = False  # accounts derive from the referential
    CAS_RENAME_ATTRIBUTES = {"eduPersonPrincipalName": "eppn", "mail": "email"}
    CAS_REDIRECT_URL = "/"

OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("cartable.referential.sso.CartableOIDCBackend")
    OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
    OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
    OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_CLAIM_EPPN = os.environ.get("OIDC_CLAIM_EPPN", "eduperson_principal_name")
    OIDC_CREATE_USER = False  # accounts derive from the referential
    LOGIN_REDIRECT_URL_FAILURE = "/connexion/"

# Strong authentication (TOTP) for privileged staff roles (§6.1.3)
CARTABLE_MFA_REQUIRED = env_bool("CARTABLE_MFA_REQUIRED", True)
OTP_TOTP_ISSUER = "Cartable"

# Login rate limiting (django-axes): lock a username+address pair after repeated failures
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# --- Internationalisation: French first, English second ---
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Evidence of learning outside courses: never served as static or media files, only
    # through a view that checks who asks and journals it.
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private" / "evidence"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Cache: one per process by default; CACHE_URL=redis://… shares it between processes ---
if os.environ.get("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Security defaults ---
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Hardened whenever debug is off; CARTABLE_PLAIN_HTTP=1 only for loopback benchmarks.
if not DEBUG and not env_bool("CARTABLE_PLAIN_HTTP", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- REST API ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cartable API",
    "DESCRIPTION": "API du système d'information Cartable / Cartable information system API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Background jobs: in-process unless a broker is configured ---
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
# Without a broker, tasks run in-process; "memory://" guarantees nothing leaves the process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TIMEZONE = TIME_ZONE

# --- Cartable ---
CARTABLE_ESTABLISHMENT_NAME = os.environ.get("CARTABLE_ESTABLISHMENT_NAME", "UTBM")
CARTABLE_DEFAULT_GRACE_DAYS = int(os.environ.get("CARTABLE_DEFAULT_GRACE_DAYS", "0"))
CARTABLE_ROLE_RESOLVERS = [
    "cartable.referential.api.roles_for_user",
    "cartable.catalogue.api.roles_for_user",
]
# The resolvers that may grant a privileged role (the strong-authentication check, on every
# request, asks only them): privileged roles come from contracts and functions.
CARTABLE_PRIVILEGE_RESOLVERS = ["cartable.referential.api.roles_for_user"]
CARTABLE_EPPN_SCOPE = os.environ.get("CARTABLE_EPPN_SCOPE", "utbm.fr")
# Base of the CASE URIs of competency frameworks (default: the request's host).
CARTABLE_CASE_BASE_URI = os.environ.get("CARTABLE_CASE_BASE_URI", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Open Badges: the public HTTPS address credentials and the issuer profile live at (they are
# signed with it, so it must not change once badges are issued), the issuer's public name, and
# the passphrase that encrypts the issuer's private keys at rest (SECRET_KEY when unset).
CARTABLE_PUBLIC_URL = os.environ.get("CARTABLE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
CARTABLE_ISSUER_NAME = os.environ.get(
    "CARTABLE_ISSUER_NAME", "Université de technologie de Belfort-Montbéliard"
)
CARTABLE_BADGE_KEY_PASSPHRASE = os.environ.get("CARTABLE_BADGE_KEY_PASSPHRASE", "")

# Processes a timetabling solver may use (both cores of the reference machine).
CARTABLE_SOLVER_WORKERS = int(os.environ.get("CARTABLE_SOLVER_WORKERS", "2"))
# Who is expected to take which UEs (student → offers), for designing the weekly template.
CARTABLE_DEMAND_PROVIDER = "cartable.enrolment.api.demand"
# Who is in each group (group → students), to tell them when the weekly template moves it.
CARTABLE_GROUP_MEMBERS_PROVIDER = "cartable.enrolment.api.group_members"
