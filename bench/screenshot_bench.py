"""Screenshots, measured: ``python -m bench.screenshot_bench [--variants N] [--json]`` (part of ``make bench``).

Draws the conversations of tests/data/screenshot_texts.json as phone screenshots (tests/fakes/screenshots.py:
chat bubbles and SMS threads, five sizes, noise, blur, PNG and JPEG), reads each through the image-reading
pool the server uses (one process, sized for the machine), and classifies the words read. Reports, next to
the same conversations typed: fraud recall on the scam screenshots, false alarms on the ordinary ones (any
intent but chatter: the bot would act), and the time to read one image as a ratio to classifying one
message, both measured in this run. Needs the ocr extra and a CJK font (fonts-noto-cjk).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from collections import Counter


def main(argv: list[str] | None = None) -> None:
    args = _args(argv)
    from bot.media.pool import ImageReader, pool_size
    from bot.media.reading import ocr_installed
    from tests.fakes.screenshots import MISSING_FONT, font_path, screenshot_set

    if not ocr_installed() or font_path() is None:
        print("screenshot bench skipped: " + ("install the ocr extra (pip install -e '.[ocr]')"
                                              if not ocr_installed() else MISSING_FONT))
        return
    started = time.perf_counter()
    shots = screenshot_set(args.variants)
    render_s = time.perf_counter() - started
    reader = ImageReader.processes(use_ocr=True)
    try:
        readings = asyncio.run(_read_all(reader, [s.data for s in shots]))
    finally:
        reader.close()
    result = _score(shots, readings, render_s, pool_size())
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _report(result)


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.screenshot_bench")
    parser.add_argument("--variants", type=int, default=2, help="drawings of each conversation (default 2)")
    parser.add_argument("--json", action="store_true")
    return parser.parse_args(argv if argv is not None else sys.argv[1:] if __name__ == "__main__" else [])


async def _read_all(reader, images: list[bytes]) -> list:  # noqa: ANN001
    await reader.read(images[0])  # the pool's process loads the models once: not counted per image
    out = []
    for data in images:
        t0 = time.perf_counter()
        reading = await reader.read(data)
        out.append((reading, time.perf_counter() - t0))
    return out


def _score(shots: list, readings: list, render_s: float, pool: tuple[int, int]) -> dict:
    from handlers.nlu import get_classifier

    classifier = get_classifier()
    classifier.warm_up()
    typed, read, classify_times = Counter(), Counter(), []
    misses, alarms = [], []
    for shot, (reading, _) in zip(shots, readings):
        t0 = time.perf_counter()
        got = classifier.classify(reading.text).intent
        classify_times.append(time.perf_counter() - t0)
        was = classifier.classify(shot.text).intent
        if shot.kind == "scam":
            typed["scam_hit"] += was == "fraud"
            read["scam_hit"] += got == "fraud"
            if got != "fraud":
                misses.append({"name": shot.name, "read_as": got, "words": reading.text[:80]})
        else:
            typed["chatter_alarm"] += was != "chatter"
            read["chatter_alarm"] += got != "chatter"
            if got != "chatter":
                alarms.append({"name": shot.name, "read_as": got, "words": reading.text[:80]})
    n_scam = sum(s.kind == "scam" for s in shots)
    n_chat = len(shots) - n_scam
    read_ms = sorted(t * 1000 for _, t in readings)
    classify_ms = statistics.median(classify_times) * 1000
    return {
        "images": len(shots), "scam_images": n_scam, "chatter_images": n_chat, "pool": list(pool),
        "fraud_recall_from_images": round(read["scam_hit"] / n_scam, 3),
        "fraud_recall_typed": round(typed["scam_hit"] / n_scam, 3),
        "chatter_false_alarms_from_images": round(read["chatter_alarm"] / n_chat, 3),
        "chatter_false_alarms_typed": round(typed["chatter_alarm"] / n_chat, 3),
        "read_ms_median": round(statistics.median(read_ms), 1),
        "read_ms_p90": round(read_ms[int(len(read_ms) * .9)], 1),
        "read_ms_max": round(read_ms[-1], 1), "classify_ms_median": round(classify_ms, 3),
        "read_vs_classify": round(statistics.median(read_ms) / classify_ms),
        "render_s": round(render_s, 1), "misses": misses, "false_alarms": alarms,
    }


def _report(r: dict) -> None:
    print(f"screenshots: {r['images']} images ({r['scam_images']} scam, {r['chatter_images']} ordinary), "
          f"reading pool {r['pool'][0]} process × {r['pool'][1]} thread(s)")
    print(f"  fraud recall      from images {r['fraud_recall_from_images']:.1%}   typed {r['fraud_recall_typed']:.1%}")
    print(f"  chatter alarms    from images {r['chatter_false_alarms_from_images']:.1%}   "
          f"typed {r['chatter_false_alarms_typed']:.1%}")
    print(f"  read one image    median {r['read_ms_median']} ms, p90 {r['read_ms_p90']} ms, max {r['read_ms_max']} ms "
          f"= {r['read_vs_classify']}× classifying one message ({r['classify_ms_median']} ms)")
    for miss in r["misses"]:
        print(f"  missed  {miss['name']}: read as {miss['read_as']}: {miss['words']!r}")
    for alarm in r["false_alarms"]:
        print(f"  alarm   {alarm['name']}: read as {alarm['read_as']}: {alarm['words']!r}")


if __name__ == "__main__":
    main()
