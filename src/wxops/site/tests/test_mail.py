"""Mail goes somewhere sensible without a mail server, and a failing one costs one log line."""

import os
import subprocess
import sys

import pytest

from wxops.site import environment as env

SEND = (
    "from django.core.mail import send_mail; "
    "send_mail('审核提醒', '一条推送等待您的审核。', None, ['reviewer@example.com'])"
)


def run_wxops(*args, **environment):
    merged = {**os.environ, **environment}
    for name in ("WXOPS_SMTP_HOST", "WXOPS_SMTP_PORT", "WXOPS_SMTP_SECURITY"):
        if name not in environment:
            merged.pop(name, None)
    return subprocess.run([sys.executable, "-m", "wxops.cli", *args], capture_output=True, text=True,
                          env=merged, timeout=120)


def test_without_a_mail_server_mail_is_written_under_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("WXOPS_SMTP_HOST", raising=False)
    config = env.mail(tmp_path)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert config["DEFAULT_FROM_EMAIL"] == "wxops <wxops@localhost>"


def test_an_smtp_server_is_configured_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WXOPS_SMTP_HOST", "smtp.example.com")
    monkeypatch.setenv("WXOPS_SMTP_PORT", "465")
    monkeypatch.setenv("WXOPS_SMTP_SECURITY", "ssl")
    monkeypatch.setenv("WXOPS_SMTP_USER", "desk@example.com")
    config = env.mail(tmp_path)
    assert (config["EMAIL_BACKEND"], config["EMAIL_HOST"], config["EMAIL_PORT"], config["EMAIL_HOST_USER"],
            config["EMAIL_USE_SSL"], config["EMAIL_USE_TLS"]) == (
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.com", 465, "desk@example.com", True, False)
    monkeypatch.setenv("WXOPS_SMTP_SECURITY", "tls1.3")
    with pytest.raises(env.SettingError, match="WXOPS_SMTP_SECURITY='tls1.3' is not one of starttls, ssl, none"):
        env.mail(tmp_path)


def test_a_mail_sent_without_a_mail_server_lands_in_a_file_without_a_traceback(tmp_path):
    result = run_wxops("shell", "-c", SEND, WXOPS_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    written = list((tmp_path / "mail").iterdir())
    assert len(written) == 1
    assert "reviewer@example.com" in written[0].read_text()


def test_wagtail_s_mail_connection_error_is_one_line(tmp_path):
    code = (
        "import logging\n"
        "try:\n"
        "    raise ConnectionRefusedError(111, 'Connection refused')\n"
        "except ConnectionRefusedError:\n"
        "    logging.getLogger('wagtail.admin').exception('Mail connection error, notification sending skipped')\n"
    )
    result = run_wxops("shell", "-c", code, WXOPS_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "Mail connection error" in line]
    assert len(lines) == 1
    assert "WARNING wagtail.admin" in lines[0] and "Connection refused" in lines[0] and "WXOPS_SMTP_HOST" in lines[0]


def test_the_start_up_banner_says_where_mail_goes(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    assert env.mail_summary(settings).startswith(f"mail 邮件: no mail server (WXOPS_SMTP_HOST), so e-mails are "
                                                 f"written to {tmp_path / 'mail'}/")
