"""15分钟办事圈: the share of residents within 15 minutes' walk of a place that can handle a flow.

Walking time is estimated, not routed: the straight-line (great-circle) distance times a detour
factor for streets that do not run straight, at a walking speed. With the defaults (5 km/h, ×1.3)
15 minutes reach 962 m in a straight line. Online channels are not counted: the measure is about
the physical places 窗口兜底 relies on.

An area is data: service points per district (政务服务中心, 街道便民服务中心, 社区/村便民服务站,
自助终端), each with the flows it takes (by its kind, unless the point says otherwise), and a
sample of residents' addresses with coordinates.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WALKING_KMH = 5.0
# Streets are not straight lines: a walk is about 1.3 times the straight-line distance.
DETOUR_FACTOR = 1.3
MINUTES = 15.0
EARTH_RADIUS_M = 6_371_000.0
EVERY_FLOW = "*"
KINDS = ("CENTER", "STREET", "COMMUNITY", "TERMINAL")


@dataclass(frozen=True, slots=True)
class Walk:
    """How time on foot is estimated from coordinates."""

    speed_kmh: float = WALKING_KMH
    detour_factor: float = DETOUR_FACTOR
    minutes: float = MINUTES

    def minutes_for(self, straight_m: float) -> float:
        return straight_m * self.detour_factor / (self.speed_kmh * 1000 / 60)

    @property
    def reach_m(self) -> float:
        """The straight-line distance the time limit allows."""
        return self.minutes * self.speed_kmh * 1000 / 60 / self.detour_factor


@dataclass(frozen=True, slots=True)
class ServicePoint:
    id: str
    name: str
    kind: str
    district: str
    lat: float
    lon: float
    flows: frozenset[str]

    def handles(self, flow: str) -> bool:
        return EVERY_FLOW in self.flows or flow in self.flows


@dataclass(frozen=True, slots=True)
class Address:
    id: str
    district: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ServiceArea:
    city: str
    note: str
    kinds: Mapping[str, str]  # kind → display name
    districts: Mapping[str, str]  # code → name
    points: tuple[ServicePoint, ...]
    addresses: tuple[Address, ...]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def nearest_minutes(address: Address, points: Iterable[ServicePoint], walk: Walk) -> float | None:
    """Minutes on foot to the nearest of ``points``; None when there is none."""
    distances = [distance_m(address.lat, address.lon, p.lat, p.lon) for p in points]
    return walk.minutes_for(min(distances)) if distances else None


def _share(covered: int, total: int) -> float | None:
    return covered / total if total else None


def coverage(area: ServiceArea, flows: Sequence[str], walk: Walk = Walk()) -> dict[str, Any]:
    """Per flow: the share of addresses within the walk of a point able to handle it, overall and
    per district; and the share within reach of any point at all."""

    def within(address: Address, points: list[ServicePoint]) -> bool:
        minutes = nearest_minutes(address, points, walk)
        return minutes is not None and minutes <= walk.minutes

    every_point = list(area.points)
    per_flow = {}
    for flow in flows:
        able = [p for p in every_point if p.handles(flow)]
        reached = [a for a in area.addresses if within(a, able)]
        per_flow[flow] = {
            "points": len(able),
            "covered": len(reached),
            "share": _share(len(reached), len(area.addresses)),
            "by_district": {
                name: _share(
                    sum(a.district == code for a in reached),
                    sum(a.district == code for a in area.addresses),
                )
                for code, name in area.districts.items()
            },
        }
    any_point = sum(within(a, every_point) for a in area.addresses)
    return {
        "city": area.city,
        "note": area.note,
        "walk": {
            "minutes": walk.minutes,
            "speed_kmh": walk.speed_kmh,
            "detour_factor": walk.detour_factor,
            "straight_line_reach_m": round(walk.reach_m, 1),
        },
        "addresses": len(area.addresses),
        "points": {kind: sum(p.kind == kind for p in area.points) for kind in area.kinds},
        "point_kinds": dict(area.kinds),
        "districts": {
            name: {
                "addresses": sum(a.district == code for a in area.addresses),
                "points": sum(p.district == code for p in area.points),
            }
            for code, name in area.districts.items()
        },
        "any_point_share": _share(any_point, len(area.addresses)),
        "flows": per_flow,
    }


class AreaError(ValueError):
    """A service-area file that cannot be read: the message names the file and the problem."""


def load_area(path: Path) -> ServiceArea:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AreaError(f"{path}: {exc}") from None
    try:
        return area_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise AreaError(f"{path}: {exc}") from None


def area_from_dict(data: Mapping[str, Any]) -> ServiceArea:
    kinds = data["kinds"]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown point kinds {', '.join(unknown)}; known: {', '.join(KINDS)}")
    points, addresses, districts = [], [], {}
    for district in data["districts"]:
        code = str(district["code"])
        districts[code] = district["name"]
        for p in district["points"]:
            if p["kind"] not in kinds:
                raise ValueError(f"point {p['id']} has kind {p['kind']!r}, which the file does not declare")
            taken = p.get("flows", kinds[p["kind"]]["flows"])
            flows = frozenset([EVERY_FLOW] if taken == EVERY_FLOW else taken)
            points.append(ServicePoint(p["id"], p["name"], p["kind"], code, _lat(p), _lon(p), flows))
        addresses += [Address(a["id"], code, _lat(a), _lon(a)) for a in district["addresses"]]
    return ServiceArea(
        city=data["city"],
        note=data.get("note", ""),
        kinds={kind: spec["display_name"] for kind, spec in kinds.items()},
        districts=districts,
        points=tuple(points),
        addresses=tuple(addresses),
    )


def _lat(item: Mapping[str, Any]) -> float:
    value = float(item["lat"])
    if not -90 <= value <= 90:
        raise ValueError(f"{item.get('id')}: latitude {value} out of range")
    return value


def _lon(item: Mapping[str, Any]) -> float:
    value = float(item["lon"])
    if not -180 <= value <= 180:
        raise ValueError(f"{item.get('id')}: longitude {value} out of range")
    return value
