"""Static analysis of the declarations: can every flow actually run on the departments' triggers?

Nobody orchestrates a flow: a matter starts when its trigger event appears. So a flow only works
if its matters chain from its application through declared triggers and done events, its `after`
order says the same as that chain, every event someone emits is consumed or ends a case, and every
event has a contract. This module reads declarations only (no broker) and returns the problems,
one line each, and each flow's graph for drawing.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass

from streams.department import REJECTED, Department, Matter
from streams.flows import Flow
from streams.issues.machine import INPUTS as ISSUE_LOOP_INPUTS
from streams.tracker import CASE_OUTCOMES

UNREACHABLE, ORDER, UNCONSUMED, NO_SCHEMA, UNKNOWN_MATTER, DUPLICATE = (
    "unreachable",
    "order",
    "unconsumed",
    "no-schema",
    "unknown-matter",
    "duplicate",
)


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str
    flow: str | None = None
    matter: str | None = None
    event: str | None = None

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Edge:
    """``source`` (a matter key, or the flow's application event) comes before matter ``target``."""

    source: str
    target: str
    # The event that starts the target; None when `after` orders the two without an event between.
    event: str | None


@dataclass(frozen=True)
class FlowGraph:
    flow: Flow
    matters: tuple[Matter, ...]  # the flow's known matters, in declared order
    edges: tuple[Edge, ...]

    def incoming(self, key: str) -> list[Edge]:
        return [e for e in self.edges if e.target == key]


@dataclass(frozen=True)
class Analysis:
    problems: tuple[Problem, ...]
    graphs: tuple[FlowGraph, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def analyse(
    departments: Sequence[Department],
    flows: Sequence[Flow],
    catalog: Container[str],
    *,
    consumed_by_platform: Collection[str] = ISSUE_LOOP_INPUTS,
) -> Analysis:
    """Check flows against the departments' declarations and the contracts in ``catalog``.

    ``consumed_by_platform``: events the platform's own agents consume besides the case tracker
    (the enterprise-issue loop folds the departments' issue answers), so they are not dead ends.
    """
    matters = {m.key: m for d in departments for m in d.matters}
    problems: list[Problem] = []
    graphs = []
    for flow in flows:
        problems += _flow_problems(flow, matters, catalog)
        graphs.append(flow_graph(flow, matters))
    problems += _unconsumed(matters.values(), flows, consumed_by_platform)
    problems += _missing_schemas(matters.values(), catalog)
    return Analysis(tuple(problems), tuple(graphs))


def reachable_matters(application: str, matters: Iterable[Matter]) -> set[str]:
    """Matters that can start once ``application`` is published, following triggers and emits; a
    joined matter once every one of its triggers can be emitted."""
    matters = list(matters)
    events, reached = {application}, set()
    grew = True
    while grew:
        grew = False
        for matter in matters:
            if matter.key not in reached and all(t in events for t in matter.triggers):
                reached.add(matter.key)
                events.update(matter.emits)
                grew = True
    return reached


def _flow_problems(flow: Flow, matters: dict[str, Matter], catalog: Container[str]) -> list[Problem]:
    problems = []
    if flow.application not in catalog:
        problems.append(
            Problem(
                NO_SCHEMA,
                f"{flow.name}: application {flow.application} has no schema in schemas/",
                flow=flow.name,
                event=flow.application,
            )
        )
    steps = {step.matter for step in flow.steps}
    reached = reachable_matters(flow.application, matters.values())
    seen: set[str] = set()
    for step in flow.steps:
        if step.matter in seen:
            problems.append(
                Problem(DUPLICATE, f"{flow.name}: names {step.matter} twice", flow.name, step.matter)
            )
        seen.add(step.matter)
        matter = matters.get(step.matter)
        if matter is None:
            problems.append(
                Problem(
                    UNKNOWN_MATTER,
                    f"{flow.name}: names unknown matter {step.matter}",
                    flow.name,
                    step.matter,
                )
            )
            continue
        if matter.key not in reached:
            emitted = _emitted_from(flow.application, reached, matters)
            missing = [t for t in matter.triggers if t not in emitted] or list(matter.triggers)
            problems.append(
                Problem(
                    UNREACHABLE,
                    f"{flow.name}: {matter.key} is unreachable from {flow.application}: "
                    f"nothing that application sets off emits its trigger {', '.join(missing)}",
                    flow.name,
                    matter.key,
                    missing[0],
                )
            )
        problems += _order_problems(flow, matter, step.after, steps, matters)
    return problems


def _order_problems(
    flow: Flow, matter: Matter, after: tuple[str, ...], steps: set[str], matters: dict[str, Matter]
) -> list[Problem]:
    problems = []
    for earlier in after:
        if earlier not in matters:
            problems.append(
                Problem(
                    UNKNOWN_MATTER,
                    f"{flow.name}: {matter.key} comes after unknown matter {earlier}",
                    flow.name,
                    matter.key,
                )
            )
        elif earlier not in steps:
            problems.append(
                Problem(
                    ORDER,
                    f"{flow.name}: {matter.key} comes after {earlier}, which is not a step of the flow",
                    flow.name,
                    matter.key,
                )
            )
    if not after:
        for trigger in matter.triggers:
            if trigger != flow.application:
                problems.append(
                    Problem(
                        ORDER,
                        f"{flow.name}: {matter.key} comes after nothing, so its trigger should be the "
                        f"application {flow.application}, not {trigger}",
                        flow.name,
                        matter.key,
                        trigger,
                    )
                )
        return problems
    # Each trigger (every one of a join) is the application or the done event of an earlier matter.
    allowed = {matters[k].done for k in after if k in matters} | {flow.application}
    for trigger in matter.triggers:
        if trigger not in allowed:
            problems.append(
                Problem(
                    ORDER,
                    f"{flow.name}: {matter.key} comes after {', '.join(after)}, but its trigger "
                    f"{trigger} is the done event of none of them",
                    flow.name,
                    matter.key,
                    trigger,
                )
            )
    return problems


def _emitted_from(application: str, reached: set[str], matters: Mapping[str, Matter]) -> set[str]:
    """Every event the application and the matters it reaches can publish."""
    return {application} | {e for key in reached for e in matters[key].emits}


def _unconsumed(
    matters: Iterable[Matter], flows: Sequence[Flow], consumed_by_platform: Collection[str]
) -> list[Problem]:
    matters = list(matters)
    consumed = {t for m in matters for t in m.triggers}
    by_key = {m.key: m for m in matters}
    # The tracker consumes the done event of every matter some flow includes.
    terminal = {by_key[s.matter].done for f in flows for s in f.steps if s.matter in by_key}
    # A case's outcome, which the tracker publishes to end it, needs no consumer.
    terminal |= set(CASE_OUTCOMES) | {REJECTED} | set(consumed_by_platform)
    problems = []
    for matter in matters:
        for event in dict.fromkeys(matter.emits):
            if event not in consumed and event not in terminal:
                problems.append(
                    Problem(
                        UNCONSUMED,
                        f"{matter.key} emits {event}, which no department consumes and no flow ends with",
                        matter=matter.key,
                        event=event,
                    )
                )
    return problems


def _missing_schemas(matters: Iterable[Matter], catalog: Container[str]) -> list[Problem]:
    problems = []
    for matter in matters:
        roles = dict.fromkeys(matter.triggers, "trigger") | {e: "emitted event" for e in matter.emits}
        for event, role in roles.items():
            if event not in catalog:
                problems.append(
                    Problem(
                        NO_SCHEMA,
                        f"{matter.key}: {role} {event} has no schema in schemas/",
                        matter=matter.key,
                        event=event,
                    )
                )
    return problems


def flow_graph(flow: Flow, matters: Mapping[str, Matter]) -> FlowGraph:
    """Edges along the trigger chain (labelled with the event), plus `after`s no event carries."""
    members = [matters[s.matter] for s in flow.steps if s.matter in matters]
    members = list({m.key: m for m in members}.values())
    keys = {m.key for m in members}
    edges: list[Edge] = []
    for step in flow.steps:
        matter = matters.get(step.matter)
        if matter is None:
            continue
        # One edge per trigger and emitter: a joined matter has an edge from each matter it waits for.
        sources: list[str] = []
        for trigger in matter.triggers:
            emitters = [flow.application] if trigger == flow.application else []
            emitters += [m.key for m in members if m.key != matter.key and trigger in m.emits]
            edges += [Edge(source, matter.key, trigger) for source in emitters]
            sources += emitters
        edges += [Edge(e, matter.key, None) for e in step.after if e in keys and e not in sources]
    return FlowGraph(flow, tuple(members), tuple(dict.fromkeys(edges)))
