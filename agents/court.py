"""人民法院: the bankruptcy administrator's information inquiry (企业破产信息核查)."""

from __future__ import annotations

import re

from streams.checklist import Checklist, Material
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry
from streams.identifiers import is_valid_uscc

department = Department("court", "人民法院")

INQUIRY_MATERIALS = Checklist(
    Material("administrator_id", "管理人身份证明"),
    Material("inquiry_application", "协助查询申请书"),
)
# 破产案件案号, e.g. （2024）浙02破12号: year, court, the 破 case type, number.
BANKRUPTCY_CASE_NUMBER = re.compile(r"[（(]\d{4}[）)][\u4e00-\u9fff]\d{2,4}破(申)?\d+号")


@department.matter(
    "bankruptcy_inquiry",
    "破产信息核查受理",
    trigger="BankruptcyInquirySubmitted",
    done="BankruptcyInquiryAccepted",
    sla_working_days=1,
    materials=tuple(INQUIRY_MATERIALS),
)
async def accept_inquiry(event: Event) -> list[NewEvent]:
    problems = [] if is_valid_uscc(event["debtor_uscc"]) else ["债务人统一社会信用代码无效"]
    if not BANKRUPTCY_CASE_NUMBER.fullmatch(event["case_number"]):
        problems.append(f"案号“{event['case_number']}”不是本院受理的破产案件")
    if rejection := INQUIRY_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [emit("BankruptcyInquiryAccepted", **carry(event, "debtor_uscc", "debtor_name", "case_number"))]
