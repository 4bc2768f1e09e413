"""The stage of a simulation: one account with the profile's categories, an editor and a
reviewer, a cover picture per category, and the account registered with the simulator
with the audience profile loaded (its followers are created there)."""

from __future__ import annotations

import hashlib
import io
import secrets
import string
from dataclasses import dataclass

import httpx
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image

from wxops.accounts.models import DEFAULT_CATEGORIES, Account, AccountType, Category, MessageMode
from wxops.accounts.roles import ensure_roles
from wxops.core import clock
from wxops.editorial.schedule import schedule_for
from wxops.editorial.workflow import ensure_review_workflow
from wxops.materials.models import Picture
from wxops.materials.models.picture import Licence, PictureText
from wxops.materials.pictures.ocr import content_key
from wxops.site.simulator_link import simulator_config

ACCOUNT_NAME = "时间推演（模拟）"
#: One cover colour per category, in the categories' order (then round again).
COLOURS = ((30, 110, 180), (200, 60, 40), (40, 150, 90), (220, 160, 30), (120, 70, 160), (90, 90, 90))


@dataclass(frozen=True)
class Stage:
    """What the driver acts with: the account, the two people, and a cover per category id."""

    account: Account
    editor: object
    reviewer: object
    covers: dict[int, Picture]


def app_id_for(seed: int) -> str:
    """The simulated account's AppID: the same for the same seed (the simulator's followers
    and their reads are drawn from the seed *and* the AppID)."""
    return "wx" + hashlib.sha256(f"wxops-simulate|{seed}".encode()).hexdigest()[:16]


def _random(length: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _person(username: str, group, first_name: str):
    user = get_user_model().objects.create_user(username, f"{username}@simulate.invalid", first_name=first_name)
    user.set_unusable_password()
    user.save()
    user.groups.add(group)
    return user


def _cover(name: str, colour: tuple[int, int, int]) -> Picture:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 383), colour).save(buffer, "PNG")
    # A plain colour field holds no text: stored as read, so the upload's OCR (loading the
    # model, ~3½ s a picture on the busy machine) is not run on it.
    PictureText.objects.get_or_create(sha256=content_key(buffer.getvalue()),
                                      defaults={"text": "", "qr_codes": [], "read_at": clock.now()})
    return Picture.objects.create(title=f"{name}封面", file=ImageFile(buffer, name="cover.png"), licence=Licence.OWN)


def prepare(sim: httpx.Client, site_url: str, profile: dict, seed: int, *, name: str = ACCOUNT_NAME,
            people: tuple | None = None) -> Stage:
    """Create the account, people and covers in the (fresh) database, register the account
    with the simulator (callbacks to ``site_url``) and load ``profile`` as its audience.

    ``people`` (editor, reviewer) of an earlier stage are reused; by default they are created.
    """
    account = Account.objects.create(
        name=name, app_id=app_id_for(seed), account_type=AccountType.SUBSCRIPTION, verified=True,
        app_secret=_random(32), callback_token=_random(32), encoding_aes_key=_random(43),
        message_mode=MessageMode.SAFE, api_base=str(sim.base_url).rstrip("/"))
    names = list(profile.get("categories") or DEFAULT_CATEGORIES)
    covers = {}
    for position, category_name in enumerate(names):
        category = Category.objects.create(account=account, name=category_name, position=position)
        covers[category.pk] = _cover(category_name, COLOURS[position % len(COLOURS)])
    schedule_for(account)  # the plan's schedule: Mon/Wed/Fri 11:30, review by 10:00
    groups = ensure_roles()
    ensure_review_workflow(groups["reviewer"])
    editor, reviewer = people or (_person("editor", groups["editor"], "模拟编辑"),
                                  _person("reviewer", groups["reviewer"], "模拟审核人"))
    answer = sim.post("/sim/accounts", json=simulator_config(account, site_url))
    answer.raise_for_status()
    answer = sim.post(f"/sim/accounts/{account.app_id}/audience", json={**profile, "seed": seed})
    if answer.status_code >= 400:
        raise ValueError(f"the simulator refused the audience profile: {answer.json().get('error', answer.text)}")
    return Stage(account, editor, reviewer, covers)
