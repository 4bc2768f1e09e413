import pytest

from wxops.wechat import errors as e


@pytest.mark.parametrize(
    ("code", "cls", "retryable"),
    [
        (-1, e.SystemBusy, True),
        (40001, e.CredentialError, True),
        (42001, e.CredentialError, True),
        (40014, e.CredentialError, True),
        (40164, e.IPNotWhitelisted, False),
        (45009, e.RateLimited, False),
        (45011, e.RateLimited, True),
        (45028, e.NoMassSendQuota, False),
        (45065, e.DuplicateClientMsgId, False),
        (45066, e.ClientMsgIdTooFast, True),
        (45067, e.ClientMsgIdTooLong, False),
        (48001, e.NoApiPermission, False),
        (40007, e.InvalidMedia, False),
        (61501, e.DateRangeError, False),
        (88000, e.NoCommentPermission, False),
        (40125, e.AppCredentialError, False),
        (44003, e.InvalidRequest, False),
        (47001, e.InvalidRequest, False),
        (45047, e.LimitExceeded, False),
        (46004, e.NotFound, False),
        (48002, e.PermissionDenied, False),
        (9001001, e.APIError, False),
    ],
)
def test_each_errcode_maps_to_its_class(code, cls, retryable):
    error = e.error_from_response({"errcode": code, "errmsg": "x rid: 1"})
    assert type(error) is cls
    assert error.errcode == code and error.errmsg == "x rid: 1" and error.retryable is retryable
    assert isinstance(error, e.APIError) and isinstance(error, e.WeChatError)


def test_success_is_not_an_error():
    assert e.error_from_response({"errcode": 0, "errmsg": "ok"}) is None
    assert e.error_from_response({"media_id": "x"}) is None


def test_the_tree_is_as_drawn():
    assert issubclass(e.DuplicateClientMsgId, e.ClientMsgIdError)
    assert issubclass(e.ClientMsgIdError, e.LimitExceeded)
    assert issubclass(e.RateLimited, e.LimitExceeded)
    assert issubclass(e.NoCommentPermission, e.PermissionDenied)
    assert issubclass(e.InvalidMedia, e.InvalidRequest)
    assert issubclass(e.OutcomeUnknown, e.TransportError)
    assert issubclass(e.MissingClientMsgId, e.ClientUsageError) and issubclass(e.MissingClientMsgId, ValueError)
    assert not e.OutcomeUnknown("x").retryable


def test_every_class_named_in_the_docstring_exists():
    import re

    drawn = set(re.findall(r"[├└]── (\w+)", e.__doc__))
    assert drawn - {"CryptoError", "InvalidSignature", "InvalidAppId"} <= set(e.__all__)
    assert len(drawn) >= 22


def test_duplicate_clientmsgid_carries_the_existing_msg_id():
    error = e.error_from_response({"errcode": 45065, "errmsg": "clientmsgid exist", "msg_id": 1000001625})
    assert isinstance(error, e.DuplicateClientMsgId) and error.msg_id == 1000001625


def test_table_describes_codes_in_chinese():
    assert e.describe_errcode(45028) == "没有群发配额 (has no masssend quota)"
    assert e.describe_errcode(40001).startswith("获取 access_token 时 AppSecret 错误")
    assert e.describe_errcode(123) == ""
    assert "45009" in str(e.error_from_response({"errcode": 45009, "errmsg": "reach max api daily quota limit"}))


def test_missing_errmsg_falls_back_to_the_table():
    assert e.error_from_response({"errcode": 48001}).errmsg.startswith("api 功能未授权")
