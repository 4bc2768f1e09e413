"""The time-lapse (``wxops simulate``): weeks of the whole system against the local simulator, in minutes.

The real calendar, planner, content rules, review, sending and callbacks run on a moved
clock, with a simulated editor and reviewer; the simulator plays WeChat and the followers
of an audience profile; ``summary.json`` is read from the simulator's own records. See
``docs/simulate.md``.

- :mod:`.sandbox` — a fresh data folder (SQLite database, media, queue) per run, so the
  user's data is never touched;
- :mod:`.servers` — the simulator and wxops's site (for callbacks) in this process;
- :mod:`.stage` — the account, its people and the audience;
- :mod:`.newsroom` — the simulated editor (an article per slot, in the planner's category);
- :mod:`.reviewer` — the simulated reviewer (approves; a share late or rejected);
- :mod:`.driver` — the moved clock, day by day, and the periodic work at its minutes;
- :mod:`.summary` — what the simulator recorded, as ``summary.json``.
"""
