"""Which principal may do what on the broker, derived from the declarations alone.

One principal per department (``User:<department>``), allowed only its own topics:

- WRITE the topics of every event its matters emit (done, also-emitted, MatterRejected) and the
  dead-letter topic;
- READ the topics of its triggers;
- its own consumer group ``onething-<department>`` (what `onething run --departments <department>
  --no-tracker` joins) and, by prefix, the internal topics faust makes for it
  (``onething-<department>-…``: changelogs, the assignor's leader topic).

The service desk (``User:service_center``) writes applications and issue reports, nothing else. The
tracker with the issue loop (``User:tracker``, `onething run --no-departments`) reads every event
topic and writes the platform's own events. Anything not granted is refused
(``allow.everyone.if.no.acl.found=false``); operators act as a super user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from streams.contracts import Catalog
from streams.department import Department
from streams.flows import Flow
from streams.issues import model as issues
from streams.topics import DEAD_LETTER_TOPIC

APP_PREFIX = "onething"
DESK = "service_center"
TRACKER = "tracker"
# Areas (schemas/<area>/) whose events only the platform itself emits.
PLATFORM_AREAS = ("gov.onething.", "gov.issues.")
DESK_EVENTS = ("BundleRequested", "ApplicationHandedOver")


@dataclass(frozen=True, order=True)
class Grant:
    """One ALLOW rule: ``principal`` may ``operation`` the ``resource`` named (or prefixed) ``name``."""

    principal: str
    resource: str  # TOPIC or GROUP
    pattern: str  # LITERAL or PREFIXED
    name: str
    operation: str  # READ, WRITE, CREATE, DESCRIBE

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def principal(name: str) -> str:
    return f"User:{name}"


def _topics(who: str, names: Iterable[str], operation: str) -> list[Grant]:
    return [Grant(who, "TOPIC", "LITERAL", name, operation) for name in sorted(set(names))]


def _faust_app(who: str, app_id: str) -> list[Grant]:
    """What a faust app needs of its own: its group, and its internal topics by prefix."""
    group = [Grant(who, "GROUP", "LITERAL", app_id, "READ")]
    internal = [Grant(who, "TOPIC", "PREFIXED", f"{app_id}-", op) for op in ("CREATE", "READ", "WRITE")]
    return group + internal


def department_grants(department: Department, catalog: Catalog) -> list[Grant]:
    who = principal(department.name)
    emitted = {catalog[event].topic for matter in department.matters for event in matter.emits}
    triggers = {catalog[event].topic for event in department.triggers}
    return (
        _topics(who, emitted | {DEAD_LETTER_TOPIC}, "WRITE")
        + _topics(who, triggers, "READ")
        + _faust_app(who, f"{APP_PREFIX}-{department.name}")
    )


def desk_grants(flows: Sequence[Flow], catalog: Catalog) -> list[Grant]:
    """The service desk (一窗受理) puts applications and enterprises' issue reports in, nothing else."""
    entries = {catalog[flow.application].topic for flow in flows if flow.starts_with_application}
    entries |= {catalog[issues.RAISED].topic}
    # 一类事 requests and 跨域办 handovers enter at the desk too.
    entries |= {catalog[t].topic for t in DESK_EVENTS if t in catalog}
    return _topics(principal(DESK), entries, "WRITE")


def starting_fact_grants(flows: Sequence[Flow], catalog: Catalog) -> list[Grant]:
    """An event-started flow's first event is written by the department whose fact it is, not the desk."""
    return [
        grant
        for flow in flows
        if flow.started_by
        for grant in _topics(principal(flow.started_by), [catalog[flow.application].topic], "WRITE")
    ]


def tracker_grants(catalog: Catalog) -> list[Grant]:
    """The tracker and the issue loop follow every case and issue, and write only platform events."""
    who = principal(TRACKER)
    every = [contract.topic for contract in catalog]
    platform = [topic for topic in every if topic.startswith(PLATFORM_AREAS)]
    return (
        _topics(who, every, "READ")
        + _topics(who, [*platform, DEAD_LETTER_TOPIC], "WRITE")
        + _faust_app(who, f"{APP_PREFIX}-{TRACKER}")
    )


def derive_acls(departments: Sequence[Department], flows: Sequence[Flow], catalog: Catalog) -> list[Grant]:
    """Every grant of a deployment, sorted; a pure function of the declarations."""
    grants = [g for d in departments for g in department_grants(d, catalog)]
    grants += desk_grants(flows, catalog) + starting_fact_grants(flows, catalog) + tracker_grants(catalog)
    return sorted(set(grants))


def to_kafka(grant: Grant) -> Any:
    """The grant as kafka-python's ACL (any host)."""
    from kafka.admin import (
        ACL,
        ACLOperation,
        ACLPermissionType,
        ACLResourcePatternType,
        ResourcePattern,
        ResourceType,
    )

    pattern = ResourcePattern(ResourceType[grant.resource], grant.name, ACLResourcePatternType[grant.pattern])
    return ACL(grant.principal, "*", ACLOperation[grant.operation], ACLPermissionType.ALLOW, pattern)


def apply(admin: Any, grants: Sequence[Grant]) -> list[str]:
    """Create the grants with a KafkaAdminClient (idempotent); the failures, one line each."""
    result = admin.create_acls([to_kafka(g) for g in grants])
    return [str(error) for error in result["failed"]]
