"""Who brought which follower: the subscribe, SCAN and unsubscribe events of WeChat's callbacks.

Called by :mod:`wxops.promotion.inbound_handlers`, inside the callback's transaction; each
function is atomic on its own too (it locks the follower's row), so an import or a test may call
it outside one. The rules:

* first touch: a follower's first subscribe decides their branch and employee, for good;
  a later subscribe (after unfollowing) counts as *returned* against that same branch;
* a SCAN by someone already following counts separately, against the scanned code;
* an unsubscribe counts against the follower's first-touch branch (a follower who followed
  before wxops knew them is not anyone's loss);
* a scene no code of ours matches (a deleted code, a typo in a campaign) is kept as it
  came, and shows as *unknown*; a duplicate or retried event counts once.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from wxops.interaction.models import ReplyValues

from ..models import Branch, EventKind, Follower, PromoCode, PromotionEvent


def code_for(account_id: int, scene: str) -> PromoCode | None:
    if not scene:
        return None
    return PromoCode.objects.filter(account_id=account_id, scene_str=scene).select_related("branch").first()


def _event(source: Follower | PromoCode | None, *, account_id: int, openid: str, kind: EventKind, scene: str,
           at: datetime, inbound_id: int | None) -> bool:
    """Record one event, counted for ``source``'s branch and employee, unless already recorded."""
    if PromotionEvent.objects.filter(account_id=account_id, openid=openid, kind=kind, occurred_at=at).exists():
        return False
    if inbound_id is not None and PromotionEvent.objects.filter(inbound_id=inbound_id).exists():
        return False
    code = source.code if isinstance(source, Follower) else source
    PromotionEvent.objects.create(
        account_id=account_id, openid=openid, kind=kind, scene_str=scene, occurred_at=at, inbound_id=inbound_id,
        code=code, branch_id=source.branch_id if source else None, employee_id=source.employee_id if source else None)
    return True


@transaction.atomic
def subscribed(*, account_id: int, openid: str, scene: str, at: datetime, inbound_id: int | None = None) -> Follower:
    """A subscribe event (``scene`` without ``qrscene_``; "" when not through a code)."""
    follower = Follower.objects.select_for_update().filter(account_id=account_id, openid=openid).first()
    if follower is None:
        code = code_for(account_id, scene)
        follower = Follower.objects.create(
            account_id=account_id, openid=openid, scene_str=scene, code=code, first_subscribed_at=at,
            branch_id=code.branch_id if code else None, employee_id=code.employee_id if code else None)
        _event(follower, account_id=account_id, openid=openid, kind=EventKind.SUBSCRIBE, scene=scene, at=at,
               inbound_id=inbound_id)
    elif not follower.following:
        follower.following = True
        follower.save(update_fields=["following"])
        _event(follower, account_id=account_id, openid=openid, kind=EventKind.RESUBSCRIBE, scene=scene, at=at,
               inbound_id=inbound_id)
    return follower


def scanned(*, account_id: int, openid: str, scene: str, at: datetime, inbound_id: int | None = None) -> None:
    """A SCAN by a follower: counts for the scanned code, changes no attribution."""
    _event(code_for(account_id, scene), account_id=account_id, openid=openid, kind=EventKind.SCAN, scene=scene,
           at=at, inbound_id=inbound_id)


@transaction.atomic
def unsubscribed(*, account_id: int, openid: str, at: datetime, inbound_id: int | None = None) -> None:
    follower = Follower.objects.select_for_update().filter(account_id=account_id, openid=openid).first()
    if follower is None or not follower.following:
        return
    follower.following = False
    follower.first_unsubscribed_at = follower.first_unsubscribed_at or at
    follower.save(update_fields=["following", "first_unsubscribed_at"])
    _event(follower, account_id=account_id, openid=openid, kind=EventKind.UNSUBSCRIBE, scene=follower.scene_str,
           at=at, inbound_id=inbound_id)


def welcome_for(account_id: int, scene: str) -> ReplyValues | None:
    """The welcome (text, image or news card) of the active branch whose code was scanned, or None."""
    code = code_for(account_id, scene)
    return Branch.WELCOME.values(code.branch) if code and code.branch_id and code.branch.active else None
