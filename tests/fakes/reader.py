"""A scripted image reader: the words an image "contains" are told to it, so flow tests need no OCR model."""
from __future__ import annotations

import hashlib

from bot.media.reading import Reading, decode_qr


class FakeImageReader:
    """``reads(image_bytes, text)`` scripts the words; unscripted images read as no words. ``state`` may be
    ``unavailable`` to play a machine without the ocr extra. QR codes are decoded for real."""

    use_ocr = True

    def __init__(self, state: str = "done") -> None:
        self.state = state
        self.texts: dict[str, str] = {}
        self.calls = 0

    def reads(self, data: bytes, text: str) -> bytes:
        self.texts[hashlib.sha256(data).hexdigest()] = text
        return data

    async def read(self, data: bytes) -> Reading:
        import io

        from PIL import Image

        self.calls += 1
        qr = decode_qr(Image.open(io.BytesIO(data)).convert("RGB"))
        if self.state != "done":
            return Reading(self.state, qr=qr)
        return Reading("done", text=self.texts.get(hashlib.sha256(data).hexdigest(), ""), qr=qr, ms=1)

    def warm(self) -> None:
        return None

    def close(self) -> None:
        return None
