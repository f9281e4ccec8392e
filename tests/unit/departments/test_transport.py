"""交通运输局: pre-review of a transport company, its permits, and the card's transit function."""

from agents.flows import social_security_card, transport_company
from tests.unit.platform import apply, rejection_of


async def test_the_permit_follows_the_licence_and_the_vehicle_certificates_follow_the_permit():
    case = await apply(transport_company)
    licence, permit = case.one("TransportCompanyLicenseIssued"), case.one("RoadTransportPermitIssued")
    assert permit.causation_id == licence.event_id and permit["uscc"] == licence["uscc"]
    certificates = case.one("VehicleTransportCertificatesIssued")
    assert certificates.causation_id == permit.event_id and certificates["certificate_count"] == 5


async def test_the_pre_review_names_every_fleet_problem_and_missing_material_at_once():
    case = await apply(
        transport_company,
        transport_kind="PASSENGER_CHARTER",
        driver_count=3,
        materials=["legal_representative_id"],
    )
    notice = rejection_of(case, "transport.transport_pre_review")
    assert len(notice["missing_materials"]) == 4
    assert notice["reasons"][4:] == [
        "包车客运企业营运车辆不少于 10 辆（申报 5 辆）",
        "取得从业资格的驾驶员（3 人）少于营运车辆（5 辆）",
    ]
    assert "TransportCompanyLicenseIssued" not in case.types


async def test_transit_on_the_card_only_when_chosen():
    assert "CardTransitEnabled" in (await apply(social_security_card)).types
    assert "CardTransitEnabled" not in (await apply(social_security_card, enable_transit=False)).types
