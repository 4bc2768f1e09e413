"""Admin lists and forms of editorial's models (registered in ``wagtail_hooks.py``)."""

from __future__ import annotations

from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from wxops.accounts.forms import AccountTimesForm
from wxops.editorial.forms import PushScheduleForm
from wxops.editorial.models import HolidayOverride, Push, PushSchedule, Recommendation, SlotChange


class RecommendationViewSet(ModelViewSet):
    """Category weights per account and period; ``analytics`` writes them, editors may too."""

    name = "editorial_recommendation"
    model = Recommendation
    icon = "pick"
    menu_label = _("Recommendations")
    list_display = ["account", "category", "weight", "period_start", "period_end", "reason", "source"]
    list_filter = ["account", "source"]
    search_fields = ["reason"]
    form_fields = ["account", "period_start", "period_end", "category", "weight", "reason", "source"]
    inspect_view_enabled = True


class PushViewSet(ModelViewSet):
    """Every push with its status; the calendar is where they are planned and reviewed."""

    name = "editorial_push"
    model = Push
    icon = "mail"
    menu_label = _("Pushes")
    list_display = ["__str__", "account", "status", "effective_category", "submitted_by", "approved_by"]
    list_filter = ["account", "status"]
    form_fields = ["category", "notify_followers", "target_tag_id"]
    inspect_view_enabled = True
    add_view_enabled = False
    ordering = ["-slot_at"]


class PushScheduleViewSet(ModelViewSet):
    name = "editorial_schedule"
    model = PushSchedule
    icon = "time"
    menu_label = _("Push schedules")
    list_display = ["account", "weekday_names", "send_time", "review_deadline", "holiday_policy", "late_send_until",
                    "notify_followers"]

    def get_form_class(self, for_update=False):
        return PushScheduleForm


class SlotChangeViewSet(ModelViewSet):
    name = "editorial_slot_change"
    model = SlotChange
    icon = "date"
    menu_label = _("Slot changes")
    list_display = ["slot_at", "account", "kind", "note", "created_by"]
    list_filter = ["account", "kind"]
    form_fields = ["account", "kind", "slot_at", "note"]

    def get_form_class(self, for_update=False):  # the slot typed and shown in the account's time zone
        return modelform_factory(self.model, form=AccountTimesForm, formfield_callback=self.formfield_for_dbfield,
                                 fields=self.form_fields)


class HolidayOverrideViewSet(ModelViewSet):
    name = "editorial_holiday"
    model = HolidayOverride
    icon = "date"
    menu_label = _("Holidays and make-up days")
    list_display = ["date", "kind", "name", "note"]
    list_filter = ["kind"]
    search_fields = ["name", "note"]
    form_fields = ["date", "kind", "name", "note"]


class EditorialGroup(ViewSetGroup):
    # Not "Calendar": the menu has 推送日历 (the calendar itself) right above; two entries of one name.
    menu_label = _("Push planning")
    menu_icon = "date"
    menu_order = 200
    items = (PushViewSet, PushScheduleViewSet, SlotChangeViewSet, HolidayOverrideViewSet, RecommendationViewSet)
