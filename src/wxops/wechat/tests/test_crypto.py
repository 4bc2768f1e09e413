import base64
import re
import secrets

import pytest

from wxops.wechat.crypto import CallbackCrypto, CryptoError, InvalidAppId, InvalidSignature, signature

wechatpy_crypto = pytest.importorskip("wechatpy.crypto")


def _field(xml: str, tag: str) -> str:
    match = re.search(rf"<{tag}>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</{tag}>", xml, re.S)
    assert match, f"{tag} missing in {xml}"
    return match.group(1)


def test_signature_matches_the_platform_test_vectors():
    assert signature("AAAAA", "1714036504", "1514711492") == "f464b24fc39322e44b38aa78f5edd27bd1441696"
    assert signature("AAAAA", "1714037059", "486452656") == "899cf89e464efb63f54ddac96b0a0a235f53aa78"


def test_msg_signature_includes_the_ciphertext_in_the_sort():
    assert signature("t", "1", "n", "c") == signature("c", "n", "1", "t")
    assert signature("t", "1", "n", "c") != signature("t", "1", "n")


def test_ours_encrypts_wechatpy_decrypts(callback_secrets):
    token, key, app_id = callback_secrets
    plaintext = "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Content><![CDATA[社保基数什么时候调整？]]></Content></xml>"
    envelope = CallbackCrypto(token, key, app_id).encrypt(plaintext, timestamp="1714036504", nonce="1514711492")
    theirs = wechatpy_crypto.WeChatCrypto(token, key, app_id)
    decrypted = theirs.decrypt_message(envelope, _field(envelope, "MsgSignature"), "1714036504", "1514711492")
    assert decrypted == plaintext


def test_wechatpy_encrypts_ours_decrypts(callback_secrets):
    token, key, app_id = callback_secrets
    plaintext = "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好 ]]]]></Content></xml>"
    envelope = wechatpy_crypto.WeChatCrypto(token, key, app_id).encrypt_message(plaintext, "98765", "1700000000")
    ours = CallbackCrypto(token, key, app_id)
    decrypted = ours.decrypt(
        envelope, msg_signature=_field(envelope, "MsgSignature"), timestamp="1700000000", nonce="98765"
    )
    assert decrypted == plaintext


def test_encrypt_text_layout_is_random16_length_message_appid_padded_to_32(callback_secrets):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    token, key, app_id = callback_secrets
    ciphertext = base64.b64decode(CallbackCrypto(token, key, app_id).encrypt_text("abc"))
    aes_key = base64.b64decode(key + "=")
    dec = Cipher(algorithms.AES(aes_key), modes.CBC(aes_key[:16])).decryptor()
    plain = dec.update(ciphertext) + dec.finalize()
    assert len(plain) % 32 == 0
    pad = plain[-1]
    body = plain[:-pad]
    assert body[16:20] == (3).to_bytes(4, "big")
    assert body[20:23] == b"abc"
    assert body[23:] == app_id.encode()


def test_two_encryptions_of_the_same_text_differ(callback_secrets):
    crypto = CallbackCrypto(*callback_secrets)
    assert crypto.encrypt_text("same") != crypto.encrypt_text("same")


def test_bad_signature_raises_and_returns_nothing(callback_secrets):
    crypto = CallbackCrypto(*callback_secrets)
    envelope = crypto.encrypt("<xml/>", timestamp="1", nonce="2")
    with pytest.raises(InvalidSignature):
        crypto.decrypt(envelope, msg_signature="0" * 40, timestamp="1", nonce="2")
    with pytest.raises(InvalidSignature):
        crypto.decrypt(envelope, msg_signature=_field(envelope, "MsgSignature"), timestamp="1", nonce="3")


def test_wrong_app_id_raises_invalid_app_id(callback_secrets):
    token, key, app_id = callback_secrets
    envelope = wechatpy_crypto.WeChatCrypto(token, key, "wxsomeoneelse").encrypt_message("<xml/>", "5", "6")
    ours = CallbackCrypto(token, key, app_id)
    with pytest.raises(InvalidAppId):
        ours.decrypt(envelope, msg_signature=_field(envelope, "MsgSignature"), timestamp="6", nonce="5")
    assert issubclass(InvalidAppId, CryptoError) and issubclass(InvalidSignature, CryptoError)


def test_wrong_key_is_a_crypto_error_not_a_traceback(callback_secrets):
    token, key, app_id = callback_secrets
    other_key = base64.b64encode(secrets.token_bytes(32)).decode()[:43]
    ciphertext = CallbackCrypto(token, other_key, app_id).encrypt_text("<xml>hello</xml>")
    with pytest.raises(CryptoError):
        CallbackCrypto(token, key, app_id).decrypt_text(ciphertext)


@pytest.mark.parametrize("ciphertext", ["not base64!!", "", base64.b64encode(b"short").decode()])
def test_malformed_ciphertext_is_a_crypto_error(callback_secrets, ciphertext):
    with pytest.raises(CryptoError):
        CallbackCrypto(*callback_secrets).decrypt_text(ciphertext)


@pytest.mark.parametrize("envelope", ["<xml><Encrypt>", "<xml><ToUserName>x</ToUserName></xml>", "plain text"])
def test_malformed_envelope_is_a_crypto_error(callback_secrets, envelope):
    with pytest.raises(CryptoError):
        CallbackCrypto(*callback_secrets).decrypt(envelope, msg_signature="x", timestamp="1", nonce="2")


def test_envelope_with_entities_is_refused(callback_secrets):
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>'
    with pytest.raises(CryptoError, match="XML rejected"):
        CallbackCrypto(*callback_secrets).decrypt(bomb, msg_signature="x", timestamp="1", nonce="2")


@pytest.mark.parametrize("key", ["", "short", "a" * 42, "a" * 44, "!" * 43])
def test_bad_encoding_aes_key_is_a_clear_value_error(key):
    with pytest.raises(ValueError, match="EncodingAESKey"):
        CallbackCrypto("token", key, "wx123")


def test_repr_hides_token_and_key(callback_secrets):
    token, key, app_id = callback_secrets
    text = repr(CallbackCrypto(token, key, app_id))
    assert token not in text and key not in text and app_id in text
