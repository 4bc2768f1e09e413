"""``wxops wechat decrypt|sign``: a thin wrapper around the pure :mod:`wxops.wechat.cli`."""

import sys

from django.core.management.base import BaseCommand

from wxops.wechat.cli import main


class Command(BaseCommand):
    help = (
        "Debug WeChat callbacks: decrypt a POSTed safe-mode body, or sign (encrypt) a plaintext message "
        "into an envelope and its query string.\n"
        "Example: wxops wechat decrypt --token T --aes-key K --app-id wx123 --timestamp 1714036504 "
        "--nonce 1514711492 --msg-signature 3b0c... body.xml\n"
        "Example: wxops wechat sign --token T --aes-key K --app-id wx123 message.xml"
    )

    def run_from_argv(self, argv):
        # argv = [program, "wechat", ...]: the pure CLI parses the rest itself (its own --help too).
        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv never calls it
        sys.exit(main(list(args)))
