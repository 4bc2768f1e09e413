"""Template tags of the desk's own screens."""

from django import template
from django.utils import timezone

from wxops.core import clock

register = template.Library()


@register.simple_tag
def desk_now():
    """Now by the desk's one clock (``core.clock``, which tests and simulations move), in the
    current time zone — ``{% now %}`` would read the machine's clock instead."""
    return timezone.localtime(clock.now())
