"""The envelope every event carries: identity, the case, the causal chain, the producer, a trace.

Department code never builds one; the runtime derives it from the triggering event.
"""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any


def new_traceparent(parent: str | None = None) -> str:
    """W3C traceparent: keep the parent's trace id, open a new span."""
    trace_id = parent.split("-")[1] if parent and parent.count("-") == 3 else secrets.token_hex(16)
    return f"00-{trace_id}-{secrets.token_hex(8)}-01"


def now_millis() -> int:
    return int(time.time() * 1000)


def new_envelope(
    *,
    event_type: str,
    case_id: str,
    department: str,
    agent_version: str,
    subject: str,
    cause: dict[str, Any] | None = None,
    event_id: str | None = None,
    occurred_at: int | None = None,
) -> dict[str, Any]:
    """An envelope for a new event; ``cause`` is the triggering event's envelope, if any."""
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "event_type": event_type,
        "occurred_at": now_millis() if occurred_at is None else occurred_at,
        "case_id": case_id,
        "correlation_id": cause["correlation_id"] if cause else case_id,
        "causation_id": str(cause["event_id"]) if cause else None,
        "producer": {"department": department, "agent_version": agent_version},
        "subject": subject,
        "trace": new_traceparent(cause["trace"] if cause else None),
    }


def derived_event_id(cause_id: str, producer: str, index: int) -> str:
    """The same cause handled again yields the same ids, so downstream dedup absorbs redeliveries."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"onething:{cause_id}:{producer}:{index}"))
