"""The worker's queue, held: what a request queued waits here until the test runs it as the worker.

The dummy task backend keeps results per thread, and a live server answers from its own, hence
the ``task_enqueued`` signal. Made available as the ``held_queue`` fixture by the conftests that
import it.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def held_queue(settings):
    from django.core.cache import cache
    from django_tasks.signals import task_enqueued

    cache.clear()  # "queued a moment ago" is remembered in the cache
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    enqueued = []

    def remember(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(remember, weak=False)
    yield enqueued
    task_enqueued.disconnect(remember)


def run_queued(enqueued, name: str) -> list:
    """Run (as the worker) every queued task called ``name``; their arguments."""
    ran = [result for result in enqueued if result.task.name == name]
    for result in ran:
        enqueued.remove(result)
        result.task.call(*result.args, **result.kwargs)
    return [list(result.args) for result in ran]
