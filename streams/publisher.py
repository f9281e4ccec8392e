"""Turns what a handler returned into records ready for Kafka: envelope, Avro, key, headers."""

from __future__ import annotations

from dataclasses import dataclass

from streams.clock import SYSTEM_CLOCK, Clock
from streams.codec import Codec
from streams.contracts import Catalog
from streams.envelope import derived_event_id, new_envelope
from streams.events import Event, NewEvent
from streams.seals import SEAL_FIELD, Keyring, SealError, certificate, issues_sealed

EVENT_TYPE_HEADER = "event_type"
EVENT_ID_HEADER = "event_id"
TRACEPARENT_HEADER = "traceparent"


class InvalidOutput(ValueError):
    """A handler returned an event it did not declare, or one that does not fit its schema."""


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]
    event: Event


class Publisher:
    """Builds outgoing records for one producer (a department or a platform agent)."""

    def __init__(
        self,
        catalog: Catalog,
        codec: Codec,
        *,
        producer: str,
        version: str,
        clock: Clock = SYSTEM_CLOCK,
        seals: Keyring | None = None,
    ) -> None:
        self._catalog = catalog
        # Set, every certificate or licence (a contract with a `seal` field) leaves sealed.
        self.seals = seals
        self._codec = codec
        self.clock = clock
        self.producer = producer
        self.version = version

    def build(
        self,
        new: NewEvent,
        *,
        cause: Event | None,
        case_id: str | None = None,
        subject: str | None = None,
        index: int = 0,
        occurred_at: int | None = None,
    ) -> OutgoingRecord:
        """``occurred_at`` (ms) stamps a record built later than it happened (held outputs)."""
        if new.type not in self._catalog:
            raise InvalidOutput(f"{self.producer} emitted {new.type!r}, which no schema declares")
        contract = self._catalog[new.type]
        case_id = case_id or (cause.case_id if cause else None)
        if not case_id:
            raise InvalidOutput(f"{new.type} has no case id")
        envelope = new_envelope(
            event_type=contract.full_name,
            case_id=case_id,
            department=self.producer,
            agent_version=self.version,
            subject=new.subject or subject or (cause.subject if cause else ""),
            cause=cause.envelope if cause else None,
            event_id=derived_event_id(cause.event_id, self.producer, index) if cause else None,
            occurred_at=self.clock.millis() if occurred_at is None else occurred_at,
        )
        payload = new.payload
        # Avro would drop an undeclared field and turn "1" into 1.0 without a word: refuse both.
        undeclared = sorted(payload.keys() - contract.payload_names)
        if undeclared:
            raise InvalidOutput(f"{new.type} has no field {', '.join(undeclared)} in its schema")
        try:  # the codec refuses a record its schema does not admit, naming the field
            if self.seals is not None and issues_sealed(contract):
                payload = self._sealed(contract.full_name, envelope, payload)
            value = self._codec.encode(contract.full_name, {"envelope": envelope, "payload": payload})
        except SealError:
            raise
        except Exception as exc:  # a misfit, whichever encoder found it
            raise InvalidOutput(f"{new.type} does not fit its schema: {_one_line(exc)}") from None
        headers = [
            (EVENT_TYPE_HEADER, contract.full_name.encode()),
            (EVENT_ID_HEADER, envelope["event_id"].encode()),
            (TRACEPARENT_HEADER, envelope["trace"].encode()),
        ]
        event = Event(contract.name, payload, envelope, contract.topic)
        return OutgoingRecord(contract.topic, case_id.encode(), value, headers, event)

    def _sealed(self, full_name: str, envelope: dict, payload: dict) -> dict:
        """The payload with the producer's seal over the certificate exactly as consumers decode it
        (so an int given for a double, or a date, reads the same to whoever verifies)."""
        assert self.seals is not None
        unsealed = self._codec.encode(
            full_name, {"envelope": envelope, "payload": {**payload, SEAL_FIELD: None}}
        )
        contract, record = self._codec.decode(unsealed)
        sealed = certificate(contract.name, record["envelope"], record["payload"])
        return {**payload, SEAL_FIELD: self.seals.seal(self.producer, sealed)}


def _one_line(exc: Exception) -> str:
    """fastavro's ValidationError lists its findings as JSON over several lines."""
    errors = getattr(exc, "errors", None)
    return "; ".join(str(e) for e in errors) if errors else " ".join(str(exc).split())
