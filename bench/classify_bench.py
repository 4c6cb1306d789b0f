"""Time to classify one message on one core, start-up cost, and the worst inputs found:
``python -m bench.classify_bench``.

Start-up (import + jieba dictionary + model + cue tables) is measured in a fresh subprocess so that
nothing is cached.  Messages are built in code (no corpus needed); numbers are per call, one thread.
The worst inputs are the pathological texts of tests/handlers/test_nlu_properties.py (numeral runs that
used to make the amount pattern backtrack in cubic time, emoji floods, long random Unicode), timed through
the entity extractor alone and through the whole classifier.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time

SAMPLES = (
    "请问新生儿上户口要带什么材料 户主不在本地能办吗",
    "楼上天天半夜拖椅子 说了好几次也不听 @网格员 能不能管管",
    "刚接到电话说是公安局的 说我涉嫌洗钱 让我把钱转到安全账户 我现在在银行",
    "【惠民贷】您已通过审核 最高可借50万 无需抵押 点击链接立即提现",
    "3号楼楼道里全是烟 好像着火了 快打119",
    "收到👌 谢谢警官",
    "今天社区的反诈讲座讲得真好 学到了很多",
    "請問居住證在哪裡辦 要帶什麼材料",
    "隔壁装修早上七点就开电钻 物业也不管 8栋2单元301 明天下午3点再去找他们",
    "兄弟 你这个号我出两千收 我们去游戏交易网交易 有官方担保 很安全 你先注册一下 交个保证金",
)
STARTUP_CODE = (
    "import time; t=time.perf_counter(); import handlers.nlu as n; n.warm_up(); "
    "print(time.perf_counter()-t)"
)


def measure_startup(runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STARTUP_CODE], capture_output=True, text=True, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def measure_classify(rounds: int = 300) -> list[float]:
    from handlers.nlu import get_classifier

    classifier = get_classifier()
    classifier.warm_up()
    timings = []
    for _ in range(rounds):
        for text in SAMPLES:
            t0 = time.perf_counter()
            classifier.classify(text)
            timings.append(time.perf_counter() - t0)
    return sorted(timings)


WORST = {
    "一*5000": "一" * 5000,
    "1*5000": "1" * 5000,
    "mixed numerals": "一1二2三万3.5元" * 500,
    "emoji flood": "😀🙏🔥👍" * 1250,
    "stickers": "[捂脸]" * 1000,
    "@mentions": "@张警官\u2005" * 700,
    "random CJK": "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(5000)),
}


def measure_worst(rounds: int = 5) -> list[tuple[str, float, float]]:
    from handlers.nlu import get_classifier
    from handlers.nlu.entities import extract_entities

    classifier = get_classifier()
    out = []
    for name, text in WORST.items():
        ents = min(_timed(extract_entities, text) for _ in range(rounds))
        whole = min(_timed(classifier.classify, text) for _ in range(rounds))
        out.append((name, ents * 1000, whole * 1000))
    return out


def _timed(fn, arg) -> float:
    t0 = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t0


def main() -> None:
    startup = measure_startup()
    timings = measure_classify()
    median = statistics.median(timings) * 1000
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    print(f"classify: n={len(timings)} median={median:.3f} ms p99={p99:.3f} ms (one core, one thread)")
    print(f"start-up: import + warm_up (jieba dictionary, model, cue tables) = {startup:.2f} s (median of 3)")
    for name, ents, whole in measure_worst():
        print(f"worst input {name:<15} ({len(WORST[name])} chars): entities {ents:.2f} ms, classify {whole:.2f} ms")


if __name__ == "__main__":
    main()
