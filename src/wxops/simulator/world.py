"""What every part of the simulated WeChat shares: storage, clock, accounts and seed.

The area modules (tokens, drafts, mass sends, followers …) take a :class:`World` and read
or change it; the engine (:class:`~wxops.simulator.engine.Simulator`) is a world that also
dispatches API calls and runs the background worker. So the areas never import the engine
and the package reads top-down: server → control pages → engine → areas → world → state.
"""

from __future__ import annotations

import threading

from .accounts import Accounts
from .clock import SimClock
from .state import State


class World:
    """The simulator's state. ``state_path`` None keeps everything in memory.

    ``seed`` (stored in the state) makes simulated followers reproducible; ``start`` sets
    the clock; ``frozen`` freezes or thaws it.
    """

    def __init__(self, state_path: str | None = None, *, seed: int | None = None,
                 start: float | None = None, frozen: bool | None = None) -> None:
        self.state = State(state_path)
        self.clock = SimClock(self.state)
        if frozen is not None and frozen != self.clock.frozen:
            self.clock.freeze(frozen)
        if start is not None:
            self.clock.set(start, force=True)
        if seed is not None or self.state.meta("seed") is None:
            self.state.set_meta("seed", int(seed or 0))
        self.accounts = Accounts(self.state, self.clock.now)
        self.woken = threading.Event()

    @property
    def seed(self) -> int:
        return int(self.state.meta("seed", 0))

    def wake(self) -> None:
        """Ask the background worker to look for work now (a callback was queued)."""
        self.woken.set()
