from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteractionConfig(AppConfig):
    name = "wxops.interaction"
    label = "interaction"
    verbose_name = "互动 Interaction"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "wxops.inbound.kept": (_("Keep message"), _("Inbox message kept")),
        "wxops.inbound.ignored": (_("Ignore message"), _("Inbox message ignored")),
        "wxops.inbound.answered": (_("Answer message"), _("Inbox message answered")),
        "wxops.comment.replied": (_("Reply to comment"), _("Comment replied to")),
        "wxops.comment.featured": (_("Feature comment"), _("Comment featured (精选)")),
        "wxops.comment.unfeatured": (_("Unfeature comment"), _("Comment no longer featured")),
        "wxops.comment.deleted": (_("Delete comment"), _("Comment deleted")),
        "wxops.feedback.opened": (_("Open feedback window"), _("Feedback window opened")),
        "wxops.feedback.closed": (_("Close feedback window"), _("Feedback window closed")),
        "wxops.feedback.document": (_("Make director document"), _("Director document made")),
        "wxops.replies.rule_saved": (_("Save keyword rule"), _("Keyword rule saved")),
        "wxops.replies.auto_reply_saved": (_("Save auto-reply"), _("Welcome and default reply saved")),
        "wxops.replies.entry_saved": (_("Save knowledge base entry"), _("Knowledge base entry saved (answer approved)")),
        "wxops.inbox.replied": (_("Reply to follower"), _("Customer-service message sent")),
        "wxops.inbox.assigned": (_("Assign conversation"), _("Conversation assigned")),
        "wxops.inbox.tagged": (_("Tag conversation"), _("Conversation tagged")),
        "wxops.inbox.resolved": (_("Resolve conversation"), _("Conversation resolved")),
        "wxops.inbox.reopened": (_("Reopen conversation"), _("Conversation reopened")),
    }

    def ready(self) -> None:
        from wxops.interaction import inbound_handlers  # noqa: F401 - registers the welcome
        from wxops.interaction.replies import handlers  # noqa: F401 - registers keyword, knowledge-base and default replies
        self._watch_replies()

    def _watch_replies(self) -> None:
        """A saved or deleted rule, entry or auto-reply moves the replies' generation (their per-process cache)."""
        from django.db.models.signals import post_delete, post_save

        from wxops.interaction.models import AutoReply, KeywordRule, KnowledgeEntry
        from wxops.interaction.replies.actions import replies_changed

        for model in (AutoReply, KeywordRule, KnowledgeEntry):
            for signal in (post_save, post_delete):
                signal.connect(replies_changed, sender=model, dispatch_uid=f"wxops.replies.{model.__name__}.{signal}")
