"""`onething coverage [--json] [--data FILE]`: 15分钟办事圈, the share of residents' addresses within a
15-minute walk of a service point able to handle each flow."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from streams import discovery
from streams.commands.arguments import positive_number
from streams.commands.describe import to_json
from streams.config import Settings
from streams.coverage import ServiceArea, Walk, coverage, load_area
from streams.terminal import table


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def area_coverage(area: ServiceArea | None = None, walk: Walk | None = None) -> dict[str, Any] | None:
    """Coverage of ``area`` (the first discovered one by default) for every declared flow."""
    if area is None:
        areas = discovery.service_areas()
        if not areas:
            return None
        area = areas[0]
    flows = discovery.flows()
    data = coverage(area, [f.name for f in flows], walk or Walk())
    for flow in flows:
        data["flows"][flow.name]["display_name"] = flow.display_name
    return data


def render(data: dict[str, Any]) -> list[str]:
    walk = data["walk"]
    districts = list(data["districts"])
    lines = [
        f"15分钟办事圈 · {data['city']} · {data['addresses']} addresses, "
        + ", ".join(f"{n} {data['point_kinds'].get(kind, kind)}" for kind, n in data["points"].items())
        + f" · within {_percent(data['any_point_share'])} of any point",
        f"  {walk['minutes']:g} minutes on foot at {walk['speed_kmh']:g} km/h, straight line × "
        f"{walk['detour_factor']:g} (reach {walk['straight_line_reach_m']:.0f} m)",
        f"  {data['note']}",
        "",
    ]
    rows = [
        (
            info.get("display_name", name),
            name,
            str(info["points"]),
            _percent(info["share"]),
            *(_percent(info["by_district"][d]) for d in districts),
        )
        for name, info in data["flows"].items()
    ]
    headers = ("一件事", "flow", "points", "covered", *districts)
    lines += table(headers, rows, right=tuple(range(2, 4 + len(districts))))
    return lines


def _coverage(args: argparse.Namespace, settings: Settings) -> int:
    area = load_area(Path(args.data)) if args.data else None
    walk = Walk(speed_kmh=args.speed, detour_factor=args.detour, minutes=args.minutes)
    data = area_coverage(area, walk)
    if data is None:
        raise LookupError("no service area is declared (onething.service_areas); name one with --data FILE")
    print(to_json(data) if args.json else "\n".join(render(data)))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("coverage", help="15分钟办事圈: residents within a walk of a service point")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--data", help="a service-area JSON file (default: the shipped 宁波 sample)")
    parser.add_argument("--minutes", type=positive_number, default=15.0, help="the walk's limit (15)")
    parser.add_argument("--speed", type=positive_number, default=5.0, help="walking speed in km/h (5)")
    parser.add_argument(
        "--detour", type=positive_number, default=1.3, help="walked ÷ straight-line distance (1.3)"
    )
    parser.set_defaults(func=_coverage)
