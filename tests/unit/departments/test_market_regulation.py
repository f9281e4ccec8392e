"""市场监管局: licences for new businesses, changes, relocation, deregistration and its lists."""

from datetime import timedelta

from agents.flows import (
    bankruptcy_check,
    credit_repair,
    deregistration,
    enterprise_change,
    enterprise_relocation,
    restaurant,
    transport_company,
)
from streams.identifiers import is_valid_uscc
from streams.samples import today
from tests.unit.platform import apply, rejection_of


async def test_a_restaurant_licence_gives_the_enterprise_its_uscc():
    case = await apply(restaurant)
    licence = case.one("BusinessLicenseIssued")
    assert is_valid_uscc(licence["uscc"]) and licence.subject == licence["uscc"]
    assert case.one("FoodBusinessPermitIssued").subject == licence["uscc"]


async def test_a_transport_company_name_must_say_what_it_does():
    case = await apply(transport_company, company_name="宁波顺达有限公司")
    # 市场监管's naming rule, told by 交通运输's pre-review before anything is registered.
    [reason] = rejection_of(case, "transport.transport_pre_review")["reasons"]
    assert (
        reason.startswith("市场监管局：") and "道路运输行业" in reason and case.outcome.type == "CaseRejected"
    )


async def test_a_change_asks_for_new_premises_proof_only_when_the_address_changes():
    renamed = await apply(enterprise_change)
    assert "new_premises_proof" not in enterprise_change.application()["materials"]
    assert renamed.one("BusinessLicenseChanged")["business_name"] == "宁波甬江科技有限公司"

    moved = enterprise_change.application(new_address="宁波市鄞州区天童南路 588 号")
    moved["materials"].remove("new_premises_proof")
    case = await apply(enterprise_change, **moved)
    notice = rejection_of(case, "market_regulation.license_change")
    assert notice["missing_materials"] == ["new_premises_proof"]
    assert notice["reasons"] == ["缺少材料：新住所使用证明"]


async def test_a_change_names_every_problem_at_once():
    case = await apply(enterprise_change, new_name="宁波甬江贸易有限公司", materials=[])
    reasons = rejection_of(case, "market_regulation.license_change")["reasons"]
    assert "新名称与原名称相同" in reasons and len(reasons) == 4


async def test_deregistration_waits_for_the_creditors_notice_period():
    case = await apply(deregistration, announced_on=today() - timedelta(days=30))
    [reason] = rejection_of(case, "market_regulation.deregistration_pre_review")["reasons"]
    assert reason == "债权人公告期未满 45 日（已公告 30 日）"
    assert "TaxCleared" not in case.types


async def test_simplified_deregistration_asks_for_the_investors_commitment_instead():
    simplified = deregistration.simplified()
    assert deregistration.application(**simplified)["materials"] == [
        "deregistration_application",
        "shareholder_resolution",
        "investor_commitment",
    ]
    case = await apply(deregistration, **simplified)
    assert case.outcome.type == "CaseCompleted"
    assert "market_regulation.company_deregistration" in case.outcome["matters"]


async def test_relocation_needs_a_different_registration_authority():
    case = await apply(enterprise_relocation, to_division="330203")
    assert rejection_of(case, "market_regulation.relocation_registration")["reasons"] == [
        "迁出地与迁入地相同，应办理住所变更登记"
    ]


async def test_leaving_the_abnormal_list_needs_the_cause_removed():
    case = await apply(credit_repair, abnormal_cause_corrected=False)
    reason = rejection_of(case, "credit.credit_repair_application")["reasons"][0]
    assert reason.startswith("市场监管局：") and "尚未消除" in reason
    skipped = await apply(credit_repair, leave_abnormal_list=False)
    assert "AbnormalOperationListRemoved" not in skipped.types and skipped.outcome.type == "CaseCompleted"


async def test_registration_facts_answer_a_bankruptcy_inquiry():
    info = (await apply(bankruptcy_check)).one("RegistrationInfoProvided")
    assert info["shareholder_count"] >= 1 and info["case_number"] == "（2024）浙02破12号"
