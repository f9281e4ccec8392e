"""交通运输局: road transport permits and vehicle certificates, and the 社保卡 transit function."""

from __future__ import annotations

from streams.checklist import Checklist, Material
from streams.conditions import Condition
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry

department = Department("transport", "交通运输局")

# 一次告知 for 开办运输企业: 交通 leads, so it reviews every department's materials up front.
TRANSPORT_COMPANY_MATERIALS = Checklist(
    Material("legal_representative_id", "法定代表人身份证明"),
    Material("business_premises_proof", "经营场所使用证明"),
    Material("safety_management_rules", "安全生产管理制度"),
    Material("vehicle_technical_reports", "车辆技术等级评定报告"),
    Material("parking_lease", "停车场地使用证明"),
)
# 包车客运 needs a fleet; ordinary freight can start with one truck.
MIN_VEHICLES = {"FREIGHT": 1, "PASSENGER_CHARTER": 10}
PARKING_M2_PER_VEHICLE = 30


def fleet_problems(kind: str, vehicles: int, drivers: int, parking_m2: float) -> list[str]:
    problems = []
    if vehicles < MIN_VEHICLES[kind]:
        label = "包车客运" if kind == "PASSENGER_CHARTER" else "普通货运"
        problems.append(f"{label}企业营运车辆不少于 {MIN_VEHICLES[kind]} 辆（申报 {vehicles} 辆）")
    if drivers < vehicles:
        problems.append(f"取得从业资格的驾驶员（{drivers} 人）少于营运车辆（{vehicles} 辆）")
    if parking_m2 < (needed := vehicles * PARKING_M2_PER_VEHICLE):
        problems.append(f"停车场地不足：每辆车至少 {PARKING_M2_PER_VEHICLE} m²，共需 {needed} m²")
    return problems


@department.matter(
    "transport_pre_review",
    "开办运输企业智能预审",
    trigger="TransportCompanyApplicationSubmitted",
    done="TransportApplicationPreReviewed",
    sla_working_days=1,
    materials=("safety_management_rules",),
)
async def pre_review(event: Event) -> list[NewEvent]:
    problems = fleet_problems(
        event["transport_kind"], event["vehicle_count"], event["driver_count"], event["parking_area_m2"]
    )
    if rejection := TRANSPORT_COMPANY_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "TransportApplicationPreReviewed",
            **carry(
                event,
                "legal_representative",
                "company_name",
                "address",
                "transport_kind",
                "vehicle_count",
                "driver_count",
                "parking_area_m2",
            ),
        )
    ]


@department.matter(
    "road_transport_permit",
    "道路运输经营许可",
    trigger="TransportCompanyLicenseIssued",
    done="RoadTransportPermitIssued",
    sla_working_days=5,
    materials=("parking_lease",),
)
async def issue_road_transport_permit(event: Event) -> list[NewEvent]:
    uscc = event["uscc"]
    return [
        emit(
            "RoadTransportPermitIssued",
            permit_no=f"浙交运管许可甬字{uscc[2:8]}{uscc[-6:]}号",
            uscc=uscc,
            transport_kind=event["transport_kind"],
            vehicle_count=event["vehicle_count"],
        )
    ]


@department.matter(
    "vehicle_transport_certificates",
    "车辆道路运输证",
    trigger="RoadTransportPermitIssued",
    done="VehicleTransportCertificatesIssued",
    sla_working_days=3,
    materials=("vehicle_technical_reports",),
)
async def issue_vehicle_certificates(event: Event) -> list[NewEvent]:
    return [
        emit(
            "VehicleTransportCertificatesIssued", uscc=event["uscc"], certificate_count=event["vehicle_count"]
        )
    ]


@department.matter(
    "card_transit_function",
    "社保卡交通出行功能",
    trigger="SocialSecurityCardIssued",
    done="CardTransitEnabled",
    sla_working_days=1,
    when=Condition("enable_transit", "==", True),
)
async def enable_transit(event: Event) -> list[NewEvent]:
    return [emit("CardTransitEnabled", holder=event["holder"], card_no=event["card_no"])]
