"""editorial (四 五 六): the calendar of pushes, their review before 10:00, the planner.

``push_events`` is the registry higher apps (publishing) register into; see
:mod:`wxops.editorial.events`.
"""

from wxops.editorial.events import push_events

__all__ = ["push_events"]
