from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import inbox
from .models import InboundMessage

register_permission_policy(InboundMessage, inbox.InboxPermissionPolicy(InboundMessage))


@hooks.register("register_admin_viewset")
def register_interaction_viewsets():
    return inbox.InteractionGroup()


@hooks.register("register_admin_urls")
def register_interaction_urls():
    return [path("interaction/inbox/<int:pk>/<str:how>/", inbox.mark, name="interaction_mark")]
