"""Issue 13's additions to the default rule set, brought into the database's ``wxops default`` lexicon.

The default lexicon was loaded once (0002); later changes to ``default_terms.csv`` reach a
database only through a migration like this one. New terms are added unless the lexicon
already holds them; the terms that now also match their pinyin (稳zhuan不赔, wenzhuanbupei)
get the flag. Terms an administrator edited or deleted otherwise stay as they are.
"""

from django.db import migrations

NEW_TERMS = ['sb', 'nmsl', '+v', '+vx', '+wx', '+微', '+q', '虚开发票', '虚开增值税', '代开增值税', '买卖发票', '骗取出口退税', '管制刀具出售', '出售管制刀具', '出售炸药', '保本保收益承诺', '还本付息']
PINYIN_TERMS = ['反对宪法', '废除宪法', '推翻宪法', '推翻共产党', '打倒共产党', '结束一党专政', '颠覆国家政权', '推翻政府', '分裂国家', '国家分裂', '台独', '藏独', '疆独', '港独', '台湾独立', '西藏独立', '新疆独立', '香港独立', '泄露国家秘密', '出卖国家机密', '窃取国家机密', '武装起义', '策反', '辱华', '侮辱国旗', '焚烧国旗', '践踏国旗', '侮辱国歌', '篡改国歌', '丑化英烈', '诋毁英烈', '侮辱烈士', '法轮大法', '全能神', '东方闪电', '呼喊派', '门徒会', '观音法门', '统一教', '血水圣灵', '三赎基督', '邪教组织', '大纪元', '九评共产党', '黄色网站', '黄色视频', '成人视频', '色情直播', '毛片', '黄片', '无码视频', '一夜情', '援交', '卖淫', '嫖娼', '招嫖', '性交易', '淫秽', '网络赌博', '网赌', '时时彩', '线上赌场', '赌球', '外围赌球', '私彩', '老虎机', '押大小', '赌资', '菠菜网站', '下注平台', '教你偷', '如何偷车', '撬锁教程', '买卖枪支', '出售枪支', '仿真枪出售', '自制枪', '出售迷药', '迷幻药', '摇头丸', '大麻出售', '代开发票', '出售发票', '办假证', '假证件', '信用卡套现', '出售银行卡', '收购银行卡', '出售个人信息', '查开房记录', '手机定位追踪', '窃听器', '办证刻章', '黑客攻击服务', '代考', '替考', '稳赚不赔', '稳赚', '包赚', '只赚不赔', '保本保息', '保本保收益', '保证收益', '承诺收益', '保收益', '收益有保障', '保证本金', '零风险', '无风险', '毫无风险', '没有任何风险', '年化收益保证', '保证年化', '固定高收益', '高收益无风险', '稳定高收益', '躺着赚钱', '一夜暴富', '翻倍收益', '收益翻倍', '日赚', '月入十万', '本金无忧', '保你赚钱', '包你赚钱', '内幕消息股票', '荐股', '带你炒股', '稳涨', '必涨', '必赚', '拉人头', '资金盘', '庞氏骗局', '虚拟币挖矿', '空气币', '杀猪盘', '裸贷', '套路贷', '校园贷', '无抵押秒批', '黑户可贷', '性感美女', '美女裸体', '裸照', '露点', '情色', '激情视频', '床戏', '性暗示', '性爱', '成人用品', '情趣用品', '壮阳', '延时喷剂', '催情', '春药', '丰胸']


def add_terms(apps, schema_editor):
    from django.db.models import F

    from wxops.compliance.defaults import DEFAULT_NAME
    from wxops.compliance.lexicon import default_terms

    Lexicon = apps.get_model("compliance", "Lexicon")
    Term = apps.get_model("compliance", "Term")
    lexicon = Lexicon.objects.filter(account=None, name=DEFAULT_NAME).first()
    if lexicon is None:
        return
    existing = set(Term.objects.filter(lexicon=lexicon).values_list("term", flat=True))
    wanted = [t for t in default_terms() if t.term in NEW_TERMS and t.term not in existing]
    Term.objects.bulk_create([Term(lexicon=lexicon, term=t.term, clause=t.clause, severity=t.severity.value,
                                   family=t.family, pinyin=t.pinyin, suggestion=t.suggestion) for t in wanted])
    Term.objects.filter(lexicon=lexicon, term__in=PINYIN_TERMS).update(pinyin=True)
    Lexicon.objects.filter(pk=lexicon.pk).update(version=F("version") + 1)


class Migration(migrations.Migration):

    dependencies = [
        ("compliance", "0003_finding_decision"),
    ]

    operations = [
        migrations.RunPython(add_terms, migrations.RunPython.noop),
    ]
