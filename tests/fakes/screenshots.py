"""Screenshots made by the tests themselves: scam chats and ordinary chats (tests/data/screenshot_texts.json)
drawn as a phone would show them — chat bubbles or an SMS thread, with a status bar, different sizes, noise,
blur and JPEG artefacts — with Pillow and a CJK font (Debian's fonts-noto-cjk; .ci/run installs it)."""
from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

TEXTS = Path(__file__).resolve().parent.parent / "data" / "screenshot_texts.json"
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
SIZES = ((720, 1280), (540, 960), (1080, 1920), (720, 900), (600, 1066))
MISSING_FONT = "no CJK font: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk), as .ci/run does"


@dataclass(frozen=True)
class Shot:
    kind: str  # scam, chatter
    scam_type: str | None
    text: str  # the conversation's words, as typed
    data: bytes
    name: str  # e.g. scam-07-v1.png


@cache
def font_path() -> str | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"], capture_output=True,
                               text=True, check=False).stdout.strip()
        if found and Path(found).exists() and "CJK" in found:
            return found
    return None


def conversations() -> dict[str, list[dict]]:
    return json.loads(TEXTS.read_text(encoding="utf-8"))


def screenshot_set(variants: int = 2, *, limit: int | None = None) -> list[Shot]:
    """Every conversation drawn ``variants`` times (different size, layout details and noise each time)."""
    data = conversations()
    shots = []
    for kind in ("scam", "chatter"):
        for n, conv in enumerate(data[kind][:limit]):
            for v in range(variants):
                seed = n * 31 + v * 7 + (0 if kind == "scam" else 500)
                fmt = "jpeg" if v % 2 else "png"
                name = f"{kind}-{n:02d}-v{v}.{'jpg' if fmt == 'jpeg' else 'png'}"
                shots.append(Shot(kind, conv.get("scam_type"), conversation_text(conv),
                                  render(conv, seed=seed, fmt=fmt), name))
    return shots


def conversation_text(conv: dict) -> str:
    return "\n".join(text for _, text in conv["lines"])


def render(conv: dict, *, seed: int = 0, fmt: str = "png") -> bytes:
    path = font_path()
    if path is None:
        raise RuntimeError(MISSING_FONT)
    rng = random.Random(seed)
    width, height = SIZES[seed % len(SIZES)]
    scale = width / 720
    image = Image.new("RGB", (width, height), (255, 255, 255) if conv.get("sms") else (237, 237, 237))
    draw = ImageDraw.Draw(image)
    fonts = _Fonts(path, scale, rng)
    y = _status_bar(draw, width, scale, fonts, rng)
    y = _title_bar(draw, width, y, conv["title"], scale, fonts, sms=bool(conv.get("sms")))
    y += int(rng.randint(20, 60) * scale)
    stamp = rng.choice(["昨天 20:15", "11月2日 上午9:03", "星期一 14:27", "10:32", "下午3:48"])
    y = _centered(draw, width, y, stamp, fonts.small, (150, 150, 150)) + int(24 * scale)
    for side, text in conv["lines"]:
        y = _bubble(draw, width, y, side, text, scale, fonts, sms=bool(conv.get("sms")), rng=rng)
        if y > height - 120 * scale:
            break
    _input_bar(draw, width, height, scale)
    image = _noise(image, rng)
    buf = io.BytesIO()
    if fmt == "jpeg":
        image.save(buf, "JPEG", quality=rng.randint(55, 85))
    else:
        image.save(buf, "PNG")
    return buf.getvalue()


class _Fonts:
    def __init__(self, path: str, scale: float, rng: random.Random) -> None:
        size = int(rng.choice((28, 30, 32, 34)) * scale)
        self.body = ImageFont.truetype(path, size)
        self.small = ImageFont.truetype(path, max(12, int(size * 0.68)))
        self.title = ImageFont.truetype(path, int(size * 1.05))
        self.size = size


