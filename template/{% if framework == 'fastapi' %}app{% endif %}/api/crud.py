"""Query helpers every resource router uses: visibility, pagination, sorting and reference checks."""

from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException, status
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.security import Principal
from app.db.base import Base


def visible(model: type[Base], principal: Principal) -> Select:
    """Rows the caller may see: owned rows only to their owner (admins see all); soft-deleted rows to no one."""
    query = select(model)
    if hasattr(model, "deleted_at"):
        query = query.where(model.deleted_at.is_(None))
    if hasattr(model, "owner_id") and not principal.is_admin:
        query = query.where(model.owner_id == principal.user_id)
    return query


def apply_filters(query: Select, model: type[Base], filters: dict[str, Any]) -> Select:
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(model, name) == value)
    return query


def apply_sort(query: Select, model: type[Base], sort: str) -> Select:
    """``sort=-price`` sorts descending; the id breaks ties so pages never overlap."""
    descending = sort.startswith("-")
    column = getattr(model, sort.lstrip("-"))
    order = column.desc() if descending else column.asc()
    return query.order_by(order, model.id.desc() if descending else model.id.asc())


async def paginate(session: AsyncSession, query: Select, limit: int, offset: int) -> tuple[Sequence[Any], int]:
    """The page and the total in one round trip (a window count); a separate count only past the last page."""
    rows = (await session.execute(query.add_columns(func.count().over()).limit(limit).offset(offset))).all()
    if rows:
        return [row[0] for row in rows], int(rows[0][1])
    if offset == 0:
        return [], 0
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    return [], int(total or 0)


async def get_visible_or_404(session: AsyncSession, model: type[Base], item_id: int, principal: Principal) -> Any:
    item = await session.scalar(visible(model, principal).where(model.id == item_id))
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{model.__name__} {item_id} not found.")
    return item


async def ensure_reference(session: AsyncSession, model: type[Base], item_id: int | None, principal: Principal,
                           field: str) -> None:
    """A foreign key must point at a row the caller can see, or the request is invalid (422)."""
    if item_id is None:
        return
    found = await session.scalar(visible(model, principal).with_only_columns(model.id).where(model.id == item_id))
    if found is None:
        raise HTTPException(422, f"{field}: {model.__name__} {item_id} not found.")


async def load_references(session: AsyncSession, model: type[Base], ids: list[int], principal: Principal,
                          field: str) -> list[Any]:
    """Rows for a many-to-many id list; every id must exist and be visible."""
    unique_ids = sorted(set(ids))
    if not unique_ids:
        return []
    rows = (await session.scalars(visible(model, principal).where(model.id.in_(unique_ids)))).all()
    missing = sorted(set(unique_ids) - {row.id for row in rows})
    if missing:
        raise HTTPException(422, f"{field}: {model.__name__} {missing} not found.")
    return list(rows)
