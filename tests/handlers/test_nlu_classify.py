"""Classifier behaviour as tables of (text, expected)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers import nlu
from handlers.nlu import Classifier, Label
from handlers.nlu.label import INTENTS, SCAM_TYPES, SUBTYPES


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    clf = Classifier()
    clf.warm_up()
    return clf


HARD_NEGATIVES = [
    "今天反诈讲座讲得真好",
    "验证码收到了吗 快递柜的",
    "噪音问题物业说周五处理，谢谢警官",
    "收到👌",
    "[捂脸][捂脸]",
    "好的 谢谢网格员",
    "给我妈转了生活费 她说收到了",
    "我家那口子说要报警抓我 因为我把他的零食吃了 哈哈",
    "楼下小朋友在弹钢琴 弹得真好听",
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_are_chatter(classifier, text):
    assert classifier.classify(text).intent == "chatter"


INTENT_TABLE = [
    ("请问补办身份证要带什么材料 在哪个窗口办", "inquiry"),
    ("派出所周六户籍窗口上班吗", "inquiry"),
    pytest.param("邻居纠纷可以找谁调解", "inquiry", marks=pytest.mark.xfail(
        reason="known weak spot (docs/classifier.md): a bare mediation-procedure question read as chatter; v10 gets "
               "it, but a training row begins with these very words, so a pass proves nothing", strict=False)),
    ("和邻居闹矛盾了一般找哪个部门调解", "inquiry"),  # the same question in words no training row has
    ("楼上天天半夜跺脚 说了好几次也不听 能不能管管", "dispute"),
    ("房东不退押金 说墙上有洞要扣一千", "dispute"),
    ("上次说的噪音还是没解决 昨晚又吵到两点", "dispute"),
    ("我被骗了怎么报案", "fraud"),
    ("我也接到了 说是快递客服 要给我退款让我开屏幕共享", "fraud"),  # terse first-person report (chatter in v8)
    ("有人打电话说是公安局的 说我涉嫌洗钱 要我把钱转到安全账户", "fraud"),
    ("【兼职】在家点赞关注 一单5元 日结 加微信领取任务", "fraud"),
    ("6栋楼道里好大的煤气味 敲门没人应", "help"),
    ("我家孩子不见了 5岁 穿黄衣服 大家帮忙找找", "help"),
    ("有个老人在楼下摔倒了起不来 头上流血", "help"),
]


@pytest.mark.parametrize(("text", "intent"), INTENT_TABLE)
def test_intent_table(classifier, text, intent):
    assert classifier.classify(text).intent == intent


DETAIL_TABLE = [
    ("楼上装修天天早上七点开电钻 吵得睡不着", "dispute", "noise", None, False),
    ("房东不退押金 还说不搬就断水断电", "dispute", "landlord_tenant", None, False),
    ("刷单返利 先垫付三千 说做完任务返佣金", "fraud", None, "rebate_task", False),
    ("我妈正在银行排队 要把钱转到安全账户 说是公安局让转的", "fraud", None, "impersonate_authority", True),
    ("收到短信说我的医保卡异常要注销 让我点链接", "fraud", None, "social_insurance", False),
    ("3号楼着火了 浓烟很大 快打119", "help", None, None, True),
]


@pytest.mark.parametrize(("text", "intent", "subtype", "scam_type", "urgent"), DETAIL_TABLE)
def test_subtype_scam_type_and_urgency(classifier, text, intent, subtype, scam_type, urgent):
    label = classifier.classify(text)
    assert (label.intent, label.subtype, label.scam_type, label.urgent) == (intent, subtype, scam_type, urgent)


VARIANTS = [
    ("有人说是公安局的 让我把钱转到安全账户", "有人說是公安局的 讓我把錢轉到安全賬戶"),
    ("身份证丢了在哪里补办", "身份證丟了在哪裡補辦"),
    ("身份证丢了在哪里补办", "@张警官\u2005身份证丢了在哪里补办"),
    ("身份证丢了在哪里补办", "@网格员小陈 身份证丢了在哪里补办😭😭"),
    ("身份证丢了在哪里补办", "身份证丢了在哪里补办[捂脸]"),
    ("刷单被骗了5000元", "刷单被骗了５０００元"),
    ("我是不是遇到骗子了 对方要验证码", "我是不是遇到片子了 对方要验正码"),
    ("派出所几点上班", "派处所几点上班"),
]


@pytest.mark.parametrize(("plain", "variant"), VARIANTS)
def test_surface_variants_do_not_change_the_label(classifier, plain, variant):
    a, b = classifier.classify(plain), classifier.classify(variant)
    assert (a.intent, a.subtype, a.scam_type, a.urgent) == (b.intent, b.subtype, b.scam_type, b.urgent)


def test_every_decision_comes_with_cues(classifier):
    label = classifier.classify("有人让我开共享屏幕 说要给我退款")
    assert label.intent == "fraud"
    assert label.cues and all(isinstance(c, str) and c for c in label.cues)


def test_added_scam_word_changes_the_next_result():
    clf = Classifier()
    text = "楼下新开的金蟾宝奶茶店挺好喝"
    assert clf.classify(text).intent != "fraud"
    clf.add_scam_words(["金蟾宝"])
    label = clf.classify(text)
    assert (label.intent, label.scam_type) == ("fraud", "other")
    assert any("金蟾宝" in cue for cue in label.cues)
    clf.remove_scam_words(["金蟾宝"])
    assert clf.classify(text).intent != "fraud"


def test_set_scam_words_replaces_and_normalises():
    clf = Classifier()
    clf.set_scam_words(["金蟾寶"])  # traditional form, matched after simplification
    assert clf.classify("有人推荐金蟾宝 说能赚钱").intent == "fraud"
    clf.set_scam_words([])
    assert clf.extra_scam_words == {}


def test_module_level_api_and_to_dict():
    nlu.warm_up()
    assert nlu.get_classifier() is nlu.get_classifier()
    data = nlu.classify("请问居住证在哪办 明天下午3点能去吗").to_dict()
    assert data["intent"] == "inquiry"
    assert set(data) >= {"intent", "subtype", "scam_type", "urgent", "confidence", "cues", "entities"}
    assert set(data) >= {"probabilities", "danger", "signals", "about_bot", "addressed_greeting"}
    assert abs(sum(data["probabilities"].values()) - 1.0) < 1e-3
    assert data["entities"]["times"] == ["明天下午3点"]


def _valid(label: Label) -> bool:
    return (
        label.intent in INTENTS
        and (label.subtype is None or (label.intent == "dispute" and label.subtype in SUBTYPES))
        and (label.scam_type is None or (label.intent == "fraud" and label.scam_type in SCAM_TYPES))
        and (label.intent != "dispute" or label.subtype is not None)
        and (label.intent != "fraud" or label.scam_type is not None)
        and 0.0 <= label.confidence <= 1.0
        and len(label.cues) <= 8
        and isinstance(label.urgent, bool)
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_any_unicode_string_gives_a_valid_label(classifier, text):
    assert _valid(classifier.classify(text))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="骗子转账验证码楼上噪音着火了收到谢谢@ \u2005[]🙏1234567890元万栋号", min_size=1, max_size=40))
def test_huge_messages_are_cut_and_still_classified(classifier, text):
    assert _valid(classifier.classify(text * 500))
