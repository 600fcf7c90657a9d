"""The async engine and sessions. One engine per process; the pool matches the worker's concurrency."""

from collections.abc import AsyncIterator

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

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


engine = create_engine()
SessionLocal = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session
