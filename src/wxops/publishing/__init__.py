"""Sending (the plan's 推送): WeChat-ready HTML, uploads, drafts, the mass send at the planned minute, reconciliation.

Issue 9 fills it: one ``Delivery`` per push, sent exactly once with a ``clientmsgid``, the
approved revision re-checked at send time, and the results of MASSSENDJOBFINISH and
PUBLISHJOBFINISH taken from the inbound registry (``wxops.core.inbound``).
"""
