"""Against the simulator over real HTTP: codes come from WeChat, posters scan to the right
scene, and followers arriving through scenes end up where the simulator says they came from."""

from __future__ import annotations

from datetime import date

import cv2
import numpy
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from wxops.interaction.models import AutoReply
from wxops.interaction.tests.test_replies_with_simulator import _picture as picture
from wxops.interaction.tests.test_welcome_and_default_replies import assert_head, news_cards, passive_reply
from wxops.promotion import numbers, posters
from wxops.promotion.actions import codes, staff
from wxops.promotion.models import Branch, CodeStatus, EventKind, Follower, PromoCode, PromotionEvent

pytestmark = pytest.mark.django_db(transaction=True)

#: The simulator's clock starts on 2026-03-02 (China time); these days cover the test.
MARCH = numbers.Period(date(2026, 3, 1), date(2026, 3, 31))


def scan(png: bytes) -> str:
    """What a phone reads from a picture (OpenCV: an implementation independent of segno)."""
    image = cv2.imdecode(numpy.frombuffer(png, numpy.uint8), cv2.IMREAD_GRAYSCALE)
    return cv2.QRCodeDetector().detectAndDecode(image)[0]


def ready_codes(account, people, branches) -> dict[str, PromoCode]:
    for branch in branches.values():
        codes.request_codes(branch, user=people["admin"])  # tasks run inline: WeChat is asked after commit
    made = {c.scene_str: c for c in PromoCode.objects.filter(account=account)}
    assert {c.status for c in made.values()} == {CodeStatus.READY}, [c.last_error for c in made.values()]
    return made


def test_posters_scan_to_their_scene_and_the_branch_welcome_answers(on_simulator, account, people, branches):
    AutoReply.objects.create(account=account, subscribe_text="欢迎关注中恒融智！")
    made = ready_codes(account, people, branches)
    assert set(made) == {"b:sz", "b:sz:e:S001", "b:sz:e:S002", "b:gz", "b:gz:e:G001"}
    zhang = made["b:sz:e:S001"]
    url = scan(posters.poster_png(posters.poster_for(zhang)))
    assert url == zhang.url
    joined = on_simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe", url=url)
    assert "欢迎关注，深圳分公司为您服务！" in joined["callbacks"][0]["reply_plain"]
    plain = on_simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe",
                                 url=scan(posters.qr_png(made["b:gz"].url)))
    assert "欢迎关注中恒融智！" in plain["callbacks"][0]["reply_plain"]  # 广州 has no welcome of its own
    follower = Follower.objects.get(openid=joined["openid"])
    assert (follower.branch.code, follower.employee.staff_number, follower.scene_str) == ("sz", "S001", "b:sz:e:S001")
    # Scanned again by the same (following) person: a SCAN, counted apart; attribution unchanged.
    on_simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe", openid=joined["openid"],
                         url=made["b:gz"].url)
    assert PromotionEvent.objects.get(kind=EventKind.SCAN).branch.code == "gz"
    assert Follower.objects.get(openid=joined["openid"]).branch.code == "sz"


