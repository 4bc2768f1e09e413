"""The admin of the automatic replies: 互动 → 关键词回复 and 知识库, and the forms and views of 自动回复
(its viewset is with the inbox's).

The forms check every reply text with the content rules before saving (a block finding is
shown on the field, in words, and nothing is saved); saving goes through
:mod:`wxops.interaction.replies.actions` (audited; a knowledge-base entry is approved by
whoever saves it).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from ..models import KeywordRule, KnowledgeEntry
from . import actions


class _CheckedForm(WagtailAdminModelForm):
    """Runs the action's checks once the instance holds the form's values; errors land on their fields."""

    check = staticmethod(lambda instance: None)

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            type(self).check(self.instance)
        except ValidationError as error:
            self.add_error(None, error)


class KeywordRuleForm(_CheckedForm):
    check = staticmethod(actions.check_rule)


class KnowledgeEntryForm(_CheckedForm):
    check = staticmethod(actions.check_entry)


class AutoReplyForm(_CheckedForm):
    check = staticmethod(actions.check_auto_reply)


class _SavedByAction:
    """A create or edit view that saves through ``save``, its action (checked, audited), not the form."""

    save = staticmethod(lambda instance, *, user: instance)

    def save_instance(self):
        return type(self).save(self.form.instance, user=self.request.user)


def _views_saving_by(name: str, save) -> tuple[type[CreateView], type[EditView]]:
    """``<name>CreateView`` and ``<name>EditView``, both saving by ``save(instance, user=…)``."""
    body = {"save": staticmethod(save), "__module__": __name__}
    return (type(f"{name}CreateView", (_SavedByAction, CreateView), body),
            type(f"{name}EditView", (_SavedByAction, EditView), body))


RuleCreateView, RuleEditView = _views_saving_by("Rule", actions.save_rule)
AutoReplyCreateView, AutoReplyEditView = _views_saving_by("AutoReply", actions.save_auto_reply)
EntryCreateView, EntryEditView = _views_saving_by("Entry", actions.save_entry)


class KeywordRuleViewSet(ModelViewSet):
    model = KeywordRule
    icon = "comment"
    menu_label = gettext_lazy("Keyword replies")
    name = "keyword_rules"
    form_fields = ["account", "name", "match_type", "keywords", "reply_kind", "reply_text", "reply_picture",
                   "news_title", "news_url", "priority", "active"]
    list_display = ["name", "account", "match_type", "keywords", "reply_kind", "priority", "active"]
    list_filter = ["account", "match_type", "active"]
    search_fields = ["name", "keywords", "reply_text"]
    ordering = ["account", "priority", "id"]
    copy_view_enabled = False
    add_view_class = RuleCreateView
    edit_view_class = RuleEditView

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=KeywordRuleForm, formfield_callback=self.formfield_for_dbfield,
                                 fields=self.form_fields)


class KnowledgeEntryViewSet(ModelViewSet):
    model = KnowledgeEntry
    icon = "help"
    menu_label = gettext_lazy("Knowledge base")
    name = "knowledge_base"
    form_fields = ["account", "questions", "answer", "active"]
    list_display = ["__str__", "account", "answer", "active", "approved_by", "approved_at"]
    list_filter = ["account", "active"]
    search_fields = ["questions", "answer"]
    ordering = ["account", "-updated_at", "-id"]
    copy_view_enabled = False
    inspect_view_enabled = True
    add_view_class = EntryCreateView
    edit_view_class = EntryEditView

    def get_form_class(self, for_update=False):
        return modelform_factory(self.model, form=KnowledgeEntryForm, formfield_callback=self.formfield_for_dbfield,
                                 fields=self.form_fields)
