"""The app factory: one cleanup_ctx per long-lived resource, no business logic."""
from __future__ import annotations

import asyncio
import gc
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any, AsyncIterator

import aiohttp
from aiohttp import web
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.channels import registry
from bot.channels.base import Sender, SenderDeps
from bot.channels.wechat.token_store import DbTokenStore
from bot.clock import Clock, SystemClock
from bot.config import Config
from bot.follower_notices import FOLLOWERS, FollowerNotices
from bot.intake import Intake
from bot.keys import (CLOCK, CONFIG, ENGINE, EXECUTOR, FETCHERS, FREEZE_GC, INTAKE, MEDIA, OUTBOX, PIPELINE, SENDERS,
                      WARM)
from bot.media.pool import ImageReader
from bot.media.store import make_store
from bot.media.worker import MediaWorker
from bot.outbox import OutboxSender
from bot.measuring import TimedClassifier
from bot.pipeline import Pipeline
from bot.scheduling.lifecycle import scheduler_ctx
from bot.wake import stop_tasks
from bot.web import api, console, edge, health, households, metrics
from bot.web import media as media_routes
from handlers import nlu
from handlers.dispatch import build_routes
from storage import migrate
from storage.db import make_engine, single_connection
from storage.db import session as new_session
from storage.sync import sync_community

log = logging.getLogger(__name__)


def create_app(
    config: Config, *, clock: Clock | None = None, engine: Engine | None = None,
    senders: dict[str, Sender] | None = None, background: bool = True, classifier: Any = None,
    freeze_gc: bool = False, image_reader: ImageReader | None = None, instance: str | None = None,
) -> web.Application:
    """Build the app. ``background=False`` leaves the workers and sender to be driven step by step (tests);
    ``image_reader``: how images are read (default: a pool of processes sized for the machine); ``instance``:
    this process's name on its outbox leases (default ``[outbox] instance``, else one unique to the process)."""
    app = web.Application(middlewares=[edge.refuse_bad_input, api.require_token, console.middleware],
                          client_max_size=256 * 1024)
    app[CONFIG] = config
    app[CLOCK] = clock or SystemClock()
    app.cleanup_ctx.append(_database(engine))
    app.cleanup_ctx.append(_intake)
    app.cleanup_ctx.append(_channel_senders)
    app.cleanup_ctx.append(_workers(senders, background, classifier, image_reader, instance))
    app.cleanup_ctx.append(scheduler_ctx(background))
    app[FREEZE_GC] = freeze_gc
    app[WARM] = asyncio.Event()
    health.add_routes(app)
    api.add_routes(app)
    metrics.add_routes(app)
    households.add_routes(app)
    media_routes.add_routes(app)
    console.add_routes(app)
    registry.add_routes(app, config, app[CLOCK], accept=lambda msg: app[PIPELINE].accept(msg))
    return app


def _database(engine: Engine | None):  # noqa: ANN202
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        owned = engine is None
        db = app[CONFIG].database
        app[ENGINE] = engine or make_engine(db.url, pool_size=db.pool_size, max_overflow=db.max_overflow)
        if owned and migrate.behind(app[ENGINE]):
            raise RuntimeError(f"database schema is behind ({migrate.current(app[ENGINE])} < {migrate.head()}): "
                               "run `gridbot db upgrade`")
        single = app[ENGINE].dialect.name == "sqlite"  # SQLite has one writer: one DB thread avoids lock waits
        # a connection each, one left for the scheduler's leader lock and one for the intake's writer
        threads = 1 if single else max(1, min(8, db.pool_size - 2))
        app[EXECUTOR] = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="db")
        changes = sync_roster(app[ENGINE], app[CONFIG], app[CLOCK].now())
        if changes:
            log.info("community synced: %d change(s)", len(changes))
        yield
        app[EXECUTOR].shutdown(wait=True)
        if owned:
            app[ENGINE].dispose()
    return ctx


def sync_roster(engine: Engine, config: Config, now: Any = None, *, tries: int = 3) -> list[str]:
    """Bring config.toml's community into the database (at start-up, and before the demo's passwords are set).

    Processes started together race to insert the same new rows: the one that loses finds them on its next try."""
    from datetime import datetime, timezone

    for attempt in range(1, tries + 1):
        try:
            with new_session(engine) as session:
                changes = sync_community(session, config=config, now=now or datetime.now(timezone.utc),
                                         direct=registry.directory().direct)
                session.commit()
            return changes
        except IntegrityError:
            if attempt == tries:
                raise
            log.info("community sync met another process's rows; syncing again")
    return []


async def _intake(app: web.Application) -> AsyncIterator[None]:
    """The group commit of accepted messages, on a writer thread of its own (in-memory SQLite: one connection for
    every thread, so the writer takes its turn on the database executor). Stopping: refuse new messages, write
    and answer the ones queued."""
    engine = app[ENGINE]
    app[INTAKE] = Intake(engine=engine, executor=app[EXECUTOR] if single_connection(engine) else None,
                         on_stored=lambda new, with_media: app[PIPELINE].stored(new, with_media))
    yield
    await app[INTAKE].close()