def test_a_new_follower_through_a_branch_code_gets_its_branchs_image_or_news_welcome(
        on_simulator, account, people, branches, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    AutoReply.objects.create(account=account, subscribe_text="欢迎关注中恒融智！")
    shenzhen, guangzhou = branches["sz"], branches["gz"]
    shenzhen.welcome_kind, shenzhen.welcome_picture = "image", picture("深圳分公司欢迎图")
    staff.save_branch(shenzhen, user=people["admin"])
    guangzhou.welcome_kind, guangzhou.welcome_picture = "news", picture("广州分公司门店")
    guangzhou.welcome_news_title, guangzhou.welcome_news_url = "广州分公司为您服务", "https://mp.weixin.qq.com/s/gz"
    guangzhou.welcome_text = "地址、电话与营业时间"
    staff.save_branch(guangzhou, user=people["admin"])
    assert shenzhen.welcome_media_id and guangzhou.welcome_pic_url.startswith("http")
    made = ready_codes(account, people, branches)

    through_zhang = on_simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe",
                                         url=made["b:sz:e:S001"].url)
    image = passive_reply(through_zhang["callbacks"][0])
    assert_head(image, openid=through_zhang["openid"], kind="image")
    assert image.find("Image").findtext("MediaId") == shenzhen.welcome_media_id
    through_guangzhou = on_simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe",
                                             url=made["b:gz"].url)
    news = passive_reply(through_guangzhou["callbacks"][0])
    assert_head(news, openid=through_guangzhou["openid"], kind="news")
    assert news_cards(news) == [{"Title": "广州分公司为您服务", "Description": "地址、电话与营业时间",
                                 "PicUrl": guangzhou.welcome_pic_url, "Url": "https://mp.weixin.qq.com/s/gz"}]
    plain = on_simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe")  # no code: the account's
    assert passive_reply(plain["callbacks"][0]).findtext("Content") == "欢迎关注中恒融智！"