def _status_bar(draw: ImageDraw.ImageDraw, width: int, scale: float, fonts: _Fonts, rng: random.Random) -> int:
    height = int(48 * scale)
    draw.text((int(24 * scale), int(8 * scale)), f"{rng.randint(7, 22)}:{rng.randint(0, 59):02d}", font=fonts.small,
              fill=(20, 20, 20))
    x = width - int(90 * scale)
    draw.rectangle((x, int(16 * scale), x + int(50 * scale), int(34 * scale)), outline=(20, 20, 20), width=2)
    draw.rectangle((x + 3, int(19 * scale), x + int(rng.randint(15, 47) * scale), int(31 * scale)), fill=(20, 20, 20))
    return height


def _title_bar(draw: ImageDraw.ImageDraw, width: int, y: int, title: str, scale: float, fonts: _Fonts,
               sms: bool) -> int:
    height = int(88 * scale)
    fill = (247, 247, 247) if sms else (237, 237, 237)
    draw.rectangle((0, y, width, y + height), fill=fill)
    draw.text((int(24 * scale), y + int(20 * scale)), "<", font=fonts.title, fill=(30, 30, 30))
    _centered(draw, width, y + int(20 * scale), title, fonts.title, (20, 20, 20))
    draw.line((0, y + height, width, y + height), fill=(215, 215, 215), width=1)
    return y + height


def _centered(draw: ImageDraw.ImageDraw, width: int, y: int, text: str, font: ImageFont.FreeTypeFont,
              fill: tuple[int, int, int]) -> int:
    length = draw.textlength(text, font=font)
    draw.text(((width - length) / 2, y), text, font=font, fill=fill)
    return y + int(font.size * 1.3)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > max_width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def _bubble(draw: ImageDraw.ImageDraw, width: int, y: int, side: str, text: str, scale: float, fonts: _Fonts,
            sms: bool, rng: random.Random) -> int:
    mine = side == "me"
    avatar = 0 if sms else int(72 * scale)
    margin, pad = int(20 * scale), int(18 * scale)
    max_text = width * 0.62
    lines = _wrap(draw, text, fonts.body, max_text)
    text_w = max(draw.textlength(line, font=fonts.body) for line in lines)
    line_h = int(fonts.size * 1.38)
    box_w, box_h = int(text_w + 2 * pad), int(len(lines) * line_h + 2 * pad - (line_h - fonts.size))
    if mine:
        x1 = width - margin - avatar - int(14 * scale)
        x0 = x1 - box_w
        colour = (10, 132, 255) if sms else (149, 236, 105)
    else:
        x0 = margin + avatar + int(14 * scale)
        x1 = x0 + box_w
        colour = (233, 233, 235) if sms else (255, 255, 255)
    if avatar:
        ax = width - margin - avatar if mine else margin
        tint = tuple(rng.randint(90, 200) for _ in range(3))
        draw.rounded_rectangle((ax, y, ax + avatar, y + avatar), radius=int(8 * scale), fill=tint)
    draw.rounded_rectangle((x0, y, x1, y + box_h), radius=int(14 * scale), fill=colour)
    ink = (255, 255, 255) if (mine and sms) else (25, 25, 25)
    for i, line in enumerate(lines):
        draw.text((x0 + pad, y + pad + i * line_h - int(fonts.size * 0.12)), line, font=fonts.body, fill=ink)
    return y + max(box_h, avatar) + int(rng.randint(22, 40) * scale)


def _input_bar(draw: ImageDraw.ImageDraw, width: int, height: int, scale: float) -> None:
    top = height - int(100 * scale)
    draw.rectangle((0, top, width, height), fill=(246, 246, 246))
    draw.rounded_rectangle((int(90 * scale), top + int(20 * scale), width - int(170 * scale), top + int(80 * scale)),
                           radius=int(10 * scale), fill=(255, 255, 255))


def _noise(image: Image.Image, rng: random.Random) -> Image.Image:
    """Sensor-like grain, a touch of blur on some, as screenshots look after being forwarded a few times."""
    grain = Image.effect_noise(image.size, rng.choice((6, 10, 16))).convert("RGB")
    image = Image.blend(image, grain, rng.choice((0.03, 0.05, 0.08)))
    if rng.random() < 0.4:
        image = image.filter(ImageFilter.GaussianBlur(rng.choice((0.5, 0.8))))
    return image
