"""Deliveries in the Wagtail admin: read-only — only the sending machinery writes them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy

from wxops.publishing.models import Delivery


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Nobody adds, edits or deletes a delivery by hand, not even a superuser: it is the record of a send."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class DeliveryViewSet(ModelViewSet):
    """Every send: state, reason in words, WeChat's ids and counts; the inspect page adds the times."""

    name = "publishing_delivery"
    model = Delivery
    icon = "mail"
    menu_label = _("Deliveries")
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_display = ["push", "account", "state", "channel", "msg_id", "counts_summary", "reason"]
    list_filter = ["account", "state", "channel"]
    search_fields = ["clientmsgid", "msg_id", "msg_data_id", "reason"]
    inspect_view_fields = ["push", "account", "state", "reason", "channel", "target_tag_id", "clientmsgid",
                           "media_id", "msg_id", "msg_data_id", "publish_id", "wechat_status", "total_count",
                           "filter_count", "sent_count", "error_count", "send_calls", "claimed_at",
                           "first_send_call_at", "last_send_call_at", "accepted_at", "finished_at",
                           "next_attempt_at"]
    ordering = ["-claimed_at", "-pk"]
