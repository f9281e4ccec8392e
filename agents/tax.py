"""税务局: new taxpayers, registration changes, tax clearance and moves between tax authorities."""

from __future__ import annotations

from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.rules import rule

department = Department("tax", "税务局")

# 新办纳税人 get a first invoice quota without applying (新办纳税人套餐).
NEW_TAXPAYER_INVOICE_QUOTA = 25


def tax_authority(division: str) -> str:
    return f"国家税务总局{division}税务局"


@department.matter(
    "new_taxpayer_registration",
    "新办纳税人套餐（税务信息确认、发票领用）",
    trigger="TransportCompanyLicenseIssued",
    done="TaxpayerRegistered",
    sla_working_days=1,
)
async def register_taxpayer(event: Event) -> list[NewEvent]:
    uscc = event["uscc"]
    return [
        emit(
            "TaxpayerRegistered",
            uscc=uscc,
            company_name=event["company_name"],
            tax_authority=tax_authority(uscc[2:8]),
            invoice_quota=NEW_TAXPAYER_INVOICE_QUOTA,
        )
    ]


@department.matter(
    "tax_registration_change",
    "税务登记信息变更",
    trigger="BusinessLicenseChanged",
    done="TaxRegistrationUpdated",
    sla_working_days=1,
)
async def update_tax_registration(event: Event) -> list[NewEvent]:
    changed = [
        label
        for field, label in (
            ("new_name", "纳税人名称"),
            ("new_address", "注册地址"),
            ("new_legal_representative", "法定代表人"),
        )
        if event[field]
    ]
    return [
        emit(
            "TaxRegistrationUpdated",
            uscc=event["uscc"],
            business_name=event["business_name"],
            changed_fields=changed,
        )
    ]


@rule("unpaid_tax_yuan", "unused_invoices")
def nothing_owed(payload, on):
    problems = []
    if payload["unpaid_tax_yuan"] > 0:
        problems.append(f"尚有未缴税款 {payload['unpaid_tax_yuan']:.2f} 元")
    if payload["unused_invoices"] > 0:
        problems.append(f"尚有 {payload['unused_invoices']} 份未缴销的发票")
    return problems


@department.matter(
    "tax_clearance",
    "清税",
    trigger="DeregistrationApplicationAccepted",
    done="TaxCleared",
    sla_working_days=10,
    rules=(nothing_owed,),
)
async def clear_taxes(event: Event) -> list[NewEvent]:
    uscc = event["uscc"]
    return [
        emit(
            "TaxCleared",
            uscc=uscc,
            enterprise_name=event["enterprise_name"],
            clearance_no=f"清税{uscc[-10:]}",
            customs_registered=event["customs_registered"],
            employee_count=event["employee_count"],
        )
    ]


@department.matter(
    "tax_relocation",
    "跨区域迁移（税务迁出迁入）",
    trigger="EnterpriseRelocated",
    done="TaxRegistrationRelocated",
    sla_working_days=2,
)
async def relocate_tax_registration(event: Event) -> list[NewEvent]:
    return [
        emit(
            "TaxRegistrationRelocated",
            uscc=event["uscc"],
            to_tax_authority=tax_authority(event["to_division"]),
        )
    ]
