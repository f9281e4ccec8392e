"""`onething demo`: three restaurant applications through the real broker, shown as timelines."""

from __future__ import annotations

from streams import discovery
from streams.config import Settings
from streams.eventlog import EventLog
from streams.events import Event
from streams.identifiers import tokenize_citizen_id
from streams.service_desk import ServiceDesk
from streams.startup import connect
from streams.terminal import pad
from streams.worker_process import WorkerProcess

EVERY_MATERIAL = [
    "business_premises_proof",
    "legal_representative_id",
    "food_safety_management_system",
    "kitchen_layout",
]
APPLICATIONS = [
    ("老宁波海鲜楼", 420.0, 18, "老宁波海鲜楼", EVERY_MATERIAL),
    ("阿娘面馆", 120.0, 4, None, EVERY_MATERIAL),
    ("鼓楼小笼包", 60.0, 3, "小笼包", EVERY_MATERIAL[:2]),
]
OUTCOMES = ("CaseCompleted", "CaseRejected")


def restaurant_application(
    name: str, area: float, staff: int, signboard: str | None, materials: list[str]
) -> dict:
    return {
        "business_name": name,
        # The identity number is tokenized before it leaves the desk.
        "legal_representative": tokenize_citizen_id("330203199001011234"),
        "address": "浙江省宁波市海曙区中山西路 1 号",
        "premises_area_m2": area,
        "staff_count": staff,
        "signboard_text": signboard,
        "channel": "ONLINE",
        "materials": materials,
    }


def describe(events: list[Event], names: dict[str, str]) -> list[str]:
    by_id = {e.event_id: e for e in events}
    start = events[0].envelope["occurred_at"]
    lines = []
    for event in events:
        offset = (event.envelope["occurred_at"] - start).total_seconds()
        producer = names.get(event.producer, event.producer)
        cause = by_id.get(event.causation_id or "")
        because = f"  ← {cause.type}" if cause else ""
        lines.append(f"  +{offset:5.2f}s  {pad(producer, 14)} {event.type}{because}")
        if event.type == "MatterRejected":
            lines.append(f"           一次告知: {'；'.join(event['reasons'])}")
    return lines


def run_demo(settings: Settings, *, timeout: float) -> int:
    connection = connect(settings)
    names = {d.name: d.display_name for d in discovery.departments()}
    names |= {"service_center": "政务服务中心", "tracker": "闭环跟踪"}
    worker_log = settings.state_dir / "demo-worker.log"
    worker = WorkerProcess(log_path=worker_log)
    worker.start()
    log = EventLog(connection)
    desk = ServiceDesk(connection)
    try:
        cases = []
        for name, area, staff, signboard, materials in APPLICATIONS:
            app = restaurant_application(name, area, staff, signboard, materials)
            cases.append(
                (
                    desk.submit("RestaurantApplicationSubmitted", app, subject=app["legal_representative"]),
                    app,
                )
            )
        print(f"Submitted {len(cases)} 开办餐饮店 applications; departments are working…\n")
        finished = log.wait_until(
            lambda: all(any(e.type in OUTCOMES for e in log.events(c.case_id)) for c, _ in cases),
            timeout,
        )
        for application_event, app in cases:
            events = log.events(application_event.case_id)
            extras = ", signboard" if app["signboard_text"] else ""
            print(
                f"开办餐饮店 · {application_event.case_id} · {app['business_name']} "
                f"({app['premises_area_m2']:.0f} m²{extras})"
            )
            print("\n".join(describe(events, names)))
            outcome = next((e for e in events if e.type in OUTCOMES), None)
            print(f"  ⇒ {_verdict(outcome)}\n")
        if not finished:
            print(f"Not every case finished within {timeout:.0f} s; worker log: {worker_log}")
            return 1
        return 0
    finally:
        desk.close()
        log.close()
        worker.stop()
        connection.close()


def _verdict(outcome: Event | None) -> str:
    if outcome is None:
        return "still open"
    if outcome.type == "CaseCompleted":
        return f"办结 completed: {len(outcome['matters'])} matters"
    return f"不予办理 rejected at {outcome['matter']}: {'；'.join(outcome['reasons'])}"
