"""The audit log, newest first, for admins: who logged in, changed keys, deleted or restored rows."""

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from app.api.crud import paginate
from app.api.deps import Auditor, SessionDep
from app.core.errors import problem_responses
from app.models import AuditEvent
from app.schemas.audit import AuditEventRead
from app.schemas.common import NO_NUL, Page

router = APIRouter(prefix="/audit-events", tags=["audit"], responses=problem_responses(401))


@router.get("", response_model=Page[AuditEventRead], responses=problem_responses(403, 422))
async def list_audit_events(
    session: SessionDep,
    principal: Auditor,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    action: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    actor_id: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
) -> Page[AuditEventRead]:
    """Filter by exact ``action`` and ``actor_id``; the id orders events, so ties in time keep their order."""
    query = select(AuditEvent)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    rows, total = await paginate(session, query.order_by(AuditEvent.id.desc()), limit, offset)
    return Page[AuditEventRead](items=[AuditEventRead.model_validate(row) for row in rows], total=total, limit=limit,
                                offset=offset)
