"""Django settings for wxops. Every value comes from the environment through
:mod:`wxops.site.environment`; see docs/settings.md for the list."""

from datetime import timedelta
from pathlib import Path

from wxops.site import environment as env

BASE_DIR = Path.cwd()
DATA_DIR = env.data_dir(BASE_DIR)
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.secret_key(DATA_DIR)
DEBUG = env.flag("WXOPS_DEBUG")
ALLOWED_HOSTS = env.listing("WXOPS_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.listing("WXOPS_CSRF_TRUSTED_ORIGINS")
WXOPS_BASE_URL = env.text("WXOPS_BASE_URL").rstrip("/")
WECHAT_API_BASE = env.text("WECHAT_API_BASE").rstrip("/")
WXOPS_FETCH_ALLOW = tuple(env.listing("WXOPS_FETCH_ALLOW"))
WXOPS_FETCH_DEADLINE = env.integer("WXOPS_FETCH_DEADLINE", minimum=1, maximum=600)
WXOPS_IMPORT_FOLDERS = tuple(env.listing("WXOPS_IMPORT_FOLDERS"))
WXOPS_SOURCES_MIN_CONFIDENCE = env.integer("WXOPS_SOURCES_MIN_CONFIDENCE", minimum=0, maximum=100) / 100
WXOPS_CALLBACK_TIMESTAMP_WINDOW = env.integer("WXOPS_CALLBACK_TIMESTAMP_WINDOW", maximum=86400)
WXOPS_SEND_CUTOFF_MINUTES = env.integer("WXOPS_SEND_CUTOFF_MINUTES", minimum=1, maximum=1440)
WXOPS_ANALYTICS_LOOKBACK_DAYS = env.integer("WXOPS_ANALYTICS_LOOKBACK_DAYS", minimum=1, maximum=366)
WXOPS_REPORT_WEEKDAY = env.weekday("WXOPS_REPORT_WEEKDAY")
WXOPS_REPORT_EMAILS = env.listing("WXOPS_REPORT_EMAILS")
WXOPS_HEALTH_HEARTBEAT_MAX_AGE = env.integer("WXOPS_HEALTH_HEARTBEAT_MAX_AGE", minimum=1, maximum=86400)
WXOPS_HEALTH_BACKLOG_MAX_AGE = env.integer("WXOPS_HEALTH_BACKLOG_MAX_AGE", minimum=1, maximum=86400)
WXOPS_BACKUP_DIR = env.text("WXOPS_BACKUP_DIR")
WXOPS_BACKUP_KEEP = env.integer("WXOPS_BACKUP_KEEP", maximum=1000)

INSTALLED_APPS = [
    "wxops.site",
    "wxops.core",
    "wxops.accounts",
    "wxops.compliance",
    "wxops.materials",
    "wxops.sources",
    "wxops.editorial",
    "wxops.publishing",
    "wxops.interaction",
    "wxops.promotion",
    "wxops.analytics",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "huey.contrib.djhuey",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
]

# No LocaleMiddleware: the desk speaks LANGUAGE_CODE (zh-hans) whatever the browser says;
# each user may choose English in their Wagtail account settings.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the 429 page
]

ROOT_URLCONF = "wxops.site.urls"
WSGI_APPLICATION = "wxops.site.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.database(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.redis_url()
QUEUE_NAME = env.queue_name()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": QUEUE_NAME}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: written against the Django Tasks API, run by huey.
TASKS_IMMEDIATE = env.flag("WXOPS_TASKS_IMMEDIATE")
HUEY = {
    "name": QUEUE_NAME,
    "immediate": TASKS_IMMEDIATE,
    "utc": True,
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "check_worker_health": True},
}
if TASKS_IMMEDIATE:
    HUEY["huey_class"] = "huey.MemoryHuey"
