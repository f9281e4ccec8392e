"""银行: account records and closures, reimbursements paid, and the card's financial account."""

from datetime import timedelta

from agents.flows import deregistration, enterprise_change, medical_reimbursement, social_security_card
from streams.samples import today
from tests.unit.platform import apply, rejection_of


async def test_accounts_follow_the_enterprise_from_change_to_closure():
    assert (await apply(enterprise_change)).one("BankAccountRecordUpdated")[
        "business_name"
    ] == "宁波甬江科技有限公司"
    assert "BankAccountClosed" in (await apply(deregistration)).types


async def test_the_approved_amount_is_paid():
    case = await apply(medical_reimbursement)
    assert case.one("ReimbursementPaid")["amount_yuan"] == case.one("ReimbursementApproved")["amount_yuan"]


async def test_a_child_cannot_activate_the_financial_account_alone():
    child = await apply(social_security_card, holder_birth_date=today() - timedelta(days=10 * 365))
    # Told when applying, before a card is made: the bank's rule is checked by 人社's pre-review.
    assert "银行：" in rejection_of(child, "human_resources.social_security_card_issue")["reasons"][0]
    assert "监护人" in child.rejections()[0]["reasons"][0] and "SocialSecurityCardIssued" not in child.types
    assert (
        "CardFinancialAccountActivated"
        not in (await apply(social_security_card, activate_financial_account=False)).types
    )
