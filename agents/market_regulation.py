"""市场监管局: business licences, permits, change, relocation and deregistration, and its registers."""

from __future__ import annotations

from datetime import timedelta

from agents.registers import figure
from streams.checklist import Checklist, Material
from streams.conditions import Condition
from streams.days import occurred_on
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.identifiers import is_valid_uscc, make_uscc
from streams.rules import rule

department = Department("market_regulation", "市场监管局")

# 一次告知: as lead, the department checks the whole flow's materials up front.
RESTAURANT_MATERIALS = Checklist(
    Material("business_premises_proof", "经营场所使用证明"),
    Material("legal_representative_id", "法定代表人身份证明"),
    Material("food_safety_management_system", "食品安全管理制度"),
    Material("kitchen_layout", "厨房布局平面图"),
)
CHANGE_MATERIALS = Checklist(
    Material("change_application", "变更登记申请书"),
    Material("shareholder_resolution", "股东会决议"),
    Material("amended_articles", "章程修正案"),
    Material("new_premises_proof", "新住所使用证明", when=Condition("new_address", "!=", "")),
    Material(
        "new_legal_representative_id",
        "新任法定代表人身份证明",
        when=Condition("new_legal_representative", "!=", ""),
    ),
)
DEREGISTRATION_MATERIALS = Checklist(
    Material("deregistration_application", "注销登记申请书"),
    Material("shareholder_resolution", "股东会决议（决定）"),
    Material("liquidation_report", "清算报告", when=Condition("simplified", "==", False)),
    Material("investor_commitment", "全体投资人承诺书", when=Condition("simplified", "==", True)),
)
# Tianjin's six materials for relocation (22 before the reform).
RELOCATION_MATERIALS = Checklist(
    Material("relocation_application", "迁移登记申请书"),
    Material("new_premises_proof", "新住所使用证明"),
    Material("shareholder_resolution", "股东会决议"),
    Material("amended_articles", "章程修正案"),
    Material("legal_representative_id", "法定代表人身份证明"),
    Material("business_license_original", "营业执照正副本"),
)

FORBIDDEN_NAME_WORDS = ("中国", "国家", "中华")
TRANSPORT_NAME_WORDS = ("运输", "物流", "客运", "货运")
# 公司法: creditors are given 45 days' notice; a 简易注销 is announced for 20 days.
CREDITOR_NOTICE_DAYS = 45
SIMPLIFIED_NOTICE_DAYS = 20


def name_problems(name: str) -> list[str]:
    """企业名称 rules every registration applies."""
    if not name.strip():
        return ["企业名称为空"]
    if any(word in name for word in FORBIDDEN_NAME_WORDS):
        return [f"企业名称“{name}”使用了须经批准的字词"]
    return []


@rule("premises_area_m2")
def room_for_food_handling(payload, on):
    return ["经营场所面积不足以设置食品处理区（< 10 m²）"] if payload["premises_area_m2"] < 10 else []


@rule("abnormal_cause_corrected")
def abnormal_cause_gone(payload, on):
    if payload["abnormal_cause_corrected"]:
        return []
    return ["列入经营异常名录的情形尚未消除（如未补报年度报告、住所仍无法联系）"]


@rule("company_name")
def transport_company_name(payload, on):
    name = payload["company_name"].strip()
    problems = name_problems(name)
    if name and not any(word in name for word in TRANSPORT_NAME_WORDS):
        problems.append(f"企业名称“{name}”须体现道路运输行业特点（含“运输”“物流”“客运”或“货运”）")
    return problems


@department.matter(
    "business_license",
    "营业执照",
    trigger="RestaurantApplicationSubmitted",
    done="BusinessLicenseIssued",
    sla_working_days=1,
    materials=("business_premises_proof", "legal_representative_id"),
)
async def issue_business_license(event: Event) -> list[NewEvent]:
    name = event["business_name"].strip()
    if rejection := RESTAURANT_MATERIALS.review(event.payload, *name_problems(name)):
        return [rejection]
    uscc = make_uscc(event.case_id)
    return [
        emit(
            "BusinessLicenseIssued",
            subject=uscc,
            uscc=uscc,
            business_name=name,
            address=event["address"],
            premises_area_m2=event["premises_area_m2"],
            staff_count=event["staff_count"],
            signboard_text=event["signboard_text"],
        )
    ]


@department.matter(
    "food_business_permit",
    "食品经营许可",
    trigger="BusinessLicenseIssued",
    done="FoodBusinessPermitIssued",
    sla_working_days=10,
    materials=("food_safety_management_system", "kitchen_layout"),
    rules=(room_for_food_handling,),
    # 告知承诺制 still leaves a check of the kitchen on site.
    manual="现场核查",
    typical_working_days=8,
)
async def issue_food_business_permit(event: Event) -> list[NewEvent]:
    return [
        emit(
            "FoodBusinessPermitIssued",
            permit_no="JY" + event["uscc"][2:16],
            uscc=event["uscc"],
            valid_until=occurred_on(event) + timedelta(days=5 * 365),
        )
    ]


@department.matter(
    "transport_company_license",
    "营业执照（道路运输企业）",
    trigger="TransportApplicationPreReviewed",
    done="TransportCompanyLicenseIssued",
    sla_working_days=1,
    materials=("legal_representative_id", "business_premises_proof"),
    rules=(transport_company_name,),
)
async def issue_transport_company_license(event: Event) -> list[NewEvent]:
    name = event["company_name"].strip()
    uscc = make_uscc(event.case_id)
    return [
        emit(
            "TransportCompanyLicenseIssued",
            subject=uscc,
            uscc=uscc,
            company_name=name,
            address=event["address"],
            legal_representative=event["legal_representative"],
            transport_kind=event["transport_kind"],
            vehicle_count=event["vehicle_count"],
            driver_count=event["driver_count"],
        )
    ]


