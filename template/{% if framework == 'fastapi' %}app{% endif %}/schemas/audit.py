"""What the audit log returns."""

from app.schemas.common import ReadSchema, UtcDatetime


class AuditEventRead(ReadSchema):
    """One recorded action: who (``actor_id``, null for the system or an unknown caller), what and on which row."""

    id: int
    created_at: UtcDatetime
    actor_id: int | None
    action: str
    target_type: str | None
    target_id: str | None
