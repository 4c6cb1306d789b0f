"""What a fetched medium may be: its size per kind, and its type by its first bytes (not by what it claims)."""
from __future__ import annotations

from dataclasses import dataclass

from bot.channels.base import PermanentFailure

# (magic bytes at offset, content type, extension); RIFF/ftyp containers are checked by their brand below.
_SIGNATURES: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"GIF87a", 0, "image/gif", "gif"),
    (b"GIF89a", 0, "image/gif", "gif"),
    (b"BM", 0, "image/bmp", "bmp"),
    (b"#!AMR", 0, "audio/amr", "amr"),
    (b"#!SILK", 0, "audio/silk", "silk"),
    (b"\x02#!SILK", 0, "audio/silk", "silk"),
    (b"OggS", 0, "audio/ogg", "ogg"),
    (b"ID3", 0, "audio/mpeg", "mp3"),
    (b"\xff\xfb", 0, "audio/mpeg", "mp3"),
    (b"\xff\xf3", 0, "audio/mpeg", "mp3"),
    (b"fLaC", 0, "audio/flac", "flac"),
    (b"%PDF-", 0, "application/pdf", "pdf"),
    (b"PK\x03\x04", 0, "application/zip", "zip"),  # docx, xlsx, pptx, zip
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "application/msword", "doc"),  # doc, xls, ppt
    (b"\x1aE\xdf\xa3", 0, "video/webm", "webm"),
    (b"Rar!\x1a\x07", 0, "application/x-rar", "rar"),
)
_RIFF = {b"WEBP": ("image/webp", "webp"), b"WAVE": ("audio/wav", "wav"), b"AVI ": ("video/x-msvideo", "avi")}
_FTYP_AUDIO = (b"M4A ", b"M4B ")
_TEXT_FILE = ("text/plain", "txt")

ALLOWED: dict[str, frozenset[str]] = {
    "image": frozenset({"image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp"}),
    "voice": frozenset({"audio/amr", "audio/silk", "audio/ogg", "audio/mpeg", "audio/wav", "audio/mp4", "audio/flac"}),
    "video": frozenset({"video/mp4", "video/quicktime", "video/webm", "video/x-msvideo"}),
    "file": frozenset({"application/pdf", "application/zip", "application/msword", "application/x-rar",
                       "text/plain", "image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp",
                       "audio/amr", "audio/mpeg", "audio/wav", "audio/mp4", "video/mp4", "video/quicktime"}),
}
READABLE_IMAGES = ALLOWED["image"]


@dataclass(frozen=True)
class Checked:
    content_type: str
    extension: str
    size: int


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the first bytes; None when the bytes are of no type we keep."""
    for magic, offset, content_type, ext in _SIGNATURES:
        if data[offset:offset + len(magic)] == magic:
            return content_type, ext
    if data[:4] == b"RIFF" and data[8:12] in _RIFF:
        return _RIFF[data[8:12]]
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in _FTYP_AUDIO:
            return "audio/mp4", "m4a"
        return ("video/quicktime", "mov") if brand == b"qt  " else ("video/mp4", "mp4")
    if _plain_text(data[:4096]):
        return _TEXT_FILE
    return None


def _plain_text(head: bytes) -> bool:
    if not head or b"\x00" in head or head.lstrip()[:1] == b"<":  # markup: an error page, not a document
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def check(kind: str, data: bytes, max_bytes: int) -> Checked:
    """The medium's type and size, or PermanentFailure naming why it is refused (too large, wrong type)."""
    if len(data) > max_bytes:
        raise PermanentFailure(f"too large: {len(data)} bytes, the {kind} limit is {max_bytes}")
    if not data:
        raise PermanentFailure("empty: the platform answered no bytes")
    found = sniff(data)
    if found is None or found[0] not in ALLOWED.get(kind, frozenset()):
        what = found[0] if found else "unknown"
        raise PermanentFailure(f"wrong type: a {kind} that is {what}")
    return Checked(found[0], found[1], len(data))
