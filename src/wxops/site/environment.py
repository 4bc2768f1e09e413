"""Every setting wxops reads from the environment, declared in one place.

Each :class:`Setting` names an environment variable, its default and what it does.
``docs/settings.md`` lists them all; ``test_settings_documented`` keeps that list
complete. Values are parsed here and nowhere else, so a bad value fails with one
line that says which variable to fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


class SettingError(ValueError):
    """A setting in the environment is missing or malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    secret: bool = False

    def raw(self) -> str:
        return os.environ.get(self.name, self.default).strip()


SETTINGS: tuple[Setting, ...] = (
    Setting("WXOPS_DATA_DIR", "var", "Folder for the SQLite database, task queue, uploads and generated secrets."),
    Setting("DATABASE_URL", "", "Database URL. Empty means SQLite in WXOPS_DATA_DIR/wxops.sqlite3; "
            "for PostgreSQL: postgres://USER:PASSWORD@HOST:5432/NAME."),
    Setting("REDIS_URL", "", "Redis URL (redis://HOST:6379/0). When set, tasks and the cache use Redis "
            "(RedisHuey); otherwise SQLite (SqliteHuey) and a local-memory cache."),
    Setting("WXOPS_QUEUE_NAME", "wxops", "Name of the task queue and prefix of the cache keys. Installations "
            "(or test runs) that share one Redis each need their own name."),
    Setting("WXOPS_SECRET_KEY", "", "Django secret key. When empty, a key is generated once into "
            "WXOPS_DATA_DIR/secret_key.", secret=True),
    Setting("WXOPS_DEBUG", "false", "Django debug mode (true/false). Never true in production."),
    Setting("WXOPS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", "Comma-separated host names this site serves."),
    Setting("WXOPS_CSRF_TRUSTED_ORIGINS", "", "Comma-separated origins (https://example.com) allowed to POST forms."),
    Setting("WXOPS_BASE_URL", "http://127.0.0.1:8000", "Public base URL of this site; WeChat callbacks and "
            "links in e-mails use it."),
    Setting("WXOPS_TIME_ZONE", "Asia/Shanghai", "Default time zone of the site and of new accounts."),
    Setting("WXOPS_LANGUAGE", "zh-hans", "Default interface language: zh-hans or en."),
    Setting("WXOPS_LOG_LEVEL", "INFO", "Log level: DEBUG, INFO, WARNING or ERROR."),
    Setting("WXOPS_TASKS_IMMEDIATE", "false", "Run background tasks inline instead of in the worker "
            "(true in tests)."),
    Setting("WECHAT_API_BASE", "http://127.0.0.1:9100", "Base URL of the WeChat API. The local simulator by "
            "default; https://api.weixin.qq.com for real WeChat."),
    Setting("WXOPS_SIMULATOR_PORT", "9100", "Port `wxops up` starts the local WeChat simulator on."),
    Setting("PORT", "8000", "Port `wxops up` (and `make run`) serves the web site on."),
    Setting("WXOPS_WEB_WORKERS", "2", "Number of web worker processes `wxops up` starts."),
    Setting("WXOPS_WEB_THREADS", "4", "Threads per web worker process `wxops up` starts (gunicorn's gthread "
            "workers); 1 runs gunicorn's sync workers."),
    Setting("WXOPS_LOGIN_FAILURE_LIMIT", "5", "Failed logins for one user name, or from one address, after which "
            "further logins are refused (429) for WXOPS_LOGIN_LOCKOUT_MINUTES."),
    Setting("WXOPS_LOGIN_LOCKOUT_MINUTES", "15", "How long a login lock-out lasts, in minutes (1–720)."),
    Setting("WXOPS_PROXY_COUNT", "0", "How many trusted reverse proxies (nginx) stand before wxops: 1 behind one "
            "nginx. Login throttling then takes the caller's address from X-Forwarded-For and secure cookies "
            "trust X-Forwarded-Proto."),
    Setting("WXOPS_HTTPS", "false", "The site is served over HTTPS (true in production): secure cookies, "
            "redirects to HTTPS (except /healthz) and HSTS."),
    Setting("WXOPS_HSTS_SECONDS", "31536000", "With WXOPS_HTTPS, how long browsers must use HTTPS only (HSTS), "
            "in seconds; start with 3600 while trying TLS out."),
    Setting("WXOPS_HEALTH_HEARTBEAT_MAX_AGE", "180", "Seconds since the worker's last heartbeat (it beats every "
            "minute) after which /healthz answers 503."),
    Setting("WXOPS_BACKUP_DIR", "", "Folder of `wxops backup`'s archives and of the nightly backup; empty means "
            "WXOPS_DATA_DIR/backups. Put it on another disk (or copy it off the machine)."),
    Setting("WXOPS_BACKUP_KEEP", "7", "How many nightly backups (03:30 in WXOPS_TIME_ZONE, by the worker with "
            "the scheduler) to keep; 0 turns the nightly backup off."),
    Setting("WXOPS_HEALTH_BACKLOG_MAX_AGE", "600", "Seconds the oldest waiting task may have waited in the queue "
            "before /healthz answers 503."),
    Setting("WXOPS_FETCH_ALLOW", "", "Comma-separated networks (10.8.0.0/16), addresses or host names that "
            "source, page and picture fetches may reach although internal; everything else must be public."),
    Setting("WXOPS_FETCH_DEADLINE", "30", "Total seconds one fetch of a feed, page or picture may take."),
    Setting("WXOPS_IMPORT_FOLDERS", "", "Comma-separated server folders that local file sources (本地文件或文件夹) "
            "may read; empty means no such source can be added."),
    Setting("WXOPS_SOURCES_MIN_CONFIDENCE", "40", "Below this classifier confidence (in percent) a new story "
            "is filed as other / not relevant instead of a category."),
    Setting("WXOPS_CALLBACK_TIMESTAMP_WINDOW", "300", "Seconds a WeChat callback's timestamp may differ from "
            "the site's clock (both ways) before it is refused; with one message per signed request, a signature "
            "copied from a log cannot inject messages. 0 disables the check."),
    Setting("WXOPS_SEND_CUTOFF_MINUTES", "120", "Minutes after a push's latest send time (its slot, or the end "
            "of the late-send window) during which a send WeChat refused or never answered is still tried; after "
            "that the push is held and everyone concerned is told."),
    Setting("WXOPS_ANALYTICS_LOOKBACK_DAYS", "30", "How many days back the hourly statistics sync looks for days "
            "it has not stored yet (older gaps: `wxops analytics sync --from`)."),
    Setting("WXOPS_REPORT_WEEKDAY", "monday", "Weekday the fortnightly report (运营情况分析) is made on, every "
            "second week: monday … sunday."),
    Setting("WXOPS_SMTP_HOST", "", "Mail server (SMTP) host name. Empty means no mail server: every e-mail is "
            "written as a file to WXOPS_DATA_DIR/mail/ instead (and people still see their notices in the admin)."),
    Setting("WXOPS_SMTP_PORT", "587", "Mail server port: 587 (STARTTLS), 465 (SSL) or 25."),
    Setting("WXOPS_SMTP_USER", "", "User name for the mail server; empty sends without logging in."),
    Setting("WXOPS_SMTP_PASSWORD", "", "Password for the mail server.", secret=True),
    Setting("WXOPS_SMTP_SECURITY", "starttls", "How the mail connection is encrypted: starttls, ssl or none."),
    Setting("WXOPS_MAIL_FROM", "wxops <wxops@localhost>", "Sender address of every e-mail wxops sends "
            "(notices, review requests, reports)."),
    Setting("WXOPS_REPORT_EMAILS", "", "Comma-separated addresses that get each fortnightly report by e-mail, "
            "besides the account's administrators."),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def text(name: str) -> str:
    return _BY_NAME[name].raw()


def flag(name: str) -> bool:
    value = text(name).lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise SettingError(f"{name}={value!r} is not a yes/no value: use true or false.")


def integer(name: str, minimum: int = 0, maximum: int = 65535) -> int:
    value = text(name)
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number.") from None
    if not minimum <= number <= maximum:
        raise SettingError(f"{name}={number} is out of range: use {minimum}–{maximum}.")
    return number


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday(name: str) -> int:
    """A weekday name → 0 (Monday) … 6 (Sunday)."""
    value = text(name).lower()
    if value not in WEEKDAYS:
        raise SettingError(f"{name}={value!r} is not a weekday: use one of {', '.join(WEEKDAYS)}.")
    return WEEKDAYS.index(value)


def listing(name: str) -> list[str]:
    return [part.strip() for part in text(name).split(",") if part.strip()]


def queue_name() -> str:
    name = text("WXOPS_QUEUE_NAME")
    if not name or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in name):
        raise SettingError(f"WXOPS_QUEUE_NAME={name!r} must be letters, digits, '-', '_' or '.', e.g. wxops-staging.")
    return name


