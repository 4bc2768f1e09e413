"""Imports every module that declares WeChat endpoints, and orders the time-driven work:
mass sends finish first, then publishes, then what followers do (which reacts to both)."""

from . import (  # noqa: F401
    behaviour,
    comments,
    custom,
    datacube,
    datacube_new,
    drafts,
    mass,
    media,
    publish,
    qrcodes,
    quotas,
    tokens,
    users,
)
from .engine import SETTLERS

SETTLERS[:] = [mass.settle, publish.settle, behaviour.settle]
