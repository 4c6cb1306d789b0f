"""Small images for tests: a PNG of any size, a QR code, and bytes that only pretend to be an image."""
from __future__ import annotations

import io

from PIL import Image, ImageDraw


def make_png(width: int = 64, height: int = 48, color: tuple[int, int, int] = (240, 240, 240)) -> bytes:
    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle((4, 4, width // 2, height // 2), fill=(30, 30, 30))
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


def make_jpeg(width: int = 64, height: int = 48) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 220, 240)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def qr_png(payload: str, *, scale: int = 6, canvas: tuple[int, int] | None = None) -> bytes:
    """A QR code of ``payload`` (drawn by zxing-cpp), alone or pasted on a larger light canvas."""
    import zxingcpp

    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode).to_image(scale=scale)
    width, height = code.shape[1], code.shape[0]
    image = Image.frombytes("L", (width, height), bytes(code)).convert("RGB")
    if canvas:
        background = Image.new("RGB", canvas, (236, 236, 236))
        background.paste(image, ((canvas[0] - width) // 2, (canvas[1] - height) // 2))
        image = background
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


HTML_ERROR_PAGE = b"<html><body>502 Bad Gateway</body></html>"
