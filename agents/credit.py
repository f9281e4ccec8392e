"""发展改革委 / 信用中心: credit repair (信用修复) and what 信用中国 publishes."""

from __future__ import annotations

from datetime import timedelta

from streams.checklist import Checklist, Material
from streams.conditions import Condition
from streams.days import occurred_on
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.identifiers import is_valid_uscc
from streams.rules import rule

department = Department("credit", "发展改革委（信用中心）")

SERIOUS = Condition("leave_serious_dishonesty_list", "==", True)
CREDIT_REPAIR_MATERIALS = Checklist(
    Material("repair_application", "信用修复申请书"),
    Material("credit_commitment", "信用修复承诺书"),
    Material("rectification_report", "整改情况报告", when=SERIOUS),
)
# 失信行为纠正后的信用信息修复管理办法: minimum publication before a record may be repaired.
PENALTY_MIN_PUBLICATION = timedelta(days=90)
SERIOUS_MIN_LISTING = timedelta(days=365)
REPAIR_FIELDS = (
    "uscc",
    "enterprise_name",
    "penalty_decision_no",
    "penalty_published_on",
    "penalty_fulfilled",
    "leave_abnormal_list",
    "abnormal_cause_corrected",
    "leave_serious_dishonesty_list",
    "dishonesty_listed_on",
)


@department.matter(
    "credit_repair_application",
    "信用修复申请受理",
    trigger="CreditRepairApplicationSubmitted",
    done="CreditRepairAccepted",
    sla_working_days=1,
    materials=tuple(CREDIT_REPAIR_MATERIALS),
)
async def accept_repair(event: Event) -> list[NewEvent]:
    problems = [] if is_valid_uscc(event["uscc"]) else [f"统一社会信用代码 {event['uscc']} 无效"]
    if not (
        event["penalty_decision_no"] or event["leave_abnormal_list"] or event["leave_serious_dishonesty_list"]
    ):
        problems.append("未选择任何需要修复的信用记录")
    if rejection := CREDIT_REPAIR_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [emit("CreditRepairAccepted", **carry(event, *REPAIR_FIELDS))]


@rule("penalty_decision_no", "penalty_fulfilled", "penalty_published_on")
def penalty_repairable(payload, on):
    published = payload["penalty_published_on"]
    problems = [] if payload["penalty_fulfilled"] else ["行政处罚决定尚未履行完毕（如罚款未缴清）"]
    if published is None:
        problems.append(f"未查询到行政处罚决定 {payload['penalty_decision_no']} 的公示信息")
    elif on - published < PENALTY_MIN_PUBLICATION:
        problems.append("行政处罚信息公示未满最短公示期三个月")
    return problems


@rule("dishonesty_listed_on")
def listed_for_a_year(payload, on):
    listed = payload["dishonesty_listed_on"]
    if listed is None:
        return ["未查询到该主体列入严重失信主体名单的记录"]
    if on - listed < SERIOUS_MIN_LISTING:
        return [f"列入严重失信主体名单未满一年（列入日期 {listed:%Y-%m-%d}）"]
    return []


@department.matter(
    "penalty_record_repair",
    "行政处罚信息信用修复",
    trigger="CreditRepairAccepted",
    done="PenaltyRecordRepaired",
    sla_working_days=2,
    when=Condition("penalty_decision_no", "!=", ""),
    rules=(penalty_repairable,),
)
async def repair_penalty_record(event: Event) -> list[NewEvent]:
    today = occurred_on(event)
    return [
        emit(
            "PenaltyRecordRepaired",
            uscc=event["uscc"],
            penalty_decision_no=event["penalty_decision_no"],
            repaired_on=today,
        )
    ]


@department.matter(
    "abnormal_list_sync",
    "移出经营异常名录结果同步“信用中国”",
    trigger="AbnormalOperationListRemoved",
    done="AbnormalListRemovalPublished",
    sla_working_days=3,
    when=Condition("leave_abnormal_list", "==", True),
)
async def publish_abnormal_list_removal(event: Event) -> list[NewEvent]:
    return [emit("AbnormalListRemovalPublished", uscc=event["uscc"], published_on=occurred_on(event))]


@department.matter(
    "serious_dishonesty_removal",
    "移出严重失信主体名单",
    trigger="CreditRepairAccepted",
    done="SeriousDishonestyListRemoved",
    sla_working_days=5,
    when=SERIOUS,
    rules=(listed_for_a_year,),
)
async def remove_from_serious_list(event: Event) -> list[NewEvent]:
    return [emit("SeriousDishonestyListRemoved", uscc=event["uscc"], removed_on=occurred_on(event))]
