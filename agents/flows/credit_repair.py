"""信用修复: the credit centre accepts the request; each record asked for is repaired in parallel
(administrative penalty, abnormal-operation list, serious-dishonesty list), and 市场监管's removal
is published on 信用中国 within 3 working days."""

from __future__ import annotations

from datetime import timedelta
from random import Random
from typing import Any

from agents.credit import CREDIT_REPAIR_MATERIALS as CHECKLIST
from streams import Flow, Step
from streams.samples import CHANNELS, enterprise, today, vary, with_materials

ACCEPTANCE = "credit.credit_repair_application"
ABNORMAL = "market_regulation.abnormal_list_removal"


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "uscc": enterprise(Random(11)),
        "enterprise_name": "宁波明州餐饮管理有限公司",
        "penalty_decision_no": "甬市监罚〔2024〕118号",
        "penalty_published_on": today() - timedelta(days=200),
        "penalty_fulfilled": True,
        "leave_abnormal_list": True,
        "abnormal_cause_corrected": True,
        "leave_serious_dishonesty_list": False,
        "dishonesty_listed_on": None,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


def serious() -> dict[str, Any]:
    """Also asks to leave the serious-dishonesty list, on it for more than a year."""
    return {"leave_serious_dishonesty_list": True, "dishonesty_listed_on": today() - timedelta(days=400)}


def ineligible() -> list[dict[str, Any]]:
    # Each names the record it breaks, so it breaks a rule whatever the sample asked to repair.
    penalty = {"penalty_decision_no": "甬市监罚〔2024〕118号"}
    return [
        penalty | {"penalty_fulfilled": False},  # the fine is unpaid
        penalty | {"penalty_published_on": today() - timedelta(days=30)},  # published too briefly
        {"leave_abnormal_list": True, "abnormal_cause_corrected": False},  # still no annual report
    ]


def sample(rng: Random) -> dict[str, Any]:
    penalty = rng.choice((None, "甬市监罚〔2024〕118号", "甬税罚〔2024〕37号"))
    payload = application(
        uscc=enterprise(rng),
        penalty_decision_no=penalty,
        penalty_published_on=today() - timedelta(days=rng.randint(100, 700)),
        # Every request asks for something: without a penalty record, at least the abnormal list.
        leave_abnormal_list=penalty is None or rng.random() < 0.6,
        channel=rng.choice(CHANNELS),
        **(serious() if rng.random() < 0.2 else {}),
    )
    return vary(rng, payload, CHECKLIST, ineligible())


flow = Flow(
    name="credit_repair",
    display_name="信用修复",
    lead="credit",
    application="CreditRepairApplicationSubmitted",
    steps=(
        Step(matter=ACCEPTANCE),
        Step(matter="credit.penalty_record_repair", after=(ACCEPTANCE,)),
        Step(matter=ABNORMAL, after=(ACCEPTANCE,)),
        Step(matter="credit.abnormal_list_sync", after=(ABNORMAL,)),
        Step(matter="credit.serious_dishonesty_removal", after=(ACCEPTANCE,)),
    ),
    sla_working_days=6,
    sample=sample,
)
