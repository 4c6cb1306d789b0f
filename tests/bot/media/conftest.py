from __future__ import annotations

import pytest

from bot.media.pool import ImageReader


@pytest.fixture(scope="session")
def qr_only_reader():  # noqa: ANN201
    """Reads QR codes only (no OCR): fast, and the same on a machine without the ocr extra."""
    reader = ImageReader.threads(use_ocr=False)
    yield reader
    reader.close()
