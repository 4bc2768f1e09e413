"""The audit action names of sources: what an editor did to the pool (declared on ``SourcesConfig``)."""

TURN_INTO_ARTICLE = "wxops.sources.turn_into_article"
CHOOSE_CATEGORY = "wxops.sources.choose_category"
STORY_STATUS = "wxops.sources.story_status"
SOURCE_STATUS = "wxops.sources.source_status"
REPRINT_STATUS = "wxops.sources.reprint_status"
POLL_REQUESTED = "wxops.sources.poll_requested"