async def _channel_senders(app: web.Application) -> AsyncIterator[None]:
    """One HTTP session for every outbound WeChat call; tokens shared through the database."""
    async with aiohttp.ClientSession() as session:
        store = DbTokenStore(app[ENGINE], app[EXECUTOR])
        deps = SenderDeps(session=session, clock=app[CLOCK], token_store=store, config=app[CONFIG])
        app[SENDERS] = registry.build_senders(app[CONFIG], deps)
        app[FETCHERS] = registry.build_fetchers(app[CONFIG], deps)
        yield


def _workers(senders: dict[str, Sender] | None, background: bool, classifier: Any,  # noqa: ANN202
             image_reader: ImageReader | None, instance: str | None):
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        config = app[CONFIG]
        timings = app[metrics.TIMINGS]  # what /metrics shows of this process: classifying, handling
        own_classifier = TimedClassifier(classifier or nlu.DeferredClassifier(), timings)
        all_senders: dict[str, Sender] = {**app[SENDERS], **(senders or {})}
        if registry.template_id(config) and "mp" in all_senders:  # a group's notices may reach its followers
            all_senders.setdefault(FOLLOWERS, FollowerNotices(engine=app[ENGINE], executor=app[EXECUTOR],
                                                              clock=app[CLOCK], tz=config.tz))
        app[OUTBOX] = OutboxSender(engine=app[ENGINE], executor=app[EXECUTOR], clock=app[CLOCK],
                                   senders=all_senders, batch=config.outbox.batch,
                                   lease=timedelta(seconds=config.outbox.lease_seconds),
                                   instance=instance or config.outbox.instance or None,
                                   routes=registry.failover_routes(config))
        reader = image_reader or ImageReader.processes(workers=config.media.ocr_workers,
                                                       use_ocr=config.media.ocr != "off")
        app[MEDIA] = MediaWorker(engine=app[ENGINE], executor=app[EXECUTOR], clock=app[CLOCK], config=config,
                                 store=make_store(config.media.root), fetchers=app[FETCHERS], reader=reader,
                                 on_ready=lambda: app[PIPELINE].wake.set())
        app[PIPELINE] = Pipeline(
            observe=timings.observe, engine=app[ENGINE], executor=app[EXECUTOR], config=config, clock=app[CLOCK],
            classifier=own_classifier, routes=build_routes(config.commands.aliases),
            channels=registry.directory(), intake=app[INTAKE],
            on_written=app[OUTBOX].wake.set, on_media=app[MEDIA].wake.set,
        )
        loops, outbox_loop = [], None
        if background:
            # Accept first: the port answers (and messages are stored) while the classifier and the FAQ load;
            # the pipeline handles the first message once they are warm, the outbox drains meanwhile.
            loops = [asyncio.create_task(_warm_then_handle(app), name="pipeline"),
                     asyncio.create_task(app[MEDIA].run_forever(), name="media")]
            outbox_loop = asyncio.create_task(app[OUTBOX].run_forever(), name="outbox")
        else:
            await _warm(app)
        yield
        # the outbox lets its sends in flight end (a cut-off send may have arrived, and would go out twice)
        await asyncio.gather(stop_tasks(loops), *([app[OUTBOX].stop(outbox_loop)] if outbox_loop else []))
        if image_reader is None:
            reader.close()
    return ctx


def _freeze_gc() -> None:
    """Everything loaded at start (classifier, jieba, roster caches) lives as long as the process: keep it out
    of the cyclic collector, whose full passes otherwise take tens of milliseconds."""
    gc.collect()
    gc.freeze()


async def _warm(app: web.Application) -> None:
    """Build the app's own classifier (one per app, so run-time scam words never leak between apps), load the
    officer-added scam words and the FAQ's index: before message one, never inside it."""
    loop = asyncio.get_running_loop()
    classifier = app[PIPELINE].classifier
    classifier = getattr(classifier, "inner", classifier)  # the classifier inside its timer
    if isinstance(classifier, nlu.DeferredClassifier):
        await loop.run_in_executor(None, classifier.real)  # not in the database threads messages are stored by
    await loop.run_in_executor(app[EXECUTOR], app[PIPELINE].refresh_scam_words)
    await loop.run_in_executor(None, app[PIPELINE].faq.warm_up)
    if app[FREEZE_GC]:
        _freeze_gc()
    app[WARM].set()


async def _warm_then_handle(app: web.Application) -> None:
    started = time.perf_counter()
    await _warm(app)
    log.info("classifier and FAQ ready in %.2f s; handling messages", time.perf_counter() - started)
    app[MEDIA].reader.warm()  # the OCR processes start after the classifier, not competing with it
    await app[PIPELINE].run_forever()
