"""退役军人事务局: reporting in after discharge, and the settlement allowance."""

from __future__ import annotations

from streams.checklist import Checklist, Material
from streams.conditions import Condition
from streams.days import occurred_on
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry

department = Department("veterans", "退役军人事务局")

REPORTING_MATERIALS = Checklist(
    Material("discharge_certificate", "退出现役证"),
    Material("placement_letter", "安置介绍信"),
)
REPORTING_PERIOD_DAYS = 30  # 退役军人安置条例: report within 30 days of discharge
ASSIGNED_MIN_NCO_YEARS = 12  # 安排工作: sergeants who served 12 years or more
# 自主就业 一次性经济补助 per year of service (illustrative local standard).
ALLOWANCE_PER_YEAR_YUAN = 6000.0


@department.matter(
    "veteran_reporting",
    "退役报到",
    trigger="VeteranReportSubmitted",
    done="VeteranReported",
    sla_working_days=1,
    materials=tuple(REPORTING_MATERIALS),
)
async def report_in(event: Event) -> list[NewEvent]:
    problems = []
    days = (occurred_on(event) - event["discharged_on"]).days
    if days > REPORTING_PERIOD_DAYS:
        problems.append(f"已超过退出现役之日起 {REPORTING_PERIOD_DAYS} 日的报到期限（已 {days} 日）")
    nco_years = event["service_years"] if event["rank_kind"] == "NCO" else 0
    if event["placement"] == "ASSIGNED" and nco_years < ASSIGNED_MIN_NCO_YEARS:
        problems.append(f"安排工作仅适用于服现役满 {ASSIGNED_MIN_NCO_YEARS} 年的士官，可选择自主就业")
    if rejection := REPORTING_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "VeteranReported",
            **carry(
                event,
                "veteran",
                "veteran_name",
                "birth_date",
                "discharged_on",
                "service_years",
                "rank_kind",
                "placement",
                "settlement_division",
            ),
        )
    ]


@department.matter(
    "settlement_allowance",
    "自主就业一次性经济补助",
    trigger="VeteranReported",
    done="SettlementAllowanceGranted",
    sla_working_days=5,
    when=Condition("placement", "==", "SELF_EMPLOYED"),
)
async def grant_allowance(event: Event) -> list[NewEvent]:
    # Granted on reporting in: no separate application (免申即享).
    amount = max(event["service_years"], 1) * ALLOWANCE_PER_YEAR_YUAN
    return [emit("SettlementAllowanceGranted", veteran=event["veteran"], amount_yuan=amount)]
