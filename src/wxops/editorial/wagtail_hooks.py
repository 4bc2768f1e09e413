"""Editorial in the Wagtail admin: registrations only (views live in ``views/``, menus in
``viewsets.py`` and ``action_menu.py``), as Wagtail's ``contrib/redirects/wagtail_hooks.py``."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks

from wxops.editorial import action_menu, actions, viewsets
from wxops.editorial.views import articles
from wxops.materials.models import Article


@hooks.register("register_admin_viewset")
def register_viewsets():
    return viewsets.EditorialGroup()


hooks.register("construct_snippet_action_menu", action_menu.hide_submit_while_blocked)


@hooks.register("before_edit_snippet")
def gate_submit_on_edit(request, instance):
    return articles.refuse_blocked_submission(request, instance) if isinstance(instance, Article) else None


@hooks.register("before_create_snippet")
def gate_submit_on_create(request, model):
    return articles.refuse_blocked_submission(request, None) if model is Article else None


@hooks.register("after_edit_snippet")
def return_changed_pushes_to_review(request, instance):
    if isinstance(instance, Article):
        actions.article_changed(instance, user=request.user)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("editorial/article/<int:pk>/findings/", articles.findings_panel, name="editorial_article_findings"),
        path("editorial/article/<int:pk>/findings/decide/", articles.decide_finding,
             name="editorial_article_findings_decide"),
    ]


@hooks.register("insert_editor_js")
def findings_panel_script():
    findings_base = reverse("editorial_article_findings", args=[0])[: -len("0/findings/")]
    edit_base = reverse("wagtailsnippets_materials_article:edit", args=[0])[: -len("0/")]
    return format_html('<script src="{}" data-edit-base="{}" data-findings-base="{}"></script>',
                       static("editorial/js/findings-panel.js"), edit_base, findings_base)
