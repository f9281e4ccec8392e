"""退休一件事, applied for; and 身后一件事, started by 公安局's death registration with no application."""

from __future__ import annotations

from datetime import timedelta
from random import Random
from typing import Any

from onething_retirement.human_resources import RETIREMENT_MATERIALS as CHECKLIST
from streams import Flow, Step
from streams.samples import CHANNELS, born, citizen, today, vary, with_materials


def retirement_sample(rng: Random) -> dict[str, Any]:
    payload = {
        "retiree": citizen(rng, born(rng, 60, 60)),
        "retirement_date": today() + timedelta(days=rng.randint(0, 30)),
        "contribution_years": rng.randint(15, 40),
        "channel": rng.choice(CHANNELS),
    }
    return vary(rng, with_materials(CHECKLIST, payload), CHECKLIST, [{"contribution_years": 9}])


def death_sample(rng: Random) -> dict[str, Any]:
    return {
        "deceased": citizen(rng, born(rng, 70, 95)),
        "death_date": today() - timedelta(days=rng.randint(0, 3)),
        "receiving_pension": True,
    }


retirement = Flow(
    name="retirement",
    display_name="退休一件事",
    lead="human_resources",
    application="RetirementApplicationSubmitted",
    steps=(Step(matter="human_resources.retirement_pension"),),
    sla_working_days=5,
    audience="individual",
    sample=retirement_sample,
)

after_death = Flow(
    name="pension_after_death",
    display_name="身后一件事（养老金）",
    lead="human_resources",
    application="DeathRegistered",
    started_by="public_security",
    steps=(Step(matter="human_resources.pension_stop"),),
    sla_working_days=3,
    audience="individual",
    sample=death_sample,
)
