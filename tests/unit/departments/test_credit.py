"""信用中心: credit repair of each record asked for, and what reaches 信用中国."""

from datetime import timedelta

from agents.flows import credit_repair
from streams.samples import today
from tests.unit.platform import apply, rejection_of


async def test_each_record_asked_for_is_repaired_and_the_removal_is_published():
    case = await apply(credit_repair)
    assert {"PenaltyRecordRepaired", "AbnormalOperationListRemoved", "AbnormalListRemovalPublished"} <= set(
        case.types
    )
    published = case.one("AbnormalListRemovalPublished")
    assert published.causation_id == case.one("AbnormalOperationListRemoved").event_id
    assert "SeriousDishonestyListRemoved" not in case.types


async def test_a_penalty_stays_published_until_paid_and_shown_for_three_months():
    case = await apply(
        credit_repair, penalty_fulfilled=False, penalty_published_on=today() - timedelta(days=30)
    )
    # The credit centre's own repair rules, checked when it accepts the request.
    assert rejection_of(case, "credit.credit_repair_application")["reasons"] == [
        "行政处罚决定尚未履行完毕（如罚款未缴清）",
        "行政处罚信息公示未满最短公示期三个月",
    ]


async def test_leaving_the_serious_dishonesty_list_takes_a_year_and_a_rectification_report():
    serious = credit_repair.serious()
    assert "rectification_report" in credit_repair.application(**serious)["materials"]
    assert "SeriousDishonestyListRemoved" in (await apply(credit_repair, **serious)).types
    recent = await apply(credit_repair, **(serious | {"dishonesty_listed_on": today() - timedelta(days=100)}))
    assert "未满一年" in rejection_of(recent, "credit.credit_repair_application")["reasons"][0]


async def test_a_request_must_name_a_record():
    case = await apply(credit_repair, penalty_decision_no=None, leave_abnormal_list=False)
    assert rejection_of(case, "credit.credit_repair_application")["reasons"] == [
        "未选择任何需要修复的信用记录"
    ]
