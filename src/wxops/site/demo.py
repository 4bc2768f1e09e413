"""The demo account that `make run` loads: one account, the plan's five categories,
one user per role and the review workflow. Safe to run again: it keeps what exists."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from wxops.accounts.models import DEFAULT_CATEGORIES, Account, AccountType, Category, MessageMode
from wxops.accounts.roles import ROLE_BY_KEY, ensure_roles
from wxops.editorial.workflow import ensure_review_workflow
from wxops.interaction.models import AutoReply, KeywordRule, KnowledgeEntry
from wxops.promotion.models import Branch, Employee

DEMO_ACCOUNT_NAME = "中恒融智（演示）"
DEMO_USERS = (
    ("editor", "editor", "运营编辑", "小王"),
    ("reviewer", "reviewer", "审核人", "审核人"),
    ("branch", "branch_admin", "分公司", "行政"),
    ("director", "director", "刘", "总监"),
    ("admin", "administrator", "系统", "管理员"),
)
CATEGORY_DESCRIPTIONS = {
    "行业信息": "与公司所处行业相关的资讯",
    "企业管理": "企业经营与管理实务",
    "人力资源管理": "招聘、薪酬、社保与劳动关系",
    "财务管理": "财税政策、核算与资金管理",
    "公司融智综合服务体系": "公司自身的融智综合服务",
}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


def logins_path() -> Path:
    return Path(settings.DATA_DIR) / "demo-logins.txt"


def _password() -> str:
    alphabet = string.ascii_letters + string.digits
    return "demo-" + "".join(secrets.choice(alphabet) for _ in range(12))


def _random_key(length: int) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


def read_logins() -> list[DemoLogin]:
    path = logins_path()
    if not path.exists():
        return []
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [DemoLogin(*row) for row in rows if len(row) == 3]


#: Keyword rules (name, match, keywords, reply) and knowledge-base entries (questions, answer) of the demo.
DEMO_RULES = (
    ("社保", "contains", "社保\n五险一金", "社保基数每年7月按上年度社会平均工资调整；缴费明细可在当地社保局小程序查询。"
                                         "更多问题请留言，工作时间内回复。"),
    ("发票", "contains", "发票\n开票", "开票请在菜单「融智服务 → 开票申请」提交抬头和税号，3个工作日内开出。"),
    ("人工客服", "exact", "人工\n客服\n人工客服", "已为您转人工客服，工作日 9:00–18:00 内回复。"),
)
DEMO_KNOWLEDGE = (
    ("个税专项附加扣除怎么填？\n专项附加扣除在哪里申报", "在「个人所得税」APP 首页点「专项附加扣除填报」，选择年度和项目后按提示填写即可。"),
    ("公司地址在哪里？\n你们的办公地点", "总部位于深圳市福田区，各分公司地址见菜单「关于我们」。"),
)


def _demo_replies(account: Account) -> None:
    """A few keyword rules and knowledge-base entries, so a simulated follower's question gets its answer."""
    if KeywordRule.objects.filter(account=account).exists() or KnowledgeEntry.objects.filter(account=account).exists():
        return
    for priority, (name, match, keywords, reply) in enumerate(DEMO_RULES, start=1):
        KeywordRule.objects.create(account=account, name=name, match_type=match, keywords=keywords,
                                   reply_text=reply, priority=priority * 10)
    for questions, answer in DEMO_KNOWLEDGE:
        KnowledgeEntry.objects.create(account=account, questions=questions, answer=answer)


@transaction.atomic
def _demo_branch(account: Account, administrator) -> None:
    """A branch run by the demo's branch administrator, with two of its staff: without one, their
    推广 page only said that nobody had made them a branch's administrator. Its QR codes are
    made from that page (生成二维码), through WeChat — the simulator under ``make run``."""
    branch, _created = Branch.objects.get_or_create(account=account, code="gz", defaults={
        "name": "广州分公司", "welcome_text": "欢迎关注中恒融智！广州分公司的同事随时为您解答社保、个税与用工问题。"})
    branch.administrators.add(administrator)
    for staff_number, name in (("GZ001", "陈晓"), ("GZ002", "李娜")):
        Employee.objects.get_or_create(account=account, branch=branch, staff_number=staff_number,
                                       defaults={"name": name})


def load_demo() -> tuple[Account, list[DemoLogin]]:
    """Create the demo account, categories, users and workflow unless they already exist."""
    account = Account.objects.filter(name=DEMO_ACCOUNT_NAME).first()
    if account is None:
        account = Account.objects.create(
            name=DEMO_ACCOUNT_NAME,
            app_id="wx" + secrets.token_hex(8),
            account_type=AccountType.SUBSCRIPTION,
            verified=True,
            app_secret=secrets.token_hex(16),
            callback_token=_random_key(32),
            encoding_aes_key=_random_key(43),
            message_mode=MessageMode.SAFE,
        )
    for position, name in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(account=account, name=name,
                                       defaults={"position": position, "description": CATEGORY_DESCRIPTIONS[name]})
    AutoReply.objects.get_or_create(account=account, defaults={
        "subscribe_text": "感谢关注中恒融智！每周一、三、五 11:30 推送行业、管理、人力与财税资讯。有问题请直接留言，我们会尽快回复。",
        "message_text": "收到您的消息，我们会在工作时间内回复。",
    })
    _demo_replies(account)
    groups = ensure_roles()
    ensure_review_workflow(groups["reviewer"])

    known = {login.username: login for login in read_logins()}
    user_model = get_user_model()
    logins = []
    for username, role_key, first_name, last_name in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        login = known.get(username)
        if user is None or login is None:
            login = DemoLogin(username, _password(), str(ROLE_BY_KEY[role_key].group_name))
            if user is None:
                user = user_model(username=username, first_name=first_name, last_name=last_name,
                                  email=f"{username}@demo.invalid")
            user.set_password(login.password)
            user.is_superuser = user.is_staff = role_key == "administrator"
            user.save()
        user.groups.add(groups[role_key])
        logins.append(login)
    _demo_branch(account, user_model.objects.get(username="branch"))
    path = logins_path()
    path.write_text("".join(f"{x.username}\t{x.password}\t{x.role}\n" for x in logins), encoding="utf-8")
    path.chmod(0o600)
    return account, logins
