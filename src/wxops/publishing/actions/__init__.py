"""Business rules of publishing: sending approved pushes exactly once, and what WeChat says after.

    from wxops.publishing.actions import run_due_sends, delivery_for
    outcomes = run_due_sends()           # every minute (publishing.tasks); safe to call anywhere, any time
    delivery = delivery_for(push)        # how the push went out: state, clientmsgid, msg_id, counts, HTML sent

``SendOutcome`` (frozen) is what one pass did with one push.
"""

from wxops.publishing.actions.due import delivery_for, run_due_sends
from wxops.publishing.actions.results import mass_send_finished, publish_finished
from wxops.publishing.actions.sending import SendOutcome

__all__ = ["SendOutcome", "delivery_for", "mass_send_finished", "publish_finished", "run_due_sends"]
