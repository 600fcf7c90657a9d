"""Recording audit events inside the caller's transaction, so the event and the change commit together."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import AuditEvent


def record(
    session: AsyncSession,
    action: str,
    *,
    actor_id: int | None = None,
    target_type: str | None = None,
    target_id: int | str | None = None,
) -> AuditEvent:
    """Add an event to ``session`` without committing: the caller's commit writes it with the change it describes."""
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
    )
    session.add(event)
    return event
