"""The danger detector as tables of (text, expected): plain-words emergencies are flagged, past, resolved,
fictional and notice mentions score lower, and the tables parse strictly."""
from __future__ import annotations

import pytest

from handlers.nlu.danger import CATEGORIES, DangerDetector, parse_danger_cues, parse_modifiers
from handlers.nlu.normalize import normalize
from handlers.nlu.policy import Thresholds, danger_flagged


@pytest.fixture(scope="module")
def detector() -> DangerDetector:
    return DangerDetector.load()


def detect(detector, text):
    return detector.detect(normalize(text))


PLAIN_WORDS = [
    ("我真的不想活了 太累了", "suicide"),
    ("我朋友刚发消息说药都吃了 别找她", "suicide"),
    ("有个小伙子站在楼顶边上 好像要跳", "suicide"),
    ("我家孩子放学两小时了还没到家 电话手表也打不通", "missing"),
    ("我爸有老年痴呆 早上出门到现在没回来", "missing"),
    ("对面楼阳台窜火苗了 还在往上烧", "fire"),
    ("电动车充电的时候冒烟了 噼里啪啦响", "fire"),
    ("楼道里一股煤气味 好呛", "gas"),
    ("隔壁烧炭取暖 门窗关得死死的 敲门没人应", "gas"),
    ("我妈突然嘴歪了 说话不清楚 左手抬不起来", "medical"),
    ("孩子吃葡萄噎住了 脸都憋紫了", "medical"),
    ("孩子把纽扣电池吞下去了", "medical"),
    ("老婆怀孕五个月 突然出血 肚子疼", "medical"),
    ("我爸在家摔倒了 爬不起来", "medical"),
    ("有个小孩掉河里了 快来人", "drowning"),
    ("楼下有人拿着刀在追人", "violence"),
    ("有个男的一直跟着我 从超市跟到小区", "stalking"),
    ("有人在撬我家门 我一个人在家", "break_in"),
    ("电梯卡在8楼和9楼中间 里面有个老人", "trapped"),
    ("工地的墙塌了 好像砸到人了", "collapse"),
    ("独居的李奶奶好几天没见出门了 门口报纸都没收", "alone_unseen"),
    ("我妈正在银行要把钱转到安全账户 对方说是警察", "fraud_now"),
    ("救命", "distress"),
    # words that mark a notice, a story or an all-clear elsewhere do not silence these
    ("是不是中风了 我爸一边嘴角歪了 说话说不清楚", "medical"),
    ("老伴看着新闻联播 突然说不出话 嘴也歪了", "medical"),
    ("转发家属的：我爸有老年痴呆 中午出门到现在没回来", "missing"),
    ("恳请各位帮忙 我女儿不见了 小区里喊遍了", "missing"),
    ("我刚把验证码报给了说是银行的人 现在想想不对劲", "fraud_now"),
    ("救命 有人在撬我家门 快来", "break_in"),
]


@pytest.mark.parametrize(("text", "category"), PLAIN_WORDS)
def test_plain_words_emergencies_are_flagged(detector, text, category):
    found = detect(detector, text)
    assert found.category == category
    assert found.current
    assert danger_flagged(found, Thresholds())


LOWERED = [
    ("3号楼冒烟了", "去年3号楼冒烟了 吓死人"),
    ("厨房着火了", "厨房着火了 已经灭了 没事了"),
    ("孩子不见了", "孩子不见了 刚才找到了 虚惊一场"),
    ("楼下着火了", "电影里楼下着火了"),
    ("小区着火了", "小区明天上午消防演习 着火了要从楼梯走"),
    ("一股煤气味", "不是漏气 是隔壁熏腊肉 一股煤气味"),
    ("有人溺水了", "温馨提示：发现有人溺水切勿盲目下水"),
    ("电梯里有人被困", "6栋电梯故障已修复 被困的住户已经安全离开"),
    ("楼道有烧焦味", "楼道那股烧焦味是楼下煮糊了饭 莫得事"),
    ("有人晕倒了", "看新闻说有个老人在公交上晕倒了"),
    ("孩子走丢了", "昨晚梦到孩子走丢了 吓醒了"),
    ("有人在撬门", "追剧追到半夜 剧里有人在撬门"),
    ("我妈正在往安全账户转钱 对方说是警察", "警方提醒：对方说是警察、要你正在往安全账户转钱的均为诈骗"),
    ("救命", "救命 这道数学题我真不会"),
]


@pytest.mark.parametrize(("current", "lowered"), LOWERED)
def test_past_resolved_fictional_and_notice_mentions_score_lower(detector, current, lowered):
    now, then = detect(detector, current), detect(detector, lowered)
    assert now.category is not None and now.current
    assert then.probability < now.probability
    assert not danger_flagged(then, Thresholds())


NOTHING = ["你好", "收到 谢谢警官", "今天天气真好", "楼上装修太吵了", "跳楼价大甩卖", "手机掉水里了 还能修吗", "火锅真好吃"]


@pytest.mark.parametrize("text", NOTHING)
def test_everyday_chatter_raises_no_danger(detector, text):
    assert not danger_flagged(detect(detector, text), Thresholds())


def test_result_has_cues_and_serialises(detector):
    found = detect(detector, "楼道里好大的煤气味")
    data = found.to_dict()
    assert data["category"] == "gas" and data["cues"] and 0.0 < data["probability"] <= 1.0


def test_tables_reject_unknown_categories_and_modifiers():
    with pytest.raises(ValueError):
        parse_danger_cues("earthquake\t3\t地震")
    with pytest.raises(ValueError):
        parse_modifiers("sometimes\t-1\t有时")
    cues = parse_danger_cues("# comment\n\nfire\t3\t着火|失火+!演习\n")
    assert [c.label for c in cues] == ["fire"] and set(CATEGORIES) >= {"fire"}
    mods, bias = parse_modifiers("past\t-2\t去年\nbias\t-1.5\t\n")
    assert bias == -1.5 and mods[0].weight == -2
