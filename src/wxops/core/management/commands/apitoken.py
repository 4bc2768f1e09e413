"""``wxops apitoken create|list|revoke``: the API tokens of :mod:`wxops.core.api_auth` from the shell.

Wagtail's own ``api_tokens`` command does the work (the same tokens as the admin's
Settings → API tokens); this name and help are the ones wxops documents.
"""

from argparse import RawDescriptionHelpFormatter

from wagtail.management.commands.api_tokens import Command as WagtailApiTokensCommand


class Command(WagtailApiTokensCommand):
    help = (
        "Create, list and revoke API tokens for wxops's JSON APIs (Authorization: Bearer <token>). "
        "The caller acts as the token's user; create prints the token once — only a digest is kept.\n"
        "Example: wxops apitoken create --user editor1 --name 'intranet submission form'\n"
        "Example: wxops apitoken list --include-revoked\n"
        "Example: wxops apitoken revoke --user editor1 --prefix wagtail_Ab3x"
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, subcommand, formatter_class=RawDescriptionHelpFormatter, **kwargs)
