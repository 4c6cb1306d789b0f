"""The decision policy: a pure function of the label and the thresholds, as tables; then the shipped
classifier and thresholds on greetings, acknowledgements, emoji and forwarded notices."""
from __future__ import annotations

import pytest

from handlers.nlu import Classifier, Label
from handlers.nlu.danger import Danger
from handlers.nlu.policy import CLARIFY, PRIVATE, PUBLIC, SILENT, Thresholds, decide, pick_intent

T = Thresholds(public={"inquiry": 0.9, "dispute": 0.9, "fraud": 0.9, "help": 0.9},
               private={"fraud": 0.3, "dispute": 0.6, "inquiry": 0.0, "help": 0.0},
               help=0.5, help_danger=0.2, danger_alert=0.55)
FIRE_NOW = Danger("fire", 0.9, 3.0, ("danger:着火",), True, ("current",))
FIRE_PAST = Danger("fire", 0.2, 1.0, ("danger:着火",), False, ("past",))


def make_label(intent: str, p: float, signals: tuple[str, ...] = (), danger: Danger = Danger(), **kw) -> Label:
    rest = (1.0 - p) / 4
    probs = tuple((c, p if c == intent else rest) for c in ("inquiry", "dispute", "fraud", "help", "chatter"))
    return Label(intent, confidence=p, probabilities=probs, signals=signals, danger=danger, **kw)


POLICY_TABLE = [
    # (label, action, alert)
    (make_label("fraud", 0.99, ("self", "question")), PUBLIC, False),
    (make_label("fraud", 0.99, ("forwarded", "notice")), PRIVATE, False),  # an anti-fraud notice: never public
    (make_label("fraud", 0.99, ("media",)), PRIVATE, False),  # a film or the news
    (make_label("fraud", 0.99, ("past",)), PRIVATE, False),  # an old story
    (make_label("fraud", 0.99, ("past", "now")), PUBLIC, False),
    (make_label("fraud", 0.6), PRIVATE, False),  # suspicious: “可能涉诈，请留意” to the officer
    (make_label("fraud", 0.25), SILENT, False),
    (make_label("fraud", 0.99, ("greeting", "greet_only")), SILENT, False),  # a bare 你好 is never fraud
    (make_label("inquiry", 0.95, ("question",)), PUBLIC, False),
    (make_label("inquiry", 0.7, ("question",)), PRIVATE, False),  # unsure: the officer answers
    (make_label("dispute", 0.95), PUBLIC, False),
    (make_label("dispute", 0.7), PRIVATE, False),
    (make_label("dispute", 0.4), CLARIFY, False),  # one short question before opening a case
    (make_label("chatter", 0.99), SILENT, False),
    (make_label("chatter", 0.99, ("about_bot", "question")), SILENT, False),
    (make_label("help", 0.95, (), FIRE_NOW), PUBLIC, True),
    (make_label("help", 0.6, (), FIRE_NOW), PRIVATE, True),  # danger: always at least a private alert
    (make_label("help", 0.95, ("notice",), FIRE_NOW), PRIVATE, True),
    (make_label("help", 0.95, (), FIRE_PAST), PRIVATE, True),
    (make_label("chatter", 0.9, (), FIRE_NOW), PRIVATE, True),
    (make_label("chatter", 0.9, ("past",), FIRE_PAST), SILENT, False),
    (make_label("fraud", 0.99, ("media", "asks_scam", "question")), PUBLIC, False),  # “听说…真的假的”
    (make_label("fraud", 0.99, ("now",), FIRE_NOW), PUBLIC, True),  # money moving now: warn and alert
    (make_label("dispute", 0.95, (), FIRE_NOW), PUBLIC, True),
]

UNSURE = Thresholds(public=T.public, private=T.private, help=0.5, help_danger=0.2, danger_alert=0.55,
                    action_min=0.97, chatter_floor=0.01)


@pytest.mark.parametrize(("label", "action"), [
    (make_label("inquiry", 0.95, ("question",)), PRIVATE),  # P >= public but unsure: the officer answers
    (make_label("dispute", 0.95), PRIVATE),
    (make_label("dispute", 0.4), CLARIFY),
    (make_label("fraud", 0.95), PUBLIC),  # action_min is for inquiries and disputes only
])
def test_an_unsure_inquiry_or_dispute_keeps_its_intent_but_stays_out_of_the_group(label, action):
    decision = decide(label, UNSURE)
    assert decision.intent == label.intent and decision.action == action, decision.reason


def test_a_weak_inquiry_is_not_dropped_as_chatter():
    probs = {"inquiry": 0.6, "chatter": 0.4, "dispute": 0.0, "fraud": 0.0, "help": 0.0}
    assert pick_intent(probs, Danger(), UNSURE) == "inquiry"


@pytest.mark.parametrize(("label", "action", "alert"), POLICY_TABLE)
def test_policy_table(label, action, alert):
    decision = decide(label, T)
    assert (decision.action, decision.alert) == (action, alert), decision.reason