@department.matter(
    "license_change",
    "变更登记",
    trigger="EnterpriseChangeApplicationSubmitted",
    done="BusinessLicenseChanged",
    sla_working_days=1,
    materials=tuple(CHANGE_MATERIALS),
)
async def change_business_license(event: Event) -> list[NewEvent]:
    current, new_name = event["business_name"], event["new_name"]
    problems = [] if is_valid_uscc(event["uscc"]) else [f"统一社会信用代码 {event['uscc']} 无效"]
    if not (new_name or event["new_address"] or event["new_legal_representative"]):
        problems.append("未填写任何变更事项")
    if new_name is not None:
        problems += name_problems(new_name)
        if new_name == current:
            problems.append("新名称与原名称相同")
    if rejection := CHANGE_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "BusinessLicenseChanged",
            uscc=event["uscc"],
            business_name=new_name or current,
            previous_name=current,
            new_name=new_name,
            new_address=event["new_address"],
            new_legal_representative=event["new_legal_representative"],
            employee_count=event["employee_count"],
        )
    ]


@department.matter(
    "abnormal_list_removal",
    "移出经营异常名录",
    trigger="CreditRepairAccepted",
    done="AbnormalOperationListRemoved",
    sla_working_days=2,
    when=Condition("leave_abnormal_list", "==", True),
    rules=(abnormal_cause_gone,),
)
async def remove_from_abnormal_list(event: Event) -> list[NewEvent]:
    return [
        emit("AbnormalOperationListRemoved", **carry(event, "uscc", "enterprise_name", "leave_abnormal_list"))
    ]


@department.matter(
    "bankruptcy_registration_query",
    "破产企业登记及股权信息查询",
    trigger="BankruptcyInquiryAccepted",
    done="RegistrationInfoProvided",
    sla_working_days=2,
)
async def provide_registration_info(event: Event) -> list[NewEvent]:
    debtor = event["debtor_uscc"]
    return [
        emit(
            "RegistrationInfoProvided",
            debtor_uscc=debtor,
            case_number=event["case_number"],
            registered_capital_yuan=float(figure("registered_capital", debtor, 500) * 100_000),
            shareholder_count=1 + figure("shareholders", debtor, 6),
            branch_count=figure("branches", debtor, 4),
        )
    ]


@department.matter(
    "deregistration_pre_review",
    "注销智能预审",
    trigger="DeregistrationApplicationSubmitted",
    done="DeregistrationApplicationAccepted",
    sla_working_days=1,
    materials=tuple(DEREGISTRATION_MATERIALS),
)
async def pre_review_deregistration(event: Event) -> list[NewEvent]:
    problems = [] if is_valid_uscc(event["uscc"]) else [f"统一社会信用代码 {event['uscc']} 无效"]
    announced_days = (occurred_on(event) - event["announced_on"]).days
    if event["simplified"] and announced_days < SIMPLIFIED_NOTICE_DAYS:
        problems.append(f"简易注销公示期未满 {SIMPLIFIED_NOTICE_DAYS} 日（已公示 {announced_days} 日）")
    if not event["simplified"] and announced_days < CREDITOR_NOTICE_DAYS:
        problems.append(f"债权人公告期未满 {CREDITOR_NOTICE_DAYS} 日（已公告 {announced_days} 日）")
    if rejection := DEREGISTRATION_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "DeregistrationApplicationAccepted",
            **carry(
                event,
                "uscc",
                "enterprise_name",
                "simplified",
                "unpaid_tax_yuan",
                "unused_invoices",
                "customs_registered",
                "employee_count",
            ),
        )
    ]


@department.matter(
    "company_deregistration",
    "注销登记",
    trigger="TaxCleared",
    done="CompanyDeregistered",
    sla_working_days=1,
)
async def deregister_company(event: Event) -> list[NewEvent]:
    return [
        emit(
            "CompanyDeregistered",
            deregistered_on=occurred_on(event),
            **carry(event, "uscc", "enterprise_name", "customs_registered", "employee_count"),
        )
    ]


@department.matter(
    "relocation_registration",
    "迁移登记（迁入、档案迁移、变更登记）",
    trigger="EnterpriseRelocationSubmitted",
    done="EnterpriseRelocated",
    sla_working_days=1,
    materials=tuple(RELOCATION_MATERIALS),
)
async def register_relocation(event: Event) -> list[NewEvent]:
    problems = [] if is_valid_uscc(event["uscc"]) else [f"统一社会信用代码 {event['uscc']} 无效"]
    source, target = event["from_division"], event["to_division"]
    if not (len(target) == 6 and target.isdigit()):
        problems.append(f"迁入地行政区划代码 {target} 无效")
    elif source == target:
        problems.append("迁出地与迁入地相同，应办理住所变更登记")
    if not event["new_address"].strip():
        problems.append("未填写迁入后的住所")
    if rejection := RELOCATION_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "EnterpriseRelocated",
            **carry(
                event,
                "uscc",
                "enterprise_name",
                "from_division",
                "to_division",
                "new_address",
                "employee_count",
            ),
        )
    ]
