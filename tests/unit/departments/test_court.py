"""人民法院: one query about a bankrupt debtor fans out to seven departments."""

from agents.flows import bankruptcy_check
from tests.unit.platform import apply, rejection_of


async def test_one_accepted_inquiry_is_answered_by_seven_departments_in_parallel():
    case = await apply(bankruptcy_check)
    accepted = case.one("BankruptcyInquiryAccepted")
    answers = [e for e in case.events if e.causation_id == accepted.event_id]
    assert len({e.producer for e in answers}) == 7 and case.outcome.type == "CaseCompleted"


async def test_only_a_bankruptcy_case_may_query():
    case = await apply(bankruptcy_check, case_number="（2024）浙02民初12号")
    assert rejection_of(case, "court.bankruptcy_inquiry")["reasons"] == [
        "案号“（2024）浙02民初12号”不是本院受理的破产案件"
    ]