def data_dir(base: Path) -> Path:
    path = Path(text("WXOPS_DATA_DIR"))
    return path if path.is_absolute() else base / path


def database(data_directory: Path) -> dict:
    """Parse DATABASE_URL into Django's DATABASES['default'], SQLite in WAL mode by default."""
    import dj_database_url

    url = text("DATABASE_URL")
    if not url:
        return sqlite_database(data_directory / "wxops.sqlite3")
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise SettingError(
            f"DATABASE_URL must start with sqlite:// or postgres:// (got {scheme or 'no scheme'!r}); "
            "example: postgres://postgres@127.0.0.1:5432/wxops"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as error:
        raise SettingError(f"DATABASE_URL is malformed ({error}); example: postgres://USER@HOST:5432/NAME") from None
    if config["ENGINE"].endswith("sqlite3"):
        return sqlite_database(Path(config["NAME"]))
    if not config.get("NAME"):
        raise SettingError("DATABASE_URL names no database: add /NAME at the end, e.g. .../wxops")
    return config


def sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Keep the connection between requests: opening one (and its PRAGMAs) and closing it (a WAL
        # checkpoint) cost more than a WeChat callback's own work.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        },
        # A file, not memory: in-memory shared-cache SQLite fails concurrent writers at once
        # ("table is locked") instead of waiting, unlike the real database.
        "TEST": {"NAME": str(path.with_name(f"test_{path.name}"))},
    }


MAIL_SECURITY = ("starttls", "ssl", "none")


def mail(data_directory: Path) -> dict:
    """Django's e-mail settings: SMTP when WXOPS_SMTP_HOST is set, else files under the data folder.

    Without a mail server, sending must neither fail nor stall an action (Django's default is
    SMTP on localhost:25, which refuses every message): each e-mail becomes a file in
    ``WXOPS_DATA_DIR/mail/`` that an operator can read.
    """
    host = text("WXOPS_SMTP_HOST")
    sender = text("WXOPS_MAIL_FROM")
    common = {"DEFAULT_FROM_EMAIL": sender, "SERVER_EMAIL": sender, "EMAIL_TIMEOUT": 10}
    if not host:
        return {**common, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(data_directory / "mail")}
    security = text("WXOPS_SMTP_SECURITY").lower()
    if security not in MAIL_SECURITY:
        raise SettingError(f"WXOPS_SMTP_SECURITY={security!r} is not one of {', '.join(MAIL_SECURITY)}.")
    return {**common, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": host,
            "EMAIL_PORT": integer("WXOPS_SMTP_PORT", 1, 65535), "EMAIL_HOST_USER": text("WXOPS_SMTP_USER"),
            "EMAIL_HOST_PASSWORD": text("WXOPS_SMTP_PASSWORD"), "EMAIL_USE_TLS": security == "starttls",
            "EMAIL_USE_SSL": security == "ssl"}


def mail_summary(django_settings) -> str:
    """One line that says where e-mail goes, for the start-up banner (never the password)."""
    if django_settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        return (f"mail 邮件: no mail server (WXOPS_SMTP_HOST), so e-mails are written to "
                f"{django_settings.EMAIL_FILE_PATH}/ and notices show in the admin (docs/settings.md)")
    return f"mail 邮件: SMTP {django_settings.EMAIL_HOST}:{django_settings.EMAIL_PORT}"


def redis_url() -> str:
    url = text("REDIS_URL")
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingError(f"REDIS_URL must start with redis://, rediss:// or unix:// (got {url!r}).")
    return url


def secret_key(data_directory: Path) -> str:
    """The secret key from the environment, else from a file generated once in the data folder."""
    key = text("WXOPS_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise SettingError("WXOPS_SECRET_KEY is too short: use at least 32 random characters.")
        return key
    path = data_directory / "secret_key"
    if path.exists():
        return path.read_text().strip()
    import secrets

    data_directory.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
