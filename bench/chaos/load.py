"""The load: residents' messages posted to /bridge as a gateway would, retried on another process until stored."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import random
import time
from dataclasses import dataclass

import aiohttp

from bench.chaos.cluster import ROOMS, SECRET, Cluster

# (kind, text): each resident says one of these once, so a second case for one resident is a message handled twice
TEXTS = (
    ("help", "救命 我家老人在楼道摔倒了 起不来 快来人"),
    ("help", "有人在小区门口打架 拿着刀 快报警"),
    ("dispute", "楼上天天半夜吵 蹦迪一样 睡不着"),
    ("dispute", "隔壁邻居把垃圾堆在楼道里 说了好几次都不听"),
    ("fraud", "有人打电话说我涉嫌洗钱 让我把钱转到安全账户"),
    ("inquiry", "居住证怎么办理 需要带什么材料"),
    ("inquiry", "身份证丢了去哪里补办"),
    ("chatter", "收到 谢谢"),
    ("chatter", "早上好"),
)


@dataclass
class Sent:
    msg_id: str
    sender: str
    kind: str
    accepted_at: float = 0.0  # when a process first answered 200; 0: never stored
    tries: int = 0


def signed(body: bytes) -> dict:
    ts = str(int(time.time()))
    return {"Content-Type": "application/json", "X-Bridge-Timestamp": ts,
            "X-Bridge-Signature": hmac.new(SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()}


async def post_until_stored(http: aiohttp.ClientSession, cluster: Cluster, sent: Sent, body: bytes,
                            rng: random.Random, give_up_after: float = 90) -> None:
    """Like a gateway: another process (or the same, later) after a refused connection, a 5xx or a timeout."""
    started = time.monotonic()
    while time.monotonic() - started < give_up_after:
        live = cluster.ready()
        if live:
            sent.tries += 1
            try:
                async with http.post(f"{cluster.base(rng.choice(live))}/bridge", data=body, headers=signed(body),
                                     timeout=aiohttp.ClientTimeout(total=5)) as resp:
                    if resp.status == 200:
                        sent.accepted_at = time.time()
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError):
                pass
        await asyncio.sleep(0.3)


async def run_load(cluster: Cluster, *, messages: int, seconds: float, seed: int) -> list[Sent]:
    rng = random.Random(seed)
    out: list[Sent] = []
    tasks = []
    async with aiohttp.ClientSession() as http:
        for n in range(messages):
            kind, text = TEXTS[n % len(TEXTS)]
            grid = rng.choice(sorted(ROOMS))
            sent = Sent(f"chaos-{seed}-{n}", f"wxid-chaos-{seed}-{n}", kind)
            event = {"v": 1, "source": "chaos", "event": "message", "msg_id": sent.msg_id, "ts": int(time.time()),
                     "room": {"id": rng.choice(ROOMS[grid]), "topic": grid},
                     "talker": {"id": sent.sender, "name": f"居民{n}"}, "mention_self": False,
                     "msg_type": "text", "text": text}
            body = json.dumps(event, ensure_ascii=False).encode()
            out.append(sent)
            tasks.append(asyncio.create_task(post_until_stored(http, cluster, sent, body, rng)))
            await asyncio.sleep(seconds / messages)
        await asyncio.gather(*tasks)
    return out
