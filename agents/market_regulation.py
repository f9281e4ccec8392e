"""市场监管局: business licences and food business permits."""

from __future__ import annotations

from datetime import date, timedelta

from streams.department import Department, reject
from streams.events import Event, NewEvent, emit
from streams.identifiers import make_uscc

department = Department("market_regulation", "市场监管局")

# 一次告知: the lead checks the whole restaurant flow's set of materials up front.
RESTAURANT_MATERIALS = {
    "business_premises_proof": "经营场所使用证明",
    "legal_representative_id": "法定代表人身份证明",
    "food_safety_management_system": "食品安全管理制度",
    "kitchen_layout": "厨房布局平面图",
}
FORBIDDEN_NAME_WORDS = ("中国", "国家", "中华")


@department.matter(
    "business_license",
    "营业执照",
    trigger="RestaurantApplicationSubmitted",
    done="BusinessLicenseIssued",
    sla_working_days=1,
    materials=("business_premises_proof", "legal_representative_id"),
)
async def issue_business_license(event: Event) -> list[NewEvent]:
    missing = [code for code in RESTAURANT_MATERIALS if code not in event["materials"]]
    reasons = [f"缺少材料：{RESTAURANT_MATERIALS[code]}" for code in missing]
    name = event["business_name"].strip()
    if not name:
        reasons.append("企业名称为空")
    elif any(word in name for word in FORBIDDEN_NAME_WORDS):
        reasons.append(f"企业名称“{name}”使用了须经批准的字词")
    if reasons:
        return [reject(*reasons, missing_materials=missing)]
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
)
async def issue_food_business_permit(event: Event) -> list[NewEvent]:
    if event["premises_area_m2"] < 10:
        return [reject("经营场所面积不足以设置食品处理区（< 10 m²）")]
    return [
        emit(
            "FoodBusinessPermitIssued",
            permit_no="JY" + event["uscc"][2:16],
            uscc=event["uscc"],
            valid_until=date.today() + timedelta(days=5 * 365),
        )
    ]
