"""疾病预防控制中心: the newborn's vaccination card (预防接种证)."""

from __future__ import annotations

from agents.registers import figure
from streams.department import Department
from streams.events import Event, NewEvent, emit
from streams.facts import carry

department = Department("disease_control", "疾病预防控制中心")

# 低出生体重儿 (< 2500 g) have BCG deferred until they gain weight.
LOW_BIRTH_WEIGHT_G = 2500


@department.matter(
    "vaccination_card",
    "预防接种证",
    trigger="BirthCertificateIssued",
    done="VaccinationCardIssued",
    sla_working_days=1,
)
async def issue_vaccination_card(event: Event) -> list[NewEvent]:
    deferred = ["卡介苗"] if event["birth_weight_g"] < LOW_BIRTH_WEIGHT_G else []
    return [
        emit(
            "VaccinationCardIssued",
            card_no=f"JZ{figure('vaccination_card', event.case_id, 10**10):010d}",
            deferred_vaccines=deferred,
            **carry(event, "child_name", "birth_date"),
        )
    ]
