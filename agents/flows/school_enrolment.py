"""教育入学: the application is accepted, then the household (or residence permit), housing and — for
a migrant child — social insurance checks run in parallel; the decision joins them (all-of
triggers): a local child is admitted, a migrant child placed. A failed check rejects the case, and
the decision never fires.
"""

from __future__ import annotations

from datetime import date
from random import Random
from typing import Any

from agents.education import ENROLMENT_MATERIALS as CHECKLIST
from agents.education import autumn_cutoff
from streams import Figures, Flow, Published, Step
from streams.samples import CHANNELS, DISTRICTS, citizen, today, vary, with_materials

ACCEPTANCE = "education.enrolment_application"
HOUSEHOLD = "public_security.enrolment_household_check"
RESIDENCE = "real_estate.enrolment_residence_check"
SOCIAL_INSURANCE = "human_resources.enrolment_social_insurance_check"


def six_year_old() -> date:
    """A birthday that makes the child six before this year's cut-off."""
    return date(autumn_cutoff(today()).year - 6, 3, 15)


def application(**overrides: Any) -> dict[str, Any]:
    payload = {
        "guardian": citizen(Random(6)),
        "child": citizen(Random(7), six_year_old()),
        "child_birth_date": six_year_old(),
        "stage": "PRIMARY",
        "school_district": "海曙区",
        "residence_basis": "LOCAL_HOUSEHOLD",
        "household_district": "海曙区",
        "residence_permit_months": 0,
        "property_district": "海曙区",
        "lease_registration_no": None,
        "guardian_social_insurance_months": 60,
        "channel": "ONLINE",
    }
    return with_materials(CHECKLIST, payload | overrides)


# A migrant family: a residence permit, a registered lease and local social insurance.
MIGRANT = {
    "residence_basis": "MIGRANT",
    "household_district": "海曙区",
    "residence_permit_months": 26,
    "property_district": None,
    "lease_registration_no": "ZL3302032024001234",
    "guardian_social_insurance_months": 26,
}


def ineligible() -> list[dict[str, Any]]:
    return [
        {"child_birth_date": date(autumn_cutoff(today()).year - 5, 3, 15)},  # too young
        {"household_district": "余姚市"},  # household outside the district
        {"property_district": None},  # a local child without a home in the district
        MIGRANT | {"guardian_social_insurance_months": 6},  # insured too briefly
    ]


def sample(rng: Random) -> dict[str, Any]:
    district = rng.choice(sorted(DISTRICTS.values()))
    family = {"school_district": district, "household_district": district, "property_district": district}
    broken = ineligible()
    if rng.random() < 0.3:
        family |= MIGRANT | {"household_district": district}
        # A migrant child's household and home may lie elsewhere: only age and insurance can fail.
        broken = [broken[0], broken[3]]
    payload = application(
        guardian=citizen(rng),
        child=citizen(rng, six_year_old()),
        channel=rng.choice(CHANNELS),
        **family,
    )
    return vary(rng, payload, CHECKLIST, broken)


flow = Flow(
    name="school_enrolment",
    display_name="教育入学",
    lead="education",
    application="SchoolEnrolmentApplicationSubmitted",
    steps=(
        Step(matter=ACCEPTANCE),
        Step(matter=HOUSEHOLD, after=(ACCEPTANCE,)),
        Step(matter=RESIDENCE, after=(ACCEPTANCE,)),
        Step(matter=SOCIAL_INSURANCE, after=(ACCEPTANCE,)),
        Step(matter="education.admission", after=(HOUSEHOLD, RESIDENCE)),
        Step(matter="education.migrant_placement", after=(HOUSEHOLD, RESIDENCE, SOCIAL_INSURANCE)),
    ),
    sla_working_days=10,
    audience="individual",
    # Hohhot: an identity number and a verification code, no materials at all.
    published=Published(source="呼和浩特", before=Figures(), after=Figures(materials=0)),
    sample=sample,
)
