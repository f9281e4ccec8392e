"""教育局: school enrolment — the application, and the place once the parallel checks (household,
housing and, for a migrant child, social insurance) have all confirmed the family: a join."""

from __future__ import annotations

from datetime import date

from agents.registers import figure
from streams.checklist import Checklist
from streams.conditions import Condition
from streams.days import full_years, occurred_on
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry

department = Department("education", "教育局")

# Hohhot: an identity number and a code, nothing else; household, housing and insurance come from
# the departments that hold them.
ENROLMENT_MATERIALS = Checklist()
# 义务教育法: children start primary school in the autumn term after turning six by 31 August.
ENTRY_AGE = {"PRIMARY": 6, "JUNIOR_SECONDARY": 11}
STAGE_NAME = {"PRIMARY": "小学", "JUNIOR_SECONDARY": "初级中学"}


def autumn_cutoff(today: date) -> date:
    """31 August of the school year being enrolled for."""
    return date(today.year if today.month <= 8 else today.year + 1, 8, 31)


def school_for(child: str, district: str, stage: str) -> str:
    return f"{district}第{1 + figure('school', child, 9)}{STAGE_NAME[stage]}"


@department.matter(
    "enrolment_application",
    "义务教育入学申请",
    trigger="SchoolEnrolmentApplicationSubmitted",
    done="EnrolmentApplicationAccepted",
    sla_working_days=1,
)
async def accept_enrolment(event: Event) -> list[NewEvent]:
    stage, cutoff = event["stage"], autumn_cutoff(occurred_on(event))
    problems = []
    if full_years(event["child_birth_date"], cutoff) < ENTRY_AGE[stage]:
        problems.append(f"入读{STAGE_NAME[stage]}须于 {cutoff:%Y年%m月%d日} 前年满 {ENTRY_AGE[stage]} 周岁")
    if not event["school_district"].strip():
        problems.append("未选择报名学区")
    if rejection := ENROLMENT_MATERIALS.review(event.payload, *problems):
        return [rejection]
    return [
        emit(
            "EnrolmentApplicationAccepted",
            **carry(
                event,
                "guardian",
                "child",
                "stage",
                "school_district",
                "residence_basis",
                "household_district",
                "residence_permit_months",
                "property_district",
                "lease_registration_no",
                "guardian_social_insurance_months",
            ),
        )
    ]


@department.matter(
    "admission",
    "户籍生学位录取",
    # All of: the decision waits for both checks of the case (their payloads merged).
    trigger=("EnrolmentHouseholdVerified", "EnrolmentResidenceVerified"),
    done="StudentAdmitted",
    sla_working_days=3,
    when=Condition("residence_basis", "==", "LOCAL_HOUSEHOLD"),
)
async def admit(event: Event) -> list[NewEvent]:
    child, stage = event["child"], event["stage"]
    school = school_for(child, event["school_district"], stage)
    return [emit("StudentAdmitted", child=child, school=school, stage=stage)]


@department.matter(
    "migrant_placement",
    "随迁子女入学统筹安排",
    trigger=("EnrolmentHouseholdVerified", "EnrolmentResidenceVerified", "EnrolmentSocialInsuranceVerified"),
    done="MigrantStudentPlaced",
    sla_working_days=3,
    when=Condition("residence_basis", "==", "MIGRANT"),
    manual="教育部门统筹安排学位",
    typical_working_days=2,
)
async def place_migrant_child(event: Event) -> list[NewEvent]:
    child, stage = event["child"], event["stage"]
    school = school_for(child, event["school_district"], stage)
    return [emit("MigrantStudentPlaced", child=child, school=school, stage=stage)]
