"""Real OCR (the ocr extra) on screenshots the tests draw: a scam chat posted in a sandbox group draws the
warning for its scam type, an ordinary chat stays silent. The full measured set is ``make bench``
(bench/screenshot_bench.py, figures in docs/media.md); this is its short form."""
from __future__ import annotations

import base64

import pytest

from bot.media.pool import ImageReader
from bot.media.reading import ocr_installed, read_image
from tests.fakes.screenshots import MISSING_FONT, conversations, font_path, render

pytestmark = [
    pytest.mark.skipif(not ocr_installed(), reason="OCR tests need the ocr extra: pip install -e '.[ocr]'"),
    pytest.mark.skipif(font_path() is None, reason=MISSING_FONT),
]


@pytest.fixture(scope="module")
def real_reader():  # noqa: ANN201
    reader = ImageReader.threads(use_ocr=True)
    yield reader
    reader.close()


@pytest.fixture
def image_reader(real_reader):  # noqa: ANN001, ANN201 - the bot of this module reads with the real OCR
    return real_reader


def conv(kind: str, title: str) -> dict:
    return next(c for c in conversations()[kind] if c["title"] == title)


def shot(kind: str, title: str, seed: int = 3, fmt: str = "png") -> bytes:
    return render(conv(kind, title), seed=seed, fmt=fmt)


def test_ocr_reads_the_words_of_a_chat_screenshot():
    reading = read_image(shot("scam", "京东客服"))
    assert reading.state == "done" and reading.ms > 0
    assert "百万保障" in reading.text and "屏幕共享" in reading.text.replace("\n", "")


async def test_scam_screenshot_posted_in_a_sandbox_group_draws_the_right_warning(bot):
    image = shot("scam", "市公安局 刘警官", fmt="jpeg")
    sent = await bot.send_and_step({"group_id": "grid-2", "sender_id": "resident-7",
                                    "image_base64": base64.b64encode(image).decode()})
    [warning] = [m["text"] for m in sent if m["chat_id"] == "grid-2"]
    assert "公检法" in warning and "96110" in warning
    _, cases = await bot.api("/api/cases")
    assert cases[0]["scam_type"] == "impersonate_authority" and cases[0]["text"].startswith("［图片文字］")


async def test_ordinary_chat_screenshot_stays_silent(bot):
    image = shot("chatter", "幸福里一网格信息共享群")
    sent = await bot.send_and_step({"group_id": "grid-1", "sender_id": "resident-3",
                                    "image_base64": base64.b64encode(image).decode()})
    assert [m for m in sent if m["chat_id"] == "grid-1"] == []


@pytest.mark.parametrize("kind,title,expected", [
    ("scam", "兼职招聘", "fraud"), ("scam", "106955000123", "fraud"), ("scam", "医保局", "fraud"),
    ("chatter", "家人群", "chatter"), ("chatter", "邻居王阿姨", "chatter"),
])
def test_screenshots_are_understood_like_the_typed_words(kind, title, expected):
    from handlers.nlu import get_classifier

    reading = read_image(shot(kind, title, seed=11))
    assert get_classifier().classify(reading.text).intent == expected, reading.text