elif REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "tasks.sqlite3")})
TASKS = {"default": {"BACKEND": "huey.contrib.djhuey.tasks_backend.HueyBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# The front door (wxops.site.login_throttle): failed logins lock out the user name and the address.
AUTHENTICATION_BACKENDS = ["wxops.site.login_throttle.LoginThrottleBackend",
                           "django.contrib.auth.backends.ModelBackend"]
WXOPS_PROXY_COUNT = env.integer("WXOPS_PROXY_COUNT", maximum=10)
AXES_FAILURE_LIMIT = env.integer("WXOPS_LOGIN_FAILURE_LIMIT", minimum=1, maximum=1000)
AXES_COOLOFF_TIME = timedelta(minutes=env.integer("WXOPS_LOGIN_LOCKOUT_MINUTES", minimum=1, maximum=720))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "wxops.site.login_throttle.client_ip"
AXES_LOCKOUT_TEMPLATE = "site/locked_out.html"
AXES_SENSITIVE_PARAMETERS = []  # log the user name and address an administrator acts on; never the password
LOGIN_URL = "wagtailadmin_login"
LOGIN_REDIRECT_URL = "wagtailadmin_home"

LANGUAGE_CODE = env.text("WXOPS_LANGUAGE")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [Path(__file__).resolve().parent.parent / "locale"]
FORMAT_MODULE_PATH = ["wxops.site.formats"]  # MONTH_DAY_FORMAT 3月2日, as DATE_FORMAT writes the day
TIME_ZONE = env.text("WXOPS_TIME_ZONE")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

WAGTAIL_SITE_NAME = "wxops"
WAGTAILADMIN_BASE_URL = WXOPS_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "materials.Picture"
WAGTAILIMAGES_IMAGE_FORM_BASE = "wxops.materials.pictures.forms.PictureForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "txt", "xlsx"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Explicit saves only. Wagtail 8 autosaves every 500 ms of typing: on the create view an
# autosave that has created the article races the editor's own 保存草稿 click (before the
# page is re-hydrated as the edit view), and one click made two articles; on the edit view
# it churns the revision a reviewer approves. Leaving with unsaved changes still warns.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_WORKFLOW_ENABLED = True
# No Gravatar: it needs the internet (a broken image offline); avatars are initials (site/avatars.py).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_COMMENTS_ENABLED = True

# E-mail: SMTP when WXOPS_SMTP_HOST is set, else one file per message in DATA_DIR/mail (docs/settings.md).
globals().update(env.mail(DATA_DIR))  # EMAIL_BACKEND, EMAIL_HOST…, DEFAULT_FROM_EMAIL, SERVER_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = env.text("WXOPS_MAIL_FROM")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind TLS (WXOPS_HTTPS=true): secure cookies, HTTPS only, HSTS; see README "Running for real".
WXOPS_HTTPS = env.flag("WXOPS_HTTPS")
if WXOPS_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if WXOPS_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_HSTS_SECONDS = env.integer("WXOPS_HSTS_SECONDS", maximum=63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Joining browsers' HSTS preload list is the domain owner's decision, not a setting of wxops (W021);
# Wagtail's preview and choosers frame pages of the site itself, so X_FRAME_OPTIONS is SAMEORIGIN (W019).
SILENCED_SYSTEM_CHECKS = ["security.W021", "security.W019"]

LOG_LEVEL = env.text("WXOPS_LOG_LEVEL").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "wxops.core.logging.RedactSecretsFilter"},
                "one_line_mail_errors": {"()": "wxops.site.mail_errors.OneLineMailErrors"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain",
                    "filters": ["one_line_mail_errors", "redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL if LOG_LEVEL in {"DEBUG", "INFO", "WARNING", "ERROR"} else "INFO"},
    "loggers": {
        "huey": {"handlers": ["console"], "level": "WARNING" if TASKS_IMMEDIATE else "INFO", "propagate": False},
        "django_tasks": {"level": "WARNING" if TASKS_IMMEDIATE else "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # each failure and lock-out; not its banner or housekeeping
    },
}