def test_a_branch_picture_wechat_refuses_is_said_in_the_form_and_the_branch_stays(
        on_simulator, client, account, people, branches, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    shenzhen = branches["sz"]
    before = Branch.objects.filter(pk=shenzhen.pk).values().get()
    on_simulator.fault(target="/cgi-bin/material/add_material", mode="errcode", errcode=-1, app_id=account.app_id)
    client.force_login(people["admin"])
    refused = client.post(reverse("promotion_branch_edit", args=[shenzhen.pk]), {
        "name": shenzhen.name, "welcome_kind": "image", "welcome_text": "", "welcome_picture": picture("欢迎图").pk,
        "welcome_news_title": "", "welcome_news_url": "", "slogan": "", "active": "on",
        "administrators": [people["shenzhen"].pk]})
    assert refused.status_code == 200
    assert "微信未接收该图片" in str(refused.context["form"].errors["welcome_picture"])
    assert Branch.objects.filter(pk=shenzhen.pk).values().get() == before


def test_followers_arriving_through_scenes_match_the_simulators_records(on_simulator, account, people, branches):
    made = ready_codes(account, people, branches)
    shares = {"b:sz": 0.15, "b:sz:e:S001": 0.25, "b:sz:e:S002": 0.1, "b:gz:e:G001": 0.2, "b:retired": 0.1}
    on_simulator.control("PUT", f"/accounts/{account.app_id}/audience", seed=11, followers=0,
                         daily_new_followers=12, daily_unsubscribe_rate=0.05, scenes=shares)
    on_simulator.fault(target="callback", mode="duplicate", app_id=account.app_id, count=5)
    on_simulator.advance(days=5)
    on_simulator.sim.drain(timeout=600)  # in-process: every callback reaches wxops before we count
    # Two of 张三's followers leave; one comes back through 广州's code (still 张三's: first touch).
    leaving = list(Follower.objects.filter(employee__staff_number="S001", following=True).values_list("openid", flat=True)[:2])
    for openid in leaving:
        on_simulator.control("POST", f"/accounts/{account.app_id}/followers/{openid}/unsubscribe")
    on_simulator.control("POST", f"/accounts/{account.app_id}/followers/subscribe", openid=leaving[0],
                         scene_str="b:gz")
    told = on_simulator.inspect(f"/accounts/{account.app_id}/scenes")["scenes"]
    assert all(told[scene]["subscribe"] > 0 for scene in shares), told
    assert told["b:sz:e:S001"]["unsubscribe"] >= 2 and told["b:sz:e:S001"]["resubscribe"] == 1, told

    by_branch = {line.key: line for line in numbers.leaderboard(
        account, Branch.objects.all(), MARCH, include_unattributed=True)}
    by_employee = {line.label: line for line in numbers.leaderboard(account, Branch.objects.all(), MARCH,
                                                                      by="employee")}

    def total(prefix: str, what: str) -> int:
        return sum(figures[what] for scene, figures in told.items() if scene == prefix or
                   scene.startswith(prefix + ":"))

    for code, branch in (("sz", branches["sz"]), ("gz", branches["gz"])):
        line = by_branch[str(branch.pk)]
        assert (line.new, line.lost, line.returned, line.scans) == (
            total(f"b:{code}", "subscribe"), total(f"b:{code}", "unsubscribe"), total(f"b:{code}", "resubscribe"),
            total(f"b:{code}", "scan"))
        assert Follower.objects.filter(branch=branch, following=True).count() == total(f"b:{code}", "following")
    for name, scene in (("张三", "b:sz:e:S001"), ("李四", "b:sz:e:S002"), ("王五", "b:gz:e:G001")):
        assert (by_employee[name].new, by_employee[name].lost) == (told[scene]["subscribe"], told[scene]["unsubscribe"])
    # A scene no code of ours matches is kept, as "unknown"; followers without a code apart.
    assert by_branch[numbers.UNKNOWN].new == told["b:retired"]["subscribe"]
    assert Follower.objects.filter(scene_str="b:retired", branch__isnull=True).count() == told["b:retired"]["subscribe"]
    assert by_branch[numbers.WITHOUT_CODE].new == told[""]["subscribe"]
    # The duplicated callbacks counted once.
    assert PromotionEvent.objects.filter(kind=EventKind.SUBSCRIBE).count() == sum(
        figures["subscribe"] for figures in told.values())
    assert made["b:sz"].followers.count() == told["b:sz"]["subscribe"]


def test_a_refused_code_says_why_loses_nothing_and_succeeds_on_retry(on_simulator, account, people, branches):
    on_simulator.fault(target="/cgi-bin/qrcode/create", mode="errcode", errcode=45009, count=-1,
                       app_id=account.app_id)
    request = codes.request_codes(branches["gz"], user=people["admin"])
    assert request.added == 2
    failed = PromoCode.objects.get(scene_str="b:gz")
    assert failed.status == CodeStatus.FAILED and failed.next_attempt_at is not None
    assert "45009" in failed.last_error and "分钟后自动重试" in failed.last_error
    with pytest.raises(posters.PosterError):
        posters.branch_pdf(branches["gz"])
    on_simulator.control("DELETE", "/faults")
    codes.retry(failed, user=people["guangzhou"])
    assert PromoCode.objects.get(scene_str="b:gz").status == CodeStatus.READY
    assert PromoCode.objects.filter(account=account).count() == 2  # retried, not duplicated


def test_campaign_codes_are_temporary_and_limited_to_30_days(on_simulator, account, people, branches):
    code = codes.create_campaign_code(account, name="618 沙龙", days=7, branch=branches["sz"],
                                      user=people["shenzhen"])
    code.refresh_from_db()
    assert (code.status, code.kind, (code.expires_at - code.ready_at).days) == (CodeStatus.READY, "temporary", 7)
    with pytest.raises(ValidationError):
        codes.create_campaign_code(account, name="太长", days=31, user=people["admin"])
    with pytest.raises(PermissionDenied):
        codes.create_campaign_code(account, name="全公司", days=3, user=people["shenzhen"])
    pdf = posters.poster_pdf([posters.poster_for(code)])
    assert pdf.startswith(b"%PDF")


def test_the_permanent_code_limit_warns_and_refuses(account, people, branches, monkeypatch):
    monkeypatch.setattr(codes, "WARN_AT", 2)
    monkeypatch.setattr(codes, "PERMANENT_LIMIT", 4)
    monkeypatch.setattr(codes, "_create_after_commit", lambda account_id: None)  # no WeChat in this test
    done = codes.request_codes(branches["gz"], user=people["admin"])
    assert done.added == 2 and "剩余 2 个" in done.warning
    with pytest.raises(ValidationError, match="再增加 3 个将超出上限"):
        codes.request_codes(branches["sz"], user=people["admin"])
    assert not PromoCode.objects.filter(branch=branches["sz"]).exists()
