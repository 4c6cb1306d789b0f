"""Reading an image: its words (OCR, offline, when the ``ocr`` extra is installed) and its QR codes.

``read_image`` runs in the reading pool (``bot.media.pool``), never on the event loop or in the database
thread. The OCR engine is rapidocr-onnxruntime: PP-OCRv4 Chinese detection and recognition models shipped
inside its wheel, so nothing is downloaded at run time. QR codes are decoded with zxing-cpp.
"""
from __future__ import annotations

import importlib.util
import io
import logging
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)
MAX_PIXELS = 40_000_000  # a larger "image" is a decompression bomb, not a screenshot
MAX_TEXT = 4000  # characters kept of the words read from one image: the understanding reads no more
MIN_SCORE = 0.5  # recognised lines below this confidence are noise
_engine = None
_threads = 0


@dataclass(frozen=True)
class Reading:
    """``state``: done (read), unavailable (no OCR installed: QR codes only), failed (not a readable image)."""

    state: str
    text: str = ""
    qr: tuple[str, ...] = ()
    ms: int = 0
    error: str = ""


def ocr_installed() -> bool:
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def init_worker(threads: int) -> None:
    """Pool initializer: how many threads one OCR run may use (the pool is sized so they fit the machine)."""
    global _threads
    _threads = threads


def warm_up(use_ocr: bool = True) -> bool:
    """Load the OCR models now (a pool worker calls this once at start); True when OCR is usable."""
    return use_ocr and _ocr_engine() is not None


def _ocr_engine():  # noqa: ANN202
    global _engine
    if _engine is None and ocr_installed():
        from rapidocr_onnxruntime import RapidOCR

        options = {"use_cls": False, "print_verbose": False}  # screenshots are upright: skip the angle model
        if _threads:
            options |= {"intra_op_num_threads": _threads, "inter_op_num_threads": 1}
        _engine = RapidOCR(**options)
        logging.getLogger("RapidOCR").setLevel(logging.WARNING)
    return _engine


def read_image(data: bytes, use_ocr: bool = True) -> Reading:
    """The words and QR payloads of one image. Never raises: a broken image is ``failed`` with the reason."""
    started = time.perf_counter()
    try:
        image = _open(data)
    except Exception as exc:  # noqa: BLE001 - any decoder error means: not a readable image
        return Reading("failed", error=f"{type(exc).__name__}: {exc}"[:300])
    qr = decode_qr(image)
    engine = _ocr_engine() if use_ocr else None
    if engine is None:
        return Reading("unavailable", qr=qr, ms=_ms(started))
    try:
        result, _ = engine(_as_array(image))
    except Exception as exc:  # noqa: BLE001
        log.warning("OCR failed: %s", exc)
        return Reading("failed", qr=qr, ms=_ms(started), error=f"OCR: {type(exc).__name__}"[:300])
    return Reading("done", text=lines_text(result or []), qr=qr, ms=_ms(started))


def _open(data: bytes):  # noqa: ANN202
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ValueError(f"{width}×{height} pixels is more than a screenshot")
    image.load()
    return image.convert("RGB")


def _as_array(image):  # noqa: ANN001, ANN202
    import numpy as np

    return np.asarray(image)[:, :, ::-1].copy()  # RGB → BGR, as OpenCV expects


def lines_text(result: list) -> str:
    """OCR boxes as text in reading order: top to bottom, and left to right within a line."""
    boxes = [(box, text) for box, text, score in result if text and score >= MIN_SCORE]
    boxes.sort(key=lambda b: (round(min(p[1] for p in b[0]) / 12), min(p[0] for p in b[0])))
    return "\n".join(text.strip() for _, text in boxes if text.strip())[:MAX_TEXT]


def decode_qr(image) -> tuple[str, ...]:  # noqa: ANN001
    """The payloads of the QR codes in an image (zxing-cpp); () when there are none or it is not installed."""
    try:
        import zxingcpp
    except ImportError:
        return ()
    try:
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    except Exception as exc:  # noqa: BLE001
        log.warning("QR decoding failed: %s", exc)
        return ()
    return tuple(dict.fromkeys(b.text[:1000] for b in found if b.valid and b.text))


def _ms(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
