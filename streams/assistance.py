"""帮代办 and 跨域办: applications someone else submits, and applications another city receives.

帮代办: a helper (a service-centre clerk, a community or grid worker, a volunteer, a relative, an
enterprise's agent) submits on the applicant's behalf; the application records who (the helper's
citizen token, never the number), in which role, and the reference of the applicant's consent.

跨域办: the applicant walks into another city's desk (长三角 跨省通办); that desk publishes
`ApplicationHandedOver`, and the application follows, caused by it, naming the receiving city.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import TYPE_CHECKING, Any

from streams.identifiers import is_valid_citizen_id, tokenize_citizen_id, with_check_character

if TYPE_CHECKING:
    from streams.events import Event
    from streams.service_desk import ServiceDesk

HANDED_OVER = "ApplicationHandedOver"
HANDLING_CITY = "宁波市"
ROLES = {
    "SERVICE_CENTER_STAFF": "帮办代办员",
    "COMMUNITY_WORKER": "社区工作者",
    "GRID_WORKER": "网格员",
    "VOLUNTEER": "志愿者",
    "FAMILY_MEMBER": "亲属",
    "ENTERPRISE_AGENT": "企业经办人",
    "OTHER": "其他",
}
# Desks of the Yangtze River Delta's 跨省通办 that take Ningbo's applications.
REMOTE_DESKS = {
    "上海市": "上海市浦东新区市民中心 长三角“一网通办”专窗",
    "杭州市": "杭州市民中心 跨域通办窗口",
    "南京市": "南京市政务服务中心 跨省通办窗口",
    "合肥市": "合肥市政务服务中心 长三角通办窗口",
}
# The channel a helper works through: a community worker at the nearby station, a clerk at a counter.
ROLE_CHANNELS = {
    "SERVICE_CENTER_STAFF": "COUNTER",
    "COMMUNITY_WORKER": "NEARBY",
    "GRID_WORKER": "NEARBY",
    "VOLUNTEER": "NEARBY",
    "FAMILY_MEMBER": "MOBILE",
    "ENTERPRISE_AGENT": "ONLINE",
}
# Shares the simulator draws: the elderly and the disabled are helped more than enterprises are.
ASSISTED_SHARE = {"individual": 0.10, "enterprise": 0.05}
CROSS_REGION_SHARE = 0.04


def assisted_by(helper_id_number: str, role: str, consent_reference: str) -> dict[str, str]:
    """The ``assisted_by`` field of an application; the helper's number is tokenized here."""
    if not is_valid_citizen_id(helper_id_number.strip().upper()):
        raise ValueError("the helper's identity number is not a valid 公民身份号码")
    if role not in ROLES:
        raise ValueError(f"unknown helper role {role!r}; known: {', '.join(ROLES)}")
    if not consent_reference.strip():
        raise ValueError("an application on someone's behalf needs the applicant's consent reference")
    return {
        "helper": tokenize_citizen_id(helper_id_number),
        "role": role,
        "consent_reference": consent_reference.strip(),
    }


def submit_handed_over(
    desk: ServiceDesk,
    event_type: str,
    payload: dict[str, Any],
    *,
    subject: str,
    receiving_city: str,
    receiving_desk: str,
    case_id: str | None = None,
) -> tuple[Event, Event]:
    """跨域办: the receiving desk's handover, then the application it causes (same case)."""
    handover = desk.submit(
        HANDED_OVER,
        {
            "application_type": event_type,
            "receiving_city": receiving_city,
            "receiving_desk": receiving_desk,
            "handling_city": HANDLING_CITY,
            "received_at": desk.clock.millis(),
        },
        subject=subject,
        case_id=case_id,
    )
    receipt = {
        "receiving_city": receiving_city,
        "receiving_desk": receiving_desk,
        "handed_over_at": handover.envelope["occurred_at"],
    }
    application = desk.submit(
        event_type,
        payload | {"cross_region": receipt},
        subject=subject,
        case_id=handover.case_id,
        cause=handover,
    )
    return handover, application


@dataclass(frozen=True, slots=True)
class Drawn:
    """How a simulated application reaches the platform."""

    assisted_by: dict[str, str] | None = None
    receiving_city: str | None = None

    def apply(self, payload: dict[str, Any]) -> dict[str, Any]:
        if self.assisted_by is None:
            return payload
        channel = ROLE_CHANNELS.get(self.assisted_by["role"], payload.get("channel"))
        return payload | {"assisted_by": self.assisted_by, "channel": channel}


def recorded_by(contract: Any) -> bool:
    """Whether an application's contract has room for a helper and a handover (a plug-in's may not)."""
    return {"assisted_by", "cross_region"} <= {field["name"] for field in contract.payload_fields}


def draw(rng: Random, audience: str) -> Drawn:
    """Now and then a helper submits, or another city's desk receives the application."""
    helper = None
    if rng.random() < ASSISTED_SHARE.get(audience, 0.05):
        roles = (
            ["ENTERPRISE_AGENT"]
            if audience == "enterprise"
            else ["COMMUNITY_WORKER", "GRID_WORKER", "VOLUNTEER", "FAMILY_MEMBER", "SERVICE_CENTER_STAFF"]
        )
        helper = assisted_by(made_up_id_number(rng), rng.choice(roles), f"SQ-{rng.getrandbits(40):010X}")
    city = rng.choice(sorted(REMOTE_DESKS)) if rng.random() < CROSS_REGION_SHARE else None
    return Drawn(helper, city)


def made_up_id_number(rng: Random, division: str = "330212") -> str:
    """A valid-looking 公民身份号码 of an adult, for simulated helpers only."""
    born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 40 * 365))
    return with_check_character(f"{division}{born:%Y%m%d}{rng.randint(1, 999):03d}")
