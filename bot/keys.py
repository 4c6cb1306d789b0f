"""Typed keys for what the app holds. No singletons: everything lives on the app."""
from __future__ import annotations

import asyncio
from concurrent.futures import Executor

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.clock import Clock
from bot.config import Config
from bot.intake import Intake
from bot.media.worker import MediaWorker
from bot.outbox import OutboxSender
from bot.pipeline import Pipeline
from bot.scheduling.scheduler import Scheduler

CONFIG = web.AppKey("config", Config)
CLOCK = web.AppKey("clock", Clock)
ENGINE = web.AppKey("engine", Engine)
EXECUTOR = web.AppKey("executor", Executor)
PIPELINE = web.AppKey("pipeline", Pipeline)
INTAKE = web.AppKey("intake", Intake)  # the group commit of accepted messages
OUTBOX = web.AppKey("outbox", OutboxSender)
SENDERS = web.AppKey("senders", dict)
SCHEDULER = web.AppKey("scheduler", Scheduler)
MEDIA = web.AppKey("media", MediaWorker)
FETCHERS = web.AppKey("fetchers", dict)
FREEZE_GC = web.AppKey("freeze_gc", bool)  # gc.freeze() once the start-up objects are loaded
WARM = web.AppKey("warm", asyncio.Event)  # set once the classifier and the FAQ are loaded: messages are handled
