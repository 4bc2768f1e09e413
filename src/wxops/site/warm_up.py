"""What a fresh web process would otherwise do on its first requests, done at boot instead.

``wxops.site.wsgi`` calls :func:`warm_up` once; under ``gunicorn --preload`` (``wxops up``) that
is in the master before it forks, so every worker starts warm.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)


def warm_up() -> None:
    from django.urls import get_resolver

    # Every URL's views imported: the first request to a fresh worker (often a WeChat callback,
    # which must answer within 5 s) does not pay for them.
    get_resolver().reverse_dict  # noqa: B018 - building it imports every urlconf and view module
    compile_content_rules()
    # Under gunicorn --preload this runs in the master before it forks: no worker may inherit a
    # database connection (SQLite's locks are per process; a PostgreSQL socket cannot be shared).
    connections.close_all()


def compile_content_rules() -> None:
    """Each account's content rules compiled (with pypinyin's dictionaries loaded): the first article
    page of a process spent 1–5 s on it, since the page checks the article to offer 提交审核."""
    from wxops.accounts.models import Account
    from wxops.compliance.actions import effective_lexicon

    try:
        accounts = list(Account.objects.all())
    except DatabaseError:  # not migrated yet: the first page compiles them instead
        logger.info("content rules not compiled at boot: the database is not migrated yet")
        return
    for account in [None, *accounts]:
        effective_lexicon(account)
