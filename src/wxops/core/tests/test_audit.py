"""The audit log: actions declared once per app, registered with Wagtail by core, undeclared ones refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from wxops.core import audit
from wxops.core.models import Heartbeat


def test_every_app_declaration_is_collected():
    declared = audit.declared_actions()
    assert {"wxops.inbound.kept", "wxops.compliance.override"} <= declared.keys()
    assert str(declared["wxops.inbound.kept"][0]) in ("Keep message", "保留消息")


def test_declared_actions_are_registered_with_wagtail():
    assert log_registry.action_exists("wxops.inbound.ignored")
    assert log_registry.action_exists("wxops.compliance.import")


def test_record_writes_a_log_entry(db):
    user = get_user_model().objects.create_user("auditor", "a@example.com", "pw-auditor")
    beat = Heartbeat.objects.create(name="audited", beat_at=datetime(2026, 3, 2, tzinfo=UTC))
    audit.record(beat, "wxops.inbound.kept", user=user, data={"why": "test"})
    entry = ModelLogEntry.objects.get(action="wxops.inbound.kept")
    assert (entry.user_id, entry.data, entry.object_id) == (user.pk, {"why": "test"}, str(beat.pk))


def test_an_undeclared_action_is_refused_and_nothing_is_written(db):
    beat = Heartbeat.objects.create(name="audited", beat_at=datetime(2026, 3, 2, tzinfo=UTC))
    with pytest.raises(KeyError, match="not declared"):
        audit.record(beat, "wxops.nobody.declared")
    assert not ModelLogEntry.objects.exists()
