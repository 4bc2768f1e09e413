"""``wxops wechat``: debug a callback by hand.

``decrypt`` reads the XML that WeChat POSTed (a file, or ``-`` for standard input) and
prints the decrypted message; ``sign`` does the reverse, turning a plaintext message into
the encrypted envelope plus the query string WeChat would add, to build test requests::

    wxops wechat decrypt --token T --aes-key K --app-id wx123 \\
        --timestamp 1714036504 --nonce 1514711492 --msg-signature 3b0c... body.xml
    wxops wechat sign --token T --aes-key K --app-id wx123 message.xml

Secrets may come from the environment instead of the command line (where other users
can see them in the process list): ``WECHAT_TOKEN``, ``WECHAT_AES_KEY``, ``WECHAT_APP_ID``.
Exit status: 0 success, 1 bad signature / wrong app id / malformed input, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from typing import TextIO
from urllib.parse import urlencode

from .crypto import CallbackCrypto, CryptoError, InvalidAppId, InvalidSignature, signature
from .messages import MessageParseError, parse_message, parse_xml, xml_to_dict

__all__ = ["build_parser", "main"]

EXAMPLES = """\
Examples:
  wxops wechat decrypt --token T --aes-key K --app-id wx123 \\
      --timestamp 1714036504 --nonce 1514711492 --msg-signature 3b0c... body.xml
  curl ... | wxops wechat decrypt --timestamp ... --nonce ... --msg-signature ... -
  wxops wechat sign --token T --aes-key K --app-id wx123 message.xml
"""


def _add_secrets(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--token", default=os.environ.get("WECHAT_TOKEN"), help="callback Token (or $WECHAT_TOKEN)")
    parser.add_argument(
        "--aes-key", default=os.environ.get("WECHAT_AES_KEY"), help="43-character EncodingAESKey (or $WECHAT_AES_KEY)"
    )
    parser.add_argument("--app-id", default=os.environ.get("WECHAT_APP_ID"), help="the account's AppID (or $WECHAT_APP_ID)")


def build_parser(prog: str = "wxops wechat") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Decrypt or build WeChat callback requests (safe mode, AES).",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="action", metavar="{decrypt,sign}")
    sub.required = True

    dec = sub.add_parser(
        "decrypt",
        help="print the plaintext XML of a POSTed safe-mode callback",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_secrets(dec)
    dec.add_argument("--timestamp", required=True, help="the timestamp query parameter")
    dec.add_argument("--nonce", required=True, help="the nonce query parameter")
    dec.add_argument("--msg-signature", required=True, help="the msg_signature query parameter")
    dec.add_argument("file", nargs="?", default="-", help="the POSTed XML body; - (default) reads standard input")

    sign = sub.add_parser(
        "sign",
        help="encrypt a plaintext message into a callback envelope and its query string",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_secrets(sign)
    sign.add_argument("--timestamp", default=None, help="timestamp to use (default: now)")
    sign.add_argument("--nonce", default=None, help="nonce to use (default: random)")
    sign.add_argument("--json", action="store_true", help="print {query, params, body} as JSON")
    sign.add_argument("file", nargs="?", default="-", help="the plaintext XML message; - (default) reads standard input")
    return parser


def _read(path: str, stdin: TextIO) -> str:
    if path == "-":
        return stdin.read()
    with open(path, encoding="utf-8") as f:
        return f.read()


def _crypto(args: argparse.Namespace) -> CallbackCrypto:
    missing = [flag for flag, value in (("--token", args.token), ("--aes-key", args.aes_key), ("--app-id", args.app_id)) if not value]
    if missing:
        raise ValueError(f"missing {', '.join(missing)} (or the WECHAT_TOKEN / WECHAT_AES_KEY / WECHAT_APP_ID variables)")
    return CallbackCrypto(args.token, args.aes_key, args.app_id)


def _decrypt(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> None:
    crypto = _crypto(args)
    body = _read(args.file, stdin)
    try:
        plaintext = crypto.decrypt(body, msg_signature=args.msg_signature, timestamp=args.timestamp, nonce=args.nonce)
    except InvalidSignature:
        raise InvalidSignature(
            "bad signature: msg_signature does not match token, timestamp, nonce and <Encrypt> "
            "(check the Token and that the query parameters belong to this body)"
        ) from None
    except InvalidAppId:
        raise InvalidAppId(f"wrong app id: the message was not encrypted for {args.app_id}") from None
    stdout.write(plaintext.rstrip("\n") + "\n")


def _sign(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> None:
    crypto = _crypto(args)
    plaintext = _read(args.file, stdin).strip()
    try:
        parse_message(plaintext)  # refuse to sign what WeChat would never send
    except MessageParseError as exc:
        raise MessageParseError(f"the input is not a WeChat message: {exc}") from None
    timestamp = args.timestamp or str(int(time.time()))
    nonce = args.nonce or str(secrets.randbelow(10**10))
    body = crypto.encrypt(plaintext, timestamp=timestamp, nonce=nonce)
    fields = xml_to_dict(parse_xml(body))
    params = {
        "signature": signature(args.token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "encrypt_type": "aes",
        "msg_signature": fields["MsgSignature"],
    }
    query = urlencode(params)
    if args.json:
        stdout.write(json.dumps({"query": query, "params": params, "body": body}, ensure_ascii=False, indent=2) + "\n")
    else:
        stdout.write(f"?{query}\n{body}\n")


def main(argv: list[str] | None = None, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, prog: str = "wxops wechat") -> int:
    """Run ``wxops wechat ARGS``; return the exit status (never raises on bad input)."""
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser(prog)
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        (_decrypt if args.action == "decrypt" else _sign)(args, stdin, stdout)
    except (CryptoError, MessageParseError, ValueError, OSError, UnicodeDecodeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"{prog} {args.action}: {message}", file=stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
