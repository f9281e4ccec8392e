"""A second 人社局, a condition comparing a string with a number, an event with no contract, and a
flow started by an application nobody declared."""

from __future__ import annotations

from streams import Condition, Department, Event, Flow, NewEvent, Step, emit

# Declared again instead of extended: refused, naming both packages.
duplicate = Department("human_resources", "人力资源和社会保障局")


@duplicate.matter(
    "pension_check",
    "养老金核对",
    trigger="RetirementApplicationSubmitted",
    done="PensionGranted",
    sla_working_days=1,
)
async def check(event: Event) -> list[NewEvent]:
    return []


# `retiree` is a string token: `> 3` can never be evaluated.
mistyped = Department("pension_office", "养老金管理中心")


@mistyped.matter(
    "early_pension",
    "提前退休审核",
    trigger="RetirementApplicationSubmitted",
    done="PensionGranted",
    sla_working_days=1,
    when=Condition("retiree", ">", 3),
)
async def review(event: Event) -> list[NewEvent]:
    return [emit("PensionGranted", retiree=event["retiree"], monthly_pension_yuan=1.0)]


# PensionIndexed has no contract anywhere.
unschemaed = Department("pension_index", "养老金调整办公室")


@unschemaed.matter(
    "indexation", "养老金调整", trigger="PensionGranted", done="PensionIndexed", sla_working_days=1
)
async def index(event: Event) -> list[NewEvent]:
    return [emit("PensionIndexed", retiree=event["retiree"])]


flow = Flow(
    name="pension_indexation",
    display_name="养老金调整",
    lead="pension_index",
    application="PensionIndexationApplicationSubmitted",
    steps=(Step(matter="pension_index.indexation"),),
    sla_working_days=1,
)
