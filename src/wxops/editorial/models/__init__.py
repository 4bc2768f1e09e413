"""Models of editorial (四 五 六): the calendar, pushes and their review, recommendations."""

from wxops.editorial.models.people import Notice, PreviewContact
from wxops.editorial.models.push import (
    EDITABLE,
    FINISHED,
    MAX_ARTICLES,
    TRANSITIONS,
    Push,
    PushArticle,
    PushOrigin,
    PushStatus,
)
from wxops.editorial.models.recommendation import Recommendation
from wxops.editorial.models.review_task import ContentRulesApprovalTask
from wxops.editorial.models.schedule import (
    DayKind,
    HolidayOverride,
    HolidayPolicy,
    PushSchedule,
    SlotChange,
    SlotChangeKind,
)

__all__ = [
    "EDITABLE", "FINISHED", "MAX_ARTICLES", "TRANSITIONS", "ContentRulesApprovalTask", "DayKind",
    "HolidayOverride", "HolidayPolicy", "Notice", "PreviewContact", "Push", "PushArticle", "PushOrigin",
    "PushSchedule", "PushStatus", "Recommendation", "SlotChange", "SlotChangeKind",
]
