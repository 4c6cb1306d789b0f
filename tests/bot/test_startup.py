"""Accept first: a serving app answers /healthz and stores messages while its classifier is still loading, and
handles them once it is warm (the classifier is built in the background, never inside a message)."""
from __future__ import annotations

import asyncio
import threading

from sqlmodel import select

from bot.app import create_app
from bot.keys import ENGINE, WARM
from handlers.nlu import Classifier, DeferredClassifier
from storage.db import session
from storage.models import Message
from tests.fakes.reader import FakeImageReader


async def test_the_server_accepts_while_the_classifier_loads_and_handles_once_warm(aiohttp_client, config, clock,
                                                                                   engine):
    release = threading.Event()

    def slow_classifier() -> Classifier:
        assert release.wait(timeout=30), "the test never released the classifier"
        return Classifier()

    deferred = DeferredClassifier(slow_classifier)
    app = create_app(config, clock=clock, engine=engine, background=True, classifier=deferred,
                     image_reader=FakeImageReader())
    client = await aiohttp_client(app)
    health = await (await client.get("/healthz")).json()
    assert health == {"status": "ok", "handling": "warming"} and not deferred.built
    resp = await client.post("/sandbox/messages", json={"group_id": "grid-1", "sender_id": "resident-1",
                                                         "text": "楼上天天晚上拖椅子，吵得睡不着"})
    assert resp.status == 200
    with session(app[ENGINE]) as s:
        stored = s.exec(select(Message)).all()
        assert len(stored) == 1 and stored[0].handled_at is None

    release.set()
    try:
        await asyncio.wait_for(app[WARM].wait(), timeout=30)
        assert deferred.built and (await (await client.get("/healthz")).json())["handling"] == "ready"
    finally:
        await client.close()  # stop the workers before the engine fixture closes the database


def test_a_deferred_classifier_is_built_once_by_concurrent_callers():
    built = []

    def factory() -> Classifier:
        built.append(1)
        return Classifier()

    deferred = DeferredClassifier(factory)
    threads = [threading.Thread(target=deferred.classify, args=("你好",)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built == [1] and deferred.classify("楼道里有煤气味").intent == "help"
