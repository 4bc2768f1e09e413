"""Business rules of sources: polling, the pool, submissions, pictures brought in from outside.

Views, tasks and commands parse input and call these functions. Each checks the user's
permission (when a person acts), changes state atomically, writes the audit log and
leaves slow work to the worker after commit. Nothing else writes a source's, a poll's
or a story's status:

- :func:`set_source_status` — ``Source.status`` (table ``SOURCE_TRANSITIONS``);
- :func:`move_poll` — ``FetchAttempt.state`` (table ``POLL_TRANSITIONS``);
- :func:`set_story_status` — ``Story.status`` (table ``STORY_TRANSITIONS``).

    from wxops.sources import actions
    attempt = actions.request_poll(source, request.user)   # "poll now": queued, progress on attempt
    attempt = actions.request_link(request.user, account, url)  # a pasted link: the same, for one link
    article = actions.turn_into_article(story, request.user)
"""

from ..ingestion import classifier_for, ingest, load_pool
from . import audit_log
from .links import fetch_link, links_source, may_follow, request_link
from .permissions import (
    can_edit_pool,
    can_manage_sources,
    can_submit,
    can_view_pool,
    require_pool_editor,
    require_pool_viewer,
    require_source_manager,
    require_submitter,
)
from .pictures import FetchedPicture, NoPicture, Offer, add_picture_from_url, fetch_picture, offers_for
from .polling import (
    ABANDONED_AFTER,
    MAX_BACKOFF,
    PAUSE_AFTER_FAILURES,
    SourceError,
    claim_due_source,
    due_sources,
    fetch_policy,
    ingest_path,
    ingest_url,
    move_poll,
    poll_source,
    request_poll,
    set_source_status,
    sweep_abandoned_polls,
)
from .pool import (
    NOT_RELEVANT,
    PoolQuery,
    choose_category,
    dismiss_story,
    reprint_warning,
    rerank_stories,
    restore_story,
    retrain_classifier,
    set_reprint_status,
    set_story_status,
    stories_for,
    turn_into_article,
)
from .submissions import SubmissionResult, check_content_rules, submission_key, submit

__all__ = [
    "ABANDONED_AFTER", "FetchedPicture", "NoPicture", "Offer", "add_picture_from_url", "fetch_picture", "offers_for", "MAX_BACKOFF", "NOT_RELEVANT", "PAUSE_AFTER_FAILURES", "PoolQuery", "SourceError",
    "SubmissionResult", "audit_log", "can_edit_pool", "can_manage_sources", "can_submit", "can_view_pool", "check_content_rules",
    "choose_category", "claim_due_source", "classifier_for", "dismiss_story", "due_sources", "fetch_policy",
    "ingest", "ingest_path", "ingest_url", "load_pool", "move_poll", "poll_source", "reprint_warning", "rerank_stories", "request_link", "fetch_link", "links_source", "may_follow", "request_poll", "require_pool_editor", "require_pool_viewer", "require_source_manager", "require_submitter",
    "restore_story", "retrain_classifier", "set_reprint_status", "set_source_status",
    "set_story_status", "stories_for", "sweep_abandoned_polls", "submission_key", "submit", "turn_into_article",
]
