"""What every 一件事 flow promises by its declaration alone: one application with a channel and its
materials (一次提交), a lead that reviews all materials first (一次告知), an order that follows from
the triggers, conditions readable on both the application and the trigger, and samples that fit."""

from __future__ import annotations

from random import Random

import pytest

from streams import discovery
from streams.channels import CHANNELS
from streams.commands.flowgraph import analyse
from streams.contracts import default_catalog
from streams.events import NewEvent
from streams.flows import FlowMap
from streams.processing import decode_event
from streams.publisher import Publisher
from tests.unit.flows.cases import flow_modules, observed_events

MODULES = flow_modules()
FLOWS = [module.flow for module in MODULES.values()]
DEPARTMENTS = discovery.departments()
FLOW_MAP = FlowMap(FLOWS, DEPARTMENTS)
CATALOG_ITEMS = {
    "企业信息变更", "开办运输企业", "开办餐饮店", "新生儿出生", "教育入学", "就医费用报销", "申请公租房",
    "水电气网联合报装", "信用修复", "企业破产信息核查", "经营主体注销登记", "社保卡居民服务", "残疾人服务",
    "员工录用", "企业迁移登记", "军人退役",
}  # fmt: skip


def fields(event_type: str) -> dict[str, dict]:
    return {f["name"]: f for f in default_catalog()[event_type].payload_fields}


def longest_path(flow) -> int:
    """Working days along the slowest chain of `after`s."""
    steps = {s.matter: s for s in flow.steps}

    def finish(key: str) -> int:
        before = max((finish(k) for k in steps[key].after), default=0)
        return before + FLOW_MAP.matters[key].sla_working_days

    return max(finish(key) for key in steps)


def test_every_item_of_the_catalog_is_a_flow_with_its_own_application():
    assert {flow.display_name for flow in FLOWS} == CATALOG_ITEMS
    applications = [flow.application for flow in FLOWS]
    assert len(set(applications)) == len(applications)


def test_the_flow_map_check_finds_nothing_wrong_with_these_flows():
    analysis = analyse(DEPARTMENTS, FLOWS, default_catalog())
    ours = {s.matter for flow in FLOWS for s in flow.steps}
    problems = [p for p in analysis.problems if p.flow in MODULES or p.matter in ours]
    assert problems == []


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_the_application_is_submitted_once_with_its_channel_and_materials(flow):
    application = fields(flow.application)
    assert set(application["channel"]["type"]["symbols"]) == set(CHANNELS)
    assert application["assisted_by"]["default"] is None and application["cross_region"]["default"] is None
    assert application["materials"]["type"] == {"type": "array", "items": "string"}
    assert flow.audience in ("enterprise", "individual")


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_the_lead_starts_and_its_checklist_covers_every_matters_materials(flow):
    first = FLOW_MAP.matters[flow.steps[0].matter]
    assert first.department == flow.lead and first.triggers == (flow.application,)
    checklist = MODULES[flow.name].CHECKLIST
    for step in flow.steps:
        assert set(FLOW_MAP.matters[step.matter].materials) <= set(checklist), step.matter


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_each_condition_reads_a_field_of_the_application_and_of_the_trigger(flow):
    # The tracker evaluates `when` on the application, the runtime on the matter's trigger.
    for step in flow.steps:
        matter = FLOW_MAP.matters[step.matter]
        if matter.when:
            assert matter.when.field in fields(flow.application), step.matter
            # A join's condition reads the merged payload of its triggers.
            assert any(matter.when.field in fields(t) for t in matter.triggers), step.matter


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_a_matter_after_a_conditional_one_is_conditional_the_same_way(flow):
    # Otherwise the tracker would wait for a matter whose trigger never comes.
    for step in flow.steps:
        for earlier in step.after:
            if when := FLOW_MAP.matters[earlier].when:
                assert FLOW_MAP.matters[step.matter].when == when, step.matter


def test_no_event_starts_matters_of_two_flows_and_no_two_matters_share_a_done_event():
    triggers = {
        flow.name: {t for s in flow.steps for t in FLOW_MAP.matters[s.matter].triggers} for flow in FLOWS
    }
    for name, mine in triggers.items():
        for other, theirs in triggers.items():
            assert name == other or not mine & theirs, (name, other, mine & theirs)
    done = [FLOW_MAP.matters[s.matter].done for flow in FLOWS for s in flow.steps]
    assert len(done) == len(set(done))


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_the_flow_sla_leaves_room_for_its_slowest_chain(flow):
    assert flow.sla_working_days >= longest_path(flow)


@pytest.mark.parametrize("flow", FLOWS, ids=lambda f: f.name)
def test_applications_and_samples_fit_the_application_schema(flow, catalog, codec):
    module = MODULES[flow.name]
    desk = Publisher(catalog, codec, producer="service_center", version="1")
    payloads = [module.application(), *(flow.sample(Random(seed)) for seed in range(50))]
    for payload in payloads:
        # Raises InvalidOutput when the payload does not fit the schema.
        record = desk.build(NewEvent(flow.application, payload, "ct_x"), cause=None, case_id="C-1")
        assert decode_event(codec, record.value).type == flow.application


def test_every_step_of_every_flow_runs_for_some_application():
    started = {e.type for e in observed_events()}
    for flow in FLOWS:
        for step in flow.steps:
            assert FLOW_MAP.matters[step.matter].done in started, step.matter