def test_addressed_greeting_asks_for_the_self_introduction_and_stays_silent():
    decision = decide(make_label("chatter", 0.99, ("greet_only", "addressed"), addressed_greeting=True), T)
    assert decision.action == SILENT and decision.self_intro


def test_help_wins_at_a_lower_probability_with_danger():
    probs = {"inquiry": 0.1, "dispute": 0.1, "fraud": 0.05, "help": 0.25, "chatter": 0.5}
    assert pick_intent(probs, FIRE_NOW, T) == "help"
    assert pick_intent(probs, FIRE_PAST, T) == "chatter"
    assert pick_intent({**probs, "help": 0.55, "chatter": 0.2}, Danger(), T) == "help"


def test_a_model_sure_of_chatter_overrules_a_danger_flag_only_past_the_veto():
    vetoing = Thresholds(public=T.public, private=T.private, help=0.5, help_danger=0.2, danger_alert=0.55,
                         chatter_veto=0.95)
    sure = make_label("chatter", 0.97, (), FIRE_NOW)  # a film or an old story the detector took for a fire
    fairly_sure = make_label("chatter", 0.9, (), FIRE_NOW)
    assert (decide(sure, vetoing).action, decide(sure, vetoing).alert) == (SILENT, False)
    assert (decide(fairly_sure, vetoing).action, decide(fairly_sure, vetoing).alert) == (PRIVATE, True)
    assert decide(sure, T).alert  # the default never vetoes
    # a call for help is never vetoed, whatever P(chatter) would be
    assert decide(make_label("help", 0.6, (), FIRE_NOW), vetoing).alert


def test_the_chatter_veto_is_chosen_so_that_no_out_of_fold_danger_loses_its_alert():
    from handlers.nlu.crossval import _pick_chatter_veto

    def row(intent, urgent=False):
        return {"text": "x", "intent": intent, "urgent": urgent}

    chatter = [make_label("chatter", 0.99, (), FIRE_NOW)] * 3
    assert _pick_chatter_veto([row("chatter")] * 3, chatter, T) == 0.95
    # a real fire the model read as chatter at 0.975: the veto must sit above it
    rows = [row("chatter")] * 3 + [row("help", urgent=True)]
    labels = chatter + [make_label("chatter", 0.975, (), FIRE_NOW)]
    assert _pick_chatter_veto(rows, labels, T) == 0.98
    labels[-1] = make_label("chatter", 0.999, (), FIRE_NOW)
    assert _pick_chatter_veto(rows, labels, T) > 1.0  # even 0.995 would silence it: never veto


def test_thresholds_round_trip_and_default_to_never_public():
    assert Thresholds.from_dict(T.to_dict()) == T
    assert decide(make_label("fraud", 0.999), Thresholds()).action != PUBLIC


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    clf = Classifier()
    clf.warm_up()
    return clf


NEVER_PUBLIC = [
    "你好", "您好", "在吗", "有人吗", "加我一下", "@社区警务助手 你好", "@社区警务助手\u2005您好", "大家好 新人报到",
    "收到", "好的", "明白", "1", "谢谢警官", "辛苦了🙏", "👍👍", "[强][抱拳]", "🙏", "[红包] 恭喜发财",
    "你是机器人吗", "你是谁", "你能干嘛",
    "【转发】温馨提示：凡是自称客服要求屏幕共享的都是诈骗",
    "派出所提醒：不要轻信陌生来电，凡是要求转账到安全账户的都是诈骗",
    "转自幸福里派出所：近期冒充医保局来电诈骗高发，请大家相互转告",
]


@pytest.mark.parametrize("text", NEVER_PUBLIC)
def test_greetings_acknowledgements_emoji_and_notices_are_silent_chatter(classifier, text):
    label = classifier.classify(text)
    decision = classifier.decide(label)
    assert label.intent == "chatter", label.to_dict()
    assert decision.action == SILENT and not decision.alert, decision


@pytest.mark.parametrize("text", ["@社区警务助手 你好", "@社区警务助手\u2005您好", "小助手你好"])
def test_greeting_the_bot_is_flagged_for_the_self_introduction(classifier, text):
    label = classifier.classify(text)
    assert label.addressed_greeting and classifier.decide(label).self_intro


def test_bare_greeting_to_a_person_is_not_addressed_to_the_bot(classifier):
    assert not classifier.classify("@张警官 你好").addressed_greeting


def test_an_officer_scam_word_does_not_turn_a_forwarded_notice_into_fraud():
    clf = Classifier()
    clf.add_scam_words(["金蟾宝"])
    assert clf.classify("有人推荐我投金蟾宝 说一个月翻倍").intent == "fraud"
    notice = clf.classify("【转发】派出所提醒：金蟾宝是诈骗平台 请大家相互转告 切勿投资")
    assert clf.decide(notice).action != PUBLIC
