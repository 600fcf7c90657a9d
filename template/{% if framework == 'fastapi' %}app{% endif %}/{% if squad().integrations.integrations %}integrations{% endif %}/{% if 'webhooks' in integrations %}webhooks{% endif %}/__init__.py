"""Webhooks: signed outgoing deliveries with retries, and a verified, idempotent incoming receiver.

``emit`` records deliveries in the caller's transaction (so an event exists only if the change it
describes was committed); ``deliver`` sends one; ``on_incoming`` registers what to do with received events.
"""

from app.integrations.webhooks.routes import router
from app.integrations.webhooks.service import deliver, deliver_due, emit, on_incoming

__all__ = ["deliver", "deliver_due", "emit", "on_incoming", "router"]
