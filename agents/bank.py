"""银行 (开户行、社保卡合作银行): account records, closures and payments to the 社保卡."""

from __future__ import annotations

from agents.registers import figure
from streams.conditions import Condition
from streams.days import full_years
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.rules import rule

department = Department("bank", "银行")

# A minor under 16 activates a financial account only with a guardian present.
FINANCIAL_ACCOUNT_AGE = 16


@department.matter(
    "bank_account_record_change",
    "单位银行账户信息变更",
    trigger="BusinessLicenseChanged",
    done="BankAccountRecordUpdated",
    sla_working_days=1,
)
async def update_account_record(event: Event) -> list[NewEvent]:
    return [emit("BankAccountRecordUpdated", **carry(event, "uscc", "business_name"))]


@department.matter(
    "reimbursement_payment",
    "报销款支付",
    trigger="ReimbursementApproved",
    done="ReimbursementPaid",
    sla_working_days=2,
)
async def pay_reimbursement(event: Event) -> list[NewEvent]:
    insured = event["insured"]
    payment = f"ZF{figure('payment', insured + event.case_id, 10**12):012d}"
    return [emit("ReimbursementPaid", insured=insured, amount_yuan=event["amount_yuan"], payment_no=payment)]


@department.matter(
    "bank_account_closure",
    "单位银行账户销户",
    trigger="CompanyDeregistered",
    done="BankAccountClosed",
    sla_working_days=1,
)
async def close_account(event: Event) -> list[NewEvent]:
    return [emit("BankAccountClosed", uscc=event["uscc"])]


@rule("holder_birth_date")
def old_enough_for_an_account(payload, on):
    if full_years(payload["holder_birth_date"], on) < FINANCIAL_ACCOUNT_AGE:
        return [f"未满 {FINANCIAL_ACCOUNT_AGE} 周岁，金融账户须由监护人陪同到网点激活"]
    return []


@department.matter(
    "card_financial_account",
    "社保卡金融账户激活",
    trigger="SocialSecurityCardIssued",
    done="CardFinancialAccountActivated",
    sla_working_days=1,
    when=Condition("activate_financial_account", "==", True),
    rules=(old_enough_for_an_account,),
)
async def activate_financial_account(event: Event) -> list[NewEvent]:
    return [emit("CardFinancialAccountActivated", **carry(event, "holder", "card_no"))]
