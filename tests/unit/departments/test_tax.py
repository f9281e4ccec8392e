"""税务局: new taxpayers, registration changes, clearance before deregistration, relocation."""

from agents.flows import deregistration, enterprise_change, enterprise_relocation, transport_company
from tests.unit.platform import apply, rejection_of


async def test_a_new_transport_company_is_registered_as_a_taxpayer_with_invoices():
    taxpayer = (await apply(transport_company)).one("TaxpayerRegistered")
    assert taxpayer["invoice_quota"] > 0 and taxpayer["tax_authority"].endswith("税务局")


async def test_the_registration_change_lists_what_changed():
    update = (await apply(enterprise_change, new_address="宁波市鄞州区天童南路 588 号")).one(
        "TaxRegistrationUpdated"
    )
    assert update["changed_fields"] == ["纳税人名称", "注册地址"]


async def test_clearance_names_unpaid_tax_and_unused_invoices_together():
    case = await apply(deregistration, unpaid_tax_yuan=1200.5, unused_invoices=3)
    # Named at the 注销 pre-review, before the application is accepted.
    assert rejection_of(case, "market_regulation.deregistration_pre_review")["reasons"] == [
        "税务局：尚有未缴税款 1200.50 元",
        "税务局：尚有 3 份未缴销的发票",
    ]
    assert "DeregistrationApplicationAccepted" not in case.types
    assert case.outcome["matter"] == "market_regulation.deregistration_pre_review"


async def test_the_tax_registration_moves_with_the_enterprise():
    moved = (await apply(enterprise_relocation)).one("TaxRegistrationRelocated")
    assert moved["to_tax_authority"] == "国家税务总局330212税务局"
