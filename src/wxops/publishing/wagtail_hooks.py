"""Publishing in the Wagtail admin: registrations only."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from wxops.publishing.models import Delivery
from wxops.publishing.viewsets import DeliveryViewSet, ReadOnlyPolicy

register_permission_policy(Delivery, ReadOnlyPolicy(Delivery))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return DeliveryViewSet()
