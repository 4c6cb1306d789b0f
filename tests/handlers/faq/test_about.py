"""Messages about the bot itself, and greetings addressed to it."""
from __future__ import annotations

import pytest

from handlers.faq import addressed_to_bot

CASES = [  # (text, @-mentioned, direct chat, expected)
    ("你是谁", False, False, None),  # in a group, unaddressed: residents talking to each other
    ("@社区警务助手 你是谁", False, False, "about"),
    ("你能干嘛", True, False, "about"),
    ("你是机器人吗", False, True, "about"),
    ("助手怎么用", False, False, "about"),
    ("这个机器人能做什么", False, False, "about"),
    ("你们是干什么的", True, False, "about"),
    ("你好", True, False, "greeting"),
    ("@助手 在吗？", False, False, "greeting"),
    ("在吗", False, True, "greeting"),
    ("你好", False, False, None),
    ("早上好各位", False, False, None),
    ("你好，我想问下居住证怎么办", True, False, None),  # a question: the FAQ answers it
    ("对方打电话问我你是谁，然后让我转账，这是骗子吗", True, False, None),  # a story, not about the bot
]


@pytest.mark.parametrize("text, mentioned, direct, expected", CASES)
def test_addressed_to_bot(text, mentioned, direct, expected):
    assert addressed_to_bot(text, mentioned=mentioned, direct=direct) == expected
