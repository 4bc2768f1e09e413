from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import inbox
from .feedback import admin_views as feedback_admin
from .models import InboundMessage

register_permission_policy(InboundMessage, inbox.InboxPermissionPolicy(InboundMessage))
feedback_admin.register_policies()


@hooks.register("register_admin_viewset")
def register_interaction_viewsets():
    return inbox.InteractionGroup()


@hooks.register("register_admin_urls")
def register_interaction_urls():
    return [path("interaction/inbox/<int:pk>/<str:how>/", inbox.mark, name="interaction_mark")]


@hooks.register("register_admin_viewset")
def register_feedback_viewsets():
    return feedback_admin.FeedbackGroup()


@hooks.register("register_admin_urls")
def register_feedback_urls():
    return feedback_admin.admin_urls()


@hooks.register("construct_homepage_panels")
def add_director_documents(request, panels):
    documents = feedback_admin.director_panel_documents(request.user)
    if documents:
        panels.append(feedback_admin.DirectorDocumentsPanel(documents))
