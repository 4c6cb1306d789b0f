"""Time to classify one message on one core, and start-up cost: ``python -m bench.classify_bench``.

Start-up (import + jieba dictionary + model + cue tables) is measured in a fresh subprocess so that
nothing is cached.  Messages are built in code (no corpus needed); numbers are per call, one thread.
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


def main() -> None:
    startup = measure_startup()
    timings = measure_classify()
    median = statistics.median(timings) * 1000
    p99 = timings[int(len(timings) * 0.99) - 1] * 1000
    print(f"classify: n={len(timings)} median={median:.3f} ms p99={p99:.3f} ms (one core, one thread)")
    print(f"start-up: import + warm_up (jieba dictionary, model, cue tables) = {startup:.2f} s (median of 3)")


if __name__ == "__main__":
    main()
