"""Settings shared by every mode; each mode differs only by environment variables."""

from datetime import timedelta

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, VAR_DIR, env, local_secret

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or local_secret("secret_key")
# Keys for contact details at rest; the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    # Serves the API documentation's Swagger UI from its own static files (no CDN).
    "ninja",
    "django_tasks_db",
    "axes",
    "tanggap.common",
    "tanggap.accounts",
    "tanggap.notifications",
    "tanggap.insights",
    "tanggap.cases",
    "tanggap.intake",
    "tanggap.responses",
    "tanggap.surveys",
    "tanggap.improvements",
    "tanggap.analytics",
    "tanggap.portal",
    "tanggap.integrations.open311",
    "tanggap.integrations.email_ingest",
    "tanggap.integrations.webhooks",
    "tanggap.integrations.lapor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tanggap.common.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tanggap.common.origin.OriginMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "tanggap.common.forms.FormRenderer"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tanggap" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tanggap.accounts.context_processors.capabilities",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tanggap.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and an immediate write lock let the web server and the worker share one file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "officer:login"
LOGIN_REDIRECT_URL = "officer:inbox"
LOGOUT_REDIRECT_URL = "officer:login"

# Officer log-in lock-out (django-axes): five failures lock the account for fifteen minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_LOCKOUT_TEMPLATE = "officer/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Locking an address would lock a whole office behind one NAT; the account lock is the guard.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tanggap" / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Attachments are never served directly: scoped views stream them.
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

MAILERS = {
    "default": {
        "BACKEND": env.str(
            "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
        )
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tanggap <noreply@localhost>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Pages load only their own scripts and styles: no inline script can run, whatever is injected.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Guessing protection for the public tracking page.
TRACKING_MAX_FAILURES_PER_CODE = env.int("TRACKING_MAX_FAILURES_PER_CODE", default=5)
TRACKING_MAX_FAILURES_PER_ADDRESS = env.int("TRACKING_MAX_FAILURES_PER_ADDRESS", default=20)
TRACKING_LOCKOUT = timedelta(minutes=env.int("TRACKING_LOCKOUT_MINUTES", default=15))
# Public reports accepted from one address per hour (a counter kiosk shares one address).
REPORTS_PER_ADDRESS_PER_HOUR = env.int("REPORTS_PER_ADDRESS_PER_HOUR", default=30)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: trust none).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# How long the receipt's PIN stays available for the PDF download in the submitter's session.
RECEIPT_SECRET_MINUTES = env.int("RECEIPT_SECRET_MINUTES", default=30)
# Category and unit suggestions (cases/suggestions.py): no model below this many handled
# reports, no choice learnt from fewer than this many, none shown below this probability;
# training reads at most the newest SUGGESTION_MAX_CASES handled reports.
SUGGESTION_MIN_CASES = env.int("SUGGESTION_MIN_CASES", default=200)
SUGGESTION_MIN_PER_CLASS = env.int("SUGGESTION_MIN_PER_CLASS", default=5)
SUGGESTION_CONFIDENCE_FLOOR = env.float("SUGGESTION_CONFIDENCE_FLOOR", default=0.2)
SUGGESTION_MAX_CASES = env.int("SUGGESTION_MAX_CASES", default=50_000)

# Channels (docs/messaging.md, docs/email.md): the development gateways only log; an empty
# webhook secret refuses every call to that webhook.
TANGGAP_SMS_GATEWAY = env.str("TANGGAP_SMS_GATEWAY", default="log")  # log | http
TANGGAP_SMS_HTTP_URL = env.str("TANGGAP_SMS_HTTP_URL", default="")
TANGGAP_SMS_HTTP_SECRET = env.str("TANGGAP_SMS_HTTP_SECRET", default="")
TANGGAP_SMS_WEBHOOK_SECRET = env.str("TANGGAP_SMS_WEBHOOK_SECRET", default="")
# Every SMS costs the unit money: a reporter who gave only a phone gets SMS when this is on.
TANGGAP_SMS_FOR_PHONE_ONLY = env.bool("TANGGAP_SMS_FOR_PHONE_ONLY", default=False)
TANGGAP_WHATSAPP_GATEWAY = env.str("TANGGAP_WHATSAPP_GATEWAY", default="log")  # log | cloud
TANGGAP_WHATSAPP_TOKEN = env.str("TANGGAP_WHATSAPP_TOKEN", default="")
TANGGAP_WHATSAPP_PHONE_NUMBER_ID = env.str("TANGGAP_WHATSAPP_PHONE_NUMBER_ID", default="")
TANGGAP_WHATSAPP_APP_SECRET = env.str("TANGGAP_WHATSAPP_APP_SECRET", default="")
TANGGAP_WHATSAPP_VERIFY_TOKEN = env.str("TANGGAP_WHATSAPP_VERIFY_TOKEN", default="")
TANGGAP_WHATSAPP_TEMPLATE = env.str("TANGGAP_WHATSAPP_TEMPLATE", default="tanggap_update")
TANGGAP_WHATSAPP_TEMPLATE_LANGUAGE = env.str("TANGGAP_WHATSAPP_TEMPLATE_LANGUAGE", default="id")
TANGGAP_WEBHOOK_ALLOWED_NETWORKS = env.list("TANGGAP_WEBHOOK_ALLOWED_NETWORKS", default=[])
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=120)
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=64 * 1024)
EMAIL_INGEST_PER_SENDER_PER_HOUR = env.int("EMAIL_INGEST_PER_SENDER_PER_HOUR", default=20)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
