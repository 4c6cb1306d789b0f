"""The database-backed TokenStore the WeChat API clients use, so several processes share one token."""
from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from datetime import datetime

from sqlalchemy.engine import Engine

from storage import tokens
from storage.db import session as new_session


class DbTokenStore:
    def __init__(self, engine: Engine, executor: Executor) -> None:
        self.engine, self.executor = engine, executor

    async def get(self, key: str) -> tuple[str, datetime] | None:
        return await asyncio.get_running_loop().run_in_executor(self.executor, self._get, key)

    async def put(self, key: str, token: str, expires_at: datetime) -> None:
        await asyncio.get_running_loop().run_in_executor(self.executor, self._put, key, token, expires_at)

    def _get(self, key: str) -> tuple[str, datetime] | None:
        with new_session(self.engine) as session:
            return tokens.get_token(session, key=key)

    def _put(self, key: str, token: str, expires_at: datetime) -> None:
        with new_session(self.engine) as session:
            tokens.put_token(session, key=key, token=token, expires_at=expires_at)
            session.commit()
