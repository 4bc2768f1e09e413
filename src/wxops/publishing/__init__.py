"""Sending (the plan's 推送): WeChat-ready HTML, uploads, drafts, the mass send at the planned minute, reconciliation.

One :class:`~wxops.publishing.models.Delivery` per push, sent exactly once with a
``clientmsgid`` stored before the call; the approved revisions re-checked at send time
(``editorial.actions.gate_for_send``); the results of MASSSENDJOBFINISH and PUBLISHJOBFINISH
taken from the inbound registry (``wxops.core.inbound``) and from ``message/mass/get``.
Entry points: :func:`wxops.publishing.actions.run_due_sends` (every minute, ``tasks.py``) and
:func:`wxops.publishing.actions.delivery_for`. See ``docs/publishing.md``.
"""
