import logging

from wxops.core.logging import RedactSecretsFilter, redact


def test_secrets_are_redacted_from_log_lines():
    assert redact("GET /cgi-bin/draft/add?access_token=ABC123&x=1") == "GET /cgi-bin/draft/add?access_token=***&x=1"
    assert redact('{"appid": "wx1", "secret": "s3cr3t"}') == '{"appid": "wx1", "secret": "***"}'


def test_filter_rewrites_the_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "token=%s", ("hunter2",), None)
    assert RedactSecretsFilter().filter(record)
    assert record.getMessage() == "token=***"
