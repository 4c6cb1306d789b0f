"""Whether a message is about the bot itself (你是谁, 你能干嘛, 你是机器人吗) or a greeting addressed to it
(@助手 你好). The dispatcher answers both with the bot's self-introduction; the classifier may call
``addressed_to_bot`` too, to keep such messages away from the intents.
"""
from __future__ import annotations

import re
import unicodedata

from handlers.faq.text import simplify

ABOUT, GREETING = "about", "greeting"
MAX_CHARS = 14  # longer messages tell a story (“对方问我你是谁，让我转账”), they do not ask about the bot
_BOT_NAMES = ("社区警务助手", "警务助手", "小助手", "助手", "机器人", "智能客服")
_NAMES = "社区警务助手|警务助手|小助手|助手|机器人"
_ADDRESS = re.compile(rf"^\s*(?:@({_NAMES})[\s\u2005,，:：]*|({_NAMES})[\s\u2005,，:：]+)")
_FILLER = re.compile(r"[\s,，。.!！?？~～、:：;；…·'\"“”‘’()（）\[\]【】]+")
_ABOUT = re.compile(
    r"(你|你们)是(谁|哪位|什么|啥|干什么的|干嘛的|干啥的|做什么的|真人|人吗|机器人|ai|智能)|"
    r"(你|助手|机器人)(能|会|可以)(干|做|帮|帮我|帮我们|帮忙)?(点|些)?(什么|啥|嘛|哪些)|"
    r"(你|助手|机器人)有(什么|啥)(用|功能|本事)|"
    r"(怎么|如何)(用|使用)(你|助手|机器人|这个助手|这个机器人)|(助手|机器人)(怎么|咋)用|"
    r"(你|助手|机器人)叫(什么|啥)|介绍(一下)?(你|自己)|自我介绍|"
    r"(这个|这是)(什么|啥)(助手|机器人)|是(不是)?机器人|是真人(吗|吧)|真人还是机器人"
)
_GREETING = re.compile(
    r"^(你好|您好|你们好|大家好|hi|hello|哈喽|哈啰|嗨|在吗|在不在|有人吗|有人在吗|"
    r"早|早上好|早安|上午好|中午好|下午好|晚上好|晚安)+(呀|啊|哈|呢|哦|吖|鸭)?$"
)


def _clean(text: str) -> tuple[str, bool]:
    """The text without a leading @bot, punctuation and emoji; and whether it named the bot."""
    raw = unicodedata.normalize("NFKC", text).lower()
    addressed = _ADDRESS.match(raw)
    if addressed:
        raw = raw[addressed.end():]
    clean = re.sub(r"(警官|同志|老师)$", "", _FILLER.sub("", simplify(raw)))
    return clean, bool(addressed) or any(name in clean for name in _BOT_NAMES)


def is_about_bot(text: str) -> bool:
    """“你是谁”, “你能干嘛”, “助手怎么用”, “你是机器人吗”: a short question about the bot itself."""
    clean, _ = _clean(text)
    return len(clean) <= MAX_CHARS and bool(_ABOUT.search(clean))


def is_greeting(text: str) -> bool:
    """A bare greeting or “在吗”, nothing else."""
    clean, _ = _clean(text)
    for name in _BOT_NAMES:
        clean = clean.replace(name, "")
    return bool(clean) and bool(_GREETING.match(clean))


def addressed_to_bot(text: str, *, mentioned: bool = False, direct: bool = False) -> str | None:
    """``ABOUT`` or ``GREETING`` when the message is for the bot itself, else None. In a group it must be
    addressed to the bot (an @-mention, or its name in the text); in a direct chat it always is."""
    _, named = _clean(text)
    to_bot = mentioned or direct or named
    if to_bot and is_about_bot(text):
        return ABOUT
    if to_bot and is_greeting(text):
        return GREETING
    return None
