"""An AsyncAPI 3.0 document of the platform, from the declarations alone.

Every contract's topic is a channel carrying one message (its Avro schema, envelope inlined, as
`schemaFormat` application/vnd.apache.avro+json). Operations say who sends and who receives each
event: every department from its matters' triggers and emits, the service desk its applications,
the case tracker and the issue loop their inputs and outputs. Plug-ins are in it the moment they
are discovered, since nothing here is written by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from streams.contracts import Catalog, Contract
from streams.department import REJECTED, Department
from streams.flows import Flow, FlowMap
from streams.issues import machine as issue_loop
from streams.issues import model as issues
from streams.tracker import DEADLINE_MISSED

ASYNCAPI_VERSION = "3.0.0"
AVRO_SCHEMA_FORMAT = "application/vnd.apache.avro+json;version=1.9.0"
# Confluent framing: magic byte, 4-byte schema id, Avro binary.
CONTENT_TYPE = "application/vnd.apache.avro+binary"
KAFKA_BINDING_VERSION = "0.5.0"
DESK = "service_center"
TRACKER = "tracker"
ISSUE_LOOP = "issue_loop"
TRACKER_SENDS = ("CaseCompleted", "CaseRejected", DEADLINE_MISSED, "CaseEscalated")
# The watchdog's alarms travel as the loop's own events.
ISSUE_LOOP_SENDS = (*issue_loop.OUTPUTS, issues.OVERDUE, issues.STUCK)

SEND, RECEIVE = "send", "receive"


def participations(
    departments: Sequence[Department], flows: Sequence[Flow]
) -> list[tuple[str, str, str, str]]:
    """(participant, display name, action, event) for everyone who sends or receives an event."""
    found: list[tuple[str, str, str, str]] = []
    for department in departments:
        name, title = department.name, department.display_name
        found += [(name, title, RECEIVE, event) for event in department.triggers]
        emitted = dict.fromkeys(e for m in department.matters for e in m.emits)
        found += [(name, title, SEND, event) for event in emitted]
    # A flow another department's fact starts (``started_by``) has no application to submit.
    applied = [f.application for f in flows if getattr(f, "started_by", None) is None]
    entries = [*dict.fromkeys(applied), issues.RAISED]
    found += [(DESK, "一窗受理 service desk", SEND, event) for event in entries]
    followed = sorted(FlowMap(list(flows), list(departments)).event_types | {REJECTED, DEADLINE_MISSED})
    found += [(TRACKER, "case tracker", RECEIVE, event) for event in followed]
    found += [(TRACKER, "case tracker", SEND, event) for event in TRACKER_SENDS]
    found += [(ISSUE_LOOP, "enterprise issue loop", RECEIVE, event) for event in issue_loop.INPUTS]
    found += [(ISSUE_LOOP, "enterprise issue loop", SEND, event) for event in ISSUE_LOOP_SENDS]
    return found


def _message(contract: Contract) -> dict[str, Any]:
    return {
        "name": contract.name,
        "title": contract.full_name,
        "contentType": CONTENT_TYPE,
        "correlationId": {
            "description": "every event of a case shares it",
            "location": "$message.payload#/envelope/correlation_id",
        },
        "headers": {
            "type": "object",
            "properties": {
                "event_type": {"type": "string", "const": contract.full_name},
                "event_id": {"type": "string", "format": "uuid"},
                "traceparent": {"type": "string", "description": "W3C trace context"},
            },
        },
        "payload": {"schemaFormat": AVRO_SCHEMA_FORMAT, "schema": contract.schema},
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": "the case id: a case keeps its order per topic"},
                "schemaIdLocation": "payload",
                "schemaIdPayloadEncoding": "confluent",
                "schemaLookupStrategy": "TopicIdStrategy",
                "bindingVersion": KAFKA_BINDING_VERSION,
            }
        },
    }


def _channel(contract: Contract) -> dict[str, Any]:
    return {
        "address": contract.topic,
        "title": contract.name,
        "messages": {contract.name: {"$ref": f"#/components/messages/{contract.name}"}},
    }


def _operation(participant: str, title: str, action: str, contract: Contract) -> dict[str, Any]:
    return {
        "action": action,
        "channel": {"$ref": f"#/channels/{contract.topic}"},
        "messages": [{"$ref": f"#/channels/{contract.topic}/messages/{contract.name}"}],
        "title": f"{title} {action}s {contract.name}",
        "tags": [{"name": participant}],
    }


def asyncapi_document(
    departments: Sequence[Department],
    flows: Sequence[Flow],
    catalog: Catalog,
    *,
    version: str,
    servers: Iterable[str] = (),
) -> tuple[dict[str, Any], list[str]]:
    """The document, and the events someone sends or receives that have no contract (left out)."""
    contracts = list(catalog)
    operations: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for participant, title, action, event in participations(departments, flows):
        if event not in catalog:
            missing.append(f"{participant} {action}s {event}, which has no schema")
            continue
        contract = catalog[event]
        operations[f"{participant}.{action}.{contract.name}"] = _operation(
            participant, title, action, contract
        )
    document: dict[str, Any] = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": "OneThing",
            "version": version,
            "description": "高效办成一件事: departments cooperate by Avro events on Apache Kafka. "
            "One topic per event type, keyed by case id.",
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            f"kafka{i}" if i else "kafka": {"host": host, "protocol": "kafka"}
            for i, host in enumerate(servers)
        },
        "channels": {c.topic: _channel(c) for c in contracts},
        "operations": dict(sorted(operations.items())),
        "components": {"messages": {c.name: _message(c) for c in contracts}},
    }
    if not document["servers"]:
        del document["servers"]
    return document, list(dict.fromkeys(missing))
