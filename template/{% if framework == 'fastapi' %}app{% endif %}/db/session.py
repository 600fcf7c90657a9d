"""The async engine and sessions. One engine per process; the pool matches the worker's concurrency."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import QueuePool

from app.core.config import get_settings


def create_engine(url: str | None = None) -> AsyncEngine:
    settings = get_settings()
    url = url or settings.async_database_url
    # No pre-ping: it costs a round trip per checkout; dead connections are dropped when they fail instead.
    options: dict = {"echo": settings.DATABASE_ECHO, "pool_pre_ping": settings.DATABASE_POOL_PRE_PING}
    if not url.startswith("sqlite"):
        options |= {"pool_size": settings.DATABASE_POOL_SIZE, "max_overflow": settings.DATABASE_POOL_SIZE, "pool_recycle": 1800}
    engine = create_async_engine(url, **options)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001
    """SQLite enforces foreign keys only when asked; WAL lets readers and a writer overlap."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def session_gate(engine: AsyncEngine) -> AbstractAsyncContextManager[object]:
    """A first-come, first-served gate as wide as the engine's pool, to hold around a request's session.

    When every pooled connection is busy, SQLAlchemy's async pool lets a request that has just arrived take a
    connection the moment it is returned, before the waiter it woke gets to run; that waiter then queues at the
    back again, so under load most requests are fast while a few wait for seconds. asyncio.Semaphore hands a
    released slot to its longest waiter (Python 3.11+), so requests wait here in arrival order instead, and the
    pool always has a connection for a slot holder.
    """
    pool = engine.pool
    if isinstance(pool, QueuePool) and pool._max_overflow >= 0:  # noqa: SLF001 - no public accessor
        return asyncio.Semaphore(pool.size() + pool._max_overflow)  # noqa: SLF001
    return contextlib.nullcontext()  # a pool without a limit (SQLite in memory shares one connection)


engine = create_engine()
SessionLocal = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
_session_gate = session_gate(engine)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with _session_gate, SessionLocal() as session:
        yield session
