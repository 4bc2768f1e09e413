import io
import re
import subprocess
import sys

import pytest

from wxops.wechat import CallbackCrypto, signature
from wxops.wechat.cli import main

wechatpy_crypto = pytest.importorskip("wechatpy.crypto")

MESSAGE = (
    "<xml><ToUserName><![CDATA[gh_acct]]></ToUserName><FromUserName><![CDATA[o_fan]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content>"
    "<MsgId>1</MsgId></xml>"
)


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _secrets_args(token, key, app_id):
    return ["--token", token, "--aes-key", key, "--app-id", app_id]


def test_decrypt_a_body_encrypted_by_wechatpy(callback_secrets, tmp_path):
    token, key, app_id = callback_secrets
    envelope = wechatpy_crypto.WeChatCrypto(token, key, app_id).encrypt_message(MESSAGE, "1514711492", "1714036504")
    msg_signature = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", envelope).group(1)
    body = tmp_path / "body.xml"
    body.write_text(envelope)
    args = ["decrypt", *_secrets_args(token, key, app_id), "--timestamp", "1714036504", "--nonce", "1514711492", "--msg-signature", msg_signature]
    assert run([*args, str(body)]) == (0, MESSAGE + "\n", "")
    assert run([*args, "-"], stdin=envelope) == (0, MESSAGE + "\n", "")


def test_decrypt_bad_signature_exits_1_with_one_line(callback_secrets):
    token, key, app_id = callback_secrets
    envelope = CallbackCrypto(token, key, app_id).encrypt(MESSAGE, timestamp="1", nonce="2")
    code, out, err = run(["decrypt", *_secrets_args(token, key, app_id), "--timestamp", "1", "--nonce", "2", "--msg-signature", "0" * 40, "-"], envelope)
    assert (code, out) == (1, "")
    assert err.startswith("wxops wechat decrypt: bad signature") and err.count("\n") == 1
    assert token not in err and key not in err


def test_decrypt_wrong_app_id_exits_1(callback_secrets):
    token, key, app_id = callback_secrets
    envelope = CallbackCrypto(token, key, "wxother").encrypt(MESSAGE, timestamp="1", nonce="2")
    sig = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", envelope).group(1)
    code, out, err = run(["decrypt", *_secrets_args(token, key, app_id), "--timestamp", "1", "--nonce", "2", "--msg-signature", sig], envelope)
    assert (code, out) == (1, "")
    assert err == f"wxops wechat decrypt: wrong app id: the message was not encrypted for {app_id}\n"


@pytest.mark.parametrize("body", ["", "garbage", "<xml><Encrypt>", "<xml><Encrypt>!!!</Encrypt></xml>"])
def test_decrypt_malformed_input_exits_1(callback_secrets, body):
    token, key, app_id = callback_secrets
    code, out, err = run(["decrypt", *_secrets_args(token, key, app_id), "--timestamp", "1", "--nonce", "2", "--msg-signature", "x"], body)
    assert code == 1 and out == "" and err.startswith("wxops wechat decrypt: ") and err.count("\n") == 1


def test_missing_file_and_bad_key_exit_1(callback_secrets):
    token, key, app_id = callback_secrets
    code, _, err = run(["decrypt", *_secrets_args(token, key, app_id), "--timestamp", "1", "--nonce", "2", "--msg-signature", "x", "/nonexistent/body.xml"])
    assert code == 1 and "No such file" in err
    code, _, err = run(["decrypt", *_secrets_args(token, "short", app_id), "--timestamp", "1", "--nonce", "2", "--msg-signature", "x"], "<xml/>")
    assert code == 1 and "EncodingAESKey must be exactly 43 characters" in err


def test_secrets_can_come_from_the_environment(callback_secrets, monkeypatch):
    token, key, app_id = callback_secrets
    monkeypatch.setenv("WECHAT_TOKEN", token)
    monkeypatch.setenv("WECHAT_AES_KEY", key)
    monkeypatch.setenv("WECHAT_APP_ID", app_id)
    code, out, _ = run(["sign", "--timestamp", "5", "--nonce", "6"], MESSAGE)
    assert code == 0 and "encrypt_type=aes" in out


def test_missing_secrets_are_named(monkeypatch):
    for name in ("WECHAT_TOKEN", "WECHAT_AES_KEY", "WECHAT_APP_ID"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run(["sign"], MESSAGE)
    assert code == 1 and "missing --token, --aes-key, --app-id" in err


def test_sign_output_is_accepted_by_wechatpy(callback_secrets):
    token, key, app_id = callback_secrets
    code, out, err = run(["sign", *_secrets_args(token, key, app_id), "--timestamp", "1714036504", "--nonce", "77"], MESSAGE)
    assert code == 0, err
    query, body = out.split("\n", 1)
    params = dict(p.split("=", 1) for p in query.lstrip("?").split("&"))
    assert params["signature"] == signature(token, "1714036504", "77")
    assert params["encrypt_type"] == "aes" and params["timestamp"] == "1714036504" and params["nonce"] == "77"
    plain = wechatpy_crypto.WeChatCrypto(token, key, app_id).decrypt_message(body.strip(), params["msg_signature"], "1714036504", "77")
    assert plain == MESSAGE


def test_sign_then_decrypt_round_trip_as_json(callback_secrets):
    import json

    token, key, app_id = callback_secrets
    code, out, _ = run(["sign", *_secrets_args(token, key, app_id), "--json"], MESSAGE)
    signed = json.loads(out)
    p = signed["params"]
    assert run(["decrypt", *_secrets_args(token, key, app_id), "--timestamp", p["timestamp"], "--nonce", p["nonce"], "--msg-signature", p["msg_signature"]], signed["body"]) == (0, MESSAGE + "\n", "")


def test_sign_refuses_input_that_is_not_a_message(callback_secrets):
    code, out, err = run(["sign", *_secrets_args(*callback_secrets)], "hello")
    assert code == 1 and out == "" and "not a WeChat message" in err


def test_usage_errors_exit_2_and_help_has_examples(capsys):
    assert main(["decrypt"]) == 2
    assert main(["--help"]) == 0
    assert "Examples:" in capsys.readouterr().out


def test_the_management_command_hands_raw_args_to_main(callback_secrets, tmp_path):
    """`wxops wechat ...` through the real entry point (Django's run_from_argv), in a subprocess."""
    token, key, app_id = callback_secrets
    message = tmp_path / "m.xml"
    message.write_text(MESSAGE)
    env_code = (
        "import sys; from wxops.cli import main; "
        "sys.exit(main(['wxops', 'wechat', 'sign', '--token', sys.argv[1], '--aes-key', sys.argv[2], "
        "'--app-id', sys.argv[3], '--timestamp', '9', '--nonce', '8', sys.argv[4]]))"
    )
    done = subprocess.run([sys.executable, "-c", env_code, token, key, app_id, str(message)], capture_output=True, text=True, timeout=120,
                          env={**__import__("os").environ, "WXOPS_DATA_DIR": str(tmp_path / "var")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("?signature=") and "<Encrypt>" in done.stdout
    bad = subprocess.run([sys.executable, "-c", env_code.replace("'sign'", "'decrypt', '--msg-signature', 'x'"), token, key, app_id, str(message)],
                         capture_output=True, text=True, timeout=120, env={**__import__("os").environ, "WXOPS_DATA_DIR": str(tmp_path / "var")})
    assert bad.returncode == 1 and bad.stderr.startswith("wxops wechat decrypt: ")
