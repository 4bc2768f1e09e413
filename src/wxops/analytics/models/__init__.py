"""Models of analytics: what was synced from WeChat's statistics, the figures, the reports."""

from .report import Report, ReportTrigger
from .statistics import ArticleDay, ArticleTotal, FollowerDay, ReadingDay
from .sync import SYNC_TRANSITIONS, SyncedDay, SyncPart, SyncStatus

__all__ = ["SYNC_TRANSITIONS", "ArticleDay", "ArticleTotal", "FollowerDay", "ReadingDay", "Report",
           "ReportTrigger", "SyncPart", "SyncStatus", "SyncedDay"]
