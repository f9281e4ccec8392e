"""Events as department code sees them: a type, a payload and (once published) an envelope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Event:
    """A decoded event. ``type`` is the record's short name, e.g. ``BusinessLicenseIssued``."""

    type: str
    payload: dict[str, Any]
    envelope: dict[str, Any]
    topic: str = ""
    # For a joined matter (all-of triggers): the event ids of every trigger, the last one last. The
    # envelope is the last trigger's; this keeps the others visible to the handler.
    joined: tuple[str, ...] = ()

    @property
    def event_id(self) -> str:
        return str(self.envelope["event_id"])

    @property
    def case_id(self) -> str:
        return self.envelope["case_id"]

    @property
    def causation_id(self) -> str | None:
        return self.envelope.get("causation_id")

    @property
    def subject(self) -> str:
        return self.envelope["subject"]

    @property
    def producer(self) -> str:
        return self.envelope["producer"]["department"]

    @property
    def occurred_at(self) -> datetime:
        return self.envelope["occurred_at"]

    def __getitem__(self, name: str) -> Any:
        return self.payload[name]


@dataclass(frozen=True, slots=True)
class NewEvent:
    """What a handler returns: the runtime adds the envelope and publishes it."""

    type: str
    payload: dict[str, Any] = field(default_factory=dict)
    # Enterprise USCC once one exists; otherwise the trigger's subject is kept.
    subject: str | None = None


def emit(event_type: str, /, *, subject: str | None = None, **payload: Any) -> NewEvent:
    return NewEvent(event_type, payload, subject)
